"""Makes the DimensionTests curve fixtures and prints scikit-dimension's estimates on them.

Two 1-D curves of scikit-dimension's BenchmarkManifolds at n = 2 500, where a Float32
neighbour search loses the small distances (see NearestNeighbors in
Sources/Linalg/PairwiseDistances.swift):

- helix-2500x3.f32: M5a "Helix1d", t = 2π/n + 2π·u, ((2 + cos 8t)·cos t, (2 + cos 8t)·sin t, sin 8t).
- spiral-2500x3.f32: M13b "Spiral" in R^13, t = 10π·u, (100·cos t, 100·sin t, t, 0, …, 0);
  only the three non-zero columns are stored, the test appends the ten zero columns.

Raw little-endian float32, row-major. The estimates printed here (float64 on exactly the
stored float32 values) are the reference values in
Tests/DimensionTests/ScikitDimensionAgreementTests.swift.

    python3 bench/reference/skdim_curve_fixtures.py            # print skdim's numbers
    python3 bench/reference/skdim_curve_fixtures.py --write    # (re)write the fixtures first
"""
import json
import pathlib
import sys
import warnings

import numpy as np
import skdim

FIXTURES = pathlib.Path(__file__).resolve().parents[2] / "Tests/DimensionTests/Fixtures"
N = 2500


def helix(rng: np.random.Generator) -> np.ndarray:
    t = 2 * np.pi / N + rng.random(N) * 2 * np.pi
    return np.column_stack([(2 + np.cos(8 * t)) * np.cos(t), (2 + np.cos(8 * t)) * np.sin(t), np.sin(8 * t)])


def spiral(rng: np.random.Generator) -> np.ndarray:
    t = 10 * np.pi * rng.random(N)
    return np.column_stack([100 * np.cos(t), 100 * np.sin(t), t])


CURVES = {"helix-2500x3.f32": (helix, 20261129, 3), "spiral-2500x3.f32": (spiral, 20261130, 13)}


def main() -> None:
    out = {"skdim": getattr(skdim, "__version__", "unknown"), "estimates": {}}
    for name, (make, seed, ambient) in CURVES.items():
        path = FIXTURES / name
        if "--write" in sys.argv:
            make(np.random.default_rng(seed)).astype("<f4").tofile(path)
        x = np.fromfile(path, dtype="<f4").reshape(N, 3).astype(np.float64)
        x = np.hstack([x, np.zeros((N, ambient - 3))])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out["estimates"][name] = {
                "ambient": ambient,
                "twonn_discard_0.1": float(skdim.id.TwoNN(discard_fraction=0.1).fit(x).dimension_),
                "mle_k20": float(skdim.id.MLE().fit(x, n_neighbors=20).dimension_),
                "corrint_k1_10_k2_20": float(skdim.id.CorrInt(k1=10, k2=20).fit(x).dimension_),
            }
    print(json.dumps(out, indent=1))


if __name__ == "__main__":
    main()
