"""Indicator-set files: strict YAML, every problem reported with its place."""

from __future__ import annotations

from pathlib import Path

import pytest

from countypolicing.exceptions import ConfigError, LoadErrorGroup
from countypolicing.operations import SubjectKind, WhenEmpty
from countypolicing.serialization import load_indicator_set

GOOD = """\
indicator_set: demo
version: 2020.1
indicators:
  - id: risks
    name_zh: 风险点管控率
    measure: risk_points_controlled
    weight: 2.5
    subjects: [station]
    when_empty: full
"""


def test_a_good_file_loads_from_text_and_from_disk(tmp_path: Path) -> None:
    s = load_indicator_set(GOOD)
    assert (s.id, s.version) == ("demo", "2020.1")
    ind = s.indicators[0]
    assert (ind.weight, ind.subjects, ind.when_empty) == (
        2.5,
        (SubjectKind.STATION,),
        WhenEmpty.FULL,
    )
    path = tmp_path / "indicators.yaml"
    path.write_text(GOOD, encoding="utf-8")
    assert load_indicator_set(path) == s
    assert load_indicator_set(str(path)) == s


def test_every_problem_is_reported_at_once_with_file_line_and_path(
    tmp_path: Path,
) -> None:
    path = tmp_path / "bad.yaml"
    path.write_text(
        """\
indicator_set: demo
versoin: "1"
indicators:
  - id: a
    name_zh: 甲
    measure: tasks_on_time
    weight: .nan
  - id: a
    name_zh: 乙
    measure: tasks
    weight: 1
    subjects: [station, county, station]
  - id: c
    weight: true
    when_empty: never
""",
        encoding="utf-8",
    )
    with pytest.raises(LoadErrorGroup) as info:
        load_indicator_set(path)
    got = [str(p) for p in info.value.problems]
    where = str(path)
    assert got == [
        f"{where}:2:10: versoin: unknown field 'versoin'; did you mean 'version'?",
        f"{where}:1:1: version: required field is missing",
        f"{where}:7:13: indicators[0].weight: expected a finite number, got float nan",
        f"{where}:8:9: indicators[1].id: indicator id 'a' is already used by indicators[0]",
        (
            f"{where}:10:14: indicators[1].measure: 'tasks' is not one of "
            "tasks_on_time, tasks_closed_out, risk_points_controlled, "
            "reviews_on_time, disputes_resolved_at_grassroots, "
            "hazards_rectified_on_time"
        ),
        (
            f"{where}:12:25: indicators[1].subjects[1]: 'county' is not one of "
            "township, department, station"
        ),
        f"{where}:12:15: indicators[1].subjects: a kind of subject is listed twice",
        f"{where}:13:5: indicators[2].name_zh: required field is missing",
        f"{where}:13:5: indicators[2].measure: required field is missing",
        (
            f"{where}:14:13: indicators[2].weight: expected a finite number, got "
            "the boolean True"
        ),
        f"{where}:15:17: indicators[2].when_empty: 'never' is not one of skip, full, zero",
    ]
    assert all(p.source == where for p in info.value.problems)


def test_an_unquoted_version_is_kept_as_written() -> None:
    text = GOOD.replace("version: 2020.1", "version: 2020.10")
    assert load_indicator_set(text).version == "2020.10"


def test_the_shape_of_the_file_is_checked() -> None:
    with pytest.raises(LoadErrorGroup, match="not an indicator set"):
        load_indicator_set("- a\n- b\n")
    with pytest.raises(LoadErrorGroup) as info:
        load_indicator_set("indicator_set: x\nversion: '1'\nindicators: []\n")
    assert "expected a non-empty list of indicators" in str(info.value.problems[0])
    with pytest.raises(LoadErrorGroup) as info:
        load_indicator_set("indicator_set: x\nversion: '1'\nindicators: [3]\n")
    assert "indicators[0]: expected a mapping, got int 3" in str(info.value.problems[0])
    with pytest.raises(ConfigError, match="duplicate key"):
        load_indicator_set("indicator_set: x\nindicator_set: y\n")
    with pytest.raises(ConfigError):
        load_indicator_set("indicator_set: !!python/object:os.system x\n")
