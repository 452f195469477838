"""Event bodies of the white cell's control of play: overrides of adjudicated outcomes and the
handling of scheduled injects (skip, hold, release of a hold, retime, edit). All control-only."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import Field

from wargame.domain.common import AssetStatus, Frozen, Identifier, NationId

OVERRIDE_CAUSE = "white-cell override"
"""The cause an overridden status carries in the ground truth and for control."""
CORRECTED_CAUSE = "corrected by exercise control"
"""The cause a team reads for an overridden status, unless the scenario announces corrections."""

Reason = Annotated[str, Field(min_length=8, max_length=200, pattern=r"\S")]
"""Why the white cell did it: required, at least 8 characters, kept in the log and the AAR."""


class InjectOutcomeForced(Frozen):
    """The white cell forced the outcome of a released, unresolved inject: `hit` lands its effect
    on every live target (a scripted conjunction collides), `miss` on none. The core still draws
    its numbers, so the rest of the move is what it would have been."""

    type: Literal["inject_outcome_forced"] = "inject_outcome_forced"
    inject_id: Identifier
    outcome: Literal["hit", "miss"]
    reason: Reason


class StatusOverridden(Frozen):
    """The white cell set an asset's status (the asset_status_changed that follows changes it)."""

    type: Literal["status_overridden"] = "status_overridden"
    asset_id: Identifier
    owner: NationId | None
    previous: AssetStatus
    status: AssetStatus
    until_move: int | None = None
    reason: Reason


class DebrisRemoved(Frozen):
    """The white cell took a breakup's fragments out of play: from the next move they are not
    propagated, screened, observed or drawn (they behave as re-entered)."""

    type: Literal["debris_removed"] = "debris_removed"
    parent_id: Identifier
    inject_id: Identifier | None = None
    fragment_ids: tuple[Identifier, ...]
    reason: Reason


class CollisionUndone(Frozen):
    """The white cell undid the collision a conjunction inject caused: both objects go back to
    nominal and their fragments leave play (the events that follow say so)."""

    type: Literal["collision_undone"] = "collision_undone"
    inject_id: Identifier
    objects: tuple[Identifier, Identifier]
    reason: Reason


class ReadjudicationChanges(Frozen):
    """What a re-adjudication changes in the state before the move: forced inject outcomes and
    asset statuses at the move start."""

    outcomes: dict[Identifier, Literal["hit", "miss"]] = Field(default_factory=dict)
    statuses: dict[Identifier, AssetStatus] = Field(default_factory=dict)


class MoveReadjudicated(Frozen):
    """The adjudication of `move` is replaced: the events `supersedes` names (its seqs) no longer
    count. Its evolve puts back what they changed as it was before the move, applies `changes`,
    and the new adjudication's events (same seed) follow it."""

    type: Literal["move_readjudicated"] = "move_readjudicated"
    move: int
    supersedes: tuple[int, ...]
    changes: ReadjudicationChanges
    reason: Reason


class InjectSkipped(Frozen):
    """A scheduled inject will not be released (white cell)."""

    type: Literal["inject_skipped"] = "inject_skipped"
    inject_id: Identifier
    reason: Reason


class InjectHeld(Frozen):
    """A scheduled inject is held: not released when due, until the white cell lets it go."""

    type: Literal["inject_held"] = "inject_held"
    inject_id: Identifier
    reason: Reason


class InjectHoldLifted(Frozen):
    """A held inject is no longer held: it is released when due (at once if its time has come)."""

    type: Literal["inject_hold_lifted"] = "inject_hold_lifted"
    inject_id: Identifier
    reason: Reason


class InjectRetimed(Frozen):
    """A scheduled inject moves to another move and time (hours after its move's start)."""

    type: Literal["inject_retimed"] = "inject_retimed"
    inject_id: Identifier
    move: Annotated[int, Field(ge=1)]
    offset_hours: Annotated[float, Field(ge=0.0)]
    previous_move: int
    previous_offset_hours: float
    reason: Reason


class InjectEdited(Frozen):
    """A scheduled inject's title, text or params changed before release (checked as the
    ad-hoc form's are); `changes` holds the new values of the fields that changed."""

    type: Literal["inject_edited"] = "inject_edited"
    inject_id: Identifier
    changes: dict[str, Any]
    reason: Reason


