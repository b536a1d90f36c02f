"""Policy documents, linkage mechanisms and their meetings, patrols, campaigns, outcomes."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from typing import Final

import attrs

from countypolicing.exceptions import ModelError
from countypolicing.model._common import (
    CampaignId,
    CommunityId,
    DocumentId,
    IncidentId,
    MechanismId,
    MetricId,
    OrgId,
    PatrolId,
    PersonId,
    RiskPointId,
    TownshipId,
    check_order,
    finite,
    in_range,
    non_empty,
    non_negative,
    optional_non_empty,
    str_tuple,
    valid_id,
    valid_ids,
    valid_optional_id,
)
from countypolicing.model._enums import (
    Cadence,
    ControlledItem,
    IncidentKind,
    IssuerOffice,
    MetricComparator,
    PolicyDocumentKind,
    Provenance,
    RiskOrigin,
)

__all__ = [
    "Campaign",
    "Incident",
    "JointPatrol",
    "LinkageMechanism",
    "MechanismMeeting",
    "OutcomeMetric",
    "PatrolSchedule",
    "PolicyDocument",
    "SeizedItem",
]


def _offices(value: Iterable[IssuerOffice]) -> tuple[IssuerOffice, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class PolicyDocument:
    """A policy document such as the 《实施办法》 issued by the two general offices.

    Added in version 0.1.0.
    """

    id: DocumentId = attrs.field(validator=valid_id)
    title_zh: str = attrs.field(validator=non_empty)
    title_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: PolicyDocumentKind
    issuer_ids: tuple[OrgId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    issuer_offices: tuple[IssuerOffice, ...] = attrs.field(
        default=(), converter=_offices
    )
    issued_on: date | None = None
    establishes: tuple[MechanismId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if not self.issuer_ids:
            raise ModelError(
                "a policy document needs an issuer",
                field="issuer_ids",
                record_id=self.id,
            )


@attrs.frozen(kw_only=True)
class LinkageMechanism:
    """A linkage mechanism (联动机制) tying departments together.

    The article says there are eight but does not name them; the bundled names are
    labelled ``inferred`` and can be replaced by data.

    Added in version 0.1.0.
    """

    id: MechanismId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    lead_org_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    member_org_ids: tuple[OrgId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    cadence: Cadence = Cadence.AS_NEEDED
    triggers: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class MechanismMeeting:
    """One meeting held under a mechanism (e.g. Dongmaoling's railway meetings).

    Added in version 0.1.0.
    """

    id: str = attrs.field(validator=valid_id)
    mechanism_id: MechanismId = attrs.field(validator=valid_id)
    held_on: date | None = None
    convened_by: OrgId = attrs.field(validator=valid_id)
    participant_ids: tuple[OrgId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    topic: str = attrs.field(validator=non_empty)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class PatrolSchedule:
    """When a patrol runs: hours a day and days a week.

    Added in version 0.1.0.
    """

    hours_per_day: int = attrs.field(default=24, validator=in_range(1, 24))
    days_per_week: int = attrs.field(default=7, validator=in_range(1, 7))

    @property
    def hours_per_week(self) -> int:
        """Patrol hours in a week."""
        return self.hours_per_day * self.days_per_week


@attrs.frozen(kw_only=True)
class JointPatrol:
    """A joint patrol team (联合巡逻队), e.g. the scenic area's 24-hour patrol.

    Added in version 0.1.0.
    """

    id: PatrolId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    lead_station_id: OrgId = attrs.field(validator=valid_id)
    member_org_ids: tuple[OrgId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    community_ids: tuple[CommunityId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    places: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    schedule: PatrolSchedule = attrs.field(factory=PatrolSchedule)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class Campaign:
    """A screening campaign such as 大学习、大讨论、大起底.

    Added in version 0.1.0.
    """

    id: CampaignId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    start: date
    end: date | None = None
    scope_township_ids: tuple[TownshipId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    risk_point_ids: tuple[RiskPointId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        check_order(
            self.start,
            self.end,
            earlier_name="start",
            later_name="end",
            record_id=self.id,
        )


@attrs.frozen(kw_only=True)
class SeizedItem:
    """Controlled items seized in an incident.

    Added in version 0.1.0.
    """

    item: ControlledItem
    count: int = attrs.field(validator=non_negative)


def _seized(value: Iterable[SeizedItem]) -> tuple[SeizedItem, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Incident:
    """A case or incident, such as the Desheng robbery gang caught on a resident's tip.

    Added in version 0.1.0.
    """

    id: IncidentId = attrs.field(validator=valid_id)
    kind: IncidentKind
    community_id: CommunityId = attrs.field(validator=valid_id)
    station_id: OrgId = attrs.field(validator=valid_id)
    occurred_on: date | None = None
    origin: RiskOrigin = RiskOrigin.CALL_110
    tip_from_id: PersonId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    suspects_arrested: int = attrs.field(default=0, validator=non_negative)
    seized: tuple[SeizedItem, ...] = attrs.field(default=(), converter=_seized)
    summary: str = attrs.field(validator=non_empty)
    provenance: Provenance = Provenance.USER


_WAN: Final = 10_000
_YI: Final = 100_000_000


def _zh_number(value: float) -> str:
    """Write a number with 万 / 亿 where it divides evenly (1000万, 2.5亿)."""
    for size, word in ((_YI, "亿"), (_WAN, "万")):
        if abs(value) >= size and (value / size * 100) == int(value / size * 100):
            return f"{value / size:.15g}{word}"
    return f"{value:.15g}"


@attrs.frozen(kw_only=True)
class OutcomeMetric:
    """A reported outcome such as "700+ offenders caught".

    Examples:
        >>> m = OutcomeMetric(
        ...     id="offenders",
        ...     name_zh="抓获违法犯罪人员",
        ...     value=700,
        ...     unit="人",
        ...     comparator=MetricComparator.AT_LEAST,
        ... )
        >>> m.text_zh()
        '抓获违法犯罪人员700余人'

    Added in version 0.1.0.
    """

    id: MetricId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    value: float = attrs.field(validator=finite)
    unit: str = attrs.field(validator=non_empty)
    comparator: MetricComparator = MetricComparator.EXACT
    period_start: date | None = None
    period_end: date | None = None
    scope_org_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    harm_weighted: bool = False
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        check_order(
            self.period_start,
            self.period_end,
            earlier_name="period_start",
            later_name="period_end",
            record_id=self.id,
        )

    def text_zh(self) -> str:
        """The figure written the Chinese way ("700余人", "近1000万元").

        Examples:
            >>> OutcomeMetric(
            ...     id="recovered",
            ...     name_zh="挽回经济损失",
            ...     value=10_000_000,
            ...     unit="元",
            ...     comparator=MetricComparator.NEARLY,
            ... ).text_zh()
            '挽回经济损失近1000万元'
        """
        number = _zh_number(self.value)
        if self.comparator is MetricComparator.NEARLY:
            return f"{self.name_zh}近{number}{self.unit}"
        if self.comparator is MetricComparator.AT_LEAST:
            return f"{self.name_zh}{number}余{self.unit}"
        return f"{self.name_zh}{number}{self.unit}"
