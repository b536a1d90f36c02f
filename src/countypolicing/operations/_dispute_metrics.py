"""Grand-mediation metrics over a set of disputes on a day (DESIGN.md §7.2).

Fengqiao-style counting ("小事不出村、大事不出镇、矛盾不上交"): how many disputes
were resolved, at which level, how fast, how many went to the police, how many
agreements a court confirmed, and how many police hours the judicial-office cadres
stationed in police stations took off the police (警调对接).
"""

from __future__ import annotations

import math
import statistics
from collections import Counter
from collections.abc import Collection, Iterable
from datetime import date
from typing import Final

import attrs

from countypolicing.exceptions import ModelError
from countypolicing.model import (
    ConfirmationResult,
    Dispute,
    DisputeOrigin,
    DisputeStatus,
    HandlingLevel,
)
from countypolicing.operations._disputes import (
    DisputeHistory,
    MediationPolicy,
    TimerState,
    _last_recorded,
    dispute_timers,
    reconstruct_history,
)

__all__ = ["DEFAULT_POLICE_HOURS_PER_DISPUTE", "DisputeMetrics", "dispute_metrics"]

#: Police hours one simple civil dispute from a police call would take if the
#: police handled it themselves (attendance, mediation on the spot, paperwork,
#: follow-up). An ASSUMPTION for illustration: no source gives this figure; pass
#: your own measured value as ``hours_per_dispute``.
DEFAULT_POLICE_HOURS_PER_DISPUTE: Final = 2.0

_S = DisputeStatus
_UNDER_WAY: Final = frozenset({_S.DISCOVERED, _S.ACCEPTED, _S.MEDIATING, _S.REOPENED})
_RESOLVED: Final = frozenset({_S.AGREED, _S.PERFORMED, _S.CLOSED})
_FROM_POLICE: Final = frozenset({DisputeOrigin.CALL_110, DisputeOrigin.POLICE_REFERRAL})
_LOCAL: Final = frozenset({HandlingLevel.GRID, HandlingLevel.COMMUNITY})


def _pairs_status(
    value: Iterable[tuple[DisputeStatus, int]],
) -> tuple[tuple[DisputeStatus, int], ...]:
    return tuple(value)


def _pairs_level(
    value: Iterable[tuple[HandlingLevel, int]],
) -> tuple[tuple[HandlingLevel, int], ...]:
    return tuple(value)


def _ints(value: Iterable[int]) -> tuple[int, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class DisputeMetrics:
    """Grand-mediation metrics of a set of disputes on one day.

    Attributes:
        as_of: the day; each dispute counts as it stood at the end of it.
        total: disputes reported by ``as_of``.
        by_status: how many are in each status (every status listed).
        under_way: disputes not yet concluded (discovered, accepted, mediating,
            reopened).
        concluded: disputes whose mediation has ended, one way or another.
        resolved: concluded with an agreement in effect (agreed, performed, or
            closed after an agreement).
        closed_at_level: the resolved disputes by the level that handled them,
            grid first (every level listed).
        days_to_agreement: days from report to agreement of each resolved dispute,
            sorted.
        escalated_to_police: disputes reported to the police (art. 25).
        handled_above_community: disputes, of all reported, handled at the
            sub-district or district level.
        confirmations_applied: agreements for which judicial confirmation was
            applied for.
        confirmed_valid: agreements a court confirmed.
        confirmed_invalid: agreements a court refused to confirm.
        mediation_overdue: disputes under way past their mediation target.
        diverted_from_police: disputes from police calls or police referrals taken
            by a judicial office stationed in a police station.
        hours_per_dispute: the police hours counted per diverted dispute.

    Examples:
        >>> m = dispute_metrics([], as_of=date(2020, 9, 15))
        >>> m.total, m.resolution_rate, m.police_hours_diverted
        (0, None, 0.0)

    Added in version 0.1.0.
    """

    as_of: date
    total: int
    by_status: tuple[tuple[DisputeStatus, int], ...] = attrs.field(
        converter=_pairs_status
    )
    under_way: int
    concluded: int
    resolved: int
    closed_at_level: tuple[tuple[HandlingLevel, int], ...] = attrs.field(
        converter=_pairs_level
    )
    days_to_agreement: tuple[int, ...] = attrs.field(converter=_ints)
    escalated_to_police: int
    handled_above_community: int
    confirmations_applied: int
    confirmed_valid: int
    confirmed_invalid: int
    mediation_overdue: int
    diverted_from_police: int
    hours_per_dispute: float

    @property
    def resolution_rate(self) -> float | None:
        """Resolved among concluded (``None`` when none has concluded)."""
        return self.resolved / self.concluded if self.concluded else None

    @property
    def resolved_locally(self) -> int:
        """Resolved at the grid or community level (小事不出村)."""
        return sum(n for level, n in self.closed_at_level if level in _LOCAL)

    @property
    def local_share(self) -> float | None:
        """Share of resolved disputes resolved at grid or community level."""
        return self.resolved_locally / self.resolved if self.resolved else None

    @property
    def median_days_to_agreement(self) -> float | None:
        """The median of `days_to_agreement` (``None`` when nothing was resolved)."""
        return (
            float(statistics.median(self.days_to_agreement))
            if self.days_to_agreement
            else None
        )

    @property
    def police_hours_diverted(self) -> float:
        """``diverted_from_police`` × ``hours_per_dispute``."""
        return self.diverted_from_police * self.hours_per_dispute

    def text(self, lang: str = "en") -> str:
        """A short report in Chinese (``"zh"``) or English (``"en"``)."""
        zh = lang == "zh"
        rate = _pct(self.resolution_rate)
        local = _pct(self.local_share)
        median = self.median_days_to_agreement
        days = "-" if median is None else f"{median:g}"
        levels = ", ".join(
            f"{lv.label_zh if zh else lv} {n}" for lv, n in self.closed_at_level
        )
        hours = f"{self.police_hours_diverted:g}"
        if zh:
            return "\n".join(
                [
                    (
                        f"矛盾纠纷（截至 {self.as_of.isoformat()}）：共 {self.total} 件，"
                        f"调解中 {self.under_way} 件，已结束 {self.concluded} 件"
                    ),
                    (
                        f"调解成功 {self.resolved} 件，成功率 {rate}；"
                        f"化解层级：{levels}；小事不出村 {local}"
                    ),
                    (
                        f"达成协议用时中位数 {days} 天；报告公安 {self.escalated_to_police} "
                        f"件；超期 {self.mediation_overdue} 件"
                    ),
                    (
                        f"申请司法确认 {self.confirmations_applied} 件，确认有效 "
                        f"{self.confirmed_valid} 件，不予确认 {self.confirmed_invalid} 件"
                    ),
                    (
                        f"驻所司法所干部调处接处警纠纷 {self.diverted_from_police} 件，"
                        f"为公安节省约 {hours} 小时（每件按 {self.hours_per_dispute:g} "
                        "小时估算，系假设值）"
                    ),
                ]
            )
        return "\n".join(
            [
                (
                    f"Disputes as of {self.as_of.isoformat()}: {self.total} reported, "
                    f"{self.under_way} under way, {self.concluded} concluded"
                ),
                (
                    f"resolved {self.resolved} (resolution rate {rate}); resolved at: "
                    f"{levels}; at grid or community level {local}"
                ),
                (
                    f"median days to agreement {days}; reported to police "
                    f"{self.escalated_to_police}; past the mediation target "
                    f"{self.mediation_overdue}"
                ),
                (
                    f"judicial confirmation applied for {self.confirmations_applied}, "
                    f"confirmed {self.confirmed_valid}, refused {self.confirmed_invalid}"
                ),
                (
                    f"police-call disputes taken by stationed mediators "
                    f"{self.diverted_from_police}: about {hours} police hours diverted "
                    f"(assumed {self.hours_per_dispute:g} h per dispute)"
                ),
            ]
        )


def _pct(value: float | None) -> str:
    return "-" if value is None else f"{value:.0%}"


def _state_on(item: Dispute | DisputeHistory, as_of: date) -> Dispute | None:
    if isinstance(item, DisputeHistory):
        return item.state_on(as_of)
    if item.reported_on > as_of:
        return None
    if _last_recorded(item) <= as_of:
        return item
    return reconstruct_history(item).state_on(as_of)


def dispute_metrics(
    disputes: Iterable[Dispute | DisputeHistory],
    *,
    as_of: date,
    stationed_ids: Collection[str] = (),
    hours_per_dispute: float = DEFAULT_POLICE_HOURS_PER_DISPUTE,
    policy: MediationPolicy | None = None,
) -> DisputeMetrics:
    """Count resolution, levels, speed, escalations and diverted police hours.

    Each dispute counts as it stood at the end of ``as_of``: a history gives its
    state on that day; a stored record later than ``as_of`` is rebuilt into a
    history first (`reconstruct_history`), and disputes reported after ``as_of``
    are left out.

    Args:
        disputes: dispute records or histories.
        as_of: the day; never the clock.
        stationed_ids: the judicial offices stationed in police stations
            (`countypolicing.operations.stationed_mediator_ids`); disputes from
            police calls or referrals they take count as diverted police work.
        hours_per_dispute: police hours per diverted dispute; the default,
            `DEFAULT_POLICE_HOURS_PER_DISPUTE` (2.0), is an assumption, not a
            sourced figure.
        policy: the mediation target used for ``mediation_overdue``.

    Returns:
        The metrics.

    Raises:
        ModelError: ``hours_per_dispute`` is negative or not finite, or a record
            cannot be rebuilt into a history.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.operations import stationed_mediator_ids
        >>> county = yueyanglou()
        >>> m = dispute_metrics(
        ...     county.disputes,
        ...     as_of=date(2020, 9, 15),
        ...     stationed_ids=stationed_mediator_ids(county),
        ... )
        >>> m.total, m.resolved, m.concluded, f"{m.resolution_rate:.0%}"
        (33, 17, 24, '71%')
        >>> m.diverted_from_police, m.police_hours_diverted
        (2, 4.0)

    Added in version 0.1.0.
    """
    if not (math.isfinite(hours_per_dispute) and hours_per_dispute >= 0):
        raise ModelError(
            f"hours_per_dispute must be a finite number >= 0, got {hours_per_dispute!r}",
            field="hours_per_dispute",
        )
    rules = policy if policy is not None else MediationPolicy()
    stationed = frozenset(stationed_ids)
    states = [s for item in disputes if (s := _state_on(item, as_of)) is not None]
    statuses = Counter(d.status for d in states)
    resolved = [d for d in states if d.status in _RESOLVED and d.agreement is not None]
    levels = Counter(d.handling_level for d in resolved)
    confirmations = [d.confirmation for d in states if d.confirmation is not None]
    return DisputeMetrics(
        as_of=as_of,
        total=len(states),
        by_status=[(s, statuses[s]) for s in DisputeStatus],
        under_way=sum(1 for d in states if d.status in _UNDER_WAY),
        concluded=sum(1 for d in states if d.status not in _UNDER_WAY),
        resolved=len(resolved),
        closed_at_level=[
            (lv, levels[lv]) for lv in sorted(HandlingLevel, key=lambda lv: lv.rank)
        ],
        days_to_agreement=sorted(
            (d.agreement.reached_on - d.reported_on).days
            for d in resolved
            if d.agreement is not None
        ),
        escalated_to_police=statuses[_S.ESCALATED_TO_POLICE],
        handled_above_community=sum(
            1 for d in states if d.handling_level > HandlingLevel.COMMUNITY
        ),
        confirmations_applied=len(confirmations),
        confirmed_valid=sum(
            1 for c in confirmations if c.result is ConfirmationResult.VALID
        ),
        confirmed_invalid=sum(
            1 for c in confirmations if c.result is ConfirmationResult.INVALID
        ),
        mediation_overdue=sum(
            1
            for d in states
            if dispute_timers(d, as_of=as_of, policy=rules).mediation.state
            is TimerState.OVERDUE
        ),
        diverted_from_police=sum(
            1
            for d in states
            if d.origin in _FROM_POLICE
            and d.handler_id in stationed
            and d.mediation_started_on is not None
        ),
        hours_per_dispute=float(hours_per_dispute),
    )
