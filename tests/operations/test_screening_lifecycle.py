"""Risk points and hazards in practice: grade, control with the graph, review, rectify."""

from __future__ import annotations

import runpy
from collections.abc import Callable
from datetime import date
from pathlib import Path

import attrs
import pytest

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import (
    ModelError,
    RuleTypeError,
    TransitionError,
    UnknownIdError,
    UnknownNodeError,
)
from countypolicing.graph import build_responsibility_graph
from countypolicing.model import (
    AgreementForm,
    County,
    Dispute,
    DisputeStatus,
    Hazard,
    HazardStatus,
    MediationAgreement,
    RiskLevel,
    RiskPoint,
    RiskPointStatus,
)
from countypolicing.operations import (
    RectificationPolicy,
    ReviewPolicy,
    control_risk_point,
    dispute_open_on,
    grade_risk_point,
    hazard_open_on,
    overdue_hazards,
    register_hazard,
    reviews_due,
    risk_status_on,
)

_SUPPORT = runpy.run_path(str(Path(__file__).with_name("test_screening_support.py")))
DAY: date = _SUPPORT["DAY"]
small_county: Callable[..., County] = _SUPPORT["small_county"]
risk_point: Callable[..., RiskPoint] = _SUPPORT["risk_point"]

_S = RiskPointStatus


@pytest.fixture(scope="module")
def bundled() -> County:
    return yueyanglou()


def test_a_risk_point_is_controlled_only_when_the_graph_shows_all_three_parties(
    bundled: County,
) -> None:
    graph = build_responsibility_graph(bundled)
    controlled = control_risk_point(bundled, graph, "rp32", on=date(2020, 9, 16))
    assert controlled.status is _S.CONTROLLED
    assert controlled.controlled_on == date(2020, 9, 16)
    with pytest.raises(TransitionError, match="principal responsibility is missing"):
        control_risk_point(bundled, graph, "rp01", on=date(2020, 9, 16))
    # exempt from principal responsibility (fishermen ashore): two are enough
    assert control_risk_point(bundled, graph, "rp06", on=date(2020, 9, 16)).status is (
        _S.CONTROLLED
    )
    # rp34 is exempt too, but no department supervises it
    with pytest.raises(TransitionError, match="supervisory responsibility is missing"):
        control_risk_point(bundled, graph, "rp34", on=date(2020, 9, 16))


def test_controlling_needs_a_graded_risk_point_known_to_the_graph(
    bundled: County,
) -> None:
    graph = build_responsibility_graph(bundled)
    with pytest.raises(TransitionError, match="cannot control from identified"):
        control_risk_point(bundled, graph, "rp24", on=date(2020, 9, 16))
    with pytest.raises(UnknownIdError):
        control_risk_point(bundled, graph, "rp-none", on=date(2020, 9, 16))
    small = small_county()
    with pytest.raises(UnknownNodeError):
        control_risk_point(small, graph, "rp1", on=date(2020, 9, 16))


def test_grading_a_risk_point_uses_the_matrix_ruleset(bundled: County) -> None:
    rp = grade_risk_point(
        bundled, default_ruleset("risk-point-grading"), "rp05", on=date(2020, 9, 16)
    )
    assert (rp.status, rp.level, rp.graded_on) == (
        _S.GRADED,
        RiskLevel.GENERAL,  # 4 x 2 = 8
        date(2020, 9, 16),
    )
    with pytest.raises(RuleTypeError):
        grade_risk_point(
            bundled,
            default_ruleset("community-classification"),
            "rp05",
            on=date(2020, 9, 16),
        )


def _reviewed() -> County:
    return small_county(
        risk_points=[
            risk_point(
                "rp-m",
                "c-a",
                5,
                4,
                status=_S.CONTROLLED,
                level=RiskLevel.MAJOR,
                controlled_on=date(2020, 9, 1),
            ),
            risk_point(
                "rp-g",
                "c-a",
                3,
                3,
                status=_S.MONITORING,
                controlled_on=date(2020, 8, 1),
                last_reviewed_on=date(2020, 9, 1),
            ),
            risk_point(
                "rp-l",
                "c-b",
                1,
                2,
                status=_S.CONTROLLED,
                level=RiskLevel.LOW,
                controlled_on=date(2020, 6, 1),
                review_every_days=10,
            ),
            risk_point(
                "rp-s",
                "c-c",
                4,
                4,
                status=_S.MONITORING,
                level=RiskLevel.SIGNIFICANT,
                controlled_on=date(2020, 8, 1),
                last_reviewed_on=date(2020, 8, 31),
            ),
            risk_point("rp-x", "c-d", 4, 4, level=RiskLevel.SIGNIFICANT),  # graded
        ],
        hazards=[],
    )


def test_reviews_fall_due_sooner_the_higher_the_level() -> None:
    due = reviews_due(_reviewed(), as_of=DAY)
    assert [
        (r.risk_point_id, r.interval_days, r.due_on, r.days_overdue) for r in due
    ] == [
        ("rp-l", 10, date(2020, 6, 11), 96),  # its own 10 days beat the 90 of low
        ("rp-m", 7, date(2020, 9, 8), 7),
        ("rp-s", 15, date(2020, 9, 15), 0),
    ]
    relaxed = ReviewPolicy(
        major_days=30, significant_days=30, general_days=30, low_days=365
    )
    assert [
        r.risk_point_id for r in reviews_due(_reviewed(), as_of=DAY, policy=relaxed)
    ] == ["rp-l"]
    levels = {"rp-g": RiskLevel.MAJOR}  # a screening that graded it higher
    assert "rp-g" in {
        r.risk_point_id for r in reviews_due(_reviewed(), as_of=DAY, levels=levels)
    }


def test_review_policies_must_shorten_as_the_level_rises() -> None:
    with pytest.raises(ModelError, match="must shorten as the level rises"):
        ReviewPolicy(significant_days=60)
    with pytest.raises(ModelError, match="whole number of days >= 1"):
        ReviewPolicy(major_days=0)
    with pytest.raises(ModelError, match="whole number of days >= 1"):
        RectificationPolicy(low_days=1.5)  # type: ignore[arg-type]


def test_a_hazard_found_by_screening_gets_its_deadline_from_the_level() -> None:
    county = small_county()
    h = register_hazard(
        county,
        "rp1",
        hazard_id="h2",
        description="护栏缺失",
        found_on=date(2020, 9, 1),
        owner_id="p2",
    )
    assert (h.rectify_by, h.status, h.owner_id) == (
        date(2020, 9, 8),
        HazardStatus.FOUND,
        "p2",
    )
    slow = register_hazard(
        county,
        "rp1",
        hazard_id="h3",
        description="护栏缺失",
        found_on=date(2020, 9, 1),
        owner_id="p2",
        level=RiskLevel.LOW,
        policy=RectificationPolicy(low_days=90),
    )
    assert slow.rectify_by == date(2020, 11, 30)
    with pytest.raises(ModelError, match="has no owner"):
        register_hazard(
            county, "rp1", hazard_id="h4", description="x", found_on=date(2020, 9, 1)
        )
    with pytest.raises(ModelError, match="already used"):
        register_hazard(
            county,
            "rp1",
            hazard_id="h1",
            description="x",
            found_on=date(2020, 9, 1),
            owner_id="p1",
        )
    with pytest.raises(UnknownIdError):
        register_hazard(
            county,
            "rp1",
            hazard_id="h5",
            description="x",
            found_on=date(2020, 9, 1),
            owner_id="nobody",
        )
    with pytest.raises(ModelError, match="is not graded"):
        register_hazard(
            county,
            "rp4",
            hazard_id="h6",
            description="x",
            found_on=date(2020, 9, 1),
            owner_id="p1",
        )
    far = register_hazard(
        county,
        "rp1",
        hazard_id="h7",
        description="x",
        found_on=date.max,
        owner_id="p1",
    )
    assert far.rectify_by == date.max


def test_overdue_hazards_are_open_and_past_their_deadline() -> None:
    county = small_county()
    assert [h.id for h in overdue_hazards(county, as_of=DAY)] == ["h1"]
    assert overdue_hazards(county, as_of=date(2020, 6, 20)) == ()
    fixed = attrs.evolve(
        county,
        hazards=[
            attrs.evolve(
                county.hazards[0],
                status=HazardStatus.VERIFIED,
                verified_on=date(2020, 7, 1),
            )
        ],
    )
    assert overdue_hazards(fixed, as_of=DAY) == ()
    assert [h.id for h in overdue_hazards(fixed, as_of=date(2020, 6, 25))] == ["h1"]


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        (date(2020, 4, 30), None),
        (date(2020, 5, 1), _S.GRADED),
        (date(2020, 5, 10), _S.CONTROLLED),
        (date(2020, 5, 25), _S.MONITORING),
        (date(2020, 6, 1), _S.CLOSED),
    ],
)
def test_a_risk_point_s_state_is_rebuilt_for_any_day(
    day: date, expected: RiskPointStatus | None
) -> None:
    rp3 = small_county().risk_point("rp3")
    assert risk_status_on(rp3, day) is expected


def test_a_regraded_risk_point_was_under_control_before_its_regrading() -> None:
    rp = risk_point(
        "r",
        "c-a",
        3,
        3,
        status=_S.GRADED,
        controlled_on=date(2020, 5, 10),
        last_reviewed_on=date(2020, 6, 1),
        graded_on=date(2020, 7, 1),
    )
    assert risk_status_on(rp, date(2020, 6, 15)) is _S.MONITORING
    assert risk_status_on(rp, date(2020, 5, 15)) is _S.CONTROLLED
    assert risk_status_on(rp, date(2020, 7, 1)) is _S.GRADED


def test_hazards_and_disputes_are_open_until_their_end_dates() -> None:
    h = Hazard(
        id="h",
        risk_point_id="rp1",
        description="x",
        found_on=date(2020, 6, 1),
        rectify_by=date(2020, 6, 10),
        owner_id="p1",
        status=HazardStatus.CLOSED,
        verified_on=date(2020, 6, 8),
        closed_on=date(2020, 6, 9),
    )
    assert [
        hazard_open_on(h, d)
        for d in (date(2020, 5, 31), date(2020, 6, 7), date(2020, 6, 8))
    ] == [
        False,
        True,
        False,
    ]
    undated = attrs.evolve(h, verified_on=None, closed_on=None)
    assert not hazard_open_on(undated, date(2020, 6, 2))
    d: Dispute = small_county().dispute("d1")
    assert not dispute_open_on(d, date(2020, 5, 31))
    assert dispute_open_on(d, DAY)
    agreement = MediationAgreement(
        form=AgreementForm.ORAL,
        reached_on=date(2020, 6, 5),
        content="和解",
        recorded_by="p1",
    )
    closed = attrs.evolve(
        d,
        status=DisputeStatus.CLOSED,
        agreement=agreement,
        closed_on=date(2020, 6, 20),
    )
    assert dispute_open_on(closed, date(2020, 6, 19))
    assert not dispute_open_on(closed, date(2020, 6, 20))
    escalated = attrs.evolve(d, status=DisputeStatus.ESCALATED_TO_POLICE)
    assert not dispute_open_on(escalated, DAY)  # no end date: finished by then
