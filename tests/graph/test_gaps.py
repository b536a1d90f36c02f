"""Gap and conflict analysis: hand-computed answers, generated counties, the bundled one."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import attrs
import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings

from countypolicing.datasets import yueyanglou
from countypolicing.graph import (
    Conflict,
    Gap,
    GapKind,
    Relation,
    build_responsibility_graph,
    conflicts,
    format_gaps,
    responsibility_gaps,
    responsible_parties,
)
from countypolicing.model import County, LinkageMechanism, ResponsibilityType
from countypolicing.testing.strategies import counties

Graph = nx.MultiDiGraph
RT = ResponsibilityType
SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_yueyanglou.py"


def test_the_small_county_has_one_gap_of_each_kind_it_can_have(
    graph: Graph[str],
) -> None:
    assert responsibility_gaps(graph) == (
        Gap(
            kind=GapKind.RISK_POINT,
            node="risk:r3",
            name_zh="风险点r3",
            missing=(RT.PRINCIPAL, RT.SUPERVISORY),
            status="identified",
        ),
        Gap(kind=GapKind.THEME, node="theme:night_market", name_zh="夜市"),
        Gap(kind=GapKind.MECHANISM, node="mechanism:m-nolead", name_zh="应急联处"),
    )


def test_a_principal_exemption_is_not_a_principal_gap(graph: Graph[str]) -> None:
    assert responsible_parties(graph, "r4").principal == ()
    assert all(gap.node != "risk:r4" for gap in responsibility_gaps(graph))


def test_a_risk_without_any_government_misses_territorial_duty(
    county: County,
) -> None:
    bare = attrs.evolve(
        county,
        governments=(),
        party_committees=(),
        departments=[attrs.evolve(d, government_id=None) for d in county.departments],
        people=[attrs.evolve(p, org_id=None) for p in county.people],
    )
    rg = build_responsibility_graph(bare)
    gaps = {g.node: g.missing for g in responsibility_gaps(rg)}
    assert gaps["risk:r1"] == (RT.TERRITORIAL,)
    assert gaps["risk:r3"] == (RT.TERRITORIAL, RT.PRINCIPAL, RT.SUPERVISORY)


def test_a_task_with_two_lead_edges_is_a_gap(graph: Graph[str]) -> None:
    graph.add_edge("task:t-b", "station:s2", key=7, relation=Relation.ASSIGNED_TO)
    (task_gap,) = [g for g in responsibility_gaps(graph) if g.kind is GapKind.TASK]
    assert (task_gap.node, task_gap.lead_owners) == ("task:t-b", 2)
    assert task_gap.text() == (
        "task t-b 任务乙 (planned): 2 lead owners (needs exactly one)"
    )
    assert (
        task_gap.text(lang="zh") == "任务 t-b 任务乙（已计划）：牵头单位2个（应为1个）"
    )


def test_a_mechanism_gains_its_lead_and_loses_its_gap(county: County) -> None:
    led = attrs.evolve(
        county,
        mechanisms=[
            m if m.lead_org_id else attrs.evolve(m, lead_org_id="d-justice")
            for m in county.mechanisms
        ],
    )
    kinds = {g.kind for g in responsibility_gaps(build_responsibility_graph(led))}
    assert GapKind.MECHANISM not in kinds


def test_several_supervisors_and_no_lead_is_a_conflict(graph: Graph[str]) -> None:
    assert conflicts(graph) == (
        Conflict(
            node="risk:r2", supervisors=("department:d-legal", "department:d-railway")
        ),
        Conflict(
            node="theme:railway",
            supervisors=("department:d-legal", "department:d-railway"),
        ),
    )
    assert conflicts(graph)[0].text(lang="zh").startswith("risk:r2：2个主管部门")


def test_gap_reports_read_in_english_and_chinese(graph: Graph[str]) -> None:
    gaps = responsibility_gaps(graph)
    assert format_gaps(gaps).splitlines() == [
        "Responsibility gaps: 3",
        (
            "  - risk point r3 风险点r3 (identified): no principal (主体), supervisory "
            "(主管) responsibility"
        ),
        (
            "  - theme night_market 夜市: no supervising department (no "
            "theme_supervision row)"
        ),
        "  - mechanism m-nolead 应急联处: no lead organisation",
    ]
    assert format_gaps(gaps, lang="zh").splitlines() == [
        "责任缺口：3 项",
        "  - 风险点 r3 风险点r3（已识别）：缺少主体责任、主管责任",
        "  - 风险主题 night_market 夜市：无主管部门（主管责任对照表无此主题）",
        "  - 联动机制 m-nolead 应急联处：无牵头单位",
    ]
    assert format_gaps([], lang="zh") == "未发现责任缺口。"
    assert gaps[0].record_id == "r3"


# ------------------------------------------------------------ generated counties
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_communities=4, max_records=3))
def test_every_risk_point_is_covered_or_listed_with_exactly_what_it_misses(
    county: County,
) -> None:
    rg = build_responsibility_graph(county)
    gaps = {g.node: g for g in responsibility_gaps(rg) if g.kind is GapKind.RISK_POINT}
    for rp in county.risk_points:
        missing = responsible_parties(rg, rp.id).missing()
        if rp.principal_exemption is not None:
            missing = tuple(t for t in missing if t is not RT.PRINCIPAL)
        key = f"risk:{rp.id}"
        if missing:
            assert gaps[key].missing == missing
        else:
            assert key not in gaps
    assert set(gaps) <= {f"risk:{rp.id}" for rp in county.risk_points}


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_communities=4, max_records=3))
def test_generated_graphs_hold_one_node_per_record_and_other_gaps_are_real(
    county: County,
) -> None:
    rg = build_responsibility_graph(county)
    records = sum(
        len(getattr(county, name))
        for name in (
            "townships",
            "communities",
            "grids",
            "party_committees",
            "governments",
            "departments",
            "sub_bureaus",
            "police_stations",
            "judicial_offices",
            "mediation_committees",
            "entities",
            "leading_groups",
            "people",
            "risk_points",
            "disputes",
            "mechanisms",
            "tasks",
            "patrols",
        )
    )
    themes = sum(1 for n in rg if n.startswith("theme:"))
    assert rg.number_of_nodes() == 1 + records + themes
    supervised = {row.theme for row in county.theme_supervision}
    for gap in responsibility_gaps(rg):
        if gap.kind is GapKind.THEME:
            assert gap.record_id not in supervised
        elif gap.kind is GapKind.MECHANISM:
            mechanism = next(m for m in county.mechanisms if m.id == gap.record_id)
            assert isinstance(mechanism, LinkageMechanism)
            assert mechanism.lead_org_id is None
        else:
            assert gap.kind is GapKind.RISK_POINT  # a County task has one lead


# --------------------------------------------------------------- bundled county
def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_yueyanglou_gaps", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def script() -> ModuleType:
    return _script()


def test_the_bundled_county_shows_exactly_its_documented_gaps(
    script: ModuleType,
) -> None:
    gaps = responsibility_gaps(build_responsibility_graph(yueyanglou()))
    deliberate = {node for node, _ in script.DELIBERATE_GAPS}
    unowned = {f"risk:{rid}" for rid in script.UNOWNED_RISKS}
    assert {g.node for g in gaps} == deliberate | unowned
    assert not deliberate & unowned
    by_node = {g.node: g for g in gaps}
    assert by_node["risk:rp34"].missing == (RT.SUPERVISORY,)
    assert by_node["risk:rp35"].missing == (RT.PRINCIPAL, RT.SUPERVISORY)
    assert by_node["risk:rp39"].missing == (RT.PRINCIPAL,)
    assert by_node["risk:rp39"].status == "monitoring"
    assert by_node["mechanism:joint_emergency"].kind is GapKind.MECHANISM
    assert by_node["theme:crime_tip"].kind is GapKind.THEME
    for rid in script.UNOWNED_RISKS:
        assert RT.PRINCIPAL in by_node[f"risk:{rid}"].missing
        assert by_node[f"risk:{rid}"].status in {"identified", "graded"}


def test_the_deliberate_gaps_sit_in_synthetic_or_inferred_records() -> None:
    county = yueyanglou()
    for rid in ("rp34", "rp35", "rp39"):
        assert county.risk_point(rid).provenance == "synthetic"
    joint_emergency = next(m for m in county.mechanisms if m.id == "joint_emergency")
    assert joint_emergency.provenance == "inferred"
    assert "crime_tip" not in {row.theme for row in county.theme_supervision}


def test_the_bundled_county_has_no_supervision_conflicts() -> None:
    assert conflicts(build_responsibility_graph(yueyanglou())) == ()
