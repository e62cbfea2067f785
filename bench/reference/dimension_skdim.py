"""Reference for `entropybook bench dimension`: scikit-dimension's CorrInt (k1=10, k2=20),
MLE (k=20) and TwoNN on N points in D dimensions, timed. Prints BenchRecord JSON lines.

    python3 bench/reference/dimension_skdim.py --n 5000 --d 784 --repetitions 3
"""
import argparse
import json
import time

import numpy as np
import skdim


def timed(fit, repetitions):
    times, value = [], None
    for _ in range(repetitions):
        t0 = time.perf_counter()
        value = fit()
        times.append(time.perf_counter() - t0)
    times.sort()
    return times[len(times) // 2], float(value)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, default=5000)
    p.add_argument("--d", type=int, default=784)
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--threads", type=str, default="2")
    a = p.parse_args()
    rng = np.random.default_rng(0)
    x = rng.random((a.n, a.d), dtype=np.float32)
    params = {"n": str(a.n), "d": str(a.d), "threads": a.threads, "data": "uniform[0,1)"}
    for name, fit in [
        ("corrint", lambda: skdim.id.CorrInt(k1=10, k2=20).fit(x).dimension_),
        ("mle", lambda: skdim.id.MLE().fit(x, n_neighbors=20).dimension_),
        ("twonn", lambda: skdim.id.TwoNN().fit(x).dimension_),
    ]:
        seconds, value = timed(fit, a.repetitions)
        print(json.dumps({"suite": "dimension", "name": name, "implementation": "skdim",
                          "parameters": params, "seconds": seconds, "metrics": {"dimension": value}}))


if __name__ == "__main__":
    main()
