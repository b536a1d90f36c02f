"""The command line: exit codes, located messages, the demo summary."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from countypolicing._cli import EXIT_BAD_INPUT, EXIT_OK, main

GOOD = "schema_version: 1\ncounty: {id: demo, name_zh: 示例区}\n"
BAD = GOOD + "townships:\n  - {id: t1, name_zh: 街道, kind: nowhere}\n"


def test_demo_prints_a_real_summary_of_the_bundled_county(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["demo"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "Yueyanglou District" in out
    assert "107 communities" in out
    for heading in (
        "Communities per police station",
        "Communities per sub-district/township",
        "Organisations by kind",
        "Risk points by theme",
        "Disputes by status",
        "Tasks by status",
    ):
        assert heading in out
    assert "not facts about Yueyanglou" in out


def test_demo_speaks_chinese_when_asked(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["demo", "--lang", "zh"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "岳阳楼区" in out
    assert "各派出所辖社区(村)数" in out


def test_validate_accepts_a_good_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_OK
    assert "valid: county 'demo'" in capsys.readouterr().out


def test_validate_exits_2_with_file_line_column_and_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BAD, encoding="utf-8")
    assert main(["validate", str(path)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert f"{path}:4:33: townships[0].kind: string 'nowhere' is not one of" in err


def test_validate_reports_json_for_machines(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(BAD, encoding="utf-8")
    assert main(["validate", str(path), "--format", "json"]) == EXIT_BAD_INPUT
    report = json.loads(capsys.readouterr().out)
    assert report["valid"] is False
    (problem,) = report["problems"]
    assert (problem["line"], problem["path"]) == (4, "townships[0].kind")


def test_validate_a_missing_path_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["validate", str(tmp_path / "nope.yaml")]) == EXIT_BAD_INPUT
    assert "nope.yaml" in capsys.readouterr().err


def test_schema_prints_json_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "county"]) == EXIT_OK
    schema = json.loads(capsys.readouterr().out)
    assert schema["title"] == "countypolicing county file"


def test_unknown_commands_and_options_exit_2() -> None:
    with pytest.raises(SystemExit) as info:
        main(["nope"])
    assert info.value.code == EXIT_BAD_INPUT


def test_the_module_and_the_script_run() -> None:
    out = subprocess.run(
        [sys.executable, "-m", "countypolicing", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "countypolicing demo" in out.stdout


def test_a_closed_pipe_ends_quietly() -> None:
    proc = subprocess.Popen(
        [sys.executable, "-m", "countypolicing", "schema", "county"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert proc.stdout is not None
    proc.stdout.read(10)
    proc.stdout.close()
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == EXIT_OK
    assert b"Traceback" not in err
