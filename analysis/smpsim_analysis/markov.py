"""The ticket-spinlock Markov model of Boyd-Wickizer, Kaashoek, Morris and
Zeldovich, "Non-scalable locks are dangerous" (Linux Symposium 2012, s. 3).

States k = 0..n: cores holding or waiting for the lock. Arrivals at rate
(n - k) / a; service at rate 1 / (s + c k / 2), where c is the time the home
directory takes to answer one re-read of the lock line. Computed in log space.
"""
from __future__ import annotations

import math
from typing import Callable, Iterable


def c_from_reread(mean_reread: float) -> float:
    """The model's `c` from the simulated machine's mean re-read latency.

    The model's service time s + c k / 2 says the next ticket holder gets the
    line after k/2 answers on average. In smpsim (as in a directory protocol)
    the home answers every request for the line in order, so the next
    holder's release store also waits behind the remaining re-reads: a
    hand-off costs all k answers. The model's c is therefore twice the mean
    time of one answer: s + k * mean_reread.
    """
    return 2.0 * mean_reread


def state_probabilities(n: int, a: float, s: float, c: float) -> list[float]:
    """P_0..P_n for n cores (a, s, c in the same time unit)."""
    if n < 1 or a <= 0 or s < 0 or c < 0:
        raise ValueError("need n >= 1, a > 0, s >= 0, c >= 0")
    log_w = [0.0]
    for k in range(1, n + 1):
        # P_k / P_{k-1} = arrival(k-1) / service(k) = ((n-k+1)/a) * (s + k c/2)
        log_w.append(log_w[-1] + math.log(n - k + 1) - math.log(a) + math.log(s + k * c / 2.0))
    top = max(log_w)
    w = [math.exp(x - top) for x in log_w]
    z = sum(w)
    return [x / z for x in w]


def busy_cores(n: int, a: float, s: float, c: float) -> float:
    """Expected cores outside the lock (doing useful work): n - E[k]."""
    p = state_probabilities(n, a, s, c)
    return n - sum(k * pk for k, pk in enumerate(p))


def speedup_curve(cores: Iterable[int], a: float, s: float,
                  c: float | Callable[[int], float]) -> dict[int, float]:
    """Model speedup at each core count, normalised to the model at n = 1
    (throughput is proportional to busy cores). `c` may depend on n."""
    cf = c if callable(c) else (lambda _n: c)
    one = busy_cores(1, a, s, cf(1))
    return {n: busy_cores(n, a, s, cf(n)) / one for n in cores}


def peak(curve: dict[int, float]) -> int:
    """The core count with the highest speedup."""
    return max(curve, key=lambda n: (curve[n], -n))
