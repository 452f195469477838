"""Vectorized two-body + J2 propagation from sampled TEME states: the screening interpolant."""

from __future__ import annotations

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.orbits import WGS72_J2, WGS72_MU_KM3_PER_S2, WGS72_RADIUS_KM

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

NEWTON_ITERATIONS = 6
"""Universal-variable Newton steps; |dt| <= half a 15-min step converges in 3-4."""


def _stumpff(z: F64) -> tuple[F64, F64]:
    """Stumpff C(z), S(z) for elliptic/near-parabolic z (series near 0); shapes of z."""
    small = np.abs(z) < 1e-6
    zs = np.where(small, 1.0, z)
    sq = np.sqrt(np.abs(zs))
    c_pos = (1.0 - np.cos(sq)) / zs
    s_pos = (sq - np.sin(sq)) / (sq**3)
    c_neg = (np.cosh(sq) - 1.0) / (-zs)
    s_neg = (np.sinh(sq) - sq) / (sq**3)
    c = np.where(zs > 0.0, c_pos, c_neg)
    s = np.where(zs > 0.0, s_pos, s_neg)
    return np.where(small, 0.5 - z / 24.0, c), np.where(small, 1.0 / 6.0 - z / 120.0, s)


def j2_accel(pos_km: F64) -> F64:
    """J2 perturbing acceleration (km/s^2) at TEME positions (..., 3) (WGS-72 constants)."""
    r2 = np.einsum("...k,...k->...", pos_km, pos_km)
    r = np.sqrt(r2)
    z2_r2 = pos_km[..., 2] ** 2 / r2
    k = -1.5 * WGS72_J2 * WGS72_MU_KM3_PER_S2 * WGS72_RADIUS_KM**2 / (r2 * r2 * r)
    out = np.empty_like(pos_km)
    out[..., 0] = k * pos_km[..., 0] * (1.0 - 5.0 * z2_r2)
    out[..., 1] = k * pos_km[..., 1] * (1.0 - 5.0 * z2_r2)
    out[..., 2] = k * pos_km[..., 2] * (3.0 - 5.0 * z2_r2)
    return out


def two_body_j2(pos_km: F64, vel_km_s: F64, dt_s: F64) -> tuple[F64, F64]:
    """Propagate states (m, 3) by dt_s (m,): Kepler (universal variable) plus the J2
    acceleration varying linearly along the Kepler arc (trapezoid double integral).
    Returns pos, vel (m, 3)."""
    mu = WGS72_MU_KM3_PER_S2
    sqmu = np.sqrt(mu)
    r0 = np.sqrt(np.einsum("ik,ik->i", pos_km, pos_km))
    v2 = np.einsum("ik,ik->i", vel_km_s, vel_km_s)
    vr0 = np.einsum("ik,ik->i", pos_km, vel_km_s) / r0
    alpha = 2.0 / r0 - v2 / mu
    chi = sqmu * np.abs(alpha) * dt_s
    chi = np.where(np.abs(alpha) > 1e-12, chi, sqmu * dt_s / r0)
    for _ in range(NEWTON_ITERATIONS):
        z = alpha * chi * chi
        c, s = _stumpff(z)
        f_val = (
            r0 * vr0 / sqmu * chi * chi * c
            + (1.0 - alpha * r0) * chi**3 * s
            + r0 * chi
            - sqmu * dt_s
        )
        f_der = r0 * vr0 / sqmu * chi * (1.0 - z * s) + (1.0 - alpha * r0) * chi * chi * c + r0
        chi = chi - f_val / f_der
    z = alpha * chi * chi
    c, s = _stumpff(z)
    f = 1.0 - chi * chi * c / r0
    g = dt_s - chi**3 * s / sqmu
    pos = f[:, None] * pos_km + g[:, None] * vel_km_s
    r = np.sqrt(np.einsum("ik,ik->i", pos, pos))
    f_dot = sqmu / (r * r0) * (z * s - 1.0) * chi
    g_dot = 1.0 - chi * chi * c / r
    vel = f_dot[:, None] * pos_km + g_dot[:, None] * vel_km_s
    acc0 = j2_accel(pos_km)
    acc1 = j2_accel(pos)
    dt2 = (dt_s * dt_s)[:, None]
    pos = pos + (acc0 / 3.0 + acc1 / 6.0) * dt2
    vel = vel + 0.5 * (acc0 + acc1) * dt_s[:, None]
    return pos, vel


def interpolate_states(
    pos_teme_km: F64, vel_teme_km_per_s: F64, step_s: float, obj: I64, t_s: F64
) -> tuple[F64, F64]:
    """States of objects `obj` (m,) at times t_s (m,) after the grid start from the sampled
    ephemeris (n_obj, n_time, 3): two-body + J2 from the two neighbouring samples, blended
    linearly. Returns pos_km, vel_km_s (m, 3)."""
    n_time = pos_teme_km.shape[1]
    if n_time == 1:
        return two_body_j2(pos_teme_km[obj, 0], vel_teme_km_per_s[obj, 0], t_s)
    u = np.clip(t_s / step_s, 0.0, n_time - 1.0)
    lo = np.minimum(np.floor(u).astype(np.int64), n_time - 2)
    w = (u - lo)[:, None]
    p0, v0 = two_body_j2(pos_teme_km[obj, lo], vel_teme_km_per_s[obj, lo], t_s - lo * step_s)
    p1, v1 = two_body_j2(pos_teme_km[obj, lo + 1], vel_teme_km_per_s[obj, lo + 1], t_s - (lo + 1) * step_s)
    return (1.0 - w) * p0 + w * p1, (1.0 - w) * v0 + w * v1
