"""What loading checks before it trusts a log: the snapshot it starts from, and every event after it."""

from __future__ import annotations

from collections.abc import Iterable, Iterator

from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.domain.state import ExerciseState
from wargame.eventlog.chain import ChainChecker, content_problem
from wargame.eventlog.snapshots import BadSnapshot, Snapshot, StoredSnapshot, decode_snapshot, snapshot_digest
from wargame.eventlog.store import CorruptEvent


class TamperedLog(Exception):
    """An exercise's log fails the check made when it is loaded: the server refuses to load it."""

    def __init__(self, exercise_id: str, problem: str) -> None:
        super().__init__(
            f"exercise {exercise_id}: its log fails its integrity check ({problem}); the server "
            f"refuses to load it. Run `wargame exercise verify {exercise_id}` for the full report."
        )
        self.exercise_id = exercise_id
        self.problem = problem


def anchored_state(
    stored: StoredSnapshot,
    exercise_id: str,
    anchor: EventEnvelope | None,
    created: EventEnvelope,
) -> ExerciseState:
    """The state of a stored snapshot, if the log vouches for it: the event at its seq (`anchor`)
    is intact and records the SHA-256 of exactly these bytes, its state names this exercise, seq
    and event hash, and it was taken after this exercise_created (`created`, which holds the
    scenario and ruleset it leaves out, and must be intact too). Raises BadSnapshot: `tampered`
    when the log records a snapshot at that seq and this is not it."""
    if anchor is None or stored.log_hash is None or anchor.seq != stored.seq:
        raise BadSnapshot(f"the log has no event {stored.seq}")
    content = stored.content
    if not isinstance(content, Snapshot) or not anchor.snapshot_digest:
        raise BadSnapshot(f"the log does not record a snapshot at seq {stored.seq} (an earlier release's?)")
    for event in (anchor, created):
        problem = content_problem(event, canonical=False)
        if problem:
            raise BadSnapshot(f"event {event.seq}, which it needs, fails its check: {problem}", tampered=True)
    if snapshot_digest(content.data) != anchor.snapshot_digest:
        raise BadSnapshot(f"its bytes are not those event {anchor.seq} records", tampered=True)
    if content.head_hash != anchor.hash:
        raise BadSnapshot(f"it was taken after another event {stored.seq}", tampered=True)
    if not isinstance(created.body, ExerciseCreated) or created.seq != 1:
        raise BadSnapshot("the log's first event is not exercise_created", tampered=True)
    state = decode_snapshot(content, created.body.scenario, created.body.ruleset)
    said = (state.exercise_id, state.last_seq, state.last_hash)
    if said != (exercise_id, stored.seq, anchor.hash):
        raise BadSnapshot(
            f"its state is {state.exercise_id} at seq {state.last_seq}, not the log's event {stored.seq}",
            tampered=True,
        )
    if stored.seq > 1 and state.created_hash != created.hash:
        raise BadSnapshot("it was taken after another exercise_created", tampered=True)
    return state


def checked_events(
    exercise_id: str, events: Iterable[EventEnvelope], after_seq: int, after_hash: str
) -> Iterator[EventEnvelope]:
    """The events after `after_seq`, each checked before it is yielded: it follows without a
    gap, links to its predecessor (`after_hash` for the first) and its text hashes to its hash.
    Raises TamperedLog at the first that does not. (The canonical form of each text is left to
    `wargame exercise verify`: an altered text cannot pass the hash and the link.)"""
    checker = ChainChecker(after_seq=after_seq, after_hash=after_hash, canonical=False)
    try:
        for event in events:
            problems = checker.check(event)
            if problems:
                raise TamperedLog(exercise_id, problems[0])
            yield event
    except CorruptEvent as exc:  # a row that does not even parse
        raise TamperedLog(exercise_id, str(exc)) from exc
