"""The state of a run as plain data: numpy arrays, numbers and generator states.

A `SimulationState` holds everything needed to continue a run: the day reached,
the queues, the hazards and risk points, the accumulated totals and the state of
every random stream. It pickles, so it can be snapshotted, shipped to a worker and
forked into several policies (`countypolicing.simulation.run` with ``from_state``).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import attrs
import numpy as np

from countypolicing.simulation._params import Parameters

__all__ = [
    "INCIDENT_WINDOW",
    "QUEUE_COLUMNS",
    "WAIT_UNITS",
    "WORLD_COLUMNS",
    "SimulationState",
]

Array = Any  # numpy arrays

#: Per-queue accumulators, in column order of `SimulationState.queue_totals`.
QUEUE_COLUMNS: Final = (
    "arrivals",
    "resolved",
    "agreed",
    "escalated_police",
    "escalated_litigation",
    "served_call",
)

#: Whole-county accumulators, in order of `SimulationState.world_totals`.
WORLD_COLUMNS: Final = (
    "calls",
    "incidents",
    "tips",
    "hazards_found",
    "hazards_rectified",
    "communities_up",
    "communities_down",
    "wait_resolved",
    "time_resolved",
    "wait_escalated",
)

#: Waiting times are accumulated as whole multiples of 2**-20 day (about 0.08 s),
#: in exact integer arithmetic, so totals do not depend on how a run is split.
WAIT_UNITS: Final = 2**20

#: Days kept in the rolling window of incidents (the ``prior_incidents`` field).
INCIDENT_WINDOW: Final = 365


def _empty() -> Array:
    return np.zeros((0, 0))


@attrs.frozen(kw_only=True, eq=False)
class SimulationState:
    """Where one run stands at the end of a day: plain arrays and numbers.

    Attributes:
        scenario_hash: the content hash of the scenario it belongs to.
        policy: the policy simulated so far.
        replication: the replication index.
        seed: the root seed.
        day: days simulated (the next day to simulate).
        time: ``daily`` or ``continuous``.
        parameters: the parameters of this replication (uncertainties drawn).
        draws: the drawn value of each uncertainty.
        rng: the state of every random stream, by component (plain data).
        queue_totals: (queues, `QUEUE_COLUMNS`) counts so far.
        world_totals: `WORLD_COLUMNS` totals so far.
        backlog: daily engine: one row per waiting dispute (queue, arrival day),
            sorted by queue and then arrival.
        carry: daily engine: fractional capacity carried to the next day.
        waiting: continuous engine: one row per waiting dispute (queue, arrival,
            deadline, service, agreed, police, call).
        in_service: continuous engine: one row per dispute in mediation (queue,
            arrival, start, completion, agreed, call).
        route_next: continuous engine: time of each route's next arrival.
        route_rows: continuous engine: unused uniforms of each route (route, u...).
        hidden: hazards not yet found, per community.
        found: hazards found and not yet rectified, per community.
        schedule: one row per found hazard: the day it will be rectified and its
            community.
        likelihood: likelihood (1-5) of each open risk point.
        incidents_window: incidents per day over the last 365 days (ring).
        classes: each community's class (index into the classifier's values).

    Examples:
        >>> import pickle
        >>> from countypolicing.simulation import SimulationState
        >>> state = SimulationState(
        ...     scenario_hash="sha256:0",
        ...     policy="baseline",
        ...     replication=0,
        ...     seed=7,
        ...     day=0,
        ...     time="daily",
        ...     parameters=Parameters(),
        ... )
        >>> pickle.loads(pickle.dumps(state)).day
        0

    Added in version 0.1.0.
    """

    scenario_hash: str
    policy: str
    replication: int
    seed: int
    day: int
    time: str
    parameters: Parameters
    draws: Mapping[str, float | str] = attrs.field(factory=dict)
    rng: Mapping[str, Mapping[str, Any]] = attrs.field(factory=dict, repr=False)
    queue_totals: Array = attrs.field(factory=_empty, repr=False)
    world_totals: Array = attrs.field(factory=_empty, repr=False)
    backlog: Array = attrs.field(factory=_empty, repr=False)
    carry: Array = attrs.field(factory=_empty, repr=False)
    waiting: Array = attrs.field(factory=_empty, repr=False)
    in_service: Array = attrs.field(factory=_empty, repr=False)
    route_next: Array = attrs.field(factory=_empty, repr=False)
    route_rows: Array = attrs.field(factory=_empty, repr=False)
    hidden: Array = attrs.field(factory=_empty, repr=False)
    found: Array = attrs.field(factory=_empty, repr=False)
    schedule: Array = attrs.field(factory=_empty, repr=False)
    likelihood: Array = attrs.field(factory=_empty, repr=False)
    incidents_window: Array = attrs.field(factory=_empty, repr=False)
    classes: Array = attrs.field(factory=_empty, repr=False)

    @property
    def open_disputes(self) -> int:
        """Disputes waiting or in mediation."""
        totals = np.asarray(self.queue_totals)
        if totals.size == 0:
            return 0
        done = totals[:, 1] + totals[:, 3] + totals[:, 4]
        return round(float(totals[:, 0].sum() - done.sum()))
