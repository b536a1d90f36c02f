"""Columnar screening: grade, aggregate, classify and rank whole tables with numpy.

For counties too large for record objects (600k communities, millions of risk
points): two tables of columns — one row per community, one per risk point — go
through `countypolicing.rules.Classifier.classify_columns` and the same numpy core
as `screen`, with no Python loop over rows.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

import attrs
import numpy as np

from countypolicing.exceptions import (
    ModelError,
    ReferenceIntegrityError,
    RuleEvaluationError,
)
from countypolicing.model import RiskTheme
from countypolicing.operations._frames import require_pandas
from countypolicing.operations._risk_lifecycle import as_classifier, grading_classifier
from countypolicing.operations._screening_core import (
    AGGREGATE_FIELDS,
    DEFAULT_RANKING,
    RankingPolicy,
    aggregate_risks,
    check_unique_ids,
    class_ranks,
    classification_values,
    level_codes,
    rank_order,
    scores,
    text_ids,
)
from countypolicing.rules import Classifier, RuleSet

if TYPE_CHECKING:
    import pandas as pd  # type: ignore[import-untyped, import-not-found, unused-ignore]  # optional extra, untyped

__all__ = ["ScreeningTable", "screen_columns"]

Array = Any  # numpy arrays

_THEME_FIELDS: Final = frozenset(f"theme_{t}" for t in RiskTheme)
_CARRIED: Final = ("station", "township")


def _table(columns: object, what: str) -> dict[str, Array]:
    """Every column of a mapping or a DataFrame as a 1-d numpy array of one length."""
    if isinstance(columns, Mapping):
        raw = {str(k): columns[k] for k in columns}
    elif hasattr(columns, "columns") and hasattr(columns, "__getitem__"):
        frame: Any = columns
        raw = {str(k): frame[k].to_numpy() for k in frame.columns}
    else:
        msg = f"{what} must be a mapping of arrays or a pandas DataFrame"
        raise TypeError(msg)
    out: dict[str, Array] = {}
    length: int | None = None
    for name, values in raw.items():
        array = np.asarray(values)
        if array.ndim != 1:
            raise RuleEvaluationError(
                f"{what}: expected a 1-dimensional column, got shape {array.shape}",
                field=name,
            )
        if length is not None and len(array) != length:
            raise RuleEvaluationError(
                f"{what}: the column has {len(array)} rows, others have {length}",
                field=name,
            )
        length = len(array)
        out[name] = array
    return out


def _positions(raw: Array, ids: Array) -> Array:
    """Community positions of the risk points' ``community`` column (ints or ids)."""
    n = len(ids)
    if raw.dtype.kind in "iu":
        codes = raw.astype(np.int64)
        bad = (codes < 0) | (codes >= n)
        if bad.any():
            row = int(np.argmax(bad))
            _unknown(row, str(int(codes[row])), f"a row number below {n}")
        return codes
    if raw.dtype.kind not in "UO":
        _unknown(0, repr(raw[0]) if len(raw) else "?", "a community id or row number")
    wanted = text_ids(raw)
    by_id = np.argsort(text_ids(ids), kind="stable")
    ordered = text_ids(ids)[by_id]
    at = np.searchsorted(ordered, wanted).clip(0, max(n - 1, 0))
    found = (ordered[at] == wanted) if n else np.zeros(len(wanted), dtype=bool)
    if not found.all():
        row = int(np.argmin(found))
        _unknown(row, str(wanted[row]), "an id in the community table")
    return by_id[at]


def _unknown(row: int, value: str, expected: str) -> None:
    raise ReferenceIntegrityError(
        f"risk point row {row} names community {value!r}, which is not {expected}",
        target_id=value,
        field="community",
        path=("risk_points", row, "community"),
    )


def _rewrap(
    exc: RuleEvaluationError, what: str, ids: Array | None
) -> RuleEvaluationError:
    row = exc.record_index
    who = f"{what} row {row}" if row is not None else what
    if ids is not None and row is not None:
        who = f"{what} {str(ids[row])!r} (row {row})"
    return type(exc)(
        f"{who}: {exc.message}", rule_id=exc.rule_id, field=exc.field, record_index=row
    )


def _arrays(value: Mapping[str, Array]) -> Mapping[str, Array]:
    return dict(value)


@attrs.frozen(kw_only=True, eq=False)
class ScreeningTable:
    """The result of `screen_columns`: one value per community, and the ranking.

    Attributes:
        ids: the community ids, in input order.
        classes: the class decided for each community (object array).
        class_rank: each class's rank (the most severe of ``n`` classes ranks ``n``).
        score: each community's ranking score.
        order: the ranking: row numbers, first position first.
        levels: each risk point's level rank (1 low … 4 major), in input order.
        class_values: the classes, most severe first.
        columns: the community columns the classifier and the score read,
            aggregates included (for `record` and `to_frame`).

    Added in version 0.1.0.
    """

    ids: Array
    classes: Array
    class_rank: Array
    score: Array
    order: Array
    levels: Array
    class_values: tuple[str, ...]
    columns: Mapping[str, Array] = attrs.field(converter=_arrays, repr=False)

    def __len__(self) -> int:
        return len(self.ids)

    def ranked_ids(self, *, top: int | None = None) -> list[str]:
        """The community ids in ranking order (the first ``top`` only, if given)."""
        return [str(x) for x in self.ids[self.order[:top]]]

    def class_counts(self) -> tuple[tuple[str, int], ...]:
        """How many communities fall in each class, most severe first."""
        n = len(self.class_values)
        counts = np.bincount(self.class_rank, minlength=n + 1)
        return tuple((v, int(counts[n - i])) for i, v in enumerate(self.class_values))

    def record(self, row: int) -> dict[str, object]:
        """The record of one community (by row), ready for ``Classifier.explain``."""
        out: dict[str, object] = {}
        for name, column in self.columns.items():
            value = column[row]
            out[name] = value.item() if isinstance(value, np.generic) else value
        return out

    def to_frame(self) -> pd.DataFrame:
        """The communities in ranking order with position, class, score and columns.

        Needs the ``pandas`` extra.

        Raises:
            ImportError: pandas is not installed.
        """
        pandas = require_pandas()
        order = self.order
        data: dict[str, Array] = {
            "community_id": self.ids[order],
            "position": np.arange(1, len(order) + 1),
            "risk_class": np.array([str(c) for c in self.classes[order]], dtype=object),
            "class_rank": self.class_rank[order],
            "score": self.score[order],
        }
        for name, column in self.columns.items():
            data.setdefault(name, column[order])
        return pandas.DataFrame(data).set_index("community_id")


def screen_columns(  # noqa: C901, PLR0912, PLR0915  # one pass, in the order of the procedure
    communities: object,
    risk_points: object,
    grading: Classifier | RuleSet,
    classification: Classifier | RuleSet,
    *,
    ranking: RankingPolicy = DEFAULT_RANKING,
) -> ScreeningTable:
    """Grade, classify and rank whole tables (numpy arrays or DataFrames) at numpy speed.

    The same procedure as `countypolicing.operations.screen`, on columns you have
    already taken as of your screening day:

    - ``communities``: one row per community: ``id`` (unique text), the indicator
      columns the community ruleset and the ranking read (``population``,
      ``calls_per_1000``…; ``disputes_open`` as you count it), optionally
      ``theme_*`` flags, ``station`` and ``township``. The aggregate columns
      (``risk_points``, ``worst_level``, ``major_risks``…) are computed here and
      must not be given.
    - ``risk_points``: one row per risk point: ``community`` (row numbers into
      ``communities``, fastest, or community ids), the columns the grading reads
      (``likelihood``, ``severity``; ``score`` is derived when missing),
      optionally ``open`` (bool) or ``status`` (closed ones count in no aggregate),
      ``open_hazards`` (summed into the community's ``open_hazards``) and
      ``theme`` (setting the community's ``theme_*`` flags the ruleset reads).

    Args:
        communities: the community table.
        risk_points: the risk-point table.
        grading: the risk-point ruleset or its classifier.
        classification: the community ruleset or its classifier.
        ranking: the score within a class.

    Returns:
        The classes, scores and ranking.

    Raises:
        RuleEvaluationError: a column the rulesets or the ranking read is missing,
            or holds NaN, infinity, ``None`` or a value of the wrong type; the
            message names the table, the row (and the community id) and the field.
        ReferenceIntegrityError: a risk point names a community not in the table
            (``path`` is ``("risk_points", row, "community")``).
        ModelError: a community id is used twice, or an aggregate column is given.

    Examples:
        >>> import numpy as np
        >>> from countypolicing.datasets import default_ruleset
        >>> table = screen_columns(
        ...     {
        ...         "id": np.array(["c1", "c2", "c3"]),
        ...         "population": np.array([3000, 5000, 800]),
        ...         "rental_units": np.array([10, 2000, 5]),
        ...         "calls_per_1000": np.array([5.0, 12.0, 2.0]),
        ...         "prior_incidents": np.array([1, 3, 0]),
        ...         "disputes_open": np.array([0, 2, 0]),
        ...     },
        ...     {
        ...         "community": np.array([0, 0, 2]),
        ...         "likelihood": np.array([4, 2, 5]),
        ...         "severity": np.array([5, 2, 4]),
        ...         "open_hazards": np.array([0, 1, 0]),
        ...     },
        ...     default_ruleset("risk-point-grading"),
        ...     default_ruleset("community-classification"),
        ... )
        >>> table.ranked_ids()
        ['c1', 'c3', 'c2']
        >>> [str(table.classes[i]) for i in table.order]
        ['class_1', 'class_1', 'class_2']
        >>> table.class_counts()
        (('class_1', 2), ('class_2', 1), ('class_3', 0))

    Added in version 0.1.0.
    """
    grade_clf = grading_classifier(grading)
    class_clf = as_classifier(classification)
    values = classification_values(class_clf)
    comm = _table(communities, "communities")
    risks = _table(risk_points, "risk points")
    if "id" not in comm:
        raise RuleEvaluationError("communities: there is no id column", field="id")
    ids = comm["id"]
    n = len(ids)
    given = sorted(set(comm) & set(AGGREGATE_FIELDS))
    if given:
        raise ModelError(
            f"communities: {', '.join(given)} are computed from the risk points; "
            "leave them out",
            field=given[0],
        )
    if "open_hazards" in comm and "open_hazards" in risks:
        raise ModelError(
            "open_hazards is given per community and per risk point; give one",
            field="open_hazards",
        )
    check_unique_ids(ids)
    if "community" not in risks:
        raise RuleEvaluationError(
            "risk points: there is no community column", field="community"
        )
    where = _positions(risks["community"], ids)
    m = len(where)

    # grade
    if (
        "score" in grade_clf.fields
        and "score" not in risks
        and {"likelihood", "severity"} <= set(risks)
    ):
        risks["score"] = risks["likelihood"] * risks["severity"]
    try:
        graded = grade_clf.classify_columns(risks)
    except RuleEvaluationError as exc:
        raise _rewrap(exc, "risk point", risks.get("id")) from exc
    levels = level_codes(graded, grade_clf)

    # aggregate
    if "open" in risks:
        is_open = np.asarray(risks["open"], dtype=bool)
    elif "status" in risks:
        is_open = np.asarray(risks["status"]) != "closed"
    else:
        is_open = np.ones(m, dtype=bool)
    columns: dict[str, Array] = dict(aggregate_risks(n, where, levels, is_open))
    if "open_hazards" in risks:
        hazards = np.asarray(risks["open_hazards"])
        if hazards.dtype.kind not in "iu" or (hazards < 0).any():
            raise RuleEvaluationError(
                "risk points: open_hazards must be whole numbers >= 0",
                field="open_hazards",
            )
        columns["open_hazards"] = np.bincount(
            where, weights=hazards, minlength=n
        ).astype(np.int64)
    wanted = set(class_clf.fields) | set(ranking.fields)
    for name in sorted(wanted & _THEME_FIELDS):
        own = (
            np.asarray(comm[name], dtype=bool)
            if name in comm
            else np.zeros(n, dtype=bool)
        )
        if "theme" in risks:
            theme = name.removeprefix("theme_")
            hit = np.asarray(risks["theme"]) == theme
            own = own | (np.bincount(where[hit & is_open], minlength=n) > 0)
        columns[name] = own
    for name in sorted(wanted - set(columns)):
        if name not in comm:
            raise RuleEvaluationError(
                f"communities: there is no {name!r} column (a field the community "
                "ruleset or the ranking reads)",
                field=name,
            )
        columns[name] = comm[name]

    # classify and rank
    try:
        classes = class_clf.classify_columns(columns)
    except RuleEvaluationError as exc:
        raise _rewrap(exc, "community", ids) from exc
    ranks = class_ranks(classes, class_clf)
    try:
        score = scores(columns, ranking, n)
    except RuleEvaluationError as exc:
        raise _rewrap(exc, "community", ids) from exc
    order = rank_order(ranks, score, ids)
    for name in _CARRIED:
        if name in comm:
            columns.setdefault(name, comm[name])
    return ScreeningTable(
        ids=np.asarray(ids),
        classes=classes,
        class_rank=ranks,
        score=score,
        order=order,
        levels=levels,
        class_values=values,
        columns=columns,
    )
