"""The hash chain: sealing, verification (edits, deletions, reordering, truncation)."""

from __future__ import annotations

import json
import pickle
from datetime import date, datetime, timedelta, timezone

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

from countypolicing.exceptions import (
    LedgerError,
    LedgerIntegrityError,
    ModelError,
    TransitionError,
    UnknownIdError,
)
from countypolicing.model import County, LedgerEntry, TaskAction, TaskStatus
from countypolicing.operations import (
    GENESIS_HASH,
    Ledger,
    LedgerHead,
    LedgerProblemKind,
    LedgerRecord,
    LedgerState,
    WorkPlanView,
    replay_tasks,
    verify_ledger,
)
from countypolicing.operations._ledger import (
    canonical_json,
    canonical_payload,
    record_from_json,
    record_to_json,
)

CST = timezone(timedelta(hours=8))


@pytest.fixture(scope="module")
def ledger(county: County) -> Ledger:
    return Ledger.from_entries(county.ledger)


def test_the_first_bundled_record_has_a_stable_hash(ledger: Ledger) -> None:
    """A golden value: changing the canonical form would orphan every stored ledger."""
    first = ledger.records[0]
    assert first.prev_hash == GENESIS_HASH
    assert first.hash == (
        "b0a6031c672be0109091a426d90552d821d29196f440ab568670ad55286e7c1f"
    )


def test_the_canonical_form_is_sorted_compact_utf8(ledger: Ledger) -> None:
    first = ledger.records[0]
    data = canonical_json(
        canonical_payload(first.entry, prev_hash=first.prev_hash, key=first.key)
    )
    text = data.decode("utf-8")
    assert text.startswith('{"action":"assign","actor_id":"yyl-psb",')
    assert '"at":"2020-05-11T09:10:00+08:00"' in text
    assert "挂图作战" in text  # not \\u-escaped
    assert " " not in text.replace("挂图作战：交办", "")


def test_each_record_links_to_the_one_before(ledger: Ledger) -> None:
    for before, after in zip(ledger.records, ledger.records[1:], strict=False):
        assert after.prev_hash == before.hash
    assert ledger.head == LedgerHead(count=429, last_hash=ledger.records[-1].hash)


def test_an_intact_ledger_verifies_with_and_without_its_head(ledger: Ledger) -> None:
    assert verify_ledger(ledger).ok
    v = verify_ledger(ledger, head=ledger.head)
    assert v.ok
    assert v.checked == 429
    assert v.good == ledger.head
    assert v.first_bad_seq is None
    v.raise_for_problem()


def _edited(ledger: Ledger, index: int, **changes: object) -> list[LedgerRecord]:
    records = list(ledger.records)
    entry = attrs.evolve(records[index].entry, **changes)  # type: ignore[arg-type]  # test data
    records[index] = attrs.evolve(records[index], entry=entry)
    return records


@pytest.mark.parametrize(
    "changes",
    [
        {"note": "改过"},
        {"actor_id": "someone-else"},
        {"at": datetime(2020, 5, 11, 9, 10, 1, tzinfo=CST)},
        {"evidence_ref": "evidence/forged.pdf"},
    ],
)
def test_an_edited_record_is_named(ledger: Ledger, changes: dict[str, object]) -> None:
    v = verify_ledger(_edited(ledger, 0, **changes), head=ledger.head)
    assert not v.ok
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.ALTERED
    assert v.first_bad_seq == 1
    assert v.good == LedgerHead()


def test_an_edit_that_recomputes_its_own_hash_breaks_the_next_link(
    ledger: Ledger,
) -> None:
    records = list(ledger.records)
    forged = attrs.evolve(records[99].entry, note="伪造")
    records[99] = LedgerRecord.seal(forged, prev_hash=records[99].prev_hash)
    v = verify_ledger(records, head=ledger.head)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.BROKEN_CHAIN
    assert v.first_bad_seq == 101
    assert v.good.count == 100


def test_a_deleted_record_is_missing(ledger: Ledger) -> None:
    records = [r for r in ledger.records if r.seq != 50]
    v = verify_ledger(records, head=ledger.head)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.MISSING
    assert v.first_bad_seq == 51
    assert "entry 50 missing" in v.problem.message


def test_swapped_records_are_out_of_order(ledger: Ledger) -> None:
    records = list(ledger.records)
    records[10], records[11] = records[11], records[10]
    v = verify_ledger(records)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.OUT_OF_ORDER
    assert v.first_bad_seq == 12


def test_a_duplicated_record_is_named(ledger: Ledger) -> None:
    records = list(ledger.records)
    records.insert(20, records[19])
    v = verify_ledger(records)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.DUPLICATE
    assert v.first_bad_seq == 20


def test_a_truncated_ledger_is_caught_only_by_its_head(ledger: Ledger) -> None:
    short = ledger.records[:-5]
    assert verify_ledger(short).ok  # without the head, a prefix looks fine
    v = verify_ledger(short, head=ledger.head)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.TRUNCATED
    assert v.first_bad_seq == 425
    assert "the last 5 are gone" in v.problem.message
    with pytest.raises(LedgerIntegrityError) as info:
        v.raise_for_problem(source="x.sqlite")
    assert info.value.seq == 425
    assert info.value.source == "x.sqlite"


def test_a_ledger_longer_than_its_head_or_rewritten_is_a_head_mismatch(
    ledger: Ledger,
) -> None:
    old_head = Ledger(ledger.records[:-1]).head
    v = verify_ledger(ledger, head=old_head)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.HEAD_MISMATCH
    other = LedgerHead(count=429, last_hash="f" * 64)
    v = verify_ledger(ledger, head=other)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.HEAD_MISMATCH


def test_time_running_backwards_is_named(ledger: Ledger) -> None:
    records = list(ledger.records[:3])
    early = attrs.evolve(records[2].entry, at=datetime(2020, 1, 1, tzinfo=CST))
    records[2] = LedgerRecord.seal(early, prev_hash=records[1].hash)
    v = verify_ledger(records)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.TIME_REVERSED
    assert v.first_bad_seq == 3


def test_a_reused_idempotency_key_is_named(county: County) -> None:
    records = Ledger.from_entries(county.ledger[:3], keys={1: "k", 3: "k"})
    v = verify_ledger(records)
    assert v.problem is not None
    assert v.problem.kind is LedgerProblemKind.DUPLICATE_KEY
    assert v.first_bad_seq == 3


@given(st.integers(0, 428), st.sampled_from(["note", "task_id", "seq"]))
def test_any_single_edit_is_found_at_or_right_after_the_edited_record(
    index: int, field: str
) -> None:
    from countypolicing.datasets import yueyanglou  # noqa: PLC0415  # cached loader

    ledger = Ledger.from_entries(yueyanglou().ledger)
    options: dict[str, dict[str, object]] = {
        "note": {"note": "x"},
        "task_id": {"task_id": "k99-t9"},
        "seq": {"seq": 10_000},
    }
    changes = options[field]
    v = verify_ledger(_edited(ledger, index, **changes), head=ledger.head)
    assert not v.ok
    assert v.first_bad_seq in {index + 1, 10_000}
    assert v.good.count == index


def test_from_entries_refuses_gaps_and_time_going_backwards(county: County) -> None:
    entries = list(county.ledger[:5])
    with pytest.raises(LedgerError, match="expected entry 2 next") as info:
        Ledger.from_entries([entries[0], entries[2]])
    assert info.value.seq == 3
    back = attrs.evolve(entries[1], at=datetime(2019, 1, 1, tzinfo=CST))
    with pytest.raises(LedgerError, match="time runs backwards"):
        Ledger.from_entries([entries[0], back])


def test_heads_and_records_check_their_hashes() -> None:
    with pytest.raises(ModelError):
        LedgerHead(count=1, last_hash="xyz")
    with pytest.raises(ModelError):
        LedgerHead(count=1, last_hash=GENESIS_HASH)
    with pytest.raises(ModelError):
        LedgerHead(count=0, last_hash="a" * 64)
    with pytest.raises(ModelError):
        LedgerHead(count=-1)


def test_a_blank_or_huge_idempotency_key_is_refused(ledger: Ledger) -> None:
    entry = ledger.records[0].entry
    for key in ("", "   ", "k" * 201):
        with pytest.raises(ModelError, match="idempotency key"):
            LedgerRecord.seal(entry, prev_hash=GENESIS_HASH, key=key)


def test_a_note_that_is_not_text_cannot_be_sealed(ledger: Ledger) -> None:
    entry = attrs.evolve(ledger.records[0].entry, note="bad \ud800 surrogate")
    with pytest.raises(LedgerError, match="cannot be written as JSON"):
        LedgerRecord.seal(entry, prev_hash=GENESIS_HASH)


def test_json_records_round_trip_exactly(ledger: Ledger) -> None:
    for record in ledger.records[:50]:
        text = json.dumps(record_to_json(record), ensure_ascii=False)
        assert record_from_json(json.loads(text)) == record


@pytest.mark.parametrize(
    ("change", "message"),
    [
        ({"extra": 1}, "unknown: extra"),
        ({"seq": True}, "seq must be an integer"),
        ({"seq": 1.0}, "seq must be an integer"),
        ({"at": "2020-05-11T09:10:00"}, "must carry a UTC offset"),
        ({"at": "yesterday"}, "not an ISO-8601"),
        ({"action": "approve"}, "approve"),
        ({"note": 7}, "note must be a string or null"),
        ({"hash": "nothex"}, "64 lowercase hex"),
        ({"supervision": "yellow"}, "supervision is given exactly"),
    ],
)
def test_malformed_json_records_say_what_is_wrong(
    ledger: Ledger, change: dict[str, object], message: str
) -> None:
    obj = record_to_json(ledger.records[0])
    obj.update(change)
    with pytest.raises((ValueError, TypeError), match=message):
        record_from_json(obj)


def test_missing_fields_are_listed(ledger: Ledger) -> None:
    obj = record_to_json(ledger.records[0])
    del obj["hash"], obj["key"]
    with pytest.raises(ValueError, match="missing: hash, key"):
        record_from_json(obj)


def test_the_state_advances_record_by_record_like_a_replay(
    ledger: Ledger, plan: WorkPlanView
) -> None:
    state = LedgerState(plan)
    for record in ledger.records:
        state.advance(record)
    assert state.head == ledger.head
    assert state.tasks() == replay_tasks(plan, ledger)
    assert state.last_at == ledger.records[-1].entry.at


def test_the_state_refuses_records_that_do_not_continue_the_chain(
    ledger: Ledger, plan: WorkPlanView
) -> None:
    state = LedgerState(plan)
    with pytest.raises(LedgerIntegrityError) as info:
        state.advance(ledger.records[1])
    assert info.value.seq == 2
    state.advance(ledger.records[0])
    bad = attrs.evolve(ledger.records[1], hash="0" * 63 + "1")
    with pytest.raises(LedgerIntegrityError, match="altered"):
        state.advance(bad)
    assert state.head.count == 1


def test_the_state_refuses_a_stored_record_that_is_an_illegal_step(
    plan: WorkPlanView,
) -> None:
    state = LedgerState(plan)
    entry = LedgerEntry(
        seq=1,
        at=datetime(2020, 6, 1, tzinfo=CST),
        task_id="k01-t1",
        actor_id="yyl-psb",
        action=TaskAction.VERIFY,
    )
    with pytest.raises(LedgerIntegrityError, match="cannot be replayed") as info:
        state.advance(LedgerRecord.seal(entry, prev_hash=GENESIS_HASH))
    assert isinstance(info.value.__cause__, TransitionError)


def test_checking_a_new_entry_does_not_change_the_state(plan: WorkPlanView) -> None:
    state = LedgerState(plan)
    entry = LedgerEntry(
        seq=1,
        at=datetime(2020, 6, 1, tzinfo=CST),
        task_id="k01-t1",
        actor_id="yyl-psb",
        action=TaskAction.ASSIGN,
    )
    assert state.check(entry).status is TaskStatus.ASSIGNED
    assert state.task("k01-t1").status is TaskStatus.PLANNED
    assert state.head == LedgerHead()
    with pytest.raises(UnknownIdError):
        state.check(attrs.evolve(entry, task_id="k99-t9"))
    with pytest.raises(LedgerError, match="expected entry 1"):
        state.check(attrs.evolve(entry, seq=2))


def test_records_for_tasks_outside_the_plan_only_move_the_head(
    small_plan: WorkPlanView, ledger: Ledger
) -> None:
    state = LedgerState(small_plan)
    state.advance(ledger.records[0])  # a bundled task, not in the small plan
    assert state.head.count == 1
    assert all(t.status is TaskStatus.PLANNED for t in state.tasks())


def test_ledger_errors_pickle_with_their_location() -> None:
    err = LedgerIntegrityError("bad", seq=3, line=4, source="l.jsonl")
    back = pickle.loads(pickle.dumps(err))  # noqa: S301  # our own bytes
    assert type(back) is LedgerIntegrityError
    assert (back.seq, back.line, back.source, str(back)) == (
        3,
        4,
        "l.jsonl",
        "l.jsonl:4: entry 3: bad",
    )
    assert str(LedgerError("x", line=2)) == "line 2: x"
    assert isinstance(err, ValueError)


def test_replay_as_of_a_day_ignores_later_entries(
    plan: WorkPlanView, county: County
) -> None:
    early = replay_tasks(plan, county.ledger, as_of=date(2020, 5, 10))
    assert all(t.status is TaskStatus.PLANNED for t in early)
    assert replay_tasks(plan, county.ledger) == county.replayed_tasks()
