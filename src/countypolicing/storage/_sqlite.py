"""The embedded default ledger store: one SQLite file (stdlib ``sqlite3``).

Durability and concurrency come from SQLite itself: WAL journal, ``synchronous =
FULL`` (each committed append is on disk before ``record`` returns), and one
``BEGIN IMMEDIATE`` transaction per append that first checks the stored head, so
writers in several processes take turns and never interleave. A process killed in
the middle of an append leaves the file as it was before that append.

Schema (version 1)::

    schema_version(version)                      one row
    meta(name PRIMARY KEY, value)                format marker
    entries(seq PRIMARY KEY, at, task_id, actor_id, action, note, evidence_ref,
            supervision, idem_key UNIQUE, prev_hash, hash)
    head(id = 1, count, last_hash)               kept apart from entries

Migrations run one step at a time on open; a file written by a newer version is
refused.
"""

from __future__ import annotations

import os
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Final, Literal, TypeVar
from urllib.parse import quote

from countypolicing.exceptions import LedgerError, LedgerIntegrityError, ModelError
from countypolicing.model import LedgerEntry, SupervisionLevel, TaskAction
from countypolicing.operations import (
    LedgerHead,
    LedgerRecord,
    LedgerVerification,
)
from countypolicing.operations._ledger import parse_timestamp
from countypolicing.storage._store import BaseLedger, check_continues

__all__ = ["SQLITE_SCHEMA_VERSION", "SQLiteLedger"]

_R = TypeVar("_R")

SQLITE_SCHEMA_VERSION: Final = 1
"""The version of the SQLite ledger schema this release writes.

Older files are migrated one step at a time when opened with write access; a file
with a newer version is refused.

Added in version 0.1.0.
"""

#: Marks the file as a countypolicing ledger (``PRAGMA application_id``, "CPLG").
APPLICATION_ID: Final = 0x43504C47

_FORMAT: Final = "countypolicing-ledger"
_PAGE: Final = 2000
_COLUMNS: Final = (
    "seq, at, task_id, actor_id, action, note, evidence_ref, supervision, idem_key, "
    "prev_hash, hash"
)

_V1: Final = (
    "CREATE TABLE schema_version (version INTEGER NOT NULL)",
    "CREATE TABLE meta (name TEXT PRIMARY KEY, value TEXT NOT NULL)",
    """CREATE TABLE entries (
        seq INTEGER PRIMARY KEY,
        at TEXT NOT NULL,
        task_id TEXT NOT NULL,
        actor_id TEXT NOT NULL,
        action TEXT NOT NULL,
        note TEXT,
        evidence_ref TEXT,
        supervision TEXT,
        idem_key TEXT UNIQUE,
        prev_hash TEXT NOT NULL,
        hash TEXT NOT NULL
    )""",
    "CREATE INDEX entries_task ON entries (task_id, seq)",
    """CREATE TABLE head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        count INTEGER NOT NULL,
        last_hash TEXT NOT NULL
    )""",
    "INSERT INTO head (id, count, last_hash) VALUES (1, 0, '" + "0" * 64 + "')",
    "INSERT INTO meta (name, value) VALUES ('format', 'countypolicing-ledger')",
)

#: ``MIGRATIONS[n]`` takes a file from schema version ``n`` to ``n + 1``.
MIGRATIONS: Final[dict[int, tuple[str, ...]]] = {0: _V1}

Synchronous = Literal["FULL", "EXTRA", "NORMAL"]


def _row_to_record(row: tuple[object, ...]) -> LedgerRecord:
    seq = row[0]
    try:
        (
            _,
            at,
            task_id,
            actor_id,
            action,
            note,
            evidence_ref,
            supervision,
            key,
            prev_hash,
            digest,
        ) = row
        if not (
            isinstance(seq, int)
            and isinstance(at, str)
            and isinstance(task_id, str)
            and isinstance(actor_id, str)
            and isinstance(action, str)
            and isinstance(prev_hash, str)
            and isinstance(digest, str)
            and all(
                isinstance(v, str | None)
                for v in (note, evidence_ref, supervision, key)
            )
        ):
            raise TypeError("a column holds a value of the wrong type")  # noqa: TRY301  # handled below with the rest
        entry = LedgerEntry(
            seq=seq,
            at=parse_timestamp(at),
            task_id=task_id,
            actor_id=actor_id,
            action=TaskAction(action),
            note=note,  # type: ignore[arg-type]  # checked above
            evidence_ref=evidence_ref,  # type: ignore[arg-type]  # checked above
            supervision=None if supervision is None else SupervisionLevel(supervision),  # type: ignore[arg-type]  # checked above
        )
        return LedgerRecord(
            entry=entry,
            prev_hash=prev_hash,
            hash=digest,
            key=key,  # type: ignore[arg-type]  # checked above
        )
    except (ValueError, TypeError, ModelError) as exc:
        raise LedgerIntegrityError(
            f"the stored row cannot be read: {exc}",
            seq=seq if isinstance(seq, int) else None,
        ) from exc


def _record_to_row(record: LedgerRecord) -> tuple[object, ...]:
    e = record.entry
    return (
        e.seq,
        e.at.isoformat(),
        e.task_id,
        e.actor_id,
        e.action.value,
        e.note,
        e.evidence_ref,
        None if e.supervision is None else e.supervision.value,
        record.key,
        record.prev_hash,
        record.hash,
    )


class SQLiteLedger(BaseLedger):
    """A task ledger kept in one SQLite file: the embedded default store.

    Appends (``record``, ``append``, ``extend``) are validated against the
    replayed task states, sealed into the hash chain and committed one
    transaction each; several processes may append to the same file at once.
    Reading (``records``, iteration, ``snapshot``, ``verify``) never blocks
    writers.

    Args:
        path: the ledger file (conventionally ``*.sqlite``).
        create: create the file when it does not exist; when False a missing
            file is a `LedgerError`.
        readonly: open without write access (appends then raise `LedgerError`).
        timeout: seconds to wait for another process's write to finish.
        synchronous: SQLite's durability setting. ``"FULL"`` (the default) makes
            every committed entry survive a power cut; ``"NORMAL"`` survives a
            crash of the process but may lose the latest entries on a power cut,
            and appends are much faster.

    Raises:
        LedgerError: the file is missing (``create=False``), cannot be opened or
            created, is not a countypolicing ledger, or was written by a newer
            version.

    Examples:
        >>> from datetime import datetime, timedelta, timezone
        >>> import countypolicing as cp
        >>> from countypolicing.operations import plan_from_county
        >>> plan = plan_from_county(cp.datasets.yueyanglou())
        >>> at = datetime(2020, 5, 11, 9, tzinfo=timezone(timedelta(hours=8)))
        >>> with SQLiteLedger(":memory:") as ledger:
        ...     r = ledger.record(
        ...         plan, task_id="k01-t1", actor_id="yyl-psb", action="assign", at=at
        ...     )
        ...     (r.seq, len(ledger), ledger.verify().ok)
        (1, 1, True)

    Added in version 0.1.0.
    """

    def __init__(
        self,
        path: str | os.PathLike[str],
        *,
        create: bool = True,
        readonly: bool = False,
        timeout: float = 30.0,
        synchronous: Synchronous = "FULL",
    ) -> None:
        self._lock = threading.RLock()
        self._states = {}
        self.path = os.fspath(path)
        memory = self.path == ":memory:"
        if not memory and not create and not Path(self.path).is_file():
            raise LedgerError(
                "no ledger file here; create one with `countypolicing tasks init`",
                source=self.path,
            )
        if synchronous not in ("FULL", "EXTRA", "NORMAL"):
            raise LedgerError(f"unknown synchronous setting {synchronous!r}")
        self.readonly = readonly
        try:
            if readonly and not memory:
                uri = f"file:{quote(str(Path(self.path).resolve()))}?mode=ro"
                conn = sqlite3.connect(
                    uri,
                    uri=True,
                    timeout=timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
            else:
                conn = sqlite3.connect(
                    self.path,
                    timeout=timeout,
                    isolation_level=None,
                    check_same_thread=False,
                )
        except sqlite3.Error as exc:
            raise LedgerError(
                f"cannot open the ledger: {exc}", source=self.path
            ) from exc
        self._conn = conn
        try:
            if not readonly:
                conn.execute("PRAGMA journal_mode = WAL")
            conn.execute(f"PRAGMA synchronous = {synchronous}")
            self._open_schema()
        except sqlite3.DatabaseError as exc:
            conn.close()
            raise LedgerError(
                f"not a countypolicing ledger, or it cannot be read: {exc}",
                source=self.path,
            ) from exc
        except LedgerError:
            conn.close()
            raise

    # ------------------------------------------------------------- schema
    def _version(self) -> int:
        tables = {
            name
            for (name,) in self._conn.execute(
                "SELECT name FROM sqlite_master WHERE type = 'table'"
            )
        }
        if "schema_version" not in tables:
            if tables:
                raise LedgerError(
                    "not a countypolicing ledger: the file holds tables "
                    f"({', '.join(sorted(tables))}) but no schema_version",
                    source=self.path,
                )
            return 0
        rows = self._conn.execute("SELECT version FROM schema_version").fetchall()
        if len(rows) != 1 or not isinstance(rows[0][0], int):
            raise LedgerError(
                "not a countypolicing ledger: schema_version must hold one number",
                source=self.path,
            )
        version: int = rows[0][0]
        return version

    def _open_schema(self) -> None:
        version = self._version()
        if version > SQLITE_SCHEMA_VERSION:
            raise LedgerError(
                f"written by a newer countypolicing (ledger schema {version}; this "
                f"version reads up to {SQLITE_SCHEMA_VERSION}); upgrade countypolicing",
                source=self.path,
            )
        if version == SQLITE_SCHEMA_VERSION:
            self._check_format()
            return
        if self.readonly:
            raise LedgerError(
                f"the ledger needs migrating from schema {version} to "
                f"{SQLITE_SCHEMA_VERSION}; open it once with write access",
                source=self.path,
            )
        self._transaction(self._migrate)

    def _migrate(self) -> None:
        version = self._version()  # again, inside the write lock
        while version < SQLITE_SCHEMA_VERSION:
            for statement in MIGRATIONS[version]:
                self._conn.execute(statement)
            version += 1
            self._conn.execute("DELETE FROM schema_version")
            self._conn.execute(
                "INSERT INTO schema_version (version) VALUES (?)", (version,)
            )
        self._conn.execute(f"PRAGMA application_id = {APPLICATION_ID}")

    def _check_format(self) -> None:
        row = self._conn.execute(
            "SELECT value FROM meta WHERE name = 'format'"
        ).fetchone()
        if row is None or row[0] != _FORMAT:
            raise LedgerError("not a countypolicing ledger", source=self.path)

    def _transaction(self, body: Callable[[], object]) -> None:
        conn = self._conn
        try:
            conn.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise LedgerError(
                f"cannot write to the ledger: {exc}; nothing was written",
                source=self.path,
            ) from exc
        try:
            body()
            conn.execute("COMMIT")
        except BaseException as exc:
            try:
                if conn.in_transaction:
                    conn.execute("ROLLBACK")
            except sqlite3.Error:  # pragma: no cover  # SQLite rolled back already
                pass
            if isinstance(exc, sqlite3.Error):
                raise LedgerError(
                    f"cannot write to the ledger: {exc}; nothing was written",
                    source=self.path,
                ) from exc
            raise

    # ------------------------------------------------------------- primitives
    def head(self) -> LedgerHead:
        """The stored head (kept in its own table, updated with every append)."""
        with self._lock:
            try:
                row = self._conn.execute(
                    "SELECT count, last_hash FROM head WHERE id = 1"
                ).fetchone()
            except sqlite3.Error as exc:
                raise LedgerError(
                    f"cannot read the ledger: {exc}", source=self.path
                ) from exc
        if row is None:
            raise LedgerIntegrityError("the head row is missing", source=self.path)
        try:
            return LedgerHead(count=row[0], last_hash=row[1])
        except (ModelError, TypeError) as exc:
            raise LedgerIntegrityError(
                f"the head row cannot be read: {exc}", source=self.path
            ) from exc

    def records(self, *, after: int = 0) -> Iterator[LedgerRecord]:
        """The records above sequence number ``after``, in order, read page by page."""
        last = after
        while True:
            with self._lock:
                try:
                    rows = self._conn.execute(
                        f"SELECT {_COLUMNS} FROM entries WHERE seq > ? "  # noqa: S608  # constant column list
                        "ORDER BY seq LIMIT ?",
                        (last, _PAGE),
                    ).fetchall()
                except sqlite3.Error as exc:
                    raise LedgerError(
                        f"cannot read the ledger: {exc}", source=self.path
                    ) from exc
            for row in rows:
                yield _row_to_record(row)
            if len(rows) < _PAGE:
                return
            last = rows[-1][0]

    def find_key(self, key: str) -> LedgerRecord | None:
        """The record appended under idempotency key ``key``, if any."""
        with self._lock:
            try:
                row = self._conn.execute(
                    f"SELECT {_COLUMNS} FROM entries WHERE idem_key = ?",  # noqa: S608  # constant column list
                    (key,),
                ).fetchone()
            except sqlite3.Error as exc:
                raise LedgerError(
                    f"cannot read the ledger: {exc}", source=self.path
                ) from exc
        return None if row is None else _row_to_record(row)

    def write(self, records: Sequence[LedgerRecord], *, expected: LedgerHead) -> bool:
        """Append ``records`` in one transaction if the head is still ``expected``.

        Returns False, writing nothing, when another writer moved the head.

        Raises:
            LedgerError: the file cannot be written (disk full, read-only…);
                nothing was written.
            LedgerIntegrityError: the records do not continue the chain.
        """
        new = check_continues(records, expected)
        if not records:
            return True
        if self.readonly:
            raise LedgerError(
                "the ledger is open read-only; nothing was written", source=self.path
            )
        moved = False

        def body() -> None:
            nonlocal moved
            row = self._conn.execute(
                "SELECT count, last_hash FROM head WHERE id = 1"
            ).fetchone()
            if row is None or (row[0], row[1]) != (expected.count, expected.last_hash):
                moved = True
                return
            self._conn.executemany(
                f"INSERT INTO entries ({_COLUMNS}) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",  # noqa: S608  # constant column list
                [_record_to_row(r) for r in records],
            )
            self._conn.execute(
                "UPDATE head SET count = ?, last_hash = ? WHERE id = 1",
                (new.count, new.last_hash),
            )

        with self._lock:
            self._transaction(body)
        return not moved

    # ------------------------------------------------------------- reading
    def _consistent(self, read: Callable[[], _R]) -> _R:
        # One read transaction: the head and the records come from one snapshot.
        with self._lock:
            conn = self._conn
            try:
                conn.execute("BEGIN")
            except sqlite3.Error as exc:
                raise LedgerError(
                    f"cannot read the ledger: {exc}", source=self.path
                ) from exc
            try:
                return read()
            finally:
                if conn.in_transaction:
                    conn.execute("COMMIT")

    def verify(self, *, head: LedgerHead | None = None) -> LedgerVerification:
        """Check the chain against the stored head (or ``head``) and the file itself.

        Runs SQLite's ``quick_check`` first; a damaged file is reported as a
        `LedgerIntegrityError`. Then every record's hash and link is checked.

        Raises:
            LedgerIntegrityError: SQLite finds the file damaged, or a row cannot
                be read at all.
        """
        with self._lock:
            rows = self._conn.execute("PRAGMA quick_check").fetchall()
        if rows != [("ok",)]:
            problems = "; ".join(str(r[0]) for r in rows[:3])
            raise LedgerIntegrityError(
                f"the SQLite file is damaged: {problems}", source=self.path
            )
        return super().verify(head=head)

    def close(self) -> None:
        """Close the file. Safe to call twice."""
        with self._lock:
            self._conn.close()

    def __repr__(self) -> str:
        return f"SQLiteLedger({self.path!r})"
