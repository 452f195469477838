"""Slow, obvious pure-Python twins of the access, fusion and Pc kernels, for tests only."""

from __future__ import annotations

import math
from collections.abc import Sequence

from wargame.domain.ruleset_model import SensorModel

Vec = tuple[float, float, float]

_A_KM = 6378.137
_F = 1.0 / 298.257223563
_E2 = _F * (2.0 - _F)


def _dot(a: Sequence[float], b: Sequence[float]) -> float:
    return a[0] * b[0] + a[1] * b[1] + a[2] * b[2]


def _sub(a: Sequence[float], b: Sequence[float]) -> Vec:
    return (a[0] - b[0], a[1] - b[1], a[2] - b[2])


def _norm(a: Sequence[float]) -> float:
    return math.sqrt(_dot(a, a))


def site_ecef_km(lat_deg: float, lon_deg: float, alt_km: float) -> Vec:
    """WGS-84 site position, km."""
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    n = _A_KM / math.sqrt(1.0 - _E2 * math.sin(lat) ** 2)
    return (
        (n + alt_km) * math.cos(lat) * math.cos(lon),
        (n + alt_km) * math.cos(lat) * math.sin(lon),
        (n * (1.0 - _E2) + alt_km) * math.sin(lat),
    )


def elevation_range(lat_deg: float, lon_deg: float, alt_km: float, obj: Vec) -> tuple[float, float]:
    """Elevation (deg, above the geodetic horizon) and range (km) of an ECEF point from a site."""
    site = site_ecef_km(lat_deg, lon_deg, alt_km)
    lat, lon = math.radians(lat_deg), math.radians(lon_deg)
    up = (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))
    los = _sub(obj, site)
    rng = _norm(los)
    return math.degrees(math.asin(max(-1.0, min(1.0, _dot(los, up) / rng)))), rng


def is_sunlit(obj: Vec, sun: Vec) -> bool:
    """Outside the cylindrical shadow of radius a behind the Earth."""
    along = _dot(obj, sun)
    if along >= 0.0:
        return True
    perp = _sub(obj, (along * sun[0], along * sun[1], along * sun[2]))
    return _dot(perp, perp) > _A_KM**2


def ground_access(
    model: SensorModel,
    lat_deg: float,
    lon_deg: float,
    alt_km: float,
    obj: Vec,
    sun: Vec,
    regime: str,
) -> bool:
    """Whether a ground sensor detects an object at one instant (all vectors ECEF, sun unit)."""
    if regime not in model.regimes:
        return False
    elev, rng = elevation_range(lat_deg, lon_deg, alt_km, obj)
    if elev < model.min_elevation_deg or rng > model.max_range_km:
        return False
    if model.needs_site_dark:
        lat, lon = math.radians(lat_deg), math.radians(lon_deg)
        up = (math.cos(lat) * math.cos(lon), math.cos(lat) * math.sin(lon), math.sin(lat))
        if math.degrees(math.asin(_dot(up, sun))) > model.max_sun_elevation_deg:
            return False
    if model.needs_target_sunlit and not is_sunlit(obj, sun):
        return False
    if model.sun_exclusion_deg > 0.0:
        los = _sub(obj, site_ecef_km(lat_deg, lon_deg, alt_km))
        ang = math.degrees(math.acos(max(-1.0, min(1.0, _dot(los, sun) / _norm(los)))))
        if ang < model.sun_exclusion_deg:
            return False
    return True


def reduce_over_time(ok: Sequence[bool]) -> tuple[int, int, int]:
    """Passes (maximal runs of True), True steps and the last True index (-1: none) of one series."""
    passes = steps = 0
    last = -1
    previous = False
    for t, value in enumerate(ok):
        if value:
            steps += 1
            last = t
            passes += not previous
        previous = bool(value)
    return passes, steps, last


def space_access(model: SensorModel, sensor: Vec, obj: Vec, sun: Vec, regime: str) -> bool:
    """Whether a space-based sensor detects an object at one instant."""
    if regime not in model.regimes:
        return False
    los = _sub(obj, sensor)
    rng = _norm(los)
    if rng > model.max_range_km or rng == 0.0:
        return False
    # Earth blocks the line of sight if the closest point of the segment is inside the sphere.
    steps = 2000
    for k in range(steps + 1):
        f = k / steps
        p = (sensor[0] + f * los[0], sensor[1] + f * los[1], sensor[2] + f * los[2])
        if _norm(p) < _A_KM:
            return False
    if model.needs_target_sunlit and not is_sunlit(obj, sun):
        return False
    ang = math.degrees(math.acos(max(-1.0, min(1.0, _dot(los, sun) / rng))))
    return ang >= model.sun_exclusion_deg


def fuse_reference(
    own_sigma_km: list[list[float]],
    own_observed: list[list[bool]],
    owner: list[list[bool]],
    releases: list[tuple[int, int, str, list[bool]]],
    delayed_sigma_km: list[list[float]],
    catalog_sigma_km: list[float],
    granted: list[bool],
    max_sigma_km: float,
    owner_sigma_km: float,
    degraded_factor: float,
) -> list[list[float]]:
    """Fused 1-sigma [nation][object] (inf: nothing) by loops. `releases` are (releaser, receiver,
    level, covered objects); per pair and object the best fresh level counts, and a delayed
    release only where nothing fresher is released."""
    n_nat, n_obj = len(own_sigma_km), len(own_sigma_km[0]) if own_sigma_km else 0
    out = [[math.inf] * n_obj for _ in range(n_nat)]
    for n in range(n_nat):
        for j in range(n_obj):
            if owner[n][j]:
                out[n][j] = owner_sigma_km
                continue
            info = 0.0
            if own_sigma_km[n][j] <= max_sigma_km:
                info += 1.0 / own_sigma_km[n][j] ** 2
            if granted[n] and math.isfinite(catalog_sigma_km[j]):
                info += 1.0 / catalog_sigma_km[j] ** 2
            for p in range(n_nat):
                if p == n:
                    continue
                levels = {lvl for (a, b, lvl, covered) in releases if a == p and b == n and covered[j]}
                s = own_sigma_km[p][j]
                releasable = s <= max_sigma_km and (own_observed[p][j] or owner[p][j])
                if "full" in levels:
                    info += 1.0 / s**2 if releasable else 0.0
                elif "degraded" in levels:
                    info += 1.0 / (s * degraded_factor) ** 2 if releasable else 0.0
                elif "delayed" in levels and math.isfinite(delayed_sigma_km[p][j]):
                    info += 1.0 / delayed_sigma_km[p][j] ** 2
            out[n][j] = 1.0 / math.sqrt(info) if info > 0.0 else math.inf
    return out


def pc_reference(miss_km: float, sigma_km: float, radius_km: float, n_r: int = 400) -> float:
    """Collision probability by a midpoint rule over the hard-body disk in polar coordinates."""
    total = 0.0
    n_theta = 4 * n_r
    dr = radius_km / n_r
    dth = 2.0 * math.pi / n_theta
    norm = 1.0 / (2.0 * math.pi * sigma_km**2)
    for i in range(n_r):
        r = (i + 0.5) * dr
        for k in range(n_theta):
            th = (k + 0.5) * dth
            x, y = r * math.cos(th) - miss_km, r * math.sin(th)
            total += norm * math.exp(-(x * x + y * y) / (2.0 * sigma_km**2)) * r * dr * dth
    return total
