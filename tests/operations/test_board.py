"""The battle chart (挂图): owner × status table, burndown, plots and optional extras."""

from __future__ import annotations

import itertools
import subprocess
import sys
from collections.abc import Callable
from datetime import date, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countypolicing.exceptions import LedgerIntegrityError, ModelError
from countypolicing.model import County, LedgerEntry, TaskStatus
from countypolicing.operations import (
    Board,
    WorkPlanView,
    board,
    format_board,
    plot_burndown,
    plot_timeline,
    reconcile,
    replay_tasks,
)

MakeEntries = Callable[..., list[LedgerEntry]]
SEPT_15 = date(2020, 9, 15)


@pytest.fixture(scope="module")
def bundled_board(plan: WorkPlanView, county: County) -> Board:
    return board(plan, county.ledger, SEPT_15, step="day")


def test_the_table_counts_every_task_once_by_lead_owner_and_status(
    bundled_board: Board, plan: WorkPlanView, county: County
) -> None:
    totals = bundled_board.totals
    assert totals.total == 96
    by_status = dict(zip(bundled_board.statuses, totals.counts, strict=True))
    replayed = replay_tasks(plan, county.ledger, as_of=SEPT_15)
    for status in TaskStatus:
        assert by_status[status] == sum(t.status is status for t in replayed)
    assert totals.overdue == 8
    yyl = next(r for r in bundled_board.rows if r.owner_id == "yyl-psb")
    assert yyl.total == sum(t.lead_owner_id == "yyl-psb" for t in plan.tasks)


def _brute_force(plan: WorkPlanView, county: County, day: date) -> tuple[int, ...]:
    tasks = replay_tasks(plan, county.ledger, as_of=day)
    return (
        sum(t.status is not TaskStatus.CLOSED for t in tasks),
        sum(not t.is_done() for t in tasks),
        sum(t.deadline > day for t in tasks),
        sum(t.is_overdue(day) for t in tasks),
    )


def test_every_burndown_point_matches_a_replay_up_to_that_day(
    bundled_board: Board, plan: WorkPlanView, county: County
) -> None:
    points = bundled_board.burndown
    assert points[0].day == date(2020, 1, 1)
    assert points[-1].day == SEPT_15
    assert len(points) == (SEPT_15 - date(2020, 1, 1)).days + 1
    for p in points[::9] + points[-1:]:
        assert (p.remaining, p.unfinished, p.planned, p.overdue) == _brute_force(
            plan, county, p.day
        ), p.day


@settings(max_examples=20, deadline=None)
@given(
    start=st.dates(date(2020, 1, 1), date(2020, 9, 1)),
    length=st.integers(0, 200),
    step=st.sampled_from(["day", "week"]),
)
def test_burndown_points_agree_with_replays_for_any_window(
    start: date, length: int, step: str
) -> None:
    from countypolicing.datasets import yueyanglou  # noqa: PLC0415  # cached loader
    from countypolicing.operations import plan_from_county  # noqa: PLC0415

    county = yueyanglou()
    plan = plan_from_county(county)
    end = start + timedelta(days=length)
    b = board(plan, county.ledger, end, start=start, step=step)  # type: ignore[arg-type]  # sampled literal
    stride = 1 if step == "day" else 7
    assert [p.day for p in b.burndown[:-1]] == [
        start + timedelta(days=i) for i in range(0, length + 1, stride)
    ][: len(b.burndown) - 1]
    assert b.burndown[-1].day == end
    for p in (b.burndown[0], b.burndown[-1]):
        assert (p.remaining, p.unfinished, p.planned, p.overdue) == _brute_force(
            plan, county, p.day
        )


def test_the_burndown_only_goes_down_when_nothing_is_returned(
    bundled_board: Board,
) -> None:
    remaining = [p.remaining for p in bundled_board.burndown]
    assert remaining == sorted(remaining, reverse=True)
    assert remaining[0] == 96
    assert remaining[-1] == 36


def test_weekly_sampling_ends_on_the_board_day(
    plan: WorkPlanView, county: County
) -> None:
    b = board(plan, county.ledger, SEPT_15)
    assert b.step == "week"
    days = [p.day for p in b.burndown]
    assert days[-1] == SEPT_15
    assert all((b - a).days == 7 for a, b in itertools.pairwise(days[:-1]))


def test_a_burndown_starting_after_the_board_day_is_refused(
    plan: WorkPlanView, county: County
) -> None:
    with pytest.raises(ModelError, match="after the board's day"):
        board(plan, county.ledger, date(2020, 1, 1), start=date(2020, 2, 1))


def test_an_illegal_step_in_the_ledger_stops_the_board(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    entries = make_entries(("t1", "bureau", "verify", date(2020, 6, 2)))
    with pytest.raises(LedgerIntegrityError, match="cannot be replayed"):
        board(small_plan, entries, date(2020, 6, 3))


def test_the_board_text_is_a_table_in_both_languages(bundled_board: Board) -> None:
    en = format_board(bundled_board, points=3)
    lines = en.splitlines()
    assert (
        lines[0] == "Board (挂图) of plan yyl-psb-plan-2020 as of 2020-09-15: 96 tasks"
    )
    assert "in progress" in lines[1]
    total_line = next(line for line in lines if line.strip().startswith("total"))
    assert total_line.split()[-1] == "96"
    assert "Burndown" in en
    assert lines[-1].split() == ["2020-09-15", "36", "23", "19", "8"]
    zh = format_board(bundled_board, lang="zh", points=0)
    assert "已销号" in zh
    assert "合计" in zh
    assert "燃尽" not in zh


def test_frames_need_pandas_and_say_how_to_install_it(
    bundled_board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    with pytest.raises(ImportError, match=r'pip install "countypolicing\[pandas\]"'):
        bundled_board.to_frame()
    with pytest.raises(ImportError, match="pandas"):
        bundled_board.burndown_frame()


def test_plots_need_matplotlib_and_say_how_to_install_it(
    bundled_board: Board, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "matplotlib", None)
    monkeypatch.setitem(sys.modules, "matplotlib.figure", None)
    with pytest.raises(ImportError, match=r'pip install "countypolicing\[plot\]"'):
        plot_burndown(bundled_board)


def test_the_board_frames_hold_the_same_numbers(bundled_board: Board) -> None:
    pytest.importorskip("pandas")
    frame = bundled_board.to_frame()
    assert int(frame["total"].sum()) == 96
    assert list(frame.columns)[:6] == [s.value for s in TaskStatus]
    series = bundled_board.burndown_frame()
    assert len(series) == len(bundled_board.burndown)
    assert int(series["remaining"].iloc[-1]) == 36


def test_the_timeline_and_burndown_plots_draw_every_task(
    bundled_board: Board, plan: WorkPlanView, county: County
) -> None:
    pytest.importorskip("matplotlib")
    report = reconcile(plan, county.ledger, SEPT_15)
    ax = plot_timeline(report)
    assert len(ax.patches) == 96
    labels = [t.get_text() for t in ax.get_yticklabels()]
    assert labels[0] == plan.tasks[0].id
    legend = ax.get_legend()
    assert legend is not None
    assert {t.get_text() for t in legend.get_texts()} >= {"Closed"}
    ax2 = plot_burndown(bundled_board)
    assert len(ax2.get_lines()) == 4
    assert np.asarray(ax2.get_lines()[0].get_xdata()).size == len(
        bundled_board.burndown
    )


def test_plots_draw_on_given_axes(bundled_board: Board) -> None:
    figure = pytest.importorskip("matplotlib.figure")
    fig = figure.Figure()
    ax = fig.add_subplot()
    assert plot_burndown(bundled_board, ax=ax) is ax


def test_importing_the_ledger_code_pulls_in_no_heavy_dependency() -> None:
    code = (
        "import sys, countypolicing, countypolicing.operations, "
        "countypolicing.storage, countypolicing._cli_tasks;"
        "print(','.join(sorted(m for m in sys.modules "
        "if m.split('.')[0] in ('pandas', 'matplotlib'))))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
