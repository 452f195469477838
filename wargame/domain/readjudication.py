"""Re-adjudication of the last move: pure steps the exercise service runs around the core.

The state keeps a checkpoint of what the last adjudication changed, as it was at its
move_closing (ExerciseState.checkpoint). `readjudicate` runs the core again, with the same seed,
on the state at that closing plus the white cell's changes; `conclude_readjudication` records a
`move_readjudicated` naming the seqs of the events it supersedes, then the new adjudication's
events. Evolving `move_readjudicated` puts back the checkpoint and applies the changes, so the
fold of the log (append-only: the superseded events stay) is the state of a game whose move was
adjudicated with those changes in the first place.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence

from wargame.domain.audience import Seat
from wargame.domain.closing import Adjudicator
from wargame.domain.commands import Rejection, reject
from wargame.domain.decide import address_all
from wargame.domain.events import EventBody, EventEnvelope, MoveReadjudicated, PendingEvent
from wargame.domain.override_commands import ReadjudicateMove
from wargame.domain.override_evolve import apply_changes
from wargame.domain.state import Checkpoint, ExerciseState

ADJUDICATION_TYPES = frozenset(
    {
        "anti_jam_set",
        "manoeuvre_executed",
        "asset_status_changed",
        "inject_resolved",
        "debris_created",
        "threat_assessed",
        "picture_updated",
        "conjunction_warning",
        "close_approach_detected",
        "move_adjudicated",
        "counterspace_fired",
        "radiation_belt_formed",
        "team_notified",
        "ground_segment_acted",
        "spare_activated",
        "spare_arrived",
        "dime_taken",
        "evasion_resolved",
        "response_failed",
        "escalation_changed",
    }
)
"""The event types a move's adjudication records (domain.closing.adjudicate), appended in one
batch that ends with its move_adjudicated."""
BATCH_START_TYPES = ADJUDICATION_TYPES - {"team_notified"}
"""The types a move's batch can begin with: not a feed line, which a command recorded while the
move closed (a pause) also gives."""


def superseded(point: Checkpoint, events: Iterable[EventEnvelope]) -> tuple[int, ...]:
    """Seqs of the adjudication events of the checkpoint's move among `events` (those after its
    closing): its batch, from its first event of an adjudication type to its move_adjudicated
    (commands recorded while it closed, before the batch, keep their events)."""
    end = point.end_seq or 0
    seqs: list[int] = []
    for e in events:
        if point.closing_seq < e.seq <= end and (seqs or e.body.type in BATCH_START_TYPES):
            seqs.append(e.seq)
    return tuple(seqs)


def readjudicate(
    at_closing: ExerciseState, cmd: ReadjudicateMove, core: Adjudicator, blobs: Mapping[str, bytes]
) -> list[EventBody]:
    """The new adjudication of the move: the core on the state at its closing plus the changes."""
    return list(core.adjudicate_move(apply_changes(at_closing, cmd.changes), blobs))


def conclude_readjudication(
    state: ExerciseState,
    seat: Seat,
    cmd: ReadjudicateMove,
    point: Checkpoint,
    supersedes: Sequence[int],
    bodies: Sequence[EventBody],
) -> list[PendingEvent] | Rejection:
    """move_readjudicated and the new adjudication's events, if `state` still holds the
    checkpoint the adjudication was computed from (`stale` otherwise)."""
    if state.checkpoint != point:
        return reject(state, "stale", f"move {cmd.move} changed while it was being re-adjudicated; try again")
    marker = MoveReadjudicated(
        move=cmd.move, supersedes=tuple(supersedes), changes=cmd.changes, reason=cmd.reason.strip()
    )
    return address_all(state, [marker, *bodies], seat.actor)
