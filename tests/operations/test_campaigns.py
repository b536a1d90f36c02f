"""Campaigns and their diffs (动态均衡), on the small hand-made county and the bundled one."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import (
    ConfigError,
    LoadErrorGroup,
    ModelError,
    UnknownIdError,
)
from countypolicing.model import (
    Campaign,
    CommunityRiskClass,
    County,
    RiskLevel,
    RiskPoint,
    RiskPointStatus,
)
from countypolicing.operations import (
    CommunityMove,
    RankingPolicy,
    RiskChangeKind,
    ScreeningResult,
    diff_campaigns,
    format_campaign_diff,
    run_campaign,
    screen,
)
from countypolicing.rules import ruleset_from_data
from countypolicing.serialization import (
    load_screening,
    save_screening,
    screening_to_text,
)
from countypolicing.testing.strategies import counties

_SUPPORT = runpy.run_path(str(Path(__file__).with_name("test_screening_support.py")))
DAY: date = _SUPPORT["DAY"]
GRADING = _SUPPORT["GRADING"]
CLASSES = _SUPPORT["CLASSES"]
small_county: Callable[..., County] = _SUPPORT["small_county"]
risk_point: Callable[..., RiskPoint] = _SUPPORT["risk_point"]

_S = RiskPointStatus


def _screen(county: County, **kwargs: Any) -> ScreeningResult:  # options
    return screen(county, GRADING, CLASSES, as_of=DAY, **kwargs)


def _later() -> County:
    """The small county a month later: see each change in the test below."""
    county = small_county()
    rps = {rp.id: rp for rp in county.risk_points}
    return small_county(
        risk_points=[
            # rp1 (major, c-a) is brought under control and downgraded: 2x4 = 8
            attrs.evolve(rps["rp1"], likelihood=2),
            # rp2 (low, c-a): closed on 2020-09-01
            attrs.evolve(
                rps["rp2"],
                status=_S.CLOSED,
                controlled_on=date(2020, 5, 10),
                last_reviewed_on=date(2020, 6, 1),
                closed_on=date(2020, 9, 1),
            ),
            # rp3 (c-b) is reopened: a re-grading puts it back on the books
            attrs.evolve(
                rps["rp3"], status=_S.GRADED, closed_on=None, graded_on=date(2020, 9, 1)
            ),
            # rp4 (c-d) is re-assessed upward: 4x4 = 16
            attrs.evolve(rps["rp4"], likelihood=4, severity=4),
            # a new major risk point in c-c
            risk_point("rp5", "c-c", 5, 5, level=RiskLevel.MAJOR),
        ],
        hazards=[],
    )


def test_a_diff_names_each_move_the_rule_that_changed_and_the_inputs() -> None:
    diff = diff_campaigns(_screen(small_county()), _screen(_later()))
    moves = {c.community_id: c for c in diff.communities}
    assert [(c.community_id, c.move) for c in diff.communities] == [
        ("c-d", CommunityMove.UP),
        ("c-a", CommunityMove.DOWN),
    ]
    # c-a: class_1 (major risk) -> class_3: the major risk is gone
    a = moves["c-a"]
    assert (a.class_before, a.class_after, a.changed_rule) == (
        "class_1",
        "class_3",
        "C1-major-risk",
    )
    assert {n: (x, y) for n, x, y in a.inputs} == {
        "major_risks": (1, 0),
        "general_risks": (0, 1),
        "low_risks": (1, 0),
        "open_hazards": (1, 0),
    }
    # c-b: its reopened significant risk decides now (C2-significant-risk comes
    # before C2-workload), but the class stays class_2: not a move
    assert "c-b" not in moves
    d = moves["c-d"]
    assert (d.class_before, d.class_after, d.changed_rule) == (
        "class_3",
        "class_2",
        "C2-significant-risk",
    )
    assert (d.position_before, d.position_after) == (4, 3)
    assert diff.class_counts_before == (("class_1", 2), ("class_2", 1), ("class_3", 1))
    assert not diff.rulesets_changed


def test_a_diff_lists_every_kind_of_risk_change() -> None:
    diff = diff_campaigns(_screen(small_county()), _screen(_later()))
    assert [(r.risk_point_id, r.kind) for r in diff.risks] == [
        ("rp5", RiskChangeKind.APPEARED),
        ("rp4", RiskChangeKind.UPGRADED),
        ("rp1", RiskChangeKind.DOWNGRADED),
        ("rp2", RiskChangeKind.CLOSED),
        ("rp3", RiskChangeKind.REOPENED),
    ]
    rp1 = diff.changed(RiskChangeKind.DOWNGRADED)[0]
    assert (rp1.level_before, rp1.level_after) == (RiskLevel.MAJOR, RiskLevel.GENERAL)
    back = diff_campaigns(_screen(_later()), _screen(small_county()))
    assert [(r.risk_point_id, r.kind) for r in back.risks] == [
        ("rp1", RiskChangeKind.UPGRADED),
        ("rp4", RiskChangeKind.DOWNGRADED),
        ("rp3", RiskChangeKind.CLOSED),
        ("rp2", RiskChangeKind.REOPENED),
        ("rp5", RiskChangeKind.REMOVED),
    ]


def test_communities_enter_and_leave_with_the_scope() -> None:
    before = _screen(small_county(), scope=["t1"])
    after = _screen(small_county(), scope=["t2"])
    diff = diff_campaigns(before, after)
    assert [(c.community_id, c.move) for c in diff.communities] == [
        ("c-c", CommunityMove.ENTERED),
        ("c-d", CommunityMove.ENTERED),
        ("c-a", CommunityMove.LEFT),
        ("c-b", CommunityMove.LEFT),
    ]
    assert diff.moved(CommunityMove.LEFT)[0].class_before == "class_1"
    assert {r.kind for r in diff.risks} == {
        RiskChangeKind.APPEARED,
        RiskChangeKind.REMOVED,
    }


def test_a_change_of_rules_is_flagged_and_blamed_on_no_single_rule() -> None:
    strict = ruleset_from_data(
        {
            "ruleset": "strict",
            "version": "1",
            "subject": "community",
            "output": "community_risk_class",
            "rules": [{"id": "ALL", "when": "population >= 0", "then": "class_1"}],
        }
    )
    diff = diff_campaigns(
        _screen(small_county()), screen(small_county(), GRADING, strict, as_of=DAY)
    )
    assert diff.rulesets_changed == ("classification",)
    assert {c.changed_rule for c in diff.communities} == {None}
    ranked = diff_campaigns(
        _screen(small_county()),
        _screen(small_county(), ranking=RankingPolicy(weights={})),
    )
    assert ranked.rulesets_changed == ("ranking",)
    assert ranked.empty


def test_the_diff_reads_as_text() -> None:
    after = _screen(_later())
    diff = diff_campaigns(_screen(small_county()), after)
    text = format_campaign_diff(diff, names=after)
    assert text.splitlines()[0] == (
        "Screening 2020-09-15 -> 2020-09-15: 2 communities moved, 0 entered or left; "
        "5 risk points changed"
    )
    assert "  ↓ 甲社区: class_1 → class_3, rule C1-major-risk no longer holds" in text
    zh = format_campaign_diff(diff, names=after, lang="zh")
    assert "  ↓ 甲社区：一类 → 三类，规则 C1-major-risk 不再成立" in zh
    assert "  新增 rp5 [丙社区] - → major" in zh
    plain = format_campaign_diff(diff)
    assert "  ↓ c-a: class_1 → class_3" in plain


def test_running_a_campaign_screens_its_townships_on_its_day() -> None:
    county = small_county(
        campaigns=[
            Campaign(
                id="sweep",
                name_zh="大起底",
                start=date(2020, 5, 1),
                end=date(2020, 9, 15),
                scope_township_ids=["t2"],
            ),
            Campaign(id="open", name_zh="排查", start=date(2020, 5, 1)),
        ]
    )
    result = run_campaign(county, "sweep", GRADING, CLASSES)
    assert (result.campaign_id, result.as_of, result.scope) == ("sweep", DAY, ("t2",))
    assert [f.community_id for f in result.communities] == ["c-c", "c-d"]
    whole = run_campaign(county, county.campaigns[1], GRADING, CLASSES, as_of=DAY)
    assert whole.scope == ("t1", "t2")
    with pytest.raises(ModelError, match="has no end date"):
        run_campaign(county, "open", GRADING, CLASSES)
    with pytest.raises(UnknownIdError, match="no campaign with id 'nope'"):
        run_campaign(county, "nope", GRADING, CLASSES)


def test_the_bundled_campaign_covers_every_community() -> None:
    result = run_campaign(
        yueyanglou(),
        "campaign-study-discuss-sweep",
        default_ruleset("risk-point-grading"),
        default_ruleset("community-classification"),
        as_of=date(2020, 9, 15),
    )
    assert len(result.communities) == 107
    assert result.finding("desheng").risk_class is CommunityRiskClass.CLASS_1


def test_a_saved_screening_reads_back_equal(tmp_path: Path) -> None:
    result = _screen(_later(), campaign_id="sweep")
    path = tmp_path / "s.yaml"
    save_screening(result, path)
    again = load_screening(path)
    assert again == result
    assert diff_campaigns(again, result).empty
    assert again.finding("c-a").risk_class is CommunityRiskClass.CLASS_3
    assert again.names == result.names


def test_a_damaged_saved_screening_is_reported_with_locations() -> None:
    text = screening_to_text(_screen(small_county()))
    bad = (
        text.replace("as_of: 2020-09-15", "as_of: someday")
        .replace("\n  level: major", "\n  level: huge", 1)
        .replace("  position: 1\n", "  position: -1\n", 1)
    )
    with pytest.raises(LoadErrorGroup) as info:
        load_screening(bad)
    messages = [str(p) for p in info.value.problems]
    assert any(
        m.startswith("<text>:3:8: as_of: expected a date YYYY-MM-DD") for m in messages
    )
    assert any(
        "communities[0].position: expected a whole number >= 0" in m for m in messages
    )
    assert any(
        "risks[0].level: 'huge' is not one of low, general" in m for m in messages
    )
    with pytest.raises(LoadErrorGroup, match="problems") as info:
        load_screening(text.replace("county_id:", "county:"))
    assert "unknown field 'county'; did you mean 'county_id'?" in str(
        info.value.problems[0]
    )
    with pytest.raises(ConfigError, match="screening_format 2"):
        load_screening(text.replace("screening_format: 1", "screening_format: 2"))
    with pytest.raises(LoadErrorGroup, match="not a saved screening"):
        load_screening("- a list\n")


@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(counties(max_communities=5, max_records=3))
def test_any_screening_survives_a_save_and_load(county: County) -> None:
    result = screen(
        county,
        GRADING,
        CLASSES,
        as_of=date.max,
        missing_indicators="zeros",
        explain=False,
    )
    assert load_screening(screening_to_text(result)) == result
