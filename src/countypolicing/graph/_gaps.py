"""Gap and conflict analysis: is every risk covered by all three responsibilities?"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

import attrs

from countypolicing.graph._common import AnyGraph, Graph, check_graph, record_id_of
from countypolicing.graph._relations import NodeKind, Relation
from countypolicing.model import (
    LabelledEnum,
    ResponsibilityType,
    RiskPointStatus,
    TaskStatus,
)

__all__ = [
    "Conflict",
    "Gap",
    "GapKind",
    "conflicts",
    "format_gaps",
    "responsibility_gaps",
]

_RT = ResponsibilityType

#: The relation that carries each responsibility type into a risk point.
_CARRIERS: Final[dict[object, ResponsibilityType]] = {
    Relation.TERRITORIAL_FOR: _RT.TERRITORIAL,
    Relation.PRINCIPAL_FOR: _RT.PRINCIPAL,
    Relation.SUPERVISES: _RT.SUPERVISORY,
}


class GapKind(LabelledEnum):
    """What kind of responsibility is missing.

    Added in version 0.1.0.
    """

    RISK_POINT = "risk_point"
    THEME = "theme"
    MECHANISM = "mechanism"
    TASK = "task"
    __zh__ = {  # noqa: RUF012  # the read-only label table of the enum
        "risk_point": "风险点责任缺失",
        "theme": "风险主题无主管部门",
        "mechanism": "联动机制无牵头单位",
        "task": "任务牵头单位不唯一",
    }

    @property
    def order(self) -> int:
        """The position of the kind in reports (risk points first)."""
        return list(GapKind).index(self)


def _status_label(status: str | None, lang: str) -> str | None:
    if status is None or lang != "zh":
        return status
    for enum in (RiskPointStatus, TaskStatus):
        try:
            member: LabelledEnum = enum(status)
        except ValueError:
            continue
        return member.label_zh
    return status


@attrs.frozen(kw_only=True)
class Gap:
    """One missing responsibility found by `responsibility_gaps`.

    Attributes:
        kind: what is missing (see `GapKind`).
        node: the key of the node at fault (``"risk:rp34"``, ``"theme:crime_tip"``).
        name_zh: the node's Chinese name, for reports.
        missing: for a risk point, the responsibility types nobody holds.
        status: for a risk point or a task, its lifecycle status.
        lead_owners: for a task, how many lead owners it has (one is right).

    Examples:
        >>> from countypolicing.model import ResponsibilityType
        >>> gap = Gap(
        ...     kind=GapKind.RISK_POINT,
        ...     node="risk:rp34",
        ...     name_zh="可疑人员聚集线索（示例）",
        ...     missing=(ResponsibilityType.SUPERVISORY,),
        ...     status="graded",
        ... )
        >>> gap.text()
        'risk point rp34 可疑人员聚集线索（示例） (graded): no supervisory (主管) responsibility'
        >>> gap.text(lang="zh")
        '风险点 rp34 可疑人员聚集线索（示例）（已定级）：缺少主管责任'

    Added in version 0.1.0.
    """

    kind: GapKind
    node: str
    name_zh: str
    missing: tuple[ResponsibilityType, ...] = ()
    status: str | None = None
    lead_owners: int | None = None

    @property
    def record_id(self) -> str:
        """The id of the record at fault (the node key without its kind)."""
        return record_id_of(self.node)

    def text(self, lang: str = "en") -> str:
        """One line describing the gap, in English (``"en"``) or Chinese (``"zh"``)."""
        return self._text_zh() if lang == "zh" else self._text_en()

    def _text_zh(self) -> str:
        rid = self.record_id
        status = _status_label(self.status, "zh")
        where = f"（{status}）" if status else ""
        if self.kind is GapKind.RISK_POINT:
            missing = "、".join(t.label_zh for t in self.missing)
            return f"风险点 {rid} {self.name_zh}{where}：缺少{missing}"
        if self.kind is GapKind.THEME:
            return (
                f"风险主题 {rid} {self.name_zh}：无主管部门（主管责任对照表无此主题）"
            )
        if self.kind is GapKind.MECHANISM:
            return f"联动机制 {rid} {self.name_zh}：无牵头单位"
        return (
            f"任务 {rid} {self.name_zh}{where}：牵头单位{self.lead_owners}个（应为1个）"
        )

    def _text_en(self) -> str:
        rid = self.record_id
        where = f" ({self.status})" if self.status else ""
        if self.kind is GapKind.RISK_POINT:
            missing = ", ".join(
                f"{t.value} ({t.label_zh.removesuffix('责任')})" for t in self.missing
            )
            return (
                f"risk point {rid} {self.name_zh}{where}: no {missing} responsibility"
            )
        if self.kind is GapKind.THEME:
            return (
                f"theme {rid} {self.name_zh}: no supervising department "
                "(no theme_supervision row)"
            )
        if self.kind is GapKind.MECHANISM:
            return f"mechanism {rid} {self.name_zh}: no lead organisation"
        return (
            f"task {rid} {self.name_zh}{where}: {self.lead_owners} lead owners "
            "(needs exactly one)"
        )


@attrs.frozen(kw_only=True)
class Conflict:
    """Several supervising departments and none designated to lead.

    Attributes:
        node: the risk point or theme supervised (``"risk:rp10"``, ``"theme:railway"``).
        supervisors: the supervising departments' node keys, sorted.

    Examples:
        >>> Conflict(
        ...     node="theme:railway", supervisors=("department:a", "department:b")
        ... ).text()
        'theme:railway: 2 supervising departments and no lead (department:a, department:b)'

    Added in version 0.1.0.
    """

    node: str
    supervisors: tuple[str, ...]

    def text(self, lang: str = "en") -> str:
        """One line describing the conflict, in English or Chinese."""
        names = ", ".join(self.supervisors)
        if lang == "zh":
            return (
                f"{self.node}：{len(self.supervisors)}个主管部门，未明确牵头（{names}）"
            )
        return (
            f"{self.node}: {len(self.supervisors)} supervising departments and no lead "
            f"({names})"
        )


def _in_relations(
    G: Graph,  # noqa: N803  # networkx style
    node: str,
) -> list[tuple[str, Mapping[str, Any]]]:
    return [(u, data) for u, _, data in G.in_edges(node, data=True)]


def _risk_gap(G: Graph, node: str, data: Mapping[str, Any]) -> Gap | None:  # noqa: N803
    held: set[ResponsibilityType] = set()
    for _, edge in _in_relations(G, node):
        carried = _CARRIERS.get(edge.get("relation"))
        if carried is not None:
            held.add(carried)
    if data.get("principal_exemption"):
        held.add(_RT.PRINCIPAL)
    missing = tuple(t for t in _RT if t not in held)
    if not missing:
        return None
    return Gap(
        kind=GapKind.RISK_POINT,
        node=node,
        name_zh=str(data.get("name_zh", "")),
        missing=missing,
        status=data.get("status"),
    )


def _theme_gap(G: Graph, node: str, data: Mapping[str, Any]) -> Gap | None:  # noqa: N803
    if any(e.get("relation") == Relation.SUPERVISES for _, e in _in_relations(G, node)):
        return None
    return Gap(kind=GapKind.THEME, node=node, name_zh=str(data.get("name_zh", "")))


def _mechanism_gap(G: Graph, node: str, data: Mapping[str, Any]) -> Gap | None:  # noqa: N803
    if any(
        e.get("relation") == Relation.CONVENES and e.get("lead") is True
        for _, e in _in_relations(G, node)
    ):
        return None
    return Gap(kind=GapKind.MECHANISM, node=node, name_zh=str(data.get("name_zh", "")))


def _task_gap(G: Graph, node: str, data: Mapping[str, Any]) -> Gap | None:  # noqa: N803
    leads = sum(
        1
        for _, _, e in G.out_edges(node, data=True)
        if e.get("relation") == Relation.ASSIGNED_TO
    )
    if leads == 1:
        return None
    return Gap(
        kind=GapKind.TASK,
        node=node,
        name_zh=str(data.get("name_zh", "")),
        status=data.get("status"),
        lead_owners=leads,
    )


_CHECKS: Final[dict[object, Callable[[Graph, str, Mapping[str, Any]], Gap | None]]] = {
    NodeKind.RISK: _risk_gap,
    NodeKind.THEME: _theme_gap,
    NodeKind.MECHANISM: _mechanism_gap,
    NodeKind.TASK: _task_gap,
}


def responsibility_gaps(G: AnyGraph) -> tuple[Gap, ...]:  # noqa: N803
    """Every missing responsibility in the graph, sorted by kind and node.

    Four kinds of gap (`GapKind`):

    - a risk point that lacks any of the territorial (属地), principal (主体) or
      supervisory (主管) responsibilities, whatever its status (a risk point with
      a ``principal_exemption`` needs no principal);
    - a theme that no department supervises;
    - a linkage mechanism without a lead organisation;
    - a task without exactly one lead owner.

    Cost is linear in the size of the graph.

    Args:
        G: a graph from `build_responsibility_graph` (or read back from GraphML or
            node-link JSON).

    Returns:
        The gaps, risk points first, each kind sorted by node key.

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.model import (
        ...     Community,
        ...     CommunityKind,
        ...     County,
        ...     Government,
        ...     GovernmentKind,
        ...     RiskDomain,
        ...     RiskPoint,
        ...     RiskSubjectKind,
        ...     Township,
        ...     TownshipKind,
        ... )
        >>> from datetime import date
        >>> county = County(
        ...     id="demo",
        ...     name_zh="示例区",
        ...     townships=[
        ...         Township(
        ...             id="t1", name_zh="示例街道", kind=TownshipKind.SUB_DISTRICT
        ...         )
        ...     ],
        ...     communities=[
        ...         Community(
        ...             id="c1",
        ...             name_zh="示例社区",
        ...             township_id="t1",
        ...             kind=CommunityKind.URBAN,
        ...             population=5000,
        ...             households=1800,
        ...         )
        ...     ],
        ...     governments=[
        ...         Government(
        ...             id="gov",
        ...             name_zh="示例区人民政府",
        ...             kind=GovernmentKind.PEOPLES_GOVERNMENT,
        ...         )
        ...     ],
        ...     risk_points=[
        ...         RiskPoint(
        ...             id="rp1",
        ...             name_zh="铁路沿线",
        ...             community_id="c1",
        ...             theme="railway",
        ...             subject_kind=RiskSubjectKind.PLACE,
        ...             domain=RiskDomain.PUBLIC_SAFETY,
        ...             likelihood=3,
        ...             severity=4,
        ...             identified_on=date(2020, 5, 1),
        ...         )
        ...     ],
        ... )
        >>> from countypolicing.graph import build_responsibility_graph
        >>> for gap in responsibility_gaps(build_responsibility_graph(county)):
        ...     print(gap.text())
        risk point rp1 铁路沿线 (identified): no principal (主体), supervisory (主管) responsibility
        theme railway 铁路沿线: no supervising department (no theme_supervision row)

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    found: list[Gap] = []
    for node, data in graph.nodes(data=True):
        check = _CHECKS.get(data.get("kind"))
        if check is not None:
            gap = check(graph, node, data)
            if gap is not None:
                found.append(gap)
    found.sort(key=lambda g: (g.kind.order, g.node))
    return tuple(found)


def conflicts(G: AnyGraph) -> tuple[Conflict, ...]:  # noqa: N803
    """Risk points and themes with several supervisors and no designated lead.

    "谁主管、谁负责" needs one department to answer: when the theme table (or an
    override) names several supervising departments and marks none as the lead,
    each may wait for the others.

    Args:
        G: a responsibility graph.

    Returns:
        The conflicts, sorted by node key.

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> conflicts(build_responsibility_graph(yueyanglou()))
        ()

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    found: list[Conflict] = []
    for node, data in graph.nodes(data=True):
        if data.get("kind") not in {NodeKind.RISK, NodeKind.THEME}:
            continue
        supervisors: set[str] = set()
        led = False
        for u, edge in _in_relations(graph, node):
            if edge.get("relation") == Relation.SUPERVISES:
                supervisors.add(u)
                led = led or edge.get("lead") is True
        if len(supervisors) > 1 and not led:
            found.append(Conflict(node=node, supervisors=tuple(sorted(supervisors))))
    found.sort(key=lambda c: c.node)
    return tuple(found)


def format_gaps(gaps: Iterable[Gap], *, lang: str = "en") -> str:
    """A short report of ``gaps``, one line each, for a terminal or a log.

    Args:
        gaps: gaps from `responsibility_gaps`.
        lang: ``"en"`` or ``"zh"``.

    Returns:
        The report, without a trailing newline.

    Examples:
        >>> print(format_gaps([]))
        No responsibility gaps.
        >>> gap = Gap(
        ...     kind=GapKind.MECHANISM, node="mechanism:m1", name_zh="应急事件联处"
        ... )
        >>> print(format_gaps([gap], lang="zh"))
        责任缺口：1 项
          - 联动机制 m1 应急事件联处：无牵头单位

    Added in version 0.1.0.
    """
    items = list(gaps)
    if lang == "zh":
        if not items:
            return "未发现责任缺口。"
        head = f"责任缺口：{len(items)} 项"
    else:
        if not items:
            return "No responsibility gaps."
        head = f"Responsibility gaps: {len(items)}"
    return "\n".join([head, *(f"  - {gap.text(lang)}" for gap in items)])
