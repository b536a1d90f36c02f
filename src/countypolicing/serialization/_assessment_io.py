"""Files of the operations layer: assessment indicator sets and saved screenings.

Both are strict YAML, read with the loader of `countypolicing.serialization`
(no tags, bounded size, YAML 1.2 scalars) and checked field by field: every
problem is reported at once, each with its file, line, column and path.
"""

from __future__ import annotations

import difflib
import math
import os
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum
from pathlib import Path
from typing import Final, TypeVar

import attrs

from countypolicing.exceptions import ConfigError, LoadErrorGroup, ValidationError
from countypolicing.model import RiskLevel, RiskPointStatus
from countypolicing.operations._assessment import (
    AssessmentIndicator,
    AssessmentMeasure,
    IndicatorSet,
    SubjectKind,
    WhenEmpty,
)
from countypolicing.operations._screening import (
    CommunityAggregates,
    CommunityFinding,
    RiskGrade,
    RulesetStamp,
    ScreeningResult,
)
from countypolicing.operations._screening_core import RankingPolicy
from countypolicing.rules import BUILTIN_OUTPUTS
from countypolicing.serialization._atomic import atomic_write_text
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
    "SCREENING_FORMAT",
    "indicator_set_from_document",
    "load_indicator_set",
    "load_screening",
    "save_screening",
    "screening_from_document",
    "screening_to_text",
]

#: The format version written into saved screenings (``screening_format: 1``).
SCREENING_FORMAT: Final = 1

_E = TypeVar("_E", bound=Enum)
_T = TypeVar("_T")
Path_ = tuple[str | int, ...]


def _is_path(source: str | os.PathLike[str]) -> bool:
    if isinstance(source, os.PathLike):
        return True
    if "\n" in source:
        return False
    path = Path(source)
    return path.suffix in {".yaml", ".yml"} or path.is_file()


def _document(source: str | os.PathLike[str], limits: LoadLimits) -> YamlDocument:
    if _is_path(source):
        return load_yaml_file(source, limits=limits)
    return parse_yaml(str(source), source="<text>", limits=limits)


class _Reader:
    """Reads plain YAML data field by field, collecting located problems."""

    def __init__(self, doc: YamlDocument) -> None:
        self.doc = doc
        self.problems: list[ValidationError] = []

    def problem(self, message: str, path: Path_) -> None:
        location = attrs.evolve(self.doc.locate(path), path=format_path(path))
        field = next((p for p in reversed(path) if isinstance(p, str)), None)
        self.problems.append(ValidationError(message, location=location, field=field))

    def mapping(
        self, value: object, path: Path_, allowed: tuple[str, ...]
    ) -> Mapping[str, object] | None:
        if not isinstance(value, dict):
            self.problem(f"expected a mapping, got {_describe(value)}", path)
            return None
        for key in value:
            if key not in allowed:
                close = difflib.get_close_matches(str(key), allowed, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(f"unknown field {key!r}{hint}", (*path, key))
        return value

    def get(
        self,
        data: Mapping[str, object],
        key: str,
        path: Path_,
        read: Callable[[object, Path_], _T | None],
        *,
        required: bool = True,
    ) -> _T | None:
        if key not in data or data[key] is None:
            if required:
                self.problem("required field is missing", (*path, key))
            return None
        return read(data[key], (*path, key))

    def text(self, value: object, path: Path_) -> str | None:
        if (
            isinstance(value, (int, float))
            and not isinstance(value, bool)
            and path[-1] == "version"
        ):
            # ``version: 2020.10`` is meant as text: keep it as written
            raw = self.doc.raw_scalar(path)
            return raw if raw is not None else str(value)
        if not isinstance(value, str) or not value.strip():
            self.problem(f"expected non-empty text, got {_describe(value)}", path)
            return None
        return value

    def integer(self, value: object, path: Path_) -> int | None:
        if not isinstance(value, int) or isinstance(value, bool) or value < 0:
            self.problem(f"expected a whole number >= 0, got {_describe(value)}", path)
            return None
        return value

    def number(self, value: object, path: Path_) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or not math.isfinite(value)
        ):
            self.problem(f"expected a finite number, got {_describe(value)}", path)
            return None
        return value

    def score(self, value: object, path: Path_) -> float | None:
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float))
            or math.isnan(value)
            or value < 0
        ):
            self.problem(f"expected a number >= 0, got {_describe(value)}", path)
            return None
        return float(value)

    def day(self, value: object, path: Path_) -> date | None:
        text = value.isoformat() if isinstance(value, date) else value
        if isinstance(text, str):
            try:
                return date.fromisoformat(text)
            except ValueError:
                pass
        self.problem(f"expected a date YYYY-MM-DD, got {_describe(value)}", path)
        return None

    def choice(self, enum: type[_E]) -> Callable[[object, Path_], _E | None]:
        def read(value: object, path: Path_) -> _E | None:
            try:
                return enum(value)
            except ValueError:
                names = [str(m.value) for m in enum]
                close = difflib.get_close_matches(str(value), names, n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                self.problem(f"{value!r} is not one of {', '.join(names)}{hint}", path)
                return None

        return read

    def texts(self, value: object, path: Path_) -> tuple[str, ...] | None:
        if not isinstance(value, list):
            self.problem(f"expected a list, got {_describe(value)}", path)
            return None
        out = []
        for i, item in enumerate(value):
            text = self.text(item, (*path, i))
            if text is not None:
                out.append(text)
        return tuple(out)


def _describe(value: object) -> str:
    if value is None:
        return "nothing"
    if isinstance(value, bool):
        return f"the boolean {value!r}"
    if isinstance(value, (dict, list)):
        return "a mapping" if isinstance(value, dict) else "a list"
    return f"{type(value).__name__} {value!r}"


# ---------------------------------------------------------------- indicators
_SET_KEYS: Final = (
    "indicator_set",
    "version",
    "title",
    "authority",
    "provenance",
    "indicators",
)
_INDICATOR_KEYS: Final = (
    "id",
    "name_zh",
    "name_en",
    "measure",
    "weight",
    "subjects",
    "when_empty",
    "description",
)


def load_indicator_set(
    source: str | os.PathLike[str], *, limits: LoadLimits = DEFAULT_LIMITS
) -> IndicatorSet:
    """Load and check an assessment indicator set from a YAML file or YAML text.

    A path (or a string ending in ``.yaml``/``.yml``, or naming an existing file)
    is read as a file; any other string is parsed as YAML text. The file format:

    ```yaml
    indicator_set: county-policing-assessment   # id
    version: "2020.1"
    title: 县域警务综合绩效考核指标            # optional: title, authority, provenance
    indicators:
      - id: tasks-on-time
        name_zh: 任务按期完成率
        name_en: tasks completed on time       # optional
        measure: tasks_on_time                 # an AssessmentMeasure
        weight: 25                             # > 0, relative
        subjects: [township, department, station]   # optional, default all three
        when_empty: skip                       # optional: skip, full or zero
        description: ...                       # optional
    ```

    Raises:
        ConfigError: the file cannot be read or is not acceptable YAML.
        LoadErrorGroup: every problem of the content, each a `ValidationError`
            with file, line, column and path (``indicators[2].weight``).

    Examples:
        >>> s = load_indicator_set('''
        ... indicator_set: demo
        ... version: "1"
        ... indicators:
        ...   - {id: risks, name_zh: 风险点管控率, measure: risk_points_controlled, weight: 1}
        ... ''')
        >>> s.indicators[0].measure
        <AssessmentMeasure.RISK_POINTS_CONTROLLED: 'risk_points_controlled'>
        >>> try:
        ...     load_indicator_set('''
        ... indicator_set: demo
        ... version: "1"
        ... indicators:
        ...   - {id: risks, name_zh: 风险点管控率, measure: risk_point_controlled, weight: -1}
        ... ''')
        ... except LoadErrorGroup as err:
        ...     for problem in err.problems:
        ...         print(problem)
        <text>:5:43: indicators[0].measure: 'risk_point_controlled' is not one of tasks_on_time, tasks_closed_out, risk_points_controlled, reviews_on_time, disputes_resolved_at_grassroots, hazards_rectified_on_time; did you mean 'risk_points_controlled'?
        <text>:5:74: indicators[0].weight: must be > 0, got -1

    Added in version 0.1.0.
    """
    return indicator_set_from_document(_document(source, limits))


def indicator_set_from_document(doc: YamlDocument) -> IndicatorSet:
    """Build an indicator set from a parsed YAML document, placing every error."""
    r = _Reader(doc)
    data = r.mapping(doc.data, (), _SET_KEYS)
    if data is None:
        raise LoadErrorGroup(f"{doc.source}: not an indicator set", r.problems)
    set_id = r.get(data, "indicator_set", (), r.text)
    version = r.get(data, "version", (), r.text)
    optional = {
        key: r.get(data, key, (), r.text, required=False)
        for key in ("title", "authority", "provenance")
    }
    indicators: list[AssessmentIndicator] = []
    raw = data.get("indicators")
    if not isinstance(raw, list) or not raw:
        r.problem(
            "expected a non-empty list of indicators"
            + ("" if raw is None else f", got {_describe(raw)}"),
            ("indicators",),
        )
        raw = []
    seen: dict[str, int] = {}
    for i, item in enumerate(raw):
        indicator = _indicator(r, item, ("indicators", i), seen)
        if indicator is not None:
            indicators.append(indicator)
    if r.problems:
        raise LoadErrorGroup(
            f"{doc.source}: the indicator set has problems", r.problems
        )
    assert set_id is not None and version is not None  # noqa: S101, PT018  # checked
    return IndicatorSet(id=set_id, version=version, indicators=indicators, **optional)


def _subject_kinds(
    r: _Reader, entry: Mapping[str, object], path: Path_
) -> tuple[SubjectKind, ...]:
    if "subjects" not in entry:
        return tuple(SubjectKind)
    listed = entry["subjects"]
    if not isinstance(listed, list) or not listed:
        r.problem(
            "expected a non-empty list of township, department, station; "
            f"got {_describe(listed)}",
            (*path, "subjects"),
        )
        return ()
    kinds = [
        r.choice(SubjectKind)(kind, (*path, "subjects", j))
        for j, kind in enumerate(listed)
    ]
    if len(set(map(str, listed))) != len(listed):
        r.problem("a kind of subject is listed twice", (*path, "subjects"))
    return tuple(k for k in kinds if k is not None)


def _indicator(
    r: _Reader, item: object, path: Path_, seen: dict[str, int]
) -> AssessmentIndicator | None:
    entry = r.mapping(item, path, _INDICATOR_KEYS)
    if entry is None:
        return None
    before = len(r.problems)
    ind_id = r.get(entry, "id", path, r.text)
    if ind_id is not None and ind_id in seen:
        r.problem(
            f"indicator id {ind_id!r} is already used by indicators[{seen[ind_id]}]",
            (*path, "id"),
        )
    elif ind_id is not None:
        seen[ind_id] = int(path[-1])
    name_zh = r.get(entry, "name_zh", path, r.text)
    name_en = r.get(entry, "name_en", path, r.text, required=False)
    measure = r.get(entry, "measure", path, r.choice(AssessmentMeasure))
    weight = r.get(entry, "weight", path, r.number)
    if weight is not None and weight <= 0:
        r.problem(f"must be > 0, got {weight!r}", (*path, "weight"))
    subjects = _subject_kinds(r, entry, path)
    when_empty = r.get(entry, "when_empty", path, r.choice(WhenEmpty), required=False)
    description = r.get(entry, "description", path, r.text, required=False)
    if len(r.problems) != before:
        return None
    assert ind_id is not None and name_zh is not None  # noqa: S101, PT018  # checked
    assert measure is not None and weight is not None  # noqa: S101, PT018  # checked
    return AssessmentIndicator(
        id=ind_id,
        name_zh=name_zh,
        name_en=name_en,
        measure=measure,
        weight=weight,
        subjects=subjects,
        when_empty=when_empty if when_empty is not None else WhenEmpty.SKIP,
        description=description,
    )


# ---------------------------------------------------------------- screenings
_SCREENING_KEYS: Final = (
    "screening_format",
    "county_id",
    "as_of",
    "scope",
    "campaign_id",
    "grading",
    "classification",
    "output_name",
    "class_values",
    "ranking",
    "names",
    "communities",
    "risks",
)
_STAMP_KEYS: Final = ("id", "version", "hash")
_FINDING_KEYS: Final = (
    "community_id",
    "township_id",
    "station_id",
    "position",
    "risk_class",
    "class_rank",
    "rule_ids",
    "because_zh",
    "because_en",
    "score",
    "aggregates",
    "record",
)
_AGGREGATE_KEYS: Final = tuple(f.name for f in attrs.fields(CommunityAggregates))
_RISK_KEYS: Final = (
    "risk_point_id",
    "community_id",
    "theme",
    "level",
    "rule_ids",
    "status",
    "open_hazards",
)


def _screening_data(result: ScreeningResult) -> dict[str, object]:
    return {
        "screening_format": SCREENING_FORMAT,
        "county_id": result.county_id,
        "as_of": result.as_of.isoformat(),
        "scope": list(result.scope),
        "campaign_id": result.campaign_id,
        "grading": attrs.asdict(result.grading),
        "classification": attrs.asdict(result.classification),
        "output_name": result.output_name,
        "class_values": list(result.class_values),
        "ranking": dict(result.ranking.weights),
        "names": {k: [zh, en] for k, (zh, en) in result.names.items()},
        "communities": [
            {
                "community_id": f.community_id,
                "township_id": f.township_id,
                "station_id": f.station_id,
                "position": f.position,
                "risk_class": str(f.risk_class),
                "class_rank": f.class_rank,
                "rule_ids": list(f.rule_ids),
                "because_zh": f.because_zh,
                "because_en": f.because_en,
                "score": f.score,
                "aggregates": {
                    **attrs.asdict(f.aggregates),
                    "worst_level": None
                    if f.aggregates.worst_level is None
                    else str(f.aggregates.worst_level),
                    "themes": list(f.aggregates.themes),
                },
                "record": dict(f.record),
            }
            for f in result.communities
        ],
        "risks": [
            {
                "risk_point_id": g.risk_point_id,
                "community_id": g.community_id,
                "theme": g.theme,
                "level": str(g.level),
                "rule_ids": list(g.rule_ids),
                "status": str(g.status),
                "open_hazards": g.open_hazards,
            }
            for g in result.risks
        ],
    }


def screening_to_text(result: ScreeningResult) -> str:
    """A screening as YAML text that `load_screening` reads back equal.

    Explanations are not written (they are rebuilt by classifying again).

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> from countypolicing.operations._screening import screen
        >>> result = screen(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> text = screening_to_text(result)
        >>> text.splitlines()[:3]
        ['screening_format: 1', 'county_id: yueyanglou', 'as_of: 2020-09-15']
        >>> load_screening(text) == result
        True
    """
    return dump_yaml(_screening_data(result))


def save_screening(result: ScreeningResult, path: str | os.PathLike[str]) -> None:
    """Write a screening to a YAML file, atomically (for later `diff_campaigns`).

    Raises:
        SaveError: the file could not be written; any previous file is unchanged.
    """
    atomic_write_text(path, screening_to_text(result))


def load_screening(
    source: str | os.PathLike[str], *, limits: LoadLimits = DEFAULT_LIMITS
) -> ScreeningResult:
    """Read a screening saved by `save_screening` (a file, or YAML text).

    Raises:
        ConfigError: the file cannot be read or is not acceptable YAML.
        LoadErrorGroup: every problem of the content, each located.
    """
    return screening_from_document(_document(source, limits))


def screening_from_document(doc: YamlDocument) -> ScreeningResult:  # noqa: C901, PLR0912, PLR0915  # one field after another
    """Build a screening from a parsed YAML document, placing every error."""
    r = _Reader(doc)
    data = r.mapping(doc.data, (), _SCREENING_KEYS)
    if data is None:
        raise LoadErrorGroup(f"{doc.source}: not a saved screening", r.problems)
    fmt = data.get("screening_format")
    if fmt != SCREENING_FORMAT:
        raise ConfigError(
            f"screening_format {fmt!r} is not one this version reads ({SCREENING_FORMAT})",
            location=attrs.evolve(
                doc.locate(("screening_format",)), path="screening_format"
            ),
        )
    county_id = r.get(data, "county_id", (), r.text)
    as_of = r.get(data, "as_of", (), r.day)
    scope = r.get(data, "scope", (), r.texts) or ()
    campaign_id = r.get(data, "campaign_id", (), r.text, required=False)
    output_name = r.get(data, "output_name", (), r.text)
    class_values = r.get(data, "class_values", (), r.texts) or ()
    enum = BUILTIN_OUTPUTS.get(output_name or "")

    def stamp(value: object, path: Path_) -> RulesetStamp | None:
        m = r.mapping(value, path, _STAMP_KEYS)
        if m is None:
            return None
        parts = [r.get(m, key, path, r.text) for key in _STAMP_KEYS]
        if None in parts:
            return None
        return RulesetStamp(id=parts[0], version=parts[1], hash=parts[2])  # type: ignore[arg-type]  # checked

    grading = r.get(data, "grading", (), stamp)
    classification = r.get(data, "classification", (), stamp)
    ranking = None
    weights = data.get("ranking")
    if isinstance(weights, dict):
        try:
            ranking = RankingPolicy(weights=weights)
        except ValueError as exc:
            r.problem(str(exc), ("ranking",))
    else:
        r.problem("expected a mapping of field: weight", ("ranking",))
    names: dict[str, tuple[str, str | None]] = {}
    raw_names = data.get("names", {})
    if isinstance(raw_names, dict):
        for key, pair in raw_names.items():
            if (
                isinstance(pair, list)
                and len(pair) == 2  # noqa: PLR2004  # [zh, en]
                and isinstance(pair[0], str)
                and (pair[1] is None or isinstance(pair[1], str))
            ):
                names[key] = (pair[0], pair[1])
            else:
                r.problem("expected [name_zh, name_en]", ("names", key))
    else:
        r.problem("expected a mapping of id: [name_zh, name_en]", ("names",))

    findings: list[CommunityFinding] = []
    for i, item in enumerate(_items(r, data, "communities")):
        path: Path_ = ("communities", i)
        f = r.mapping(item, path, _FINDING_KEYS)
        if f is None:
            continue
        before = len(r.problems)
        values = {
            "community_id": r.get(f, "community_id", path, r.text),
            "township_id": r.get(f, "township_id", path, r.text),
            "station_id": r.get(f, "station_id", path, r.text, required=False),
            "position": r.get(f, "position", path, r.integer),
            "class_rank": r.get(f, "class_rank", path, r.integer),
            "rule_ids": r.get(f, "rule_ids", path, r.texts) or (),
            "because_zh": r.get(f, "because_zh", path, r.text, required=False),
            "because_en": r.get(f, "because_en", path, r.text, required=False),
            "score": r.get(f, "score", path, r.score),
        }
        risk_class = r.get(f, "risk_class", path, r.text)
        aggregates = r.get(f, "aggregates", path, lambda v, p: _aggregates(r, v, p))
        record = f.get("record", {})
        if not isinstance(record, dict) or not all(
            v is None or isinstance(v, (int, float, str)) for v in record.values()
        ):
            r.problem("expected a mapping of field: value", (*path, "record"))
            record = {}
        if len(r.problems) != before or risk_class is None or aggregates is None:
            continue
        findings.append(
            CommunityFinding(
                risk_class=enum(risk_class)
                if enum is not None and risk_class in {str(m) for m in enum}
                else risk_class,
                aggregates=aggregates,
                record=record.items(),
                **values,  # type: ignore[arg-type]  # checked above
            )
        )

    grades: list[RiskGrade] = []
    for i, item in enumerate(_items(r, data, "risks")):
        path = ("risks", i)
        g = r.mapping(item, path, _RISK_KEYS)
        if g is None:
            continue
        before = len(r.problems)
        fields = {
            "risk_point_id": r.get(g, "risk_point_id", path, r.text),
            "community_id": r.get(g, "community_id", path, r.text),
            "theme": r.get(g, "theme", path, r.text),
            "level": r.get(g, "level", path, r.choice(RiskLevel)),
            "rule_ids": r.get(g, "rule_ids", path, r.texts) or (),
            "status": r.get(g, "status", path, r.choice(RiskPointStatus)),
            "open_hazards": r.get(g, "open_hazards", path, r.integer),
        }
        if len(r.problems) == before:
            grades.append(RiskGrade(**fields))  # type: ignore[arg-type]  # checked above
    if r.problems:
        raise LoadErrorGroup(
            f"{doc.source}: the saved screening has problems", r.problems
        )
    return ScreeningResult(
        county_id=county_id,  # type: ignore[arg-type]  # checked above
        as_of=as_of,  # type: ignore[arg-type]  # checked above
        scope=scope,
        campaign_id=campaign_id,
        grading=grading,  # type: ignore[arg-type]  # checked above
        classification=classification,  # type: ignore[arg-type]  # checked above
        output_name=output_name,  # type: ignore[arg-type]  # checked above
        class_values=class_values,
        ranking=ranking,  # type: ignore[arg-type]  # checked above
        communities=findings,
        risks=grades,
        names=names,
    )


def _items(r: _Reader, data: Mapping[str, object], key: str) -> list[object]:
    value = data.get(key)
    if not isinstance(value, list):
        r.problem(f"expected a list, got {_describe(value)}", (key,))
        return []
    return value


def _aggregates(r: _Reader, value: object, path: Path_) -> CommunityAggregates | None:
    m = r.mapping(value, path, _AGGREGATE_KEYS)
    if m is None:
        return None
    before = len(r.problems)
    counts = {
        key: r.get(m, key, path, r.integer)
        for key in _AGGREGATE_KEYS
        if key not in {"worst_level", "themes"}
    }
    worst = r.get(m, "worst_level", path, r.choice(RiskLevel), required=False)
    themes = r.get(m, "themes", path, r.texts) or ()
    if len(r.problems) != before:
        return None
    return CommunityAggregates(worst_level=worst, themes=themes, **counts)  # type: ignore[arg-type]  # checked above
