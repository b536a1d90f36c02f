"""Reconciliation (对账) and close-out (销号)."""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest

from countypolicing.exceptions import LedgerError, TransitionError
from countypolicing.model import County, LedgerEntry, SupervisionLevel, TaskStatus
from countypolicing.operations import (
    DiscrepancyKind,
    Reconciliation,
    SupervisionPolicy,
    TaskProgress,
    WorkPlanView,
    close_out,
    format_reconciliation,
    reconcile,
    replay_tasks,
)

MakeEntries = Callable[..., list[LedgerEntry]]

CST = timezone(timedelta(hours=8))
D = date(2020, 6, 1)


def kinds(report: Reconciliation) -> list[tuple[str, str]]:
    return [(d.kind.value, d.task_id) for d in report.discrepancies]


def test_the_bundled_plan_reconciles_cleanly_on_its_chart_day(
    plan: WorkPlanView, county: County
) -> None:
    r = reconcile(plan, county.ledger, date(2020, 9, 15))
    assert r.ok, kinds(r)
    assert r.chart_as_of == date(2020, 9, 15)
    assert r.entries == 429
    t = r.totals
    assert (t.total, t.closed, t.verified, t.awaiting_verification) == (96, 60, 4, 9)
    assert (t.in_progress, t.not_started) == (17, 6)
    assert (
        t.closed + t.verified + t.awaiting_verification + t.in_progress + t.not_started
        == t.total
    )
    assert t.overdue == 8
    assert t.normal + t.yellow + t.red >= t.overdue
    assert sum(c.total for _, c in r.by_owner) == 96
    assert sum(c.total for _, c in r.by_key_item) == 96
    assert [k for k, _ in r.by_key_item] == [k.id for k in plan.key_items]
    assert [o for o, _ in r.by_owner] == sorted(o for o, _ in r.by_owner)
    statuses = [line.status for line in r.tasks]
    assert statuses == [task.status for task in replay_tasks(plan, county.ledger)]


def test_reconciling_an_earlier_day_uses_only_the_entries_up_to_it(
    plan: WorkPlanView, county: County
) -> None:
    r = reconcile(plan, county.ledger, date(2020, 7, 1))
    assert r.entries == sum(e.at.date() <= date(2020, 7, 1) for e in county.ledger)
    assert r.totals.closed == 14
    assert r.chart_as_of is None  # the chart is from September
    assert r.ok


def test_overdue_tasks_are_listed_longest_first_with_escalated_supervision(
    plan: WorkPlanView, county: County
) -> None:
    r = reconcile(plan, county.ledger, date(2020, 9, 15))
    late = r.overdue()
    assert [t.days_overdue for t in late] == sorted(
        (t.days_overdue for t in late), reverse=True
    )
    worst = late[0]
    assert worst.task_id == "k10-t2"
    assert worst.days_overdue == (date(2020, 9, 15) - worst.deadline).days
    assert worst.supervision is SupervisionLevel.RED
    lenient = reconcile(
        plan,
        county.ledger,
        date(2020, 9, 15),
        policy=SupervisionPolicy(yellow_after_days=100, red_after_days=200),
    )
    recorded_red = sum(
        t.supervision is SupervisionLevel.RED and not t.is_done()
        for t in replay_tasks(plan, county.ledger)
    )
    assert r_default_red(plan, county) > lenient.totals.red == recorded_red > 0


def r_default_red(plan: WorkPlanView, county: County) -> int:
    return reconcile(plan, county.ledger, date(2020, 9, 15)).totals.red


def test_verified_tasks_without_discrepancies_may_be_closed_out(
    plan: WorkPlanView, county: County
) -> None:
    r = reconcile(plan, county.ledger, date(2020, 9, 15))
    closable = r.closable()
    assert len(closable) == 4
    assert all(
        line.progress is TaskProgress.VERIFIED
        for line in r.tasks
        if line.task_id in closable
    )


def test_an_illegal_close_out_in_an_imported_ledger_is_closed_without_verification(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D, "evidence/t1-台账-照片.zip"),
        ("t1", "bureau", "close_out", D),
    )
    r = reconcile(small_plan, entries, date(2020, 6, 2))
    assert kinds(r) == [("closed_without_verification", "t1")]
    assert r.discrepancies[0].seq == 4
    assert r.tasks[0].status is TaskStatus.SUBMITTED  # the bad step is skipped


def test_a_chart_that_shows_closed_without_ledger_verification_is_flagged(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    chart = attrs.evolve(
        small_plan,
        tasks=[
            attrs.evolve(
                small_plan.task("t1"),
                status=TaskStatus.CLOSED,
                submitted_on=D,
                verified_on=D,
                closed_on=D,
            ),
            attrs.evolve(small_plan.task("t2"), status=TaskStatus.SUBMITTED),
            attrs.evolve(small_plan.task("t3"), status=TaskStatus.CLOSED, closed_on=D),
        ],
        chart_as_of=date(2020, 6, 5),
    )
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t2", "bureau", "assign", D),
    )
    r = reconcile(chart, entries, date(2020, 6, 10))
    assert kinds(r) == [
        ("closed_without_verification", "t1"),
        ("status_mismatch", "t2"),
        ("closed_without_verification", "t3"),
    ]
    t1 = r.discrepancies[0]
    assert (t1.chart_status, t1.ledger_status) == (
        TaskStatus.CLOSED,
        TaskStatus.IN_PROGRESS,
    )
    assert "the chart shows closed" in t1.text()
    assert "挂图为已销号，台账为推进中" in t1.text(lang="zh")


def test_a_chart_behind_the_ledger_is_not_a_discrepancy(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t2", "bureau", "assign", D), ("t2", "station-b", "start", D)
    )
    chart = attrs.evolve(small_plan, chart_as_of=D)  # every chart task is planned
    assert reconcile(chart, entries, D).ok


def test_entries_after_the_chart_day_do_not_count_against_the_chart(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    chart = attrs.evolve(
        small_plan,
        tasks=[
            attrs.evolve(small_plan.task("t2"), status=TaskStatus.IN_PROGRESS),
            small_plan.task("t1"),
            small_plan.task("t3"),
        ],
        chart_as_of=date(2020, 6, 2),
    )
    entries = make_entries(
        ("t2", "bureau", "assign", date(2020, 6, 1)),
        ("t2", "station-b", "start", date(2020, 6, 3)),
    )
    r = reconcile(chart, entries, date(2020, 6, 10))
    assert kinds(r) == [("status_mismatch", "t2")]
    assert r.discrepancies[0].ledger_status is TaskStatus.ASSIGNED


def _verified_t1(make_entries: MakeEntries, evidence: str) -> list[LedgerEntry]:
    return make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D, evidence),
        ("t1", "bureau", "verify", D),
    )


@pytest.mark.parametrize(
    ("evidence", "rule", "missing"),
    [
        ("evidence/t1.zip", "bundle", ()),
        ("evidence/t1.zip", "each", ("台账", "照片")),
        ("evidence/t1-台账.pdf", "bundle", ("照片",)),
        ("evidence/t1-台账.pdf", "each", ("照片",)),
        ("evidence/t1-台账-照片.zip", "each", ()),
    ],
)
def test_evidence_is_matched_against_requirements(
    small_plan: WorkPlanView,
    make_entries: MakeEntries,
    evidence: str,
    rule: str,
    missing: tuple[str, ...],
) -> None:
    r = reconcile(
        small_plan,
        _verified_t1(make_entries, evidence),
        D,
        evidence=rule,  # type: ignore[arg-type]  # parametrised literal
    )
    assert r.tasks[0].evidence_missing == missing
    assert r.tasks[0].evidence == (evidence,)
    if missing:
        (d,) = r.discrepancies
        assert d.kind is DiscrepancyKind.EVIDENCE_MISSING
        assert d.missing == missing
        assert "照片" in d.text(lang="zh")
    else:
        assert r.ok


def test_evidence_from_several_entries_adds_up(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "note", D, "evidence/台账.xlsx"),
        ("t1", "station-a", "submit", D, "evidence/照片.zip"),
    )
    assert reconcile(small_plan, entries, D, evidence="each").ok


def test_a_submitted_task_with_no_evidence_at_all_misses_everything(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D),
    )
    r = reconcile(small_plan, entries, D)
    assert kinds(r) == [("evidence_missing", "t1")]
    assert r.discrepancies[0].missing == ("台账", "照片")


def test_open_tasks_are_not_judged_on_evidence(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(("t1", "bureau", "assign", D))
    assert reconcile(small_plan, entries, D).ok


@pytest.mark.parametrize(
    ("submitter", "verifier", "expected"),
    [
        ("station-a", "bureau", []),  # lead owner submits, plan owner verifies
        ("station-b", "lead-k", []),  # co-owner submits, key-item lead verifies
        ("p-li", "station-a", []),  # a person of the lead owner submits
        ("dept-x", "bureau", [("owner_mismatch", 3)]),
        ("station-a", "dept-x", [("owner_mismatch", 4)]),
        ("dept-x", "dept-x", [("owner_mismatch", 3), ("owner_mismatch", 4)]),
    ],
)
def test_submissions_and_verifications_by_the_wrong_party_are_flagged(
    small_plan: WorkPlanView,
    make_entries: MakeEntries,
    submitter: str,
    verifier: str,
    expected: list[tuple[str, int]],
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", submitter, "submit", D, "evidence/t1.zip"),
        ("t1", verifier, "verify", D),
    )
    r = reconcile(small_plan, entries, D)
    assert [(d.kind.value, d.seq) for d in r.discrepancies] == expected
    for d in r.discrepancies:
        assert d.actor_id == "dept-x"
        assert "dept-x" in d.text()


def test_extra_verifiers_can_be_named(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D, "evidence/t1.zip"),
        ("t1", "inspector", "verify", D),
    )
    assert not reconcile(small_plan, entries, D).ok
    assert reconcile(small_plan, entries, D, verifiers=["inspector"]).ok


def test_entries_for_unknown_tasks_and_illegal_steps_are_reported_not_raised(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t9", "bureau", "assign", D),
        ("t2", "bureau", "verify", D),
        ("t2", "bureau", "assign", D),
    )
    r = reconcile(small_plan, entries, D)
    assert kinds(r) == [("unknown_task", "t9"), ("illegal_step", "t2")]
    assert r.tasks[1].status is TaskStatus.ASSIGNED
    with pytest.raises(LedgerError):
        replay_tasks(small_plan, entries)


def test_reconciliation_does_not_depend_on_the_order_of_the_plan(
    plan: WorkPlanView, county: County
) -> None:
    shuffled_tasks = list(plan.tasks)
    random.Random(3).shuffle(shuffled_tasks)  # noqa: S311  # a fixed test order
    shuffled = attrs.evolve(plan, tasks=shuffled_tasks)
    a = reconcile(plan, county.ledger, date(2020, 8, 20))
    b = reconcile(shuffled, county.ledger, date(2020, 8, 20))
    assert a.totals == b.totals
    assert a.by_owner == b.by_owner
    assert a.discrepancies == b.discrepancies
    assert sorted(a.tasks, key=lambda t: t.task_id) == sorted(
        b.tasks, key=lambda t: t.task_id
    )


def test_close_out_needs_verification(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D, "evidence/t1.zip"),
    )
    when = datetime(2020, 6, 2, 9, tzinfo=CST)
    with pytest.raises(TransitionError, match="submitted, not verified") as info:
        close_out(small_plan, entries, "t1", actor_id="bureau", at=when)
    assert info.value.state == TaskStatus.SUBMITTED
    entries += make_entries(("t1", "bureau", "verify", D), first_seq=4)
    entry = close_out(small_plan, entries, "t1", actor_id="bureau", at=when)
    assert (entry.seq, entry.action.value, entry.note) == (5, "close_out", "销号")


def test_close_out_refuses_missing_evidence_and_an_unauthorised_verification(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    when = datetime(2020, 6, 2, 9, tzinfo=CST)
    short = _verified_t1(make_entries, "evidence/t1-台账.pdf")
    with pytest.raises(TransitionError, match="evidence missing: 照片"):
        close_out(small_plan, short, "t1", actor_id="bureau", at=when)
    rogue = make_entries(
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "station-a", "submit", D, "evidence/t1.zip"),
        ("t1", "dept-x", "verify", D),
    )
    with pytest.raises(TransitionError, match="verified by dept-x"):
        close_out(small_plan, rogue, "t1", actor_id="bureau", at=when)
    entry = close_out(
        small_plan, rogue, "t1", actor_id="bureau", at=when, verifiers=["dept-x"]
    )
    assert entry.seq == 5


def test_close_out_refuses_a_time_before_the_last_entry(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = _verified_t1(make_entries, "evidence/t1.zip")
    with pytest.raises(LedgerError, match="earlier than the last entry"):
        close_out(
            small_plan,
            entries,
            "t1",
            actor_id="bureau",
            at=datetime(2020, 5, 1, tzinfo=CST),
        )


def test_the_text_report_is_short_and_bilingual(
    plan: WorkPlanView, county: County
) -> None:
    r = reconcile(plan, county.ledger, date(2020, 9, 15))
    en = format_reconciliation(r, limit=3)
    assert en.splitlines()[0] == (
        "Reconciliation (对账) of plan yyl-psb-plan-2020 as of 2020-09-15: 96 tasks, "
        "429 ledger entries"
    )
    assert "closed 60, verified 4 (ready to close out)" in en
    assert "Discrepancies: none" in en
    assert "… and 5 more" in en
    assert "By lead owner:" in en
    zh = format_reconciliation(r, lang="zh", by_owner=False)
    assert "已销号 60，已核验待销号 4" in zh
    assert "差异：无" in zh
    assert "按牵头单位" not in zh
    assert "红牌督办" in zh


def test_the_text_report_lists_discrepancies_with_their_entries(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(
        ("t9", "bureau", "assign", D),
        ("t1", "bureau", "assign", D),
        ("t1", "station-a", "start", D),
        ("t1", "dept-x", "submit", D),
    )
    text = format_reconciliation(reconcile(small_plan, entries, D), limit=2)
    assert "Discrepancies: 3" in text
    assert "Unknown task: task t9 (entry 1)" in text
    assert "… and 1 more" in text
    zh = format_reconciliation(reconcile(small_plan, entries, D), lang="zh")
    assert "报送或核验主体不符：任务 t1（台账第 4 条）" in zh


def test_the_dataframe_has_one_row_per_task(plan: WorkPlanView, county: County) -> None:
    pytest.importorskip("pandas")
    frame = reconcile(plan, county.ledger, date(2020, 9, 15)).to_frame()
    assert len(frame) == 96
    assert frame.loc["k10-t2", "supervision"] == "red"
    assert int(frame["overdue"].sum()) == 8
