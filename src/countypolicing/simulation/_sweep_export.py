"""Hand-offs to analysis tools: a SALib problem and an EMA Workbench model.

Both are optional: nothing here imports SALib or ``ema_workbench`` until asked.
`SweepFunction` is the plain callable behind the EMA adapter (keyword
uncertainties and a ``policy_id`` in, mean outcomes out), usable on its own.
"""

from __future__ import annotations

import importlib
import math
import warnings
from collections.abc import Sequence
from typing import Any

import attrs

from countypolicing.simulation._params import Choice, Normal, Triangular, Uniform
from countypolicing.simulation._run import run_replication
from countypolicing.simulation._scenario import BASELINE, Scenario
from countypolicing.simulation._sweep import SweepSpec, Value, _sample_scenario

__all__ = ["SweepFunction", "ema_model", "to_salib_problem"]


def _scenario(spec: Scenario | SweepSpec) -> Scenario:
    return spec.scenario if isinstance(spec, SweepSpec) else spec


def to_salib_problem(spec: Scenario | SweepSpec) -> dict[str, Any]:
    """The scenario's uncertainties as a SALib ``problem`` dictionary.

    Uniform gives ``unif`` with ``[low, high]``; triangular ``triang`` with
    ``[low, high, (mode - low) / (high - low)]``; normal ``norm`` with
    ``[mean, sd]``; a choice of ``k`` values ``unif`` over ``[0, k)`` (the value
    is the one at the integer part).

    Raises:
        ValueError: the scenario has no uncertainties.

    Examples:
        >>> from countypolicing.simulation import Uncertainty
        >>> import attrs
        >>> class _S:  # anything with ``uncertainties`` will do for the doctest
        ...     uncertainties = (
        ...         Uncertainty(
        ...             parameter="patience_days",
        ...             distribution=Uniform(low=7.0, high=21.0),
        ...         ),
        ...     )
        >>> to_salib_problem(_S())  # doctest: +NORMALIZE_WHITESPACE
        {'num_vars': 1, 'names': ['patience_days'], 'bounds': [[7.0, 21.0]],
         'dists': ['unif']}

    Added in version 0.1.0.
    """
    scenario = spec.scenario if isinstance(spec, SweepSpec) else spec
    uncertainties = scenario.uncertainties
    if not uncertainties:
        msg = "the scenario has no uncertainties to analyse"
        raise ValueError(msg)
    names: list[str] = []
    bounds: list[list[float]] = []
    dists: list[str] = []
    for u in uncertainties:
        d = u.distribution
        names.append(u.parameter)
        if isinstance(d, Uniform):
            bounds.append([float(d.low), float(d.high)])
            dists.append("unif")
        elif isinstance(d, Triangular):
            width = d.high - d.low
            peak = (d.mode - d.low) / width if width else 0.5
            bounds.append([float(d.low), float(d.high), float(peak)])
            dists.append("triang")
        elif isinstance(d, Normal):
            bounds.append([float(d.mean), float(d.sd)])
            dists.append("norm")
        else:
            bounds.append([0.0, float(len(d.values))])
            dists.append("unif")
    return {"num_vars": len(names), "names": names, "bounds": bounds, "dists": dists}


def _float(raw: object) -> float:
    if isinstance(raw, int | float | str):
        return float(raw)
    return float(str(raw))  # numpy scalars and the like


def _value(raw: object, scenario: Scenario, name: str) -> Value:
    """A value from an analysis tool: a choice's value, or its index (SALib)."""
    for u in scenario.uncertainties:
        if u.parameter == name and isinstance(u.distribution, Choice):
            values = u.distribution.values
            if raw in values:
                return raw
            index = min(max(math.floor(_float(raw)), 0), len(values) - 1)
            return values[index]
    return raw if isinstance(raw, str) else _float(raw)


@attrs.frozen(kw_only=True)
class SweepFunction:
    """Uncertainty values and a policy in, outcome means over replications out.

    Picklable, so EMA Workbench's multiprocessing and Dask evaluators can ship it.
    Every call runs replications ``0..replications-1`` with the root ``seed``
    under common random numbers.

    Added in version 0.1.0.
    """

    scenario: Scenario
    replications: int = 1
    seed: int | None = None
    outcomes: tuple[str, ...] | None = None

    def __call__(self, policy_id: str = BASELINE, **values: object) -> dict[str, float]:
        """Run the replications at ``values`` under ``policy_id``; mean outcomes."""
        sample = tuple(
            (name, _value(values[name], self.scenario, name))
            for name in (u.parameter for u in self.scenario.uncertainties)
            if name in values
        )
        scenario = _sample_scenario(self.scenario, sample)
        names = self.outcomes or self.scenario.outcomes
        runs = [
            run_replication(scenario, policy_id, rep, seed=self.seed, series=False)
            for rep in range(self.replications)
        ]
        return {n: _mean([r.summary[n] for r in runs]) for n in names}


def _mean(xs: Sequence[float]) -> float:
    kept = [x for x in xs if not math.isnan(x)]
    return math.fsum(kept) / len(kept) if kept else math.nan


def ema_model(
    spec: Scenario | SweepSpec,
    *,
    name: str | None = None,
    replications: int | None = None,
) -> Any:  # noqa: ANN401  # an ema_workbench.Model
    """An EMA Workbench ``Model`` of the scenario, for PRIM and scenario discovery.

    Uncertainties become ``RealParameter``s (``CategoricalParameter`` for a
    choice); the policies become one categorical lever ``policy_id`` (EMA keeps
    ``policy`` for its own policy names); the outcomes
    become ``ScalarOutcome``s (means over ``replications``).

    Raises:
        ImportError: ``ema_workbench`` is not installed.

    Added in version 0.1.0.
    """
    try:
        with warnings.catch_warnings():  # it warns about its own optional parts
            warnings.simplefilter("ignore", UserWarning)
            ema = importlib.import_module("ema_workbench")
    except ImportError as exc:
        msg = "the EMA adapter needs ema_workbench: pip install ema_workbench"
        raise ImportError(msg) from exc
    scenario = _scenario(spec)
    reps = replications
    if reps is None:
        reps = (
            spec.n_replications
            if isinstance(spec, SweepSpec)
            else scenario.replications
        )
    seed = spec.root_seed if isinstance(spec, SweepSpec) else scenario.seed
    function = SweepFunction(scenario=scenario, replications=reps, seed=seed)
    default = "".join(c for c in scenario.id if c.isascii() and c.isalnum())
    model = ema.Model(name or default or "scenario", function=function)
    uncertainties: list[Any] = []
    for u in scenario.uncertainties:
        d = u.distribution
        if isinstance(d, Choice):
            uncertainties.append(ema.CategoricalParameter(u.parameter, list(d.values)))
        elif isinstance(d, Normal):
            low = d.low if d.low is not None else d.mean - 3 * d.sd
            high = d.high if d.high is not None else d.mean + 3 * d.sd
            uncertainties.append(ema.RealParameter(u.parameter, low, high))
        else:
            uncertainties.append(ema.RealParameter(u.parameter, d.low, d.high))
    model.uncertainties = uncertainties
    model.levers = [ema.CategoricalParameter("policy_id", list(scenario.policy_ids))]
    model.outcomes = [ema.ScalarOutcome(n) for n in scenario.outcomes]
    return model
