"""The battle chart (挂图): owner × status board, burndown series, timeline plot."""

from __future__ import annotations

import bisect
import importlib
from collections import Counter
from collections.abc import Iterable, Mapping
from datetime import date, timedelta
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs

from countypolicing.exceptions import LedgerIntegrityError, ModelError, TransitionError
from countypolicing.model import LedgerEntry, Task, TaskStatus, replay_task
from countypolicing.operations._frames import require_matplotlib_figure, require_pandas
from countypolicing.operations._plan import WorkPlanView
from countypolicing.operations._workplan import (
    Reconciliation,
    TaskProgress,
    clip,
    display_width,
    pad,
)

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional extra, untyped
    from matplotlib.axes import Axes  # type: ignore[import-not-found, unused-ignore]  # optional extra

__all__ = [
    "Board",
    "BoardRow",
    "BurndownPoint",
    "board",
    "format_board",
    "plot_burndown",
    "plot_timeline",
]

#: The board's columns: every task status in lifecycle order.
STATUSES: Final = tuple(TaskStatus)


@attrs.frozen(kw_only=True)
class BoardRow:
    """One lead owner's line on the board.

    Attributes:
        owner_id: the lead owner.
        counts: how many of its tasks are in each status, in `Board.statuses` order.
        overdue: how many of them are overdue.

    Added in version 0.1.0.
    """

    owner_id: str
    counts: tuple[int, ...]
    overdue: int

    @property
    def total(self) -> int:
        """How many tasks the owner leads."""
        return sum(self.counts)


@attrs.frozen(kw_only=True)
class BurndownPoint:
    """The plan's open work at the end of one day.

    Attributes:
        day: the day.
        remaining: tasks not yet closed out (销号).
        unfinished: tasks not yet submitted (still being worked on).
        planned: tasks whose deadline is after ``day``: what would remain open if
            every task finished exactly on its deadline (the plan line).
        overdue: tasks past their deadline and not submitted.

    Added in version 0.1.0.
    """

    day: date
    remaining: int
    unfinished: int
    planned: int
    overdue: int


def _rows(v: Iterable[BoardRow]) -> tuple[BoardRow, ...]:
    return tuple(v)


def _points(v: Iterable[BurndownPoint]) -> tuple[BurndownPoint, ...]:
    return tuple(v)


def _names(
    v: Mapping[str, tuple[str, str | None]],
) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(dict(v))


@attrs.frozen(kw_only=True)
class Board:
    """The battle chart (挂图) of a plan as of a day.

    Attributes:
        plan_id: the plan.
        as_of: the day.
        statuses: the board's columns, every task status in lifecycle order.
        rows: one row per lead owner, sorted by owner id.
        burndown: open work at the end of each sampled day, oldest first.
        step: ``"day"`` or ``"week"``: how the burndown was sampled.
        names: display names (``id -> (zh, en)``) of the owners.

    Added in version 0.1.0.
    """

    plan_id: str
    as_of: date
    statuses: tuple[TaskStatus, ...] = STATUSES
    rows: tuple[BoardRow, ...] = attrs.field(converter=_rows)
    burndown: tuple[BurndownPoint, ...] = attrs.field(converter=_points)
    step: Literal["day", "week"] = "day"
    names: Mapping[str, tuple[str, str | None]] = attrs.field(
        factory=dict, converter=_names, hash=False, repr=False
    )

    @property
    def totals(self) -> BoardRow:
        """The column sums, as a row whose owner is ``"*"``."""
        counts = tuple(
            sum(r.counts[i] for r in self.rows) for i in range(len(self.statuses))
        )
        return BoardRow(
            owner_id="*", counts=counts, overdue=sum(r.overdue for r in self.rows)
        )

    def name(self, owner_id: str, *, lang: str = "en") -> str:
        """The display name of an owner, or its id when unknown."""
        found = self.names.get(owner_id)
        if found is None:
            return owner_id
        zh, en = found
        return zh if lang == "zh" or en is None else en

    def to_frame(self) -> pd.DataFrame:
        """The owner × status table as a pandas DataFrame (needs the ``pandas`` extra).

        One row per lead owner (the index), one column per status, then
        ``overdue`` and ``total``.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        data = [
            {
                "owner_id": r.owner_id,
                **{s.value: n for s, n in zip(self.statuses, r.counts, strict=True)},
                "overdue": r.overdue,
                "total": r.total,
            }
            for r in self.rows
        ]
        columns = ["owner_id", *(s.value for s in self.statuses), "overdue", "total"]
        return pandas.DataFrame(data, columns=columns).set_index("owner_id")

    def burndown_frame(self) -> pd.DataFrame:
        """The burndown series as a pandas DataFrame indexed by day.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        data = [attrs.asdict(p) for p in self.burndown]
        columns = ["day", "remaining", "unfinished", "planned", "overdue"]
        frame = pandas.DataFrame(data, columns=columns)
        frame["day"] = pandas.to_datetime(frame["day"])
        return frame.set_index("day")


def _sample_days(start: date, end: date, step: Literal["day", "week"]) -> list[date]:
    stride = timedelta(days=1 if step == "day" else 7)
    days: list[date] = []
    day = start
    while day <= end:
        days.append(day)
        day += stride
    if not days or days[-1] != end:
        days.append(end)
    return days


class _Tally:
    """The private running counts behind the burndown."""

    def __init__(self, plan: WorkPlanView) -> None:
        self.plan = plan
        self.states: dict[str, Task] = {}
        tasks = plan.tasks
        self.total = len(tasks)
        self.deadlines = sorted(t.deadline for t in tasks)
        self.closed = 0
        self.done = 0
        self.done_by_deadline: Counter[date] = Counter()

    def take(self, entry: LedgerEntry) -> None:
        if not self.plan.has_task(entry.task_id):
            return
        old = self.states.get(entry.task_id) or self.plan.planned(entry.task_id)
        try:
            new = replay_task(old, (entry,))
        except TransitionError as exc:
            raise LedgerIntegrityError(
                f"cannot be replayed: {exc}", seq=entry.seq
            ) from exc
        self.states[entry.task_id] = new
        self.closed += (new.status is TaskStatus.CLOSED) - (
            old.status is TaskStatus.CLOSED
        )
        if old.is_done() != new.is_done():
            sign = 1 if new.is_done() else -1
            self.done += sign
            self.done_by_deadline[new.deadline] += sign

    def point(self, day: date) -> BurndownPoint:
        due_before = bisect.bisect_left(self.deadlines, day)
        done_before = sum(n for d, n in self.done_by_deadline.items() if d < day)
        return BurndownPoint(
            day=day,
            remaining=self.total - self.closed,
            unfinished=self.total - self.done,
            planned=self.total - bisect.bisect_right(self.deadlines, day),
            overdue=due_before - done_before,
        )


def board(
    plan: WorkPlanView,
    ledger: Iterable[LedgerEntry],
    as_of: date,
    *,
    start: date | None = None,
    step: Literal["day", "week"] = "week",
) -> Board:
    """The battle chart (挂图) as of a day: owner × status table and burndown.

    Args:
        plan: the plan.
        ledger: its entries in sequence order.
        as_of: the day of the board; later entries are ignored.
        start: the first day of the burndown; defaults to the plan's start.
        step: sample the burndown every ``"day"`` or every ``"week"`` from
            ``start``; ``as_of`` is always the last point.

    Raises:
        LedgerIntegrityError: an entry is not a legal step (a ledger written
            through a store never has one; `reconcile` reports them instead).
        ModelError: ``start`` is after ``as_of``.

    Examples:
        >>> from datetime import date
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> county = cp.datasets.yueyanglou()
        >>> b = board(plan_from_county(county), county.ledger, date(2020, 9, 15))
        >>> b.totals.total, b.burndown[-1].remaining
        (96, 36)
        >>> b.burndown[0].day, b.burndown[0].remaining
        (datetime.date(2020, 1, 1), 96)

    Added in version 0.1.0.
    """
    first = start if start is not None else plan.plan.start
    if first > as_of:
        raise ModelError(
            f"the burndown starts on {first}, after the board's day {as_of}",
            field="start",
        )
    days = _sample_days(first, as_of, step)
    tally = _Tally(plan)
    points: list[BurndownPoint] = []
    i = 0
    for entry in ledger:
        day = entry.at.date()
        if day > as_of:
            continue
        while i < len(days) and days[i] < day:
            points.append(tally.point(days[i]))
            i += 1
        tally.take(entry)
    points.extend(tally.point(d) for d in days[i:])

    index = {s: k for k, s in enumerate(STATUSES)}
    per_owner: dict[str, list[int]] = {}
    late: Counter[str] = Counter()
    for chart in plan.tasks:
        task = tally.states.get(chart.id) or plan.planned(chart.id)
        row = per_owner.setdefault(task.lead_owner_id, [0] * len(STATUSES))
        row[index[task.status]] += 1
        late[task.lead_owner_id] += task.is_overdue(as_of)
    rows = [
        BoardRow(owner_id=o, counts=tuple(per_owner[o]), overdue=late[o])
        for o in sorted(per_owner)
    ]
    names = {o: plan.names[o] for o in per_owner if o in plan.names}
    return Board(
        plan_id=plan.plan.id,
        as_of=as_of,
        rows=rows,
        burndown=points,
        step=step,
        names=names,
    )


def format_board(board: Board, *, lang: str = "en", points: int = 8) -> str:
    """A board as plain text: the owner × status table and the last burndown points.

    Args:
        board: the board.
        lang: ``"en"`` or ``"zh"``.
        points: how many of the latest burndown points to show.

    Examples:
        >>> from datetime import date
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> county = cp.datasets.yueyanglou()
        >>> b = board(plan_from_county(county), county.ledger, date(2020, 9, 15))
        >>> print(format_board(b).splitlines()[0])
        Board (挂图) of plan yyl-psb-plan-2020 as of 2020-09-15: 96 tasks

    Added in version 0.1.0.
    """
    zh = lang == "zh"
    totals = board.totals
    lines = [
        f"挂图：方案 {board.plan_id}，截至 {board.as_of}：任务 {totals.total} 项"
        if zh
        else f"Board (挂图) of plan {board.plan_id} as of {board.as_of}: "
        f"{totals.total} tasks"
    ]
    heads = [
        s.label_zh if zh else s.value.replace("_", " ") for s in board.statuses
    ] + (["逾期", "合计"] if zh else ["overdue", "total"])
    width = max(11, *(display_width(h) + 1 for h in heads))
    owner_w = 26

    def cells(values: Iterable[object]) -> str:
        return "".join(pad("", width - display_width(str(v))) + str(v) for v in values)

    lines.append("  " + pad("牵头单位" if zh else "lead owner", owner_w) + cells(heads))
    for row in (*board.rows, totals):
        name = (
            ("合计" if zh else "total")
            if row.owner_id == "*"
            else clip(board.name(row.owner_id, lang=lang), owner_w)
        )
        lines.append(
            "  " + pad(name, owner_w) + cells((*row.counts, row.overdue, row.total))
        )
    shown = board.burndown[-points:] if points > 0 else ()
    if shown:
        lines.append(
            "燃尽（未销号 / 未报送 / 计划 / 逾期）："
            if zh
            else "Burndown (remaining / unfinished / planned / overdue):"
        )
        lines.extend(
            f"  {p.day}  {p.remaining:>5} {p.unfinished:>5} {p.planned:>5} {p.overdue:>5}"
            for p in shown
        )
    return "\n".join(lines)


_COLOURS: Final = {
    TaskProgress.CLOSED: "#2e7d32",
    TaskProgress.VERIFIED: "#81c784",
    TaskProgress.AWAITING_VERIFICATION: "#42a5f5",
    TaskProgress.IN_PROGRESS: "#ffb300",
    TaskProgress.NOT_STARTED: "#bdbdbd",
}


def _axes(ax: Axes | None, *, rows: int) -> Axes:
    figure = require_matplotlib_figure()
    if ax is not None:
        return ax
    fig = figure.Figure(figsize=(10, max(3.0, 0.22 * rows + 1.5)), layout="constrained")
    made: Axes = fig.add_subplot()
    return made


def plot_timeline(
    report: Reconciliation, *, ax: Axes | None = None, lang: str = "en"
) -> Axes:
    """A Gantt-style timeline of every task (needs the ``plot`` extra).

    One bar per task, from its start to the day it was closed out, verified or
    submitted (or to ``as_of`` while open), coloured by progress; a tick marks the
    deadline, overdue bars have a red edge, and a dashed line marks ``as_of``.
    Tasks are labelled by id. Chinese legend labels (``lang="zh"``) need a CJK
    font configured in matplotlib.

    Args:
        report: a reconciliation (see `reconcile`).
        ax: the matplotlib axes to draw on; a new figure is made when None (no
            pyplot, no GUI).
        lang: the legend's language.

    Returns:
        The axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.

    Added in version 0.1.0.
    """
    axes = _axes(ax, rows=len(report.tasks))
    mdates = importlib.import_module("matplotlib.dates")
    seen: set[TaskProgress] = set()
    for i, line in enumerate(report.tasks):
        begin = line.start or min(line.deadline, report.as_of)
        end = (
            line.closed_on
            or line.verified_on
            or (line.submitted_on if line.status is TaskStatus.SUBMITTED else None)
            or report.as_of
        )
        end = max(end, begin)
        label = None
        if line.progress not in seen:
            seen.add(line.progress)
            label = line.progress.label(lang)
        axes.barh(
            i,
            (end - begin).days + 1,
            left=mdates.date2num(begin),
            color=_COLOURS[line.progress],
            edgecolor="#c62828" if line.overdue else "none",
            linewidth=1.2,
            label=label,
        )
        axes.plot([mdates.date2num(line.deadline)], [i], marker="|", color="black")
    axes.axvline(mdates.date2num(report.as_of), color="#424242", linestyle="--")
    axes.set_yticks(range(len(report.tasks)), labels=[t.task_id for t in report.tasks])
    axes.tick_params(axis="y", labelsize=6)
    axes.invert_yaxis()
    axes.xaxis_date()
    axes.set_title(f"{report.plan_id} — {report.as_of}")
    if seen:
        axes.legend(loc="lower left", fontsize=7)
    return axes


def plot_burndown(board: Board, *, ax: Axes | None = None, lang: str = "en") -> Axes:
    """The burndown series as lines (needs the ``plot`` extra).

    Args:
        board: the board (see `board`).
        ax: the matplotlib axes to draw on; a new figure is made when None.
        lang: the legend's language (Chinese needs a CJK font in matplotlib).

    Returns:
        The axes drawn on.

    Raises:
        ImportError: matplotlib is not installed.

    Added in version 0.1.0.
    """
    axes = _axes(ax, rows=10)
    mdates = importlib.import_module("matplotlib.dates")
    zh = lang == "zh"
    days = [mdates.date2num(p.day) for p in board.burndown]
    series = (
        ("remaining", "未销号", "#2e7d32"),
        ("unfinished", "未报送", "#ffb300"),
        ("planned", "计划", "#9e9e9e"),
        ("overdue", "逾期", "#c62828"),
    )
    for field, zh_label, colour in series:
        values = [getattr(p, field) for p in board.burndown]
        axes.plot(days, values, label=zh_label if zh else field, color=colour)
    axes.xaxis_date()
    axes.set_ylim(bottom=0)
    axes.set_title(f"{board.plan_id} — {board.as_of}")
    axes.legend(fontsize=7)
    return axes
