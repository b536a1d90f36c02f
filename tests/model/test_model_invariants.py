"""Example-based tests of the model's invariants, messages, vocabularies and errors."""

from __future__ import annotations

import enum
import itertools
import pickle
from collections.abc import Callable
from datetime import UTC, date, datetime, timedelta
from typing import Any

import pytest

import countypolicing.model as m
from countypolicing.exceptions import (
    IntegrityError,
    ModelError,
    ReferenceIntegrityError,
    TransitionError,
    UnknownIdError,
)

D = date(2020, 8, 1)
AT = datetime(2020, 8, 1, 9, tzinfo=UTC)
PARTIES = [
    m.DisputeParty(party_id="cao", role=m.PartyRole.APPLICANT),
    m.DisputeParty(party_id="proj", role=m.PartyRole.RESPONDENT),
]


def _dispute(**changes: Any) -> m.Dispute:
    fields: dict[str, Any] = {
        "id": "d1",
        "type": m.DisputeType.NEIGHBOUR,
        "community_id": "desheng",
        "origin": m.DisputeOrigin.CALL_110,
        "summary": "噪音纠纷",
        "parties": PARTIES,
        "reported_on": D,
    }
    fields.update(changes)
    return m.Dispute(**fields)


def _task(**changes: Any) -> m.Task:
    fields: dict[str, Any] = {
        "id": "t1",
        "key_item_id": "k1",
        "title_zh": "制定方案",
        "lead_owner_id": "bureau",
        "deadline": D,
    }
    fields.update(changes)
    return m.Task(**fields)


def _risk_point(**changes: Any) -> m.RiskPoint:
    fields: dict[str, Any] = {
        "id": "rp1",
        "name_zh": "铁路沿线",
        "community_id": "desheng",
        "theme": "railway",
        "subject_kind": m.RiskSubjectKind.PLACE,
        "domain": m.RiskDomain.PUBLIC_ORDER,
        "likelihood": 3,
        "severity": 4,
        "identified_on": D,
    }
    fields.update(changes)
    return m.RiskPoint(**fields)


def _entry(seq: int, action: m.TaskAction, **changes: Any) -> m.LedgerEntry:
    fields: dict[str, Any] = {
        "seq": seq,
        "at": AT,
        "task_id": "t1",
        "actor_id": "bureau",
        "action": action,
    }
    fields.update(changes)
    return m.LedgerEntry(**fields)


# ------------------------------------------------------------ record invariants
#: (factory, field at fault, record id reported, words the message must contain)
INVALID_RECORDS: dict[str, tuple[Callable[[], object], str | None, str | None, str]] = {
    "an id with a space": (
        lambda: m.Township(id="dong mao", name_zh="东茅岭", kind=m.TownshipKind.TOWN),
        "id",
        "dong mao",
        "'dong mao' is not a valid id",
    ),
    "an id with a colon": (
        lambda: m.Grid(id="g:1", name_zh="网格", community_id="c1"),
        "id",
        "g:1",
        "is not a valid id",
    ),
    "an id of 65 characters": (
        lambda: m.Entity(id="e" * 65, name_zh="企业", kind=m.EntityKind.OTHER),
        "id",
        "e" * 65,
        "1-64 ASCII letters",
    ),
    "a reference that is not an id": (
        lambda: m.Community(
            id="c1",
            name_zh="社区",
            township_id="",
            kind=m.CommunityKind.URBAN,
            population=1,
            households=1,
        ),
        "township_id",
        "c1",
        "township_id '' is not a valid id",
    ),
    "a blank name": (
        lambda: m.Township(id="t1", name_zh=" \u3000", kind=m.TownshipKind.TOWN),
        "name_zh",
        "t1",
        "name_zh must not be empty",
    ),
    "a blank optional text": (
        lambda: m.Township(id="t1", name_zh="镇", name_en="", kind=m.TownshipKind.TOWN),
        "name_en",
        "t1",
        "omit it instead",
    ),
    "a validity that ends before it starts": (
        lambda: m.Township(
            id="t1",
            name_zh="镇",
            kind=m.TownshipKind.TOWN,
            valid_from=date(2020, 1, 2),
            valid_to=date(2020, 1, 1),
        ),
        "valid_to",
        "t1",
        "valid_to (2020-01-01) is before valid_from (2020-01-02)",
    ),
    "a negative population": (
        lambda: m.Community(
            id="c1",
            name_zh="社区",
            township_id="t1",
            kind=m.CommunityKind.URBAN,
            population=-1,
            households=0,
        ),
        "population",
        "c1",
        "population must be a finite number >= 0, got -1",
    ),
    "a rate that is not finite": (
        lambda: m.CommunityIndicators(
            community_id="c1", as_of=D, calls_per_1000=float("inf")
        ),
        "calls_per_1000",
        None,
        "got inf",
    ),
    "a township government without its township": (
        lambda: m.Government(
            id="g1",
            name_zh="镇政府",
            kind=m.GovernmentKind.TOWNSHIP_GOVERNMENT,
            level=m.AdminLevel.TOWNSHIP,
        ),
        "admin_unit_id",
        "g1",
        "a township government needs admin_unit_id",
    ),
    "a jurisdiction listing a community twice": (
        lambda: m.PoliceStation(id="s1", name_zh="派出所", jurisdiction=["c1", "c1"]),
        "jurisdiction",
        "s1",
        "jurisdiction lists 'c1' twice",
    ),
    "a committee of two": (
        lambda: m.MediationCommittee(
            id="mc", name_zh="调委会", member_ids=["a", "b"], chair_id="a"
        ),
        "member_ids",
        "mc",
        "3 to 9 members (People's Mediation Law art. 8), got 2",
    ),
    "a committee of ten": (
        lambda: m.MediationCommittee(
            id="mc",
            name_zh="调委会",
            member_ids=[f"p{i}" for i in range(10)],
            chair_id="p0",
        ),
        "member_ids",
        "mc",
        "got 10",
    ),
    "a chair who is not a member": (
        lambda: m.MediationCommittee(
            id="mc", name_zh="调委会", member_ids=["a", "b", "c"], chair_id="z"
        ),
        "chair_id",
        "mc",
        "chair 'z' is not a member",
    ),
    "a person without a role": (
        lambda: m.Person(id="p1", display_name="曹某", roles=[]),
        "roles",
        "p1",
        "at least one role",
    ),
    "a listed rental without a pledge": (
        lambda: m.RentalHouse(
            id="r1",
            address="德胜路1号",
            community_id="c1",
            landlord_id="p1",
            plaque_status=m.PlaqueStatus.LISTED,
        ),
        "pledge",
        "r1",
        "needs a signed security pledge",
    ),
    "a rental of zero units": (
        lambda: m.RentalHouse(
            id="r1", address="德胜路1号", community_id="c1", landlord_id="p1", units=0
        ),
        "units",
        "r1",
        "units must be a finite number > 0, got 0",
    ),
    "a tenant moving out before moving in": (
        lambda: m.Tenancy(
            tenant_id="p2", moved_in=date(2020, 2, 1), moved_out=date(2020, 1, 1)
        ),
        "moved_out",
        "p2",
        "moved_out (2020-01-01) is before moved_in (2020-02-01)",
    ),
    "a theme with no department": (
        lambda: m.ThemeSupervision(theme="railway", department_ids=[]),
        "department_ids",
        "railway",
        "at least one supervising department",
    ),
    "a theme led by an outsider": (
        lambda: m.ThemeSupervision(
            theme="railway", department_ids=["d1"], lead_id="d2"
        ),
        "lead_id",
        "railway",
        "lead 'd2' is not one of the theme's departments",
    ),
    "a graded risk point without a level": (
        lambda: _risk_point(status=m.RiskPointStatus.GRADED),
        "level",
        "rp1",
        "a graded risk point needs a level",
    ),
    "a likelihood of 6": (
        lambda: _risk_point(likelihood=6),
        "likelihood",
        "rp1",
        "likelihood must be between 1 and 5, got 6",
    ),
    "a risk point graded before it was identified": (
        lambda: _risk_point(
            status=m.RiskPointStatus.GRADED,
            level=m.RiskLevel.LOW,
            graded_on=D - timedelta(1),
        ),
        "graded_on",
        "rp1",
        "graded_on (2020-07-31) is before identified_on (2020-08-01)",
    ),
    "a hazard due before it was found": (
        lambda: m.Hazard(
            id="h1",
            risk_point_id="rp1",
            description="护栏破损",
            found_on=D,
            rectify_by=D - timedelta(1),
            owner_id="rail",
        ),
        "rectify_by",
        "h1",
        "rectify_by (2020-07-31) is before found_on",
    ),
    "a dispute with one party": (
        lambda: _dispute(parties=PARTIES[:1]),
        "parties",
        "d1",
        "at least two parties",
    ),
    "a dispute listing a party twice": (
        lambda: _dispute(parties=[PARTIES[0], PARTIES[0]]),
        "parties",
        "d1",
        "a party is listed twice",
    ),
    "an agreed dispute without its agreement": (
        lambda: _dispute(status=m.DisputeStatus.AGREED),
        "agreement",
        "d1",
        "a agreed dispute needs its agreement",
    ),
    "a dispute accepted before it was reported": (
        lambda: _dispute(accepted_on=D - timedelta(1)),
        "accepted_on",
        "d1",
        "accepted_on (2020-07-31) is before reported_on (2020-08-01)",
    ),
    "an oral agreement nobody recorded": (
        lambda: m.MediationAgreement(
            form=m.AgreementForm.ORAL, reached_on=D, content="口头协议"
        ),
        "recorded_by",
        None,
        "art. 28",
    ),
    "an agreement signed before it was reached": (
        lambda: m.MediationAgreement(
            form=m.AgreementForm.WRITTEN,
            reached_on=D,
            content="协议",
            signed_on=D - timedelta(1),
        ),
        "signed_on",
        None,
        "signed_on (2020-07-31) is before reached_on",
    ),
    "a decided confirmation without its date": (
        lambda: m.JudicialConfirmation(
            applied_on=D,
            applicant_ids=["cao", "proj"],
            court="法院",
            result=m.ConfirmationResult.VALID,
        ),
        "decided_on",
        None,
        "a decided confirmation needs decided_on",
    ),
    "a lead owner who is also a co-owner": (
        lambda: _task(co_owner_ids=["housing", "bureau"]),
        "co_owner_ids",
        "t1",
        "the lead owner is also listed as a co-owner",
    ),
    "a deadline before the start": (
        lambda: _task(start=D + timedelta(1)),
        "deadline",
        "t1",
        "deadline (2020-08-01) is before start (2020-08-02)",
    ),
    "a ledger entry numbered 0": (
        lambda: _entry(0, m.TaskAction.ASSIGN),
        "seq",
        None,
        "seq counts from 1",
    ),
    "a ledger entry with a naive time": (
        lambda: _entry(1, m.TaskAction.ASSIGN, at=datetime(2020, 8, 1, 9)),  # noqa: DTZ001  # the point of the test
        "at",
        None,
        "must carry a UTC offset (got naive 2020-08-01T09:00:00)",
    ),
    "a supervise entry without a level": (
        lambda: _entry(1, m.TaskAction.SUPERVISE),
        "supervision",
        None,
        "supervision is given exactly for supervise entries",
    ),
    "a note entry with a level": (
        lambda: _entry(1, m.TaskAction.NOTE, supervision=m.SupervisionLevel.RED),
        "supervision",
        None,
        "exactly for supervise entries",
    ),
    "a plan ending before it starts": (
        lambda: m.WorkPlan(
            id="p1", title_zh="方案", owner_id="o", start=D, end=D - timedelta(1)
        ),
        "end",
        "p1",
        "end (2020-07-31) is before start",
    ),
    "a campaign ending before it starts": (
        lambda: m.Campaign(id="c1", name_zh="大起底", start=D, end=D - timedelta(1)),
        "end",
        "c1",
        "is before start",
    ),
    "a metric that is not a number": (
        lambda: m.OutcomeMetric(id="m1", name_zh="抓获", value=float("nan"), unit="人"),
        "value",
        "m1",
        "value must be finite, got nan",
    ),
    "a metric period ending before it starts": (
        lambda: m.OutcomeMetric(
            id="m1",
            name_zh="抓获",
            value=700,
            unit="人",
            period_start=D,
            period_end=D - timedelta(1),
        ),
        "period_end",
        "m1",
        "period_end (2020-07-31) is before period_start",
    ),
    "a patrol of 25 hours a day": (
        lambda: m.PatrolSchedule(hours_per_day=25),
        "hours_per_day",
        None,
        "hours_per_day must be between 1 and 24, got 25",
    ),
    "a document without an issuer": (
        lambda: m.PolicyDocument(
            id="doc",
            title_zh="实施办法",
            kind=m.PolicyDocumentKind.NOTICE,
            issuer_ids=[],
        ),
        "issuer_ids",
        "doc",
        "needs an issuer",
    ),
    "a seizure of minus one knife": (
        lambda: m.SeizedItem(item=m.ControlledItem.KNIFE, count=-1),
        "count",
        None,
        "count must be a finite number >= 0, got -1",
    ),
}


@pytest.mark.parametrize("case", list(INVALID_RECORDS))
def test_an_invalid_record_is_refused_with_its_field_and_id(case: str) -> None:
    factory, field, record_id, words = INVALID_RECORDS[case]
    with pytest.raises(ModelError) as caught:
        factory()
    err = caught.value
    assert isinstance(err, ValueError)
    assert err.field == field
    assert err.record_id == record_id
    assert words in str(err)


def test_a_lone_string_is_not_split_into_ids() -> None:
    with pytest.raises(ModelError, match="expected a list of strings, got the string"):
        m.PoliceStation(id="s1", name_zh="派出所", jurisdiction="desheng")


def test_collections_are_stored_as_tuples_and_frozensets() -> None:
    station = m.PoliceStation(id="s1", name_zh="派出所", jurisdiction=["c1", "c2"])
    person = m.Person(
        id="p1",
        display_name="曹某",
        roles=[m.PersonRole.RESIDENT, m.PersonRole.LANDLORD],
    )
    assert station.jurisdiction == ("c1", "c2")
    assert person.roles == frozenset({m.PersonRole.RESIDENT, m.PersonRole.LANDLORD})
    assert isinstance(_dispute().parties, tuple)


# --------------------------------------------------------------------- lifecycles
def test_a_refused_dispute_cannot_be_assigned() -> None:
    refused = _dispute().accept(on=D).refuse(on=D, by="proj")
    with pytest.raises(TransitionError) as caught:
        refused.assign(on=D, channel=m.MediationChannel.PEOPLES, handler_id="x")
    err = caught.value
    assert str(err) == (
        "dispute 'd1': cannot assign from refused (allowed from accepted, reopened)"
    )
    assert (err.state, err.action, err.record_id) == ("refused", "assign", "d1")


def test_a_closed_task_records_nothing_more() -> None:
    task = _task()
    for action in (
        m.TaskAction.ASSIGN,
        m.TaskAction.START,
        m.TaskAction.SUBMIT,
        m.TaskAction.VERIFY,
        m.TaskAction.CLOSE_OUT,
    ):
        task = task.apply(action, on=D)
    for action in m.TaskAction:
        with pytest.raises(TransitionError) as caught:
            task.apply(action, on=D)
        assert caught.value.state == m.TaskStatus.CLOSED
        assert caught.value.record_id == "t1"


def test_a_task_names_the_states_an_action_is_allowed_from() -> None:
    with pytest.raises(
        TransitionError,
        match=r"task 't1': cannot verify from planned \(allowed from submitted\)",
    ):
        _task().apply(m.TaskAction.VERIFY, on=D)


def test_a_risk_point_is_controlled_only_with_all_three_responsibilities() -> None:
    graded = _risk_point().grade(m.RiskLevel.MAJOR, on=D)
    with pytest.raises(TransitionError, match="principal, supervisory responsibility"):
        graded.control(on=D, parties=m.ResponsibleParties(territorial=["gov"]))
    controlled = graded.control(
        on=D,
        parties=m.ResponsibleParties(
            territorial=["gov"], principal=["rail"], supervisory=["dept"]
        ),
    )
    assert controlled.status is m.RiskPointStatus.CONTROLLED


def test_a_hazard_cannot_be_verified_before_rectification_starts() -> None:
    hazard = m.Hazard(
        id="h1",
        risk_point_id="rp1",
        description="护栏破损",
        found_on=D,
        rectify_by=D,
        owner_id="rail",
    )
    with pytest.raises(
        TransitionError, match=r"hazard 'h1': cannot verify from found \(allowed from"
    ):
        hazard.verify(on=D)
    closed = hazard.start_rectification().verify(on=D).close(on=D)
    assert closed.status is m.HazardStatus.CLOSED


def test_replaying_a_ledger_for_another_task_is_refused() -> None:
    with pytest.raises(ModelError, match="ledger entry 1 is for task 't2', not 't1'"):
        m.replay_task(_task(), [_entry(1, m.TaskAction.ASSIGN, task_id="t2")])


# ----------------------------------------------------------------- vocabularies
def _labelled_enums() -> list[type[m.LabelledEnum]]:
    return [
        obj
        for name in m.__all__
        if isinstance(obj := getattr(m, name), enum.EnumMeta)
        and issubclass(obj, m.LabelledEnum)
        and obj not in {m.LabelledEnum, m.RankedEnum}
    ]


def _ranked_enums() -> list[type[m.RankedEnum]]:
    return [e for e in _labelled_enums() if issubclass(e, m.RankedEnum)]


def _member_params() -> list[Any]:
    params: list[Any] = []
    for cls in _labelled_enums():
        params.extend(
            pytest.param(member, id=f"{cls.__name__}.{member.name}") for member in cls
        )
    return params


def test_the_model_exports_its_vocabularies() -> None:
    assert len(_labelled_enums()) >= 40
    assert m.RiskLevel in _ranked_enums()


@pytest.mark.parametrize("member", _member_params())
def test_every_vocabulary_member_has_a_chinese_label(member: m.LabelledEnum) -> None:
    assert isinstance(member.label_zh, str)
    assert member.label_zh.strip()
    assert member.label("zh") == member.label_zh
    assert member.label_en


@pytest.mark.parametrize("cls", _labelled_enums(), ids=lambda c: c.__name__)
def test_label_tables_name_exactly_the_members(cls: type[m.LabelledEnum]) -> None:
    assert set(cls.__zh__) == {str(member) for member in cls}


@pytest.mark.parametrize("cls", _ranked_enums(), ids=lambda c: c.__name__)
def test_every_ranked_member_has_a_distinct_rank(cls: type[m.RankedEnum]) -> None:
    assert set(cls.__rank__) == {str(member) for member in cls}
    ranks = [member.rank for member in cls]
    assert len(set(ranks)) == len(ranks)
    assert ranks == sorted(ranks), "members are declared from least to most severe"


@pytest.mark.parametrize("cls", _ranked_enums(), ids=lambda c: c.__name__)
def test_ranked_members_compare_by_rank_not_text(cls: type[m.RankedEnum]) -> None:
    for a, b in itertools.product(cls, repeat=2):
        assert (a < b) is (a.rank < b.rank)
        assert (a <= b) is (a.rank <= b.rank)
        assert (a > b) is (a.rank > b.rank)
        assert (a >= b) is (a.rank >= b.rank)
    assert sorted(cls, key=str) != sorted(cls) or len(cls) < 3
    assert max(cls) is max(cls, key=lambda member: member.rank)


def test_text_order_would_get_risk_levels_wrong() -> None:
    assert m.RiskLevel.LOW < m.RiskLevel.GENERAL
    assert str(m.RiskLevel.LOW) > str(m.RiskLevel.GENERAL)
    assert m.SupervisionLevel.RED > m.SupervisionLevel.YELLOW > m.SupervisionLevel.NONE
    assert m.CountyRiskClass.CLASS_1 > m.CountyRiskClass.CLASS_3


def test_ranks_of_different_scales_do_not_compare() -> None:
    with pytest.raises(TypeError):
        _ = m.RiskLevel.LOW < m.RiskColor.RED


def test_a_ranked_member_does_not_compare_with_plain_text() -> None:
    with pytest.raises(TypeError):
        _ = m.RiskLevel.LOW < "general"


# ---------------------------------------------------------------- the County
def _valid_county_records() -> dict[str, Any]:
    return {
        "townships": [
            m.Township(id="t1", name_zh="站前路街道", kind=m.TownshipKind.SUB_DISTRICT)
        ],
        "communities": [
            m.Community(
                id="desheng",
                name_zh="德胜社区",
                township_id="t1",
                kind=m.CommunityKind.URBAN,
                population=8000,
                households=2900,
            )
        ],
        "grids": [m.Grid(id="g1", name_zh="一网格", community_id="desheng")],
        "departments": [
            m.Department(
                id="bureau", name_zh="分局", kind=m.DepartmentKind.PUBLIC_SECURITY
            )
        ],
        "people": [
            m.Person(id="cao", display_name="曹某", roles=[m.PersonRole.RESIDENT]),
            m.Person(id="proj", display_name="项目部", roles=[m.PersonRole.RESIDENT]),
        ],
    }


def _problems(group: BaseExceptionGroup[Any]) -> list[ModelError]:
    """The group's errors, flat (an IntegrityError does not nest groups)."""
    out: list[ModelError] = []
    for err in group.exceptions:
        assert isinstance(err, ModelError)
        out.append(err)
    return out


def _county(**changes: Any) -> m.County:
    records = _valid_county_records()
    records.update(changes)
    return m.County(id="yyl", name_zh="岳阳楼区", **records)


def test_a_consistent_county_is_accepted_and_indexed() -> None:
    county = _county(disputes=[_dispute()])
    assert county.community("desheng").name_zh == "德胜社区"
    assert county.party("cao").id == "cao"
    assert county.dispute("d1").community_id == "desheng"


def test_a_county_reports_every_integrity_problem_at_once() -> None:
    records = _valid_county_records()
    with pytest.raises(IntegrityError) as caught:
        m.County(
            id="yyl",
            name_zh="岳阳楼区",
            townships=[
                *records["townships"],
                m.Township(id="t1", name_zh="重复", kind=m.TownshipKind.TOWN),
            ],
            communities=[
                *records["communities"],
                m.Community(
                    id="qiaotou",
                    name_zh="桥头社区",
                    township_id="t2",
                    kind=m.CommunityKind.URBAN,
                    population=1,
                    households=1,
                ),
            ],
            grids=records["grids"],
            departments=records["departments"],
            people=records["people"],
            disputes=[
                _dispute(community_id="deshen"),
                _dispute(id="d2", grid_id="g1", community_id="qiaotou"),
            ],
            tasks=[_task(key_item_id="nowhere", lead_owner_id="bureau")],
            rentals=[
                m.RentalHouse(
                    id="r1",
                    address="德胜路1号",
                    community_id="desheng",
                    landlord_id="cao",
                )
            ],
            ledger=[_entry(1, m.TaskAction.ASSIGN), _entry(3, m.TaskAction.START)],
        )
    group = caught.value
    assert isinstance(group, ValueError)
    by_path = {err.path: err for err in _problems(group)}
    expected = {
        ("townships", 1, "id"): ("t1", "id 't1' is already used in townships"),
        ("communities", 1, "township_id"): ("qiaotou", "unknown township 't2'"),
        ("disputes", 0, "community_id"): (
            "d1",
            "unknown community 'deshen'; did you mean 'desheng'?",
        ),
        ("disputes", 1, "grid_id"): ("d2", "grid 'g1' is not in community 'qiaotou'"),
        ("tasks", 0, "key_item_id"): ("t1", "unknown key work item 'nowhere'"),
        ("tasks", 0, "status"): ("t1", "disagrees with its ledger"),
        ("rentals", 0, "landlord_id"): ("r1", "'cao' is not recorded as a landlord"),
        ("ledger", 1, "seq"): ("3", "ledger sequence jumps from 1 to 3"),
    }
    for path, (record_id, words) in expected.items():
        assert path in by_path, f"{path} not reported; got {sorted(by_path, key=str)}"
        err = by_path[path]
        assert err.record_id == record_id
        assert err.field == path[-1]
        assert words in err.message
        assert str(err).startswith(f"{path[0]}[{path[1]}].{path[2]}: "), str(err)
    assert f"({len(group.exceptions)} problems)" in str(group)
    assert isinstance(by_path[("disputes", 0, "community_id")], ReferenceIntegrityError)
    ref = by_path[("disputes", 0, "community_id")]
    assert isinstance(ref, ReferenceIntegrityError)
    assert ref.target_id == "deshen"


def test_integrity_problems_can_be_split_by_kind() -> None:
    parts: dict[str, BaseExceptionGroup[Any]] = {}
    try:
        _county(
            disputes=[_dispute(community_id="nowhere")],
            people=[
                m.Person(id="cao", display_name="曹某", roles=[m.PersonRole.LANDLORD]),
                m.Person(
                    id="a",
                    display_name="甲",
                    roles=[m.PersonRole.RESIDENT],
                    sex=m.Sex.MALE,
                ),
                m.Person(
                    id="b",
                    display_name="乙",
                    roles=[m.PersonRole.RESIDENT],
                    sex=m.Sex.MALE,
                ),
                m.Person(
                    id="c",
                    display_name="丙",
                    roles=[m.PersonRole.RESIDENT],
                    sex=m.Sex.MALE,
                ),
            ],
            mediation_committees=[
                m.MediationCommittee(
                    id="mc", name_zh="调委会", member_ids=["a", "b", "c"], chair_id="a"
                )
            ],
        )
    except* ReferenceIntegrityError as refs:
        parts["dangling"] = refs
    except* ModelError as others:
        parts["rules"] = others
    assert all(isinstance(part, IntegrityError) for part in parts.values())
    dangling, rules = _problems(parts["dangling"]), _problems(parts["rules"])
    assert [e.path for e in dangling] == [
        ("disputes", 0, "community_id"),
        ("disputes", 0, "parties", 1, "party_id"),
    ]
    assert [e.path for e in rules] == [("mediation_committees", 0, "member_ids")]
    assert "women members" in str(rules[0])


def test_a_community_in_two_local_jurisdictions_is_refused() -> None:
    with pytest.raises(IntegrityError) as caught:
        _county(
            police_stations=[
                m.PoliceStation(id="s1", name_zh="甲所", jurisdiction=["desheng"]),
                m.PoliceStation(id="s2", name_zh="乙所", jurisdiction=["desheng"]),
            ]
        )
    (err,) = _problems(caught.value)
    assert err.path == ("police_stations", 1, "jurisdiction")
    assert "both 's1' and 's2'" in err.message


def test_a_ledger_dated_back_in_time_is_refused() -> None:
    earlier = AT - timedelta(seconds=1)
    with pytest.raises(IntegrityError) as caught:
        _county(
            work_plans=[
                m.WorkPlan(id="p", title_zh="方案", owner_id="bureau", start=D, end=D)
            ],
            key_items=[
                m.KeyWorkItem(
                    id="k1",
                    plan_id="p",
                    number=1,
                    title_zh="重点",
                    lead_owner_id="bureau",
                )
            ],
            tasks=[_task(status=m.TaskStatus.IN_PROGRESS)],
            ledger=[
                _entry(1, m.TaskAction.ASSIGN),
                _entry(2, m.TaskAction.START, at=earlier),
            ],
        )
    paths = [e.path for e in _problems(caught.value)]
    assert paths == [("ledger", 1, "at")]


def test_a_person_may_not_reuse_an_organisation_id() -> None:
    with pytest.raises(IntegrityError) as caught:
        _county(
            people=[
                m.Person(id="bureau", display_name="重名", roles=[m.PersonRole.LEADER])
            ],
        )
    (err,) = _problems(caught.value)
    assert err.path == ("people", 0, "id")
    assert "already used in departments" in err.message


def test_a_ledger_must_start_at_sequence_number_one() -> None:
    with pytest.raises(IntegrityError):
        _county(
            work_plans=[
                m.WorkPlan(id="p", title_zh="方案", owner_id="bureau", start=D, end=D)
            ],
            key_items=[
                m.KeyWorkItem(
                    id="k1",
                    plan_id="p",
                    number=1,
                    title_zh="重点",
                    lead_owner_id="bureau",
                )
            ],
            tasks=[_task(status=m.TaskStatus.ASSIGNED)],
            ledger=[_entry(7, m.TaskAction.ASSIGN)],
        )


def test_an_unknown_id_suggests_the_closest_one() -> None:
    county = _county()
    with pytest.raises(UnknownIdError) as caught:
        county.community("deshen")
    err = caught.value
    assert isinstance(err, KeyError)
    assert (err.kind, err.id, err.suggestion) == ("community", "deshen", "desheng")
    assert str(err) == "no community with id 'deshen'; did you mean 'desheng'?"
    with pytest.raises(UnknownIdError) as far:
        county.person("zzzzzz")
    assert far.value.suggestion is None
    assert str(far.value) == "no person with id 'zzzzzz'"


# ------------------------------------------------------------------ pickling
ERRORS: dict[str, Exception] = {
    "ModelError": ModelError(
        "population must be >= 0", field="population", record_id="c1", path=("x", 1)
    ),
    "TransitionError": TransitionError(
        "cannot close", state="agreed", action="close", record_id="d1", path=("d", 0)
    ),
    "ReferenceIntegrityError": ReferenceIntegrityError(
        "unknown community", target_id="deshen", field="community_id", record_id="d1"
    ),
    "UnknownIdError": UnknownIdError("community", "deshen", suggestion="desheng"),
    "IntegrityError": IntegrityError(
        "county 'yyl' has inconsistent records",
        [
            ModelError("m", field="f", record_id="r", path=("a", 0, "f")),
            ReferenceIntegrityError("r", target_id="t", path=("b", 1, "g")),
        ],
    ),
}


@pytest.mark.parametrize("name", list(ERRORS))
def test_errors_keep_their_attributes_through_pickle(name: str) -> None:
    err = ERRORS[name]
    back = pickle.loads(pickle.dumps(err))  # noqa: S301  # our own bytes
    assert type(back) is type(err)
    assert str(back) == str(err)
    attributes = (
        "message",
        "field",
        "record_id",
        "path",
        "state",
        "action",
        "target_id",
        "kind",
        "id",
        "suggestion",
    )
    for attribute in attributes:
        assert getattr(back, attribute, None) == getattr(err, attribute, None)
    if isinstance(err, IntegrityError):
        assert isinstance(back, IntegrityError)
        assert [str(e) for e in back.exceptions] == [str(e) for e in err.exceptions]
        assert [e.path for e in _problems(back)] == [e.path for e in _problems(err)]


def test_a_located_copy_keeps_its_kind() -> None:
    err = TransitionError(
        "cannot close", state="agreed", action="close", record_id="d1"
    )
    located = err.at("disputes", 3)
    assert type(located) is TransitionError
    assert located.path == ("disputes", 3)
    assert (located.state, located.action) == ("agreed", "close")
    assert str(located) == "disputes[3]: cannot close"


def test_a_county_survives_pickle_with_its_indexes() -> None:
    county = _county(disputes=[_dispute()])
    back = pickle.loads(pickle.dumps(county))  # noqa: S301  # our own bytes
    assert back == county
    assert back.dispute("d1") == county.dispute("d1")
    assert back.community("desheng").name_zh == "德胜社区"


# ------------------------------------------------------------- reported bugs
def test_a_closed_dispute_refuses_a_late_confirmation_result() -> None:
    agreement = m.MediationAgreement(
        form=m.AgreementForm.ORAL, reached_on=D, content="协议", recorded_by="m1"
    )
    closed = (
        _dispute()
        .accept(on=D)
        .assign(on=D, channel=m.MediationChannel.PEOPLES, handler_id="mc")
        .agree(agreement)
        .apply_for_confirmation(
            m.JudicialConfirmation(
                applied_on=D, applicant_ids=["cao", "proj"], court="法院"
            )
        )
        .perform(on=D)
        .follow_up(m.FollowUp(on=D, performed=True))
        .close(on=D)
    )
    with pytest.raises(TransitionError):
        closed.record_confirmation_result(m.ConfirmationResult.VALID, on=D)


def test_confirmation_works_for_agreements_at_the_end_of_the_calendar() -> None:
    last = date(9999, 12, 10)
    agreed = (
        _dispute(reported_on=last)
        .accept(on=last)
        .assign(on=last, channel=m.MediationChannel.PEOPLES, handler_id="mc")
        .agree(
            m.MediationAgreement(
                form=m.AgreementForm.ORAL,
                reached_on=last,
                content="协议",
                recorded_by="m1",
            )
        )
    )
    confirmation = m.JudicialConfirmation(
        applied_on=last + timedelta(1), applicant_ids=["cao", "proj"], court="法院"
    )
    assert agreed.apply_for_confirmation(confirmation).confirmation == confirmation
