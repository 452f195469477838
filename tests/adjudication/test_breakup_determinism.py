"""Bit-identical adjudication with breakups and assessments; the move number changes the draws."""

from __future__ import annotations

import numpy as np
from adj_builders import adjudicate
from threat_builders import attribution_state

from wargame.adjudication.move import rng_for
from wargame.domain.common import InjectType
from wargame.domain.events import DebrisCreated, ThreatAssessed
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState


def _state(move: int = 1) -> ExerciseState:
    injects = (
        Inject(
            id="asat",
            title="asat",
            type=InjectType.DIRECT_ASCENT_ASAT,
            target="USA-LEO",
            actor="RED",
            offset_hours=3.0,
        ),
        Inject(id="jam", title="jam", type=InjectType.UPLINK_JAMMING, target="GBR-SKYNET", actor="RED"),
    )
    state = attribution_state(*injects, seed=11)
    return state.model_copy(update={"move": move}) if move != 1 else state


def test_same_state_and_seed_give_bit_identical_bodies() -> None:
    state = _state()
    first = [e.model_dump_json() for e in adjudicate(state)]
    second = [e.model_dump_json() for e in adjudicate(state)]
    assert first == second
    reloaded = ExerciseState.model_validate_json(state.model_dump_json())
    assert [e.model_dump_json() for e in adjudicate(reloaded)] == first
    kinds = {e.type for e in adjudicate(state)}
    assert {"debris_created", "threat_assessed", "asset_status_changed"} <= kinds


def test_next_move_draws_differently() -> None:
    one, two = _state(1), _state(2)
    assert not np.array_equal(rng_for(one).random(8), rng_for(two).random(8))
    frag_one = next(e for e in adjudicate(one) if isinstance(e, DebrisCreated)).fragments
    frag_two = next(e for e in adjudicate(two) if isinstance(e, DebrisCreated)).fragments
    assert frag_one.ids[:3] == frag_two.ids[:3]
    assert frag_one.a_km != frag_two.a_km
    other_seed = one.model_copy(update={"seed": 12})
    frag_seed = next(e for e in adjudicate(other_seed) if isinstance(e, DebrisCreated)).fragments
    assert frag_seed.a_km != frag_one.a_km
    assessed = [e for e in adjudicate(two) if isinstance(e, ThreatAssessed)]
    # The ASAT is seen by everyone (observable_by everyone); the jamming by its victim GBR only.
    assert sorted((e.inject_id, e.nation) for e in assessed) == [
        ("asat", "GBR"), ("asat", "JPN"), ("asat", "USA"), ("jam", "GBR")]
