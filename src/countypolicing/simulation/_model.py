"""The model as arrays: what the county says (static) and what a policy sets (config).

`county_arrays` turns a scenario's county and rulesets into plain numpy arrays once:
communities, stations, grids, risk points, patrols, and the routing table (the
channel the routing ruleset picks for every kind of dispute in every kind of
community, evaluated with `Classifier.classify_columns`). `configure` combines them
with the realised parameters and a policy's levers into per-day rates, servers per
queue and the fallback routing of channels without capacity.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any, Final

import attrs
import numpy as np

from countypolicing.model import (
    County,
    DisputeOrigin,
    DisputeType,
    PlaqueStatus,
    RiskPointStatus,
    RiskTheme,
)
from countypolicing.rules import Classifier, community_records
from countypolicing.simulation._params import Channel, Levers, Parameters

__all__ = [
    "CHANNELS",
    "FALLBACK",
    "Config",
    "CountyArrays",
    "configure",
    "county_arrays",
]

Array = Any  # numpy arrays; numpy's own annotations are too loose to help here

#: Channel order of every per-channel axis.
CHANNELS: Final = tuple(Channel)
K: Final = len(CHANNELS)
_CH: Final = {c: i for i, c in enumerate(CHANNELS)}

#: Where a channel without capacity at a station sends its disputes instead.
FALLBACK: Final[Mapping[Channel, Channel | None]] = {
    Channel.GRID: Channel.COMMUNITY,
    Channel.COMMUNITY: Channel.STATIONED,
    Channel.STATIONED: Channel.POLICE,
    Channel.SCENIC: Channel.POLICE,
    Channel.ADMINISTRATIVE: Channel.COMMUNITY,
    Channel.POLICE: None,
}

_TYPES: Final = tuple(t.value for t in DisputeType)
_ORIGINS: Final = tuple(o.value for o in DisputeOrigin)
_THEMES: Final = tuple(t.value for t in RiskTheme)
_DAYS_PER_YEAR: Final = 365.0


@attrs.frozen(kw_only=True, eq=False)
class CountyArrays:
    """Static arrays of one scenario: C communities, S stations, R risk points.

    Attributes are numpy arrays indexed by community (county order, only those
    under a station), station (county order, only stations with communities) and
    risk point (open ones).
    """

    community_ids: tuple[str, ...]
    station_ids: tuple[str, ...]
    station_of: Array  # (C,) station index
    population: Array  # (C,) float
    households: Array  # (C,) float
    rental_units: Array  # (C,) float
    calls_per_1000: Array  # (C,) float
    prior_incidents: Array  # (C,) float
    grid_workers: Array  # (C,) float
    grids: Array  # (C,) float, at least 1
    themes: Array  # (C, n_themes) bool, over theme_names
    theme_names: tuple[str, ...]
    county_plaque_coverage: float
    county_stationed: Array  # (S,) int
    patrol_hours: Array  # (C,) float, county's joint-patrol hours a day
    patrol_station: Array  # (S,) bool, the station leads a joint patrol
    route: Array  # (G, T, O, 2, 2) channel index per theme group
    group_of: Array  # (C,) theme group of each community
    rp_community: Array  # (R,) community index
    rp_likelihood: Array  # (R,) int
    rp_severity: Array  # (R,) int
    rp_columns: Mapping[str, Array]  # grading columns other than L, S, score
    rp_levels: Array  # (R,) int level code 0 low .. 3 major, -1 ungraded
    community_columns: Mapping[str, Array]  # classification inputs (static)
    open_hazards: Array  # (C,) int, the county's hazards not yet verified
    class_values: tuple[str, ...]  # classifier output values, highest first
    class_fields: tuple[str, ...]  # fields the classification ruleset reads
    grading_fields: tuple[str, ...]  # fields the grading ruleset reads
    class_cache: dict[tuple[object, ...], str] = attrs.field(factory=dict)
    grade_cache: dict[tuple[object, ...], str] = attrs.field(factory=dict)


_LEVELS: Final = ("low", "general", "significant", "major")


def _theme_names(county: County) -> tuple[str, ...]:
    names = dict.fromkeys(_THEMES)
    for community in county.communities:
        for theme in community.themes:
            names.setdefault(theme, None)
    return tuple(names)


def county_arrays(  # noqa: C901  # one pass over the county
    county: County,
    *,
    routing: Classifier,
    routes: Mapping[str, Channel],
    classification: Classifier,
    grading: Classifier | None,
) -> CountyArrays:
    """The static arrays of a county for the simulation."""
    records = community_records(county)
    stations = [s for s in county.police_stations if s.jurisdiction]
    station_index = {s.id: i for i, s in enumerate(stations)}
    keep: list[int] = []
    station_of: list[int] = []
    for i, community in enumerate(county.communities):
        station = county.station_for(community.id)
        if station is not None and station.id in station_index:
            keep.append(i)
            station_of.append(station_index[station.id])
    communities = [county.communities[i] for i in keep]
    recs = [records[i] for i in keep]
    index_of = {c.id: j for j, c in enumerate(communities)}

    grids = np.zeros(len(communities))
    for grid in county.grids:
        j = index_of.get(grid.community_id)
        if j is not None:
            grids[j] += 1
    grids = np.maximum(grids, 1.0)

    names = _theme_names(county)
    themes = np.array(
        [[t in c.themes for t in names] for c in communities], dtype=bool
    ).reshape(len(communities), len(names))

    units = sum(r.units for r in county.rentals)
    listed = sum(
        r.units for r in county.rentals if r.plaque_status is PlaqueStatus.LISTED
    )
    stationed = np.zeros(len(stations), dtype=np.int64)
    for office in county.judicial_offices:
        for station_id in office.stationed_in:
            if station_id in station_index:
                stationed[station_index[station_id]] += 1
    patrol_hours = np.zeros(len(communities))
    patrol_station = np.zeros(len(stations), dtype=bool)
    for patrol in county.patrols:
        hours = float(patrol.schedule.hours_per_day) * patrol.schedule.days_per_week / 7
        for community_id in patrol.community_ids:
            j = index_of.get(community_id)
            if j is not None:
                patrol_hours[j] = max(patrol_hours[j], hours)
        if patrol.lead_station_id in station_index:
            patrol_station[station_index[patrol.lead_station_id]] = True

    groups: dict[tuple[bool, ...], int] = {}
    group_of = np.array(
        [groups.setdefault(tuple(row), len(groups)) for row in themes.tolist()],
        dtype=np.int64,
    )
    route = _route_table(routing, routes, list(groups), names)

    open_rps = [
        rp for rp in county.risk_points if rp.status is not RiskPointStatus.CLOSED
    ]
    open_rps = [rp for rp in open_rps if rp.community_id in index_of]
    rp_columns: dict[str, Array] = {}
    if grading is not None:
        rp_columns = {
            "theme": np.array([str(rp.theme) for rp in open_rps], dtype=object),
            "subject_kind": np.array(
                [str(rp.subject_kind) for rp in open_rps], dtype=object
            ),
            "domain": np.array([str(rp.domain) for rp in open_rps], dtype=object),
            "status": np.array([str(rp.status) for rp in open_rps], dtype=object),
            "has_owner": np.array([rp.owner_id is not None for rp in open_rps]),
        }
    rp_levels = np.array(
        [
            _LEVELS.index(str(rp.level)) if rp.level is not None else -1
            for rp in open_rps
        ],
        dtype=np.int64,
    )
    output = classification.ruleset.output
    class_values = output.values if output is not None else ()
    columns = {name: _column([r[name] for r in recs]) for name in classification.fields}
    return CountyArrays(
        community_ids=tuple(c.id for c in communities),
        station_ids=tuple(s.id for s in stations),
        station_of=np.array(station_of, dtype=np.int64),
        population=np.array([float(c.population) for c in communities]),
        households=np.array([float(c.households) for c in communities]),
        rental_units=np.array([float(r["rental_units"]) for r in recs]),  # type: ignore[arg-type]  # an int
        calls_per_1000=np.array([float(r["calls_per_1000"]) for r in recs]),  # type: ignore[arg-type]  # a float
        prior_incidents=np.array([float(r["prior_incidents"]) for r in recs]),  # type: ignore[arg-type]  # an int
        grid_workers=np.array([float(r["grid_workers"]) for r in recs]),  # type: ignore[arg-type]  # an int
        grids=grids,
        themes=themes,
        theme_names=names,
        county_plaque_coverage=listed / units if units else 0.0,
        county_stationed=stationed,
        patrol_hours=patrol_hours,
        patrol_station=patrol_station,
        route=route,
        group_of=group_of,
        rp_community=np.array(
            [index_of[rp.community_id] for rp in open_rps], dtype=np.int64
        ),
        rp_likelihood=np.array([rp.likelihood for rp in open_rps], dtype=np.int64),
        rp_severity=np.array([rp.severity for rp in open_rps], dtype=np.int64),
        rp_columns=rp_columns,
        rp_levels=rp_levels,
        community_columns=columns,
        open_hazards=np.array([r["open_hazards"] for r in recs], dtype=np.int64),
        class_values=tuple(class_values),
        class_fields=tuple(classification.fields),
        grading_fields=tuple(grading.fields) if grading is not None else (),
    )


def _column(values: Sequence[object]) -> Array:
    if any(v is None or isinstance(v, str) for v in values):
        return np.array(values, dtype=object)
    return np.array(values)


def _route_table(
    routing: Classifier,
    routes: Mapping[str, Channel],
    groups: Sequence[tuple[bool, ...]],
    theme_names: Sequence[str],
) -> Array:
    """Channel index for every (theme group, type, origin, escalation risk, org party)."""
    shape = (len(groups), len(_TYPES), len(_ORIGINS), 2, 2)
    n = math.prod(shape)
    if n == 0:
        return np.zeros(shape, dtype=np.int64)
    g, t, o, r, p = np.unravel_index(np.arange(n), shape)
    group_rows = np.array(groups, dtype=bool).reshape(len(groups), len(theme_names))
    columns: dict[str, Array] = {
        "type": np.array(_TYPES, dtype=object)[t],
        "origin": np.array(_ORIGINS, dtype=object)[o],
        "status": np.full(n, "discovered", dtype=object),
        "handling_level": np.full(n, "grid", dtype=object),
        "channel": np.full(n, None, dtype=object),
        "parties": np.full(n, 2),
        "organisation_party": p.astype(bool),
        "escalation_risk": r.astype(bool),
    }
    for j, theme in enumerate(theme_names):
        if theme in _THEMES:
            columns[f"theme_{theme}"] = group_rows[g, j]
    used = {name: columns[name] for name in routing.fields}
    if not used:  # a ruleset that reads nothing: one record decides all
        first = routing.classify_columns({"_": np.zeros(1)})
        outputs = np.repeat(first, n)
    else:
        outputs = routing.classify_columns(used)
    codes = np.array([_CH[routes[str(v)]] for v in outputs.tolist()], dtype=np.int64)
    return codes.reshape(shape)


@attrs.frozen(kw_only=True, eq=False)
class Config:
    """One policy under one replication's parameters, as per-day rates and servers.

    Queues are indexed ``q = station * K + channel`` (K = 6 channels).
    """

    route_rate: Array  # (S, K) disputes a day by routed channel (before fallback)
    route_call_share: Array  # (S, K) share of those from 110 calls
    merge: Array  # (S*K, Q) 0/1: routed channel -> serving queue
    queue_rate: Array  # (Q,) disputes a day
    queue_call_share: Array  # (Q,)
    servers: Array  # (Q,) int
    service_days: Array  # (Q,) mean service days of the queue's channel
    capacity: Array  # (Q,) disputes a day (inf when service is instantaneous)
    agreement: Array  # (Q,)
    apportion: Array  # (C, Q) share of queue q's arrivals from community c
    community_rate: Array  # (C,) disputes a day
    calls_rate: float  # police calls a day, whole county
    hazard_base: Array  # (C,) hazards a day away from risk points
    hazard_per_likelihood: float  # hazards a day per risk point per likelihood step
    tip_rate: Array  # (C,) tips a day
    detect: Array  # (C,) probability a screening round finds a hidden hazard
    rectify: float  # probability a found hazard is rectified in a day
    incident_base: Array  # (C,) incidents a day without hazards
    incident_per_hazard: float  # incidents a day per open hazard
    screening_interval: int
    parameters: Parameters
    levers: Levers


def _round_servers(x: Array) -> Array:
    return np.floor(np.asarray(x, dtype=float) + 0.5).astype(np.int64)


def _ratio(policy: Array, county: Array) -> Array:
    """Policy over county effect; where the county's effect is total, the policy's."""
    policy = np.asarray(policy, dtype=float)
    county = np.asarray(county, dtype=float)
    return np.divide(policy, county, out=policy.copy(), where=county > 0)


def _mix(table: Mapping[str, float], names: Sequence[str]) -> Array:
    weights = np.array([table.get(n, 0.0) for n in names], dtype=float)
    total = math.fsum(weights.tolist())
    return weights / total if total > 0 else weights


def configure(  # noqa: PLR0915  # one pass, component by component
    arrays: CountyArrays, parameters: Parameters, levers: Levers
) -> Config:
    """Rates, servers and fallbacks of one policy under one set of parameters."""
    p = parameters
    a = arrays
    c_count = len(a.community_ids)
    s_count = len(a.station_ids)
    q_count = s_count * K

    coverage = (
        a.county_plaque_coverage
        if levers.plaque_coverage is None
        else levers.plaque_coverage
    )
    per_grid = (
        a.grid_workers / a.grids
        if levers.grid_workers_per_grid is None
        else np.full(c_count, float(levers.grid_workers_per_grid))
    )
    patrol = (
        a.patrol_hours
        if levers.patrol_hours is None
        else np.where(a.patrol_hours > 0, float(levers.patrol_hours), 0.0)
    )

    # -- dispute arrivals per community
    mean_calls = float(np.mean(a.calls_per_1000)) if c_count else 0.0
    calls_factor = (
        (1 - p.calls_weight) + p.calls_weight * a.calls_per_1000 / mean_calls
        if mean_calls > 0
        else np.ones(c_count)
    )
    multipliers = np.array(
        [p.theme_dispute_multiplier.get(t, 1.0) for t in a.theme_names]
    )
    theme_factor = np.prod(np.where(a.themes, multipliers, 1.0), axis=1)
    base = (
        p.dispute_rate_per_1000
        * a.population
        / 1000
        / _DAYS_PER_YEAR
        * theme_factor
        * calls_factor
    )
    rental = (
        p.rental_dispute_rate
        * a.rental_units
        / _DAYS_PER_YEAR
        * (1 - p.plaque_dispute_reduction * coverage)
    )
    community_rate = base + rental

    # -- type mix per community: the base mix plus the themes' own types
    mix = _mix(p.dispute_mix, _TYPES)
    theme_types = np.zeros((len(a.theme_names), len(_TYPES)))
    for j, theme in enumerate(a.theme_names):
        kind = p.theme_dispute_type.get(theme)
        if kind is not None:
            theme_types[j, _TYPES.index(kind)] = 1.0
    extra = a.themes.astype(float) @ theme_types  # (C, T)
    extra_total = extra.sum(axis=1, keepdims=True)
    has_extra = extra_total[:, 0] > 0
    type_mix = np.where(
        has_extra[:, None],
        (1 - p.theme_type_share) * mix
        + p.theme_type_share * extra / np.where(extra_total > 0, extra_total, 1.0),
        mix,
    )
    origin = _mix(p.origin_mix, _ORIGINS)
    risk = np.array([1 - p.escalation_risk_share, p.escalation_risk_share])
    org = np.array([1 - p.organisation_party_share, p.organisation_party_share])
    onehot = np.eye(K)[a.route]  # (G, T, O, 2, 2, K)
    call = _ORIGINS.index("call_110")
    # share[c, k] and the 110-call part of it
    by_group = np.einsum("gtorpk,o,r,p->gtk", onehot, origin, risk, org)
    by_group_call = (
        np.einsum("gtrpk,r,p->gtk", onehot[:, :, call], risk, org) * origin[call]
    )
    share = np.einsum("ct,ctk->ck", type_mix, by_group[a.group_of])
    share_call = np.einsum("ct,ctk->ck", type_mix, by_group_call[a.group_of])
    lam = community_rate[:, None] * share  # (C, K)
    lam_call = community_rate[:, None] * share_call
    member = np.zeros((s_count, c_count))
    member[a.station_of, np.arange(c_count)] = 1.0
    route_rate = member @ lam  # (S, K)
    route_call = member @ lam_call
    route_call_share = np.divide(
        route_call, route_rate, out=np.zeros_like(route_rate), where=route_rate > 0
    )

    # -- servers per station and channel
    communities_per_station = member.sum(axis=1)
    servers = np.zeros((s_count, K), dtype=np.int64)
    servers[:, _CH[Channel.GRID]] = _round_servers(
        member @ (a.grids * per_grid) * p.grid_mediation_fte
    )
    servers[:, _CH[Channel.COMMUNITY]] = _round_servers(
        communities_per_station * p.community_mediators_per_community
    )
    servers[:, _CH[Channel.STATIONED]] = (
        a.county_stationed
        if levers.stationed_mediators is None
        else np.full(s_count, levers.stationed_mediators)
    )
    servers[:, _CH[Channel.POLICE]] = _round_servers(
        np.full(s_count, p.police_mediators_per_station)
    )
    servers[:, _CH[Channel.ADMINISTRATIVE]] = _round_servers(
        np.full(s_count, p.administrative_mediators_per_station)
    )
    station_patrol = np.zeros(s_count)
    np.maximum.at(station_patrol, a.station_of, patrol)
    servers[:, _CH[Channel.SCENIC]] = np.where(
        a.patrol_station,
        _round_servers(p.scenic_team_mediators * station_patrol / 24.0),
        0,
    )

    # -- fallback: a routed channel without servers hands over down the chain
    merge = np.zeros((s_count * K, q_count))
    for s in range(s_count):
        for k, channel in enumerate(CHANNELS):
            target: Channel | None = channel
            while target is not None and servers[s, _CH[target]] == 0:
                nxt = FALLBACK[target]
                target = nxt
            serving = _CH[target] if target is not None else _CH[Channel.POLICE]
            merge[s * K + k, s * K + serving] = 1.0
    flat_rate = route_rate.reshape(-1)
    queue_rate = flat_rate @ merge
    queue_call = (route_call.reshape(-1)) @ merge
    queue_call_share = np.divide(
        queue_call, queue_rate, out=np.zeros(q_count), where=queue_rate > 0
    )
    # community c's arrivals into queue q
    lam_q = np.zeros((c_count, q_count))
    for k in range(K):
        rows = a.station_of * K + k
        lam_q += lam[:, k][:, None] * merge[rows]
    apportion = np.divide(
        lam_q, queue_rate[None, :], out=np.zeros_like(lam_q), where=queue_rate > 0
    )

    channel_days = np.array([p.service_days[c.value] for c in CHANNELS])
    service_days = np.tile(channel_days, s_count)
    flat_servers = servers.reshape(-1)
    with np.errstate(divide="ignore"):
        capacity = np.where(
            service_days > 0,
            flat_servers / np.where(service_days > 0, service_days, 1.0),
            np.where(flat_servers > 0, np.inf, 0.0),
        )
    agreement = np.tile(
        np.array([p.agreement_rate[c.value] for c in CHANNELS]), s_count
    )

    # -- hazards, tips, screening, incidents
    hazard_base = p.hazard_rate_per_1000 * a.population / 1000 / _DAYS_PER_YEAR
    detect = 1 - np.exp(-p.detection_per_grid_worker * per_grid)
    rectify = 1.0 if p.rectify_days == 0 else 1 - math.exp(-1 / p.rectify_days)
    rental_share = np.minimum(
        1.0,
        np.divide(
            a.rental_units, a.households, out=np.zeros(c_count), where=a.households > 0
        ),
    )
    county_cover = a.county_plaque_coverage
    plaque_factor = _ratio(
        1 - p.plaque_incident_reduction * coverage * rental_share,
        1 - p.plaque_incident_reduction * county_cover * rental_share,
    )
    patrol_factor = _ratio(
        1 - p.patrol_incident_reduction * patrol / 24.0,
        1 - p.patrol_incident_reduction * a.patrol_hours / 24.0,
    )
    incident_base = a.prior_incidents / _DAYS_PER_YEAR * plaque_factor * patrol_factor
    calls_rate = math.fsum(
        (a.calls_per_1000 * a.population / 1000 / _DAYS_PER_YEAR).tolist()
    )
    return Config(
        route_rate=route_rate,
        route_call_share=route_call_share,
        merge=merge,
        queue_rate=queue_rate,
        queue_call_share=queue_call_share,
        servers=flat_servers,
        service_days=service_days,
        capacity=capacity,
        agreement=agreement,
        apportion=apportion,
        community_rate=community_rate,
        calls_rate=calls_rate,
        hazard_base=hazard_base,
        hazard_per_likelihood=p.hazard_rate_per_risk_point / 3 / _DAYS_PER_YEAR,
        tip_rate=p.tip_rate_per_1000 * a.population / 1000 / _DAYS_PER_YEAR,
        detect=detect,
        rectify=rectify,
        incident_base=incident_base,
        incident_per_hazard=p.incident_rate_per_hazard / _DAYS_PER_YEAR,
        screening_interval=levers.screening_interval_days,
        parameters=p,
        levers=levers,
    )
