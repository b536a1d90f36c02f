"""Community indicators from CSV: typed cells, located errors."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest

from countypolicing.exceptions import ConfigError, LoadErrorGroup
from countypolicing.serialization import load_county, parse_indicators_csv, save_county

COUNTY = (
    "schema_version: 1\ncounty: {id: demo, name_zh: 示例区}\n"
    "townships:\n  - {id: t1, name_zh: 街道, kind: town}\n"
    "communities:\n  - {id: c1, name_zh: 村, township_id: t1, kind: village, "
    "population: 10, households: 4}\n"
)


def test_a_table_of_indicators_is_typed_by_field() -> None:
    rows = parse_indicators_csv(
        "community_id,as_of,rental_units,calls_per_1000,key_persons\n"
        "c1,2020-06-30,12,3.5,\n"
    )
    assert rows[0].as_of == date(2020, 6, 30)
    assert rows[0].rental_units == 12
    assert rows[0].key_persons is None


def test_bad_cells_are_all_reported_with_line_and_column() -> None:
    with pytest.raises(LoadErrorGroup) as info:
        parse_indicators_csv(
            "community_id,as_of,rental_units,calls_per_1000\n"
            "c1,2020-06-31,many,nan\n"
            "c2,2020-06-30,-4,1\n",
            source="indicators.csv",
        )
    found = [str(p) for p in info.value.problems]
    assert found == [
        "indicators.csv:2:2: as_of: expected a date written YYYY-MM-DD, got '2020-06-31'",
        "indicators.csv:2:3: rental_units: expected an integer, got 'many'",
        "indicators.csv:2:4: calls_per_1000: must be finite, got 'nan'",
        "indicators.csv:3: rental_units: rental_units must be a finite number >= 0, got -4",
    ]


@pytest.mark.parametrize(
    ("header", "message"),
    [
        ("", "empty table"),
        (
            "community_id,as_of,rentals\n",
            "unknown column 'rentals'; did you mean 'rental_units'?",
        ),
        ("community_id,as_of,as_of\n", "column 'as_of' appears twice"),
        ("community_id\n", "missing column(s): as_of"),
    ],
)
def test_a_bad_header_is_a_config_error(header: str, message: str) -> None:
    with pytest.raises(ConfigError) as info:
        parse_indicators_csv(header)
    assert message in str(info.value)


def test_a_county_directory_may_keep_its_indicators_in_csv(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text(COUNTY, encoding="utf-8")
    (tmp_path / "indicators.csv").write_text(
        "community_id,as_of,rental_units\nc1,2020-06-30,3\n", encoding="utf-8"
    )
    county = load_county(tmp_path)
    assert county.latest_indicators("c1") is not None


def test_indicators_in_both_csv_and_yaml_are_refused(tmp_path: Path) -> None:
    (tmp_path / "county.yaml").write_text(
        COUNTY + "indicators:\n  - {community_id: c1, as_of: 2020-06-30}\n",
        encoding="utf-8",
    )
    (tmp_path / "indicators.csv").write_text(
        "community_id,as_of\nc1,2020-06-30\n", encoding="utf-8"
    )
    with pytest.raises(LoadErrorGroup) as info:
        load_county(tmp_path)
    assert "keep one" in str(info.value)


def test_csv_indicators_for_an_unknown_community_are_an_integrity_error(
    tmp_path: Path,
) -> None:
    (tmp_path / "county.yaml").write_text(COUNTY, encoding="utf-8")
    (tmp_path / "indicators.csv").write_text(
        "community_id,as_of\nc9,2020-06-30\n", encoding="utf-8"
    )
    with pytest.raises(LoadErrorGroup) as info:
        load_county(tmp_path)
    (problem,) = info.value.problems
    assert str(problem) == (
        f"{tmp_path / 'indicators.csv'}:2: indicators[0].community_id: "
        "unknown community 'c9'"
    )


def test_saving_back_into_a_directory_keeps_indicators_in_its_table(
    tmp_path: Path,
) -> None:
    (tmp_path / "county.yaml").write_text(COUNTY, encoding="utf-8")
    (tmp_path / "indicators.csv").write_text(
        "community_id,as_of,calls_per_1000\nc1,2020-06-30,2.5\n", encoding="utf-8"
    )
    county = load_county(tmp_path)
    save_county(county, tmp_path)
    assert "indicators:" not in (tmp_path / "communities.yaml").read_text(
        encoding="utf-8"
    )
    assert load_county(tmp_path) == county
