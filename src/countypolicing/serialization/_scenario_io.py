"""Load simulation scenarios: strict YAML, references resolved, every problem located.

A scenario names a county (``bundled:yueyanglou`` or a path) and rulesets
(``bundled:NAME``, a path, or an inline ruleset mapping). Paths are taken relative
to the scenario file. Everything is read here, at load time, so
`countypolicing.simulation` never touches a file.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Mapping
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path
from typing import Final

import attrs

from countypolicing.exceptions import (
    ConfigError,
    LoadError,
    LoadErrorGroup,
    Location,
    RuleSetError,
    ValidationError,
)
from countypolicing.model import County
from countypolicing.rules import RuleSet, ruleset_from_data
from countypolicing.serialization._county_io import load_county
from countypolicing.serialization._rules_io import load_ruleset
from countypolicing.serialization._yaml import (
    DEFAULT_LIMITS,
    LoadLimits,
    YamlDocument,
    format_path,
    load_yaml_file,
    parse_yaml,
)
from countypolicing.simulation import RULESET_ROLES, Scenario, scenario_from_data

__all__ = ["BUNDLED_PREFIX", "DEFAULT_SCENARIO_RULESETS", "load_scenario"]

#: References to package data start with this.
BUNDLED_PREFIX: Final = "bundled:"

#: The ruleset each role uses when a scenario names none.
DEFAULT_SCENARIO_RULESETS: Final[Mapping[str, str]] = {
    "routing": "bundled:dispute-routing",
    "classification": "bundled:community-classification",
    "grading": "bundled:risk-point-grading",
}

_BUNDLED_COUNTIES: Final = ("yueyanglou",)


def _library_version() -> str:
    try:
        return version("countypolicing")
    except PackageNotFoundError:  # pragma: no cover  # running from a source tree
        return "0.0.0+unknown"


def _is_path(source: str | os.PathLike[str]) -> bool:
    if isinstance(source, os.PathLike):
        return True
    if "\n" in source:
        return False
    path = Path(source)
    return path.suffix in {".yaml", ".yml"} or path.is_file()


def _sha256_files(paths: list[Path], root: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(paths):
        digest.update(path.relative_to(root).as_posix().encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(path.read_bytes()).digest())
    return "sha256:" + digest.hexdigest()


def _hash_of(path: Path) -> str:
    if path.is_dir():
        files = [
            p
            for p in path.rglob("*")
            if p.is_file() and p.suffix in {".yaml", ".yml", ".csv"}
        ]
        return _sha256_files(files, path)
    return "sha256:" + hashlib.sha256(path.read_bytes()).hexdigest()


def _bundled_rules_dir() -> Path:
    from importlib.resources import files  # noqa: PLC0415  # package data, on use

    return Path(str(files("countypolicing.datasets").joinpath("rules")))


def _bundled_rulesets() -> tuple[str, ...]:
    folder = _bundled_rules_dir()
    return tuple(sorted(p.stem for p in folder.glob("*.yaml")))


class _Resolver:
    """Resolves what a scenario names, collecting located problems."""

    def __init__(self, doc: YamlDocument, base: Path, limits: LoadLimits) -> None:
        self.doc = doc
        self.base = base
        self.limits = limits
        self.problems: list[LoadError] = []
        self.hashes: dict[str, str] = {}

    def problem(self, path: tuple[str | int, ...], message: str) -> None:
        location = attrs.evolve(self.doc.locate(path), path=format_path(path))
        self.problems.append(ValidationError(message, location=location))

    def county(self, ref: object) -> County | None:
        where: tuple[str | int, ...] = ("county",)
        if not isinstance(ref, str) or not ref.strip():
            return None  # scenario_from_data reports it
        if ref.startswith(BUNDLED_PREFIX):
            name = ref.removeprefix(BUNDLED_PREFIX)
            if name not in _BUNDLED_COUNTIES:
                self.problem(
                    where,
                    f"unknown bundled county {name!r}; bundled: "
                    + ", ".join(_BUNDLED_COUNTIES),
                )
                return None
            from countypolicing.datasets import yueyanglou, yueyanglou_path  # noqa: PLC0415  # datasets imports this package

            self.hashes[ref] = _hash_of(yueyanglou_path())
            return yueyanglou()
        path = (self.base / ref).resolve()
        if not path.exists():
            self.problem(where, f"no county at {ref!r} (looked for {path})")
            return None
        self.hashes[ref] = _hash_of(path)
        return load_county(path, limits=self.limits)

    def ruleset(self, role: str, ref: object) -> RuleSet | None:
        where: tuple[str | int, ...] = ("rulesets", role)
        if isinstance(ref, Mapping):
            try:
                return ruleset_from_data(ref)
            except RuleSetError as group:
                for p in group.problems:
                    inner = (*where, *p.path)
                    self.problem(inner, f"{role} ruleset: {p.message}")
                return None
        if not isinstance(ref, str) or not ref.strip():
            self.problem(
                where, "expected a reference (bundled:NAME or a path) or a ruleset"
            )
            return None
        if ref.startswith(BUNDLED_PREFIX):
            name = ref.removeprefix(BUNDLED_PREFIX)
            path = _bundled_rules_dir() / f"{name}.yaml"
            if not path.is_file():
                shipped = ", ".join(_bundled_rulesets())
                hint = (
                    "; name one under rulesets.routing (a path or an inline ruleset)"
                    if role == "routing"
                    else ""
                )
                self.problem(
                    where,
                    f"unknown bundled ruleset {name!r} (shipped: {shipped}){hint}",
                )
                return None
        else:
            path = (self.base / ref).resolve()
            if not path.is_file():
                self.problem(where, f"no ruleset file at {ref!r} (looked for {path})")
                return None
        self.hashes[ref] = _hash_of(path)
        return load_ruleset(path, limits=self.limits)


def load_scenario(  # noqa: C901  # resolve, then validate, in one place
    source: str | os.PathLike[str],
    *,
    limits: LoadLimits = DEFAULT_LIMITS,
    base_dir: str | os.PathLike[str] | None = None,
) -> Scenario:
    """Load and validate a simulation scenario from a YAML file or YAML text.

    The county and rulesets the scenario names are read now: ``bundled:yueyanglou``
    is the bundled county, ``bundled:NAME`` a shipped ruleset, anything else a path
    relative to the scenario file (or to ``base_dir``, by default the working
    directory, for text). A ruleset may also be written inline as a mapping.
    Rulesets a scenario does not name default to `DEFAULT_SCENARIO_RULESETS`.

    Args:
        source: a path, or YAML text.
        limits: bounds on size, depth and nodes of every file read.
        base_dir: where relative paths in YAML text start from.

    Returns:
        The resolved `countypolicing.simulation.Scenario`, stamped with the hashes
        of the files it read and the library version.

    Raises:
        ConfigError: a file cannot be read or is not acceptable YAML.
        SchemaVersionError: ``schema_version`` is missing or too new.
        LoadErrorGroup: every problem of the scenario, each located by file, line,
            column and path, with a did-you-mean for misspelt keys.
        RuleSetError: a named ruleset file is invalid (located in that file).

    Examples:
        >>> from countypolicing.exceptions import LoadErrorGroup
        >>> try:
        ...     load_scenario('''
        ... schema_version: 1
        ... scenario: demo
        ... county: bundled:yueyanglou
        ... horizon_days: 30
        ... levers: {plaque_coverage: 1.5, stationed_mediatorz: 1}
        ... ''')
        ... except LoadErrorGroup as err:
        ...     for problem in err.problems:
        ...         print(problem)
        <text>:6:27: levers.plaque_coverage: plaque_coverage must be at most 1, got 1.5
        <text>:6:53: levers.stationed_mediatorz: unknown lever 'stationed_mediatorz'; did you mean 'stationed_mediators'?
    """
    if _is_path(source):
        doc = load_yaml_file(source, limits=limits)
        base = Path(source).resolve().parent
    else:
        doc = parse_yaml(str(source), source="<text>", limits=limits)
        base = Path(base_dir).resolve() if base_dir is not None else Path.cwd()
    if not isinstance(doc.data, dict):
        raise ConfigError(
            "a scenario file is a mapping (schema_version:, scenario:, county:, ...)",
            location=doc.locate(()),
        )
    data = doc.data
    resolver = _Resolver(doc, base, limits)
    if _is_path(source):
        resolver.hashes["scenario"] = _hash_of(Path(source))
    county = resolver.county(data.get("county"))
    refs = data.get("rulesets")
    named = refs if isinstance(refs, Mapping) else {}
    rulesets: dict[str, RuleSet] = {}
    for role in RULESET_ROLES:
        ref = named.get(role, DEFAULT_SCENARIO_RULESETS[role])
        if role not in named and role == "routing":
            path = _bundled_rules_dir() / "dispute-routing.yaml"
            if not path.is_file():
                resolver.problem(
                    ("rulesets",) if "rulesets" in data else (),
                    "no routing ruleset: name one under rulesets.routing "
                    "(bundled:NAME, a path, or an inline ruleset)",
                )
                continue
        resolved = resolver.ruleset(role, ref)
        if resolved is not None:
            rulesets[role] = resolved
    if resolver.problems:
        raise LoadErrorGroup(
            "the scenario names what cannot be loaded", resolver.problems
        )
    if county is None:  # scenario_from_data reports the missing or empty county
        county = County(id="none", name_zh="无")

    def locate(path: tuple[str | int, ...]) -> Location:
        return doc.locate(path)

    return scenario_from_data(
        data,
        county=county,
        rulesets=rulesets,
        input_hashes=resolver.hashes,
        library_version=_library_version(),
        locate=locate,
    )
