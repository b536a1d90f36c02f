"""Disputes and their mediation under the People's Mediation Law (人民调解法).

The lifecycle (DOMAIN.md §9.3)::

    DISCOVERED -accept-> ACCEPTED -assign-> MEDIATING -agree-> AGREED -perform-> PERFORMED
    PERFORMED -close (after a follow-up visit)-> CLOSED
    DISCOVERED/ACCEPTED/MEDIATING -refuse (art. 17)-> REFUSED -refer-> REFERRED -close-> CLOSED
    MEDIATING -terminate (art. 26)-> TERMINATED -refer-> REFERRED
    DISCOVERED/ACCEPTED/MEDIATING -escalate_to_police (art. 25)-> ESCALATED_TO_POLICE
    AGREED/PERFORMED -reopen (art. 32, or confirmation refused)-> REOPENED -assign-> MEDIATING
    REOPENED -refer-> REFERRED

Where a dispute is handled (grid, community, sub-district, district) is the separate
field ``handling_level``, so "closed at which level" can be counted.
"""

from __future__ import annotations

from collections.abc import Collection, Iterable
from datetime import date, timedelta
from typing import Any, Final

import attrs

from countypolicing.exceptions import ModelError, TransitionError
from countypolicing.model._common import (
    CommunityId,
    DisputeId,
    GridId,
    OrgId,
    PartyId,
    PersonId,
    check_order,
    non_empty,
    optional_non_empty,
    str_tuple,
    valid_id,
    valid_ids,
    valid_optional_id,
)
from countypolicing.model._enums import (
    AgreementForm,
    ConfirmationResult,
    DisputeOrigin,
    DisputeStatus,
    DisputeType,
    HandlingLevel,
    MediationChannel,
    PartyRole,
    Provenance,
    ReferralRoute,
)

__all__ = [
    "CONFIRMATION_WINDOW",
    "DISPUTE_TRANSITIONS",
    "Dispute",
    "DisputeParty",
    "FollowUp",
    "JudicialConfirmation",
    "MediationAgreement",
]

#: People's Mediation Law art. 33: apply jointly for judicial confirmation within 30 days.
CONFIRMATION_WINDOW: Final = timedelta(days=30)

_S = DisputeStatus

#: Every allowed (state, action) -> next state of a dispute.
DISPUTE_TRANSITIONS: Final[dict[tuple[DisputeStatus, str], DisputeStatus]] = {
    (_S.DISCOVERED, "accept"): _S.ACCEPTED,
    (_S.ACCEPTED, "assign"): _S.MEDIATING,
    (_S.REOPENED, "assign"): _S.MEDIATING,
    (_S.MEDIATING, "agree"): _S.AGREED,
    (_S.AGREED, "perform"): _S.PERFORMED,
    (_S.PERFORMED, "close"): _S.CLOSED,
    (_S.REFERRED, "close"): _S.CLOSED,
    (_S.DISCOVERED, "refuse"): _S.REFUSED,
    (_S.ACCEPTED, "refuse"): _S.REFUSED,
    (_S.MEDIATING, "refuse"): _S.REFUSED,
    (_S.MEDIATING, "terminate"): _S.TERMINATED,
    (_S.REFUSED, "refer"): _S.REFERRED,
    (_S.TERMINATED, "refer"): _S.REFERRED,
    (_S.REOPENED, "refer"): _S.REFERRED,
    (_S.DISCOVERED, "escalate_to_police"): _S.ESCALATED_TO_POLICE,
    (_S.ACCEPTED, "escalate_to_police"): _S.ESCALATED_TO_POLICE,
    (_S.MEDIATING, "escalate_to_police"): _S.ESCALATED_TO_POLICE,
    (_S.AGREED, "reopen"): _S.REOPENED,
    (_S.PERFORMED, "reopen"): _S.REOPENED,
}


def _plus_window(effective: date) -> date:
    """``effective`` plus the 30-day window, saturating at the end of the calendar."""
    try:
        return effective + CONFIRMATION_WINDOW
    except OverflowError:
        return date.max


@attrs.frozen(kw_only=True)
class DisputeParty:
    """One party to a dispute: a person or an organisation.

    Added in version 0.1.0.
    """

    party_id: PartyId = attrs.field(validator=valid_id)
    role: PartyRole


@attrs.frozen(kw_only=True)
class MediationAgreement:
    """A mediation agreement (调解协议), written or oral (art. 28-29).

    A written agreement takes effect only when every party has signed and the
    mediator has signed with the committee's seal; an oral one when it is reached.

    Examples:
        >>> a = MediationAgreement(
        ...     form=AgreementForm.WRITTEN,
        ...     reached_on=date(2020, 8, 13),
        ...     content="施工方修复裂缝并补偿",
        ...     signed_by=["cao", "proj"],
        ...     signed_on=date(2020, 8, 13),
        ...     mediator_signed=True,
        ...     committee_sealed=True,
        ... )
        >>> a.effective_on(["cao", "proj"])
        datetime.date(2020, 8, 13)
        >>> a.effective_on(["cao", "proj", "third"]) is None
        True

    Added in version 0.1.0.
    """

    form: AgreementForm
    reached_on: date
    content: str = attrs.field(validator=non_empty)
    performance_terms: str | None = attrs.field(
        default=None, validator=optional_non_empty
    )
    signed_by: tuple[PartyId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    signed_on: date | None = None
    mediator_signed: bool = False
    committee_sealed: bool = False
    recorded_by: PersonId | None = attrs.field(
        default=None, validator=valid_optional_id
    )

    def __attrs_post_init__(self) -> None:
        check_order(
            self.reached_on,
            self.signed_on,
            earlier_name="reached_on",
            later_name="signed_on",
            record_id=None,
        )
        if self.form is AgreementForm.ORAL and self.recorded_by is None:
            raise ModelError(
                "an oral agreement must name the mediator who recorded it (art. 28)",
                field="recorded_by",
            )

    def effective_on(
        self,
        party_ids: Collection[str],
        *,
        channel: MediationChannel | None = MediationChannel.PEOPLES,
    ) -> date | None:
        """The day the agreement took effect for these parties, or ``None`` if not yet.

        The committee seal is a people's-mediation rule (art. 29); other channels
        (police, administrative) need only the parties' and the mediator's
        signatures. Pass the dispute's ``channel``; ``None`` or ``UNKNOWN`` means
        the channel is not recorded, and then the seal is not required.
        """
        if self.form is AgreementForm.ORAL:
            return self.reached_on
        needs_seal = channel is MediationChannel.PEOPLES
        if (
            self.signed_on is not None
            and self.mediator_signed
            and (self.committee_sealed or not needs_seal)
            and set(party_ids) <= set(self.signed_by)
        ):
            return self.signed_on
        return None


@attrs.frozen(kw_only=True)
class JudicialConfirmation:
    """An application to a court for judicial confirmation (司法确认) of an agreement.

    Added in version 0.1.0.
    """

    applied_on: date
    applicant_ids: tuple[PartyId, ...] = attrs.field(
        converter=str_tuple, validator=valid_ids
    )
    court: str = attrs.field(validator=non_empty)
    result: ConfirmationResult = ConfirmationResult.PENDING
    decided_on: date | None = None

    def __attrs_post_init__(self) -> None:
        check_order(
            self.applied_on,
            self.decided_on,
            earlier_name="applied_on",
            later_name="decided_on",
            record_id=None,
        )
        if self.result is not ConfirmationResult.PENDING and self.decided_on is None:
            raise ModelError(
                "a decided confirmation needs decided_on", field="decided_on"
            )


@attrs.frozen(kw_only=True)
class FollowUp:
    """A follow-up visit (回访) on how an agreement is being performed.

    Added in version 0.1.0.
    """

    on: date
    by_id: PersonId | None = attrs.field(default=None, validator=valid_optional_id)
    performed: bool
    new_risk: bool = False
    note: str | None = attrs.field(default=None, validator=optional_non_empty)


def _parties(value: Iterable[DisputeParty]) -> tuple[DisputeParty, ...]:
    return tuple(value)


def _follow_ups(value: Iterable[FollowUp]) -> tuple[FollowUp, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Dispute:
    """A dispute (矛盾纠纷) and where its mediation stands.

    Transitions return a new `Dispute` and raise `TransitionError` when the step is
    not allowed from the current state or a legal guard fails.

    Examples:
        >>> d = Dispute(
        ...     id="d-1",
        ...     type=DisputeType.NEIGHBOUR,
        ...     community_id="desheng",
        ...     origin=DisputeOrigin.CALL_110,
        ...     summary="噪音纠纷",
        ...     parties=[
        ...         DisputeParty(party_id="a", role=PartyRole.APPLICANT),
        ...         DisputeParty(party_id="b", role=PartyRole.RESPONDENT),
        ...     ],
        ...     reported_on=date(2020, 8, 1),
        ... )
        >>> d = d.accept(on=date(2020, 8, 1)).refuse(on=date(2020, 8, 2), by="b")
        >>> d.status
        <DisputeStatus.REFUSED: 'refused'>
        >>> d.assign(
        ...     on=date(2020, 8, 3), channel=MediationChannel.PEOPLES, handler_id="x"
        ... )
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: dispute 'd-1': cannot assign from refused (allowed from accepted, reopened)

    Added in version 0.1.0.
    """

    id: DisputeId = attrs.field(validator=valid_id)
    type: DisputeType
    community_id: CommunityId = attrs.field(validator=valid_id)
    grid_id: GridId | None = attrs.field(default=None, validator=valid_optional_id)
    origin: DisputeOrigin
    summary: str = attrs.field(validator=non_empty)
    parties: tuple[DisputeParty, ...] = attrs.field(converter=_parties)
    reported_on: date
    status: DisputeStatus = DisputeStatus.DISCOVERED
    handling_level: HandlingLevel = HandlingLevel.GRID
    channel: MediationChannel | None = None
    handler_id: OrgId | None = attrs.field(default=None, validator=valid_optional_id)
    mediator_ids: tuple[PersonId, ...] = attrs.field(
        default=(), converter=str_tuple, validator=valid_ids
    )
    escalation_risk: bool = False
    accepted_on: date | None = None
    mediation_started_on: date | None = None
    deadline_extended_to: date | None = None
    agreement: MediationAgreement | None = None
    confirmation: JudicialConfirmation | None = None
    follow_ups: tuple[FollowUp, ...] = attrs.field(default=(), converter=_follow_ups)
    referral: ReferralRoute | None = None
    refused_by: PartyId | None = attrs.field(default=None, validator=valid_optional_id)
    ended_on: date | None = None
    reopened_on: date | None = None
    closed_on: date | None = None
    provenance: Provenance = Provenance.USER

    def __attrs_post_init__(self) -> None:
        ids = [p.party_id for p in self.parties]
        if len(ids) < 2:  # noqa: PLR2004  # a dispute is between at least two parties
            raise ModelError(
                "a dispute needs at least two parties",
                field="parties",
                record_id=self.id,
            )
        if len(set(ids)) != len(ids):
            raise ModelError(
                "a party is listed twice", field="parties", record_id=self.id
            )
        for name in (
            "accepted_on",
            "mediation_started_on",
            "ended_on",
            "reopened_on",
            "closed_on",
        ):
            check_order(
                self.reported_on,
                getattr(self, name),
                earlier_name="reported_on",
                later_name=name,
                record_id=self.id,
            )
        if self.status in {_S.AGREED, _S.PERFORMED, _S.CLOSED} and (
            self.agreement is None and self.referral is None
        ):
            raise ModelError(
                f"a {self.status} dispute needs its agreement (or referral)",
                field="agreement",
                record_id=self.id,
            )

    @property
    def party_ids(self) -> tuple[PartyId, ...]:
        """The parties' ids in the order given."""
        return tuple(p.party_id for p in self.parties)

    @property
    def agreement_effective_on(self) -> date | None:
        """When the agreement took effect, if it has."""
        if self.agreement is None:
            return None
        return self.agreement.effective_on(self.party_ids, channel=self.channel)

    @property
    def confirmation_deadline(self) -> date | None:
        """Last day to apply jointly for judicial confirmation (art. 33)."""
        effective = self.agreement_effective_on
        return None if effective is None else _plus_window(effective)

    def _step(self, action: str, **changes: Any) -> Dispute:  # noqa: ANN401  # attribute values of any type
        target = DISPUTE_TRANSITIONS.get((self.status, action))
        if target is None:
            allowed = sorted(str(s) for (s, a) in DISPUTE_TRANSITIONS if a == action)
            raise TransitionError(
                f"dispute {self.id!r}: cannot {action} from {self.status} "
                f"(allowed from {', '.join(allowed)})",
                state=self.status,
                action=action,
                record_id=self.id,
            )
        return attrs.evolve(self, status=target, **changes)

    def _guard(self, ok: bool, action: str, message: str) -> None:  # noqa: FBT001  # private helper
        if not ok:
            raise TransitionError(
                f"dispute {self.id!r}: {message}",
                state=self.status,
                action=action,
                record_id=self.id,
            )

    def accept(self, *, on: date) -> Dispute:
        """Accept the dispute for handling (受理)."""
        return self._step("accept", accepted_on=on)

    def assign(
        self,
        *,
        on: date,
        channel: MediationChannel,
        handler_id: OrgId,
        mediator_ids: Collection[PersonId] = (),
    ) -> Dispute:
        """Route it to a channel and handler and start mediating (分流/交办)."""
        return self._step(
            "assign",
            mediation_started_on=on,
            channel=channel,
            handler_id=handler_id,
            mediator_ids=tuple(mediator_ids),
        )

    def refuse(self, *, on: date, by: PartyId) -> Dispute:
        """A party expressly refuses mediation; people's mediation must stop (art. 17)."""
        self._guard(by in self.party_ids, "refuse", f"{by!r} is not a party")
        return self._step("refuse", refused_by=by, ended_on=on)

    def agree(self, agreement: MediationAgreement) -> Dispute:
        """Record an agreement; a written one must already be signed and sealed (art. 29)."""
        self._guard(
            agreement.effective_on(self.party_ids, channel=self.channel) is not None,
            "agree",
            "a written agreement takes effect only when every party and the mediator "
            "have signed it, and in people's mediation the committee has sealed it "
            "(art. 29)",
        )
        return self._step("agree", agreement=agreement, ended_on=agreement.reached_on)

    def terminate(self, *, on: date) -> Dispute:
        """Mediation failed; the parties are told of the other routes (art. 26)."""
        return self._step("terminate", ended_on=on)

    def refer(self, *, on: date, route: ReferralRoute) -> Dispute:
        """Send a refused, failed or reopened dispute to litigation, arbitration or admin."""
        return self._step("refer", referral=route, ended_on=on)

    def escalate_to_police(self, *, on: date) -> Dispute:
        """Report a dispute that may turn into a public-order or criminal case (art. 25)."""
        return self._step("escalate_to_police", escalation_risk=True, ended_on=on)

    def perform(self, *, on: date) -> Dispute:
        """The agreement has been performed."""
        self._guard(
            self.agreement is not None and on >= self.agreement.reached_on,
            "perform",
            "performance cannot precede the agreement",
        )
        return self._step("perform")

    def apply_for_confirmation(self, confirmation: JudicialConfirmation) -> Dispute:
        """Apply jointly, within 30 days of effect, for judicial confirmation (art. 33)."""
        effective = self.agreement_effective_on
        self._guard(
            self.status in {_S.AGREED, _S.PERFORMED} and effective is not None,
            "apply_for_confirmation",
            "judicial confirmation needs an effective agreement",
        )
        assert effective is not None  # noqa: S101  # narrowed by the guard above
        self._guard(
            set(self.party_ids) <= set(confirmation.applicant_ids),
            "apply_for_confirmation",
            "judicial confirmation must be applied for jointly by all parties (art. 33)",
        )
        self._guard(
            effective <= confirmation.applied_on <= _plus_window(effective),
            "apply_for_confirmation",
            f"judicial confirmation must be applied for within 30 days of "
            f"{effective.isoformat()} (art. 33), applied on "
            f"{confirmation.applied_on.isoformat()}",
        )
        return attrs.evolve(self, confirmation=confirmation)

    def record_confirmation_result(
        self, result: ConfirmationResult, *, on: date
    ) -> Dispute:
        """Record the court's decision; a refused confirmation reopens the dispute."""
        self._guard(
            self.confirmation is not None,
            "record_confirmation_result",
            "no judicial confirmation was applied for",
        )
        assert self.confirmation is not None  # noqa: S101  # narrowed by the guard above
        self._guard(
            self.status in {_S.AGREED, _S.PERFORMED},
            "record_confirmation_result",
            f"a {self.status} dispute takes no confirmation result",
        )
        self._guard(
            self.confirmation.result is ConfirmationResult.PENDING,
            "record_confirmation_result",
            f"the court has already decided ({self.confirmation.result})",
        )
        self._guard(
            on >= self.confirmation.applied_on,
            "record_confirmation_result",
            "the decision cannot precede the application",
        )
        decided = attrs.evolve(self.confirmation, result=result, decided_on=on)
        updated = attrs.evolve(self, confirmation=decided)
        if result is ConfirmationResult.INVALID:
            return updated._step("reopen", reopened_on=on)  # noqa: SLF001  # same class
        return updated

    def reopen(self, *, on: date) -> Dispute:
        """A party disputes the agreement's content or performance (art. 32)."""
        return self._step("reopen", reopened_on=on)

    def follow_up(self, visit: FollowUp) -> Dispute:
        """Record a follow-up visit (回访) on performance."""
        self._guard(
            self.status in {_S.AGREED, _S.PERFORMED},
            "follow_up",
            f"follow-up visits are for agreed or performed disputes, not {self.status}",
        )
        visits: tuple[FollowUp, ...] = (*self.follow_ups, visit)
        return attrs.evolve(self, follow_ups=visits)

    def close(self, *, on: date) -> Dispute:
        """Close (结案) a performed dispute after a follow-up visit, or a referred one.

        The visit must come after the (latest) agreement: visits made before a
        dispute was reopened do not count.
        """
        reached = self.agreement.reached_on if self.agreement is not None else None
        self._guard(
            self.status is not _S.PERFORMED
            or any(reached is None or v.on >= reached for v in self.follow_ups),
            "close",
            "a performed dispute is closed only after a follow-up visit",
        )
        return self._step("close", closed_on=on)

    def escalate_level(self, to: HandlingLevel) -> Dispute:
        """Hand the dispute up to a higher level (grid → community → ...)."""
        self._guard(
            to > self.handling_level,
            "escalate_level",
            f"{to} is not above {self.handling_level}",
        )
        self._guard(
            self.status not in {_S.CLOSED, _S.REFERRED, _S.ESCALATED_TO_POLICE},
            "escalate_level",
            f"a {self.status} dispute is no longer handled",
        )
        return attrs.evolve(self, handling_level=to)

    def is_open(self) -> bool:
        """Whether the dispute still needs work (not closed, referred or escalated)."""
        return self.status not in {
            _S.CLOSED,
            _S.REFERRED,
            _S.ESCALATED_TO_POLICE,
            _S.REFUSED,
            _S.TERMINATED,
        }
