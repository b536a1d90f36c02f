"""Dispute routing: the shipped ruleset, the article's scenarios, handlers, bad input."""

from __future__ import annotations

from datetime import date

import attrs
import networkx as nx
import pytest

from countypolicing.datasets import DEFAULT_RULESETS, default_ruleset, yueyanglou
from countypolicing.exceptions import (
    ReferenceIntegrityError,
    RuleDefinitionError,
    UnknownIdError,
)
from countypolicing.graph import build_responsibility_graph
from countypolicing.model import (
    County,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeStatus,
    DisputeType,
    MediationChannel,
    MediationCommittee,
    PartyRole,
    PoliceMediationLink,
)
from countypolicing.operations import (
    DisputeAction,
    DisputeEvent,
    DisputeHistory,
    DisputeRoute,
    RoutingDecision,
    route_dispute,
)
from countypolicing.operations._mediation import _from_county, _from_graph
from countypolicing.rules import Classifier, compile_ruleset, ruleset_from_data, verify

R = DisputeRoute


@pytest.fixture(scope="module")
def county() -> County:
    return yueyanglou()


@pytest.fixture(scope="module")
def graph(county: County) -> nx.MultiDiGraph[str]:
    return build_responsibility_graph(county)


@pytest.fixture(scope="module")
def routing() -> Classifier:
    return compile_ruleset(default_ruleset("dispute-routing"))


def route(
    dispute: Dispute, county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> RoutingDecision:
    return route_dispute(dispute, county, classifier=routing, graph=graph)


def new_dispute(**changes: object) -> Dispute:
    """A dispute the county and the graph do not hold yet."""
    d = Dispute(
        id="new-1",
        type=DisputeType.NEIGHBOUR,
        community_id="lengshuipu",
        grid_id="lengshuipu-g01",
        origin=DisputeOrigin.GRID_REPORT,
        summary="楼上漏水",
        parties=[
            DisputeParty(party_id="p-cao", role=PartyRole.APPLICANT),
            DisputeParty(party_id="p-resident-001", role=PartyRole.RESPONDENT),
        ],
        reported_on=date(2020, 9, 1),
    )
    return attrs.evolve(d, **changes)  # type: ignore[arg-type]  # test helper: any field


# ---------------------------------------------------------------- the ruleset
def test_the_routing_ruleset_is_shipped() -> None:
    assert "dispute-routing" in DEFAULT_RULESETS
    rs = default_ruleset("dispute-routing")
    assert (rs.schema.name, str(rs.hit_policy), rs.default) == (
        "dispute",
        "first",
        "peoples_committee",
    )
    assert rs.provenance == "inferred"
    assert rs.output is not None
    assert set(rs.output.values) == {str(r) for r in DisputeRoute}
    assert all(
        r.because is not None and r.because.zh and r.because.en for r in rs.rules
    )


def test_the_routing_ruleset_verifies_clean() -> None:
    report = verify(default_ruleset("dispute-routing"))
    assert report.findings == ()
    assert report.ok


def test_the_embedded_tests_pass_and_hit_every_rule(routing: Classifier) -> None:
    rs = routing.ruleset
    hit: set[str] = set()
    for case in rs.tests:
        decision = routing.classify(dict(case.given))
        assert str(decision.output) == case.expect, case.name
        hit.update(decision.rule_ids)
    assert hit == {r.id for r in rs.rules}


# ---------------------------------------------------------------- the article
def test_a_simple_civil_dispute_from_a_110_call_goes_to_the_stationed_cadre(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    d = county.dispute("dispute-01")  # neighbour dispute, 110 call, Desheng
    assert (d.type, d.origin) == (DisputeType.NEIGHBOUR, DisputeOrigin.CALL_110)
    r = route(d, county, routing, graph)
    assert r.route is R.STATIONED_MEDIATOR
    assert r.channel is MediationChannel.PEOPLES
    assert (r.handler_id, r.station_id) == ("zhanqianlu-sd-jo", "zhanqianlu-ps")
    assert r.link is PoliceMediationLink.EMBEDDED
    assert r.mediator_ids == ("p-judicial-office-cadre-001",)
    assert r.rule_ids == ("D4-simple-civil-from-police",)
    assert r.resolved
    assert r.reason is not None
    assert "警调对接" in r.reason.zh
    assert r.decision is not None
    assert r.decision.explanation is not None
    assert (
        "decided by rule D4-simple-civil-from-police" in r.decision.explanation.text()
    )


def test_a_neighbour_dispute_goes_to_the_grassroots_committee(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(new_dispute(), county, routing, graph)
    assert r.route is R.GRID_COMMITTEE
    assert r.handler_id == "lengshuipu-grassroots-mc"
    assert r.channel is MediationChannel.PEOPLES
    roles = {county.person(p).roles for p in r.mediator_ids}
    assert {role for rs in roles for role in rs} >= {
        "grid_worker",
        "community_police_officer",
        "peoples_mediator",
    }
    assert r.resolved


def test_without_a_grassroots_committee_the_community_committee_takes_it(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(county.dispute("dispute-08"), county, routing, graph)  # Qiaotou
    assert (r.route, r.handler_id) == (R.GRID_COMMITTEE, "qiaotou-mc")
    assert not r.resolved
    assert "no grassroots committee" in r.notes[0].en
    assert "基层调委会" in r.notes[0].zh


def test_escalation_risk_is_reported_to_the_police(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(county.dispute("dispute-27"), county, routing, graph)
    assert (r.route, r.channel, r.handler_id) == (
        R.POLICE,
        MediationChannel.PUBLIC_SECURITY,
        "sample-ps-04",
    )
    fresh = new_dispute(escalation_risk=True, type=DisputeType.MARRIAGE_FAMILY)
    r = route(fresh, county, routing, graph)
    assert (r.route, r.handler_id) == (R.POLICE, "sample-ps-01")
    assert r.mediator_ids == ("p-lengshuipu-cpo",)
    assert (
        r.assign_event(on=date(2020, 9, 1)).action is DisputeAction.ESCALATE_TO_POLICE
    )


def test_construction_cracks_go_to_housing_with_the_committee(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(county.dispute("lengshuipu-construction-cracks"), county, routing, graph)
    assert r.route is R.HOUSING_AND_COMMITTEE
    assert (r.handler_id, r.co_handler_ids) == (
        "lengshuipu-grassroots-mc",
        ("dept-housing",),
    )
    assert r.channel is MediationChannel.PEOPLES
    assert r.resolved
    assert (
        "handler: Lengshuipu grassroots mediation committee, with District housing and construction"
        in r.text()
    )
    assert "会同 岳阳楼区住建部门" in r.text("zh")


def test_a_tourist_dispute_near_the_scenic_area_goes_to_the_joint_team(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(county.dispute("dispute-13"), county, routing, graph)
    assert r.route is R.SCENIC_JOINT_TEAM
    assert r.team_id == "yueyanglou-scenic-patrol"
    assert r.handler_id == "yueyanglou-ps"
    assert r.co_handler_ids == ("yueyanglou-scenic-security", "bianhe-security")
    assert r.channel is MediationChannel.PUBLIC_SECURITY
    assert "景区联合巡防队" in r.text("zh")


# ---------------------------------------------------------------- handlers
def test_a_new_dispute_and_a_held_one_get_the_same_candidates(
    county: County, graph: nx.MultiDiGraph[str]
) -> None:
    for d in county.disputes:
        assert _from_county(d, county) == _from_graph(d, county, graph), d.id


def test_every_bundled_dispute_is_routed_to_an_existing_handler(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    for d in county.disputes:
        r = route(d, county, routing, graph)
        assert r.handler_id is not None, d.id
        county.organisation(r.handler_id)
        for person in r.mediator_ids:
            county.person(person)
        assert r.channel is r.route.channel


def test_the_decision_carries_out_as_a_history_step(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    d = county.dispute("dispute-10")  # discovered, neighbour, Xuepo
    r = route(d, county, routing, graph)
    history = DisputeHistory(initial=d)
    history = history.record(
        DisputeEvent(on=date(2020, 9, 1), action=DisputeAction.ACCEPT)
    )
    history = history.record(r.assign_event(on=date(2020, 9, 2)))
    assert history.state.status is DisputeStatus.MEDIATING
    assert (history.state.handler_id, history.state.channel) == (
        r.handler_id,
        r.channel,
    )


def test_no_stationed_office_falls_back_to_peoples_mediation(
    county: County, routing: Classifier
) -> None:
    offices = [
        attrs.evolve(j, stationed_in=()) if j.id == "zhanqianlu-sd-jo" else j
        for j in county.judicial_offices
    ]
    stations = [
        attrs.evolve(s, mediation_link=None) if s.id == "zhanqianlu-ps" else s
        for s in county.police_stations
    ]
    other = attrs.evolve(county, judicial_offices=offices, police_stations=stations)
    r = route(
        other.dispute("dispute-01"), other, routing, build_responsibility_graph(other)
    )
    assert r.route is R.STATIONED_MEDIATOR
    assert r.handler_id == "desheng-mc"
    assert r.link is None
    assert "no judicial office is stationed in zhanqianlu-ps" in r.notes[0].en


def test_no_joint_patrol_falls_back_to_the_station(
    county: County, routing: Classifier
) -> None:
    other = attrs.evolve(county, patrols=())
    r = route(
        other.dispute("dispute-13"), other, routing, build_responsibility_graph(other)
    )
    assert (r.route, r.handler_id, r.team_id) == (
        R.SCENIC_JOINT_TEAM,
        "yueyanglou-ps",
        None,
    )
    assert "no joint patrol covers yueyanglou-sd-c01" in r.notes[0].en


def test_without_any_committee_the_township_judicial_office_takes_it(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    r = route(county.dispute("dispute-25"), county, routing, graph)
    assert (r.route, r.handler_id) == (R.PEOPLES_COMMITTEE, "sample-sd-02-jo")
    assert r.mediator_ids == ("p-judicial-office-cadre-007",)
    assert "judicial office sample-sd-02-jo takes it" in r.notes[0].en
    assert r.rule_ids == ()
    assert r.reason is not None
    assert r.reason.en == "no rule matched; the default route"


# ---------------------------------------------------------------- bad input
def test_an_unknown_party_is_named(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    d = new_dispute(
        parties=[
            DisputeParty(party_id="p-cao", role=PartyRole.APPLICANT),
            DisputeParty(party_id="p-ca0", role=PartyRole.RESPONDENT),
        ]
    )
    with pytest.raises(ReferenceIntegrityError) as info:
        route(d, county, routing, graph)
    assert str(info.value) == (
        "parties[1].party_id: dispute 'new-1': party 'p-ca0' is not a person or "
        "organisation of county 'yueyanglou'; did you mean 'p-cao'?"
    )
    assert info.value.target_id == "p-ca0"


def test_an_unknown_community_is_named(
    county: County, routing: Classifier, graph: nx.MultiDiGraph[str]
) -> None:
    with pytest.raises(UnknownIdError, match="no community with id 'lengshuipo'"):
        route(
            new_dispute(community_id="lengshuipo", grid_id=None), county, routing, graph
        )


def test_a_ruleset_that_does_not_decide_routes_is_refused(
    county: County, graph: nx.MultiDiGraph[str]
) -> None:
    wrong = compile_ruleset(
        ruleset_from_data(
            {
                "ruleset": "wrong",
                "version": "1",
                "subject": "dispute",
                "output": {"name": "route", "values": ["police", "court"]},
                "default": "court",
                "rules": [{"id": "R1", "when": "escalation_risk", "then": "police"}],
            }
        )
    )
    with pytest.raises(RuleDefinitionError, match="unknown route\\(s\\) court"):
        route(county.dispute("dispute-01"), county, wrong, graph)


def test_a_decision_without_a_handler_cannot_be_carried_out() -> None:
    r = RoutingDecision(
        dispute_id="d",
        route=R.PEOPLES_COMMITTEE,
        channel=MediationChannel.PEOPLES,
        handler_id=None,
    )
    assert not r.resolved
    with pytest.raises(ValueError, match="no handler for route peoples_committee"):
        r.assign_event(on=date(2020, 9, 1))
    assert "handler: none" in r.text()


def test_a_township_committee_takes_what_its_communities_cannot(
    county: County, routing: Classifier
) -> None:
    township_mc = MediationCommittee(
        id="sample-sd-02-mc",
        name_zh="示例街道02人民调解委员会",
        township_id="sample-sd-02",
        member_ids=[
            "p-peoples-mediator-006",
            "p-peoples-mediator-007",
            "p-peoples-mediator-008",
        ],
        chair_id="p-peoples-mediator-006",
    )
    other = attrs.evolve(
        county, mediation_committees=[*county.mediation_committees, township_mc]
    )
    r = route(
        other.dispute("dispute-25"), other, routing, build_responsibility_graph(other)
    )
    assert (r.route, r.handler_id) == (R.PEOPLES_COMMITTEE, "sample-sd-02-mc")
    assert (
        r.notes[0].en
        == "sample-sd-02-c03 has no mediation committee; the township's takes it"
    )


def test_a_community_no_station_covers_is_reported_to_the_county_police(
    county: County, routing: Classifier
) -> None:
    stations = [
        attrs.evolve(
            s, jurisdiction=[c for c in s.jurisdiction if c != "sample-sd-02-c03"]
        )
        for s in county.police_stations
    ]
    other = attrs.evolve(county, police_stations=stations)
    d = new_dispute(community_id="sample-sd-02-c03", grid_id=None, escalation_risk=True)
    r = route(d, other, routing, build_responsibility_graph(other))
    assert (r.route, r.handler_id, r.station_id) == (
        R.POLICE,
        "dept-public-security",
        None,
    )
    assert "no police station covers sample-sd-02-c03" in r.notes[0].en
