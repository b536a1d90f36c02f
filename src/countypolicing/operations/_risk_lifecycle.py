"""Risk points and hazards in practice: grade, control, review, rectify.

The model's lifecycle methods refuse illegal steps (`RiskPoint.control` refuses a
missing responsibility); the functions here wire in what the steps need: the
grading ruleset, the responsibility graph, the review and rectification policies,
and the day they are judged on. Nothing here reads the clock.

A County holds each record's *current* state and the dates of its steps. Screening
"as of" an earlier day reconstructs the state on that day from those dates
(`risk_status_on`, `hazard_open_on`, `dispute_open_on`).
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, timedelta
from typing import Final

import attrs

from countypolicing.exceptions import ModelError, RuleTypeError
from countypolicing.graph import responsible_parties
from countypolicing.model import (
    County,
    Dispute,
    DisputeStatus,
    Hazard,
    HazardId,
    HazardStatus,
    PartyId,
    Provenance,
    RiskLevel,
    RiskPoint,
    RiskPointId,
    RiskPointStatus,
)
from countypolicing.rules import Classifier, RuleSet, compile_ruleset, risk_point_record

__all__ = [
    "RectificationPolicy",
    "ReviewDue",
    "ReviewPolicy",
    "control_risk_point",
    "dispute_open_on",
    "grade_risk_point",
    "hazard_open_on",
    "overdue_hazards",
    "register_hazard",
    "reviews_due",
    "risk_status_on",
]

_S = RiskPointStatus
_LEVEL_VALUES: Final = frozenset(str(level) for level in RiskLevel)


# ------------------------------------------------------------------ wiring
def as_classifier(rules: Classifier | RuleSet) -> Classifier:
    """A compiled classifier: ``rules`` itself, or ``rules`` compiled."""
    return rules if isinstance(rules, Classifier) else compile_ruleset(rules)


def grading_classifier(grading: Classifier | RuleSet) -> Classifier:
    """The grading classifier, checked to decide risk levels.

    Raises:
        RuleTypeError: the ruleset does not decide a risk level.
    """
    clf = as_classifier(grading)
    output = clf.ruleset.output
    if output is None or not set(output.values) <= _LEVEL_VALUES:
        decided = "a number" if output is None else repr(output.name)
        raise RuleTypeError(
            f"ruleset {clf.ruleset.id!r} decides {decided}; grading needs an output "
            f"whose values are risk levels ({', '.join(sorted(_LEVEL_VALUES))})",
            path=("output",),
        )
    return clf


def as_level(value: object) -> RiskLevel:
    """A grading output as a `RiskLevel`."""
    return value if isinstance(value, RiskLevel) else RiskLevel(str(value))


def add_days(day: date, days: int) -> date:
    """``day`` plus ``days``, saturating at the ends of the calendar."""
    try:
        return day + timedelta(days=days)
    except OverflowError:
        return date.max if days > 0 else date.min


# ------------------------------------------------------------ state on a day
def risk_status_on(risk_point: RiskPoint, day: date) -> RiskPointStatus | None:
    """The risk point's lifecycle state on ``day``, rebuilt from its step dates.

    Returns ``None`` before the risk point was identified. A recorded state whose
    step is dated after ``day`` falls back to the latest step dated on or before it;
    a step with no date is taken to have happened by ``day``.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> rp = yueyanglou().risk_point("rp03")  # now monitoring
        >>> rp.graded_on, rp.controlled_on, rp.last_reviewed_on
        (datetime.date(2020, 5, 23), datetime.date(2020, 5, 31), datetime.date(2020, 8, 25))
        >>> days = [date(2020, 5, 25), date(2020, 6, 1), date(2020, 9, 1)]
        >>> [str(risk_status_on(rp, day)) for day in days]
        ['graded', 'controlled', 'monitoring']
        >>> risk_status_on(rp, date(2020, 5, 1)) is None  # identified 2020-05-15
        True
    """
    if day < risk_point.identified_on:
        return None
    status = risk_point.status
    if status is _S.CLOSED:
        if risk_point.closed_on is None or risk_point.closed_on <= day:
            return _S.CLOSED
        status = _S.MONITORING
    if status is _S.IDENTIFIED:
        return status
    dated = {
        _S.GRADED: risk_point.graded_on,
        _S.CONTROLLED: risk_point.controlled_on,
        _S.MONITORING: risk_point.last_reviewed_on,
    }
    recorded = dated[status]
    if recorded is None or recorded <= day:
        return status
    best, best_day = _S.IDENTIFIED, None
    for step, step_day in dated.items():
        if step is status or step_day is None or step_day > day:
            continue
        if best_day is None or step_day >= best_day:
            best, best_day = step, step_day
    return best


def hazard_open_on(hazard: Hazard, day: date) -> bool:
    """Whether the hazard was found by ``day`` and not yet verified or closed on it."""
    if day < hazard.found_on:
        return False
    done = [d for d in (hazard.verified_on, hazard.closed_on) if d is not None]
    if done:
        return min(done) > day
    return hazard.status in {HazardStatus.FOUND, HazardStatus.RECTIFYING}


def dispute_open_on(dispute: Dispute, day: date) -> bool:
    """Whether the dispute was reported by ``day`` and still needed work on it.

    A dispute open now was open since it was reported; one that is no longer open
    was open until the day it closed (``closed_on``) or ended (``ended_on``); with
    neither date it is taken as finished by ``day``.
    """
    if day < dispute.reported_on:
        return False
    if dispute.is_open():
        return True
    end = (
        dispute.closed_on if dispute.status is DisputeStatus.CLOSED else None
    ) or dispute.ended_on
    return end is not None and end > day


# ---------------------------------------------------------------- lifecycle
def grade_risk_point(
    county: County,
    grading: Classifier | RuleSet,
    risk_point_id: str,
    *,
    on: date,
) -> RiskPoint:
    """Grade (or re-grade) a risk point with the grading ruleset (IDENTIFIED → GRADED).

    Args:
        county: the county holding the risk point (its hazards are counted).
        grading: the risk-point grading ruleset or its compiled classifier.
        risk_point_id: which risk point.
        on: the day of grading.

    Returns:
        The risk point, graded, with ``graded_on=on``.

    Raises:
        UnknownIdError: there is no such risk point.
        TransitionError: it cannot be graded from its state (controlled, closed).
        RuleTypeError: ``grading`` does not decide risk levels.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> county = yueyanglou()
        >>> rp = county.risk_point("rp24")
        >>> rp.status, rp.likelihood * rp.severity
        (<RiskPointStatus.IDENTIFIED: 'identified'>, 12)
        >>> rp = grade_risk_point(
        ...     county,
        ...     default_ruleset("risk-point-grading"),
        ...     "rp24",
        ...     on=date(2020, 9, 16),
        ... )
        >>> rp.status, rp.level
        (<RiskPointStatus.GRADED: 'graded'>, <RiskLevel.GENERAL: 'general'>)

    Added in version 0.1.0.
    """
    clf = grading_classifier(grading)
    rp = county.risk_point(risk_point_id)
    record = risk_point_record(rp)
    record["open_hazards"] = sum(
        1 for h in county.hazards if h.risk_point_id == rp.id and hazard_open_on(h, on)
    )
    level = as_level(clf.classify(record).output)
    return rp.grade(level, on=on)


def control_risk_point(
    county: County, graph: object, risk_point_id: str, *, on: date
) -> RiskPoint:
    """Put a graded risk point under control, if the graph shows all three responsibilities.

    The territorial, principal and supervisory parties come from the
    responsibility graph (`countypolicing.graph.responsible_parties`), so a risk
    point cannot become CONTROLLED while the graph shows one of them missing
    (a risk point exempt from principal responsibility needs the other two).

    Args:
        county: the county holding the risk point.
        graph: its responsibility graph (`countypolicing.graph.build_responsibility_graph`).
        risk_point_id: which risk point.
        on: the day it is put under control.

    Returns:
        The risk point, CONTROLLED, with ``controlled_on=on``.

    Raises:
        UnknownIdError: the county has no such risk point.
        UnknownNodeError: the graph has no such risk point (built from another county?).
        TransitionError: it is not GRADED, or a responsibility is missing.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> from countypolicing.graph import build_responsibility_graph
        >>> county = yueyanglou()
        >>> G = build_responsibility_graph(county)
        >>> control_risk_point(county, G, "rp32", on=date(2020, 9, 16)).status
        <RiskPointStatus.CONTROLLED: 'controlled'>
        >>> control_risk_point(county, G, "rp01", on=date(2020, 9, 16))
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.TransitionError: risk point 'rp01' cannot be controlled while principal responsibility is missing

    Added in version 0.1.0.
    """
    rp = county.risk_point(risk_point_id)
    return rp.control(on=on, parties=responsible_parties(graph, risk_point_id))  # type: ignore[arg-type]  # checked by the graph package


# ------------------------------------------------------------------ reviews
def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    if value.__class__ is not int or value < 1:
        raise ModelError(
            f"{attribute.name} must be a whole number of days >= 1, got {value!r}",
            field=attribute.name,
            record_id=type(instance).__name__,
        )


@attrs.frozen(kw_only=True)
class ReviewPolicy:
    """How often a controlled risk point is reviewed: the higher its level, the sooner.

    The defaults (7, 15, 30 and 90 days) are an inferred convention, not a rule
    from a source; set your county's own. A risk point's own ``review_every_days``
    is kept when it is shorter than the policy's interval for its level, never when
    it is longer.

    Attributes:
        major_days: days between reviews of a major (重大) risk.
        significant_days: of a significant (较大) risk.
        general_days: of a general (一般) risk.
        low_days: of a low (低) risk.

    Examples:
        >>> p = ReviewPolicy()
        >>> [p.interval(level) for level in sorted(RiskLevel, reverse=True)]
        [7, 15, 30, 90]
        >>> p.interval(RiskLevel.LOW, own=10), p.interval(RiskLevel.MAJOR, own=10)
        (10, 7)
        >>> ReviewPolicy(major_days=40)
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: review intervals must shorten as the level rises: major_days <= significant_days <= general_days <= low_days (got 40, 15, 30, 90)

    Added in version 0.1.0.
    """

    major_days: int = attrs.field(default=7, validator=_positive)
    significant_days: int = attrs.field(default=15, validator=_positive)
    general_days: int = attrs.field(default=30, validator=_positive)
    low_days: int = attrs.field(default=90, validator=_positive)

    def __attrs_post_init__(self) -> None:
        days = (
            self.major_days,
            self.significant_days,
            self.general_days,
            self.low_days,
        )
        if list(days) != sorted(days):
            raise ModelError(
                "review intervals must shorten as the level rises: major_days <= "
                "significant_days <= general_days <= low_days (got "
                f"{', '.join(map(str, days))})",
                field="major_days",
            )

    def interval(self, level: RiskLevel, *, own: int | None = None) -> int:
        """Days between reviews at ``level``; ``own`` (the risk's own) if shorter."""
        days = {
            RiskLevel.MAJOR: self.major_days,
            RiskLevel.SIGNIFICANT: self.significant_days,
            RiskLevel.GENERAL: self.general_days,
            RiskLevel.LOW: self.low_days,
        }[level]
        return days if own is None else min(days, own)


@attrs.frozen(kw_only=True)
class ReviewDue:
    """A controlled or monitored risk point whose review falls due on or before a day.

    Attributes:
        risk_point_id: the risk point.
        community_id: its community.
        level: the level that set the interval.
        interval_days: days between reviews.
        last_step_on: the last review, else the day it was controlled (or graded).
        due_on: ``last_step_on`` plus the interval.
        days_overdue: days past ``due_on`` on the day asked about (0: due today).

    Added in version 0.1.0.
    """

    risk_point_id: str
    community_id: str
    level: RiskLevel
    interval_days: int
    last_step_on: date
    due_on: date
    days_overdue: int


_DEFAULT_REVIEW: Final = ReviewPolicy()


def reviews_due(
    county: County,
    *,
    as_of: date,
    policy: ReviewPolicy = _DEFAULT_REVIEW,
    levels: Mapping[str, RiskLevel] | None = None,
) -> tuple[ReviewDue, ...]:
    """The controlled and monitored risk points due for review on ``as_of``.

    Args:
        county: the county.
        as_of: the day to judge on; states are rebuilt for that day.
        policy: the review interval per level.
        levels: each risk point's level (e.g. ``ScreeningResult.levels()``); by
            default the level recorded on the risk point.

    Returns:
        The reviews due, most overdue first, then the higher level, then by id.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> due = reviews_due(yueyanglou(), as_of=date(2020, 9, 15))
        >>> due[0].risk_point_id, due[0].level.value, due[0].days_overdue
        ('rp10', 'major', 90)

    Added in version 0.1.0.
    """
    out: list[ReviewDue] = []
    for rp in county.risk_points:
        status = risk_status_on(rp, as_of)
        if status not in {_S.CONTROLLED, _S.MONITORING}:
            continue
        level = levels.get(rp.id) if levels is not None else None
        level = level if level is not None else rp.level
        if level is None:  # pragma: no cover  # the model requires a level here
            continue
        steps = (
            rp.last_reviewed_on if status is _S.MONITORING else None,
            rp.controlled_on,
            rp.graded_on,
            rp.identified_on,
        )
        last = next(d for d in steps if d is not None and d <= as_of)
        interval = policy.interval(level, own=rp.review_every_days)
        due_on = add_days(last, interval)
        if due_on <= as_of:
            out.append(
                ReviewDue(
                    risk_point_id=rp.id,
                    community_id=rp.community_id,
                    level=level,
                    interval_days=interval,
                    last_step_on=last,
                    due_on=due_on,
                    days_overdue=(as_of - due_on).days,
                )
            )
    out.sort(key=lambda r: (r.due_on, -r.level.rank, r.risk_point_id))
    return tuple(out)


# ------------------------------------------------------------------ hazards
@attrs.frozen(kw_only=True)
class RectificationPolicy:
    """How long the owner has to rectify a hazard (隐患), by the level of its risk point.

    The defaults (7, 15, 30 and 60 days, shortest for a major risk) are an inferred
    convention, not a rule from a source; set your county's own.

    Examples:
        >>> RectificationPolicy().days(RiskLevel.SIGNIFICANT)
        15

    Added in version 0.1.0.
    """

    major_days: int = attrs.field(default=7, validator=_positive)
    significant_days: int = attrs.field(default=15, validator=_positive)
    general_days: int = attrs.field(default=30, validator=_positive)
    low_days: int = attrs.field(default=60, validator=_positive)

    def days(self, level: RiskLevel) -> int:
        """Days allowed for rectifying a hazard of a risk point at ``level``."""
        return {
            RiskLevel.MAJOR: self.major_days,
            RiskLevel.SIGNIFICANT: self.significant_days,
            RiskLevel.GENERAL: self.general_days,
            RiskLevel.LOW: self.low_days,
        }[level]


_DEFAULT_RECTIFICATION: Final = RectificationPolicy()


def register_hazard(
    county: County,
    risk_point_id: str,
    *,
    hazard_id: str,
    description: str,
    found_on: date,
    level: RiskLevel | None = None,
    owner_id: str | None = None,
    policy: RectificationPolicy = _DEFAULT_RECTIFICATION,
    provenance: Provenance = Provenance.USER,
) -> Hazard:
    """A hazard found by screening, with its rectification deadline set by policy.

    Args:
        county: the county holding the risk point.
        risk_point_id: the risk point the hazard belongs to.
        hazard_id: the new hazard's id.
        description: what was found.
        found_on: the day it was found.
        level: the risk point's level (e.g. from a screening); by default the
            level recorded on the risk point.
        owner_id: who must rectify it; by default the risk point's owner.
        policy: the days allowed per level.
        provenance: where the record comes from.

    Returns:
        The hazard, FOUND, due for rectification ``policy.days(level)`` days later.
        Add it to the county with ``attrs.evolve(county, hazards=[*county.hazards, h])``.

    Raises:
        UnknownIdError: no such risk point, or no such owner.
        ModelError: no level or no owner is known, or the id is already used.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> h = register_hazard(
        ...     yueyanglou(),
        ...     "rp02",
        ...     hazard_id="hz-new",
        ...     description="楼道堆放杂物",
        ...     found_on=date(2020, 9, 15),
        ... )
        >>> h.rectify_by, h.owner_id
        (datetime.date(2020, 9, 30), 'p-landlord-001')

    Added in version 0.1.0.
    """
    rp = county.risk_point(risk_point_id)
    if any(h.id == hazard_id for h in county.hazards):
        raise ModelError(
            f"hazard id {hazard_id!r} is already used", field="id", record_id=hazard_id
        )
    chosen = level if level is not None else rp.level
    if chosen is None:
        raise ModelError(
            f"risk point {rp.id!r} is not graded; grade it or pass level=",
            field="level",
            record_id=rp.id,
        )
    owner = owner_id if owner_id is not None else rp.owner_id
    if owner is None:
        raise ModelError(
            f"risk point {rp.id!r} has no owner; pass owner_id= (who must rectify)",
            field="owner_id",
            record_id=rp.id,
        )
    county.party(owner)
    return Hazard(
        id=HazardId(hazard_id),
        risk_point_id=RiskPointId(rp.id),
        description=description,
        found_on=found_on,
        rectify_by=add_days(found_on, policy.days(chosen)),
        owner_id=PartyId(owner),
        provenance=provenance,
    )


def overdue_hazards(county: County, *, as_of: date) -> tuple[Hazard, ...]:
    """Hazards found by ``as_of``, still open on it, and past their deadline.

    Returns:
        The hazards, the longest overdue (earliest deadline) first, then by id.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> [h.id for h in overdue_hazards(yueyanglou(), as_of=date(2020, 9, 15))]
        ['hz03', 'hz05']

    Added in version 0.1.0.
    """
    late = [
        h for h in county.hazards if hazard_open_on(h, as_of) and as_of > h.rectify_by
    ]
    return tuple(sorted(late, key=lambda h: (h.rectify_by, h.id)))
