"""The rest of the county: hazards, tips, incidents, calls, controls, re-classification.

Hazards, screening, residents' tips, incidents, police calls, controls on risk
points, and the re-classification of communities (动态均衡).

Vectorised over communities *and* over the days between two re-classifications
(rates only change there):

- new hazards appear at each community: a base rate per resident plus a rate per
  open risk point, scaled by its likelihood;
- residents' tips reveal hidden hazards, one each (群防群治); the hidden count
  follows the Lindley recursion ``U_t = max(U_{t-1} + new_t - tips_t, 0)``, solved
  for a whole stretch with cumulative sums and minima;
- every ``screening_interval_days`` a screening round finds each hidden hazard with
  probability 1 - exp(-effort x grid workers per grid), boosted in class 1
  communities (聚焦重点);
- each found hazard is rectified after a geometric number of days (a daily
  probability 1 - exp(-1 / rectify_days)), drawn when it is found;
- incidents happen at the community's observed rate (scaled by patrols and plaque
  management) plus a rate per open hazard;
- at each re-classification, risk points whose community has no open hazard may be
  controlled one likelihood step down and those in communities with many open
  hazards may worsen one step; then risk points are re-graded and communities
  re-classified with the scenario's rulesets.
"""

from __future__ import annotations

from typing import Any, Final

import attrs
import numpy as np

from countypolicing.simulation._model import Config, CountyArrays
from countypolicing.simulation._state import INCIDENT_WINDOW

__all__ = ["World", "WorldHistory", "classify", "initial_world", "run_world"]

Array = Any  # numpy arrays

_LEVELS: Final = ("low", "general", "significant", "major")


@attrs.frozen(kw_only=True, eq=False)
class World:
    """Hazards, risk points, incidents and classes of every community."""

    hidden: Array  # (C,) int
    found: Array  # (C,) int
    schedule: Array  # (n, 2) int: day a found hazard is rectified, community
    likelihood: Array  # (R,) int
    incidents_window: Array  # (365, C) int, ring indexed by day % 365
    classes: Array  # (C,) int


@attrs.frozen(kw_only=True, eq=False)
class WorldHistory:
    """Totals of a stretch, and day-by-day series."""

    calls: Array  # (T,) int
    incidents: Array  # (T,) int
    open_hazards: Array  # (T,) int
    class_counts: Array  # (T, n_classes) int
    tips: int
    hazards_found: int
    hazards_rectified: int
    up: int
    down: int


def _risk_columns(
    arrays: CountyArrays, likelihood: Array, found: Array
) -> dict[str, Array]:
    columns = dict(arrays.rp_columns)
    columns["likelihood"] = likelihood
    columns["severity"] = arrays.rp_severity
    columns["score"] = likelihood * arrays.rp_severity
    columns["open_hazards"] = np.asarray(found)[arrays.rp_community]
    return columns


def _memo_classify(
    classifier: Any,  # noqa: ANN401  # a rules.Classifier
    fields: tuple[str, ...],
    columns: dict[str, Array],
    cache: dict[tuple[object, ...], str],
) -> list[str]:
    """Classify row by row through a cache: rows repeat from month to month."""
    lists = [
        columns[name].tolist() if hasattr(columns[name], "tolist") else columns[name]
        for name in fields
    ]
    rows = list(zip(*lists, strict=True))
    out: list[str] = []
    for row in rows:
        value = cache.get(row)
        if value is None:
            value = str(classifier.classify(dict(zip(fields, row, strict=True))).output)
            cache[row] = value
        out.append(value)
    return out


def classify(
    arrays: CountyArrays,
    *,
    classification: Any,  # noqa: ANN401  # a rules.Classifier
    grading: Any,  # noqa: ANN401  # a rules.Classifier or None
    likelihood: Array,
    found: Array | None,
    disputes_open: Array | None,
    prior_incidents: Array | None,
) -> Array:
    """Each community's class (index into ``arrays.class_values``).

    ``None`` keeps the county's own value of a field. Rows are classified with the
    compiled rules one by one through a cache keyed by the row's values (a month's
    rows mostly repeat the last month's), which for a hundred communities is much
    faster than columnar evaluation and gives the same outputs.
    """
    fields = arrays.class_fields
    columns: dict[str, Array] = {
        name: arrays.community_columns[name] for name in fields
    }
    c_count = len(arrays.community_ids)
    if grading is not None and arrays.rp_community.size:
        found_now = arrays.open_hazards if found is None else found
        risk = _risk_columns(arrays, likelihood, found_now)
        graded = _memo_classify(
            grading, arrays.grading_fields, risk, arrays.grade_cache
        )
        levels = np.array([_LEVELS.index(v) for v in graded], dtype=np.int64)
    else:
        levels = arrays.rp_levels
    for code, level in enumerate(_LEVELS):
        name = f"{level}_risks"
        if name in columns:
            columns[name] = np.bincount(
                arrays.rp_community[levels == code], minlength=c_count
            )
    if "risk_points" in columns:
        columns["risk_points"] = np.bincount(arrays.rp_community, minlength=c_count)
    if "worst_level" in columns:
        worst = np.full(c_count, -1)
        np.maximum.at(worst, arrays.rp_community, levels)
        names = np.array([None, *_LEVELS], dtype=object)
        columns["worst_level"] = names[worst + 1]
    if "open_hazards" in columns and found is not None:
        columns["open_hazards"] = np.asarray(found, dtype=np.int64)
    if "disputes_open" in columns and disputes_open is not None:
        columns["disputes_open"] = disputes_open
    if "prior_incidents" in columns and prior_incidents is not None:
        columns["prior_incidents"] = prior_incidents
    outputs = _memo_classify(classification, fields, columns, arrays.class_cache)
    index = {v: i for i, v in enumerate(arrays.class_values)}
    return np.array([index[v] for v in outputs], dtype=np.int64)


def _hidden_path(start: Array, increments: Array) -> Array:
    """Lindley recursion ``U_t = max(U_{t-1} + x_t, 0)`` for every day at once."""
    cumulative = np.cumsum(increments, axis=0)
    floor = np.minimum(np.minimum.accumulate(cumulative, axis=0), -start[None, :])
    return cumulative - floor


def run_world(  # noqa: PLR0915  # the stretch loop, component by component
    arrays: CountyArrays,
    cfg: Config,
    world: World,
    *,
    start: int,
    days: int,
    open_by_queue: Array,
    classification: Any,  # noqa: ANN401  # a rules.Classifier
    grading: Any,  # noqa: ANN401  # a rules.Classifier or None
    rngs: dict[str, np.random.Generator],
) -> tuple[World, WorldHistory]:
    """Step hazards, incidents and classes ``days`` days from day ``start``.

    ``open_by_queue`` holds the open disputes of each queue at the end of each day
    of the stretch (``days`` x queues), from the queue engine.
    """
    p = cfg.parameters
    c_count = len(arrays.community_ids)
    n_classes = len(arrays.class_values)
    hidden = np.array(world.hidden, dtype=np.int64)
    found = np.array(world.found, dtype=np.int64)
    schedule = np.asarray(world.schedule, dtype=np.int64).reshape(-1, 2)
    likelihood = np.array(world.likelihood, dtype=np.int64)
    window = np.array(world.incidents_window, dtype=np.int64)
    classes = np.array(world.classes, dtype=np.int64)

    calls = rngs["calls"].poisson(cfg.calls_rate, size=days)
    tips = rngs["tips"].poisson(np.broadcast_to(cfg.tip_rate, (days, c_count)))
    every = p.reclassify_every_days
    interval = cfg.screening_interval
    incidents = np.zeros(days, dtype=np.int64)
    open_series = np.zeros(days, dtype=np.int64)
    class_series = np.zeros((days, n_classes), dtype=np.int64)
    found_total = rectified_total = up = down = 0

    i = 0
    while i < days:
        t0 = start + i
        length = min(every - t0 % every, days - i)
        # new hazards: rates fixed until the next re-classification
        per_likelihood = np.bincount(
            arrays.rp_community, weights=likelihood, minlength=c_count
        )
        rate = cfg.hazard_base + cfg.hazard_per_likelihood * per_likelihood
        new = rngs["hazards"].poisson(np.broadcast_to(rate, (length, c_count)))
        # hidden hazards, tips and screening rounds
        hidden_path = np.empty((length, c_count), dtype=np.int64)
        revealed = np.empty((length, c_count), dtype=np.int64)
        j = 0
        while j < length:
            t = t0 + j
            to_round = (interval - 1 - t % interval) % interval
            end = min(j + to_round + 1, length)
            segment = _hidden_path(hidden, new[j:end] - tips[i + j : i + end])
            before = np.vstack([hidden[None, :], segment[:-1]])
            revealed[j:end] = before + new[j:end] - segment
            hidden = segment[-1].copy()
            if (t0 + end) % interval == 0:  # the segment ends with a screening round
                detect = np.where(
                    classes == 0,
                    1 - (1 - cfg.detect) ** p.class_1_screening_boost,
                    cfg.detect,
                )
                caught = rngs["screening"].binomial(hidden, detect)
                hidden -= caught
                segment[-1] = hidden
                revealed[end - 1] += caught
            hidden_path[j:end] = segment
            j = end
        found_total += int(revealed.sum())
        if t0 == 0:  # the county's own open hazards were found before day 0
            revealed[0] += arrays.open_hazards
        # found hazards: rectified after a geometric number of days
        total_found = int(revealed.sum())
        if total_found:
            flat = np.repeat(np.arange(length * c_count), revealed.reshape(-1))
            delay = rngs["rectification"].geometric(cfg.rectify, size=total_found) - 1
            schedule = np.concatenate(
                [
                    schedule,
                    np.column_stack([t0 + flat // c_count + delay, flat % c_count]),
                ]
            )
        due = (schedule[:, 0] >= t0) & (schedule[:, 0] < t0 + length)
        fixed = np.zeros((length, c_count), dtype=np.int64)
        if due.any():
            rows = schedule[due]
            np.add.at(fixed, (rows[:, 0] - t0, rows[:, 1]), 1)
            schedule = schedule[~due]
        rectified_total += int(fixed.sum())
        found_path = found[None, :] + np.cumsum(revealed - fixed, axis=0)
        found = found_path[-1].copy()
        # incidents
        today = rngs["incidents"].poisson(
            cfg.incident_base + cfg.incident_per_hazard * (hidden_path + found_path)
        )
        window[(t0 + np.arange(length)) % INCIDENT_WINDOW] = today
        incidents[i : i + length] = today.sum(axis=1)
        open_series[i : i + length] = found_path.sum(axis=1)
        # re-classification at the end of the period
        t_end = t0 + length
        if t_end % every == 0:
            if likelihood.size:
                u = rngs["controls"].random(likelihood.size)
                open_here = (hidden + found)[arrays.rp_community]
                drop = (open_here == 0) & (u < p.likelihood_drop_probability)
                rise = (open_here >= p.hazards_to_worsen) & (
                    u < p.likelihood_rise_probability
                )
                likelihood = np.clip(likelihood - drop + rise, 1, 5)
            remaining = max(0, INCIDENT_WINDOW - t_end) / INCIDENT_WINDOW
            prior = np.rint(
                window.sum(axis=0) + arrays.prior_incidents * remaining
            ).astype(np.int64)
            disputes = np.rint(cfg.apportion @ open_by_queue[i + length - 1]).astype(
                np.int64
            )
            new_classes = classify(
                arrays,
                classification=classification,
                grading=grading,
                likelihood=likelihood,
                found=found,
                disputes_open=disputes,
                prior_incidents=prior,
            )
            up += int((new_classes < classes).sum())
            down += int((new_classes > classes).sum())
            class_series[i : i + length] = np.bincount(classes, minlength=n_classes)
            class_series[i + length - 1] = np.bincount(new_classes, minlength=n_classes)
            classes = new_classes
        else:
            class_series[i : i + length] = np.bincount(classes, minlength=n_classes)
        i += length
    new_world = World(
        hidden=hidden,
        found=found,
        schedule=schedule,
        likelihood=likelihood,
        incidents_window=window,
        classes=classes,
    )
    history = WorldHistory(
        calls=calls,
        incidents=incidents,
        open_hazards=open_series,
        class_counts=class_series,
        tips=int(tips.sum()),
        hazards_found=found_total,
        hazards_rectified=rectified_total,
        up=up,
        down=down,
    )
    return new_world, history


def initial_world(
    arrays: CountyArrays,
    *,
    classification: Any,  # noqa: ANN401  # a rules.Classifier
    grading: Any,  # noqa: ANN401  # a rules.Classifier or None
) -> World:
    """Day 0: the county's known hazards and risk points; classes from its data."""
    c_count = len(arrays.community_ids)
    likelihood = np.array(arrays.rp_likelihood, dtype=np.int64)
    classes = classify(
        arrays,
        classification=classification,
        grading=grading,
        likelihood=likelihood,
        found=None,
        disputes_open=None,
        prior_incidents=None,
    )
    return World(
        hidden=np.zeros(c_count, dtype=np.int64),
        found=np.zeros(c_count, dtype=np.int64),
        schedule=np.zeros((0, 2), dtype=np.int64),
        likelihood=likelihood,
        incidents_window=np.zeros((INCIDENT_WINDOW, c_count), dtype=np.int64),
        classes=classes,
    )
