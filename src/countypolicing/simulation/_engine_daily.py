"""Daily time: the mediation queues stepped one day at a time, vectorised over queues.

The waiting disputes of every queue are kept as one array of (queue, arrival day)
rows, sorted by queue and then by arrival. A day, for every queue at once:

1. the day's arrivals join the end of their queue;
2. each channel closes up to its capacity that day, oldest first (FIFO by age);
   the capacity is Poisson(servers / mean service days) with exponential service,
   or servers / mean service days, fractions carried over, with fixed service;
3. each closed dispute ends in an agreement with the channel's agreement rate;
4. disputes still waiting give up at the end of the day: with exponential patience
   each with probability 1 - exp(-1 / patience_days), with fixed patience those
   that have waited ``floor(patience_days)`` days or more; a share of them turn to
   the police, the rest to court.

Arrivals and capacities are drawn for the whole stretch in one call per stream;
outcomes and abandonments are drawn day by day because they depend on the queues.
"""

from __future__ import annotations

import math
from typing import Any

import attrs
import numpy as np

from countypolicing.simulation._model import Config
from countypolicing.simulation._state import WAIT_UNITS

__all__ = ["DailyQueues", "QueueHistory", "empty_history", "run_daily_queues"]

Array = Any  # numpy arrays

#: Capacity standing for "unlimited" (service_days 0): more than can ever wait.
_UNLIMITED = 2**62


@attrs.frozen(kw_only=True, eq=False)
class DailyQueues:
    """The daily engine's queue state."""

    waiting: Array  # (n, 2) int64: queue, arrival day; sorted by queue, arrival
    carry: Array  # (Q,) float: fractional capacity carried over (fixed service)


@attrs.frozen(kw_only=True, eq=False)
class QueueHistory:
    """What the queues did each day of a stretch, by queue (``T`` days, ``Q`` queues)."""

    arrivals: Array  # (T, Q)
    resolved: Array  # (T, Q)
    agreed: Array  # (T, Q)
    served_call: Array  # (T, Q)
    escalated_police: Array  # (T, Q)
    escalated_litigation: Array  # (T, Q)
    wait_resolved: int  # in WAIT_UNITS
    time_resolved: int  # in WAIT_UNITS
    wait_escalated: int  # in WAIT_UNITS


def empty_history(q_count: int) -> QueueHistory:
    """The history of a stretch of no days."""
    zeros = np.zeros((0, q_count), dtype=np.int64)
    return QueueHistory(
        arrivals=zeros,
        resolved=zeros,
        agreed=zeros,
        served_call=zeros,
        escalated_police=zeros,
        escalated_litigation=zeros,
        wait_resolved=0,
        time_resolved=0,
        wait_escalated=0,
    )


def _capacity(
    cfg: Config, days: int, carry: Array, rng: np.random.Generator
) -> tuple[Array, Array]:
    """Each day's capacity per queue, and the carry left after the last day."""
    cap = np.asarray(cfg.capacity, dtype=float)
    unlimited = np.isinf(cap)
    finite = np.where(unlimited, 0.0, cap)
    carry = np.asarray(carry, dtype=float)
    if cfg.parameters.service_distribution == "exponential":
        out = rng.poisson(np.broadcast_to(finite, (days, finite.size)))
    else:
        cumulative = carry[None, :] + finite[None, :] * np.arange(1, days + 1)[:, None]
        whole = np.floor(cumulative + 1e-9)
        previous = np.vstack([np.zeros((1, finite.size)), whole[:-1]])
        out = whole - previous
        carry = cumulative[-1] - whole[-1]
    out = np.asarray(out, dtype=np.int64)
    out[:, unlimited] = _UNLIMITED
    return out, carry


_SHIFT = 32
_MASK = (1 << _SHIFT) - 1


def run_daily_queues(  # noqa: C901, PLR0915  # the day loop, kept in one frame for speed
    cfg: Config,
    queues: DailyQueues,
    *,
    start: int,
    days: int,
    arrivals_rng: np.random.Generator,
    service_rng: np.random.Generator,
    outcome_rng: np.random.Generator,
    patience_rng: np.random.Generator,
    escalation_rng: np.random.Generator,
) -> tuple[DailyQueues, QueueHistory]:
    """Step the queues ``days`` days from day ``start``; return state and daily counts.

    Waiting disputes are kept as one sorted int64 array of ``queue << 32 | arrival
    day`` keys, so a day is a handful of numpy calls whatever the number of queues.
    Agreements, 110-call origins and who of those giving up turns to the police are
    drawn for the whole stretch after the loop: given the day's counts they are
    independent of everything else.
    """
    p = cfg.parameters
    q_count = cfg.servers.size
    if days <= 0:
        return queues, empty_history(q_count)
    routes = cfg.route_rate.reshape(-1)
    drawn = arrivals_rng.poisson(np.broadcast_to(routes, (days, routes.size)))
    arrivals = np.rint(drawn @ cfg.merge).astype(np.int64)  # (T, Q), exact small ints
    capacity, carry = _capacity(cfg, days, queues.carry, service_rng)

    waiting = np.asarray(queues.waiting, dtype=np.int64).reshape(-1, 2)
    keys = np.sort((waiting[:, 0] << _SHIFT) | waiting[:, 1])
    queue_keys = np.arange(q_count, dtype=np.int64) << _SHIFT

    resolved = np.zeros((days, q_count), dtype=np.int64)
    abandoned = np.zeros((days, q_count), dtype=np.int64)
    exponential = p.patience_distribution == "exponential"
    patience = p.patience_days
    give_up = 1.0 if patience == 0 else -math.expm1(-1.0 / patience)
    threshold = math.inf if math.isinf(patience) else math.floor(patience)
    wait_resolved = 0
    wait_escalated = 0
    rank_base = np.arange(0)

    for i in range(days):
        day = start + i
        today = arrivals[i]
        if today.any():
            keys = np.sort(
                np.concatenate([keys, np.repeat(queue_keys | day, today)]),
                kind="stable",
            )
        n = keys.size
        if not n:
            continue
        # FIFO: the first `capacity` disputes of each queue are closed today
        q = keys >> _SHIFT
        if rank_base.size < n:
            rank_base = np.arange(2 * n)
        served = rank_base[:n] - np.searchsorted(q, q) < capacity[i][q]
        done = keys[served]
        if done.size:
            resolved[i] = np.bincount(done >> _SHIFT, minlength=q_count)
            wait_resolved += day * done.size - int((done & _MASK).sum())
            keys = keys[~served]
            if not keys.size:
                continue
        # patience runs out at the end of the day
        if exponential:
            if give_up <= 0:
                continue
            gone = patience_rng.random(keys.size) < give_up
        else:
            gone = day - (keys & _MASK) >= threshold
        left = keys[gone]
        if left.size:
            abandoned[i] = np.bincount(left >> _SHIFT, minlength=q_count)
            wait_escalated += day * left.size - int((left & _MASK).sum())
            keys = keys[~gone]

    outcome_p = np.concatenate([cfg.agreement, cfg.queue_call_share])
    outcomes = outcome_rng.binomial(np.hstack([resolved, resolved]), outcome_p)
    police = escalation_rng.binomial(abandoned, p.escalate_to_police_share)
    served_by_queue = resolved.sum(axis=0)
    history = QueueHistory(
        arrivals=arrivals,
        resolved=resolved,
        agreed=outcomes[:, :q_count],
        served_call=outcomes[:, q_count:],
        escalated_police=police,
        escalated_litigation=abandoned - police,
        wait_resolved=wait_resolved * WAIT_UNITS,
        time_resolved=wait_resolved * WAIT_UNITS
        + int(
            served_by_queue @ np.rint(cfg.service_days * WAIT_UNITS).astype(np.int64)
        ),
        wait_escalated=wait_escalated * WAIT_UNITS,
    )
    state = DailyQueues(
        waiting=np.column_stack([keys >> _SHIFT, keys & _MASK]), carry=carry
    )
    return state, history
