"""Grand mediation (大调解): routing disputes, committees, police–mediation links.

- `route_dispute` decides where a dispute goes first with a routing ruleset (the
  shipped one is ``dispute-routing``: `countypolicing.datasets.default_ruleset`),
  then names the mediation channel and resolves the handler through the
  responsibility graph (`countypolicing.graph.handlers_for`) and the county's
  stations, committees, judicial offices, departments and joint patrols. The
  `RoutingDecision` keeps the rule that decided, its reason and the explanation,
  and says when the preferred handler was missing and what took its place.
- `committee_problems` checks a people's mediation committee against the People's
  Mediation Law (art. 8: three to nine members, women among them) and the
  article's grassroots committee (grid worker + community police officer + people's
  mediator), before or after it joins a County.
- `police_mediation_links` shows how each police station is linked to people's
  mediation (警调对接: embedded 进驻式, joint 一体式, liaison 引驻式) and whether the
  county's records bear the link out.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, TypeVar

import attrs

from countypolicing.exceptions import (
    GraphError,
    ModelError,
    ReferenceIntegrityError,
    RuleDefinitionError,
    UnknownIdError,
)
from countypolicing.graph import NodeKind, handlers_for, node_key
from countypolicing.model import (
    CommitteeKind,
    County,
    Department,
    DepartmentKind,
    Dispute,
    JointPatrol,
    JudicialOffice,
    LabelledEnum,
    MediationChannel,
    MediationCommittee,
    Person,
    PersonRole,
    PoliceMediationLink,
    PoliceStation,
    Sex,
)
from countypolicing.operations._disputes import DisputeAction, DisputeEvent
from countypolicing.rules import Classifier, Decision, dispute_record

if TYPE_CHECKING:
    # Only for annotations: operations reaches the graph through countypolicing.graph.
    import networkx as nx

__all__ = [
    "DisputeRoute",
    "RoutingDecision",
    "RoutingNote",
    "StationMediationLink",
    "committee_problems",
    "police_mediation_links",
    "route_dispute",
    "stationed_mediator_ids",
]

_O = TypeVar("_O")


class DisputeRoute(LabelledEnum):
    """Where a routing ruleset may send a dispute first; each route has a channel.

    Examples:
        >>> DisputeRoute.STATIONED_MEDIATOR.channel
        <MediationChannel.PEOPLES: 'peoples'>
        >>> DisputeRoute.POLICE.label_zh
        '报告公安'

    Added in version 0.1.0.
    """

    POLICE = "police"
    STATIONED_MEDIATOR = "stationed_mediator"
    GRID_COMMITTEE = "grid_committee"
    HOUSING_AND_COMMITTEE = "housing_and_committee"
    SCENIC_JOINT_TEAM = "scenic_joint_team"
    FISHERY_AND_COMMITTEE = "fishery_and_committee"
    LABOUR_AND_COMMITTEE = "labour_and_committee"
    PEOPLES_COMMITTEE = "peoples_committee"
    __zh__ = {  # noqa: RUF012  # read-only label table, as in model enums
        "police": "报告公安",
        "stationed_mediator": "驻所司法所调解（警调对接）",
        "grid_committee": "网格员+社区民警+人民调解员基层调委会",
        "housing_and_committee": "住建部门+人民调解委员会",
        "scenic_joint_team": "景区联合巡防队",
        "fishery_and_committee": "渔政部门+人民调解委员会",
        "labour_and_committee": "人社部门+人民调解委员会",
        "peoples_committee": "人民调解委员会",
    }

    @property
    def channel(self) -> MediationChannel:
        """The mediation channel (大调解) the route takes.

        The police and the scenic-area joint team (led by the police station)
        mediate on the spot as public-security mediation; every other route is
        people's mediation, with a department taking part where the route names one.
        """
        return _ROUTE_CHANNELS[self]


_R = DisputeRoute

_ROUTE_CHANNELS: Final[Mapping[DisputeRoute, MediationChannel]] = {
    _R.POLICE: MediationChannel.PUBLIC_SECURITY,
    _R.SCENIC_JOINT_TEAM: MediationChannel.PUBLIC_SECURITY,
    _R.STATIONED_MEDIATOR: MediationChannel.PEOPLES,
    _R.GRID_COMMITTEE: MediationChannel.PEOPLES,
    _R.HOUSING_AND_COMMITTEE: MediationChannel.PEOPLES,
    _R.FISHERY_AND_COMMITTEE: MediationChannel.PEOPLES,
    _R.LABOUR_AND_COMMITTEE: MediationChannel.PEOPLES,
    _R.PEOPLES_COMMITTEE: MediationChannel.PEOPLES,
}

#: The department that takes part in each "department + committee" route.
_ROUTE_DEPARTMENTS: Final[Mapping[DisputeRoute, DepartmentKind]] = {
    _R.HOUSING_AND_COMMITTEE: DepartmentKind.HOUSING,
    _R.FISHERY_AND_COMMITTEE: DepartmentKind.AGRICULTURE_FISHERY,
    _R.LABOUR_AND_COMMITTEE: DepartmentKind.HUMAN_RESOURCES,
}

#: Who may mediate for each kind of handler, by role.
_COMMITTEE_MEDIATORS: Final = (PersonRole.PEOPLES_MEDIATOR,)
_GRID_TRIO: Final = (
    PersonRole.GRID_WORKER,
    PersonRole.COMMUNITY_POLICE_OFFICER,
    PersonRole.PEOPLES_MEDIATOR,
)


@attrs.frozen
class RoutingNote:
    """A remark on a routing decision, in Chinese and English.

    Examples:
        >>> RoutingNote("无常驻司法所干部", "no stationed cadre").text("zh")
        '无常驻司法所干部'

    Added in version 0.1.0.
    """

    zh: str
    en: str

    def text(self, lang: str = "en") -> str:
        """The note in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.zh if lang == "zh" else self.en


def _names(
    value: Mapping[str, tuple[str, str | None]],
) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(dict(value))


def _notes(value: Iterable[RoutingNote]) -> tuple[RoutingNote, ...]:
    return tuple(value)


def _ids(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _errors(value: Iterable[ModelError]) -> tuple[ModelError, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RoutingDecision:
    """Where a dispute goes first, through which channel, to whom, and why.

    Attributes:
        dispute_id: the dispute.
        route: the route the ruleset decided.
        channel: the mediation channel of the route.
        handler_id: the organisation that takes the dispute (a committee, a
            judicial office, a police station); ``None`` when the county has none.
        co_handler_ids: departments or teams taking part with it.
        team_id: the joint patrol, for the scenic-area route.
        station_id: the police station whose jurisdiction covers the community.
        link: how that station is linked to people's mediation (警调对接).
        mediator_ids: people who may mediate, by their roles in the handler.
        notes: where the preferred handler was missing and what took its place.
        rule_ids: the rules that decided (empty when the default applied).
        reason: the deciding rule's ``because`` (or a note that the default applied).
        decision: the ruleset's decision, with its explanation.
        names: display names (Chinese, English) of the organisations named.

    Examples:
        >>> r = RoutingDecision(
        ...     dispute_id="d-1",
        ...     route=DisputeRoute.GRID_COMMITTEE,
        ...     channel=MediationChannel.PEOPLES,
        ...     handler_id="lengshuipu-grassroots-mc",
        ... )
        >>> r.resolved, r.assign_event(on=date(2020, 9, 1)).action
        (True, <DisputeAction.ASSIGN: 'assign'>)

    Added in version 0.1.0.
    """

    dispute_id: str
    route: DisputeRoute
    channel: MediationChannel
    handler_id: str | None
    co_handler_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    team_id: str | None = None
    station_id: str | None = None
    link: PoliceMediationLink | None = None
    mediator_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    notes: tuple[RoutingNote, ...] = attrs.field(default=(), converter=_notes)
    rule_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    reason: RoutingNote | None = None
    decision: Decision | None = attrs.field(default=None, repr=False)
    names: Mapping[str, tuple[str, str | None]] = attrs.field(
        factory=dict, converter=_names, eq=False, hash=False, repr=False
    )

    @property
    def resolved(self) -> bool:
        """Whether the route's preferred handler was found (no notes, a handler)."""
        return self.handler_id is not None and not self.notes

    def name(self, org_id: str, lang: str = "en") -> str:
        """The display name of an organisation named in the decision, else its id."""
        zh, en = self.names.get(org_id, (org_id, None))
        return zh if lang == "zh" else (en or zh)

    def assign_event(self, *, on: date) -> DisputeEvent:
        """The step that carries the decision out on ``on``.

        Reporting to the police is the ``escalate_to_police`` step (art. 25);
        every other route is an ``assign`` step to the handler.

        Raises:
            ModelError: no handler was found.
        """
        if self.route is _R.POLICE:
            return DisputeEvent(on=on, action=DisputeAction.ESCALATE_TO_POLICE)
        if self.handler_id is None:
            raise ModelError(
                f"dispute {self.dispute_id!r}: no handler for route {self.route}",
                field="handler_id",
                record_id=self.dispute_id,
            )
        return DisputeEvent(
            on=on,
            action=DisputeAction.ASSIGN,
            channel=self.channel,
            handler_id=self.handler_id,
            mediator_ids=self.mediator_ids,
        )

    def text(self, lang: str = "en") -> str:
        """The decision in a few lines: route, rule and reason, channel, handler."""
        zh = lang == "zh"
        route = self.route.label_zh if zh else str(self.route)
        rule = ", ".join(self.rule_ids) or ("默认" if zh else "default")
        why = self.reason.text(lang) if self.reason is not None else ""
        lines = [
            f"{self.dispute_id} → {route}（{rule}：{why}）"
            if zh
            else f"{self.dispute_id} -> {route} (rule {rule}: {why})"
        ]
        channel = self.channel.label_zh if zh else str(self.channel)
        handler = (
            self.name(self.handler_id, lang)
            if self.handler_id is not None
            else ("无" if zh else "none")
        )
        with_ = [self.name(i, lang) for i in self.co_handler_ids]
        lines.append(
            (
                f"  渠道：{channel}；承办：{handler}"
                if zh
                else f"  channel: {channel}; handler: {handler}"
            )
            + ((("，会同 " if zh else ", with ") + "、".join(with_)) if with_ else "")
        )
        if self.station_id is not None:
            station = self.name(self.station_id, lang)
            if self.link is None:
                link = "无" if zh else "none"
            else:
                link = self.link.label_zh if zh else str(self.link)
            lines.append(
                f"  派出所：{station}（警调对接：{link}）"
                if zh
                else f"  station: {station} (police-mediation link: {link})"
            )
        if self.mediator_ids:
            lines.append(
                ("  调解人员：" if zh else "  mediators: ")
                + ", ".join(self.mediator_ids)
            )
        lines.extend(
            ("  注：" if zh else "  note: ") + n.text(lang) for n in self.notes
        )
        return "\n".join(lines)


# ---------------------------------------------------------------- candidates
@attrs.frozen
class _Candidates:
    station: PoliceStation | None
    committees: tuple[MediationCommittee, ...]
    stationed: tuple[JudicialOffice, ...]


def _record_id(key: str) -> str:
    return key.partition(":")[2]


def _org_of(county: County, key: str, kind: type[_O]) -> _O:
    org = county.organisation(_record_id(key))
    if not isinstance(org, kind):
        raise GraphError(
            f"graph node {key!r} is not a {kind.__name__} of county {county.id!r}; "
            "build the graph from this county"
        )
    return org


def _from_graph(
    dispute: Dispute, county: County, graph: nx.MultiDiGraph[str]
) -> _Candidates:
    handlers = handlers_for(graph, dispute.id)
    stations = [_org_of(county, k, PoliceStation) for k in handlers.stations]
    local = county.station_for(dispute.community_id)
    return _Candidates(
        local if local is not None else (stations[0] if stations else None),
        tuple(_org_of(county, k, MediationCommittee) for k in handlers.committees),
        tuple(_org_of(county, k, JudicialOffice) for k in handlers.stationed),
    )


def _from_county(dispute: Dispute, county: County) -> _Candidates:
    community = county.community(dispute.community_id)
    here = sorted(
        (c for c in county.mediation_committees if c.community_id == community.id),
        key=lambda c: c.id,
    )
    township = sorted(
        (
            c
            for c in county.mediation_committees
            if c.community_id is None and c.township_id == community.township_id
        ),
        key=lambda c: c.id,
    )
    station = county.station_for(community.id)
    stationed = (
        sorted(
            (j for j in county.judicial_offices if station.id in j.stationed_in),
            key=lambda j: j.id,
        )
        if station is not None
        else []
    )
    return _Candidates(station, (*here, *township), tuple(stationed))


def _candidates(
    dispute: Dispute, county: County, graph: nx.MultiDiGraph[str]
) -> _Candidates:
    """Through the graph for a dispute it holds; from the county for a new one."""
    key = node_key(NodeKind.DISPUTE, dispute.id)
    if key in graph and graph.nodes[key].get("community") == dispute.community_id:
        return _from_graph(dispute, county, graph)
    return _from_county(dispute, county)


# ---------------------------------------------------------------- resolution
class _Builder:
    """Collects the handler, co-handlers, mediators and notes of one decision."""

    def __init__(self, dispute: Dispute, county: County, cands: _Candidates) -> None:
        self.county = county
        self.cands = cands
        self.handler_id: str | None = None
        self.co: list[str] = []
        self.team_id: str | None = None
        self.mediators: list[str] = []
        self.notes: list[RoutingNote] = []
        self.community = county.community(dispute.community_id)

    def note(self, zh: str, en: str) -> None:
        self.notes.append(RoutingNote(zh, en))

    def people(self, org_id: str, roles: Iterable[PersonRole]) -> list[str]:
        wanted = tuple(roles)
        return sorted(
            p.id
            for p in self.county.people
            if p.org_id == org_id and any(p.has_role(r) for r in wanted)
        )

    def members(
        self, committee: MediationCommittee, roles: Iterable[PersonRole]
    ) -> list[str]:
        wanted = tuple(roles)
        out = []
        for member_id in committee.member_ids:
            person = self.county.person(member_id)
            if any(person.has_role(r) for r in wanted):
                out.append(member_id)
        return out

    def committee(self, *, grassroots_first: bool) -> bool:
        """Take the community's committee (else the township's); False if none."""
        here = [c for c in self.cands.committees if c.community_id == self.community.id]
        order = (
            (CommitteeKind.GRASSROOTS, CommitteeKind.COMMUNITY)
            if grassroots_first
            else (CommitteeKind.COMMUNITY, CommitteeKind.GRASSROOTS)
        )
        here.sort(
            key=lambda c: (order.index(c.kind) if c.kind in order else len(order), c.id)
        )
        township = [
            c for c in self.cands.committees if c.community_id != self.community.id
        ]
        name = self.community.name_zh
        if here:
            chosen = here[0]
            if grassroots_first and chosen.kind is not CommitteeKind.GRASSROOTS:
                self.note(
                    f"{name}未建“网格员+社区民警+人民调解员”基层调委会，由其人民调解委员会承办",
                    f"{self.community.id} has no grassroots committee (grid worker + "
                    "community police officer + people's mediator); its people's "
                    "mediation committee takes it",
                )
        elif township:
            chosen = township[0]
            self.note(
                f"{name}未设人民调解委员会，由乡镇（街道）调委会承办",
                f"{self.community.id} has no mediation committee; the township's takes it",
            )
        else:
            return False
        self.handler_id = chosen.id
        roles = (
            _GRID_TRIO
            if chosen.kind is CommitteeKind.GRASSROOTS
            else _COMMITTEE_MEDIATORS
        )
        self.mediators = self.members(chosen, roles)
        return True

    def township_office(self) -> bool:
        """Fall back to the township's judicial office, which guides mediation (art. 5)."""
        offices = sorted(
            (
                j
                for j in self.county.judicial_offices
                if j.township_id == self.community.township_id
            ),
            key=lambda j: j.id,
        )
        if not offices:
            self.note(
                f"{self.community.name_zh}及所在乡镇（街道）无人民调解委员会或司法所",
                f"neither {self.community.id} nor its township has a mediation "
                "committee or a judicial office",
            )
            return False
        self.note(
            f"{self.community.name_zh}及所在乡镇（街道）未设人民调解委员会，由司法所承办",
            f"neither {self.community.id} nor its township has a mediation "
            f"committee; the judicial office {offices[0].id} takes it",
        )
        self.handler_id = offices[0].id
        self.mediators = self.people(
            offices[0].id,
            (PersonRole.JUDICIAL_OFFICE_CADRE, PersonRole.PEOPLES_MEDIATOR),
        )
        return True

    def people_mediation(self, *, grassroots_first: bool = False) -> None:
        if not self.committee(grassroots_first=grassroots_first):
            self.township_office()

    def stationed(self) -> None:
        station = self.cands.station
        if self.cands.stationed:
            office = self.cands.stationed[0]
            self.handler_id = office.id
            self.mediators = self.people(
                office.id,
                (PersonRole.JUDICIAL_OFFICE_CADRE, PersonRole.PEOPLES_MEDIATOR),
            )
            return
        where = station.id if station is not None else "no police station"
        self.note(
            f"{where}无常驻司法所干部，转人民调解委员会",
            f"no judicial office is stationed in {where}; people's mediation takes it",
        )
        self.people_mediation()

    def police(self) -> None:
        station = self.cands.station
        if station is not None:
            self.handler_id = station.id
            officers = self.people(station.id, (PersonRole.COMMUNITY_POLICE_OFFICER,))
            local = [
                p
                for p in officers
                if self.county.person(p).community_id == self.community.id
            ]
            self.mediators = local or officers
            return
        bureaus = sorted(
            d.id
            for d in self.county.departments
            if d.kind is DepartmentKind.PUBLIC_SECURITY
        )
        self.note(
            f"{self.community.name_zh}不在任何派出所辖区内，报告区（县）公安机关",
            f"no police station covers {self.community.id}; the county's public "
            "security takes it",
        )
        self.handler_id = bureaus[0] if bureaus else None

    def scenic(self) -> None:
        patrols: list[JointPatrol] = sorted(
            (p for p in self.county.patrols if self.community.id in p.community_ids),
            key=lambda p: p.id,
        )
        if not patrols:
            self.note(
                f"没有联合巡防队覆盖{self.community.name_zh}，由辖区派出所处置",
                f"no joint patrol covers {self.community.id}; the police station takes it",
            )
            self.police()
            return
        patrol = patrols[0]
        self.team_id = patrol.id
        self.handler_id = patrol.lead_station_id
        self.co = list(patrol.member_org_ids)

    def department(self, kind: DepartmentKind) -> None:
        self.people_mediation()
        departments: list[Department] = sorted(
            (d for d in self.county.departments if d.kind is kind),
            key=lambda d: (d.level.rank, d.id),
        )
        if departments:
            self.co = [departments[0].id]
        else:
            self.note(
                f"本县（区）未登记{kind.label_zh}部门",
                f"the county records no {kind} department",
            )


def _name_of(county: County, org_id: str) -> tuple[str, str | None]:
    try:
        org = county.organisation(org_id)
    except UnknownIdError:
        return (org_id, None)
    return (org.name_zh, org.name_en)


def _check_classifier(classifier: Classifier) -> None:
    ruleset = classifier.ruleset
    known = {str(r) for r in DisputeRoute}
    values = ruleset.output.values if ruleset.output is not None else ()
    unknown = [v for v in values if v not in known]
    if ruleset.output is None or unknown:
        raise RuleDefinitionError(
            f"ruleset {ruleset.id!r} does not decide dispute routes: "
            + (
                f"unknown route(s) {', '.join(unknown)}"
                if unknown
                else "it has no output"
            )
            + f" (routes: {', '.join(sorted(known))})",
            path=("output",),
        )


def _check_parties(dispute: Dispute, county: County) -> None:
    for index, party in enumerate(dispute.parties):
        try:
            county.party(party.party_id)
        except UnknownIdError:
            pool = [p.id for p in county.people]
            pool += [o.id for o in county.organisations()]
            close = difflib.get_close_matches(party.party_id, pool, n=1)
            raise ReferenceIntegrityError(
                f"dispute {dispute.id!r}: party {party.party_id!r} is not a person or "
                f"organisation of county {county.id!r}"
                + (f"; did you mean {close[0]!r}?" if close else ""),
                target_id=party.party_id,
                field="parties",
                record_id=dispute.id,
                path=("parties", index, "party_id"),
            ) from None


def route_dispute(
    dispute: Dispute,
    county: County,
    *,
    classifier: Classifier,
    graph: nx.MultiDiGraph[str],
) -> RoutingDecision:
    """Decide where a dispute goes first and who takes it.

    The routing ruleset decides the route from the dispute's ``dispute`` record
    (`countypolicing.rules.dispute_record`); the route gives the channel; the
    handler comes from the responsibility graph (`countypolicing.graph.handlers_for`)
    for a dispute the graph holds, or from the county's records for a new one:

    | Route | Handler | With |
    | --- | --- | --- |
    | ``police`` | the community's police station | |
    | ``stationed_mediator`` | the judicial office stationed in the station | |
    | ``grid_committee`` | the community's grassroots committee | |
    | ``housing_and_committee`` | the community's mediation committee | housing department |
    | ``scenic_joint_team`` | the joint patrol's lead station | the patrol's members |
    | ``fishery_and_committee`` | the community's mediation committee | fishery department |
    | ``labour_and_committee`` | the community's mediation committee | human-resources department |
    | ``peoples_committee`` | the community's mediation committee | |

    When the preferred handler does not exist, the next one takes it (another
    committee of the community, the township's committee, the township's judicial
    office; the police station for a missing team), and a note says so.

    Args:
        dispute: the dispute; its community and parties must be in ``county``.
        county: the county.
        classifier: the compiled routing ruleset (its outputs must be
            `DisputeRoute` values).
        graph: the county's responsibility graph.

    Returns:
        The decision, with the rule that decided and its explanation.

    Raises:
        ReferenceIntegrityError: a party is not a person or organisation of the
            county.
        UnknownIdError: the dispute's community is not in the county.
        RuleDefinitionError: the ruleset's outputs are not routes.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> from countypolicing.rules import compile_ruleset
        >>> county = yueyanglou()
        >>> routing = compile_ruleset(default_ruleset("dispute-routing"))
        >>> G = build_responsibility_graph(county)
        >>> r = route_dispute(
        ...     county.dispute("dispute-01"), county, classifier=routing, graph=G
        ... )
        >>> r.route, r.handler_id, r.link
        (<DisputeRoute.STATIONED_MEDIATOR: 'stationed_mediator'>, 'zhanqianlu-sd-jo', <PoliceMediationLink.EMBEDDED: 'embedded'>)
        >>> print(r.text("zh").splitlines()[1])
          渠道：人民调解；承办：站前路街道司法所

    Added in version 0.1.0.
    """
    _check_classifier(classifier)
    _check_parties(dispute, county)
    record = dispute_record(dispute, county)
    decision = classifier.classify(record, explain=True)
    route = DisputeRoute(str(decision.output))
    cands = _candidates(dispute, county, graph)
    b = _Builder(dispute, county, cands)
    if route is _R.POLICE:
        b.police()
    elif route is _R.STATIONED_MEDIATOR:
        b.stationed()
    elif route is _R.GRID_COMMITTEE:
        b.people_mediation(grassroots_first=True)
    elif route is _R.SCENIC_JOINT_TEAM:
        b.scenic()
    elif route in _ROUTE_DEPARTMENTS:
        b.department(_ROUTE_DEPARTMENTS[route])
    else:
        b.people_mediation()
    reason = _reason(classifier, decision)
    station = cands.station
    named = [i for i in (b.handler_id, station.id if station else None, *b.co) if i]
    return RoutingDecision(
        dispute_id=dispute.id,
        route=route,
        channel=route.channel,
        handler_id=b.handler_id,
        co_handler_ids=b.co,
        team_id=b.team_id,
        station_id=station.id if station is not None else None,
        link=station.mediation_link if station is not None else None,
        mediator_ids=b.mediators,
        notes=b.notes,
        rule_ids=decision.rule_ids,
        reason=reason,
        decision=decision,
        names={i: _name_of(county, i) for i in named},
    )


def _reason(classifier: Classifier, decision: Decision) -> RoutingNote:
    if not decision.rule_ids:
        return RoutingNote(
            "无规则命中，取默认分流", "no rule matched; the default route"
        )
    because = classifier.ruleset.rule(decision.rule_ids[0]).because
    zh = because.text("zh") if because is not None else None
    en = because.text("en") if because is not None else None
    rule = decision.rule_ids[0]
    return RoutingNote(zh or f"规则 {rule}", en or f"rule {rule}")


# ---------------------------------------------------------------- committees
def committee_problems(
    committee: MediationCommittee, county: County
) -> tuple[ModelError, ...]:
    """Everything wrong with a mediation committee's make-up, all at once.

    The committee itself already holds three to nine members with the chair among
    them (People's Mediation Law art. 8). Against the county's records this checks
    that every member exists; that women are among the members (art. 8; a member
    whose sex is not recorded leaves it unconfirmed, which is reported too); that
    the community and township exist and agree; and, for a grassroots committee
    (the article's 基层调委会), that it belongs to a community and has a grid worker
    of that community, a community police officer of the station covering it, and
    a people's mediator.

    Args:
        committee: the committee (it need not be in the county yet).
        county: the county whose people and places it refers to.

    Returns:
        The problems, each a `ModelError` (or `ReferenceIntegrityError`) naming the
        committee and field; empty when the committee is sound.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> county = yueyanglou()
        >>> committee_problems(county.organisation("lengshuipu-grassroots-mc"), county)
        ()
        >>> c = MediationCommittee(
        ...     id="new-gc",
        ...     name_zh="新基层调委会",
        ...     kind=CommitteeKind.GRASSROOTS,
        ...     community_id="desheng",
        ...     member_ids=["p-peoples-mediator-002", "p-peoples-mediator-003", "p-x"],
        ...     chair_id="p-peoples-mediator-002",
        ... )
        >>> for p in committee_problems(c, county):
        ...     print(p)
        person 'p-x' is not in the county
        a grassroots committee needs a grid worker, a community police officer and a people's mediator; missing grid worker, community police officer

    Added in version 0.1.0.
    """
    cid = committee.id
    problems: list[ModelError] = []
    members: list[Person] = []
    for member_id in committee.member_ids:
        try:
            members.append(county.person(member_id))
        except UnknownIdError:
            problems.append(
                ReferenceIntegrityError(
                    f"person {member_id!r} is not in the county",
                    target_id=member_id,
                    field="member_ids",
                    record_id=cid,
                )
            )
    problems += _place_problems(committee, county)
    problems += _women_problems(committee, members)
    if committee.kind is CommitteeKind.GRASSROOTS:
        problems += _grassroots_problems(committee, county, members)
    return tuple(problems)


def _place_problems(committee: MediationCommittee, county: County) -> list[ModelError]:
    out: list[ModelError] = []
    township = committee.township_id
    if township is not None:
        try:
            county.township(township)
        except UnknownIdError:
            out.append(
                ReferenceIntegrityError(
                    f"township {township!r} is not in the county",
                    target_id=township,
                    field="township_id",
                    record_id=committee.id,
                )
            )
    if committee.community_id is not None:
        try:
            community = county.community(committee.community_id)
        except UnknownIdError:
            out.append(
                ReferenceIntegrityError(
                    f"community {committee.community_id!r} is not in the county",
                    target_id=committee.community_id,
                    field="community_id",
                    record_id=committee.id,
                )
            )
        else:
            if township is not None and community.township_id != township:
                out.append(
                    ModelError(
                        f"community {community.id!r} is in township "
                        f"{community.township_id!r}, not {township!r}",
                        field="township_id",
                        record_id=committee.id,
                    )
                )
    return out


def _women_problems(
    committee: MediationCommittee, members: list[Person]
) -> list[ModelError]:
    if any(m.sex is Sex.FEMALE for m in members):
        return []
    unknown = [m.id for m in members if m.sex is None]
    if unknown:
        message = (
            "cannot confirm that women are among the members (People's Mediation "
            f"Law art. 8): sex not recorded for {', '.join(unknown)}"
        )
    else:
        message = (
            "a mediation committee must include women members (People's Mediation "
            "Law art. 8)"
        )
    return [ModelError(message, field="member_ids", record_id=committee.id)]


def _grassroots_problems(
    committee: MediationCommittee, county: County, members: list[Person]
) -> list[ModelError]:
    out: list[ModelError] = []
    lacking = [r for r in _GRID_TRIO if not any(m.has_role(r) for m in members)]
    if lacking:
        out.append(
            ModelError(
                "a grassroots committee needs a grid worker, a community police "
                "officer and a people's mediator; missing "
                + ", ".join(r.label_en.lower() for r in lacking),
                field="member_ids",
                record_id=committee.id,
            )
        )
    community_id = committee.community_id
    if community_id is None:
        out.append(
            ModelError(
                "a grassroots committee belongs to a community (community_id)",
                field="community_id",
                record_id=committee.id,
            )
        )
        return out
    try:
        station = county.station_for(community_id)
    except UnknownIdError:
        return out  # reported by _place_problems
    workers = [m for m in members if m.has_role(PersonRole.GRID_WORKER)]
    if workers and not any(
        m.community_id == community_id
        or (
            m.grid_id is not None and _grid_community(county, m.grid_id) == community_id
        )
        for m in workers
    ):
        out.append(
            ModelError(
                f"its grid worker does not work in community {community_id!r}",
                field="member_ids",
                record_id=committee.id,
            )
        )
    officers = [m for m in members if m.has_role(PersonRole.COMMUNITY_POLICE_OFFICER)]
    if (
        officers
        and station is not None
        and not any(m.org_id == station.id for m in officers)
    ):
        out.append(
            ModelError(
                f"its community police officer is not of {station.id!r}, the station "
                f"covering {community_id!r}",
                field="member_ids",
                record_id=committee.id,
            )
        )
    return out


def _grid_community(county: County, grid_id: str) -> str | None:
    try:
        return county.grid(grid_id).community_id
    except UnknownIdError:
        return None


# ---------------------------------------------------------------- links
@attrs.frozen(kw_only=True)
class StationMediationLink:
    """How one police station is linked to people's mediation (警调对接).

    Attributes:
        station_id: the station.
        link: its recorded link: embedded (进驻式: a mediation room in the station,
            staffed by stationed judicial-office cadres), joint (一体式: a joint
            police–mediation room) or liaison (引驻式: a police liaison in the
            committee); ``None`` when none is recorded.
        stationed_office_ids: the judicial offices stationed in the station.
        committee_ids: the mediation committees in its jurisdiction (of its
            communities, or of their townships).
        liaison_ids: the station's community police officers who sit on those
            committees.
        problems: where the records do not bear the link out.

    Examples:
        >>> link = StationMediationLink(
        ...     station_id="s1", link=PoliceMediationLink.EMBEDDED
        ... )
        >>> link.ok  # problems are found by police_mediation_links
        True

    Added in version 0.1.0.
    """

    station_id: str
    link: PoliceMediationLink | None
    stationed_office_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    committee_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    liaison_ids: tuple[str, ...] = attrs.field(default=(), converter=_ids)
    problems: tuple[ModelError, ...] = attrs.field(
        default=(), eq=False, converter=_errors
    )

    @property
    def ok(self) -> bool:
        """Whether the records bear the link out."""
        return not self.problems


def _link_problems(link: StationMediationLink) -> list[ModelError]:
    sid = link.station_id
    if link.link is PoliceMediationLink.EMBEDDED and not link.stationed_office_ids:
        message = (
            "an embedded (进驻式) link needs a judicial office stationed in the "
            "station; none lists it in stationed_in"
        )
    elif link.link is PoliceMediationLink.JOINT and not link.committee_ids:
        message = (
            "a joint (一体式) link needs a mediation committee in the station's "
            "jurisdiction to share the room with"
        )
    elif link.link is PoliceMediationLink.LIAISON and not link.liaison_ids:
        message = (
            "a liaison (引驻式) link needs one of the station's community police "
            "officers on a mediation committee of its jurisdiction"
        )
    elif link.link is None and link.stationed_office_ids:
        message = (
            f"{', '.join(link.stationed_office_ids)} stationed here, but the station "
            "records no mediation_link"
        )
    else:
        return []
    return [ModelError(message, field="mediation_link", record_id=sid)]


def police_mediation_links(county: County) -> tuple[StationMediationLink, ...]:
    """Each police station's link to people's mediation, checked against the records.

    Args:
        county: the county.

    Returns:
        One `StationMediationLink` per police station, in county order.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> links = police_mediation_links(yueyanglou())
        >>> first = links[0]
        >>> first.station_id, first.link, first.stationed_office_ids, first.ok
        ('zhanqianlu-ps', <PoliceMediationLink.EMBEDDED: 'embedded'>, ('zhanqianlu-sd-jo',), True)

    Added in version 0.1.0.
    """
    out = []
    for station in county.police_stations:
        communities = set(station.jurisdiction)
        townships = {county.community(c).township_id for c in communities}
        committees = [
            c
            for c in county.mediation_committees
            if c.community_id in communities
            or (c.community_id is None and c.township_id in townships)
        ]
        liaisons = sorted(
            {
                m
                for c in committees
                for m in c.member_ids
                if (p := county.person(m)).org_id == station.id
                and p.has_role(PersonRole.COMMUNITY_POLICE_OFFICER)
            }
        )
        link = StationMediationLink(
            station_id=station.id,
            link=station.mediation_link,
            stationed_office_ids=sorted(
                j.id for j in county.judicial_offices if station.id in j.stationed_in
            ),
            committee_ids=sorted(c.id for c in committees),
            liaison_ids=liaisons,
        )
        out.append(attrs.evolve(link, problems=tuple(_link_problems(link))))
    return tuple(out)


def stationed_mediator_ids(county: County) -> tuple[str, ...]:
    """The judicial offices whose cadres are stationed in a police station, sorted.

    Disputes from police calls that these offices take are police hours diverted
    (`countypolicing.operations.dispute_metrics`).

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> stationed_mediator_ids(yueyanglou())[:2]
        ('dongmaoling-sd-jo', 'dongting-sd-jo')

    Added in version 0.1.0.
    """
    return tuple(sorted(j.id for j in county.judicial_offices if j.stationed_in))
