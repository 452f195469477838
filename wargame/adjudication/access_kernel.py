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
OBJECT_CHUNK = 256
"""Objects per feature chunk (at 97 steps): the float32 feature rows stay in the L2 cache."""
MATMUL_ROWS = 2048
"""Object-time rows per matmul call: a (n_s, 2048) float32 block stays in the L2 cache."""
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


def _group_block(
    group: GroundGroup, r2: F32, z: F32, f: F32, sq: F32, tmp: F32, use_rg: BOOL
) -> None:
    """Write the group's four features (rows f[0:4] of a (4, m) view) from r2 and z (m,),
    with scratch sq, tmp (m,) float32 and use_rg (m,) bool."""
    cos_e = float(np.cos(np.radians(group.min_elevation_deg)))
    sin_e = float(np.sin(np.radians(group.min_elevation_deg)))
    rho = float(group.rho0_km)
    big_r2 = float(group.max_range_km) ** 2
    np.subtract(r2, np.float32((rho * cos_e) ** 2), out=sq)
    np.maximum(sq, np.float32(1e-6), out=sq)
    np.sqrt(sq, out=sq)
    # Elevation branch H_el = rho cos^2 e + sin e * sq, range branch H_rg = (r2 + rho^2 - R^2) / 2 rho.
    np.multiply(sq, np.float32(sin_e), out=tmp)
    tmp += np.float32(rho * cos_e**2)
    np.multiply(r2, np.float32(0.5 / rho), out=f[0])
    f[0] += np.float32((rho * rho - big_r2) / (2.0 * rho))
    np.greater(f[0], tmp, out=use_rg)
    np.maximum(f[0], tmp, out=f[0])
    np.negative(f[0], out=f[0])
    # f6 = -H_r / 2r: -sin e / (2 sq) | -1 / (2 rho);  f5 = 2 z f6;  f7 = -H_rho.
    np.divide(np.float32(-0.5 * sin_e), sq, out=f[2])
    np.multiply(f[2], np.float32(-2.0 * rho * cos_e**2), out=f[3])
    f[3] -= np.float32(cos_e**2)
    np.copyto(f[2], np.float32(-0.5 / rho), where=use_rg)
    np.multiply(r2, np.float32(0.5 / (rho * rho)), out=tmp)
    tmp += np.float32(-0.5 - big_r2 / (2.0 * rho * rho))
    np.copyto(f[3], tmp, where=use_rg)
    np.multiply(z, f[2], out=f[1])
    f[1] *= np.float32(2.0)


def row_features(group: GroundGroup, pos_km: F32, sun_unit: F64) -> F32:
    """Features f (N_FEATURES, m * n_time) float32 of positions pos_km (m, n_time, 3) float32."""
    m, n_time = pos_km.shape[0], pos_km.shape[1]
    n = m * n_time
    f = np.empty((N_FEATURES, n), dtype=np.float32)
    f[0:3] = pos_km.reshape(-1, 3).T
    f[3] = 1.0
    r2 = f[0] * f[0] + f[1] * f[1] + f[2] * f[2]
    _group_block(
        group, r2, f[2], f[4:8], np.empty(n, np.float32), np.empty(n, np.float32), np.empty(n, bool)
    )
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
    """Index of the highest set bit of each word, -1 for zero words. The word is converted to
    float64 exactly (its low 11 bits cleared when it has more than 53 significant bits, which
    cannot change the highest bit) and the biased exponent is read from the IEEE bits."""
    big = x >= np.uint64(1 << 11)
    exact = np.where(big, x & np.uint64(~0x7FF & 0xFFFFFFFFFFFFFFFF), x).astype(np.float64)
    exponent = (exact.view(np.int64) >> np.int64(52)) - np.int64(1023)
    return np.where(x == np.uint64(0), np.int64(-1), exponent)


def reduce_words(words: U64) -> tuple[I64, I64, I64]:
    """Passes, step counts and last step (-1: never) from packed bits (..., n_words); each (...)."""
    n_words = words.shape[-1]
    shape = words.shape[:-1]
    passes = np.zeros(shape, dtype=np.int64)
    steps = np.zeros(shape, dtype=np.int64)
    one = np.uint64(1)
    top = np.zeros(shape, dtype=np.uint64)
    offset = np.zeros(shape, dtype=np.int64)
    previous_word = None
    for k in range(n_words):
        w = np.ascontiguousarray(words[..., k])
        previous = w << one
        if previous_word is not None:
            previous |= previous_word >> np.uint64(63)
        passes += np.bitwise_count(w & ~previous)
        steps += np.bitwise_count(w)
        if k == 0:
            top = w
        else:
            nonzero = w != np.uint64(0)
            np.copyto(top, w, where=nonzero)
            np.copyto(offset, 64 * k, where=nonzero)
        previous_word = w
    return passes, steps, _highest_bit(top) + offset


@dataclass(frozen=True)
class SpaceSensor:
    """A space-based sensor: ECEF positions (n_time, 3) and its model's limits."""

    pos_km: F64
    max_range_km: float
    needs_target_sunlit: bool
    sun_exclusion_deg: float


def _space_block(
    sensor: SpaceSensor, xyz: F32, r2: F32, sun_dot: F32 | None, lit: BOOL | None,
    sun32: F32, ok: BOOL, tmp: list[F32],
) -> None:
    """Detectability ok (m, n_time) by one space-based sensor of objects with coordinates
    xyz (3, m, n_time), r2 (m, n_time) and sun . p (m, n_time): range, Earth blockage of the
    segment (closest point inside the sphere), target sunlit, Sun exclusion; squared forms only."""
    s = sensor.pos_km.astype(np.float32)  # (n_time, 3)
    s2 = np.einsum("tk,tk->t", s, s)
    d, los2, aux = tmp[0], tmp[1], tmp[2]
    np.multiply(xyz[0], s[:, 0], out=d)
    np.multiply(xyz[1], s[:, 1], out=aux)
    d += aux
    np.multiply(xyz[2], s[:, 2], out=aux)
    d += aux  # s . p
    np.multiply(d, np.float32(-2.0), out=los2)
    los2 += r2
    los2 += s2  # |p - s|^2
    np.less_equal(los2, np.float32(sensor.max_range_km**2), out=ok)
    ok &= los2 > 0.0
    # Blocked iff 0 < -s.l < |l|^2 and (|s|^2 - A^2) |l|^2 > (s.l)^2, with s.l = s.p - |s|^2.
    d -= s2
    np.multiply(d, d, out=aux)
    blocked = aux > los2 * (s2 - np.float32(WGS84_A_KM**2))
    blocked &= d < 0.0
    np.negative(d, out=d)
    blocked &= d < los2
    ok &= ~blocked
    if sensor.needs_target_sunlit and lit is not None:
        ok &= lit
    if sensor.sun_exclusion_deg > 0.0 and sun_dot is not None:
        cos_max = np.float32(np.cos(np.radians(sensor.sun_exclusion_deg)))
        ls = sun_dot - np.einsum("tk,tk->t", s, sun32)  # l . sun
        np.multiply(ls, ls, out=aux)
        wide = aux <= (cos_max * cos_max) * los2
        if cos_max >= 0.0:
            ok &= (ls <= 0.0) | wide
        else:
            ok &= (ls < 0.0) & (aux >= (cos_max * cos_max) * los2)


def set_access(
    groups: list[GroundGroup],
    space: list[SpaceSensor],
    pos_km: F32,
    sun_unit: F64,
    candidates: I64,
) -> U64:
    """Packed detectability words (n_rows, n_cand, n_words) of every ground sensor of `groups`
    (in order) and then every space sensor on objects `candidates` of pos_km (n_obj, n_time, 3).

    Features are computed once per object chunk for all groups (shared x, y, z, 1 and r^2, four
    rows per group) and one matmul with block weights covers every ground sensor; the
    comparison and packing go by blocks of whole objects of about MATMUL_ROWS rows.
    """
    n_time = pos_km.shape[1]
    n_words = max(1, -(-n_time // 64))
    n_ground = sum(g.weights.shape[0] for g in groups)
    n_rows_out = n_ground + len(space)
    words = np.zeros((n_rows_out, candidates.size, n_words), dtype=np.uint64)
    if n_rows_out == 0 or candidates.size == 0 or n_time == 0:
        return words
    row_of = np.cumsum([0] + [g.weights.shape[0] for g in groups])
    bytes_out = words.view(np.uint8).reshape(n_rows_out, candidates.size, n_words * 8)
    n_bytes = -(-n_time // 8)
    need_sun = any(g.needs_target_sunlit for g in groups) or any(
        s.needs_target_sunlit or s.sun_exclusion_deg > 0.0 for s in space
    )
    sun32 = sun_unit.astype(np.float32)
    chunk = max(1, OBJECT_CHUNK * 97 // max(n_time, 1))
    per_block = max(1, MATMUL_ROWS // n_time)
    rows_max = min(chunk, candidates.size) * n_time
    f_all = np.empty((max(len(groups), 1), N_FEATURES, rows_max), dtype=np.float32)
    f = f_all[0]
    scratch = [np.empty(rows_max, dtype=np.float32) for _ in range(4)]
    use_rg = np.empty(rows_max, dtype=bool)
    ok_space = np.empty(rows_max, dtype=bool)
    prod = np.empty((max((g.weights.shape[0] for g in groups), default=1), per_block * n_time), np.float32)
    ok = np.empty((n_ground, rows_max), dtype=bool)
    zero = np.float32(0.0)
    for lo in range(0, candidates.size, chunk):
        idx = candidates[lo : lo + chunk]
        m = idx.size
        n = m * n_time
        fv = f[:, :n]
        fv[0:3] = np.take(pos_km, idx, axis=0).reshape(n, 3).T
        fv[3] = 1.0
        x, y, z = fv[0], fv[1], fv[2]
        r2 = scratch[0][:n]
        np.multiply(x, x, out=r2)
        aux = scratch[1][:n]
        np.multiply(y, y, out=aux)
        r2 += aux
        np.multiply(z, z, out=aux)
        r2 += aux
        lit = sun_dot = None
        if need_sun:
            xyz = fv[0:3].reshape(3, m, n_time)
            sd = scratch[3][:n].reshape(m, n_time)
            np.multiply(xyz[0], sun32[:, 0], out=sd)
            sd += xyz[1] * sun32[:, 1]
            sd += xyz[2] * sun32[:, 2]
            sun_dot = sd
            # Sunlit: in front of the Earth or outside the shadow cylinder.
            lit = (sd >= 0.0) | (r2.reshape(m, n_time) - sd * sd > np.float32(WGS84_A_KM**2))
        for g, group in enumerate(groups):
            fg = f_all[g, :, :n]
            if g:
                fg[0:4] = fv[0:4]
            _group_block(group, r2, z, fg[4:8], scratch[1][:n], scratch[2][:n], use_rg[:n])
            if group.needs_target_sunlit and lit is not None:
                np.copyto(fg[4], -BLOCKED, where=~lit.reshape(-1))
            w = group.weights
            okg = ok[row_of[g] : row_of[g + 1]]
            for b0 in range(0, m, per_block):
                r0 = b0 * n_time
                r1 = min(b0 + per_block, m) * n_time
                out = prod[: w.shape[0], : r1 - r0]
                np.matmul(w, fg[:, r0:r1], out=out)
                np.greater_equal(out, zero, out=okg[:, r0:r1])
        if n_ground:
            packed = np.packbits(ok[:, :n].reshape(n_ground, m, n_time), axis=-1, bitorder="little")
            bytes_out[:n_ground, lo : lo + m, :n_bytes] = packed
        if space:
            xyz = fv[0:3].reshape(3, m, n_time)
            tmp = [scratch[k][:n].reshape(m, n_time) for k in (1, 2)] + [
                np.empty((m, n_time), dtype=np.float32)
            ]
            for k, sensor in enumerate(space):
                oks = ok_space[:n].reshape(m, n_time)
                _space_block(sensor, xyz, r2.reshape(m, n_time), sun_dot, lit, sun32, oks, tmp)
                packed = np.packbits(oks, axis=-1, bitorder="little")
                bytes_out[n_ground + k, lo : lo + m, :n_bytes] = packed
    row = 0
    for group in groups:
        n_s = group.weights.shape[0]
        if group.dark_words is not None:
            words[row : row + n_s] &= group.dark_words[:, None, :]
        row += n_s
    return words


def group_access(
    group: GroundGroup, pos_km: F32, sun_unit: F64, candidates: I64
) -> tuple[I64, I64, I64]:
    """Passes, steps and last step (n_s, n_cand) of the group's sensors on objects `candidates`.

    pos_km (n_obj, n_time, 3) float32 ECEF (see set_access).
    """
    return reduce_words(set_access([group], [], pos_km, sun_unit, candidates))
