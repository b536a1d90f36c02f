"""Screening (大起底、梳理排队) on a small county whose answers are worked out by hand.

The county ``small`` (built by `small_county`):

- townships t1 (communities c-a, c-b) and t2 (c-c, c-d);
- station s1 covers c-a and c-b, station s2 covers c-c; nothing covers c-d;
- indicators dated 2020-06-30;
- risk points: rp1 in c-a, 5x4=20 (major); rp2 in c-a, 2x2=4 (low) with an open
  hazard; rp3 in c-b, 3x5=15 (significant) closed on 2020-06-01; rp4 in c-d,
  3x3=9 (general) identified on 2020-08-01, railway theme;
- one open dispute in c-d (the indicator says 0).

With the shipped rulesets on 2020-09-15:

- c-a: class_1 by C1-major-risk; score 1000 (major) + 1 (low) + 10 (hazard)
  + 5 (one open dispute) + 2x2 (incidents) + 10 (calls) = 1030;
- c-c: class_1 by C1-crime-and-disputes (12 incidents, 6 disputes);
  score 6x5 + 12x2 + 5 = 59;
- c-b: class_2 by C2-workload (35 calls); score 35 (rp3 is closed);
- c-d: class_3 by default; score 10 (general) + 5 (dispute) + 1 = 16.
"""

from __future__ import annotations

import runpy
import sys
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest

from countypolicing.datasets import default_ruleset
from countypolicing.exceptions import (
    IntegrityError,
    ModelError,
    RuleTypeError,
    UnknownIdError,
)
from countypolicing.model import (
    CommunityRiskClass,
    County,
    RiskLevel,
    RiskPointStatus,
)
from countypolicing.operations import (
    RankingPolicy,
    ScreeningResult,
    classify_communities,
    format_ranking,
    format_rollups,
    grade_risk_points,
    rank_communities,
    rollup,
    screen,
)
from countypolicing.rules import compile_ruleset, ruleset_from_data

_SUPPORT = runpy.run_path(str(Path(__file__).with_name("test_screening_support.py")))
DAY: date = _SUPPORT["DAY"]
GRADING = _SUPPORT["GRADING"]
CLASSES = _SUPPORT["CLASSES"]
small_county: Callable[..., County] = _SUPPORT["small_county"]


def _screen(county: County | None = None, **kwargs: object) -> ScreeningResult:
    return screen(county or small_county(), GRADING, CLASSES, as_of=DAY, **kwargs)  # type: ignore[arg-type]  # keyword options


def test_every_community_gets_the_hand_computed_class_rule_and_score() -> None:
    result = _screen()
    got = [
        (f.position, f.community_id, f.risk_class, f.rule_ids, f.score)
        for f in result.communities
    ]
    assert got == [
        (1, "c-a", CommunityRiskClass.CLASS_1, ("C1-major-risk",), 1030.0),
        (2, "c-c", CommunityRiskClass.CLASS_1, ("C1-crime-and-disputes",), 59.0),
        (3, "c-b", CommunityRiskClass.CLASS_2, ("C2-workload",), 35.0),
        (4, "c-d", CommunityRiskClass.CLASS_3, (), 16.0),
    ]
    assert [f.class_rank for f in result.communities] == [3, 3, 2, 1]
    assert result.class_counts() == (("class_1", 2), ("class_2", 1), ("class_3", 1))


def test_aggregates_count_open_risk_points_hazards_and_disputes() -> None:
    result = _screen()
    a = result.finding("c-a").aggregates
    assert (a.risk_points, a.worst_level, a.major, a.low, a.open_hazards) == (
        2,
        RiskLevel.MAJOR,
        1,
        1,
        1,
    )
    b = result.finding("c-b").aggregates  # rp3 is closed: counted nowhere
    assert (b.risk_points, b.worst_level, b.significant) == (0, None, 0)
    d = result.finding("c-d")
    assert d.aggregates.open_disputes == 1
    assert d.value("disputes_open") == 1  # max(indicator 0, register 1)
    assert d.aggregates.themes == ("railway",)


def test_risk_points_are_graded_with_their_state_on_the_day() -> None:
    result = _screen()
    assert [(g.risk_point_id, g.level, g.status) for g in result.risks] == [
        ("rp1", RiskLevel.MAJOR, RiskPointStatus.GRADED),
        ("rp2", RiskLevel.LOW, RiskPointStatus.GRADED),
        ("rp3", RiskLevel.SIGNIFICANT, RiskPointStatus.CLOSED),
        ("rp4", RiskLevel.GENERAL, RiskPointStatus.IDENTIFIED),
    ]
    assert result.risk("rp2").open_hazards == 1
    assert result.risk("rp1").rule_ids == ("M-major",)


def test_screening_on_an_earlier_day_sees_the_county_as_it_was() -> None:
    july = screen(small_county(), GRADING, CLASSES, as_of=date(2020, 7, 1))
    assert "rp4" not in {g.risk_point_id for g in july.risks}
    assert july.finding("c-d").aggregates.risk_points == 0
    may = screen(
        small_county(),
        GRADING,
        CLASSES,
        as_of=date(2020, 5, 15),
        missing_indicators="zeros",
    )
    b = may.finding("c-b")  # rp3 was open then, and nothing else
    assert (b.risk_class, b.rule_ids) == (
        CommunityRiskClass.CLASS_2,
        ("C2-significant-risk",),
    )
    assert may.finding("c-c").risk_class is CommunityRiskClass.CLASS_3


def test_a_community_without_indicators_is_reported_with_its_path() -> None:
    with pytest.raises(IntegrityError) as info:
        screen(small_county(), GRADING, CLASSES, as_of=date(2020, 6, 1))
    problems = info.value.problems
    assert [p.path for p in problems] == [("communities", i) for i in range(4)]
    assert problems[0].record_id == "c-a"
    assert "no indicators dated on or before 2020-06-01" in str(problems[0])
    assert "missing_indicators='zeros'" in str(info.value)


def test_scope_limits_the_screening_to_some_townships() -> None:
    result = _screen(scope=["t2"])
    assert result.scope == ("t2",)
    assert [f.community_id for f in result.communities] == ["c-c", "c-d"]
    assert {g.risk_point_id for g in result.risks} == {"rp4"}
    with pytest.raises(UnknownIdError, match="no township with id 't3'"):
        _screen(scope=["t3"])


def test_a_community_with_no_station_rolls_up_last() -> None:
    result = _screen()
    stations = rollup(result, by="station")
    assert [(r.unit_id, r.classes, r.top) for r in stations] == [
        ("s1", (("class_1", 1), ("class_2", 1), ("class_3", 0)), ("c-a", "c-b")),
        ("s2", (("class_1", 1), ("class_2", 0), ("class_3", 0)), ("c-c",)),
        (None, (("class_1", 0), ("class_2", 0), ("class_3", 1)), ("c-d",)),
    ]
    assert stations[0].major == 1
    assert stations[0].low == 1
    assert stations[0].open_hazards == 1
    assert stations[0].score == 1065.0
    townships = rollup(result, by="township")
    assert [(r.unit_id, r.communities) for r in townships] == [("t1", 2), ("t2", 2)]
    with pytest.raises(ValueError, match="by must be"):
        rollup(result, by="county")  # type: ignore[arg-type]


def test_each_position_explains_itself() -> None:
    ranked = _screen().ranked()
    assert ranked[0].text() == (
        "1. 甲社区 (c-a): class_1 by rule C1-major-risk because it has a major risk "
        "point; score 1030 = major_risks 1×1000 + low_risks 1×1 + open_hazards 1×10 "
        "+ disputes_open 1×5 + prior_incidents 2×2 + calls_per_1000 10×1; then by id."
    )
    assert (
        ranked[3]
        .text("zh")
        .startswith("4. 丁村（c-d）：三类，无规则命中，取默认类别；")
    )
    explanation = ranked[1].finding.explanation
    assert explanation is not None
    assert "prior_incidents >= 10: true" in explanation.text()


def test_ties_on_class_and_score_are_broken_by_id() -> None:
    flat = RankingPolicy(weights={})
    result = _screen(ranking=flat)
    assert [f.community_id for f in result.communities] == ["c-a", "c-c", "c-b", "c-d"]
    assert {f.score for f in result.communities} == {0.0}
    only_calls = RankingPolicy(weights={"calls_per_1000": 1})
    result = _screen(ranking=only_calls)
    assert [f.community_id for f in result.communities[:2]] == ["c-a", "c-c"]


def test_the_result_does_not_depend_on_the_order_of_the_records() -> None:
    county = small_county()
    shuffled = attrs.evolve(
        county,
        communities=county.communities[::-1],
        risk_points=county.risk_points[::-1],
        indicators=county.indicators[::-1],
        townships=county.townships[::-1],
    )
    assert _screen(shuffled) == _screen(county)


def test_classify_grade_and_rank_are_views_of_the_screening() -> None:
    county = small_county()
    findings = classify_communities(county, GRADING, CLASSES, as_of=DAY)
    assert [f.community_id for f in findings] == ["c-a", "c-b", "c-c", "c-d"]
    assert findings[0].explanation is None  # explain=False by default here
    grades = grade_risk_points(county, GRADING, as_of=DAY)
    assert [g.level for g in grades] == [
        RiskLevel.MAJOR,
        RiskLevel.LOW,
        RiskLevel.SIGNIFICANT,
        RiskLevel.GENERAL,
    ]
    ranked = rank_communities(county, GRADING, CLASSES, as_of=DAY, top=2)
    assert [(r.position, r.community_id, r.class_label_zh) for r in ranked] == [
        (1, "c-a", "一类"),
        (2, "c-c", "一类"),
    ]


def test_compiled_classifiers_and_rulesets_are_both_accepted() -> None:
    compiled = screen(
        small_county(),
        compile_ruleset(GRADING),
        compile_ruleset(CLASSES),
        as_of=DAY,
    )
    assert compiled == _screen()


def test_a_theme_of_an_open_risk_point_counts_as_the_community_s_theme() -> None:
    railway = ruleset_from_data(
        {
            "ruleset": "railway",
            "version": "1",
            "subject": "community",
            "output": "community_risk_class",
            "default": "class_3",
            "rules": [{"id": "R", "when": "theme_railway", "then": "class_2"}],
        }
    )
    result = screen(small_county(), GRADING, railway, as_of=DAY)
    assert result.finding("c-d").risk_class is CommunityRiskClass.CLASS_2
    assert result.finding("c-a").risk_class is CommunityRiskClass.CLASS_3


def test_rulesets_that_decide_the_wrong_thing_are_refused() -> None:
    with pytest.raises(RuleTypeError, match="grading needs an output whose values"):
        screen(small_county(), CLASSES, CLASSES, as_of=DAY)
    counting = ruleset_from_data(
        {
            "ruleset": "count",
            "version": "1",
            "subject": "community",
            "hit_policy": "collect",
            "aggregate": "sum",
            "rules": [{"id": "R", "when": "population > 0", "score": 1}],
        }
    )
    with pytest.raises(RuleTypeError, match="does not decide one class"):
        screen(small_county(), GRADING, counting, as_of=DAY)


def test_a_screening_needs_a_day() -> None:
    county = attrs.evolve(small_county(), as_of=None)
    with pytest.raises(ModelError, match="pass as_of="):
        screen(county, GRADING, CLASSES)


def test_ranking_policies_are_checked() -> None:
    with pytest.raises(ModelError, match="did you mean 'major_risks'"):
        RankingPolicy(weights={"major_risk": 1})
    with pytest.raises(ModelError, match="finite number >= 0"):
        RankingPolicy(weights={"major_risks": -1})
    with pytest.raises(ModelError, match="finite number >= 0"):
        RankingPolicy(weights={"major_risks": float("nan")})
    with pytest.raises(ModelError, match="not a numeric community field"):
        RankingPolicy(weights={"key_persons": 1})  # optional: may be missing
    with pytest.raises(ModelError, match="weighted twice"):
        RankingPolicy(weights=[("major_risks", 1), ("major_risks", 2)])


def test_text_reports_in_both_languages() -> None:
    result = _screen()
    text = format_ranking(result, explain=True)
    assert text.splitlines()[0] == (
        "Ranking of 4 communities on 2020-09-15: class_1 2, class_2 1, class_3 1"
    )
    assert "Values read: major_risks=1" in text
    zh = format_ranking(result, lang="zh", top=1)
    assert zh.splitlines()[1] == (
        "   1. 一类 甲社区 [甲派出所] 得分 1030 <- C1-major-risk：存在重大风险点"
    )
    table = format_rollups(result, rollup(result), lang="zh")
    assert table.splitlines()[-1].startswith("（无）")
    assert format_rollups(result, ()).startswith("Police station")


def test_frames_for_notebooks() -> None:
    pandas = pytest.importorskip("pandas")
    result = _screen()
    frame = result.to_frame()
    assert list(frame.index) == ["c-a", "c-c", "c-b", "c-d"]
    assert frame.loc["c-a", "rule_ids"] == "C1-major-risk"
    assert pandas.isna(frame.loc["c-d", "station_id"])
    risks = result.risks_frame()
    assert risks.loc["rp1", "color"] == "red"
    assert not risks.loc["rp3", "open"]
    stations = result.rollup_frame(by="station", lang="zh")
    assert stations.loc["s1", "name"] == "甲派出所"
    assert stations.loc["s1", "class_1"] == 1


def test_frames_name_the_extra_when_pandas_is_missing(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "countypolicing\[pandas\]"'):
        _screen().to_frame()


def test_the_bundled_county_ranks_its_107_communities() -> None:
    from countypolicing.datasets import yueyanglou  # noqa: PLC0415

    result = screen(
        yueyanglou(),
        default_ruleset("risk-point-grading"),
        default_ruleset("community-classification"),
    )
    assert len(result.communities) == 107
    assert [f.position for f in result.communities] == list(range(1, 108))
    assert result.finding("desheng").rule_ids == ("C1-significant-risks",)
    assert len(rollup(result)) == 13
