"""Columnar screening against columnar classification alone, in one process.

Run: ``python benchmarks/bench_screening.py [--communities 100000] [--risks 1000000] [--repeat 7]``.

A seeded county of 100k communities and 1M risk points, as columns, screened with
the shipped rulesets through `countypolicing.operations.screen_columns`: grade every
risk point, aggregate them per community (``np.bincount``), classify every
community, score and rank. The reference is the columnar classification of the
same rows alone: ``Classifier.classify_columns`` of the grading over the risk-point
columns plus ``classify_columns`` of the community ruleset over community columns
whose aggregates were prebuilt. Prints, best of N, both times and the ratio
(target: total <= 2x classification alone, i.e. aggregation and ranking cost no
more than the classification).
"""

from __future__ import annotations

import argparse
import time
from collections.abc import Callable
from typing import Any

import numpy as np

from countypolicing.datasets import default_ruleset
from countypolicing.operations._screening_columns import screen_columns
from countypolicing.operations._screening_core import aggregate_risks, level_codes
from countypolicing.rules import compile_ruleset

Array = Any  # numpy arrays


def make_tables(
    communities: int, risks: int, *, seed: int = 20200915
) -> tuple[dict[str, Array], dict[str, Array]]:
    """Seeded community and risk-point columns, as a large county would hold them."""
    rng = np.random.default_rng(seed)
    n, m = communities, risks
    population = rng.integers(300, 20_000, n)
    comm = {
        "id": np.array([f"c{i:07d}" for i in rng.permutation(n)]),
        "population": population,
        "rental_units": (population * rng.uniform(0.0, 0.4, n)).astype(np.int64),
        "calls_per_1000": np.round(rng.gamma(2.0, 8.0, n), 1),
        "prior_incidents": rng.poisson(3.0, n),
        "disputes_open": rng.poisson(1.5, n),
        "station": rng.integers(0, n // 12 + 1, n),
    }
    rp = {
        "community": rng.integers(0, n, m),
        "likelihood": rng.integers(1, 6, m),
        "severity": rng.integers(1, 6, m),
        "open": rng.random(m) > 0.1,
        "open_hazards": rng.poisson(0.1, m),
    }
    return comm, rp


def interleaved(fns: dict[str, Callable[[], object]], repeat: int) -> dict[str, float]:
    """Best time of each function, the functions taking turns (drift hits all alike)."""
    times: dict[str, list[float]] = {name: [] for name in fns}
    for _ in range(repeat):
        for name, fn in fns.items():
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)
    return {name: min(values) for name, values in times.items()}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--communities", type=int, default=100_000)
    parser.add_argument("--risks", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=7)
    args = parser.parse_args()

    grading = compile_ruleset(default_ruleset("risk-point-grading"))
    classification = compile_ruleset(default_ruleset("community-classification"))
    comm, rp = make_tables(args.communities, args.risks)
    n = args.communities

    # The reference: classification of the same rows, aggregates prebuilt.
    levels = level_codes(grading.classify_columns(rp), grading)
    prebuilt = {
        **{k: v for k, v in comm.items() if k not in {"id", "station"}},
        **aggregate_risks(n, rp["community"], levels, rp["open"]),
        "open_hazards": np.bincount(
            rp["community"], weights=rp["open_hazards"], minlength=n
        ).astype(np.int64),
    }

    def alone() -> None:
        grading.classify_columns(rp)
        classification.classify_columns(prebuilt)

    def grade_only() -> None:
        grading.classify_columns(rp)

    def total() -> None:
        screen_columns(comm, rp, grading, classification)

    table = screen_columns(comm, rp, grading, classification)
    expected = classification.classify_columns(prebuilt)
    if not all(str(a) == str(b) for a, b in zip(table.classes, expected, strict=True)):
        raise SystemExit("screen_columns disagrees with classify_columns")

    best = interleaved(
        {"grade": grade_only, "alone": alone, "total": total}, args.repeat
    )
    t_grade, t_alone, t_total = best["grade"], best["alone"], best["total"]
    print(
        f"county: {n:,} communities, {args.risks:,} risk points; best of {args.repeat}"
    )
    print(f"classify_columns, grading alone:          {t_grade:.3f} s")
    print(f"classify_columns, grading + communities:  {t_alone:.3f} s")
    print(f"screen_columns (grade+aggregate+classify+rank): {t_total:.3f} s")
    print(
        f"ratio screen / classification alone: {t_total / t_alone:.2f} "
        "(target <= 2.0: aggregation and ranking overhead <= 1x)"
    )
    print("class counts:", dict(table.class_counts()))
    print("top 3:", table.ranked_ids(top=3))


if __name__ == "__main__":
    main()
