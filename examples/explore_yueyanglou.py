"""Explore the bundled Yueyanglou county: stations, risks, disputes and tasks.

Run: ``python examples/explore_yueyanglou.py``
"""

from __future__ import annotations

from collections import Counter

import countypolicing as cp
from countypolicing.model import Provenance, StationKind


def main() -> None:
    """Print what each police station covers and what the article itself states."""
    county = cp.datasets.yueyanglou()
    print(f"{county.name_zh} ({county.name_en}), as of {county.as_of}")

    print("\nPolice stations (main battlefields) and their communities (front line):")
    for station in county.police_stations:
        if station.kind is not StationKind.LOCAL:
            continue
        themes = ", ".join(station.themes) or "-"
        print(
            f"  {station.name_zh:<12} {len(station.jurisdiction):>3} communities  themes: {themes}"
        )

    print("\nWhat the article itself states (provenance = article):")
    for incident in county.incidents:
        if incident.provenance is Provenance.ARTICLE:
            seized = ", ".join(f"{s.count} {s.item.label_zh}" for s in incident.seized)
            print(
                f"  {incident.summary}: {incident.suspects_arrested} suspects; {seized}"
            )
    for metric in county.outcome_metrics:
        print(f"  {metric.text_zh()}")

    print("\nDisputes by handling level:")
    levels = Counter(d.handling_level.label_zh for d in county.disputes)
    for level, n in sorted(levels.items()):
        print(f"  {level}: {n}")

    tasks = county.replayed_tasks()
    overdue = [t for t in tasks if county.as_of and t.is_overdue(county.as_of)]
    print(f"\n{len(tasks)} tasks, {len(overdue)} overdue on {county.as_of}")


if __name__ == "__main__":
    main()
