"""Rental housing, risk points and hazards, with their lifecycles."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

import attrs

from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model._common import (
    CampaignId,
    CommunityId,
    HazardId,
    OrgId,
    PartyId,
    PersonId,
    RentalId,
    RiskPointId,
    ThemeId,
    check_order,
    in_range,
    non_empty,
    optional_non_empty,
    optional_positive,
    positive,
    str_tuple,
    valid_id,
    valid_ids,
    valid_optional_id,
)
from countypolicing.model._enums import (
    HazardStatus,
    PlaqueStatus,
    PledgeKind,
    Provenance,
    RentalKind,
    ResponsibilityType,
    RiskDomain,
    RiskLevel,
    RiskOrigin,
    RiskPointStatus,
    RiskSubjectKind,
)

__all__ = [
    "Hazard",
    "RentalHouse",
    "ResponsibleParties",
    "RiskPoint",
    "SecurityPledge",
    "SupervisorOverride",
    "Tenancy",
    "ThemeSupervision",
]


@attrs.frozen(kw_only=True)
class SecurityPledge:
    """A landlord's signed security pledge (治安责任状 / 保证书 / 承诺书).

    Added in version 0.1.0.
    """

    kind: PledgeKind = PledgeKind.RESPONSIBILITY_STATEMENT
    signed_on: date
    station_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)


@attrs.frozen(kw_only=True)
class Tenancy:
    """One tenant's stay in a rental.

    Added in version 0.1.0.
    """

    tenant_id: PersonId = attrs.field(validator=valid_id)
    moved_in: date
    moved_out: date | None = None

    def __attrs_post_init__(self) -> None:
        check_order(
            self.moved_in,
            self.moved_out,
            earlier_name="moved_in",
            later_name="moved_out",
            record_id=self.tenant_id,
        )


def _tenancies(value: Iterable[Tenancy]) -> tuple[Tenancy, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RentalHouse:
    """A rental house (出租房屋) managed through plaques and pledges (以房管人).

    A plaque is given only to compliant rentals whose landlord signed a pledge.

    Examples:
        >>> RentalHouse(
        ...     id="r1",
        ...     address="德胜路1号",
        ...     community_id="desheng",
        ...     landlord_id="p1",
        ...     plaque_status=PlaqueStatus.LISTED,
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: a listed (挂牌) rental needs a signed security pledge

    Added in version 0.1.0.
    """

    id: RentalId = attrs.field(validator=valid_id)
    address: str = attrs.field(validator=non_empty)
    community_id: CommunityId = attrs.field(validator=valid_id)
    landlord_id: PersonId = attrs.field(validator=valid_id)
    kind: RentalKind = RentalKind.WHOLE
    units: int = attrs.field(default=1, validator=positive)
    plaque_status: PlaqueStatus = PlaqueStatus.NONE
    pledge: SecurityPledge | None = None
    tenancies: tuple[Tenancy, ...] = attrs.field(default=(), converter=_tenancies)
    inspection_every_days: int | None = attrs.field(
        default=None, validator=optional_positive
    )
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if self.plaque_status is PlaqueStatus.LISTED and self.pledge is None:
            raise ModelError(
                "a listed (挂牌) rental needs a signed security pledge",
                field="pledge",
                record_id=self.id,
            )

    def tenants_on(self, day: date) -> tuple[PersonId, ...]:
        """Ids of the tenants living there on ``day``, sorted."""
        return tuple(
            sorted(
                t.tenant_id
                for t in self.tenancies
                if t.moved_in <= day and (t.moved_out is None or day < t.moved_out)
            )
        )


@attrs.frozen(kw_only=True)
class SupervisorOverride:
    """A risk point's own supervising department, replacing the theme table, with why.

    Added in version 0.1.0.
    """

    department_id: OrgId = attrs.field(validator=valid_id)
    reason: str = attrs.field(validator=non_empty)


@attrs.frozen(kw_only=True)
class ThemeSupervision:
    """One row of the theme → supervising-department table (谁主管、谁负责).

    ``lead_id``, when given, must be one of ``department_ids``; several departments
    and no lead is what the graph reports as a conflict.

    Added in version 0.1.0.
    """

    theme: ThemeId = attrs.field(validator=valid_id)
    department_ids: tuple[OrgId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    lead_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if not self.department_ids:
            raise ModelError(
                "a theme needs at least one supervising department",
                field="department_ids",
                record_id=self.theme,
            )
        if self.lead_id is not None and self.lead_id not in self.department_ids:
            raise ModelError(
                f"lead {self.lead_id!r} is not one of the theme's departments",
                field="lead_id",
                record_id=self.theme,
            )


@attrs.frozen(kw_only=True)
class ResponsibleParties:
    """Who holds each of the three responsibilities for one risk point.

    Added in version 0.1.0.
    """

    territorial: tuple[PartyId, ...] = attrs.field(default=(), converter=str_tuple)
    principal: tuple[PartyId, ...] = attrs.field(default=(), converter=str_tuple)
    supervisory: tuple[PartyId, ...] = attrs.field(default=(), converter=str_tuple)

    def missing(self) -> tuple[ResponsibilityType, ...]:
        """The responsibility types nobody holds, in `ResponsibilityType` order.

        Examples:
            >>> ResponsibleParties(territorial=["gov"]).missing()
            (<ResponsibilityType.PRINCIPAL: 'principal'>, <ResponsibilityType.SUPERVISORY: 'supervisory'>)
        """
        held = {
            ResponsibilityType.TERRITORIAL: self.territorial,
            ResponsibilityType.PRINCIPAL: self.principal,
            ResponsibilityType.SUPERVISORY: self.supervisory,
        }
        return tuple(t for t in ResponsibilityType if not held[t])


def _transition_error(
    kind: str, record_id: str, state: str, action: str, allowed: str
) -> TransitionError:
    return TransitionError(
        f"{kind} {record_id!r}: cannot {action} from {state} (allowed from {allowed})",
        state=state,
        action=action,
        record_id=record_id,
    )


@attrs.frozen(kw_only=True)
class RiskPoint:
    """A risk point (风险点): inherent, graded, and controlled under three responsibilities.

    Lifecycle::

        IDENTIFIED -grade-> GRADED -control-> CONTROLLED -review-> MONITORING
        MONITORING -grade-> GRADED ; MONITORING -close-> CLOSED

    A risk can be controlled only when its territorial, principal and supervisory
    responsibilities are all held. A risk whose source is a population rather than
    an entity (ashore fishermen, say) has no owner: record why in
    ``principal_exemption``, and the principal responsibility is then not required.

    Examples:
        >>> rp = RiskPoint(
        ...     id="rp-1",
        ...     name_zh="铁路沿线治安",
        ...     community_id="qiaotou",
        ...     theme="railway",
        ...     subject_kind=RiskSubjectKind.PLACE,
        ...     domain=RiskDomain.PUBLIC_ORDER,
        ...     likelihood=4,
        ...     severity=4,
        ...     identified_on=date(2020, 5, 1),
        ... )
        >>> rp = rp.grade(RiskLevel.SIGNIFICANT, on=date(2020, 5, 2))
        >>> rp.control(
        ...     on=date(2020, 5, 3), parties=ResponsibleParties(territorial=["gov"])
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: risk point 'rp-1' cannot be controlled while principal, supervisory responsibility is missing

    Added in version 0.1.0.
    """

    id: RiskPointId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    community_id: CommunityId = attrs.field(validator=valid_id)
    theme: ThemeId = attrs.field(validator=valid_id)
    subject_kind: RiskSubjectKind
    domain: RiskDomain
    likelihood: int = attrs.field(validator=in_range(1, 5))
    severity: int = attrs.field(validator=in_range(1, 5))
    level: RiskLevel | None = None
    status: RiskPointStatus = RiskPointStatus.IDENTIFIED
    owner_id: PartyId | None = attrs.field(default=None, validator=valid_optional_id)
    principal_exemption: str | None = attrs.field(
        default=None, validator=optional_non_empty
    )
    supervisor_override: SupervisorOverride | None = None
    origin: RiskOrigin = RiskOrigin.SCREENING
    identified_on: date
    graded_on: date | None = None
    controlled_on: date | None = None
    last_reviewed_on: date | None = None
    closed_on: date | None = None
    review_every_days: int | None = attrs.field(
        default=None, validator=optional_positive
    )
    controls: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    campaign_id: CampaignId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    description: str | None = attrs.field(default=None, validator=optional_non_empty)
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if self.owner_id is not None and self.principal_exemption is not None:
            raise ModelError(
                "a risk point with an owner cannot be exempt from principal "
                "responsibility",
                field="principal_exemption",
                record_id=self.id,
            )
        if self.status is not RiskPointStatus.IDENTIFIED and self.level is None:
            raise ModelError(
                f"a {self.status} risk point needs a level",
                field="level",
                record_id=self.id,
            )
        for name in ("graded_on", "controlled_on", "last_reviewed_on", "closed_on"):
            check_order(
                self.identified_on,
                getattr(self, name),
                earlier_name="identified_on",
                later_name=name,
                record_id=self.id,
            )

    @property
    def score(self) -> int:
        """Likelihood times severity (R = L x S), from 1 to 25."""
        return self.likelihood * self.severity

    def grade(self, level: RiskLevel, *, on: date) -> RiskPoint:
        """Grade (or re-grade) the risk point; allowed from IDENTIFIED, GRADED, MONITORING."""
        allowed = {
            RiskPointStatus.IDENTIFIED,
            RiskPointStatus.GRADED,
            RiskPointStatus.MONITORING,
        }
        if self.status not in allowed:
            raise _transition_error(
                "risk point",
                self.id,
                self.status,
                "grade",
                "identified, graded, monitoring",
            )
        return attrs.evolve(
            self, level=level, status=RiskPointStatus.GRADED, graded_on=on
        )

    def control(self, *, on: date, parties: ResponsibleParties) -> RiskPoint:
        """Put the graded risk under control; all three responsibilities must be held."""
        if self.status is not RiskPointStatus.GRADED:
            raise _transition_error(
                "risk point", self.id, self.status, "control", "graded"
            )
        missing = tuple(
            t
            for t in parties.missing()
            if not (
                t is ResponsibilityType.PRINCIPAL
                and self.principal_exemption is not None
            )
        )
        if missing:
            names = ", ".join(str(m) for m in missing)
            raise TransitionError(
                f"risk point {self.id!r} cannot be controlled while {names} "
                "responsibility is missing",
                state=self.status,
                action="control",
                record_id=self.id,
            )
        return attrs.evolve(self, status=RiskPointStatus.CONTROLLED, controlled_on=on)

    def review(self, *, on: date) -> RiskPoint:
        """Review a controlled or monitored risk; it is then monitored."""
        if self.status not in {RiskPointStatus.CONTROLLED, RiskPointStatus.MONITORING}:
            raise _transition_error(
                "risk point", self.id, self.status, "review", "controlled, monitoring"
            )
        return attrs.evolve(
            self, status=RiskPointStatus.MONITORING, last_reviewed_on=on
        )

    def close(self, *, on: date) -> RiskPoint:
        """Cross the risk off (销号) after monitoring shows it eliminated."""
        if self.status is not RiskPointStatus.MONITORING:
            raise _transition_error(
                "risk point", self.id, self.status, "close", "monitoring"
            )
        return attrs.evolve(self, status=RiskPointStatus.CLOSED, closed_on=on)


@attrs.frozen(kw_only=True)
class Hazard:
    """A hazard (隐患): a concrete defect found by screening, with a rectification deadline.

    Lifecycle: FOUND -start-> RECTIFYING -verify-> VERIFIED -close-> CLOSED.

    Added in version 0.1.0.
    """

    id: HazardId = attrs.field(validator=valid_id)
    risk_point_id: RiskPointId = attrs.field(validator=valid_id)
    description: str = attrs.field(validator=non_empty)
    found_on: date
    rectify_by: date
    owner_id: PartyId = attrs.field(validator=valid_id)
    status: HazardStatus = HazardStatus.FOUND
    verified_on: date | None = None
    closed_on: date | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        for name in ("rectify_by", "verified_on", "closed_on"):
            check_order(
                self.found_on,
                getattr(self, name),
                earlier_name="found_on",
                later_name=name,
                record_id=self.id,
            )

    def is_overdue(self, as_of: date) -> bool:
        """Whether rectification is late on ``as_of`` (not yet verified)."""
        return self.status in {HazardStatus.FOUND, HazardStatus.RECTIFYING} and (
            as_of > self.rectify_by
        )

    def start_rectification(self) -> Hazard:
        """The owner starts rectifying."""
        if self.status is not HazardStatus.FOUND:
            raise _transition_error("hazard", self.id, self.status, "start", "found")
        return attrs.evolve(self, status=HazardStatus.RECTIFYING)

    def verify(self, *, on: date) -> Hazard:
        """The rectification is checked and accepted."""
        if self.status is not HazardStatus.RECTIFYING:
            raise _transition_error(
                "hazard", self.id, self.status, "verify", "rectifying"
            )
        return attrs.evolve(self, status=HazardStatus.VERIFIED, verified_on=on)

    def close(self, *, on: date) -> Hazard:
        """Cross the verified hazard off."""
        if self.status is not HazardStatus.VERIFIED:
            raise _transition_error("hazard", self.id, self.status, "close", "verified")
        return attrs.evolve(self, status=HazardStatus.CLOSED, closed_on=on)
