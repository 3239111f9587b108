"""Every design-review figure, built from a small checked-in results file: axis labels and series."""
from __future__ import annotations

import json

import matplotlib.pyplot as plt
import pytest

from conftest import ROOT
from smpsim_analysis import figures as F

DATA = ROOT / "tests" / "data" / "ticket_mcs_small.jsonl"  # ticket_vs_mcs at 1,2,4,8,12,16 cores, 60 acquisitions


@pytest.fixture(scope="module")
def docs():
    return [json.loads(line) for line in DATA.read_text().splitlines()]


def labels(ax):
    return ax.get_xlabel(), ax.get_ylabel()


def test_scaling_has_throughput_and_speedup_per_variant_with_ideal_and_fits(docs):
    fits = F.fit_all(docs)
    fig = F.scaling(docs, fits)
    thr, spd = fig.axes
    assert labels(thr) == ("cores", "throughput (ops/s)")
    assert labels(spd) == ("cores", "speedup (throughput / 1-core throughput)")
    names = [l.get_label() for l in spd.lines]
    assert names == ["ideal", "ticket", "mcs"]
    fitted = [l.get_label() for l in thr.lines if l.get_label().endswith("USL fit")]
    assert fitted == [f"{v} USL fit" for v in ("ticket", "mcs") if fits[v].holds]
    plt.close(fig)


def test_time_states_stack_the_cpu_states_per_variant_and_core_count(docs):
    fig = F.time_states(docs, cores=[4, 16])
    (ax,) = [a for a in fig.axes if a.get_ylabel()]
    assert ax.get_ylabel() == "share of CPU time"
    assert [t.get_text() for t in ax.get_xticklabels()] == ["ticket\n4 cores", "ticket\n16 cores", "mcs\n4 cores", "mcs\n16 cores"]
    states = [t.get_text() for t in ax.get_legend().get_texts()]
    assert {"user", "spin"} <= set(states)
    plt.close(fig)


def test_contended_locks_rank_locks_per_variant(docs):
    fig = F.contended_locks(docs)
    bars, scatter = fig.axes
    assert bars.get_xlabel() == "wait time, share of all CPU time"
    # with one lock the bar is what the waiting costs the run, not a trivial 100% of the wait
    d16 = [d for d in docs if d["cores"] == 16 and d["variant"] == "ticket"][0]
    share = d16["metrics"]["locks"][0]["waittime_total_ns"] / sum(d16["metrics"]["time_ns"].values())
    assert 0 < share < 1 and bars.patches[0].get_width() == pytest.approx(share)
    assert [t.get_text() for t in bars.get_yticklabels()] == ["ticket @16  micro", "mcs @16  micro"]
    assert labels(scatter) == ("average hold time (ns)", "average wait time (ns)")
    assert len(scatter.collections) == 2
    plt.close(fig)


def test_per_op_panels_have_a_series_per_variant(docs):
    fig = F.memory_traffic(docs)
    assert [a.get_ylabel() for a in fig.axes] == ["full barriers per op", "atomics per op", "cache-line transfers per op"]
    for ax in fig.axes:
        assert ax.get_xlabel() == "cores"
        assert len(ax.lines) == 2
    plt.close(fig)


def test_panels_without_data_are_left_out(docs):
    # a lock micro-benchmark sends no IPI, shoots nothing down and sends no message: no figure at all
    with pytest.raises(ValueError, match="no run counted"):
        F.interrupts_and_messages(docs)
    # with IPIs only, only the IPI panel is drawn
    docs = json.loads(json.dumps(docs))
    for d in docs:
        d["metrics"]["perf"]["per_op"]["ipis_sent"] = d["cores"] - 1
    fig = F.interrupts_and_messages(docs)
    assert [a.get_ylabel() for a in fig.axes] == ["IPIs sent per op"]
    plt.close(fig)


def test_transfer_heatmap_is_cores_by_cores(docs):
    fig = F.transfer_heatmap(docs)
    ax = fig.axes[0]
    assert labels(ax) == ("to CPU", "from CPU")
    assert ax.images[0].get_array().shape == (16, 16)
    assert "ticket @16 cores" in ax.get_title()
    plt.close(fig)


def test_markov_overlay_only_for_ticket_series(docs):
    fig = F.markov_overlay(docs)
    ax = fig.axes[0]
    assert labels(ax) == ("cores", "speedup (throughput / 1-core throughput)")
    names = [l.get_label() for l in ax.lines]
    assert names[:2] == ["ideal", "ticket (simulated)"] and names[2].startswith("ticket (Markov model, peak")
    assert len(names) == 3
    plt.close(fig)


def test_replications_are_averaged_with_confidence_bars(docs):
    """Two replications per point: one line through the means, a 95% bar at each point (Student's t, 1 df)."""
    reps = []
    for d in docs:
        for r, f in ((0, 0.9), (1, 1.1)):
            e = json.loads(json.dumps(d))
            e["replication"] = r
            e["metrics"]["throughput_per_s"] *= f
            reps.append(e)
    fig = F.scaling(reps)
    thr, spd = fig.axes
    ticket = [l for l in thr.lines if l.get_label() == "ticket"][0]
    means = [d["metrics"]["throughput_per_s"] for d in docs if d["variant"] == "ticket"]
    assert list(ticket.get_ydata()) == pytest.approx(means)  # the mean of 0.9x and 1.1x
    assert len(thr.containers) == 2 and len(spd.containers) == 2  # error bars per variant, both panels
    bars = thr.containers[0].lines[2][0].get_segments()
    half = 12.706205 * (0.2 * means[0] / 2 ** 0.5) / 2 ** 0.5  # t(0.975, 1) * sd / sqrt(2)
    assert bars[0][1][1] - bars[0][0][1] == pytest.approx(2 * half, rel=1e-6)
    plt.close(fig)
