"""``countypolicing classify`` and ``countypolicing assess``: screen, rank, diff, score.

``classify`` grades every risk point, classifies every community (the shipped
rulesets unless ``--grading``/``--rules`` name others), and prints the classes;
``--rank`` prints the ranking (梳理排队) with each position's reason, ``--by``
the roll-up per police station or township, ``--campaign-diff A B`` what changed
between two screenings, ``--save`` keeps a screening for a later diff.
``assess`` scores townships, departments and stations on an indicator set.
"""

from __future__ import annotations

import argparse
import csv
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING

from countypolicing.datasets import default_indicator_set, default_ruleset, yueyanglou
from countypolicing.exceptions import ModelError
from countypolicing.model import County
from countypolicing.operations import (
    Assessment,
    CampaignDiff,
    ScreeningResult,
    SubjectKind,
    assess,
    diff_campaigns,
    format_assessment,
    format_campaign_diff,
    format_ranking,
    format_rollups,
    rollup,
    screen,
)
from countypolicing.rules import Classifier, Decision, RuleSet, compile_ruleset
from countypolicing.serialization import (
    load_county,
    load_indicator_set,
    load_ruleset,
    load_screening,
    save_screening,
)

if TYPE_CHECKING:
    from countypolicing._cli import Subparsers

__all__ = [
    "classify_county",
    "demo_text",
    "format_classification",
    "register",
    "screen_county",
]

BUNDLED = "bundled:yueyanglou"


def register(sub: Subparsers) -> None:
    """Add the ``classify`` and ``assess`` subcommands."""
    parser = sub.add_parser(
        "classify",
        help="grade risk points, classify and rank communities, diff screenings",
        description="Grade each risk point with the risk-matrix ruleset, then put "
        "each community into a risk class with the community ruleset; print the "
        "class and the rule that decided it. --rank prints the ranking with each "
        "position's reason, --by the roll-up per police station or township, "
        "--campaign-diff what changed between two screenings. A screening is taken "
        "as of a day (--as-of, default: the county's as_of).",
        epilog="examples:\n"
        "  countypolicing classify\n"
        "  countypolicing classify --rank --top 10 --explain\n"
        "  countypolicing classify --by station\n"
        "  countypolicing classify --save screening-2020-09.yaml\n"
        "  countypolicing classify --campaign-diff 2020-07-01 2020-09-15\n"
        "  countypolicing classify --campaign-diff screening-2020-06.yaml 2020-09-15\n"
        "  countypolicing classify my-county/ --rules my-classes.yaml --format csv",
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
    parser.add_argument(
        "--as-of", type=_day, help="screening day YYYY-MM-DD (default: the county's)"
    )
    parser.add_argument(
        "--scope",
        nargs="+",
        metavar="TOWNSHIP",
        help="screen only these sub-districts/townships",
    )
    parser.add_argument(
        "--missing-indicators",
        choices=("error", "zeros"),
        default="error",
        help="a community without indicators on the day: refuse (default) or "
        "screen it with zeros",
    )
    parser.add_argument(
        "--rank", action="store_true", help="print the ranking with reasons"
    )
    parser.add_argument("--top", type=int, help="only the first N positions")
    parser.add_argument(
        "--by",
        choices=("station", "township"),
        help="roll up per police station (main battlefield) or township",
    )
    parser.add_argument(
        "--campaign-diff",
        nargs=2,
        metavar=("A", "B"),
        help="compare two screenings; each is a day YYYY-MM-DD (screened now) "
        "or a file saved with --save",
    )
    parser.add_argument("--save", metavar="FILE", help="save the screening (YAML)")
    parser.add_argument("--explain", action="store_true", help="show why, rule by rule")
    parser.add_argument("--lang", choices=("en", "zh"), default="en")
    parser.add_argument("--format", choices=("table", "json", "csv"), default="table")
    parser.set_defaults(handler=_cmd_classify)

    scores = sub.add_parser(
        "assess",
        help="score townships, departments and police stations (综合绩效考核)",
        description="Compute a weighted indicator set (default: the shipped, "
        "inferred set) from the county's records and task ledger as of a day, and "
        "print each subject's score with the counts behind it.",
        epilog="examples:\n"
        "  countypolicing assess\n"
        "  countypolicing assess --by station --as-of 2020-09-15\n"
        "  countypolicing assess my-county/ --indicators my-indicators.yaml --format json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    scores.add_argument(
        "county",
        nargs="?",
        default=BUNDLED,
        help=f"county file or directory ({BUNDLED})",
    )
    scores.add_argument(
        "--indicators", help="indicator set YAML (default: the shipped one)"
    )
    scores.add_argument(
        "--as-of", type=_day, help="day YYYY-MM-DD (default: the county's as_of)"
    )
    scores.add_argument(
        "--by", choices=[k.value for k in SubjectKind], help="only one kind of subject"
    )
    scores.add_argument("--top", type=int, help="only the first N of each kind")
    scores.add_argument("--lang", choices=("en", "zh"), default="en")
    scores.add_argument("--format", choices=("table", "json", "csv"), default="table")
    scores.set_defaults(handler=_cmd_assess)


# ------------------------------------------------------------------ wiring
def load_county_arg(value: str) -> County:
    """The bundled county for ``bundled:yueyanglou``, else a county file or directory."""
    return yueyanglou() if value == BUNDLED else load_county(value)


def _rulesets(rules: str | None, grading: str | None) -> tuple[Classifier, Classifier]:
    grade = compile_ruleset(
        load_ruleset(grading) if grading else default_ruleset("risk-point-grading")
    )
    classes: RuleSet = (
        load_ruleset(rules) if rules else default_ruleset("community-classification")
    )
    return grade, compile_ruleset(classes)


def screen_county(
    county: County,
    *,
    rules: str | None = None,
    grading: str | None = None,
    as_of: date | None = None,
    scope: list[str] | None = None,
    missing_indicators: str = "error",
    explain: bool = True,
) -> ScreeningResult:
    """Screen ``county`` with the named rule files, or the shipped rulesets."""
    grade, classes = _rulesets(rules, grading)
    return screen(
        county,
        grade,
        classes,
        as_of=as_of,
        scope=scope,
        missing_indicators="zeros" if missing_indicators == "zeros" else "error",
        explain=explain,
    )


def classify_county(
    county: County,
    *,
    rules: str | None = None,
    grading: str | None = None,
    explain: bool = False,
) -> list[tuple[str, Decision]]:
    """Each community's id and its decision, in county order (screened on its as_of)."""
    result = screen_county(county, rules=rules, grading=grading, explain=explain)
    stamp = result.classification
    by_id = {f.community_id: f for f in result.communities}
    return [
        (
            c.id,
            Decision(
                output=by_id[c.id].risk_class,
                rule_ids=by_id[c.id].rule_ids,
                ruleset_id=stamp.id,
                ruleset_version=stamp.version,
                ruleset_hash=stamp.hash,
                explanation=by_id[c.id].explanation,
            ),
        )
        for c in county.communities
        if c.id in by_id
    ]


def format_classification(
    county: County,
    results: list[tuple[str, Decision]],
    *,
    lang: str = "en",
    top: int | None = None,
) -> str:
    """Counts per class, then each community (most severe first) with its rule."""
    zh = lang == "zh"
    counts: dict[str, int] = {}
    for _, d in results:
        counts[str(d.output)] = counts.get(str(d.output), 0) + 1
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


def demo_text(
    county: County, *, lang: str = "en", top: int = 5, stations: int = 5
) -> str:
    """The ranking's first positions and the station roll-up, briefly, for ``demo``.

    Screens ``county`` on its ``as_of`` with the shipped rulesets.

    Examples:
        >>> print(
        ...     demo_text(yueyanglou(), top=2, stations=2)
        ... )  # doctest: +NORMALIZE_WHITESPACE
        Ranking of 107 communities on 2020-09-15: class_1 4, class_2 35, class_3 68
           1. class_1 Yueyanglou sub-district sample community 01 [Yueyanglou police station] score 1193.9 <- C1-major-risk: it has a major risk point
           2. class_1 Qiaotou community [Dongmaoling police station] score 1048.4 <- C1-major-risk: it has a major risk point
        <BLANKLINE>
        Police stations, the main battlefield (first 2 of 13)
        Police station             communities  class_1  class_2  class_3  major  significant  hazards  disputes  top community
        Zhanqianlu police station            8        1        7        0      0            2        0         1  Desheng community
        Yueyanglou police station            7        1        6        0      1            1        1         2  Yueyanglou sub-district sample community 01
    """
    result = screen_county(county, explain=False)
    units = rollup(result, by="station")
    zh = lang == "zh"
    head = (
        f"各派出所（主战场），前 {min(stations, len(units))} 个（共 {len(units)} 个）"
        if zh
        else f"Police stations, the main battlefield (first {min(stations, len(units))} of {len(units)})"
    )
    return "\n".join(
        [
            format_ranking(result, lang=lang, top=top),
            "",
            head,
            format_rollups(result, units[:stations], lang=lang),
        ]
    )


def _rank(output: object) -> int:
    rank = getattr(output, "rank", None)
    return rank if isinstance(rank, int) else 0


def _label(value: str, *, zh: bool) -> str:
    labels = {"class_1": "一类", "class_2": "二类", "class_3": "三类"}
    return labels.get(value, value) if zh else value


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date YYYY-MM-DD, got {text!r}"
        ) from None


# ---------------------------------------------------------------- commands
def _screening_arg(
    value: str, county: County, args: argparse.Namespace
) -> ScreeningResult:
    """A day (screen the county then) or a file saved with ``--save``."""
    try:
        day = date.fromisoformat(value)
    except ValueError:
        return load_screening(Path(value))
    return screen_county(
        county,
        rules=args.rules,
        grading=args.grading,
        as_of=day,
        scope=args.scope,
        missing_indicators=args.missing_indicators,
        explain=False,
    )


def _cmd_classify(args: argparse.Namespace) -> int:
    county = load_county_arg(args.county)
    if args.top is not None and args.top < 0:
        raise ModelError("--top must be >= 0", field="top")
    if args.campaign_diff:
        a, b = (_screening_arg(v, county, args) for v in args.campaign_diff)
        diff = diff_campaigns(a, b)
        if args.format == "table":
            sys.stdout.write(format_campaign_diff(diff, names=b, lang=args.lang) + "\n")
        else:
            _write_diff(diff, fmt=args.format)
        return 0
    result = screen_county(
        county,
        rules=args.rules,
        grading=args.grading,
        as_of=args.as_of,
        scope=args.scope,
        missing_indicators=args.missing_indicators,
        explain=args.explain,
    )
    if args.save:
        save_screening(result, args.save)
    if not args.rank and not args.by:
        _write_classes(county, result, args)
        return 0
    if args.rank:
        _write_ranking(result, args)
    if args.by:
        if args.rank and args.format == "table":
            sys.stdout.write("\n")
        _write_rollups(result, args)
    return 0


def _write_classes(
    county: County, result: ScreeningResult, args: argparse.Namespace
) -> None:
    by_id = {f.community_id: f for f in result.communities}
    order = [c.id for c in county.communities if c.id in by_id]
    stamp = result.classification
    if args.format == "json":
        rows = [
            {
                "community": cid,
                "class": str(by_id[cid].risk_class),
                "rules": list(by_id[cid].rule_ids),
                "ruleset": stamp.id,
                "ruleset_version": stamp.version,
                "ruleset_hash": stamp.hash,
                **(
                    {"explanation": by_id[cid].explanation.text(args.lang)}  # type: ignore[union-attr]  # checked
                    if by_id[cid].explanation is not None
                    else {}
                ),
            }
            for cid in order
        ]
        _json(rows)
    elif args.format == "csv":
        writer = csv.writer(sys.stdout, lineterminator="\n")
        writer.writerow(
            ["community", "name_zh", "station", "class", "rules", "ruleset_hash"]
        )
        for cid in order:
            f = by_id[cid]
            writer.writerow(
                [
                    cid,
                    result.name(cid, lang="zh"),
                    f.station_id or "",
                    str(f.risk_class),
                    " ".join(f.rule_ids),
                    stamp.hash,
                ]
            )
    else:
        results = classify_county_from(result, order)
        text = format_classification(county, results, lang=args.lang, top=args.top)
        sys.stdout.write(text + "\n")


def classify_county_from(
    result: ScreeningResult, order: list[str]
) -> list[tuple[str, Decision]]:
    """Decisions rebuilt from a screening, in ``order``."""
    stamp = result.classification
    out = []
    for cid in order:
        f = result.finding(cid)
        out.append(
            (
                cid,
                Decision(
                    output=f.risk_class,
                    rule_ids=f.rule_ids,
                    ruleset_id=stamp.id,
                    ruleset_version=stamp.version,
                    ruleset_hash=stamp.hash,
                    explanation=f.explanation,
                ),
            )
        )
    return out


def _write_ranking(result: ScreeningResult, args: argparse.Namespace) -> None:
    ranked = result.ranked(top=args.top)
    if args.format == "table":
        sys.stdout.write(
            format_ranking(result, lang=args.lang, top=args.top, explain=args.explain)
            + "\n"
        )
        return
    rows = [
        {
            "position": r.position,
            "community": r.community_id,
            "name": r.name(args.lang),
            "township": r.finding.township_id,
            "station": r.finding.station_id,
            "class": str(r.risk_class),
            "rules": list(r.finding.rule_ids),
            "score": r.score,
            "reason": r.text(args.lang),
        }
        for r in ranked
    ]
    if args.format == "json":
        _json(rows)
    else:
        _csv(rows)


def _write_rollups(result: ScreeningResult, args: argparse.Namespace) -> None:
    units = rollup(result, by=args.by)
    if args.format == "table":
        sys.stdout.write(format_rollups(result, units, lang=args.lang) + "\n")
        return
    rows = [
        {
            "by": u.by,
            "unit": u.unit_id,
            "name": result.name(u.unit_id, lang=args.lang),
            "communities": u.communities,
            **dict(u.classes),
            "major": u.major,
            "significant": u.significant,
            "general": u.general,
            "low": u.low,
            "open_hazards": u.open_hazards,
            "open_disputes": u.open_disputes,
            "score": u.score,
            "top": " ".join(u.top),
        }
        for u in units
    ]
    if args.format == "json":
        _json(rows)
    else:
        _csv(rows)


def _write_diff(diff: CampaignDiff, *, fmt: str) -> None:
    communities = [
        {
            "community": c.community_id,
            "move": c.move.value,
            "class_before": c.class_before,
            "class_after": c.class_after,
            "changed_rule": c.changed_rule,
            "inputs": {name: [x, y] for name, x, y in c.inputs},
        }
        for c in diff.communities
    ]
    risks = [
        {
            "risk_point": r.risk_point_id,
            "community": r.community_id,
            "change": r.kind.value,
            "level_before": None if r.level_before is None else r.level_before.value,
            "level_after": None if r.level_after is None else r.level_after.value,
        }
        for r in diff.risks
    ]
    if fmt == "json":
        _json(
            {
                "before": diff.before_as_of.isoformat(),
                "after": diff.after_as_of.isoformat(),
                "rulesets_changed": list(diff.rulesets_changed),
                "communities": communities,
                "risks": risks,
            }
        )
    else:
        _csv(
            [
                {
                    "what": "community",
                    "id": c["community"],
                    "change": c["move"],
                    "before": c["class_before"],
                    "after": c["class_after"],
                    "rule": c["changed_rule"],
                }
                for c in communities
            ]
            + [
                {
                    "what": "risk_point",
                    "id": r["risk_point"],
                    "change": r["change"],
                    "before": r["level_before"],
                    "after": r["level_after"],
                    "rule": None,
                }
                for r in risks
            ]
        )


def _cmd_assess(args: argparse.Namespace) -> int:
    county = load_county_arg(args.county)
    indicators = (
        load_indicator_set(args.indicators)
        if args.indicators
        else default_indicator_set()
    )
    day = args.as_of if args.as_of is not None else county.as_of
    if day is None:
        raise ModelError("the county has no as_of date; pass --as-of", field="as_of")
    result = assess(county, indicators, as_of=day)
    if args.format == "table":
        sys.stdout.write(
            format_assessment(result, kind=args.by, lang=args.lang, top=args.top) + "\n"
        )
        return 0
    rows = _assessment_rows(result, args)
    if args.format == "json":
        _json(rows)
    else:
        flat = [
            {
                "kind": r["kind"],
                "subject": r["subject"],
                "rank": r["rank"],
                "score": r["score"],
                **{
                    line["indicator"]: f"{line['numerator']}/{line['denominator']}"
                    for line in r["lines"]  # type: ignore[attr-defined]  # a list
                },
            }
            for r in rows
        ]
        _csv(flat)
    return 0


def _assessment_rows(
    result: Assessment, args: argparse.Namespace
) -> list[dict[str, object]]:
    kinds = [SubjectKind(args.by)] if args.by else list(SubjectKind)
    return [
        {
            "kind": s.kind.value,
            "subject": s.subject_id,
            "name": s.name_zh if args.lang == "zh" or s.name_en is None else s.name_en,
            "rank": s.rank,
            "score": s.score,
            "lines": [
                {
                    "indicator": line.indicator_id,
                    "measure": line.measure.value,
                    "weight": line.weight,
                    "numerator": line.numerator,
                    "denominator": line.denominator,
                    "value": line.value,
                    "points": line.points,
                    "missed": list(line.missed),
                }
                for line in s.lines
            ],
        }
        for kind in kinds
        for s in result.of(kind)[: args.top]
    ]


def _json(data: object) -> None:
    json.dump(data, sys.stdout, ensure_ascii=False, indent=2)
    sys.stdout.write("\n")


def _csv(rows: Sequence[Mapping[str, object]]) -> None:
    writer = csv.writer(sys.stdout, lineterminator="\n")
    if not rows:
        return
    header = list(dict.fromkeys(k for row in rows for k in row))
    writer.writerow(header)
    for row in rows:
        writer.writerow(["" if row.get(k) is None else row.get(k) for k in header])
