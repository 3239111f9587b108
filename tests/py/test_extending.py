"""docs/extending.md's worked example: fs_servers, a fourth design in one file, runs any design workload."""
from __future__ import annotations

import json
import re

from conftest import ROOT, run_smpsim


def review_point(tmp_path, variant: str, design: dict, cores: int = 8):
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
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
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
    doc["variants"] = [v for v in doc["variants"] if v["name"] == "fops"]
    doc["variants"][0]["set"]["/workload"]["rounds"] = 5
    doc["variants"][0]["set"]["run.warmup_ops"] = 1  # run.warmup_ops must leave ops to measure
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


def test_every_preset_file_is_a_preset_and_cites_its_numbers():
    """Presets are data files (models/machine/presets/NAME.json), compiled in: the binary offers exactly
    the files there, each machine as its file gives it, with a derivation that marks its numbers."""
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)
    files = sorted((ROOT / "models" / "machine" / "presets").glob("*.json"))
    assert declared["machine"]["presets"] == sorted(f.stem for f in files)
    for f in files:
        data = json.loads(f.read_text())
        assert set(data) == {"derivation", "machine"}, f.name
        assert re.search(r"\b(measured|derived|datasheet)\b", data["derivation"]), f.name
        shown = json.loads(run_smpsim("describe", "machine", f.stem, check=True).stdout)
        assert shown == data["machine"], f.name


def test_protocols_are_registered_and_a_machine_may_name_any(tmp_path):
    """Each coherence protocol is one registered file; a machine names it, an unknown name is exit 2 at
    the machine's protocol field."""
    declared = json.loads(run_smpsim("describe", "json", check=True).stdout)
    names = [p["name"] for p in declared["protocols"]]
    assert names == ["MESI", "MESIF", "MOESI"]
    for name in names:
        assert (ROOT / "models" / "coherence" / f"{name.lower()}.cpp").exists()
    s = {"schema_version": 1, "name": "p", "machine": {"preset": "xeon80", "protocol": "MSI"},
         "workload": {"kind": "line_contention", "op": "load", "rounds": 5}}
    path = tmp_path / "p.json"
    path.write_text(json.dumps(s))
    p = run_smpsim("validate", path)
    assert p.returncode == 2
    assert "/machine/protocol" in p.stderr and "MESIF" in p.stderr


def test_the_design_review_is_one_scenario_with_the_designs_side_by_side(tmp_path):
    """scenarios/design_review.json: workloads as variants, whole design objects as a sweep axis; every
    (workload, design) is a variant validated as a whole, and the report compares the designs per workload."""
    doc = json.loads((ROOT / "scenarios" / "design_review.json").read_text())
    designs = doc["sweep"]["set"]["/design"]
    assert [d["kind"] for d in designs] == ["traditional", "cccluster", "msgport"]
    p = run_smpsim("validate", ROOT / "scenarios" / "design_review.json", check=True)
    assert "12 variants" in p.stdout
    doc["variants"] = [v for v in doc["variants"] if v["name"] in ("fops", "vmlocal")]
    for v in doc["variants"]:
        v["set"]["/workload"]["rounds"] = 4
        v["set"]["run.warmup_ops"] = 1  # run.warmup_ops must leave ops to measure
    path = tmp_path / "review.json"
    path.write_text(json.dumps(doc))
    out = tmp_path / "out"
    run_smpsim("sweep", path, "--cores", "1,4", "--out", out, "--quiet", check=True)
    rows = [json.loads(line) for line in (out / "results.jsonl").read_text().splitlines()]
    assert sorted({(r["variant"], r["scenario"]["design"]["kind"]) for r in rows}) == sorted(
        (f"{w}+design={d['kind']}", d["kind"]) for w in ("fops", "vmlocal") for d in designs)
    for r in rows:  # each variant ran its whole design object, instances and all
        kind = r["scenario"]["design"]["kind"]
        want = next(d for d in designs if d["kind"] == kind)
        assert all(r["scenario"]["design"][k] == v for k, v in want.items()), kind
    # `run` knows a sweep variant by its name too.
    one = json.loads(run_smpsim("run", path, "--variant", "fops+design=msgport", "--cores", 4, check=True).stdout)
    assert one["variant"] == "fops+design=msgport" and one["scenario"]["design"]["kind"] == "msgport"
    same = next(r for r in rows if r["variant"] == "fops+design=msgport" and r["cores"] == 4)
    assert one["metrics"]["throughput_per_s"] == same["metrics"]["throughput_per_s"]
    # A bad field in one design of the axis is that variant's error, before anything runs.
    doc["sweep"]["set"]["/design"][1]["instancez"] = 4
    path.write_text(json.dumps(doc))
    for cmd in (("validate", path), ("sweep", path, "--cores", "1", "--out", tmp_path / "bad", "--quiet")):
        p = run_smpsim(*cmd)
        assert p.returncode == 2, cmd
        assert "variant fops+design=cccluster" in p.stderr and "/design/instancez" in p.stderr
    assert not (tmp_path / "bad" / "results.jsonl").exists()

    from smpsim_analysis import report
    index = report.build([out], tmp_path / "report", date="2026-01-01")
    page = index.read_text()
    assert "Designs compared" in page and (tmp_path / "report" / "figures" / "0_designs_0.png").exists()
    section = page[page.index("Designs compared"):page.index("Throughput (ops/s) by core count")]
    for w in ("fops", "vmlocal"):
        assert f"<h4>{w}</h4>" in section
    assert "One op: an open + close." in section and "One op: one map/fault/unmap round (global: a fault)." in section
    assert section.count("data:image/png;base64,") == 2  # a figure per workload
