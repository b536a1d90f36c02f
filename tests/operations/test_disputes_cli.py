"""``countypolicing disputes route|status|metrics``: output, exit codes, bad input."""

from __future__ import annotations

import argparse
import json
from datetime import date
from pathlib import Path

import attrs
import pytest

from countypolicing import _cli_disputes
from countypolicing._cli_disputes import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    demo_text,
    main,
    register,
)
from countypolicing.datasets import yueyanglou
from countypolicing.model import County
from countypolicing.serialization import save_county

BUNDLED = "bundled:yueyanglou"


def test_register_adds_the_disputes_command_with_a_handler() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["disputes", "status", "--as-of", "2020-09-15"])
    assert args.handler is _cli_disputes._handle
    assert args.disputes_handler is _cli_disputes._cmd_status
    assert (args.county, args.as_of, args.lang, args.format) == (
        BUNDLED,
        date(2020, 9, 15),
        "en",
        "table",
    )


# ---------------------------------------------------------------- route
def test_routing_the_bundled_county_finds_missing_handlers(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["disputes", "route"]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert out.startswith(
        "lengshuipu-construction-cracks -> housing_and_committee "
        "(rule D2-construction-damage: "
    )
    assert "note: qiaotou has no grassroots committee" in out


def test_routing_one_dispute_with_its_explanation(
    capsys: pytest.CaptureFixture[str],
) -> None:
    code = main(["disputes", "route", "--dispute", "dispute-01", "--explain"])
    assert code == EXIT_OK
    out = capsys.readouterr().out
    assert "dispute-01 -> stationed_mediator (rule D4-simple-civil-from-police" in out
    assert "handler: Zhanqianlu sub-district judicial office" in out
    assert (
        "    Decision: stationed_mediator (ruleset dispute-routing, first match)" in out
    )


def test_routing_as_json_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["disputes", "route", "--dispute", "dispute-13", "--format", "json"]
    assert main([*args, "--lang", "zh", "--explain"]) == EXIT_OK
    [row] = json.loads(capsys.readouterr().out)
    assert row["route"] == "scenic_joint_team"
    assert row["channel"] == "public_security"
    assert row["handler"] == "岳阳楼派出所"
    assert row["team_id"] == "yueyanglou-scenic-patrol"
    assert row["resolved"] is True
    assert row["explanation"].startswith("结论：scenic_joint_team")


def test_routing_with_a_ruleset_that_is_not_about_routes_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "bad.yaml"
    rules.write_text(
        "ruleset: bad\nversion: '1'\nsubject: dispute\n"
        "output: mediation_channel\ndefault: peoples\n"
        "rules:\n  - {id: R1, when: escalation_risk, then: public_security}\n",
        encoding="utf-8",
    )
    assert main(["disputes", "route", "--rules", str(rules)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: output: ruleset 'bad' does not decide dispute routes")


def test_a_broken_ruleset_file_lists_its_problems(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rules = tmp_path / "broken.yaml"
    rules.write_text(
        "ruleset: broken\nversion: '1'\nsubject: dispute\n", encoding="utf-8"
    )
    assert main(["disputes", "route", "--rules", str(rules)]) == EXIT_BAD_INPUT
    err = capsys.readouterr().err
    assert err.startswith("error: ")
    assert "\n  " in err


def test_an_unknown_dispute_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disputes", "route", "--dispute", "dispute-1"]) == EXIT_BAD_INPUT
    assert (
        capsys.readouterr().err
        == "error: no dispute with id 'dispute-1'; did you mean 'dispute-31'?\n"
    )


# ---------------------------------------------------------------- status
def test_status_lists_every_clock_and_flags_the_overdue(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["disputes", "status", "--as-of", "2020-09-15"]) == EXIT_FINDINGS
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "Dispute clocks as of 2020-09-15"
    assert "judicial_confirmation: expired (due 2020-09-12, 3 days past)" in lines[1]
    assert lines[-1].startswith("overdue: dispute-11, dispute-15")


def test_status_of_one_dispute_shows_its_history(
    capsys: pytest.CaptureFixture[str],
) -> None:
    args = ["disputes", "status", "--dispute", "lengshuipu-construction-cracks"]
    assert main(args) == EXIT_OK  # as of the county's own day, 2020-09-15
    assert capsys.readouterr().out.splitlines() == [
        "2020-08-13 reported (origin: unknown) at community level",
        "2020-08-13 accept",
        (
            "2020-08-13 assign: channel=unknown, handler_id=sample-ps-01, "
            "mediator_ids=p-lengshuipu-cpo"
        ),
        "2020-08-13 agree: agreement=written agreement of 2020-08-13",
        "now: agreed at community level",
        "Clocks as of 2020-09-15",
        "  mediation: met (due 2020-09-13)",
        "  judicial_confirmation: expired (due 2020-09-12, 3 days past)",
    ]


def test_status_on_an_earlier_day_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["disputes", "status", "--dispute", "lengshuipu-construction-cracks"]
    assert main([*args, "--as-of", "2020-09-01", "--format", "json"]) == EXIT_OK
    out = json.loads(capsys.readouterr().out)
    [row] = out["disputes"]
    assert row["timers"]["judicial_confirmation"] == {
        "state": "running",
        "started_on": "2020-08-13",
        "due_on": "2020-09-12",
        "stopped_on": None,
        "days_left": 11,
    }
    assert len(row["history"]) == 3
    assert main([*args, "--as-of", "2020-08-01"]) == EXIT_OK  # not reported yet
    assert capsys.readouterr().out == ""


def test_status_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert (
        main(["disputes", "status", "--lang", "zh", "--dispute", "dispute-11"])
        == EXIT_FINDINGS
    )
    out = capsys.readouterr().out
    assert "调解期限：已超期" in out
    assert out.splitlines()[-1] == "超期：dispute-11"


def test_a_county_without_a_day_needs_as_of(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    county: County = attrs.evolve(yueyanglou(), as_of=None)
    path = save_county(county, tmp_path / "c")
    assert main(["disputes", "metrics", str(path)]) == EXIT_BAD_INPUT
    assert "give --as-of YYYY-MM-DD" in capsys.readouterr().err
    assert main(["disputes", "metrics", str(path), "--as-of", "2020-09-15"]) == EXIT_OK


def test_a_bad_date_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as info:
        main(["disputes", "status", "--as-of", "2020-02-30"])
    assert info.value.code == EXIT_BAD_INPUT
    assert "expected a date YYYY-MM-DD, got '2020-02-30'" in capsys.readouterr().err


def test_an_unreadable_county_exits_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "county.yaml"
    bad.write_text("schema_version: 1\ncounty: {id: x}\n", encoding="utf-8")
    assert main(["disputes", "metrics", str(bad)]) == EXIT_BAD_INPUT
    assert capsys.readouterr().err.startswith("error: ")


# ---------------------------------------------------------------- metrics
def test_metrics_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    args = ["disputes", "metrics", "--as-of", "2020-09-15", "--format", "json"]
    assert main([*args, "--hours-per-dispute", "3"]) == EXIT_OK
    m = json.loads(capsys.readouterr().out)
    assert (m["total"], m["resolved"], m["diverted_from_police"]) == (33, 17, 2)
    assert (m["hours_per_dispute"], m["police_hours_diverted"]) == (3.0, 6.0)
    assert m["hours_per_dispute_is_assumption"] is True
    assert m["closed_at_level"] == {
        "grid": 2,
        "community": 12,
        "sub_district": 3,
        "district": 0,
    }


def test_metrics_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["disputes", "metrics", "--lang", "zh"]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("矛盾纠纷（截至 2020-09-15）：共 33 件")
    assert "小事不出村 82%" in out


# ---------------------------------------------------------------- demo
def test_the_demo_shows_the_lengshuipu_history_and_the_metrics() -> None:
    text = demo_text(yueyanglou())
    lines = text.splitlines()
    assert lines[:2] == ["Grand mediation (大调解)", "The Lengshuipu dispute:"]
    assert "  2020-08-13 agree: agreement=written agreement of 2020-08-13" in lines
    assert "  judicial_confirmation: expired (due 2020-09-12, 3 days past)" in lines
    assert lines[-5].startswith("Disputes as of 2020-09-15: 33 reported")
    assert len(lines) <= 15
    zh = demo_text(yueyanglou(), lang="zh", as_of=date(2020, 9, 1))
    assert "冷水铺社区纠纷：" in zh
    assert "司法确认申请期：计时中（期限 2020-09-12，剩 11 天）" in zh


def test_the_demo_of_a_county_without_the_lengshuipu_dispute() -> None:
    county = yueyanglou()
    other = attrs.evolve(
        county,
        disputes=[d for d in county.disputes if not d.id.startswith("lengshuipu")],
    )
    text = demo_text(other)
    assert "Lengshuipu" not in text
    assert "32 reported" in text
    with pytest.raises(ValueError, match="no as_of date"):
        demo_text(attrs.evolve(other, as_of=None))
