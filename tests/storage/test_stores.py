"""What every store does: validated, sealed, idempotent appends; reading back."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import attrs
import pytest

from countypolicing.exceptions import (
    LedgerError,
    LedgerIntegrityError,
    ModelError,
    TransitionError,
    UnknownIdError,
)
from countypolicing.model import County, LedgerEntry, TaskAction, TaskStatus
from countypolicing.operations import (
    Ledger,
    LedgerHead,
    LedgerRecord,
    LedgerState,
    WorkPlanView,
    close_out,
    reconcile,
    replay_tasks,
    verify_ledger,
)
from countypolicing.storage import (
    LedgerStore,
    MemoryLedger,
    SQLiteLedger,
    append_entries,
)

CST = timezone(timedelta(hours=8))
AT = datetime(2020, 6, 1, 9, tzinfo=CST)
MakeEntries = Callable[..., list[LedgerEntry]]
Store = MemoryLedger | SQLiteLedger


@pytest.fixture(params=["memory", "sqlite"])
def store(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Store]:
    if request.param == "memory":
        yield MemoryLedger()
    else:
        with SQLiteLedger(tmp_path / "ledger.sqlite") as ledger:
            yield ledger


def test_steps_get_consecutive_numbers_and_chain(
    store: Store, small_plan: WorkPlanView
) -> None:
    a = store.record(
        small_plan, task_id="t1", actor_id="bureau", action=TaskAction.ASSIGN, at=AT
    )
    b = store.record(
        small_plan, task_id="t1", actor_id="station-a", action="start", at=AT
    )
    assert (a.seq, b.seq) == (1, 2)
    assert b.prev_hash == a.hash
    assert store.head() == LedgerHead(count=2, last_hash=b.hash)
    assert len(store) == 2
    assert [e.action for e in store] == [TaskAction.ASSIGN, TaskAction.START]
    assert store.verify().ok
    assert replay_tasks(small_plan, store)[0].status is TaskStatus.IN_PROGRESS


def test_an_illegal_step_raises_and_writes_nothing(
    store: Store, small_plan: WorkPlanView
) -> None:
    store.record(small_plan, task_id="t1", actor_id="bureau", action="assign", at=AT)
    before = store.head()
    with pytest.raises(TransitionError, match="cannot verify from assigned"):
        store.record(
            small_plan, task_id="t1", actor_id="bureau", action="verify", at=AT
        )
    with pytest.raises(UnknownIdError, match="did you mean 't1'"):
        store.record(
            small_plan, task_id="t01", actor_id="bureau", action="assign", at=AT
        )
    with pytest.raises(ModelError, match="unknown action 'approve'"):
        store.record(
            small_plan, task_id="t1", actor_id="bureau", action="approve", at=AT
        )
    with pytest.raises(ModelError, match="UTC offset"):
        store.record(
            small_plan,
            task_id="t1",
            actor_id="bureau",
            action="start",
            at=datetime(2020, 6, 1, 9),  # noqa: DTZ001  # the naive time under test
        )
    with pytest.raises(ModelError, match="supervision"):
        store.record(
            small_plan, task_id="t1", actor_id="bureau", action="supervise", at=AT
        )
    assert store.head() == before
    assert len(list(store.records())) == 1


def test_time_never_runs_backwards(store: Store, small_plan: WorkPlanView) -> None:
    store.record(small_plan, task_id="t1", actor_id="bureau", action="assign", at=AT)
    with pytest.raises(LedgerError, match="time runs backwards") as info:
        store.record(
            small_plan,
            task_id="t2",
            actor_id="bureau",
            action="assign",
            at=AT - timedelta(seconds=1),
        )
    assert info.value.seq == 2
    same = store.record(
        small_plan, task_id="t2", actor_id="bureau", action="assign", at=AT
    )
    assert same.seq == 2


def test_a_repeated_key_with_the_same_content_is_recorded_once(
    store: Store, small_plan: WorkPlanView
) -> None:
    kwargs = {"task_id": "t1", "actor_id": "bureau", "action": "assign", "at": AT}
    first = store.record(small_plan, key="cell-3", **kwargs)  # type: ignore[arg-type]  # test kwargs
    again = store.record(small_plan, key="cell-3", **kwargs)  # type: ignore[arg-type]  # test kwargs
    assert again == first
    assert len(store) == 1
    assert store.find_key("cell-3") == first
    assert store.find_key("cell-4") is None


def test_a_repeated_key_with_other_content_is_refused(
    store: Store, small_plan: WorkPlanView
) -> None:
    store.record(
        small_plan, task_id="t1", actor_id="bureau", action="assign", at=AT, key="k"
    )
    with pytest.raises(
        LedgerError, match="already used for an entry with different"
    ) as info:
        store.record(
            small_plan, task_id="t2", actor_id="bureau", action="assign", at=AT, key="k"
        )
    assert info.value.seq == 1
    assert len(store) == 1


def test_notes_without_a_key_are_appended_each_time(
    store: Store, small_plan: WorkPlanView
) -> None:
    for _ in range(3):
        store.record(
            small_plan,
            task_id="t3",
            actor_id="dept-x",
            action="note",
            at=AT,
            note="进展",
        )
    assert len(store) == 3


def test_extend_is_all_or_nothing(
    store: Store, small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    day = date(2020, 6, 1)
    good = make_entries(
        ("t1", "bureau", "assign", day), ("t2", "bureau", "assign", day)
    )
    bad = good + make_entries(("t1", "bureau", "verify", day), first_seq=3)
    with pytest.raises(TransitionError):
        store.extend(small_plan, bad)
    assert len(store) == 0
    records = store.extend(small_plan, good, keys=["a", None])
    assert [r.seq for r in records] == [1, 2]
    assert records[0].key == "a"
    with pytest.raises(LedgerError, match="given twice"):
        store.extend(small_plan, good, keys=["x", "x"])
    with pytest.raises(LedgerError, match="2 keys for 1 entries"):
        store.extend(small_plan, good[:1], keys=["x", "y"])


def test_append_needs_the_next_sequence_number(
    store: Store, small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    (e1, e2) = make_entries(
        ("t1", "bureau", "assign", date(2020, 6, 1)),
        ("t2", "bureau", "assign", date(2020, 6, 1)),
    )
    with pytest.raises(LedgerError, match="expected entry 1 next") as info:
        store.append(small_plan, e2)
    assert info.value.seq == 2
    assert store.append(small_plan, e1).seq == 1
    assert store.append(small_plan, e2).seq == 2


def test_close_out_entries_are_appended_after_verification(
    store: Store, plan: WorkPlanView, county: County
) -> None:
    store.extend(plan, county.ledger)
    entry = close_out(
        plan, store, "k01-t2", actor_id="yyl-psb", at=AT.replace(month=9, day=16)
    )
    record = store.append(plan, entry, key="close k01-t2")
    assert record.seq == 430
    r = reconcile(plan, store, date(2020, 9, 16))
    assert r.totals.closed == 61
    assert "k01-t2" not in r.closable()


def test_the_bundled_ledger_loads_into_a_store_and_verifies(
    store: Store, plan: WorkPlanView, county: County
) -> None:
    head = store.extend(plan, county.ledger)[-1]
    assert head.seq == 429
    assert store.verify().ok
    assert store.snapshot() == Ledger.from_entries(county.ledger)
    assert list(store.entries()) == list(county.ledger)
    assert [r.seq for r in store.records(after=427)] == [428, 429]


def test_restore_fills_an_empty_store_with_keys_and_hashes(
    store: Store, county: County
) -> None:
    ledger = Ledger.from_entries(county.ledger[:10], keys={3: "three"})
    assert store.restore(ledger) == ledger.head
    assert store.snapshot() == ledger
    assert store.find_key("three") == ledger.records[2]
    with pytest.raises(LedgerError, match="already holds 10"):
        store.restore(ledger)


def test_restore_refuses_a_broken_chain(store: Store, county: County) -> None:
    records = list(Ledger.from_entries(county.ledger[:10]).records)
    records[4] = attrs.evolve(
        records[4], entry=attrs.evolve(records[4].entry, note="x")
    )
    with pytest.raises(LedgerIntegrityError) as info:
        store.restore(Ledger(records))
    assert info.value.seq == 5
    assert len(store) == 0


def test_a_write_against_a_stale_head_writes_nothing(
    store: Store, county: County
) -> None:
    ledger = Ledger.from_entries(county.ledger[:3])
    assert store.write(ledger.records[:2], expected=LedgerHead())
    assert not store.write(ledger.records[:1], expected=LedgerHead())
    assert store.head().count == 2
    with pytest.raises(LedgerIntegrityError, match="does not follow"):
        store.write(ledger.records[:1], expected=store.head())
    assert store.write(ledger.records[2:], expected=store.head())
    assert store.snapshot() == ledger


def test_two_handles_on_one_store_see_each_others_appends(
    small_plan: WorkPlanView, tmp_path: Path
) -> None:
    path = tmp_path / "shared.sqlite"
    with SQLiteLedger(path) as a, SQLiteLedger(path) as b:
        a.record(small_plan, task_id="t1", actor_id="bureau", action="assign", at=AT)
        # b's cached state is behind; it catches up before validating.
        with pytest.raises(TransitionError, match="cannot assign from assigned"):
            b.record(
                small_plan, task_id="t1", actor_id="bureau", action="assign", at=AT
            )
        r = b.record(
            small_plan, task_id="t1", actor_id="station-a", action="start", at=AT
        )
        assert r.seq == 2
        assert a.head() == b.head()


def test_builtin_stores_satisfy_the_protocol(store: Store) -> None:
    assert isinstance(store, LedgerStore)


@attrs.define
class ListStore:
    """A store of one's own: four methods over a list."""

    rows: list[LedgerRecord] = attrs.Factory(list)
    stored_head: LedgerHead = attrs.Factory(LedgerHead)

    def head(self) -> LedgerHead:
        return self.stored_head

    def records(self, *, after: int = 0) -> Iterator[LedgerRecord]:
        return iter(self.rows[after:])

    def find_key(self, key: str) -> LedgerRecord | None:
        return next((r for r in self.rows if r.key == key), None)

    def write(self, records: Sequence[LedgerRecord], *, expected: LedgerHead) -> bool:
        if expected != self.stored_head:
            return False
        self.rows.extend(records)
        self.stored_head = LedgerHead(
            count=len(self.rows), last_hash=self.rows[-1].hash
        )
        return True


def test_a_custom_store_gets_validated_idempotent_appends(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    custom = ListStore()
    assert isinstance(custom, LedgerStore)
    day = date(2020, 6, 1)
    (e1,) = make_entries(("t1", "bureau", "assign", day))
    state = LedgerState(small_plan)
    append_entries(custom, small_plan, [e1], keys=["a"], state=state)
    append_entries(custom, small_plan, [e1], keys=["a"], state=state)
    assert len(custom.rows) == 1
    (e2,) = make_entries(("t1", "bureau", "verify", day), first_seq=2)
    with pytest.raises(TransitionError):
        append_entries(custom, small_plan, [e2])
    assert verify_ledger(custom.records(), head=custom.head()).ok
    assert (
        reconcile(small_plan, (r.entry for r in custom.records()), day).tasks[0].status
        is TaskStatus.ASSIGNED
    )


def test_a_store_whose_records_were_cut_off_refuses_to_append(
    small_plan: WorkPlanView, make_entries: MakeEntries
) -> None:
    custom = ListStore()
    day = date(2020, 6, 1)
    append_entries(
        custom,
        small_plan,
        make_entries(("t1", "bureau", "assign", day), ("t2", "bureau", "assign", day)),
    )
    del custom.rows[-1]  # truncated behind the head's back
    (e3,) = make_entries(("t3", "bureau", "assign", day), first_seq=2)
    with pytest.raises(LedgerIntegrityError, match="the last ones are gone"):
        append_entries(custom, small_plan, [e3])
    custom.rows.append(
        LedgerRecord.seal(e3, prev_hash=custom.rows[0].hash)
    )  # rewritten behind the head's back
    with pytest.raises(LedgerIntegrityError, match="rewritten"):
        append_entries(
            custom,
            small_plan,
            make_entries(("t2", "bureau", "start", day), first_seq=3),
        )
