"""Atomic file replacement: a reader sees the whole old file or the whole new one.

The new content goes to a temporary file in the target's own directory (so the
rename never crosses a filesystem), is flushed and ``fsync``-ed, and is then
renamed over the target with `os.replace`; finally the directory itself is
``fsync``-ed so the rename survives a power cut.
If anything fails before the rename, the temporary file is removed and the target
is untouched; the failure is a `SaveError`.

A process killed in the middle leaves at most one ``.<name>.<random>.tmp`` file
behind. `is_stray_temp_file` lets loaders skip such files and
`remove_stray_temp_files` cleans them up.
"""

from __future__ import annotations

import contextlib
import os
import re
import secrets
import stat
from pathlib import Path
from typing import Final

from countypolicing.exceptions import SaveError

__all__ = [
    "atomic_write_bytes",
    "atomic_write_text",
    "is_stray_temp_file",
    "remove_stray_temp_files",
]

_TOKEN_BYTES: Final = 8
_TEMP_NAME_RE: Final = re.compile(r"\..+\.[0-9a-f]{16}\.tmp\Z", re.DOTALL)
_OPEN_FLAGS: Final = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_BINARY", 0)


def is_stray_temp_file(name: str) -> bool:
    """Whether ``name`` looks like a temporary file left by an interrupted save.

    Args:
        name: a file name (not a path).

    Returns:
        True for names of the form ``.<name>.<16 hex digits>.tmp``.

    Examples:
        >>> is_stray_temp_file(".county.yaml.0123456789abcdef.tmp")
        True
        >>> is_stray_temp_file("county.yaml")
        False
        >>> is_stray_temp_file(".county.yaml.tmp")
        False
    """
    return _TEMP_NAME_RE.match(name) is not None


def remove_stray_temp_files(directory: os.PathLike[str] | str) -> list[Path]:
    """Delete the temporary files that interrupted saves left in ``directory``.

    Only call this when no save into ``directory`` is in progress: a save's own
    temporary file would be removed too, and that save would then fail.

    Args:
        directory: the directory to clean (not recursively).

    Returns:
        The files removed, sorted by name.

    Raises:
        SaveError: ``directory`` cannot be listed, or a file cannot be removed.
    """
    removed: list[Path] = []
    try:
        with os.scandir(directory) as entries:
            candidates = sorted(
                Path(entry.path)
                for entry in entries
                if is_stray_temp_file(entry.name)
                and entry.is_file(follow_symlinks=False)
            )
        for candidate in candidates:
            with contextlib.suppress(FileNotFoundError):
                candidate.unlink()
                removed.append(candidate)
    except OSError as exc:
        raise _save_error(exc, directory, unchanged=False) from exc
    return removed


def atomic_write_text(path: os.PathLike[str] | str, text: str) -> None:
    """Replace ``path`` with ``text`` encoded as UTF-8, atomically.

    Line endings are written exactly as they are in ``text``.

    Args:
        path: the file to create or replace.
        text: the new content.

    Raises:
        SaveError: the file could not be written; any previous file is unchanged.
    """
    atomic_write_bytes(path, text.encode("utf-8"))


def atomic_write_bytes(path: os.PathLike[str] | str, data: bytes) -> None:
    """Replace ``path`` with ``data``, atomically and durably.

    A replaced file keeps its permission bits; a new file gets the usual
    ``0o666`` less the umask.

    Args:
        path: the file to create or replace.
        data: the new content.

    Raises:
        SaveError: the file could not be written (no space, no permission, a
            read-only directory...); any previous file is unchanged and no
            temporary file is left behind.
    """
    target = Path(path)
    directory = target.parent
    temp = directory / f".{target.name}.{secrets.token_hex(_TOKEN_BYTES)}.tmp"
    created = False
    try:
        fd = os.open(temp, _OPEN_FLAGS, 0o666)
        created = True
        try:
            _copy_mode(target, fd)
            view = memoryview(data)
            while view:
                written = os.write(fd, view)
                view = view[written:]
            os.fsync(fd)
        finally:
            os.close(fd)
        temp.replace(target)
        created = False
    except OSError as exc:
        if created:
            with contextlib.suppress(OSError):
                temp.unlink()
        raise _save_error(exc, path) from exc
    _fsync_directory(directory)


def _copy_mode(target: Path, fd: int) -> None:
    """Give the temporary file the permission bits of the file it replaces."""
    try:
        mode = stat.S_IMODE(target.stat().st_mode)
    except OSError:
        return  # no previous file (or unreadable): keep the default mode
    if hasattr(os, "fchmod"):
        os.fchmod(fd, mode)


def _fsync_directory(directory: Path) -> None:
    """Make the rename durable; best effort where directories cannot be opened."""
    flags = os.O_RDONLY | getattr(os, "O_DIRECTORY", 0)
    try:
        fd = os.open(directory, flags)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass  # some filesystems (and Windows) do not fsync directories
    finally:
        os.close(fd)


def _save_error(
    exc: OSError, path: os.PathLike[str] | str, *, unchanged: bool = True
) -> SaveError:
    reason = exc.strerror or str(exc)
    name = os.fspath(path)
    if exc.errno is None:
        error = SaveError(f"cannot save {name!r}: {reason}")
        error.filename = name
    else:
        error = SaveError(exc.errno, f"cannot save: {reason}", name)
    if unchanged:
        error.add_note("nothing was changed")
    return error
