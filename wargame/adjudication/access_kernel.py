"""Numba access kernel: exact per-step sensor geometry fused with the reduction over time.

For every (object, time step) the kernel tests every sensor of one candidate set and keeps,
per (sensor, object), the number of passes (maximal runs of detectable steps), the number of
detectable steps and the last one. No (sensor, object, time) array is ever built.

Ground sensor at a WGS-84 site s = rho * up - delta * z_hat (rho = N + h, delta = N e^2 sin(lat)):
with d = up . p, the line of sight l = p - s has
    up . l = d - (rho - delta up_z)   and   |l|^2 = |p|^2 - 2 (rho d - delta p_z) + |s|^2,
so elevation >= e_min, range <= R_max and a Sun exclusion become comparisons of squares
(u |u| >= sin(e) |sin(e)| |l|^2 is u >= sin(e) |l| without a square root). Space-based sensors
test range, Earth blockage of the segment (closest point inside the sphere), target sunlit and
Sun exclusion the same way. Positions are float32 ECEF (about 5 m rounding at GEO) and so is
the arithmetic (range errors of metres). The pure-Python twins are `reference.ground_access`
and `reference.space_access`.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray

from wargame.adjudication.orbits import WGS84_A_KM, WGS84_E2, geodetic_up
from wargame.adjudication.threads import THREADSAFE, serial_copy

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
BOOL = NDArray[np.bool_]

NO_LIMIT = 4.0
"""Signed-square bound that disables a Sun exclusion: (l . sun)|l . sun| <= 4 |l|^2 always."""
EARTH_A2_KM2 = WGS84_A_KM**2
OBJECT_BLOCK = 256
"""Objects per block: the block's float32 (n_time, block) columns stay in the L2 cache."""


@dataclass(frozen=True)
class GroundSensors:
    """n_g ground sensors of one candidate set, as float32 structure-of-arrays for the kernel."""

    up: F32
    """(n_g, 3) geodetic local vertical."""
    rho_km: F32
    """(n_g,) N + h."""
    delta_km: F32
    """(n_g,) N e^2 sin(lat)."""
    sin_e_signed_sq: F32
    """(n_g,) sin(e_min) |sin(e_min)|."""
    max_range_sq_km2: F32
    needs_lit: BOOL
    dark: BOOL
    """(n_time, n_g) the site is dark enough at each step (all True when darkness is not needed)."""
    sun_dot_site_km: F32
    """(n_time, n_g) sun . site position (for the Sun exclusion)."""
    cos_excl_signed_sq: F32
    """(n_g,) cos(exclusion) |cos(exclusion)|, NO_LIMIT without an exclusion."""


@dataclass(frozen=True)
class SpaceSensors:
    """n_sp space-based sensors of one candidate set, as float32 structure-of-arrays."""

    pos_km: F32
    """(n_sp, n_time, 3) ECEF positions."""
    max_range_sq_km2: F32
    needs_lit: BOOL
    cos_excl_signed_sq: F32


def site_constants(lat_deg: F64, lon_deg: F64, alt_km: F64) -> tuple[F64, F64, F64]:
    """Local vertical up (n, 3), rho_km = N + h (n,) and delta_km = N e^2 sin(lat) (n,)."""
    lat = np.radians(lat_deg)
    n_km = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    return geodetic_up(lat_deg, lon_deg), n_km + alt_km, n_km * WGS84_E2 * np.sin(lat)


def ground_elevation_range(
    pos_km: F64, lat_deg: float, lon_deg: float, alt_km: float
) -> tuple[F64, F64]:
    """Elevation (deg) and range (km) of ECEF positions (..., 3) from one site, by the kernel's
    formulas (up . l = d - (rho - delta up_z), |l|^2 = |p|^2 - 2 (rho d - delta p_z) + |s|^2)."""
    ups, rhos, deltas = site_constants(np.array([lat_deg]), np.array([lon_deg]), np.array([alt_km]))
    up, rho, delta = ups[0], float(rhos[0]), float(deltas[0])
    d = pos_km @ up
    u = d - (rho - delta * up[2])
    s2 = rho * rho - 2.0 * rho * delta * up[2] + delta * delta
    l2 = np.einsum("...k,...k->...", pos_km, pos_km) - 2.0 * (rho * d - delta * pos_km[..., 2]) + s2
    range_km = np.sqrt(l2)
    return np.degrees(np.arcsin(np.clip(u / range_km, -1.0, 1.0))), range_km


def _f32(x: object) -> F32:
    return np.ascontiguousarray(x, dtype=np.float32)


def _exclusion(sun_exclusion_deg: F64) -> F32:
    cos_excl = np.cos(np.radians(sun_exclusion_deg))
    return _f32(np.where(sun_exclusion_deg > 0.0, cos_excl * np.abs(cos_excl), NO_LIMIT))


def ground_sensors(
    lat_deg: F64,
    lon_deg: F64,
    alt_km: F64,
    min_elevation_deg: F64,
    max_range_km: F64,
    needs_lit: BOOL,
    dark: BOOL,
    sun_exclusion_deg: F64,
    sun_unit: F64,
) -> GroundSensors:
    """Kernel arrays of n_g sites (all (n_g,) but dark (n_g, n_time)); sun_unit (n_time, 3)."""
    up, rho, delta = site_constants(lat_deg, lon_deg, alt_km)
    site = rho[:, None] * up - delta[:, None] * np.array([0.0, 0.0, 1.0])
    sin_e = np.sin(np.radians(min_elevation_deg))
    return GroundSensors(
        up=_f32(up),
        rho_km=_f32(rho),
        delta_km=_f32(delta),
        sin_e_signed_sq=_f32(sin_e * np.abs(sin_e)),
        max_range_sq_km2=_f32(np.asarray(max_range_km, dtype=np.float64) ** 2),
        needs_lit=np.ascontiguousarray(needs_lit, dtype=np.bool_),
        dark=np.ascontiguousarray(np.asarray(dark, dtype=np.bool_).T),
        sun_dot_site_km=_f32(sun_unit @ site.T),
        cos_excl_signed_sq=_exclusion(sun_exclusion_deg),
    )


def space_sensors(
    pos_km: F64, max_range_km: F64, needs_lit: BOOL, sun_exclusion_deg: F64
) -> SpaceSensors:
    """Kernel arrays of n_sp space-based sensors at pos_km (n_sp, n_time, 3)."""
    return SpaceSensors(
        pos_km=_f32(pos_km),
        max_range_sq_km2=_f32(np.asarray(max_range_km, dtype=np.float64) ** 2),
        needs_lit=np.ascontiguousarray(needs_lit, dtype=np.bool_),
        cos_excl_signed_sq=_exclusion(sun_exclusion_deg),
    )


@njit(cache=True, parallel=True)
def _count_kernel(
    pos: F32, cand: I64, sun: F32,
    g_up: F32, g_rho: F32, g_delta: F32, g_sin: F32, g_r2: F32, g_lit: BOOL, g_dark: BOOL,
    g_ssun: F32, g_excl: F32,
    s_pos: F32, s_r2: F32, s_lit: BOOL, s_excl: F32,
    rows: I64, passes: I64, steps: I64, last: I64,
) -> None:
    """Fill passes/steps/last[rows[k], cand[c]] for ground rows k < n_g, then space rows.

    Objects go by blocks of OBJECT_BLOCK (the parallel tasks; each writes its own columns),
    transposed to (n_time, block) so that the innermost loop runs over objects (SIMD lanes);
    each sensor then sweeps the block's time steps."""
    n_g = g_rho.shape[0]
    n_s = s_r2.shape[0]
    n_time = pos.shape[1]
    m = cand.shape[0]
    a2 = np.float32(EARTH_A2_KM2)
    zero = np.float32(0.0)
    n_blocks = -(-m // OBJECT_BLOCK)
    for block in prange(n_blocks):
        b0 = int(np.int64(block)) * OBJECT_BLOCK
        nb = min(OBJECT_BLOCK, m - b0)
        x_b = np.empty((n_time, OBJECT_BLOCK), dtype=np.float32)
        y_b = np.empty_like(x_b)
        z_b = np.empty_like(x_b)
        r2_b = np.empty_like(x_b)
        sd_b = np.empty_like(x_b)
        shade_b = np.empty((n_time, OBJECT_BLOCK), dtype=np.bool_)
        prev = np.empty(OBJECT_BLOCK, dtype=np.bool_)
        pc = np.empty(OBJECT_BLOCK, dtype=np.int64)
        sc = np.empty(OBJECT_BLOCK, dtype=np.int64)
        lc = np.empty(OBJECT_BLOCK, dtype=np.int64)
        for i in range(nb):
            j = cand[b0 + i]
            for t in range(n_time):
                x = pos[j, t, 0]
                y = pos[j, t, 1]
                z = pos[j, t, 2]
                r2 = x * x + y * y + z * z
                sd = x * sun[t, 0] + y * sun[t, 1] + z * sun[t, 2]
                x_b[t, i] = x
                y_b[t, i] = y
                z_b[t, i] = z
                r2_b[t, i] = r2
                sd_b[t, i] = sd
                # In the cylindrical shadow: behind the Earth and within radius a of the axis.
                shade_b[t, i] = (sd < zero) & (r2 - sd * sd <= a2)
        for k in range(n_g + n_s):
            prev[:nb] = False
            pc[:nb] = 0
            sc[:nb] = 0
            lc[:nb] = -1
            if k < n_g:
                ux, uy, uz = g_up[k, 0], g_up[k, 1], g_up[k, 2]
                c1 = g_rho[k] - g_delta[k] * uz
                rho2 = np.float32(2.0) * g_rho[k]
                del2 = np.float32(2.0) * g_delta[k]
                s2 = g_rho[k] * g_rho[k] - rho2 * g_delta[k] * uz + g_delta[k] * g_delta[k]
                sin2, rmax2, excl, need_lit = g_sin[k], g_r2[k], g_excl[k], g_lit[k]
                for t in range(n_time):
                    if not g_dark[t, k]:
                        prev[:nb] = False
                        continue
                    ssun = g_ssun[t, k]
                    for i in range(nb):
                        z = z_b[t, i]
                        d = x_b[t, i] * ux + y_b[t, i] * uy + z * uz
                        u = d - c1
                        l2 = r2_b[t, i] - (rho2 * d - del2 * z) + s2
                        ls = sd_b[t, i] - ssun
                        ok = (
                            (l2 <= rmax2)
                            & (u * abs(u) >= sin2 * l2)
                            & (ls * abs(ls) <= excl * l2)
                            & ~(need_lit & shade_b[t, i])
                        )
                        pc[i] += ok & ~prev[i]
                        sc[i] += ok
                        lc[i] = t if ok else lc[i]
                        prev[i] = ok
            else:
                q = k - n_g
                rmax2, excl, need_lit = s_r2[q], s_excl[q], s_lit[q]
                for t in range(n_time):
                    sx, sy, sz = s_pos[q, t, 0], s_pos[q, t, 1], s_pos[q, t, 2]
                    s2 = sx * sx + sy * sy + sz * sz
                    s2_in = s2 - a2
                    ssun = sx * sun[t, 0] + sy * sun[t, 1] + sz * sun[t, 2]
                    for i in range(nb):
                        lx = x_b[t, i] - sx
                        ly = y_b[t, i] - sy
                        lz = z_b[t, i] - sz
                        l2 = lx * lx + ly * ly + lz * lz
                        sl = sx * lx + sy * ly + sz * lz
                        # Blocked iff the segment's closest point to the centre lies strictly
                        # inside it (0 < -s.l < |l|^2) and inside the sphere.
                        blocked = (sl < zero) & (-sl < l2) & (sl * sl > s2_in * l2)
                        ls = sd_b[t, i] - ssun
                        ok = (
                            (l2 <= rmax2) & (l2 > zero) & ~blocked
                            & (ls * abs(ls) <= excl * l2)
                            & ~(need_lit & shade_b[t, i])
                        )
                        pc[i] += ok & ~prev[i]
                        sc[i] += ok
                        lc[i] = t if ok else lc[i]
                        prev[i] = ok
            r = rows[k]
            for i in range(nb):
                j = cand[b0 + i]
                passes[r, j] = pc[i]
                steps[r, j] = sc[i]
                last[r, j] = lc[i]


_count_kernel_serial = njit(cache=True)(serial_copy(_count_kernel.py_func))
"""The same kernel without threads (when no thread-safe threading layer loads)."""


def count_access(
    pos_km: F32,
    candidates: I64,
    sun_unit: F64,
    ground: GroundSensors,
    space: SpaceSensors,
    rows: I64,
    passes: I64,
    steps: I64,
    last: I64,
    use_jit: bool = True,
) -> None:
    """Write passes, steps and last step (-1: never) of every sensor of `ground` then `space`
    (output rows `rows`) on the objects `candidates` of pos_km (n_obj, n_time, 3) float32 into
    the (n_sensor, n_obj) int64 arrays; sun_unit (n_time, 3). use_jit=False runs the same
    kernel as plain Python (for tests on tiny inputs)."""
    kernel = (_count_kernel if THREADSAFE else _count_kernel_serial) if use_jit else _count_kernel.py_func
    kernel(
        pos_km, candidates, _f32(sun_unit),
        ground.up, ground.rho_km, ground.delta_km, ground.sin_e_signed_sq, ground.max_range_sq_km2,
        ground.needs_lit, ground.dark, ground.sun_dot_site_km, ground.cos_excl_signed_sq,
        space.pos_km, space.max_range_sq_km2, space.needs_lit, space.cos_excl_signed_sq,
        rows, passes, steps, last,
    )
