"""``countypolicing graph``: gaps, who is responsible, exports, exit codes."""

from __future__ import annotations

import argparse
import io
import json
from pathlib import Path

import networkx as nx
import pytest

from countypolicing import _cli_graph
from countypolicing._cli_graph import (
    EXIT_BAD_INPUT,
    EXIT_FINDINGS,
    EXIT_OK,
    gaps_report,
    main,
    register,
)
from countypolicing.datasets import yueyanglou
from countypolicing.graph import responsibility_gaps
from countypolicing.model import County
from countypolicing.serialization import save_county

BUNDLED = "bundled:yueyanglou"


def test_register_adds_a_graph_subcommand_with_a_handler() -> None:
    parser = argparse.ArgumentParser()
    register(parser.add_subparsers(dest="command"))
    args = parser.parse_args(["graph", BUNDLED, "--gaps"])
    assert args.handler is _cli_graph._cmd_graph
    assert (args.path, args.gaps, args.lang) == (BUNDLED, True, "en")


def test_gaps_of_the_bundled_county_exit_1_and_list_them(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", BUNDLED, "--gaps"]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert out.startswith("Responsibility gaps: 15\n")
    assert "mechanism joint_emergency 应急事件联处: no lead organisation" in out


def test_gaps_in_chinese(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", BUNDLED, "--gaps", "--lang", "zh"]) == EXIT_FINDINGS
    assert capsys.readouterr().out.startswith("责任缺口：15 项\n")


def test_a_county_without_gaps_exits_0(
    county: County, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    covered = County(id="tiny", name_zh="小区")
    path = save_county(covered, tmp_path / "tiny.yaml")
    assert main(["graph", str(path), "--gaps"]) == EXIT_OK
    assert capsys.readouterr().out == "No responsibility gaps.\n"
    path = save_county(county, tmp_path / "demo")
    assert main(["graph", str(path), "--gaps"]) == EXIT_FINDINGS


def test_gaps_can_be_limited_to_one_community(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", BUNDLED, "--gaps", "--community", "qiaotou"]) == EXIT_FINDINGS
    out = capsys.readouterr().out
    assert "rp14" in out
    assert "rp01" not in out


def test_who_lists_the_three_responsibilities_with_names(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", BUNDLED, "--who", "rp10"]) == EXIT_OK
    out = capsys.readouterr().out.splitlines()
    assert out[0].startswith("rp10 桥头社区铁路沿线行人穿越")
    assert "territorial (属地责任):" in out
    assert "  - qiaotou-rc  桥头社区居民委员会" in out
    assert "  - railway-unit-01  铁路示例工务单位01" in out


def test_who_shows_gaps_exemptions_and_overrides(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", BUNDLED, "--who", "rp34", "--lang", "zh"]) == EXIT_OK
    out = capsys.readouterr().out
    assert "免除" in out
    assert "（无：责任缺口）" in out
    assert main(["graph", BUNDLED, "--who", "rp19"]) == EXIT_OK
    assert "supervisor override: 网吧属文化市场经营场所" in capsys.readouterr().out


def test_an_unknown_risk_point_is_bad_input(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", BUNDLED, "--who", "rp999"]) == EXIT_BAD_INPUT
    assert "no node 'risk:rp999'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "fmt", ["graphml", "gexf", "json", "cytoscape", "dot", "mermaid"]
)
def test_text_exports_are_written_to_a_file(
    fmt: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / f"out.{fmt}"
    args = ["graph", BUNDLED, "--community", "desheng", "--export", fmt]
    assert main([*args, "-o", str(target)]) == EXIT_OK
    assert "written to" in capsys.readouterr().err
    assert main(args) == EXIT_OK
    assert capsys.readouterr().out == target.read_text(encoding="utf-8")


def test_a_graphml_export_of_the_whole_county_reads_back(tmp_path: Path) -> None:
    target = tmp_path / "county.graphml"
    assert main(["graph", BUNDLED, "--export", "graphml", "-o", str(target)]) == 0
    back = nx.read_graphml(target, force_multigraph=True)
    assert len(responsibility_gaps(back)) == 15


def test_a_json_export_reads_back(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["graph", BUNDLED, "--export", "json"]) == EXIT_OK
    back = nx.node_link_graph(json.load(io.StringIO(capsys.readouterr().out)))
    assert "risk:rp10" in back


def test_a_png_export_needs_a_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", BUNDLED, "--export", "png"]) == EXIT_BAD_INPUT
    assert "needs -o FILE" in capsys.readouterr().err
    pytest.importorskip("matplotlib")
    target = tmp_path / "desheng.png"
    args = ["graph", BUNDLED, "--community", "desheng", "--export", "png"]
    assert main([*args, "-o", str(target)]) == EXIT_OK
    assert target.read_bytes().startswith(b"\x89PNG")


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["--export", "json", "--gaps"], "cannot be combined"),
        (["-o", "x.json"], "needs --export"),
        (["--community", "nowhere", "--export", "dot"], "no node 'community:nowhere'"),
    ],
)
def test_option_mistakes_are_bad_input(
    argv: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", BUNDLED, *argv]) == EXIT_BAD_INPUT
    assert message in capsys.readouterr().err


def test_an_unknown_bundled_county_or_missing_file_is_bad_input(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["graph", "bundled:atlantis", "--gaps"]) == EXIT_BAD_INPUT
    assert "unknown bundled county; use one of bundled:yueyanglou" in (
        capsys.readouterr().err
    )
    assert main(["graph", str(tmp_path / "nope.yaml")]) == EXIT_BAD_INPUT
    assert "nope.yaml" in capsys.readouterr().err


def test_an_invalid_county_file_reports_file_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        "schema_version: 1\ncounty: {id: demo, name_zh: 示例区}\n"
        "townships:\n  - {id: t1, name_zh: 街道, kind: nowhere}\n",
        encoding="utf-8",
    )
    assert main(["graph", str(path), "--gaps"]) == EXIT_BAD_INPUT
    assert f"{path}:4:" in capsys.readouterr().err


def test_without_options_it_summarises_the_graph(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main(["graph", BUNDLED]) == EXIT_OK
    out = capsys.readouterr().out
    assert out.startswith("county 'yueyanglou' (岳阳楼区): ")
    assert "territorial_for" in out
    assert "gaps: 15" in out


def test_the_demo_hook_formats_the_gaps_of_a_county() -> None:
    text = gaps_report(yueyanglou(), lang="zh")
    assert text.startswith("责任缺口：15 项")
    assert gaps_report(County(id="x", name_zh="空")) == "No responsibility gaps."
