"""OMM elements give the same sgp4 record as the equivalent TLE; cohesion from reciprocity."""

from __future__ import annotations

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from wargame.adjudication.orbits import satrec_from_omm
from wargame.adjudication.scores import cohesion

ISS_TLE = (
    "1 25544U 98067A   24001.50000000  .00016717  00000-0  10270-3 0  9005",
    "2 25544  51.6416 247.4627 0006703 130.5360 325.0288 15.72125391428370",
)
ISS_OMM = {
    "OBJECT_NAME": "ISS (ZARYA)",
    "OBJECT_ID": "1998-067A",
    "EPOCH": "2024-01-01T12:00:00.000000",
    "MEAN_MOTION": 15.72125391,
    "ECCENTRICITY": 0.0006703,
    "INCLINATION": 51.6416,
    "RA_OF_ASC_NODE": 247.4627,
    "ARG_OF_PERICENTER": 130.5360,
    "MEAN_ANOMALY": 325.0288,
    "NORAD_CAT_ID": 25544,
    "BSTAR": 0.0001027,
    "MEAN_MOTION_DOT": 0.00016717,
    "MEAN_MOTION_DDOT": 0,
}


def test_omm_matches_tle() -> None:
    from_tle = Satrec.twoline2rv(*ISS_TLE, WGS72)
    from_omm = satrec_from_omm(ISS_OMM)
    jd = np.array([2460311.0, 2460311.5])
    fr = np.array([0.25, 0.75])
    _e1, r1, _v1 = from_tle.sgp4_array(jd, fr)
    _e2, r2, _v2 = from_omm.sgp4_array(jd, fr)
    assert np.max(np.abs(r1 - r2)) < 1e-3


def test_omm_missing_mean_motion_is_rejected() -> None:
    with pytest.raises(KeyError):
        satrec_from_omm({k: v for k, v in ISS_OMM.items() if k != "MEAN_MOTION"})


def test_cohesion_reciprocity() -> None:
    assert cohesion({"A": {"B": "withhold"}, "B": {"A": "withhold"}}) == 0.0
    assert cohesion({"A": {"B": "full"}, "B": {"A": "degraded"}}) == 1.0
    assert cohesion({"A": {"B": "full", "C": "full"}, "B": {"A": "full", "C": "withhold"},
                     "C": {"A": "withhold", "B": "withhold"}}) == pytest.approx(2 / 3)
