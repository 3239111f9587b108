"""Shared helpers: the smpsim binary, and a reduced copy of the demo scenario."""
from __future__ import annotations

import csv
import json
import os
import subprocess
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]


def smpsim_bin() -> str:
    path = os.environ.get("SMPSIM", str(ROOT / "build" / "smpsim"))
    if not Path(path).exists():
        pytest.exit(f"smpsim binary not found at {path}: build first (make test does)", returncode=1)
    return path


def run_smpsim(*args: str, check: bool = False, timeout: float = 600) -> subprocess.CompletedProcess:
    p = subprocess.run([smpsim_bin(), *map(str, args)], capture_output=True, text=True, timeout=timeout)
    if check and p.returncode != 0:
        raise AssertionError(f"smpsim {' '.join(map(str, args))} failed ({p.returncode}):\n{p.stderr}")
    return p


def demo_scenario(tmp: Path, acquisitions: int, warmup: int, **workload) -> Path:
    """scenarios/ticket_vs_mcs.json with fewer acquisitions (tests need shape, not precision)."""
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = acquisitions
    doc["workload"].update(workload)
    doc["run"]["warmup_ops"] = warmup
    path = tmp / "scenario.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.fixture(scope="session")
def demo_sweep(tmp_path_factory) -> Path:
    """The demo experiment (opteron48, a=20000, s=400, exponential think) at
    every core count 1-48, 600 acquisitions per core."""
    tmp = tmp_path_factory.mktemp("demo")
    scen = demo_scenario(tmp, acquisitions=600, warmup=60)
    out = tmp / "out"
    run_smpsim("sweep", scen, "--cores", "1-48", "--jobs", "2", "--out", out, check=True)
    return out


def sweep(tmp_path, scenario, cores, edit=None, **workload):
    """Sweeps a shipped scenario with some workload fields changed (and `edit(doc)`
    applied); returns (speedup by variant and cores, the result documents)."""
    doc = json.loads((ROOT / "scenarios" / scenario).read_text())
    doc["workload"].update(workload)
    if edit:
        edit(doc)
    path = tmp_path / scenario
    path.write_text(json.dumps(doc))
    out = tmp_path / (scenario + ".out")
    run_smpsim("sweep", path, "--cores", cores, "--jobs", "2", "--out", out, check=True)
    speedups = {}
    with open(out / "summary.csv", newline="") as f:
        for r in csv.DictReader(f):
            if r["speedup"]:  # empty without a 1-core baseline
                speedups.setdefault(r["variant"], {})[int(r["cores"])] = float(r["speedup"])
    docs = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    return speedups, docs
