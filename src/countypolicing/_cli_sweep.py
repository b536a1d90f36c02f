"""``countypolicing sweep``: run a scenario's sweep on a process pool or on Dask."""

from __future__ import annotations

import argparse
import concurrent.futures as cf
import contextlib
import csv
import importlib
import multiprocessing
import os
import sys
from collections.abc import Iterator
from typing import TYPE_CHECKING, Final

import attrs

from countypolicing.serialization import load_scenario
from countypolicing.simulation._sweep import DESIGNS, SweepResult, SweepSpec
from countypolicing.storage._sweep_store import sweep_to_directory

if TYPE_CHECKING:
    from countypolicing._cli import Subparsers

__all__ = ["register"]

#: Environment variables that cap BLAS threads in the workers the CLI starts.
_BLAS_THREADS: Final = ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS")


def register(sub: Subparsers) -> None:
    """Add the ``sweep`` subcommand."""
    parser = sub.add_parser(
        "sweep",
        help="run policies x uncertainty samples x replications, streaming to disk",
        description="Expand a scenario into runs (policies x samples x "
        "replications), run them on a local process pool or a Dask cluster, "
        "write each finished run to --out as it arrives and print the policy x "
        "outcome summary. Runs already in --out are skipped (resume).",
        epilog="examples:\n"
        "  countypolicing sweep examples/yueyanglou-policies.yaml --workers 4 "
        "--out sweep/\n"
        "  countypolicing sweep scenario.yaml --dask tcp://10.0.0.5:8786 "
        "--out sweep/\n"
        "  countypolicing sweep scenario.yaml --design lhs --samples 64 "
        "--replications 5 --out lhs/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument("scenario", help="a scenario .yaml file")
    where = parser.add_mutually_exclusive_group()
    where.add_argument(
        "--workers",
        type=int,
        default=0,
        metavar="N",
        help="local worker processes (default 0: run in this process)",
    )
    where.add_argument(
        "--dask", metavar="ADDRESS", help="a Dask scheduler, e.g. tcp://HOST:8786"
    )
    parser.add_argument("--out", required=True, metavar="DIR", help="output directory")
    parser.add_argument("--design", choices=DESIGNS, default="replications")
    parser.add_argument("--samples", type=int, default=8, help="lhs/sobol points")
    parser.add_argument("--levels", type=int, default=3, help="factorial levels")
    parser.add_argument("--replications", type=int, help="default: the file's")
    parser.add_argument("--horizon", type=int, metavar="DAYS", help="days")
    parser.add_argument("--seed", type=int, help="root seed (default: the file's)")
    parser.add_argument("--chunk-size", type=int, default=4, help="runs per task")
    parser.add_argument(
        "--no-resume", action="store_true", help="rerun runs already in --out"
    )
    parser.add_argument(
        "--no-progress", action="store_true", help="no progress bar or log lines"
    )
    parser.set_defaults(handler=_cmd_sweep)


@contextlib.contextmanager
def _executor(args: argparse.Namespace) -> Iterator[cf.Executor | None]:
    if args.dask:
        try:
            distributed = importlib.import_module("distributed")
        except ImportError as exc:
            msg = "--dask needs the dask extra: pip install 'countypolicing[dask]'"
            raise ImportError(msg) from exc
        with distributed.Client(args.dask) as client:
            yield client.get_executor()
        return
    if args.workers > 0:
        # one BLAS thread per worker (as Dask does): numpy's OpenBLAS threads
        # otherwise spin against the other workers; spawned workers inherit this
        for var in _BLAS_THREADS:
            os.environ.setdefault(var, "1")
        context = multiprocessing.get_context("spawn")
        with cf.ProcessPoolExecutor(args.workers, mp_context=context) as pool:
            yield pool
        return
    yield None


def _cmd_sweep(args: argparse.Namespace) -> int:
    scenario = load_scenario(args.scenario)
    if args.horizon is not None:
        scenario = attrs.evolve(scenario, horizon_days=args.horizon)
    try:
        spec = SweepSpec(
            scenario=scenario,
            replications=args.replications,
            seed=args.seed,
            design=args.design,
            samples=args.samples,
            levels=args.levels,
        )
        with _executor(args) as executor:
            result = sweep_to_directory(
                spec,
                args.out,
                executor=executor,
                chunk_size=args.chunk_size,
                resume=not args.no_resume,
                progress=not args.no_progress,
            )
    except (ImportError, KeyError, ValueError) as exc:
        sys.stderr.write(f"error: {exc.args[0] if exc.args else exc}\n")
        return 2
    _print(result)
    return 1 if result.failures else 0


def _print(result: SweepResult) -> None:
    rows = result.summary_table()
    writer = csv.DictWriter(sys.stdout, fieldnames=list(rows[0]), lineterminator="\n")
    writer.writeheader()
    writer.writerows(rows)
    for f in result.failures:
        sys.stderr.write(
            f"failed: {f.policy} sample {f.sample} replication {f.replication} "
            f"seed {f.seed}: {f.error}\n"
        )
