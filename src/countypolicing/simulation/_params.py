"""Model parameters, policy levers, uncertainties and their distributions.

Every number the model uses is a field of `Parameters` (the world as assumed) or of
`Levers` (what a policy changes), with a documented unit and default. The defaults
are **assumptions**, not sourced figures: they give plausible orders of magnitude
for a district of about 850,000 residents and are meant to be replaced.
`PARAMETER_SPECS` and `LEVER_SPECS` hold the units, ranges and meanings that the
scenario loader checks and the docs print.
"""

from __future__ import annotations

import math
from collections.abc import Iterator, Mapping
from typing import Final, TypeAlias, TypeVar

import attrs
import numpy as np

from countypolicing.exceptions import ModelError
from countypolicing.model import DisputeOrigin, DisputeType, LabelledEnum, RiskTheme

__all__ = [
    "LEVER_SPECS",
    "PARAMETER_SPECS",
    "Channel",
    "Choice",
    "Distribution",
    "Levers",
    "Normal",
    "ParameterSpec",
    "Parameters",
    "Triangular",
    "Uncertainty",
    "Uniform",
    "check_parameters",
]

_V = TypeVar("_V", float, str)


class Channel(LabelledEnum):
    """The mediation channels of the model: one limited-capacity queue per station each.

    Examples:
        >>> Channel.STATIONED.label_zh
        '驻所调解（司法所）'
        >>> [c.value for c in Channel]
        ['grid', 'community', 'stationed', 'police', 'administrative', 'scenic']

    Added in version 0.1.0.
    """

    GRID = "grid"
    COMMUNITY = "community"
    STATIONED = "stationed"
    POLICE = "police"
    ADMINISTRATIVE = "administrative"
    SCENIC = "scenic"
    __zh__ = {  # noqa: RUF012  # LabelledEnum's label table
        "grid": "网格调委会",
        "community": "社区人民调解",
        "stationed": "驻所调解（司法所）",
        "police": "公安治安调解",
        "administrative": "行政调解（部门）",
        "scenic": "景区联合调处",
    }


class _Table(Mapping[str, _V]):
    """An immutable, hashable, picklable mapping with sorted keys."""

    __slots__ = ("_items",)

    def __init__(self, items: Mapping[str, _V] | Iterator[tuple[str, _V]]) -> None:
        pairs = items.items() if isinstance(items, Mapping) else items
        self._items: tuple[tuple[str, _V], ...] = tuple(sorted(pairs))

    def __getitem__(self, key: str) -> _V:
        for k, v in self._items:
            if k == key:
                return v
        raise KeyError(key)

    def __iter__(self) -> Iterator[str]:
        return (k for k, _ in self._items)

    def __len__(self) -> int:
        return len(self._items)

    def __hash__(self) -> int:
        return hash(self._items)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Mapping):
            return dict(self._items) == dict(other)
        return NotImplemented

    def __repr__(self) -> str:
        return repr(dict(self._items))

    def __reduce__(self) -> tuple[object, ...]:
        return (_Table, (dict(self._items),))


def _float_table(value: Mapping[str, float]) -> Mapping[str, float]:
    return _Table({str(k): float(v) for k, v in value.items()})


def _str_table(value: Mapping[str, str]) -> Mapping[str, str]:
    return _Table({str(k): str(v) for k, v in value.items()})


_SERVICE_DAYS: Final = {
    "grid": 2.0,
    "community": 2.0,
    "stationed": 0.5,
    "police": 1.0,
    "administrative": 3.0,
    "scenic": 0.5,
}
_AGREEMENT_RATE: Final = {
    "grid": 0.85,
    "community": 0.85,
    "stationed": 0.9,
    "police": 0.8,
    "administrative": 0.75,
    "scenic": 0.9,
}
_THEME_MULTIPLIER: Final = {
    "rental_housing": 1.3,
    "fishing_ban": 1.2,
    "railway": 1.1,
    "campus": 1.1,
    "scenic_area": 1.5,
    "construction": 1.3,
    "crime_tip": 1.0,
}
_THEME_TYPE: Final = {
    "rental_housing": "property_management",
    "fishing_ban": "maritime_fishery",
    "railway": "traffic_production_safety",
    "campus": "campus",
    "scenic_area": "tourism",
    "construction": "construction",
}
_DISPUTE_MIX: Final = {
    "neighbour": 0.30,
    "marriage_family": 0.18,
    "property_management": 0.10,
    "labour": 0.10,
    "contract": 0.10,
    "construction": 0.07,
    "economic": 0.05,
    "other": 0.10,
}
_ORIGIN_MIX: Final = {"call_110": 0.45, "grid_report": 0.35, "walk_in": 0.20}


def _merged(defaults: Mapping[str, float], value: Mapping[str, float]) -> _Table[float]:
    return _Table({**defaults, **{str(k): float(v) for k, v in value.items()}})


def _service_days(value: Mapping[str, float]) -> Mapping[str, float]:
    """Converter: the channels a partial mapping leaves out keep their defaults."""
    return _merged(_SERVICE_DAYS, value)


def _agreement_rate(value: Mapping[str, float]) -> Mapping[str, float]:
    """Converter: the channels a partial mapping leaves out keep their defaults."""
    return _merged(_AGREEMENT_RATE, value)


@attrs.frozen(kw_only=True)
class Parameters:
    """The assumed world: rates, capacities, durations and effects, with units.

    Every default is an assumption (see `PARAMETER_SPECS` for units and ranges and
    the simulation-model explanation page for what each one drives). Mapping
    parameters keyed by channel may be given in part; the other channels keep their
    defaults. Mixes (``dispute_mix``, ``origin_mix``) replace the default whole and
    are normalised to sum to 1.

    Examples:
        >>> p = Parameters(patience_days=7.0, service_days={"stationed": 1.0})
        >>> p.patience_days, p.service_days["stationed"], p.service_days["grid"]
        (7.0, 1.0, 2.0)
        >>> Parameters(escalate_to_police_share=1.5)
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: escalate_to_police_share must be at most 1, got 1.5

    Added in version 0.1.0.
    """

    # -- dispute arrivals
    dispute_rate_per_1000: float = 12.0
    calls_weight: float = 0.5
    theme_dispute_multiplier: Mapping[str, float] = attrs.field(
        factory=lambda: _float_table(_THEME_MULTIPLIER), converter=_float_table
    )
    rental_dispute_rate: float = 0.1
    plaque_dispute_reduction: float = 0.5
    dispute_mix: Mapping[str, float] = attrs.field(
        factory=lambda: _float_table(_DISPUTE_MIX), converter=_float_table
    )
    theme_dispute_type: Mapping[str, str] = attrs.field(
        factory=lambda: _str_table(_THEME_TYPE), converter=_str_table
    )
    theme_type_share: float = 0.3
    origin_mix: Mapping[str, float] = attrs.field(
        factory=lambda: _float_table(_ORIGIN_MIX), converter=_float_table
    )
    escalation_risk_share: float = 0.05
    organisation_party_share: float = 0.15
    # -- mediation channels
    grid_mediation_fte: float = 0.1
    community_mediators_per_community: float = 0.5
    police_mediators_per_station: float = 2.0
    administrative_mediators_per_station: float = 3.0
    scenic_team_mediators: float = 2.0
    service_days: Mapping[str, float] = attrs.field(
        factory=lambda: _float_table(_SERVICE_DAYS),
        converter=_service_days,
    )
    service_distribution: str = "exponential"
    agreement_rate: Mapping[str, float] = attrs.field(
        factory=lambda: _float_table(_AGREEMENT_RATE),
        converter=_agreement_rate,
    )
    patience_days: float = 14.0
    patience_distribution: str = "exponential"
    escalate_to_police_share: float = 0.4
    # -- police workload
    hours_per_call: float = 1.0
    hours_per_police_mediation: float = 3.0
    hours_per_escalation: float = 4.0
    hours_per_incident: float = 8.0
    # -- hazards, screening, controls
    hazard_rate_per_risk_point: float = 4.0
    hazard_rate_per_1000: float = 0.5
    detection_per_grid_worker: float = 0.5
    class_1_screening_boost: float = 1.5
    rectify_days: float = 14.0
    tip_rate_per_1000: float = 0.6
    likelihood_drop_probability: float = 0.25
    likelihood_rise_probability: float = 0.25
    hazards_to_worsen: int = 3
    # -- incidents
    incident_rate_per_hazard: float = 2.0
    patrol_incident_reduction: float = 0.3
    plaque_incident_reduction: float = 0.5
    # -- classification
    reclassify_every_days: int = 30

    def __attrs_post_init__(self) -> None:
        problems = check_parameters(self)
        if problems:
            name, message = problems[0]
            raise ModelError(message, field=name)


@attrs.frozen(kw_only=True)
class Levers:
    """What a policy changes. ``None`` means "as the county data says".

    Attributes:
        stationed_mediators: judicial-office mediators stationed in every police
            station (警调对接); ``None``: the number of judicial offices the county
            lists as stationed in each station.
        grid_workers_per_grid: grid workers per grid; ``None``: each community's
            grid workers (indicators) over its grids.
        plaque_coverage: share of rental units under plaque management (挂牌管理);
            ``None``: the units of listed rentals over all the county's rentals.
        patrol_hours: hours a day the joint patrols run; ``None``: each patrol's
            schedule.
        screening_interval_days: days between two screening rounds (排查).

    Examples:
        >>> Levers(plaque_coverage=0.8).plaque_coverage
        0.8
        >>> Levers(patrol_hours=30)
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: patrol_hours must be at most 24, got 30

    Added in version 0.1.0.
    """

    stationed_mediators: int | None = None
    grid_workers_per_grid: float | None = None
    plaque_coverage: float | None = None
    patrol_hours: float | None = None
    screening_interval_days: int = 30

    def __attrs_post_init__(self) -> None:
        for spec in LEVER_SPECS.values():
            value = getattr(self, spec.name)
            if value is None and spec.default is None:
                continue
            problem = spec.check(value)
            if problem is not None:
                raise ModelError(f"{spec.name} {problem}", field=spec.name)


@attrs.frozen(kw_only=True)
class ParameterSpec:
    """Unit, range and meaning of one parameter or lever.

    Attributes:
        name: the field name, as written in scenario files.
        kind: ``float``, ``int``, ``choice``, ``float_map`` or ``str_map``.
        unit: the unit, in words.
        low: the smallest value allowed (for numbers and map values).
        high: the largest value allowed, or ``None``.
        infinite: whether ``.inf`` is allowed (only ``patience_days``).
        choices: the allowed strings of a ``choice``.
        keys: what the keys of a map are (``channel``, ``theme``, ``dispute_type``,
            ``origin``).
        default: the default value.
        doc: what the parameter drives.

    Added in version 0.1.0.
    """

    name: str
    kind: str
    unit: str
    doc: str
    default: object = None
    low: float | None = 0.0
    high: float | None = None
    infinite: bool = False
    choices: tuple[str, ...] = ()
    keys: str | None = None

    def check(self, value: object) -> str | None:  # noqa: PLR0911  # one answer per problem
        """What is wrong with ``value`` (a scalar or a map value), or ``None``."""
        if self.kind == "choice":
            if value not in self.choices:
                return f"must be one of {', '.join(self.choices)}, got {value!r}"
            return None
        if self.kind == "str_map":
            return None if isinstance(value, str) else f"must be text, got {value!r}"
        if isinstance(value, bool) or not isinstance(value, int | float):
            return f"must be a number, got {value!r}"
        if self.kind == "int" and not isinstance(value, int):
            return f"must be a whole number, got {value!r}"
        if math.isnan(value):
            return "must be a number, got NaN"
        if math.isinf(value) and not (self.infinite and value > 0):
            return f"must be finite, got {value!r}"
        if self.low is not None and value < self.low:
            return f"must be at least {_num(self.low)}, got {value!r}"
        if self.high is not None and value > self.high:
            return f"must be at most {_num(self.high)}, got {value!r}"
        return None


def _num(x: float) -> str:
    return str(int(x)) if float(x).is_integer() else str(x)


def _default(name: str) -> object:
    default = getattr(attrs.fields(Parameters), name).default
    if isinstance(default, attrs.Factory):  # type: ignore[arg-type]  # Factory is a class at run time
        return default.factory()
    return default


def _spec(name: str, kind: str, unit: str, doc: str, **kw: object) -> ParameterSpec:
    if hasattr(attrs.fields(Parameters), name):
        kw.setdefault("default", _default(name))
    return ParameterSpec(name=name, kind=kind, unit=unit, doc=doc, **kw)  # type: ignore[arg-type]  # keyword fields of ParameterSpec


_P = 1.0  # probabilities and shares go up to 1

#: Unit, range and meaning of every `Parameters` field, in field order.
PARAMETER_SPECS: Final[Mapping[str, ParameterSpec]] = {
    s.name: s
    for s in (
        _spec(
            "dispute_rate_per_1000",
            "float",
            "disputes per 1,000 residents per year",
            "base rate of new disputes in a community",
        ),
        _spec(
            "calls_weight",
            "float",
            "share (0-1)",
            "how much of the base rate follows the community's police calls per "
            "1,000 relative to the county mean (0: none, 1: all)",
            high=_P,
        ),
        _spec(
            "theme_dispute_multiplier",
            "float_map",
            "multiplier",
            "multiplies the base rate of communities with the theme",
            keys="theme",
        ),
        _spec(
            "rental_dispute_rate",
            "float",
            "disputes per rental unit per year",
            "extra disputes from rented housing (以房管人)",
        ),
        _spec(
            "plaque_dispute_reduction",
            "float",
            "share (0-1)",
            "how much less a plaque-managed rental unit disputes",
            high=_P,
        ),
        _spec(
            "dispute_mix",
            "float_map",
            "relative weight",
            "types of new disputes (normalised)",
            keys="dispute_type",
        ),
        _spec(
            "theme_dispute_type",
            "str_map",
            "dispute type",
            "the dispute type a community theme adds",
            keys="theme",
        ),
        _spec(
            "theme_type_share",
            "float",
            "share (0-1)",
            "share of a themed community's disputes that are of the theme's type",
            high=_P,
        ),
        _spec(
            "origin_mix",
            "float_map",
            "relative weight",
            "how disputes reach the system: 110 calls, grid reports, walk-ins",
            keys="origin",
        ),
        _spec(
            "escalation_risk_share",
            "float",
            "probability",
            "a new dispute may turn into a public-order or criminal case",
            high=_P,
        ),
        _spec(
            "organisation_party_share",
            "float",
            "probability",
            "a party of a new dispute is an organisation",
            high=_P,
        ),
        _spec(
            "grid_mediation_fte",
            "float",
            "full-time mediators per grid worker",
            "capacity of the grid committees (网格员+社区民警+人民调解员)",
        ),
        _spec(
            "community_mediators_per_community",
            "float",
            "full-time mediators per community",
            "capacity of the community people's mediation committees",
        ),
        _spec(
            "police_mediators_per_station",
            "float",
            "officers (full-time equivalent) per station",
            "capacity of police mediation (治安调解)",
        ),
        _spec(
            "administrative_mediators_per_station",
            "float",
            "mediators per station area",
            "capacity of departments' administrative mediation",
        ),
        _spec(
            "scenic_team_mediators",
            "float",
            "mediators at 24 h patrol",
            "capacity of a joint scenic-area team, scaled by patrol hours / 24",
        ),
        _spec(
            "service_days",
            "float_map",
            "days",
            "mean time one mediator spends on one dispute (0: instantaneous)",
            keys="channel",
        ),
        _spec(
            "service_distribution",
            "choice",
            "-",
            "distribution of service times",
            choices=("exponential", "fixed"),
        ),
        _spec(
            "agreement_rate",
            "float_map",
            "probability",
            "a mediated dispute ends in an agreement",
            keys="channel",
            high=_P,
        ),
        _spec(
            "patience_days",
            "float",
            "days",
            "mean time parties wait before escalating (.inf: never)",
            infinite=True,
        ),
        _spec(
            "patience_distribution",
            "choice",
            "-",
            "distribution of patience",
            choices=("exponential", "fixed"),
        ),
        _spec(
            "escalate_to_police_share",
            "float",
            "probability",
            "a dispute that runs out of patience goes to the police (else to court)",
            high=_P,
        ),
        _spec("hours_per_call", "float", "police hours", "one police call"),
        _spec(
            "hours_per_police_mediation",
            "float",
            "police hours",
            "one dispute mediated by the police",
        ),
        _spec(
            "hours_per_escalation",
            "float",
            "police hours",
            "one dispute escalated to the police",
        ),
        _spec("hours_per_incident", "float", "police hours", "one incident (case)"),
        _spec(
            "hazard_rate_per_risk_point",
            "float",
            "hazards per risk point per year",
            "new hazards at a risk point of likelihood 3 (scaled by likelihood / 3)",
        ),
        _spec(
            "hazard_rate_per_1000",
            "float",
            "hazards per 1,000 residents per year",
            "new hazards away from listed risk points",
        ),
        _spec(
            "detection_per_grid_worker",
            "float",
            "detection effort per grid worker per grid",
            "a screening round finds each hidden hazard with probability "
            "1 - exp(-effort x grid workers per grid)",
        ),
        _spec(
            "class_1_screening_boost",
            "float",
            "multiplier",
            "screening effort in class_1 communities (聚焦重点)",
        ),
        _spec(
            "rectify_days",
            "float",
            "days",
            "mean time to rectify a found hazard",
        ),
        _spec(
            "tip_rate_per_1000",
            "float",
            "tips per 1,000 residents per year",
            "resident tips, each revealing a hidden hazard (群防群治)",
        ),
        _spec(
            "likelihood_drop_probability",
            "float",
            "probability per month",
            "a risk point with no open hazard in its community is controlled one "
            "likelihood step down",
            high=_P,
        ),
        _spec(
            "likelihood_rise_probability",
            "float",
            "probability per month",
            "a risk point in a community with many open hazards rises one step",
            high=_P,
        ),
        _spec(
            "hazards_to_worsen",
            "int",
            "hazards",
            "open hazards in a community from which its risk points may worsen",
            low=1,
        ),
        _spec(
            "incident_rate_per_hazard",
            "float",
            "incidents per open hazard per year",
            "incidents caused by hazards not yet rectified",
        ),
        _spec(
            "patrol_incident_reduction",
            "float",
            "share (0-1) at 24 h",
            "fewer incidents in patrolled communities, scaled by patrol hours / 24",
            high=_P,
        ),
        _spec(
            "plaque_incident_reduction",
            "float",
            "share (0-1)",
            "fewer incidents per share of rented housing under plaque management",
            high=_P,
        ),
        _spec(
            "reclassify_every_days",
            "int",
            "days",
            "interval of the re-classification of communities (动态均衡)",
            low=1,
        ),
    )
}

#: Unit, range and meaning of every `Levers` field.
LEVER_SPECS: Final[Mapping[str, ParameterSpec]] = {
    s.name: s
    for s in (
        _spec(
            "stationed_mediators",
            "int",
            "mediators per station",
            "judicial-office mediators stationed in each police station (警调对接)",
            high=1000,
        ),
        _spec(
            "grid_workers_per_grid",
            "float",
            "grid workers per grid",
            "grid workers: mediation capacity, screening effort",
            high=1000,
        ),
        _spec(
            "plaque_coverage",
            "float",
            "share (0-1)",
            "rental units under plaque management (挂牌管理)",
            high=_P,
        ),
        _spec(
            "patrol_hours",
            "float",
            "hours per day",
            "joint patrols: scenic-area mediation capacity, fewer incidents",
            high=24.0,
        ),
        _spec(
            "screening_interval_days",
            "int",
            "days",
            "days between screening rounds (排查)",
            default=30,
            low=1,
        ),
    )
}

_KEY_VOCABULARIES: Final[Mapping[str, tuple[str, ...]]] = {
    "channel": tuple(c.value for c in Channel),
    "dispute_type": tuple(t.value for t in DisputeType),
    "origin": tuple(o.value for o in DisputeOrigin),
    "theme": tuple(t.value for t in RiskTheme),
}


def key_vocabulary(keys: str) -> tuple[str, ...]:
    """The allowed keys of a map parameter (themes also allow a county's own)."""
    return _KEY_VOCABULARIES[keys]


def check_parameters(parameters: Parameters) -> list[tuple[str, str]]:
    """Every problem of a `Parameters`, as (field, message) pairs; empty when fine.

    Examples:
        >>> check_parameters(Parameters())
        []
    """
    problems: list[tuple[str, str]] = []
    for spec in PARAMETER_SPECS.values():
        value = getattr(parameters, spec.name)
        if spec.kind in {"float_map", "str_map"}:
            keys = spec.keys or "theme"
            allowed = key_vocabulary(keys)
            for key, item in value.items():
                if keys != "theme" and key not in allowed:
                    problems.append((spec.name, f"{spec.name}: unknown {keys} {key!r}"))
                    continue
                problem = spec.check(item)
                if problem is not None:
                    problems.append((spec.name, f"{spec.name}[{key!r}] {problem}"))
            if spec.name == "theme_dispute_type":
                types = key_vocabulary("dispute_type")
                problems.extend(
                    (spec.name, f"{spec.name}[{k!r}]: unknown dispute type {v!r}")
                    for k, v in value.items()
                    if v not in types
                )
            if spec.name in {"dispute_mix", "origin_mix"} and not math.fsum(
                value.values()
            ):
                problems.append((spec.name, f"{spec.name} must have a positive total"))
            continue
        problem = spec.check(value)
        if problem is not None:
            problems.append((spec.name, f"{spec.name} {problem}"))
    return problems


# ---------------------------------------------------------------- uncertainties
@attrs.frozen(kw_only=True)
class Uniform:
    """Uniform between ``low`` and ``high``.

    Examples:
        >>> import numpy as np
        >>> 1.0 <= Uniform(low=1.0, high=2.0).draw(np.random.default_rng(0)) <= 2.0
        True

    Added in version 0.1.0.
    """

    low: float
    high: float

    def draw(self, rng: np.random.Generator) -> float:
        """One value."""
        return float(rng.uniform(self.low, self.high))


@attrs.frozen(kw_only=True)
class Normal:
    """Normal with ``mean`` and standard deviation ``sd``, clipped to ``[low, high]``.

    Added in version 0.1.0.
    """

    mean: float
    sd: float
    low: float | None = None
    high: float | None = None

    def draw(self, rng: np.random.Generator) -> float:
        """One value."""
        value = float(rng.normal(self.mean, self.sd))
        if self.low is not None:
            value = max(value, self.low)
        if self.high is not None:
            value = min(value, self.high)
        return value


@attrs.frozen(kw_only=True)
class Triangular:
    """Triangular with ``low <= mode <= high``.

    Added in version 0.1.0.
    """

    low: float
    mode: float
    high: float

    def draw(self, rng: np.random.Generator) -> float:
        """One value."""
        if self.low == self.high:
            return float(self.low)
        return float(rng.triangular(self.low, self.mode, self.high))


@attrs.frozen(kw_only=True)
class Choice:
    """One of ``values`` (numbers or words), with optional ``weights``.

    Added in version 0.1.0.
    """

    values: tuple[float | str, ...] = attrs.field(converter=tuple)
    weights: tuple[float, ...] | None = None

    def draw(self, rng: np.random.Generator) -> float | str:
        """One value."""
        if self.weights is None:
            index = int(rng.integers(len(self.values)))
        else:
            w = np.asarray(self.weights, dtype=float)
            index = int(rng.choice(len(self.values), p=w / w.sum()))
        return self.values[index]


#: Any of the distributions an uncertainty may follow.
Distribution: TypeAlias = Uniform | Normal | Triangular | Choice


@attrs.frozen(kw_only=True)
class Uncertainty:
    """A parameter that is not known: drawn anew for each replication.

    ``parameter`` names a `Parameters` field, or one entry of a map parameter as
    ``service_days.stationed``. The value is drawn once per replication from its
    own random stream, the same for every policy (common random numbers), and
    clipped to the parameter's allowed range.

    Examples:
        >>> u = Uncertainty(
        ...     parameter="patience_days", distribution=Uniform(low=7, high=21)
        ... )
        >>> u.parameter
        'patience_days'

    Added in version 0.1.0.
    """

    parameter: str
    distribution: Distribution
