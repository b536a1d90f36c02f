"""The docs run as written.

- Every fenced ``python`` block of ``docs/**/*.md`` and ``README.md`` without ``>>>``
  prompts is executed: each page's blocks in order, in one fresh namespace per page,
  in a subprocess whose working directory is a scratch directory.
  (Blocks with prompts are doctests, collected by ``--doctest-glob=*.md``.)
  A block preceded by the line ``<!-- not executed: REASON -->`` is skipped, and
  the reason is required.
- ``README.md`` sits outside ``testpaths``, so its doctests are run here.
- ``docs/reference/county.schema.json``, which the JSON Schema page embeds, is what
  ``countypolicing schema county`` prints today.
"""

from __future__ import annotations

import doctest
import json
import os
import re
import subprocess
import sys
import textwrap
from dataclasses import dataclass
from pathlib import Path

import pytest

from countypolicing.serialization import json_schema

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
README = ROOT / "README.md"
SCHEMA_FILE = DOCS / "reference" / "county.schema.json"

PAGES = sorted([README, *DOCS.rglob("*.md")])

#: An opening fence: indentation, the fence itself, and the info string.
FENCE = re.compile(r"^(?P<indent>[ \t]*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
#: The marker that skips the next block; group ``reason`` must not be empty.
SKIP = re.compile(r"^\s*<!--\s*not executed\b:?(?P<reason>.*?)-->\s*$")
#: A pymdownx.snippets line: ``--8<-- "path"``, ``"path:section"`` or ``"path:a:b"``.
SNIPPET = re.compile(r'^(?P<indent>\s*)-{1,}8<-{1,}\s+"(?P<target>[^"]+)"\s*$')
PYTHON = {"python", "py", "python3"}


@dataclass(frozen=True)
class Block:
    """One fenced code block of a page."""

    page: Path
    line: int  # of the first line of code (1-based)
    language: str
    code: str
    skip_reason: str | None  # None: not marked; "": marked without a reason
    marked: bool

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"

    @property
    def is_doctest(self) -> bool:
        return any(line.lstrip().startswith(">>>") for line in self.code.splitlines())


def blocks(page: Path) -> list[Block]:
    """Every fenced block of ``page`` outside HTML comments, in order."""
    lines = page.read_text(encoding="utf-8").splitlines()
    found: list[Block] = []
    in_comment = False
    previous = ""  # the last non-blank line before the current one
    i = 0
    while i < len(lines):
        line = lines[i]
        if in_comment:
            in_comment = "-->" not in line
            i += 1
            continue
        opening = FENCE.match(line)
        if opening is None:
            if "<!--" in line and "-->" not in line.split("<!--", 1)[1]:
                in_comment = True
            if line.strip():
                previous = line
            i += 1
            continue
        fence, indent = opening["fence"], opening["indent"]
        info = opening["info"].strip().lstrip("{").strip()
        language = info.split()[0].lstrip(".").lower() if info else ""
        body: list[str] = []
        j = i + 1
        while j < len(lines):
            stripped = lines[j].strip()
            if stripped.startswith(fence[0] * len(fence)) and not stripped.strip(
                fence[0]
            ):
                break
            body.append(lines[j].removeprefix(indent))
            j += 1
        marker = SKIP.match(previous)
        found.append(
            Block(
                page=page,
                line=i + 2,
                language=language,
                code="\n".join(body) + "\n",
                skip_reason=None if marker is None else marker["reason"].strip(),
                marked=marker is not None,
            )
        )
        previous = ""
        i = j + 1
    return found


def _marker_line(text: list[str], marker: str, target: str) -> int:
    for number, line in enumerate(text):
        if marker in line:
            return number
    msg = f"snippet {target!r}: no line with {marker!r}"
    raise LookupError(msg)


def expand_snippets(block: Block) -> str:
    """The block as the reader sees it: ``--8<--`` lines replaced by what they include.

    Follows pymdownx.snippets with ``base_path: ["."]``: paths are relative to the
    repository root; ``path:name`` includes the lines between ``--8<-- [start:name]``
    and ``--8<-- [end:name]``; ``path:a:b`` includes lines a to b.
    """
    out: list[str] = []
    for line in block.code.splitlines():
        match = SNIPPET.match(line)
        if match is None:
            out.append(line)
            continue
        target = match["target"]
        name, _, rest = target.partition(":")
        text = (ROOT / name).read_text(encoding="utf-8").splitlines()
        if not rest:
            chosen = text
        elif re.fullmatch(r"\d*:\d*", rest) or rest.isdigit():
            start, _, end = rest.partition(":")
            chosen = text[int(start or 1) - 1 : int(end) if end else None]
        else:
            begin = _marker_line(text, f"--8<-- [start:{rest}]", target)
            end_at = _marker_line(text, f"--8<-- [end:{rest}]", target)
            chosen = [t for t in text[begin + 1 : end_at] if "--8<-- [" not in t]
        out.extend(match["indent"] + t if t else t for t in chosen)
    return "\n".join(out) + "\n"


ALL_BLOCKS = [b for page in PAGES for b in blocks(page)]
PLAIN_PYTHON = [
    b for b in ALL_BLOCKS if b.language in PYTHON and not b.is_doctest and not b.marked
]
PAGES_TO_RUN = sorted({b.page for b in PLAIN_PYTHON})

#: Pages whose plain blocks are known not to run, each with the reason; an expected
#: failure (strict: the entry must go once the page is fixed).
KNOWN_BROKEN: dict[str, str] = {}


def _page_param(page: Path) -> object:
    name = str(page.relative_to(ROOT))
    marks = []
    if name in KNOWN_BROKEN:
        marks.append(pytest.mark.xfail(reason=KNOWN_BROKEN[name], strict=True))
    return pytest.param(page, id=name, marks=marks)


#: Runs the blocks of one page, in order, in one namespace: a module registered in
#: ``sys.modules`` so that classes and functions the blocks define can be pickled.
RUNNER = textwrap.dedent(
    """
    import json, sys, types
    page, blocks = json.load(sys.stdin)
    module = types.ModuleType("docs_page")
    module.__file__ = page
    sys.modules["docs_page"] = module
    for line, code in blocks:
        print(f"--- {page}:{line}", flush=True)
        exec(compile("\\n" * (line - 1) + code, page, "exec"), module.__dict__)
    """
)


def test_the_docs_have_code_blocks_to_check() -> None:
    assert README in PAGES
    assert any(
        b.page.name == "embed-the-classifier-in-a-web-service.md" for b in PLAIN_PYTHON
    )


@pytest.mark.parametrize("page", [_page_param(p) for p in PAGES_TO_RUN])
def test_plain_python_blocks_run(page: Path, tmp_path: Path) -> None:
    """Each page's blocks without prompts run in order, in a fresh process.

    Warnings are errors, as in the rest of the test suite.
    """
    chosen = [[b.line, expand_snippets(b)] for b in PLAIN_PYTHON if b.page == page]
    env = {**os.environ, "MPLBACKEND": "Agg", "PYTHONDONTWRITEBYTECODE": "1"}
    done = subprocess.run(
        [sys.executable, "-W", "error", "-c", RUNNER],
        input=json.dumps([str(page.relative_to(ROOT)), chosen]),
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=env,
        timeout=300,
        check=False,
    )
    assert done.returncode == 0, (
        f"a code block of {page.relative_to(ROOT)} failed "
        f"(the last '---' line names it):\n{done.stdout[-3000:]}\n{done.stderr[-6000:]}"
    )


def test_every_skipped_block_says_why_and_is_a_python_block() -> None:
    marked = [b for b in ALL_BLOCKS if b.marked]
    assert all(b.skip_reason for b in marked), [
        b.where for b in marked if not b.skip_reason
    ]
    assert all(b.language in PYTHON for b in marked), [
        b.where for b in marked if b.language not in PYTHON
    ]


def test_every_skip_marker_is_followed_by_a_block() -> None:
    """A ``<!-- not executed: ... -->`` line left over after its block moved is an error."""
    dangling = []
    for page in PAGES:
        lines = page.read_text(encoding="utf-8").splitlines()
        for number, line in enumerate(lines, start=1):
            if not SKIP.match(line):
                continue
            rest = [t for t in lines[number:] if t.strip()]
            if not rest or not FENCE.match(rest[0]):
                dangling.append(f"{page.relative_to(ROOT)}:{number}")
    assert not dangling


def test_the_block_parser_sees_markers_snippets_and_prompts(tmp_path: Path) -> None:
    page = tmp_path / "page.md"
    page.write_text(
        "Text.\n\n"
        "```python\nx = 1\n```\n\n"
        "<!-- not executed: needs a cluster -->\n\n"
        "```python\nimport dask\n```\n\n"
        "<!-- not executed -->\n"
        "```python\ny = 2\n```\n\n"
        "<!--\n```python\nhidden = 1\n```\n-->\n\n"
        "!!! note\n    ```py\n    z = 3\n    ```\n\n"
        "```python\n>>> 1 + 1\n2\n\n```\n"
        "````markdown\n```python\nnot_a_block = 1\n```\n````\n",
        encoding="utf-8",
    )
    found = blocks(page)
    assert [(b.language, b.code, b.skip_reason, b.is_doctest) for b in found] == [
        ("python", "x = 1\n", None, False),
        ("python", "import dask\n", "needs a cluster", False),
        ("python", "y = 2\n", "", False),
        ("py", "z = 3\n", None, False),
        ("python", ">>> 1 + 1\n2\n\n", None, True),
        ("markdown", "```python\nnot_a_block = 1\n```\n", None, False),
    ]
    assert [b.line for b in found][:2] == [4, 10]


def test_snippet_lines_are_expanded_like_pymdownx() -> None:
    source = ROOT / "examples" / "classify_web_service.py"
    text = source.read_text(encoding="utf-8")
    assert "# --8<-- [start:app]" in text
    block = Block(
        page=README,
        line=1,
        language="python",
        code='--8<-- "examples/classify_web_service.py:app"\n',
        skip_reason=None,
        marked=False,
    )
    expanded = expand_snippets(block)
    assert "def make_app(" in expanded
    assert "--8<--" not in expanded
    assert expanded.strip() in text


# ---------------------------------------------------------------- README doctests
def test_the_readme_examples_run() -> None:
    """README.md is outside ``testpaths``; its ``>>>`` examples are checked here."""
    text = README.read_text(encoding="utf-8")
    test = doctest.DocTestParser().get_doctest(text, {}, "README.md", str(README), 0)
    assert test.examples, "README.md has no >>> examples"
    runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS)
    failures: list[str] = []
    runner.run(test, out=failures.append)
    assert runner.failures == 0, "".join(failures)


# ---------------------------------------------------------------- the schema file
def test_the_embedded_json_schema_is_the_current_one() -> None:
    """``docs/reference/county.schema.json`` is ``countypolicing schema county``.

    Regenerate it with ``countypolicing schema county > docs/reference/county.schema.json``.
    """
    expected = (
        json.dumps(json_schema("county"), ensure_ascii=False, indent=2, sort_keys=False)
        + "\n"
    )
    assert SCHEMA_FILE.read_text(encoding="utf-8") == expected, (
        "docs/reference/county.schema.json is stale: run "
        "`countypolicing schema county > docs/reference/county.schema.json`"
    )


def test_the_schema_page_embeds_the_schema_file() -> None:
    page = (DOCS / "reference" / "json-schemas.md").read_text(encoding="utf-8")
    assert '--8<-- "docs/reference/county.schema.json"' in page
