"""Atomic saves: the target is always the whole old file or the whole new one."""

from __future__ import annotations

import errno
import os
import random
import signal
import stat
import subprocess
import sys
import time
from pathlib import Path

import pytest

from countypolicing.exceptions import SaveError
from countypolicing.serialization import _atomic
from countypolicing.serialization._atomic import (
    atomic_write_bytes,
    atomic_write_text,
    is_stray_temp_file,
    remove_stray_temp_files,
)

OLD = b"schema_version: 1\nname: old\n"


@pytest.fixture
def target(tmp_path: Path) -> Path:
    path = tmp_path / "county.yaml"
    path.write_bytes(OLD)
    return path


def leftovers(directory: Path) -> list[str]:
    return sorted(p.name for p in directory.iterdir() if is_stray_temp_file(p.name))


def test_a_new_file_is_written_whole(tmp_path: Path) -> None:
    path = tmp_path / "new.yaml"
    atomic_write_text(path, "name: 岳阳楼\r\nx: 1\n")
    assert path.read_bytes() == "name: 岳阳楼\r\nx: 1\n".encode()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["new.yaml"]


def test_an_existing_file_is_replaced_and_keeps_its_permissions(target: Path) -> None:
    target.chmod(0o640)
    atomic_write_bytes(target, b"name: new\n")
    assert target.read_bytes() == b"name: new\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    assert leftovers(target.parent) == []


def test_a_str_path_and_an_empty_payload_work(tmp_path: Path) -> None:
    path = tmp_path / "empty.yaml"
    atomic_write_bytes(str(path), b"")
    assert path.read_bytes() == b""


def test_the_rename_is_made_durable_by_syncing_the_directory(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    synced: list[int] = []
    real_fsync = os.fsync

    def recording_fsync(fd: int) -> None:
        synced.append(fd)
        real_fsync(fd)

    monkeypatch.setattr(os, "fsync", recording_fsync)
    atomic_write_bytes(target, b"x: 1\n")
    assert len(synced) == 2  # the temporary file, then the directory


def test_a_directory_that_cannot_be_synced_does_not_fail_the_save(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_open = os.open

    def no_directory_open(path: object, flags: int, *args: int, **kwargs: int) -> int:
        if Path(str(path)) == target.parent:
            raise OSError(errno.EISDIR, "Is a directory")
        return real_open(path, flags, *args, **kwargs)  # type: ignore[arg-type]  # forwarding

    monkeypatch.setattr(os, "open", no_directory_open)
    atomic_write_bytes(target, b"x: 1\n")
    assert target.read_bytes() == b"x: 1\n"


def test_a_full_disk_leaves_the_old_file_and_no_temp_file(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real_write = os.write

    def half_then_full(fd: int, data: bytes | memoryview) -> int:
        if len(data) > 4:
            return real_write(fd, bytes(data[: len(data) // 2]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", half_then_full)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"name: a much longer new version\n")
    monkeypatch.undo()
    assert info.value.errno == errno.ENOSPC
    assert info.value.filename == str(target)
    assert str(target) in str(info.value)
    assert isinstance(info.value.__cause__, OSError)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_permission_denied_is_a_save_error_and_changes_nothing(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def denied(*_args: object, **_kwargs: object) -> int:
        raise PermissionError(errno.EACCES, "Permission denied")

    monkeypatch.setattr(os, "open", denied)
    with pytest.raises(SaveError) as info:
        atomic_write_text(target, "name: new\n")
    monkeypatch.undo()
    assert info.value.errno == errno.EACCES
    assert isinstance(info.value, OSError)
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_a_read_only_directory_at_rename_time_changes_nothing(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*_args: object, **_kwargs: object) -> None:
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(os, "replace", read_only)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"name: new\n")
    monkeypatch.undo()
    assert info.value.errno == errno.EROFS
    assert info.value.__notes__ == ["nothing was changed"]
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


def test_a_failing_fsync_changes_nothing(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(_fd: int) -> None:
        raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(os, "fsync", broken)
    with pytest.raises(SaveError):
        atomic_write_bytes(target, b"name: new\n")
    monkeypatch.undo()
    assert target.read_bytes() == OLD
    assert leftovers(target.parent) == []


@pytest.mark.skipif(
    not hasattr(os, "geteuid") or os.geteuid() == 0,
    reason="root ignores directory permissions",
)
def test_a_really_read_only_directory_changes_nothing(target: Path) -> None:
    target.parent.chmod(0o500)
    try:
        with pytest.raises(SaveError):
            atomic_write_bytes(target, b"name: new\n")
    finally:
        target.parent.chmod(0o700)
    assert target.read_bytes() == OLD


def test_a_missing_directory_is_a_save_error(tmp_path: Path) -> None:
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(tmp_path / "nowhere" / "x.yaml", b"x")
    assert info.value.errno == errno.ENOENT


def test_an_error_without_errno_still_names_the_path(
    target: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def odd(*_args: object, **_kwargs: object) -> None:
        msg = "something odd"
        raise OSError(msg)

    monkeypatch.setattr(os, "replace", odd)
    with pytest.raises(SaveError) as info:
        atomic_write_bytes(target, b"x")
    monkeypatch.undo()
    assert str(target) in str(info.value)
    assert info.value.filename == str(target)


@pytest.mark.parametrize(
    ("name", "expected"),
    [
        (".county.yaml.0123456789abcdef.tmp", True),
        (".a.b.c.ffffffffffffffff.tmp", True),
        ("county.yaml", False),
        (".county.yaml.tmp", False),
        (".county.yaml.0123456789ABCDEF.tmp", False),
        ("county.yaml.0123456789abcdef.tmp", False),
    ],
)
def test_stray_temp_files_are_recognised_by_name(name: str, expected: bool) -> None:
    assert is_stray_temp_file(name) is expected


def test_stray_temp_files_are_removed_and_nothing_else(tmp_path: Path) -> None:
    keep = tmp_path / "county.yaml"
    keep.write_bytes(OLD)
    stray = tmp_path / ".county.yaml.0123456789abcdef.tmp"
    stray.write_bytes(b"half")
    directory_lookalike = tmp_path / ".d.0123456789abcdef.tmp"
    directory_lookalike.mkdir()
    assert remove_stray_temp_files(tmp_path) == [stray]
    assert keep.read_bytes() == OLD
    assert directory_lookalike.is_dir()
    assert remove_stray_temp_files(str(tmp_path)) == []


def test_cleaning_a_missing_directory_is_a_save_error(tmp_path: Path) -> None:
    with pytest.raises(SaveError):
        remove_stray_temp_files(tmp_path / "missing")


CHILD = """
import sys
sys.path.insert(0, sys.argv[1])
from countypolicing.serialization._atomic import atomic_write_bytes
data = sys.argv[3].encode() * (5 * 2**20 // len(sys.argv[3]))
print("ready", flush=True)
atomic_write_bytes(sys.argv[2], data)
print("done", flush=True)
"""


@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_sigkill_during_saves_leaves_the_old_or_the_new_file_whole(
    tmp_path: Path,
) -> None:
    root = str(Path(_atomic.__file__).parents[2])
    path = tmp_path / "ledger.yaml"
    current = b"0123456789" * (5 * 2**20 // 10)
    path.write_bytes(current)
    rng = random.Random(20200901)  # noqa: S311  # reproducible delays, not crypto
    outcomes = {"old": 0, "new": 0}
    for run in range(30):
        unit = f"run-{run:02d}:"
        new = unit.encode() * (5 * 2**20 // len(unit))
        with subprocess.Popen(
            [sys.executable, "-c", CHILD, root, str(path), unit],
            stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL,
        ) as child:
            assert child.stdout is not None
            assert child.stdout.readline() == b"ready\n"
            time.sleep(rng.uniform(0, 0.008))  # about half land mid-save
            child.send_signal(signal.SIGKILL)
            child.wait()
        after = path.read_bytes()
        assert after in (current, new), f"run {run}: torn file of {len(after)} bytes"
        outcomes["new" if after == new else "old"] += 1
        current = after
        remove_stray_temp_files(tmp_path)
        assert sorted(p.name for p in tmp_path.iterdir()) == ["ledger.yaml"]
    assert sum(outcomes.values()) == 30
