"""Estimates, not truth: a seat's positions are drawn from its own covariance, delayed tracks
sit at their old epoch, and the draws are seeded and reproducible."""

from __future__ import annotations

from datetime import UTC, datetime

import numpy as np
import pytest

from tests.factories import make_created, run_command, share
from wargame.adjudication.estimates import estimated_miss, standard_normals
from wargame.adjudication.orbits import geodetic_to_ecef
from wargame.adjudication.picture_set import truth_from
from wargame.adjudication.rendering import nation_picture
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario.synthetic import generate_catalog
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EX = "estimates"


def test_keyed_normals_are_standard_reproducible_and_independent_per_key() -> None:
    draws = standard_normals((7, 1, "picture", "USA"), 200_000)
    assert abs(draws.mean()) < 0.01 and abs(draws.std() - 1.0) < 0.01
    assert np.array_equal(draws, standard_normals((7, 1, "picture", "USA"), 200_000))
    other = standard_normals((7, 1, "picture", "GBR"), 200_000)
    assert abs(np.corrcoef(draws, other)[0, 1]) < 0.01
    assert standard_normals((1,), 5).shape == (5,)


def test_an_estimated_miss_scatters_by_the_combined_sigma() -> None:
    n = 50_000
    miss, pc = estimated_miss(np.full(n, 2.0), np.full(n, 0.5), 0.01, ("miss",))
    # |(2 + 0.5 z1, 0.5 z2)|: mean ~ 2.06, spread ~ 0.5
    assert abs(miss.mean() - 2.06) < 0.02 and abs(miss.std() - 0.5) < 0.02
    assert np.all(pc >= 0.0) and np.all(pc <= 1.0)


def _exercise(level: str) -> ExerciseService:
    """A unit exercise with 3,000 background objects; GBR has no public catalog and receives
    USA's tracks at `level`; two moves adjudicated."""
    created = make_created()
    nations = tuple(
        n.model_copy(update={"public_catalog": n.id != "GBR"}) for n in created.scenario.nations
    )
    scenario = created.scenario.model_copy(update={"nations": nations})
    created = created.model_copy(update={"scenario": scenario})
    background = generate_catalog(3000, 4, datetime(2027, 3, 1, tzinfo=UTC), "bg")
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create(EX, created, background)
    for viewer, command in (
        ("team:USA", share("GBR", level)),
        ("white_cell", {"type": "start_exercise"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
        ("white_cell", {"type": "advance_move", "from_move": 2}),
    ):
        assert run_command(service, EX, viewer, command)["status"] == "accepted", command
    return service


def _errors_over_sigma(service: ExerciseService, previous: bool) -> tuple[np.ndarray, np.ndarray]:
    """For GBR's shared-only rows of the latest move: |estimate - truth| / sigma per axis (the
    truth at the current epoch, or the previous one), and whether each row is delayed."""
    state = service.state(EX)
    pictures = state.pictures[-1]
    blobs = service.blobs([d for d in (pictures.custody, pictures.truth, pictures.previous_custody,
                                       pictures.previous_truth) if d])
    picture = nation_picture("GBR", pictures, blobs, state.ruleset, state.seed)
    truth = truth_from(blobs, pictures.previous_truth if previous else pictures.truth)
    assert truth is not None
    shared = np.flatnonzero(picture.source == 2)  # 'shared': USA's data alone
    assert shared.size > 200, "GBR should hold hundreds of objects through USA alone"
    estimate = geodetic_to_ecef(picture.lat_deg[shared], picture.lon_deg[shared], picture.alt_km[shared])
    error = np.linalg.norm(estimate - truth.pos_ecef_km[picture.index[shared]], axis=1)
    return error / picture.sigma_km[shared], picture.delayed[shared]


def test_a_degraded_partner_track_is_off_by_about_its_sigma() -> None:
    ratio, delayed = _errors_over_sigma(_exercise("degraded"), previous=False)
    assert not delayed.any()
    # A 3D isotropic error of sigma per axis: E[|e|^2 / sigma^2] = 3.
    assert np.mean(ratio**2) == pytest.approx(3.0, rel=0.15)
    assert 0.05 < np.mean(ratio < 1.0) < 0.4  # chi(3): P(|e| < sigma) = 0.2


def test_a_delayed_track_is_at_its_old_epoch() -> None:
    service = _exercise("delayed")
    ratio_old, delayed = _errors_over_sigma(service, previous=True)
    ratio_now, _ = _errors_over_sigma(service, previous=False)
    assert delayed.all()
    assert np.mean(ratio_old**2) == pytest.approx(3.0, rel=0.2)  # near where it was a move ago
    assert np.median(ratio_now) > 20.0  # far from where the object is now


def test_a_degraded_release_inflates_the_partners_sigma_by_the_ruleset_factor() -> None:
    """The same USA tracks released full and degraded: each GBR shared-only row's sigma grows by
    sharing.degraded_sigma_factor, and either is off the truth by about its own sigma."""
    by_level = {}
    for level in ("full", "degraded"):
        service = _exercise(level)
        state = service.state(EX)
        pictures = state.pictures[-1]
        digests = (pictures.custody, pictures.truth, pictures.previous_custody, pictures.previous_truth)
        blobs = service.blobs([d for d in digests if d])
        picture = nation_picture("GBR", pictures, blobs, state.ruleset, state.seed)
        shared = picture.source == 2
        rows, sigmas = picture.index[shared].tolist(), picture.sigma_km[shared].tolist()
        by_level[level] = dict(zip(rows, sigmas, strict=True))
        ratio, _delayed = _errors_over_sigma(service, previous=False)
        assert np.mean(ratio**2) == pytest.approx(3.0, rel=0.15), level
    common = sorted(set(by_level["full"]) & set(by_level["degraded"]))
    assert len(common) > 200
    factor = np.array([by_level["degraded"][k] / by_level["full"][k] for k in common])
    expected = state.ruleset.sharing.degraded_sigma_factor
    assert expected > 1 and np.allclose(factor, expected, rtol=1e-3)
