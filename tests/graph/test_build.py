"""Building the graph: node keys, attributes and every derived edge of a small county."""

from __future__ import annotations

import pickle
import random
from datetime import date
from typing import Any

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from countypolicing.exceptions import IntegrityError, ModelError
from countypolicing.graph import (
    NodeKind,
    Relation,
    build_responsibility_graph,
    node_key,
    to_node_link_json,
)
from countypolicing.model import (
    Community,
    CommunityKind,
    County,
    Department,
    DepartmentKind,
    Grid,
    RiskDomain,
    RiskPoint,
    RiskSubjectKind,
    ThemeSupervision,
    Township,
    TownshipKind,
)
from countypolicing.testing.strategies import counties

Graph = nx.MultiDiGraph


def _edges(rg: Graph[str], relation: Relation) -> set[tuple[str, str]]:
    return {(u, v) for u, v, d in rg.edges(data=True) if d["relation"] is relation}


def test_node_keys_are_kind_colon_id_and_carry_names_and_the_record(
    county: County, graph: Graph[str]
) -> None:
    node = graph.nodes["department:d-housing"]
    assert node["kind"] is NodeKind.DEPARTMENT
    assert (node["name_zh"], node["name_en"]) == ("住建", "Housing")
    assert node["obj"] is county.organisation("d-housing")
    assert graph.nodes["community:c2"]["name_en"] is None
    assert graph.nodes["risk:r1"]["obj"] is county.risk_point("r1")
    assert graph.nodes["county:demo"]["obj"] is county
    assert graph.graph["county"] == "demo"


def test_every_record_becomes_exactly_one_node(graph: Graph[str]) -> None:
    kinds: dict[str, int] = {}
    for node in graph:
        kind = node.partition(":")[0]
        kinds[kind] = kinds.get(kind, 0) + 1
    assert kinds == {
        "county": 1,
        "township": 2,
        "community": 3,
        "grid": 2,
        "theme": 3,  # night_market (declared), rental_housing, railway (used)
        "party_committee": 2,
        "government": 3,
        "department": 6,
        "sub_bureau": 1,
        "station": 2,
        "judicial_office": 1,
        "mediation_committee": 1,
        "entity": 1,
        "leading_group": 1,
        "person": 5,
        "risk": 4,
        "dispute": 1,
        "mechanism": 2,
        "task": 2,
        "patrol": 1,
    }


def test_territorial_edges_come_from_the_governments_up_the_admin_hierarchy(
    graph: Graph[str],
) -> None:
    territorial = {
        (u, v)
        for u, v in _edges(graph, Relation.TERRITORIAL_FOR)
        if v.startswith("risk:")
    }
    assert territorial == {
        ("government:rc-c1", "risk:r1"),
        ("government:gov-t1", "risk:r1"),
        ("government:gov", "risk:r1"),
        ("government:gov", "risk:r2"),  # t2 and c3 have no government of their own
        ("government:gov-t1", "risk:r3"),
        ("government:gov", "risk:r3"),
        ("government:gov", "risk:r4"),
    }
    levels = {
        graph.edges["government:rc-c1", "risk:r1", "territorial_for"]["level"],
        graph.edges["government:gov-t1", "risk:r1", "territorial_for"]["level"],
        graph.edges["government:gov", "risk:r1", "territorial_for"]["level"],
    }
    assert levels == {"community", "township", "county"}
    assert ("government:rc-c1", "community:c1") in _edges(
        graph, Relation.TERRITORIAL_FOR
    )


def test_supervisory_edges_follow_the_theme_table_unless_overridden_with_a_reason(
    graph: Graph[str],
) -> None:
    supervises = _edges(graph, Relation.SUPERVISES)
    assert {(u, v) for u, v in supervises if v.startswith("risk:")} == {
        ("department:d-housing", "risk:r1"),
        ("department:d-police", "risk:r1"),
        ("department:d-legal", "risk:r2"),
        ("department:d-railway", "risk:r2"),
        ("department:d-housing", "risk:r4"),  # the override, not the railway row
    }
    lead = graph.edges["department:d-police", "risk:r1", "supervises"]
    assert (lead["basis"], lead["lead"]) == ("theme", True)
    override = graph.edges["department:d-housing", "risk:r4", "supervises"]
    assert (override["basis"], override["reason"]) == ("override", "示例")
    assert {(u, v) for u, v in supervises if v.startswith("theme:")} == {
        ("department:d-housing", "theme:rental_housing"),
        ("department:d-police", "theme:rental_housing"),
        ("department:d-legal", "theme:railway"),
        ("department:d-railway", "theme:railway"),
    }


def test_principal_edges_come_from_the_owner_person_or_organisation(
    graph: Graph[str],
) -> None:
    assert _edges(graph, Relation.PRINCIPAL_FOR) == {
        ("person:p1", "risk:r1"),
        ("entity:e1", "risk:r2"),
    }
    assert graph.nodes["risk:r4"]["principal_exemption"] == "人群，无主体单位"


def test_hierarchy_jurisdiction_and_main_force_edges(graph: Graph[str]) -> None:
    assert _edges(graph, Relation.PARENT_OF) == {
        ("county:demo", "township:t1"),
        ("county:demo", "township:t2"),
        ("township:t1", "community:c1"),
        ("township:t1", "community:c2"),
        ("township:t2", "community:c3"),
        ("community:c1", "grid:g1"),
        ("community:c3", "grid:g2"),
        ("department:d-police", "sub_bureau:psb"),
        ("sub_bureau:psb", "station:s1"),
        ("sub_bureau:psb", "station:s2"),
    }
    assert _edges(graph, Relation.JURISDICTION) == {
        ("station:s1", "community:c1"),
        ("station:s1", "community:c2"),
        ("station:s2", "community:c3"),
    }
    assert _edges(graph, Relation.MAIN_FORCE_FOR) == {
        ("station:s1", "risk:r1"),
        ("station:s1", "risk:r3"),
        ("station:s2", "risk:r2"),
        ("station:s2", "risk:r4"),
    }


def test_leadership_assessment_and_paired_contact_edges(graph: Graph[str]) -> None:
    assert _edges(graph, Relation.LEADS) == {
        ("party_committee:pc", "government:gov"),
        ("party_committee:pc-t1", "government:gov-t1"),
        ("government:gov", "department:d-housing"),
        ("government:gov", "department:d-police"),
        ("government:gov", "department:d-justice"),
        ("sub_bureau:psb", "leading_group:lg"),
        ("station:s1", "patrol:pat"),
    }
    assessed = {v for u, v in _edges(graph, Relation.ASSESSES) if u == "government:gov"}
    assert assessed == {
        "government:gov-t1",
        *(f"department:{d}" for d in ("d-housing", "d-police", "d-legal")),
        *(f"department:{d}" for d in ("d-railway", "d-justice", "d-court")),
        "sub_bureau:psb",
    }
    assert _edges(graph, Relation.PAIRED_CONTACT) == {("sub_bureau:psb", "station:s1")}


def test_mediation_edges_station_refers_committee_reports_and_guides(
    graph: Graph[str],
) -> None:
    assert _edges(graph, Relation.STATIONED_IN) == {
        ("judicial_office:jo1", "station:s1")
    }
    assert _edges(graph, Relation.REFERS_TO) == {
        ("station:s1", "mediation_committee:mc1")
    }
    assert _edges(graph, Relation.REPORTS_TO) == {
        ("mediation_committee:mc1", "station:s1")
    }
    assert _edges(graph, Relation.GUIDES) == {
        ("department:d-justice", "mediation_committee:mc1"),
        ("department:d-court", "mediation_committee:mc1"),
        ("judicial_office:jo1", "mediation_committee:mc1"),
    }


def test_mechanism_task_dispute_and_patrol_edges(graph: Graph[str]) -> None:
    assert _edges(graph, Relation.CONVENES) == {
        ("department:d-legal", "mechanism:m-meet"),
        ("station:s1", "mechanism:m-meet"),
    }
    assert graph.edges["department:d-legal", "mechanism:m-meet", "convenes"]["lead"]
    meeting = graph.edges["station:s1", "mechanism:m-meet", "convenes"]
    assert (meeting["lead"], meeting["meetings"]) == (False, "mt1")
    assigned = _edges(graph, Relation.ASSIGNED_TO)
    assert assigned == {
        ("task:t-a", "station:s1"),
        ("task:t-b", "sub_bureau:psb"),
        ("dispute:dsp1", "mediation_committee:mc1"),
        ("dispute:dsp1", "person:m1"),
        ("person:w1", "grid:g1"),
    }
    assert _edges(graph, Relation.CO_OWNS) == {("department:d-housing", "task:t-a")}
    assert _edges(graph, Relation.PATROLS) == {("patrol:pat", "community:c1")}
    members = {v for u, v in _edges(graph, Relation.MEMBER_OF) if u == "station:s1"}
    assert members == {"leading_group:lg"}


def test_every_relation_of_the_design_appears_and_carries_its_chinese_label(
    graph: Graph[str],
) -> None:
    used = {d["relation"] for _, _, d in graph.edges(data=True)}
    assert used == set(Relation)
    assert all(r.label_zh for r in Relation)
    assert Relation.PRINCIPAL_FOR.label_zh == "主体责任"


def test_edge_keys_are_the_relation_values(graph: Graph[str]) -> None:
    for _, _, key, data in graph.edges(keys=True, data=True):
        assert key == data["relation"].value


def test_extra_attributes_are_plain_json_and_graphml_types(graph: Graph[str]) -> None:
    allowed = (str, bool, int, float, type(None))
    for _, data in graph.nodes(data=True):
        for name, value in data.items():
            if name not in {"obj", "kind"}:
                assert type(value) in allowed, (name, value)
    for _, _, data in graph.edges(data=True):
        for name, value in data.items():
            if name != "relation":
                assert type(value) in allowed, (name, value)


def test_the_graph_is_built_in_sorted_order(graph: Graph[str]) -> None:
    nodes = list(graph)
    assert nodes == sorted(nodes)
    edges = [(u, v, k) for u, v, k in graph.edges(keys=True)]
    assert edges == sorted(edges)


def _shuffled(county: County, seed: int) -> County:
    rng = random.Random(seed)  # noqa: S311  # a reproducible shuffle
    changes: dict[str, Any] = {}
    for field in attrs.fields(County):
        value = getattr(county, field.name)
        if field.init and isinstance(value, tuple) and field.name != "ledger":
            items = list(value)
            rng.shuffle(items)
            changes[field.name] = items
    return attrs.evolve(county, **changes)


def _snapshot(rg: Graph[str]) -> tuple[object, ...]:
    """Everything in the graph, in order; the county node's record is the County
    itself, whose tuples keep the order they were given in, so it is left out."""
    nodes = [
        (n, {k: v for k, v in d.items() if not (k == "obj" and isinstance(v, County))})
        for n, d in rg.nodes(data=True)
    ]
    return (nodes, list(rg.edges(keys=True, data=True)), dict(rg.graph))


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_communities=4, max_records=3), st.integers(0, 2**32 - 1))
def test_generated_counties_give_the_same_graph_and_bytes_in_any_record_order(
    county: County, seed: int
) -> None:
    shuffled = _shuffled(county, seed)
    one, two = build_responsibility_graph(county), build_responsibility_graph(shuffled)
    assert _snapshot(one) == _snapshot(two)
    assert to_node_link_json(one) == to_node_link_json(two)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_same_county_in_another_record_order_gives_an_identical_graph(
    county: County, seed: int
) -> None:
    shuffled = _shuffled(county, seed)
    assert shuffled != county  # the records really are in another order
    assert _snapshot(build_responsibility_graph(shuffled)) == _snapshot(
        build_responsibility_graph(county)
    )


def test_duplicate_theme_rows_merge_whatever_their_order(county: County) -> None:
    extra = ThemeSupervision(
        theme="railway", department_ids=["d-legal"], lead_id="d-legal"
    )
    rows = [*county.theme_supervision, extra]
    one = build_responsibility_graph(attrs.evolve(county, theme_supervision=rows))
    two = build_responsibility_graph(attrs.evolve(county, theme_supervision=rows[::-1]))
    assert _snapshot(one) == _snapshot(two)
    assert one.edges["department:d-legal", "risk:r2", "supervises"]["lead"] is True


def test_a_graph_survives_pickling(graph: Graph[str]) -> None:
    again = pickle.loads(pickle.dumps(graph))  # noqa: S301  # our own bytes
    assert _snapshot(again) == _snapshot(graph)


# ------------------------------------------------------------ ids never merge
def _risk(rid: str, community: str) -> RiskPoint:
    return RiskPoint(
        id=rid,
        name_zh="风险",
        community_id=community,
        theme="railway",
        subject_kind=RiskSubjectKind.PLACE,
        domain=RiskDomain.PUBLIC_ORDER,
        likelihood=1,
        severity=1,
        identified_on=date(2020, 1, 1),
    )


def test_look_alike_ids_stay_distinct_nodes_per_kind() -> None:
    """networkx merges 1, True and 1.0; ids here are validated strings, keys typed."""
    county = County(
        id="1",
        name_zh="区",
        townships=[Township(id="1", name_zh="街道", kind=TownshipKind.SUB_DISTRICT)],
        communities=[
            Community(
                id="1",
                name_zh="社区",
                township_id="1",
                kind=CommunityKind.URBAN,
                population=1,
                households=1,
            ),
            Community(
                id="True",
                name_zh="社区二",
                township_id="1",
                kind=CommunityKind.URBAN,
                population=1,
                households=1,
            ),
        ],
        grids=[Grid(id="1", name_zh="网格", community_id="1")],
        departments=[Department(id="1", name_zh="部门", kind=DepartmentKind.HOUSING)],
        risk_points=[_risk("1", "1"), _risk("True", "True")],
    )
    rg = build_responsibility_graph(county)
    assert {
        "county:1",
        "township:1",
        "community:1",
        "community:True",
        "grid:1",
        "department:1",
        "risk:1",
        "risk:True",
    } <= set(rg)
    assert rg.number_of_nodes() == 9  # the eight above and theme:railway
    assert node_key(NodeKind.RISK, "True") == "risk:True"
    with pytest.raises(TypeError, match="record ids are strings"):
        node_key(NodeKind.RISK, True)  # type: ignore[arg-type]  # the point of the test


@pytest.mark.parametrize("bad", [1, True, 1.0, "police ", ""])
def test_ids_that_are_not_valid_strings_never_reach_the_graph(bad: object) -> None:
    with pytest.raises((TypeError, ModelError)):
        Department(id=bad, name_zh="部门", kind=DepartmentKind.HOUSING)  # type: ignore[arg-type]  # the point of the test


def test_an_edge_to_an_unknown_department_is_refused_before_any_graph_exists(
    county: County,
) -> None:
    rows = [ThemeSupervision(theme="railway", department_ids=["d-nowhere"])]
    with pytest.raises(IntegrityError) as caught:
        attrs.evolve(county, theme_supervision=rows)
    (problem,) = caught.value.problems
    assert "unknown department 'd-nowhere'" in str(problem)
