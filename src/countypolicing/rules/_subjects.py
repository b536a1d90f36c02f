"""Records of the built-in subjects, built from model objects.

A record is a plain ``dict`` with exactly the fields of the subject's schema, so
the same ruleset runs on a bundled county, on your own rows, or on DataFrame columns.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Mapping

from countypolicing.model import (
    CommunityIndicators,
    County,
    Dispute,
    HazardStatus,
    Person,
    RiskLevel,
    RiskPoint,
    RiskPointStatus,
    RiskTheme,
)

__all__ = [
    "community_record",
    "community_records",
    "dispute_record",
    "risk_point_record",
]

_OPEN_HAZARD = {HazardStatus.FOUND, HazardStatus.RECTIFYING}


def _themes(themes: tuple[str, ...]) -> dict[str, object]:
    return {f"theme_{t}": str(t) in themes for t in RiskTheme}


def risk_point_record(
    risk_point: RiskPoint, county: County | None = None
) -> dict[str, object]:
    """The ``risk_point`` record of a risk point (hazards counted when a county is given).

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> record = risk_point_record(yueyanglou().risk_points[0])
        >>> record["score"] == record["likelihood"] * record["severity"]
        True
    """
    open_hazards = 0
    if county is not None:
        open_hazards = sum(
            1
            for h in county.hazards
            if h.risk_point_id == risk_point.id and h.status in _OPEN_HAZARD
        )
    return {
        "likelihood": risk_point.likelihood,
        "severity": risk_point.severity,
        "score": risk_point.score,
        "theme": risk_point.theme,
        "subject_kind": str(risk_point.subject_kind),
        "domain": str(risk_point.domain),
        "status": str(risk_point.status),
        "has_owner": risk_point.owner_id is not None,
        "open_hazards": open_hazards,
    }


def community_records(
    county: County, *, levels: Mapping[str, RiskLevel] | None = None
) -> list[dict[str, object]]:
    """The ``community`` record of every community, in county order.

    Args:
        county: the county.
        levels: each risk point's level (from a grading ruleset); by default the
            level stored on the risk point. Closed and ungraded risk points are not
            counted among the levels; closed ones not at all.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> records = community_records(yueyanglou())
        >>> len(records), sorted(records[0])[:3]
        (107, ['calls_per_1000', 'disputes_open', 'general_risks'])
    """
    risks: dict[str, list[RiskLevel | None]] = {}
    for rp in county.risk_points:
        if rp.status is RiskPointStatus.CLOSED:
            continue
        level = levels.get(rp.id, rp.level) if levels is not None else rp.level
        risks.setdefault(rp.community_id, []).append(level)
    risk_of = {rp.id: rp.community_id for rp in county.risk_points}
    hazards = Counter(
        risk_of[h.risk_point_id] for h in county.hazards if h.status in _OPEN_HAZARD
    )
    latest: dict[str, CommunityIndicators] = {}
    for ind in county.indicators:
        current = latest.get(ind.community_id)
        if current is None or ind.as_of > current.as_of:
            latest[ind.community_id] = ind
    out = []
    for community in county.communities:
        row: CommunityIndicators | None = latest.get(community.id)
        levels_here = [lv for lv in risks.get(community.id, []) if lv is not None]
        counts = Counter(levels_here)
        worst = max(levels_here) if levels_here else None
        out.append(
            {
                "kind": str(community.kind),
                "population": community.population,
                "households": community.households,
                "rental_units": row.rental_units if row is not None else 0,
                "calls_per_1000": float(row.calls_per_1000) if row is not None else 0.0,
                "prior_incidents": row.prior_incidents if row is not None else 0,
                "disputes_open": row.disputes_open if row is not None else 0,
                "key_persons": row.key_persons if row is not None else None,
                "petitions": row.petitions if row is not None else 0,
                "grid_workers": row.grid_workers if row is not None else 0,
                "risk_points": len(risks.get(community.id, [])),
                "worst_level": str(worst) if worst is not None else None,
                "major_risks": counts[RiskLevel.MAJOR],
                "significant_risks": counts[RiskLevel.SIGNIFICANT],
                "general_risks": counts[RiskLevel.GENERAL],
                "low_risks": counts[RiskLevel.LOW],
                "open_hazards": hazards[community.id],
                **_themes(community.themes),
            }
        )
    return out


def community_record(
    county: County, community_id: str, *, levels: Mapping[str, RiskLevel] | None = None
) -> dict[str, object]:
    """The ``community`` record of one community (see `community_records`)."""
    county.community(community_id)
    index = next(i for i, c in enumerate(county.communities) if c.id == community_id)
    return community_records(county, levels=levels)[index]


def dispute_record(dispute: Dispute, county: County) -> dict[str, object]:
    """The ``dispute`` record of a dispute, with its community's themes.

    Examples:
        >>> from countypolicing.datasets import yueyanglou
        >>> county = yueyanglou()
        >>> dispute_record(county.disputes[0], county)["parties"]
        2
    """
    community = county.community(dispute.community_id)
    organisation_party = any(
        not isinstance(county.party(p.party_id), Person) for p in dispute.parties
    )
    return {
        "type": str(dispute.type),
        "origin": str(dispute.origin),
        "status": str(dispute.status),
        "handling_level": str(dispute.handling_level),
        "channel": str(dispute.channel) if dispute.channel is not None else None,
        "parties": len(dispute.parties),
        "organisation_party": organisation_party,
        "escalation_risk": dispute.escalation_risk,
        **_themes(community.themes),
    }
