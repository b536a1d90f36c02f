"""Static verification of rulesets, with counterexamples (DESIGN.md §5.6).

How it works (the user's view is in ``docs/how-to/verify-rules.md``):

- Every condition becomes a union of *cubes* (disjunctive normal form). A cube is a
  *box*, one domain per field (integer or real intervals, a set of enum values or
  booleans, and whether the value may be missing), plus *residual* atoms a box cannot
  hold: comparisons across several fields, or non-linear arithmetic. ``min``,
  ``max``, ``abs`` and ``x if c else y`` inside comparisons are split into cases
  first, so they stay exact.
- Every question is an emptiness question over such regions ("is there a record
  that rule R3 matches and no earlier rule matches?"), answered by subtracting one
  cube at a time, depth first, stopping at the first surviving point.
- Boxes are exact. Residual atoms are decided exactly by enumeration when their
  fields have small finite domains in the box, by z3 when the ``verify`` extra is
  installed and the atoms are linear, and otherwise by a seeded bounded search
  whose "nothing found" is reported with ``proven=False``.
- Every counterexample is confirmed with the compiled classifier before it is
  reported.
"""

from __future__ import annotations

import math
import zlib
from collections.abc import Callable, Iterator, Mapping, Sequence
from enum import StrEnum
from fractions import Fraction
from functools import partial
from itertools import product
from typing import TYPE_CHECKING, Any, Final, Literal, NamedTuple, TypeAlias

import attrs
import numpy as np

from countypolicing.exceptions import (
    HitPolicyError,
    NoMatchError,
    RuleEvaluationError,
    RuleLimitError,
)
from countypolicing.model import RankedEnum
from countypolicing.rules._classifier import Classifier, compile_ruleset
from countypolicing.rules._ir import (
    And,
    Arith,
    Call,
    Compare,
    CompareOp,
    Const,
    Field,
    IfElse,
    In,
    IsMissing,
    Neg,
    Node,
    Not,
    Or,
    Scalar,
    ValueType,
    render,
    walk,
)
from countypolicing.rules._ruleset import Aggregate, HitPolicy, RuleSet

if TYPE_CHECKING:
    from countypolicing.rules._schema import FieldSpec

__all__ = [
    "Finding",
    "FindingKind",
    "MonotoneCheck",
    "VerificationReport",
    "VerifyLimits",
    "verify",
]

#: A record over a schema's fields, as a counterexample.
Record: TypeAlias = dict[str, Scalar | None]


class FindingKind(StrEnum):
    """What a verification finding says about the rules it names.

    Added in version 0.1.0.
    """

    UNSATISFIABLE = "unsatisfiable"
    """The rule's condition is false for every record: the rule never matches."""
    TAUTOLOGY = "tautology"
    """The rule's condition is true for every record (write a catch-all as ``default:``)."""
    DUPLICATE = "duplicate"
    """Two rules with equivalent conditions and the same outcome."""
    SHADOWED = "shadowed"
    """A rule that never decides: rules that win over it match everything it matches."""
    SUBSUMED = "subsumed"
    """A redundant rule: another rule with the same outcome matches all it matches."""
    OVERLAP = "overlap"
    """Two rules that can both match where the hit policy forbids it."""
    GAP = "gap"
    """Records no rule matches while the ruleset has no default."""
    NOT_MONOTONE = "not_monotone"
    """Raising a field declared monotone moves the output the wrong way."""

    @property
    def label_zh(self) -> str:
        """The kind's Chinese name."""
        return _KIND_ZH[self]


_KIND_ZH: Final = {
    FindingKind.UNSATISFIABLE: "永不成立",
    FindingKind.TAUTOLOGY: "恒成立",
    FindingKind.DUPLICATE: "重复",
    FindingKind.SHADOWED: "被遮蔽",
    FindingKind.SUBSUMED: "冗余",
    FindingKind.OVERLAP: "重叠",
    FindingKind.GAP: "缺口",
    FindingKind.NOT_MONOTONE: "不单调",
}
_KIND_ORDER: Final = {kind: index for index, kind in enumerate(FindingKind)}


@attrs.frozen(kw_only=True)
class Finding:
    """One verified problem: its kind, the rules involved and a counterexample.

    Attributes:
        kind: what is wrong.
        rule_ids: the rules involved, the rule the finding is about first
            (empty for a gap, which no rule covers).
        counterexample: a valid record (every field of the schema) that shows the
            problem when classified: for ``shadowed``, a record the rule matches
            but an earlier (or higher-priority) rule decides; for ``gap``, a record
            no rule matches (classifying it raises `NoMatchError`); for
            ``overlap``, a record both rules match (`HitPolicyError`); for
            ``unsatisfiable``, a record the rule does not match; for
            ``tautology``, ``duplicate`` and ``subsumed``, a record all the named
            rules match; for ``not_monotone``, the record before the field is
            raised.
        counterexample_after: for ``not_monotone`` only, the same record with
            ``field`` raised, whose output moves the wrong way.
        field: for ``not_monotone``, the field declared monotone.
        region: for ``gap``, the records it stands for, as a condition.
        proven: ``False`` when the finding rests on a bounded search that found no
            record against it (conditions over several fields without the
            ``verify`` extra); ``True`` when it is proven.

    Added in version 0.1.0.
    """

    kind: FindingKind
    rule_ids: tuple[str, ...]
    counterexample: Record
    counterexample_after: Record | None = None
    field: str | None = None
    region: str | None = None
    proven: bool = True
    detail: str = ""

    def text(self, lang: str = "en") -> str:
        """A one-line account of the finding in English (``"en"``) or Chinese (``"zh"``).

        Examples:
            >>> Finding(
            ...     kind=FindingKind.GAP,
            ...     rule_ids=(),
            ...     counterexample={"n": -1},
            ...     region="n <= -1",
            ... ).text()
            'gap: no rule matches records with n <= -1, and there is no default'
        """
        zh = lang == "zh"
        head = f"{self.kind.label_zh}：" if zh else f"{self.kind}: "
        body = _finding_text(self, zh=zh)
        if not self.proven:
            body += "（未经证明：有界搜索）" if zh else " (not proven: bounded search)"
        return head + body


def _ids(ids: Sequence[str], *, zh: bool) -> str:
    return ("、" if zh else ", ").join(ids)


def _finding_text(f: Finding, *, zh: bool) -> str:  # noqa: PLR0911  # one sentence per kind
    ids = f.rule_ids
    first = ids[0] if ids else ""
    rest = _ids(ids[1:], zh=zh)
    if f.kind is FindingKind.UNSATISFIABLE:
        return (
            f"规则 {first} 的条件对任何记录都不成立，永远不会命中"
            if zh
            else f"rule {first} can never match: its condition is false for every record"
        )
    if f.kind is FindingKind.TAUTOLOGY:
        return (
            f"规则 {first} 的条件对任何记录都成立（兜底结论请用 default:）"
            if zh
            else f"rule {first} always matches: its condition is true for every record "
            "(write a catch-all as default:)"
        )
    if f.kind is FindingKind.DUPLICATE:
        return (
            f"规则 {first} 与 {rest} 条件等价、结论相同"
            if zh
            else f"rules {first} and {rest} have equivalent conditions and the same outcome"
        )
    if f.kind is FindingKind.SHADOWED:
        return (
            f"规则 {first} 永远不起决定作用：它命中的每条记录都由 {rest} 决定{f.detail}"
            if zh
            else f"rule {first} never decides: every record it matches is decided by "
            f"{rest}{f.detail}"
        )
    if f.kind is FindingKind.SUBSUMED:
        return (
            f"规则 {first} 是多余的：它命中的每条记录 {rest} 也命中，且结论相同"
            if zh
            else f"rule {first} is redundant: {rest} matches every record it matches, "
            "with the same outcome"
        )
    if f.kind is FindingKind.OVERLAP:
        return (
            f"规则 {first} 与 {rest} 可能同时命中，命中策略不允许{f.detail}"
            if zh
            else f"rules {first} and {rest} can both match, which the hit policy "
            f"forbids{f.detail}"
        )
    if f.kind is FindingKind.GAP:
        return (
            f"满足 {f.region} 的记录没有规则命中，且没有默认值"
            if zh
            else f"no rule matches records with {f.region}, and there is no default"
        )
    return (
        f"字段 {f.field} 声明为单调，但{f.detail}"
        if zh
        else f"{f.field} is declared monotone, but {f.detail}"
    )


@attrs.frozen(kw_only=True)
class MonotoneCheck:
    """The verdict on one field a ruleset declares monotone.

    Attributes:
        field: the field.
        direction: ``"increasing"`` (raising it never lowers the output) or
            ``"decreasing"`` (raising it never raises the output).
        holds: whether no counterexample exists (or none was found).
        proven: whether ``holds`` is proven, not only searched for.

    Added in version 0.1.0.
    """

    field: str
    direction: Literal["increasing", "decreasing"]
    holds: bool
    proven: bool


@attrs.frozen(kw_only=True)
class VerifyLimits:
    """Bounds on the verifier's own work; going past one raises `RuleLimitError`.

    Attributes:
        max_rules: rules in one ruleset.
        max_nodes: nodes in one condition.
        max_cubes: disjuncts of one condition in disjunctive normal form, and
            pieces of one output region (monotonicity).
        max_cases: case splits of ``min``/``max``/``abs``/``if`` in one comparison.
        max_steps: box-splitting steps in one `verify` call.
        max_enumeration: points enumerated to decide a multi-field condition
            exactly over small finite domains.
        search_samples: points tried per box by the bounded search.
        max_gaps: gap findings reported (each a different region).

    Examples:
        >>> VerifyLimits().max_rules
        2000

    Added in version 0.1.0.
    """

    max_rules: int = 2000
    max_nodes: int = 1000
    max_cubes: int = 4096
    max_cases: int = 256
    max_steps: int = 400_000
    max_enumeration: int = 4096
    search_samples: int = 300
    max_gaps: int = 10


DEFAULT_VERIFY_LIMITS: Final = VerifyLimits()


@attrs.frozen(kw_only=True)
class VerificationReport:
    """What `verify` found, sorted by kind and then by rule order.

    Attributes:
        ruleset_id: the ruleset's id.
        ruleset_version: its version.
        ruleset_hash: its content hash.
        hit_policy: its hit policy (the notions of the findings depend on it).
        findings: every finding, sorted by kind, then by the rules' file order.
        monotone: one verdict per field the ruleset declares monotone.
        exact: whether every question was decided exactly; ``False`` when some
            were left to the bounded search (then a clean report is evidence, not
            proof).
        notes: what the verifier could not do exactly, and why.

    Added in version 0.1.0.
    """

    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    hit_policy: HitPolicy
    findings: tuple[Finding, ...]
    monotone: tuple[MonotoneCheck, ...] = ()
    exact: bool = True
    notes: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether there are no findings."""
        return not self.findings

    def by_kind(self, kind: FindingKind | str) -> tuple[Finding, ...]:
        """The findings of one kind, in report order."""
        return tuple(f for f in self.findings if f.kind == kind)

    def text(self, lang: str = "en") -> str:
        """A readable report in English (``"en"``) or Chinese (``"zh"``)."""
        zh = lang == "zh"
        n = len(self.findings)
        if zh:
            head = f"规则集 {self.ruleset_id} {self.ruleset_version}（{self.hit_policy}）：{n} 项问题"
            head += "，全部精确判定。" if self.exact else "，部分结论来自有界搜索。"
        else:
            plural = "finding" if n == 1 else "findings"
            head = (
                f"ruleset {self.ruleset_id} {self.ruleset_version} "
                f"({self.hit_policy}): {n} {plural}; "
                + (
                    "every question decided exactly."
                    if self.exact
                    else "some questions left to a bounded search."
                )
            )
        lines = [head]
        for finding in self.findings:
            lines.append("  - " + finding.text(lang))
            label = "反例" if zh else "counterexample"
            lines.append(f"      {label}: {_show_record(finding.counterexample)}")
            if finding.counterexample_after is not None:
                label = "升高后" if zh else "raised"
                lines.append(
                    f"      {label}: {_show_record(finding.counterexample_after)}"
                )
        for check in self.monotone:
            if zh:
                verdict = "成立" if check.holds else "不成立"
                how = "（已证明）" if check.proven else "（有界搜索）"
                word = "递增" if check.direction == "increasing" else "递减"
                lines.append(f"  单调{word} {check.field}：{verdict}{how}")
            else:
                verdict = "holds" if check.holds else "fails"
                how = " (proven)" if check.proven else " (bounded search)"
                lines.append(
                    f"  monotone {check.direction} {check.field}: {verdict}{how}"
                )
        lines.extend(f"  note: {note}" for note in self.notes)
        return "\n".join(lines)


def _show_record(record: Mapping[str, object]) -> str:
    return "{" + ", ".join(f"{k}: {v!r}" for k, v in record.items()) + "}"


# =============================================================== field domains
Num: TypeAlias = int | Fraction | float  # float only for the infinities
Span: TypeAlias = tuple[Num, bool, Num, bool]  # lo, lo closed, hi, hi closed
_INF: Final = math.inf


class _Spec(NamedTuple):
    """What the verifier needs to know of a field."""

    name: str
    kind: Literal["int", "float", "bool", "enum", "str"]
    values: tuple[str, ...] | None
    optional: bool
    ordered: bool


class _Dom(NamedTuple):
    """The values a field may take in a box.

    ``nums`` holds sorted disjoint spans (numbers); ``items`` a set of values
    (bools, enum values, texts), or the excluded texts when ``cofinite``.
    """

    missing: bool
    nums: tuple[Span, ...] = ()
    items: frozenset[object] = frozenset()
    cofinite: bool = False


def _spec_of(field: FieldSpec) -> _Spec:
    if field.values is not None:
        kind: Literal["int", "float", "bool", "enum", "str"] = "enum"
    else:
        kind = {
            ValueType.INT: "int",
            ValueType.FLOAT: "float",
            ValueType.BOOL: "bool",
            ValueType.STR: "str",
        }[field.type]  # type: ignore[assignment]  # the four literals
    return _Spec(field.name, kind, field.values, field.optional, field.ordered)


def _full(spec: _Spec) -> _Dom:
    if spec.kind in {"int", "float"}:
        return _Dom(spec.optional, ((-_INF, False, _INF, False),))
    if spec.kind == "bool":
        return _Dom(spec.optional, items=frozenset({False, True}))
    if spec.kind == "enum":
        return _Dom(spec.optional, items=frozenset(spec.values or ()))
    return _Dom(spec.optional, cofinite=True)


def _norm_span(span: Span, *, integer: bool) -> Span | None:
    lo, lc, hi, hc = span
    if lo == _INF or hi == -_INF:
        return None
    if integer:
        if lo != -_INF:
            lo = math.ceil(lo) if lc else math.floor(lo) + 1
            lc = True
        if hi != _INF:
            hi = math.floor(hi) if hc else math.ceil(hi) - 1
            hc = True
        if lo > hi:
            return None
        return (lo, lc, hi, hc)
    if lo > hi or (lo == hi and not (lc and hc)):
        return None
    return span


def _span_meet(a: Span, b: Span, *, integer: bool) -> Span | None:
    if (a[0], not a[1]) >= (b[0], not b[1]):
        lo, lc = a[0], a[1]
    else:
        lo, lc = b[0], b[1]
    if (a[2], a[3]) <= (b[2], b[3]):
        hi, hc = a[2], a[3]
    else:
        hi, hc = b[2], b[3]
    return _norm_span((lo, lc, hi, hc), integer=integer)


def _nums_meet(
    a: tuple[Span, ...], b: tuple[Span, ...], *, integer: bool
) -> tuple[Span, ...]:
    out = []
    for x in a:
        for y in b:
            s = _span_meet(x, y, integer=integer)
            if s is not None:
                out.append(s)
    out.sort(key=lambda s: (s[0], not s[1]))
    return tuple(out)


def _nums_complement(a: tuple[Span, ...], *, integer: bool) -> tuple[Span, ...]:
    out: list[Span] = []
    lo: Num = -_INF
    lc = False
    for s in a:
        gap = _norm_span((lo, lc, s[0], not s[1]), integer=integer)
        if gap is not None:
            out.append(gap)
        lo, lc = s[2], not s[3]
    last = _norm_span((lo, lc, _INF, False), integer=integer)
    if last is not None:
        out.append(last)
    return tuple(out)


def _nums_union(spans: list[Span], *, integer: bool) -> tuple[Span, ...]:
    spans = sorted(spans, key=lambda s: (s[0], not s[1]))
    out: list[Span] = []
    for s in spans:
        if out:
            p = out[-1]
            touching = s[0] <= p[2] + 1 if integer else (s[0], not s[1]) <= (p[2], p[3])
            if touching:
                hi, hc = max((p[2], p[3]), (s[2], s[3]))
                out[-1] = (p[0], p[1], hi, hc)
                continue
        out.append(s)
    return tuple(out)


def _meet(a: _Dom, b: _Dom, spec: _Spec) -> _Dom:
    missing = a.missing and b.missing
    if spec.kind in {"int", "float"}:
        return _Dom(missing, _nums_meet(a.nums, b.nums, integer=spec.kind == "int"))
    if spec.kind != "str":
        return _Dom(missing, items=a.items & b.items)
    if a.cofinite and b.cofinite:
        return _Dom(missing, items=a.items | b.items, cofinite=True)
    if a.cofinite:
        return _Dom(missing, items=b.items - a.items)
    if b.cofinite:
        return _Dom(missing, items=a.items - b.items)
    return _Dom(missing, items=a.items & b.items)


def _complement(a: _Dom, spec: _Spec) -> _Dom:
    missing = spec.optional and not a.missing
    if spec.kind in {"int", "float"}:
        return _Dom(missing, _nums_complement(a.nums, integer=spec.kind == "int"))
    if spec.kind == "str":
        return _Dom(missing, items=a.items, cofinite=not a.cofinite)
    return _Dom(missing, items=_full(spec).items - a.items)


def _empty(a: _Dom) -> bool:
    return not (a.missing or a.nums or a.items or a.cofinite)


def _is_full(a: _Dom, spec: _Spec) -> bool:
    return _empty(_complement(a, spec))


def _dom_size(a: _Dom, spec: _Spec) -> int | None:
    """How many values the domain holds, when finite."""
    n = 1 if a.missing else 0
    if spec.kind == "str" and a.cofinite:
        return None
    if spec.kind == "int":
        for lo, _, hi, _ in a.nums:
            if lo == -_INF or hi == _INF:
                return None
            n += int(hi) - int(lo) + 1
        return n
    if spec.kind == "float":
        if any(s[0] != s[2] for s in a.nums):
            return None
        return n + len(a.nums)
    return n + len(a.items)


def _dom_values(a: _Dom, spec: _Spec) -> Iterator[Scalar | None]:
    """Every value of a finite domain (see `_dom_size`), in a stable order."""
    if spec.kind == "int":
        for lo, _, hi, _ in a.nums:
            yield from range(int(lo), int(hi) + 1)
    elif spec.kind == "float":
        for lo, _, _, _ in a.nums:
            yield _as_float(lo)
    elif spec.kind == "enum":
        yield from (v for v in spec.values or () if v in a.items)
    elif spec.kind == "bool":
        yield from (v for v in (False, True) if v in a.items)
    else:
        yield from sorted(str(v) for v in a.items)
    if a.missing:
        yield None


def _as_float(x: Num) -> float:
    return float(x)


def _contains(a: _Dom, spec: _Spec, value: object) -> bool:
    if value is None:
        return a.missing
    if spec.kind in {"int", "float"}:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            return False
        if isinstance(value, float) and not math.isfinite(value):
            return False
        v = Fraction(value)
        return any(
            (lo < v or (lc and lo == v)) and (v < hi or (hc and v == hi))
            for lo, lc, hi, hc in a.nums
        )
    if spec.kind == "str":
        return (value not in a.items) if a.cofinite else (value in a.items)
    return value in a.items


def _float_in(span: Span) -> list[float]:
    """A few floats inside a real span, nearest to zero or to a bound first."""
    lo, lc, hi, hc = span
    out: list[float] = []

    def ok(x: float) -> bool:
        v = Fraction(x)
        return (lo < v or (lc and lo == v)) and (v < hi or (hc and v == hi))

    cands: list[float] = [0.0]
    if lo != -_INF:
        f = float(lo)
        cands += [
            f,
            math.nextafter(f, _INF),
            math.nextafter(math.nextafter(f, _INF), _INF),
        ]
        cands.append(float(math.floor(lo) + 1))
    if hi != _INF:
        f = float(hi)
        cands += [f, math.nextafter(f, -_INF), float(math.ceil(hi) - 1)]
    if lo != -_INF and hi != _INF:
        cands.append(float((Fraction(lo) + Fraction(hi)) / 2))
    for c in cands:
        if math.isfinite(c) and ok(c) and c not in out:
            out.append(c)
    return out


def _pick(a: _Dom, spec: _Spec) -> tuple[bool, Scalar | None]:  # noqa: C901, PLR0911, PLR0912  # one case per kind
    """A simple value of the domain: zero, a bound, the first enum value.

    Returns ``(False, None)`` when the domain holds no value a record can carry
    (an empty domain, or real bounds with no float between them).
    """
    if spec.kind == "int":
        best: int | None = None
        for lo, _, hi, _ in a.nums:
            if lo <= 0 <= hi:
                return True, 0
            cand = int(lo) if lo > 0 else int(hi)
            if best is None or abs(cand) < abs(best):
                best = cand
        if best is not None:
            return True, best
    elif spec.kind == "float":
        floats = [x for s in a.nums for x in _float_in(s)[:1]]
        if floats:
            return True, min(floats, key=abs)
    elif spec.kind == "bool":
        for v in (False, True):
            if v in a.items:
                return True, v
    elif spec.kind == "enum":
        for text in spec.values or ():
            if text in a.items:
                return True, text
    elif a.cofinite:
        return True, _fresh_text(a.items)
    elif a.items:
        return True, min(str(v) for v in a.items)
    if a.missing:
        return True, None
    return False, None


def _fresh_text(excluded: frozenset[object]) -> str:
    text = "other"
    n = 1
    while text in excluded:
        n += 1
        text = f"other{n}"
    return text


def _sample(  # noqa: C901, PLR0911  # one case per kind
    a: _Dom, spec: _Spec, rng: np.random.Generator, hints: Sequence[object]
) -> Scalar | None:
    """A seeded random value of the domain, often near a hint or a bound."""
    if a.missing and (rng.random() < 0.2 or _empty(a._replace(missing=False))):  # noqa: PLR2004  # sometimes missing
        return None
    if spec.kind in {"int", "float"}:
        integer = spec.kind == "int"
        span = a.nums[int(rng.integers(len(a.nums)))]
        lo, _, hi, _ = span
        roll = rng.random()
        cands: list[Num] = []
        numeric = [
            Fraction(h)
            for h in hints
            if isinstance(h, (int, float)) and not isinstance(h, bool)
        ]
        if roll < 0.4 and numeric:  # noqa: PLR2004  # near the constants of the atoms
            h = numeric[int(rng.integers(len(numeric)))]
            cands = [h, h + 1, h - 1] if integer else [h]
        elif roll < 0.6:  # noqa: PLR2004  # the bounds
            cands = [b for b in (lo, hi) if b not in {-_INF, _INF}]
        if not cands:
            width = 10.0 ** float(rng.integers(0, 7))
            low = (
                float(lo)
                if lo != -_INF
                else (float(hi) - width if hi != _INF else -width)
            )
            high = float(hi) if hi != _INF else low + 2 * width
            cands = [low + (high - low) * float(rng.random())]
        for c in cands:
            value: Scalar = math.floor(c) if integer else float(c)
            if _contains(a, spec, value):
                return value
            if integer and _contains(a, spec, int(value) + 1):
                return int(value) + 1
        ok, picked = _pick(a._replace(missing=False), spec)
        return picked if ok else None
    values = (
        list(_dom_values(a._replace(missing=False), spec)) if not a.cofinite else []
    )
    if spec.kind == "str" and a.cofinite:
        pool = [str(h) for h in hints if isinstance(h, str) and h not in a.items]
        pool.append(_fresh_text(a.items))
        return pool[int(rng.integers(len(pool)))]
    if not values:
        return None
    return values[int(rng.integers(len(values)))]


# =============================================================== evaluation
class _EvalError(Exception):
    """A record on which a condition cannot be evaluated (division by zero...)."""


def _rank_table(node: Compare) -> dict[str, int] | None:
    if node.op in {"==", "!="}:
        return None
    for side in (node.left, node.right):
        if isinstance(side, Field) and side.ordered and side.values is not None:
            return {v: i for i, v in enumerate(side.values)}
    return None


def _eval(node: Node, record: Mapping[str, object]) -> Any:  # noqa: ANN401, C901, PLR0911, PLR0912  # one case per node kind
    """Evaluate ``node`` exactly as the generated classifier code does."""
    try:
        if isinstance(node, Const):
            return node.value
        if isinstance(node, Field):
            return record[node.name]
        if isinstance(node, And):
            return all(_eval(item, record) for item in node.items)
        if isinstance(node, Or):
            return any(_eval(item, record) for item in node.items)
        if isinstance(node, Not):
            return not _eval(node.item, record)
        if isinstance(node, IsMissing):
            return record[node.field.name] is None
        if isinstance(node, Compare):
            left, right = _eval(node.left, record), _eval(node.right, record)
            ranks = _rank_table(node)
            if ranks is not None:
                left, right = ranks[left], ranks[right]
            return _COMPARE[node.op](left, right)
        if isinstance(node, In):
            found = _eval(node.operand, record) in frozenset(node.values)
            return not found if node.negated else found
        if isinstance(node, Arith):
            return _ARITH[node.op](_eval(node.left, record), _eval(node.right, record))
        if isinstance(node, Neg):
            return -_eval(node.operand, record)
        if isinstance(node, Call):
            args = [_eval(a, record) for a in node.args]
            if node.name == "abs":
                return abs(args[0])
            if node.name == "round":
                return int(round(args[0]))  # noqa: RUF046  # as the classifier rounds
            return min(args) if node.name == "min" else max(args)
        if _eval(node.test, record):  # the last kind: IfElse
            return _eval(node.then, record)
        return _eval(node.orelse, record)
    except (ArithmeticError, TypeError, KeyError, ValueError) as exc:
        raise _EvalError(str(exc)) from None


_COMPARE: Final[Mapping[str, Callable[[Any, Any], bool]]] = {
    "==": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}
_ARITH: Final[Mapping[str, Callable[[Any, Any], Any]]] = {
    "+": lambda a, b: a + b,
    "-": lambda a, b: a - b,
    "*": lambda a, b: a * b,
    "/": lambda a, b: a / b,
    "//": lambda a, b: a // b,
    "%": lambda a, b: a % b,
    "**": lambda a, b: a**b,
}


def _holds(node: Node, record: Mapping[str, object]) -> bool | None:
    """Whether the condition holds on the record (``None``: it cannot be evaluated)."""
    try:
        return bool(_eval(node, record))
    except _EvalError:
        return None


# =============================================================== cubes
class _Res(NamedTuple):
    """An atom a box cannot hold, asserted true (``positive``) or false."""

    node: Node
    positive: bool
    fields: tuple[str, ...]
    key: str
    linear: tuple[dict[str, Fraction], Fraction] | None
    flip: bool = False  # ``key`` names the negation of ``node``

    @property
    def sign(self) -> bool:
        """Whether the canonical atom ``key`` is asserted true."""
        return self.positive != self.flip

    def negated(self) -> _Res:
        return self._replace(positive=not self.positive)

    def holds(self, record: Mapping[str, object]) -> bool:
        """Classical truth on a full record: the atom is false where a field is missing."""
        if any(record.get(f) is None for f in self.fields):
            return not self.positive
        value = _holds(self.node, record)
        if value is None:
            return False  # an error: neither the atom nor its negation holds
        return value == self.positive


class _Cube(NamedTuple):
    """A box (one domain per constrained field) and residual atoms."""

    box: dict[str, _Dom]
    res: tuple[_Res, ...]


_TOP: Final = _Cube({}, ())


def _res_key(res: tuple[_Res, ...]) -> tuple[tuple[str, bool], ...]:
    return tuple(sorted((r.key, r.sign) for r in res))


def _cube_key(cube: _Cube) -> object:
    return (tuple(sorted(cube.box.items())), _res_key(cube.res))


class _Linear(NamedTuple):
    coeffs: dict[str, Fraction]
    const: Fraction


def _linear(node: Node) -> _Linear | None:  # noqa: C901, PLR0911, PLR0912  # one case per node kind
    """``node`` as a linear form over fields, or ``None`` when it is not linear."""
    if isinstance(node, Const):
        if isinstance(node.value, bool) or not isinstance(node.value, (int, float)):
            return None
        return _Linear({}, Fraction(node.value))
    if isinstance(node, Field):
        if not node.type.numeric:
            return None
        return _Linear({node.name: Fraction(1)}, Fraction(0))
    if isinstance(node, Neg):
        inner = _linear(node.operand)
        return None if inner is None else _scale(inner, Fraction(-1))
    if isinstance(node, Arith):
        left, right = _linear(node.left), _linear(node.right)
        if left is None or right is None:
            return None
        if node.op in {"+", "-"}:
            sign = 1 if node.op == "+" else -1
            coeffs = dict(left.coeffs)
            for name, c in right.coeffs.items():
                coeffs[name] = coeffs.get(name, Fraction(0)) + sign * c
            return _Linear(
                {k: v for k, v in coeffs.items() if v != 0},
                left.const + sign * right.const,
            )
        if node.op == "*":
            if not left.coeffs:
                return _scale(right, left.const)
            if not right.coeffs:
                return _scale(left, right.const)
            return None
        if node.op == "/" and not right.coeffs and right.const != 0:
            return _scale(left, 1 / right.const)
        if not left.coeffs and not right.coeffs:
            try:
                value = _ARITH[node.op](left.const, right.const)
            except (ArithmeticError, ValueError):
                return None
            if isinstance(value, (int, Fraction)):
                return _Linear({}, Fraction(value))
        if node.op == "**" and not right.coeffs and right.const in {0, 1}:
            return left if right.const == 1 else _Linear({}, Fraction(1))
        return None
    if isinstance(node, Call) and node.name == "round":
        inner = _linear(node.args[0])
        if inner is not None and not inner.coeffs:
            return _Linear({}, Fraction(round(inner.const)))
    return None


def _scale(form: _Linear, k: Fraction) -> _Linear:
    if k == 0:
        return _Linear({}, Fraction(0))
    return _Linear({n: c * k for n, c in form.coeffs.items()}, form.const * k)


_FLIP: Final[Mapping[str, CompareOp]] = {
    "<": ">",
    "<=": ">=",
    ">": "<",
    ">=": "<=",
    "==": "==",
    "!=": "!=",
}


def _const_of(value: Scalar) -> Const:
    if isinstance(value, bool):
        return Const(value, ValueType.BOOL)
    if isinstance(value, int):
        return Const(value, ValueType.INT)
    if isinstance(value, float):
        return Const(value, ValueType.FLOAT)
    return Const(value, ValueType.STR)


_ZERO: Final = Const(0, ValueType.INT)


class _Normaliser:
    """Turns conditions into unions of cubes (disjunctive normal form)."""

    def __init__(self, specs: Mapping[str, _Spec], limits: VerifyLimits) -> None:
        self.specs = specs
        self.limits = limits
        self.nonlinear: set[str] = set()  # residual texts no box or z3 can hold

    def cubes(self, node: Node, rule_id: str) -> list[_Cube]:
        try:
            out = self._dnf(node, positive=True)
        except _TooBig as exc:
            msg = f"verification limit: {exc}"
            raise RuleLimitError(msg, rule_id=rule_id) from None
        return _simplify(out, self.specs)

    # -- boolean structure
    def _dnf(self, node: Node, *, positive: bool) -> list[_Cube]:
        if isinstance(node, Not):
            return self._dnf(node.item, positive=not positive)
        if isinstance(node, (And, Or)):
            conj = isinstance(node, And) == positive
            parts = [self._dnf(item, positive=positive) for item in node.items]
            if conj:
                acc = [_TOP]
                for part in parts:
                    acc = self._product(acc, part)
                return acc
            out = [cube for part in parts for cube in part]
            if len(out) > self.limits.max_cubes:
                raise _TooBig(f"more than {self.limits.max_cubes} disjuncts")
            return out
        if isinstance(node, IfElse):  # a boolean conditional
            return self._dnf(
                Or((And((node.test, node.then)), And((Not(node.test), node.orelse)))),
                positive=positive,
            )
        return self._atom(node, positive=positive)

    def _product(self, a: list[_Cube], b: list[_Cube]) -> list[_Cube]:
        out = []
        for x in a:
            for y in b:
                z = _cube_meet(x, y, self.specs)
                if z is not None:
                    out.append(z)
                    if len(out) > self.limits.max_cubes:
                        raise _TooBig(
                            f"more than {self.limits.max_cubes} disjuncts in "
                            "disjunctive normal form"
                        )
        return out

    # -- atoms
    def _atom(
        self, node: Node, *, positive: bool
    ) -> list[_Cube]:  # one case per atom kind
        if isinstance(node, Const):
            return [_TOP] if bool(node.value) == positive else []
        if isinstance(node, Field):  # a boolean field
            return self._field_dom(
                node.name, _Dom(missing=False, items=frozenset({True})), positive
            )
        if isinstance(node, IsMissing):
            return self._field_dom(node.field.name, _Dom(missing=True), positive)
        if isinstance(node, In):
            if isinstance(node.operand, Field) and not self._liftable(node.operand):
                return self._in_dom(
                    node.operand, node.values, positive=positive != node.negated
                )
            op: CompareOp = "!=" if node.negated else "=="
            items = tuple(Compare(op, node.operand, _const_of(v)) for v in node.values)
            joined: Node = And(items) if node.negated else Or(items)
            return self._dnf(joined, positive=positive)
        if isinstance(node, Compare):
            return self._compare(node, positive=positive)
        msg = f"not a condition: {render(node)}"  # pragma: no cover  # typed at parse
        raise TypeError(msg)  # pragma: no cover

    def _field_dom(self, name: str, dom: _Dom, positive: bool) -> list[_Cube]:  # noqa: FBT001  # internal
        spec = self.specs[name]
        dom = _meet(dom, _full(spec), spec)
        if not positive:
            dom = _complement(dom, spec)
        if _empty(dom):
            return []
        if _is_full(dom, spec):
            return [_TOP]
        return [_Cube({name: dom}, ())]

    def _in_dom(
        self, field: Field, values: tuple[Scalar, ...], *, positive: bool
    ) -> list[_Cube]:
        spec = self.specs[field.name]
        if spec.kind in {"int", "float"}:
            points = [
                (Fraction(v), True, Fraction(v), True)
                for v in values
                if not isinstance(v, (str, bool))
            ]
            integer = spec.kind == "int"
            spans = [
                s for p in points if (s := _norm_span(p, integer=integer)) is not None
            ]
            dom = _Dom(missing=False, nums=_nums_union(spans, integer=integer))
        else:
            dom = _Dom(missing=False, items=frozenset(values))
        return self._field_dom(field.name, dom, positive)

    def _liftable(self, node: Node) -> bool:
        return any(
            isinstance(n, (IfElse, Call))
            and not (isinstance(n, Call) and n.name == "round")
            for n in walk(node)
        )

    def _compare(self, node: Compare, *, positive: bool) -> list[_Cube]:  # noqa: C901, PLR0911, PLR0912 # one case per operand shape
        left, right, op = node.left, node.right, node.op
        if left.type is ValueType.BOOL or right.type is ValueType.BOOL:
            same = Or((And((left, right)), And((Not(left), Not(right)))))
            differ = Or((And((left, Not(right))), And((Not(left), right))))
            return self._dnf(same if op == "==" else differ, positive=positive)
        if self._liftable(left) or self._liftable(right):
            cases = [
                (lc + rc, lt, rt)
                for lc, lt in self._cases(left)
                for rc, rt in self._cases(right)
            ]
            if len(cases) > self.limits.max_cases:
                raise _TooBig(
                    f"more than {self.limits.max_cases} cases in one comparison"
                )
            split = Or(tuple(And((*c, Compare(op, lt, rt))) for c, lt, rt in cases))
            return self._dnf(split, positive=positive)
        if isinstance(left, Const) and isinstance(right, Field):
            return self._compare(Compare(_FLIP[op], right, left), positive=positive)
        if isinstance(left, Const) and isinstance(right, Const):
            holds = _holds(node, {})
            return [_TOP] if holds == positive else []
        if left.type is ValueType.STR or right.type is ValueType.STR:
            if isinstance(left, Field) and isinstance(right, Const):
                spec = self.specs[left.name]
                if op in {"==", "!="}:
                    dom = _Dom(missing=False, items=frozenset({right.value}))
                    return self._field_dom(left.name, dom, positive == (op == "=="))
                ranks = {v: i for i, v in enumerate(spec.values or ())}
                limit = ranks[str(right.value)]
                keep = frozenset(v for v, r in ranks.items() if _COMPARE[op](r, limit))
                return self._field_dom(
                    left.name, _Dom(missing=False, items=keep), positive
                )
            return [self._residual(node, positive=positive, linear=None)]
        form = _linear(Arith("-", left, right, ValueType.FLOAT))
        if form is None:
            return [self._residual(node, positive=positive, linear=None)]
        if not form.coeffs:
            holds = _COMPARE[op](form.const, 0)
            return [_TOP] if holds == positive else []
        if len(form.coeffs) > 1:
            return [
                self._residual(
                    node, positive=positive, linear=(form.coeffs, form.const)
                )
            ]
        ((name, c),) = form.coeffs.items()
        bound = -form.const / c
        op2 = op if c > 0 else _FLIP[op]
        spec = self.specs[name]
        integer = spec.kind == "int"
        span: Span
        if op2 in {"==", "!="}:
            span = (bound, True, bound, True)
        elif op2 == "<":
            span = (-_INF, False, bound, False)
        elif op2 == "<=":
            span = (-_INF, False, bound, True)
        elif op2 == ">":
            span = (bound, False, _INF, False)
        else:
            span = (bound, True, _INF, False)
        normal = _norm_span(span, integer=integer)
        spans = () if normal is None else (normal,)
        dom = _Dom(missing=False, nums=spans)
        if op2 == "!=":
            dom = _Dom(missing=False, nums=_nums_complement(spans, integer=integer))
        return self._field_dom(name, dom, positive)

    def _residual(
        self,
        node: Node,
        *,
        positive: bool,
        linear: tuple[dict[str, Fraction], Fraction] | None,
    ) -> _Cube:
        fields: dict[str, None] = {}
        for n in walk(node):
            if isinstance(n, Field):
                fields.setdefault(n.name, None)
            elif isinstance(n, IsMissing):
                fields.setdefault(n.field.name, None)
        key, flip = render(node), False
        if linear is None:
            self.nonlinear.add(key)
        elif not any(self.specs[f].optional for f in fields):
            key, flip = _canonical(linear, _op_of(node))
        return _Cube({}, (_Res(node, positive, tuple(fields), key, linear, flip),))

    def _cases(
        self, term: Node
    ) -> list[tuple[tuple[Node, ...], Node]]:  # one case per node kind
        """``term`` as guarded cases free of ``min``/``max``/``abs``/``if``."""
        if isinstance(term, Neg):
            return [(c, Neg(t, term.type)) for c, t in self._cases(term.operand)]
        if isinstance(term, Arith):
            return self._limit(
                [
                    (lc + rc, Arith(term.op, lt, rt, term.type))
                    for lc, lt in self._cases(term.left)
                    for rc, rt in self._cases(term.right)
                ]
            )
        if isinstance(term, IfElse):
            return self._limit(
                [((term.test, *c), t) for c, t in self._cases(term.then)]
                + [((Not(term.test), *c), t) for c, t in self._cases(term.orelse)]
            )
        if isinstance(term, Call):
            combos: list[tuple[tuple[Node, ...], tuple[Node, ...]]] = [
                (tuple(x for c, _ in choice for x in c), tuple(t for _, t in choice))
                for choice in product(*(self._cases(a) for a in term.args))
            ]
            if len(combos) > self.limits.max_cases:
                raise _TooBig(
                    f"more than {self.limits.max_cases} cases in one comparison"
                )
            out: list[tuple[tuple[Node, ...], Node]] = []
            for conds, args in combos:
                if term.name == "round":
                    out.append((conds, Call("round", args, term.type)))
                elif term.name == "abs":
                    (x,) = args
                    out.append(((*conds, Compare(">=", x, _ZERO)), x))
                    out.append(((*conds, Compare("<", x, _ZERO)), Neg(x, x.type)))
                else:
                    low = term.name == "min"
                    for i, chosen in enumerate(args):
                        guards = tuple(
                            Compare(
                                ("<" if j < i else "<=")
                                if low
                                else (">" if j < i else ">="),
                                chosen,
                                other,
                            )
                            for j, other in enumerate(args)
                            if j != i
                        )
                        out.append(((*conds, *guards), chosen))
            return self._limit(out)
        return [((), term)]

    def _limit(
        self, cases: list[tuple[tuple[Node, ...], Node]]
    ) -> list[tuple[tuple[Node, ...], Node]]:
        if len(cases) > self.limits.max_cases:
            raise _TooBig(f"more than {self.limits.max_cases} cases in one comparison")
        return cases


class _TooBig(Exception):  # noqa: N818  # internal signal, raised as RuleLimitError
    pass


def _cube_meet(a: _Cube, b: _Cube, specs: Mapping[str, _Spec]) -> _Cube | None:
    if len(a.box) < len(b.box):
        a, b = b, a
    box = dict(a.box)
    for name, dom in b.box.items():
        if name in box:
            met = _meet(box[name], dom, specs[name])
            if _empty(met):
                return None
            box[name] = met
        else:
            box[name] = dom
    res = a.res
    if b.res:
        have = {(r.key, r.sign) for r in a.res}
        for r in b.res:
            if (r.key, not r.sign) in have:
                return None
            if (r.key, r.sign) not in have:
                res = (*res, r)
                have.add((r.key, r.sign))
    return _Cube(box, res)


def _simplify(cubes: list[_Cube], specs: Mapping[str, _Spec]) -> list[_Cube]:
    """Drop repeated cubes, and cubes inside another (when there are few)."""
    seen: dict[object, _Cube] = {}
    for cube in cubes:
        seen.setdefault(_cube_key(cube), cube)
    out = list(seen.values())
    if len(out) > 64:  # noqa: PLR2004  # quadratic: only for small unions
        return out
    kept: list[_Cube] = []
    for i, cube in enumerate(out):
        inside = any(
            j != i
            and _box_within(cube, other, specs)
            and (j < i or not _box_within(other, cube, specs))
            for j, other in enumerate(out)
        )
        if not inside:
            kept.append(cube)
    return kept


def _box_within(a: _Cube, b: _Cube, specs: Mapping[str, _Spec]) -> bool:
    """Whether cube ``a`` lies inside cube ``b`` (checked on boxes and shared residuals)."""
    have = {(r.key, r.sign) for r in a.res}
    if any((r.key, r.sign) not in have for r in b.res):
        return False
    for name, dom in b.box.items():
        spec = specs[name]
        mine = a.box.get(name, _full(spec))
        if not _empty(_meet(mine, _complement(dom, spec), spec)):
            return False
    return True


def _boxes_meet(
    a: dict[str, _Dom], b: dict[str, _Dom], specs: Mapping[str, _Spec]
) -> bool:
    small, large = (a, b) if len(a) < len(b) else (b, a)
    for name, dom in small.items():
        other = large.get(name)
        if other is not None and _empty(_meet(dom, other, specs[name])):
            return False
    return True


def _touch(a: _Cube, b: _Cube, specs: Mapping[str, _Spec]) -> bool:
    if not _boxes_meet(a.box, b.box, specs):
        return False
    if a.res and b.res:
        have = {(r.key, r.sign) for r in a.res}
        if any((r.key, not r.sign) in have for r in b.res):
            return False
    return True


def _difference(cube: _Cube, c: _Cube, specs: Mapping[str, _Spec]) -> list[_Cube]:
    """``cube`` minus ``c``, as disjoint pieces."""
    pieces: list[_Cube] = []
    acc = dict(cube.box)
    for name, dom_c in c.box.items():
        spec = specs[name]
        cur = acc.get(name)
        if cur is None:
            cur = _full(spec)
        outside = _meet(cur, _complement(dom_c, spec), spec)
        if not _empty(outside):
            box = dict(acc)
            box[name] = outside
            pieces.append(_Cube(box, cube.res))
        inside = _meet(cur, dom_c, spec)
        if _empty(inside):
            return pieces
        acc[name] = inside
    have = {(r.key, r.sign) for r in cube.res}
    res = cube.res
    for r in c.res:
        if (r.key, r.sign) in have:
            continue
        pieces.append(_Cube(acc, (*res, r.negated())))
        res = (*res, r)
    return pieces


# =============================================================== solving
class _Solver:
    """Emptiness of regions, witnesses, and the bookkeeping of exactness."""

    def __init__(
        self,
        specs: Mapping[str, _Spec],
        limits: VerifyLimits,
        *,
        z3: Any,  # noqa: ANN401  # the z3 module, or None
        seed: int,
    ) -> None:
        self.specs = specs
        self.limits = limits
        self.z3 = z3
        self.seed = seed
        self.steps = 0
        self.inexact: set[str] = set()  # residual texts left to the bounded search

    def step(self, n: int = 1) -> None:
        self.steps += n
        if self.steps > self.limits.max_steps:
            msg = (
                f"verification limit: more than {self.limits.max_steps} box-splitting "
                "steps (VerifyLimits.max_steps)"
            )
            raise RuleLimitError(msg)

    # -- records
    def assemble(
        self, box: Mapping[str, _Dom], overrides: Mapping[str, Scalar | None] = {}
    ) -> Record | None:
        record: Record = {}
        for name, spec in self.specs.items():
            if name in overrides:
                record[name] = overrides[name]
                continue
            dom = box.get(name)
            ok, value = _pick(dom if dom is not None else _full(spec), spec)
            if not ok:
                return None
            record[name] = value
        return record

    def doms(self, cube: _Cube, names: Sequence[str]) -> dict[str, _Dom]:
        return {n: cube.box.get(n) or _full(self.specs[n]) for n in names}

    # -- one cube
    def sat_point(self, cube: _Cube) -> tuple[Record | None, bool]:
        """A record in the cube, and whether a ``None`` answer is exact.

        Residual atoms are split into groups that share no field, and each group
        is decided on its own.
        """
        self.step()
        base = self.assemble(cube.box)
        if base is None:
            return None, True
        if not cube.res:
            return base, True
        kept = []
        for r in cube.res:
            truth = self._bounded_truth(r, cube.box)
            if truth is False:
                return None, True
            if truth is None:
                kept.append(r)
        record = dict(base)
        for group in _components(tuple(kept)):
            part = _Cube(cube.box, group)
            found, exact = self._sat_group(part, record)
            if found is None:
                return None, exact
            record.update(found)
        return record, True

    def _bounded_truth(self, r: _Res, box: Mapping[str, _Dom]) -> bool | None:
        """Whether a linear atom holds everywhere (or nowhere) in the box's hull."""
        if r.linear is None:
            return None
        coeffs, const = r.linear
        low: Num = const
        high: Num = const
        for name, c in coeffs.items():
            dom = box.get(name)
            if dom is None or dom.missing or not dom.nums:
                return None
            lo, hi = dom.nums[0][0], dom.nums[-1][2]
            if c > 0:
                low, high = low + c * lo, high + c * hi
            else:
                low, high = low + c * hi, high + c * lo
        op = _op_of(r.node)
        always = {
            "<": high < 0,
            "<=": high <= 0,
            ">": low > 0,
            ">=": low >= 0,
            "==": low == high == 0,
            "!=": high < 0 or low > 0,
        }[op]
        never = {
            "<": low >= 0,
            "<=": low > 0,
            ">": high <= 0,
            ">=": high < 0,
            "==": high < 0 or low > 0,
            "!=": low == high == 0,
        }[op]
        if always:
            return r.positive
        if never:
            return not r.positive
        return None

    def _sat_group(self, cube: _Cube, base: Record) -> tuple[Record | None, bool]:  # noqa: C901, PLR0911  # one case per kind
        names = list(dict.fromkeys(f for r in cube.res for f in r.fields))
        doms = _propagate(cube.res, self.doms(cube, names), self.specs)
        if doms is None:
            return None, True
        sizes = [_dom_size(doms[n], self.specs[n]) for n in names]
        if (
            all(s is not None for s in sizes)
            and math.prod(s or 0 for s in sizes) <= self.limits.max_enumeration
        ):
            self.step(math.prod(s or 0 for s in sizes) // 64)
            for combo in product(
                *(list(_dom_values(doms[n], self.specs[n])) for n in names)
            ):
                record = {**base, **dict(zip(names, combo, strict=True))}
                if all(r.holds(record) for r in cube.res):
                    return record, True
            return None, True
        solved = _difference_logic(cube.res, doms, self.specs)
        if solved is not None:
            found_dl, exact_dl = solved
            if found_dl is None:
                return None, exact_dl
            record = {**base, **found_dl}
            if all(r.holds(record) for r in cube.res):
                return record, True
        use_z3 = self.z3 is not None and all(r.linear is not None for r in cube.res)
        found = self._search(
            cube,
            base,
            names,
            doms,
            samples=self.limits.search_samples // 10 if use_z3 else None,
        )
        if found is not None:
            return found, True
        if use_z3:
            found, exact = self._z3_point(cube, base, names, doms)
            if found is not None or exact:
                return found, exact
            found = self._search(cube, base, names, doms)
            if found is not None:
                return found, True
        self.inexact.update(render(r.node) for r in cube.res)
        return None, False

    def _hints(self, cube: _Cube, name: str) -> list[object]:
        out: list[object] = []
        for r in cube.res:
            if name not in r.fields:
                continue
            for n in walk(r.node):
                if isinstance(n, Const) and not isinstance(n.value, bool):
                    out.append(n.value)  # noqa: PERF401  # clearer as a loop
        return out

    def _search(
        self,
        cube: _Cube,
        base: Record,
        names: Sequence[str],
        doms: Mapping[str, _Dom],
        samples: int | None = None,
    ) -> Record | None:
        key = "|".join(f"{r.key}{r.positive}" for r in cube.res)
        rng = np.random.default_rng([self.seed, zlib.crc32(key.encode("utf-8"))])
        hints = {n: self._hints(cube, n) for n in names}
        self.step(self.limits.search_samples // 16)
        for _ in range(self.limits.search_samples if samples is None else samples):
            record = dict(base)
            for n in names:
                record[n] = _sample(doms[n], self.specs[n], rng, hints[n])
            for r in cube.res:
                if r.linear is not None and not r.holds(record):
                    self._repair(r, record, doms, rng)
            if all(r.holds(record) for r in cube.res):
                return record
        return None

    def _repair(
        self,
        r: _Res,
        record: Record,
        doms: Mapping[str, _Dom],
        rng: np.random.Generator,
    ) -> None:
        """Solve one linear atom for one of its fields, keeping the others."""
        assert r.linear is not None  # noqa: S101  # checked by the caller
        coeffs, const = r.linear
        names = sorted(coeffs)
        name = names[int(rng.integers(len(names)))]
        rest = const
        for other, c in coeffs.items():
            if other == name:
                continue
            value = record.get(other)
            if value is None or isinstance(value, (bool, str)):
                return
            rest += c * Fraction(value)
        target = -rest / coeffs[name]
        spec = self.specs[name]
        if spec.kind == "int":
            base = math.floor(target)
            cands: list[Scalar] = [base - 1, base, base + 1, base + 2]
        else:
            t = float(target)
            cands = [
                t,
                math.nextafter(t, _INF),
                math.nextafter(t, -_INF),
                t + 1.0,
                t - 1.0,
            ]
        old = record[name]
        for cand in cands:
            if not _contains(doms[name], spec, cand):
                continue
            record[name] = cand
            if r.holds(record):
                return
        record[name] = old

    def _z3_point(  # noqa: C901, PLR0912  # one case per kind
        self,
        cube: _Cube,
        base: Record,
        names: Sequence[str],
        doms: Mapping[str, _Dom],
    ) -> tuple[Record | None, bool]:
        z3 = self.z3
        solver = z3.Solver()
        terms: dict[str, Any] = {}
        present: dict[str, Any] = {}
        for n in names:
            spec = self.specs[n]
            if spec.kind not in {"int", "float"}:
                return None, False
            var = z3.Int(n) if spec.kind == "int" else z3.Real(n)
            terms[n] = var
            dom = doms[n]
            flag = z3.Bool(f"present {n}")
            present[n] = flag
            if not dom.missing:
                solver.add(flag)
            if not dom.nums:
                solver.add(z3.Not(flag))
            parts: list[Any] = []
            for lo, lc, hi, hc in dom.nums:
                bounds = []
                if lo != -_INF:
                    q = _q(z3, lo)
                    bounds.append(var >= q if lc else var > q)
                if hi != _INF:
                    q = _q(z3, hi)
                    bounds.append(var <= q if hc else var < q)
                if not bounds:
                    parts = []
                    break
                parts.append(z3.And(*bounds))
            if parts:
                solver.add(z3.Implies(flag, z3.Or(*parts)))
        for r in cube.res:
            assert r.linear is not None  # noqa: S101  # checked by the caller
            coeffs, const = r.linear
            total = _q(z3, const)
            for n, c in coeffs.items():
                total = total + _q(z3, c) * terms[n]
            atom = z3.And(
                *(present[n] for n in r.fields if n in present),
                _COMPARE[_op_of(r.node)](total, 0),
            )
            solver.add(atom if r.positive else z3.Not(atom))
        verdict = solver.check()
        if verdict == z3.unsat:
            return None, True
        if verdict != z3.sat:
            return None, False
        model = solver.model()
        record = dict(base)
        for n in names:
            if not z3.is_true(model.eval(present[n], model_completion=True)):
                record[n] = None
                continue
            value = model.eval(terms[n], model_completion=True)
            if self.specs[n].kind == "int":
                record[n] = value.as_long()
            else:
                record[n] = float(Fraction(value.as_fraction()))
        if all(r.holds(record) for r in cube.res):
            return record, True
        return None, False  # rounding to floats: let the search try nearby

    # -- regions
    def leaves(
        self, starts: Sequence[_Cube], minus: Sequence[_Cube]
    ) -> Iterator[_Cube]:
        """Every piece of the union of ``starts`` left after removing ``minus``."""
        stack = [(cube, 0) for cube in reversed(starts)]
        n = len(minus)
        while stack:
            cube, k = stack.pop()
            while k < n and not _touch(cube, minus[k], self.specs):
                k += 1
            if k == n:
                yield cube
                continue
            pieces = _difference(cube, minus[k], self.specs)
            self.step(len(pieces) + 1)
            stack.extend((p, k + 1) for p in reversed(pieces))

    def find(
        self, starts: Sequence[_Cube], minus: Sequence[_Cube] = ()
    ) -> tuple[Record | None, bool, _Cube | None]:
        """A record in ``starts`` and in none of ``minus``; whether "none" is exact."""
        exact = True
        for leaf in self.leaves(starts, minus):
            record, ex = self.sat_point(leaf)
            if record is not None:
                return record, True, leaf
            exact = exact and ex
        return None, exact, None

    def region(self, starts: Sequence[_Cube], minus: Sequence[_Cube]) -> list[_Cube]:
        out = []
        for leaf in self.leaves(starts, minus):
            out.append(leaf)
            if len(out) > self.limits.max_cubes:
                msg = (
                    f"verification limit: an output region has more than "
                    f"{self.limits.max_cubes} pieces (VerifyLimits.max_cubes)"
                )
                raise RuleLimitError(msg)
        return out

    def samples(self, cube: _Cube, n: int, salt: str) -> Iterator[Record]:
        """Other records of a cube, for confirming a finding despite rounding."""
        rng = np.random.default_rng([self.seed, zlib.crc32(salt.encode("utf-8"))])
        names = list(self.specs)
        doms = self.doms(cube, names)
        for _ in range(n):
            record: Record = {
                name: _sample(
                    doms[name], self.specs[name], rng, self._hints(cube, name)
                )
                for name in names
            }
            if all(r.holds(record) for r in cube.res) and all(
                _contains(doms[k], self.specs[k], v) for k, v in record.items()
            ):
                yield record


_NEGATE: Final[Mapping[str, CompareOp]] = {
    "<": ">=",
    "<=": ">",
    ">": "<=",
    ">=": "<",
    "==": "!=",
    "!=": "==",
}


def _propagate(  # noqa: C901, PLR0912 # one fixed-point loop
    res: Sequence[_Res], doms: dict[str, _Dom], specs: Mapping[str, _Spec]
) -> dict[str, _Dom] | None:
    """Tighten the fields' intervals with the linear atoms (``None``: no solution)."""
    doms = dict(doms)
    rows: list[tuple[dict[str, Fraction], Fraction]] = []  # sum c*x + k <= 0
    for r in res:
        if r.linear is None:
            continue
        op = _op_of(r.node) if r.positive else _NEGATE[_op_of(r.node)]
        if r.positive:
            for n in r.fields:
                doms[n] = doms[n]._replace(missing=False)
        elif any(doms[n].missing for n in r.fields):
            continue
        coeffs, const = r.linear
        if op in {"<", "<=", "=="}:
            rows.append((coeffs, const))
        if op in {">", ">=", "=="}:
            rows.append(({n: -c for n, c in coeffs.items()}, -const))
    for _ in range(8):
        changed = False
        for coeffs, const in rows:
            lows: dict[str, Num] = {}
            for n, c in coeffs.items():
                nums = doms[n].nums
                if not nums:
                    return None
                lows[n] = c * (nums[0][0] if c > 0 else nums[-1][2])
            for n, c in coeffs.items():
                rest = sum((v for k, v in lows.items() if k != n), start=const)
                if rest in {_INF, -_INF}:
                    continue
                limit = -Fraction(rest) / c
                span: Span = (
                    (-_INF, False, limit, True) if c > 0 else (limit, True, _INF, False)
                )
                spec = specs[n]
                tighter = _nums_meet(doms[n].nums, (span,), integer=spec.kind == "int")
                if tighter != doms[n].nums:
                    if not tighter and not doms[n].missing:
                        return None
                    doms[n] = doms[n]._replace(nums=tighter)
                    changed = True
        if not changed:
            break
    return doms


def _difference_logic(  # noqa: C901, PLR0911, PLR0912 # one pass: build, relax, read off
    res: Sequence[_Res], doms: Mapping[str, _Dom], specs: Mapping[str, _Spec]
) -> tuple[dict[str, Scalar | None] | None, bool] | None:
    """Decide integer difference constraints (``x - y <= c``) exactly.

    Returns ``None`` when the atoms are not all of that form over integer fields
    with one interval each; otherwise a solution or ``(None, True)``.
    """
    edges: list[tuple[str, str, int]] = []  # (y, x, c): x - y <= c
    zero = ""
    names: set[str] = set()
    for r in res:
        if r.linear is None:
            return None
        coeffs, const = r.linear
        if len(coeffs) != 2:  # noqa: PLR2004  # differences only
            return None
        (x, cx), (y, cy) = sorted(coeffs.items())
        if cx != -cy:
            return None
        if cx < 0:
            x, y, cx = y, x, -cx
        for n in (x, y):
            dom = doms[n]
            if specs[n].kind != "int" or dom.missing or not dom.nums:
                return None
            names.add(n)
        # atom: cx * (x - y) + const op 0, i.e. x - y op -const / cx
        bound = -const / cx
        op = _op_of(r.node)
        if not r.positive:
            op = {"<": ">=", "<=": ">", ">": "<=", ">=": "<", "==": "!=", "!=": "=="}[
                op
            ]  # type: ignore[assignment]  # the six operators
        if op == "!=":
            return None
        if op in {"<", "<="}:
            limit = math.ceil(bound) - 1 if op == "<" else math.floor(bound)
            edges.append((y, x, limit))
        if op in {">", ">="}:
            limit = math.floor(bound) + 1 if op == ">" else math.ceil(bound)
            edges.append((x, y, -limit))
        if op == "==":
            if bound.denominator != 1:
                return None, True
            edges.extend(((y, x, int(bound)), (x, y, -int(bound))))
    ordered = sorted(names)
    choices = [doms[n].nums for n in ordered]
    if math.prod(len(c) for c in choices) > 64:  # noqa: PLR2004  # a few interval choices
        return None
    nodes = [zero, *ordered]
    for spans in product(*choices):
        bounds = list(edges)
        for n, (lo, _, hi, _) in zip(ordered, spans, strict=True):
            if hi != _INF:
                bounds.append((zero, n, int(hi)))
            if lo != -_INF:
                bounds.append((n, zero, -int(lo)))
        solution = _bellman_ford(nodes, bounds)
        if solution is not None:
            return {n: solution[n] - solution[zero] for n in ordered}, True
    return None, True


def _bellman_ford(
    nodes: Sequence[str], edges: Sequence[tuple[str, str, int]]
) -> dict[str, int] | None:
    """Potentials with ``d[x] - d[y] <= c`` for every edge, or ``None`` (a negative cycle)."""
    dist = dict.fromkeys(nodes, 0)
    for _ in range(len(nodes)):
        changed = False
        for y, x, c in edges:
            if dist[y] + c < dist[x]:
                dist[x] = dist[y] + c
                changed = True
        if not changed:
            return dist
    return None


def _canonical(
    linear: tuple[dict[str, Fraction], Fraction], op: CompareOp
) -> tuple[str, bool]:
    """One text for a linear atom and its negation: ``a <= b`` and ``b < a``.

    Returns the text of a canonical atom (``L <= 0``, ``L >= 0`` or ``L == 0`` with
    the first coefficient 1) and whether the atom is its negation.
    """
    coeffs, const = linear
    names = sorted(coeffs)
    scale = 1 / abs(coeffs[names[0]])
    if coeffs[names[0]] < 0:
        scale = -scale
        op = _FLIP[op]
    flip = op in {"<", ">", "!="}
    canonical = {"<": ">=", ">": "<=", "!=": "=="}.get(op, op)
    terms = " + ".join(f"{coeffs[n] * scale}*{n}" for n in names)
    return f"{terms} + {const * scale} {canonical} 0", flip


def _components(res: tuple[_Res, ...]) -> list[tuple[_Res, ...]]:
    """Residual atoms grouped so that no two groups share a field."""
    groups: list[tuple[set[str], list[_Res]]] = []
    for r in res:
        fields = set(r.fields)
        joined = [g for g in groups if g[0] & fields]
        merged_fields = fields.union(*(g[0] for g in joined))
        merged = [x for g in joined for x in g[1]] + [r]
        groups = [g for g in groups if not (g[0] & fields)]
        groups.append((merged_fields, merged))
    return [tuple(g[1]) for g in groups]


def _op_of(node: Node) -> CompareOp:
    assert isinstance(node, Compare)  # noqa: S101  # linear residuals are comparisons
    return node.op


def _q(z3: Any, value: Num) -> Any:  # noqa: ANN401  # z3 values
    f = Fraction(value)
    if f.denominator == 1:
        return z3.IntVal(f.numerator)
    return z3.Q(f.numerator, f.denominator)


# =============================================================== describing
def _num_text(x: Num) -> str:
    if isinstance(x, float):
        return repr(x)
    f = Fraction(x)
    if f.denominator == 1:
        return str(f.numerator)
    as_float = float(f)
    return (
        repr(as_float) if Fraction(as_float) == f else f"{f.numerator}/{f.denominator}"
    )


def _span_text(name: str, span: Span) -> str:
    lo, lc, hi, hc = span
    if lo == hi:
        return f"{name} == {_num_text(lo)}"
    parts = []
    if lo != -_INF:
        parts.append(f"{_num_text(lo)} {'<=' if lc else '<'} ")
    parts.append(name)
    if hi != _INF:
        parts.append(f" {'<=' if hc else '<'} {_num_text(hi)}")
    text = "".join(parts)
    if lo != -_INF and hi == _INF:
        text = f"{name} {'>=' if lc else '>'} {_num_text(lo)}"
    return text


def _dom_text(name: str, dom: _Dom, spec: _Spec) -> str:  # noqa: C901  # one case per kind
    parts: list[str] = []
    if spec.kind in {"int", "float"}:
        parts.extend(_span_text(name, s) for s in dom.nums)
    elif spec.kind == "bool":
        if dom.items == {True}:
            parts.append(name)
        elif dom.items == {False}:
            parts.append(f"not {name}")
    elif spec.kind == "enum" or not dom.cofinite:
        values = [
            v for v in (spec.values or sorted(map(str, dom.items))) if v in dom.items
        ]
        if len(values) == 1:
            parts.append(f"{name} == {values[0]!r}")
        elif values:
            parts.append(f"{name} in ({', '.join(repr(v) for v in values)})")
    elif dom.items:
        parts.append(
            f"{name} not in ({', '.join(repr(v) for v in sorted(map(str, dom.items)))})"
        )
    if dom.missing:
        parts.append(f"is_missing({name})")
    if len(parts) == 1:
        return parts[0]
    return "(" + " or ".join(parts) + ")"


def _describe(cube: _Cube, specs: Mapping[str, _Spec]) -> str:
    parts = [
        _dom_text(name, cube.box[name], spec)
        for name, spec in specs.items()
        if name in cube.box and not _is_full(cube.box[name], spec)
    ]
    parts.extend(r.key if r.positive else f"not ({r.key})" for r in cube.res)
    return " and ".join(parts) if parts else "any values"


def _map_fields(node: Node, rename: Mapping[str, Field]) -> Node:  # noqa: PLR0911  # one case per node kind
    """``node`` with some fields replaced."""
    if isinstance(node, Field):
        return rename.get(node.name, node)
    if isinstance(node, (Arith, Compare)):
        return attrs.evolve(
            node,
            left=_map_fields(node.left, rename),
            right=_map_fields(node.right, rename),
        )
    if isinstance(node, Neg):
        return attrs.evolve(node, operand=_map_fields(node.operand, rename))
    if isinstance(node, In):
        return attrs.evolve(node, operand=_map_fields(node.operand, rename))
    if isinstance(node, Call):
        return attrs.evolve(node, args=tuple(_map_fields(a, rename) for a in node.args))
    if isinstance(node, IfElse):
        return IfElse(
            _map_fields(node.test, rename),
            _map_fields(node.then, rename),
            _map_fields(node.orelse, rename),
            node.type,
        )
    if isinstance(node, (And, Or)):
        return type(node)(tuple(_map_fields(i, rename) for i in node.items))
    if isinstance(node, Not):
        return Not(_map_fields(node.item, rename))
    if isinstance(node, IsMissing):
        field = rename.get(node.field.name, node.field)
        return IsMissing(field)
    return node


# =============================================================== the verifier
Outcome: TypeAlias = tuple[object, object]


class _Verifier:  # one method per question
    def __init__(
        self,
        ruleset: RuleSet,
        limits: VerifyLimits,
        *,
        z3: Any,  # noqa: ANN401  # z3 objects are untyped
        seed: int,  # the z3 module
    ) -> None:
        rules = ruleset.rules
        if len(rules) > limits.max_rules:
            msg = (
                f"verification limit: {len(rules)} rules, more than "
                f"{limits.max_rules} (VerifyLimits.max_rules)"
            )
            raise RuleLimitError(msg)
        for rule in rules:
            for count, _ in enumerate(walk(rule.when), start=1):
                if count > limits.max_nodes:
                    msg = (
                        f"verification limit: the condition has more than "
                        f"{limits.max_nodes} nodes (VerifyLimits.max_nodes)"
                    )
                    raise RuleLimitError(msg, rule_id=rule.id)
        self.rs = ruleset
        self.rules = rules
        self.limits = limits
        self.z3 = z3
        self.seed = seed
        self.specs = {f.name: _spec_of(f) for f in ruleset.schema.fields}
        self.norm = _Normaliser(self.specs, limits)
        self.cubes = [self.norm.cubes(rule.when, rule.id) for rule in rules]
        self.solver = _Solver(self.specs, limits, z3=z3, seed=seed)
        self.clf: Classifier = compile_ruleset(ruleset)
        self.findings: list[Finding] = []
        self.notes: list[str] = []
        self.sat: list[Record | None] = []
        self.sat_leaf: list[_Cube | None] = []
        self.dup_of: dict[int, int] = {}
        self.decides: dict[int, Record] = {}
        self._within: dict[tuple[int, int], tuple[bool, bool]] = {}
        self.unconfirmed = 0

    # -- helpers
    def outcome(self, i: int) -> Outcome:
        rule = self.rules[i]
        return (rule.then, rule.score)

    def matches(self, i: int, record: Mapping[str, object]) -> bool:
        return _holds(self.rules[i].when, record) is True

    def unmatched(self, i: int, record: Mapping[str, object]) -> bool:
        return _holds(self.rules[i].when, record) is False

    def both(self, i: int, j: int, record: Mapping[str, object]) -> bool:
        return self.matches(i, record) and self.matches(j, record)

    def decide(self, record: Mapping[str, object]) -> Any:  # noqa: ANN401  # a Decision or the error
        try:
            return self.clf.classify(record)
        except RuleEvaluationError as exc:
            return exc

    def severity(self, value: object) -> float:
        out = self.rs.output
        if isinstance(value, (int, float)) and not isinstance(value, (bool, str)):
            return float(value)
        if out is None:
            return 0.0
        text = str(value)
        if out.enum is not None and issubclass(out.enum, RankedEnum):
            return float(out.enum(text).rank)
        return float(len(out.values) - out.values.index(text))

    def flat(
        self, indices: Sequence[int], near: Sequence[_Cube] | None = None
    ) -> list[_Cube]:
        out = []
        for i in indices:
            if self.sat[i] is None:
                continue
            for c in self.cubes[i]:
                if near is None or any(_touch(c, n, self.specs) for n in near):
                    out.append(c)  # noqa: PERF401  # clearer as a loop
        return out

    def within(self, i: int, j: int) -> tuple[bool, bool]:
        """Whether every record rule ``i`` matches also matches ``j``; exactly?"""
        key = (i, j)
        if key not in self._within:
            if not any(
                _touch(a, b, self.specs) for a in self.cubes[i] for b in self.cubes[j]
            ):
                self._within[key] = (False, True)
            else:
                record, exact, _ = self.solver.find(self.cubes[i], self.cubes[j])
                self._within[key] = (record is None, exact)
        return self._within[key]

    def meet_point(self, i: int, j: int) -> tuple[Record | None, _Cube | None]:
        for a in self.cubes[i]:
            for b in self.cubes[j]:
                m = _cube_meet(a, b, self.specs)
                if m is None:
                    continue
                record, _ = self.solver.sat_point(m)
                if record is not None:
                    return record, m
        return None, None

    def confirm(
        self,
        record: Record | None,
        cube: _Cube | None,
        check: Callable[[Record], bool],
        salt: str,
    ) -> Record | None:
        if record is not None and check(record):
            return record
        if cube is not None:
            for other in self.solver.samples(cube, 200, salt):
                if check(other):
                    return other
        self.unconfirmed += 1
        return None

    def add(
        self,
        kind: FindingKind,
        ids: Sequence[int],
        record: Record | None,
        **kw: Any,  # noqa: ANN401  # z3 objects are untyped
    ) -> None:  # Finding fields
        if record is None:
            return
        self.findings.append(
            Finding(
                kind=kind,
                rule_ids=tuple(self.rules[i].id for i in ids),
                counterexample=record,
                **kw,
            )
        )

    # -- questions
    def run(self) -> VerificationReport:
        policy = self.rs.hit_policy
        self.single()
        self.duplicates()
        if policy is HitPolicy.FIRST:
            self.shadowed_first()
            self.subsumed_first()
        elif policy is HitPolicy.PRIORITY:
            self.shadowed_priority()
            self.subsumed_anywhere()
        elif policy is HitPolicy.ANY:
            self.overlaps(different_only=True)
            self.subsumed_anywhere()
        elif policy is HitPolicy.UNIQUE:
            self.overlaps(different_only=False)
        if self.rs.default is None:
            if policy is not HitPolicy.COLLECT or self.rs.aggregate in {
                Aggregate.MIN,
                Aggregate.MAX,
            }:
                self.gaps()
            elif self.rs.thresholds:
                self.score_gap()
        monotone = self.monotone()
        return self.report(monotone)

    def single(self) -> None:
        for i, rule in enumerate(self.rules):
            record, exact, leaf = self.solver.find(self.cubes[i])
            self.sat.append(record)
            self.sat_leaf.append(leaf)
            if record is None:
                base = self.solver.assemble({})
                witness = self.confirm(
                    base,
                    _TOP,
                    partial(self.unmatched, i),
                    f"unsat {rule.id}",
                )
                self.add(FindingKind.UNSATISFIABLE, (i,), witness, proven=exact)
                continue
            other, exact2, _ = self.solver.find([_TOP], self.cubes[i])
            if other is None:
                witness = self.confirm(
                    record,
                    leaf,
                    partial(self.matches, i),
                    f"taut {rule.id}",
                )
                self.add(FindingKind.TAUTOLOGY, (i,), witness, proven=exact2)

    def duplicates(self) -> None:
        for j in range(len(self.rules)):
            if self.sat[j] is None:
                continue
            for i in range(j):
                if (
                    self.sat[i] is None
                    or i in self.dup_of
                    or self.outcome(i) != self.outcome(j)
                ):
                    continue
                inside, e1 = self.within(i, j)
                if not inside:
                    continue
                back, e2 = self.within(j, i)
                if not back:
                    continue
                self.dup_of[j] = i
                witness = self.confirm(
                    self.sat[i],
                    self.sat_leaf[i],
                    partial(self.both, i, j),
                    f"dup {i} {j}",
                )
                self.add(FindingKind.DUPLICATE, (i, j), witness, proven=e1 and e2)
                break

    def _decided_by_earlier(self, j: int, record: Record) -> bool:
        decision = self.decide(record)
        if isinstance(decision, Exception) or not decision.rule_ids:
            return False
        return (
            self.matches(j, record)
            and self.rules.index(self.rs.rule(decision.rule_ids[0])) < j
        )

    def shadowed_first(self) -> None:
        for j in range(len(self.rules)):
            if self.sat[j] is None or j in self.dup_of:
                continue
            earlier = self.flat(range(j), near=self.cubes[j])
            record, exact, _ = self.solver.find(self.cubes[j], earlier)
            if record is not None:
                self.decides[j] = record
                continue
            cover = [
                i
                for i in range(j)
                if self.sat[i] is not None and self.meet_point(i, j)[0] is not None
            ]
            witness = self.confirm(
                self.sat[j],
                self.sat_leaf[j],
                partial(self._decided_by_earlier, j),
                f"shadow {j}",
            )
            self.add(FindingKind.SHADOWED, (j, *cover), witness, proven=exact)

    def _priority(self, i: int) -> int:
        out = self.rs.output
        assert out is not None  # noqa: S101  # validated: priority has an output
        return out.priority(str(self.rules[i].then))

    def shadowed_priority(self) -> None:
        out = self.rs.output
        assert out is not None  # noqa: S101  # validated: priority has an output
        for j in range(len(self.rules)):
            if self.sat[j] is None:
                continue
            stronger = [
                i
                for i in range(len(self.rules))
                if i != j
                and self.sat[i] is not None
                and self._priority(i) < self._priority(j)
            ]
            record, exact, _ = self.solver.find(
                self.cubes[j], self.flat(stronger, near=self.cubes[j])
            )
            if record is not None:
                continue
            cover = [i for i in stronger if self.meet_point(i, j)[0] is not None]

            def check(r: Record, j: int = j) -> bool:
                decision = self.decide(r)
                return (
                    self.matches(j, r)
                    and not isinstance(decision, Exception)
                    and out.priority(str(decision.output)) < self._priority(j)
                )

            witness = self.confirm(self.sat[j], self.sat_leaf[j], check, f"pshadow {j}")
            self.add(
                FindingKind.SHADOWED,
                (j, *cover),
                witness,
                proven=exact,
                detail=" (with a higher-priority output)",
            )

    def _first_other(self, skip: int, record: Record) -> object:
        for k in range(len(self.rules)):
            if k != skip and self.matches(k, record):
                return self.rules[k].then
        return self.rs.default

    def subsumed_first(self) -> None:  # noqa: C901  # one case per kind
        n = len(self.rules)
        for i in range(n):
            if self.sat[i] is None or i in self.dup_of or i not in self.decides:
                continue
            for j in range(i + 1, n):
                if self.sat[j] is None or self.outcome(i) != self.outcome(j):
                    continue
                inside, exact = self.within(i, j)
                if not inside or self.dup_of.get(j) == i:
                    continue
                clear = True
                for k in range(i + 1, j):
                    if self.sat[k] is None or self.rules[k].then == self.rules[i].then:
                        continue
                    starts = [
                        m
                        for a in self.cubes[i]
                        for b in self.cubes[k]
                        if (m := _cube_meet(a, b, self.specs)) is not None
                    ]
                    found, ex, _ = self.solver.find(starts, self.flat(range(i)))
                    if found is not None:
                        clear = False
                        break
                    exact = exact and ex
                if not clear:
                    continue

                def check(r: Record, i: int = i, j: int = j) -> bool:
                    decision = self.decide(r)
                    return (
                        not isinstance(decision, Exception)
                        and decision.rule_ids[:1] == (self.rules[i].id,)
                        and self.matches(j, r)
                        and self._first_other(i, r) == self.rules[i].then
                    )

                witness = self.confirm(
                    self.decides[i], self.sat_leaf[i], check, f"sub {i}"
                )
                self.add(FindingKind.SUBSUMED, (i, j), witness, proven=exact)
                break

    def subsumed_anywhere(self) -> None:
        n = len(self.rules)
        for i in range(n):
            if self.sat[i] is None or i in self.dup_of:
                continue
            for j in range(n):
                if j == i or self.sat[j] is None or self.outcome(i) != self.outcome(j):
                    continue
                inside, exact = self.within(i, j)
                if not inside or self.within(j, i)[0]:
                    continue
                witness = self.confirm(
                    self.sat[i],
                    self.sat_leaf[i],
                    partial(self.both, i, j),
                    f"sub {i} {j}",
                )
                self.add(FindingKind.SUBSUMED, (i, j), witness, proven=exact)
                break

    def overlaps(self, *, different_only: bool) -> None:
        n = len(self.rules)
        for i in range(n):
            if self.sat[i] is None:
                continue
            for j in range(i + 1, n):
                if self.sat[j] is None or self.dup_of.get(j) == i:
                    continue
                a, b = self.rules[i].then, self.rules[j].then
                if different_only and a == b:
                    continue
                record, cube = self.meet_point(i, j)
                if record is None:
                    continue

                def check(r: Record, i: int = i, j: int = j) -> bool:
                    return (
                        isinstance(self.decide(r), HitPolicyError)
                        and self.matches(i, r)
                        and self.matches(j, r)
                    )

                witness = self.confirm(record, cube, check, f"overlap {i} {j}")
                detail = f" (outputs {a} and {b})" if a != b else ""
                self.add(FindingKind.OVERLAP, (i, j), witness, detail=detail)

    def gaps(self) -> None:
        live = [i for i in range(len(self.rules)) if self.sat[i] is not None]
        count = 0
        for leaf in self.solver.leaves([_TOP], self.flat(live)):
            record, _ = self.solver.sat_point(leaf)
            if record is None:
                continue
            witness = self.confirm(
                record,
                leaf,
                lambda r: isinstance(self.decide(r), NoMatchError),
                f"gap {count}",
            )
            self.add(FindingKind.GAP, (), witness, region=_describe(leaf, self.specs))
            count += 1
            if count >= self.limits.max_gaps:
                break

    def score_gap(self) -> None:
        """A scorecard without a default: a record whose score is below every band."""
        least = min(t.at_least for t in self.rs.thresholds)
        live = [i for i in range(len(self.rules)) if self.sat[i] is not None]
        scores = [float(self.rules[i].score or 0) for i in live]
        pos = [0.0] * (len(live) + 1)
        neg = [0.0] * (len(live) + 1)
        for k in range(len(live) - 1, -1, -1):
            pos[k] = pos[k + 1] + max(scores[k], 0.0)
            neg[k] = neg[k + 1] + min(scores[k], 0.0)
        stack: list[tuple[_Cube, int, float]] = [(_TOP, 0, 0.0)]
        while stack:
            cube, k, total = stack.pop()
            self.solver.step()
            if total + neg[k] >= least:
                continue
            if k == len(live) or total + pos[k] < least:
                record, _ = self.solver.sat_point(cube)
                if record is None:
                    continue
                witness = self.confirm(
                    record,
                    cube,
                    lambda r: isinstance(self.decide(r), NoMatchError),
                    "score gap",
                )
                if witness is not None:
                    self.add(
                        FindingKind.GAP,
                        (),
                        witness,
                        region=_describe(cube, self.specs),
                        detail=f" (score below {least})",
                    )
                    return
                continue
            i = live[k]
            stack.extend(
                (piece, k + 1, total)
                for piece in self.solver.leaves([cube], self.cubes[i])
            )
            for c in self.cubes[i]:
                m = _cube_meet(cube, c, self.specs)
                if m is not None:
                    stack.append((m, k + 1, total + scores[k]))

    # -- monotonicity
    def output_regions(self) -> list[tuple[float, str, list[_Cube]]]:
        """Each output's region: (severity, value, cubes)."""
        n = len(self.rules)
        live = [i for i in range(n) if self.sat[i] is not None]
        out: list[tuple[float, str, list[_Cube]]] = []
        policy = self.rs.hit_policy
        if policy is HitPolicy.FIRST:
            for k in live:
                then = str(self.rules[k].then)
                region = self.solver.region(
                    self.cubes[k], self.flat(range(k), near=self.cubes[k])
                )
                out.append((self.severity(then), then, region))
        else:
            values = list(dict.fromkeys(str(self.rules[i].then) for i in live))
            for value in values:
                mine = [i for i in live if str(self.rules[i].then) == value]
                if policy is HitPolicy.PRIORITY:
                    rank = self._priority(mine[0])
                    others = [i for i in live if self._priority(i) < rank]
                else:
                    others = [i for i in live if str(self.rules[i].then) != value]
                region = self.solver.region(self.flat(mine), self.flat(others))
                out.append((self.severity(value), value, region))
        if self.rs.default is not None:
            region = self.solver.region([_TOP], self.flat(live))
            out.append((self.severity(self.rs.default), self.rs.default, region))
        return out

    def monotone(self) -> tuple[MonotoneCheck, ...]:
        declared = self.rs.monotone
        if declared is None:
            return ()
        wanted: list[tuple[str, Literal["increasing", "decreasing"]]] = [
            *((f, "increasing") for f in declared.increasing),
            *((f, "decreasing") for f in declared.decreasing),
        ]
        if not wanted:
            return ()
        if self.rs.hit_policy is HitPolicy.COLLECT:
            if self.rs.aggregate is Aggregate.LIST and not self.rs.thresholds:
                self.notes.append(
                    "monotone: a collect list has no order, so monotonicity is not checked"
                )
                return ()
            return tuple(self.monotone_sampled(f, d) for f, d in wanted)
        regions = self.output_regions()
        return tuple(self.monotone_exact(f, d, regions) for f, d in wanted)

    def monotone_exact(
        self,
        name: str,
        direction: Literal["increasing", "decreasing"],
        regions: list[tuple[float, str, list[_Cube]]],
    ) -> MonotoneCheck:
        exact = True
        for sa, _va, a_cubes in regions:
            for sb, _vb, b_cubes in regions:
                wrong = sb < sa if direction == "increasing" else sb > sa
                if not wrong:
                    continue
                for ca in a_cubes:
                    for cb in b_cubes:
                        pair, ex = self.raise_pair(ca, cb, name)
                        exact = exact and ex
                        if pair is None:
                            continue
                        if self.report_pair(name, direction, *pair):
                            return MonotoneCheck(
                                field=name,
                                direction=direction,
                                holds=False,
                                proven=True,
                            )
        return MonotoneCheck(field=name, direction=direction, holds=True, proven=exact)

    def report_pair(
        self,
        name: str,
        direction: Literal["increasing", "decreasing"],
        before: Record,
        after: Record,
    ) -> bool:
        d1, d2 = self.decide(before), self.decide(after)
        if isinstance(d1, Exception) or isinstance(d2, Exception):
            return False
        s1, s2 = self.severity(d1.output), self.severity(d2.output)
        if not (s2 < s1 if direction == "increasing" else s2 > s1):
            return False
        moves = "lowers" if s2 < s1 else "raises"
        detail_en = (
            f"raising it from {before[name]!r} to {after[name]!r} {moves} the output "
            f"from {d1.output!s} to {d2.output!s} (declared {direction})"
        )
        self.findings.append(
            Finding(
                kind=FindingKind.NOT_MONOTONE,
                rule_ids=tuple(dict.fromkeys((*d1.rule_ids, *d2.rule_ids))),
                counterexample=before,
                counterexample_after=after,
                field=name,
                detail=detail_en,
            )
        )
        return True

    def raise_pair(  # noqa: C901, PLR0911  # one case per kind
        self, ca: _Cube, cb: _Cube, name: str
    ) -> tuple[tuple[Record, Record] | None, bool]:
        """Records ``a`` in ``ca`` and ``b`` in ``cb`` equal but for a larger ``name``."""
        spec = self.specs[name]
        box: dict[str, _Dom] = {}
        for key in {*ca.box, *cb.box} - {name}:
            s = self.specs[key]
            met = _meet(ca.box.get(key) or _full(s), cb.box.get(key) or _full(s), s)
            if _empty(met):
                return None, True
            box[key] = met
        x_dom = (ca.box.get(name) or _full(spec))._replace(missing=False)
        y_dom = (cb.box.get(name) or _full(spec))._replace(missing=False)
        if _empty(x_dom) or _empty(y_dom):
            return None, True
        if not any(name in r.fields for r in (*ca.res, *cb.res)):
            values = _ordered_pair(x_dom, y_dom, spec)
            if values is None:
                return None, True
            joint = _cube_meet(_Cube(box, ca.res), _Cube({}, cb.res), self.specs)
            if joint is None:
                return None, True
            base, exact = self.solver.sat_point(joint)
            if base is None:
                return None, exact
            return ({**base, name: values[0]}, {**base, name: values[1]}), True
        raised = f"{name}'"
        twin = Field(
            raised,
            ValueType.STR if spec.kind == "enum" else ValueType(spec.kind),
            values=spec.values,
            ordered=spec.ordered,
        )
        original = Field(name, twin.type, values=spec.values, ordered=spec.ordered)
        specs = {**self.specs, raised: spec._replace(name=raised, optional=False)}
        res = list(ca.res)
        for r in cb.res:
            node = _map_fields(r.node, {name: twin})
            fields = tuple(raised if f == name else f for f in r.fields)
            linear = None
            if r.linear is not None:
                coeffs = {
                    (raised if k == name else k): v for k, v in r.linear[0].items()
                }
                linear = (coeffs, r.linear[1])
            res.append(_Res(node, r.positive, fields, render(node), linear))
        order = Compare(">", twin, original)
        res.append(
            _Res(
                node=order,
                positive=True,
                fields=(raised, name),
                key=render(order),
                linear=({raised: Fraction(1), name: Fraction(-1)}, Fraction(0))
                if spec.kind in {"int", "float"}
                else None,
            )
        )
        box[name] = x_dom
        box[raised] = y_dom
        solver = _Solver(specs, self.limits, z3=self.z3, seed=self.seed)
        solver.steps = self.solver.steps
        record, exact = solver.sat_point(_Cube(box, tuple(res)))
        self.solver.steps = solver.steps
        if solver.inexact:
            self.solver.inexact.add(f"monotone {name}")
        if record is None:
            return None, exact
        after_value = record.pop(raised)
        return (record, {**record, name: after_value}), True

    def monotone_sampled(
        self, name: str, direction: Literal["increasing", "decreasing"]
    ) -> MonotoneCheck:
        rng = np.random.default_rng([self.seed, zlib.crc32(name.encode("utf-8"))])
        spec = self.specs[name]
        full = {k: _full(s)._replace(missing=False) for k, s in self.specs.items()}
        hints: dict[str, list[object]] = {k: [] for k in self.specs}
        for rule in self.rules:
            for node in walk(rule.when):
                if isinstance(node, Compare):
                    for side, other in (
                        (node.left, node.right),
                        (node.right, node.left),
                    ):
                        if isinstance(side, Field) and isinstance(other, Const):
                            hints[side.name].append(other.value)
        self.solver.inexact.add(f"monotone {name}")
        for _ in range(self.limits.search_samples * 4):
            before: Record = {
                k: _sample(full[k], s, rng, hints[k]) for k, s in self.specs.items()
            }
            value = before[name]
            if value is None or isinstance(value, (bool, str)):
                continue
            step = int(rng.integers(1, 10))
            after = {
                **before,
                name: value + (step if spec.kind == "int" else float(step)),
            }
            if self.report_pair(name, direction, before, after):
                return MonotoneCheck(
                    field=name, direction=direction, holds=False, proven=True
                )
        return MonotoneCheck(field=name, direction=direction, holds=True, proven=False)

    # -- the report
    def report(self, monotone: tuple[MonotoneCheck, ...]) -> VerificationReport:
        index = {rule.id: i for i, rule in enumerate(self.rules)}

        def key(f: Finding) -> tuple[object, ...]:
            return (
                _KIND_ORDER[f.kind],
                tuple(index.get(r, -1) for r in f.rule_ids),
                f.field or "",
                f.region or "",
            )

        notes = list(self.notes)
        inexact = sorted(self.solver.inexact)
        if inexact:
            shown = "; ".join(inexact[:3]) + (" ..." if len(inexact) > 3 else "")  # noqa: PLR2004  # a few examples
            hint = (
                "non-linear or cross-field conditions"
                if self.z3 is not None
                else "conditions over several fields (install countypolicing[verify] "
                "for exact answers)"
            )
            notes.append(
                f"{hint} were checked by a bounded search (seed {self.seed}): {shown}"
            )
        if self.unconfirmed:
            notes.append(
                f"{self.unconfirmed} possible finding(s) were dropped because no "
                "counterexample could be confirmed by the classifier (floating-point "
                "rounding at a boundary)"
            )
        return VerificationReport(
            ruleset_id=self.rs.id,
            ruleset_version=self.rs.version,
            ruleset_hash=self.rs.content_hash,
            hit_policy=self.rs.hit_policy,
            findings=tuple(sorted(self.findings, key=key)),
            monotone=monotone,
            exact=not inexact,
            notes=tuple(notes),
        )


def _ordered_pair(x: _Dom, y: _Dom, spec: _Spec) -> tuple[Scalar, Scalar] | None:
    """Values ``a`` of ``x`` and ``b`` of ``y`` with ``a < b``, simple ones first."""
    if spec.kind == "enum":
        ranks = {v: i for i, v in enumerate(spec.values or ())}
        xs = sorted((v for v in x.items), key=lambda v: ranks[str(v)])
        ys = sorted((v for v in y.items), key=lambda v: ranks[str(v)])
        if not xs or not ys or ranks[str(xs[0])] >= ranks[str(ys[-1])]:
            return None
        return str(xs[0]), str(ys[-1])
    integer = spec.kind == "int"
    if not x.nums[0][0] < y.nums[-1][2]:
        return None
    hi_y = y.nums[-1][2]
    below = _nums_meet(x.nums, ((-_INF, False, hi_y, False),), integer=integer)
    ok, a = _pick(_Dom(missing=False, nums=below), spec)
    if not ok or a is None or isinstance(a, (bool, str)):
        return None
    above = _nums_meet(y.nums, ((Fraction(a), False, _INF, False),), integer=integer)
    ok, b = _pick(_Dom(missing=False, nums=above), spec)
    if not ok or b is None:
        return None
    return a, b


# =============================================================== entry point
def verify(
    ruleset: RuleSet,
    *,
    limits: VerifyLimits = DEFAULT_VERIFY_LIMITS,
    solver: Literal["auto", "z3", "search"] = "auto",
    seed: int = 0,
) -> VerificationReport:
    """Verify a ruleset: every finding with a counterexample the classifier confirms.

    What is checked depends on the hit policy:

    - every policy: ``unsatisfiable`` and ``tautology`` rules, ``duplicate`` rules
      (equivalent conditions, same outcome), and a ``gap`` (a record no rule
      matches) when there is no default (under ``collect``: for ``min``/``max``,
      and for scorecards whose score can fall below every threshold);
    - ``first``: ``shadowed`` (every record the rule matches is decided by earlier
      rules) and ``subsumed`` (a later rule with the same output matches all the
      rule matches, and removing the rule changes no output);
    - ``priority``: ``shadowed`` (rules with a higher-priority output match all the
      rule matches) and ``subsumed`` (another rule with the same output matches all
      it matches);
    - ``unique``: ``overlap`` of any two rules; ``any``: ``overlap`` of two rules
      with different outputs, and ``subsumed``;
    - a declared ``monotone:`` field: a ``not_monotone`` finding with a pair of
      records that differ only in that field, plus a `MonotoneCheck` per field.

    Args:
        ruleset: the validated ruleset.
        limits: bounds on the verifier's work.
        solver: ``"auto"`` uses z3 (the ``verify`` extra) when it is installed;
            ``"z3"`` requires it; ``"search"`` never uses it.
        seed: the seed of the bounded search (results are deterministic).

    Raises:
        RuleLimitError: the ruleset is larger than ``limits`` allow to verify.
        ImportError: ``solver="z3"`` without z3-solver installed.

    Examples:
        >>> from countypolicing.rules import ruleset_from_data
        >>> rs = ruleset_from_data(
        ...     {
        ...         "ruleset": "demo",
        ...         "version": "1",
        ...         "fields": {"n": "int"},
        ...         "output": {"name": "o", "values": ["high", "low"]},
        ...         "rules": [
        ...             {"id": "R1", "when": "n > 10", "then": "high"},
        ...             {"id": "R2", "when": "n > 20", "then": "high"},
        ...             {"id": "R3", "when": "n >= 0 and n <= 10", "then": "low"},
        ...         ],
        ...     }
        ... )
        >>> report = verify(rs)
        >>> for finding in report.findings:
        ...     print(finding.text(), finding.counterexample)
        shadowed: rule R2 never decides: every record it matches is decided by R1 {'n': 21}
        gap: no rule matches records with n <= -1, and there is no default {'n': -1}

    Added in version 0.1.0.
    """
    z3 = _load_z3(solver)
    return _Verifier(ruleset, limits, z3=z3, seed=seed).run()


def _load_z3(solver: str) -> Any:  # noqa: ANN401  # the z3 module
    if solver == "search":
        return None
    try:
        import importlib  # noqa: PLC0415  # z3 is optional and imported only here

        return importlib.import_module("z3")
    except ImportError:
        if solver == "z3":
            msg = (
                "exact verification of cross-field conditions needs z3: "
                "pip install 'countypolicing[verify]'"
            )
            raise ImportError(msg) from None
        return None
