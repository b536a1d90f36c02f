"""Dispute clocks at their edges: the 30-day confirmation window, the one-month target."""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model import (
    AgreementForm,
    ConfirmationResult,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeType,
    JudicialConfirmation,
    MediationAgreement,
    MediationChannel,
    PartyRole,
)
from countypolicing.operations import (
    DisputeAction,
    DisputeEvent,
    DisputeHistory,
    MediationPolicy,
    Milestone,
    ServiceLevel,
    TimerState,
    dispute_timers,
)

A = DisputeAction
T = TimerState
REPORTED = date(2020, 8, 13)
PARTIES = ("cao", "proj")


def reported(on: date = REPORTED) -> Dispute:
    return Dispute(
        id="d-1",
        type=DisputeType.CONSTRUCTION,
        community_id="lengshuipu",
        origin=DisputeOrigin.CALL_110,
        summary="施工造成房屋裂缝",
        parties=[
            DisputeParty(party_id="cao", role=PartyRole.APPLICANT),
            DisputeParty(party_id="proj", role=PartyRole.RESPONDENT),
        ],
        reported_on=on,
    )


def mediating(accepted: date = REPORTED) -> DisputeHistory:
    return DisputeHistory(
        initial=reported(min(accepted, REPORTED)),
        events=[
            DisputeEvent(on=accepted, action=A.ACCEPT),
            DisputeEvent(
                on=accepted,
                action=A.ASSIGN,
                channel=MediationChannel.PEOPLES,
                handler_id="mc",
            ),
        ],
    )


def agreed(effective: date = REPORTED) -> DisputeHistory:
    agreement = MediationAgreement(
        form=AgreementForm.WRITTEN,
        reached_on=effective,
        content="修复裂缝",
        signed_by=PARTIES,
        signed_on=effective,
        mediator_signed=True,
        committee_sealed=True,
    )
    return mediating().record(
        DisputeEvent(on=effective, action=A.AGREE, agreement=agreement)
    )


def apply_on(day: date, parties: tuple[str, ...] = PARTIES) -> DisputeEvent:
    return DisputeEvent(
        on=day,
        action=A.APPLY_FOR_CONFIRMATION,
        confirmation=JudicialConfirmation(
            applied_on=day, applicant_ids=parties, court="岳阳楼区人民法院"
        ),
    )


# ---------------------------------------------------------------- art. 33: 30 days
def test_judicial_confirmation_on_day_30_is_in_time() -> None:
    day_30 = REPORTED + timedelta(days=30)
    assert day_30 == date(2020, 9, 12)
    h = agreed().record(apply_on(day_30))
    assert h.state.confirmation is not None
    timer = dispute_timers(h.state, as_of=day_30).judicial_confirmation
    assert timer.state is T.MET
    assert timer.stopped_on == timer.due_on == day_30


def test_judicial_confirmation_on_day_31_is_refused() -> None:
    day_31 = REPORTED + timedelta(days=31)
    with pytest.raises(
        TransitionError, match=r"within 30 days of 2020-08-13 \(art\. 33\)"
    ):
        agreed().record(apply_on(day_31))


def test_the_window_runs_through_day_30_and_expires_on_day_31() -> None:
    state = agreed().state
    on_30 = dispute_timers(state, as_of=date(2020, 9, 12)).judicial_confirmation
    on_31 = dispute_timers(state, as_of=date(2020, 9, 13)).judicial_confirmation
    assert (on_30.state, on_30.days_left) == (T.RUNNING, 0)
    assert (on_31.state, on_31.days_left) == (T.EXPIRED, -1)
    assert (
        on_31.text() == "judicial_confirmation: expired (due 2020-09-12, 1 days past)"
    )
    assert on_31.text("zh") == "司法确认申请期：已过期（期限 2020-09-12，超 1 天）"
    # Optional: an unused window is not an obligation missed.
    assert dispute_timers(state, as_of=date(2020, 9, 13)).overdue == ()


def test_the_window_opens_only_with_an_agreement_in_effect() -> None:
    timers = dispute_timers(mediating().state, as_of=REPORTED)
    assert timers.judicial_confirmation.state is T.NOT_STARTED
    refused = mediating().record(
        DisputeEvent(on=REPORTED, action=A.REFUSE, party_id="proj")
    )
    timers = dispute_timers(refused.state, as_of=REPORTED)
    assert timers.judicial_confirmation.state is T.NOT_APPLICABLE


def test_a_confirmation_refused_by_the_court_reopens_and_restarts_mediation() -> None:
    h = agreed().record(apply_on(date(2020, 8, 20)))
    h = h.record(
        DisputeEvent(
            on=date(2020, 8, 25),
            action=A.RECORD_CONFIRMATION_RESULT,
            result=ConfirmationResult.INVALID,
        )
    )
    timers = dispute_timers(h.state, as_of=date(2020, 9, 1))
    assert timers.status.value == "reopened"
    assert timers.mediation.started_on == date(2020, 8, 25)
    assert timers.mediation.due_on == date(2020, 9, 25)
    assert timers.judicial_confirmation.state is T.MET


def test_an_application_for_an_earlier_agreement_does_not_stop_the_new_window() -> None:
    h = agreed().record(apply_on(date(2020, 8, 20)))
    h = h.record(
        DisputeEvent(
            on=date(2020, 8, 25),
            action=A.RECORD_CONFIRMATION_RESULT,
            result=ConfirmationResult.INVALID,
        )
    )
    h = h.record(
        DisputeEvent(
            on=date(2020, 8, 26),
            action=A.ASSIGN,
            channel=MediationChannel.PEOPLES,
            handler_id="mc",
        )
    )
    again = MediationAgreement(
        form=AgreementForm.ORAL,
        reached_on=date(2020, 9, 1),
        content="重新达成协议",
        recorded_by="m1",
    )
    h = h.record(DisputeEvent(on=date(2020, 9, 1), action=A.AGREE, agreement=again))
    timer = dispute_timers(h.state, as_of=date(2020, 9, 5)).judicial_confirmation
    assert (timer.state, timer.due_on) == (T.RUNNING, date(2020, 10, 1))


# ---------------------------------------------------------------- one month
def test_the_one_month_target_falls_on_the_same_day_next_month() -> None:
    state = mediating().state
    due_day = dispute_timers(state, as_of=date(2020, 9, 13)).mediation
    assert (due_day.state, due_day.due_on, due_day.days_left) == (
        T.RUNNING,
        date(2020, 9, 13),
        0,
    )
    after = dispute_timers(state, as_of=date(2020, 9, 14))
    assert (after.mediation.state, after.mediation.days_left) == (T.OVERDUE, -1)
    assert after.overdue == (after.mediation,)


@pytest.mark.parametrize(
    ("accepted", "due"),
    [
        (date(2020, 1, 31), date(2020, 2, 29)),  # leap year, clamped
        (date(2019, 1, 31), date(2019, 2, 28)),
        (date(2020, 12, 31), date(2021, 1, 31)),  # over the year end
        (date(2020, 3, 31), date(2020, 4, 30)),
    ],
)
def test_a_month_from_a_months_end_is_the_next_months_end(
    accepted: date, due: date
) -> None:
    timers = dispute_timers(mediating(accepted).state, as_of=accepted)
    assert timers.mediation.due_on == due


def test_agreement_by_the_target_day_meets_it_and_after_misses_it() -> None:
    agreement = MediationAgreement(
        form=AgreementForm.ORAL,
        reached_on=date(2020, 9, 13),
        content="口头协议",
        recorded_by="m1",
    )
    h = mediating().record(
        DisputeEvent(on=date(2020, 9, 13), action=A.AGREE, agreement=agreement)
    )
    assert dispute_timers(h.state, as_of=date(2020, 10, 1)).mediation.state is T.MET
    late = attrs.evolve(agreement, reached_on=date(2020, 9, 14))
    h = mediating().record(
        DisputeEvent(on=date(2020, 9, 14), action=A.AGREE, agreement=late)
    )
    timer = dispute_timers(h.state, as_of=date(2020, 10, 1)).mediation
    assert (timer.state, timer.stopped_on) == (T.MISSED, date(2020, 9, 14))


def test_both_parties_may_extend_the_target() -> None:
    h = mediating().record(
        DisputeEvent(
            on=date(2020, 9, 10),
            action=A.EXTEND_DEADLINE,
            extended_to=date(2020, 10, 13),
            consenting_ids=PARTIES,
        )
    )
    timer = dispute_timers(h.state, as_of=date(2020, 9, 20)).mediation
    assert (timer.state, timer.due_on, timer.days_left) == (
        T.RUNNING,
        date(2020, 10, 13),
        23,
    )
    policy = MediationPolicy(target_months=2)
    longer = dispute_timers(h.state, as_of=date(2020, 9, 20), policy=policy)
    assert longer.mediation.due_on == date(2020, 10, 13)  # the later of the two


def test_the_clock_does_not_start_before_acceptance() -> None:
    timers = dispute_timers(reported(), as_of=REPORTED)
    assert timers.mediation.state is T.NOT_STARTED
    escalated = DisputeHistory(initial=reported()).record(
        DisputeEvent(on=REPORTED, action=A.ESCALATE_TO_POLICE)
    )
    timers = dispute_timers(escalated.state, as_of=REPORTED)
    assert timers.mediation.state is T.NOT_APPLICABLE


# ---------------------------------------------------------------- local SLAs
FEEDBACK = ServiceLevel(
    name="feedback-24h", start=Milestone.REPORTED, end=Milestone.ACCEPTED, within_days=1
)
FIVE_DAYS = ServiceLevel(
    name="conclude-5d", start=Milestone.ACCEPTED, end=Milestone.CONCLUDED, within_days=5
)
LOCAL = MediationPolicy(service_levels=[FEEDBACK, FIVE_DAYS])


def test_local_service_levels_met_running_and_overdue() -> None:
    d = reported()
    waiting = dispute_timers(d, as_of=REPORTED + timedelta(days=1), policy=LOCAL)
    assert [t.state for t in waiting.service_levels] == [T.RUNNING, T.NOT_STARTED]
    late = dispute_timers(d, as_of=REPORTED + timedelta(days=2), policy=LOCAL)
    assert late.service_levels[0].state is T.OVERDUE
    assert late.overdue == (late.service_levels[0],)
    accepted = mediating().state
    met = dispute_timers(accepted, as_of=REPORTED + timedelta(days=6), policy=LOCAL)
    assert [t.state for t in met.service_levels] == [T.MET, T.OVERDUE]
    assert met.service_levels[1].due_on == REPORTED + timedelta(days=5)
    assert "conclude-5d: overdue" in met.text()


def test_a_service_level_that_can_no_longer_apply_says_so() -> None:
    escalated = DisputeHistory(initial=reported()).record(
        DisputeEvent(on=REPORTED, action=A.ESCALATE_TO_POLICE)
    )
    timers = dispute_timers(escalated.state, as_of=REPORTED, policy=LOCAL)
    assert [t.state for t in timers.service_levels] == [
        T.NOT_APPLICABLE,
        T.NOT_APPLICABLE,
    ]


def test_policy_and_service_levels_are_checked() -> None:
    with pytest.raises(ModelError, match="target_months must be at least 1"):
        MediationPolicy(target_months=0)
    with pytest.raises(ModelError, match="within_days must not be negative"):
        ServiceLevel(
            name="x", start=Milestone.REPORTED, end=Milestone.CLOSED, within_days=-1
        )
    with pytest.raises(ModelError, match="runs forward"):
        ServiceLevel(
            name="x", start=Milestone.CLOSED, end=Milestone.ACCEPTED, within_days=1
        )
    with pytest.raises(ModelError, match="needs a name"):
        ServiceLevel(
            name=" ", start=Milestone.REPORTED, end=Milestone.CLOSED, within_days=1
        )


# ---------------------------------------------------------------- as_of
def test_clocks_are_read_on_a_day_not_before_the_record() -> None:
    state = agreed().state
    with pytest.raises(
        ModelError, match="after as_of 2020-08-12; read the clocks of its state"
    ):
        dispute_timers(state, as_of=date(2020, 8, 12))


def test_the_bundled_lengshuipu_window_closed_before_the_article() -> None:
    d = yueyanglou().dispute("lengshuipu-construction-cracks")
    timers = dispute_timers(d, as_of=date(2020, 9, 15))
    assert timers.judicial_confirmation.due_on == date(2020, 9, 12)
    assert timers.judicial_confirmation.state is T.EXPIRED
    assert timers.mediation.state is T.MET
    assert timers.text().splitlines() == [
        "mediation: met (due 2020-09-13)",
        "judicial_confirmation: expired (due 2020-09-12, 3 days past)",
    ]


def test_service_levels_between_any_two_milestones() -> None:
    start_to_close = ServiceLevel(
        name="close-60d",
        start=Milestone.MEDIATION_STARTED,
        end=Milestone.CLOSED,
        within_days=60,
    )
    policy = MediationPolicy(service_levels=[start_to_close])
    timers = dispute_timers(mediating().state, as_of=REPORTED, policy=policy)
    [timer] = timers.service_levels
    assert (timer.state, timer.due_on) == (T.RUNNING, REPORTED + timedelta(days=60))
    closed = yueyanglou().dispute("dispute-01")
    [done] = dispute_timers(
        closed, as_of=date(2020, 9, 15), policy=policy
    ).service_levels
    assert (done.state, done.stopped_on) == (T.MET, date(2020, 8, 16))
