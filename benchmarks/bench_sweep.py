"""Sweep throughput: serial vs a 2-worker process pool vs a 2-worker Dask cluster.

Run: ``python benchmarks/bench_sweep.py [--replications 100] [--days 365] [--repeat 1]``.

The sweep is ``examples/yueyanglou-policies.yaml`` (baseline and two policies,
uncertainties drawn per replication) with ``--replications`` replications, so
3 x 100 = 300 runs of one simulated year by default, ``--chunk-size`` runs per task.

- serial: `sweep` with no executor.
- pool: a stdlib ``ProcessPoolExecutor(2, mp_context=forkserver)``, started and
  warmed before timing. Target: >= 1.8x the serial speed.
- dask: ``distributed.LocalCluster(n_workers=2, threads_per_worker=1,
  processes=True)`` through ``client.get_executor()``, warmed. Target: within 1.3x
  of the pool. Skipped when distributed is not installed.
- per-task overhead: one-day runs, one per task, on each executor, minus the same
  runs serially, per task.
- BLAS threads: ``OPENBLAS_NUM_THREADS=1`` (and OMP, MKL) unless already set, in
  this process and so in the pool's workers, as Dask does for its workers.
- driver memory: ``tracemalloc`` peak of a serial sweep with and without
  ``out_dir`` (CSV partitions unless pyarrow is installed).

Every executor's results are checked to be identical to the serial ones. With
``--repeat`` the three are timed in turn, best of each: on a shared machine load
from elsewhere then hits all three alike.
"""

# ruff: noqa: E402  # the BLAS environment must be set before numpy is imported
from __future__ import annotations

import os

# One BLAS thread per process, as Dask sets for its workers: numpy's OpenBLAS
# threads otherwise spin against the worker processes (measured 2-4x slower on
# 2 cores). Set OPENBLAS_NUM_THREADS yourself to measure something else.
for _var in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_var, "1")

import argparse
import concurrent.futures as cf
import contextlib
import functools
import importlib
import multiprocessing
import tempfile
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import attrs

from countypolicing.serialization import load_scenario
from countypolicing.simulation import Scenario, SweepResult, SweepSpec, sweep
from countypolicing.storage import SweepDirectory

EXAMPLE = Path(__file__).resolve().parents[1] / "examples" / "yueyanglou-policies.yaml"


def timed(fn: Callable[[], SweepResult]) -> tuple[float, SweepResult]:
    t = time.perf_counter()
    result = fn()
    return time.perf_counter() - t, result


@contextlib.contextmanager
def pool(workers: int) -> Iterator[cf.Executor]:
    context = multiprocessing.get_context("forkserver")
    with cf.ProcessPoolExecutor(workers, mp_context=context) as executor:
        yield executor


@contextlib.contextmanager
def dask(workers: int) -> Iterator[cf.Executor | None]:
    try:
        distributed = importlib.import_module("distributed")
    except ImportError:
        yield None
        return
    with (
        distributed.LocalCluster(
            n_workers=workers,
            threads_per_worker=1,
            processes=True,
            dashboard_address=None,
            host="127.0.0.1",
        ) as cluster,
        distributed.Client(cluster) as client,
    ):
        yield client.get_executor()


def spin(n: int) -> int:
    """Pure Python CPU work: what parallelism the machine offers right now."""
    total = 0
    for i in range(n):
        total += i * i
    return total


def ceiling(executor: cf.Executor, tasks: int) -> float:
    """Speed-up of ``tasks`` spins on ``executor`` over the same in this process."""
    t = time.perf_counter()
    sizes = [
        2_000_000 + i for i in range(tasks)
    ]  # distinct: Dask would share equal ones
    for n in sizes:
        spin(n)
    serial = time.perf_counter() - t
    t = time.perf_counter()
    list(executor.map(spin, sizes))
    return serial / (time.perf_counter() - t)


def warm(executor: cf.Executor, scenario: Scenario, workers: int) -> None:
    """Import the library in every worker before timing."""
    tiny = attrs.evolve(scenario, horizon_days=1, replications=2 * workers)
    sweep(tiny, executor=executor, chunk_size=1)


def overhead(executor: cf.Executor, scenario: Scenario, serial: float) -> float:
    """Seconds per task beyond the work itself (one-day runs, one per task)."""
    tiny = attrs.evolve(scenario, horizon_days=1, replications=100)
    elapsed, _ = timed(lambda: sweep(tiny, executor=executor, chunk_size=1))
    return (elapsed - serial) / (3 * 100)


def peak_mib(fn: Callable[[], object]) -> float:
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:  # noqa: PLR0915  # one measurement after another
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--replications", type=int, default=100)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--chunk-size", type=int, default=5)
    parser.add_argument("--repeat", type=int, default=1, help="best of, interleaved")
    args = parser.parse_args()
    scenario = attrs.evolve(
        load_scenario(EXAMPLE),
        horizon_days=args.days,
        replications=args.replications,
    )
    spec = SweepSpec(scenario=scenario)
    runs = len(scenario.policy_ids) * args.replications
    tasks = len(scenario.policy_ids) * -(-args.replications // args.chunk_size)
    print(f"OPENBLAS_NUM_THREADS={os.environ['OPENBLAS_NUM_THREADS']}")
    print(
        f"{runs} runs ({len(scenario.policy_ids)} policies x {args.replications} "
        f"replications) of {args.days} days, {tasks} tasks of <= {args.chunk_size}"
    )
    sweep(attrs.evolve(scenario, horizon_days=1, replications=1))  # warm caches
    tiny = attrs.evolve(scenario, horizon_days=1, replications=100)
    tiny_serial, _ = timed(lambda: sweep(tiny, chunk_size=1))
    with contextlib.ExitStack() as stack:
        executors: dict[str, cf.Executor] = {}
        for name, make in (
            (f"pool x{args.workers}", pool),
            (f"dask x{args.workers}", dask),
        ):
            executor = stack.enter_context(make(args.workers))
            if executor is None:
                print(f"{name:<17} skipped: distributed is not installed")
                continue
            warm(executor, scenario, args.workers)
            executors[name] = executor
        best: dict[str, float] = {}
        for _ in range(args.repeat):  # interleaved, so load from elsewhere hits all
            elapsed, reference = timed(
                functools.partial(sweep, spec, chunk_size=args.chunk_size)
            )
            best["serial"] = min(best.get("serial", elapsed), elapsed)
            for name, ex in executors.items():
                elapsed, result = timed(
                    functools.partial(
                        sweep, spec, executor=ex, chunk_size=args.chunk_size
                    )
                )
                if result.rows() != reference.rows():
                    msg = f"{name} differs from serial"
                    raise SystemExit(msg)
                best[name] = min(best.get(name, elapsed), elapsed)
        per_task = {
            name: overhead(ex, scenario, tiny_serial) for name, ex in executors.items()
        }
        available = {name: ceiling(ex, 8) for name, ex in executors.items()}
    serial = best["serial"]
    print(f"serial            {serial:7.2f} s   {runs / serial:7.1f} runs/s")
    for name in executors:
        elapsed = best[name]
        print(
            f"{name:<17} {elapsed:7.2f} s   {runs / elapsed:7.1f} runs/s   "
            f"speed-up {serial / elapsed:4.2f}x   overhead "
            f"{per_task[name] * 1e3:6.1f} ms/task   (identical results)"
        )
        print(
            f"{'':<17} pure-Python CPU ceiling on this executor now: "
            f"{available[name]:4.2f}x"
        )
    names = list(executors)
    if len(names) == 2:  # pool and dask
        ratio = best[names[1]] / best[names[0]]
        print(f"dask / pool       {ratio:4.2f}x   (target <= 1.3x)")
    if names:
        print(f"pool speed-up     {serial / best[names[0]]:4.2f}x   (target >= 1.8x)")

    small = SweepSpec(scenario=attrs.evolve(scenario, horizon_days=min(args.days, 90)))
    without = peak_mib(lambda: sweep(small, chunk_size=args.chunk_size))
    with tempfile.TemporaryDirectory() as out:
        store = SweepDirectory(out)
        warm_up = attrs.evolve(scenario, horizon_days=1, replications=1)
        sweep(warm_up, store=SweepDirectory(Path(out) / "warm"))  # imports pyarrow
        with_dir = peak_mib(
            lambda: sweep(small, chunk_size=args.chunk_size, store=store)
        )
        fmt = store.partition_format
    print(
        f"driver peak (tracemalloc, {runs} runs of {min(args.days, 90)} days): "
        f"{without:6.1f} MiB in memory, {with_dir:6.1f} MiB with out_dir ({fmt})"
    )


if __name__ == "__main__":
    main()
