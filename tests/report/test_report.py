"""The battle-chart HTML report: self-contained, escaped, bilingual, deterministic."""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path

import attrs
import pytest

pytest.importorskip("matplotlib", reason="the report needs the 'report' extra")

from countypolicing import _cli_report
from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import ModelError
from countypolicing.model import County
from countypolicing.report import (
    LANGS,
    REPORT_FILENAME,
    build_report,
    write_demo_report,
    write_report,
)
from countypolicing.report._build import _SHORT_SCENARIO
from countypolicing.simulation import compare, run, scenario_from_data

HOSTILE = "<script>alert(1)</script>"
SECTIONS = ("tiles", "ranking", "gaps", "tasks", "disputes", "simulation")


@pytest.fixture(scope="module")
def county() -> County:
    return yueyanglou()


@pytest.fixture(scope="module")
def both(county: County) -> str:
    return build_report(county, lang="both")


@pytest.fixture(scope="module")
def hostile() -> County:
    county = yueyanglou()
    first, *rest = county.communities
    station = county.station_for(first.id)
    assert station is not None
    stations = tuple(
        attrs.evolve(s, name_zh=HOSTILE, name_en=f'"{HOSTILE}&')
        if s.id == station.id
        else s
        for s in county.police_stations
    )
    return attrs.evolve(
        county,
        name_en=HOSTILE,
        communities=(attrs.evolve(first, name_zh=HOSTILE, name_en=HOSTILE), *rest),
        police_stations=stations,
    )


class _Checker(HTMLParser):
    """Collects tags, ids and the attributes that could load something."""

    VOID = frozenset(
        [
            "area",
            "base",
            "br",
            "col",
            "embed",
            "hr",
            "img",
            "input",
            "link",
            "meta",
            "source",
            "track",
            "wbr",
        ]
    )

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: list[str] = []
        self.stack: list[str] = []
        self.problems: list[str] = []
        self.scripts = 0
        self.loads: list[str] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        names = dict(attrs)
        if "id" in names and names["id"] is not None:
            self.ids.append(names["id"])
        if tag == "script":
            self.scripts += 1
        for key in ("src", "href", "xlink:href", "action", "data"):
            value = names.get(key)
            if value is not None and not value.startswith("#"):
                self.loads.append(f"{tag} {key}={value}")
        if tag not in self.VOID:
            self.stack.append(tag)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs)
        if tag not in self.VOID:
            self.stack.pop()

    def handle_endtag(self, tag: str) -> None:
        if not self.stack or self.stack[-1] != tag:
            self.problems.append(f"unbalanced </{tag}> (open: {self.stack[-3:]})")
            return
        self.stack.pop()

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _check(page: str) -> _Checker:
    checker = _Checker()
    checker.feed(page)
    checker.close()
    return checker


def test_the_page_is_well_formed_html5_with_unique_ids(both: str) -> None:
    assert both.startswith("<!DOCTYPE html>\n<html lang=")
    checker = _check(both)
    assert checker.problems == []
    assert checker.stack == []
    assert len(checker.ids) == len(set(checker.ids))
    assert set(SECTIONS) <= set(checker.ids)


def test_the_page_needs_nothing_from_the_network_or_disk(both: str) -> None:
    checker = _check(both)
    assert checker.scripts == 0
    assert checker.loads == []
    assert "<script" not in both
    assert "<link" not in both
    assert "@import" not in both
    assert "url(http" not in both
    assert not re.search(r"""(?:src|href)\s*=\s*["']?(?:https?:|//|file:)""", both)
    assert "http://" not in both
    assert "https://" not in both
    assert "<?xml" not in both


def test_plots_are_inline_svg(both: str) -> None:
    assert both.count("<svg ") == 3
    for prefix in ("fig-classes", "fig-burndown", "fig-simulation"):
        assert f'aria-label="{prefix}"' in both


def test_hostile_names_are_escaped(hostile: County) -> None:
    for lang in LANGS:
        page = build_report(hostile, lang=lang, simulate=False)
        assert HOSTILE not in page
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
        checker = _check(page)
        assert checker.scripts == 0
        assert checker.problems == []


@pytest.mark.parametrize(
    ("lang", "present", "absent"),
    [
        ("en", "Responsibility gaps", "责任缺口"),
        ("zh", "责任缺口", "Responsibility gaps"),
    ],
)
def test_one_language_renders_only_that_language(
    county: County, lang: str, present: str, absent: str
) -> None:
    page = build_report(county, lang=lang, simulate=False)  # type: ignore[arg-type]  # a Lang
    assert present in page
    assert absent not in page
    assert 'id="lang-zh"' not in page


def test_both_languages_come_with_a_css_only_toggle(both: str) -> None:
    assert "Responsibility gaps" in both
    assert "责任缺口" in both
    assert 'id="lang-zh"' in both
    assert 'id="lang-en"' in both
    assert "#lang-en:checked~.page .zh" in both
    assert "#lang-zh:checked~.page .en" in both


def test_the_ranking_shows_the_deciding_rule_and_its_reason(both: str) -> None:
    assert "C1-major-risk" in both
    assert "it has a major risk point" in both
    assert "存在重大风险点" in both


def test_overdue_tasks_show_their_supervision_level(both: str) -> None:
    assert re.search(r'class="badge sv-(normal|yellow|red)"', both)


def test_the_simulation_shows_intervals(both: str) -> None:
    section = both[both.index('id="simulation"') :]
    assert "stationed-mediator" in section
    assert re.search(r"\[-?[\d,.]+, -?[\d,.]+\]", section)


def test_same_inputs_give_identical_bytes(county: County, both: str) -> None:
    assert build_report(county, lang="both") == both


def test_a_precomputed_comparison_is_shown_without_simulating(county: County) -> None:
    scenario = scenario_from_data(
        {**_SHORT_SCENARIO, "horizon_days": 10, "replications": 2},
        county=county,
        rulesets={
            "routing": default_ruleset("dispute-routing"),
            "classification": default_ruleset("community-classification"),
        },
    )
    comparison = compare(run(scenario), metrics=["disputes"])
    page = build_report(county, lang="en", comparison=comparison)
    section = page[page.index('id="simulation"') :]
    assert "over 2 replications" in section


def test_a_county_without_a_day_needs_one(county: County) -> None:
    undated = attrs.evolve(county, as_of=None)
    with pytest.raises(ModelError, match="as_of"):
        build_report(undated, lang="en", simulate=False)


def test_an_unknown_language_is_refused(county: County) -> None:
    with pytest.raises(ValueError, match="lang must be one of"):
        build_report(county, lang="fr", simulate=False)  # type: ignore[arg-type]  # on purpose


def test_write_report_writes_atomically_into_a_new_directory(
    county: County, tmp_path: Path
) -> None:
    out = tmp_path / "a" / "b"
    path = write_report(county, out, lang="en", simulate=False)
    assert path == out / REPORT_FILENAME
    assert path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
    assert sorted(p.name for p in out.iterdir()) == [REPORT_FILENAME]


def test_the_demo_report_is_written_for_the_bundled_county(tmp_path: Path) -> None:
    path = write_demo_report(tmp_path)
    text = path.read_text(encoding="utf-8")
    assert "岳阳楼" in text
    assert 'id="simulation"' in text


def _cli(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(prog="countypolicing")
    sub = parser.add_subparsers(dest="command", required=True)
    _cli_report.register(sub)
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code


def test_the_cli_prints_the_path_it_wrote(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = _cli(
        [
            "report",
            "bundled:yueyanglou",
            "--out",
            str(tmp_path),
            "--lang",
            "zh",
            "--no-simulation",
        ]
    )
    out, err = capsys.readouterr()
    assert code == 0
    assert err == ""
    assert out.strip() == str(tmp_path / REPORT_FILENAME)
    assert (tmp_path / REPORT_FILENAME).exists()


def test_the_cli_reports_an_unwritable_directory(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    blocker = tmp_path / "file"
    blocker.write_text("x", encoding="utf-8")
    code = _cli(["report", "--out", str(blocker / "sub"), "--no-simulation"])
    assert code == 2
    assert "cannot write the report" in capsys.readouterr().err


def test_importing_countypolicing_imports_neither_the_report_nor_matplotlib() -> None:
    code = (
        "import sys, countypolicing; "
        "print('countypolicing.report' in sys.modules, 'matplotlib' in sys.modules)"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    ).stdout
    assert out.strip() == "False False"


def test_building_the_report_writes_nothing_to_stderr(
    county: County, capfd: pytest.CaptureFixture[str]
) -> None:
    build_report(county, lang="zh")
    assert capfd.readouterr().err == ""
