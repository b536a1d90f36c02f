"""Screening and classification (大起底、梳理排队): grade, classify, rank, roll up.

`screen` grades every risk point with the grading (risk-matrix) ruleset, then puts
every community into a risk class with the community ruleset, reading the
community's indicators and the aggregates of its risk points, and ranks the
communities: class first, then a documented score (`RankingPolicy`), then id.
The result is a frozen `ScreeningResult`; `rank_communities`, `classify_communities`
and `rollup` (per police station — the main battlefield — or per township) are
views of it. The rulesets are arguments: nothing here picks a default.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable, Mapping
from datetime import date
from types import MappingProxyType
from typing import TYPE_CHECKING, Final, Literal

import attrs
import numpy as np

from countypolicing.exceptions import IntegrityError, ModelError, RuleEvaluationError
from countypolicing.model import (
    CommunityIndicators,
    County,
    LabelledEnum,
    RiskLevel,
    RiskPointStatus,
    RiskTheme,
)
from countypolicing.operations._frames import require_pandas
from countypolicing.operations._risk_lifecycle import (
    as_classifier,
    as_level,
    dispute_open_on,
    grading_classifier,
    hazard_open_on,
    risk_status_on,
)
from countypolicing.operations._screening_core import (
    DEFAULT_RANKING,
    RankingPolicy,
    aggregate_risks,
    classification_values,
    rank_order,
    scores,
)
from countypolicing.operations._workplan import display_width, pad
from countypolicing.rules import (
    BUILTIN_OUTPUTS,
    Classifier,
    Decision,
    Explanation,
    RuleSet,
    builtin_schema,
    risk_point_record,
)

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional extra, untyped

__all__ = [
    "CommunityAggregates",
    "CommunityFinding",
    "MissingIndicators",
    "RankedCommunity",
    "RiskGrade",
    "Rollup",
    "RollupBy",
    "RulesetStamp",
    "ScreeningResult",
    "classify_communities",
    "format_ranking",
    "format_rollups",
    "grade_risk_points",
    "rank_communities",
    "rollup",
    "screen",
]

Scalar = int | float | str | bool | None

MissingIndicators = Literal["error", "zeros"]
"""What `screen` does with a community that has no indicator record on or before
the screening day: ``"error"`` (the default) reports every such community in one
`IntegrityError`; ``"zeros"`` screens it with zero counts and rates.

Added in version 0.1.0.
"""

RollupBy = Literal["station", "township"]
"""How `rollup` groups communities: by police station or by sub-district/township.

Added in version 0.1.0.
"""

_COMMUNITY_FIELDS: Final = tuple(f.name for f in builtin_schema("community").fields)


# ------------------------------------------------------------------ records
@attrs.frozen(kw_only=True)
class RulesetStamp:
    """Which ruleset decided: id, version and content hash.

    Added in version 0.1.0.
    """

    id: str
    version: str
    hash: str

    @classmethod
    def of(cls, classifier: Classifier) -> RulesetStamp:
        """The stamp of a compiled ruleset."""
        rs = classifier.ruleset
        return cls(id=rs.id, version=rs.version, hash=rs.content_hash)


@attrs.frozen(kw_only=True)
class RiskGrade:
    """One risk point as a screening found it.

    Attributes:
        risk_point_id: the risk point.
        community_id: its community.
        theme: its theme.
        level: the level the grading ruleset decided.
        rule_ids: the grading rules that decided it.
        status: its lifecycle state on the screening day.
        open_hazards: its hazards open on that day.

    Added in version 0.1.0.
    """

    risk_point_id: str
    community_id: str
    theme: str
    level: RiskLevel
    rule_ids: tuple[str, ...] = ()
    status: RiskPointStatus
    open_hazards: int = 0

    @property
    def is_open(self) -> bool:
        """Whether the risk point is still open (not closed) on the screening day."""
        return self.status is not RiskPointStatus.CLOSED


@attrs.frozen(kw_only=True)
class CommunityAggregates:
    """What a community's risk points, hazards and disputes add up to on a day.

    Attributes:
        risk_points: open risk points.
        worst_level: the worst level among them (``None``: no open risk point).
        major: open major risk points; ``significant``, ``general`` and ``low``
            likewise.
        open_hazards: hazards open on the day (of any of its risk points).
        open_disputes: disputes in the register open on the day.
        themes: the themes of its open risk points, sorted.

    Added in version 0.1.0.
    """

    risk_points: int = 0
    worst_level: RiskLevel | None = None
    major: int = 0
    significant: int = 0
    general: int = 0
    low: int = 0
    open_hazards: int = 0
    open_disputes: int = 0
    themes: tuple[str, ...] = ()


def _record(value: Iterable[tuple[str, Scalar]]) -> tuple[tuple[str, Scalar], ...]:
    return tuple((str(k), v) for k, v in value)


@attrs.frozen(kw_only=True)
class CommunityFinding:
    """One community as a screening classified and ranked it.

    Attributes:
        community_id: the community.
        township_id: its sub-district or township.
        station_id: the police station whose jurisdiction covers it, if any.
        position: its place in the ranking, from 1.
        risk_class: the class decided (a `CommunityRiskClass` with the shipped ruleset).
        class_rank: the class's rank: the most severe of ``n`` classes ranks ``n``.
        rule_ids: the rules that decided the class (empty: the default applied).
        because_zh: the deciding rules' reasons in Chinese, if written.
        because_en: the same in English.
        score: the ranking score within the class (`RankingPolicy`).
        aggregates: its risk points, hazards and disputes on the day.
        record: the record fields the classifier and the score read, and their values.
        explanation: the classifier's explanation (when screened with ``explain=True``);
            not compared, not saved.

    Added in version 0.1.0.
    """

    community_id: str
    township_id: str
    station_id: str | None = None
    position: int
    risk_class: object
    class_rank: int
    rule_ids: tuple[str, ...] = ()
    because_zh: str | None = None
    because_en: str | None = None
    score: float
    aggregates: CommunityAggregates
    record: tuple[tuple[str, Scalar], ...] = attrs.field(default=(), converter=_record)
    explanation: Explanation | None = attrs.field(default=None, eq=False, repr=False)

    def value(self, field: str) -> Scalar:
        """The value of one record field (raises ``KeyError``)."""
        for name, value in self.record:
            if name == field:
                return value
        raise KeyError(field)

    def because(self, lang: str = "en") -> str | None:
        """The reason in ``lang``, falling back to the other language."""
        first, second = (
            (self.because_zh, self.because_en)
            if lang == "zh"
            else (self.because_en, self.because_zh)
        )
        return first if first is not None else second


def _findings(value: Iterable[CommunityFinding]) -> tuple[CommunityFinding, ...]:
    return tuple(value)


def _grades(value: Iterable[RiskGrade]) -> tuple[RiskGrade, ...]:
    return tuple(value)


def _names(
    value: Mapping[str, tuple[str, str | None]],
) -> Mapping[str, tuple[str, str | None]]:
    return MappingProxyType(dict(value))


def _scope(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class RankedCommunity:
    """One position of the ranking, with why the community stands there.

    Attributes:
        position: the place, from 1.
        finding: what the screening found for the community.
        name_zh: the community's name.
        name_en: its English name, if any.
        class_label_zh: the class's Chinese label (一类…), else its value.
        score_terms: ``(field, value, weight, points)`` of the score.

    Added in version 0.1.0.
    """

    position: int
    finding: CommunityFinding
    name_zh: str
    name_en: str | None = None
    class_label_zh: str
    score_terms: tuple[tuple[str, Scalar, float, float], ...] = ()

    @property
    def community_id(self) -> str:
        """The community's id."""
        return self.finding.community_id

    @property
    def risk_class(self) -> object:
        """The class decided."""
        return self.finding.risk_class

    @property
    def score(self) -> float:
        """The ranking score within the class."""
        return self.finding.score

    def name(self, lang: str = "en") -> str:
        """The community's name in ``lang`` (Chinese when there is no English one)."""
        return self.name_zh if lang == "zh" or self.name_en is None else self.name_en

    def text(self, lang: str = "en") -> str:
        """Why the community holds this position: its class, the deciding rule, the score.

        Examples:
            >>> from countypolicing.datasets import default_ruleset, yueyanglou
            >>> first = rank_communities(
            ...     yueyanglou(),
            ...     default_ruleset("risk-point-grading"),
            ...     default_ruleset("community-classification"),
            ... )[0]
            >>> print(first.text())  # doctest: +NORMALIZE_WHITESPACE
            1. Yueyanglou sub-district sample community 01 (yueyanglou-sd-c01):
            class_1 by rule C1-major-risk because it has a major risk point;
            score 1193.9 = major_risks 1×1000 + general_risks 1×10 + open_hazards 1×10
            + disputes_open 1×5 + prior_incidents 55×2 + calls_per_1000 58.9×1;
            then by id.
            >>> print(first.text("zh"))  # doctest: +NORMALIZE_WHITESPACE
            1. 岳阳楼街道示例社区01（yueyanglou-sd-c01）：一类，由规则 C1-major-risk
            决定（存在重大风险点）；同类中按得分 1193.9 = major_risks 1×1000＋general_risks
            1×10＋open_hazards 1×10＋disputes_open 1×5＋prior_incidents
            55×2＋calls_per_1000 58.9×1 排序，得分相同按编号。
        """
        f = self.finding
        zh = lang == "zh"
        cls = self.class_label_zh if zh else str(f.risk_class)
        rules = "、".join(f.rule_ids) if zh else ", ".join(f.rule_ids)
        because = f.because(lang)
        terms = [
            f"{name} {_num(value)}×{_num(weight)}"
            for name, value, weight, points in self.score_terms
            if points
        ]
        breakdown = (" + " if not zh else "＋").join(terms) or "0"
        if zh:
            decided = (
                f"由规则 {rules} 决定" + (f"（{because}）" if because else "")
                if f.rule_ids
                else "无规则命中，取默认类别"
            )
            return (
                f"{self.position}. {self.name_zh}（{f.community_id}）：{cls}，{decided}；"
                f"同类中按得分 {_num(f.score)} = {breakdown} 排序，得分相同按编号。"
            )
        decided = (
            f"by rule{'s' if len(f.rule_ids) > 1 else ''} {rules}"
            + (f" because {because}" if because else "")
            if f.rule_ids
            else "by default (no rule matched)"
        )
        return (
            f"{self.position}. {self.name('en')} ({f.community_id}): {cls} {decided}; "
            f"score {_num(f.score)} = {breakdown}; then by id."
        )


def _num(value: object) -> str:
    if isinstance(value, float):
        text = f"{value:.1f}" if abs(value) < 1e15 else repr(value)  # noqa: PLR2004  # display only
        return text.removesuffix(".0") if value == int(value) else text
    return str(value)


@attrs.frozen(kw_only=True)
class ScreeningResult:
    """A screening run (大起底): every risk point graded, every community classified and ranked.

    Frozen and comparable: two screenings of the same data with the same rulesets
    are equal whatever the order of the county's records. Save and load one with
    `countypolicing.serialization.save_screening` and ``load_screening``; compare
    two with `diff_campaigns`.

    Attributes:
        county_id: the county screened.
        as_of: the screening day; states and indicators are taken as of it.
        scope: the townships screened, sorted (every township of the county when
            the screening was not limited).
        campaign_id: the campaign it belongs to, if any.
        grading: the grading ruleset.
        classification: the community ruleset.
        output_name: what the community ruleset decides (``community_risk_class``).
        class_values: its classes, most severe first.
        ranking: the ranking score used within a class.
        communities: one finding per community, in ranking order.
        risks: one grade per risk point identified by ``as_of``, sorted by id.
        names: display names ``id -> (zh, en)`` of communities, townships, stations.

    Added in version 0.1.0.
    """

    county_id: str
    as_of: date
    scope: tuple[str, ...] = attrs.field(converter=_scope)
    campaign_id: str | None = None
    grading: RulesetStamp
    classification: RulesetStamp
    output_name: str
    class_values: tuple[str, ...] = attrs.field(converter=_scope)
    ranking: RankingPolicy = DEFAULT_RANKING
    communities: tuple[CommunityFinding, ...] = attrs.field(converter=_findings)
    risks: tuple[RiskGrade, ...] = attrs.field(converter=_grades)
    names: Mapping[str, tuple[str, str | None]] = attrs.field(
        factory=dict, converter=_names, hash=False, repr=False
    )
    _by_community: Mapping[str, CommunityFinding] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )
    _by_risk: Mapping[str, RiskGrade] = attrs.field(
        init=False, repr=False, eq=False, hash=False
    )

    def __attrs_post_init__(self) -> None:
        object.__setattr__(
            self,
            "_by_community",
            MappingProxyType({f.community_id: f for f in self.communities}),
        )
        object.__setattr__(
            self, "_by_risk", MappingProxyType({r.risk_point_id: r for r in self.risks})
        )

    def finding(self, community_id: str) -> CommunityFinding:
        """The finding of one community (raises ``KeyError``)."""
        return self._by_community[community_id]

    def risk(self, risk_point_id: str) -> RiskGrade:
        """The grade of one risk point (raises ``KeyError``)."""
        return self._by_risk[risk_point_id]

    def levels(self) -> dict[str, RiskLevel]:
        """Each risk point's level, by id (for `reviews_due` and `register_hazard`)."""
        return {r.risk_point_id: r.level for r in self.risks}

    def name(self, record_id: str | None, *, lang: str = "en") -> str:
        """The display name of a community, township or station, or its id."""
        if record_id is None:
            return "（无）" if lang == "zh" else "(none)"
        found = self.names.get(record_id)
        if found is None:
            return record_id
        zh, en = found
        return zh if lang == "zh" or en is None else en

    def class_label(self, value: object, *, lang: str = "en") -> str:
        """A class's label: 一类/二类/三类 in Chinese for the built-in classes."""
        text = str(value)
        enum = BUILTIN_OUTPUTS.get(self.output_name)
        if lang == "zh" and enum is not None:
            try:
                member = enum(text)
            except ValueError:
                return text
            if isinstance(member, LabelledEnum):
                return member.label_zh
        return text

    def class_counts(self) -> tuple[tuple[str, int], ...]:
        """How many communities fall in each class, most severe first (zeros included)."""
        counts = Counter(str(f.risk_class) for f in self.communities)
        return tuple((v, counts[v]) for v in self.class_values)

    def ranked(self, *, top: int | None = None) -> tuple[RankedCommunity, ...]:
        """The ranking with each position's explanation (see `rank_communities`)."""
        out = []
        for f in self.communities[:top]:
            zh, en = self.names.get(f.community_id, (f.community_id, None))
            record = dict(f.record)
            out.append(
                RankedCommunity(
                    position=f.position,
                    finding=f,
                    name_zh=zh,
                    name_en=en,
                    class_label_zh=self.class_label(f.risk_class, lang="zh"),
                    score_terms=self.ranking.terms(record),  # type: ignore[arg-type]  # numbers
                )
            )
        return tuple(out)

    def to_frame(self, *, lang: str = "en") -> pd.DataFrame:
        """Communities in ranking order with class, rule, reason and aggregates.

        Needs the ``pandas`` extra.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        rows = []
        for f in self.communities:
            a = f.aggregates
            rows.append(
                {
                    "community_id": f.community_id,
                    "position": f.position,
                    "name": self.name(f.community_id, lang=lang),
                    "township_id": f.township_id,
                    "station_id": f.station_id,
                    "risk_class": str(f.risk_class),
                    "class_label": self.class_label(f.risk_class, lang=lang),
                    "class_rank": f.class_rank,
                    "rule_ids": ",".join(f.rule_ids),
                    "because": f.because(lang),
                    "score": f.score,
                    "risk_points": a.risk_points,
                    "worst_level": None
                    if a.worst_level is None
                    else str(a.worst_level),
                    "major": a.major,
                    "significant": a.significant,
                    "general": a.general,
                    "low": a.low,
                    "open_hazards": a.open_hazards,
                    "open_disputes": a.open_disputes,
                    "themes": ",".join(a.themes),
                    "explanation": None
                    if f.explanation is None
                    else f.explanation.text(lang),
                }
            )
        return pandas.DataFrame(rows).set_index("community_id")

    def risks_frame(self) -> pd.DataFrame:
        """The risk register: one row per risk point with level, colour and state.

        Needs the ``pandas`` extra.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        rows = [
            {
                "risk_point_id": r.risk_point_id,
                "community_id": r.community_id,
                "station_id": self._station_of(r.community_id),
                "theme": r.theme,
                "level": str(r.level),
                "level_rank": r.level.rank,
                "color": str(r.level.color),
                "status": str(r.status),
                "open": r.is_open,
                "open_hazards": r.open_hazards,
                "rule_ids": ",".join(r.rule_ids),
            }
            for r in self.risks
        ]
        return pandas.DataFrame(rows).set_index("risk_point_id")

    def rollup_frame(
        self, *, by: RollupBy = "station", lang: str = "en"
    ) -> pd.DataFrame:
        """One row per station (or township), as `rollup` orders them.

        Needs the ``pandas`` extra.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        rows = []
        for r in rollup(self, by=by):
            row: dict[str, object] = {
                "unit_id": r.unit_id,
                "name": self.name(r.unit_id, lang=lang),
                "communities": r.communities,
            }
            row.update(dict(r.classes))
            row.update(
                {
                    "major": r.major,
                    "significant": r.significant,
                    "general": r.general,
                    "low": r.low,
                    "open_hazards": r.open_hazards,
                    "open_disputes": r.open_disputes,
                    "score": r.score,
                    "top": ",".join(r.top),
                }
            )
            rows.append(row)
        return pandas.DataFrame(rows).set_index("unit_id")

    def _station_of(self, community_id: str) -> str | None:
        found = self._by_community.get(community_id)
        return None if found is None else found.station_id


# ---------------------------------------------------------------- screening
def _day(county: County, as_of: date | None) -> date:
    day = as_of if as_of is not None else county.as_of
    if day is None:
        raise ModelError(
            f"county {county.id!r} has no as_of date; pass as_of=", field="as_of"
        )
    return day


def _scope_of(county: County, scope: Iterable[str] | None) -> tuple[str, ...]:
    if scope is None:
        return tuple(sorted(t.id for t in county.townships))
    if isinstance(scope, str):
        scope = [scope]
    chosen = sorted(set(scope))
    for township_id in chosen:
        county.township(township_id)
    return tuple(chosen)


def _latest_indicators(county: County, day: date) -> dict[str, CommunityIndicators]:
    latest: dict[str, CommunityIndicators] = {}
    for ind in county.indicators:
        if ind.as_of > day:
            continue
        current = latest.get(ind.community_id)
        if current is None or ind.as_of > current.as_of:
            latest[ind.community_id] = ind
    return latest


def _because(
    ruleset: RuleSet, rule_ids: tuple[str, ...]
) -> tuple[str | None, str | None]:
    zh: list[str] = []
    en: list[str] = []
    for rule_id in rule_ids:
        because = ruleset.rule(rule_id).because
        if because is not None:
            if because.zh:
                zh.append(because.zh)
            if because.en:
                en.append(because.en)
    return ("；".join(zh) or None, "; ".join(en) or None)


def _wrap(exc: RuleEvaluationError, what: str, record_id: str) -> RuleEvaluationError:
    return type(exc)(
        f"{what} {record_id!r}: {exc.message}",
        rule_id=exc.rule_id,
        field=exc.field,
        record_index=exc.record_index,
    )


def screen(  # noqa: C901, PLR0915  # one pass, in the order of the procedure
    county: County,
    grading: Classifier | RuleSet,
    classification: Classifier | RuleSet,
    *,
    as_of: date | None = None,
    scope: Iterable[str] | None = None,
    campaign_id: str | None = None,
    ranking: RankingPolicy = DEFAULT_RANKING,
    missing_indicators: MissingIndicators = "error",
    explain: bool = True,
) -> ScreeningResult:
    """Screen a county on a day: grade every risk point, classify and rank every community.

    The procedure, step by step:

    1. Take the communities of the townships in ``scope`` that exist on ``as_of``,
       the risk points identified by then in those communities, each in its state
       on that day (`risk_status_on`), and the hazards and disputes open on it.
    2. Grade every risk point with ``grading`` (its ``risk_point`` record, with its
       open hazards and its state on the day).
    3. Build each community's ``community`` record: its latest indicators dated on
       or before ``as_of``, plus the aggregates of its *open* risk points (count,
       worst level, count per level), its open hazards, and:
       ``disputes_open`` is the larger of the indicator and the open disputes in
       the register (the register may know of disputes the periodic figure has not
       caught up with, and the reverse); ``theme_*`` holds for the community's own
       themes and for the themes of its open risk points.
    4. Classify every record with ``classification``.
    5. Rank: class (most severe first), then the `RankingPolicy` score (highest
       first), then the community id. This is a total order, the same for any
       order of the county's records and any hash seed.

    Args:
        county: the county.
        grading: the risk-point ruleset (e.g. ``default_ruleset("risk-point-grading")``)
            or its compiled classifier.
        classification: the community ruleset (e.g.
            ``default_ruleset("community-classification")``) or its classifier.
        as_of: the screening day; by default the county's ``as_of``.
        scope: the townships to screen; all of them by default.
        campaign_id: the campaign the run belongs to, recorded on the result.
        ranking: the score that orders communities within a class.
        missing_indicators: what to do with a community that has no indicators
            dated on or before ``as_of`` (see `MissingIndicators`).
        explain: keep each community's explanation (rule by rule, values read).

    Returns:
        The screening result.

    Raises:
        ModelError: no screening day is known.
        UnknownIdError: ``scope`` names a township the county does not hold.
        IntegrityError: communities without indicators (``missing_indicators="error"``),
            each located by its path in the county (``communities[3]``).
        RuleTypeError: ``grading`` does not decide risk levels, or
            ``classification`` does not decide one class per community.
        RuleEvaluationError: a record cannot be classified; the message names
            the risk point or community, the rule and the field.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> result = screen(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> result.as_of, len(result.communities), len(result.risks)
        (datetime.date(2020, 9, 15), 107, 40)
        >>> result.class_counts()
        (('class_1', 4), ('class_2', 35), ('class_3', 68))
        >>> top = result.communities[0]
        >>> top.community_id, top.risk_class, top.rule_ids
        ('yueyanglou-sd-c01', <CommunityRiskClass.CLASS_1: 'class_1'>, ('C1-major-risk',))

    Added in version 0.1.0.
    """
    day = _day(county, as_of)
    grade_clf = grading_classifier(grading)
    class_clf = as_classifier(classification)
    values = classification_values(class_clf)
    townships = _scope_of(county, scope)
    in_scope = set(townships)

    communities = [
        c for c in county.communities if c.township_id in in_scope and c.valid_on(day)
    ]
    index = {c.id: i for i, c in enumerate(communities)}
    n = len(communities)

    # 1. risk points, hazards and disputes on the day
    known = [
        rp
        for rp in county.risk_points
        if rp.community_id in index and rp.identified_on <= day
    ]
    known_ids = {rp.id for rp in known}
    hazards_of: Counter[str] = Counter(
        h.risk_point_id
        for h in county.hazards
        if h.risk_point_id in known_ids and hazard_open_on(h, day)
    )
    statuses = [risk_status_on(rp, day) for rp in known]

    # 2. grade
    grade_records = []
    for rp, status in zip(known, statuses, strict=True):
        grade_record = risk_point_record(rp)
        grade_record["open_hazards"] = hazards_of[rp.id]
        grade_record["status"] = str(status)
        grade_records.append(grade_record)
    try:
        grade_decisions = grade_clf.classify_many(grade_records)
    except RuleEvaluationError as exc:
        bad = known[exc.record_index or 0].id
        raise _wrap(exc, "risk point", bad) from exc
    grades = [
        RiskGrade(
            risk_point_id=rp.id,
            community_id=rp.community_id,
            theme=rp.theme,
            level=as_level(d.output),
            rule_ids=d.rule_ids,
            status=status,  # type: ignore[arg-type]  # identified by the day
            open_hazards=hazards_of[rp.id],
        )
        for rp, status, d in zip(known, statuses, grade_decisions, strict=True)
    ]

    # 3. community records
    agg = aggregate_risks(
        n,
        np.array([index[g.community_id] for g in grades], dtype=np.int64),
        np.array([g.level.rank for g in grades], dtype=np.int8),
        np.array([g.is_open for g in grades], dtype=bool),
    )
    hazards_here: Counter[str] = Counter()
    themes_here: dict[str, set[str]] = defaultdict(set)
    for g in grades:
        hazards_here[g.community_id] += g.open_hazards
        if g.is_open:
            themes_here[g.community_id].add(g.theme)
    disputes_here: Counter[str] = Counter(
        d.community_id
        for d in county.disputes
        if d.community_id in index and dispute_open_on(d, day)
    )
    latest = _latest_indicators(county, day)
    problems = []
    for i, c in enumerate(county.communities):
        if c.id in index and c.id not in latest:
            problems.append(
                ModelError(
                    f"community {c.id!r} has no indicators dated on or before {day}",
                    field="indicators",
                    record_id=c.id,
                    path=("communities", i),
                )
            )
    if problems and missing_indicators == "error":
        msg = (
            f"county {county.id!r}: {len(problems)} communities have no indicators "
            f"dated on or before {day}; add indicator records, or screen them with "
            "zero counts (missing_indicators='zeros')"
        )
        raise IntegrityError(msg, problems)

    aggregates = {name: column.tolist() for name, column in agg.items()}
    records: list[dict[str, Scalar]] = []
    for i, c in enumerate(communities):
        ind = latest.get(c.id)
        themes = set(c.themes) | themes_here[c.id]
        record: dict[str, Scalar] = {
            "kind": str(c.kind),
            "population": c.population,
            "households": c.households,
            "rental_units": ind.rental_units if ind else 0,
            "calls_per_1000": float(ind.calls_per_1000) if ind else 0.0,
            "prior_incidents": ind.prior_incidents if ind else 0,
            "disputes_open": max(ind.disputes_open if ind else 0, disputes_here[c.id]),
            "key_persons": ind.key_persons if ind else None,
            "petitions": ind.petitions if ind else 0,
            "grid_workers": ind.grid_workers if ind else 0,
            **{name: column[i] for name, column in aggregates.items()},
            "open_hazards": hazards_here[c.id],
        }
        record.update({f"theme_{t}": str(t) in themes for t in RiskTheme})
        records.append(record)

    # 4. classify
    try:
        decisions = class_clf.classify_many(records, explain=explain)
    except RuleEvaluationError as exc:
        bad = communities[exc.record_index or 0].id
        raise _wrap(exc, "community", bad) from exc

    # 5. rank
    ids = np.array([c.id for c in communities], dtype=str)
    class_rank = np.array(
        [len(values) - values.index(str(d.output)) for d in decisions], dtype=np.int64
    )
    columns = {name: np.array([r[name] for r in records]) for name in ranking.fields}
    score = scores(columns, ranking, n)
    order = rank_order(class_rank, score, ids)

    shown = [
        name
        for name in _COMMUNITY_FIELDS
        if name in set(class_clf.fields) | set(ranking.fields)
    ]
    findings = []
    for position, i in enumerate(order.tolist(), start=1):
        c = communities[i]
        d: Decision = decisions[i]
        record = records[i]
        worst = record["worst_level"]
        station = county.station_for(c.id)
        zh, en = _because(class_clf.ruleset, d.rule_ids)
        findings.append(
            CommunityFinding(
                community_id=c.id,
                township_id=c.township_id,
                station_id=None if station is None else station.id,
                position=position,
                risk_class=d.output,
                class_rank=int(class_rank[i]),
                rule_ids=d.rule_ids,
                because_zh=zh,
                because_en=en,
                score=float(score[i]),
                aggregates=CommunityAggregates(
                    risk_points=int(aggregates["risk_points"][i]),
                    worst_level=None if worst is None else RiskLevel(str(worst)),
                    major=int(aggregates["major_risks"][i]),
                    significant=int(aggregates["significant_risks"][i]),
                    general=int(aggregates["general_risks"][i]),
                    low=int(aggregates["low_risks"][i]),
                    open_hazards=hazards_here[c.id],
                    open_disputes=disputes_here[c.id],
                    themes=tuple(sorted(themes_here[c.id])),
                ),
                record=[(name, record[name]) for name in shown],
                explanation=d.explanation,
            )
        )

    names: dict[str, tuple[str, str | None]] = {
        c.id: (c.name_zh, c.name_en) for c in communities
    }
    names.update({t.id: (t.name_zh, t.name_en) for t in county.townships})
    names.update({s.id: (s.name_zh, s.name_en) for s in county.police_stations})
    return ScreeningResult(
        county_id=county.id,
        as_of=day,
        scope=townships,
        campaign_id=campaign_id,
        grading=RulesetStamp.of(grade_clf),
        classification=RulesetStamp.of(class_clf),
        output_name=class_clf.ruleset.output.name,  # type: ignore[union-attr]  # checked
        class_values=values,
        ranking=ranking,
        communities=findings,
        risks=sorted(grades, key=lambda g: g.risk_point_id),
        names=names,
    )


def grade_risk_points(
    county: County,
    grading: Classifier | RuleSet,
    *,
    as_of: date | None = None,
) -> tuple[RiskGrade, ...]:
    """Grade every risk point identified by ``as_of`` with the grading ruleset.

    Args:
        county: the county.
        grading: the risk-point ruleset or its classifier.
        as_of: the day; by default the county's ``as_of``.

    Returns:
        One `RiskGrade` per risk point, sorted by id (closed ones included).

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> grades = grade_risk_points(
        ...     yueyanglou(), default_ruleset("risk-point-grading")
        ... )
        >>> Counter(str(g.level) for g in grades)
        Counter({'general': 23, 'significant': 8, 'low': 6, 'major': 3})

    Added in version 0.1.0.
    """
    day = _day(county, as_of)
    clf = grading_classifier(grading)
    known = sorted(
        (rp for rp in county.risk_points if rp.identified_on <= day),
        key=lambda rp: rp.id,
    )
    known_ids = {rp.id for rp in known}
    hazards_of: Counter[str] = Counter(
        h.risk_point_id
        for h in county.hazards
        if h.risk_point_id in known_ids and hazard_open_on(h, day)
    )
    out = []
    for rp in known:
        status = risk_status_on(rp, day)
        record = risk_point_record(rp)
        record["open_hazards"] = hazards_of[rp.id]
        record["status"] = str(status)
        try:
            d = clf.classify(record)
        except RuleEvaluationError as exc:
            raise _wrap(exc, "risk point", rp.id) from exc
        out.append(
            RiskGrade(
                risk_point_id=rp.id,
                community_id=rp.community_id,
                theme=rp.theme,
                level=as_level(d.output),
                rule_ids=d.rule_ids,
                status=status,  # type: ignore[arg-type]  # identified by the day
                open_hazards=hazards_of[rp.id],
            )
        )
    return tuple(out)


def classify_communities(
    county: County,
    grading: Classifier | RuleSet,
    classification: Classifier | RuleSet,
    *,
    as_of: date | None = None,
    scope: Iterable[str] | None = None,
    missing_indicators: MissingIndicators = "error",
    explain: bool = False,
) -> tuple[CommunityFinding, ...]:
    """Every community's class, deciding rule and aggregates, in county order.

    A view of `screen`; see it for the procedure, arguments and errors.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> findings = classify_communities(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> f = findings[0]
        >>> f.community_id, str(f.risk_class), f.rule_ids, f.aggregates.significant
        ('desheng', 'class_1', ('C1-significant-risks',), 2)

    Added in version 0.1.0.
    """
    result = screen(
        county,
        grading,
        classification,
        as_of=as_of,
        scope=scope,
        missing_indicators=missing_indicators,
        explain=explain,
    )
    order = {c.id: i for i, c in enumerate(county.communities)}
    return tuple(sorted(result.communities, key=lambda f: order[f.community_id]))


def rank_communities(
    county: County,
    grading: Classifier | RuleSet,
    classification: Classifier | RuleSet,
    *,
    as_of: date | None = None,
    scope: Iterable[str] | None = None,
    ranking: RankingPolicy = DEFAULT_RANKING,
    missing_indicators: MissingIndicators = "error",
    top: int | None = None,
) -> tuple[RankedCommunity, ...]:
    """The communities in ranking order (梳理排队), each with why it stands there.

    The order is total and deterministic: class (most severe first), then the
    `RankingPolicy` score (highest first), then the community id. See `screen`
    for the procedure, arguments and errors.

    Args:
        county: the county.
        grading: the risk-point ruleset or its classifier.
        classification: the community ruleset or its classifier.
        as_of: the screening day; by default the county's ``as_of``.
        scope: the townships to rank; all by default.
        ranking: the score within a class.
        missing_indicators: see `MissingIndicators`.
        top: keep only the first ``top`` positions.

    Returns:
        One `RankedCommunity` per position.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> ranked = rank_communities(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ...     top=3,
        ... )
        >>> [(r.position, r.community_id, r.class_label_zh) for r in ranked]
        [(1, 'yueyanglou-sd-c01', '一类'), (2, 'qiaotou', '一类'), (3, 'dongting-c', '一类')]

    Added in version 0.1.0.
    """
    result = screen(
        county,
        grading,
        classification,
        as_of=as_of,
        scope=scope,
        ranking=ranking,
        missing_indicators=missing_indicators,
    )
    return result.ranked(top=top)


# ------------------------------------------------------------------ rollups
@attrs.frozen(kw_only=True)
class Rollup:
    """The communities of one police station (or township) added up.

    Attributes:
        by: ``"station"`` or ``"township"``.
        unit_id: the station or township (``None``: communities no station covers).
        communities: how many of its communities were screened.
        classes: ``(class, count)`` for every class, most severe first.
        major: open major risk points in its communities; ``significant``,
            ``general`` and ``low`` likewise.
        open_hazards: open hazards.
        open_disputes: open disputes in the register.
        score: the sum of its communities' ranking scores.
        top: its highest-ranked communities (up to three), in ranking order.

    Added in version 0.1.0.
    """

    by: RollupBy
    unit_id: str | None
    communities: int
    classes: tuple[tuple[str, int], ...]
    major: int = 0
    significant: int = 0
    general: int = 0
    low: int = 0
    open_hazards: int = 0
    open_disputes: int = 0
    score: float = 0.0
    top: tuple[str, ...] = ()


def rollup(result: ScreeningResult, *, by: RollupBy = "station") -> tuple[Rollup, ...]:
    """Add a screening up per police station (the main battlefield) or per township.

    Units are ordered by their class counts (most communities in the most severe
    class first, then the next class…), then by the summed score, then by id;
    communities that no station covers come last.

    Args:
        result: a screening.
        by: ``"station"`` or ``"township"``.

    Returns:
        One `Rollup` per unit with at least one screened community.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> result = screen(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> first = rollup(result)[0]
        >>> first.unit_id, first.classes, first.top
        ('zhanqianlu-ps', (('class_1', 1), ('class_2', 7), ('class_3', 0)), ('desheng', 'zhanqianlu-sd-c05', 'zhanqianlu-sd-c07'))

    Added in version 0.1.0.
    """
    if by not in {"station", "township"}:
        msg = f"by must be 'station' or 'township', got {by!r}"
        raise ValueError(msg)
    groups: dict[str | None, list[CommunityFinding]] = defaultdict(list)
    for f in result.communities:
        groups[f.station_id if by == "station" else f.township_id].append(f)
    out = []
    for unit, members in groups.items():
        counts = Counter(str(f.risk_class) for f in members)
        out.append(
            Rollup(
                by=by,
                unit_id=unit,
                communities=len(members),
                classes=tuple((v, counts[v]) for v in result.class_values),
                major=sum(f.aggregates.major for f in members),
                significant=sum(f.aggregates.significant for f in members),
                general=sum(f.aggregates.general for f in members),
                low=sum(f.aggregates.low for f in members),
                open_hazards=sum(f.aggregates.open_hazards for f in members),
                open_disputes=sum(f.aggregates.open_disputes for f in members),
                score=_total(f.score for f in members),
                top=tuple(f.community_id for f in members[:3]),
            )
        )
    out.sort(
        key=lambda r: (
            r.unit_id is None,
            tuple(-c for _, c in r.classes),
            -r.score,
            r.unit_id or "",
        )
    )
    return tuple(out)


def _total(values: Iterable[float]) -> float:
    """A sum that saturates at ``inf`` instead of warning."""
    with np.errstate(over="ignore"):
        return float(np.sum(np.fromiter(values, dtype=np.float64)))


# --------------------------------------------------------------- formatting
def format_ranking(
    result: ScreeningResult,
    *,
    lang: str = "en",
    top: int | None = None,
    explain: bool = False,
) -> str:
    """The ranking as text: class counts, then one line per position.

    Args:
        result: a screening.
        lang: ``"en"`` or ``"zh"``.
        top: show only the first ``top`` positions.
        explain: add each community's rule-by-rule explanation.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> result = screen(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> print(format_ranking(result, top=2))  # doctest: +NORMALIZE_WHITESPACE
        Ranking of 107 communities on 2020-09-15: class_1 4, class_2 35, class_3 68
           1. class_1 Yueyanglou sub-district sample community 01 [Yueyanglou police station] score 1193.9 <- C1-major-risk: it has a major risk point
           2. class_1 Qiaotou community [Dongmaoling police station] score 1048.4 <- C1-major-risk: it has a major risk point
        >>> print(format_ranking(result, top=1, lang="zh"))
        2020-09-15 社区(村)风险排队（共 107 个）：一类 4，二类 35，三类 68
           1. 一类 岳阳楼街道示例社区01 [岳阳楼派出所] 得分 1193.9 <- C1-major-risk：存在重大风险点
    """
    zh = lang == "zh"
    counts = ("，" if zh else ", ").join(
        f"{result.class_label(v, lang=lang)} {n}" for v, n in result.class_counts()
    )
    head = (
        f"{result.as_of} 社区(村)风险排队（共 {len(result.communities)} 个）：{counts}"
        if zh
        else f"Ranking of {len(result.communities)} communities on {result.as_of}: {counts}"
    )
    lines = [head]
    for f in result.communities[:top]:
        rules = ", ".join(f.rule_ids) or ("默认" if zh else "default")
        because = f.because(lang)
        station = result.name(f.station_id, lang=lang)
        lines.append(
            f"  {f.position:>2}. {result.class_label(f.risk_class, lang=lang)} "
            f"{result.name(f.community_id, lang=lang)} [{station}] "
            f"{'得分' if zh else 'score'} {_num(f.score)} <- {rules}"
            + (f"{'：' if zh else ': '}{because}" if because else "")
        )
        if explain and f.explanation is not None:
            lines.extend(
                "      " + line for line in f.explanation.text(lang).splitlines()
            )
    return "\n".join(lines)


def format_rollups(
    result: ScreeningResult,
    rollups: Iterable[Rollup],
    *,
    lang: str = "en",
) -> str:
    """Roll-ups as an aligned table: classes, risks, hazards, disputes, top community.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> result = screen(
        ...     yueyanglou(),
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> print(
        ...     format_rollups(result, rollup(result)[:2])
        ... )  # doctest: +NORMALIZE_WHITESPACE
        Police station             communities  class_1  class_2  class_3  major  significant  hazards  disputes  top community
        Zhanqianlu police station            8        1        7        0      0            2        0         1  Desheng community
        Yueyanglou police station            7        1        6        0      1            1        1         2  Yueyanglou sub-district sample community 01
    """
    zh = lang == "zh"
    items = list(rollups)
    kind = items[0].by if items else "station"
    unit = (
        ("派出所" if kind == "station" else "街道(乡镇)")
        if zh
        else ("Police station" if kind == "station" else "Sub-district/township")
    )
    classes = [result.class_label(v, lang=lang) for v in result.class_values]
    header = [
        unit,
        "社区数" if zh else "communities",
        *classes,
        "重大" if zh else "major",
        "较大" if zh else "significant",
        "隐患" if zh else "hazards",
        "纠纷" if zh else "disputes",
        "排首位" if zh else "top community",
    ]
    rows = [
        [
            result.name(r.unit_id, lang=lang),
            str(r.communities),
            *(str(c) for _, c in r.classes),
            str(r.major),
            str(r.significant),
            str(r.open_hazards),
            str(r.open_disputes),
            result.name(r.top[0], lang=lang) if r.top else "-",
        ]
        for r in items
    ]
    widths = [
        max(display_width(row[k]) for row in [header, *rows])
        for k in range(len(header))
    ]
    last = len(header) - 1

    def line(cells: list[str]) -> str:
        out = []
        for k, cell in enumerate(cells):
            if k in {0, last}:
                out.append(pad(cell, widths[k]))
            else:
                out.append(" " * (widths[k] - display_width(cell)) + cell)
        return "  ".join(out).rstrip()

    return "\n".join([line(header), *(line(r) for r in rows)])
