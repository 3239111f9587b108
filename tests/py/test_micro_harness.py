"""The micro-benchmarks' harness loop (loop_cycles), the counter's atomic (fetch_add vs cas_loop) and the
multi-lock benchmark (docs/workloads/micro.md)."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim, sweep


def run_doc(tmp_path, scenario: dict, *args: str) -> dict:
    path = tmp_path / f"s{len(list(tmp_path.iterdir()))}.json"
    path.write_text(json.dumps(scenario))
    out = tmp_path / (path.stem + ".result.json")
    run_smpsim("run", path, "--result-file", out, *args, check=True)
    return json.loads(out.read_text())


def lock_micro(**workload) -> dict:
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc.pop("variants")
    doc["workload"].update({"think": "fixed", "acquisitions_per_core": 300, **workload})
    doc["run"]["warmup_ops"] = 20
    return doc


def test_loop_cycles_adds_exactly_its_cycles_to_an_uncontended_iteration(tmp_path):
    ghz = 2.1  # opteron48
    per_iter_ns = {}
    for loop in (0, 6, 500):
        d = run_doc(tmp_path, lock_micro(loop_cycles=loop), "--cores", "1")
        per_iter_ns[loop] = 1e9 / d["metrics"]["throughput_per_s"]
    assert abs((per_iter_ns[500] - per_iter_ns[0]) - 500 / ghz) < 1e-3, per_iter_ns
    assert abs((per_iter_ns[6] - per_iter_ns[0]) - 6 / ghz) < 1e-3, per_iter_ns


def test_loop_cycles_is_declared_with_its_default(tmp_path):
    p = run_smpsim("describe", "workload", check=True)
    for kind in ("lock_micro", "multi_lock", "counter_micro", "rw_micro"):
        section = p.stdout.split(kind, 1)[1]
        assert "loop_cycles" in section.split("\n\n", 1)[0] or "loop_cycles" in section[:3000], kind


def counter(atomic_op: str, cores: int, tmp_path) -> dict:
    doc = json.loads((ROOT / "scenarios" / "counters.json").read_text())
    doc.pop("variants", None)
    doc.pop("sweep", None)
    doc["workload"].update({"counter": "atomic", "atomic_op": atomic_op, "ops_per_core": 300, "read_every": 0})
    return run_doc(tmp_path, doc, "--cores", str(cores))


def misses_per_op(d: dict) -> float:
    return d["metrics"]["coherence"]["misses"] / d["metrics"]["ops"]


def test_cas_loop_counter_costs_more_than_fetch_add_under_contention(tmp_path):
    fa1, cas1 = counter("fetch_add", 1, tmp_path), counter("cas_loop", 1, tmp_path)
    fa48, cas48 = counter("fetch_add", 48, tmp_path), counter("cas_loop", 48, tmp_path)
    # Alone, the CAS loop is a read hit plus one atomic: a few cycles more, no transfers.
    assert cas1["metrics"]["op_latency_ns"] > fa1["metrics"]["op_latency_ns"]
    assert cas1["metrics"]["op_latency_ns"] < 2 * fa1["metrics"]["op_latency_ns"] + 50
    assert cas1["metrics"]["workload"]["cas_failures"] == 0 and misses_per_op(cas1) < 0.01
    # Contended, the read takes the line shared and the CAS takes it again: two queued misses per increment,
    # and the count has changed in between (the CAS fails and is retried on the held line).
    assert 1.9 < misses_per_op(cas48) <= 2.0 and 0.9 < misses_per_op(fa48) <= 1.0
    assert cas48["metrics"]["workload"]["cas_failures"] > 0.5 * cas48["metrics"]["ops"]
    assert fa48["metrics"]["workload"]["cas_failures"] == 0
    assert 1.5 * fa48["metrics"]["op_latency_ns"] < cas48["metrics"]["op_latency_ns"] < 3 * fa48["metrics"]["op_latency_ns"]
    assert cas48["metrics"]["throughput_per_s"] < 0.75 * fa48["metrics"]["throughput_per_s"]


def test_counter_rejects_an_unknown_atomic(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "counters.json").read_text())
    doc["workload"]["atomic_op"] = "ll_sc"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2 and "/workload/atomic_op" in p.stderr and "cas_loop" in p.stderr, p.stderr


def test_many_locks_scale_where_one_collapses_and_skew_falls_between(tmp_path):
    _, docs = sweep(tmp_path, "multi_lock.json", "1,48", acquisitions_per_core=300)
    thr = {(d["variant"], d["cores"]): d["metrics"]["throughput_per_s"] for d in docs}
    speedup = {v: thr[(v, 48)] / thr[(v, 1)] for v, n in thr if n == 48}
    assert speedup["64-uniform-spread"] > 35, speedup          # a lock is rarely contended
    assert speedup["1-lock"] < 15, speedup                     # lock_micro's ticket collapse
    assert speedup["1-lock"] < speedup["64-zipf2-spread"] < speedup["64-zipf1-spread"] <= speedup["64-uniform-spread"] * 1.02
    rows = next(d for d in docs if d["variant"] == "64-uniform-spread" and d["cores"] == 48)["metrics"]["locks"]
    names = {r["name"] for r in rows}
    assert {f"lock{i}" for i in range(64)} <= names
    # the Zipf law: lock0 takes the most acquisitions, lock63 the fewest
    z = next(d for d in docs if d["variant"] == "64-zipf1-spread" and d["cores"] == 48)["metrics"]["locks"]
    acq = {r["name"]: r["acquisitions"] for r in z}
    assert acq["lock0"] > 5 * acq["lock63"], (acq["lock0"], acq["lock63"])


def test_multi_lock_homes_its_locks_where_asked(tmp_path):
    _, docs = sweep(tmp_path, "multi_lock.json", "48", acquisitions_per_core=200)
    by = {d["variant"]: d for d in docs}
    # all 64 locks and their data homed on die 0: every transfer is served by die 0's home agent
    assert by["64-uniform-node0"]["metrics"]["throughput_per_s"] <= by["64-uniform-spread"]["metrics"]["throughput_per_s"] * 1.01
