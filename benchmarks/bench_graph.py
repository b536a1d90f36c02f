"""Build the responsibility graph of a generated large county; compare with raw networkx.

Run: ``python benchmarks/bench_graph.py [--communities 30000] [--risks 100000]
[--repeat 3]``.

Prints, for a generated county (30k communities, 100k risk points by default):

- the best-of-N wall time of `build_responsibility_graph` and of a raw
  ``nx.MultiDiGraph().add_edges_from(edges)`` of the very same edges (with their
  data) in the same process, and their ratio (target <= 3.0, DESIGN.md §12);
- the peak traced memory of each (tracemalloc) and their ratio;
- the best-of-N time of `responsibility_gaps` on the graph, and how many gaps.

The county itself (and its integrity check) is built before any timing.
"""

from __future__ import annotations

import argparse
import gc
import random
import time
import tracemalloc
from collections.abc import Callable
from datetime import date
from typing import TypeVar

import networkx as nx

from countypolicing.graph import build_responsibility_graph, responsibility_gaps
from countypolicing.model import (
    AdminLevel,
    Community,
    CommunityKind,
    County,
    Department,
    DepartmentKind,
    Entity,
    EntityKind,
    Government,
    GovernmentKind,
    LinkageMechanism,
    PartyCommittee,
    PoliceStation,
    PoliceSubBureau,
    Provenance,
    RiskDomain,
    RiskPoint,
    RiskSubjectKind,
    RiskTheme,
    SupervisorOverride,
    ThemeSupervision,
    Township,
    TownshipKind,
)

_T = TypeVar("_T")

SYN = Provenance.SYNTHETIC
THEMES = [str(t) for t in RiskTheme]
DEPARTMENT_KINDS = [
    DepartmentKind.PUBLIC_SECURITY,
    DepartmentKind.POLITICAL_LEGAL,
    DepartmentKind.JUSTICE,
    DepartmentKind.COURT,
    DepartmentKind.HOUSING,
    DepartmentKind.AGRICULTURE_FISHERY,
    DepartmentKind.HUMAN_RESOURCES,
    DepartmentKind.CIVIL_AFFAIRS,
    DepartmentKind.EDUCATION,
    DepartmentKind.CULTURE_TOURISM,
    DepartmentKind.RAILWAY_POLICE,
    DepartmentKind.EMERGENCY,
]


def generate(n_communities: int, n_risks: int, *, seed: int = 2020) -> County:
    """A synthetic county: 1 township per 100 communities, 1 station per 50."""
    rng = random.Random(seed)
    n_townships = max(1, n_communities // 100)
    townships = [
        Township(
            id=f"t{i:04d}",
            name_zh=f"示例街道{i:04d}",
            kind=TownshipKind.SUB_DISTRICT,
            provenance=SYN,
        )
        for i in range(n_townships)
    ]
    communities = [
        Community(
            id=f"c{i:06d}",
            name_zh=f"示例社区{i:06d}",
            township_id=f"t{i % n_townships:04d}",
            kind=CommunityKind.URBAN,
            population=5000,
            households=1800,
            provenance=SYN,
        )
        for i in range(n_communities)
    ]
    governments = [
        Government(
            id="gov",
            name_zh="示例区人民政府",
            kind=GovernmentKind.PEOPLES_GOVERNMENT,
            provenance=SYN,
        )
    ]
    governments += [
        Government(
            id=f"{t.id}-gov",
            name_zh=f"{t.name_zh}办事处",
            kind=GovernmentKind.SUB_DISTRICT_OFFICE,
            level=AdminLevel.TOWNSHIP,
            admin_unit_id=t.id,
            provenance=SYN,
        )
        for t in townships
    ]
    governments += [
        Government(
            id=f"{c.id}-rc",
            name_zh=f"{c.name_zh}居民委员会",
            kind=GovernmentKind.RESIDENTS_COMMITTEE,
            level=AdminLevel.COMMUNITY,
            admin_unit_id=c.id,
            provenance=SYN,
        )
        for c in communities
    ]
    departments = [
        Department(
            id=f"dept-{kind}",
            name_zh=f"示例{kind.label_zh}部门",
            kind=kind,
            government_id="gov",
            provenance=SYN,
        )
        for kind in DEPARTMENT_KINDS
    ]
    dept_ids = [d.id for d in departments]
    supervision = [
        ThemeSupervision(
            theme=theme,
            department_ids=rng.sample(dept_ids, 2),
            provenance=SYN,
        )
        for theme in THEMES[:-1]  # the last theme is left unsupervised: a gap
    ]
    stations = [
        PoliceStation(
            id=f"ps{j:04d}",
            name_zh=f"示例派出所{j:04d}",
            sub_bureau_id="psb",
            jurisdiction=[c.id for c in communities[j * 50 : (j + 1) * 50]],
            provenance=SYN,
        )
        for j in range((n_communities + 49) // 50)
    ]
    entities = [
        Entity(
            id=f"e{i:06d}",
            name_zh=f"示例单位{i:06d}",
            kind=EntityKind.ENTERPRISE,
            community_id=f"c{rng.randrange(n_communities):06d}",
            provenance=SYN,
        )
        for i in range(n_risks // 4)
    ]
    risks = []
    for i in range(n_risks):
        owner = rng.random() < 0.9  # one in ten has no owner
        risks.append(
            RiskPoint(
                id=f"rp{i:07d}",
                name_zh=f"示例风险点{i:07d}",
                community_id=f"c{rng.randrange(n_communities):06d}",
                theme=rng.choice(THEMES),
                subject_kind=RiskSubjectKind.PLACE,
                domain=RiskDomain.PUBLIC_ORDER,
                likelihood=rng.randint(1, 5),
                severity=rng.randint(1, 5),
                owner_id=f"e{rng.randrange(len(entities)):06d}" if owner else None,
                supervisor_override=(
                    SupervisorOverride(department_id=dept_ids[0], reason="示例")
                    if i % 97 == 0
                    else None
                ),
                identified_on=date(2020, 5, 1),
                provenance=SYN,
            )
        )
    mechanisms = [
        LinkageMechanism(
            id=f"m{k}",
            name_zh=f"示例联动机制{k}",
            lead_org_id=dept_ids[k] if k else None,
            member_org_ids=rng.sample(dept_ids, 5),
            provenance=SYN,
        )
        for k in range(8)
    ]
    return County(
        id="bench",
        name_zh="基准测试区",
        townships=townships,
        communities=communities,
        theme_supervision=supervision,
        party_committees=[PartyCommittee(id="pc", name_zh="示例区委")],
        governments=governments,
        departments=departments,
        sub_bureaus=[
            PoliceSubBureau(id="psb", name_zh="示例公安分局", department_id=dept_ids[0])
        ],
        police_stations=stations,
        entities=entities,
        risk_points=risks,
        mechanisms=mechanisms,
    )


def best_of(repeat: int, fn: Callable[[], _T]) -> tuple[float, _T]:
    """The shortest wall time of ``repeat`` calls, and the last result."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        started = time.perf_counter()
        result = fn()
        best = min(best, time.perf_counter() - started)  # before the result is freed
        del result
    gc.collect()
    final = fn()
    return best, final


def peak_memory(fn: Callable[[], object]) -> int:
    """Peak bytes traced while ``fn`` runs (its result is kept until the peak is read)."""
    gc.collect()
    tracemalloc.start()
    try:
        kept = fn()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    del kept
    return peak


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--communities", type=int, default=30_000)
    parser.add_argument("--risks", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()

    started = time.perf_counter()
    county = generate(args.communities, args.risks)
    print(
        f"county: {len(county.communities)} communities, {len(county.risk_points)} "
        f"risk points, {len(county.governments)} governments "
        f"(generated and checked in {time.perf_counter() - started:.1f} s)"
    )

    build_time, graph = best_of(args.repeat, lambda: build_responsibility_graph(county))
    edges = list(graph.edges(keys=True, data=True))
    print(f"graph: {graph.number_of_nodes()} nodes, {len(edges)} edges")

    def raw() -> nx.MultiDiGraph[str]:
        bare: nx.MultiDiGraph[str] = nx.MultiDiGraph()
        bare.add_edges_from(edges)  # type: ignore[arg-type]  # (u, v, key, data) 4-tuples
        return bare

    raw_time, _ = best_of(args.repeat, raw)
    print(f"raw add_edges_from:          {raw_time:7.3f} s")
    print(f"build_responsibility_graph:  {build_time:7.3f} s")
    print(f"ratio build / raw:           {build_time / raw_time:7.2f} (target <= 3.0)")

    raw_peak = peak_memory(raw)
    build_peak = peak_memory(lambda: build_responsibility_graph(county))
    print(f"peak memory raw:             {raw_peak / 2**20:7.1f} MiB")
    print(f"peak memory build:           {build_peak / 2**20:7.1f} MiB")
    print(f"ratio build / raw:           {build_peak / raw_peak:7.2f}")

    gaps_time, gaps = best_of(args.repeat, lambda: responsibility_gaps(graph))
    print(f"responsibility_gaps:         {gaps_time:7.3f} s ({len(gaps)} gaps)")


if __name__ == "__main__":
    main()
