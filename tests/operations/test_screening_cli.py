"""``countypolicing classify`` (rank, roll-ups, campaign diffs) and ``countypolicing assess``."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from countypolicing._cli import EXIT_BAD_INPUT, EXIT_OK, main
from countypolicing._cli_rules import (
    classify_county,
    demo_text,
    format_classification,
)
from countypolicing.datasets import default_indicator_set, yueyanglou

Capture = pytest.CaptureFixture[str]


def _run(capsys: Capture, *argv: str) -> str:
    assert main(list(argv)) == EXIT_OK
    return capsys.readouterr().out


def test_classify_still_prints_the_classes(capsys: Capture) -> None:
    out = _run(capsys, "classify")
    assert out.splitlines()[0] == (
        "Community risk classes: class_1 4, class_2 35, class_3 68"
    )
    rows = list(
        csv.DictReader(io.StringIO(_run(capsys, "classify", "--format", "csv")))
    )
    assert len(rows) == 107
    assert rows[0]["community"] == "desheng"
    data = json.loads(_run(capsys, "classify", "--format", "json", "--explain"))
    assert data[0]["class"] == "class_1"
    assert "Decision: class_1" in data[0]["explanation"]


def test_rank_prints_positions_with_their_reasons(capsys: Capture) -> None:
    out = _run(capsys, "classify", "--rank", "--top", "2")
    lines = out.splitlines()
    assert lines[0].startswith("Ranking of 107 communities on 2020-09-15")
    assert lines[1].startswith(
        "   1. class_1 Yueyanglou sub-district sample community 01"
    )
    assert len(lines) == 3
    rows = json.loads(
        _run(capsys, "classify", "--rank", "--format", "json", "--lang", "zh")
    )
    assert [r["position"] for r in rows] == list(range(1, 108))
    assert rows[0]["reason"].startswith("1. 岳阳楼街道示例社区01")
    table = list(
        csv.DictReader(
            io.StringIO(_run(capsys, "classify", "--rank", "--format", "csv"))
        )
    )
    assert table[1]["community"] == "qiaotou"


def test_by_station_and_township_roll_the_ranking_up(capsys: Capture) -> None:
    out = _run(capsys, "classify", "--by", "station")
    assert out.splitlines()[1].startswith("Zhanqianlu police station")
    both = _run(
        capsys, "classify", "--rank", "--top", "1", "--by", "township", "--lang", "zh"
    )
    assert "站前路街道" in both
    rows = json.loads(_run(capsys, "classify", "--by", "township", "--format", "json"))
    assert len(rows) == 13
    assert rows[0]["class_1"] == 1


def test_a_scope_limits_the_screening(capsys: Capture) -> None:
    rows = json.loads(
        _run(capsys, "classify", "--rank", "--format", "json", "--scope", "guozhen")
    )
    assert len(rows) == 12
    assert {r["township"] for r in rows} == {"guozhen"}


def test_campaign_diff_compares_two_days_or_saved_screenings(
    capsys: Capture, tmp_path: Path
) -> None:
    out = _run(capsys, "classify", "--campaign-diff", "2020-07-01", "2020-09-15")
    assert out.splitlines()[0] == (
        "Screening 2020-07-01 -> 2020-09-15: 0 communities moved, 0 entered or left; "
        "3 risk points changed"
    )
    saved = tmp_path / "july.yaml"
    _run(capsys, "classify", "--as-of", "2020-07-01", "--save", str(saved))
    data = json.loads(
        _run(
            capsys,
            "classify",
            "--campaign-diff",
            str(saved),
            "2020-09-15",
            "--format",
            "json",
        )
    )
    assert [r["change"] for r in data["risks"]] == ["appeared", "appeared", "closed"]
    rows = list(
        csv.DictReader(
            io.StringIO(
                _run(
                    capsys,
                    "classify",
                    "--campaign-diff",
                    str(saved),
                    str(saved),
                    "--format",
                    "csv",
                )
            )
        )
    )
    assert rows == []


def test_bad_input_exits_2_with_a_located_message(
    capsys: Capture, tmp_path: Path
) -> None:
    assert (
        main(["classify", "--campaign-diff", "2020-01-01", "2020-09-15"])
        == EXIT_BAD_INPUT
    )
    err = capsys.readouterr().err
    assert "107 communities have no indicators dated on or before 2020-01-01" in err
    assert "communities[0]: community 'desheng'" in err
    _run(
        capsys,
        "classify",
        "--campaign-diff",
        "2020-01-01",
        "2020-09-15",
        "--missing-indicators",
        "zeros",
    )
    bad = tmp_path / "bad.yaml"
    bad.write_text("screening_format: 1\ncounty_id: 3\n", encoding="utf-8")
    assert (
        main(["classify", "--campaign-diff", str(bad), "2020-09-15"]) == EXIT_BAD_INPUT
    )
    assert f"{bad}:2:12: county_id: expected non-empty text" in capsys.readouterr().err
    assert main(["classify", "--scope", "nowhere"]) == EXIT_BAD_INPUT
    assert "no township with id 'nowhere'" in capsys.readouterr().err
    with pytest.raises(SystemExit):
        main(["classify", "--as-of", "15/09/2020"])
    assert main(["classify", "--rank", "--top", "-1"]) == EXIT_BAD_INPUT


def test_assess_scores_every_kind_of_subject(capsys: Capture, tmp_path: Path) -> None:
    out = _run(capsys, "assess")
    assert out.splitlines()[0] == (
        "Sub-districts and townships (county-policing-assessment 2020.1, 2020-09-15)"
    )
    assert "Police stations (county-policing-assessment" in out
    rows = json.loads(_run(capsys, "assess", "--by", "station", "--format", "json"))
    assert len(rows) == 14
    assert rows[0]["rank"] == 1
    assert {line["indicator"] for line in rows[0]["lines"]} == {
        i.id for i in default_indicator_set().indicators
    }
    flat = list(
        csv.DictReader(
            io.StringIO(_run(capsys, "assess", "--format", "csv", "--top", "1"))
        )
    )
    assert [r["kind"] for r in flat] == ["township", "department", "station"]
    own = tmp_path / "mine.yaml"
    own.write_text(
        "indicator_set: mine\nversion: '1'\nindicators:\n"
        "  - {id: r, name_zh: 管控, measure: risk_points_controlled, weight: 1}\n",
        encoding="utf-8",
    )
    out = _run(
        capsys, "assess", "--indicators", str(own), "--by", "department", "--lang", "zh"
    )
    assert out.splitlines()[0] == "职能部门 (mine 1, 2020-09-15)"
    own.write_text("indicator_set: mine\n", encoding="utf-8")
    assert main(["assess", "--indicators", str(own)]) == EXIT_BAD_INPUT
    assert f"{own}:1:1: version: required field is missing" in capsys.readouterr().err


def test_the_demo_hook_is_brief() -> None:
    text = demo_text(yueyanglou(), top=3, stations=4)
    lines = text.splitlines()
    assert len(lines) == 1 + 3 + 1 + 1 + 1 + 4
    assert lines[5] == "Police stations, the main battlefield (first 4 of 13)"
    zh = demo_text(yueyanglou(), lang="zh", top=1, stations=1)
    assert "各派出所（主战场），前 1 个（共 13 个）" in zh


def test_the_classification_helpers_keep_their_shape() -> None:
    county = yueyanglou()
    results = classify_county(county)
    assert len(results) == 107
    assert results[0][0] == "desheng"
    assert results[0][1].ruleset_id == "community-classification"
    text = format_classification(county, results, top=2, lang="zh")
    assert text.splitlines()[0] == "社区(村)风险类别：一类 4, 二类 35, 三类 68"
