"""The report's sections: each gathers its data from the public API and renders it.

Every function returns an HTML fragment built only from `Tr`, `esc` and `table`, so
every piece of data is escaped exactly once.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Final

import attrs

from countypolicing.graph import build_responsibility_graph, responsibility_gaps
from countypolicing.model import (
    County,
    HandlingLevel,
    MediationChannel,
    RiskLevel,
    SupervisionLevel,
)
from countypolicing.operations import (
    Board,
    DisputeMetrics,
    Reconciliation,
    board,
    dispute_metrics,
    plan_from_county,
    reconcile,
    stationed_mediator_ids,
)
from countypolicing.report import _plots
from countypolicing.report._html import Tr, esc, table
from countypolicing.rules import (
    Classifier,
    Decision,
    community_records,
    risk_point_record,
)
from countypolicing.simulation import Comparison

__all__ = [
    "Classified",
    "classify",
    "communities_section",
    "disputes_section",
    "gaps_section",
    "header",
    "ranking_section",
    "simulation_section",
    "tasks_section",
]

_CLASS_ZH: Final = {"class_1": "一类", "class_2": "二类", "class_3": "三类"}
_CLASS_EN: Final = {"class_1": "class 1", "class_2": "class 2", "class_3": "class 3"}
_NO_STATION: Final = "-"


@attrs.frozen(kw_only=True)
class Classified:
    """One community's classification and the values the ranking reads."""

    community_id: str
    station_id: str | None
    decision: Decision
    record: Mapping[str, object]

    @property
    def value(self) -> str:
        """The class as text (``class_1``)."""
        return str(self.decision.output)

    @property
    def rank(self) -> int:
        """The class's severity rank (larger is more severe)."""
        rank = getattr(self.decision.output, "rank", 0)
        return rank if isinstance(rank, int) else 0

    def sort_key(self) -> tuple[object, ...]:
        """Class first, then major, significant, hazards, disputes, calls, id."""
        r = self.record
        return (
            -self.rank,
            -_num(r.get("major_risks")),
            -_num(r.get("significant_risks")),
            -_num(r.get("open_hazards")),
            -_num(r.get("disputes_open")),
            -_num(r.get("calls_per_1000")),
            self.community_id,
        )


def _num(value: object) -> float:
    return float(value) if isinstance(value, int | float) else 0.0


def classify(
    county: County, grading: Classifier, classification: Classifier
) -> list[Classified]:
    """Grade every risk point, then classify and rank every community."""
    levels: dict[str, RiskLevel] = {}
    for rp in county.risk_points:
        level = grading.classify(risk_point_record(rp, county)).output
        if isinstance(level, RiskLevel):
            levels[rp.id] = level
    records = community_records(county, levels=levels)
    out = []
    for community, record in zip(county.communities, records, strict=True):
        station = county.station_for(community.id)
        out.append(
            Classified(
                community_id=community.id,
                station_id=station.id if station is not None else None,
                decision=classification.classify(record, explain=True),
                record=record,
            )
        )
    return sorted(out, key=Classified.sort_key)


def _class(tr: Tr, value: str) -> str:
    return tr(_CLASS_ZH.get(value, value), _CLASS_EN.get(value, value))


def _css_class(value: str) -> str:
    return value if value in _CLASS_ZH else "other"


def _name(tr: Tr, zh: str, en: str | None) -> str:
    return tr(zh, en or zh)


def _because(decision: Decision, lang: str) -> str:
    explanation = decision.explanation
    if explanation is None:
        return ""
    reasons = [
        (r.because_zh or r.because_en)
        if lang == "zh"
        else (r.because_en or r.because_zh)
        for r in explanation.rules
        if r.rule_id in decision.rule_ids
    ]
    given = [x for x in reasons if x]
    if given:
        return "；".join(given) if lang == "zh" else "; ".join(given)
    if decision.rule_ids:
        return ""
    return "无规则命中，取默认值" if lang == "zh" else "no rule matched: the default"


def _reason(tr: Tr, decision: Decision) -> str:
    """The reason as plain text for an attribute (both languages for ``both``)."""
    if tr.lang == "both":
        return f"{_because(decision, 'zh')} / {_because(decision, 'en')}"
    return _because(decision, tr.lang)


def header(
    county: County, tr: Tr, *, as_of: date | None, sections: Sequence[tuple[str, str]]
) -> str:
    """The title bar, the provenance note and the table of contents."""
    day = as_of.isoformat() if as_of is not None else "-"
    title = tr(
        f"{county.name_zh}：挂图作战（截至 {day}）",
        f"{county.name_en or county.name_zh}: battle chart (as of {day})",
    )
    note = tr(
        "本报告由 countypolicing 生成；标注为虚构示例或推断的记录不是事实，"
        "风险类别由默认规则集推算。",
        "Generated by countypolicing. Records marked synthetic or inferred are not "
        "facts; risk classes come from the shipped default rulesets.",
    )
    links = "".join(
        f'<a href="#{esc(anchor)}">{label}</a>' for anchor, label in sections
    )
    return (
        f'<header class="top"><h1>{title}</h1><p>{note}</p></header>'
        f'<nav class="toc">{links}</nav>'
    )


def communities_section(
    county: County, tr: Tr, ranked: Sequence[Classified], *, zh_plots: bool
) -> str:
    """Risk tiles grouped by police station, coloured by class, with a bar chart."""
    by_station: dict[str, list[Classified]] = {}
    for item in ranked:
        by_station.setdefault(item.station_id or _NO_STATION, []).append(item)
    order = [s.id for s in county.police_stations if s.id in by_station]
    if _NO_STATION in by_station:
        order.append(_NO_STATION)
    values = sorted({c.value for c in ranked}, key=lambda v: (v not in _CLASS_ZH, v))
    legend = "".join(
        f'<span><i class="{_css_class(v)}"></i>{_class(tr, v)}</span>' for v in values
    )
    groups = []
    station_names: list[str] = []
    for sid in order:
        items = by_station[sid]
        if sid == _NO_STATION:
            head = tr("未划入派出所辖区", "No police station")
            station_names.append("-")
        else:
            station = county.organisation(sid)
            head = _name(tr, station.name_zh, station.name_en)
            station_names.append(
                station.name_zh if zh_plots else (station.name_en or sid)
            )
        counts = Counter(i.value for i in items)
        summary = " · ".join(
            f"{_class(tr, v)}: {counts[v]}" for v in values if counts[v]
        )
        tiles = "".join(
            f'<span class="tile {_css_class(i.value)}" title="{esc(i.community_id)}: '
            f'{esc(_reason(tr, i.decision))}">'
            f"{_community_name(county, tr, i.community_id)}</span>"
            for i in sorted(items, key=lambda i: (-i.rank, i.community_id))
        )
        groups.append(
            f'<div class="station"><h3>{head} <small>({summary})</small></h3>'
            f'<div class="tiles">{tiles}</div></div>'
        )
    stacks = [
        (
            (_CLASS_ZH if zh_plots else _CLASS_EN).get(v, v),
            [float(Counter(i.value for i in by_station[s])[v]) for s in order],
        )
        for v in values
    ]
    chart = (
        _plots.bar_chart(
            "fig-classes",
            station_names,
            stacks,
            title="各派出所社区风险类别"
            if zh_plots
            else "Community risk classes by police station",
            ylabel="社区数" if zh_plots else "communities",
        )
        if order
        else ""
    )
    return (
        '<section class="card" id="tiles">'
        f"<h2>{tr('社区风险分布（按派出所）', 'Community risk tiles by police station')}</h2>"
        f'<p class="legend">{legend}</p>'
        f'<div class="stations">{"".join(groups)}</div>'
        f"<figure>{chart}</figure></section>"
    )


def _community_name(county: County, tr: Tr, community_id: str) -> str:
    community = county.community(community_id)
    return _name(tr, community.name_zh, community.name_en)


def _station_name(county: County, tr: Tr, station_id: str | None) -> str:
    if station_id is None:
        return "-"
    station = county.organisation(station_id)
    return _name(tr, station.name_zh, station.name_en)


def ranking_section(
    county: County, tr: Tr, ranked: Sequence[Classified], *, top: int
) -> str:
    """The ranked table with the deciding rule, its reason and the explanation."""
    fields = (
        "major_risks",
        "significant_risks",
        "open_hazards",
        "disputes_open",
        "calls_per_1000",
    )
    head = [
        "#",
        tr("社区(村)", "Community"),
        tr("派出所", "Police station"),
        tr("类别", "Class"),
        tr("决定规则", "Deciding rule"),
        tr("理由", "Because"),
        tr("重大/较大风险", "Major / significant"),
        tr("隐患", "Hazards"),
        tr("纠纷", "Disputes"),
        tr("千人警情", "Calls /1000"),
        tr("说明", "Explanation"),
    ]

    def row(position: int, item: Classified) -> list[str]:
        d = item.decision
        r = item.record
        explanation = ""
        if d.explanation is not None:
            explanation = (
                f"<details><summary>{tr('展开', 'show')}</summary>"
                f"<pre>{tr(d.explanation.text('zh'), d.explanation.text('en'))}</pre></details>"
            )
        rule = esc(", ".join(d.rule_ids)) if d.rule_ids else tr("默认", "default")
        return [
            str(position),
            _community_name(county, tr, item.community_id),
            _station_name(county, tr, item.station_id),
            f'<span class="badge {_css_class(item.value)}">{_class(tr, item.value)}</span>',
            f"<code>{rule}</code>",
            tr(_because(d, "zh"), _because(d, "en")),
            esc(f"{_num(r.get(fields[0])):g} / {_num(r.get(fields[1])):g}"),
            esc(f"{_num(r.get(fields[2])):g}"),
            esc(f"{_num(r.get(fields[3])):g}"),
            esc(f"{_num(r.get(fields[4])):.1f}"),
            explanation,
        ]

    rows = [row(i, item) for i, item in enumerate(ranked, start=1)]
    numeric = (0, 6, 7, 8, 9)
    first = table(head, rows[:top], numeric=numeric)
    rest = ""
    if len(rows) > top:
        rest = (
            f"<details><summary>{tr(f'其余 {len(rows) - top} 个社区', f'the other {len(rows) - top} communities')}"
            f"</summary>{table(head, rows[top:], numeric=numeric)}</details>"
        )
    counts = Counter(i.value for i in ranked)
    summary = "，".join(f"{_CLASS_ZH.get(k, k)} {v}" for k, v in sorted(counts.items()))
    summary_en = ", ".join(
        f"{_CLASS_EN.get(k, k)} {v}" for k, v in sorted(counts.items())
    )
    note = tr(
        f"共 {len(ranked)} 个社区(村)：{summary}。排序：类别，其次重大、较大风险点数、未整改隐患、未结纠纷、千人警情。",
        f"{len(ranked)} communities: {summary_en}. Order: class, then major and "
        "significant risk points, open hazards, open disputes, calls per 1,000.",
    )
    return (
        '<section class="card" id="ranking">'
        f"<h2>{tr('梳理排队：社区排名与理由', 'Ranking with reasons')}</h2>"
        f'<p class="note">{note}</p>{first}{rest}</section>'
    )


def gaps_section(county: County, tr: Tr) -> str:
    """Every responsibility gap of the county's responsibility graph."""
    gaps = responsibility_gaps(build_responsibility_graph(county))
    if not gaps:
        body = f"<p>{tr('未发现责任缺口。', 'No responsibility gaps.')}</p>"
    else:
        rows = [
            [
                tr(g.kind.label_zh, g.kind.label_en),
                f"<code>{esc(g.record_id)}</code>",
                tr(g.text("zh"), g.text("en")),
            ]
            for g in gaps
        ]
        body = table([tr("类型", "Kind"), tr("编号", "Id"), tr("缺口", "Gap")], rows)
    note = tr(
        f"属地、主体、主管三方责任逐项压实：共 {len(gaps)} 处缺口。",
        f"Territorial, principal and supervisory responsibility for every risk: "
        f"{len(gaps)} gap{'s' if len(gaps) != 1 else ''}.",
    )
    return (
        '<section class="card" id="gaps">'
        f"<h2>{tr('责任缺口', 'Responsibility gaps')}</h2>"
        f'<p class="note">{note}</p>{body}</section>'
    )


def tasks_section(county: County, tr: Tr, *, as_of: date, zh_plots: bool) -> str:
    """The task board (挂图): owner × status, overdue tasks and the burndown."""
    if not county.work_plans:
        return (
            '<section class="card" id="tasks">'
            f"<h2>{tr('任务挂图', 'Task board')}</h2>"
            f"<p>{tr('本县没有工作方案。', 'The county has no work plan.')}</p></section>"
        )
    plan = plan_from_county(county)
    chart: Board = board(plan, county.ledger, as_of)
    rec: Reconciliation = reconcile(plan, county.ledger, as_of)
    head = [
        tr("牵头单位", "Lead owner"),
        *(tr(s.label_zh, s.label_en) for s in chart.statuses),
        tr("逾期", "Overdue"),
        tr("合计", "Total"),
    ]
    n = len(chart.statuses)
    rows = [
        [
            tr(chart.name(r.owner_id, lang="zh"), chart.name(r.owner_id, lang="en")),
            *(str(c) for c in r.counts),
            str(r.overdue),
            str(r.total),
        ]
        for r in (*chart.rows, chart.totals)
    ]
    rows[-1][0] = f"<strong>{tr('合计', 'Total')}</strong>"
    owners = table(head, rows, numeric=range(1, n + 3))
    overdue = sorted(
        (line for line in rec.tasks if line.overdue),
        key=lambda line: (-line.days_overdue, line.task_id),
    )
    orows = []
    for line in overdue:
        task = county.task(line.task_id)
        level: SupervisionLevel = line.supervision
        orows.append(
            [
                f"<code>{esc(line.task_id)}</code>",
                tr(task.title_zh, task.title_en or task.title_zh),
                tr(
                    chart.name(line.lead_owner_id, lang="zh"),
                    chart.name(line.lead_owner_id, lang="en"),
                ),
                esc(line.deadline.isoformat()),
                str(line.days_overdue),
                f'<span class="badge sv-{esc(level.value)}">{tr(level.label_zh, level.label_en)}</span>',
            ]
        )
    overdue_html = (
        table(
            [
                tr("任务", "Task"),
                tr("内容", "What"),
                tr("牵头单位", "Lead owner"),
                tr("期限", "Deadline"),
                tr("逾期天数", "Days overdue"),
                tr("督办", "Supervision"),
            ],
            orows,
            numeric=(4,),
        )
        if orows
        else f"<p>{tr('没有逾期任务。', 'No overdue tasks.')}</p>"
    )
    burndown = ""
    if chart.burndown:
        burndown = _plots.line_chart(
            "fig-burndown",
            [p.day.isoformat() for p in chart.burndown],
            [
                (
                    "未销号" if zh_plots else "remaining",
                    [p.remaining for p in chart.burndown],
                    "#2e86c1",
                ),
                (
                    "计划线" if zh_plots else "planned",
                    [p.planned for p in chart.burndown],
                    "#7b8794",
                ),
                (
                    "逾期" if zh_plots else "overdue",
                    [p.overdue for p in chart.burndown],
                    "#c0392b",
                ),
            ],
            title="任务燃尽图" if zh_plots else "Task burndown",
            ylabel="任务数" if zh_plots else "tasks",
        )
    note = tr(
        f"{len(plan.tasks)} 项任务，逾期 {len(overdue)} 项（截至 {as_of.isoformat()}）。",
        f"{len(plan.tasks)} tasks, {len(overdue)} overdue (as of {as_of.isoformat()}).",
    )
    return (
        '<section class="card" id="tasks">'
        f"<h2>{tr('任务挂图：对账销号', 'Task board: reconcile and close out')}</h2>"
        f'<p class="note">{note}</p>{owners}'
        f"<h3>{tr('逾期任务与督办', 'Overdue tasks and supervision')}</h3>{overdue_html}"
        f"<figure>{burndown}</figure></section>"
    )


def _channel_metrics(
    county: County, as_of: date
) -> list[tuple[MediationChannel | None, DisputeMetrics]]:
    stationed = stationed_mediator_ids(county)
    channels: list[MediationChannel | None] = [*MediationChannel, None]
    out = []
    for channel in channels:
        disputes = [d for d in county.disputes if d.channel == channel]
        if disputes:
            out.append(
                (
                    channel,
                    dispute_metrics(disputes, as_of=as_of, stationed_ids=stationed),
                )
            )
    return out


def disputes_section(county: County, tr: Tr, *, as_of: date) -> str:
    """The dispute funnel: reported, concluded, resolved, by channel and closing level."""
    per_channel = _channel_metrics(county, as_of)
    total = dispute_metrics(
        county.disputes, as_of=as_of, stationed_ids=stationed_mediator_ids(county)
    )
    levels = list(HandlingLevel)
    head = [
        tr("调解渠道", "Channel"),
        tr("受理", "Reported"),
        tr("办理中", "Under way"),
        tr("已结束", "Concluded"),
        tr("化解", "Resolved"),
        *(
            tr(f"化解于{lv.label_zh}", f"closed at {lv.label_en.lower()}")
            for lv in levels
        ),
        tr("转公安", "To police"),
    ]

    def row(label: str, m: DisputeMetrics) -> list[str]:
        at = dict(m.closed_at_level)
        return [
            label,
            str(m.total),
            str(m.under_way),
            str(m.concluded),
            str(m.resolved),
            *(str(at.get(lv, 0)) for lv in levels),
            str(m.escalated_to_police),
        ]

    rows = [
        row(
            tr(c.label_zh, c.label_en)
            if c is not None
            else tr("未分派", "Not yet routed"),
            m,
        )
        for c, m in per_channel
    ]
    rows.append(row(f"<strong>{tr('合计', 'Total')}</strong>", total))
    rate = total.resolution_rate
    share = total.local_share

    def pct(x: float | None) -> str:
        return "-" if x is None else f"{100 * x:.0f}%"

    note = tr(
        f"截至 {as_of.isoformat()}：化解率 {pct(rate)}，小事不出村（网格、社区化解）占 {pct(share)}，"
        f"驻所调解分流警力 {total.police_hours_diverted:g} 小时（每件 {total.hours_per_dispute:g} 小时为假设值）。",
        f"As of {as_of.isoformat()}: resolution rate {pct(rate)}, resolved at grid or "
        f"community level {pct(share)}, police hours diverted by stationed mediators "
        f"{total.police_hours_diverted:g} ({total.hours_per_dispute:g} h per dispute is an assumption).",
    )
    return (
        '<section class="card" id="disputes">'
        f"<h2>{tr('大调解：纠纷漏斗', 'Grand mediation: the dispute funnel')}</h2>"
        f'<p class="note">{note}</p>'
        f"{table(head, rows, numeric=range(1, len(head)))}</section>"
    )


_METRIC_ZH: Final = {
    "disputes": "纠纷",
    "resolved": "化解",
    "escalations": "升级",
    "mean_days_to_resolution": "平均化解天数",
    "police_hours": "警力工时",
    "police_hours_freed": "释放警力工时",
    "backlog": "积压",
    "class_1": "一类社区",
}


def _fmt(x: float) -> str:
    if math.isnan(x):
        return "-"
    if abs(x) >= 100:  # noqa: PLR2004  # whole numbers from here on
        return f"{x:,.0f}"
    return f"{x:.3g}" if abs(x) < 1 else f"{x:.2f}"


def simulation_section(tr: Tr, comparison: Comparison | None, *, zh_plots: bool) -> str:
    """Each policy against the baseline with its interval, as a table and a plot."""
    if comparison is None:
        return (
            '<section class="card" id="simulation">'
            f"<h2>{tr('政策模拟', 'Policy simulation')}</h2>"
            f"<p>{tr('未运行模拟。', 'No simulation was run.')}</p></section>"
        )
    pct = round(comparison.level * 100)
    prov = comparison.provenance
    reps = max((r.replications for r in comparison.rows), default=0)
    note = tr(
        f"与基线（{comparison.baseline}）比较，{pct}% 区间，{reps} 次重复，情景 {prov.scenario_id}，"
        f"种子 {prov.seed}。参数为假设值；加粗表示区间不含 0。",
        f"Against {comparison.baseline}: {pct}% intervals over {reps} replications, "
        f"scenario {prov.scenario_id}, seed {prov.seed}. Parameters are assumptions; "
        "bold rows have intervals that exclude zero.",
    )
    head = [
        tr("政策", "Policy"),
        tr("指标", "Metric"),
        tr("基线", "Baseline"),
        tr("政策", "Policy"),
        tr("变化", "Change"),
        tr("区间", "Interval"),
    ]
    rows = []
    points = []
    for r in comparison.rows:
        interval = "-" if math.isnan(r.low) else f"[{_fmt(r.low)}, {_fmt(r.high)}]"
        change = esc(_fmt(r.difference))
        rows.append(
            [
                f"<code>{esc(r.policy)}</code>",
                tr(_METRIC_ZH.get(r.metric, r.metric), r.metric),
                esc(_fmt(r.baseline_mean)),
                esc(_fmt(r.policy_mean)),
                f'<span class="sig">{change}</span>' if r.significant else change,
                esc(interval),
            ]
        )
        base = r.baseline_mean
        if base and not math.isnan(base):
            scale = 100.0 / abs(base)
            points.append(
                (
                    f"{r.policy}: {r.metric}",
                    r.difference * scale,
                    r.low * scale,
                    r.high * scale,
                )
            )
    plot = (
        _plots.interval_chart(
            "fig-simulation",
            points,
            title="政策相对基线的变化（%）"
            if zh_plots
            else "Change against the baseline (%)",
            xlabel="相对基线均值的变化 %" if zh_plots else "% of the baseline mean",
        )
        if points
        else ""
    )
    return (
        '<section class="card" id="simulation">'
        f"<h2>{tr('政策模拟：与基线比较', 'Policy simulation against the baseline')}</h2>"
        f'<p class="note">{note}</p>{table(head, rows, numeric=(2, 3, 4))}'
        f"<figure>{plot}</figure></section>"
    )
