"""Orbit propagation with sgp4 (TEME), TEME->ECEF rotation, geodetic coordinates and regimes."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from datetime import UTC, datetime, timedelta
from typing import Any

import numpy as np
from numba import njit, prange
from numpy.typing import NDArray
from sgp4 import omm
from sgp4.api import WGS72, Satrec, SatrecArray

from wargame.adjudication.threads import THREADSAFE
from wargame.domain.ruleset_model import RegimeRules
from wargame.domain.scenario_model import KeplerianOrbit, OmmOrbit, Orbit, TleOrbit

F64 = NDArray[np.float64]

# Physical constants (not game numbers).
SGP4_EPOCH = datetime(1949, 12, 31, tzinfo=UTC)
"""sgp4init counts its epoch in days since 1949-12-31 00:00 UTC."""
JD_UNIX_EPOCH = 2440587.5
JD_J2000 = 2451545.0
WGS72_RADIUS_KM = 6378.135
WGS72_MU_KM3_PER_S2 = 398600.8
WGS72_J2 = 0.001082616
XKE_PER_MIN = 60.0 / math.sqrt(WGS72_RADIUS_KM**3 / WGS72_MU_KM3_PER_S2)
"""sgp4's sqrt(mu) in Earth radii^1.5 per minute."""
WGS84_A_KM = 6378.137
WGS84_F = 1.0 / 298.257223563
WGS84_E2 = WGS84_F * (2.0 - WGS84_F)
REGIMES: tuple[str, ...] = ("LEO", "MEO", "GEO", "HEO")
"""Regime names; a regime index in the arrays is a position in this tuple."""


def to_jd(moment: datetime) -> tuple[float, float]:
    """Split Julian date (whole day at 0h-ish, fraction) of a timezone-aware UTC datetime."""
    days = (moment - datetime(1970, 1, 1, tzinfo=UTC)) / timedelta(days=1)
    whole = math.floor(days)
    return JD_UNIX_EPOCH + whole, days - whole


def time_grid(duration: timedelta, step_minutes: float) -> F64:
    """Minute offsets from the start covering [0, duration], both ends included; (n_time,)."""
    total_min = duration / timedelta(minutes=1)
    n_steps = max(math.ceil(total_min / step_minutes - 1e-9), 0)
    offsets_min = np.minimum(np.arange(n_steps + 1, dtype=np.float64) * step_minutes, total_min)
    return offsets_min


def jd_grid(start: datetime, offsets_min: F64) -> tuple[F64, F64]:
    """Julian dates (whole, fraction) for minute offsets from `start`; shapes (n_time,)."""
    jd0, fr0 = to_jd(start)
    fr = fr0 + offsets_min / 1440.0
    shift = np.floor(fr)
    return jd0 + shift, fr - shift


def satrec_from_orbit(orbit: Orbit) -> Satrec:
    """An sgp4 satellite record from a TLE, an OMM, or Keplerian elements (mean motion from a)."""
    if isinstance(orbit, TleOrbit):
        return Satrec.twoline2rv(orbit.line1, orbit.line2, WGS72)
    if isinstance(orbit, OmmOrbit):
        return satrec_from_omm(orbit.ccsds_keywords())
    return _satrec_from_keplerian(orbit)


OMM_DEFAULTS: dict[str, str] = {
    "CLASSIFICATION_TYPE": "U",
    "OBJECT_ID": "",
    "EPHEMERIS_TYPE": "0",
    "ELEMENT_SET_NO": "999",
    "REV_AT_EPOCH": "0",
    "MEAN_MOTION_DOT": "0",
    "MEAN_MOTION_DDOT": "0",
    "BSTAR": "0",
    "NORAD_CAT_ID": "0",
}
"""OMM keywords that may be omitted (sgp4 needs them; they do not change the orbit but BSTAR)."""


def satrec_from_omm(fields: Mapping[str, str | float | int]) -> Satrec:
    """An sgp4 record (WGS-72) from one CCSDS OMM (SGP4 mean elements) as a keyword dict, e.g.
    a row of CelesTrak's OMM CSV/JSON or `sgp4.omm.parse_xml`: EPOCH (ISO, UTC), MEAN_MOTION
    (rev/day), ECCENTRICITY, INCLINATION, RA_OF_ASC_NODE, ARG_OF_PERICENTER, MEAN_ANOMALY (deg),
    optionally BSTAR, MEAN_MOTION_DOT/DDOT, NORAD_CAT_ID. Raises KeyError/ValueError if invalid."""
    merged = {**OMM_DEFAULTS, **{k: str(v) for k, v in fields.items()}}
    if "." not in merged["EPOCH"]:
        merged["EPOCH"] = merged["EPOCH"].rstrip("Z") + ".0"
    merged["EPOCH"] = merged["EPOCH"].rstrip("Z")
    sat = Satrec()
    omm.initialize(sat, merged)
    return sat


def _satrec_from_keplerian(orbit: KeplerianOrbit) -> Satrec:
    epoch_days = (orbit.epoch - SGP4_EPOCH) / timedelta(days=1)
    no_kozai = XKE_PER_MIN * (orbit.semi_major_axis_km / WGS72_RADIUS_KM) ** -1.5
    sat = Satrec()
    sat.sgp4init(
        WGS72,
        "i",
        0,
        epoch_days,
        orbit.bstar_per_earth_radius,
        0.0,
        0.0,
        orbit.eccentricity,
        math.radians(orbit.arg_perigee_deg),
        math.radians(orbit.inclination_deg),
        math.radians(orbit.mean_anomaly_deg),
        no_kozai,
        math.radians(orbit.raan_deg),
    )
    return sat


def propagate(satrecs: Sequence[Satrec], jd: F64, fr: F64) -> tuple[F64, F64, NDArray[np.bool_]]:
    """TEME position and velocity of every object at every time.

    Returns (pos_teme_km (n_obj, n_time, 3), vel_teme_km_per_s (n_obj, n_time, 3),
    decayed (n_obj,)): an object is flagged decayed when sgp4 reports an error at any step;
    its positions are then NaN at the failing steps.
    """
    n_time = jd.shape[0]
    if not satrecs:
        empty = np.zeros((0, n_time, 3))
        return empty, empty.copy(), np.zeros(0, dtype=bool)
    err, pos_km, vel_km_s = SatrecArray(list(satrecs)).sgp4(jd, fr)
    failed = err != 0
    decayed = np.any(failed, axis=1)
    if decayed.any():
        pos_km[failed] = np.nan
    return pos_km, vel_km_s, decayed


def gmst_rad(jd_ut1: F64, fr_ut1: F64) -> F64:
    """Greenwich mean sidereal time (IAU-82, as used by sgp4's TEME), radians; UT1 taken = UTC."""
    t_cent = ((jd_ut1 - JD_J2000) + fr_ut1) / 36525.0
    gmst_s = (
        67310.54841
        + (876600.0 * 3600.0 + 8640184.812866) * t_cent
        + 0.093104 * t_cent**2
        - 6.2e-6 * t_cent**3
    )
    return np.mod(np.radians(gmst_s / 240.0), 2.0 * np.pi)


def teme_to_ecef(pos_teme_km: F64, gmst: F64, dtype: type = np.float64) -> NDArray[Any]:
    """Rotate TEME vectors (..., n_time, 3) about z by GMST into the Earth-fixed frame.

    Polar motion (~10 m at the surface) is ignored, and UT1 is taken equal to UTC
    (|DUT1| < 0.9 s, i.e. up to ~0.4 km east-west at the equator, ~3 km at GEO).
    TEME to pseudo-Earth-fixed needs GMST only, so no equation of the equinoxes is involved.
    """
    cos_g = np.cos(gmst)
    sin_g = np.sin(gmst)
    x = pos_teme_km[..., 0]
    y = pos_teme_km[..., 1]
    out: NDArray[Any] = np.empty(pos_teme_km.shape, dtype=dtype)
    tmp = np.multiply(sin_g, y)
    tmp += cos_g * x
    out[..., 0] = tmp
    np.multiply(cos_g, y, out=tmp)
    tmp -= sin_g * x
    out[..., 1] = tmp
    out[..., 2] = pos_teme_km[..., 2]
    return out


@njit(cache=True, parallel=True)
def _rotate_to_float32(pos_km: F64, cos_g: F64, sin_g: F64, out: NDArray[np.float32]) -> None:
    for task in prange(pos_km.shape[0]):
        o = int(np.int64(task))
        for t in range(pos_km.shape[1]):
            x = pos_km[o, t, 0]
            y = pos_km[o, t, 1]
            out[o, t, 0] = sin_g[t] * y + cos_g[t] * x
            out[o, t, 1] = cos_g[t] * y - sin_g[t] * x
            out[o, t, 2] = pos_km[o, t, 2]


def teme_to_ecef32(pos_teme_km: F64, gmst: F64) -> NDArray[np.float32]:
    """`teme_to_ecef` of (n_obj, n_time, 3) positions into float32, in one parallel pass with no
    float64 temporaries (the same arithmetic, so the same numbers)."""
    out = np.empty(pos_teme_km.shape, dtype=np.float32)
    if THREADSAFE:
        _rotate_to_float32(np.ascontiguousarray(pos_teme_km), np.cos(gmst), np.sin(gmst), out)
    else:
        out[...] = teme_to_ecef(pos_teme_km, gmst, dtype=np.float32)
    return out


def geodetic_to_ecef(lat_deg: F64, lon_deg: F64, alt_km: F64) -> F64:
    """WGS-84 geodetic coordinates (n,) to ECEF positions (n, 3) km."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    n_km = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    return np.stack(
        [
            (n_km + alt_km) * np.cos(lat) * np.cos(lon),
            (n_km + alt_km) * np.cos(lat) * np.sin(lon),
            (n_km * (1.0 - WGS84_E2) + alt_km) * np.sin(lat),
        ],
        axis=-1,
    )


def geodetic_up(lat_deg: F64, lon_deg: F64) -> F64:
    """Unit local vertical (geodetic normal) at WGS-84 sites, (n, 3)."""
    lat = np.radians(lat_deg)
    lon = np.radians(lon_deg)
    return np.stack([np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat)], axis=-1)


def ecef_to_geodetic(ecef_km: F64) -> tuple[F64, F64, F64]:
    """WGS-84 geodetic (lat_deg, lon_deg, alt_km) of ECEF positions (..., 3), shapes (...).

    Bowring-style fixed-point iteration (5 passes; sub-millimetre for orbital altitudes).
    """
    x = ecef_km[..., 0]
    y = ecef_km[..., 1]
    z = ecef_km[..., 2]
    p_km = np.hypot(x, y)
    lon = np.arctan2(y, x)
    lat = np.arctan2(z, p_km * (1.0 - WGS84_E2))
    n_km = np.full_like(p_km, WGS84_A_KM)
    for _ in range(5):
        n_km = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
        lat = np.arctan2(z + WGS84_E2 * n_km * np.sin(lat), p_km)
    n_km = WGS84_A_KM / np.sqrt(1.0 - WGS84_E2 * np.sin(lat) ** 2)
    cos_lat = np.cos(lat)
    alt_km = np.where(
        np.abs(cos_lat) > 1e-6,
        p_km / np.where(np.abs(cos_lat) > 1e-6, cos_lat, 1.0) - n_km,
        np.abs(z) - n_km * (1.0 - WGS84_E2),
    )
    return np.degrees(lat), np.degrees(lon), alt_km


def regime_index(sat: Satrec, rules: RegimeRules) -> int:
    """Regime (index into REGIMES) of an orbit from its mean altitude (a - Re) and eccentricity.

    HEO if e >= heo_min_eccentricity; else GEO if geo_min <= a - Re <= geo_max; else LEO if
    a - Re <= leo_max; else MEO.
    """
    if sat.ecco >= rules.heo_min_eccentricity:
        return REGIMES.index("HEO")
    mean_alt_km = sat.a * WGS72_RADIUS_KM - WGS72_RADIUS_KM
    if rules.geo_min_altitude_km <= mean_alt_km <= rules.geo_max_altitude_km:
        return REGIMES.index("GEO")
    if mean_alt_km <= rules.leo_max_altitude_km:
        return REGIMES.index("LEO")
    return REGIMES.index("MEO")


def _brouwer_to_kozai(n_brouwer: float, ecc: float, incl_rad: float) -> float:
    """Invert sgp4's Kozai->Brouwer mean-motion conversion (fixed point), rad/min."""
    cos_i = math.cos(incl_rad)
    d1 = 0.75 * WGS72_J2 * (3.0 * cos_i * cos_i - 1.0) / (1.0 - ecc * ecc) ** 1.5
    n_kozai = n_brouwer
    for _ in range(20):
        ak = (XKE_PER_MIN / n_kozai) ** (2.0 / 3.0)
        delta = d1 / (ak * ak)
        adel = ak * (1.0 - delta * delta - delta * (1.0 / 3.0 + 134.0 * delta * delta / 81.0))
        delta = d1 / (adel * adel)
        n_kozai = n_brouwer * (1.0 + delta)
    return n_kozai


def mean_keplerian_at(orbit: Orbit, moment: datetime) -> tuple[KeplerianOrbit, float]:
    """Mean elements of `orbit` at `moment` as a KeplerianOrbit with that epoch, and the radius
    (km) at that moment. Manoeuvres go through `burns.mean_keplerian_after_burn`.
    Raises ValueError if sgp4 fails at `moment`.
    """
    *elements, bstar = mean_elements_at(orbit, moment)
    pos_km, _vel = state_vector_at(orbit, moment)
    return keplerian_orbit(elements, moment, bstar), float(np.linalg.norm(pos_km))


def keplerian_orbit(elements: Sequence[float], moment: datetime, bstar: float) -> KeplerianOrbit:
    """A KeplerianOrbit at `moment` of (a_km, e, i, raan, argp, mean anomaly) in radians."""
    a_km, ecc, incl, raan, argp, mean_anomaly = elements
    return KeplerianOrbit(
        kind="keplerian",
        epoch=moment,
        semi_major_axis_km=a_km,
        eccentricity=ecc,
        inclination_deg=math.degrees(incl),
        raan_deg=math.degrees(raan) % 360.0,
        arg_perigee_deg=math.degrees(argp) % 360.0,
        mean_anomaly_deg=math.degrees(mean_anomaly) % 360.0,
        bstar_per_earth_radius=bstar,
    )


def mean_elements_at(
    orbit: Orbit, moment: datetime
) -> tuple[float, float, float, float, float, float, float]:
    """sgp4's mean elements of `orbit` at `moment`, as a KeplerianOrbit would hold them.

    Returns (a_km from the Kozai mean motion, e, i, raan, argp, mean anomaly (radians, in
    [0, 2 pi)), bstar). A negative mean inclination, which sgp4's deep-space terms can give near
    the equator, is folded back as sgp4 folds it: (-i, raan + pi, argp - pi).
    Raises ValueError if sgp4 fails at `moment`.
    """
    sat = satrec_from_orbit(orbit)
    jd, fr = to_jd(moment)
    err, _pos, _vel = sat.sgp4(jd, fr)
    if err != 0:
        raise ValueError(f"sgp4 error {err} at {moment.isoformat()}")
    n_kozai = _brouwer_to_kozai(sat.nm, sat.em, sat.im)
    a_km = WGS72_RADIUS_KM * (XKE_PER_MIN / n_kozai) ** (2.0 / 3.0)
    incl, raan, argp = float(sat.im), float(sat.Om), float(sat.om)
    if incl < 0.0:
        incl, raan, argp = -incl, raan + math.pi, argp - math.pi
    turn = 2.0 * math.pi
    return a_km, float(sat.em), incl, raan % turn, argp % turn, float(sat.mm) % turn, float(sat.bstar)


def state_vector_at(orbit: Orbit, moment: datetime) -> tuple[F64, F64]:
    """TEME position (3,) km and velocity (3,) km/s of one orbit at one moment (NaN on error)."""
    sat = satrec_from_orbit(orbit)
    jd, fr = to_jd(moment)
    err, pos_km, vel_km_s = sat.sgp4(jd, fr)
    if err != 0:
        return np.full(3, np.nan), np.full(3, np.nan)
    return np.asarray(pos_km, dtype=np.float64), np.asarray(vel_km_s, dtype=np.float64)
