"""XIO (Dillon and Huey, seed 002): page references vs byte copies, on one node and across an SSI cluster."""
from __future__ import annotations

import json

import pytest

from conftest import ROOT, run_smpsim


def cp(tmp_path, mode, fs_node, mib, cow_writes=0):
    doc = json.loads((ROOT / "scenarios" / "xio_cp.json").read_text())
    doc.pop("variants")
    doc["workload"].update(mode=mode, fs_node=fs_node, file_mib=mib, rounds=2, cow_writes=cow_writes)
    path = tmp_path / "s.json"
    path.write_text(json.dumps(doc))
    return json.loads(run_smpsim("run", path, check=True).stdout)["metrics"]


def test_references_take_the_same_time_whatever_the_size_and_copies_grow_with_it(tmp_path):
    ref16, ref64 = cp(tmp_path, "references", "local", 16), cp(tmp_path, "references", "local", 64)
    copy16, copy64 = cp(tmp_path, "copy", "local", 16), cp(tmp_path, "copy", "local", 64)
    assert ref16["op_latency_ns"] == ref64["op_latency_ns"]
    assert copy64["op_latency_ns"] / copy16["op_latency_ns"] == pytest.approx(4, rel=0.01)
    # 64 MiB read and written at 10 GB/s
    assert copy64["op_latency_ns"] == pytest.approx(2 * 64 * 2**20 / 10e9 * 1e9, rel=0.01)
    assert copy64["op_latency_ns"] > 100 * ref64["op_latency_ns"]


def test_on_an_ssi_cluster_references_put_no_data_on_the_network(tmp_path):
    ref, copy = cp(tmp_path, "references", "remote", 64), cp(tmp_path, "copy", "remote", 64)
    assert ref["workload"]["network_data_bytes"] == 0
    assert ref["workload"]["network_control_bytes"] == 2 * 2 * 256  # a request and a reply per cp
    assert copy["workload"]["network_data_bytes"] == 2 * 2 * 64 * 2**20  # there and back, per cp
    assert copy["op_latency_ns"] > 1000 * ref["op_latency_ns"]


def test_the_first_write_to_a_shared_page_copies_it(tmp_path):
    m = cp(tmp_path, "references", "local", 64, cow_writes=10)
    assert m["workload"]["cow_page_copies"] == 2 * 10
    assert m["workload"]["memory_bus_bytes"] == 2 * 10 * 2 * 4096
    plain = cp(tmp_path, "references", "local", 64)
    assert m["op_latency_ns"] > plain["op_latency_ns"]
