"""HTML building blocks: bilingual text, escaping, the page shell and its CSS.

Every piece of data goes through `html.escape` here; sections only ever join the
strings these helpers return.
"""

from __future__ import annotations

import html
from collections.abc import Iterable, Sequence
from typing import Final, Literal, TypeAlias

__all__ = ["LANGS", "Lang", "Tr", "esc", "page", "table"]

#: ``en`` and ``zh`` give one language; ``both`` gives both with a CSS-only toggle.
Lang: TypeAlias = Literal["en", "zh", "both"]
LANGS: Final[tuple[Lang, ...]] = ("both", "en", "zh")


class Tr:
    """Renders bilingual text for one report language, escaped.

    Examples:
        >>> Tr("both")("一类", "class 1")
        '<span class="zh" lang="zh">一类</span><span class="en" lang="en">class 1</span>'
        >>> Tr("en")("一类", "<b>")
        '&lt;b&gt;'
    """

    __slots__ = ("lang",)

    def __init__(self, lang: Lang) -> None:
        if lang not in LANGS:
            msg = f"lang must be one of {', '.join(LANGS)}, got {lang!r}"
            raise ValueError(msg)
        self.lang: Lang = lang

    def __call__(self, zh: object, en: object) -> str:
        """Both texts in spans (``both``), or the one for the report's language."""
        if self.lang == "zh":
            return esc(zh)
        if self.lang == "en":
            return esc(en)
        return (
            f'<span class="zh" lang="zh">{esc(zh)}</span>'
            f'<span class="en" lang="en">{esc(en)}</span>'
        )


def esc(value: object) -> str:
    """``value`` as text, escaped for element content and quoted attributes."""
    return html.escape(str(value), quote=True)


def table(
    head: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    cls: str = "",
    numeric: Iterable[int] = (),
) -> str:
    """A table; ``head`` and the cells are already-rendered HTML."""
    right = set(numeric)
    attr = f' class="{esc(cls)}"' if cls else ""

    def cell(tag: str, index: int, content: str) -> str:
        align = ' class="num"' if index in right else ""
        return f"<{tag}{align}>{content}</{tag}>"

    out = [f"<table{attr}><thead><tr>"]
    out.extend(cell("th", i, h) for i, h in enumerate(head))
    out.append("</tr></thead><tbody>")
    for row in rows:
        out.append("<tr>")
        out.extend(cell("td", i, c) for i, c in enumerate(row))
        out.append("</tr>")
    out.append("</tbody></table>")
    return "".join(out)


_CSS: Final = """
:root{--c1:#c0392b;--c2:#e67e22;--c3:#2e86c1;--ink:#1f2933;--muted:#616e7c;
--line:#d9e2ec;--bg:#f5f7fa;--card:#fff}
*{box-sizing:border-box}
body{margin:0;font:14px/1.45 system-ui,-apple-system,"Segoe UI","Noto Sans CJK SC",
"Microsoft YaHei","PingFang SC",sans-serif;color:var(--ink);background:var(--bg)}
header.top{background:#102a43;color:#fff;padding:16px 24px}
header.top h1{margin:0 0 4px;font-size:22px}
header.top p{margin:0;color:#bcccdc}
nav.toc{padding:8px 24px;background:#243b53}
nav.toc a{color:#d9e2ec;margin-right:14px;text-decoration:none}
main{padding:8px 24px 32px;max-width:1400px}
section.card{background:var(--card);border:1px solid var(--line);border-radius:6px;
padding:12px 16px;margin:14px 0}
h2{font-size:18px;margin:4px 0 10px}
h3{font-size:15px;margin:8px 0 6px}
p.note{color:var(--muted);margin:4px 0 8px}
table{border-collapse:collapse;width:100%;margin:6px 0}
th,td{border-bottom:1px solid var(--line);padding:3px 6px;text-align:left;
vertical-align:top}
th{background:#f0f4f8;font-weight:600}
td.num,th.num{text-align:right;font-variant-numeric:tabular-nums}
.stations{display:grid;grid-template-columns:repeat(auto-fill,minmax(300px,1fr));gap:10px}
.station{border:1px solid var(--line);border-radius:6px;padding:6px 8px}
.station h3{margin:0 0 6px;font-size:14px}
.tiles{display:flex;flex-wrap:wrap;gap:4px}
.tile{color:#fff;border-radius:4px;padding:2px 6px;font-size:12px;max-width:100%;
overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
.class_1{background:var(--c1)}.class_2{background:var(--c2)}.class_3{background:var(--c3)}
.other{background:#7b8794}
.legend span{display:inline-block;margin-right:10px}
.legend i{display:inline-block;width:12px;height:12px;border-radius:2px;
vertical-align:middle;margin-right:4px}
.badge{display:inline-block;border-radius:3px;padding:0 5px;color:#fff;font-size:12px;
white-space:nowrap}
.sv-none{background:#9aa5b1}.sv-normal{background:#2e86c1}.sv-yellow{background:#d4a017}
.sv-red{background:#c0392b}
.sig{font-weight:700}
details summary{cursor:pointer;color:#334e68}
pre{white-space:pre-wrap;font-size:12px;background:#f0f4f8;padding:6px;margin:4px 0}
figure{margin:6px 0}
figure svg{max-width:100%;height:auto}
.toggle{position:fixed;top:10px;right:16px;background:#fff;border-radius:16px;
padding:3px 8px;font-size:13px;box-shadow:0 1px 3px rgba(0,0,0,.3)}
.toggle label{cursor:pointer;padding:0 6px}
#lang-zh:checked~.page .en,#lang-en:checked~.page .zh{display:none}
#lang-zh:checked~.toggle label[for=lang-zh],#lang-en:checked~.toggle label[for=lang-en]
{font-weight:700;text-decoration:underline}
input.lang{position:absolute;opacity:0;pointer-events:none}
@media print{.toggle,nav.toc{display:none}}
"""


def page(*, title: str, lang: Lang, body: str) -> str:
    """The whole HTML5 document around ``body`` (``title`` is escaped here)."""
    html_lang = "zh-Hans" if lang in {"zh", "both"} else "en"
    toggle = ""
    if lang == "both":
        toggle = (
            '<input class="lang" type="radio" name="lang" id="lang-zh" checked>'
            '<input class="lang" type="radio" name="lang" id="lang-en">'
            '<div class="toggle"><label for="lang-zh">中文</label>|'
            '<label for="lang-en">English</label></div>'
        )
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{html_lang}">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        f"<title>{esc(title)}</title>\n<style>{_CSS}</style>\n</head>\n"
        f'<body>\n{toggle}<div class="page">\n{body}\n</div>\n</body>\n</html>\n'
    )
