"""Reference for `entropybook bench dimension`: scikit-dimension 0.5.0's DANCo (k=10, a
fresh random_state per calibration: the calibration by simulation is part of the time; the
mean and spread of the answers over --calibrations draws, as the Swift side reports),
ESS, MiND_ML and DADApy's Gride (n1 = 1, from return_id_scaling_gride) on the points the
Swift side wrote (raw float32, n x d). Prints BenchRecord JSON lines.

    python3 bench/reference/dimension_skdim_id.py --n 2000 --d 36 --data points.f32
"""
import argparse
import json
import time
import warnings

import numpy as np
import skdim
from dadapy import Data


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--n", type=int, required=True)
    p.add_argument("--d", type=int, required=True)
    p.add_argument("--data", required=True)
    p.add_argument("--repetitions", type=int, default=3)
    p.add_argument("--threads", type=str, default="2")
    p.add_argument("--calibrations", type=int, default=10)
    a = p.parse_args()
    x = np.fromfile(a.data, dtype="<f4").reshape(a.n, a.d).astype(np.float64)
    params = {"n": str(a.n), "d": str(a.d), "threads": a.threads, "data": "M6_Nonlinear (6, 36)"}
    seeds = iter(range(1000, 2000))
    fits = [
        ("danco", lambda: skdim.id.DANCo(random_state=next(seeds)).fit(x).dimension_),
        ("ess", lambda: skdim.id.ESS().fit(x).dimension_),
        ("mind-ml", lambda: skdim.id.MiND_ML().fit(x).dimension_),
        ("gride", lambda: Data(coordinates=x, verbose=False).return_id_scaling_gride(range_max=64)[0][0]),
    ]
    for name, fit in fits:
        times, values = [], []
        # ESS takes minutes: one repetition is enough to rank it. DANCo: one per calibration.
        reps = {"ess": 1, "danco": a.calibrations}.get(name, a.repetitions)
        for _ in range(reps):
            t0 = time.perf_counter()
            with warnings.catch_warnings():
                warnings.simplefilter("ignore")
                values.append(float(fit()))
            times.append(time.perf_counter() - t0)
        times.sort()
        metrics = {"dimension": float(np.mean(values))}
        if name == "danco":
            metrics["dimension_sd"] = float(np.std(values, ddof=1)) if len(values) > 1 else float("nan")
            metrics["calibrations"] = float(len(values))
        print(json.dumps({"suite": "dimension", "name": name,
                          "implementation": "dadapy" if name == "gride" else "skdim",
                          "parameters": params, "seconds": times[len(times) // 2],
                          "metrics": metrics}), flush=True)


if __name__ == "__main__":
    main()
