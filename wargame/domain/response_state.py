"""What response orders leave in the state: link protections, deterrence, spares, escalation, credibility."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field

from wargame.domain.common import EmptyOmitted, Frozen, Identifier, NationId, ShortText
from wargame.domain.response_rules import DimeInstrument, GroundAction


class LinkProtection(Frozen):
    """A switched ground station or a hardened ground segment, in force from_move..until_move."""

    asset_id: Identifier
    owner: NationId
    action: GroundAction
    from_move: int
    until_move: int


class Deterrence(Frozen):
    """A DIME response scaling the target nation's effects, in force from_move..until_move."""

    nation: NationId
    instrument: DimeInstrument
    target_nation: NationId
    factor: float
    from_move: int
    until_move: int


class SpareState(Frozen):
    spare_id: Identifier
    owner: NationId
    activated_move: int
    arrives_move: int
    arrived: bool = False


class ResponseNote(Frozen):
    """Why something changed, for the team entitled to know (nation None: every team)."""

    nation: NationId | None
    move: int
    kind: ShortText
    """The event type that brought it."""
    text: ShortText


class ResponseState(Frozen):
    protections: tuple[LinkProtection, ...] = ()
    deterrence: tuple[Deterrence, ...] = ()
    spares: dict[Identifier, SpareState] = Field(default_factory=dict)
    escalation_score: float = 0.0
    escalation_reasons: tuple[ShortText, ...] = ()
    """Why the score moved in the last adjudicated move."""
    credibility: Annotated[dict[NationId, float], EmptyOmitted] = Field(default_factory=dict)
    """Each nation's public credibility (1.0 unless a firm false accusation cost it)."""
    notes: tuple[ResponseNote, ...] = ()
    """The response outcomes and their reasons, oldest first."""

    def protections_of(self, asset_id: str, move: int) -> list[LinkProtection]:
        return [p for p in self.protections if p.asset_id == asset_id and p.from_move <= move <= p.until_move]

    def deterrence_of(self, actor: str, move: int) -> list[Deterrence]:
        found = self.deterrence
        return [d for d in found if d.target_nation == actor and d.from_move <= move <= d.until_move]


def is_default(value: ResponseState) -> bool:
    return value == ResponseState()
