"""JsonLogic interchange: export, import, round trips and what import refuses."""

from __future__ import annotations

import itertools
import json
from collections.abc import Mapping

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countypolicing.datasets import default_ruleset
from countypolicing.exceptions import (
    RuleDefinitionError,
    RuleLimitError,
    RuleSyntaxError,
    RuleTypeError,
)
from countypolicing.rules import (
    Rule,
    RuleSet,
    compile_ruleset,
    from_jsonlogic,
    parse_condition,
    ruleset_from_data,
    to_jsonlogic,
)
from countypolicing.rules._ir import And, In, Node, Not, Or

BASE = ruleset_from_data(
    {
        "ruleset": "jl",
        "version": "1",
        "fields": {
            "a": "int",
            "b": "int",
            "x": "float",
            "kind": {"enum": ["p", "q", "r"]},
            "level": {"enum": ["low", "mid", "top"], "ordered": True},
            "other": {"enum": ["low", "mid", "top"], "ordered": True},
            "flag": "bool",
            "opt": {"type": "int", "optional": True},
            "name": "str",
        },
        "output": {"name": "m", "values": ["yes", "no"]},
        "default": "no",
        "rules": [{"id": "R", "when": "a > 0", "then": "yes"}],
    }
)
SCHEMA = BASE.schema


def through_json(node: Node) -> Node:
    data = json.loads(json.dumps(to_jsonlogic(node)))
    return from_jsonlogic(data, SCHEMA)


def canonical(node: Node) -> Node:
    """``not (x in ...)`` and ``x not in ...`` mean the same; import gives the latter."""
    if isinstance(node, Not):
        if isinstance(node.item, In) and not node.item.negated:
            return attrs.evolve(node.item, negated=True)
        return Not(canonical(node.item))
    if isinstance(node, And):
        return And(tuple(canonical(i) for i in node.items))
    if isinstance(node, Or):
        return Or(tuple(canonical(i) for i in node.items))
    return node


def decide(node: Node, record: Mapping[str, object]) -> object:
    rs = attrs.evolve(BASE, rules=(Rule("R", node, then="yes"),))
    return compile_ruleset(rs).classify(record).output


RECORDS = [
    {
        "a": a,
        "b": b,
        "x": x,
        "kind": k,
        "level": lv,
        "other": ot,
        "flag": f,
        "opt": o,
        "name": "n",
    }
    for a, b, x, k, lv, ot, f, o in itertools.product(
        (-2, 0, 3),
        (1, 4),
        (-0.5, 2.5),
        "pr",
        ("low", "top"),
        ("mid",),
        (False, True),
        (None, 3),
    )
]


# ------------------------------------------------------------------ export
def test_export_writes_the_operators_web_query_builders_use() -> None:
    node = parse_condition(
        "a >= 8 and (kind in ('p', 'q') or not flag) and x * 2 + b > 60", SCHEMA
    )
    assert to_jsonlogic(node) == {
        "and": [
            {">=": [{"var": "a"}, 8]},
            {
                "or": [
                    {"in": [{"var": "kind"}, ["p", "q"]]},
                    {"!": [{"var": "flag"}]},
                ]
            },
            {">": [{"+": [{"*": [{"var": "x"}, 2]}, {"var": "b"}]}, 60]},
        ]
    }


def test_missing_values_export_as_a_null_test() -> None:
    node = parse_condition("is_missing(opt) or opt > 3", SCHEMA)
    assert to_jsonlogic(node) == {
        "or": [{"==": [{"var": "opt"}, None]}, {">": [{"var": "opt"}, 3]}]
    }
    assert through_json(node) == node


def test_ordered_enums_export_as_lists_because_jsonlogic_orders_text_alphabetically() -> (
    None
):
    node = parse_condition("level >= 'mid'", SCHEMA)
    assert to_jsonlogic(node) == {"in": [{"var": "level"}, ["mid", "top"]]}
    both = parse_condition("level < other", SCHEMA)
    back = through_json(both)
    for record in RECORDS:
        assert decide(back, record) == decide(both, record)


def test_functions_without_a_jsonlogic_operator_use_named_extensions() -> None:
    node = parse_condition("abs(a // 2) + round(x) ** 2 > 3", SCHEMA)
    assert to_jsonlogic(node) == {
        ">": [
            {
                "+": [
                    {"abs": [{"//": [{"var": "a"}, 2]}]},
                    {"**": [{"round": [{"var": "x"}]}, 2]},
                ]
            },
            3,
        ]
    }
    assert through_json(node) == node


def test_every_shipped_rule_round_trips() -> None:
    for name in ("risk-point-grading", "community-classification"):
        rs: RuleSet = default_ruleset(name)
        for rule in rs.rules:
            data = json.loads(json.dumps(to_jsonlogic(rule.when)))
            assert from_jsonlogic(data, rs.schema) == rule.when


# ------------------------------------------------------------------ import
def test_import_reads_what_a_query_builder_writes() -> None:
    data = {
        "and": [
            {"<=": [1, {"var": "a"}, 5]},
            {
                "if": [
                    {"var": "flag"},
                    {">": [{"var": "x"}, 1.5]},
                    {"==": [{"var": "kind"}, "r"]},
                ]
            },
            {"!": {"in": [{"var": "kind"}, ["q"]]}},
            {"!=": [{"var": "opt"}, None]},
            {"-": [{"var": "b"}]},
        ]
    }
    with pytest.raises(RuleTypeError, match=r"\$\.and\[4\]: a int is not a condition"):
        from_jsonlogic(data, SCHEMA)
    data["and"][4] = {">": [{"-": [{"var": "b"}]}, -3]}
    node = from_jsonlogic(data, SCHEMA)
    assert node == parse_condition(
        "1 <= a <= 5 and ((x > 1.5) if flag else kind == 'r') and kind not in ('q',)"
        " and not is_missing(opt) and -b > -3",
        SCHEMA,
    )


@pytest.mark.parametrize(
    ("data", "error", "message"),
    [
        ({"===": [{"var": "a"}, 1]}, RuleSyntaxError, r"\$\.===: strict equality"),
        (
            {"and": [{"!!": [{"var": "a"}]}]},
            RuleSyntaxError,
            r"\$\.and\[0\]\.!!: .*truthiness",
        ),
        (
            {"in": ["p", {"var": "name"}]},
            RuleSyntaxError,
            r"\$\.in\[1\]: 'in' needs a literal list",
        ),
        (
            {"in": [{"var": "name"}, "abc"]},
            RuleSyntaxError,
            r"\$\.in\[1\]: 'in' on text tests for a substring",
        ),
        ({"some": [[1], {"var": ""}]}, RuleSyntaxError, r"\$\.some: array operations"),
        ({"map": [[1], {"var": ""}]}, RuleSyntaxError, r"\$\.map: array operations"),
        ({"cat": ["a", "b"]}, RuleSyntaxError, r"\$\.cat: string operations"),
        (
            {"missing": ["a"]},
            RuleSyntaxError,
            r"\$\.missing: 'missing' is not supported",
        ),
        (
            {">": [{"var": ["a", 0]}, 1]},
            RuleSyntaxError,
            r"\$\.>\[0\]\.var: 'var' with a default",
        ),
        (
            {">": [{"var": "aa"}, 1]},
            RuleTypeError,
            r"\$\.>\[0\]\.var: unknown field 'aa'; did you mean 'a'\?",
        ),
        ({">": [{"var": "kind"}, 1]}, RuleTypeError, r"1 is not a value of kind"),
        ({"==": [{"var": "a"}, None]}, RuleTypeError, r"a is never missing"),
        (
            {">": [{"var": "opt"}, 1]},
            RuleTypeError,
            r"optional field 'opt' may be missing",
        ),
        (
            {"frobnicate": [1]},
            RuleSyntaxError,
            r"unknown JsonLogic operation 'frobnicate'",
        ),
        ({"a": 1, "b": 2}, RuleSyntaxError, r"exactly one key"),
        ([1, 2], RuleSyntaxError, r"a list is only allowed"),
        (None, RuleSyntaxError, r"null is only allowed"),
        ({"var": "a"}, RuleTypeError, r"\$: a int is not a condition"),
        ({">": [1, 2, 3]}, RuleSyntaxError, r"takes 2 argument"),
        ({"if": [True, 1]}, RuleSyntaxError, r"'if' takes a condition"),
        ({">": [{"/": [{"var": "a"}, 0]}, 1]}, RuleTypeError, r"division by zero"),
        ({">": [{"**": [{"var": "a"}, {"var": "b"}]}, 1]}, RuleLimitError, r"exponent"),
        ({">": [{"var": "x"}, float("inf")]}, RuleTypeError, r"finite"),
    ],
)
def test_import_refuses_what_the_rule_language_cannot_express(
    data: object, error: type[RuleDefinitionError], message: str
) -> None:
    with pytest.raises(error, match=message):
        from_jsonlogic(data, SCHEMA)


def test_deep_nesting_is_a_limit_error_not_a_recursion_error() -> None:
    data: object = {"var": "flag"}
    for _ in range(5000):
        data = {"!": [data]}
    with pytest.raises(RuleLimitError, match="nested deeper"):
        from_jsonlogic(data, SCHEMA)


# ------------------------------------------------------------------ round trip
NUMERIC = st.sampled_from(["a", "b", "x", "2", "3.5", "-1"])


@st.composite
def numbers(draw: st.DrawFn, depth: int = 2) -> str:  # noqa: PLR0911  # one case per kind
    if depth == 0 or draw(st.booleans()):
        return draw(NUMERIC)
    kind = draw(st.integers(0, 6))
    left = draw(numbers(depth - 1))
    if kind == 0:
        return f"({left} {draw(st.sampled_from(['+', '-', '*']))} {draw(numbers(depth - 1))})"
    if kind == 1:
        return f"({left} {draw(st.sampled_from(['/', '//', '%']))} {draw(st.sampled_from(['2', '3', '0.5']))})"
    if kind == 2:
        return f"{draw(st.sampled_from(['abs', 'round']))}({left})"
    if kind == 3:
        return f"{draw(st.sampled_from(['min', 'max']))}({left}, {draw(numbers(depth - 1))})"
    if kind == 4:
        return (
            f"({left} if {draw(conditions(depth - 1))} else {draw(numbers(depth - 1))})"
        )
    if kind == 5:
        return f"-{draw(st.sampled_from(['a', 'x']))}"
    # the base of a power is a leaf: a power inside a base is refused by design
    return f"({draw(NUMERIC)}) ** {draw(st.integers(0, 3))}"


@st.composite
def conditions(draw: st.DrawFn, depth: int = 2) -> str:  # noqa: PLR0911  # one case per kind
    kind = draw(st.integers(0, 6 if depth > 0 else 4))
    if kind == 0:
        op = draw(st.sampled_from(["<", "<=", ">", ">=", "==", "!="]))
        return f"{draw(numbers(depth))} {op} {draw(numbers(depth))}"
    if kind == 1:
        values = draw(st.lists(st.sampled_from("pqr"), min_size=1, max_size=3))
        word = draw(st.sampled_from(["in", "not in"]))
        return f"kind {word} ({', '.join(repr(v) for v in values)},)"
    if kind == 2:
        return draw(st.sampled_from(["flag", "kind == 'q'", "flag != (a > 2)", "True"]))
    if kind == 3:
        return draw(
            st.sampled_from(
                [
                    "is_missing(opt)",
                    "not is_missing(opt) and opt >= 2",
                    "is_missing(opt) or opt < b",
                ]
            )
        )
    if kind == 4:
        return f"between(a, {draw(st.integers(-2, 2))}, {draw(numbers(0))})"
    parts = draw(st.lists(conditions(depth - 1), min_size=1, max_size=3))
    if kind == 5:
        return f"not ({parts[0]})"
    word = draw(st.sampled_from([" and ", " or "]))
    return word.join(f"({p})" for p in parts)


@settings(max_examples=150, deadline=None)
@given(conditions())
def test_export_then_import_gives_the_same_condition(text: str) -> None:
    node = parse_condition(text, SCHEMA)
    data = to_jsonlogic(node)
    back = from_jsonlogic(json.loads(json.dumps(data)), SCHEMA)
    assert back == canonical(node)
    assert to_jsonlogic(back) == to_jsonlogic(canonical(node))
