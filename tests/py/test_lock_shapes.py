"""Acceptance: ticket-lock collapse, MCS flatness, and agreement with the
Markov model, on a real sweep of the demo experiment."""
from __future__ import annotations

import csv

from smpsim_analysis import markov
from smpsim_analysis.results import points_frame, read_jsonl


def speedups(out, variant):
    with open(out / "summary.csv", newline="") as f:
        rows = [r for r in csv.DictReader(f) if r["variant"] == variant]
    return {int(r["cores"]): float(r["speedup"]) for r in rows}


def test_ticket_rises_peaks_and_collapses(demo_sweep):
    s = speedups(demo_sweep, "ticket")
    peak_n = max(s, key=s.get)
    # almost linear at first: within 10% of ideal up to 8 cores
    assert all(s[n] >= 0.9 * n for n in range(1, 9))
    assert 8 < peak_n < 40
    # falls by at least half before 48 cores
    assert min(s[n] for n in s if n > peak_n) <= 0.5 * s[peak_n]
    assert s[48] <= 0.5 * s[peak_n]


def test_mcs_never_falls_more_than_10_percent_below_its_peak(demo_sweep):
    s = speedups(demo_sweep, "mcs")
    peak_n = max(s, key=s.get)
    assert s[peak_n] > 15  # it does scale
    assert all(s[n] >= 0.9 * s[peak_n] for n in s if n > peak_n)


def test_mcs_beats_ticket_past_the_ticket_peak(demo_sweep):
    t, m = speedups(demo_sweep, "ticket"), speedups(demo_sweep, "mcs")
    assert m[48] > 5 * t[48]


def test_ticket_peak_agrees_with_markov_model(demo_sweep):
    df = points_frame(read_jsonl(demo_sweep / "results.jsonl"))
    ticket = df[df.variant == "ticket"].sort_values("cores")
    sim_peak = int(ticket.loc[ticket.speedup.idxmax(), "cores"])
    row = ticket.iloc[0]
    c = {int(n): markov.c_from_reread(r) for n, r in zip(ticket.cores, ticket.mean_reread_cycles)}
    model = markov.speedup_curve(range(1, 49), row.think_cycles, row.cs_cycles, lambda n: c[n])
    model_peak = markov.peak(model)
    assert abs(model_peak - sim_peak) <= 0.2 * sim_peak, (sim_peak, model_peak)
