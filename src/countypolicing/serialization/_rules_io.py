"""Load rule files: strict YAML, then the rule engine's validation, errors located."""

from __future__ import annotations

import os
from pathlib import Path

import attrs

from countypolicing.exceptions import ConfigError, Location, RuleSetError
from countypolicing.rules import RuleLimits, RuleSet, ruleset_from_data
from countypolicing.serialization._yaml import (
    DEFAULT_LIMITS,
    LoadLimits,
    YamlDocument,
    format_path,
    load_yaml_file,
    parse_yaml,
)

__all__ = ["load_ruleset"]

_DEFAULT_RULE_LIMITS = RuleLimits()


def _is_path(source: str | os.PathLike[str]) -> bool:
    if isinstance(source, os.PathLike):
        return True
    if "\n" in source:
        return False
    path = Path(source)
    return path.suffix in {".yaml", ".yml"} or path.is_file()


def load_ruleset(
    source: str | os.PathLike[str],
    *,
    limits: LoadLimits = DEFAULT_LIMITS,
    rule_limits: RuleLimits = _DEFAULT_RULE_LIMITS,
) -> RuleSet:
    """Load and validate a ruleset from a YAML file or YAML text.

    A path (or a string ending in ``.yaml``/``.yml``, or naming an existing file)
    is read as a file; any other string is parsed as YAML text.

    Raises:
        ConfigError: the file cannot be read or is not acceptable YAML.
        RuleSetError: every problem of the ruleset, each with its rule id, file,
            line, column and path (``rules[2].when``), and the column inside the
            expression.

    Examples:
        >>> rs = load_ruleset('''
        ... ruleset: demo
        ... version: "1"
        ... fields: {calls_per_1000: float}
        ... output: {name: level, values: [high, low]}
        ... default: low
        ... rules:
        ...   - {id: R1, when: calls_per_1000 > 30, then: high}
        ... ''')
        >>> rs.rules[0].text
        'calls_per_1000 > 30'
        >>> from countypolicing.exceptions import RuleSetError
        >>> try:
        ...     load_ruleset('''
        ... ruleset: demo
        ... version: "1"
        ... fields: {calls_per_1000: float}
        ... output: {name: level, values: [high, low]}
        ... rules:
        ...   - {id: R1, when: calls_per_100 > 30, then: high}
        ... ''')
        ... except RuleSetError as err:
        ...     print(err.problems[0])
        <text>:7:20: rules[0].when: rule 'R1': unknown field 'calls_per_100'; did you mean 'calls_per_1000'? (expression column 1)
    """
    if _is_path(source):
        doc = load_yaml_file(source, limits=limits)
    else:
        doc = parse_yaml(str(source), source="<text>", limits=limits)
    return ruleset_from_document(doc, rule_limits=rule_limits)


def ruleset_from_document(
    doc: YamlDocument, *, rule_limits: RuleLimits = _DEFAULT_RULE_LIMITS
) -> RuleSet:
    """Build a ruleset from a parsed YAML document, placing every error in the file."""
    if not isinstance(doc.data, dict):
        raise ConfigError(
            "a rule file is a mapping (ruleset:, version:, rules:, ...)",
            location=doc.locate(()),
        )
    data = doc.data
    version = data.get("version")
    if isinstance(version, (int, float)) and not isinstance(version, bool):
        # `version: 2020.10` is the number 2020.1: keep the text as written
        written = doc.raw_scalar(["version"])
        if written is not None:
            data = {**data, "version": written}
    try:
        return ruleset_from_data(data, limits=rule_limits)
    except RuleSetError as group:
        located = [
            problem.located(
                attrs.evolve(doc.locate(problem.path), path=format_path(problem.path))
                if problem.path
                else Location(source=doc.source)
            )
            for problem in group.problems
        ]
        raise RuleSetError(group.message, located) from None
