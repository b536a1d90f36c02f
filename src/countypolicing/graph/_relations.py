"""The vocabulary of the graph: node kinds, node keys and edge relations."""

from __future__ import annotations

from countypolicing.model import LabelledEnum

__all__ = ["NodeKind", "Relation", "node_key"]


class NodeKind(LabelledEnum):
    """What a node of the responsibility graph stands for.

    The value is the prefix of the node's key: ``"department:housing"``.

    Examples:
        >>> NodeKind.STATION.label_zh
        '派出所'
        >>> node_key(NodeKind.RISK, "rp-017")
        'risk:rp-017'

    Added in version 0.1.0.
    """

    COUNTY = "county"
    TOWNSHIP = "township"
    COMMUNITY = "community"
    GRID = "grid"
    THEME = "theme"
    PARTY_COMMITTEE = "party_committee"
    GOVERNMENT = "government"
    DEPARTMENT = "department"
    SUB_BUREAU = "sub_bureau"
    STATION = "station"
    JUDICIAL_OFFICE = "judicial_office"
    MEDIATION_COMMITTEE = "mediation_committee"
    ENTITY = "entity"
    LEADING_GROUP = "leading_group"
    PERSON = "person"
    RISK = "risk"
    DISPUTE = "dispute"
    MECHANISM = "mechanism"
    TASK = "task"
    PATROL = "patrol"
    __zh__ = {  # noqa: RUF012  # the read-only label table of the enum
        "county": "县(区)",
        "township": "乡镇(街道)",
        "community": "社区(村)",
        "grid": "网格",
        "theme": "风险主题",
        "party_committee": "党委",
        "government": "政府及自治组织",
        "department": "职能部门",
        "sub_bureau": "公安分局",
        "station": "派出所",
        "judicial_office": "司法所",
        "mediation_committee": "人民调解委员会",
        "entity": "主体单位",
        "leading_group": "领导小组",
        "person": "人员",
        "risk": "风险点",
        "dispute": "矛盾纠纷",
        "mechanism": "联动机制",
        "task": "具体任务",
        "patrol": "联合巡逻队",
    }

    @property
    def is_organisation(self) -> bool:
        """Whether nodes of this kind are organisations (they carry workload)."""
        return self in _ORGANISATIONS


_ORGANISATIONS = frozenset(
    {
        NodeKind.PARTY_COMMITTEE,
        NodeKind.GOVERNMENT,
        NodeKind.DEPARTMENT,
        NodeKind.SUB_BUREAU,
        NodeKind.STATION,
        NodeKind.JUDICIAL_OFFICE,
        NodeKind.MEDIATION_COMMITTEE,
        NodeKind.ENTITY,
    }
)


class Relation(LabelledEnum):
    """The kinds of edge; an edge ``u -> v`` reads "u *relation* v".

    | relation | source → target | derived from |
    | --- | --- | --- |
    | `leads` | party committee → government of the same unit; government → its departments; lead organisation → leading group; lead station → joint patrol | `admin_unit_id`, `government_id`, `lead_org_id`, `lead_station_id` |
    | `parent_of` | county → township → community → grid; sub-bureau → station; department → sub-bureau | the admin hierarchy and `sub_bureau_id`, `department_id` |
    | `jurisdiction` | station → community | `PoliceStation.jurisdiction` |
    | `main_force_for` | station → risk point in its jurisdiction | jurisdiction × risk location (公安机关主力主为) |
    | `territorial_for` | government → its admin unit; government → risk point (属地) | `admin_unit_id`; the risk's community, township and county |
    | `principal_for` | owner → risk point (主体) | `RiskPoint.owner_id` |
    | `supervises` | department → theme; department → risk point (主管) | `theme_supervision`, `supervisor_override` |
    | `member_of` | organisation → mechanism, leading group or patrol; person → committee or organisation | `member_org_ids`, `member_ids`, `Person.org_id` |
    | `convenes` | organisation → mechanism (``lead`` marks the mechanism's lead) | `lead_org_id`, meetings' `convened_by` |
    | `paired_contact` | contact → station (对口联系) | `paired_contacts` |
    | `assigned_to` | task → lead owner; dispute → handler and mediators; person → grid | `lead_owner_id`, `handler_id`, `mediator_ids`, `grid_id` |
    | `co_owns` | organisation → task | `co_owner_ids` |
    | `stationed_in` | judicial office → station (警调对接) | `JudicialOffice.stationed_in` |
    | `refers_to` | station → mediation committee of a community it covers | People's Mediation Law art. 18 |
    | `reports_to` | mediation committee → station covering it | People's Mediation Law art. 25 |
    | `guides` | justice department, court, the township's judicial office → committee | People's Mediation Law art. 5 |
    | `patrols` | joint patrol → community | `JointPatrol.community_ids` |
    | `assesses` | county government → township governments, departments, sub-bureaus | 综合绩效考核 (inferred) |

    Examples:
        >>> Relation.TERRITORIAL_FOR.label_zh
        '属地责任'
        >>> Relation("supervises") is Relation.SUPERVISES
        True

    Added in version 0.1.0.
    """

    LEADS = "leads"
    PARENT_OF = "parent_of"
    JURISDICTION = "jurisdiction"
    MAIN_FORCE_FOR = "main_force_for"
    TERRITORIAL_FOR = "territorial_for"
    PRINCIPAL_FOR = "principal_for"
    SUPERVISES = "supervises"
    MEMBER_OF = "member_of"
    CONVENES = "convenes"
    PAIRED_CONTACT = "paired_contact"
    ASSIGNED_TO = "assigned_to"
    CO_OWNS = "co_owns"
    STATIONED_IN = "stationed_in"
    REFERS_TO = "refers_to"
    REPORTS_TO = "reports_to"
    GUIDES = "guides"
    PATROLS = "patrols"
    ASSESSES = "assesses"
    __zh__ = {  # noqa: RUF012  # the read-only label table of the enum
        "leads": "领导",
        "parent_of": "下辖",
        "jurisdiction": "管辖",
        "main_force_for": "主力主为",
        "territorial_for": "属地责任",
        "principal_for": "主体责任",
        "supervises": "主管责任",
        "member_of": "成员",
        "convenes": "牵头召集",
        "paired_contact": "对口联系",
        "assigned_to": "承办",
        "co_owns": "协办",
        "stationed_in": "派驻",
        "refers_to": "引导调解",
        "reports_to": "报告",
        "guides": "指导",
        "patrols": "巡逻",
        "assesses": "考核",
    }


def node_key(kind: NodeKind | str, record_id: str) -> str:
    """The key of the node for record ``record_id`` of ``kind``: ``"<kind>:<id>"``.

    Ids never contain a colon, so a key names its kind and record unambiguously,
    and ids that look alike in other types (``1``, ``True``) cannot merge: ids are
    validated strings in the model.

    Args:
        kind: the node kind (or its value, ``"department"``).
        record_id: the record's id.

    Returns:
        The node key.

    Raises:
        TypeError: when ``record_id`` is not a string.
        ValueError: when ``kind`` is not a `NodeKind`.

    Examples:
        >>> node_key("department", "housing")
        'department:housing'
        >>> node_key("department", 1)
        Traceback (most recent call last):
        ...
        TypeError: record ids are strings, got int 1

    Added in version 0.1.0.
    """
    return f"{NodeKind(kind).value}:{require_str(record_id)}"


def require_str(value: object) -> str:
    """``value`` if it is a string; a `TypeError` naming its type otherwise."""
    if not isinstance(value, str):
        msg = f"record ids are strings, got {type(value).__name__} {value!r}"
        raise TypeError(msg)
    return value
