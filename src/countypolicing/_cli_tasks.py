"""``countypolicing tasks``: the work-plan ledger from the command line (挂图作战、对账销号).

Subcommands: ``init`` (create a ledger file, optionally from a county's entries),
``record`` (append one step), ``reconcile`` (对账), ``board`` (挂图), ``verify``
(check the hash chain and head), ``export`` / ``import`` (JSON Lines).
Nothing reads the clock: ``--at`` and ``--as-of`` are required where time matters.

Exit codes: 0 ok, 1 findings (discrepancies, a ledger that does not verify, a
recovered import that dropped entries), 2 bad input.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from enum import Enum
from typing import TYPE_CHECKING, Final

import attrs

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import LedgerError, ModelError, UnknownIdError
from countypolicing.model import County, LedgerEntry, SupervisionLevel, TaskAction
from countypolicing.operations import (
    Board,
    LedgerHead,
    LedgerVerification,
    Reconciliation,
    SupervisionPolicy,
    WorkPlanView,
    board,
    format_board,
    format_reconciliation,
    plan_from_county,
    reconcile,
    replay_tasks,
)
from countypolicing.serialization import load_county
from countypolicing.storage import (
    SQLiteLedger,
    export_jsonl,
    import_jsonl,
)

if TYPE_CHECKING:
    Subparsers = argparse._SubParsersAction[argparse.ArgumentParser]  # noqa: SLF001  # argparse gives it no public name

__all__ = ["demo_text", "register"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2

BUNDLED: Final = "bundled:yueyanglou"


def demo_text(county: County, *, lang: str = "en", as_of: date | None = None) -> str:
    """The reconciliation (对账) of a county's work plan as short text, for ``demo``.

    Reconciles the county's (only) plan against the county's own ledger as of
    ``as_of`` (default: the county's ``as_of``): totals, discrepancies and the five
    longest-overdue tasks, without the per-owner table.

    Raises:
        ModelError: the county has no work plan or several, or no date is known.
    """
    day = as_of if as_of is not None else county.as_of
    if day is None:
        raise ModelError("the county has no as_of date; give one", field="as_of")
    report = reconcile(plan_from_county(county), county.ledger, day)
    return format_reconciliation(report, lang=lang, limit=5, by_owner=False)


# ---------------------------------------------------------------- parsing helpers
def _as_of(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date YYYY-MM-DD, got {text!r}"
        ) from None


def _at(text: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"expected a date-time such as 2020-09-16T09:00+08:00, got {text!r}"
        ) from None
    if value.utcoffset() is None:
        raise argparse.ArgumentTypeError(
            f"{text!r} has no UTC offset; write it like 2020-09-16T09:00+08:00"
        )
    return value


def _head(text: str) -> LedgerHead:
    count, sep, last = text.partition(":")
    try:
        if not sep:
            raise ValueError  # noqa: TRY301  # same message as a bad count
        return LedgerHead(count=int(count), last_hash=last)
    except (ValueError, ModelError):
        raise argparse.ArgumentTypeError(
            f"expected COUNT:HASH (as printed by `tasks verify`), got {text!r}"
        ) from None


def _county(source: str) -> County:
    if source == BUNDLED:
        return yueyanglou()
    return load_county(source)


def _plan(args: argparse.Namespace) -> WorkPlanView:
    return plan_from_county(_county(args.county), args.plan)


def _policy(args: argparse.Namespace) -> SupervisionPolicy:
    return SupervisionPolicy(
        yellow_after_days=args.yellow_after, red_after_days=args.red_after
    )


def _jsonable(value: object) -> object:
    cls = type(value)
    if attrs.has(cls):
        return {
            f.name: _jsonable(getattr(value, f.name))
            for f in attrs.fields(cls)
            if not f.name.startswith("_") and f.name != "names"
        }
    if isinstance(value, Enum):
        return value.value
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, Mapping):
        return {str(k): _jsonable(v) for k, v in value.items()}
    if isinstance(value, tuple | list):
        return [_jsonable(v) for v in value]
    return value


def _print_json(obj: object) -> None:
    print(json.dumps(obj, ensure_ascii=False, indent=2, allow_nan=False))  # noqa: T201  # a command line prints


def _say(text: str, *, err: bool = False) -> None:
    print(text, file=sys.stderr if err else sys.stdout)  # a command line prints


def _verification_json(v: LedgerVerification) -> dict[str, object]:
    return {
        "ok": v.ok,
        "checked": v.checked,
        "head": {"count": v.good.count, "last_hash": v.good.last_hash},
        "problem": None
        if v.problem is None
        else {
            "kind": v.problem.kind.value,
            "seq": v.problem.seq,
            "line": v.problem.line,
            "message": v.problem.message,
        },
    }


def _open(path: str, *, readonly: bool = True) -> SQLiteLedger:
    return SQLiteLedger(path, create=False, readonly=readonly)


# ---------------------------------------------------------------- commands
def _cmd_init(args: argparse.Namespace) -> int:
    plan = _plan(args)
    county_entries: Sequence[LedgerEntry] = ()
    if not args.empty:
        county = _county(args.county)
        ids = {t.id for t in plan.tasks}
        county_entries = [e for e in county.ledger if e.task_id in ids]
        # Entries are renumbered only if other plans' entries were left out.
        if len(county_entries) != len(county.ledger):
            county_entries = [
                attrs.evolve(e, seq=i) for i, e in enumerate(county_entries, start=1)
            ]
    with SQLiteLedger(args.ledger) as ledger:
        if len(ledger):
            _say(
                f"error: {args.ledger} already holds {len(ledger)} entries; "
                "init only creates new ledgers",
                err=True,
            )
            return EXIT_BAD_INPUT
        ledger.extend(plan, county_entries)
        head = ledger.head()
    _say(
        f"created {args.ledger}: plan {plan.plan.id}, {head.count} entries, "
        f"head {head.count}:{head.last_hash}"
    )
    return EXIT_OK


def _cmd_record(args: argparse.Namespace) -> int:
    plan = _plan(args)
    with _open(args.ledger, readonly=False) as ledger:
        record = ledger.record(
            plan,
            task_id=args.task,
            actor_id=args.actor,
            action=args.action,
            at=args.at,
            note=args.note,
            evidence_ref=args.evidence,
            supervision=args.supervision,
            key=args.key,
        )
        task = next(t for t in replay_tasks(plan, ledger) if t.id == args.task)
    if args.format == "json":
        _print_json(
            {
                "seq": record.seq,
                "hash": record.hash,
                "task": args.task,
                "status": task.status.value,
            }
        )
    else:
        _say(
            f"entry {record.seq}: {args.task} {record.entry.action.value} by "
            f"{args.actor}; the task is now {task.status.value} "
            f"(hash {record.hash[:12]}…)"
        )
    return EXIT_OK


def _ledger_entries(
    args: argparse.Namespace, county_ledger: Sequence[LedgerEntry]
) -> tuple[Sequence[LedgerEntry], LedgerVerification | None]:
    if args.ledger is None:
        return county_ledger, None
    with _open(args.ledger) as ledger:
        verification = ledger.verify()
        return ledger.snapshot().entries(), verification


def _cmd_reconcile(args: argparse.Namespace) -> int:
    county = _county(args.county)
    plan = plan_from_county(county, args.plan)
    entries, verification = _ledger_entries(args, county.ledger)
    if verification is not None and not verification.ok:
        return _report_bad_ledger(args, verification)
    report = reconcile(
        plan, entries, args.as_of, policy=_policy(args), evidence=args.evidence
    )
    if args.format == "json":
        out = _reconciliation_json(report)
        _print_json(out)
    else:
        _say(format_reconciliation(report, lang=args.lang, limit=args.limit))
    return EXIT_OK if report.ok else EXIT_FINDINGS


def _reconciliation_json(report: Reconciliation) -> dict[str, object]:
    return {
        "plan_id": report.plan_id,
        "as_of": report.as_of.isoformat(),
        "entries": report.entries,
        "chart_as_of": None
        if report.chart_as_of is None
        else report.chart_as_of.isoformat(),
        "ok": report.ok,
        "totals": _jsonable(report.totals),
        "by_owner": [
            {"owner_id": o, **_dict(_jsonable(c))} for o, c in report.by_owner
        ],
        "by_key_item": [
            {"key_item_id": k, **_dict(_jsonable(c))} for k, c in report.by_key_item
        ],
        "discrepancies": [
            {**_dict(_jsonable(d)), "text": d.text()} for d in report.discrepancies
        ],
        "tasks": _jsonable(report.tasks),
    }


def _dict(value: object) -> dict[str, object]:
    assert isinstance(value, dict)  # noqa: S101  # attrs records become dicts
    return value


def _board_json(b: Board) -> dict[str, object]:
    return {
        "plan_id": b.plan_id,
        "as_of": b.as_of.isoformat(),
        "statuses": [s.value for s in b.statuses],
        "rows": [
            {
                "owner_id": r.owner_id,
                **{s.value: n for s, n in zip(b.statuses, r.counts, strict=True)},
                "overdue": r.overdue,
                "total": r.total,
            }
            for r in b.rows
        ],
        "step": b.step,
        "burndown": _jsonable(b.burndown),
    }


def _cmd_board(args: argparse.Namespace) -> int:
    county = _county(args.county)
    plan = plan_from_county(county, args.plan)
    entries, verification = _ledger_entries(args, county.ledger)
    if verification is not None and not verification.ok:
        return _report_bad_ledger(args, verification)
    result = board(plan, entries, args.as_of, step=args.step)
    if args.format == "json":
        _print_json(_board_json(result))
    else:
        _say(format_board(result, lang=args.lang))
    return EXIT_OK


def _report_bad_ledger(args: argparse.Namespace, v: LedgerVerification) -> int:
    if args.format == "json":
        _print_json({"verification": _verification_json(v)})
    else:
        _say(f"{args.ledger}: the ledger does not verify: {v.problem}", err=True)
    return EXIT_FINDINGS


def _cmd_verify(args: argparse.Namespace) -> int:
    with _open(args.ledger) as ledger:
        v = ledger.verify(head=args.head)
    if args.format == "json":
        _print_json(_verification_json(v))
    elif v.ok:
        _say(
            f"{args.ledger}: intact, {v.good.count} entries, "
            f"head {v.good.count}:{v.good.last_hash}"
        )
    else:
        _say(
            f"{args.ledger}: NOT intact: {v.problem}; the first {v.good.count} "
            "entries are good",
        )
    return EXIT_OK if v.ok else EXIT_FINDINGS


def _cmd_export(args: argparse.Namespace) -> int:
    with _open(args.ledger) as ledger:
        head = export_jsonl(ledger, args.out)
    _say(f"wrote {args.out}: {head.count} entries, head {head.count}:{head.last_hash}")
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    found = import_jsonl(args.jsonl, recover=args.recover)
    with SQLiteLedger(args.ledger) as ledger:
        head = ledger.restore(found.ledger)
    if found.problem is not None:
        _say(
            f"{args.jsonl}: damaged at line {found.problem.line}: "
            f"{found.problem.message}; imported the {head.count} good entries "
            "before it",
            err=True,
        )
        return EXIT_FINDINGS
    _say(f"imported {head.count} entries into {args.ledger}")
    return EXIT_OK


def _handle(args: argparse.Namespace) -> int:
    try:
        code: int = args.tasks_handler(args)
    except (LedgerError, ModelError, UnknownIdError) as exc:
        _say(f"error: {exc}", err=True)
        return EXIT_BAD_INPUT
    return code


# ---------------------------------------------------------------- parser
def _common(p: argparse.ArgumentParser, *, ledger: str, county: bool) -> None:
    if ledger == "required":
        p.add_argument(
            "--ledger", required=True, metavar="PATH.sqlite", help="the ledger file"
        )
    elif ledger == "optional":
        p.add_argument(
            "--ledger",
            metavar="PATH.sqlite",
            help="the ledger file (default: the county's own ledger entries)",
        )
    if county:
        p.add_argument(
            "--county",
            required=True,
            metavar="PATH",
            help=f"the county (a YAML file or directory, or {BUNDLED})",
        )
        p.add_argument(
            "--plan", metavar="ID", help="the work plan, if the county has several"
        )


def _output(p: argparse.ArgumentParser, *, lang: bool = True) -> None:
    p.add_argument(
        "--format", choices=("table", "json"), default="table", help="output format"
    )
    if lang:
        p.add_argument(
            "--lang", choices=("en", "zh"), default="en", help="label language"
        )


def register(sub: Subparsers) -> None:
    """Add the ``tasks`` command and its subcommands to the top-level parser."""
    tasks = sub.add_parser(
        "tasks",
        help="the work-plan ledger: record, reconcile (对账), board (挂图), verify",
        description="Work plan and ledger (挂图作战、对账销号): a tamper-evident SQLite "
        "ledger of task steps, reconciled against the plan as of a day.",
        epilog="examples:\n"
        "  countypolicing tasks init --ledger plan.sqlite --county bundled:yueyanglou\n"
        "  countypolicing tasks record --ledger plan.sqlite --county bundled:yueyanglou \\\n"
        "      --task k01-t2 --actor yyl-psb --action close_out --at 2020-09-16T09:00+08:00\n"
        "  countypolicing tasks reconcile --ledger plan.sqlite --county "
        "bundled:yueyanglou --as-of 2020-09-16\n"
        "  countypolicing tasks board --county bundled:yueyanglou --as-of 2020-09-15 "
        "--lang zh\n"
        "  countypolicing tasks verify --ledger plan.sqlite\n"
        "exit codes: 0 ok, 1 findings, 2 bad input",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    tasks.set_defaults(handler=_handle)
    cmds = tasks.add_subparsers(
        dest="tasks_command", required=True, metavar="SUBCOMMAND"
    )

    p = cmds.add_parser(
        "init",
        help="create a ledger file, with the county's existing entries unless --empty",
    )
    _common(p, ledger="required", county=True)
    p.add_argument("--empty", action="store_true", help="start with no entries")
    p.set_defaults(tasks_handler=_cmd_init)

    p = cmds.add_parser("record", help="append one step of one task")
    _common(p, ledger="required", county=True)
    p.add_argument("--task", required=True, metavar="ID")
    p.add_argument("--actor", required=True, metavar="ID", help="who records the step")
    p.add_argument("--action", required=True, choices=[a.value for a in TaskAction])
    p.add_argument(
        "--at",
        required=True,
        type=_at,
        help="when, with UTC offset: 2020-09-16T09:00+08:00",
    )
    p.add_argument("--note")
    p.add_argument("--evidence", metavar="REF", help="evidence reference (submit)")
    p.add_argument("--supervision", choices=[s.value for s in SupervisionLevel])
    p.add_argument(
        "--key", metavar="KEY", help="idempotency key: the same key is recorded once"
    )
    _output(p, lang=False)
    p.set_defaults(tasks_handler=_cmd_record)

    for name, handler, what in (
        ("reconcile", _cmd_reconcile, "reconcile (对账) the plan against the ledger"),
        ("board", _cmd_board, "the battle chart (挂图): owner x status, burndown"),
    ):
        p = cmds.add_parser(name, help=what)
        _common(p, ledger="optional", county=True)
        p.add_argument("--as-of", required=True, type=_as_of, metavar="YYYY-MM-DD")
        _output(p)
        if name == "reconcile":
            p.add_argument("--yellow-after", type=int, default=7, metavar="DAYS")
            p.add_argument("--red-after", type=int, default=30, metavar="DAYS")
            p.add_argument("--evidence", choices=("bundle", "each"), default="bundle")
            p.add_argument(
                "--limit", type=int, default=10, help="rows listed per section"
            )
        else:
            p.add_argument("--step", choices=("day", "week"), default="week")
        p.set_defaults(tasks_handler=handler)

    p = cmds.add_parser(
        "verify", help="check the hash chain and the head; exit 1 if broken"
    )
    _common(p, ledger="required", county=False)
    p.add_argument(
        "--head",
        type=_head,
        metavar="COUNT:HASH",
        help="a head kept elsewhere, to check against instead of the stored one",
    )
    _output(p, lang=False)
    p.set_defaults(tasks_handler=_cmd_verify)

    p = cmds.add_parser("export", help="write the ledger as JSON Lines")
    _common(p, ledger="required", county=False)
    p.add_argument("--out", required=True, metavar="PATH.jsonl")
    p.set_defaults(tasks_handler=_cmd_export)

    p = cmds.add_parser("import", help="create a ledger file from a JSON Lines export")
    _common(p, ledger="required", county=False)
    p.add_argument("--jsonl", required=True, metavar="PATH.jsonl")
    p.add_argument(
        "--recover",
        action="store_true",
        help="import the good entries before the first damaged line (exit 1)",
    )
    p.set_defaults(tasks_handler=_cmd_import)
