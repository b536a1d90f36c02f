"""Every public name: declared in a sorted `__all__`, defined once, documented."""

from __future__ import annotations

import importlib
import pkgutil
import re
from pathlib import Path

import pytest

import countypolicing

ROOT = Path(__file__).resolve().parents[1]
#: Every public subpackage (and the exceptions module); `testing` is documented on
#: its own page as a whole module.
PUBLIC_MODULES = [
    f"countypolicing.{m.name}"
    for m in pkgutil.iter_modules(countypolicing.__path__)
    if not m.name.startswith("_") and m.name != "testing"
]


def _isort_key(name: str) -> tuple[int, str]:
    """SCREAMING_CASE first, then CamelCase, then the rest (ruff's RUF022 order)."""
    if name.isupper() and len(name) > 1:
        return (0, name)
    if name[:1].isupper():
        return (1, name)
    return (2, name)


def _all(module_name: str) -> list[str]:
    module = importlib.import_module(module_name)
    names = getattr(module, "__all__", None)
    assert names is not None, f"{module_name} has no __all__"
    return list(names)


@pytest.mark.parametrize("module_name", [*PUBLIC_MODULES, "countypolicing"])
def test_all_is_sorted_and_unique(module_name: str) -> None:
    names = _all(module_name)
    assert names == sorted(names, key=_isort_key), "sort __all__ as ruff RUF022 does"
    assert len(set(names)) == len(names)


@pytest.mark.parametrize("module_name", PUBLIC_MODULES)
def test_all_names_exist_and_nothing_public_is_left_out(module_name: str) -> None:
    module = importlib.import_module(module_name)
    names = set(_all(module_name))
    for name in names:
        assert hasattr(module, name), f"{module_name}.{name} is in __all__ but missing"
    public = {
        n
        for n, v in vars(module).items()
        if not n.startswith("_")
        and not isinstance(v, type(importlib))
        and getattr(v, "__module__", module_name).startswith("countypolicing")
        and n != "annotations"
    }
    assert public <= names, f"public but not in __all__: {sorted(public - names)}"


def test_each_public_object_has_one_public_home() -> None:
    homes: dict[int, str] = {}
    for module_name in PUBLIC_MODULES:
        module = importlib.import_module(module_name)
        for name in _all(module_name):
            obj = getattr(module, name)
            if (
                isinstance(obj, (str, int, float, tuple, dict, frozenset))
                or obj is None
                or obj in (str, int, float)  # id aliases such as CommunityId = str
            ):
                continue
            key = id(obj)
            assert key not in homes, f"{module_name}.{name} is also {homes[key]}"
            homes[key] = f"{module_name}.{name}"


def test_the_top_level_exposes_only_the_loading_verbs_and_subpackages() -> None:
    assert set(countypolicing.__all__) == {
        "__version__",
        "datasets",
        "exceptions",
        "graph",
        "load_county",
        "load_ruleset",
        "load_scenario",
        "model",
        "operations",
        "rules",
        "serialization",
        "simulation",
        "storage",
    }


def test_every_public_name_appears_on_a_reference_page() -> None:
    pages = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (ROOT / "docs" / "reference").glob("*.md")
    )
    missing = [
        f"{module_name}.{name}"
        for module_name in PUBLIC_MODULES
        for name in _all(module_name)
        if not re.search(rf"{re.escape(module_name)}\.{re.escape(name)}\b", pages)
    ]
    assert not missing, f"not on any docs/reference page: {missing}"
