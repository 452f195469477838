"""Breakup model: NASA counts, the size power law, fast/reference agreement, and debris in play."""

from __future__ import annotations

import math
from datetime import timedelta

import numpy as np
import pytest
from adj_builders import KNOWN_BLOBS, adjudicate, initial, make_ruleset, make_state, pictures_by_nation

from wargame.adjudication.catalog import build_catalog, build_ephemeris
from wargame.adjudication.debris import (
    Breakup,
    BreakupDraws,
    expected_fragments,
    fragment_elements,
    fragment_sizes_m,
    generate_debris,
    law_of,
)
from wargame.adjudication.manoeuvres import Truth
from wargame.adjudication.screening import screen_catalog
from wargame.adjudication.threat_reference import reference_fragments
from wargame.domain.common import InjectType
from wargame.domain.events import DebrisCreated, EventBody, MoveAdvanced
from wargame.domain.evolve import evolve_body
from wargame.domain.ids import fragment_id
from wargame.domain.scenario_model import Inject, KeplerianOrbit
from wargame.domain.state import ExerciseState

RULES = make_ruleset().debris


def _apply(state: ExerciseState, bodies: list[EventBody]) -> ExerciseState:
    for body in bodies:
        state = evolve_body(state, body)
    return state


def test_fragment_counts_follow_the_nasa_formulas() -> None:
    collision = expected_fragments(RULES.collision, 1.0, 1000.0, 0.1)
    assert math.isclose(collision, 0.1 * 1000.0**0.75 * 0.1**-1.71)
    explosion = expected_fragments(RULES.explosion, 1.0, 1000.0, 0.1)
    assert math.isclose(explosion, 6.0 * 0.1**-1.6)
    assert math.isclose(expected_fragments(RULES.explosion, 0.5, 1.0, 0.1), explosion / 2.0)
    # DOMAIN: Cosmos 1408 (~2 t) made more than 1,500 tracked pieces.
    assert 1500 < expected_fragments(RULES.collision, 1.0, 2000.0, 0.1) < 3000


@pytest.mark.parametrize("size_exponent", [1.6, 1.71])
def test_sizes_follow_the_power_law_per_bin(size_exponent: float) -> None:
    n = 200_000
    u = np.random.default_rng(7).random(n)
    sizes = fragment_sizes_m(u, 0.1, 10.0, size_exponent)
    edges = np.array([0.1, 0.13, 0.2, 0.3, 0.5, 1.0, 3.0])
    counts, _ = np.histogram(sizes, bins=edges)
    cumulative = (edges / 0.1) ** -size_exponent  # N(>L) / N(>L_c)
    expected = n * (cumulative[:-1] - cumulative[1:])
    sigma = np.sqrt(expected * (1.0 - expected / n))
    assert np.all(np.abs(counts - expected) < 5.0 * sigma + 1.0), (counts, expected)
    assert np.all(np.abs(counts - expected) / expected < 0.1)
    assert sizes.min() >= 0.1 and sizes.max() <= 10.0


def _random_parent(rng: np.random.Generator) -> np.ndarray:
    a_km = rng.uniform(6878.0, 42164.0)
    return np.array(
        [
            a_km,
            rng.uniform(0.0, 0.3) if rng.random() < 0.8 else 0.0,
            rng.uniform(0.0, 180.0) if rng.random() < 0.8 else 0.0,
            rng.uniform(0.0, 360.0),
            rng.uniform(0.0, 360.0),
            rng.uniform(0.0, 360.0),
        ]
    )


def _angle_gap(a: np.ndarray, b: np.ndarray) -> np.ndarray:
    return np.abs((a - b + 180.0) % 360.0 - 180.0)


@pytest.mark.parametrize("seed", range(12))
def test_fast_generator_matches_the_reference_on_the_same_draws(seed: int) -> None:
    rng = np.random.default_rng(seed)
    parent = _random_parent(rng)
    draws = BreakupDraws.draw(rng, int(rng.integers(1, 25)))
    cause = RULES.causes[InjectType.DIRECT_ASCENT_ASAT if seed % 2 else InjectType.CO_ORBITAL]
    law = law_of(RULES, cause)
    sizes, dv, elements, keep = fragment_elements(parent, draws, RULES, law)
    slow = reference_fragments(
        parent.tolist(),
        draws.u_size.tolist(),
        draws.z_area.tolist(),
        draws.z_dv.tolist(),
        draws.z_dir.tolist(),
        RULES,
        law,
    )
    assert sizes.shape == (len(slow),) and dv.shape == (len(slow), 3) and elements.shape == (6, len(slow))
    np.testing.assert_allclose(sizes, [f.size_m for f in slow], rtol=1e-12, atol=0.0)
    np.testing.assert_allclose(dv, [f.dv_m_per_s for f in slow], rtol=1e-12, atol=1e-12)
    ref = np.array([f.elements for f in slow]).T
    np.testing.assert_allclose(elements[:3], ref[:3], rtol=1e-9, atol=1e-9)
    assert np.all(_angle_gap(elements[3:], ref[3:]) < 1e-7)
    assert keep.tolist() == [f.cataloged for f in slow]


def test_zero_delta_v_returns_the_parent_elements() -> None:
    parent = np.array([7000.0, 0.01, 51.6, 30.0, 60.0, 90.0])
    draws = BreakupDraws(np.zeros(1), np.zeros(1), np.full(1, -50.0), np.array([[1.0, 0.0, 0.0]]))
    _sizes, dv, elements, keep = fragment_elements(parent, draws, RULES, RULES.collision)
    assert np.all(np.abs(dv) < 1e-12) and keep.all()
    np.testing.assert_allclose(elements[:, 0], parent, rtol=1e-9, atol=1e-8)


def _asat_state(offset_hours: float = 1.0) -> ExerciseState:
    inject = Inject(
        id="asat",
        title="ASAT",
        type=InjectType.DIRECT_ASCENT_ASAT,
        target="USA-LEO",
        actor="RED",
        offset_hours=offset_hours,
    )
    state = make_state(injects=(inject,), seed=5)
    return _apply(state, initial(state))


def test_asat_kill_creates_debris_in_ground_truth_and_next_move_catalog() -> None:
    state = _asat_state(offset_hours=5.9)
    events = adjudicate(state)
    (debris,) = [e for e in events if isinstance(e, DebrisCreated)]
    assert debris.parent_id == "USA-LEO" and debris.cause == "direct_ascent_asat"
    assert debris.inject_id == "asat"
    assert debris.n_trackable > 1500
    table = debris.fragments
    assert 0 < len(table.ids) <= state.ruleset.debris.max_fragments_cataloged
    assert table.ids[0] == fragment_id(state, "USA-LEO", 0) and table.ids[0].startswith("USA-LEO-frag-")
    assert len(set(table.ids)) == len(table.ids)
    assert table.epoch == state.move_start(1) + timedelta(hours=5.9)
    kinds = [e.type for e in events]
    assert kinds.index("debris_created") > kinds.index("inject_resolved")
    assert kinds.index("debris_created") < kinds.index("picture_updated")

    after = _apply(state, [e for e in events])
    frag = after.assets[table.ids[0]]
    assert frag.kind == "debris" and frag.parent == "USA-LEO" and frag.owner is None
    assert isinstance(frag.orbit, KeplerianOrbit) and frag.orbit.epoch == table.epoch
    assert set(table.ids) <= set(after.assets)

    nxt = evolve_body(after, MoveAdvanced(move=2, scenario_time=state.move_start(2)))
    catalog = build_catalog(nxt, Truth.of(nxt).orbits)
    assert set(table.ids) <= set(catalog.ids)
    ephemeris = build_ephemeris(catalog, nxt.move_start(2), timedelta(hours=1), 2.0)
    rows = [catalog.index[f] for f in table.ids]
    assert not ephemeris.decayed[rows].any()
    assert np.isfinite(ephemeris.ecef_km(rows)).all()
    mask = np.zeros(catalog.n_obj, dtype=bool)
    mask[catalog.index["USA-LEO"]] = True
    hits = screen_catalog(catalog, ephemeris, mask, 200.0)
    secondaries = {catalog.ids[j] for j in hits.secondary.tolist()} | {
        catalog.ids[i] for i in hits.primary.tolist()
    }
    assert secondaries & set(table.ids), "fragments near their parent must be screened"

    second = adjudicate(nxt)
    usa = pictures_by_nation(nxt, second, KNOWN_BLOBS)["USA"]
    assert set(table.ids) & set(usa), "USA's sensors should pick up fragments of its satellite"
    assert all(usa[f]["source"] != "catalog" for f in set(table.ids) & set(usa))
    assert not [e for e in second if isinstance(e, DebrisCreated)]


def test_fragment_ids_continue_when_a_parent_breaks_up_again() -> None:
    state = _asat_state()
    events = adjudicate(state)
    (first,) = [e for e in events if isinstance(e, DebrisCreated)]
    after = _apply(state, list(events))
    n = len(first.fragments.ids)
    breakup = Breakup("USA-LEO", InjectType.DIRECT_ASCENT_ASAT, state.move_start(1), 2020.0)
    (again,) = generate_debris(after, [breakup], Truth.of(after), np.random.default_rng(3))
    assert again.fragments.ids[0] == fragment_id(after, "USA-LEO", n)
    assert not set(again.fragments.ids) & set(first.fragments.ids)


def test_fragments_are_in_no_catalog_so_only_observation_brings_custody() -> None:
    from wargame.adjudication.custody import prior_from_record
    from wargame.adjudication.picture_set import custody_from, public_catalog

    state = _asat_state(offset_hours=5.9)
    events = adjudicate(state)
    (created,) = [e for e in events if isinstance(e, DebrisCreated)]
    nxt = evolve_body(_apply(state, list(events)), MoveAdvanced(move=2, scenario_time=state.move_start(2)))
    catalog = build_catalog(nxt, Truth.of(nxt).orbits)
    rows = [catalog.index[f] for f in created.fragments.ids]
    assert catalog.created_in_play[rows].all() and catalog.created_in_play.sum() == len(rows)
    record = custody_from(KNOWN_BLOBS, nxt.pictures[-1].custody)
    assert record is not None
    sigma, _obs = prior_from_record(record, catalog.n_obj)
    assert np.isinf(sigma[:, rows]).all()  # nobody has an own track of a fragment yet
    public = public_catalog(nxt, catalog, nxt.move_start(2))
    assert np.isinf(public.sigma_km[rows]).all()
    assert np.isfinite(public.sigma_km[~catalog.created_in_play]).all()
