"""Load and save a County as one YAML file or a directory of YAML files.

A county file is a mapping of *sections*: ``schema_version``, the ``county`` header and
any of the County's collections (``communities``, ``police_stations``, ``disputes``...).
A directory may spread the sections over any ``*.yaml`` files, each section once;
`save_county` writes the canonical layout of `COUNTY_FILES`.
"""

from __future__ import annotations

import difflib
import os
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from functools import cache
from pathlib import Path
from typing import Final

import attrs
import cattrs
from cattrs.errors import BaseValidationError

from countypolicing.exceptions import (
    ConfigError,
    IntegrityError,
    LoadError,
    LoadErrorGroup,
    Location,
    ModelError,
    SaveError,
    SchemaVersionError,
    ValidationError,
)
from countypolicing.model import (
    CommunityIndicators,
    County,
    CountyKind,
    CountyRiskClass,
    Provenance,
)
from countypolicing.model._common import non_empty, optional_non_empty, valid_id
from countypolicing.serialization._atomic import atomic_write_text, is_stray_temp_file
from countypolicing.serialization._converters import StructureTypeError, make_converter
from countypolicing.serialization._errors import located_errors
from countypolicing.serialization._tables import (
    INDICATORS_CSV,
    indicators_to_csv,
    load_indicator_rows,
)
from countypolicing.serialization._yaml import (
    DEFAULT_LIMITS,
    LoadLimits,
    YamlDocument,
    dump_yaml,
    format_path,
    load_yaml_file,
    parse_yaml,
)

__all__ = [
    "COUNTY_FILES",
    "SCHEMA_VERSION",
    "county_from_text",
    "county_to_text",
    "load_county",
    "save_county",
]

#: The version of the county file format this release writes.
SCHEMA_VERSION: Final = 1

#: Migrations from version N to N+1, applied one step at a time to raw file data.
Migration = Callable[[dict[str, object]], dict[str, object]]
MIGRATIONS: Final[dict[int, Migration]] = {}

#: Where `save_county` puts each section.
COUNTY_FILES: Final[Mapping[str, tuple[str, ...]]] = {
    "county.yaml": (
        "county",
        "townships",
        "themes",
        "theme_supervision",
        "policy_documents",
        "mechanisms",
        "meetings",
        "leading_groups",
        "paired_contacts",
        "campaigns",
        "outcome_metrics",
    ),
    "communities.yaml": ("communities", "grids", "indicators"),
    "organisations.yaml": (
        "party_committees",
        "governments",
        "departments",
        "sub_bureaus",
        "police_stations",
        "judicial_offices",
        "mediation_committees",
        "entities",
    ),
    "people.yaml": ("people",),
    "rentals.yaml": ("rentals",),
    "risks.yaml": ("risk_points", "hazards"),
    "disputes.yaml": ("disputes",),
    "workplan.yaml": ("work_plans", "key_items", "tasks", "ledger"),
    "activities.yaml": ("patrols", "incidents"),
}

_HEADER_FIELDS: Final = (
    "id",
    "name_zh",
    "name_en",
    "kind",
    "code",
    "risk_class",
    "as_of",
    "provenance",
)


@attrs.frozen(kw_only=True)
class CountyHeader:
    """The ``county:`` section: the county's own attributes."""

    id: str = attrs.field(validator=valid_id)
    name_zh: str = attrs.field(validator=non_empty)
    name_en: str | None = attrs.field(default=None, validator=optional_non_empty)
    kind: CountyKind = CountyKind.DISTRICT
    code: str | None = attrs.field(default=None, validator=optional_non_empty)
    risk_class: CountyRiskClass | None = None
    as_of: date | None = None
    provenance: Provenance = Provenance.USER


@cache
def section_types() -> Mapping[str, object]:
    """Each section name and the type it structures to."""
    types: dict[str, object] = {"county": CountyHeader}
    hints = attrs.resolve_types(County)
    for field in attrs.fields(hints):
        if field.name not in _HEADER_FIELDS and field.init:
            types[field.name] = field.type
    return types


@cache
def _converter() -> cattrs.Converter:
    return make_converter()


# ---------------------------------------------------------------------- loading
def load_county(
    path: str | os.PathLike[str], *, limits: LoadLimits = DEFAULT_LIMITS
) -> County:
    """Load a County from one YAML file or a directory of YAML files.

    Args:
        path: a ``.yaml`` file, or a directory whose ``*.yaml`` files hold the
            sections; a directory may hold its community indicators as
            ``indicators.csv`` instead of an ``indicators:`` section.
        limits: size, depth and alias-expansion limits applied to every file.

    Returns:
        The validated County.

    Raises:
        ConfigError: a file cannot be read or is not acceptable YAML.
        LimitExceeded: a file is larger, deeper or more expanded than ``limits``.
        SchemaVersionError: a file has no ``schema_version`` or a newer one.
        LoadErrorGroup: the content does not fit the schema or does not hold
            together; every problem is listed with file, line, column and path.

    Examples:
        >>> import countypolicing as cp
        >>> from countypolicing.datasets import yueyanglou_path
        >>> county = cp.load_county(yueyanglou_path())
        >>> county.name_zh
        '岳阳楼区'
    """
    p = Path(path)
    if p.is_dir():
        files = sorted(
            f
            for f in p.iterdir()
            if f.suffix in {".yaml", ".yml"}
            and f.is_file()
            and not is_stray_temp_file(f.name)
        )
        if not files:
            raise ConfigError(
                "no *.yaml files in the directory", location=Location(source=str(p))
            )
        docs = [load_yaml_file(f, limits=limits) for f in files]
        table = p / INDICATORS_CSV
        if table.is_file():
            rows, lines = load_indicator_rows(table, limits=limits)
            return _county_from_documents(
                docs, indicators=_Table(rows, str(table), lines)
            )
    else:
        docs = [load_yaml_file(p, limits=limits)]
    return _county_from_documents(docs)


def county_from_text(
    text: str, *, source: str = "<text>", limits: LoadLimits = DEFAULT_LIMITS
) -> County:
    """Load a County from the text of a one-file county YAML document.

    Examples:
        >>> county = county_from_text('''
        ... schema_version: 1
        ... county: {id: demo, name_zh: 示例区}
        ... townships:
        ...   - {id: t1, name_zh: 示例街道, kind: sub_district}
        ... ''')
        >>> county.townships[0].name_zh
        '示例街道'
    """
    return _county_from_documents([parse_yaml(text, source=source, limits=limits)])


def _check_version(doc: YamlDocument, data: dict[str, object]) -> dict[str, object]:
    version = data.get("schema_version")
    where = doc.locate(("schema_version",) if "schema_version" in data else ())
    if version is None:
        raise SchemaVersionError(
            f"missing schema_version (this release writes {SCHEMA_VERSION})",
            location=where,
        )
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise SchemaVersionError(
            f"schema_version must be a positive integer, got {version!r}",
            location=where,
        )
    if version > SCHEMA_VERSION:
        raise SchemaVersionError(
            f"written by a newer countypolicing (schema_version {version}); this "
            f"release reads up to {SCHEMA_VERSION}: upgrade countypolicing",
            location=where,
        )
    return migrate(data, version, source=doc.source)


def migrate(
    data: dict[str, object],
    version: int,
    *,
    source: str,
    migrations: Mapping[int, Migration] = MIGRATIONS,
) -> dict[str, object]:
    """Bring raw file data from ``version`` up to `SCHEMA_VERSION`, one step at a time."""
    current = dict(data)
    while version < SCHEMA_VERSION:
        step = migrations.get(version)
        if step is None:
            raise SchemaVersionError(
                f"no migration from schema_version {version} to {version + 1}",
                location=Location(source=source, path="schema_version"),
            )
        current = step(current)
        version += 1
        current["schema_version"] = version
    return current


@attrs.frozen
class _Table:
    """Records read from a CSV table, with where each came from."""

    rows: tuple[CommunityIndicators, ...]
    source: str
    lines: tuple[int, ...]


def _county_from_documents(  # noqa: C901, PLR0912  # one pass over every section, collecting every problem
    docs: Sequence[YamlDocument],
    *,
    indicators: _Table | None = None,
) -> County:
    errors: list[LoadError] = []
    sections: dict[str, tuple[YamlDocument, object]] = {}
    types = section_types()
    for doc in docs:
        if not isinstance(doc.data, dict):
            errors.append(
                ConfigError(
                    "expected a mapping of sections (schema_version, county, ...) "
                    "at the top of the file",
                    location=doc.locate(()),
                )
            )
            continue
        try:
            data = _check_version(doc, doc.data)
        except SchemaVersionError as exc:
            errors.append(exc)
            continue
        for key, value in data.items():
            if key == "schema_version":
                continue
            if key not in types:
                close = difflib.get_close_matches(key, list(types), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                errors.append(
                    ValidationError(
                        f"unknown section {key!a}{hint}",
                        location=doc.locate((key,)),
                        field=key,
                    )
                )
            elif key in sections:
                first = sections[key][0].source
                errors.append(
                    ValidationError(
                        f"section {key!r} appears again (first in {first})",
                        location=doc.locate((key,)),
                        field=key,
                    )
                )
            else:
                sections[key] = (doc, value)
    if indicators is not None and "indicators" in sections:
        errors.append(
            ValidationError(
                f"indicators are given both in {indicators.source} and in "
                f"{sections['indicators'][0].source}; keep one",
                location=sections["indicators"][0].locate(("indicators",)),
                field="indicators",
            )
        )
    if "county" not in sections and not errors:
        errors.append(
            ValidationError(
                "no 'county:' section with the county's id and name",
                location=Location(source=docs[0].source if docs else None),
                field="county",
            )
        )
    conv = _converter()
    structured: dict[str, object] = {}
    for key, (doc, value) in sections.items():
        try:
            structured[key] = conv.structure(value, types[key])  # type: ignore[arg-type]  # types are runtime type objects
        except (BaseValidationError, StructureTypeError, ModelError) as exc:
            errors.extend(located_errors(exc, doc, (key,)))
    if errors:
        raise LoadErrorGroup("the county data does not fit the schema", errors)
    if indicators is not None:
        structured["indicators"] = indicators.rows
    header = structured.pop("county")
    assert isinstance(header, CountyHeader)  # noqa: S101  # structured as such
    try:
        return County(**attrs.asdict(header, recurse=False), **structured)  # type: ignore[arg-type]  # sections match County's fields
    except IntegrityError as group:
        located = [
            _locate_model_error(exc, sections, indicators) for exc in group.problems
        ]
        raise LoadErrorGroup(
            f"county {header.id!r} has inconsistent records", located
        ) from group


def _locate_model_error(
    exc: ModelError,
    sections: Mapping[str, tuple[YamlDocument, object]],
    table: _Table | None,
) -> ValidationError:
    path = exc.path
    section = path[0] if path and isinstance(path[0], str) else None
    if section == "indicators" and table is not None and len(path) > 1:
        row = path[1]
        line = table.lines[row] if isinstance(row, int) else None
        location = Location(source=table.source, line=line, path=format_path(path))
    elif section is not None and section in sections:
        doc = sections[section][0]
        location = attrs.evolve(doc.locate(path), path=format_path(path))
    else:
        location = Location(path=format_path(path) if path else None)
    return ValidationError(exc.message, location=location, field=exc.field)


# ----------------------------------------------------------------------- saving
def _sections_of(county: County) -> dict[str, object]:
    conv = _converter()
    header = CountyHeader(**{name: getattr(county, name) for name in _HEADER_FIELDS})
    out: dict[str, object] = {"county": conv.unstructure(header)}
    for name in section_types():
        if name == "county":
            continue
        value = getattr(county, name)
        if value:
            out[name] = conv.unstructure(value, section_types()[name])
    return out


_BANNER: Final = (
    "# countypolicing county data (schema_version {version}); "
    "JSON Schema: `countypolicing schema county`\n"
)


def county_to_text(county: County) -> str:
    """The one-file YAML text of ``county``, readable back by `county_from_text`.

    Examples:
        >>> from countypolicing.model import County
        >>> print(county_to_text(County(id="demo", name_zh="示例区")), end="")
        # countypolicing county data (schema_version 1); JSON Schema: `countypolicing schema county`
        schema_version: 1
        county:
          id: demo
          name_zh: 示例区
    """
    body: dict[str, object] = {"schema_version": SCHEMA_VERSION, **_sections_of(county)}
    return _BANNER.format(version=SCHEMA_VERSION) + dump_yaml(body)


def save_county(county: County, path: str | os.PathLike[str]) -> Path:
    """Save ``county`` atomically, as one file (``*.yaml``) or a directory.

    Each file is written to a temporary file beside it, flushed to disk and renamed
    over the old one, so a crash leaves either the old or the new file, never half.
    A directory that keeps its indicators in ``indicators.csv`` keeps them there.
    Saving into a directory that holds other ``*.yaml`` files is refused, because
    they would be read back as part of the county.

    Returns:
        The path written.

    Raises:
        SaveError: the directory holds foreign YAML files, or writing failed
            (then files already on disk are unchanged).
    """
    p = Path(path)
    if p.suffix in {".yaml", ".yml"}:
        atomic_write_text(p, county_to_text(county))
        return p
    try:
        p.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise SaveError(f"cannot create directory {p}: {exc.strerror}") from exc
    foreign = sorted(
        f.name
        for f in p.iterdir()
        if f.suffix in {".yaml", ".yml"}
        and f.name not in COUNTY_FILES
        and not is_stray_temp_file(f.name)
    )
    if foreign:
        raise SaveError(
            f"{p} holds other YAML files ({', '.join(foreign)}) that would be read "
            "back as part of the county; save into an empty or county-only directory"
        )
    sections = _sections_of(county)
    table = p / INDICATORS_CSV
    if table.is_file():
        # The directory keeps its indicators as a table: keep that form.
        atomic_write_text(table, indicators_to_csv(county.indicators))
        sections.pop("indicators", None)
    banner = _BANNER.format(version=SCHEMA_VERSION)
    for filename, names in COUNTY_FILES.items():
        body: dict[str, object] = {"schema_version": SCHEMA_VERSION}
        body.update({n: sections[n] for n in names if n in sections})
        atomic_write_text(p / filename, banner + dump_yaml(body))
    return p
