"""Shared helpers of the entropy reference scripts: arguments, timing, the JSON record shape
of entropybook's BenchRecord (suite, name, implementation, parameters, seconds, metrics)."""
import argparse
import json
import os
import statistics
import time


def arguments(description):
    p = argparse.ArgumentParser(description=description)
    p.add_argument("--npy", required=True, help="n×d float32 data (already whitened) written by entropybook")
    p.add_argument("--bandwidth", type=float, required=True, help="kernel bandwidth h")
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--repetitions", type=int, default=1)
    return p.parse_args()


def timed(function, repetitions):
    """Median wall-clock seconds of `function()` over `repetitions` runs, and its last result."""
    times, result = [], None
    cpu0 = time.process_time()
    for _ in range(max(1, repetitions)):
        t0 = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - t0)
    timed.cpu_seconds = (time.process_time() - cpu0) / max(1, repetitions)
    return statistics.median(times), result


def emit(name, implementation, args, n, d, seconds, value):
    print(json.dumps({
        "suite": "entropy", "name": name, "implementation": implementation,
        "parameters": {"n": str(n), "d": str(d), "threads": str(args.threads), "bandwidth": "%.6f" % args.bandwidth,
                       "omp": os.environ.get("OMP_NUM_THREADS", "")},
        "seconds": seconds,
        "metrics": {"value": float(value), "cpuSeconds": getattr(timed, "cpu_seconds", float("nan"))},
    }), flush=True)
