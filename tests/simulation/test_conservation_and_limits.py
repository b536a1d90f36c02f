"""Conservation of disputes, and limiting cases with known answers, in both time modes."""

from __future__ import annotations

import math

import attrs
import numpy as np
import pytest

from countypolicing.simulation import (
    Parameters,
    RunResult,
    run,
    run_replication,
    warm_up,
)
from countypolicing.simulation._engine_daily import DailyQueues, run_daily_queues
from countypolicing.simulation._model import configure
from countypolicing.simulation._run import _arrays

from .conftest import MakeScenario

MODES = ["daily", "continuous"]


def _conserved(result: RunResult) -> None:
    s = result.summary
    assert s["disputes"] == s["resolved"] + s["escalations"] + s["backlog"]
    assert (
        s["escalations"] == s["escalations_to_police"] + s["escalations_to_litigation"]
    )
    assert 0 <= s["agreements"] <= s["resolved"]
    by_station: dict[str, list[int]] = {}
    for q in result.queues:
        assert q.arrivals == q.resolved + q.escalated + q.backlog
        assert min(q.resolved, q.escalated, q.backlog) >= 0
        totals = by_station.setdefault(q.station_id, [0, 0, 0, 0])
        for i, v in enumerate((q.arrivals, q.resolved, q.escalated, q.backlog)):
            totals[i] += v
    for arrivals, resolved, escalated, backlog in by_station.values():
        assert arrivals == resolved + escalated + backlog
    assert sum(t[0] for t in by_station.values()) == s["disputes"]
    assert sum(t[3] for t in by_station.values()) == s["backlog"]
    # the state agrees: open disputes are exactly the backlog
    assert result.state.open_disputes == s["backlog"]


@pytest.mark.parametrize("mode", MODES)
def test_arrivals_equal_resolved_plus_escalated_plus_backlog(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(time=mode, horizon_days=60)
    result = run(scenario)
    assert result.runs
    for r in result.runs:
        assert r.summary["disputes"] > 500
        _conserved(r)


@pytest.mark.parametrize("mode", MODES)
def test_conservation_holds_across_a_fork(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(time=mode, horizon_days=50)
    forked = run(scenario, from_state=warm_up(scenario, 20))
    for r in forked.runs:
        assert r.start_day == 20
        _conserved(r)


@pytest.mark.parametrize("mode", MODES)
def test_no_arrivals_means_nothing_happens_to_the_queues(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(
        time=mode,
        parameters={"dispute_rate_per_1000": 0.0, "rental_dispute_rate": 0.0},
    )
    for r in run(scenario).runs:
        s = r.summary
        assert s["disputes"] == s["resolved"] == s["escalations"] == s["backlog"] == 0
        assert s["police_hours_freed"] == 0
        assert math.isnan(s["mean_wait_days"])
        assert math.isnan(s["closed_at_grid_share"])
        # the police still answer calls and incidents
        assert s["police_hours"] == s["calls"] * 1.0 + s["incidents"] * 8.0


@pytest.mark.parametrize("mode", MODES)
def test_infinite_capacity_resolves_everything_at_once(
    make_scenario: MakeScenario, mode: str
) -> None:
    instant = dict.fromkeys(
        ("grid", "community", "stationed", "police", "administrative", "scenic"), 0.0
    )
    scenario = make_scenario(
        time=mode,
        parameters={"service_days": instant},
        levers={"stationed_mediators": 1},
    )
    for r in run(scenario).runs:
        s = r.summary
        assert s["disputes"] > 0
        assert s["resolved"] == s["disputes"]
        assert s["escalations"] == s["backlog"] == 0
        assert s["mean_wait_days"] == 0.0
        assert s["mean_days_to_resolution"] == 0.0


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("distribution", ["fixed", "exponential"])
def test_zero_patience_means_served_on_arrival_or_escalated(
    make_scenario: MakeScenario, mode: str, distribution: str
) -> None:
    scenario = make_scenario(
        time=mode,
        parameters={"patience_days": 0.0, "patience_distribution": distribution},
    )
    for r in run(scenario).runs:
        s = r.summary
        assert s["escalations"] > 0  # somebody found every mediator busy
        assert s["mean_wait_days"] == 0.0
        assert s["backlog"] <= sum(q.servers for q in r.queues)  # only in service
        if mode == "daily":
            assert s["backlog"] == 0


def test_zero_patience_daily_closes_exactly_the_capacity_each_day(
    make_scenario: MakeScenario,
) -> None:
    """Fixed service gives a fixed capacity: closed = min(arrivals, capacity) per day."""
    scenario = make_scenario(
        parameters={
            "patience_days": 0.0,
            "patience_distribution": "fixed",
            "service_distribution": "fixed",
        }
    )
    cfg = configure(_arrays(scenario), scenario.parameters, scenario.levers)
    rngs = [np.random.default_rng(i) for i in range(5)]
    _, history = run_daily_queues(
        cfg,
        DailyQueues(
            waiting=np.zeros((0, 2), dtype=np.int64), carry=np.zeros(cfg.servers.size)
        ),
        start=0,
        days=30,
        arrivals_rng=rngs[0],
        service_rng=rngs[1],
        outcome_rng=rngs[2],
        patience_rng=rngs[3],
        escalation_rng=rngs[4],
    )
    cumulative = np.floor(cfg.capacity[None, :] * np.arange(1, 31)[:, None] + 1e-9)
    capacity = np.diff(np.vstack([np.zeros((1, cfg.servers.size)), cumulative]), axis=0)
    expected = np.minimum(history.arrivals, capacity)
    assert (history.resolved == expected).all()
    escalated = history.escalated_police + history.escalated_litigation
    assert (escalated == history.arrivals - expected).all()


def test_infinite_patience_never_escalates(make_scenario: MakeScenario) -> None:
    scenario = make_scenario(parameters={"patience_days": math.inf})
    for r in run(scenario).runs:
        assert r.summary["escalations"] == 0
        _conserved(r)


def test_a_station_without_any_police_mediator_keeps_its_disputes_waiting(
    make_scenario: MakeScenario,
) -> None:
    scenario = make_scenario(
        time="continuous",
        parameters={
            "police_mediators_per_station": 0.0,
            "patience_days": math.inf,
        },
        horizon_days=20,
    )
    r = run_replication(scenario)
    police = [q for q in r.queues if q.channel == "police"]
    assert all(q.servers == 0 and q.resolved == 0 for q in police)
    assert sum(q.backlog for q in police) > 0
    _conserved(r)


def test_parameters_are_validated_when_built_in_python() -> None:
    with pytest.raises(ValueError, match="patience_days must be a number"):
        Parameters(patience_days=math.nan)
    with pytest.raises(ValueError, match="dispute_rate_per_1000 must be at least 0"):
        Parameters(dispute_rate_per_1000=-1.0)
    assert attrs.evolve(Parameters(), patience_days=math.inf).patience_days == math.inf
