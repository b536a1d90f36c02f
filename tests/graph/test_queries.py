"""Queries on the small county, with answers worked out by hand, and their guards."""

from __future__ import annotations

import pickle
import subprocess
import sys
import textwrap

import networkx as nx
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import CountyPolicingError, GraphError, UnknownNodeError
from countypolicing.graph import (
    DisputeHandlers,
    EscalationPath,
    MechanismMembers,
    Relation,
    Workload,
    build_responsibility_graph,
    coordination_hubs,
    escalation_cycles,
    escalation_path,
    handlers_for,
    mechanism_members,
    responsibility_gaps,
    responsible_parties,
    subgraph_for,
    workload,
)
from countypolicing.model import (
    County,
    ResponsibleParties,
    RiskLevel,
    RiskPointStatus,
)

Graph = nx.MultiDiGraph

MARKER = {"countypolicing": "responsibility-graph"}


def _bare(edges: list[tuple[str, str]], relation: Relation) -> Graph[str]:
    """A responsibility graph holding only these edges (no model records)."""
    rg: Graph[str] = nx.MultiDiGraph()
    rg.graph.update(MARKER)
    for u, v in edges:
        rg.add_edge(u, v, key=relation.value, relation=relation)
    return rg


# ------------------------------------------------------------ responsible parties
def test_responsible_parties_names_all_three_duties_by_record_id(
    graph: Graph[str],
) -> None:
    assert responsible_parties(graph, "r1") == ResponsibleParties(
        territorial=["gov", "gov-t1", "rc-c1"],
        principal=["p1"],
        supervisory=["d-housing", "d-police"],
    )
    assert responsible_parties(graph, "risk:r3") == ResponsibleParties(
        territorial=["gov", "gov-t1"]
    )


def test_responsible_parties_feed_the_risk_point_lifecycle(
    county: County, graph: Graph[str]
) -> None:
    rp = county.risk_point("r1")
    rp = rp.grade(RiskLevel.GENERAL, on=rp.identified_on)
    controlled = rp.control(
        on=rp.identified_on, parties=responsible_parties(graph, "r1")
    )
    assert controlled.status is RiskPointStatus.CONTROLLED


def test_unknown_risk_points_raise_a_key_error_with_a_suggestion(
    graph: Graph[str],
) -> None:
    with pytest.raises(UnknownNodeError) as caught:
        responsible_parties(graph, "r9")
    assert isinstance(caught.value, KeyError)
    assert isinstance(caught.value, CountyPolicingError)
    assert caught.value.node == "risk:r9"
    assert caught.value.suggestion is not None
    assert "did you mean" in str(caught.value)


def test_a_node_of_another_kind_is_not_a_risk_point(graph: Graph[str]) -> None:
    with pytest.raises(UnknownNodeError, match="is a community, not a risk"):
        responsible_parties(graph, "community:c1")


@pytest.mark.parametrize("bad", [1, True, 1.0, None])
def test_ids_must_be_strings_so_1_and_true_never_match_a_record(
    graph: Graph[str], bad: object
) -> None:
    with pytest.raises(TypeError, match="record ids are strings"):
        responsible_parties(graph, bad)  # type: ignore[arg-type]  # the point of the test


@pytest.mark.parametrize(
    "wrong",
    [nx.Graph(), nx.DiGraph(), nx.MultiDiGraph(), nx.MultiDiGraph(countypolicing="x")],
    ids=["Graph", "DiGraph", "unmarked", "wrong-marker"],
)
def test_other_graphs_are_refused_with_a_graph_error(wrong: object) -> None:
    with pytest.raises(GraphError):
        responsibility_gaps(wrong)  # type: ignore[arg-type]  # the point of the test
    with pytest.raises(GraphError):
        workload(wrong)  # type: ignore[arg-type]  # the point of the test


def test_errors_pickle_with_their_fields() -> None:
    err = UnknownNodeError("risk:x", suggestion="risk:y")
    again = pickle.loads(pickle.dumps(err))  # noqa: S301  # our own bytes
    assert (again.node, again.suggestion, str(again)) == (
        "risk:x",
        "risk:y",
        str(err),
    )


# -------------------------------------------------------------------- escalation
def test_escalation_goes_from_grid_to_county(graph: Graph[str]) -> None:
    assert escalation_path(graph, "grid:g1") == EscalationPath(
        steps=("grid:g1", "community:c1", "township:t1", "county:demo")
    )


def test_escalation_goes_from_committee_to_station_to_sub_bureau(
    graph: Graph[str],
) -> None:
    path = escalation_path(graph, "mediation_committee:mc1")
    assert path.steps == (
        "mediation_committee:mc1",
        "station:s1",
        "sub_bureau:psb",
        "department:d-police",
    )
    assert path.top == "department:d-police"


def test_escalation_stops_at_the_cutoff_and_says_so(graph: Graph[str]) -> None:
    path = escalation_path(graph, "grid:g1", cutoff=2)
    assert path.steps == ("grid:g1", "community:c1", "township:t1")
    assert path.truncated
    assert not escalation_path(graph, "grid:g1", cutoff=3).truncated


@pytest.mark.parametrize("bad", [0, -1, True, 2.5])
def test_the_cutoff_must_be_a_positive_integer(graph: Graph[str], bad: object) -> None:
    with pytest.raises(ValueError, match="cutoff"):
        escalation_path(graph, "grid:g1", cutoff=bad)  # type: ignore[arg-type]  # the point of the test


def test_a_bare_id_gets_the_node_key_as_a_suggestion(graph: Graph[str]) -> None:
    with pytest.raises(UnknownNodeError, match="did you mean 'grid:g1'"):
        escalation_path(graph, "g1")


def test_an_escalation_cycle_is_reported_not_walked_forever() -> None:
    """police → township → civil affairs → police (RELIABILITY.md D33)."""
    rg = _bare(
        [
            ("township:t", "station:police"),  # township is the police's parent
            ("department:civil", "township:t"),
            ("station:police", "department:civil"),
        ],
        Relation.PARENT_OF,
    )
    path = escalation_path(rg, "station:police")
    assert path.steps == ("station:police", "township:t", "department:civil")
    assert path.cycle == ("station:police", "township:t", "department:civil")
    assert not path.truncated
    assert escalation_cycles(rg) == (
        ("department:civil", "station:police", "township:t"),
    )


def test_a_self_loop_is_a_cycle_of_one() -> None:
    rg = _bare([("department:water", "department:water")], Relation.PARENT_OF)
    path = escalation_path(rg, "department:water")
    assert path.cycle == ("department:water",)
    assert escalation_cycles(rg) == (("department:water",),)


def test_a_5000_step_chain_is_walked_without_recursion() -> None:
    n = 5000
    rg = _bare([(f"grid:{i + 1}", f"grid:{i}") for i in range(n)], Relation.PARENT_OF)
    assert escalation_path(rg, "grid:0").truncated
    full = escalation_path(rg, "grid:0", cutoff=n + 10)
    assert len(full.steps) == n + 1
    assert not full.truncated
    assert escalation_cycles(rg) == ()


def test_path_queries_on_a_complete_digraph_of_12_departments_finish() -> None:
    """About 9.9M simple paths exist; nothing may enumerate them (RELIABILITY.md D34)."""
    code = textwrap.dedent(
        """
        import networkx as nx
        from countypolicing.graph import Relation, coordination_hubs
        from countypolicing.graph import escalation_cycles, escalation_path
        K = nx.complete_graph([f"department:d{i:02d}" for i in range(12)], nx.DiGraph)
        G = nx.MultiDiGraph(countypolicing="responsibility-graph")
        for u, v in K.edges:
            G.add_edge(u, v, key="parent_of", relation=Relation.PARENT_OF)
            G.add_edge(u, v, key="guides", relation=Relation.GUIDES)
        path = escalation_path(G, "department:d05", cutoff=1000)
        assert path.cycle, path
        (cycle,) = escalation_cycles(G)
        assert len(cycle) >= 2 and cycle[0] == "department:d00"
        print(len(path.steps), len(coordination_hubs(G)))
        """
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert out.returncode == 0, out.stderr
    # d05 -> d00 (its smallest parent) -> d01 (d00's), whose smallest parent d00
    # closes the loop
    assert out.stdout.split() == ["3", "0"]


def test_a_built_county_has_no_escalation_cycles(graph: Graph[str]) -> None:
    assert escalation_cycles(graph) == ()


# --------------------------------------------------------------------- handlers
def test_handlers_for_a_dispute_from_record_and_place(graph: Graph[str]) -> None:
    assert handlers_for(graph, "dsp1") == DisputeHandlers(
        dispute="dispute:dsp1",
        handler=("mediation_committee:mc1",),
        mediators=("person:m1",),
        committees=("mediation_committee:mc1",),
        stations=("station:s1",),
        stationed=("judicial_office:jo1",),
        territorial=("government:rc-c1", "government:gov-t1", "government:gov"),
    )


def test_handlers_for_an_unknown_dispute(graph: Graph[str]) -> None:
    with pytest.raises(UnknownNodeError):
        handlers_for(graph, "dsp9")


# --------------------------------------------------------------------- workload
def test_workload_counts_risks_tasks_and_disputes_per_organisation(
    graph: Graph[str],
) -> None:
    loads = {w.node: w for w in workload(graph)}
    assert loads["station:s1"] == Workload(node="station:s1", risk_points=2, tasks=1)
    assert loads["department:d-housing"] == Workload(
        node="department:d-housing", risk_points=2, tasks=1
    )
    assert loads["government:gov"].risk_points == 4
    assert loads["mediation_committee:mc1"] == Workload(
        node="mediation_committee:mc1", disputes=1
    )
    assert loads["entity:e1"].total == 1
    assert loads["department:d-court"].total == 0
    assert "person:p1" not in loads  # people are not organisations
    assert [w.node for w in workload(graph)] == sorted(loads)


# ------------------------------------------------------------------ coordination
def test_coordination_hubs_rank_by_betweenness_then_partners_then_key(
    graph: Graph[str],
) -> None:
    hubs = coordination_hubs(graph, top=3)
    assert len(hubs) == 3
    assert hubs[0].node == "station:s1"
    scores = [(-h.score, -h.partners, h.node) for h in coordination_hubs(graph, top=50)]
    assert scores == sorted(scores)


def test_symmetric_hubs_tie_break_by_node_key() -> None:
    rg = _bare(
        [("department:b", "mechanism:m"), ("department:a", "mechanism:m")],
        Relation.MEMBER_OF,
    )
    for node in ("department:a", "department:b"):
        rg.nodes[node]["kind"] = "department"
    rg.nodes["mechanism:m"]["kind"] = "mechanism"
    hubs = coordination_hubs(rg)
    assert [(h.node, h.score, h.partners) for h in hubs] == [
        ("department:a", 0.0, 1),
        ("department:b", 0.0, 1),
    ]


def test_top_must_be_positive(graph: Graph[str]) -> None:
    with pytest.raises(ValueError, match="top"):
        coordination_hubs(graph, top=0)


# --------------------------------------------------------------------- mechanisms
def test_mechanism_members_lead_members_and_conveners(graph: Graph[str]) -> None:
    members = mechanism_members(graph, "m-meet")
    assert members == MechanismMembers(
        mechanism="mechanism:m-meet",
        lead="department:d-legal",
        members=("department:d-housing", "sub_bureau:psb"),
        conveners=("station:s1",),
    )
    assert members.organisations == (
        "department:d-housing",
        "department:d-legal",
        "station:s1",
        "sub_bureau:psb",
    )
    assert mechanism_members(graph, "m-nolead").lead is None


# ---------------------------------------------------------------------- subgraph
def test_subgraph_for_a_community_holds_what_happens_there(graph: Graph[str]) -> None:
    sub = subgraph_for(graph, "c3")
    assert {"community:c3", "township:t2", "county:demo", "grid:g2"} <= set(sub)
    assert {"risk:r2", "risk:r4", "entity:e1", "station:s2"} <= set(sub)
    assert {"department:d-legal", "department:d-railway", "government:gov"} <= set(sub)
    assert "risk:r1" not in sub
    assert "community:c1" not in sub
    assert sub.graph["community"] == "c3"
    assert list(sub) == sorted(sub)
    for risk in ("r2", "r4"):
        assert responsible_parties(sub, risk) == responsible_parties(graph, risk)


def test_subgraph_for_is_a_copy(graph: Graph[str]) -> None:
    sub = subgraph_for(graph, "c1")
    sub.remove_node("risk:r1")
    assert "risk:r1" in graph


def test_queries_work_on_the_bundled_county() -> None:
    rg = build_responsibility_graph(yueyanglou())
    assert responsible_parties(rg, "rp02").principal
    assert escalation_path(rg, "grid:qiaotou-g01").top == "county:yueyanglou"
    assert handlers_for(rg, "lengshuipu-construction-cracks").mediators
    assert coordination_hubs(rg, top=1)[0].node == "sub_bureau:yyl-psb"
    assert mechanism_members(rg, "joint_emergency").lead is None
