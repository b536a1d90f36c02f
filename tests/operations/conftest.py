"""Fixtures for the work-plan tests: the bundled plan and a small hand-made one."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.model import (
    County,
    KeyWorkItem,
    LedgerEntry,
    SupervisionLevel,
    Task,
    TaskAction,
    WorkPlan,
)
from countypolicing.operations import WorkPlanView, plan_from_county

CST = timezone(timedelta(hours=8))

#: (task, actor, action, day) or (task, actor, action, day, evidence_ref)
Step = tuple[str, ...]
MakeEntries = Callable[..., list[LedgerEntry]]


@pytest.fixture(scope="session")
def county() -> County:
    return yueyanglou()


@pytest.fixture(scope="session")
def plan(county: County) -> WorkPlanView:
    return plan_from_county(county)


@pytest.fixture(scope="session")
def small_plan() -> WorkPlanView:
    """Three tasks under one key item; a person works for station-a."""
    return WorkPlanView(
        plan=WorkPlan(
            id="p",
            title_zh="方案",
            owner_id="bureau",
            start=date(2020, 6, 1),
            end=date(2020, 12, 31),
        ),
        key_items=[
            KeyWorkItem(
                id="k1",
                plan_id="p",
                number=1,
                title_zh="重点一",
                lead_owner_id="lead-k",
            )
        ],
        tasks=[
            Task(
                id="t1",
                key_item_id="k1",
                title_zh="任务一",
                lead_owner_id="station-a",
                co_owner_ids=["station-b"],
                deadline=date(2020, 6, 30),
                evidence_required=["台账", "照片"],
            ),
            Task(
                id="t2",
                key_item_id="k1",
                title_zh="任务二",
                lead_owner_id="station-b",
                deadline=date(2020, 7, 15),
            ),
            Task(
                id="t3",
                key_item_id="k1",
                title_zh="任务三",
                lead_owner_id="dept-x",
                deadline=date(2020, 8, 31),
            ),
        ],
        names={"station-a": ("甲派出所", "Station A"), "k1": ("重点一", None)},
        affiliations={"p-li": "station-a"},
    )


def at(day: date, minute: int = 0) -> datetime:
    return datetime(day.year, day.month, day.day, 9, tzinfo=CST) + timedelta(
        minutes=minute
    )


@pytest.fixture(scope="session")
def make_entries() -> MakeEntries:
    """Entries from (task, actor, action, day[, evidence]) steps, numbered from 1."""

    def build(*steps: tuple[object, ...], first_seq: int = 1) -> list[LedgerEntry]:
        out: list[LedgerEntry] = []
        for i, step in enumerate(steps):
            task, actor, action, day, *rest = step
            assert isinstance(task, str)
            assert isinstance(actor, str)
            assert isinstance(day, date)
            act = TaskAction(str(action))
            out.append(
                LedgerEntry(
                    seq=first_seq + i,
                    at=at(day, first_seq + i),
                    task_id=task,
                    actor_id=actor,
                    action=act,
                    evidence_ref=str(rest[0]) if rest else None,
                    supervision=SupervisionLevel.YELLOW
                    if act is TaskAction.SUPERVISE
                    else None,
                )
            )
        return out

    return build
