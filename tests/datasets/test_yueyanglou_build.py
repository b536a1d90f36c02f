"""The Yueyanglou build script states the article's facts, and only those, as facts."""

from __future__ import annotations

import importlib.util
from collections import Counter
from collections.abc import Callable
from datetime import date, timedelta
from pathlib import Path
from types import ModuleType
from typing import cast

import pytest

from countypolicing.datasets import yueyanglou, yueyanglou_path
from countypolicing.model import (
    AgreementForm,
    CommitteeKind,
    ControlledItem,
    County,
    DisputeStatus,
    GovernmentKind,
    IncidentKind,
    IssuerOffice,
    MediationChannel,
    MetricComparator,
    PersonRole,
    PlaqueStatus,
    PledgeKind,
    PoliceMediationLink,
    PoliceStation,
    PolicyDocumentKind,
    Provenance,
    RiskLevel,
    RiskOrigin,
    RiskPointStatus,
    Sex,
    StationKind,
    SupervisionLevel,
    TaskStatus,
)
from countypolicing.serialization import COUNTY_FILES, save_county

SCRIPT = Path(__file__).resolve().parents[2] / "scripts" / "build_yueyanglou.py"
ARTICLE_DATE = date(2020, 9, 15)

#: Station (as the article names it) → its risk theme.
NAMED_STATIONS = {
    "站前路派出所": "rental_housing",
    "洞庭派出所": "fishing_ban",
    "东茅岭派出所": "railway",
    "郭镇派出所": "campus",
    "岳阳楼派出所": "scenic_area",
}

#: The placeholder codes of DOMAIN.md §2.
MECHANISM_CODES = {
    "joint_meeting",
    "info_sharing",
    "joint_hazard_screening",
    "joint_mediation",
    "key_person_joint_control",
    "joint_patrol",
    "joint_emergency",
    "joint_supervision",
}

#: Every record allowed to claim ``article`` provenance, by collection.
ARTICLE_RECORDS: dict[str, set[str]] = {
    "townships": {"dongmaoling-sd"},
    "communities": {"desheng", "lengshuipu", "qiaotou", "xuepo"},
    "party_committees": {"district-party-committee"},
    "governments": {
        "district-government",
        "dongmaoling-sd-gov",
        "qiaotou-rc",
        "xuepo-rc",
    },
    "sub_bureaus": {"yyl-psb"},
    "police_stations": {
        "zhanqianlu-ps",
        "dongting-ps",
        "dongmaoling-ps",
        "guozhen-ps",
        "yueyanglou-ps",
        "railway-ps",
    },
    "entities": {
        "lengshuipu-project-dept",
        "yueyanglou-scenic-area",
        "yueyanglou-scenic-security",
        "bianhe-security",
    },
    "leading_groups": {"yyl-psb-leading-group"},
    "people": {"p-cao", "p-lengshuipu-cpo", "p-desheng-tipster"},
    "disputes": {"lengshuipu-construction-cracks"},
    "meetings": {"dongmaoling-railway-meetings"},
    "policy_documents": {"implementation-measures", "implementation-plan"},
    "work_plans": {"yyl-psb-plan-2020"},
    "patrols": {"yueyanglou-scenic-patrol"},
    "campaigns": {"campaign-study-discuss-sweep"},
    "incidents": {"desheng-robbery-2020"},
    "outcome_metrics": {"offenders-caught-2020", "losses-recovered-2020"},
}


def _load_script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("build_yueyanglou", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


build_county = cast("Callable[[], County]", _load_script().build_county)


@pytest.fixture(scope="module")
def county() -> County:
    return build_county()


def _station(county: County, name_zh: str) -> PoliceStation:
    return next(s for s in county.police_stations if s.name_zh == name_zh)


def _article_ids(county: County, collection: str) -> set[str]:
    records = getattr(county, collection)
    if collection == "paired_contacts":
        return {r.station_id for r in records if r.provenance is Provenance.ARTICLE}
    return {r.id for r in records if r.provenance is Provenance.ARTICLE}


def test_the_district_has_exactly_107_communities(county: County) -> None:
    assert county.name_zh == "岳阳楼区"
    assert len(county.communities) == 107
    assert {c.township_id for c in county.communities} == {
        t.id for t in county.townships
    }


def test_the_five_named_stations_exist_with_their_themes(county: County) -> None:
    for name, theme in NAMED_STATIONS.items():
        station = _station(county, name)
        assert station.kind is StationKind.LOCAL
        assert station.themes == (theme,)
        assert station.sub_bureau_id == "yyl-psb"
        assert station.provenance is Provenance.ARTICLE
    zhanqianlu = _station(county, "站前路派出所")
    assert zhanqianlu.mediation_link is PoliceMediationLink.EMBEDDED
    assert any("zhanqianlu-ps" in jo.stationed_in for jo in county.judicial_offices)


def test_the_guozhen_model_is_named_but_left_without_content(county: County) -> None:
    feature = _station(county, "郭镇派出所").local_feature
    assert feature is not None
    assert feature.name_zh == "郭镇模式"
    assert feature.provenance is Provenance.ARTICLE
    assert feature.description is not None
    assert "未说明" in feature.description


def test_the_railway_police_station_is_the_one_the_article_names(
    county: County,
) -> None:
    railway = _station(county, "长沙铁路公安处岳阳站派出所")
    assert railway.kind is StationKind.RAILWAY
    assert railway.provenance is Provenance.ARTICLE


def test_every_community_is_covered_by_exactly_one_local_station(
    county: County,
) -> None:
    local = [s for s in county.police_stations if s.kind is StationKind.LOCAL]
    cover = Counter(c for s in local for c in s.jurisdiction)
    assert {c.id: cover[c.id] for c in county.communities} == {
        c.id: 1 for c in county.communities
    }
    assert county.station_for("desheng") == _station(county, "站前路派出所")
    assert county.station_for("qiaotou") == _station(county, "东茅岭派出所")


def test_the_sub_bureau_treats_county_policing_as_project_number_one(
    county: County,
) -> None:
    (sub_bureau,) = county.sub_bureaus
    assert sub_bureau.name_zh == "岳阳楼公安分局"
    assert sub_bureau.priority == 1
    (group,) = county.leading_groups
    assert group.lead_org_id == sub_bureau.id
    paired = {
        p.station_id for p in county.paired_contacts if p.contact_id == sub_bureau.id
    }
    local = {s.id for s in county.police_stations if s.kind is StationKind.LOCAL}
    assert paired == local


def test_the_desheng_incident_has_11_suspects_and_8_knives(county: County) -> None:
    (incident,) = county.incidents
    assert incident.kind is IncidentKind.ROBBERY
    assert incident.community_id == "desheng"
    assert incident.station_id == _station(county, "站前路派出所").id
    assert incident.origin is RiskOrigin.TIP
    assert incident.suspects_arrested == 11
    assert [(s.item, s.count) for s in incident.seized] == [(ControlledItem.KNIFE, 8)]
    assert incident.tip_from_id is not None
    tipster = county.person(incident.tip_from_id)
    assert tipster.has_role(PersonRole.RESIDENT)
    assert tipster.community_id == "desheng"


def test_the_lengshuipu_dispute_ends_in_a_written_agreement_effective_on_13_august(
    county: County,
) -> None:
    dispute = county.dispute("lengshuipu-construction-cracks")
    assert dispute.community_id == "lengshuipu"
    assert dispute.status is DisputeStatus.AGREED
    assert dispute.channel is MediationChannel.UNKNOWN
    assert dispute.agreement is not None
    assert dispute.agreement.form is AgreementForm.WRITTEN
    assert dispute.agreement_effective_on == date(2020, 8, 13)
    cao, project = (county.party(p) for p in dispute.party_ids)
    assert getattr(cao, "display_name", None) == "曹某"
    assert getattr(project, "kind", None) == "project_department"
    mediators = [county.person(m) for m in dispute.mediator_ids]
    assert any(m.has_role(PersonRole.COMMUNITY_POLICE_OFFICER) for m in mediators)


def test_the_grassroots_committee_joins_grid_worker_police_officer_and_mediator(
    county: County,
) -> None:
    (grassroots,) = [
        mc for mc in county.mediation_committees if mc.kind is CommitteeKind.GRASSROOTS
    ]
    assert grassroots.community_id == "lengshuipu"
    members = [county.person(m) for m in grassroots.member_ids]
    for role in (
        PersonRole.GRID_WORKER,
        PersonRole.COMMUNITY_POLICE_OFFICER,
        PersonRole.PEOPLES_MEDIATOR,
    ):
        assert any(m.has_role(role) for m in members)


def test_every_mediation_committee_has_three_to_nine_members_and_a_woman(
    county: County,
) -> None:
    assert len(county.mediation_committees) >= 3
    for mc in county.mediation_committees:
        members = [county.person(m) for m in mc.member_ids]
        assert 3 <= len(members) <= 9
        assert mc.chair_id in mc.member_ids
        assert any(m.sex is Sex.FEMALE for m in members)


def test_the_work_plan_has_24_key_items_and_96_tasks_each_with_one_lead_owner(
    county: County,
) -> None:
    (plan,) = county.work_plans
    assert plan.provenance is Provenance.ARTICLE
    assert len(county.key_items) == 24
    assert sorted(k.number for k in county.key_items) == list(range(1, 25))
    assert len(county.tasks) == 96
    items = {k.id for k in county.key_items}
    for task in county.tasks:
        assert task.key_item_id in items
        county.organisation(task.lead_owner_id)
        assert task.lead_owner_id not in task.co_owner_ids
        assert len(task.co_owner_ids) <= 3
        assert task.deadline.year == 2020
    titled = [(k.title_zh, k.provenance) for k in county.key_items]
    titled += [(t.title_zh, t.provenance) for t in county.tasks]
    for title, provenance in titled:
        assert provenance is Provenance.SYNTHETIC
        assert "（示例）" in title


def test_every_task_is_exactly_what_its_ledger_replays_to(county: County) -> None:
    assert county.replayed_tasks() == county.tasks
    assert [e.seq for e in county.ledger] == list(range(1, len(county.ledger) + 1))
    times = [e.at for e in county.ledger]
    assert times == sorted(times)
    assert {t.utcoffset() for t in times} == {timedelta(hours=8)}
    assert max(times).date() <= ARTICLE_DATE


def test_the_ledger_drives_tasks_into_a_realistic_mix(county: County) -> None:
    statuses = Counter(t.status for t in county.tasks)
    assert statuses[TaskStatus.CLOSED] > len(county.tasks) / 2
    assert statuses[TaskStatus.SUBMITTED] > 0
    assert statuses[TaskStatus.IN_PROGRESS] > 0
    overdue = [t for t in county.tasks if t.is_overdue(ARTICLE_DATE)]
    assert any(t.status is TaskStatus.ASSIGNED for t in overdue)
    levels = {t.supervision for t in county.tasks}
    assert {SupervisionLevel.YELLOW, SupervisionLevel.RED} <= levels
    assert all(
        t.closed_on is not None for t in county.tasks if t.status is TaskStatus.CLOSED
    )


def test_the_eight_mechanisms_are_inferred_placeholders_established_by_the_measures(
    county: County,
) -> None:
    assert {m.id for m in county.mechanisms} == MECHANISM_CODES
    assert all(m.provenance is Provenance.INFERRED for m in county.mechanisms)
    measures = next(
        d
        for d in county.policy_documents
        if d.kind is PolicyDocumentKind.IMPLEMENTATION_MEASURES
    )
    assert measures.title_zh == "关于加强新时代县域警务工作的实施办法"
    assert measures.provenance is Provenance.ARTICLE
    assert measures.issued_on is None
    assert set(measures.establishes) == MECHANISM_CODES
    assert set(measures.issuer_ids) == {
        "district-party-committee",
        "district-government",
    }
    assert set(measures.issuer_offices) == {
        IssuerOffice.PARTY_GENERAL_OFFICE,
        IssuerOffice.GOVERNMENT_GENERAL_OFFICE,
    }


def test_the_dongmaoling_meeting_gathers_the_articles_participants(
    county: County,
) -> None:
    (meeting,) = county.meetings
    assert meeting.convened_by == _station(county, "东茅岭派出所").id
    assert meeting.held_on is None
    kinds = {county.organisation(p).name_zh for p in meeting.participant_ids}
    assert kinds == {
        "东茅岭街道办事处",
        "长沙铁路公安处岳阳站派出所",
        "桥头社区居民委员会",
        "学坡社区居民委员会",
    }
    committees = [
        g
        for g in county.governments
        if g.id in meeting.participant_ids
        and g.kind is GovernmentKind.RESIDENTS_COMMITTEE
    ]
    assert {g.admin_unit_id for g in committees} == {"qiaotou", "xuepo"}


def test_the_scenic_patrol_runs_around_the_clock(county: County) -> None:
    (patrol,) = county.patrols
    assert patrol.lead_station_id == _station(county, "岳阳楼派出所").id
    assert patrol.schedule.hours_per_week == 24 * 7
    assert {county.organisation(o).name_zh for o in patrol.member_org_ids} == {
        "岳阳楼景区保安队伍",
        "汴河街商区保安队伍",
    }
    scenic = {c.id for c in county.communities if "scenic_area" in c.themes}
    assert set(patrol.community_ids) == scenic


def test_the_outcome_metrics_match_the_article(county: County) -> None:
    metrics = {m.id: m for m in county.outcome_metrics}
    offenders = metrics["offenders-caught-2020"]
    losses = metrics["losses-recovered-2020"]
    assert (offenders.value, offenders.unit, offenders.comparator) == (
        700,
        "人",
        MetricComparator.AT_LEAST,
    )
    assert (losses.name_zh, losses.value, losses.unit, losses.comparator) == (
        "挽回经济损失",
        10_000_000,
        "元",
        MetricComparator.NEARLY,
    )
    for metric in metrics.values():
        assert metric.period_start == date(2020, 1, 1)
        assert metric.period_end == ARTICLE_DATE
        assert metric.scope_org_id == "yyl-psb"
        assert metric.provenance is Provenance.ARTICLE


def test_every_article_record_is_one_of_the_articles_elements(county: County) -> None:
    assert county.provenance is Provenance.ARTICLE
    collections = (
        "townships",
        "communities",
        "grids",
        "party_committees",
        "governments",
        "departments",
        "sub_bureaus",
        "police_stations",
        "judicial_offices",
        "mediation_committees",
        "entities",
        "leading_groups",
        "people",
        "rentals",
        "risk_points",
        "hazards",
        "disputes",
        "mechanisms",
        "meetings",
        "policy_documents",
        "work_plans",
        "key_items",
        "tasks",
        "patrols",
        "campaigns",
        "incidents",
        "outcome_metrics",
    )
    found = {name: _article_ids(county, name) for name in collections}
    expected = {name: ARTICLE_RECORDS.get(name, set()) for name in collections}
    assert found == expected
    assert _article_ids(county, "paired_contacts") == {
        s for s in ARTICLE_RECORDS["police_stations"] if s != "railway-ps"
    }
    assert all(r.provenance is not Provenance.ARTICLE for r in county.theme_supervision)
    assert all(r.provenance is Provenance.SYNTHETIC for r in county.indicators)


def test_cited_records_are_the_dongting_facts_and_sourced_theme_rows(
    county: County,
) -> None:
    assert {t.id for t in county.townships if t.provenance is Provenance.CITED} == {
        "dongting-sd"
    }
    assert {c.id for c in county.communities if c.provenance is Provenance.CITED} == {
        "dongting-c"
    }
    cited = {
        r.theme for r in county.theme_supervision if r.provenance is Provenance.CITED
    }
    assert cited == {
        "rental_housing",
        "fishing_ban",
        "railway",
        "campus",
        "scenic_area",
    }


def test_synthetic_places_and_people_are_obvious_placeholders(county: County) -> None:
    names = [(t.name_zh, t.provenance) for t in county.townships]
    names += [(c.name_zh, c.provenance) for c in county.communities]
    for name, provenance in names:
        if provenance is Provenance.SYNTHETIC:
            assert "示例" in name
    assert all(p.display_name.endswith("某") for p in county.people)


def test_risk_levels_follow_likelihood_times_severity(county: County) -> None:
    def expected(score: int) -> RiskLevel:
        if score >= 20:
            return RiskLevel.MAJOR
        if score >= 15:
            return RiskLevel.SIGNIFICANT
        if score >= 8:
            return RiskLevel.GENERAL
        return RiskLevel.LOW

    for rp in county.risk_points:
        if rp.status is RiskPointStatus.IDENTIFIED:
            assert rp.level is None
        else:
            assert rp.level is expected(rp.score)
    statuses = Counter(rp.status for rp in county.risk_points)
    assert set(statuses) == set(RiskPointStatus)
    assert statuses[RiskPointStatus.CLOSED] == 1
    overrides = [rp for rp in county.risk_points if rp.supervisor_override is not None]
    assert len(overrides) == 1


def test_every_station_theme_has_risk_points_and_a_supervising_lead(
    county: County,
) -> None:
    themes = Counter(rp.theme for rp in county.risk_points)
    rows = {row.theme: row for row in county.theme_supervision}
    for theme in [*NAMED_STATIONS.values(), "construction"]:
        assert themes[theme] >= 3
        assert rows[theme].lead_id is not None
    # crime_tip has no supervision row on purpose (the script's DELIBERATE_GAPS)
    assert set(themes) - set(rows) == {"crime_tip"}
    fishermen = [
        rp
        for rp in county.risk_points
        if rp.theme == "fishing_ban" and rp.subject_kind == "person_group"
    ]
    assert fishermen
    assert all(rp.owner_id is None for rp in fishermen)


def test_zhanqianlu_rentals_are_listed_unlisted_or_revoked(county: County) -> None:
    zhanqianlu = set(_station(county, "站前路派出所").jurisdiction)
    assert "desheng" in {r.community_id for r in county.rentals}
    assert all(r.community_id in zhanqianlu for r in county.rentals)
    plaques = Counter(r.plaque_status for r in county.rentals)
    assert plaques[PlaqueStatus.LISTED] > 0
    assert plaques[PlaqueStatus.NONE] > 0
    assert plaques[PlaqueStatus.REVOKED] == 1
    for rental in county.rentals:
        assert county.person(rental.landlord_id).has_role(PersonRole.LANDLORD)
        if rental.plaque_status is PlaqueStatus.LISTED:
            assert rental.pledge is not None
            assert rental.pledge.kind is PledgeKind.RESPONSIBILITY_STATEMENT


def test_synthetic_disputes_cover_the_whole_lifecycle(county: County) -> None:
    assert {d.status for d in county.disputes} == set(DisputeStatus)
    assert len(county.disputes) >= 30


def test_indicators_describe_every_community_consistently(county: County) -> None:
    indicators = {i.community_id: i for i in county.indicators}
    assert set(indicators) == {c.id for c in county.communities}
    grids = Counter(g.community_id for g in county.grids)
    for c in county.communities:
        ind = indicators[c.id]
        assert ind.as_of == date(2020, 6, 30)
        assert ind.grid_workers == grids[c.id]
        assert 2 <= grids[c.id] <= 6
        if "rental_housing" in c.themes:
            assert ind.rental_units >= 300


def test_building_twice_gives_equal_counties(county: County) -> None:
    assert build_county() == county


def test_the_shipped_files_are_exactly_what_the_script_writes(
    county: County, tmp_path: Path
) -> None:
    """The package data is never stale: rerun scripts/build_yueyanglou.py to update."""
    assert yueyanglou() == county
    fresh = save_county(county, tmp_path / "fresh")
    shipped = yueyanglou_path()
    for name in COUNTY_FILES:
        assert (fresh / name).read_bytes() == (shipped / name).read_bytes(), name
