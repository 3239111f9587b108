"""Hardware microbenchmarks: coherence latency reproduces the table; contention on
one line grows linearly with the writers, with a slope change on the Xeon where
writers start to span sockets; readers after a writer queue at the home."""
from __future__ import annotations


import json

import numpy as np

from conftest import ROOT, run_smpsim, sweep


def cycles_per_op(doc):
    return doc["metrics"]["op_latency_ns"] * doc["scenario"]["machine"]["freq_ghz"]


def test_pingpong_reproduces_the_coherence_table(tmp_path):
    _, docs = sweep(tmp_path, "coherence_pingpong.json", "48", accesses=20)
    assert {d["variant"] for d in docs} >= {"load-M-two_hops", "store-S-two_hops"}
    for d in docs:
        if d["cores"] == 48:
            assert abs(cycles_per_op(d) - d["metrics"]["workload"]["table_cycles"]) < 1e-6, d["variant"]
    by = {d["variant"]: cycles_per_op(d) for d in docs if d["cores"] == 48}
    assert by["load-M-same_die"] < by["load-M-same_package"] < by["load-M-one_hop"] < by["load-M-two_hops"]


def test_pingpong_rejects_a_partner_outside_the_run():
    p = run_smpsim("run", ROOT / "scenarios" / "coherence_pingpong.json", "--cores", "4", "--variant", "load-M-one_hop")
    assert p.returncode == 2
    assert "at /workload/distance:" in p.stderr and "at least 13 cores" in p.stderr


def fit(points):
    n = np.array([p[0] for p in points], dtype=float)
    y = np.array([p[1] for p in points])
    slope, icpt = np.polyfit(n, y, 1)
    r2 = 1 - ((y - (slope * n + icpt)) ** 2).sum() / ((y - y.mean()) ** 2).sum()
    return slope, r2


def test_line_contention_grows_linearly_with_a_slope_change_across_xeon_sockets(tmp_path):
    _, docs = sweep(tmp_path, "line_contention.json", "2-80:2", rounds=60)
    series = {v: [(d["cores"], cycles_per_op(d)) for d in docs if d["variant"] == v and d["cores"] >= 2]
              for v in ("opteron48", "xeon80")}
    assert max(n for n, _ in series["opteron48"]) == 48  # skipped beyond the machine
    for v, pts in series.items():
        slope, r2 = fit(pts)
        assert slope > 0 and r2 > 0.95, (v, slope, r2)
    within, _ = fit([p for p in series["xeon80"] if p[0] <= 10])   # one socket: 10 cores
    across, _ = fit([p for p in series["xeon80"] if p[0] >= 12])
    assert across > 2 * within, (within, across)


def test_readers_after_writer_queue_at_the_home(tmp_path):
    _, docs = sweep(tmp_path, "readers_after_writer.json", "2,6,24,48", rounds=40)
    lat = {d["cores"]: cycles_per_op(d) for d in docs if d["cores"] >= 2}
    assert lat[2] < lat[6] < lat[24] < lat[48]
    assert lat[48] > 10 * lat[2]


def test_ipi_rounds_grow_with_targets_and_broadcast_saves_sends(tmp_path):
    _, docs = sweep(tmp_path, "ipi_latency.json", "2,8,24,48", rounds=30)
    lat = {(d["variant"], d["cores"]): cycles_per_op(d) for d in docs if d["cores"] >= 2}
    for v in ("list", "broadcast"):
        assert lat[(v, 2)] < lat[(v, 8)] < lat[(v, 24)] < lat[(v, 48)]
    assert lat[("broadcast", 2)] == lat[("list", 2)]  # one target: the same single send
    for n in (8, 24, 48):
        assert lat[("broadcast", n)] < lat[("list", n)]
    d48 = next(d for d in docs if d["variant"] == "list" and d["cores"] == 48)
    cores = d48["metrics"]["cores"]
    assert cores[0]["ipis_sent"] == 47 * 30
    assert all(c["ipis_received"] == 30 for c in cores[1:])
    assert all(c["time_ns"]["irq_ns"] > 0 for c in cores[1:])


def test_tlb_shootdown_initiator_time_grows_with_targets(tmp_path):
    _, docs = sweep(tmp_path, "tlb_shootdown.json", "2,8,24,48", rounds=20)
    lat = {(d["variant"], d["cores"]): cycles_per_op(d) for d in docs if d["cores"] >= 2}
    for v in ("1-page", "64-pages"):
        assert lat[(v, 2)] < lat[(v, 8)] < lat[(v, 24)] < lat[(v, 48)]
        assert lat[(v, 48)] > 3 * lat[(v, 2)]
    # above the ceiling every TLB is flushed (a full flush costs more than one invlpg)
    assert lat[("64-pages", 8)] > lat[("1-page", 8)]


def test_every_cpu_shooting_down_at_once_costs_more_per_shootdown_and_the_queueing_shows(tmp_path):
    def point(initiators):
        doc = json.loads((ROOT / "scenarios" / "tlb_shootdown.json").read_text())
        doc.pop("variants")
        doc["workload"].update(initiators=initiators, rounds=20)
        path = tmp_path / f"{initiators}.json"
        path.write_text(json.dumps(doc))
        return json.loads(run_smpsim("run", path, "--cores", "16", check=True).stdout)["metrics"]

    one, every = point("one"), point("all")
    assert every["op_latency_ns"] > 2 * one["op_latency_ns"]

    def queued_ns(m):  # waits at every shared resource, interrupt messages' included (on the links)
        return sum(k["wait_total_ns"] for k in m["interconnect"]["by_kind"].values())

    # per shootdown, the machine-wide queueing grows, and interrupt messages now queue on the links
    assert queued_ns(every) / every["ops"] > queued_ns(one) / one["ops"]
    assert one["interconnect"]["interrupt_messages"]["wait_total_ns"] == 0
    assert every["interconnect"]["interrupt_messages"]["wait_total_ns"] > 0
    # a CPU taking the IPIs of several initiators at once takes them as one interrupt
    cores = every["cores"]
    assert sum(c["interrupts_taken"] for c in cores) < sum(c["ipis_received"] for c in cores)
