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
    position miss (km) of each fit; None where no fit exists (hyperbolic, decaying, retrograde
    through the pole). A fixed-point iteration: equinoctial elements move by the difference
    between the target's and sgp4's osculating elements until sgp4 lands on the target."""
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
        elements = classical(guess[rows])
        got_r = np.full((rows.size, 3), np.nan)
        got_v = np.full((rows.size, 3), np.nan)
        for j, row in enumerate(rows):
            if not 0.0 <= elements[j, 1] < 1.0 or not np.all(np.isfinite(elements[j])):
                active[row] = False
                sats[row] = None
                continue
            sat = _satrec(elements[j], satnums[row], epoch_days, float(bstar[row]))
            err, r, v = sat.sgp4_tsince(0.0)
            if err != 0:
                active[row] = False
                sats[row] = None
                continue
            sats[row], got_r[j], got_v[j] = sat, r, v
        ok = np.isfinite(got_r[:, 0])
        rows, got_r, got_v = rows[ok], got_r[ok], got_v[ok]
        miss[rows] = np.linalg.norm(got_r - position_km[rows], axis=1)
        done = miss[rows] < FIT_TOLERANCE_KM
        active[rows[done]] = False
        step = target[rows] - equinoctial(got_r, got_v)
        step[:, 5] = (step[:, 5] + math.pi) % (2.0 * math.pi) - math.pi
        guess[rows[~done]] += step[~done]
    for row in np.flatnonzero(active):
        found = _newton(
            target[row], position_km[row], guess[row], satnums[row], epoch_days, float(bstar[row])
        )
        if found is not None:
            sats[row], miss[row] = found
    return sats, miss


def _state(elements: F64, satnum: int, epoch_days: float, bstar: float) -> tuple[Satrec, F64, F64] | None:
    row = classical(elements[None, :])[0]
    if not 0.0 <= row[1] < 1.0 or not np.all(np.isfinite(row)):
        return None
    sat = _satrec(row, satnum, epoch_days, bstar)
    err, r, v = sat.sgp4_tsince(0.0)
    return None if err != 0 else (sat, np.array(r), np.array(v))


def _residual(elements: F64, target: F64, satnum: int, epoch_days: float, bstar: float) -> F64 | None:
    got = _state(elements, satnum, epoch_days, bstar)
    if got is None:
        return None
    diff = equinoctial(got[1][None, :], got[2][None, :])[0] - target
    diff[5] = (diff[5] + math.pi) % (2.0 * math.pi) - math.pi
    return diff


def _newton(
    target: F64, position_km: F64, guess: F64, satnum: int, epoch_days: float, bstar: float
) -> tuple[Satrec, float] | None:
    """Newton's method on the equinoctial residual, the Jacobian by forward differences; the
    record and its position miss once within FIT_TOLERANCE_KM of `position_km`, else None."""
    for _ in range(NEWTON_ITERATIONS):
        base = _residual(guess, target, satnum, epoch_days, bstar)
        if base is None:
            return None
        jacobian = np.empty((6, 6))
        for j in range(6):
            moved = guess.copy()
            moved[j] += NEWTON_STEPS[j]
            shifted = _residual(moved, target, satnum, epoch_days, bstar)
            if shifted is None:
                return None
            jacobian[:, j] = (shifted - base) / NEWTON_STEPS[j]
        try:
            guess = guess - np.linalg.solve(jacobian, base)
        except np.linalg.LinAlgError:
            return None
        got = _state(guess, satnum, epoch_days, bstar)
        if got is None:
            return None
        miss = float(np.linalg.norm(got[1] - position_km))
        if miss < FIT_TOLERANCE_KM:
            return got[0], miss
    return None
