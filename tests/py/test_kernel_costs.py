"""The traditional kernel's op costs: single ops against the measurements their costs come from, --explain's
parts adding up, and docs/design/kernel-costs.md agreeing with the defaults the binary declares."""
from __future__ import annotations

import json
import re

import pytest

from conftest import ROOT, run_smpsim

MEASURED = json.loads((ROOT / "docs" / "calibration" / "kernel-op-measurements.json").read_text())
PRESETS = ("opteron48", "xeon80")


def preset_ghz(name: str) -> float:
    doc = json.loads((ROOT / "models" / "machine" / "presets" / f"{name}.json").read_text())
    return doc["machine"]["freq_ghz"] if "machine" in doc else doc["freq_ghz"]


def ops_latency_ns(tmp_path, machine: str, ops: list[dict], rounds: int) -> float:
    """The ops of one measurement, one after another `rounds` times on one CPU (no think time): the
    time of one round."""
    phases = []
    for _ in range(rounds):
        for o in ops:
            phases.append({"ops": 1, "mix": [{"op": o["op"], "weight": 1, "args": o.get("args", {})}]})
    doc = {"schema_version": 1, "name": "single_ops", "machine": machine, "design": {"kind": "traditional"},
           "workload": {"kind": "script", "think_cycles": 0, "think": "fixed", "pages": 16, "phases": phases},
           "run": {"seed": 1, "cores": 1}}
    path = tmp_path / f"{machine}.json"
    path.write_text(json.dumps(doc))
    r = json.loads(run_smpsim("run", path, check=True).stdout)
    return r["metrics"]["op_latency_ns"] * len(ops)


@pytest.mark.parametrize("machine", PRESETS)
@pytest.mark.parametrize("row", MEASURED["measurements"], ids=lambda r: r["benchmark"].split(" (")[0])
def test_single_op_latency_is_the_cited_measurement_scaled_by_clock(tmp_path, machine, row):
    src = MEASURED["sources"][row["source"]]
    want_ns = row["us"] * 1e3 * src["clock_ghz"] / preset_ghz(machine)  # the same cycles at the preset's clock
    got_ns = ops_latency_ns(tmp_path, machine, row["ops"], rounds=8)
    assert 0.8 * want_ns <= got_ns <= 1.2 * want_ns, (machine, row["benchmark"], got_ns, want_ns)


def traditional_ops() -> tuple[dict, list[str]]:
    doc = json.loads(run_smpsim("describe", "json", check=True).stdout)
    design = next(d for d in doc["designs"] if d["name"] == "traditional")
    return design, sorted(json.loads(run_smpsim("run", ROOT / "scenarios" / "vmlocal.json", "--cores", "1",
                                                 check=True).stdout)["scenario"]["design"]["recipes"])


GENERIC_ARGS = {"mm": 0, "vma": 0, "addr": "random_page", "file": 0, "dir": 0, "child": 1, "target": 0,
                "depth": 2, "entries": 3, "bytes": 4096, "vmas": 4, "pages": 4}


def test_explain_parts_add_up_to_the_latency_of_every_op(tmp_path):
    _, ops = traditional_ops()
    assert {"page_fault", "fork", "exec", "open", "create", "file_read"} <= set(ops)
    for op in ops:
        doc = {"schema_version": 1, "name": "explain_" + op, "machine": "opteron48", "design": {"kind": "traditional"},
               "workload": {"kind": "script", "ops_per_core": 6, "think_cycles": 200, "pages": 16,
                            "mix": [{"op": op, "weight": 1, "args": GENERIC_ARGS}]},
               "run": {"seed": 1, "cores": 2}}
        path = tmp_path / f"{op}.json"
        path.write_text(json.dumps(doc))
        out = run_smpsim("run", path, "--explain", op, check=True).stdout
        total = float(re.search(rf"^{op} on CPU 0: ([0-9.]+) ns", out, re.M).group(1))
        parts = [float(m.group(1)) for m in re.finditer(r"^  .*?\s([0-9.]+) ns\s+[0-9.]+%$", out, re.M)]
        assert parts, (op, out)
        # printed to 0.1 ns: the parts add up to the total within the rounding of each
        assert abs(sum(parts) - total) <= 0.05 * (len(parts) + 1) + 1e-9, (op, total, parts, out)


def test_the_cost_table_in_the_docs_is_the_binarys_defaults():
    design, _ = traditional_ops()
    declared = {p["name"][: -len("_cycles")]: p["default"] for p in design["params"] if p["name"].endswith("_cycles")}
    assert {"syscall_entry_exit", "fault_entry_exit", "path_component", "fork_exit_task"} <= set(declared)
    doc = (ROOT / "docs" / "design" / "kernel-costs.md").read_text()
    rows = dict(re.findall(r"^\| `(\w+)` \| [^|]+ \| ([0-9]+) \|", doc, re.M))
    assert set(rows) == set(declared)
    for name, cycles in declared.items():
        assert float(rows[name]) == cycles, name
