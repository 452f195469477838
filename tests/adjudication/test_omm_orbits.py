"""A scenario OMM orbit propagates like the TLE of the same element set, classifies and manoeuvres."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import numpy as np
from adj_builders import make_ruleset
from sgp4.exporter import export_tle

from wargame.adjudication.burns import mean_keplerian_after_burn
from wargame.adjudication.orbits import (
    REGIMES,
    jd_grid,
    propagate,
    regime_index,
    satrec_from_orbit,
    state_vector_at,
    time_grid,
)
from wargame.domain.scenario_model import KeplerianOrbit, OmmOrbit, TleOrbit

ISS = OmmOrbit.model_validate(
    {"kind": "omm", "OBJECT_NAME": "ISS (ZARYA)", "OBJECT_ID": "1998-067A",
     "EPOCH": "2024-01-01T12:00:00.000000", "MEAN_MOTION": 15.50103472, "ECCENTRICITY": 0.0005763,
     "INCLINATION": 51.6416, "RA_OF_ASC_NODE": 247.4627, "ARG_OF_PERICENTER": 130.536,
     "MEAN_ANOMALY": 325.0288, "EPHEMERIS_TYPE": 0, "CLASSIFICATION_TYPE": "U", "NORAD_CAT_ID": 25544,
     "ELEMENT_SET_NO": 999, "REV_AT_EPOCH": 43241, "BSTAR": 0.00034123, "MEAN_MOTION_DOT": 0.00001103,
     "MEAN_MOTION_DDOT": 0}
)
GEO = OmmOrbit(
    kind="omm", epoch=datetime(2024, 1, 1, tzinfo=UTC), mean_motion_rev_per_day=1.00273791,
    eccentricity=0.0002, inclination_deg=0.05, ra_of_asc_node_deg=80.0, arg_of_pericenter_deg=10.0,
    mean_anomaly_deg=200.0,
)


def test_omm_and_the_tle_of_the_same_elements_propagate_alike() -> None:
    for orbit in (ISS, GEO):
        line1, line2 = export_tle(satrec_from_orbit(orbit))
        tle = TleOrbit(kind="tle", line1=line1, line2=line2)
        jd, fr = jd_grid(orbit.epoch, time_grid(timedelta(days=2), 37.0))
        pos_omm, vel_omm, decayed = propagate([satrec_from_orbit(orbit)], jd, fr)
        pos_tle, vel_tle, _ = propagate([satrec_from_orbit(tle)], jd, fr)
        assert not decayed.any()
        assert np.max(np.linalg.norm(pos_omm - pos_tle, axis=-1)) < 1e-6
        assert np.max(np.linalg.norm(vel_omm - vel_tle, axis=-1)) < 1e-9


def test_the_record_keeps_its_catalog_fields() -> None:
    sat = satrec_from_orbit(ISS)
    assert (sat.satnum, sat.intldesg, sat.classification, sat.revnum) == (25544, "98067A", "U", 43241)
    assert export_tle(sat)[0].startswith("1 25544U 98067A   24001.50000000  .00001103")


def test_regimes_of_omm_orbits() -> None:
    rules = make_ruleset().regimes
    assert REGIMES[regime_index(satrec_from_orbit(ISS), rules)] == "LEO"
    assert REGIMES[regime_index(satrec_from_orbit(GEO), rules)] == "GEO"


def test_an_omm_orbit_manoeuvres_into_keplerian_elements() -> None:
    moment = ISS.epoch + timedelta(hours=2)
    burned = mean_keplerian_after_burn(ISS, moment, (0.0, 1.0, 0.5))
    assert isinstance(burned, KeplerianOrbit) and burned.epoch == moment
    before, _ = state_vector_at(ISS, moment)
    after, _ = state_vector_at(burned, moment)
    assert np.linalg.norm(after - before) < 0.1
