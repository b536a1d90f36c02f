"""The work plan (24 key items → 96 tasks) and the task ledger entries (挂图作战、对账销号).

Task lifecycle (DOMAIN.md §9.3)::

    PLANNED -assign-> ASSIGNED -start-> IN_PROGRESS -submit-> SUBMITTED -verify-> VERIFIED
    SUBMITTED -return-> IN_PROGRESS ;  VERIFIED -close_out-> CLOSED

Overdue is not a state: it is derived from the deadline and an explicit ``as_of``.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date, datetime
from typing import Final

import attrs

from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model._common import (
    DocumentId,
    KeyItemId,
    OrgId,
    PartyId,
    TaskId,
    aware,
    check_order,
    non_empty,
    optional_non_empty,
    str_tuple,
    valid_id,
    valid_ids,
    valid_optional_id,
)
from countypolicing.model._enums import (
    Provenance,
    SupervisionLevel,
    TaskAction,
    TaskStatus,
)

__all__ = [
    "TASK_TRANSITIONS",
    "KeyWorkItem",
    "LedgerEntry",
    "Task",
    "WorkPlan",
    "replay_task",
]

_T = TaskStatus
_A = TaskAction

#: Every allowed (state, action) -> next state of a task.
TASK_TRANSITIONS: Final[dict[tuple[TaskStatus, TaskAction], TaskStatus]] = {
    (_T.PLANNED, _A.ASSIGN): _T.ASSIGNED,
    (_T.ASSIGNED, _A.START): _T.IN_PROGRESS,
    (_T.IN_PROGRESS, _A.SUBMIT): _T.SUBMITTED,
    (_T.SUBMITTED, _A.RETURN): _T.IN_PROGRESS,
    (_T.SUBMITTED, _A.VERIFY): _T.VERIFIED,
    (_T.VERIFIED, _A.CLOSE_OUT): _T.CLOSED,
}

#: Actions that record something without changing the state.
_NEUTRAL: Final = frozenset({_A.NOTE, _A.SUPERVISE})


@attrs.frozen(kw_only=True)
class WorkPlan:
    """An implementation plan (实施方案) broken into key work items and tasks.

    Added in version 0.1.0.
    """

    id: str = attrs.field(validator=valid_id)
    title_zh: str = attrs.field(validator=non_empty)
    title_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    document_id: DocumentId | None = attrs.field(
        default=None, validator=valid_optional_id
    )
    owner_id: OrgId = attrs.field(validator=valid_id)
    start: date
    end: date
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        check_order(
            self.start,
            self.end,
            earlier_name="start",
            later_name="end",
            record_id=self.id,
        )


@attrs.frozen(kw_only=True)
class KeyWorkItem:
    """A key work item (重点工作) of the plan.

    Added in version 0.1.0.
    """

    id: KeyItemId = attrs.field(validator=valid_id)
    plan_id: str = attrs.field(validator=valid_id)
    number: int
    title_zh: str = attrs.field(validator=non_empty)
    title_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    lead_owner_id: OrgId = attrs.field(validator=valid_id)
    provenance: Provenance = Provenance.USER


@attrs.frozen(kw_only=True)
class Task:
    """A specific task (具体任务) with exactly one lead owner and any co-owners.

    Examples:
        >>> t = Task(
        ...     id="t-01-1",
        ...     key_item_id="k-01",
        ...     title_zh="制定方案",
        ...     lead_owner_id="sub-bureau",
        ...     deadline=date(2020, 6, 30),
        ... )
        >>> t = t.apply(TaskAction.ASSIGN, on=date(2020, 5, 1))
        >>> t.status
        <TaskStatus.ASSIGNED: 'assigned'>
        >>> t.is_overdue(date(2020, 7, 1))
        True
        >>> t.apply(TaskAction.CLOSE_OUT, on=date(2020, 7, 2))
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: task 't-01-1': cannot close_out from assigned (allowed from verified)

    Added in version 0.1.0.
    """

    id: TaskId = attrs.field(validator=valid_id)
    key_item_id: KeyItemId = attrs.field(validator=valid_id)
    title_zh: str = attrs.field(validator=non_empty)
    title_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    lead_owner_id: OrgId = attrs.field(validator=valid_id)
    co_owner_ids: tuple[OrgId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    start: date | None = None
    deadline: date
    evidence_required: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    status: TaskStatus = TaskStatus.PLANNED
    evidence: tuple[str, ...] = attrs.field(default=(), converter=str_tuple)
    submitted_on: date | None = None
    verified_on: date | None = None
    closed_on: date | None = None
    supervision: SupervisionLevel = SupervisionLevel.NONE
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        if self.lead_owner_id in self.co_owner_ids:
            raise ModelError(
                "the lead owner is also listed as a co-owner",
                field="co_owner_ids",
                record_id=self.id,
            )
        check_order(
            self.start,
            self.deadline,
            earlier_name="start",
            later_name="deadline",
            record_id=self.id,
        )

    def is_done(self) -> bool:
        """Whether the work is finished (submitted, verified or closed)."""
        return self.status in {_T.SUBMITTED, _T.VERIFIED, _T.CLOSED}

    def is_overdue(self, as_of: date) -> bool:
        """Whether the deadline has passed on ``as_of`` and the work is not submitted."""
        return as_of > self.deadline and not self.is_done()

    def days_overdue(self, as_of: date) -> int:
        """How many days past the deadline on ``as_of`` (0 when not overdue)."""
        return (as_of - self.deadline).days if self.is_overdue(as_of) else 0

    def apply(
        self,
        action: TaskAction,
        *,
        on: date,
        evidence: Iterable[str] = (),
        supervision: SupervisionLevel | None = None,
    ) -> Task:
        """Return the task after ``action`` on day ``on``.

        Raises:
            TransitionError: when the action is not allowed from the current state.
        """
        if action in _NEUTRAL:
            if self.status is _T.CLOSED:
                raise TransitionError(
                    f"task {self.id!r} is closed (销号); nothing more is recorded",
                    state=self.status,
                    action=action,
                    record_id=self.id,
                )
            if action is _A.SUPERVISE:
                level = supervision if supervision is not None else self.supervision
                return attrs.evolve(self, supervision=level)
            return self
        target = TASK_TRANSITIONS.get((self.status, action))
        if target is None:
            allowed = sorted(str(s) for (s, a) in TASK_TRANSITIONS if a is action)
            raise TransitionError(
                f"task {self.id!r}: cannot {action} from {self.status} "
                f"(allowed from {', '.join(allowed)})",
                state=self.status,
                action=action,
                record_id=self.id,
            )
        changes: dict[str, object] = {"status": target}
        if action is _A.SUBMIT:
            changes["evidence"] = (*self.evidence, *evidence)
            changes["submitted_on"] = on
        elif action is _A.VERIFY:
            changes["verified_on"] = on
        elif action is _A.CLOSE_OUT:
            changes["closed_on"] = on
        return attrs.evolve(self, **changes)  # type: ignore[arg-type]  # keys are attribute names


@attrs.frozen(kw_only=True)
class LedgerEntry:
    """One line of the task ledger (台账): who did what to which task, when.

    Added in version 0.1.0.
    """

    seq: int
    at: datetime = attrs.field(validator=aware)
    task_id: TaskId = attrs.field(validator=valid_id)
    actor_id: PartyId = attrs.field(validator=valid_id)
    action: TaskAction
    note: str | None = attrs.field(default=None, validator=optional_non_empty)
    evidence_ref: str | None = attrs.field(default=None, validator=optional_non_empty)
    supervision: SupervisionLevel | None = None

    def __attrs_post_init__(self) -> None:
        if self.seq < 1:
            raise ModelError("seq counts from 1", field="seq")
        if (self.supervision is not None) != (self.action is _A.SUPERVISE):
            raise ModelError(
                "supervision is given exactly for supervise entries",
                field="supervision",
            )


def replay_task(task: Task, entries: Iterable[LedgerEntry]) -> Task:
    """Apply a task's ledger entries, in order, to the task as planned.

    Examples:
        >>> from datetime import timezone
        >>> t = Task(
        ...     id="t1",
        ...     key_item_id="k1",
        ...     title_zh="任务",
        ...     lead_owner_id="o",
        ...     deadline=date(2020, 9, 30),
        ... )
        >>> at = datetime(2020, 5, 1, 9, tzinfo=timezone.utc)
        >>> e = [
        ...     LedgerEntry(
        ...         seq=1, at=at, task_id="t1", actor_id="o", action=TaskAction.ASSIGN
        ...     ),
        ...     LedgerEntry(
        ...         seq=2, at=at, task_id="t1", actor_id="o", action=TaskAction.START
        ...     ),
        ... ]
        >>> replay_task(t, e).status
        <TaskStatus.IN_PROGRESS: 'in_progress'>
    """
    state = task
    for entry in entries:
        if entry.task_id != task.id:
            raise ModelError(
                f"ledger entry {entry.seq} is for task {entry.task_id!r}, not {task.id!r}",
                field="task_id",
                record_id=task.id,
            )
        evidence = () if entry.evidence_ref is None else (entry.evidence_ref,)
        state = state.apply(
            entry.action,
            on=entry.at.date(),
            evidence=evidence,
            supervision=entry.supervision,
        )
    return state
