"""Foster 2D Pc (isotropic) against closed forms and the reference twin; screening."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from adj_builders import START, kep, make_state

from wargame.adjudication import reference
from wargame.adjudication.catalog import build_catalog, build_ephemeris
from wargame.adjudication.conjunction import pc_isotropic
from wargame.adjudication.screening import screen_catalog
from wargame.domain.state import AssetState


@pytest.mark.parametrize("sigma_km", [0.005, 0.02, 0.1, 1.0, 5.0])
def test_pc_zero_miss_closed_form(sigma_km: float) -> None:
    radius_km = 0.02
    want = 1.0 - math.exp(-(radius_km**2) / (2 * sigma_km**2))
    assert float(pc_isotropic(np.array(0.0), np.array(sigma_km), radius_km)) == pytest.approx(want, rel=1e-10)


def test_pc_matches_reference_integral_on_random_cases() -> None:
    rng = np.random.default_rng(5)
    miss = rng.uniform(0.0, 0.2, 12)
    sigma = rng.uniform(0.01, 0.3, 12)
    radius = rng.uniform(0.005, 0.02, 12)
    fast = pc_isotropic(miss, sigma, radius)
    for k in range(12):
        ref = reference.pc_reference(float(miss[k]), float(sigma[k]), float(radius[k]), n_r=60)
        assert fast[k] == pytest.approx(ref, rel=2e-3, abs=1e-12)


def test_pc_limits_and_monotonic() -> None:
    assert float(pc_isotropic(np.array(10.0), np.array(0.01), 0.01)) == 0.0
    assert float(pc_isotropic(np.array(0.0), np.array(0.0), 0.01)) == 1.0
    misses = np.linspace(0.0, 1.0, 50)
    pcs = pc_isotropic(misses, np.full(50, 0.2), 0.01)
    assert np.all(np.diff(pcs) < 0)
    assert pcs.shape == (50,)


def test_screening_finds_coorbital_pair_at_known_range() -> None:
    state = make_state()
    a_km = 7000.0
    lag_deg = math.degrees(2 * math.asin(2.0 / (2 * a_km)))  # 2 km chord
    lead = kep(a_km, 0.0005, 51.6, 10.0, 0.0, 0.0)
    chaser = kep(a_km, 0.0005, 51.6, 10.0, 0.0, 360.0 - lag_deg)
    assets = dict(state.assets)
    assets["USA-LEO"] = assets["USA-LEO"].model_copy(update={"orbit": lead})
    assets["DEB-1"] = AssetState(id="DEB-1", owner=None, orbit=chaser)
    state = state.model_copy(update={"assets": assets})
    catalog = build_catalog(state, {})
    eph = build_ephemeris(catalog, START, timedelta(hours=2), 2.0)
    mask = np.array([o is not None for o in catalog.owner]) & catalog.is_payload
    hits = screen_catalog(catalog, eph, mask, 5.0)
    pairs = {(catalog.ids[p], catalog.ids[s]) for p, s in zip(hits.primary, hits.secondary, strict=True)}
    assert ("USA-LEO", "DEB-1") in pairs
    k = [
        catalog.ids[p] == "USA-LEO" and catalog.ids[s] == "DEB-1"
        for p, s in zip(hits.primary, hits.secondary, strict=True)
    ].index(True)
    assert 1.5 < hits.miss_km[k] < 2.5
    assert not any(p == s for p, s in zip(hits.primary, hits.secondary, strict=True))
