"""ccCluster (McVoy, seed 000): N kernel instances on one machine."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_smpsim


def run(tmp_path, doc, cores, name="s.json"):
    path = tmp_path / name
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, "--cores", str(cores), check=True).stdout)


def scenario(name, **workload):
    doc = json.loads((ROOT / "scenarios" / name).read_text())
    doc.pop("variants", None)
    doc["workload"].update(workload)
    if "rounds" in workload:  # fewer rounds: a warm-up that leaves some to measure
        doc["run"]["warmup_ops"] = min(doc["run"].get("warmup_ops", 0), workload["rounds"] // 2)
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
    # the file's objects live in the home instance (the first to touch them),
    # whose CPUs serve every call
    servers = {c["core"] // 12 for c in m["cores"] if c["xcalls_served"]}
    assert len(servers) == 1
    assert m["hot_lines"][0]["line"].startswith(f"k{servers.pop()}.")


def test_shared_access_touches_the_home_directly(tmp_path):
    doc = scenario("cccluster_vs_traditional.json", files="shared", rounds=30)
    doc["design"].update(instances=4, fs_access="shared")
    m = run(tmp_path, doc, 16)["metrics"]
    assert m["events"]["xcalls"] == 0
    assert m["hot_lines"][0]["line"].endswith("dentry0.d_lockref")


def shared_region(instances, shared_mm, cores=16):
    doc = scenario("vmglobal.json", rounds=2)
    doc["run"]["warmup_ops"] = 0
    doc["design"] = {"kind": "cccluster", "instances": instances, "shared_mm": shared_mm, "shootdown": "mm_cpumask",
                     "free_space": "percpu"}
    return doc


def test_a_region_shared_across_instances_is_reached_by_cross_calls(tmp_path):
    m = run(tmp_path, shared_region(4, "xcall"), 16)["metrics"]
    ev = m["events"]
    # CPUs 4..15 (three instances of four) fault on CPU 0's region: every fault is a call
    assert ev["xcalls"] >= 12 * 2 * 256
    assert ev["xcalls_served"] == ev["xcalls"]
    # the ccCluster way (a copy of the process per instance) shares nothing
    m2 = run(tmp_path, shared_region(4, "per_instance"), 16)["metrics"]
    assert m2["events"]["xcalls"] == 0
    assert m2["throughput_per_s"] > m["throughput_per_s"]


def test_a_shootdown_across_instances_is_one_cross_call_per_other_instance(tmp_path):
    path = tmp_path / "s.json"
    path.write_text(json.dumps(shared_region(4, "xcall")))
    out = run_smpsim("run", path, "--cores", "16", "--explain", "munmap", check=True).stdout
    line = next(l for l in out.splitlines() if "TLB shootdown" in l)
    assert "15 target CPUs (3 other instances reached by cross calls)" in line
    # one instance: a plain shootdown, no cross call
    path.write_text(json.dumps(shared_region(1, "xcall")))
    out = run_smpsim("run", path, "--cores", "16", "--explain", "munmap", check=True).stdout
    line = next(l for l in out.splitlines() if "TLB shootdown" in l)
    assert "15 target CPUs" in line and "cross call" not in line


def test_an_uneven_partition_puts_each_instance_in_its_own_trace_process(tmp_path):
    doc = scenario("cccluster_vs_traditional.json", files="shared", rounds=10)
    doc["design"] = {"kind": "cccluster", "cpus": [list(range(0, 2)), list(range(2, 48))]}
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    trace = tmp_path / "t.json"
    res = json.loads(run_smpsim("run", path, "--cores", "6", "--trace", trace, check=True).stdout)
    ev = res["metrics"]["events"]
    # the instance that touched the file first is its home; every open and
    # close from the other instance's CPUs is a call served there
    instance = {0: 0, 1: 0, 2: 1, 3: 1, 4: 1, 5: 1}
    cores = res["metrics"]["cores"]
    homes = {instance[c["core"]] for c in cores if c["xcalls_served"]}
    assert len(homes) == 1
    home = homes.pop()
    callers = [c for c in cores if instance[c["core"]] != home]
    assert ev["xcalls"] == len(callers) * 10 * 2 == sum(c["xcalls"] for c in callers)
    events = json.loads(trace.read_text())["traceEvents"]
    names = {e["pid"]: e["args"]["name"] for e in events if e.get("name") == "process_name"}
    assert names == {1: "instance 0", 2: "instance 1"}
    threads = {e["tid"]: e["pid"] for e in events if e.get("name") == "thread_name"}
    assert threads == {0: 1, 1: 1, 2: 2, 3: 2, 4: 2, 5: 2}
    assert all(e["pid"] == threads[e["tid"]] for e in events if e["ph"] != "M")


def test_lock_objects_and_acquisitions_per_op_are_reported_for_every_design(tmp_path):
    doc = scenario("exim_like.json", rounds=3)
    counts = {}
    for design in ({"kind": "traditional"}, {"kind": "cccluster", "instances": 4}, {"kind": "msgport"}):
        doc["design"] = design
        m = run(tmp_path, doc, 16)["metrics"]
        assert m["acquisitions_per_op"] == m["acquisitions"] / m["ops"]
        counts[design["kind"]] = m["lock_objects"]
    # four instances keep four copies of each kernel-wide object (and its lock)
    assert counts["cccluster"] > counts["traditional"] > 0


@pytest.mark.parametrize("shared_mm", ["per_instance", "xcall"])
@pytest.mark.parametrize("shootdown", ["mm_cpumask", "precise"])
def test_a_shootdown_reaches_only_cpus_of_the_address_space_it_unmaps(tmp_path, shared_mm, shootdown):
    """Each instance runs its own copy of a process (per_instance): a shootdown targets the CPUs of the
    initiator's instance that ran that copy, never another instance's CPUs. One space across instances
    (xcall): the other instances are reached by a cross call each."""
    doc = shared_region(4, shared_mm)  # 16 CPUs, 4 instances of 4
    doc["design"]["shootdown"] = shootdown
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    out = run_smpsim("run", path, "--cores", "16", "--explain", "munmap", check=True).stdout
    line = next(l for l in out.splitlines() if "TLB shootdown" in l)
    targets = int(line.split(" target CPUs")[0].split()[-1])
    if shared_mm == "per_instance":
        assert "cross call" not in line
        assert targets == 3 if shootdown == "mm_cpumask" else targets <= 3, line
    else:
        assert targets == 15 if shootdown == "mm_cpumask" else targets <= 15, line
        if shootdown == "mm_cpumask":
            assert "3 other instances reached by cross calls" in line


def test_a_cross_call_pays_the_door_call_and_return_software(tmp_path):
    # Two instances of one CPU each, one shared file: the opens and closes of the CPU whose instance is not
    # the file's home are cross calls. Each call's door_call (caller) and door_return (server) are on the caller's path.
    base = scenario("cccluster_fs_access.json", rounds=40, think_cycles=200000)  # calls rarely meet the server's own ops
    base["design"]["instances"] = 2
    free = json.loads(json.dumps(base))
    free["design"]["door_call_cycles"] = 0
    free["design"]["door_return_cycles"] = 0
    a, b = run(tmp_path, free, 2, "free.json"), run(tmp_path, base, 2, "door.json")
    calls = sum(c["xcalls"] for c in b["metrics"]["cores"])
    assert calls > 0 and calls == sum(c["xcalls"] for c in a["metrics"]["cores"])
    freq = b["scenario"]["machine"]["freq_ghz"]
    door_ns = (b["scenario"]["design"]["door_call_cycles"] + b["scenario"]["design"]["door_return_cycles"]) / freq
    extra_ns = sum(c["xcall_wait_ns"] for c in b["metrics"]["cores"]) - sum(c["xcall_wait_ns"] for c in a["metrics"]["cores"])
    assert extra_ns == pytest.approx(calls * door_ns, rel=0.05)  # the rest: the server's own ops in the way
