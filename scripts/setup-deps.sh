#!/usr/bin/env bash
# Installs the Debian packages smpsim needs, only those that are missing, then
# makes the Python venv (.venv) with the analysis package installed editable.
# Idempotent: a second run does nothing but check.
set -euo pipefail
cd "$(dirname "$0")/.."

PKGS=(build-essential cmake pkg-config
      libsimgrid-dev nlohmann-json3-dev libfmt-dev catch2 libcli11-dev
      python3 python3-venv python3-pip python3-setuptools python3-matplotlib python3-pandas python3-scipy
      python3-pytest python3-pytest-xdist python3-jsonschema
      chromium  # the report test renders the HTML report headless
      clang libclang-rt-14-dev  # the scenario fuzzer (libFuzzer)
      slurmctld slurmd slurm-client munge)  # the Slurm integration test starts its own single-node cluster

missing=()
for p in "${PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "setup: installing ${missing[*]}"
  SUDO=""
  [ "$(id -u)" -eq 0 ] || SUDO="sudo"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# The trace viewer the trace test opens in headless Chromium (speedscope, from the npm registry).
python3 scripts/fetch-trace-viewer.py

# The analysis venv sees Debian's matplotlib/pandas/scipy; PyPI is not needed.
if [ ! -x .venv/bin/smpsim-plot ] || [ pyproject.toml -nt .venv/.installed ]; then
  /usr/bin/python3 -m venv --system-site-packages .venv
  .venv/bin/pip install -q --no-deps --no-build-isolation -e . 
  touch .venv/.installed
fi
