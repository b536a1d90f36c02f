"""Grand-mediation metrics: resolution, levels, speed, escalations, police hours."""

from __future__ import annotations

import math
from datetime import date, timedelta

import attrs
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import ModelError
from countypolicing.model import (
    AgreementForm,
    ConfirmationResult,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeStatus,
    DisputeType,
    HandlingLevel,
    JudicialConfirmation,
    MediationAgreement,
    MediationChannel,
    PartyRole,
)
from countypolicing.operations import (
    DEFAULT_POLICE_HOURS_PER_DISPUTE,
    DisputeAction,
    DisputeEvent,
    DisputeHistory,
    dispute_metrics,
    stationed_mediator_ids,
)

A = DisputeAction
DAY = date(2020, 6, 1)


def reported(n: int, **changes: object) -> Dispute:
    d = Dispute(
        id=f"d-{n}",
        type=DisputeType.NEIGHBOUR,
        community_id="c",
        origin=DisputeOrigin.CALL_110,
        summary="纠纷",
        parties=[
            DisputeParty(party_id="a", role=PartyRole.APPLICANT),
            DisputeParty(party_id="b", role=PartyRole.RESPONDENT),
        ],
        reported_on=DAY,
    )
    return attrs.evolve(d, **changes)  # type: ignore[arg-type]  # test helper: any field


def oral(on: date) -> MediationAgreement:
    return MediationAgreement(
        form=AgreementForm.ORAL, reached_on=on, content="口头协议", recorded_by="m"
    )


def steps(*events: DisputeEvent, start: Dispute) -> DisputeHistory:
    return DisputeHistory(initial=start, events=events)


def accept_assign(handler: str = "jo") -> tuple[DisputeEvent, DisputeEvent]:
    return (
        DisputeEvent(on=DAY, action=A.ACCEPT),
        DisputeEvent(
            on=DAY,
            action=A.ASSIGN,
            channel=MediationChannel.PEOPLES,
            handler_id=handler,
        ),
    )


def at(n: int) -> date:
    return DAY + timedelta(days=n)


@pytest.fixture
def histories() -> list[DisputeHistory]:
    """Five disputes: two resolved (one confirmed), one refused, one escalated, one open."""
    confirmed = steps(
        *accept_assign(),
        DisputeEvent(on=at(4), action=A.AGREE, agreement=oral(at(4))),
        DisputeEvent(
            on=at(10),
            action=A.APPLY_FOR_CONFIRMATION,
            confirmation=JudicialConfirmation(
                applied_on=at(10), applicant_ids=["a", "b"], court="法院"
            ),
        ),
        DisputeEvent(
            on=at(12),
            action=A.RECORD_CONFIRMATION_RESULT,
            result=ConfirmationResult.VALID,
        ),
        start=reported(1),
    )
    upper = steps(
        *accept_assign("mc"),
        DisputeEvent(
            on=at(2), action=A.ESCALATE_LEVEL, level=HandlingLevel.SUB_DISTRICT
        ),
        DisputeEvent(on=at(10), action=A.AGREE, agreement=oral(at(10))),
        start=reported(2, origin=DisputeOrigin.GRID_REPORT),
    )
    refused = steps(
        DisputeEvent(on=DAY, action=A.REFUSE, party_id="b"), start=reported(3)
    )
    escalated = steps(
        DisputeEvent(on=at(1), action=A.ESCALATE_TO_POLICE), start=reported(4)
    )
    open_ = steps(*accept_assign("jo"), start=reported(5))
    return [confirmed, upper, refused, escalated, open_]


def test_metrics_of_a_small_set(histories: list[DisputeHistory]) -> None:
    m = dispute_metrics(histories, as_of=at(20), stationed_ids=["jo"])
    assert (m.total, m.under_way, m.concluded, m.resolved) == (5, 1, 4, 2)
    assert m.resolution_rate == 0.5
    assert dict(m.by_status)[DisputeStatus.AGREED] == 2
    assert dict(m.closed_at_level) == {
        HandlingLevel.GRID: 1,
        HandlingLevel.COMMUNITY: 0,
        HandlingLevel.SUB_DISTRICT: 1,
        HandlingLevel.DISTRICT: 0,
    }
    assert (m.resolved_locally, m.local_share) == (1, 0.5)
    assert m.days_to_agreement == (4, 10)
    assert m.median_days_to_agreement == 7.0
    assert (m.escalated_to_police, m.handled_above_community) == (1, 1)
    assert (m.confirmations_applied, m.confirmed_valid, m.confirmed_invalid) == (
        1,
        1,
        0,
    )
    assert m.mediation_overdue == 0
    # 110 calls taken by the stationed office "jo": the confirmed one and the open one.
    assert m.diverted_from_police == 2
    assert m.hours_per_dispute == DEFAULT_POLICE_HOURS_PER_DISPUTE == 2.0
    assert m.police_hours_diverted == 4.0


def test_metrics_on_an_earlier_day_count_each_dispute_as_it_stood(
    histories: list[DisputeHistory],
) -> None:
    m = dispute_metrics(histories, as_of=at(3), stationed_ids=["jo"])
    assert (m.resolved, m.concluded) == (0, 2)
    assert m.confirmations_applied == 0
    assert m.handled_above_community == 1
    later = dispute_metrics(histories, as_of=at(45))
    assert later.mediation_overdue == 1  # the open one, a month after acceptance
    assert later.diverted_from_police == 0  # no stationed offices named


def test_hours_per_dispute_is_a_parameter(histories: list[DisputeHistory]) -> None:
    m = dispute_metrics(
        histories, as_of=at(20), stationed_ids=["jo"], hours_per_dispute=3.5
    )
    assert m.police_hours_diverted == 7.0
    for bad in (-1.0, math.inf, math.nan):
        with pytest.raises(
            ModelError, match="hours_per_dispute must be a finite number >= 0"
        ):
            dispute_metrics(histories, as_of=at(20), hours_per_dispute=bad)


def test_no_disputes_give_no_rates() -> None:
    m = dispute_metrics([], as_of=DAY)
    assert (m.total, m.resolution_rate, m.local_share, m.median_days_to_agreement) == (
        0,
        None,
        None,
        None,
    )
    assert "resolution rate -" in m.text()


def test_disputes_reported_after_the_day_are_left_out(
    histories: list[DisputeHistory],
) -> None:
    later = reported(9, reported_on=at(30))
    m = dispute_metrics([*histories, later], as_of=at(20))
    assert m.total == 5


def test_the_bundled_county_on_the_article_day() -> None:
    county = yueyanglou()
    m = dispute_metrics(
        county.disputes,
        as_of=date(2020, 9, 15),
        stationed_ids=stationed_mediator_ids(county),
    )
    assert (m.total, m.resolved, m.concluded, m.under_way) == (33, 17, 24, 9)
    assert m.escalated_to_police == 2
    assert (m.confirmed_valid, m.confirmed_invalid) == (1, 1)
    assert m.diverted_from_police == 2
    assert m.text().splitlines()[-1] == (
        "police-call disputes taken by stationed mediators 2: about 4 police hours "
        "diverted (assumed 2 h per dispute)"
    )
    assert "系假设值" in m.text("zh")


def test_stored_records_are_rebuilt_to_count_them_on_an_earlier_day() -> None:
    county = yueyanglou()
    early = dispute_metrics(county.disputes, as_of=date(2020, 6, 1))
    from_histories = dispute_metrics(
        [
            DisputeHistory(initial=d)
            for d in county.disputes
            if d.status is DisputeStatus.DISCOVERED
        ],
        as_of=date(2020, 6, 1),
    )
    assert early.total == 17
    assert from_histories.total == 0  # the one discovered dispute was reported later
