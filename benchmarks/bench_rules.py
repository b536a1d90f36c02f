"""Rule engine speed against hand-written Python and numpy, in one process.

Run: ``python benchmarks/bench_rules.py [--records 100000] [--repeat 5]``.

A seeded data set of community indicators (12 fields) and a 9-rule first-match
ruleset using and/or/not, ``in`` and arithmetic across fields. Prints, best of N:

- per record: ``Classifier.classify`` over dicts versus a hand-written ``if``/``elif``
  returning the same prebuilt results (target <= 1.3x);
- ``explain=True`` versus plain ``classify`` (target <= 2x);
- columnar: ``Classifier.classify_columns`` versus a hand-written ``np.select`` on
  prebuilt columns (target <= 2x).
"""

from __future__ import annotations

import argparse
import random
import time
from collections.abc import Callable

import numpy as np

from countypolicing.rules import compile_ruleset, ruleset_from_data

RULESET = {
    "ruleset": "bench-community",
    "version": "1",
    "fields": {
        "population": "int",
        "rental_units": "int",
        "calls_per_1000": "float",
        "prior_incidents": "int",
        "disputes_open": "int",
        "petitions": "int",
        "grid_workers": "int",
        "key_persons": "int",
        "has_railway": "bool",
        "has_scenic_area": "bool",
        "kind": {"enum": ["urban", "village", "fishing", "campus", "mixed", "scenic"]},
        "open_hazards": "int",
    },
    "output": {"name": "level", "values": ["red", "orange", "yellow", "blue"]},
    "hit_policy": "first",
    "default": "blue",
    "rules": [
        {
            "id": "R1",
            "when": "prior_incidents >= 8 and disputes_open >= 10",
            "then": "red",
        },
        {"id": "R2", "when": "calls_per_1000 * 2 + disputes_open > 60", "then": "red"},
        {
            "id": "R3",
            "when": "rental_units * 100 > population * 35 and (disputes_open >= 6 or not has_scenic_area)",
            "then": "orange",
        },
        {"id": "R4", "when": "has_railway and prior_incidents >= 4", "then": "orange"},
        {
            "id": "R5",
            "when": "kind in ('campus', 'scenic') and petitions > 3",
            "then": "orange",
        },
        {"id": "R6", "when": "key_persons * 10 > grid_workers * 15", "then": "yellow"},
        {"id": "R7", "when": "open_hazards >= 3 or petitions >= 5", "then": "yellow"},
        {
            "id": "R8",
            "when": "calls_per_1000 > 25 and kind != 'village'",
            "then": "yellow",
        },
        {"id": "R9", "when": "not has_railway and disputes_open > 4", "then": "yellow"},
    ],
}


def hand_written(r: dict[str, object]) -> object:  # noqa: PLR0911  # the hand-written baseline
    """The same ruleset as a careful programmer would write it by hand."""
    d = DECISIONS
    if r["prior_incidents"] >= 8 and r["disputes_open"] >= 10:  # type: ignore[operator]
        return d[0]
    if r["calls_per_1000"] * 2 + r["disputes_open"] > 60:  # type: ignore[operator]
        return d[1]
    if r["rental_units"] * 100 > r["population"] * 35 and (  # type: ignore[operator]
        r["disputes_open"] >= 6 or not r["has_scenic_area"]  # type: ignore[operator]
    ):
        return d[2]
    if r["has_railway"] and r["prior_incidents"] >= 4:  # type: ignore[operator]
        return d[3]
    if r["kind"] in ("campus", "scenic") and r["petitions"] > 3:  # type: ignore[operator]
        return d[4]
    if r["key_persons"] * 10 > r["grid_workers"] * 15:  # type: ignore[operator]
        return d[5]
    if r["open_hazards"] >= 3 or r["petitions"] >= 5:  # type: ignore[operator]
        return d[6]
    if r["calls_per_1000"] > 25 and r["kind"] != "village":  # type: ignore[operator]
        return d[7]
    if not r["has_railway"] and r["disputes_open"] > 4:  # type: ignore[operator]
        return d[8]
    return d[9]


DECISIONS: list[object] = []


def records(n: int, seed: int = 7) -> list[dict[str, object]]:
    """A seeded list of ``n`` community indicator records."""
    rng = random.Random(seed)
    kinds = ["urban", "village", "fishing", "campus", "mixed", "scenic"]
    out = []
    for _ in range(n):
        population = rng.randint(500, 20000)
        out.append(
            {
                "population": population,
                "rental_units": rng.randint(0, population // 2),
                "calls_per_1000": round(rng.uniform(0, 40), 2),
                "prior_incidents": rng.randint(0, 12),
                "disputes_open": rng.randint(0, 14),
                "petitions": rng.randint(0, 7),
                "grid_workers": rng.randint(1, 20),
                "key_persons": rng.randint(0, 20),
                "has_railway": rng.random() < 0.1,
                "has_scenic_area": rng.random() < 0.05,
                "kind": rng.choice(kinds),
                "open_hazards": rng.randint(0, 4),
            }
        )
    return out


def hand_select(c: dict[str, np.ndarray]) -> np.ndarray:
    """``np.select`` written by hand over prebuilt columns."""
    conditions = [
        (c["prior_incidents"] >= 8) & (c["disputes_open"] >= 10),
        c["calls_per_1000"] * 2 + c["disputes_open"] > 60,
        (c["rental_units"] * 100 > c["population"] * 35)
        & ((c["disputes_open"] >= 6) | ~c["has_scenic_area"]),
        c["has_railway"] & (c["prior_incidents"] >= 4),
        np.isin(c["kind"], ["campus", "scenic"]) & (c["petitions"] > 3),
        c["key_persons"] * 10 > c["grid_workers"] * 15,
        (c["open_hazards"] >= 3) | (c["petitions"] >= 5),
        (c["calls_per_1000"] > 25) & (c["kind"] != "village"),
        ~c["has_railway"] & (c["disputes_open"] > 4),
    ]
    choices = [
        "red",
        "red",
        "orange",
        "orange",
        "orange",
        "yellow",
        "yellow",
        "yellow",
        "yellow",
    ]
    return np.select(conditions, choices, default="blue")


def best(fn: Callable[[], object], repeat: int) -> float:
    """Best wall time of ``repeat`` runs."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        fn()
        times.append(time.perf_counter() - start)
    return min(times)


def main() -> None:
    """Time each pair side by side and print the ratios."""
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--records", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    clf = compile_ruleset(ruleset_from_data(RULESET))
    DECISIONS.extend(clf._decisions)  # noqa: SLF001  # the same prebuilt results
    DECISIONS.append(
        clf.classify(
            records(1)[0]
            | {
                "prior_incidents": 0,
                "disputes_open": 0,
                "calls_per_1000": 0.0,
                "rental_units": 0,
                "has_railway": False,
                "petitions": 0,
                "key_persons": 0,
                "open_hazards": 0,
            }
        )
    )
    data = records(args.records)
    classify = clf.classify
    for r in data[:2000]:
        if classify(r).output != hand_written(r).output:  # type: ignore[attr-defined]
            raise SystemExit("the classifier and the hand-written code disagree")
    t_hand = best(lambda: [hand_written(r) for r in data], args.repeat)
    t_ours = best(lambda: [classify(r) for r in data], args.repeat)

    def explain_all() -> None:
        for r in data:
            classify(r, explain=True)

    def plain_all() -> None:
        for r in data:
            classify(r)

    trusted = compile_ruleset(ruleset_from_data(RULESET), check_values=False).classify
    t_trusted = best(lambda: [trusted(r) for r in data], args.repeat)
    t_plain_loop = best(plain_all, args.repeat)
    t_explain = best(explain_all, args.repeat)
    t_explain_kept = best(
        lambda: [classify(r, explain=True) for r in data], args.repeat
    )
    n = len(data)
    print(f"records: {n}")
    print(f"hand-written if/elif:     {n / t_hand / 1e6:6.2f} M rec/s")
    print(
        f"Classifier.classify:      {n / t_ours / 1e6:6.2f} M rec/s   ratio {t_ours / t_hand:.2f} (target <= 1.3)"
    )
    print(
        f"  check_values=False:     {n / t_trusted / 1e6:6.2f} M rec/s   "
        f"ratio {t_trusted / t_hand:.2f} (records you validated yourself)"
    )
    print(
        f"classify(explain=True):   {n / t_explain / 1e6:6.2f} M rec/s   ratio to plain {t_explain / t_plain_loop:.2f} (target <= 2.0)"
    )
    print(
        f"  ... keeping all {n} explained decisions in a list: ratio {t_explain_kept / t_ours:.2f} (the cyclic GC scans the kept objects)"
    )
    columns = {k: np.array([r[k] for r in data]) for k in data[0]}
    try:
        expected = hand_select(columns)
        got = clf.classify_columns(columns)
        if [str(x) for x in got] != list(expected):
            raise SystemExit("classify_columns and np.select disagree")
        t_np = best(lambda: hand_select(columns), args.repeat)
        t_cols = best(lambda: clf.classify_columns(columns), args.repeat)
        print(f"hand-written np.select:   {n / t_np / 1e6:6.2f} M rec/s")
        print(
            f"Classifier.classify_columns: {n / t_cols / 1e6:6.2f} M rec/s   ratio {t_cols / t_np:.2f} (target <= 2.0)"
        )
    except ImportError as exc:  # pragma: no cover
        print(f"columnar skipped: {exc}")


if __name__ == "__main__":
    main()
