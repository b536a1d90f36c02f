"""The ledger store protocol, validated appends on top of it, and the in-memory store."""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import datetime
from typing import Final, Protocol, Self, TypeVar, runtime_checkable

import attrs

from countypolicing.exceptions import LedgerError, LedgerIntegrityError, ModelError
from countypolicing.model import LedgerEntry, SupervisionLevel, TaskAction
from countypolicing.operations import (
    Ledger,
    LedgerHead,
    LedgerRecord,
    LedgerState,
    LedgerVerification,
    WorkPlanView,
    verify_ledger,
)

__all__ = ["LedgerStore", "MemoryLedger", "append_entries"]

_R = TypeVar("_R")

#: How often an append is retried when another writer got in first.
MAX_ATTEMPTS: Final = 1000


@runtime_checkable
class LedgerStore(Protocol):
    """What a ledger store does: keep sealed records in order and append atomically.

    Implement these four methods to keep ledgers somewhere else (a server
    database, an object store); `append_entries` then gives your store the same
    validated, idempotent, hash-chained appends as the built-in ones, and
    `verify_ledger`, `export_jsonl`, `reconcile` and `board` work on it.

    Added in version 0.1.0.
    """

    def head(self) -> LedgerHead:
        """The head, stored apart from the records and updated with them."""
        ...

    def records(self, *, after: int = 0) -> Iterator[LedgerRecord]:
        """The records with sequence numbers above ``after``, in order."""
        ...

    def find_key(self, key: str) -> LedgerRecord | None:
        """The record appended under an idempotency key, if any."""
        ...

    def write(self, records: Sequence[LedgerRecord], *, expected: LedgerHead) -> bool:
        """Append ``records`` atomically if the head is still ``expected``.

        Returns False, writing nothing, when the head has moved (another writer got
        in first); raises `LedgerError` when the store cannot be written, also
        writing nothing.
        """
        ...


def check_continues(records: Sequence[LedgerRecord], head: LedgerHead) -> LedgerHead:
    """Check that ``records`` continue the chain after ``head``; return the new head.

    Raises:
        LedgerIntegrityError: a record does not follow, or was altered.
    """
    count, last = head.count, head.last_hash
    last_at: datetime | None = None
    for record in records:
        if record.seq != count + 1:
            raise LedgerIntegrityError(f"does not follow entry {count}", seq=record.seq)
        if record.prev_hash != last:
            raise LedgerIntegrityError(
                f"does not link to entry {count}", seq=record.seq
            )
        if not record.intact():
            raise LedgerIntegrityError(
                "content does not match its hash", seq=record.seq
            )
        if last_at is not None and record.entry.at < last_at:
            raise LedgerIntegrityError("time runs backwards", seq=record.seq)
        count, last, last_at = record.seq, record.hash, record.entry.at
    return LedgerHead(count=count, last_hash=last) if count else head


@attrs.frozen(kw_only=True)
class _Draft:
    """An entry to append: its fields, its key, and its sequence number if fixed."""

    fields: dict[str, object] = attrs.field(hash=False)
    key: str | None = None
    seq: int | None = None


def _same_content(record: LedgerRecord, fields: dict[str, object]) -> bool:
    entry = record.entry
    return all(getattr(entry, name) == value for name, value in fields.items())


def _catch_up(store: LedgerStore, state: LedgerState) -> None:
    stored = store.head()
    for record in store.records(after=state.head.count):
        state.advance(record)
    if state.head.count < stored.count:
        raise LedgerIntegrityError(
            f"the ledger ends after {state.head.count} entries but its head records "
            f"{stored.count}: the last ones are gone",
            seq=state.head.count + 1,
        )
    if state.head.count == stored.count and state.head != stored:
        raise LedgerIntegrityError(
            "the last hash differs from the head's: the ledger was rewritten",
            seq=stored.count or None,
        )


def _existing(store: LedgerStore, draft: _Draft) -> LedgerRecord | None:
    """The record already stored under the draft's key, if it is the same entry."""
    if draft.key is None:
        return None
    existing = store.find_key(draft.key)
    if existing is not None and not _same_content(existing, draft.fields):
        raise LedgerError(
            f"idempotency key {draft.key!r} was already used for an entry with "
            "different content",
            seq=existing.seq,
        )
    return existing


def _prepare(
    store: LedgerStore, state: LedgerState, drafts: Sequence[_Draft]
) -> tuple[list[LedgerRecord], list[LedgerRecord]]:
    """Every draft's record (stored or new) and the new ones to write."""
    trial = state.copy() if len(drafts) > 1 else state
    out: list[LedgerRecord] = []
    new: list[LedgerRecord] = []
    for draft in drafts:
        existing = _existing(store, draft)
        if existing is not None:
            out.append(existing)
            continue
        seq = trial.head.count + 1
        if draft.seq is not None and draft.seq != seq:
            raise LedgerError(
                f"expected entry {seq} next (the ledger has {seq - 1}); re-read "
                "the ledger and number the entry again",
                seq=draft.seq,
            )
        entry = LedgerEntry(seq=seq, **draft.fields)  # type: ignore[arg-type]  # fields are LedgerEntry's
        record = trial.seal(entry, key=draft.key)
        if trial is not state:
            trial.advance(record)
        out.append(record)
        new.append(record)
    return out, new


def _commit(
    store: LedgerStore, state: LedgerState, drafts: Sequence[_Draft]
) -> tuple[LedgerRecord, ...]:
    keys = [d.key for d in drafts if d.key is not None]
    if len(keys) != len(set(keys)):
        raise LedgerError("the same idempotency key is given twice in one append")
    for _ in range(MAX_ATTEMPTS):
        _catch_up(store, state)
        out, new = _prepare(store, state, drafts)
        if not new:
            return tuple(out)
        if store.write(new, expected=state.head):
            for record in new:
                state.advance(record)
            return tuple(out)
    raise LedgerError(
        f"could not append after {MAX_ATTEMPTS} attempts: other writers kept "
        "getting in first"
    )


def _entry_fields(entry: LedgerEntry) -> dict[str, object]:
    return {
        "at": entry.at,
        "task_id": entry.task_id,
        "actor_id": entry.actor_id,
        "action": entry.action,
        "note": entry.note,
        "evidence_ref": entry.evidence_ref,
        "supervision": entry.supervision,
    }


def append_entries(
    store: LedgerStore,
    plan: WorkPlanView,
    entries: Iterable[LedgerEntry],
    *,
    keys: Sequence[str | None] | None = None,
    state: LedgerState | None = None,
) -> tuple[LedgerRecord, ...]:
    """Append entries to any `LedgerStore`, validated, sealed and idempotent.

    Every entry must continue the ledger: its sequence number is the next one, its
    time is not before the last entry's, its task is in ``plan`` and the step is
    legal from the task's current (replayed) state. The entries are written in
    one atomic write: all of them or none. An entry whose idempotency key is
    already in the ledger with the same content is not written again (its stored
    record is returned); the same key with other content is an error.

    Args:
        store: where to append.
        plan: the plan whose tasks the entries move.
        entries: the entries, numbered to follow the ledger.
        keys: an idempotency key (or None) per entry.
        state: a `LedgerState` for ``plan`` kept between calls, to avoid
            replaying the whole ledger each time; it is brought up to date first.

    Returns:
        The stored records, one per entry.

    Raises:
        TransitionError: a step is not allowed; nothing is written.
        UnknownIdError: a task is not in the plan; nothing is written.
        LedgerError: a sequence number or time does not continue the ledger, a key
            is reused for other content, or the store cannot be written.
        LedgerIntegrityError: the stored ledger is damaged.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> import countypolicing as cp
        >>> from countypolicing.model import LedgerEntry, TaskAction
        >>> from countypolicing.operations import plan_from_county
        >>> plan = plan_from_county(cp.datasets.yueyanglou())
        >>> store = MemoryLedger()
        >>> at = datetime(2020, 5, 11, 9, tzinfo=timezone(timedelta(hours=8)))
        >>> e = LedgerEntry(
        ...     seq=1,
        ...     at=at,
        ...     task_id="k01-t1",
        ...     actor_id="yyl-psb",
        ...     action=TaskAction.ASSIGN,
        ... )
        >>> [r.seq for r in append_entries(store, plan, [e], keys=["cell-1"])]
        [1]
        >>> [r.seq for r in append_entries(store, plan, [e], keys=["cell-1"])]
        [1]
        >>> store.head().count
        1

    Added in version 0.1.0.
    """
    items = list(entries)
    if keys is not None and len(keys) != len(items):
        raise LedgerError(f"{len(keys)} keys for {len(items)} entries")
    drafts = [
        _Draft(
            fields=_entry_fields(e),
            key=None if keys is None else keys[i],
            seq=e.seq,
        )
        for i, e in enumerate(items)
    ]
    if state is None or state.plan is not plan:
        state = LedgerState(plan)
    return _commit(store, state, drafts)


def _action(value: TaskAction | str) -> TaskAction:
    try:
        return TaskAction(value)
    except ValueError:
        allowed = ", ".join(a.value for a in TaskAction)
        raise ModelError(
            f"unknown action {value!r}; one of {allowed}", field="action"
        ) from None


def _level(value: SupervisionLevel | str | None) -> SupervisionLevel | None:
    if value is None:
        return None
    try:
        return SupervisionLevel(value)
    except ValueError:
        allowed = ", ".join(s.value for s in SupervisionLevel)
        raise ModelError(
            f"unknown supervision level {value!r}; one of {allowed}",
            field="supervision",
        ) from None


class BaseLedger:
    """The conveniences every built-in store offers on top of the four primitives."""

    _lock: threading.RLock
    _states: dict[int, tuple[WorkPlanView, LedgerState]]

    # The four primitives, implemented by each store.
    def head(self) -> LedgerHead:  # pragma: no cover  # abstract
        raise NotImplementedError

    def records(
        self, *, after: int = 0
    ) -> Iterator[LedgerRecord]:  # pragma: no cover  # abstract
        raise NotImplementedError

    def find_key(self, key: str) -> LedgerRecord | None:  # pragma: no cover  # abstract
        raise NotImplementedError

    def write(
        self, records: Sequence[LedgerRecord], *, expected: LedgerHead
    ) -> bool:  # pragma: no cover  # abstract
        raise NotImplementedError

    def _consistent(self, read: Callable[[], _R]) -> _R:
        """Run ``read`` so that everything it reads comes from one snapshot."""
        return read()

    # ------------------------------------------------------------- writing
    def _state_for(self, plan: WorkPlanView) -> LedgerState:
        found = self._states.get(id(plan))
        if found is not None and found[0] is plan:
            return found[1]
        state = LedgerState(plan)
        self._states = {id(plan): (plan, state)}  # keep one plan's state only
        return state

    def record(
        self,
        plan: WorkPlanView,
        *,
        task_id: str,
        actor_id: str,
        action: TaskAction | str,
        at: datetime,
        note: str | None = None,
        evidence_ref: str | None = None,
        supervision: SupervisionLevel | str | None = None,
        key: str | None = None,
    ) -> LedgerRecord:
        """Record one step of one task; the store gives it the next sequence number.

        The step is validated against the task's state replayed from the ledger
        (inside the same atomic write, so concurrent writers cannot both move a
        task the same way); an illegal step raises and writes nothing.
        Give a ``key`` (say, the notebook cell's name) to make re-running safe: a
        second call with the same key and content returns the stored record.

        Args:
            plan: the plan the task belongs to.
            task_id: the task.
            actor_id: who records the step (an organisation or a person).
            action: the step (``assign``, ``start``, ``submit``, ``return``,
                ``verify``, ``close_out``, ``supervise``, ``note``).
            at: when it happened (timezone-aware; not before the last entry).
            note: free text.
            evidence_ref: a reference to the evidence (a file, an archive number).
            supervision: the level, for ``supervise`` steps only.
            key: an idempotency key.

        Returns:
            The stored record.

        Raises:
            TransitionError: the step is not allowed from the task's state.
            UnknownIdError: the task is not in the plan.
            ModelError: a field is invalid (a naive ``at``, a blank note…).
            LedgerError: ``at`` is before the last entry, ``key`` was used for
                something else, or the store cannot be written.
        """
        fields: dict[str, object] = {
            "at": at,
            "task_id": task_id,
            "actor_id": actor_id,
            "action": _action(action),
            "note": note,
            "evidence_ref": evidence_ref,
            "supervision": _level(supervision),
        }
        with self._lock:
            (record,) = _commit(
                self, self._state_for(plan), [_Draft(fields=fields, key=key)]
            )
        return record

    def append(
        self, plan: WorkPlanView, entry: LedgerEntry, *, key: str | None = None
    ) -> LedgerRecord:
        """Append an entry already numbered to follow the ledger (see `close_out`).

        Raises:
            LedgerError: ``entry.seq`` is not the next number (someone appended in
                between: re-read and retry), or as for `record`.
        """
        with self._lock:
            (record,) = append_entries(
                self, plan, [entry], keys=[key], state=self._state_for(plan)
            )
        return record

    def extend(
        self,
        plan: WorkPlanView,
        entries: Iterable[LedgerEntry],
        *,
        keys: Sequence[str | None] | None = None,
    ) -> tuple[LedgerRecord, ...]:
        """Append numbered entries in one atomic write: all of them or none.

        See `append_entries`.
        """
        with self._lock:
            return append_entries(
                self, plan, entries, keys=keys, state=self._state_for(plan)
            )

    def restore(self, ledger: Ledger) -> LedgerHead:
        """Fill an empty store with a whole ledger (from `import_jsonl`, say).

        The records are written as they are, keys and hashes included, in one
        atomic write, after checking their chain.

        Raises:
            LedgerError: the store is not empty.
            LedgerIntegrityError: the records do not form an intact chain.
        """
        with self._lock:
            head = self.head()
            if head.count:
                raise LedgerError(
                    f"the store already holds {head.count} entries; restore only "
                    "into an empty one"
                )
            new = check_continues(ledger.records, head)
            if ledger.records and not self.write(ledger.records, expected=head):
                raise LedgerError("another writer appended during the restore")
            self._states = {}
            return new

    # ------------------------------------------------------------- reading
    def entries(self) -> Iterator[LedgerEntry]:
        """Every entry, in sequence order."""
        return (r.entry for r in self.records())

    def __iter__(self) -> Iterator[LedgerEntry]:
        return self.entries()

    def __len__(self) -> int:
        return self.head().count

    def snapshot(self) -> Ledger:
        """The whole ledger as a value (a consistent copy)."""
        return self._consistent(lambda: Ledger(self.records()))

    def verify(self, *, head: LedgerHead | None = None) -> LedgerVerification:
        """Check the chain against the stored head, or against ``head`` if given.

        Pass a head you kept elsewhere to catch a ledger whose stored head was
        rewritten along with its records.
        """

        def read() -> LedgerVerification:
            expected = head if head is not None else self.head()
            return verify_ledger(self.records(), head=expected)

        return self._consistent(read)

    def __enter__(self) -> Self:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Release the store's resources (nothing to do for memory)."""


class MemoryLedger(BaseLedger):
    """A ledger kept in memory: for tests, notebooks and dry runs.

    It behaves like `SQLiteLedger` (validated, hash-chained, idempotent appends;
    a head kept apart from the records; thread-safe) but lives only as long as
    the object.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> plan = plan_from_county(cp.datasets.yueyanglou())
        >>> ledger = MemoryLedger()
        >>> at = datetime(2020, 5, 11, 9, tzinfo=timezone(timedelta(hours=8)))
        >>> r = ledger.record(
        ...     plan, task_id="k01-t1", actor_id="yyl-psb", action="assign", at=at
        ... )
        >>> r.seq, len(ledger), ledger.verify().ok
        (1, 1, True)

    Added in version 0.1.0.
    """

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._states = {}
        self._records: list[LedgerRecord] = []
        self._head = LedgerHead()
        self._keys: dict[str, int] = {}

    def head(self) -> LedgerHead:
        """The stored head."""
        return self._head

    def records(self, *, after: int = 0) -> Iterator[LedgerRecord]:
        """The records above sequence number ``after``, in order."""
        return iter(self._records[max(after, 0) :])

    def find_key(self, key: str) -> LedgerRecord | None:
        """The record appended under ``key``, if any."""
        seq = self._keys.get(key)
        return None if seq is None else self._records[seq - 1]

    def write(self, records: Sequence[LedgerRecord], *, expected: LedgerHead) -> bool:
        """Append ``records`` if the head is still ``expected`` (see `LedgerStore`)."""
        with self._lock:
            if self._head != expected:
                return False
            head = check_continues(records, expected)
            seen: set[str] = set()
            for record in records:
                if record.key is None:
                    continue
                if record.key in self._keys or record.key in seen:
                    raise LedgerError(
                        f"idempotency key {record.key!r} is already used",
                        seq=record.seq,
                    )
                seen.add(record.key)
            self._records.extend(records)
            self._keys.update({r.key: r.seq for r in records if r.key is not None})
            self._head = head
            return True
