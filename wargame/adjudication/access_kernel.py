"""Fast ground-sensor access: one float32 matmul per chunk and bit-packed reduction over time.

Geometry. For a WGS-84 site at geodetic latitude phi, the site position is
s = rho * up - delta * z_hat with rho = N + h and delta = N e^2 sin(phi). In a frame shifted by
-delta * z_hat the site lies on its own local vertical, so the access test of an object at
p' = p + delta * z_hat (radius r') is the exact spherical one: elevation >= e_min and
range <= R_max  <=>  up . p' >= H(r', rho), with
H = max(rho cos^2 e + sin e sqrt(r'^2 - rho^2 cos^2 e), (r'^2 + rho^2 - R^2) / (2 rho)).
H is expanded to first order around (r, rho0) of the sensor group, which makes the test a dot
product of an 8-vector per (object, time) row with an 8-vector per sensor:
f = [x, y, z, 1, -H0, -H_r z / r, -H_r / 2r, -H_rho], w = [up, delta up_z, 1, delta, delta^2,
rho - rho0]. The neglected terms are below 0.01 deg of elevation for orbital objects
(tests compare with the exact geometry away from that margin).
Reduction: detectability bits of the n_time steps are packed into uint64 words per
(sensor, object); passes, step counts and the last step come from popcounts and bit scans.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.orbits import WGS84_A_KM, WGS84_E2
from wargame.adjudication.sun import sunlit

F32 = NDArray[np.float32]
F64 = NDArray[np.float64]
I64 = NDArray[np.int64]
U64 = NDArray[np.uint64]
BOOL = NDArray[np.bool_]

N_FEATURES = 8
OBJECT_CHUNK = 1024
"""Objects per block: features (8, chunk * n_time) float32 and the packed result."""
MATMUL_ROWS = 4096
"""Object-time rows per matmul call: a (n_s, 4096) float32 block stays in L1/L2 cache."""
BLOCKED = np.float32(1.0e30)

"""Threshold of a row that no sensor of the group may see (target in shadow)."""


@dataclass(frozen=True)
class GroundGroup:
    """Ground sensors sharing one sensor model, as arrays over the group's n_s sensors."""

    weights: F32
    """(n_s, N_FEATURES) sensor vectors w."""
    rho0_km: float
    min_elevation_deg: float
    max_range_km: float
    needs_target_sunlit: bool
    dark_words: U64 | None
    """(n_s, n_words) packed 'site dark' bits per time step, or None when darkness is not needed."""


def site_constants(lat_deg: F64, lon_deg: F64, alt_km: F64) -> tuple[F64, F64, F64]:
    """Local vertical up (n, 3), rho_km = N + h (n,) and delta_km = N e^2 sin(lat) (n,)."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    n_km = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    up = np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)
    return up, n_km + alt_km, n_km * WGS84_E2 * np.sin(lat)


def make_group(
    lat_deg: F64,
    lon_deg: F64,
    alt_km: F64,
    min_elevation_deg: float,
    max_range_km: float,
    needs_target_sunlit: bool,
    dark: BOOL | None,
) -> GroundGroup:
    """Group of n_s sites (arrays (n_s,)); dark (n_s, n_time) or None."""
    up, rho_km, delta_km = site_constants(lat_deg, lon_deg, alt_km)
    rho0 = float(np.mean(rho_km)) if rho_km.size else WGS84_A_KM
    w = np.zeros((up.shape[0], N_FEATURES), dtype=np.float64)
    w[:, 0:3] = up
    w[:, 3] = delta_km * up[:, 2]
    w[:, 4] = 1.0
    w[:, 5] = delta_km
    w[:, 6] = delta_km**2
    w[:, 7] = rho_km - rho0
    return GroundGroup(
        weights=w.astype(np.float32),
        rho0_km=rho0,
        min_elevation_deg=min_elevation_deg,
        max_range_km=max_range_km,
        needs_target_sunlit=needs_target_sunlit,
        dark_words=None if dark is None else pack_bits(dark),
    )


def row_features(group: GroundGroup, pos_km: F32, sun_unit: F64) -> F32:
    """Features f (N_FEATURES, m * n_time) float32 of positions pos_km (m, n_time, 3) float32."""
    m, n_time = pos_km.shape[0], pos_km.shape[1]
    flat = pos_km.reshape(-1, 3)
    r2 = np.einsum("ik,ik->i", flat, flat)
    r = np.sqrt(r2)
    cos_e = np.float32(np.cos(np.radians(group.min_elevation_deg)))
    sin_e = np.float32(np.sin(np.radians(group.min_elevation_deg)))
    rho = np.float32(group.rho0_km)
    big_r2 = np.float32(group.max_range_km**2)
    sq = np.sqrt(np.maximum(r2 - (rho * cos_e) ** 2, np.float32(1e-6)))
    h_el = rho * cos_e**2 + sin_e * sq
    h_rg = (r2 + rho * rho - big_r2) / (np.float32(2.0) * rho)
    use_el = h_el >= h_rg
    f = np.empty((N_FEATURES, m * n_time), dtype=np.float32)
    f[0:3] = flat.T
    f[3] = 1.0
    h_r = np.where(use_el, sin_e * r / sq, r / rho)
    np.negative(np.where(use_el, h_el, h_rg), out=f[4])
    np.multiply(-h_r / r, flat[:, 2], out=f[5])
    np.divide(-h_r, np.float32(2.0) * r, out=f[6])
    h_rho_el = cos_e**2 - sin_e * rho * cos_e**2 / sq
    h_rho_rg = np.float32(0.5) - (r2 - big_r2) / (np.float32(2.0) * rho * rho)
    np.negative(np.where(use_el, h_rho_el, h_rho_rg), out=f[7])
    if group.needs_target_sunlit:
        shadow = ~sunlit(pos_km, sun_unit.astype(np.float32)).reshape(-1)
        f[4:, shadow] = 0.0
        f[4, shadow] = -BLOCKED
    return f


def pack_bits(ok: BOOL) -> U64:
    """Pack booleans (..., n_time) into little-endian uint64 words (..., ceil(n_time/64));
    time step t is bit t % 64 of word t // 64."""
    n_time = ok.shape[-1]
    n_words = max(1, -(-n_time // 64))
    packed = np.packbits(ok, axis=-1, bitorder="little")
    buf = np.zeros((*ok.shape[:-1], n_words * 8), dtype=np.uint8)
    buf[..., : packed.shape[-1]] = packed
    return buf.view(np.uint64)


def _highest_bit(x: U64) -> I64:
    """Index of the highest set bit of each word, -1 for zero words."""
    y = x.copy()
    for shift in (1, 2, 4, 8, 16, 32):
        y |= y >> np.uint64(shift)
    return np.bitwise_count(y).astype(np.int64) - 1


def reduce_words(words: U64) -> tuple[I64, I64, I64]:
    """Passes, step counts and last step (-1: never) from packed bits (..., n_words); each (...)."""
    carry = np.zeros_like(words)
    carry[..., 1:] = words[..., :-1] >> np.uint64(63)
    previous = (words << np.uint64(1)) | carry
    rising = words & ~previous
    passes = np.bitwise_count(rising).astype(np.int64).sum(axis=-1)
    steps = np.bitwise_count(words).astype(np.int64).sum(axis=-1)
    high = _highest_bit(words)
    base = 64 * np.arange(words.shape[-1], dtype=np.int64)
    last = np.where(high >= 0, base + high, -1).max(axis=-1)
    return passes, steps, last


def group_access(
    group: GroundGroup, pos_km: F32, sun_unit: F64, candidates: I64
) -> tuple[I64, I64, I64]:
    """Passes, steps and last step (n_s, n_cand) of the group's sensors on objects `candidates`.

    pos_km (n_obj, n_time, 3) float32 ECEF. Objects go by OBJECT_CHUNK; within a chunk the
    matmul and comparison go by MATMUL_ROWS rows into one boolean block, packed once.
    """
    n_s = group.weights.shape[0]
    n_time = pos_km.shape[1]
    passes = np.zeros((n_s, candidates.size), dtype=np.int64)
    steps = np.zeros_like(passes)
    last = np.full_like(passes, -1)
    if n_s == 0 or candidates.size == 0:
        return passes, steps, last
    ok = np.empty((n_s, OBJECT_CHUNK * n_time), dtype=bool)
    zero = np.float32(0.0)
    for lo in range(0, candidates.size, OBJECT_CHUNK):
        idx = candidates[lo : lo + OBJECT_CHUNK]
        f = row_features(group, pos_km[idx], sun_unit)
        n_rows = f.shape[1]
        for r0 in range(0, n_rows, MATMUL_ROWS):
            r1 = min(r0 + MATMUL_ROWS, n_rows)
            np.greater_equal(group.weights @ f[:, r0:r1], zero, out=ok[:, r0:r1])
        words = pack_bits(ok[:, :n_rows].reshape(n_s, idx.size, n_time))
        if group.dark_words is not None:
            words &= group.dark_words[:, None, :]
        sl = slice(lo, lo + idx.size)
        passes[:, sl], steps[:, sl], last[:, sl] = reduce_words(words)
    return passes, steps, last
