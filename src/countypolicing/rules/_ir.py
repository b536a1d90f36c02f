"""The condition tree (IR): one closed, typed set of frozen nodes.

Expression strings and the structured ``all/any/not/{field, op, value}`` form both
become this tree; compilation, columnar evaluation, explanation and verification all
work on it and on nothing else.
"""

from __future__ import annotations

from collections.abc import Iterator
from enum import StrEnum
from typing import Final, Literal, TypeAlias

import attrs

__all__ = [
    "And",
    "Arith",
    "Call",
    "Compare",
    "Const",
    "Field",
    "IfElse",
    "In",
    "IsMissing",
    "Neg",
    "Node",
    "Not",
    "Or",
    "ValueType",
    "atoms",
    "fields_of",
    "render",
    "walk",
]


class ValueType(StrEnum):
    """The types of the rule language. Enum fields are strings with a closed set."""

    INT = "int"
    FLOAT = "float"
    BOOL = "bool"
    STR = "str"

    @property
    def numeric(self) -> bool:
        """Whether arithmetic and ordering apply."""
        return self in {ValueType.INT, ValueType.FLOAT}


Scalar: TypeAlias = int | float | bool | str
ArithOp: TypeAlias = Literal["+", "-", "*", "/", "//", "%", "**"]
CompareOp: TypeAlias = Literal["==", "!=", "<", "<=", ">", ">="]
FuncName: TypeAlias = Literal["abs", "min", "max", "round"]

ARITH_OPS: Final = ("+", "-", "*", "/", "//", "%", "**")
COMPARE_OPS: Final = ("==", "!=", "<", "<=", ">", ">=")


@attrs.frozen
class Const:
    """A literal value."""

    value: Scalar
    type: ValueType


@attrs.frozen
class Field:
    """A read of a record field.

    ``values`` is the closed set of an enum field (in its declared order);
    ``ordered`` says whether ordering comparisons apply to it (by that order).
    """

    name: str
    type: ValueType
    optional: bool = False
    values: tuple[str, ...] | None = None
    ordered: bool = False


@attrs.frozen
class Arith:
    """A binary arithmetic operation on numbers."""

    op: ArithOp
    left: Node
    right: Node
    type: ValueType


@attrs.frozen
class Neg:
    """Unary minus."""

    operand: Node
    type: ValueType


@attrs.frozen
class Call:
    """A registered pure function: ``abs``, ``min``, ``max``, ``round``."""

    name: FuncName
    args: tuple[Node, ...]
    type: ValueType


@attrs.frozen
class IfElse:
    """``then if test else orelse``."""

    test: Node
    then: Node
    orelse: Node
    type: ValueType


@attrs.frozen
class Compare:
    """A comparison of two values (chains are split into an `And`)."""

    op: CompareOp
    left: Node
    right: Node

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


@attrs.frozen
class In:
    """Membership of a value in a literal set: ``x in (a, b)`` / ``x not in (...)``."""

    operand: Node
    values: tuple[Scalar, ...]
    negated: bool = False

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


@attrs.frozen
class IsMissing:
    """``is_missing(field)``: the only way to look at an optional field's absence."""

    field: Field

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


@attrs.frozen
class And:
    """All of the items, evaluated left to right with short circuit."""

    items: tuple[Node, ...]

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


@attrs.frozen
class Or:
    """Any of the items, evaluated left to right with short circuit."""

    items: tuple[Node, ...]

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


@attrs.frozen
class Not:
    """Negation of a condition."""

    item: Node

    @property
    def type(self) -> ValueType:
        """Always `ValueType.BOOL`."""
        return ValueType.BOOL


Node: TypeAlias = (
    Const
    | Field
    | Arith
    | Neg
    | Call
    | IfElse
    | Compare
    | In
    | IsMissing
    | And
    | Or
    | Not
)

#: Nodes whose truth value an explanation reports one by one.
ATOMS: Final = (Compare, In, IsMissing, Field, Const)


def children(node: Node) -> tuple[Node, ...]:  # noqa: PLR0911  # one case per node kind
    """The direct sub-nodes of ``node``, in evaluation order."""
    if isinstance(node, (Arith, Compare)):
        return (node.left, node.right)
    if isinstance(node, Neg):
        return (node.operand,)
    if isinstance(node, Call):
        return node.args
    if isinstance(node, IfElse):
        return (node.test, node.then, node.orelse)
    if isinstance(node, In):
        return (node.operand,)
    if isinstance(node, IsMissing):
        return (node.field,)
    if isinstance(node, (And, Or)):
        return node.items
    if isinstance(node, Not):
        return (node.item,)
    return ()


def walk(node: Node) -> Iterator[Node]:
    """Every node of the tree, pre-order, without recursion."""
    stack = [node]
    while stack:
        current = stack.pop()
        yield current
        stack.extend(reversed(children(current)))


def fields_of(node: Node) -> tuple[str, ...]:
    """The field names read by ``node``, in first-use order, each once."""
    seen: dict[str, None] = {}
    for n in walk(node):
        if isinstance(n, Field):
            seen.setdefault(n.name, None)
    return tuple(seen)


def atoms(node: Node) -> tuple[Node, ...]:
    """The atomic conditions of a boolean tree, left to right.

    An atom is a boolean leaf of the and/or/not structure: a comparison, a
    membership test, ``is_missing``, a boolean field or constant, or a conditional,
    possibly negated (``not is_missing(x)`` is one atom).
    """
    out: list[Node] = []
    stack = [node]
    while stack:
        current = stack.pop()
        if isinstance(current, (And, Or)):
            stack.extend(reversed(current.items))
        elif isinstance(current, Not) and isinstance(current.item, (And, Or, Not)):
            stack.append(current.item)
        else:
            out.append(current)
    return tuple(out)


_PRECEDENCE: Final = {
    "or": 1,
    "and": 2,
    "not": 3,
    "cmp": 4,
    "+": 5,
    "-": 5,
    "*": 6,
    "/": 6,
    "//": 6,
    "%": 6,
    "neg": 7,
    "**": 8,
    "atom": 9,
    "if": 0,
}


def _literal(value: Scalar) -> str:
    if isinstance(value, str):
        return repr(value)
    if isinstance(value, bool):
        return "True" if value else "False"
    return repr(value)


def render(node: Node) -> str:
    """The canonical expression text of ``node`` (what the normalised hash covers).

    Examples:
        >>> f = Field("calls_per_1000", ValueType.FLOAT)
        >>> render(
        ...     Compare(
        ...         ">",
        ...         Arith("*", f, Const(2, ValueType.INT), ValueType.FLOAT),
        ...         Const(60, ValueType.INT),
        ...     )
        ... )
        'calls_per_1000 * 2 > 60'
    """
    return _render(node)[0]


def _wrap(text: str, inner: int, outer: int, *, right: bool = False) -> str:
    if inner < outer or (right and inner == outer):
        return f"({text})"
    return text


def _render(node: Node) -> tuple[str, int]:  # noqa: C901, PLR0911  # one case per node kind
    if isinstance(node, Const):
        text = _literal(node.value)
        # A negative number binds like unary minus: (-2) ** 2 keeps its brackets.
        return text, _PRECEDENCE["neg"] if text.startswith("-") else _PRECEDENCE["atom"]
    if isinstance(node, Field):
        return node.name, _PRECEDENCE["atom"]
    if isinstance(node, Arith):
        p = _PRECEDENCE[node.op]
        left, lp = _render(node.left)
        right, rp = _render(node.right)
        if node.op == "**":
            return f"{_wrap(left, lp, p, right=True)} ** {_wrap(right, rp, p)}", p
        return f"{_wrap(left, lp, p)} {node.op} {_wrap(right, rp, p, right=True)}", p
    if isinstance(node, Neg):
        text, tp = _render(node.operand)
        return f"-{_wrap(text, tp, _PRECEDENCE['neg'])}", _PRECEDENCE["neg"]
    if isinstance(node, Call):
        return f"{node.name}({', '.join(render(a) for a in node.args)})", _PRECEDENCE[
            "atom"
        ]
    if isinstance(node, IfElse):
        p = _PRECEDENCE["if"]
        then, tp = _render(node.then)
        test, sp = _render(node.test)
        orelse, _op = _render(node.orelse)
        return f"{_wrap(then, tp, p + 1)} if {_wrap(test, sp, p + 1)} else {orelse}", p
    if isinstance(node, Compare):
        p = _PRECEDENCE["cmp"]
        left, lp = _render(node.left)
        right, rp = _render(node.right)
        return f"{_wrap(left, lp, p + 1)} {node.op} {_wrap(right, rp, p + 1)}", p
    if isinstance(node, In):
        p = _PRECEDENCE["cmp"]
        operand, op_p = _render(node.operand)
        values = ", ".join(_literal(v) for v in node.values)
        if len(node.values) == 1:
            values += ","
        keyword = "not in" if node.negated else "in"
        return f"{_wrap(operand, op_p, p + 1)} {keyword} ({values})", p
    if isinstance(node, IsMissing):
        return f"is_missing({node.field.name})", _PRECEDENCE["atom"]
    if isinstance(node, (And, Or)):
        word = "and" if isinstance(node, And) else "or"
        p = _PRECEDENCE[word]
        parts = [_wrap(*_render(item), p + 1) for item in node.items]
        return f" {word} ".join(parts), p
    text, tp = _render(node.item)
    p = _PRECEDENCE["not"]
    return f"not {_wrap(text, tp, p)}", p
