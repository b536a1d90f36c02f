"""JSON Lines export and import: round trips, damage found by line, recovery."""

from __future__ import annotations

import errno
import json
import os
from pathlib import Path

import pytest

from countypolicing.exceptions import LedgerError, LedgerIntegrityError
from countypolicing.model import County
from countypolicing.operations import (
    Ledger,
    LedgerHead,
    LedgerProblemKind,
    WorkPlanView,
    verify_ledger,
)
from countypolicing.storage import (
    JSONL_SCHEMA_VERSION,
    MemoryLedger,
    SQLiteLedger,
    export_jsonl,
    import_jsonl,
)


@pytest.fixture(scope="module")
def ledger(county: County) -> Ledger:
    return Ledger.from_entries(county.ledger, keys={5: "cell-5"})


@pytest.fixture
def exported(tmp_path: Path, ledger: Ledger) -> Path:
    path = tmp_path / "ledger.jsonl"
    export_jsonl(ledger, path)
    return path


def lines(path: Path) -> list[str]:
    return path.read_text(encoding="utf-8").splitlines(keepends=True)


def rewrite(path: Path, new: list[str]) -> Path:
    path.write_text("".join(new), encoding="utf-8")
    return path


def test_an_export_reads_back_identically(exported: Path, ledger: Ledger) -> None:
    found = import_jsonl(exported)
    assert found.ok
    assert found.ledger == ledger
    assert found.head == ledger.head
    assert found.source == str(exported)


def test_the_file_has_a_format_line_a_line_per_record_and_a_head_line(
    exported: Path, ledger: Ledger
) -> None:
    text = lines(exported)
    assert len(text) == 429 + 2
    assert json.loads(text[0]) == {
        "format": "countypolicing-ledger",
        "schema_version": JSONL_SCHEMA_VERSION,
    }
    assert json.loads(text[-1]) == {
        "head": {"count": 429, "last_hash": ledger.head.last_hash}
    }
    first = json.loads(text[1])
    assert first["seq"] == 1
    assert first["at"] == "2020-05-11T09:10:00+08:00"
    assert json.loads(text[5])["key"] == "cell-5"
    assert "挂图作战" in text[1]
    assert all(t.endswith("\n") for t in text)


def test_a_store_exports_and_another_store_restores(
    tmp_path: Path, plan: WorkPlanView, county: County
) -> None:
    path = tmp_path / "backup.jsonl"
    with SQLiteLedger(tmp_path / "a.sqlite") as a:
        a.extend(plan, county.ledger)
        head = export_jsonl(a, path)
        assert head == a.head()
    copy = MemoryLedger()
    copy.restore(import_jsonl(path).ledger)
    assert copy.head() == head
    assert copy.verify().ok


def test_a_damaged_ledger_is_not_exported(
    tmp_path: Path, plan: WorkPlanView, county: County
) -> None:
    db = tmp_path / "a.sqlite"
    with SQLiteLedger(db) as a:
        a.extend(plan, county.ledger[:20])
    import sqlite3  # noqa: PLC0415  # only to damage the file

    with sqlite3.connect(db) as conn:
        conn.execute("UPDATE entries SET note = 'x' WHERE seq = 7")
    out = tmp_path / "out.jsonl"
    with SQLiteLedger(db) as a, pytest.raises(LedgerIntegrityError) as info:
        export_jsonl(a, out)
    assert info.value.seq == 7
    assert not out.exists()


@pytest.mark.parametrize(
    ("damage", "kind", "line", "good"),
    [
        # a truncated last record (the write stopped mid-line)
        (lambda t: [*t[:-2], t[-2][:40]], LedgerProblemKind.MALFORMED, 430, 428),
        # the head line is gone: the file was cut at a line end
        (lambda t: t[:-1], LedgerProblemKind.TRUNCATED, 431, 429),
        # whole records cut off, head kept
        (lambda t: [*t[:-4], t[-1]], LedgerProblemKind.TRUNCATED, 428, 426),
        # a duplicated record
        (lambda t: [*t[:11], t[10], *t[11:]], LedgerProblemKind.DUPLICATE, 12, 10),
        # two records swapped
        (lambda t: [*t[:6], t[7], t[6], *t[8:]], LedgerProblemKind.OUT_OF_ORDER, 7, 5),
        # a record deleted
        (lambda t: [*t[:6], *t[7:]], LedgerProblemKind.MISSING, 7, 5),
        # a byte flipped inside a value: the hash no longer matches
        (
            lambda t: [*t[:3], t[3].replace("交办", "交辦"), *t[4:]],
            LedgerProblemKind.ALTERED,
            4,
            2,
        ),
        # a byte flipped in the syntax
        (
            lambda t: [*t[:3], t[3].replace('"seq":3', '"seq"=3'), *t[4:]],
            LedgerProblemKind.MALFORMED,
            4,
            2,
        ),
        # a blank line
        (lambda t: [*t[:3], "\n", *t[3:]], LedgerProblemKind.MALFORMED, 4, 2),
        # text after the head line
        (lambda t: [*t, t[1]], LedgerProblemKind.MALFORMED, 432, 429),
    ],
)
def test_damage_is_found_with_its_line_and_the_good_prefix_is_offered(
    exported: Path,
    damage: object,
    kind: LedgerProblemKind,
    line: int,
    good: int,
) -> None:
    rewrite(exported, damage(lines(exported)))  # type: ignore[operator]  # a lambda
    with pytest.raises(LedgerIntegrityError) as info:
        import_jsonl(exported)
    assert info.value.line == line
    assert info.value.source == str(exported)
    found = import_jsonl(exported, recover=True)
    assert not found.ok
    assert found.problem is not None
    assert found.problem.kind is kind
    assert found.problem.line == line
    assert len(found.ledger) == good
    assert verify_ledger(found.ledger).ok
    assert [r.seq for r in found.ledger.records] == list(range(1, good + 1))


def test_a_flipped_byte_anywhere_is_never_silent(exported: Path) -> None:
    data = exported.read_bytes()
    for offset in range(80, len(data) - 2, len(data) // 97):
        flipped = bytearray(data)
        flipped[offset] ^= 0x01
        exported.write_bytes(bytes(flipped))
        try:
            found = import_jsonl(exported, recover=True)
        except LedgerError:
            continue  # the format line itself was hit: refused outright
        assert not found.ok, offset


@pytest.mark.parametrize(
    ("old", "new", "message"),
    [
        ('"seq":3', '"seq":NaN', "NaN is not allowed"),
        ('"seq":3', '"seq":Infinity', "Infinity is not allowed"),
        ('"seq":3', '"seq":1e999', "out of range"),
        ('"seq":3', '"seq":3,"seq":3', "duplicate key 'seq'"),
        ("+08:00", "", "must carry a UTC offset"),
        ("T09", "U09", "not in the form the ledger writes"),
        ("T09:45:00", "T09:45", "not in the form the ledger writes"),
        ('"seq":3', '"seq":3.0', "seq must be an integer"),
        ('"seq":3', '"seq":3,"extra":1', "unknown: extra"),
    ],
)
def test_json_traps_are_refused_with_the_line(
    exported: Path, old: str, new: str, message: str
) -> None:
    text = lines(exported)
    text[3] = text[3].replace(old, new, 1)
    rewrite(exported, text)
    found = import_jsonl(exported, recover=True)
    assert found.problem is not None
    assert found.problem.line == 4
    assert message in found.problem.message
    assert len(found.ledger) == 2


def test_invalid_utf8_is_malformed_not_a_crash(exported: Path) -> None:
    data = bytearray(exported.read_bytes())
    third = data.index(b'"seq":3,')
    data[third] = 0xFF
    exported.write_bytes(bytes(data))
    found = import_jsonl(exported, recover=True)
    assert found.problem is not None
    assert found.problem.kind is LedgerProblemKind.MALFORMED
    assert found.problem.line == 4


@pytest.mark.parametrize(
    ("first", "message"),
    [
        (
            '{"format":"countypolicing-ledger","schema_version":99}',
            "newer countypolicing",
        ),
        ('{"format":"something-else","schema_version":1}', "not a countypolicing"),
        ('{"format":"countypolicing-ledger"}', "unknown fields"),
        (
            '{"format":"countypolicing-ledger","schema_version":"1"}',
            "must be an integer",
        ),
        (
            '{"format":"countypolicing-ledger","schema_version":0}',
            "unknown schema_version",
        ),
        ("not json at all", "not a countypolicing ledger export"),
    ],
)
def test_a_bad_format_line_is_refused_even_with_recovery(
    exported: Path, first: str, message: str
) -> None:
    text = lines(exported)
    rewrite(exported, [first + "\n", *text[1:]])
    with pytest.raises(LedgerError, match=message) as info:
        import_jsonl(exported, recover=True)
    assert info.value.line == 1


def test_an_empty_or_missing_file_is_refused(tmp_path: Path) -> None:
    empty = tmp_path / "empty.jsonl"
    empty.write_bytes(b"")
    with pytest.raises(LedgerError, match="empty file"):
        import_jsonl(empty)
    with pytest.raises(LedgerError, match="cannot read"):
        import_jsonl(tmp_path / "missing.jsonl")


def test_a_bad_head_line_is_reported(exported: Path) -> None:
    text = lines(exported)
    rewrite(exported, [*text[:-1], '{"head":{"count":"many","last_hash":"x"}}\n'])
    found = import_jsonl(exported, recover=True)
    assert found.problem is not None
    assert found.problem.line == 431
    assert len(found.ledger) == 429


def test_a_full_disk_during_export_changes_nothing(
    exported: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = exported.read_bytes()
    smaller = Ledger(ledger.records[:10])

    def no_space(_fd: int, _data: object) -> int:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", no_space)  # the writer's os module
    with pytest.raises(LedgerError, match="No space left on device") as info:
        export_jsonl(smaller, exported)
    monkeypatch.undo()
    assert info.value.source == str(exported)
    assert exported.read_bytes() == before
    assert sorted(p.name for p in exported.parent.iterdir()) == ["ledger.jsonl"]


def test_a_read_only_directory_during_export_changes_nothing(
    exported: Path, ledger: Ledger, monkeypatch: pytest.MonkeyPatch
) -> None:
    before = exported.read_bytes()
    real_open = os.open

    def read_only(path: object, flags: int, *args: object) -> int:
        if flags & os.O_CREAT:
            raise OSError(errno.EROFS, "Read-only file system")
        return real_open(path, flags, *args)  # type: ignore[arg-type]  # passthrough

    monkeypatch.setattr(os, "open", read_only)  # the writer's os module
    with pytest.raises(LedgerError, match="Read-only file system"):
        export_jsonl(Ledger(ledger.records[:10]), exported)
    monkeypatch.undo()
    assert exported.read_bytes() == before
    assert import_jsonl(exported).head == LedgerHead(
        count=429, last_hash=ledger.head.last_hash
    )
