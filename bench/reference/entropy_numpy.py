"""Leave-one-out KDE entropy at one bandwidth in blocked numpy: the baseline entropybook's
`loo-entropy` is compared with (same data, same h, same formula).

H = -(1/n) Σ_i ln[ 1/(n-1) Σ_{j≠i} (2πh²)^(-d/2) exp(-|x_i - x_j|²/(2h²)) ], rows in blocks of
1024, distances by |x|² + |y|² - 2 x·y in float32 (BLAS), log-sum-exp per row in float64."""
import numpy as np

from entropy_common import arguments, emit, timed


def loo_entropy(x, h, block=1024):
    n, d = x.shape
    norms = np.einsum("ij,ij->i", x, x)
    log_density = np.empty(n)
    c = 1.0 / (2.0 * h * h)
    offset = -np.log(n - 1) - 0.5 * d * np.log(2.0 * np.pi * h * h)
    for i0 in range(0, n, block):
        i1 = min(i0 + block, n)
        dist = norms[i0:i1, None] + norms[None, :] - 2.0 * (x[i0:i1] @ x.T)
        np.maximum(dist, 0.0, out=dist)
        dist[np.arange(i1 - i0), np.arange(i0, i1)] = np.inf  # leave one out
        a = dist * np.float32(-c)
        top = a.max(axis=1)
        s = np.exp(a - top[:, None]).sum(axis=1, dtype=np.float64)
        log_density[i0:i1] = top + np.log(s) + offset
    return -log_density.mean()


def main():
    args = arguments(__doc__)
    x = np.ascontiguousarray(np.load(args.npy), dtype=np.float32)
    n, d = x.shape
    loo_entropy(x[: min(n, 2048)], args.bandwidth)  # warm-up (BLAS threads, page faults)
    seconds, value = timed(lambda: loo_entropy(x, args.bandwidth), args.repetitions)
    emit("loo-entropy", "numpy", args, n, d, seconds, value)


if __name__ == "__main__":
    main()
