"""Range locks kept until a conflicting request sends a message back (Dillon, seed 001)."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def run(tmp_path, cores, policy, pattern):
    doc = json.loads((ROOT / "scenarios" / "range_message_back.json").read_text())
    doc.pop("variants")
    doc["workload"].update(policy=policy, pattern=pattern, rounds=100)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, "--cores", str(cores), check=True).stdout)["metrics"]


def test_keeping_the_range_wins_when_each_cpu_maps_its_own_range_again_and_again(tmp_path):
    for cores in (2, 16):
        kept = run(tmp_path, cores, "message_back", "own")
        released = run(tmp_path, cores, "release_on_unlock", "own")
        # (by 7% at 2 CPUs: with a store buffer the release's writes no longer stall the releasing CPU)
        assert kept["throughput_per_s"] > 1.05 * released["throughput_per_s"], cores
        # after the first lock, every lock is served from the CPU's kept ranges: no message, no shared line
        assert kept["workload"]["kept_hits"] == cores * 99
        assert kept["workload"]["messages_back"] == 0
        assert released["workload"]["range_lock_acquisitions"] == cores * 100


def test_keeping_the_range_loses_when_two_cpus_alternate(tmp_path):
    kept = run(tmp_path, 2, "message_back", "alternate")
    released = run(tmp_path, 2, "release_on_unlock", "alternate")
    assert kept["throughput_per_s"] < released["throughput_per_s"]
    assert kept["op_latency_ns"] > released["op_latency_ns"]
    # every lock but the first takes the range back from the other CPU
    assert kept["workload"]["messages_back"] == 199
    assert kept["workload"]["kept_hits"] == 0
    assert kept["events"]["ipis_sent"] >= 199
