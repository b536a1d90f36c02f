"""Every error countypolicing raises, in one tree.

Each class subclasses the builtin that fits, so ``except ValueError`` keeps working,
and carries what a user needs to fix the input as attributes.

```text
CountyPolicingError(Exception)
├── ModelError(ValueError)                  invariant violated; .field, .record_id, .path
│   ├── TransitionError                     illegal lifecycle step; .state, .action
│   └── ReferenceIntegrityError             unknown or duplicate id; .target_id
├── UnknownIdError(KeyError)                a lookup by an id that does not exist
├── IntegrityError(ExceptionGroup)          every ModelError of one County at once
├── LoadError(ValueError)                   a file could not be read; .location
│   ├── ConfigError                         malformed YAML, tags, duplicate keys, encoding
│   ├── ValidationError                     wrong type, missing or unknown field
│   ├── SchemaVersionError                  missing, newer or unknown schema_version
│   └── LimitExceeded                       size, depth or alias-expansion limit
├── LoadErrorGroup(ExceptionGroup)          every LoadError of one file at once
├── SaveError(OSError)                      an atomic save failed; nothing was changed
├── GraphError                              not a responsibility graph, or not exportable
│   └── UnknownNodeError(KeyError)          a node key (or id) the graph does not hold
├── LedgerError                             a ledger cannot be read or written; .seq, .line, .source
│   └── LedgerIntegrityError(ValueError)    the ledger was altered, cut short, reordered or damaged
└── RuleError
    ├── RuleDefinitionError(ValueError)     a rule cannot be built; .rule_id, .path, .location
    │   ├── RuleSyntaxError                 not parseable, or outside the allow-list
    │   ├── RuleTypeError                   does not type-check against the schema
    │   └── RuleLimitError                  larger or deeper than the configured limits
    ├── RuleSetError(ExceptionGroup)        every definition problem of one ruleset
    └── RuleEvaluationError(ValueError)     a record cannot be classified; .rule_id, .field
        ├── NoMatchError                    no rule matched and there is no default
        └── HitPolicyError                  matches that the hit policy forbids
```

Examples:
    >>> from countypolicing.exceptions import Location, ValidationError
    >>> err = ValidationError(
    ...     "expected an integer, got 'many'",
    ...     location=Location(source="communities.yaml", line=3, column=17,
    ...                       path="communities[0].population"),
    ... )
    >>> print(err)
    communities.yaml:3:17: communities[0].population: expected an integer, got 'many'
    >>> isinstance(err, ValueError)
    True

Added in version 0.1.0.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Self, TypeVar

import attrs

__all__ = [
    "ConfigError",
    "CountyPolicingError",
    "GraphError",
    "HitPolicyError",
    "IntegrityError",
    "LedgerError",
    "LedgerIntegrityError",
    "LimitExceeded",
    "LoadError",
    "LoadErrorGroup",
    "Location",
    "ModelError",
    "NoMatchError",
    "ReferenceIntegrityError",
    "RuleDefinitionError",
    "RuleError",
    "RuleEvaluationError",
    "RuleLimitError",
    "RuleSetError",
    "RuleSyntaxError",
    "RuleTypeError",
    "SaveError",
    "SchemaVersionError",
    "TransitionError",
    "UnknownIdError",
    "UnknownNodeError",
    "ValidationError",
]


@attrs.frozen(kw_only=True)
class Location:
    """Where in which file a problem sits.

    Lines and columns count from 1, as editors show them.
    ``path`` is the place in the document, written ``communities[2].population``.

    Examples:
        >>> str(Location(source="risks.yaml", line=4, column=3, path="risk_points[1]"))
        'risks.yaml:4:3: risk_points[1]'
        >>> str(Location(path="tasks[0].deadline"))
        'tasks[0].deadline'

    Added in version 0.1.0.
    """

    source: str | None = None
    line: int | None = None
    column: int | None = None
    path: str | None = None

    def __str__(self) -> str:
        parts: list[str] = []
        if self.source is not None:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
                if self.column is not None:
                    where += f":{self.column}"
            parts.append(where)
        if self.path:
            parts.append(self.path)
        return ": ".join(parts)


class CountyPolicingError(Exception):
    """The root of every error the library raises.

    Added in version 0.1.0.
    """


class ModelError(CountyPolicingError, ValueError):
    """A domain invariant does not hold (a negative count, an end before its start).

    Attributes:
        field: the attribute at fault, when one is.
        record_id: the id of the record at fault, when known.
        path: where the record sits in its County, e.g. ``("disputes", 3, "community_id")``.

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        field: str | None = None,
        record_id: str | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message)
        self.message = message
        self.field = field
        self.record_id = record_id
        self.path = path

    def __str__(self) -> str:
        if not self.path:
            return self.message
        return f"{_format_path(self.path)}: {self.message}"

    def at(self, *prefix: str | int) -> Self:
        """A copy of this error whose path starts with ``prefix``."""
        kwargs = self._kwargs()
        kwargs["path"] = (*prefix, *self.path)
        return type(self)(self.message, **kwargs)  # type: ignore[arg-type]  # kwargs match __init__

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.message,), self._kwargs()))

    def _kwargs(self) -> dict[str, object]:
        return {"field": self.field, "record_id": self.record_id, "path": self.path}


class TransitionError(ModelError):
    """A lifecycle step that is not allowed from the current state.

    Attributes:
        state: the state the record is in.
        action: the step that was asked for.

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        state: str,
        action: str,
        record_id: str | None = None,
        field: str | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message, field=field, record_id=record_id, path=path)
        self.state = state
        self.action = action

    def _kwargs(self) -> dict[str, object]:
        return {**super()._kwargs(), "state": self.state, "action": self.action}


class ReferenceIntegrityError(ModelError):
    """A record names an id that does not exist, or an id is used twice.

    Attributes:
        target_id: the id that could not be resolved (or that is duplicated).

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        target_id: str,
        field: str | None = None,
        record_id: str | None = None,
        path: tuple[str | int, ...] = (),
    ) -> None:
        super().__init__(message, field=field, record_id=record_id, path=path)
        self.target_id = target_id

    def _kwargs(self) -> dict[str, object]:
        return {**super()._kwargs(), "target_id": self.target_id}


class UnknownIdError(CountyPolicingError, KeyError):
    """A lookup by an id that the County does not hold.

    Attributes:
        kind: what was looked up (``community``, ``organisation``...).
        id: the id asked for.
        suggestion: the closest existing id, when one is close.

    Added in version 0.1.0.
    """

    def __init__(self, kind: str, id_: str, *, suggestion: str | None = None) -> None:
        self.kind = kind
        self.id = id_
        self.suggestion = suggestion
        super().__init__(kind, id_)

    def __str__(self) -> str:
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        return f"no {self.kind} with id {self.id!r}{hint}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (type(self), (self.kind, self.id), {"suggestion": self.suggestion}),
        )


class IntegrityError(ExceptionGroup[ModelError], CountyPolicingError, ValueError):
    """Every referential-integrity problem of one County, reported together.

    ``exceptions`` holds one `ModelError` per problem; each message starts with the
    path of the record at fault (``disputes[3].community_id``).

    Added in version 0.1.0.
    """

    def __new__(cls, message: str, exceptions: Sequence[ModelError]) -> Self:
        """Group ``exceptions`` under ``message``."""
        return super().__new__(cls, message, exceptions)

    @property
    def problems(self) -> tuple[ModelError, ...]:
        """Every problem, flattened out of any nested groups."""
        return _leaves(self, ModelError)

    def derive(self, excs: Sequence[ModelError]) -> IntegrityError:  # type: ignore[override]  # narrower element type
        """Rebuild the group around a subset (used by ``except*``)."""
        return IntegrityError(self.message, excs)

    def __str__(self) -> str:
        return _render_group(self.message, self.problems)


class LoadError(CountyPolicingError, ValueError):
    """A file or text could not be turned into domain objects.

    Attributes:
        location: file, line, column and document path of the problem.
        message: the problem, without the location.

    Added in version 0.1.0.
    """

    def __init__(self, message: str, *, location: Location | None = None) -> None:
        self.message = message
        self.location = location if location is not None else Location()
        super().__init__(self._render())

    def _render(self) -> str:
        where = str(self.location)
        return f"{where}: {self.message}" if where else self.message

    @property
    def source(self) -> str | None:
        """The file (or ``<text>``) the problem is in."""
        return self.location.source

    @property
    def line(self) -> int | None:
        """The 1-based line of the problem."""
        return self.location.line

    @property
    def column(self) -> int | None:
        """The 1-based column of the problem."""
        return self.location.column

    @property
    def path(self) -> str | None:
        """The document path of the problem, such as ``communities[2].population``."""
        return self.location.path

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.message,), self._kwargs()))

    def _kwargs(self) -> dict[str, object]:
        return {"location": self.location}


class ConfigError(LoadError):
    """The text is not acceptable YAML for us: syntax, tags, duplicate keys, encoding.

    Added in version 0.1.0.
    """


class ValidationError(LoadError):
    """Well-formed YAML whose content does not fit the schema.

    Attributes:
        field: the field at fault, when one is.

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        location: Location | None = None,
        field: str | None = None,
    ) -> None:
        self.field = field
        super().__init__(message, location=location)

    def _kwargs(self) -> dict[str, object]:
        return {**super()._kwargs(), "field": self.field}


class SchemaVersionError(LoadError):
    """A file has no ``schema_version``, or one this version cannot read.

    Added in version 0.1.0.
    """


class LimitExceeded(LoadError):  # noqa: N818  # the name the design documents use
    """Input larger, deeper or more expanded than the configured limit allows.

    Attributes:
        limit: the name of the limit (``max_bytes``, ``max_depth``...).
        allowed: the configured bound.
        actual: the value found (at least; counting stops at the bound).

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        limit: str,
        allowed: int,
        actual: int,
        location: Location | None = None,
    ) -> None:
        self.limit = limit
        self.allowed = allowed
        self.actual = actual
        super().__init__(message, location=location)

    def _kwargs(self) -> dict[str, object]:
        return {
            **super()._kwargs(),
            "limit": self.limit,
            "allowed": self.allowed,
            "actual": self.actual,
        }


class LoadErrorGroup(ExceptionGroup[LoadError], CountyPolicingError, ValueError):  # noqa: N818  # a group, named like ExceptionGroup
    """Every problem found in one load, reported together, each located.

    Added in version 0.1.0.
    """

    def __new__(cls, message: str, exceptions: Sequence[LoadError]) -> Self:
        """Group ``exceptions`` under ``message``."""
        return super().__new__(cls, message, exceptions)

    @property
    def problems(self) -> tuple[LoadError, ...]:
        """Every problem, flattened out of any nested groups."""
        return _leaves(self, LoadError)

    def derive(self, excs: Sequence[LoadError]) -> LoadErrorGroup:  # type: ignore[override]  # narrower element type
        """Rebuild the group around a subset (used by ``except*``)."""
        return LoadErrorGroup(self.message, excs)

    def __str__(self) -> str:
        return _render_group(self.message, self.problems)


class SaveError(CountyPolicingError, OSError):
    """Writing a file failed; the previous file, if any, is unchanged.

    Added in version 0.1.0.
    """


class RuleError(CountyPolicingError):
    """Base of every rule-engine error.

    Added in version 0.1.0.
    """


class RuleDefinitionError(RuleError, ValueError):
    """A rule or ruleset cannot be built: the message says what and where.

    Attributes:
        rule_id: the rule at fault (``None`` for ruleset-level problems).
        path: where in the rule file, e.g. ``("rules", 2, "when")``.
        column: 1-based column inside the expression text, when known.
        location: file, line and column once the loader has placed it.

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        rule_id: str | None = None,
        path: tuple[str | int, ...] = (),
        column: int | None = None,
        location: Location | None = None,
    ) -> None:
        self.message = message
        self.rule_id = rule_id
        self.path = path
        self.column = column
        self.location = location
        super().__init__(self._render())

    def _render(self) -> str:
        parts: list[str] = []
        if self.location is not None and str(self.location):
            parts.append(str(self.location))
        elif self.path:
            parts.append(_format_path(self.path))
        if self.rule_id is not None:
            parts.append(f"rule {self.rule_id!r}")
        text = self.message
        if self.column is not None:
            text += f" (expression column {self.column})"
        return ": ".join([*parts, text])

    def located(self, location: Location) -> Self:
        """A copy of this error placed at ``location``."""
        kwargs = self._kwargs()
        kwargs["location"] = location
        return type(self)(self.message, **kwargs)  # type: ignore[arg-type]  # kwargs match __init__

    def at(self, *prefix: str | int) -> Self:
        """A copy of this error whose path starts with ``prefix``."""
        kwargs = self._kwargs()
        kwargs["path"] = (*prefix, *self.path)
        return type(self)(self.message, **kwargs)  # type: ignore[arg-type]  # kwargs match __init__

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild, (type(self), (self.message,), self._kwargs()))

    def _kwargs(self) -> dict[str, object]:
        return {
            "rule_id": self.rule_id,
            "path": self.path,
            "column": self.column,
            "location": self.location,
        }


class RuleSyntaxError(RuleDefinitionError):
    """An expression that cannot be parsed or uses something outside the allow-list.

    Added in version 0.1.0.
    """


class RuleTypeError(RuleDefinitionError):
    """An expression that does not type-check against the ruleset's schema.

    Added in version 0.1.0.
    """


class RuleLimitError(RuleDefinitionError):
    """An expression or ruleset larger or deeper than the configured limits.

    Added in version 0.1.0.
    """


class RuleSetError(ExceptionGroup[RuleDefinitionError], RuleError, ValueError):
    """Every problem of one ruleset, reported together.

    Added in version 0.1.0.
    """

    def __new__(cls, message: str, exceptions: Sequence[RuleDefinitionError]) -> Self:
        """Group ``exceptions`` under ``message``."""
        return super().__new__(cls, message, exceptions)

    @property
    def problems(self) -> tuple[RuleDefinitionError, ...]:
        """Every problem, flattened out of any nested groups."""
        return _leaves(self, RuleDefinitionError)

    def derive(self, excs: Sequence[RuleDefinitionError]) -> RuleSetError:  # type: ignore[override]  # narrower element type
        """Rebuild the group around a subset (used by ``except*``)."""
        return RuleSetError(self.message, excs)

    def __str__(self) -> str:
        return _render_group(self.message, self.problems)


class RuleEvaluationError(RuleError, ValueError):
    """A record that cannot be classified (a missing value, a division by zero).

    Attributes:
        rule_id: the rule being evaluated, when known.
        field: the field at fault, when known.
        record_index: the record's position in a batch, when known.

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        rule_id: str | None = None,
        field: str | None = None,
        record_index: int | None = None,
    ) -> None:
        self.message = message
        self.rule_id = rule_id
        self.field = field
        self.record_index = record_index
        parts = []
        if record_index is not None:
            parts.append(f"record {record_index}")
        if rule_id is not None:
            parts.append(f"rule {rule_id!r}")
        if field is not None:
            parts.append(f"field {field!r}")
        super().__init__(": ".join([*parts, message]))

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (
                type(self),
                (self.message,),
                {
                    "rule_id": self.rule_id,
                    "field": self.field,
                    "record_index": self.record_index,
                },
            ),
        )


class NoMatchError(RuleEvaluationError):
    """No rule matched and the ruleset declares no default.

    Added in version 0.1.0.
    """


class HitPolicyError(RuleEvaluationError):
    """Matches the hit policy forbids: two rules under ``unique``, or different outputs under ``any``.

    Added in version 0.1.0.
    """


class LedgerError(CountyPolicingError):
    """A ledger cannot be read or written, or an entry does not fit it.

    Raised, among others, when the disk is full or the file is read-only (nothing is
    written), when an entry's sequence number or timestamp does not continue the
    ledger, and when an idempotency key is reused for a different entry.

    Attributes:
        message: what is wrong, without the location.
        seq: the sequence number of the entry concerned, when there is one.
        line: the 1-based line of a JSONL file, when reading one.
        source: the file concerned, when there is one.

    Examples:
        >>> err = LedgerError("truncated line", source="ledger.jsonl", line=7, seq=6)
        >>> print(err)
        ledger.jsonl:7: entry 6: truncated line

    Added in version 0.1.0.
    """

    def __init__(
        self,
        message: str,
        *,
        seq: int | None = None,
        line: int | None = None,
        source: str | None = None,
    ) -> None:
        self.message = message
        self.seq = seq
        self.line = line
        self.source = source
        super().__init__(self._render())

    def _render(self) -> str:
        where = ""
        if self.source is not None:
            where = self.source
            if self.line is not None:
                where += f":{self.line}"
        elif self.line is not None:
            where = f"line {self.line}"
        parts = [where] if where else []
        if self.seq is not None:
            parts.append(f"entry {self.seq}")
        parts.append(self.message)
        return ": ".join(parts)

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (
                type(self),
                (self.message,),
                {"seq": self.seq, "line": self.line, "source": self.source},
            ),
        )


class LedgerIntegrityError(LedgerError, ValueError):
    """The ledger's content is not what was written: edited, deleted, reordered or cut.

    Raised by `LedgerVerification.raise_for_problem`, by stores that find a broken
    chain while reading, and by `countypolicing.storage.import_jsonl` on a damaged file
    (unless recovery was asked for).

    Examples:
        >>> isinstance(LedgerIntegrityError("hash mismatch", seq=3), LedgerError)
        True

    Added in version 0.1.0.
    """


class GraphError(CountyPolicingError):
    """The graph is not one this package can work with.

    Raised for a graph of the wrong kind (not a `networkx.MultiDiGraph` made by
    `build_responsibility_graph`, in the way `networkx.utils.not_implemented_for`
    guards its algorithms) and for attributes an export format cannot hold.

    Examples:
        >>> import networkx as nx
        >>> from countypolicing.graph import responsibility_gaps
        >>> responsibility_gaps(nx.Graph())
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.GraphError: expected a responsibility graph (a networkx.MultiDiGraph from build_responsibility_graph), got a Graph

    Added in version 0.1.0.
    """


class UnknownNodeError(GraphError, KeyError):
    """A node the graph does not hold, asked for by key or by record id.

    Attributes:
        node: the node key that was looked for (``"risk:rp-017"``).
        suggestion: the closest existing key of the same kind, when one is close.
        reason: why the node does not fit, when it exists but is of another kind.

    Examples:
        >>> err = UnknownNodeError("risk:rp-17", suggestion="risk:rp-017")
        >>> print(err)
        no node 'risk:rp-17' in the responsibility graph; did you mean 'risk:rp-017'?
        >>> isinstance(err, KeyError)
        True

    Added in version 0.1.0.
    """

    def __init__(
        self, node: str, *, suggestion: str | None = None, reason: str | None = None
    ) -> None:
        self.node = node
        self.suggestion = suggestion
        self.reason = reason
        super().__init__(node)

    def __str__(self) -> str:
        if self.reason is not None:
            return f"node {self.node!r} {self.reason}"
        hint = f"; did you mean {self.suggestion!r}?" if self.suggestion else ""
        return f"no node {self.node!r} in the responsibility graph{hint}"

    def __reduce__(self) -> tuple[object, ...]:
        return (
            _rebuild,
            (
                type(self),
                (self.node,),
                {"suggestion": self.suggestion, "reason": self.reason},
            ),
        )


_Leaf = TypeVar("_Leaf", bound=Exception)


def _leaves(
    group: BaseExceptionGroup[Exception], kind: type[_Leaf]
) -> tuple[_Leaf, ...]:
    """The exceptions of ``kind`` in ``group``, flattened out of nested groups."""
    out: list[_Leaf] = []
    for exc in group.exceptions:
        if isinstance(exc, BaseExceptionGroup):
            out.extend(_leaves(exc, kind))
        elif isinstance(exc, kind):
            out.append(exc)
    return tuple(out)


def _render_group(message: str, problems: Sequence[Exception]) -> str:
    count = "1 problem" if len(problems) == 1 else f"{len(problems)} problems"
    return "\n".join([f"{message} ({count})", *(f"  - {exc}" for exc in problems)])


def _format_path(path: Sequence[str | int]) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else part
    return out or "$"


def _rebuild(
    cls: type[Exception], args: tuple[object, ...], kwargs: dict[str, object]
) -> Exception:
    return cls(*args, **kwargs)
