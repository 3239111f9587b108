"""The Universal Scalability Law (Gunther): X(N) = gamma N / (1 + sigma (N - 1) + kappa N (N - 1)).

sigma is contention (serialization), kappa coherency (crosstalk); throughput peaks at
N* = sqrt((1 - sigma) / kappa). A fit that a sudden drop breaks (a cliff, as a ticket lock's
collapse) is reported as such instead of pretending the curve holds.
"""
from __future__ import annotations

import math
import warnings
from dataclasses import dataclass
from typing import Optional, Sequence

import numpy as np
from scipy import optimize, stats

MIN_POINTS = 4
# A point more than this far below the curve, relative to it, falls off a cliff.
CLIFF_DROP = 0.25
# With residuals beyond this (relative), the fit does not describe the series.
MAX_REL_RESIDUAL = 0.15


class UslError(ValueError):
    """The data cannot be fitted (too few points, non-positive throughput)."""


@dataclass
class UslFit:
    gamma: float
    sigma: float
    kappa: float
    gamma_ci: tuple[float, float]
    sigma_ci: tuple[float, float]
    kappa_ci: tuple[float, float]
    n_star: float  # inf when kappa == 0
    r2: float
    max_rel_residual: float
    cliff_at: Optional[int]  # the first core count that drops off the fitted curve
    holds: bool

    def predict(self, n) -> np.ndarray:
        return usl(np.asarray(n, dtype=float), self.gamma, self.sigma, self.kappa)

    def note(self) -> str:
        if self.cliff_at is not None:
            return f"cliff at {self.cliff_at} cores: throughput falls off the USL curve (the fit does not hold)"
        if not self.holds:
            return f"poor fit (residuals up to {self.max_rel_residual:.0%})"
        if self.sigma >= 1:
            peak = "no gain from a second core (sigma >= 1)"
        elif math.isinf(self.n_star):
            peak = "no peak (kappa = 0)"
        else:
            peak = f"N* = {self.n_star:.1f}"
        return f"sigma = {self.sigma:.4f}, kappa = {self.kappa:.6f}, {peak}"


def usl(n, gamma, sigma, kappa):
    return gamma * n / (1 + sigma * (n - 1) + kappa * n * (n - 1))


def _fit(n: np.ndarray, x: np.ndarray):
    g0 = float(x[np.argmin(n)] / n.min())
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", optimize.OptimizeWarning)
        p, cov = optimize.curve_fit(usl, n, x, p0=[g0, 0.01, 1e-4], bounds=([0, 0, 0], [np.inf, np.inf, np.inf]),
                                    maxfev=20000)
    return p, cov


def fit(cores: Sequence[float], throughput: Sequence[float], confidence: float = 0.95) -> UslFit:
    n = np.asarray(cores, dtype=float)
    x = np.asarray(throughput, dtype=float)
    if len(n) != len(x):
        raise UslError("cores and throughput differ in length")
    if len(np.unique(n)) < MIN_POINTS:
        raise UslError(f"the USL fit needs at least {MIN_POINTS} distinct core counts, got {len(np.unique(n))}")
    if (x <= 0).any() or (n < 1).any():
        raise UslError("the USL fit needs positive throughput at core counts >= 1")
    order = np.argsort(n)
    n, x = n[order], x[order]
    p, cov = _fit(n, x)
    # A cliff: a point far below the curve fitted to the points before it.
    cliff = None
    for i in range(3, len(n)):  # three points determine the curve (gamma, sigma, kappa)
        try:
            q, _ = _fit(n[:i], x[:i])
        except RuntimeError:
            continue
        expected = usl(n[i], *q)
        if x[i] < (1 - CLIFF_DROP) * expected and x[i] < x[i - 1]:
            cliff = int(n[i])
            break
    pred = usl(n, *p)
    rel = np.abs(x - pred) / pred
    ss_res = float(((x - pred) ** 2).sum())
    ss_tot = float(((x - x.mean()) ** 2).sum()) or 1.0
    dof = max(1, len(n) - 3)
    t = stats.t.ppf(0.5 + confidence / 2, dof)
    err = np.sqrt(np.clip(np.diag(cov), 0, None)) * t if np.all(np.isfinite(cov)) else np.full(3, np.inf)
    ci = [(float(max(0.0, v - e)), float(v + e)) for v, e in zip(p, err)]
    gamma, sigma, kappa = (float(v) for v in p)
    if sigma >= 1:
        n_star = 1.0
    else:
        n_star = math.sqrt((1 - sigma) / kappa) if kappa > 0 else math.inf
    max_rel = float(rel.max())
    return UslFit(gamma, sigma, kappa, ci[0], ci[1], ci[2], n_star, 1 - ss_res / ss_tot, max_rel, cliff,
                  holds=cliff is None and max_rel <= MAX_REL_RESIDUAL)
