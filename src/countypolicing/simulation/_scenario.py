"""Scenarios: a county, rulesets, parameters, a baseline, policies and outcomes.

`scenario_from_data` checks the plain data of a scenario file and builds a
`Scenario` around the county and rulesets the loader resolved, reporting every
problem at once with its path. The loader
(`countypolicing.serialization.load_scenario`) passes a ``locate`` callback so each
problem also carries its file, line and column; this module reads no file.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, Literal, cast

import attrs

from countypolicing.exceptions import (
    LoadErrorGroup,
    Location,
    ModelError,
    SchemaVersionError,
    ValidationError,
)
from countypolicing.model import County
from countypolicing.rules import (
    BUILTIN_SUBJECTS,
    Classifier,
    RuleSet,
    compile_ruleset,
)
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
    key_vocabulary,
)

__all__ = [
    "BASELINE",
    "METRICS",
    "ROUTE_SYNONYMS",
    "RULESET_ROLES",
    "SCENARIO_SCHEMA_VERSION",
    "SERIES_METRICS",
    "TIME_MODES",
    "Policy",
    "Scenario",
    "scenario_from_data",
]

#: The scenario file format version this release reads and writes.
SCENARIO_SCHEMA_VERSION: Final = 1

#: The id of the baseline policy (the scenario's own ``levers``).
BASELINE: Final = "baseline"

#: Time semantics: daily steps (vectorised) or continuous event-driven queues.
TIME_MODES: Final = ("daily", "continuous")

TimeMode = Literal["daily", "continuous"]

#: Every per-run summary metric, in report order.
METRICS: Final = (
    "disputes",
    "resolved",
    "agreements",
    "escalations",
    "escalations_to_police",
    "escalations_to_litigation",
    "backlog",
    "mean_wait_days",
    "mean_days_to_resolution",
    "closed_at_grid_share",
    "closed_at_community_share",
    "police_hours",
    "police_hours_freed",
    "calls",
    "incidents",
    "tips",
    "hazards_found",
    "hazards_rectified",
    "open_hazards",
    "class_1",
    "class_2",
    "class_3",
    "communities_up",
    "communities_down",
)

#: The metrics recorded day by day when a run keeps its series.
SERIES_METRICS: Final = (
    "disputes",
    "resolved",
    "escalations",
    "backlog",
    "police_hours",
    "incidents",
    "open_hazards",
    "class_1",
    "class_2",
    "class_3",
)

#: Output values of a routing ruleset understood without a ``routes:`` entry.
ROUTE_SYNONYMS: Final[Mapping[str, Channel]] = {
    **{c.value: c for c in Channel},
    "grid_committee": Channel.GRID,
    "grassroots_committee": Channel.GRID,
    "community_committee": Channel.COMMUNITY,
    "mediation_committee": Channel.COMMUNITY,
    "peoples": Channel.COMMUNITY,
    "peoples_mediation": Channel.COMMUNITY,
    "stationed_mediator": Channel.STATIONED,
    "judicial_office": Channel.STATIONED,
    "embedded": Channel.STATIONED,
    "public_security": Channel.POLICE,
    "police_mediation": Channel.POLICE,
    "peoples_committee": Channel.COMMUNITY,
    "department": Channel.ADMINISTRATIVE,
    "housing_department": Channel.ADMINISTRATIVE,
    "housing_and_committee": Channel.ADMINISTRATIVE,
    "fishery_and_committee": Channel.ADMINISTRATIVE,
    "labour_and_committee": Channel.ADMINISTRATIVE,
    "scenic_team": Channel.SCENIC,
    "scenic_joint_team": Channel.SCENIC,
    "joint_patrol": Channel.SCENIC,
}

_TOP_KEYS: Final = (
    "schema_version",
    "scenario",
    "title",
    "description",
    "county",
    "rulesets",
    "routes",
    "horizon_days",
    "replications",
    "seed",
    "time",
    "series",
    "common_random_numbers",
    "parameters",
    "levers",
    "uncertainties",
    "policies",
    "outcomes",
)
_REQUIRED: Final = ("schema_version", "scenario", "county", "horizon_days")
#: The ruleset roles a scenario may name.
RULESET_ROLES: Final = ("routing", "classification", "grading")
_MAX_HORIZON: Final = 36_500
_MAX_REPLICATIONS: Final = 100_000
_MAX_SEED: Final = 2**63 - 1
_DISTRIBUTIONS: Final[Mapping[str, tuple[str, ...]]] = {
    "uniform": ("low", "high"),
    "normal": ("mean", "sd", "low", "high"),
    "triangular": ("low", "mode", "high"),
    "choice": ("values", "weights"),
}

Path = tuple[str | int, ...]
Locate = Callable[[Path], Location]


@attrs.frozen(kw_only=True)
class Policy:
    """A named setting of the levers, compared against the baseline.

    Attributes:
        id: the policy id (``baseline`` is the scenario's own levers).
        levers: the complete lever settings of the policy.
        title: a short human title.
        changes: the levers the policy sets, in file order.

    Examples:
        >>> p = Policy(
        ...     id="plaque-80",
        ...     levers=Levers(plaque_coverage=0.8),
        ...     changes=("plaque_coverage",),
        ... )
        >>> p.levers.plaque_coverage
        0.8

    Added in version 0.1.0.
    """

    id: str
    levers: Levers
    title: str | None = None
    changes: tuple[str, ...] = ()


def _default_classifier() -> Classifier | None:
    return None


@attrs.frozen(kw_only=True, eq=False)
class Scenario:
    """A resolved simulation scenario: everything a run needs, in memory.

    Build one with `countypolicing.load_scenario` (from a file or YAML text) or
    with `scenario_from_data`; `attrs.evolve` gives variants (another horizon,
    other parameters). Scenarios compare by identity; `content_hash` identifies
    their content.

    Attributes:
        id: the scenario id.
        county: the county simulated.
        county_ref: how the scenario named it (``bundled:yueyanglou``, a path).
        routing: the dispute routing classifier (subject ``dispute``).
        classification: the community classifier (subject ``community``).
        grading: the risk-point grading classifier; ``None`` keeps the county's
            stored levels and never re-grades.
        routes: each routing output value and the `Channel` it sends disputes to.
        horizon_days: days simulated.
        replications: replications per policy.
        seed: the root seed.
        time: ``daily`` or ``continuous``.
        series: whether runs keep their daily series.
        common_random_numbers: whether every policy of a replication draws the
            same random numbers (the default, for sharper comparisons).
        parameters: the assumed world.
        levers: the baseline levers.
        uncertainties: parameters drawn anew for each replication.
        policies: the policies compared with the baseline.
        outcomes: the metrics reported (a subset of `METRICS`).
        title: a human title.
        input_hashes: SHA-256 of each file the scenario read, by reference.
        library_version: the countypolicing version that loaded it.

    Added in version 0.1.0.
    """

    id: str
    county: County = attrs.field(repr=False)
    county_ref: str
    routing: Classifier = attrs.field(repr=False)
    classification: Classifier = attrs.field(repr=False)
    grading: Classifier | None = attrs.field(factory=_default_classifier, repr=False)
    routes: Mapping[str, Channel] = attrs.field(factory=dict, repr=False)
    horizon_days: int = 365
    replications: int = 1
    seed: int = 0
    time: TimeMode = "daily"
    series: bool = False
    common_random_numbers: bool = True
    parameters: Parameters = attrs.field(factory=Parameters, repr=False)
    levers: Levers = attrs.field(factory=Levers, repr=False)
    uncertainties: tuple[Uncertainty, ...] = attrs.field(default=(), repr=False)
    policies: tuple[Policy, ...] = ()
    outcomes: tuple[str, ...] = METRICS
    title: str | None = None
    input_hashes: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    library_version: str = "unknown"
    _hash: list[str] = attrs.field(factory=list, init=False, repr=False)
    _arrays: list[Any] = attrs.field(factory=list, init=False, repr=False)

    def __attrs_post_init__(self) -> None:
        problems = _check_scenario(self)
        if problems:
            raise ModelError(problems[0][1], field=problems[0][0], record_id=self.id)
        if not self.routes:
            object.__setattr__(self, "routes", _default_routes(self.routing))

    @property
    def content_hash(self) -> str:
        """``sha256:...`` of the normalised scenario (titles and comments left out)."""
        if not self._hash:
            self._hash.append(_content_hash(self))
        return self._hash[0]

    @property
    def policy_ids(self) -> tuple[str, ...]:
        """``baseline`` and then each policy id, in file order."""
        return (BASELINE, *(p.id for p in self.policies))

    def policy(self, policy_id: str) -> Policy:
        """The policy called ``policy_id`` (``baseline`` gives the scenario's levers).

        Raises:
            KeyError: no such policy (the message suggests the closest id).
        """
        if policy_id == BASELINE:
            return Policy(id=BASELINE, levers=self.levers, title="baseline")
        for p in self.policies:
            if p.id == policy_id:
                return p
        close = difflib.get_close_matches(policy_id, self.policy_ids, n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        msg = f"no policy {policy_id!r} in scenario {self.id!r}{hint}"
        raise KeyError(msg)


def _default_routes(routing: Classifier) -> Mapping[str, Channel]:
    output = routing.ruleset.output
    values = output.values if output is not None else ()
    return {v: ROUTE_SYNONYMS[v] for v in values if v in ROUTE_SYNONYMS}


_DISPUTE_FIELDS: Final = frozenset(f.name for f in BUILTIN_SUBJECTS["dispute"].fields)
_COMMUNITY_FIELDS: Final = frozenset(
    f.name for f in BUILTIN_SUBJECTS["community"].fields
)
_RISK_POINT_FIELDS: Final = frozenset(
    f.name for f in BUILTIN_SUBJECTS["risk_point"].fields
)


def _check_scenario(s: Scenario) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    if not 1 <= s.horizon_days <= _MAX_HORIZON:
        out.append(("horizon_days", f"horizon_days must be 1 to {_MAX_HORIZON}"))
    if not 1 <= s.replications <= _MAX_REPLICATIONS:
        out.append(("replications", f"replications must be 1 to {_MAX_REPLICATIONS}"))
    if not 0 <= s.seed <= _MAX_SEED:
        out.append(("seed", "seed must be an integer from 0 to 2**63 - 1"))
    if s.time not in TIME_MODES:
        out.append(("time", f"time must be one of {', '.join(TIME_MODES)}"))
    out.extend(
        ("outcomes", f"unknown outcome {m!r}") for m in s.outcomes if m not in METRICS
    )
    ids = [p.id for p in s.policies]
    if BASELINE in ids or len(set(ids)) != len(ids):
        out.append(("policies", "policy ids must be unique and not 'baseline'"))
    present = {"routing": s.routing, "classification": s.classification}
    if s.grading is not None:
        present["grading"] = s.grading
    out.extend(_ruleset_problems(present))
    routes = s.routes or _default_routes(s.routing)
    output = s.routing.ruleset.output
    if output is not None:
        missing = [v for v in output.values if v not in routes]
        if missing:
            out.append(("routes", _unrouted_message(missing)))
    return out


def _unrouted_message(missing: Sequence[str]) -> str:
    channels = ", ".join(c.value for c in Channel)
    return (
        f"routing output{'s' if len(missing) > 1 else ''} "
        f"{', '.join(repr(m) for m in missing)} not mapped to a channel; "
        f"add them under routes: (channels: {channels})"
    )


_PROVIDED: Final[Mapping[str, tuple[str, frozenset[str]]]] = {
    "routing": ("dispute", _DISPUTE_FIELDS),
    "classification": ("community", _COMMUNITY_FIELDS),
    "grading": ("risk_point", _RISK_POINT_FIELDS),
}


def _ruleset_problems(classifiers: Mapping[str, Classifier]) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    for role, clf in classifiers.items():
        subject, provided = _PROVIDED[role]
        rs = clf.ruleset
        if rs.output is None:
            out.append(
                (
                    role,
                    (
                        f"the {role} ruleset {rs.id!r} must decide one output value "
                        f"(hit policy unique, first, priority or any), not aggregate"
                    ),
                )
            )
        unknown = [f for f in clf.fields if f not in provided]
        if unknown:
            out.append(
                (
                    role,
                    (
                        f"the {role} ruleset {rs.id!r} reads "
                        f"{', '.join(repr(f) for f in unknown)}, which the simulation "
                        f"does not provide (it provides the fields of subject "
                        f"{subject!r})"
                    ),
                )
            )
    return out


# ---------------------------------------------------------------- hashing
def _plain(value: object) -> object:  # noqa: PLR0911  # one case per kind of value
    if isinstance(value, float):
        if math.isinf(value):
            return "Infinity" if value > 0 else "-Infinity"
        return value
    if isinstance(value, Mapping):
        return {str(k): _plain(v) for k, v in sorted(value.items())}
    if isinstance(value, tuple | list):
        return [_plain(v) for v in value]
    if attrs.has(type(value)):
        names = [a.name for a in attrs.fields(cast("Any", type(value)))]
        return {
            "type": type(value).__name__,
            **{name: _plain(getattr(value, name)) for name in names},
        }
    if isinstance(value, str | int | bool) or value is None:
        return value
    return str(value)


def _content_hash(s: Scenario) -> str:
    body = {
        "schema_version": SCENARIO_SCHEMA_VERSION,
        "scenario": s.id,
        "county": s.county_ref,
        "county_id": s.county.id,
        "rulesets": {
            "routing": s.routing.ruleset.content_hash,
            "classification": s.classification.ruleset.content_hash,
            "grading": s.grading.ruleset.content_hash if s.grading else None,
        },
        "routes": {k: str(v) for k, v in sorted(s.routes.items())},
        "horizon_days": s.horizon_days,
        "replications": s.replications,
        "seed": s.seed,
        "time": s.time,
        "series": s.series,
        "common_random_numbers": s.common_random_numbers,
        "parameters": _plain(s.parameters),
        "levers": _plain(s.levers),
        "uncertainties": _plain(s.uncertainties),
        "policies": [{"id": p.id, "levers": _plain(p.levers)} for p in s.policies],
        "outcomes": list(s.outcomes),
    }
    text = json.dumps(body, sort_keys=True, ensure_ascii=True, allow_nan=False)
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- from data
def _no_locate(path: Path) -> Location:
    return Location(path=_format_path(path))


def _format_path(path: Path) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out


class _Checker:
    """Collects located problems in one pass."""

    def __init__(self, locate: Locate) -> None:
        self.locate = locate
        self.problems: list[ValidationError] = []

    def problem(self, path: Path, message: str, field: str | None = None) -> None:
        location = attrs.evolve(self.locate(path), path=_format_path(path))
        last = next((p for p in reversed(path) if isinstance(p, str)), None)
        self.problems.append(
            ValidationError(
                message, location=location, field=field if field is not None else last
            )
        )

    def mapping(self, path: Path, value: object) -> Mapping[str, object] | None:
        if isinstance(value, Mapping):
            return value
        self.problem(path, f"expected a mapping, got {_describe(value)}")
        return None

    def known_keys(
        self, path: Path, value: Mapping[str, object], allowed: Sequence[str]
    ) -> None:
        for key in value:
            if key not in allowed:
                self.problem(
                    (*path, key), f"unknown key {_shown(key)}{_hint(key, allowed)}"
                )

    def integer(
        self, path: Path, value: object, low: int, high: int, *, what: str
    ) -> int | None:
        if isinstance(value, bool) or not isinstance(value, int):
            self.problem(path, f"{what} must be a whole number, got {_describe(value)}")
            return None
        if not low <= value <= high:
            self.problem(path, f"{what} must be {low} to {high}, got {value}")
            return None
        return value

    def boolean(self, path: Path, value: object) -> bool | None:
        if isinstance(value, bool):
            return value
        self.problem(path, f"expected true or false, got {_describe(value)}")
        return None

    def text(self, path: Path, value: object) -> str | None:
        if isinstance(value, str) and value.strip():
            return value
        self.problem(path, f"expected non-empty text, got {_describe(value)}")
        return None

    def spec_value(self, path: Path, value: object, spec: ParameterSpec) -> bool:
        problem = spec.check(value)
        if problem is not None:
            self.problem(path, f"{spec.name} {problem}", spec.name)
            return False
        return True


def _shown(key: object) -> str:
    if isinstance(key, str) and (not key.isascii() or not key.isprintable()):
        return ascii(key)
    return repr(key)


def _hint(key: object, allowed: Sequence[str]) -> str:
    if not isinstance(key, str):
        return ""
    close = difflib.get_close_matches(key, list(allowed), n=1)
    return f"; did you mean {close[0]!r}?" if close else ""


def _describe(value: object) -> str:
    if value is None:
        return "nothing (null)"
    if isinstance(value, bool):
        return f"the boolean {value}"
    if isinstance(value, Mapping):
        return "a mapping"
    if isinstance(value, list | tuple):
        return "a list"
    return f"{type(value).__name__} {value!r}"


def scenario_from_data(  # noqa: C901, PLR0912, PLR0915  # one pass over the file, collecting every problem
    data: object,
    *,
    county: County,
    rulesets: Mapping[str, RuleSet | Classifier],
    input_hashes: Mapping[str, str] | None = None,
    library_version: str = "unknown",
    locate: Locate | None = None,
) -> Scenario:
    """Check the plain data of a scenario file and build the `Scenario`.

    The county and the rulesets the data names are resolved by the caller (the
    loader reads them) and passed in; ``data["county"]`` and ``data["rulesets"]``
    are kept as references for provenance.

    Args:
        data: the parsed scenario document (mappings, lists, scalars).
        county: the county the scenario names.
        rulesets: ``routing`` and ``classification`` (required) and ``grading``
            (optional), as rulesets or compiled classifiers.
        input_hashes: SHA-256 of each file read, for provenance.
        library_version: the countypolicing version, for provenance.
        locate: gives the file location of a document path; without it, errors
            carry the path only.

    Raises:
        SchemaVersionError: ``schema_version`` is missing, not 1, or newer.
        LoadErrorGroup: every other problem, each a `ValidationError` with its
            path (``levers.plaque_coverage``) and, with ``locate``, file, line and
            column.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.rules import ruleset_from_data
        >>> routing = ruleset_from_data(
        ...     {
        ...         "ruleset": "routing",
        ...         "version": "1",
        ...         "subject": "dispute",
        ...         "output": {"name": "channel", "values": ["police", "grid"]},
        ...         "hit_policy": "first",
        ...         "default": "grid",
        ...         "rules": [
        ...             {"id": "R1", "when": "escalation_risk", "then": "police"}
        ...         ],
        ...     }
        ... )
        >>> rulesets = {
        ...     "routing": routing,
        ...     "classification": default_ruleset("community-classification"),
        ... }
        >>> sc = scenario_from_data(
        ...     {
        ...         "schema_version": 1,
        ...         "scenario": "demo",
        ...         "county": "bundled:yueyanglou",
        ...         "horizon_days": 30,
        ...         "levers": {"plaque_coverage": 0.8},
        ...     },
        ...     county=yueyanglou(),
        ...     rulesets=rulesets,
        ... )
        >>> sc.horizon_days, sc.levers.plaque_coverage, dict(sc.routes)["police"]
        (30, 0.8, <Channel.POLICE: 'police'>)
        >>> try:
        ...     scenario_from_data(
        ...         {
        ...             "schema_version": 1,
        ...             "scenario": "demo",
        ...             "county": "x",
        ...             "horizon_days": 0,
        ...             "levers": {"plaque_coverag": 0.8},
        ...         },
        ...         county=yueyanglou(),
        ...         rulesets=rulesets,
        ...     )
        ... except LoadErrorGroup as err:
        ...     for problem in err.problems:
        ...         print(problem)
        horizon_days: horizon_days must be 1 to 36500, got 0
        levers.plaque_coverag: unknown lever 'plaque_coverag'; did you mean 'plaque_coverage'?
    """
    check = _Checker(locate or _no_locate)
    root = check.mapping((), data)
    if root is None:
        raise LoadErrorGroup("not a scenario", check.problems)
    _check_version(root, locate or _no_locate)
    check.known_keys((), root, _TOP_KEYS)
    for key in _REQUIRED:
        if key not in root:
            check.problem((), f"required key {key!r} is missing", key)

    scenario_id = "scenario"
    if "scenario" in root:
        scenario_id = check.text(("scenario",), root["scenario"]) or scenario_id
    title = None
    if root.get("title") is not None:
        title = check.text(("title",), root["title"])
    if "description" in root and root["description"] is not None:
        check.text(("description",), root["description"])
    county_ref = "<county>"
    if "county" in root:
        county_ref = check.text(("county",), root["county"]) or county_ref

    horizon = 365
    if "horizon_days" in root:
        horizon = (
            check.integer(
                ("horizon_days",),
                root["horizon_days"],
                1,
                _MAX_HORIZON,
                what="horizon_days",
            )
            or horizon
        )
    replications = 1
    if "replications" in root:
        replications = (
            check.integer(
                ("replications",),
                root["replications"],
                1,
                _MAX_REPLICATIONS,
                what="replications",
            )
            or replications
        )
    seed = 0
    if "seed" in root:
        got = check.integer(("seed",), root["seed"], 0, _MAX_SEED, what="seed")
        seed = got if got is not None else seed
    time: TimeMode = "daily"
    if "time" in root:
        value = root["time"]
        if value in TIME_MODES:
            time = "continuous" if value == "continuous" else "daily"
        else:
            check.problem(
                ("time",),
                f"time must be daily or continuous, got {_describe(value)}"
                + _hint(value, TIME_MODES),
            )
    flags: dict[str, bool] = {"series": False, "common_random_numbers": True}
    for name in flags:
        if name in root:
            got_flag = check.boolean((name,), root[name])
            if got_flag is not None:
                flags[name] = got_flag

    if "rulesets" in root and root["rulesets"] is not None:
        refs = check.mapping(("rulesets",), root["rulesets"])
        if refs is not None:
            check.known_keys(("rulesets",), refs, RULESET_ROLES)
    classifiers: dict[str, Classifier] = {}
    for role in RULESET_ROLES:
        given = rulesets.get(role)
        if given is not None:
            classifiers[role] = (
                given if isinstance(given, Classifier) else compile_ruleset(given)
            )
        elif role != "grading":
            check.problem(("rulesets",), f"no {role} ruleset given", role)
    for role, message in _ruleset_problems(classifiers):
        check.problem(("rulesets", role), message, role)

    routes = _routes(check, root.get("routes"), classifiers.get("routing"))
    parameters = _parameters(check, root.get("parameters"), county)
    baseline = _levers(check, ("levers",), root.get("levers"), Levers())
    uncertainties = _uncertainties(check, root.get("uncertainties"), county)
    policies = _policies(check, root.get("policies"), baseline or Levers())
    outcomes = _outcomes(check, root.get("outcomes"))

    if check.problems:
        raise LoadErrorGroup(f"scenario {scenario_id!r} is not valid", check.problems)
    return Scenario(
        id=scenario_id,
        title=title,
        county=county,
        county_ref=county_ref,
        routing=classifiers["routing"],
        classification=classifiers["classification"],
        grading=classifiers.get("grading"),
        routes=routes,
        horizon_days=horizon,
        replications=replications,
        seed=seed,
        time=time,
        series=flags["series"],
        common_random_numbers=flags["common_random_numbers"],
        parameters=parameters or Parameters(),
        levers=baseline or Levers(),
        uncertainties=uncertainties,
        policies=policies,
        outcomes=outcomes,
        input_hashes=dict(input_hashes or {}),
        library_version=library_version,
    )


def _check_version(root: Mapping[str, object], locate: Locate) -> None:
    if "schema_version" not in root:
        where = attrs.evolve(locate(()), path=None)
        raise SchemaVersionError(
            f"missing schema_version (this release writes {SCENARIO_SCHEMA_VERSION})",
            location=where,
        )
    version = root["schema_version"]
    where = attrs.evolve(locate(("schema_version",)), path="schema_version")
    if isinstance(version, bool) or not isinstance(version, int) or version < 1:
        raise SchemaVersionError(
            f"schema_version must be a positive integer, got {_describe(version)}",
            location=where,
        )
    if version > SCENARIO_SCHEMA_VERSION:
        raise SchemaVersionError(
            f"written by a newer countypolicing (schema_version {version}); this "
            f"release reads scenario files up to {SCENARIO_SCHEMA_VERSION}",
            location=where,
        )


def _routes(
    check: _Checker, value: object, routing: Classifier | None
) -> dict[str, Channel]:
    routes: dict[str, Channel] = {}
    output = routing.ruleset.output if routing is not None else None
    values = output.values if output is not None else ()
    if routing is not None:
        routes.update(_default_routes(routing))
    if value is not None:
        given = check.mapping(("routes",), value)
        if given is not None:
            channels = [c.value for c in Channel]
            for key, target in given.items():
                if routing is not None and key not in values:
                    check.problem(
                        ("routes", key),
                        f"{_shown(key)} is not an output of the routing ruleset"
                        + _hint(key, values),
                    )
                    continue
                if target not in channels:
                    check.problem(
                        ("routes", key),
                        f"unknown channel {_describe(target)}{_hint(target, channels)}"
                        f" (channels: {', '.join(channels)})",
                    )
                    continue
                routes[key] = Channel(str(target))
    missing = [v for v in values if v not in routes]
    if missing:
        check.problem(("routes",), _unrouted_message(missing))
    return routes


def _parameters(  # noqa: C901  # one pass, collecting every problem
    check: _Checker, value: object, county: County
) -> Parameters | None:
    if value is None:
        return Parameters()
    given = check.mapping(("parameters",), value)
    if given is None:
        return None
    check.known_keys(("parameters",), given, tuple(PARAMETER_SPECS))
    kwargs: dict[str, object] = {}
    ok = True
    for name, raw in given.items():
        spec = PARAMETER_SPECS.get(name)
        if spec is None:
            ok = False
            continue
        path: Path = ("parameters", name)
        if spec.kind in {"float_map", "str_map"}:
            table = _map_value(check, path, raw, spec, county)
            if table is None:
                ok = False
            else:
                kwargs[name] = table
        elif check.spec_value(path, raw, spec):
            kwargs[name] = raw
        else:
            ok = False
    if not ok:
        return None
    try:
        parameters = Parameters(**kwargs)  # type: ignore[arg-type]  # checked above
    except ModelError as exc:
        check.problem(("parameters", exc.field or ""), exc.message, exc.field)
        return None
    for name, message in check_parameters(parameters):
        check.problem(("parameters", name), message, name)
    return parameters


def _allowed_keys(spec: ParameterSpec, county: County) -> tuple[str, ...]:
    allowed = key_vocabulary(spec.keys or "theme")
    if spec.keys == "theme":
        allowed = tuple(sorted({*allowed, *(t.id for t in county.themes)}))
    return allowed


def _map_value(
    check: _Checker,
    path: Path,
    raw: object,
    spec: ParameterSpec,
    county: County,
) -> dict[str, object] | None:
    given = check.mapping(path, raw)
    if given is None:
        return None
    allowed = _allowed_keys(spec, county)
    out: dict[str, object] = {}
    ok = True
    for key, item in given.items():
        if key not in allowed:
            check.problem(
                (*path, key),
                f"unknown {spec.keys} {_shown(key)}{_hint(key, allowed)}",
            )
            ok = False
        elif spec.kind == "str_map" and item not in key_vocabulary("dispute_type"):
            types = key_vocabulary("dispute_type")
            check.problem(
                (*path, key),
                f"unknown dispute type {_describe(item)}{_hint(item, types)}",
            )
            ok = False
        elif check.spec_value((*path, key), item, spec):
            out[key] = item
        else:
            ok = False
    if (
        ok
        and spec.name in {"dispute_mix", "origin_mix"}
        and not math.fsum(float(v) for v in out.values() if isinstance(v, int | float))
    ):
        check.problem(path, f"{spec.name} must have a positive total")
        ok = False
    return out if ok else None


def _levers(check: _Checker, path: Path, value: object, base: Levers) -> Levers | None:
    if value is None:
        return base
    given = check.mapping(path, value)
    if given is None:
        return None
    kwargs: dict[str, object] = {}
    ok = True
    for name, raw in given.items():
        spec = LEVER_SPECS.get(name)
        if spec is None:
            check.problem(
                (*path, name),
                f"unknown lever {_shown(name)}{_hint(name, tuple(LEVER_SPECS))}",
            )
            ok = False
        elif raw is None and spec.default is None:
            kwargs[name] = None
        elif check.spec_value((*path, name), raw, spec):
            kwargs[name] = raw
        else:
            ok = False
    if not ok:
        return None
    return attrs.evolve(base, **kwargs)  # type: ignore[arg-type]  # values checked against LEVER_SPECS


def _distribution(  # noqa: C901, PLR0911, PLR0912  # one branch per distribution
    check: _Checker, path: Path, raw: object, target: ParameterSpec
) -> Distribution | None:
    given = check.mapping(path, raw)
    if given is None:
        return None
    kind = given.get("distribution")
    if kind not in _DISTRIBUTIONS:
        check.problem(
            (*path, "distribution") if "distribution" in given else path,
            f"distribution must be one of {', '.join(_DISTRIBUTIONS)}, got "
            f"{_describe(kind)}{_hint(kind, tuple(_DISTRIBUTIONS))}",
        )
        return None
    fields = _DISTRIBUTIONS[str(kind)]
    check.known_keys(path, given, ("distribution", *fields))
    if any(k not in {"distribution", *fields} for k in given):
        return None
    if kind == "choice":
        values = given.get("values")
        if not isinstance(values, list) or not values:
            check.problem((*path, "values"), "choice needs a non-empty list of values")
            return None
        good = all(
            check.spec_value((*path, "values", i), v, target)
            for i, v in enumerate(values)
        )
        weights = given.get("weights")
        if weights is not None:
            if not isinstance(weights, list) or len(weights) != len(values):
                check.problem(
                    (*path, "weights"), "weights must be a list as long as values"
                )
                return None
            prob = ParameterSpec(name="weight", kind="float", unit="", doc="")
            good = (
                all(
                    check.spec_value((*path, "weights", i), w, prob)
                    for i, w in enumerate(weights)
                )
                and good
            )
            if good and not math.fsum(weights):
                check.problem((*path, "weights"), "weights must have a positive total")
                return None
        if not good:
            return None
        return Choice(
            values=tuple(values),
            weights=tuple(float(w) for w in weights) if weights else None,
        )
    if target.kind not in {"float", "int", "float_map"}:
        check.problem(path, f"{target.name} takes words: use distribution: choice")
        return None
    numbers: dict[str, float] = {}
    number = ParameterSpec(name="value", kind="float", unit="", doc="", low=None)
    for name in fields:
        if name not in given:
            if kind == "normal" and name in {"low", "high"}:
                continue
            check.problem(path, f"{kind} needs {name!r}", name)
            return None
        if not check.spec_value((*path, name), given[name], number):
            return None
        numbers[name] = float(given[name])  # type: ignore[arg-type]  # checked number
    if kind == "uniform":
        if numbers["low"] > numbers["high"]:
            check.problem(path, "uniform needs low <= high")
            return None
        return Uniform(low=numbers["low"], high=numbers["high"])
    if kind == "triangular":
        if not numbers["low"] <= numbers["mode"] <= numbers["high"]:
            check.problem(path, "triangular needs low <= mode <= high")
            return None
        return Triangular(
            low=numbers["low"], mode=numbers["mode"], high=numbers["high"]
        )
    if numbers["sd"] < 0:
        check.problem((*path, "sd"), "sd must be at least 0", "sd")
        return None
    return Normal(
        mean=numbers["mean"],
        sd=numbers["sd"],
        low=numbers.get("low"),
        high=numbers.get("high"),
    )


def _uncertain_target(
    check: _Checker, path: Path, name: str, county: County
) -> ParameterSpec | None:
    head, _, key = name.partition(".")
    spec = PARAMETER_SPECS.get(head)
    if spec is None:
        check.problem(
            path,
            f"unknown parameter {_shown(head)}{_hint(head, tuple(PARAMETER_SPECS))}",
        )
        return None
    if spec.kind in {"float_map", "str_map"}:
        allowed = _allowed_keys(spec, county)
        if not key or key not in allowed:
            check.problem(
                path,
                f"{head} is a map: name one entry as {head}.KEY"
                + (
                    f"; unknown {spec.keys} {key!r}{_hint(key, allowed)}" if key else ""
                ),
            )
            return None
        if spec.kind == "str_map":
            check.problem(path, f"{head} entries cannot be uncertain")
            return None
        return spec
    if key:
        check.problem(path, f"{head} is not a map parameter")
        return None
    return spec


def _uncertainties(
    check: _Checker, value: object, county: County
) -> tuple[Uncertainty, ...]:
    if value is None:
        return ()
    given = check.mapping(("uncertainties",), value)
    if given is None:
        return ()
    out: list[Uncertainty] = []
    for name, raw in given.items():
        path: Path = ("uncertainties", name)
        target = _uncertain_target(check, path, name, county)
        if target is None:
            continue
        dist = _distribution(check, path, raw, target)
        if dist is not None:
            out.append(Uncertainty(parameter=name, distribution=dist))
    return tuple(sorted(out, key=lambda u: u.parameter))


def _policies(check: _Checker, value: object, baseline: Levers) -> tuple[Policy, ...]:
    if value is None:
        return ()
    given = check.mapping(("policies",), value)
    if given is None:
        return ()
    out: list[Policy] = []
    for policy_id, raw in given.items():
        path: Path = ("policies", policy_id)
        if policy_id == BASELINE:
            check.problem(path, "'baseline' is the scenario's own levers: rename it")
            continue
        body = check.mapping(path, raw)
        if body is None:
            continue
        check.known_keys(path, body, ("title", "description", "levers"))
        title = None
        if body.get("title") is not None:
            title = check.text((*path, "title"), body["title"])
        if "levers" not in body:
            check.problem(path, "a policy needs levers:", "levers")
            continue
        levers = _levers(check, (*path, "levers"), body["levers"], baseline)
        if levers is None:
            continue
        changes = tuple(body["levers"]) if isinstance(body["levers"], Mapping) else ()
        out.append(Policy(id=policy_id, levers=levers, title=title, changes=changes))
    return tuple(out)


def _outcomes(check: _Checker, value: object) -> tuple[str, ...]:
    if value is None:
        return METRICS
    if not isinstance(value, list) or not value:
        check.problem(("outcomes",), "expected a non-empty list of metric names")
        return METRICS
    out: list[str] = []
    for i, name in enumerate(value):
        if name not in METRICS:
            check.problem(
                ("outcomes", i),
                f"unknown outcome {_describe(name)}{_hint(name, METRICS)}",
            )
        elif name not in out:
            out.append(name)
    return tuple(out) or METRICS
