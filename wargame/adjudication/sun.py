"""Low-precision Sun direction, Earth-shadow test and site Sun elevation (vectorized over time)."""

from __future__ import annotations

from typing import Any

import numpy as np
from numpy.typing import NDArray

from wargame.adjudication.orbits import JD_J2000, WGS84_A_KM, teme_to_ecef

F64 = NDArray[np.float64]


def sun_unit_teme(jd: F64, fr: F64) -> F64:
    """Unit vector to the Sun, equator and equinox of date (used as TEME), shape (n_time, 3).

    Astronomical Almanac low-precision formula (~0.01 deg over 1950-2050).
    """
    n_days = (jd - JD_J2000) + fr
    mean_lon_deg = 280.460 + 0.9856474 * n_days
    mean_anom = np.radians(357.528 + 0.9856003 * n_days)
    ecl_lon = np.radians(mean_lon_deg + 1.915 * np.sin(mean_anom) + 0.020 * np.sin(2.0 * mean_anom))
    obliquity = np.radians(23.439 - 0.0000004 * n_days)
    return np.stack(
        [
            np.cos(ecl_lon),
            np.cos(obliquity) * np.sin(ecl_lon),
            np.sin(obliquity) * np.sin(ecl_lon),
        ],
        axis=-1,
    )


def sun_unit_ecef(jd: F64, fr: F64, gmst: F64) -> F64:
    """Unit vector to the Sun in the Earth-fixed frame, shape (n_time, 3)."""
    return teme_to_ecef(sun_unit_teme(jd, fr), gmst)


def sunlit(
    pos_km: NDArray[np.floating[Any]], sun_unit: NDArray[np.floating[Any]]
) -> NDArray[np.bool_]:
    """Whether objects are outside the Earth's cylindrical shadow.

    pos_km (..., n_time, 3) and sun_unit (n_time, 3) in the same frame; returns (..., n_time).
    The shadow is a cylinder of the WGS-84 equatorial radius behind the Earth.
    """
    along_km = np.einsum("...tk,tk->...t", pos_km, sun_unit)
    perp_sq_km2 = np.einsum("...tk,...tk->...t", pos_km, pos_km) - along_km**2
    return (along_km >= 0.0) | (perp_sq_km2 > WGS84_A_KM**2)


def site_sun_elevation_deg(up_unit: F64, sun_unit: F64) -> F64:
    """Sun elevation above the local horizon, degrees; up (n_site, 3), sun (n_time, 3).

    Returns (n_site, n_time). The Sun is at infinity (parallax and refraction ignored).
    """
    return np.degrees(np.arcsin(np.clip(up_unit @ sun_unit.T, -1.0, 1.0)))
