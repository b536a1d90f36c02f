"""The strict YAML reader and writer: YAML 1.2 core schema, no tags, bounded cost.

Data is built straight from the parser's event stream by one iterative loop, never
by PyYAML's constructors, so no tag can run code and no input can recurse.
The loop enforces the rules of RELIABILITY.md section A:

- every explicit tag is refused (``!!python/...``, ``!!binary``, ``!!set``, ``!include``);
- mapping keys are strings, written once each, and merge keys (``<<``) are refused;
- nesting depth, node count and alias expansion are bounded (`LoadLimits`);
- plain scalars follow the YAML 1.2 core schema, so ``NO``, ``off``, ``12:30`` and
  ``2024-01-05`` stay strings and ``0755`` is 755;
- every alias is an independent deep copy of its anchor;
- exactly one non-empty document.

Each violation is a `ConfigError` or `LimitExceeded` located by source, line,
column and document path.
Data and rule violations are the same with and without libyaml; only the wording
of some syntax errors differs, since those come from the parser itself.

`dump_yaml` writes with a resolver built from the same rules, so strings that would
read back as something else are quoted, and only those.
"""

from __future__ import annotations

import codecs
import io
import math
import os
import re
from bisect import bisect_right
from collections.abc import Sequence
from itertools import chain
from pathlib import Path
from typing import Any, Final

import attrs
import yaml
from yaml.events import (
    AliasEvent,
    DocumentEndEvent,
    DocumentStartEvent,
    MappingEndEvent,
    MappingStartEvent,
    ScalarEvent,
    SequenceEndEvent,
    SequenceStartEvent,
    StreamEndEvent,
)
from yaml.parser import Parser
from yaml.reader import Reader, ReaderError
from yaml.scanner import Scanner

from countypolicing.exceptions import ConfigError, LimitExceeded, LoadError, Location

__all__ = [
    "DEFAULT_LIMITS",
    "HAVE_LIBYAML",
    "LoadLimits",
    "YamlDocument",
    "dump_yaml",
    "format_path",
    "load_yaml_file",
    "parse_yaml",
    "read_text",
    "resolve_plain_scalar",
]

#: True when PyYAML was built against libyaml (the fast C parser and emitter).
HAVE_LIBYAML: Final[bool] = bool(getattr(yaml, "__with_libyaml__", False))

_MAX_INT_DIGITS: Final = 4300  # CPython's default int_max_str_digits
_YAML_TAG_PREFIX: Final = "tag:yaml.org,2002:"


def _check_positive(
    _instance: object, attribute: attrs.Attribute[int], value: int
) -> None:
    if value.__class__ is not int or value <= 0:
        msg = f"{attribute.name} must be a positive integer, got {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class LoadLimits:
    """Bounds on the cost of one load; inputs beyond them raise `LimitExceeded`.

    Attributes:
        max_bytes: the largest file (in bytes) or text (in characters) accepted.
        max_depth: the deepest nesting of mappings and sequences accepted.
        max_nodes: the most nodes built, counting every copy an alias makes.
        alias_expansion_factor: alias copies may add at most this many times the
            nodes written out (or 1000, whichever is larger).
        max_int: the largest absolute integer value accepted.

    Examples:
        >>> LoadLimits(max_depth=16).max_depth
        16
        >>> LoadLimits(max_bytes=0)
        Traceback (most recent call last):
        ...
        ValueError: max_bytes must be a positive integer, got 0
    """

    max_bytes: int = attrs.field(default=32 * 2**20, validator=_check_positive)
    max_depth: int = attrs.field(default=64, validator=_check_positive)
    max_nodes: int = attrs.field(default=5_000_000, validator=_check_positive)
    alias_expansion_factor: int = attrs.field(default=10, validator=_check_positive)
    max_int: int = attrs.field(default=2**63 - 1, validator=_check_positive)


DEFAULT_LIMITS: Final = LoadLimits()

# ---------------------------------------------------------------- YAML 1.2 core schema
# One set of patterns serves the loader (resolve_plain_scalar) and the dumper's
# resolver, so that what is written plain reads back as the same type.
_NULL_RE: Final = re.compile(r"(?:~|null|Null|NULL|)\Z")
_BOOL_RE: Final = re.compile(r"(?:true|True|TRUE|false|False|FALSE)\Z")
_INT_RE: Final = re.compile(r"(?:[-+]?[0-9]+|0o[0-7]+|0x[0-9a-fA-F]+)\Z")
_FLOAT_RE: Final = re.compile(
    r"(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|[-+]?(?:\.inf|\.Inf|\.INF)|\.nan|\.NaN|\.NAN)\Z"
)
_FINITE_FLOAT_RE: Final = re.compile(
    r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?\Z"
)
_CONSTANTS: Final[dict[str, object]] = {
    "": None,
    "~": None,
    "null": None,
    "Null": None,
    "NULL": None,
    "true": True,
    "True": True,
    "TRUE": True,
    "false": False,
    "False": False,
    "FALSE": False,
    ".inf": math.inf,
    ".Inf": math.inf,
    ".INF": math.inf,
    "+.inf": math.inf,
    "+.Inf": math.inf,
    "+.INF": math.inf,
    "-.inf": -math.inf,
    "-.Inf": -math.inf,
    "-.INF": -math.inf,
    ".nan": math.nan,
    ".NaN": math.nan,
    ".NAN": math.nan,
}
# A plain scalar whose first character is not one of these is a string.
_MAYBE_TYPED: Final = "0123456789+-.~nNtTfF"
_NUMBER_START: Final = "0123456789+-."
_WORD_START: Final = "~nNtTfF"
_WORD_CONSTANTS: Final = {
    k: v for k, v in _CONSTANTS.items() if k and k[0] in _WORD_START
}
_MISSING: Final = object()


def _int_from_text(text: str, max_int: int) -> int:
    if text[:2] in ("0o", "0x"):
        digits, base = text[2:], (8 if text[1] == "o" else 16)
    else:
        digits, base = text, 10
    count = len(digits.lstrip("+-"))
    if count > _MAX_INT_DIGITS:
        raise LimitExceeded(
            f"integer with {count} digits (at most {_MAX_INT_DIGITS})",
            limit="max_int_digits",
            allowed=_MAX_INT_DIGITS,
            actual=count,
        )
    value = int(digits, base)
    if abs(value) > max_int:
        shown = text if len(text) <= 40 else f"{text[:20]}...({count} digits)"  # noqa: PLR2004
        raise LimitExceeded(
            f"integer {shown} is too large (at most {max_int} in absolute value)",
            limit="max_int",
            allowed=max_int,
            actual=abs(value),
        )
    return value


def resolve_plain_scalar(text: str, *, max_int: int = DEFAULT_LIMITS.max_int) -> object:
    """Type a plain (unquoted) scalar by the YAML 1.2 core schema.

    Quoted scalars are always strings and never pass through here.

    Args:
        text: the scalar exactly as the parser returned it.
        max_int: the largest absolute integer accepted.

    Returns:
        ``None``, a `bool`, an `int`, a `float` (``.inf`` and ``.nan`` included) or
        ``text`` itself.

    Raises:
        LimitExceeded: an integer beyond ``max_int`` or longer than 4300 digits.
        ConfigError: a finite-looking float too large for a float (``1e309``).

    Examples:
        >>> [resolve_plain_scalar(t) for t in ("~", "", "true", "NO", "off", "yes")]
        [None, None, True, 'NO', 'off', 'yes']
        >>> [resolve_plain_scalar(t) for t in ("0755", "010", "0o17", "0x1F", "-3")]
        [755, 10, 15, 31, -3]
        >>> [resolve_plain_scalar(t) for t in ("3.10", "1e3", ".5", "-.inf")]
        [3.1, 1000.0, 0.5, -inf]
        >>> [resolve_plain_scalar(t) for t in ("12:30", "2024-01-05", "1_000", "0o8")]
        ['12:30', '2024-01-05', '1_000', '0o8']
        >>> resolve_plain_scalar("1e309")
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ConfigError: number too large: 1e309
    """
    constant = _CONSTANTS.get(text, _MISSING)
    if constant is not _MISSING:
        return constant
    first = text[0]
    if first not in _MAYBE_TYPED:
        return text
    if _INT_RE.match(text):
        return _int_from_text(text, max_int)
    if _FINITE_FLOAT_RE.match(text):
        value = float(text)
        if math.isinf(value):
            raise ConfigError(f"number too large: {text}")
        return value
    return text


# ---------------------------------------------------------------- paths and locations
_PLAIN_KEY_RE: Final = re.compile(r"[^\W\d]\w*(?:-\w+)*\Z")


def format_path(path: Sequence[str | int]) -> str:
    """Write a document path the way error messages show it.

    Args:
        path: mapping keys and sequence indices from the document root.

    Returns:
        ``$`` for the root; otherwise keys joined by dots and indices in brackets.
        Keys that are not simple names are written as quoted strings in brackets.

    Examples:
        >>> format_path(("communities", 2, "population"))
        'communities[2].population'
        >>> format_path(())
        '$'
        >>> format_path((0, "name"))
        '[0].name'
        >>> format_path(("labels", "zh-CN", "risk level"))
        'labels.zh-CN["risk level"]'
    """
    if not path:
        return "$"
    parts: list[str] = []
    for item in path:
        if isinstance(item, int):
            parts.append(f"[{item}]")
        elif _PLAIN_KEY_RE.match(item):
            parts.append(f".{item}" if parts else item)
        else:
            escaped = item.replace("\\", "\\\\").replace('"', '\\"')
            parts.append(f'["{escaped}"]')
    return "".join(parts)


_LINE_BREAK_RE: Final = re.compile("\r\n|[\n\r\x85\u2028\u2029]")


def _line_starts(text: str) -> list[int]:
    return [0, *(m.end() for m in _LINE_BREAK_RE.finditer(text))]


def _line_col(starts: list[int], index: int) -> tuple[int, int]:
    """Map a 0-based character index to a 1-based (line, column)."""
    line = bisect_right(starts, index)
    return line, index - starts[line - 1] + 1


def _line_col_in(text: str, index: int) -> tuple[int, int]:
    return _line_col(_line_starts(text[:index]), index)


# A node of the position tree that `YamlDocument.locate` navigates:
# (start index, end index, key start index or -1, children or None for scalars).
_PosNode = tuple[int, int, int, "dict[object, _PosNode] | list[_PosNode] | None"]
_COMPLEX_KEY: Final = object()
_NODE_PROPERTIES_RE: Final = re.compile(r"(?:[&!]\S*\s+)+")


def _position_key(ev: Any) -> object:  # noqa: ANN401  # a PyYAML scalar event
    """The key a scalar event stands for, typed as the builder types it."""
    value: str = ev.value
    if ev.tag is None and ev.implicit[0] and value:
        try:
            return resolve_plain_scalar(value)
        except LoadError:
            return value
    return value


def _position_tree(text: str, *, stop_index: int = -1) -> _PosNode | None:  # noqa: C901  # one event loop
    """Re-parse ``text`` and record where every node sits (the slow path for errors).

    Parsing stops quietly at the first YAML error, or after ``stop_index``.
    """
    root: list[_PosNode] = []
    # Each frame: (parent container, start index, key start index, own key).
    stack: list[tuple[Any, int, int, object]] = []
    cur: Any = root
    key: object = _MISSING
    key_start = -1
    try:
        parser = _make_parser(text, use_libyaml=None)
        while True:
            ev: Any = parser.get_event()
            cls = ev.__class__
            if cls is StreamEndEvent or cls is DocumentEndEvent:
                break
            start = ev.start_mark.index
            if 0 <= stop_index < start:
                break
            if cls is ScalarEvent or cls is AliasEvent:
                node: _PosNode = (start, ev.end_mark.index, key_start, None)
                if cur.__class__ is list:
                    cur.append((start, ev.end_mark.index, -1, None))
                elif key is _MISSING:
                    key = _position_key(ev) if cls is ScalarEvent else _COMPLEX_KEY
                    key_start = start
                else:
                    cur.setdefault(key, node)
                    key, key_start = _MISSING, -1
            elif cls is MappingStartEvent or cls is SequenceStartEvent:
                stack.append((cur, start, key_start, key))
                cur = {} if cls is MappingStartEvent else []
                key, key_start = _MISSING, -1
            elif cls is MappingEndEvent or cls is SequenceEndEvent:
                cur, key = _close_position(stack, cur, ev.end_mark.index)
    except (yaml.YAMLError, ValueError, TypeError, RecursionError, MemoryError):
        pass
    while stack:  # close what is still open, so a partial tree stays navigable
        cur, key = _close_position(stack, cur, -1)
    return root[0] if root else None


def _close_position(
    stack: list[tuple[Any, int, int, object]],
    children: Any,  # noqa: ANN401  # dict or list of position nodes
    end: int,
) -> tuple[Any, object]:
    """Pop one open collection into its parent; return the parent and pending key."""
    parent, start, key_start, own_key = stack.pop()
    node: _PosNode = (start, end if end >= 0 else start, key_start, children)
    if parent.__class__ is list:
        parent.append(node)
        return parent, _MISSING
    if own_key is _MISSING:  # the collection was itself a key
        return parent, _COMPLEX_KEY
    parent.setdefault(own_key, node)
    return parent, _MISSING


def _walk(
    tree: _PosNode | None, path: Sequence[str | int]
) -> tuple[_PosNode | None, int]:
    """Follow ``path`` down ``tree``; return the deepest node reached and its depth."""
    node = tree
    depth = 0
    for item in path:
        if node is None:
            break
        children = node[3]
        child: _PosNode | None = None
        if isinstance(children, dict):
            child = children.get(item)
        elif isinstance(children, list) and isinstance(item, int):
            child = children[item] if 0 <= item < len(children) else None
        if child is None:
            break
        node = child
        depth += 1
    return node, depth


@attrs.frozen
class YamlDocument:
    r"""One parsed YAML document: the plain data, and how to find things in the text.

    Positions are not tracked while loading; the first call to `locate` or
    `raw_scalar` re-parses ``text`` once and keeps the positions.

    Attributes:
        data: the document as dicts, lists, strings, numbers, booleans and ``None``.
        text: the text it was parsed from.
        source: the file name (or ``<text>``) used in error locations.

    Examples:
        >>> doc = parse_yaml("communities:\n  - id: c1\n    version: 3.10\n")
        >>> doc.data
        {'communities': [{'id': 'c1', 'version': 3.1}]}
        >>> str(doc.locate(["communities", 0, "version"]))
        '<text>:3:14: communities[0].version'
        >>> doc.raw_scalar(["communities", 0, "version"])
        '3.10'
    """

    data: object
    text: str
    source: str
    _tree: list[_PosNode | None] = attrs.field(
        factory=list, init=False, eq=False, repr=False
    )
    _starts: list[int] = attrs.field(factory=list, init=False, eq=False, repr=False)

    def _positions(self) -> tuple[_PosNode | None, list[int]]:
        if not self._tree:
            self._tree.append(_position_tree(self.text))
            self._starts.extend(_line_starts(self.text))
        return self._tree[0], self._starts

    def locate(self, path: Sequence[str | int]) -> Location:
        """Where the node at ``path`` is written, or its deepest existing ancestor.

        Args:
            path: mapping keys and sequence indices from the document root.

        Returns:
            A `Location` with this document's source, the 1-based line and column,
            and ``path`` rendered by `format_path`.
        """
        tree, starts = self._positions()
        node, _ = _walk(tree, path)
        if node is None:
            return Location(source=self.source, path=format_path(path))
        line, column = _line_col(starts, node[0])
        return Location(
            source=self.source, line=line, column=column, path=format_path(path)
        )

    def raw_scalar(self, path: Sequence[str | int]) -> str | None:
        """The exact source text of the scalar at ``path``, such as ``3.10`` or ``NO``.

        Args:
            path: mapping keys and sequence indices from the document root.

        Returns:
            The text as written (quotes included, if any), or ``None`` when ``path``
            does not lead to a scalar written in the text (a collection, an alias, a
            missing node).
        """
        tree, _ = self._positions()
        node, depth = _walk(tree, path)
        if node is None or depth != len(path) or node[3] is not None:
            return None
        raw = self.text[node[0] : node[1]]
        if raw[:1] == "*":  # an alias
            return None
        properties = _NODE_PROPERTIES_RE.match(raw)  # an anchor or a ``!`` tag
        return raw[properties.end() :] if properties else raw


# ---------------------------------------------------------------- reading
_BAD_CHAR_RE: Final = re.compile(
    "[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufefe\uff00-\ufffd"
    "\U00010000-\U0010ffff]"
)


_NUL_MESSAGE: Final = "NUL character (U+0000): is the file UTF-16? Save it as UTF-8"


def _bad_character_error(text: str, source: str) -> ConfigError | None:
    match = _BAD_CHAR_RE.search(text)
    if match is None:
        return None
    char = match.group()
    line, column = _line_col_in(text, match.start())
    if char == "\x00":
        message = _NUL_MESSAGE
    elif char == "\ufeff":
        message = "byte order mark (U+FEFF) inside the text"
    elif "\ud800" <= char <= "\udfff":
        message = f"lone surrogate U+{ord(char):04X} is not a character"
    else:
        message = f"control character U+{ord(char):04X} is not allowed"
    return ConfigError(
        message, location=Location(source=source, line=line, column=column)
    )


def read_text(
    path: os.PathLike[str] | str, *, limits: LoadLimits = DEFAULT_LIMITS
) -> str:
    """Read a UTF-8 text file, refusing oversized or undecodable input.

    The size is checked with ``os.stat`` before reading, and at most
    ``limits.max_bytes + 1`` bytes are ever read.
    A leading UTF-8 byte order mark is dropped.

    Args:
        path: the file to read.
        limits: ``limits.max_bytes`` bounds the file size.

    Returns:
        The decoded text.

    Raises:
        LimitExceeded: the file is larger than ``limits.max_bytes``.
        ConfigError: the file cannot be read, is not UTF-8 or contains NUL; the
            location gives the line and column of the first bad byte.
    """
    source = os.fspath(path)
    max_bytes = limits.max_bytes
    data = b""
    try:
        size = Path(path).stat().st_size
        if size <= max_bytes:
            with Path(path).open("rb") as stream:
                data = stream.read(max_bytes + 1)
    except OSError as exc:
        reason = exc.strerror or str(exc)
        raise ConfigError(
            f"cannot read the file: {reason}", location=Location(source=source)
        ) from exc
    actual = max(size, len(data))
    if actual > max_bytes:
        raise LimitExceeded(
            f"file is larger than {max_bytes} bytes ({actual} bytes)",
            limit="max_bytes",
            allowed=max_bytes,
            actual=actual,
            location=Location(source=source),
        )
    offset = 3 if data.startswith(codecs.BOM_UTF8) else 0
    try:
        text = data[offset:].decode("utf-8")
    except UnicodeDecodeError as exc:
        good = data[offset : offset + exc.start].decode("utf-8")
        line, column = _line_col_in(good, len(good))
        bad = data[offset + exc.start]
        raise ConfigError(
            f"not valid UTF-8: byte 0x{bad:02x} cannot be decoded; is the file"
            " UTF-16 or Latin-1? Save it as UTF-8",
            location=Location(source=source, line=line, column=column),
        ) from exc
    nul = text.find("\x00")
    if nul >= 0:
        line, column = _line_col_in(text, nul)
        raise ConfigError(
            _NUL_MESSAGE, location=Location(source=source, line=line, column=column)
        )
    return text


# ---------------------------------------------------------------- parsing
class _PurePythonParser(Reader, Scanner, Parser):
    """PyYAML's pure-Python reader, scanner and parser, without composer or constructor."""

    def __init__(self, text: str) -> None:
        Reader.__init__(self, text)
        Scanner.__init__(self)
        Parser.__init__(self)


def _make_parser(text: str, *, use_libyaml: bool | None) -> Any:  # noqa: ANN401  # CParser or pure parser
    if use_libyaml is None:
        use_libyaml = HAVE_LIBYAML
    if use_libyaml:
        if not HAVE_LIBYAML:
            msg = "libyaml is not available in this PyYAML"
            raise RuntimeError(msg)
        from yaml._yaml import CParser  # noqa: PLC0415  # only present with libyaml

        return CParser(text)
    return _PurePythonParser(text)


def _render_tag(tag: str) -> str:
    if tag.startswith(_YAML_TAG_PREFIX):
        return "!!" + tag[len(_YAML_TAG_PREFIX) :]
    return tag


class _Problem(Exception):  # noqa: N818  # internal signal, never escapes
    """A rule broken at the current event; the builder adds the location."""

    def __init__(
        self,
        message: str,
        *,
        limit: str | None = None,
        allowed: int = 0,
        actual: int = 0,
        duplicate: str | None = None,
    ) -> None:
        super().__init__(message)
        self.message = message
        self.limit = limit
        self.allowed = allowed
        self.actual = actual
        self.duplicate = duplicate


def _deep_copy(value: object) -> object:
    """Copy nested dicts and lists without recursion (scalars are immutable)."""
    cls = value.__class__
    if cls is not dict and cls is not list:
        return value
    top: Any = {} if cls is dict else []
    pending: list[tuple[Any, Any]] = [(value, top)]
    while pending:
        source, target = pending.pop()
        if target.__class__ is dict:
            for k, v in source.items():
                vc = v.__class__
                if vc is dict or vc is list:
                    new: Any = {} if vc is dict else []
                    target[k] = new
                    pending.append((v, new))
                else:
                    target[k] = v
        else:
            for v in source:
                vc = v.__class__
                if vc is dict or vc is list:
                    new = {} if vc is dict else []
                    target.append(new)
                    pending.append((v, new))
                else:
                    target.append(v)
    return top


def _has_surrogate(value: str) -> bool:
    return not value.isascii() and any("\ud800" <= c <= "\udfff" for c in value)


def _relocate(error: LoadError, location: Location) -> LoadError:
    if isinstance(error, LimitExceeded):
        return LimitExceeded(
            error.message,
            limit=error.limit,
            allowed=error.allowed,
            actual=error.actual,
            location=location,
        )
    return type(error)(error.message, location=location)


_LIBYAML_MAX_DEPTH: Final = 1000


class _LibyamlDepthError(Exception):  # internal signal, never escapes
    """libyaml stopped at its own flow-nesting limit, at character ``index``."""

    def __init__(self, index: int) -> None:
        super().__init__(index)
        self.index = index


def _rerun_beyond_libyaml_depth(
    text: str, source: str, limits: LoadLimits, index: int
) -> object:
    """Report what the pure parser would, after libyaml gave up at 1000 flow levels.

    libyaml looks up to 1024 characters ahead, so it can fail before the event
    that crosses ``max_depth`` reaches the builder. The text before ``index`` holds
    at most 1000 flow levels, so rerunning libyaml on it reaches that event, and
    any earlier problem, in the same order as the pure parser does.
    """
    if limits.max_depth >= _LIBYAML_MAX_DEPTH:
        return _build(text, source, limits, use_c=False)
    try:
        _build(text[:index], source, limits, use_c=True)
    except LoadError:
        raise
    except (yaml.YAMLError, ValueError, TypeError, RecursionError):
        pass
    raise LimitExceeded(  # pragma: no cover  # the prefix always crosses max_depth
        f"nesting deeper than {limits.max_depth}",
        limit="max_depth",
        allowed=limits.max_depth,
        actual=_LIBYAML_MAX_DEPTH + 1,
        location=Location(source=source),
    )


def _yaml_error(
    exc: yaml.YAMLError, text: str, source: str, path: str | None = None
) -> LoadError:
    if isinstance(exc, ReaderError):
        found = _bad_character_error(text, source)
        if found is not None:
            return found
        return ConfigError(str(exc), location=Location(source=source))
    if isinstance(exc, yaml.MarkedYAMLError):
        mark = exc.problem_mark or exc.context_mark
        message = exc.problem or exc.context or "invalid YAML"
        if exc.context and exc.problem:
            message = f"{exc.context}: {exc.problem}"
            cm = exc.context_mark
            if cm is not None and mark is not None and cm.line != mark.line:
                message += f" (started at line {cm.line + 1})"
        if mark is None:
            return ConfigError(message, location=Location(source=source, path=path))
        return ConfigError(
            message,
            location=Location(
                source=source, line=mark.line + 1, column=mark.column + 1, path=path
            ),
        )
    return ConfigError(str(exc), location=Location(source=source))


def parse_yaml(
    text: str,
    *,
    source: str = "<text>",
    limits: LoadLimits = DEFAULT_LIMITS,
    use_libyaml: bool | None = None,
) -> YamlDocument:
    r"""Parse one strict YAML document into plain Python data.

    Args:
        text: the YAML text. A leading byte order mark is ignored.
        source: the name used in error locations (usually the file path).
        limits: bounds on size (in characters here), depth, nodes and integers.
        use_libyaml: force the C parser (``True``) or the pure-Python one
            (``False``); ``None`` picks libyaml when PyYAML has it. Both give the
            same result.

    Returns:
        The document, whose ``data`` holds only dicts with string keys, lists,
        strings, ints, floats, booleans and ``None``.

    Raises:
        ConfigError: malformed YAML, a tag, a duplicate, merge or non-string key,
            an empty stream or more than one document, a bad character.
        LimitExceeded: input too large, too deep, or expanding beyond the limits.

    Examples:
        >>> parse_yaml("country: NO\ncode: 0755\nwindow: 12:30\n").data
        {'country': 'NO', 'code': 755, 'window': '12:30'}
        >>> parse_yaml("a: 1\na: 2\n")
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ConfigError: <text>:2:1: $: duplicate key 'a' (first at line 1)
    """
    if len(text) > limits.max_bytes:
        raise LimitExceeded(
            f"text is longer than {limits.max_bytes} characters ({len(text)})",
            limit="max_bytes",
            allowed=limits.max_bytes,
            actual=len(text),
            location=Location(source=source),
        )
    text = text.removeprefix("\ufeff")
    if "\ufeff" in text:
        found = _bad_character_error(text, source)
        if found is not None:
            raise found
    use_c = HAVE_LIBYAML if use_libyaml is None else use_libyaml
    try:
        try:
            data = _build(text, source, limits, use_c=use_c)
        except _LibyamlDepthError as exc:
            data = _rerun_beyond_libyaml_depth(text, source, limits, exc.index)
    except LoadError:
        raise
    except yaml.YAMLError as exc:
        raise _yaml_error(exc, text, source) from exc
    except UnicodeEncodeError as exc:  # libyaml refuses lone surrogates up front
        found = _bad_character_error(text, source)
        raise (
            found or ConfigError(str(exc), location=Location(source=source))
        ) from exc
    except (RecursionError, MemoryError, ValueError, TypeError) as exc:
        raise ConfigError(
            f"could not parse YAML: {type(exc).__name__}: {exc}",
            location=Location(source=source),
        ) from exc
    return YamlDocument(data, text, source)


# Where the builder is: (stack of parent frames, current container, whether it is
# a mapping, pending key). Each frame: (container, is_map, key, anchor, nodes before).
_Frame = tuple[Any, bool, Any, str | None, int]
_Where = tuple[list[_Frame], Any, bool, object]


def _build(text: str, source: str, limits: LoadLimits, *, use_c: bool) -> object:  # noqa: C901, PLR0912, PLR0915  # one tight loop on purpose
    """Build data from the event stream; raise located errors."""
    parser = _make_parser(text, use_libyaml=use_c)
    get_event = parser.get_event
    check_surrogates = not use_c  # libyaml itself refuses "\ud800" escapes
    max_depth = limits.max_depth
    max_nodes = limits.max_nodes
    max_int = limits.max_int
    factor = limits.alias_expansion_factor
    fast_int_len = len(str(max_int))  # fewer decimal digits than this: within bounds
    resolve = resolve_plain_scalar
    number_start = _NUMBER_START
    word_start = _WORD_START
    words_get = _WORD_CONSTANTS.get
    nokey: object = _MISSING
    scalar_cls = ScalarEvent
    mstart_cls = MappingStartEvent
    sstart_cls = SequenceStartEvent
    mend_cls = MappingEndEvent
    send_cls = SequenceEndEvent
    alias_cls = AliasEvent
    dend_cls = DocumentEndEvent

    anchors: dict[str, tuple[object, int]] = {}
    open_anchors: set[str] = set()
    root: list[object] = []
    cur: Any = root
    is_map = False
    key: Any = nokey
    stack: list[_Frame] = []  # the parents of `cur`
    nodes = 0
    alias_nodes = 0
    ev: Any = None
    first: Any = None
    try:
        try:
            ev = get_event()  # StreamStart
            ev = get_event()
            if ev.__class__ is StreamEndEvent:
                raise _Problem("empty document")  # located below
            first = get_event()
            for ev in chain((first,), iter(get_event, None)):
                cls = ev.__class__
                if cls is scalar_cls:
                    nodes += 1
                    value = ev.value
                    tag = ev.tag
                    if tag is None and ev.implicit[0]:  # plain: YAML 1.2 core schema
                        if not value:
                            value = None
                        elif value[0] in number_start:
                            if (
                                len(value) < fast_int_len
                                and value.isdigit()
                                and value.isascii()
                            ):
                                value = int(value)
                            else:
                                value = resolve(value, max_int=max_int)
                        elif value[0] in word_start:
                            value = words_get(value, value)
                    elif tag is not None and tag != "!":
                        raise _Problem(f"tag {_render_tag(tag)!r} is not allowed")
                    elif check_surrogates and _has_surrogate(value):
                        raise _Problem("a \\u escape produced a lone surrogate")
                    if ev.anchor is not None:
                        anchors[ev.anchor] = (value, 1)
                    if is_map:
                        if key is nokey:
                            if value.__class__ is not str:
                                raise _Problem(
                                    f"keys must be strings, got {_describe(value)}"
                                    " (quote the key)"
                                )
                            if value == "<<" and tag is None and ev.implicit[0]:
                                raise _Problem(
                                    "merge keys (<<) are not supported; write the keys out"
                                )
                            if value in cur:
                                raise _Problem(
                                    f"duplicate key {value!r}", duplicate=value
                                )
                            key = value
                        else:
                            cur[key] = value
                            key = nokey
                    else:
                        cur.append(value)
                    if nodes > max_nodes:
                        raise _Problem(
                            f"document has more than {max_nodes} nodes",
                            limit="max_nodes",
                            allowed=max_nodes,
                            actual=nodes,
                        )
                elif cls is mstart_cls or cls is sstart_cls:
                    tag = ev.tag
                    if tag is not None and tag != "!":
                        raise _Problem(f"tag {_render_tag(tag)!r} is not allowed")
                    if len(stack) >= max_depth:
                        raise _Problem(
                            f"nesting deeper than {max_depth}",
                            limit="max_depth",
                            allowed=max_depth,
                            actual=len(stack) + 1,
                        )
                    nodes += 1
                    new: Any = {} if cls is mstart_cls else []
                    if is_map:
                        if key is nokey:
                            raise _Problem(
                                "keys must be strings, got a "
                                + ("mapping" if cls is mstart_cls else "sequence")
                            )
                        cur[key] = new
                    else:
                        cur.append(new)
                    anchor = ev.anchor
                    if anchor is not None:
                        open_anchors.add(anchor)
                    stack.append((cur, is_map, key, anchor, nodes))
                    cur = new
                    is_map = cls is mstart_cls
                    key = nokey
                elif cls is mend_cls or cls is send_cls:
                    done = cur
                    cur, is_map, key, anchor, before = stack.pop()
                    if anchor is not None:
                        open_anchors.discard(anchor)
                        anchors[anchor] = (done, nodes - before + 1)
                    if is_map:
                        key = nokey
                    if nodes > max_nodes:
                        raise _Problem(
                            f"document has more than {max_nodes} nodes",
                            limit="max_nodes",
                            allowed=max_nodes,
                            actual=nodes,
                        )
                elif cls is alias_cls:
                    name = ev.anchor
                    entry = anchors.get(name)
                    if entry is None:
                        if name in open_anchors:
                            raise _Problem(
                                f"alias *{name} refers to a node that contains it"
                            )
                        raise _Problem(f"unknown alias *{name}")
                    value, count = entry
                    written = nodes - alias_nodes
                    alias_cap = factor * max(written, 1000)
                    if alias_nodes + count > alias_cap or nodes + count > max_nodes:
                        bound = min(written + alias_cap, max_nodes)
                        raise _Problem(
                            f"alias *{name} at line {ev.start_mark.line + 1} would"
                            f" expand the document beyond {bound} nodes",
                            limit="max_nodes"
                            if nodes + count > max_nodes
                            else "alias_expansion_factor",
                            allowed=bound,
                            actual=nodes + count,
                        )
                    nodes += count
                    alias_nodes += count
                    if count > 1:
                        value = _deep_copy(value)
                    if is_map:
                        if key is nokey:
                            if value.__class__ is not str:
                                raise _Problem(
                                    f"keys must be strings, got {_describe(value)}"
                                )
                            if value in cur:
                                raise _Problem(
                                    f"duplicate key {value!r}", duplicate=value
                                )
                            key = value
                        else:
                            cur[key] = value
                            key = nokey
                    else:
                        cur.append(value)
                elif cls is dend_cls:
                    break
            if (
                first.__class__ is scalar_cls
                and first.value == ""
                and first.tag is None
                and first.implicit[0]
                and first.anchor is None
            ):
                ev = first
                raise _Problem("empty document")
            ev = get_event()
            if ev.__class__ is DocumentStartEvent:
                raise _Problem("expected a single document, found a second one")
        except yaml.MarkedYAMLError as exc:
            problem = exc.problem or ""
            if use_c and "maximum nesting depth" in problem:
                mark = exc.problem_mark
                raise _LibyamlDepthError(mark.index if mark else len(text)) from exc
            path = format_path(_event_path((stack, cur, is_map, key)))
            raise _yaml_error(exc, text, source, path) from exc
    except _Problem as problem:
        where = (stack, cur, is_map, key)
        raise _located(problem, ev, text, source, where) from None
    except LoadError as error:
        if error.location != Location():
            raise
        location = _event_location(ev, source, (stack, cur, is_map, key))
        raise _relocate(error, location) from None
    return root[0]


def _describe(value: object) -> str:
    """Name a non-string key's type and value, briefly."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return f"boolean {str(value).lower()}"
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a sequence"
    return f"{type(value).__name__} {value!r}"


def _event_path(where: _Where) -> list[str | int]:
    """The document path of the node the builder is about to add."""
    stack, cur, is_map, key = where
    path: list[str | int] = [
        parent_key if parent_is_map else len(parent) - 1
        for parent, parent_is_map, parent_key, _, _ in stack[1:]
    ]
    if stack:
        if not is_map:
            path.append(len(cur))
        elif isinstance(key, str):
            path.append(key)
    return path


def _event_location(ev: object, source: str, where: _Where) -> Location:
    path = format_path(_event_path(where))
    mark = getattr(ev, "start_mark", None)
    if mark is None:
        return Location(source=source, path=path)
    return Location(
        source=source, line=mark.line + 1, column=mark.column + 1, path=path
    )


def _first_key_line(text: str, ev: Any, path: list[str | int], key: str) -> int | None:  # noqa: ANN401  # a PyYAML event
    """The line where ``key`` was first written in the mapping at ``path``."""
    tree = _position_tree(text, stop_index=ev.start_mark.index)
    mapping, depth = _walk(tree, path)
    if mapping is None or depth != len(path):
        return None
    children = mapping[3]
    if not isinstance(children, dict) or key not in children:
        return None
    key_start = children[key][2]
    return _line_col_in(text, key_start)[0] if key_start >= 0 else None


def _located(
    problem: _Problem,
    ev: Any,  # noqa: ANN401  # a PyYAML event
    text: str,
    source: str,
    where: _Where,
) -> LoadError:
    location = _event_location(ev, source, where)
    message = problem.message
    if problem.duplicate is not None:
        line = _first_key_line(text, ev, _event_path(where), problem.duplicate)
        if line is not None:
            message += f" (first at line {line})"
    if problem.limit is not None:
        return LimitExceeded(
            message,
            limit=problem.limit,
            allowed=problem.allowed,
            actual=problem.actual,
            location=location,
        )
    return ConfigError(message, location=location)


def load_yaml_file(
    path: os.PathLike[str] | str,
    *,
    limits: LoadLimits = DEFAULT_LIMITS,
    use_libyaml: bool | None = None,
) -> YamlDocument:
    """Read and parse one strict YAML file (`read_text` then `parse_yaml`).

    Args:
        path: the file; error locations name it as given.
        limits: bounds on size, depth, nodes and integers.
        use_libyaml: as for `parse_yaml`.

    Returns:
        The parsed document, with ``source`` set to ``path``.

    Raises:
        ConfigError: unreadable or malformed input.
        LimitExceeded: input beyond ``limits``.
    """
    text = read_text(path, limits=limits)
    return parse_yaml(
        text, source=os.fspath(path), limits=limits, use_libyaml=use_libyaml
    )


# ---------------------------------------------------------------- writing
_CORE_RESOLVERS: Final = (
    ("tag:yaml.org,2002:null", _NULL_RE, ["~", "n", "N", ""]),
    ("tag:yaml.org,2002:bool", _BOOL_RE, list("tTfF")),
    ("tag:yaml.org,2002:int", _INT_RE, list("-+0123456789")),
    ("tag:yaml.org,2002:float", _FLOAT_RE, list("-+.0123456789")),
    # Not a type, but refused as a key by the loader: always quote it.
    ("tag:yaml.org,2002:merge", re.compile(r"<<\Z"), ["<"]),
)
# Line breaks other than \n and \r: PyYAML's pure emitter mangles them in plain
# and single-quoted scalars, so such strings are written double-quoted (escaped).
_UNICODE_BREAK_RE: Final = re.compile("[\x85\u2028\u2029]")


def _represent_str(
    dumper: yaml.representer.SafeRepresenter, data: str
) -> yaml.ScalarNode:
    style = '"' if _UNICODE_BREAK_RE.search(data) else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", data, style=style)


class _PureCoreDumper(yaml.SafeDumper):
    """Pure-Python safe dumper with the YAML 1.2 core resolver and no anchors."""

    yaml_implicit_resolvers = {}  # noqa: RUF012  # PyYAML's registry, filled below

    def ignore_aliases(self, data: object) -> bool:  # noqa: ARG002  # PyYAML hook
        """Write shared objects out in full rather than as anchors and aliases."""
        return True


_DUMPERS: dict[bool, type[Any]] = {False: _PureCoreDumper}

if HAVE_LIBYAML:

    class _CCoreDumper(yaml.CSafeDumper):
        """libyaml safe dumper with the YAML 1.2 core resolver and no anchors."""

        yaml_implicit_resolvers = {}  # noqa: RUF012  # PyYAML's registry, filled below

        def ignore_aliases(self, data: object) -> bool:  # noqa: ARG002  # PyYAML hook
            """Write shared objects out in full rather than as anchors and aliases."""
            return True

    _DUMPERS[True] = _CCoreDumper

for _dumper in _DUMPERS.values():
    for _tag, _regexp, _first in _CORE_RESOLVERS:
        _dumper.add_implicit_resolver(_tag, _regexp, _first)
    _dumper.add_representer(str, _represent_str)


def dump_yaml(data: object, *, use_libyaml: bool | None = None) -> str:
    """Write plain data as block-style YAML that `parse_yaml` reads back unchanged.

    Strings are quoted exactly when they would otherwise read back as another type
    (``'0o17'``, ``'1e3'``, ``'true'``, ``'null'``, ``''``); ``2020-09-01``,
    ``NO`` and ``12:30`` stay plain. Keys keep their order; non-ASCII text is
    written as is. Shared sub-objects are written out in full (no anchors).

    Args:
        data: dicts with string keys, lists, strings, ints, finite floats, booleans
            and ``None``.
        use_libyaml: force the C emitter (``True``) or the pure-Python one
            (``False``); ``None`` picks libyaml when available.

    Returns:
        The YAML text.

    Raises:
        TypeError: ``data`` holds something else, or is nested too deeply
            or contains itself.

    Examples:
        >>> print(
        ...     dump_yaml({"code": "0o17", "country": "NO", "n": 3, "xs": []}), end=""
        ... )
        code: '0o17'
        country: NO
        n: 3
        xs: []
    """
    use_c = HAVE_LIBYAML if use_libyaml is None else use_libyaml
    dumper = _DUMPERS[use_c]
    stream = io.StringIO()
    try:
        yaml.dump(
            data,
            stream,
            Dumper=dumper,
            sort_keys=False,
            allow_unicode=True,
            default_flow_style=False,
        )
    except yaml.representer.RepresenterError as exc:
        msg = f"cannot write {exc.args[1]!r} as YAML" if len(exc.args) > 1 else str(exc)
        raise TypeError(msg) from exc
    except RecursionError as exc:
        msg = "data is nested too deeply or contains itself"
        raise TypeError(msg) from exc
    return stream.getvalue()
