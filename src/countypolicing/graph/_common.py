"""Helpers shared by the graph modules: the graph marker, guards, key resolution."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from typing import Any, Final, TypeAlias

import networkx as nx

from countypolicing.exceptions import GraphError, UnknownNodeError
from countypolicing.graph._relations import NodeKind, Relation, require_str

__all__ = [
    "GRAPH_KIND",
    "GRAPH_MARKER",
    "AnyGraph",
    "Graph",
    "check_graph",
    "edges_in",
    "kind_of",
    "record_id_of",
    "resolve",
]

#: The graph type every function returns and works on.
Graph: TypeAlias = "nx.MultiDiGraph[str]"
#: The type functions accept: any networkx graph (a file read back with networkx is
#: typed ``Graph``); `check_graph` refuses all but a responsibility graph at run time.
AnyGraph: TypeAlias = "nx.Graph[str]"

#: ``G.graph[GRAPH_MARKER] == GRAPH_KIND`` marks a responsibility graph; the marker
#: is a plain string, so it survives GraphML and JSON round trips.
GRAPH_MARKER: Final = "countypolicing"
GRAPH_KIND: Final = "responsibility-graph"

#: Suggestions are looked for among at most this many keys (difflib is quadratic-ish).
_MAX_SUGGESTION_POOL: Final = 20_000


def check_graph(G: object) -> Graph:  # noqa: N803  # networkx style
    """``G`` if it is a responsibility graph; `GraphError` otherwise."""
    if not isinstance(G, nx.MultiDiGraph):
        raise GraphError(
            "expected a responsibility graph (a networkx.MultiDiGraph from "
            f"build_responsibility_graph), got a {type(G).__name__}"
        )
    graph: Graph = G
    if graph.graph.get(GRAPH_MARKER) != GRAPH_KIND:
        raise GraphError(
            "this MultiDiGraph is not a responsibility graph: its graph attribute "
            f"{GRAPH_MARKER!r} is not {GRAPH_KIND!r}; build one with "
            "build_responsibility_graph(county)"
        )
    return graph


def kind_of(key: str) -> str:
    """The kind part of a node key (``"risk"`` for ``"risk:rp-1"``)."""
    return key.partition(":")[0]


def record_id_of(key: str) -> str:
    """The record id part of a node key (``"rp-1"`` for ``"risk:rp-1"``)."""
    return key.partition(":")[2]


def resolve(G: Graph, value: object, kind: NodeKind) -> str:  # noqa: N803
    """The key of a node of ``kind`` given as a record id or as a node key.

    Raises:
        TypeError: ``value`` is not a string (ids never merge with ``1`` or ``True``).
        UnknownNodeError: no such node, or the node is of another kind.
    """
    text = require_str(value)
    key = text if ":" in text else f"{kind.value}:{text}"
    if key not in G:
        raise UnknownNodeError(key, suggestion=_suggest(G, key))
    actual = kind_of(key)
    if actual != kind.value:
        raise UnknownNodeError(key, reason=f"is a {actual}, not a {kind.value}")
    return key


def _suggest(G: Graph, key: str) -> str | None:  # noqa: N803
    prefix = kind_of(key) + ":"
    pool = [n for n in G if n.startswith(prefix)]
    if not pool or len(pool) > _MAX_SUGGESTION_POOL:
        return None
    close = difflib.get_close_matches(key, sorted(pool), n=1)
    return close[0] if close else None


def edges_in(
    G: Graph,  # noqa: N803
    node: str,
    relations: Iterable[Relation],
) -> list[tuple[str, dict[str, Any]]]:
    """``(source, data)`` of the edges into ``node`` of the given relations, sorted."""
    wanted = frozenset(relations)
    out = [
        (u, data)
        for u, keyed in G.pred[node].items()
        for data in keyed.values()
        if data.get("relation") in wanted
    ]
    out.sort(key=lambda item: item[0])
    return out
