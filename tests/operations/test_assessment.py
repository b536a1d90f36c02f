"""Performance assessment (综合绩效考核), worked out by hand on the small county.

The small county of ``test_screening.py`` gains two departments (housing
supervises rental housing, railway police supervises the railway theme), a
sub-district office of t1, three disputes with outcomes, two more hazards, and a
work plan whose four tasks are replayed from a ledger. On 2020-09-15:

- risk points controlled: t1 has rp1, rp2 (graded), rp3 (closed): 1/3; t2 has
  rp4 (identified): 0/1; s1 as t1; s2 nothing; housing rp1, rp2, rp3: 1/3;
  railway rp4: 0/1;
- disputes with an outcome by then: d2 (closed at community level, handled by
  housing): met; d3 (referred, sub-district level): missed; d4 (agreed at grid
  level on 2020-09-20): not yet; d1 (open): not yet;
- hazards due by then: h1 (rp2, due 06-20, open): missed; h2 (rp1, due 08-15,
  verified 08-10): met; h3 (rp4, due 10-01): not yet;
- tasks due by then: t-1 (s1, submitted 07-20 for 08-01): met; t-2 (housing, due
  08-01, not submitted): missed; t-4 (s1, submitted 09-05 for 09-01): missed;
  t-3 (the t1 office, due 10-01): not yet.
"""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import ModelError, UnknownIdError
from countypolicing.model import (
    AdminLevel,
    AgreementForm,
    County,
    Department,
    DepartmentKind,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeStatus,
    DisputeType,
    Government,
    GovernmentKind,
    HandlingLevel,
    Hazard,
    HazardStatus,
    KeyWorkItem,
    LedgerEntry,
    MediationAgreement,
    PartyRole,
    ReferralRoute,
    RiskPointStatus,
    Task,
    TaskAction,
    ThemeSupervision,
    WorkPlan,
    replay_task,
)
from countypolicing.operations import (
    AssessmentIndicator,
    AssessmentMeasure,
    IndicatorSet,
    SubjectKind,
    WhenEmpty,
    assess,
    format_assessment,
    plan_from_county,
    reconcile,
)
from countypolicing.serialization import load_indicator_set

_SUPPORT = runpy.run_path(str(Path(__file__).with_name("test_screening_support.py")))
DAY: date = _SUPPORT["DAY"]
small_county: Callable[..., County] = _SUPPORT["small_county"]

CST = timezone(timedelta(hours=8))
SHIPPED = Path(__file__).resolve().parents[2] / (
    "src/countypolicing/datasets/rules/assessment-indicators.yaml"
)


def _at(month: int, day: int) -> datetime:
    return datetime(2020, month, day, 9, tzinfo=CST)


def _tasks_and_ledger() -> tuple[list[Task], list[LedgerEntry]]:
    planned = [
        Task(
            id="t-1",
            key_item_id="k1",
            title_zh="任务一",
            lead_owner_id="s1",
            deadline=date(2020, 8, 1),
        ),
        Task(
            id="t-2",
            key_item_id="k1",
            title_zh="任务二",
            lead_owner_id="dept-h",
            deadline=date(2020, 8, 1),
        ),
        Task(
            id="t-3",
            key_item_id="k1",
            title_zh="任务三",
            lead_owner_id="gov-t1",
            deadline=date(2020, 10, 1),
        ),
        Task(
            id="t-4",
            key_item_id="k1",
            title_zh="任务四",
            lead_owner_id="s1",
            deadline=date(2020, 9, 1),
        ),
    ]
    steps = [
        ("t-1", "s1", TaskAction.ASSIGN, _at(7, 1)),
        ("t-1", "s1", TaskAction.START, _at(7, 2)),
        ("t-2", "dept-h", TaskAction.ASSIGN, _at(7, 3)),
        ("t-1", "s1", TaskAction.SUBMIT, _at(7, 20)),
        ("t-4", "s1", TaskAction.ASSIGN, _at(8, 1)),
        ("t-4", "s1", TaskAction.START, _at(8, 2)),
        ("t-4", "s1", TaskAction.SUBMIT, _at(9, 5)),
    ]
    ledger = [
        LedgerEntry(seq=i, task_id=t, actor_id=a, action=act, at=at)
        for i, (t, a, act, at) in enumerate(steps, start=1)
    ]
    tasks = [replay_task(t, [e for e in ledger if e.task_id == t.id]) for t in planned]
    return tasks, ledger


def _agreement(day: date) -> MediationAgreement:
    return MediationAgreement(
        form=AgreementForm.ORAL, reached_on=day, content="和解", recorded_by="p1"
    )


def assessed_county() -> County:
    base = small_county()
    tasks, ledger = _tasks_and_ledger()
    parties = [
        DisputeParty(party_id="p1", role=PartyRole.APPLICANT),
        DisputeParty(party_id="p2", role=PartyRole.RESPONDENT),
    ]
    return small_county(
        departments=[
            Department(
                id="dept-h",
                name_zh="住建局",
                name_en="Housing",
                kind=DepartmentKind.HOUSING,
            ),
            Department(
                id="dept-r", name_zh="铁路公安", kind=DepartmentKind.RAILWAY_POLICE
            ),
        ],
        governments=[
            Government(
                id="gov-t1",
                name_zh="一街道办事处",
                kind=GovernmentKind.SUB_DISTRICT_OFFICE,
                level=AdminLevel.TOWNSHIP,
                admin_unit_id="t1",
            )
        ],
        theme_supervision=[
            ThemeSupervision(theme="rental_housing", department_ids=["dept-h"]),
            ThemeSupervision(theme="railway", department_ids=["dept-r"]),
        ],
        disputes=[
            base.dispute("d1"),
            Dispute(
                id="d2",
                type=DisputeType.NEIGHBOUR,
                community_id="c-a",
                origin=DisputeOrigin.GRID_REPORT,
                summary="邻里纠纷",
                parties=parties,
                reported_on=date(2020, 6, 1),
                status=DisputeStatus.CLOSED,
                handling_level=HandlingLevel.COMMUNITY,
                handler_id="dept-h",
                agreement=_agreement(date(2020, 6, 20)),
                ended_on=date(2020, 6, 20),
                closed_on=date(2020, 7, 1),
            ),
            Dispute(
                id="d3",
                type=DisputeType.CONTRACT,
                community_id="c-c",
                origin=DisputeOrigin.WALK_IN,
                summary="合同纠纷",
                parties=parties,
                reported_on=date(2020, 7, 1),
                status=DisputeStatus.REFERRED,
                handling_level=HandlingLevel.SUB_DISTRICT,
                referral=ReferralRoute.LITIGATION,
                ended_on=date(2020, 8, 1),
            ),
            Dispute(
                id="d4",
                type=DisputeType.NEIGHBOUR,
                community_id="c-b",
                origin=DisputeOrigin.GRID_REPORT,
                summary="邻里纠纷",
                parties=parties,
                reported_on=date(2020, 9, 1),
                status=DisputeStatus.AGREED,
                handling_level=HandlingLevel.GRID,
                agreement=_agreement(date(2020, 9, 20)),
                ended_on=date(2020, 9, 20),
            ),
        ],
        hazards=[
            base.hazards[0],
            Hazard(
                id="h2",
                risk_point_id="rp1",
                description="护栏缺失",
                found_on=date(2020, 8, 1),
                rectify_by=date(2020, 8, 15),
                owner_id="p1",
                status=HazardStatus.VERIFIED,
                verified_on=date(2020, 8, 10),
            ),
            Hazard(
                id="h3",
                risk_point_id="rp4",
                description="围栏破损",
                found_on=date(2020, 9, 1),
                rectify_by=date(2020, 10, 1),
                owner_id="p2",
            ),
        ],
        work_plans=[
            WorkPlan(
                id="p",
                title_zh="方案",
                owner_id="dept-h",
                start=date(2020, 6, 1),
                end=date(2020, 12, 31),
            )
        ],
        key_items=[
            KeyWorkItem(
                id="k1", plan_id="p", number=1, title_zh="重点一", lead_owner_id="s1"
            )
        ],
        tasks=tasks,
        ledger=ledger,
    )


def _one(measure: AssessmentMeasure, **more: object) -> IndicatorSet:
    return IndicatorSet(
        id="one",
        version="1",
        indicators=[
            AssessmentIndicator(
                id="x",
                name_zh="指标",
                measure=measure,
                weight=1,
                **more,  # type: ignore[arg-type]  # indicator fields
            )
        ],
    )


def _counts(measure: AssessmentMeasure) -> dict[str, tuple[int, int, tuple[str, ...]]]:
    result = assess(assessed_county(), _one(measure), as_of=DAY)
    return {
        s.subject_id: (s.lines[0].numerator, s.lines[0].denominator, s.lines[0].missed)
        for s in result.scores
    }


M = AssessmentMeasure


@pytest.mark.parametrize(
    ("measure", "expected"),
    [
        (
            M.RISK_POINTS_CONTROLLED,
            {
                "t1": (1, 3, ("rp1", "rp2")),
                "t2": (0, 1, ("rp4",)),
                "s1": (1, 3, ("rp1", "rp2")),
                "s2": (0, 0, ()),
                "dept-h": (1, 3, ("rp1", "rp2")),
                "dept-r": (0, 1, ("rp4",)),
            },
        ),
        (
            M.DISPUTES_RESOLVED_AT_GRASSROOTS,
            {
                "t1": (1, 1, ()),
                "t2": (0, 1, ("d3",)),
                "s1": (1, 1, ()),
                "s2": (0, 1, ("d3",)),
                "dept-h": (1, 1, ()),
                "dept-r": (0, 0, ()),
            },
        ),
        (
            M.HAZARDS_RECTIFIED_ON_TIME,
            {
                "t1": (1, 2, ("h1",)),
                "t2": (0, 0, ()),
                "s1": (1, 2, ("h1",)),
                "s2": (0, 0, ()),
                "dept-h": (1, 2, ("h1",)),
                "dept-r": (0, 0, ()),
            },
        ),
        (
            M.TASKS_ON_TIME,
            {
                "t1": (0, 0, ()),  # t-3 is not due yet
                "t2": (0, 0, ()),
                "s1": (1, 2, ("t-4",)),
                "s2": (0, 0, ()),
                "dept-h": (0, 1, ("t-2",)),
                "dept-r": (0, 0, ()),
            },
        ),
        (
            M.TASKS_CLOSED_OUT,
            {
                "t1": (0, 0, ()),
                "t2": (0, 0, ()),
                "s1": (0, 2, ("t-1", "t-4")),
                "s2": (0, 0, ()),
                "dept-h": (0, 1, ("t-2",)),
                "dept-r": (0, 0, ()),
            },
        ),
        (
            M.REVIEWS_ON_TIME,
            dict.fromkeys(("t1", "t2", "s1", "s2", "dept-h", "dept-r"), (0, 0, ())),
        ),
    ],
)
def test_each_measure_counts_what_the_hand_computation_says(
    measure: AssessmentMeasure, expected: dict[str, tuple[int, int, tuple[str, ...]]]
) -> None:
    assert _counts(measure) == expected


def test_tasks_are_judged_from_the_ledger_as_reconcile_replays_it() -> None:
    county = assessed_county()
    lines = reconcile(plan_from_county(county), county.ledger, DAY).tasks
    assert {t.task_id: t.submitted_on for t in lines} == {
        "t-1": date(2020, 7, 20),
        "t-2": None,
        "t-3": None,
        "t-4": date(2020, 9, 5),
    }
    later = assess(county, _one(M.TASKS_ON_TIME), as_of=date(2020, 10, 2))
    assert later.score("t1").lines[0].missed == ("t-3",)  # the t1 office's task
    early = assess(county, _one(M.TASKS_ON_TIME), as_of=DAY, ledger=county.ledger[:3])
    assert early.score("s1").lines[0].missed == ("t-1", "t-4")


def test_scores_are_the_weighted_mean_of_what_there_is_to_count() -> None:
    indicators = IndicatorSet(
        id="two",
        version="1",
        indicators=[
            AssessmentIndicator(
                id="risks", name_zh="管控", measure=M.RISK_POINTS_CONTROLLED, weight=3
            ),
            AssessmentIndicator(
                id="tasks", name_zh="按期", measure=M.TASKS_ON_TIME, weight=1
            ),
        ],
    )
    result = assess(assessed_county(), indicators, as_of=DAY)
    s1 = result.score("s1")  # 100 * (3 * 1/3 + 1 * 1/2) / 4
    assert s1.score == pytest.approx(37.5)
    assert [line.points for line in s1.lines] == [
        pytest.approx(25.0),
        pytest.approx(12.5),
    ]
    t2 = result.score("t2")  # tasks: nothing to count, left out: 0/1 risks
    assert t2.score == 0.0
    assert t2.line("tasks").value is None
    assert result.score("s2").score is None
    assert result.score("s2").rank is None
    assert [s.subject_id for s in result.of("station")] == ["s1", "s2"]
    assert [s.kind for s in result.scores[:2]] == [SubjectKind.TOWNSHIP] * 2


@pytest.mark.parametrize(
    ("when_empty", "score"),
    [(WhenEmpty.SKIP, None), (WhenEmpty.FULL, 100.0), (WhenEmpty.ZERO, 0.0)],
)
def test_an_indicator_with_nothing_to_count_follows_its_rule(
    when_empty: WhenEmpty, score: float | None
) -> None:
    result = assess(
        assessed_county(),
        _one(M.RISK_POINTS_CONTROLLED, when_empty=when_empty),
        as_of=DAY,
    )
    assert result.score("s2").score == score


def test_an_indicator_applies_only_to_its_kinds_of_subject() -> None:
    result = assess(
        assessed_county(),
        _one(M.RISK_POINTS_CONTROLLED, subjects=[SubjectKind.DEPARTMENT]),
        as_of=DAY,
    )
    assert result.score("t1").lines == ()
    assert result.score("t1").score is None
    assert result.score("dept-h").lines[0].numerator == 1


def test_indicator_sets_are_checked() -> None:
    with pytest.raises(ModelError, match="finite number > 0"):
        AssessmentIndicator(id="x", name_zh="x", measure=M.TASKS_ON_TIME, weight=0)
    with pytest.raises(ModelError, match="finite number > 0"):
        AssessmentIndicator(
            id="x", name_zh="x", measure=M.TASKS_ON_TIME, weight=float("inf")
        )
    with pytest.raises(ModelError, match="at least one kind"):
        AssessmentIndicator(
            id="x", name_zh="x", measure=M.TASKS_ON_TIME, weight=1, subjects=[]
        )
    with pytest.raises(ModelError, match="listed twice"):
        AssessmentIndicator(
            id="x",
            name_zh="x",
            measure=M.TASKS_ON_TIME,
            weight=1,
            subjects=["station", "station"],
        )
    with pytest.raises(ModelError, match="non-empty text"):
        AssessmentIndicator(id=" ", name_zh="x", measure=M.TASKS_ON_TIME, weight=1)
    one = AssessmentIndicator(id="x", name_zh="x", measure=M.TASKS_ON_TIME, weight=1)
    with pytest.raises(ModelError, match="used twice"):
        IndicatorSet(id="s", version="1", indicators=[one, one])
    with pytest.raises(ModelError, match="at least one indicator"):
        IndicatorSet(id="s", version="1", indicators=[])
    with pytest.raises(UnknownIdError):
        IndicatorSet(id="s", version="1", indicators=[one]).indicator("y")


def test_the_shipped_indicator_set_scores_the_bundled_county() -> None:
    shipped = load_indicator_set(SHIPPED)
    assert shipped.provenance == "inferred"
    assert sum(i.weight for i in shipped.indicators) == 100
    assert {i.measure for i in shipped.indicators} == set(AssessmentMeasure)
    result = assess(yueyanglou(), shipped, as_of=date(2020, 9, 15))
    stations = result.of("station")
    assert len(stations) == 14
    ranked = [s for s in stations if s.score is not None]
    assert [s.rank for s in ranked] == list(range(1, len(ranked) + 1))
    assert all(0.0 <= s.score <= 100.0 for s in ranked)  # type: ignore[operator]
    scores = [s.score for s in ranked if s.score is not None]
    assert scores == sorted(scores, reverse=True)
    text = format_assessment(result, kind="station", top=3, lang="zh")
    assert (
        text.splitlines()[0] == "派出所 (county-policing-assessment 2020.1, 2020-09-15)"
    )


def test_frames_for_notebooks() -> None:
    pytest.importorskip("pandas")
    frame = assess(
        assessed_county(), _one(M.RISK_POINTS_CONTROLLED), as_of=DAY
    ).to_frame()
    row = frame[frame["subject_id"] == "t1"].iloc[0]
    assert (row["numerator"], row["denominator"], row["missed"]) == (1, 3, "rp1,rp2")


def test_evolving_the_county_moves_the_score() -> None:
    county = assessed_county()
    controlled = attrs.evolve(
        county,
        risk_points=[
            attrs.evolve(
                rp, status=RiskPointStatus.CONTROLLED, controlled_on=date(2020, 9, 1)
            )
            if rp.id == "rp1"
            else rp
            for rp in county.risk_points
        ],
    )
    before = assess(county, _one(M.RISK_POINTS_CONTROLLED), as_of=DAY).score("s1")
    after = assess(controlled, _one(M.RISK_POINTS_CONTROLLED), as_of=DAY).score("s1")
    assert (before.lines[0].numerator, after.lines[0].numerator) == (1, 2)
