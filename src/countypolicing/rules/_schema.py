"""Schemas: the typed fields a ruleset may read, and the built-in subjects.

A ruleset names a built-in ``subject`` (``community``, ``risk_point``, ``dispute``)
or declares ``fields:`` inline. The built-in subjects come with record builders that
turn model objects into plain mappings.
"""

from __future__ import annotations

import difflib
from collections.abc import Mapping
from enum import Enum
from typing import Final

import attrs

from countypolicing.model import (
    CommunityKind,
    DisputeOrigin,
    DisputeStatus,
    DisputeType,
    HandlingLevel,
    MediationChannel,
    RiskDomain,
    RiskLevel,
    RiskPointStatus,
    RiskSubjectKind,
    RiskTheme,
)
from countypolicing.rules._ir import ValueType

__all__ = ["BUILTIN_SUBJECTS", "FieldSpec", "Schema", "builtin_schema"]


@attrs.frozen
class FieldSpec:
    """One field a ruleset may read.

    Attributes:
        name: the field name, as written in rules and records.
        type: int, float, bool or str.
        values: the allowed values of an enum field, in their declared order.
        ordered: whether ``<``/``>`` compare enum values by that order.
        optional: whether the value may be missing (then only `is_missing` or a
            guarded use may read it).
        description: what the field means, for docs and explanations.

    Examples:
        >>> FieldSpec("population", ValueType.INT).describe()
        'population: int'
        >>> FieldSpec("kind", ValueType.STR, values=("urban", "village")).describe()
        'kind: one of urban, village'

    Added in version 0.1.0.
    """

    name: str
    type: ValueType
    values: tuple[str, ...] | None = None
    ordered: bool = False
    optional: bool = False
    description: str = ""

    def describe(self) -> str:
        """A short human description of the field's type."""
        kind = (
            f"one of {', '.join(self.values)}" if self.values is not None else self.type
        )
        return f"{self.name}: {'optional ' if self.optional else ''}{kind}"


@attrs.frozen
class Schema:
    """The fields of one kind of record.

    Examples:
        >>> s = builtin_schema("risk_point")
        >>> s.field("severity").type
        <ValueType.INT: 'int'>
        >>> s.suggest("severty")
        'severity'

    Added in version 0.1.0.
    """

    name: str
    fields: tuple[FieldSpec, ...]
    _by_name: Mapping[str, FieldSpec] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_by_name", {f.name: f for f in self.fields})

    def field(self, name: str) -> FieldSpec:
        """The field called ``name`` (raises ``KeyError``)."""
        return self._by_name[name]

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def suggest(self, name: str) -> str | None:
        """The declared field closest to a misspelt ``name``, if any is close."""
        close = difflib.get_close_matches(name, list(self._by_name), n=1)
        return close[0] if close else None


def _enum(
    name: str,
    values: tuple[str, ...],
    description: str,
    *,
    ordered: bool = False,
    optional: bool = False,
) -> FieldSpec:
    return FieldSpec(
        name,
        ValueType.STR,
        values=values,
        ordered=ordered,
        optional=optional,
        description=description,
    )


def _values(enum: type[Enum]) -> tuple[str, ...]:
    return tuple(str(m.value) for m in enum)


_LEVELS_LOW_TO_HIGH: Final = tuple(
    str(m) for m in sorted(RiskLevel, key=lambda m: m.rank)
)

_THEME_FIELDS: Final = tuple(
    FieldSpec(
        f"theme_{theme}",
        ValueType.BOOL,
        description=f"the place has the {theme} theme ({theme.label_zh})",
    )
    for theme in RiskTheme
)

_COMMUNITY: Final = Schema(
    "community",
    (
        _enum("kind", _values(CommunityKind), "urban community or village"),
        FieldSpec("population", ValueType.INT, description="residents"),
        FieldSpec("households", ValueType.INT, description="households"),
        FieldSpec("rental_units", ValueType.INT, description="rental units"),
        FieldSpec(
            "calls_per_1000",
            ValueType.FLOAT,
            description="police calls per 1,000 residents a year",
        ),
        FieldSpec(
            "prior_incidents", ValueType.INT, description="cases in the last year"
        ),
        FieldSpec("disputes_open", ValueType.INT, description="open disputes"),
        FieldSpec(
            "key_persons", ValueType.INT, optional=True, description="key persons"
        ),
        FieldSpec("petitions", ValueType.INT, description="petitions in the last year"),
        FieldSpec("grid_workers", ValueType.INT, description="grid workers"),
        FieldSpec("risk_points", ValueType.INT, description="open risk points"),
        _enum(
            "worst_level",
            _LEVELS_LOW_TO_HIGH,
            "the worst level among the community's open risk points",
            ordered=True,
            optional=True,
        ),
        FieldSpec("major_risks", ValueType.INT, description="open major risk points"),
        FieldSpec(
            "significant_risks",
            ValueType.INT,
            description="open significant risk points",
        ),
        FieldSpec(
            "general_risks", ValueType.INT, description="open general risk points"
        ),
        FieldSpec("low_risks", ValueType.INT, description="open low risk points"),
        FieldSpec(
            "open_hazards", ValueType.INT, description="hazards not yet verified"
        ),
        *_THEME_FIELDS,
    ),
)

_RISK_POINT: Final = Schema(
    "risk_point",
    (
        FieldSpec("likelihood", ValueType.INT, description="likelihood 1-5"),
        FieldSpec("severity", ValueType.INT, description="severity 1-5"),
        FieldSpec("score", ValueType.INT, description="likelihood x severity"),
        FieldSpec("theme", ValueType.STR, description="risk theme id"),
        _enum("subject_kind", _values(RiskSubjectKind), "what the risk is about"),
        _enum("domain", _values(RiskDomain), "risk domain"),
        _enum("status", _values(RiskPointStatus), "lifecycle state"),
        FieldSpec("has_owner", ValueType.BOOL, description="an entity owns the risk"),
        FieldSpec(
            "open_hazards", ValueType.INT, description="hazards not yet verified"
        ),
    ),
)

_DISPUTE: Final = Schema(
    "dispute",
    (
        _enum("type", _values(DisputeType), "dispute type"),
        _enum("origin", _values(DisputeOrigin), "how the dispute reached the system"),
        _enum("status", _values(DisputeStatus), "lifecycle state"),
        _enum(
            "handling_level",
            tuple(str(m) for m in sorted(HandlingLevel, key=lambda m: m.rank)),
            "where it is handled",
            ordered=True,
        ),
        _enum(
            "channel",
            _values(MediationChannel),
            "the mediation channel, once assigned",
            optional=True,
        ),
        FieldSpec("parties", ValueType.INT, description="number of parties"),
        FieldSpec(
            "organisation_party",
            ValueType.BOOL,
            description="a party is an organisation",
        ),
        FieldSpec(
            "escalation_risk",
            ValueType.BOOL,
            description="may turn into a criminal case",
        ),
        *_THEME_FIELDS,
    ),
)

#: The subjects a ruleset may name instead of declaring ``fields:``.
BUILTIN_SUBJECTS: Final[Mapping[str, Schema]] = {
    s.name: s for s in (_COMMUNITY, _RISK_POINT, _DISPUTE)
}


def builtin_schema(name: str) -> Schema:
    """The built-in schema called ``name`` (raises ``KeyError`` naming the choices)."""
    try:
        return BUILTIN_SUBJECTS[name]
    except KeyError:
        msg = f"unknown subject {name!r}; built in: {', '.join(BUILTIN_SUBJECTS)}"
        raise KeyError(msg) from None
