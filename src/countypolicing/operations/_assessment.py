"""Performance assessment (综合绩效考核): weighted indicators per township, department, station.

The article says county policing was written into the county's comprehensive
performance assessment; how it was scored is not published. Here the indicator set
is *data* (`IndicatorSet`: each indicator names a `AssessmentMeasure`, a weight and
the kinds of subject it applies to), loaded from YAML by
``countypolicing.serialization.load_indicator_set``; `assess` computes every
measure from the county's records and the task ledger as of a day, and keeps, for
every score, the records that produced it.
"""

from __future__ import annotations

import math
from collections import defaultdict
from collections.abc import Iterable
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final

import attrs

from countypolicing.exceptions import ModelError, UnknownIdError
from countypolicing.model import (
    County,
    Department,
    DisputeStatus,
    Entity,
    Government,
    HandlingLevel,
    JudicialOffice,
    LabelledEnum,
    LedgerEntry,
    MediationCommittee,
    PoliceStation,
    RiskPointStatus,
    TaskStatus,
)
from countypolicing.operations._frames import require_pandas
from countypolicing.operations._plan import plan_from_county
from countypolicing.operations._risk_lifecycle import (
    ReviewPolicy,
    reviews_due,
    risk_status_on,
)
from countypolicing.operations._workplan import TaskLine, display_width, pad, reconcile

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional extra, untyped

__all__ = [
    "Assessment",
    "AssessmentIndicator",
    "AssessmentMeasure",
    "AssessmentScore",
    "IndicatorLine",
    "IndicatorSet",
    "SubjectKind",
    "WhenEmpty",
    "assess",
    "format_assessment",
]


class SubjectKind(LabelledEnum):
    """Who is assessed: a township, a department or a police station.

    Added in version 0.1.0.
    """

    TOWNSHIP = "township"
    DEPARTMENT = "department"
    STATION = "station"
    __zh__ = MappingProxyType(
        {"township": "街道(乡镇)", "department": "职能部门", "station": "派出所"}
    )


class AssessmentMeasure(LabelledEnum):
    """What an indicator measures: a share, 0 to 1, counted from records as of a day.

    - ``tasks_on_time``: of the tasks due by the day (or finished by it), those
      submitted on or before their deadline; a task counts for its lead owner.
    - ``tasks_closed_out``: of the tasks due by the day, those closed out (销号).
    - ``risk_points_controlled``: of the risk points identified by the day, those
      controlled, monitored or closed on it.
    - ``reviews_on_time``: of the risk points controlled or monitored on the day,
      those not overdue for review (`ReviewPolicy`).
    - ``disputes_resolved_at_grassroots``: of the disputes with an outcome by the
      day, those agreed, performed or closed at grid or community level without
      referral (矛盾不上交).
    - ``hazards_rectified_on_time``: of the hazards due by the day (or verified by
      it), those verified on or before their deadline.

    Risk points, hazards and disputes count for the township and the station of
    their community; risk points and hazards also for the departments that
    supervise the risk's theme (or its override), disputes for the department
    that handles them. Tasks count for their lead owner: a department, a station,
    or the township of a government, judicial office, mediation committee or
    entity.

    Added in version 0.1.0.
    """

    TASKS_ON_TIME = "tasks_on_time"
    TASKS_CLOSED_OUT = "tasks_closed_out"
    RISK_POINTS_CONTROLLED = "risk_points_controlled"
    REVIEWS_ON_TIME = "reviews_on_time"
    DISPUTES_RESOLVED_AT_GRASSROOTS = "disputes_resolved_at_grassroots"
    HAZARDS_RECTIFIED_ON_TIME = "hazards_rectified_on_time"
    __zh__ = MappingProxyType(
        {
            "tasks_on_time": "任务按期完成率",
            "tasks_closed_out": "任务销号率",
            "risk_points_controlled": "风险点管控率",
            "reviews_on_time": "风险点按期复核率",
            "disputes_resolved_at_grassroots": "矛盾纠纷基层化解率",
            "hazards_rectified_on_time": "隐患按期整改率",
        }
    )


class WhenEmpty(LabelledEnum):
    """What an indicator gives a subject with nothing to count.

    ``skip`` leaves it out of that subject's score (the other weights count in
    full); ``full`` scores it 100 %; ``zero`` scores it 0 %.

    Added in version 0.1.0.
    """

    SKIP = "skip"
    FULL = "full"
    ZERO = "zero"
    __zh__ = MappingProxyType({"skip": "不计", "full": "计满分", "zero": "计零分"})


def _subjects(value: Iterable[SubjectKind | str]) -> tuple[SubjectKind, ...]:
    return tuple(SubjectKind(v) for v in value)


def _text(instance: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise ModelError(
            f"{attribute.name} must be non-empty text, got {value!r}",
            field=attribute.name,
            record_id=getattr(instance, "id", None),
        )


@attrs.frozen(kw_only=True)
class AssessmentIndicator:
    """One weighted indicator of an assessment.

    Attributes:
        id: unique within the set.
        name_zh: its name.
        name_en: its English name, if any.
        measure: what it measures.
        weight: its weight (> 0); weights are relative, they need not add to 100.
        subjects: the kinds of subject it applies to.
        when_empty: what a subject with nothing to count gets.
        description: why and how, for readers.

    Added in version 0.1.0.
    """

    id: str = attrs.field(validator=_text)
    name_zh: str = attrs.field(validator=_text)
    name_en: str | None = None
    measure: AssessmentMeasure
    weight: float
    subjects: tuple[SubjectKind, ...] = attrs.field(
        default=tuple(SubjectKind), converter=_subjects
    )
    when_empty: WhenEmpty = WhenEmpty.SKIP
    description: str | None = None

    def __attrs_post_init__(self) -> None:
        w: object = self.weight
        if (
            isinstance(w, bool)
            or not isinstance(w, (int, float))
            or not math.isfinite(w)
            or w <= 0
        ):
            raise ModelError(
                f"weight must be a finite number > 0, got {w!r}",
                field="weight",
                record_id=self.id,
            )
        if not self.subjects:
            raise ModelError(
                "an indicator applies to at least one kind of subject",
                field="subjects",
                record_id=self.id,
            )
        if len(set(self.subjects)) != len(self.subjects):
            raise ModelError(
                "a kind of subject is listed twice", field="subjects", record_id=self.id
            )


def _indicators(
    value: Iterable[AssessmentIndicator],
) -> tuple[AssessmentIndicator, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class IndicatorSet:
    """An assessment's indicators and weights (data; see ``load_indicator_set``).

    Examples:
        >>> s = IndicatorSet(
        ...     id="demo",
        ...     version="1",
        ...     indicators=[
        ...         AssessmentIndicator(
        ...             id="risks",
        ...             name_zh="风险点管控率",
        ...             measure=AssessmentMeasure.RISK_POINTS_CONTROLLED,
        ...             weight=1,
        ...         )
        ...     ],
        ... )
        >>> s.indicator("risks").subjects
        (<SubjectKind.TOWNSHIP: 'township'>, <SubjectKind.DEPARTMENT: 'department'>, <SubjectKind.STATION: 'station'>)

    Added in version 0.1.0.
    """

    id: str = attrs.field(validator=_text)
    version: str = attrs.field(validator=_text)
    title: str | None = None
    authority: str | None = None
    provenance: str | None = None
    indicators: tuple[AssessmentIndicator, ...] = attrs.field(converter=_indicators)

    def __attrs_post_init__(self) -> None:
        if not self.indicators:
            raise ModelError(
                "an indicator set needs at least one indicator",
                field="indicators",
                record_id=self.id,
            )
        seen: set[str] = set()
        for ind in self.indicators:
            if ind.id in seen:
                raise ModelError(
                    f"indicator id {ind.id!r} is used twice",
                    field="indicators",
                    record_id=ind.id,
                )
            seen.add(ind.id)

    def indicator(self, indicator_id: str) -> AssessmentIndicator:
        """The indicator with this id (raises `UnknownIdError`)."""
        for ind in self.indicators:
            if ind.id == indicator_id:
                return ind
        raise UnknownIdError("indicator", indicator_id)


@attrs.frozen(kw_only=True)
class IndicatorLine:
    """One indicator's result for one subject, with the records behind it.

    Attributes:
        indicator_id: the indicator.
        measure: what it measures.
        weight: its weight.
        numerator: the records that met it.
        denominator: the records it counted.
        value: ``numerator / denominator`` (or what `WhenEmpty` gives; ``None``:
            left out of the score).
        points: its contribution to the score, out of 100.
        counted: the ids of the records that met it.
        missed: the ids of the records that did not.

    Added in version 0.1.0.
    """

    indicator_id: str
    measure: AssessmentMeasure
    weight: float
    numerator: int
    denominator: int
    value: float | None
    points: float | None = None
    counted: tuple[str, ...] = ()
    missed: tuple[str, ...] = ()


def _lines(value: Iterable[IndicatorLine]) -> tuple[IndicatorLine, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class AssessmentScore:
    """One subject's score: 100 × the weighted mean of its indicator values.

    Attributes:
        kind: township, department or station.
        subject_id: the subject.
        name_zh: its name.
        name_en: its English name, if any.
        score: 0 to 100 (``None``: nothing to count at all).
        rank: its place among subjects of its kind (``None`` without a score).
        lines: one line per indicator that applies to its kind.

    Added in version 0.1.0.
    """

    kind: SubjectKind
    subject_id: str
    name_zh: str
    name_en: str | None = None
    score: float | None
    rank: int | None = None
    lines: tuple[IndicatorLine, ...] = attrs.field(converter=_lines)

    def line(self, indicator_id: str) -> IndicatorLine:
        """The line of one indicator (raises ``KeyError``)."""
        for line in self.lines:
            if line.indicator_id == indicator_id:
                return line
        raise KeyError(indicator_id)


def _scores(value: Iterable[AssessmentScore]) -> tuple[AssessmentScore, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class Assessment:
    """The result of `assess`: every subject's score with its inputs.

    Attributes:
        indicator_set: the indicator set's id.
        version: its version.
        as_of: the day assessed.
        scores: every subject, by kind (township, department, station), then rank,
            then id.

    Added in version 0.1.0.
    """

    indicator_set: str
    version: str
    as_of: date
    scores: tuple[AssessmentScore, ...] = attrs.field(converter=_scores)

    def of(self, kind: SubjectKind | str) -> tuple[AssessmentScore, ...]:
        """The scores of one kind of subject, best first."""
        wanted = SubjectKind(kind)
        return tuple(s for s in self.scores if s.kind is wanted)

    def score(self, subject_id: str) -> AssessmentScore:
        """The score of one subject (raises ``KeyError``)."""
        for s in self.scores:
            if s.subject_id == subject_id:
                return s
        raise KeyError(subject_id)

    def to_frame(self) -> pd.DataFrame:
        """One row per subject and indicator (long format), with the counts.

        Needs the ``pandas`` extra.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        rows = [
            {
                "kind": s.kind.value,
                "subject_id": s.subject_id,
                "name_zh": s.name_zh,
                "score": s.score,
                "rank": s.rank,
                "indicator_id": line.indicator_id,
                "measure": line.measure.value,
                "weight": line.weight,
                "numerator": line.numerator,
                "denominator": line.denominator,
                "value": line.value,
                "points": line.points,
                "missed": ",".join(line.missed),
            }
            for s in self.scores
            for line in s.lines
        ]
        return pandas.DataFrame(rows)


# ---------------------------------------------------------------- counting
Subject = tuple[SubjectKind, str]
_Tally = dict[Subject, tuple[list[str], list[str]]]

_DONE: Final = frozenset({TaskStatus.SUBMITTED, TaskStatus.VERIFIED, TaskStatus.CLOSED})
_OUTCOMES: Final = frozenset(
    {
        DisputeStatus.AGREED,
        DisputeStatus.PERFORMED,
        DisputeStatus.CLOSED,
        DisputeStatus.REFERRED,
        DisputeStatus.ESCALATED_TO_POLICE,
        DisputeStatus.REFUSED,
        DisputeStatus.TERMINATED,
    }
)
_RESOLVED: Final = frozenset(
    {DisputeStatus.AGREED, DisputeStatus.PERFORMED, DisputeStatus.CLOSED}
)
_CONTROLLED: Final = frozenset(
    {RiskPointStatus.CONTROLLED, RiskPointStatus.MONITORING, RiskPointStatus.CLOSED}
)
_T, _D, _S = SubjectKind.TOWNSHIP, SubjectKind.DEPARTMENT, SubjectKind.STATION


def _admin_unit(org: object) -> str | None:
    """The township or community an organisation belongs to, if any."""
    if isinstance(org, Government):
        return org.admin_unit_id
    if isinstance(org, (JudicialOffice, MediationCommittee)) and org.township_id:
        return org.township_id
    if isinstance(org, (MediationCommittee, Entity)):
        return org.community_id
    return None


class _Attribution:
    """Which subjects a community, risk point, dispute or task counts for."""

    def __init__(self, county: County) -> None:
        self.county = county
        self.township_of = {c.id: c.township_id for c in county.communities}
        self.station_of: dict[str, str] = {}
        for c in county.communities:
            station = county.station_for(c.id)
            if station is not None:
                self.station_of[c.id] = station.id
        self.supervisors: dict[str, tuple[str, ...]] = {
            row.theme: row.department_ids for row in county.theme_supervision
        }
        self.departments = {d.id for d in county.departments}
        self.townships = {t.id for t in county.townships}
        self.org_subjects: dict[str, set[Subject]] = defaultdict(set)
        for org in county.organisations():
            if isinstance(org, Department):
                self.org_subjects[org.id].add((_D, org.id))
            elif isinstance(org, PoliceStation):
                self.org_subjects[org.id].add((_S, org.id))
            else:
                unit = _admin_unit(org)
                township = self.township_of.get(unit, unit) if unit else None
                if township in self.townships:
                    self.org_subjects[org.id].add((_T, str(township)))

    def community(self, community_id: str) -> set[Subject]:
        out: set[Subject] = {(_T, self.township_of[community_id])}
        station = self.station_of.get(community_id)
        if station is not None:
            out.add((_S, station))
        return out

    def risk(self, risk_point_id: str) -> set[Subject]:
        rp = self.county.risk_point(risk_point_id)
        out = self.community(rp.community_id)
        override = rp.supervisor_override
        departments = (
            (override.department_id,)
            if override is not None
            else self.supervisors.get(rp.theme, ())
        )
        out.update((_D, d) for d in departments if d in self.departments)
        return out


def _add(
    tally: _Tally, subjects: Iterable[Subject], record_id: str, *, met: bool
) -> None:
    for subject in subjects:
        counted, missed = tally.setdefault(subject, ([], []))
        (counted if met else missed).append(record_id)


def _tasks(
    county: County,
    as_of: date,
    ledger: Iterable[LedgerEntry] | None,
    plan_id: str | None,
) -> list[TaskLine]:
    plans = [plan_id] if plan_id is not None else [p.id for p in county.work_plans]
    entries = list(ledger) if ledger is not None else list(county.ledger)
    lines: list[TaskLine] = []
    for pid in plans:
        lines.extend(reconcile(plan_from_county(county, pid), entries, as_of).tasks)
    return lines


def _measure(  # noqa: C901, PLR0912  # one branch per measure
    measure: AssessmentMeasure,
    *,
    county: County,
    who: _Attribution,
    as_of: date,
    tasks: list[TaskLine],
    review_policy: ReviewPolicy,
) -> _Tally:
    tally: _Tally = {}
    m = AssessmentMeasure
    if measure in {m.TASKS_ON_TIME, m.TASKS_CLOSED_OUT}:
        for line in tasks:
            done = line.status in _DONE
            subjects = who.org_subjects.get(line.lead_owner_id, set())
            if measure is m.TASKS_ON_TIME:
                if line.deadline > as_of and not done:
                    continue
                met = (
                    done
                    and line.submitted_on is not None
                    and line.submitted_on <= line.deadline
                )
            else:
                if line.deadline > as_of and line.status is not TaskStatus.CLOSED:
                    continue
                met = line.status is TaskStatus.CLOSED
            _add(tally, subjects, line.task_id, met=met)
    elif measure is m.RISK_POINTS_CONTROLLED:
        for rp in county.risk_points:
            status = risk_status_on(rp, as_of)
            if status is None:
                continue
            _add(tally, who.risk(rp.id), rp.id, met=status in _CONTROLLED)
    elif measure is m.REVIEWS_ON_TIME:
        late = {
            r.risk_point_id
            for r in reviews_due(county, as_of=as_of, policy=review_policy)
            if r.days_overdue > 0
        }
        for rp in county.risk_points:
            status = risk_status_on(rp, as_of)
            if status in {RiskPointStatus.CONTROLLED, RiskPointStatus.MONITORING}:
                _add(tally, who.risk(rp.id), rp.id, met=rp.id not in late)
    elif measure is m.DISPUTES_RESOLVED_AT_GRASSROOTS:
        for d in county.disputes:
            ended = d.ended_on or d.closed_on or d.reported_on
            if d.status not in _OUTCOMES or ended > as_of or d.reported_on > as_of:
                continue
            subjects = who.community(d.community_id)
            if d.handler_id is not None and d.handler_id in who.departments:
                subjects.add((_D, d.handler_id))
            met = (
                d.status in _RESOLVED
                and d.referral is None
                and d.handling_level <= HandlingLevel.COMMUNITY
            )
            _add(tally, subjects, d.id, met=met)
    else:
        for h in county.hazards:
            if h.found_on > as_of:
                continue
            done_on = h.verified_on or h.closed_on
            verified = done_on is not None and done_on <= as_of
            if h.rectify_by > as_of and not verified:
                continue
            met = verified and done_on is not None and done_on <= h.rectify_by
            _add(tally, who.risk(h.risk_point_id), h.id, met=met)
    return tally


_DEFAULT_REVIEW: Final = ReviewPolicy()
_HEADINGS: Final = {
    SubjectKind.TOWNSHIP: "Sub-districts and townships",
    SubjectKind.DEPARTMENT: "Departments",
    SubjectKind.STATION: "Police stations",
}


def assess(
    county: County,
    indicators: IndicatorSet,
    *,
    as_of: date,
    ledger: Iterable[LedgerEntry] | None = None,
    plan_id: str | None = None,
    review_policy: ReviewPolicy = _DEFAULT_REVIEW,
) -> Assessment:
    """Score every township, department and police station on an indicator set.

    Each indicator's value is a share (see `AssessmentMeasure`), counted from the
    county's records and the task ledger as of ``as_of``; a subject's score is
    ``100 × Σ(weight × value) / Σ weight`` over the indicators that apply to its
    kind and have something to count (`WhenEmpty`). Every line keeps the ids of
    the records that met the indicator and of those that did not.

    Args:
        county: the county.
        indicators: the indicator set (``load_indicator_set``; the shipped default
            is ``datasets/rules/assessment-indicators.yaml``).
        as_of: the day assessed (never the clock).
        ledger: the task ledger's entries (a store, a `Ledger`); by default the
            county's own.
        plan_id: the work plan whose tasks count; every plan of the county by default.
        review_policy: the review intervals behind ``reviews_on_time``.

    Returns:
        The assessment.

    Raises:
        UnknownIdError: no work plan ``plan_id``.
        LedgerIntegrityError: the ledger cannot be replayed.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> indicators = IndicatorSet(
        ...     id="demo",
        ...     version="1",
        ...     indicators=[
        ...         AssessmentIndicator(
        ...             id="risks",
        ...             name_zh="风险点管控率",
        ...             measure=AssessmentMeasure.RISK_POINTS_CONTROLLED,
        ...             weight=60,
        ...         ),
        ...         AssessmentIndicator(
        ...             id="tasks",
        ...             name_zh="任务按期完成率",
        ...             measure=AssessmentMeasure.TASKS_ON_TIME,
        ...             weight=40,
        ...         ),
        ...     ],
        ... )
        >>> result = assess(yueyanglou(), indicators, as_of=date(2020, 9, 15))
        >>> s = result.score("zhanqianlu-ps")
        >>> [(line.indicator_id, line.numerator, line.denominator) for line in s.lines]
        [('risks', 4, 6), ('tasks', 2, 4)]
        >>> s.score  # 100 × (60 × 4/6 + 40 × 2/4) / 100
        60.0
        >>> s.line("tasks").missed
        ('k05-t4', 'k15-t4')

    Added in version 0.1.0.
    """
    who = _Attribution(county)
    needs_tasks = any(
        i.measure
        in {AssessmentMeasure.TASKS_ON_TIME, AssessmentMeasure.TASKS_CLOSED_OUT}
        for i in indicators.indicators
    )
    tasks = _tasks(county, as_of, ledger, plan_id) if needs_tasks else []
    tallies = {
        ind.id: _measure(
            ind.measure,
            county=county,
            who=who,
            as_of=as_of,
            tasks=tasks,
            review_policy=review_policy,
        )
        for ind in indicators.indicators
    }
    subjects: list[tuple[SubjectKind, str, str, str | None]] = [
        *((_T, t.id, t.name_zh, t.name_en) for t in county.townships),
        *((_D, d.id, d.name_zh, d.name_en) for d in county.departments),
        *((_S, s.id, s.name_zh, s.name_en) for s in county.police_stations),
    ]
    out: list[AssessmentScore] = []
    for kind, subject_id, name_zh, name_en in subjects:
        raw: list[
            tuple[AssessmentIndicator, int, int, float | None, list[str], list[str]]
        ] = []
        for ind in indicators.indicators:
            if kind not in ind.subjects:
                continue
            counted, missed = tallies[ind.id].get((kind, subject_id), ([], []))
            num, den = len(counted), len(counted) + len(missed)
            if den:
                value: float | None = num / den
            elif ind.when_empty is WhenEmpty.FULL:
                value = 1.0
            elif ind.when_empty is WhenEmpty.ZERO:
                value = 0.0
            else:
                value = None
            raw.append((ind, num, den, value, sorted(counted), sorted(missed)))
        total = (
            math.fsum(float(ind.weight) for ind, *_, v, _c, _m in raw if v is not None)
            if raw
            else 0.0
        )
        lines = [
            IndicatorLine(
                indicator_id=ind.id,
                measure=ind.measure,
                weight=ind.weight,
                numerator=num,
                denominator=den,
                value=value,
                points=None
                if value is None or not total
                else 100.0 * ind.weight * value / total,
                counted=tuple(counted),
                missed=tuple(missed),
            )
            for ind, num, den, value, counted, missed in raw
        ]
        points = [line.points for line in lines if line.points is not None]
        score = math.fsum(points) if points else None
        out.append(
            AssessmentScore(
                kind=kind,
                subject_id=subject_id,
                name_zh=name_zh,
                name_en=name_en,
                score=score,
                lines=lines,
            )
        )
    order = {k: i for i, k in enumerate(SubjectKind)}
    out.sort(
        key=lambda s: (
            order[s.kind],
            s.score is None,
            -(s.score or 0.0),
            s.subject_id,
        )
    )
    ranked: list[AssessmentScore] = []
    position: dict[SubjectKind, int] = defaultdict(int)
    for s in out:
        if s.score is None:
            ranked.append(s)
            continue
        position[s.kind] += 1
        ranked.append(attrs.evolve(s, rank=position[s.kind]))
    return Assessment(
        indicator_set=indicators.id,
        version=indicators.version,
        as_of=as_of,
        scores=ranked,
    )


def format_assessment(
    assessment: Assessment,
    *,
    kind: SubjectKind | str | None = None,
    lang: str = "en",
    top: int | None = None,
) -> str:
    """Scores as an aligned table: rank, subject, score, then each indicator's share.

    Args:
        assessment: the assessment.
        kind: only this kind of subject; all kinds by default.
        lang: ``"en"`` or ``"zh"``.
        top: the first ``top`` subjects of each kind.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> indicators = IndicatorSet(
        ...     id="demo",
        ...     version="1",
        ...     indicators=[
        ...         AssessmentIndicator(
        ...             id="risks",
        ...             name_zh="风险点管控率",
        ...             measure=AssessmentMeasure.RISK_POINTS_CONTROLLED,
        ...             weight=1,
        ...             subjects=["station"],
        ...         )
        ...     ],
        ... )
        >>> result = assess(yueyanglou(), indicators, as_of=date(2020, 9, 15))
        >>> print(format_assessment(result, kind="station", top=2))
        Police stations (demo 1, 2020-09-15)
          #  subject                   score  risks
          1  Sample police station 01  100.0    4/4
          2  Sample police station 06  100.0    1/1
    """
    zh = lang == "zh"
    kinds = [SubjectKind(kind)] if kind is not None else list(SubjectKind)
    blocks: list[str] = []
    for k in kinds:
        scores = assessment.of(k)[:top]
        if not scores:
            continue
        title = k.label_zh if zh else _HEADINGS[k]
        ids = [line.indicator_id for line in scores[0].lines]
        header = ["#", "对象" if zh else "subject", "得分" if zh else "score", *ids]
        rows = [header]
        for s in scores:
            name = s.name_zh if zh or s.name_en is None else s.name_en
            rows.append(
                [
                    "-" if s.rank is None else str(s.rank),
                    name,
                    "-" if s.score is None else f"{s.score:.1f}",
                    *(
                        f"{line.numerator}/{line.denominator}"
                        if line.denominator
                        else "-"
                        for line in s.lines
                    ),
                ]
            )
        widths = [max(display_width(r[i]) for r in rows) for i in range(len(header))]
        text = [
            f"{title} ({assessment.indicator_set} {assessment.version}, {assessment.as_of})"
        ]
        for r in rows:
            cells = [
                pad(c, widths[i])
                if i == 1
                else " " * (widths[i] - display_width(c)) + c
                for i, c in enumerate(r)
            ]
            text.append(("  " + "  ".join(cells)).rstrip())
        blocks.append("\n".join(text))
    return "\n\n".join(blocks)
