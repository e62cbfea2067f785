#!/usr/bin/env python3
"""Writes tasks of Czyz et al.'s MI benchmark (PyPI benchmark-mi 0.1.3) for
`ENTROPYBOOK_MI_TASKS=DIR entropybook bench mi-neural`: DIR/<task>/x.npy, y.npy (float32) and
task.json ({"name", "truth", "n", "seed"}). With --reference also runs bmi's own InfoNCE and
NWJ estimators (their defaults: critic 16-8, batch 256, lr 0.1, <= 10 000 steps, early
stopping) on the same rows and prints one BenchRecord JSON line per (task, estimator).

bmi needs an older JAX: pip install benchmark-mi "jax==0.4.30" "jaxlib==0.4.30"
"equinox==0.11.4" (pip may refuse the equinox pin: install the other dependencies, then
benchmark-mi with --no-deps).
"""
import argparse
import json
import os
import time

import numpy as np

DEFAULT_TASKS = [
    "1v1-normal-0.75", "1v1-additive-0.1", "wiggly-1v1-normal-0.75", "student-identity-2-2-1",
    "multinormal-dense-5-5-0.5", "multinormal-dense-25-25-0.5", "multinormal-dense-50-50-0.5",
    "multinormal-sparse-25-25-2-2.0", "half_cube-multinormal-sparse-5-5-2-2.0",
    "spiral-multinormal-sparse-25-25-2-2.0",
]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", required=True)
    ap.add_argument("--n", type=int, default=5000)
    ap.add_argument("--seed", type=int, default=0)
    ap.add_argument("--tasks", default=",".join(DEFAULT_TASKS))
    ap.add_argument("--reference", default="", help="comma-separated tasks to run bmi's estimators on")
    args = ap.parse_args()
    from bmi.benchmark import BENCHMARK_TASKS
    import bmi

    for name in args.tasks.split(","):
        task = BENCHMARK_TASKS[name]
        x, y = task.sample(args.n, seed=args.seed)
        x, y = np.asarray(x, dtype=np.float32), np.asarray(y, dtype=np.float32)
        folder = os.path.join(args.out, name)
        os.makedirs(folder, exist_ok=True)
        np.save(os.path.join(folder, "x.npy"), x.reshape(args.n, -1))
        np.save(os.path.join(folder, "y.npy"), y.reshape(args.n, -1))
        with open(os.path.join(folder, "task.json"), "w") as f:
            json.dump({"name": name, "truth": float(task.mutual_information), "n": args.n, "seed": args.seed}, f)
        if name not in args.reference.split(","):
            continue
        for label, estimator in (("infonce", bmi.estimators.InfoNCEEstimator(verbose=False)),
                                 ("nwj", bmi.estimators.NWJEstimator(verbose=False))):
            start = time.perf_counter()
            result = estimator.estimate_with_info(x, y)
            seconds = time.perf_counter() - start
            info = result.additional_information
            print(json.dumps({
                "suite": "mi-neural", "name": "task-" + label, "implementation": "bmi-jax",
                "parameters": {"task": name, "n": str(args.n), "dx": str(x.reshape(args.n, -1).shape[1]),
                               "dy": str(y.reshape(args.n, -1).shape[1])},
                "seconds": seconds,
                "metrics": {"estimate": float(result.mi_estimate), "truth": float(task.mutual_information),
                            "error": float(result.mi_estimate) - float(task.mutual_information),
                            "steps": float(info.get("n_training_steps", float("nan")))},
            }), flush=True)


if __name__ == "__main__":
    main()
