"""How long rule-set verification takes, on the shipped rulesets and a large generated one.

Run: ``python benchmarks/bench_verify.py [--rules 200] [--repeat 3] [--seed 7]``.

Prints, best of N, the time of ``countypolicing.rules.verify`` for:

- the two shipped rulesets (``risk-point-grading``, ``community-classification``);
- a seeded, generated ruleset of ``--rules`` rules over 12 fields (6 int, 2 float,
  2 enum, 2 bool): each rule a conjunction of one to three single-field comparisons,
  one rule in ten with a disjunction, one in ten with a linear condition over two
  fields; under the ``first``, ``unique`` and ``priority`` hit policies.

Each is run with the bounded search for cross-field conditions (``solver="search"``)
and, when z3-solver is installed (``pip install 'countypolicing[verify]'``), with z3.
"""

from __future__ import annotations

import argparse
import importlib.util
import random
import time
from collections.abc import Callable
from functools import partial
from typing import Literal

from countypolicing.datasets import default_ruleset
from countypolicing.rules import RuleSet, VerificationReport, ruleset_from_data, verify

INTS = (
    "population",
    "rental_units",
    "prior_incidents",
    "disputes_open",
    "petitions",
    "grid_workers",
)
FLOATS = ("calls_per_1000", "share_rented")
ENUMS = {
    "kind": ["urban", "village", "fishing", "campus", "mixed", "scenic"],
    "station": ["s1", "s2", "s3", "s4"],
}
BOOLS = ("has_railway", "has_scenic_area")
LEVELS = ["red", "orange", "yellow", "blue"]


def _atom(rng: random.Random) -> str:
    roll = rng.random()
    if roll < 0.45:
        name = rng.choice(INTS)
        return f"{name} {rng.choice(['<', '<=', '>', '>=', '==', '!='])} {rng.randint(0, 40)}"
    if roll < 0.65:
        name = rng.choice(FLOATS)
        return f"{name} {rng.choice(['<', '>='])} {rng.randint(0, 60) / 2}"
    if roll < 0.85:
        name, values = rng.choice(sorted(ENUMS.items()))
        chosen = rng.sample(values, rng.randint(1, 3))
        word = rng.choice(["in", "not in"])
        return f"{name} {word} ({', '.join(repr(v) for v in chosen)},)"
    name = rng.choice(BOOLS)
    return name if rng.random() < 0.5 else f"not {name}"


def _condition(rng: random.Random) -> str:
    parts = [_atom(rng) for _ in range(rng.randint(1, 3))]
    roll = rng.random()
    if roll < 0.1:
        parts.append(f"({_atom(rng)} or {_atom(rng)})")
    elif roll < 0.2:
        a, b = rng.sample(INTS, 2)
        parts.append(f"{a} * {rng.randint(1, 5)} > {b} + {rng.randint(0, 30)}")
    return " and ".join(parts)


def generated(n: int, seed: int, policy: str) -> RuleSet:
    """A seeded ruleset of ``n`` rules over 12 fields."""
    rng = random.Random(seed)
    fields: dict[str, object] = {
        **dict.fromkeys(INTS, "int"),
        **dict.fromkeys(FLOATS, "float"),
        **{k: {"enum": v} for k, v in ENUMS.items()},
        **dict.fromkeys(BOOLS, "bool"),
    }
    rules = [
        {"id": f"R{i:03d}", "when": _condition(rng), "then": rng.choice(LEVELS)}
        for i in range(n)
    ]
    return ruleset_from_data(
        {
            "ruleset": f"generated-{policy}",
            "version": "1",
            "fields": fields,
            "output": {"name": "level", "values": LEVELS},
            "hit_policy": policy,
            "default": "blue",
            "rules": rules,
        }
    )


def best_of(
    repeat: int, run: Callable[[], VerificationReport]
) -> tuple[float, VerificationReport]:
    best = float("inf")
    report = run()
    for _ in range(repeat):
        start = time.perf_counter()
        report = run()
        best = min(best, time.perf_counter() - start)
    return best, report


def summary(report: VerificationReport) -> str:
    counts: dict[str, int] = {}
    for f in report.findings:
        counts[str(f.kind)] = counts.get(str(f.kind), 0) + 1
    found = ", ".join(f"{k} {v}" for k, v in counts.items()) or "no findings"
    return f"{found}; {'exact' if report.exact else 'partly searched'}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rules", type=int, default=200)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args()
    solvers: list[Literal["search", "z3"]] = ["search"]
    if importlib.util.find_spec("z3") is not None:
        solvers.append("z3")
    cases: list[tuple[str, RuleSet]] = [
        ("risk-point-grading (5 rules)", default_ruleset("risk-point-grading")),
        (
            "community-classification (7 rules)",
            default_ruleset("community-classification"),
        ),
    ]
    cases += [
        (
            f"generated {args.rules} rules, 12 fields, {policy}",
            generated(args.rules, args.seed, policy),
        )
        for policy in ("first", "unique", "priority")
    ]
    for label, rs in cases:
        for solver in solvers:
            seconds, report = best_of(args.repeat, partial(verify, rs, solver=solver))
            print(
                f"{label:<46} {solver:<6} {seconds * 1000:9.1f} ms   {summary(report)}"
            )


if __name__ == "__main__":
    main()
