"""`countypolicing.load_ruleset`: files, paths, text, and located errors."""

from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from countypolicing import load_ruleset
from countypolicing.exceptions import (
    ConfigError,
    LimitExceeded,
    RuleDefinitionError,
    RuleSetError,
    RuleSyntaxError,
    RuleTypeError,
)
from countypolicing.rules import RuleSet, compile_ruleset
from countypolicing.serialization._yaml import LoadLimits

GOOD = """\
ruleset: good
version: "2020.1"
title: 示例
effective: 2020-09-01
fields:
  calls: float
  kind: {enum: [urban, village]}
  key_persons: {type: int, optional: true}
output: {name: level, values: [red, orange, blue]}
hit_policy: first
default: blue
rules:
  - id: R1
    when: calls > 30 and kind == 'urban'
    then: red
    because: {zh: 警情多, en: many calls}
  - id: R2
    when:
      any:
        - calls > 20
        - all: [{not: {field: key_persons, op: is_missing}}, key_persons >= 3]
    then: orange
tests:
  - {name: busy, given: {calls: 31.0, kind: urban}, expect: red}
  - {name: watched, given: {calls: 1.0, kind: village, key_persons: 3}, expect: orange}
  - {name: quiet, given: {calls: 1.0, kind: village, key_persons: null}, expect: blue}
"""


def run_embedded_tests(rs: RuleSet) -> None:
    clf = compile_ruleset(rs)
    for case in rs.tests:
        assert str(clf.classify(dict(case.given)).output) == case.expect, case.name


def test_a_ruleset_loads_alike_from_a_path_string_a_path_and_text(
    tmp_path: Path,
) -> None:
    path = tmp_path / "rules.yaml"
    path.write_text(GOOD, encoding="utf-8")
    loaded = [load_ruleset(str(path)), load_ruleset(path), load_ruleset(GOOD)]
    assert loaded[0] == loaded[1] == loaded[2]
    assert len({rs.content_hash for rs in loaded}) == 1
    rs = loaded[0]
    assert (rs.id, rs.version, rs.title, str(rs.effective)) == (
        "good",
        "2020.1",
        "示例",
        "2020-09-01",
    )
    run_embedded_tests(rs)
    assert path.read_text(encoding="utf-8") == GOOD  # the input is left untouched


def test_a_yml_file_and_a_file_without_suffix_load_as_files(tmp_path: Path) -> None:
    for name in ("rules.yml", "rules"):
        path = tmp_path / name
        path.write_text(GOOD, encoding="utf-8")
        assert load_ruleset(str(path)).id == "good"


def test_a_missing_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.yaml"
    for source in (path, str(path)):
        with pytest.raises(ConfigError, match="cannot read the file") as info:
            load_ruleset(source)
        assert info.value.source == str(path)


def test_a_byte_order_mark_is_accepted_and_other_encodings_are_refused(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + GOOD.encode("utf-8"))
    assert load_ruleset(path).id == "good"
    path.write_bytes(GOOD.encode("utf-16"))
    with pytest.raises(ConfigError, match="not valid UTF-8"):
        load_ruleset(path)


def test_a_file_over_the_size_limit_is_refused_before_parsing(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    path.write_text(GOOD + "#" * 2000 + "\n", encoding="utf-8")
    with pytest.raises(LimitExceeded) as info:
        load_ruleset(path, limits=LoadLimits(max_bytes=1000))
    assert info.value.limit == "max_bytes"


# ---------------------------------------------------------------- every problem at once
BAD = """\
ruleset: many-problems
version: "1"
hitpolicy: first
fields:
  age: int
  kind: {enum: [a, b]}
output: {name: level, values: [high, mid, low]}
default: lowest
rules:
  - id: R1
    when: age.__class__ > 1
    then: high
  - id: R2
    when: "age > 1 and kind == 'c'"
    then: medium
  - id: R3
    when:
      all:
        - age > 2
        - {field: agee, op: ">", value: 3}
    then: low
  - id: R1
    when: age > 1
    thn: low
tests:
  - name: t
    given: {agee: 1}
    expect: high
"""
#: (line, column, path, rule id, type, message fragment, expression column)
BAD_PROBLEMS = [
    (3, 12, "hitpolicy", None, RuleSyntaxError, "unknown key 'hitpolicy'; did you mean 'hit_policy'?", None),
    (8, 10, "default", None, RuleTypeError, "'lowest' is not an output value (one of high, mid, low); did you mean 'low'?", None),
    (11, 11, "rules[0].when", "R1", RuleSyntaxError, "attribute access not allowed", 1),
    (14, 11, "rules[1].when", "R2", RuleTypeError, "'c' is not a value of kind (one of a, b)", 13),
    (15, 11, "rules[1].then", "R2", RuleTypeError, "'medium' is not an output value", None),
    (20, 11, "rules[2].when.all[1]", "R3", RuleTypeError, "unknown field 'agee'; did you mean 'age'?", None),
    (22, 9, "rules[3].id", "R1", RuleSyntaxError, "rule id 'R1' is used twice (first at rules[0])", None),
    (24, 10, "rules[3].thn", "R1", RuleSyntaxError, "unknown key 'thn'; did you mean 'then'?", None),
    (22, 5, "rules[3]", "R1", RuleSyntaxError, "the rule decides nothing", None),
    (27, 19, "tests[0].given.agee", None, RuleTypeError, "unknown field 'agee'; did you mean 'age'?", None),
]  # fmt: skip


def test_every_problem_of_a_bad_file_is_reported_at_once_with_file_line_and_column(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(BAD, encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    problems = info.value.problems
    found = [
        (
            p.location.line if p.location else None,
            p.location.column if p.location else None,
            p.location.path if p.location else None,
            p.rule_id,
            type(p),
            p.column,
        )
        for p in problems
    ]
    assert found == [(*row[:5], row[6]) for row in BAD_PROBLEMS]
    text = str(info.value)
    assert text.startswith("ruleset 'many-problems' has problems (10 problems)")
    for (line, column, where, rule_id, _, message, _), problem in zip(
        BAD_PROBLEMS, problems, strict=True
    ):
        assert message in problem.message
        rendered = f"{path}:{line}:{column}: {where}: "
        if rule_id is not None:
            rendered += f"rule {rule_id!r}: "
        assert str(problem).startswith(rendered)
        assert f"  - {problem}" in text
    assert path.read_text(encoding="utf-8") == BAD


def test_the_same_problems_come_from_text_with_the_source_named_text() -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(BAD)
    sources = {p.location.source for p in info.value.problems if p.location}
    assert sources == {"<text>"}
    assert len(info.value.problems) == len(BAD_PROBLEMS)


def test_a_rule_set_error_is_a_value_error_and_a_group_of_definition_errors() -> None:
    with pytest.raises(ValueError, match="has problems") as info:
        load_ruleset(BAD)
    assert isinstance(info.value, RuleSetError)
    assert all(isinstance(e, RuleDefinitionError) for e in info.value.exceptions)


def test_an_unknown_key_inside_a_rule_names_the_rule() -> None:
    with pytest.raises(RuleSetError) as info:
        load_ruleset(BAD)
    [problem] = [p for p in info.value.problems if "thn" in p.message]
    assert problem.rule_id == "R1"


def test_an_unknown_key_in_a_field_declaration_suggests_the_right_one() -> None:
    text = GOOD.replace("{type: int, optional: true}", "{type: int, optinal: true}")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(text)
    first = info.value.problems[0]
    assert "did you mean 'optional'?" in first.message
    assert first.location is not None
    assert first.location.path == "fields.key_persons.optinal"


UNKNOWN_KEYS = [
    (
        "hit_policy: first",
        "hit_polcy: first",
        "'hit_polcy'; did you mean 'hit_policy'?",
    ),
    ("default: blue", "defualt: blue", "'defualt'; did you mean 'default'?"),
    ("    then: red\n", "    than: red\n", "'than'; did you mean 'then'?"),
    ("    because: {zh", "    becuase: {zh", "'becuase'; did you mean 'because'?"),
    ("{name: busy, given:", "{name: busy, givn:", None),
    (
        "ruleset: good",
        "ruleset: good\nsubjekt: community",
        "'subjekt'; did you mean 'subject'?",
    ),
]


@pytest.mark.parametrize(("old", "new", "message"), UNKNOWN_KEYS)
def test_unknown_keys_are_refused_with_a_did_you_mean(
    old: str, new: str, message: str | None
) -> None:
    assert old in GOOD
    with pytest.raises(RuleSetError) as info:
        load_ruleset(GOOD.replace(old, new, 1))
    problems = info.value.problems
    assert problems
    assert all(p.location is not None and p.location.line for p in problems)
    if message is not None:
        assert any(f"unknown key {message}" in p.message for p in problems)


def test_unknown_matrix_keys_are_refused_with_a_did_you_mean() -> None:
    text = """\
ruleset: m
version: "1"
subject: risk_point
output: risk_level
matrix: {likelihood: likelihood, severity: severity, cutofs: {major: 20}, otherwise: low}
"""
    with pytest.raises(RuleSetError) as info:
        load_ruleset(text)
    messages = [p.message for p in info.value.problems]
    assert "unknown key 'cutofs'; did you mean 'cutoffs'?" in messages


# ---------------------------------------------------------------- YAML-level errors
YAML_ERRORS = {
    "duplicate key": (
        GOOD.replace("default: blue\n", "default: blue\ndefault: red\n"),
        "duplicate key 'default'",
    ),
    "duplicate key in a rule": (
        GOOD.replace("    then: red\n", "    then: red\n    then: blue\n"),
        "duplicate key 'then'",
    ),
    "python tag": (
        GOOD.replace(
            "when: calls > 30 and kind == 'urban'",
            "when: !!python/object/apply:os.system [id]",
        ),
        "tag '!!python/object/apply:os.system' is not allowed",
    ),
    "local tag": (
        GOOD.replace("default: blue", "default: !blue blue"),
        "tag '!blue' is not allowed",
    ),
    "merge key": (
        GOOD.replace("default: blue", "base: &b {x: 1}\nother:\n  <<: *b"),
        "merge",
    ),
    "two documents": (GOOD + "---\nruleset: second\n", "document"),
    "not a mapping": ("- ruleset: good\n", "a rule file is a mapping"),
    "empty": ("\n", "empty"),
    "bad indentation": (GOOD.replace("    then: red", "   then: red"), ""),
}


@pytest.mark.parametrize("case", YAML_ERRORS.values(), ids=YAML_ERRORS.keys())
def test_yaml_level_problems_are_located_config_errors(case: tuple[str, str]) -> None:
    text, message = case
    with pytest.raises(ConfigError) as info:
        load_ruleset(text)
    error = info.value
    assert message in error.message
    assert error.source == "<text>"
    assert error.line is not None
    assert error.column is not None
    assert str(error).startswith(f"<text>:{error.line}:{error.column}")


def test_yaml_1_1_look_alikes_stay_text() -> None:
    text = """\
ruleset: yes-no
version: 1.2
fields: {answer: {enum: ["yes", "no", "on", "off"]}}
output: {name: o, values: [yes, no, on, off]}
default: no
rules:
  - {id: R1, when: "answer == 'on'", then: off}
"""
    rs = load_ruleset(text)
    assert rs.version == "1.2"  # a bare number, meant as text
    assert rs.default == "no"
    assert rs.output is not None
    assert rs.output.values == ("yes", "no", "on", "off")
    clf = compile_ruleset(rs)
    assert clf.classify({"answer": "on"}).output == "off"
    assert clf.classify({"answer": "yes"}).output == "no"


def test_an_unquoted_version_keeps_its_trailing_zero() -> None:
    # YAML reads `2020.10` as the float 2020.1: the loader keeps the text as written
    rs = load_ruleset(GOOD.replace('version: "2020.1"', "version: 2020.10"))
    assert rs.version == "2020.10"


def test_an_unquoted_whole_number_version_is_read_as_text() -> None:
    rs = load_ruleset(GOOD.replace('version: "2020.1"', "version: 3"))
    assert rs.version == "3"
