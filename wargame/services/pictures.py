"""Picture resources for seats: who may fetch which move's picture, rendered once and cached."""

from __future__ import annotations

import gzip
import json
import threading
from collections import OrderedDict
from dataclasses import dataclass

from wargame.adjudication.omm_write import write_omm
from wargame.adjudication.picture_export import picture_csv, picture_omm
from wargame.adjudication.picture_resource import render_resource
from wargame.domain.audience import is_control_viewer, nation_of
from wargame.domain.common import AssetStatus
from wargame.domain.pictures import PictureSet, blob_digest
from wargame.domain.state import ExerciseState
from wargame.eventlog.replay_view import ReplayError
from wargame.services.commands import ExerciseService
from wargame.services.memory import trim_heap
from wargame.services.refusals import Refused
from wargame.services.replays import REPLAY_FORBIDDEN, may_replay

RENDERS_AT_ONCE = 2
"""Pictures rendered at the same time in a process (each takes ~0.4 s and ~115 MB at 25 nations
and 47,000 objects, mostly CPU): after a move every team asks at once, and more renders at a
time would only add memory on a 2-core server."""
RESOURCES_KEPT = 32
"""Rendered pictures a process keeps (each 0.5-1 MB gzipped at 47,000 objects): every team's
latest picture and the truth for a 25-nation exercise, about 25 MB, full from the first move
on (pages ask for the latest move's picture; an older one is rendered again if asked)."""


class PictureRefused(Refused):
    """Why a seat may not have that picture."""


@dataclass(frozen=True)
class PictureResource:
    """A rendered resource, kept gzipped (a third of its size; browsers take it so), and an ETag
    (the digest of its bytes)."""

    gzipped: bytes
    etag: str

    @property
    def data(self) -> bytes:
        """The resource's bytes (for a client that does not accept gzip)."""
        return gzip.decompress(self.gzipped)


def _allowed(
    viewer: str, state: ExerciseState, nation: str | None, truth: bool, control: bool
) -> str | None:
    """The nation whose picture the viewer gets (None with `truth`), or PictureRefused. A team
    gets its own estimates only; control (or a seat replaying: `control`) any nation's, or the
    truth."""
    own = nation_of(viewer)
    if truth:
        if not control:
            raise PictureRefused(403, "forbidden", "ground truth is for control and evaluators")
        return None
    if control:
        if nation is None or nation not in state.played_nations():
            raise PictureRefused(400, "bad_request", "name a played nation (nation=...) or ask for truth=1")
        return nation
    if own is None or own not in state.played_nations():
        raise PictureRefused(403, "forbidden", "observers hold no SSA picture")
    if nation is not None and nation != own:
        raise PictureRefused(403, "forbidden", f"a team sees its own picture only, not {nation}'s")
    return own


def _select(
    state: ExerciseState, viewer: str, move: int | None, nation: str | None, truth: bool,
    control: bool, at: int | None = None,
) -> tuple[PictureSet, str | None]:
    """The move's pictures and whose picture the viewer gets (None: the truth), or PictureRefused.
    `control`: the viewer sees as control (or replays, `at` a seq)."""
    whose = _allowed(viewer, state, nation, truth, control)
    pictures = state.pictures[-1] if move is None and state.pictures else state.picture_set(move or 0)
    if pictures is None:
        missing = f"no picture of move {move}" if move is not None else "no picture yet"
        raise PictureRefused(404, "not_found", missing if at is None else f"{missing} at seq {at}")
    if whose is not None and not control:
        held = state.nations[whose].picture_ref
        if held is None or held.pictures.move < pictures.move:
            raise PictureRefused(404, "not_found", f"no picture of move {pictures.move} yet")
    return pictures, whose


EXPORTS = {
    "csv": ("text/csv; charset=utf-8", "csv"),
    "omm-kvn": ("text/plain; charset=utf-8", "omm"),
    "omm-xml": ("application/xml; charset=utf-8", "xml"),
    "omm-json": ("application/json", "json"),
}
"""Picture export formats: media type and file suffix."""


@dataclass(frozen=True)
class PictureExport:
    text: str
    content_type: str
    filename: str


class PictureResources:
    """Renders and caches picture resources of one service's exercises."""

    def __init__(self, service: ExerciseService) -> None:
        self.service = service
        self._cache: OrderedDict[tuple[str, int, str], PictureResource] = OrderedDict()
        self._lock = threading.Lock()
        self._rendering: dict[tuple[str, int, str], threading.Lock] = {}
        """One lock per resource being rendered: seats asking for it at once wait for one render."""
        self._renders = threading.BoundedSemaphore(RENDERS_AT_ONCE)

    def get(
        self,
        exercise_id: str,
        viewer: str,
        move: int | None,
        nation: str | None = None,
        truth: bool = False,
        at: int | None = None,
    ) -> PictureResource:
        """The picture `viewer` may have: its own nation's (a team), any nation's or the truth
        (control), of `move` (None: the latest); PictureRefused otherwise. With `at` (a seq;
        replaying seats only) the picture as of that point of the log: the move's picture must
        exist then, and the truth shows the statuses of that point."""
        state = self.service.state(exercise_id) if at is None else self._state_at(exercise_id, viewer, at)
        control = is_control_viewer(viewer) or at is not None  # _state_at let only replaying seats in
        pictures, whose = _select(state, viewer, move, nation, truth, control, at)
        return self.render(state, pictures, whose, as_of=at is not None)

    def _state_at(self, exercise_id: str, viewer: str, at: int) -> ExerciseState:
        if not may_replay(viewer):
            raise PictureRefused(403, "forbidden", REPLAY_FORBIDDEN)
        try:
            return self.service.state_at(exercise_id, at)
        except ReplayError as exc:
            raise PictureRefused(404 if exc.code == "not_found" else 400, exc.code, str(exc)) from exc

    def render(
        self, state: ExerciseState, pictures: PictureSet, whose: str | None, as_of: bool = False
    ) -> PictureResource:
        """`whose` picture (None: the truth) of a move, rendered once and kept. A nation's picture
        depends on the move alone; the truth also on the statuses of `state`: `as_of` keys it by
        them (a replay's point) instead of by the move (the live truth)."""
        label = whose or ("truth@" + _statuses_key(state) if as_of else "truth")
        key = (state.exercise_id, pictures.move, label)
        found = self._cached(key)
        if found is not None:
            return found
        with self._lock:
            rendering = self._rendering.setdefault(key, threading.Lock())
        with rendering:
            found = self._cached(key)
            if found is None:
                with self._renders:
                    found = self._render(state, pictures, whose)
                trim_heap()
                with self._lock:
                    self._cache[key] = found
                    while len(self._cache) > RESOURCES_KEPT:
                        self._cache.popitem(last=False)
                    self._rendering.pop(key, None)
        return found

    def export(
        self, exercise_id: str, viewer: str, move: int | None, nation: str | None, fmt: str
    ) -> PictureExport:
        """The picture `viewer` may have (as `get`, never the truth) as a file: its track table
        (csv) or its estimated orbits as OMM (omm-kvn, omm-xml, omm-json; the latest move only,
        since orbits after it may have changed)."""
        if fmt not in EXPORTS:
            raise PictureRefused(400, "bad_request", f"format must be one of {sorted(EXPORTS)}")
        state = self.service.state(exercise_id)
        pictures, whose = _select(state, viewer, move, nation, False, is_control_viewer(viewer))
        assert whose is not None
        latest = state.pictures[-1].move if state.pictures else 0
        if fmt != "csv" and pictures.move != latest:
            raise PictureRefused(
                409, "conflict", f"OMM export is of the latest picture (move {latest}); use format=csv"
            )
        digests = [d for d in (pictures.custody, pictures.truth, pictures.previous_custody,
                               pictures.previous_truth) if d]
        with self._renders:
            blobs = self.service.blobs(digests)
            if fmt == "csv":
                text = picture_csv(state, pictures, blobs, whose)
            else:
                records, _left_out, epoch = picture_omm(state, pictures, blobs, whose)
                text = write_omm(records, fmt.removeprefix("omm-"), epoch)  # type: ignore[arg-type]
        trim_heap()
        content_type, suffix = EXPORTS[fmt]
        return PictureExport(text, content_type, f"picture-{whose}-move{pictures.move}.{suffix}")

    def _cached(self, key: tuple[str, int, str]) -> PictureResource | None:
        with self._lock:
            found = self._cache.get(key)
            if found is not None:
                self._cache.move_to_end(key)
            return found

    def _render(self, state: ExerciseState, pictures: PictureSet, whose: str | None) -> PictureResource:
        digests = [d for d in (pictures.custody, pictures.truth, pictures.previous_custody,
                               pictures.previous_truth) if d]
        data = render_resource(state, pictures, self.service.blobs(digests), whose)
        return PictureResource(gzipped=gzip.compress(data, 6), etag=blob_digest(data)[:32])


def _statuses_key(state: ExerciseState) -> str:
    """What of a state the truth resource shows besides the move's blobs: the status of each
    object that is not nominal (render_resource), as a short digest."""
    changed = sorted((k, a.status.value) for k, a in state.assets.items() if a.status != AssetStatus.NOMINAL)
    return blob_digest(json.dumps(changed).encode())[:16]


def seat_picture(
    resources: PictureResources, state: ExerciseState, viewer: str
) -> PictureResource | None:
    """The picture a seat held at a state (a replay's point): a team's latest own picture, the
    truth for control seats; None for the observer or before the first picture."""
    if is_control_viewer(viewer):
        return resources.render(state, state.pictures[-1], None, as_of=True) if state.pictures else None
    nation = nation_of(viewer)
    held = state.nations[nation].picture_ref if nation in state.nations else None
    return None if held is None else resources.render(state, held.pictures, nation)
