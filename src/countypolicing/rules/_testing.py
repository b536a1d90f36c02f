"""Testing and diffing rulesets: embedded tests, rule coverage, decision changes.

`run_rule_tests` runs the ``tests:`` a rule file carries and reports which rules no
test exercises; `diff_rulesets` classifies the same records with two rulesets and
returns the records whose output changes, with both explanations.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from countypolicing.exceptions import RuleEvaluationError
from countypolicing.rules._classifier import Classifier, Decision, compile_ruleset
from countypolicing.rules._ruleset import RuleSet

__all__ = [
    "DecisionChange",
    "RuleTestReport",
    "RuleTestResult",
    "diff_rulesets",
    "run_rule_tests",
]


def _show(value: object) -> str:
    if isinstance(value, tuple):
        return "[" + ", ".join(_show(v) for v in value) + "]"
    return str(value)


def _same(actual: object, expected: object) -> bool:
    if isinstance(actual, tuple) or isinstance(expected, tuple):
        return (
            isinstance(actual, tuple)
            and isinstance(expected, tuple)
            and len(actual) == len(expected)
            and all(_same(a, e) for a, e in zip(actual, expected, strict=True))
        )
    if isinstance(actual, str) or isinstance(expected, str):
        return str(actual) == str(expected)
    return actual == expected


@attrs.frozen(kw_only=True)
class RuleTestResult:
    """The outcome of one embedded test.

    Attributes:
        name: the test's name.
        passed: whether the decision's output is the expected one.
        expected: what the test expects.
        actual: the decided output (``None`` when classifying failed).
        rule_ids: the rules that decided.
        error: why classifying failed, if it did.

    Added in version 0.1.0.
    """

    name: str
    passed: bool
    expected: object
    actual: object = None
    rule_ids: tuple[str, ...] = ()
    error: str | None = None


@attrs.frozen(kw_only=True)
class RuleTestReport:
    """Every embedded test's outcome, and the rules no test exercises.

    Attributes:
        ruleset_id: the ruleset's id.
        ruleset_version: its version.
        results: one per test, in file order.
        uncovered: the rules that decide no test, in file order.

    Added in version 0.1.0.
    """

    ruleset_id: str
    ruleset_version: str
    results: tuple[RuleTestResult, ...]
    uncovered: tuple[str, ...]

    @property
    def ok(self) -> bool:
        """Whether every test passed."""
        return all(r.passed for r in self.results)

    @property
    def failed(self) -> tuple[RuleTestResult, ...]:
        """The tests that did not pass."""
        return tuple(r for r in self.results if not r.passed)

    def text(self, lang: str = "en") -> str:
        """A readable report in English (``"en"``) or Chinese (``"zh"``)."""
        zh = lang == "zh"
        n, bad = len(self.results), len(self.failed)
        if zh:
            head = (
                f"规则集 {self.ruleset_id} {self.ruleset_version}：{n} 个测试，"
                f"{n - bad} 个通过，{bad} 个失败"
            )
        else:
            head = (
                f"ruleset {self.ruleset_id} {self.ruleset_version}: {n} tests, "
                f"{n - bad} passed, {bad} failed"
            )
        lines = [head]
        for r in self.results:
            decided = ", ".join(r.rule_ids) or ("默认值" if zh else "default")
            if r.passed:
                word = "通过" if zh else "PASS"
                lines.append(f"  {word} {r.name}: {_show(r.actual)} ({decided})")
            elif r.error is not None:
                word = "失败" if zh else "FAIL"
                exp = "期望" if zh else "expected"
                lines.append(f"  {word} {r.name}: {exp} {_show(r.expected)}, {r.error}")
            else:
                word = "失败" if zh else "FAIL"
                lines.append(
                    f"  {word} {r.name}: "
                    + (
                        f"期望 {_show(r.expected)}，实际 {_show(r.actual)}（{decided}）"
                        if zh
                        else f"expected {_show(r.expected)}, got {_show(r.actual)} "
                        f"({decided})"
                    )
                )
        if self.uncovered:
            lines.append(
                ("未被任何测试命中的规则：" if zh else "rules no test hits: ")
                + ", ".join(self.uncovered)
            )
        else:
            lines.append(
                "每条规则都至少被一个测试命中。"
                if zh
                else "every rule is hit by a test."
            )
        return "\n".join(lines)


def run_rule_tests(
    ruleset: RuleSet, *, classifier: Classifier | None = None
) -> RuleTestReport:
    """Run the tests embedded in a rule file, and measure rule coverage.

    A rule is *covered* when it decides at least one test (it is among the
    decision's ``rule_ids``: the first match under ``first``, every matched rule
    under ``collect``).

    Args:
        ruleset: the ruleset and its ``tests:``.
        classifier: a classifier compiled from ``ruleset`` (compiled when omitted).

    Examples:
        >>> from countypolicing.datasets import default_ruleset
        >>> report = run_rule_tests(default_ruleset("community-classification"))
        >>> report.ok, len(report.results), report.uncovered
        (True, 8, ())

    Added in version 0.1.0.
    """
    clf = classifier if classifier is not None else compile_ruleset(ruleset)
    hit: set[str] = set()
    results = []
    for test in ruleset.tests:
        try:
            decision = clf.classify(test.given)
        except RuleEvaluationError as exc:
            results.append(
                RuleTestResult(
                    name=test.name,
                    passed=False,
                    expected=test.expect,
                    error=f"{type(exc).__name__}: {exc}",
                )
            )
            continue
        hit.update(decision.rule_ids)
        results.append(
            RuleTestResult(
                name=test.name,
                passed=_same(decision.output, test.expect),
                expected=test.expect,
                actual=decision.output,
                rule_ids=decision.rule_ids,
            )
        )
    return RuleTestReport(
        ruleset_id=ruleset.id,
        ruleset_version=ruleset.version,
        results=tuple(results),
        uncovered=tuple(r.id for r in ruleset.rules if r.id not in hit),
    )


@attrs.frozen(kw_only=True)
class DecisionChange:
    """A record whose output differs between two rulesets.

    Attributes:
        index: the record's position in the input.
        record: the record.
        old: the old ruleset's decision (with its explanation), or ``None``.
        new: the new ruleset's decision (with its explanation), or ``None``.
        old_error: why the old ruleset could not classify it, if it could not.
        new_error: why the new ruleset could not classify it, if it could not.

    Added in version 0.1.0.
    """

    index: int
    record: Mapping[str, object]
    old: Decision | None
    new: Decision | None
    old_error: str | None = None
    new_error: str | None = None

    @property
    def old_output(self) -> Any:  # noqa: ANN401  # an output or None
        """The old output (``None`` when the old ruleset failed)."""
        return None if self.old is None else self.old.output

    @property
    def new_output(self) -> Any:  # noqa: ANN401  # an output or None
        """The new output (``None`` when the new ruleset failed)."""
        return None if self.new is None else self.new.output

    def summary(self) -> str:
        """``old -> new``, with errors shown as such."""
        old = self.old_error if self.old is None else _show(self.old_output)
        new = self.new_error if self.new is None else _show(self.new_output)
        return f"{old} -> {new}"


def _classify(
    clf: Classifier, record: object, *, explain: bool
) -> tuple[Decision | None, str | None]:
    try:
        return clf.classify(record, explain=explain), None
    except RuleEvaluationError as exc:
        return None, f"{type(exc).__name__}: {exc}"


def diff_rulesets(
    old: RuleSet | Classifier,
    new: RuleSet | Classifier,
    records: Iterable[Mapping[str, object]],
    *,
    explain: bool = True,
) -> tuple[DecisionChange, ...]:
    """The records whose output changes from ``old`` to ``new``, in input order.

    A record that one ruleset classifies and the other cannot (a missing field, no
    match without a default) counts as a change; the error is kept as text.

    Args:
        old: the ruleset (or classifier) in force.
        new: the candidate.
        records: the records to classify with both.
        explain: attach both explanations to the changed decisions.

    Examples:
        >>> from countypolicing.rules import ruleset_from_data
        >>> def ruleset(cut: int) -> RuleSet:
        ...     return ruleset_from_data(
        ...         {
        ...             "ruleset": "demo",
        ...             "version": str(cut),
        ...             "fields": {"calls": "int"},
        ...             "output": {"name": "level", "values": ["high", "low"]},
        ...             "default": "low",
        ...             "rules": [
        ...                 {"id": "R1", "when": f"calls > {cut}", "then": "high"}
        ...             ],
        ...         }
        ...     )
        >>> changes = diff_rulesets(
        ...     ruleset(30), ruleset(20), [{"calls": 10}, {"calls": 25}, {"calls": 40}]
        ... )
        >>> [(c.index, c.summary()) for c in changes]
        [(1, 'low -> high')]

    Added in version 0.1.0.
    """
    clf_old = old if isinstance(old, Classifier) else compile_ruleset(old)
    clf_new = new if isinstance(new, Classifier) else compile_ruleset(new)
    changes = []
    for index, record in enumerate(records):
        d_old, e_old = _classify(clf_old, record, explain=False)
        d_new, e_new = _classify(clf_new, record, explain=False)
        if d_old is not None and d_new is not None:
            if _same(d_old.output, d_new.output):
                continue
        elif e_old == e_new:
            continue
        if explain:
            d_old, e_old = _classify(clf_old, record, explain=True)
            d_new, e_new = _classify(clf_new, record, explain=True)
        changes.append(
            DecisionChange(
                index=index,
                record=record,
                old=d_old,
                new=d_new,
                old_error=e_old,
                new_error=e_new,
            )
        )
    return tuple(changes)
