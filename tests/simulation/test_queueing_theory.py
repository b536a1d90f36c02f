"""The continuous engine's queue against textbook queueing results.

Each case runs ``REPS`` independent queues (their own seeds) of ``HORIZON`` days after
a ``WARMUP`` that is simulated but not counted, and checks that the mean over
replications lies within ``Z`` standard errors of the theoretical value; the standard
error is estimated from the spread across the replications, so the tolerance follows
from the run length instead of being picked by hand. With ``Z = 4`` a correct engine
fails about once in 16,000 runs (and the seeds are fixed, so it does not flake);
the second check makes sure the interval is narrow: at most 15 % of the value.
"""

from __future__ import annotations

import math
import statistics

import pytest

from countypolicing.simulation import QueueRun, simulate_queue

REPS = 8
HORIZON = 40_000.0
WARMUP = 200.0
Z = 4.0


def _runs(**kw: float | str) -> list[QueueRun]:
    return [
        simulate_queue(horizon_days=HORIZON, warmup_days=WARMUP, seed=100 + i, **kw)  # type: ignore[arg-type]  # keyword arguments of simulate_queue
        for i in range(REPS)
    ]


def _within(values: list[float], expected: float) -> None:
    mean = statistics.fmean(values)
    se = statistics.stdev(values) / math.sqrt(len(values))
    assert abs(mean - expected) <= Z * se + 1e-12, (mean, expected, se)
    # and the runs are long enough for the check to be sharp: within 15 % at most
    assert Z * se < 0.15 * max(abs(expected), 1e-9), (se, expected)


def erlang_c(c: int, a: float) -> float:
    """Probability of waiting in M/M/c with offered load a = lambda / mu."""
    rho = a / c
    top = a**c / math.factorial(c) / (1 - rho)
    return top / (math.fsum(a**k / math.factorial(k) for k in range(c)) + top)


def erlang_b(c: int, a: float) -> float:
    """Blocking probability of M/M/c/c."""
    return (a**c / math.factorial(c)) / math.fsum(
        a**k / math.factorial(k) for k in range(c + 1)
    )


def mm1_abandonment(lam: float, mu: float, theta: float) -> tuple[float, float]:
    """M/M/1+M: probability of abandoning and mean time in queue (all customers)."""
    weights = [1.0]
    for n in range(1, 2000):
        weights.append(weights[-1] * lam / (mu + (n - 1) * theta))
        if weights[-1] < 1e-300:
            break
    total = math.fsum(weights)
    queue = math.fsum((n - 1) * w for n, w in enumerate(weights) if n >= 1) / total
    return theta * queue / lam, queue / lam


def test_mm1_mean_wait_matches_rho_over_mu_minus_lambda() -> None:
    lam, s = 0.7, 1.0  # rho = 0.7
    runs = _runs(arrival_rate=lam, service_days=s, servers=1)
    _within([r.mean_wait for r in runs], (lam * s) / (1 / s - lam))


@pytest.mark.parametrize(("c", "lam", "s"), [(2, 1.5, 1.0), (5, 4.0, 1.0)])
def test_mmc_mean_wait_matches_erlang_c(c: int, lam: float, s: float) -> None:
    runs = _runs(arrival_rate=lam, service_days=s, servers=c)
    a = lam * s
    expected = erlang_c(c, a) / (c / s - lam)
    _within([r.mean_wait for r in runs], expected)


def test_mm1_with_exponential_patience_matches_the_birth_death_solution() -> None:
    lam, mu, theta = 1.2, 1.0, 0.5  # overloaded without abandonment
    runs = _runs(
        arrival_rate=lam, service_days=1 / mu, servers=1, patience_days=1 / theta
    )
    share, wait = mm1_abandonment(lam, mu, theta)
    _within([r.abandon_share for r in runs], share)
    _within([r.mean_wait_all for r in runs], wait)


def test_zero_patience_gives_the_erlang_b_loss_system() -> None:
    c, lam, s = 3, 2.0, 1.0
    runs = _runs(
        arrival_rate=lam,
        service_days=s,
        servers=c,
        patience_days=0.0,
        patience="fixed",
    )
    _within([r.abandon_share for r in runs], erlang_b(c, lam * s))
    assert all(r.mean_wait == 0.0 for r in runs)


def test_md1_mean_wait_matches_pollaczek_khinchine() -> None:
    lam, s = 0.7, 1.0  # fixed service: Wq = rho * s / (2 (1 - rho))
    runs = _runs(arrival_rate=lam, service_days=s, servers=1, service="fixed")
    rho = lam * s
    _within([r.mean_wait for r in runs], rho * s / (2 * (1 - rho)))


def test_fifo_order_is_kept_every_served_dispute_starts_after_the_one_before() -> None:
    run = simulate_queue(
        arrival_rate=3.0, service_days=1.0, servers=2, horizon_days=500.0, seed=3
    )
    assert run.served > 1000
    assert run.abandoned == 0
    assert min(run.waits.tolist()) >= 0.0
