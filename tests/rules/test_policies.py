"""Hit policies, aggregates, scorecards, matrices and defaults, with hand-worked cases."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence

import numpy as np
import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from countypolicing import load_ruleset
from countypolicing.datasets import default_ruleset
from countypolicing.exceptions import HitPolicyError, NoMatchError, RuleEvaluationError
from countypolicing.model import RiskLevel
from countypolicing.rules import (
    Classifier,
    Decision,
    FieldSpec,
    Schema,
    ValueType,
    compile_ruleset,
    ruleset_from_data,
)
from countypolicing.testing.strategies import records_for, rulesets

LEVELS = ["high", "mid", "low"]  # highest priority first


def classifier(
    policy: str,
    rules: Sequence[Mapping[str, object]],
    *,
    default: str | None = None,
    **extra: object,
) -> Classifier:
    data: dict[str, object] = {
        "ruleset": "policies",
        "version": "3",
        "fields": {"n": "int"},
        "output": {"name": "level", "values": LEVELS},
        "hit_policy": policy,
        "rules": list(rules),
        **extra,
    }
    if default is not None:
        data["default"] = default
    return compile_ruleset(ruleset_from_data(data))


def outcome(
    clf: Classifier, n: int
) -> tuple[object, tuple[str, ...]] | type[Exception]:
    try:
        decision = clf.classify({"n": n})
    except RuleEvaluationError as exc:
        return type(exc)
    return decision.output, decision.rule_ids


def column_outcome(clf: Classifier, ns: list[int]) -> list[object] | type[Exception]:
    try:
        return list(clf.classify_columns({"n": np.array(ns, dtype=np.int64)}))
    except RuleEvaluationError as exc:
        return type(exc)


NESTED = [
    {"id": "A", "when": "n > 5", "then": "low"},
    {"id": "B", "when": "n > 3", "then": "high"},
    {"id": "C", "when": "n > 1", "then": "high"},
]
NS = [0, 2, 4, 6]


# ---------------------------------------------------------------- first
def test_first_takes_the_first_matching_rule_in_file_order() -> None:
    clf = classifier("first", NESTED, default="mid")
    assert [outcome(clf, n) for n in NS] == [
        ("mid", ()),
        ("high", ("C",)),
        ("high", ("B",)),
        ("low", ("A",)),
    ]
    assert column_outcome(clf, NS) == ["mid", "high", "high", "low"]


def test_first_without_a_default_raises_no_match() -> None:
    clf = classifier("first", NESTED)
    assert outcome(clf, 0) is NoMatchError
    assert outcome(clf, 2) == ("high", ("C",))
    with pytest.raises(NoMatchError) as info:
        clf.classify_columns({"n": np.array([3, 7, 0, 1])})
    assert info.value.record_index == 2


# ---------------------------------------------------------------- unique
def test_unique_decides_one_match_and_refuses_two() -> None:
    clf = classifier("unique", NESTED, default="mid")
    assert [outcome(clf, n) for n in NS] == [
        ("mid", ()),
        ("high", ("C",)),
        HitPolicyError,
        HitPolicyError,
    ]
    with pytest.raises(HitPolicyError, match="rules A, B, C all match"):
        clf.classify({"n": 6})
    assert column_outcome(clf, [0, 2]) == ["mid", "high"]
    assert column_outcome(clf, NS) is HitPolicyError


def test_unique_with_disjoint_rules_never_conflicts() -> None:
    rules = [
        {"id": "lo", "when": "n < 0", "then": "low"},
        {"id": "mid", "when": "between(n, 0, 9)", "then": "mid"},
        {"id": "hi", "when": "n > 9", "then": "high"},
    ]
    clf = classifier("unique", rules)
    assert [outcome(clf, n) for n in (-1, 0, 9, 10)] == [
        ("low", ("lo",)),
        ("mid", ("mid",)),
        ("mid", ("mid",)),
        ("high", ("hi",)),
    ]


# ---------------------------------------------------------------- priority
PRIORITY = [
    {"id": "A", "when": "n > 5", "then": "low"},
    {"id": "B", "when": "n > 3", "then": "mid"},
    {"id": "C", "when": "n > 4", "then": "high"},
    {"id": "D", "when": "n > 4", "then": "high"},
    {"id": "E", "when": "n < 0", "then": "low"},
]


def test_priority_takes_the_highest_output_then_the_first_rule_in_file_order() -> None:
    clf = classifier("priority", PRIORITY, default="low")
    assert [outcome(clf, n) for n in (-1, 0, 4, 5, 6)] == [
        ("low", ("E",)),
        ("low", ()),
        ("mid", ("B",)),
        ("high", ("C",)),
        ("high", ("C",)),
    ]
    assert column_outcome(clf, [-1, 0, 4, 5, 6]) == [
        "low",
        "low",
        "mid",
        "high",
        "high",
    ]


def test_priority_follows_the_severity_of_a_built_in_output() -> None:
    data = {
        "ruleset": "severity",
        "version": "1",
        "fields": {"n": "int"},
        "output": "risk_level",
        "hit_policy": "priority",
        "rules": [
            {"id": "L", "when": "n > 0", "then": "low"},
            {"id": "G", "when": "n > 1", "then": "general"},
            {"id": "M", "when": "n > 3", "then": "major"},
            {"id": "S", "when": "n > 2", "then": "significant"},
        ],
    }
    clf = compile_ruleset(ruleset_from_data(data))
    decided = [clf.classify({"n": n}) for n in (1, 2, 3, 4)]
    assert [d.output for d in decided] == [
        RiskLevel.LOW,
        RiskLevel.GENERAL,
        RiskLevel.SIGNIFICANT,
        RiskLevel.MAJOR,
    ]
    assert all(isinstance(d.output, RiskLevel) for d in decided)
    assert [d.rule_ids for d in decided] == [("L",), ("G",), ("S",), ("M",)]


# ---------------------------------------------------------------- any
def test_any_accepts_several_matches_with_one_output_and_lists_them() -> None:
    clf = classifier("any", NESTED, default="mid")
    assert [outcome(clf, n) for n in NS] == [
        ("mid", ()),
        ("high", ("C",)),
        ("high", ("B", "C")),
        HitPolicyError,
    ]
    with pytest.raises(HitPolicyError, match=r"different outputs \(high, low\)"):
        clf.classify({"n": 6})
    assert column_outcome(clf, NS[:3]) == ["mid", "high", "high"]
    assert column_outcome(clf, NS) is HitPolicyError


# ---------------------------------------------------------------- collect
SCORED = [
    {"id": "A", "when": "n > 5", "score": 10},
    {"id": "B", "when": "n > 3", "score": 2.5},
    {"id": "C", "when": "n > 1", "score": -1},
]


def test_collect_list_gives_every_matching_output_in_file_order() -> None:
    clf = classifier("collect", NESTED)
    assert [outcome(clf, n) for n in NS] == [
        ((), ()),
        (("high",), ("C",)),
        (("high", "high"), ("B", "C")),
        (("low", "high", "high"), ("A", "B", "C")),
    ]
    assert column_outcome(clf, NS) == [
        (),
        ("high",),
        ("high", "high"),
        ("low", "high", "high"),
    ]


def test_collect_count_counts_the_matches() -> None:
    clf = classifier("collect", NESTED, aggregate="count")
    assert [outcome(clf, n) for n in NS] == [
        (0, ()),
        (1, ("C",)),
        (2, ("B", "C")),
        (3, ("A", "B", "C")),
    ]
    assert column_outcome(clf, NS) == [0, 1, 2, 3]


def test_collect_sum_adds_the_scores_exactly() -> None:
    clf = classifier("collect", SCORED, aggregate="sum")
    decided = [clf.classify({"n": n}) for n in NS]
    assert [d.output for d in decided] == [0, -1, 1.5, 11.5]
    assert [d.score for d in decided] == [0, -1, 1.5, 11.5]
    assert isinstance(decided[1].output, int)
    assert column_outcome(clf, NS) == [0, -1, 1.5, 11.5]


def test_a_sum_is_exact_whatever_the_order_of_the_scores() -> None:
    rules = [
        {"id": f"R{i}", "when": "n > 0", "score": s}
        for i, s in enumerate([1e16, 1, -1e16, 1] * 5)
    ]
    clf = classifier("collect", rules, aggregate="sum")
    assert clf.classify({"n": 1}).output == 10.0
    clf = classifier("collect", list(reversed(rules)), aggregate="sum")
    assert clf.classify({"n": 1}).output == 10.0


@pytest.mark.parametrize(
    ("aggregate", "expected"),
    [("min", [NoMatchError, -1, -1, -1]), ("max", [NoMatchError, -1, 2.5, 10])],
)
def test_collect_min_and_max_pick_a_score_and_need_a_default_for_no_match(
    aggregate: str, expected: list[object]
) -> None:
    clf = classifier("collect", SCORED, aggregate=aggregate)
    got = [outcome(clf, n) for n in NS]
    assert [g if isinstance(g, type) else g[0] for g in got] == expected
    with_default = classifier("collect", SCORED, aggregate=aggregate, default="mid")
    assert with_default.classify({"n": 0}).output == "mid"
    assert with_default.classify({"n": 0}).rule_ids == ()
    assert column_outcome(with_default, NS) == ["mid", *expected[1:]]


# ---------------------------------------------------------------- scorecards
THRESHOLDS = [{"at_least": 10, "then": "high"}, {"at_least": 1, "then": "mid"}]


def test_a_scorecard_maps_the_summed_score_to_the_first_band_reached() -> None:
    clf = classifier(
        "collect", SCORED, aggregate="sum", thresholds=THRESHOLDS, default="low"
    )
    decided = [clf.classify({"n": n}) for n in NS]
    assert [(d.output, d.score, d.rule_ids) for d in decided] == [
        ("low", 0, ()),
        ("low", -1, ("C",)),
        ("mid", 1.5, ("B", "C")),
        ("high", 11.5, ("A", "B", "C")),
    ]
    assert column_outcome(clf, NS) == ["low", "low", "mid", "high"]


def test_a_score_exactly_at_a_threshold_reaches_that_band() -> None:
    rules = [
        {"id": "A", "when": "n > 0", "score": 10},
        {"id": "B", "when": "n > 1", "score": -9},
    ]
    clf = classifier("collect", rules, aggregate="sum", thresholds=THRESHOLDS)
    assert clf.classify({"n": 1}).output == "high"
    assert clf.classify({"n": 2}).output == "mid"


def test_a_score_below_every_threshold_without_a_default_is_no_match() -> None:
    clf = classifier("collect", SCORED, aggregate="sum", thresholds=THRESHOLDS)
    assert outcome(clf, 0) is NoMatchError
    assert outcome(clf, 2) is NoMatchError
    assert outcome(clf, 4) == ("mid", ("B", "C"))
    with pytest.raises(NoMatchError) as info:
        clf.classify_columns({"n": np.array([6, 4, 2])})
    assert info.value.record_index == 2


# ---------------------------------------------------------------- matrices
MATRIX_CASES = [
    ((5, 5), "major"),
    ((4, 5), "major"),
    ((5, 4), "major"),
    ((4, 4), "significant"),
    ((3, 5), "significant"),
    ((3, 4), "general"),
    ((2, 4), "general"),
    ((1, 5), "low"),
    ((2, 3), "low"),
    ((1, 1), "low"),
]


@pytest.mark.parametrize(("axes", "level"), MATRIX_CASES)
def test_the_shipped_risk_matrix_grades_by_likelihood_times_severity(
    axes: tuple[int, int], level: str
) -> None:
    clf = compile_ruleset(default_ruleset("risk-point-grading"))
    likelihood, severity = axes
    decision = clf.classify({"likelihood": likelihood, "severity": severity})
    assert decision.output is RiskLevel(level)
    assert decision.rule_ids == (f"M-{level}",)


@pytest.mark.parametrize("axes", [(0, 3), (6, 1), (3, 0), (3, 6), (-1, -1), (0, 0)])
def test_matrix_values_out_of_range_raise_no_match(axes: tuple[int, int]) -> None:
    clf = compile_ruleset(default_ruleset("risk-point-grading"))
    with pytest.raises(NoMatchError):
        clf.classify({"likelihood": axes[0], "severity": axes[1]})


def test_the_matrix_in_columns_agrees_and_names_the_first_out_of_range_row() -> None:
    clf = compile_ruleset(default_ruleset("risk-point-grading"))
    likelihood = np.array([a[0] for a, _ in MATRIX_CASES])
    severity = np.array([a[1] for a, _ in MATRIX_CASES])
    got = clf.classify_columns({"likelihood": likelihood, "severity": severity})
    assert [str(g) for g in got] == [level for _, level in MATRIX_CASES]
    with pytest.raises(NoMatchError) as info:
        clf.classify_columns(
            {"likelihood": np.array([1, 3, 6, 0]), "severity": np.array([1, 3, 1, 0])}
        )
    assert info.value.record_index == 2


def test_a_matrix_with_its_own_scale_and_cutoffs() -> None:
    rs = load_ruleset(
        """
ruleset: small-matrix
version: "1"
fields: {l: int, s: int}
output: {name: level, values: [red, yellow, blue]}
matrix: {likelihood: l, severity: s, scale: 3, cutoffs: {red: 6, yellow: 3}, otherwise: blue}
"""
    )
    clf = compile_ruleset(rs)
    grid = {
        (lk, sv): str(clf.classify({"l": lk, "s": sv}).output)
        for lk in (1, 2, 3)
        for sv in (1, 2, 3)
    }
    assert grid == {
        (1, 1): "blue", (1, 2): "blue", (2, 1): "blue",
        (1, 3): "yellow", (3, 1): "yellow", (2, 2): "yellow",
        (2, 3): "red", (3, 2): "red", (3, 3): "red",
    }  # fmt: skip
    with pytest.raises(NoMatchError):
        clf.classify({"l": 4, "s": 1})


# ---------------------------------------------------------------- defaults, provenance
def test_the_default_applies_only_when_nothing_matches_and_names_no_rule() -> None:
    for policy in ("first", "unique", "priority", "any"):
        clf = classifier(
            policy, [{"id": "A", "when": "n > 5", "then": "high"}], default="low"
        )
        decision = clf.classify({"n": 0})
        assert (decision.output, decision.rule_ids, decision.score) == ("low", (), None)
        assert clf.classify({"n": 6}).output == "high"


@pytest.mark.parametrize("policy", ["first", "unique", "priority", "any"])
def test_no_match_without_a_default_is_a_no_match_error(policy: str) -> None:
    clf = classifier(policy, [{"id": "A", "when": "n > 5", "then": "high"}])
    with pytest.raises(
        NoMatchError, match="no rule matched and the ruleset has no default"
    ):
        clf.classify({"n": 0})
    with pytest.raises(NoMatchError) as info:
        clf.classify_many([{"n": 6}, {"n": 0}])
    assert info.value.record_index == 1


def check_provenance(decision: Decision, clf: Classifier) -> None:
    rs = clf.ruleset
    assert decision.ruleset_id == rs.id == "policies"
    assert decision.ruleset_version == rs.version == "3"
    assert decision.ruleset_hash == rs.content_hash
    assert rs.content_hash.startswith("sha256:")
    assert len(rs.content_hash) == len("sha256:") + 64


@pytest.mark.parametrize(
    ("policy", "rules", "extra"),
    [
        ("first", NESTED, {}),
        ("unique", NESTED[:1], {}),
        ("priority", PRIORITY, {}),
        ("any", NESTED[1:], {}),
        ("collect", NESTED, {}),
        ("collect", NESTED, {"aggregate": "count"}),
        ("collect", SCORED, {"aggregate": "sum"}),
        ("collect", SCORED, {"aggregate": "max"}),
        ("collect", SCORED, {"aggregate": "sum", "thresholds": THRESHOLDS}),
    ],
)
def test_every_decision_carries_ruleset_id_version_and_content_hash(
    policy: str, rules: list[dict[str, object]], extra: dict[str, object]
) -> None:
    clf = classifier(policy, rules, default="low", **extra)
    for n in (0, 2, 6):
        for explain in (False, True):
            check_provenance(clf.classify({"n": n}, explain=explain), clf)


RULE_FILE = """\
ruleset: hashed
version: "1"
fields: {a: int, b: float}
output: {name: level, values: [high, low]}
hit_policy: first
default: low
rules:
  - id: R1
    when: a > 1 and b < 2.5
    then: high
"""
REORDERED = """\
rules:
  - then: high
    when: a > 1 and b < 2.5
    id: R1
default: low
hit_policy: first
output: {values: [high, low], name: level}
fields: {a: int, b: float}
version: "1"
ruleset: hashed
"""


def test_the_content_hash_ignores_key_order_and_layout() -> None:
    first = load_ruleset(RULE_FILE).content_hash
    assert load_ruleset(REORDERED).content_hash == first
    spaced = RULE_FILE.replace("a > 1 and b < 2.5", "(a>1)  and  (b<2.5)  # same")
    assert load_ruleset(spaced).content_hash == first
    structured = RULE_FILE.replace(
        "when: a > 1 and b < 2.5",
        "when: {all: [{field: a, op: '>', value: 1}, 'b < 2.5']}",
    )
    assert load_ruleset(structured).content_hash == first


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("a > 1 and", "a > 2 and"),
        ("b < 2.5", "b <= 2.5"),
        ("then: high\n", "then: low\n"),
        ("id: R1", "id: R2"),
        ("default: low", "default: high"),
        ("hit_policy: first", "hit_policy: unique"),
        ('version: "1"', 'version: "2"'),
        ("values: [high, low]", "values: [low, high]"),
        ("b: float", "b: int"),
    ],
)
def test_the_content_hash_changes_when_the_rules_change(old: str, new: str) -> None:
    assert old in RULE_FILE
    changed = RULE_FILE.replace(old, new)
    assert load_ruleset(changed).content_hash != load_ruleset(RULE_FILE).content_hash


def test_the_content_hash_ignores_the_order_fields_are_declared_in() -> None:
    swapped = RULE_FILE.replace(
        "fields: {a: int, b: float}", "fields: {b: float, a: int}"
    )
    assert load_ruleset(swapped).content_hash == load_ruleset(RULE_FILE).content_hash


# ---------------------------------------------------------------- shipped rulesets
@pytest.mark.parametrize("name", ["risk-point-grading", "community-classification"])
def test_the_shipped_rulesets_pass_their_embedded_tests_and_cover_every_rule(
    name: str,
) -> None:
    rs = default_ruleset(name)
    clf = compile_ruleset(rs)
    assert rs.tests
    hit: set[str] = set()
    for case in rs.tests:
        decision = clf.classify(dict(case.given))
        assert str(decision.output) == case.expect, case.name
        hit.update(decision.rule_ids)
    assert hit == {r.id for r in rs.rules}


def test_the_shipped_community_ruleset_decides_the_bundled_county() -> None:
    from countypolicing.datasets import yueyanglou  # noqa: PLC0415  # heavy
    from countypolicing.rules import community_records  # noqa: PLC0415

    county = yueyanglou()
    clf = compile_ruleset(default_ruleset("community-classification"))
    records = community_records(county)
    decided = clf.classify_many(records)
    assert len(decided) == len(county.communities)
    columns = {f: np.array([r[f] for r in records]) for f in clf.fields}
    assert list(clf.classify_columns(columns)) == [d.output for d in decided]


# ---------------------------------------------------------------- purity (C.30)
@settings(deadline=None)  # compiles rulesets; timing is not the point
@given(
    st.data(),
    rulesets(
        hit_policies=["unique", "priority", "any", "collect"],
        aggregates=["count", "sum", "min", "max"],
    ),
)
def test_where_order_cannot_matter_shuffling_the_rules_changes_no_output(
    data: st.DataObject, raw: dict[str, object]
) -> None:
    rs = ruleset_from_data(raw)
    record = data.draw(records_for(rs.schema))
    rules = raw.get("rules")
    if not isinstance(rules, list):
        return  # a matrix: first-match by construction
    shuffled = dict(raw, rules=data.draw(st.permutations(rules)))
    results = []
    for version in (raw, shuffled, raw):
        clf = compile_ruleset(ruleset_from_data(version))
        try:
            results.append(clf.classify(record).output)
        except RuleEvaluationError as exc:
            results.append(type(exc))
    assert results[0] == results[1] == results[2]


TWO_INTS = Schema(
    "inline", (FieldSpec("a", ValueType.INT), FieldSpec("b", ValueType.INT))
)
KINDS: dict[
    str,
    tuple[st.SearchStrategy[dict[str, object]], Callable[[dict[str, object]], bool]],
] = {
    "unique without default": (
        rulesets(hit_policies=["unique"], default=False),
        lambda d: "default" not in d,
    ),
    "list with default": (
        rulesets(hit_policies=["collect"], aggregates=["list"], default=True),
        lambda d: "default" in d,
    ),
    "min without output": (
        rulesets(hit_policies=["collect"], aggregates=["min"], default=False),
        lambda d: "output" not in d,
    ),
    "scorecard": (
        rulesets(hit_policies=["collect"], aggregates=["sum"]),
        lambda d: "thresholds" in d,
    ),
    "matrix": (
        rulesets(schema=TWO_INTS, hit_policies=["first"]),
        lambda d: "matrix" in d,
    ),
    "built-in output": (rulesets(), lambda d: d.get("output") == "risk_level"),
    "structured conditions": (
        rulesets(structured=True),
        lambda d: any(isinstance(r["when"], dict) for r in d.get("rules", ())),  # type: ignore[attr-defined]
    ),
}


@pytest.mark.parametrize(("strategy", "wanted"), KINDS.values(), ids=KINDS.keys())
def test_the_rulesets_strategy_reaches_every_kind_of_ruleset(
    strategy: st.SearchStrategy[dict[str, object]],
    wanted: Callable[[dict[str, object]], bool],
) -> None:
    found = find(
        strategy,
        wanted,
        settings=settings(
            max_examples=40, derandomize=True, database=None, phases=[Phase.generate]
        ),
    )
    assert ruleset_from_data(found).rules
