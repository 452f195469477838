"""Catalog-scale conjunction screening: apogee/perigee, orbit-path (mutual node) and time filters,
then sgp4 refinement of the few surviving encounters."""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction import ScreeningHits
from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

PATH_PAD_KM = 20.0
"""Margin of the path filter for J2 drift of the node geometry over one move (km)."""
TIME_PAD_S = 60.0
"""Margin of the time filter for the two-body timing of node passages (s)."""
REFINE_SAMPLES = 41
"""sgp4 samples across each surviving encounter window."""
COPLANAR_SIN = 0.02
"""Planes closer than ~1.1 deg are treated as coplanar: the path filter keeps the pair."""


@dataclass(frozen=True)
class Osculating:
    """Two-body elements of every object at the ephemeris start, (n_obj,) or (n_obj, 3)."""

    h_unit: F64
    ecc_vec: F64
    p_km: F64
    ecc: F64
    n_rad_per_s: F64
    r0_unit: F64


def osculating(pos_km: F64, vel_km_s: F64) -> Osculating:
    """Osculating elements from TEME states (n_obj, 3) (mu of WGS-72)."""
    mu = WGS72_MU_KM3_PER_S2
    h = np.cross(pos_km, vel_km_s)
    h_norm = np.linalg.norm(h, axis=1)
    r = np.linalg.norm(pos_km, axis=1)
    ecc_vec = np.cross(vel_km_s, h) / mu - pos_km / r[:, None]
    ecc = np.linalg.norm(ecc_vec, axis=1)
    p_km = h_norm**2 / mu
    a_km = p_km / np.maximum(1.0 - ecc**2, 1e-9)
    return Osculating(
        h_unit=h / h_norm[:, None],
        ecc_vec=ecc_vec,
        p_km=p_km,
        ecc=ecc,
        n_rad_per_s=np.sqrt(mu / np.abs(a_km) ** 3),
        r0_unit=pos_km / r[:, None],
    )


def _mean_anomaly(el: Osculating, idx: I64, direction: F64) -> F64:
    """Mean anomaly (rad) of object idx when its position points along `direction` (m, 3)."""
    e = el.ecc[idx]
    e_vec = el.ecc_vec[idx]
    e_hat = np.where(e[:, None] > 1e-9, e_vec / np.maximum(e, 1e-12)[:, None], el.r0_unit[idx])
    q_hat = np.cross(el.h_unit[idx], e_hat)
    nu = np.arctan2(np.einsum("ik,ik->i", direction, q_hat), np.einsum("ik,ik->i", direction, e_hat))
    big_e = 2.0 * np.arctan2(np.sqrt(1.0 - e) * np.sin(nu / 2.0), np.sqrt(1.0 + e) * np.cos(nu / 2.0))
    return big_e - e * np.sin(big_e)


def _radius_along(el: Osculating, idx: I64, direction: F64) -> F64:
    """Orbit radius (km) of object idx in the in-plane direction (m, 3): p / (1 + e . d)."""
    return el.p_km[idx] / (1.0 + np.einsum("ik,ik->i", el.ecc_vec[idx], direction))


def candidate_pairs(
    ephemeris: Ephemeris, asset_idx: I64, screening_distance_km: float
) -> tuple[I64, I64]:
    """Apogee/perigee filter over (n_asset, n_obj), each unordered pair once; (n_pair,) each."""
    n_obj = ephemeris.pos_teme_km.shape[0]
    valid = ~ephemeris.decayed
    r = np.linalg.norm(ephemeris.pos_teme_km, axis=-1)
    r_min = np.where(valid, np.nanmin(np.where(valid[:, None], r, np.inf), axis=1), np.inf)
    r_max = np.where(valid, np.nanmax(np.where(valid[:, None], r, -np.inf), axis=1), -np.inf)
    pad = screening_distance_km + PATH_PAD_KM
    a = asset_idx[valid[asset_idx]]
    band = (r_min[None, :] <= r_max[a, None] + pad) & (r_max[None, :] >= r_min[a, None] - pad)
    is_asset = np.zeros(n_obj, dtype=bool)
    is_asset[a] = True
    band &= ~(is_asset[None, :] & (np.arange(n_obj)[None, :] <= a[:, None]))
    pi, pj = np.nonzero(band)
    return a[pi], pj


def path_and_time_filter(
    ephemeris: Ephemeris, prim: I64, sec: I64, screening_distance_km: float
) -> tuple[I64, I64, F64, F64]:
    """Pairs whose paths pass within the screening distance (+ pad) at a mutual node at the same
    time. Returns (primary, secondary, window centre s after start, window half-width s)."""
    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    el = osculating(ephemeris.pos_teme_km[:, 0], ephemeris.vel_teme_km_per_s[:, 0])
    node = np.cross(el.h_unit[prim], el.h_unit[sec])
    sin_gamma = np.linalg.norm(node, axis=1)
    coplanar = sin_gamma < COPLANAR_SIN
    node = node / np.where(coplanar, 1.0, sin_gamma)[:, None]
    pad = screening_distance_km + PATH_PAD_KM
    out_p, out_s, out_t, out_w = [], [], [], []
    for sign in (1.0, -1.0):
        d = sign * node
        dr = np.abs(_radius_along(el, prim, d) - _radius_along(el, sec, d))
        near = ~coplanar & (dr < pad)
        i, j, dd = prim[near], sec[near], d[near]
        along_km = pad / np.maximum(sin_gamma[near], COPLANAR_SIN)
        times = []
        for obj in (i, j):
            m_now = _mean_anomaly(el, obj, el.r0_unit[obj])
            m_node = _mean_anomaly(el, obj, dd)
            first = np.mod(m_node - m_now, 2.0 * np.pi) / el.n_rad_per_s[obj]
            times.append((first, 2.0 * np.pi / el.n_rad_per_s[obj]))
        (t_i, p_i), (t_j, p_j) = times
        speed_i = np.linalg.norm(ephemeris.vel_teme_km_per_s[i, 0], axis=1)
        speed_j = np.linalg.norm(ephemeris.vel_teme_km_per_s[j, 0], axis=1)
        half_w = along_km / np.minimum(speed_i, speed_j) + TIME_PAD_S
        n_cross = int(np.ceil(duration_s / max(float(np.min(p_i, initial=duration_s)), 1.0))) + 1
        k = np.arange(n_cross)[None, :]
        t_ik = t_i[:, None] + k * p_i[:, None]  # (m, n_cross)
        m = np.round((t_ik - t_j[:, None]) / p_j[:, None])
        t_jk = t_j[:, None] + m * p_j[:, None]
        hit = (np.abs(t_ik - t_jk) < half_w[:, None]) & (t_ik <= duration_s + half_w[:, None])
        hit &= t_jk >= -half_w[:, None]
        rows, cols = np.nonzero(hit)
        out_p.append(i[rows])
        out_s.append(j[rows])
        out_t.append(0.5 * (t_ik[rows, cols] + t_jk[rows, cols]))
        out_w.append(half_w[rows] + 0.5 * np.abs(t_ik[rows, cols] - t_jk[rows, cols]))
    flat = np.flatnonzero(coplanar)
    out_p.append(prim[flat])
    out_s.append(sec[flat])
    out_t.append(np.full(flat.size, duration_s / 2.0))
    out_w.append(np.full(flat.size, duration_s / 2.0))
    return (
        np.concatenate(out_p).astype(np.int64),
        np.concatenate(out_s).astype(np.int64),
        np.concatenate(out_t),
        np.concatenate(out_w),
    )


def refine(
    catalog: Catalog, ephemeris: Ephemeris, prim: I64, sec: I64, centre_s: F64, half_s: F64
) -> tuple[F64, F64]:
    """Miss distance (km) and TCA (s after start) of each encounter window by sgp4 sampling and a
    parabola through the three samples around the minimum; (m,) each."""
    jd0, fr0 = float(ephemeris.jd[0]), float(ephemeris.fr[0])
    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    u = np.linspace(-1.0, 1.0, REFINE_SAMPLES)
    miss = np.full(prim.size, np.inf)
    tca = np.zeros(prim.size)
    for k in range(prim.size):
        t_s = np.clip(centre_s[k] + half_s[k] * u, 0.0, duration_s)
        fr = fr0 + t_s / 86400.0
        jd = np.full_like(fr, jd0)
        e1, r1, _v1 = catalog.satrecs[prim[k]].sgp4_array(jd, fr)
        e2, r2, _v2 = catalog.satrecs[sec[k]].sgp4_array(jd, fr)
        dist = np.linalg.norm(r1 - r2, axis=1)
        dist[(e1 != 0) | (e2 != 0)] = np.inf
        b = int(np.argmin(dist))
        if not math.isfinite(dist[b]):
            continue
        tca[k], miss[k] = t_s[b], dist[b]
        if 0 < b < REFINE_SAMPLES - 1:
            d2 = dist[b - 1 : b + 2] ** 2
            denom = d2[0] - 2.0 * d2[1] + d2[2]
            if denom > 0.0:
                shift = 0.5 * (d2[0] - d2[2]) / denom
                step = t_s[b + 1] - t_s[b]
                tca[k] = t_s[b] + shift * step
                miss[k] = math.sqrt(max(d2[1] - 0.25 * (d2[0] - d2[2]) * shift, 0.0))
    return miss, tca


def screen_catalog(
    catalog: Catalog, ephemeris: Ephemeris, asset_mask: BOOL, screening_distance_km: float
) -> ScreeningHits:
    """Screen assets (asset_mask (n_obj,)) against the whole catalog over the ephemeris span.

    Hits keep the closest encounter of each pair with miss < screening_distance_km.
    """
    prim, sec = candidate_pairs(ephemeris, np.flatnonzero(asset_mask), screening_distance_km)
    prim, sec, centre, half = path_and_time_filter(ephemeris, prim, sec, screening_distance_km)
    miss, tca_s = refine(catalog, ephemeris, prim, sec, centre, half)
    keep = miss < screening_distance_km
    prim, sec, miss, tca_s = prim[keep], sec[keep], miss[keep], tca_s[keep]
    order = np.lexsort((miss, sec, prim))
    prim, sec, miss, tca_s = prim[order], sec[order], miss[order], tca_s[order]
    first = np.ones(prim.size, dtype=bool)
    first[1:] = (prim[1:] != prim[:-1]) | (sec[1:] != sec[:-1])
    prim, sec, miss, tca_s = prim[first], sec[first], miss[first], tca_s[first]
    dt_min = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) if ephemeris.n_time > 1 else 1.0
    step = np.clip(np.round(tca_s / 60.0 / dt_min), 0, ephemeris.n_time - 1).astype(np.int64)
    return ScreeningHits(
        primary=prim, secondary=sec, step=step, tca_offset_min=tca_s / 60.0, miss_km=miss
    )
