"""A CDM object's state in one inertial frame, in km, km/s and m^2: frames and units checked or converted."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime

import numpy as np
from numpy.typing import NDArray
from sgp4.api import jday

from wargame.adjudication.ccsds import UnitError, parse_ccsds_time, to_unit
from wargame.adjudication.orbits import gmst_rad

F64 = NDArray[np.float64]

PRESCRIBED_UNITS: dict[str, str] = {
    "X": "km", "Y": "km", "Z": "km", "X_DOT": "km/s", "Y_DOT": "km/s", "Z_DOT": "km/s",
    "MISS_DISTANCE": "m", "RELATIVE_SPEED": "m/s",
    **{f"RELATIVE_POSITION_{a}": "m" for a in "RTN"}, **{f"RELATIVE_VELOCITY_{a}": "m/s" for a in "RTN"},
    **{k: "m**2" for k in ("CR_R", "CT_R", "CT_T", "CN_R", "CN_T", "CN_N")},
    **{f"C{a}DOT_{b}": "m**2/s" for a in "RTN" for b in "RTN"},
    **{f"C{a}DOT_{b}DOT": "m**2/s**2" for a in "RTN" for b in "RTN"},
}
"""The unit CDM 1.0 (508.0-B-1) prescribes for each keyword this server reads."""
CELESTIAL = ("EME2000", "GCRF", "ICRF")
"""Inertial frames that differ by milliarcseconds: one family."""
OF_DATE = ("TEME", "TOD", "MOD")
"""Frames of date (sgp4's TEME is one); each its own family."""
EARTH_FIXED = re.compile(r"^(ITRF([-_]?\d{2,4})?|ECEF|EFG|PEF)$")
"""Earth-fixed frames: rotated to TEME about the pole by GMST at the TCA (polar motion ignored)."""
EARTH_ROTATION_RAD_PER_S = 7.292115146706979e-5
"""Earth's rotation rate, consistent with the IAU-82 GMST rate of `orbits.gmst_rad`."""


class CdmFrameError(ValueError):
    """An object's frame or units cannot be brought into one inertial frame with the other's."""


@dataclass(frozen=True)
class InertialState:
    """One object at TCA: its frame family, position km, velocity km/s, RTN position covariance m^2."""

    frame: str
    position_km: F64
    velocity_km_s: F64
    covariance_rtn_m2: F64


def value(key: str, text: str | None, unit: str, where: str) -> float:
    """A keyword's number in the prescribed unit (converted from an alternative one, such as [m]
    for [km]); CdmFrameError names the object, keyword and unit otherwise."""
    if text is None:
        raise CdmFrameError(f"{where} lacks {key}")
    try:
        return to_unit(key, text, unit, PRESCRIBED_UNITS[key]) if key in PRESCRIBED_UNITS else float(text)
    except UnitError as exc:
        raise CdmFrameError(f"{where}: {exc}") from None
    except ValueError:
        raise CdmFrameError(f"{where}: {key} {text!r} is not a number") from None


def gmst_at(moment: datetime) -> float:
    jd, fr = jday(moment.year, moment.month, moment.day, moment.hour, moment.minute,
                  moment.second + moment.microsecond / 1e6)
    return float(gmst_rad(np.array([jd]), np.array([fr]))[0])


def _to_earth_fixed(gmst: float) -> F64:
    """The rotation TEME -> pseudo-Earth-fixed about the pole by GMST (as `orbits.teme_to_ecef`)."""
    c, s = np.cos(gmst), np.sin(gmst)
    return np.array([[c, s, 0.0], [-s, c, 0.0], [0.0, 0.0, 1.0]])


_OMEGA = np.array([0.0, 0.0, EARTH_ROTATION_RAD_PER_S])


def earth_fixed_to_teme(position_km: F64, velocity_km_s: F64, gmst: float) -> tuple[F64, F64]:
    """Pseudo-Earth-fixed to TEME: rotate back by GMST; the velocity regains Earth's rotation."""
    back = _to_earth_fixed(gmst).T
    return back @ position_km, back @ (velocity_km_s + np.cross(_OMEGA, position_km))


def earth_fixed_positions_to_teme(positions_km: F64, gmst: float) -> F64:
    """(n, 3) pseudo-Earth-fixed positions in TEME (as `earth_fixed_to_teme`, row by row)."""
    return positions_km @ _to_earth_fixed(gmst)


def teme_to_earth_fixed(position_km: F64, velocity_km_s: F64, gmst: float) -> tuple[F64, F64]:
    """TEME to pseudo-Earth-fixed (ITRF less polar motion): the inverse of `earth_fixed_to_teme`."""
    rotation = _to_earth_fixed(gmst)
    position = rotation @ position_km
    return position, rotation @ velocity_km_s - np.cross(_OMEGA, position)


def family(frame: str) -> str:
    name = frame.strip().upper()
    if name in CELESTIAL:
        return "EME2000/GCRF"
    if name in OF_DATE:
        return name
    if EARTH_FIXED.match(name):
        return "ITRF"
    known = ", ".join((*CELESTIAL, *OF_DATE, "ITRF"))
    raise CdmFrameError(f"REF_FRAME {frame!r} is not an Earth-centred frame this server reads ({known})")


def inertial_state(get: dict[str, tuple[str, str]], label: str, tca: datetime) -> InertialState:
    """The state of one object (`get`: keyword -> (value, unit)) in an inertial frame; an
    Earth-fixed state is rotated into TEME at `tca`."""
    frame = get.get("REF_FRAME", ("", ""))[0]
    if not frame:
        raise CdmFrameError(f"{label} has no REF_FRAME (CDM 1.0: EME2000, GCRF or ITRF)")
    try:
        kind = family(frame)
    except CdmFrameError as exc:
        raise CdmFrameError(f"{label}: {exc}") from None

    def number(key: str) -> float:
        text, unit = get.get(key, (None, ""))
        return value(key, text, unit, label)

    position = np.array([number(k) for k in ("X", "Y", "Z")])
    velocity = np.array([number(k) for k in ("X_DOT", "Y_DOT", "Z_DOT")])
    rr, tr, tt, nr, nt, nn = (number(k) for k in ("CR_R", "CT_R", "CT_T", "CN_R", "CN_T", "CN_N"))
    covariance = np.array([[rr, tr, nr], [tr, tt, nt], [nr, nt, nn]])
    if kind == "ITRF":
        position, velocity = earth_fixed_to_teme(position, velocity, gmst_at(tca))
        kind = "TEME"
    return InertialState(kind, position, velocity, covariance)


def inertial_pair(
    header: dict[str, tuple[str, str]], objects: list[dict[str, tuple[str, str]]]
) -> list[InertialState]:
    """Both objects in one inertial frame, or CdmFrameError saying why not (no TCA, a state or
    covariance unit that is not the prescribed one nor convertible, frames of different
    families). The relative metadata is not used, so its units are not checked (CARA's public
    test files write RELATIVE_VELOCITY_R in [m])."""
    tca_text = header.get("TCA", ("", ""))[0]
    try:
        tca = parse_ccsds_time(tca_text)
    except ValueError:
        raise CdmFrameError(f"TCA {tca_text!r} is not a CCSDS time") from None
    states = [inertial_state(o, f"OBJECT{k + 1}", tca) for k, o in enumerate(objects)]
    frames = {s.frame for s in states}
    if len(frames) > 1:
        raise CdmFrameError(
            f"the objects are in different frames ({', '.join(s.frame for s in states)}): "
            "give both in one frame, or one in ITRF"
        )
    return states
