"""The determinism contract (RELIABILITY.md F): same seed, same bits, everywhere."""

from __future__ import annotations

import ast
import hashlib
import os
import pickle
import random
import subprocess
import sys
import textwrap
from concurrent.futures import ProcessPoolExecutor
from multiprocessing import get_context
from pathlib import Path

import numpy as np
import pytest

from countypolicing.simulation import (
    COMPONENTS,
    RunResult,
    SimulationResult,
    run,
    run_replication,
    seed_sequence,
    warm_up,
)

from .conftest import MakeScenario

SRC = Path(__file__).resolve().parents[2] / "src" / "countypolicing" / "simulation"
MODES = ["daily", "continuous"]


def _fingerprint(result: SimulationResult | RunResult) -> str:
    runs = result.runs if isinstance(result, SimulationResult) else (result,)
    digest = hashlib.sha256()
    for r in runs:
        digest.update(repr(sorted(r.summary.items())).encode())
        digest.update(repr(r.queues).encode())
        state = r.state
        for name in (
            "queue_totals",
            "world_totals",
            "backlog",
            "waiting",
            "in_service",
            "hidden",
            "found",
            "schedule",
            "likelihood",
            "classes",
        ):
            digest.update(np.ascontiguousarray(getattr(state, name)).tobytes())
        if r.series is not None:
            for key in sorted(r.series):
                digest.update(np.ascontiguousarray(r.series[key]).tobytes())
    return digest.hexdigest()


@pytest.mark.parametrize("mode", MODES)
def test_the_same_seed_gives_bit_identical_results(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(time=mode, series=True)
    assert _fingerprint(run(scenario, seed=5)) == _fingerprint(run(scenario, seed=5))
    assert _fingerprint(run(scenario, seed=5)) != _fingerprint(run(scenario, seed=6))


def test_replications_computed_in_any_order_are_identical(
    make_scenario: MakeScenario,
) -> None:
    scenario = make_scenario()
    forward = [run_replication(scenario, "plaque", i) for i in range(3)]
    backward = [run_replication(scenario, "plaque", i) for i in reversed(range(3))]
    assert [_fingerprint(r) for r in forward] == [
        _fingerprint(r) for r in reversed(backward)
    ]


def test_global_random_state_does_not_matter(make_scenario: MakeScenario) -> None:
    scenario = make_scenario()
    first = _fingerprint(run(scenario))
    np.random.seed(123)  # noqa: NPY002  # the point: global state is ignored
    random.seed(456)
    np.random.random(10)  # noqa: NPY002
    assert _fingerprint(run(scenario)) == first


_CHILD = textwrap.dedent(
    """
    import hashlib, sys
    sys.path.insert(0, {tests!r})
    from simulation.conftest import ROUTING
    from simulation.test_determinism import _fingerprint
    from countypolicing.datasets import default_ruleset, yueyanglou
    from countypolicing.rules import ruleset_from_data
    from countypolicing.simulation import run, scenario_from_data
    rulesets = {{"routing": ruleset_from_data(ROUTING),
                 "classification": default_ruleset("community-classification"),
                 "grading": default_ruleset("risk-point-grading")}}
    for mode in ("daily", "continuous"):
        scenario = scenario_from_data({{"schema_version": 1, "scenario": "child",
            "county": "bundled:yueyanglou", "horizon_days": 30, "replications": 2,
            "time": mode, "series": True, "levers": {{"stationed_mediators": 0}},
            "uncertainties": {{"patience_days": {{"distribution": "uniform", "low": 5, "high": 20}}}},
            "policies": {{"stationed": {{"levers": {{"stationed_mediators": 1}}}}}}}},
            county=yueyanglou(), rulesets=rulesets)
        print(mode, _fingerprint(run(scenario, seed=99)))
    """
)


def test_results_are_identical_across_processes_and_hash_seeds() -> None:
    tests = str(Path(__file__).resolve().parents[1])
    outputs = set()
    for hash_seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": hash_seed}
        out = subprocess.run(
            [sys.executable, "-c", _CHILD.format(tests=tests)],
            capture_output=True,
            text=True,
            env=env,
            check=True,
            timeout=120,
        )
        outputs.add(out.stdout)
    assert len(outputs) == 1, outputs
    assert "daily" in next(iter(outputs))


def test_a_process_pool_gives_the_serial_results(make_scenario: MakeScenario) -> None:
    scenario = make_scenario(horizon_days=20)
    jobs = [(p, r) for p in scenario.policy_ids for r in range(2)]
    serial = [_fingerprint(run_replication(scenario, p, r)) for p, r in jobs]
    with ProcessPoolExecutor(max_workers=2, mp_context=get_context("spawn")) as pool:
        futures = [
            pool.submit(run_replication, scenario, p, r) for p, r in reversed(jobs)
        ]
        parallel = [_fingerprint(f.result()) for f in reversed(futures)]
    assert parallel == serial


@pytest.mark.parametrize("mode", MODES)
def test_a_policy_that_changes_nothing_gives_identical_outcomes(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(
        time=mode,
        policies={
            "same": {"levers": {"stationed_mediators": 0}},
            "stationed": {"levers": {"stationed_mediators": 1}},
        },
        uncertainties={
            "dispute_rate_per_1000": {"distribution": "normal", "mean": 12, "sd": 2},
        },
    )
    result = run(scenario)
    for rep in result.replications:
        base = result.run_for("baseline", rep)
        same = result.run_for("same", rep)
        assert base.summary == same.summary
        assert base.draws == same.draws
        assert base.summary != result.run_for("stationed", rep).summary
    # common random numbers: arrivals are the same under every policy
    assert len(set(result.metric("disputes", "baseline"))) > 1
    assert result.metric("disputes", "baseline") == result.metric(
        "disputes", "stationed"
    )


def test_without_common_random_numbers_policies_draw_their_own(
    make_scenario: MakeScenario,
) -> None:
    scenario = make_scenario(
        common_random_numbers=False,
        policies={"same": {"levers": {"stationed_mediators": 0}}},
    )
    result = run(scenario)
    assert result.metric("disputes", "baseline") != result.metric("disputes", "same")


@pytest.mark.parametrize("mode", MODES)
def test_a_warm_up_continued_is_the_same_as_one_run(
    make_scenario: MakeScenario, mode: str
) -> None:
    scenario = make_scenario(time=mode, horizon_days=45)
    straight = run(scenario, policies=["baseline"])
    states = warm_up(scenario, 17)
    restored = tuple(pickle.loads(pickle.dumps(s)) for s in states)  # noqa: S301  # our own bytes
    continued = run(scenario, policies=["baseline"], from_state=restored)
    assert [r.summary for r in continued.runs] == [r.summary for r in straight.runs]
    assert _fingerprint(continued) == _fingerprint(straight)


def test_policies_forked_from_one_warm_up_share_its_history(
    make_scenario: MakeScenario,
) -> None:
    scenario = make_scenario(horizon_days=40)
    states = warm_up(scenario, 25)
    result = run(scenario, from_state=states)
    assert result.provenance.forked_from == scenario.content_hash
    for rep in result.replications:
        base, other = result.run_for("baseline", rep), result.run_for("stationed", rep)
        assert base.start_day == other.start_day == 25
        assert base.summary["disputes"] == other.summary["disputes"]
        assert base.summary["police_hours_freed"] < other.summary["police_hours_freed"]


def test_results_and_states_pickle(make_scenario: MakeScenario) -> None:
    result = run(make_scenario(series=True))
    again = pickle.loads(pickle.dumps(result))  # noqa: S301  # our own bytes
    assert _fingerprint(again) == _fingerprint(result)


def test_seed_sequences_are_built_from_explicit_integers() -> None:
    a = seed_sequence(3, replication=2, component="arrivals")
    assert a.spawn_key[1:] == (2, 0, 3612958146)
    assert (
        seed_sequence(3, replication=2, component="arrivals", policy="p").spawn_key[2]
        != 0
    )
    with pytest.raises(ValueError, match="unknown random component"):
        seed_sequence(3, replication=0, component="arrival")
    assert len(set(COMPONENTS)) == len(COMPONENTS)


def test_nothing_in_the_simulation_seeds_from_hash_or_global_random_state() -> None:
    for path in sorted(SRC.glob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Call):
                func = node.func
                name = (
                    func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
                )
                assert name != "hash" or path.name == "_params.py", (
                    f"{path.name}:{node.lineno}"
                )
                if isinstance(func, ast.Attribute) and isinstance(
                    func.value, ast.Attribute
                ):
                    assert not (
                        func.value.attr == "random"
                        and func.attr in {"seed", "rand", "random", "randint"}
                    ), f"{path.name}:{node.lineno} uses numpy's global random state"
            if isinstance(node, ast.Name):
                assert node.id != "default_rng" or path.name == "_seeds.py"
