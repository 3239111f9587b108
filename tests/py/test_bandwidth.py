"""The bandwidth workload checks a preset's memory and link parameters against their sources (issue 19): the
simulated streaming bandwidth must come within 15% of the cited per-node memory bandwidth and per-link
bandwidth. The cited values are the presets' own (models/machine/presets/*.json, sources in
docs/calibration/); a data packet carries 64 B of a line plus its header, so a saturated link delivers
64 / data_packet_bytes of its raw bandwidth as line data."""
from __future__ import annotations

import json

import pytest

from conftest import run_smpsim


def stream(tmp_path, machine, home, cpus, access="read", lines=3000):
    doc = {"schema_version": 1, "name": "bw", "machine": machine,
           "workload": {"kind": "bandwidth", "access": access, "home_node": home, "lines_per_cpu": lines},
           "run": {"seed": 1, "cores": len(cpus), "cpus": cpus, "warmup_ops": 0}}
    path = tmp_path / f"{machine}-{home}-{cpus[0]}-{access}.json"
    path.write_text(json.dumps(doc))
    r = json.loads(run_smpsim("run", path, check=True).stdout)
    return r, r["scenario"]["machine"]


def busiest(result):
    return result["metrics"]["interconnect"]["resources"][0]


# (machine, CPUs of the memory node's own die, CPUs one socket link away from node 0)
MACHINES = [("opteron48", list(range(0, 6)), list(range(12, 18))),  # die 2 is one HT hop from die 0
            ("xeon80", list(range(0, 10)), list(range(10, 20)))]    # socket 1 is one QPI hop from socket 0


@pytest.mark.parametrize("machine,local,remote", MACHINES, ids=[m[0] for m in MACHINES])
def test_a_node_streams_at_its_memory_bandwidth(tmp_path, machine, local, remote):
    r, m = stream(tmp_path, machine, 0, local)
    assert busiest(r)["resource"] == "memory.die0" and busiest(r)["utilization"] > 0.95
    assert r["metrics"]["workload"]["gb_per_s"] == pytest.approx(m["memory_gb_per_s"], rel=0.15)


@pytest.mark.parametrize("machine,local,remote", MACHINES, ids=[m[0] for m in MACHINES])
def test_a_remote_stream_is_bounded_by_its_socket_link(tmp_path, machine, local, remote):
    r, m = stream(tmp_path, machine, 0, remote)
    assert busiest(r)["kind"] == "link" and busiest(r)["utilization"] > 0.95
    line_data = m["link_socket_gb_per_s"] * 64 / m["data_packet_bytes"]
    assert r["metrics"]["workload"]["gb_per_s"] == pytest.approx(line_data, rel=0.02)
    assert r["metrics"]["workload"]["gb_per_s"] == pytest.approx(m["link_socket_gb_per_s"], rel=0.15)


def test_one_cpu_is_bounded_by_its_misses_in_flight(tmp_path):
    """One CPU: line_fill_buffers misses issued together, the memory controller answering them one line time
    apart: far below the node's bandwidth."""
    r, m = stream(tmp_path, "opteron48", 0, [0])
    latency_ns = m["coherence_cycles"]["load"]["I"]["same_die"] / m["freq_ghz"]
    batch_ns = latency_ns + (m["line_fill_buffers"] - 1) * 64 / m["memory_gb_per_s"]
    gb = r["metrics"]["workload"]["gb_per_s"]
    assert gb == pytest.approx(m["line_fill_buffers"] * 64 / batch_ns, rel=0.02)
    assert gb < 0.5 * m["memory_gb_per_s"]


def test_writes_move_each_line_twice_through_memory(tmp_path):
    """A written line is read for ownership, then written back when evicted: half the read bandwidth."""
    reads, m = stream(tmp_path, "opteron48", 0, list(range(6)))
    writes, _ = stream(tmp_path, "opteron48", 0, list(range(6)), access="write")
    assert writes["metrics"]["workload"]["gb_per_s"] == pytest.approx(reads["metrics"]["workload"]["gb_per_s"] / 2,
                                                                      rel=0.05)


def test_cache_to_cache_streams_load_the_links_not_memory(tmp_path):
    """Lines another CPU holds Modified: they come over the links from its die; memory is not touched."""
    doc = {"schema_version": 1, "name": "bw", "machine": "opteron48",
           "workload": {"kind": "bandwidth", "holder_cpu": 0, "home_node": 0, "lines_per_cpu": 2000},
           "run": {"seed": 1, "cores": 7, "cpus": [0, 12, 13, 14, 15, 16, 17], "warmup_ops": 0}}
    path = tmp_path / "c2c.json"
    path.write_text(json.dumps(doc))
    r = json.loads(run_smpsim("run", path, check=True).stdout)
    kinds = {x["resource"]: x for x in r["metrics"]["interconnect"]["resources"]}
    assert "memory.die0" not in kinds or kinds["memory.die0"]["requests"] < 100
    assert kinds["link.die0-die2"]["utilization"] > 0.9


@pytest.mark.parametrize("field,value", [("home_node", 8), ("holder_cpu", 6)])
def test_bad_node_or_holder_is_exit_2(tmp_path, field, value):
    doc = {"schema_version": 1, "name": "bw", "machine": "opteron48",
           "workload": {"kind": "bandwidth", field: value}, "run": {"cores": 6}}
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(doc))
    r = run_smpsim("run", path)
    assert r.returncode == 2
    assert f"/workload/{field}" in r.stderr
