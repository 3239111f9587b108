"""The statistics tree (engine/stats.hpp; `smpsim describe stats`): every field a result, summary.csv and
locks.csv hold is a declared statistic and every declared one is there; the analysis package's copy and
docs/results.md's reference section are current."""
from __future__ import annotations

import csv
import json

import pytest

from conftest import ROOT, run_smpsim
from smpsim_analysis import stats
from smpsim_analysis.results import SUMMARY_COLUMNS, TIME_STATES

# Fields present only in some runs (with an option, on some machines, for some designs).
OPTIONAL = {
    "metrics": {"incomplete", "transfer_matrix", "explain", "lock_instances"},
    "locks": {"contention_points"},
    "resources": {"bytes", "gb_per_s"},
}


@pytest.fixture(scope="module")
def declared():
    return json.loads(run_smpsim("describe", "json", check=True).stdout)["stats"]


def test_analysis_copy_and_docs_are_current(declared):
    assert declared == list(stats.groups()), "run scripts/update_schema.py build/smpsim"
    doc = (ROOT / "docs" / "results.md").read_text()
    section = stats.render_markdown(declared)
    assert section in doc, "docs/results.md's statistics section is stale: run scripts/update_schema.py build/smpsim"


def test_describe_stats_lists_every_statistic(declared):
    text = run_smpsim("describe", "stats", check=True).stdout
    for g in declared:
        assert f"\n{g['group']} (" in text
        for s in g["stats"]:
            assert f"  {s['name']} " in text, (g["group"], s["name"])


def test_names_are_unique_within_a_group(declared):
    for g in declared:
        names = [s["name"] for s in g["stats"]]
        assert len(names) == len(set(names)), g["group"]
        assert g["where"] and g["description"] and all(s["unit"] and s["description"] for s in g["stats"])


def design_review_result(tmp_path, variant, *extra):
    out = tmp_path / "result.json"
    run_smpsim("run", ROOT / "scenarios" / "design_review.json", "--variant", variant, "--cores", "4",
               "--result-file", out, *extra, check=True)
    return json.loads(out.read_text())


def paths(result, where):
    """The objects at a dotted path like metrics.cores[].coherence (lists expanded)."""
    objs = [result]
    for part in where.split("."):
        key, many = (part[:-2], True) if part.endswith("[]") else (part, False)
        objs = [o[key] for o in objs if key in o]
        if many:
            objs = [x for o in objs for x in o]
    return objs


def check_group(result, g, by_name):
    extra_groups = {"cores": ["events", "design_events"], "events": ["design_events"]}
    checked = 0
    for where in g["where"]:
        if not where.startswith("metrics"):
            continue
        # A path several groups share (events with the design's counters, cores[] with both) holds all of them.
        sharing = [h for h in by_name.values() if where in h["where"]]
        declared = {s["name"] for h in sharing for s in h["stats"]}
        required = declared - set().union(*(OPTIONAL.get(h["group"], set()) for h in sharing))
        for obj in paths(result, where):
            keys = set(obj)
            assert keys <= declared, (g["group"], where, keys - declared)
            assert required <= keys, (g["group"], where, required - keys)
            checked += 1
    return checked


@pytest.mark.parametrize("variant,kind,op", [("exim", "traditional", "exit"), ("vmlocal", "cccluster", "munmap"),
                                             ("fops", "msgport", "open")])
def test_results_hold_exactly_the_declared_statistics(tmp_path, declared, variant, kind, op):
    r = design_review_result(tmp_path, f"{variant}+design={kind}", "--explain", op, "--lock-instances")
    by_name = {g["group"]: g for g in declared}
    for g in declared:
        if any(w.startswith("metrics") for w in g["where"]):
            # msgport's kernel has no locks; resources are checked below
            assert check_group(r, g, by_name) > 0 or g["group"] == "resources" or \
                g["group"] == "locks" and kind == "msgport", g["group"]
    # every distance key is present, zero when none (stable columns)
    keys = next(s["keys"] for s in by_name["coherence"]["stats"] if s["name"] == "transfers_by_distance")
    for c in r["metrics"]["cores"]:
        assert list(c["coherence"]["transfers_by_distance"]) == sorted(keys) or \
            set(c["coherence"]["transfers_by_distance"]) == set(keys)
    # totals are the sums over CPUs, generically
    for k in stats.names("coherence"):
        if k == "transfers_by_distance":
            continue
        total = sum(c["coherence"][k] for c in r["metrics"]["cores"])
        assert r["metrics"]["coherence"][k] == pytest.approx(total), k
    for k in stats.names("events") + stats.names("design_events"):
        per_cpu = [c[k] for c in r["metrics"]["cores"]]
        total = max(per_cpu) if k.endswith("_max_ns") else sum(per_cpu)  # a longest wait is the longest of all
        assert r["metrics"]["events"][k] == pytest.approx(total), k


def test_interconnect_resources_declared(tmp_path, declared):
    r = design_review_result(tmp_path, "exim+design=traditional")
    by_name = {g["group"]: g for g in declared}
    assert r["metrics"]["interconnect"]["resources"], "opteron48 models its shared resources"
    assert check_group(r, by_name["resources"], by_name) > 0


def test_summary_and_locks_csv_columns_are_declared(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "ticket_vs_mcs.json").read_text())
    doc["workload"]["acquisitions_per_core"] = 50
    doc["run"]["warmup_ops"] = 5
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    run_smpsim("sweep", path, "--cores", "1,2", "--out", out, check=True)
    with open(out / "summary.csv", newline="") as f:
        header = next(csv.reader(f))
    assert header == stats.names("summary") == SUMMARY_COLUMNS
    with open(out / "locks.csv", newline="") as f:
        header = next(csv.reader(f))
    lock_cols = [n for n in stats.names("locks") if n != "contention_points"]
    assert header == ["variant", "cores", "lock"] + lock_cols[1:]


def test_time_states_come_from_the_tree():
    assert TIME_STATES == [n[:-3] for n in stats.names("time")]
    assert "user" in TIME_STATES and "idle" in TIME_STATES


def test_every_workload_says_what_one_op_is(tmp_path):
    workloads = json.loads(run_smpsim("describe", "json", check=True).stdout)["workloads"]
    for w in workloads:
        assert len(w["op"]) > 5 and "op = " not in w["op"], w["name"]
    r = design_review_result(tmp_path, "fops+design=traditional")
    assert r["metrics"]["op"] == "an open + close"
