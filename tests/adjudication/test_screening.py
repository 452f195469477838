"""Fast catalog screening against the brute-force sgp4 twin on small random catalogs."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from wargame.adjudication.catalog import build_ephemeris
from wargame.adjudication.kepler import interpolate_states
from wargame.adjudication.screening import screen_catalog
from wargame.adjudication.screening_reference import screen_reference
from wargame.bench.synthetic import EPOCH, standard_ruleset, synthetic_catalog

TOL_KM = 1.0
"""Interpolant (two-body + J2 between 15-min sgp4 samples) against sgp4 itself."""


def test_interpolant_matches_sgp4_between_samples() -> None:
    catalog = synthetic_catalog(standard_ruleset(), 200, 5, seed=3)
    eph = build_ephemeris(catalog, EPOCH, timedelta(hours=6), 15.0)
    rng = np.random.default_rng(0)
    obj = np.flatnonzero(~eph.decayed)[:150]
    t_s = rng.uniform(0.0, 6 * 3600.0, obj.size)
    pos, vel = interpolate_states(eph.pos_teme_km, eph.vel_teme_km_per_s, 900.0, obj, t_s)
    assert pos.shape == (obj.size, 3) and vel.shape == (obj.size, 3)
    for k in range(obj.size):
        _e, r, _v = catalog.satrecs[obj[k]].sgp4(float(eph.jd[0]), float(eph.fr[0]) + t_s[k] / 86400.0)
        assert np.linalg.norm(np.asarray(r) - pos[k]) < TOL_KM


@pytest.mark.parametrize("seed", [1, 2])
def test_fast_screening_matches_brute_force(seed: int) -> None:
    distance_km = 80.0
    catalog = synthetic_catalog(standard_ruleset(), 300, 12, seed=seed)
    hours = 3.0
    eph = build_ephemeris(catalog, EPOCH, timedelta(hours=hours), 15.0)
    hits = screen_catalog(catalog, eph, catalog.is_payload, distance_km)
    fast = {
        (int(p), int(s)): (float(m), float(t) * 60.0)
        for p, s, m, t in zip(hits.primary, hits.secondary, hits.miss_km, hits.tca_offset_min, strict=True)
    }
    ref = screen_reference(
        catalog.satrecs, np.flatnonzero(catalog.is_payload).tolist(), EPOCH, hours * 3600.0,
        distance_km + TOL_KM,
    )
    assert len(ref) > 0
    for pair, (miss, _tca) in ref.items():
        if miss < distance_km - TOL_KM:
            assert pair in fast, (pair, miss)
    for pair, (miss, tca) in fast.items():
        assert pair in ref, (pair, miss)
        assert abs(ref[pair][0] - miss) < TOL_KM
        assert abs(ref[pair][1] - tca) < 60.0
