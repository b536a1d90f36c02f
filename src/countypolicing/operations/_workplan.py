"""Work plan operations: replay, reconcile (对账), close out (销号).

The ledger is the record of truth: task states are rebuilt by replaying its entries
onto the tasks as planned. `reconcile` compares that with the wall chart (挂图: the
task states the plan records), checks who submitted and verified, and checks the
evidence; `close_out` refuses to cross off (销号) a task that is not verified.
Nothing here reads the clock: every judgement is made ``as_of`` a given day.
"""

from __future__ import annotations

import unicodedata
from collections import defaultdict
from collections.abc import Iterable, Mapping, Sequence
from datetime import date, datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs

from countypolicing.exceptions import LedgerError, LedgerIntegrityError, TransitionError
from countypolicing.model import (
    LabelledEnum,
    LedgerEntry,
    SupervisionLevel,
    Task,
    TaskAction,
    TaskStatus,
    replay_task,
)
from countypolicing.operations._frames import require_pandas
from countypolicing.operations._plan import (
    _DEFAULT_POLICY,
    SupervisionPolicy,
    WorkPlanView,
    supervision_level,
)

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional extra, untyped

__all__ = [
    "Discrepancy",
    "DiscrepancyKind",
    "EvidenceRule",
    "ProgressCounts",
    "Reconciliation",
    "TaskLine",
    "TaskProgress",
    "close_out",
    "format_reconciliation",
    "reconcile",
    "replay_tasks",
]

EvidenceRule = Literal["bundle", "each"]
"""How evidence references are matched with a task's ``evidence_required``.

- ``"bundle"`` (the default): a reference that names a requirement (the
  requirement's text occurs in it, as in ``evidence/k01-t2-工作台账.pdf``) covers that
  requirement; a reference that names none is taken as a bundle covering them all.
- ``"each"``: every requirement must be named by some reference.

References are collected from every ledger entry of the task (``submit`` entries
and ``note`` entries that add material).

Added in version 0.1.0.
"""

_T = TaskStatus
_A = TaskAction
_RANK: Final = {status: i for i, status in enumerate(TaskStatus)}
_DONE: Final = frozenset({_T.SUBMITTED, _T.VERIFIED, _T.CLOSED})


class TaskProgress(LabelledEnum):
    """Where a task stands in the reconciliation; each task is in exactly one.

    Added in version 0.1.0.
    """

    CLOSED = "closed"
    VERIFIED = "verified"
    AWAITING_VERIFICATION = "awaiting_verification"
    IN_PROGRESS = "in_progress"
    NOT_STARTED = "not_started"
    __zh__ = MappingProxyType(
        {
            "closed": "已销号",
            "verified": "已核验待销号",
            "awaiting_verification": "已报送待核验",
            "in_progress": "推进中",
            "not_started": "未启动",
        }
    )

    @classmethod
    def of(cls, status: TaskStatus) -> TaskProgress:
        """The progress bucket of a task status."""
        return _PROGRESS[status]


_PROGRESS: Final = {
    _T.PLANNED: TaskProgress.NOT_STARTED,
    _T.ASSIGNED: TaskProgress.NOT_STARTED,
    _T.IN_PROGRESS: TaskProgress.IN_PROGRESS,
    _T.SUBMITTED: TaskProgress.AWAITING_VERIFICATION,
    _T.VERIFIED: TaskProgress.VERIFIED,
    _T.CLOSED: TaskProgress.CLOSED,
}


class DiscrepancyKind(LabelledEnum):
    """What reconciliation (对账) can find wrong.

    Added in version 0.1.0.
    """

    CLOSED_WITHOUT_VERIFICATION = "closed_without_verification"
    EVIDENCE_MISSING = "evidence_missing"
    OWNER_MISMATCH = "owner_mismatch"
    STATUS_MISMATCH = "status_mismatch"
    ILLEGAL_STEP = "illegal_step"
    UNKNOWN_TASK = "unknown_task"
    __zh__ = MappingProxyType(
        {
            "closed_without_verification": "未经核验即销号",
            "evidence_missing": "佐证材料缺失",
            "owner_mismatch": "报送或核验主体不符",
            "status_mismatch": "挂图与台账不符",
            "illegal_step": "台账步骤不合规",
            "unknown_task": "台账任务不在方案中",
        }
    )


@attrs.frozen(kw_only=True)
class Discrepancy:
    """One thing that does not reconcile, with what is needed to look it up.

    Attributes:
        kind: what is wrong.
        task_id: the task concerned.
        seq: the ledger entry concerned, when one is.
        actor_id: who recorded that entry, when one is.
        action: the entry's action, when one is.
        chart_status: what the wall chart shows (status mismatches).
        ledger_status: what the ledger records (status mismatches).
        missing: the evidence items not covered (missing evidence).
        detail: a sentence (English) with anything else worth saying.

    Added in version 0.1.0.
    """

    kind: DiscrepancyKind
    task_id: str
    seq: int | None = None
    actor_id: str | None = None
    action: TaskAction | None = None
    chart_status: TaskStatus | None = None
    ledger_status: TaskStatus | None = None
    missing: tuple[str, ...] = ()
    detail: str | None = None

    def text(self, *, lang: str = "en") -> str:
        """One line describing the discrepancy in English or Chinese."""
        zh = lang == "zh"
        where = (f"任务 {self.task_id}" if zh else f"task {self.task_id}") + (
            ""
            if self.seq is None
            else (f"（台账第 {self.seq} 条）" if zh else f" (entry {self.seq})")
        )
        k = DiscrepancyKind
        if self.kind is k.EVIDENCE_MISSING:
            what = ("缺少：" if zh else "missing: ") + "、".join(self.missing)
        elif self.kind is k.OWNER_MISMATCH:
            verify = self.action is _A.VERIFY
            if zh:
                role = "责任单位或核验单位" if verify else "牵头或协办单位"
                step = "核验" if verify else "报送"
                what = f"{self.actor_id} 不是该任务的{role}，却记录了{step}"
            else:
                role = "an owner or a verifier" if verify else "an owner"
                what = f"{self.action} recorded by {self.actor_id}, who is not {role}"
        elif self.kind in {k.STATUS_MISMATCH, k.CLOSED_WITHOUT_VERIFICATION} and (
            self.chart_status is not None and self.ledger_status is not None
        ):
            what = (
                f"挂图为{self.chart_status.label_zh}，台账为{self.ledger_status.label_zh}"
                if zh
                else f"the chart shows {self.chart_status}, the ledger records "
                f"{self.ledger_status}"
            )
        else:
            what = "" if zh else (self.detail or "")
        label = self.kind.label_zh if zh else self.kind.label_en
        sep = "：" if zh else ": "
        return f"{label}{sep}{where}" + (f"{sep}{what}" if what else "")


@attrs.frozen(kw_only=True)
class ProgressCounts:
    """How many tasks stand where, for one owner, one key item or the whole plan.

    The five progress counts add up to ``total``; ``overdue`` and the supervision
    counts cut across them.

    Added in version 0.1.0.
    """

    total: int = 0
    closed: int = 0
    verified: int = 0
    awaiting_verification: int = 0
    in_progress: int = 0
    not_started: int = 0
    overdue: int = 0
    normal: int = 0
    yellow: int = 0
    red: int = 0

    @property
    def completion(self) -> float:
        """The share of tasks closed out (销号), 0.0 to 1.0 (1.0 with no tasks)."""
        return self.closed / self.total if self.total else 1.0


def _count(lines: Iterable[TaskLine]) -> ProgressCounts:
    counts: dict[str, int] = defaultdict(int)
    for line in lines:
        counts["total"] += 1
        counts[line.progress.value] += 1
        counts["overdue"] += line.overdue
        if line.supervision is not SupervisionLevel.NONE:
            counts[line.supervision.value] += 1
    return ProgressCounts(**counts)


@attrs.frozen(kw_only=True)
class TaskLine:
    """One task in the reconciliation: its replayed state judged on ``as_of``.

    Attributes:
        task_id: the task.
        key_item_id: its key work item.
        lead_owner_id: its lead owner.
        co_owner_ids: its co-owners.
        status: its state replayed from the ledger.
        progress: where it stands.
        start: its planned start, else the day it was first assigned or started.
        deadline: its deadline.
        submitted_on: the day of the last submission, if any.
        verified_on: the day it was verified, if it was.
        closed_on: the day it was closed out, if it was.
        overdue: whether it is past its deadline and not submitted.
        days_overdue: how many days past (0 when not overdue).
        supervision: the supervision it is under (see `supervision_level`).
        evidence_required: what evidence it needs.
        evidence: the evidence references recorded in the ledger.
        evidence_missing: required items not covered (only judged once submitted).

    Added in version 0.1.0.
    """

    task_id: str
    key_item_id: str
    lead_owner_id: str
    co_owner_ids: tuple[str, ...] = ()
    status: TaskStatus
    progress: TaskProgress
    start: date | None = None
    deadline: date
    submitted_on: date | None = None
    verified_on: date | None = None
    closed_on: date | None = None
    overdue: bool = False
    days_overdue: int = 0
    supervision: SupervisionLevel = SupervisionLevel.NONE
    evidence_required: tuple[str, ...] = ()
    evidence: tuple[str, ...] = ()
    evidence_missing: tuple[str, ...] = ()


def _names(
    v: Mapping[str, tuple[str, str | None]],
) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(dict(v))


def _lines(v: Iterable[TaskLine]) -> tuple[TaskLine, ...]:
    return tuple(v)


def _discrepancies(v: Iterable[Discrepancy]) -> tuple[Discrepancy, ...]:
    return tuple(v)


@attrs.frozen(kw_only=True)
class Reconciliation:
    """The result of `reconcile` (对账): every task, the counts, what does not add up.

    Attributes:
        plan_id: the plan reconciled.
        as_of: the day it was reconciled as of.
        entries: how many ledger entries up to ``as_of`` were read.
        chart_as_of: the day of the wall chart compared with the ledger, or None
            when the chart was not compared (its day unknown or after ``as_of``).
        tasks: one line per task, in plan order.
        totals: the counts over the whole plan.
        by_owner: the counts per lead owner, sorted by owner id.
        by_key_item: the counts per key work item, in plan order.
        discrepancies: everything that does not reconcile, sorted by entry and task.
        names: display names (``id -> (zh, en)``) of owners and key items.

    Added in version 0.1.0.
    """

    plan_id: str
    as_of: date
    entries: int
    chart_as_of: date | None = None
    tasks: tuple[TaskLine, ...] = attrs.field(converter=_lines)
    totals: ProgressCounts
    by_owner: tuple[tuple[str, ProgressCounts], ...]
    by_key_item: tuple[tuple[str, ProgressCounts], ...]
    discrepancies: tuple[Discrepancy, ...] = attrs.field(converter=_discrepancies)
    names: Mapping[str, tuple[str, str | None]] = attrs.field(
        factory=dict, converter=_names, hash=False, repr=False
    )

    @property
    def ok(self) -> bool:
        """Whether everything reconciles (no discrepancy; overdue is not one)."""
        return not self.discrepancies

    def overdue(self) -> tuple[TaskLine, ...]:
        """The overdue tasks, longest overdue first."""
        late = [t for t in self.tasks if t.overdue]
        return tuple(sorted(late, key=lambda t: (-t.days_overdue, t.task_id)))

    def closable(self) -> tuple[str, ...]:
        """Verified tasks with no discrepancy: the ones that may be closed out (销号)."""
        flagged = {d.task_id for d in self.discrepancies}
        return tuple(
            t.task_id
            for t in self.tasks
            if t.status is _T.VERIFIED and t.task_id not in flagged
        )

    def name(self, party_id: str, *, lang: str = "en") -> str:
        """The display name of an owner or key item, or its id when unknown."""
        found = self.names.get(party_id)
        if found is None:
            return party_id
        zh, en = found
        return zh if lang == "zh" or en is None else en

    def to_frame(self) -> pd.DataFrame:
        """One row per task, as a pandas DataFrame (needs the ``pandas`` extra).

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        rows = [
            {
                "task_id": t.task_id,
                "key_item_id": t.key_item_id,
                "lead_owner_id": t.lead_owner_id,
                "co_owner_ids": ",".join(t.co_owner_ids),
                "status": t.status.value,
                "progress": t.progress.value,
                "start": t.start,
                "deadline": t.deadline,
                "submitted_on": t.submitted_on,
                "verified_on": t.verified_on,
                "closed_on": t.closed_on,
                "overdue": t.overdue,
                "days_overdue": t.days_overdue,
                "supervision": t.supervision.value,
                "evidence_missing": "、".join(t.evidence_missing),
            }
            for t in self.tasks
        ]
        return pandas.DataFrame(rows).set_index("task_id")


def replay_tasks(
    plan: WorkPlanView, ledger: Iterable[LedgerEntry], *, as_of: date | None = None
) -> tuple[Task, ...]:
    """Every task's state rebuilt from the ledger, in plan order.

    Entries for tasks outside the plan are skipped (`reconcile` reports them).

    Args:
        plan: the plan whose tasks are replayed onto their planned state.
        ledger: the entries in sequence order (a store, a `Ledger`, a County's
            ``ledger``…).
        as_of: replay only entries made on or before this day (in the entry's
            own UTC offset); all of them when None.

    Raises:
        LedgerIntegrityError: an entry is not a legal step from the task's state.

    Examples:
        >>> from datetime import date
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> county = cp.datasets.yueyanglou()
        >>> plan = plan_from_county(county)
        >>> tasks = replay_tasks(plan, county.ledger, as_of=date(2020, 7, 1))
        >>> sum(t.status.value == "closed" for t in tasks)
        14

    Added in version 0.1.0.
    """
    states: dict[str, Task] = {}
    for entry in ledger:
        if as_of is not None and entry.at.date() > as_of:
            continue
        if not plan.has_task(entry.task_id):
            continue
        current = states.get(entry.task_id) or plan.planned(entry.task_id)
        try:
            states[entry.task_id] = replay_task(current, (entry,))
        except TransitionError as exc:
            raise LedgerIntegrityError(
                f"cannot be replayed: {exc}", seq=entry.seq
            ) from exc
    return tuple(states.get(t.id) or plan.planned(t.id) for t in plan.tasks)


def _covers(requirement: str, ref: str) -> bool:
    return requirement in ref


def missing_evidence(
    required: Sequence[str], refs: Sequence[str], rule: EvidenceRule
) -> tuple[str, ...]:
    """The required items that ``refs`` do not cover under ``rule``."""
    if not required:
        return ()
    if rule == "bundle" and any(
        not any(_covers(r, ref) for r in required) for ref in refs
    ):
        return ()
    return tuple(r for r in required if not any(_covers(r, ref) for ref in refs))


def _authorised(
    plan: WorkPlanView,
    task: Task,
    actor_id: str,
    action: TaskAction,
    verifiers: frozenset[str],
) -> bool:
    allowed = {task.lead_owner_id, *task.co_owner_ids}
    if action is _A.VERIFY:
        allowed |= {plan.plan.owner_id, plan.key_item(task.key_item_id).lead_owner_id}
        allowed |= verifiers
    return bool(plan.acts_for(actor_id) & allowed)


@attrs.define
class _Sweep:
    """The private accumulator of one pass over the ledger (lenient replay)."""

    plan: WorkPlanView
    verifiers: frozenset[str]
    states: dict[str, Task] = attrs.Factory(dict)
    refs: dict[str, list[str]] = attrs.Factory(lambda: defaultdict(list))
    active_from: dict[str, date] = attrs.Factory(dict)
    found: list[Discrepancy] = attrs.Factory(list)
    used: int = 0

    def take(self, entry: LedgerEntry) -> None:
        self.used += 1
        task_id = entry.task_id
        if not self.plan.has_task(task_id):
            self.found.append(
                Discrepancy(
                    kind=DiscrepancyKind.UNKNOWN_TASK,
                    task_id=task_id,
                    seq=entry.seq,
                    actor_id=entry.actor_id,
                    action=entry.action,
                    detail=f"plan {self.plan.plan.id!r} has no task {task_id!r}",
                )
            )
            return
        current = self.states.get(task_id) or self.plan.planned(task_id)
        try:
            new = replay_task(current, (entry,))
        except TransitionError as exc:
            kind = (
                DiscrepancyKind.CLOSED_WITHOUT_VERIFICATION
                if entry.action is _A.CLOSE_OUT
                else DiscrepancyKind.ILLEGAL_STEP
            )
            self.found.append(
                Discrepancy(
                    kind=kind,
                    task_id=task_id,
                    seq=entry.seq,
                    actor_id=entry.actor_id,
                    action=entry.action,
                    detail=str(exc),
                )
            )
            return
        if entry.action in {_A.SUBMIT, _A.VERIFY} and not _authorised(
            self.plan, current, entry.actor_id, entry.action, self.verifiers
        ):
            self.found.append(
                Discrepancy(
                    kind=DiscrepancyKind.OWNER_MISMATCH,
                    task_id=task_id,
                    seq=entry.seq,
                    actor_id=entry.actor_id,
                    action=entry.action,
                )
            )
        self.states[task_id] = new
        if entry.evidence_ref is not None:
            self.refs[task_id].append(entry.evidence_ref)
        if entry.action in {_A.ASSIGN, _A.START}:
            self.active_from.setdefault(task_id, entry.at.date())

    def state(self, task_id: str) -> Task:
        return self.states.get(task_id) or self.plan.planned(task_id)


def _chart_discrepancies(
    plan: WorkPlanView, at_chart: Mapping[str, Task] | None
) -> list[Discrepancy]:
    found: list[Discrepancy] = []
    for chart in plan.tasks:
        if chart.closed_on is not None and chart.verified_on is None:
            found.append(
                Discrepancy(
                    kind=DiscrepancyKind.CLOSED_WITHOUT_VERIFICATION,
                    task_id=chart.id,
                    chart_status=chart.status,
                    detail=f"the chart shows it closed out on {chart.closed_on} "
                    "with no verification date",
                )
            )
            continue
        if at_chart is None:
            continue
        ledger = at_chart.get(chart.id) or plan.planned(chart.id)
        if _RANK[chart.status] <= _RANK[ledger.status]:
            continue
        kind = (
            DiscrepancyKind.CLOSED_WITHOUT_VERIFICATION
            if chart.status is _T.CLOSED and ledger.verified_on is None
            else DiscrepancyKind.STATUS_MISMATCH
        )
        found.append(
            Discrepancy(
                kind=kind,
                task_id=chart.id,
                chart_status=chart.status,
                ledger_status=ledger.status,
            )
        )
    return found


def reconcile(
    plan: WorkPlanView,
    ledger: Iterable[LedgerEntry],
    as_of: date,
    *,
    policy: SupervisionPolicy = _DEFAULT_POLICY,
    evidence: EvidenceRule = "bundle",
    verifiers: Iterable[str] = (),
) -> Reconciliation:
    """Reconcile (对账) a work plan against its ledger as of a day.

    Replays the ledger up to ``as_of`` and reports, per task, per lead owner, per key
    item and for the whole plan: closed out, verified (awaiting 销号), submitted
    (awaiting verification), in progress, not started, overdue with its supervision
    level. It also lists the discrepancies:

    - ``closed_without_verification``: the chart shows a task closed out that the
      ledger never verified, or the ledger holds a close-out before verification;
    - ``evidence_missing``: a submitted, verified or closed task whose evidence does
      not cover ``evidence_required`` (see `EvidenceRule`);
    - ``owner_mismatch``: a submission by someone who is neither the lead owner nor
      a co-owner, or a verification by someone who is none of those, the plan's
      owner, the key item's lead owner or one of ``verifiers``; a person counts as
      the organisation they work for;
    - ``status_mismatch``: the chart (on ``plan.chart_as_of``) shows more progress
      than the ledger records by that day;
    - ``illegal_step`` and ``unknown_task``: entries that cannot be replayed (only
      possible in a ledger that was not written through a store).

    Being overdue is not a discrepancy; it shows in the counts and `TaskLine`.

    Args:
        plan: the plan (see `plan_from_county`).
        ledger: its entries in sequence order (a store, a `Ledger`, a County's
            ``ledger``…).
        as_of: the day to reconcile as of; entries after it are ignored.
        policy: when overdue tasks escalate to yellow and red supervision.
        evidence: how evidence references are matched with requirements.
        verifiers: further parties allowed to verify any task.

    Returns:
        The reconciliation.

    Examples:
        >>> from datetime import date
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> county = cp.datasets.yueyanglou()
        >>> r = reconcile(plan_from_county(county), county.ledger, date(2020, 9, 15))
        >>> r.totals.total, r.totals.closed, r.totals.verified, r.ok
        (96, 60, 4, True)
        >>> r.totals.overdue > 0
        True

    Added in version 0.1.0.
    """
    chart_day = plan.chart_as_of
    if chart_day is not None and chart_day > as_of:
        chart_day = None
    sweep = _Sweep(plan=plan, verifiers=frozenset(verifiers))
    at_chart: dict[str, Task] | None = None
    for entry in ledger:
        day = entry.at.date()
        if day > as_of:
            continue
        if chart_day is not None and at_chart is None and day > chart_day:
            at_chart = dict(sweep.states)
        sweep.take(entry)
    if chart_day is not None and at_chart is None:
        at_chart = dict(sweep.states)

    found = sweep.found
    found.extend(_chart_discrepancies(plan, at_chart))
    lines: list[TaskLine] = []
    for chart in plan.tasks:
        task = sweep.state(chart.id)
        refs = tuple(sweep.refs.get(chart.id, ()))
        missing = (
            missing_evidence(task.evidence_required, refs, evidence)
            if task.status in _DONE
            else ()
        )
        if missing:
            found.append(
                Discrepancy(
                    kind=DiscrepancyKind.EVIDENCE_MISSING,
                    task_id=chart.id,
                    ledger_status=task.status,
                    missing=missing,
                )
            )
        lines.append(
            TaskLine(
                task_id=task.id,
                key_item_id=task.key_item_id,
                lead_owner_id=task.lead_owner_id,
                co_owner_ids=task.co_owner_ids,
                status=task.status,
                progress=TaskProgress.of(task.status),
                start=task.start or sweep.active_from.get(task.id),
                deadline=task.deadline,
                submitted_on=task.submitted_on,
                verified_on=task.verified_on,
                closed_on=task.closed_on,
                overdue=task.is_overdue(as_of),
                days_overdue=task.days_overdue(as_of),
                supervision=supervision_level(task, as_of, policy=policy),
                evidence_required=task.evidence_required,
                evidence=refs,
                evidence_missing=missing,
            )
        )
    by_owner: dict[str, list[TaskLine]] = defaultdict(list)
    by_item: dict[str, list[TaskLine]] = {k.id: [] for k in plan.key_items}
    for line in lines:
        by_owner[line.lead_owner_id].append(line)
        by_item[line.key_item_id].append(line)
    names = {owner: plan.names[owner] for owner in by_owner if owner in plan.names}
    names.update({k.id: (k.title_zh, k.title_en) for k in plan.key_items})
    return Reconciliation(
        plan_id=plan.plan.id,
        as_of=as_of,
        entries=sweep.used,
        chart_as_of=chart_day,
        tasks=lines,
        totals=_count(lines),
        by_owner=tuple((o, _count(by_owner[o])) for o in sorted(by_owner)),
        by_key_item=tuple((k, _count(v)) for k, v in by_item.items()),
        discrepancies=sorted(
            found,
            key=lambda d: (
                d.seq if d.seq is not None else 1 << 62,
                d.task_id,
                d.kind.value,
            ),
        ),
        names=names,
    )


def close_out(
    plan: WorkPlanView,
    ledger: Iterable[LedgerEntry],
    task_id: str,
    *,
    actor_id: str,
    at: datetime,
    note: str | None = "销号",
    evidence: EvidenceRule = "bundle",
    verifiers: Iterable[str] = (),
) -> LedgerEntry:
    """The ledger entry that crosses a task off (销号), if it may be crossed off.

    A task may be closed out only once it is verified, its evidence covers what it
    requires, and its verification was recorded by someone allowed to verify it (see
    `reconcile`). Append the returned entry with a store's ``append``.

    Args:
        plan: the plan.
        ledger: the ledger so far, in sequence order.
        task_id: the task to close out.
        actor_id: who closes it out.
        at: when (timezone-aware; not before the last entry).
        note: the entry's note.
        evidence: how evidence is matched with requirements.
        verifiers: further parties allowed to verify any task.

    Returns:
        The close-out entry, numbered to follow the ledger.

    Raises:
        TransitionError: the task is not verified, misses evidence, or was verified
            by someone not allowed to.
        LedgerError: ``at`` is earlier than the last entry.
        LedgerIntegrityError: the task's entries cannot be replayed.
        UnknownIdError: the plan has no such task.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> county = cp.datasets.yueyanglou()
        >>> plan = plan_from_county(county)
        >>> at = datetime(2020, 9, 15, 9, tzinfo=timezone(timedelta(hours=8)))
        >>> close_out(plan, county.ledger, "k01-t2", actor_id="yyl-psb", at=at).seq
        430
        >>> close_out(plan, county.ledger, "k13-t1", actor_id="yyl-psb", at=at)
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: task 'k13-t1' cannot be closed out (销号): it is submitted, not verified

    Added in version 0.1.0.
    """
    plan.task(task_id)
    entries = list(ledger)
    last = entries[-1] if entries else None
    if last is not None and at < last.at:
        raise LedgerError(
            f"close-out at {at.isoformat()} is earlier than the last entry "
            f"({last.at.isoformat()})",
            seq=last.seq + 1,
        )
    mine = [e for e in entries if e.task_id == task_id]
    state = plan.planned(task_id)
    for entry in mine:
        try:
            state = replay_task(state, (entry,))
        except TransitionError as exc:
            raise LedgerIntegrityError(
                f"cannot be replayed: {exc}", seq=entry.seq
            ) from exc

    def refuse(why: str) -> TransitionError:
        return TransitionError(
            f"task {task_id!r} cannot be closed out (销号): {why}",
            state=state.status,
            action=_A.CLOSE_OUT,
            record_id=task_id,
        )

    if state.status is not _T.VERIFIED:
        raise refuse(f"it is {state.status}, not verified")
    refs = [e.evidence_ref for e in mine if e.evidence_ref is not None]
    missing = missing_evidence(state.evidence_required, refs, evidence)
    if missing:
        raise refuse(f"evidence missing: {', '.join(missing)}")
    verify = next(e for e in reversed(mine) if e.action is _A.VERIFY)
    if not _authorised(plan, state, verify.actor_id, _A.VERIFY, frozenset(verifiers)):
        raise refuse(
            f"it was verified by {verify.actor_id} (entry {verify.seq}), who may not "
            "verify it"
        )
    return LedgerEntry(
        seq=(last.seq + 1) if last is not None else 1,
        at=at,
        task_id=task_id,
        actor_id=actor_id,
        action=_A.CLOSE_OUT,
        note=note,
    )


# ---------------------------------------------------------------- text
def display_width(text: str) -> int:
    """Columns a string takes in a terminal (CJK characters take two)."""
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def pad(text: str, width: int) -> str:
    """``text`` padded with spaces to ``width`` terminal columns."""
    return text + " " * max(0, width - display_width(text))


def clip(text: str, width: int) -> str:
    """``text`` cut to at most ``width`` terminal columns, marked with … when cut."""
    if display_width(text) <= width:
        return text
    out = ""
    for c in text:
        if display_width(out + c) > width - 1:
            break
        out += c
    return out + "…"


def _counts_line(c: ProgressCounts, *, zh: bool) -> list[str]:
    if zh:
        return [
            (
                f"  已销号 {c.closed}，已核验待销号 {c.verified}，已报送待核验 "
                f"{c.awaiting_verification}，推进中 {c.in_progress}，未启动 {c.not_started}"
            ),
            f"  逾期 {c.overdue}：普通督办 {c.normal}，黄牌督办 {c.yellow}，红牌督办 {c.red}",
        ]
    return [
        (
            f"  closed {c.closed}, verified {c.verified} (ready to close out), "
            f"awaiting verification {c.awaiting_verification}, in progress "
            f"{c.in_progress}, not started {c.not_started}"
        ),
        (
            f"  overdue {c.overdue}; supervision: normal {c.normal}, yellow "
            f"{c.yellow}, red {c.red}"
        ),
    ]


def format_reconciliation(
    report: Reconciliation, *, lang: str = "en", limit: int = 10, by_owner: bool = True
) -> str:
    """A reconciliation as short plain text, in English (``"en"``) or Chinese (``"zh"``).

    Totals, discrepancies, the longest-overdue tasks and a table per lead owner.

    Args:
        report: the reconciliation.
        lang: ``"en"`` or ``"zh"``.
        limit: at most this many discrepancies and overdue tasks are listed; the
            rest are counted.
        by_owner: include the table per lead owner.

    Examples:
        >>> from datetime import date
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county, reconcile
        >>> county = cp.datasets.yueyanglou()
        >>> r = reconcile(plan_from_county(county), county.ledger, date(2020, 9, 15))
        >>> print(format_reconciliation(r, lang="zh").splitlines()[0])
        对账：方案 yyl-psb-plan-2020，截至 2020-09-15：任务 96 项，台账 429 条

    Added in version 0.1.0.
    """
    zh = lang == "zh"
    t = report.totals
    lines = [
        (
            f"对账：方案 {report.plan_id}，截至 {report.as_of}：任务 {t.total} 项，"
            f"台账 {report.entries} 条"
            if zh
            else f"Reconciliation (对账) of plan {report.plan_id} as of "
            f"{report.as_of}: {t.total} tasks, {report.entries} ledger entries"
        ),
        *_counts_line(t, zh=zh),
    ]
    if report.chart_as_of is not None:
        lines.append(
            f"  挂图（{report.chart_as_of}）已与台账核对"
            if zh
            else f"  wall chart of {report.chart_as_of} checked against the ledger"
        )
    found = report.discrepancies
    if not found:
        lines.append("差异：无" if zh else "Discrepancies: none")
    else:
        lines.append(f"差异：{len(found)} 处" if zh else f"Discrepancies: {len(found)}")
        lines.extend(f"  {d.text(lang=lang)}" for d in found[:limit])
        if len(found) > limit:
            more = len(found) - limit
            lines.append(f"  ……另有 {more} 处" if zh else f"  … and {more} more")
    late = report.overdue()
    if late:
        lines.append("逾期任务（按逾期天数）：" if zh else "Overdue (longest first):")
        for line in late[:limit]:
            owner = clip(report.name(line.lead_owner_id, lang=lang), 24)
            days = f"逾期 {line.days_overdue} 天" if zh else f"{line.days_overdue} days"
            level = line.supervision.label_zh if zh else str(line.supervision)
            lines.append(
                f"  {pad(line.task_id, 10)} {pad(owner, 24)} "
                f"{'截止' if zh else 'due'} {line.deadline}  {days}  {level}"
            )
        if len(late) > limit:
            more = len(late) - limit
            lines.append(f"  ……另有 {more} 项" if zh else f"  … and {more} more")
    if not by_owner:
        return "\n".join(lines)
    heads = (
        ("牵头单位", "任务", "销号", "已核验", "待核验", "推进中", "未启动", "逾期")
        if zh
        else (
            "lead owner",
            "tasks",
            "closed",
            "verif.",
            "await.",
            "in pr.",
            "not st.",
            "overdue",
        )
    )
    lines.append("按牵头单位：" if zh else "By lead owner:")
    lines.append(
        "  "
        + pad(heads[0], 26)
        + "".join(
            f"{h:>8}" if not zh else pad("", 8 - display_width(h)) + h
            for h in heads[1:]
        )
    )
    for owner, c in report.by_owner:
        name = clip(report.name(owner, lang=lang), 26)
        cells = (
            c.total,
            c.closed,
            c.verified,
            c.awaiting_verification,
            c.in_progress,
            c.not_started,
            c.overdue,
        )
        lines.append("  " + pad(name, 26) + "".join(f"{v:>8}" for v in cells))
    return "\n".join(lines)
