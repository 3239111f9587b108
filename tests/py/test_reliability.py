"""Runaway scenarios end with a partial result and exit code 4; every shipped scenario is deterministic."""
from __future__ import annotations

import json
import math
import time

import pytest

from conftest import ROOT, run_smpsim



def _scenario_cases():
    """Every shipped scenario's base; a scenario whose sweep has a /design axis (the design review), once per
    design of the axis."""
    cases = []
    for p in sorted(p for p in (ROOT / "scenarios").rglob("*.json")
                    if p.name != "schema.json" and p.parent.name != "library"):
        designs = json.loads(p.read_text()).get("sweep", {}).get("set", {}).get("/design")
        rel = str(p.relative_to(ROOT / "scenarios"))
        cases += [(f"{rel}+design={d['kind']}", p, i) for i, d in enumerate(designs)] if designs else [(rel, p, None)]
    return cases


SCENARIO_CASES = _scenario_cases()
CASE_IDS = [c[0] for c in SCENARIO_CASES]


def scenario_doc(case) -> dict:
    _, path, design = case
    doc = json.loads(path.read_text())
    if design is not None:
        doc["design"] = doc["sweep"]["set"]["/design"][design]
    return doc


def runaway(tmp_path, **run):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc.pop("variants")
    doc["workload"]["acquisitions_per_core"] = 10**9  # would take days
    doc["run"].update(run)
    path = tmp_path / "runaway.json"
    path.write_text(json.dumps(doc))
    return path


@pytest.mark.parametrize("limit, reason", [({"max_events": 50000}, "run.max_events (50000 simulated events) reached"),
                                           ({"max_sim_time_ns": 1e6}, "run.max_sim_time_ns (1e+06 ns simulated)")])
def test_a_runaway_run_stops_at_its_limit_with_a_partial_result(tmp_path, limit, reason):
    p = run_smpsim("run", runaway(tmp_path, **limit), "--cores", "8", timeout=120)
    assert p.returncode == 4, p.stderr
    assert reason in p.stderr and "partial" in p.stderr
    m = json.loads(p.stdout)["metrics"]
    assert reason in m["incomplete"]["reason"]
    assert m["ops"] > 0 and m["makespan_ns"] > 0
    if "max_sim_time_ns" in limit:
        assert m["makespan_ns"] == pytest.approx(1e6, rel=0.01)
    # a partial result is still sane: no negative or NaN time anywhere
    for c in m["cores"]:
        assert all(v >= 0 and not math.isnan(v) for v in c["time_ns"].values())


def test_the_host_wall_clock_limit_ends_a_run(tmp_path):
    t0 = time.monotonic()
    p = run_smpsim("run", runaway(tmp_path, max_wall_s=1.0), "--cores", "8", timeout=120)
    assert p.returncode == 4 and "run.max_wall_s" in p.stderr
    assert time.monotonic() - t0 < 20


def test_a_sweep_with_a_runaway_point_fails_without_results(tmp_path):
    out = tmp_path / "out"
    p = run_smpsim("sweep", runaway(tmp_path, max_events=20000), "--cores", "2", "--out", out, timeout=120)
    assert p.returncode != 0
    assert not (out / "results.jsonl").exists()


@pytest.mark.parametrize("scenario", SCENARIO_CASES, ids=CASE_IDS)
def test_every_scenario_gives_byte_identical_results_twice(scenario, tmp_path):
    """At small sizes: each run stops after 20,000 simulated events (a deterministic cut) if not done before."""
    doc = scenario_doc(scenario)
    doc.setdefault("run", {})["max_events"] = 20000
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    a = run_smpsim("run", path, timeout=300)  # the scenario's own core count
    b = run_smpsim("run", path, timeout=300)
    assert a.returncode in (0, 3, 4), a.stderr
    assert a.returncode == b.returncode
    if a.returncode == 3:  # a deadlock: the report is the output
        assert a.stderr == b.stderr and "lock-order cycle" in a.stderr
    else:
        assert a.stdout == b.stdout and a.stdout


@pytest.mark.parametrize("limit", ["max_events", "max_wall_s"])
def test_guards_hold_for_steps_that_make_no_event(tmp_path, limit):
    """Nested repeats of zero-cycle steps advance no simulated time and make no event: the guards count the
    steps (1,024 to an event for max_events; the host clock every 4,096 for max_wall_s) and stop the run."""
    import time
    doc = json.loads((ROOT / "scenarios" / "new_idea.json").read_text())
    doc.pop("variants")
    doc["design"]["recipes"] = {"page_fault": [{"repeat": 1000000, "do": [{"repeat": 1000000, "do": [{"compute": 0}]}]}]}
    doc["run"][limit] = 1000 if limit == "max_events" else 2
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    t0 = time.monotonic()
    p = run_smpsim("run", path, "--cores", "2", "--result-file", tmp_path / "r.json", timeout=60)
    assert p.returncode == 4, p.stderr
    assert time.monotonic() - t0 < 30
    r = json.loads((tmp_path / "r.json").read_text())
    assert f"run.{limit}" in r["metrics"]["incomplete"]["reason"]
