"""Disputes over time: recorded lifecycle events, replay, and timers (DESIGN.md §7.2).

A `countypolicing.model.Dispute` knows its lifecycle (DOMAIN.md §9.3) and the
People's Mediation Law guards. This module keeps *how it got there*:

- `DisputeEvent` is one recorded step: its date, its action (`DisputeAction`) and
  the action's arguments. `apply_event` applies one step, `replay_dispute` a
  sequence, and `DisputeHistory` keeps a dispute as it was first recorded with
  every step since, refusing any step the lifecycle or the law does not allow.
  Steps never go back in time, and a closed dispute (结案) takes no more steps.
- Moving the dispute up a level (grid → community → sub-district → district) is the
  separate action ``escalate_level``: ``handling_level`` is not a state.
- Extending the one-month mediation period needs every party's consent and is a
  step of its own (``extend_deadline``).
- `reconstruct_history` rebuilds a plausible history from a stored dispute record
  (the bundled county keeps records, not histories) and checks that replaying it
  gives the record back.
- `dispute_timers` evaluates the clocks against an explicit ``as_of`` day: the
  one-month mediation target, the 30-day window for judicial confirmation
  (People's Mediation Law art. 33: day 30 is in time, day 31 is not) and any local
  service levels (`ServiceLevel`).

Nothing here reads the clock.
"""

from __future__ import annotations

import calendar
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from datetime import date
from typing import Final

import attrs

from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model import (
    DISPUTE_TRANSITIONS,
    ConfirmationResult,
    Dispute,
    DisputeStatus,
    FollowUp,
    HandlingLevel,
    JudicialConfirmation,
    LabelledEnum,
    MediationAgreement,
    MediationChannel,
    ReferralRoute,
)

__all__ = [
    "DisputeAction",
    "DisputeEvent",
    "DisputeHistory",
    "DisputeTimers",
    "MediationPolicy",
    "Milestone",
    "ServiceLevel",
    "Timer",
    "TimerState",
    "apply_event",
    "dispute_timers",
    "reconstruct_history",
    "replay_dispute",
]

_S = DisputeStatus

#: States in which mediation is under way: the one-month clock runs.
_UNDER_WAY: Final = frozenset({_S.ACCEPTED, _S.MEDIATING, _S.REOPENED})


class DisputeAction(LabelledEnum):
    """The steps a dispute's history records, one per lifecycle method.

    ``extend_deadline`` (延长调解期限, with every party's consent) is the one step
    the model has no method for; `apply_event` applies it.

    Examples:
        >>> DisputeAction.EXTEND_DEADLINE.label_zh
        '延长调解期限'

    Added in version 0.1.0.
    """

    ACCEPT = "accept"
    ASSIGN = "assign"
    REFUSE = "refuse"
    AGREE = "agree"
    TERMINATE = "terminate"
    REFER = "refer"
    ESCALATE_TO_POLICE = "escalate_to_police"
    PERFORM = "perform"
    APPLY_FOR_CONFIRMATION = "apply_for_confirmation"
    RECORD_CONFIRMATION_RESULT = "record_confirmation_result"
    REOPEN = "reopen"
    FOLLOW_UP = "follow_up"
    CLOSE = "close"
    ESCALATE_LEVEL = "escalate_level"
    EXTEND_DEADLINE = "extend_deadline"
    __zh__ = {  # noqa: RUF012  # read-only label table, as in model enums
        "accept": "受理",
        "assign": "分流交办",
        "refuse": "当事人拒绝调解",
        "agree": "达成调解协议",
        "terminate": "终止调解",
        "refer": "告知其他途径",
        "escalate_to_police": "报告公安",
        "perform": "履行协议",
        "apply_for_confirmation": "申请司法确认",
        "record_confirmation_result": "司法确认结果",
        "reopen": "重新处理",
        "follow_up": "回访",
        "close": "结案",
        "escalate_level": "提级处理",
        "extend_deadline": "延长调解期限",
    }


_A = DisputeAction

#: The argument fields of an event, in display order.
_ARGUMENTS: Final = (
    "channel",
    "handler_id",
    "mediator_ids",
    "party_id",
    "agreement",
    "route",
    "confirmation",
    "result",
    "visit",
    "level",
    "extended_to",
    "consenting_ids",
)

#: The arguments each action needs; ``mediator_ids`` is optional for ``assign``.
_NEEDS: Final[Mapping[DisputeAction, frozenset[str]]] = {
    _A.ACCEPT: frozenset(),
    _A.ASSIGN: frozenset({"channel", "handler_id"}),
    _A.REFUSE: frozenset({"party_id"}),
    _A.AGREE: frozenset({"agreement"}),
    _A.TERMINATE: frozenset(),
    _A.REFER: frozenset({"route"}),
    _A.ESCALATE_TO_POLICE: frozenset(),
    _A.PERFORM: frozenset(),
    _A.APPLY_FOR_CONFIRMATION: frozenset({"confirmation"}),
    _A.RECORD_CONFIRMATION_RESULT: frozenset({"result"}),
    _A.REOPEN: frozenset(),
    _A.FOLLOW_UP: frozenset({"visit"}),
    _A.CLOSE: frozenset(),
    _A.ESCALATE_LEVEL: frozenset({"level"}),
    _A.EXTEND_DEADLINE: frozenset({"extended_to", "consenting_ids"}),
}
_MAY: Final[Mapping[DisputeAction, frozenset[str]]] = {
    _A.ASSIGN: frozenset({"mediator_ids"}),
}


def _id_tuple(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DisputeEvent:
    """One recorded step of a dispute: when, which action, and its arguments.

    Each action takes exactly the arguments its lifecycle method takes (``assign``:
    ``channel``, ``handler_id`` and optionally ``mediator_ids``; ``refuse``:
    ``party_id``; ``agree``: ``agreement``; ``refer``: ``route``;
    ``apply_for_confirmation``: ``confirmation``; ``record_confirmation_result``:
    ``result``; ``follow_up``: ``visit``; ``escalate_level``: ``level``;
    ``extend_deadline``: ``extended_to`` and ``consenting_ids``); any other
    argument is an error, so a record says exactly what happened.

    Examples:
        >>> e = DisputeEvent(
        ...     on=date(2020, 8, 13),
        ...     action=DisputeAction.ASSIGN,
        ...     channel=MediationChannel.PEOPLES,
        ...     handler_id="lengshuipu-grassroots-mc",
        ... )
        >>> print(e.text())
        2020-08-13 assign: channel=peoples, handler_id=lengshuipu-grassroots-mc
        >>> DisputeEvent(on=date(2020, 8, 13), action=DisputeAction.REFER)
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: a refer event needs route

    Added in version 0.1.0.
    """

    on: date
    action: DisputeAction
    channel: MediationChannel | None = None
    handler_id: str | None = None
    mediator_ids: tuple[str, ...] = attrs.field(default=(), converter=_id_tuple)
    party_id: str | None = None
    agreement: MediationAgreement | None = None
    route: ReferralRoute | None = None
    confirmation: JudicialConfirmation | None = None
    result: ConfirmationResult | None = None
    visit: FollowUp | None = None
    level: HandlingLevel | None = None
    extended_to: date | None = None
    consenting_ids: tuple[str, ...] = attrs.field(default=(), converter=_id_tuple)
    note: str | None = None

    def __attrs_post_init__(self) -> None:
        needs = _NEEDS[self.action]
        may = needs | _MAY.get(self.action, frozenset())
        for name in _ARGUMENTS:
            value = getattr(self, name)
            given = value is not None and value != ()
            if name in needs and not given:
                raise ModelError(f"a {self.action} event needs {name}", field=name)
            if given and name not in may:
                raise ModelError(f"a {self.action} event takes no {name}", field=name)
        for name in ("handler_id", "party_id", "note"):
            value = getattr(self, name)
            if value is not None and not value.strip():
                raise ModelError(f"{name} must not be blank", field=name)
        for name in ("mediator_ids", "consenting_ids"):
            ids = getattr(self, name)
            if any(not i.strip() for i in ids) or len(set(ids)) != len(ids):
                raise ModelError(f"{name} must be distinct, non-blank ids", field=name)
        self._check_dates()

    def _check_dates(self) -> None:
        if self.agreement is not None and self.on < self.agreement.reached_on:
            raise ModelError(
                "an agreement is recorded on or after the day it was reached",
                field="on",
            )
        if self.confirmation is not None:
            if self.on != self.confirmation.applied_on:
                raise ModelError(
                    "an application for confirmation is recorded on its applied_on day",
                    field="on",
                )
            if self.confirmation.result is not ConfirmationResult.PENDING:
                raise ModelError(
                    "apply with a pending confirmation; record the court's decision "
                    "as a record_confirmation_result event",
                    field="confirmation",
                )
        if self.result is ConfirmationResult.PENDING:
            raise ModelError("the court's result is valid or invalid", field="result")
        if self.visit is not None and self.on != self.visit.on:
            raise ModelError(
                "a follow-up is recorded on the day of the visit", field="on"
            )
        if self.extended_to is not None and self.extended_to <= self.on:
            raise ModelError(
                "the mediation period is extended to a later day", field="extended_to"
            )

    def arguments(self) -> tuple[tuple[str, object], ...]:
        """The arguments given, as ``(name, value)`` pairs in a fixed order."""
        out: list[tuple[str, object]] = []
        for name in _ARGUMENTS:
            value = getattr(self, name)
            if value is not None and value != ():
                out.append((name, value))
        return tuple(out)

    def text(self, lang: str = "en") -> str:
        """The step on one line: date, action and arguments."""
        label = self.action.label_zh if lang == "zh" else str(self.action)
        args = ", ".join(f"{k}={_show(v)}" for k, v in self.arguments())
        sep = "：" if lang == "zh" else ": "
        line = f"{self.on.isoformat()} {label}" + (f"{sep}{args}" if args else "")
        return line + (f" ({self.note})" if self.note else "")


def _show(value: object) -> str:  # noqa: PLR0911  # one form per argument type
    if isinstance(value, LabelledEnum):
        return str(value)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, tuple):
        return "+".join(_show(v) for v in value)
    if isinstance(value, MediationAgreement):
        return f"{value.form} agreement of {value.reached_on.isoformat()}"
    if isinstance(value, JudicialConfirmation):
        return f"{'+'.join(value.applicant_ids)} to {value.court}"
    if isinstance(value, FollowUp):
        return "performed" if value.performed else "not performed"
    return str(value)


def _last_recorded(dispute: Dispute) -> date:
    """The latest day the record itself shows something happening."""
    days = [
        dispute.reported_on,
        dispute.accepted_on,
        dispute.mediation_started_on,
        dispute.ended_on,
        dispute.reopened_on,
        dispute.closed_on,
    ]
    if dispute.agreement is not None:
        days += [dispute.agreement.reached_on, dispute.agreement.signed_on]
    if dispute.confirmation is not None:
        days += [dispute.confirmation.applied_on, dispute.confirmation.decided_on]
    days += [v.on for v in dispute.follow_ups]
    return max(d for d in days if d is not None)


def _refuse_step(dispute: Dispute, event: DisputeEvent, message: str) -> None:
    raise TransitionError(
        f"dispute {dispute.id!r}: {message}",
        state=dispute.status,
        action=str(event.action),
        record_id=dispute.id,
    )


def _extend(dispute: Dispute, event: DisputeEvent) -> Dispute:
    assert event.extended_to is not None  # noqa: S101  # checked by DisputeEvent
    if dispute.status not in _UNDER_WAY:
        _refuse_step(
            dispute,
            event,
            "the mediation period is extended only while mediation is under way "
            f"(accepted, mediating, reopened), not {dispute.status}",
        )
    strangers = [p for p in event.consenting_ids if p not in dispute.party_ids]
    if strangers:
        _refuse_step(dispute, event, f"{', '.join(map(repr, strangers))} not a party")
    missing = [p for p in dispute.party_ids if p not in event.consenting_ids]
    if missing:
        _refuse_step(
            dispute,
            event,
            "extending the mediation period needs the consent of every party; "
            f"missing {', '.join(map(repr, missing))}",
        )
    current = dispute.deadline_extended_to
    if current is not None and event.extended_to <= current:
        _refuse_step(
            dispute,
            event,
            f"the period already runs to {current.isoformat()}; extend it beyond that",
        )
    return attrs.evolve(dispute, deadline_extended_to=event.extended_to)


_Apply = Callable[[Dispute, DisputeEvent], Dispute]

_APPLY: Final[Mapping[DisputeAction, _Apply]] = {
    _A.ACCEPT: lambda d, e: d.accept(on=e.on),
    _A.ASSIGN: lambda d, e: d.assign(
        on=e.on,
        channel=e.channel,  # type: ignore[arg-type]  # checked by DisputeEvent
        handler_id=e.handler_id,  # type: ignore[arg-type]  # same
        mediator_ids=e.mediator_ids,
    ),
    _A.REFUSE: lambda d, e: d.refuse(on=e.on, by=e.party_id),  # type: ignore[arg-type]  # same
    _A.AGREE: lambda d, e: d.agree(e.agreement),  # type: ignore[arg-type]  # same
    _A.TERMINATE: lambda d, e: d.terminate(on=e.on),
    _A.REFER: lambda d, e: d.refer(on=e.on, route=e.route),  # type: ignore[arg-type]  # same
    _A.ESCALATE_TO_POLICE: lambda d, e: d.escalate_to_police(on=e.on),
    _A.PERFORM: lambda d, e: d.perform(on=e.on),
    _A.APPLY_FOR_CONFIRMATION: lambda d, e: d.apply_for_confirmation(
        e.confirmation  # type: ignore[arg-type]  # same
    ),
    _A.RECORD_CONFIRMATION_RESULT: lambda d, e: d.record_confirmation_result(
        e.result,  # type: ignore[arg-type]  # same
        on=e.on,
    ),
    _A.REOPEN: lambda d, e: d.reopen(on=e.on),
    _A.FOLLOW_UP: lambda d, e: d.follow_up(e.visit),  # type: ignore[arg-type]  # same
    _A.CLOSE: lambda d, e: d.close(on=e.on),
    _A.ESCALATE_LEVEL: lambda d, e: d.escalate_level(e.level),  # type: ignore[arg-type]  # same
    _A.EXTEND_DEADLINE: _extend,
}


def apply_event(dispute: Dispute, event: DisputeEvent) -> Dispute:
    """The dispute after one recorded step.

    Args:
        dispute: the dispute before the step.
        event: the step.

    Returns:
        A new `Dispute`; the argument is not changed.

    Raises:
        TransitionError: the lifecycle or a People's Mediation Law guard forbids the
            step, the dispute is closed (结案: nothing changes it any more), or the
            step is dated before something the record already shows.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> d = yueyanglou().dispute("dispute-10")
        >>> d.status
        <DisputeStatus.DISCOVERED: 'discovered'>
        >>> apply_event(
        ...     d, DisputeEvent(on=date(2020, 9, 1), action=DisputeAction.ACCEPT)
        ... ).status
        <DisputeStatus.ACCEPTED: 'accepted'>

    Added in version 0.1.0.
    """
    if dispute.status is _S.CLOSED:
        closed = dispute.closed_on.isoformat() if dispute.closed_on else "?"
        _refuse_step(
            dispute,
            event,
            f"closed (结案) on {closed}; a closed dispute takes no more steps",
        )
    last = _last_recorded(dispute)
    if event.on < last:
        _refuse_step(
            dispute,
            event,
            f"a {event.action} step dated {event.on.isoformat()} comes before "
            f"{last.isoformat()}, already on record; steps do not go back in time",
        )
    if event.action is _A.APPLY_FOR_CONFIRMATION:
        _one_application(dispute, event)
    return _APPLY[event.action](dispute, event)


def _current_application(dispute: Dispute) -> JudicialConfirmation | None:
    """The application for confirmation of the agreement now in effect, if any."""
    effective = dispute.agreement_effective_on
    confirmation = dispute.confirmation
    if confirmation is None or effective is None or confirmation.applied_on < effective:
        return None  # none, or one for an earlier agreement (reopened since)
    return confirmation


def _one_application(dispute: Dispute, event: DisputeEvent) -> None:
    """One application per agreement; the model would overwrite the court's decision."""
    current = _current_application(dispute)
    if current is not None:
        _refuse_step(
            dispute,
            event,
            "judicial confirmation of this agreement was already applied for on "
            f"{current.applied_on.isoformat()} ({current.result})",
        )


def replay_dispute(initial: Dispute, events: Iterable[DisputeEvent]) -> Dispute:
    """Apply recorded steps, in order, to the dispute as first recorded.

    Args:
        initial: the dispute when it was first recorded (usually ``discovered``).
        events: its steps, oldest first; their dates never decrease.

    Returns:
        The dispute after the last step.

    Raises:
        TransitionError: a step is not allowed where it comes (the note on the
            error names the step's position), or dated before the step before it.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> history = reconstruct_history(
        ...     yueyanglou().dispute("lengshuipu-construction-cracks")
        ... )
        >>> replay_dispute(history.initial, history.events).status
        <DisputeStatus.AGREED: 'agreed'>

    Added in version 0.1.0.
    """
    state = initial
    previous: date | None = None
    for index, event in enumerate(events):
        try:
            if previous is not None and event.on < previous:
                _refuse_step(
                    state,
                    event,
                    f"a {event.action} step dated {event.on.isoformat()} comes "
                    f"before the step before it ({previous.isoformat()}); steps do "
                    "not go back in time",
                )
            state = apply_event(state, event)
        except ModelError as exc:
            exc.add_note(f"while replaying step {index} ({event.text()})")
            raise
        previous = event.on
    return state


def _events(value: Iterable[DisputeEvent]) -> tuple[DisputeEvent, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DisputeHistory:
    """A dispute as first recorded, every step since, and where that leaves it.

    Constructing a history replays it, so a history that exists is a legal one;
    `record` adds a step only if the lifecycle and the law allow it.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> h = DisputeHistory(initial=yueyanglou().dispute("dispute-10"))
        >>> h = h.record(DisputeEvent(on=date(2020, 9, 1), action=DisputeAction.ACCEPT))
        >>> h = h.record(
        ...     DisputeEvent(
        ...         on=date(2020, 9, 2),
        ...         action=DisputeAction.ASSIGN,
        ...         channel=MediationChannel.PEOPLES,
        ...         handler_id="xuepo-mc",
        ...     )
        ... )
        >>> h.state.status, len(h.events)
        (<DisputeStatus.MEDIATING: 'mediating'>, 2)
        >>> h.state_on(date(2020, 9, 1)).status
        <DisputeStatus.ACCEPTED: 'accepted'>

    Added in version 0.1.0.
    """

    initial: Dispute
    events: tuple[DisputeEvent, ...] = attrs.field(default=(), converter=_events)
    state: Dispute = attrs.field(init=False, eq=False, hash=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "state", replay_dispute(self.initial, self.events))

    @property
    def dispute_id(self) -> str:
        """The dispute's id."""
        return self.initial.id

    @property
    def last_on(self) -> date:
        """The day of the latest step (or of the first record, if none)."""
        last = _last_recorded(self.initial)
        return max(last, self.events[-1].on) if self.events else last

    def record(self, event: DisputeEvent) -> DisputeHistory:
        """This history with one more step (raises `TransitionError` if not allowed)."""
        if event.on < self.last_on:
            _refuse_step(
                self.state,
                event,
                f"a {event.action} step dated {event.on.isoformat()} comes before "
                f"the last step ({self.last_on.isoformat()}); steps do not go back "
                "in time",
            )
        state = apply_event(self.state, event)
        return self._extended(event, state)

    def _extended(self, event: DisputeEvent, state: Dispute) -> DisputeHistory:
        """This history plus ``event``, which leads to ``state`` (already checked)."""
        new = object.__new__(DisputeHistory)
        object.__setattr__(new, "initial", self.initial)
        object.__setattr__(new, "events", (*self.events, event))
        object.__setattr__(new, "state", state)
        return new

    def state_on(self, day: date) -> Dispute | None:
        """The dispute as it stood at the end of ``day`` (``None`` before it was reported)."""
        if day < self.initial.reported_on:
            return None
        return replay_dispute(self.initial, (e for e in self.events if e.on <= day))

    def level_changes(self) -> tuple[tuple[date, HandlingLevel], ...]:
        """When the dispute moved up a level, and to which (separate from status)."""
        return tuple(
            (e.on, e.level)
            for e in self.events
            if e.action is _A.ESCALATE_LEVEL and e.level is not None
        )

    def text(self, lang: str = "en") -> str:
        """The history, one step a line, ending with the current state."""
        zh = lang == "zh"
        first = self.initial
        head = (
            f"{first.reported_on.isoformat()} "
            + (
                f"发现（{first.origin.label_zh}）"
                if zh
                else f"reported (origin: {first.origin})"
            )
            + (f"，{first.handling_level.label_zh}层级" if zh else "")
            + ("" if zh else f" at {first.handling_level} level")
        )
        lines = [head, *(e.text(lang) for e in self.events)]
        s = self.state
        lines.append(
            f"现状：{s.status.label_zh}，{s.handling_level.label_zh}层级"
            if zh
            else f"now: {s.status} at {s.handling_level} level"
        )
        return "\n".join(lines)


# ---------------------------------------------------------------- reconstruction
def _as_reported(dispute: Dispute) -> Dispute:
    """The dispute as first recorded: discovered, nothing done yet."""
    return attrs.evolve(
        dispute,
        status=_S.DISCOVERED,
        channel=None,
        handler_id=None,
        mediator_ids=(),
        accepted_on=None,
        mediation_started_on=None,
        deadline_extended_to=None,
        agreement=None,
        confirmation=None,
        follow_ups=(),
        referral=None,
        refused_by=None,
        ended_on=None,
        reopened_on=None,
        closed_on=None,
    )


def _cannot(dispute: Dispute, why: str) -> ModelError:
    why = why.removeprefix(f"dispute {dispute.id!r}: ")
    return ModelError(
        f"dispute {dispute.id!r}: cannot rebuild its history from the record: {why}; "
        "keep its steps in a DisputeHistory instead",
        record_id=dispute.id,
    )


def _assign_step(dispute: Dispute) -> DisputeEvent:
    if dispute.mediation_started_on is None:
        raise _cannot(dispute, "no mediation_started_on")
    if dispute.channel is None or dispute.handler_id is None:
        raise _cannot(dispute, "mediation started but no channel or handler recorded")
    return DisputeEvent(
        on=dispute.mediation_started_on,
        action=_A.ASSIGN,
        channel=dispute.channel,
        handler_id=dispute.handler_id,
        mediator_ids=dispute.mediator_ids,
    )


def _agreement_steps(dispute: Dispute, *, performed: bool) -> list[DisputeEvent]:
    agreement = dispute.agreement
    effective = dispute.agreement_effective_on
    if agreement is None or effective is None:
        raise _cannot(dispute, "no agreement in effect")
    steps = [DisputeEvent(on=effective, action=_A.AGREE, agreement=agreement)]
    confirmation = dispute.confirmation
    if confirmation is not None:
        steps.append(
            DisputeEvent(
                on=confirmation.applied_on,
                action=_A.APPLY_FOR_CONFIRMATION,
                confirmation=attrs.evolve(
                    confirmation, result=ConfirmationResult.PENDING, decided_on=None
                ),
            )
        )
        if confirmation.result is not ConfirmationResult.PENDING:
            assert confirmation.decided_on is not None  # noqa: S101  # model invariant
            steps.append(
                DisputeEvent(
                    on=confirmation.decided_on,
                    action=_A.RECORD_CONFIRMATION_RESULT,
                    result=confirmation.result,
                )
            )
    visits = [
        DisputeEvent(on=v.on, action=_A.FOLLOW_UP, visit=v) for v in dispute.follow_ups
    ]
    if performed:
        done = [v.on for v in dispute.follow_ups if v.performed]
        # The record keeps no date of performance: take the first visit that found
        # the agreement performed, else the day it took effect.
        on = max(min(done), effective) if done else effective
        steps.append(DisputeEvent(on=on, action=_A.PERFORM))
    steps += visits
    return steps


def _reopen_steps(dispute: Dispute, reopened_on: date) -> list[DisputeEvent]:
    """Agreement steps, then the reopening (unless the court's refusal did it)."""
    steps = _agreement_steps(dispute, performed=False)
    refused = dispute.confirmation is not None and (
        dispute.confirmation.result is ConfirmationResult.INVALID
    )
    if not refused:
        steps.append(DisputeEvent(on=reopened_on, action=_A.REOPEN))
    return steps


def _closed_on(dispute: Dispute) -> date:
    if dispute.closed_on is None:
        raise _cannot(dispute, "closed but no closed_on")
    return dispute.closed_on


def _ended_on(dispute: Dispute) -> date:
    if dispute.ended_on is None:
        raise _cannot(dispute, f"a {dispute.status} dispute without ended_on")
    return dispute.ended_on


def _closing_steps(dispute: Dispute) -> list[DisputeEvent]:  # noqa: C901, PLR0912  # one branch per way a dispute ends
    status = dispute.status
    steps: list[DisputeEvent] = []
    if dispute.referral is not None and status in {_S.REFERRED, _S.CLOSED}:
        ended = _ended_on(dispute)
        if dispute.refused_by is not None:
            steps.append(
                DisputeEvent(on=ended, action=_A.REFUSE, party_id=dispute.refused_by)
            )
        elif dispute.reopened_on is not None:
            steps += _reopen_steps(dispute, dispute.reopened_on)
        else:
            steps.append(DisputeEvent(on=ended, action=_A.TERMINATE))
        steps.append(DisputeEvent(on=ended, action=_A.REFER, route=dispute.referral))
        if status is _S.CLOSED:
            steps.append(DisputeEvent(on=_closed_on(dispute), action=_A.CLOSE))
        return steps
    if status in {_S.AGREED, _S.PERFORMED, _S.CLOSED}:
        if dispute.reopened_on is not None:
            raise _cannot(
                dispute,
                "it was reopened and agreed again (only the latest agreement is kept)",
            )
        steps += _agreement_steps(dispute, performed=status is not _S.AGREED)
        if status is _S.CLOSED:
            steps.append(DisputeEvent(on=_closed_on(dispute), action=_A.CLOSE))
    elif status is _S.REFUSED:
        if dispute.refused_by is None:
            raise _cannot(dispute, "refused but no refused_by")
        steps.append(
            DisputeEvent(
                on=_ended_on(dispute), action=_A.REFUSE, party_id=dispute.refused_by
            )
        )
    elif status is _S.TERMINATED:
        steps.append(DisputeEvent(on=_ended_on(dispute), action=_A.TERMINATE))
    elif status is _S.ESCALATED_TO_POLICE:
        steps.append(DisputeEvent(on=_ended_on(dispute), action=_A.ESCALATE_TO_POLICE))
    elif status is _S.REOPENED:
        if dispute.reopened_on is None:
            raise _cannot(dispute, "reopened but no reopened_on")
        steps += _reopen_steps(dispute, dispute.reopened_on)
    elif status is _S.REFERRED:
        raise _cannot(dispute, "referred but no referral route")
    return steps


#: Same-day order of the rebuilt steps: the lifecycle's own order.
_ORDER: Final = {action: index for index, action in enumerate(DisputeAction)}
_ORDER_FIX: Final = {
    _A.PERFORM: _ORDER[_A.APPLY_FOR_CONFIRMATION] - 0.5,
    _A.FOLLOW_UP: _ORDER[_A.APPLY_FOR_CONFIRMATION] - 0.25,
}


def reconstruct_history(dispute: Dispute) -> DisputeHistory:
    """A history that leads to a stored dispute record, checked by replaying it.

    Stored records keep dates, not steps. The rebuilt history starts from the record
    as reported (same parties, type, origin, level and escalation risk) and takes
    each step on the day the record gives for it; where the record keeps no day
    (performance of an agreement), it uses the first follow-up visit that found the
    agreement performed, else the day the agreement took effect. The level is kept
    from the record: the record does not say when it changed.

    Args:
        dispute: a stored dispute.

    Returns:
        A `DisputeHistory` whose ``state`` equals ``dispute``.

    Raises:
        ModelError: the record cannot be the end of any legal history (the message
            says why), or it keeps too little to rebuild one (a dispute reopened and
            agreed again keeps only its latest agreement).

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> d = yueyanglou().dispute("lengshuipu-construction-cracks")
        >>> h = reconstruct_history(d)
        >>> [str(e.action) for e in h.events]
        ['accept', 'assign', 'agree']
        >>> h.state == d
        True

    Added in version 0.1.0.
    """
    initial = _as_reported(dispute)
    steps: list[DisputeEvent] = []
    if dispute.accepted_on is not None:
        steps.append(DisputeEvent(on=dispute.accepted_on, action=_A.ACCEPT))
    needs_assign = dispute.status in {_S.MEDIATING, _S.AGREED, _S.PERFORMED} or (
        dispute.mediation_started_on is not None
    )
    if needs_assign:
        steps.append(_assign_step(dispute))
    steps += _closing_steps(dispute)
    steps.sort(key=lambda e: (e.on, _ORDER_FIX.get(e.action, _ORDER[e.action])))
    try:
        history = DisputeHistory(initial=initial, events=steps)
    except ModelError as exc:
        raise _cannot(dispute, exc.message) from exc
    if history.state != dispute:
        differ = [
            f.name
            for f in attrs.fields(Dispute)
            if getattr(history.state, f.name) != getattr(dispute, f.name)
        ]
        raise _cannot(dispute, f"replaying it gives a different {', '.join(differ)}")
    return history


# ---------------------------------------------------------------- timers
class TimerState(LabelledEnum):
    """Where a clock stands on a day.

    ``overdue`` is for obligations (the mediation target, a service level);
    ``expired`` for an optional window left unused (judicial confirmation).

    Examples:
        >>> TimerState.EXPIRED.label_zh
        '已过期'

    Added in version 0.1.0.
    """

    NOT_STARTED = "not_started"
    RUNNING = "running"
    OVERDUE = "overdue"
    MET = "met"
    MISSED = "missed"
    EXPIRED = "expired"
    NOT_APPLICABLE = "not_applicable"
    __zh__ = {  # noqa: RUF012  # read-only label table, as in model enums
        "not_started": "未开始",
        "running": "计时中",
        "overdue": "已超期",
        "met": "按期完成",
        "missed": "超期完成",
        "expired": "已过期",
        "not_applicable": "不适用",
    }


class Milestone(LabelledEnum):
    """Points in a dispute's life that a local service level may measure between.

    Examples:
        >>> Milestone.CONCLUDED.label_zh
        '调解结束'

    Added in version 0.1.0.
    """

    REPORTED = "reported"
    ACCEPTED = "accepted"
    MEDIATION_STARTED = "mediation_started"
    CONCLUDED = "concluded"
    CLOSED = "closed"
    __zh__ = {  # noqa: RUF012  # read-only label table, as in model enums
        "reported": "发现/报告",
        "accepted": "受理",
        "mediation_started": "开始调解",
        "concluded": "调解结束",
        "closed": "结案",
    }


#: The actions after which each milestone has been reached.
_REACHED_BY: Final[Mapping[Milestone, frozenset[str]]] = {
    Milestone.REPORTED: frozenset(),
    Milestone.ACCEPTED: frozenset({"accept"}),
    Milestone.MEDIATION_STARTED: frozenset({"assign"}),
    Milestone.CONCLUDED: frozenset(
        {"agree", "refuse", "terminate", "refer", "escalate_to_police"}
    ),
    Milestone.CLOSED: frozenset({"close"}),
}


def _still_reachable(status: DisputeStatus, milestone: Milestone) -> bool:
    """Whether some legal path from ``status`` still passes ``milestone``."""
    seen = {status}
    queue = deque([status])
    while queue:
        here = queue.popleft()
        for (state, action), target in DISPUTE_TRANSITIONS.items():
            if state is not here:
                continue
            if action in _REACHED_BY[milestone]:
                return True
            if target not in seen:
                seen.add(target)
                queue.append(target)
    return False


def _milestone_on(dispute: Dispute, milestone: Milestone) -> date | None:
    if milestone is Milestone.REPORTED:
        return dispute.reported_on
    if milestone is Milestone.ACCEPTED:
        return dispute.accepted_on
    if milestone is Milestone.MEDIATION_STARTED:
        return dispute.mediation_started_on
    if milestone is Milestone.CONCLUDED:
        running = dispute.status in _UNDER_WAY or dispute.status is _S.DISCOVERED
        return None if running else dispute.ended_on
    return dispute.closed_on


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    del instance
    if value < 1:
        raise ModelError(f"{attribute.name} must be at least 1", field=attribute.name)


def _non_negative(
    instance: object, attribute: attrs.Attribute[int], value: int
) -> None:
    del instance
    if value < 0:
        raise ModelError(f"{attribute.name} must not be negative", field=attribute.name)


@attrs.frozen(kw_only=True)
class ServiceLevel:
    """A local service level: from one milestone to another within so many days.

    Local rules add their own targets to the law's; for example, one city asks for
    feedback within 24 hours and complex cases within 5 days (DOMAIN.md §4.3, S31):
    ``ServiceLevel(name="feedback", start=Milestone.REPORTED,
    end=Milestone.ACCEPTED, within_days=1)``. Days are calendar days; a target of 0
    means the same day.

    Examples:
        >>> ServiceLevel(
        ...     name="x", start=Milestone.CLOSED, end=Milestone.ACCEPTED, within_days=1
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: a service level runs forward: accepted does not come after closed

    Added in version 0.1.0.
    """

    name: str
    start: Milestone
    end: Milestone
    within_days: int = attrs.field(validator=_non_negative)

    def __attrs_post_init__(self) -> None:
        if not self.name.strip():
            raise ModelError("a service level needs a name", field="name")
        order = list(Milestone)
        if order.index(self.end) <= order.index(self.start):
            raise ModelError(
                f"a service level runs forward: {self.end} does not come after "
                f"{self.start}",
                field="end",
            )


def _levels(value: Iterable[ServiceLevel]) -> tuple[ServiceLevel, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class MediationPolicy:
    """The clocks a dispute runs against, beyond the law's fixed 30-day window.

    Attributes:
        target_months: mediate to a conclusion within this many calendar months of
            acceptance (or of reopening); one month is the Ministry of Justice's
            general rule and the local regulations' default (DOMAIN.md §4.5, S27,
            S28). Both parties may agree to extend it (``extend_deadline``).
        service_levels: local targets (`ServiceLevel`), none by default.

    Examples:
        >>> feedback = ServiceLevel(
        ...     name="feedback-24h",
        ...     start=Milestone.REPORTED,
        ...     end=Milestone.ACCEPTED,
        ...     within_days=1,
        ... )
        >>> MediationPolicy(service_levels=[feedback]).target_months
        1

    Added in version 0.1.0.
    """

    target_months: int = attrs.field(default=1, validator=_positive)
    service_levels: tuple[ServiceLevel, ...] = attrs.field(
        default=(), converter=_levels
    )


_DEFAULT_POLICY: Final = MediationPolicy()


_TIMER_ZH: Final = {"mediation": "调解期限", "judicial_confirmation": "司法确认申请期"}


@attrs.frozen(kw_only=True)
class Timer:
    """One clock of one dispute on one day.

    Attributes:
        name: ``mediation``, ``judicial_confirmation`` or a service level's name.
        state: where it stands.
        started_on: the day it started, if it has.
        due_on: the last day that is still in time.
        stopped_on: the day it stopped (the step it waits for happened), if it has.
        days_left: days from ``as_of`` to ``due_on`` while it runs (negative when
            overdue or expired).

    Examples:
        >>> t = Timer(
        ...     name="mediation",
        ...     state=TimerState.OVERDUE,
        ...     due_on=date(2020, 9, 13),
        ...     days_left=-2,
        ... )
        >>> print(t.text())
        mediation: overdue (due 2020-09-13, 2 days past)
        >>> print(t.text("zh"))
        调解期限：已超期（期限 2020-09-13，超 2 天）

    Added in version 0.1.0.
    """

    name: str
    state: TimerState
    started_on: date | None = None
    due_on: date | None = None
    stopped_on: date | None = None
    days_left: int | None = None

    def text(self, lang: str = "en") -> str:
        """``name: state (due YYYY-MM-DD, N days left)``."""
        zh = lang == "zh"
        state = self.state.label_zh if zh else str(self.state).replace("_", " ")
        bits = []
        if self.due_on is not None:
            bits.append(("期限 " if zh else "due ") + self.due_on.isoformat())
        if self.days_left is not None:
            if self.days_left >= 0:
                bits.append(
                    f"剩 {self.days_left} 天" if zh else f"{self.days_left} days left"
                )
            else:
                bits.append(
                    f"超 {-self.days_left} 天" if zh else f"{-self.days_left} days past"
                )
        if zh:
            extra = f"（{'，'.join(bits)}）" if bits else ""
        else:
            extra = f" ({', '.join(bits)})" if bits else ""
        name = _TIMER_ZH.get(self.name, self.name) if zh else self.name
        return f"{name}：{state}{extra}" if zh else f"{name}: {state}{extra}"


def _clock(
    name: str,
    *,
    started: date | None,
    due: date | None,
    stopped: date | None,
    as_of: date,
    optional: bool = False,
) -> Timer:
    if started is None or due is None:
        return Timer(name=name, state=TimerState.NOT_STARTED)
    if stopped is not None:
        state = TimerState.MET if stopped <= due else TimerState.MISSED
        return Timer(
            name=name, state=state, started_on=started, due_on=due, stopped_on=stopped
        )
    left = (due - as_of).days
    if left >= 0:
        state = TimerState.RUNNING
    else:
        state = TimerState.EXPIRED if optional else TimerState.OVERDUE
    return Timer(name=name, state=state, started_on=started, due_on=due, days_left=left)


def _add_months(day: date, months: int) -> date:
    """The same day ``months`` calendar months later, clamped to the month's end."""
    index = day.month - 1 + months
    year, month = day.year + index // 12, index % 12 + 1
    if year > date.max.year:
        return date.max
    return date(year, month, min(day.day, calendar.monthrange(year, month)[1]))


def _mediation_timer(dispute: Dispute, as_of: date, policy: MediationPolicy) -> Timer:
    name = "mediation"
    if dispute.status is _S.DISCOVERED:
        return Timer(name=name, state=TimerState.NOT_STARTED)
    start = dispute.reopened_on or dispute.accepted_on
    if start is None:
        return Timer(name=name, state=TimerState.NOT_APPLICABLE)
    due = _add_months(start, policy.target_months)
    if dispute.deadline_extended_to is not None:
        due = max(due, dispute.deadline_extended_to)
    stopped = None if dispute.status in _UNDER_WAY else dispute.ended_on
    if stopped is not None:
        stopped = max(stopped, start)
    return _clock(name, started=start, due=due, stopped=stopped, as_of=as_of)


def _confirmation_timer(dispute: Dispute, as_of: date) -> Timer:
    name = "judicial_confirmation"
    effective = dispute.agreement_effective_on
    current = _current_application(dispute)
    applied = current.applied_on if current is not None else None
    if effective is None:
        waiting = dispute.status in _UNDER_WAY or dispute.status is _S.DISCOVERED
        return Timer(
            name=name,
            state=TimerState.NOT_STARTED if waiting else TimerState.NOT_APPLICABLE,
        )
    if applied is None and dispute.status not in {_S.AGREED, _S.PERFORMED}:
        return Timer(
            name=name,
            state=TimerState.NOT_APPLICABLE,
            started_on=effective,
            due_on=dispute.confirmation_deadline,
        )
    return _clock(
        name,
        started=effective,
        due=dispute.confirmation_deadline,
        stopped=applied,
        as_of=as_of,
        optional=True,
    )


def _service_timer(dispute: Dispute, level: ServiceLevel, as_of: date) -> Timer:
    started = _milestone_on(dispute, level.start)
    stopped = _milestone_on(dispute, level.end)
    if started is None or (
        stopped is None and not _still_reachable(dispute.status, level.end)
    ):
        state = (
            TimerState.NOT_STARTED
            if started is None and _still_reachable(dispute.status, level.start)
            else TimerState.NOT_APPLICABLE
        )
        return Timer(name=level.name, state=state)
    due = date.fromordinal(
        min(started.toordinal() + level.within_days, date.max.toordinal())
    )
    return _clock(level.name, started=started, due=due, stopped=stopped, as_of=as_of)


@attrs.frozen(kw_only=True)
class DisputeTimers:
    """Every clock of one dispute on one day.

    Attributes:
        dispute_id: the dispute.
        as_of: the day the clocks are read.
        status: the dispute's status that day.
        mediation: the one-month target (or as extended with the parties' consent),
            from acceptance or from reopening to the end of mediation.
        judicial_confirmation: the 30-day window, from the day the agreement took
            effect, to apply jointly for judicial confirmation (art. 33). It is
            optional: a window left unused ``expired``; it is not overdue.
        service_levels: one timer per local service level.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> t = dispute_timers(
        ...     yueyanglou().dispute("dispute-15"), as_of=date(2020, 9, 15)
        ... )
        >>> [timer.name for timer in t.overdue]
        ['mediation']

    Added in version 0.1.0.
    """

    dispute_id: str
    as_of: date
    status: DisputeStatus
    mediation: Timer
    judicial_confirmation: Timer
    service_levels: tuple[Timer, ...] = ()

    @property
    def overdue(self) -> tuple[Timer, ...]:
        """The obligations past their day: mediation and service levels overdue."""
        return tuple(
            t
            for t in (self.mediation, *self.service_levels)
            if t.state is TimerState.OVERDUE
        )

    def text(self, lang: str = "en") -> str:
        """One line per clock."""
        return "\n".join(
            t.text(lang)
            for t in (self.mediation, self.judicial_confirmation, *self.service_levels)
        )


def dispute_timers(
    dispute: Dispute, *, as_of: date, policy: MediationPolicy = _DEFAULT_POLICY
) -> DisputeTimers:
    """Read a dispute's clocks on ``as_of``.

    Args:
        dispute: the dispute as it stood on ``as_of`` (use
            `DisputeHistory.state_on` for an earlier day).
        as_of: the day; never the clock.
        policy: the mediation target and local service levels.

    Returns:
        The timers.

    Raises:
        ModelError: ``as_of`` is before something the record shows happening.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> d = yueyanglou().dispute("lengshuipu-construction-cracks")
        >>> t = dispute_timers(d, as_of=date(2020, 9, 12))
        >>> print(t.judicial_confirmation.text())
        judicial_confirmation: running (due 2020-09-12, 0 days left)
        >>> dispute_timers(d, as_of=date(2020, 9, 13)).judicial_confirmation.state
        <TimerState.EXPIRED: 'expired'>

    Added in version 0.1.0.
    """
    last = _last_recorded(dispute)
    if as_of < last:
        raise ModelError(
            f"dispute {dispute.id!r} records {last.isoformat()}, after as_of "
            f"{as_of.isoformat()}; read the clocks of its state on that day "
            "(DisputeHistory.state_on)",
            field="as_of",
            record_id=dispute.id,
        )
    return DisputeTimers(
        dispute_id=dispute.id,
        as_of=as_of,
        status=dispute.status,
        mediation=_mediation_timer(dispute, as_of, policy),
        judicial_confirmation=_confirmation_timer(dispute, as_of),
        service_levels=tuple(
            _service_timer(dispute, level, as_of) for level in policy.service_levels
        ),
    )
