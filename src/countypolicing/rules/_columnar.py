"""Columnar classification: the condition tree evaluated over numpy arrays.

Two evaluators share one meaning with `Classifier.classify`:

- the fast one combines whole columns with ``&``, ``|`` and ``np.select``-style
  indexing; it runs when every column read is clean (no NaN, infinity, ``None``
  outside optional fields, wrong types or values outside an enum, and no divisor
  that can be zero);
- the exact one carries, for every node, the mask of rows that would evaluate it
  under short-circuit rules. A row fails only where the per-record path would fail,
  with the same error, and the first failing row (in row order) is reported.

Optional values are missing where a float column holds NaN or an object column
``None``; they can only be read under an ``is_missing`` guard.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Final

import numpy as np

from countypolicing.exceptions import HitPolicyError, NoMatchError, RuleEvaluationError
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
    walk,
)
from countypolicing.rules._ruleset import Aggregate, HitPolicy

if TYPE_CHECKING:
    from countypolicing.rules._classifier import Classifier

__all__ = ["classify_columns"]

Array = Any  # numpy arrays; numpy's own annotations are too loose to help here

_INT_LIMIT: Final = float(2**62)

_CMP: Final[Mapping[str, Callable[[Array, Array], Array]]] = {
    "==": np.equal,
    "!=": np.not_equal,
    "<": np.less,
    "<=": np.less_equal,
    ">": np.greater,
    ">=": np.greater_equal,
}


class _RowError(Exception):
    """A value that fails on some rows; ``rows`` is a boolean mask."""

    def __init__(self, rows: Array, message: str, field: str | None = None) -> None:
        super().__init__(message)
        self.rows = rows
        self.message = message
        self.field = field


def _columns_of(columns: object, names: tuple[str, ...]) -> dict[str, Array]:
    """The needed columns as numpy arrays, from a mapping or a DataFrame."""
    get: Callable[[str], object]
    if isinstance(columns, Mapping):
        get = columns.__getitem__
        available = set(columns)
    elif hasattr(columns, "columns") and hasattr(columns, "__getitem__"):
        frame: Any = columns
        available = {str(c) for c in frame.columns}

        def get(name: str) -> object:
            return frame[name].to_numpy()

    else:
        msg = "columns must be a mapping of arrays or a pandas DataFrame"
        raise TypeError(msg)
    out: dict[str, Array] = {}
    length: int | None = None
    for name in names:
        if name not in available:
            raise RuleEvaluationError("the columns have no such field", field=name)
        array = np.asarray(get(name))
        if array.ndim != 1:
            raise RuleEvaluationError(
                f"expected a 1-dimensional column, got shape {array.shape}", field=name
            )
        if length is not None and len(array) != length:
            raise RuleEvaluationError(
                f"column has {len(array)} rows, others have {length}", field=name
            )
        length = len(array)
        out[name] = array
    return out


def _is_gap(value: object) -> bool:
    """None, NaN or pandas' NA: how a missing text value arrives in a column."""
    if value is None:
        return True
    if isinstance(value, float):
        return math.isnan(value)
    return type(value).__name__ == "NAType"


def _is_number(value: object, kind: ValueType) -> bool:
    """Whether ``value`` may fill a number field of type ``kind`` (never a bool)."""
    if isinstance(value, (bool, np.bool_)):
        return False
    if isinstance(value, (int, np.integer)):
        return True
    return kind is ValueType.FLOAT and isinstance(value, (float, np.floating))


def _prepare(field: Field, raw: Array) -> tuple[Array, Array, Array]:  # noqa: C901, PLR0911, PLR0912  # one case per column type
    """(values, missing mask, invalid mask) for one column."""
    n = len(raw)
    missing = np.zeros(n, dtype=bool)
    invalid = np.zeros(n, dtype=bool)
    kind = raw.dtype.kind
    if field.type in {ValueType.INT, ValueType.FLOAT}:
        if kind == "O":
            none = np.array([v is None for v in raw], dtype=bool)
            numeric = np.array(
                [
                    (type(v) is int)
                    or (type(v) is float and field.type is ValueType.FLOAT)
                    for v in raw
                ],
                dtype=bool,
            )
            values = np.array(
                [
                    float(v) if ok else np.nan
                    for v, ok in zip(raw, numeric, strict=True)
                ],
                dtype=float,
            )
            invalid |= ~numeric & ~none
            nan = ~np.isfinite(values) & numeric
            missing |= none
        elif kind in "iu":
            values, nan = raw, np.zeros(n, dtype=bool)
        elif kind == "f":
            values = raw
            nan = ~np.isfinite(raw)
            if field.type is ValueType.INT:
                finite = np.where(nan, 0.0, raw)
                invalid |= ~nan & (finite != np.floor(finite))
        else:  # bool, text, dates: not numbers (placeholder values, all invalid)
            return np.zeros(n), missing, np.ones(n, dtype=bool)
        if field.optional:
            missing |= np.isnan(values) if values.dtype.kind == "f" else nan
            invalid |= nan & ~missing
        else:
            invalid |= nan | missing
        if (
            field.type is ValueType.INT
            and values.dtype.kind == "f"
            and not invalid.any()
            and not missing.any()
        ):
            values = values.astype(np.int64)
        return values, missing, invalid
    if field.type is ValueType.BOOL:
        if kind == "b":
            return raw, missing, invalid
        if kind != "O":
            return np.zeros(n, dtype=bool), missing, np.ones(n, dtype=bool)
        none = np.array([v is None for v in raw], dtype=bool)
        ok = np.array([v is True or v is False for v in raw], dtype=bool)
        values = np.array([v is True for v in raw], dtype=bool)
        missing |= none if field.optional else np.zeros(n, dtype=bool)
        invalid |= ~ok & ~missing
        return values, missing, invalid
    # text and enums
    if kind == "U":
        if field.values is not None:
            invalid |= ~np.isin(raw, np.array(field.values))
        return raw, missing, invalid
    if kind != "O":
        return np.full(n, "", dtype=object), missing, np.ones(n, dtype=bool)
    # pandas marks a missing text value with NaN (or pd.NA), not None.
    none = np.array([_is_gap(v) for v in raw], dtype=bool)
    if field.values is not None:
        ok = np.isin(raw, np.array(field.values, dtype=object))
    else:
        ok = np.array([type(v) is str for v in raw], dtype=bool)
    if field.optional:
        missing |= none
    invalid |= ~ok & ~missing
    return raw, missing, invalid


class _Evaluator:
    """Evaluates IR nodes over prepared columns, exactly or fast."""

    def __init__(
        self, columns: dict[str, tuple[Array, Array, Array]], n: int, *, exact: bool
    ) -> None:
        self.columns = columns
        self.n = n
        self.exact = exact
        self.errors: list[tuple[Array, str, str | None, int]] = []
        self.failed = np.zeros(n, dtype=bool)
        self.rule_index = -1

    def fail(self, rows: Array, message: str, field: str | None = None) -> None:
        rows = rows & ~self.failed
        if rows.any():
            self.errors.append((rows, message, field, self.rule_index))
            self.failed |= rows

    def boolean(self, node: Node, live: Array) -> Array:
        """A boolean array; rows outside ``live`` hold unspecified values."""
        if isinstance(node, And):
            result = None
            current = live
            for item in node.items:
                value = self.boolean(item, current)
                result = value if result is None else result & value
                if self.exact:
                    current = current & value
            return result
        if isinstance(node, Or):
            result = None
            current = live
            for item in node.items:
                value = self.boolean(item, current)
                result = value if result is None else result | value
                if self.exact:
                    current = current & ~value
            return result
        if isinstance(node, Not):
            return ~self.boolean(node.item, live)
        value = self.value(node, live)
        if (
            isinstance(value, np.ndarray)
            and value.dtype == bool
            and value.shape == (self.n,)
        ):
            return value
        return np.broadcast_to(np.asarray(value, dtype=bool), (self.n,)).copy()

    def value(self, node: Node, live: Array) -> Array:  # noqa: C901, PLR0911, PLR0912  # one case per node kind
        if isinstance(node, Const):
            return node.value
        if isinstance(node, Field):
            values, missing, invalid = self.columns[node.name]
            if self.exact:
                self.fail(live & invalid, "not a usable value", node.name)
                self.fail(
                    live & missing & ~invalid,
                    "a missing value read without an is_missing guard",
                    node.name,
                )
            return values
        if isinstance(node, IsMissing):
            values, missing, invalid = self.columns[node.field.name]
            if self.exact:
                self.fail(live & invalid, "not a usable value", node.field.name)
            return missing
        if isinstance(node, (And, Or, Not)):
            return self.boolean(node, live)
        if isinstance(node, Compare):
            left = self.value(node.left, live)
            right = self.value(node.right, live)
            left, right = self.ranked(node, left, right)
            with np.errstate(all="ignore"):
                return _CMP[node.op](left, right)
        if isinstance(node, In):
            operand = np.asarray(self.value(node.operand, live))
            wanted = np.array(
                node.values, dtype=object if operand.dtype.kind == "O" else None
            )
            inside = np.isin(operand, wanted)
            return ~inside if node.negated else inside
        if isinstance(node, Arith):
            return self.arith(node, live)
        if isinstance(node, Neg):
            return -np.asarray(self.value(node.operand, live))
        if isinstance(node, Call):
            args = [self.value(a, live) for a in node.args]
            with np.errstate(all="ignore"):
                if node.name == "abs":
                    return np.abs(args[0])
                if node.name == "round":
                    rounded = np.rint(np.asarray(args[0], dtype=float))
                    too_big = np.broadcast_to(
                        ~(np.abs(rounded) < _INT_LIMIT), (self.n,)
                    )
                    if too_big.any():
                        if not self.exact:
                            raise _Unsafe
                        self.fail(
                            live & too_big, "integer too large for column evaluation"
                        )
                        rounded = np.where(too_big, 0.0, rounded)
                    return rounded.astype(np.int64)
                combine = np.minimum if node.name == "min" else np.maximum
                out = args[0]
                for arg in args[1:]:
                    out = combine(out, arg)
                return out
        assert isinstance(node, IfElse)  # noqa: S101  # the last kind of node
        test = self.boolean(node.test, live)
        then = self.value(node.then, live & test if self.exact else live)
        orelse = self.value(node.orelse, live & ~test if self.exact else live)
        return np.where(test, then, orelse)

    def ranked(self, node: Compare, left: Array, right: Array) -> tuple[Array, Array]:
        if node.op in {"==", "!="}:
            return left, right
        for side in (node.left, node.right):
            if isinstance(side, Field) and side.ordered and side.values is not None:
                ranks = {v: i for i, v in enumerate(side.values)}
                return _rank(left, ranks), _rank(right, ranks)
        return left, right

    def arith(self, node: Arith, live: Array) -> Array:
        left = self.value(node.left, live)
        right = self.value(node.right, live)
        with np.errstate(all="ignore"):
            if node.op in {"/", "//", "%"}:
                zero = np.broadcast_to(np.asarray(right) == 0, (self.n,))
                if self.exact:
                    self.fail(live & zero, "division by zero")
                safe = np.where(zero, 1, right)
                if node.op == "/":
                    return np.true_divide(left, safe)
                func = np.floor_divide if node.op == "//" else np.mod
                return func(left, safe)
            if node.op == "**":
                result = np.power(left, right)
            else:
                result = {"+": np.add, "-": np.subtract, "*": np.multiply}[node.op](
                    left, right
                )
            as_float_left = np.asarray(left, dtype=float)
            as_float_right = np.asarray(right, dtype=float)
            if node.op == "**":
                check = np.abs(np.power(as_float_left, as_float_right))
            elif node.op == "*":
                check = np.abs(as_float_left * as_float_right)
            else:
                check = np.abs(as_float_left) + np.abs(as_float_right)
        if node.type is ValueType.INT or node.op == "**":
            # Beyond what int64 holds exactly (or a float power overflowing to
            # infinity): the per-record path would not wrap, so neither may this.
            too_big = np.broadcast_to(
                (check >= _INT_LIMIT)
                if node.type is ValueType.INT
                else ~np.isfinite(check),
                (self.n,),
            )
            if too_big.any():
                if self.exact:
                    self.fail(live & too_big, "integer too large for column evaluation")
                else:
                    raise _Unsafe
        return result


def _rank(x: Array, ranks: Mapping[str, int]) -> Array:
    if isinstance(x, str):
        return ranks[x]
    return np.array([ranks.get(v, -1) for v in x], dtype=np.int64)


class _Unsafe(Exception):  # noqa: N818  # internal signal: use the exact evaluator
    pass


def _row_outputs(clf: Classifier) -> tuple[list[object], object | None]:
    """Each rule's output, and the default output (``None`` when there is none)."""
    rs = clf.ruleset
    outputs = [d.output for d in clf._decisions]  # noqa: SLF001  # same package
    if rs.output is not None and rs.default is not None:
        return outputs, rs.output.value(rs.default)
    return outputs, None


def classify_columns(clf: Classifier, columns: object) -> Array:  # noqa: C901, PLR0912, PLR0915  # one pass per hit policy
    """Classify every row of ``columns``; see `Classifier.classify_columns`."""
    rs = clf.ruleset
    names = clf.fields
    raw = _columns_of(columns, names)
    n = len(next(iter(raw.values()))) if raw else _length(columns)
    fields = {f.name: f for r in rs.rules for f in walk(r.when) if isinstance(f, Field)}
    prepared = {name: _prepare(fields[name], raw[name]) for name in names}
    dirty = any(invalid.any() for _, _, invalid in prepared.values()) or any(
        missing.any() and not fields[name].optional
        for name, (_, missing, _) in prepared.items()
    )
    divides = any(
        isinstance(node, Arith) and node.op in {"/", "//", "%"}
        for r in rs.rules
        for node in walk(r.when)
    )
    exact = dirty or divides
    try:
        matches = _evaluate(
            rs.rules, prepared, n, exact=exact, first=rs.hit_policy is HitPolicy.FIRST
        )
    except _Unsafe:
        matches = _evaluate(
            rs.rules, prepared, n, exact=True, first=rs.hit_policy is HitPolicy.FIRST
        )
    outputs, default = _row_outputs(clf)
    policy = rs.hit_policy
    rules = rs.rules
    if policy is HitPolicy.FIRST:
        index = matches
        result = np.empty(n, dtype=object)
        hit = index >= 0
        lookup = np.array([*outputs, None], dtype=object)
        result[:] = lookup[np.where(hit, index, len(outputs))]
        if not hit.all():
            if default is None:
                row = int(np.argmin(hit))
                msg = "no rule matched and the ruleset has no default"
                raise NoMatchError(msg, record_index=row)
            result[~hit] = default
        return result
    matrix = matches  # rows x rules, boolean
    counts = matrix.sum(axis=1)
    result = np.empty(n, dtype=object)
    if policy in {HitPolicy.UNIQUE, HitPolicy.PRIORITY, HitPolicy.ANY}:
        if policy is HitPolicy.UNIQUE and (counts > 1).any():
            row = int(np.argmax(counts > 1))
            ids = ", ".join(rules[i].id for i in np.flatnonzero(matrix[row]))
            msg = f"rules {ids} all match, but the hit policy is unique"
            raise HitPolicyError(msg, record_index=row)
        if policy is HitPolicy.ANY:
            for many in np.flatnonzero(counts > 1):
                row = int(many)
                chosen = {rules[i].then for i in np.flatnonzero(matrix[row])}
                if len(chosen) > 1:
                    ids = ", ".join(rules[i].id for i in np.flatnonzero(matrix[row]))
                    msg = (
                        f"rules {ids} match with different outputs "
                        f"({', '.join(sorted(map(str, chosen)))}), but the hit policy is any"
                    )
                    raise HitPolicyError(msg, record_index=row)
        if not rules:  # nothing can match: every row takes the default
            winner = np.zeros(n, dtype=np.intp)
        elif policy is HitPolicy.PRIORITY:
            assert rs.output is not None  # noqa: S101  # validated
            order = np.array([rs.output.priority(str(r.then)) for r in rules])
            keyed = np.where(
                matrix,
                order[None, :] * len(rules) + np.arange(len(rules))[None, :],
                np.iinfo(np.int64).max,
            )
            winner = np.argmin(keyed, axis=1)
        else:
            winner = np.argmax(matrix, axis=1)
        hit = counts > 0
        lookup = np.array(outputs, dtype=object)
        result[hit] = lookup[winner[hit]]
        if not hit.all():
            if default is None:
                row = int(np.argmin(hit))
                msg = "no rule matched and the ruleset has no default"
                raise NoMatchError(msg, record_index=row)
            result[~hit] = default
        return result
    # collect: per row, through the same finisher as records (same numbers)
    for row in range(n):
        matched = [int(i) for i in np.flatnonzero(matrix[row])]
        try:
            result[row] = _collect(clf, matched)
        except RuleEvaluationError as exc:
            raise type(exc)(
                exc.message, rule_id=exc.rule_id, field=exc.field, record_index=row
            ) from exc
    return result


def _collect(clf: Classifier, matched: list[int]) -> object:  # noqa: PLR0911  # one result per aggregate
    rs = clf.ruleset
    rules = rs.rules
    aggregate = rs.aggregate
    output = rs.output
    if aggregate is Aggregate.LIST:
        assert output is not None  # noqa: S101  # validated
        return tuple(output.value(str(rules[i].then)) for i in matched)
    if aggregate is Aggregate.COUNT:
        return len(matched)
    scores = [s for s in (rules[i].score for i in matched) if s is not None]
    if aggregate is Aggregate.SUM:
        total = math.fsum(scores)
        score: float | int = (
            int(total) if all(isinstance(s, int) for s in scores) else total
        )
        if rs.thresholds:
            assert output is not None  # noqa: S101  # validated
            for band in rs.thresholds:
                if score >= band.at_least:
                    return output.value(band.then)
            if rs.default is None:
                msg = "no rule matched and the ruleset has no default"
                raise NoMatchError(msg)
            return output.value(rs.default)
        return score
    if not scores:
        if output is None or rs.default is None:
            msg = "no rule matched and the ruleset has no default"
            raise NoMatchError(msg)
        return output.value(rs.default)
    return min(scores) if aggregate is Aggregate.MIN else max(scores)


def _length(columns: object) -> int:
    """The number of rows when the rules read no column at all."""
    if isinstance(columns, Mapping):
        first = next(iter(columns.values()), None)
        return 0 if first is None else len(np.asarray(first))
    try:
        return len(columns)  # type: ignore[arg-type]  # a DataFrame: its rows
    except TypeError:
        return 0


def _evaluate(
    rules: tuple[Any, ...],
    prepared: dict[str, tuple[Array, Array, Array]],
    n: int,
    *,
    exact: bool,
    first: bool,
) -> Array:
    ev = _Evaluator(prepared, n, exact=exact)
    if first:
        index = np.full(n, -1, dtype=np.int64)
        undecided = np.ones(n, dtype=bool)
        for i, rule in enumerate(rules):
            ev.rule_index = i
            live = undecided & ~ev.failed if exact else undecided
            hit = ev.boolean(rule.when, live) & live
            index[hit] = i
            undecided &= ~hit
            if not exact and not undecided.any():
                break
        _raise_first(ev, rules)
        return index
    matrix = np.zeros((n, len(rules)), dtype=bool)
    for i, rule in enumerate(rules):
        ev.rule_index = i
        live = ~ev.failed if exact else np.ones(n, dtype=bool)
        matrix[:, i] = ev.boolean(rule.when, live) & live
    _raise_first(ev, rules)
    return matrix


def _raise_first(ev: _Evaluator, rules: tuple[Any, ...]) -> None:
    if not ev.errors:
        return
    best: tuple[int, str, str | None, int] | None = None
    for rows, message, field, rule_index in ev.errors:
        row = int(np.argmax(rows))
        if best is None or row < best[0]:
            best = (row, message, field, rule_index)
    assert best is not None  # noqa: S101  # errors is non-empty
    row, message, field, rule_index = best
    rule_id = rules[rule_index].id if rule_index >= 0 else None
    raise RuleEvaluationError(message, rule_id=rule_id, field=field, record_index=row)
