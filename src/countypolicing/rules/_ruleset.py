"""Rulesets: the validated, typed form of a rule file (DESIGN.md §5.1).

`ruleset_from_data` turns the plain data of a rule file (what the YAML loader
produces) into a `RuleSet`, reporting *every* problem at once in a `RuleSetError`
whose items carry the rule id and the path inside the file.
"""

from __future__ import annotations

import difflib
import hashlib
import json
import math
from collections.abc import Callable, Mapping
from datetime import date
from enum import Enum, StrEnum
from functools import partial
from typing import Final, TypeVar

import attrs

from countypolicing.exceptions import (
    RuleDefinitionError,
    RuleLimitError,
    RuleSetError,
    RuleSyntaxError,
    RuleTypeError,
)
from countypolicing.model import (
    CommunityRiskClass,
    CountyRiskClass,
    HandlingLevel,
    LabelledEnum,
    MediationChannel,
    RankedEnum,
    RiskColor,
    RiskLevel,
    SupervisionLevel,
)
from countypolicing.rules._ir import (
    And,
    Arith,
    Compare,
    Const,
    Field,
    Node,
    Scalar,
    ValueType,
    render,
)
from countypolicing.rules._parse import DEFAULT_RULE_LIMITS, RuleLimits, parse_condition
from countypolicing.rules._schema import BUILTIN_SUBJECTS, FieldSpec, Schema

__all__ = [
    "BUILTIN_OUTPUTS",
    "Aggregate",
    "Because",
    "HitPolicy",
    "Monotone",
    "OutputSpec",
    "Rule",
    "RuleSet",
    "RuleTest",
    "Threshold",
    "ruleset_from_data",
]

_T = TypeVar("_T")


class HitPolicy(StrEnum):
    """How matches become a decision (DMN semantics)."""

    UNIQUE = "unique"
    FIRST = "first"
    PRIORITY = "priority"
    ANY = "any"
    COLLECT = "collect"


class Aggregate(StrEnum):
    """How a ``collect`` ruleset combines its matches."""

    LIST = "list"
    COUNT = "count"
    SUM = "sum"
    MIN = "min"
    MAX = "max"


def _by_severity(enum: type[RankedEnum]) -> tuple[str, ...]:
    return tuple(str(m) for m in sorted(enum, key=lambda m: -m.rank))


#: Output enums a ruleset may name (``output: risk_level``); values listed from the
#: highest priority (most severe) to the lowest.
BUILTIN_OUTPUTS: Final[Mapping[str, type[LabelledEnum]]] = {
    "risk_level": RiskLevel,
    "risk_color": RiskColor,
    "community_risk_class": CommunityRiskClass,
    "county_risk_class": CountyRiskClass,
    "handling_level": HandlingLevel,
    "supervision_level": SupervisionLevel,
    "mediation_channel": MediationChannel,
}


@attrs.frozen
class OutputSpec:
    """The decision's output: a name and its values, highest priority first.

    ``enum`` is set for built-in outputs; decisions then carry the enum member.

    Added in version 0.1.0.
    """

    name: str
    values: tuple[str, ...]
    enum: type[LabelledEnum] | None = None

    def value(self, text: str) -> str:
        """The output value for ``text`` (the enum member for built-in outputs)."""
        return self.enum(text) if self.enum is not None else text

    def priority(self, text: str) -> int:
        """0 for the highest-priority value, then 1, 2, ..."""
        return self.values.index(text)


@attrs.frozen
class Because:
    """Why a rule decides as it does, in Chinese and/or English."""

    zh: str | None = None
    en: str | None = None

    def text(self, lang: str = "en") -> str | None:
        """The reason in ``lang``, falling back to the other language."""
        first, second = (self.zh, self.en) if lang == "zh" else (self.en, self.zh)
        return first if first is not None else second


@attrs.frozen
class Rule:
    """One rule: a condition and what it decides.

    Attributes:
        id: unique within the ruleset.
        when: the typed condition tree.
        then: the output value, for decision rules.
        score: the points it adds, for scorecards and numeric collects.
        because: the reason shown in explanations.
        text: the canonical text of ``when``.

    Added in version 0.1.0.
    """

    id: str
    when: Node
    then: str | None = None
    score: float | int | None = None
    because: Because | None = None

    @property
    def text(self) -> str:
        """The canonical expression text of the condition."""
        return render(self.when)


@attrs.frozen
class Threshold:
    """A scorecard band: a score of at least ``at_least`` gives ``then``."""

    at_least: float | int
    then: str


@attrs.frozen
class RuleTest:
    """An example embedded in the rule file: a record and the expected outcome."""

    name: str
    given: Mapping[str, Scalar | None]
    expect: object


@attrs.frozen
class Monotone:
    """Fields whose increase must never lower (``increasing``) or raise the output."""

    increasing: tuple[str, ...] = ()
    decreasing: tuple[str, ...] = ()


@attrs.frozen
class RuleSet:
    """A validated ruleset, ready to compile.

    Build one with `countypolicing.load_ruleset` (from a file or YAML text) or with
    `ruleset_from_data` (from plain data).

    Added in version 0.1.0.
    """

    id: str
    version: str
    schema: Schema
    output: OutputSpec | None
    hit_policy: HitPolicy
    rules: tuple[Rule, ...]
    aggregate: Aggregate | None = None
    default: str | None = None
    thresholds: tuple[Threshold, ...] = ()
    title: str | None = None
    authority: str | None = None
    effective: date | None = None
    provenance: str | None = None
    tests: tuple[RuleTest, ...] = ()
    monotone: Monotone | None = None
    content_hash: str = attrs.field(default="", eq=False)

    def rule(self, rule_id: str) -> Rule:
        """The rule with this id (raises ``KeyError``)."""
        for r in self.rules:
            if r.id == rule_id:
                return r
        raise KeyError(rule_id)

    def normalized(self) -> dict[str, object]:
        """The canonical, semantic content of the ruleset (what the hash covers)."""
        return {
            "ruleset": self.id,
            "version": self.version,
            "effective": self.effective.isoformat() if self.effective else None,
            "schema": sorted(
                [f.name, f.type, list(f.values or ()), f.ordered, f.optional]
                for f in self.schema.fields
            ),
            "output": None
            if self.output is None
            else [self.output.name, list(self.output.values)],
            "hit_policy": self.hit_policy,
            "aggregate": self.aggregate,
            "default": self.default,
            "thresholds": [[t.at_least, t.then] for t in self.thresholds],
            "rules": [[r.id, r.text, r.then, r.score] for r in self.rules],
        }


def content_hash(ruleset: RuleSet) -> str:
    """SHA-256 of the normalised form, as ``sha256:<hex>``."""
    text = json.dumps(
        ruleset.normalized(), sort_keys=True, ensure_ascii=False, separators=(",", ":")
    )
    return "sha256:" + hashlib.sha256(text.encode("utf-8")).hexdigest()


# ---------------------------------------------------------------- building
Path = tuple[str | int, ...]

_TOP_KEYS: Final = (
    "ruleset",
    "version",
    "title",
    "authority",
    "effective",
    "provenance",
    "subject",
    "fields",
    "output",
    "hit_policy",
    "aggregate",
    "default",
    "thresholds",
    "matrix",
    "rules",
    "tests",
    "monotone",
)
_RULE_KEYS: Final = ("id", "when", "then", "score", "because")
_FIELD_TYPES: Final = {
    "int": ValueType.INT,
    "float": ValueType.FLOAT,
    "bool": ValueType.BOOL,
    "str": ValueType.STR,
}


class _Problems:
    def __init__(self, limits: RuleLimits) -> None:
        self.items: list[RuleDefinitionError] = []
        self.limits = limits

    def add(
        self,
        kind: type[RuleDefinitionError],
        message: str,
        path: Path,
        rule_id: str | None = None,
    ) -> None:
        self.items.append(kind(message, rule_id=rule_id, path=path))

    def guard(
        self, build: Callable[[], _T], path: Path, rule_id: str | None = None
    ) -> _T | None:
        try:
            return build()
        except RuleDefinitionError as exc:
            self.items.append(
                type(exc)(
                    exc.message,
                    rule_id=rule_id,
                    path=(*path, *exc.path),
                    column=exc.column,
                )
            )
            return None


def _unknown_keys(
    raw: Mapping[str, object],
    allowed: tuple[str, ...],
    path: Path,
    p: _Problems,
    *,
    rule_id: str | None = None,
) -> None:
    for key in raw:
        if key not in allowed:
            close = difflib.get_close_matches(str(key), allowed, n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.add(
                RuleSyntaxError,
                f"unknown key {key!a}{hint}",
                (*path, str(key)),
                rule_id,
            )


def _text(
    raw: object, path: Path, p: _Problems, *, required: bool = False
) -> str | None:
    if raw is None:
        if required:
            p.add(RuleSyntaxError, "required", path)
        return None
    if (
        isinstance(raw, (int, float))
        and not isinstance(raw, bool)
        and path[-1] == "version"
    ):
        # a bare `version: 1.2` is clearly meant as text (the YAML loader passes
        # the scalar as written, so `2020.10` keeps its trailing zero)
        return str(raw)
    if not isinstance(raw, str) or not raw.strip():
        p.add(RuleSyntaxError, f"expected non-empty text, got {raw!r}", path)
        return None
    return raw


def _schema(raw: Mapping[str, object], p: _Problems) -> Schema | None:
    subject, fields = raw.get("subject"), raw.get("fields")
    if subject is not None and fields is not None:
        p.add(
            RuleSyntaxError, "give either 'subject' or 'fields', not both", ("fields",)
        )
        return None
    if subject is not None:
        if not isinstance(subject, str) or subject not in BUILTIN_SUBJECTS:
            close = difflib.get_close_matches(str(subject), list(BUILTIN_SUBJECTS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.add(
                RuleSyntaxError,
                f"unknown subject {subject!r}{hint} (built in: "
                f"{', '.join(BUILTIN_SUBJECTS)})",
                ("subject",),
            )
            return None
        return BUILTIN_SUBJECTS[str(subject)]
    if not isinstance(fields, Mapping) or not fields:
        p.add(
            RuleSyntaxError,
            "declare the record's fields (fields:) or name a subject (subject:)",
            ("fields",),
        )
        return None
    specs = []
    for name, spec in fields.items():
        built = _field_spec(str(name), spec, ("fields", str(name)), p)
        if built is not None:
            specs.append(built)
    return Schema("inline", tuple(specs))


def _field_spec(name: str, raw: object, path: Path, p: _Problems) -> FieldSpec | None:
    if not name.isidentifier() or not name.isascii():
        p.add(
            RuleSyntaxError,
            f"field name {name!a} must be an ASCII identifier",
            path,
        )
        return None
    optional = False
    description = ""
    if isinstance(raw, Mapping):
        known = ("type", "enum", "optional", "ordered", "description")
        # report misspelt keys but keep the field declared, so rules and tests
        # that use it do not pile up follow-on "unknown field" problems
        _unknown_keys(raw, known, path, p)
        optional = raw.get("optional", False) is True
        description = str(raw.get("description", ""))
        if "enum" in raw:
            values = raw["enum"]
            if (
                not isinstance(values, list)
                or not values
                or not all(isinstance(v, str) for v in values)
                or len(set(values)) != len(values)
            ):
                p.add(
                    RuleSyntaxError,
                    "enum needs a list of distinct strings",
                    (*path, "enum"),
                )
                return None
            return FieldSpec(
                name,
                ValueType.STR,
                values=tuple(values),
                ordered=raw.get("ordered", False) is True,
                optional=optional,
                description=description,
            )
        raw = raw.get("type")
    if not isinstance(raw, str) or raw not in _FIELD_TYPES:
        p.add(
            RuleSyntaxError,
            f"unknown type {raw!r}; use int, float, bool, str or {{enum: [...]}}",
            path,
        )
        return None
    return FieldSpec(
        name, _FIELD_TYPES[str(raw)], optional=optional, description=description
    )


def _output(raw: object, p: _Problems) -> OutputSpec | None:
    if raw is None:
        return None
    if isinstance(raw, str):
        enum = BUILTIN_OUTPUTS.get(raw)
        if enum is None:
            close = difflib.get_close_matches(raw, list(BUILTIN_OUTPUTS), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            p.add(RuleSyntaxError, f"unknown output {raw!r}{hint}", ("output",))
            return None
        values = (
            _by_severity(enum)
            if issubclass(enum, RankedEnum)
            else tuple(str(m) for m in enum)
        )
        return OutputSpec(raw, values, enum)
    if isinstance(raw, Mapping) and set(raw) == {"name", "values"}:
        values = raw["values"]
        if (
            isinstance(values, list)
            and values
            and all(isinstance(v, str) and v for v in values)
            and len(set(values)) == len(values)
        ):
            return OutputSpec(str(raw["name"]), tuple(values))
    p.add(
        RuleSyntaxError,
        "output is a built-in name (e.g. risk_level) or {name: ..., values: [...]} "
        "with distinct values, highest priority first",
        ("output",),
    )
    return None


def _enum_member(enum: type[Enum], value: str) -> Enum:
    return enum(value)


def _output_value(
    raw: object,
    output: OutputSpec | None,
    path: Path,
    p: _Problems,
    rule_id: str | None = None,
) -> str | None:
    if output is None:
        p.add(RuleSyntaxError, "this ruleset declares no output", path, rule_id)
        return None
    if not isinstance(raw, str) or raw not in output.values:
        close = difflib.get_close_matches(str(raw), list(output.values), n=1)
        hint = f"; did you mean {close[0]!r}?" if close else ""
        p.add(
            RuleTypeError,
            f"{raw!r} is not an output value (one of {', '.join(output.values)}){hint}",
            path,
            rule_id,
        )
        return None
    return raw


def _number(
    raw: object, path: Path, p: _Problems, rule_id: str | None = None
) -> float | int | None:
    if (
        isinstance(raw, bool)
        or not isinstance(raw, (int, float))
        or (isinstance(raw, float) and not math.isfinite(raw))
    ):
        p.add(RuleTypeError, f"expected a finite number, got {raw!r}", path, rule_id)
        return None
    return raw


def _because(raw: object, path: Path, p: _Problems, rule_id: str) -> Because | None:
    if raw is None:
        return None
    if isinstance(raw, str) and raw.strip():
        if any("\u4e00" <= ch <= "\u9fff" for ch in raw):
            return Because(zh=raw)
        return Because(en=raw)
    if isinstance(raw, Mapping) and raw and set(raw) <= {"zh", "en"}:
        values = {k: v for k, v in raw.items() if isinstance(v, str) and v.strip()}
        if len(values) == len(raw):
            return Because(zh=values.get("zh"), en=values.get("en"))
    p.add(RuleSyntaxError, "because is a text, or {zh: ..., en: ...}", path, rule_id)
    return None


def _rules(  # noqa: C901, PLR0912  # every rule check in one place
    raw: object,
    schema: Schema,
    output: OutputSpec | None,
    policy: HitPolicy | None,
    p: _Problems,
) -> list[Rule]:
    if not isinstance(raw, list):
        p.add(RuleSyntaxError, "rules must be a list", ("rules",))
        return []
    if len(raw) > p.limits.max_rules:
        p.add(RuleLimitError, f"more than {p.limits.max_rules} rules", ("rules",))
        return []
    rules: list[Rule] = []
    seen: dict[str, int] = {}
    for index, item in enumerate(raw):
        path: Path = ("rules", index)
        if not isinstance(item, Mapping):
            p.add(RuleSyntaxError, "a rule is a mapping with id, when, then", path)
            continue
        rule_id = item.get("id")
        if not isinstance(rule_id, str) or not rule_id.strip():
            p.add(RuleSyntaxError, "every rule needs an id", (*path, "id"))
            rule_id = f"#{index + 1}"
        elif rule_id in seen:
            p.add(
                RuleSyntaxError,
                f"rule id {rule_id!r} is used twice (first at rules[{seen[rule_id]}])",
                (*path, "id"),
                rule_id,
            )
        seen.setdefault(rule_id, index)
        _unknown_keys(item, _RULE_KEYS, path, p, rule_id=rule_id)
        if "when" not in item:
            p.add(RuleSyntaxError, "the rule has no 'when'", path, rule_id)
            continue
        when = p.guard(
            partial(parse_condition, item["when"], schema, limits=p.limits),
            (*path, "when"),
            rule_id,
        )
        then = score = None
        if policy is not HitPolicy.COLLECT and "score" in item:
            p.add(
                RuleSyntaxError,
                "score is only for hit_policy: collect (scorecards)",
                (*path, "score"),
                rule_id,
            )
        if policy is HitPolicy.COLLECT and "score" in item:
            score = _number(item["score"], (*path, "score"), p, rule_id)
            if "then" in item:
                p.add(
                    RuleSyntaxError, "give 'then' or 'score', not both", path, rule_id
                )
        elif "then" in item:
            then = _output_value(item["then"], output, (*path, "then"), p, rule_id)
        else:
            p.add(
                RuleSyntaxError,
                "the rule decides nothing: give 'then' (or 'score' under collect)",
                path,
                rule_id,
            )
            continue
        because = _because(item.get("because"), (*path, "because"), p, rule_id)
        if when is not None:
            rules.append(Rule(rule_id, when, then=then, score=score, because=because))
    return rules


def _matrix(
    raw: object, schema: Schema, output: OutputSpec | None, p: _Problems
) -> list[Rule]:
    """Desugar a likelihood x severity matrix into first-match rules."""
    path: Path = ("matrix",)
    keys = ("likelihood", "severity", "scale", "cutoffs", "otherwise")
    if not isinstance(raw, Mapping):
        p.add(RuleSyntaxError, "matrix is a mapping", path)
        return []
    _unknown_keys(raw, keys, path, p)
    names = {}
    for axis in ("likelihood", "severity"):
        name = raw.get(axis, axis)
        if (
            not isinstance(name, str)
            or name not in schema
            or schema.field(name).type is not ValueType.INT
        ):
            p.add(
                RuleTypeError,
                f"{axis} must name an int field, got {name!r}",
                (*path, axis),
            )
            return []
        names[axis] = name
    scale = raw.get("scale", 5)
    if isinstance(scale, bool) or not isinstance(scale, int) or not 2 <= scale <= 10:  # noqa: PLR2004  # sensible matrix sizes
        p.add(RuleTypeError, "scale is a whole number from 2 to 10", (*path, "scale"))
        return []
    cutoffs = raw.get("cutoffs")
    otherwise = _output_value(raw.get("otherwise"), output, (*path, "otherwise"), p)
    if not isinstance(cutoffs, Mapping) or not cutoffs or otherwise is None:
        if not isinstance(cutoffs, Mapping) or not cutoffs:
            p.add(
                RuleSyntaxError,
                "cutoffs maps levels to the least score",
                (*path, "cutoffs"),
            )
        return []
    bands: list[tuple[int, str]] = []
    for level, least in cutoffs.items():
        value = _output_value(level, output, (*path, "cutoffs", str(level)), p)
        number = _number(least, (*path, "cutoffs", str(level)), p)
        if value is not None and number is not None:
            bands.append((int(number), value))
    bands.sort(key=lambda b: -b[0])
    if [b[0] for b in bands] != sorted({b[0] for b in bands}, reverse=True):
        p.add(RuleTypeError, "two levels share a cutoff", (*path, "cutoffs"))
        return []
    lik = Field(names["likelihood"], ValueType.INT)
    sev = Field(names["severity"], ValueType.INT)
    one, top = Const(1, ValueType.INT), Const(scale, ValueType.INT)
    in_range = (
        Compare("<=", one, lik),
        Compare("<=", lik, top),
        Compare("<=", one, sev),
        Compare("<=", sev, top),
    )
    score = Arith("*", lik, sev, ValueType.INT)
    rules = [
        Rule(
            f"M-{value}",
            And((*in_range, Compare(">=", score, Const(least, ValueType.INT)))),
            then=value,
            because=Because(
                zh=f"可能性×严重性 ≥ {least}", en=f"likelihood x severity >= {least}"
            ),
        )
        for least, value in bands
    ]
    rules.append(
        Rule(
            f"M-{otherwise}",
            And(in_range),
            then=otherwise,
            because=Because(zh="其余情形", en="all other scores"),
        )
    )
    return rules


def _thresholds(
    raw: object, output: OutputSpec | None, p: _Problems
) -> tuple[Threshold, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list) or not raw:
        p.add(
            RuleSyntaxError, "thresholds is a list of {at_least, then}", ("thresholds",)
        )
        return ()
    out = []
    for index, item in enumerate(raw):
        path: Path = ("thresholds", index)
        if not isinstance(item, Mapping) or set(item) != {"at_least", "then"}:
            p.add(RuleSyntaxError, "a threshold is {at_least: N, then: value}", path)
            continue
        least = _number(item["at_least"], (*path, "at_least"), p)
        then = _output_value(item["then"], output, (*path, "then"), p)
        if least is not None and then is not None:
            out.append(Threshold(least, then))
    if [t.at_least for t in out] != sorted({t.at_least for t in out}, reverse=True):
        p.add(
            RuleTypeError,
            "thresholds go from the highest score down, each score once",
            ("thresholds",),
        )
    return tuple(out)


def _check_value(spec: FieldSpec, value: object) -> str | None:
    if value is None:
        return None if spec.optional else f"{spec.name} is required"
    ok = {
        ValueType.INT: isinstance(value, int) and not isinstance(value, bool),
        ValueType.FLOAT: isinstance(value, (int, float))
        and not isinstance(value, bool)
        and math.isfinite(value),
        ValueType.BOOL: isinstance(value, bool),
        ValueType.STR: isinstance(value, str),
    }[spec.type]
    if not ok:
        return f"{spec.name} must be {spec.type}, got {value!r}"
    if spec.values is not None and value not in spec.values:
        return f"{spec.name} must be one of {', '.join(spec.values)}, got {value!r}"
    return None


def _tests(
    raw: object,
    schema: Schema,
    ruleset_output: Callable[[object, Path], object],
    p: _Problems,
) -> tuple[RuleTest, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        p.add(RuleSyntaxError, "tests is a list", ("tests",))
        return ()
    out = []
    for index, item in enumerate(raw):
        path: Path = ("tests", index)
        if not isinstance(item, Mapping) or not {"given", "expect"} <= set(item):
            p.add(RuleSyntaxError, "a test is {name, given: {...}, expect: ...}", path)
            continue
        _unknown_keys(item, ("name", "given", "expect"), path, p)
        given = item["given"]
        if not isinstance(given, Mapping):
            p.add(
                RuleSyntaxError, "given is a mapping of field values", (*path, "given")
            )
            continue
        for key, value in given.items():
            if key not in schema:
                hint = schema.suggest(str(key))
                extra = f"; did you mean {hint!r}?" if hint else ""
                p.add(
                    RuleTypeError,
                    f"unknown field {key!a}{extra}",
                    (*path, "given", str(key)),
                )
                continue
            problem = _check_value(schema.field(str(key)), value)
            if problem is not None:
                p.add(RuleTypeError, problem, (*path, "given", str(key)))
        expect = ruleset_output(item["expect"], (*path, "expect"))
        name = item.get("name", f"test {index + 1}")
        out.append(RuleTest(str(name), dict(given), expect))
    return tuple(out)


def _monotone(raw: object, schema: Schema, p: _Problems) -> Monotone | None:
    if raw is None:
        return None
    if not isinstance(raw, Mapping) or not set(raw) <= {"increasing", "decreasing"}:
        p.add(
            RuleSyntaxError,
            "monotone is {increasing: [...], decreasing: [...]}",
            ("monotone",),
        )
        return None
    lists: dict[str, tuple[str, ...]] = {}
    for key in ("increasing", "decreasing"):
        names = raw.get(key, [])
        if not isinstance(names, list) or not all(isinstance(n, str) for n in names):
            p.add(RuleSyntaxError, f"{key} is a list of field names", ("monotone", key))
            continue
        for n in names:
            if n not in schema:
                p.add(RuleTypeError, f"unknown field {n!r}", ("monotone", key))
            elif not (schema.field(n).type.numeric or schema.field(n).ordered):
                p.add(
                    RuleTypeError, f"{n} is not numeric or ordered", ("monotone", key)
                )
        lists[key] = tuple(names)
    return Monotone(lists.get("increasing", ()), lists.get("decreasing", ()))


def ruleset_from_data(  # noqa: C901, PLR0912, PLR0915  # one pass over the file, collecting every problem
    data: object, *, limits: RuleLimits = DEFAULT_RULE_LIMITS
) -> RuleSet:
    """Validate the plain data of a rule file and build the `RuleSet`.

    Raises:
        RuleSetError: every problem, each with its rule id and path.

    Examples:
        >>> rs = ruleset_from_data(
        ...     {
        ...         "ruleset": "demo",
        ...         "version": "1",
        ...         "fields": {"calls": "float"},
        ...         "output": {"name": "level", "values": ["high", "low"]},
        ...         "hit_policy": "first",
        ...         "default": "low",
        ...         "rules": [{"id": "R1", "when": "calls > 30", "then": "high"}],
        ...     }
        ... )
        >>> rs.rules[0].text, rs.content_hash[:7]
        ('calls > 30', 'sha256:')
    """
    p = _Problems(limits)
    if not isinstance(data, Mapping):
        raise RuleSetError(
            "not a ruleset",
            [
                RuleSyntaxError(
                    "a rule file is a mapping (ruleset:, version:, rules:, ...)"
                )
            ],
        )
    _unknown_keys(data, _TOP_KEYS, (), p)
    ruleset_id = _text(data.get("ruleset"), ("ruleset",), p, required=True)
    version = _text(data.get("version"), ("version",), p, required=True)
    title = _text(data.get("title"), ("title",), p)
    authority = _text(data.get("authority"), ("authority",), p)
    provenance = _text(data.get("provenance"), ("provenance",), p)
    effective: date | None = None
    raw_effective = data.get("effective")
    if raw_effective is not None:
        try:
            effective = date.fromisoformat(str(raw_effective))
        except ValueError:
            p.add(
                RuleSyntaxError,
                f"effective must be a date YYYY-MM-DD, got {raw_effective!r}",
                ("effective",),
            )
    schema = _schema(data, p)
    output = _output(data.get("output"), p)
    policy: HitPolicy | None = None
    raw_policy = data.get("hit_policy", "first")
    try:
        policy = HitPolicy(str(raw_policy))
    except ValueError:
        p.add(
            RuleSyntaxError,
            f"unknown hit_policy {raw_policy!r}; use {', '.join(HitPolicy)}",
            ("hit_policy",),
        )
    aggregate: Aggregate | None = None
    if "aggregate" in data:
        try:
            aggregate = Aggregate(str(data["aggregate"]))
        except ValueError:
            p.add(
                RuleSyntaxError,
                f"unknown aggregate {data['aggregate']!r}; use {', '.join(Aggregate)}",
                ("aggregate",),
            )
        if policy is not HitPolicy.COLLECT:
            p.add(
                RuleSyntaxError,
                "aggregate goes with hit_policy: collect",
                ("aggregate",),
            )
    elif policy is HitPolicy.COLLECT:
        aggregate = Aggregate.LIST
    default = None
    if "default" in data:
        default = _output_value(data["default"], output, ("default",), p)
    thresholds = _thresholds(data.get("thresholds"), output, p)
    if thresholds and aggregate is not Aggregate.SUM:
        p.add(
            RuleSyntaxError,
            "thresholds need hit_policy: collect with aggregate: sum",
            ("thresholds",),
        )
    if output is None and not (
        policy is HitPolicy.COLLECT
        and aggregate in {Aggregate.COUNT, Aggregate.SUM, Aggregate.MIN, Aggregate.MAX}
        and not thresholds
    ):
        p.add(RuleSyntaxError, "declare an output (output: ...)", ("output",))
    rules: list[Rule] = []
    if schema is not None:
        if "matrix" in data:
            if "rules" in data:
                p.add(
                    RuleSyntaxError, "give 'matrix' or 'rules', not both", ("matrix",)
                )
            if policy is not HitPolicy.FIRST:
                p.add(RuleSyntaxError, "a matrix decides first-match", ("hit_policy",))
            rules = _matrix(data["matrix"], schema, output, p)
        elif "rules" in data:
            rules = _rules(data["rules"], schema, output, policy, p)
        else:
            p.add(
                RuleSyntaxError, "no rules (rules: [...] or matrix: {...})", ("rules",)
            )
        numeric_collect = policy is HitPolicy.COLLECT and aggregate in {
            Aggregate.SUM,
            Aggregate.MIN,
            Aggregate.MAX,
        }
        for index, rule in enumerate(rules):
            if numeric_collect and rule.score is None:
                p.add(
                    RuleSyntaxError,
                    f"{aggregate} needs a score on every rule",
                    ("rules", index),
                    rule.id,
                )
            if not numeric_collect and rule.then is None and "matrix" not in data:
                p.add(
                    RuleSyntaxError,
                    "this hit policy needs 'then' on every rule",
                    ("rules", index),
                    rule.id,
                )

    def expected(raw: object, path: Path) -> object:
        if output is not None and (
            policy is not HitPolicy.COLLECT or thresholds or aggregate is Aggregate.LIST
        ):
            if aggregate is Aggregate.LIST and not thresholds:
                if not isinstance(raw, list):
                    p.add(RuleTypeError, "expect a list of output values", path)
                    return raw
                return tuple(_output_value(v, output, path, p) for v in raw)
            return _output_value(raw, output, path, p)
        return _number(raw, path, p)

    tests = _tests(data.get("tests"), schema, expected, p) if schema is not None else ()
    monotone = (
        _monotone(data.get("monotone"), schema, p) if schema is not None else None
    )
    if (
        p.items
        or schema is None
        or policy is None
        or ruleset_id is None
        or version is None
    ):
        name = ruleset_id or "ruleset"
        raise RuleSetError(
            f"ruleset {name!r} has problems",
            p.items or [RuleSyntaxError("incomplete ruleset")],
        )
    ruleset = RuleSet(
        id=ruleset_id,
        version=version,
        schema=schema,
        output=output,
        hit_policy=policy,
        rules=tuple(rules),
        aggregate=aggregate,
        default=default,
        thresholds=thresholds,
        title=title,
        authority=authority,
        effective=effective,
        provenance=provenance,
        tests=tests,
        monotone=monotone,
    )
    return attrs.evolve(ruleset, content_hash=content_hash(ruleset))
