"""Replays for control seats: any seat's view at any seq, with its picture and the move markers."""

from __future__ import annotations

from typing import Any

from wargame.domain.audience import is_control_viewer, nation_of
from wargame.domain.state import ExerciseState
from wargame.eventlog.replay_view import check_seq, check_viewer
from wargame.eventlog.seat_streams import stream_page
from wargame.eventlog.store import EventStore
from wargame.protocol.projection import view_for
from wargame.protocol.seat_snapshot import snapshot_view
from wargame.protocol.views import PICTURE_URL, TRUTH_URL
from wargame.services.states import ExerciseStates

JsonDict = dict[str, Any]

REPLAY_FORBIDDEN = "replay is for the white cell and facilitators"
MARKER_TYPES = ("exercise_started", "move_advanced", "exercise_ended")
"""Events a replay's scrubber marks: where each move opens, and the end."""


FEED_EVENTS = 30
"""Events of the seat's stream a replay lists before its point (the seat's feed then)."""


def may_replay(viewer: str) -> bool:
    """Whether a seat may replay the exercise (any seat's view at any point, and the pictures of
    that point): the one check /api/replay and /api/picture?at= make."""
    return is_control_viewer(viewer)


def markers(store: EventStore, exercise_id: str) -> list[JsonDict]:
    """Where each move opens and the exercise ends: `{seq, type, move}` in log order."""
    seqs = store.seqs_of_types(exercise_id, MARKER_TYPES)
    return [
        {"seq": e.seq, "type": e.body.type, "move": getattr(e.body, "move", e.move)}
        for e in store.read_seqs(exercise_id, seqs)
    ]


def feed(store: EventStore, exercise_id: str, viewer: str, pos: int) -> list[JsonDict]:
    """The last FEED_EVENTS events of the seat's stream up to its position `pos`, as it got them."""
    first = max(0, pos - FEED_EVENTS)
    page = stream_page(store, exercise_id, viewer, first, pos - first)
    return [{"pos": at, "event": view_for(viewer, event)} for at, event in page]


def truth_url(state: ExerciseState) -> str | None:
    """The ground truth a control seat fetches of this point: the latest move's, with the
    statuses right after `state`'s seq (`/api/picture?...&at=SEQ`)."""
    if not state.pictures:
        return None
    return f"{TRUTH_URL.format(move=state.pictures[-1].move)}&at={state.last_seq}"


def picture_url(state: ExerciseState, viewer: str) -> str | None:
    """Where a control seat fetches the picture `viewer` held at this point: a team's own latest
    picture (the same resource the team fetched), control's truth; None for the observer."""
    if is_control_viewer(viewer):
        return truth_url(state)
    nation = nation_of(viewer)
    held = state.nations[nation].picture_ref if nation in state.nations else None
    if held is None:
        return None
    return f"{PICTURE_URL.format(move=held.pictures.move)}&nation={nation}"


def replay_document(service: ExerciseStates, exercise_id: str, viewer: str, at: int) -> JsonDict:
    """What `wargame replay` prints and /api/replay answers: `view` is exactly the snapshot the
    seat would have been sent on joining right after seq `at` (its stream position `pos`);
    `received` the event at `at` as that seat got it (None: not in its stream) and `feed` its
    last events up to there; the URLs of its picture and of the truth at that point; the log's
    last seq and move markers. Raises
    replay_view's ReplayError (unknown exercise or seat, seq out of range)."""
    store = service.store
    last = check_seq(store, exercise_id, at)
    state = service.state_at(exercise_id, at)
    check_viewer(viewer, state.scenario)
    view = snapshot_view(viewer, state)
    (event,) = store.read_seqs(exercise_id, [at])
    received = view_for(viewer, event)
    return {
        "exercise_id": exercise_id,
        "viewer": viewer,
        "at": at,
        "last_seq": last,
        "move": state.move,
        "pos": view["pos"],
        "received": None if received is None else {"pos": view["pos"], "event": received},
        "feed": feed(store, exercise_id, viewer, view["pos"]),
        "picture_url": picture_url(state, viewer),
        "truth_url": truth_url(state),
        "markers": markers(store, exercise_id),
        "view": view,
    }
