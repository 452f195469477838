"""What a nation believes, not the truth: seeded draws of position and miss-distance errors."""

from __future__ import annotations

import hashlib
import struct
from collections.abc import Sequence

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.conjunction import pc_isotropic
from wargame.adjudication.orbits import ecef_to_geodetic

F64 = NDArray[np.float64]
F32 = NDArray[np.float32]

_TWO_PI = 2.0 * np.pi
_UNIT_53 = 2.0**-53


def standard_normals(key: Sequence[int | str], n: int) -> F64:
    """`n` standard normal draws that depend on `key` alone (exercise seed, move, nation, ...).

    Philox, keyed by the SHA-256 of the key, gives raw 64-bit words; Box-Muller turns pairs of
    53-bit uniforms into normals. Both are fixed algorithms, so a picture rendered again by a
    later release (a replay, an after-action review) shows the same estimates."""
    digest = hashlib.sha256(repr(tuple(key)).encode()).digest()
    words = np.array(struct.unpack("<2Q", digest[:16]), dtype=np.uint64)
    raw = np.random.Philox(key=words).random_raw(2 * ((n + 1) // 2)).reshape(-1, 2)
    u1 = ((raw[:, 0] >> np.uint64(11)).astype(np.float64) + 1.0) * _UNIT_53  # (0, 1]
    u2 = (raw[:, 1] >> np.uint64(11)).astype(np.float64) * _UNIT_53
    radius = np.sqrt(-2.0 * np.log(u1))
    pairs = np.stack([radius * np.cos(_TWO_PI * u2), radius * np.sin(_TWO_PI * u2)], axis=1)
    return pairs.reshape(-1)[:n]


def estimated_ecef_km(truth_ecef_km: F32 | F64, sigma_km: F64, key: Sequence[int | str]) -> F64:
    """Estimates (n, 3) of true Earth-fixed positions, each off by an isotropic Gaussian error of
    `sigma_km` (n,) per axis; NaN where the truth is NaN."""
    n = truth_ecef_km.shape[0]
    noise = standard_normals(key, 3 * n).reshape(n, 3)
    scale_km = np.where(np.isfinite(sigma_km), sigma_km, 0.0)[:, None]
    return truth_ecef_km.astype(np.float64) + noise * scale_km


def estimated_positions_km(
    truth_ecef_km: F32 | F64, sigma_km: F64, key: Sequence[int | str]
) -> tuple[F64, F64, F64]:
    """Geodetic (lat_deg, lon_deg, alt_km) of `estimated_ecef_km`."""
    return ecef_to_geodetic(estimated_ecef_km(truth_ecef_km, sigma_km, key))


def estimated_plane(miss_km: F64, sigma_km: F64, key: Sequence[int | str]) -> F64:
    """A nation's estimate of the relative position of each close approach in its encounter
    plane, (n, 2) km: along the true miss vector and across it, for true misses `miss_km` and
    combined 1-sigma `sigma_km` (both (n,)). It is the true one, (miss, 0), plus an isotropic
    error of `sigma_km` per axis (two keyed draws per approach)."""
    n = miss_km.shape[0]
    noise = standard_normals(key, 2 * n).reshape(n, 2)
    return np.stack([miss_km + sigma_km * noise[:, 0], sigma_km * noise[:, 1]], axis=1)


def estimated_miss(
    miss_km: F64, sigma_km: F64, radius_km: float, key: Sequence[int | str]
) -> tuple[F64, F64]:
    """A nation's estimate of close approaches: its miss distances (n,) and the collision
    probability it computes from them, for true misses `miss_km` and combined 1-sigma `sigma_km`
    (both (n,)): the length of `estimated_plane`, so a nation that tracks poorly misjudges the
    miss."""
    plane_km = estimated_plane(miss_km, sigma_km, key)
    estimate = np.hypot(plane_km[:, 0], plane_km[:, 1])
    return estimate, pc_isotropic(estimate, sigma_km, radius_km)
