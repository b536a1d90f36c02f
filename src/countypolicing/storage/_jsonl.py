r"""JSON Lines export and import of a ledger, with damage found line by line.

File layout (UTF-8, one JSON object per line, ``\\n`` line ends)::

    {"format":"countypolicing-ledger","schema_version":1}
    {"action":"assign",...,"hash":"…","prev_hash":"…","seq":1,...}
    ...
    {"head":{"count":429,"last_hash":"…"}}

The last line repeats the head, so a file cut short is noticed. Reading is strict:
NaN and Infinity, duplicate keys, unknown or missing fields, datetimes without a
UTC offset are all refused with their line number.
"""

from __future__ import annotations

import json
import math
import os
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import attrs

from countypolicing.exceptions import LedgerError, SaveError
from countypolicing.operations import (
    Ledger,
    LedgerHead,
    LedgerProblem,
    LedgerProblemKind,
    LedgerRecord,
    verify_ledger,
)
from countypolicing.operations._ledger import record_from_json, record_to_json
from countypolicing.serialization._atomic import atomic_write_bytes
from countypolicing.storage._store import LedgerStore

__all__ = ["JSONL_SCHEMA_VERSION", "JsonlImport", "export_jsonl", "import_jsonl"]

JSONL_SCHEMA_VERSION: Final = 1
"""The version of the JSONL ledger format this release writes (on its first line).

Added in version 0.1.0.
"""

_FORMAT: Final = "countypolicing-ledger"


def _dumps(obj: object) -> str:
    return json.dumps(
        obj, ensure_ascii=False, sort_keys=True, separators=(",", ":"), allow_nan=False
    )


def _no_constants(name: str) -> float:
    raise ValueError(f"{name} is not allowed")


def _finite(text: str) -> float:
    number = float(text)
    if not math.isfinite(number):
        raise ValueError(f"{text} is out of range")
    return number


def _unique_keys(pairs: list[tuple[str, object]]) -> dict[str, object]:
    out: dict[str, object] = {}
    for name, value in pairs:
        if name in out:
            raise ValueError(f"duplicate key {name!r}")
        out[name] = value
    return out


def _loads(text: str) -> object:
    return json.loads(
        text,
        object_pairs_hook=_unique_keys,
        parse_constant=_no_constants,
        parse_float=_finite,
    )


def export_jsonl(
    ledger: LedgerStore | Ledger, path: str | os.PathLike[str]
) -> LedgerHead:
    """Write a ledger to a JSON Lines file, atomically.

    The ledger is verified first; a damaged ledger is not exported. The file is
    written to a temporary file beside ``path``, synced and renamed over it, so
    ``path`` is always the whole old file or the whole new one.

    Args:
        ledger: a store (its records and stored head) or a `Ledger` value.
        path: the file to write.

    Returns:
        The head written on the file's last line.

    Raises:
        LedgerIntegrityError: the ledger does not verify; nothing was written.
        LedgerError: the file cannot be written (no space, read-only…); any
            previous file is unchanged.

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import countypolicing as cp
        >>> from countypolicing.operations import Ledger
        >>> ledger = Ledger.from_entries(cp.datasets.yueyanglou().ledger)
        >>> path = Path(tempfile.mkdtemp()) / "ledger.jsonl"
        >>> export_jsonl(ledger, path).count
        429
        >>> import_jsonl(path).ledger == ledger
        True

    Added in version 0.1.0.
    """
    if isinstance(ledger, Ledger):
        snapshot, head = ledger, ledger.head
    else:
        snapshot = Ledger(ledger.records())
        head = ledger.head()
    verify_ledger(snapshot, head=head).raise_for_problem(source=os.fspath(path))
    lines = [_dumps({"format": _FORMAT, "schema_version": JSONL_SCHEMA_VERSION})]
    lines.extend(_dumps(record_to_json(r)) for r in snapshot.records)
    lines.append(_dumps({"head": {"count": head.count, "last_hash": head.last_hash}}))
    data = ("\n".join(lines) + "\n").encode("utf-8")
    try:
        atomic_write_bytes(path, data)
    except (SaveError, OSError) as exc:
        raise LedgerError(
            f"cannot write the export: {exc.strerror or exc}; nothing was changed",
            source=os.fspath(path),
        ) from exc
    return head


@attrs.frozen(kw_only=True)
class JsonlImport:
    """What `import_jsonl` read: the good records and, if any, the first problem.

    Attributes:
        source: the file read.
        ledger: the records up to the first problem (all of them when ``ok``).
        head: the head on the file's last line, when there is a readable one.
        problem: the first problem, with its line; None when the file is intact.

    Added in version 0.1.0.
    """

    source: str
    ledger: Ledger
    head: LedgerHead | None
    problem: LedgerProblem | None = None

    @property
    def ok(self) -> bool:
        """Whether the whole file is intact."""
        return self.problem is None


def _lines(path: Path) -> Iterator[tuple[int, bytes, bool]]:
    """(line number, content, whether it ended with a newline)."""
    with path.open("rb") as fh:
        for number, raw in enumerate(fh, start=1):
            ended = raw.endswith(b"\n")
            yield number, raw[:-1] if ended else raw, ended


def _head_from(obj: object) -> LedgerHead | None:
    if not (isinstance(obj, dict) and set(obj) == {"head"}):
        return None
    inner = obj["head"]
    if not (isinstance(inner, dict) and set(inner) == {"count", "last_hash"}):
        raise ValueError("the head line must hold count and last_hash")
    count, last = inner["count"], inner["last_hash"]
    if (
        isinstance(count, bool)
        or not isinstance(count, int)
        or not isinstance(last, str)
    ):
        raise TypeError("the head's count must be an integer and last_hash a string")
    try:
        return LedgerHead(count=count, last_hash=last)
    except ValueError as exc:
        raise ValueError(f"bad head: {exc}") from None


def _check_header(obj: object, source: str) -> None:
    if not (isinstance(obj, dict) and obj.get("format") == _FORMAT):
        raise LedgerError(
            "not a countypolicing ledger export (the first line must be the "
            f'format line {{"format":"{_FORMAT}",...}})',
            source=source,
            line=1,
        )
    version = obj.get("schema_version")
    if set(obj) != {"format", "schema_version"}:
        raise LedgerError("the format line has unknown fields", source=source, line=1)
    if isinstance(version, bool) or not isinstance(version, int):
        raise LedgerError("schema_version must be an integer", source=source, line=1)
    if version > JSONL_SCHEMA_VERSION:
        raise LedgerError(
            f"written by a newer countypolicing (ledger schema {version}; this "
            f"version reads up to {JSONL_SCHEMA_VERSION})",
            source=source,
            line=1,
        )
    if version < 1:
        raise LedgerError(f"unknown schema_version {version}", source=source, line=1)


def import_jsonl(path: str | os.PathLike[str], *, recover: bool = False) -> JsonlImport:
    """Read a ledger from a JSON Lines export and check every line.

    Finds a truncated last line, a missing head line (the file was cut short),
    lines that are not strict JSON (NaN, duplicate keys, flipped bytes that break
    the syntax), records whose content no longer matches their hash (flipped bytes
    inside values), duplicated, missing or reordered records, and a head that does
    not match. The first problem is reported with its line and entry.

    Args:
        path: the file to read.
        recover: instead of raising on a damaged file, return the good records up
            to the first problem together with the problem. Nothing is dropped
            silently: check ``.ok`` and ``.problem``.

    Returns:
        The records read (and the problem, if ``recover``).

    Raises:
        LedgerIntegrityError: the file is damaged and ``recover`` is False.
        LedgerError: the file cannot be read, is not a ledger export, or was
            written by a newer version (also when ``recover`` is True).

    Examples:
        >>> import tempfile
        >>> from pathlib import Path
        >>> import countypolicing as cp
        >>> from countypolicing.operations import Ledger
        >>> path = Path(tempfile.mkdtemp()) / "ledger.jsonl"
        >>> _ = export_jsonl(Ledger.from_entries(cp.datasets.yueyanglou().ledger), path)
        >>> text = path.read_text(encoding="utf-8")
        >>> _ = path.write_text(text[: len(text) // 2], encoding="utf-8")
        >>> found = import_jsonl(path, recover=True)
        >>> found.ok, found.problem.kind.value, len(found.ledger) > 200
        (False, 'malformed', True)

    Added in version 0.1.0.
    """
    source = os.fspath(path)
    read = _read(Path(path), source)
    verification = verify_ledger(
        read.records, head=read.head if read.broken is None else None
    )
    problem = verification.problem
    if problem is not None:
        bad = verification.good.count  # index of the first record that is not good
        line = read.lines[bad] if bad < len(read.lines) else read.last_line
        problem = attrs.evolve(problem, line=line)
    elif read.broken is not None:
        problem = read.broken
    elif read.head is None:
        problem = LedgerProblem(
            kind=LedgerProblemKind.TRUNCATED,
            seq=len(read.records) + 1,
            line=read.last_line + 1,
            message="the head line is missing at the end: the file was cut short",
        )
    if problem is not None and not recover:
        raise problem.error(source=source)
    good = Ledger(read.records[: verification.good.count])
    return JsonlImport(source=source, ledger=good, head=read.head, problem=problem)


@attrs.define
class _Read:
    """The private accumulator of one pass over a JSONL file."""

    records: list[LedgerRecord] = attrs.Factory(list)
    lines: list[int] = attrs.Factory(list)
    head: LedgerHead | None = None
    broken: LedgerProblem | None = None
    last_line: int = 0

    def take(self, number: int, raw: bytes, *, ended: bool, source: str) -> bool:
        """Take one line in; False once the rest of the file cannot be trusted."""
        self.last_line = number
        if self.head is not None:
            self.broken = _malformed(number, "text after the head line")
            return False
        try:
            obj = _loads(raw.decode("utf-8"))
        except (UnicodeDecodeError, ValueError) as exc:
            if number == 1:
                raise LedgerError(
                    f"not a countypolicing ledger export: {exc}", source=source, line=1
                ) from exc
            why = f"not valid JSON: {exc}" if ended else "truncated line"
            self.broken = _malformed(number, why, seq=len(self.records) + 1)
            return False
        if number == 1:
            _check_header(obj, source)
            return True
        if not ended:
            self.broken = _malformed(
                number, "truncated line (no line end)", seq=len(self.records) + 1
            )
            return False
        try:
            self.head = _head_from(obj)
            if self.head is None:
                self.records.append(record_from_json(obj))
                self.lines.append(number)
        except (TypeError, ValueError) as exc:
            self.broken = _malformed(number, str(exc), seq=len(self.records) + 1)
            return False
        return True


def _read(path: Path, source: str) -> _Read:
    read = _Read()
    try:
        for number, raw, ended in _lines(path):
            if not read.take(number, raw, ended=ended, source=source):
                break
    except OSError as exc:
        raise LedgerError(f"cannot read: {exc.strerror or exc}", source=source) from exc
    if read.last_line == 0:
        raise LedgerError("empty file: not a ledger export", source=source)
    return read


def _malformed(line: int, why: str, *, seq: int | None = None) -> LedgerProblem:
    return LedgerProblem(
        kind=LedgerProblemKind.MALFORMED, seq=seq, line=line, message=why
    )
