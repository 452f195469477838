"""SGP4 mean elements fitted to states: they give the state back, and a TLE's own elements back."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import pytest
from sgp4.api import WGS72, Satrec

from wargame.adjudication.mean_elements import FIT_TOLERANCE_KM, classical, equinoctial, fit_mean_elements
from wargame.adjudication.orbits import SGP4_EPOCH

SAMPLE = Path(__file__).resolve().parents[1] / "scenario" / "data" / "space" / "alpha5.tle"


def _sats() -> list[Satrec]:
    lines = SAMPLE.read_text(encoding="utf-8").splitlines()
    return [Satrec.twoline2rv(lines[k + 1], lines[k + 2], WGS72) for k in range(0, len(lines), 3)]


def test_equinoctial_elements_have_no_singularity_at_zero_eccentricity_or_inclination() -> None:
    r = np.array([[42164.0, 0.0, 0.0], [7000.0, 0.0, 0.0]])
    v = np.array([[0.0, 3.0747, 0.0], [0.0, 7.546, 0.0]])  # circular-ish, equatorial
    elements = equinoctial(r, v)
    assert np.all(np.isfinite(elements))
    assert elements[:, 3:5] == pytest.approx(np.zeros((2, 2)))
    back = classical(elements)
    assert np.all(np.isfinite(back)) and back[:, 2] == pytest.approx([0.0, 0.0])


def test_fits_reproduce_each_state_and_recover_the_elements() -> None:
    sats = _sats()
    epoch = datetime(2027, 3, 1, 12, tzinfo=UTC)
    states = []
    for sat in sats:
        element_epoch = sat.jdsatepoch - 2433281.5 + sat.jdsatepochF  # days since SGP4_EPOCH
        minutes = ((epoch - SGP4_EPOCH) / timedelta(days=1) - element_epoch) * 1440
        err, r, v = sat.sgp4_tsince(minutes)
        assert err == 0
        states.append((r, v))
    positions = np.array([s[0] for s in states])
    velocities = np.array([s[1] for s in states])
    fits, miss = fit_mean_elements(
        positions, velocities, epoch, np.array([s.bstar for s in sats]), [s.satnum for s in sats]
    )
    assert np.all(miss < FIT_TOLERANCE_KM)
    for fit, sat, r in zip(fits, sats, positions, strict=True):
        assert fit is not None
        _err, got, _v = fit.sgp4_tsince(0.0)
        assert np.linalg.norm(np.array(got) - r) < FIT_TOLERANCE_KM
        assert fit.no_kozai == pytest.approx(sat.no_kozai, rel=1e-5)  # the same orbit, another epoch
        assert fit.inclo == pytest.approx(sat.inclo, abs=1e-4)
        assert fit.satnum == sat.satnum
