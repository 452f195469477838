"""A seeded synthetic background catalog with a realistic mix of LEO, MEO, GEO and HEO objects."""

from __future__ import annotations

import math
import random
from dataclasses import dataclass
from datetime import datetime
from typing import Literal

from wargame.domain.scenario_model import EARTH_RADIUS_KM, KeplerianOrbit, SpaceObject

Kind = Literal["payload", "rocket_body", "debris"]


@dataclass(frozen=True)
class Shell:
    """One family of orbits: weight in the catalog, altitude range and inclinations.

    These are public facts about the tracked catalog (orbit families of real constellations,
    debris belts and transfer orbits), not rules of the game.
    """

    name: str
    weight: float
    perigee_alt_km: tuple[float, float]
    apogee_alt_km: tuple[float, float] | None
    """None for a near-circular shell (apogee close to perigee)."""
    inclinations_deg: tuple[float, ...]
    kinds: tuple[tuple[Kind, float], ...]
    arg_perigee_deg: float | None = None
    """Fixed argument of perigee (Molniya, Tundra); None draws it uniformly."""


GEO_ALT_KM = 35786.0
"""Geostationary altitude (physical constant of Earth's rotation)."""

SHELLS: tuple[Shell, ...] = (
    # LEO: about 80 % of the ~40,000 tracked objects (ESA space environment report 2024).
    Shell("leo-broadband", 0.28, (530.0, 580.0), None, (53.0, 43.0, 70.0, 97.6),
          (("payload", 0.9), ("debris", 0.07), ("rocket_body", 0.03))),
    Shell("leo-low", 0.14, (330.0, 520.0), None, (51.6, 97.4, 82.6, 28.5, 42.0),
          (("payload", 0.35), ("debris", 0.55), ("rocket_body", 0.10))),
    Shell("leo-sun-sync", 0.20, (600.0, 900.0), None, (97.8, 98.2, 98.7, 99.0),
          (("payload", 0.30), ("debris", 0.60), ("rocket_body", 0.10))),
    Shell("leo-debris-belts", 0.12, (750.0, 1000.0), None, (82.9, 74.0, 86.4, 65.0, 81.2),
          (("payload", 0.15), ("debris", 0.75), ("rocket_body", 0.10))),
    Shell("leo-high", 0.06, (1000.0, 1950.0), None, (52.0, 82.5, 99.5, 87.9),
          (("payload", 0.45), ("debris", 0.40), ("rocket_body", 0.15))),
    # MEO: navigation constellations (GPS, GLONASS, Galileo, BeiDou) and O3b-like shells.
    Shell("meo-gnss", 0.03, (19100.0, 23230.0), None, (55.0, 56.0, 64.8),
          (("payload", 0.75), ("rocket_body", 0.20), ("debris", 0.05))),
    Shell("meo-other", 0.01, (2000.0, 19000.0), None, (0.0, 45.0, 70.0, 90.0),
          (("payload", 0.45), ("rocket_body", 0.25), ("debris", 0.30))),
    # GEO belt, active and graveyard (up to ~15 deg inclination for uncontrolled objects).
    Shell("geo", 0.08, (GEO_ALT_KM - 150.0, GEO_ALT_KM + 350.0), None,
          (0.0, 0.05, 1.5, 4.0, 8.0, 14.5),
          (("payload", 0.70), ("rocket_body", 0.10), ("debris", 0.20))),
    # HEO: transfer-orbit stages, Molniya and Tundra orbits.
    Shell("heo-gto", 0.05, (200.0, 650.0), (35000.0, 36500.0), (0.0, 6.0, 19.0, 27.0, 28.5),
          (("rocket_body", 0.60), ("debris", 0.35), ("payload", 0.05))),
    Shell("heo-molniya", 0.02, (500.0, 1200.0), (39000.0, 39900.0), (62.8, 63.4, 64.0),
          (("payload", 0.45), ("rocket_body", 0.35), ("debris", 0.20)), arg_perigee_deg=270.0),
    Shell("heo-tundra", 0.01, (24000.0, 25000.0), (46500.0, 47500.0), (63.4,),
          (("payload", 0.9), ("rocket_body", 0.1)), arg_perigee_deg=270.0),
)

KIND_LABELS: dict[Kind, str] = {"payload": "OBJECT", "rocket_body": "R/B", "debris": "DEB"}
MAX_COUNT = 40_000


def _pick(rng: random.Random, weighted: tuple[tuple[Kind, float], ...]) -> Kind:
    kinds = [kind for kind, _ in weighted]
    return rng.choices(kinds, weights=[w for _, w in weighted])[0]


def _orbit(rng: random.Random, shell: Shell, epoch: datetime) -> KeplerianOrbit:
    perigee_alt = rng.uniform(*shell.perigee_alt_km)
    if shell.apogee_alt_km is None:
        apogee_alt = perigee_alt + rng.uniform(0.0, 0.004) * (EARTH_RADIUS_KM + perigee_alt)
    else:
        apogee_alt = rng.uniform(*shell.apogee_alt_km)
    r_perigee = EARTH_RADIUS_KM + perigee_alt
    r_apogee = EARTH_RADIUS_KM + apogee_alt
    a_km = (r_perigee + r_apogee) / 2.0
    eccentricity = (r_apogee - r_perigee) / (r_apogee + r_perigee)
    inclination = rng.choice(shell.inclinations_deg) + rng.gauss(0.0, 0.05)
    arg_perigee = shell.arg_perigee_deg if shell.arg_perigee_deg is not None else rng.uniform(0, 360)
    low = perigee_alt < 1000.0
    return KeplerianOrbit(
        kind="keplerian",
        epoch=epoch,
        semi_major_axis_km=round(a_km, 3),
        eccentricity=round(eccentricity, 7),
        inclination_deg=round(min(max(inclination, 0.0), 180.0), 4),
        raan_deg=round(rng.uniform(0.0, 360.0), 4),
        arg_perigee_deg=round(arg_perigee, 4),
        mean_anomaly_deg=round(rng.uniform(0.0, 360.0), 4),
        bstar_per_earth_radius=round(rng.uniform(1e-5, 1e-4), 7) if low else 0.0,
    )


def generate_catalog(
    count: int, seed: int, epoch: datetime, id_prefix: str = "bg"
) -> list[SpaceObject]:
    """`count` background objects (owner None), the same for the same seed, ids `<prefix>-00001`.

    Regimes follow SHELLS' weights; each object's orbit depends only on (seed, its index), so
    a larger catalog with the same seed starts with the objects of a smaller one.
    """
    if not 1 <= count <= MAX_COUNT:
        raise ValueError(f"count must be between 1 and {MAX_COUNT}, not {count}")
    weights = [shell.weight for shell in SHELLS]
    width = max(5, len(str(count)))
    objects: list[SpaceObject] = []
    for index in range(1, count + 1):
        rng = random.Random(seed * 1_000_003 + index)
        shell = rng.choices(SHELLS, weights=weights)[0]
        kind = _pick(rng, shell.kinds)
        number = f"{index:0{width}d}"
        objects.append(
            SpaceObject(
                id=f"{id_prefix}-{number}",
                name=f"{id_prefix.upper()} {KIND_LABELS[kind]} {number}",
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
