"""The ``countypolicing graph`` subcommand: responsibility gaps, who answers, exports.

Exit codes: 0 ok, 1 gaps found (with ``--gaps``), 2 bad input (an unreadable county,
an unknown risk point or community, an export that cannot be written).
"""

from __future__ import annotations

import argparse
import sys
from collections import Counter
from collections.abc import Sequence
from typing import Final, TextIO, TypeAlias

from countypolicing.datasets import yueyanglou
from countypolicing.exceptions import (
    CountyPolicingError,
    LoadError,
    LoadErrorGroup,
    Location,
)
from countypolicing.graph import (
    EXPORT_FORMATS,
    NodeKind,
    build_responsibility_graph,
    conflicts,
    draw,
    format_gaps,
    node_key,
    responsibility_gaps,
    responsible_parties,
    subgraph_for,
    to_dot,
    to_mermaid,
)
from countypolicing.model import County, ResponsibilityType, RiskPointStatus
from countypolicing.serialization import load_county
from countypolicing.serialization._atomic import atomic_write_bytes

__all__ = ["BUNDLED", "gaps_report", "load_county_or_bundled", "register"]

#: The object ``add_subparsers`` returns; argparse gives it no public name.
Subparsers: TypeAlias = "argparse._SubParsersAction[argparse.ArgumentParser]"  # noqa: SLF001

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2

#: ``PATH`` values naming a bundled county instead of a file.
BUNDLED: Final = {"bundled:yueyanglou": yueyanglou}

_IMAGE_FORMATS: Final = ("png", "svg")
_FORMATS: Final = (*EXPORT_FORMATS, *_IMAGE_FORMATS)

_EPILOG: Final = """\
examples:
  countypolicing graph bundled:yueyanglou --gaps
  countypolicing graph bundled:yueyanglou --gaps --lang zh
  countypolicing graph my-county/ --who rp10
  countypolicing graph bundled:yueyanglou --export graphml -o yueyanglou.graphml
  countypolicing graph bundled:yueyanglou --community desheng --export mermaid
  countypolicing graph bundled:yueyanglou --community desheng --export png -o desheng.png

exit codes: 0 ok, 1 gaps found (with --gaps), 2 bad input"""


def register(sub: Subparsers) -> None:
    """Add the ``graph`` subcommand to the ``countypolicing`` parser.

    Args:
        sub: what ``ArgumentParser.add_subparsers`` returned.
    """
    parser = sub.add_parser(
        "graph",
        help="responsibility graph: gaps, who is responsible for a risk, exports",
        description="Build the responsibility graph of a county (属地、主体、主管 for "
        "every risk point; leadership, linkage mechanisms, tasks, mediation) and "
        "report gaps, the parties of a risk point, or export the graph.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    parser.add_argument(
        "path",
        metavar="PATH",
        help="a county .yaml file or directory, or bundled:yueyanglou",
    )
    parser.add_argument(
        "--gaps",
        action="store_true",
        help="list every missing responsibility; exit 1 when there is one",
    )
    parser.add_argument(
        "--who",
        metavar="RISK_ID",
        help="show who holds each responsibility for this risk point",
    )
    parser.add_argument(
        "--community",
        metavar="ID",
        help="restrict exports (and --gaps) to the part of the graph around one "
        "community",
    )
    parser.add_argument(
        "--export",
        metavar="FORMAT",
        choices=_FORMATS,
        help=f"export the graph: {', '.join(_FORMATS)}",
    )
    parser.add_argument(
        "-o",
        "--output",
        metavar="FILE",
        help="where to write the export (default: standard output; needed for png)",
    )
    parser.add_argument(
        "--lang", choices=("en", "zh"), default="en", help="label language"
    )
    parser.set_defaults(handler=_cmd_graph)


def load_county_or_bundled(path: str) -> County:
    """The county at ``path``, or a bundled county named ``bundled:<name>``.

    Raises:
        LoadError: an unknown bundled name (other load errors come from
            `countypolicing.serialization.load_county`).
    """
    if path.startswith("bundled:"):
        loader = BUNDLED.get(path)
        if loader is None:
            known = ", ".join(sorted(BUNDLED))
            msg = f"unknown bundled county; use one of {known}"
            raise LoadError(msg, location=Location(source=path))
        return loader()
    return load_county(path)


def gaps_report(county: County, *, lang: str = "en") -> str:
    """The responsibility gaps of ``county`` as text, for ``countypolicing demo``.

    Args:
        county: the county.
        lang: ``"en"`` or ``"zh"``.

    Returns:
        A heading line and one line per gap (`countypolicing.graph.format_gaps`).
    """
    graph = build_responsibility_graph(county)
    return format_gaps(responsibility_gaps(graph), lang=lang)


def _report_load_error(exc: LoadError | LoadErrorGroup, out: TextIO) -> None:
    problems = list(exc.problems) if isinstance(exc, LoadErrorGroup) else [exc]
    out.write(f"invalid: {len(problems)} problem{'' if len(problems) == 1 else 's'}\n")
    out.writelines(f"{p}\n" for p in problems)


def _who(county: County, risk_id: str, *, lang: str) -> str:
    graph = build_responsibility_graph(county)
    parties = responsible_parties(graph, risk_id)
    key = risk_id if ":" in risk_id else node_key(NodeKind.RISK, risk_id)
    rp = county.risk_point(key.partition(":")[2])
    names = {
        u.partition(":")[2]: str(graph.nodes[u].get("name_zh", ""))
        for u in graph.predecessors(key)
    }
    status = RiskPointStatus(rp.status)
    lines = [
        f"{rp.id} {rp.name_zh} [{status.label_zh if lang == 'zh' else status.value}]"
    ]
    held = {
        ResponsibilityType.TERRITORIAL: parties.territorial,
        ResponsibilityType.PRINCIPAL: parties.principal,
        ResponsibilityType.SUPERVISORY: parties.supervisory,
    }
    for kind, ids in held.items():
        lines.append(
            f"{kind.label_zh}:" if lang == "zh" else f"{kind.value} ({kind.label_zh}):"
        )
        lines.extend(f"  - {party}  {names.get(party, '')}" for party in ids)
        if ids:
            continue
        if kind is ResponsibilityType.PRINCIPAL and rp.principal_exemption:
            lines.append(
                f"  ({'免除' if lang == 'zh' else 'exempt'}: {rp.principal_exemption})"
            )
        else:
            lines.append("  （无：责任缺口）" if lang == "zh" else "  (nobody: a gap)")
    if rp.supervisor_override is not None:
        lines.append(
            f"{'主管部门另定' if lang == 'zh' else 'supervisor override'}: "
            f"{rp.supervisor_override.reason}"
        )
    return "\n".join(lines)


def _summary(county: County) -> str:
    graph = build_responsibility_graph(county)
    counts = Counter(str(d.get("relation")) for _, _, d in graph.edges(data=True))
    gaps = responsibility_gaps(graph)
    head = (
        f"county {county.id!r} ({county.name_zh}): {graph.number_of_nodes()} nodes, "
        f"{graph.number_of_edges()} edges"
    )
    lines = [head]
    lines.extend(f"  {relation:<16} {n:>6}" for relation, n in sorted(counts.items()))
    lines.append(
        f"gaps: {len(gaps)} (list them with --gaps); conflicts: {len(conflicts(graph))}"
    )
    return "\n".join(lines)


def _export(county: County, fmt: str, *, community: str | None, lang: str) -> bytes:
    graph = build_responsibility_graph(county)
    if community is not None:
        graph = subgraph_for(graph, community)
    if fmt in _IMAGE_FORMATS:
        return draw(graph, image_format=fmt, lang=lang)
    if fmt == "dot":
        return to_dot(graph, lang=lang).encode("utf-8")
    if fmt == "mermaid":
        return to_mermaid(graph, lang=lang).encode("utf-8")
    return EXPORT_FORMATS[fmt](graph).encode("utf-8")


def _error(message: str) -> int:
    sys.stderr.write(f"error: {message}\n")
    return EXIT_BAD_INPUT


def _bad_options(args: argparse.Namespace) -> str | None:
    """Why the options cannot go together, or ``None``."""
    if args.export is None and args.output is not None:
        return "-o/--output needs --export FORMAT"
    to_stdout = args.export is not None and args.output is None
    if to_stdout and (args.gaps or args.who):
        return (
            "an export to standard output cannot be combined with --gaps or --who; "
            "write it with -o FILE"
        )
    if to_stdout and args.export == "png":
        return "a PNG export needs -o FILE"
    return None


def _gaps(county: County, *, community: str | None, lang: str) -> tuple[str, int]:
    graph = build_responsibility_graph(county)
    if community is not None:
        graph = subgraph_for(graph, community)
    gaps = responsibility_gaps(graph)
    return format_gaps(gaps, lang=lang), EXIT_FINDINGS if gaps else EXIT_OK


def _run(args: argparse.Namespace, county: County) -> int:
    out = sys.stdout
    code = EXIT_OK
    if args.who is not None:
        out.write(_who(county, args.who, lang=args.lang) + "\n")
    if args.export is not None:
        data = _export(county, args.export, community=args.community, lang=args.lang)
        if args.output is None:
            out.write(data.decode("utf-8"))
        else:
            atomic_write_bytes(args.output, data)
            sys.stderr.write(f"written to {args.output}\n")
    if args.gaps:
        text, code = _gaps(county, community=args.community, lang=args.lang)
        out.write(text + "\n")
    if not (args.gaps or args.who or args.export):
        out.write(_summary(county) + "\n")
    return code


def _cmd_graph(args: argparse.Namespace) -> int:
    problem = _bad_options(args)
    if problem is not None:
        return _error(problem)
    try:
        county = load_county_or_bundled(args.path)
    except (LoadError, LoadErrorGroup) as exc:
        _report_load_error(exc, sys.stderr)
        return EXIT_BAD_INPUT
    try:
        return _run(args, county)
    except (CountyPolicingError, ImportError) as exc:
        return _error(str(exc))


def main(argv: Sequence[str] | None = None) -> int:
    """Run ``countypolicing graph ...`` on its own (for tests and ``python -m``).

    Args:
        argv: the arguments after ``countypolicing``, starting with ``graph``.

    Returns:
        The exit code.
    """
    parser = argparse.ArgumentParser(prog="countypolicing")
    register(parser.add_subparsers(dest="command", required=True))
    args = parser.parse_args(argv)
    handler = args.handler
    result: int = handler(args)
    return result
