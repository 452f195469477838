"""SGP4 mean elements that reproduce given TEME states at an epoch (fitted in equinoctial elements)."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
from numpy.typing import NDArray
from sgp4.api import WGS72, Satrec
from sgp4.earth_gravity import wgs72

from wargame.adjudication.orbits import SGP4_EPOCH

F64 = NDArray[np.float64]

MU_KM3_S2 = wgs72.mu
"""The gravitational parameter sgp4's WGS-72 uses: fitting against sgp4 with its own constant."""
FIT_ITERATIONS = 12
NEWTON_ITERATIONS = 10
"""Newton steps (finite-difference Jacobian) for fits the fixed point leaves short: near-equatorial
GEO, where SDP4 couples the node and perigee."""
NEWTON_STEPS = np.array([1e-3, 1e-7, 1e-7, 1e-7, 1e-7, 1e-7])
"""Finite-difference steps of the equinoctial elements (km, then dimensionless and rad)."""
FIT_TOLERANCE_KM = 1e-4
"""A fit stops once sgp4 of the elements is this close to every target position (10 cm)."""
FIT_ACCEPT_KM = 1.0
"""The largest position miss of a fit still written (a public element set is good to about a km);
the miss of each is written with it."""


def equinoctial(position_km: F64, velocity_km_s: F64) -> F64:
    """(n, 6) equinoctial elements (a km, h, k, p, q, mean longitude rad) of (n, 3) states; no
    singularity at zero eccentricity or inclination (prograde orbits)."""
    r = np.linalg.norm(position_km, axis=1)
    v2 = np.einsum("ij,ij->i", velocity_km_s, velocity_km_s)
    a = 1.0 / (2.0 / r - v2 / MU_KM3_S2)
    h_vec = np.cross(position_km, velocity_km_s)
    w = h_vec / np.linalg.norm(h_vec, axis=1)[:, None]
    p = w[:, 0] / (1.0 + w[:, 2])
    q = -w[:, 1] / (1.0 + w[:, 2])
    scale = 1.0 / (1.0 + p**2 + q**2)
    f_hat = scale[:, None] * np.stack([1.0 - p**2 + q**2, 2.0 * p * q, -2.0 * p], axis=1)
    g_hat = scale[:, None] * np.stack([2.0 * p * q, 1.0 + p**2 - q**2, 2.0 * q], axis=1)
    rv = np.einsum("ij,ij->i", position_km, velocity_km_s)
    e_vec = ((v2 - MU_KM3_S2 / r)[:, None] * position_km - rv[:, None] * velocity_km_s) / MU_KM3_S2
    h = np.einsum("ij,ij->i", e_vec, g_hat)
    k = np.einsum("ij,ij->i", e_vec, f_hat)
    x1 = np.einsum("ij,ij->i", position_km, f_hat)
    y1 = np.einsum("ij,ij->i", position_km, g_hat)
    root = np.sqrt(1.0 - h**2 - k**2)
    b = 1.0 / (1.0 + root)
    sin_f = h + ((1.0 - h**2 * b) * y1 - h * k * b * x1) / (a * root)
    cos_f = k + ((1.0 - k**2 * b) * x1 - h * k * b * y1) / (a * root)
    ecc_longitude = np.arctan2(sin_f, cos_f)
    mean_longitude = ecc_longitude + h * cos_f - k * sin_f
    return np.stack([a, h, k, p, q, mean_longitude], axis=1)


def classical(elements: F64) -> F64:
    """(n, 6) equinoctial -> (n, 6) (no_kozai rad/min, e, i, raan, argp, mean anomaly) rad."""
    a, h, k, p, q, lam = elements.T
    ecc = np.hypot(h, k)
    lon_perigee = np.arctan2(h, k)
    raan = np.arctan2(p, q)
    incl = 2.0 * np.arctan(np.hypot(p, q))
    mean_motion = np.sqrt(MU_KM3_S2 / a**3) * 60.0
    wrap = lambda x: np.mod(x, 2.0 * np.pi)  # noqa: E731
    angles = [wrap(raan), wrap(lon_perigee - raan), wrap(lam - lon_perigee)]
    return np.stack([mean_motion, ecc, incl, *angles], axis=1)


def _satrec(row: F64, satnum: int, epoch_days: float, bstar: float) -> Satrec:
    mean_motion, ecc, incl, raan, argp, anomaly = (float(x) for x in row)
    sat = Satrec()
    sat.sgp4init(WGS72, "i", satnum, epoch_days, bstar, 0.0, 0.0, ecc, argp, incl, anomaly, mean_motion, raan)
    return sat


def fit_mean_elements(
    position_km: F64, velocity_km_s: F64, epoch: datetime, bstar: F64, satnums: list[int]
) -> tuple[list[Satrec | None], F64]:
    """sgp4 records whose state at `epoch` is each TEME (position, velocity) row, and the
    position miss (km) of each fit; None where no fit comes within FIT_ACCEPT_KM (hyperbolic,
    decaying, or near-equatorial deep-space states SDP4 cannot reach). A fixed-point iteration:
    equinoctial elements move by the difference between the target's and sgp4's osculating
    elements; fits it leaves short get Newton steps; the best fit seen is kept."""
    n = position_km.shape[0]
    epoch_days = (epoch - SGP4_EPOCH) / timedelta(days=1)
    target = equinoctial(position_km, velocity_km_s)
    guess = target.copy()
    sats: list[Satrec | None] = [None] * n
    miss = np.full(n, np.inf)
    active = np.ones(n, dtype=bool)
    for _ in range(FIT_ITERATIONS):
        rows = np.flatnonzero(active)
        if rows.size == 0:
            break
        found, got_r, got_v = _evaluate(guess[rows], [satnums[r] for r in rows], epoch_days, bstar[rows])
        ok = np.isfinite(got_r[:, 0])
        active[rows[~ok]] = False
        found = [f for f, good in zip(found, ok, strict=True) if good]
        rows, got_r, got_v = rows[ok], got_r[ok], got_v[ok]
        now = np.linalg.norm(got_r - position_km[rows], axis=1)
        for j in np.flatnonzero(now < miss[rows]).tolist():
            sats[int(rows[j])], miss[int(rows[j])] = found[j], float(now[j])
        done = now < FIT_TOLERANCE_KM
        active[rows[done]] = False
        step = target[rows] - equinoctial(got_r, got_v)
        step[:, 5] = (step[:, 5] + math.pi) % (2.0 * math.pi) - math.pi
        guess[rows[~done]] += step[~done]
    rows = np.flatnonzero(active)
    if rows.size:
        numbers = [satnums[r] for r in rows]
        fitted = _newton(target[rows], position_km[rows], guess[rows], numbers, epoch_days, bstar[rows])
        for row, (sat, found_miss) in zip(rows.tolist(), fitted, strict=True):
            if sat is not None and found_miss < miss[row]:
                sats[row], miss[row] = sat, found_miss
    for row in np.flatnonzero(miss > FIT_ACCEPT_KM).tolist():
        sats[row] = None
    return sats, miss


def _evaluate(
    elements: F64, satnums: list[int], epoch_days: float, bstar: F64
) -> tuple[list[Satrec | None], F64, F64]:
    """sgp4 records of (m, 6) equinoctial elements and their TEME states at the epoch (NaN where
    the elements are not an orbit or sgp4 fails)."""
    rows = classical(elements)
    sats: list[Satrec | None] = []
    positions = np.full((len(rows), 3), np.nan)
    velocities = np.full((len(rows), 3), np.nan)
    for j, row in enumerate(rows):
        sat = None
        if 0.0 <= row[1] < 1.0 and np.all(np.isfinite(row)):
            sat = _satrec(row, satnums[j], epoch_days, float(bstar[j]))
            err, r, v = sat.sgp4_tsince(0.0)
            if err == 0:
                positions[j], velocities[j] = r, v
            else:
                sat = None
        sats.append(sat)
    return sats, positions, velocities


def _newton(
    target: F64, position_km: F64, guess: F64, satnums: list[int], epoch_days: float, bstar: F64
) -> list[tuple[Satrec | None, float]]:
    """Newton's method on the equinoctial residual of m fits at once, each Jacobian by forward
    differences (7 sgp4 calls per fit and step); (record, position miss) per fit, the record
    None where it does not come within FIT_TOLERANCE_KM."""
    m = target.shape[0]
    out: list[tuple[Satrec | None, float]] = [(None, math.inf)] * m
    open_rows = np.arange(m)
    for _ in range(NEWTON_ITERATIONS):
        if open_rows.size == 0:
            break
        k = open_rows.size
        trial = np.repeat(guess[open_rows], 7, axis=0)
        for j in range(6):
            trial[np.arange(k) * 7 + 1 + j, j] += NEWTON_STEPS[j]
        numbers = [satnums[r] for r in open_rows for _ in range(7)]
        _sats, r, v = _evaluate(trial, numbers, epoch_days, np.repeat(bstar[open_rows], 7))
        finite_r, finite_v = np.nan_to_num(r, nan=1.0), np.nan_to_num(v, nan=1.0)
        residual = equinoctial(finite_r, finite_v) - np.repeat(target[open_rows], 7, axis=0)
        residual[:, 5] = (residual[:, 5] + math.pi) % (2.0 * math.pi) - math.pi
        residual = residual.reshape(k, 7, 6)
        valid = np.all(np.isfinite(r.reshape(k, 7, 3)), axis=(1, 2))
        slopes = (residual[:, 1:, :] - residual[:, :1, :]) / NEWTON_STEPS[None, :, None]
        jacobian = np.transpose(slopes, (0, 2, 1))
        solvable = valid & (np.abs(np.linalg.det(jacobian)) > 0.0)
        step = np.zeros((k, 6))
        step[solvable] = np.linalg.solve(jacobian[solvable], residual[solvable, 0, :, None])[..., 0]
        guess[open_rows[solvable]] -= step[solvable]
        numbers = [satnums[r] for r in open_rows]
        sats, got, _v = _evaluate(guess[open_rows], numbers, epoch_days, bstar[open_rows])
        miss = np.linalg.norm(got - position_km[open_rows], axis=1)
        done = solvable & np.isfinite(miss) & (miss < FIT_TOLERANCE_KM)
        for index in np.flatnonzero(done).tolist():
            out[int(open_rows[index])] = (sats[index], float(miss[index]))
        open_rows = open_rows[solvable & ~done]
    return out
