"""Continuous time: each station queue event by event, an exact multi-server FIFO queue.

Disputes arrive on each route (station x routed channel) as a Poisson process;
each carries its own patience, service time and outcome marks, drawn from the
route's stream six uniforms at a time. A queue serves in order of arrival with
``c`` servers: a dispute starts when the earliest server frees up (or on arrival),
unless its patience runs out first, in which case it leaves without taking a
server. Processing arrivals in time order with a heap of server free times is the
event-driven simulation of that queue (the Kiefer-Wolfowitz recursion), exact for
FIFO with abandonment and any service and patience distribution.

`simulate_queue` exposes one such queue for checking against queueing theory.
"""

from __future__ import annotations

import heapq
import math
from typing import Any, Final

import attrs
import numpy as np

from countypolicing.simulation._engine_daily import QueueHistory
from countypolicing.simulation._model import Config
from countypolicing.simulation._state import WAIT_UNITS

__all__ = [
    "ContinuousQueues",
    "QueueRun",
    "run_continuous_queues",
    "serve_fifo",
    "simulate_queue",
]

Array = Any  # numpy arrays

#: Uniforms per dispute: gap, patience, service, agreement, police, 110 call.
_U: Final = 6
#: Rows drawn at a time from a route's stream.
_BLOCK: Final = 256

# status codes of serve_fifo
RESOLVED: Final = 0
IN_SERVICE: Final = 1
ABANDONED: Final = 2
WAITING: Final = 3


@attrs.frozen(kw_only=True, eq=False)
class ContinuousQueues:
    """The continuous engine's queue state (see `SimulationState`)."""

    waiting: Array  # (n, 7): queue, arrival, deadline, service, agreed, police, call
    in_service: Array  # (m, 6): queue, arrival, start, completion, agreed, call
    route_next: Array  # (R,): next arrival time of each route (nan: not started)
    route_rows: Array  # (n, 1 + 6): route, uniforms of the pending and later arrivals


def serve_fifo(
    arrivals: Array,
    deadlines: Array,
    services: Array,
    free: list[float],
    stop: float,
) -> tuple[Array, Array, list[float]]:
    """Serve disputes in arrival order with the servers free at the times in ``free``.

    Args:
        arrivals: arrival times, non-decreasing.
        deadlines: time each dispute gives up (arrival + patience; inf: never).
        services: service times.
        free: each server's free-at time (a heap; its length is the number of
            servers).
        stop: the end of the stretch simulated.

    Returns:
        The start time of each dispute (nan when it does not start), its status
        (0 resolved before ``stop``, 1 in service at ``stop``, 2 gave up before
        ``stop``, 3 still waiting at ``stop``), and the servers' free-at heap.

    Examples:
        >>> import numpy as np
        >>> start, status, free = serve_fifo(
        ...     np.array([0.0, 0.1, 0.2]),
        ...     np.array([9.0, 9.0, 0.5]),
        ...     np.array([1.0, 1.0, 1.0]),
        ...     [0.0],
        ...     stop=10.0,
        ... )
        >>> start.tolist(), status.tolist()
        ([0.0, 1.0, nan], [0, 0, 2])
    """
    n = len(arrivals)
    start = np.full(n, math.nan)
    status = np.empty(n, dtype=np.int64)
    heap = list(free)
    heapq.heapify(heap)
    a_list = arrivals.tolist()
    d_list = deadlines.tolist()
    s_list = services.tolist()
    inf = math.inf
    for i in range(n):
        a = a_list[i]
        begin = heap[0] if heap else inf
        begin = max(begin, a)
        if begin > d_list[i]:
            status[i] = ABANDONED if d_list[i] < stop else WAITING
        elif begin >= stop:
            status[i] = WAITING
        else:
            end = begin + s_list[i]
            heapq.heapreplace(heap, end)
            start[i] = begin
            status[i] = RESOLVED if end < stop else IN_SERVICE
    return start, status, heap


def _units(days: Array) -> int:
    """Durations in whole WAIT_UNITS, summed exactly."""
    return int(np.rint(np.asarray(days) * WAIT_UNITS).astype(np.int64).sum())


def _times(uniforms: Array, mean: float, *, exponential: bool) -> Array:
    if math.isinf(mean):
        return np.full(uniforms.shape, math.inf)
    if not exponential:
        return np.full(uniforms.shape, float(mean))
    return -np.log1p(-uniforms) * mean


def _route_arrivals(
    rate: float,
    next_time: float,
    rows: Array,
    rng: np.random.Generator,
    *,
    start: float,
    stop: float,
) -> tuple[Array, Array, float, Array]:
    """Arrival times in [start, stop) and their uniforms; the next arrival; leftovers."""
    empty = np.zeros((0, _U))
    if rate <= 0:
        return np.zeros(0), empty, next_time, rows
    if math.isnan(next_time):
        rows = rng.random((_BLOCK, _U))
        next_time = start + float(-math.log1p(-rows[0, 0]) / rate)
    times_out: list[Array] = []
    rows_out: list[Array] = []
    while True:
        gaps = -np.log1p(-rows[1:, 0]) / rate
        times = np.cumsum(np.concatenate([[next_time], gaps]))
        inside = int(np.searchsorted(times, stop, side="left"))
        times_out.append(times[:inside])
        rows_out.append(rows[:inside])
        if inside < len(rows):
            return (
                np.concatenate(times_out),
                np.concatenate(rows_out),
                float(times[inside]),
                rows[inside:],
            )
        fresh = rng.random((_BLOCK, _U))
        next_time = float(times[-1] + (-math.log1p(-fresh[0, 0]) / rate))
        rows = fresh


def run_continuous_queues(  # noqa: C901, PLR0912, PLR0915  # the event loop per queue, with its bookkeeping
    cfg: Config,
    queues: ContinuousQueues,
    *,
    start: int,
    days: int,
    route_rngs: list[np.random.Generator],
) -> tuple[ContinuousQueues, QueueHistory, int]:
    """Simulate every queue event by event over ``days`` days from day ``start``.

    Returns:
        The new queue state, the day-by-day counts per queue, and the number of
        events processed (arrivals, starts of mediation, completions, give-ups).
    """
    p = cfg.parameters
    q_count = cfg.servers.size
    stop = float(start + days)
    exp_patience = p.patience_distribution == "exponential"
    exp_service = p.service_distribution == "exponential"
    serving = np.argmax(cfg.merge, axis=1)  # route -> queue
    routes = cfg.route_rate.reshape(-1)
    route_call = cfg.route_call_share.reshape(-1)
    n_routes = routes.size

    next_times = np.array(queues.route_next, dtype=float).reshape(-1)
    if next_times.size != n_routes:
        next_times = np.full(n_routes, math.nan)
    saved = np.asarray(queues.route_rows).reshape(-1, 1 + _U)
    new_next = np.empty(n_routes)
    leftovers: list[Array] = []
    per_queue: list[list[Array]] = [[] for _ in range(q_count)]
    for r in range(n_routes):
        rows = saved[saved[:, 0] == r, 1:]
        times, uniforms, nxt, rest = _route_arrivals(
            float(routes[r]),
            float(next_times[r]),
            rows,
            route_rngs[r],
            start=start,
            stop=stop,
        )
        new_next[r] = nxt
        if len(rest):
            leftovers.append(np.column_stack([np.full(len(rest), r), rest]))
        if times.size:
            q = int(serving[r])
            mean_service = float(cfg.service_days[q])
            block = np.column_stack(
                [
                    np.full(times.size, q, dtype=float),
                    times,
                    times
                    + _times(uniforms[:, 1], p.patience_days, exponential=exp_patience),
                    _times(uniforms[:, 2], mean_service, exponential=exp_service),
                    uniforms[:, 3] < cfg.agreement[q],
                    uniforms[:, 4] < p.escalate_to_police_share,
                    uniforms[:, 5] < route_call[r],
                ]
            )
            per_queue[q].append(block)

    waiting_old = np.asarray(queues.waiting).reshape(-1, 7)
    busy_old = np.asarray(queues.in_service).reshape(-1, 6)
    shape = (days, q_count)
    hist = {
        name: np.zeros(shape, dtype=np.int64)
        for name in (
            "arrivals",
            "resolved",
            "agreed",
            "served_call",
            "police",
            "litigation",
        )
    }
    waits = [0, 0, 0]  # resolved wait, resolved time, escalated wait (WAIT_UNITS)
    new_waiting: list[Array] = []
    new_busy: list[Array] = []
    events = 0

    def day_counts(times: Array, weights: Array | None = None) -> Array:
        index = np.floor(times).astype(np.int64) - start
        return np.bincount(index, weights=weights, minlength=days)[:days]

    for q in range(q_count):
        mine_old = waiting_old[waiting_old[:, 0] == q]
        fresh = np.concatenate(per_queue[q]) if per_queue[q] else np.zeros((0, 7))
        if fresh.size:
            fresh = fresh[np.argsort(fresh[:, 1], kind="stable")]
            hist["arrivals"][:, q] = day_counts(fresh[:, 1])
        customers = np.concatenate([mine_old, fresh]) if mine_old.size else fresh
        busy = busy_old[busy_old[:, 0] == q]
        # disputes already in mediation finish first
        done = busy[busy[:, 3] < stop]
        still = busy[busy[:, 3] >= stop]
        if done.size:
            hist["resolved"][:, q] += day_counts(done[:, 3]).astype(np.int64)
            hist["agreed"][:, q] += day_counts(done[:, 3], done[:, 4]).astype(np.int64)
            hist["served_call"][:, q] += day_counts(done[:, 3], done[:, 5]).astype(
                np.int64
            )
            waits[0] += _units(done[:, 2] - done[:, 1])
            waits[1] += _units(done[:, 3] - done[:, 1])
        if still.size:
            new_busy.append(still)
        servers = int(cfg.servers[q])
        ends = sorted(busy[:, 3].tolist())
        if servers >= len(ends):
            free = ends + [float(start)] * (servers - len(ends))
        else:
            free = ends[len(ends) - servers :] if servers else []
        if not customers.size:
            continue
        begin, status, _ = serve_fifo(
            customers[:, 1], customers[:, 2], customers[:, 3], free, stop
        )
        events += int(fresh.shape[0])
        served = status <= IN_SERVICE
        events += int(served.sum())
        ok = status == RESOLVED
        ends_ok = begin[ok] + customers[ok, 3]
        events += int(ok.sum())
        if ok.any():
            hist["resolved"][:, q] += day_counts(ends_ok).astype(np.int64)
            hist["agreed"][:, q] += day_counts(ends_ok, customers[ok, 4]).astype(
                np.int64
            )
            hist["served_call"][:, q] += day_counts(ends_ok, customers[ok, 6]).astype(
                np.int64
            )
            waits[0] += _units(begin[ok] - customers[ok, 1])
            waits[1] += _units(ends_ok - customers[ok, 1])
        gone = status == ABANDONED
        if gone.any():
            events += int(gone.sum())
            deadlines = customers[gone, 2]
            police = customers[gone, 5]
            hist["police"][:, q] = day_counts(deadlines, police).astype(np.int64)
            hist["litigation"][:, q] = day_counts(deadlines, 1 - police).astype(
                np.int64
            )
            waits[2] += _units(deadlines - customers[gone, 1])
        in_service = status == IN_SERVICE
        if in_service.any():
            rows = customers[in_service]
            new_busy.append(
                np.column_stack(
                    [
                        rows[:, 0],
                        rows[:, 1],
                        begin[in_service],
                        begin[in_service] + rows[:, 3],
                        rows[:, 4],
                        rows[:, 6],
                    ]
                )
            )
        waiting = status == WAITING
        if waiting.any():
            new_waiting.append(customers[waiting])

    state = ContinuousQueues(
        waiting=np.concatenate(new_waiting) if new_waiting else np.zeros((0, 7)),
        in_service=np.concatenate(new_busy) if new_busy else np.zeros((0, 6)),
        route_next=new_next,
        route_rows=np.concatenate(leftovers) if leftovers else np.zeros((0, 1 + _U)),
    )
    history = QueueHistory(
        arrivals=hist["arrivals"],
        resolved=hist["resolved"],
        agreed=hist["agreed"],
        served_call=hist["served_call"],
        escalated_police=hist["police"],
        escalated_litigation=hist["litigation"],
        wait_resolved=waits[0],
        time_resolved=waits[1],
        wait_escalated=waits[2],
    )
    return state, history, events


@attrs.frozen(kw_only=True, eq=False)
class QueueRun:
    """What one simulated queue did (see `simulate_queue`).

    Attributes:
        arrivals: disputes that arrived.
        served: disputes that started mediation.
        abandoned: disputes that gave up before the horizon.
        waits: waiting time (days) of every dispute that started, in arrival order.
        mean_wait: mean wait of those served.
        mean_wait_all: mean time in queue over all that left it (served: wait;
            abandoned: time until giving up).
        abandon_share: abandoned / (served + abandoned).
        events: arrivals, starts, completions and give-ups processed.

    Added in version 0.1.0.
    """

    arrivals: int
    served: int
    abandoned: int
    waits: Array = attrs.field(repr=False)
    mean_wait: float
    mean_wait_all: float
    abandon_share: float
    events: int


def simulate_queue(
    *,
    arrival_rate: float,
    service_days: float,
    servers: int,
    horizon_days: float,
    patience_days: float = math.inf,
    service: str = "exponential",
    patience: str = "exponential",
    seed: int = 0,
    warmup_days: float = 0.0,
) -> QueueRun:
    """Simulate one FIFO queue with the continuous engine's event loop.

    The queue of a single station channel, for checking the engine against
    queueing theory (M/M/1, M/M/c and Erlang C, M/M/c+M) or for exploring one
    channel on its own.

    Args:
        arrival_rate: disputes a day (Poisson).
        service_days: mean service time in days.
        servers: the number of mediators.
        horizon_days: how long to simulate.
        patience_days: mean patience in days (``inf``: nobody gives up).
        service: ``exponential`` or ``fixed`` service times.
        patience: ``exponential`` or ``fixed`` patience.
        seed: the seed of the queue's own stream.
        warmup_days: disputes arriving before this are simulated but not counted.

    Examples:
        >>> run = simulate_queue(
        ...     arrival_rate=0.5,
        ...     service_days=1.0,
        ...     servers=1,
        ...     horizon_days=20_000,
        ...     seed=1,
        ...     warmup_days=100,
        ... )
        >>> round(run.mean_wait, 1)  # M/M/1: rho / (mu - lambda) = 1.0
        1.0

    Added in version 0.1.0.
    """
    rng = np.random.Generator(np.random.PCG64(np.random.SeedSequence(seed)))
    times, uniforms, _, _ = _route_arrivals(
        arrival_rate, math.nan, np.zeros((0, _U)), rng, start=0.0, stop=horizon_days
    )
    deadlines = times + _times(
        uniforms[:, 1], patience_days, exponential=patience == "exponential"
    )
    services = _times(
        uniforms[:, 2], service_days, exponential=service == "exponential"
    )
    start, status, _ = serve_fifo(
        times, deadlines, services, [0.0] * servers, horizon_days
    )
    counted = times >= warmup_days
    served = counted & (status <= IN_SERVICE)
    gone = counted & (status == ABANDONED)
    waits = start[served] - times[served]
    left = np.concatenate([waits, deadlines[gone] - times[gone]])
    n_served = int(served.sum())
    n_gone = int(gone.sum())
    total = n_served + n_gone
    return QueueRun(
        arrivals=int(counted.sum()),
        served=n_served,
        abandoned=n_gone,
        waits=waits,
        mean_wait=math.fsum(waits.tolist()) / n_served if n_served else math.nan,
        mean_wait_all=math.fsum(left.tolist()) / total if total else math.nan,
        abandon_share=n_gone / total if total else math.nan,
        events=int(
            times.size + 2 * (status <= IN_SERVICE).sum() + (status == ABANDONED).sum()
        ),
    )
