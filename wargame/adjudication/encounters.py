"""A nation's estimated states of a conjunction's two objects at TCA, consistent with its miss."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import Satrec

from wargame.adjudication.estimates import standard_normals
from wargame.adjudication.orbits import to_jd
from wargame.domain.encounters import EncounterEstimate

F64 = NDArray[np.float64]

STATE_DRAWS = 9
"""Keyed normals per warning: the common-mode position error (3) and each object's velocity
error (3 + 3). The relative position error in the encounter plane is the miss estimate's."""


def true_states(satrecs: Sequence[Satrec], moments: Sequence[datetime]) -> tuple[F64, F64]:
    """TEME positions (n, 3) km and velocities (n, 3) km/s of satrecs[k] at moments[k] (sgp4);
    NaN rows where sgp4 reports an error."""
    n = len(satrecs)
    pos, vel = np.full((n, 3), np.nan), np.full((n, 3), np.nan)
    for k, (satrec, moment) in enumerate(zip(satrecs, moments, strict=True)):
        err, r_km, v_km_s = satrec.sgp4(*to_jd(moment))
        if err == 0:
            pos[k], vel[k] = r_km, v_km_s
    return pos, vel


def _any_axis(rows: F64) -> F64:
    """The x axis for every row of (n, 3) `rows`: the last fallback of a direction."""
    return np.tile([1.0, 0.0, 0.0], (rows.shape[0], 1))


def _unit(v: F64, fallback: F64) -> F64:
    """Row-wise unit vectors of (n, 3) `v`; `fallback` rows (already unit) where v is ~0."""
    norm = np.linalg.norm(v, axis=1, keepdims=True)
    small = norm[:, 0] <= 1e-12
    return np.where(small[:, None], fallback, v / np.where(small, 1.0, norm[:, 0])[:, None])


def _across(v: F64, direction: F64) -> F64:
    """The part of (n, 3) `v` perpendicular to the unit rows of `direction`."""
    return v - np.einsum("ij,ij->i", v, direction)[:, None] * direction


def _any_perpendicular(y_hat: F64) -> F64:
    """A unit vector perpendicular to each unit row of `y_hat`."""
    axis = np.where(np.abs(y_hat[:, :1]) < 0.9, [[1.0, 0.0, 0.0]], [[0.0, 1.0, 0.0]])
    across = _across(axis, y_hat)
    return across / np.linalg.norm(across, axis=1, keepdims=True)


def declared_secondary(asset_pos_km: F64, asset_vel_km_per_s: F64, other_vel_km_per_s: F64,
                       miss_km: F64) -> F64:
    """Where a scripted conjunction puts its secondary at TCA, (n, 3) km: `miss_km` (n,) from
    the asset, along the asset's radial direction projected on the encounter plane (normal to
    the relative velocity). The inject declares the miss; the secondary keeps its own velocity."""
    y_hat = _unit(other_vel_km_per_s - asset_vel_km_per_s, _unit(asset_vel_km_per_s, _any_axis(asset_pos_km)))
    x_hat = _unit(_across(asset_pos_km, y_hat), _any_perpendicular(y_hat))
    return asset_pos_km + miss_km[:, None] * x_hat


def estimated_states(
    asset_pos_km: F64, asset_vel_km_per_s: F64, other_pos_km: F64, other_vel_km_per_s: F64,
    plane_km: F64, asset_sigma_km: F64, other_sigma_km: F64, noise: F64,
) -> tuple[F64, F64, F64, F64]:
    """The nation's estimates (n, 3) of both objects' TEME positions and velocities at TCA,
    from the true states (n, 3), its estimated relative position in the encounter plane
    `plane_km` (n, 2: along the true miss, across it; estimates.estimated_plane), its 1-sigma of
    each object (n,) and `noise` (n, STATE_DRAWS) standard normals.

    Velocities: the truth plus an isotropic error of sigma x |v|/|r| per axis (the velocity
    uncertainty that goes with a position uncertainty on an orbit of that rate). The encounter
    plane is normal to the estimated relative velocity; the estimated relative position lies
    in it, with the in-plane components of `plane_km` (the first along the true relative
    position's projection), so the miss of the estimated states is |plane_km| and the TCA is
    the warning's (the error along the relative velocity is taken as a TCA error and dropped).
    Positions: the truth plus a common-mode error of s1 s2 / sqrt(s1^2 + s2^2) per axis, and
    the relative error split between the objects in proportion to their variances, as two
    independent errors of s1 and s2 would split."""
    s1, s2 = asset_sigma_km[:, None], other_sigma_km[:, None]
    rate1 = np.linalg.norm(asset_vel_km_per_s, axis=1) / np.linalg.norm(asset_pos_km, axis=1)
    rate2 = np.linalg.norm(other_vel_km_per_s, axis=1) / np.linalg.norm(other_pos_km, axis=1)
    v1 = asset_vel_km_per_s + noise[:, 3:6] * (s1 * rate1[:, None])
    v2 = other_vel_km_per_s + noise[:, 6:9] * (s2 * rate2[:, None])
    y_hat = _unit(v2 - v1, _unit(v1, _any_axis(v1)))
    relative_km = other_pos_km - asset_pos_km
    radial_in_plane = _unit(_across(asset_pos_km, y_hat), _any_perpendicular(y_hat))
    x_hat = _unit(_across(relative_km, y_hat), radial_in_plane)
    z_hat = np.cross(x_hat, y_hat)
    estimate_km = plane_km[:, :1] * x_hat + plane_km[:, 1:] * z_hat
    error_km = estimate_km - relative_km
    variance = s1**2 + s2**2
    safe = np.where(variance > 0.0, variance, 1.0)
    w1 = np.where(variance > 0.0, s1**2 / safe, 0.5)
    common_km = noise[:, 0:3] * np.where(variance > 0.0, s1 * s2 / np.sqrt(safe), 0.0)
    r1 = asset_pos_km + common_km - w1 * error_km
    r2 = r1 + estimate_km
    return r1, v1, r2, v2


def encounter_estimates(
    true: tuple[F64, F64, F64, F64], plane_km: F64, asset_sigma_km: F64, other_sigma_km: F64,
    key: Sequence[int | str], rows: NDArray[np.int64] | None = None,
) -> list[EncounterEstimate | None]:
    """EncounterEstimate per row of the true states `true` (asset pos, asset vel, other pos,
    other vel, each (n, 3); NaN where sgp4 failed: None). The draws are keyed by `key` and
    taken at `rows` of the key's stream (default 0..n-1), so a row's estimate does not depend
    on which other rows are estimated."""
    n = plane_km.shape[0]
    rows = np.arange(n) if rows is None else rows
    count = int(rows.max()) + 1 if rows.size else 0
    noise = standard_normals((*key, "states"), STATE_DRAWS * count).reshape(count, STATE_DRAWS)[rows]
    r1, v1, r2, v2 = estimated_states(*true, plane_km, asset_sigma_km, other_sigma_km, noise)
    out: list[EncounterEstimate | None] = []
    for k in range(n):
        values = (r1[k], v1[k], r2[k], v2[k])
        if not all(np.all(np.isfinite(v)) for v in values):
            out.append(None)
            continue
        out.append(
            EncounterEstimate(
                asset_pos_km=_triple(r1[k]), asset_vel_km_per_s=_triple(v1[k]),
                other_pos_km=_triple(r2[k]), other_vel_km_per_s=_triple(v2[k]),
                asset_sigma_km=float(asset_sigma_km[k]), other_sigma_km=float(other_sigma_km[k]),
            )
        )
    return out


def _triple(v: F64) -> tuple[float, float, float]:
    return (float(v[0]), float(v[1]), float(v[2]))
