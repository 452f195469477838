"""Events of the played red cell's weapons and of nuclear radiation belts, and how they evolve."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import Frozen, Identifier, NationId, ShortText
from wargame.domain.counterspace import RadiationBelt
from wargame.domain.state import ExerciseState


class CounterspaceFired(Frozen):
    """A nation's counterspace order fired its weapon when the move closed: the inject `inject_id`
    (released just before, actor the nation) carries the effect; the magazine is one use shorter.
    Seen by the firing team and control; others see only the effects they observe."""

    type: Literal["counterspace_fired"] = "counterspace_fired"
    order_id: Identifier
    nation: NationId
    weapon_id: Identifier
    weapon_name: ShortText
    target: Identifier
    inject_id: Identifier
    uses_left: Annotated[int, Field(ge=0)]


class RadiationBeltFormed(Frozen):
    """A nuclear detonation pumped a radiation belt that degrades unhardened satellites of the
    ruleset's nuclear.belt_regimes in the following nuclear.belt_moves moves (public)."""

    type: Literal["radiation_belt_formed"] = "radiation_belt_formed"
    inject_id: Identifier
    move: int
    until_move: int


CounterspaceEvent = CounterspaceFired | RadiationBeltFormed


def evolve_counterspace(state: ExerciseState, body: object) -> ExerciseState | None:
    """The state after a counterspace event; None for any other event."""
    match body:
        case CounterspaceFired(weapon_id=weapon_id):
            used = {**state.weapons_used, weapon_id: state.weapons_used.get(weapon_id, 0) + 1}
            return state.model_copy(update={"weapons_used": used})
        case RadiationBeltFormed(inject_id=inject_id, move=move):
            belt = RadiationBelt(inject_id=inject_id, move=move)
            return state.model_copy(update={"radiation_belts": (*state.radiation_belts, belt)})
    return None
