"""The white cell's override commands: force an inject's outcome, set an asset's status, undo a
breakup's debris or a collision, re-adjudicate the last move. Each needs a reason."""

from __future__ import annotations

from typing import Annotated, Literal

from pydantic import Field

from wargame.domain.common import AssetStatus, Frozen, Identifier
from wargame.domain.override_events import ReadjudicationChanges, Reason


class ForceOutcome(Frozen):
    """Force the outcome of a released inject before its move is adjudicated: `hit` lands its
    effect on every live target (a scripted conjunction collides), `miss` on none."""

    type: Literal["force_outcome"]
    inject_id: Identifier
    outcome: Literal["hit", "miss"]
    reason: Reason


class OverrideStatus(Frozen):
    """Set an asset's or sensor's status, whatever caused it (a kill included)."""

    type: Literal["override_status"]
    asset_id: Identifier
    status: AssetStatus
    until_move: Annotated[int, Field(ge=1)] | None = None
    """The move whose adjudication ends the status (None: until changed again)."""
    reason: Reason


class UndoDebris(Frozen):
    """Take the fragments of a breakup (every fragment of `parent_id` still in play) out of play."""

    type: Literal["undo_debris"]
    parent_id: Identifier
    reason: Reason


class UndoCollision(Frozen):
    """Undo the collision a conjunction inject caused: both objects nominal, fragments out of play."""

    type: Literal["undo_collision"]
    inject_id: Identifier
    reason: Reason


class ReadjudicateMove(Frozen):
    """Adjudicate the last adjudicated move again, from the same seed, on the state before it with
    `changes`; its earlier adjudication is superseded (move_readjudicated)."""

    type: Literal["readjudicate_move"]
    move: Annotated[int, Field(ge=1)]
    changes: ReadjudicationChanges = Field(default_factory=ReadjudicationChanges)
    reason: Reason
