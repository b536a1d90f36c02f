"""An overview of a County: what is where, and in which state."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable, Mapping

import attrs

from countypolicing.model import (
    County,
    DisputeStatus,
    LabelledEnum,
    Provenance,
    RiskTheme,
    TaskStatus,
)

__all__ = ["CountySummary", "summarize_county"]

_ORG_KIND_LABELS = {
    "party_committees": ("Party committees", "党委"),
    "governments": ("Governments and committees", "政府及自治组织"),
    "departments": ("Departments", "职能部门"),
    "sub_bureaus": ("Police sub-bureaus", "公安分局"),
    "police_stations": ("Police stations", "派出所"),
    "judicial_offices": ("Judicial offices", "司法所"),
    "mediation_committees": ("Mediation committees", "人民调解委员会"),
    "entities": ("Owner entities", "责任主体单位"),
}


def _counted(pairs: Iterable[tuple[str, int]]) -> tuple[tuple[str, int], ...]:
    return tuple(sorted(pairs, key=lambda kv: (-kv[1], kv[0])))


@attrs.frozen(kw_only=True)
class CountySummary:
    """Counts that describe a County at a glance; every table sorted, largest first.

    Added in version 0.1.0.
    """

    county_id: str
    name_zh: str
    name_en: str | None
    communities: int
    communities_per_station: tuple[tuple[str, int], ...]
    communities_per_township: tuple[tuple[str, int], ...]
    organisations_by_kind: tuple[tuple[str, int], ...]
    people: int
    risk_points_by_theme: tuple[tuple[str, int], ...]
    disputes_by_status: tuple[tuple[str, int], ...]
    tasks_by_status: tuple[tuple[str, int], ...]
    key_items: int
    records_by_provenance: tuple[tuple[str, int], ...]

    def text(self, *, lang: str = "en") -> str:
        """The summary as aligned plain text in English (``"en"``) or Chinese (``"zh"``)."""
        zh = lang == "zh"

        def title(en: str, cn: str) -> str:
            return cn if zh else en

        lines = [
            f"{self.name_zh if zh else (self.name_en or self.name_zh)} ({self.county_id})",
            title(
                f"{self.communities} communities, {self.people} people, "
                f"{self.key_items} key work items",
                f"社区(村) {self.communities} 个，人员 {self.people} 人，重点工作 {self.key_items} 项",
            ),
        ]
        tables = (
            (
                title("Communities per police station", "各派出所辖社区(村)数"),
                self.communities_per_station,
            ),
            (
                title(
                    "Communities per sub-district/township", "各街道(乡镇)社区(村)数"
                ),
                self.communities_per_township,
            ),
            (title("Organisations by kind", "各类组织数"), self.organisations_by_kind),
            (
                title("Risk points by theme", "各主题风险点数"),
                self.risk_points_by_theme,
            ),
            (title("Disputes by status", "矛盾纠纷状态"), self.disputes_by_status),
            (
                title(
                    "Tasks by status (replayed from the ledger)", "任务状态(按台账重放)"
                ),
                self.tasks_by_status,
            ),
            (title("Records by provenance", "数据来源"), self.records_by_provenance),
        )
        for heading, rows in tables:
            lines.append("")
            lines.append(heading)
            width = max((len(k) for k, _ in rows), default=0)
            lines.extend(f"  {k.ljust(width)}  {v:>5}" for k, v in rows)
            if not rows:
                lines.append("  -")
        return "\n".join(lines)


def _label(value: str, enum: type[LabelledEnum], *, zh: bool) -> str:
    try:
        member = enum(value)
    except ValueError:
        return value
    return f"{member.value} {member.label_zh}" if zh else str(member.value)


def summarize_county(county: County, *, lang: str = "en") -> CountySummary:
    """Count a County's communities, organisations, risks, disputes and tasks.

    Task states are rebuilt from the ledger (the ledger is the record of truth).

    Args:
        county: the county to describe.
        lang: ``"en"`` or ``"zh"``: which names label the rows.

    Examples:
        >>> from countypolicing.model import County, Township, TownshipKind
        >>> s = summarize_county(County(id="demo", name_zh="示例区"))
        >>> s.communities, s.tasks_by_status
        (0, ())
    """
    zh = lang == "zh"
    station_counts: Counter[str] = Counter()
    for station in county.police_stations:
        if station.jurisdiction:
            name = station.name_zh if zh else (station.name_en or station.name_zh)
            station_counts[name] += len(station.jurisdiction)
    township_names = {
        t.id: (t.name_zh if zh else (t.name_en or t.name_zh)) for t in county.townships
    }
    per_township = Counter(
        township_names.get(c.township_id, c.township_id) for c in county.communities
    )
    orgs = [
        (_ORG_KIND_LABELS[name][1 if zh else 0], len(getattr(county, name)))
        for name in _ORG_KIND_LABELS
        if getattr(county, name)
    ]
    themes = Counter(_label(r.theme, RiskTheme, zh=zh) for r in county.risk_points)
    disputes = Counter(_label(d.status, DisputeStatus, zh=zh) for d in county.disputes)
    tasks = Counter(
        _label(t.status, TaskStatus, zh=zh) for t in county.replayed_tasks()
    )
    return CountySummary(
        county_id=county.id,
        name_zh=county.name_zh,
        name_en=county.name_en,
        communities=len(county.communities),
        communities_per_station=_counted(station_counts.items()),
        communities_per_township=_counted(per_township.items()),
        organisations_by_kind=_counted(orgs),
        people=len(county.people),
        risk_points_by_theme=_counted(themes.items()),
        disputes_by_status=_counted(disputes.items()),
        tasks_by_status=_counted(tasks.items()),
        key_items=len(county.key_items),
        records_by_provenance=_counted(_provenance_counts(county, zh=zh).items()),
    )


def _provenance_counts(county: County, *, zh: bool) -> Mapping[str, int]:
    counts: Counter[str] = Counter()
    for field in attrs.fields(County):
        value = getattr(county, field.name)
        if not isinstance(value, tuple):
            continue
        for record in value:
            provenance = getattr(record, "provenance", None)
            if isinstance(provenance, Provenance):
                counts[_label(provenance, Provenance, zh=zh)] += 1
    return counts
