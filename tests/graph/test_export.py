"""Exports: each format reads back, and the bytes never depend on insertion order."""

from __future__ import annotations

import io
import json
import math
import random
import re
from datetime import date
from typing import Any, cast

import attrs
import networkx as nx
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import GraphError
from countypolicing.graph import (
    EXPORT_FORMATS,
    build_responsibility_graph,
    conflicts,
    handlers_for,
    responsibility_gaps,
    responsible_parties,
    subgraph_for,
    to_cytoscape_json,
    to_dot,
    to_gexf,
    to_graphml,
    to_mermaid,
    to_node_link_json,
    workload,
)
from countypolicing.model import County

Graph = nx.MultiDiGraph


def _reordered(rg: Graph[str], seed: int) -> Graph[str]:
    """The same graph with nodes, edges and attributes inserted in another order."""
    rng = random.Random(seed)  # noqa: S311  # a reproducible shuffle
    nodes: list[tuple[str, dict[str, Any]]] = list(rg.nodes.items())
    rng.shuffle(nodes)
    edges = list(rg.edges(keys=True, data=True))
    rng.shuffle(edges)
    other: Graph[str] = nx.MultiDiGraph()
    other.graph.update(reversed(list(rg.graph.items())))
    for node, data in nodes:
        items = list(data.items())
        rng.shuffle(items)
        other.add_node(node, **dict(items))
    for u, v, k, data in edges:
        other.add_edge(u, v, key=k, **data)
    return other


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_bytes_do_not_depend_on_insertion_order(
    graph: Graph[str], fmt: str
) -> None:
    export = EXPORT_FORMATS[fmt]
    text = export(graph)
    for seed in (1, 2):
        assert export(_reordered(graph, seed)) == text


@pytest.mark.parametrize("fmt", sorted(EXPORT_FORMATS))
def test_export_bytes_do_not_depend_on_county_record_order(
    county: County, fmt: str
) -> None:
    rng = random.Random(7)  # noqa: S311  # a reproducible shuffle
    changes: dict[str, Any] = {}
    for field in attrs.fields(County):
        value = getattr(county, field.name)
        if field.init and isinstance(value, tuple) and field.name != "ledger":
            items = list(value)
            rng.shuffle(items)
            changes[field.name] = items
    shuffled = attrs.evolve(county, **changes)
    export = EXPORT_FORMATS[fmt]
    assert export(build_responsibility_graph(shuffled)) == export(
        build_responsibility_graph(county)
    )


def test_graphml_reads_back_and_answers_every_query_the_same(
    graph: Graph[str],
) -> None:
    text = to_graphml(graph)
    assert text.startswith("<?xml version='1.0' encoding='utf-8'?>\n<graphml")
    back = cast(
        "Graph[str]",
        nx.read_graphml(io.BytesIO(text.encode("utf-8")), force_multigraph=True),
    )
    assert sorted(back) == sorted(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["risk:r4"]["principal_exemption"] == "人群，无主体单位"
    assert back.edges["department:d-police", "risk:r1", "supervises"]["lead"] is True
    assert responsibility_gaps(back) == responsibility_gaps(graph)
    assert conflicts(back) == conflicts(graph)
    assert workload(back) == workload(graph)
    assert handlers_for(back, "dsp1") == handlers_for(graph, "dsp1")
    assert to_graphml(back) == text


def test_node_link_json_reads_back_and_answers_the_same(graph: Graph[str]) -> None:
    text = to_node_link_json(graph)
    back = nx.node_link_graph(json.loads(text), edges="edges")
    assert back.is_multigraph()
    assert back.is_directed()
    for risk in ("r1", "r2", "r3", "r4"):
        assert responsible_parties(back, risk) == responsible_parties(graph, risk)
    assert responsibility_gaps(back) == responsibility_gaps(graph)
    assert to_node_link_json(back) == text


def test_cytoscape_json_is_cytoscape_js_elements_and_reads_back(
    graph: Graph[str],
) -> None:
    data = json.loads(to_cytoscape_json(graph))
    nodes, edges = data["elements"]["nodes"], data["elements"]["edges"]
    assert {n["data"]["id"] for n in nodes} == set(graph)
    assert nodes[0]["classes"] == nodes[0]["data"]["kind"]
    ids = [e["data"]["id"] for e in edges] + [n["data"]["id"] for n in nodes]
    assert len(set(ids)) == len(ids)  # Cytoscape.js needs unique element ids
    back = nx.cytoscape_graph(data)
    assert back.number_of_edges() == graph.number_of_edges()
    assert responsibility_gaps(back) == responsibility_gaps(graph)


def test_gexf_reads_back_with_chinese_labels_and_carries_no_date(
    graph: Graph[str],
) -> None:
    text = to_gexf(graph)
    assert "lastmodifieddate" not in text
    assert re.search(r"\d{4}-\d{2}-\d{2}", text.split("<graph", 1)[0]) is None
    back = nx.read_gexf(io.BytesIO(text.encode("utf-8")))
    assert sorted(back) == sorted(graph)
    assert back.number_of_edges() == graph.number_of_edges()
    assert back.nodes["station:s1"]["label"] == "派出所一"
    assert back.nodes["risk:r1"]["kind"] == "risk"


def test_dot_has_one_statement_per_node_and_edge_and_escapes_quotes(
    graph: Graph[str],
) -> None:
    graph.nodes["risk:r1"]["name_en"] = 'the "big" one\nsecond line \\ done'
    text = to_dot(graph)
    assert text.startswith('digraph "responsibility" {\n')
    assert text.endswith("}\n")
    assert len(re.findall(r"^  \"[^\"]+\" -> ", text, flags=re.MULTILINE)) == (
        graph.number_of_edges()
    )
    assert 'label="the \\"big\\" one\\nsecond line \\\\ done"' in text
    assert "\n\n" not in text
    zh = to_dot(graph, lang="zh")
    assert 'label="派出所一"' in zh
    assert 'label="属地责任"' in zh


def test_mermaid_is_a_flowchart_grouped_by_kind_with_safe_labels(
    graph: Graph[str],
) -> None:
    graph.nodes["risk:r1"]["name_en"] = 'quote " pipe | tag <b>'
    text = to_mermaid(graph)
    lines = text.splitlines()
    assert lines[0] == "flowchart LR"
    assert sum(1 for line in lines if " -->|" in line) == graph.number_of_edges()
    assert 'quote #34; pipe #124; tag #60;b#62;<br/>risk:r1"]' in text
    assert sum(1 for line in lines if line.startswith("  subgraph ")) == 20
    assert "-->|属地责任|" in to_mermaid(graph, lang="zh")


@pytest.mark.parametrize(
    "value",
    [["a", "list"], math.nan, math.inf, date(2020, 1, 1), {"a": 1}],
    ids=["list", "nan", "inf", "date", "dict"],
)
def test_attributes_an_export_cannot_hold_are_refused_by_name(
    graph: Graph[str], value: object
) -> None:
    graph.nodes["risk:r1"]["extra"] = value
    for export in EXPORT_FORMATS.values():
        with pytest.raises(GraphError, match="attribute 'extra' of node 'risk:r1'"):
            export(graph)


def test_none_attributes_and_model_records_are_left_out(graph: Graph[str]) -> None:
    data = json.loads(to_node_link_json(graph))
    c2 = next(n for n in data["nodes"] if n["id"] == "community:c2")
    assert "name_en" not in c2
    assert "obj" not in c2
    assert c2["kind"] == "community"


def test_a_node_added_by_hand_without_attributes_still_exports(
    graph: Graph[str],
) -> None:
    graph.add_edge("department:new", "risk:r3", key="supervises", relation="supervises")
    for export in EXPORT_FORMATS.values():
        assert "department:new" in export(graph)
    assert all(g.node != "risk:r3" or g.missing for g in responsibility_gaps(graph))


def test_exports_of_the_bundled_county_are_stable() -> None:
    rg = build_responsibility_graph(yueyanglou())
    sub = subgraph_for(rg, "desheng")
    for export in EXPORT_FORMATS.values():
        assert export(sub) == export(subgraph_for(rg, "desheng"))
    graphml = to_graphml(rg)
    back = nx.read_graphml(io.BytesIO(graphml.encode("utf-8")), force_multigraph=True)
    assert responsibility_gaps(back) == responsibility_gaps(rg)
