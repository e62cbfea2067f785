"""Per-column statistics of scikit-dimension 0.5.0's 24 BenchmarkManifolds (n = 2 500,
random_state = 0): intrinsic and ambient dimension, and each column's mean, min and max.
Written to Tests/DatasetsTests/Fixtures/skdim-benchmark-stats.json, which
ScikitDimensionManifoldTests compares the native generators with.

    pip install scikit-dimension==0.5.0 pandas
    python3 bench/reference/skdim_benchmark_stats.py
"""
import json
import pathlib

import numpy as np
import skdim

OUT = pathlib.Path(__file__).resolve().parents[2] / "Tests/DatasetsTests/Fixtures/skdim-benchmark-stats.json"


def main():
    bm = skdim.datasets.BenchmarkManifolds(random_state=0)
    data = bm.generate(n=2500)
    out = {}
    for name, x in data.items():
        k, dim, _ = bm._dict_truth[name]
        out[name] = {"k": int(k), "D": int(dim), "mean": x.mean(axis=0).round(6).tolist(),
                     "std": x.std(axis=0).round(6).tolist(),
                     "min": x.min(axis=0).round(6).tolist(), "max": x.max(axis=0).round(6).tolist()}
    OUT.write_text(json.dumps({"skdim": skdim.__version__, "n": 2500, "manifolds": out}, indent=0) + "\n")
    print(f"wrote {OUT} ({len(out)} manifolds)")


if __name__ == "__main__":
    main()
