"""Hypothesis strategies that generate *valid* countypolicing objects.

Every strategy produces records that pass the model's validators and invariants:
ids match the id pattern, texts are non-blank, dates come in order, lifecycles are
reached through legal sequences of their methods.
`counties` builds a whole `County` in which every reference resolves.

Strategies that take a pool of ids (``community_ids=``, ``party_ids=``...) draw their
references from it.
``None``, the default, means "any well-formed id": the record is valid on its own but
its references need not resolve anywhere.
An empty pool leaves optional references empty and is refused for required ones.

Texts include CJK and other printable Unicode, and YAML look-alikes such as ``"no"``,
``"0755"`` or ``"2020-01-05"``; ids include the ones YAML 1.1 would misread.

Examples:
    >>> from hypothesis import given, settings
    >>> @settings(max_examples=5, deadline=None)
    ... @given(counties())
    ... def check(county):
    ...     assert county.replayed_tasks() == county.tasks
    >>> check()

Added in version 0.1.0.
"""

from __future__ import annotations

import keyword
import math
import string
from collections.abc import Callable, Sequence
from datetime import UTC, date, datetime, timedelta, timezone
from enum import Enum
from functools import cache
from typing import Any, Final, TypeAlias, TypeVar

import attrs
import numpy as np
import numpy.typing as npt
from hypothesis import strategies as st
from hypothesis.errors import InvalidArgument

from countypolicing.model import (
    CONFIRMATION_WINDOW,
    DISPUTE_TRANSITIONS,
    TASK_TRANSITIONS,
    AdminLevel,
    AgreementForm,
    Cadence,
    Campaign,
    CampaignId,
    CommitteeKind,
    Community,
    CommunityId,
    CommunityIndicators,
    CommunityKind,
    CommunityRiskClass,
    ConfirmationResult,
    ControlledItem,
    County,
    CountyKind,
    CountyRiskClass,
    Department,
    DepartmentKind,
    Dispute,
    DisputeId,
    DisputeOrigin,
    DisputeParty,
    DisputeStatus,
    DisputeType,
    DocumentId,
    Entity,
    EntityKind,
    FollowUp,
    Government,
    GovernmentKind,
    Grid,
    GridId,
    GridKind,
    HandlingLevel,
    Hazard,
    HazardId,
    Incident,
    IncidentId,
    IncidentKind,
    IssuerOffice,
    JointPatrol,
    JudicialConfirmation,
    JudicialOffice,
    KeyItemId,
    KeyWorkItem,
    LeadingGroup,
    LedgerEntry,
    LinkageMechanism,
    LocalFeature,
    MechanismId,
    MechanismMeeting,
    MediationAgreement,
    MediationChannel,
    MediationCommittee,
    MetricComparator,
    MetricId,
    OrgId,
    OutcomeMetric,
    PairedContact,
    PartyCommittee,
    PartyId,
    PartyRole,
    PatrolId,
    PatrolSchedule,
    Person,
    PersonId,
    PersonRole,
    PlaqueStatus,
    PledgeKind,
    PoliceMediationLink,
    PoliceStation,
    PoliceSubBureau,
    PolicyDocument,
    PolicyDocumentKind,
    Provenance,
    ReferralRoute,
    RentalHouse,
    RentalId,
    RentalKind,
    ResponsibleParties,
    RiskDomain,
    RiskLevel,
    RiskOrigin,
    RiskPoint,
    RiskPointId,
    RiskPointStatus,
    RiskSubjectKind,
    RiskTheme,
    SecurityPledge,
    SeizedItem,
    Sex,
    StationKind,
    SupervisionLevel,
    SupervisorOverride,
    Task,
    TaskAction,
    TaskId,
    TaskStatus,
    Tenancy,
    ThemeDefinition,
    ThemeId,
    ThemeSupervision,
    Township,
    TownshipId,
    TownshipKind,
    WorkPlan,
    replay_task,
)
from countypolicing.rules import FieldSpec, Schema, ValueType

__all__ = [
    "Pool",
    "aware_datetimes",
    "campaigns",
    "columns_for",
    "communities",
    "community_indicators",
    "conditions",
    "counties",
    "dates",
    "departments",
    "dispute_parties",
    "disputes",
    "entities",
    "follow_ups",
    "governments",
    "grids",
    "hazards",
    "ids",
    "incidents",
    "judicial_confirmations",
    "judicial_offices",
    "key_work_items",
    "leading_groups",
    "ledgers",
    "local_features",
    "mechanism_meetings",
    "mechanisms",
    "mediation_agreements",
    "mediation_committees",
    "outcome_metrics",
    "paired_contacts",
    "party_committees",
    "patrol_schedules",
    "patrols",
    "people",
    "police_stations",
    "policy_documents",
    "records_for",
    "rentals",
    "responsible_parties",
    "risk_points",
    "rule_schemas",
    "rulesets",
    "schema_data",
    "security_pledges",
    "seized_items",
    "sub_bureaus",
    "supervisor_overrides",
    "tasks",
    "tenancies",
    "texts",
    "theme_definitions",
    "theme_supervisions",
    "townships",
    "work_plans",
]

_T = TypeVar("_T")
_E = TypeVar("_E", bound=Enum)

#: A pool of ids to draw references from; ``None`` means any well-formed id.
Pool: TypeAlias = Sequence[str] | None

_ID_FIRST: Final = string.ascii_letters + string.digits
_ID_REST: Final = _ID_FIRST + "_.-"
_ID_MAX: Final = 64

#: Ids that a YAML 1.1 reader would turn into booleans, numbers, dates or null.
_TRICKY_IDS: Final = (
    "true",
    "False",
    "no",
    "ON",
    "y",
    "null",
    "Null",
    "0",
    "1",
    "0755",
    "0o17",
    "0x1F",
    "1e3",
    "1_000",
    "12.50",
    "1.",
    "2020-01-05",
    "2020-1-5",
    "NaN",
    "inf",
    "a..b",
    "a-",
    "x" * _ID_MAX,
)

#: Texts that YAML would misread, or that test quoting, scripts and look-alikes.
_TRICKY_TEXTS: Final = (
    "null",
    "~",
    "yes",
    "No",
    "off",
    "0755",
    "0x1F",
    "12:30",
    "1:20:30",
    "2020-01-05",
    "3.10",
    "1e309",
    "-.inf",
    ".NaN",
    "- item",
    "key: value",
    "#comment",
    "&anchor",
    "*alias",
    "!tag",
    "%YAML",
    "@at",
    "`tick",
    "|",
    ">",
    "'",
    '"',
    "{}",
    "[]",
    "? ",
    " 前导空格",
    "末尾空格 ",
    "东茅岭街道",
    "曹某",
    "𠀀𪚥",
    "e\u0301",
    "ﬁeld",
    "r\u0430ting",
    "١٢٣",
    "Ω≈ç√",
)

_BUILTIN_THEMES: Final = tuple(str(theme) for theme in RiskTheme)
_MAX_INT: Final = 2**63 - 1
_MAX_MINUTES: Final = 24 * 60 - 1
_LEDGER_START: Final = datetime(1900, 1, 1)  # noqa: DTZ001  # naive bounds for st.datetimes
_LEDGER_END: Final = datetime(2100, 1, 1)  # noqa: DTZ001  # same


def _check_pool(name: str, pool: Pool, *, min_size: int = 1) -> None:
    if pool is not None and len(pool) < min_size:
        msg = f"{name} needs at least {min_size} id(s), got {len(pool)}"
        raise InvalidArgument(msg)


def _check_non_negative(name: str, value: int) -> None:
    if value < 0:
        msg = f"{name} must be >= 0, got {value}"
        raise InvalidArgument(msg)


def _opt(strategy: st.SearchStrategy[_T]) -> st.SearchStrategy[_T | None]:
    return st.none() | strategy


@cache
def _enum(cls: type[_E]) -> st.SearchStrategy[_E]:
    """``st.sampled_from(cls)``, built once per enum and typed by it."""
    return st.sampled_from(list(cls))


# ------------------------------------------------------------------- primitives
def ids(*, max_length: int = _ID_MAX) -> st.SearchStrategy[str]:
    """Well-formed ids: ``[A-Za-z0-9][A-Za-z0-9_.-]{0,63}``, often YAML look-alikes.

    Args:
        max_length: the longest id to produce, from 1 to 64.

    Returns:
        A strategy for id strings.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model._common import ID_PATTERN
        >>> @settings(max_examples=20)
        ... @given(ids())
        ... def check(value):
        ...     assert ID_PATTERN.fullmatch(value)
        >>> check()

    Added in version 0.1.0.
    """
    if not 1 <= max_length <= _ID_MAX:
        msg = f"max_length must be between 1 and {_ID_MAX}, got {max_length}"
        raise InvalidArgument(msg)
    return _ids(max_length)


@cache
def _ids(max_length: int) -> st.SearchStrategy[str]:
    plain = st.builds(
        str.__add__,
        st.sampled_from(_ID_FIRST),
        st.text(_ID_REST, max_size=max_length - 1),
    )
    tricky = [t for t in _TRICKY_IDS if len(t) <= max_length]
    return plain | st.sampled_from(tricky)


_TEXT_CHARACTERS: Final = st.characters(
    codec="utf-8",
    categories=("L", "M", "N", "P", "S"),
    include_characters=" ",
)
_CJK_CHARACTERS: Final = st.characters(min_codepoint=0x4E00, max_codepoint=0x9FFF)


def _not_blank(value: str) -> bool:
    return bool(value.strip())


def texts(*, max_size: int = 16) -> st.SearchStrategy[str]:
    """Non-blank printable texts: CJK, other scripts, symbols and YAML look-alikes.

    No control characters, no line breaks, no surrogates; leading and trailing spaces
    occur, since the model keeps them.

    Args:
        max_size: the longest text to produce (at least 1).

    Returns:
        A strategy for text strings ``s`` with ``s.strip()`` and ``s.isprintable()``.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=20)
        ... @given(texts())
        ... def check(value):
        ...     assert value.strip() and value.isprintable()
        >>> check()

    Added in version 0.1.0.
    """
    if max_size < 1:
        msg = f"max_size must be >= 1, got {max_size}"
        raise InvalidArgument(msg)
    return _texts(max_size)


@cache
def _texts(max_size: int) -> st.SearchStrategy[str]:
    free = st.text(_TEXT_CHARACTERS, min_size=1, max_size=max_size).filter(_not_blank)
    cjk = st.text(_CJK_CHARACTERS, min_size=1, max_size=max_size)
    tricky = [t for t in _TRICKY_TEXTS if len(t) <= max_size]
    return free | cjk | st.sampled_from(tricky)


def dates(
    *, min_value: date = date.min, max_value: date = date.max
) -> st.SearchStrategy[date]:
    """Dates between ``min_value`` and ``max_value``, boundary years included.

    Args:
        min_value: the earliest date (default ``0001-01-01``).
        max_value: the latest date (default ``9999-12-31``).

    Returns:
        A strategy for `datetime.date` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(dates(min_value=date(2020, 1, 1)))
        ... def check(day):
        ...     assert day.year >= 2020
        >>> check()

    Added in version 0.1.0.
    """
    return st.dates(min_value=min_value, max_value=max_value)


@cache
def _offsets() -> st.SearchStrategy[timezone]:
    fixed = st.integers(-_MAX_MINUTES, _MAX_MINUTES).map(
        lambda minutes: timezone(timedelta(minutes=minutes))
    )
    return st.just(UTC) | fixed


def aware_datetimes(
    *,
    min_value: datetime = datetime(1, 1, 2),  # noqa: DTZ001  # naive bounds, as st.datetimes takes them
    max_value: datetime = datetime(9999, 12, 30, 23, 59, 59),  # noqa: DTZ001  # same
) -> st.SearchStrategy[datetime]:
    """Timezone-aware datetimes with fixed UTC offsets (whole minutes, within a day).

    The bounds are naive local times; the defaults leave a day of slack at both ends
    of the calendar so that every value's UTC instant exists.

    Args:
        min_value: the earliest local time.
        max_value: the latest local time.

    Returns:
        A strategy for aware `datetime.datetime` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(aware_datetimes())
        ... def check(moment):
        ...     assert moment.utcoffset() is not None
        >>> check()

    Added in version 0.1.0.
    """
    return st.datetimes(min_value=min_value, max_value=max_value, timezones=_offsets())


_TEXTS: Final = texts()
_OPT_TEXTS: Final = _opt(_TEXTS)
_DATES: Final = dates()
_OPT_DATES: Final = _opt(_DATES)
_BOOLS: Final = st.booleans()


def _counts() -> st.SearchStrategy[int]:
    return st.integers(0, _MAX_INT)


def _opt_text(draw: st.DrawFn) -> str | None:
    return draw(_OPT_TEXTS)


def _provenance(draw: st.DrawFn) -> Provenance:
    value: Provenance = draw(_enum(Provenance))
    return value


def _later(draw: st.DrawFn, day: date, max_days: int = 30) -> date:
    room = (date.max - day).days
    return day + timedelta(days=draw(st.integers(0, min(max_days, room))))


def _opt_later(draw: st.DrawFn, day: date, max_days: int = 400) -> date | None:
    if not draw(_BOOLS):
        return None
    return _later(draw, day, max_days)


def _validity(draw: st.DrawFn) -> tuple[date | None, date | None]:
    start = draw(_OPT_DATES)
    if start is None:
        return None, draw(_OPT_DATES)
    return start, _opt_later(draw, start, 10_000)


def _own_id(draw: st.DrawFn, record_id: str | None) -> str:
    return record_id if record_id is not None else draw(ids())


def _ref(draw: st.DrawFn, pool: Pool) -> str:
    if pool is None:
        return draw(_ids(_ID_MAX))
    return draw(_sampled(tuple(pool)))


def _opt_ref(draw: st.DrawFn, pool: Pool) -> str | None:
    if pool is not None and not pool:
        return None
    if not draw(_BOOLS):
        return None
    return _ref(draw, pool)


def _refs(
    draw: st.DrawFn,
    pool: Pool,
    *,
    min_size: int = 0,
    max_size: int = 3,
    exclude: frozenset[str] = frozenset(),
) -> tuple[str, ...]:
    if pool is None:
        element: st.SearchStrategy[str] = _ids(_ID_MAX)
        if exclude:
            element = element.filter(lambda v: v not in exclude)
        return tuple(
            draw(st.lists(element, min_size=min_size, max_size=max_size, unique=True))
        )
    candidates = tuple(p for p in dict.fromkeys(pool) if p not in exclude)
    if not candidates:
        return ()
    size = min(max_size, len(candidates))
    return draw(_subsets(candidates, min(min_size, size), size))


@cache
def _sampled(pool: tuple[str, ...]) -> st.SearchStrategy[str]:
    return st.sampled_from(pool)


@cache
def _subsets(
    pool: tuple[str, ...], min_size: int, max_size: int
) -> st.SearchStrategy[tuple[str, ...]]:
    return st.lists(
        _sampled(pool), min_size=min_size, max_size=max_size, unique=True
    ).map(tuple)


# ------------------------------------------------------------------------ places
@st.composite
def _township(draw: st.DrawFn, record_id: str | None = None) -> Township:
    valid_from, valid_to = _validity(draw)
    return Township(
        id=TownshipId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=draw(_enum(TownshipKind)),
        code=_opt_text(draw),
        valid_from=valid_from,
        valid_to=valid_to,
        provenance=_provenance(draw),
    )


def townships() -> st.SearchStrategy[Township]:
    """Townships (街道/乡/镇) with optional codes and validity periods.

    Returns:
        A strategy for `Township` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import AdminLevel
        >>> @settings(max_examples=5)
        ... @given(townships())
        ... def check(township):
        ...     assert township.level is AdminLevel.TOWNSHIP
        >>> check()

    Added in version 0.1.0.
    """
    return _township()


@st.composite
def _community(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    township_ids: Pool = None,
    theme_ids: Pool = None,
) -> Community:
    valid_from, valid_to = _validity(draw)
    return Community(
        id=CommunityId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        township_id=TownshipId(_ref(draw, township_ids)),
        kind=draw(_enum(CommunityKind)),
        code=_opt_text(draw),
        population=draw(_counts()),
        households=draw(_counts()),
        themes=_refs(draw, _BUILTIN_THEMES if theme_ids is None else theme_ids),
        risk_class=draw(_opt(_enum(CommunityRiskClass))),
        valid_from=valid_from,
        valid_to=valid_to,
        provenance=_provenance(draw),
    )


def communities(
    *, township_ids: Pool = None, theme_ids: Pool = None
) -> st.SearchStrategy[Community]:
    """Communities (社区/村) in one of ``township_ids``, working on ``theme_ids``.

    Args:
        township_ids: townships to place the community in (``None``: any id).
        theme_ids: themes the community may work on (``None``: the built-in ones).

    Returns:
        A strategy for `Community` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(communities(township_ids=["t1", "t2"]))
        ... def check(community):
        ...     assert community.township_id in {"t1", "t2"}
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("township_ids", township_ids)
    return _community(township_ids=township_ids, theme_ids=theme_ids)


@st.composite
def _grid(
    draw: st.DrawFn, record_id: str | None = None, *, community_ids: Pool = None
) -> Grid:
    valid_from, valid_to = _validity(draw)
    return Grid(
        id=GridId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        community_id=CommunityId(_ref(draw, community_ids)),
        kind=draw(_enum(GridKind)),
        households=draw(_opt(_counts())),
        valid_from=valid_from,
        valid_to=valid_to,
        provenance=_provenance(draw),
    )


def grids(*, community_ids: Pool = None) -> st.SearchStrategy[Grid]:
    """Grids (网格) inside one of ``community_ids``.

    Args:
        community_ids: communities to place the grid in (``None``: any id).

    Returns:
        A strategy for `Grid` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(grids(community_ids=["c1"]))
        ... def check(grid):
        ...     assert grid.community_id == "c1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    return _grid(community_ids=community_ids)


@st.composite
def _indicators(draw: st.DrawFn, *, community_ids: Pool = None) -> CommunityIndicators:
    return CommunityIndicators(
        community_id=CommunityId(_ref(draw, community_ids)),
        as_of=draw(_DATES),
        rental_units=draw(_counts()),
        calls_per_1000=draw(
            st.floats(min_value=0.0, allow_nan=False, allow_infinity=False)
        ),
        prior_incidents=draw(_counts()),
        disputes_open=draw(_counts()),
        key_persons=draw(_opt(_counts())),
        petitions=draw(_counts()),
        grid_workers=draw(_counts()),
        provenance=_provenance(draw),
    )


def community_indicators(
    *, community_ids: Pool = None
) -> st.SearchStrategy[CommunityIndicators]:
    """Indicator values of one of ``community_ids`` at some date.

    Args:
        community_ids: communities the indicators describe (``None``: any id).

    Returns:
        A strategy for `CommunityIndicators` records (counts up to 2**63 - 1).

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(community_indicators())
        ... def check(ind):
        ...     assert ind.calls_per_1000 >= 0
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    return _indicators(community_ids=community_ids)


def _theme_id(value: str) -> bool:
    return value not in _BUILTIN_THEMES


@st.composite
def _theme_definition(draw: st.DrawFn, record_id: str | None = None) -> ThemeDefinition:
    return ThemeDefinition(
        id=ThemeId(
            record_id if record_id is not None else draw(ids().filter(_theme_id))
        ),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        provenance=_provenance(draw),
    )


def theme_definitions() -> st.SearchStrategy[ThemeDefinition]:
    """County-declared risk themes, never clashing with a built-in `RiskTheme`.

    Returns:
        A strategy for `ThemeDefinition` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import RiskTheme
        >>> @settings(max_examples=5)
        ... @given(theme_definitions())
        ... def check(theme):
        ...     assert theme.id not in {str(t) for t in RiskTheme}
        >>> check()

    Added in version 0.1.0.
    """
    return _theme_definition()


@st.composite
def _theme_supervision(
    draw: st.DrawFn,
    *,
    theme: str | None = None,
    themes: Pool = None,
    department_ids: Pool = None,
) -> ThemeSupervision:
    chosen = theme if theme is not None else _ref(draw, themes or _BUILTIN_THEMES)
    departments = _refs(draw, department_ids, min_size=1)
    lead = draw(_opt(st.sampled_from(departments)))
    return ThemeSupervision(
        theme=ThemeId(chosen),
        department_ids=departments,
        lead_id=None if lead is None else OrgId(lead),
        provenance=_provenance(draw),
    )


def theme_supervisions(
    *, themes: Pool = None, department_ids: Pool = None
) -> st.SearchStrategy[ThemeSupervision]:
    """Rows of the theme → supervising departments table, the lead among them.

    Args:
        themes: themes to supervise (``None``: the built-in ones).
        department_ids: departments to choose from (``None``: any ids).

    Returns:
        A strategy for `ThemeSupervision` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(theme_supervisions(department_ids=["d1", "d2"]))
        ... def check(row):
        ...     assert row.lead_id is None or row.lead_id in row.department_ids
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("themes", themes)
    _check_pool("department_ids", department_ids)
    return _theme_supervision(themes=themes, department_ids=department_ids)


# ------------------------------------------------------------------------ actors
@st.composite
def _party_committee(
    draw: st.DrawFn, record_id: str | None = None, *, admin_unit_ids: Pool = None
) -> PartyCommittee:
    return PartyCommittee(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        level=draw(_enum(AdminLevel)),
        admin_unit_id=_opt_ref(draw, admin_unit_ids),
        provenance=_provenance(draw),
    )


def party_committees(
    *, admin_unit_ids: Pool = None
) -> st.SearchStrategy[PartyCommittee]:
    """Party committees (党委/党工委), optionally naming the unit they lead.

    Args:
        admin_unit_ids: county, township, community or grid ids (``None``: any id).

    Returns:
        A strategy for `PartyCommittee` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(party_committees(admin_unit_ids=[]))
        ... def check(committee):
        ...     assert committee.admin_unit_id is None
        >>> check()

    Added in version 0.1.0.
    """
    return _party_committee(admin_unit_ids=admin_unit_ids)


@st.composite
def _government(
    draw: st.DrawFn, record_id: str | None = None, *, admin_unit_ids: Pool = None
) -> Government:
    level = draw(_enum(AdminLevel))
    unit = (
        _opt_ref(draw, admin_unit_ids)
        if level is AdminLevel.COUNTY
        else _ref(draw, admin_unit_ids)
    )
    return Government(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=draw(_enum(GovernmentKind)),
        level=level,
        admin_unit_id=unit,
        provenance=_provenance(draw),
    )


def governments(*, admin_unit_ids: Pool = None) -> st.SearchStrategy[Government]:
    """Governments and self-governing committees; below county level they name a unit.

    Args:
        admin_unit_ids: county, township, community or grid ids (``None``: any id).

    Returns:
        A strategy for `Government` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import AdminLevel
        >>> @settings(max_examples=10)
        ... @given(governments(admin_unit_ids=["county"]))
        ... def check(gov):
        ...     assert gov.level is AdminLevel.COUNTY or gov.admin_unit_id == "county"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("admin_unit_ids", admin_unit_ids)
    return _government(admin_unit_ids=admin_unit_ids)


@st.composite
def _department(
    draw: st.DrawFn, record_id: str | None = None, *, government_ids: Pool = None
) -> Department:
    government = _opt_ref(draw, government_ids)
    return Department(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=draw(_enum(DepartmentKind)),
        level=draw(_enum(AdminLevel)),
        government_id=None if government is None else OrgId(government),
        provenance=_provenance(draw),
    )


def departments(*, government_ids: Pool = None) -> st.SearchStrategy[Department]:
    """Functional (industry) departments, optionally under one of ``government_ids``.

    Args:
        government_ids: governments a department may belong to (``None``: any id).

    Returns:
        A strategy for `Department` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(departments(government_ids=["g1"]))
        ... def check(dep):
        ...     assert dep.government_id in {None, "g1"}
        >>> check()

    Added in version 0.1.0.
    """
    return _department(government_ids=government_ids)


@st.composite
def _sub_bureau(
    draw: st.DrawFn, record_id: str | None = None, *, department_ids: Pool = None
) -> PoliceSubBureau:
    department = _opt_ref(draw, department_ids)
    return PoliceSubBureau(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        department_id=None if department is None else OrgId(department),
        priority=draw(_opt(st.integers(-_MAX_INT, _MAX_INT))),
        provenance=_provenance(draw),
    )


def sub_bureaus(*, department_ids: Pool = None) -> st.SearchStrategy[PoliceSubBureau]:
    """Public security sub-bureaus (公安分局), optionally under a department.

    Args:
        department_ids: departments a sub-bureau may belong to (``None``: any id).

    Returns:
        A strategy for `PoliceSubBureau` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(sub_bureaus(department_ids=[]))
        ... def check(bureau):
        ...     assert bureau.department_id is None
        >>> check()

    Added in version 0.1.0.
    """
    return _sub_bureau(department_ids=department_ids)


@st.composite
def _local_feature(draw: st.DrawFn) -> LocalFeature:
    return LocalFeature(
        name_zh=draw(_TEXTS),
        description=_opt_text(draw),
        provenance=_provenance(draw),
    )


def local_features() -> st.SearchStrategy[LocalFeature]:
    """A station's local feature (一区一亮点).

    Returns:
        A strategy for `LocalFeature` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(local_features())
        ... def check(feature):
        ...     assert feature.name_zh.strip()
        >>> check()

    Added in version 0.1.0.
    """
    return _local_feature()


@st.composite
def _police_station(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    kind: StationKind | None = None,
    jurisdiction: Sequence[str] | None = None,
    community_ids: Pool = None,
    sub_bureau_ids: Pool = None,
    theme_ids: Pool = None,
) -> PoliceStation:
    sub_bureau = _opt_ref(draw, sub_bureau_ids)
    return PoliceStation(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=kind if kind is not None else draw(_enum(StationKind)),
        sub_bureau_id=None if sub_bureau is None else OrgId(sub_bureau),
        jurisdiction=(
            jurisdiction if jurisdiction is not None else _refs(draw, community_ids)
        ),
        themes=_refs(draw, _BUILTIN_THEMES if theme_ids is None else theme_ids),
        local_feature=draw(_opt(_local_feature())),
        mediation_link=draw(_opt(_enum(PoliceMediationLink))),
        provenance=_provenance(draw),
    )


def police_stations(
    *,
    community_ids: Pool = None,
    sub_bureau_ids: Pool = None,
    theme_ids: Pool = None,
) -> st.SearchStrategy[PoliceStation]:
    """Police stations (派出所) with a jurisdiction drawn from ``community_ids``.

    A County also needs the jurisdictions of its local stations to be disjoint;
    `counties` arranges that, this strategy draws one station at a time.

    Args:
        community_ids: communities the jurisdiction is drawn from (``None``: any ids).
        sub_bureau_ids: sub-bureaus the station may belong to (``None``: any id).
        theme_ids: themes the station works on (``None``: the built-in ones).

    Returns:
        A strategy for `PoliceStation` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(police_stations(community_ids=["c1", "c2"]))
        ... def check(station):
        ...     assert set(station.jurisdiction) <= {"c1", "c2"}
        >>> check()

    Added in version 0.1.0.
    """
    return _police_station(
        community_ids=community_ids,
        sub_bureau_ids=sub_bureau_ids,
        theme_ids=theme_ids,
    )


@st.composite
def _judicial_office(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    township_ids: Pool = None,
    station_ids: Pool = None,
) -> JudicialOffice:
    return JudicialOffice(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        township_id=TownshipId(_ref(draw, township_ids)),
        stationed_in=_refs(draw, station_ids),
        provenance=_provenance(draw),
    )


def judicial_offices(
    *, township_ids: Pool = None, station_ids: Pool = None
) -> st.SearchStrategy[JudicialOffice]:
    """Judicial offices (司法所) of a township, maybe stationed in police stations.

    Args:
        township_ids: townships the office serves (``None``: any id).
        station_ids: police stations its cadres may sit in (``None``: any ids).

    Returns:
        A strategy for `JudicialOffice` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(judicial_offices(township_ids=["t1"], station_ids=[]))
        ... def check(office):
        ...     assert office.township_id == "t1" and office.stationed_in == ()
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("township_ids", township_ids)
    return _judicial_office(township_ids=township_ids, station_ids=station_ids)


@st.composite
def _mediation_committee(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    member_ids: Pool = None,
    kind: CommitteeKind | None = None,
    community_ids: Pool = None,
    township_ids: Pool = None,
) -> MediationCommittee:
    members = _refs(draw, member_ids, min_size=3, max_size=9)
    community = _opt_ref(draw, community_ids)
    township = _opt_ref(draw, township_ids)
    return MediationCommittee(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=kind if kind is not None else draw(_enum(CommitteeKind)),
        community_id=None if community is None else CommunityId(community),
        township_id=None if township is None else TownshipId(township),
        member_ids=members,
        chair_id=PersonId(draw(st.sampled_from(members))),
        provenance=_provenance(draw),
    )


def mediation_committees(
    *,
    member_ids: Pool = None,
    community_ids: Pool = None,
    township_ids: Pool = None,
) -> st.SearchStrategy[MediationCommittee]:
    """People's mediation committees: 3 to 9 members, the chair among them.

    The women-member and grassroots make-up rules need the members' `Person`
    records and are checked by the County; `counties` satisfies them.

    Args:
        member_ids: people to draw the 3-9 members from (``None``: any ids).
        community_ids: communities the committee may belong to (``None``: any id).
        township_ids: townships the committee may belong to (``None``: any id).

    Returns:
        A strategy for `MediationCommittee` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(mediation_committees(member_ids=["a", "b", "c", "d"]))
        ... def check(mc):
        ...     assert 3 <= len(mc.member_ids) <= 4 and mc.chair_id in mc.member_ids
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("member_ids", member_ids, min_size=3)
    return _mediation_committee(
        member_ids=member_ids, community_ids=community_ids, township_ids=township_ids
    )


@st.composite
def _entity(
    draw: st.DrawFn, record_id: str | None = None, *, community_ids: Pool = None
) -> Entity:
    community = _opt_ref(draw, community_ids)
    return Entity(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=draw(_enum(EntityKind)),
        community_id=None if community is None else CommunityId(community),
        provenance=_provenance(draw),
    )


def entities(*, community_ids: Pool = None) -> st.SearchStrategy[Entity]:
    """Owner entities (enterprises, schools...) bearing principal responsibility.

    Args:
        community_ids: communities the entity may sit in (``None``: any id).

    Returns:
        A strategy for `Entity` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(entities(community_ids=["c1"]))
        ... def check(entity):
        ...     assert entity.community_id in {None, "c1"}
        >>> check()

    Added in version 0.1.0.
    """
    return _entity(community_ids=community_ids)


@st.composite
def _leading_group(
    draw: st.DrawFn, record_id: str | None = None, *, org_ids: Pool = None
) -> LeadingGroup:
    return LeadingGroup(
        id=OrgId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        lead_org_id=OrgId(_ref(draw, org_ids)),
        member_org_ids=_refs(draw, org_ids),
        priority=draw(_opt(st.integers(-_MAX_INT, _MAX_INT))),
        provenance=_provenance(draw),
    )


def leading_groups(*, org_ids: Pool = None) -> st.SearchStrategy[LeadingGroup]:
    """Leading groups (领导小组) led by and made of organisations in ``org_ids``.

    Args:
        org_ids: organisations to lead and join the group (``None``: any ids).

    Returns:
        A strategy for `LeadingGroup` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(leading_groups(org_ids=["o1", "o2"]))
        ... def check(group):
        ...     assert group.lead_org_id in {"o1", "o2"}
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("org_ids", org_ids)
    return _leading_group(org_ids=org_ids)


@st.composite
def _paired_contact(
    draw: st.DrawFn, *, party_ids: Pool = None, station_ids: Pool = None
) -> PairedContact:
    return PairedContact(
        contact_id=_ref(draw, party_ids),
        station_id=OrgId(_ref(draw, station_ids)),
        provenance=_provenance(draw),
    )


def paired_contacts(
    *, party_ids: Pool = None, station_ids: Pool = None
) -> st.SearchStrategy[PairedContact]:
    """Paired contacts (对口联系) between a leader or unit and a police station.

    Args:
        party_ids: people or organisations making contact (``None``: any id).
        station_ids: police stations being helped (``None``: any id).

    Returns:
        A strategy for `PairedContact` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(paired_contacts(station_ids=["s1"]))
        ... def check(contact):
        ...     assert contact.station_id == "s1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("party_ids", party_ids)
    _check_pool("station_ids", station_ids)
    return _paired_contact(party_ids=party_ids, station_ids=station_ids)


@st.composite
def _person(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    org_ids: Pool = None,
    community_ids: Pool = None,
    grid_records: Sequence[Grid] | None = None,
) -> Person:
    org = _opt_ref(draw, org_ids)
    community = _opt_ref(draw, community_ids)
    if grid_records is None:
        grid = _opt_ref(draw, None) if community_ids is None else None
    else:
        candidates = [
            g.id
            for g in grid_records
            if community is None or g.community_id == community
        ]
        grid = _opt_ref(draw, candidates)
    return Person(
        id=PersonId(_own_id(draw, record_id)),
        display_name=draw(_TEXTS),
        roles=draw(st.frozensets(_enum(PersonRole), min_size=1, max_size=3)),
        org_id=None if org is None else OrgId(org),
        community_id=None if community is None else CommunityId(community),
        grid_id=None if grid is None else GridId(grid),
        sex=draw(_opt(_enum(Sex))),
        provenance=_provenance(draw),
    )


def people(
    *,
    org_ids: Pool = None,
    community_ids: Pool = None,
    grids: Sequence[Grid] | None = None,
) -> st.SearchStrategy[Person]:
    """People in one to three roles; a grid, when given, lies in their community.

    Args:
        org_ids: organisations a person may work for (``None``: any id).
        community_ids: communities a person may live in (``None``: any id).
        grids: grid records to choose the person's grid from, consistent with
            the community (``None``: any grid id, or none when ``community_ids`` is
            given).

    Returns:
        A strategy for `Person` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(people(org_ids=[], community_ids=[]))
        ... def check(person):
        ...     assert person.roles and person.community_id is None
        >>> check()

    Added in version 0.1.0.
    """
    return _person(org_ids=org_ids, community_ids=community_ids, grid_records=grids)


# ------------------------------------------------------------------------ rentals
@st.composite
def _security_pledge(draw: st.DrawFn, *, station_ids: Pool = None) -> SecurityPledge:
    station = _opt_ref(draw, station_ids)
    return SecurityPledge(
        kind=draw(_enum(PledgeKind)),
        signed_on=draw(_DATES),
        station_id=None if station is None else OrgId(station),
    )


def security_pledges(*, station_ids: Pool = None) -> st.SearchStrategy[SecurityPledge]:
    """Landlords' security pledges, optionally filed with a police station.

    Args:
        station_ids: stations the pledge may be filed with (``None``: any id).

    Returns:
        A strategy for `SecurityPledge` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(security_pledges(station_ids=[]))
        ... def check(pledge):
        ...     assert pledge.station_id is None
        >>> check()

    Added in version 0.1.0.
    """
    return _security_pledge(station_ids=station_ids)


@st.composite
def _tenancy(draw: st.DrawFn, *, tenant_ids: Pool = None) -> Tenancy:
    moved_in = draw(_DATES)
    return Tenancy(
        tenant_id=PersonId(_ref(draw, tenant_ids)),
        moved_in=moved_in,
        moved_out=_opt_later(draw, moved_in),
    )


def tenancies(*, tenant_ids: Pool = None) -> st.SearchStrategy[Tenancy]:
    """Tenancies whose move-out, if any, is not before the move-in.

    Args:
        tenant_ids: people who may be tenants (``None``: any id).

    Returns:
        A strategy for `Tenancy` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(tenancies())
        ... def check(t):
        ...     assert t.moved_out is None or t.moved_in <= t.moved_out
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("tenant_ids", tenant_ids)
    return _tenancy(tenant_ids=tenant_ids)


@st.composite
def _rental(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    community_ids: Pool = None,
    landlord_ids: Pool = None,
    tenant_ids: Pool = None,
    station_ids: Pool = None,
) -> RentalHouse:
    status = draw(_enum(PlaqueStatus))
    pledge_strategy = _security_pledge(station_ids=station_ids)
    pledge = (
        draw(pledge_strategy)
        if status is PlaqueStatus.LISTED
        else draw(_opt(pledge_strategy))
    )
    stays: list[Tenancy] = []
    if tenant_ids is None or tenant_ids:
        stays = draw(st.lists(_tenancy(tenant_ids=tenant_ids), max_size=2))
    return RentalHouse(
        id=RentalId(_own_id(draw, record_id)),
        address=draw(_TEXTS),
        community_id=CommunityId(_ref(draw, community_ids)),
        landlord_id=PersonId(_ref(draw, landlord_ids)),
        kind=draw(_enum(RentalKind)),
        units=draw(st.integers(1, _MAX_INT)),
        plaque_status=status,
        pledge=pledge,
        tenancies=stays,
        inspection_every_days=draw(_opt(st.integers(1, 3650))),
        provenance=_provenance(draw),
    )


def rentals(
    *,
    community_ids: Pool = None,
    landlord_ids: Pool = None,
    tenant_ids: Pool = None,
    station_ids: Pool = None,
) -> st.SearchStrategy[RentalHouse]:
    """Rental houses; a listed (挂牌) one always has a signed pledge.

    A County also wants the landlord recorded with the `PersonRole.LANDLORD` role;
    `counties` arranges that.

    Args:
        community_ids: communities the house may be in (``None``: any id).
        landlord_ids: people who may own it (``None``: any id).
        tenant_ids: people who may rent it (``None``: any ids; empty: no tenancies).
        station_ids: stations a pledge may be filed with (``None``: any id).

    Returns:
        A strategy for `RentalHouse` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import PlaqueStatus
        >>> @settings(max_examples=10)
        ... @given(rentals())
        ... def check(house):
        ...     if house.plaque_status is PlaqueStatus.LISTED:
        ...         assert house.pledge is not None
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    _check_pool("landlord_ids", landlord_ids)
    return _rental(
        community_ids=community_ids,
        landlord_ids=landlord_ids,
        tenant_ids=tenant_ids,
        station_ids=station_ids,
    )


# -------------------------------------------------------------------------- risks
@st.composite
def _supervisor_override(
    draw: st.DrawFn, *, department_ids: Pool = None
) -> SupervisorOverride:
    return SupervisorOverride(
        department_id=OrgId(_ref(draw, department_ids)), reason=draw(_TEXTS)
    )


def supervisor_overrides(
    *, department_ids: Pool = None
) -> st.SearchStrategy[SupervisorOverride]:
    """A risk point's own supervising department, with a reason.

    Args:
        department_ids: departments to choose from (``None``: any id).

    Returns:
        A strategy for `SupervisorOverride` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(supervisor_overrides(department_ids=["d1"]))
        ... def check(override):
        ...     assert override.department_id == "d1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("department_ids", department_ids)
    return _supervisor_override(department_ids=department_ids)


@st.composite
def _responsible_parties(
    draw: st.DrawFn, *, party_ids: Pool = None, complete: bool = False
) -> ResponsibleParties:
    least = 1 if complete else 0
    return ResponsibleParties(
        territorial=_refs(draw, party_ids, min_size=least),
        principal=_refs(draw, party_ids, min_size=least),
        supervisory=_refs(draw, party_ids, min_size=least),
    )


def responsible_parties(
    *, party_ids: Pool = None, complete: bool = False
) -> st.SearchStrategy[ResponsibleParties]:
    """Holders of the three responsibilities (属地/主体/主管) for one risk point.

    Args:
        party_ids: people or organisations to choose holders from (``None``: any).
        complete: when true, every responsibility has at least one holder, as
            `RiskPoint.control` requires.

    Returns:
        A strategy for `ResponsibleParties` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(responsible_parties(complete=True))
        ... def check(parties):
        ...     assert parties.missing() == ()
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("party_ids", party_ids)
    return _responsible_parties(party_ids=party_ids, complete=complete)


@st.composite
def _risk_point(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    community_ids: Pool = None,
    themes: Pool = None,
    owner_ids: Pool = None,
    campaign_ids: Pool = None,
    department_ids: Pool = None,
    max_steps: int = 6,
) -> RiskPoint:
    identified_on = draw(_DATES)
    campaign = _opt_ref(draw, campaign_ids)
    override = (
        None
        if department_ids is not None and not department_ids
        else draw(_opt(_supervisor_override(department_ids=department_ids)))
    )
    point = RiskPoint(
        id=RiskPointId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        community_id=CommunityId(_ref(draw, community_ids)),
        theme=ThemeId(_ref(draw, themes or _BUILTIN_THEMES)),
        subject_kind=draw(_enum(RiskSubjectKind)),
        domain=draw(_enum(RiskDomain)),
        likelihood=draw(st.integers(1, 5)),
        severity=draw(st.integers(1, 5)),
        level=draw(_opt(_enum(RiskLevel))),
        owner_id=_opt_ref(draw, owner_ids),
        supervisor_override=override,
        origin=draw(_enum(RiskOrigin)),
        identified_on=identified_on,
        review_every_days=draw(_opt(st.integers(1, 3650))),
        controls=draw(st.lists(texts(), max_size=2)),
        campaign_id=None if campaign is None else CampaignId(campaign),
        description=_opt_text(draw),
        provenance=_provenance(draw),
    )
    today = identified_on
    for _ in range(draw(st.integers(0, max_steps))):
        moves = _RISK_MOVES[point.status]
        if not moves:
            break
        move = draw(st.sampled_from(moves))
        today = _later(draw, today)
        if move == "grade":
            point = point.grade(draw(_enum(RiskLevel)), on=today)
        elif move == "control":
            parties = draw(_responsible_parties(complete=True))
            point = point.control(on=today, parties=parties)
        elif move == "review":
            point = point.review(on=today)
        else:
            point = point.close(on=today)
    return point


_RISK_MOVES: Final[dict[RiskPointStatus, tuple[str, ...]]] = {
    RiskPointStatus.IDENTIFIED: ("grade",),
    RiskPointStatus.GRADED: ("control", "grade"),
    RiskPointStatus.CONTROLLED: ("review",),
    RiskPointStatus.MONITORING: ("review", "close", "grade"),
    RiskPointStatus.CLOSED: (),
}


def risk_points(
    *,
    community_ids: Pool = None,
    themes: Pool = None,
    owner_ids: Pool = None,
    campaign_ids: Pool = None,
    department_ids: Pool = None,
    max_steps: int = 6,
) -> st.SearchStrategy[RiskPoint]:
    """Risk points driven through a random legal grade/control/review/close path.

    Args:
        community_ids: communities the risk may be in (``None``: any id).
        themes: themes to file it under (``None``: the built-in ones).
        owner_ids: parties that may own it (``None``: any id).
        campaign_ids: campaigns that may have found it (``None``: any id).
        department_ids: departments for a supervisor override (``None``: any id).
        max_steps: the most lifecycle steps to take.

    Returns:
        A strategy for `RiskPoint` records in any lifecycle state.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import RiskPointStatus
        >>> @settings(max_examples=10)
        ... @given(risk_points(community_ids=["c1"], themes=["railway"]))
        ... def check(rp):
        ...     assert rp.status is RiskPointStatus.IDENTIFIED or rp.level is not None
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    _check_pool("themes", themes)
    _check_non_negative("max_steps", max_steps)
    return _risk_point(
        community_ids=community_ids,
        themes=themes,
        owner_ids=owner_ids,
        campaign_ids=campaign_ids,
        department_ids=department_ids,
        max_steps=max_steps,
    )


@st.composite
def _hazard(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    risk_point_ids: Pool = None,
    owner_ids: Pool = None,
) -> Hazard:
    found_on = draw(_DATES)
    hazard = Hazard(
        id=HazardId(_own_id(draw, record_id)),
        risk_point_id=RiskPointId(_ref(draw, risk_point_ids)),
        description=draw(_TEXTS),
        found_on=found_on,
        rectify_by=_later(draw, found_on, 365),
        owner_id=PartyId(_ref(draw, owner_ids)),
        provenance=_provenance(draw),
    )
    steps = draw(st.integers(0, 3))
    today = found_on
    if steps >= 1:
        hazard = hazard.start_rectification()
    if steps >= 2:  # noqa: PLR2004  # the second step of the lifecycle
        today = _later(draw, today)
        hazard = hazard.verify(on=today)
    if steps >= 3:  # noqa: PLR2004  # the third step
        hazard = hazard.close(on=_later(draw, today))
    return hazard


def hazards(
    *, risk_point_ids: Pool = None, owner_ids: Pool = None
) -> st.SearchStrategy[Hazard]:
    """Hazards (隐患) in any state, reached by found → rectifying → verified → closed.

    Args:
        risk_point_ids: risk points the hazard belongs to (``None``: any id).
        owner_ids: parties that must rectify it (``None``: any id).

    Returns:
        A strategy for `Hazard` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(hazards(risk_point_ids=["rp1"]))
        ... def check(hazard):
        ...     assert hazard.found_on <= hazard.rectify_by
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("risk_point_ids", risk_point_ids)
    _check_pool("owner_ids", owner_ids)
    return _hazard(risk_point_ids=risk_point_ids, owner_ids=owner_ids)


# ----------------------------------------------------------------------- disputes
def dispute_parties(*, party_ids: Pool = None) -> st.SearchStrategy[DisputeParty]:
    """One party to a dispute, applicant or respondent.

    Args:
        party_ids: people or organisations to choose from (``None``: any id).

    Returns:
        A strategy for `DisputeParty` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(dispute_parties(party_ids=["a"]))
        ... def check(party):
        ...     assert party.party_id == "a"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("party_ids", party_ids)
    chosen = ids() if party_ids is None else st.sampled_from(party_ids)
    return st.builds(
        DisputeParty,
        party_id=chosen.map(PartyId),
        role=_enum(PartyRole),
    )


@st.composite
def _agreement(
    draw: st.DrawFn,
    *,
    party_ids: Pool = None,
    recorder_ids: Pool = None,
    effective_for: Sequence[str] | None = None,
    reached_on: date | None = None,
) -> MediationAgreement:
    form = draw(_enum(AgreementForm))
    reached = reached_on if reached_on is not None else draw(_DATES)
    recorder = _opt_ref(draw, recorder_ids)
    if form is AgreementForm.ORAL and recorder is None:
        recorder = _ref(draw, recorder_ids or None)
    if effective_for is not None and form is AgreementForm.WRITTEN:
        extra = _refs(draw, party_ids, exclude=frozenset(effective_for), max_size=1)
        signers = tuple(draw(st.permutations([*effective_for, *extra])))
        signed_on: date | None = _later(draw, reached, 5)
        mediator_signed = sealed = True
    else:
        signers = _refs(draw, party_ids)
        signed_on = _opt_later(draw, reached, 30)
        mediator_signed = draw(_BOOLS)
        sealed = draw(_BOOLS)
    return MediationAgreement(
        form=form,
        reached_on=reached,
        content=draw(_TEXTS),
        performance_terms=_opt_text(draw),
        signed_by=signers,
        signed_on=signed_on,
        mediator_signed=mediator_signed,
        committee_sealed=sealed,
        recorded_by=None if recorder is None else PersonId(recorder),
    )


def mediation_agreements(
    *, party_ids: Pool = None, recorder_ids: Pool = None
) -> st.SearchStrategy[MediationAgreement]:
    """Written or oral mediation agreements, effective or not yet.

    An oral agreement always names the mediator who recorded it (art. 28).

    Args:
        party_ids: parties who may sign (``None``: any ids).
        recorder_ids: mediators who may record it (``None``: any id).

    Returns:
        A strategy for `MediationAgreement` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(mediation_agreements())
        ... def check(agreement):
        ...     assert agreement.signed_on is None or (
        ...         agreement.reached_on <= agreement.signed_on
        ...     )
        >>> check()

    Added in version 0.1.0.
    """
    return _agreement(party_ids=party_ids, recorder_ids=recorder_ids)


@st.composite
def _confirmation(
    draw: st.DrawFn,
    *,
    applicant_ids: Pool = None,
    applied_on: date | None = None,
    jointly: Sequence[str] = (),
) -> JudicialConfirmation:
    applied = applied_on if applied_on is not None else draw(_DATES)
    applicants = tuple(
        dict.fromkeys(
            [*jointly, *_refs(draw, applicant_ids, exclude=frozenset(jointly))]
        )
    )
    result = draw(_enum(ConfirmationResult))
    decided = (
        _later(draw, applied)
        if result is not ConfirmationResult.PENDING
        else _opt_later(draw, applied)
    )
    return JudicialConfirmation(
        applied_on=applied,
        applicant_ids=applicants,
        court=draw(_TEXTS),
        result=result,
        decided_on=decided,
    )


def judicial_confirmations(
    *, applicant_ids: Pool = None
) -> st.SearchStrategy[JudicialConfirmation]:
    """Applications for judicial confirmation; a decided one has its decision date.

    Args:
        applicant_ids: parties who may apply (``None``: any ids).

    Returns:
        A strategy for `JudicialConfirmation` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.model import ConfirmationResult
        >>> @settings(max_examples=10)
        ... @given(judicial_confirmations())
        ... def check(c):
        ...     assert c.result is ConfirmationResult.PENDING or c.decided_on
        >>> check()

    Added in version 0.1.0.
    """
    return _confirmation(applicant_ids=applicant_ids)


@st.composite
def _follow_up(
    draw: st.DrawFn, *, person_ids: Pool = None, on: date | None = None
) -> FollowUp:
    by = _opt_ref(draw, person_ids)
    return FollowUp(
        on=on if on is not None else draw(_DATES),
        by_id=None if by is None else PersonId(by),
        performed=draw(_BOOLS),
        new_risk=draw(_BOOLS),
        note=_opt_text(draw),
    )


def follow_ups(*, person_ids: Pool = None) -> st.SearchStrategy[FollowUp]:
    """Follow-up visits (回访) on how an agreement is performed.

    Args:
        person_ids: people who may visit (``None``: any id).

    Returns:
        A strategy for `FollowUp` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(follow_ups(person_ids=[]))
        ... def check(visit):
        ...     assert visit.by_id is None
        >>> check()

    Added in version 0.1.0.
    """
    return _follow_up(person_ids=person_ids)


_HANDLED: Final = frozenset(
    {DisputeStatus.CLOSED, DisputeStatus.REFERRED, DisputeStatus.ESCALATED_TO_POLICE}
)


def _dispute_moves(d: Dispute, today: date) -> list[str]:
    """The lifecycle methods whose guards hold for ``d`` on ``today``."""
    status = d.status
    moves = [a for (s, a) in DISPUTE_TRANSITIONS if s is status]
    if status is DisputeStatus.PERFORMED and not d.follow_ups:
        moves.remove("close")
    if status in {DisputeStatus.AGREED, DisputeStatus.PERFORMED}:
        moves.append("follow_up")
        effective = d.agreement_effective_on
        if (
            d.confirmation is None
            and effective is not None
            and (date.max - effective) >= CONFIRMATION_WINDOW
            and today <= effective + CONFIRMATION_WINDOW
        ):
            moves.append("apply_for_confirmation")
        if (
            d.confirmation is not None
            and d.confirmation.result is ConfirmationResult.PENDING
        ):
            moves.append("record_confirmation_result")
    if status not in _HANDLED and d.handling_level is not HandlingLevel.DISTRICT:
        moves.append("escalate_level")
    return moves


def _dispute_step(  # noqa: PLR0911  # one branch per lifecycle method
    draw: st.DrawFn,
    d: Dispute,
    move: str,
    today: date,
    *,
    handler_ids: Pool,
    mediator_ids: Pool,
) -> Dispute:
    if move == "accept":
        return d.accept(on=today)
    if move == "assign":
        return d.assign(
            on=today,
            channel=draw(_enum(MediationChannel)),
            handler_id=OrgId(_ref(draw, handler_ids)),
            mediator_ids=[PersonId(m) for m in _refs(draw, mediator_ids)],
        )
    if move == "refuse":
        return d.refuse(on=today, by=draw(st.sampled_from(d.party_ids)))
    if move == "agree":
        agreement = draw(
            _agreement(
                recorder_ids=mediator_ids,
                effective_for=d.party_ids,
                reached_on=today,
            )
        )
        return d.agree(agreement)
    if move in {"terminate", "escalate_to_police", "close", "perform", "reopen"}:
        method = getattr(d, move)
        result: Dispute = method(on=today)
        return result
    if move == "refer":
        return d.refer(on=today, route=draw(_enum(ReferralRoute)))
    if move == "follow_up":
        return d.follow_up(draw(_follow_up(person_ids=mediator_ids, on=today)))
    if move == "apply_for_confirmation":
        confirmation = draw(_confirmation(applied_on=today, jointly=d.party_ids))
        pending = attrs.evolve(
            confirmation, result=ConfirmationResult.PENDING, decided_on=None
        )
        return d.apply_for_confirmation(pending)
    if move == "record_confirmation_result":
        result_ = draw(
            st.sampled_from([ConfirmationResult.VALID, ConfirmationResult.INVALID])
        )
        return d.record_confirmation_result(result_, on=today)
    higher = [lv for lv in HandlingLevel if lv > d.handling_level]
    return d.escalate_level(draw(st.sampled_from(higher)))


@st.composite
def _dispute(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    community_ids: Pool = None,
    party_ids: Pool = None,
    grid_records: Sequence[Grid] | None = None,
    handler_ids: Pool = None,
    mediator_ids: Pool = None,
    max_steps: int = 8,
) -> Dispute:
    community = _ref(draw, community_ids)
    if grid_records is None:
        grid = _opt_ref(draw, None) if community_ids is None else None
    else:
        grid = _opt_ref(
            draw, [g.id for g in grid_records if g.community_id == community]
        )
    party_ids_ = _refs(draw, party_ids, min_size=2, max_size=4)
    reported_on = draw(_DATES)
    dispute = Dispute(
        id=DisputeId(_own_id(draw, record_id)),
        type=draw(_enum(DisputeType)),
        community_id=CommunityId(community),
        grid_id=None if grid is None else GridId(grid),
        origin=draw(_enum(DisputeOrigin)),
        summary=draw(_TEXTS),
        parties=[
            DisputeParty(party_id=PartyId(p), role=draw(_enum(PartyRole)))
            for p in party_ids_
        ],
        reported_on=reported_on,
        handling_level=draw(_enum(HandlingLevel)),
        escalation_risk=draw(_BOOLS),
        deadline_extended_to=_opt_later(draw, reported_on, 90),
        provenance=_provenance(draw),
    )
    today = reported_on
    for _ in range(draw(st.integers(0, max_steps))):
        moves = _dispute_moves(dispute, today)
        if not moves:
            break
        move = draw(st.sampled_from(moves))
        today = _later(draw, today, 10)
        if move == "apply_for_confirmation" and dispute.confirmation_deadline:
            today = min(today, dispute.confirmation_deadline)
        dispute = _dispute_step(
            draw,
            dispute,
            move,
            today,
            handler_ids=handler_ids,
            mediator_ids=mediator_ids,
        )
        if dispute.agreement is not None and dispute.agreement.signed_on is not None:
            today = max(today, dispute.agreement.signed_on)
    return dispute


def disputes(
    *,
    community_ids: Pool = None,
    party_ids: Pool = None,
    grids: Sequence[Grid] | None = None,
    handler_ids: Pool = None,
    mediator_ids: Pool = None,
    max_steps: int = 8,
) -> st.SearchStrategy[Dispute]:
    """Disputes driven through a random legal sequence of their lifecycle methods.

    Between two and four distinct parties; each step happens on or after the one
    before; People's Mediation Law guards are respected (refusal by a party, written
    agreements signed and sealed, joint confirmation within 30 days).

    Args:
        community_ids: communities the dispute may arise in (``None``: any id).
        party_ids: people or organisations to draw 2-4 parties from (``None``: any).
        grids: grid records; the dispute's grid, if any, lies in its community
            (``None``: any grid id, or none when ``community_ids`` is given).
        handler_ids: organisations that may handle it (``None``: any id).
        mediator_ids: people who may mediate, record and visit (``None``: any ids).
        max_steps: the most lifecycle steps to take.

    Returns:
        A strategy for `Dispute` records in any reachable state.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(disputes(community_ids=["c1"], party_ids=["a", "b", "c"]))
        ... def check(d):
        ...     assert d.community_id == "c1" and len(set(d.party_ids)) >= 2
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    _check_pool("party_ids", party_ids, min_size=2)
    _check_non_negative("max_steps", max_steps)
    return _dispute(
        community_ids=community_ids,
        party_ids=party_ids,
        grid_records=grids,
        handler_ids=handler_ids,
        mediator_ids=mediator_ids,
        max_steps=max_steps,
    )


# -------------------------------------------------------------------- governance
@st.composite
def _mechanism(
    draw: st.DrawFn, record_id: str | None = None, *, org_ids: Pool = None
) -> LinkageMechanism:
    lead = _opt_ref(draw, org_ids)
    return LinkageMechanism(
        id=MechanismId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        lead_org_id=None if lead is None else OrgId(lead),
        member_org_ids=_refs(draw, org_ids),
        cadence=draw(_enum(Cadence)),
        triggers=draw(st.lists(texts(), max_size=2)),
        provenance=_provenance(draw),
    )


def mechanisms(*, org_ids: Pool = None) -> st.SearchStrategy[LinkageMechanism]:
    """Linkage mechanisms (联动机制) tying organisations together.

    Args:
        org_ids: organisations that may lead or join (``None``: any ids).

    Returns:
        A strategy for `LinkageMechanism` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(mechanisms(org_ids=["o1", "o2"]))
        ... def check(m):
        ...     assert set(m.member_org_ids) <= {"o1", "o2"}
        >>> check()

    Added in version 0.1.0.
    """
    return _mechanism(org_ids=org_ids)


@st.composite
def _meeting(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    mechanism_ids: Pool = None,
    org_ids: Pool = None,
) -> MechanismMeeting:
    return MechanismMeeting(
        id=_own_id(draw, record_id),
        mechanism_id=MechanismId(_ref(draw, mechanism_ids)),
        held_on=draw(_OPT_DATES),
        convened_by=OrgId(_ref(draw, org_ids)),
        participant_ids=_refs(draw, org_ids),
        topic=draw(_TEXTS),
        provenance=_provenance(draw),
    )


def mechanism_meetings(
    *, mechanism_ids: Pool = None, org_ids: Pool = None
) -> st.SearchStrategy[MechanismMeeting]:
    """Meetings held under a mechanism, convened by one organisation.

    Args:
        mechanism_ids: mechanisms the meeting is held under (``None``: any id).
        org_ids: organisations that convene and take part (``None``: any ids).

    Returns:
        A strategy for `MechanismMeeting` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(mechanism_meetings(mechanism_ids=["m1"], org_ids=["o1"]))
        ... def check(meeting):
        ...     assert meeting.convened_by == "o1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("mechanism_ids", mechanism_ids)
    _check_pool("org_ids", org_ids)
    return _meeting(mechanism_ids=mechanism_ids, org_ids=org_ids)


@st.composite
def _policy_document(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    org_ids: Pool = None,
    mechanism_ids: Pool = None,
) -> PolicyDocument:
    return PolicyDocument(
        id=DocumentId(_own_id(draw, record_id)),
        title_zh=draw(_TEXTS),
        title_en=_opt_text(draw),
        kind=draw(_enum(PolicyDocumentKind)),
        issuer_ids=_refs(draw, org_ids, min_size=1),
        issuer_offices=draw(st.lists(_enum(IssuerOffice), max_size=2, unique=True)),
        issued_on=draw(_OPT_DATES),
        establishes=_refs(draw, mechanism_ids),
        provenance=_provenance(draw),
    )


def policy_documents(
    *, org_ids: Pool = None, mechanism_ids: Pool = None
) -> st.SearchStrategy[PolicyDocument]:
    """Policy documents with at least one issuer, maybe establishing mechanisms.

    Args:
        org_ids: organisations that may issue it (``None``: any ids).
        mechanism_ids: mechanisms it may establish (``None``: any ids).

    Returns:
        A strategy for `PolicyDocument` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(policy_documents(org_ids=["o1"]))
        ... def check(doc):
        ...     assert doc.issuer_ids == ("o1",)
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("org_ids", org_ids)
    return _policy_document(org_ids=org_ids, mechanism_ids=mechanism_ids)


@st.composite
def _patrol_schedule(draw: st.DrawFn) -> PatrolSchedule:
    return PatrolSchedule(
        hours_per_day=draw(st.integers(1, 24)), days_per_week=draw(st.integers(1, 7))
    )


def patrol_schedules() -> st.SearchStrategy[PatrolSchedule]:
    """Patrol schedules: 1-24 hours a day, 1-7 days a week.

    Returns:
        A strategy for `PatrolSchedule` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(patrol_schedules())
        ... def check(schedule):
        ...     assert 1 <= schedule.hours_per_week <= 168
        >>> check()

    Added in version 0.1.0.
    """
    return _patrol_schedule()


@st.composite
def _patrol(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    station_ids: Pool = None,
    org_ids: Pool = None,
    community_ids: Pool = None,
) -> JointPatrol:
    return JointPatrol(
        id=PatrolId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        lead_station_id=OrgId(_ref(draw, station_ids)),
        member_org_ids=_refs(draw, org_ids),
        community_ids=_refs(draw, community_ids),
        places=draw(st.lists(texts(), max_size=2)),
        schedule=draw(_patrol_schedule()),
        provenance=_provenance(draw),
    )


def patrols(
    *, station_ids: Pool = None, org_ids: Pool = None, community_ids: Pool = None
) -> st.SearchStrategy[JointPatrol]:
    """Joint patrol teams led by a police station.

    Args:
        station_ids: stations that may lead (``None``: any id).
        org_ids: organisations that may take part (``None``: any ids).
        community_ids: communities patrolled (``None``: any ids).

    Returns:
        A strategy for `JointPatrol` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(patrols(station_ids=["s1"], community_ids=[]))
        ... def check(patrol):
        ...     assert patrol.lead_station_id == "s1" and patrol.community_ids == ()
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("station_ids", station_ids)
    return _patrol(
        station_ids=station_ids, org_ids=org_ids, community_ids=community_ids
    )


@st.composite
def _campaign(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    township_ids: Pool = None,
    risk_point_ids: Pool = None,
) -> Campaign:
    start = draw(_DATES)
    return Campaign(
        id=CampaignId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        start=start,
        end=_opt_later(draw, start),
        scope_township_ids=_refs(draw, township_ids),
        risk_point_ids=_refs(draw, risk_point_ids),
        provenance=_provenance(draw),
    )


def campaigns(
    *, township_ids: Pool = None, risk_point_ids: Pool = None
) -> st.SearchStrategy[Campaign]:
    """Screening campaigns over some townships, listing the risk points they found.

    Args:
        township_ids: townships in scope (``None``: any ids).
        risk_point_ids: risk points found (``None``: any ids).

    Returns:
        A strategy for `Campaign` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(campaigns())
        ... def check(c):
        ...     assert c.end is None or c.start <= c.end
        >>> check()

    Added in version 0.1.0.
    """
    return _campaign(township_ids=township_ids, risk_point_ids=risk_point_ids)


def seized_items() -> st.SearchStrategy[SeizedItem]:
    """Controlled items seized in an incident, with a count >= 0.

    Returns:
        A strategy for `SeizedItem` values.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(seized_items())
        ... def check(item):
        ...     assert item.count >= 0
        >>> check()

    Added in version 0.1.0.
    """
    return st.builds(SeizedItem, item=_enum(ControlledItem), count=_counts())


@st.composite
def _incident(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    community_ids: Pool = None,
    station_ids: Pool = None,
    person_ids: Pool = None,
) -> Incident:
    tip = _opt_ref(draw, person_ids)
    return Incident(
        id=IncidentId(_own_id(draw, record_id)),
        kind=draw(_enum(IncidentKind)),
        community_id=CommunityId(_ref(draw, community_ids)),
        station_id=OrgId(_ref(draw, station_ids)),
        occurred_on=draw(_OPT_DATES),
        origin=draw(_enum(RiskOrigin)),
        tip_from_id=None if tip is None else PersonId(tip),
        suspects_arrested=draw(_counts()),
        seized=draw(st.lists(seized_items(), max_size=2)),
        summary=draw(_TEXTS),
        provenance=_provenance(draw),
    )


def incidents(
    *, community_ids: Pool = None, station_ids: Pool = None, person_ids: Pool = None
) -> st.SearchStrategy[Incident]:
    """Cases and incidents handled by a station, maybe on a resident's tip.

    Args:
        community_ids: communities it may happen in (``None``: any id).
        station_ids: stations that may handle it (``None``: any id).
        person_ids: people who may have tipped it off (``None``: any id).

    Returns:
        A strategy for `Incident` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(incidents(community_ids=["c1"], station_ids=["s1"]))
        ... def check(incident):
        ...     assert incident.station_id == "s1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("community_ids", community_ids)
    _check_pool("station_ids", station_ids)
    return _incident(
        community_ids=community_ids, station_ids=station_ids, person_ids=person_ids
    )


@st.composite
def _outcome_metric(
    draw: st.DrawFn, record_id: str | None = None, *, org_ids: Pool = None
) -> OutcomeMetric:
    start = draw(_OPT_DATES)
    end = _opt_later(draw, start, 3650) if start is not None else draw(_OPT_DATES)
    scope = _opt_ref(draw, org_ids)
    return OutcomeMetric(
        id=MetricId(_own_id(draw, record_id)),
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        value=draw(st.floats(allow_nan=False, allow_infinity=False)),
        unit=draw(texts(max_size=4)),
        comparator=draw(_enum(MetricComparator)),
        period_start=start,
        period_end=end,
        scope_org_id=None if scope is None else OrgId(scope),
        harm_weighted=draw(_BOOLS),
        provenance=_provenance(draw),
    )


def outcome_metrics(*, org_ids: Pool = None) -> st.SearchStrategy[OutcomeMetric]:
    """Reported outcomes: any finite value, an ordered period, an optional scope.

    Args:
        org_ids: organisations the figure may be scoped to (``None``: any id).

    Returns:
        A strategy for `OutcomeMetric` records.

    Examples:
        >>> import math
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(outcome_metrics())
        ... def check(metric):
        ...     assert math.isfinite(metric.value)
        >>> check()

    Added in version 0.1.0.
    """
    return _outcome_metric(org_ids=org_ids)


# ---------------------------------------------------------------------- work plan
@st.composite
def _work_plan(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    org_ids: Pool = None,
    document_ids: Pool = None,
) -> WorkPlan:
    start = draw(_DATES)
    document = _opt_ref(draw, document_ids)
    return WorkPlan(
        id=_own_id(draw, record_id),
        title_zh=draw(_TEXTS),
        title_en=_opt_text(draw),
        document_id=None if document is None else DocumentId(document),
        owner_id=OrgId(_ref(draw, org_ids)),
        start=start,
        end=_later(draw, start, 3650),
        provenance=_provenance(draw),
    )


def work_plans(
    *, org_ids: Pool = None, document_ids: Pool = None
) -> st.SearchStrategy[WorkPlan]:
    """Implementation plans owned by an organisation, ending on or after they start.

    Args:
        org_ids: organisations that may own the plan (``None``: any id).
        document_ids: documents the plan may implement (``None``: any id).

    Returns:
        A strategy for `WorkPlan` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(work_plans(org_ids=["o1"]))
        ... def check(plan):
        ...     assert plan.start <= plan.end
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("org_ids", org_ids)
    return _work_plan(org_ids=org_ids, document_ids=document_ids)


@st.composite
def _key_item(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    plan_ids: Pool = None,
    org_ids: Pool = None,
) -> KeyWorkItem:
    return KeyWorkItem(
        id=KeyItemId(_own_id(draw, record_id)),
        plan_id=_ref(draw, plan_ids),
        number=draw(st.integers(-_MAX_INT, _MAX_INT)),
        title_zh=draw(_TEXTS),
        title_en=_opt_text(draw),
        lead_owner_id=OrgId(_ref(draw, org_ids)),
        provenance=_provenance(draw),
    )


def key_work_items(
    *, plan_ids: Pool = None, org_ids: Pool = None
) -> st.SearchStrategy[KeyWorkItem]:
    """Key work items (重点工作) of a plan, each with a lead owner.

    Args:
        plan_ids: plans the item belongs to (``None``: any id).
        org_ids: organisations that may lead it (``None``: any id).

    Returns:
        A strategy for `KeyWorkItem` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5)
        ... @given(key_work_items(plan_ids=["p1"]))
        ... def check(item):
        ...     assert item.plan_id == "p1"
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("plan_ids", plan_ids)
    _check_pool("org_ids", org_ids)
    return _key_item(plan_ids=plan_ids, org_ids=org_ids)


@st.composite
def _planned_task(
    draw: st.DrawFn,
    record_id: str | None = None,
    *,
    key_item_ids: Pool = None,
    org_ids: Pool = None,
) -> Task:
    lead = _ref(draw, org_ids)
    start = draw(_OPT_DATES)
    deadline = _later(draw, start, 400) if start is not None else draw(_DATES)
    return Task(
        id=TaskId(_own_id(draw, record_id)),
        key_item_id=KeyItemId(_ref(draw, key_item_ids)),
        title_zh=draw(_TEXTS),
        title_en=_opt_text(draw),
        lead_owner_id=OrgId(lead),
        co_owner_ids=_refs(draw, org_ids, exclude=frozenset({lead})),
        start=start,
        deadline=deadline,
        evidence_required=draw(st.lists(texts(), max_size=2)),
        supervision=draw(_enum(SupervisionLevel)),
        provenance=_provenance(draw),
    )


_Step = tuple[TaskAction, SupervisionLevel | None, str | None]


@st.composite
def _task_steps(draw: st.DrawFn, max_steps: int) -> list[_Step]:
    """A legal sequence of ledger actions for a task starting out planned."""
    status = TaskStatus.PLANNED
    steps: list[_Step] = []
    for _ in range(draw(st.integers(0, max_steps))):
        options = [a for (s, a) in TASK_TRANSITIONS if s is status]
        if status is not TaskStatus.CLOSED:
            options += [TaskAction.NOTE, TaskAction.SUPERVISE]
        if not options:
            break
        action = draw(st.sampled_from(options))
        supervision = (
            draw(_enum(SupervisionLevel)) if action is TaskAction.SUPERVISE else None
        )
        steps.append((action, supervision, _opt_text(draw)))
        status = TASK_TRANSITIONS.get((status, action), status)
    return steps


@st.composite
def _task(
    draw: st.DrawFn,
    *,
    key_item_ids: Pool = None,
    org_ids: Pool = None,
    max_steps: int = 6,
) -> Task:
    task = draw(_planned_task(key_item_ids=key_item_ids, org_ids=org_ids))
    today = draw(_DATES)
    for action, supervision, evidence in draw(_task_steps(max_steps)):
        today = _later(draw, today)
        task = task.apply(
            action,
            on=today,
            evidence=() if evidence is None else (evidence,),
            supervision=supervision,
        )
    return task


def tasks(
    *, key_item_ids: Pool = None, org_ids: Pool = None, max_steps: int = 6
) -> st.SearchStrategy[Task]:
    """Tasks driven through a random legal sequence of `Task.apply` actions.

    The lead owner is never among the co-owners; dates move forward.
    To get tasks that agree with a ledger, use `ledgers` and `replay_task`, as
    `counties` does.

    Args:
        key_item_ids: key work items the task belongs to (``None``: any id).
        org_ids: organisations that may own the task (``None``: any ids).
        max_steps: the most actions to apply.

    Returns:
        A strategy for `Task` records in any reachable state.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(tasks(org_ids=["o1", "o2"]))
        ... def check(task):
        ...     assert task.lead_owner_id not in task.co_owner_ids
        >>> check()

    Added in version 0.1.0.
    """
    _check_pool("key_item_ids", key_item_ids)
    _check_pool("org_ids", org_ids)
    _check_non_negative("max_steps", max_steps)
    return _task(key_item_ids=key_item_ids, org_ids=org_ids, max_steps=max_steps)


@st.composite
def _instants(draw: st.DrawFn, count: int) -> list[datetime]:
    """``count`` non-decreasing aware datetimes, each in its own UTC offset."""
    start = draw(st.datetimes(min_value=_LEDGER_START, max_value=_LEDGER_END)).replace(
        tzinfo=UTC
    )
    gaps = draw(
        st.lists(
            st.just(0) | st.integers(0, 10 * 24 * 3600 * 10**6),
            min_size=count,
            max_size=count,
        )
    )
    out: list[datetime] = []
    moment = start
    for gap in gaps:
        moment += timedelta(microseconds=gap)
        out.append(moment.astimezone(draw(_offsets())))
    return out


@st.composite
def _ledger(
    draw: st.DrawFn,
    *,
    task_ids: Sequence[str],
    actor_ids: Pool = None,
    max_per_task: int = 6,
) -> tuple[LedgerEntry, ...]:
    plan = {tid: draw(_task_steps(max_per_task)) for tid in task_ids}
    order = draw(st.permutations([tid for tid in task_ids for _ in plan[tid]]))
    moments = draw(_instants(len(order)))
    cursor = dict.fromkeys(task_ids, 0)
    entries: list[LedgerEntry] = []
    for seq, (tid, at) in enumerate(zip(order, moments, strict=True), start=1):
        action, supervision, evidence = plan[tid][cursor[tid]]
        cursor[tid] += 1
        entries.append(
            LedgerEntry(
                seq=seq,
                at=at,
                task_id=TaskId(tid),
                actor_id=PartyId(_ref(draw, actor_ids)),
                action=action,
                note=_opt_text(draw),
                evidence_ref=evidence,
                supervision=supervision,
            )
        )
    return tuple(entries)


def ledgers(
    *, task_ids: Sequence[str], actor_ids: Pool = None, max_per_task: int = 6
) -> st.SearchStrategy[tuple[LedgerEntry, ...]]:
    """A task ledger (台账) that replays legally for every task starting out planned.

    Entries of different tasks interleave; ``seq`` runs 1, 2, 3... and the
    timestamps, each in some UTC offset, never go back in time.

    Args:
        task_ids: the tasks the ledger records (distinct ids).
        actor_ids: people or organisations acting (``None``: any id).
        max_per_task: the most entries per task.

    Returns:
        A strategy for tuples of `LedgerEntry`.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(ledgers(task_ids=["t1", "t2"]))
        ... def check(ledger):
        ...     assert [e.seq for e in ledger] == list(range(1, len(ledger) + 1))
        ...     assert all(a.at <= b.at for a, b in zip(ledger, ledger[1:]))
        >>> check()

    Added in version 0.1.0.
    """
    if len(set(task_ids)) != len(task_ids):
        msg = "task_ids must be distinct"
        raise InvalidArgument(msg)
    _check_pool("actor_ids", actor_ids)
    _check_non_negative("max_per_task", max_per_task)
    return _ledger(
        task_ids=list(task_ids), actor_ids=actor_ids, max_per_task=max_per_task
    )


# ------------------------------------------------------------------------ county
#: Record collections of a County with ids, in the order ids are handed out.
_ID_COLLECTIONS: Final = (
    "themes",
    "townships",
    "communities",
    "grids",
    "party_committees",
    "governments",
    "departments",
    "sub_bureaus",
    "police_stations",
    "judicial_offices",
    "mediation_committees",
    "entities",
    "leading_groups",
    "people",
    "rentals",
    "risk_points",
    "hazards",
    "disputes",
    "mechanisms",
    "meetings",
    "policy_documents",
    "work_plans",
    "key_items",
    "tasks",
    "patrols",
    "campaigns",
    "incidents",
    "outcome_metrics",
)

_ORG_COLLECTIONS: Final = (
    "party_committees",
    "governments",
    "departments",
    "sub_bureaus",
    "police_stations",
    "judicial_offices",
    "mediation_committees",
    "entities",
)

_GRASSROOTS_ROLES: Final = (
    PersonRole.GRID_WORKER,
    PersonRole.COMMUNITY_POLICE_OFFICER,
    PersonRole.PEOPLES_MEDIATOR,
)


def _sizes(draw: st.DrawFn, max_communities: int, max_records: int) -> dict[str, int]:
    def some(*needs: int) -> int:
        return draw(st.integers(0, max_records)) if all(needs) else 0

    n: dict[str, int] = {}
    n["themes"] = some()
    n["townships"] = some()
    n["communities"] = draw(st.integers(0, max_communities)) if n["townships"] else 0
    n["grids"] = some(n["communities"])
    for name in ("party_committees", "governments", "departments", "sub_bureaus"):
        n[name] = some()
    n["police_stations"] = some()
    n["judicial_offices"] = some(n["townships"])
    n["entities"] = some()
    n["people"] = draw(st.integers(0, max_records + 3))
    n["mediation_committees"] = some(max(0, n["people"] - 2))
    orgs = sum(n[name] for name in _ORG_COLLECTIONS)
    parties = orgs + n["people"]
    n["leading_groups"] = some(orgs)
    n["rentals"] = some(n["communities"], n["people"])
    n["risk_points"] = some(n["communities"])
    n["hazards"] = some(n["risk_points"], parties)
    n["disputes"] = some(n["communities"], max(0, parties - 1))
    n["mechanisms"] = some()
    n["meetings"] = some(n["mechanisms"], orgs)
    n["policy_documents"] = some(orgs)
    n["work_plans"] = some(orgs)
    n["key_items"] = some(n["work_plans"], orgs)
    n["tasks"] = some(n["key_items"], orgs)
    n["patrols"] = some(n["police_stations"])
    n["campaigns"] = some()
    n["incidents"] = some(n["communities"], n["police_stations"])
    n["outcome_metrics"] = some()
    return n


class _People:
    """The people of a County under construction, adjusted to satisfy County rules."""

    def __init__(self, records: Sequence[Person]) -> None:
        self.by_id = {p.id: p for p in records}

    def give_role(self, person_id: str, role: PersonRole) -> None:
        person = self.by_id[person_id]
        if role not in person.roles:
            self.by_id[person_id] = attrs.evolve(person, roles=person.roles | {role})

    def ensure_woman(self, member_ids: Sequence[str]) -> None:
        sexes = [self.by_id[m].sex for m in member_ids]
        if None not in sexes and Sex.FEMALE not in sexes:
            first = self.by_id[member_ids[0]]
            self.by_id[first.id] = attrs.evolve(first, sex=Sex.FEMALE)

    def records(self) -> list[Person]:
        return list(self.by_id.values())


@st.composite
def _county(  # noqa: PLR0915  # builds every collection in turn
    draw: st.DrawFn, *, max_communities: int, max_records: int
) -> County:
    n = _sizes(draw, max_communities, max_records)
    total = 1 + sum(n[name] for name in _ID_COLLECTIONS)
    pool = iter(
        draw(
            st.lists(
                ids(max_length=16).filter(_theme_id),
                min_size=total,
                max_size=total,
                unique=True,
            )
        )
    )
    county_id = next(pool)
    own: dict[str, list[str]] = {
        name: [next(pool) for _ in range(n[name])] for name in _ID_COLLECTIONS
    }
    org_ids = [i for name in _ORG_COLLECTIONS for i in own[name]]
    people_ids = own["people"]
    party_ids = [*org_ids, *people_ids]
    theme_ids = [*_BUILTIN_THEMES, *own["themes"]]
    township_ids = own["townships"]
    community_ids = own["communities"]
    station_ids = own["police_stations"]
    department_ids = own["departments"]

    themes = [draw(_theme_definition(i)) for i in own["themes"]]
    townships_ = [draw(_township(i)) for i in township_ids]
    communities_ = [
        draw(_community(i, township_ids=township_ids, theme_ids=theme_ids))
        for i in community_ids
    ]
    grids_ = [draw(_grid(i, community_ids=community_ids)) for i in own["grids"]]
    indicators = [
        draw(_indicators(community_ids=community_ids))
        for _ in range(draw(st.integers(0, max_records)) if community_ids else 0)
    ]
    admin_units = [county_id, *township_ids, *community_ids, *own["grids"]]
    party_committees_ = [
        draw(_party_committee(i, admin_unit_ids=admin_units))
        for i in own["party_committees"]
    ]
    governments_ = [
        draw(_government(i, admin_unit_ids=admin_units)) for i in own["governments"]
    ]
    departments_ = [
        draw(_department(i, government_ids=own["governments"])) for i in department_ids
    ]
    sub_bureaus_ = [
        draw(_sub_bureau(i, department_ids=department_ids)) for i in own["sub_bureaus"]
    ]
    kinds = [draw(_enum(StationKind)) for _ in station_ids]
    local = [
        s for s, k in zip(station_ids, kinds, strict=True) if k is StationKind.LOCAL
    ]
    covered: dict[str, list[str]] = {s: [] for s in station_ids}
    for community in community_ids:
        owner = draw(st.sampled_from([None, *local]))
        if owner is not None:
            covered[owner].append(community)
    stations = [
        draw(
            _police_station(
                s,
                kind=k,
                jurisdiction=(
                    covered[s] if k is StationKind.LOCAL else _refs(draw, community_ids)
                ),
                sub_bureau_ids=own["sub_bureaus"],
                theme_ids=theme_ids,
            )
        )
        for s, k in zip(station_ids, kinds, strict=True)
    ]
    judicial = [
        draw(_judicial_office(i, township_ids=township_ids, station_ids=station_ids))
        for i in own["judicial_offices"]
    ]
    entities_ = [draw(_entity(i, community_ids=community_ids)) for i in own["entities"]]
    folk = _People(
        [
            draw(
                _person(
                    i,
                    org_ids=org_ids,
                    community_ids=community_ids,
                    grid_records=grids_,
                )
            )
            for i in people_ids
        ]
    )
    committees: list[MediationCommittee] = []
    for i in own["mediation_committees"]:
        committee = draw(
            _mediation_committee(
                i,
                member_ids=people_ids,
                community_ids=community_ids,
                township_ids=township_ids,
            )
        )
        folk.ensure_woman(committee.member_ids)
        if committee.kind is CommitteeKind.GRASSROOTS:
            for role, member in zip(
                _GRASSROOTS_ROLES, committee.member_ids, strict=False
            ):
                folk.give_role(member, role)
        committees.append(committee)
    groups = [draw(_leading_group(i, org_ids=org_ids)) for i in own["leading_groups"]]
    contacts = [
        draw(_paired_contact(party_ids=party_ids, station_ids=station_ids))
        for _ in range(
            draw(st.integers(0, max_records)) if party_ids and station_ids else 0
        )
    ]
    rentals_ = [
        draw(
            _rental(
                i,
                community_ids=community_ids,
                landlord_ids=people_ids,
                tenant_ids=people_ids,
                station_ids=station_ids,
            )
        )
        for i in own["rentals"]
    ]
    for house in rentals_:
        folk.give_role(house.landlord_id, PersonRole.LANDLORD)
    campaigns_ = [
        draw(_campaign(i, township_ids=township_ids, risk_point_ids=own["risk_points"]))
        for i in own["campaigns"]
    ]
    risk_points_ = [
        draw(
            _risk_point(
                i,
                community_ids=community_ids,
                themes=theme_ids,
                owner_ids=party_ids,
                campaign_ids=own["campaigns"],
                department_ids=department_ids,
            )
        )
        for i in own["risk_points"]
    ]
    hazards_ = [
        draw(_hazard(i, risk_point_ids=own["risk_points"], owner_ids=party_ids))
        for i in own["hazards"]
    ]
    disputes_ = [
        draw(
            _dispute(
                i,
                community_ids=community_ids,
                party_ids=party_ids,
                grid_records=grids_,
                handler_ids=org_ids,
                mediator_ids=people_ids,
            )
        )
        for i in own["disputes"]
    ]
    mechanisms_ = [draw(_mechanism(i, org_ids=org_ids)) for i in own["mechanisms"]]
    meetings = [
        draw(_meeting(i, mechanism_ids=own["mechanisms"], org_ids=org_ids))
        for i in own["meetings"]
    ]
    documents = [
        draw(_policy_document(i, org_ids=org_ids, mechanism_ids=own["mechanisms"]))
        for i in own["policy_documents"]
    ]
    plans = [
        draw(_work_plan(i, org_ids=org_ids, document_ids=own["policy_documents"]))
        for i in own["work_plans"]
    ]
    key_items = [
        draw(_key_item(i, plan_ids=own["work_plans"], org_ids=org_ids))
        for i in own["key_items"]
    ]
    planned = [
        draw(_planned_task(i, key_item_ids=own["key_items"], org_ids=org_ids))
        for i in own["tasks"]
    ]
    ledger = draw(_ledger(task_ids=own["tasks"], actor_ids=party_ids or None))
    tasks_ = [
        replay_task(task, [e for e in ledger if e.task_id == task.id])
        for task in planned
    ]
    patrols_ = [
        draw(
            _patrol(
                i,
                station_ids=station_ids,
                org_ids=org_ids,
                community_ids=community_ids,
            )
        )
        for i in own["patrols"]
    ]
    incidents_ = [
        draw(
            _incident(
                i,
                community_ids=community_ids,
                station_ids=station_ids,
                person_ids=people_ids,
            )
        )
        for i in own["incidents"]
    ]
    metrics = [
        draw(_outcome_metric(i, org_ids=org_ids)) for i in own["outcome_metrics"]
    ]
    supervised = _refs(draw, theme_ids, max_size=max_records) if department_ids else ()
    supervision = [
        draw(_theme_supervision(theme=t, department_ids=department_ids))
        for t in supervised
    ]
    return County(
        id=county_id,
        name_zh=draw(_TEXTS),
        name_en=_opt_text(draw),
        kind=draw(_enum(CountyKind)),
        code=_opt_text(draw),
        risk_class=draw(_opt(_enum(CountyRiskClass))),
        as_of=draw(_OPT_DATES),
        provenance=_provenance(draw),
        townships=townships_,
        communities=communities_,
        grids=grids_,
        themes=themes,
        theme_supervision=supervision,
        indicators=indicators,
        party_committees=party_committees_,
        governments=governments_,
        departments=departments_,
        sub_bureaus=sub_bureaus_,
        police_stations=stations,
        judicial_offices=judicial,
        mediation_committees=committees,
        entities=entities_,
        leading_groups=groups,
        paired_contacts=contacts,
        people=folk.records(),
        rentals=rentals_,
        risk_points=risk_points_,
        hazards=hazards_,
        disputes=disputes_,
        mechanisms=mechanisms_,
        meetings=meetings,
        policy_documents=documents,
        work_plans=plans,
        key_items=key_items,
        tasks=tasks_,
        ledger=ledger,
        patrols=patrols_,
        campaigns=campaigns_,
        incidents=incidents_,
        outcome_metrics=metrics,
    )


def counties(
    *, max_communities: int = 3, max_records: int = 2
) -> st.SearchStrategy[County]:
    """Whole, valid Counties in which every reference resolves.

    Ids are drawn first (distinct across the county), then each record draws its
    references from them.
    Every collection of `County` is filled at least sometimes; local stations'
    jurisdictions are disjoint; mediation committees include a woman (or someone of
    unrecorded sex) and, for grassroots committees, a grid worker, a community police
    officer and a people's mediator; landlords hold the landlord role; the ledger
    replays to every task's stored state (tasks are built by replaying it).

    Args:
        max_communities: the most communities.
        max_records: the most records in each other collection (people: this + 3).

    Returns:
        A strategy for `County` aggregates, small enough to build in milliseconds.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=5, deadline=None)
        ... @given(counties(max_communities=2))
        ... def check(county):
        ...     assert len(county.communities) <= 2
        ...     for d in county.disputes:
        ...         county.community(d.community_id)
        >>> check()

    Added in version 0.1.0.
    """
    _check_non_negative("max_communities", max_communities)
    _check_non_negative("max_records", max_records)
    return _county(max_communities=max_communities, max_records=max_records)


# ------------------------------------------------------------------- rule engine
# Numbers stay small (ints within +-60, floats in quarter steps within +-1000,
# products of a few such operands, exponents up to 2) so that no generated
# expression overflows the int64 and float64 arithmetic of
# `Classifier.classify_columns`: both evaluators then must agree exactly.

#: Names the rule language reserves (functions, literals) or Python refuses.
_RESERVED_NAMES: Final = frozenset(
    {*keyword.kwlist, *keyword.softkwlist, "abs", "min", "max", "round"}
    | {"between", "is_missing", "True", "False", "None"}
)
_FIELD_NAMES: Final = st.from_regex(r"[a-z][a-z0-9_]{0,7}", fullmatch=True).filter(
    lambda name: name not in _RESERVED_NAMES
)
#: Texts for ``str`` fields and enum values: quotes, CJK and blanks included.
_RULE_TEXTS: Final = ("", "a", "b", "a b", "警情", "it's", 'say "hi"', "Ω")
_ENUM_VALUES: Final = ("low", "mid", "high", "红", "橙", "黄", "blue", "n/a")
_OUTPUT_VALUES: Final = ("red", "orange", "yellow", "blue", "一类", "二类")
_RULE_INTS: Final = st.integers(-3, 12) | st.integers(-60, 60)
_RULE_FLOATS: Final = st.integers(-4000, 4000).map(lambda k: k / 4)
_COMPARE_TEXT: Final = ("==", "!=", "<", "<=", ">", ">=")
_ARITH_TEXT: Final = ("+", "-", "*", "/", "//", "%")


def _field_data(spec: FieldSpec) -> object:
    """The ``fields:`` entry of one field, as a rule file writes it."""
    if spec.values is None and not spec.optional:
        return str(spec.type)
    data: dict[str, object] = (
        {"enum": list(spec.values)}
        if spec.values is not None
        else {"type": str(spec.type)}
    )
    if spec.ordered:
        data["ordered"] = True
    if spec.optional:
        data["optional"] = True
    return data


def schema_data(schema: Schema) -> dict[str, object]:
    """The ``fields:`` mapping of a rule file that declares ``schema`` inline.

    Args:
        schema: the schema, for example one drawn from `rule_schemas`.

    Returns:
        Plain data for the ``fields:`` key of `ruleset_from_data`.

    Examples:
        >>> from countypolicing.rules import FieldSpec, Schema, ValueType
        >>> schema_data(
        ...     Schema(
        ...         "inline",
        ...         (
        ...             FieldSpec("n", ValueType.INT),
        ...             FieldSpec("k", ValueType.STR, values=("a", "b"), optional=True),
        ...         ),
        ...     )
        ... )
        {'n': 'int', 'k': {'enum': ['a', 'b'], 'optional': True}}

    Added in version 0.1.0.
    """
    return {spec.name: _field_data(spec) for spec in schema.fields}


@st.composite
def _field_spec(draw: st.DrawFn, name: str) -> FieldSpec:
    kind = draw(st.sampled_from(("int", "float", "bool", "str", "enum")))
    optional = draw(st.booleans())
    if kind == "enum":
        values = draw(
            st.lists(st.sampled_from(_ENUM_VALUES), min_size=1, max_size=4, unique=True)
        )
        return FieldSpec(
            name,
            ValueType.STR,
            values=tuple(values),
            ordered=draw(st.booleans()),
            optional=optional,
        )
    return FieldSpec(name, ValueType(kind), optional=optional)


@st.composite
def _rule_schemas(draw: st.DrawFn, min_fields: int, max_fields: int) -> Schema:
    names = draw(
        st.lists(_FIELD_NAMES, min_size=min_fields, max_size=max_fields, unique=True)
    )
    return Schema("inline", tuple(draw(_field_spec(name)) for name in names))


def rule_schemas(
    *, min_fields: int = 1, max_fields: int = 6
) -> st.SearchStrategy[Schema]:
    """Inline rule schemas: int, float, bool, str and enum fields, some optional.

    Field names are lower-case ASCII identifiers that are neither Python keywords
    nor names the rule language reserves; enum fields have one to four values and
    are sometimes ordered.

    Args:
        min_fields: the fewest fields (at least 1).
        max_fields: the most fields.

    Returns:
        A strategy for `countypolicing.rules.Schema` objects named ``inline``.

    Examples:
        >>> from hypothesis import given, settings
        >>> @settings(max_examples=10)
        ... @given(rule_schemas(max_fields=3))
        ... def check(schema):
        ...     assert 1 <= len(schema.fields) <= 3
        >>> check()

    Added in version 0.1.0.
    """
    if min_fields < 1:
        msg = f"min_fields must be >= 1, got {min_fields}"
        raise InvalidArgument(msg)
    _check_non_negative("max_fields - min_fields", max_fields - min_fields)
    return _rule_schemas(min_fields, max_fields)


def _quote(text: str) -> str:
    return repr(text)


def _is_zero(text: str) -> bool:
    """Whether ``text`` folds to the literal 0 (``-(0)``, ``0.0``...)."""
    try:
        return float(text.replace("-", "").replace("(", "").replace(")", "")) == 0
    except ValueError:
        return False


_KINDS: Final[dict[str, Callable[[FieldSpec], bool]]] = {
    "num": lambda spec: spec.type.numeric,
    "bool": lambda spec: spec.type is ValueType.BOOL,
    "str": lambda spec: spec.type is ValueType.STR and spec.values is None,
    "enum": lambda spec: spec.values is not None,
    "ordered": lambda spec: spec.values is not None and spec.ordered,
}


class _Exprs:
    """Draws well-typed expression text over one schema.

    ``guarded`` is the set of optional fields an enclosing ``is_missing`` test has
    shown to be present; only those optional fields may be read.
    """

    def __init__(self, draw: st.DrawFn, schema: Schema) -> None:
        self.draw = draw
        self.schema = schema

    def usable(self, guarded: frozenset[str], kind: str) -> list[FieldSpec]:
        test = _KINDS[kind]
        return [
            spec
            for spec in self.schema.fields
            if (not spec.optional or spec.name in guarded) and test(spec)
        ]

    def unguarded(self, guarded: frozenset[str]) -> list[FieldSpec]:
        return [s for s in self.schema.fields if s.optional and s.name not in guarded]

    def choose(self, options: list[str]) -> str:
        return self.draw(st.sampled_from(options))

    # -- numbers
    def literal(self, *, nonzero: bool = False) -> str:
        value: float = self.draw(_RULE_INTS | _RULE_FLOATS)
        if nonzero and value == 0:
            value = self.draw(st.sampled_from((1, -2, 3, 0.5, -1.25)))
        return repr(value)

    def number(self, guarded: frozenset[str], leaves: int, depth: int = 2) -> str:  # noqa: C901, PLR0911  # one case per construct
        """A numeric expression: at most ``leaves`` operands multiplied together."""
        fields = self.usable(guarded, "num")
        options = ["literal"] + (["field"] * 3 if fields else [])
        if depth > 0:
            options += ["neg", "abs", "round"]
            if leaves >= 2:  # noqa: PLR2004  # a binary operation needs two operands
                options += ["arith", "arith", "arith", "pow", "minmax", "ifelse"]
        kind = self.choose(options)
        if kind == "literal":
            return self.literal()
        if kind == "field":
            return self.draw(st.sampled_from(fields)).name
        inner = depth - 1
        if kind == "neg":
            return f"-({self.number(guarded, leaves, inner)})"
        if kind in {"abs", "round"}:
            return f"{kind}({self.number(guarded, leaves, inner)})"
        if kind == "pow":
            use_field: bool = bool(fields) and self.draw(st.booleans())
            base = (
                self.draw(st.sampled_from(fields)).name if use_field else self.literal()
            )
            return f"({base}) ** {self.draw(st.integers(0, 2))}"
        half = leaves // 2
        if kind == "minmax":
            name = self.choose(["min", "max"])
            count = self.draw(st.integers(2, 3))
            args = [self.number(guarded, half, inner) for _ in range(count)]
            return f"{name}({', '.join(args)})"
        if kind == "ifelse":
            test = self.condition(guarded, 0, leaves=1)
            then = self.number(guarded, half, inner)
            orelse = self.number(guarded, half, inner)
            return f"(({then}) if ({test}) else ({orelse}))"
        op = self.choose(list(_ARITH_TEXT))
        left = self.number(guarded, half, inner)
        right = self.number(guarded, half, inner)
        if op in {"/", "//", "%"} and (_is_zero(right) or self.draw(st.booleans())):
            right = self.literal(nonzero=True)  # a literal zero divisor is refused
        return f"({left}) {op} ({right})"

    # -- conditions
    def atom(self, guarded: frozenset[str], leaves: int = 2) -> str:  # noqa: C901, PLR0911  # one case per kind
        enums = self.usable(guarded, "enum")
        ordered = self.usable(guarded, "ordered")
        texts = self.usable(guarded, "str")
        bools = self.usable(guarded, "bool")
        options = ["compare", "compare", "chain", "in_num", "between", "literal"]
        options += ["enum", "enum", "enum_in"] if enums else []
        options += ["ordered"] if ordered else []
        options += ["text", "text_in"] if texts else []
        options += ["bool", "bool"] if bools else []
        kind = self.choose(options)
        if kind == "compare":
            op = self.choose(list(_COMPARE_TEXT))
            left, right = (self.number(guarded, leaves) for _ in range(2))
            return f"({left}) {op} ({right})"
        if kind == "chain":
            a, b, c = (self.number(guarded, 1) for _ in range(3))
            op1, op2 = self.choose(["<", "<="]), self.choose(["<", "<=", "!="])
            return f"({a}) {op1} ({b}) {op2} ({c})"
        if kind == "in_num":
            numbers = self.draw(st.lists(_RULE_INTS | _RULE_FLOATS, max_size=4))
            operand = self.number(guarded, leaves)
            return self.membership(operand, [repr(v) for v in numbers])
        if kind == "between":
            a, b, c = (self.number(guarded, 1) for _ in range(3))
            return f"between({a}, {b}, {c})"
        if kind == "literal":
            return self.choose(["True", "False"])
        if kind in {"enum", "ordered"}:
            spec = self.draw(st.sampled_from(ordered if kind == "ordered" else enums))
            assert spec.values is not None  # noqa: S101  # an enum field
            ops = list(_COMPARE_TEXT) if kind == "ordered" else ["==", "!="]
            value = _quote(self.draw(st.sampled_from(spec.values)))
            op = self.choose(ops)
            if self.draw(st.booleans()):
                return f"{spec.name} {op} {value}"
            if self.draw(st.booleans()):
                return f"{value} {op} {spec.name}"
            return f"{spec.name} {op} {spec.name}"
        if kind == "enum_in":
            spec = self.draw(st.sampled_from(enums))
            assert spec.values is not None  # noqa: S101  # an enum field
            values = self.draw(st.lists(st.sampled_from(spec.values), max_size=3))
            return self.membership(spec.name, [_quote(v) for v in values])
        if kind == "text":
            spec = self.draw(st.sampled_from(texts))
            value = _quote(self.draw(st.sampled_from(_RULE_TEXTS)))
            return f"{spec.name} {self.choose(['==', '!='])} {value}"
        if kind == "text_in":
            spec = self.draw(st.sampled_from(texts))
            values = self.draw(st.lists(st.sampled_from(_RULE_TEXTS), max_size=3))
            return self.membership(spec.name, [_quote(v) for v in values])
        spec = self.draw(st.sampled_from(bools))
        if self.draw(st.booleans()):
            return spec.name
        return (
            f"{spec.name} {self.choose(['==', '!='])} {self.choose(['True', 'False'])}"
        )

    def membership(self, operand: str, values: list[str]) -> str:
        keyword_ = self.choose(["in", "not in"])
        brackets = self.choose(["()", "[]", "{}"]) if values else "()"
        inner = ", ".join(values) + (
            "," if len(values) == 1 and brackets == "()" else ""
        )
        return f"({operand}) {keyword_} {brackets[0]}{inner}{brackets[1]}"

    def condition(self, guarded: frozenset[str], depth: int, leaves: int = 2) -> str:  # noqa: PLR0911  # one case per construct
        """A boolean expression nested at most ``depth`` levels of and/or/not."""
        options = ["atom", "atom", "atom"]
        if depth > 0:
            options += ["not", "and", "or", "ifelse", "equal"]
            if self.unguarded(guarded):
                options += ["guard", "guard"]
        kind = self.choose(options)
        if kind == "atom":
            if self.unguarded(guarded) and self.draw(st.integers(0, 4)) == 0:
                name = self.draw(st.sampled_from(self.unguarded(guarded))).name
                return self.choose([f"is_missing({name})", f"not is_missing({name})"])
            return self.atom(guarded, leaves)
        inner = depth - 1
        if kind == "not":
            return f"not ({self.condition(guarded, inner)})"
        if kind in {"and", "or"}:
            count = self.draw(st.integers(2, 3))
            parts = [f"({self.condition(guarded, inner)})" for _ in range(count)]
            return f" {kind} ".join(parts)
        if kind == "ifelse":
            a, b, c = (self.condition(guarded, inner) for _ in range(3))
            return f"({a}) if ({b}) else ({c})"
        if kind == "equal":
            a, b = (self.condition(guarded, inner) for _ in range(2))
            return f"({a}) {self.choose(['==', '!='])} ({b})"
        spec = self.draw(st.sampled_from(self.unguarded(guarded)))
        name = spec.name
        present = guarded | {name}
        body = self.condition(present, inner)
        other = self.condition(guarded, inner)
        return self.choose(
            [
                f"not is_missing({name}) and ({body})",
                f"is_missing({name}) or ({body})",
                f"({body}) if not is_missing({name}) else ({other})",
                f"({other}) if is_missing({name}) else ({body})",
            ]
        )

    # -- the structured form
    def structured_atom(self, guarded: frozenset[str]) -> object:
        specs = [s for s in self.schema.fields if not s.optional or s.name in guarded]
        if not specs:
            return self.draw(st.booleans())
        spec = self.draw(st.sampled_from(specs))
        value: object
        if spec.type.numeric:
            op = self.choose([*_COMPARE_TEXT, "in", "not_in"])
            if op in {"in", "not_in"}:
                value = self.draw(st.lists(_RULE_INTS | _RULE_FLOATS, max_size=3))
            elif self.draw(st.integers(0, 3)) == 0:
                others = self.usable(guarded, "num")
                value = {"field": self.draw(st.sampled_from(others)).name}
            else:
                value = self.draw(_RULE_INTS | _RULE_FLOATS)
        elif spec.type is ValueType.BOOL:
            op = self.choose(["==", "!="])
            value = self.draw(st.booleans())
        else:
            pool = spec.values if spec.values is not None else _RULE_TEXTS
            ops = ["==", "!=", "in", "not_in"]
            if spec.ordered:
                ops += ["<", "<=", ">", ">="]
            op = self.choose(ops)
            if op in {"in", "not_in"}:
                value = self.draw(st.lists(st.sampled_from(pool), max_size=3))
            else:
                value = self.draw(st.sampled_from(pool))
        return {"field": spec.name, "op": op, "value": value}

    def structured(self, guarded: frozenset[str], depth: int) -> object:
        options = ["atom", "atom", "text"]
        if depth > 0:
            options += ["all", "any", "not"]
            if self.unguarded(guarded):
                options += ["guard"]
        kind = self.choose(options)
        if kind == "atom":
            return self.structured_atom(guarded)
        if kind == "text":
            return self.condition(guarded, min(depth, 1))
        inner = depth - 1
        if kind in {"all", "any"}:
            count = self.draw(st.integers(1, 3))
            return {kind: [self.structured(guarded, inner) for _ in range(count)]}
        if kind == "not":
            return {"not": self.structured(guarded, inner)}
        name = self.draw(st.sampled_from(self.unguarded(guarded))).name
        body = self.structured(guarded | {name}, inner)
        test: dict[str, object] = {"field": name, "op": "is_missing"}
        if self.draw(st.booleans()):
            return {"all": [{"not": test}, body]}
        return {"any": [test, body]}


@st.composite
def _conditions(
    draw: st.DrawFn, schema: Schema, *, structured: bool | None, max_depth: int
) -> str | dict[str, object] | bool:
    exprs = _Exprs(draw, schema)
    use_structure = draw(st.booleans()) if structured is None else structured
    if use_structure:
        return exprs.structured(frozenset(), max_depth)  # type: ignore[return-value]  # a mapping or bool
    return exprs.condition(frozenset(), max_depth)


def conditions(
    schema: Schema, *, structured: bool | None = None, max_depth: int = 3
) -> st.SearchStrategy[str | dict[str, object] | bool]:
    """Well-typed conditions over ``schema``, as expression text or structured data.

    Expression text uses every construct of the language: comparisons (chained
    too), arithmetic including ``/``, ``//`` and ``%`` whose divisor may be zero at
    run time (never a literal zero, which is refused), ``**`` with a literal
    exponent, unary minus, ``and``/``or``/``not``, ``in``/``not in`` over tuples,
    lists and sets, ``between``, ``abs``/``min``/``max``/``round``, ``x if c else
    y`` and ``is_missing``. Optional fields are only read under a guard such as
    ``not is_missing(f) and ...``. The structured form nests ``all``/``any``/
    ``not`` over ``{field, op, value}`` atoms and expression strings.

    Args:
        schema: the fields the condition may read.
        structured: ``True`` for the structured form only, ``False`` for
            expression text only, ``None`` for both.
        max_depth: how deeply ``and``/``or``/``not``/``if`` may nest.

    Returns:
        A strategy for conditions that `parse_condition` accepts for ``schema``.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.rules import FieldSpec, Schema, ValueType
        >>> from countypolicing.rules import parse_condition
        >>> schema = Schema("inline", (FieldSpec("n", ValueType.INT),))
        >>> @settings(max_examples=20)
        ... @given(conditions(schema))
        ... def check(condition):
        ...     parse_condition(condition, schema)
        >>> check()

    Added in version 0.1.0.
    """
    _check_non_negative("max_depth", max_depth)
    return _conditions(schema, structured=structured, max_depth=max_depth)


_HIT_POLICIES: Final = ("unique", "first", "priority", "any", "collect")
_AGGREGATES: Final = ("list", "count", "sum", "min", "max")


@st.composite
def _output(draw: st.DrawFn) -> tuple[object, tuple[str, ...]]:
    if draw(st.integers(0, 3)) == 0:
        return "risk_level", ("major", "significant", "general", "low")
    values = tuple(
        draw(
            st.lists(
                st.sampled_from(_OUTPUT_VALUES), min_size=1, max_size=4, unique=True
            )
        )
    )
    return {"name": "level", "values": list(values)}, values


def _score(draw: st.DrawFn) -> float:
    value: float = draw(st.integers(-5, 10) | st.integers(-40, 40).map(lambda k: k / 4))
    return value


@st.composite
def _matrix(
    draw: st.DrawFn, schema: Schema, values: tuple[str, ...]
) -> dict[str, object] | None:
    ints = [s.name for s in schema.fields if s.type is ValueType.INT and not s.optional]
    if len(ints) < 2 or len(values) < 2:  # noqa: PLR2004  # two axes, two levels
        return None
    likelihood, severity = draw(st.permutations(ints))[:2]
    scale = draw(st.integers(2, 6))
    levels = draw(
        st.lists(
            st.sampled_from(values), min_size=1, max_size=len(values) - 1, unique=True
        )
    )
    rest = [v for v in values if v not in levels]
    least = draw(
        st.lists(
            st.integers(1, scale * scale),
            min_size=len(levels),
            max_size=len(levels),
            unique=True,
        )
    )
    return {
        "likelihood": likelihood,
        "severity": severity,
        "scale": scale,
        "cutoffs": dict(zip(levels, least, strict=True)),
        "otherwise": draw(st.sampled_from(rest)),
    }


@st.composite
def _rulesets(
    draw: st.DrawFn,
    *,
    schema: Schema | None,
    hit_policies: tuple[str, ...],
    aggregates: tuple[str, ...],
    min_rules: int,
    max_rules: int,
    default: bool | None,
    structured: bool | None,
    max_depth: int,
) -> dict[str, object]:
    schema = draw(rule_schemas()) if schema is None else schema
    policy = draw(st.sampled_from(hit_policies))
    aggregate = draw(st.sampled_from(aggregates)) if policy == "collect" else None
    output, values = draw(_output())
    data: dict[str, object] = {
        "ruleset": draw(st.sampled_from(("generated", "规则集", "r-1"))),
        "version": draw(st.sampled_from(("1", "2020.1", "v2"))),
        "fields": schema_data(schema),
        "hit_policy": policy,
    }
    numeric = aggregate in {"sum", "min", "max"}
    thresholds = aggregate == "sum" and draw(st.booleans())
    needs_output = aggregate in {None, "list", "count"} or thresholds
    wants_default = draw(st.booleans()) if default is None else default
    if needs_output or wants_default or draw(st.booleans()):
        data["output"] = output
    if aggregate is not None:
        data["aggregate"] = aggregate
    if "output" in data and wants_default:
        data["default"] = draw(st.sampled_from(values))
    if thresholds:
        bands = draw(
            st.lists(
                st.integers(-10, 20), min_size=1, max_size=len(values), unique=True
            )
        )
        data["thresholds"] = [
            {"at_least": least, "then": draw(st.sampled_from(values))}
            for least in sorted(bands, reverse=True)
        ]
    if policy == "first" and not numeric and draw(st.integers(0, 5)) == 0:
        matrix = draw(_matrix(schema, values))
        if matrix is not None:
            data["matrix"] = matrix
            return data
    count = draw(st.integers(min_rules, max_rules))
    rules: list[dict[str, object]] = []
    for index in range(count):
        rule: dict[str, object] = {
            "id": f"R{index + 1}",
            "when": draw(
                _conditions(schema, structured=structured, max_depth=max_depth)
            ),
        }
        if numeric:
            rule["score"] = _score(draw)
        else:
            rule["then"] = draw(st.sampled_from(values))
        if draw(st.integers(0, 3)) == 0:
            rule["because"] = draw(
                st.sampled_from(
                    (
                        "many police calls",
                        "警情多",
                        {"zh": "纠纷积压", "en": "a backlog"},
                    )
                )
            )
        rules.append(rule)
    data["rules"] = rules
    return data


def rulesets(
    *,
    schema: Schema | None = None,
    hit_policies: Sequence[str] = _HIT_POLICIES,
    aggregates: Sequence[str] = _AGGREGATES,
    min_rules: int = 1,
    max_rules: int = 4,
    default: bool | None = None,
    structured: bool | None = None,
    max_depth: int = 2,
) -> st.SearchStrategy[dict[str, object]]:
    """Plain ruleset data that `ruleset_from_data` accepts.

    Every hit policy and ``collect`` aggregate occurs, scorecards (``sum`` with
    ``thresholds``) and risk matrices included; a default is declared or not;
    rules carry ``because`` texts now and then. The schema is declared inline
    (``fields:``), so ``ruleset_from_data(data).schema`` gives it back.

    Args:
        schema: the fields the rules read; drawn from `rule_schemas` if ``None``.
        hit_policies: the hit policies to draw from.
        aggregates: the ``collect`` aggregates to draw from.
        min_rules: the fewest rules (at least 1).
        max_rules: the most rules.
        default: ``True``/``False`` to always/never declare a default (when the
            ruleset has an output), ``None`` for either.
        structured: as for `conditions`.
        max_depth: as for `conditions`.

    Returns:
        A strategy for mappings shaped like a rule file.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.rules import ruleset_from_data
        >>> @settings(max_examples=10)
        ... @given(rulesets(hit_policies=["priority"]))
        ... def check(data):
        ...     assert ruleset_from_data(data).hit_policy == "priority"
        >>> check()

    Added in version 0.1.0.
    """
    if min_rules < 1:
        msg = f"min_rules must be >= 1, got {min_rules}"
        raise InvalidArgument(msg)
    _check_non_negative("max_rules - min_rules", max_rules - min_rules)
    policies = tuple(hit_policies)
    unknown = set(policies) - set(_HIT_POLICIES) or set(aggregates) - set(_AGGREGATES)
    if not policies or not aggregates or unknown:
        msg = f"unknown or no hit policies/aggregates: {sorted(unknown)}"
        raise InvalidArgument(msg)
    return _rulesets(
        schema=schema,
        hit_policies=policies,
        aggregates=tuple(aggregates),
        min_rules=min_rules,
        max_rules=max_rules,
        default=default,
        structured=structured,
        max_depth=max_depth,
    )


def _value(spec: FieldSpec) -> st.SearchStrategy[object]:
    strategy: st.SearchStrategy[object]
    if spec.values is not None:
        strategy = st.sampled_from(spec.values)
    elif spec.type is ValueType.INT:
        strategy = _RULE_INTS
    elif spec.type is ValueType.FLOAT:
        strategy = _RULE_FLOATS
    elif spec.type is ValueType.BOOL:
        strategy = st.booleans()
    else:
        strategy = st.sampled_from(_RULE_TEXTS)
    return _opt(strategy) if spec.optional else strategy


def records_for(schema: Schema) -> st.SearchStrategy[dict[str, object]]:
    """Valid records of ``schema``: one value for every field.

    Ints are Python ints, floats finite Python floats (quarter steps), bools
    ``True``/``False``, enum fields one of their values, texts from a small pool
    so that equality tests hit; ``None`` only in optional fields.

    Args:
        schema: the schema, for example ``ruleset_from_data(data).schema``.

    Returns:
        A strategy for plain ``dict`` records.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.rules import FieldSpec, Schema, ValueType
        >>> schema = Schema("inline", (FieldSpec("n", ValueType.INT, optional=True),))
        >>> @settings(max_examples=10)
        ... @given(records_for(schema))
        ... def check(record):
        ...     assert record["n"] is None or isinstance(record["n"], int)
        >>> check()

    Added in version 0.1.0.
    """
    return st.fixed_dictionaries({spec.name: _value(spec) for spec in schema.fields})


def _column(draw: st.DrawFn, spec: FieldSpec, values: list[object]) -> npt.NDArray[Any]:
    missing = [v is None for v in values]
    if spec.type.numeric:
        if any(missing) or spec.type is ValueType.FLOAT:
            if any(missing) and draw(st.booleans()):
                return np.array(values, dtype=object)  # None marks the missing
            return np.array(
                [math.nan if v is None else float(v) for v in values],  # type: ignore[arg-type]  # numbers
                dtype=np.float64,
            )
        return np.array(values, dtype=np.int64)
    if spec.type is ValueType.BOOL and not any(missing):
        return np.array(values, dtype=bool)
    if spec.type is ValueType.STR and not any(missing) and draw(st.booleans()):
        return np.array(values, dtype=str)
    return np.array(values, dtype=object)


@st.composite
def _columns_for(
    draw: st.DrawFn, schema: Schema, n: int
) -> dict[str, npt.NDArray[Any]]:
    rows = draw(st.lists(records_for(schema), min_size=n, max_size=n))
    return {
        spec.name: _column(draw, spec, [row[spec.name] for row in rows])
        for spec in schema.fields
    }


def columns_for(
    schema: Schema, n: int
) -> st.SearchStrategy[dict[str, npt.NDArray[Any]]]:
    """Valid columns of ``schema``: ``n`` rows, one numpy array per field.

    Ints are ``int64`` arrays, floats ``float64``; a missing optional number is
    ``NaN`` in a ``float64`` array or ``None`` in an ``object`` array. Bools are
    ``bool`` arrays (``object`` with ``None`` when some are missing); texts and
    enum values ``str`` or ``object`` arrays.

    Args:
        schema: the schema.
        n: the number of rows (0 or more).

    Returns:
        A strategy for mappings of field name to 1-dimensional arrays, ready for
        `Classifier.classify_columns`.

    Examples:
        >>> from hypothesis import given, settings
        >>> from countypolicing.rules import FieldSpec, Schema, ValueType
        >>> schema = Schema("inline", (FieldSpec("x", ValueType.FLOAT),))
        >>> @settings(max_examples=10)
        ... @given(columns_for(schema, 3))
        ... def check(columns):
        ...     assert columns["x"].dtype.kind == "f" and len(columns["x"]) == 3
        >>> check()

    Added in version 0.1.0.
    """
    _check_non_negative("n", n)
    return _columns_for(schema, n)
