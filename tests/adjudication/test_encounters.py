"""A nation's estimated states at TCA: they give its warning's miss and Pc exactly, scatter by its
sigmas, and are keyed draws that do not depend on which other warnings are estimated."""

from __future__ import annotations

import numpy as np
import pytest

from wargame.adjudication.cdm import encounter_plane, pc_2d
from wargame.adjudication.conjunction import pc_isotropic
from wargame.adjudication.encounters import (
    STATE_DRAWS,
    declared_secondary,
    encounter_estimates,
    estimated_states,
)
from wargame.adjudication.estimates import estimated_plane

PC_REL_TOLERANCE = 1e-9
"""The warning's Pc (series, isotropic) against Foster's 2D integral on the estimate's states
and RTN covariances (cdm.pc_2d): measured below 5e-12 on the shipped scenarios."""
MU = 398600.8


def _circular(rng: np.random.Generator, n: int, radius_km: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """(n, 3) positions on spheres of `radius_km` and circular velocities of random planes."""
    pos = rng.normal(size=(n, 3))
    pos *= (radius_km / np.linalg.norm(pos, axis=1))[:, None]
    normal = np.cross(pos, rng.normal(size=(n, 3)))
    normal /= np.linalg.norm(normal, axis=1)[:, None]
    vel = np.cross(normal, pos / radius_km[:, None]) * np.sqrt(MU / radius_km)[:, None]
    return pos, vel


def _encounters(seed: int, n: int, sigma1: float | None = None, sigma2: float | None = None) -> dict:
    """True states of n encounters (LEO to GEO): the other object `miss` from the asset, normal
    to the relative velocity, with the nation's in-plane estimate and state draws."""
    rng = np.random.default_rng(seed)
    radius = rng.uniform(6700.0, 42200.0, n)
    r1, v1 = _circular(rng, n, radius)
    _r, v2 = _circular(rng, n, radius)
    miss = rng.uniform(0.0, 3.0, n)
    r2 = declared_secondary(r1, v1, v2, miss)
    s1 = np.full(n, sigma1) if sigma1 is not None else rng.uniform(0.03, 2.0, n)
    s2 = np.full(n, sigma2) if sigma2 is not None else rng.uniform(0.03, 2.0, n)
    plane = estimated_plane(miss, np.hypot(s1, s2), (seed, "plane"))
    noise = rng.normal(size=(n, STATE_DRAWS))
    return {"true": (r1, v1, r2, v2), "miss": miss, "plane": plane, "s1": s1, "s2": s2, "noise": noise}


def test_a_declared_secondary_is_at_the_miss_normal_to_the_relative_velocity() -> None:
    case = _encounters(1, 200)
    r1, v1, r2, v2 = case["true"]
    assert np.allclose(np.linalg.norm(r2 - r1, axis=1), case["miss"], atol=1e-9)
    assert np.allclose(np.einsum("ij,ij->i", r2 - r1, v2 - v1), 0.0, atol=1e-9)


@pytest.mark.parametrize("seed", range(3))
def test_the_estimated_states_give_the_warnings_miss_and_pc(seed: int) -> None:
    case = _encounters(seed, 60)
    r1, v1, r2, v2 = estimated_states(*case["true"], case["plane"], case["s1"], case["s2"], case["noise"])
    miss_km = np.hypot(case["plane"][:, 0], case["plane"][:, 1])
    assert np.allclose(np.linalg.norm(r2 - r1, axis=1), miss_km, rtol=0.0, atol=1e-9)
    assert np.allclose(np.einsum("ij,ij->i", r2 - r1, v2 - v1), 0.0, atol=1e-8)  # at the TCA
    radius_m = 10.0
    pc_series = pc_isotropic(miss_km, np.hypot(case["s1"], case["s2"]), radius_m / 1000.0)
    for k in range(miss_km.size):
        c1, c2 = np.eye(3) * (case["s1"][k] * 1e3) ** 2, np.eye(3) * (case["s2"][k] * 1e3) ** 2
        miss_m, cov_m2 = encounter_plane(r1[k], v1[k], c1, r2[k], v2[k], c2)
        assert np.linalg.norm(miss_m) == pytest.approx(miss_km[k] * 1e3, abs=1e-6)
        if pc_series[k] > 1e-12:
            assert pc_2d(miss_m, cov_m2, radius_m) == pytest.approx(pc_series[k], rel=PC_REL_TOLERANCE)


def test_each_object_is_off_by_its_own_sigma_in_the_encounter_plane() -> None:
    n, s1, s2 = 40_000, 0.2, 0.6
    case = _encounters(7, n, s1, s2)
    t1, tv1, t2, tv2 = case["true"]
    r1, v1, r2, v2 = estimated_states(*case["true"], case["plane"], case["s1"], case["s2"], case["noise"])
    y_hat = (v2 - v1) / np.linalg.norm(v2 - v1, axis=1)[:, None]

    def in_plane(error: np.ndarray) -> np.ndarray:
        return error - np.einsum("ij,ij->i", error, y_hat)[:, None] * y_hat

    # Two independent axes of sigma each: E|e|^2 = 2 sigma^2 in the plane.
    assert np.mean(np.sum(in_plane(r1 - t1) ** 2, axis=1)) == pytest.approx(2 * s1**2, rel=0.03)
    assert np.mean(np.sum(in_plane(r2 - t2) ** 2, axis=1)) == pytest.approx(2 * s2**2, rel=0.03)
    # Along the relative velocity only the common-mode error: s1 s2 / sqrt(s1^2 + s2^2).
    along = np.einsum("ij,ij->i", r1 - t1, y_hat)
    assert np.std(along) == pytest.approx(s1 * s2 / np.hypot(s1, s2), rel=0.03)
    rate1 = np.linalg.norm(tv1, axis=1) / np.linalg.norm(t1, axis=1)
    rate2 = np.linalg.norm(tv2, axis=1) / np.linalg.norm(t2, axis=1)
    assert np.mean(np.sum((v1 - tv1) ** 2, axis=1) / rate1**2) == pytest.approx(3 * s1**2, rel=0.03)
    assert np.mean(np.sum((v2 - tv2) ** 2, axis=1) / rate2**2) == pytest.approx(3 * s2**2, rel=0.03)


def test_estimates_are_keyed_and_do_not_depend_on_the_other_rows() -> None:
    case = _encounters(3, 8)
    true, plane = case["true"], case["plane"]
    every = encounter_estimates(true, plane, case["s1"], case["s2"], (5, 2, "conjunctions", "USA"))
    assert every == encounter_estimates(true, plane, case["s1"], case["s2"], (5, 2, "conjunctions", "USA"))
    rows = np.array([2, 5])
    some = encounter_estimates(
        tuple(x[rows] for x in true), plane[rows], case["s1"][rows], case["s2"][rows],
        (5, 2, "conjunctions", "USA"), rows,
    )
    assert some == [every[2], every[5]]
    other = encounter_estimates(true, plane, case["s1"], case["s2"], (5, 2, "conjunctions", "GBR"))
    assert all(a != b for a, b in zip(every, other, strict=True))


def test_an_object_sgp4_cannot_place_gives_no_estimate() -> None:
    case = _encounters(4, 3)
    r1, v1, r2, v2 = (x.copy() for x in case["true"])
    r2[1] = np.nan
    out = encounter_estimates((r1, v1, r2, v2), case["plane"], case["s1"], case["s2"], ("k",))
    assert out[0] is not None and out[1] is None and out[2] is not None
