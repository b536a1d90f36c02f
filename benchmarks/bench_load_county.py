"""Load a generated 20k-community county file; compare with a raw CSafeLoader parse.

Run: ``python benchmarks/bench_load_county.py [--communities 20000] [--repeat 3]``.
Prints the best-of-N wall time of `countypolicing.load_county` (strict parse,
structuring, validation, integrity check), of ``yaml.load(text, Loader=CSafeLoader)``
on the same file, their ratio (target <= 2.0, DESIGN.md §12) and the peak traced
memory of each.
"""

from __future__ import annotations

import argparse
import random
import tempfile
import time
import tracemalloc
from collections.abc import Callable
from pathlib import Path

import yaml

import countypolicing as cp
from countypolicing.model import (
    Community,
    CommunityIndicators,
    CommunityKind,
    County,
    CountyKind,
    PoliceStation,
    Provenance,
    Township,
    TownshipKind,
)
from countypolicing.serialization import save_county


def generate(n: int, *, seed: int = 2020) -> County:
    """A synthetic county with ``n`` communities, 40 townships and 1 station per 50."""
    rng = random.Random(seed)
    townships = [
        Township(
            id=f"t{i:03d}", name_zh=f"示例街道{i:03d}", kind=TownshipKind.SUB_DISTRICT
        )
        for i in range(40)
    ]
    communities = []
    indicators = []
    for i in range(n):
        population = rng.randint(800, 15000)
        communities.append(
            Community(
                id=f"c{i:06d}",
                name_zh=f"示例社区{i:06d}",
                name_en=f"Sample community {i:06d}",
                township_id=f"t{i % 40:03d}",
                kind=rng.choice(list(CommunityKind)),
                population=population,
                households=population * 10 // 27,
                themes=("rental_housing",) if i % 3 == 0 else (),
                provenance=Provenance.SYNTHETIC,
            )
        )
        indicators.append(
            CommunityIndicators(
                community_id=f"c{i:06d}",
                as_of=__import__("datetime").date(2020, 6, 30),
                rental_units=rng.randint(0, 900),
                calls_per_1000=round(rng.uniform(2, 60), 1),
                prior_incidents=rng.randint(0, 20),
                disputes_open=rng.randint(0, 12),
            )
        )
    stations = [
        PoliceStation(
            id=f"ps{j:04d}",
            name_zh=f"示例派出所{j:04d}",
            jurisdiction=[c.id for c in communities[j * 50 : (j + 1) * 50]],
        )
        for j in range((n + 49) // 50)
    ]
    return County(
        id="bench",
        name_zh="基准县",
        kind=CountyKind.COUNTY,
        townships=townships,
        communities=communities,
        indicators=indicators,
        police_stations=stations,
    )


def best_of(fn: Callable[[], object], repeat: int) -> tuple[float, int]:
    """Best wall time over ``repeat`` runs, and the peak traced memory of one run."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    tracemalloc.start()
    fn()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return min(times), peak


def main() -> None:
    """Generate, save, then time both loaders side by side in this process."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--communities", type=int, default=20_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "county.yaml"
        save_county(generate(args.communities), path)
        text = path.read_text(encoding="utf-8")
        size_mb = path.stat().st_size / 2**20
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        raw_t, raw_peak = best_of(lambda: yaml.load(text, Loader=loader), args.repeat)  # noqa: S506  # CSafeLoader is a safe loader
        ours_t, ours_peak = best_of(lambda: cp.load_county(path), args.repeat)
    print(f"file: {args.communities} communities, {size_mb:.1f} MiB")
    print(f"yaml.load(CSafeLoader): {raw_t:.3f} s, peak {raw_peak / 2**20:.0f} MiB")
    print(f"cp.load_county:         {ours_t:.3f} s, peak {ours_peak / 2**20:.0f} MiB")
    print(f"ratio load_county / raw parse: {ours_t / raw_t:.2f} (target <= 2.0)")


if __name__ == "__main__":
    main()
