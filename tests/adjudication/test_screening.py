"""Fast catalog screening against the brute-force sgp4 twin on small random catalogs."""

from __future__ import annotations

from datetime import timedelta

import numpy as np
import pytest

from wargame.adjudication.catalog import build_ephemeris
from wargame.adjudication.screening import screen_catalog
from wargame.adjudication.screening_reference import screen_reference
from wargame.bench.synthetic import EPOCH, standard_ruleset, synthetic_catalog

TOL_KM = 1.0
"""Allowed miss-distance difference between the fast screening and the brute-force sgp4 twin."""


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
