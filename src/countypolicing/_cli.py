"""The ``countypolicing`` command line.

Exit codes: 0 ok, 1 findings, 2 bad input (the message names file:line:column and the
path of the problem).
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import TextIO, TypeAlias

from countypolicing import (
    __version__,
    _cli_disputes,
    _cli_graph,
    _cli_report,
    _cli_rules,
    _cli_ruletools,
    _cli_simulate,
    _cli_sweep,
    _cli_tasks,
)
from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import CountyPolicingError, LoadError, LoadErrorGroup
from countypolicing.operations import summarize_county
from countypolicing.serialization import SCHEMA_NAMES, json_schema, load_county

__all__ = ["main"]

#: The object ``add_subparsers`` returns; argparse gives it no public name.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # noqa: SLF001

#: Each capability's subcommands live in a ``_cli_<name>.py`` module of its own with
#: a ``register(subparsers)`` function that sets ``handler`` on its parsers.
_SUBCOMMANDS: tuple[Callable[[Subparsers], None], ...] = (
    _cli_rules.register,
    _cli_ruletools.register,
    _cli_graph.register,
    _cli_disputes.register,
    _cli_tasks.register,
    _cli_simulate.register,
    _cli_sweep.register,
    _cli_report.register,
)

EXIT_OK = 0
EXIT_FINDINGS = 1
EXIT_BAD_INPUT = 2


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="countypolicing",
        description="New-era county policing (新时代县域警务): risks, responsibilities, "
        "mediation and task ledgers for a county.",
        epilog="examples:\n"
        "  countypolicing demo\n"
        "  countypolicing demo --lang zh\n"
        "  countypolicing validate my-county/\n"
        "  countypolicing schema county > county.schema.json",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "--version", action="version", version=f"%(prog)s {__version__}"
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    demo = sub.add_parser(
        "demo",
        help="load the bundled Yueyanglou county, validate it and summarise it",
        description="Load the bundled Yueyanglou District (2020) example, validate it "
        "and print what it holds.",
    )
    demo.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="label language"
    )
    demo.add_argument(
        "--out",
        default=None,
        help="where to write the HTML report (default: a countypolicing-demo "
        "directory in the system's temporary directory)",
    )
    demo.add_argument("--no-report", action="store_true", help="skip the HTML report")
    demo.set_defaults(handler=_cmd_demo)

    validate = sub.add_parser(
        "validate",
        help="check a county file or directory; exit 2 with located messages if invalid",
        description="Load a county (one YAML file or a directory of YAML files) and "
        "report every problem with file:line:column and path.",
        epilog="example:\n  countypolicing validate my-county/",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    validate.add_argument("path", help="a county .yaml file or directory")
    validate.add_argument(
        "--format", choices=("text", "json"), default="text", help="output format"
    )
    validate.set_defaults(handler=_cmd_validate)

    schema = sub.add_parser(
        "schema",
        help="print the JSON Schema of a file format",
        description="Print a JSON Schema (draft 2020-12) for editors to validate and "
        "autocomplete YAML files.",
    )
    schema.add_argument("name", nargs="?", default="county", choices=SCHEMA_NAMES)
    schema.set_defaults(handler=_cmd_schema)
    for register in _SUBCOMMANDS:
        register(sub)
    return parser


def _problems(exc: LoadError | LoadErrorGroup) -> list[LoadError]:
    if isinstance(exc, LoadErrorGroup):
        return list(exc.problems)
    return [exc]


def _report_load_error(
    exc: LoadError | LoadErrorGroup, out: TextIO, *, fmt: str = "text"
) -> None:
    problems = _problems(exc)
    if fmt == "json":
        json.dump(
            {
                "valid": False,
                "problems": [
                    {
                        "message": p.message,
                        "source": p.source,
                        "line": p.line,
                        "column": p.column,
                        "path": p.path,
                        "type": type(p).__name__,
                    }
                    for p in problems
                ],
            },
            out,
            ensure_ascii=False,
            indent=2,
        )
        out.write("\n")
        return
    out.write(f"invalid: {len(problems)} problem{'' if len(problems) == 1 else 's'}\n")
    out.writelines(f"{p}\n" for p in problems)


def _cmd_demo(args: argparse.Namespace) -> int:
    county = yueyanglou()
    summary = summarize_county(county, lang=args.lang)
    print(summary.text(lang=args.lang))
    print()
    print(_cli_rules.demo_text(county, lang=args.lang))
    print()
    print(_cli_graph.gaps_report(county, lang=args.lang))
    print()
    print(_cli_disputes.demo_text(county, lang=args.lang))
    print()
    print(_cli_tasks.demo_text(county, lang=args.lang))
    print("\n" + _cli_simulate.demo_text(lang=args.lang))
    if not args.no_report:
        print("\n" + _demo_report(args))
    print(
        "\nThe bundled data is an example: records marked synthetic or inferred are "
        "not facts about Yueyanglou."
        if args.lang == "en"
        else "\n示例数据：标注为虚构示例(synthetic)或推断(inferred)的记录不是岳阳楼区的事实。"
    )
    return EXIT_OK


def _demo_report(args: argparse.Namespace) -> str:
    zh = args.lang == "zh"
    out = (
        Path(args.out)
        if args.out
        else Path(tempfile.gettempdir()) / "countypolicing-demo"
    )
    try:
        from countypolicing.report import write_demo_report  # noqa: PLC0415  # optional extra

        path = write_demo_report(out, lang="both")
    except ImportError as exc:
        return f"HTML 报告未生成：{exc}" if zh else f"HTML report not written: {exc}"
    return f"挂图报告（HTML）：{path}" if zh else f"Battle-chart report (HTML): {path}"


def _cmd_validate(args: argparse.Namespace) -> int:
    try:
        county = load_county(args.path)
    except (LoadError, LoadErrorGroup) as exc:
        _report_load_error(
            exc, sys.stderr if args.format == "text" else sys.stdout, fmt=args.format
        )
        return EXIT_BAD_INPUT
    if args.format == "json":
        print(
            json.dumps(
                {
                    "valid": True,
                    "county": county.id,
                    "communities": len(county.communities),
                }
            )
        )
    else:
        print(
            f"valid: county {county.id!r} ({county.name_zh}): "
            f"{len(county.communities)} communities, {len(county.risk_points)} risk "
            f"points, {len(county.disputes)} disputes, {len(county.tasks)} tasks"
        )
    return EXIT_OK


def _cmd_schema(args: argparse.Namespace) -> int:
    print(json.dumps(json_schema(args.name), ensure_ascii=False, indent=2))
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit code.

    Examples:
        >>> main(["schema", "county"]) == 0  # doctest: +ELLIPSIS
        {...
        True
    """
    args = _parser().parse_args(argv)
    try:
        handler: Callable[[argparse.Namespace], int] = args.handler
        return handler(args)
    except BrokenPipeError:
        # The reader went away (``countypolicing schema | head``): stop quietly.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return EXIT_OK
    except (LoadError, LoadErrorGroup) as exc:
        _report_load_error(exc, sys.stderr)
        return EXIT_BAD_INPUT
    except CountyPolicingError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_BAD_INPUT
