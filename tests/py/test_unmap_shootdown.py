"""vm_bench pattern unmap (scenarios/unmap_shootdown.json): one munmap timed while the other CPUs merely hold
translations of the region; the op is the munmap with its shootdown, by IPIs or by the message-port design's
messages (issue 21)."""
from __future__ import annotations

import json

from conftest import ROOT, run_smpsim


def run(tmp_path, variant: str, cores: int, *extra: str, edit=None) -> dict:
    doc = json.loads((ROOT / "scenarios" / "unmap_shootdown.json").read_text())
    doc["workload"]["rounds"] = 8
    if edit:
        edit(doc)
    path = tmp_path / f"{variant}-{cores}.json"
    path.write_text(json.dumps(doc))
    p = run_smpsim("run", path, "--variant", variant, "--cores", str(cores), *extra, check=True)
    return p.stdout if extra else json.loads(p.stdout)["metrics"]


def test_alone_the_op_is_the_munmap_whatever_the_shootdown_mechanism(tmp_path):
    lat = {v: run(tmp_path, v, 1)["op_latency_ns"] for v in ("ipi", "ipi-2.6", "msg-unicast", "msg-multicast")}
    assert lat["ipi-2.6"] == lat["msg-unicast"] == lat["msg-multicast"], lat
    # today's flush_tlb_mm_range increments the mm's tlb_gen even with no target: an atomic that hits
    m = json.loads((ROOT / "models" / "machine" / "presets" / "amd32.json").read_text())["machine"]
    atomic_hit_ns = (m["l1_cycles"] + m["barrier_cycles"]) / m["freq_ghz"]
    assert abs(lat["ipi"] - lat["ipi-2.6"] - atomic_hit_ns) < 0.01, lat


def test_the_unmap_grows_with_the_cpus_holding_the_mapping(tmp_path):
    ipi = {n: run(tmp_path, "ipi", n) for n in (1, 4, 32)}
    assert ipi[1]["op_latency_ns"] < ipi[4]["op_latency_ns"] < ipi[32]["op_latency_ns"]
    # one munmap per round, by CPU 0 alone: one shootdown per round, every other CPU interrupted once per round
    assert ipi[32]["ops"] == 8
    assert ipi[32]["cores"][0]["tlb_shootdowns"] == 8
    assert all(c["ipis_received"] == 8 for c in ipi[32]["cores"][1:]), [c["ipis_received"] for c in ipi[32]["cores"]]
    msg = {v: run(tmp_path, v, 32)["op_latency_ns"] for v in ("msg-unicast", "msg-multicast")}
    assert msg["msg-multicast"] < msg["msg-unicast"], msg


def test_every_other_cpu_holds_a_translation_when_the_unmap_runs(tmp_path):
    def precise(doc):
        doc["design"]["shootdown"] = "precise"
        doc.pop("variants")
        doc["variants"] = [{"name": "ipi", "set": {"design.shootdown": "precise"}}]
    out = run(tmp_path, "ipi", 32, "--explain", "munmap", edit=precise)
    assert "31 target CPUs" in out, out
