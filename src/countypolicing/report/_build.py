"""Build and write the report: gather every section and put the page together."""

from __future__ import annotations

import os
from datetime import date
from pathlib import Path
from typing import Final

import attrs

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import ModelError
from countypolicing.model import County
from countypolicing.report import _plots, _sections
from countypolicing.report._html import Lang, Tr, page
from countypolicing.rules import compile_ruleset
from countypolicing.serialization._atomic import atomic_write_text
from countypolicing.simulation import (
    Comparison,
    Scenario,
    compare,
    run,
    scenario_from_data,
)

__all__ = ["REPORT_FILENAME", "build_report", "write_demo_report", "write_report"]

#: The file name `write_report` gives the report.
REPORT_FILENAME: Final = "report.html"

#: The short simulation run when no scenario or comparison is given: the shipped
#: Yueyanglou "what if"s (stationed mediators; plaque management) over 90 days.
_SHORT_SCENARIO: Final[dict[str, object]] = {
    "schema_version": 1,
    "scenario": "report-short",
    "county": "bundled:yueyanglou",
    "horizon_days": 90,
    "replications": 5,
    "seed": 20200915,
    "levers": {"stationed_mediators": 0},
    "policies": {
        "stationed-mediator": {"levers": {"stationed_mediators": 1}},
        "plaque-80": {"levers": {"plaque_coverage": 0.8}},
    },
}
_METRICS: Final = (
    "disputes",
    "escalations",
    "mean_days_to_resolution",
    "police_hours",
    "police_hours_freed",
)
_MAX_DAYS: Final = 90
_MAX_REPLICATIONS: Final = 5


def _comparison(
    county: County, scenario: Scenario | None, *, simulate: bool
) -> Comparison | None:
    if not simulate:
        return None
    if scenario is None:
        scenario = scenario_from_data(
            _SHORT_SCENARIO,
            county=county,
            rulesets={
                name: default_ruleset(f"{ruleset}")
                for name, ruleset in (
                    ("routing", "dispute-routing"),
                    ("classification", "community-classification"),
                    ("grading", "risk-point-grading"),
                )
            },
        )
    else:
        scenario = attrs.evolve(
            scenario,
            horizon_days=min(scenario.horizon_days, _MAX_DAYS),
            replications=min(scenario.replications, _MAX_REPLICATIONS),
            series=False,
        )
    metrics = [m for m in _METRICS if m in scenario.outcomes] or None
    return compare(run(scenario), metrics=metrics)


def build_report(
    county: County,
    *,
    lang: Lang = "both",
    as_of: date | None = None,
    scenario: Scenario | None = None,
    comparison: Comparison | None = None,
    simulate: bool = True,
    top: int = 25,
) -> str:
    """The battle-chart report of ``county`` as one self-contained HTML5 page.

    Args:
        county: the county.
        lang: ``"zh"``, ``"en"``, or ``"both"`` (a CSS-only toggle; Chinese first).
        as_of: the day of the board, reconciliation and dispute funnel (default:
            the county's ``as_of``).
        scenario: a scenario to simulate; it is shortened to at most 90 days and 5
            replications. Default: the shipped what-ifs on ``county``.
        comparison: a precomputed comparison to show instead of simulating.
        simulate: ``False`` leaves the simulation out (unless ``comparison``).
        top: rows of the ranking shown before the rest fold away.

    Returns:
        The page, deterministic: the same inputs give the same text.

    Raises:
        ModelError: no ``as_of`` is given and the county has none.
        ImportError: matplotlib (the ``report`` extra) is missing.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> page = build_report(yueyanglou(), lang="en", simulate=False)
        >>> page.startswith("<!DOCTYPE html>"), "Responsibility gaps" in page
        (True, True)

    Added in version 0.1.0.
    """
    _plots.require_matplotlib()
    tr = Tr(lang)
    day = as_of if as_of is not None else county.as_of
    if day is None:
        raise ModelError("the county has no as_of date; pass as_of", field="as_of")
    zh_plots = lang != "en" and _plots.cjk_font() is not None
    grading = compile_ruleset(default_ruleset("risk-point-grading"))
    classes = compile_ruleset(default_ruleset("community-classification"))
    ranked = _sections.classify(county, grading, classes)
    if comparison is None:
        comparison = _comparison(county, scenario, simulate=simulate)
    toc = [
        ("tiles", tr("风险分布", "Risk tiles")),
        ("ranking", tr("排名", "Ranking")),
        ("gaps", tr("责任缺口", "Gaps")),
        ("tasks", tr("任务挂图", "Task board")),
        ("disputes", tr("纠纷漏斗", "Disputes")),
        ("simulation", tr("政策模拟", "Simulation")),
    ]
    body = "\n".join(
        [
            _sections.header(county, tr, as_of=day, sections=toc),
            "<main>",
            _sections.communities_section(county, tr, ranked, zh_plots=zh_plots),
            _sections.ranking_section(county, tr, ranked, top=top),
            _sections.gaps_section(county, tr),
            _sections.tasks_section(county, tr, as_of=day, zh_plots=zh_plots),
            _sections.disputes_section(county, tr, as_of=day),
            _sections.simulation_section(tr, comparison, zh_plots=zh_plots),
            "</main>",
        ]
    )
    title = (
        f"{county.name_zh} 挂图作战"
        if lang == "zh"
        else f"{county.name_en or county.name_zh}: battle chart"
    )
    return page(title=title, lang=lang, body=body)


def write_report(
    county: County,
    out_dir: os.PathLike[str] | str,
    *,
    lang: Lang = "both",
    as_of: date | None = None,
    scenario: Scenario | None = None,
    comparison: Comparison | None = None,
    simulate: bool = True,
    filename: str = REPORT_FILENAME,
) -> Path:
    """Write `build_report` of ``county`` into ``out_dir`` atomically; return its path.

    ``out_dir`` is created when missing. The other arguments are those of
    `build_report`.

    Examples:
        >>> import tempfile
        >>> from countypolicing.datasets import yueyanglou
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = write_report(yueyanglou(), tmp, lang="zh", simulate=False)
        ...     path.name, "责任缺口" in path.read_text(encoding="utf-8")
        ('report.html', True)

    Added in version 0.1.0.
    """
    text = build_report(
        county,
        lang=lang,
        as_of=as_of,
        scenario=scenario,
        comparison=comparison,
        simulate=simulate,
    )
    directory = Path(out_dir)
    directory.mkdir(parents=True, exist_ok=True)
    path = directory / filename
    atomic_write_text(path, text)
    return path


def write_demo_report(out_dir: os.PathLike[str] | str, *, lang: Lang = "both") -> Path:
    """Write the report of the bundled Yueyanglou county, with a short simulation.

    This is what ``countypolicing demo`` writes; it takes a few seconds.

    Args:
        out_dir: the directory to write ``report.html`` into (created if missing).
        lang: ``"zh"``, ``"en"`` or ``"both"``.

    Returns:
        The path of the file written.

    Examples:
        >>> import tempfile
        >>> with tempfile.TemporaryDirectory() as tmp:
        ...     path = write_demo_report(tmp, lang="en")
        ...     "Policy simulation" in path.read_text(encoding="utf-8")
        True

    Added in version 0.1.0.
    """
    return write_report(yueyanglou(), out_dir, lang=lang)
