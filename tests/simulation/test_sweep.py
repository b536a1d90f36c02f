"""Sweeps: the same results on every executor, streaming, resume, failures, exports."""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import hashlib
import importlib
import json
import math
import multiprocessing
import os
import pickle
import random
import signal
import statistics
import subprocess
import sys
import textwrap
import time
import warnings
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pytest

from countypolicing.serialization import load_scenario
from countypolicing.simulation import (
    Choice,
    Normal,
    Parameters,
    RunResult,
    Scenario,
    Triangular,
    Uniform,
    run,
    run_replication,
)
from countypolicing.simulation._results import t_quantile
from countypolicing.simulation._sweep import (
    SweepProgress,
    SweepResult,
    SweepSpec,
    _inverse,
    apply_values,
    plan_sweep,
    run_id,
    sample_values,
    sweep,
)
from countypolicing.simulation._sweep_export import (
    SweepFunction,
    _value,
    ema_model,
    to_salib_problem,
)
from countypolicing.storage import (
    SweepDirectory,
    progress_reporter,
    sweep_to_directory,
)

from .conftest import MakeScenario

ROOT = Path(__file__).resolve().parents[2]
UNCERTAIN = {
    "patience_days": {"distribution": "uniform", "low": 7.0, "high": 21.0},
    "dispute_rate_per_1000": {
        "distribution": "triangular",
        "low": 9.0,
        "mode": 12.0,
        "high": 16.0,
    },
}


@pytest.fixture(scope="module")
def scenario(make_scenario: MakeScenario) -> Scenario:
    """Small: 20 days, 3 policies, 4 replications, two uncertainties."""
    return make_scenario(horizon_days=20, replications=4, uncertainties=UNCERTAIN)


@pytest.fixture(scope="module")
def reference(scenario: Scenario) -> SweepResult:
    return sweep(scenario, chunk_size=3)


def _fingerprint(result: SweepResult) -> str:
    body = json.dumps(
        [result.rows(), [f.key for f in result.failures]], sort_keys=True, default=str
    )
    return hashlib.sha256(body.encode()).hexdigest()


# ---------------------------------------------------------------- serial
def test_a_serial_sweep_matches_run_for_every_policy_and_replication(
    scenario: Scenario, reference: SweepResult
) -> None:
    result = run(scenario)
    assert len(reference.records) == len(result.runs) == 12
    for key, record in reference.records.items():
        assert record.summary == dict(
            result.run_for(key.policy, key.replication).summary
        )
        assert key.seed == scenario.seed


def test_results_are_keyed_and_sorted_by_policy_sample_replication(
    reference: SweepResult,
) -> None:
    keys = list(reference.records)
    assert [k.policy for k in keys[:4]] == ["baseline"] * 4
    assert [k.replication for k in keys[:4]] == [0, 1, 2, 3]
    assert reference.failures == ()


def test_chunk_size_does_not_change_results(
    scenario: Scenario, reference: SweepResult
) -> None:
    assert _fingerprint(sweep(scenario, chunk_size=1)) == _fingerprint(reference)


def test_bad_arguments_are_refused(scenario: Scenario) -> None:
    with pytest.raises(ValueError, match="chunk_size"):
        sweep(scenario, chunk_size=0)
    with pytest.raises(ValueError, match="unknown design"):
        SweepSpec(scenario=scenario, design="grid")
    with pytest.raises(KeyError, match="no policy"):
        SweepSpec(scenario=scenario, policies=("nope",))


# ---------------------------------------------------------------- executors
@pytest.mark.parametrize("workers", [1, 2, 3])
def test_a_process_pool_of_any_size_gives_identical_results(
    scenario: Scenario, reference: SweepResult, workers: int
) -> None:
    context = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(workers, mp_context=context) as pool:
        result = sweep(scenario, executor=pool, chunk_size=1)
    assert _fingerprint(result) == _fingerprint(reference)


class _ReversedExecutor(cf.Executor):
    """Runs nothing until the sweep waits, then completes tasks last-first."""

    def __init__(self) -> None:
        self.calls: list[tuple[cf.Future[Any], Any, tuple[Any, ...]]] = []

    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> cf.Future[Any]:  # noqa: ARG002
        future: cf.Future[Any] = cf.Future()
        self.calls.append((future, fn, args))
        return future

    def run_all(self) -> None:
        for future, fn, args in reversed(self.calls):
            future.set_result(fn(*args))


def test_completion_order_does_not_matter(
    scenario: Scenario, reference: SweepResult, monkeypatch: pytest.MonkeyPatch
) -> None:
    executor = _ReversedExecutor()
    real_wait = cf.wait

    def wait(fs: Any, **kwargs: Any) -> Any:
        executor.run_all()
        executor.calls.clear()
        return real_wait(fs, **kwargs)

    monkeypatch.setattr(cf, "wait", wait)
    result = sweep(scenario, executor=executor, chunk_size=2, max_pending=3)
    assert _fingerprint(result) == _fingerprint(reference)


@pytest.fixture(scope="module")
def dask_scheduler() -> Iterator[str]:
    """The address of a real 2-worker, 2-process `distributed.LocalCluster`."""
    distributed = pytest.importorskip(
        "distributed", reason="dask[distributed] is not installed (the dask extra)"
    )
    with distributed.LocalCluster(
        n_workers=2,
        processes=True,
        threads_per_worker=1,
        dashboard_address=None,
        host="127.0.0.1",
    ) as cluster:
        yield str(cluster.scheduler_address)


def test_a_dask_cluster_gives_identical_results(
    scenario: Scenario, reference: SweepResult, dask_scheduler: str
) -> None:
    distributed = importlib.import_module("distributed")
    with distributed.Client(dask_scheduler) as client:
        result = sweep(scenario, executor=client.get_executor(), chunk_size=2)
    assert _fingerprint(result) == _fingerprint(reference)


def test_the_cli_runs_a_sweep_on_an_existing_dask_scheduler(
    cli: argparse.ArgumentParser,
    dask_scheduler: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = str(ROOT / "examples" / "yueyanglou-policies.yaml")
    common = ["--horizon", "10", "--replications", "2", "--no-progress"]
    args = cli.parse_args(
        ["sweep", path, "--dask", dask_scheduler, "--out", str(tmp_path / "d"), *common]
    )
    assert args.handler(args) == 0
    on_dask = capsys.readouterr().out
    args = cli.parse_args(["sweep", path, "--out", str(tmp_path / "s"), *common])
    assert args.handler(args) == 0
    assert capsys.readouterr().out == on_dask


_HASHSEED_SCRIPT = textwrap.dedent(
    """
    import hashlib, json, sys
    import attrs
    import countypolicing as cp
    from countypolicing.simulation import SweepSpec, sweep
    sc = cp.load_scenario(sys.argv[1])
    sc = attrs.evolve(sc, horizon_days=15, replications=2)
    result = sweep(SweepSpec(scenario=sc, design="lhs", samples=2))
    body = json.dumps(result.rows(), sort_keys=True, default=str)
    print(hashlib.sha256(body.encode()).hexdigest())
    """
)


def test_results_do_not_depend_on_pythonhashseed() -> None:
    outputs = set()
    for hashseed in ("0", "1", "2"):
        env = dict(os.environ, PYTHONHASHSEED=hashseed)
        out = subprocess.run(
            [
                sys.executable,
                "-c",
                _HASHSEED_SCRIPT,
                str(ROOT / "examples" / "yueyanglou-policies.yaml"),
            ],
            capture_output=True,
            text=True,
            check=True,
            env=env,
        )
        outputs.add(out.stdout.strip())
    assert len(outputs) == 1


# ---------------------------------------------------------------- failures
def failing_runner(
    scenario: Scenario, policy: str, replication: int, **kwargs: Any
) -> RunResult:
    """`run_replication`, except that replication 1 of ``plaque`` raises."""
    if policy == "plaque" and replication == 1:
        msg = "boom in plaque/1"
        raise RuntimeError(msg)
    return run_replication(scenario, policy, replication, **kwargs)


def test_a_run_that_raises_is_captured_and_the_others_go_on(
    scenario: Scenario, reference: SweepResult, tmp_path: Path
) -> None:
    spec = SweepSpec(scenario=scenario, runner=failing_runner)
    with cf.ThreadPoolExecutor(2) as pool:
        result = sweep_to_directory(
            spec, tmp_path, executor=pool, chunk_size=2, progress=False
        )
    assert len(result.records) == 11
    (failure,) = result.failures
    assert (failure.policy, failure.replication, failure.seed) == (
        "plaque",
        1,
        scenario.seed,
    )
    assert "boom in plaque/1" in failure.traceback
    assert failure.values == {}
    for key, record in result.records.items():
        assert record.summary == reference.records[key].summary
    saved = json.loads((tmp_path / "failures" / f"{failure.run_id}.json").read_text())
    assert saved["error"] == "RuntimeError: boom in plaque/1"
    manifest = SweepDirectory(tmp_path).read_manifest()
    assert manifest["status"] == "failed"
    assert manifest["failed"][0]["replication"] == 1
    # resuming retries only the failed run, and now it succeeds
    again = sweep_to_directory(scenario, tmp_path, progress=False)
    assert again.skipped == 11
    assert _fingerprint(again) == _fingerprint(reference)


class _Boom(cf.Executor):
    def submit(self, fn: Any, /, *args: Any, **kwargs: Any) -> cf.Future[Any]:  # noqa: ARG002
        future: cf.Future[Any] = cf.Future()
        future.set_exception(OSError("worker lost"))
        return future


def test_a_lost_task_becomes_failures_for_its_runs(scenario: Scenario) -> None:
    result = sweep(scenario, executor=_Boom(), chunk_size=4)
    assert len(result.failures) == 12
    assert not result.records
    assert all(f.error == "OSError: worker lost" for f in result.failures)


# ---------------------------------------------------------------- streaming, resume
def test_streamed_partitions_read_back_bit_for_bit(
    scenario: Scenario, reference: SweepResult, tmp_path: Path
) -> None:
    store = SweepDirectory(tmp_path, partition_format="csv")
    seen: list[SweepProgress] = []
    result = sweep(scenario, store=store, progress=seen.append)
    assert seen[-1] == SweepProgress(total=12, done=12, failed=0, skipped=0)
    assert sorted(p.name for p in (tmp_path / "runs").iterdir()) == sorted(
        f"{r.run_id}.csv" for r in result.records.values()
    )
    back = store.completed()
    assert {r.run_id: r for r in result.records.values()} == back
    manifest = store.read_manifest()
    assert manifest["status"] == "complete"
    assert manifest["scenario_hash"] == scenario.content_hash
    assert manifest["partition_format"] == "csv"
    assert _fingerprint(result) == _fingerprint(reference)


def _partitions(runs: Path) -> list[Path]:
    return [p for p in runs.iterdir() if not p.name.startswith(".")]


_KILL_SCRIPT = textwrap.dedent(
    """
    import sys, time
    import attrs
    import countypolicing as cp
    from countypolicing.simulation import SweepSpec
    from countypolicing.storage import sweep_to_directory
    sc = cp.load_scenario(sys.argv[1])
    sc = attrs.evolve(sc, horizon_days=15, replications=4)
    spec = SweepSpec(scenario=sc, design="lhs", samples=2)
    sweep_to_directory(spec, sys.argv[2], progress=lambda p: time.sleep(0.3))
    """
)


def test_a_sweep_killed_half_way_and_resumed_gives_the_same_tables(
    tmp_path: Path,
) -> None:
    """SIGKILL a streaming sweep after a few partitions; resume; compare."""
    path = ROOT / "examples" / "yueyanglou-policies.yaml"
    killed = tmp_path / "killed"
    proc = subprocess.Popen(  # our own interpreter and script
        [sys.executable, "-c", _KILL_SCRIPT, str(path), str(killed)]
    )
    runs = killed / "runs"
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if runs.is_dir() and len(_partitions(runs)) >= 4:
            break
        time.sleep(0.05)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    partial = len(_partitions(runs))
    sc = attrs.evolve(load_scenario(path), horizon_days=15, replications=4)
    spec = SweepSpec(scenario=sc, design="lhs", samples=2)
    assert 4 <= partial < len(plan_sweep(spec))
    resumed = sweep_to_directory(spec, killed, progress=False)
    whole = sweep_to_directory(spec, tmp_path / "whole", progress=False)
    assert resumed.skipped >= partial
    assert resumed.rows() == whole.rows()
    assert resumed.summary_table() == whole.summary_table()


# ---------------------------------------------------------------- global state
def test_a_sweep_touches_no_global_random_state_or_start_method(
    scenario: Scenario, reference: SweepResult
) -> None:
    np.random.seed(123)  # noqa: NPY002  # the user's global state, to be left alone
    random.seed(123)
    before = (pickle.dumps(np.random.get_state()), random.getstate())  # noqa: NPY002
    method = multiprocessing.get_start_method(allow_none=True)
    context = multiprocessing.get_context("spawn")
    with cf.ProcessPoolExecutor(1, mp_context=context) as pool:
        result = sweep(
            SweepSpec(scenario=scenario, design="lhs", samples=2, replications=1),
            executor=pool,
        )
    after = (pickle.dumps(np.random.get_state()), random.getstate())  # noqa: NPY002
    assert before == after
    assert multiprocessing.get_start_method(allow_none=True) == method
    assert len(result.records) == 6
    np.random.seed(999)  # noqa: NPY002
    assert _fingerprint(sweep(scenario)) == _fingerprint(reference)


# ---------------------------------------------------------------- designs
def test_latin_hypercube_samples_are_seeded_stratified_and_in_range(
    scenario: Scenario,
) -> None:
    spec = SweepSpec(scenario=scenario, design="lhs", samples=5, replications=1)
    samples = sample_values(spec)
    assert samples == sample_values(spec)
    assert len(samples) == 5
    patience = sorted(float(dict(s)["patience_days"]) for s in samples)
    # one point in each fifth of [7, 21]
    assert [int((p - 7) / 14 * 5) for p in patience] == [0, 1, 2, 3, 4]
    other = sample_values(
        SweepSpec(scenario=scenario, design="lhs", samples=5, seed=99)
    )
    assert other != samples


def test_factorial_design_crosses_levels(scenario: Scenario) -> None:
    spec = SweepSpec(scenario=scenario, design="factorial", levels=2, replications=1)
    samples = sample_values(spec)
    assert len(samples) == 4
    assert {dict(s)["patience_days"] for s in samples} == {10.5, 17.5}
    result = sweep(spec)
    assert len(result.records) == 3 * 4
    record = next(iter(result.records.values()))
    assert record.values == dict(samples[0])
    assert record.draws == {}  # the sample fixes the values: nothing is drawn


def test_sobol_needs_salib(scenario: Scenario) -> None:
    spec = SweepSpec(scenario=scenario, design="sobol", samples=4, replications=1)
    try:
        importlib.import_module("SALib")
    except ImportError:
        with pytest.raises(ImportError, match="SALib"):
            sample_values(spec)
    else:
        samples = sample_values(spec)
        assert len(samples) == 4 * (2 + 2)  # N (D + 2) without second order
        assert samples == sample_values(spec)  # seeded from the root seed
        result = sweep(attrs.evolve(spec, policies=("baseline",)))
        assert [k.sample for k in result.records] == list(range(16))


def test_run_ids_are_content_addressed(scenario: Scenario) -> None:
    tasks = plan_sweep(SweepSpec(scenario=scenario))
    assert len({t.run_id for t in tasks}) == len(tasks)
    t = tasks[0]
    assert t.run_id == run_id(
        scenario.content_hash, t.policy, t.values, t.replication, t.seed
    )
    other = plan_sweep(SweepSpec(scenario=scenario, seed=scenario.seed + 1))
    assert not {x.run_id for x in other} & {x.run_id for x in tasks}


# ---------------------------------------------------------------- tables, exports
def test_summary_table_has_a_mean_and_interval_per_policy_and_outcome(
    reference: SweepResult,
) -> None:
    table = reference.summary_table(["disputes", "police_hours"])
    assert [(r["policy"], r["outcome"]) for r in table] == [
        ("baseline", "disputes"),
        ("baseline", "police_hours"),
        ("stationed", "disputes"),
        ("stationed", "police_hours"),
        ("plaque", "disputes"),
        ("plaque", "police_hours"),
    ]
    for row in table:
        assert row["n"] == 4
        assert row["replications"] == 4
        assert float(row["low"]) <= float(row["mean"]) <= float(row["high"])  # type: ignore[arg-type]
    frame = reference.to_frame("summary")
    assert len(frame) == 3 * len(reference.outcomes)
    assert len(reference.to_frame("runs")) == 12
    assert (
        list(reference.to_frame("summary", outcomes=["disputes"])["outcome"])
        == ["disputes"] * 3
    )
    with pytest.raises(ValueError, match="unknown kind"):
        reference.to_frame("nope")


def test_the_interval_of_a_sampled_sweep_is_taken_over_replications(
    scenario: Scenario,
) -> None:
    # samples of one replication share random streams: they are not independent
    result = sweep(
        SweepSpec(scenario=scenario, design="lhs", samples=3, replications=2)
    )
    [row] = result.summary_table(["disputes"], level=0.9)[:1]
    runs = [r for r in result.rows() if r["policy"] == row["policy"]]
    assert row["n"] == 6
    assert row["replications"] == 2
    per_replication = [
        statistics.fmean(
            float(r["disputes"])  # type: ignore[arg-type]
            for r in runs
            if r["replication"] == rep
        )
        for rep in (0, 1)
    ]
    centre = statistics.fmean(per_replication)
    half = t_quantile(0.95, 1) * statistics.stdev(per_replication) / math.sqrt(2)
    assert float(row["high"]) - float(row["mean"]) == pytest.approx(half)  # type: ignore[arg-type]
    assert float(row["mean"]) == pytest.approx(centre)  # type: ignore[arg-type]
    one = sweep(SweepSpec(scenario=scenario, design="lhs", samples=3, replications=1))
    assert math.isnan(float(one.summary_table(["disputes"])[0]["high"]))  # type: ignore[arg-type]


def test_to_salib_problem_describes_each_uncertainty(scenario: Scenario) -> None:
    problem = to_salib_problem(SweepSpec(scenario=scenario))
    by_name = dict(zip(problem["names"], problem["bounds"], strict=True))
    assert problem["num_vars"] == 2
    assert by_name["patience_days"] == [7.0, 21.0]
    assert by_name["dispute_rate_per_1000"] == [9.0, 16.0, 3.0 / 7.0]
    assert sorted(problem["dists"]) == ["triang", "unif"]


def test_to_salib_problem_needs_uncertainties(make_scenario: MakeScenario) -> None:
    with pytest.raises(ValueError, match="no uncertainties"):
        to_salib_problem(make_scenario(horizon_days=5))


def test_the_ema_function_runs_a_policy_at_given_values(scenario: Scenario) -> None:
    function = SweepFunction(scenario=scenario, replications=2, outcomes=("disputes",))
    low = function("baseline", patience_days=7.0, dispute_rate_per_1000=9.0)
    high = function("baseline", patience_days=7.0, dispute_rate_per_1000=16.0)
    assert low["disputes"] < high["disputes"]
    assert low == function("baseline", patience_days=7.0, dispute_rate_per_1000=9.0)


def test_the_ema_model_adapter_runs_experiments(scenario: Scenario) -> None:
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", UserWarning)
            ema = importlib.import_module("ema_workbench")
    except ImportError:  # pragma: no cover - ema_workbench is a dev install here
        with pytest.raises(ImportError, match="ema_workbench"):
            ema_model(scenario)
        pytest.skip("ema_workbench is not installed; adapter checked for its error")
    model = ema_model(scenario, replications=1)
    assert model.name == "test"
    assert sorted(u.name for u in model.uncertainties) == [
        "dispute_rate_per_1000",
        "patience_days",
    ]
    policies = [ema.Policy(p, policy_id=p) for p in ("baseline", "plaque")]
    with ema.SequentialEvaluator(model) as evaluator:
        experiments, outcomes = ema.perform_experiments(
            model, scenarios=2, policies=policies, evaluator=evaluator
        )
    assert list(experiments["policy_id"]) == ["baseline"] * 2 + ["plaque"] * 2
    function = SweepFunction(scenario=scenario, replications=1)
    for i, row in experiments.iterrows():
        expected = function(
            row["policy_id"],
            patience_days=row["patience_days"],
            dispute_rate_per_1000=row["dispute_rate_per_1000"],
        )
        assert outcomes["disputes"][i] == expected["disputes"]


def test_progress_reporter_logs_without_a_terminal(
    caplog: pytest.LogCaptureFixture,
) -> None:
    report = progress_reporter(bar=False, every=0.5)
    with caplog.at_level("INFO", logger="countypolicing.sweep"):
        for done in range(5):
            report(SweepProgress(total=4, done=done, failed=0, skipped=0))
    assert "4/4 runs done" in caplog.text


# ---------------------------------------------------------------- CLI
@pytest.fixture
def cli() -> argparse.ArgumentParser:
    from countypolicing._cli_sweep import register  # noqa: PLC0415

    parser = argparse.ArgumentParser()
    register(parser.add_subparsers())
    return parser


def test_the_cli_runs_a_sweep_on_workers_and_resumes(
    cli: argparse.ArgumentParser, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(ROOT / "examples" / "yueyanglou-policies.yaml")
    argv = [
        "sweep",
        path,
        "--workers",
        "2",
        "--out",
        str(tmp_path),
        "--horizon",
        "10",
        "--replications",
        "2",
        "--no-progress",
    ]
    args = cli.parse_args(argv)
    assert args.handler(args) == 0
    first = capsys.readouterr().out
    assert first.startswith("policy,outcome,n,replications,mean,low,high")
    assert len(list((tmp_path / "runs").iterdir())) == 6
    args = cli.parse_args([*argv[:2], "--out", str(tmp_path), *argv[6:]])
    assert args.handler(args) == 0
    assert capsys.readouterr().out == first
    bad = cli.parse_args([*argv, "--design", "factorial", "--levels", "0"])
    assert bad.handler(bad) == 2


# ---------------------------------------------------------------- details
def test_quantiles_of_every_distribution() -> None:
    assert _inverse(Uniform(low=2.0, high=4.0), 0.5) == 3.0
    tri = Triangular(low=0.0, mode=1.0, high=2.0)
    assert _inverse(tri, 0.5) == pytest.approx(1.0)
    assert _inverse(tri, 0.125) == pytest.approx(0.5)
    assert _inverse(Triangular(low=3.0, mode=3.0, high=3.0), 0.7) == 3.0
    normal = Normal(mean=10.0, sd=2.0, low=9.0, high=10.5)
    assert _inverse(normal, 0.5) == pytest.approx(10.0)
    assert _inverse(normal, 0.01) == 9.0
    assert _inverse(normal, 0.99) == 10.5
    words: tuple[float | str, ...] = ("a", "b", "c")
    choice = Choice(values=words, weights=(1.0, 1.0, 2.0))  # type: ignore[arg-type]  # converter=tuple confuses mypy
    assert [_inverse(choice, u) for u in (0.1, 0.3, 0.6, 1.0)] == ["a", "b", "c", "c"]


def test_sample_values_are_clipped_and_typed_like_the_parameter() -> None:
    p = apply_values(
        Parameters(),
        (("patience_days", -5.0), ("service_days.stationed", 2.5)),
    )
    assert p.patience_days == 0.0
    assert p.service_days["stationed"] == 2.5


def test_a_factorial_sweep_takes_every_value_of_a_choice(
    make_scenario: MakeScenario,
) -> None:
    sc = make_scenario(
        horizon_days=5,
        replications=1,
        uncertainties={
            "patience_days": {"distribution": "choice", "values": [7.0, 14.0]},
            "dispute_rate_per_1000": {"distribution": "normal", "mean": 12, "sd": 2},
        },
    )
    spec = SweepSpec(scenario=sc, design="factorial", levels=3, policies=["baseline"])
    samples = sample_values(spec)
    assert len(samples) == 6
    assert {dict(s)["patience_days"] for s in samples} == {7.0, 14.0}
    problem = to_salib_problem(sc)
    assert sorted(problem["dists"]) == ["norm", "unif"]
    assert _value(1.7, sc, "patience_days") == 14.0
    assert _value(14.0, sc, "patience_days") == 14.0
    assert _value(np.float64(3.5), sc, "dispute_rate_per_1000") == 3.5
    assert _value("high", sc, "dispute_rate_per_1000") == "high"
    assert len(sweep(spec).records) == 6


def test_the_store_ignores_temp_and_foreign_files_and_refuses_bad_formats(
    scenario: Scenario, tmp_path: Path
) -> None:
    with pytest.raises(ValueError, match="partition format"):
        SweepDirectory(tmp_path, partition_format="xlsx")
    store = SweepDirectory(tmp_path, partition_format="csv")
    sweep(SweepSpec(scenario=scenario, replications=1), store=store)
    (tmp_path / "runs" / ".abc.csv.0123456789abcdef.tmp").write_text("half")
    (tmp_path / "runs" / "notes.txt").write_text("mine")
    assert len(store.completed()) == 3


def test_parquet_partitions_when_pyarrow_is_installed(
    scenario: Scenario, reference: SweepResult, tmp_path: Path
) -> None:
    pytest.importorskip("pyarrow", reason="pyarrow is not installed")
    store = SweepDirectory(tmp_path)
    assert store.partition_format == "parquet"
    first = sweep(scenario, store=store)
    again = sweep(scenario, store=SweepDirectory(tmp_path))
    assert again.skipped == 12
    assert _fingerprint(again) == _fingerprint(first) == _fingerprint(reference)


def test_progress_bar_and_callbacks(
    scenario: Scenario, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm", reason="tqdm is not installed")
    report = progress_reporter(bar=True)
    for done in range(3):
        report(SweepProgress(total=2, done=done, failed=0, skipped=0))
    assert "2/2" in capsys.readouterr().err
    seen: list[SweepProgress] = []
    spec = SweepSpec(scenario=scenario, replications=1)
    sweep_to_directory(spec, tmp_path, progress=seen.append)
    assert seen[-1].done == 3
    resumed = sweep_to_directory(spec, tmp_path, progress=True)
    assert resumed.skipped == 3
