"""The strict YAML loader against the bad inputs of RELIABILITY.md A.1-A.15."""

from __future__ import annotations

import codecs
import importlib
import math
import os
import subprocess
import time
import tracemalloc
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from countypolicing.exceptions import ConfigError, LimitExceeded, LoadError, Location
from countypolicing.serialization._yaml import (
    DEFAULT_LIMITS,
    HAVE_LIBYAML,
    LoadLimits,
    YamlDocument,
    dump_yaml,
    format_path,
    load_yaml_file,
    parse_yaml,
    read_text,
    resolve_plain_scalar,
)

PARSERS = [
    pytest.param(
        True,
        id="libyaml",
        marks=pytest.mark.skipif(
            not HAVE_LIBYAML, reason="PyYAML built without libyaml"
        ),
    ),
    pytest.param(False, id="pure"),
]


@pytest.fixture(params=PARSERS)
def use_libyaml(request: pytest.FixtureRequest) -> bool:
    value: bool = request.param
    return value


def both_parsers() -> list[bool]:
    return [True, False] if HAVE_LIBYAML else [False]


def error_summary(
    error: LoadError,
) -> tuple[type[LoadError], str, int | None, int | None, str | None]:
    return (type(error), error.message, error.line, error.column, error.path)


def parse_error(
    text: str, *, use_libyaml: bool, limits: LoadLimits = DEFAULT_LIMITS
) -> LoadError:
    with pytest.raises(LoadError) as info:
        parse_yaml(text, source="case.yaml", use_libyaml=use_libyaml, limits=limits)
    return info.value


def load_failing_file(
    path: Path, content: bytes, *, use_libyaml: bool = False
) -> LoadError:
    """Write ``content``, load it expecting failure, and check the file is untouched."""
    path.write_bytes(content)
    with pytest.raises(LoadError) as info:
        load_yaml_file(path, use_libyaml=use_libyaml)
    assert path.read_bytes() == content
    assert info.value.source == str(path)
    return info.value


# ---------------------------------------------------------------- A.1-A.4 keys


def test_a_duplicate_top_level_key_names_both_lines(use_libyaml: bool) -> None:
    text = "schema_version: 1\nrisk_level: high\nname: x\nrisk_level: low\n"
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "duplicate key 'risk_level' (first at line 2)"
    assert (error.line, error.column) == (4, 1)
    assert str(error).startswith("case.yaml:4:1: ")


def test_a_duplicate_key_inside_a_list_item_names_the_item_and_both_lines(
    use_libyaml: bool,
) -> None:
    text = "rules:\n  - id: r1\n    when: a\n    then: b\n    when: c\n"
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "duplicate key 'when' (first at line 3)"
    assert (error.line, error.path) == (5, "rules[0]")


def test_a_duplicate_key_in_a_flow_mapping_is_found_too(use_libyaml: bool) -> None:
    error = parse_error("a: {x: 1, y: 2, x: 3}\n", use_libyaml=use_libyaml)
    assert error.message == "duplicate key 'x' (first at line 1)"
    assert (error.line, error.column, error.path) == (1, 17, "a")


@pytest.mark.parametrize(
    ("text", "line"),
    [
        ("on: a\n1: b\n", 2),
        ("yes: a\ntrue: b\n", 2),
        ("no: a\nfalse: b\n", 2),
    ],
)
def test_a_keys_that_only_collide_once_typed_are_rejected(
    text: str, line: int, use_libyaml: bool
) -> None:
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message.startswith("keys must be strings")
    assert error.line == line


def test_yes_and_on_keys_stay_strings_under_yaml_1_2(use_libyaml: bool) -> None:
    data = parse_yaml(
        "on: 1\nyes: 2\n'1': 3\n'true': 4\n", use_libyaml=use_libyaml
    ).data
    assert data == {"on": 1, "yes": 2, "1": 3, "true": 4}


def test_a_merge_key_is_refused_with_advice(use_libyaml: bool) -> None:
    text = (
        "base: &base {level: low, owner: police}\nrisk:\n  <<: *base\n  level: high\n"
    )
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "merge keys (<<) are not supported; write the keys out"
    assert (error.line, error.column, error.path) == (3, 3, "risk")


def test_a_quoted_double_angle_key_is_an_ordinary_key(use_libyaml: bool) -> None:
    assert parse_yaml("'<<': 1\n", use_libyaml=use_libyaml).data == {"<<": 1}


# ---------------------------------------------------------------- A.5-A.6 aliases


def _billion_laughs() -> str:
    lines = ['a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]']
    for level in range(1, 9):
        this, previous = chr(ord("a") + level), chr(ord("a") + level - 1)
        lines.append(f"{this}: &{this} [{','.join(['*' + previous] * 9)}]")
    return "\n".join(lines) + "\n"


def _fan_out_two_chain(levels: int) -> str:
    lines = ["l0: &l0 [x, x]"]
    lines.extend(f"l{i}: &l{i} [*l{i - 1}, *l{i - 1}]" for i in range(1, levels))
    return "\n".join(lines) + "\n"


def _mapping_chain(levels: int) -> str:
    lines = ["m0: &m0 {a: x, b: x}"]
    lines.extend(
        f"m{i}: &m{i} {{a: *m{i - 1}, b: *m{i - 1}}}" for i in range(1, levels)
    )
    return "\n".join(lines) + "\n"


@pytest.mark.parametrize(
    "text",
    [
        pytest.param(_billion_laughs(), id="9-level"),
        pytest.param(_fan_out_two_chain(30), id="30-level-fan-out-2"),
        pytest.param(_mapping_chain(30), id="30-level-mappings"),
    ],
)
def test_a_alias_bombs_are_rejected_fast_and_small(
    text: str, use_libyaml: bool
) -> None:
    tracemalloc.start()
    started = time.perf_counter()
    try:
        error = parse_error(text, use_libyaml=use_libyaml)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert isinstance(error, LimitExceeded)
    assert error.limit == "alias_expansion_factor"
    assert "would expand the document beyond" in error.message
    assert error.message.startswith("alias *")
    assert error.line is not None
    assert elapsed < 0.5
    assert peak < 5 * 2**20


def test_the_billion_laughs_document_is_396_bytes() -> None:
    assert len(_billion_laughs().encode()) <= 420


def test_a_max_nodes_limit_also_bounds_alias_copies(use_libyaml: bool) -> None:
    text = "a: &a [1, 2, 3, 4, 5, 6, 7, 8, 9]\nb: [*a, *a, *a]\n"
    error = parse_error(text, use_libyaml=use_libyaml, limits=LoadLimits(max_nodes=30))
    assert isinstance(error, LimitExceeded)
    assert error.limit == "max_nodes"
    assert error.allowed == 30


def test_a_max_nodes_limit_bounds_plain_documents(use_libyaml: bool) -> None:
    text = "[" + ", ".join(["1"] * 200) + "]\n"
    error = parse_error(text, use_libyaml=use_libyaml, limits=LoadLimits(max_nodes=100))
    assert isinstance(error, LimitExceeded)
    assert error.limit == "max_nodes"


def test_legitimate_aliases_load_as_independent_copies(use_libyaml: bool) -> None:
    text = (
        "defaults: &tags [night, school]\n"
        "place: &place {town: Yueyang, ward: {name: Nanhu}}\n"
        "disputes:\n"
        "  - {id: d1, tags: *tags, where: *place}\n"
        "  - {id: d2, tags: *tags, where: *place}\n"
        "  - {id: d3, tags: *tags, where: *place}\n"
    )
    data = parse_yaml(text, use_libyaml=use_libyaml).data
    assert isinstance(data, dict)
    disputes = data["disputes"]
    disputes[0]["tags"].append("market")
    disputes[0]["where"]["ward"]["name"] = "Changed"
    assert disputes[1]["tags"] == ["night", "school"]
    assert disputes[2]["where"] == {"town": "Yueyang", "ward": {"name": "Nanhu"}}
    assert data["defaults"] == ["night", "school"]
    assert data["place"]["ward"]["name"] == "Nanhu"
    assert disputes[1]["tags"] is not disputes[2]["tags"]


def test_an_alias_to_a_scalar_gives_the_scalar(use_libyaml: bool) -> None:
    data = parse_yaml(
        "a: &x 3.10\nb: *x\nc: &k key\n*k : v\n", use_libyaml=use_libyaml
    ).data
    assert data == {"a": 3.1, "b": 3.1, "c": "key", "key": "v"}


def test_an_unknown_alias_is_a_located_config_error(use_libyaml: bool) -> None:
    error = parse_error("a: 1\nb: *nowhere\n", use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "unknown alias *nowhere"
    assert (error.line, error.column, error.path) == (2, 4, "b")


def test_an_alias_inside_its_own_anchor_is_refused(use_libyaml: bool) -> None:
    error = parse_error("a: &a [1, *a]\n", use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert "refers to a node that contains it" in error.message


# ---------------------------------------------------------------- A.7 nesting


def _flow_nesting(depth: int) -> str:
    return "[" * depth + "]" * depth + "\n"


def _block_nesting(depth: int) -> str:
    return "".join(
        " " * i + "- \n" if i < depth - 1 else " " * i + "- x\n" for i in range(depth)
    )


def _mapping_nesting(depth: int) -> str:
    return (
        "".join(" " * i + "k:\n" for i in range(depth - 1))
        + " " * (depth - 1)
        + "k: x\n"
    )


@pytest.mark.parametrize("depth", [100, 600, 5000])
@pytest.mark.parametrize("make", [_flow_nesting, _block_nesting, _mapping_nesting])
def test_deep_nesting_fails_identically_with_and_without_libyaml(
    depth: int, make: Callable[[int], str]
) -> None:
    text = make(depth)
    summaries = set()
    for flag in both_parsers():
        started = time.perf_counter()
        error = parse_error(text, use_libyaml=flag)
        assert time.perf_counter() - started < 1.0
        assert isinstance(error, LimitExceeded)
        assert error.message == "nesting deeper than 64"
        assert (error.limit, error.allowed, error.actual) == ("max_depth", 64, 65)
        summaries.add(error_summary(error))
    assert len(summaries) == 1


def test_nesting_of_exactly_max_depth_is_accepted(use_libyaml: bool) -> None:
    data = parse_yaml(_flow_nesting(64), use_libyaml=use_libyaml).data
    for _ in range(63):
        assert isinstance(data, list)
        data = data[0]
    assert data == []


@pytest.mark.skipif(not HAVE_LIBYAML, reason="PyYAML built without libyaml")
def test_libyamls_own_limit_is_never_what_the_user_sees() -> None:
    """libyaml stops at 1000 flow levels; a higher max_depth must still hold."""
    limits = LoadLimits(max_depth=1100)
    data = parse_yaml(_flow_nesting(1050), use_libyaml=True, limits=limits).data
    depth = 0
    while isinstance(data, list) and data:
        data = data[0]
        depth += 1
    assert depth == 1049
    error = parse_error(_flow_nesting(1150), use_libyaml=True, limits=limits)
    assert error.message == "nesting deeper than 1100"
    assert (error.line, error.column) == (1, 1101)


def test_an_earlier_problem_wins_over_deep_nesting_in_both_parsers() -> None:
    text = "a: 1\na: 2\nb: " + _flow_nesting(3000)
    summaries = {
        error_summary(parse_error(text, use_libyaml=flag)) for flag in both_parsers()
    }
    assert len(summaries) == 1
    (summary,) = summaries
    assert summary[1] == "duplicate key 'a' (first at line 1)"


# ---------------------------------------------------------------- A.8 size


def test_a_file_one_byte_over_the_limit_is_rejected_before_parsing(
    tmp_path: Path,
) -> None:
    limits = LoadLimits(max_bytes=1024)
    path = tmp_path / "big.yaml"
    content = b"a: " + b"x" * (1024 - 4) + b"\n"
    path.write_bytes(content)
    assert load_yaml_file(path, limits=limits).data == {"a": "x" * 1020}
    path.write_bytes(content + b"\n")
    with pytest.raises(LimitExceeded) as info:
        load_yaml_file(path, limits=limits)
    assert (info.value.limit, info.value.allowed, info.value.actual) == (
        "max_bytes",
        1024,
        1025,
    )
    assert info.value.source == str(path)
    assert path.read_bytes() == content + b"\n"


def test_the_default_limit_plus_one_byte_is_rejected(tmp_path: Path) -> None:
    path = tmp_path / "big.yaml"
    with path.open("wb") as stream:
        stream.truncate(DEFAULT_LIMITS.max_bytes + 1)
    with pytest.raises(LimitExceeded) as info:
        read_text(path)
    assert info.value.actual == DEFAULT_LIMITS.max_bytes + 1


def test_a_sparse_gigabyte_file_is_rejected_instantly(tmp_path: Path) -> None:
    path = tmp_path / "huge.yaml"
    with path.open("wb") as stream:
        stream.truncate(2**30)
    tracemalloc.start()
    started = time.perf_counter()
    try:
        with pytest.raises(LimitExceeded) as info:
            load_yaml_file(path)
        elapsed = time.perf_counter() - started
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert info.value.actual == 2**30
    assert elapsed < 0.5
    assert peak < 2**20


def test_a_file_that_grows_after_stat_is_still_bounded(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "growing.yaml"
    path.write_bytes(b"a: " + b"x" * 5000 + b"\n")
    real_stat = os.stat

    def shrunk_stat(target: object, *args: object, **kwargs: object) -> os.stat_result:
        result = real_stat(target, *args, **kwargs)  # type: ignore[arg-type]  # forwarding
        values = list(result)
        values[6] = 10  # st_size as it was "before the file grew"
        return os.stat_result(values)

    monkeypatch.setattr(os, "stat", shrunk_stat)
    with pytest.raises(LimitExceeded) as info:
        read_text(path, limits=LoadLimits(max_bytes=100))
    assert info.value.actual == 101


def test_a_text_over_the_limit_is_rejected_before_parsing() -> None:
    with pytest.raises(LimitExceeded) as info:
        parse_yaml("a: " + "x" * 100, limits=LoadLimits(max_bytes=50))
    assert info.value.limit == "max_bytes"


# ---------------------------------------------------------------- A.9 tags


@pytest.fixture
def no_code_runs(monkeypatch: pytest.MonkeyPatch) -> Iterator[list[object]]:
    """Spies on the usual ways to run code; the test asserts they stay unused."""
    calls: list[object] = []

    def spy(*args: object, **kwargs: object) -> None:
        calls.append((args, kwargs))
        msg = "code ran"
        raise AssertionError(msg)

    monkeypatch.setattr(os, "system", spy)
    monkeypatch.setattr(subprocess, "Popen", spy)
    monkeypatch.setattr(importlib, "import_module", spy)
    yield calls
    assert calls == []


TAG_CASES = [
    (
        'a: !!python/object/apply:os.system ["touch {sentinel}"]\n',
        "!!python/object/apply:os.system",
    ),
    (
        "a: !!python/object/apply:subprocess.Popen [[touch, {sentinel}]]\n",
        "!!python/object/apply:subprocess.Popen",
    ),
    ("a: !!python/name:os.system\n", "!!python/name:os.system"),
    (
        'a: !!python/object/new:os.system ["touch {sentinel}"]\n',
        "!!python/object/new:os.system",
    ),
    ("a: !!python/object:builtins.dict {{x: 1}}\n", "!!python/object:builtins.dict"),
    ("a: !!python/module:os\n", "!!python/module:os"),
    ("a: !!binary aGVsbG8=\n", "!!binary"),
    ("a: !!set {{x: null, y: null}}\n", "!!set"),
    ("a: !!omap [x: 1, y: 2]\n", "!!omap"),
    ("a: !!str 12\n", "!!str"),
    ("a: !include other.yaml\n", "!include"),
    ("a: !<tag:example.com,2000:x> 1\n", "tag:example.com,2000:x"),
    (
        "%TAG !e! tag:example.com,2000:\n---\na: !e!thing 1\n",
        "tag:example.com,2000:thing",
    ),
    ("!!python/name:os.system : key\n", "!!python/name:os.system"),
    (
        '!!python/object/apply:os.system ["touch {sentinel}"]\n',
        "!!python/object/apply:os.system",
    ),
    ("- !!map {{}}\n", "!!map"),
]


@pytest.mark.parametrize(("template", "tag"), TAG_CASES)
def test_every_explicit_tag_is_refused_and_runs_nothing(
    template: str,
    tag: str,
    tmp_path: Path,
    use_libyaml: bool,
    no_code_runs: list[object],
) -> None:
    sentinel = tmp_path / "SENTINEL"
    path = tmp_path / "tagged.yaml"
    content = template.format(sentinel=sentinel).encode()
    error = load_failing_file(path, content, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == f"tag {tag!r} is not allowed"
    assert error.line is not None
    assert error.column is not None
    assert not sentinel.exists()
    assert no_code_runs == []


def test_the_non_specific_tag_means_string(use_libyaml: bool) -> None:
    assert parse_yaml("a: ! 12\nb: ! [1]\n", use_libyaml=use_libyaml).data == {
        "a": "12",
        "b": [1],
    }


# ---------------------------------------------------------------- A.10-A.12 scalars

TRAPS = (
    "country: NO\nenabled: off\nflag: yes\nshort: y\ncode: 0755\nten: 010\n"
    "version: 3.10\nwindow: 12:30\nduration: 1:20:30\ndate: 2024-01-05\n"
    "octal: 0o17\nhex: 0x1F\nsci: 1e3\nunderscored: 1_000\ncountries: [GB, NO, SE, ON]\n"
)
TRAP_VALUES = {
    "country": "NO",
    "enabled": "off",
    "flag": "yes",
    "short": "y",
    "code": 755,
    "ten": 10,
    "version": 3.1,
    "window": "12:30",
    "duration": "1:20:30",
    "date": "2024-01-05",
    "octal": 15,
    "hex": 31,
    "sci": 1000.0,
    "underscored": "1_000",
    "countries": ["GB", "NO", "SE", "ON"],
}


def test_yaml_1_1_traps_read_the_same_with_and_without_libyaml() -> None:
    for flag in both_parsers():
        assert parse_yaml(TRAPS, use_libyaml=flag).data == TRAP_VALUES


def test_raw_scalar_shows_how_a_value_was_written() -> None:
    document = parse_yaml(TRAPS, source="traps.yaml")
    assert document.raw_scalar(["version"]) == "3.10"
    assert document.raw_scalar(["country"]) == "NO"
    assert document.raw_scalar(["countries", 1]) == "NO"
    assert document.raw_scalar(["countries"]) is None
    assert document.raw_scalar(["missing"]) is None
    assert document.locate(["version"]) == Location(
        source="traps.yaml", line=7, column=10, path="version"
    )


def test_quoted_scalars_are_always_strings(use_libyaml: bool) -> None:
    text = "a: '1'\nb: \"true\"\nc: 'null'\nd: |\n  12\ne: ''\n"
    assert parse_yaml(text, use_libyaml=use_libyaml).data == {
        "a": "1",
        "b": "true",
        "c": "null",
        "d": "12\n",
        "e": "",
    }


def test_a_4301_digit_integer_is_a_limit_not_a_bare_value_error(
    use_libyaml: bool,
) -> None:
    error = parse_error("population: " + "1" * 4301 + "\n", use_libyaml=use_libyaml)
    assert isinstance(error, LimitExceeded)
    assert (error.line, error.column, error.path) == (1, 13, "population")
    assert "4301 digits" in error.message


def test_an_integer_beyond_max_int_is_a_limit(use_libyaml: bool) -> None:
    error = parse_error("n: " + "9" * 4300 + "\n", use_libyaml=use_libyaml)
    assert isinstance(error, LimitExceeded)
    assert error.limit == "max_int"
    assert parse_yaml(f"n: {2**63 - 1}\n", use_libyaml=use_libyaml).data == {
        "n": 2**63 - 1
    }
    assert parse_error(f"n: -{2**63}\n", use_libyaml=use_libyaml).path == "n"


def test_a_float_literal_that_overflows_is_a_config_error(use_libyaml: bool) -> None:
    error = parse_error("score: 1e309\n", use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "number too large: 1e309"
    assert (error.line, error.column, error.path) == (1, 8, "score")


def test_nan_and_infinity_load_as_floats_for_the_schema_to_judge(
    use_libyaml: bool,
) -> None:
    data = parse_yaml(
        "a: .nan\nb: .inf\nc: -.inf\nd: +.INF\ne: .NaN\n", use_libyaml=use_libyaml
    ).data
    assert isinstance(data, dict)
    assert math.isnan(data["a"])
    assert math.isnan(data["e"])
    assert (data["b"], data["c"], data["d"]) == (math.inf, -math.inf, math.inf)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", None),
        ("~", None),
        ("NULL", None),
        ("TRUE", True),
        ("False", False),
        ("tRue", "tRue"),
        ("+12", 12),
        ("-0", 0),
        ("0o", "0o"),
        ("0x", "0x"),
        ("0xG", "0xG"),
        ("1.", 1.0),
        ("-.5e-3", -0.0005),
        (".", "."),
        ("-", "-"),
        ("1e", "1e"),
        ("-.nan", "-.nan"),
        ("٣", "٣"),
        ("١٢", "١٢"),
        ("nothing", "nothing"),
    ],
)
def test_resolve_plain_scalar_follows_the_core_schema(
    text: str, expected: object
) -> None:
    assert resolve_plain_scalar(text) == expected
    assert type(resolve_plain_scalar(text)) is type(expected)


def test_unicode_digits_stay_strings_in_documents(use_libyaml: bool) -> None:
    assert parse_yaml("a: ١٢\nb: ²\n", use_libyaml=use_libyaml).data == {
        "a": "١٢",
        "b": "²",
    }


# ---------------------------------------------------------------- A.13-A.14 keys, documents


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("1: x\n", "int 1"),
        ("null: x\n", "null"),
        ("~: x\n", "null"),
        ("?\n: x\n", "null"),
        ("true: x\n", "boolean true"),
        ("1.5: x\n", "float 1.5"),
        ("{[1, 2]: x}\n", "a sequence"),
        ("? {a: 1}\n: x\n", "a mapping"),
        ("a:\n  0x10: x\n", "int 16"),
    ],
)
def test_non_string_keys_are_refused_with_location(
    text: str, fragment: str, use_libyaml: bool
) -> None:
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message.startswith("keys must be strings")
    assert fragment in error.message
    assert error.line is not None
    assert error.column is not None


def test_date_like_keys_are_strings_under_yaml_1_2(use_libyaml: bool) -> None:
    assert parse_yaml("2024-01-05: x\n12:30: y\n", use_libyaml=use_libyaml).data == {
        "2024-01-05": "x",
        "12:30": "y",
    }


@pytest.mark.parametrize(
    "text", ["", "# only a comment\n# and another\n", "---\n", "--- \n...\n", "\n\n"]
)
def test_empty_documents_are_refused(text: str, use_libyaml: bool) -> None:
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "empty document"
    assert error.line is not None


def test_an_explicit_null_document_is_not_empty(use_libyaml: bool) -> None:
    assert parse_yaml("null\n", use_libyaml=use_libyaml).data is None


@pytest.mark.parametrize(
    "text", ["a: 1\n---\nb: 2\n", "--- 1\n--- 2\n", "a: 1\n...\n---\n"]
)
def test_more_than_one_document_is_refused(text: str, use_libyaml: bool) -> None:
    error = parse_error(text, use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.message == "expected a single document, found a second one"


# ---------------------------------------------------------------- A.15 encoding


def test_a_utf8_byte_order_mark_is_accepted(tmp_path: Path, use_libyaml: bool) -> None:
    path = tmp_path / "bom.yaml"
    path.write_bytes(codecs.BOM_UTF8 + "name: 岳阳楼\n".encode())
    document = load_yaml_file(path, use_libyaml=use_libyaml)
    assert document.data == {"name": "岳阳楼"}
    assert document.locate(["name"]).column == 7


def test_utf16_without_bom_is_a_located_config_error(tmp_path: Path) -> None:
    error = load_failing_file(
        tmp_path / "u16.yaml", "name: x\nid: 3\n".encode("utf-16-le")
    )
    assert isinstance(error, ConfigError)
    assert "NUL" in error.message
    assert (error.line, error.column) == (1, 2)


def test_utf16_with_bom_is_a_located_config_error(tmp_path: Path) -> None:
    error = load_failing_file(tmp_path / "u16.yaml", "name: x\n".encode("utf-16"))
    assert isinstance(error, ConfigError)
    assert "not valid UTF-8" in error.message
    assert (error.line, error.column) == (1, 1)


def test_latin1_bytes_are_a_located_config_error(tmp_path: Path) -> None:
    error = load_failing_file(
        tmp_path / "latin1.yaml", "a: 1\nname: café\n".encode("latin-1")
    )
    assert isinstance(error, ConfigError)
    assert "byte 0xe9" in error.message
    assert (error.line, error.column) == (2, 10)
    assert isinstance(error.__cause__, UnicodeDecodeError)


def test_a_nul_character_is_a_located_config_error(
    tmp_path: Path, use_libyaml: bool
) -> None:
    error = load_failing_file(
        tmp_path / "nul.yaml", b"a: 1\nb: x\x00y\n", use_libyaml=use_libyaml
    )
    assert isinstance(error, ConfigError)
    assert (error.line, error.column) == (2, 5)
    text_error = parse_error("a: 1\nb: x\x00y\n", use_libyaml=use_libyaml)
    assert (text_error.line, text_error.column) == (2, 5)


def test_control_characters_are_located_the_same_by_both_parsers() -> None:
    text = "a: 1\r\nb: 2\nc: x\x07\n"
    summaries = {
        error_summary(parse_error(text, use_libyaml=flag)) for flag in both_parsers()
    }
    assert len(summaries) == 1
    (summary,) = summaries
    assert summary[2:4] == (3, 5)


def test_a_lone_surrogate_escape_is_a_located_config_error(
    tmp_path: Path, use_libyaml: bool
) -> None:
    error = load_failing_file(
        tmp_path / "sur.yaml", b'a: 1\nb: "x\\ud800"\n', use_libyaml=use_libyaml
    )
    assert isinstance(error, ConfigError)
    assert error.line == 2
    assert error.column is not None


def test_a_lone_surrogate_in_text_is_a_located_config_error(use_libyaml: bool) -> None:
    error = parse_error("a: 1\nb: x\ud800\n", use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert (error.line, error.column) == (2, 5)
    assert "surrogate" in error.message


def test_a_byte_order_mark_inside_the_text_is_refused_by_both_parsers() -> None:
    text = "a: 1\n\ufeffb: 2\n"
    summaries = {
        error_summary(parse_error(text, use_libyaml=flag)) for flag in both_parsers()
    }
    assert len(summaries) == 1


def test_a_tab_used_as_indentation_is_a_located_config_error(
    tmp_path: Path, use_libyaml: bool
) -> None:
    error = load_failing_file(
        tmp_path / "tab.yaml", b"rules:\n\t- id: r1\n", use_libyaml=use_libyaml
    )
    assert isinstance(error, ConfigError)
    assert (error.line, error.column) == (2, 1)
    assert isinstance(error.__cause__, Exception)


def test_a_syntax_error_keeps_the_yaml_error_as_cause(use_libyaml: bool) -> None:
    error = parse_error("a: [1, 2\nb: 3\n", use_libyaml=use_libyaml)
    assert isinstance(error, ConfigError)
    assert error.line is not None
    assert "flow sequence" in error.message
    assert type(error.__cause__).__module__.startswith("yaml")


# ---------------------------------------------------------------- files


def test_a_missing_file_is_a_config_error_naming_it(tmp_path: Path) -> None:
    path = tmp_path / "missing.yaml"
    with pytest.raises(ConfigError) as info:
        load_yaml_file(path)
    assert str(path) in str(info.value)
    assert isinstance(info.value.__cause__, FileNotFoundError)


def test_a_directory_is_a_config_error_naming_it(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as info:
        read_text(tmp_path)
    assert str(tmp_path) in str(info.value)
    assert isinstance(info.value.__cause__, OSError)


def test_an_unreadable_file_is_a_config_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "secret.yaml"
    path.write_text("a: 1\n")

    def denied(*_args: object, **_kwargs: object) -> None:
        raise PermissionError(13, "Permission denied")

    monkeypatch.setattr(Path, "open", denied)
    with pytest.raises(ConfigError) as info:
        read_text(path)
    assert "Permission denied" in str(info.value)
    assert isinstance(info.value.__cause__, PermissionError)


def test_load_yaml_file_names_the_source_as_given(tmp_path: Path) -> None:
    path = tmp_path / "c.yaml"
    path.write_text(
        "communities:\n  - id: c1\n    population: 1200\n", encoding="utf-8"
    )
    document = load_yaml_file(path)
    assert document.source == str(path)
    assert document.locate(["communities", 0, "population"]) == Location(
        source=str(path), line=3, column=17, path="communities[0].population"
    )


# ---------------------------------------------------------------- locate and helpers


def test_locate_falls_back_to_the_deepest_existing_ancestor() -> None:
    document = parse_yaml(
        "communities:\n  - id: c1\n  - id: c2\n    name: x\n", source="c.yaml"
    )
    assert document.locate(["communities", 1, "population"]) == Location(
        source="c.yaml", line=3, column=5, path="communities[1].population"
    )
    assert document.locate(["nothing", 3]) == Location(
        source="c.yaml", line=1, column=1, path="nothing[3]"
    )
    assert document.locate([]) == Location(source="c.yaml", line=1, column=1, path="$")
    assert document.locate(["communities", 1, "name"]).line == 4


def test_raw_scalar_leaves_out_anchors_and_tags(use_libyaml: bool) -> None:
    document = parse_yaml("a: &x 3.10\nb: ! NO\nc: 'q'\n", use_libyaml=use_libyaml)
    assert [document.raw_scalar([key]) for key in "abc"] == ["3.10", "NO", "'q'"]


def test_locate_points_into_alias_sites_not_anchors() -> None:
    document = parse_yaml("a: &t [x, y]\nb: *t\n")
    assert document.locate(["b", 1]).line == 2
    assert document.raw_scalar(["b", 1]) is None
    assert document.raw_scalar(["a", 1]) == "y"


def test_yaml_documents_compare_by_content() -> None:
    first = parse_yaml("a: 1\n")
    first.locate(["a"])
    assert first == YamlDocument({"a": 1}, "a: 1\n", "<text>")


@pytest.mark.parametrize(
    ("path", "rendered"),
    [
        ((), "$"),
        (("communities", 2, "population"), "communities[2].population"),
        ((3,), "[3]"),
        (("社区", "名称"), "社区.名称"),
        (("a.b", "c d", 'q"'), '["a.b"]["c d"]["q\\""]'),
    ],
)
def test_format_path_renders_document_paths(
    path: tuple[str | int, ...], rendered: str
) -> None:
    assert format_path(path) == rendered


@pytest.mark.parametrize(
    "field",
    ["max_bytes", "max_depth", "max_nodes", "alias_expansion_factor", "max_int"],
)
@pytest.mark.parametrize("value", [0, -1, True, 1.5])
def test_load_limits_must_be_positive_integers(field: str, value: object) -> None:
    with pytest.raises(ValueError, match=field):
        LoadLimits(**{field: value})  # type: ignore[arg-type]  # invalid on purpose


# ---------------------------------------------------------------- dumping


def test_dump_quotes_exactly_the_strings_that_would_change_type() -> None:
    data = {
        "quoted": ["0o17", "1e3", "true", "null", "", "~", "12", ".inf", "-.5", "0x1F"],
        "plain": ["2020-09-01", "NO", "12:30", "off", "yes", "1_000", "0o8", "岳阳楼"],
    }
    text = dump_yaml(data)
    assert text == (
        "quoted:\n- '0o17'\n- '1e3'\n- 'true'\n- 'null'\n- ''\n- '~'\n- '12'\n"
        "- '.inf'\n- '-.5'\n- '0x1F'\n"
        "plain:\n- 2020-09-01\n- NO\n- 12:30\n- off\n- yes\n- 1_000\n- 0o8\n- 岳阳楼\n"
    )
    assert parse_yaml(text).data == data


def test_dump_keeps_key_order_and_writes_shared_objects_out() -> None:
    shared = ["x"]
    text = dump_yaml({"b": shared, "a": shared})
    assert text == "b:\n- x\na:\n- x\n"


def test_dump_refuses_what_yaml_cannot_hold() -> None:
    with pytest.raises(TypeError):
        dump_yaml({"a": object()})
    looped: list[object] = []
    looped.append(looped)
    with pytest.raises(TypeError):
        dump_yaml(looped)


def test_the_pure_and_c_emitters_write_the_same_text() -> None:
    data = {"a": ["0o17", "NO", 1.5, None, True], "b": {"c": "多行\n文本", "d": []}}
    texts = {dump_yaml(data, use_libyaml=flag) for flag in both_parsers()}
    assert len(texts) == 1


TRICKY_STRINGS = [
    "0o17",
    "1e3",
    "true",
    "NO",
    "12:30",
    "",
    "null",
    "~",
    "-",
    "<<",
    "2024-01-05",
    ".nan",
    "\ufeff",
    "a\x85b",
    "\u2028",
    " lead",
    "trail ",
    "a\n",
    "\t",
    "#",
    "a: b",
    "'",
    '"',
    "\x00",
    "word " * 30,
    "a  b " * 20,
    "\r",
    "---",
    "...",
    "\U0001f600",
]
json_strings = st.text() | st.sampled_from(TRICKY_STRINGS)
json_scalars = (
    st.none()
    | st.booleans()
    | st.integers(min_value=-(2**63) + 1, max_value=2**63 - 1)
    | st.floats(allow_nan=False, allow_infinity=False)
    | json_strings
)
json_data = st.recursive(
    json_scalars,
    lambda children: (
        st.lists(children, max_size=5)
        | st.dictionaries(json_strings, children, max_size=5)
    ),
    max_leaves=25,
)


@pytest.mark.parametrize("tricky", TRICKY_STRINGS)
def test_tricky_strings_round_trip_as_keys_and_values(tricky: str) -> None:
    data = {tricky: [tricky], "k": tricky}
    for dump_flag in both_parsers():
        text = dump_yaml(data, use_libyaml=dump_flag)
        for parse_flag in both_parsers():
            assert parse_yaml(text, use_libyaml=parse_flag).data == data


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    data=json_data,
    dump_with_libyaml=st.sampled_from(both_parsers()),
    parse_with_libyaml=st.sampled_from(both_parsers()),
)
def test_dumped_yaml_parses_back_to_the_same_data(
    data: object, dump_with_libyaml: bool, parse_with_libyaml: bool
) -> None:
    text = dump_yaml(data, use_libyaml=dump_with_libyaml)
    assert parse_yaml(text, use_libyaml=parse_with_libyaml).data == data


# ---------------------------------------------------------------- fuzzing

yaml_alphabet = st.sampled_from(
    list("[]{}:-?,&*!|>'\"#%@` \n\t\r.~<=0123456789abeEnotxyNO\\u\x00\x85\ufeff\u2028é")
)


@settings(max_examples=500, deadline=None)
@given(
    text=st.text() | st.text(alphabet=yaml_alphabet, max_size=60),
    flag=st.sampled_from(both_parsers()),
)
def test_arbitrary_text_only_ever_raises_load_errors(text: str, flag: bool) -> None:
    limits = LoadLimits(max_depth=8, max_nodes=10_000)
    try:
        document = parse_yaml(text, use_libyaml=flag, limits=limits)
    except LoadError as exc:
        error: LoadError | None = exc
    else:
        error = None
    if error is not None:
        assert error.location.source == "<text>"
        return
    assert isinstance(
        document.data, dict | list | str | int | float | bool | type(None)
    )
    document.locate(["a", 0])
    document.raw_scalar([0])


@settings(max_examples=300, deadline=None)
@given(text=st.text(alphabet=yaml_alphabet, max_size=60))
def test_both_parsers_agree_on_what_they_accept(text: str) -> None:
    results = []
    for flag in both_parsers():
        try:
            results.append(("ok", repr(parse_yaml(text, use_libyaml=flag).data)))
        except LoadError as error:
            results.append(("error", type(error).__name__))
    if all(kind == "ok" for kind, _ in results):
        assert len({value for _, value in results}) == 1


def test_plain_documents_load_as_pyyaml_would(use_libyaml: bool) -> None:
    import yaml  # noqa: PLC0415  # only this test compares with PyYAML itself

    text = (
        "schema_version: 1\n"
        "communities:\n"
        "  - id: c-001\n    name: 南湖社区\n    population: 12000\n    area_km2: 3.25\n"
        "    urban: true\n    note: null\n    tags: [school, market]\n"
        "  - {id: c-002, name: 'quoted: yes', population: -3, area_km2: .5}\n"
        "text: |\n  line one\n  line two\n"
        "folded: >\n  a\n  b\n"
    )
    assert parse_yaml(text, use_libyaml=use_libyaml).data == yaml.safe_load(text)
