"""Struct-of-arrays view of the ground-truth catalog and its ephemeris over one move."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from wargame.adjudication.orbits import (
    REGIMES,
    ecef_to_geodetic,
    gmst_rad,
    jd_grid,
    propagate,
    regime_index,
    satrec_from_orbit,
    teme_to_ecef,
    teme_to_ecef32,
    time_grid,
)
from wargame.adjudication.sun import sun_unit_ecef
from wargame.domain.scenario_model import Orbit
from wargame.domain.state import ExerciseState, TrackTable

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]


@dataclass(frozen=True)
class Catalog:
    """Every space object of the ground truth as parallel arrays, sorted by id.

    `nations` are the played nations; `owner_idx` indexes them (-1: no played owner).
    """

    ids: tuple[str, ...]
    index: Mapping[str, int]
    nations: tuple[str, ...]
    owner: tuple[str | None, ...]
    owner_idx: I64
    """(n_obj,) index of the owning played nation, or -1."""
    is_payload: BOOL
    """(n_obj,) kind == 'payload'."""
    created_in_play: BOOL
    """(n_obj,) made during the exercise (breakup fragments): not in the public catalog."""
    regime_idx: I64
    """(n_obj,) index into orbits.REGIMES."""
    satrecs: tuple[Satrec, ...]

    @property
    def n_obj(self) -> int:
        return len(self.ids)

    def regime_name(self, obj: int) -> str:
        return REGIMES[int(self.regime_idx[obj])]


@dataclass(frozen=True)
class Ephemeris:
    """Positions of the catalog over a time grid in the Earth-fixed frame (WGS-84 ECEF-ish)."""

    start: datetime
    offsets_min: F64
    """(n_time,) minutes after `start`."""
    jd: F64
    fr: F64
    gmst: F64
    pos32_km: NDArray[np.float32]
    """(n_obj, n_time, 3) float32 Earth-fixed positions for the access kernel (~5 m rounding);
    NaN where sgp4 failed."""
    pos_teme_km: F64
    """(n_obj, n_time, 3) inertial (TEME) positions, for screening."""
    vel_teme_km_per_s: F64
    """(n_obj, n_time, 3) inertial (TEME) velocities, for screening."""
    decayed: BOOL
    """(n_obj,) sgp4 reported an error at some step (excluded from access and pictures)."""
    sun_ecef: F64
    """(n_time, 3) unit vector to the Sun."""

    @functools.cached_property
    def pos_ecef_km(self) -> F64:
        """(n_obj, n_time, 3) float64 Earth-fixed positions; NaN where sgp4 failed. Computed on
        first use (the move itself needs only pos32_km and the last step)."""
        return teme_to_ecef(self.pos_teme_km, self.gmst)

    @property
    def n_time(self) -> int:
        return int(self.offsets_min.shape[0])

    def moment(self, step: int) -> datetime:
        return self.start + timedelta(minutes=float(self.offsets_min[step]))


def build_catalog(state: ExerciseState, orbits: Mapping[str, Orbit]) -> Catalog:
    """Catalog of state.assets with orbits overridden by `orbits` (this move's manoeuvres)."""
    nations = tuple(state.played_nations())
    nation_pos = {n: i for i, n in enumerate(nations)}
    ids = tuple(sorted(state.assets))
    owners: list[str | None] = []
    owner_idx = np.full(len(ids), -1, dtype=np.int64)
    is_payload = np.zeros(len(ids), dtype=bool)
    created_in_play = np.zeros(len(ids), dtype=bool)
    regime_idx = np.zeros(len(ids), dtype=np.int64)
    satrecs: list[Satrec] = []
    for k, obj_id in enumerate(ids):
        asset = state.assets[obj_id]
        spec = state.scenario.object(obj_id)
        owners.append(asset.owner)
        owner_idx[k] = nation_pos.get(asset.owner, -1) if asset.owner is not None else -1
        is_payload[k] = spec is not None and spec.kind == "payload"
        created_in_play[k] = asset.parent is not None
        sat = satrec_from_orbit(orbits.get(obj_id, asset.orbit))
        satrecs.append(sat)
        regime_idx[k] = regime_index(sat, state.ruleset.regimes)
    return Catalog(
        ids=ids,
        index={obj_id: k for k, obj_id in enumerate(ids)},
        nations=nations,
        owner=tuple(owners),
        owner_idx=owner_idx,
        is_payload=is_payload,
        created_in_play=created_in_play,
        regime_idx=regime_idx,
        satrecs=tuple(satrecs),
    )


def build_ephemeris(catalog: Catalog, start: datetime, duration: timedelta, step_minutes: float) -> Ephemeris:
    """Propagate the catalog from `start` over `duration` at `step_minutes` (ends included)."""
    offsets_min = time_grid(duration, step_minutes)
    jd, fr = jd_grid(start, offsets_min)
    gmst = gmst_rad(jd, fr)
    pos_teme_km, vel_km_s, decayed = propagate(catalog.satrecs, jd, fr)
    pos32_km = teme_to_ecef32(pos_teme_km, gmst)
    return Ephemeris(
        start=start,
        offsets_min=offsets_min,
        jd=jd,
        fr=fr,
        gmst=gmst,
        pos32_km=pos32_km,
        pos_teme_km=pos_teme_km,
        vel_teme_km_per_s=vel_km_s,
        decayed=decayed,
        sun_ecef=sun_unit_ecef(jd, fr, gmst),
    )


def subpoints_at_end(ephemeris: Ephemeris) -> tuple[F64, F64, F64]:
    """Geodetic (lat_deg, lon_deg, alt_km) of every object at the last step, shapes (n_obj,)."""
    return ecef_to_geodetic(teme_to_ecef(ephemeris.pos_teme_km[:, -1:, :], ephemeris.gmst[-1:])[:, 0, :])


def table_columns(
    table: TrackTable, catalog: Catalog, move_start: datetime
) -> tuple[I64, F64, I64, F64]:
    """Catalog index (-1: unknown), sigma_km, source code and observation time in minutes after
    `move_start` (NaN: never) of every row of a picture table; shapes (n_rows,)."""
    n = len(table.object_ids)
    idx = np.fromiter((catalog.index.get(o, -1) for o in table.object_ids), dtype=np.int64, count=n)
    sigma = np.asarray(table.sigma_km, dtype=np.float64)
    source = np.asarray(table.source, dtype=np.int64)
    obs = np.array([np.nan if x is None else x for x in table.observed_min], dtype=np.float64)
    if table.epoch is not None:
        obs = obs + (table.epoch - move_start) / timedelta(minutes=1)
    return idx, sigma, source, obs
