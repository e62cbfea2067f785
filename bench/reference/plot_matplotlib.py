"""Reference for `entropybook bench plot`: the same 10-series line chart drawn by
matplotlib (Agg) to PNG bytes in memory at 900x560 and 1600x1000 pixels. Prints
BenchRecord JSON lines (median of --repetitions after one warm-up)."""
import argparse
import io
import json
import time

import numpy as np
import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402


def render(x, ys, width, height, dpi):
    fig, ax = plt.subplots(figsize=(width / dpi, height / dpi), dpi=dpi)
    for i, y in enumerate(ys):
        ax.plot(x, y, label=f"series {i + 1}")
    ax.set_title(f"{len(ys)} series x {len(x)} points")
    ax.set_xlabel("step")
    ax.set_ylabel("value")
    ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1))
    fig.tight_layout()
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=dpi)
    plt.close(fig)
    return buffer.getbuffer().nbytes


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--series", type=int, default=10)
    parser.add_argument("--points", type=int, default=10000)
    parser.add_argument("--repetitions", type=int, default=5)
    args = parser.parse_args()
    rng = np.random.default_rng(0)
    x = np.arange(args.points, dtype=float)
    ys = [np.sin(x / 700 + s) + 0.1 * rng.uniform(-1, 1, args.points) + 0.3 * s for s in range(args.series)]
    for size, (width, height, dpi) in {"report": (900, 560, 100), "slide": (1600, 1000, 160)}.items():
        render(x, ys, width, height, dpi)
        times = []
        for _ in range(args.repetitions):
            t0 = time.perf_counter()
            nbytes = render(x, ys, width, height, dpi)
            times.append(time.perf_counter() - t0)
        times.sort()
        print(json.dumps({
            "suite": "plot", "name": "line-chart-png", "implementation": "matplotlib " + matplotlib.__version__,
            "parameters": {"series": str(args.series), "points": str(args.points), "size": size,
                           "pixels": f"{width}x{height}"},
            "seconds": times[len(times) // 2], "metrics": {"png_bytes": float(nbytes)},
        }))


if __name__ == "__main__":
    main()
