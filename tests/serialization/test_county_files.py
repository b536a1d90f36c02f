"""Loading and saving counties: located errors, schema versions, atomic saves.

Covers RELIABILITY.md B.18-B.20 through the file format, and the A items that are
about what a *county* file accepts (as opposed to the YAML layer).
"""

from __future__ import annotations

import os
import subprocess
import time
from pathlib import Path

import pytest

import countypolicing as cp
from countypolicing.exceptions import (
    ConfigError,
    LimitExceeded,
    LoadError,
    LoadErrorGroup,
    SaveError,
    SchemaVersionError,
    ValidationError,
)
from countypolicing.model import County, Township, TownshipKind
from countypolicing.serialization import (
    COUNTY_FILES,
    LoadLimits,
    county_from_text,
    county_to_text,
    load_county,
    save_county,
)
from countypolicing.serialization import _county_io as io
from countypolicing.serialization._county_io import Migration, migrate

HEADER = "schema_version: 1\ncounty: {id: demo, name_zh: 示例区}\n"

MINIMAL = (
    HEADER
    + """townships:
  - {id: t1, name_zh: 示例街道, kind: sub_district}
communities:
  - {id: c1, name_zh: 示例社区, township_id: t1, kind: urban, population: 100, households: 40}
"""
)


def problems(exc: LoadErrorGroup) -> list[str]:
    return [str(e) for e in exc.problems]


@pytest.fixture
def spies(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Record any attempt to run code (RELIABILITY.md (b) default expectation 2)."""
    calls: list[str] = []

    def spy(name: str) -> object:
        def record(*_: object, **__: object) -> None:
            calls.append(name)
            raise AssertionError(name)

        return record

    monkeypatch.setattr(os, "system", spy("os.system"))
    monkeypatch.setattr(subprocess, "Popen", spy("subprocess.Popen"))
    return calls


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_a_minimal_county_loads_from_text_and_from_a_file(tmp_path: Path) -> None:
    county = county_from_text(MINIMAL)
    assert county.community("c1").township_id == "t1"
    assert load_county(write(tmp_path, "one.yaml", MINIMAL)) == county


def test_several_errors_in_one_file_are_reported_together_with_their_lines() -> None:
    text = (
        HEADER
        + """communities:
  - id: c1
    name_zh: 示例社区
    kind: urban
    population: many
    households: [1, 2]
    township_id: t1
"""
    )
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text, source="communities.yaml")
    found = problems(info.value)
    assert any(
        p.startswith(
            "communities.yaml:7:17: communities[0].population: expected an integer"
        )
        for p in found
    ), found
    assert any(
        p.startswith(
            "communities.yaml:8:17: communities[0].households: expected an integer"
        )
        for p in found
    ), found
    assert all(isinstance(e, ValidationError) for e in info.value.problems)


def test_a_missing_required_field_is_named_with_the_record_line() -> None:
    text = HEADER + "townships:\n  - {id: t1, kind: sub_district}\n"
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text, source="c.yaml")
    (err,) = info.value.problems
    assert err.path == "townships[0].name_zh"
    assert err.line == 4
    assert "required field is missing" in err.message


def test_dangling_and_duplicate_references_are_all_listed_with_file_and_line() -> None:
    text = (
        MINIMAL
        + """  - {id: c1, name_zh: 重复, township_id: t1, kind: urban, population: 1, households: 1}
  - {id: c3, name_zh: 悬空, township_id: nowhere, kind: village, population: 1, households: 1}
disputes:
  - id: d1
    type: neighbour
    community_id: c9
    origin: call_110
    summary: 噪音
    reported_on: 2020-08-01
    parties:
      - {party_id: ghost-a, role: applicant}
      - {party_id: ghost-b, role: respondent}
"""
    )
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text, source="county.yaml")
    found = problems(info.value)
    expected = [
        "county.yaml:7:10: communities[1].id: id 'c1' is already used in communities",
        "county.yaml:8:40: communities[2].township_id: unknown township 'nowhere'",
        "county.yaml:12:19: disputes[0].community_id: unknown community 'c9'",
        "county.yaml:17:20: disputes[0].parties[0].party_id: unknown organisation or person 'ghost-a'",
        "county.yaml:18:20: disputes[0].parties[1].party_id: unknown organisation or person 'ghost-b'",
    ]
    for piece in expected:
        assert any(piece in p for p in found), (piece, found)


def test_out_of_range_values_are_refused() -> None:
    cases = {
        "population: -5": "population must be a finite number >= 0",
        "population: 100, valid_from: 2021-01-01, valid_to: 2020-01-01": "valid_to (2020-01-01) is before valid_from",
        "population: .nan": "expected an integer, got number nan",
        "population: 1e309": "number too large",
    }
    for change, message in cases.items():
        text = MINIMAL.replace("population: 100", change)
        with pytest.raises((LoadErrorGroup, ConfigError)) as info:
            county_from_text(text)
        assert message in str(info.value), (change, str(info.value))


@pytest.mark.parametrize("value", [".nan", ".inf", "-.inf"])
def test_non_finite_numbers_are_refused_in_number_fields(value: str) -> None:
    text = (
        MINIMAL
        + f"indicators:\n  - {{community_id: c1, as_of: 2020-06-30, calls_per_1000: {value}}}\n"
    )
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text)
    (err,) = info.value.problems
    assert err.path == "indicators[0].calls_per_1000"
    assert "must be finite" in err.message


def test_a_naive_datetime_is_refused_where_an_offset_is_required() -> None:
    text = (
        HEADER
        + """ledger:
  - {seq: 1, at: "2020-05-01T09:00:00", task_id: t1, actor_id: o, action: assign}
"""
    )
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text)
    assert "needs a UTC offset" in str(info.value)


def test_yaml_1_1_traps_in_text_fields_are_refused_with_the_text_as_written() -> None:
    for raw, shown in [
        ("0755", "integer 755"),
        ("3.10", "number 3.1"),
        ("true", "boolean"),
    ]:
        text = MINIMAL.replace("name_zh: 示例社区", f"name_zh: {raw}")
        with pytest.raises(LoadErrorGroup) as info:
            county_from_text(text)
        message = str(info.value)
        assert shown in message, message
        assert f"(written `{raw}`)" in message


def test_yaml_1_1_words_stay_text_in_text_fields() -> None:
    for word in ("NO", "off", "yes", "12:30"):
        county = county_from_text(
            MINIMAL.replace("name_zh: 示例社区", f"name_zh: {word}")
        )
        assert county.community("c1").name_zh == word


def test_look_alike_keys_are_unknown_fields_shown_escaped_with_a_suggestion() -> None:
    for key in ("populat\u0456on", "population\u200b", "ﬁeld"):
        text = MINIMAL.replace("households: 40", f"households: 40, {key}: 1")
        with pytest.raises(LoadErrorGroup) as info:
            county_from_text(text)
        message = str(info.value)
        assert "unknown field" in message
        assert ascii(key) in message


def test_a_misspelled_field_gets_a_did_you_mean() -> None:
    text = MINIMAL.replace("households: 40", "houesholds: 40")
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text)
    assert "did you mean 'households'?" in str(info.value)


def test_an_unknown_or_repeated_section_is_an_error() -> None:
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(MINIMAL + "communites: []\n")
    assert "unknown section 'communites'; did you mean 'communities'?" in str(
        info.value
    )


def test_a_file_without_the_county_header_is_refused() -> None:
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text("schema_version: 1\ntownships: []\n")
    assert "no 'county:' section" in str(info.value)


@pytest.mark.parametrize(
    ("version_line", "message"),
    [
        ("", "missing schema_version"),
        ("schema_version: 99\n", "written by a newer countypolicing"),
        ("schema_version: 0\n", "must be a positive integer"),
        ("schema_version: '1'\n", "must be a positive integer"),
    ],
)
def test_schema_version_is_required_and_a_newer_one_is_refused(
    version_line: str, message: str
) -> None:
    text = version_line + "county: {id: demo, name_zh: 示例区}\n"
    with pytest.raises(LoadErrorGroup) as info:
        county_from_text(text, source="c.yaml")
    (err,) = info.value.problems
    assert isinstance(err, SchemaVersionError)
    assert message in str(err)


def test_older_files_migrate_one_step_at_a_time() -> None:
    steps: list[int] = []

    def step(n: int) -> Migration:
        def run(data: dict[str, object]) -> dict[str, object]:
            steps.append(n)
            return {**data, f"added_by_{n}": True}

        return run

    original = io.SCHEMA_VERSION
    try:
        io.SCHEMA_VERSION = 3  # type: ignore[misc]  # simulate a future release
        out = migrate(
            {"schema_version": 1}, 1, source="x", migrations={1: step(1), 2: step(2)}
        )
        assert steps == [1, 2]
        assert out == {"schema_version": 3, "added_by_1": True, "added_by_2": True}
        with pytest.raises(
            SchemaVersionError, match=r"no migration from schema_version 2"
        ):
            migrate({"schema_version": 2}, 2, source="x", migrations={})
    finally:
        io.SCHEMA_VERSION = original  # type: ignore[misc]


def test_a_county_round_trips_through_a_directory_and_a_single_file(
    tmp_path: Path,
) -> None:
    county = cp.datasets.yueyanglou()
    directory = save_county(county, tmp_path / "dir")
    assert sorted(p.name for p in directory.iterdir()) == sorted(COUNTY_FILES)
    assert load_county(directory) == county
    single = save_county(county, tmp_path / "one.yaml")
    assert load_county(single) == county
    assert county_from_text(county_to_text(county)) == county


def test_saving_twice_gives_identical_bytes(tmp_path: Path) -> None:
    county = cp.datasets.yueyanglou()
    first = save_county(county, tmp_path / "a.yaml").read_bytes()
    second = save_county(county, tmp_path / "b.yaml").read_bytes()
    assert first == second


def test_sections_may_be_spread_over_any_files_of_a_directory(tmp_path: Path) -> None:
    write(
        tmp_path,
        "a.yaml",
        HEADER + "townships:\n  - {id: t1, name_zh: 街道, kind: town}\n",
    )
    write(
        tmp_path,
        "b.yml",
        "schema_version: 1\ncommunities:\n  - {id: c1, name_zh: 村, township_id: t1, "
        "kind: village, population: 10, households: 4}\n",
    )
    write(tmp_path, "notes.txt", "not yaml: ignored")
    write(tmp_path, ".county.yaml.abc123.tmp", "half-written leftovers: ignored")
    county = load_county(tmp_path)
    assert county.community("c1").township_id == "t1"


def test_a_section_given_in_two_files_is_an_error(tmp_path: Path) -> None:
    write(tmp_path, "a.yaml", HEADER + "townships: []\n")
    write(tmp_path, "b.yaml", "schema_version: 1\ntownships: []\n")
    with pytest.raises(LoadErrorGroup) as info:
        load_county(tmp_path)
    assert "section 'townships' appears again (first in" in str(info.value)


def test_an_empty_directory_and_a_missing_path_are_config_errors(
    tmp_path: Path,
) -> None:
    with pytest.raises(ConfigError, match=r"no \*\.yaml files"):
        load_county(tmp_path)
    with pytest.raises(ConfigError):
        load_county(tmp_path / "missing.yaml")


def test_saving_into_a_directory_with_foreign_yaml_is_refused_and_writes_nothing(
    tmp_path: Path,
) -> None:
    foreign = write(tmp_path, "mine.yaml", "keep: me\n")
    with pytest.raises(SaveError, match=r"mine\.yaml"):
        save_county(County(id="demo", name_zh="示例区"), tmp_path)
    assert sorted(p.name for p in tmp_path.iterdir()) == ["mine.yaml"]
    assert foreign.read_text(encoding="utf-8") == "keep: me\n"


def test_a_failed_save_leaves_the_previous_file_intact(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = save_county(county_from_text(MINIMAL), tmp_path / "c.yaml")
    before = path.read_bytes()

    def full_disk(*_: object, **__: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", full_disk)
    with pytest.raises(SaveError):
        save_county(County(id="other", name_zh="别处"), path)
    assert path.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ["c.yaml"]


def test_bad_input_runs_no_code_finishes_fast_and_changes_no_file(
    tmp_path: Path, spies: list[str]
) -> None:
    hostile = [
        MINIMAL + "x: !!python/object/apply:os.system ['touch SENTINEL']\n",
        MINIMAL + "x: !!python/name:os.system\n",
        HEADER
        + "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]\n"
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]\n"
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]\nf: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]\n"
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]\nh: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]\n"
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]\n",
        HEADER + "risk: 1\nrisk: 2\n",
        HEADER + "<<: {x: 1}\n",
        "[" * 5000 + "]" * 5000,
    ]
    for i, text in enumerate(hostile):
        path = write(tmp_path, f"hostile{i}.yaml", text)
        before = path.read_bytes()
        start = time.perf_counter()
        with pytest.raises(LoadError):
            load_county(path)
        assert time.perf_counter() - start < 3.0, i
        assert path.read_bytes() == before
    assert spies == []
    assert not (tmp_path / "SENTINEL").exists()
    assert not Path("SENTINEL").exists()


def test_limits_are_configurable_per_load(tmp_path: Path) -> None:
    path = write(tmp_path, "c.yaml", MINIMAL)
    with pytest.raises(LimitExceeded) as info:
        load_county(path, limits=LoadLimits(max_bytes=64))
    assert info.value.limit == "max_bytes"
    assert load_county(path, limits=LoadLimits(max_bytes=4096)).id == "demo"


def test_the_loaded_county_is_immutable() -> None:
    county = county_from_text(MINIMAL)
    with pytest.raises(AttributeError):
        county.name_zh = "改"  # type: ignore[misc]  # the point of the test
    assert isinstance(county.communities, tuple)
    township = Township(id="t9", name_zh="新", kind=TownshipKind.TOWN)
    with pytest.raises(AttributeError):
        township.id = "t8"  # type: ignore[misc]  # the point of the test
