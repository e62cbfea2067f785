"""Makes the DimensionTests fixture and prints scikit-dimension's estimates on it.

The fixture is 1 000 points of a 4-dimensional curved manifold in R^8, stored as raw
little-endian float32, row-major (1000 x 8 = 32 000 bytes):
Tests/DimensionTests/Fixtures/manifold4-1000x8.f32. The estimates printed here are the
reference values recorded in Tests/DimensionTests/ScikitDimensionAgreementTests.swift.

    python3 bench/reference/skdim_fixture.py            # print skdim's numbers
    python3 bench/reference/skdim_fixture.py --write    # (re)write the fixture first
"""
import json
import pathlib
import sys

import numpy as np
import skdim

FIXTURE = pathlib.Path(__file__).resolve().parents[2] / "Tests/DimensionTests/Fixtures/manifold4-1000x8.f32"
N, D = 1000, 8


def make_points() -> np.ndarray:
    rng = np.random.default_rng(20261129)
    t = rng.random((N, 4))
    x = np.column_stack([
        t[:, 0], t[:, 1], t[:, 2], t[:, 3],
        np.sin(2.0 * t[:, 0]) * t[:, 1],
        np.cos(1.5 * t[:, 2]) + 0.5 * t[:, 3] ** 2,
        t[:, 0] * t[:, 3],
        np.exp(0.5 * t[:, 1]) * t[:, 2],
    ])
    return x.astype("<f4")


def main() -> None:
    if "--write" in sys.argv:
        make_points().tofile(FIXTURE)
    # The estimators run in float64 on exactly the stored float32 values.
    x = np.fromfile(FIXTURE, dtype="<f4").reshape(N, D).astype(np.float64)
    estimates = {
        "corrint_k1_10_k2_20": float(skdim.id.CorrInt(k1=10, k2=20).fit(x).dimension_),
        "mle_k20": float(skdim.id.MLE().fit(x, n_neighbors=20).dimension_),
        "twonn_discard_0.1": float(skdim.id.TwoNN(discard_fraction=0.1).fit(x).dimension_),
    }
    print(json.dumps({"skdim": getattr(skdim, "__version__", "unknown"), "fixture": FIXTURE.name,
                      "estimates": estimates}, indent=1))


if __name__ == "__main__":
    main()
