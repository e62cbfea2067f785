"""Sample-propagation entropy (Goldfeld et al., ICML 2019) in blocked numpy: the baseline
entropybook's `sp-entropy` is compared with, on the same samples and the same Monte-Carlo draws.

The samples are standardised here (centre, divide by the sd with divisor n-1; log-det Σ ln sd),
the draws y_j = s_{i_j} + σ z_j come from entropybook (already in standardised units, so both
sides average over the same points), and

h = -(1/m) Σ_j ln[ (1/n) Σ_i (2πσ²)^(-d/2) exp(-|y_j - s_i|²/(2σ²)) ],

draws in blocks of 1024 rows, distances by |y|² + |s|² - 2 y·s in float32 (BLAS), log-sum-exp per
row in float64."""
import argparse
import json
import os

import numpy as np

from entropy_common import timed


def standardise(x):
    x64 = x.astype(np.float64)
    mean, sd = x64.mean(axis=0), x64.std(axis=0, ddof=1)
    return ((x64 - mean) / sd).astype(np.float32), float(np.log(sd).sum())


def sp_entropy(s, y, sigma, block=1024):
    n, d = s.shape
    s_norms = np.einsum("ij,ij->i", s, s)
    c = np.float32(1.0 / (2.0 * sigma * sigma))
    offset = np.log(n) + 0.5 * d * np.log(2.0 * np.pi * sigma * sigma)
    terms = np.empty(y.shape[0])
    for j0 in range(0, y.shape[0], block):
        yb = y[j0:j0 + block]
        dist = np.einsum("ij,ij->i", yb, yb)[:, None] + s_norms[None, :] - 2.0 * (yb @ s.T)
        np.maximum(dist, 0.0, out=dist)
        a = dist * -c
        top = a.max(axis=1)
        terms[j0:j0 + block] = offset - (top + np.log(np.exp(a - top[:, None]).sum(axis=1, dtype=np.float64)))
    return terms.mean(), terms.std(ddof=1) / np.sqrt(len(terms))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("--npy", required=True, help="n×d float32 raw samples written by entropybook")
    p.add_argument("--draws", required=True, help="m×d float32 draws (standardised units) written by entropybook")
    p.add_argument("--sigma", type=float, required=True, help="noise σ (standardised units)")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=1)
    args = p.parse_args()
    x = np.ascontiguousarray(np.load(args.npy), dtype=np.float32)
    y = np.ascontiguousarray(np.load(args.draws), dtype=np.float32)
    n, d = x.shape

    def run():
        s, logdet = standardise(x)
        return sp_entropy(s, y, args.sigma) + (logdet,)

    run()  # warm-up (BLAS threads, page faults)
    seconds, (value, se, logdet) = timed(run, args.repetitions)
    print(json.dumps({
        "suite": "entropy", "name": "sp-entropy", "implementation": "numpy",
        "parameters": {"n": str(n), "d": str(d), "m": str(y.shape[0]), "threads": str(args.threads),
                       "sigma": "%g" % args.sigma, "omp": os.environ.get("OMP_NUM_THREADS", "")},
        "seconds": seconds,
        "metrics": {"value": float(value), "standardError": float(se), "logdet": logdet,
                    "cpuSeconds": getattr(timed, "cpu_seconds", float("nan"))},
    }), flush=True)


if __name__ == "__main__":
    main()
