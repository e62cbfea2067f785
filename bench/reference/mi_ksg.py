"""Kraskov–Stögbauer–Grassberger mutual information (Phys. Rev. E 69, 066138, 2004), both
variants, in numpy/scipy: exact max-norm neighbours from scipy's cKDTree (p = inf) on the
float32 data widened to float64, counts strictly inside ε (KSG-1) or within ε_x, ε_y (KSG-2).
scikit-learn's `_compute_mi_cc` (the formula behind `mutual_info_regression`, KSG-1, without
its rescaling and jitter) for 1-D x and y, and `_compute_mi_cd` (Ross 2014) for labels.

Bench mode (entropybook bench mi): --x X.npy --y Y.npy [--k 3] prints BenchRecord JSON lines.
Fixture mode: --fixture OUT.json writes small data sets and their estimates for the tests
(Tests/MutualInformationTests/Fixtures/ksg-reference.json).
"""
import argparse
import json
import os
import statistics
import time

import numpy as np
from scipy.spatial import cKDTree
from scipy.special import digamma


def ksg(x, y, k, variant):
    """KSG-1 or KSG-2 in nats for float64 arrays x (n×dx), y (n×dy)."""
    n = x.shape[0]
    xy = np.hstack([x, y])
    tree = cKDTree(xy)
    dist, idx = tree.query(xy, k=k + 1, p=np.inf)  # the first neighbour is the point itself
    if variant == 1:
        eps = dist[:, k]
        r = np.nextafter(eps, 0)  # strictly inside ε
        nx = cKDTree(x).query_ball_point(x, r, p=np.inf, return_length=True) - 1
        ny = cKDTree(y).query_ball_point(y, r, p=np.inf, return_length=True) - 1
        return digamma(k) + digamma(n) - np.mean(digamma(nx + 1) + digamma(ny + 1))
    neighbours = idx[:, 1:]
    ex = np.max(np.max(np.abs(x[neighbours] - x[:, None, :]), axis=2), axis=1)
    ey = np.max(np.max(np.abs(y[neighbours] - y[:, None, :]), axis=2), axis=1)
    nx = cKDTree(x).query_ball_point(x, ex, p=np.inf, return_length=True) - 1
    ny = cKDTree(y).query_ball_point(y, ey, p=np.inf, return_length=True) - 1
    return digamma(k) - 1.0 / k + digamma(n) - np.mean(digamma(nx) + digamma(ny))


def sklearn_cc(x, y, k):
    from sklearn.feature_selection._mutual_info import _compute_mi_cc
    return float(_compute_mi_cc(x[:, 0], y[:, 0], k))


def sklearn_cd(x, labels, k):
    from sklearn.feature_selection._mutual_info import _compute_mi_cd
    return float(_compute_mi_cd(x[:, 0], labels, k))


def fixture(path):
    rng = np.random.default_rng(2024)
    cases = []

    def add(name, x, y, labels=None):
        x = np.asarray(x, dtype=np.float32)
        y = np.asarray(y, dtype=np.float32)
        x64, y64 = x.astype(np.float64), y.astype(np.float64)
        case = {"name": name, "x": x.tolist(), "y": y.tolist(), "estimates": {}}
        for k in (1, 3, 5):
            for v in (1, 2):
                case["estimates"]["ksg%d-k%d" % (v, k)] = float(ksg(x64, y64, k, v))
        if x.shape[1] == 1 and y.shape[1] == 1:
            try:
                case["estimates"]["sklearn-cc-k3"] = sklearn_cc(x64, y64, 3)
            except ImportError:
                pass
        if labels is not None:
            case["labels"] = [int(v) for v in labels]
            try:
                case["estimates"]["sklearn-cd-k3"] = sklearn_cd(x64, np.asarray(labels), 3)
            except ImportError:
                pass
        cases.append(case)

    z = rng.standard_normal((300, 2))
    add("bivariate normal rho 0.8", z[:, :1], 0.8 * z[:, :1] + 0.6 * z[:, 1:])
    a = rng.standard_normal((250, 3))
    b = a[:, :2] @ np.array([[1.0, 0.5], [0.2, -1.0]]) + 0.7 * rng.standard_normal((250, 2))
    add("3x2 linear plus noise", a, b)
    u = rng.uniform(size=(200, 1))
    add("uniform additive 0.3", u, u + rng.uniform(-0.3, 0.3, size=(200, 1)))
    labels = rng.integers(0, 3, size=240)
    c = (labels[:, None] + 0.8 * rng.standard_normal((240, 1)))
    add("labels and a shifted normal", c, labels[:, None].astype(np.float64), labels)
    with open(path, "w") as f:
        json.dump({"source": "bench/reference/mi_ksg.py (scipy %s)" % __import__("scipy").__version__, "cases": cases}, f)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--x")
    p.add_argument("--y")
    p.add_argument("--k", type=int, default=3)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=1)
    p.add_argument("--fixture")
    args = p.parse_args()
    if args.fixture:
        fixture(args.fixture)
        return
    x = np.load(args.x).astype(np.float64)
    y = np.load(args.y).astype(np.float64)
    n = x.shape[0]
    runs = [("ksg1", "scipy", lambda: ksg(x, y, args.k, 1)), ("ksg2", "scipy", lambda: ksg(x, y, args.k, 2))]
    if x.shape[1] == 1 and y.shape[1] == 1:
        try:
            import sklearn  # noqa: F401
            runs.append(("ksg1", "sklearn", lambda: sklearn_cc(x, y, args.k)))
        except ImportError:
            pass
    for name, implementation, function in runs:
        times, value = [], None
        cpu0 = time.process_time()
        for _ in range(max(1, args.repetitions)):
            t0 = time.perf_counter()
            value = function()
            times.append(time.perf_counter() - t0)
        cpu = (time.process_time() - cpu0) / max(1, args.repetitions)
        print(json.dumps({
            "suite": "mi", "name": name, "implementation": implementation,
            "parameters": {"n": str(n), "dx": str(x.shape[1]), "dy": str(y.shape[1]), "k": str(args.k),
                           "threads": str(args.threads), "omp": os.environ.get("OMP_NUM_THREADS", "")},
            "seconds": statistics.median(times),
            "metrics": {"value": float(value), "cpuSeconds": cpu},
        }), flush=True)


if __name__ == "__main__":
    main()
