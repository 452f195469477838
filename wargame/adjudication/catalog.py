"""Struct-of-arrays view of the ground-truth catalog and its ephemeris over one move."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, Generic, TypeVar

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
from wargame.domain.background import BackgroundCatalog
from wargame.domain.ruleset_model import RegimeRules
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
    removed: tuple[int, ...] = ()
    """Indices of objects the white cell took out of play (debris_removed): propagated as
    re-entered (decayed), so nothing observes, screens or draws them."""

    @property
    def n_obj(self) -> int:
        return len(self.ids)

    def regime_name(self, obj: int) -> str:
        return REGIMES[int(self.regime_idx[obj])]


@dataclass(frozen=True)
class Inertial:
    """The catalog's inertial (TEME) states over the time grid, as sgp4 gives them."""

    pos_teme_km: F64
    """(n_obj, n_time, 3)"""
    vel_teme_km_per_s: F64
    """(n_obj, n_time, 3)"""


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
    end_teme_km: F64
    """(n_obj, 3) inertial (TEME) positions at the last step (the move's end: the truth record)."""
    inertial: Inertial | None
    """The inertial grid, for screening; None once released (`without_inertial`)."""
    decayed: BOOL
    """(n_obj,) sgp4 reported an error at some step (excluded from access and pictures)."""
    sun_ecef: F64
    """(n_time, 3) unit vector to the Sun."""

    @property
    def pos_teme_km(self) -> F64:
        """(n_obj, n_time, 3) inertial (TEME) positions."""
        return self._inertial().pos_teme_km

    @property
    def vel_teme_km_per_s(self) -> F64:
        """(n_obj, n_time, 3) inertial (TEME) velocities."""
        return self._inertial().vel_teme_km_per_s

    def _inertial(self) -> Inertial:
        if self.inertial is None:
            raise RuntimeError("the inertial grid was released after screening (without_inertial)")
        return self.inertial

    def without_inertial(self) -> Ephemeris:
        """This ephemeris without its inertial grid (400 MB at 47,000 objects over a 6 h move):
        what the rest of a move needs after screening is the Earth-fixed float32 grid."""
        return replace(self, inertial=None)

    def ecef_km(self, rows: Any = slice(None), steps: Any = slice(None)) -> F64:
        """(n_rows, n_steps, 3) float64 Earth-fixed positions of some objects at some steps (all by
        default; NaN where sgp4 failed), computed on demand and not kept: the whole grid is
        200 MB at 47,000 objects, and a move needs only pos32_km and a few rows."""
        row_index = np.arange(self.pos_teme_km.shape[0])[rows]
        step_index = np.arange(self.n_time)[steps]
        picked = self.pos_teme_km[np.ix_(np.atleast_1d(row_index), np.atleast_1d(step_index))]
        return teme_to_ecef(picked, self.gmst[np.atleast_1d(step_index)])

    @property
    def n_time(self) -> int:
        return int(self.offsets_min.shape[0])

    def moment(self, step: int) -> datetime:
        return self.start + timedelta(minutes=float(self.offsets_min[step]))


V = TypeVar("V")


class CatalogDefaults(dict[str, V], Generic[V]):
    """A map of the objects whose truth is kept explicitly, that answers for any other object
    of the background catalog with its value there (`fallback`), as if every object were in it."""

    def __init__(self, explicit: dict[str, V], known: Any, fallback: Any) -> None:
        super().__init__(explicit)
        self._known = known
        self._fallback = fallback

    def __missing__(self, key: str) -> V:
        if key in self._known:
            value: V = self._fallback(key)
            return value
        raise KeyError(key)

    def __contains__(self, key: object) -> bool:
        return super().__contains__(key) or key in self._known

    def get(self, key: str, default: Any = None) -> Any:
        return self[key] if key in self else default

    def explicit(self) -> dict[str, V]:
        """Only the entries held explicitly (the named, changed and in-play objects)."""
        return dict(self.items())


@dataclass(frozen=True)
class _BackgroundPart:
    """The background catalog's sgp4 records and regimes, built once per process and ruleset."""

    satrecs: tuple[Satrec, ...]
    regime_idx: I64
    is_payload: BOOL


_BACKGROUND_PARTS: dict[tuple[str, RegimeRules], _BackgroundPart] = {}
_BACKGROUND_PARTS_KEPT = 4


def _background_part(background: BackgroundCatalog, regimes: RegimeRules) -> _BackgroundPart:
    key = (background.digest, regimes)
    part = _BACKGROUND_PARTS.get(key)
    if part is None:
        satrecs = tuple(satrec_from_orbit(background.orbit(i)) for i in background.ids)
        part = _BackgroundPart(
            satrecs=satrecs,
            regime_idx=np.array([regime_index(s, regimes) for s in satrecs], dtype=np.int64),
            is_payload=np.array([k == "payload" for k in background.kinds], dtype=bool),
        )
        if len(_BACKGROUND_PARTS) >= _BACKGROUND_PARTS_KEPT:
            _BACKGROUND_PARTS.pop(next(iter(_BACKGROUND_PARTS)))
        _BACKGROUND_PARTS[key] = part
    return part


def build_catalog(state: ExerciseState, orbits: Mapping[str, Orbit]) -> Catalog:
    """Catalog of every object in play, in catalog order (`state.object_ids()`), with orbits
    overridden by the explicit entries of `orbits` (the truth's: changed and manoeuvred ones)."""
    nations = tuple(state.played_nations())
    nation_pos = {n: i for i, n in enumerate(nations)}
    background = state.background
    part = _background_part(background, state.ruleset.regimes)
    ids = tuple(state.object_ids())
    n_bg = len(background)
    owners: list[str | None] = list(background.owners)
    owner_idx = np.full(len(ids), -1, dtype=np.int64)
    is_payload = np.zeros(len(ids), dtype=bool)
    is_payload[:n_bg] = part.is_payload
    created_in_play = np.zeros(len(ids), dtype=bool)
    regime_idx = np.zeros(len(ids), dtype=np.int64)
    regime_idx[:n_bg] = part.regime_idx
    satrecs: list[Satrec] = list(part.satrecs)
    explicit = orbits.explicit() if isinstance(orbits, CatalogDefaults) else dict(orbits)
    removed: list[int] = []
    for k in range(n_bg, len(ids)):
        obj_id = ids[k]
        asset = state.assets[obj_id]
        if asset.removed:
            removed.append(k)
        spec = state.object_spec(obj_id)
        owners.append(asset.owner)
        is_payload[k] = spec is not None and spec.kind == "payload"
        created_in_play[k] = asset.parent is not None
        satrecs.append(satrec_from_orbit(explicit.get(obj_id, asset.orbit)))
        regime_idx[k] = regime_index(satrecs[k], state.ruleset.regimes)
    index = {obj_id: k for k, obj_id in enumerate(ids)}
    for obj_id, orbit in explicit.items():
        k = index.get(obj_id, -1)
        if 0 <= k < n_bg:  # a background object whose orbit changed
            satrecs[k] = satrec_from_orbit(orbit)
            regime_idx[k] = regime_index(satrecs[k], state.ruleset.regimes)
    for k, owner in enumerate(owners):
        if owner is not None:
            owner_idx[k] = nation_pos.get(owner, -1)
    return Catalog(
        ids=ids,
        index=index,
        nations=nations,
        owner=tuple(owners),
        owner_idx=owner_idx,
        is_payload=is_payload,
        created_in_play=created_in_play,
        regime_idx=regime_idx,
        satrecs=tuple(satrecs),
        removed=tuple(removed),
    )


def build_ephemeris(catalog: Catalog, start: datetime, duration: timedelta, step_minutes: float) -> Ephemeris:
    """Propagate the catalog from `start` over `duration` at `step_minutes` (ends included)."""
    offsets_min = time_grid(duration, step_minutes)
    jd, fr = jd_grid(start, offsets_min)
    gmst = gmst_rad(jd, fr)
    pos_teme_km, vel_km_s, decayed = propagate(catalog.satrecs, jd, fr)
    if catalog.removed:
        gone = list(catalog.removed)
        decayed[gone] = True  # excluded from access and screening
        pos_teme_km[gone, -1] = np.nan  # and drawn nowhere: no position at the move's end
    pos32_km = teme_to_ecef32(pos_teme_km, gmst)
    return Ephemeris(
        start=start,
        offsets_min=offsets_min,
        jd=jd,
        fr=fr,
        gmst=gmst,
        pos32_km=pos32_km,
        end_teme_km=pos_teme_km[:, -1, :].copy(),
        inertial=Inertial(pos_teme_km=pos_teme_km, vel_teme_km_per_s=vel_km_s),
        decayed=decayed,
        sun_ecef=sun_unit_ecef(jd, fr, gmst),
    )


def subpoints_at_end(ephemeris: Ephemeris) -> tuple[F64, F64, F64]:
    """Geodetic (lat_deg, lon_deg, alt_km) of every object at the last step, shapes (n_obj,)."""
    return ecef_to_geodetic(teme_to_ecef(ephemeris.end_teme_km[:, None, :], ephemeris.gmst[-1:])[:, 0, :])


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
