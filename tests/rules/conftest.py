"""Fixtures shared by the rule-engine tests: spies that prove no code ran."""

from __future__ import annotations

import builtins
import importlib
import os
import subprocess
import sys
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import attrs
import pytest

#: Modules whose import from a rule would mean a sandbox escape, even when cached.
DANGEROUS_MODULES = frozenset(
    {"os", "posix", "nt", "subprocess", "sys", "builtins", "importlib", "ctypes"}
    | {"shutil", "socket", "pty", "io", "pickle", "marshal", "runpy", "code"}
)


@attrs.define
class Spies:
    """Calls that would mean user text ran as code, and a file it would create."""

    sentinel: Path
    calls: list[tuple[str, tuple[object, ...]]] = attrs.field(factory=list)

    def record(self, name: str, *args: object) -> None:
        self.calls.append((name, args))

    def assert_nothing_ran(self) -> None:
        assert self.calls == []
        assert not self.sentinel.exists()


@pytest.fixture
def spies(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Spies]:
    """Spy on os.system, subprocess.Popen, open, import_module and __import__.

    ``os.system`` and ``Popen`` are replaced outright (nothing is executed);
    ``open``, ``importlib.import_module`` and ``__import__`` still work but record
    their calls. ``__import__`` records loading any module not yet imported, and
    any import of a module an escape would want (``os``, ``subprocess``...): the
    library's own cached imports inside functions are not code from a rule file.
    The test fails at teardown if any spy was called or the sentinel file exists.
    """
    found = Spies(sentinel=tmp_path / "sentinel")
    real_open = builtins.open
    real_import = builtins.__import__
    real_import_module = importlib.import_module

    def system(command: str) -> int:
        found.record("os.system", command)
        return 1

    def popen(*args: object, **kwargs: object) -> None:
        found.record("subprocess.Popen", args, kwargs)
        msg = "spied Popen"
        raise OSError(msg)

    def open_(*args: Any, **kwargs: Any) -> Any:
        found.record("open", *args)
        return real_open(*args, **kwargs)

    def import_module(name: str, package: str | None = None) -> ModuleType:
        found.record("importlib.import_module", name)
        return real_import_module(name, package)

    def import_(name: str, *args: Any, **kwargs: Any) -> ModuleType:
        if (
            name not in sys.modules
            or name.split(".", maxsplit=1)[0] in DANGEROUS_MODULES
        ):
            found.record("__import__", name)
        return real_import(name, *args, **kwargs)

    replaced: list[tuple[object, str, Callable[..., object]]] = [
        (os, "system", system),
        (subprocess, "Popen", popen),
        (builtins, "open", open_),
        (importlib, "import_module", import_module),
        (builtins, "__import__", import_),
    ]
    for target, name, spy in replaced:
        monkeypatch.setattr(target, name, spy)
    yield found
    monkeypatch.undo()
    found.assert_nothing_ran()
