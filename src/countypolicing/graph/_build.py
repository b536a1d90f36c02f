"""Build the responsibility graph of a County."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from operator import itemgetter
from typing import Final, TypeAlias, TypeVar

import networkx as nx

from countypolicing.graph._common import GRAPH_KIND, GRAPH_MARKER, Graph
from countypolicing.graph._relations import NodeKind, Relation
from countypolicing.model import (
    AdminLevel,
    County,
    DepartmentKind,
    GovernmentKind,
    MediationCommittee,
    Organisation,
    RiskTheme,
    ThemeDefinition,
)

__all__ = ["build_responsibility_graph"]

_T = TypeVar("_T")
_Attrs: TypeAlias = dict[str, object]
_Edge: TypeAlias = tuple[str, str, str, _Attrs]

_K = NodeKind
_R = Relation

#: Node kind of each organisation collection of the County.
_ORG_KINDS: Final = (
    ("party_committees", _K.PARTY_COMMITTEE),
    ("governments", _K.GOVERNMENT),
    ("departments", _K.DEPARTMENT),
    ("sub_bureaus", _K.SUB_BUREAU),
    ("police_stations", _K.STATION),
    ("judicial_offices", _K.JUDICIAL_OFFICE),
    ("mediation_committees", _K.MEDIATION_COMMITTEE),
    ("entities", _K.ENTITY),
)

#: Where an ``admin_unit_id`` is looked for first, by the record's level.
_UNIT_KIND: Final = {
    AdminLevel.COUNTY: _K.COUNTY,
    AdminLevel.TOWNSHIP: _K.TOWNSHIP,
    AdminLevel.COMMUNITY: _K.COMMUNITY,
    AdminLevel.GRID: _K.GRID,
}

#: Governments that assess the county's townships and departments (综合绩效考核).
_ASSESSORS: Final = frozenset({GovernmentKind.PEOPLES_GOVERNMENT})
_TOWNSHIP_BODIES: Final = frozenset(
    {
        GovernmentKind.PEOPLES_GOVERNMENT,
        GovernmentKind.SUB_DISTRICT_OFFICE,
        GovernmentKind.TOWNSHIP_GOVERNMENT,
    }
)
#: Departments that guide every mediation committee (People's Mediation Law art. 5).
_GUIDING_DEPARTMENTS: Final = frozenset({DepartmentKind.JUSTICE, DepartmentKind.COURT})


def _key(kind: NodeKind, record_id: str) -> str:
    return f"{kind.value}:{record_id}"


def _by_id(records: Iterable[_T]) -> list[_T]:
    return sorted(records, key=_record_id)


def _record_id(record: object) -> str:
    value = getattr(record, "id", "")
    return value if isinstance(value, str) else ""


def _str(value: object) -> str | None:
    """An enum or string attribute as a plain string (``None`` stays ``None``)."""
    if value is None:
        return None
    return str(value)


class _Builder:
    """Collects nodes and edges, then adds them to the graph in sorted order."""

    def __init__(self, county: County) -> None:
        self.county = county
        self.nodes: dict[str, _Attrs] = {}
        self.edges: list[_Edge] = []
        #: organisation, leading group or person id -> node key
        self.party: dict[str, str] = {}
        #: admin unit node key -> keys of the governments bearing its territorial duty
        self.governments_of: dict[str, list[str]] = defaultdict(list)
        #: community id -> keys of the stations whose jurisdiction covers it
        self.stations_of: dict[str, list[str]] = defaultdict(list)
        self.township_of: dict[str, str] = {
            c.id: c.township_id for c in county.communities
        }
        self.county_key = _key(_K.COUNTY, county.id)

    # ------------------------------------------------------------------ helpers
    def node(
        self,
        kind: NodeKind,
        record_id: str,
        obj: object,
        *,
        name_zh: str,
        name_en: str | None,
        **extra: object,
    ) -> str:
        key = _key(kind, record_id)
        attrs: _Attrs = {
            "kind": kind,
            "name_zh": name_zh,
            "name_en": name_en,
            "obj": obj,
        }
        provenance = getattr(obj, "provenance", None)
        if provenance is not None:
            attrs["provenance"] = str(provenance)
        attrs.update(extra)
        self.nodes[key] = attrs
        return key

    def edge(self, u: str, v: str, relation: Relation, **extra: object) -> None:
        data: _Attrs = {"relation": relation}
        data.update(extra)
        self.edges.append((u, v, relation.value, data))

    def unit_key(self, level: AdminLevel, unit_id: str | None) -> str:
        """The node of the admin unit a levelled record is attached to."""
        if unit_id is None:
            return self.county_key
        preferred = _UNIT_KIND[level]
        for kind in (preferred, _K.COUNTY, _K.TOWNSHIP, _K.COMMUNITY, _K.GRID):
            key = _key(kind, unit_id)
            if key in self.nodes:
                return key
        return _key(preferred, unit_id)  # unreachable for a valid County

    # ------------------------------------------------------------------ places
    def places(self) -> None:
        c = self.county
        self.node(_K.COUNTY, c.id, c, name_zh=c.name_zh, name_en=c.name_en)
        for t in _by_id(c.townships):
            key = self.node(
                _K.TOWNSHIP,
                t.id,
                t,
                name_zh=t.name_zh,
                name_en=t.name_en,
                subkind=str(t.kind),
            )
            self.edge(self.county_key, key, _R.PARENT_OF)
        for cm in _by_id(c.communities):
            key = self.node(
                _K.COMMUNITY,
                cm.id,
                cm,
                name_zh=cm.name_zh,
                name_en=cm.name_en,
                subkind=str(cm.kind),
                township=cm.township_id,
                themes=",".join(sorted(cm.themes)),
            )
            self.edge(_key(_K.TOWNSHIP, cm.township_id), key, _R.PARENT_OF)
        for g in _by_id(c.grids):
            key = self.node(
                _K.GRID,
                g.id,
                g,
                name_zh=g.name_zh,
                name_en=None,
                subkind=str(g.kind),
                community=g.community_id,
            )
            self.edge(_key(_K.COMMUNITY, g.community_id), key, _R.PARENT_OF)

    def themes(self) -> None:
        c = self.county
        declared: dict[str, ThemeDefinition] = {t.id: t for t in c.themes}
        used: set[str] = set(declared)
        used.update(row.theme for row in c.theme_supervision)
        used.update(rp.theme for rp in c.risk_points)
        for community in c.communities:
            used.update(community.themes)
        for station in c.police_stations:
            used.update(station.themes)
        for theme in sorted(used):
            definition = declared.get(theme)
            if definition is not None:
                self.node(
                    _K.THEME,
                    theme,
                    definition,
                    name_zh=definition.name_zh,
                    name_en=definition.name_en,
                    builtin=False,
                )
            else:
                builtin = RiskTheme(theme)
                self.node(
                    _K.THEME,
                    theme,
                    builtin,
                    name_zh=builtin.label_zh,
                    name_en=builtin.label_en,
                    builtin=True,
                )

    # ------------------------------------------------------------- organisations
    def organisations(self) -> None:
        c = self.county
        for collection, kind in _ORG_KINDS:
            records: Sequence[Organisation] = getattr(c, collection)
            for org in _by_id(records):
                self.party[org.id] = self.node(
                    kind,
                    org.id,
                    org,
                    name_zh=org.name_zh,
                    name_en=org.name_en,
                    actor_class=str(org.actor_class),
                    **_org_extra(org),
                )
        for group in _by_id(c.leading_groups):
            self.party[group.id] = self.node(
                _K.LEADING_GROUP,
                group.id,
                group,
                name_zh=group.name_zh,
                name_en=group.name_en,
            )
        self._government_edges()
        self._police_edges()
        self._mediation_edges()
        for group in _by_id(c.leading_groups):
            key = self.party[group.id]
            self.edge(self.party[group.lead_org_id], key, _R.LEADS)
            for member in group.member_org_ids:
                self.edge(self.party[member], key, _R.MEMBER_OF)

    def _government_edges(self) -> None:
        c = self.county
        for gov in _by_id(c.governments):
            key = self.party[gov.id]
            unit = self.unit_key(gov.level, gov.admin_unit_id)
            self.governments_of[unit].append(key)
            self.edge(key, unit, _R.TERRITORIAL_FOR, level=str(gov.level))
        for pc in _by_id(c.party_committees):
            unit = self.unit_key(pc.level, pc.admin_unit_id)
            for gov_key in self.governments_of.get(unit, ()):
                self.edge(self.party[pc.id], gov_key, _R.LEADS)
        for dep in _by_id(c.departments):
            if dep.government_id is not None:
                self.edge(self.party[dep.government_id], self.party[dep.id], _R.LEADS)
        assessors = [
            self.party[g.id]
            for g in _by_id(c.governments)
            if g.kind in _ASSESSORS
            and self.unit_key(g.level, g.admin_unit_id) == self.county_key
        ]
        assessed = [
            self.party[g.id]
            for g in _by_id(c.governments)
            if g.level is AdminLevel.TOWNSHIP and g.kind in _TOWNSHIP_BODIES
        ]
        assessed += [self.party[d.id] for d in _by_id(c.departments)]
        assessed += [self.party[b.id] for b in _by_id(c.sub_bureaus)]
        for assessor in assessors:
            for target in assessed:
                self.edge(assessor, target, _R.ASSESSES)

    def _police_edges(self) -> None:
        c = self.county
        for bureau in _by_id(c.sub_bureaus):
            if bureau.department_id is not None:
                self.edge(
                    self.party[bureau.department_id],
                    self.party[bureau.id],
                    _R.PARENT_OF,
                )
        for station in _by_id(c.police_stations):
            key = self.party[station.id]
            if station.sub_bureau_id is not None:
                self.edge(self.party[station.sub_bureau_id], key, _R.PARENT_OF)
            for community_id in station.jurisdiction:
                self.stations_of[community_id].append(key)
                self.edge(key, _key(_K.COMMUNITY, community_id), _R.JURISDICTION)
        for contact in c.paired_contacts:
            self.edge(
                self.party[contact.contact_id],
                self.party[contact.station_id],
                _R.PAIRED_CONTACT,
            )

    def _committee_stations(self, committee: MediationCommittee) -> list[str]:
        if committee.community_id is not None:
            return self.stations_of.get(committee.community_id, [])
        if committee.township_id is None:
            return []
        found = {
            station
            for community_id, township_id in self.township_of.items()
            if township_id == committee.township_id
            for station in self.stations_of.get(community_id, ())
        }
        return sorted(found)

    def _mediation_edges(self) -> None:
        c = self.county
        guides = [
            self.party[d.id]
            for d in _by_id(c.departments)
            if d.kind in _GUIDING_DEPARTMENTS
        ]
        offices_of: dict[str, list[str]] = defaultdict(list)
        for office in _by_id(c.judicial_offices):
            key = self.party[office.id]
            offices_of[office.township_id].append(key)
            for station_id in office.stationed_in:
                self.edge(key, self.party[station_id], _R.STATIONED_IN)
        for committee in _by_id(c.mediation_committees):
            key = self.party[committee.id]
            for station in self._committee_stations(committee):
                self.edge(station, key, _R.REFERS_TO)
                self.edge(key, station, _R.REPORTS_TO)
            township = committee.township_id
            if township is None and committee.community_id is not None:
                township = self.township_of.get(committee.community_id)
            guiding = [*guides, *offices_of.get(township or "", ())]
            for guide in guiding:
                self.edge(guide, key, _R.GUIDES)
            for member in committee.member_ids:
                self.edge(self.party[member], key, _R.MEMBER_OF)

    # ------------------------------------------------------------------ people
    def people(self) -> None:
        for person in _by_id(self.county.people):
            self.party[person.id] = self.node(
                _K.PERSON,
                person.id,
                person,
                name_zh=person.display_name,
                name_en=None,
                roles=",".join(sorted(str(r) for r in person.roles)),
                community=person.community_id,
            )

    def people_edges(self) -> None:
        for person in _by_id(self.county.people):
            key = self.party[person.id]
            if person.org_id is not None:
                self.edge(key, self.party[person.org_id], _R.MEMBER_OF)
            if person.grid_id is not None:
                self.edge(key, _key(_K.GRID, person.grid_id), _R.ASSIGNED_TO)

    # ------------------------------------------------------------------- risks
    def supervision(self) -> dict[str, list[tuple[str, bool]]]:
        """Theme -> (supervisor key, is lead), with the department → theme edges."""
        rows: dict[str, dict[str, bool]] = defaultdict(dict)
        for row in self.county.theme_supervision:
            for dep in row.department_ids:
                lead = dep == row.lead_id
                rows[row.theme][dep] = rows[row.theme].get(dep, False) or lead
        out: dict[str, list[tuple[str, bool]]] = {}
        for theme in sorted(rows):
            theme_key = _key(_K.THEME, theme)
            pairs = [
                (self.party[dep], lead) for dep, lead in sorted(rows[theme].items())
            ]
            for dep_key, lead in pairs:
                self.edge(dep_key, theme_key, _R.SUPERVISES, basis="theme", lead=lead)
            out[theme] = pairs
        return out

    def risks(self) -> None:
        supervisors = self.supervision()
        county_govs = self.governments_of.get(self.county_key, [])
        for rp in _by_id(self.county.risk_points):
            township = self.township_of[rp.community_id]
            key = self.node(
                _K.RISK,
                rp.id,
                rp,
                name_zh=rp.name_zh,
                name_en=rp.name_en,
                community=rp.community_id,
                township=township,
                theme=rp.theme,
                status=str(rp.status),
                level=_str(rp.level),
                principal_exemption=rp.principal_exemption,
            )
            community_key = _key(_K.COMMUNITY, rp.community_id)
            for unit, level in (
                (community_key, "community"),
                (_key(_K.TOWNSHIP, township), "township"),
            ):
                for gov in self.governments_of.get(unit, ()):
                    self.edge(gov, key, _R.TERRITORIAL_FOR, level=level)
            for gov in county_govs:
                self.edge(gov, key, _R.TERRITORIAL_FOR, level="county")
            if rp.owner_id is not None:
                self.edge(self.party[rp.owner_id], key, _R.PRINCIPAL_FOR)
            override = rp.supervisor_override
            if override is not None:
                self.edge(
                    self.party[override.department_id],
                    key,
                    _R.SUPERVISES,
                    basis="override",
                    lead=True,
                    reason=override.reason,
                )
            else:
                for dep_key, lead in supervisors.get(rp.theme, ()):
                    self.edge(dep_key, key, _R.SUPERVISES, basis="theme", lead=lead)
            for station in self.stations_of.get(rp.community_id, ()):
                self.edge(station, key, _R.MAIN_FORCE_FOR)

    # ---------------------------------------------------------------- disputes
    def disputes(self) -> None:
        for d in _by_id(self.county.disputes):
            key = self.node(
                _K.DISPUTE,
                d.id,
                d,
                name_zh=d.summary,
                name_en=None,
                community=d.community_id,
                grid=d.grid_id,
                type=str(d.type),
                status=str(d.status),
                handling_level=str(d.handling_level),
                channel=_str(d.channel),
            )
            if d.handler_id is not None:
                self.edge(key, self.party[d.handler_id], _R.ASSIGNED_TO, role="handler")
            for mediator in d.mediator_ids:
                self.edge(key, self.party[mediator], _R.ASSIGNED_TO, role="mediator")

    # ------------------------------------------------------- mechanisms, tasks
    def mechanisms(self) -> None:
        c = self.county
        conveners: dict[tuple[str, str], list[str]] = defaultdict(list)
        for meeting in c.meetings:
            conveners[meeting.mechanism_id, meeting.convened_by].append(meeting.id)
        for m in _by_id(c.mechanisms):
            key = self.node(
                _K.MECHANISM,
                m.id,
                m,
                name_zh=m.name_zh,
                name_en=m.name_en,
                cadence=str(m.cadence),
            )
            for member in m.member_org_ids:
                self.edge(self.party[member], key, _R.MEMBER_OF)
            orgs = {org for (mech, org) in conveners if mech == m.id}
            if m.lead_org_id is not None:
                orgs.add(m.lead_org_id)
            for org in sorted(orgs):
                meetings = sorted(conveners.get((m.id, org), ()))
                extra: _Attrs = {"lead": org == m.lead_org_id}
                if meetings:
                    extra["meetings"] = ",".join(meetings)
                self.edge(self.party[org], key, _R.CONVENES, **extra)

    def tasks(self) -> None:
        for t in _by_id(self.county.tasks):
            key = self.node(
                _K.TASK,
                t.id,
                t,
                name_zh=t.title_zh,
                name_en=t.title_en,
                key_item=t.key_item_id,
                status=str(t.status),
                deadline=t.deadline.isoformat(),
                supervision=str(t.supervision),
            )
            self.edge(key, self.party[t.lead_owner_id], _R.ASSIGNED_TO, role="lead")
            for co_owner in t.co_owner_ids:
                self.edge(self.party[co_owner], key, _R.CO_OWNS)

    def patrols(self) -> None:
        for p in _by_id(self.county.patrols):
            key = self.node(
                _K.PATROL,
                p.id,
                p,
                name_zh=p.name_zh,
                name_en=p.name_en,
                hours_per_week=p.schedule.hours_per_week,
            )
            self.edge(self.party[p.lead_station_id], key, _R.LEADS)
            for member in p.member_org_ids:
                self.edge(self.party[member], key, _R.MEMBER_OF)
            for community_id in p.community_ids:
                self.edge(key, _key(_K.COMMUNITY, community_id), _R.PATROLS)

    # ------------------------------------------------------------------- graph
    def graph(self) -> Graph:
        G: Graph = nx.MultiDiGraph()  # noqa: N806  # networkx style
        c = self.county
        G.graph.update(
            {
                GRAPH_MARKER: GRAPH_KIND,
                "county": c.id,
                "name_zh": c.name_zh,
            }
        )
        if c.name_en is not None:
            G.graph["name_en"] = c.name_en
        G.add_nodes_from(sorted(self.nodes.items(), key=itemgetter(0)))
        self.edges.sort(key=itemgetter(0, 1, 2))
        G.add_edges_from(self.edges)  # type: ignore[arg-type]  # (u, v, key, data) is valid for multigraphs; the stubs lack it
        return G


def _org_extra(org: Organisation) -> _Attrs:
    """The attributes that differ between organisation kinds."""
    extra: _Attrs = {}
    kind = getattr(org, "kind", None)
    if kind is not None:
        extra["subkind"] = str(kind)
    level = getattr(org, "level", None)
    if level is not None:
        extra["level"] = str(level)
    for name, attr in (
        ("admin_unit_id", "admin_unit"),
        ("community_id", "community"),
        ("township_id", "township"),
    ):
        if hasattr(org, name):
            extra[attr] = getattr(org, name)
    themes = getattr(org, "themes", None)
    if themes is not None:
        extra["themes"] = ",".join(sorted(themes))
    return extra


def build_responsibility_graph(county: County) -> Graph:
    """The responsibility graph of ``county``: who is responsible for what.

    Nodes are keyed ``"<kind>:<id>"`` (``"department:dept-housing"``,
    ``"community:desheng"``, ``"risk:rp01"``; see `NodeKind`) and carry ``kind``
    (a `NodeKind`), ``name_zh``, ``name_en`` (``None`` when the record has none),
    the frozen model record under ``obj`` and a few plain attributes for queries
    and exports (``community``, ``theme``, ``status``, ``provenance``...).
    Every edge carries ``relation`` (a `Relation`); its key is the relation's
    value, so ``G.edges[u, v, "supervises"]`` finds it.

    Responsibilities are derived from the county's declarative tables:

    - territorial (属地): the governments (including residents' and villagers'
      committees) of the risk point's community, its township and the county;
    - principal (主体): the risk point's ``owner_id``;
    - supervisory (主管): the ``theme_supervision`` row of the risk point's theme,
      or the risk point's ``supervisor_override`` (which carries its reason).

    The graph is built in sorted order (nodes by key, edges by source, target and
    relation), so the same county gives the same graph whatever the order of its
    records and whatever ``PYTHONHASHSEED`` (the county node's ``obj`` is the
    `County` you passed, with its records in your order).

    Args:
        county: the county; its referential integrity is already checked.

    Returns:
        A new `networkx.MultiDiGraph`; ``G.graph`` names the county.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> G = build_responsibility_graph(yueyanglou())
        >>> G.nodes["station:zhanqianlu-ps"]["name_zh"]
        '站前路派出所'
        >>> sorted(
        ...     (u, d["relation"].value)
        ...     for u, _, d in G.in_edges("risk:rp10", data=True)
        ...     if d["relation"] is Relation.SUPERVISES
        ... )
        [('department:dept-political-legal', 'supervises'), ('department:dept-railway-police', 'supervises')]

    Added in version 0.1.0.
    """
    builder = _Builder(county)
    builder.places()
    builder.themes()
    builder.people()
    builder.organisations()
    builder.people_edges()
    builder.risks()
    builder.disputes()
    builder.mechanisms()
    builder.tasks()
    builder.patrols()
    return builder.graph()
