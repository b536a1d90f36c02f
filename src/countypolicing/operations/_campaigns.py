"""Screening campaigns (大起底) and what changed between two of them (动态均衡).

A `countypolicing.model.Campaign` records a campaign's name, dates and scope;
`run_campaign` screens its townships on a day and returns the findings as a frozen
`ScreeningResult`; `diff_campaigns` compares two results: which communities moved
class and which rule changed its answer, which risk points appeared, were
upgraded or downgraded, closed or reopened.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from types import MappingProxyType
from typing import Final

import attrs

from countypolicing.exceptions import ModelError, UnknownIdError
from countypolicing.model import (
    Campaign,
    County,
    LabelledEnum,
    RiskLevel,
    RiskPointStatus,
)
from countypolicing.operations._screening import (
    MissingIndicators,
    RiskGrade,
    ScreeningResult,
    screen,
)
from countypolicing.operations._screening_core import DEFAULT_RANKING, RankingPolicy
from countypolicing.rules import Classifier, RuleSet

__all__ = [
    "CampaignDiff",
    "CommunityChange",
    "CommunityMove",
    "RiskChange",
    "RiskChangeKind",
    "diff_campaigns",
    "format_campaign_diff",
    "run_campaign",
]

Scalar = int | float | str | bool | None


def run_campaign(
    county: County,
    campaign: str | Campaign,
    grading: Classifier | RuleSet,
    classification: Classifier | RuleSet,
    *,
    as_of: date | None = None,
    ranking: RankingPolicy = DEFAULT_RANKING,
    missing_indicators: MissingIndicators = "error",
    explain: bool = True,
) -> ScreeningResult:
    """Run a campaign's screening: its townships, on a day, with the given rulesets.

    Args:
        county: the county.
        campaign: the campaign, or the id of one of the county's campaigns.
        grading: the risk-point ruleset or its classifier.
        classification: the community ruleset or its classifier.
        as_of: the screening day; by default the campaign's ``end``.
        ranking: the score within a class.
        missing_indicators: see `MissingIndicators`.
        explain: keep each community's explanation.

    Returns:
        The screening, with ``campaign_id`` set and ``scope`` the campaign's
        townships (every township when the campaign names none).

    Raises:
        UnknownIdError: the county has no such campaign.
        ModelError: no day is given and the campaign has no end.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> result = run_campaign(
        ...     yueyanglou(),
        ...     "campaign-study-discuss-sweep",
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ...     as_of=date(2020, 9, 15),
        ... )
        >>> result.campaign_id, len(result.scope), len(result.communities)
        ('campaign-study-discuss-sweep', 13, 107)

    Added in version 0.1.0.
    """
    if isinstance(campaign, str):
        found = {c.id: c for c in county.campaigns}
        if campaign not in found:
            raise UnknownIdError("campaign", campaign)
        campaign = found[campaign]
    day = as_of if as_of is not None else campaign.end
    if day is None:
        raise ModelError(
            f"campaign {campaign.id!r} has no end date; pass as_of=",
            field="end",
            record_id=campaign.id,
        )
    return screen(
        county,
        grading,
        classification,
        as_of=day,
        scope=campaign.scope_township_ids or None,
        campaign_id=campaign.id,
        ranking=ranking,
        missing_indicators=missing_indicators,
        explain=explain,
    )


class CommunityMove(LabelledEnum):
    """How a community's standing changed between two screenings.

    Added in version 0.1.0.
    """

    UP = "up"
    DOWN = "down"
    ENTERED = "entered"
    LEFT = "left"
    __zh__ = MappingProxyType(
        {"up": "升类", "down": "降类", "entered": "新纳入", "left": "移出范围"}
    )


class RiskChangeKind(LabelledEnum):
    """What happened to a risk point between two screenings.

    Added in version 0.1.0.
    """

    APPEARED = "appeared"
    UPGRADED = "upgraded"
    DOWNGRADED = "downgraded"
    CLOSED = "closed"
    REOPENED = "reopened"
    REMOVED = "removed"
    __zh__ = MappingProxyType(
        {
            "appeared": "新增",
            "upgraded": "升级",
            "downgraded": "降级",
            "closed": "销号",
            "reopened": "重新打开",
            "removed": "移出",
        }
    )


_MOVE_ORDER: Final = {m: i for i, m in enumerate(CommunityMove)}
_RISK_ORDER: Final = {k: i for i, k in enumerate(RiskChangeKind)}


def _inputs(
    value: Iterable[tuple[str, Scalar, Scalar]],
) -> tuple[tuple[str, Scalar, Scalar], ...]:
    return tuple(value)


@attrs.frozen(kw_only=True)
class CommunityChange:
    """A community that moved class, or entered or left the screened scope.

    Attributes:
        community_id: the community.
        move: up, down, entered or left.
        class_before: its class in the first screening (``None``: not screened).
        class_after: its class in the second.
        rules_before: the rules that decided it then.
        rules_after: the rules that decide it now.
        changed_rule: the rule whose answer changed: for a move up the rule that
            now holds, for a move down the rule that no longer holds (``None`` when
            the default decided, or when the rulesets themselves changed).
        inputs: ``(field, before, after)`` for every record field that changed.
        position_before: its ranking position then.
        position_after: its ranking position now.

    Added in version 0.1.0.
    """

    community_id: str
    move: CommunityMove
    class_before: str | None = None
    class_after: str | None = None
    rules_before: tuple[str, ...] = ()
    rules_after: tuple[str, ...] = ()
    changed_rule: str | None = None
    inputs: tuple[tuple[str, Scalar, Scalar], ...] = attrs.field(
        default=(), converter=_inputs
    )
    position_before: int | None = None
    position_after: int | None = None


@attrs.frozen(kw_only=True)
class RiskChange:
    """A risk point that appeared, changed level, closed, reopened or left the scope.

    Added in version 0.1.0.
    """

    risk_point_id: str
    community_id: str
    kind: RiskChangeKind
    level_before: RiskLevel | None = None
    level_after: RiskLevel | None = None
    status_before: RiskPointStatus | None = None
    status_after: RiskPointStatus | None = None


def _changes(v: Iterable[CommunityChange]) -> tuple[CommunityChange, ...]:
    return tuple(v)


def _risk_changes(v: Iterable[RiskChange]) -> tuple[RiskChange, ...]:
    return tuple(v)


def _counts(v: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(v)


@attrs.frozen(kw_only=True)
class CampaignDiff:
    """What changed from one screening to another (动态均衡).

    Attributes:
        before_as_of: the first screening's day.
        after_as_of: the second's.
        before_campaign: the first screening's campaign, if any.
        after_campaign: the second's.
        rulesets_changed: which of ``grading``, ``classification`` and ``ranking``
            differ between the two (a move may come from the rules, not the data).
        class_counts_before: communities per class in the first screening.
        class_counts_after: in the second.
        communities: the communities that moved, entered or left, by kind of
            move then id.
        risks: the risk points that changed, by kind of change then id.

    Added in version 0.1.0.
    """

    before_as_of: date
    after_as_of: date
    before_campaign: str | None = None
    after_campaign: str | None = None
    rulesets_changed: tuple[str, ...] = ()
    class_counts_before: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_counts
    )
    class_counts_after: tuple[tuple[str, int], ...] = attrs.field(
        default=(), converter=_counts
    )
    communities: tuple[CommunityChange, ...] = attrs.field(
        default=(), converter=_changes
    )
    risks: tuple[RiskChange, ...] = attrs.field(default=(), converter=_risk_changes)

    @property
    def empty(self) -> bool:
        """Whether nothing moved, appeared, changed level, closed or left."""
        return not self.communities and not self.risks

    def moved(self, move: CommunityMove) -> tuple[CommunityChange, ...]:
        """The community changes of one kind."""
        return tuple(c for c in self.communities if c.move is move)

    def changed(self, kind: RiskChangeKind) -> tuple[RiskChange, ...]:
        """The risk changes of one kind."""
        return tuple(r for r in self.risks if r.kind is kind)


def _rank_of(result: ScreeningResult, value: str) -> int:
    values = result.class_values
    return len(values) - values.index(value) if value in values else 0


def diff_campaigns(before: ScreeningResult, after: ScreeningResult) -> CampaignDiff:
    """Compare two screenings: communities that moved class and why, risks that changed.

    A community moves *up* when its class ranks higher in ``after`` (the classes'
    ranks come from each screening's own ruleset), *down* when lower; it *entered*
    or *left* when only one screening holds it. For every move the change names the
    rule whose answer changed and the record fields whose values changed.
    A risk point *appeared* or was *removed* when only one screening holds it, was
    *closed* or *reopened* when its state crossed CLOSED, and was *upgraded* or
    *downgraded* when it is open in both at different levels.

    Args:
        before: the earlier screening.
        after: the later one.

    Returns:
        The differences; ``diff_campaigns(r, r).empty`` is always true.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> county = yueyanglou()
        >>> rules = (
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> july = screen(county, *rules, as_of=date(2020, 7, 1))
        >>> september = screen(county, *rules, as_of=date(2020, 9, 15))
        >>> diff = diff_campaigns(july, september)
        >>> [(r.risk_point_id, r.kind.value) for r in diff.risks]
        [('rp23', 'appeared'), ('rp24', 'appeared'), ('rp28', 'closed')]
        >>> diff_campaigns(september, september).empty
        True

        Support measures lower the likelihood of the fishermen risk (rp06), and a
        re-assessment raises a Guozhen risk (rp15):

        >>> import attrs
        >>> changes = {
        ...     "rp06": {"likelihood": 3},
        ...     "rp15": {"likelihood": 4, "severity": 4},
        ... }
        >>> october = attrs.evolve(
        ...     county,
        ...     risk_points=[
        ...         attrs.evolve(rp, **changes.get(rp.id, {}))
        ...         for rp in county.risk_points
        ...     ],
        ... )
        >>> diff = diff_campaigns(
        ...     september, screen(october, *rules, as_of=date(2020, 10, 15))
        ... )
        >>> for c in diff.communities:
        ...     print(
        ...         c.community_id,
        ...         c.move.value,
        ...         c.class_before,
        ...         c.class_after,
        ...         c.changed_rule,
        ...     )
        guozhen-c01 up class_3 class_2 C2-significant-risk
        dongting-c down class_1 class_2 C1-major-risk
        >>> diff.communities[1].inputs
        (('major_risks', 1, 0), ('significant_risks', 0, 1))

    Added in version 0.1.0.
    """
    changed = tuple(
        name
        for name in ("grading", "classification", "ranking")
        if getattr(before, name) != getattr(after, name)
    )
    moves = _community_diff(before, after, rules_changed="classification" in changed)
    risks = _risk_diff(before, after)
    return CampaignDiff(
        before_as_of=before.as_of,
        after_as_of=after.as_of,
        before_campaign=before.campaign_id,
        after_campaign=after.campaign_id,
        rulesets_changed=changed,
        class_counts_before=before.class_counts(),
        class_counts_after=after.class_counts(),
        communities=moves,
        risks=risks,
    )


def _community_diff(
    before: ScreeningResult, after: ScreeningResult, *, rules_changed: bool
) -> list[CommunityChange]:
    moves: list[CommunityChange] = []
    old = {f.community_id: f for f in before.communities}
    new = {f.community_id: f for f in after.communities}
    for cid in sorted(old.keys() | new.keys()):
        a, b = old.get(cid), new.get(cid)
        if a is None or b is None:
            moves.append(
                CommunityChange(
                    community_id=cid,
                    move=CommunityMove.ENTERED if a is None else CommunityMove.LEFT,
                    class_before=None if a is None else str(a.risk_class),
                    class_after=None if b is None else str(b.risk_class),
                    rules_before=() if a is None else a.rule_ids,
                    rules_after=() if b is None else b.rule_ids,
                    position_before=None if a is None else a.position,
                    position_after=None if b is None else b.position,
                )
            )
            continue
        rank_a = _rank_of(before, str(a.risk_class))
        rank_b = _rank_of(after, str(b.risk_class))
        if rank_a == rank_b and str(a.risk_class) == str(b.risk_class):
            continue
        up = rank_b > rank_a
        deciding = b.rule_ids if up else a.rule_ids
        old_record, new_record = dict(a.record), dict(b.record)
        moves.append(
            CommunityChange(
                community_id=cid,
                move=CommunityMove.UP if up else CommunityMove.DOWN,
                class_before=str(a.risk_class),
                class_after=str(b.risk_class),
                rules_before=a.rule_ids,
                rules_after=b.rule_ids,
                changed_rule=None if rules_changed or not deciding else deciding[0],
                inputs=[
                    (name, old_record.get(name), new_record.get(name))
                    for name in dict.fromkeys([*old_record, *new_record])
                    if old_record.get(name) != new_record.get(name)
                ],
                position_before=a.position,
                position_after=b.position,
            )
        )
    moves.sort(key=lambda c: (_MOVE_ORDER[c.move], c.community_id))
    return moves


def _risk_kind(ra: RiskGrade | None, rb: RiskGrade | None) -> RiskChangeKind | None:
    if ra is None:
        return RiskChangeKind.APPEARED
    if rb is None:
        return RiskChangeKind.REMOVED
    if ra.is_open != rb.is_open:
        return RiskChangeKind.CLOSED if ra.is_open else RiskChangeKind.REOPENED
    if ra.is_open and rb.level != ra.level:
        return (
            RiskChangeKind.UPGRADED
            if rb.level > ra.level
            else RiskChangeKind.DOWNGRADED
        )
    return None


def _risk_diff(before: ScreeningResult, after: ScreeningResult) -> list[RiskChange]:
    risks: list[RiskChange] = []
    old = {r.risk_point_id: r for r in before.risks}
    new = {r.risk_point_id: r for r in after.risks}
    for rid in sorted(old.keys() | new.keys()):
        ra, rb = old.get(rid), new.get(rid)
        kind = _risk_kind(ra, rb)
        if kind is None:
            continue
        here = rb if rb is not None else ra
        assert here is not None  # noqa: S101  # one of the two holds it
        risks.append(
            RiskChange(
                risk_point_id=rid,
                community_id=here.community_id,
                kind=kind,
                level_before=None if ra is None else ra.level,
                level_after=None if rb is None else rb.level,
                status_before=None if ra is None else ra.status,
                status_after=None if rb is None else rb.status,
            )
        )
    risks.sort(key=lambda r: (_RISK_ORDER[r.kind], r.risk_point_id))
    return risks


def _show(value: Scalar) -> str:
    if isinstance(value, float):
        return f"{value:g}"
    return "-" if value is None else str(value)


def format_campaign_diff(
    diff: CampaignDiff,
    *,
    names: ScreeningResult | None = None,
    lang: str = "en",
) -> str:
    """The diff as text: class counts, moves with their reasons, risk changes.

    Args:
        diff: the diff.
        names: a screening whose names (and class labels) to show; ids otherwise.
        lang: ``"en"`` or ``"zh"``.

    Examples:
        >>> from countypolicing.datasets import default_ruleset, yueyanglou
        >>> county = yueyanglou()
        >>> rules = (
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> july = screen(county, *rules, as_of=date(2020, 7, 1))
        >>> september = screen(county, *rules, as_of=date(2020, 9, 15))
        >>> diff = diff_campaigns(july, september)
        >>> print(format_campaign_diff(diff, names=september))
        Screening 2020-07-01 -> 2020-09-15: 0 communities moved, 0 entered or left; 3 risk points changed
        Classes: class_1 4→4, class_2 35→35, class_3 68→68
          appeared rp23 [Yueyanglou sub-district sample community 02] - → general
          appeared rp24 [Yueyanglou sub-district sample community 03] - → general
          closed rp28 [Sample sub-district 01 sample community 01] low
    """
    zh = lang == "zh"

    def name(record_id: str) -> str:
        return names.name(record_id, lang=lang) if names is not None else record_id

    def label(value: str | None) -> str:
        if value is None:
            return "-"
        return names.class_label(value, lang=lang) if names is not None else value

    moved = len(diff.moved(CommunityMove.UP)) + len(diff.moved(CommunityMove.DOWN))
    scoped = len(diff.communities) - moved
    lines = [
        (
            f"风险排查 {diff.before_as_of} → {diff.after_as_of}：社区(村)升降类 {moved} 个，"
            f"纳入或移出 {scoped} 个；风险点变化 {len(diff.risks)} 处"
        )
        if zh
        else (
            f"Screening {diff.before_as_of} -> {diff.after_as_of}: {moved} communities "
            f"moved, {scoped} entered or left; {len(diff.risks)} risk points changed"
        )
    ]
    if diff.rulesets_changed:
        lines.append(
            ("规则变更：" if zh else "Rules changed: ")
            + ", ".join(diff.rulesets_changed)
        )
    before = dict(diff.class_counts_before)
    after = dict(diff.class_counts_after)
    lines.append(
        ("各类数量：" if zh else "Classes: ")
        + ", ".join(
            f"{label(v)} {before.get(v, 0)}→{after.get(v, 0)}"
            for v in dict.fromkeys([*before, *after])
        )
    )
    for c in diff.communities:
        arrow = {"up": "↑", "down": "↓", "entered": "+", "left": "-"}[c.move.value]
        head = (
            f"  {arrow} {name(c.community_id)}{'：' if zh else ': '}"
            f"{label(c.class_before)} → {label(c.class_after)}"
        )
        if c.changed_rule is not None:
            holds = c.move is CommunityMove.UP
            if zh:
                head += f"，规则 {c.changed_rule} {'成立' if holds else '不再成立'}"
            else:
                head += f", rule {c.changed_rule} {'now holds' if holds else 'no longer holds'}"
        if c.inputs:
            head += (
                ("（" if zh else " (")
                + ", ".join(
                    f"{field} {_show(x)} → {_show(y)}" for field, x, y in c.inputs
                )
                + ("）" if zh else ")")
            )
        lines.append(head)
    for r in diff.risks:
        kind = r.kind.label_zh if zh else r.kind.value
        levels = (
            f"{r.level_before or '-'} → {r.level_after or '-'}"
            if r.level_before != r.level_after
            else str(r.level_after)
        )
        lines.append(f"  {kind} {r.risk_point_id} [{name(r.community_id)}] {levels}")
    return "\n".join(lines)
