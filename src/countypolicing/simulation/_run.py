"""Running scenarios: one replication of one policy, all of them, warm-ups and forks.

`run_replication` is the unit of work: a top-level function of (scenario, policy,
replication) that returns a picklable `RunResult`, so a sweep can hand it to any
`concurrent.futures.Executor`. `run` calls it for every policy and replication in
a fixed order; results never depend on the order they are computed in.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final, cast

import attrs
import numpy as np

from countypolicing.simulation._engine_continuous import (
    ContinuousQueues,
    run_continuous_queues,
)
from countypolicing.simulation._engine_daily import (
    DailyQueues,
    QueueHistory,
    run_daily_queues,
)
from countypolicing.simulation._model import (
    CHANNELS,
    Config,
    CountyArrays,
    configure,
    county_arrays,
)
from countypolicing.simulation._params import (
    PARAMETER_SPECS,
    Channel,
    Choice,
    Parameters,
)
from countypolicing.simulation._results import (
    QueueStats,
    RunProvenance,
    RunResult,
    SimulationResult,
)
from countypolicing.simulation._scenario import BASELINE, Scenario
from countypolicing.simulation._seeds import (
    generator_from_state,
    generator_state,
    seed_sequence,
)
from countypolicing.simulation._state import (
    QUEUE_COLUMNS,
    WAIT_UNITS,
    WORLD_COLUMNS,
    SimulationState,
)
from countypolicing.simulation._world import World, initial_world, run_world

__all__ = ["draw_parameters", "run", "run_replication", "warm_up"]

Array = Any  # numpy arrays

_DAILY_STREAMS: Final = ("arrivals", "escalation", "outcomes", "patience", "service")
_WORLD_STREAMS: Final = (
    "calls",
    "controls",
    "hazards",
    "incidents",
    "rectification",
    "screening",
    "tips",
)
_K: Final = len(CHANNELS)
_CH: Final = {c: i for i, c in enumerate(CHANNELS)}


def _arrays(scenario: Scenario) -> CountyArrays:
    """The scenario's static arrays, computed once and kept on the scenario."""
    cache: list[CountyArrays] = scenario._arrays  # noqa: SLF001  # the scenario's own cache
    if not cache:
        cache.append(
            county_arrays(
                scenario.county,
                routing=scenario.routing,
                routes=scenario.routes,
                classification=scenario.classification,
                grading=scenario.grading,
            )
        )
    return cache[0]


def draw_parameters(
    scenario: Scenario, replication: int, *, seed: int | None = None
) -> tuple[Parameters, dict[str, float | str]]:
    """The parameters of one replication: each uncertainty drawn from its stream.

    Draws happen in the order of the uncertainties' names from the replication's
    ``uncertainties`` stream, which no policy touches, so every policy of a
    replication sees the same world. Values are clipped to the parameter's range.

    Returns:
        The parameters and the value drawn for each uncertainty.
    """
    root = scenario.seed if seed is None else seed
    if not scenario.uncertainties:
        return scenario.parameters, {}
    rng = np.random.Generator(
        np.random.PCG64(
            seed_sequence(root, replication=replication, component="uncertainties")
        )
    )
    changes: dict[str, object] = {}
    draws: dict[str, float | str] = {}
    for u in scenario.uncertainties:
        value = u.distribution.draw(rng)
        head, _, key = u.parameter.partition(".")
        spec = PARAMETER_SPECS[head]
        if not isinstance(value, str) and not isinstance(u.distribution, Choice):
            low = spec.low if spec.low is not None else -math.inf
            high = spec.high if spec.high is not None else math.inf
            value = min(max(float(value), low), high)
            if spec.kind == "int":
                value = round(value)
        draws[u.parameter] = value
        if key:
            current = changes.get(head) or getattr(scenario.parameters, head)
            table = dict(cast("Mapping[str, object]", current))
            table[key] = value
            changes[head] = table
        else:
            changes[head] = value
    return attrs.evolve(scenario.parameters, **changes), draws  # type: ignore[arg-type]  # values checked by the loader


def _stream(
    scenario: Scenario,
    state: SimulationState | None,
    name: str,
    *,
    root: int,
    replication: int,
    policy: str,
    index: int | None = None,
) -> np.random.Generator:
    key = name if index is None else f"{name}/{index}"
    if state is not None and key in state.rng:
        return generator_from_state(state.rng[key])
    sequence = seed_sequence(
        root,
        replication=replication,
        component=name,
        policy=None if scenario.common_random_numbers else policy,
        index=index,
    )
    return np.random.Generator(np.random.PCG64(sequence))


def _initial_state(
    scenario: Scenario,
    arrays: CountyArrays,
    *,
    policy: str,
    replication: int,
    root: int,
    parameters: Parameters,
    draws: Mapping[str, float | str],
) -> SimulationState:
    q_count = len(arrays.station_ids) * _K
    world = initial_world(
        arrays, classification=scenario.classification, grading=scenario.grading
    )
    return SimulationState(
        scenario_hash=scenario.content_hash,
        policy=policy,
        replication=replication,
        seed=root,
        day=0,
        time=scenario.time,
        parameters=parameters,
        draws=dict(draws),
        queue_totals=np.zeros((q_count, len(QUEUE_COLUMNS))),
        world_totals=np.zeros(len(WORLD_COLUMNS)),
        backlog=np.zeros((0, 2), dtype=np.int64),
        carry=np.zeros(q_count),
        waiting=np.zeros((0, 7)),
        in_service=np.zeros((0, 6)),
        route_next=np.full(q_count, math.nan),
        route_rows=np.zeros((0, 7)),
        hidden=world.hidden,
        found=world.found,
        schedule=world.schedule,
        likelihood=world.likelihood,
        incidents_window=world.incidents_window,
        classes=world.classes,
    )


def _check_state(
    scenario: Scenario, arrays: CountyArrays, state: SimulationState
) -> None:
    q_count = len(arrays.station_ids) * _K
    if state.time != scenario.time:
        msg = (
            f"the state was simulated in {state.time} time; the scenario runs in "
            f"{scenario.time} time"
        )
        raise ValueError(msg)
    if np.asarray(state.queue_totals).shape != (q_count, len(QUEUE_COLUMNS)) or (
        np.asarray(state.hidden).shape != (len(arrays.community_ids),)
    ):
        msg = "the state belongs to another county (its queues or communities differ)"
        raise ValueError(msg)
    if state.day > scenario.horizon_days:
        msg = (
            f"the state is at day {state.day}, past the horizon {scenario.horizon_days}"
        )
        raise ValueError(msg)


def run_replication(  # queues, world, bookkeeping
    scenario: Scenario,
    policy: str = BASELINE,
    replication: int = 0,
    *,
    seed: int | None = None,
    series: bool | None = None,
    from_state: SimulationState | None = None,
    until_day: int | None = None,
) -> RunResult:
    """Simulate one policy in one replication: the unit of work of every sweep.

    A top-level, picklable function of its arguments with no hidden state: the
    same arguments give a bit-identical result in any process, on any executor,
    in any order.

    Args:
        scenario: the scenario.
        policy: ``baseline`` or one of the scenario's policies.
        replication: the replication index (0-based).
        seed: the root seed (default: the scenario's).
        series: keep the daily series (default: the scenario's ``series``).
        from_state: continue from this state (a snapshot of any policy at some
            day) under ``policy``; the replication, seed and drawn parameters are
            the state's.
        until_day: stop at this day instead of the horizon (for warm-ups).

    Raises:
        KeyError: an unknown policy.
        ValueError: a state from another county, time mode, or past the horizon.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.rules import ruleset_from_data
        >>> from countypolicing.simulation import scenario_from_data
        >>> routing = ruleset_from_data(
        ...     {
        ...         "ruleset": "r",
        ...         "version": "1",
        ...         "subject": "dispute",
        ...         "hit_policy": "first",
        ...         "default": "grid",
        ...         "output": {"name": "channel", "values": ["police", "grid"]},
        ...         "rules": [
        ...             {"id": "R1", "when": "escalation_risk", "then": "police"}
        ...         ],
        ...     }
        ... )
        >>> tiny_scenario = scenario_from_data(
        ...     {
        ...         "schema_version": 1,
        ...         "scenario": "tiny",
        ...         "county": "bundled:yueyanglou",
        ...         "horizon_days": 30,
        ...         "replications": 3,
        ...         "policies": {
        ...             "more-mediators": {"levers": {"grid_workers_per_grid": 3}}
        ...         },
        ...     },
        ...     county=yueyanglou(),
        ...     rulesets={
        ...         "routing": routing,
        ...         "classification": default_ruleset("community-classification"),
        ...     },
        ... )
        >>> from countypolicing.simulation import run_replication
        >>> r = run_replication(tiny_scenario, "more-mediators", 1, seed=7)
        >>> r.policy, r.replication, r.summary["disputes"] > 0
        ('more-mediators', 1, True)
    """
    chosen = scenario.policy(policy)
    arrays = _arrays(scenario)
    stop = scenario.horizon_days if until_day is None else until_day
    keep_series = scenario.series if series is None else series
    if from_state is not None:
        _check_state(scenario, arrays, from_state)
        root, replication = from_state.seed, from_state.replication
        parameters, draws = from_state.parameters, dict(from_state.draws)
        state = from_state
    else:
        root = scenario.seed if seed is None else seed
        parameters, draws = draw_parameters(scenario, replication, seed=root)
        state = _initial_state(
            scenario,
            arrays,
            policy=policy,
            replication=replication,
            root=root,
            parameters=parameters,
            draws=draws,
        )
    start = state.day
    days = max(0, min(stop, scenario.horizon_days) - start)
    cfg = configure(arrays, parameters, chosen.levers)

    def stream(name: str, index: int | None = None) -> np.random.Generator:
        return _stream(
            scenario,
            state,
            name,
            root=root,
            replication=replication,
            policy=policy,
            index=index,
        )

    rngs: dict[str, np.random.Generator] = {}
    events = 0
    if scenario.time == "daily":
        for name in _DAILY_STREAMS:
            rngs[name] = stream(name)
        queues, history = run_daily_queues(
            cfg,
            DailyQueues(waiting=state.backlog, carry=state.carry),
            start=start,
            days=days,
            arrivals_rng=rngs["arrivals"],
            service_rng=rngs["service"],
            outcome_rng=rngs["outcomes"],
            patience_rng=rngs["patience"],
            escalation_rng=rngs["escalation"],
        )
        queue_fields: dict[str, Array] = {
            "backlog": queues.waiting,
            "carry": queues.carry,
            "waiting": state.waiting,
            "in_service": state.in_service,
            "route_next": state.route_next,
            "route_rows": state.route_rows,
        }
    else:
        n_routes = cfg.route_rate.size
        route_rngs = [stream("queues", r) for r in range(n_routes)]
        for r, generator in enumerate(route_rngs):
            rngs[f"queues/{r}"] = generator
        cqueues, history, events = run_continuous_queues(
            cfg,
            ContinuousQueues(
                waiting=state.waiting,
                in_service=state.in_service,
                route_next=state.route_next,
                route_rows=state.route_rows,
            ),
            start=start,
            days=days,
            route_rngs=route_rngs,
        )
        queue_fields = {
            "backlog": state.backlog,
            "carry": state.carry,
            "waiting": cqueues.waiting,
            "in_service": cqueues.in_service,
            "route_next": cqueues.route_next,
            "route_rows": cqueues.route_rows,
        }

    # open disputes per queue at the end of each day, for re-classification
    totals0 = np.asarray(state.queue_totals)
    open0 = totals0[:, 0] - totals0[:, 1] - totals0[:, 3] - totals0[:, 4]
    flow = (
        history.arrivals
        - history.resolved
        - history.escalated_police
        - history.escalated_litigation
    )
    open_by_queue = open0[None, :] + np.cumsum(flow, axis=0)

    for name in _WORLD_STREAMS:
        rngs[name] = stream(name)
    world, whist = run_world(
        arrays,
        cfg,
        World(
            hidden=state.hidden,
            found=state.found,
            schedule=state.schedule,
            likelihood=state.likelihood,
            incidents_window=state.incidents_window,
            classes=state.classes,
        ),
        start=start,
        days=days,
        open_by_queue=open_by_queue,
        classification=scenario.classification,
        grading=scenario.grading,
        rngs=rngs,
    )

    queue_totals = totals0 + np.column_stack(
        [
            history.arrivals.sum(axis=0),
            history.resolved.sum(axis=0),
            history.agreed.sum(axis=0),
            history.escalated_police.sum(axis=0),
            history.escalated_litigation.sum(axis=0),
            history.served_call.sum(axis=0),
        ]
    )
    world_totals = np.asarray(state.world_totals, dtype=float) + np.array(
        [
            float(whist.calls.sum()),
            float(whist.incidents.sum()),
            float(whist.tips),
            float(whist.hazards_found),
            float(whist.hazards_rectified),
            float(whist.up),
            float(whist.down),
            float(history.wait_resolved),
            float(history.time_resolved),
            float(history.wait_escalated),
        ]
    )
    rng_state = dict(state.rng)
    rng_state.update({name: generator_state(g) for name, g in rngs.items()})
    new_state = attrs.evolve(
        state,
        policy=policy,
        day=start + days,
        rng=rng_state,
        queue_totals=queue_totals,
        world_totals=world_totals,
        hidden=world.hidden,
        found=world.found,
        schedule=world.schedule,
        likelihood=world.likelihood,
        incidents_window=world.incidents_window,
        classes=world.classes,
        **queue_fields,
    )
    return RunResult(
        policy=policy,
        replication=replication,
        seed=root,
        start_day=start,
        summary=_summary(arrays, new_state),
        queues=_queue_stats(arrays, cfg, queue_totals),
        series=_series(
            cfg,
            arrays=arrays,
            start=start,
            history=history,
            world=whist,
            open_by_queue=open_by_queue,
        )
        if keep_series
        else None,
        draws=draws,
        state=new_state,
        events=events,
    )


def _fsum(values: Iterable[float]) -> float:
    return math.fsum(float(v) for v in values)


def _summary(arrays: CountyArrays, state: SimulationState) -> dict[str, float]:
    p = state.parameters
    q = np.asarray(state.queue_totals)
    w = dict(zip(WORLD_COLUMNS, np.asarray(state.world_totals).tolist(), strict=True))
    channel = np.arange(q.shape[0]) % _K
    disputes = _fsum(q[:, 0])
    resolved = _fsum(q[:, 1])
    police = _fsum(q[:, 3])
    litigation = _fsum(q[:, 4])
    escalations = police + litigation

    def resolved_at(*channels: Channel) -> float:
        mask = np.isin(channel, [_CH[c] for c in channels])
        return _fsum(q[mask, 1])

    def share(x: float) -> float:
        return x / resolved if resolved else math.nan

    police_served = resolved_at(Channel.POLICE)
    freed = _fsum(q[channel != _CH[Channel.POLICE], 5])
    classes = np.bincount(
        np.asarray(state.classes), minlength=len(arrays.class_values)
    ).tolist()
    by_class = dict(zip(arrays.class_values, classes, strict=True))
    return {
        "disputes": disputes,
        "resolved": resolved,
        "agreements": _fsum(q[:, 2]),
        "escalations": escalations,
        "escalations_to_police": police,
        "escalations_to_litigation": litigation,
        "backlog": disputes - resolved - escalations,
        "mean_wait_days": share(w["wait_resolved"] / WAIT_UNITS),
        "mean_days_to_resolution": share(w["time_resolved"] / WAIT_UNITS),
        "closed_at_grid_share": share(resolved_at(Channel.GRID)),
        "closed_at_community_share": share(
            resolved_at(Channel.COMMUNITY, Channel.SCENIC)
        ),
        "police_hours": math.fsum(
            [
                w["calls"] * p.hours_per_call,
                police_served * p.hours_per_police_mediation,
                police * p.hours_per_escalation,
                w["incidents"] * p.hours_per_incident,
            ]
        ),
        "police_hours_freed": freed * p.hours_per_police_mediation,
        "calls": w["calls"],
        "incidents": w["incidents"],
        "tips": w["tips"],
        "hazards_found": w["hazards_found"],
        "hazards_rectified": w["hazards_rectified"],
        "open_hazards": float(np.asarray(state.found).sum()),
        "class_1": float(by_class.get("class_1", 0)),
        "class_2": float(by_class.get("class_2", 0)),
        "class_3": float(by_class.get("class_3", 0)),
        "communities_up": w["communities_up"],
        "communities_down": w["communities_down"],
    }


def _queue_stats(
    arrays: CountyArrays, cfg: Config, totals: Array
) -> tuple[QueueStats, ...]:
    out = []
    for q, row in enumerate(np.asarray(totals).tolist()):
        arrivals, resolved, _, police, litigation, _ = (round(v) for v in row)
        out.append(
            QueueStats(
                station_id=arrays.station_ids[q // _K],
                channel=CHANNELS[q % _K].value,
                servers=int(cfg.servers[q]),
                arrivals=arrivals,
                resolved=resolved,
                escalated=police + litigation,
                backlog=arrivals - resolved - police - litigation,
            )
        )
    return tuple(out)


def _series(
    cfg: Config,
    *,
    arrays: CountyArrays,
    start: int,
    history: QueueHistory,
    world: Any,  # noqa: ANN401  # a WorldHistory
    open_by_queue: Array,
) -> dict[str, Array]:
    p = cfg.parameters
    police_q = np.arange(cfg.servers.size) % _K == _CH[Channel.POLICE]
    days = history.arrivals.shape[0]
    escalated_police = history.escalated_police.sum(axis=1)
    out: dict[str, Array] = {
        "day": np.arange(start, start + days),
        "disputes": history.arrivals.sum(axis=1),
        "resolved": history.resolved.sum(axis=1),
        "escalations": escalated_police + history.escalated_litigation.sum(axis=1),
        "backlog": open_by_queue.sum(axis=1),
        "police_hours": world.calls * p.hours_per_call
        + history.resolved[:, police_q].sum(axis=1) * p.hours_per_police_mediation
        + escalated_police * p.hours_per_escalation
        + world.incidents * p.hours_per_incident,
        "incidents": world.incidents,
        "open_hazards": world.open_hazards,
    }
    for j, value in enumerate(arrays.class_values):
        if value in {"class_1", "class_2", "class_3"}:
            out[value] = world.class_counts[:, j]
    return out


def run(
    scenario: Scenario,
    *,
    seed: int | None = None,
    policies: Sequence[str] | None = None,
    replications: int | Sequence[int] | None = None,
    series: bool | None = None,
    from_state: SimulationState | Sequence[SimulationState] | None = None,
) -> SimulationResult:
    """Run the baseline and every policy for every replication.

    Args:
        scenario: the scenario.
        seed: the root seed (default: the scenario's ``seed``).
        policies: the policies to run (default: ``baseline`` and every policy).
        replications: how many (``n``: 0..n-1) or which replications (default:
            the scenario's ``replications``).
        series: keep daily series (default: the scenario's ``series``).
        from_state: continue from snapshots instead of day 0 (see `warm_up`):
            one state, or one per replication; every policy forks from each.

    Returns:
        Every run, in (policy, replication) order, with provenance.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.rules import ruleset_from_data
        >>> from countypolicing.simulation import scenario_from_data
        >>> routing = ruleset_from_data(
        ...     {
        ...         "ruleset": "r",
        ...         "version": "1",
        ...         "subject": "dispute",
        ...         "hit_policy": "first",
        ...         "default": "grid",
        ...         "output": {"name": "channel", "values": ["police", "grid"]},
        ...         "rules": [
        ...             {"id": "R1", "when": "escalation_risk", "then": "police"}
        ...         ],
        ...     }
        ... )
        >>> tiny_scenario = scenario_from_data(
        ...     {
        ...         "schema_version": 1,
        ...         "scenario": "tiny",
        ...         "county": "bundled:yueyanglou",
        ...         "horizon_days": 30,
        ...         "replications": 3,
        ...         "policies": {
        ...             "more-mediators": {"levers": {"grid_workers_per_grid": 3}}
        ...         },
        ...     },
        ...     county=yueyanglou(),
        ...     rulesets={
        ...         "routing": routing,
        ...         "classification": default_ruleset("community-classification"),
        ...     },
        ... )
        >>> from countypolicing.simulation import run
        >>> result = run(tiny_scenario, seed=7)
        >>> len(result.runs), result.provenance.seed
        (6, 7)
        >>> again = run(tiny_scenario, seed=7)
        >>> [r.summary for r in again.runs] == [r.summary for r in result.runs]
        True
    """
    ids = tuple(policies) if policies is not None else scenario.policy_ids
    for policy_id in ids:
        scenario.policy(policy_id)  # raises on an unknown policy
    states: dict[int, SimulationState] = {}
    if from_state is not None:
        given = [from_state] if isinstance(from_state, SimulationState) else from_state
        states = {s.replication: s for s in given}
        reps: Sequence[int] = sorted(states)
        root = next(iter(states.values())).seed if seed is None else seed
    else:
        if replications is None:
            reps = range(scenario.replications)
        elif isinstance(replications, int):
            reps = range(replications)
        else:
            reps = list(replications)
        root = scenario.seed if seed is None else seed
    runs = tuple(
        run_replication(
            scenario,
            policy_id,
            rep,
            seed=root,
            series=series,
            from_state=states.get(rep),
        )
        for policy_id in ids
        for rep in reps
    )
    forked = {s.scenario_hash for s in states.values()}
    provenance = RunProvenance(
        library_version=scenario.library_version,
        scenario_id=scenario.id,
        scenario_hash=scenario.content_hash,
        seed=root,
        time=scenario.time,
        horizon_days=scenario.horizon_days,
        input_hashes=dict(scenario.input_hashes),
        forked_from=next(iter(forked)) if len(forked) == 1 else None,
    )
    return SimulationResult(
        provenance=provenance, runs=runs, outcomes=scenario.outcomes
    )


def warm_up(
    scenario: Scenario,
    days: int,
    *,
    seed: int | None = None,
    policy: str = BASELINE,
    replications: int | Sequence[int] | None = None,
) -> tuple[SimulationState, ...]:
    """Simulate the first ``days`` days once per replication; fork policies from them.

    The returned states are plain data: pickle them, keep them, and pass them to
    `run` as ``from_state`` to compare policies from a common warm-up (the
    policies then differ only from day ``days`` on).

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.rules import ruleset_from_data
        >>> from countypolicing.simulation import scenario_from_data
        >>> routing = ruleset_from_data(
        ...     {
        ...         "ruleset": "r",
        ...         "version": "1",
        ...         "subject": "dispute",
        ...         "hit_policy": "first",
        ...         "default": "grid",
        ...         "output": {"name": "channel", "values": ["police", "grid"]},
        ...         "rules": [
        ...             {"id": "R1", "when": "escalation_risk", "then": "police"}
        ...         ],
        ...     }
        ... )
        >>> tiny_scenario = scenario_from_data(
        ...     {
        ...         "schema_version": 1,
        ...         "scenario": "tiny",
        ...         "county": "bundled:yueyanglou",
        ...         "horizon_days": 30,
        ...         "replications": 3,
        ...         "policies": {
        ...             "more-mediators": {"levers": {"grid_workers_per_grid": 3}}
        ...         },
        ...     },
        ...     county=yueyanglou(),
        ...     rulesets={
        ...         "routing": routing,
        ...         "classification": default_ruleset("community-classification"),
        ...     },
        ... )
        >>> from countypolicing.simulation import run, warm_up
        >>> states = warm_up(tiny_scenario, 10, seed=7)
        >>> [s.day for s in states]
        [10, 10, 10]
        >>> result = run(tiny_scenario, from_state=states)
        >>> sorted({r.start_day for r in result.runs}), len(result.runs)
        ([10], 6)
    """
    if replications is None:
        reps: Sequence[int] = range(scenario.replications)
    elif isinstance(replications, int):
        reps = range(replications)
    else:
        reps = list(replications)
    return tuple(
        run_replication(
            scenario, policy, rep, seed=seed, series=False, until_day=days
        ).state
        for rep in reps
    )
