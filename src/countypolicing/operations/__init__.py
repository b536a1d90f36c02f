"""Operational workflows over a County.

For now: `summarize_county`, the overview printed by ``countypolicing demo``.

Added in version 0.1.0.
"""

from countypolicing.operations._summary import CountySummary, summarize_county

__all__ = ["CountySummary", "summarize_county"]
