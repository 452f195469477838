"""Collision probability (Foster 2D, isotropic covariance) and vectorized conjunction screening."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

MAX_RELATIVE_SPEED_KM_PER_S = 16.0
"""Upper bound of the relative speed of two Earth-orbiting objects (sampling pad for screening)."""
PAIR_CHUNK_ELEMENTS = 1 << 16
"""Pair-time elements per temporary block in screening (~1.5 MB per (chunk, n_time, 3) block)."""
_MAX_SERIES_TERMS = 20000


def pc_isotropic(miss_km: F64, sigma_km: F64, hard_body_radius_km: float | F64) -> F64:
    """Foster 2D collision probability for an isotropic combined covariance (exact series).

    Pc = P(|X| <= R) with X ~ N(m, s^2 I_2) in the encounter plane = 1 - Q_1(m/s, R/s)
    (Marcum Q). With J ~ Poisson(m^2 / 2s^2) and N ~ Poisson(R^2 / 2s^2) independent,
    Pc = P(N > J) = sum_{k>=1} Pois(k; R^2/2s^2) * P(J <= k - 1): a positive series summed to
    convergence. Inputs broadcast together; s = 0 gives the step function [m < R].
    """
    miss, sigma, radius = np.broadcast_arrays(
        np.asarray(miss_km, dtype=np.float64),
        np.asarray(sigma_km, dtype=np.float64),
        np.asarray(hard_body_radius_km, dtype=np.float64),
    )
    out_shape = miss.shape
    miss, sigma, radius = miss.ravel(), sigma.ravel(), radius.ravel()
    pc = np.where(miss < radius, 1.0, 0.0)
    ok = sigma > 0.0
    if not np.any(ok):
        return pc.reshape(out_shape)
    mu = 0.5 * (miss[ok] / sigma[ok]) ** 2
    y = 0.5 * (radius[ok] / sigma[ok]) ** 2
    y_max = float(np.max(y))
    n_terms = int(min(_MAX_SERIES_TERMS, np.ceil(y_max + 12.0 * np.sqrt(y_max) + 40.0)))
    k = np.arange(n_terms + 1, dtype=np.float64)  # 0..K
    log_fact = np.concatenate([[0.0], np.cumsum(np.log(np.maximum(k[1:], 1.0)))])
    with np.errstate(divide="ignore", invalid="ignore"):
        log_mu = np.log(mu)[:, None]
        log_y = np.log(y)[:, None]
        # log Pois(k; mu) and log Pois(k; y), shape (m, K + 1); 0 * log 0 := 0.
        log_p_j = np.where(k[None, :] == 0, 0.0, k[None, :] * log_mu) - mu[:, None] - log_fact
        log_p_n = np.where(k[None, :] == 0, 0.0, k[None, :] * log_y) - y[:, None] - log_fact
    cdf_j = np.cumsum(np.exp(log_p_j), axis=1)  # P(J <= k)
    pc_ok = np.sum(np.exp(log_p_n[:, 1:]) * cdf_j[:, :-1], axis=1)
    pc[ok] = np.clip(pc_ok, 0.0, 1.0)
    return pc.reshape(out_shape)


@dataclass(frozen=True)
class ScreeningHits:
    """Close pairs found by screening, parallel arrays of shape (n_hit,)."""

    primary: I64
    """Catalog index of the asset."""
    secondary: I64
    """Catalog index of the other object."""
    step: I64
    """Sampled step nearest the time of closest approach."""
    tca_offset_min: F64
    """Refined time of closest approach, minutes after the ephemeris start."""
    miss_km: F64
    """Refined miss distance (linear relative motion around the sampled minimum)."""


def screen(
    catalog: Catalog, ephemeris: Ephemeris, asset_mask: BOOL, screening_distance_km: float
) -> ScreeningHits:
    """Screen assets (asset_mask (n_obj,)) against all objects for miss < screening distance.

    1. apogee/perigee filter on (n_asset, n_obj) radius bands over the move;
    2. sampled minimum distance for the surviving pairs in chunks of PAIR_CHUNK_ELEMENTS;
    3. linear refinement around the sampled minimum (relative velocity from neighbour steps).
    Pairs of two assets are reported once (lower index as primary); decayed objects are skipped.
    """
    pos = ephemeris.pos_ecef_km
    n_obj, n_time = pos.shape[0], pos.shape[1]
    empty_i = np.zeros(0, dtype=np.int64)
    empty = ScreeningHits(empty_i, empty_i, empty_i, np.zeros(0), np.zeros(0))
    if n_obj == 0 or n_time == 0:
        return empty
    dt_min = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) if n_time > 1 else 0.0
    pad_km = screening_distance_km + 0.5 * MAX_RELATIVE_SPEED_KM_PER_S * dt_min * 60.0
    valid = ~ephemeris.decayed
    radius_km = np.linalg.norm(np.where(valid[:, None, None], pos, 0.0), axis=-1)
    r_min, r_max = radius_km.min(axis=1), radius_km.max(axis=1)
    assets = np.flatnonzero(asset_mask & valid)
    band = (r_min[None, :] <= r_max[assets, None] + pad_km) & (r_max[None, :] >= r_min[assets, None] - pad_km)
    band &= valid[None, :]
    band &= assets[:, None] != np.arange(n_obj)[None, :]
    band &= ~(asset_mask[None, :] & (np.arange(n_obj)[None, :] < assets[:, None]))
    pi, pj = np.nonzero(band)
    prim, sec = assets[pi], pj
    if prim.size == 0:
        return empty
    chunk = max(1, PAIR_CHUNK_ELEMENTS // n_time)
    best_step = np.empty(prim.size, dtype=np.int64)
    best_km = np.empty(prim.size)
    for lo in range(0, prim.size, chunk):
        a, b = prim[lo : lo + chunk], sec[lo : lo + chunk]
        dist_km = np.linalg.norm(pos[a] - pos[b], axis=-1)  # (chunk, n_time)
        best_step[lo : lo + chunk] = np.argmin(dist_km, axis=1)
        best_km[lo : lo + chunk] = dist_km[np.arange(a.size), best_step[lo : lo + chunk]]
    keep = best_km < pad_km
    prim, sec, step = prim[keep], sec[keep], best_step[keep]
    rel0 = pos[prim, step] - pos[sec, step]  # (m, 3)
    if n_time > 1:
        before = np.maximum(step - 1, 0)
        after = np.minimum(step + 1, n_time - 1)
        span_min = ephemeris.offsets_min[after] - ephemeris.offsets_min[before]
        rel_vel = (pos[prim, after] - pos[sec, after]) - (pos[prim, before] - pos[sec, before])
        rel_vel = rel_vel / span_min[:, None]  # km per minute
        speed_sq = np.einsum("ik,ik->i", rel_vel, rel_vel)
        with np.errstate(divide="ignore", invalid="ignore"):
            closing = -np.einsum("ik,ik->i", rel0, rel_vel)
            tau_min = np.where(speed_sq > 0.0, closing / speed_sq, 0.0)
        lo_min = ephemeris.offsets_min[before] - ephemeris.offsets_min[step]
        hi_min = ephemeris.offsets_min[after] - ephemeris.offsets_min[step]
        tau_min = np.clip(tau_min, lo_min, hi_min)
        miss_km = np.linalg.norm(rel0 + tau_min[:, None] * rel_vel, axis=-1)
    else:
        tau_min = np.zeros(prim.size)
        miss_km = np.linalg.norm(rel0, axis=-1)
    hit = miss_km < screening_distance_km
    return ScreeningHits(
        primary=prim[hit],
        secondary=sec[hit],
        step=step[hit],
        tca_offset_min=ephemeris.offsets_min[step[hit]] + tau_min[hit],
        miss_km=miss_km[hit],
    )
