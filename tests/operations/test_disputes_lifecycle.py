"""Dispute histories: recorded steps, replay, the law's guards, closed disputes.

The state machine drives one dispute through random steps, legal and not, and checks
after every step that illegal steps raise and change nothing, that a closed dispute
takes no more steps, that step dates never decrease, that the handling level moves
separately from the status, and that replaying the recorded steps rebuilds the state.
"""

from __future__ import annotations

from datetime import date, timedelta

import attrs
import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    initialize,
    invariant,
    precondition,
    rule,
)

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model import (
    CONFIRMATION_WINDOW,
    DISPUTE_TRANSITIONS,
    AgreementForm,
    ConfirmationResult,
    Dispute,
    DisputeOrigin,
    DisputeParty,
    DisputeStatus,
    DisputeType,
    FollowUp,
    HandlingLevel,
    JudicialConfirmation,
    MediationAgreement,
    MediationChannel,
    PartyRole,
    ReferralRoute,
)
from countypolicing.operations import (
    DisputeAction,
    DisputeEvent,
    DisputeHistory,
    apply_event,
    reconstruct_history,
    replay_dispute,
)

PARTIES = ("cao", "proj")
START = date(2020, 8, 1)
A = DisputeAction
S = DisputeStatus


def fresh(**changes: object) -> Dispute:
    d = Dispute(
        id="d-1",
        type=DisputeType.CONSTRUCTION,
        community_id="lengshuipu",
        origin=DisputeOrigin.GRID_REPORT,
        summary="施工造成房屋裂缝",
        parties=[
            DisputeParty(party_id="cao", role=PartyRole.APPLICANT),
            DisputeParty(party_id="proj", role=PartyRole.RESPONDENT),
        ],
        reported_on=START,
    )
    return attrs.evolve(d, **changes)  # type: ignore[arg-type]  # test helper: any field


def signed(on: date, *, by: tuple[str, ...] = PARTIES) -> MediationAgreement:
    return MediationAgreement(
        form=AgreementForm.WRITTEN,
        reached_on=on,
        content="修复裂缝并补偿",
        signed_by=by,
        signed_on=on,
        mediator_signed=True,
        committee_sealed=True,
    )


def ev(on: date, action: DisputeAction, **args: object) -> DisputeEvent:
    return DisputeEvent(on=on, action=action, **args)  # type: ignore[arg-type]  # test helper


def d(n: int) -> date:
    return START + timedelta(days=n)


def agreed_history() -> DisputeHistory:
    return DisputeHistory(
        initial=fresh(),
        events=[
            ev(d(0), A.ACCEPT),
            ev(d(1), A.ASSIGN, channel=MediationChannel.PEOPLES, handler_id="mc"),
            ev(d(5), A.AGREE, agreement=signed(d(5))),
        ],
    )


# ---------------------------------------------------------------- the state machine
_AGREEMENT_FORMS = st.sampled_from(list(AgreementForm))


@st.composite
def _agreement(draw: st.DrawFn, on: date) -> MediationAgreement:
    form = draw(_AGREEMENT_FORMS)
    if form is AgreementForm.ORAL:
        return MediationAgreement(
            form=form, reached_on=on, content="口头协议", recorded_by="m1"
        )
    return MediationAgreement(
        form=form,
        reached_on=on,
        content="书面协议",
        signed_by=draw(st.sampled_from([PARTIES, PARTIES, PARTIES, ("cao",), ()])),
        signed_on=on,
        mediator_signed=draw(st.sampled_from([True, True, False])),
        committee_sealed=draw(st.sampled_from([True, True, False])),
    )


@st.composite
def _event(draw: st.DrawFn, action: DisputeAction, on: date) -> DisputeEvent:
    """An event for ``action`` with arguments that are sometimes against the law."""
    args: dict[str, object] = {}
    if action is A.ASSIGN:
        args = {
            "channel": draw(st.sampled_from(list(MediationChannel))),
            "handler_id": "mc",
            "mediator_ids": draw(st.sampled_from([(), ("m1",)])),
        }
    elif action is A.REFUSE:
        args = {"party_id": draw(st.sampled_from([*PARTIES, "stranger"]))}
    elif action is A.AGREE:
        args = {"agreement": draw(_agreement(on))}
    elif action is A.REFER:
        args = {"route": draw(st.sampled_from(list(ReferralRoute)))}
    elif action is A.APPLY_FOR_CONFIRMATION:
        args = {
            "confirmation": JudicialConfirmation(
                applied_on=on,
                applicant_ids=draw(st.sampled_from([PARTIES, PARTIES, ("cao",)])),
                court="岳阳楼区人民法院",
            )
        }
    elif action is A.RECORD_CONFIRMATION_RESULT:
        args = {
            "result": draw(
                st.sampled_from([ConfirmationResult.VALID, ConfirmationResult.INVALID])
            )
        }
    elif action is A.FOLLOW_UP:
        args = {"visit": FollowUp(on=on, performed=draw(st.booleans()))}
    elif action is A.ESCALATE_LEVEL:
        args = {"level": draw(st.sampled_from(list(HandlingLevel)))}
    elif action is A.EXTEND_DEADLINE:
        args = {
            "extended_to": on + timedelta(days=draw(st.integers(1, 40))),
            "consenting_ids": draw(
                st.sampled_from([PARTIES, ("cao",), (*PARTIES, "stranger")])
            ),
        }
    return ev(on, action, **args)


#: Steps towards an agreement and its closing, favoured so that histories run deep.
_FORWARD = frozenset({A.ACCEPT, A.ASSIGN, A.AGREE, A.PERFORM, A.CLOSE, A.REOPEN})

#: Steps that change no status, offered alongside the lifecycle's own.
_SIDE_STEPS = (
    A.APPLY_FOR_CONFIRMATION,
    A.RECORD_CONFIRMATION_RESULT,
    A.FOLLOW_UP,
    A.ESCALATE_LEVEL,
    A.EXTEND_DEADLINE,
)


def _must_fail(state: Dispute, event: DisputeEvent) -> str | None:  # noqa: C901, PLR0911  # one reason per guard
    """Why the law or the lifecycle forbids ``event`` (``None``: not known to)."""
    action = event.action
    if state.status is S.CLOSED:
        return "closed"
    lifecycle = {str(a) for (_, a) in DISPUTE_TRANSITIONS}
    if str(action) in lifecycle and (state.status, str(action)) not in (
        DISPUTE_TRANSITIONS
    ):
        return "not a transition from here"
    if action is A.REFUSE and event.party_id not in state.party_ids:
        return "refused by a non-party"
    if action is A.AGREE:
        assert event.agreement is not None
        if event.agreement.effective_on(state.party_ids, channel=state.channel) is None:
            return "agreement not in effect (art. 29)"
    if action is A.APPLY_FOR_CONFIRMATION:
        assert event.confirmation is not None
        effective = state.agreement_effective_on
        if set(state.party_ids) - set(event.confirmation.applicant_ids):
            return "not applied for jointly (art. 33)"
        if effective is not None and event.on > effective + CONFIRMATION_WINDOW:
            return "out of the 30-day window (art. 33)"
        done = state.confirmation
        if done is not None and effective is not None and done.applied_on >= effective:
            return "this agreement was already put to the court"
    if action is A.EXTEND_DEADLINE and set(state.party_ids) - set(event.consenting_ids):
        return "not every party consented"
    return None


class DisputeLifecycle(RuleBasedStateMachine):
    """One dispute, driven by random steps; see the module docstring."""

    def __init__(self) -> None:
        super().__init__()
        self.history = DisputeHistory(initial=fresh())
        self.day = START

    @initialize(level=st.sampled_from(list(HandlingLevel)))
    def start_at_a_level(self, level: HandlingLevel) -> None:
        self.history = DisputeHistory(initial=fresh(handling_level=level))

    @rule(gap=st.integers(0, 25), data=st.data())
    def take_a_step(self, gap: int, data: st.DataObject) -> None:
        # Mostly steps the lifecycle offers from here, so that deep states are
        # reached; sometimes any step at all, so that illegal ones are tried.
        status = self.history.state.status
        offered = [a for a in DisputeAction if (status, str(a)) in DISPUTE_TRANSITIONS]
        anything = data.draw(st.integers(0, 3)) == 0 or not offered
        forward = [a for a in offered if a in _FORWARD]
        if status in {S.AGREED, S.PERFORMED}:
            forward += [A.APPLY_FOR_CONFIRMATION, A.RECORD_CONFIRMATION_RESULT]
        pool = (
            list(DisputeAction) if anything else [*offered, *forward * 3, *_SIDE_STEPS]
        )
        action = data.draw(st.sampled_from(pool))
        on = self.day + timedelta(days=gap)
        event = data.draw(_event(action, on))
        before = self.history
        if _must_fail(before.state, event) is not None:
            with pytest.raises(TransitionError) as info:
                before.record(event)
            assert info.value.record_id == "d-1"
            return
        try:
            after = before.record(event)
        except TransitionError:
            return  # a guard the oracle does not model (a decided confirmation, ...)
        status = before.state.status
        if (status, str(action)) in DISPUTE_TRANSITIONS:
            expected = DISPUTE_TRANSITIONS[(status, str(action))]
            assert after.state.status is expected
        elif action is A.RECORD_CONFIRMATION_RESULT:
            invalid = event.result is ConfirmationResult.INVALID
            assert after.state.status is (S.REOPENED if invalid else status)
        else:  # confirmation, follow-up, level and extension leave the status alone
            assert after.state.status is status
        if action is not A.ESCALATE_LEVEL:
            assert after.state.handling_level is before.state.handling_level
        self.history = after
        self.day = on

    @precondition(lambda self: self.history.events)
    @rule(back=st.integers(1, 30))
    def a_backdated_step_is_refused(self, back: int) -> None:
        on = self.history.last_on - timedelta(days=back)
        with pytest.raises(TransitionError, match=r"back in time|closed"):
            self.history.record(ev(on, A.TERMINATE))

    @invariant()
    def replaying_the_recorded_steps_rebuilds_the_state(self) -> None:
        h = self.history
        assert replay_dispute(h.initial, h.events) == h.state
        assert DisputeHistory(initial=h.initial, events=h.events) == h

    @invariant()
    def step_dates_never_decrease(self) -> None:
        days = [e.on for e in self.history.events]
        assert days == sorted(days)
        assert all(day >= self.history.initial.reported_on for day in days)

    @invariant()
    def the_level_only_rises_and_only_by_its_own_step(self) -> None:
        h = self.history
        levels = [h.initial.handling_level, *(lv for _, lv in h.level_changes())]
        assert levels == sorted(levels, key=lambda lv: lv.rank)
        assert h.state.handling_level is levels[-1]

    @invariant()
    def a_closed_dispute_takes_no_more_steps(self) -> None:
        if self.history.state.status is not S.CLOSED:
            return
        on = self.history.last_on + timedelta(days=1)
        for action in (A.REOPEN, A.FOLLOW_UP, A.ESCALATE_LEVEL, A.CLOSE):
            event = (
                ev(on, action, visit=FollowUp(on=on, performed=True))
                if action is A.FOLLOW_UP
                else ev(on, action, level=HandlingLevel.DISTRICT)
                if action is A.ESCALATE_LEVEL
                else ev(on, action)
            )
            with pytest.raises(TransitionError, match="closed"):
                self.history.record(event)

    @invariant()
    def the_state_on_each_step_day_replays_a_prefix(self) -> None:
        h = self.history
        if not h.events:
            return
        last = h.events[-1].on
        assert h.state_on(last) == h.state
        assert h.state_on(h.initial.reported_on - timedelta(days=1)) is None


TestDisputeLifecycle = DisputeLifecycle.TestCase
_PROFILE = settings()  # the profile chosen in conftest.py
TestDisputeLifecycle.settings = settings(
    _PROFILE,
    max_examples=max(2 * _PROFILE.max_examples, 20),
    stateful_step_count=30,
    deadline=None,  # a whole history is replayed at every step
)


# ---------------------------------------------------------------- examples
def test_a_full_history_from_report_to_closing() -> None:
    h = agreed_history()
    h = h.record(ev(d(20), A.PERFORM))
    h = h.record(ev(d(25), A.FOLLOW_UP, visit=FollowUp(on=d(25), performed=True)))
    h = h.record(ev(d(26), A.CLOSE))
    assert h.state.status is S.CLOSED
    assert h.state.closed_on == d(26)
    assert [str(e.action) for e in h.events] == [
        "accept",
        "assign",
        "agree",
        "perform",
        "follow_up",
        "close",
    ]
    assert "now: closed at grid level" in h.text()
    assert "结案" in h.text("zh")


def test_a_closed_dispute_is_immutable() -> None:
    h = agreed_history().record(ev(d(20), A.PERFORM))
    h = h.record(ev(d(21), A.FOLLOW_UP, visit=FollowUp(on=d(21), performed=True)))
    h = h.record(ev(d(22), A.CLOSE))
    with pytest.raises(TransitionError, match=r"closed \(结案\) on 2020-08-23"):
        h.record(ev(d(30), A.REOPEN))
    with pytest.raises(TransitionError, match="closed"):
        apply_event(h.state, ev(d(30), A.ESCALATE_LEVEL, level=HandlingLevel.DISTRICT))


def test_a_step_dated_before_the_last_one_is_refused() -> None:
    h = agreed_history()
    with pytest.raises(TransitionError, match="steps do not go back in time"):
        h.record(ev(d(4), A.PERFORM))
    with pytest.raises(TransitionError, match="back in time"):
        replay_dispute(fresh(), [ev(d(3), A.ACCEPT), ev(d(2), A.TERMINATE)])


def test_replay_names_the_step_that_fails() -> None:
    with pytest.raises(TransitionError) as info:
        replay_dispute(
            fresh(), [ev(d(0), A.ACCEPT), ev(d(1), A.AGREE, agreement=signed(d(1)))]
        )
    assert "cannot agree from accepted" in str(info.value)
    assert info.value.__notes__ == [
        "while replaying step 1 (2020-08-02 agree: agreement=written agreement of 2020-08-02)"
    ]


def test_the_handling_level_moves_on_its_own_step_not_with_the_status() -> None:
    h = agreed_history()
    h = h.record(ev(d(6), A.ESCALATE_LEVEL, level=HandlingLevel.SUB_DISTRICT))
    assert h.state.status is S.AGREED
    assert h.state.handling_level is HandlingLevel.SUB_DISTRICT
    assert h.level_changes() == ((d(6), HandlingLevel.SUB_DISTRICT),)
    with pytest.raises(TransitionError, match="is not above"):
        h.record(ev(d(7), A.ESCALATE_LEVEL, level=HandlingLevel.COMMUNITY))


# ---------------------------------------------------------------- the law's guards
def test_an_agreement_without_every_signature_is_refused() -> None:
    h = agreed_history()
    unsigned = DisputeHistory(initial=h.initial, events=h.events[:2])
    with pytest.raises(
        TransitionError, match=r"every party and the mediator .*art\. 29"
    ):
        unsigned.record(ev(d(5), A.AGREE, agreement=signed(d(5), by=("cao",))))
    no_seal = attrs.evolve(signed(d(5)), committee_sealed=False)
    with pytest.raises(TransitionError, match="sealed"):
        unsigned.record(ev(d(5), A.AGREE, agreement=no_seal))


def test_confirmation_applied_for_by_one_party_is_refused() -> None:
    one = JudicialConfirmation(applied_on=d(10), applicant_ids=["cao"], court="法院")
    with pytest.raises(TransitionError, match=r"jointly by all parties \(art\. 33\)"):
        agreed_history().record(ev(d(10), A.APPLY_FOR_CONFIRMATION, confirmation=one))


def test_an_agreement_is_put_to_the_court_once() -> None:
    both = JudicialConfirmation(applied_on=d(10), applicant_ids=PARTIES, court="法院")
    h = agreed_history().record(ev(d(10), A.APPLY_FOR_CONFIRMATION, confirmation=both))
    h = h.record(
        ev(d(12), A.RECORD_CONFIRMATION_RESULT, result=ConfirmationResult.VALID)
    )
    again = attrs.evolve(both, applied_on=d(13))
    with pytest.raises(
        TransitionError, match="already applied for on 2020-08-11 \\(valid\\)"
    ):
        h.record(ev(d(13), A.APPLY_FOR_CONFIRMATION, confirmation=again))
    # Refused by the court, reopened, agreed again: the new agreement may be put.
    h = agreed_history().record(ev(d(10), A.APPLY_FOR_CONFIRMATION, confirmation=both))
    h = h.record(
        ev(d(12), A.RECORD_CONFIRMATION_RESULT, result=ConfirmationResult.INVALID)
    )
    h = h.record(ev(d(13), A.ASSIGN, channel=MediationChannel.PEOPLES, handler_id="mc"))
    h = h.record(ev(d(15), A.AGREE, agreement=signed(d(15))))
    h = h.record(
        ev(
            d(16),
            A.APPLY_FOR_CONFIRMATION,
            confirmation=attrs.evolve(both, applied_on=d(16)),
        )
    )
    assert h.state.confirmation is not None
    assert h.state.confirmation.applied_on == d(16)


def test_refusal_by_someone_who_is_not_a_party_is_refused() -> None:
    h = DisputeHistory(initial=fresh())
    with pytest.raises(TransitionError, match="'stranger' is not a party"):
        h.record(ev(d(1), A.REFUSE, party_id="stranger"))
    refused = h.record(ev(d(1), A.REFUSE, party_id="proj"))
    assert refused.state.status is S.REFUSED
    with pytest.raises(TransitionError, match="cannot assign from refused"):
        refused.record(
            ev(d(2), A.ASSIGN, channel=MediationChannel.PEOPLES, handler_id="mc")
        )


def test_extending_the_period_needs_every_partys_consent() -> None:
    h = agreed_history()
    mediating = DisputeHistory(initial=h.initial, events=h.events[:2])
    with pytest.raises(TransitionError, match="consent of every party; missing 'proj'"):
        mediating.record(
            ev(d(20), A.EXTEND_DEADLINE, extended_to=d(50), consenting_ids=["cao"])
        )
    with pytest.raises(TransitionError, match="'x' not a party"):
        mediating.record(
            ev(
                d(20),
                A.EXTEND_DEADLINE,
                extended_to=d(50),
                consenting_ids=["cao", "proj", "x"],
            )
        )
    extended = mediating.record(
        ev(d(20), A.EXTEND_DEADLINE, extended_to=d(50), consenting_ids=PARTIES)
    )
    assert extended.state.deadline_extended_to == d(50)
    assert extended.state.status is S.MEDIATING
    with pytest.raises(TransitionError, match="already runs to 2020-09-20"):
        extended.record(
            ev(d(21), A.EXTEND_DEADLINE, extended_to=d(40), consenting_ids=PARTIES)
        )
    with pytest.raises(TransitionError, match="only while mediation is under way"):
        h.record(
            ev(d(20), A.EXTEND_DEADLINE, extended_to=d(50), consenting_ids=PARTIES)
        )


# ---------------------------------------------------------------- event records
@pytest.mark.parametrize(
    ("action", "args", "message"),
    [
        (A.ASSIGN, {"channel": MediationChannel.PEOPLES}, "needs handler_id"),
        (A.REFUSE, {}, "needs party_id"),
        (A.ACCEPT, {"party_id": "cao"}, "takes no party_id"),
        (A.REFER, {}, "needs route"),
        (A.ASSIGN, {"channel": MediationChannel.PEOPLES, "handler_id": " "}, "blank"),
        (
            A.EXTEND_DEADLINE,
            {"extended_to": START, "consenting_ids": PARTIES},
            "later day",
        ),
        (
            A.RECORD_CONFIRMATION_RESULT,
            {"result": ConfirmationResult.PENDING},
            "valid or invalid",
        ),
        (A.FOLLOW_UP, {"visit": FollowUp(on=d(3), performed=True)}, "day of the visit"),
        (A.AGREE, {"agreement": signed(d(3))}, "on or after the day it was reached"),
        (
            A.EXTEND_DEADLINE,
            {"extended_to": d(9), "consenting_ids": ("cao", "cao")},
            "distinct",
        ),
    ],
)
def test_an_event_takes_exactly_the_arguments_of_its_action(
    action: DisputeAction, args: dict[str, object], message: str
) -> None:
    with pytest.raises(ModelError, match=message):
        ev(START, action, **args)


def test_an_application_event_carries_a_pending_confirmation_on_its_day() -> None:
    decided = JudicialConfirmation(
        applied_on=START,
        applicant_ids=PARTIES,
        court="法院",
        result=ConfirmationResult.VALID,
        decided_on=START,
    )
    with pytest.raises(ModelError, match="pending confirmation"):
        ev(START, A.APPLY_FOR_CONFIRMATION, confirmation=decided)
    with pytest.raises(ModelError, match="applied_on day"):
        ev(
            d(1),
            A.APPLY_FOR_CONFIRMATION,
            confirmation=attrs.evolve(
                decided, result=ConfirmationResult.PENDING, decided_on=None
            ),
        )


def test_event_text_in_both_languages() -> None:
    e = ev(d(0), A.REFER, route=ReferralRoute.LITIGATION, note="告知诉讼途径")
    assert e.text() == "2020-08-01 refer: route=litigation (告知诉讼途径)"
    assert e.text("zh") == "2020-08-01 告知其他途径：route=litigation (告知诉讼途径)"
    assert e.arguments() == (("route", ReferralRoute.LITIGATION),)


# ---------------------------------------------------------------- stored records
@pytest.mark.parametrize("dispute", yueyanglou().disputes, ids=lambda x: x.id)
def test_every_bundled_record_is_the_end_of_its_rebuilt_history(
    dispute: Dispute,
) -> None:
    history = reconstruct_history(dispute)
    assert history.state == dispute
    assert history.initial.status is S.DISCOVERED
    assert replay_dispute(history.initial, history.events) == dispute


def test_the_lengshuipu_history() -> None:
    history = reconstruct_history(
        yueyanglou().dispute("lengshuipu-construction-cracks")
    )
    assert [(e.on, str(e.action)) for e in history.events] == [
        (date(2020, 8, 13), "accept"),
        (date(2020, 8, 13), "assign"),
        (date(2020, 8, 13), "agree"),
    ]
    assert history.text().splitlines()[0] == (
        "2020-08-13 reported (origin: unknown) at community level"
    )


def test_a_record_reopened_and_agreed_again_cannot_be_rebuilt() -> None:
    h = agreed_history()
    h = h.record(ev(d(6), A.REOPEN))
    h = h.record(ev(d(7), A.ASSIGN, channel=MediationChannel.PEOPLES, handler_id="mc"))
    h = h.record(ev(d(9), A.AGREE, agreement=signed(d(9))))
    with pytest.raises(ModelError, match="only the latest agreement is kept"):
        reconstruct_history(h.state)


def test_a_record_that_no_history_reaches_is_reported() -> None:
    impossible = fresh(
        status=S.MEDIATING, accepted_on=d(1), mediation_started_on=d(2)
    )  # mediating, but no channel or handler recorded
    with pytest.raises(ModelError, match="no channel or handler"):
        reconstruct_history(impossible)


def test_a_reopened_and_referred_record_is_rebuilt() -> None:
    h = agreed_history().record(ev(d(6), A.REOPEN))
    h = h.record(ev(d(8), A.REFER, route=ReferralRoute.LITIGATION))
    rebuilt = reconstruct_history(h.state)
    assert rebuilt.state == h.state
    assert [str(e.action) for e in rebuilt.events][-2:] == ["reopen", "refer"]
    assert rebuilt.dispute_id == "d-1"


@pytest.mark.parametrize(
    ("changes", "why"),
    [
        ({"status": S.REFUSED, "accepted_on": d(1)}, "refused but no refused_by"),
        ({"status": S.TERMINATED}, "without ended_on"),
        ({"status": S.REOPENED}, "reopened but no reopened_on"),
        ({"status": S.REFERRED}, "referred but no referral route"),
        (
            {
                "status": S.REFERRED,
                "referral": ReferralRoute.LITIGATION,
                "ended_on": d(3),
            },
            "cannot terminate from discovered",
        ),
        (
            {
                "status": S.CLOSED,
                "referral": ReferralRoute.LITIGATION,
                "refused_by": "cao",
                "ended_on": d(3),
            },
            "closed but no closed_on",
        ),
        (
            {"status": S.REOPENED, "reopened_on": d(3), "accepted_on": d(1)},
            "no agreement in effect",
        ),
        (
            {"accepted_on": d(3), "status": S.ACCEPTED, "ended_on": d(2)},
            "different ended_on",
        ),
    ],
)
def test_a_record_missing_what_its_status_implies_cannot_be_rebuilt(
    changes: dict[str, object], why: str
) -> None:
    with pytest.raises(ModelError, match=why):
        reconstruct_history(fresh(**changes))


def test_a_record_whose_steps_the_law_forbids_cannot_be_rebuilt() -> None:
    one_party = JudicialConfirmation(
        applied_on=d(3), applicant_ids=["cao"], court="法院"
    )
    record = fresh(
        status=S.AGREED,
        accepted_on=d(1),
        mediation_started_on=d(1),
        channel=MediationChannel.PEOPLES,
        handler_id="mc",
        agreement=signed(d(2)),
        ended_on=d(2),
        confirmation=one_party,
    )
    with pytest.raises(ModelError, match=r"cannot rebuild .* jointly by all parties"):
        reconstruct_history(record)
