"""JsonLogic interchange: conditions out to web query builders, and back in.

`to_jsonlogic` writes any condition as JsonLogic (https://jsonlogic.com), the format
web query builders produce; `from_jsonlogic` reads the part of JsonLogic our rule
language can express, typed against a schema, and refuses the rest with a
`RuleSyntaxError` naming the JSON path.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from functools import partial
from itertools import pairwise
from typing import Any, Final, TypeAlias, cast

from countypolicing.exceptions import (
    RuleLimitError,
    RuleSyntaxError,
    RuleTypeError,
)
from countypolicing.rules._ir import (
    And,
    Arith,
    ArithOp,
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
    ValueType,
)
from countypolicing.rules._parse import (
    DEFAULT_RULE_LIMITS,
    RuleLimits,
    _check_size,
    _Converter,
    _Error,
)
from countypolicing.rules._schema import Schema

__all__ = ["JsonLogic", "from_jsonlogic", "to_jsonlogic"]

#: A JsonLogic value: an operation ``{"op": [args...]}`` or a literal.
JsonLogic: TypeAlias = dict[str, Any] | bool | int | float | str

Path = tuple[str | int, ...]

#: Our own operations, for what JsonLogic has no operator for. Register them in
#: your JsonLogic engine (``jsonLogic.add_operation``) or keep them out of rules you
#: export.
EXTENSIONS: Final = ("//", "**", "abs", "round")


# ================================================================ export
def to_jsonlogic(node: Node) -> JsonLogic:  # noqa: C901, PLR0911  # one case per node kind
    """Write a condition (or any expression) as JsonLogic.

    Semantics are kept exactly: optional fields test ``{"==": [{"var": f}, null]}``;
    ordering comparisons of ordered enum fields become ``in`` lists, because
    JsonLogic orders text alphabetically; ``//``, ``**``, ``abs`` and ``round``
    are written as the extension operations of the same names. A bare constant
    condition (``when: true``) is the JSON literal ``true``.

    Note that JsonLogic's ``%`` is JavaScript's remainder, which differs from ours
    (Python's modulo) for negative operands.

    Examples:
        >>> from countypolicing.rules import builtin_schema, parse_condition
        >>> node = parse_condition(
        ...     "prior_incidents >= 8 and kind in ('urban', 'village')",
        ...     builtin_schema("community"),
        ... )
        >>> to_jsonlogic(node)
        {'and': [{'>=': [{'var': 'prior_incidents'}, 8]}, {'in': [{'var': 'kind'}, ['urban', 'village']]}]}

    Added in version 0.1.0.
    """
    if isinstance(node, Const):
        return node.value
    if isinstance(node, Field):
        return {"var": node.name}
    if isinstance(node, Arith):
        return {node.op: [to_jsonlogic(node.left), to_jsonlogic(node.right)]}
    if isinstance(node, Neg):
        return {"-": [to_jsonlogic(node.operand)]}
    if isinstance(node, Call):
        return {node.name: [to_jsonlogic(a) for a in node.args]}
    if isinstance(node, IfElse):
        return {
            "if": [
                to_jsonlogic(node.test),
                to_jsonlogic(node.then),
                to_jsonlogic(node.orelse),
            ]
        }
    if isinstance(node, Compare):
        return _compare(node)
    if isinstance(node, In):
        test = {"in": [to_jsonlogic(node.operand), list(node.values)]}
        return {"!": [test]} if node.negated else test
    if isinstance(node, IsMissing):
        return {"==": [{"var": node.field.name}, None]}
    if isinstance(node, And):
        return {"and": [to_jsonlogic(i) for i in node.items]}
    if isinstance(node, Or):
        return {"or": [to_jsonlogic(i) for i in node.items]}
    return {"!": [to_jsonlogic(node.item)]}


def _ordered_field(node: Compare) -> Field | None:
    if node.op in {"==", "!="}:
        return None
    for side in (node.left, node.right):
        if isinstance(side, Field) and side.ordered and side.values is not None:
            return side
    return None


_OPS: Final[Mapping[str, Callable[[int, int], bool]]] = {
    "<": lambda a, b: a < b,
    "<=": lambda a, b: a <= b,
    ">": lambda a, b: a > b,
    ">=": lambda a, b: a >= b,
}


def _compare(node: Compare) -> JsonLogic:
    field = _ordered_field(node)
    if field is None:
        return {node.op: [to_jsonlogic(node.left), to_jsonlogic(node.right)]}
    values = field.values or ()
    rank = {v: i for i, v in enumerate(values)}
    test = _OPS[node.op]
    left, right = node.left, node.right
    if isinstance(right, Const) and isinstance(left, Field):
        keep = [v for v in values if test(rank[v], rank[str(right.value)])]
        return {"in": [to_jsonlogic(left), keep]}
    if isinstance(left, Const) and isinstance(right, Field):
        keep = [v for v in values if test(rank[str(left.value)], rank[v])]
        return {"in": [to_jsonlogic(right), keep]}
    cases = []
    for v in values:
        keep = [w for w in values if test(rank[v], rank[w])]
        if keep:
            cases.append(
                {
                    "and": [
                        {"==": [to_jsonlogic(left), v]},
                        {"in": [to_jsonlogic(right), keep]},
                    ]
                }
            )
    if not cases:
        return False
    return cases[0] if len(cases) == 1 else {"or": cases}


# ================================================================ import
_REFUSED: Final[Mapping[str, str]] = {
    "===": "strict equality '===' is not part of the rule language; use '=='",
    "!==": "strict inequality '!==' is not part of the rule language; use '!='",
    "!!": "'!!' tests truthiness, which the rule language does not have; compare "
    "the value instead",
    "cat": "string operations ('cat') are not part of the rule language",
    "substr": "string operations ('substr') are not part of the rule language",
    "some": "array operations ('some') are not part of the rule language",
    "all": "array operations ('all') are not part of the rule language",
    "none": "array operations ('none') are not part of the rule language",
    "map": "array operations ('map') are not part of the rule language",
    "filter": "array operations ('filter') are not part of the rule language",
    "reduce": "array operations ('reduce') are not part of the rule language",
    "merge": "array operations ('merge') are not part of the rule language",
    "missing": "'missing' is not supported; test an optional field with "
    "{'==': [{'var': 'field'}, null]}",
    "missing_some": "'missing_some' is not supported; test an optional field with "
    "{'==': [{'var': 'field'}, null]}",
    "log": "'log' is not part of the rule language",
    "method": "'method' calls are not part of the rule language",
}


class _Importer:
    def __init__(self, schema: Schema, limits: RuleLimits) -> None:
        self.conv = _Converter(schema, limits)
        self.limits = limits

    def fail(
        self, message: str, path: Path, kind: type[RuleSyntaxError] = RuleSyntaxError
    ) -> RuleSyntaxError:
        return kind(message, path=path)

    def guard(self, build: Callable[[], Node], path: Path) -> Node:
        try:
            return build()
        except _Error as exc:
            raise exc.kind(exc.message, path=path) from None

    def check(self, test: Callable[[], None], path: Path) -> None:
        try:
            test()
        except _Error as exc:
            raise exc.kind(exc.message, path=path) from None

    def condition(self, data: object, path: Path) -> Node:
        node = self.value(data, path)
        if node.type is not ValueType.BOOL:
            msg = (
                f"a {node.type} is not a condition (there is no truthiness: compare "
                "it, e.g. {'>': [..., 0]})"
            )
            raise RuleTypeError(msg, path=path)
        return node

    def value(self, data: object, path: Path) -> Node:  # one case per JSON kind
        if len(path) > self.limits.max_depth * 2:
            raise RuleLimitError(
                f"JsonLogic nested deeper than {self.limits.max_depth}", path=path
            )
        if data is None:
            raise self.fail(
                "null is only allowed as {'==': [{'var': field}, null]} "
                "(an optional field is missing)",
                path,
            )
        if isinstance(data, (bool, int, float, str)):
            if isinstance(data, float) and not math.isfinite(data):
                raise RuleTypeError("numbers must be finite", path=path)
            return self.guard(lambda: self.conv.const(data, None), path)
        if isinstance(data, list):
            raise self.fail(
                "a list is only allowed as the second argument of 'in'", path
            )
        if not isinstance(data, Mapping) or len(data) != 1:
            raise self.fail(
                "an operation is an object with exactly one key, e.g. "
                "{'>': [{'var': 'x'}, 3]}",
                path,
            )
        ((op, raw),) = data.items()
        op = str(op)
        if op in _REFUSED:
            raise self.fail(_REFUSED[op], (*path, op))
        handler = _HANDLERS.get(op)
        if handler is None:
            raise self.fail(f"unknown JsonLogic operation {op!r}", (*path, op))
        args = list(raw) if isinstance(raw, list) else [raw]
        return handler(self, args, (*path, op))

    def arity(self, args: Sequence[object], path: Path, *counts: int) -> None:
        if len(args) not in counts:
            want = " or ".join(str(c) for c in counts)
            raise self.fail(f"takes {want} argument(s), got {len(args)}", path)

    def many(self, args: Sequence[object], path: Path) -> list[Node]:
        return [self.value(a, (*path, i)) for i, a in enumerate(args)]

    # -- operations
    def var(self, args: Sequence[object], path: Path) -> Node:
        if len(args) != 1:
            raise self.fail(
                "'var' with a default value is not supported: declare the field "
                "optional and test {'==': [{'var': field}, null]}",
                path,
            )
        name = args[0]
        if not isinstance(name, str) or not name:
            raise self.fail("'var' names one field of the schema", path)
        return self.guard(lambda: self.conv.field(name, None), path)

    def equality(self, op: CompareOp, args: Sequence[object], path: Path) -> Node:
        self.arity(args, path, 2)
        for a, b in ((args[0], args[1]), (args[1], args[0])):
            if b is None and isinstance(a, Mapping) and set(a) == {"var"}:
                field = self.value(a, (*path, 0 if a is args[0] else 1))
                assert isinstance(field, Field)  # noqa: S101  # a var
                if not field.optional:
                    raise RuleTypeError(
                        f"{field.name} is never missing (it is not optional)",
                        path=path,
                    )
                missing = IsMissing(field)
                return missing if op == "==" else Not(missing)
        left, right = self.many(args, path)
        return self.guard(lambda: self.conv.comparison(op, left, right, None), path)

    def ordering(self, op: CompareOp, args: Sequence[object], path: Path) -> Node:
        counts = (2, 3) if op in {"<", "<="} else (2,)
        self.arity(args, path, *counts)
        values = self.many(args, path)
        parts = [
            self.guard(
                lambda a=a, b=b: self.conv.comparison(op, a, b, None),  # type: ignore[misc]  # bound defaults
                path,
            )
            for a, b in pairwise(values)
        ]
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def boolean(self, kind: type[And | Or], args: Sequence[object], path: Path) -> Node:
        if not args:
            raise self.fail("needs at least one condition", path)
        items = tuple(self.condition(a, (*path, i)) for i, a in enumerate(args))
        return items[0] if len(items) == 1 else kind(items)

    def not_(self, args: Sequence[object], path: Path) -> Node:
        self.arity(args, path, 1)
        inner = args[0]
        if isinstance(inner, Mapping) and set(inner) == {"in"}:
            test = self.value(inner, (*path, 0))
            if isinstance(test, In):
                return In(test.operand, test.values, negated=not test.negated)
        return Not(self.condition(inner, (*path, 0)))

    def in_(self, args: Sequence[object], path: Path) -> Node:
        self.arity(args, path, 2)
        if isinstance(args[1], str):
            raise self.fail(
                "'in' on text tests for a substring, which the rule language does "
                "not have; give a list of values",
                (*path, 1),
            )
        if not isinstance(args[1], list):
            raise self.fail("'in' needs a literal list of values", (*path, 1))
        operand = self.value(args[0], (*path, 0))
        values = args[1]
        if len(values) > self.limits.max_in_values:
            raise RuleLimitError(
                f"more than {self.limits.max_in_values} values after 'in'", path=path
            )
        scalars: list[bool | int | float | str] = []
        for i, v in enumerate(values):
            if isinstance(v, (dict, list)) or v is None:
                raise self.fail("only literals may follow 'in'", (*path, 1, i))
            scalars.append(cast("bool | int | float | str", v))
        return self.guard(
            lambda: self.conv.make_in(operand, scalars, negated=False, column=None),
            path,
        )

    def arith(self, op: ArithOp, args: Sequence[object], path: Path) -> Node:
        if op in {"+", "*"} and len(args) == 1:
            only = self.value(args[0], (*path, 0))
            self.check(partial(self.conv.numeric, only, None, f"'{op}'"), path)
            return only
        if op == "-" and len(args) == 1:
            operand = self.value(args[0], (*path, 0))
            self.check(partial(self.conv.numeric, operand, None, "unary minus"), path)
            if isinstance(operand, Const) and not isinstance(operand.value, bool):
                return self.guard(lambda: self.conv.const(-operand.value, None), path)  # type: ignore[operator]  # numeric
            return Neg(operand, operand.type)
        if op in {"+", "*"}:
            if len(args) < 2:  # noqa: PLR2004  # at least two terms
                raise self.fail("needs at least one argument", path)
        else:
            self.arity(args, path, 2)
        values = self.many(args, path)
        node = values[0]
        for right in values[1:]:
            node = self.guard(lambda n=node, r=right: self.binary(op, n, r), path)  # type: ignore[misc]  # bound defaults
        return node

    def binary(self, op: ArithOp, left: Node, right: Node) -> Node:
        self.conv.numeric(left, None, f"'{op}'")
        self.conv.numeric(right, None, f"'{op}'")
        if op == "**" and not (
            isinstance(right, Const)
            and right.type is ValueType.INT
            and 0 <= cast("int", right.value) <= self.limits.max_exponent
        ):
            raise _Error(
                RuleLimitError,
                "the exponent of '**' must be a whole-number literal from 0 to "
                f"{self.limits.max_exponent}",
            )
        if isinstance(right, Const) and right.value == 0 and op in {"/", "//", "%"}:
            raise _Error(RuleTypeError, "division by zero")
        if op == "/":
            kind = ValueType.FLOAT
        elif left.type is ValueType.INT and right.type is ValueType.INT:
            kind = ValueType.INT
        else:
            kind = ValueType.FLOAT
        return Arith(op, left, right, kind)

    def call(self, name: str, args: Sequence[object], path: Path) -> Node:
        values = self.many(args, path)
        for v in values:
            self.check(partial(self.conv.numeric, v, None, f"{name}()"), path)
        if name in {"abs", "round"}:
            self.arity(args, path, 1)
            kind = ValueType.INT if name == "round" else values[0].type
            return Call(name, tuple(values), kind)  # type: ignore[arg-type]  # abs or round
        if len(values) < 2:  # noqa: PLR2004  # min and max need two or more
            raise self.fail(f"{name} takes two or more values", path)
        kind = (
            ValueType.INT
            if all(v.type is ValueType.INT for v in values)
            else ValueType.FLOAT
        )
        return Call(name, tuple(values), kind)  # type: ignore[arg-type]  # min or max

    def if_(self, args: Sequence[object], path: Path) -> Node:
        if len(args) < 3 or len(args) % 2 == 0:  # noqa: PLR2004  # if, then, else
            raise self.fail(
                "'if' takes a condition, a value and an else value (and more "
                "condition/value pairs before the else)",
                path,
            )
        return self._chain(args, 0, path)

    def _chain(self, args: Sequence[object], start: int, path: Path) -> Node:
        if start == len(args) - 1:
            return self.value(args[start], (*path, start))
        test = self.condition(args[start], (*path, start))
        then = self.value(args[start + 1], (*path, start + 1))
        orelse = self._chain(args, start + 2, path)
        kind = self.guard(
            lambda: cast("Node", Const(0, self.conv.unify(then, orelse, None, "if"))),
            path,
        ).type
        return IfElse(test, then, orelse, kind)


def _handlers() -> Mapping[str, Callable[[_Importer, Sequence[object], Path], Node]]:
    table: dict[str, Callable[[_Importer, Sequence[object], Path], Node]] = {
        "var": _Importer.var,
        "==": lambda s, a, p: s.equality("==", a, p),
        "!=": lambda s, a, p: s.equality("!=", a, p),
        "and": lambda s, a, p: s.boolean(And, a, p),
        "or": lambda s, a, p: s.boolean(Or, a, p),
        "!": _Importer.not_,
        "in": _Importer.in_,
        "if": _Importer.if_,
        "?:": _Importer.if_,
    }
    for op in ("<", "<=", ">", ">="):
        table[op] = lambda s, a, p, op=op: s.ordering(op, a, p)  # type: ignore[misc]  # bound default
    for op in ("+", "-", "*", "/", "%", "//", "**"):
        table[op] = lambda s, a, p, op=op: s.arith(op, a, p)  # type: ignore[misc]  # bound default
    for name in ("min", "max", "abs", "round"):
        table[name] = lambda s, a, p, name=name: s.call(name, a, p)  # type: ignore[misc]  # bound default
    return table


_HANDLERS: Final = _handlers()


def from_jsonlogic(
    data: object, schema: Schema, *, limits: RuleLimits = DEFAULT_RULE_LIMITS
) -> Node:
    """Read a JsonLogic condition, typed against ``schema``.

    The operations that map onto the rule language are read: ``var``, ``==``,
    ``!=``, ``<``, ``<=`` (also with three arguments: between), ``>``, ``>=``,
    ``and``, ``or``, ``!``, ``in`` (over a literal list), ``+``, ``-``, ``*``,
    ``/``, ``%``, ``min``, ``max``, ``if``, and our extensions ``//``, ``**``,
    ``abs``, ``round``. ``{"==": [{"var": f}, null]}`` tests an optional field for a
    missing value.

    Raises:
        RuleSyntaxError: an operation the rule language cannot express (``===``,
            ``!!``, string and array operations, ``missing``, ``var`` defaults),
            naming its JSON path (``$.and[1].===``).
        RuleTypeError: an unknown field, or types that do not fit the schema.
        RuleLimitError: nesting or size beyond ``limits``.

    Examples:
        >>> from countypolicing.rules import builtin_schema, parse_condition
        >>> schema = builtin_schema("community")
        >>> node = from_jsonlogic(
        ...     {
        ...         "and": [
        ...             {">=": [{"var": "prior_incidents"}, 8]},
        ...             {"var": "theme_railway"},
        ...         ]
        ...     },
        ...     schema,
        ... )
        >>> node == parse_condition("prior_incidents >= 8 and theme_railway", schema)
        True
        >>> from_jsonlogic(
        ...     {"or": [{"===": [{"var": "kind"}, "urban"]}]},
        ...     builtin_schema("community"),
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.RuleSyntaxError: $.or[0].===: strict equality '===' is not part of the rule language; use '=='

    Added in version 0.1.0.
    """
    importer = _Importer(schema, limits)
    node = importer.condition(data, ("$",))
    try:
        _check_size(node, limits)
    except _Error as exc:
        raise exc.kind(exc.message, path=("$",)) from None
    return node
