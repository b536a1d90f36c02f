"""Round trips (RELIABILITY B.21) and immutability of loaded objects (B.22)."""

from __future__ import annotations

import json
import tempfile
from collections.abc import Iterator
from datetime import date, datetime, timedelta, timezone
from itertools import pairwise
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import Phase, given, settings
from hypothesis import strategies as st

import countypolicing.model as m
from countypolicing.serialization import (
    county_from_text,
    county_to_text,
    load_county,
    make_converter,
    save_county,
)
from countypolicing.testing import strategies as cps

#: A strategy for every record and value type the model exports (County apart).
RECORDS: dict[type[Any], st.SearchStrategy[Any]] = {
    m.Township: cps.townships(),
    m.Community: cps.communities(),
    m.Grid: cps.grids(),
    m.CommunityIndicators: cps.community_indicators(),
    m.ThemeDefinition: cps.theme_definitions(),
    m.ThemeSupervision: cps.theme_supervisions(),
    m.PartyCommittee: cps.party_committees(),
    m.Government: cps.governments(),
    m.Department: cps.departments(),
    m.PoliceSubBureau: cps.sub_bureaus(),
    m.LocalFeature: cps.local_features(),
    m.PoliceStation: cps.police_stations(),
    m.JudicialOffice: cps.judicial_offices(),
    m.MediationCommittee: cps.mediation_committees(),
    m.Entity: cps.entities(),
    m.LeadingGroup: cps.leading_groups(),
    m.PairedContact: cps.paired_contacts(),
    m.Person: cps.people(),
    m.SecurityPledge: cps.security_pledges(),
    m.Tenancy: cps.tenancies(),
    m.RentalHouse: cps.rentals(),
    m.SupervisorOverride: cps.supervisor_overrides(),
    m.ResponsibleParties: cps.responsible_parties(),
    m.RiskPoint: cps.risk_points(),
    m.Hazard: cps.hazards(),
    m.DisputeParty: cps.dispute_parties(),
    m.MediationAgreement: cps.mediation_agreements(),
    m.JudicialConfirmation: cps.judicial_confirmations(),
    m.FollowUp: cps.follow_ups(),
    m.Dispute: cps.disputes(),
    m.LinkageMechanism: cps.mechanisms(),
    m.MechanismMeeting: cps.mechanism_meetings(),
    m.PolicyDocument: cps.policy_documents(),
    m.PatrolSchedule: cps.patrol_schedules(),
    m.JointPatrol: cps.patrols(),
    m.Campaign: cps.campaigns(),
    m.SeizedItem: cps.seized_items(),
    m.Incident: cps.incidents(),
    m.OutcomeMetric: cps.outcome_metrics(),
    m.WorkPlan: cps.work_plans(),
    m.KeyWorkItem: cps.key_work_items(),
    m.Task: cps.tasks(),
    m.LedgerEntry: cps.ledgers(task_ids=["t1", "t2"])
    .filter(bool)
    .map(lambda ledger: ledger[-1]),
}

#: The County's record collections (the fields with a converter).
COLLECTIONS = [f.name for f in attrs.fields(m.County) if f.converter is not None]


def _exported_record_types() -> set[type[Any]]:
    return {
        obj
        for name in m.__all__
        if isinstance(obj := getattr(m, name), type) and attrs.has(obj)
    }


def _attrs_instances(obj: object) -> Iterator[tuple[object, tuple[str, ...]]]:
    """``obj`` and every attrs instance inside it with its init fields, depth first."""
    cls = type(obj)
    if attrs.has(cls):
        names = tuple(f.name for f in attrs.fields(cls) if f.init)
        yield obj, names
        for name in names:
            yield from _attrs_instances(getattr(obj, name))
    elif isinstance(obj, (tuple, frozenset, list, set)):
        for item in obj:
            yield from _attrs_instances(item)


def _assert_deeply_immutable(obj: object) -> None:
    for record, names in _attrs_instances(obj):
        for name in names:
            value = getattr(record, name)
            assert not isinstance(value, (list, set, dict, bytearray)), (
                f"{type(record).__name__}.{name} is a {type(value).__name__}"
            )
            with pytest.raises(attrs.exceptions.FrozenInstanceError):
                setattr(record, name, value)


def test_every_exported_record_type_has_a_strategy() -> None:
    missing = _exported_record_types() - set(RECORDS) - {m.County}
    assert not missing, sorted(t.__name__ for t in missing)


@pytest.mark.parametrize("cls", list(RECORDS), ids=lambda cls: cls.__name__)
@given(data=st.data())
def test_every_record_survives_unstructure_then_structure(
    cls: type[Any], data: st.DataObject
) -> None:
    record = data.draw(RECORDS[cls])
    assert type(record) is cls
    conv = make_converter()
    raw = conv.unstructure(record)
    assert conv.structure(raw, cls) == record
    via_json = json.loads(json.dumps(raw, allow_nan=False, ensure_ascii=False))
    back = conv.structure(via_json, cls)
    assert back == record
    _assert_deeply_immutable(back)


@settings(deadline=None)
@given(cps.counties())
def test_a_county_survives_its_yaml_text(county: m.County) -> None:
    text = county_to_text(county)
    back = county_from_text(text)
    assert back == county
    assert county_to_text(back) == text


@settings(deadline=None)
@given(cps.counties(), st.sampled_from(["county.yaml", "county.yml", "county"]))
def test_a_county_survives_saving_and_loading(county: m.County, name: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        written = save_county(county, Path(tmp) / name)
        assert written.is_dir() is (name == "county")
        assert load_county(written) == county


@settings(deadline=None)
@given(cps.counties())
def test_a_loaded_county_is_immutable_all_the_way_down(county: m.County) -> None:
    back = county_from_text(county_to_text(county))
    _assert_deeply_immutable(back)
    for name in COLLECTIONS:
        assert type(getattr(back, name)) is tuple
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        back.name_zh = "改名"  # type: ignore[misc]  # the point of the test


def test_boundary_values_survive_a_round_trip_through_a_directory(
    tmp_path: Path,
) -> None:
    biggest = 2**63 - 1
    township = m.Township(
        id="0755",
        name_zh=" 前导与末尾空格 ",
        kind=m.TownshipKind.TOWN,
        code="null",
        valid_from=date.min,
        valid_to=date.max,
    )
    community = m.Community(
        id="true",
        name_zh="𠀀𪚥 e\u0301",
        township_id="0755",
        kind=m.CommunityKind.VILLAGE,
        population=biggest,
        households=0,
        themes=[],
    )
    metric = m.OutcomeMetric(
        id="1e3",
        name_zh="1e309",
        value=-0.0,
        unit="12:30",
        period_start=date(1, 1, 1),
        period_end=date(1, 1, 1),
    )
    planned = m.Task(
        id="2020-01-05",
        key_item_id="k",
        title_zh="~",
        lead_owner_id="no",
        deadline=date.max,
    )
    far_east = timezone(timedelta(hours=23, minutes=59))
    far_west = timezone(-timedelta(hours=23, minutes=59))
    ledger = [
        m.LedgerEntry(
            seq=1,
            at=datetime(2020, 1, 1, 23, 30, 0, 1, tzinfo=far_east),
            task_id="2020-01-05",
            actor_id="no",
            action=m.TaskAction.ASSIGN,
        ),
        m.LedgerEntry(
            seq=2,
            at=datetime(2019, 12, 31, 0, 0, tzinfo=far_west),
            task_id="2020-01-05",
            actor_id="no",
            action=m.TaskAction.SUPERVISE,
            supervision=m.SupervisionLevel.RED,
        ),
    ]
    task = m.replay_task(planned, ledger)
    county = m.County(
        id="ON",
        name_zh="边界县",
        townships=[township],
        communities=[community],
        departments=[
            m.Department(id="no", name_zh="部门", kind=m.DepartmentKind.OTHER)
        ],
        work_plans=[
            m.WorkPlan(
                id="p", title_zh="方案", owner_id="no", start=date.max, end=date.max
            )
        ],
        key_items=[
            m.KeyWorkItem(
                id="k",
                plan_id="p",
                number=-biggest,
                title_zh="重点",
                lead_owner_id="no",
            )
        ],
        tasks=[task],
        ledger=ledger,
        outcome_metrics=[metric],
    )
    assert load_county(save_county(county, tmp_path / "dir")) == county
    assert load_county(save_county(county, tmp_path / "one.yaml")) == county
    empty = m.County(id="e", name_zh="空县")
    assert county_from_text(county_to_text(empty)) == empty


def test_generated_counties_fill_every_collection_sometimes() -> None:
    seen: set[str] = set()

    @settings(
        max_examples=100,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.generate],
    )
    @given(cps.counties())
    def record(county: m.County) -> None:
        seen.update(name for name in COLLECTIONS if getattr(county, name))

    record()
    assert seen == set(COLLECTIONS), sorted(set(COLLECTIONS) - seen)


@settings(deadline=None)
@given(cps.counties())
def test_generated_counties_replay_their_ledger_to_their_tasks(
    county: m.County,
) -> None:
    assert county.replayed_tasks() == county.tasks
    seqs = [e.seq for e in county.ledger]
    assert seqs == list(range(1, len(seqs) + 1))
    assert all(a.at <= b.at for a, b in pairwise(county.ledger))
