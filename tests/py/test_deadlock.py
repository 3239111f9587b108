"""The deadlock detector: a lock-order cycle ends the run with the cycle and exit code 3."""
from __future__ import annotations

import json
import re

from conftest import ROOT, run_smpsim

SCEN = ROOT / "scenarios" / "deadlock_cycle.json"


def test_a_lock_order_cycle_is_reported_with_its_locks_and_cpus():
    p = run_smpsim("run", SCEN, "--cores", "4", timeout=60)
    assert p.returncode == 3, p.stderr
    assert p.stdout == ""
    assert "lock-order cycle of 2 CPUs" in p.stderr
    edges = re.findall(r"CPU (\d+) holds (\S+) and waits for (\S+), held by CPU (\d+)", p.stderr)
    assert len(edges) == 2
    (a, a_holds, a_wants, a_next), (b, b_holds, b_wants, b_next) = edges
    # each waits for what the other holds
    assert (a_next, b_next) == (b, a)
    assert a_wants == b_holds and b_wants == a_holds
    assert {a_holds, a_wants} == {"file0.f_lock", "file0.mapping.xa_lock"}
    assert "Oops" not in p.stderr  # the engine's own message is not shown


def test_the_same_recipes_in_one_order_never_deadlock(tmp_path):
    doc = json.loads(SCEN.read_text())
    doc["design"]["recipes"]["b_then_a"] = doc["design"]["recipes"]["a_then_b"]
    doc["workload"]["ops_per_core"] = 200
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("run", path, "--cores", "4", timeout=60)
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["metrics"]["ops"] == 800


def test_a_deadlocked_point_fails_in_a_sweep_without_a_half_written_result(tmp_path):
    out = tmp_path / "out"
    p = run_smpsim("sweep", SCEN, "--cores", "1,4", "--out", out, timeout=120)
    assert p.returncode != 0
    assert "lock-order cycle" in p.stderr
    assert not (out / "results.jsonl").exists()
