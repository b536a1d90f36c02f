"""Columnar screening: the same classes and ranking as the County path, at numpy speed."""

from __future__ import annotations

from typing import Any

import numpy as np
import pytest

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import (
    ModelError,
    ReferenceIntegrityError,
    RuleEvaluationError,
)
from countypolicing.operations import ScreeningResult, screen, screen_columns
from countypolicing.operations._screening_core import (
    AGGREGATE_FIELDS,
    check_unique_ids,
    rank_order,
)

GRADING = default_ruleset("risk-point-grading")
CLASSES = default_ruleset("community-classification")
Array = Any


@pytest.fixture(scope="module")
def result() -> ScreeningResult:
    return screen(yueyanglou(), GRADING, CLASSES)


def _tables(result: ScreeningResult) -> tuple[dict[str, Array], dict[str, Array]]:
    """Columns equivalent to the bundled county on its as_of, from its screening."""
    county = yueyanglou()
    findings = sorted(result.communities, key=lambda f: f.community_id)
    names = [
        n
        for n, _ in findings[0].record
        if n not in AGGREGATE_FIELDS and n != "open_hazards"
    ]
    comm: dict[str, Array] = {"id": np.array([f.community_id for f in findings])}
    for name in names:
        comm[name] = np.array([f.value(name) for f in findings])
    comm["station"] = np.array([f.station_id or "" for f in findings])
    risks = result.risks
    rp = {
        "community": np.array([r.community_id for r in risks]),
        "likelihood": np.array(
            [county.risk_point(r.risk_point_id).likelihood for r in risks]
        ),
        "severity": np.array(
            [county.risk_point(r.risk_point_id).severity for r in risks]
        ),
        "status": np.array([str(r.status) for r in risks]),
        "open_hazards": np.array([r.open_hazards for r in risks]),
    }
    return comm, rp


def test_columns_rank_the_bundled_county_as_the_county_path_does(
    result: ScreeningResult,
) -> None:
    comm, rp = _tables(result)
    table = screen_columns(comm, rp, GRADING, CLASSES)
    assert table.ranked_ids() == [f.community_id for f in result.communities]
    by_id = {f.community_id: f for f in result.communities}
    for i, cid in enumerate(table.ids):
        assert table.classes[i] is by_id[str(cid)].risk_class
        assert table.score[i] == by_id[str(cid)].score
    assert table.class_counts() == result.class_counts()
    levels = {r.risk_point_id: r.level.rank for r in result.risks}
    assert table.levels.tolist() == [levels[r.risk_point_id] for r in result.risks]


def test_risk_points_may_name_communities_by_row_or_by_id(
    result: ScreeningResult,
) -> None:
    comm, rp = _tables(result)
    by_id = screen_columns(comm, rp, GRADING, CLASSES)
    rows = {str(c): i for i, c in enumerate(comm["id"])}
    rp["community"] = np.array([rows[c] for c in rp["community"]])
    by_row = screen_columns(comm, rp, GRADING, CLASSES)
    assert by_row.ranked_ids() == by_id.ranked_ids()
    obj = dict(comm, id=comm["id"].astype(object))
    assert screen_columns(obj, rp, GRADING, CLASSES).ranked_ids() == by_id.ranked_ids()


def test_explaining_one_community_from_its_row(result: ScreeningResult) -> None:
    from countypolicing.rules import compile_ruleset  # noqa: PLC0415

    comm, rp = _tables(result)
    table = screen_columns(comm, rp, GRADING, CLASSES)
    first = int(table.order[0])
    decision = compile_ruleset(CLASSES).explain(table.record(first))
    assert decision.output is table.classes[first]
    assert decision.rule_ids == result.communities[0].rule_ids


def _tiny() -> tuple[dict[str, Array], dict[str, Array]]:
    comm = {
        "id": np.array(["b", "a", "c"]),
        "population": np.array([1000, 1000, 1000]),
        "rental_units": np.array([0, 0, 0]),
        "calls_per_1000": np.array([1.0, 1.0, 3.0]),
        "prior_incidents": np.array([0, 0, 0]),
        "disputes_open": np.array([0, 0, 0]),
        "open_hazards": np.array([0, 0, 0]),
    }
    rp = {
        "community": np.array([0, 1]),
        "likelihood": np.array([1, 1]),
        "severity": np.array([1, 1]),
    }
    return comm, rp


def test_ties_fall_back_to_the_id() -> None:
    comm, rp = _tiny()
    table = screen_columns(comm, rp, GRADING, CLASSES)
    assert table.ranked_ids() == [
        "c",
        "a",
        "b",
    ]  # c scores 3; a and b score 2 (a low risk, 1 call)
    assert table.ranked_ids(top=1) == ["c"]


def test_a_risk_point_naming_an_unknown_community_is_located() -> None:
    comm, rp = _tiny()
    rp["community"] = np.array([0, 3])
    with pytest.raises(ReferenceIntegrityError) as info:
        screen_columns(comm, rp, GRADING, CLASSES)
    assert info.value.path == ("risk_points", 1, "community")
    rp["community"] = np.array(["a", "zz"])
    with pytest.raises(ReferenceIntegrityError, match="row 1 names community 'zz'"):
        screen_columns(comm, rp, GRADING, CLASSES)
    rp["community"] = np.array([0.5, 1.0])
    with pytest.raises(ReferenceIntegrityError):
        screen_columns(comm, rp, GRADING, CLASSES)


def test_nan_and_missing_columns_are_located() -> None:
    comm, rp = _tiny()
    comm["calls_per_1000"] = np.array([1.0, np.nan, 3.0])
    with pytest.raises(RuleEvaluationError) as info:
        screen_columns(comm, rp, GRADING, CLASSES)
    assert info.value.field == "calls_per_1000"
    assert info.value.record_index == 1
    assert "community 'a' (row 1)" in str(info.value)
    comm, rp = _tiny()
    del comm["prior_incidents"]
    with pytest.raises(
        RuleEvaluationError, match="no 'prior_incidents' column"
    ) as info:
        screen_columns(comm, rp, GRADING, CLASSES)
    assert info.value.field == "prior_incidents"
    comm, rp = _tiny()
    rp["likelihood"] = np.array([1, 9])
    with pytest.raises(RuleEvaluationError) as info:
        screen_columns(comm, rp, GRADING, CLASSES)
    assert info.value.record_index == 1
    comm, rp = _tiny()
    del rp["community"]
    with pytest.raises(RuleEvaluationError, match="no community column"):
        screen_columns(comm, rp, GRADING, CLASSES)
    comm, rp = _tiny()
    del comm["id"]
    with pytest.raises(RuleEvaluationError, match="no id column"):
        screen_columns(comm, rp, GRADING, CLASSES)


def test_bad_tables_are_refused() -> None:
    comm, rp = _tiny()
    comm["id"] = np.array(["a", "b", "a"])
    with pytest.raises(ModelError, match="'a' is used twice"):
        screen_columns(comm, rp, GRADING, CLASSES)
    comm, rp = _tiny()
    comm["major_risks"] = np.array([0, 0, 0])
    with pytest.raises(ModelError, match="computed from the risk points"):
        screen_columns(comm, rp, GRADING, CLASSES)
    comm, rp = _tiny()
    rp["open_hazards"] = np.array([0, 1])
    with pytest.raises(ModelError, match="give one"):
        screen_columns(comm, rp, GRADING, CLASSES)
    comm, rp = _tiny()
    comm["population"] = np.array([1, 2])
    with pytest.raises(RuleEvaluationError, match="rows"):
        screen_columns(comm, rp, GRADING, CLASSES)
    with pytest.raises(TypeError, match="mapping of arrays"):
        screen_columns([1, 2], rp, GRADING, CLASSES)


def test_data_frames_work_both_ways() -> None:
    pandas = pytest.importorskip("pandas")
    comm, rp = _tiny()
    table = screen_columns(
        pandas.DataFrame(comm), pandas.DataFrame(rp), GRADING, CLASSES
    )
    frame = table.to_frame()
    assert list(frame.index) == ["c", "a", "b"]
    assert frame["position"].tolist() == [1, 2, 3]
    assert frame.loc["a", "low_risks"] == 1


@pytest.mark.parametrize(
    "ids",
    [
        ["b", "a", "ab", "a0", "", "A", "aa"],
        ["社区乙", "社区甲", "社区", "z", "社区甲0"],
        ["x" * 20 + "b", "x" * 20 + "a", "x" * 19],
    ],
)
def test_ids_break_ties_as_python_orders_strings(ids: list[str]) -> None:
    n = len(ids)
    order = rank_order(np.ones(n), np.zeros(n), np.array(ids))
    assert [ids[i] for i in order] == sorted(ids)
    check_unique_ids(np.array(ids))


def test_duplicate_ids_are_found_even_when_hashes_collide() -> None:
    many = np.array([f"id{i}" for i in range(5000)] + ["id17"])
    with pytest.raises(ModelError, match="'id17' is used twice"):
        check_unique_ids(many)
    check_unique_ids(np.array([], dtype=str))
    check_unique_ids(np.array(["", "a"]))
    with pytest.raises(ModelError):
        check_unique_ids(np.array(["", ""]))
