"""The hash-chained task ledger (台账): records, heads, verification, replay state.

Each `LedgerEntry` is sealed into a `LedgerRecord` that carries the hash of the
record before it and its own hash: SHA-256 over the canonical JSON (sorted keys, no
spaces, UTF-8, no NaN) of the entry's fields, its idempotency key and the previous
hash. Changing, removing or moving any record breaks the chain from there on;
cutting records off the end is caught by comparing with a separately kept
`LedgerHead` (the count and the last hash).

Nothing here does I/O; `countypolicing.storage` keeps ledgers on disk.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable, Iterator, Mapping
from datetime import datetime
from types import MappingProxyType
from typing import Final

import attrs

from countypolicing.exceptions import (
    LedgerError,
    LedgerIntegrityError,
    ModelError,
    TransitionError,
)
from countypolicing.model import (
    LabelledEnum,
    LedgerEntry,
    SupervisionLevel,
    Task,
    TaskAction,
    replay_task,
)
from countypolicing.operations._plan import WorkPlanView

__all__ = [
    "GENESIS_HASH",
    "Ledger",
    "LedgerHead",
    "LedgerProblem",
    "LedgerProblemKind",
    "LedgerRecord",
    "LedgerState",
    "LedgerVerification",
    "verify_ledger",
]

GENESIS_HASH: Final = "0" * 64
"""The "previous hash" of the first record, and the last hash of an empty ledger.

Added in version 0.1.0.
"""

#: The longest idempotency key accepted.
MAX_KEY_LENGTH: Final = 200

_HEX: Final = frozenset("0123456789abcdef")
_FIELDS: Final = (
    "action",
    "actor_id",
    "at",
    "evidence_ref",
    "hash",
    "key",
    "note",
    "prev_hash",
    "seq",
    "supervision",
    "task_id",
)


def _is_hash(value: object) -> bool:
    return isinstance(value, str) and len(value) == 64 and set(value) <= _HEX  # noqa: PLR2004  # SHA-256 hex length


def _check_hash(_instance: object, attribute: attrs.Attribute[str], value: str) -> None:
    if not _is_hash(value):
        raise ModelError(
            f"{attribute.name} must be 64 lowercase hex digits (got {value!r})",
            field=attribute.name,
        )


def _check_key(
    _instance: object, attribute: attrs.Attribute[str | None], value: str | None
) -> None:
    if value is None:
        return
    if not value.strip() or len(value) > MAX_KEY_LENGTH:
        raise ModelError(
            f"an idempotency key is 1 to {MAX_KEY_LENGTH} characters and not blank "
            f"(got {value!r})",
            field=attribute.name,
        )


def canonical_payload(
    entry: LedgerEntry, *, prev_hash: str, key: str | None
) -> dict[str, object]:
    """The fields that are hashed, as JSON values."""
    return {
        "action": entry.action.value,
        "actor_id": entry.actor_id,
        "at": entry.at.isoformat(),
        "evidence_ref": entry.evidence_ref,
        "key": key,
        "note": entry.note,
        "prev_hash": prev_hash,
        "seq": entry.seq,
        "supervision": None if entry.supervision is None else entry.supervision.value,
        "task_id": entry.task_id,
    }


def canonical_json(payload: Mapping[str, object]) -> bytes:
    """Sorted keys, no spaces, UTF-8, NaN and lone surrogates refused."""
    try:
        text = json.dumps(
            payload,
            sort_keys=True,
            separators=(",", ":"),
            ensure_ascii=False,
            allow_nan=False,
        )
        return text.encode("utf-8")
    except (ValueError, UnicodeEncodeError) as exc:
        seq = payload.get("seq")
        raise LedgerError(
            f"entry cannot be written as JSON: {exc}",
            seq=seq if isinstance(seq, int) else None,
        ) from exc


def record_digest(entry: LedgerEntry, *, prev_hash: str, key: str | None) -> str:
    """The SHA-256 (hex) of an entry sealed after ``prev_hash`` with ``key``."""
    payload = canonical_payload(entry, prev_hash=prev_hash, key=key)
    return hashlib.sha256(canonical_json(payload)).hexdigest()


@attrs.frozen(kw_only=True)
class LedgerHead:
    """The end of a ledger: how many records it has and the hash of the last one.

    Stores keep the head apart from the records and update both in one
    transaction, so a ledger cut short no longer matches its head.
    Keep a copy elsewhere too (print it in the weekly bulletin): someone who can
    rewrite the whole file can rewrite its head as well.

    Examples:
        >>> LedgerHead()
        LedgerHead(count=0, last_hash='0000000000000000000000000000000000000000000000000000000000000000')

    Added in version 0.1.0.
    """

    count: int = 0
    last_hash: str = attrs.field(default=GENESIS_HASH, validator=_check_hash)

    def __attrs_post_init__(self) -> None:
        if self.count < 0:
            raise ModelError("count must not be negative", field="count")
        if (self.count == 0) != (self.last_hash == GENESIS_HASH):
            raise ModelError(
                "an empty ledger's last hash is GENESIS_HASH, and only an empty one's",
                field="last_hash",
            )


@attrs.frozen(kw_only=True)
class LedgerRecord:
    """A ledger entry sealed into the chain: the entry, its key and two hashes.

    Attributes:
        entry: the entry (sequence number, time, task, actor, action, note,
            evidence reference, supervision level).
        prev_hash: the hash of the record before (`GENESIS_HASH` for the first).
        hash: SHA-256 of the canonical JSON of the entry, ``key`` and ``prev_hash``.
        key: the idempotency key the entry was recorded under, if any.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> from countypolicing.model import LedgerEntry, TaskAction
        >>> at = datetime(2020, 5, 11, 9, 10, tzinfo=timezone(timedelta(hours=8)))
        >>> e = LedgerEntry(
        ...     seq=1,
        ...     at=at,
        ...     task_id="k01-t1",
        ...     actor_id="yyl-psb",
        ...     action=TaskAction.ASSIGN,
        ... )
        >>> r = LedgerRecord.seal(e, prev_hash=GENESIS_HASH)
        >>> r.seq, len(r.hash), r.intact()
        (1, 64, True)

    Added in version 0.1.0.
    """

    entry: LedgerEntry
    prev_hash: str = attrs.field(validator=_check_hash)
    hash: str = attrs.field(validator=_check_hash)
    key: str | None = attrs.field(default=None, validator=_check_key)

    @classmethod
    def seal(
        cls, entry: LedgerEntry, *, prev_hash: str, key: str | None = None
    ) -> LedgerRecord:
        """Seal ``entry`` after the record whose hash is ``prev_hash``."""
        return cls(
            entry=entry,
            prev_hash=prev_hash,
            hash=record_digest(entry, prev_hash=prev_hash, key=key),
            key=key,
        )

    @property
    def seq(self) -> int:
        """The entry's sequence number."""
        return self.entry.seq

    def intact(self) -> bool:
        """Whether ``hash`` is the hash of the content (the record was not edited)."""
        return record_digest(self.entry, prev_hash=self.prev_hash, key=self.key) == (
            self.hash
        )


def _records(v: Iterable[LedgerRecord]) -> tuple[LedgerRecord, ...]:
    return tuple(v)


@attrs.frozen
class Ledger:
    """A whole ledger as a value: its records in sequence order.

    What a store's ``snapshot()`` and `countypolicing.storage.import_jsonl` return.
    Iterating yields the `LedgerEntry` objects, so a ledger can be passed wherever
    entries are expected (`reconcile`, `board`, `replay_tasks`).

    Examples:
        >>> import countypolicing as cp
        >>> ledger = Ledger.from_entries(cp.datasets.yueyanglou().ledger)
        >>> len(ledger), ledger.head.count
        (429, 429)
        >>> verify_ledger(ledger, head=ledger.head).ok
        True

    Added in version 0.1.0.
    """

    records: tuple[LedgerRecord, ...] = attrs.field(default=(), converter=_records)

    @classmethod
    def from_entries(
        cls,
        entries: Iterable[LedgerEntry],
        *,
        keys: Mapping[int, str] | None = None,
    ) -> Ledger:
        """Seal entries into a chain; ``keys`` maps sequence numbers to keys.

        Raises:
            LedgerError: the sequence numbers do not run 1, 2, 3… or time runs
                backwards.
        """
        out: list[LedgerRecord] = []
        prev = GENESIS_HASH
        last_at: datetime | None = None
        for entry in entries:
            _check_order(entry, len(out), last_at)
            record = LedgerRecord.seal(
                entry, prev_hash=prev, key=None if keys is None else keys.get(entry.seq)
            )
            out.append(record)
            prev, last_at = record.hash, entry.at
        return cls(out)

    @property
    def head(self) -> LedgerHead:
        """The head of this ledger."""
        if not self.records:
            return LedgerHead()
        return LedgerHead(count=len(self.records), last_hash=self.records[-1].hash)

    def entries(self) -> tuple[LedgerEntry, ...]:
        """The entries, in sequence order."""
        return tuple(r.entry for r in self.records)

    def __iter__(self) -> Iterator[LedgerEntry]:
        return (r.entry for r in self.records)

    def __len__(self) -> int:
        return len(self.records)


def _check_order(entry: LedgerEntry, count: int, last_at: datetime | None) -> None:
    if entry.seq != count + 1:
        raise LedgerError(
            f"expected entry {count + 1} next; sequence numbers run 1, 2, 3… "
            "without gaps",
            seq=entry.seq,
        )
    if last_at is not None and entry.at < last_at:
        raise LedgerError(
            f"time runs backwards: {entry.at.isoformat()} is earlier than the entry "
            f"before ({last_at.isoformat()}); a ledger only moves forward in time",
            seq=entry.seq,
        )


class LedgerProblemKind(LabelledEnum):
    """What is wrong with a ledger at its first bad record.

    Added in version 0.1.0.
    """

    MALFORMED = "malformed"
    ALTERED = "altered"
    BROKEN_CHAIN = "broken_chain"
    MISSING = "missing"
    DUPLICATE = "duplicate"
    OUT_OF_ORDER = "out_of_order"
    TIME_REVERSED = "time_reversed"
    DUPLICATE_KEY = "duplicate_key"
    TRUNCATED = "truncated"
    HEAD_MISMATCH = "head_mismatch"
    __zh__ = MappingProxyType(
        {
            "malformed": "记录格式损坏",
            "altered": "记录被改动",
            "broken_chain": "哈希链断裂",
            "missing": "记录缺失",
            "duplicate": "记录重复",
            "out_of_order": "顺序错乱",
            "time_reversed": "时间倒流",
            "duplicate_key": "幂等键重复",
            "truncated": "台账被截短",
            "head_mismatch": "账头不符",
        }
    )


@attrs.frozen(kw_only=True)
class LedgerProblem:
    """The first thing wrong with a ledger, and where.

    Attributes:
        kind: what is wrong.
        seq: the sequence number of the first bad record (for a truncated ledger,
            the first missing one).
        line: the 1-based line of a JSONL file, when the ledger came from one.
        message: a sentence saying what is wrong.

    Added in version 0.1.0.
    """

    kind: LedgerProblemKind
    seq: int | None
    line: int | None = None
    message: str

    def __str__(self) -> str:
        where = f"line {self.line}: " if self.line is not None else ""
        what = f"entry {self.seq}: " if self.seq is not None else ""
        return f"{where}{what}{self.message}"

    def error(self, *, source: str | None = None) -> LedgerIntegrityError:
        """This problem as an exception."""
        return LedgerIntegrityError(
            self.message, seq=self.seq, line=self.line, source=source
        )


@attrs.frozen(kw_only=True)
class LedgerVerification:
    """The result of `verify_ledger`.

    Attributes:
        checked: how many records were read.
        good: the head of the longest good prefix (every record up to the first
            bad one).
        expected: the head the ledger was checked against, if any.
        problem: the first problem found, or None when the ledger is intact.

    Added in version 0.1.0.
    """

    checked: int
    good: LedgerHead
    expected: LedgerHead | None = None
    problem: LedgerProblem | None = None

    @property
    def ok(self) -> bool:
        """Whether the ledger is intact (and matches the expected head, if given)."""
        return self.problem is None

    @property
    def first_bad_seq(self) -> int | None:
        """The sequence number of the first bad record, if any."""
        return None if self.problem is None else self.problem.seq

    def raise_for_problem(self, *, source: str | None = None) -> None:
        """Raise `LedgerIntegrityError` if a problem was found."""
        if self.problem is not None:
            raise self.problem.error(source=source)


def verify_ledger(
    records: Ledger | Iterable[LedgerRecord],
    *,
    head: LedgerHead | None = None,
) -> LedgerVerification:
    """Check a ledger's chain and name its first bad record.

    Finds edited records (the hash no longer matches the content), deleted and
    reordered ones (sequence numbers and the links between hashes), time running
    backwards, reused idempotency keys, and — given the separately kept ``head`` —
    a ledger cut short or extended behind the head's back.
    It does not check the task lifecycle: `replay_tasks` and the stores do that.

    Args:
        records: the records in the order they are stored.
        head: the head kept apart from the records (a store's ``head()``, or a
            copy you kept elsewhere); without it, truncation cannot be seen.

    Returns:
        The verification; ``.ok`` is True when nothing is wrong.

    Examples:
        >>> import attrs
        >>> import countypolicing as cp
        >>> ledger = Ledger.from_entries(cp.datasets.yueyanglou().ledger)
        >>> head = ledger.head
        >>> r = list(ledger.records)
        >>> r[41] = attrs.evolve(r[41], entry=attrs.evolve(r[41].entry, note="改过"))
        >>> v = verify_ledger(r, head=head)
        >>> v.ok, v.first_bad_seq, v.problem.kind.value
        (False, 42, 'altered')
        >>> verify_ledger(ledger.records[:-3], head=head).problem.kind.value
        'truncated'

    Added in version 0.1.0.
    """
    it = iter(records.records if isinstance(records, Ledger) else records)
    count = 0
    prev_hash = GENESIS_HASH
    last_at: datetime | None = None
    keys: dict[str, int] = {}
    problem: LedgerProblem | None = None
    for record in it:
        problem = _record_problem(
            record,
            count=count,
            prev_hash=prev_hash,
            last_at=last_at,
            keys=keys,
            rest=it,
        )
        if problem is not None:
            break
        count += 1
        prev_hash = record.hash
        last_at = record.entry.at
        if record.key is not None:
            keys[record.key] = record.seq
    good = LedgerHead(count=count, last_hash=prev_hash)
    checked = count + (1 if problem is not None else 0)
    if problem is None and head is not None:
        problem = _head_problem(good, head)
    return LedgerVerification(
        checked=checked, good=good, expected=head, problem=problem
    )


def _record_problem(  # noqa: PLR0911  # one return per kind of problem
    record: LedgerRecord,
    *,
    count: int,
    prev_hash: str,
    last_at: datetime | None,
    keys: Mapping[str, int],
    rest: Iterator[LedgerRecord],
) -> LedgerProblem | None:
    seq = record.seq
    expected = count + 1
    if seq != expected:
        if seq == count:
            return LedgerProblem(
                kind=LedgerProblemKind.DUPLICATE,
                seq=seq,
                message=f"entry {seq} appears twice",
            )
        if seq < expected:
            return LedgerProblem(
                kind=LedgerProblemKind.OUT_OF_ORDER,
                seq=seq,
                message=f"entry {seq} comes after entry {count}: out of order",
            )
        if any(r.seq == expected for r in rest):
            return LedgerProblem(
                kind=LedgerProblemKind.OUT_OF_ORDER,
                seq=seq,
                message=f"entry {seq} stands where entry {expected} belongs; "
                f"entry {expected} comes later: out of order",
            )
        gap = (
            f"entry {expected}"
            if seq == expected + 1
            else f"entries {expected}–{seq - 1}"
        )
        return LedgerProblem(
            kind=LedgerProblemKind.MISSING,
            seq=seq,
            message=f"{gap} missing before entry {seq}",
        )
    if record.prev_hash != prev_hash:
        before = f"entry {count}" if count else "the start of the ledger"
        return LedgerProblem(
            kind=LedgerProblemKind.BROKEN_CHAIN,
            seq=seq,
            message=f"does not link to {before}: a record before it was altered, "
            "removed or replaced",
        )
    if not record.intact():
        return LedgerProblem(
            kind=LedgerProblemKind.ALTERED,
            seq=seq,
            message="content does not match its hash: the record was altered",
        )
    if last_at is not None and record.entry.at < last_at:
        return LedgerProblem(
            kind=LedgerProblemKind.TIME_REVERSED,
            seq=seq,
            message=f"time runs backwards: {record.entry.at.isoformat()} is earlier "
            f"than entry {count} ({last_at.isoformat()})",
        )
    if record.key is not None and record.key in keys:
        return LedgerProblem(
            kind=LedgerProblemKind.DUPLICATE_KEY,
            seq=seq,
            message=f"idempotency key {record.key!r} was already used by entry "
            f"{keys[record.key]}",
        )
    return None


def _head_problem(good: LedgerHead, head: LedgerHead) -> LedgerProblem | None:
    if good.count < head.count:
        missing = head.count - good.count
        return LedgerProblem(
            kind=LedgerProblemKind.TRUNCATED,
            seq=good.count + 1,
            message=f"the ledger ends after {good.count} entries but its head records "
            f"{head.count}: the last {missing} {'is' if missing == 1 else 'are'} gone",
        )
    if good.count > head.count:
        return LedgerProblem(
            kind=LedgerProblemKind.HEAD_MISMATCH,
            seq=head.count + 1,
            message=f"the ledger has {good.count} entries but its head records only "
            f"{head.count}: entries were added behind the head's back",
        )
    if good.last_hash != head.last_hash:
        return LedgerProblem(
            kind=LedgerProblemKind.HEAD_MISMATCH,
            seq=good.count or None,
            message="the last hash differs from the head's: the ledger was rewritten",
        )
    return None


class LedgerState:
    """Every task's state and the chain's head, advanced record by record.

    The replay engine behind the stores: `check` tells whether a new entry may be
    appended (sequence number, time, a task of the plan, a legal lifecycle step),
    `seal` makes the record to write, and `advance` takes in a record once stored
    (checking its chain link and that it replays).
    It is a mutable accumulator, but pure: no I/O, no clock.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> import countypolicing as cp
        >>> from countypolicing.model import LedgerEntry, TaskAction
        >>> from countypolicing.operations import plan_from_county
        >>> plan = plan_from_county(cp.datasets.yueyanglou())
        >>> state = LedgerState(plan)
        >>> at = datetime(2020, 5, 11, 9, tzinfo=timezone(timedelta(hours=8)))
        >>> e = LedgerEntry(
        ...     seq=1,
        ...     at=at,
        ...     task_id="k01-t1",
        ...     actor_id="yyl-psb",
        ...     action=TaskAction.ASSIGN,
        ... )
        >>> state.advance(state.seal(e))
        >>> state.task("k01-t1").status.value, state.head.count
        ('assigned', 1)
        >>> state.check(
        ...     LedgerEntry(
        ...         seq=2,
        ...         at=at,
        ...         task_id="k01-t1",
        ...         actor_id="yyl-psb",
        ...         action=TaskAction.VERIFY,
        ...     )
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: task 'k01-t1': cannot verify from assigned (allowed from submitted)

    Added in version 0.1.0.
    """

    def __init__(self, plan: WorkPlanView) -> None:
        self._plan = plan
        self._states: dict[str, Task] = {}
        self._head = LedgerHead()
        self._last_at: datetime | None = None

    @property
    def plan(self) -> WorkPlanView:
        """The plan whose tasks are replayed."""
        return self._plan

    @property
    def head(self) -> LedgerHead:
        """The head of the records taken in so far."""
        return self._head

    @property
    def last_at(self) -> datetime | None:
        """The time of the last record taken in, if any."""
        return self._last_at

    def copy(self) -> LedgerState:
        """An independent copy, to try entries on without touching this state."""
        other = LedgerState(self._plan)
        other._states = dict(self._states)  # same class
        other._head = self._head  # same class
        other._last_at = self._last_at  # same class
        return other

    def task(self, task_id: str) -> Task:
        """The task's current state (raises `UnknownIdError` for other tasks)."""
        found = self._states.get(task_id)
        return found if found is not None else self._plan.planned(task_id)

    def tasks(self) -> tuple[Task, ...]:
        """Every task's current state, in plan order."""
        return tuple(self.task(t.id) for t in self._plan.tasks)

    def check(self, entry: LedgerEntry) -> Task:
        """Whether ``entry`` may come next; returns the task's state after it.

        Raises:
            LedgerError: the sequence number does not continue the ledger, or the
                time is earlier than the last record's.
            UnknownIdError: the task is not in the plan.
            TransitionError: the step is not allowed from the task's state.
        """
        _check_order(entry, self._head.count, self._last_at)
        current = self.task(entry.task_id)
        return replay_task(current, (entry,))

    def seal(self, entry: LedgerEntry, *, key: str | None = None) -> LedgerRecord:
        """Check ``entry`` and seal it after the current head."""
        self.check(entry)
        return LedgerRecord.seal(entry, prev_hash=self._head.last_hash, key=key)

    def advance(self, record: LedgerRecord) -> None:
        """Take in a stored record.

        Records for tasks outside the plan only move the head.

        Raises:
            LedgerIntegrityError: the record does not continue the chain, was
                altered, runs back in time, or is not a legal step.
        """
        problem = _record_problem(
            record,
            count=self._head.count,
            prev_hash=self._head.last_hash,
            last_at=self._last_at,
            keys={},
            rest=iter(()),
        )
        if problem is not None:
            raise problem.error()
        entry = record.entry
        if self._plan.has_task(entry.task_id):
            try:
                new = replay_task(self.task(entry.task_id), (entry,))
            except TransitionError as exc:
                raise LedgerIntegrityError(
                    f"cannot be replayed: {exc}", seq=entry.seq
                ) from exc
            self._states[entry.task_id] = new
        self._head = LedgerHead(count=entry.seq, last_hash=record.hash)
        self._last_at = entry.at


# ---------------------------------------------------------------- JSON records
def record_to_json(record: LedgerRecord) -> dict[str, object]:
    """A record as the JSON object stored in a line of a JSONL export."""
    payload = canonical_payload(
        record.entry, prev_hash=record.prev_hash, key=record.key
    )
    payload["hash"] = record.hash
    return payload


def _required(obj: Mapping[str, object], name: str) -> str:
    value = obj[name]
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {type(value).__name__}")
    return value


def _optional(obj: Mapping[str, object], name: str) -> str | None:
    value = obj[name]
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or null, not {type(value).__name__}")
    return value


def parse_timestamp(text: str) -> datetime:
    """A stored timestamp; only the exact form `datetime.isoformat` writes is read.

    Python's parser is lenient (any separator between date and time, say), so a
    damaged byte could otherwise be read as the same instant and go unnoticed.
    """
    try:
        at = datetime.fromisoformat(text)
    except ValueError:
        raise ValueError(f"at is not an ISO-8601 date-time: {text!r}") from None
    if at.utcoffset() is None:
        raise ValueError(f"at must carry a UTC offset: {text!r}")
    if at.isoformat() != text:
        raise ValueError(f"at is not in the form the ledger writes: {text!r}")
    return at


def record_from_json(obj: object) -> LedgerRecord:
    """A record from its JSON object; ``ValueError`` or ``TypeError`` says what is wrong."""
    if not isinstance(obj, dict):
        raise TypeError(f"expected a JSON object, got {type(obj).__name__}")
    fields = set(obj)
    if fields != set(_FIELDS):
        extra = sorted(fields - set(_FIELDS))
        missing = sorted(set(_FIELDS) - fields)
        raise ValueError(
            "wrong fields"
            + (f"; unknown: {', '.join(extra)}" if extra else "")
            + (f"; missing: {', '.join(missing)}" if missing else "")
        )
    seq = obj["seq"]
    if isinstance(seq, bool) or not isinstance(seq, int):
        raise TypeError(f"seq must be an integer, not {seq!r}")
    at = parse_timestamp(_required(obj, "at"))
    action = _required(obj, "action")
    supervision = _optional(obj, "supervision")
    try:
        entry = LedgerEntry(
            seq=seq,
            at=at,
            task_id=_required(obj, "task_id"),
            actor_id=_required(obj, "actor_id"),
            action=TaskAction(action),
            note=_optional(obj, "note"),
            evidence_ref=_optional(obj, "evidence_ref"),
            supervision=None if supervision is None else SupervisionLevel(supervision),
        )
        return LedgerRecord(
            entry=entry,
            prev_hash=_required(obj, "prev_hash"),
            hash=_required(obj, "hash"),
            key=_optional(obj, "key"),
        )
    except ModelError as exc:
        raise ValueError(str(exc)) from None
