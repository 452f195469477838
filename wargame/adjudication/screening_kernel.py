"""Numba per-pair conjunction screening kernel over the sampled TEME ephemeris.

One pass over the (asset, object) pairs of the radius band, sequential and deterministic:

- crossing planes, both orbits near-circular (phase tolerance <= TIMING_TOL_RAD): the mutual-node
  radius test and the linear phase-timing model of `screening.node_windows`, with the node
  passages stepped in a loop (no enumeration arrays); each surviving window is pre-screened by
  linear relative motion from its centre and refined by Newton steps;
- every other pair (near-coplanar, or an eccentric orbit whose linear phase model is loose) that
  passes the node radius test: every sample interval is tested in O(1) with the Bezier hull of the
  cubic Hermite of the relative motion (positions and velocities of both ends) projected on the
  mean relative position, padded by the cubic's interpolation error; the few intervals left get a
  grid and Newton steps.

States between samples come from a quintic Hermite per object (positions, velocities and
two-body + J2 accelerations at both bracketing samples): < 0.1 km in LEO against sgp4 at 15-min
sampling (tests/adjudication/test_screening_kernel.py).
"""

from __future__ import annotations

import math
from collections.abc import Callable
from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from wargame.adjudication.orbits import WGS72_J2, WGS72_MU_KM3_PER_S2, WGS72_RADIUS_KM
from wargame.adjudication.threads import THREADSAFE, serial_copy

F64 = NDArray[np.float64]
I64 = NDArray[np.int64]

MU = WGS72_MU_KM3_PER_S2
J2K = 1.5 * WGS72_J2 * WGS72_MU_KM3_PER_S2 * WGS72_RADIUS_KM**2
TWO_PI = 2.0 * math.pi
TIMING_TOL_RAD = 0.25
"""Largest phase tolerance of an object for the node-timing path (else: interval path)."""
HIT_SLOTS = 8
"""Hits kept per object by the parallel pass (more: that object is screened again alone)."""
GRID_STEP_S = 60.0
"""Largest grid spacing in long windows and in intervals left by the hull test."""


@njit(cache=True)
def _accel(x: float, y: float, z: float) -> tuple[float, float, float]:
    """Two-body + J2 acceleration (km/s^2) at a TEME position (km)."""
    r2 = x * x + y * y + z * z
    r = math.sqrt(r2)
    kb = -MU / (r2 * r)
    z2 = z * z / r2
    kj = -J2K / (r2 * r2 * r)
    f = kb + kj * (1.0 - 5.0 * z2)
    return f * x, f * y, (kb + kj * (3.0 - 5.0 * z2)) * z


@njit(cache=True)
def hermite_state(pos: F64, vel: F64, obj: int, t_s: float, step_s: float) -> tuple[
    float, float, float, float, float, float
]:
    """Quintic Hermite position (km) and velocity (km/s) of `obj` at t_s from the bracketing
    samples (positions, velocities, two-body + J2 accelerations); t_s clamped to the grid."""
    n_time = pos.shape[1]
    u = t_s / step_s
    if u < 0.0:
        u = 0.0
    if u > n_time - 1.0:
        u = n_time - 1.0
    k = math.floor(u)
    if k > n_time - 2:
        k = n_time - 2
    s = u - k
    h = step_s
    s2 = s * s
    s3 = s2 * s
    s4 = s3 * s
    s5 = s4 * s
    b0 = 1.0 - 10.0 * s3 + 15.0 * s4 - 6.0 * s5
    b1 = (s - 6.0 * s3 + 8.0 * s4 - 3.0 * s5) * h
    b2 = (0.5 * s2 - 1.5 * s3 + 1.5 * s4 - 0.5 * s5) * h * h
    b3 = (0.5 * s3 - s4 + 0.5 * s5) * h * h
    b4 = (-4.0 * s3 + 7.0 * s4 - 3.0 * s5) * h
    b5 = 10.0 * s3 - 15.0 * s4 + 6.0 * s5
    d0 = (-30.0 * s2 + 60.0 * s3 - 30.0 * s4) / h
    d1 = 1.0 - 18.0 * s2 + 32.0 * s3 - 15.0 * s4
    d2 = (s - 4.5 * s2 + 6.0 * s3 - 2.5 * s4) * h
    d3 = (1.5 * s2 - 4.0 * s3 + 2.5 * s4) * h
    d4 = -12.0 * s2 + 28.0 * s3 - 15.0 * s4
    d5 = (30.0 * s2 - 60.0 * s3 + 30.0 * s4) / h
    ax0, ay0, az0 = _accel(pos[obj, k, 0], pos[obj, k, 1], pos[obj, k, 2])
    ax1, ay1, az1 = _accel(pos[obj, k + 1, 0], pos[obj, k + 1, 1], pos[obj, k + 1, 2])
    px = (b0 * pos[obj, k, 0] + b1 * vel[obj, k, 0] + b2 * ax0
          + b3 * ax1 + b4 * vel[obj, k + 1, 0] + b5 * pos[obj, k + 1, 0])
    py = (b0 * pos[obj, k, 1] + b1 * vel[obj, k, 1] + b2 * ay0
          + b3 * ay1 + b4 * vel[obj, k + 1, 1] + b5 * pos[obj, k + 1, 1])
    pz = (b0 * pos[obj, k, 2] + b1 * vel[obj, k, 2] + b2 * az0
          + b3 * az1 + b4 * vel[obj, k + 1, 2] + b5 * pos[obj, k + 1, 2])
    vx = (d0 * pos[obj, k, 0] + d1 * vel[obj, k, 0] + d2 * ax0
          + d3 * ax1 + d4 * vel[obj, k + 1, 0] + d5 * pos[obj, k + 1, 0])
    vy = (d0 * pos[obj, k, 1] + d1 * vel[obj, k, 1] + d2 * ay0
          + d3 * ay1 + d4 * vel[obj, k + 1, 1] + d5 * pos[obj, k + 1, 1])
    vz = (d0 * pos[obj, k, 2] + d1 * vel[obj, k, 2] + d2 * az0
          + d3 * az1 + d4 * vel[obj, k + 1, 2] + d5 * pos[obj, k + 1, 2])
    return px, py, pz, vx, vy, vz


@njit(cache=True)
def hermite_states(pos: F64, vel: F64, obj: I64, t_s: F64, step_s: float) -> tuple[F64, F64]:
    """Vectorized `hermite_state`: objects obj (m,) at t_s (m,); returns pos, vel (m, 3)."""
    m = obj.shape[0]
    p_out = np.empty((m, 3))
    v_out = np.empty((m, 3))
    for n in range(m):
        px, py, pz, vx, vy, vz = hermite_state(pos, vel, obj[n], t_s[n], step_s)
        p_out[n, 0], p_out[n, 1], p_out[n, 2] = px, py, pz
        v_out[n, 0], v_out[n, 1], v_out[n, 2] = vx, vy, vz
    return p_out, v_out


@njit(cache=True)
def _rel(pos: F64, vel: F64, i: int, j: int, t: float, step_s: float) -> tuple[
    float, float, float, float, float, float
]:
    ax, ay, az, avx, avy, avz = hermite_state(pos, vel, i, t, step_s)
    bx, by, bz, bvx, bvy, bvz = hermite_state(pos, vel, j, t, step_s)
    return ax - bx, ay - by, az - bz, avx - bvx, avy - bvy, avz - bvz


@njit(cache=True)
def _newton(
    pos: F64, vel: F64, i: int, j: int, t0: float, lo: float, hi: float, limit: float,
    steps: int, step_s: float,
) -> tuple[float, float]:
    """Linear-relative-motion TCA iterations from t0 within [lo, hi]; (miss_km, tca_s)."""
    t = t0
    for _ in range(steps):
        dx, dy, dz, vx, vy, vz = _rel(pos, vel, i, j, t, step_s)
        v2 = vx * vx + vy * vy + vz * vz
        if not v2 > 0.0:
            break
        shift = -(dx * vx + dy * vy + dz * vz) / v2
        shift = min(max(shift, -limit), limit)
        t = min(max(t + shift, lo), hi)
    dx, dy, dz, _vx, _vy, _vz = _rel(pos, vel, i, j, t, step_s)
    return math.sqrt(dx * dx + dy * dy + dz * dz), t


@njit(cache=True)
def _grid_refine(
    pos: F64, vel: F64, i: int, j: int, lo: float, hi: float, newton_steps: int, step_s: float
) -> tuple[float, float]:
    """Best of a grid every <= GRID_STEP_S in [lo, hi], then Newton steps; (miss_km, tca_s)."""
    n_pts = math.ceil((hi - lo) / GRID_STEP_S) + 1
    best_d2 = math.inf
    best_t = lo
    for m in range(n_pts):
        t = lo + (hi - lo) * m / max(n_pts - 1, 1)
        dx, dy, dz, _vx, _vy, _vz = _rel(pos, vel, i, j, t, step_s)
        d2 = dx * dx + dy * dy + dz * dz
        if d2 < best_d2:
            best_d2 = d2
            best_t = t
    if not best_d2 < math.inf:
        return math.inf, best_t
    return _newton(pos, vel, i, j, best_t, lo, hi, GRID_STEP_S, newton_steps, step_s)


@njit(cache=True)
def _refine_window(
    pos: F64, vel: F64, i: int, j: int, centre: float, half: float, duration_s: float,
    distance_km: float, short_window_s: float, linear_pad_km: float, newton_steps: int,
    step_s: float,
) -> tuple[float, float]:
    """Miss (km, inf if pre-screened out) and TCA (s) of one encounter window."""
    lo = min(max(centre - half, 0.0), duration_s)
    hi = min(max(centre + half, 0.0), duration_s)
    if (hi - lo) > 2.0 * short_window_s:
        return _grid_refine(pos, vel, i, j, lo, hi, newton_steps, step_s)
    mid = 0.5 * (lo + hi)
    dx, dy, dz, vx, vy, vz = _rel(pos, vel, i, j, mid, step_s)
    v2 = vx * vx + vy * vy + vz * vz
    shift = -(dx * vx + dy * vy + dz * vz) / v2 if v2 > 0.0 else 0.0
    shift = min(max(shift, lo - mid), hi - mid)
    ex, ey, ez = dx + shift * vx, dy + shift * vy, dz + shift * vz
    est = math.sqrt(ex * ex + ey * ey + ez * ez)
    if not est < distance_km + linear_pad_km:
        return math.inf, mid
    return _newton(pos, vel, i, j, mid + shift, lo, hi, short_window_s, newton_steps, step_s)


@njit(cache=True)
def _mod_two_pi(x: float) -> float:
    """x modulo 2 pi in [0, 2 pi] by floor (libm's fmod behind % was a tenth of the kernel)."""
    return x - TWO_PI * math.floor(x / TWO_PI)


@njit(cache=True)
def _wrap(x: float) -> float:
    """x wrapped to [-pi, pi]."""
    return _mod_two_pi(x + math.pi) - math.pi


@njit(cache=True)
def _in_plane_angle(p_unit: F64, q_unit: F64, raan: F64, o: int, dx: float, dy: float, dz: float) -> float:
    along_q = dx * q_unit[o, 0] + dy * q_unit[o, 1] + dz * q_unit[o, 2]
    along_p = dx * p_unit[o, 0] + dy * p_unit[o, 1] + dz * p_unit[o, 2]
    return math.atan2(along_q, along_p) + raan[o]


@njit(cache=True)
def _interval_path(
    pos: F64, vel: F64, i: int, j: int, herm_pad: F64, distance_km: float, newton_steps: int,
    step_s: float,
) -> tuple[float, float]:
    """Every sample interval: Bezier-hull lower bound of the relative cubic Hermite, then a grid
    and Newton steps in the intervals it cannot exclude. (miss_km, tca_s) of the closest."""
    n_time = pos.shape[1]
    h3 = step_s / 3.0
    limit = distance_km + herm_pad[i] + herm_pad[j]
    best = math.inf
    best_t = 0.0
    for k in range(n_time - 1):
        d0x = pos[i, k, 0] - pos[j, k, 0]
        d0y = pos[i, k, 1] - pos[j, k, 1]
        d0z = pos[i, k, 2] - pos[j, k, 2]
        d1x = pos[i, k + 1, 0] - pos[j, k + 1, 0]
        d1y = pos[i, k + 1, 1] - pos[j, k + 1, 1]
        d1z = pos[i, k + 1, 2] - pos[j, k + 1, 2]
        ux, uy, uz = d0x + d1x, d0y + d1y, d0z + d1z
        un = math.sqrt(ux * ux + uy * uy + uz * uz)
        if not un > 0.0:
            if not (math.isfinite(d0x) and math.isfinite(d1x)):
                continue
        else:
            ux, uy, uz = ux / un, uy / un, uz / un
            p0 = d0x * ux + d0y * uy + d0z * uz
            p3 = d1x * ux + d1y * uy + d1z * uz
            v0 = ((vel[i, k, 0] - vel[j, k, 0]) * ux + (vel[i, k, 1] - vel[j, k, 1]) * uy
                  + (vel[i, k, 2] - vel[j, k, 2]) * uz)
            v1 = ((vel[i, k + 1, 0] - vel[j, k + 1, 0]) * ux + (vel[i, k + 1, 1] - vel[j, k + 1, 1]) * uy
                  + (vel[i, k + 1, 2] - vel[j, k + 1, 2]) * uz)
            low = min(min(p0, p3), min(p0 + h3 * v0, p3 - h3 * v1))
            if not low <= limit:  # also skips NaN
                continue
        miss, tca = _grid_refine(pos, vel, i, j, k * step_s, (k + 1) * step_s, newton_steps, step_s)
        if miss < best:
            best = miss
            best_t = tca
    return best, best_t


@njit(cache=True)
def _screen_pair(
    i: int, j: int, pos: F64, vel: F64,
    h_unit: F64, p_unit: F64, q_unit: F64, ecc_vec: F64, p_km: F64, lam0: F64, rate: F64,
    tol: F64, raan: F64, herm_pad: F64, radius_pad: F64,
    distance_km: float, step_s: float, duration_s: float,
    coplanar_sin: float, time_pad_s: float, short_window_s: float, linear_pad_km: float,
    newton_steps: int,
) -> tuple[float, float, int]:
    """Closest approach of one pair: (miss_km (inf: none found below the pre-screens), tca_s,
    path: 0 none, 1 node timing, 2 intervals)."""
    nx = h_unit[i, 1] * h_unit[j, 2] - h_unit[i, 2] * h_unit[j, 1]
    ny = h_unit[i, 2] * h_unit[j, 0] - h_unit[i, 0] * h_unit[j, 2]
    nz = h_unit[i, 0] * h_unit[j, 1] - h_unit[i, 1] * h_unit[j, 0]
    sg = math.sqrt(nx * nx + ny * ny + nz * nz)
    pad = distance_km + radius_pad[i] + radius_pad[j]
    if sg < coplanar_sin:
        m, t = _interval_path(pos, vel, i, j, herm_pad, distance_km, newton_steps, step_s)
        return m, t, 2
    nx, ny, nz = nx / sg, ny / sg, nz / sg
    timing = tol[i] <= TIMING_TOL_RAD and tol[j] <= TIMING_TOL_RAD
    best = math.inf
    best_t = 0.0
    any_node = False
    have_angles = False
    th_a0 = th_b0 = 0.0
    for sign in (1.0, -1.0):
        dx, dy, dz = sign * nx, sign * ny, sign * nz
        r_i = p_km[i] / (1.0 + ecc_vec[i, 0] * dx + ecc_vec[i, 1] * dy + ecc_vec[i, 2] * dz)
        r_j = p_km[j] / (1.0 + ecc_vec[j, 0] * dx + ecc_vec[j, 1] * dy + ecc_vec[j, 2] * dz)
        if not abs(r_i - r_j) < pad:
            continue
        any_node = True
        if not timing:
            continue
        a, b = (j, i) if rate[i] > rate[j] else (i, j)
        r_node = 0.5 * (r_i + r_j)
        along = pad / (r_node * sg)
        w_a, w_b = rate[a], rate[b]
        tau = (along + tol[a]) / w_a + (along + tol[b]) / w_b + time_pad_s
        if not have_angles:  # the other node is the same direction reversed: angles + pi
            th_a0 = _in_plane_angle(p_unit, q_unit, raan, a, nx, ny, nz)
            th_b0 = _in_plane_angle(p_unit, q_unit, raan, b, nx, ny, nz)
            have_angles = True
        th_a = th_a0 if sign > 0.0 else th_a0 + math.pi
        th_b = th_b0 if sign > 0.0 else th_b0 + math.pi
        t_first = _mod_two_pi(th_a - lam0[a] + w_a * tau) / w_a - tau
        period = TWO_PI / w_a
        k_count = math.floor((duration_s + tau - t_first) / period) + 1
        half_b = (along + tol[b]) / w_b + time_pad_s
        # Phase of b at a's k-th passage, stepped without a modulo per passage.
        phase = _wrap(lam0[b] + w_b * t_first - th_b)
        dphase = _wrap(w_b * period)
        for k in range(max(k_count, 0)):
            if k > 0:
                phase += dphase
                if phase >= math.pi:
                    phase -= TWO_PI
                elif phase < -math.pi:
                    phase += TWO_PI
            dt = phase / w_b
            if abs(dt) < tau:
                t_k = t_first + k * period
                half = 0.5 * abs(dt) + half_b
                m, t = _refine_window(
                    pos, vel, i, j, t_k - 0.5 * dt, half, duration_s, distance_km,
                    short_window_s, linear_pad_km, newton_steps, step_s,
                )
                if m < best:
                    best, best_t = m, t
    if any_node and not timing:
        m, t = _interval_path(pos, vel, i, j, herm_pad, distance_km, newton_steps, step_s)
        return m, t, 2
    return best, best_t, 1 if any_node else 0


@njit(cache=True)
def _screen_object(
    j: int, assets: I64, is_asset: NDArray[np.bool_], r_min: F64, r_max: F64, pos: F64, vel: F64,
    h_unit: F64, p_unit: F64, q_unit: F64, ecc_vec: F64, p_km: F64, lam0: F64, rate: F64,
    tol: F64, raan: F64, herm_pad: F64, radius_pad: F64,
    distance_km: float, band_pad_km: float, step_s: float, duration_s: float,
    coplanar_sin: float, time_pad_s: float, short_window_s: float, linear_pad_km: float,
    newton_steps: int, out_a: I64, out_m: F64, out_t: F64, counts: I64,
) -> int:
    """Object j against every asset whose radius band overlaps its own (each unordered asset
    pair once, lower index first). Writes the first out_a.size hits (asset, miss_km, tca_s) in
    asset order, adds (n_band, n_timing, n_interval) to counts, returns the number of hits."""
    n_hits = 0
    lo_j = r_min[j]
    hi_j = r_max[j]
    if not lo_j <= hi_j:
        return 0
    for a in assets:
        if a == j or (is_asset[j] and j <= a):
            continue
        if not (lo_j <= r_max[a] + band_pad_km and hi_j >= r_min[a] - band_pad_km):
            continue
        counts[0] += 1
        m, t, path = _screen_pair(
            a, j, pos, vel, h_unit, p_unit, q_unit, ecc_vec, p_km, lam0, rate, tol, raan,
            herm_pad, radius_pad, distance_km, step_s, duration_s, coplanar_sin, time_pad_s,
            short_window_s, linear_pad_km, newton_steps,
        )
        if path > 0:
            counts[path] += 1
        if m < distance_km:
            if n_hits < out_a.shape[0]:
                out_a[n_hits] = a
                out_m[n_hits] = m
                out_t[n_hits] = t
            n_hits += 1
    return n_hits


@njit(cache=True, parallel=True)
def screen_assets(
    assets: I64, is_asset: NDArray[np.bool_], r_min: F64, r_max: F64, pos: F64, vel: F64,
    h_unit: F64, p_unit: F64, q_unit: F64, ecc_vec: F64, p_km: F64, lam0: F64, rate: F64,
    tol: F64, raan: F64, herm_pad: F64, radius_pad: F64,
    distance_km: float, band_pad_km: float, step_s: float, duration_s: float,
    coplanar_sin: float, time_pad_s: float, short_window_s: float, linear_pad_km: float,
    newton_steps: int,
) -> tuple[I64, I64, F64, F64, I64]:
    """Every (asset, object) pair whose radius bands overlap within distance + band_pad_km.

    Objects are independent tasks (prange over the catalog; each reads its own trajectory once
    for all assets) writing into HIT_SLOTS slots of their own; an object with more hits is
    screened again alone. Returns (prim, sec, miss_km, tca_s) of the pairs with
    miss < distance_km, in object order then asset order whatever the thread count, and the
    counts (n_band, n_timing, n_interval)."""
    n_obj = r_min.shape[0]
    slot_a = np.empty((n_obj, HIT_SLOTS), dtype=np.int64)
    slot_m = np.empty((n_obj, HIT_SLOTS))
    slot_t = np.empty((n_obj, HIT_SLOTS))
    n_hits = np.zeros(n_obj, dtype=np.int64)
    counts = np.zeros((n_obj, 3), dtype=np.int64)
    for task in prange(n_obj):
        j = int(np.int64(task))  # prange's index may be unsigned; keep pair indices int64
        n_hits[j] = _screen_object(
            j, assets, is_asset, r_min, r_max, pos, vel, h_unit, p_unit, q_unit, ecc_vec, p_km,
            lam0, rate, tol, raan, herm_pad, radius_pad, distance_km, band_pad_km, step_s,
            duration_s, coplanar_sin, time_pad_s, short_window_s, linear_pad_km, newton_steps,
            slot_a[j], slot_m[j], slot_t[j], counts[j],
        )
    total = int(n_hits.sum())
    out_i = np.empty(total, dtype=np.int64)
    out_j = np.empty(total, dtype=np.int64)
    out_m = np.empty(total)
    out_t = np.empty(total)
    n_out = 0
    for j in range(n_obj):
        k = n_hits[j]
        if k == 0:
            continue
        if k <= HIT_SLOTS:
            out_i[n_out : n_out + k] = slot_a[j, :k]
            out_m[n_out : n_out + k] = slot_m[j, :k]
            out_t[n_out : n_out + k] = slot_t[j, :k]
        else:
            _screen_object(
                j, assets, is_asset, r_min, r_max, pos, vel, h_unit, p_unit, q_unit, ecc_vec, p_km,
                lam0, rate, tol, raan, herm_pad, radius_pad, distance_km, band_pad_km, step_s,
                duration_s, coplanar_sin, time_pad_s, short_window_s, linear_pad_km, newton_steps,
                out_i[n_out : n_out + k], out_m[n_out : n_out + k], out_t[n_out : n_out + k],
                np.zeros(3, dtype=np.int64),
            )
        out_j[n_out : n_out + k] = j
        n_out += k
    return out_i, out_j, out_m, out_t, counts.sum(axis=0)


@njit(cache=True, parallel=True)
def model_residuals(
    pos: F64, p_unit: F64, q_unit: F64, raan: F64, lam0: F64, rate: F64, ecc_vec: F64, p_km: F64,
    step_s: float,
) -> tuple[F64, F64]:
    """Largest deviation, over the samples, of each object's in-plane angle from its linear phase
    model (rad) and of its radius from the mid-move conic p / (1 + e.r_hat) (km); (n_obj,) each,
    inf where a sample is missing."""
    n_obj, n_time = pos.shape[0], pos.shape[1]
    phase_res = np.zeros(n_obj)
    radius_res = np.zeros(n_obj)
    for o in prange(n_obj):
        worst_a = 0.0
        worst_r = 0.0
        for k in range(n_time):
            x, y, z = pos[o, k, 0], pos[o, k, 1], pos[o, k, 2]
            r = math.sqrt(x * x + y * y + z * z)
            if not math.isfinite(r):
                worst_a = math.inf
                worst_r = math.inf
                break
            ang = math.atan2(
                x * q_unit[o, 0] + y * q_unit[o, 1] + z * q_unit[o, 2],
                x * p_unit[o, 0] + y * p_unit[o, 1] + z * p_unit[o, 2],
            ) + raan[o]
            dev = abs(_wrap(ang - lam0[o] - rate[o] * k * step_s))
            worst_a = max(worst_a, dev)
            model = p_km[o] / (1.0 + (ecc_vec[o, 0] * x + ecc_vec[o, 1] * y + ecc_vec[o, 2] * z) / r)
            worst_r = max(worst_r, abs(model - r))
        phase_res[o] = worst_a
        radius_res[o] = worst_r
    return phase_res, radius_res


screen_assets_serial = njit(cache=True)(serial_copy(screen_assets.py_func))
"""The same screening compiled without threads (when no thread-safe layer loads)."""
model_residuals_serial = njit(cache=True)(serial_copy(model_residuals.py_func))


def kernels(use_jit: bool = True) -> tuple[Callable[..., Any], Callable[..., Any]]:
    """(screen_assets, model_residuals) to run: parallel when a thread-safe layer loads, else
    serial; use_jit=False gives the plain-Python twins of the same source."""
    if not use_jit:
        return screen_assets.py_func, model_residuals.py_func
    if THREADSAFE:
        return screen_assets, model_residuals
    return screen_assets_serial, model_residuals_serial
