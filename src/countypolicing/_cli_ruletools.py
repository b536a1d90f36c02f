"""``countypolicing rules``: check, test, diff, explain and export rule files.

Exit codes: 0 ok; 1 findings (verification findings, failing tests, changed
outputs, a record the rules cannot decide); 2 bad input (the message names
file:line:column and the path of the problem).
"""

from __future__ import annotations

import argparse
import csv
import difflib
import io
import json
import math
import sys
from collections import Counter
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Final

from countypolicing.exceptions import (
    HitPolicyError,
    Location,
    NoMatchError,
    RuleEvaluationError,
    ValidationError,
)
from countypolicing.rules import (
    DecisionChange,
    FieldSpec,
    Finding,
    RuleSet,
    Schema,
    ValueType,
    compile_ruleset,
    diff_rulesets,
    run_rule_tests,
    to_jsonlogic,
    verify,
)
from countypolicing.serialization import load_ruleset
from countypolicing.serialization._yaml import load_yaml_file, read_text

if TYPE_CHECKING:
    from countypolicing._cli import Subparsers

__all__ = ["load_records", "parse_record_args", "register"]

EXIT_OK: Final = 0
EXIT_FINDINGS: Final = 1
EXIT_BAD_INPUT: Final = 2

_EPILOG: Final = """\
examples:
  countypolicing rules check my-classes.yaml
  countypolicing rules check my-classes.yaml --format json
  countypolicing rules test my-classes.yaml --require-coverage
  countypolicing rules diff old.yaml new.yaml --data communities.csv
  countypolicing rules explain my-classes.yaml --record prior_incidents=12 disputes_open=7
  countypolicing rules explain my-classes.yaml --record '{"major_risks": 1}' --lang zh
  countypolicing rules jsonlogic my-classes.yaml

exit codes: 0 ok, 1 findings (or failing tests, changed outputs), 2 bad input"""


def register(sub: Subparsers) -> None:
    """Add the ``rules`` subcommand (``check``, ``test``, ``diff``, ``explain``, ``jsonlogic``).

    Args:
        sub: what ``ArgumentParser.add_subparsers`` returned.
    """
    parser = sub.add_parser(
        "rules",
        help="check, test, diff and explain rule files",
        description="Work with rule files: verify them with counterexamples, run "
        "their embedded tests with rule coverage, compare two versions on data, "
        "explain one decision, export conditions as JsonLogic.",
        epilog=_EPILOG,
        formatter_class=argparse.RawDescriptionHelpFormatter,
    )
    rules = parser.add_subparsers(dest="rules_command", required=True, metavar="ACTION")

    check = rules.add_parser(
        "check",
        help="load, compile and verify a rule file; exit 1 on findings",
        description="Load and compile a rule file, then verify it: shadowed, "
        "overlapping, unsatisfiable, always-true, duplicate and redundant rules, "
        "gaps, and declared monotonicity, each with a counterexample record.",
    )
    check.add_argument("file", help="a rule file (.yaml)")
    check.add_argument("--format", choices=("text", "json"), default="text")
    check.add_argument("--lang", choices=("en", "zh"), default="en")
    check.add_argument(
        "--solver",
        choices=("auto", "z3", "search"),
        default="auto",
        help="how to decide conditions over several fields: z3 (the verify extra) "
        "when installed, or a seeded bounded search",
    )
    check.add_argument("--seed", type=int, default=0, help="seed of the bounded search")
    check.set_defaults(handler=_cmd_check)

    test = rules.add_parser(
        "test",
        help="run the tests embedded in a rule file and report rule coverage",
        description="Run the file's tests: and list the rules no test hits. Exit 1 "
        "when a test fails (or, with --require-coverage, a rule is never hit).",
    )
    test.add_argument("file", help="a rule file (.yaml)")
    test.add_argument("--lang", choices=("en", "zh"), default="en")
    test.add_argument(
        "--require-coverage",
        action="store_true",
        help="also exit 1 when some rule is hit by no test",
    )
    test.set_defaults(handler=_cmd_test)

    diff = rules.add_parser(
        "diff",
        help="classify data with two rule files and show the records that change",
        description="Classify every record of DATA with OLD and NEW and show the "
        "records whose output changes, with both explanations. Exit 1 when an "
        "output changes.",
    )
    diff.add_argument("old", help="the rule file in force")
    diff.add_argument("new", help="the candidate rule file")
    diff.add_argument(
        "--data",
        required=True,
        help="records: .csv, .yaml/.yml or .json (a list of mappings), or .parquet "
        "(needs pandas and pyarrow)",
    )
    diff.add_argument("--format", choices=("text", "json"), default="text")
    diff.add_argument("--lang", choices=("en", "zh"), default="en")
    diff.add_argument(
        "--limit", type=int, default=50, help="show at most this many changes (text)"
    )
    diff.set_defaults(handler=_cmd_diff)

    explain = rules.add_parser(
        "explain",
        help="classify one record and explain the decision rule by rule",
        description="Classify one record given as JSON or as KEY=VALUE pairs "
        "(values typed by the ruleset's fields) and print the explanation.",
    )
    explain.add_argument("file", help="a rule file (.yaml)")
    explain.add_argument(
        "--record",
        nargs="+",
        required=True,
        metavar="JSON_OR_KEY=VALUE",
        help="the record: one JSON object, or KEY=VALUE pairs (e.g. calls_per_1000=35 kind=urban)",
    )
    explain.add_argument("--lang", choices=("en", "zh"), default="en")
    explain.set_defaults(handler=_cmd_explain)

    export = rules.add_parser(
        "jsonlogic",
        help="print every rule's condition as JsonLogic",
        description="Export each rule's condition as JsonLogic (for web query "
        "builders), as one JSON object keyed by rule id.",
    )
    export.add_argument("file", help="a rule file (.yaml)")
    export.set_defaults(handler=_cmd_jsonlogic)


def _load(path: str) -> RuleSet:
    return load_ruleset(Path(path))


# ------------------------------------------------------------------ check
def _finding_json(finding: Finding, lang: str) -> dict[str, object]:
    return {
        "kind": str(finding.kind),
        "rules": list(finding.rule_ids),
        "message": finding.text(lang),
        "counterexample": finding.counterexample,
        **(
            {"counterexample_after": finding.counterexample_after}
            if finding.counterexample_after is not None
            else {}
        ),
        **({"field": finding.field} if finding.field else {}),
        **({"region": finding.region} if finding.region else {}),
        "proven": finding.proven,
    }


def _cmd_check(args: argparse.Namespace) -> int:
    ruleset = _load(args.file)
    compile_ruleset(ruleset)
    report = verify(ruleset, solver=args.solver, seed=args.seed)
    if args.format == "json":
        json.dump(
            {
                "ruleset": report.ruleset_id,
                "version": report.ruleset_version,
                "hash": report.ruleset_hash,
                "hit_policy": str(report.hit_policy),
                "ok": report.ok,
                "exact": report.exact,
                "findings": [_finding_json(f, args.lang) for f in report.findings],
                "monotone": [
                    {
                        "field": m.field,
                        "direction": m.direction,
                        "holds": m.holds,
                        "proven": m.proven,
                    }
                    for m in report.monotone
                ],
                "notes": list(report.notes),
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
        )
        sys.stdout.write("\n")
    else:
        sys.stdout.write(f"{args.file}: {report.text(args.lang)}\n")
    return EXIT_OK if report.ok else EXIT_FINDINGS


# ------------------------------------------------------------------ test
def _cmd_test(args: argparse.Namespace) -> int:
    ruleset = _load(args.file)
    report = run_rule_tests(ruleset)
    sys.stdout.write(f"{args.file}: {report.text(args.lang)}\n")
    if not ruleset.tests:
        sys.stdout.write(
            "  （文件没有 tests:）\n"
            if args.lang == "zh"
            else "  (the file has no tests:)\n"
        )
    if not report.ok:
        return EXIT_FINDINGS
    if args.require_coverage and report.uncovered:
        return EXIT_FINDINGS
    return EXIT_OK


# ------------------------------------------------------------------ records
_TRUE: Final = {"true", "yes", "1", "y", "t"}
_FALSE: Final = {"false", "no", "0", "n", "f"}


def _convert(spec: FieldSpec, text: str) -> object:  # noqa: C901, PLR0911  # one case per kind
    """A field's value from text, typed by the field; raises ``ValueError``."""
    text = text.strip()
    if text in {"", "null", "None", "NA", "NaN", "nan"}:
        if spec.optional:
            return None
        msg = f"{spec.name} is required (not optional)"
        raise ValueError(msg)
    if spec.values is not None:
        if text not in spec.values:
            close = difflib.get_close_matches(text, list(spec.values), n=1)
            hint = f"; did you mean {close[0]!r}?" if close else ""
            msg = f"{text!r} is not one of {', '.join(spec.values)}{hint}"
            raise ValueError(msg)
        return text
    if spec.type is ValueType.INT:
        try:
            return int(text)
        except ValueError:
            msg = f"expected a whole number for {spec.name}, got {text!r}"
            raise ValueError(msg) from None
    if spec.type is ValueType.FLOAT:
        try:
            value = float(text)
        except ValueError:
            msg = f"expected a number for {spec.name}, got {text!r}"
            raise ValueError(msg) from None
        if not math.isfinite(value):
            msg = f"{spec.name} must be finite, got {text!r}"
            raise ValueError(msg)
        return value
    if spec.type is ValueType.BOOL:
        if text.lower() in _TRUE:
            return True
        if text.lower() in _FALSE:
            return False
        msg = f"expected true or false for {spec.name}, got {text!r}"
        raise ValueError(msg)
    return text


def _typed(schema: Schema, row: Mapping[str, object]) -> dict[str, object]:
    """Text cells converted by the schema; other keys and typed values kept."""
    out: dict[str, object] = {}
    for key, value in row.items():
        if (
            key in schema
            and isinstance(value, str)
            and schema.field(key).type is not ValueType.STR
        ):
            out[key] = _convert(schema.field(key), value)
        else:
            out[key] = value
    return out


def parse_record_args(values: Sequence[str], schema: Schema) -> dict[str, object]:
    """The record of ``--record``: one JSON object, or ``KEY=VALUE`` pairs typed by the schema.

    Raises:
        ValidationError: not JSON, not ``KEY=VALUE``, an unknown field, or a value
            that does not fit its field.
    """
    where = Location(source="--record")
    if len(values) == 1 and values[0].lstrip().startswith("{"):
        try:
            data = json.loads(values[0])
        except json.JSONDecodeError as exc:
            msg = f"not a JSON object: {exc.msg} (column {exc.colno})"
            raise ValidationError(msg, location=where) from None
        if not isinstance(data, dict):
            raise ValidationError("not a JSON object", location=where)
        return data
    record: dict[str, object] = {}
    for item in values:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            msg = f"expected KEY=VALUE or one JSON object, got {item!r}"
            raise ValidationError(msg, location=where)
        if key not in schema:
            hint = schema.suggest(key)
            extra = f"; did you mean {hint!r}?" if hint else ""
            msg = f"unknown field {key!r}{extra}"
            raise ValidationError(msg, location=Location(source="--record", path=key))
        try:
            record[key] = _convert(schema.field(key), text)
        except ValueError as exc:
            raise ValidationError(
                str(exc), location=Location(source="--record", path=key)
            ) from None
    return record


def _csv_records(
    path: Path, schemas: Sequence[Schema]
) -> list[tuple[str, dict[str, object]]]:
    text = read_text(path)
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader)
    except StopIteration:
        raise ValidationError(
            "empty file: expected a header row",
            location=Location(source=str(path), line=1),
        ) from None
    rows: list[tuple[str, dict[str, object]]] = []
    for cells in reader:
        line = reader.line_num
        if not any(c.strip() for c in cells):
            continue
        if len(cells) != len(header):
            raise ValidationError(
                f"{len(cells)} cells, but the header has {len(header)}",
                location=Location(source=str(path), line=line),
            )
        record: dict[str, object] = {}
        for column, (name, cell) in enumerate(zip(header, cells, strict=True), start=1):
            spec = next((s.field(name) for s in schemas if name in s), None)
            if spec is None:
                record[name] = cell
                continue
            try:
                record[name] = _convert(spec, cell)
            except ValueError as exc:
                raise ValidationError(
                    str(exc),
                    location=Location(
                        source=str(path), line=line, column=column, path=name
                    ),
                ) from None
        rows.append((f"line {line}", record))
    return rows


def _yaml_records(
    path: Path, schemas: Sequence[Schema]
) -> list[tuple[str, dict[str, object]]]:
    doc = load_yaml_file(path)
    data = doc.data
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        items, prefix = data["records"], ["records"]
    else:
        items, prefix = data, []
    if not isinstance(items, list):
        raise ValidationError(
            "expected a list of records (or records: [...])", location=doc.locate([])
        )
    rows = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise ValidationError(
                "a record is a mapping of field values",
                location=doc.locate([*prefix, index]),
            )
        record: dict[str, object] = dict(item)
        for schema in schemas:
            for key, value in item.items():
                if (
                    key in schema
                    and isinstance(value, str)
                    and schema.field(key).type is not ValueType.STR
                ):
                    try:
                        record[key] = _convert(schema.field(key), value)
                    except ValueError as exc:
                        raise ValidationError(
                            str(exc), location=doc.locate([*prefix, index, key])
                        ) from None
        line = doc.locate([*prefix, index]).line
        rows.append((f"line {line}" if line else f"#{index}", record))
    return rows


def _json_records(
    path: Path, schemas: Sequence[Schema]
) -> list[tuple[str, dict[str, object]]]:
    text = read_text(path)
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise ValidationError(
            f"not JSON: {exc.msg}",
            location=Location(source=str(path), line=exc.lineno, column=exc.colno),
        ) from None
    if isinstance(data, dict) and isinstance(data.get("records"), list):
        data = data["records"]
    if not isinstance(data, list) or not all(isinstance(r, dict) for r in data):
        raise ValidationError(
            "expected a list of records (objects)", location=Location(source=str(path))
        )
    out = []
    for index, row in enumerate(data):
        record = dict(row)
        for schema in schemas:
            try:
                record = _typed(schema, record)
            except ValueError as exc:
                raise ValidationError(
                    str(exc), location=Location(source=str(path), path=f"[{index}]")
                ) from None
        out.append((f"#{index}", record))
    return out


def _parquet_records(
    path: Path, schemas: Sequence[Schema]
) -> list[tuple[str, dict[str, object]]]:
    try:
        import pandas as pd  # noqa: PLC0415  # optional
        import pyarrow as pa  # noqa: F401, PLC0415  # optional; pandas reads Parquet with it
    except ImportError as exc:
        msg = (
            "reading Parquet needs pandas and pyarrow: pip install "
            "'countypolicing[pandas]' (or give the data as .csv, .yaml or .json)"
        )
        raise ImportError(msg) from exc
    frame = pd.read_parquet(path)
    out = []
    for index, row in enumerate(frame.to_dict(orient="records")):
        record: dict[str, object] = {}
        for key, value in row.items():
            name = str(key)
            spec = next((s.field(name) for s in schemas if name in s), None)
            record[name] = _from_cell(spec, value)
        out.append((f"row {index}", record))
    return out


def _from_cell(spec: FieldSpec | None, value: object) -> object:
    if value is None or (isinstance(value, float) and math.isnan(value)):
        return None
    item = getattr(value, "item", None)
    if callable(item):  # a numpy scalar
        value = item()
    if (
        spec is not None
        and spec.type is ValueType.INT
        and isinstance(value, float)
        and value.is_integer()
    ):
        return int(value)
    return value


def load_records(
    path: str | Path, schemas: Sequence[Schema]
) -> list[tuple[str, dict[str, object]]]:
    """Records from a data file, each with where it is (``line 4``, ``row 2``).

    CSV cells are typed by the fields of ``schemas``; YAML and JSON hold a list of
    mappings (or ``records: [...]``); Parquet needs pandas and pyarrow.

    Raises:
        ValidationError: a cell or value that does not fit its field, located.
        ImportError: Parquet without pandas and pyarrow.
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        return _csv_records(path, schemas)
    if suffix in {".yaml", ".yml"}:
        return _yaml_records(path, schemas)
    if suffix == ".json":
        return _json_records(path, schemas)
    if suffix == ".parquet":
        return _parquet_records(path, schemas)
    msg = f"unknown data format {suffix or '(no suffix)'!r}: use .csv, .yaml, .json or .parquet"
    raise ValidationError(msg, location=Location(source=str(path)))


# ------------------------------------------------------------------ diff
def _key(record: Mapping[str, object], where: str) -> str:
    for name in ("id", "community_id", "risk_point_id", "dispute_id", "name"):
        if name in record and record[name] not in {None, ""}:
            return f"{record[name]} ({where})"
    return where


def _change_json(change: DecisionChange, where: str, lang: str) -> dict[str, object]:
    def side(decision: object, error: str | None) -> dict[str, object]:
        if error is not None or decision is None:
            return {"error": error}
        out = getattr(decision, "output", None)
        explanation = getattr(decision, "explanation", None)
        return {
            "output": list(map(str, out))
            if isinstance(out, tuple)
            else (out if isinstance(out, (int, float)) else str(out)),
            "rules": list(getattr(decision, "rule_ids", ())),
            "explanation": explanation.text(lang) if explanation is not None else None,
        }

    return {
        "record": where,
        "index": change.index,
        "old": side(change.old, change.old_error),
        "new": side(change.new, change.new_error),
    }


def _cmd_diff(args: argparse.Namespace) -> int:
    old, new = _load(args.old), _load(args.new)
    try:
        rows = load_records(args.data, [old.schema, new.schema])
    except ImportError as exc:
        sys.stderr.write(f"{args.data}: {exc}\n")
        return EXIT_BAD_INPUT
    changes = diff_rulesets(old, new, [r for _, r in rows])
    if args.format == "json":
        json.dump(
            {
                "old": {
                    "ruleset": old.id,
                    "version": old.version,
                    "hash": old.content_hash,
                },
                "new": {
                    "ruleset": new.id,
                    "version": new.version,
                    "hash": new.content_hash,
                },
                "records": len(rows),
                "changed": [
                    _change_json(c, _key(rows[c.index][1], rows[c.index][0]), args.lang)
                    for c in changes
                ],
            },
            sys.stdout,
            ensure_ascii=False,
            indent=2,
            default=str,
        )
        sys.stdout.write("\n")
        return EXIT_FINDINGS if changes else EXIT_OK
    zh = args.lang == "zh"
    head = (
        f"{len(rows)} 条记录，{len(changes)} 条结论改变"
        f"（{old.id} {old.version} → {new.id} {new.version}）"
        if zh
        else f"{len(rows)} records, {len(changes)} with a changed output "
        f"({old.id} {old.version} -> {new.id} {new.version})"
    )
    lines = [head]
    for change in changes[: args.limit]:
        where = _key(rows[change.index][1], rows[change.index][0])
        lines.append(f"  {where}: {change.summary()}")
        for label, decision in (("old", change.old), ("new", change.new)):
            if decision is not None and decision.explanation is not None:
                word = {"old": "旧", "new": "新"}[label] if zh else label
                lines.append(f"    {word}:")
                lines.extend(
                    "      " + line
                    for line in decision.explanation.text(args.lang).splitlines()
                )
    if len(changes) > args.limit:
        rest = len(changes) - args.limit
        lines.append(f"  ……另有 {rest} 条" if zh else f"  ... and {rest} more")
    if changes:
        moves = Counter(c.summary() for c in changes)
        lines.append("变化汇总：" if zh else "changes:")
        lines.extend(f"  {move}: {count}" for move, count in sorted(moves.items()))
    sys.stdout.write("\n".join(lines) + "\n")
    return EXIT_FINDINGS if changes else EXIT_OK


# ------------------------------------------------------------------ explain
def _cmd_explain(args: argparse.Namespace) -> int:
    ruleset = _load(args.file)
    record = parse_record_args(args.record, ruleset.schema)
    classifier = compile_ruleset(ruleset)
    try:
        decision = classifier.classify(record, explain=True)
    except (NoMatchError, HitPolicyError) as exc:
        sys.stderr.write(f"{args.file}: {type(exc).__name__}: {exc}\n")
        return EXIT_FINDINGS
    except RuleEvaluationError as exc:
        sys.stderr.write(f"--record: {exc}\n")
        return EXIT_BAD_INPUT
    assert decision.explanation is not None  # noqa: S101  # explain=True
    sys.stdout.write(decision.explanation.text(args.lang) + "\n")
    return EXIT_OK


# ------------------------------------------------------------------ jsonlogic
def _cmd_jsonlogic(args: argparse.Namespace) -> int:
    ruleset = _load(args.file)
    json.dump(
        {rule.id: to_jsonlogic(rule.when) for rule in ruleset.rules},
        sys.stdout,
        ensure_ascii=False,
        indent=2,
    )
    sys.stdout.write("\n")
    return EXIT_OK
