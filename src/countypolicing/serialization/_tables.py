"""Community indicators from a CSV table, the realistic path for large counties.

A county directory may hold ``indicators.csv`` instead of an ``indicators:`` section:
one row per community and date, a header naming `CommunityIndicators` fields.
Cells are typed by the field they fill; every problem is reported with its file, line
and column.
"""

from __future__ import annotations

import csv
import difflib
import io
import math
import os
from datetime import date
from pathlib import Path
from typing import Final

import attrs

from countypolicing.exceptions import (
    ConfigError,
    LoadError,
    LoadErrorGroup,
    Location,
    ModelError,
    ValidationError,
)
from countypolicing.model import CommunityIndicators, Provenance
from countypolicing.serialization._yaml import DEFAULT_LIMITS, LoadLimits, read_text

__all__ = [
    "INDICATORS_CSV",
    "indicators_to_csv",
    "load_indicators_csv",
    "parse_indicators_csv",
]

#: The file name a county directory may use for its indicator table.
INDICATORS_CSV: Final = "indicators.csv"

_FIELDS: Final = attrs.fields_dict(attrs.resolve_types(CommunityIndicators))
_REQUIRED: Final = tuple(
    f.name for f in attrs.fields(CommunityIndicators) if f.default is attrs.NOTHING
)


def _cell(name: str, text: str) -> object:
    """Type one non-empty cell for field ``name``; raises ValueError with a reason."""
    field_type = _FIELDS[name].type
    text = text.strip()
    if field_type in (int, int | None):
        if not text.lstrip("-").isdigit() or len(text) > 19:  # noqa: PLR2004  # 64-bit range
            msg = f"expected an integer, got {text!r}"
            raise ValueError(msg)
        return int(text)
    if field_type in (float, float | None):
        try:
            number = float(text)
        except ValueError:
            msg = f"expected a number, got {text!r}"
            raise ValueError(msg) from None
        if not math.isfinite(number):
            msg = f"must be finite, got {text!r}"
            raise ValueError(msg)
        return number
    if name == "as_of":
        try:
            return date.fromisoformat(text)
        except ValueError:
            msg = f"expected a date written YYYY-MM-DD, got {text!r}"
            raise ValueError(msg) from None
    if name == "provenance":
        try:
            return Provenance(text)
        except ValueError:
            msg = f"{text!r} is not one of {', '.join(p.value for p in Provenance)}"
            raise ValueError(msg) from None
    return text


def _check_header(columns: list[str], source: str) -> None:
    for index, name in enumerate(columns):
        where = Location(source=source, line=1, column=index + 1, path=name)
        if name not in _FIELDS:
            close = difflib.get_close_matches(name, list(_FIELDS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            raise ConfigError(f"unknown column {name!a}{hint}", location=where)
        if columns.index(name) != index:
            raise ConfigError(f"column {name!r} appears twice", location=where)
    missing = [r for r in _REQUIRED if r not in columns]
    if missing:
        raise ConfigError(
            f"missing column(s): {', '.join(missing)}",
            location=Location(source=source, line=1),
        )


def _parse_row(
    row: list[str], columns: list[str], line: int, source: str
) -> CommunityIndicators | list[LoadError]:
    if len(row) != len(columns):
        return [
            ValidationError(
                f"expected {len(columns)} cells, got {len(row)}",
                location=Location(source=source, line=line),
            )
        ]
    values: dict[str, object] = {}
    errors: list[LoadError] = []
    for index, (name, cell) in enumerate(zip(columns, row, strict=True)):
        if not cell.strip():
            continue
        try:
            values[name] = _cell(name, cell)
        except ValueError as exc:
            where = Location(source=source, line=line, column=index + 1, path=name)
            errors.append(ValidationError(str(exc), location=where, field=name))
    if errors:
        return errors
    try:
        return CommunityIndicators(**values)  # type: ignore[arg-type]  # typed by _cell
    except ModelError as exc:
        where = Location(source=source, line=line, path=exc.field)
        return [ValidationError(exc.message, location=where, field=exc.field)]


def parse_indicators_csv(
    text: str, *, source: str = "<csv>"
) -> tuple[CommunityIndicators, ...]:
    r"""Parse an indicator table; every bad cell is reported, with line and column.

    Empty cells leave a field at its default.

    Raises:
        ConfigError: the header is missing, repeated or names unknown columns.
        LoadErrorGroup: cells that do not fit their fields.

    Examples:
        >>> rows = parse_indicators_csv(
        ...     "community_id,as_of,rental_units,calls_per_1000\n"
        ...     "desheng,2020-06-30,900,41.5\n"
        ... )
        >>> rows[0].rental_units, rows[0].calls_per_1000
        (900, 41.5)
    """
    return parse_indicator_rows(text, source=source)[0]


def parse_indicator_rows(
    text: str, *, source: str = "<csv>"
) -> tuple[tuple[CommunityIndicators, ...], tuple[int, ...]]:
    """Like `parse_indicators_csv`, also returning each record's line number."""
    reader = csv.reader(io.StringIO(text, newline=""))
    rows: list[CommunityIndicators] = []
    lines: list[int] = []
    errors: list[LoadError] = []
    try:
        header = next(reader, None)
        if header is None:
            raise ConfigError(
                "empty table: expected a header row",
                location=Location(source=source, line=1),
            )
        columns = [h.strip() for h in header]
        _check_header(columns, source)
        for row in reader:
            if not any(cell.strip() for cell in row):
                continue
            parsed = _parse_row(row, columns, reader.line_num, source)
            if isinstance(parsed, list):
                errors.extend(parsed)
            else:
                rows.append(parsed)
                lines.append(reader.line_num)
    except csv.Error as exc:
        raise ConfigError(
            str(exc), location=Location(source=source, line=reader.line_num)
        ) from exc
    if errors:
        raise LoadErrorGroup("the indicator table has bad cells", errors)
    return tuple(rows), tuple(lines)


def load_indicators_csv(
    path: str | os.PathLike[str], *, limits: LoadLimits = DEFAULT_LIMITS
) -> tuple[CommunityIndicators, ...]:
    """Read an indicator table from a CSV file (UTF-8, with or without BOM)."""
    return parse_indicators_csv(read_text(path, limits=limits), source=str(Path(path)))


def load_indicator_rows(
    path: str | os.PathLike[str], *, limits: LoadLimits = DEFAULT_LIMITS
) -> tuple[tuple[CommunityIndicators, ...], tuple[int, ...]]:
    """Like `load_indicators_csv`, also returning each record's line number."""
    return parse_indicator_rows(read_text(path, limits=limits), source=str(Path(path)))


def indicators_to_csv(rows: tuple[CommunityIndicators, ...]) -> str:
    r"""Write indicator records as a CSV table that `parse_indicators_csv` reads back.

    Examples:
        >>> rows = parse_indicators_csv("community_id,as_of\nc1,2020-06-30\n")
        >>> parse_indicators_csv(indicators_to_csv(rows)) == rows
        True
    """
    names = list(_FIELDS)
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\n")
    writer.writerow(names)
    for row in rows:
        cells: list[str] = []
        for name in names:
            value = getattr(row, name)
            if value is None:
                cells.append("")
            elif isinstance(value, float):
                cells.append(repr(value))
            else:
                cells.append(str(value))
        writer.writerow(cells)
    return out.getvalue()
