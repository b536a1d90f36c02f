"""From expression text or the structured form to the typed condition tree.

Expression text is parsed with ``ast.parse(mode="eval")`` after size and nesting
checks that run before the parser allocates anything, then every node is checked
against an allow-list and typed against the schema. Nothing here evaluates user text.
"""

from __future__ import annotations

import ast
import math
from collections.abc import Callable, Mapping
from functools import partial
from typing import Final, cast

import attrs

from countypolicing.exceptions import (
    RuleDefinitionError,
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
    FuncName,
    IfElse,
    In,
    IsMissing,
    Neg,
    Node,
    Not,
    Or,
    Scalar,
    ValueType,
    children,
    render,
    walk,
)
from countypolicing.rules._schema import Schema

__all__ = ["DEFAULT_RULE_LIMITS", "RuleLimits", "parse_condition"]

_INT_BOUND: Final = 2**63


@attrs.frozen(kw_only=True)
class RuleLimits:
    """Bounds on what a rule may be, checked before anything large is built.

    Examples:
        >>> RuleLimits().max_text
        4096

    Added in version 0.1.0.
    """

    max_text: int = 4096
    max_depth: int = 32
    max_nodes: int = 1000
    max_exponent: int = 64
    max_rules: int = 10_000
    max_string: int = 1000
    max_in_values: int = 1000


DEFAULT_RULE_LIMITS: Final = RuleLimits()

_ARITH: Final[Mapping[type[ast.operator], ArithOp]] = {
    ast.Add: "+",
    ast.Sub: "-",
    ast.Mult: "*",
    ast.Div: "/",
    ast.FloorDiv: "//",
    ast.Mod: "%",
    ast.Pow: "**",
}
_COMPARE: Final[Mapping[type[ast.cmpop], CompareOp]] = {
    ast.Eq: "==",
    ast.NotEq: "!=",
    ast.Lt: "<",
    ast.LtE: "<=",
    ast.Gt: ">",
    ast.GtE: ">=",
}
_FUNCTIONS: Final = ("abs", "min", "max", "round", "between", "is_missing")
_STRUCTURED_OPS: Final = (
    "==",
    "!=",
    "<",
    "<=",
    ">",
    ">=",
    "in",
    "not_in",
    "is_missing",
)

_ALLOWED_AST: Final = (
    ast.Expression,
    ast.BoolOp,
    ast.And,
    ast.Or,
    ast.UnaryOp,
    ast.Not,
    ast.USub,
    ast.UAdd,
    ast.BinOp,
    *_ARITH,
    ast.Compare,
    *_COMPARE,
    ast.In,
    ast.NotIn,
    ast.IfExp,
    ast.Call,
    ast.Name,
    ast.Load,
    ast.Constant,
    ast.Tuple,
    ast.List,
    ast.Set,
)

_DESCRIBE: Final[Mapping[type[ast.AST], str]] = {
    ast.Attribute: "attribute access",
    ast.Subscript: "subscripts",
    ast.Lambda: "lambdas",
    ast.ListComp: "comprehensions",
    ast.SetComp: "comprehensions",
    ast.DictComp: "comprehensions",
    ast.GeneratorExp: "generator expressions",
    ast.JoinedStr: "f-strings",
    ast.FormattedValue: "f-strings",
    ast.NamedExpr: "the walrus operator",
    ast.Starred: "starred expressions",
    ast.Dict: "dict literals",
    ast.Await: "await",
    ast.Yield: "yield",
    ast.YieldFrom: "yield",
    ast.LShift: "bit shifts",
    ast.RShift: "bit shifts",
    ast.BitAnd: "bitwise operators",
    ast.BitOr: "bitwise operators",
    ast.BitXor: "bitwise operators",
    ast.Invert: "bitwise operators",
    ast.MatMult: "matrix multiplication",
    ast.Is: "'is' (use == or is_missing)",
    ast.IsNot: "'is not' (use != or is_missing)",
    ast.Slice: "slices",
}


class _Error(Exception):  # internal signal, turned into RuleDefinitionError
    def __init__(
        self,
        kind: type[RuleDefinitionError],
        message: str,
        column: int | None = None,
    ) -> None:
        super().__init__(message)
        self.kind = kind
        self.message = message
        self.column = column


def _column(node: ast.AST) -> int | None:
    offset = getattr(node, "col_offset", None)
    return None if offset is None else offset + 1


# ------------------------------------------------------------------ pre-checks
def _precheck_text(text: str, limits: RuleLimits) -> None:  # noqa: C901  # one linear scan
    """Length and nesting, scanned before ``ast.parse`` allocates a tree."""
    if len(text) > limits.max_text:
        raise _Error(
            RuleLimitError,
            f"expression is {len(text)} characters long; the limit is {limits.max_text}",
        )
    depth = 0
    run = 0
    quote: str | None = None
    for index, char in enumerate(text):
        if quote is not None:
            if char == quote:
                quote = None
            continue
        if char in "'\"":
            quote = char
        elif char in "([{":
            depth += 1
            if depth > limits.max_depth:
                raise _Error(
                    RuleLimitError,
                    f"brackets nested deeper than {limits.max_depth}",
                    index + 1,
                )
        elif char in ")]}":
            depth -= 1
        if char in "-+~":
            run += 1
            if run > limits.max_depth:
                raise _Error(
                    RuleLimitError,
                    f"more than {limits.max_depth} unary operators in a row",
                    index + 1,
                )
        elif not char.isspace():
            run = 0
        if ord(char) < 32 and char not in "\t\n\r":  # noqa: PLR2004  # ASCII controls
            raise _Error(RuleSyntaxError, f"control character {char!r}", index + 1)


def _parse_text(text: str, limits: RuleLimits) -> ast.expr:
    _precheck_text(text, limits)
    try:
        tree = ast.parse(text.strip(), mode="eval")
    except SyntaxError as exc:
        raise _Error(
            RuleSyntaxError,
            f"not a valid expression: {exc.msg}",
            exc.offset,
        ) from None
    except (RecursionError, MemoryError, ValueError, OverflowError) as exc:
        raise _Error(
            RuleLimitError, f"expression too complex to parse ({type(exc).__name__})"
        ) from None
    stripped = text.strip()
    count = 0
    stack: list[tuple[ast.AST, int, int | None]] = [(tree, 0, None)]
    while stack:
        node, depth, parent_column = stack.pop()
        count += 1
        if count > limits.max_nodes:
            raise _Error(
                RuleLimitError,
                f"expression has more than {limits.max_nodes} nodes",
            )
        if depth > limits.max_depth + 2:  # Expression and the top node are free
            raise _Error(
                RuleLimitError,
                f"expression nested deeper than {limits.max_depth}",
                _column(node),
            )
        column = _column(node) or parent_column
        if not isinstance(node, _ALLOWED_AST):
            what = _DESCRIBE.get(type(node), type(node).__name__)
            raise _Error(RuleSyntaxError, f"{what} not allowed", column)
        if isinstance(node, ast.Name):
            _check_identifier(node, stripped)
        stack.extend((child, depth + 1, column) for child in ast.iter_child_nodes(node))
    return tree.body


def _check_identifier(node: ast.Name, text: str) -> None:
    """Python folds look-alike letters in names (NFKC); we refuse them instead."""
    start = node.col_offset
    end = node.end_col_offset if node.end_col_offset is not None else start
    line = text.splitlines()[node.lineno - 1] if text else ""
    written = line.encode("utf-8")[start:end].decode("utf-8", errors="replace")
    if written != node.id or not node.id.isascii():
        raise _Error(
            RuleSyntaxError,
            f"field name {written!a} uses look-alike or non-ASCII characters",
            start + 1,
        )


# ------------------------------------------------------------------ conversion
@attrs.define
class _Converter:
    schema: Schema
    limits: RuleLimits

    def field(self, name: str, column: int | None) -> Field:
        if name not in self.schema:
            hint = self.schema.suggest(name)
            extra = f"; did you mean {hint!r}?" if hint else ""
            raise _Error(RuleTypeError, f"unknown field {name!a}{extra}", column)
        spec = self.schema.field(name)
        return Field(
            spec.name,
            spec.type,
            optional=spec.optional,
            values=spec.values,
            ordered=spec.ordered,
        )

    def const(self, value: object, column: int | None) -> Const:
        if isinstance(value, bool):
            return Const(value, ValueType.BOOL)
        if isinstance(value, int):
            if abs(value) >= _INT_BOUND:
                raise _Error(RuleLimitError, "integer literal out of range", column)
            return Const(value, ValueType.INT)
        if isinstance(value, float):
            if not math.isfinite(value):
                raise _Error(RuleTypeError, "numbers must be finite", column)
            return Const(value, ValueType.FLOAT)
        if isinstance(value, str):
            if len(value) > self.limits.max_string:
                raise _Error(
                    RuleLimitError,
                    f"string literal longer than {self.limits.max_string}",
                    column,
                )
            return Const(value, ValueType.STR)
        if value is None:
            raise _Error(
                RuleTypeError,
                "None is not a value a field can be compared with; "
                "use is_missing(field) to test for a missing value",
                column,
            )
        raise _Error(
            RuleSyntaxError,
            f"literal of type {type(value).__name__} not allowed",
            column,
        )

    # -- expressions from Python syntax
    def expr(self, node: ast.expr) -> Node:  # noqa: C901, PLR0911, PLR0912  # one case per syntax
        col = _column(node)
        if isinstance(node, ast.Constant):
            return self.const(node.value, col)
        if isinstance(node, ast.Name):
            if node.id in {
                "True",
                "False",
                "None",
            }:  # pragma: no cover  # parsed as Constant
                return self.const(node.value, col)  # type: ignore[attr-defined]
            return self.field(node.id, col)
        if isinstance(node, ast.BoolOp):
            items = tuple(self.condition(v) for v in node.values)
            return And(items) if isinstance(node.op, ast.And) else Or(items)
        if isinstance(node, ast.UnaryOp):
            if isinstance(node.op, ast.Not):
                return Not(self.condition(node.operand))
            operand = self.expr(node.operand)
            self.numeric(operand, col, "unary minus")
            if isinstance(node.op, ast.UAdd):
                return operand
            if isinstance(operand, Const) and not isinstance(operand.value, bool):
                return self.const(-operand.value, col)  # type: ignore[operator]  # numeric
            return Neg(operand, operand.type)
        if isinstance(node, ast.BinOp):
            return self.arith(node)
        if isinstance(node, ast.Compare):
            return self.compare(node)
        if isinstance(node, ast.IfExp):
            test = self.condition(node.test)
            then = self.expr(node.body)
            orelse = self.expr(node.orelse)
            return IfElse(test, then, orelse, self.unify(then, orelse, col, "if/else"))
        if isinstance(node, ast.Call):
            return self.call(node)
        if isinstance(node, (ast.Tuple, ast.List, ast.Set)):
            raise _Error(
                RuleSyntaxError, "a list is only allowed after 'in' / 'not in'", col
            )
        raise _Error(
            RuleSyntaxError, f"{type(node).__name__} not allowed", col
        )  # pragma: no cover  # filtered by the allow-list

    def condition(self, node: ast.expr) -> Node:
        result = self.expr(node)
        if result.type is not ValueType.BOOL:
            raise _Error(
                RuleTypeError,
                f"`{render(result)}` is a {result.type}, not a condition "
                "(there is no truthiness: compare it, e.g. '> 0')",
                _column(node),
            )
        return result

    def numeric(self, node: Node, column: int | None, what: str) -> None:
        if not node.type.numeric:
            raise _Error(
                RuleTypeError,
                f"{what} needs numbers, got {node.type} `{render(node)}`",
                column,
            )

    def unify(self, a: Node, b: Node, column: int | None, what: str) -> ValueType:
        if a.type == b.type:
            return a.type
        if a.type.numeric and b.type.numeric:
            return ValueType.FLOAT
        raise _Error(
            RuleTypeError,
            f"{what} mixes {a.type} `{render(a)}` and {b.type} `{render(b)}`",
            column,
        )

    def arith(self, node: ast.BinOp) -> Node:
        col = _column(node)
        op = _ARITH[type(node.op)]
        left = self.expr(node.left)
        right = self.expr(node.right)
        self.numeric(left, col, f"'{op}'")
        self.numeric(right, col, f"'{op}'")
        if op == "**" and any(
            isinstance(n, Arith) and n.op == "**" for n in walk(left)
        ):
            raise _Error(
                RuleLimitError,
                "the base of a power may not itself contain a power "
                "(the size of the result would have no useful bound)",
                col,
            )
        if op == "**" and not (
            isinstance(right, Const)
            and right.type is ValueType.INT
            and 0 <= cast("int", right.value) <= self.limits.max_exponent
        ):
            raise _Error(
                RuleLimitError,
                "the exponent of '**' must be a whole-number literal from 0 to "
                f"{self.limits.max_exponent}",
                col,
            )
        if op == "/":
            kind = ValueType.FLOAT
        elif left.type is ValueType.INT and right.type is ValueType.INT:
            kind = ValueType.INT
        else:
            kind = ValueType.FLOAT
        if isinstance(right, Const) and right.value == 0 and op in {"/", "//", "%"}:
            raise _Error(RuleTypeError, "division by zero", col)
        return Arith(op, left, right, kind)

    def compare(self, node: ast.Compare) -> Node:
        col = _column(node)
        parts: list[Node] = []
        left_ast = node.left
        left = self.expr(left_ast)
        if len(node.ops) > 1 and any(
            isinstance(o, (ast.In, ast.NotIn)) for o in node.ops
        ):
            raise _Error(
                RuleSyntaxError,
                "'in' / 'not in' cannot be chained with other comparisons; "
                "join them with 'and'",
                col,
            )
        for op_node, right_ast in zip(node.ops, node.comparators, strict=True):
            if isinstance(op_node, (ast.In, ast.NotIn)):
                parts.append(
                    self.membership(
                        left, right_ast, negated=isinstance(op_node, ast.NotIn)
                    )
                )
                right = left  # unreachable in a chain: refused above
            else:
                right = self.expr(right_ast)
                parts.append(self.comparison(_COMPARE[type(op_node)], left, right, col))
            left = right
        return parts[0] if len(parts) == 1 else And(tuple(parts))

    def comparison(
        self, op: CompareOp, left: Node, right: Node, column: int | None
    ) -> Compare:
        for a, b in ((left, right), (right, left)):
            if isinstance(a, Field) and a.values is not None and isinstance(b, Const):
                if b.value not in a.values:
                    raise _Error(
                        RuleTypeError,
                        f"{b.value!r} is not a value of {a.name} "
                        f"(one of {', '.join(a.values)})",
                        column,
                    )
                if op not in {"==", "!="} and not a.ordered:
                    raise _Error(
                        RuleTypeError,
                        f"{a.name} has no order; compare it with == or 'in'",
                        column,
                    )
                return Compare(op, left, right)
            if (
                isinstance(a, Field)
                and a.values is not None
                and isinstance(b, Field)
                and (a.values != b.values)
            ):
                raise _Error(
                    RuleTypeError,
                    f"{a.name} and {b.name} have different values",
                    column,
                )
        if op in {"==", "!="}:
            if left.type == right.type or (left.type.numeric and right.type.numeric):
                return Compare(op, left, right)
        elif (left.type.numeric and right.type.numeric) or (
            isinstance(left, Field)
            and isinstance(right, Field)
            and left.ordered
            and right.ordered
        ):
            return Compare(op, left, right)
        elif left.type is ValueType.STR and right.type is ValueType.STR:
            raise _Error(
                RuleTypeError,
                f"'{op}' does not order text; use == or 'in'",
                column,
            )
        raise _Error(
            RuleTypeError,
            f"cannot compare {left.type} `{render(left)}` with {right.type} "
            f"`{render(right)}`",
            column,
        )

    def membership(self, operand: Node, values_ast: ast.expr, *, negated: bool) -> In:
        col = _column(values_ast)
        if not isinstance(values_ast, (ast.Tuple, ast.List, ast.Set)):
            raise _Error(
                RuleSyntaxError,
                "'in' needs a literal list such as ('a', 'b')",
                col,
            )
        if len(values_ast.elts) > self.limits.max_in_values:
            raise _Error(
                RuleLimitError,
                f"more than {self.limits.max_in_values} values after 'in'",
                col,
            )
        values: list[Scalar] = []
        for element in values_ast.elts:
            const = self.expr(element)
            if not isinstance(const, Const):
                raise _Error(
                    RuleSyntaxError,
                    "only literals may follow 'in'",
                    _column(element),
                )
            values.append(const.value)
        return self.make_in(operand, values, negated=negated, column=col)

    def make_in(
        self, operand: Node, values: list[Scalar], *, negated: bool, column: int | None
    ) -> In:
        for value in values:
            probe = self.const(value, column)
            if not (
                probe.type == operand.type
                or (probe.type.numeric and operand.type.numeric)
            ):
                raise _Error(
                    RuleTypeError,
                    f"{value!r} ({probe.type}) cannot equal {operand.type} "
                    f"`{render(operand)}`",
                    column,
                )
            if (
                isinstance(operand, Field)
                and operand.values is not None
                and value not in operand.values
            ):
                raise _Error(
                    RuleTypeError,
                    f"{value!r} is not a value of {operand.name} "
                    f"(one of {', '.join(operand.values)})",
                    column,
                )
        unique = tuple(dict.fromkeys(values))
        return In(operand, unique, negated=negated)

    def call(self, node: ast.Call) -> Node:  # noqa: C901, PLR0912  # one case per function
        col = _column(node)
        if not isinstance(node.func, ast.Name) or node.func.id not in _FUNCTIONS:
            name = node.func.id if isinstance(node.func, ast.Name) else "this"
            raise _Error(
                RuleSyntaxError,
                f"function {name!r} not allowed; allowed: {', '.join(_FUNCTIONS)}",
                col,
            )
        if node.keywords:
            raise _Error(RuleSyntaxError, "keyword arguments not allowed", col)
        name = node.func.id
        if name == "is_missing":
            if len(node.args) != 1 or not isinstance(node.args[0], ast.Name):
                raise _Error(RuleSyntaxError, "is_missing takes one field name", col)
            field = self.field(node.args[0].id, _column(node.args[0]))
            if not field.optional:
                raise _Error(
                    RuleTypeError,
                    f"{field.name} is never missing (it is not optional)",
                    col,
                )
            return IsMissing(field)
        args = tuple(self.expr(a) for a in node.args)
        for arg in args:
            self.numeric(arg, col, f"{name}()")
        if name == "between":
            if len(args) != 3:  # noqa: PLR2004  # between(x, low, high)
                raise _Error(
                    RuleSyntaxError, "between(x, low, high) takes 3 values", col
                )
            x, low, high = args
            return And((Compare("<=", low, x), Compare("<=", x, high)))
        if name == "abs":
            if len(args) != 1:
                raise _Error(RuleSyntaxError, "abs() takes one value", col)
            return Call("abs", args, args[0].type)
        if name == "round":
            if len(args) != 1:
                raise _Error(
                    RuleSyntaxError, "round() takes one value and rounds to an int", col
                )
            return Call("round", args, ValueType.INT)
        if len(args) < 2:  # noqa: PLR2004  # min and max need two or more
            raise _Error(RuleSyntaxError, f"{name}() takes two or more values", col)
        kind = (
            ValueType.INT
            if all(a.type is ValueType.INT for a in args)
            else ValueType.FLOAT
        )
        return Call(cast("FuncName", name), args, kind)

    # -- the structured form
    def structured(self, raw: object, depth: int) -> Node:  # one case per key
        if depth > self.limits.max_depth:
            raise _Error(
                RuleLimitError, f"conditions nested deeper than {self.limits.max_depth}"
            )
        if isinstance(raw, str):
            return self.condition(_parse_text(raw, self.limits))
        if isinstance(raw, bool):
            return Const(raw, ValueType.BOOL)
        if not isinstance(raw, Mapping):
            raise _Error(
                RuleSyntaxError,
                "a condition is an expression, or a mapping with all/any/not or "
                "field/op/value",
            )
        keys = set(raw)
        if keys in ({"all"}, {"any"}):
            key = "all" if "all" in keys else "any"
            items = raw[key]
            if not isinstance(items, list) or not items:
                raise _Error(RuleSyntaxError, f"'{key}' needs a non-empty list")
            nodes = tuple(
                _at(partial(self.structured, item, depth + 1), key, index)
                for index, item in enumerate(items)
            )
            return And(nodes) if key == "all" else Or(nodes)
        if keys == {"not"}:
            return Not(_at(lambda: self.structured(raw["not"], depth + 1), "not"))
        if "field" in keys and "op" in keys and keys <= {"field", "op", "value"}:
            return self.structured_atom(raw)
        raise _Error(
            RuleSyntaxError,
            f"unknown condition keys {sorted(map(str, keys))}: use all, any, not, or "
            "field/op/value",
        )

    def structured_atom(self, raw: Mapping[str, object]) -> Node:  # noqa: C901  # one case per op
        name, op, value = raw["field"], raw["op"], raw.get("value")
        if not isinstance(name, str):
            raise _Error(RuleSyntaxError, "'field' must be a field name")
        if op not in _STRUCTURED_OPS:
            raise _Error(
                RuleSyntaxError,
                f"unknown op {op!r}; use one of {', '.join(_STRUCTURED_OPS)}",
            )
        field = self.field(name, None)
        if op == "is_missing":
            if "value" in raw:
                raise _Error(RuleSyntaxError, "is_missing takes no value")
            if not field.optional:
                raise _Error(
                    RuleTypeError, f"{name} is never missing (it is not optional)"
                )
            return IsMissing(field)
        if "value" not in raw:
            raise _Error(RuleSyntaxError, f"op {op!r} needs a 'value'")
        if op in {"in", "not_in"}:
            if not isinstance(value, list):
                raise _Error(RuleSyntaxError, f"'{op}' needs a list value")
            if len(value) > self.limits.max_in_values:
                raise _Error(
                    RuleLimitError, f"more than {self.limits.max_in_values} values"
                )
            scalars = [self.const(v, None).value for v in value]
            return self.make_in(field, scalars, negated=op == "not_in", column=None)
        if isinstance(value, Mapping) and set(value) == {"field"}:
            other_name = value["field"]
            if not isinstance(other_name, str):
                raise _Error(RuleSyntaxError, "'field' must be a field name")
            right: Node = self.field(other_name, None)
        else:
            right = self.const(value, None)
        return self.comparison(cast("CompareOp", op), field, right, None)


def _at(build: Callable[[], Node], *path: str | int) -> Node:
    try:
        return build()
    except _Error as exc:
        exc.path = (*path, *getattr(exc, "path", ()))  # type: ignore[attr-defined]  # carried up
        raise


# ------------------------------------------------------------------ guards
def _guard_errors(node: Node) -> list[str]:  # noqa: C901  # one case per node kind
    """Optional fields read outside an ``is_missing`` guard."""
    problems: list[str] = []
    stack: list[tuple[Node, frozenset[str]]] = [(node, frozenset())]
    while stack:
        current, present = stack.pop()
        if isinstance(current, Field):
            if current.optional and current.name not in present:
                problems.append(
                    f"optional field {current.name!r} may be missing: guard it, e.g. "
                    f"'not is_missing({current.name}) and ...'"
                )
            continue
        if isinstance(current, IsMissing):
            continue
        if isinstance(current, (And, Or)):
            known = present
            for item in current.items:
                stack.append((item, known))
                if (
                    isinstance(current, And)
                    and isinstance(item, Not)
                    and isinstance(item.item, IsMissing)
                ):
                    known = known | {item.item.field.name}
                if isinstance(current, Or) and isinstance(item, IsMissing):
                    known = known | {item.field.name}
            continue
        if isinstance(current, IfElse):
            stack.append((current.test, present))
            then_known, else_known = present, present
            if isinstance(current.test, Not) and isinstance(
                current.test.item, IsMissing
            ):
                then_known = present | {current.test.item.field.name}
            if isinstance(current.test, IsMissing):
                else_known = present | {current.test.field.name}
            stack.append((current.then, then_known))
            stack.append((current.orelse, else_known))
            continue
        stack.extend((child, present) for child in children(current))
    return sorted(set(problems))


def _check_size(node: Node, limits: RuleLimits) -> None:
    for count, _ in enumerate(walk(node), start=1):
        if count > limits.max_nodes:
            raise _Error(
                RuleLimitError, f"condition has more than {limits.max_nodes} nodes"
            )
    guards = _guard_errors(node)
    if guards:
        raise _Error(RuleTypeError, "; ".join(guards))


def parse_condition(
    source: object, schema: Schema, *, limits: RuleLimits = DEFAULT_RULE_LIMITS
) -> Node:
    """Parse, check and type a condition against ``schema``.

    Args:
        source: expression text, or the structured form (``all``/``any``/``not``/
            ``{field, op, value}``), or a boolean.
        schema: the fields the condition may read.
        limits: size and depth bounds.

    Raises:
        RuleDefinitionError: a `RuleSyntaxError`, `RuleTypeError` or `RuleLimitError`
            with the column inside the expression and the path inside the
            structured form.

    Examples:
        >>> from countypolicing.rules._schema import builtin_schema
        >>> node = parse_condition(
        ...     "likelihood * severity >= 20", builtin_schema("risk_point")
        ... )
        >>> render(node)
        'likelihood * severity >= 20'
        >>> parse_condition("severity.__class__", builtin_schema("risk_point"))
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.RuleSyntaxError: attribute access not allowed (expression column 1)
    """
    converter = _Converter(schema, limits)
    try:
        node = converter.structured(source, 0)
        _check_size(node, limits)
    except _Error as exc:
        raise exc.kind(
            exc.message, column=exc.column, path=getattr(exc, "path", ())
        ) from None
    return node
