"""Loaders of the bundled datasets (package data)."""

from __future__ import annotations

from functools import cache
from importlib.resources import files
from pathlib import Path

from countypolicing.model import County
from countypolicing.serialization import load_county

__all__ = ["yueyanglou", "yueyanglou_path"]


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
