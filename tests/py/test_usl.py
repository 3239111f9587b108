"""The Universal Scalability Law fit: recovers known parameters, flags cliffs, refuses too few points."""
from __future__ import annotations

import numpy as np
import pytest

from smpsim_analysis import usl


@pytest.mark.parametrize("sigma, kappa", [(0.05, 0.001), (0.2, 0.0), (0.01, 0.0003)])
def test_fit_recovers_sigma_and_kappa_within_5_percent(sigma, kappa):
    n = np.array([1, 2, 4, 8, 12, 16, 24, 32, 48, 64])
    rng = np.random.default_rng(7)
    x = usl.usl(n, 1000.0, sigma, kappa) * (1 + rng.normal(0, 0.001, len(n)))  # 0.1% noise
    f = usl.fit(n, x)
    assert f.sigma == pytest.approx(sigma, rel=0.05)
    assert f.kappa == pytest.approx(kappa, rel=0.05, abs=1e-5)
    assert f.holds and f.cliff_at is None
    assert f.sigma_ci[0] <= f.sigma <= f.sigma_ci[1]
    if kappa:
        assert f.n_star == pytest.approx(np.sqrt((1 - sigma) / kappa), rel=0.05)


def test_fit_flags_a_cliff_instead_of_pretending():
    n = np.array([1, 2, 4, 8, 12, 16, 24, 32, 48])
    x = usl.usl(n, 1000.0, 0.02, 0.0002)
    x[n >= 24] *= 0.3  # a ticket lock's collapse
    f = usl.fit(n, x)
    assert f.cliff_at == 24
    assert not f.holds
    assert "cliff at 24 cores" in f.note()


def test_fit_refuses_fewer_than_4_points():
    with pytest.raises(usl.UslError, match="at least 4 distinct core counts, got 3"):
        usl.fit([1, 2, 4], [1.0, 1.9, 3.5])
