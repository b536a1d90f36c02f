"""Bundled example data: Yueyanglou District (岳阳楼区), Yueyang, as of 2020.

Every record says where it comes from (``provenance``): ``article`` for what the
2020 article states, ``cited`` for other public sources, ``inferred`` for reasoning,
``synthetic`` for values made up to make the example whole.

Added in version 0.1.0.
"""

from countypolicing.datasets._bundled import (
    DEFAULT_RULESETS,
    default_indicator_set,
    default_ruleset,
    yueyanglou,
    yueyanglou_path,
)

__all__ = [
    "DEFAULT_RULESETS",
    "default_indicator_set",
    "default_ruleset",
    "yueyanglou",
    "yueyanglou_path",
]
