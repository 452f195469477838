"""A seat's stream read from a store: a page of its events with their positions."""

from __future__ import annotations

from wargame.domain.audience import is_control_viewer
from wargame.domain.events import EventEnvelope
from wargame.eventlog.store import EventStore


def stream_page(
    store: EventStore, exercise_id: str, viewer: str, after: int, limit: int
) -> list[tuple[int, EventEnvelope]]:
    """(position, event) of `viewer`'s stream after position `after`, at most `limit`: the log's
    seqs for control seats, the stream index for the observer and teams."""
    if is_control_viewer(viewer):
        return [(e.seq, e) for e in store.read_after(exercise_id, after, limit)]
    index = store.stream_seqs(exercise_id, viewer, after, limit)
    by_seq = {e.seq: e for e in store.read_seqs(exercise_id, [seq for _pos, seq in index])}
    return [(pos, by_seq[seq]) for pos, seq in index if seq in by_seq]
