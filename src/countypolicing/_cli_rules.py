"""``countypolicing classify``: grade risk points and classify every community."""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections import Counter
from typing import TYPE_CHECKING

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.model import County, RiskLevel
from countypolicing.rules import Decision, community_records, compile_ruleset
from countypolicing.serialization import load_county, load_ruleset

if TYPE_CHECKING:
    from countypolicing._cli import Subparsers

__all__ = ["classify_county", "format_classification", "register"]

BUNDLED = "bundled:yueyanglou"


def register(sub: Subparsers) -> None:
    """Add the ``classify`` subcommand."""
    parser = sub.add_parser(
        "classify",
        help="grade every risk point and classify every community, with reasons",
        description="Grade each risk point with the risk-matrix ruleset, then put "
        "each community into a risk class with the community ruleset; print the "
        "class and the rule that decided it.",
        epilog="examples:\n"
        "  countypolicing classify\n"
        "  countypolicing classify my-county/ --rules my-classes.yaml --explain\n"
        "  countypolicing classify --format csv > classes.csv",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "county",
        nargs="?",
        default=BUNDLED,
        help=f"county file or directory ({BUNDLED})",
    )
    parser.add_argument("--rules", help="community ruleset (default: the shipped one)")
    parser.add_argument(
        "--grading", help="risk-point ruleset (default: the shipped matrix)"
    )
    parser.add_argument("--explain", action="store_true", help="show why, rule by rule")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.set_defaults(handler=_cmd_classify)


def load_county_arg(value: str) -> County:
    """The bundled county for ``bundled:yueyanglou``, else a county file or directory."""
    return yueyanglou() if value == BUNDLED else load_county(value)


def classify_county(
    county: County,
    *,
    rules: str | None = None,
    grading: str | None = None,
    explain: bool = False,
) -> list[tuple[str, Decision]]:
    """Each community's id and its decision, in county order."""
    grade = compile_ruleset(
        load_ruleset(grading) if grading else default_ruleset("risk-point-grading")
    )
    levels: dict[str, RiskLevel] = {}
    for rp in county.risk_points:
        output = grade.classify(rp).output
        levels[rp.id] = (
            output if isinstance(output, RiskLevel) else RiskLevel(str(output))
        )
    classifier = compile_ruleset(
        load_ruleset(rules) if rules else default_ruleset("community-classification")
    )
    records = community_records(county, levels=levels)
    decisions = classifier.classify_many(records, explain=explain)
    return [(c.id, d) for c, d in zip(county.communities, decisions, strict=True)]


def format_classification(
    county: County,
    results: list[tuple[str, Decision]],
    *,
    lang: str = "en",
    top: int | None = None,
) -> str:
    """Counts per class, then each community (most severe first) with its rule."""
    zh = lang == "zh"
    counts = Counter(str(d.output) for _, d in results)
    lines = [
        ("社区(村)风险类别：" if zh else "Community risk classes: ")
        + ", ".join(f"{_label(k, zh=zh)} {v}" for k, v in sorted(counts.items()))
    ]
    ranked = sorted(results, key=lambda item: (-_rank(item[1].output), item[0]))
    for community_id, decision in ranked[:top]:
        community = county.community(community_id)
        station = county.station_for(community_id)
        name = community.name_zh if zh else (community.name_en or community.name_zh)
        where = (
            (station.name_zh if zh else (station.name_en or station.name_zh))
            if station
            else "-"
        )
        rule = ", ".join(decision.rule_ids) or ("默认" if zh else "default")
        lines.append(
            f"  {_label(str(decision.output), zh=zh):<8} {name} [{where}] <- {rule}"
        )
        if decision.explanation is not None:
            lines.extend(
                "      " + line for line in decision.explanation.text(lang).splitlines()
            )
    return "\n".join(lines)


def _rank(output: object) -> int:
    rank = getattr(output, "rank", None)
    return rank if isinstance(rank, int) else 0


def _label(value: str, *, zh: bool) -> str:
    labels = {"class_1": "一类", "class_2": "二类", "class_3": "三类"}
    return labels.get(value, value) if zh else value


def _cmd_classify(args: argparse.Namespace) -> int:
    county = load_county_arg(args.county)
    results = classify_county(
        county, rules=args.rules, grading=args.grading, explain=args.explain
    )
    if args.format == "json":
        rows = [
            {
                "community": cid,
                "class": str(d.output),
                "rules": list(d.rule_ids),
                "ruleset": d.ruleset_id,
                "ruleset_version": d.ruleset_version,
                "ruleset_hash": d.ruleset_hash,
                **(
                    {"explanation": d.explanation.text(args.lang)}
                    if d.explanation
                    else {}
                ),
            }
            for cid, d in results
        ]
        json.dump(rows, sys.stdout, ensure_ascii=False, indent=2)
        sys.stdout.write("\n")
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            ["community", "name_zh", "station", "class", "rules", "ruleset_hash"]
        )
        for cid, d in results:
            station = county.station_for(cid)
            writer.writerow(
                [
                    cid,
                    county.community(cid).name_zh,
                    station.id if station else "",
                    str(d.output),
                    " ".join(d.rule_ids),
                    d.ruleset_hash,
                ]
            )
    else:
        sys.stdout.write(format_classification(county, results, lang=args.lang) + "\n")
    return 0
