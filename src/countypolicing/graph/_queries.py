"""Queries over a responsibility graph: who answers for what, and who escalates where.

Every function takes the graph first (networkx style), checks that it is a
responsibility graph, and returns plain, sorted values or small frozen records, so
the answer never depends on insertion order or ``PYTHONHASHSEED``.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from typing import Final

import attrs
import networkx as nx

from countypolicing.exceptions import UnknownNodeError
from countypolicing.graph._common import (
    AnyGraph,
    Graph,
    check_graph,
    edges_in,
    kind_of,
    record_id_of,
    resolve,
)
from countypolicing.graph._relations import NodeKind, Relation, require_str
from countypolicing.model import ResponsibleParties

__all__ = [
    "DisputeHandlers",
    "EscalationPath",
    "Hub",
    "MechanismMembers",
    "Workload",
    "coordination_hubs",
    "escalation_cycles",
    "escalation_path",
    "handlers_for",
    "mechanism_members",
    "responsible_parties",
    "subgraph_for",
    "workload",
]

_R = Relation
_K = NodeKind

#: The default bound on escalation steps; real hierarchies are four levels deep.
DEFAULT_CUTOFF: Final = 32

_ORGANISATION_KINDS: Final = frozenset(k.value for k in NodeKind if k.is_organisation)

#: Relations by which an organisation answers for a risk point.
_RISK_DUTIES: Final = frozenset(
    {_R.TERRITORIAL_FOR, _R.PRINCIPAL_FOR, _R.SUPERVISES, _R.MAIN_FORCE_FOR}
)

#: Relations that tie organisations together for `coordination_hubs`, and the node
#: kinds that act as meeting places (forums) between them.
_COORDINATION: Final = frozenset(
    {
        _R.MEMBER_OF,
        _R.CONVENES,
        _R.LEADS,
        _R.CO_OWNS,
        _R.ASSIGNED_TO,
        _R.PAIRED_CONTACT,
        _R.STATIONED_IN,
        _R.REFERS_TO,
        _R.REPORTS_TO,
        _R.GUIDES,
        _R.SUPERVISES,
    }
)
_FORUMS: Final = frozenset(
    {
        _K.MECHANISM.value,
        _K.LEADING_GROUP.value,
        _K.PATROL.value,
        _K.TASK.value,
        _K.THEME.value,
    }
)
#: Hub scores are rounded so that ties do not hinge on the last bit of a float.
_SCORE_DIGITS: Final = 9


def _check_positive(name: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 1:
        msg = f"{name} must be a positive integer, got {value!r}"
        raise ValueError(msg)


# --------------------------------------------------------------- responsibility
def responsible_parties(G: AnyGraph, risk_point_id: str) -> ResponsibleParties:  # noqa: N803  # networkx style
    """Who holds the territorial, principal and supervisory responsibility for a risk.

    The result is the model's `countypolicing.model.ResponsibleParties`, with
    record ids (not node keys) sorted in each field, so it can be handed straight
    to `countypolicing.model.RiskPoint.control`.

    Args:
        G: a responsibility graph.
        risk_point_id: the risk point's id (``"rp10"``) or node key (``"risk:rp10"``).

    Returns:
        The parties; an empty field is a missing responsibility.

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        UnknownNodeError: there is no such risk point.
        TypeError: ``risk_point_id`` is not a string.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> G = build_responsibility_graph(yueyanglou())
        >>> parties = responsible_parties(G, "rp10")
        >>> parties.territorial
        ('district-government', 'dongmaoling-sd-gov', 'qiaotou-rc')
        >>> parties.principal, parties.supervisory
        (('railway-unit-01',), ('dept-political-legal', 'dept-railway-police'))

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    key = resolve(graph, risk_point_id, _K.RISK)
    held: dict[Relation, set[str]] = defaultdict(set)
    for u, data in edges_in(
        graph, key, (_R.TERRITORIAL_FOR, _R.PRINCIPAL_FOR, _R.SUPERVISES)
    ):
        held[Relation(data["relation"])].add(record_id_of(u))
    return ResponsibleParties(
        territorial=sorted(held[_R.TERRITORIAL_FOR]),
        principal=sorted(held[_R.PRINCIPAL_FOR]),
        supervisory=sorted(held[_R.SUPERVISES]),
    )


# ------------------------------------------------------------------- escalation
@attrs.frozen(kw_only=True)
class EscalationPath:
    """Where a matter goes up from a node: grid → community → township → county.

    Attributes:
        steps: the node keys from the start upward; the start comes first.
        cycle: when the escalation data loops back, the nodes of the loop in the
            order walked (the walk stops there instead of going round); else empty.
        truncated: whether the walk stopped at the cutoff with more steps ahead.

    Added in version 0.1.0.
    """

    steps: tuple[str, ...]
    cycle: tuple[str, ...] = ()
    truncated: bool = False

    @property
    def top(self) -> str:
        """The last node reached."""
        return self.steps[-1]


def _escalation_candidates(graph: Graph, node: str) -> Iterator[tuple[int, str]]:
    """(priority, node) of every node ``node`` escalates to: parents, then stations."""
    for u, _, data in graph.in_edges(node, data=True):
        if data.get("relation") == _R.PARENT_OF:
            yield (0, u)
    for _, v, data in graph.out_edges(node, data=True):
        if data.get("relation") == _R.REPORTS_TO:
            yield (1, v)


def _next_up(graph: Graph, node: str) -> str | None:
    best = min(_escalation_candidates(graph, node), default=None)
    return None if best is None else best[1]


def _resolve_any(graph: Graph, value: object) -> str:
    text = require_str(value)
    if text in graph:
        return text
    suggestion = None
    if ":" not in text:
        suggestion = next((f"{k}:{text}" for k in _K if f"{k}:{text}" in graph), None)
    raise UnknownNodeError(text, suggestion=suggestion)


def escalation_path(
    G: AnyGraph,  # noqa: N803
    start: str,
    *,
    cutoff: int = DEFAULT_CUTOFF,
) -> EscalationPath:
    """The chain a matter escalates along from ``start``, bounded by ``cutoff`` steps.

    A node escalates to its parent (grid → community → township → county;
    station → sub-bureau → public security department) and, when it has no
    parent, to the stations it reports to (a mediation committee, People's
    Mediation Law art. 25). Where several parents exist (hand-made data), the
    smallest node key is followed. The walk is iterative and never revisits a
    node: a loop in the data ends the walk and is returned in ``cycle``.

    Args:
        G: a responsibility graph.
        start: the node key to start from (``"grid:desheng-g01"``).
        cutoff: the most steps to take.

    Returns:
        The path, with any cycle met and whether the cutoff cut it short.

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        UnknownNodeError: ``start`` is not a node (a bare id gets a suggestion).
        ValueError: ``cutoff`` is not a positive integer.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> G = build_responsibility_graph(yueyanglou())
        >>> escalation_path(G, "grid:desheng-g01").steps
        ('grid:desheng-g01', 'community:desheng', 'township:zhanqianlu-sd', 'county:yueyanglou')
        >>> escalation_path(G, "mediation_committee:desheng-mc").steps[1:]
        ('station:zhanqianlu-ps', 'sub_bureau:yyl-psb', 'department:dept-public-security')

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    _check_positive("cutoff", cutoff)
    node = _resolve_any(graph, start)
    steps = [node]
    seen = {node: 0}
    for _ in range(cutoff):
        parent = _next_up(graph, node)
        if parent is None:
            return EscalationPath(steps=tuple(steps))
        if parent in seen:
            return EscalationPath(
                steps=tuple(steps), cycle=tuple(steps[seen[parent] :])
            )
        seen[parent] = len(steps)
        steps.append(parent)
        node = parent
    return EscalationPath(
        steps=tuple(steps), truncated=_next_up(graph, node) is not None
    )


def escalation_cycles(G: AnyGraph) -> tuple[tuple[str, ...], ...]:  # noqa: N803
    """Loops in the escalation data, one witness cycle per tangle, sorted.

    Escalation runs from child to parent (reversed ``parent_of``) and along
    ``reports_to``. A graph built from a valid County has no loops; hand-made or
    edited graphs may (``police → township → civil affairs → police``). Each
    strongly connected tangle is reported once, as one cycle through its
    smallest node, starting there. Cost is linear in the graph size, however
    dense the tangle.

    Args:
        G: a responsibility graph.

    Returns:
        The cycles, each a tuple of node keys (a self-loop is a 1-tuple).

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> G = build_responsibility_graph(yueyanglou())
        >>> escalation_cycles(G)
        ()
        >>> G.add_edge(
        ...     "community:desheng",
        ...     "township:zhanqianlu-sd",
        ...     key="parent_of",
        ...     relation=Relation.PARENT_OF,
        ... )
        'parent_of'
        >>> escalation_cycles(G)
        (('community:desheng', 'township:zhanqianlu-sd'),)

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    up: nx.DiGraph[str] = nx.DiGraph()
    pairs: set[tuple[str, str]] = set()
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation == _R.PARENT_OF:
            pairs.add((v, u))
        elif relation == _R.REPORTS_TO:
            pairs.add((u, v))
    up.add_edges_from(sorted(pairs))
    found: list[tuple[str, ...]] = []
    for component in nx.strongly_connected_components(up):
        first = min(component)
        if len(component) == 1 and not up.has_edge(first, first):
            continue
        tangle = up.subgraph(component)
        walk = nx.find_cycle(tangle, source=first)
        cycle = [edge[0] for edge in walk]
        at = cycle.index(min(cycle))
        found.append(tuple(cycle[at:] + cycle[:at]))
    found.sort()
    return tuple(found)


# -------------------------------------------------------------------- disputes
@attrs.frozen(kw_only=True)
class DisputeHandlers:
    """Who can take up a dispute, from the record and from where it happened.

    Attributes:
        dispute: the dispute's node key.
        handler: the organisation the dispute is assigned to, if any.
        mediators: the people mediating it, if any.
        committees: the people's mediation committees of its community (then of
            its township).
        stations: the police stations whose jurisdiction covers its community.
        stationed: the judicial offices stationed in those stations (警调对接).
        territorial: the governments of its community, township and county, in
            that order.

    Added in version 0.1.0.
    """

    dispute: str
    handler: tuple[str, ...] = ()
    mediators: tuple[str, ...] = ()
    committees: tuple[str, ...] = ()
    stations: tuple[str, ...] = ()
    stationed: tuple[str, ...] = ()
    territorial: tuple[str, ...] = ()


def _ancestors(graph: Graph, node: str) -> list[str]:
    """``node`` and its ``parent_of`` ancestors, bounded and loop-safe."""
    chain = [node]
    while len(chain) <= DEFAULT_CUTOFF:
        parents = sorted(
            u
            for u, _, data in graph.in_edges(chain[-1], data=True)
            if data.get("relation") == _R.PARENT_OF
        )
        if not parents or parents[0] in chain:
            break
        chain.append(parents[0])
    return chain


def handlers_for(G: AnyGraph, dispute_id: str) -> DisputeHandlers:  # noqa: N803
    """Who handles a dispute now, and who could: committees, stations, governments.

    Args:
        G: a responsibility graph.
        dispute_id: the dispute's id or node key.

    Returns:
        The handlers, each field sorted (territorial bodies from the community up).

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        UnknownNodeError: there is no such dispute.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> G = build_responsibility_graph(yueyanglou())
        >>> h = handlers_for(G, "lengshuipu-construction-cracks")
        >>> h.committees, h.stations, h.stationed
        (('mediation_committee:lengshuipu-grassroots-mc',), ('station:sample-ps-01',), ('judicial_office:sample-sd-01-jo',))
        >>> h.mediators
        ('person:p-lengshuipu-cpo',)

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    key = resolve(graph, dispute_id, _K.DISPUTE)
    handler: set[str] = set()
    mediators: set[str] = set()
    for _, v, data in graph.out_edges(key, data=True):
        if data.get("relation") == _R.ASSIGNED_TO:
            (mediators if kind_of(v) == _K.PERSON else handler).add(v)
    community_id = graph.nodes[key].get("community")
    community = f"{_K.COMMUNITY.value}:{community_id}"
    if community not in graph:
        return DisputeHandlers(
            dispute=key,
            handler=tuple(sorted(handler)),
            mediators=tuple(sorted(mediators)),
        )
    chain = _ancestors(graph, community)
    township_id = next(
        (record_id_of(n) for n in chain if kind_of(n) == _K.TOWNSHIP), None
    )
    committees = sorted(
        n
        for n, data in graph.nodes(data=True)
        if data.get("kind") == _K.MEDIATION_COMMITTEE
        and data.get("community") == community_id
    )
    committees += sorted(
        n
        for n, data in graph.nodes(data=True)
        if data.get("kind") == _K.MEDIATION_COMMITTEE
        and data.get("community") is None
        and township_id is not None
        and data.get("township") == township_id
    )
    stations = [u for u, _ in edges_in(graph, community, (_R.JURISDICTION,))]
    stationed = sorted(
        {u for s in stations for u, _ in edges_in(graph, s, (_R.STATIONED_IN,))}
    )
    territorial: list[str] = []
    for unit in chain:
        for u, _ in edges_in(graph, unit, (_R.TERRITORIAL_FOR,)):
            if u not in territorial:
                territorial.append(u)
    return DisputeHandlers(
        dispute=key,
        handler=tuple(sorted(handler)),
        mediators=tuple(sorted(mediators)),
        committees=tuple(committees),
        stations=tuple(stations),
        stationed=tuple(stationed),
        territorial=tuple(territorial),
    )


# -------------------------------------------------------------------- workload
@attrs.frozen(kw_only=True)
class Workload:
    """How much one organisation answers for.

    Attributes:
        node: the organisation's node key.
        risk_points: risk points it holds a responsibility for, or is the police
            main force for.
        tasks: tasks it leads or co-owns.
        disputes: disputes assigned to it.

    Added in version 0.1.0.
    """

    node: str
    risk_points: int = 0
    tasks: int = 0
    disputes: int = 0

    @property
    def total(self) -> int:
        """Risk points, tasks and disputes together."""
        return self.risk_points + self.tasks + self.disputes


def workload(G: AnyGraph) -> tuple[Workload, ...]:  # noqa: N803
    """The workload of every organisation, sorted by node key.

    Counts distinct risk points (territorial, principal, supervisory or police
    main-force duty), tasks (lead or co-owner) and disputes (assigned handler).
    People and leading groups are not organisations here. Cost is linear in the
    number of edges.

    Args:
        G: a responsibility graph.

    Returns:
        One `Workload` per organisation node, zeros included.

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> loads = {
        ...     w.node: w for w in workload(build_responsibility_graph(yueyanglou()))
        ... }
        >>> loads["station:dongmaoling-ps"]
        Workload(node='station:dongmaoling-ps', risk_points=5, tasks=6, disputes=0)

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    kinds = _kinds(graph)
    risks: dict[str, set[str]] = defaultdict(set)
    tasks: dict[str, set[str]] = defaultdict(set)
    disputes: dict[str, set[str]] = defaultdict(set)
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation in _RISK_DUTIES:
            if kinds[v] == _K.RISK:
                risks[u].add(v)
        elif relation == _R.CO_OWNS:
            if kinds[v] == _K.TASK:
                tasks[u].add(v)
        elif relation == _R.ASSIGNED_TO:
            if kinds[u] == _K.TASK:
                tasks[v].add(u)
            elif kinds[u] == _K.DISPUTE:
                disputes[v].add(u)
    return tuple(
        Workload(
            node=node,
            risk_points=len(risks.get(node, ())),
            tasks=len(tasks.get(node, ())),
            disputes=len(disputes.get(node, ())),
        )
        for node in sorted(kinds)
        if kinds[node] in _ORGANISATION_KINDS
    )


# ------------------------------------------------------------------ coordination
@attrs.frozen(kw_only=True)
class Hub:
    """An organisation that ties others together.

    Attributes:
        node: the organisation's node key.
        score: its betweenness centrality in the coordination graph (0 to 1,
            rounded to 9 decimal places).
        partners: how many other organisations it shares a mechanism, group,
            patrol, task or theme with, or is directly linked to.

    Added in version 0.1.0.
    """

    node: str
    score: float
    partners: int


def _kinds(graph: Graph) -> dict[str, object]:
    return {node: data.get("kind") for node, data in graph.nodes(data=True)}


def _coordination_graph(graph: Graph) -> nx.Graph[str]:
    kinds = _kinds(graph)
    pairs: set[tuple[str, str]] = set()
    for u, v, data in graph.edges(data=True):
        relation = data.get("relation")
        if relation not in _COORDINATION or u == v:
            continue
        ku, kv = kinds.get(u), kinds.get(v)
        org_u, org_v = ku in _ORGANISATION_KINDS, kv in _ORGANISATION_KINDS
        if (org_u and (org_v or kv in _FORUMS)) or (org_v and ku in _FORUMS):
            if relation == _R.SUPERVISES and kv != _K.THEME:
                continue  # co-supervision meets on the theme, not on each risk
            pairs.add((u, v) if u < v else (v, u))
    coordination: nx.Graph[str] = nx.Graph()
    coordination.add_nodes_from(sorted({n for pair in pairs for n in pair}))
    coordination.add_edges_from(sorted(pairs))
    return coordination


def coordination_hubs(G: AnyGraph, *, top: int = 10) -> tuple[Hub, ...]:  # noqa: N803
    """The organisations that tie the most others together (联动).

    The coordination graph links organisations to the forums they share
    (mechanisms, leading groups, patrols, tasks, supervised themes) and to each
    other through paired contact, stationed mediators, referrals, reports and
    guidance. Hubs are ranked by betweenness centrality in it, then by number
    of partners, then by node key, so ties always break the same way. Cost is
    that of exact betweenness on the coordination graph (organisations and
    forums only, never risk points or people).

    Args:
        G: a responsibility graph.
        top: how many hubs to return.

    Returns:
        At most ``top`` hubs, best first.

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        ValueError: ``top`` is not a positive integer.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> coordination_hubs(build_responsibility_graph(yueyanglou()), top=1)[0].node
        'sub_bureau:yyl-psb'

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    _check_positive("top", top)
    kinds = _kinds(graph)
    coordination = _coordination_graph(graph)
    centrality = nx.betweenness_centrality(coordination, normalized=True)
    hubs: list[Hub] = []
    for node in coordination:
        if kinds.get(node) not in _ORGANISATION_KINDS:
            continue
        partners: set[str] = set()
        for neighbour in coordination[node]:
            if kinds.get(neighbour) in _ORGANISATION_KINDS:
                partners.add(neighbour)
            else:
                partners.update(
                    n
                    for n in coordination[neighbour]
                    if kinds.get(n) in _ORGANISATION_KINDS
                )
        partners.discard(node)
        hubs.append(
            Hub(
                node=node,
                score=round(centrality[node], _SCORE_DIGITS),
                partners=len(partners),
            )
        )
    hubs.sort(key=lambda h: (-h.score, -h.partners, h.node))
    return tuple(hubs[:top])


# ------------------------------------------------------------------ mechanisms
@attrs.frozen(kw_only=True)
class MechanismMembers:
    """Who takes part in a linkage mechanism.

    Attributes:
        mechanism: the mechanism's node key.
        lead: the lead organisation's node key, or ``None`` (a gap).
        members: the member organisations' node keys, sorted.
        conveners: organisations that convened its recorded meetings, sorted.

    Added in version 0.1.0.
    """

    mechanism: str
    lead: str | None
    members: tuple[str, ...] = ()
    conveners: tuple[str, ...] = ()

    @property
    def organisations(self) -> tuple[str, ...]:
        """The lead, members and conveners together, sorted and distinct."""
        everyone = {*self.members, *self.conveners}
        if self.lead is not None:
            everyone.add(self.lead)
        return tuple(sorted(everyone))


def mechanism_members(G: AnyGraph, mechanism_id: str) -> MechanismMembers:  # noqa: N803
    """The lead, members and meeting conveners of a linkage mechanism.

    Args:
        G: a responsibility graph.
        mechanism_id: the mechanism's id or node key.

    Returns:
        The mechanism's participants.

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        UnknownNodeError: there is no such mechanism.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> m = mechanism_members(
        ...     build_responsibility_graph(yueyanglou()), "joint_meeting"
        ... )
        >>> m.lead, m.conveners
        ('department:dept-political-legal', ('station:dongmaoling-ps',))

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    key = resolve(graph, mechanism_id, _K.MECHANISM)
    leads: list[str] = []
    members: list[str] = []
    conveners: list[str] = []
    for u, data in edges_in(graph, key, (_R.MEMBER_OF, _R.CONVENES)):
        if data["relation"] == _R.MEMBER_OF:
            members.append(u)
            continue
        if data.get("lead") is True:
            leads.append(u)
        if data.get("meetings"):
            conveners.append(u)
    return MechanismMembers(
        mechanism=key,
        lead=leads[0] if leads else None,
        members=tuple(members),
        conveners=tuple(conveners),
    )


# ------------------------------------------------------------------- subgraphs
def subgraph_for(G: AnyGraph, community_id: str) -> Graph:  # noqa: N803
    """The part of the graph around one community, as a new responsibility graph.

    Holds the community, its township and county, everything located in it
    (grids, risk points, disputes, committees, entities, people) and every node
    one edge away from those: the parties responsible for its risks, its
    stations and their stationed mediators, its governments, its patrols. The
    result is a copy (with the same attributes, built in sorted order), so
    every query and export works on it.

    Args:
        G: a responsibility graph.
        community_id: the community's id or node key.

    Returns:
        A new `networkx.MultiDiGraph`; ``G.graph["community"]`` names the community.

    Raises:
        GraphError: ``G`` is not a responsibility graph.
        UnknownNodeError: there is no such community.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> G = build_responsibility_graph(yueyanglou())
        >>> S = subgraph_for(G, "qiaotou")
        >>> "risk:rp10" in S, "risk:rp20" in S
        (True, False)
        >>> responsible_parties(S, "rp10") == responsible_parties(G, "rp10")
        True

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    key = resolve(graph, community_id, _K.COMMUNITY)
    cid = record_id_of(key)
    local = {key}
    local.update(
        n for n, data in graph.nodes(data=True) if data.get("community") == cid
    )
    keep = set(local)
    for unit in _ancestors(graph, key):
        keep.add(unit)
        keep.update(u for u, _ in edges_in(graph, unit, (_R.TERRITORIAL_FOR,)))
    for node in local:
        keep.update(graph.pred[node])
        keep.update(graph.succ[node])
    sub: Graph = nx.MultiDiGraph()
    sub.graph.update(graph.graph)
    sub.graph["community"] = cid
    ordered = sorted(keep)
    sub.add_nodes_from((n, graph.nodes[n]) for n in ordered)
    edges = [
        (u, v, k, data)
        for u in ordered
        for v, keyed in graph.succ[u].items()
        if v in keep
        for k, data in keyed.items()
    ]
    edges.sort(key=lambda e: (e[0], e[1], str(e[2])))
    sub.add_edges_from(edges)  # type: ignore[arg-type]  # (u, v, key, data) is valid for multigraphs; the stubs lack it
    return sub
