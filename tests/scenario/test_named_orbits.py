"""Named satellites of the shipped scenarios sit where the public record puts them.

Everything is computed from the elements with sgp4 (the orbits the game propagates) and sgp4's
own sidereal time, so a wrong slot, period or regime fails here whatever a name or comment says.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from functools import cache
from pathlib import Path

import pytest
from sgp4.api import Satrec
from sgp4.propagation import gstime

from wargame.adjudication.orbits import satrec_from_orbit
from wargame.domain.scenario_model import EARTH_RADIUS_KM, Scenario, SpaceObject
from wargame.scenario import load_scenario

REPO = Path(__file__).resolve().parents[2]
SHIPPED = ["global-sentinel", "regional-sentinel", "schriever-escalation", "tutorial"]
SIDEREAL_DAY_MIN = 1436.07
CLAIMED_LONGITUDE = re.compile(r"[(,] ?(-?\d+(?:\.\d+)?) ([EW])(?=[,)])")
"""A longitude in a satellite's name: `Skynet 5C (17.8 W)`, `WGS-1 (-175 E, notional slot)`."""

PUBLIC_SLOTS_E = {
    "Skynet 5A": 94.8,  # moved from 6 E to 94.8 E in 2015 (SpaceNews)
    "Skynet 5B": 25.0,
    "Skynet 5C": -17.8,
    "Skynet 5D": 53.0,
    "Kirameki-1": 162.0,  # hosted on Superbird-8
    "QZS-3": 127.0,
    "Himawari-9": 140.7,
    "Optus C1": 156.0,
    "Anasis-II": 116.0,
    "GEO-KOMPSAT-2A": 128.2,
    "SGDC-1": -75.0,
    "Sicral 2": 37.0,
    "Athena-Fidus": 37.8,
    "SATCOMBw 2A": 63.0,  # COMSATBw-1
    "SATCOMBw 2B": 13.2,  # COMSATBw-2
    "Spainsat NG I ": -30.0,
    "Hellas Sat 3": 39.0,
    "Amos-17": 17.0,
    "Thaicom 8": 78.5,
    "Thaicom 4": 119.5,
}
"""Published or publicly observed GEO longitudes (east positive) of real satellites."""

REGIME_BY_NAME = {
    r"^(GPS|Galileo)\b": "MEO",
    r"^(WGS|AEHF|MUOS|SBIRS/OPIR GEO|SBIRS GEO|Skynet|Syracuse|Sicral|SATCOMBw|Athena-Fidus|Kirameki|"
    r"Himawari|Meteosat|Optus|Anasis|GEO-KOMPSAT|SGDC|Spainsat|Hellas Sat|Amos|Thaicom)": "GEO",
    r"^(ASBM|SBIRS HEO|Upper stage in GTO)": "HEO",
    r"^(IGS|CSO|SARah|COSMO-SkyMed|RADARSAT|425 Project|PAZ|Tyche|CERES|THEOS|PeruSat|Amazonia|ICEYE|"
    r"MikroSAR|Ofeq|SDA|WSF-M|MetOp|COSMOS 1408|FENGYUN 1C|COSMOS 2251|IRIDIUM 33)": "LEO",
}
"""The regime each named family must be in."""


@cache
def load(name: str) -> Scenario:
    """Each shipped scenario, loaded once for this module (scenarios are immutable)."""
    return load_scenario(REPO / "scenarios" / f"{name}.yaml")


def named(scenario: Scenario) -> Iterator[SpaceObject]:
    return (o for o in scenario.objects if not o.id.startswith(("bg-", "frag-")))


def sub_point(sat: Satrec, minutes: float) -> tuple[float, float, float]:
    """East longitude, latitude (geocentric, deg) and radius (km) `minutes` after the epoch."""
    jd, fr = sat.jdsatepoch, sat.jdsatepochF + minutes / 1440.0
    error, r, _ = sat.sgp4(jd, fr)
    assert error == 0
    radius = math.sqrt(sum(x * x for x in r))
    longitude = math.degrees(math.atan2(r[1], r[0]) - gstime(jd + fr))
    return (longitude + 180.0) % 360.0 - 180.0, math.degrees(math.asin(r[2] / radius)), radius


def mean_longitude(sat: Satrec) -> float:
    """Circular mean of the sub-satellite longitude over one sidereal day (the centre of a
    geosynchronous figure-eight; the slot of a GEO satellite)."""
    samples = [sub_point(sat, step * 10.0)[0] for step in range(int(SIDEREAL_DAY_MIN // 10))]
    x = sum(math.cos(math.radians(lon)) for lon in samples)
    y = sum(math.sin(math.radians(lon)) for lon in samples)
    return math.degrees(math.atan2(y, x))


def period_h(sat: Satrec) -> float:
    return 2.0 * math.pi / sat.no_kozai / 60.0


def regime(sat: Satrec) -> str:
    a_km = sat.a * 6378.135
    perigee, apogee = a_km * (1 - sat.ecco) - EARTH_RADIUS_KM, a_km * (1 + sat.ecco) - EARTH_RADIUS_KM
    if sat.ecco >= 0.25:
        return "HEO"
    if apogee < 2000.0:
        return "LEO"
    return "GEO" if abs((perigee + apogee) / 2.0 - 35786.0) <= 500.0 else "MEO"


def gap_deg(a: float, b: float) -> float:
    return abs((a - b + 180.0) % 360.0 - 180.0)


def claimed_longitude(name: str) -> float | None:
    match = CLAIMED_LONGITUDE.search(name)
    if match is None:
        return None
    value = float(match.group(1))
    return -value if match.group(2) == "W" else value


@pytest.mark.parametrize("name", SHIPPED)
def test_a_longitude_in_a_name_is_where_the_elements_put_the_satellite(name: str) -> None:
    checked = 0
    for obj in named(load(name)):
        claimed = claimed_longitude(obj.name)
        if claimed is None:
            continue
        sat = satrec_from_orbit(obj.orbit)
        drifting = abs(sat.a * 6378.135 - 42164.2) > 50.0  # a near-GEO inspector: its slot at epoch
        where = sub_point(sat, 0.0)[0] if drifting else mean_longitude(sat)
        assert gap_deg(where, claimed) < 0.25, f"{obj.id}: {obj.name} is at {where:.2f} E"
        checked += 1
    assert checked >= 3


@pytest.mark.parametrize("name", SHIPPED)
def test_one_satellite_per_geo_slot(name: str) -> None:
    """No two named GEO satellites share a slot or claim the same longitude (co-located pairs such
    as Himawari-8/9 stand 0.1 deg apart, as they do in orbit)."""
    slots: list[tuple[float, str]] = []
    claims: dict[float, str] = {}
    for obj in named(load(name)):
        sat = satrec_from_orbit(obj.orbit)
        if regime(sat) != "GEO" or sat.ecco > 0.01 or math.degrees(sat.inclo) > 10.0:
            continue
        slots.append((sub_point(sat, 0.0)[0], obj.id))
        claimed = claimed_longitude(obj.name)
        if claimed is not None:
            assert claimed not in claims, f"{obj.id} and {claims[claimed]} both claim {claimed} E"
            claims[claimed] = obj.id
    for i, (lon_a, id_a) in enumerate(slots):
        for lon_b, id_b in slots[i + 1:]:
            assert gap_deg(lon_a, lon_b) >= 0.05, f"{id_a} and {id_b} share the slot {lon_a:.2f} E"


@pytest.mark.parametrize("name", SHIPPED)
def test_real_satellites_sit_in_their_published_slots(name: str) -> None:
    for obj in named(load(name)):
        for system, longitude in PUBLIC_SLOTS_E.items():
            if obj.name.startswith(system):
                where = mean_longitude(satrec_from_orbit(obj.orbit))
                message = f"{obj.name} at {where:.2f} E, published {longitude} E"
                assert gap_deg(where, longitude) < 0.25, message
        if obj.name.startswith("Kirameki-2"):  # over the Indian Ocean (Japan MoD, January 2017)
            assert 40.0 <= mean_longitude(satrec_from_orbit(obj.orbit)) <= 100.0, obj.name


@pytest.mark.parametrize("name", SHIPPED)
def test_qzss_figure_eight_is_centred_near_135_east(name: str) -> None:
    qzo = [o for o in named(load(name)) if o.name.startswith("QZS") and "GEO" not in o.name
           and "geostationary" not in o.name]
    if not qzo:
        pytest.skip(f"{name} has no quasi-zenith satellite")
    for obj in qzo:
        sat = satrec_from_orbit(obj.orbit)
        assert abs(period_h(sat) - 23.93) < 0.02, obj.id
        track = [sub_point(sat, step * 10.0) for step in range(int(SIDEREAL_DAY_MIN // 10))]
        assert abs(mean_longitude(sat) - 135.0) < 3.0, obj.id  # JAXA: centre longitude about 135 E
        assert abs(max(lat for _, lat, _ in track) - 41.0) < 1.0, obj.id
        north = sum(lat > 0 for _, lat, _ in track) / len(track)
        assert north > 0.53, obj.id  # apogee over Japan: about 0.5 + 2e/pi of the day in the north
        radii = [r for _, _, r in track]
        assert abs(min(radii) - 6378.137 - 32618.0) < 150 and abs(max(radii) - 6378.137 - 38950.0) < 150


@pytest.mark.parametrize("name", SHIPPED)
def test_asbm_flies_the_published_16_hour_orbit(name: str) -> None:
    asbm = [o for o in named(load(name)) if o.name.startswith("ASBM")]
    if not asbm:
        pytest.skip(f"{name} has no ASBM satellite")
    sats = [satrec_from_orbit(o.orbit) for o in asbm]
    for obj, sat in zip(asbm, sats, strict=True):
        assert abs(period_h(sat) - 16.0) < 0.1, f"{obj.id}: period {period_h(sat):.2f} h"
        a_km = sat.a * 6378.135
        assert abs(a_km * (1 - sat.ecco) - EARTH_RADIUS_KM - 8100.0) < 100.0, obj.id  # perigee altitude
        assert abs(a_km * (1 + sat.ecco) - EARTH_RADIUS_KM - 43500.0) < 100.0, obj.id  # apogee altitude
        assert abs(math.degrees(sat.inclo) - 63.0) < 0.5, obj.id
        apogee_time_min = (math.pi - sat.mo) % (2 * math.pi) / sat.no_kozai
        assert sub_point(sat, apogee_time_min)[1] > 60.0, obj.id  # apogee over the Arctic
    if len(sats) == 2:  # one plane, half an orbit (8 h) apart
        assert abs(sats[0].nodeo - sats[1].nodeo) < 1e-6
        assert gap_deg(math.degrees(sats[0].mo - sats[1].mo), 180.0) < 1.0


@pytest.mark.parametrize("name", SHIPPED)
def test_named_families_are_in_their_regime(name: str) -> None:
    checked = 0
    for obj in named(load(name)):
        sat = satrec_from_orbit(obj.orbit)
        for pattern, expected in REGIME_BY_NAME.items():
            if re.search(pattern, obj.name):
                assert regime(sat) == expected, f"{obj.id} ({obj.name}) is {regime(sat)}"
                checked += 1
        if regime(sat) == "GEO" and sat.ecco < 0.01:
            assert abs(period_h(sat) - 23.93) < 0.05 or "inspector" in obj.name.lower(), obj.id
        if obj.name.startswith("GPS"):
            assert abs(period_h(sat) - 11.97) < 0.02, obj.id  # half a sidereal day
        if obj.name.startswith("Galileo"):
            assert abs(period_h(sat) - 14.08) < 0.02, obj.id
    assert checked >= 10
