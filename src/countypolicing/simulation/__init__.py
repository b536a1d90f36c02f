"""Policy simulation: "what if" experiments on a county, reproducible to the bit.

A `Scenario` names a county, the rulesets that route disputes and classify
communities, the assumed world (`Parameters`), a baseline setting of the policy
`Levers`, the policies to compare and the `Uncertainty` of parameters. `run`
simulates the baseline and every policy for every replication, in ``daily`` time
(vectorised numpy) or ``continuous`` time (event-driven queues), under common
random numbers; `compare` sets each policy against the baseline with intervals.
`sweep` runs policies x uncertainty samples x replications on any
`concurrent.futures.Executor` (a process pool, Dask) with the same results on
each; `countypolicing.storage.sweep_to_directory` streams a sweep to disk.

Everything here is pure: no file is read (`countypolicing.load_scenario` resolves
what a scenario file names), no clock, no global random state. One root seed gives
one `numpy.random.SeedSequence` per (replication, component), so a run is the same
in any process, on any executor, in any order.

Examples:
    >>> from countypolicing.datasets import default_ruleset, yueyanglou
    >>> from countypolicing.rules import ruleset_from_data
    >>> from countypolicing.simulation import compare, run, scenario_from_data
    >>> routing = ruleset_from_data(
    ...     {
    ...         "ruleset": "routing",
    ...         "version": "1",
    ...         "subject": "dispute",
    ...         "output": {
    ...             "name": "channel",
    ...             "values": ["police", "stationed", "grid"],
    ...         },
    ...         "hit_policy": "first",
    ...         "default": "grid",
    ...         "rules": [
    ...             {"id": "risk", "when": "escalation_risk", "then": "police"},
    ...             {
    ...                 "id": "calls",
    ...                 "when": "origin == 'call_110'",
    ...                 "then": "stationed",
    ...             },
    ...         ],
    ...     }
    ... )
    >>> scenario = scenario_from_data(
    ...     {
    ...         "schema_version": 1,
    ...         "scenario": "demo",
    ...         "county": "bundled:yueyanglou",
    ...         "horizon_days": 60,
    ...         "replications": 3,
    ...         "seed": 7,
    ...         "levers": {"stationed_mediators": 0},
    ...         "policies": {"stationed": {"levers": {"stationed_mediators": 1}}},
    ...     },
    ...     county=yueyanglou(),
    ...     rulesets={
    ...         "routing": routing,
    ...         "classification": default_ruleset("community-classification"),
    ...     },
    ... )
    >>> result = run(scenario)
    >>> row = compare(result).row("stationed", "police_hours_freed")
    >>> row.difference > 0 and row.significant
    True

Added in version 0.1.0.
"""

from countypolicing.simulation._engine_continuous import QueueRun, simulate_queue
from countypolicing.simulation._model import FALLBACK
from countypolicing.simulation._params import (
    LEVER_SPECS,
    PARAMETER_SPECS,
    Channel,
    Choice,
    Distribution,
    Levers,
    Normal,
    Parameters,
    ParameterSpec,
    Triangular,
    Uncertainty,
    Uniform,
    check_parameters,
)
from countypolicing.simulation._results import (
    Comparison,
    ComparisonRow,
    QueueStats,
    RunProvenance,
    RunResult,
    SimulationResult,
    compare,
)
from countypolicing.simulation._run import (
    draw_parameters,
    run,
    run_replication,
    warm_up,
)
from countypolicing.simulation._scenario import (
    BASELINE,
    METRICS,
    ROUTE_SYNONYMS,
    RULESET_ROLES,
    SCENARIO_SCHEMA_VERSION,
    SERIES_METRICS,
    TIME_MODES,
    Policy,
    Scenario,
    scenario_from_data,
)
from countypolicing.simulation._seeds import COMPONENTS, seed_sequence
from countypolicing.simulation._state import SimulationState
from countypolicing.simulation._sweep import (
    DESIGNS,
    SweepFailure,
    SweepKey,
    SweepProgress,
    SweepRecord,
    SweepResult,
    SweepSpec,
    SweepStore,
    sample_values,
    sweep,
)
from countypolicing.simulation._sweep_export import (
    SweepFunction,
    ema_model,
    to_salib_problem,
)

__all__ = [
    "BASELINE",
    "COMPONENTS",
    "DESIGNS",
    "FALLBACK",
    "LEVER_SPECS",
    "METRICS",
    "PARAMETER_SPECS",
    "ROUTE_SYNONYMS",
    "RULESET_ROLES",
    "SCENARIO_SCHEMA_VERSION",
    "SERIES_METRICS",
    "TIME_MODES",
    "Channel",
    "Choice",
    "Comparison",
    "ComparisonRow",
    "Distribution",
    "Levers",
    "Normal",
    "ParameterSpec",
    "Parameters",
    "Policy",
    "QueueRun",
    "QueueStats",
    "RunProvenance",
    "RunResult",
    "Scenario",
    "SimulationResult",
    "SimulationState",
    "SweepFailure",
    "SweepFunction",
    "SweepKey",
    "SweepProgress",
    "SweepRecord",
    "SweepResult",
    "SweepSpec",
    "SweepStore",
    "Triangular",
    "Uncertainty",
    "Uniform",
    "check_parameters",
    "compare",
    "draw_parameters",
    "ema_model",
    "run",
    "run_replication",
    "sample_values",
    "scenario_from_data",
    "seed_sequence",
    "simulate_queue",
    "sweep",
    "to_salib_problem",
    "warm_up",
]
