"""Organisations, leading groups and people in their roles.

Organisation and person ids share one namespace (`PartyId`), so an owner, a dispute
party or a ledger actor can name either without saying which.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TypeAlias

import attrs

from countypolicing.exceptions import ModelError
from countypolicing.model._common import (
    CommunityId,
    GridId,
    OrgId,
    PersonId,
    ThemeId,
    TownshipId,
    non_empty,
    optional_non_empty,
    str_tuple,
    valid_id,
    valid_ids,
    valid_optional_id,
)
from countypolicing.model._enums import (
    ActorClass,
    AdminLevel,
    CommitteeKind,
    DepartmentKind,
    EntityKind,
    GovernmentKind,
    PersonRole,
    PoliceMediationLink,
    Provenance,
    Sex,
    StationKind,
)

__all__ = [
    "Department",
    "Entity",
    "Government",
    "JudicialOffice",
    "LeadingGroup",
    "LocalFeature",
    "MediationCommittee",
    "Organisation",
    "PairedContact",
    "PartyCommittee",
    "Person",
    "PoliceStation",
    "PoliceSubBureau",
]

#: People's Mediation Law art. 8: a committee has three to nine members.
COMMITTEE_MIN_MEMBERS = 3
COMMITTEE_MAX_MEMBERS = 9


@attrs.frozen(kw_only=True)
class PartyCommittee:
    """A party committee (党委) or working committee (党工委) at some level.

    ``admin_unit_id`` names the county, township or community it leads; ``None``
    means the county itself.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    level: AdminLevel = AdminLevel.COUNTY
    admin_unit_id: str | None = attrs.field(default=None, validator=valid_optional_id)
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """Party committees lead (党委政府统一领导)."""
        return ActorClass.LEADERSHIP


@attrs.frozen(kw_only=True)
class Government:
    """A government body or self-governing committee that bears territorial duty.

    Residents' and villagers' committees are included because they carry the
    community's territorial (属地) responsibility.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: GovernmentKind
    level: AdminLevel = AdminLevel.COUNTY
    admin_unit_id: str | None = attrs.field(default=None, validator=valid_optional_id)
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if self.level is not AdminLevel.COUNTY and self.admin_unit_id is None:
            raise ModelError(
                f"a {self.level} government needs admin_unit_id",
                field="admin_unit_id",
                record_id=self.id,
            )

    @property
    def actor_class(self) -> ActorClass:
        """Governments lead; self-governing committees are social forces."""
        if self.kind in {
            GovernmentKind.RESIDENTS_COMMITTEE,
            GovernmentKind.VILLAGERS_COMMITTEE,
        }:
            return ActorClass.SOCIAL_FORCE
        return ActorClass.LEADERSHIP


@attrs.frozen(kw_only=True)
class Department:
    """A functional (industry) department such as housing or civil affairs.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: DepartmentKind
    level: AdminLevel = AdminLevel.COUNTY
    government_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """Police departments are the main force; the rest manage their industry."""
        if self.kind in {DepartmentKind.PUBLIC_SECURITY, DepartmentKind.RAILWAY_POLICE}:
            return ActorClass.POLICE
        return ActorClass.INDUSTRY_DEPARTMENT


@attrs.frozen(kw_only=True)
class PoliceSubBureau:
    """A public security sub-bureau (公安分局) of a district.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    department_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    priority: int | None = None
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """The police are the main force."""
        return ActorClass.POLICE


@attrs.frozen(kw_only=True)
class LocalFeature:
    """A station's local feature (一区一亮点), kept as labelled free text.

    Added in version 0.1.0.
    """

    name_zh: str = attrs.field(validator=non_empty)
    description: str | None = attrs.field(default=None, validator=optional_non_empty)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class PoliceStation:
    """A police station (派出所), the main battlefield for its communities.

    Examples:
        >>> s = PoliceStation(
        ...     id="zhanqianlu-ps",
        ...     name_zh="站前路派出所",
        ...     jurisdiction=["desheng"],
        ...     themes=["rental_housing"],
        ... )
        >>> s.jurisdiction
        ('desheng',)

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: StationKind = StationKind.LOCAL
    sub_bureau_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    jurisdiction: tuple[CommunityId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    themes: tuple[ThemeId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    local_feature: LocalFeature | None = None
    mediation_link: PoliceMediationLink | None = None
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """The police are the main force."""
        return ActorClass.POLICE


@attrs.frozen(kw_only=True)
class JudicialOffice:
    """A judicial office (司法所); its cadres may be stationed in police stations.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    township_id: TownshipId = attrs.field(validator=valid_id)
    stationed_in: tuple[OrgId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """Judicial administration is an industry department."""
        return ActorClass.INDUSTRY_DEPARTMENT


@attrs.frozen(kw_only=True)
class MediationCommittee:
    """A people's mediation committee (人民调解委员会).

    Holds People's Mediation Law art. 8 as invariants: three to nine members and a
    chair who is one of them. The women-member rule and the make-up of grassroots
    committees (grid worker + community police officer + people's mediator) need the
    members' records and are checked by the County.

    Examples:
        >>> MediationCommittee(
        ...     id="c1", name_zh="某调委会", member_ids=["a", "b"], chair_id="a"
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: a mediation committee has 3 to 9 members (People's Mediation Law art. 8), got 2

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: CommitteeKind = CommitteeKind.COMMUNITY
    community_id: CommunityId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    township_id: TownshipId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    member_ids: tuple[PersonId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    chair_id: PersonId = attrs.field(validator=valid_id)
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        n = len(self.member_ids)
        if not COMMITTEE_MIN_MEMBERS <= n <= COMMITTEE_MAX_MEMBERS:
            raise ModelError(
                f"a mediation committee has {COMMITTEE_MIN_MEMBERS} to "
                f"{COMMITTEE_MAX_MEMBERS} members (People's Mediation Law art. 8), "
                f"got {n}",
                field="member_ids",
                record_id=self.id,
            )
        if self.chair_id not in self.member_ids:
            raise ModelError(
                f"chair {self.chair_id!r} is not a member",
                field="chair_id",
                record_id=self.id,
            )

    @property
    def actor_class(self) -> ActorClass:
        """Mediation committees are mass organisations: social forces."""
        return ActorClass.SOCIAL_FORCE


@attrs.frozen(kw_only=True)
class Entity:
    """An owner entity bearing principal (主体) responsibility for its risks.

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: EntityKind
    community_id: CommunityId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    provenance: Provenance = Provenance.USER

    @property
    def actor_class(self) -> ActorClass:
        """Owner entities are social forces."""
        return ActorClass.SOCIAL_FORCE


#: Every kind of organisation record.
Organisation: TypeAlias = (
    PartyCommittee
    | Government
    | Department
    | PoliceSubBureau
    | PoliceStation
    | JudicialOffice
    | MediationCommittee
    | Entity
)


@attrs.frozen(kw_only=True)
class LeadingGroup:
    """A leading group (领导小组), e.g. for the sub-bureau's "No. 1 project".

    Added in version 0.1.0.
    """

    id: OrgId = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    lead_org_id: OrgId = attrs.field(validator=valid_id)
    member_org_ids: tuple[OrgId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    priority: int | None = None
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class PairedContact:
    """Paired contact and guidance (对口联系、指导帮扶) of a leader or unit with a station.

    Added in version 0.1.0.
    """

    contact_id: str = attrs.field(validator=valid_id)
    station_id: OrgId = attrs.field(validator=valid_id)
    provenance: Provenance = Provenance.USER


def _roles(value: Iterable[PersonRole]) -> frozenset[PersonRole]:
    return frozenset(value)


@attrs.frozen(kw_only=True)
class Person:
    """A person in one or more roles, pseudonymised (``display_name`` like "曹某").

    Never store real identities: the model keeps a display name only.

    Examples:
        >>> p = Person(id="p-cao", display_name="曹某", roles=[PersonRole.RESIDENT])
        >>> p.has_role(PersonRole.RESIDENT)
        True

    Added in version 0.1.0.
    """

    id: PersonId = attrs.field(validator=valid_id)
    display_name: str = attrs.field(validator=non_empty)
    roles: frozenset[PersonRole] = attrs.field(converter=_roles)
    org_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    community_id: CommunityId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    grid_id: GridId | None = attrs.field(default=None, validator=valid_optional_id)
    sex: Sex | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if not self.roles:
            raise ModelError(
                "a person needs at least one role", field="roles", record_id=self.id
            )

    def has_role(self, role: PersonRole) -> bool:
        """Whether the person holds ``role``."""
        return role in self.roles
