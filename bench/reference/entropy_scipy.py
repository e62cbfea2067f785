"""scipy's gaussian_kde on the data, evaluated at the data: a resubstitution entropy. On whitened
data (identity covariance) bw_method = h gives the kernel covariance h²·I, the same kernel as
entropybook's `resub-entropy` at bandwidth h."""
import numpy as np
from scipy.stats import gaussian_kde

from entropy_common import arguments, emit, timed


def main():
    args = arguments(__doc__)
    x = np.ascontiguousarray(np.load(args.npy), dtype=np.float32)
    n, d = x.shape

    def run():
        kde = gaussian_kde(x.T.astype(np.float64), bw_method=args.bandwidth)
        return -kde.logpdf(x.T.astype(np.float64)).mean()

    seconds, value = timed(run, args.repetitions)
    emit("resub-entropy", "scipy", args, n, d, seconds, value)


if __name__ == "__main__":
    main()
