"""ccCluster (McVoy, seed 000): N kernel instances on one machine."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def run(tmp_path, doc, cores, name="s.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, "--cores", str(cores), check=True).stdout)


def scenario(name, **workload):
    doc = json.loads((ROOT / "scenarios" / name).read_text())
    doc.pop("variants", None)
    doc["workload"].update(workload)
    return doc


def test_one_instance_is_byte_identical_to_the_traditional_kernel(tmp_path):
    for name, extra in (("fops.json", {"rounds": 40}), ("vmlocal.json", {"rounds": 10}), ("exim_like.json", {"rounds": 4})):
        trad = scenario(name, **extra)
        cc = json.loads(json.dumps(trad))
        cc["design"]["kind"] = "cccluster"
        cc["design"]["instances"] = 1
        a, b = run(tmp_path, trad, 12, "a.json"), run(tmp_path, cc, 12, "b.json")
        assert json.dumps(a["metrics"], sort_keys=True) == json.dumps(b["metrics"], sort_keys=True), name


def test_independent_processes_scale_better_with_an_instance_per_socket(tmp_path):
    for name, extra, trad_locks in (
            ("cccluster_vs_traditional.json", {"rounds": 60}, {}),
            ("vmlocal.json", {"rounds": 10}, {"pt.ptl": "ticket", "zone.lock": "ticket", "mm.free_space_lock": "ticket"})):
        trad = scenario(name, **extra)
        trad["design"] = {"kind": "traditional", "shootdown": "precise", "locks": trad_locks}
        cc = json.loads(json.dumps(trad))
        cc["design"]["kind"] = "cccluster"
        cc["design"]["instances"] = 4
        one = run(tmp_path, trad, 1, "one.json")["metrics"]["throughput_per_s"]
        t = run(tmp_path, trad, 48, "t.json")["metrics"]
        c = run(tmp_path, cc, 48, "c.json")["metrics"]
        assert c["throughput_per_s"] > 2 * t["throughput_per_s"], name
        if name == "cccluster_vs_traditional.json":  # per-CPU files: each instance nearly independent
            assert c["throughput_per_s"] > 8 * one, name
        assert c["events"]["xcalls"] == 0 and t["events"]["xcalls"] == 0, name


def test_a_file_shared_by_every_core_makes_cross_calls_the_largest_kernel_cost(tmp_path):
    doc = scenario("cccluster_vs_traditional.json", files="shared", rounds=60)
    doc["design"]["instances"] = 4
    m = run(tmp_path, doc, 48)["metrics"]
    ev = m["events"]
    assert ev["xcalls"] == 36 * 60 * 2  # 3 of 4 instances call the file's home, for open and close
    assert ev["xcalls_served"] == ev["xcalls"]
    wait = ev["xcall_wait_ns"]
    assert wait > m["time_ns"]["stall_ns"] and wait > m["time_ns"]["kernel_ns"] and wait > m["time_ns"]["spin_ns"]
    assert all(wait > l["waittime_total_ns"] for l in m["locks"])
    # the file's objects live in the home instance (the first to touch them)
    assert m["hot_lines"][0]["line"].startswith("k0.")


def test_shared_access_touches_the_home_directly(tmp_path):
    doc = scenario("cccluster_vs_traditional.json", files="shared", rounds=30)
    doc["design"].update(instances=4, fs_access="shared")
    m = run(tmp_path, doc, 16)["metrics"]
    assert m["events"]["xcalls"] == 0
    assert m["hot_lines"][0]["line"].endswith("dentry0.d_lockref")
