"""The plan view, plan_from_county, and supervision escalation by days overdue."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from countypolicing.exceptions import ModelError, UnknownIdError
from countypolicing.model import (
    County,
    KeyWorkItem,
    SupervisionLevel,
    Task,
    TaskStatus,
    WorkPlan,
)
from countypolicing.operations import (
    SupervisionPolicy,
    WorkPlanView,
    plan_from_county,
    supervision_level,
)


def test_the_bundled_plan_has_24_key_items_and_96_tasks(plan: WorkPlanView) -> None:
    assert plan.plan.id == "yyl-psb-plan-2020"
    assert len(plan.key_items) == 24
    assert len(plan.tasks) == 96
    assert plan.chart_as_of == date(2020, 9, 15)


def test_planned_tasks_are_reset_while_the_chart_keeps_its_states(
    plan: WorkPlanView,
) -> None:
    chart = plan.task("k01-t3")
    assert chart.status is TaskStatus.CLOSED
    planned = plan.planned("k01-t3")
    assert planned.status is TaskStatus.PLANNED
    assert planned.evidence == ()
    assert (planned.submitted_on, planned.verified_on, planned.closed_on) == (
        None,
        None,
        None,
    )
    assert planned.deadline == chart.deadline


def test_an_unknown_task_is_an_unknown_id_with_a_suggestion(
    plan: WorkPlanView,
) -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'k01-t1'"):
        plan.task("k01-t01")


def test_names_come_in_both_languages_and_fall_back_to_the_id(
    plan: WorkPlanView,
) -> None:
    assert plan.name("yyl-psb", lang="zh") == "岳阳楼公安分局"
    assert plan.name("yyl-psb") != "岳阳楼公安分局"
    assert plan.name("nobody") == "nobody"


def test_a_person_acts_for_their_organisation(small_plan: WorkPlanView) -> None:
    assert small_plan.acts_for("p-li") == {"p-li", "station-a"}
    assert small_plan.acts_for("station-a") == {"station-a"}


def test_a_county_with_two_plans_needs_the_plan_named(county: County) -> None:
    second = attrs.evolve(county.work_plans[0], id="other-plan")
    two = attrs.evolve(county, work_plans=(*county.work_plans, second))
    with pytest.raises(ModelError, match="2 work plans"):
        plan_from_county(two)
    assert plan_from_county(two, "other-plan").tasks == ()
    with pytest.raises(UnknownIdError):
        plan_from_county(two, "no-such-plan")


def _plan(**changes: object) -> dict[str, object]:
    base: dict[str, object] = {
        "plan": WorkPlan(
            id="p",
            title_zh="方案",
            owner_id="o",
            start=date(2020, 1, 1),
            end=date(2020, 12, 31),
        ),
        "key_items": [
            KeyWorkItem(
                id="k", plan_id="p", number=1, title_zh="重点", lead_owner_id="o"
            )
        ],
        "tasks": [
            Task(
                id="t",
                key_item_id="k",
                title_zh="任务",
                lead_owner_id="o",
                deadline=date(2020, 6, 1),
            )
        ],
    }
    base.update(changes)
    return base


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (
            {
                "key_items": [
                    KeyWorkItem(
                        id="k",
                        plan_id="q",
                        number=1,
                        title_zh="重点",
                        lead_owner_id="o",
                    )
                ]
            },
            "belongs to plan 'q'",
        ),
        (
            {
                "tasks": [
                    Task(
                        id="t",
                        key_item_id="nowhere",
                        title_zh="任务",
                        lead_owner_id="o",
                        deadline=date(2020, 6, 1),
                    )
                ]
            },
            "key item 'nowhere'",
        ),
        (
            {
                "tasks": [
                    Task(
                        id="t",
                        key_item_id="k",
                        title_zh="任务",
                        lead_owner_id="o",
                        deadline=date(2020, 6, 1),
                    )
                ]
                * 2
            },
            "appears twice",
        ),
    ],
)
def test_an_inconsistent_plan_view_is_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        WorkPlanView(**_plan(**changes))  # type: ignore[arg-type]  # test data


@pytest.mark.parametrize(
    ("days", "level"),
    [
        (0, SupervisionLevel.NONE),
        (1, SupervisionLevel.NORMAL),
        (6, SupervisionLevel.NORMAL),
        (7, SupervisionLevel.YELLOW),
        (29, SupervisionLevel.YELLOW),
        (30, SupervisionLevel.RED),
        (365, SupervisionLevel.RED),
    ],
)
def test_supervision_escalates_normal_yellow_red_by_days_overdue(
    days: int, level: SupervisionLevel
) -> None:
    assert (
        SupervisionPolicy(yellow_after_days=7, red_after_days=30).level(days) is level
    )


def test_thresholds_are_configurable() -> None:
    strict = SupervisionPolicy(
        normal_after_days=1, yellow_after_days=3, red_after_days=5
    )
    assert [strict.level(d).value for d in (2, 3, 5)] == ["normal", "yellow", "red"]


@pytest.mark.parametrize(
    "kwargs",
    [
        {"yellow_after_days": 30, "red_after_days": 7},
        {"normal_after_days": 0},
        {"normal_after_days": 10, "yellow_after_days": 7},
    ],
)
def test_decreasing_or_zero_thresholds_are_refused(kwargs: dict[str, int]) -> None:
    with pytest.raises(ModelError):
        SupervisionPolicy(**kwargs)


def test_supervision_is_derived_from_as_of_and_never_the_clock(
    small_plan: WorkPlanView,
) -> None:
    task = small_plan.planned("t1")  # due 2020-06-30
    assert supervision_level(task, date(2020, 6, 30)) is SupervisionLevel.NONE
    assert supervision_level(task, date(2020, 7, 1)) is SupervisionLevel.NORMAL
    assert supervision_level(task, date(2020, 7, 7)) is SupervisionLevel.YELLOW
    assert supervision_level(task, date(2020, 7, 30)) is SupervisionLevel.RED


def test_a_recorded_red_card_stays_until_the_task_is_submitted(
    small_plan: WorkPlanView,
) -> None:
    task = attrs.evolve(small_plan.planned("t1"), supervision=SupervisionLevel.RED)
    assert supervision_level(task, date(2020, 6, 1)) is SupervisionLevel.RED
    done = attrs.evolve(task, status=TaskStatus.SUBMITTED)
    assert supervision_level(done, date(2020, 9, 1)) is SupervisionLevel.NONE
