"""The 40 tasks of benchmark-mi (Czyż et al. 2023) with their true mutual information, as
bmi computes it: the fixture Tests/DatasetsTests/Fixtures/mi-tasks.json that the native
generators' closed forms are checked against.

    pip install benchmark-mi "jax==0.4.30" "jaxlib==0.4.30" "equinox==0.11.4"
    (pins that import here: tensorflow-probability==0.20.1 "numpy<2" "pandas<2" "pydantic<2" "ml_dtypes<0.5")
    python bench/reference/mi_tasks_fixture.py > Tests/DatasetsTests/Fixtures/mi-tasks.json
"""
import json

import numpy as np
from bmi.benchmark import BENCHMARK_TASKS

rows = []
for task_id, task in BENCHMARK_TASKS.items():
    x, y = task.sample(2000, seed=0)
    rows.append({
        "id": task_id,
        "name": task.name,
        "dim_x": int(task.dim_x),
        "dim_y": int(task.dim_y),
        "mutual_information": float(task.mutual_information),
        # Medians of |x| and |y| over 2 000 draws: a check on the transforms' scales.
        "median_abs_x": float(np.median(np.abs(np.asarray(x)))),
        "median_abs_y": float(np.median(np.abs(np.asarray(y)))),
    })
print(json.dumps({"source": "benchmark-mi 0.1.3, BENCHMARK_TASKS", "tasks": rows}, indent=1))
