"""The lookahead (engine/simgrid_clock.cpp) changes how many events the engine takes, never a result."""
from __future__ import annotations

import json
import os
import subprocess

import pytest

from conftest import ROOT, smpsim_bin
from test_reliability import CASE_IDS, SCENARIO_CASES, scenario_doc


def run(path, lookahead: bool, *args):
    env = dict(os.environ, SMPSIM_LOOKAHEAD="1" if lookahead else "0")
    return subprocess.run([smpsim_bin(), "run", str(path), *map(str, args)], capture_output=True, text=True,
                          env=env, timeout=300)


@pytest.mark.parametrize("scenario", SCENARIO_CASES, ids=CASE_IDS)
def test_results_are_the_same_with_and_without_lookahead(scenario, tmp_path):
    doc = scenario_doc(scenario)
    doc.setdefault("run", {})["max_events"] = 20000  # the same cut in both: it counts simulated events
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    on, off = run(path, True), run(path, False)
    assert on.returncode in (0, 3, 4), on.stderr
    assert on.returncode == off.returncode
    if on.returncode == 3:  # a deadlock report
        assert on.stderr == off.stderr
        return
    a, b = json.loads(on.stdout), json.loads(off.stdout)
    ea, eb = a["metrics"].pop("engine_events"), b["metrics"].pop("engine_events")
    assert ea <= eb
    assert a == b


def test_lookahead_saves_engine_events_where_cpus_work_apart(tmp_path):
    """Ticket lock, 4 CPUs, think time 50x the critical section: most events are private stretches."""
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc.pop("variants")
    doc["workload"]["acquisitions_per_core"] = 300
    doc["run"]["warmup_ops"] = 30
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    on = json.loads(run(path, True, "--cores", "4").stdout)["metrics"]
    off = json.loads(run(path, False, "--cores", "4").stdout)["metrics"]
    assert off["simulated_events"] == on["simulated_events"]
    assert off["engine_events"] >= off["simulated_events"]  # without lookahead: every event (and a few yields)
    assert on["engine_events"] < 0.4 * off["engine_events"]
    one = json.loads(run(path, True, "--cores", "1").stdout)["metrics"]
    assert one["engine_events"] == 0 and one["simulated_events"] > 600  # one CPU: nobody to wait for


def test_cpus_due_at_the_same_time_do_not_livelock(tmp_path):
    """A CPU resumed at t yields to a CPU due at t with a smaller number; when engine sleeps computed their end
    from their start, rounding could put that CPU in a later engine step and the yields never ended (exim on
    the msgport design, 128 CPUs of a 256-CPU machine, 10 rounds: minutes of yields, now under a second)."""
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
    exim = next(v for v in doc.pop("variants") if v["name"] == "exim")
    doc["design"] = next(d for d in doc.pop("sweep")["set"]["/design"] if d["kind"] == "msgport")
    doc["machine"] = {"preset": "epyc96", "sockets": 4, "dies_per_socket": 8, "cores_per_die": 8,
                      "threads_per_core": 1}
    doc["workload"] = exim["set"]["/workload"]
    doc["run"]["warmup_ops"] = 1
    path = tmp_path / "exim.json"
    path.write_text(json.dumps(doc))
    p = run(path, True, "--cores", "128")  # a livelock would hit the subprocess timeout
    assert p.returncode == 0, p.stderr
    assert json.loads(p.stdout)["metrics"]["ops"] == 128 * 10
