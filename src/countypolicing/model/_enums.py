"""Vocabularies of the domain, each member with its Chinese label.

Enums are `enum.StrEnum`, so YAML and JSON stay readable (``level: major``).
Ordered scales (`RiskLevel`, `SupervisionLevel`, ...) carry an explicit ``rank``;
compare ranks, never the strings.
"""

from __future__ import annotations

from collections.abc import Mapping
from enum import StrEnum
from typing import ClassVar

__all__ = [
    "ActorClass",
    "AdminLevel",
    "AgreementForm",
    "Cadence",
    "CommitteeKind",
    "CommunityKind",
    "CommunityRiskClass",
    "ConfirmationResult",
    "ControlledItem",
    "CountyKind",
    "CountyRiskClass",
    "DepartmentKind",
    "DisputeOrigin",
    "DisputeStatus",
    "DisputeType",
    "EntityKind",
    "GovernmentKind",
    "GridKind",
    "HandlingLevel",
    "HazardStatus",
    "IncidentKind",
    "IssuerOffice",
    "LabelledEnum",
    "MediationChannel",
    "MetricComparator",
    "PartyRole",
    "PersonRole",
    "PlaqueStatus",
    "PledgeKind",
    "PoliceMediationLink",
    "PolicyDocumentKind",
    "Provenance",
    "RankedEnum",
    "ReferralRoute",
    "RentalKind",
    "ResponsibilityType",
    "RiskColor",
    "RiskDomain",
    "RiskLevel",
    "RiskOrigin",
    "RiskPointStatus",
    "RiskSubjectKind",
    "RiskTheme",
    "Sex",
    "StationKind",
    "SupervisionLevel",
    "TaskAction",
    "TaskStatus",
    "TownshipKind",
]


class LabelledEnum(StrEnum):
    """A `StrEnum` whose members know their Chinese label.

    Examples:
        >>> RiskLevel.MAJOR.label_zh
        '重大风险'
        >>> RiskLevel("major") is RiskLevel.MAJOR
        True

    Added in version 0.1.0.
    """

    __zh__: ClassVar[Mapping[str, str]] = {}

    @property
    def label_zh(self) -> str:
        """The member's Chinese label."""
        return type(self).__zh__[str(self)]

    @property
    def label_en(self) -> str:
        """The member's English label (its value, spaced and capitalised)."""
        return str(self).replace("_", " ").capitalize()

    def label(self, lang: str = "en") -> str:
        """The label in ``lang`` (``"zh"`` or ``"en"``)."""
        return self.label_zh if lang == "zh" else self.label_en


class RankedEnum(LabelledEnum):
    """A labelled enum with an explicit order: a larger ``rank`` is more severe.

    Comparisons between members of the same enum use the rank, never the text.

    Examples:
        >>> RiskLevel.MAJOR > RiskLevel.LOW
        True
        >>> max([RiskLevel.GENERAL, RiskLevel.SIGNIFICANT])
        <RiskLevel.SIGNIFICANT: 'significant'>

    Added in version 0.1.0.
    """

    __rank__: ClassVar[Mapping[str, int]] = {}

    @property
    def rank(self) -> int:
        """The position on the scale; larger is more severe."""
        return type(self).__rank__[str(self)]

    def _rank_of(self, other: object) -> int | None:
        if isinstance(other, type(self)):
            return other.rank
        if isinstance(other, str):
            # Plain text would otherwise fall back to alphabetical order.
            msg = (
                f"cannot order {type(self).__name__}.{self.name} against the text "
                f"{other!r}; convert it first: {type(self).__name__}({other!r})"
            )
            raise TypeError(msg)
        return None

    def __lt__(self, other: object) -> bool:
        rank = self._rank_of(other)
        if rank is None:
            return NotImplemented
        return self.rank < rank

    def __le__(self, other: object) -> bool:
        rank = self._rank_of(other)
        if rank is None:
            return NotImplemented
        return self.rank <= rank

    def __gt__(self, other: object) -> bool:
        rank = self._rank_of(other)
        if rank is None:
            return NotImplemented
        return self.rank > rank

    def __ge__(self, other: object) -> bool:
        rank = self._rank_of(other)
        if rank is None:
            return NotImplemented
        return self.rank >= rank

    __hash__ = StrEnum.__hash__


class Provenance(LabelledEnum):
    """Where a record's content comes from. Never present a non-article value as fact."""

    ARTICLE = "article"
    CITED = "cited"
    INFERRED = "inferred"
    SYNTHETIC = "synthetic"
    USER = "user"
    __zh__ = {
        "article": "报道原文",
        "cited": "公开来源",
        "inferred": "推断",
        "synthetic": "虚构示例",
        "user": "用户数据",
    }


class CountyKind(LabelledEnum):
    """County-level area: county, county-level city or city district."""

    COUNTY = "county"
    CITY = "city"
    DISTRICT = "district"
    __zh__ = {"county": "县", "city": "县级市", "district": "市辖区"}


class CountyRiskClass(RankedEnum):
    """Provincial grading of counties: 一类 (highest risk) to 三类."""

    CLASS_3 = "class_3"
    CLASS_2 = "class_2"
    CLASS_1 = "class_1"
    __zh__ = {"class_1": "一类", "class_2": "二类", "class_3": "三类"}
    __rank__ = {"class_3": 1, "class_2": 2, "class_1": 3}


class CommunityRiskClass(RankedEnum):
    """Default three-tier community risk category (一类 is the highest risk)."""

    CLASS_3 = "class_3"
    CLASS_2 = "class_2"
    CLASS_1 = "class_1"
    __zh__ = {"class_1": "一类", "class_2": "二类", "class_3": "三类"}
    __rank__ = {"class_3": 1, "class_2": 2, "class_1": 3}


class AdminLevel(RankedEnum):
    """Administrative level; a larger rank is a larger area."""

    GRID = "grid"
    COMMUNITY = "community"
    TOWNSHIP = "township"
    COUNTY = "county"
    __zh__ = {
        "grid": "网格",
        "community": "社区(村)",
        "township": "乡镇(街道)",
        "county": "县(区)",
    }
    __rank__ = {"grid": 1, "community": 2, "township": 3, "county": 4}


class TownshipKind(LabelledEnum):
    """A township-level unit: a sub-district office area, a township or a town."""

    SUB_DISTRICT = "sub_district"
    TOWNSHIP = "township"
    TOWN = "town"
    __zh__ = {"sub_district": "街道", "township": "乡", "town": "镇"}


class CommunityKind(LabelledEnum):
    """An urban community (residents' committee) or a village (villagers' committee)."""

    URBAN = "urban"
    VILLAGE = "village"
    __zh__ = {"urban": "社区", "village": "村"}


class GridKind(LabelledEnum):
    """Comprehensive grids cover residents; dedicated grids cover one unit's premises."""

    COMPREHENSIVE = "comprehensive"
    DEDICATED = "dedicated"
    __zh__ = {"comprehensive": "综合网格", "dedicated": "专属网格"}


class ActorClass(LabelledEnum):
    """The four actor classes of the county-policing pattern (工作格局)."""

    LEADERSHIP = "leadership"
    POLICE = "police"
    INDUSTRY_DEPARTMENT = "industry_department"
    SOCIAL_FORCE = "social_force"
    __zh__ = {
        "leadership": "党委政府统一领导",
        "police": "公安机关主力主为",
        "industry_department": "行业部门齐抓共管",
        "social_force": "社会力量广泛参与",
    }


class GovernmentKind(LabelledEnum):
    """Kinds of government body and self-governing committee."""

    PEOPLES_GOVERNMENT = "peoples_government"
    SUB_DISTRICT_OFFICE = "sub_district_office"
    TOWNSHIP_GOVERNMENT = "township_government"
    RESIDENTS_COMMITTEE = "residents_committee"
    VILLAGERS_COMMITTEE = "villagers_committee"
    __zh__ = {
        "peoples_government": "人民政府",
        "sub_district_office": "街道办事处",
        "township_government": "乡镇人民政府",
        "residents_committee": "居民委员会",
        "villagers_committee": "村民委员会",
    }


class DepartmentKind(LabelledEnum):
    """Functional (industry) departments."""

    PUBLIC_SECURITY = "public_security"
    POLITICAL_LEGAL = "political_legal"
    JUSTICE = "justice"
    COURT = "court"
    HOUSING = "housing"
    AGRICULTURE_FISHERY = "agriculture_fishery"
    HUMAN_RESOURCES = "human_resources"
    CIVIL_AFFAIRS = "civil_affairs"
    MEDICAL_SECURITY = "medical_security"
    FINANCE = "finance"
    EDUCATION = "education"
    CULTURE_TOURISM = "culture_tourism"
    RAILWAY_POLICE = "railway_police"
    MARKET_REGULATION = "market_regulation"
    EMERGENCY = "emergency"
    PETITION = "petition"
    DISCIPLINE = "discipline"
    OTHER = "other"
    __zh__ = {
        "public_security": "公安",
        "political_legal": "政法委",
        "justice": "司法行政",
        "court": "法院",
        "housing": "住建/房管",
        "agriculture_fishery": "农业农村/渔政",
        "human_resources": "人社",
        "civil_affairs": "民政",
        "medical_security": "医保",
        "finance": "财政",
        "education": "教育",
        "culture_tourism": "文旅",
        "railway_police": "铁路公安",
        "market_regulation": "市场监管",
        "emergency": "应急管理",
        "petition": "信访",
        "discipline": "纪委监委",
        "other": "其他",
    }


class StationKind(LabelledEnum):
    """A local police station or a railway police station."""

    LOCAL = "local"
    RAILWAY = "railway"
    __zh__ = {"local": "派出所", "railway": "铁路公安派出所"}


class PoliceMediationLink(LabelledEnum):
    """How people's mediation is connected to a police station (警调对接)."""

    EMBEDDED = "embedded"
    JOINT = "joint"
    LIAISON = "liaison"
    __zh__ = {"embedded": "进驻式", "joint": "一体式", "liaison": "引驻式"}


class CommitteeKind(LabelledEnum):
    """Kinds of people's mediation committee."""

    COMMUNITY = "community"
    GRASSROOTS = "grassroots"
    TOWNSHIP = "township"
    ENTERPRISE = "enterprise"
    __zh__ = {
        "community": "社区(村)人民调解委员会",
        "grassroots": "网格员+社区民警+人民调解员基层调委会",
        "township": "乡镇(街道)人民调解委员会",
        "enterprise": "企事业单位人民调解委员会",
    }


class EntityKind(LabelledEnum):
    """Owner entities that bear principal (主体) responsibility for a risk."""

    ENTERPRISE = "enterprise"
    PROJECT_DEPARTMENT = "project_department"
    SCHOOL = "school"
    SCENIC_OPERATOR = "scenic_operator"
    RAILWAY_UNIT = "railway_unit"
    BUSINESS_DISTRICT = "business_district"
    SECURITY_TEAM = "security_team"
    OTHER = "other"
    __zh__ = {
        "enterprise": "企业",
        "project_department": "项目部",
        "school": "学校",
        "scenic_operator": "景区经营单位",
        "railway_unit": "铁路单位",
        "business_district": "商圈管理单位",
        "security_team": "保安队伍",
        "other": "其他单位",
    }


class PersonRole(LabelledEnum):
    """Roles people play; one person may hold several."""

    LEADER = "leader"
    COMMUNITY_POLICE_OFFICER = "community_police_officer"
    AUXILIARY_OFFICER = "auxiliary_officer"
    GRID_WORKER = "grid_worker"
    GRID_LEADER = "grid_leader"
    PEOPLES_MEDIATOR = "peoples_mediator"
    JUDICIAL_OFFICE_CADRE = "judicial_office_cadre"
    PARTY_MEMBER = "party_member"
    LOCAL_WORTHY = "local_worthy"
    VOLUNTEER_PATROL = "volunteer_patrol"
    SECURITY_GUARD = "security_guard"
    LANDLORD = "landlord"
    TENANT = "tenant"
    RESIDENT = "resident"
    STUDENT = "student"
    TOURIST = "tourist"
    __zh__ = {
        "leader": "领导",
        "community_police_officer": "社区民警",
        "auxiliary_officer": "辅警",
        "grid_worker": "网格员",
        "grid_leader": "网格长",
        "peoples_mediator": "人民调解员",
        "judicial_office_cadre": "司法所干部",
        "party_member": "党员",
        "local_worthy": "乡贤",
        "volunteer_patrol": "群防群治队员",
        "security_guard": "保安",
        "landlord": "出租人",
        "tenant": "承租人",
        "resident": "居民",
        "student": "学生",
        "tourist": "游客",
    }


class Sex(LabelledEnum):
    """Recorded sex, used only for the women-member rule of mediation committees."""

    FEMALE = "female"
    MALE = "male"
    __zh__ = {"female": "女", "male": "男"}


class RentalKind(LabelledEnum):
    """Kinds of rental housing."""

    WHOLE = "whole"
    SHARED = "shared"
    GROUP = "group"
    HOSTEL = "hostel"
    __zh__ = {
        "whole": "整租",
        "shared": "合租",
        "group": "群租房",
        "hostel": "家庭旅馆",
    }


class PlaqueStatus(LabelledEnum):
    """Plaque (listed) management status of a rental (挂牌管理)."""

    NONE = "none"
    LISTED = "listed"
    REVOKED = "revoked"
    __zh__ = {"none": "未挂牌", "listed": "已挂牌", "revoked": "摘牌"}


class PledgeKind(LabelledEnum):
    """Kinds of landlord security pledge."""

    RESPONSIBILITY_STATEMENT = "responsibility_statement"
    GUARANTEE = "guarantee"
    COMMITMENT = "commitment"
    __zh__ = {
        "responsibility_statement": "治安责任状",
        "guarantee": "治安责任保证书",
        "commitment": "承诺书",
    }


class RiskLevel(RankedEnum):
    """Four-level risk grading (风险分级管控)."""

    LOW = "low"
    GENERAL = "general"
    SIGNIFICANT = "significant"
    MAJOR = "major"
    __zh__ = {
        "low": "低风险",
        "general": "一般风险",
        "significant": "较大风险",
        "major": "重大风险",
    }
    __rank__ = {"low": 1, "general": 2, "significant": 3, "major": 4}

    @property
    def color(self) -> RiskColor:
        """The colour conventionally shown for the level.

        Examples:
            >>> RiskLevel.MAJOR.color
            <RiskColor.RED: 'red'>
        """
        return _LEVEL_COLORS[self]


class RiskColor(RankedEnum):
    """The four risk colours: red, orange, yellow, blue."""

    BLUE = "blue"
    YELLOW = "yellow"
    ORANGE = "orange"
    RED = "red"
    __zh__ = {"blue": "蓝", "yellow": "黄", "orange": "橙", "red": "红"}
    __rank__ = {"blue": 1, "yellow": 2, "orange": 3, "red": 4}


_LEVEL_COLORS: Mapping[RiskLevel, RiskColor] = {
    RiskLevel.LOW: RiskColor.BLUE,
    RiskLevel.GENERAL: RiskColor.YELLOW,
    RiskLevel.SIGNIFICANT: RiskColor.ORANGE,
    RiskLevel.MAJOR: RiskColor.RED,
}


class RiskDomain(LabelledEnum):
    """Broad risk domains."""

    POLITICAL_SECURITY = "political_security"
    SOCIAL_STABILITY = "social_stability"
    PUBLIC_ORDER = "public_order"
    PUBLIC_SAFETY = "public_safety"
    __zh__ = {
        "political_security": "政治安全",
        "social_stability": "社会稳定",
        "public_order": "社会治安",
        "public_safety": "公共安全",
    }


class RiskTheme(LabelledEnum):
    """The built-in risk themes; a county may declare more in its data."""

    RENTAL_HOUSING = "rental_housing"
    FISHING_BAN = "fishing_ban"
    RAILWAY = "railway"
    CAMPUS = "campus"
    SCENIC_AREA = "scenic_area"
    CONSTRUCTION = "construction"
    CRIME_TIP = "crime_tip"
    __zh__ = {
        "rental_housing": "出租房屋",
        "fishing_ban": "禁捕退捕",
        "railway": "铁路沿线",
        "campus": "校园",
        "scenic_area": "景区",
        "construction": "建设施工",
        "crime_tip": "涉案线索",
    }


class RiskSubjectKind(LabelledEnum):
    """What a risk point is about (人、地、房、物、事、单位)."""

    PERSON_GROUP = "person_group"
    PLACE = "place"
    HOUSING = "housing"
    OBJECT = "object"
    EVENT_DISPUTE = "event_dispute"
    ORGANISATION = "organisation"
    __zh__ = {
        "person_group": "人",
        "place": "地",
        "housing": "房",
        "object": "物",
        "event_dispute": "事",
        "organisation": "单位",
    }


class RiskOrigin(LabelledEnum):
    """How a risk point came to notice."""

    CAMPAIGN = "campaign"
    TIP = "tip"
    CALL_110 = "call_110"
    GRID_REPORT = "grid_report"
    SCREENING = "screening"
    __zh__ = {
        "campaign": "专项行动",
        "tip": "群众举报",
        "call_110": "110报警",
        "grid_report": "网格上报",
        "screening": "排查发现",
    }


class RiskPointStatus(LabelledEnum):
    """Lifecycle states of a risk point."""

    IDENTIFIED = "identified"
    GRADED = "graded"
    CONTROLLED = "controlled"
    MONITORING = "monitoring"
    CLOSED = "closed"
    __zh__ = {
        "identified": "已识别",
        "graded": "已定级",
        "controlled": "已管控",
        "monitoring": "监测中",
        "closed": "已销号",
    }


class HazardStatus(LabelledEnum):
    """Lifecycle states of a hazard (隐患)."""

    FOUND = "found"
    RECTIFYING = "rectifying"
    VERIFIED = "verified"
    CLOSED = "closed"
    __zh__ = {
        "found": "发现",
        "rectifying": "整改中",
        "verified": "已验收",
        "closed": "已销号",
    }


class ResponsibilityType(LabelledEnum):
    """The three responsibilities pressed for every risk."""

    TERRITORIAL = "territorial"
    PRINCIPAL = "principal"
    SUPERVISORY = "supervisory"
    __zh__ = {
        "territorial": "属地责任",
        "principal": "主体责任",
        "supervisory": "主管责任",
    }


class DisputeType(LabelledEnum):
    """The 28 dispute types of a grid-governance system, plus tourism."""

    PETITION = "petition"
    INSTABILITY_REPORT = "instability_report"
    MARRIAGE_FAMILY = "marriage_family"
    NEIGHBOUR = "neighbour"
    ENVIRONMENT = "environment"
    CONSTRUCTION = "construction"
    PROPERTY_MANAGEMENT = "property_management"
    ENTERPRISE_RESTRUCTURING = "enterprise_restructuring"
    JUDICIAL_ACTIVITY = "judicial_activity"
    CADRE_CONDUCT = "cadre_conduct"
    LABOUR = "labour"
    LAND_REQUISITION = "land_requisition"
    VETERAN_RESETTLEMENT = "veteran_resettlement"
    HOUSING_HOMESTEAD = "housing_homestead"
    RURAL_ASSETS = "rural_assets"
    FARMER_BURDEN = "farmer_burden"
    CAMPUS = "campus"
    ETHNIC_RELIGIOUS = "ethnic_religious"
    ECONOMIC = "economic"
    FOREST_LAND = "forest_land"
    MEDICAL = "medical"
    COMMUNITY_AFFAIRS = "community_affairs"
    ADMINISTRATIVE_ENFORCEMENT = "administrative_enforcement"
    MARITIME_FISHERY = "maritime_fishery"
    TRAFFIC_PRODUCTION_SAFETY = "traffic_production_safety"
    FAMILY_PLANNING = "family_planning"
    CONTRACT = "contract"
    OTHER = "other"
    TOURISM = "tourism"
    __zh__ = {
        "petition": "信访问题处理",
        "instability_report": "不稳定因素报告",
        "marriage_family": "婚姻家庭",
        "neighbour": "邻里纠纷",
        "environment": "环境生态",
        "construction": "建筑工程",
        "property_management": "物业管理",
        "enterprise_restructuring": "企业改制",
        "judicial_activity": "司法活动",
        "cadre_conduct": "干部作风",
        "labour": "劳资纠纷",
        "land_requisition": "征地拆迁",
        "veteran_resettlement": "军人安置",
        "housing_homestead": "房屋和宅基地",
        "rural_assets": "农村三资",
        "farmer_burden": "农民负担",
        "campus": "院校问题",
        "ethnic_religious": "民族宗教",
        "economic": "经济活动",
        "forest_land": "山林土地",
        "medical": "医患纠纷",
        "community_affairs": "村(社区)务管理",
        "administrative_enforcement": "行政执法活动",
        "maritime_fishery": "海事渔事",
        "traffic_production_safety": "交通及生产安全",
        "family_planning": "计划生育",
        "contract": "合同履行",
        "other": "其他",
        "tourism": "旅游纠纷",
    }


class DisputeOrigin(LabelledEnum):
    """How a dispute reached the system."""

    CALL_110 = "call_110"
    GRID_REPORT = "grid_report"
    WALK_IN = "walk_in"
    POLICE_REFERRAL = "police_referral"
    SCREENING = "screening"
    UNKNOWN = "unknown"
    __zh__ = {
        "call_110": "110接处警",
        "grid_report": "网格上报",
        "walk_in": "群众来访",
        "police_referral": "公安移交",
        "screening": "排查发现",
        "unknown": "未说明",
    }


class DisputeStatus(LabelledEnum):
    """Lifecycle states of a dispute (People's Mediation Law guards apply)."""

    DISCOVERED = "discovered"
    ACCEPTED = "accepted"
    MEDIATING = "mediating"
    AGREED = "agreed"
    PERFORMED = "performed"
    CLOSED = "closed"
    REFUSED = "refused"
    TERMINATED = "terminated"
    REFERRED = "referred"
    ESCALATED_TO_POLICE = "escalated_to_police"
    REOPENED = "reopened"
    __zh__ = {
        "discovered": "发现",
        "accepted": "受理",
        "mediating": "调解中",
        "agreed": "达成协议",
        "performed": "已履行",
        "closed": "结案",
        "refused": "当事人拒绝调解",
        "terminated": "调解终止",
        "referred": "转其他途径",
        "escalated_to_police": "报告公安",
        "reopened": "重新处理",
    }


class MediationChannel(LabelledEnum):
    """The channels of grand mediation (大调解)."""

    PEOPLES = "peoples"
    ADMINISTRATIVE = "administrative"
    JUDICIAL = "judicial"
    PUBLIC_SECURITY = "public_security"
    UNKNOWN = "unknown"
    __zh__ = {
        "peoples": "人民调解",
        "administrative": "行政调解",
        "judicial": "司法调解",
        "public_security": "治安调解",
        "unknown": "未明确",
    }


class HandlingLevel(RankedEnum):
    """The level at which a dispute is being handled or was closed."""

    GRID = "grid"
    COMMUNITY = "community"
    SUB_DISTRICT = "sub_district"
    DISTRICT = "district"
    __zh__ = {
        "grid": "网格",
        "community": "社区(村)",
        "sub_district": "街道(乡镇)",
        "district": "区(县)",
    }
    __rank__ = {"grid": 1, "community": 2, "sub_district": 3, "district": 4}


class PartyRole(LabelledEnum):
    """A party's side in a dispute."""

    APPLICANT = "applicant"
    RESPONDENT = "respondent"
    __zh__ = {"applicant": "申请人", "respondent": "被申请人"}


class AgreementForm(LabelledEnum):
    """Written or oral mediation agreement (People's Mediation Law art. 28)."""

    WRITTEN = "written"
    ORAL = "oral"
    __zh__ = {"written": "书面协议", "oral": "口头协议"}


class ConfirmationResult(LabelledEnum):
    """A court's decision on an application for judicial confirmation."""

    PENDING = "pending"
    VALID = "valid"
    INVALID = "invalid"
    __zh__ = {"pending": "审查中", "valid": "确认有效", "invalid": "不予确认"}


class ReferralRoute(LabelledEnum):
    """Where a dispute goes when people's mediation ends without agreement."""

    LITIGATION = "litigation"
    ARBITRATION = "arbitration"
    ADMINISTRATIVE = "administrative"
    __zh__ = {"litigation": "诉讼", "arbitration": "仲裁", "administrative": "行政处理"}


class Cadence(LabelledEnum):
    """How often a mechanism meets."""

    WEEKLY = "weekly"
    MONTHLY = "monthly"
    QUARTERLY = "quarterly"
    AS_NEEDED = "as_needed"
    __zh__ = {
        "weekly": "每周",
        "monthly": "每月",
        "quarterly": "每季度",
        "as_needed": "按需",
    }


class PolicyDocumentKind(LabelledEnum):
    """Kinds of policy document."""

    IMPLEMENTATION_MEASURES = "implementation_measures"
    IMPLEMENTATION_PLAN = "implementation_plan"
    OPINION = "opinion"
    NOTICE = "notice"
    __zh__ = {
        "implementation_measures": "实施办法",
        "implementation_plan": "实施方案",
        "opinion": "意见",
        "notice": "通知",
    }


class IssuerOffice(LabelledEnum):
    """The two general offices (两办) that issue joint documents."""

    PARTY_GENERAL_OFFICE = "party_general_office"
    GOVERNMENT_GENERAL_OFFICE = "government_general_office"
    __zh__ = {
        "party_general_office": "党委办公室",
        "government_general_office": "政府办公室",
    }


class TaskStatus(LabelledEnum):
    """Lifecycle states of a work-plan task; overdue is derived from a date, not stored."""

    PLANNED = "planned"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    SUBMITTED = "submitted"
    VERIFIED = "verified"
    CLOSED = "closed"
    __zh__ = {
        "planned": "已计划",
        "assigned": "已交办",
        "in_progress": "推进中",
        "submitted": "已报送",
        "verified": "已核验",
        "closed": "已销号",
    }


class TaskAction(LabelledEnum):
    """Steps recorded in the task ledger."""

    ASSIGN = "assign"
    START = "start"
    SUBMIT = "submit"
    RETURN = "return"
    VERIFY = "verify"
    CLOSE_OUT = "close_out"
    SUPERVISE = "supervise"
    NOTE = "note"
    __zh__ = {
        "assign": "交办",
        "start": "启动",
        "submit": "报送",
        "return": "回退",
        "verify": "对账核验",
        "close_out": "销号",
        "supervise": "督办",
        "note": "备注",
    }


class SupervisionLevel(RankedEnum):
    """Supervision (督办) levels; escalate as a task runs overdue."""

    NONE = "none"
    NORMAL = "normal"
    YELLOW = "yellow"
    RED = "red"
    __zh__ = {
        "none": "无",
        "normal": "普通督办",
        "yellow": "黄牌督办",
        "red": "红牌督办",
    }
    __rank__ = {"none": 0, "normal": 1, "yellow": 2, "red": 3}


class IncidentKind(LabelledEnum):
    """Kinds of case or incident."""

    ROBBERY = "robbery"
    THEFT = "theft"
    FRAUD = "fraud"
    ASSAULT = "assault"
    PORNOGRAPHY_GAMBLING_DRUGS = "pornography_gambling_drugs"
    PUBLIC_ORDER = "public_order"
    OTHER = "other"
    __zh__ = {
        "robbery": "抢劫",
        "theft": "盗窃",
        "fraud": "诈骗",
        "assault": "伤害",
        "pornography_gambling_drugs": "黄赌毒",
        "public_order": "治安案件",
        "other": "其他",
    }


class ControlledItem(LabelledEnum):
    """Controlled items that may be seized."""

    KNIFE = "knife"
    FIREARM = "firearm"
    EXPLOSIVE = "explosive"
    OTHER = "other"
    __zh__ = {
        "knife": "管制刀具",
        "firearm": "枪支",
        "explosive": "爆炸物",
        "other": "其他",
    }


class MetricComparator(LabelledEnum):
    """How a reported figure relates to the true value ("700余人", "近1000万元")."""

    EXACT = "exact"
    AT_LEAST = "at_least"
    NEARLY = "nearly"
    __zh__ = {"exact": "确数", "at_least": "余", "nearly": "近"}
