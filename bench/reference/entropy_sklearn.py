"""scikit-learn's KernelDensity (Gaussian kernel, bandwidth h, default tree) fitted to the data
and scored on the same data: a resubstitution entropy -(1/n) Σ ln p̂(x_i), compared with
entropybook's `resub-entropy`."""
import numpy as np
from sklearn.neighbors import KernelDensity

from entropy_common import arguments, emit, timed


def main():
    args = arguments(__doc__)
    x = np.ascontiguousarray(np.load(args.npy), dtype=np.float32)
    n, d = x.shape

    def run():
        kde = KernelDensity(kernel="gaussian", bandwidth=args.bandwidth).fit(x)
        return -kde.score_samples(x).mean()

    seconds, value = timed(run, args.repetitions)
    emit("resub-entropy", "sklearn", args, n, d, seconds, value)


if __name__ == "__main__":
    main()
