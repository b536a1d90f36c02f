"""``countypolicing rules check|test|diff|explain|jsonlogic``: output and exit codes."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from countypolicing import _cli, _cli_ruletools
from countypolicing.datasets import default_ruleset

EXIT_OK, EXIT_FINDINGS, EXIT_BAD_INPUT = 0, 1, 2

GOOD = """\
ruleset: demo
version: "1"
fields:
  calls: float
  disputes: int
  kind: {enum: [urban, village]}
  key_persons: {type: int, optional: true}
output: {name: level, values: [high, mid, low]}
hit_policy: first
default: low
monotone: {increasing: [calls, disputes]}
rules:
  - {id: R1, when: calls > 30 and disputes >= 5, then: high}
  - {id: R2, when: calls > 20 or kind == 'urban', then: mid}
tests:
  - {name: busy, given: {calls: 35.0, disputes: 6, kind: village}, expect: high}
  - {name: quiet, given: {calls: 5.0, disputes: 0, kind: village}, expect: low}
"""

SHADOWED = GOOD.replace(
    "  - {id: R2,",
    "  - {id: R3, when: calls > 40 and disputes >= 9, then: mid}\n  - {id: R2,",
)


@pytest.fixture(autouse=True)
def _wired(monkeypatch: pytest.MonkeyPatch) -> None:
    """Use the real `main`, with `rules` registered whether or not it is wired yet."""
    if _cli_ruletools.register not in _cli._SUBCOMMANDS:
        monkeypatch.setattr(
            _cli, "_SUBCOMMANDS", (*_cli._SUBCOMMANDS, _cli_ruletools.register)
        )


def write(tmp_path: Path, name: str, text: str) -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_check_passes_a_clean_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert _cli.main(["rules", "check", path]) == EXIT_OK
    out = capsys.readouterr().out
    assert "0 findings" in out
    assert "monotone increasing calls: holds (proven)" in out


def test_check_exits_1_with_a_readable_report_and_counterexample(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.yaml", SHADOWED)
    assert _cli.main(["rules", "check", path]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert "1 finding" in out
    assert (
        "shadowed: rule R3 never decides: every record it matches is decided by R1"
        in out
    )
    assert "counterexample: {calls: 40.00000000000001, disputes: 9" in out


def test_check_speaks_json_and_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "bad.yaml", SHADOWED)
    assert (
        _cli.main(["rules", "check", path, "--format", "json", "--lang", "zh"])
        == EXIT_FINDINGS
    )
    data = json.loads(capsys.readouterr().out)
    assert data["ok"] is False
    (finding,) = data["findings"]
    assert finding["kind"] == "shadowed"
    assert finding["rules"] == ["R3", "R1"]
    assert finding["message"].startswith("被遮蔽：规则 R3")
    assert finding["counterexample"]["disputes"] == 9


def test_check_reports_a_broken_file_with_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "broken.yaml", GOOD.replace("calls > 30", "calss > 30"))
    assert _cli.main(["rules", "check", path]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"{path}:13:20: rules[0].when: rule 'R1'" in err
    assert "unknown field 'calss'; did you mean 'calls'?" in err


def test_check_of_a_missing_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert _cli.main(["rules", "check", str(tmp_path / "nope.yaml")]) == EXIT_BAD_INPUT
    assert "nope.yaml" in capsys.readouterr().err


def test_test_runs_the_embedded_tests_and_lists_uncovered_rules(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert _cli.main(["rules", "test", path]) == EXIT_OK
    out = capsys.readouterr().out
    assert "2 tests, 2 passed, 0 failed" in out
    assert "PASS busy: high (R1)" in out
    assert "rules no test hits: R2" in out
    assert _cli.main(["rules", "test", path, "--require-coverage"]) == EXIT_FINDINGS


def test_test_exits_1_on_a_failing_test(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "f.yaml", GOOD.replace("expect: low", "expect: mid"))
    assert _cli.main(["rules", "test", path, "--lang", "zh"]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert "失败 quiet: 期望 mid，实际 low（默认值）" in out


def test_test_reports_a_record_that_cannot_be_classified(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(
        tmp_path,
        "f.yaml",
        GOOD.replace("{calls: 5.0, disputes: 0, kind: village}", "{disputes: 0}"),
    )
    assert _cli.main(["rules", "test", path]) == EXIT_FINDINGS
    assert "FAIL quiet: expected low, RuleEvaluationError" in capsys.readouterr().out


def test_shipped_rulesets_pass_their_tests_with_full_coverage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    from importlib.resources import files  # noqa: PLC0415

    rules_dir = Path(str(files("countypolicing.datasets").joinpath("rules")))
    for name in ("community-classification", "risk-point-grading"):
        default_ruleset(name)
        path = str(rules_dir / f"{name}.yaml")
        assert _cli.main(["rules", "test", path, "--require-coverage"]) == EXIT_OK
    capsys.readouterr()


def test_diff_shows_changed_records_with_both_explanations(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", GOOD)
    new = write(tmp_path, "new.yaml", GOOD.replace("calls > 30", "calls > 25"))
    data = write(
        tmp_path,
        "data.csv",
        "id,calls,disputes,kind,key_persons\n"
        "c1,28.0,6,village,\n"
        "c2,35,6,urban,3\n"
        "c3,1,0,village,\n",
    )
    assert _cli.main(["rules", "diff", old, new, "--data", data]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert "3 records, 1 with a changed output" in out
    assert "c1 (line 2): mid -> high" in out
    assert "old:" in out
    assert "decided by rule R2" in out
    assert "decided by rule R1" in out
    assert _cli.main(["rules", "diff", old, old, "--data", data]) == EXIT_OK


def test_diff_reads_yaml_and_json_and_reports_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", GOOD)
    new = write(tmp_path, "new.yaml", GOOD.replace("calls > 30", "calls > 25"))
    yaml_data = write(
        tmp_path,
        "data.yaml",
        "records:\n  - {id: c1, calls: 28.0, disputes: 6, kind: village}\n",
    )
    assert (
        _cli.main(["rules", "diff", old, new, "--data", yaml_data, "--format", "json"])
        == EXIT_FINDINGS
    )
    report = json.loads(capsys.readouterr().out)
    (change,) = report["changed"]
    assert change["record"] == "c1 (line 2)"
    assert change["old"]["output"] == "mid"
    assert change["new"]["output"] == "high"
    assert "decided by rule R1" in change["new"]["explanation"]
    json_data = write(
        tmp_path, "data.json", '[{"calls": 28, "disputes": 6, "kind": "village"}]'
    )
    assert _cli.main(["rules", "diff", old, new, "--data", json_data]) == EXIT_FINDINGS
    assert "#0: mid -> high" in capsys.readouterr().out


def test_diff_reports_a_bad_cell_with_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = write(tmp_path, "old.yaml", GOOD)
    data = write(tmp_path, "data.csv", "id,calls,disputes,kind\nc1,28.0,many,village\n")
    assert _cli.main(["rules", "diff", old, old, "--data", data]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert (
        f"{data}:2:3: disputes: expected a whole number for disputes, got 'many'" in err
    )


def test_diff_of_parquet_without_pyarrow_says_which_extra(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    import sys  # noqa: PLC0415

    monkeypatch.setitem(sys.modules, "pyarrow", None)
    old = write(tmp_path, "old.yaml", GOOD)
    data = tmp_path / "data.parquet"
    data.write_bytes(b"PAR1")
    assert _cli.main(["rules", "diff", old, old, "--data", str(data)]) == EXIT_BAD_INPUT
    assert "countypolicing[pandas]" in capsys.readouterr().err


def test_explain_takes_key_value_pairs_typed_by_the_schema(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    argv = [
        "rules",
        "explain",
        path,
        "--record",
        "calls=35",
        "disputes=6",
        "kind=urban",
    ]
    assert _cli.main(argv) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith(
        "Decision: high (ruleset demo, first match), decided by rule R1."
    )
    assert "calls=35.0" in out


def test_explain_takes_json_and_speaks_chinese(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    record = '{"calls": 3.0, "disputes": 0, "kind": "village"}'
    assert (
        _cli.main(["rules", "explain", path, "--record", record, "--lang", "zh"])
        == EXIT_OK
    )
    assert "无规则命中，取默认值" in capsys.readouterr().out


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (["calss=3"], "unknown field 'calss'; did you mean 'calls'?"),
        (["kind=town"], "'town' is not one of urban, village"),
        (["calls"], "expected KEY=VALUE"),
        (["{not json"], "not a JSON object"),
        (["disputes=1.5"], "expected a whole number"),
    ],
)
def test_explain_refuses_a_bad_record(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], record: list[str], message: str
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert _cli.main(["rules", "explain", path, "--record", *record]) == EXIT_BAD_INPUT
    assert message in capsys.readouterr().err


def test_explain_of_a_record_missing_a_field_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert (
        _cli.main(["rules", "explain", path, "--record", "calls=35"]) == EXIT_BAD_INPUT
    )
    assert "disputes" in capsys.readouterr().err


def test_explain_of_an_undecidable_record_exits_1(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "nodefault.yaml", GOOD.replace("default: low\n", ""))
    argv = [
        "rules",
        "explain",
        path,
        "--record",
        "calls=1",
        "disputes=0",
        "kind=village",
    ]
    assert _cli.main(argv) == EXIT_FINDINGS
    assert "NoMatchError" in capsys.readouterr().err


def test_jsonlogic_exports_every_rule(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "good.yaml", GOOD)
    assert _cli.main(["rules", "jsonlogic", path]) == EXIT_OK
    data = json.loads(capsys.readouterr().out)
    assert data["R2"] == {
        "or": [{">": [{"var": "calls"}, 20]}, {"==": [{"var": "kind"}, "urban"]}]
    }
