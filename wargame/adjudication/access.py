"""Sensor access: which sensor sees which object when, reduced to per-nation observation counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.access_kernel import (
    GroundGroup,
    SpaceSensor,
    make_group,
    pack_bits,
    reduce_words,
    set_access,
)
from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.orbits import (
    REGIMES,
    WGS84_A_KM,
    geodetic_to_ecef,
    geodetic_up,
    propagate,
    satrec_from_orbit,
    teme_to_ecef,
)
from wargame.adjudication.sun import site_sun_elevation_deg, sunlit
from wargame.domain.ruleset_model import Ruleset, SensorModel
from wargame.domain.scenario_model import Sensor
from wargame.domain.state import TaskingRequest

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

CHUNK_ELEMENTS = 1 << 17
"""Object-time elements per temporary block: a (chunk, n_time, 3) float64 block is ~1.5 MB."""


@dataclass(frozen=True)
class SensorAccess:
    """Access of every sensor to every object over the move, reduced over time.

    Sensors whose model is missing from the ruleset, or whose owner is not played, see nothing.
    """

    passes: I64
    """(n_sensor, n_obj) number of passes (maximal runs of consecutive detectable steps)."""
    steps: I64
    """(n_sensor, n_obj) number of detectable time steps."""
    last_step: I64
    """(n_sensor, n_obj) index of the last detectable step, -1 if never."""


def geometry_ground(pos_ecef_km: F64, site_ecef_km: F64, up_unit: F64) -> tuple[F64, F64, F64]:
    """Range (..., n_time) km, elevation (..., n_time) deg and line of sight (..., n_time, 3) km."""
    los_km = pos_ecef_km - site_ecef_km
    range_km = np.sqrt(np.einsum("...k,...k->...", los_km, los_km))
    sin_el = np.einsum("...k,k->...", los_km, up_unit) / range_km
    return range_km, np.degrees(np.arcsin(np.clip(sin_el, -1.0, 1.0))), los_km


def earth_blocks(from_km: F64, los_km: F64) -> BOOL:
    """Whether the segment from `from_km` along `los_km` (both (..., 3)) hits the Earth sphere."""
    los_sq = np.einsum("...k,...k->...", los_km, los_km)
    frac = np.clip(-np.einsum("...k,...k->...", from_km, los_km) / los_sq, 0.0, 1.0)
    closest = from_km + frac[..., None] * los_km
    return np.einsum("...k,...k->...", closest, closest) < WGS84_A_KM**2


def _angle_deg(a: F64, b: F64) -> F64:
    """Angle between vectors a (..., n_time, 3) and unit vectors b (n_time, 3), degrees."""
    cos = np.einsum("...tk,tk->...t", a, b) / np.linalg.norm(a, axis=-1)
    return np.degrees(np.arccos(np.clip(cos, -1.0, 1.0)))


def detectable_chunk(
    model: SensorModel,
    pos_km: F64,
    sun_unit: F64,
    site_km: F64 | None,
    up_unit: F64 | None,
    site_dark: BOOL | None,
    sensor_pos_km: F64 | None,
) -> BOOL:
    """Detectability (chunk, n_time) of objects pos_km (chunk, n_time, 3) by one sensor.

    Ground sensors (radar, optical, rf) pass site_km (3,), up_unit (3,) and site_dark (n_time,);
    space-based sensors pass sensor_pos_km (n_time, 3). Regimes are checked by the caller.
    """
    if sensor_pos_km is not None:
        los_km = pos_km - sensor_pos_km
        los_km = np.where(np.all(los_km == 0.0, axis=-1, keepdims=True), np.nan, los_km)
        range_km = np.linalg.norm(los_km, axis=-1)
        ok = (range_km <= model.max_range_km) & ~earth_blocks(
            np.broadcast_to(sensor_pos_km, los_km.shape), los_km
        )
    else:
        assert site_km is not None and up_unit is not None
        range_km, elev_deg, los_km = geometry_ground(pos_km, site_km, up_unit)
        ok = (range_km <= model.max_range_km) & (elev_deg >= model.min_elevation_deg)
        if model.needs_site_dark and site_dark is not None:
            ok &= site_dark[None, :]
    if model.needs_target_sunlit:
        ok &= sunlit(pos_km, sun_unit)
    if model.sun_exclusion_deg > 0.0:
        ok &= _angle_deg(los_km, sun_unit) >= model.sun_exclusion_deg
    return ok & np.isfinite(range_km)


def reduce_over_time(ok: BOOL) -> tuple[I64, I64, I64]:
    """Passes, step counts and last step index (-1 if none) of ok (m, n_time), each (m,)."""
    n_time = ok.shape[-1]
    passes = ok[:, 0].astype(np.int64) + np.sum(ok[:, 1:] & ~ok[:, :-1], axis=1)
    steps = np.asarray(np.sum(ok, axis=1), dtype=np.int64)
    last = np.where(steps > 0, n_time - 1 - np.argmax(ok[:, ::-1], axis=1), -1)
    return np.asarray(passes, dtype=np.int64), steps, np.asarray(last, dtype=np.int64)


def space_based_rows(model: SensorModel, pos_km: F32, sensor_km: F32, sun_unit: F32) -> BOOL:
    """Detectability (m, n_time) of objects pos_km (m, n_time, 3) float32 by a space-based sensor
    at sensor_km (n_time, 3): range limit, Earth blockage (segment vs sphere), target sunlit and
    Sun exclusion, all as comparisons of squared quantities (no square roots or arccos)."""
    los = pos_km - sensor_km
    los2 = np.einsum("mtk,mtk->mt", los, los)
    ok = (los2 <= np.float32(model.max_range_km**2)) & (los2 > 0.0)
    s_dot_l = np.einsum("tk,mtk->mt", sensor_km, los)
    frac = np.clip(-s_dot_l / np.where(los2 > 0.0, los2, 1.0), 0.0, 1.0)
    s2 = np.einsum("tk,tk->t", sensor_km, sensor_km)
    closest2 = s2 + 2.0 * frac * s_dot_l + frac * frac * los2
    ok &= closest2 >= np.float32(WGS84_A_KM**2)
    if model.needs_target_sunlit:
        ok &= sunlit(pos_km, sun_unit)
    if model.sun_exclusion_deg > 0.0:
        cos_max = np.float32(np.cos(np.radians(model.sun_exclusion_deg)))
        l_dot_sun = np.einsum("mtk,tk->mt", los, sun_unit)
        ok &= (l_dot_sun <= 0.0) | (l_dot_sun * l_dot_sun <= cos_max * cos_max * los2)
        if cos_max < 0.0:
            ok &= l_dot_sun < 0.0
            ok &= l_dot_sun * l_dot_sun >= cos_max * cos_max * los2
    return ok


def _exact_access(
    sensor: Sensor, model: SensorModel, catalog: Catalog, ephemeris: Ephemeris, candidates: I64
) -> tuple[I64, I64, I64] | None:
    """Per-element path: space-based sensors (float32 rows) and ground sensors with a Sun
    exclusion (float64 detectable_chunk)."""
    site_km = up = dark = sensor_pos = None
    if sensor.orbit is not None:
        pos_teme, _vel, sensor_decayed = propagate(
            [satrec_from_orbit(sensor.orbit)], ephemeris.jd, ephemeris.fr
        )
        if sensor_decayed[0]:
            return None
        sensor_pos = teme_to_ecef(pos_teme, ephemeris.gmst)[0]
    else:
        lat = np.array([sensor.lat_deg])
        lon = np.array([sensor.lon_deg])
        site_km = geodetic_to_ecef(lat, lon, np.array([sensor.alt_km]))[0]
        up = geodetic_up(lat, lon)
        dark = site_sun_elevation_deg(up, ephemeris.sun_ecef)[0] <= model.max_sun_elevation_deg
        up = up[0]
    n_time = ephemeris.n_time
    chunk = max(1, CHUNK_ELEMENTS // max(n_time, 1))
    passes = np.zeros(candidates.size, dtype=np.int64)
    steps = np.zeros_like(passes)
    last = np.full_like(passes, -1)
    sun32 = ephemeris.sun_ecef.astype(np.float32)
    for lo in range(0, candidates.size, chunk):
        idx = candidates[lo : lo + chunk]
        if sensor_pos is not None:
            ok = space_based_rows(model, ephemeris.pos32_km[idx], sensor_pos.astype(np.float32), sun32)
        else:
            ok = detectable_chunk(
                model, ephemeris.pos_ecef_km[idx], ephemeris.sun_ecef, site_km, up, dark, None
            )
        sl = slice(lo, lo + idx.size)
        passes[sl], steps[sl], last[sl] = reduce_words(pack_bits(ok))
    return passes, steps, last


def uses_fast_path(sensor: Sensor, model: SensorModel) -> bool:
    """Ground sensors without a Sun exclusion go through the matmul kernel (access_kernel)."""
    return sensor.orbit is None and model.type != "space_based" and model.sun_exclusion_deg == 0.0


def compute_access(
    sensors: Sequence[Sensor], ruleset: Ruleset, catalog: Catalog, ephemeris: Ephemeris
) -> SensorAccess:
    """Access of every sensor to every non-decayed object of the regimes its model covers.

    Sensors are grouped by candidate set (the regimes of their model): ground sensors without a
    Sun exclusion by model (access_kernel.GroundGroup) and space-based sensors
    (access_kernel.SpaceSensor) of one set share one pass over the set's objects
    (access_kernel.set_access: shared float32 features, one matmul, bit-packed reduction).
    Ground sensors with a Sun exclusion use the exact float64 path. Never holds the full
    sensor x object x time array.
    """
    n_sensor, n_obj = len(sensors), catalog.n_obj
    passes = np.zeros((n_sensor, n_obj), dtype=np.int64)
    steps = np.zeros((n_sensor, n_obj), dtype=np.int64)
    last = np.full((n_sensor, n_obj), -1, dtype=np.int64)
    played = set(catalog.nations)
    groups: dict[str, list[int]] = {}
    space: dict[tuple[int, ...], list[tuple[int, SpaceSensor]]] = {}
    for s, sensor in enumerate(sensors):
        model = ruleset.sensor_models.get(sensor.model)
        if model is None or sensor.owner not in played:
            continue
        if uses_fast_path(sensor, model):
            groups.setdefault(sensor.model, []).append(s)
            continue
        if sensor.orbit is not None:
            pos_teme, _vel, sensor_decayed = propagate(
                [satrec_from_orbit(sensor.orbit)], ephemeris.jd, ephemeris.fr
            )
            if not sensor_decayed[0]:
                spec = SpaceSensor(
                    pos_km=teme_to_ecef(pos_teme, ephemeris.gmst)[0],
                    max_range_km=model.max_range_km,
                    needs_target_sunlit=model.needs_target_sunlit,
                    sun_exclusion_deg=model.sun_exclusion_deg,
                )
                space.setdefault(_regime_key(model), []).append((s, spec))
            continue
        candidates = _candidates(model, catalog, ephemeris)
        result = _exact_access(sensor, model, catalog, ephemeris, candidates)
        if result is not None:
            passes[s, candidates], steps[s, candidates], last[s, candidates] = result
    by_set: dict[tuple[int, ...], list[str]] = {}
    for model_id in sorted(groups):
        by_set.setdefault(_regime_key(ruleset.sensor_models[model_id]), []).append(model_id)
    for key in sorted(set(by_set) | set(space)):
        rows: list[int] = []
        kernel_groups: list[GroundGroup] = []
        for model_id in by_set.get(key, []):
            members = groups[model_id]
            model = ruleset.sensor_models[model_id]
            lat = np.array([sensors[s].lat_deg for s in members])
            lon = np.array([sensors[s].lon_deg for s in members])
            alt = np.array([sensors[s].alt_km for s in members])
            dark = None
            if model.needs_site_dark:
                up = geodetic_up(lat, lon)
                dark = site_sun_elevation_deg(up, ephemeris.sun_ecef) <= model.max_sun_elevation_deg
            kernel_groups.append(
                make_group(
                    lat, lon, alt, model.min_elevation_deg, model.max_range_km,
                    model.needs_target_sunlit, dark,
                )
            )
            rows.extend(members)
        space_specs = space.get(key, [])
        rows.extend(s for s, _spec in space_specs)
        candidates = np.flatnonzero(np.isin(catalog.regime_idx, key) & ~ephemeris.decayed)
        words = set_access(
            kernel_groups, [spec for _s, spec in space_specs], ephemeris.pos32_km,
            ephemeris.sun_ecef, candidates,
        )
        p, st, la = reduce_words(words)
        for k, s in enumerate(rows):
            passes[s, candidates] = p[k]
            steps[s, candidates] = st[k]
            last[s, candidates] = la[k]
    return SensorAccess(passes=passes, steps=steps, last_step=last)


def _regime_key(model: SensorModel) -> tuple[int, ...]:
    return tuple(sorted({REGIMES.index(r) for r in model.regimes}))


def _candidates(model: SensorModel, catalog: Catalog, ephemeris: Ephemeris) -> I64:
    allowed = [REGIMES.index(r) for r in model.regimes]
    return np.flatnonzero(np.isin(catalog.regime_idx, allowed) & ~ephemeris.decayed)


@dataclass(frozen=True)
class NationObservations:
    """Observations gathered by each played nation's own sensors (and accepted taskings)."""

    info_per_km2: F64
    """(n_nation, n_obj) information sum(passes / measurement_sigma_km^2)."""
    passes: I64
    """(n_nation, n_obj) number of passes."""
    last_step: I64
    """(n_nation, n_obj) last observed step, -1 if none."""


def observations_by_nation(
    sensors: Sequence[Sensor],
    ruleset: Ruleset,
    catalog: Catalog,
    access: SensorAccess,
    taskings: Sequence[TaskingRequest],
) -> NationObservations:
    """Sum sensor access per owner nation, each pass weighted by 1/sigma^2 of its sensor model.

    An accepted tasking (sensor of the partner on one object) gives the requester the same
    passes of that sensor on that object (only where the geometry gave access).
    """
    n_nat, n_obj = len(catalog.nations), catalog.n_obj
    nation_pos = {n: i for i, n in enumerate(catalog.nations)}
    sensor_pos = {s.id: k for k, s in enumerate(sensors)}
    owner_of_sensor = np.array([nation_pos.get(s.owner, -1) for s in sensors], dtype=np.int64)
    weight = np.array(
        [
            1.0 / ruleset.sensor_models[s.model].measurement_sigma_km ** 2
            if s.model in ruleset.sensor_models
            else 0.0
            for s in sensors
        ],
        dtype=np.float64,
    ).reshape(-1, 1)
    info = np.zeros((n_nat, n_obj))
    passes = np.zeros((n_nat, n_obj), dtype=np.int64)
    last = np.full((n_nat, n_obj), -1, dtype=np.int64)
    if sensors:
        valid = owner_of_sensor >= 0
        np.add.at(info, owner_of_sensor[valid], access.passes[valid] * weight[valid])
        np.add.at(passes, owner_of_sensor[valid], access.passes[valid])
        np.maximum.at(last, owner_of_sensor[valid], access.last_step[valid])
    for req in taskings:
        s = sensor_pos.get(req.sensor_id)
        r = nation_pos.get(req.requester)
        j = catalog.index.get(req.object_id)
        if s is None or r is None or j is None or sensors[s].owner != req.partner:
            continue
        info[r, j] += access.passes[s, j] * weight[s, 0]
        passes[r, j] += access.passes[s, j]
        last[r, j] = max(last[r, j], access.last_step[s, j])
    return NationObservations(info_per_km2=info, passes=passes, last_step=last)
