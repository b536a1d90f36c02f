"""The import layers of DESIGN.md §3, enforced by walking every module's imports."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[1] / "src" / "countypolicing"

#: Layer of each top-level part of the package (DESIGN.md §3).
LAYERS: dict[str, int] = {
    "exceptions": -1,
    "model": 0,
    "rules": 1,
    "graph": 1,
    "operations": 2,
    "simulation": 3,
    "serialization": 4,
    "storage": 4,
    "datasets": 4,
    "report": 5,
    "_cli": 6,
    "__main__": 6,
    "__init__": 6,
}

#: Pairs in the same layer that must not import each other.
FORBIDDEN_SIBLINGS = {("rules", "graph"), ("graph", "rules")}

#: Third-party modules allowed only in some parts.
RESTRICTED_IMPORTS = {
    "yaml": {"serialization"},
    "cattrs": {"serialization"},
    "hypothesis": {"testing"},
}

#: Never imported at module level by anything `import countypolicing` pulls in.
HEAVY = ("pandas", "matplotlib", "dask", "distributed", "z3")

#: L0-L3 do no I/O, read no clock, environment or global randomness.
IMPURE_MODULES = {"os", "random", "time", "socket", "subprocess", "shutil", "io"}
PURE_PARTS = {"model", "rules", "graph", "operations", "simulation"}


def _part(path: Path) -> str:
    rel = path.relative_to(SRC)
    part = rel.parts[0].removesuffix(".py")
    return "_cli" if part.startswith("_cli") else part


def _imports(path: Path) -> list[tuple[str, int]]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.extend((alias.name, node.lineno) for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.extend([(node.module, node.lineno)])
            if node.module == "countypolicing":
                found.extend(
                    (f"countypolicing.{alias.name}", node.lineno)
                    for alias in node.names
                )
    return found


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


def test_every_part_of_the_package_has_a_layer() -> None:
    parts = {_part(p) for p in _modules()} - {"testing", "py"}
    assert parts <= set(LAYERS), parts - set(LAYERS)


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_modules_import_only_from_their_layer_or_below(path: Path) -> None:
    part = _part(path)
    if part == "testing":
        return
    layer = LAYERS[part]
    for module, line in _imports(path):
        if not module.startswith("countypolicing."):
            continue
        target = module.split(".")[1]
        if target == part or target not in LAYERS:
            continue
        where = f"{path.relative_to(SRC)}:{line} imports {module}"
        assert target != "testing", f"{where}: nothing in src imports testing"
        assert LAYERS[target] <= layer, f"{where}: layer {LAYERS[target]} > {layer}"
        if LAYERS[target] == layer:
            assert (part, target) not in FORBIDDEN_SIBLINGS, where


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_third_party_imports_stay_in_their_subpackage(path: Path) -> None:
    part = _part(path)
    for module, line in _imports(path):
        top = module.split(".")[0]
        allowed = RESTRICTED_IMPORTS.get(top)
        if allowed is not None:
            assert part in allowed, f"{path.relative_to(SRC)}:{line} imports {top}"


@pytest.mark.parametrize(
    "path",
    [p for p in _modules() if _part(p) in PURE_PARTS],
    ids=lambda p: str(p.relative_to(SRC)),
)
def test_the_core_does_no_io_and_reads_no_clock(path: Path) -> None:
    for module, line in _imports(path):
        top = module.split(".")[0]
        assert top not in IMPURE_MODULES, (
            f"{path.relative_to(SRC)}:{line} imports {top}"
        )
    tree = ast.parse(path.read_text(encoding="utf-8"))
    for node in ast.walk(tree):
        if not isinstance(node, ast.Call):
            continue
        func = node.func
        name = func.id if isinstance(func, ast.Name) else getattr(func, "attr", "")
        where = f"{path.relative_to(SRC)}:{node.lineno}"
        assert name not in {"open", "today", "now", "utcnow", "seed", "getenv"}, (
            f"{where} calls {name}()"
        )


def test_importing_the_package_pulls_in_no_heavy_dependency() -> None:
    code = (
        "import sys, countypolicing, countypolicing.model, countypolicing.serialization;"
        "print(','.join(sorted(m for m in sys.modules if m.split('.')[0] in "
        f"{HEAVY!r})))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == ""
