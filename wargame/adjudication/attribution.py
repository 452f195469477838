"""Warning time and attribution likelihood (ICD 203) of each resolved hostile inject, per nation."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Literal

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris, table_columns
from wargame.adjudication.orbits import ecef_to_geodetic
from wargame.adjudication.picture_set import custody_from, fused_from_records
from wargame.domain.common import AssetStatus, MissionArea
from wargame.domain.events import ThreatAssessed
from wargame.domain.inject_params import InvalidParams, RfEmitterParams, named_objects, recorded_params
from wargame.domain.ruleset_model import AttributionRules, EvidenceRule, LikelihoodBand
from wargame.domain.scenario_model import EARTH_RADIUS_KM, Inject
from wargame.domain.sharing import derived_release_limit, limited, product_receivers
from wargame.domain.state import PICTURE_SETS_KEPT, ExerciseState

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

EVIDENCE_KINDS: tuple[str, ...] = ("custody", "rf_geolocation", "missile_warning", "public_attribution")
"""Columns of an evidence matrix, in the order their likelihood ratios multiply the odds."""
Confidence = Literal["low", "moderate", "high"]
CONFIDENCE: tuple[Confidence, ...] = ("low", "moderate", "high")


def likelihood_pct(prior_pct: F64, evidence: BOOL, ratios: F64, min_pct: float, max_pct: float) -> F64:
    """Posterior percent (m,) from priors (m,), evidence (m, k) and likelihood ratios (k,):
    odds = prior / (100 - prior) times F, the product of the ratios whose evidence holds (in
    column order), so pct = 100 prior F / ((100 - prior) + prior F), clipped to [min_pct, max_pct]."""
    factor = np.ones_like(prior_pct)
    for k in range(evidence.shape[1]):
        factor = factor * np.where(evidence[:, k], ratios[k], 1.0)
    weighted = prior_pct * factor
    return np.clip(100.0 * weighted / ((100.0 - prior_pct) + weighted), min_pct, max_pct)


def likelihood_labels(pct: F64, scale: Sequence[LikelihoodBand]) -> list[str]:
    """The word of the first band whose max_pct reaches each percentage (the last band above)."""
    bounds = np.array([band.max_pct for band in scale])
    idx = np.minimum(np.searchsorted(bounds, pct, side="left"), len(scale) - 1)
    return [scale[int(i)].label for i in idx]


def confidence_levels(n_kinds: I64, rules: AttributionRules) -> list[Confidence]:
    """low / moderate / high from the number of independent evidence kinds held."""
    level = np.where(
        n_kinds >= rules.high_confidence_min_evidence,
        2,
        np.where(n_kinds >= rules.moderate_confidence_min_evidence, 1, 0),
    )
    return [CONFIDENCE[int(k)] for k in level]


@dataclass(frozen=True)
class PictureHistory:
    """What each played nation's picture held at the move start and one move earlier.

    Arrays are (n_nation, n_obj); sigma inf where not held; times in minutes after the move start
    (NaN: never observed). `previous_min` is the time of the previous picture (negative)."""

    sigma_now_km: F64
    obs_now_min: F64
    sigma_prev_km: F64
    obs_prev_min: F64
    previous_min: float


def picture_history(
    state: ExerciseState, catalog: Catalog, move_start: datetime, blobs: Mapping[str, bytes]
) -> PictureHistory:
    """Every played nation's picture at the move start and one move earlier, on the catalog:
    fused again from the custody records of `state.pictures`, or, in logs recorded before them,
    read from the pictures' rows."""
    shape = (len(catalog.nations), catalog.n_obj)
    arrays = [np.full(shape, np.inf), np.full(shape, np.nan), np.full(shape, np.inf), np.full(shape, np.nan)]
    sets = state.pictures[-2:]
    records = {s.custody: custody_from(blobs, s.custody) for s in state.pictures[-PICTURE_SETS_KEPT:]}
    for k, picture_set in enumerate(reversed(sets)):
        record = records[picture_set.custody]
        assert record is not None
        previous = records.get(picture_set.previous_custody or "")
        fused = fused_from_records(record, previous, state.ruleset, origin=move_start)
        n_old = record.n_obj
        arrays[2 * k][:, :n_old] = np.where(fused.held, fused.sigma_km, np.inf)
        arrays[2 * k + 1][:, :n_old] = np.where(fused.held, fused.obs_min, np.nan)
    if not sets:
        for i, nation_id in enumerate(catalog.nations):
            nation = state.nations.get(nation_id)
            if nation is None:
                continue
            for k, table in enumerate((nation.picture, nation.previous_picture)):
                idx, sigma, _source, obs = table_columns(table, catalog, move_start)
                use = idx >= 0
                arrays[2 * k][i, idx[use]] = sigma[use]
                arrays[2 * k + 1][i, idx[use]] = obs[use]
    return PictureHistory(
        sigma_now_km=arrays[0],
        obs_now_min=arrays[1],
        sigma_prev_km=arrays[2],
        obs_prev_min=arrays[3],
        previous_min=-state.scenario.move_length / timedelta(minutes=1),
    )


def threat_objects(state: ExerciseState, inject: Inject) -> list[str]:
    """The objects the inject's params name (approacher, secondary), else the actor's objects."""
    named = [o for o in named_objects(inject.type, inject.params) if state.has_object(o)]
    if named:
        return named
    owned = [k for k, a in state.assets.items() if a.owner == inject.actor]
    bg = state.background
    owned += [i for i, owner in zip(bg.ids, bg.owners, strict=True) if owner == inject.actor]
    return sorted(set(owned))


def warning_times_h(
    history: PictureHistory, obj_idx: I64, effect_min: float, max_sigma_km: float
) -> tuple[BOOL, F64]:
    """warned (n_nation,): the picture held one of `obj_idx` at the move start (1-sigma within
    max_sigma_km). Hours (n_nation,) from the earliest evidence of holding a held object (its
    observation times, and the previous picture time if that picture held it too) to the
    effect; NaN if not warned."""
    n_nat = history.sigma_now_km.shape[0]
    if obj_idx.size == 0:
        return np.zeros(n_nat, dtype=bool), np.full(n_nat, np.nan)
    held_now = history.sigma_now_km[:, obj_idx] <= max_sigma_km
    held_prev = held_now & (history.sigma_prev_km[:, obj_idx] <= max_sigma_km)
    start = np.where(held_now, 0.0, np.inf)
    start = np.minimum(start, np.where(held_prev, history.previous_min, np.inf))
    obs_now = np.where(np.isnan(history.obs_now_min[:, obj_idx]), np.inf, history.obs_now_min[:, obj_idx])
    obs_prev = np.where(np.isnan(history.obs_prev_min[:, obj_idx]), np.inf, history.obs_prev_min[:, obj_idx])
    start = np.minimum(start, np.where(held_now, obs_now, np.inf))
    start = np.minimum(start, np.where(held_prev, obs_prev, np.inf))
    first_min = start.min(axis=1)
    warned: BOOL = np.any(held_now, axis=1)
    hours = np.where(warned, np.maximum(effect_min - np.where(warned, first_min, 0.0), 0.0) / 60.0, np.nan)
    return warned, hours


def _applies(rule: EvidenceRule, inject: Inject) -> bool:
    return not rule.inject_types or inject.type in rule.inject_types


def _ground_distance_km(lat1: F64, lon1: F64, lat2: F64, lon2: F64) -> F64:
    """Great-circle distance (haversine on a sphere of the equatorial radius), broadcast."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dlat, dlon = p2 - p1, np.radians(lon2 - lon1)
    h = np.sin(dlat / 2.0) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dlon / 2.0) ** 2
    return 2.0 * EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.clip(h, 0.0, 1.0)))


def _rf_points(
    state: ExerciseState, inject: Inject, catalog: Catalog, ephemeris: Ephemeris, effect_min: float
) -> tuple[F64, F64]:
    """Ground points (lat_deg, lon_deg) an RF sensor must be near: the target's sub-satellite
    point at the step nearest the effect (a ground sensor's site when it is the target), and the
    jammer site from params if given."""
    lats: list[float] = []
    lons: list[float] = []
    sensor = None if inject.target is None else state.scenario.sensor(inject.target)
    if sensor is not None and sensor.orbit is None:
        lats.append(sensor.lat_deg)
        lons.append(sensor.lon_deg)
    obj = catalog.index.get(inject.target) if inject.target is not None else None
    if obj is not None and not ephemeris.decayed[obj]:
        step = int(np.argmin(np.abs(ephemeris.offsets_min - effect_min)))
        lat, lon, _alt = ecef_to_geodetic(ephemeris.pos32_km[obj : obj + 1, step, :].astype(np.float64))
        lats.append(float(lat[0]))
        lons.append(float(lon[0]))
    params = recorded_params(inject.type, inject.params)
    site = params.site() if isinstance(params, RfEmitterParams) else None
    if site is not None:
        lats.append(site[0])
        lons.append(site[1])
    return np.array(lats), np.array(lons)


def _rf_sensors(state: ExerciseState, nation: str, lats: F64, lons: F64, range_km: float) -> list[str]:
    """Ground RF-geolocation sensors of `nation` within range_km of any of the points."""
    models = state.ruleset.sensor_models
    rf = [
        s
        for s in state.scenario.sensors
        if s.owner == nation and s.orbit is None and s.model in models and models[s.model].type == "rf"
    ]
    if not rf or not lats.size:
        return []
    site_lat = np.array([s.lat_deg for s in rf])[:, None]
    site_lon = np.array([s.lon_deg for s in rf])[:, None]
    distance_km = _ground_distance_km(site_lat, site_lon, lats[None, :], lons[None, :])
    near: BOOL = np.any(distance_km <= range_km, axis=1)
    return [s.id for s, ok in zip(rf, near.tolist(), strict=True) if ok]


def _missile_warning(state: ExerciseState, nation: str) -> list[str]:
    return [
        o.id
        for o in state.scenario.objects
        if o.owner == nation
        and o.mission == MissionArea.MISSILE_WARNING
        and o.id in state.assets
        and state.assets[o.id].status == AssetStatus.NOMINAL
    ]


def _public(state: ExerciseState, nation: str, inject: Inject) -> list[str]:
    return sorted(
        {
            a["nation"]
            for a in state.attributions
            if a.get("inject_id") == inject.id
            and a.get("accused") == inject.actor
            and a.get("nation") != nation
        }
    )


def _item(kind: str, ids: Sequence[str]) -> str:
    more = f" (+{len(ids) - 1})" if len(ids) > 1 else ""
    return f"{kind}:{ids[0]}{more}"


def assess_threats(
    state: ExerciseState,
    injects: Sequence[Inject],
    catalog: Catalog,
    ephemeris: Ephemeris,
    move_start: datetime,
    blobs: Mapping[str, bytes],
    knowing: Mapping[str, set[str]] | None = None,
) -> list[ThreatAssessed]:
    """ThreatAssessed per hostile inject (with an actor and an attribution prior) and played
    nation other than the actor that knows of it (`knowing`: the inject's recipients and those
    that noticed its effect; None: every nation), in inject then nation order. Evidence comes
    from the picture at the move start (before the effect), the nation's sensors and assets, and
    attributions already published. An inject whose params the core cannot use had no effect and
    is not assessed."""
    rules = state.ruleset.attribution
    hostile = [
        i
        for i in injects
        if i.actor is not None
        and i.type in rules.prior_pct
        and not isinstance(recorded_params(i.type, i.params), InvalidParams)
    ]
    if not hostile:
        return []
    history = picture_history(state, catalog, move_start, blobs)
    max_sigma = state.ruleset.warning.max_track_sigma_km
    ev = rules.evidence
    ratios = np.array([getattr(ev, k).likelihood_ratio for k in EVIDENCE_KINDS])
    out: list[ThreatAssessed] = []
    for inject in hostile:
        effect_min = inject.offset_hours * 60.0
        threats = [o for o in threat_objects(state, inject) if o in catalog.index]
        obj_idx = np.array([catalog.index[o] for o in threats], dtype=np.int64)
        warned, hours = warning_times_h(history, obj_idx, effect_min, max_sigma)
        owners = [getattr(state.asset(o), "owner", None) for o in threats]
        actor_objs = [k for k, owner in enumerate(owners) if owner == inject.actor]
        held_actor = history.sigma_now_km[:, obj_idx[actor_objs]] <= max_sigma
        lats, lons = _rf_points(state, inject, catalog, ephemeris, effect_min)
        applies = [_applies(getattr(ev, k), inject) for k in EVIDENCE_KINDS]
        aware = None if knowing is None else knowing.get(inject.id, set())
        nations = [
            (i, n)
            for i, n in enumerate(catalog.nations)
            if n != inject.actor and (aware is None or n in aware)
        ]
        evidence = np.zeros((len(nations), len(EVIDENCE_KINDS)), dtype=bool)
        items: list[list[str]] = []
        for row, (i, nation) in enumerate(nations):
            found = {
                "custody": [threats[actor_objs[k]] for k in np.flatnonzero(held_actor[i])],
                "rf_geolocation": _rf_sensors(state, nation, lats, lons, rules.rf_geolocation_range_km),
                "missile_warning": _missile_warning(state, nation),
                "public_attribution": _public(state, nation, inject),
            }
            evidence[row] = [bool(found[k]) and a for k, a in zip(EVIDENCE_KINDS, applies, strict=True)]
            held = zip(EVIDENCE_KINDS, evidence[row].tolist(), strict=True)
            items.append([_item(k, found[k]) for k, e in held if e])
        prior = np.full(len(nations), rules.prior_pct[inject.type])
        pct = likelihood_pct(prior, evidence, ratios, rules.min_pct, rules.max_pct)
        labels = likelihood_labels(pct, rules.scale)
        confidence = confidence_levels(evidence.sum(axis=1), rules)
        for row, (i, nation) in enumerate(nations):
            out.append(
                ThreatAssessed(
                    nation=nation,
                    inject_id=inject.id,
                    warned=bool(warned[i]),
                    warning_time_h=float(hours[i]) if warned[i] else None,
                    likelihood_pct=float(pct[row]),
                    likelihood_label=labels[row],
                    confidence=confidence[row],
                    evidence=tuple(items[row]),
                    shared_with=limited(
                        product_receivers(state, nation, "assessments"),
                        derived_release_limit(state, nation, inject.id),
                    ),
                )
            )
    return out
