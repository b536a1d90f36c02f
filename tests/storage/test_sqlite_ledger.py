"""The SQLite ledger: schema and versions, tampering, faults, crashes, concurrency."""

from __future__ import annotations

import contextlib
import os
import random
import signal
import sqlite3
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

import pytest

from countypolicing.exceptions import LedgerError, LedgerIntegrityError, TransitionError
from countypolicing.model import County, KeyWorkItem, Task, TaskAction, WorkPlan
from countypolicing.operations import (
    LedgerHead,
    LedgerProblemKind,
    WorkPlanView,
    replay_tasks,
)
from countypolicing.storage import SQLITE_SCHEMA_VERSION, SQLiteLedger, _sqlite

CST = timezone(timedelta(hours=8))
AT = datetime(2020, 6, 1, 9, tzinfo=CST)
needs_fork = pytest.mark.skipif(not hasattr(os, "fork"), reason="needs os.fork")


@pytest.fixture
def path(tmp_path: Path) -> Path:
    return tmp_path / "ledger.sqlite"


@pytest.fixture
def filled(path: Path, plan: WorkPlanView, county: County) -> Path:
    with SQLiteLedger(path) as ledger:
        ledger.extend(plan, county.ledger)
    return path


def raw(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path, isolation_level=None)


def test_a_new_file_gets_the_schema_wal_and_full_sync(path: Path) -> None:
    with SQLiteLedger(path) as ledger:
        conn = ledger._conn
        assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)
        assert conn.execute("PRAGMA synchronous").fetchone() == (2,)  # FULL
        assert conn.execute("SELECT version FROM schema_version").fetchall() == [
            (SQLITE_SCHEMA_VERSION,)
        ]
        assert conn.execute("PRAGMA application_id").fetchone() == (
            _sqlite.APPLICATION_ID,
        )
        assert ledger.head() == LedgerHead()
        assert repr(ledger) == f"SQLiteLedger({str(path)!r})"


def test_entries_survive_closing_and_reopening(
    filled: Path, plan: WorkPlanView, county: County
) -> None:
    with SQLiteLedger(filled, create=False) as again:
        assert len(again) == 429
        assert again.verify().ok
        assert replay_tasks(plan, again) == replay_tasks(plan, county.ledger)
        r = again.record(
            plan,
            task_id="k01-t2",
            actor_id="yyl-psb",
            action="close_out",
            at=AT.replace(month=9, day=16),
        )
        assert r.seq == 430


def test_a_missing_file_is_not_created_when_asked_not_to(path: Path) -> None:
    with pytest.raises(LedgerError, match="no ledger file here") as info:
        SQLiteLedger(path, create=False)
    assert info.value.source == str(path)
    assert not path.exists()


def test_a_file_from_a_newer_version_is_refused(path: Path) -> None:
    SQLiteLedger(path).close()
    with raw(path) as conn:
        conn.execute("UPDATE schema_version SET version = 99")
    with pytest.raises(LedgerError, match="written by a newer countypolicing"):
        SQLiteLedger(path)


@pytest.mark.parametrize(
    "setup",
    [
        "CREATE TABLE customers (id INTEGER)",
        (
            "CREATE TABLE schema_version (version INTEGER); "
            "INSERT INTO schema_version VALUES (1); INSERT INTO schema_version VALUES (1)"
        ),
        (
            "CREATE TABLE schema_version (version INTEGER); "
            "INSERT INTO schema_version VALUES (1); CREATE TABLE meta (name, value)"
        ),
    ],
)
def test_a_database_that_is_not_a_ledger_is_refused(path: Path, setup: str) -> None:
    with raw(path) as conn:
        conn.executescript(setup)
    with pytest.raises(LedgerError, match="not a countypolicing ledger"):
        SQLiteLedger(path)


def test_a_file_that_is_not_sqlite_is_refused(path: Path) -> None:
    path.write_bytes(b"this is a text file, not a database\n" * 100)
    with pytest.raises(LedgerError, match="not a countypolicing ledger"):
        SQLiteLedger(path)
    assert path.read_bytes().startswith(b"this is a text file")


def test_an_empty_file_from_an_older_version_is_migrated(path: Path) -> None:
    raw(path).close()  # schema version 0: an empty SQLite file
    with SQLiteLedger(path) as ledger:
        assert ledger.head() == LedgerHead()


def test_a_read_only_open_does_not_migrate(path: Path) -> None:
    raw(path).close()
    with pytest.raises(LedgerError, match="needs migrating"):
        SQLiteLedger(path, readonly=True)


def test_a_read_only_ledger_refuses_appends_and_keeps_everything(
    filled: Path, plan: WorkPlanView
) -> None:
    with SQLiteLedger(filled, readonly=True) as ledger:
        assert ledger.verify().ok
        with pytest.raises(LedgerError, match="read-only; nothing was written"):
            ledger.record(
                plan,
                task_id="k01-t2",
                actor_id="yyl-psb",
                action="close_out",
                at=AT.replace(month=10),
            )
    with SQLiteLedger(filled) as ledger:
        assert len(ledger) == 429


# ---------------------------------------------------------------- tampering
def _verify(path: Path) -> tuple[LedgerProblemKind | None, int | None]:
    with SQLiteLedger(path) as ledger:
        v = ledger.verify()
    return (None if v.problem is None else v.problem.kind), v.first_bad_seq


@pytest.mark.parametrize(
    ("sql", "kind", "seq"),
    [
        (
            "UPDATE entries SET note = '改' WHERE seq = 17",
            LedgerProblemKind.ALTERED,
            17,
        ),
        (
            "UPDATE entries SET actor_id = 'x' WHERE seq = 1",
            LedgerProblemKind.ALTERED,
            1,
        ),
        ("DELETE FROM entries WHERE seq = 200", LedgerProblemKind.MISSING, 201),
        ("DELETE FROM entries WHERE seq > 420", LedgerProblemKind.TRUNCATED, 421),
        (
            (
                "UPDATE entries SET seq = -seq WHERE seq IN (30, 31); "
                "UPDATE entries SET seq = 31 WHERE seq = -30; "
                "UPDATE entries SET seq = 30 WHERE seq = -31"
            ),
            LedgerProblemKind.BROKEN_CHAIN,
            30,
        ),
        ("UPDATE head SET count = 430", LedgerProblemKind.TRUNCATED, 430),
        (
            "UPDATE head SET last_hash = '" + "a" * 64 + "'",
            LedgerProblemKind.HEAD_MISMATCH,
            429,
        ),
    ],
)
def test_tampering_with_the_file_is_found_and_located(
    filled: Path, sql: str, kind: LedgerProblemKind, seq: int
) -> None:
    with raw(filled) as conn:
        conn.executescript(sql)
    assert _verify(filled) == (kind, seq)


def test_a_tampered_ledger_refuses_further_appends(
    filled: Path, plan: WorkPlanView
) -> None:
    with raw(filled) as conn:
        conn.execute("DELETE FROM entries WHERE seq > 425")
    with SQLiteLedger(filled) as ledger, pytest.raises(LedgerIntegrityError):
        ledger.record(
            plan,
            task_id="k01-t2",
            actor_id="yyl-psb",
            action="close_out",
            at=AT.replace(month=10),
        )


def test_a_rewritten_head_is_caught_by_a_head_kept_elsewhere(filled: Path) -> None:
    with SQLiteLedger(filled) as ledger:
        kept = ledger.head()
    with raw(filled) as conn:  # cut the last entry and rewrite the stored head
        (prev,) = conn.execute("SELECT hash FROM entries WHERE seq = 428").fetchone()
        conn.execute("DELETE FROM entries WHERE seq = 429")
        conn.execute("UPDATE head SET count = 428, last_hash = ?", (prev,))
    with SQLiteLedger(filled) as ledger:
        assert ledger.verify().ok  # consistent with itself
        v = ledger.verify(head=kept)
        assert v.problem is not None
        assert v.problem.kind is LedgerProblemKind.TRUNCATED


def test_an_unreadable_row_is_an_integrity_error(filled: Path) -> None:
    with raw(filled) as conn:
        conn.execute("UPDATE entries SET action = 'approve' WHERE seq = 3")
    with SQLiteLedger(filled) as ledger, pytest.raises(LedgerIntegrityError) as info:
        ledger.verify()
    assert info.value.seq == 3


# ---------------------------------------------------------------- faults
def test_a_full_disk_is_a_ledger_error_and_nothing_is_lost(
    path: Path, plan: WorkPlanView, county: County
) -> None:
    with SQLiteLedger(path) as ledger:
        ledger.extend(plan, county.ledger[:100])
        pages = ledger._conn.execute("PRAGMA page_count").fetchone()[0]
        ledger._conn.execute(f"PRAGMA max_page_count = {pages + 1}")

        def fill_up() -> None:
            for i in range(1000):
                ledger.record(
                    plan,
                    task_id="k01-t1",
                    actor_id="yyl-psb",
                    action="note",
                    at=AT.replace(month=10),
                    note="备注" * 500 + str(i),
                )

        with pytest.raises(LedgerError, match=r"full.*nothing was written") as info:
            fill_up()
        assert info.value.source == str(path)
        written = len(ledger)
        assert written >= 100
        assert ledger.verify().ok
        ledger._conn.execute("PRAGMA max_page_count = 1073741823")
        # The store carries on from where it was: nothing half-written.
        r = ledger.record(
            plan,
            task_id="k01-t1",
            actor_id="yyl-psb",
            action="note",
            at=AT.replace(month=10),
            note="after",
        )
        assert r.seq == written + 1
    with SQLiteLedger(path) as again:
        assert again.verify().ok
        assert len(again) == written + 1


def test_a_read_only_file_underneath_is_a_ledger_error_and_nothing_is_lost(
    filled: Path, plan: WorkPlanView
) -> None:
    ledger = SQLiteLedger(filled)
    try:
        writable = ledger._conn
        ledger._conn = sqlite3.connect(
            f"file:{filled}?mode=ro", uri=True, isolation_level=None
        )
        with pytest.raises(LedgerError, match=r"readonly.*nothing was written"):
            ledger.record(
                plan,
                task_id="k01-t2",
                actor_id="yyl-psb",
                action="close_out",
                at=AT.replace(month=10),
            )
        ledger._conn.close()
        ledger._conn = writable
        assert len(ledger) == 429
        assert (
            ledger.record(
                plan,
                task_id="k01-t2",
                actor_id="yyl-psb",
                action="close_out",
                at=AT.replace(month=10),
            ).seq
            == 430
        )
    finally:
        ledger.close()


def test_a_directory_that_cannot_be_written_is_a_ledger_error(
    path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(*_args: object, **_kwargs: object) -> sqlite3.Connection:
        raise sqlite3.OperationalError("unable to open database file")

    monkeypatch.setattr(sqlite3, "connect", refuse)
    with pytest.raises(LedgerError, match="cannot open the ledger"):
        SQLiteLedger(path)
    assert not path.exists()


def test_another_process_holding_the_lock_is_waited_for_then_reported(
    filled: Path, plan: WorkPlanView
) -> None:
    blocker = raw(filled)
    blocker.execute("BEGIN IMMEDIATE")
    try:
        with SQLiteLedger(filled, timeout=0.2) as ledger:
            with pytest.raises(LedgerError, match="locked"):
                ledger.record(
                    plan,
                    task_id="k01-t2",
                    actor_id="yyl-psb",
                    action="close_out",
                    at=AT.replace(month=10),
                )
            blocker.execute("ROLLBACK")
            assert (
                ledger.record(
                    plan,
                    task_id="k01-t2",
                    actor_id="yyl-psb",
                    action="close_out",
                    at=AT.replace(month=10),
                ).seq
                == 430
            )
    finally:
        blocker.close()


# ---------------------------------------------------------------- crashes
def _many_task_plan(n: int) -> WorkPlanView:
    return WorkPlanView(
        plan=WorkPlan(
            id="p",
            title_zh="方案",
            owner_id="bureau",
            start=date(2020, 1, 1),
            end=date(2020, 12, 31),
        ),
        key_items=[
            KeyWorkItem(
                id="k", plan_id="p", number=1, title_zh="重点", lead_owner_id="bureau"
            )
        ],
        tasks=[
            Task(
                id=f"t{i}",
                key_item_id="k",
                title_zh="任务",
                lead_owner_id="bureau",
                deadline=date(2020, 12, 31),
            )
            for i in range(n)
        ],
    )


def _child(body: object) -> int:
    """Fork; the child runs ``body()`` and exits without running pytest's code."""
    pid = os.fork()
    if pid == 0:  # pragma: no cover  # runs in the child
        code = 0
        try:
            body()  # type: ignore[operator]  # a callable
        except BaseException:  # noqa: BLE001  # report through the exit code
            code = 3
        os._exit(code)
    return pid


@needs_fork
def test_a_writer_killed_at_random_points_never_loses_a_committed_entry(
    path: Path,
) -> None:
    plan = _many_task_plan(50)
    SQLiteLedger(path).close()
    rng = random.Random(2020)  # noqa: S311  # kill times, not secrets
    committed: set[int] = set()
    runs_with_writes = 0
    for run in range(60):
        read_end, write_end = os.pipe()

        def write_until_killed(
            run: int = run, read_end: int = read_end, write_end: int = write_end
        ) -> None:
            os.close(read_end)
            ledger = SQLiteLedger(path)
            i = 0
            while True:
                task = f"t{i % 50}"
                action = ("assign", "start", "note")[min(i // 50, 2)]
                try:
                    record = ledger.record(
                        plan,
                        task_id=task,
                        actor_id="bureau",
                        action=action,
                        at=AT,
                        note=f"run {run}",
                    )
                except TransitionError:
                    record = ledger.record(
                        plan, task_id=task, actor_id="bureau", action="note", at=AT
                    )
                os.write(write_end, f"{record.seq}\n".encode())
                i += 1

        pid = _child(write_until_killed)
        os.close(write_end)
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(pid, signal.SIGKILL)
        _, status = os.waitpid(pid, 0)
        assert os.WIFSIGNALED(status), "the writer died on its own"
        with os.fdopen(read_end, "rb") as pipe:
            reported = pipe.read().decode().split("\n")
        seqs = {int(s) for s in reported[:-1] if s}  # the last piece may be partial
        runs_with_writes += bool(seqs)
        committed |= seqs
        with SQLiteLedger(path, create=False) as ledger:
            v = ledger.verify()
            assert v.ok, (run, v.problem)
            stored = [r.seq for r in ledger.records()]
            assert stored == list(range(1, len(stored) + 1))
            assert committed <= set(stored), sorted(committed - set(stored))[:5]
            replay_tasks(plan, ledger)  # every stored step replays
    assert runs_with_writes >= 20


@needs_fork
def test_two_processes_appending_a_thousand_entries_each_keep_the_chain(
    path: Path,
) -> None:
    plan = _many_task_plan(2)
    SQLiteLedger(path).close()

    def writer(task: str) -> None:
        with SQLiteLedger(path, synchronous="NORMAL") as ledger:
            for i in range(1000):
                ledger.record(
                    plan,
                    task_id=task,
                    actor_id="bureau",
                    action="note",
                    at=AT,
                    note=str(i),
                )

    pids = [_child(lambda t=t: writer(t)) for t in ("t0", "t1")]
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WIFEXITED(status)
        assert os.WEXITSTATUS(status) == 0
    with SQLiteLedger(path) as ledger:
        assert ledger.verify().ok
        entries = list(ledger)
    assert len(entries) == 2000
    assert [e.seq for e in entries] == list(range(1, 2001))
    for task in ("t0", "t1"):
        notes = [e.note for e in entries if e.task_id == task]
        assert notes == [str(i) for i in range(1000)]


@needs_fork
def test_racing_processes_cannot_both_assign_the_same_task(path: Path) -> None:
    plan = _many_task_plan(150)
    SQLiteLedger(path).close()

    def assigner(order: int) -> None:
        ids = [t.id for t in plan.tasks][:: 1 if order == 0 else -1]
        with SQLiteLedger(path, synchronous="NORMAL") as ledger:
            for task_id in ids:
                with contextlib.suppress(TransitionError):  # the other got in first
                    ledger.record(
                        plan,
                        task_id=task_id,
                        actor_id=f"w{order}",
                        action="assign",
                        at=AT,
                    )

    pids = [_child(lambda o=o: assigner(o)) for o in (0, 1)]
    for pid in pids:
        _, status = os.waitpid(pid, 0)
        assert os.WEXITSTATUS(status) == 0
    with SQLiteLedger(path) as ledger:
        assert ledger.verify().ok
        entries = list(ledger)
    assert len(entries) == 150
    assert sorted(e.task_id for e in entries) == sorted(t.id for t in plan.tasks)
    assert {e.action for e in entries} == {TaskAction.ASSIGN}


def test_records_are_read_page_by_page(
    filled: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(_sqlite, "_PAGE", 50)
    with SQLiteLedger(filled) as ledger:
        assert [r.seq for r in ledger.records(after=390)] == list(range(391, 430))
        assert len(ledger.snapshot()) == 429
        assert ledger.verify().ok
