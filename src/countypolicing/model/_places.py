"""Administrative units below the county, their indicators, and risk themes."""

from __future__ import annotations

from datetime import date

import attrs

from countypolicing.model._common import (
    CommunityId,
    GridId,
    ThemeId,
    TownshipId,
    check_order,
    non_empty,
    non_negative,
    optional_non_empty,
    optional_non_negative,
    str_tuple,
    valid_id,
    valid_ids,
)
from countypolicing.model._enums import (
    AdminLevel,
    CommunityKind,
    CommunityRiskClass,
    GridKind,
    Provenance,
    TownshipKind,
)

__all__ = ["Community", "CommunityIndicators", "Grid", "ThemeDefinition", "Township"]


def _validity(instance: Township | Community | Grid) -> None:
    check_order(
        instance.valid_from,
        instance.valid_to,
        earlier_name="valid_from",
        later_name="valid_to",
        record_id=instance.id,
    )


@attrs.frozen(kw_only=True)
class Township:
    """A township-level unit: sub-district (街道), township (乡) or town (镇).

    Examples:
        >>> t = Township(
        ...     id="dongmaoling", name_zh="东茅岭街道", kind=TownshipKind.SUB_DISTRICT
        ... )
        >>> t.level
        <AdminLevel.TOWNSHIP: 'township'>

    Added in version 0.1.0.
    """

    id: TownshipId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: TownshipKind
    code: str | None = attrs.field(default=None, validator=optional_non_empty)
    valid_from: date | None = None
    valid_to: date | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        _validity(self)

    @property
    def level(self) -> AdminLevel:
        """Always `AdminLevel.TOWNSHIP`."""
        return AdminLevel.TOWNSHIP

    def valid_on(self, day: date) -> bool:
        """Whether the unit existed on ``day``."""
        return _valid_on(self, day)


@attrs.frozen(kw_only=True)
class Community:
    """An urban community (社区) or a village (村), the front line of risk prevention.

    Examples:
        >>> c = Community(
        ...     id="desheng",
        ...     name_zh="德胜社区",
        ...     township_id="zhanqianlu",
        ...     kind=CommunityKind.URBAN,
        ...     population=8000,
        ...     households=2900,
        ... )
        >>> c.valid_on(date(2020, 9, 15))
        True

    Added in version 0.1.0.
    """

    id: CommunityId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    township_id: TownshipId = attrs.field(validator=valid_id)
    kind: CommunityKind
    code: str | None = attrs.field(default=None, validator=optional_non_empty)
    population: int = attrs.field(validator=non_negative)
    households: int = attrs.field(validator=non_negative)
    themes: tuple[ThemeId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    risk_class: CommunityRiskClass | None = None
    valid_from: date | None = None
    valid_to: date | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        _validity(self)

    @property
    def level(self) -> AdminLevel:
        """Always `AdminLevel.COMMUNITY`."""
        return AdminLevel.COMMUNITY

    def valid_on(self, day: date) -> bool:
        """Whether the unit existed on ``day``."""
        return _valid_on(self, day)


@attrs.frozen(kw_only=True)
class Grid:
    """A grid (网格) inside a community, looked after by grid workers.

    Added in version 0.1.0.
    """

    id: GridId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    community_id: CommunityId = attrs.field(validator=valid_id)
    kind: GridKind = GridKind.COMPREHENSIVE
    households: int | None = attrs.field(default=None, validator=optional_non_negative)
    valid_from: date | None = None
    valid_to: date | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        _validity(self)

    @property
    def level(self) -> AdminLevel:
        """Always `AdminLevel.GRID`."""
        return AdminLevel.GRID

    def valid_on(self, day: date) -> bool:
        """Whether the grid existed on ``day``."""
        return _valid_on(self, day)


def _valid_on(unit: Township | Community | Grid, day: date) -> bool:
    if unit.valid_from is not None and day < unit.valid_from:
        return False
    return unit.valid_to is None or day <= unit.valid_to


@attrs.frozen(kw_only=True)
class CommunityIndicators:
    """Indicator values of one community at one date, the inputs of classification.

    Counts are whole numbers; rates are per 1,000 residents per year.

    Examples:
        >>> ind = CommunityIndicators(
        ...     community_id="desheng",
        ...     as_of=date(2020, 6, 30),
        ...     rental_units=900,
        ...     calls_per_1000=41.5,
        ... )
        >>> ind.prior_incidents
        0

    Added in version 0.1.0.
    """

    community_id: CommunityId = attrs.field(validator=valid_id)
    as_of: date
    rental_units: int = attrs.field(default=0, validator=non_negative)
    calls_per_1000: float = attrs.field(default=0.0, validator=non_negative)
    prior_incidents: int = attrs.field(default=0, validator=non_negative)
    disputes_open: int = attrs.field(default=0, validator=non_negative)
    key_persons: int | None = attrs.field(default=None, validator=optional_non_negative)
    petitions: int = attrs.field(default=0, validator=non_negative)
    grid_workers: int = attrs.field(default=0, validator=non_negative)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class ThemeDefinition:
    """A risk theme a county works on; the built-in ones are in `RiskTheme`.

    Added in version 0.1.0.
    """

    id: ThemeId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    provenance: Provenance = Provenance.USER
