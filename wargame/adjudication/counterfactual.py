"""Re-adjudicating a recorded log under a sharing variant: the same seeds, the players' and
white cell's events as played, the core run again at every move closing on the changed state,
with blobs kept in memory (never the exercise's store)."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from wargame.adjudication.counterfactual_variants import opening_releases, variant_body
from wargame.adjudication.move import adjudicate_move, initial_pictures
from wargame.domain.background import BackgroundCatalog
from wargame.domain.closing import adjudicate, core_blobs
from wargame.domain.events import EventBody, EventEnvelope, MoveClosing, PictureUpdated
from wargame.domain.evolve import evolve, evolve_body
from wargame.domain.sharing_analysis import SharingVariant
from wargame.domain.state import ExerciseState

START_CORE_TYPES = frozenset({"exercise_started", "picture_updated"})
FEED_TYPES = frozenset({"team_notified"})
"""The teams' feed lines: inside a move's batch they are its own (recorded with it); outside it they
follow a command (a pause while a move closes), so they never start a batch."""
"""What the core records for the start (move 0)."""
MOVE_CORE_TYPES = frozenset({
    "anti_jam_set", "manoeuvre_executed", "asset_status_changed", "inject_resolved", "debris_created",
    "threat_assessed", "picture_updated", "conjunction_warning", "close_approach_detected",
    "move_adjudicated",
})
"""What the core records for a move. While a move is closing, the commands that could record
these (restore_asset) are refused, so between a move_closing and the move's advance these
types come from its adjudication alone, in one batch."""


UNCLOSED_MARKS = frozenset({"exercise_started", "move_adjudicated"})
"""Core events that, met with no closing computed, show a log recorded before move closings."""


class CounterfactualError(RuntimeError):
    """The log cannot be re-adjudicated (the core failed on a variant's state)."""


class _Core:
    """The adjudication core as domain.closing.adjudicate calls it, in this process."""

    def initial_pictures(self, state: ExerciseState, blobs: Mapping[str, bytes]) -> list[EventBody]:
        return initial_pictures(state, blobs)

    def adjudicate_move(self, state: ExerciseState, blobs: Mapping[str, bytes]) -> list[EventBody]:
        return adjudicate_move(state, blobs)


@dataclass(frozen=True)
class MoveResult:
    """One closing re-adjudicated: `move` 0 for the start. `bodies` are what the core computed
    on the variant's state (without blobs), `recorded` what the log holds for that closing."""

    move: int
    bodies: tuple[EventBody, ...]
    recorded: tuple[EventBody, ...]
    state: ExerciseState
    """The variant's state right after the move's core events."""


@dataclass(frozen=True)
class Checkpoint:
    """The variant's state just before the move_closing at `index` in the log, the blobs the
    core reads there, and what the core computed at that closing."""

    index: int
    move: int
    state: ExerciseState
    blobs: dict[str, bytes]
    bodies: tuple[EventBody, ...] = ()


@dataclass
class _Walk:
    state: ExerciseState
    blobs: dict[str, bytes]
    pending: tuple[EventBody, ...] | None = None
    closing_move: int = 0
    skipping: frozenset[str] = frozenset()
    recorded: list[EventBody] = field(default_factory=list)


def _light(body: EventBody) -> EventBody:
    """The body without the blobs it carries to the store."""
    if isinstance(body, PictureUpdated) and body.attachments:
        return body.model_copy(update={"attachments": {}})
    return body


def _after_core(walk: _Walk, bodies: Sequence[EventBody]) -> None:
    """Apply the core's events to the variant's state and keep the blobs its next move reads."""
    state = walk.state
    found: dict[str, bytes] = dict(walk.blobs)
    for body in bodies:
        if isinstance(body, PictureUpdated):
            found.update(body.attachments)
        state = evolve_body(state, body)
    walk.state = state
    walk.blobs = {d: found[d] for d in core_blobs(state) if d in found}


def walk(
    events: Sequence[EventEnvelope],
    variant: SharingVariant,
    background: BackgroundCatalog,
    *,
    start: Checkpoint | None = None,
    reuse_start: bool = False,
    checkpoints: list[Checkpoint] | None = None,
    core: Callable[[ExerciseState, Mapping[str, bytes]], list[EventBody]] | None = None,
) -> Iterator[MoveResult]:
    """Fold `events` (a whole log from exercise_created, in seq order) as `variant` has them and
    yield each closing's adjudication, computed again on the variant's state.

    From `start` (a checkpoint of an earlier walk whose events up to it the variant shares) the
    walk begins at that move_closing; with `reuse_start` its computed bodies are taken as they
    are (the variant changes nothing before the next closing). `checkpoints` collects one per
    move_closing. `core(state, blobs)` replaces domain.closing.adjudicate (tests)."""
    if start is None:
        state = evolve(None, events[0], background)
        for release in opening_releases(variant, state):
            state = evolve_body(state, release)
        w, first = _Walk(state=state, blobs={}), 1
    else:
        w, first = _Walk(state=start.state, blobs=dict(start.blobs)), start.index
    compute = core or (lambda s, b: adjudicate(s, _Core(), b))
    for index in range(first, len(events)):
        event = events[index]
        kind = event.body.type
        if w.skipping:
            if kind in w.skipping:
                w.recorded.append(event.body)
                continue
            yield MoveResult(w.closing_move, w.pending or (), tuple(w.recorded), w.state)
            w.skipping, w.pending, w.recorded = frozenset(), None, []
        if w.pending is not None and kind in (START_CORE_TYPES if w.closing_move == 0 else MOVE_CORE_TYPES):
            bodies = w.pending
            _after_core(w, bodies)
            w.pending = tuple(_light(b) for b in bodies)
            w.skipping = (START_CORE_TYPES if w.closing_move == 0 else MOVE_CORE_TYPES) | FEED_TYPES
            w.recorded = [event.body]
            continue
        if kind in UNCLOSED_MARKS and w.pending is None:
            raise CounterfactualError(
                f"event {event.seq} ({kind}) records an adjudication without its move_closing: this log "
                "was recorded before move closings and cannot be re-adjudicated"
            )
        body = variant_body(variant, event)
        if body is None:
            continue
        if isinstance(body, MoveClosing):
            reused = start is not None and reuse_start and index == start.index
            before = Checkpoint(index=index, move=body.move, state=w.state, blobs=dict(w.blobs))
            w.state = evolve(w.state, event)
            w.closing_move = body.move
            w.pending = start.bodies if reused and start is not None else _compute(compute, w)
            if checkpoints is not None:
                checkpoints.append(_with_bodies(before, w.pending))
            continue
        w.state = evolve(w.state, event if body is event.body else event.model_copy(update={"body": body}))
        if kind == "move_reopened":
            w.pending = None
    if w.skipping:
        yield MoveResult(w.closing_move, w.pending or (), tuple(w.recorded), w.state)


def _compute(
    compute: Callable[[ExerciseState, Mapping[str, bytes]], list[EventBody]], w: _Walk
) -> tuple[EventBody, ...]:
    try:
        return tuple(compute(w.state, w.blobs))
    except Exception as exc:  # the core's own failure, named for whoever asked for the analysis
        what = "the start" if w.closing_move == 0 else f"move {w.closing_move}"
        raise CounterfactualError(f"re-adjudicating {what} failed: {type(exc).__name__}: {exc}") from exc


def _with_bodies(checkpoint: Checkpoint, bodies: Sequence[EventBody]) -> Checkpoint:
    """The checkpoint with the closing's computed bodies, blobs included (a resumed walk applies them)."""
    return Checkpoint(checkpoint.index, checkpoint.move, checkpoint.state, checkpoint.blobs, tuple(bodies))


def first_difference(computed: Sequence[EventBody], recorded: Sequence[EventBody]) -> str | None:
    """Where the computed core events differ from the recorded ones (None: the same bodies,
    picture digests included, in the same order)."""
    for k, (mine, theirs) in enumerate(zip(computed, recorded, strict=False)):
        a: dict[str, Any] = mine.model_dump(mode="json")
        b: dict[str, Any] = theirs.model_dump(mode="json")
        if a != b:
            fields = sorted(f for f in set(a) | set(b) if a.get(f) != b.get(f))
            return f"event {k + 1} ({theirs.type}) differs in {', '.join(fields)}"
    if len(computed) != len(recorded):
        return f"{len(computed)} core events computed, {len(recorded)} recorded"
    return None
