"""Catalog-scale conjunction screening: radius band, orbit-plane node geometry and phase timing
filters over (asset, object) pairs, then a vectorized refinement of every surviving window."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction import ScreeningHits
from wargame.adjudication.kepler import interpolate_states

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]
TWO_PI = 2.0 * np.pi

RADIUS_PAD_KM = 25.0
"""Margin of the radius band and of the radius at the node: sampled extremes and J2 short-period."""
PHASE_PAD_RAD = 0.004
"""Margin of the linear phase model: J2 short-period terms in the argument of latitude."""
TIME_PAD_S = 20.0
"""Margin of every encounter window (interpolant and model errors), seconds."""
COPLANAR_SIN = 0.02
"""Planes closer than ~1.1 deg: the phase-crossing filter replaces the node filter."""
SHORT_WINDOW_S = 150.0
"""Half-width up to which a window is pre-screened by linear relative motion from its centre."""
LINEAR_PAD_KM = 5.0
"""Margin of that pre-screen for the curvature of the relative motion."""
NEWTON_STEPS = 3
"""Linear-relative-motion TCA iterations from the best grid sample."""
HERMITE_PAD_FACTOR = 2.0
"""Safety factor on the cubic Hermite error bound h^4/384 |x^(4)| ~ h^4/384 mu^2/r^5 (x (1 + e))."""
MAX_GRID_STEP_S = 120.0
RESIDUAL_FACTOR = 1.25
"""Kernel pads: the largest deviation at the samples (phase and conic radius), times this."""
KERNEL_RADIUS_PAD_KM = 2.0
"""Kernel radius margin on top of the sampled conic residual (between-sample extremes)."""
KERNEL_PHASE_PAD_RAD = 0.002
"""Kernel phase margin on top of the sampled phase residual and the plane drift."""
"""Largest spacing of the refinement grid in long windows (coplanar or eccentric pairs)."""


@dataclass(frozen=True)
class Phases:
    """Per-object orbit summary over the move, (n_obj,) or (n_obj, 3), float64."""

    r_min_km: F64
    r_max_km: F64
    h_unit: F64
    """Orbit normal at the middle step."""
    p_unit: F64
    q_unit: F64
    """In-plane basis at the middle step (p along the ascending node, or x for equatorial)."""
    ecc_vec: F64
    p_km: F64
    lam0_rad: F64
    """In-plane angle (from p, plus the node's right ascension) at the start."""
    rate_rad_per_s: F64
    """Mean in-plane angular rate over the move (from the unwrapped start/end angles)."""
    tol_rad: F64
    """Deviation of the angle from the linear model: 2e + 1.25e^2 + plane drift + pad."""
    drift_rad: F64
    """Half the angle between the orbit normals at the start and the end."""


def phases(ephemeris: Ephemeris) -> Phases:
    """Orbit summaries of every object from its sampled TEME states (WGS-72 mu)."""
    from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2 as mu

    pos, vel = ephemeris.pos_teme_km, ephemeris.vel_teme_km_per_s
    n_time = pos.shape[1]
    mid = n_time // 2
    r2 = np.einsum("otk,otk->ot", ephemeris.pos32_km, ephemeris.pos32_km)
    r_min = np.sqrt(np.nanmin(r2, axis=1).astype(np.float64))
    r_max = np.sqrt(np.nanmax(r2, axis=1).astype(np.float64))
    h = np.cross(pos[:, mid], vel[:, mid])
    h_norm = np.linalg.norm(h, axis=1)
    h_unit = h / h_norm[:, None]
    node = np.cross(np.array([0.0, 0.0, 1.0]), h_unit)
    node_norm = np.linalg.norm(node, axis=1)
    equatorial = node_norm < 1e-6
    node_unit = node / np.where(equatorial, 1.0, node_norm)[:, None]
    p_unit = np.where(equatorial[:, None], np.array([1.0, 0.0, 0.0]), node_unit)
    q_unit = np.cross(h_unit, p_unit)
    raan = np.arctan2(p_unit[:, 1], p_unit[:, 0])
    r_mid = np.linalg.norm(pos[:, mid], axis=1)
    ecc_vec = np.cross(vel[:, mid], h) / mu - pos[:, mid] / r_mid[:, None]
    ecc = np.linalg.norm(ecc_vec, axis=1)

    def angle(step: int) -> F64:
        r = pos[:, step]
        return np.arctan2(np.einsum("ik,ik->i", r, q_unit), np.einsum("ik,ik->i", r, p_unit)) + raan

    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    lam0 = angle(0)
    a_km = (h_norm**2 / mu) / np.maximum(1.0 - ecc**2, 1e-9)
    n_osc = np.sqrt(mu / a_km**3)
    if duration_s > 0.0:
        raw = angle(n_time - 1) - lam0
        revs = np.round((n_osc * duration_s - raw) / TWO_PI)
        rate = (raw + TWO_PI * revs) / duration_s
        h_start = np.cross(pos[:, 0], vel[:, 0])
        h_end = np.cross(pos[:, -1], vel[:, -1])
        cos_drift = np.einsum("ik,ik->i", h_start, h_end) / (
            np.linalg.norm(h_start, axis=1) * np.linalg.norm(h_end, axis=1)
        )
        drift = 0.5 * np.arccos(np.clip(cos_drift, -1.0, 1.0))
    else:
        rate, drift = n_osc, np.zeros_like(n_osc)
    tol = 2.0 * ecc + 1.25 * ecc**2 + drift + PHASE_PAD_RAD
    bad = ~np.isfinite(lam0) | ~np.isfinite(rate) | ephemeris.decayed
    return Phases(
        r_min_km=np.where(bad, np.inf, r_min),
        r_max_km=np.where(bad, -np.inf, r_max),
        h_unit=h_unit, p_unit=p_unit, q_unit=q_unit, ecc_vec=ecc_vec,
        p_km=h_norm**2 / mu, lam0_rad=lam0, rate_rad_per_s=rate,
        tol_rad=np.where(bad, np.inf, tol), drift_rad=drift,
    )


def band_pairs(ph: Phases, assets: I64, distance_km: float) -> tuple[I64, I64]:
    """(asset, object) pairs whose radius bands overlap within the distance + pad; each
    unordered pair once (an asset pair keeps the lower index as primary); (n_pair,) each."""
    n_obj = ph.r_min_km.shape[0]
    pad = distance_km + RADIUS_PAD_KM
    a = assets[np.isfinite(ph.tol_rad[assets])]
    band = ph.r_min_km[None, :] <= ph.r_max_km[a, None] + pad
    band &= ph.r_max_km[None, :] >= ph.r_min_km[a, None] - pad
    is_asset = np.zeros(n_obj, dtype=bool)
    is_asset[a] = True
    band &= ~(is_asset[None, :] & (np.arange(n_obj)[None, :] <= a[:, None]))
    pi, pj = np.nonzero(band)
    return a[pi], pj.astype(np.int64)


def _in_plane_angle(ph: Phases, obj: I64, d: F64) -> F64:
    raan = np.arctan2(ph.p_unit[obj, 1], ph.p_unit[obj, 0])
    along_q = np.einsum("ik,ik->i", d, ph.q_unit[obj])
    return np.arctan2(along_q, np.einsum("ik,ik->i", d, ph.p_unit[obj])) + raan


def _wrap(x: F64) -> F64:
    return (x + np.pi) % TWO_PI - np.pi


def node_windows(
    ph: Phases, prim: I64, sec: I64, distance_km: float, duration_s: float
) -> tuple[I64, I64, F64, F64]:
    """Encounter windows of crossing-plane pairs at both mutual nodes (radius at the node within
    the distance, both objects near the node at the same time under linear phase models), and of
    near-coplanar pairs at their phase crossings. Returns (primary, secondary, centre_s,
    half_width_s), each (n_window,)."""
    node = np.cross(ph.h_unit[prim], ph.h_unit[sec])
    sin_g = np.linalg.norm(node, axis=1)
    coplanar = sin_g < COPLANAR_SIN
    d_pos = node / np.where(coplanar, 1.0, sin_g)[:, None]
    pad = distance_km + RADIUS_PAD_KM
    out: list[tuple[I64, I64, F64, F64]] = []
    for sign in (1.0, -1.0):
        d = sign * d_pos
        r_i = ph.p_km[prim] / (1.0 + np.einsum("ik,ik->i", ph.ecc_vec[prim], d))
        r_j = ph.p_km[sec] / (1.0 + np.einsum("ik,ik->i", ph.ecc_vec[sec], d))
        near = ~coplanar & (np.abs(r_i - r_j) < pad)
        i, j, dd, sg = prim[near], sec[near], d[near], sin_g[near]
        # i: the slower object (fewer node passages to enumerate).
        swap = ph.rate_rad_per_s[i] > ph.rate_rad_per_s[j]
        i, j = np.where(swap, j, i), np.where(swap, i, j)
        r_node = 0.5 * (r_i[near] + r_j[near])
        along = pad / (r_node * sg)
        w_i, w_j = ph.rate_rad_per_s[i], ph.rate_rad_per_s[j]
        tau_s = (along + ph.tol_rad[i]) / w_i + (along + ph.tol_rad[j]) / w_j + TIME_PAD_S
        th_i, th_j = _in_plane_angle(ph, i, dd), _in_plane_angle(ph, j, dd)
        t_first = np.mod(th_i - ph.lam0_rad[i] + w_i * tau_s, TWO_PI) / w_i - tau_s
        period = TWO_PI / w_i
        k_count = np.floor((duration_s + tau_s - t_first) / period).astype(np.int64) + 1
        k_count = np.maximum(k_count, 0)
        rows = np.repeat(np.arange(i.size), k_count)
        k = np.arange(rows.size) - np.repeat(np.cumsum(k_count) - k_count, k_count)
        t_k = t_first[rows] + k * period[rows]
        phase = _wrap(ph.lam0_rad[j[rows]] + w_j[rows] * t_k - th_j[rows])
        t_j = t_k - phase / w_j[rows]
        hit = np.abs(t_k - t_j) < tau_s[rows]
        rows, t_k, t_j = rows[hit], t_k[hit], t_j[hit]
        half = 0.5 * np.abs(t_k - t_j) + (along[rows] + ph.tol_rad[j[rows]]) / w_j[rows] + TIME_PAD_S
        out.append((i[rows], j[rows], 0.5 * (t_k + t_j), half))
    out.append(_coplanar_windows(ph, prim[coplanar], sec[coplanar], distance_km, duration_s))
    return (
        np.concatenate([o[0] for o in out]),
        np.concatenate([o[1] for o in out]),
        np.concatenate([o[2] for o in out]),
        np.concatenate([o[3] for o in out]),
    )


def _coplanar_windows(
    ph: Phases, i: I64, j: I64, distance_km: float, duration_s: float
) -> tuple[I64, I64, F64, F64]:
    """Windows around the times the in-plane angles of two near-coplanar objects coincide."""
    dw = ph.rate_rad_per_s[j] - ph.rate_rad_per_s[i]
    r = 0.5 * (ph.p_km[i] + ph.p_km[j])
    tol = (distance_km + RADIUS_PAD_KM) / r + ph.tol_rad[i] + ph.tol_rad[j]
    dl0 = ph.lam0_rad[j] - ph.lam0_rad[i]
    slow = np.abs(dw) * duration_s <= 2.0 * tol
    span_lo = np.minimum(dl0, dl0 + dw * duration_s) - tol
    span_hi = np.maximum(dl0, dl0 + dw * duration_s) + tol
    n_lo = np.ceil(span_lo / TWO_PI).astype(np.int64)
    n_hi = np.floor(span_hi / TWO_PI).astype(np.int64)
    count = np.where(slow, (n_hi >= n_lo).astype(np.int64), np.maximum(n_hi - n_lo + 1, 0))
    rows = np.repeat(np.arange(i.size), count)
    n = n_lo[rows] + np.arange(rows.size) - np.repeat(np.cumsum(count) - count, count)
    fast = ~slow[rows]
    dw_r = np.where(fast, dw[rows], 1.0)
    centre = np.where(fast, (TWO_PI * n - dl0[rows]) / dw_r, 0.5 * duration_s)
    half = np.where(fast, tol[rows] / np.abs(dw_r) + TIME_PAD_S, 0.5 * duration_s)
    return i[rows], j[rows], centre, half


def _relative(ephemeris: Ephemeris, prim: I64, sec: I64, t_s: F64) -> tuple[F64, F64]:
    """Relative position and velocity (m, 3) of prim - sec at t_s (m,) from the interpolant."""
    step_s = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) * 60.0
    pos, vel = ephemeris.pos_teme_km, ephemeris.vel_teme_km_per_s
    p1, v1 = interpolate_states(pos, vel, step_s, prim, t_s)
    p2, v2 = interpolate_states(pos, vel, step_s, sec, t_s)
    return p1 - p2, v1 - v2


def linear_miss(dr: F64, dv: F64, lo_s: F64, hi_s: F64) -> tuple[F64, F64]:
    """Closest approach of linear relative motion dr + dv * s for s in [lo_s, hi_s] (m,):
    (miss_km, shift_s), each (m,)."""
    dv2 = np.einsum("ik,ik->i", dv, dv)
    shift = np.where(dv2 > 0.0, -np.einsum("ik,ik->i", dr, dv) / np.where(dv2 > 0.0, dv2, 1.0), 0.0)
    shift = np.clip(shift, lo_s, hi_s)
    miss = np.linalg.norm(dr + shift[:, None] * dv, axis=1)
    return np.where(np.isfinite(miss), miss, np.inf), shift


def refine_windows(
    ephemeris: Ephemeris, prim: I64, sec: I64, centre_s: F64, half_s: F64, distance_km: float
) -> tuple[F64, F64]:
    """Miss distance (km) and TCA (s after start) in each window, (m,) each.

    Short windows: linear relative motion from the centre (curvature < ~1 km over
    SHORT_WINDOW_S) drops windows that cannot come within distance + LINEAR_PAD_KM; the rest,
    and long windows (a grid every <= MAX_GRID_STEP_S first), get NEWTON_STEPS iterations of
    linear relative motion on the two-body + J2 interpolant. Dropped windows get inf."""
    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    lo = np.clip(centre_s - half_s, 0.0, duration_s)
    hi = np.clip(centre_s + half_s, 0.0, duration_s)
    mid = 0.5 * (lo + hi)
    miss = np.full(prim.size, np.inf)
    tca = mid.copy()
    short = (hi - lo) <= 2.0 * SHORT_WINDOW_S
    s_idx = np.flatnonzero(short)
    dr, dv = _relative(ephemeris, prim[s_idx], sec[s_idx], mid[s_idx])
    est, shift = linear_miss(dr, dv, lo[s_idx] - mid[s_idx], hi[s_idx] - mid[s_idx])
    keep = est < distance_km + LINEAR_PAD_KM
    s_idx = s_idx[keep]
    tca[s_idx] = mid[s_idx] + shift[keep]
    l_idx = np.flatnonzero(~short)
    n_pts = np.ceil((hi - lo)[l_idx] / MAX_GRID_STEP_S).astype(np.int64) + 1
    rows = np.repeat(np.arange(l_idx.size), n_pts)
    starts = np.cumsum(n_pts) - n_pts
    k = np.arange(rows.size) - np.repeat(starts, n_pts)
    t = lo[l_idx][rows] + (hi - lo)[l_idx][rows] * k / np.maximum(n_pts[rows] - 1, 1)
    dr, _dv = _relative(ephemeris, prim[l_idx][rows], sec[l_idx][rows], t)
    dist2 = np.einsum("ik,ik->i", dr, dr)
    dist2 = np.where(np.isfinite(dist2), dist2, np.inf)
    if rows.size:
        best_val = np.minimum.reduceat(dist2, starts)
        first = np.flatnonzero(dist2 == best_val[rows])
        best = np.empty(l_idx.size, dtype=np.int64)
        best[rows[first[::-1]]] = first[::-1]
        tca[l_idx] = t[best]
    todo = np.concatenate([s_idx, l_idx])
    limit = np.where(short[todo], SHORT_WINDOW_S, MAX_GRID_STEP_S)
    for _ in range(NEWTON_STEPS):
        dr, dv = _relative(ephemeris, prim[todo], sec[todo], tca[todo])
        _m, shift = linear_miss(dr, dv, -limit, limit)
        tca[todo] = np.clip(tca[todo] + shift, lo[todo], hi[todo])
    dr, _dv = _relative(ephemeris, prim[todo], sec[todo], tca[todo])
    miss[todo] = np.linalg.norm(dr, axis=1)
    return np.where(np.isfinite(miss), miss, np.inf), tca


def screen_catalog(
    catalog: Catalog, ephemeris: Ephemeris, asset_mask: BOOL, screening_distance_km: float
) -> ScreeningHits:
    """Screen assets (asset_mask (n_obj,)) against the whole catalog over the ephemeris span.

    Radius band (numpy), then the numba per-pair kernel (`screening_kernel.screen_pairs`).
    Hits keep the closest encounter of each pair with miss < screening_distance_km.
    """
    empty_i = np.zeros(0, dtype=np.int64)
    if catalog.n_obj == 0 or ephemeris.n_time < 2:
        return ScreeningHits(empty_i, empty_i, empty_i, np.zeros(0), np.zeros(0))
    prim, sec, miss, tca_s, _counts = screen_fast(ephemeris, asset_mask, screening_distance_km)
    return _hits(ephemeris, asset_mask, prim, sec, miss, tca_s, screening_distance_km)


def kernel_inputs(ephemeris: Ephemeris) -> tuple[Phases, F64, F64, F64]:
    """Phases plus per-object raan, cubic-Hermite error pad (km) and radius pad (km), (n_obj,)."""
    from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2 as mu

    ph = phases(ephemeris)
    raan = np.arctan2(ph.p_unit[:, 1], ph.p_unit[:, 0])
    step_s = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) * 60.0
    ecc = np.linalg.norm(ph.ecc_vec, axis=1)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        herm_pad = HERMITE_PAD_FACTOR * (1.0 + ecc) * step_s**4 / 384.0 * mu**2 / ph.r_min_km**5
    herm_pad = np.where(np.isfinite(herm_pad), herm_pad, np.inf)
    from wargame.adjudication.screening_kernel import model_residuals

    phase_res, radius_res = model_residuals(
        np.ascontiguousarray(ephemeris.pos_teme_km), ph.p_unit, ph.q_unit, raan, ph.lam0_rad,
        ph.rate_rad_per_s, ph.ecc_vec, ph.p_km, step_s,
    )
    radius_pad = RESIDUAL_FACTOR * radius_res + KERNEL_RADIUS_PAD_KM
    tol = np.where(
        np.isfinite(ph.tol_rad),
        RESIDUAL_FACTOR * phase_res + ph.drift_rad + KERNEL_PHASE_PAD_RAD,
        np.inf,
    )
    ph = dataclasses.replace(ph, tol_rad=tol)
    return ph, raan, herm_pad, radius_pad


def screen_fast(
    ephemeris: Ephemeris, asset_mask: BOOL, screening_distance_km: float, use_jit: bool = True
) -> tuple[I64, I64, F64, F64, I64]:
    """The kernel's (prim, sec, miss_km, tca_s) of the pairs closer than the distance, and its
    counts (band pairs, node-timing pairs, interval pairs). use_jit=False runs the same kernel
    as plain Python (its pure-Python twin, for tests on small catalogs)."""
    from wargame.adjudication import screening_kernel as sk

    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    step_s = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) * 60.0
    ph, raan, herm_pad, radius_pad = kernel_inputs(ephemeris)
    assets = np.flatnonzero(asset_mask)
    assets = assets[np.isfinite(ph.tol_rad[assets])].astype(np.int64)
    is_asset = np.zeros(asset_mask.shape[0], dtype=np.bool_)
    is_asset[assets] = True
    kernel = sk.screen_assets if use_jit else sk.screen_assets.py_func
    return kernel(
        assets, is_asset, ph.r_min_km, ph.r_max_km,
        np.ascontiguousarray(ephemeris.pos_teme_km), np.ascontiguousarray(ephemeris.vel_teme_km_per_s),
        ph.h_unit, ph.p_unit, ph.q_unit, ph.ecc_vec, ph.p_km, ph.lam0_rad, ph.rate_rad_per_s,
        ph.tol_rad, raan, herm_pad, radius_pad,
        float(screening_distance_km), float(screening_distance_km) + RADIUS_PAD_KM, step_s, duration_s,
        COPLANAR_SIN, TIME_PAD_S, SHORT_WINDOW_S, LINEAR_PAD_KM, NEWTON_STEPS,
    )


def screen_catalog_numpy(
    catalog: Catalog, ephemeris: Ephemeris, asset_mask: BOOL, screening_distance_km: float
) -> ScreeningHits:
    """The previous vectorized numpy screening (node windows + two-body/J2 refinement), kept as
    the numpy twin of `screen_catalog` for tests on small catalogs; same output contract."""
    empty_i = np.zeros(0, dtype=np.int64)
    if catalog.n_obj == 0 or ephemeris.n_time < 2:
        return ScreeningHits(empty_i, empty_i, empty_i, np.zeros(0), np.zeros(0))
    duration_s = float(ephemeris.offsets_min[-1]) * 60.0
    ph = phases(ephemeris)
    prim, sec = band_pairs(ph, np.flatnonzero(asset_mask), screening_distance_km)
    prim, sec, centre, half = node_windows(ph, prim, sec, screening_distance_km, duration_s)
    miss, tca_s = refine_windows(ephemeris, prim, sec, centre, half, screening_distance_km)
    return _hits(ephemeris, asset_mask, prim, sec, miss, tca_s, screening_distance_km)


def _hits(
    ephemeris: Ephemeris, asset_mask: BOOL, prim: I64, sec: I64, miss: F64, tca_s: F64,
    screening_distance_km: float,
) -> ScreeningHits:
    """Closest encounter per pair below the distance, asset first, sorted by (primary, secondary)."""
    # Report each pair with the asset (or the lower-index asset) as primary.
    flip = ~asset_mask[prim] | (asset_mask[sec] & (sec < prim))
    prim, sec = np.where(flip, sec, prim), np.where(flip, prim, sec)
    keep = miss < screening_distance_km
    prim, sec, miss, tca_s = prim[keep], sec[keep], miss[keep], tca_s[keep]
    order = np.lexsort((miss, sec, prim))
    prim, sec, miss, tca_s = prim[order], sec[order], miss[order], tca_s[order]
    first = np.ones(prim.size, dtype=bool)
    first[1:] = (prim[1:] != prim[:-1]) | (sec[1:] != sec[:-1])
    prim, sec, miss, tca_s = prim[first], sec[first], miss[first], tca_s[first]
    dt_min = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0])
    step = np.clip(np.round(tca_s / 60.0 / dt_min), 0, ephemeris.n_time - 1).astype(np.int64)
    return ScreeningHits(
        primary=prim, secondary=sec, step=step, tca_offset_min=tca_s / 60.0, miss_km=miss
    )
