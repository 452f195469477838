"""Propagation shapes, TEME->ECEF, geodetic sub-points, regimes and manoeuvre elements."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
from adj_builders import START, geo, kep, make_ruleset

from wargame.adjudication.orbits import (
    REGIMES,
    ecef_to_geodetic,
    geodetic_to_ecef,
    gmst_rad,
    jd_grid,
    mean_keplerian_at,
    propagate,
    regime_index,
    satrec_from_orbit,
    state_vector_at,
    teme_to_ecef,
    time_grid,
)


def test_time_grid_includes_both_ends() -> None:
    offsets = time_grid(timedelta(hours=6), 7.0)
    assert offsets[0] == 0.0 and offsets[-1] == 360.0
    assert offsets.shape == (53,)
    assert np.all(np.diff(offsets) > 0)


def test_propagation_shapes_and_decay_flag() -> None:
    orbits = [kep(6928.0, 0.001, 97.5, 0, 0, 0), geo(10.0), kep(26560.0, 0.01, 55, 0, 0, 0)]
    offsets = time_grid(timedelta(hours=2), 10.0)
    jd, fr = jd_grid(START, offsets)
    pos, vel, decayed = propagate([satrec_from_orbit(o) for o in orbits], jd, fr)
    assert pos.shape == (3, offsets.size, 3) and vel.shape == (3, offsets.size, 3)
    assert decayed.shape == (3,) and not decayed.any()
    radius = np.linalg.norm(pos, axis=-1)
    assert np.allclose(radius[1], 42164.0, atol=30.0)


def test_geo_subpoint_stays_at_its_longitude_for_a_day() -> None:
    offsets = time_grid(timedelta(days=1), 30.0)
    jd, fr = jd_grid(START, offsets)
    pos, _vel, _dec = propagate([satrec_from_orbit(geo(-100.0))], jd, fr)
    lat, lon, alt = ecef_to_geodetic(teme_to_ecef(pos, gmst_rad(jd, fr)))
    assert np.max(np.abs(lon - (-100.0))) < 0.1
    assert np.max(np.abs(lat)) < 0.1
    assert np.allclose(alt, 35786.0, atol=20.0)


def test_geodetic_round_trip() -> None:
    rng = np.random.default_rng(3)
    lat = rng.uniform(-89, 89, 50)
    lon = rng.uniform(-180, 180, 50)
    alt = rng.uniform(0, 40000, 50)
    lat2, lon2, alt2 = ecef_to_geodetic(geodetic_to_ecef(lat, lon, alt))
    assert np.allclose(lat2, lat, atol=1e-9)
    assert np.allclose(lon2, lon, atol=1e-9)
    assert np.allclose(alt2, alt, atol=1e-6)


def test_regimes() -> None:
    rules = make_ruleset().regimes
    cases = {
        "LEO": kep(6928.0, 0.001, 97.5, 0, 0, 0),
        "MEO": kep(26560.0, 0.01, 55, 0, 0, 0),
        "GEO": geo(0.0),
        "HEO": kep(26600.0, 0.72, 63.4, 0, 270, 0),
    }
    for name, orbit in cases.items():
        assert REGIMES[regime_index(satrec_from_orbit(orbit), rules)] == name


def test_mean_elements_round_trip_without_dv() -> None:
    orbit = kep(7000.0, 0.001, 98.0, 10.0, 20.0, 30.0)
    moment = START + timedelta(hours=30)
    new, _radius = mean_keplerian_at(orbit, moment)
    assert new.epoch == moment
    for hours in (0.0, 6.0):
        p_old, _ = state_vector_at(orbit, moment + timedelta(hours=hours))
        p_new, _ = state_vector_at(new, moment + timedelta(hours=hours))
        assert np.linalg.norm(p_old - p_new) < 0.05


def test_float32_rotation_kernel_equals_the_numpy_rotation() -> None:
    from wargame.adjudication.orbits import teme_to_ecef32

    rng = np.random.default_rng(2)
    pos = rng.normal(size=(50, 7, 3)) * 7000.0
    gmst = rng.uniform(0.0, 2.0 * math.pi, 7)
    fast = teme_to_ecef32(pos, gmst)
    assert fast.dtype == np.float32
    assert np.array_equal(fast, teme_to_ecef(pos, gmst, dtype=np.float32))
