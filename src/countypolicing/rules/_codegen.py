"""Python source generated from the validated condition tree.

Only our own identifiers appear in the generated code: field names and string
literals enter as ``repr()`` constants, never as names, and nothing a user wrote is
ever executed. The code is compiled with empty builtins.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Final

from countypolicing.rules._ir import (
    And,
    Arith,
    Call,
    Compare,
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
    atoms,
)

__all__ = ["ExprWriter", "field_check"]

_PY_OPS: Final = {
    "//": "//",
    "%": "%",
    "**": "**",
    "+": "+",
    "-": "-",
    "*": "*",
    "/": "/",
}


def field_check(var: str, field: Field, const_name: str, *, strict: bool) -> str:
    """A Python expression that is true when ``var`` does *not* hold a usable value.

    Ints must be ``int`` (not ``bool``, not a float). Floats must be finite numbers:
    where a float is compared with ``==``/``in`` the check is exact, elsewhere a
    cheaper one catches NaN, infinity and ``bool`` and lets ``None`` or text fail
    loudly at first use (Python refuses to order them). Bools must be
    ``True``/``False`` and enum values members of their set. Optional fields may
    also be ``None``. Values these checks refuse go to a slow path that accepts
    numpy scalars of the right kind (converting them) and rejects everything else.
    """
    if field.type is ValueType.INT:
        bad = f"{var}.__class__ is not int"
    elif field.type is ValueType.FLOAT:
        bad = (
            f"not (({var}.__class__ is float and {var} - {var} == 0.0) "
            f"or {var}.__class__ is int)"
            if strict
            else f"{var}.__class__ is bool or {var} - {var} != 0"
        )
    elif field.type is ValueType.BOOL:
        bad = f"{var} is not True and {var} is not False"
    elif field.values is not None:
        bad = f"{var} not in {const_name}"
    else:
        bad = f"{var}.__class__ is not str"
    if field.optional:
        return f"({var} is not None and ({bad}))"
    return f"({bad})" if " or " in bad or " and " in bad else bad


class ExprWriter:
    """Writes Python expressions for IR nodes over hoisted field variables.

    ``variables`` maps field names to local variable names. When ``trace`` is set,
    every atom's value is captured with an assignment expression into ``_a<i>``,
    so an explanation costs a few stores, not a second evaluation.
    """

    def __init__(
        self,
        variables: Mapping[str, str],
        constants: dict[str, object],
        *,
        trace: bool = False,
    ) -> None:
        self.variables = variables
        self.constants = constants
        self.trace = trace
        self.atom_index: dict[int, int] = {}
        self.atom_count = 0

    def constant(self, value: object) -> str:
        """A module-level name bound to ``value``."""
        for name, existing in self.constants.items():
            if existing == value and type(existing) is type(value):
                return name
        name = f"_k{len(self.constants)}"
        self.constants[name] = value
        return name

    def register_atoms(self, condition: Node) -> list[int]:
        """Give each atom of ``condition`` a trace slot; returns the slots."""
        slots = []
        for atom in atoms(condition):
            self.atom_index[id(atom)] = self.atom_count
            slots.append(self.atom_count)
            self.atom_count += 1
        return slots

    def condition(self, node: Node) -> str:
        """Python source for a boolean node."""
        if isinstance(node, And):
            text = "(" + " and ".join(self.condition(i) for i in node.items) + ")"
        elif isinstance(node, Or):
            text = "(" + " or ".join(self.condition(i) for i in node.items) + ")"
        elif isinstance(node, Not):
            text = f"(not {self.condition(node.item)})"
        else:
            text = self.value(node)
        if self.trace and id(node) in self.atom_index:
            return f"(_a{self.atom_index[id(node)]} := {text})"
        return text

    def value(self, node: Node) -> str:  # noqa: C901, PLR0911  # one case per node kind
        """Python source for any node."""
        if isinstance(node, Const):
            if isinstance(node.value, str):
                return self.constant(node.value)
            # brackets keep a negative base of a power negative: (-2) ** 2 == 4
            return f"({node.value!r})" if node.value < 0 else repr(node.value)
        if isinstance(node, Field):
            return self.variables[node.name]
        if isinstance(node, Arith):
            return (
                f"({self.value(node.left)} {_PY_OPS[node.op]} {self.value(node.right)})"
            )
        if isinstance(node, Neg):
            return f"(-{self.value(node.operand)})"
        if isinstance(node, Call):
            args = ", ".join(self.value(a) for a in node.args)
            return f"_{node.name}({args})"
        if isinstance(node, IfElse):
            return (
                f"({self.value(node.then)} if {self.condition(node.test)} "
                f"else {self.value(node.orelse)})"
            )
        if isinstance(node, Compare):
            left, right = self.ordered_operands(node)
            return f"({left} {node.op} {right})"
        if isinstance(node, In):
            values = self.constant(frozenset(node.values))
            keyword = "not in" if node.negated else "in"
            return f"({self.value(node.operand)} {keyword} {values})"
        if isinstance(node, IsMissing):
            return f"({self.variables[node.field.name]} is None)"
        return self.condition(node)

    def ordered_operands(self, node: Compare) -> tuple[str, str]:
        """Operands of a comparison; ordered enums compare by their position."""
        if node.op in {"==", "!="}:
            return self.value(node.left), self.value(node.right)
        ranks = None
        for side in (node.left, node.right):
            if isinstance(side, Field) and side.ordered and side.values is not None:
                ranks = {v: i for i, v in enumerate(side.values)}
        if ranks is None:
            return self.value(node.left), self.value(node.right)
        table = self.constant(ranks)
        return tuple(  # type: ignore[return-value]  # always two
            str(ranks[side.value])
            if isinstance(side, Const) and isinstance(side.value, str)
            else f"{table}[{self.value(side)}]"
            for side in (node.left, node.right)
        )


def indent(lines: Sequence[str], depth: int) -> list[str]:
    """Indent generated lines by ``depth`` levels."""
    pad = "    " * depth
    return [pad + line for line in lines]
