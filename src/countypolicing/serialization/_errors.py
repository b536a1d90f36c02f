"""Turn cattrs and model errors into located `ValidationError`s."""

from __future__ import annotations

import difflib
from collections.abc import Iterator

import attrs
from cattrs.errors import (
    AttributeValidationNote,
    BaseValidationError,
    ForbiddenExtraKeysError,
    IterableValidationNote,
)

from countypolicing.exceptions import ModelError, ValidationError
from countypolicing.serialization._converters import StructureTypeError
from countypolicing.serialization._yaml import YamlDocument, format_path

__all__ = ["located_errors"]

Path = tuple[str | int, ...]


def _sub_path(exc: BaseException, path: Path) -> Path:
    for note in getattr(exc, "__notes__", ()):
        if isinstance(note, AttributeValidationNote):
            return (*path, note.name)
        if isinstance(note, IterableValidationNote):
            return (*path, note.index)
    return path


def _flatten(exc: BaseException, path: Path) -> Iterator[tuple[Path, str, str | None]]:
    if isinstance(exc, BaseValidationError):
        for sub in exc.exceptions:
            yield from _flatten(sub, _sub_path(sub, path))
    elif isinstance(exc, ForbiddenExtraKeysError):
        known = [a.name for a in attrs.fields(exc.cl)] if attrs.has(exc.cl) else []
        for key in sorted(exc.extra_fields):
            close = difflib.get_close_matches(key, known, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            shown = (
                ascii(key) if not key.isascii() or not key.isprintable() else repr(key)
            )
            yield (*path, key), f"unknown field {shown}{hint}", key
    elif isinstance(exc, ModelError):
        where = (*path, exc.field) if exc.field is not None else path
        yield where, exc.message, exc.field
    elif isinstance(exc, StructureTypeError):
        yield path, str(exc), _last_name(path)
    elif isinstance(exc, KeyError):
        yield path, "required field is missing", _last_name(path)
    else:
        yield path, f"{type(exc).__name__}: {exc}", _last_name(path)


def _last_name(path: Path) -> str | None:
    for part in reversed(path):
        if isinstance(part, str):
            return part
    return None


def located_errors(
    exc: BaseException, doc: YamlDocument, path: Path
) -> list[ValidationError]:
    """Every problem inside ``exc`` as a `ValidationError` with file, line and path."""
    out: list[ValidationError] = []
    for where, message, field in _flatten(exc, path):
        text = message
        if message.startswith("expected a string, got"):
            raw = doc.raw_scalar(where)
            if raw is not None:
                text = f"{message} (written `{raw}`): quote it to keep it text"
        location = attrs.evolve(doc.locate(where), path=format_path(where))
        out.append(ValidationError(text, location=location, field=field))
    return out
