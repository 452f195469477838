"""The numba screening kernel against its pure-Python twin and against sgp4."""

from __future__ import annotations

from datetime import timedelta

import numba
import numpy as np
import pytest

from wargame.adjudication import screening_kernel as sk
from wargame.adjudication.catalog import build_ephemeris
from wargame.adjudication.screening import screen_fast
from wargame.adjudication.screening_kernel import hermite_states
from wargame.bench.synthetic import EPOCH, standard_ruleset, synthetic_catalog


@pytest.mark.parametrize("seed", [1, 2])
def test_jit_kernel_matches_pure_python_twin(seed: int) -> None:
    catalog = synthetic_catalog(standard_ruleset(), 300, 12, seed=seed)
    eph = build_ephemeris(catalog, EPOCH, timedelta(hours=3), 15.0)
    fast = screen_fast(eph, catalog.is_payload, 80.0)
    slow = screen_fast(eph, catalog.is_payload, 80.0, use_jit=False)
    for a, b in zip(fast, slow, strict=True):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-9)
    assert fast[0].size > 0
    assert int(fast[4][0]) >= int(fast[4][1]) + int(fast[4][2])


def test_quintic_hermite_matches_sgp4_between_samples() -> None:
    catalog = synthetic_catalog(standard_ruleset(), 200, 5, seed=3)
    eph = build_ephemeris(catalog, EPOCH, timedelta(hours=6), 15.0)
    rng = np.random.default_rng(0)
    obj = np.flatnonzero(~eph.decayed)[:150].astype(np.int64)
    t_s = rng.uniform(0.0, 6 * 3600.0, obj.size)
    pos, _vel = hermite_states(eph.pos_teme_km, eph.vel_teme_km_per_s, obj, t_s, 900.0)
    err = [
        np.linalg.norm(
            np.asarray(catalog.satrecs[obj[k]].sgp4(float(eph.jd[0]), float(eph.fr[0]) + t_s[k] / 86400.0)[1])
            - pos[k]
        )
        for k in range(obj.size)
    ]
    assert max(err) < 1.0
    assert float(np.median(err)) < 0.05



def test_parallel_screening_is_identical_to_the_serial_build(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    catalog = synthetic_catalog(standard_ruleset(), 600, 40, seed=4)
    eph = build_ephemeris(catalog, EPOCH, timedelta(hours=6), 15.0)
    parallel = screen_fast(eph, catalog.is_payload, 1500.0)
    assert np.bincount(parallel[1]).max() > sk.HIT_SLOTS, "an object must overflow its slots"
    monkeypatch.setattr(sk, "THREADSAFE", False)
    serial = screen_fast(eph, catalog.is_payload, 1500.0)
    for a, b in zip(parallel, serial, strict=True):
        assert np.array_equal(a, b)
    assert numba.get_num_threads() > 1 or not sk.THREADSAFE, "the parallel build ran on one thread"
