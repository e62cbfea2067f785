"""Reference values of DANCo, ESS, MiND-ML (scikit-dimension 0.5.0) and Gride (DADApy) on
the committed DimensionTests fixtures, written to
Tests/DimensionTests/Fixtures/id-estimators.json and read by IntrinsicDimensionEstimatorTests.

    pip install scikit-dimension==0.5.0 pandas dadapy
    python3 bench/reference/skdim_id_fixtures.py

The estimators run in float64 on exactly the stored float32 values. DANCo's calibration
by simulation is random: its value is given for two random_state's.
"""
import json
import pathlib
import time
import warnings

import numpy as np
import skdim
from dadapy import Data

ROOT = pathlib.Path(__file__).resolve().parents[2]
FIXTURES = ROOT / "Tests/DimensionTests/Fixtures"
ESS_ROWS = 300
SETS = [
    # name, file, rows kept, stored columns
    ("manifold4", "manifold4-1000x8.f32", 1000, 8),
    ("helix", "helix-2500x3.f32", 1000, 3),
]


def load(file, rows, columns, keep):
    x = np.fromfile(FIXTURES / file, dtype="<f4").reshape(rows, columns)[:keep]
    return x.astype(np.float64)


def main():
    out = {"skdim": skdim.__version__, "sets": {}}
    for name, file, keep, columns in SETS:
        total = 2500 if name == "helix" else 1000
        x = load(file, total, columns, keep)
        entry = {"file": file, "rows": keep, "columns": columns}
        t = time.perf_counter()
        danco = [float(skdim.id.DANCo(random_state=s).fit(x).dimension_) for s in (0, 1)]
        entry["danco_k10"] = danco
        entry["danco_seconds"] = (time.perf_counter() - t) / 3
        entry["mind_ml_k20_D10"] = float(skdim.id.MiND_ML().fit(x).dimension_)
        t = time.perf_counter()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            # ESS takes 4 950 determinants per point in Python: on the first ESS_ROWS rows only.
            entry["ess_a_100"] = float(skdim.id.ESS().fit(x[:ESS_ROWS]).dimension_)
            entry["ess_rows"] = ESS_ROWS
        entry["ess_seconds"] = time.perf_counter() - t
        ids, errs, _ = Data(coordinates=x, verbose=False).return_id_scaling_gride(range_max=64)
        entry["gride_dadapy_n1_1_to_32"] = [float(v) for v in ids]
        entry["gride_dadapy_error"] = [float(v) for v in errs]
        g = skdim.id.GRIDE(multiscale=True, range_max=64).fit(x)
        entry["gride_skdim_n1_1_to_32"] = [float(v) for v in g.dimension_scales_]
        out["sets"][name] = entry
        print(name, json.dumps(entry), flush=True)
    (FIXTURES / "id-estimators.json").write_text(json.dumps(out, indent=1) + "\n")


if __name__ == "__main__":
    main()
