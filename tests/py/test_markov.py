"""The ticket-lock Markov model (Boyd-Wickizer et al. 2012, section 3)."""
from __future__ import annotations

import math

import pytest

from smpsim_analysis import markov


def test_probabilities_sum_to_one_and_match_one_core_closed_form():
    p = markov.state_probabilities(1, a=100.0, s=25.0, c=10.0)
    # P1/P0 = (1/a) * (s + c/2)
    assert p[1] / p[0] == pytest.approx((25 + 5) / 100)
    for n in (2, 48, 1024):
        assert sum(markov.state_probabilities(n, 20000, 400, 300)) == pytest.approx(1.0)


def test_no_overflow_at_large_n():
    b = markov.busy_cores(4096, 20000, 400, 300)
    assert math.isfinite(b) and 0 < b < 4096


def test_free_handoff_never_collapses():
    curve = markov.speedup_curve(range(1, 97), 20000, 400, 0.0)
    vals = [curve[n] for n in range(1, 97)]
    assert all(b >= a - 1e-9 for a, b in zip(vals, vals[1:]))
    assert vals[-1] == pytest.approx((20000 + 400) / 400, rel=0.05)  # bounded by 1/s


def test_costly_handoff_peaks_then_collapses():
    curve = markov.speedup_curve(range(1, 49), 20000, 400, 300)
    n = markov.peak(curve)
    assert 5 < n < 48
    assert curve[48] < 0.5 * curve[n]


def test_larger_c_moves_the_peak_earlier():
    p = [markov.peak(markov.speedup_curve(range(1, 65), 20000, 400, c)) for c in (100, 200, 400)]
    assert p[0] > p[1] > p[2]


def test_bad_parameters():
    with pytest.raises(ValueError):
        markov.state_probabilities(0, 1, 1, 1)
