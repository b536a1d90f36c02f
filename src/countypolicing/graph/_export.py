"""Exports: GraphML, GEXF, node-link JSON, Cytoscape.js JSON, DOT and Mermaid text.

Every export is a string (no file is touched here: write it where you like) and is
canonical: nodes sorted by key, edges by source, target and key, attributes by
name, so the same graph gives the same bytes whatever the insertion order or
``PYTHONHASHSEED``. The model records under ``obj`` and attributes that are
``None`` are left out; enums become their plain values. Any other attribute must
be a string, a bool, an int or a finite float, or the export raises `GraphError`.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from enum import Enum
from types import MappingProxyType
from typing import Any, Final, TypeAlias

import networkx as nx
from networkx.readwrite.gexf import GEXFWriter

from countypolicing.exceptions import GraphError
from countypolicing.graph._common import (
    AnyGraph,
    Graph,
    check_graph,
    kind_of,
    record_id_of,
)
from countypolicing.graph._relations import NodeKind, Relation

__all__ = [
    "EXPORT_FORMATS",
    "to_cytoscape_json",
    "to_dot",
    "to_gexf",
    "to_graphml",
    "to_mermaid",
    "to_node_link_json",
]

_Scalar: TypeAlias = str | bool | int | float
_Attrs: TypeAlias = dict[str, _Scalar]

_XML_DECLARATION: Final = "<?xml version='1.0' encoding='utf-8'?>"

#: Graph attributes networkx's GraphML reader adds (and its writer ignores).
_READER_DEFAULTS: Final = frozenset({"node_default", "edge_default"})

#: Fill colours by kind for DOT, grouped by the four actor classes and the rest.
_COLOURS: Final = {
    NodeKind.COUNTY: "#f2f2f2",
    NodeKind.TOWNSHIP: "#f2f2f2",
    NodeKind.COMMUNITY: "#f2f2f2",
    NodeKind.GRID: "#f2f2f2",
    NodeKind.PARTY_COMMITTEE: "#f4b6b6",
    NodeKind.GOVERNMENT: "#f4b6b6",
    NodeKind.LEADING_GROUP: "#f4b6b6",
    NodeKind.SUB_BUREAU: "#a9c8f0",
    NodeKind.STATION: "#a9c8f0",
    NodeKind.DEPARTMENT: "#b5e0b5",
    NodeKind.JUDICIAL_OFFICE: "#b5e0b5",
    NodeKind.MEDIATION_COMMITTEE: "#f7d9a8",
    NodeKind.ENTITY: "#f7d9a8",
    NodeKind.PERSON: "#ffffff",
    NodeKind.RISK: "#fff3a3",
    NodeKind.DISPUTE: "#fff3a3",
    NodeKind.THEME: "#e3d4f0",
    NodeKind.MECHANISM: "#e3d4f0",
    NodeKind.TASK: "#e3d4f0",
    NodeKind.PATROL: "#e3d4f0",
}


def _plain(value: object, *, where: str, name: str) -> _Scalar | None:
    if value is None:
        return None
    if isinstance(value, Enum):
        value = value.value
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float) and math.isfinite(value):
        return value
    raise GraphError(
        f"cannot export attribute {name!r} of {where}: {type(value).__name__} "
        f"{value!r}; keep attributes str, bool, int or finite float"
    )


def _attrs(data: Mapping[str, Any], *, where: str) -> _Attrs:
    out: _Attrs = {}
    for name in sorted(data):
        if name == "obj":
            continue
        value = _plain(data[name], where=where, name=name)
        if value is not None:
            out[name] = value
    return out


def _canonical(G: AnyGraph) -> tuple[_Attrs, list[tuple[str, _Attrs]], list[_Edge]]:  # noqa: N803  # networkx style
    """Graph attributes, sorted nodes and sorted edges, all export-safe."""
    graph = check_graph(G)
    for node in graph:
        if not isinstance(node, str):  # pragma: no cover  # keys are strings by build
            raise GraphError(f"cannot export node {node!r}: node keys are strings")
    meta = _attrs(
        {k: v for k, v in graph.graph.items() if k not in _READER_DEFAULTS},
        where="the graph",
    )
    nodes = [
        (node, _attrs(graph.nodes[node], where=f"node {node!r}"))
        for node in sorted(graph)
    ]
    edges = [
        (u, v, str(k), _attrs(data, where=f"edge {u!r} -> {v!r} ({k!r})"))
        for u, v, k, data in graph.edges(keys=True, data=True)
    ]
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    return meta, nodes, edges


_Edge: TypeAlias = tuple[str, str, str, _Attrs]


def _clean_graph(G: AnyGraph) -> nx.MultiDiGraph[str]:  # noqa: N803
    meta, nodes, edges = _canonical(G)
    clean: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    clean.graph.update(meta)
    clean.add_nodes_from(nodes)
    clean.add_edges_from(edges)  # type: ignore[arg-type]  # (u, v, key, data) is valid for multigraphs; the stubs lack it
    return clean


def to_graphml(G: AnyGraph) -> str:  # noqa: N803
    """The graph as GraphML (UTF-8 XML), readable by `networkx.read_graphml`, yEd, Gephi.

    Graph attributes (including the responsibility-graph marker) are kept, so a
    graph read back with ``force_multigraph=True`` answers every query.

    Args:
        G: a responsibility graph.

    Returns:
        The GraphML document, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph, or holds an attribute
            GraphML cannot store.

    Examples:
        >>> import io
        >>> import networkx as nx
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import (
        ...     build_responsibility_graph,
        ...     responsibility_gaps,
        ...     subgraph_for,
        ... )
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> text = to_graphml(S)
        >>> back = nx.read_graphml(io.BytesIO(text.encode()), force_multigraph=True)
        >>> sorted(back) == sorted(S)
        True
        >>> responsibility_gaps(back) == responsibility_gaps(S)
        True

    Added in version 0.1.0.
    """
    clean = _clean_graph(G)
    lines = nx.generate_graphml(clean, encoding="utf-8", prettyprint=True)
    return "\n".join([_XML_DECLARATION, *lines]) + "\n"


def to_gexf(G: AnyGraph) -> str:  # noqa: N803
    """The graph as GEXF 1.2 (UTF-8 XML) for Gephi, readable by `networkx.read_gexf`.

    Node labels are the Chinese names. GEXF has no place for graph attributes, so
    a graph read back from it is not recognised as a responsibility graph; use
    GraphML or node-link JSON for round trips. The file carries no date, so it
    is the same every day.

    Args:
        G: a responsibility graph.

    Returns:
        The GEXF document, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph, or holds an attribute
            GEXF cannot store.

    Examples:
        >>> import io
        >>> import networkx as nx
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph, subgraph_for
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> back = nx.read_gexf(io.BytesIO(to_gexf(S).encode()))
        >>> back.nodes["station:zhanqianlu-ps"]["label"]
        '站前路派出所'

    Added in version 0.1.0.
    """
    _, nodes, edges = _canonical(G)
    clean: nx.MultiDiGraph[str] = nx.MultiDiGraph()
    clean.add_nodes_from(
        (node, {**data, "label": str(data.get("name_zh", node))})
        for node, data in nodes
    )
    clean.add_edges_from(edges)  # type: ignore[arg-type]  # (u, v, key, data) is valid for multigraphs; the stubs lack it
    writer = GEXFWriter(encoding="utf-8", prettyprint=True)
    meta = writer.xml.find("meta")
    if meta is not None:  # the date would make every day's file different
        meta.attrib.pop("lastmodifieddate", None)
        creator = meta.find("creator")
        if creator is not None:
            creator.text = "countypolicing"
    writer.add_graph(clean)
    return "\n".join([_XML_DECLARATION, str(writer).strip()]) + "\n"


def _json(data: object) -> str:
    return (
        json.dumps(data, ensure_ascii=False, indent=1, sort_keys=True, allow_nan=False)
        + "\n"
    )


def to_node_link_json(G: AnyGraph) -> str:  # noqa: N803
    """The graph as node-link JSON (``nodes`` and ``edges``), as D3 and networkx use it.

    Read it back with ``networkx.node_link_graph(json.loads(text), edges="edges")``.

    Args:
        G: a responsibility graph.

    Returns:
        The JSON text, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph, or holds an attribute
            JSON cannot store faithfully (NaN, a list...).

    Examples:
        >>> import json
        >>> import networkx as nx
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import (
        ...     build_responsibility_graph,
        ...     responsible_parties,
        ... )
        >>> G = build_responsibility_graph(yueyanglou())
        >>> back = nx.node_link_graph(json.loads(to_node_link_json(G)), edges="edges")
        >>> responsible_parties(back, "rp10") == responsible_parties(G, "rp10")
        True

    Added in version 0.1.0.
    """
    meta, nodes, edges = _canonical(G)
    return _json(
        {
            "directed": True,
            "multigraph": True,
            "graph": meta,
            "nodes": [{**data, "id": node} for node, data in nodes],
            "edges": [
                {**data, "source": u, "target": v, "key": k} for u, v, k, data in edges
            ],
        }
    )


def to_cytoscape_json(G: AnyGraph) -> str:  # noqa: N803
    """The graph as Cytoscape.js elements JSON, readable by `networkx.cytoscape_graph`.

    Pass the parsed object to ``cytoscape({container, ...data})`` or
    ``cy.json(data)``. Each element's ``classes`` is its node kind or relation,
    for styling; node ``name`` is the Chinese name.

    Args:
        G: a responsibility graph.

    Returns:
        The JSON text, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph, or holds an attribute
            JSON cannot store faithfully.

    Examples:
        >>> import json
        >>> import networkx as nx
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph, subgraph_for
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> data = json.loads(to_cytoscape_json(S))
        >>> data["elements"]["nodes"][0]["data"]["id"]
        'community:desheng'
        >>> nx.cytoscape_graph(data).number_of_edges() == S.number_of_edges()
        True

    Added in version 0.1.0.
    """
    meta, nodes, edges = _canonical(G)
    return _json(
        {
            "data": meta,
            "directed": True,
            "multigraph": True,
            "elements": {
                "nodes": [
                    {
                        "data": {
                            **data,
                            "id": node,
                            "value": node,
                            "name": str(data.get("name_zh", node)),
                        },
                        "classes": kind_of(node),
                    }
                    for node, data in nodes
                ],
                "edges": [
                    {
                        "data": {
                            **data,
                            "id": f"{u}->{v}#{k}",
                            "source": u,
                            "target": v,
                            "key": k,
                        },
                        "classes": str(data.get("relation", k)),
                    }
                    for u, v, k, data in edges
                ],
            },
        }
    )


def _label(node: str, data: Mapping[str, _Scalar], lang: str) -> str:
    if lang == "zh":
        return str(data.get("name_zh") or record_id_of(node))
    name = data.get("name_en")
    return str(name) if name else record_id_of(node)


def _relation_label(relation: str, lang: str) -> str:
    if lang == "zh":
        try:
            return Relation(relation).label_zh
        except ValueError:
            return relation
    return relation


def _dot_quote(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\n")
    return f'"{escaped}"'


def _dot_attrs(pairs: Mapping[str, _Scalar]) -> str:
    return ", ".join(
        f"{name}={_dot_quote(str(value).lower() if isinstance(value, bool) else str(value))}"
        for name, value in pairs.items()
    )


def to_dot(G: AnyGraph, *, lang: str = "en") -> str:  # noqa: N803
    """The graph in Graphviz DOT, coloured by node kind, for ``dot -Tsvg``.

    Node attributes are kept as DOT attributes; the visible ``label`` is the
    English name (or the record id when there is none) or, with ``lang="zh"``,
    the Chinese name (render with a CJK font: ``dot -Nfontname="Noto Sans CJK SC"``).

    Args:
        G: a responsibility graph.
        lang: ``"en"`` or ``"zh"`` labels.

    Returns:
        The DOT text, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph, subgraph_for
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> text = to_dot(S)
        >>> text.splitlines()[0]
        'digraph "responsibility" {'
        >>> text.count(" -> ") == S.number_of_edges()
        True

    Added in version 0.1.0.
    """
    meta, nodes, edges = _canonical(G)
    lines = ['digraph "responsibility" {']
    if meta:
        lines.append(f"  graph [{_dot_attrs(meta)}];")
    lines.append('  node [shape=box, style="rounded,filled", fontsize=10];')
    lines.append("  edge [fontsize=8];")
    for node, data in nodes:
        kind = kind_of(node)
        colour = (
            _COLOURS.get(NodeKind(kind), "#ffffff") if kind in _KINDS else "#ffffff"
        )
        shown = {
            **{k: v for k, v in data.items() if k not in {"label", "fillcolor"}},
            "label": _label(node, data, lang),
            "fillcolor": colour,
        }
        lines.append(f"  {_dot_quote(node)} [{_dot_attrs(shown)}];")
    for u, v, k, data in edges:
        relation = str(data.get("relation", k))
        shown = {
            **{n: x for n, x in data.items() if n != "label"},
            "key": k,
            "label": _relation_label(relation, lang),
        }
        lines.append(f"  {_dot_quote(u)} -> {_dot_quote(v)} [{_dot_attrs(shown)}];")
    lines.append("}")
    return "\n".join(lines) + "\n"


_KINDS: Final = frozenset(k.value for k in NodeKind)


def _mermaid_text(text: str) -> str:
    """Text safe inside a Mermaid ``["..."]`` label or ``|...|`` edge label."""
    out = []
    for char in text:
        if char in '"#|<>' or not char.isprintable():
            out.append(f"#{ord(char)};")
        else:
            out.append(char)
    return "".join(out)


def to_mermaid(G: AnyGraph, *, lang: str = "en") -> str:  # noqa: N803
    """The graph as a Mermaid flowchart, grouped by node kind, for Markdown pages.

    Mermaid suits small graphs: export a `subgraph_for` one community, not a
    whole county. Nodes get the ids ``n0``, ``n1``... in key order; each label
    shows the name and the node key.

    Args:
        G: a responsibility graph.
        lang: ``"en"`` or ``"zh"`` labels and relation names.

    Returns:
        The Mermaid text, ending with a newline.

    Raises:
        GraphError: ``G`` is not a responsibility graph.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph, subgraph_for
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> text = to_mermaid(S, lang="zh")
        >>> text.splitlines()[0]
        'flowchart LR'
        >>> '"站前路派出所<br/>station:zhanqianlu-ps"' in text
        True

    Added in version 0.1.0.
    """
    _, nodes, edges = _canonical(G)
    ids = {node: f"n{i}" for i, (node, _) in enumerate(nodes)}
    lines = ["flowchart LR"]
    groups: dict[str, list[tuple[str, _Attrs]]] = {}
    for node, data in nodes:
        groups.setdefault(kind_of(node), []).append((node, data))
    order = [k.value for k in NodeKind] + sorted(set(groups) - _KINDS)
    for kind in order:
        members = groups.get(kind)
        if not members:
            continue
        title = NodeKind(kind).label(lang) if kind in _KINDS else kind
        lines.append(f'  subgraph k_{kind}["{_mermaid_text(title)}"]')
        for node, data in members:
            label = (
                f"{_mermaid_text(_label(node, data, lang))}<br/>{_mermaid_text(node)}"
            )
            lines.append(f'    {ids[node]}["{label}"]')
        lines.append("  end")
    for u, v, k, data in edges:
        relation = _relation_label(str(data.get("relation", k)), lang)
        lines.append(f"  {ids[u]} -->|{_mermaid_text(relation)}| {ids[v]}")
    return "\n".join(lines) + "\n"


#: The text export formats by the name the command line uses (``--export json``).
EXPORT_FORMATS: Final[Mapping[str, Callable[[Graph], str]]] = MappingProxyType(
    {
        "graphml": to_graphml,
        "gexf": to_gexf,
        "json": to_node_link_json,
        "cytoscape": to_cytoscape_json,
        "dot": to_dot,
        "mermaid": to_mermaid,
    }
)
