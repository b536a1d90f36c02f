"""Compiled classifiers: one generated Python function per ruleset, plus explanations."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final, NamedTuple, Protocol

import attrs

from countypolicing.exceptions import (
    HitPolicyError,
    NoMatchError,
    RuleEvaluationError,
)
from countypolicing.rules._codegen import ExprWriter, field_check, indent
from countypolicing.rules._ir import (
    And,
    Compare,
    Field,
    IfElse,
    In,
    ValueType,
    atoms,
    fields_of,
    render,
    walk,
)
from countypolicing.rules._ruleset import Aggregate, HitPolicy, Rule, RuleSet

__all__ = [
    "AtomTrace",
    "Classifier",
    "ClassifyFunction",
    "Decision",
    "Explanation",
    "RuleTrace",
    "compile_ruleset",
]


def _rebuild_explanation(
    clf: Classifier, values: object, output: object, decided_by: object
) -> Explanation:
    return tuple.__new__(Explanation, (clf, values, output, decided_by))


@attrs.frozen
class _TraceMeta:
    """What every explanation of one classifier shares."""

    ruleset_id: str
    hit_policy: str
    rule_ids: tuple[str, ...]
    atom_texts: tuple[tuple[str, ...], ...]
    slots: tuple[tuple[int, ...], ...]
    because: tuple[tuple[str | None, str | None], ...]
    field_names: tuple[str, ...]


@attrs.frozen
class AtomTrace:
    """One atomic condition and its truth value (``None``: not evaluated)."""

    text: str
    value: bool | None


@attrs.frozen
class RuleTrace:
    """How one rule fared: matched, not matched, or not evaluated (``None``)."""

    rule_id: str
    matched: bool | None
    conditions: tuple[AtomTrace, ...]
    because_zh: str | None = None
    because_en: str | None = None


_STATE_ZH: Final = {True: "成立", False: "不成立", None: "未判断"}
_STATE_EN: Final = {True: "true", False: "false", None: "not evaluated"}


class Explanation(tuple[object, ...]):
    """Why a decision came out as it did: each rule's conditions and the values read.

    ``classify(..., explain=True)`` records only the values it read; the truth
    value of every condition is worked out from them when first asked for
    (evaluation is pure, so this is exactly what the classifier saw). That keeps
    explaining cheap enough to leave on.

    Added in version 0.1.0.
    """

    __slots__ = ()

    @property
    def _classifier(self) -> Classifier:
        clf = self[0]
        assert isinstance(clf, Classifier)  # noqa: S101  # built as such
        return clf

    @property
    def output(self) -> object:
        """The decided value."""
        return self[2]

    @property
    def decided_by(self) -> tuple[str, ...]:
        """The rules that decided (empty when the default applied)."""
        return self[3]  # type: ignore[return-value]  # built as such

    @property
    def ruleset_id(self) -> str:
        """The ruleset's id."""
        return self._classifier.ruleset.id

    @property
    def hit_policy(self) -> str:
        """The ruleset's hit policy."""
        return str(self._classifier.ruleset.hit_policy)

    @property
    def values(self) -> tuple[tuple[str, object], ...]:
        """The fields read and their values, in the order they were first read."""
        names = self._classifier._meta.field_names  # noqa: SLF001  # same module
        return tuple(
            (name, value)
            for name, value in zip(names, self[1], strict=True)  # type: ignore[call-overload]  # a tuple
            if value is not _MISSING
        )

    @property
    def rules(self) -> tuple[RuleTrace, ...]:
        """Every rule with its outcome and each atomic condition's truth value."""
        clf = self._classifier
        meta = clf._meta  # noqa: SLF001  # same module
        atom_values, hits = clf._trace(dict(self.values))  # noqa: SLF001  # same module
        out = []
        for index, rule_id in enumerate(meta.rule_ids):
            conditions = tuple(
                AtomTrace(
                    text, None if atom_values[slot] is None else bool(atom_values[slot])
                )
                for text, slot in zip(
                    meta.atom_texts[index], meta.slots[index], strict=True
                )
            )
            zh, en = meta.because[index]
            out.append(RuleTrace(rule_id, hits[index], conditions, zh, en))
        return tuple(out)

    def __repr__(self) -> str:
        return f"<Explanation {self.ruleset_id}: {self.output!r} by {self.decided_by}>"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_explanation, (self._classifier, *self[1:]))

    def text(self, lang: str = "en") -> str:
        """A readable account in Chinese (``"zh"``) or English (``"en"``).

        Examples:
            >>> from countypolicing.rules import compile_ruleset, ruleset_from_data
            >>> clf = compile_ruleset(
            ...     ruleset_from_data(
            ...         {
            ...             "ruleset": "demo",
            ...             "version": "1",
            ...             "fields": {"calls": "float"},
            ...             "output": {"name": "level", "values": ["high", "low"]},
            ...             "default": "low",
            ...             "rules": [
            ...                 {
            ...                     "id": "R1",
            ...                     "when": "calls > 30",
            ...                     "then": "high",
            ...                     "because": {
            ...                         "zh": "警情多",
            ...                         "en": "many police calls",
            ...                     },
            ...                 }
            ...             ],
            ...         }
            ...     )
            ... )
            >>> print(clf.classify({"calls": 41.0}, explain=True).explanation.text())
            Decision: high (ruleset demo, first match), decided by rule R1 because many police calls.
              rule R1: matched
                calls > 30: true
            Values read: calls=41.0
            >>> print(clf.classify({"calls": 3.0}, explain=True).explanation.text("zh"))
            结论：low（规则集 demo，首条命中）；无规则命中，取默认值。
              规则 R1：不成立
                calls > 30：不成立
            读取的字段：calls=3.0
        """
        zh = lang == "zh"
        policy = (
            _POLICY_ZH.get(self.hit_policy, self.hit_policy)
            if zh
            else _POLICY_EN.get(self.hit_policy, self.hit_policy)
        )
        shown = self.output if isinstance(self.output, tuple) else (self.output,)
        output = ", ".join(_show(value, zh=zh) for value in shown)
        lines: list[str] = []
        traces = self.rules
        reasons = [
            (r.because_zh or r.because_en) if zh else (r.because_en or r.because_zh)
            for r in traces
            if r.rule_id in self.decided_by
        ]
        given = [x for x in reasons if x]
        if zh:
            head = f"结论：{output}（规则集 {self.ruleset_id}，{policy}）"
            if self.decided_by:
                head += f"，由规则 {'、'.join(self.decided_by)} 决定"
                if given:
                    head += f"，理由：{'；'.join(given)}"
                head += "。"
            else:
                head += "；无规则命中，取默认值。"
        else:
            head = f"Decision: {output} (ruleset {self.ruleset_id}, {policy})"
            if self.decided_by:
                plural = "rules" if len(self.decided_by) > 1 else "rule"
                head += f", decided by {plural} {', '.join(self.decided_by)}"
                if given:
                    head += f" because {'; '.join(given)}"
                head += "."
            else:
                head += ": no rule matched; the default applies."
        lines.append(head)
        states = _STATE_ZH if zh else _STATE_EN
        sep = "：" if zh else ": "
        skipped = 0
        for rule in traces:
            if rule.matched is None:
                skipped += 1
                continue
            word = "规则" if zh else "rule"
            lines.append(f"  {word} {rule.rule_id}{sep}{_matched(rule.matched, zh=zh)}")
            lines.extend(
                f"    {atom.text}{sep}{states[atom.value]}" for atom in rule.conditions
            )
        if skipped:
            lines.append(
                f"  （其后 {skipped} 条规则未判断）"
                if zh
                else f"  ({skipped} later rule{'s' if skipped > 1 else ''} not evaluated)"
            )
        read = ", ".join(f"{name}={value!r}" for name, value in self.values)
        lines.append(("读取的字段：" if zh else "Values read: ") + (read or "-"))
        return "\n".join(lines)


def _show(value: object, *, zh: bool) -> str:
    label = getattr(value, "label_zh", None)
    if zh and isinstance(label, str) and label:
        return f"{label}（{value}）"
    return str(value)


def _matched(value: bool | None, *, zh: bool) -> str:  # noqa: FBT001  # a tri-state
    if zh:
        return {True: "命中", False: "不成立", None: "未判断"}[value]
    return {True: "matched", False: "not matched", None: "not evaluated"}[value]


_POLICY_EN: Final = {
    "first": "first match",
    "unique": "unique match",
    "priority": "highest priority",
    "any": "any match",
    "collect": "collect",
}
_POLICY_ZH: Final = {
    "first": "首条命中",
    "unique": "唯一命中",
    "priority": "优先级最高",
    "any": "任一命中",
    "collect": "汇总",
}


class Decision(NamedTuple):
    """The outcome of classifying one record.

    A named tuple rather than an attrs class: classifying must cost what a
    hand-written ``if``/``elif`` costs, and a tuple is the cheapest immutable record
    Python builds. Plain decisions are built once per ruleset and shared.

    Attributes:
        output: the decided value (an enum member for built-in outputs; a tuple
            for ``collect`` lists; a number for counts, sums, minima and maxima).
        rule_ids: the matched rules that decided it (empty when the default applied).
        ruleset_id: the ruleset's id.
        ruleset_version: the ruleset's version.
        ruleset_hash: the content hash of the ruleset's normalised form.
        score: the summed score, for scorecards.
        explanation: present when classified with ``explain=True``.

    Added in version 0.1.0.
    """

    output: Any
    rule_ids: tuple[str, ...]
    ruleset_id: str
    ruleset_version: str
    ruleset_hash: str
    score: float | int | None = None
    explanation: Explanation | None = None


class ClassifyFunction(Protocol):
    """The signature of `Classifier.classify`."""

    def __call__(self, record: object, *, explain: bool = False) -> Decision:
        """Classify one record."""
        ...


class _AttrView(Mapping[str, object]):
    """Read an attrs instance (or any object) as a mapping of its attributes."""

    __slots__ = ("_obj",)

    def __init__(self, obj: object) -> None:
        self._obj = obj

    def __getitem__(self, key: str) -> object:
        try:
            return getattr(self._obj, key)
        except AttributeError:
            raise KeyError(key) from None

    def __iter__(self) -> Any:  # noqa: ANN401  # an iterator of names
        cls = type(self._obj)
        return iter([a.name for a in attrs.fields(cls)] if attrs.has(cls) else [])

    def __len__(self) -> int:
        return sum(1 for _ in self)


def _round(value: float) -> int:
    return int(round(value))  # noqa: RUF046  # int() keeps ints for floats near 2**53


#: Everything generated code may name; builtins are otherwise empty.
_HELPERS: Final[Mapping[str, object]] = {
    "int": int,
    "float": float,
    "str": str,
    "bool": bool,
    "Exception": Exception,
    "_abs": abs,
    "_min": min,
    "_max": max,
    "_round": _round,
}


class Classifier:
    """A compiled ruleset: immutable, thread-safe and picklable.

    ``classify(record, *, explain=False) -> Decision`` is a generated function bound
    to the instance, so a call costs what a hand-written ``if``/``elif`` costs.
    Records are mappings (only the fields the rules read must be present) or attrs
    instances. A missing required value, a ``None`` outside an optional field, NaN,
    infinity or a value of the wrong type raises `RuleEvaluationError` naming the rule
    and the field; nothing is ever classified silently.

    Examples:
        >>> from countypolicing.rules import ruleset_from_data
        >>> clf = compile_ruleset(
        ...     ruleset_from_data(
        ...         {
        ...             "ruleset": "demo",
        ...             "version": "1",
        ...             "fields": {"calls": "float"},
        ...             "output": {"name": "level", "values": ["high", "low"]},
        ...             "default": "low",
        ...             "rules": [{"id": "R1", "when": "calls > 30", "then": "high"}],
        ...         }
        ...     )
        ... )
        >>> clf.classify({"calls": 41.0}).output
        'high'
        >>> clf.classify({"calls": float("nan")})
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.RuleEvaluationError: rule 'R1': field 'calls': float nan is not a usable value for calls: float

    Added in version 0.1.0.
    """

    __slots__ = (
        "_check_values",
        "_decisions",
        "_field_specs",
        "_meta",
        "_ruleset",
        "_source",
        "_trace",
        "classify",
    )

    classify: ClassifyFunction
    """Classify one record: ``classify(record, *, explain=False) -> Decision``."""

    _ruleset: RuleSet
    _check_values: bool
    _decisions: tuple[Decision, ...]
    _field_specs: dict[str, object]
    _meta: _TraceMeta
    _source: str
    _trace: Callable[
        [Mapping[str, object]], tuple[tuple[object, ...], tuple[bool | None, ...]]
    ]

    def __init__(self, ruleset: RuleSet, *, check_values: bool = True) -> None:
        object.__setattr__(self, "_ruleset", ruleset)
        object.__setattr__(self, "_check_values", check_values)
        fast, trace, source, decisions, meta = _build(
            self, ruleset, check_values=check_values
        )
        object.__setattr__(self, "_decisions", decisions)
        object.__setattr__(self, "_trace", trace)
        object.__setattr__(self, "_meta", meta)
        object.__setattr__(self, "_source", source)
        object.__setattr__(self, "classify", fast)
        object.__setattr__(
            self, "_field_specs", {f.name: f for f in ruleset.schema.fields}
        )

    def __setattr__(self, name: str, value: object) -> None:
        msg = "a Classifier is immutable"
        raise AttributeError(msg)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_classifier, (self._ruleset, self._check_values))

    def __repr__(self) -> str:
        rs = self._ruleset
        return f"<Classifier {rs.id} {rs.version} ({len(rs.rules)} rules, {rs.hit_policy})>"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Classifier) and other._ruleset == self._ruleset

    def __hash__(self) -> int:
        return hash(self._ruleset.content_hash)

    @property
    def ruleset(self) -> RuleSet:
        """The ruleset this classifier was compiled from."""
        return self._ruleset

    @property
    def source(self) -> str:
        """The generated Python source, for the curious and for debugging."""
        return self._source

    @property
    def fields(self) -> tuple[str, ...]:
        """The fields the rules read, in first-use order."""
        seen: dict[str, None] = {}
        for rule in self._ruleset.rules:
            for name in fields_of(rule.when):
                seen.setdefault(name, None)
        return tuple(seen)

    def classify_many(
        self, records: Iterable[object], *, explain: bool = False
    ) -> list[Decision]:
        """Classify every record; errors name the record's position."""
        out: list[Decision] = []
        classify = self.classify
        for index, record in enumerate(records):
            try:
                out.append(classify(record, explain=explain))
            except RuleEvaluationError as exc:
                raise type(exc)(
                    exc.message,
                    rule_id=exc.rule_id,
                    field=exc.field,
                    record_index=index,
                ) from exc
        return out

    def classify_columns(self, columns: object) -> Any:  # noqa: ANN401  # numpy array
        """Classify whole columns at once: a mapping of numpy arrays or a DataFrame.

        Evaluates the same condition tree vectorised with numpy and returns an object
        array of outputs, equal element by element to `classify` on each row.
        """
        from countypolicing.rules._columnar import classify_columns  # noqa: PLC0415  # numpy path

        return classify_columns(self, columns)

    def explain(self, record: object) -> Decision:
        """Shorthand for ``classify(record, explain=True)``."""
        return self.classify(record, explain=True)


def _rebuild_classifier(ruleset: RuleSet, check_values: bool) -> Classifier:  # noqa: FBT001  # pickle protocol
    return Classifier(ruleset, check_values=check_values)


def compile_ruleset(ruleset: RuleSet, *, check_values: bool = True) -> Classifier:
    """Compile a validated ruleset into a `Classifier`.

    Args:
        ruleset: the validated ruleset.
        check_values: check every value read (NaN, infinity, ``None`` outside
            optional fields, wrong types, enum values outside their set) and raise
            `RuleEvaluationError` instead of classifying silently. Turn it off only
            for records you have validated yourself (about 20 % faster).

    Examples:
        >>> from countypolicing.rules import ruleset_from_data
        >>> rs = ruleset_from_data(
        ...     {
        ...         "ruleset": "demo",
        ...         "version": "1",
        ...         "fields": {"n": "int"},
        ...         "output": {"name": "o", "values": ["a", "b"]},
        ...         "rules": [
        ...             {"id": "R1", "when": "n > 1", "then": "a"},
        ...             {"id": "R2", "when": "n <= 1", "then": "b"},
        ...         ],
        ...     }
        ... )
        >>> compile_ruleset(rs).classify({"n": 0}).rule_ids
        ('R2',)
    """
    return Classifier(ruleset, check_values=check_values)


# ----------------------------------------------------------------- generation
def _strictly_checked(ruleset: RuleSet) -> frozenset[str]:
    """Fields a wrong value would fool silently: compared for (in)equality."""
    strict: set[str] = set()
    for rule in ruleset.rules:
        for node in walk(rule.when):
            operands: tuple[object, ...] = ()
            if isinstance(node, Compare) and node.op in {"==", "!="}:
                operands = (node.left, node.right)
            elif isinstance(node, In):
                operands = (node.operand,)
            elif isinstance(node, IfElse):
                operands = (node.then, node.orelse)
            strict.update(o.name for o in operands if isinstance(o, Field))
    return frozenset(strict)


class _Context:
    """Everything the generated code refers to."""

    def __init__(self, ruleset: RuleSet, *, check_values: bool = True) -> None:
        self.ruleset = ruleset
        self.check_values = check_values
        self.strict = _strictly_checked(ruleset)
        self.constants: dict[str, object] = {}
        self.variables: dict[str, str] = {}
        self.fields: dict[str, Field] = {}
        for rule in ruleset.rules:
            for node in walk(rule.when):
                if isinstance(node, Field) and node.name not in self.variables:
                    self.variables[node.name] = f"v{len(self.variables)}"
                    self.fields[node.name] = node

    def decision(
        self, rule_ids: tuple[str, ...], output: object, score: float | None = None
    ) -> Decision:
        rs = self.ruleset
        return Decision(
            output=output,
            rule_ids=rule_ids,
            ruleset_id=rs.id,
            ruleset_version=rs.version,
            ruleset_hash=rs.content_hash,
            score=score,
        )


def _load_lines(ctx: _Context, names: Sequence[str], rule_index: int) -> list[str]:
    """Load ``names`` into their variables and check them with one ``if``."""
    if not names:
        return []
    lines = []
    checks = []
    for name in names:
        var = ctx.variables[name]
        field = ctx.fields[name]
        allowed = f"_values_{var}"
        if field.values is not None:
            ctx.constants[allowed] = frozenset(field.values)
        lines.append(f"{var} = record[{name!r}]")
        checks.append(field_check(var, field, allowed, strict=name in ctx.strict))
    if ctx.check_values:
        lines.append(f"if {' or '.join(checks)}: _bad({list(names)!r}, {rule_index})")
    return lines


#: Above this many characters of per-rule value tuples (rules x tuple length), the
#: explained first-hit path breaks out of a loop instead of returning per rule.
_INLINE_LIMIT: Final = 20_000

#: The deepest nest of ``if``s one rule generates (Python's indentation limit is 100).
_MAX_NESTED_IFS: Final = 16


def _rule_lines(  # one private generator step
    ctx: _Context,
    writer: ExprWriter,
    rule: Rule,
    index: int,
    loaded: set[str],
    *,
    on_match: str,
    trace_hit: bool,
) -> list[str]:
    """Nested ``if``s, one per top-level conjunct, loading fields only when needed.

    Hand-written code reads a field only when its condition gets that far; so does
    this, which keeps checking values cheap. ``loaded`` gains the fields loaded
    before the first ``if`` (the only ones later rules may rely on).
    """
    conjuncts = rule.when.items if isinstance(rule.when, And) else (rule.when,)
    if len(conjuncts) > _MAX_NESTED_IFS:
        # Python refuses code indented much deeper; the tail shares one `if`.
        tail = And(conjuncts[_MAX_NESTED_IFS - 1 :])
        conjuncts = (*conjuncts[: _MAX_NESTED_IFS - 1], tail)
    lines: list[str] = []
    if trace_hit:
        lines.extend((f"_r = {index}", f"_h{index} = False"))
    scope = set(loaded)
    depth = 0
    for k, conjunct in enumerate(conjuncts):
        new = [n for n in fields_of(conjunct) if n not in scope]
        lines.extend(indent(_load_lines(ctx, new, index), depth))
        scope.update(new)
        if k == 0:
            loaded.update(new)
        lines.append("    " * depth + f"if {writer.condition(conjunct)}:")
        depth += 1
    if trace_hit:
        lines.append("    " * depth + f"_h{index} = True")
    lines.append("    " * depth + on_match)
    return lines


def _build(  # noqa: C901, PLR0915  # the generator, in order
    owner: Classifier, ruleset: RuleSet, *, check_values: bool = True
) -> tuple[
    ClassifyFunction,
    Callable[
        [Mapping[str, object]], tuple[tuple[object, ...], tuple[bool | None, ...]]
    ],
    str,
    tuple[Decision, ...],
    _TraceMeta,
]:
    ctx = _Context(ruleset, check_values=check_values)
    rules = ruleset.rules
    output = ruleset.output
    decisions = tuple(
        ctx.decision(
            (r.id,),
            output.value(r.then)
            if output is not None and r.then is not None
            else r.then,
            r.score,
        )
        for r in rules
    )
    default = (
        ctx.decision((), output.value(ruleset.default))
        if output is not None and ruleset.default is not None
        else None
    )
    first = ruleset.hit_policy is HitPolicy.FIRST
    values_tuple = _tuple_src(list(ctx.variables.values()))

    def body_lines(*, explained: bool) -> list[str]:
        writer = ExprWriter(ctx.variables, ctx.constants)
        lines: list[str] = []
        if explained and ctx.variables:
            lines.append(" = ".join(ctx.variables.values()) + " = _MISSING")
        if not first:
            lines.append("_m = []")
        # Small rulesets return from each rule (fastest). Large ones leave a
        # one-pass loop with `break` instead, so the generated code holds one copy
        # of the value tuple, not one per rule.
        in_loop = explained and first and len(rules) * len(values_tuple) > _INLINE_LIMIT
        body: list[str] = []
        loaded: set[str] = set()
        for index, rule in enumerate(rules):
            if first and in_loop:
                on_match = f"_i = {index}; break"
            elif first and explained:
                on_match = (
                    f"return _NEW(_DEC, (_O{index}, _I{index}, _RID, _VER, _HASH, "
                    f"_S{index}, _NEW(_EXP, (_OWNER, {values_tuple}, _O{index}, "
                    f"_I{index}))))"
                )
            elif first:
                on_match = f"return _D[{index}]"
            else:
                on_match = f"_m.append({index})"
            body.extend(
                _rule_lines(
                    ctx, writer, rule, index, loaded, on_match=on_match, trace_hit=False
                )
            )
        if in_loop:
            lines.append("_i = -1")
            lines.append("for _once in _ONCE:")
            lines.extend("    " + line for line in body or ["pass"])
            lines.append("_d = _D[_i] if _i >= 0 else _none()")
            lines.append(
                f"return _NEW(_DEC, (_d[0], _d[1], _RID, _VER, _HASH, _d[5], "
                f"_NEW(_EXP, (_OWNER, {values_tuple}, _d[0], _d[1]))))"
            )
            return lines
        lines.extend(body)
        end = "_none()" if first else "_finish(_m)"
        lines.append(
            f"return _E({end}, {values_tuple})" if explained else f"return {end}"
        )
        return lines

    trace_writer = ExprWriter(ctx.variables, ctx.constants, trace=True)
    atom_texts: list[tuple[str, ...]] = []
    slots: list[list[int]] = []
    tbody: list[str] = []
    tloaded: set[str] = set()
    for index, rule in enumerate(rules):
        # Register just before writing: rules may share atom objects.
        slots.append(trace_writer.register_atoms(rule.when))
        atom_texts.append(tuple(render(a) for a in atoms(rule.when)))
        on_match = "break" if first else "pass"
        tbody.extend(
            _rule_lines(
                ctx,
                trace_writer,
                rule,
                index,
                tloaded,
                on_match=on_match,
                trace_hit=True,
            )
        )
    atom_names = [f"_a{i}" for i in range(trace_writer.atom_count)]
    hit_names = [f"_h{i}" for i in range(len(rules))]
    result = f"({_tuple_src(atom_names)}, {_tuple_src(hit_names)})"
    prelude = [
        " = ".join(names) + " = None" for names in (atom_names, hit_names) if names
    ]
    # One pass of a loop: a matching rule `break`s to the single return below, so
    # the (long) result tuple is written once, not once per rule.
    tbody = [
        *prelude,
        "for _once in _ONCE:",
        *("    " + line for line in tbody or ["pass"]),
        f"return {result}",
    ]

    explain_lines = body_lines(explained=True)
    fast_lines = [
        "if explain:",
        *("    " + line for line in explain_lines),
        *body_lines(explained=False),
    ]

    def function(
        name: str, params: str, lines: list[str], mode: str, index: str
    ) -> list[str]:
        return [
            f"def {name}({params}):",
            *(["    _r = -1"] if mode == "trace" else []),
            "    try:",
            *("        " + line for line in lines),
            "    except _RuleEvaluationError:",
            "        raise",
            "    except Exception as _exc:",
            f"        return _recover(record, _exc, {index}, {mode!r})",
            "",
        ]

    source = "\n".join(
        [
            # `explain` is typed keyword-only (ClassifyFunction); a keyword-only
            # parameter costs every call about 5 %, so the function takes it plainly.
            # Both paths live in one function: a second call would cost more still.
            *function(
                "_fast",
                "record, explain=False",
                fast_lines,
                "fast",
                "-2 if explain else -1",
            ),
            *function("_trace", "record", tbody, "trace", "_r"),
        ]
    )
    namespace: dict[str, object] = {"__builtins__": {}}
    namespace.update(_HELPERS)
    namespace.update(ctx.constants)

    rule_ids = [r.id for r in rules]
    fields = ctx.fields
    new_decision = tuple.__new__

    def bad(names: list[str], rule_index: int) -> None:
        raise _BadValue(names, rule_index)

    def none() -> Decision:
        if default is not None:
            return default
        msg = "no rule matched and the ruleset has no default"
        raise NoMatchError(msg)

    finish = _finisher(ruleset, ctx, decisions, none)

    def explained(decision: Decision, values: tuple[object, ...]) -> Decision:
        explanation = tuple.__new__(
            Explanation, (owner, values, decision[0], decision[1])
        )
        d = decision
        return new_decision(Decision, (d[0], d[1], d[2], d[3], d[4], d[5], explanation))

    def diagnose(
        record: Mapping[str, object], rule_index: int, exc: Exception
    ) -> RuleEvaluationError:
        rule_id = rule_ids[rule_index] if 0 <= rule_index < len(rule_ids) else None
        if isinstance(exc, (_BadValue, TypeError)) and rule_id is not None:
            names = (
                exc.names
                if isinstance(exc, _BadValue)
                else fields_of(rules[rule_index].when)
            )
            for name in names:
                if name in record and not _usable(fields[name], record[name]):
                    value = record[name]
                    msg = f"{_describe(value)} is not a usable value for {_field_type(fields[name])}"
                    return RuleEvaluationError(msg, rule_id=rule_id, field=name)
        if isinstance(exc, KeyError):
            name = exc.args[0] if exc.args else "?"
            msg = f"the record has no {name!r}"
            return RuleEvaluationError(msg, rule_id=rule_id, field=str(name))
        if isinstance(exc, ZeroDivisionError):
            return RuleEvaluationError("division by zero", rule_id=rule_id)
        return RuleEvaluationError(f"cannot evaluate: {exc}", rule_id=rule_id)

    def recover(record: object, exc: Exception, rule_index: int, mode: str) -> Any:  # noqa: ANN401  # generated-code callback
        if mode == "fast" and rule_index == -2:  # noqa: PLR2004  # the explain path
            mode = "explain"
        if not isinstance(record, Mapping):
            if isinstance(exc, (TypeError, KeyError, _BadValue)):
                view = _AttrView(record)
                if mode == "trace":
                    return trace(view)
                return fast(view, mode == "explain")
            raise exc
        if isinstance(exc, (_BadValue, TypeError)):
            fixed = _normalised(record, fields)
            if fixed is not None:  # numpy scalars: usable once converted
                if mode == "trace":
                    return trace(fixed)
                return fast(fixed, mode == "explain")
        if mode != "trace":
            # The fast paths do not track which rule failed; the traced path
            # does, and fails the same way on the same record.
            trace(record)
            raise diagnose(record, -1, exc) from exc  # pragma: no cover  # trace raised
        if not isinstance(
            exc, (_BadValue, TypeError, KeyError, ArithmeticError, ValueError)
        ):
            raise exc
        raise diagnose(record, rule_index, exc) from None

    for index, decision in enumerate(decisions):
        namespace[f"_O{index}"] = decision.output
        namespace[f"_I{index}"] = decision.rule_ids
        namespace[f"_S{index}"] = decision.score
    namespace.update(
        {
            "_NEW": tuple.__new__,
            "_ONCE": (None,),
            "_DEC": Decision,
            "_EXP": Explanation,
            "_OWNER": owner,
            "_RID": ruleset.id,
            "_VER": ruleset.version,
            "_HASH": ruleset.content_hash,
            "_D": decisions,
            "_E": explained,
            "_bad": bad,
            "_none": none,
            "_finish": finish,
            "_recover": recover,
            "_RuleEvaluationError": RuleEvaluationError,
            "_MISSING": _MISSING,
        }
    )
    code = compile(source, f"<countypolicing ruleset {ruleset.id!r}>", "exec")
    exec(code, namespace)  # noqa: S102  # code generated from our validated tree only
    fast: Any = namespace["_fast"]
    trace: Any = namespace["_trace"]
    meta = _TraceMeta(
        ruleset_id=ruleset.id,
        hit_policy=str(ruleset.hit_policy),
        rule_ids=tuple(rule_ids),
        atom_texts=tuple(atom_texts),
        slots=tuple(tuple(x) for x in slots),
        because=tuple(
            (r.because.zh, r.because.en) if r.because else (None, None) for r in rules
        ),
        field_names=tuple(ctx.variables),
    )
    return fast, trace, source, decisions, meta


def _tuple_src(names: Sequence[str]) -> str:
    if not names:
        return "()"
    return "(" + ", ".join(names) + ("," if len(names) == 1 else "") + ")"


class _BadValue(Exception):  # noqa: N818  # internal signal, diagnosed by recover()
    def __init__(self, names: list[str], rule_index: int) -> None:
        super().__init__(names)
        self.names = names
        self.rule_index = rule_index


def _usable(field: Field, value: object) -> bool:  # noqa: PLR0911  # one answer per type
    if value is None:
        return field.optional
    if isinstance(value, bool):
        return field.type is ValueType.BOOL
    if field.type is ValueType.INT:
        return isinstance(value, int) or _numpy_kind(value) == "i"
    if field.type is ValueType.FLOAT:
        if isinstance(value, int) or _numpy_kind(value) == "i":
            return True
        if isinstance(value, float) or _numpy_kind(value) == "f":
            return math.isfinite(float(value))  # type: ignore[arg-type]  # a float
        return False
    if field.type is ValueType.BOOL:
        return value is True or value is False
    if field.values is not None:
        return value in field.values
    return value.__class__ is str


def _numpy_kind(value: object) -> str | None:
    """'i' for numpy integers, 'f' for numpy floats (without importing numpy)."""
    dtype = getattr(value, "dtype", None)
    kind = getattr(dtype, "kind", None)
    if kind in {"i", "u"} and getattr(value, "ndim", None) == 0:
        return "i"
    if kind == "f" and getattr(value, "ndim", None) == 0:
        return "f"
    return None


def _normalised(
    record: Mapping[str, object], fields: Mapping[str, Field]
) -> dict[str, object] | None:
    """The record with numpy scalars turned into Python numbers, if that helps."""
    changed = False
    out = dict(record)
    for name in fields:
        value = out.get(name)
        kind = _numpy_kind(value)
        if kind == "i":
            out[name] = int(value)  # type: ignore[call-overload]  # a numpy integer
            changed = True
        elif kind == "f":
            out[name] = float(value)  # type: ignore[arg-type]  # a numpy float
            changed = True
    return out if changed else None


class _Missing:
    def __repr__(self) -> str:
        return "<not read>"

    def __reduce__(self) -> str:
        return "_MISSING"  # pickles as the module's one instance


_MISSING: Final = _Missing()


def _describe(value: object) -> str:
    if value is None:
        return "None"
    if isinstance(value, float) and not math.isfinite(value):
        return f"float {value}"
    return f"{type(value).__name__} {value!r}"


def _field_type(field: Field) -> str:
    if field.values is not None:
        return f"{field.name}: one of {', '.join(field.values)}"
    return f"{field.name}: {field.type}"


def _finisher(  # noqa: C901  # one closure per hit policy
    ruleset: RuleSet,
    ctx: _Context,
    decisions: tuple[Decision, ...],
    none: Callable[[], Decision],
) -> Callable[[list[int]], Decision]:
    rules = ruleset.rules
    policy = ruleset.hit_policy
    output = ruleset.output

    if policy is HitPolicy.UNIQUE:

        def unique(matched: list[int]) -> Decision:
            if not matched:
                return none()
            if len(matched) > 1:
                ids = ", ".join(rules[i].id for i in matched)
                msg = f"rules {ids} all match, but the hit policy is unique"
                raise HitPolicyError(msg)
            return decisions[matched[0]]

        return unique
    if policy is HitPolicy.PRIORITY:
        assert output is not None  # noqa: S101  # validated
        order = [output.priority(str(r.then)) for r in rules]

        def priority(matched: list[int]) -> Decision:
            if not matched:
                return none()
            return decisions[min(matched, key=lambda i: (order[i], i))]

        return priority
    if policy is HitPolicy.ANY:

        def any_(matched: list[int]) -> Decision:
            if not matched:
                return none()
            outputs = {rules[i].then for i in matched}
            if len(outputs) > 1:
                ids = ", ".join(rules[i].id for i in matched)
                msg = (
                    f"rules {ids} match with different outputs "
                    f"({', '.join(sorted(map(str, outputs)))}), but the hit policy is any"
                )
                raise HitPolicyError(msg)
            return decisions[matched[0]]._replace(
                rule_ids=tuple(rules[i].id for i in matched)
            )

        return any_
    aggregate = ruleset.aggregate
    thresholds = ruleset.thresholds

    def collect(matched: list[int]) -> Decision:  # noqa: PLR0911  # one result per aggregate
        ids = tuple(rules[i].id for i in matched)
        if aggregate is Aggregate.LIST:
            assert output is not None  # noqa: S101  # validated
            return ctx.decision(
                ids, tuple(output.value(str(rules[i].then)) for i in matched)
            )
        if aggregate is Aggregate.COUNT:
            return ctx.decision(ids, len(matched))
        scores = [rules[i].score for i in matched]
        numbers = [s for s in scores if s is not None]
        if aggregate is Aggregate.SUM:
            total = math.fsum(numbers)
            score: float | int = (
                int(total) if all(isinstance(s, int) for s in numbers) else total
            )
            if thresholds:
                assert output is not None  # noqa: S101  # validated
                for band in thresholds:
                    if score >= band.at_least:
                        return ctx.decision(ids, output.value(band.then), score)
                return none()._replace(rule_ids=ids, score=score)
            return ctx.decision(ids, score, score)
        if not numbers:
            return none()
        chosen = min(numbers) if aggregate is Aggregate.MIN else max(numbers)
        return ctx.decision(ids, chosen, chosen)

    return collect
