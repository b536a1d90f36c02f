"""Loaders of the bundled datasets (package data)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path
from typing import Final

from countypolicing.model import County
from countypolicing.operations import IndicatorSet
from countypolicing.rules import RuleSet
from countypolicing.serialization import load_county, load_indicator_set, load_ruleset

__all__ = [
    "DEFAULT_RULESETS",
    "default_indicator_set",
    "default_ruleset",
    "yueyanglou",
    "yueyanglou_path",
]

#: The shipped default rulesets (package data), by name.
DEFAULT_RULESETS: Final = (
    "community-classification",
    "dispute-routing",
    "risk-point-grading",
)


def yueyanglou_path() -> Path:
    """The directory holding the bundled Yueyanglou county files.

    Examples:
        >>> (yueyanglou_path() / "county.yaml").is_file()
        True
    """
    return Path(str(files("countypolicing.datasets").joinpath("data", "yueyanglou")))


@cache
def yueyanglou() -> County:
    """Yueyanglou District as of 2020, the worked example of the library.

    Loaded once and cached: a County is immutable.

    Examples:
        >>> county = yueyanglou()
        >>> len(county.communities), len(county.tasks)
        (107, 96)
        >>> county.station_for("desheng").name_zh
        '站前路派出所'
    """
    return load_county(yueyanglou_path())


@cache
def default_ruleset(name: str) -> RuleSet:
    """A shipped default ruleset: one of `DEFAULT_RULESETS`.

    ``risk-point-grading`` (the likelihood x severity matrix),
    ``community-classification`` (一类/二类/三类) and ``dispute-routing`` (大调解).

    Their provenance is ``inferred``: the district's own scheme is not published.

    Examples:
        >>> default_ruleset("risk-point-grading").output.name
        'risk_level'
    """
    if name not in DEFAULT_RULESETS:
        msg = f"unknown ruleset {name!r}; shipped: {', '.join(DEFAULT_RULESETS)}"
        raise KeyError(msg)
    path = files("countypolicing.datasets").joinpath("rules", f"{name}.yaml")
    return load_ruleset(Path(str(path)))


def default_indicator_set() -> IndicatorSet:
    """The shipped performance-assessment indicator set (综合绩效考核).

    Its provenance is ``inferred``: the district's own indicators are not published.

    Examples:
        >>> len(default_indicator_set().indicators) > 0
        True
    """
    path = files("countypolicing.datasets").joinpath(
        "rules", "assessment-indicators.yaml"
    )
    return load_indicator_set(Path(str(path)))
