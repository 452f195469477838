"""Catalog-scale conjunction screening: orbit summaries in numpy, then the numba per-pair kernel
(radius band, orbit-plane node geometry and phase timing, Hermite refinement)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.catalog import Catalog, Ephemeris
from wargame.adjudication.conjunction import ScreeningHits

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
RESIDUAL_FACTOR = 1.25
"""Kernel pads: the largest deviation at the samples (phase and conic radius), times this."""
KERNEL_RADIUS_PAD_KM = 2.0
"""Kernel radius margin on top of the sampled conic residual (between-sample extremes)."""
KERNEL_PHASE_PAD_RAD = 0.002
"""Kernel phase margin on top of the sampled phase residual and the plane drift."""


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


def kernel_inputs(ephemeris: Ephemeris, use_jit: bool = True) -> tuple[Phases, F64, F64, F64]:
    """Phases plus per-object raan, cubic-Hermite error pad (km) and radius pad (km), (n_obj,)."""
    from wargame.adjudication.orbits import WGS72_MU_KM3_PER_S2 as mu

    ph = phases(ephemeris)
    raan = np.arctan2(ph.p_unit[:, 1], ph.p_unit[:, 0])
    step_s = float(ephemeris.offsets_min[1] - ephemeris.offsets_min[0]) * 60.0
    ecc = np.linalg.norm(ph.ecc_vec, axis=1)
    with np.errstate(invalid="ignore", over="ignore", divide="ignore"):
        herm_pad = HERMITE_PAD_FACTOR * (1.0 + ecc) * step_s**4 / 384.0 * mu**2 / ph.r_min_km**5
    herm_pad = np.where(np.isfinite(herm_pad), herm_pad, np.inf)
    from wargame.adjudication.screening_kernel import kernels

    phase_res, radius_res = kernels(use_jit)[1](
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
    ph, raan, herm_pad, radius_pad = kernel_inputs(ephemeris, use_jit)
    assets = np.flatnonzero(asset_mask)
    assets = assets[np.isfinite(ph.tol_rad[assets])].astype(np.int64)
    is_asset = np.zeros(asset_mask.shape[0], dtype=np.bool_)
    is_asset[assets] = True
    kernel = sk.kernels(use_jit)[0]
    return kernel(
        assets, is_asset, ph.r_min_km, ph.r_max_km,
        np.ascontiguousarray(ephemeris.pos_teme_km), np.ascontiguousarray(ephemeris.vel_teme_km_per_s),
        ph.h_unit, ph.p_unit, ph.q_unit, ph.ecc_vec, ph.p_km, ph.lam0_rad, ph.rate_rad_per_s,
        ph.tol_rad, raan, herm_pad, radius_pad,
        float(screening_distance_km), float(screening_distance_km) + RADIUS_PAD_KM, step_s, duration_s,
        COPLANAR_SIN, TIME_PAD_S, SHORT_WINDOW_S, LINEAR_PAD_KM, NEWTON_STEPS,
    )


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
