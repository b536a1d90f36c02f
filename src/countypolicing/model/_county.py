"""The County aggregate: every record of one county, indexed by id, checked whole."""

from __future__ import annotations

import difflib
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from typing import Final, TypeVar

import attrs

from countypolicing.exceptions import (
    IntegrityError,
    ModelError,
    ReferenceIntegrityError,
    UnknownIdError,
)
from countypolicing.model._actors import (
    Department,
    Entity,
    Government,
    JudicialOffice,
    LeadingGroup,
    MediationCommittee,
    Organisation,
    PairedContact,
    PartyCommittee,
    Person,
    PoliceStation,
    PoliceSubBureau,
)
from countypolicing.model._common import non_empty, optional_non_empty, valid_id
from countypolicing.model._disputes import Dispute
from countypolicing.model._enums import (
    CommitteeKind,
    CountyKind,
    CountyRiskClass,
    LabelledEnum,
    PersonRole,
    Provenance,
    RiskTheme,
    Sex,
    StationKind,
    TaskStatus,
)
from countypolicing.model._governance import (
    Campaign,
    Incident,
    JointPatrol,
    LinkageMechanism,
    MechanismMeeting,
    OutcomeMetric,
    PolicyDocument,
)
from countypolicing.model._places import (
    Community,
    CommunityIndicators,
    Grid,
    ThemeDefinition,
    Township,
)
from countypolicing.model._risks import Hazard, RentalHouse, RiskPoint, ThemeSupervision
from countypolicing.model._workplan import (
    KeyWorkItem,
    LedgerEntry,
    Task,
    WorkPlan,
    replay_task,
)

__all__ = ["ORGANISATION_COLLECTIONS", "County"]

_R = TypeVar("_R")

#: The County's organisation collections, in the order they are checked and saved.
ORGANISATION_COLLECTIONS: Final = (
    "party_committees",
    "governments",
    "departments",
    "sub_bureaus",
    "police_stations",
    "judicial_offices",
    "mediation_committees",
    "entities",
)


# attrs needs concrete, non-generic converters for mypy; one per record type.
def _townships(v: Iterable[Township]) -> tuple[Township, ...]:
    return tuple(v)


def _communities(v: Iterable[Community]) -> tuple[Community, ...]:
    return tuple(v)


def _grids(v: Iterable[Grid]) -> tuple[Grid, ...]:
    return tuple(v)


def _themes(v: Iterable[ThemeDefinition]) -> tuple[ThemeDefinition, ...]:
    return tuple(v)


def _supervision(v: Iterable[ThemeSupervision]) -> tuple[ThemeSupervision, ...]:
    return tuple(v)


def _indicators(v: Iterable[CommunityIndicators]) -> tuple[CommunityIndicators, ...]:
    return tuple(v)


def _party_committees(v: Iterable[PartyCommittee]) -> tuple[PartyCommittee, ...]:
    return tuple(v)


def _governments(v: Iterable[Government]) -> tuple[Government, ...]:
    return tuple(v)


def _departments(v: Iterable[Department]) -> tuple[Department, ...]:
    return tuple(v)


def _sub_bureaus(v: Iterable[PoliceSubBureau]) -> tuple[PoliceSubBureau, ...]:
    return tuple(v)


def _stations(v: Iterable[PoliceStation]) -> tuple[PoliceStation, ...]:
    return tuple(v)


def _judicial(v: Iterable[JudicialOffice]) -> tuple[JudicialOffice, ...]:
    return tuple(v)


def _committees(v: Iterable[MediationCommittee]) -> tuple[MediationCommittee, ...]:
    return tuple(v)


def _entities(v: Iterable[Entity]) -> tuple[Entity, ...]:
    return tuple(v)


def _groups(v: Iterable[LeadingGroup]) -> tuple[LeadingGroup, ...]:
    return tuple(v)


def _contacts(v: Iterable[PairedContact]) -> tuple[PairedContact, ...]:
    return tuple(v)


def _people(v: Iterable[Person]) -> tuple[Person, ...]:
    return tuple(v)


def _rentals(v: Iterable[RentalHouse]) -> tuple[RentalHouse, ...]:
    return tuple(v)


def _risk_points(v: Iterable[RiskPoint]) -> tuple[RiskPoint, ...]:
    return tuple(v)


def _hazards(v: Iterable[Hazard]) -> tuple[Hazard, ...]:
    return tuple(v)


def _disputes(v: Iterable[Dispute]) -> tuple[Dispute, ...]:
    return tuple(v)


def _mechanisms(v: Iterable[LinkageMechanism]) -> tuple[LinkageMechanism, ...]:
    return tuple(v)


def _meetings(v: Iterable[MechanismMeeting]) -> tuple[MechanismMeeting, ...]:
    return tuple(v)


def _documents(v: Iterable[PolicyDocument]) -> tuple[PolicyDocument, ...]:
    return tuple(v)


def _plans(v: Iterable[WorkPlan]) -> tuple[WorkPlan, ...]:
    return tuple(v)


def _key_items(v: Iterable[KeyWorkItem]) -> tuple[KeyWorkItem, ...]:
    return tuple(v)


def _tasks(v: Iterable[Task]) -> tuple[Task, ...]:
    return tuple(v)


def _ledger(v: Iterable[LedgerEntry]) -> tuple[LedgerEntry, ...]:
    return tuple(v)


def _patrols(v: Iterable[JointPatrol]) -> tuple[JointPatrol, ...]:
    return tuple(v)


def _campaigns(v: Iterable[Campaign]) -> tuple[Campaign, ...]:
    return tuple(v)


def _incidents(v: Iterable[Incident]) -> tuple[Incident, ...]:
    return tuple(v)


def _metrics(v: Iterable[OutcomeMetric]) -> tuple[OutcomeMetric, ...]:
    return tuple(v)


@attrs.frozen(kw_only=True)
class _Indexes:
    townships: Mapping[str, Township]
    communities: Mapping[str, Community]
    grids: Mapping[str, Grid]
    organisations: Mapping[str, Organisation]
    people: Mapping[str, Person]
    risk_points: Mapping[str, RiskPoint]
    disputes: Mapping[str, Dispute]
    tasks: Mapping[str, Task]
    themes: frozenset[str]
    station_of: Mapping[str, str]


@attrs.frozen(kw_only=True)
class County:
    """A county-level area and everything the library knows about it.

    The aggregate root: records refer to each other by id, and constructing a County
    checks that every reference resolves, reporting *all* problems at once as an
    `IntegrityError` whose items carry the path of the record at fault.

    Examples:
        >>> from countypolicing.model import Township, TownshipKind
        >>> c = County(
        ...     id="demo",
        ...     name_zh="示例区",
        ...     kind=CountyKind.DISTRICT,
        ...     townships=[
        ...         Township(
        ...             id="t1", name_zh="示例街道", kind=TownshipKind.SUB_DISTRICT
        ...         )
        ...     ],
        ... )
        >>> c.township("t1").name_zh
        '示例街道'
        >>> c.township("t-1")
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.UnknownIdError: no township with id 't-1'; did you mean 't1'?

    Added in version 0.1.0.
    """

    id: str = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: CountyKind = CountyKind.DISTRICT
    code: str | None = attrs.field(default=None, validator=optional_non_empty)
    risk_class: CountyRiskClass | None = None
    as_of: date | None = None
    provenance: Provenance = Provenance.USER

    townships: tuple[Township, ...] = attrs.field(default=(), converter=_townships)
    communities: tuple[Community, ...] = attrs.field(default=(), converter=_communities)
    grids: tuple[Grid, ...] = attrs.field(default=(), converter=_grids)
    themes: tuple[ThemeDefinition, ...] = attrs.field(default=(), converter=_themes)
    theme_supervision: tuple[ThemeSupervision, ...] = attrs.field(
        default=(), converter=_supervision
    )
    indicators: tuple[CommunityIndicators, ...] = attrs.field(
        default=(), converter=_indicators
    )

    party_committees: tuple[PartyCommittee, ...] = attrs.field(
        default=(), converter=_party_committees
    )
    governments: tuple[Government, ...] = attrs.field(
        default=(), converter=_governments
    )
    departments: tuple[Department, ...] = attrs.field(
        default=(), converter=_departments
    )
    sub_bureaus: tuple[PoliceSubBureau, ...] = attrs.field(
        default=(), converter=_sub_bureaus
    )
    police_stations: tuple[PoliceStation, ...] = attrs.field(
        default=(), converter=_stations
    )
    judicial_offices: tuple[JudicialOffice, ...] = attrs.field(
        default=(), converter=_judicial
    )
    mediation_committees: tuple[MediationCommittee, ...] = attrs.field(
        default=(), converter=_committees
    )
    entities: tuple[Entity, ...] = attrs.field(default=(), converter=_entities)
    leading_groups: tuple[LeadingGroup, ...] = attrs.field(
        default=(), converter=_groups
    )
    paired_contacts: tuple[PairedContact, ...] = attrs.field(
        default=(), converter=_contacts
    )
    people: tuple[Person, ...] = attrs.field(default=(), converter=_people)

    rentals: tuple[RentalHouse, ...] = attrs.field(default=(), converter=_rentals)
    risk_points: tuple[RiskPoint, ...] = attrs.field(default=(), converter=_risk_points)
    hazards: tuple[Hazard, ...] = attrs.field(default=(), converter=_hazards)
    disputes: tuple[Dispute, ...] = attrs.field(default=(), converter=_disputes)

    mechanisms: tuple[LinkageMechanism, ...] = attrs.field(
        default=(), converter=_mechanisms
    )
    meetings: tuple[MechanismMeeting, ...] = attrs.field(
        default=(), converter=_meetings
    )
    policy_documents: tuple[PolicyDocument, ...] = attrs.field(
        default=(), converter=_documents
    )
    work_plans: tuple[WorkPlan, ...] = attrs.field(default=(), converter=_plans)
    key_items: tuple[KeyWorkItem, ...] = attrs.field(default=(), converter=_key_items)
    tasks: tuple[Task, ...] = attrs.field(default=(), converter=_tasks)
    ledger: tuple[LedgerEntry, ...] = attrs.field(default=(), converter=_ledger)

    patrols: tuple[JointPatrol, ...] = attrs.field(default=(), converter=_patrols)
    campaigns: tuple[Campaign, ...] = attrs.field(default=(), converter=_campaigns)
    incidents: tuple[Incident, ...] = attrs.field(default=(), converter=_incidents)
    outcome_metrics: tuple[OutcomeMetric, ...] = attrs.field(
        default=(), converter=_metrics
    )

    _idx: _Indexes = attrs.field(init=False, repr=False, eq=False, hash=False)

    def __attrs_post_init__(self) -> None:
        problems: list[ModelError] = []
        object.__setattr__(self, "_idx", _build_indexes(self, problems))
        _check_references(self, problems)
        if problems:
            msg = f"county {self.id!r} has inconsistent records"
            raise IntegrityError(msg, problems)

    # ------------------------------------------------------------------ lookups
    def township(self, township_id: str) -> Township:
        """The township with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.townships, "township", township_id)

    def community(self, community_id: str) -> Community:
        """The community with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.communities, "community", community_id)

    def grid(self, grid_id: str) -> Grid:
        """The grid with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.grids, "grid", grid_id)

    def organisation(self, org_id: str) -> Organisation:
        """The organisation of any kind with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.organisations, "organisation", org_id)

    def person(self, person_id: str) -> Person:
        """The person with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.people, "person", person_id)

    def party(self, party_id: str) -> Organisation | Person:
        """The organisation or person with this id (raises `UnknownIdError`)."""
        if party_id in self._idx.people:
            return self._idx.people[party_id]
        return _lookup(self._idx.organisations, "organisation or person", party_id)

    def risk_point(self, risk_point_id: str) -> RiskPoint:
        """The risk point with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.risk_points, "risk point", risk_point_id)

    def dispute(self, dispute_id: str) -> Dispute:
        """The dispute with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.disputes, "dispute", dispute_id)

    def task(self, task_id: str) -> Task:
        """The task with this id (raises `UnknownIdError`)."""
        return _lookup(self._idx.tasks, "task", task_id)

    def has_theme(self, theme: str) -> bool:
        """Whether ``theme`` is built in or declared by this county."""
        return theme in self._idx.themes

    def station_for(self, community_id: str) -> PoliceStation | None:
        """The local police station whose jurisdiction covers the community."""
        self.community(community_id)
        station_id = self._idx.station_of.get(community_id)
        if station_id is None:
            return None
        station = self._idx.organisations[station_id]
        assert isinstance(station, PoliceStation)  # noqa: S101  # built that way
        return station

    def communities_of(self, township_id: str) -> tuple[Community, ...]:
        """The township's communities, in file order."""
        self.township(township_id)
        return tuple(c for c in self.communities if c.township_id == township_id)

    def latest_indicators(self, community_id: str) -> CommunityIndicators | None:
        """The most recent indicator record of the community, if any."""
        self.community(community_id)
        mine = [i for i in self.indicators if i.community_id == community_id]
        return max(mine, key=lambda i: i.as_of) if mine else None

    def organisations(self) -> Iterator[Organisation]:
        """Every organisation, collection by collection, in file order."""
        for name in ORGANISATION_COLLECTIONS:
            yield from getattr(self, name)

    def ledger_for(self, task_id: str) -> tuple[LedgerEntry, ...]:
        """The task's ledger entries in sequence order."""
        self.task(task_id)
        return tuple(e for e in self.ledger if e.task_id == task_id)

    def replayed_tasks(self) -> tuple[Task, ...]:
        """Every task's state rebuilt from the plan and the ledger, in plan order."""
        by_task: dict[str, list[LedgerEntry]] = defaultdict(list)
        for entry in self.ledger:
            by_task[entry.task_id].append(entry)
        return tuple(replay_task(_as_planned(t), by_task[t.id]) for t in self.tasks)


def _as_planned(task: Task) -> Task:
    return attrs.evolve(
        task,
        status=TaskStatus.PLANNED,
        evidence=(),
        submitted_on=None,
        verified_on=None,
        closed_on=None,
    )


def _lookup(index: Mapping[str, _R], kind: str, key: str) -> _R:
    try:
        return index[key]
    except KeyError:
        close = difflib.get_close_matches(key, list(index), n=1)
        raise UnknownIdError(
            kind, key, suggestion=close[0] if close else None
        ) from None


def _index(  # one private helper with defaults
    records: Sequence[_R],
    collection: str,
    key: Callable[[_R], str],
    problems: list[ModelError],
    *,
    into: dict[str, _R] | None = None,
    seen_in: dict[str, str] | None = None,
) -> dict[str, _R]:
    out: dict[str, _R] = {} if into is None else into
    where: dict[str, str] = {} if seen_in is None else seen_in
    for i, record in enumerate(records):
        k = key(record)
        if k in out or k in where:
            problems.append(
                ReferenceIntegrityError(
                    f"id {k!r} is already used in {where[k]}",
                    target_id=k,
                    field="id",
                    record_id=k,
                    path=(collection, i, "id"),
                )
            )
            continue
        out[k] = record
        where[k] = collection
    return out


def _build_indexes(county: County, problems: list[ModelError]) -> _Indexes:
    orgs: dict[str, Organisation] = {}
    seen: dict[str, str] = {}
    for name in ORGANISATION_COLLECTIONS:
        _index(
            getattr(county, name),
            name,
            lambda r: r.id,
            problems,
            into=orgs,
            seen_in=seen,
        )
    _index(
        county.leading_groups,
        "leading_groups",
        lambda r: r.id,
        problems,
        into={},
        seen_in=seen,
    )
    people = _index(
        county.people, "people", lambda r: r.id, problems, into={}, seen_in=seen
    )
    themes = {str(t) for t in RiskTheme}
    for i, theme in enumerate(county.themes):
        if theme.id in themes:
            problems.append(
                ReferenceIntegrityError(
                    f"theme {theme.id!r} is declared twice (or is built in)",
                    target_id=theme.id,
                    field="id",
                    path=("themes", i, "id"),
                )
            )
        themes.add(theme.id)
    station_of: dict[str, str] = {}
    for i, station in enumerate(county.police_stations):
        if station.kind is not StationKind.LOCAL:
            continue
        for community_id in station.jurisdiction:
            other = station_of.setdefault(community_id, station.id)
            if other != station.id:
                problems.append(
                    ModelError(
                        f"community {community_id!r} is in the jurisdiction of both "
                        f"{other!r} and {station.id!r}",
                        field="jurisdiction",
                        record_id=station.id,
                        path=("police_stations", i, "jurisdiction"),
                    )
                )
    return _Indexes(
        townships=_index(county.townships, "townships", lambda r: r.id, problems),
        communities=_index(county.communities, "communities", lambda r: r.id, problems),
        grids=_index(county.grids, "grids", lambda r: r.id, problems),
        organisations=orgs,
        people=people,
        risk_points=_index(county.risk_points, "risk_points", lambda r: r.id, problems),
        disputes=_index(county.disputes, "disputes", lambda r: r.id, problems),
        tasks=_index(county.tasks, "tasks", lambda r: r.id, problems),
        themes=frozenset(themes),
        station_of=station_of,
    )


class _Checker:
    """Collects dangling references of one County."""

    def __init__(self, county: County, problems: list[ModelError]) -> None:
        self.county = county
        self.idx = county._idx  # noqa: SLF001  # same module
        self.problems = problems
        self.admin_units = {
            county.id,
            *self.idx.townships,
            *self.idx.communities,
            *self.idx.grids,
        }
        self.other_ids: dict[str, set[str]] = {
            "mechanism": {m.id for m in county.mechanisms},
            "campaign": {c.id for c in county.campaigns},
            "document": {d.id for d in county.policy_documents},
            "plan": {p.id for p in county.work_plans},
            "key item": {k.id for k in county.key_items},
            # The district's public security sub-bureau is its public security
            # department too, so it may supervise themes like any department.
            "department": {
                *(d.id for d in county.departments),
                *(b.id for b in county.sub_bureaus),
            },
            "station": {s.id for s in county.police_stations},
            "sub-bureau": {s.id for s in county.sub_bureaus},
            "government": {g.id for g in county.governments},
        }

    def ref(
        self,
        value: str | None,
        pool: Mapping[str, object] | set[str] | frozenset[str],
        kind: str,
        path: tuple[str | int, ...],
        record_id: str | None,
    ) -> bool:
        if value is None or value in pool:
            return True
        close = difflib.get_close_matches(value, list(pool), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        self.problems.append(
            ReferenceIntegrityError(
                f"unknown {kind} {value!r}{hint}",
                target_id=value,
                field=str(path[-1]),
                record_id=record_id,
                path=path,
            )
        )
        return False

    def refs(
        self,
        values: Iterable[str],
        pool: Mapping[str, object] | set[str] | frozenset[str],
        kind: str,
        path: tuple[str | int, ...],
        record_id: str | None,
    ) -> None:
        for j, value in enumerate(values):
            self.ref(value, pool, kind, (*path, j), record_id)

    def party_pool(self) -> set[str]:
        return {*self.idx.organisations, *self.idx.people}

    def problem(
        self, message: str, path: tuple[str | int, ...], record_id: str
    ) -> None:
        self.problems.append(
            ModelError(message, field=str(path[-1]), record_id=record_id, path=path)
        )


def _check_references(county: County, problems: list[ModelError]) -> None:  # noqa: C901, PLR0912, PLR0915  # one flat list of checks reads best
    ck = _Checker(county, problems)
    idx = ck.idx
    other = ck.other_ids
    parties = ck.party_pool()
    org = idx.organisations
    for i, c in enumerate(county.communities):
        ck.ref(
            c.township_id,
            idx.townships,
            "township",
            ("communities", i, "township_id"),
            c.id,
        )
        ck.refs(c.themes, idx.themes, "theme", ("communities", i, "themes"), c.id)
    for i, g in enumerate(county.grids):
        ck.ref(
            g.community_id,
            idx.communities,
            "community",
            ("grids", i, "community_id"),
            g.id,
        )
    for i, ind in enumerate(county.indicators):
        ck.ref(
            ind.community_id,
            idx.communities,
            "community",
            ("indicators", i, "community_id"),
            ind.community_id,
        )
    for i, ts in enumerate(county.theme_supervision):
        ck.ref(
            ts.theme, idx.themes, "theme", ("theme_supervision", i, "theme"), ts.theme
        )
        ck.refs(
            ts.department_ids,
            other["department"],
            "department",
            ("theme_supervision", i, "department_ids"),
            ts.theme,
        )
    for i, pc in enumerate(county.party_committees):
        ck.ref(
            pc.admin_unit_id,
            ck.admin_units,
            "administrative unit",
            ("party_committees", i, "admin_unit_id"),
            pc.id,
        )
    for i, gov in enumerate(county.governments):
        ck.ref(
            gov.admin_unit_id,
            ck.admin_units,
            "administrative unit",
            ("governments", i, "admin_unit_id"),
            gov.id,
        )
    for i, dep in enumerate(county.departments):
        ck.ref(
            dep.government_id,
            other["government"],
            "government",
            ("departments", i, "government_id"),
            dep.id,
        )
    for i, sb in enumerate(county.sub_bureaus):
        ck.ref(
            sb.department_id,
            other["department"],
            "department",
            ("sub_bureaus", i, "department_id"),
            sb.id,
        )
    for i, st in enumerate(county.police_stations):
        ck.ref(
            st.sub_bureau_id,
            other["sub-bureau"],
            "sub-bureau",
            ("police_stations", i, "sub_bureau_id"),
            st.id,
        )
        ck.refs(
            st.jurisdiction,
            idx.communities,
            "community",
            ("police_stations", i, "jurisdiction"),
            st.id,
        )
        ck.refs(st.themes, idx.themes, "theme", ("police_stations", i, "themes"), st.id)
    for i, jo in enumerate(county.judicial_offices):
        ck.ref(
            jo.township_id,
            idx.townships,
            "township",
            ("judicial_offices", i, "township_id"),
            jo.id,
        )
        ck.refs(
            jo.stationed_in,
            other["station"],
            "police station",
            ("judicial_offices", i, "stationed_in"),
            jo.id,
        )
    for i, mc in enumerate(county.mediation_committees):
        base = ("mediation_committees", i)
        ck.ref(
            mc.community_id,
            idx.communities,
            "community",
            (*base, "community_id"),
            mc.id,
        )
        ck.ref(mc.township_id, idx.townships, "township", (*base, "township_id"), mc.id)
        ck.refs(mc.member_ids, idx.people, "person", (*base, "member_ids"), mc.id)
        members = [idx.people[m] for m in mc.member_ids if m in idx.people]
        if len(members) == len(mc.member_ids):
            _check_committee(ck, mc, members, base)
    for i, en in enumerate(county.entities):
        ck.ref(
            en.community_id,
            idx.communities,
            "community",
            ("entities", i, "community_id"),
            en.id,
        )
    for i, lg in enumerate(county.leading_groups):
        ck.ref(
            lg.lead_org_id,
            org,
            "organisation",
            ("leading_groups", i, "lead_org_id"),
            lg.id,
        )
        ck.refs(
            lg.member_org_ids,
            org,
            "organisation",
            ("leading_groups", i, "member_org_ids"),
            lg.id,
        )
    for i, pcn in enumerate(county.paired_contacts):
        ck.ref(
            pcn.contact_id,
            parties,
            "organisation or person",
            ("paired_contacts", i, "contact_id"),
            pcn.contact_id,
        )
        ck.ref(
            pcn.station_id,
            other["station"],
            "police station",
            ("paired_contacts", i, "station_id"),
            pcn.contact_id,
        )
    for i, p in enumerate(county.people):
        ck.ref(p.org_id, org, "organisation", ("people", i, "org_id"), p.id)
        ck.ref(
            p.community_id,
            idx.communities,
            "community",
            ("people", i, "community_id"),
            p.id,
        )
        if ck.ref(p.grid_id, idx.grids, "grid", ("people", i, "grid_id"), p.id) and (
            p.grid_id is not None
            and p.community_id is not None
            and idx.grids[p.grid_id].community_id != p.community_id
        ):
            ck.problem(
                f"grid {p.grid_id!r} is not in community {p.community_id!r}",
                ("people", i, "grid_id"),
                p.id,
            )
    for i, r in enumerate(county.rentals):
        ck.ref(
            r.community_id,
            idx.communities,
            "community",
            ("rentals", i, "community_id"),
            r.id,
        )
        if ck.ref(
            r.landlord_id, idx.people, "person", ("rentals", i, "landlord_id"), r.id
        ) and (not idx.people[r.landlord_id].has_role(PersonRole.LANDLORD)):
            ck.problem(
                f"{r.landlord_id!r} is not recorded as a landlord",
                ("rentals", i, "landlord_id"),
                r.id,
            )
        if r.pledge is not None:
            ck.ref(
                r.pledge.station_id,
                other["station"],
                "police station",
                ("rentals", i, "pledge", "station_id"),
                r.id,
            )
        for j, tenancy in enumerate(r.tenancies):
            ck.ref(
                tenancy.tenant_id,
                idx.people,
                "person",
                ("rentals", i, "tenancies", j, "tenant_id"),
                r.id,
            )
    for i, rp in enumerate(county.risk_points):
        base = ("risk_points", i)
        ck.ref(
            rp.community_id,
            idx.communities,
            "community",
            (*base, "community_id"),
            rp.id,
        )
        ck.ref(rp.theme, idx.themes, "theme", (*base, "theme"), rp.id)
        ck.ref(
            rp.owner_id, parties, "organisation or person", (*base, "owner_id"), rp.id
        )
        ck.ref(
            rp.campaign_id, other["campaign"], "campaign", (*base, "campaign_id"), rp.id
        )
        if rp.supervisor_override is not None:
            ck.ref(
                rp.supervisor_override.department_id,
                other["department"],
                "department",
                (*base, "supervisor_override", "department_id"),
                rp.id,
            )
    for i, hz in enumerate(county.hazards):
        ck.ref(
            hz.risk_point_id,
            idx.risk_points,
            "risk point",
            ("hazards", i, "risk_point_id"),
            hz.id,
        )
        ck.ref(
            hz.owner_id,
            parties,
            "organisation or person",
            ("hazards", i, "owner_id"),
            hz.id,
        )
    for i, d in enumerate(county.disputes):
        base = ("disputes", i)
        ck.ref(
            d.community_id, idx.communities, "community", (*base, "community_id"), d.id
        )
        if ck.ref(d.grid_id, idx.grids, "grid", (*base, "grid_id"), d.id) and (
            d.grid_id is not None
            and idx.grids[d.grid_id].community_id != d.community_id
        ):
            ck.problem(
                f"grid {d.grid_id!r} is not in community {d.community_id!r}",
                (*base, "grid_id"),
                d.id,
            )
        for j, party in enumerate(d.parties):
            ck.ref(
                party.party_id,
                parties,
                "organisation or person",
                (*base, "parties", j, "party_id"),
                d.id,
            )
        ck.ref(d.handler_id, org, "organisation", (*base, "handler_id"), d.id)
        ck.refs(d.mediator_ids, idx.people, "person", (*base, "mediator_ids"), d.id)
    for i, m in enumerate(county.mechanisms):
        ck.ref(
            m.lead_org_id, org, "organisation", ("mechanisms", i, "lead_org_id"), m.id
        )
        ck.refs(
            m.member_org_ids,
            org,
            "organisation",
            ("mechanisms", i, "member_org_ids"),
            m.id,
        )
    for i, mt in enumerate(county.meetings):
        ck.ref(
            mt.mechanism_id,
            other["mechanism"],
            "mechanism",
            ("meetings", i, "mechanism_id"),
            mt.id,
        )
        ck.ref(
            mt.convened_by, org, "organisation", ("meetings", i, "convened_by"), mt.id
        )
        ck.refs(
            mt.participant_ids,
            org,
            "organisation",
            ("meetings", i, "participant_ids"),
            mt.id,
        )
    for i, doc in enumerate(county.policy_documents):
        ck.refs(
            doc.issuer_ids,
            org,
            "organisation",
            ("policy_documents", i, "issuer_ids"),
            doc.id,
        )
        ck.refs(
            doc.establishes,
            other["mechanism"],
            "mechanism",
            ("policy_documents", i, "establishes"),
            doc.id,
        )
    for i, wp in enumerate(county.work_plans):
        ck.ref(wp.owner_id, org, "organisation", ("work_plans", i, "owner_id"), wp.id)
        ck.ref(
            wp.document_id,
            other["document"],
            "policy document",
            ("work_plans", i, "document_id"),
            wp.id,
        )
    for i, ki in enumerate(county.key_items):
        ck.ref(
            ki.plan_id, other["plan"], "work plan", ("key_items", i, "plan_id"), ki.id
        )
        ck.ref(
            ki.lead_owner_id,
            org,
            "organisation",
            ("key_items", i, "lead_owner_id"),
            ki.id,
        )
    for i, t in enumerate(county.tasks):
        ck.ref(
            t.key_item_id,
            other["key item"],
            "key work item",
            ("tasks", i, "key_item_id"),
            t.id,
        )
        ck.ref(
            t.lead_owner_id, org, "organisation", ("tasks", i, "lead_owner_id"), t.id
        )
        ck.refs(t.co_owner_ids, org, "organisation", ("tasks", i, "co_owner_ids"), t.id)
    _check_ledger(ck)
    for i, pt in enumerate(county.patrols):
        ck.ref(
            pt.lead_station_id,
            other["station"],
            "police station",
            ("patrols", i, "lead_station_id"),
            pt.id,
        )
        ck.refs(
            pt.member_org_ids,
            org,
            "organisation",
            ("patrols", i, "member_org_ids"),
            pt.id,
        )
        ck.refs(
            pt.community_ids,
            idx.communities,
            "community",
            ("patrols", i, "community_ids"),
            pt.id,
        )
    for i, cp in enumerate(county.campaigns):
        ck.refs(
            cp.scope_township_ids,
            idx.townships,
            "township",
            ("campaigns", i, "scope_township_ids"),
            cp.id,
        )
        ck.refs(
            cp.risk_point_ids,
            idx.risk_points,
            "risk point",
            ("campaigns", i, "risk_point_ids"),
            cp.id,
        )
    for i, inc in enumerate(county.incidents):
        ck.ref(
            inc.community_id,
            idx.communities,
            "community",
            ("incidents", i, "community_id"),
            inc.id,
        )
        ck.ref(
            inc.station_id,
            other["station"],
            "police station",
            ("incidents", i, "station_id"),
            inc.id,
        )
        ck.ref(
            inc.tip_from_id,
            idx.people,
            "person",
            ("incidents", i, "tip_from_id"),
            inc.id,
        )
    for i, om in enumerate(county.outcome_metrics):
        ck.ref(
            om.scope_org_id,
            org,
            "organisation",
            ("outcome_metrics", i, "scope_org_id"),
            om.id,
        )


def _check_committee(
    ck: _Checker,
    mc: MediationCommittee,
    members: list[Person],
    base: tuple[str | int, ...],
) -> None:
    sexes = [m.sex for m in members]
    if None not in sexes and Sex.FEMALE not in sexes:
        ck.problem(
            "a mediation committee must include women members "
            "(People's Mediation Law art. 8)",
            (*base, "member_ids"),
            mc.id,
        )
    if mc.kind is CommitteeKind.GRASSROOTS:
        needed = (
            PersonRole.GRID_WORKER,
            PersonRole.COMMUNITY_POLICE_OFFICER,
            PersonRole.PEOPLES_MEDIATOR,
        )
        lacking = [r for r in needed if not any(m.has_role(r) for m in members)]
        if lacking:
            ck.problem(
                "a grassroots committee needs a grid worker, a community police "
                "officer and a people's mediator; missing "
                + ", ".join(r.label_en.lower() for r in lacking),
                (*base, "member_ids"),
                mc.id,
            )


def _shown(value: object) -> str:
    """A value as a user wrote it: enums by their text, others by repr."""
    if isinstance(value, LabelledEnum):
        return str(value)
    return repr(value)


def _check_ledger(ck: _Checker) -> None:
    county = ck.county
    parties = ck.party_pool()
    previous: LedgerEntry | None = None
    by_task: dict[str, list[LedgerEntry]] = defaultdict(list)
    for i, e in enumerate(county.ledger):
        base = ("ledger", i)
        if previous is None and e.seq != 1:
            ck.problem(
                f"the ledger starts at sequence {e.seq}, not 1",
                (*base, "seq"),
                str(e.seq),
            )
        if previous is not None and e.seq != previous.seq + 1:
            ck.problem(
                f"ledger sequence jumps from {previous.seq} to {e.seq}",
                (*base, "seq"),
                str(e.seq),
            )
        if previous is not None and e.at < previous.at:
            ck.problem(
                f"ledger entry {e.seq} is dated before entry {previous.seq}",
                (*base, "at"),
                str(e.seq),
            )
        previous = e
        ck.ref(
            e.actor_id,
            parties,
            "organisation or person",
            (*base, "actor_id"),
            str(e.seq),
        )
        if ck.ref(e.task_id, ck.idx.tasks, "task", (*base, "task_id"), str(e.seq)):
            by_task[e.task_id].append(e)
    for i, task in enumerate(county.tasks):
        try:
            replayed = replay_task(_as_planned(task), by_task.get(task.id, ()))
        except ModelError as exc:
            ck.problem(
                f"its ledger cannot be replayed: {exc}", ("tasks", i, "status"), task.id
            )
            continue
        if replayed != task:
            fields = [
                f.name
                for f in attrs.fields(Task)
                if getattr(replayed, f.name) != getattr(task, f.name)
            ]
            name = fields[0]
            ck.problem(
                f"{name} {_shown(getattr(task, name))} disagrees with its ledger, "
                f"which gives {_shown(getattr(replayed, name))}",
                ("tasks", i, name),
                task.id,
            )
