"""The battle-chart (挂图) report: one self-contained HTML file for a county.

`build_report` gathers, from the public API, the community risk tiles by police
station, the ranking with the rule and reason behind each class, the
responsibility gaps, the task board with overdue tasks and their supervision, the
dispute funnel by channel and closing level, and a short policy simulation
compared with its baseline; it returns the page as text. `write_report` writes it
atomically; `write_demo_report` does so for the bundled Yueyanglou county.

The page needs nothing at view time: CSS is inline, plots are inline SVG drawn by
matplotlib, there are no scripts and no external fonts. ``lang="both"`` holds
Chinese and English with a toggle made of CSS only. Needs the ``report`` extra
(matplotlib); ``import countypolicing`` does not import this package.

Added in version 0.1.0.
"""

from countypolicing.report._build import (
    REPORT_FILENAME,
    build_report,
    write_demo_report,
    write_report,
)
from countypolicing.report._html import LANGS, Lang

__all__ = [
    "LANGS",
    "REPORT_FILENAME",
    "Lang",
    "build_report",
    "write_demo_report",
    "write_report",
]
