"""Simulation speed: the daily engine against a hand-vectorised kernel, in one process.

Run: ``python benchmarks/bench_simulation.py [--repeat 5] [--days 365]``.

- daily: one simulated year of the bundled Yueyanglou county (107 communities, 13
  station areas x 6 channels), baseline of ``examples/yueyanglou-policies.yaml``,
  with `countypolicing.simulation.run_replication` (everything: parameters,
  configuration, queues, hazards, incidents, monthly re-classification with the
  rule engine, summary and state) versus a hand-vectorised numpy kernel of the same
  model written below (same rates, same algorithms, classification by ``np.select``
  on hand-coded rules, no bookkeeping). Target: <= 2x.
- continuous: the event-driven engine's events per second on the same year.
- SimPy (only when ``import simpy`` works): the same station queues as SimPy
  processes (a ``Resource`` per queue, patience as ``req | timeout``).

Times are best of ``--repeat`` after one warm-up call; community-days per second
are 107 x days / time.
"""

from __future__ import annotations

import argparse
import importlib.util
import math
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import numpy as np

from countypolicing.serialization import load_scenario
from countypolicing.simulation import Scenario, run_replication
from countypolicing.simulation._model import Config, configure
from countypolicing.simulation._run import _arrays, draw_parameters

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "yueyanglou-policies.yaml"
SHIFT = 32
MASK = (1 << SHIFT) - 1


def best(fn: Callable[[], object], repeat: int) -> float:
    fn()
    times = []
    for _ in range(repeat):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return min(times)


def kernel(cfg: Config, arrays: Any, days: int, seed: int) -> tuple[int, int, int]:  # noqa: ANN401, PLR0915
    """The daily model by hand: queues, hazards, incidents, monthly classes."""
    rng = np.random.default_rng(seed)
    p = cfg.parameters
    q_count = cfg.servers.size
    c_count = arrays.population.size
    # queues
    routes = cfg.route_rate.reshape(-1)
    arrivals = np.rint(
        rng.poisson(np.broadcast_to(routes, (days, routes.size))) @ cfg.merge
    ).astype(np.int64)
    cap = np.where(np.isinf(cfg.capacity), 0.0, cfg.capacity)
    capacity = rng.poisson(np.broadcast_to(cap, (days, q_count)))
    capacity[:, np.isinf(cfg.capacity)] = 2**62
    keys = np.zeros(0, dtype=np.int64)
    qkeys = np.arange(q_count, dtype=np.int64) << SHIFT
    give_up = -math.expm1(-1 / p.patience_days)
    resolved = np.zeros((days, q_count), dtype=np.int64)
    abandoned = np.zeros((days, q_count), dtype=np.int64)
    open_q = np.zeros((days, q_count), dtype=np.int64)
    ranks = np.arange(100_000)
    for t in range(days):
        if arrivals[t].any():
            keys = np.sort(np.concatenate([keys, np.repeat(qkeys | t, arrivals[t])]))
        if keys.size:
            q = keys >> SHIFT
            served = ranks[: keys.size] - np.searchsorted(q, q) < capacity[t][q]
            resolved[t] = np.bincount(q[served], minlength=q_count)
            keys = keys[~served]
            gone = rng.random(keys.size) < give_up
            abandoned[t] = np.bincount(keys[gone] >> SHIFT, minlength=q_count)
            keys = keys[~gone]
        open_q[t] = np.bincount(keys >> SHIFT, minlength=q_count)
    rng.binomial(
        np.hstack([resolved, resolved]),
        np.concatenate([cfg.agreement, cfg.queue_call_share]),
    )
    rng.binomial(abandoned, p.escalate_to_police_share)
    # world
    tips = rng.poisson(np.broadcast_to(cfg.tip_rate, (days, c_count)))
    rng.poisson(cfg.calls_rate, size=days)
    hidden = np.zeros(c_count, dtype=np.int64)
    found = np.zeros(c_count, dtype=np.int64)
    likelihood = arrays.rp_likelihood.copy()
    schedule = np.zeros((0, 2), dtype=np.int64)
    window = np.zeros((365, c_count), dtype=np.int64)
    classes = np.zeros(c_count, dtype=np.int64)
    cols = arrays.community_columns
    for t0 in range(0, days, 30):
        length = min(30, days - t0)
        rate = cfg.hazard_base + cfg.hazard_per_likelihood * np.bincount(
            arrays.rp_community, weights=likelihood, minlength=c_count
        )
        new = rng.poisson(np.broadcast_to(rate, (length, c_count)))
        x = new - tips[t0 : t0 + length]
        cum = np.cumsum(x, axis=0)
        path = cum - np.minimum(np.minimum.accumulate(cum, axis=0), -hidden[None, :])
        before = np.vstack([hidden[None, :], path[:-1]])
        revealed = before + new - path
        hidden = path[-1].copy()
        caught = rng.binomial(
            hidden, 1 - (1 - cfg.detect) ** np.where(classes == 0, 1.5, 1.0)
        )
        hidden -= caught
        path[-1] = hidden
        revealed[-1] += caught
        flat = np.repeat(np.arange(length * c_count), revealed.reshape(-1))
        delay = rng.geometric(cfg.rectify, size=flat.size) - 1
        schedule = np.concatenate(
            [schedule, np.column_stack([t0 + flat // c_count + delay, flat % c_count])]
        )
        due = (schedule[:, 0] >= t0) & (schedule[:, 0] < t0 + length)
        fixed = np.zeros((length, c_count), dtype=np.int64)
        np.add.at(fixed, (schedule[due, 0] - t0, schedule[due, 1]), 1)
        schedule = schedule[~due]
        fpath = found[None, :] + np.cumsum(revealed - fixed, axis=0)
        found = fpath[-1].copy()
        inc = rng.poisson(cfg.incident_base + cfg.incident_per_hazard * (path + fpath))
        window[(t0 + np.arange(length)) % 365] = inc
        u = rng.random(likelihood.size)
        open_here = (hidden + found)[arrays.rp_community]
        likelihood = np.clip(
            likelihood
            - ((open_here == 0) & (u < 0.25))
            + ((open_here >= 3) & (u < 0.25)),
            1,
            5,
        )
        score = likelihood * arrays.rp_severity
        level = np.select([score >= 20, score >= 15, score >= 8], [3, 2, 1], 0)
        major = np.bincount(arrays.rp_community[level == 3], minlength=c_count)
        sig = np.bincount(arrays.rp_community[level == 2], minlength=c_count)
        gen = np.bincount(arrays.rp_community[level == 1], minlength=c_count)
        prior = window.sum(axis=0)
        disputes = np.rint(cfg.apportion @ open_q[t0 + length - 1])
        classes = np.select(
            [
                (major >= 1) | (sig >= 2) | ((prior >= 10) & (disputes >= 6)),
                (sig >= 1)
                | (cols["calls_per_1000"] >= 30)
                | (disputes >= 5)
                | (found >= 2)
                | (cols["rental_units"] * 100 > cols["population"] * 20)
                | (gen >= 3),
            ],
            [0, 1],
            2,
        )
    return int(resolved.sum()), int(abandoned.sum()), int(classes.sum())


def simpy_queues(
    cfg: Config, days: int, seed: int
) -> int:  # pragma: no cover  # optional
    import simpy  # type: ignore[import-not-found]  # noqa: PLC0415  # optional comparison

    rng = np.random.default_rng(seed)
    env = simpy.Environment()
    served = [0]
    rates = cfg.queue_rate
    for q in range(rates.size):
        if rates[q] <= 0 or cfg.servers[q] == 0:
            continue
        resource = simpy.Resource(env, capacity=int(cfg.servers[q]))
        mean = float(cfg.service_days[q])

        def dispute(env: Any, resource: Any = resource, mean: float = mean) -> Any:  # noqa: ANN401
            with resource.request() as req:
                outcome = yield req | env.timeout(
                    rng.exponential(cfg.parameters.patience_days)
                )
                if req in outcome:
                    yield env.timeout(rng.exponential(mean) if mean > 0 else 0.0)
                    served[0] += 1

        def source(env: Any, rate: float = float(rates[q])) -> Any:  # noqa: ANN401
            while True:
                yield env.timeout(rng.exponential(1 / rate))
                env.process(dispute(env))

        env.process(source(env))
    env.run(until=days)
    return served[0]


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--days", type=int, default=365)
    args = parser.parse_args()
    scenario: Scenario = attrs.evolve(
        load_scenario(EXAMPLE), uncertainties=(), horizon_days=args.days
    )
    arrays = _arrays(scenario)
    c_days = len(arrays.community_ids) * args.days
    parameters, _ = draw_parameters(scenario, 0)
    cfg = configure(arrays, parameters, scenario.levers)

    lib = best(lambda: run_replication(scenario, "baseline", 0), args.repeat)
    hand = best(lambda: kernel(cfg, arrays, args.days, 0), args.repeat)
    print(
        f"daily, {len(arrays.community_ids)} communities x {args.days} days, best of {args.repeat}"
    )
    print(
        f"  countypolicing run_replication: {lib * 1e3:8.1f} ms  {c_days / lib / 1e6:5.2f} M community-days/s"
    )
    print(
        f"  hand-vectorised numpy kernel:   {hand * 1e3:8.1f} ms  {c_days / hand / 1e6:5.2f} M community-days/s"
    )
    print(f"  ratio library / kernel: {lib / hand:.2f} (target <= 2.0)")

    cont = attrs.evolve(scenario, time="continuous")
    result = run_replication(cont, "baseline", 0)
    t_cont = best(lambda: run_replication(cont, "baseline", 0), args.repeat)
    print(
        f"continuous, same year: {t_cont * 1e3:.1f} ms, {result.events:,} events, "
        f"{result.events / t_cont / 1e6:.2f} M events/s (whole run, world included)"
    )
    if importlib.util.find_spec("simpy") is None:
        print("SimPy: not installed (pip install simpy to compare)")
        return
    t_simpy = best(lambda: simpy_queues(cfg, args.days, 0), max(1, args.repeat // 2))
    print(
        f"SimPy, the same station queues only: {t_simpy * 1e3:.1f} ms "
        f"({c_days / t_simpy / 1e6:.2f} M community-days/s); "
        f"countypolicing continuous (whole model) is {t_simpy / t_cont:.1f}x faster"
    )


if __name__ == "__main__":
    main()
