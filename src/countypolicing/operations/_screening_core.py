"""The numpy core of screening, shared by the County path and the columnar path.

Both paths build the same columns (one value per community), aggregate risk points
with ``np.bincount`` (no per-row Python loop), score and order with the same
functions, so they rank the same communities the same way.
"""

from __future__ import annotations

import difflib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np

from countypolicing.exceptions import ModelError, RuleEvaluationError, RuleTypeError
from countypolicing.model import RiskLevel
from countypolicing.rules import Classifier, HitPolicy, ValueType, builtin_schema

__all__ = [
    "AGGREGATE_FIELDS",
    "COUNT_FIELDS",
    "RankingPolicy",
    "aggregate_risks",
    "check_unique_ids",
    "class_ranks",
    "classification_values",
    "level_codes",
    "rank_order",
    "scores",
    "text_ids",
]

Array = Any  # numpy arrays; numpy's own annotations are too loose to help here

#: The count field of each risk level, most severe first.
COUNT_FIELDS: Final[tuple[tuple[RiskLevel, str], ...]] = (
    (RiskLevel.MAJOR, "major_risks"),
    (RiskLevel.SIGNIFICANT, "significant_risks"),
    (RiskLevel.GENERAL, "general_risks"),
    (RiskLevel.LOW, "low_risks"),
)

#: Community fields computed from the risk points (never taken from the caller).
AGGREGATE_FIELDS: Final = (
    "risk_points",
    "worst_level",
    *(name for _, name in COUNT_FIELDS),
)

#: Level names indexed by rank (0: no open risk point).
_LEVEL_BY_RANK: Final = (
    None,
    *sorted((str(lv) for lv in RiskLevel), key=lambda v: RiskLevel(v).rank),
)

_COMMUNITY = builtin_schema("community")
_NUMERIC: Final = frozenset(
    f.name
    for f in _COMMUNITY.fields
    if f.type in {ValueType.INT, ValueType.FLOAT} and not f.optional
)


def _weights(
    value: Mapping[str, float] | Iterable[tuple[str, float]],
) -> tuple[tuple[str, float], ...]:
    items = value.items() if isinstance(value, Mapping) else value
    return tuple((str(k), v) for k, v in items)


def _non_negative_number(value: object) -> bool:
    """A finite int or float >= 0, and not a bool."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return False
    return math.isfinite(value) and value >= 0


_DEFAULT_WEIGHTS: Final = (
    ("major_risks", 1000),
    ("significant_risks", 100),
    ("general_risks", 10),
    ("low_risks", 1),
    ("open_hazards", 10),
    ("disputes_open", 5),
    ("prior_incidents", 2),
    ("calls_per_1000", 1),
)


@attrs.frozen(kw_only=True)
class RankingPolicy:
    """The score that orders communities within a risk class (梳理排队).

    Ranking is a total order: the class first (most severe first), then this score
    (highest first), then the community id. The score is a weighted sum of the
    community's record fields, the same numbers the classifier reads::

        score = sum(weight * record[field] for field, weight in weights)

    Weights are finite and non-negative, so raising any field never lowers the
    score. The default weights count open risk points by level (1000 for a major
    one, 100 for a significant, 10 for a general, 1 for a low one), then open
    hazards (10 each), open disputes (5), cases in the last year (2) and police
    calls per 1,000 residents (1). They are an inferred convention, not a rule
    from a source: set your own.

    Attributes:
        weights: ``(field, weight)`` pairs over numeric fields of the ``community``
            record; a mapping is accepted.

    Examples:
        >>> p = RankingPolicy(weights={"major_risks": 10, "open_hazards": 1})
        >>> p.score({"major_risks": 2, "open_hazards": 3})
        23.0
        >>> RankingPolicy(weights={"major_risk": 1})
        Traceback (most recent call last):
        ...
        countypolicing.exceptions.ModelError: 'major_risk' is not a numeric community field; did you mean 'major_risks'?

    Added in version 0.1.0.
    """

    weights: tuple[tuple[str, float], ...] = attrs.field(
        default=_DEFAULT_WEIGHTS, converter=_weights
    )

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for name, weight in self.weights:
            if name not in _NUMERIC:
                close = difflib.get_close_matches(name, sorted(_NUMERIC), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                raise ModelError(
                    f"{name!r} is not a numeric community field{hint}", field="weights"
                )
            if name in seen:
                raise ModelError(f"{name!r} is weighted twice", field="weights")
            seen.add(name)
            if not _non_negative_number(weight):
                raise ModelError(
                    f"the weight of {name!r} must be a finite number >= 0, got {weight!r}",
                    field="weights",
                )

    @property
    def fields(self) -> tuple[str, ...]:
        """The weighted fields, in order."""
        return tuple(name for name, _ in self.weights)

    def score(self, record: Mapping[str, object]) -> float:
        """The score of one community record (see the class docstring)."""
        return float(
            scores({k: np.asarray([record[k]]) for k in self.fields}, self, 1)[0]
        )

    def terms(
        self, record: Mapping[str, object]
    ) -> tuple[tuple[str, object, float, float], ...]:
        """``(field, value, weight, points)`` for every weighted field."""
        out = []
        for name, weight in self.weights:
            value = record[name]
            out.append((name, value, weight, float(weight) * float(value)))  # type: ignore[arg-type]  # a number
        return tuple(out)


DEFAULT_RANKING: Final = RankingPolicy()


# ------------------------------------------------------------------ outputs
def _references(outputs: Array) -> Array:
    """The identity (``id``) of every object in an object array, as intp.

    An object array holds references; numpy exports them as a buffer, which is
    read here without touching the objects. Where that view does not give the
    objects' ids (another Python implementation), ``id`` is applied to each.
    """
    n = len(outputs)
    try:
        refs = np.frombuffer(np.ascontiguousarray(outputs), dtype=np.intp)
    except (
        TypeError,
        ValueError,
        BufferError,
    ):  # pragma: no cover  # CPython exports it
        refs = None
    if refs is None or len(refs) != n or (n and int(refs[0]) != id(outputs[0])):
        refs = np.fromiter(map(id, outputs), dtype=np.intp, count=n)  # pragma: no cover
    return refs


def _identity_codes(outputs: Array, candidates: Sequence[tuple[object, int]]) -> Array:
    """Each output's code (codes are >= 1), matching output *objects* by identity.

    ``classify_columns`` fills its result with a handful of output objects: the
    rules' decided values and the default. Comparing their identities is a pass
    over machine words; comparing enum members row by row would call Python for
    every row. Rows holding an equal value in another object are matched by value.
    """
    refs = _references(outputs)
    n = len(outputs)
    small = max((code for _, code in candidates), default=0) < 128  # noqa: PLR2004  # int8
    kind = np.int8 if small else np.int64
    codes: Array = np.zeros(n, dtype=kind)
    hit: Array = np.empty(n, dtype=bool)
    seen: set[int] = set()
    for value, code in candidates:
        if id(value) in seen:
            continue
        seen.add(id(value))
        np.equal(refs, id(value), out=hit)
        codes += hit.view(np.int8) * kind(code) if small else hit * code
    unmatched = np.flatnonzero(codes == 0)
    if unmatched.size:  # pragma: no cover  # the candidates are the very objects
        rest = outputs[unmatched]
        for value, code in candidates:
            codes[unmatched[rest == value]] = code
    return codes


def _candidates(
    clf: Classifier, code: Callable[[str], int]
) -> list[tuple[object, int]]:
    """The objects ``classify_columns`` fills its result with, and their codes."""
    rs = clf.ruleset
    output = rs.output
    assert output is not None  # noqa: S101  # checked by the callers
    texts = [r.then for r in rs.rules if r.then is not None]
    if rs.default is not None:
        texts.append(rs.default)
    texts.extend(output.values)
    return [(output.value(t), code(t)) for t in texts]


def level_codes(outputs: Array, grading: Classifier) -> Array:
    """Risk-level ranks (1 low … 4 major) of a grading classifier's outputs."""
    candidates = _candidates(grading, lambda text: RiskLevel(text).rank)
    codes = _identity_codes(outputs, candidates)
    if (codes == 0).any():  # pragma: no cover  # outputs come from the candidates
        row = int(np.argmax(codes == 0))
        msg = f"the grading decided {outputs[row]!r}, which is not a risk level"
        raise RuleEvaluationError(msg, record_index=row)
    return codes.astype(np.int8, copy=False)


def classification_values(classification: Classifier) -> tuple[str, ...]:
    """The classes a community ruleset decides, most severe (highest priority) first.

    Raises:
        RuleTypeError: the ruleset decides no class (a number or a list).
    """
    rs = classification.ruleset
    if rs.output is None or rs.hit_policy is HitPolicy.COLLECT:
        raise RuleTypeError(
            f"ruleset {rs.id!r} does not decide one class per community; "
            "classification needs an output with values and a hit policy other "
            "than collect",
            path=("output",),
        )
    return rs.output.values


def class_ranks(outputs: Array, classification: Classifier) -> Array:
    """The rank of each decided class: the most severe of ``n`` classes ranks ``n``."""
    values = classification_values(classification)
    n = len(values)
    return _identity_codes(
        outputs, _candidates(classification, lambda text: n - values.index(text))
    )


# --------------------------------------------------------------- aggregates
def aggregate_risks(
    n: int,
    community: Array,
    level_rank: Array,
    is_open: Array,
) -> dict[str, Array]:
    """Per community: open risk points, the worst level and the count per level.

    Args:
        n: the number of communities.
        community: each risk point's community position (0 ≤ value < n).
        level_rank: each risk point's level rank (1 low … 4 major).
        is_open: whether each risk point is open (not closed).

    Returns:
        The `AGGREGATE_FIELDS` columns: int64 counts, and ``worst_level`` as an
        object array of level names (``None`` where a community has no open risk).
    """
    ranks = np.where(is_open, level_rank, 0).astype(np.int64)  # closed: bucket 0
    key = community.astype(np.int64) * 5 + ranks
    counts = np.bincount(key, minlength=n * 5).reshape(n, 5)
    worst = np.zeros(n, dtype=np.int64)
    for rank in range(1, 5):
        worst[counts[:, rank] > 0] = rank
    out: dict[str, Array] = {
        "risk_points": counts[:, 1:].sum(axis=1),
        "worst_level": np.array(_LEVEL_BY_RANK, dtype=object)[worst],
    }
    for level, name in COUNT_FIELDS:
        out[name] = counts[:, level.rank]
    return out


def scores(columns: Mapping[str, Array], policy: RankingPolicy, n: int) -> Array:
    """The ranking score of every row (float64), summed in the policy's order.

    Scores too large for a float are ``inf`` (ties among them go by id).

    Raises:
        RuleEvaluationError: a weighted column holds NaN, infinity, or a negative
            or non-numeric value (``record_index`` names the first bad row).
    """
    total = np.zeros(n, dtype=np.float64)
    for name, weight in policy.weights:
        raw = np.asarray(columns[name])
        try:
            values = raw.astype(np.float64)
        except (TypeError, ValueError):
            values = np.full(n, np.nan)
        if raw.dtype.kind not in "iuf":
            bad = np.ones(n, dtype=bool)
        else:
            bad = ~np.isfinite(values) | (values < 0)
        if bad.any():
            row = int(np.argmax(bad))
            msg = (
                f"{raw[row]!r} is not a usable value for ranking (a finite number >= 0)"
            )
            raise RuleEvaluationError(msg, field=name, record_index=row)
        with np.errstate(over="ignore"):  # huge inputs score +inf, still in order
            total += float(weight) * values
    return total


def text_ids(ids: Array) -> Array:
    """Ids as a numpy unicode array (compared by code point, as Python compares str)."""
    ids = np.asarray(ids)
    return ids if ids.dtype.kind == "U" else ids.astype(str)


def check_unique_ids(ids: Array) -> None:
    """Raise `ModelError` naming an id that is used twice.

    Hashes each id's code points with numpy, sorts the hashes, and compares the
    texts only where hashes collide: no sort of the texts themselves.
    """
    u = text_ids(ids)
    n = len(u)
    if n < 2:  # noqa: PLR2004  # nothing to compare
        return
    width = u.dtype.itemsize // 4
    points = (
        u.view(np.uint32).reshape(n, width) if width else np.zeros((n, 1), np.uint32)
    )
    h = np.zeros(n, dtype=np.uint64)
    for k in range(points.shape[1]):
        h = (h * np.uint64(1_000_003)) ^ points[:, k]
    order = np.argsort(h)
    hashed = h[order]
    same = hashed[1:] == hashed[:-1]
    if not same.any():
        return
    collide = np.concatenate(([False], same)) | np.concatenate((same, [False]))
    rows = order[collide]
    texts = np.sort(u[rows])
    twice = np.flatnonzero(texts[1:] == texts[:-1])
    if twice.size:
        text = str(texts[twice[0]])
        raise ModelError(
            f"community id {text!r} is used twice", field="id", record_id=text
        )


def rank_order(class_rank: Array, score: Array, ids: Array) -> Array:
    """The ranking permutation: class rank, then score (both highest first), then id.

    Ties on class and score are broken by id, compared as Python compares strings
    (by code point), so the order never depends on input order or hash seeds.
    """
    class_rank = np.asarray(class_rank, dtype=np.int64)
    keys = _id_keys(text_ids(ids))
    return np.lexsort((*reversed(keys), -np.asarray(score), -class_rank))


def _id_keys(u: Array) -> list[Array]:
    """Integer sort keys, most significant first, that order ``u`` as Python orders str.

    Ids whose code points all fit in a byte are packed eight characters to a
    big-endian 64-bit word (NUL padding sorts a prefix first, as Python does);
    any other ids are ranked by a text sort.
    """
    n = len(u)
    width = u.dtype.itemsize // 4
    if n == 0 or width == 0:
        return [np.zeros(n, dtype=np.int64)]
    points = u.view(np.uint32).reshape(n, width)
    if int(points.max()) > 0xFF:  # noqa: PLR2004  # one byte per character
        ranks = np.empty(n, dtype=np.int64)
        ranks[np.argsort(u, kind="stable")] = np.arange(n)
        return [ranks]
    words = -(-width // 8)
    packed = np.zeros((n, words * 8), dtype=np.uint8)
    packed[:, :width] = points
    as_words = packed.view(">u8").reshape(n, words)
    return [as_words[:, k].astype(np.uint64) for k in range(words)]
