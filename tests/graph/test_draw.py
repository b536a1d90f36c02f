"""Drawing with the optional matplotlib extra, and life without it."""

from __future__ import annotations

import subprocess
import sys

import networkx as nx
import pytest

from countypolicing.graph import _draw, draw

Graph = nx.MultiDiGraph


def test_importing_the_graph_package_does_not_import_matplotlib() -> None:
    code = (
        "import sys, countypolicing, countypolicing.graph, countypolicing._cli_graph;"
        "print(sorted(m for m in sys.modules if m.split('.')[0] == 'matplotlib'))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert out.stdout.strip() == "[]"


def test_without_matplotlib_draw_names_the_extra_to_install(
    graph: Graph[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("matplotlib", "matplotlib.collections", "matplotlib.figure"):
        monkeypatch.setitem(sys.modules, name, None)
    with pytest.raises(ImportError, match=r'pip install "countypolicing\[plot\]"'):
        draw(graph)


def test_bad_format_language_and_size_are_value_errors(graph: Graph[str]) -> None:
    with pytest.raises(ValueError, match="image format"):
        draw(graph, image_format="gif")
    with pytest.raises(ValueError, match="language"):
        draw(graph, lang="fr")
    with pytest.raises(ValueError, match="subgraph_for"):
        draw(graph, max_nodes=10)


def test_png_and_svg_come_out_the_same_every_time(graph: Graph[str]) -> None:
    pytest.importorskip("matplotlib")
    png = draw(graph)
    assert png.startswith(b"\x89PNG\r\n\x1a\n")
    assert draw(graph) == png
    svg = draw(graph, image_format="svg")
    assert svg.startswith(b"<?xml")
    assert b"<svg" in svg
    assert draw(graph, image_format="svg") == svg


def test_chinese_labels_fall_back_cleanly_without_a_cjk_font(
    graph: Graph[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """No "Glyph missing" warning (warnings are errors here): English labels instead."""
    pytest.importorskip("matplotlib")
    monkeypatch.setattr(_draw, "_cjk_font", lambda: None)
    assert draw(graph, lang="zh", image_format="svg") == draw(
        graph, lang="en", image_format="svg"
    )


def test_labels_with_dollar_signs_and_non_ascii_english_names_draw(
    graph: Graph[str],
) -> None:
    pytest.importorskip("matplotlib")
    graph.nodes["risk:r1"]["name_en"] = "costs $5 and $x^2$"
    graph.nodes["risk:r2"]["name_en"] = "天 not ascii"
    assert draw(graph, image_format="svg").startswith(b"<?xml")


def test_the_layout_puts_one_kind_per_column_in_kind_order(graph: Graph[str]) -> None:
    positions, order = _draw._layout(graph)
    assert order[:3] == ["county", "township", "community"]
    assert positions["county:demo"][0] == 0.0
    xs = {positions[n][0] for n in graph if n.startswith("risk:")}
    assert len(xs) == 1
