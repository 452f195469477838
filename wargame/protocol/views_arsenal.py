"""The firing team's view of its counterspace inventory: each weapon and the uses it has fired."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from wargame.domain.counterspace import Weapon
from wargame.domain.state import ExerciseState


class WeaponCard(Weapon):
    """A weapon of the team's inventory as its team sees it (never another nation's)."""

    fired: Annotated[int, Field(ge=0)] = 0
    """Uses fired so far (counterspace_fired); open orders this move are in the team's orders."""


def arsenal(state: ExerciseState, nation: str) -> list[WeaponCard]:
    """The nation's own weapons with their uses so far; empty for a nation without an inventory."""
    spec = state.scenario.nation(nation)
    if spec is None:
        return []
    return [
        WeaponCard(**weapon.model_dump(), fired=state.weapons_used.get(weapon.id, 0))
        for weapon in spec.counterspace
    ]
