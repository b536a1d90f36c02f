"""``countypolicing disputes``: route disputes, read their clocks, count the results.

Subcommands: ``route`` (which channel and handler first, and why), ``status`` (each
dispute's state, level and timers as of a day; with ``--dispute``, its history) and
``metrics`` (resolution, levels, speed, escalations, police hours diverted).
Nothing reads the clock: ``--as-of`` defaults to the county's own ``as_of`` date.

Exit codes: 0 ok; 1 findings (``route``: a route whose preferred handler is
missing; ``status``: a dispute past its mediation target or a service level);
2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Sequence
from datetime import date
from typing import TYPE_CHECKING, Final

from countypolicing.datasets import default_ruleset, yueyanglou
from countypolicing.exceptions import CountyPolicingError, ModelError
from countypolicing.graph import build_responsibility_graph
from countypolicing.model import County, Dispute
from countypolicing.operations._dispute_metrics import (
    DEFAULT_POLICE_HOURS_PER_DISPUTE,
    DisputeMetrics,
    dispute_metrics,
)
from countypolicing.operations._disputes import (
    DisputeTimers,
    MediationPolicy,
    Timer,
    dispute_timers,
    reconstruct_history,
)
from countypolicing.operations._mediation import (
    RoutingDecision,
    route_dispute,
    stationed_mediator_ids,
)
from countypolicing.rules import compile_ruleset
from countypolicing.serialization import load_county, load_ruleset

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001  # argparse gives it no public name

__all__ = ["LENGSHUIPU_DISPUTE", "demo_text", "main", "register"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2

BUNDLED: Final = "bundled:yueyanglou"

#: The article's dispute: Cao vs the project department over construction cracks.
LENGSHUIPU_DISPUTE: Final = "lengshuipu-construction-cracks"

_EPILOG: Final = """\
examples:
  countypolicing disputes route
  countypolicing disputes route bundled:yueyanglou --dispute dispute-01 --explain
  countypolicing disputes route my-county/ --rules my-routing.yaml --format json
  countypolicing disputes status --as-of 2020-09-15
  countypolicing disputes status --dispute lengshuipu-construction-cracks --lang zh
  countypolicing disputes metrics --as-of 2020-09-15 --hours-per-dispute 3

exit codes: 0 ok, 1 findings, 2 bad input"""


def _say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)  # a command line prints


def _json(obj: object) -> None:
    _say(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False))


def _county(source: str) -> County:
    return yueyanglou() if source == BUNDLED else load_county(source)


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date YYYY-MM-DD, got {text!r}"
        ) from None


def _as_of(args: argparse.Namespace, county: County) -> date:
    day: date | None = args.as_of if args.as_of is not None else county.as_of
    if day is None:
        raise ModelError(
            f"county {county.id!r} has no as_of date; give --as-of YYYY-MM-DD",
            field="as_of",
        )
    return day


def _chosen(args: argparse.Namespace, county: County) -> list[Dispute]:
    if not args.dispute:
        return list(county.disputes)
    return [county.dispute(i) for i in args.dispute]


# ---------------------------------------------------------------- route
def _route_json(r: RoutingDecision, *, lang: str, explain: bool) -> dict[str, object]:
    out: dict[str, object] = {
        "dispute": r.dispute_id,
        "route": str(r.route),
        "channel": str(r.channel),
        "handler_id": r.handler_id,
        "handler": r.name(r.handler_id, lang) if r.handler_id else None,
        "co_handler_ids": list(r.co_handler_ids),
        "team_id": r.team_id,
        "station_id": r.station_id,
        "link": str(r.link) if r.link is not None else None,
        "mediator_ids": list(r.mediator_ids),
        "rule_ids": list(r.rule_ids),
        "reason": r.reason.text(lang) if r.reason is not None else None,
        "notes": [n.text(lang) for n in r.notes],
        "resolved": r.resolved,
    }
    if explain and r.decision is not None and r.decision.explanation is not None:
        out["explanation"] = r.decision.explanation.text(lang)
    return out


def _cmd_route(args: argparse.Namespace) -> int:
    county = _county(args.county)
    ruleset = (
        load_ruleset(args.rules) if args.rules else default_ruleset("dispute-routing")
    )
    classifier = compile_ruleset(ruleset)
    graph = build_responsibility_graph(county)
    decisions = [
        route_dispute(d, county, classifier=classifier, graph=graph)
        for d in _chosen(args, county)
    ]
    if args.format == "json":
        _json([_route_json(r, lang=args.lang, explain=args.explain) for r in decisions])
    else:
        blocks = []
        for r in decisions:
            text = r.text(args.lang)
            if args.explain and r.decision is not None and r.decision.explanation:
                text += "\n" + "\n".join(
                    "    " + line
                    for line in r.decision.explanation.text(args.lang).splitlines()
                )
            blocks.append(text)
        _say("\n".join(blocks))
    return EXIT_OK if all(r.resolved for r in decisions) else EXIT_FINDINGS


# ---------------------------------------------------------------- status
def _timer_json(t: Timer) -> dict[str, object]:
    return {
        "state": str(t.state),
        "started_on": t.started_on.isoformat() if t.started_on else None,
        "due_on": t.due_on.isoformat() if t.due_on else None,
        "stopped_on": t.stopped_on.isoformat() if t.stopped_on else None,
        "days_left": t.days_left,
    }


def _status_rows(
    disputes: Sequence[Dispute], as_of: date, policy: MediationPolicy
) -> list[tuple[Dispute, DisputeTimers]]:
    """Each dispute as it stood on ``as_of`` (if reported by then), with its clocks."""
    rows = []
    for d in disputes:
        state = reconstruct_history(d).state_on(as_of)
        if state is not None:
            rows.append((state, dispute_timers(state, as_of=as_of, policy=policy)))
    return rows


def _cmd_status(args: argparse.Namespace) -> int:
    county = _county(args.county)
    as_of = _as_of(args, county)
    policy = MediationPolicy(target_months=args.target_months)
    chosen = _chosen(args, county)
    rows = _status_rows(chosen, as_of, policy)
    zh = args.lang == "zh"
    if args.format == "json":
        _json(
            {
                "as_of": as_of.isoformat(),
                "disputes": [
                    {
                        "dispute": d.id,
                        "status": str(d.status),
                        "handling_level": str(d.handling_level),
                        "timers": {
                            t.name: _timer_json(t)
                            for t in (
                                timers.mediation,
                                timers.judicial_confirmation,
                                *timers.service_levels,
                            )
                        },
                        **(
                            {
                                "history": [
                                    e.text(args.lang)
                                    for e in reconstruct_history(d).events
                                ]
                            }
                            if args.dispute
                            else {}
                        ),
                    }
                    for d, timers in rows
                ],
            }
        )
    elif args.dispute:
        for d, timers in rows:
            history = reconstruct_history(d)
            _say(history.text(args.lang))
            _say(
                ("时限（截至 " if zh else "Clocks as of ")
                + as_of.isoformat()
                + ("）" if zh else "")
            )
            _say("\n".join("  " + line for line in timers.text(args.lang).splitlines()))
    else:
        _say(
            ("矛盾纠纷时限（截至 " + as_of.isoformat() + "）")
            if zh
            else f"Dispute clocks as of {as_of.isoformat()}"
        )
        for d, timers in rows:
            status = d.status.label_zh if zh else str(d.status)
            level = d.handling_level.label_zh if zh else str(d.handling_level)
            clocks = "; ".join(
                t.text(args.lang)
                for t in (timers.mediation, timers.judicial_confirmation)
            )
            _say(f"  {d.id:<32} {status:<20} {level:<12} {clocks}")
    overdue = [d.id for d, timers in rows if timers.overdue]
    if overdue and args.format != "json":
        _say(("超期：" if zh else "overdue: ") + ", ".join(overdue))
    return EXIT_FINDINGS if overdue else EXIT_OK


# ---------------------------------------------------------------- metrics
def _metrics_json(m: DisputeMetrics) -> dict[str, object]:
    return {
        "as_of": m.as_of.isoformat(),
        "total": m.total,
        "by_status": {str(s): n for s, n in m.by_status},
        "under_way": m.under_way,
        "concluded": m.concluded,
        "resolved": m.resolved,
        "resolution_rate": m.resolution_rate,
        "closed_at_level": {str(lv): n for lv, n in m.closed_at_level},
        "resolved_locally": m.resolved_locally,
        "local_share": m.local_share,
        "days_to_agreement": list(m.days_to_agreement),
        "median_days_to_agreement": m.median_days_to_agreement,
        "escalated_to_police": m.escalated_to_police,
        "handled_above_community": m.handled_above_community,
        "confirmations_applied": m.confirmations_applied,
        "confirmed_valid": m.confirmed_valid,
        "confirmed_invalid": m.confirmed_invalid,
        "mediation_overdue": m.mediation_overdue,
        "diverted_from_police": m.diverted_from_police,
        "hours_per_dispute": m.hours_per_dispute,
        "hours_per_dispute_is_assumption": True,
        "police_hours_diverted": m.police_hours_diverted,
    }


def county_metrics(
    county: County,
    *,
    as_of: date,
    hours_per_dispute: float = DEFAULT_POLICE_HOURS_PER_DISPUTE,
    target_months: int = 1,
) -> DisputeMetrics:
    """The grand-mediation metrics of every dispute of a county on ``as_of``."""
    return dispute_metrics(
        county.disputes,
        as_of=as_of,
        stationed_ids=stationed_mediator_ids(county),
        hours_per_dispute=hours_per_dispute,
        policy=MediationPolicy(target_months=target_months),
    )


def _cmd_metrics(args: argparse.Namespace) -> int:
    county = _county(args.county)
    metrics = county_metrics(
        county,
        as_of=_as_of(args, county),
        hours_per_dispute=args.hours_per_dispute,
        target_months=args.target_months,
    )
    if args.format == "json":
        _json(_metrics_json(metrics))
    else:
        _say(metrics.text(args.lang))
    return EXIT_OK


# ---------------------------------------------------------------- demo
def demo_text(county: County, *, lang: str = "en", as_of: date | None = None) -> str:
    """The Lengshuipu dispute's history and the county's mediation metrics, for ``demo``.

    Falls back to the metrics alone for a county without the Lengshuipu dispute.

    Raises:
        ModelError: neither ``as_of`` nor the county's ``as_of`` is known.
    """
    zh = lang == "zh"
    day = as_of if as_of is not None else county.as_of
    if day is None:
        raise ModelError("the county has no as_of date; give one", field="as_of")
    lines = ["大调解" if zh else "Grand mediation (大调解)"]
    if any(d.id == LENGSHUIPU_DISPUTE for d in county.disputes):
        history = reconstruct_history(county.dispute(LENGSHUIPU_DISPUTE))
        state = history.state_on(day)
        lines.append("冷水铺社区纠纷：" if zh else "The Lengshuipu dispute:")
        lines.extend("  " + line for line in history.text(lang).splitlines())
        if state is not None:
            window = dispute_timers(state, as_of=day).judicial_confirmation
            lines.append("  " + window.text(lang))
    lines.append(county_metrics(county, as_of=day).text(lang))
    return "\n".join(lines)


# ---------------------------------------------------------------- parser
def _handle(args: argparse.Namespace) -> int:
    try:
        code: int = args.disputes_handler(args)
    except ExceptionGroup as group:
        if not isinstance(group, CountyPolicingError):
            raise
        _say(f"error: {group.message}", err=True)
        for exc in group.exceptions:
            _say(f"  {exc}", err=True)
        return EXIT_BAD_INPUT
    except CountyPolicingError as exc:
        _say(f"error: {exc}", err=True)
        return EXIT_BAD_INPUT
    return code


def _common(p: argparse.ArgumentParser, *, as_of: bool) -> None:
    p.add_argument(
        "county",
        nargs="?",
        default=BUNDLED,
        help=f"county file or directory (default: {BUNDLED})",
    )
    if as_of:
        p.add_argument(
            "--as-of",
            type=_day,
            metavar="YYYY-MM-DD",
            help="the day to read the clocks on (default: the county's as_of)",
        )
        p.add_argument(
            "--target-months",
            type=int,
            default=1,
            metavar="N",
            help="mediation target in months from acceptance (default: 1)",
        )
    p.add_argument("--lang", choices=("en", "zh"), default="en", help="label language")
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )


def register(sub: Subparsers) -> None:
    """Add the ``disputes`` command and its subcommands to the top-level parser."""
    disputes = sub.add_parser(
        "disputes",
        help="grand mediation: route disputes, their clocks, metrics",
        description="Disputes and grand mediation (大调解): route each dispute to a "
        "channel and handler with the routing ruleset, read each dispute's clocks "
        "(one-month mediation target, 30-day judicial-confirmation window) as of a "
        "day, and count resolution, levels, escalations and police hours diverted.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    disputes.set_defaults(handler=_handle)
    cmds = disputes.add_subparsers(
        dest="disputes_command", required=True, metavar="SUBCOMMAND"
    )

    p = cmds.add_parser("route", help="where each dispute goes first, and why")
    _common(p, as_of=False)
    p.add_argument(
        "--dispute", action="append", metavar="ID", help="only this dispute (repeat)"
    )
    p.add_argument("--rules", help="routing ruleset (default: the shipped one)")
    p.add_argument("--explain", action="store_true", help="show the rules, one by one")
    p.set_defaults(disputes_handler=_cmd_route)

    p = cmds.add_parser(
        "status", help="each dispute's state and clocks; with --dispute, its history"
    )
    _common(p, as_of=True)
    p.add_argument(
        "--dispute", action="append", metavar="ID", help="only this dispute (repeat)"
    )
    p.set_defaults(disputes_handler=_cmd_status)

    p = cmds.add_parser(
        "metrics", help="resolution, levels, speed, escalations, police hours diverted"
    )
    _common(p, as_of=True)
    p.add_argument(
        "--hours-per-dispute",
        type=float,
        default=DEFAULT_POLICE_HOURS_PER_DISPUTE,
        metavar="H",
        help="police hours per diverted dispute (default: "
        f"{DEFAULT_POLICE_HOURS_PER_DISPUTE:g}, an assumption, not a sourced figure)",
    )
    p.set_defaults(disputes_handler=_cmd_metrics)


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``countypolicing disputes ...`` on its own (for tests).

    Args:
        argv: the arguments after ``countypolicing``, starting with ``disputes``.

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="countypolicing")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    code: int = args.handler(args)
    return code
