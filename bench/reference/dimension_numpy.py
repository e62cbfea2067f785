"""Reference for `entropybook bench dimension`: the correlation integral C(r) over log-spaced
radii in blocked numpy (float32 GEMM distances, upper blocks only, searchsorted + bincount),
timed like the Swift side. Prints BenchRecord JSON lines.

    python3 bench/reference/dimension_numpy.py --n 10000 --d 784 --radii 32 --repetitions 3
    python3 bench/reference/dimension_numpy.py --data points.f32 --range 9.97 12.68 ...

With --data (raw little-endian float32, n x d) and --range, it counts the same points at
the same radii as the Swift side, so the two C(r) can be compared value by value.
"""
import argparse
import json
import time

import numpy as np


def radius_range(x, rng, sample=128):
    """Smallest positive nearest-neighbour distance of a sample of points to the largest
    distance seen, as CorrelationIntegral.automaticRange does."""
    idx = rng.permutation(len(x))[:sample]
    norms = np.einsum("ij,ij->i", x, x)
    d2 = norms[idx, None] + norms[None, :] - 2.0 * (x[idx] @ x.T)
    np.maximum(d2, 0, out=d2)
    d2[np.arange(len(idx)), idx] = np.inf
    smallest = d2[d2 > 0].min()
    d2[np.arange(len(idx)), idx] = 0
    return float(np.sqrt(smallest)), float(np.sqrt(d2.max()) * 1.001)


def correlation_integral(x, radii, block=1024):
    n = len(x)
    thresholds = (radii.astype(np.float64) ** 2).astype(np.float32)
    norms = np.einsum("ij,ij->i", x, x)
    hist = np.zeros(len(radii) + 1, dtype=np.int64)
    for i0 in range(0, n, block):
        xi = x[i0:i0 + block]
        for j0 in range(i0, n, block):
            xj = x[j0:j0 + block]
            d2 = norms[i0:i0 + block, None] + norms[None, j0:j0 + block] - 2.0 * (xi @ xj.T)
            if j0 == i0:
                d2 = d2[np.triu_indices(len(xi), k=1)]
            bins = np.searchsorted(thresholds, d2.ravel(), side="right")
            hist += np.bincount(bins, minlength=len(radii) + 1)
    return np.cumsum(hist)[:-1] / (n * (n - 1) / 2)


def max_difference(c, other):
    """Largest |C_numpy(r) - C_other(r)| over the radii."""
    return float(np.max(np.abs(c - np.array([float(v) for v in other.split(",")]))))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=10000)
    p.add_argument("--d", type=int, default=784)
    p.add_argument("--radii", type=int, default=32)
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--threads", type=str, default="2")
    p.add_argument("--data", type=str, default=None, help="raw float32 points, n x d")
    p.add_argument("--range", type=float, nargs=2, default=None, help="smallest and largest radius")
    p.add_argument("--compare", type=str, default=None, help="comma-separated C(r) of the other side")
    a = p.parse_args()
    if a.data:
        x = np.fromfile(a.data, dtype="<f4").reshape(a.n, a.d)
    else:
        x = np.random.default_rng(0).random((a.n, a.d), dtype=np.float32)
    x -= x.mean(axis=0)
    times = []
    for _ in range(a.repetitions):
        t0 = time.perf_counter()
        r1, r2 = a.range if a.range else radius_range(x, np.random.default_rng(1))
        radii = np.exp(np.linspace(np.log(r1), np.log(r2), a.radii))
        c = correlation_integral(x, radii)
        times.append(time.perf_counter() - t0)
    times.sort()
    # GEMM alone over the same upper blocks, for the closing note.
    t0 = time.perf_counter()
    for i0 in range(0, a.n, 1024):
        for j0 in range(i0, a.n, 1024):
            x[i0:i0 + 1024] @ x[j0:j0 + 1024].T
    gemm = time.perf_counter() - t0
    metrics = {"c_mid": float(c[len(c) // 2]), "gemm_seconds": gemm, "r1": r1, "r2": r2}
    if a.compare:  # JSON has no NaN: the key is present only when there is something to compare
        metrics["c_max_abs_difference"] = max_difference(c, a.compare)
    print(json.dumps({
        "suite": "dimension", "name": "correlation-integral", "implementation": "numpy",
        "parameters": {"n": str(a.n), "d": str(a.d), "radii": str(a.radii), "threads": a.threads,
                       "data": "uniform[0,1) centred"},
        "seconds": times[len(times) // 2],
        "metrics": metrics,
    }))


if __name__ == "__main__":
    main()
