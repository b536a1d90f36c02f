"""Sweeps: policies x uncertainty samples x replications on any executor.

`sweep` expands a `SweepSpec` into runs, groups each (policy, sample)'s
replications into chunks, hands the chunks to any `concurrent.futures.Executor`
(none: in this process; a stdlib process pool; Dask's ``client.get_executor()``;
MPI's ``MPIPoolExecutor``) and collects the results keyed by (policy, sample,
replication, seed) whatever order they finish in.

This module is pure (layer 3): it reads and writes no file. Streaming to disk and
resuming go through an injected `SweepStore` (`countypolicing.storage` has one
that writes a directory), and progress through an injected callback.

Every run has a content-addressed id (scenario hash, policy, sample values,
replication, seed), so a store can tell which runs are already done.
"""

from __future__ import annotations

import concurrent.futures as cf
import hashlib
import importlib
import json
import math
import pickle
import traceback
from collections.abc import Callable, Iterable, Mapping, Sequence
from itertools import product
from statistics import NormalDist
from typing import Any, Final, NamedTuple, Protocol, TypeAlias, cast

import attrs
import numpy as np

from countypolicing.simulation._params import (
    PARAMETER_SPECS,
    Choice,
    Distribution,
    Normal,
    Parameters,
    Triangular,
    Uniform,
)
from countypolicing.simulation._results import RunResult, t_quantile
from countypolicing.simulation._run import _arrays, run_replication
from countypolicing.simulation._scenario import Scenario
from countypolicing.simulation._seeds import SPAWN_DOMAIN, crc32_key

__all__ = [
    "DESIGNS",
    "SweepFailure",
    "SweepKey",
    "SweepProgress",
    "SweepRecord",
    "SweepResult",
    "SweepSpec",
    "SweepStore",
    "plan_sweep",
    "run_id",
    "run_sweep_chunk",
    "sample_values",
    "sweep",
]

#: How uncertainty samples are chosen.
#: ``replications``: no samples; each replication draws its own values (as `run`).
#: ``factorial``: every combination of ``levels`` quantiles per uncertainty.
#: ``lhs``: a seeded Latin hypercube of ``samples`` points.
#: ``sobol``: Saltelli/Sobol points from SALib (``samples`` is its ``N``).
DESIGNS: Final = ("replications", "factorial", "lhs", "sobol")

Value: TypeAlias = float | str
Runner: TypeAlias = Callable[..., RunResult]


def _default_runner() -> Runner:
    return run_replication


def _policies(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(value)


@attrs.frozen(kw_only=True)
class SweepSpec:
    """What to sweep: a scenario, its policies, a sample design and replications.

    Attributes:
        scenario: the scenario; its uncertainties are what gets sampled.
        policies: the policies to run (default: ``baseline`` and every policy).
        replications: replications per (policy, sample) (default: the scenario's).
        seed: the root seed (default: the scenario's).
        design: one of `DESIGNS`.
        samples: points for ``lhs`` and ``sobol``.
        levels: quantile levels per uncertainty for ``factorial``.
        runner: the unit of work, ``run_replication`` unless a test swaps it for
            another top-level (picklable) function with the same signature.

    Examples:
        >>> SweepSpec.__name__, DESIGNS[0]
        ('SweepSpec', 'replications')

    Added in version 0.1.0.
    """

    scenario: Scenario
    policies: tuple[str, ...] | None = attrs.field(default=None, converter=_policies)
    replications: int | None = None
    seed: int | None = None
    design: str = "replications"
    samples: int = 8
    levels: int = 3
    runner: Runner = attrs.field(factory=_default_runner, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        if self.design not in DESIGNS:
            msg = f"unknown design {self.design!r}; known: {', '.join(DESIGNS)}"
            raise ValueError(msg)
        if self.samples < 1 or self.levels < 1:
            msg = "samples and levels are integers >= 1"
            raise ValueError(msg)
        for p in self.policy_ids:
            self.scenario.policy(p)  # raises KeyError on an unknown policy

    @property
    def policy_ids(self) -> tuple[str, ...]:
        """The policies swept, in order."""
        return self.policies if self.policies is not None else self.scenario.policy_ids

    @property
    def root_seed(self) -> int:
        """The root seed of every run."""
        return self.scenario.seed if self.seed is None else self.seed

    @property
    def n_replications(self) -> int:
        """Replications per (policy, sample)."""
        return (
            self.scenario.replications
            if self.replications is None
            else self.replications
        )


class SweepKey(NamedTuple):
    """Where a run sits in a sweep: (policy, sample, replication, seed).

    ``seed`` is the sweep's root seed; each run's random streams come from
    (root seed, replication, component), so it is the same in every row of one
    sweep and tells sweeps with different seeds apart.

    Examples:
        >>> SweepKey("baseline", 0, 3, 7).replication
        3

    Added in version 0.1.0.
    """

    policy: str
    sample: int
    replication: int
    seed: int


@attrs.frozen(kw_only=True)
class SweepRecord:
    """One finished run: its key, id, sample values, draws and summary metrics.

    Added in version 0.1.0.
    """

    run_id: str
    policy: str
    sample: int
    replication: int
    seed: int
    values: Mapping[str, Value]
    draws: Mapping[str, Value]
    summary: Mapping[str, float]

    @property
    def key(self) -> SweepKey:
        """(policy, sample, replication, seed)."""
        return SweepKey(self.policy, self.sample, self.replication, self.seed)


@attrs.frozen(kw_only=True)
class SweepFailure:
    """A run that raised: what it was, its seed and the traceback.

    Added in version 0.1.0.
    """

    run_id: str
    policy: str
    sample: int
    replication: int
    seed: int
    values: Mapping[str, Value]
    error: str
    traceback: str

    @property
    def key(self) -> SweepKey:
        """(policy, sample, replication, seed)."""
        return SweepKey(self.policy, self.sample, self.replication, self.seed)


@attrs.frozen(kw_only=True)
class SweepProgress:
    """How far a sweep is: passed to the progress callback after each run.

    Added in version 0.1.0.
    """

    total: int
    done: int
    failed: int
    skipped: int


class SweepStore(Protocol):
    """Where a sweep streams its runs (see `countypolicing.storage`).

    ``completed`` is read once at the start (for ``resume``); ``write`` and
    ``write_failure`` are called in the driver as each run finishes; ``manifest``
    at the start and the end.

    Added in version 0.1.0.
    """

    def completed(self) -> Mapping[str, SweepRecord]:
        """The runs already stored, by run id."""
        ...

    def write(self, record: SweepRecord) -> None:
        """Store one finished run."""
        ...

    def write_failure(self, failure: SweepFailure) -> None:
        """Store one failed run."""
        ...

    def manifest(self, data: Mapping[str, object]) -> None:
        """Store the sweep's manifest (replacing any earlier one)."""
        ...


class _Task(NamedTuple):
    run_id: str
    policy: str
    sample: int
    values: tuple[tuple[str, Value], ...]
    replication: int
    seed: int


# ---------------------------------------------------------------- samples
def _inverse(dist: Distribution, u: float) -> Value:  # noqa: PLR0911  # one case per distribution
    """The ``u`` quantile of ``dist`` (stdlib only: no scipy)."""
    if isinstance(dist, Uniform):
        return dist.low + u * (dist.high - dist.low)
    if isinstance(dist, Triangular):
        low, mode, high = dist.low, dist.mode, dist.high
        if high == low:
            return float(low)
        c = (mode - low) / (high - low)
        if u < c:
            return low + math.sqrt(u * (high - low) * (mode - low))
        return high - math.sqrt((1 - u) * (high - low) * (high - mode))
    if isinstance(dist, Normal):
        clipped = min(max(u, 1e-12), 1 - 1e-12)
        x = NormalDist(dist.mean, dist.sd).inv_cdf(clipped)
        if dist.low is not None:
            x = max(x, dist.low)
        if dist.high is not None:
            x = min(x, dist.high)
        return x
    weights = dist.weights or (1.0,) * len(dist.values)
    total = math.fsum(weights)
    cumulative = 0.0
    for value, w in zip(dist.values, weights, strict=True):
        cumulative += w / total
        if u < cumulative:
            return value
    return dist.values[-1]


def sample_values(spec: SweepSpec) -> tuple[tuple[tuple[str, Value], ...], ...]:
    """The uncertainty values of each sample of ``spec``'s design.

    ``replications`` gives one empty sample (each replication draws its own);
    the others give one tuple of (parameter, value) per sample, in the order of
    the scenario's uncertainties. Latin hypercubes come from a `SeedSequence` of
    the root seed (no global random state); Sobol points need SALib.

    Raises:
        ImportError: ``sobol`` without SALib installed.

    Examples:
        >>> from countypolicing.simulation._sweep import _inverse
        >>> _inverse(Uniform(low=0.0, high=10.0), 0.25)
        2.5

    Added in version 0.1.0.
    """
    uncertainties = spec.scenario.uncertainties
    names = [u.parameter for u in uncertainties]
    if spec.design == "replications" or not uncertainties:
        return ((),)
    if spec.design == "factorial":
        axes: list[list[Value]] = []
        for u in uncertainties:
            if isinstance(u.distribution, Choice):
                axes.append(list(u.distribution.values))
            else:
                axes.append(
                    [
                        _inverse(u.distribution, (i + 0.5) / spec.levels)
                        for i in range(spec.levels)
                    ]
                )
        return tuple(tuple(zip(names, combo, strict=True)) for combo in product(*axes))
    units = _unit_points(spec, len(names))
    return tuple(
        tuple(
            (u.parameter, _inverse(u.distribution, float(x)))
            for u, x in zip(uncertainties, row, strict=True)
        )
        for row in units
    )


def _unit_points(spec: SweepSpec, dims: int) -> Any:  # noqa: ANN401  # an (n, dims) array
    if spec.design == "lhs":
        sequence = np.random.SeedSequence(
            spec.root_seed, spawn_key=(SPAWN_DOMAIN, crc32_key("sweep/lhs"))
        )
        rng = np.random.Generator(np.random.PCG64(sequence))
        n = spec.samples
        cols = [(rng.permutation(n) + rng.random(n)) / n for _ in range(dims)]
        return np.column_stack(cols)
    try:
        sobol = importlib.import_module("SALib.sample.sobol")
    except ImportError as exc:  # pragma: no cover - depends on the environment
        msg = "the 'sobol' design needs SALib: pip install SALib"
        raise ImportError(msg) from exc
    problem = {
        "num_vars": dims,
        "names": [f"u{i}" for i in range(dims)],
        "bounds": [[0.0, 1.0]] * dims,
    }
    points = sobol.sample(
        problem, spec.samples, calc_second_order=False, seed=spec.root_seed
    )
    return np.clip(points, 0.0, np.nextafter(1.0, 0.0))


def apply_values(
    parameters: Parameters, values: Iterable[tuple[str, Value]]
) -> Parameters:
    """``parameters`` with each sampled value set (clipped to its range)."""
    changes: dict[str, object] = {}
    for name, raw in values:
        head, _, key = name.partition(".")
        spec = PARAMETER_SPECS[head]
        value: Value = raw
        if not isinstance(raw, str):
            low = spec.low if spec.low is not None else -math.inf
            high = spec.high if spec.high is not None else math.inf
            value = min(max(float(raw), low), high)
            if spec.kind == "int":
                value = round(value)
        if key:
            current = changes.get(head) or getattr(parameters, head)
            table = dict(cast("Mapping[str, object]", current))
            table[key] = value
            changes[head] = table
        else:
            changes[head] = value
    return attrs.evolve(parameters, **changes)  # type: ignore[arg-type]  # checked by Parameters


# ---------------------------------------------------------------- plan
def run_id(
    scenario_hash: str,
    policy: str,
    values: Sequence[tuple[str, Value]],
    replication: int,
    seed: int,
) -> str:
    """The content-addressed id of one run (24 hex digits of a SHA-256).

    Examples:
        >>> a = run_id("sha256:x", "baseline", (("patience_days", 7.0),), 0, 1)
        >>> a == run_id("sha256:x", "baseline", (("patience_days", 7.0),), 0, 1)
        True
        >>> a == run_id("sha256:x", "baseline", (("patience_days", 7.0),), 1, 1)
        False
    """
    body = json.dumps(
        [scenario_hash, policy, [list(v) for v in values], replication, seed],
        ensure_ascii=True,
        allow_nan=False,
    )
    return hashlib.sha256(body.encode("utf-8")).hexdigest()[:24]


def plan_sweep(spec: SweepSpec) -> tuple[_Task, ...]:
    """Every run of ``spec``, in (policy, sample, replication) order."""
    samples = sample_values(spec)
    seed = spec.root_seed
    h = spec.scenario.content_hash
    return tuple(
        _Task(run_id(h, policy, values, rep, seed), policy, s, values, rep, seed)
        for policy in spec.policy_ids
        for s, values in enumerate(samples)
        for rep in range(spec.n_replications)
    )


def _chunks(tasks: Sequence[_Task], size: int) -> list[tuple[_Task, ...]]:
    """Replications of one (policy, sample) grouped ``size`` at a time."""
    out: list[tuple[_Task, ...]] = []
    current: list[_Task] = []
    for task in tasks:
        if current and (
            len(current) >= size
            or (current[0].policy, current[0].sample) != (task.policy, task.sample)
        ):
            out.append(tuple(current))
            current = []
        current.append(task)
    if current:
        out.append(tuple(current))
    return out


# ---------------------------------------------------------------- the work
def _sample_scenario(
    scenario: Scenario, values: tuple[tuple[str, Value], ...]
) -> Scenario:
    if not values:
        return scenario
    fixed = attrs.evolve(
        scenario,
        parameters=apply_values(scenario.parameters, values),
        uncertainties=(),
    )
    fixed._arrays.extend(scenario._arrays)  # noqa: SLF001  # static arrays do not depend on parameters
    return fixed


def _failure(task: _Task, exc: BaseException) -> SweepFailure:
    return SweepFailure(
        run_id=task.run_id,
        policy=task.policy,
        sample=task.sample,
        replication=task.replication,
        seed=task.seed,
        values=dict(task.values),
        error=f"{type(exc).__name__}: {exc}",
        traceback="".join(traceback.format_exception(exc)),
    )


@attrs.frozen
class _Shipped:
    """A scenario pickled once in the driver: tasks carry bytes, not objects.

    Pickling the scenario (its county, rulesets and static arrays) for every
    task cost ~20 ms a task; bytes are copied, not traversed, and each worker
    unpickles a given scenario once (`_unship` keeps the last few).
    """

    key: str
    payload: bytes


#: Scenarios unpickled in this process, by content hash: a memo of immutable
#: values, so it cannot change a result, only skip repeated unpickling.
_UNSHIPPED: dict[str, Scenario] = {}
_UNSHIPPED_MAX: Final = 4


def _ship(scenario: Scenario) -> _Shipped:
    return _Shipped(scenario.content_hash, pickle.dumps(scenario, protocol=5))


def _unship(shipped: _Shipped) -> Scenario:
    scenario = _UNSHIPPED.get(shipped.key)
    if scenario is None:
        scenario = cast("Scenario", pickle.loads(shipped.payload))  # noqa: S301  # our own bytes
        while len(_UNSHIPPED) >= _UNSHIPPED_MAX:
            del _UNSHIPPED[next(iter(_UNSHIPPED))]
        _UNSHIPPED[shipped.key] = scenario
    return scenario


def run_sweep_chunk(
    scenario: Scenario | _Shipped,
    tasks: Sequence[_Task],
    runner: Runner = run_replication,
) -> tuple[SweepRecord | SweepFailure, ...]:
    """Run the tasks of one chunk: the function every executor is handed.

    A top-level function of picklable arguments that returns only small records
    (no states, no series). A run that raises becomes a `SweepFailure`; the
    chunk's other runs still run.
    """
    if isinstance(scenario, _Shipped):
        scenario = _unship(scenario)
    out: list[SweepRecord | SweepFailure] = []
    cache: dict[tuple[tuple[str, Value], ...], Scenario] = {}
    for task in tasks:
        try:
            if task.values not in cache:
                cache[task.values] = _sample_scenario(scenario, task.values)
            result = runner(
                cache[task.values],
                task.policy,
                task.replication,
                seed=task.seed,
                series=False,
            )
            out.append(
                SweepRecord(
                    run_id=task.run_id,
                    policy=task.policy,
                    sample=task.sample,
                    replication=task.replication,
                    seed=task.seed,
                    values=dict(task.values),
                    draws=dict(result.draws),
                    summary={k: float(v) for k, v in result.summary.items()},
                )
            )
        except Exception as exc:  # noqa: BLE001  # captured with its traceback
            out.append(_failure(task, exc))
    return tuple(out)


# ---------------------------------------------------------------- results
@attrs.frozen(kw_only=True)
class SweepResult:
    """The runs of a sweep keyed by (policy, sample, replication, seed).

    Attributes:
        scenario_id: the scenario's id.
        scenario_hash: the scenario's content hash.
        design: the sample design.
        policies: the policies, in order.
        outcomes: the scenario's outcomes.
        records: every finished run, sorted by key.
        failures: every run that raised, sorted by key.
        skipped: runs found in the store and not run again.

    Added in version 0.1.0.
    """

    scenario_id: str
    scenario_hash: str
    design: str
    policies: tuple[str, ...]
    outcomes: tuple[str, ...]
    records: Mapping[SweepKey, SweepRecord]
    failures: tuple[SweepFailure, ...] = ()
    skipped: int = 0

    def _order(self, key: SweepKey) -> tuple[int, int, int, int]:
        return (self.policies.index(key.policy), key.sample, key.replication, key.seed)

    def rows(self) -> list[dict[str, object]]:
        """One tidy row per run: key, run id, sample values, draws and metrics."""
        out: list[dict[str, object]] = []
        for key in sorted(self.records, key=self._order):
            r = self.records[key]
            row: dict[str, object] = {
                "run_id": r.run_id,
                "policy": r.policy,
                "sample": r.sample,
                "replication": r.replication,
                "seed": r.seed,
            }
            row.update({f"sample.{k}": v for k, v in sorted(r.values.items())})
            row.update({f"draw.{k}": v for k, v in sorted(r.draws.items())})
            row.update(dict(r.summary))
            out.append(row)
        return out

    def summary_table(
        self, outcomes: Sequence[str] | None = None, *, level: float = 0.95
    ) -> list[dict[str, object]]:
        """Policy x outcome: runs, mean and a Student-t interval of the mean.

        Every sample of a replication draws from the same random streams (common
        random numbers), so runs of one replication are not independent. The
        interval is therefore taken over the replications: each replication's
        mean over its samples is one observation, and ``replications`` says how
        many there were (with one replication the interval is NaN). ``n`` counts
        the runs, ``mean`` is their mean.

        Means and variances use `math.fsum` in key order, so the table does not
        depend on the order runs finished in. NaN values (a share with nothing
        resolved) are left out.
        """
        names = tuple(outcomes) if outcomes is not None else self.outcomes
        out: list[dict[str, object]] = []
        for policy in self.policies:
            keys = sorted(
                (k for k in self.records if k.policy == policy), key=self._order
            )
            for name in names:
                by_replication: dict[int, list[float]] = {}
                for k in keys:
                    x = self.records[k].summary[name]
                    if not math.isnan(x):
                        by_replication.setdefault(k.replication, []).append(x)
                runs = [x for r in sorted(by_replication) for x in by_replication[r]]
                n = len(runs)
                mean = math.fsum(runs) / n if n else math.nan
                units = [
                    math.fsum(xs) / len(xs) for _, xs in sorted(by_replication.items())
                ]
                m = len(units)
                if m > 1:
                    centre = math.fsum(units) / m
                    var = math.fsum((u - centre) ** 2 for u in units) / (m - 1)
                    half = t_quantile((1 + level) / 2, m - 1) * math.sqrt(var / m)
                else:
                    half = math.nan
                out.append(
                    {
                        "policy": policy,
                        "outcome": name,
                        "n": n,
                        "replications": m,
                        "mean": mean,
                        "low": mean - half,
                        "high": mean + half,
                    }
                )
        return out

    def to_frame(
        self,
        kind: str = "runs",
        *,
        outcomes: Sequence[str] | None = None,
        level: float = 0.95,
    ) -> Any:  # noqa: ANN401  # a pandas.DataFrame
        """``runs`` (`rows`) or ``summary`` (`summary_table`) as a DataFrame.

        ``outcomes`` and ``level`` are passed to `summary_table`.

        Raises:
            ImportError: pandas is not installed (the ``pandas`` extra).
            ValueError: an unknown kind.
        """
        try:
            import pandas as pd  # noqa: PLC0415  # optional dependency
        except ImportError as exc:  # pragma: no cover - pandas is a dev dependency
            msg = "DataFrames need pandas: pip install 'countypolicing[pandas]'"
            raise ImportError(msg) from exc
        if kind == "runs":
            return pd.DataFrame(self.rows())
        if kind == "summary":
            return pd.DataFrame(self.summary_table(outcomes, level=level))
        msg = f"unknown kind {kind!r}; use 'runs' or 'summary'"
        raise ValueError(msg)


# ---------------------------------------------------------------- the driver
def _manifest(
    spec: SweepSpec, total: int, status: str, **extra: object
) -> dict[str, object]:
    return {
        "schema_version": 1,
        "kind": "countypolicing-sweep",
        "status": status,
        "scenario": spec.scenario.id,
        "scenario_hash": spec.scenario.content_hash,
        "library_version": spec.scenario.library_version,
        "design": spec.design,
        "samples": spec.samples,
        "levels": spec.levels,
        "policies": list(spec.policy_ids),
        "replications": spec.n_replications,
        "seed": spec.root_seed,
        "runs": total,
        **extra,
    }


def sweep(  # noqa: C901, PLR0912, PLR0915  # one loop over finishing chunks
    spec: Scenario | SweepSpec,
    *,
    executor: cf.Executor | None = None,
    chunk_size: int = 4,
    store: SweepStore | None = None,
    resume: bool = True,
    progress: Callable[[SweepProgress], None] | None = None,
    max_pending: int = 64,
) -> SweepResult:
    """Run every (policy, sample, replication) of a sweep on any executor.

    Results are the same, to the bit, serially, on a process pool of any size,
    on Dask and in any completion order: each run's random numbers come from its
    own `SeedSequence`, and results are keyed, not appended.

    Args:
        spec: a `SweepSpec`, or a scenario (its policies x its replications).
        executor: any `concurrent.futures.Executor`; ``None`` runs in this
            process. For a stdlib pool pass an explicit ``mp_context``.
        chunk_size: replications of one (policy, sample) per task.
        store: where each finished run is streamed (see
            ``countypolicing.storage.SweepDirectory``); ``None`` keeps them
            in memory only.
        resume: skip runs the store already holds.
        progress: called with a `SweepProgress` after each run.
        max_pending: chunks submitted ahead of those finished.

    Returns:
        Every run and every failure, keyed and sorted.

    Raises:
        ValueError: ``chunk_size`` or ``max_pending`` below 1.

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
        >>> tiny = scenario_from_data(
        ...     {
        ...         "schema_version": 1,
        ...         "scenario": "tiny",
        ...         "county": "bundled:yueyanglou",
        ...         "horizon_days": 10,
        ...         "replications": 2,
        ...         "policies": {"more": {"levers": {"grid_workers_per_grid": 3}}},
        ...     },
        ...     county=yueyanglou(),
        ...     rulesets={
        ...         "routing": routing,
        ...         "classification": default_ruleset("community-classification"),
        ...     },
        ... )
        >>> result = sweep(tiny, chunk_size=2)
        >>> sorted(k[:3] for k in result.records)
        [('baseline', 0, 0), ('baseline', 0, 1), ('more', 0, 0), ('more', 0, 1)]

    Added in version 0.1.0.
    """
    if chunk_size < 1 or max_pending < 1:
        msg = "chunk_size and max_pending are integers >= 1"
        raise ValueError(msg)
    if isinstance(spec, Scenario):
        spec = SweepSpec(scenario=spec)
    scenario = spec.scenario
    tasks = plan_sweep(spec)
    total = len(tasks)
    records: dict[SweepKey, SweepRecord] = {}
    failures: dict[SweepKey, SweepFailure] = {}
    wanted = {t.run_id for t in tasks}
    if store is not None and resume:
        for rid, record in store.completed().items():
            if rid in wanted:
                records[record.key] = record
    skipped = len(records)
    done_ids = {r.run_id for r in records.values()}
    todo = [t for t in tasks if t.run_id not in done_ids]
    if store is not None:
        store.manifest(_manifest(spec, total, "running", skipped=skipped))
    _arrays(scenario)  # static arrays: computed once, travel with the scenario

    def report() -> None:
        if progress is not None:
            progress(
                SweepProgress(
                    total=total,
                    done=len(records) + len(failures),
                    failed=len(failures),
                    skipped=skipped,
                )
            )

    def take(outcomes: Iterable[SweepRecord | SweepFailure]) -> None:
        for item in outcomes:
            if isinstance(item, SweepRecord):
                records[item.key] = item
                if store is not None:
                    store.write(item)
            else:
                failures[item.key] = item
                if store is not None:
                    store.write_failure(item)
            report()

    chunks = _chunks(todo, chunk_size)
    if skipped:
        report()
    if executor is None:
        for chunk in chunks:
            take(run_sweep_chunk(scenario, chunk, spec.runner))
    else:
        pending: dict[
            cf.Future[tuple[SweepRecord | SweepFailure, ...]], tuple[_Task, ...]
        ]
        pending = {}
        queue = iter(chunks)
        shipped = _ship(scenario)

        def fill() -> None:
            for chunk in queue:
                future = executor.submit(run_sweep_chunk, shipped, chunk, spec.runner)
                pending[future] = chunk
                if len(pending) >= max_pending:
                    return

        fill()
        while pending:
            finished, _ = cf.wait(pending, return_when=cf.FIRST_COMPLETED)
            for future in sorted(finished, key=lambda f: pending[f][0].run_id):
                chunk = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001  # a worker died: record, go on
                    outcome = tuple(_failure(t, exc) for t in chunk)
                take(outcome)
            fill()
    result = SweepResult(
        scenario_id=scenario.id,
        scenario_hash=scenario.content_hash,
        design=spec.design,
        policies=spec.policy_ids,
        outcomes=scenario.outcomes,
        records=dict(sorted(records.items(), key=lambda kv: _key_order(spec, kv[0]))),
        failures=tuple(
            failures[k] for k in sorted(failures, key=lambda k: _key_order(spec, k))
        ),
        skipped=skipped,
    )
    if store is not None:
        store.manifest(
            _manifest(
                spec,
                total,
                "failed" if failures else "complete",
                skipped=skipped,
                completed=len(records),
                failed=[
                    {"run_id": f.run_id, **f.key._asdict(), "error": f.error}
                    for f in result.failures
                ],
            )
        )
    return result


def _key_order(spec: SweepSpec, key: SweepKey) -> tuple[int, int, int, int]:
    return (spec.policy_ids.index(key.policy), key.sample, key.replication, key.seed)
