"""The small hand-made county of the screening, campaign and assessment tests.

Not a test module: the other ``test_screening*``, ``test_campaigns*`` and
``test_assessment*`` modules load it with ``runpy.run_path`` (tests are
not a package). See the docstring of
``test_screening.py`` for the classes worked out by hand.
"""

from __future__ import annotations

from datetime import date
from typing import Any, Final

from countypolicing.datasets import default_ruleset
from countypolicing.model import Community as _Community
from countypolicing.model import (
    CommunityIndicators,
    CommunityKind,
    County,
    CountyKind,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeType,
    Hazard,
    HazardStatus,
    PartyRole,
    Person,
    PersonRole,
    PoliceStation,
    RiskDomain,
    RiskLevel,
    RiskPoint,
    RiskPointStatus,
    RiskSubjectKind,
    Township,
    TownshipKind,
)

DAY: Final = date(2020, 9, 15)
GRADING: Final = default_ruleset("risk-point-grading")
CLASSES: Final = default_ruleset("community-classification")


def risk_point(  # a test factory
    rp_id: str,
    community: str,
    likelihood: int,
    severity: int,
    *,
    identified_on: date = date(2020, 5, 1),
    theme: str = "rental_housing",
    status: RiskPointStatus = RiskPointStatus.GRADED,
    level: RiskLevel | None = RiskLevel.GENERAL,
    **more: Any,  # any RiskPoint field
) -> RiskPoint:
    """A risk point with the fields a test does not care about filled in."""
    more.setdefault(
        "graded_on", None if status is RiskPointStatus.IDENTIFIED else identified_on
    )
    return RiskPoint(
        id=rp_id,
        name_zh=f"风险点{rp_id}",
        community_id=community,
        theme=theme,
        subject_kind=RiskSubjectKind.PLACE,
        domain=RiskDomain.PUBLIC_ORDER,
        likelihood=likelihood,
        severity=severity,
        identified_on=identified_on,
        status=status,
        level=None if status is RiskPointStatus.IDENTIFIED else level,
        **more,
    )


def indicators(
    community: str,
    *,
    rental_units: int = 0,
    calls: float = 0.0,
    incidents: int = 0,
    disputes: int = 0,
) -> CommunityIndicators:
    """Indicators dated 2020-06-30."""
    return CommunityIndicators(
        community_id=community,
        as_of=date(2020, 6, 30),
        rental_units=rental_units,
        calls_per_1000=calls,
        prior_incidents=incidents,
        disputes_open=disputes,
    )


def small_county(**changes: Any) -> County:  # County fields
    """The county of ``test_screening.py``; ``changes`` replace whole collections."""
    fields: dict[str, Any] = {
        "townships": [
            Township(id="t1", name_zh="一街道", kind=TownshipKind.SUB_DISTRICT),
            Township(id="t2", name_zh="二乡", kind=TownshipKind.TOWNSHIP),
        ],
        "communities": [
            _Community(
                id="c-a",
                name_zh="甲社区",
                township_id="t1",
                kind=CommunityKind.URBAN,
                population=4000,
                households=1500,
            ),
            _Community(
                id="c-b",
                name_zh="乙村",
                township_id="t1",
                kind=CommunityKind.VILLAGE,
                population=1000,
                households=300,
            ),
            _Community(
                id="c-c",
                name_zh="丙社区",
                name_en="Bing community",
                township_id="t2",
                kind=CommunityKind.URBAN,
                population=2000,
                households=700,
            ),
            _Community(
                id="c-d",
                name_zh="丁村",
                township_id="t2",
                kind=CommunityKind.VILLAGE,
                population=500,
                households=150,
            ),
        ],
        "police_stations": [
            PoliceStation(id="s1", name_zh="甲派出所", jurisdiction=["c-a", "c-b"]),
            PoliceStation(id="s2", name_zh="乙派出所", jurisdiction=["c-c"]),
        ],
        "people": [
            Person(id="p1", display_name="张某", roles=[PersonRole.RESIDENT]),
            Person(id="p2", display_name="李某", roles=[PersonRole.RESIDENT]),
        ],
        "indicators": [
            indicators("c-a", rental_units=100, calls=10.0, incidents=2, disputes=1),
            indicators("c-b", calls=35.0),
            indicators("c-c", rental_units=10, calls=5.0, incidents=12, disputes=6),
            indicators("c-d", calls=1.0),
        ],
        "risk_points": [
            risk_point("rp1", "c-a", 5, 4, level=RiskLevel.MAJOR),
            risk_point("rp2", "c-a", 2, 2, level=RiskLevel.LOW),
            risk_point(
                "rp3",
                "c-b",
                3,
                5,
                status=RiskPointStatus.CLOSED,
                level=RiskLevel.SIGNIFICANT,
                controlled_on=date(2020, 5, 5),
                last_reviewed_on=date(2020, 5, 20),
                closed_on=date(2020, 6, 1),
            ),
            risk_point(
                "rp4",
                "c-d",
                3,
                3,
                identified_on=date(2020, 8, 1),
                theme="railway",
                status=RiskPointStatus.IDENTIFIED,
            ),
        ],
        "hazards": [
            Hazard(
                id="h1",
                risk_point_id="rp2",
                description="消防通道堵塞",
                found_on=date(2020, 6, 10),
                rectify_by=date(2020, 6, 20),
                owner_id="p1",
                status=HazardStatus.FOUND,
            )
        ],
        "disputes": [
            Dispute(
                id="d1",
                type=DisputeType.NEIGHBOUR,
                community_id="c-d",
                origin=DisputeOrigin.WALK_IN,
                summary="邻里纠纷",
                parties=[
                    DisputeParty(party_id="p1", role=PartyRole.APPLICANT),
                    DisputeParty(party_id="p2", role=PartyRole.RESPONDENT),
                ],
                reported_on=date(2020, 6, 1),
            )
        ],
    }
    fields.update(changes)
    return County(
        id="small", name_zh="小县", kind=CountyKind.COUNTY, as_of=DAY, **fields
    )
