#!/usr/bin/env python3
"""Build the bundled example county: Yueyanglou District (岳阳楼区), Yueyang, Hunan, 2020.

The source of truth is the Yueyang Municipal PSB article of 2020-09-15
(``SEED-ARTICLE.md``); DOMAIN.md supplies cited context and reasoning. Every record
carries ``provenance``:

- ``article``: the article states it (the district, the sub-bureau and its leading
  group, the five stations and the railway police station, Dongmaoling sub-district,
  the Desheng, Lengshuipu, Qiaotou and Xuepo communities, the policy document and the
  implementation plan, the campaign, the Desheng robbery case, the Lengshuipu
  dispute, the Dongmaoling meeting, the scenic-area patrol, the outcome metrics).
- ``cited``: a numbered source of DOMAIN.md (洞庭街道 and 洞庭社区, S37; the
  theme → department rows that DOMAIN.md §5.2 backs with a source).
- ``inferred``: DOMAIN.md reasoning (the eight mechanism names of DOMAIN.md §2,
  sub-districts named after stations, departments, who sits where).
- ``synthetic``: made up to make the example whole. Synthetic places are named as
  obvious placeholders ("东茅岭街道示例社区03"); people are pseudonymised ("网格员张某").

Records have one provenance each, so an ``article`` record may still hold values the
model requires but the article does not give; those are listed in ``KNOWN_GAPS``.

Responsibility gaps (``countypolicing graph bundled:yueyanglou --gaps``), all in
synthetic records and none a claim about Yueyanglou:

- ``DELIBERATE_GAPS``: left in the data on purpose so that gap analysis has every
  kind of finding to show: the theme ``crime_tip`` has no row in the theme →
  department table (``UNSUPERVISED_THEMES``), so its risk points ``rp34`` and
  ``rp35`` have no supervisory party; the joint emergency mechanism has no lead
  organisation; the monitored risk point ``rp39`` has no owner recorded
  (``DROPPED_OWNERS``), so nobody holds its principal duty.
- ``UNOWNED_RISKS``: risk points the sweep identified or graded whose owner is
  not established yet (responsibilities are assigned between grading and
  control), so they lack a principal party. Risks whose source is a population
  rather than an entity carry a ``principal_exemption`` instead.

All synthetic values come from ``random.Random(2020)``; nothing reads the clock, so
two runs build equal counties and write identical files.

Usage::

    python scripts/build_yueyanglou.py [OUTPUT_DIR]

The package must be importable (``pip install -e .``). ``OUTPUT_DIR`` defaults to
``src/countypolicing/datasets/data/yueyanglou``.
"""

from __future__ import annotations

import argparse
import itertools
import random
import sys
from collections import defaultdict
from collections.abc import Sequence
from datetime import date, datetime, timedelta, timezone
from pathlib import Path
from typing import Final, NamedTuple

import attrs

from countypolicing.model import AdminLevel as Level
from countypolicing.model import (
    AgreementForm,
    Cadence,
    Campaign,
    CommitteeKind,
    Community,
    CommunityIndicators,
    CommunityKind,
    ConfirmationResult,
    ControlledItem,
    County,
    CountyKind,
    Department,
    DepartmentKind,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeType,
    Entity,
    EntityKind,
    FollowUp,
    Government,
    GovernmentKind,
    Grid,
    GridKind,
    HandlingLevel,
    Hazard,
    HazardStatus,
    Incident,
    IncidentKind,
    IssuerOffice,
    JointPatrol,
    JudicialConfirmation,
    JudicialOffice,
    KeyWorkItem,
    LeadingGroup,
    LedgerEntry,
    LinkageMechanism,
    LocalFeature,
    MechanismMeeting,
    MediationAgreement,
    MediationChannel,
    MediationCommittee,
    MetricComparator,
    OutcomeMetric,
    PairedContact,
    PartyCommittee,
    PartyRole,
    PatrolSchedule,
    Person,
    PersonRole,
    PlaqueStatus,
    PledgeKind,
    PoliceMediationLink,
    PoliceStation,
    PoliceSubBureau,
    PolicyDocument,
    PolicyDocumentKind,
    Provenance,
    ReferralRoute,
    RentalHouse,
    RentalKind,
    ResponsibleParties,
    RiskDomain,
    RiskLevel,
    RiskOrigin,
    RiskPoint,
    RiskPointStatus,
    RiskSubjectKind,
    SecurityPledge,
    SeizedItem,
    Sex,
    StationKind,
    SupervisionLevel,
    SupervisorOverride,
    Task,
    TaskAction,
    Tenancy,
    ThemeSupervision,
    Township,
    TownshipKind,
    WorkPlan,
    replay_task,
)
from countypolicing.serialization import save_county

# ============================================================== fixed dates and ids

SEED: Final = 2020
ARTICLE_DATE: Final = date(
    2020, 9, 15
)  # the article's posting date = the county's as_of
YEAR_START: Final = date(2020, 1, 1)  # "今年以来"
YEAR_END: Final = date(2020, 12, 31)
LENGSHUIPU_DAY: Final = date(2020, 8, 13)  # "8月13日"
INDICATORS_AS_OF: Final = date(2020, 6, 30)
# synthetic: when the sweep's risk points appear and when the 96 tasks are assigned
SCREENING_START: Final = date(2020, 5, 11)
SCREENING_END: Final = date(2020, 6, 30)
PLAN_KICKOFF: Final = date(2020, 5, 11)
CST: Final = timezone(timedelta(hours=8))

DEFAULT_OUTPUT: Final = (
    Path(__file__).resolve().parents[1]
    / "src"
    / "countypolicing"
    / "datasets"
    / "data"
    / "yueyanglou"
)

ART: Final = Provenance.ARTICLE
CIT: Final = Provenance.CITED
INF: Final = Provenance.INFERRED
SYN: Final = Provenance.SYNTHETIC

COUNTY_ID: Final = "yueyanglou"
PARTY_COMMITTEE: Final = "district-party-committee"
GOVERNMENT: Final = "district-government"
SUB_BUREAU: Final = "yyl-psb"
LEADING_GROUP: Final = "yyl-psb-leading-group"
RAILWAY_STATION: Final = "railway-ps"
MEASURES_DOC: Final = "implementation-measures"
PLAN_DOC: Final = "implementation-plan"
WORK_PLAN: Final = "yyl-psb-plan-2020"
CAMPAIGN: Final = "campaign-study-discuss-sweep"
PROJECT_DEPT: Final = "lengshuipu-project-dept"
SCENIC_OPERATOR: Final = "yueyanglou-scenic-area"
SCENIC_SECURITY: Final = "yueyanglou-scenic-security"
BIANHE_SECURITY: Final = "bianhe-security"
BIANHE_MANAGEMENT: Final = "bianhe-management"
CAO: Final = "p-cao"
LENGSHUIPU_OFFICER: Final = "p-lengshuipu-cpo"
#: The station whose community police officer mediated the Lengshuipu dispute.
LENGSHUIPU_STATION: Final = "sample-ps-01"
DESHENG_TIPSTER: Final = "p-desheng-tipster"
GRASSROOTS_COMMITTEE: Final = "lengshuipu-grassroots-mc"

#: Risk-score cut-offs (DOMAIN.md §3.2 default, R = L x S on 5 x 5 scales).
MAJOR_FROM: Final = 20
SIGNIFICANT_FROM: Final = 15
GENERAL_FROM: Final = 8

#: Why a risk about a population (ashore fishermen) has no principal party.
POPULATION_EXEMPTION: Final = (
    "风险源是上岸渔民群体而非单位，无主体责任单位（DOMAIN.md §5.2）"
)
#: The same, for populations other than fishermen (by theme; synthetic wording).
OTHER_POPULATION_EXEMPTIONS: Final = {
    "crime_tip": "风险源是身份不明的人员群体而非单位，无主体责任单位（示例）",
}

#: Values on ``article`` records that the model requires but the article does not give.
KNOWN_GAPS: Final = (
    "population, households, grids and township of the named communities (synthetic)",
    "the jurisdiction of the five named stations (inferred from their names)",
    "WorkPlan.start/end and Campaign.start: the whole of 2020 (no dates given)",
    "the Lengshuipu dispute's report date: 8月13日, the day of the agreement",
    (
        "the Lengshuipu agreement's written form and signatures (the article says "
        "only that an agreement was reached); its channel is left UNKNOWN, so no "
        "committee seal is recorded"
    ),
    "the sub-bureau leading group's members: the local stations (not given)",
)

# ============================================================== places

_SD = TownshipKind.SUB_DISTRICT
_TW = TownshipKind.TOWNSHIP
_URBAN = CommunityKind.URBAN
_VILLAGE = CommunityKind.VILLAGE


class TownshipRow(NamedTuple):
    """A township-level unit, its police station and how many placeholders it gets."""

    id: str
    name_zh: str
    name_en: str
    kind: TownshipKind
    provenance: Provenance
    station_id: str
    synthetic_urban: int
    synthetic_villages: int


# fmt: off
TOWNSHIPS: Final = (
    # inferred from the station's name
    TownshipRow("zhanqianlu-sd", "站前路街道", "Zhanqianlu sub-district", _SD, INF, "zhanqianlu-ps", 7, 0),
    # DOMAIN S37: 岳阳楼区洞庭街道洞庭社区
    TownshipRow("dongting-sd", "洞庭街道", "Dongting sub-district", _SD, CIT, "dongting-ps", 6, 0),
    # the article: 东茅岭街道办事处
    TownshipRow("dongmaoling-sd", "东茅岭街道", "Dongmaoling sub-district", _SD, ART, "dongmaoling-ps", 6, 0),
    TownshipRow("yueyanglou-sd", "岳阳楼街道", "Yueyanglou sub-district", _SD, INF, "yueyanglou-ps", 7, 0),
    TownshipRow("guozhen", "郭镇", "Guozhen", _TW, INF, "guozhen-ps", 3, 9),
    TownshipRow("sample-sd-01", "示例街道01", "Sample sub-district 01", _SD, SYN, "sample-ps-01", 7, 0),
    TownshipRow("sample-sd-02", "示例街道02", "Sample sub-district 02", _SD, SYN, "sample-ps-02", 8, 0),
    TownshipRow("sample-sd-03", "示例街道03", "Sample sub-district 03", _SD, SYN, "sample-ps-03", 8, 0),
    TownshipRow("sample-sd-04", "示例街道04", "Sample sub-district 04", _SD, SYN, "sample-ps-04", 8, 0),
    TownshipRow("sample-sd-05", "示例街道05", "Sample sub-district 05", _SD, SYN, "sample-ps-05", 8, 0),
    TownshipRow("sample-sd-06", "示例街道06", "Sample sub-district 06", _SD, SYN, "sample-ps-06", 5, 3),
    TownshipRow("sample-tw-01", "示例乡01", "Sample township 01", _TW, SYN, "sample-ps-07", 0, 9),
    TownshipRow("sample-tw-02", "示例乡02", "Sample township 02", _TW, SYN, "sample-ps-08", 0, 8),
)
# fmt: on


class CommunityRow(NamedTuple):
    """A community named by the article or by DOMAIN.md."""

    id: str
    name_zh: str
    name_en: str
    township_id: str
    themes: tuple[str, ...]
    provenance: Provenance


# fmt: off
NAMED_COMMUNITIES: Final = (
    # the article; in Zhanqianlu station's area (inferred)
    CommunityRow("desheng", "德胜社区", "Desheng community", "zhanqianlu-sd", ("rental_housing",), ART),
    # DOMAIN S37
    CommunityRow("dongting-c", "洞庭社区", "Dongting community", "dongting-sd", ("fishing_ban",), CIT),
    # the article; Xuepo in Dongmaoling is cited (S21), Qiaotou inferred
    CommunityRow("qiaotou", "桥头社区", "Qiaotou community", "dongmaoling-sd", ("railway",), ART),
    CommunityRow("xuepo", "学坡社区", "Xuepo community", "dongmaoling-sd", ("railway",), ART),
    # the article; its township is not given, so it sits in a placeholder sub-district
    CommunityRow("lengshuipu", "冷水铺社区", "Lengshuipu community", "sample-sd-01", ("construction",), ART),
)
# fmt: on

#: Themes of placeholder communities (ids are ``<township>-c<nn>`` / ``<township>-v<nn>``).
SYNTHETIC_THEMES: Final[dict[str, tuple[str, ...]]] = {
    "zhanqianlu-sd-c01": ("rental_housing",),
    "zhanqianlu-sd-c02": ("rental_housing",),
    "zhanqianlu-sd-c03": ("rental_housing",),
    "zhanqianlu-sd-c04": ("rental_housing",),
    "dongting-sd-c01": ("fishing_ban",),
    "dongting-sd-c02": ("fishing_ban",),
    "dongmaoling-sd-c01": ("railway",),
    "yueyanglou-sd-c01": ("scenic_area",),
    "yueyanglou-sd-c02": ("scenic_area",),
    "yueyanglou-sd-c03": ("scenic_area",),
    "guozhen-c01": ("campus",),
    "guozhen-c02": ("campus",),
    "guozhen-v01": ("campus",),
    "guozhen-v02": ("campus",),
    "sample-sd-01-c01": ("construction",),
    "sample-sd-02-c01": ("rental_housing",),
    "sample-sd-02-c02": ("railway",),
    "sample-sd-03-c01": ("campus",),
    "sample-sd-03-c02": ("rental_housing",),
    "sample-sd-04-c01": ("rental_housing",),
    "sample-sd-04-c03": ("construction",),
    "sample-sd-05-c01": ("construction",),
    "sample-sd-06-c02": ("construction",),
    "sample-tw-02-v01": ("fishing_ban",),
}

#: Communities whose grids get a (pseudonymised) grid worker record each.
STAFFED_COMMUNITIES: Final = (
    "desheng",
    "dongting-c",
    "qiaotou",
    "xuepo",
    "lengshuipu",
    "yueyanglou-sd-c01",
    "guozhen-c01",
)

#: Busier communities: more police calls and prior incidents (Zhanqianlu and scenic).
BUSY_TOWNSHIPS: Final = ("zhanqianlu-sd", "yueyanglou-sd")

# ============================================================== police


class StationRow(NamedTuple):
    """A local police station and its risk themes."""

    id: str
    name_zh: str
    name_en: str
    themes: tuple[str, ...]
    provenance: Provenance


# fmt: off
STATIONS: Final = (
    StationRow("zhanqianlu-ps", "站前路派出所", "Zhanqianlu police station", ("rental_housing",), ART),
    StationRow("dongting-ps", "洞庭派出所", "Dongting police station", ("fishing_ban",), ART),
    StationRow("dongmaoling-ps", "东茅岭派出所", "Dongmaoling police station", ("railway",), ART),
    StationRow("guozhen-ps", "郭镇派出所", "Guozhen police station", ("campus",), ART),
    StationRow("yueyanglou-ps", "岳阳楼派出所", "Yueyanglou police station", ("scenic_area",), ART),
    StationRow("sample-ps-01", "示例派出所01", "Sample police station 01", ("construction",), SYN),
    StationRow("sample-ps-02", "示例派出所02", "Sample police station 02", (), SYN),
    StationRow("sample-ps-03", "示例派出所03", "Sample police station 03", (), SYN),
    StationRow("sample-ps-04", "示例派出所04", "Sample police station 04", (), SYN),
    StationRow("sample-ps-05", "示例派出所05", "Sample police station 05", (), SYN),
    StationRow("sample-ps-06", "示例派出所06", "Sample police station 06", (), SYN),
    StationRow("sample-ps-07", "示例派出所07", "Sample police station 07", (), SYN),
    StationRow("sample-ps-08", "示例派出所08", "Sample police station 08", (), SYN),
)
# fmt: on

GUOZHEN_MODEL: Final = LocalFeature(
    name_zh="郭镇模式",
    description=(
        "报道称郭镇派出所针对辖区大中专院校集中的特点“积极探索县域警务郭镇模式”，"
        "未说明其内容。The article names the Guozhen model but gives no content."
    ),
    provenance=ART,
)

# ============================================================== departments

_DK = DepartmentKind


class DepartmentRow(NamedTuple):
    """A functional department (DOMAIN.md §5.2 and §9.2)."""

    id: str
    kind: DepartmentKind
    name_zh: str
    name_en: str
    government_id: str | None


#: Generic names on purpose ("…部门"): the departments' existence is inferred, their
#: official titles are not asserted.
# fmt: off
DEPARTMENTS: Final = (
    DepartmentRow("dept-public-security", _DK.PUBLIC_SECURITY, "岳阳楼区公安（岳阳楼公安分局）", "District public security (the sub-bureau)", GOVERNMENT),
    DepartmentRow("dept-political-legal", _DK.POLITICAL_LEGAL, "岳阳楼区委政法委", "District political-legal committee", None),
    DepartmentRow("dept-justice", _DK.JUSTICE, "岳阳楼区司法行政部门", "District justice administration", GOVERNMENT),
    DepartmentRow("dept-court", _DK.COURT, "岳阳楼区人民法院", "District people's court", None),
    DepartmentRow("dept-housing", _DK.HOUSING, "岳阳楼区住建部门", "District housing and construction", GOVERNMENT),
    DepartmentRow("dept-agriculture", _DK.AGRICULTURE_FISHERY, "岳阳楼区农业农村（渔政）部门", "District agriculture and fishery administration", GOVERNMENT),
    DepartmentRow("dept-hr", _DK.HUMAN_RESOURCES, "岳阳楼区人社部门", "District human resources and social security", GOVERNMENT),
    DepartmentRow("dept-civil-affairs", _DK.CIVIL_AFFAIRS, "岳阳楼区民政部门", "District civil affairs", GOVERNMENT),
    DepartmentRow("dept-medical-security", _DK.MEDICAL_SECURITY, "岳阳楼区医保部门", "District medical security", GOVERNMENT),
    DepartmentRow("dept-finance", _DK.FINANCE, "岳阳楼区财政部门", "District finance", GOVERNMENT),
    DepartmentRow("dept-education", _DK.EDUCATION, "岳阳楼区教育部门", "District education", GOVERNMENT),
    DepartmentRow("dept-culture-tourism", _DK.CULTURE_TOURISM, "岳阳楼区文旅部门", "District culture and tourism", GOVERNMENT),
    DepartmentRow("dept-market-regulation", _DK.MARKET_REGULATION, "岳阳楼区市场监管部门", "District market regulation", GOVERNMENT),
    DepartmentRow("dept-emergency", _DK.EMERGENCY, "岳阳楼区应急管理部门", "District emergency management", GOVERNMENT),
    DepartmentRow("dept-petition", _DK.PETITION, "岳阳楼区信访部门", "District petitions office", GOVERNMENT),
    DepartmentRow("dept-discipline", _DK.DISCIPLINE, "岳阳楼区纪委监委", "District discipline inspection and supervision", None),
    # the railway police division named inside the article's station name
    DepartmentRow("dept-railway-police", _DK.RAILWAY_POLICE, "长沙铁路公安处", "Changsha railway public security division", None),
)
# fmt: on


class ThemeRow(NamedTuple):
    """One row of the theme → supervising-department table (谁主管、谁负责)."""

    theme: str
    departments: tuple[str, ...]
    lead: str
    provenance: Provenance


# fmt: off
THEME_SUPERVISION: Final = (
    # S41 (police registration, 治安责任保证书) and S43 (housing supervises leasing)
    ThemeRow("rental_housing", ("dept-public-security", "dept-housing"), "dept-public-security", CIT),
    # S37: fishery administration leads; 人社、民政、医保 support
    ThemeRow("fishing_ban", ("dept-agriculture", "dept-hr", "dept-civil-affairs", "dept-medical-security"), "dept-agriculture", CIT),
    # S38: 护路联防 under the political-legal committee; the railway police
    ThemeRow("railway", ("dept-political-legal", "dept-railway-police"), "dept-political-legal", CIT),
    # S39: the education department leads; police 护学岗
    ThemeRow("campus", ("dept-education", "dept-public-security"), "dept-education", CIT),
    # S40: culture and tourism with tourism policing
    ThemeRow("scenic_area", ("dept-culture-tourism", "dept-public-security"), "dept-culture-tourism", CIT),
    # DOMAIN.md §5.2 names housing for construction disputes without a source
    ThemeRow("construction", ("dept-housing",), "dept-housing", INF),
    ThemeRow("crime_tip", ("dept-public-security",), "dept-public-security", INF),
)
# fmt: on

#: Themes whose row is left out of the county's table on purpose (DELIBERATE_GAPS).
UNSUPERVISED_THEMES: Final = frozenset({"crime_tip"})
# ============================================================== mechanisms (DOMAIN.md §2)


class MechanismRow(NamedTuple):
    """One of the eight linkage mechanisms; names are DOMAIN.md §2 placeholders."""

    id: str
    name_zh: str
    name_en: str
    lead: str | None
    members: tuple[str, ...]
    cadence: Cadence
    triggers: tuple[str, ...]


# fmt: off
MECHANISMS: Final = (
    MechanismRow("joint_meeting", "联席会议／风险会商研判", "Joint meeting and risk consultation", "dept-political-legal", (SUB_BUREAU, "dept-justice", "dept-petition", "dept-civil-affairs", "dept-housing"), Cadence.MONTHLY, ("重大风险点新增或升级",)),
    MechanismRow("info_sharing", "信息互通共享", "Information sharing", SUB_BUREAU, ("dept-political-legal", "dept-housing", "dept-civil-affairs", "dept-market-regulation", "dept-petition", "dept-railway-police"), Cadence.WEEKLY, ()),
    MechanismRow("joint_hazard_screening", "风险隐患联排联治", "Joint hazard screening and remediation", SUB_BUREAU, ("dept-emergency", "dept-housing", "dept-market-regulation", "dept-education", "dept-culture-tourism"), Cadence.MONTHLY, ("专项排查行动",)),
    MechanismRow("joint_mediation", "矛盾纠纷联调（警调/诉调/访调对接）", "Joint dispute mediation", "dept-justice", (SUB_BUREAU, "dept-court", "dept-petition", "dept-political-legal"), Cadence.AS_NEEDED, ("纠纷可能激化",)),
    MechanismRow("key_person_joint_control", "重点人员联管", "Joint management of key persons", SUB_BUREAU, ("dept-civil-affairs", "dept-hr", "dept-justice", "dept-petition"), Cadence.MONTHLY, ()),
    MechanismRow("joint_patrol", "治安联防联勤（联合巡逻）", "Joint patrol and defence", SUB_BUREAU, ("yueyanglou-ps", SCENIC_SECURITY, BIANHE_SECURITY, RAILWAY_STATION), Cadence.WEEKLY, ()),
    # deliberate gap: no lead recorded (DELIBERATE_GAPS)
    MechanismRow("joint_emergency", "应急事件联处", "Joint emergency response", None, ("dept-emergency", SUB_BUREAU, "dept-housing", "dept-civil-affairs", "dept-medical-security"), Cadence.AS_NEEDED, ("突发事件",)),
    MechanismRow("joint_supervision", "督查考核问责联动", "Joint supervision, assessment and accountability", GOVERNMENT, ("dept-discipline", "dept-political-legal", SUB_BUREAU), Cadence.QUARTERLY, ("任务逾期",)),
)
# fmt: on

# ============================================================== work plan (24 → 96)

#: Placeholder topics: the article gives only the counts (DOMAIN.md §10: do not invent).
# fmt: off
KEY_ITEM_TOPICS: Final = (
    ("组织领导与责任落实", SUB_BUREAU, ("dept-political-legal",)),
    ("风险隐患起底排查", SUB_BUREAU, ("zhanqianlu-ps", "dongting-ps", "dongmaoling-ps", "guozhen-ps", "yueyanglou-ps")),
    ("风险分级管控", SUB_BUREAU, ("dept-emergency", "dept-political-legal")),
    ("矛盾纠纷排查化解", SUB_BUREAU, ("dept-justice", "dept-petition")),
    ("出租房屋管理", "zhanqianlu-ps", ("dept-housing", "sample-ps-02", "sample-ps-03")),
    ("上岸渔民服务管理", "dongting-ps", ("dept-agriculture", "dept-hr", "dept-civil-affairs", "dept-medical-security")),
    ("铁路沿线治安整治", "dongmaoling-ps", ("dept-political-legal", RAILWAY_STATION, "sample-ps-02")),
    ("校园及周边安全", "guozhen-ps", ("dept-education", "sample-ps-03")),
    ("景区及商圈治安防控", "yueyanglou-ps", ("dept-culture-tourism", "dept-market-regulation")),
    ("建设施工领域风险防控", SUB_BUREAU, ("dept-housing", "sample-ps-01", "sample-ps-05")),
    ("重点人员服务管理", SUB_BUREAU, ("dept-civil-affairs", "dept-justice")),
    ("社区警务与网格融合", SUB_BUREAU, ("sample-ps-04", "sample-ps-06", "sample-ps-07", "sample-ps-08")),
    ("警调对接与大调解", SUB_BUREAU, ("dept-justice", "dept-court")),
    ("群防群治力量建设", SUB_BUREAU, ("dept-civil-affairs", "yueyanglou-ps")),
    ("打击侵财犯罪", SUB_BUREAU, ("zhanqianlu-ps", "yueyanglou-ps", "sample-ps-05")),
    ("打击黄赌毒违法犯罪", SUB_BUREAU, ("sample-ps-06", "sample-ps-07", "dept-market-regulation")),
    ("信息互通与数据共享", SUB_BUREAU, ("dept-political-legal", "dept-housing")),
    ("应急处置联动", SUB_BUREAU, ("dept-emergency", "dept-medical-security")),
    ("基础信息采集", SUB_BUREAU, ("sample-ps-01", "sample-ps-04", "guozhen-ps")),
    ("平安社区（村）创建", SUB_BUREAU, ("dept-civil-affairs", "sample-ps-08")),
    ("法治宣传", SUB_BUREAU, ("dept-justice", "dept-education")),
    ("队伍教育管理", SUB_BUREAU, ("dept-discipline",)),
    ("督查考核", SUB_BUREAU, ("dept-discipline", "dept-political-legal")),
    ("总结评估", SUB_BUREAU, ("dept-political-legal",)),
)
# fmt: on
TASK_VERBS: Final = (
    "制定方案",
    "摸排建档",
    "组织推进",
    "督导检查",
    "总结报送",
    "建立台账",
)
TASKS_TOTAL: Final = 96

#: How many tasks end in each state on the article's date.
TASK_OUTCOMES: Final = (
    ("closed", 60),
    ("verified", 4),
    ("submitted", 9),
    ("in_progress", 13),
    ("in_progress_overdue", 4),
    ("assigned_overdue", 4),
    ("planned", 2),
)

# ============================================================== risks


class RiskRow(NamedTuple):
    """A synthetic risk point: numbers and states are made up, themes follow the article."""

    id: str
    name_zh: str
    community_id: str
    theme: str
    subject: RiskSubjectKind
    domain: RiskDomain
    likelihood: int
    severity: int
    status: RiskPointStatus
    owner_id: str | None
    origin: RiskOrigin


_P = RiskSubjectKind
_D = RiskDomain
_ST = RiskPointStatus
_O = RiskOrigin

# fmt: off
RISKS: Final = (
    # rental housing: 站前路 station
    RiskRow("rp01", "德胜社区出租房屋集中片区（示例）", "desheng", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 4, 4, _ST.GRADED, None, _O.CAMPAIGN),
    RiskRow("rp02", "德胜社区示例群租房01", "desheng", "rental_housing", _P.HOUSING, _D.PUBLIC_SAFETY, 4, 4, _ST.CONTROLLED, "landlord:desheng:0", _O.CAMPAIGN),
    RiskRow("rp03", "站前路街道示例社区01出租房屋流动人口（示例）", "zhanqianlu-sd-c01", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 3, 3, _ST.MONITORING, "landlord:zhanqianlu-sd-c01:0", _O.CAMPAIGN),
    RiskRow("rp04", "站前路街道示例社区02家庭旅馆（示例）", "zhanqianlu-sd-c02", "rental_housing", _P.HOUSING, _D.PUBLIC_SAFETY, 3, 4, _ST.MONITORING, "landlord:zhanqianlu-sd-c02:0", _O.GRID_REPORT),
    RiskRow("rp05", "站前路街道示例社区03未挂牌出租房（示例）", "zhanqianlu-sd-c03", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 4, 2, _ST.IDENTIFIED, None, _O.GRID_REPORT),
    RiskRow("rp40", "站前路街道示例社区04摘牌出租房（示例）", "zhanqianlu-sd-c04", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 4, 3, _ST.CONTROLLED, "landlord:zhanqianlu-sd-c04:0", _O.SCREENING),
    # fishing ban: 洞庭 station; fishermen are a population, so most have no principal
    RiskRow("rp06", "洞庭社区上岸渔民就业安置诉求（示例）", "dongting-c", "fishing_ban", _P.PERSON_GROUP, _D.SOCIAL_STABILITY, 4, 5, _ST.GRADED, None, _O.CAMPAIGN),
    RiskRow("rp07", "洞庭社区上岸渔民社保兜底诉求（示例）", "dongting-c", "fishing_ban", _P.PERSON_GROUP, _D.SOCIAL_STABILITY, 3, 4, _ST.CONTROLLED, None, _O.CAMPAIGN),
    RiskRow("rp08", "洞庭街道示例社区01退捕渔船集中停靠点（示例）", "dongting-sd-c01", "fishing_ban", _P.PLACE, _D.PUBLIC_ORDER, 3, 3, _ST.MONITORING, "dongting-sd-c01-coop", _O.CAMPAIGN),
    RiskRow("rp09", "洞庭街道示例社区02非法捕捞回潮（示例）", "dongting-sd-c02", "fishing_ban", _P.PLACE, _D.PUBLIC_ORDER, 2, 3, _ST.IDENTIFIED, None, _O.GRID_REPORT),
    RiskRow("rp37", "示例乡02示例村01上岸渔民安置（示例）", "sample-tw-02-v01", "fishing_ban", _P.PERSON_GROUP, _D.SOCIAL_STABILITY, 3, 3, _ST.GRADED, None, _O.CAMPAIGN),
    # railway: 东茅岭 station
    RiskRow("rp10", "桥头社区铁路沿线行人穿越（示例）", "qiaotou", "railway", _P.PLACE, _D.PUBLIC_SAFETY, 4, 5, _ST.CONTROLLED, "railway-unit-01", _O.CAMPAIGN),
    RiskRow("rp11", "学坡社区铁路沿线治安乱点（示例）", "xuepo", "railway", _P.PLACE, _D.PUBLIC_ORDER, 4, 4, _ST.MONITORING, "railway-unit-01", _O.CAMPAIGN),
    RiskRow("rp12", "东茅岭街道示例社区01铁路护栏缺损（示例）", "dongmaoling-sd-c01", "railway", _P.PLACE, _D.PUBLIC_SAFETY, 3, 4, _ST.CONTROLLED, "railway-unit-02", _O.SCREENING),
    RiskRow("rp13", "学坡社区沿线废品收购点（示例）", "xuepo", "railway", _P.ORGANISATION, _D.PUBLIC_ORDER, 3, 3, _ST.GRADED, None, _O.GRID_REPORT),
    RiskRow("rp14", "桥头社区铁路器材被盗风险（示例）", "qiaotou", "railway", _P.OBJECT, _D.PUBLIC_ORDER, 2, 4, _ST.IDENTIFIED, None, _O.CAMPAIGN),
    RiskRow("rp36", "示例街道02示例社区02铁路道口（示例）", "sample-sd-02-c02", "railway", _P.PLACE, _D.PUBLIC_SAFETY, 3, 5, _ST.CONTROLLED, "railway-unit-02", _O.CAMPAIGN),
    # campus: 郭镇 station
    RiskRow("rp15", "郭镇示例院校01周边治安（示例）", "guozhen-c01", "campus", _P.PLACE, _D.PUBLIC_ORDER, 3, 4, _ST.MONITORING, "guozhen-college-01", _O.CAMPAIGN),
    RiskRow("rp16", "郭镇示例院校02学生电信诈骗受害（示例）", "guozhen-c02", "campus", _P.PERSON_GROUP, _D.PUBLIC_ORDER, 4, 4, _ST.CONTROLLED, "guozhen-college-02", _O.CAMPAIGN),
    RiskRow("rp17", "郭镇示例院校03周边交通安全（示例）", "guozhen-v01", "campus", _P.PLACE, _D.PUBLIC_SAFETY, 3, 3, _ST.GRADED, "guozhen-college-03", _O.CAMPAIGN),
    RiskRow("rp18", "郭镇示例院校04学生公寓消防（示例）", "guozhen-v02", "campus", _P.PLACE, _D.PUBLIC_SAFETY, 2, 5, _ST.CONTROLLED, "guozhen-college-04", _O.SCREENING),
    RiskRow("rp19", "郭镇示例社区01校园周边网吧（示例）", "guozhen-c01", "campus", _P.ORGANISATION, _D.PUBLIC_ORDER, 3, 2, _ST.CONTROLLED, "guozhen-internet-cafe-01", _O.GRID_REPORT),
    RiskRow("rp38", "示例街道03示例学校01上下学时段安全（示例）", "sample-sd-03-c01", "campus", _P.PLACE, _D.PUBLIC_SAFETY, 2, 4, _ST.MONITORING, "sample-sd-03-school-01", _O.CAMPAIGN),
    # scenic area: 岳阳楼 station
    RiskRow("rp20", "岳阳楼景区节假日大客流（示例）", "yueyanglou-sd-c01", "scenic_area", _P.PLACE, _D.PUBLIC_SAFETY, 4, 5, _ST.MONITORING, SCENIC_OPERATOR, _O.CAMPAIGN),
    RiskRow("rp21", "岳阳楼景区游客纠纷（示例）", "yueyanglou-sd-c01", "scenic_area", _P.EVENT_DISPUTE, _D.PUBLIC_ORDER, 4, 2, _ST.MONITORING, SCENIC_OPERATOR, _O.CALL_110),
    RiskRow("rp22", "汴河街商区夜间治安（示例）", "yueyanglou-sd-c02", "scenic_area", _P.PLACE, _D.PUBLIC_ORDER, 4, 4, _ST.CONTROLLED, BIANHE_MANAGEMENT, _O.CAMPAIGN),
    RiskRow("rp23", "景区周边违规揽客（示例）", "yueyanglou-sd-c02", "scenic_area", _P.PLACE, _D.PUBLIC_ORDER, 3, 3, _ST.GRADED, None, _O.CALL_110),
    RiskRow("rp24", "岳阳楼街道示例社区03景区周边消防通道（示例）", "yueyanglou-sd-c03", "scenic_area", _P.PLACE, _D.PUBLIC_SAFETY, 3, 4, _ST.IDENTIFIED, None, _O.GRID_REPORT),
    # construction: 冷水铺 and placeholder communities
    RiskRow("rp25", "冷水铺社区施工致房屋裂缝（示例）", "lengshuipu", "construction", _P.EVENT_DISPUTE, _D.SOCIAL_STABILITY, 3, 5, _ST.MONITORING, PROJECT_DEPT, _O.SCREENING),
    RiskRow("rp26", "冷水铺社区施工扬尘噪声扰民（示例）", "lengshuipu", "construction", _P.EVENT_DISPUTE, _D.SOCIAL_STABILITY, 3, 2, _ST.CONTROLLED, PROJECT_DEPT, _O.GRID_REPORT),
    RiskRow("rp27", "示例街道01示例社区01深基坑作业（示例）", "sample-sd-01-c01", "construction", _P.PLACE, _D.PUBLIC_SAFETY, 2, 5, _ST.CONTROLLED, "sample-project-02", _O.CAMPAIGN),
    RiskRow("rp28", "示例街道01示例社区01施工围挡占道（示例）", "sample-sd-01-c01", "construction", _P.PLACE, _D.PUBLIC_SAFETY, 2, 2, _ST.CLOSED, "sample-project-02", _O.GRID_REPORT),
    RiskRow("rp32", "示例街道05示例社区01拆迁安置项目（示例）", "sample-sd-05-c01", "construction", _P.EVENT_DISPUTE, _D.SOCIAL_STABILITY, 4, 4, _ST.GRADED, "sample-project-03", _O.CAMPAIGN),
    RiskRow("rp33", "示例街道06示例社区02工程欠薪（示例）", "sample-sd-06-c02", "construction", _P.PERSON_GROUP, _D.SOCIAL_STABILITY, 3, 4, _ST.CONTROLLED, "sample-project-04", _O.CAMPAIGN),
    RiskRow("rp39", "示例街道04示例社区03老旧小区改造（示例）", "sample-sd-04-c03", "construction", _P.PLACE, _D.PUBLIC_SAFETY, 2, 3, _ST.MONITORING, "sample-project-05", _O.CAMPAIGN),
    # rental housing and tips elsewhere
    RiskRow("rp29", "示例街道02示例社区01群租房（示例）", "sample-sd-02-c01", "rental_housing", _P.HOUSING, _D.PUBLIC_SAFETY, 3, 3, _ST.GRADED, None, _O.CAMPAIGN),
    RiskRow("rp30", "示例街道03示例社区02出租房屋集中片区（示例）", "sample-sd-03-c02", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 4, 3, _ST.GRADED, None, _O.CAMPAIGN),
    RiskRow("rp31", "示例街道04示例社区01出租房屋（示例）", "sample-sd-04-c01", "rental_housing", _P.HOUSING, _D.PUBLIC_ORDER, 2, 3, _ST.IDENTIFIED, None, _O.GRID_REPORT),
    RiskRow("rp34", "示例街道02示例社区03可疑人员聚集线索（示例）", "sample-sd-02-c03", "crime_tip", _P.PERSON_GROUP, _D.PUBLIC_ORDER, 3, 4, _ST.GRADED, None, _O.TIP),
    RiskRow("rp35", "示例乡01示例村01赌博窝点线索（示例）", "sample-tw-01-v01", "crime_tip", _P.PLACE, _D.PUBLIC_ORDER, 3, 3, _ST.IDENTIFIED, None, _O.TIP),
)
# fmt: on

#: Risk points whose owner is dropped after they were put under control, so that
#: the data holds a monitored risk without a principal party (a deliberate gap).
DROPPED_OWNERS: Final = frozenset({"rp39"})

#: Responsibility gaps left in the data on purpose (node key, what is missing); all
#: synthetic. ``tests/graph`` checks that gap analysis finds exactly these plus
#: ``UNOWNED_RISKS``.
DELIBERATE_GAPS: Final = (
    (
        "theme:crime_tip",
        (
            "the theme crime_tip (涉案线索) has no theme_supervision row: its row, "
            "inferred with no source, is left out (UNSUPERVISED_THEMES)"
        ),
    ),
    (
        "risk:rp34",
        (
            "rp34, a crime tip, has no supervisory (主管) party (nor has rp35, which "
            "also has no owner and is listed in UNOWNED_RISKS)"
        ),
    ),
    (
        "mechanism:joint_emergency",
        (
            "the joint emergency mechanism (应急事件联处, an inferred placeholder) has "
            "no lead organisation recorded"
        ),
    ),
    (
        "risk:rp39",
        (
            "rp39 is monitored but its owner (a project department) is not recorded, "
            "so nobody holds its principal (主体) responsibility"
        ),
    ),
)

#: Risk points identified or graded whose owner is not established yet: open
#: principal gaps, as a sweep leaves them before responsibilities are assigned.
UNOWNED_RISKS: Final = tuple(
    r.id
    for r in RISKS
    if r.owner_id is None
    and r.subject is not RiskSubjectKind.PERSON_GROUP
    and r.status in {RiskPointStatus.IDENTIFIED, RiskPointStatus.GRADED}
)

#: The one risk point whose supervising department differs from the theme table.
OVERRIDES: Final = {
    "rp19": SupervisorOverride(
        department_id="dept-culture-tourism",
        reason="网吧属文化市场经营场所，由文旅部门主管，不按校园主题归教育部门（示例）",
    ),
}

CONTROLS: Final[dict[str, tuple[str, ...]]] = {
    "rental_housing": ("挂牌管理", "签订治安责任状", "定期走访检查"),
    "fishing_ban": ("建档立卡", "就业帮扶", "社保兜底", "安置居住"),
    "railway": ("护路联防巡查", "沿线隐患整治"),
    "campus": ("护学岗", "警校联席会议"),
    "scenic_area": ("24小时巡逻盘查", "游客纠纷及时化解"),
    "construction": ("施工安全检查", "矛盾纠纷排查"),
    "crime_tip": ("核查比对", "布控"),
}

#: What the article (or DOMAIN.md) says behind each theme; risk points quote it.
THEME_BASIS: Final = {
    "rental_housing": "报道：站前路派出所创新开展出租房屋管理，挂牌管理、签订治安责任状、以房管人。",
    "fishing_ban": "报道：洞庭派出所将禁捕退捕后上岸渔民利益诉求作为重要风险点源进行摸排。",
    "railway": "报道：东茅岭派出所将铁路沿线治安管理顽疾作为县域风险化解重点。",
    "campus": "报道：郭镇派出所辖区大中专院校集中。",
    "scenic_area": "报道：岳阳楼派出所把景区平安作为工作的重心。",
    "construction": "报道：冷水铺社区因施工造成房屋裂缝产生矛盾。",
    "crime_tip": "报道：群众反映线索，民警核查比对后布控。",
}

#: Monitored risks were last reviewed in this window (synthetic).
LAST_REVIEWS: Final = date(2020, 8, 10)
REVIEWS_UNTIL: Final = date(2020, 9, 10)

#: Review interval by level (days); synthetic defaults.
REVIEW_EVERY: Final = {
    RiskLevel.MAJOR: 7,
    RiskLevel.SIGNIFICANT: 15,
    RiskLevel.GENERAL: 30,
    RiskLevel.LOW: 90,
}


class HazardRow(NamedTuple):
    """A synthetic hazard (隐患) with a rectification deadline."""

    id: str
    risk_point_id: str
    description: str
    found_on: date
    rectify_by: date
    owner_id: str
    status: HazardStatus


# fmt: off
HAZARDS: Final = (
    HazardRow("hz01", "rp02", "示例群租房01楼道堆放杂物堵塞消防通道（示例）", date(2020, 7, 2), date(2020, 7, 16), "landlord:desheng:0", HazardStatus.CLOSED),
    HazardRow("hz02", "rp12", "铁路护栏缺口（示例）", date(2020, 8, 10), date(2020, 9, 10), "railway-unit-02", HazardStatus.VERIFIED),
    HazardRow("hz03", "rp27", "基坑临边防护缺失（示例）", date(2020, 8, 5), date(2020, 8, 12), "sample-project-02", HazardStatus.RECTIFYING),
    HazardRow("hz04", "rp18", "学生公寓消防设施老化（示例）", date(2020, 9, 1), date(2020, 10, 31), "guozhen-college-04", HazardStatus.FOUND),
    HazardRow("hz05", "rp20", "景区应急疏散通道被占用（示例）", date(2020, 8, 28), date(2020, 9, 4), SCENIC_OPERATOR, HazardStatus.FOUND),
)
# fmt: on

# ============================================================== disputes

_T = DisputeType
_OR = DisputeOrigin
_CH = MediationChannel
_HL = HandlingLevel


class DisputeRow(NamedTuple):
    """A synthetic dispute and the lifecycle path it is driven along."""

    community_id: str
    type: DisputeType
    origin: DisputeOrigin
    channel: MediationChannel
    level: HandlingLevel
    path: str
    summary: str
    applicant: str  # "resident", "tourist", "fisher", "student"
    respondent: (
        str  # "resident", "fisher", "student", "landlord", "township" or an entity id
    )


# fmt: off
DISPUTES: Final = (
    DisputeRow("desheng", _T.NEIGHBOUR, _OR.CALL_110, _CH.PEOPLES, _HL.SUB_DISTRICT, "closed", "出租屋噪声扰邻纠纷（示例）", "resident", "resident"),
    DisputeRow("desheng", _T.CONTRACT, _OR.WALK_IN, _CH.PEOPLES, _HL.COMMUNITY, "closed", "租金押金退还纠纷（示例）", "resident", "landlord"),
    DisputeRow("zhanqianlu-sd-c02", _T.PROPERTY_MANAGEMENT, _OR.GRID_REPORT, _CH.ADMINISTRATIVE, _HL.SUB_DISTRICT, "mediating", "物业费与服务质量纠纷（示例）", "resident", "zhanqianlu-sd-c02-property"),
    DisputeRow("zhanqianlu-sd-c01", _T.NEIGHBOUR, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.COMMUNITY, "closed", "邻里口角引发推搡（示例）", "resident", "resident"),
    DisputeRow("dongting-c", _T.MARITIME_FISHERY, _OR.SCREENING, _CH.ADMINISTRATIVE, _HL.SUB_DISTRICT, "mediating", "上岸渔民渔船回收补偿诉求（示例）", "fisher", "township"),
    DisputeRow("dongting-sd-c01", _T.MARITIME_FISHERY, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "agreed", "上岸渔民之间渔具买卖纠纷（示例）", "fisher", "fisher"),
    DisputeRow("dongting-c", _T.LABOUR, _OR.WALK_IN, _CH.ADMINISTRATIVE, _HL.SUB_DISTRICT, "terminated_referred", "上岸渔民转岗就业工资纠纷（示例）", "fisher", "dongting-c-enterprise"),
    DisputeRow("qiaotou", _T.NEIGHBOUR, _OR.GRID_REPORT, _CH.PEOPLES, _HL.GRID, "closed", "楼道杂物堆放纠纷（示例）", "resident", "resident"),
    DisputeRow("xuepo", _T.MARRIAGE_FAMILY, _OR.WALK_IN, _CH.PEOPLES, _HL.COMMUNITY, "performed_visited", "赡养费纠纷（示例）", "resident", "resident"),
    DisputeRow("xuepo", _T.NEIGHBOUR, _OR.SCREENING, _CH.PEOPLES, _HL.GRID, "discovered", "铁路沿线违章搭建占道纠纷（示例）", "resident", "resident"),
    DisputeRow("xuepo", _T.NEIGHBOUR, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "reopened_invalid", "房屋漏水赔偿纠纷（示例）", "resident", "resident"),
    DisputeRow("dongmaoling-sd-c02", _T.CONTRACT, _OR.CALL_110, _CH.PEOPLES, _HL.SUB_DISTRICT, "refused", "装修合同纠纷（示例）", "resident", "resident"),
    DisputeRow("yueyanglou-sd-c01", _T.TOURISM, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.COMMUNITY, "closed", "游客与商户消费纠纷（示例）", "tourist", "bianhe-shop-01"),
    DisputeRow("yueyanglou-sd-c01", _T.TOURISM, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.GRID, "agreed", "游客购物退货纠纷（示例）", "tourist", "bianhe-shop-02"),
    DisputeRow("yueyanglou-sd-c02", _T.TOURISM, _OR.WALK_IN, _CH.ADMINISTRATIVE, _HL.SUB_DISTRICT, "mediating", "旅游团费退费纠纷（示例）", "tourist", "yueyanglou-sd-c02-agency"),
    DisputeRow("yueyanglou-sd-c03", _T.TOURISM, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.COMMUNITY, "escalated", "游客与商户争执升级（示例）", "tourist", "bianhe-shop-03"),
    DisputeRow("guozhen-c01", _T.CAMPUS, _OR.WALK_IN, _CH.PEOPLES, _HL.SUB_DISTRICT, "closed", "学生与院校退费纠纷（示例）", "student", "guozhen-college-01"),
    DisputeRow("guozhen-c02", _T.CAMPUS, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.COMMUNITY, "closed", "学生宿舍口角纠纷（示例）", "student", "student"),
    DisputeRow("guozhen-v01", _T.CAMPUS, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "accepted", "院校周边村民与学生纠纷（示例）", "resident", "student"),
    DisputeRow("guozhen-c01", _T.NEIGHBOUR, _OR.SCREENING, _CH.PEOPLES, _HL.COMMUNITY, "closed_confirmed", "相邻通行纠纷（示例）", "resident", "resident"),
    DisputeRow("guozhen-v04", _T.FOREST_LAND, _OR.GRID_REPORT, _CH.PEOPLES, _HL.SUB_DISTRICT, "terminated", "山林界址纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-sd-01-c01", _T.CONSTRUCTION, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "agreed", "施工噪声扰民纠纷（示例）", "resident", "sample-project-02"),
    DisputeRow("sample-sd-01-c02", _T.NEIGHBOUR, _OR.CALL_110, _CH.PEOPLES, _HL.SUB_DISTRICT, "closed", "停车位纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-sd-02-c01", _T.CONTRACT, _OR.WALK_IN, _CH.JUDICIAL, _HL.DISTRICT, "mediating", "房屋租赁合同纠纷（诉前调解，示例）", "resident", "resident"),
    DisputeRow("sample-sd-02-c03", _T.ECONOMIC, _OR.WALK_IN, _CH.PEOPLES, _HL.COMMUNITY, "closed", "民间借贷纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-sd-03-c03", _T.PROPERTY_MANAGEMENT, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "reopened", "维修资金使用纠纷（示例）", "resident", "sample-sd-03-c03-property"),
    DisputeRow("sample-sd-04-c02", _T.MARRIAGE_FAMILY, _OR.CALL_110, _CH.PUBLIC_SECURITY, _HL.COMMUNITY, "escalated", "家庭纠纷有激化风险（示例）", "resident", "resident"),
    DisputeRow("sample-sd-05-c01", _T.LABOUR, _OR.WALK_IN, _CH.ADMINISTRATIVE, _HL.DISTRICT, "refused_referred", "农民工欠薪纠纷（示例）", "resident", "sample-project-03"),
    DisputeRow("sample-sd-05-c02", _T.NEIGHBOUR, _OR.SCREENING, _CH.PEOPLES, _HL.GRID, "mediating", "绿化带种菜纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-sd-06-v01", _T.HOUSING_HOMESTEAD, _OR.GRID_REPORT, _CH.PEOPLES, _HL.COMMUNITY, "performed", "宅基地界址纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-tw-01-v02", _T.FOREST_LAND, _OR.SCREENING, _CH.PEOPLES, _HL.SUB_DISTRICT, "referred_closed", "林地承包纠纷（示例）", "resident", "resident"),
    DisputeRow("sample-tw-02-v01", _T.MARITIME_FISHERY, _OR.SCREENING, _CH.PEOPLES, _HL.COMMUNITY, "closed", "上岸渔民安置房分配纠纷（示例）", "fisher", "fisher"),
)
# fmt: on

#: Paths that end open (the dispute is reported recently).
OPEN_PATHS: Final = ("discovered", "accepted", "mediating")

#: Paths that pass through an agreement (people's or police mediation only).
AGREEMENT_PATHS: Final = (
    "agreed",
    "performed",
    "performed_visited",
    "closed",
    "closed_confirmed",
    "reopened",
    "reopened_invalid",
)

#: Administrative mediation is done by the department in charge of the matter.
ADMIN_HANDLERS: Final = {
    DisputeType.LABOUR: "dept-hr",
    DisputeType.TOURISM: "dept-culture-tourism",
    DisputeType.MARITIME_FISHERY: "dept-agriculture",
    DisputeType.PROPERTY_MANAGEMENT: "dept-housing",
    DisputeType.CONSTRUCTION: "dept-housing",
}

#: Communities with their own people's mediation committee (synthetic members).
COMMITTEE_COMMUNITIES: Final = (
    "desheng",
    "dongting-c",
    "qiaotou",
    "xuepo",
    "yueyanglou-sd-c01",
    "guozhen-c01",
)

SURNAMES: Final = tuple(
    "张王李赵刘陈杨黄周吴徐孙马朱胡郭何林罗高梁宋郑谢韩唐冯董程袁邓许沈彭吕苏卢蒋蔡丁魏叶余潘杜戴夏钟汪田任姜范方石姚谭廖邹熊金陆"
)

# ============================================================== small helpers


def level_for(likelihood: int, severity: int) -> RiskLevel:
    """The risk level of a likelihood x severity score (>=20, 15-19, 8-14, <=7).

    Args:
        likelihood: 1 to 5.
        severity: 1 to 5.

    Returns:
        MAJOR, SIGNIFICANT, GENERAL or LOW.
    """
    score = likelihood * severity
    if score >= MAJOR_FROM:
        return RiskLevel.MAJOR
    if score >= SIGNIFICANT_FROM:
        return RiskLevel.SIGNIFICANT
    if score >= GENERAL_FROM:
        return RiskLevel.GENERAL
    return RiskLevel.LOW


def _later(day: date, rng: random.Random, low: int, high: int) -> date:
    return day + timedelta(days=rng.randint(low, high))


def _between(rng: random.Random, first: date, last: date) -> date:
    return first + timedelta(days=rng.randint(0, (last - first).days))


def _at(rng: random.Random, day: date) -> datetime:
    return datetime(
        day.year,
        day.month,
        day.day,
        rng.randint(8, 17),
        rng.randrange(0, 60, 5),
        tzinfo=CST,
    )


def _committee_id(community: Community) -> str:
    suffix = "rc" if community.kind is CommunityKind.URBAN else "vc"
    return f"{community.id}-{suffix}"


def _township_gov_id(township_id: str) -> str:
    return f"{township_id}-gov"


class _Step(NamedTuple):
    """One planned ledger line of a task, before it gets a time and a sequence number."""

    day: date
    action: TaskAction
    actor: str
    note: str | None = None
    evidence: int | None = None
    supervision: SupervisionLevel | None = None


def _submit(day: date, lead: str, n: int) -> _Step:
    return _Step(day, TaskAction.SUBMIT, lead, evidence=n)


def _supervise(deadline: date, days_late: int, level: str, note: str) -> _Step:
    return _Step(
        deadline + timedelta(days=days_late),
        TaskAction.SUPERVISE,
        SUB_BUREAU,
        note,
        supervision=SupervisionLevel(level),
    )


# ============================================================== the builder


@attrs.define
class _Builder:
    """Accumulates the records; one method per part of the county, called in order."""

    rng: random.Random
    townships: list[Township] = attrs.Factory(list)
    communities: list[Community] = attrs.Factory(list)
    grids: list[Grid] = attrs.Factory(list)
    party_committees: list[PartyCommittee] = attrs.Factory(list)
    governments: list[Government] = attrs.Factory(list)
    departments: list[Department] = attrs.Factory(list)
    stations: list[PoliceStation] = attrs.Factory(list)
    judicial_offices: list[JudicialOffice] = attrs.Factory(list)
    committees: list[MediationCommittee] = attrs.Factory(list)
    entities: list[Entity] = attrs.Factory(list)
    paired_contacts: list[PairedContact] = attrs.Factory(list)
    people: list[Person] = attrs.Factory(list)
    rentals: list[RentalHouse] = attrs.Factory(list)
    risk_points: list[RiskPoint] = attrs.Factory(list)
    hazards: list[Hazard] = attrs.Factory(list)
    disputes: list[Dispute] = attrs.Factory(list)
    tasks: list[Task] = attrs.Factory(list)
    key_items: list[KeyWorkItem] = attrs.Factory(list)
    ledger: list[LedgerEntry] = attrs.Factory(list)
    indicators: list[CommunityIndicators] = attrs.Factory(list)
    # lookups filled along the way
    community_by_id: dict[str, Community] = attrs.Factory(dict)
    station_of_township: dict[str, str] = attrs.Factory(dict)
    grids_of: dict[str, list[Grid]] = attrs.Factory(lambda: defaultdict(list))
    officer_of_station: dict[str, str] = attrs.Factory(dict)
    cadre_of_township: dict[str, str] = attrs.Factory(dict)
    committee_of_community: dict[str, MediationCommittee] = attrs.Factory(dict)
    landlords_of: dict[str, list[str]] = attrs.Factory(lambda: defaultdict(list))
    counter: dict[str, int] = attrs.Factory(lambda: defaultdict(int))

    # ---------------------------------------------------------------- people
    def person(
        self,
        label: str,
        roles: Sequence[PersonRole],
        *,
        community_id: str | None = None,
        org_id: str | None = None,
        grid_id: str | None = None,
        sex: Sex | None = None,
        person_id: str | None = None,
    ) -> str:
        """Add a synthetic, pseudonymised person ("网格员张某") and return the id."""
        kind = roles[0].value.replace("_", "-")
        self.counter[kind] += 1
        pid = person_id or f"p-{kind}-{self.counter[kind]:03d}"
        self.people.append(
            Person(
                id=pid,
                display_name=f"{label}{self.rng.choice(SURNAMES)}某",
                roles=roles,
                org_id=org_id,
                community_id=community_id,
                grid_id=grid_id,
                sex=sex,
                provenance=SYN,
            )
        )
        return pid

    def random_sex(self) -> Sex:
        """A synthetic sex, used only for the mediation committees' women rule."""
        return self.rng.choice((Sex.FEMALE, Sex.MALE))

    # ---------------------------------------------------------------- places
    def places(self) -> None:
        """Townships, 107 communities and their grids."""
        named_by_township: dict[str, list[CommunityRow]] = defaultdict(list)
        for row in NAMED_COMMUNITIES:
            named_by_township[row.township_id].append(row)
        for t in TOWNSHIPS:
            self.townships.append(
                Township(
                    id=t.id,
                    name_zh=t.name_zh,
                    name_en=t.name_en,
                    kind=t.kind,
                    provenance=t.provenance,
                )
            )
            self.station_of_township[t.id] = t.station_id
            for row in named_by_township[t.id]:
                self._community(
                    row.id,
                    name_zh=row.name_zh,
                    name_en=row.name_en,
                    township_id=t.id,
                    kind=_URBAN,
                    themes=row.themes,
                    provenance=row.provenance,
                )
            for n in range(1, t.synthetic_urban + 1):
                cid = f"{t.id}-c{n:02d}"
                self._community(
                    cid,
                    name_zh=f"{t.name_zh}示例社区{n:02d}",
                    name_en=f"{t.name_en} sample community {n:02d}",
                    township_id=t.id,
                    kind=_URBAN,
                    themes=SYNTHETIC_THEMES.get(cid, ()),
                    provenance=SYN,
                )
            for n in range(1, t.synthetic_villages + 1):
                cid = f"{t.id}-v{n:02d}"
                self._community(
                    cid,
                    name_zh=f"{t.name_zh}示例村{n:02d}",
                    name_en=f"{t.name_en} sample village {n:02d}",
                    township_id=t.id,
                    kind=_VILLAGE,
                    themes=SYNTHETIC_THEMES.get(cid, ()),
                    provenance=SYN,
                )

    def _community(
        self,
        cid: str,
        *,
        name_zh: str,
        name_en: str,
        township_id: str,
        kind: CommunityKind,
        themes: tuple[str, ...],
        provenance: Provenance,
    ) -> None:
        rng = self.rng
        population = (
            rng.randint(3000, 15000) if kind is _URBAN else rng.randint(1000, 4000)
        )
        households = round(population / rng.uniform(2.6, 2.8))
        community = Community(
            id=cid,
            name_zh=name_zh,
            name_en=name_en,
            township_id=township_id,
            kind=kind,
            population=population,
            households=households,
            themes=themes,
            provenance=provenance,
        )
        self.communities.append(community)
        self.community_by_id[cid] = community
        n_grids = min(6, max(2, round(households / 500)))
        base, extra = divmod(households, n_grids)
        for g in range(1, n_grids + 1):
            grid = Grid(
                id=f"{cid}-g{g:02d}",
                name_zh=f"{name_zh}示例网格{g:02d}",
                community_id=cid,
                kind=GridKind.COMPREHENSIVE,
                households=base + (1 if g <= extra else 0),
                provenance=SYN,
            )
            self.grids.append(grid)
            self.grids_of[cid].append(grid)

    # ---------------------------------------------------------------- leadership
    def leadership(self) -> None:
        """The district party committee and government, township and community bodies."""
        self.party_committees.append(
            PartyCommittee(
                id=PARTY_COMMITTEE,
                name_zh="中共岳阳楼区委员会",
                name_en="Yueyanglou District Party Committee",
                level=Level.COUNTY,
                provenance=ART,
            )
        )
        self.governments.append(
            Government(
                id=GOVERNMENT,
                name_zh="岳阳楼区人民政府",
                name_en="Yueyanglou District People's Government",
                kind=GovernmentKind.PEOPLES_GOVERNMENT,
                level=Level.COUNTY,
                provenance=ART,
            )
        )
        for t in TOWNSHIPS:
            derived = SYN if t.provenance is SYN else INF
            sub_district = t.kind is _SD
            self.party_committees.append(
                PartyCommittee(
                    id=f"{t.id}-party",
                    name_zh=f"{t.name_zh}党工委"
                    if sub_district
                    else f"{t.name_zh}党委",
                    name_en=f"{t.name_en} party {'working ' if sub_district else ''}committee",
                    level=Level.TOWNSHIP,
                    admin_unit_id=t.id,
                    provenance=derived,
                )
            )
            self.governments.append(
                Government(
                    id=_township_gov_id(t.id),
                    name_zh=f"{t.name_zh}办事处"
                    if sub_district
                    else f"{t.name_zh}人民政府",
                    name_en=f"{t.name_en} {'office' if sub_district else 'government'}",
                    kind=GovernmentKind.SUB_DISTRICT_OFFICE
                    if sub_district
                    else GovernmentKind.TOWNSHIP_GOVERNMENT,
                    level=Level.TOWNSHIP,
                    admin_unit_id=t.id,
                    # the article names 东茅岭街道办事处 as a meeting participant
                    provenance=ART if t.id == "dongmaoling-sd" else derived,
                )
            )
        for c in self.communities:
            urban = c.kind is _URBAN
            if c.id in {"qiaotou", "xuepo"}:
                provenance = ART  # participants of the Dongmaoling meetings
            elif c.provenance is SYN:
                provenance = SYN
            else:
                provenance = INF
            self.governments.append(
                Government(
                    id=_committee_id(c),
                    name_zh=f"{c.name_zh}{'居民委员会' if urban else '村民委员会'}",
                    name_en=f"{c.name_en} {'residents' if urban else 'villagers'}' committee",
                    kind=GovernmentKind.RESIDENTS_COMMITTEE
                    if urban
                    else GovernmentKind.VILLAGERS_COMMITTEE,
                    level=Level.COMMUNITY,
                    admin_unit_id=c.id,
                    provenance=provenance,
                )
            )

    def functional_departments(self) -> None:
        """The industry departments of DOMAIN.md §5.2 / §9.2."""
        for d in DEPARTMENTS:
            self.departments.append(
                Department(
                    id=d.id,
                    name_zh=d.name_zh,
                    name_en=d.name_en,
                    kind=d.kind,
                    government_id=d.government_id,
                    provenance=INF,
                )
            )

    # ---------------------------------------------------------------- police
    def police(self) -> tuple[PoliceSubBureau, PoliceStation, LeadingGroup]:
        """The sub-bureau, the local stations, the railway station and officers."""
        sub_bureau = PoliceSubBureau(
            id=SUB_BUREAU,
            name_zh="岳阳楼公安分局",
            name_en="Yueyanglou Public Security Sub-bureau",
            department_id="dept-public-security",
            priority=1,  # 一号工程
            provenance=ART,
        )
        township_of_station = {t.station_id: t.id for t in TOWNSHIPS}
        for s in STATIONS:
            township_id = township_of_station[s.id]
            self.stations.append(
                PoliceStation(
                    id=s.id,
                    name_zh=s.name_zh,
                    name_en=s.name_en,
                    kind=StationKind.LOCAL,
                    sub_bureau_id=SUB_BUREAU,
                    jurisdiction=[
                        c.id for c in self.communities if c.township_id == township_id
                    ],
                    themes=s.themes,
                    local_feature=GUOZHEN_MODEL if s.id == "guozhen-ps" else None,
                    # 各派出所…由司法所派干部常驻 (the article): every station embeds mediation
                    mediation_link=PoliceMediationLink.EMBEDDED,
                    provenance=s.provenance,
                )
            )
            self.paired_contacts.append(
                PairedContact(
                    contact_id=SUB_BUREAU, station_id=s.id, provenance=s.provenance
                )
            )
        railway = PoliceStation(
            id=RAILWAY_STATION,
            name_zh="长沙铁路公安处岳阳站派出所",
            name_en="Yueyang Station Police Station, Changsha Railway Public Security Division",
            kind=StationKind.RAILWAY,
            themes=["railway"],
            provenance=ART,
        )
        leading_group = LeadingGroup(
            id=LEADING_GROUP,
            name_zh="岳阳楼公安分局县域警务工作领导小组",
            name_en="Sub-bureau leading group for county policing",
            lead_org_id=SUB_BUREAU,
            member_org_ids=[s.id for s in STATIONS],
            priority=1,
            provenance=ART,
        )
        for s in STATIONS:
            township_id = township_of_station[s.id]
            if s.id == LENGSHUIPU_STATION:
                self.people.append(
                    Person(
                        id=LENGSHUIPU_OFFICER,
                        display_name="冷水铺社区民警某",
                        roles=[PersonRole.COMMUNITY_POLICE_OFFICER],
                        org_id=s.id,
                        community_id="lengshuipu",
                        provenance=ART,
                    )
                )
                self.officer_of_station[s.id] = LENGSHUIPU_OFFICER
                continue
            first = next(c for c in self.communities if c.township_id == township_id)
            self.officer_of_station[s.id] = self.person(
                "社区民警",
                [PersonRole.COMMUNITY_POLICE_OFFICER],
                org_id=s.id,
                community_id=first.id,
                sex=self.random_sex(),
            )
        return sub_bureau, railway, leading_group

    # ---------------------------------------------------------------- mediation
    def mediation(self) -> None:
        """Judicial offices stationed in the stations, grid workers and committees."""
        for t in TOWNSHIPS:
            office_id = f"{t.id}-jo"
            self.judicial_offices.append(
                JudicialOffice(
                    id=office_id,
                    name_zh=f"{t.name_zh}司法所",
                    name_en=f"{t.name_en} judicial office",
                    township_id=t.id,
                    stationed_in=[t.station_id],
                    provenance=SYN if t.provenance is SYN else INF,
                )
            )
            self.cadre_of_township[t.id] = self.person(
                "司法所干部",
                [PersonRole.JUDICIAL_OFFICE_CADRE, PersonRole.PEOPLES_MEDIATOR],
                org_id=office_id,
                sex=self.random_sex(),
            )
        for cid in STAFFED_COMMUNITIES:
            community = self.community_by_id[cid]
            for grid in self.grids_of[cid]:
                self.person(
                    "网格员",
                    [PersonRole.GRID_WORKER],
                    community_id=cid,
                    org_id=_committee_id(community),
                    grid_id=grid.id,
                    sex=self.random_sex(),
                    person_id=f"p-gw-{grid.id}",
                )
        self._grassroots_committee()
        for cid in COMMITTEE_COMMUNITIES:
            self._community_committee(self.community_by_id[cid])

    def _grassroots_committee(self) -> None:
        # 网格员 + 社区民警 + 人民调解员 (the article); placed in Lengshuipu (inferred)
        grid_worker = f"p-gw-{self.grids_of['lengshuipu'][0].id}"
        self.people[:] = [
            attrs.evolve(p, sex=Sex.FEMALE) if p.id == grid_worker else p
            for p in self.people
        ]
        mediator = self.person(
            "人民调解员",
            [PersonRole.PEOPLES_MEDIATOR],
            community_id="lengshuipu",
            sex=Sex.MALE,
        )
        party_member = self.person(
            "党员",
            [PersonRole.PARTY_MEMBER, PersonRole.PEOPLES_MEDIATOR],
            community_id="lengshuipu",
            sex=Sex.FEMALE,
        )
        worthy = self.person(
            "乡贤",
            [PersonRole.LOCAL_WORTHY, PersonRole.PEOPLES_MEDIATOR],
            community_id="lengshuipu",
            sex=Sex.MALE,
        )
        committee = MediationCommittee(
            id=GRASSROOTS_COMMITTEE,
            name_zh="冷水铺社区基层调委会（网格员+社区民警+人民调解员）",
            name_en="Lengshuipu grassroots mediation committee",
            kind=CommitteeKind.GRASSROOTS,
            community_id="lengshuipu",
            township_id="sample-sd-01",
            member_ids=[
                mediator,
                grid_worker,
                LENGSHUIPU_OFFICER,
                party_member,
                worthy,
            ],
            chair_id=mediator,
            provenance=INF,
        )
        self.committees.append(committee)
        self.committee_of_community["lengshuipu"] = committee

    def _community_committee(self, community: Community) -> None:
        size = self.rng.randint(3, 5)
        sexes = [Sex.FEMALE] + [self.random_sex() for _ in range(size - 1)]
        members = [
            self.person(
                "人民调解员",
                [PersonRole.PEOPLES_MEDIATOR],
                community_id=community.id,
                sex=sex,
            )
            for sex in sexes
        ]
        committee = MediationCommittee(
            id=f"{community.id}-mc",
            name_zh=f"{community.name_zh}人民调解委员会",
            name_en=f"{community.name_en} people's mediation committee",
            kind=CommitteeKind.COMMUNITY,
            community_id=community.id,
            township_id=community.township_id,
            member_ids=members,
            chair_id=members[-1],
            provenance=SYN,
        )
        self.committees.append(committee)
        self.committee_of_community[community.id] = committee

    # ---------------------------------------------------------------- entities
    def owner_entities(self) -> None:
        """Project departments, colleges, the scenic area's units, railway units, firms."""
        ek = EntityKind

        def add(
            eid: str,
            name_zh: str,
            kind: EntityKind,
            community_id: str | None,
            provenance: Provenance,
        ) -> None:
            self.entities.append(
                Entity(
                    id=eid,
                    name_zh=name_zh,
                    kind=kind,
                    community_id=community_id,
                    provenance=provenance,
                )
            )

        add(
            PROJECT_DEPT,
            "施工项目部（冷水铺社区曹某纠纷相对方）",
            ek.PROJECT_DEPARTMENT,
            "lengshuipu",
            ART,
        )
        add(SCENIC_OPERATOR, "岳阳楼景区", ek.SCENIC_OPERATOR, None, ART)
        add(SCENIC_SECURITY, "岳阳楼景区保安队伍", ek.SECURITY_TEAM, None, ART)
        add(BIANHE_SECURITY, "汴河街商区保安队伍", ek.SECURITY_TEAM, None, ART)
        add(BIANHE_MANAGEMENT, "汴河街商区管理单位", ek.BUSINESS_DISTRICT, None, INF)
        colleges = ("guozhen-c01", "guozhen-c02", "guozhen-v01", "guozhen-v02")
        for n, cid in enumerate(colleges, start=1):
            add(f"guozhen-college-{n:02d}", f"郭镇示例院校{n:02d}", ek.SCHOOL, cid, SYN)
        add(
            "guozhen-internet-cafe-01",
            "郭镇示例网吧01",
            ek.ENTERPRISE,
            "guozhen-c01",
            SYN,
        )
        add(
            "sample-sd-03-school-01",
            "示例街道03示例学校01",
            ek.SCHOOL,
            "sample-sd-03-c01",
            SYN,
        )
        add("railway-unit-01", "铁路示例工务单位01", ek.RAILWAY_UNIT, "qiaotou", SYN)
        add(
            "railway-unit-02",
            "铁路示例工务单位02",
            ek.RAILWAY_UNIT,
            "dongmaoling-sd-c01",
            SYN,
        )
        add(
            "dongting-sd-c01-coop",
            "洞庭街道示例渔业合作社01",
            ek.ENTERPRISE,
            "dongting-sd-c01",
            SYN,
        )
        add(
            "sample-project-02",
            "示例施工项目部02",
            ek.PROJECT_DEPARTMENT,
            "sample-sd-01-c01",
            SYN,
        )
        add(
            "sample-project-03",
            "示例施工项目部03",
            ek.PROJECT_DEPARTMENT,
            "sample-sd-05-c01",
            SYN,
        )
        add(
            "sample-project-04",
            "示例施工项目部04",
            ek.PROJECT_DEPARTMENT,
            "sample-sd-06-c02",
            SYN,
        )
        add(
            "sample-project-05",
            "示例施工项目部05",
            ek.PROJECT_DEPARTMENT,
            "sample-sd-04-c03",
            SYN,
        )
        for n in (1, 2, 3):
            add(
                f"bianhe-shop-{n:02d}",
                f"汴河街示例商户{n:02d}",
                ek.ENTERPRISE,
                "yueyanglou-sd-c02",
                SYN,
            )
        add(
            "yueyanglou-sd-c02-agency",
            "岳阳楼街道示例旅行社01",
            ek.ENTERPRISE,
            "yueyanglou-sd-c02",
            SYN,
        )
        add(
            "zhanqianlu-sd-c02-property",
            "站前路街道示例物业公司01",
            ek.ENTERPRISE,
            "zhanqianlu-sd-c02",
            SYN,
        )
        add(
            "sample-sd-03-c03-property",
            "示例街道03示例物业公司01",
            ek.ENTERPRISE,
            "sample-sd-03-c03",
            SYN,
        )
        add(
            "dongting-c-enterprise",
            "洞庭街道示例企业01",
            ek.ENTERPRISE,
            "dongting-c",
            SYN,
        )

    # ---------------------------------------------------------------- rentals
    def rental_housing(self) -> None:
        """Rentals in Zhanqianlu's communities: listed with a pledge, not listed, revoked."""
        rng = self.rng
        plan = (
            (
                "desheng",
                (
                    PlaqueStatus.LISTED,
                    PlaqueStatus.LISTED,
                    PlaqueStatus.LISTED,
                    PlaqueStatus.NONE,
                    PlaqueStatus.LISTED,
                    PlaqueStatus.NONE,
                ),
            ),
            (
                "zhanqianlu-sd-c01",
                (PlaqueStatus.LISTED, PlaqueStatus.LISTED, PlaqueStatus.NONE),
            ),
            ("zhanqianlu-sd-c02", (PlaqueStatus.LISTED, PlaqueStatus.NONE)),
            ("zhanqianlu-sd-c03", (PlaqueStatus.NONE, PlaqueStatus.LISTED)),
            (
                "zhanqianlu-sd-c04",
                (PlaqueStatus.REVOKED, PlaqueStatus.LISTED, PlaqueStatus.NONE),
            ),
        )
        kinds = (
            RentalKind.WHOLE,
            RentalKind.SHARED,
            RentalKind.GROUP,
            RentalKind.HOSTEL,
        )
        number = 0
        for cid, statuses in plan:
            community = self.community_by_id[cid]
            for i, status in enumerate(statuses):
                number += 1
                landlord = self.person("房东", [PersonRole.LANDLORD], community_id=cid)
                self.landlords_of[cid].append(landlord)
                # the first rental of Desheng is the group rental of risk point rp02
                kind = RentalKind.GROUP if i == 0 else rng.choice(kinds)
                if cid == "zhanqianlu-sd-c02" and i == 0:
                    kind = RentalKind.HOSTEL
                units = {RentalKind.WHOLE: 1, RentalKind.SHARED: rng.randint(2, 3)}.get(
                    kind, rng.randint(4, 8)
                )
                pledge = None
                if status is not PlaqueStatus.NONE:
                    pledge = SecurityPledge(
                        kind=PledgeKind.RESPONSIBILITY_STATEMENT,
                        signed_on=_between(rng, date(2020, 4, 20), date(2020, 7, 31)),
                        station_id="zhanqianlu-ps",
                    )
                inspect = {
                    PlaqueStatus.LISTED: 90,
                    PlaqueStatus.NONE: 30,
                    PlaqueStatus.REVOKED: 15,
                }[status]
                if kind is RentalKind.GROUP:
                    inspect = min(inspect, 30)
                self.rentals.append(
                    RentalHouse(
                        id=f"rental-{number:02d}",
                        address=f"{community.name_zh}示例地址{i + 1:02d}",
                        community_id=cid,
                        landlord_id=landlord,
                        kind=kind,
                        units=units,
                        plaque_status=status,
                        pledge=pledge,
                        tenancies=self._tenancies(
                            cid, rng.randint(1, min(units, 3) + 1)
                        ),
                        inspection_every_days=inspect,
                        provenance=SYN,
                    )
                )

    def _tenancies(self, cid: str, count: int) -> list[Tenancy]:
        out = []
        for _ in range(count):
            tenant = self.person("租户", [PersonRole.TENANT], community_id=cid)
            moved_in = _between(self.rng, date(2019, 3, 1), date(2020, 8, 31))
            moved_out = None
            if self.rng.random() < 0.25:  # noqa: PLR2004  # a quarter have moved out
                moved_out = _later(moved_in, self.rng, 30, 200)
                moved_out = min(moved_out, ARTICLE_DATE)
            out.append(
                Tenancy(tenant_id=tenant, moved_in=moved_in, moved_out=moved_out)
            )
        return out

    def owner(self, ref: str | None) -> str | None:
        """Resolve ``landlord:<community>:<n>`` references of the risk table."""
        if ref is None or not ref.startswith("landlord:"):
            return ref
        _, cid, n = ref.split(":")
        return self.landlords_of[cid][int(n)]

    # ---------------------------------------------------------------- risks
    def risks(self) -> None:
        """Risk points driven through their lifecycle, then hazards."""
        for row in RISKS:
            rp = self._risk_point(row)
            if row.id in DROPPED_OWNERS:
                rp = attrs.evolve(rp, owner_id=None)
            self.risk_points.append(rp)
        for h in HAZARDS:
            hazard = Hazard(
                id=h.id,
                risk_point_id=h.risk_point_id,
                description=h.description,
                found_on=h.found_on,
                rectify_by=h.rectify_by,
                owner_id=self.owner(h.owner_id) or h.owner_id,
                provenance=SYN,
            )
            if h.status is not HazardStatus.FOUND:
                hazard = hazard.start_rectification()
            if h.status in {HazardStatus.VERIFIED, HazardStatus.CLOSED}:
                hazard = hazard.verify(on=h.rectify_by - timedelta(days=1))
            if h.status is HazardStatus.CLOSED:
                hazard = hazard.close(on=h.rectify_by + timedelta(days=4))
            self.hazards.append(hazard)

    def _risk_point(self, row: RiskRow) -> RiskPoint:
        """One risk point, graded, controlled, reviewed and closed as its row says."""
        rng = self.rng
        owner = self.owner(row.owner_id)
        reviewed = row.status in {_ST.MONITORING, _ST.CLOSED}
        if row.origin is RiskOrigin.CAMPAIGN:
            identified = _between(rng, SCREENING_START, SCREENING_END)
        else:
            last = date(2020, 6, 30) if reviewed else date(2020, 7, 31)
            identified = _between(rng, date(2020, 3, 1), last)
        rp = RiskPoint(
            id=row.id,
            name_zh=row.name_zh,
            community_id=row.community_id,
            theme=row.theme,
            subject_kind=row.subject,
            domain=row.domain,
            likelihood=row.likelihood,
            severity=row.severity,
            owner_id=owner,
            principal_exemption=(
                OTHER_POPULATION_EXEMPTIONS.get(row.theme, POPULATION_EXEMPTION)
                if owner is None and row.subject is _P.PERSON_GROUP
                else None
            ),
            supervisor_override=OVERRIDES.get(row.id),
            origin=row.origin,
            identified_on=identified,
            campaign_id=CAMPAIGN if row.origin is RiskOrigin.CAMPAIGN else None,
            description=f"{THEME_BASIS[row.theme]}本风险点的名称、分值、状态和日期均为示例数据。",
            provenance=SYN,
        )
        if row.status is _ST.IDENTIFIED:
            return rp
        level = level_for(row.likelihood, row.severity)
        day = _later(identified, rng, 2, 10)
        rp = attrs.evolve(
            rp.grade(level, on=day), review_every_days=REVIEW_EVERY[level]
        )
        if row.status is _ST.GRADED:
            return rp
        day = _later(day, rng, 5, 20)
        rp = rp.control(on=day, parties=self._parties(rp))
        rp = attrs.evolve(rp, controls=CONTROLS[row.theme])
        if reviewed:  # the latest review is recent
            first = max(day + timedelta(days=15), LAST_REVIEWS)
            day = _between(rng, first, REVIEWS_UNTIL)
            rp = rp.review(on=day)
        if row.status is _ST.CLOSED:
            rp = rp.close(on=_later(day, rng, 3, 5))
        return rp

    def _parties(self, rp: RiskPoint) -> ResponsibleParties:
        """属地、主体、主管: the community and township, the owner, the supervisors."""
        community = self.community_by_id[rp.community_id]
        if rp.supervisor_override is not None:
            supervisory: tuple[str, ...] = (rp.supervisor_override.department_id,)
        else:
            supervisory = next(
                (
                    r.departments
                    for r in THEME_SUPERVISION
                    if r.theme == rp.theme and r.theme not in UNSUPERVISED_THEMES
                ),
                (),
            )
        return ResponsibleParties(
            territorial=[
                _committee_id(community),
                _township_gov_id(community.township_id),
            ],
            principal=[] if rp.owner_id is None else [rp.owner_id],
            supervisory=supervisory,
        )

    # ---------------------------------------------------------------- disputes
    def all_disputes(self) -> None:
        """The Lengshuipu dispute of the article and the synthetic ones."""
        self.disputes.append(self._lengshuipu())
        for n, row in enumerate(DISPUTES, start=1):
            self.disputes.append(self._dispute(f"dispute-{n:02d}", row))

    def _lengshuipu(self) -> Dispute:
        self.people.append(
            Person(
                id=CAO,
                display_name="曹某",
                roles=[PersonRole.RESIDENT],
                community_id="lengshuipu",
                provenance=ART,
            )
        )
        day = LENGSHUIPU_DAY
        dispute = Dispute(
            id="lengshuipu-construction-cracks",
            type=DisputeType.CONSTRUCTION,
            community_id="lengshuipu",
            origin=DisputeOrigin.UNKNOWN,  # the article does not say how it arose
            summary=(
                "冷水铺社区居民曹某与项目部负责人因施工造成房屋裂缝产生矛盾，互不相让；"
                "社区民警及时介入调解，双方同意和解并就和解事项达成协议，握手言和。"
            ),
            parties=[
                DisputeParty(party_id=CAO, role=PartyRole.APPLICANT),
                DisputeParty(party_id=PROJECT_DEPT, role=PartyRole.RESPONDENT),
            ],
            reported_on=day,
            provenance=ART,
        )
        agreement = MediationAgreement(
            form=AgreementForm.WRITTEN,
            reached_on=day,
            content="双方就施工造成房屋裂缝一事和解（协议条款报道未载）",
            signed_by=[CAO, PROJECT_DEPT],
            signed_on=day,
            mediator_signed=True,
        )
        return (
            dispute.accept(on=day)
            .escalate_level(HandlingLevel.COMMUNITY)
            .assign(
                on=day,
                channel=MediationChannel.UNKNOWN,  # the article does not say which
                handler_id=LENGSHUIPU_STATION,  # the community police officer mediated
                mediator_ids=[LENGSHUIPU_OFFICER],
            )
            .agree(agreement)
        )

    def _party(self, kind: str, community: Community) -> str:
        labels = {
            "resident": ("居民", [PersonRole.RESIDENT], community.id),
            "fisher": ("上岸渔民", [PersonRole.RESIDENT], community.id),
            "student": ("学生", [PersonRole.RESIDENT], community.id),
            "tourist": ("游客", [PersonRole.RESIDENT], None),
        }
        if kind in labels:
            label, roles, cid = labels[kind]
            return self.person(label, roles, community_id=cid)
        if kind == "landlord":
            return self.landlords_of[community.id][1]
        if kind == "township":
            return _township_gov_id(community.township_id)
        return kind  # an entity id

    def _handler(
        self, row: DisputeRow, community: Community
    ) -> tuple[str, list[str], bool]:
        """Who handles the dispute, its mediators, and whether a committee seals."""
        station = self.station_of_township[community.township_id]
        if row.channel is _CH.PUBLIC_SECURITY:
            return station, [self.officer_of_station[station]], False
        if row.channel is _CH.ADMINISTRATIVE:
            return (
                ADMIN_HANDLERS.get(row.type, _township_gov_id(community.township_id)),
                [],
                False,
            )
        if row.channel is _CH.JUDICIAL:
            return "dept-court", [], False
        committee = self.committee_of_community.get(community.id)
        if committee is not None and row.origin is not DisputeOrigin.CALL_110:
            return committee.id, [committee.chair_id, committee.member_ids[0]], True
        # 110 calls go to the judicial-office cadre stationed in the station (警调对接)
        return (
            f"{community.township_id}-jo",
            [self.cadre_of_township[community.township_id]],
            False,
        )

    def _dispute(self, did: str, row: DisputeRow) -> Dispute:
        community = self.community_by_id[row.community_id]
        applicant = self._party(row.applicant, community)
        respondent = self._party(row.respondent, community)
        grid = (
            self.grids_of[community.id][0].id
            if row.origin is DisputeOrigin.GRID_REPORT
            else None
        )
        handler, mediators, sealed = self._handler(row, community)
        if row.path in AGREEMENT_PATHS and not mediators:
            msg = f"{did}: an agreement needs a mediator to sign or record it"
            raise ValueError(msg)
        for _attempt in range(50):
            if row.path in OPEN_PATHS:
                reported = _between(self.rng, date(2020, 8, 1), date(2020, 9, 10))
            else:
                reported = _between(self.rng, date(2020, 2, 1), date(2020, 8, 20))
            dispute = Dispute(
                id=did,
                type=row.type,
                community_id=community.id,
                grid_id=grid,
                origin=row.origin,
                summary=row.summary,
                parties=[
                    DisputeParty(party_id=applicant, role=PartyRole.APPLICANT),
                    DisputeParty(party_id=respondent, role=PartyRole.RESPONDENT),
                ],
                reported_on=reported,
                provenance=SYN,
            )
            walked, last = self._walk(dispute, row, handler, mediators, sealed=sealed)
            if last <= ARTICLE_DATE:
                return walked
        msg = f"{did}: could not fit the path {row.path!r} before {ARTICLE_DATE}"
        raise RuntimeError(msg)

    def _walk(  # noqa: C901, PLR0911, PLR0912  # one flat script of lifecycle steps reads best
        self,
        d: Dispute,
        row: DisputeRow,
        handler: str,
        mediators: list[str],
        *,
        sealed: bool,
    ) -> tuple[Dispute, date]:
        rng = self.rng
        path = row.path
        day = d.reported_on
        if path == "discovered":
            return d, day
        day = _later(day, rng, 0, 2)
        d = d.accept(on=day)
        if row.level > d.handling_level:
            d = d.escalate_level(row.level)
        if path == "accepted":
            return d, day
        if path.startswith("refused"):
            day = _later(day, rng, 1, 5)
            d = d.refuse(on=day, by=d.party_ids[1])
            if path == "refused_referred":
                day = _later(day, rng, 1, 7)
                d = d.refer(on=day, route=self._route(row))
            return d, day
        if path == "escalated":
            day = _later(day, rng, 0, 2)
            return d.escalate_to_police(on=day), day
        day = _later(day, rng, 1, 4)
        d = d.assign(
            on=day, channel=row.channel, handler_id=handler, mediator_ids=mediators
        )
        if path == "mediating":
            return d, day
        if path.startswith(("terminated", "referred")):
            day = _later(day, rng, 10, 30)
            d = d.terminate(on=day)
            if path != "terminated":
                day = _later(day, rng, 1, 10)
                d = d.refer(on=day, route=self._route(row))
            if path == "referred_closed":
                day = _later(day, rng, 20, 60)
                d = d.close(on=day)
            return d, day
        day = _later(day, rng, 3, 25)
        d = d.agree(self._agreement(d, day, mediators, sealed=sealed))
        if path in {"closed_confirmed", "reopened_invalid"}:
            day = _later(day, rng, 2, 20)
            d = d.apply_for_confirmation(
                JudicialConfirmation(
                    applied_on=day, applicant_ids=d.party_ids, court="岳阳楼区人民法院"
                )
            )
            day = _later(day, rng, 3, 10)
            valid = path == "closed_confirmed"
            result = ConfirmationResult.VALID if valid else ConfirmationResult.INVALID
            d = d.record_confirmation_result(result, on=day)
            if not valid:
                return d, day
        if path == "agreed":
            return d, day
        day = _later(day, rng, 3, 30)
        d = d.perform(on=day)
        if path == "reopened":
            day = _later(day, rng, 10, 40)
            return d.reopen(on=day), day
        if path == "performed":
            return d, day
        day = _later(day, rng, 5, 20)
        d = d.follow_up(
            FollowUp(
                on=day, by_id=mediators[0], performed=True, note="回访：协议已履行"
            )
        )
        if path == "performed_visited":
            return d, day
        day = _later(day, rng, 1, 7)
        return d.close(on=day), day

    @staticmethod
    def _route(row: DisputeRow) -> ReferralRoute:
        if row.type is DisputeType.LABOUR:
            return ReferralRoute.ARBITRATION
        return ReferralRoute.LITIGATION

    @staticmethod
    def _agreement(
        d: Dispute, day: date, mediators: list[str], *, sealed: bool
    ) -> MediationAgreement:
        if sealed:
            return MediationAgreement(
                form=AgreementForm.WRITTEN,
                reached_on=day,
                content=f"就“{d.summary}”达成调解协议（示例）",
                performance_terms="协议签订后30日内履行（示例）",
                signed_by=d.party_ids,
                signed_on=day,
                mediator_signed=True,
                committee_sealed=True,
            )
        return MediationAgreement(
            form=AgreementForm.ORAL,
            reached_on=day,
            content=f"就“{d.summary}”当场达成口头协议（示例）",
            recorded_by=mediators[0],
        )

    # ---------------------------------------------------------------- work plan
    def work_plan(self) -> None:
        """24 key work items, 96 tasks, and the ledger that brings them to today."""
        rng = self.rng
        sizes = self._task_counts()
        outcomes = [name for name, count in TASK_OUTCOMES for _ in range(count)]
        rng.shuffle(outcomes)
        steps: list[tuple[datetime, int, int, LedgerEntry]] = []
        index = 0
        for n, ((topic, lead, pool), size) in enumerate(
            zip(KEY_ITEM_TOPICS, sizes, strict=True), start=1
        ):
            item_id = f"k{n:02d}"
            self.key_items.append(
                KeyWorkItem(
                    id=item_id,
                    plan_id=WORK_PLAN,
                    number=n,
                    title_zh=f"重点工作{n:02d}（示例）：{topic}",
                    lead_owner_id=lead,
                    provenance=SYN,
                )
            )
            assigned_on = PLAN_KICKOFF + timedelta(days=(n - 1) // 6)
            for k in range(1, size + 1):
                task_id = f"{item_id}-t{k}"
                candidates = [lead, *pool]
                task_lead = lead if rng.random() < 0.5 else rng.choice(candidates)  # noqa: PLR2004  # half led by the item's lead
                others = [o for o in candidates if o != task_lead]
                co_owners = rng.sample(others, rng.randint(0, min(3, len(others))))
                outcome = outcomes[index]
                schedule, deadline = self._schedule(outcome, assigned_on, task_lead)
                planned = Task(
                    id=task_id,
                    key_item_id=item_id,
                    title_zh=f"具体任务{n:02d}-{k}（示例）：{rng.choice(TASK_VERBS)}",
                    lead_owner_id=task_lead,
                    co_owner_ids=co_owners,
                    start=None if outcome == "planned" else assigned_on,
                    deadline=deadline,
                    evidence_required=["工作台账", "佐证材料"],
                    provenance=SYN,
                )
                entries = []
                for j, step in enumerate(schedule):
                    entry = LedgerEntry(
                        seq=1,  # renumbered below, once every task's steps are sorted
                        at=_at(rng, step.day),
                        task_id=task_id,
                        actor_id=step.actor,
                        action=step.action,
                        note=step.note,
                        evidence_ref=None
                        if step.evidence is None
                        else f"evidence/{task_id}-{step.evidence}.pdf",
                        supervision=step.supervision,
                    )
                    entries.append(entry)
                    steps.append((entry.at, index, j, entry))
                self.tasks.append(replay_task(planned, entries))
                index += 1
        steps.sort(key=lambda s: (s[0], s[1], s[2]))
        self.ledger = [
            attrs.evolve(entry, seq=seq)
            for seq, (_, _, _, entry) in enumerate(steps, start=1)
        ]

    def _task_counts(self) -> list[int]:
        """Split 96 tasks over 24 items, 2 to 6 each (4 on average is arithmetic only)."""
        sizes = [4] * len(KEY_ITEM_TOPICS)
        for _ in range(12):
            give, take = self.rng.sample(range(len(sizes)), 2)
            if sizes[give] > 2 and sizes[take] < 6:  # noqa: PLR2004  # the 2..6 bounds
                sizes[give] -= 1
                sizes[take] += 1
        assert sum(sizes) == TASKS_TOTAL  # noqa: S101  # moves keep the total
        return sizes

    def _schedule(  # noqa: C901, PLR0912  # one small state machine per outcome
        self, outcome: str, assigned_on: date, lead: str
    ) -> tuple[list[_Step], date]:
        """The task's ledger steps and its deadline, all on or before the article date."""
        rng = self.rng
        a = TaskAction
        if outcome == "planned":
            return [], YEAR_END
        for _attempt in range(100):
            start = _later(assigned_on, rng, 1, 7)
            steps = [
                _Step(assigned_on, a.ASSIGN, SUB_BUREAU, "挂图作战：交办"),
                _Step(start, a.START, lead),
            ]
            if outcome == "closed":
                deadline = _between(rng, date(2020, 6, 15), date(2020, 8, 31))
                if rng.random() < 0.2:  # noqa: PLR2004  # one in five runs late
                    steps.append(_supervise(deadline, 1, "normal", "逾期未报送，督办"))
                    day = _later(deadline, rng, 3, 12)
                else:
                    early = deadline - timedelta(days=rng.randint(0, 25))
                    day = max(early, _later(start, rng, 7, 14))
                steps.append(_submit(day, lead, 1))
                if rng.random() < 0.15:  # noqa: PLR2004  # some are sent back once
                    day = _later(day, rng, 2, 4)
                    steps.append(
                        _Step(day, a.RETURN, SUB_BUREAU, "对账发现材料不全，回退补充")
                    )
                    day = _later(day, rng, 3, 7)
                    steps.append(_submit(day, lead, 2))
                day = _later(day, rng, 1, 5)
                steps.append(_Step(day, a.VERIFY, SUB_BUREAU, "对账核验通过"))
                steps.append(
                    _Step(_later(day, rng, 1, 4), a.CLOSE_OUT, SUB_BUREAU, "销号")
                )
            elif outcome == "verified":
                deadline = _between(rng, date(2020, 7, 15), date(2020, 9, 10))
                day = _between(rng, date(2020, 8, 20), date(2020, 9, 8))
                steps.append(_submit(day, lead, 1))
                steps.append(
                    _Step(_later(day, rng, 1, 5), a.VERIFY, SUB_BUREAU, "对账核验通过")
                )
            elif outcome == "submitted":
                deadline = _between(rng, date(2020, 8, 15), date(2020, 10, 31))
                steps.append(
                    _submit(_between(rng, date(2020, 9, 1), date(2020, 9, 14)), lead, 1)
                )
            elif outcome == "in_progress":
                deadline = _between(rng, date(2020, 9, 30), YEAR_END)
                if rng.random() < 0.5:  # noqa: PLR2004  # half log progress
                    steps.append(
                        _Step(_later(start, rng, 20, 60), a.NOTE, lead, "阶段性推进")
                    )
            elif outcome == "in_progress_overdue":
                deadline = _between(rng, date(2020, 7, 31), date(2020, 8, 25))
                steps.append(_supervise(deadline, 1, "normal", "逾期，普通督办"))
                steps.append(_supervise(deadline, 8, "yellow", "逾期一周，黄牌督办"))
            else:  # assigned_overdue: never started
                deadline = _between(rng, date(2020, 6, 30), date(2020, 8, 10))
                steps = [
                    steps[0],
                    _supervise(deadline, 1, "normal", "逾期未启动，普通督办"),
                    _supervise(deadline, 8, "yellow", "逾期一周，黄牌督办"),
                    _supervise(deadline, 22, "red", "逾期三周，红牌督办"),
                ]
            days = [step.day for step in steps]
            increasing = all(x < y for x, y in itertools.pairwise(days))
            if increasing and days[-1] <= ARTICLE_DATE and deadline >= assigned_on:
                return steps, deadline
        msg = f"could not schedule a {outcome} task"
        raise RuntimeError(msg)

    # ---------------------------------------------------------------- indicators
    def community_indicators(self) -> None:
        """Synthetic indicators of every community on 2020-06-30, consistent with the data."""
        rng = self.rng
        as_of = INDICATORS_AS_OF
        open_count: dict[str, int] = defaultdict(int)
        for d in self.disputes:
            ended = d.closed_on or (d.ended_on if not d.is_open() else None)
            if d.reported_on <= as_of and (ended is None or ended > as_of):
                open_count[d.community_id] += 1
        for c in self.communities:
            busy = c.township_id in BUSY_TOWNSHIPS
            urban = c.kind is _URBAN
            rental = "rental_housing" in c.themes
            if rental:
                rental_units = rng.randint(300, 1200)
            elif urban:
                rental_units = rng.randint(50, 300)
            else:
                rental_units = rng.randint(5, 60)
            calls = rng.uniform(40, 70) if busy else rng.uniform(15, 35)
            incidents = rng.randint(20, 60) if busy else rng.randint(2, 20)
            key_persons = rng.randint(0, 8) if urban else rng.randint(0, 3)
            if "fishing_ban" in c.themes:
                key_persons += rng.randint(3, 10)
            petitions = rng.randint(0, 4) + (2 if "construction" in c.themes else 0)
            self.indicators.append(
                CommunityIndicators(
                    community_id=c.id,
                    as_of=as_of,
                    rental_units=rental_units,
                    calls_per_1000=round(calls, 1),
                    prior_incidents=incidents,
                    disputes_open=open_count[c.id],
                    key_persons=key_persons,
                    petitions=petitions,
                    grid_workers=len(self.grids_of[c.id]),
                    provenance=SYN,
                )
            )


# ============================================================== article records


def _desheng_incident(b: _Builder) -> Incident:
    b.people.append(
        Person(
            id=DESHENG_TIPSTER,
            display_name="德胜社区群众某",
            roles=[PersonRole.RESIDENT],
            community_id="desheng",
            provenance=ART,
        )
    )
    return Incident(
        id="desheng-robbery-2020",
        kind=IncidentKind.ROBBERY,
        community_id="desheng",
        station_id="zhanqianlu-ps",
        occurred_on=None,  # not given
        origin=RiskOrigin.TIP,
        tip_from_id=DESHENG_TIPSTER,
        suspects_arrested=11,
        seized=[SeizedItem(item=ControlledItem.KNIFE, count=8)],
        summary=(
            "站前路派出所民警在对辖区出租房屋摸排走访中，有群众反映德胜社区有一伙身份不明的"
            "男子持管制刀具出入；经系统核查比对确认该伙人涉嫌抢劫，迅速布控，抓获违法嫌疑人"
            "11人，收缴管制刀具8把。"
        ),
        provenance=ART,
    )


class _Governance(NamedTuple):
    """The county-wide records that hang off the leadership and the sub-bureau."""

    mechanisms: list[LinkageMechanism]
    meeting: MechanismMeeting
    documents: list[PolicyDocument]
    plan: WorkPlan
    patrol: JointPatrol
    campaign: Campaign
    metrics: list[OutcomeMetric]


def _governance(b: _Builder) -> _Governance:
    """Documents, mechanisms, the Dongmaoling meeting, plan, patrol, campaign, metrics."""
    mechanisms = [
        LinkageMechanism(
            id=m.id,
            name_zh=m.name_zh,
            name_en=m.name_en,
            lead_org_id=m.lead,
            member_org_ids=m.members,
            cadence=m.cadence,
            triggers=m.triggers,
            provenance=INF,
        )
        for m in MECHANISMS
    ]
    measures = PolicyDocument(
        id=MEASURES_DOC,
        title_zh="关于加强新时代县域警务工作的实施办法",
        title_en="Implementation measures on strengthening new-era county policing",
        kind=PolicyDocumentKind.IMPLEMENTATION_MEASURES,
        issuer_ids=[PARTY_COMMITTEE, GOVERNMENT],
        issuer_offices=[
            IssuerOffice.PARTY_GENERAL_OFFICE,
            IssuerOffice.GOVERNMENT_GENERAL_OFFICE,
        ],
        issued_on=None,  # not given
        establishes=[m.id for m in MECHANISMS],
        provenance=ART,
    )
    plan_doc = PolicyDocument(
        id=PLAN_DOC,
        title_zh="县域警务工作实施方案",
        title_en="County policing implementation plan",
        kind=PolicyDocumentKind.IMPLEMENTATION_PLAN,
        issuer_ids=[SUB_BUREAU],
        provenance=ART,
    )
    meeting = MechanismMeeting(
        id="dongmaoling-railway-meetings",
        mechanism_id="joint_meeting",  # which of the eight is inferred
        held_on=None,  # "多次组织", no date
        convened_by="dongmaoling-ps",
        participant_ids=[
            _township_gov_id("dongmaoling-sd"),
            RAILWAY_STATION,
            "qiaotou-rc",
            "xuepo-rc",
        ],
        topic="铁路沿线治安问题讨论研究（报道称多次组织）",
        provenance=ART,
    )
    plan = WorkPlan(
        id=WORK_PLAN,
        title_zh="岳阳楼公安分局县域警务工作实施方案",
        title_en="Sub-bureau county policing implementation plan",
        document_id=PLAN_DOC,
        owner_id=SUB_BUREAU,
        start=YEAR_START,  # required; the article gives no dates
        end=YEAR_END,
        provenance=ART,
    )
    scenic = [c.id for c in b.communities if "scenic_area" in c.themes]
    patrol = JointPatrol(
        id="yueyanglou-scenic-patrol",
        name_zh="岳阳楼景区巡防队",
        name_en="Yueyanglou scenic-area patrol team",
        lead_station_id="yueyanglou-ps",
        member_org_ids=[SCENIC_SECURITY, BIANHE_SECURITY],
        community_ids=scenic,
        places=["岳阳楼景区", "汴河街"],
        schedule=PatrolSchedule(hours_per_day=24, days_per_week=7),
        provenance=ART,
    )
    campaign = Campaign(
        id=CAMPAIGN,
        name_zh="大学习、大讨论、大起底",
        name_en="Study, discuss, sweep",
        start=YEAR_START,  # required; the article says only "今年以来"
        scope_township_ids=[t.id for t in TOWNSHIPS],
        risk_point_ids=[rp.id for rp in b.risk_points if rp.campaign_id == CAMPAIGN],
        provenance=ART,
    )
    metrics = [
        OutcomeMetric(
            id="offenders-caught-2020",
            name_zh="抓获各类违法犯罪人员",
            name_en="Offenders caught",
            value=700,
            unit="人",
            comparator=MetricComparator.AT_LEAST,
            period_start=YEAR_START,
            period_end=ARTICLE_DATE,
            scope_org_id=SUB_BUREAU,
            provenance=ART,
        ),
        OutcomeMetric(
            id="losses-recovered-2020",
            name_zh="挽回经济损失",
            name_en="Economic losses recovered",
            value=10_000_000,
            unit="元",
            comparator=MetricComparator.NEARLY,
            period_start=YEAR_START,
            period_end=ARTICLE_DATE,
            scope_org_id=SUB_BUREAU,
            provenance=ART,
        ),
    ]
    return _Governance(
        mechanisms=mechanisms,
        meeting=meeting,
        documents=[measures, plan_doc],
        plan=plan,
        patrol=patrol,
        campaign=campaign,
        metrics=metrics,
    )


# ============================================================== entry points


def build_county() -> County:
    """Build the Yueyanglou example county, deterministically.

    Returns:
        The County; constructing it checks referential integrity.

    Raises:
        IntegrityError: if the tables above contradict each other.
    """
    b = _Builder(rng=random.Random(SEED))  # noqa: S311  # example data, not cryptography
    b.places()
    b.leadership()
    b.functional_departments()
    sub_bureau, railway, leading_group = b.police()
    b.mediation()
    b.owner_entities()
    b.rental_housing()
    b.risks()
    b.all_disputes()
    incident = _desheng_incident(b)
    b.work_plan()
    b.community_indicators()
    governance = _governance(b)
    return County(
        id=COUNTY_ID,
        name_zh="岳阳楼区",
        name_en="Yueyanglou District",
        kind=CountyKind.DISTRICT,
        as_of=ARTICLE_DATE,
        provenance=ART,
        townships=b.townships,
        communities=b.communities,
        grids=b.grids,
        theme_supervision=[
            ThemeSupervision(
                theme=r.theme,
                department_ids=r.departments,
                lead_id=r.lead,
                provenance=r.provenance,
            )
            for r in THEME_SUPERVISION
            if r.theme not in UNSUPERVISED_THEMES
        ],
        indicators=b.indicators,
        party_committees=b.party_committees,
        governments=b.governments,
        departments=b.departments,
        sub_bureaus=[sub_bureau],
        police_stations=[*b.stations, railway],
        judicial_offices=b.judicial_offices,
        mediation_committees=b.committees,
        entities=b.entities,
        leading_groups=[leading_group],
        paired_contacts=b.paired_contacts,
        people=b.people,
        rentals=b.rentals,
        risk_points=b.risk_points,
        hazards=b.hazards,
        disputes=b.disputes,
        key_items=b.key_items,
        tasks=b.tasks,
        ledger=b.ledger,
        incidents=[incident],
        mechanisms=governance.mechanisms,
        meetings=[governance.meeting],
        policy_documents=governance.documents,
        work_plans=[governance.plan],
        patrols=[governance.patrol],
        campaigns=[governance.campaign],
        outcome_metrics=governance.metrics,
    )


def collection_counts(county: County) -> dict[str, int]:
    """The number of records in each of the County's collections, in field order."""
    counts: dict[str, int] = {}
    for field in attrs.fields(County):
        value = getattr(county, field.name)
        if field.init and isinstance(value, tuple):
            counts[field.name] = len(value)
    return counts


def main(argv: Sequence[str] | None = None) -> int:
    """Build the county, print the counts and save it.

    Args:
        argv: command-line arguments (default ``sys.argv[1:]``).

    Returns:
        0 once the files are written.
    """
    parser = argparse.ArgumentParser(
        description=__doc__.splitlines()[0] if __doc__ else None
    )
    parser.add_argument(
        "directory",
        nargs="?",
        type=Path,
        default=DEFAULT_OUTPUT,
        help=f"output directory (default: {DEFAULT_OUTPUT})",
    )
    args = parser.parse_args(argv)
    county = build_county()
    out = sys.stdout
    out.write(f"{county.name_zh} ({county.name_en}), as of {county.as_of}\n")
    for name, count in collection_counts(county).items():
        out.write(f"  {name:<22} {count:>5}\n")
    directory = save_county(county, args.directory)
    out.write(f"written to {directory}\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
