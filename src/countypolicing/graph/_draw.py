"""Drawing the graph to PNG or SVG with matplotlib (the ``plot`` extra).

matplotlib is imported inside `draw` only, so ``import countypolicing`` never
imports it. Nothing global is touched: no pyplot, no backend switch; the figure
is rendered straight into bytes.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

from countypolicing.graph._common import (
    AnyGraph,
    Graph,
    check_graph,
    kind_of,
    record_id_of,
)
from countypolicing.graph._relations import NodeKind

if TYPE_CHECKING:
    from matplotlib.axes import Axes

__all__ = ["draw"]

#: The formats `draw` renders.
IMAGE_FORMATS: Final = ("png", "svg")

#: Fonts that carry Chinese glyphs, in order of preference.
CJK_FONTS: Final = (
    "Noto Sans CJK SC",
    "Noto Sans SC",
    "Source Han Sans SC",
    "Source Han Sans CN",
    "WenQuanYi Zen Hei",
    "WenQuanYi Micro Hei",
    "SimHei",
    "Microsoft YaHei",
    "PingFang SC",
    "Heiti SC",
    "Arial Unicode MS",
)

#: Node colours by kind (the four actor classes, places, risks, forums).
_COLOURS: Final = {
    NodeKind.COUNTY: "#bdbdbd",
    NodeKind.TOWNSHIP: "#bdbdbd",
    NodeKind.COMMUNITY: "#d9d9d9",
    NodeKind.GRID: "#ececec",
    NodeKind.PARTY_COMMITTEE: "#d7301f",
    NodeKind.GOVERNMENT: "#fc8d59",
    NodeKind.LEADING_GROUP: "#d7301f",
    NodeKind.SUB_BUREAU: "#08519c",
    NodeKind.STATION: "#3182bd",
    NodeKind.DEPARTMENT: "#31a354",
    NodeKind.JUDICIAL_OFFICE: "#74c476",
    NodeKind.MEDIATION_COMMITTEE: "#fdae6b",
    NodeKind.ENTITY: "#e6550d",
    NodeKind.PERSON: "#9e9ac8",
    NodeKind.RISK: "#fed976",
    NodeKind.DISPUTE: "#feb24c",
    NodeKind.THEME: "#756bb1",
    NodeKind.MECHANISM: "#54278f",
    NodeKind.TASK: "#bcbddc",
    NodeKind.PATROL: "#6baed6",
}

_INSTALL_HINT: Final = 'drawing needs matplotlib: pip install "countypolicing[plot]"'


class _Sink:
    """A write-only binary file that collects what matplotlib writes."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        if not isinstance(data, bytes | bytearray | memoryview):
            raise TypeError("binary sink")  # tells matplotlib to encode text first
        self.parts.append(bytes(data))
        return len(data)

    def tell(self) -> int:
        return sum(len(part) for part in self.parts)

    def seek(self, offset: int, whence: int = 0) -> int:
        """Only "where am I" (matplotlib checks that a file object can seek)."""
        if offset == 0 and whence in {1, 2}:
            return self.tell()
        msg = "the drawing sink only appends"
        raise OSError(msg)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def _cjk_font() -> str | None:
    from matplotlib import font_manager  # noqa: PLC0415  # the plot extra is optional

    available = {entry.name for entry in font_manager.fontManager.ttflist}
    return next((name for name in CJK_FONTS if name in available), None)


def _label(node: str, data: Mapping[str, Any], lang: str) -> str:
    if lang == "zh":
        text = str(data.get("name_zh") or record_id_of(node))
    else:
        name = data.get("name_en")
        # English labels stay ASCII so the default font has every glyph.
        text = str(name) if name and str(name).isascii() else record_id_of(node)
    return text if len(text) <= 24 else text[:23] + "…"  # noqa: PLR2004  # label width


def _layout(graph: Graph) -> tuple[dict[str, tuple[float, float]], list[str]]:
    """One column per node kind (in `NodeKind` order), nodes sorted down each column."""
    columns: dict[str, list[str]] = {}
    for node in sorted(graph):
        columns.setdefault(kind_of(node), []).append(node)
    order = [k.value for k in NodeKind if k.value in columns]
    order += sorted(set(columns) - set(order))
    tallest = max((len(c) for c in columns.values()), default=1)
    positions: dict[str, tuple[float, float]] = {}
    for x, kind in enumerate(order):
        members = columns[kind]
        step = tallest / len(members)
        for i, node in enumerate(members):
            positions[node] = (float(x), -(i + 0.5) * step)
    return positions, order


def draw(
    G: AnyGraph,  # noqa: N803  # networkx style
    *,
    image_format: str = "png",
    lang: str = "en",
    dpi: int = 120,
    max_nodes: int = 3000,
) -> bytes:
    r"""A picture of the graph: one column per node kind, edges as thin lines.

    Chinese labels (``lang="zh"``) need a CJK font (Noto Sans CJK, Source Han
    Sans, WenQuanYi, SimHei, Microsoft YaHei...); when none is installed the
    labels fall back to English names or record ids, without warnings. Labels
    are drawn for graphs of at most 300 nodes; draw a `subgraph_for` one
    community to read them. The same graph gives the same bytes.

    Args:
        G: a responsibility graph.
        image_format: ``"png"`` or ``"svg"``.
        lang: ``"en"`` or ``"zh"`` labels and legend.
        dpi: resolution of PNG output.
        max_nodes: refuse larger graphs (drawing them is slow and unreadable).

    Returns:
        The image file's bytes.

    Raises:
        ImportError: matplotlib is missing; install the ``plot`` extra.
        GraphError: ``G`` is not a responsibility graph.
        ValueError: an unknown format or language, or more than ``max_nodes`` nodes.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph, subgraph_for
        >>> S = subgraph_for(build_responsibility_graph(yueyanglou()), "desheng")
        >>> draw(S)[:8]  # doctest: +SKIP
        b'\x89PNG\r\n\x1a\n'

    Added in version 0.1.0.
    """
    graph = check_graph(G)
    if image_format not in IMAGE_FORMATS:
        msg = f"unknown image format {image_format!r}; use png or svg"
        raise ValueError(msg)
    if lang not in {"en", "zh"}:
        msg = f"unknown language {lang!r}; use en or zh"
        raise ValueError(msg)
    if graph.number_of_nodes() > max_nodes:
        msg = (
            f"the graph has {graph.number_of_nodes()} nodes, more than max_nodes="
            f"{max_nodes}; draw subgraph_for(G, community) instead"
        )
        raise ValueError(msg)
    try:
        import matplotlib as mpl  # noqa: PLC0415  # the plot extra is optional
        from matplotlib.collections import LineCollection  # noqa: PLC0415
        from matplotlib.figure import Figure  # noqa: PLC0415
    except ImportError as exc:
        raise ImportError(_INSTALL_HINT) from exc

    font = _cjk_font() if lang == "zh" else None
    if font is None:
        lang = "en"
    positions, order = _layout(graph)
    tallest = max((-y for _, y in positions.values()), default=1.0)
    width = max(6.0, 1.9 * len(order))
    height = max(4.0, min(0.28 * tallest + 1.5, 60.0))
    families = list(mpl.rcParams["font.sans-serif"])
    if font is not None:
        families.insert(0, font)
    with mpl.rc_context(
        {
            "svg.hashsalt": "countypolicing",
            "svg.fonttype": "path",
            "text.usetex": False,
            "font.sans-serif": families,
        }
    ):
        figure = Figure(figsize=(width, height), dpi=dpi, layout="constrained")
        ax = figure.add_subplot()
        segments = [[positions[u], positions[v]] for u, v in graph.edges() if u != v]
        ax.add_collection(
            LineCollection(segments, colors="#9e9e9e", linewidths=0.4, alpha=0.5)
        )
        _nodes(ax, graph, positions, order, lang=lang)
        ax.set_xlim(-0.7, len(order) - 0.3)
        ax.set_ylim(-tallest - 0.5, 0.8)
        ax.axis("off")
        title = graph.graph.get("name_zh" if lang == "zh" else "name_en")
        title = title or graph.graph.get("county") or ""
        ax.set_title(str(title), parse_math=False)
        sink = _Sink()
        metadata = {"Date": None} if image_format == "svg" else {"Software": None}
        figure.savefig(sink, format=image_format, metadata=metadata)  # type: ignore[arg-type]  # a write-only binary file is enough
    return sink.getvalue()


def _nodes(
    ax: Axes,
    graph: Graph,
    positions: Mapping[str, tuple[float, float]],
    order: list[str],
    *,
    lang: str,
) -> None:
    labelled = graph.number_of_nodes() <= 300  # noqa: PLR2004  # readable labels
    for x, kind in enumerate(order):
        members = [n for n in sorted(graph) if kind_of(n) == kind]
        colour = (
            _COLOURS.get(NodeKind(kind), "#969696")
            if kind in {k.value for k in NodeKind}
            else "#969696"
        )
        xs = [positions[n][0] for n in members]
        ys = [positions[n][1] for n in members]
        ax.scatter(
            xs, ys, s=36, c=colour, edgecolors="#424242", linewidths=0.4, zorder=3
        )
        heading = (
            NodeKind(kind).label(lang) if kind in {k.value for k in NodeKind} else kind
        )
        ax.text(
            x, 0.45, heading, ha="center", va="bottom", fontsize=8, parse_math=False
        )
        if labelled:
            for node in members:
                ax.text(
                    positions[node][0] + 0.06,
                    positions[node][1],
                    _label(node, graph.nodes[node], lang),
                    fontsize=6,
                    va="center",
                    ha="left",
                    zorder=4,
                    parse_math=False,
                )
