"""Mediation committees, police–mediation links and the "群英断是非" deliberation."""

from __future__ import annotations

from datetime import date

import attrs
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import ModelError, ReferenceIntegrityError
from countypolicing.model import (
    CommitteeKind,
    County,
    MediationCommittee,
    Person,
    PersonRole,
    PoliceMediationLink,
    Sex,
)
from countypolicing.operations import (
    QUNYING_ELEMENTS,
    QunyingDeliberation,
    committee_problems,
    deliberation_problems,
    police_mediation_links,
    stationed_mediator_ids,
)


@pytest.fixture(scope="module")
def county() -> County:
    return yueyanglou()


def committee(**changes: object) -> MediationCommittee:
    base = MediationCommittee(
        id="lsp-gc",
        name_zh="冷水铺基层调委会",
        kind=CommitteeKind.GRASSROOTS,
        community_id="lengshuipu",
        township_id="sample-sd-01",
        member_ids=[
            "p-gw-lengshuipu-g01",
            "p-lengshuipu-cpo",
            "p-peoples-mediator-001",
        ],
        chair_id="p-peoples-mediator-001",
    )
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]  # test helper: any field


def messages(problems: tuple[ModelError, ...]) -> list[str]:
    return [p.message for p in problems]


# ---------------------------------------------------------------- art. 8
@pytest.mark.parametrize("n", [2, 10])
def test_a_committee_has_three_to_nine_members(n: int) -> None:
    with pytest.raises(ModelError, match=f"3 to 9 members .*art. 8\\), got {n}"):
        MediationCommittee(
            id="c",
            name_zh="调委会",
            member_ids=[f"m{i}" for i in range(n)],
            chair_id="m0",
        )


def test_every_bundled_committee_is_sound(county: County) -> None:
    for mc in county.mediation_committees:
        assert committee_problems(mc, county) == (), mc.id


def test_the_article_grassroots_committee_is_sound(county: County) -> None:
    assert committee_problems(committee(), county) == ()


def test_a_committee_without_women_is_refused(county: County) -> None:
    men = [p for p in county.people if p.sex is Sex.MALE][:3]
    c = committee(
        kind=CommitteeKind.COMMUNITY,
        member_ids=[p.id for p in men],
        chair_id=men[0].id,
        community_id=None,
        township_id=None,
    )
    assert messages(committee_problems(c, county)) == [
        "a mediation committee must include women members (People's Mediation Law art. 8)"
    ]


def test_members_whose_sex_is_unrecorded_leave_it_unconfirmed(county: County) -> None:
    # The community police officer's sex is not recorded; the other two are men.
    c = committee(
        member_ids=["p-lengshuipu-cpo", "p-peoples-mediator-001", "p-local-worthy-001"],
        chair_id="p-peoples-mediator-001",
    )
    found = messages(committee_problems(c, county))
    assert (
        "cannot confirm that women are among the members (People's Mediation Law "
        "art. 8): sex not recorded for p-lengshuipu-cpo"
    ) in found


def test_a_grassroots_committee_needs_the_article_trio(county: County) -> None:
    c = committee(
        member_ids=[
            "p-peoples-mediator-001",
            "p-party-member-001",
            "p-local-worthy-001",
        ]
    )
    assert messages(committee_problems(c, county)) == [
        (
            "a grassroots committee needs a grid worker, a community police officer and "
            "a people's mediator; missing grid worker, community police officer"
        )
    ]


def test_a_grassroots_committee_is_of_its_community(county: County) -> None:
    elsewhere = next(
        p
        for p in county.people
        if p.has_role(PersonRole.GRID_WORKER) and p.community_id == "desheng"
    )
    other_officer = next(
        p
        for p in county.people
        if p.has_role(PersonRole.COMMUNITY_POLICE_OFFICER)
        and p.org_id not in {None, "sample-ps-01"}
    )
    c = committee(
        member_ids=[
            elsewhere.id,
            other_officer.id,
            "p-peoples-mediator-001",
            "p-party-member-001",
        ]
    )
    found = messages(committee_problems(c, county))
    assert "its grid worker does not work in community 'lengshuipu'" in found
    assert (
        "its community police officer is not of 'sample-ps-01', the station "
        "covering 'lengshuipu'"
    ) in found
    assert messages(committee_problems(committee(community_id=None), county)) == [
        "a grassroots committee belongs to a community (community_id)"
    ]


def test_unknown_members_and_places_are_named(county: County) -> None:
    c = committee(
        member_ids=[
            "p-gw-lengshuipu-g01",
            "p-lengshuipu-cpo",
            "p-peoples-mediator-001",
            "p-nobody",
        ],
        township_id="zhanqianlu-sd",
    )
    problems = committee_problems(c, county)
    assert isinstance(problems[0], ReferenceIntegrityError)
    assert problems[0].target_id == "p-nobody"
    assert (
        "community 'lengshuipu' is in township 'sample-sd-01', not 'zhanqianlu-sd'"
        in messages(problems)
    )
    bad_places = committee(community_id="nowhere", township_id="no-township")
    assert messages(committee_problems(bad_places, county))[:2] == [
        "township 'no-township' is not in the county",
        "community 'nowhere' is not in the county",
    ]


# ---------------------------------------------------------------- 警调对接
def test_every_bundled_station_link_is_borne_out(county: County) -> None:
    links = police_mediation_links(county)
    assert len(links) == len(county.police_stations)
    assert all(link.ok for link in links)
    by_station = {link.station_id: link for link in links}
    assert by_station["zhanqianlu-ps"].link is PoliceMediationLink.EMBEDDED
    assert by_station["sample-ps-01"].liaison_ids == ("p-lengshuipu-cpo",)
    assert by_station["railway-ps"].link is None


def test_links_the_records_do_not_bear_out(county: County) -> None:
    stations = {s.id: s for s in county.police_stations}
    changed = {
        "zhanqianlu-ps": PoliceMediationLink.EMBEDDED,  # its office is unstationed below
        "sample-ps-02": PoliceMediationLink.JOINT,  # no committee in its jurisdiction
        "dongting-ps": PoliceMediationLink.LIAISON,  # no officer of its on a committee
        "sample-ps-03": None,  # an office is stationed, but no link recorded
    }
    offices = [
        attrs.evolve(j, stationed_in=()) if j.id == "zhanqianlu-sd-jo" else j
        for j in county.judicial_offices
    ]
    other = attrs.evolve(
        county,
        police_stations=[
            attrs.evolve(s, mediation_link=changed[s.id]) if s.id in changed else s
            for s in stations.values()
        ],
        judicial_offices=offices,
    )
    problems = {
        link.station_id: messages(link.problems)
        for link in police_mediation_links(other)
        if not link.ok
    }
    assert set(problems) == set(changed)
    assert (
        "embedded (进驻式) link needs a judicial office" in problems["zhanqianlu-ps"][0]
    )
    assert (
        "joint (一体式) link needs a mediation committee" in problems["sample-ps-02"][0]
    )
    assert (
        "liaison (引驻式) link needs one of the station's" in problems["dongting-ps"][0]
    )
    assert problems["sample-ps-03"] == [
        "sample-sd-03-jo stationed here, but the station records no mediation_link"
    ]


def test_stationed_mediators_are_the_offices_in_stations(county: County) -> None:
    ids = stationed_mediator_ids(county)
    assert len(ids) == 13
    assert "zhanqianlu-sd-jo" in ids
    assert list(ids) == sorted(ids)


# ---------------------------------------------------------------- 群英断是非
def deliberation(**changes: object) -> QunyingDeliberation:
    base = QunyingDeliberation(
        id="qy-1",
        community_id="lengshuipu",
        held_on=date(2020, 8, 20),
        issue="施工噪声与房屋裂缝",
        chaired_by="sample-sd-01-party",
        raised_by="p-gw-lengshuipu-g01",
        party_member_ids=["p-party-member-001"],
        local_worthy_ids=["p-local-worthy-001"],
        department_ids=["dept-housing", "sample-ps-01"],
        outcome="项目部调整作业时间并修缮受损房屋",
        residents_asked=20,
        residents_satisfied=19,
        dispute_id="lengshuipu-construction-cracks",
    )
    return attrs.evolve(base, **changes)  # type: ignore[arg-type]  # test helper: any field


def test_a_deliberation_records_the_six_elements(county: County) -> None:
    d = deliberation()
    assert d.satisfaction_rate == 0.95
    assert [zh for zh, _, _ in QUNYING_ELEMENTS] == [
        "支部挂帅",
        "格格点题",
        "党员牵头",
        "乡贤助力",
        "部门参与",
        "群众满意",
    ]
    assert d.elements_text("zh").splitlines() == [
        "支部挂帅：sample-sd-01-party",
        "格格点题：p-gw-lengshuipu-g01",
        "党员牵头：p-party-member-001",
        "乡贤助力：p-local-worthy-001",
        "部门参与：dept-housing, sample-ps-01",
        "群众满意：19/20",
    ]
    assert deliberation_problems(d, county) == ()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"party_member_ids": []}, "党员牵头 \\(party members lead\\)"),
        ({"local_worthy_ids": []}, "乡贤助力"),
        ({"department_ids": []}, "部门参与"),
        ({"chaired_by": " "}, "chaired_by must not be blank"),
        ({"outcome": ""}, "outcome must not be blank"),
        (
            {"residents_asked": 0, "residents_satisfied": 0},
            "群众满意: ask at least one",
        ),
        ({"residents_satisfied": 21}, "from 0 to residents_asked \\(20\\), got 21"),
        ({"party_member_ids": ["a", "a"]}, "distinct"),
        ({"local_worthy_ids": ["p-gw-lengshuipu-g01"]}, "two elements"),
        ({"dispute_id": ""}, "dispute_id must not be blank"),
    ],
)
def test_a_deliberation_missing_an_element_is_refused(
    changes: dict[str, object], message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        deliberation(**changes)


def test_a_deliberation_is_checked_against_the_county(county: County) -> None:
    d = deliberation(
        chaired_by="dept-housing",
        raised_by="p-resident-001",
        party_member_ids=["p-resident-002"],
        local_worthy_ids=["p-nobody"],
        department_ids=["dept-housing", "dept-nowhere"],
        dispute_id="dispute-01",
    )
    assert messages(deliberation_problems(d, county)) == [
        (
            "'dept-housing' is not the party branch of 'lengshuipu' or the party "
            "committee of its township 'sample-sd-01'"
        ),
        "'p-resident-001' is not recorded as a grid worker (网格员)",
        "'p-resident-002' is not recorded as a party member (党员)",
        "person 'p-nobody' is not in the county",
        "organisation 'dept-nowhere' is not in the county",
        "dispute 'dispute-01' arose in 'desheng', not 'lengshuipu'",
    ]


def test_a_deliberation_elsewhere_or_too_early_is_reported(county: County) -> None:
    desheng_worker: Person = next(
        p
        for p in county.people
        if p.has_role(PersonRole.GRID_WORKER) and p.community_id == "desheng"
    )
    found = messages(
        deliberation_problems(
            deliberation(raised_by=desheng_worker.id, held_on=date(2020, 8, 1)), county
        )
    )
    assert found == [
        f"grid worker {desheng_worker.id!r} does not work in 'lengshuipu'",
        (
            "held on 2020-08-01, before dispute 'lengshuipu-construction-cracks' was "
            "reported (2020-08-13)"
        ),
    ]
    assert messages(deliberation_problems(deliberation(community_id="x"), county)) == [
        "community 'x' is not in the county"
    ]
    assert messages(
        deliberation_problems(
            deliberation(chaired_by="no-branch", dispute_id="no-d"), county
        )
    ) == [
        "organisation 'no-branch' is not in the county",
        "dispute 'no-d' is not in the county",
    ]
