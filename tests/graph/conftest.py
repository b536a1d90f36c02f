"""A small county whose responsibility graph is worked out by hand in the tests.

```text
demo 示例区 ─ t1 示例街道 ─ c1 (grid g1) ── r1 rental_housing, owner p1
           │             └ c2 ─────────── r3 night_market, no owner
           └ t2 示例乡 ─── c3 (grid g2) ── r2 railway, owner e1
                                         └ r4 railway, population (exempt), override
governments: gov (county), gov-t1 (t1), rc-c1 (c1); nothing for t2, c2, c3
theme table: rental_housing → d-housing, d-police (lead d-police)
             railway        → d-legal, d-railway (no lead: a conflict)
             night_market   → (no row: a gap)
stations: s1 (c1, c2), s2 (c3) under sub-bureau psb (of d-police)
```
"""

from __future__ import annotations

from datetime import date

import networkx as nx
import pytest

from countypolicing.graph import build_responsibility_graph
from countypolicing.model import (
    AdminLevel,
    Community,
    CommunityKind,
    County,
    Department,
    DepartmentKind,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeType,
    Entity,
    EntityKind,
    Government,
    GovernmentKind,
    Grid,
    JointPatrol,
    JudicialOffice,
    KeyWorkItem,
    LeadingGroup,
    LinkageMechanism,
    MechanismMeeting,
    MediationChannel,
    MediationCommittee,
    PairedContact,
    PartyCommittee,
    PartyRole,
    Person,
    PersonRole,
    PoliceStation,
    PoliceSubBureau,
    RiskDomain,
    RiskPoint,
    RiskSubjectKind,
    Sex,
    SupervisorOverride,
    Task,
    ThemeDefinition,
    ThemeSupervision,
    Township,
    TownshipKind,
    WorkPlan,
)

DAY = date(2020, 5, 1)


def _risk(
    rid: str,
    community: str,
    theme: str,
    *,
    owner: str | None = None,
    subject: RiskSubjectKind = RiskSubjectKind.PLACE,
    exemption: str | None = None,
    override: SupervisorOverride | None = None,
) -> RiskPoint:
    return RiskPoint(
        id=rid,
        name_zh=f"风险点{rid}",
        community_id=community,
        theme=theme,
        subject_kind=subject,
        domain=RiskDomain.PUBLIC_ORDER,
        likelihood=3,
        severity=3,
        owner_id=owner,
        principal_exemption=exemption,
        supervisor_override=override,
        identified_on=DAY,
    )


def small_county() -> County:
    """The county of the module docstring."""
    dispute = (
        Dispute(
            id="dsp1",
            type=DisputeType.NEIGHBOUR,
            community_id="c1",
            grid_id="g1",
            origin=DisputeOrigin.GRID_REPORT,
            summary="邻里纠纷",
            parties=[
                DisputeParty(party_id="p1", role=PartyRole.APPLICANT),
                DisputeParty(party_id="m2", role=PartyRole.RESPONDENT),
            ],
            reported_on=DAY,
        )
        .accept(on=DAY)
        .assign(
            on=DAY,
            channel=MediationChannel.PEOPLES,
            handler_id="mc1",
            mediator_ids=["m1"],
        )
    )
    return County(
        id="demo",
        name_zh="示例区",
        name_en="Demo District",
        townships=[
            Township(id="t1", name_zh="示例街道", kind=TownshipKind.SUB_DISTRICT),
            Township(id="t2", name_zh="示例乡", kind=TownshipKind.TOWNSHIP),
        ],
        communities=[
            Community(
                id="c1",
                name_zh="社区一",
                name_en="Community one",
                township_id="t1",
                kind=CommunityKind.URBAN,
                population=5000,
                households=1800,
            ),
            Community(
                id="c2",
                name_zh="社区二",
                township_id="t1",
                kind=CommunityKind.URBAN,
                population=4000,
                households=1500,
            ),
            Community(
                id="c3",
                name_zh="村三",
                township_id="t2",
                kind=CommunityKind.VILLAGE,
                population=2000,
                households=700,
            ),
        ],
        grids=[
            Grid(id="g1", name_zh="网格一", community_id="c1"),
            Grid(id="g2", name_zh="网格二", community_id="c3"),
        ],
        themes=[ThemeDefinition(id="night_market", name_zh="夜市")],
        theme_supervision=[
            ThemeSupervision(
                theme="rental_housing",
                department_ids=["d-housing", "d-police"],
                lead_id="d-police",
            ),
            ThemeSupervision(theme="railway", department_ids=["d-legal", "d-railway"]),
        ],
        party_committees=[
            PartyCommittee(id="pc", name_zh="区委"),
            PartyCommittee(
                id="pc-t1",
                name_zh="街道党工委",
                level=AdminLevel.TOWNSHIP,
                admin_unit_id="t1",
            ),
        ],
        governments=[
            Government(
                id="gov", name_zh="区政府", kind=GovernmentKind.PEOPLES_GOVERNMENT
            ),
            Government(
                id="gov-t1",
                name_zh="街道办事处",
                kind=GovernmentKind.SUB_DISTRICT_OFFICE,
                level=AdminLevel.TOWNSHIP,
                admin_unit_id="t1",
            ),
            Government(
                id="rc-c1",
                name_zh="社区一居委会",
                kind=GovernmentKind.RESIDENTS_COMMITTEE,
                level=AdminLevel.COMMUNITY,
                admin_unit_id="c1",
            ),
        ],
        departments=[
            Department(
                id="d-housing",
                name_zh="住建",
                name_en="Housing",
                kind=DepartmentKind.HOUSING,
                government_id="gov",
            ),
            Department(
                id="d-police",
                name_zh="公安",
                kind=DepartmentKind.PUBLIC_SECURITY,
                government_id="gov",
            ),
            Department(
                id="d-legal", name_zh="政法委", kind=DepartmentKind.POLITICAL_LEGAL
            ),
            Department(
                id="d-railway", name_zh="铁路公安", kind=DepartmentKind.RAILWAY_POLICE
            ),
            Department(
                id="d-justice",
                name_zh="司法局",
                kind=DepartmentKind.JUSTICE,
                government_id="gov",
            ),
            Department(id="d-court", name_zh="法院", kind=DepartmentKind.COURT),
        ],
        sub_bureaus=[
            PoliceSubBureau(id="psb", name_zh="公安分局", department_id="d-police")
        ],
        police_stations=[
            PoliceStation(
                id="s1",
                name_zh="派出所一",
                sub_bureau_id="psb",
                jurisdiction=["c1", "c2"],
            ),
            PoliceStation(
                id="s2", name_zh="派出所二", sub_bureau_id="psb", jurisdiction=["c3"]
            ),
        ],
        judicial_offices=[
            JudicialOffice(
                id="jo1", name_zh="司法所", township_id="t1", stationed_in=["s1"]
            )
        ],
        mediation_committees=[
            MediationCommittee(
                id="mc1",
                name_zh="社区一调委会",
                community_id="c1",
                member_ids=["m1", "m2", "m3"],
                chair_id="m1",
            )
        ],
        entities=[Entity(id="e1", name_zh="铁路单位", kind=EntityKind.RAILWAY_UNIT)],
        leading_groups=[
            LeadingGroup(
                id="lg",
                name_zh="领导小组",
                lead_org_id="psb",
                member_org_ids=["s1", "s2"],
            )
        ],
        paired_contacts=[PairedContact(contact_id="psb", station_id="s1")],
        people=[
            Person(
                id="p1",
                display_name="房东甲某",
                roles=[PersonRole.LANDLORD],
                community_id="c1",
            ),
            Person(
                id="m1",
                display_name="调解员甲某",
                roles=[PersonRole.PEOPLES_MEDIATOR],
                community_id="c1",
                sex=Sex.FEMALE,
            ),
            Person(
                id="m2",
                display_name="调解员乙某",
                roles=[PersonRole.PEOPLES_MEDIATOR],
                community_id="c1",
            ),
            Person(
                id="m3",
                display_name="调解员丙某",
                roles=[PersonRole.PEOPLES_MEDIATOR],
                community_id="c1",
            ),
            Person(
                id="w1",
                display_name="网格员某",
                roles=[PersonRole.GRID_WORKER],
                community_id="c1",
                grid_id="g1",
                org_id="rc-c1",
            ),
        ],
        risk_points=[
            _risk("r1", "c1", "rental_housing", owner="p1"),
            _risk("r2", "c3", "railway", owner="e1"),
            _risk("r3", "c2", "night_market"),
            _risk(
                "r4",
                "c3",
                "railway",
                subject=RiskSubjectKind.PERSON_GROUP,
                exemption="人群，无主体单位",
                override=SupervisorOverride(department_id="d-housing", reason="示例"),
            ),
        ],
        disputes=[dispute],
        mechanisms=[
            LinkageMechanism(
                id="m-meet",
                name_zh="联席会议",
                lead_org_id="d-legal",
                member_org_ids=["d-housing", "psb"],
            ),
            LinkageMechanism(
                id="m-nolead", name_zh="应急联处", member_org_ids=["d-justice"]
            ),
        ],
        meetings=[
            MechanismMeeting(
                id="mt1",
                mechanism_id="m-meet",
                convened_by="s1",
                participant_ids=["s2"],
                topic="会商",
            )
        ],
        work_plans=[
            WorkPlan(
                id="wp",
                title_zh="方案",
                owner_id="psb",
                start=DAY,
                end=date(2020, 12, 31),
            )
        ],
        key_items=[
            KeyWorkItem(
                id="k1",
                plan_id="wp",
                number=1,
                title_zh="重点工作",
                lead_owner_id="psb",
            )
        ],
        tasks=[
            Task(
                id="t-a",
                key_item_id="k1",
                title_zh="任务甲",
                lead_owner_id="s1",
                co_owner_ids=["d-housing"],
                deadline=date(2020, 6, 30),
            ),
            Task(
                id="t-b",
                key_item_id="k1",
                title_zh="任务乙",
                lead_owner_id="psb",
                deadline=date(2020, 6, 30),
            ),
        ],
        patrols=[
            JointPatrol(
                id="pat",
                name_zh="巡逻队",
                lead_station_id="s1",
                member_org_ids=["e1"],
                community_ids=["c1"],
            )
        ],
    )


@pytest.fixture
def county() -> County:
    return small_county()


@pytest.fixture
def graph(county: County) -> nx.MultiDiGraph[str]:
    return build_responsibility_graph(county)
