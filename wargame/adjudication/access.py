"""Sensor access: which sensor sees which object when, reduced to per-nation observation counts."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.access_kernel import (
    GroundSensors,
    SpaceSensors,
    count_access,
    ground_sensors,
    space_sensors,
)
from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.orbits import (
    REGIMES,
    geodetic_up,
    propagate,
    satrec_from_orbit,
    teme_to_ecef,
)
from wargame.adjudication.sun import site_sun_elevation_deg
from wargame.domain.ruleset_model import Ruleset, SensorModel
from wargame.domain.scenario_model import Sensor
from wargame.domain.state import TaskingRequest

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]


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


def _ground_arrays(
    sensors: Sequence[Sensor], members: list[int], ruleset: Ruleset, ephemeris: Ephemeris
) -> GroundSensors:
    models = [ruleset.sensor_models[sensors[s].model] for s in members]
    lat = np.array([sensors[s].lat_deg for s in members], dtype=np.float64)
    lon = np.array([sensors[s].lon_deg for s in members], dtype=np.float64)
    sun_elev = site_sun_elevation_deg(geodetic_up(lat, lon), ephemeris.sun_ecef)  # (n_g, n_time)
    dark = np.array(
        [
            sun_elev[k] <= m.max_sun_elevation_deg if m.needs_site_dark else np.ones(ephemeris.n_time, bool)
            for k, m in enumerate(models)
        ],
        dtype=np.bool_,
    ).reshape(len(members), ephemeris.n_time)
    return ground_sensors(
        lat, lon, np.array([sensors[s].alt_km for s in members], dtype=np.float64),
        np.array([m.min_elevation_deg for m in models], dtype=np.float64),
        np.array([m.max_range_km for m in models], dtype=np.float64),
        np.array([m.needs_target_sunlit for m in models], dtype=np.bool_),
        dark,
        np.array([m.sun_exclusion_deg for m in models], dtype=np.float64),
        ephemeris.sun_ecef,
    )


def _space_arrays(
    models: list[SensorModel], positions: list[F64], n_time: int
) -> SpaceSensors:
    return space_sensors(
        np.array(positions, dtype=np.float64).reshape(len(models), n_time, 3),
        np.array([m.max_range_km for m in models], dtype=np.float64),
        np.array([m.needs_target_sunlit for m in models], dtype=np.bool_),
        np.array([m.sun_exclusion_deg for m in models], dtype=np.float64),
    )


def compute_access(
    sensors: Sequence[Sensor], ruleset: Ruleset, catalog: Catalog, ephemeris: Ephemeris
) -> SensorAccess:
    """Access of every sensor to every non-decayed object of the regimes its model covers.

    Sensors are grouped by candidate set (the regimes of their model); each set is one call of
    the numba kernel (`access_kernel.count_access`) over the set's objects, ground sensors
    (those without an orbit) and space-based sensors (propagated with sgp4) together. A
    space-based sensor whose own propagation fails sees nothing.
    """
    n_sensor, n_obj, n_time = len(sensors), catalog.n_obj, ephemeris.n_time
    passes = np.zeros((n_sensor, n_obj), dtype=np.int64)
    steps = np.zeros((n_sensor, n_obj), dtype=np.int64)
    last = np.full((n_sensor, n_obj), -1, dtype=np.int64)
    played = set(catalog.nations)
    ground: dict[tuple[int, ...], list[int]] = {}
    space: dict[tuple[int, ...], list[tuple[int, SensorModel, F64]]] = {}
    for s, sensor in enumerate(sensors):
        model = ruleset.sensor_models.get(sensor.model)
        if model is None or sensor.owner not in played:
            continue
        key = tuple(sorted({REGIMES.index(r) for r in model.regimes}))
        if sensor.orbit is None:
            ground.setdefault(key, []).append(s)
            continue
        pos_teme, _vel, sensor_decayed = propagate(
            [satrec_from_orbit(sensor.orbit)], ephemeris.jd, ephemeris.fr
        )
        if not sensor_decayed[0]:
            space.setdefault(key, []).append((s, model, teme_to_ecef(pos_teme, ephemeris.gmst)[0]))
    for key in sorted(set(ground) | set(space)):
        members = ground.get(key, [])
        orbiting = space.get(key, [])
        rows = np.array(members + [s for s, _m, _p in orbiting], dtype=np.int64)
        candidates = np.flatnonzero(np.isin(catalog.regime_idx, key) & ~ephemeris.decayed)
        count_access(
            ephemeris.pos32_km, candidates.astype(np.int64), ephemeris.sun_ecef,
            _ground_arrays(sensors, members, ruleset, ephemeris),
            _space_arrays([m for _s, m, _p in orbiting], [p for _s, _m, p in orbiting], n_time),
            rows, passes, steps, last,
        )
    return SensorAccess(passes=passes, steps=steps, last_step=last)


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
    service_share: Sequence[float] | None = None,
) -> NationObservations:
    """Sum sensor access per owner nation, each pass weighted by 1/sigma^2 of its sensor model
    times the sensor's `service_share` (capability.service_by_status of its status; 1 if None).

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
    if service_share is not None:
        weight = weight * np.asarray(service_share, dtype=np.float64).reshape(-1, 1)
    info = np.zeros((n_nat, n_obj))
    passes = np.zeros((n_nat, n_obj), dtype=np.int64)
    last = np.full((n_nat, n_obj), -1, dtype=np.int64)
    if sensors:
        # (n_nat, n_sensor) owner matrices: sums over sensors become one matrix product each.
        owned = owner_of_sensor[None, :] == np.arange(n_nat)[:, None]
        passes_f = access.passes.astype(np.float64)
        info = (owned * weight[:, 0][None, :]) @ passes_f
        passes = np.rint(owned.astype(np.float64) @ passes_f).astype(np.int64)
        for n in range(n_nat):
            if owned[n].any():
                last[n] = access.last_step[owned[n]].max(axis=0)
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
