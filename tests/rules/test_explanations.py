"""Explanations, pickling, threads and hash seeds (DESIGN §5.3, RELIABILITY C.30, G.51-52)."""

from __future__ import annotations

import os
import pickle
import subprocess
import sys
import textwrap
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from countypolicing.exceptions import RuleEvaluationError
from countypolicing.rules import (
    AtomTrace,
    Classifier,
    Decision,
    Explanation,
    RuleTrace,
    compile_ruleset,
    ruleset_from_data,
)
from countypolicing.testing.strategies import records_for, rulesets

RULES = {
    "ruleset": "explained",
    "version": "2",
    "fields": {
        "calls": "float",
        "disputes": "int",
        "kind": {"enum": ["urban", "village", "fishing"]},
        "key_persons": {"type": "int", "optional": True},
    },
    "output": {"name": "level", "values": ["red", "orange", "blue"]},
    "hit_policy": "first",
    "default": "blue",
    "rules": [
        {
            "id": "R1",
            "when": "calls > 30 and disputes >= 5",
            "then": "red",
            "because": {
                "zh": "警情多且纠纷积压",
                "en": "many calls and a dispute backlog",
            },
        },
        {
            "id": "R2",
            "when": "kind in {'fishing', 'village'} or "
            "(not is_missing(key_persons) and key_persons > 3)",
            "then": "orange",
            "because": "outlying or watched",
        },
        {"id": "R3", "when": "disputes > 100", "then": "red", "because": "纠纷极多"},
    ],
}
RECORDS: list[dict[str, object]] = [
    {"calls": 41.0, "disputes": 6, "kind": "urban", "key_persons": None},
    {"calls": 41.0, "disputes": 2, "kind": "village", "key_persons": 9},
    {"calls": 12.5, "disputes": 2, "kind": "urban", "key_persons": 9},
    {"calls": 12.5, "disputes": 200, "kind": "urban", "key_persons": None},
    {"calls": 0, "disputes": 0, "kind": "fishing", "key_persons": 0},
    {"calls": 3.0, "disputes": 1, "kind": "urban", "key_persons": 1},
]


@pytest.fixture(scope="module")
def clf() -> Classifier:
    return compile_ruleset(ruleset_from_data(RULES))


def explain(clf: Classifier, record: dict[str, object]) -> Explanation:
    explanation = clf.classify(record, explain=True).explanation
    assert explanation is not None
    return explanation


def test_the_explanation_gives_each_atom_its_truth_value_and_none_when_skipped(
    clf: Classifier,
) -> None:
    explanation = explain(clf, RECORDS[1])
    assert explanation.rules == (
        RuleTrace(
            "R1",
            matched=False,
            conditions=(
                AtomTrace("calls > 30", True),
                AtomTrace("disputes >= 5", False),
            ),
            because_zh="警情多且纠纷积压",
            because_en="many calls and a dispute backlog",
        ),
        RuleTrace(
            "R2",
            matched=True,
            conditions=(
                AtomTrace("kind in ('fishing', 'village')", True),
                AtomTrace("not is_missing(key_persons)", None),
                AtomTrace("key_persons > 3", None),
            ),
            because_en="outlying or watched",
        ),
        RuleTrace(
            "R3",
            matched=None,
            conditions=(AtomTrace("disputes > 100", None),),
            because_zh="纠纷极多",
        ),
    )
    assert explanation.output == "orange"
    assert explanation.decided_by == ("R2",)


def test_a_short_circuited_first_atom_leaves_the_rest_unevaluated(
    clf: Classifier,
) -> None:
    explanation = explain(clf, RECORDS[2])
    r1 = explanation.rules[0]
    assert r1.matched is False
    assert [a.value for a in r1.conditions] == [False, None]
    r2 = explanation.rules[1]
    assert [a.value for a in r2.conditions] == [False, True, True]


def test_the_explanation_lists_the_values_read_in_the_order_read(
    clf: Classifier,
) -> None:
    assert explain(clf, RECORDS[0]).values == (("calls", 41.0), ("disputes", 6))
    assert explain(clf, RECORDS[3]).values == (
        ("calls", 12.5),
        ("disputes", 200),
        ("kind", "urban"),
        ("key_persons", None),
    )


def test_the_default_is_explained_with_every_rule_false(clf: Classifier) -> None:
    decision = clf.classify(RECORDS[5], explain=True)
    assert (decision.output, decision.rule_ids) == ("blue", ())
    assert decision.explanation is not None
    assert [r.matched for r in decision.explanation.rules] == [False, False, False]
    assert "no rule matched; the default applies" in decision.explanation.text()
    assert "无规则命中，取默认值" in decision.explanation.text("zh")


def test_the_text_includes_the_because_texts_in_either_language(
    clf: Classifier,
) -> None:
    red = explain(clf, RECORDS[0])
    assert "because many calls and a dispute backlog" in red.text("en")
    assert "理由：警情多且纠纷积压" in red.text("zh")
    orange = explain(clf, RECORDS[1])
    assert "because outlying or watched" in orange.text()
    assert "理由：outlying or watched" in orange.text("zh")  # the other language
    red_again = explain(clf, RECORDS[3])
    assert "because 纠纷极多" in red_again.text("en")
    assert red.text() == textwrap.dedent(
        """\
        Decision: red (ruleset explained, first match), decided by rule R1 because many calls and a dispute backlog.
          rule R1: matched
            calls > 30: true
            disputes >= 5: true
          (2 later rules not evaluated)
        Values read: calls=41.0, disputes=6"""
    )


def test_explaining_changes_nothing_about_the_decision(clf: Classifier) -> None:
    for record in RECORDS:
        plain = clf.classify(record)
        explained = clf.classify(record, explain=True)
        assert plain.explanation is None
        assert explained[:6] == plain[:6]


@settings(deadline=None)  # compiles rulesets; timing is not the point
@given(st.data(), rulesets())
def test_explained_decisions_agree_with_plain_ones_for_any_ruleset(
    data: st.DataObject, raw: dict[str, object]
) -> None:
    clf = compile_ruleset(ruleset_from_data(raw))
    record = data.draw(records_for(clf.ruleset.schema))
    try:
        plain = clf.classify(record)
    except RuleEvaluationError as exc:
        with pytest.raises(type(exc)):
            clf.classify(record, explain=True)
        return
    decision = clf.classify(record, explain=True)
    assert decision[:6] == plain[:6]
    explanation = decision.explanation
    assert explanation is not None
    assert explanation.decided_by == decision.rule_ids
    assert [r.rule_id for r in explanation.rules] == [r.id for r in clf.ruleset.rules]
    matched = {r.rule_id for r in explanation.rules if r.matched}
    assert set(decision.rule_ids) <= matched
    if clf.ruleset.hit_policy != "priority":
        assert set(decision.rule_ids) == matched
    for trace in explanation.rules:
        if trace.matched is None:
            assert all(a.value is None for a in trace.conditions)
    for lang in ("en", "zh"):
        assert explanation.text(lang).splitlines()[0]
    assert dict(explanation.values).keys() <= set(clf.fields)


# ---------------------------------------------------------------- pickling (G.51)
def snapshot(clf: Classifier) -> list[tuple[object, ...]]:
    out: list[tuple[object, ...]] = []
    for record in RECORDS:
        decision = clf.classify(record, explain=True)
        assert decision.explanation is not None
        out.append(
            (
                *decision[:6],
                decision.explanation.text("en"),
                decision.explanation.text("zh"),
                decision.explanation.rules,
            )
        )
    return out


def test_a_pickled_classifier_gives_identical_decisions_and_explanations(
    clf: Classifier,
) -> None:
    expected = snapshot(clf)
    for protocol in range(2, pickle.HIGHEST_PROTOCOL + 1):
        copy = pickle.loads(pickle.dumps(clf, protocol=protocol))  # noqa: S301  # our own bytes
        assert copy == clf
        assert copy.ruleset.content_hash == clf.ruleset.content_hash
        assert snapshot(copy) == expected


def test_a_pickled_decision_keeps_its_explanation(clf: Classifier) -> None:
    for record in RECORDS:
        decision = clf.classify(record, explain=True)
        copy: Decision = pickle.loads(pickle.dumps(decision))  # noqa: S301  # our own bytes
        assert copy[:6] == decision[:6]
        assert copy.explanation is not None
        assert decision.explanation is not None
        assert copy.explanation.rules == decision.explanation.rules
        assert copy.explanation.output == decision.explanation.output
        assert copy.explanation.decided_by == decision.explanation.decided_by


def test_a_pickled_decision_explains_itself_in_the_same_words(clf: Classifier) -> None:
    decision = clf.classify(RECORDS[0], explain=True)
    copy: Decision = pickle.loads(pickle.dumps(decision))  # noqa: S301  # our own bytes
    assert copy.explanation is not None
    assert decision.explanation is not None
    assert copy.explanation.values == decision.explanation.values
    assert copy.explanation.text() == decision.explanation.text()
    assert copy.explanation.text("zh") == decision.explanation.text("zh")


def test_a_pickled_explained_decision_equals_the_original(clf: Classifier) -> None:
    decision = clf.classify(RECORDS[0], explain=True)
    assert pickle.loads(pickle.dumps(decision)) == decision  # noqa: S301


def test_an_explanation_outlives_a_pickled_copy_of_its_classifier() -> None:
    clf = compile_ruleset(ruleset_from_data(RULES))
    decision = pickle.loads(pickle.dumps(clf.classify(RECORDS[0], explain=True)))  # noqa: S301
    del clf
    assert decision.explanation is not None
    assert decision.explanation.text().startswith("Decision: red")


# ---------------------------------------------------------------- threads (G.52)
def test_eight_threads_on_one_classifier_get_identical_results(clf: Classifier) -> None:
    records = RECORDS * 300
    expected = [clf.classify(r, explain=True) for r in records]
    texts = [d.explanation.text() for d in expected if d.explanation is not None]

    def work(_: int) -> tuple[list[Decision], list[str]]:
        decided = [clf.classify(r, explain=True) for r in records]
        return decided, [
            d.explanation.text() for d in decided if d.explanation is not None
        ]

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(work, range(8)))
    for decided, decided_texts in results:
        assert decided == expected
        assert decided_texts == texts


# ---------------------------------------------------------------- processes (C.30, G.51)
SCRIPT = textwrap.dedent(
    """
    import json, pickle, sys
    from countypolicing.exceptions import RuleEvaluationError
    from countypolicing.rules import compile_ruleset, ruleset_from_data

    rules, records, pickled = pickle.load(sys.stdin.buffer)
    out = []
    for clf in (compile_ruleset(ruleset_from_data(rules)), pickle.loads(pickled)):
        for record in records:
            try:
                d = clf.classify(record, explain=True)
            except RuleEvaluationError as exc:
                out.append([type(exc).__name__, str(exc)])
                continue
            out.append([
                str(d.output), list(d.rule_ids), d.ruleset_hash,
                d.explanation.text("en"), d.explanation.text("zh"),
                repr(d.explanation.rules),
            ])
    print(json.dumps(out, ensure_ascii=False))
    """
)
CONFLICTS = dict(
    RULES,
    hit_policy="any",
    rules=[
        *RULES["rules"],
        {"id": "R4", "when": "kind in ('urban', 'village', 'fishing')", "then": "blue"},
    ],
)


@pytest.mark.parametrize("rules", [RULES, CONFLICTS], ids=["first", "any"])
def test_results_are_identical_in_processes_with_different_hash_seeds(
    rules: dict[str, object], tmp_path: Path
) -> None:
    clf = compile_ruleset(ruleset_from_data(rules))
    payload = pickle.dumps((rules, RECORDS, pickle.dumps(clf)))
    outputs = []
    for seed in ("0", "1", "2"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        done = subprocess.run(
            [sys.executable, "-c", SCRIPT],
            input=payload,
            capture_output=True,
            env=env,
            cwd=tmp_path,
            timeout=60,
            check=False,
        )
        assert done.returncode == 0, done.stderr.decode()[-2000:]
        outputs.append(done.stdout.decode())
    assert outputs[0] == outputs[1] == outputs[2]
    assert "Decision:" in outputs[0]


@pytest.mark.parametrize("inline_limit", [0, 10**12])
def test_small_and_large_rulesets_explain_alike(
    inline_limit: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Large rulesets generate a loop with `break`, small ones return per rule:
    # force each shape on the same ruleset and compare with the plain decision.
    from countypolicing.rules import _classifier  # noqa: PLC0415  # the code-shape switch

    monkeypatch.setattr(_classifier, "_INLINE_LIMIT", inline_limit)
    rs = ruleset_from_data(
        {
            "ruleset": "shapes",
            "version": "1",
            "fields": {f"f{i}": "int" for i in range(5)},
            "output": {"name": "o", "values": ["x", "y"]},
            "hit_policy": "first",
            "default": "y",
            "rules": [
                {"id": f"R{i}", "when": f"f{i % 5} > {i}", "then": "x"}
                for i in range(12)
            ],
        }
    )
    clf = compile_ruleset(rs)
    for value in (0, 3, 7, 100):
        record = {f"f{i}": value + i for i in range(5)}
        plain = clf.classify(record)
        explained = clf.explain(record)
        assert (explained.output, explained.rule_ids) == (plain.output, plain.rule_ids)
        assert explained.explanation is not None
