"""Matplotlib figures rendered to inline SVG, deterministically.

Figures are built with `matplotlib.figure.Figure` (no pyplot, no global state) and
saved as SVG with text kept as text, no date and a fixed hash salt, so the same
data gives the same bytes. Chinese labels are used only when a CJK font is
installed; otherwise the plots fall back to English labels, and no font warning
reaches stderr.
"""

from __future__ import annotations

import io
import logging
import re
import warnings
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from functools import cache
from typing import Any, Final

__all__ = [
    "bar_chart",
    "cjk_font",
    "interval_chart",
    "line_chart",
    "require_matplotlib",
]

_CLASS_COLOURS: Final = ("#c0392b", "#e67e22", "#2e86c1", "#7b8794", "#52606d")
_CJK_NAMES: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "AR PL UMing CN",
)


def require_matplotlib() -> None:
    """Raise an `ImportError` naming the ``report`` extra when matplotlib is missing."""
    try:
        import matplotlib as mpl  # noqa: F401, PLC0415  # optional extra, imported late
    except ImportError as exc:  # pragma: no cover  # matplotlib is in the test env
        msg = "the HTML report needs matplotlib: pip install 'countypolicing[report]'"
        raise ImportError(msg) from exc


@cache
def cjk_font() -> str | None:
    """The name of an installed font that has Chinese glyphs, or ``None``."""
    from matplotlib import font_manager  # noqa: PLC0415  # optional extra

    installed = {f.name for f in font_manager.fontManager.ttflist}
    return next((name for name in _CJK_NAMES if name in installed), None)


@contextmanager
def _quiet() -> Iterator[None]:
    """Keep matplotlib's font messages off stderr while a figure is drawn."""
    logger = logging.getLogger("matplotlib")
    level = logger.level
    logger.setLevel(logging.ERROR)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            yield
    finally:
        logger.setLevel(level)


def _figure(width: float, height: float) -> Any:  # noqa: ANN401  # a matplotlib Figure
    from matplotlib.figure import Figure  # noqa: PLC0415  # optional extra

    return Figure(figsize=(width, height), dpi=72, layout="constrained")


_ID: Final = re.compile(r'id="([^"]+)"')


def _svg(fig: Any, prefix: str) -> str:  # noqa: ANN401  # a matplotlib Figure
    """The figure as an inline ``<svg>`` element, ids made unique with ``prefix``."""
    import matplotlib as mpl  # noqa: PLC0415  # optional extra

    font = cjk_font()
    family = [font, "DejaVu Sans"] if font else ["DejaVu Sans"]
    buf = io.StringIO()
    with mpl.rc_context(
        {
            "svg.hashsalt": "countypolicing-report",
            "svg.fonttype": "none",
            "font.family": "sans-serif",
            "font.sans-serif": family,
            "font.size": 10,
        }
    ):
        fig.savefig(buf, format="svg", metadata={"Date": None, "Creator": None})
    text = buf.getvalue()
    text = text[text.index("<svg") :]
    text = re.sub(r"<metadata>.*?</metadata>\s*", "", text, flags=re.DOTALL)
    text = re.sub(r'\s+xmlns(:\w+)?="[^"]*"', "", text)
    for name in dict.fromkeys(_ID.findall(text)):
        new = f"{prefix}-{name}"
        text = text.replace(f'id="{name}"', f'id="{new}"')
        text = text.replace(f"#{name})", f"#{new})").replace(
            f'href="#{name}"', f'href="#{new}"'
        )
    return text.replace("<svg ", f'<svg role="img" aria-label="{prefix}" ', 1).strip()


def bar_chart(
    prefix: str,
    categories: Sequence[str],
    stacks: Sequence[tuple[str, Sequence[float]]],
    *,
    title: str,
    ylabel: str,
) -> str:
    """A stacked bar chart (one stack per category) as inline SVG."""
    with _quiet():
        fig = _figure(9.0, 3.6)
        ax = fig.add_subplot()
        bottom = [0.0] * len(categories)
        xs = list(range(len(categories)))
        for (label, values), colour in zip(stacks, _CLASS_COLOURS, strict=False):
            ax.bar(xs, values, bottom=bottom, label=label, color=colour, width=0.7)
            bottom = [b + v for b, v in zip(bottom, values, strict=True)]
        ax.set_xticks(xs, list(categories), rotation=35, ha="right", fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig, prefix)


def line_chart(
    prefix: str,
    x: Sequence[str],
    lines: Sequence[tuple[str, Sequence[float], str]],
    *,
    title: str,
    ylabel: str,
) -> str:
    """Lines over labelled x positions (label, values, colour) as inline SVG."""
    with _quiet():
        fig = _figure(9.0, 3.2)
        ax = fig.add_subplot()
        xs = list(range(len(x)))
        for label, values, colour in lines:
            ax.plot(xs, values, label=label, color=colour, marker="o", markersize=3)
        step = max(1, len(x) // 10)
        ax.set_xticks(xs[::step], list(x)[::step], rotation=30, ha="right", fontsize=8)
        ax.set_title(title)
        ax.set_ylabel(ylabel)
        ax.legend(frameon=False, fontsize=8)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig, prefix)


def interval_chart(
    prefix: str,
    rows: Sequence[tuple[str, float, float, float]],
    *,
    title: str,
    xlabel: str,
) -> str:
    """A forest plot: one point with its interval per (label, value, low, high)."""
    with _quiet():
        fig = _figure(9.0, 0.6 + 0.32 * max(len(rows), 1))
        ax = fig.add_subplot()
        ys = list(range(len(rows)))[::-1]
        for y, (_, value, low, high) in zip(ys, rows, strict=True):
            crosses = low <= 0 <= high or low != low  # noqa: PLR0124  # NaN check
            colour = "#7b8794" if crosses else "#c0392b"
            if low == low:  # noqa: PLR0124  # NaN has no interval
                ax.plot([low, high], [y, y], color=colour, linewidth=2)
            ax.plot([value], [y], marker="o", color=colour)
        ax.axvline(0, color="#334e68", linewidth=0.8)
        ax.set_yticks(ys, [r[0] for r in rows], fontsize=8)
        ax.set_title(title)
        ax.set_xlabel(xlabel)
        ax.spines[["top", "right"]].set_visible(False)
        return _svg(fig, prefix)
