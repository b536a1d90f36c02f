"""``countypolicing report``: write the battle-chart (挂图) HTML report of a county."""

from __future__ import annotations

import argparse
import sys
from typing import TYPE_CHECKING, Final

from countypolicing.datasets import yueyanglou
from countypolicing.model import County
from countypolicing.report import LANGS, write_report
from countypolicing.serialization import load_county, load_scenario

if TYPE_CHECKING:
    from countypolicing._cli import Subparsers

__all__ = ["register"]

BUNDLED: Final = "bundled:yueyanglou"
EXIT_OK: Final = 0
EXIT_BAD_INPUT: Final = 2


def register(sub: Subparsers) -> None:
    """Add the ``report`` subcommand."""
    parser = sub.add_parser(
        "report",
        help="write the battle-chart HTML report (needs the 'report' extra)",
        description="Write one self-contained HTML file: community risk tiles by "
        "police station, the ranking with reasons, responsibility gaps, the task "
        "board with overdue tasks, the dispute funnel and a short policy simulation "
        "against its baseline. Prints the path of the file written.",
        epilog="examples:\n"
        f"  countypolicing report {BUNDLED} --out build/\n"
        "  countypolicing report my-county/ --out build/ --lang zh --no-simulation\n"
        "  countypolicing report my-county/ --out build/ --scenario policies.yaml",
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        nargs="?",
        default=BUNDLED,
        help=f"county file or directory, or {BUNDLED} (the default)",
    )
    parser.add_argument(
        "--out", default=".", metavar="DIR", help="directory to write report.html into"
    )
    parser.add_argument(
        "--lang",
        choices=LANGS,
        default="both",
        help="zh, en, or both with a toggle (default: both)",
    )
    parser.add_argument(
        "--scenario",
        metavar="FILE",
        help="scenario to simulate (shortened to 90 days, 5 replications)",
    )
    parser.add_argument(
        "--no-simulation", action="store_true", help="leave the simulation out"
    )
    parser.set_defaults(handler=_cmd_report)


def _county(path: str) -> County:
    return yueyanglou() if path == BUNDLED else load_county(path)


def _cmd_report(args: argparse.Namespace) -> int:
    county = _county(args.path)
    scenario = load_scenario(args.scenario) if args.scenario else None
    try:
        path = write_report(
            county,
            args.out,
            lang=args.lang,
            scenario=scenario,
            simulate=not args.no_simulation,
        )
    except ImportError as exc:
        sys.stderr.write(f"error: {exc}\n")
        return EXIT_BAD_INPUT
    except OSError as exc:
        sys.stderr.write(f"error: cannot write the report into {args.out}: {exc}\n")
        return EXIT_BAD_INPUT
    sys.stdout.write(f"{path}\n")
    return EXIT_OK
