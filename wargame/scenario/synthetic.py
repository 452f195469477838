"""A seeded synthetic background catalog shaped like today's public catalog of tracked objects."""

from __future__ import annotations

import math
import random
from bisect import bisect_right
from dataclasses import dataclass
from datetime import datetime
from itertools import accumulate
from typing import Literal

from wargame.domain.scenario_model import (
    EARTH_RADIUS_KM,
    KeplerianOrbit,
    SpaceObject,
    SyntheticCatalog,
)

Kind = Literal["payload", "rocket_body", "debris"]

GEO_ALT_KM = 35786.0
"""Geostationary altitude (physical constant of Earth's rotation)."""
SSO_REFERENCE_KM = 12352.0
"""Sun-synchronous condition cos(i) = -(a / 12352 km)^3.5: J2 nodal precession of 0.9856 deg/day."""
MAX_COUNT = SyntheticCatalog.MAX_COUNT


@dataclass(frozen=True)
class Shell:
    """One family of orbits: its share of the catalog, altitudes, inclinations and object kinds.

    These are public facts about the tracked catalog (orbit families of real constellations,
    breakup clouds and transfer orbits), not rules of the game.
    """

    name: str
    """The family label used in object names (a real breakup keeps its public name)."""
    weight: float
    perigee_alt_km: tuple[float, float]
    apogee_alt_km: tuple[float, float] | None
    """None for a near-circular shell (apogee within `max_circular_e` of the perigee)."""
    inclinations_deg: tuple[float, ...]
    """Inclination choices; empty for the sun-synchronous inclination of each object's altitude."""
    kinds: tuple[tuple[Kind, float], ...]
    arg_perigee_deg: float | None = None
    """Fixed argument of perigee (Molniya, Tundra: apogee over the north); None draws it uniformly."""
    inclination_spread_deg: float = 0.05
    """1-sigma scatter around the chosen inclination (breakup clouds spread wider)."""
    max_circular_e: float = 0.002


SHELLS: tuple[Shell, ...] = (
    # LEO, about 85 % of the ~47,000 objects in the public catalog (Space-Track/CelesTrak SATCAT,
    # ESA Space Environment Report 2025). Broadband shells: Starlink-like 53 deg/550 km, 43 deg/530
    # km, 70 and 97.6 deg/560-570 km; Kuiper-like 590-630 km; OneWeb-like 87.9 deg/1,200 km;
    # Guowang/Qianfan-like 1,050-1,160 km.
    Shell("LEO BROADBAND", 0.120, (540.0, 560.0), None, (53.0, 53.2),
          (("payload", 0.96), ("debris", 0.04))),
    Shell("LEO BROADBAND", 0.070, (525.0, 535.0), None, (43.0,),
          (("payload", 0.97), ("debris", 0.03))),
    Shell("LEO BROADBAND", 0.035, (560.0, 575.0), None, (70.0, 97.6),
          (("payload", 0.96), ("debris", 0.04))),
    Shell("LEO BROADBAND", 0.020, (590.0, 630.0), None, (51.9, 42.0, 33.0),
          (("payload", 0.97), ("rocket_body", 0.01), ("debris", 0.02))),
    Shell("LEO BROADBAND", 0.014, (1190.0, 1210.0), None, (87.9,),
          (("payload", 0.97), ("debris", 0.03))),
    Shell("LEO BROADBAND", 0.010, (1050.0, 1160.0), None, (86.5, 50.0, 89.0),
          (("payload", 0.85), ("rocket_body", 0.05), ("debris", 0.10))),
    # Low LEO: crewed stations (51.6, 41.5 deg), cubesats, short-lived debris and stages.
    Shell("LEO", 0.156, (330.0, 520.0), None, (51.6, 41.5, 97.4, 28.5, 43.0),
          (("payload", 0.45), ("debris", 0.45), ("rocket_body", 0.10))),
    # The sun-synchronous band: Earth observation, weather, and their stages and debris.
    Shell("SSO", 0.210, (480.0, 900.0), None, (),
          (("payload", 0.40), ("debris", 0.48), ("rocket_body", 0.12))),
    # Breakup clouds still in orbit: FY-1C (ASAT test 2007, 98.6 deg, ~850 km), Cosmos 1408 (ASAT
    # test 2021, 82.6 deg, ~480 km, mostly decayed by 2025), Iridium 33 (86.4 deg) and Cosmos
    # 2251 (74.0 deg) after their 2009 collision at 790 km.
    Shell("FENGYUN 1C", 0.055, (720.0, 880.0), (850.0, 1300.0), (98.6,), (("debris", 1.0),),
          inclination_spread_deg=0.3),
    Shell("COSMOS 1408", 0.010, (380.0, 480.0), (450.0, 600.0), (82.56,), (("debris", 1.0),),
          inclination_spread_deg=0.2),
    Shell("IRIDIUM 33", 0.012, (620.0, 850.0), (780.0, 1200.0), (86.4,), (("debris", 1.0),),
          inclination_spread_deg=0.3),
    Shell("COSMOS 2251", 0.025, (620.0, 850.0), (780.0, 1200.0), (74.0,), (("debris", 1.0),),
          inclination_spread_deg=0.3),
    # Older breakups and derelicts of the Soviet and US programmes (65-83 deg and 99 deg belts).
    Shell("LEO", 0.080, (700.0, 1500.0), None, (65.8, 71.0, 74.0, 81.2, 82.9, 99.0),
          (("payload", 0.10), ("debris", 0.75), ("rocket_body", 0.15))),
    Shell("LEO", 0.030, (1000.0, 1950.0), None, (52.0, 63.4, 82.5, 99.5),
          (("payload", 0.45), ("debris", 0.40), ("rocket_body", 0.15))),
    # MEO, about 3 %: GPS (20,180 km, 55 deg), GLONASS (19,130 km, 64.8 deg), Galileo (23,222 km,
    # 56 deg), BeiDou (21,528 km, 55 deg), and O3b-like equatorial shells at 8,062 km.
    Shell("GNSS", 0.009, (20150.0, 20210.0), None, (55.0,),
          (("payload", 0.70), ("rocket_body", 0.25), ("debris", 0.05))),
    Shell("GNSS", 0.008, (19100.0, 19160.0), None, (64.8,),
          (("payload", 0.70), ("rocket_body", 0.25), ("debris", 0.05))),
    Shell("GNSS", 0.005, (23200.0, 23240.0), None, (56.0,),
          (("payload", 0.85), ("rocket_body", 0.15))),
    Shell("GNSS", 0.005, (21500.0, 21560.0), None, (55.0,),
          (("payload", 0.80), ("rocket_body", 0.20))),
    Shell("MEO", 0.006, (2000.0, 19000.0), None, (0.0, 45.0, 70.0, 90.0),
          (("payload", 0.45), ("rocket_body", 0.25), ("debris", 0.30))),
    # GEO, about 6 %: the controlled belt, then drifting, inclined and graveyard objects (up to
    # ~15 deg inclination, a few hundred km above GEO).
    Shell("GEO", 0.025, (GEO_ALT_KM - 10.0, GEO_ALT_KM + 10.0), None, (0.0, 0.05, 0.1),
          (("payload", 0.95), ("debris", 0.05)), max_circular_e=0.0004),
    Shell("GEO", 0.035, (GEO_ALT_KM - 150.0, GEO_ALT_KM + 400.0), None,
          (0.5, 1.5, 4.0, 8.0, 11.0, 14.5),
          (("payload", 0.50), ("rocket_body", 0.15), ("debris", 0.35))),
    # HEO, about 6 %: transfer-orbit stages (Kourou 6 deg, Xichang 19-28 deg, Cape 27-28.5 deg),
    # Molniya (12 h) and Tundra (24 h) orbits with their apogee over the north.
    Shell("GTO", 0.045, (180.0, 650.0), (35000.0, 36500.0), (6.0, 19.0, 27.0, 28.5),
          (("rocket_body", 0.60), ("debris", 0.35), ("payload", 0.05))),
    Shell("MOLNIYA", 0.012, (500.0, 1200.0), (39000.0, 39900.0), (62.8, 63.4, 64.0),
          (("payload", 0.45), ("rocket_body", 0.35), ("debris", 0.20)), arg_perigee_deg=270.0),
    Shell("TUNDRA", 0.003, (24000.0, 25000.0), (46500.0, 47500.0), (63.4,),
          (("payload", 0.9), ("rocket_body", 0.1)), arg_perigee_deg=270.0),
)

KIND_LABELS: dict[Kind, str] = {"payload": "OBJECT", "rocket_body": "R/B", "debris": "DEB"}
_SHELL_CUMULATIVE = tuple(accumulate(shell.weight for shell in SHELLS))
_KIND_CUMULATIVE = tuple(tuple(accumulate(w for _, w in shell.kinds)) for shell in SHELLS)


def sun_synchronous_inclination_deg(semi_major_axis_km: float) -> float:
    """Inclination whose J2 nodal precession follows the Sun, for a near-circular orbit."""
    return math.degrees(math.acos(-((semi_major_axis_km / SSO_REFERENCE_KM) ** 3.5)))


def _pick(rng: random.Random, cumulative: tuple[float, ...]) -> int:
    index = bisect_right(cumulative, rng.random() * cumulative[-1])
    return min(index, len(cumulative) - 1)


def _orbit(rng: random.Random, shell: Shell, epoch: datetime) -> KeplerianOrbit:
    perigee_alt = rng.uniform(*shell.perigee_alt_km)
    if shell.apogee_alt_km is None:
        spread = rng.uniform(0.0, shell.max_circular_e)
        apogee_alt = perigee_alt + 2.0 * spread * (EARTH_RADIUS_KM + perigee_alt)
    else:
        apogee_alt = max(rng.uniform(*shell.apogee_alt_km), perigee_alt)
    r_perigee = EARTH_RADIUS_KM + perigee_alt
    r_apogee = EARTH_RADIUS_KM + apogee_alt
    a_km = (r_perigee + r_apogee) / 2.0
    if shell.inclinations_deg:
        centre = shell.inclinations_deg[int(rng.random() * len(shell.inclinations_deg))]
    else:
        centre = sun_synchronous_inclination_deg(a_km)
    inclination = centre + rng.gauss(0.0, shell.inclination_spread_deg)
    arg_perigee = shell.arg_perigee_deg if shell.arg_perigee_deg is not None else rng.uniform(0, 360)
    return KeplerianOrbit(
        kind="keplerian",
        epoch=epoch,
        semi_major_axis_km=round(a_km, 3),
        eccentricity=round((r_apogee - r_perigee) / (r_apogee + r_perigee), 7),
        inclination_deg=round(min(max(inclination, 0.0), 180.0), 4),
        raan_deg=round(rng.uniform(0.0, 360.0), 4),
        arg_perigee_deg=round(arg_perigee, 4),
        mean_anomaly_deg=round(rng.uniform(0.0, 360.0), 4),
        bstar_per_earth_radius=round(rng.uniform(1e-5, 1e-4), 7) if perigee_alt < 1000.0 else 0.0,
    )


def generate_catalog(
    count: int, seed: int, epoch: datetime, id_prefix: str = "bg"
) -> list[SpaceObject]:
    """`count` background objects (owner None), the same for the same seed, ids `<prefix>-00001`.

    Families follow SHELLS' weights; each object depends only on (seed, its index), so a larger
    catalog with the same seed starts with the objects of a smaller one (while the ids keep
    their width: five digits up to 99,999 objects).
    """
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT}, not {count}")
    if epoch.tzinfo is None:
        raise ValueError("epoch needs a timezone")
    width = max(5, len(str(count)))
    objects: list[SpaceObject] = []
    for index in range(1, count + 1):
        rng = random.Random(seed * 1_000_003 + index)
        shell_index = _pick(rng, _SHELL_CUMULATIVE)
        shell = SHELLS[shell_index]
        kind = shell.kinds[_pick(rng, _KIND_CUMULATIVE[shell_index])][0]
        number = f"{index:0{width}d}"
        label = shell.name if kind == "payload" else f"{shell.name} {KIND_LABELS[kind]}"
        objects.append(
            SpaceObject(
                id=f"{id_prefix}-{number}",
                name=f"{label} {number}",
                owner=None,
                kind=kind,
                orbit=_orbit(rng, shell, epoch),
                hard_body_radius_m=_radius_m(rng, kind),
            )
        )
    return objects


def _radius_m(rng: random.Random, kind: Kind) -> float:
    """Hard-body radius: debris pieces are small, stages and payloads are metres across."""
    if kind == "debris":
        return round(rng.uniform(0.05, 0.5), 2)
    if kind == "rocket_body":
        return round(rng.uniform(1.5, 4.0), 2)
    return round(rng.uniform(1.0, 5.0), 2)


def regime_of(orbit: KeplerianOrbit, geo_band_km: float = 500.0) -> str:
    """LEO, MEO, GEO or HEO by altitude and eccentricity (for summaries and tests)."""
    perigee_alt = orbit.semi_major_axis_km * (1.0 - orbit.eccentricity) - EARTH_RADIUS_KM
    apogee_alt = orbit.semi_major_axis_km * (1.0 + orbit.eccentricity) - EARTH_RADIUS_KM
    if orbit.eccentricity >= 0.25:
        return "HEO"
    if apogee_alt < 2000.0:
        return "LEO"
    if math.fabs((perigee_alt + apogee_alt) / 2.0 - GEO_ALT_KM) <= geo_band_km:
        return "GEO"
    return "MEO"
