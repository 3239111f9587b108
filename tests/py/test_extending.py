"""docs/extending.md's worked example: fs_servers, a fourth design in one file, runs any design workload."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def review_point(tmp_path, variant: str, design: dict, cores: int = 8):
    doc = json.loads((ROOT / "scenarios" / "design_review" / "traditional.json").read_text())
    v = next(v for v in doc.pop("variants") if v["name"] == variant)
    doc.pop("sweep", None)
    doc["workload"] = v["set"]["/workload"]
    doc["workload"]["rounds"] = 10
    doc["design"] = design
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("run", path, "--cores", cores, check=True)
    return json.loads(p.stdout)["metrics"]


def test_the_worked_example_design_is_registered_and_described():
    out = run_smpsim("describe", "design", check=True).stdout
    assert "\nfs_servers\n" in out and "the file system as servers" in out
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)
    assert [d["name"] for d in declared["designs"]] == ["cccluster", "fs_servers", "msgport", "traditional"]


def test_fs_servers_sends_file_system_ops_to_their_owner_and_runs_vm_ops_locally(tmp_path):
    fs = review_point(tmp_path, "fops", {"kind": "fs_servers"})
    ev = fs["events"]
    ops = fs["ops"]
    # one shared file: each open and close is a message to its owner (a cross call, or a local message there)
    assert ev["xcalls"] + ev["messages_local"] >= 2 * ops
    assert ev["xcalls"] > 0
    vm = review_point(tmp_path, "vmlocal", {"kind": "fs_servers"})
    assert vm["events"]["xcalls"] == 0 and vm["events"]["messages_local"] == 0
    # memory is the traditional kernel's: the same run as the traditional design, number for number
    trad = review_point(tmp_path, "vmlocal", {"kind": "traditional"})
    assert vm["throughput_per_s"] == trad["throughput_per_s"]
    assert vm["throughput_per_s"] != review_point(tmp_path, "vmlocal", {"kind": "msgport"})["throughput_per_s"]
    # and its file system is message ports' (light messages, the service in the kernel), number for number
    assert fs["throughput_per_s"] == review_point(tmp_path, "fops", {"kind": "msgport"})["throughput_per_s"]
    assert fs["throughput_per_s"] != review_point(tmp_path, "fops", {"kind": "traditional"})["throughput_per_s"]


def test_a_field_of_another_design_is_rejected_with_its_owner(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "fops.json").read_text())
    doc["design"] = {"kind": "traditional", "instances": 4}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2
    assert "at /design/instances:" in p.stderr and "a parameter of design cccluster, not of traditional" in p.stderr


def test_a_design_given_to_a_hardware_workload_is_rejected(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "line_contention.json").read_text())
    doc["design"] = {"kind": "msgport"}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("validate", path)
    assert p.returncode == 2 and "at /design:" in p.stderr and "drives the hardware directly" in p.stderr
    doc["design"] = {"kind": "traditional"}  # the default: harmless
    path.write_text(json.dumps(doc))
    assert run_smpsim("validate", path).returncode == 0
    del doc["design"]  # optional
    path.write_text(json.dumps(doc))
    assert run_smpsim("validate", path).returncode == 0


def test_the_design_is_a_sweep_axis(tmp_path):
    doc = json.loads((ROOT / "scenarios" / "design_review" / "traditional.json").read_text())
    doc["variants"] = [v for v in doc["variants"] if v["name"] == "fops"]
    doc["variants"][0]["set"]["/workload"]["rounds"] = 5
    doc.pop("sweep")
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    run_smpsim("sweep", path, "--cores", "1,4", "--set", "design.kind=traditional,msgport,fs_servers",
               "--out", out, "--quiet", check=True)
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    kinds = {r["scenario"]["design"]["kind"] for r in rows}
    assert kinds == {"traditional", "msgport", "fs_servers"}
    assert len(rows) == 6
