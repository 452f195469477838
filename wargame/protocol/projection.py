"""view_for(viewer, event or state): the one function that decides what each seat may see."""

from __future__ import annotations

from typing import Any

from wargame.domain.audience import is_control_viewer, nation_of
from wargame.domain.events import EventEnvelope, PictureUpdated
from wargame.domain.state import ExerciseState
from wargame.domain.streams import OBSERVER_SAFE_EVENTS as OBSERVER_SAFE_EVENTS
from wargame.domain.streams import PLAYER_SAFE_EVENTS as PLAYER_SAFE_EVENTS
from wargame.domain.streams import visible as in_stream
from wargame.protocol.views import PICTURE_URL, PictureNotice, View
from wargame.protocol.views_state import control_view, observer_view, player_inject, team_view

JsonDict = dict[str, Any]

SHARED_KINDS = frozenset({"conjunction_warning", "close_approach_detected", "threat_assessed"})
"""A nation's products other nations may receive through its releases (body.shared_with)."""
RECIPIENT_LISTS = frozenset({"product_released", "product_withdrawn", "inject_forwarded"})
"""Events whose recipients a receiving team sees only itself among."""

def view_for(viewer: str, item: EventEnvelope | ExerciseState, pos: int = 0) -> JsonDict | None:
    """What `viewer` may see of an event (None: nothing) or of the state (a snapshot at its
    stream position `pos`). Deny by default: an event type not listed is control-only.

    The white cell, facilitators and evaluators (audience.GROUND_TRUTH_VIEWERS) see alike: every
    event of the log with its body as recorded, its seq, audience, hash and member, and the control
    snapshot (ground truth, the MSEL with controller notes and expected actions, every chat channel,
    every nation's state and the evaluation), read-only for evaluators: they differ only in what
    they may send (decide.authorize), never in what they see."""
    if isinstance(item, ExerciseState):
        return state_view(viewer, item, pos).model_dump(mode="json")
    return event_view(viewer, item)


def state_view(viewer: str, state: ExerciseState, pos: int) -> View:
    if is_control_viewer(viewer):
        return control_view(state, viewer, pos)
    nation = nation_of(viewer)
    if nation is None or nation not in state.nations:
        return observer_view(state, viewer, pos)
    return team_view(state, nation, pos)


def visible(viewer: str, event: EventEnvelope) -> bool:
    """Whether the event is in `viewer`'s stream (view_for is not None), without projecting it."""
    return in_stream(viewer, event.body.type, event.audience)


def event_view(viewer: str, event: EventEnvelope) -> JsonDict | None:
    if not visible(viewer, event):
        return None
    header: JsonDict = {
        "at": event.at.isoformat(),
        "scenario_time": event.scenario_time.isoformat(),
        "move": event.move,
        "actor": event.actor,
        "type": event.body.type,
    }
    member = getattr(event, "member", "") or None
    if is_control_viewer(viewer):
        body = event.body.model_dump(mode="json")
        if isinstance(event.body, PictureUpdated) and event.body.picture is not None:
            body = {**body, "url": f"{PICTURE_URL.format(move=event.body.move)}&nation={event.body.nation}"}
        body.pop("tracks", None)  # older logs' rows: 15 nations x 20,000 would swamp a control seat
        extra = {"seq": event.seq, "audience": list(event.audience), "hash": event.hash, "member": member}
        return {**header, **extra, "body": body}
    nation = nation_of(viewer)
    header["actor"] = event.actor if event.actor.startswith("team:") else "white_cell"
    if member and event.actor == viewer:
        header["member"] = member
    return {**header, "body": _team_body(event, nation)}


def _team_body(event: EventEnvelope, nation: str | None) -> JsonDict:
    body = event.body
    kind = body.type
    if kind == "inject_released":
        data = body.model_dump(mode="json")
        timed = {"scenario_time": data["scenario_time"]} if data.get("scenario_time") else {}
        return {"inject": player_inject(data["inject"]), "adhoc": data["adhoc"], **timed}
    if isinstance(body, PictureUpdated):
        if body.picture is None:  # an older log: the rows themselves
            return {"nation": body.nation, "move": body.move, "tracks": body.tracks.rows()}
        return picture_notice(body)
    data = body.model_dump(mode="json")
    if kind == "move_closing":  # which command holds it, and for how long, is control's business
        return {"move": data["move"]}
    if kind == "asset_status_changed":
        if data.get("owner") != nation:
            return {k: data[k] for k in ("asset_id", "owner", "status")}
        # who else noticed is theirs; an override's true cause is control's
        seen = {k: v for k, v in data.items() if k not in ("observers", "team_cause")}
        if data.get("team_cause"):  # an override: the cause teams read (never the word, unless announced)
            seen["cause"] = data["team_cause"]
        return seen
    if kind in SHARED_KINDS and data.get("nation") != nation:
        shared = data.pop("shared_with", {})
        return {**data, "shared_by": data.get("nation"), "marking": shared.get(nation or "")}
    if kind in RECIPIENT_LISTS and data.get("nation") != nation and nation is not None:
        data["recipients"] = [nation]
        if "effective" in data:
            data["effective"] = {nation: data["effective"].get(nation)}
    return dict(data)


def picture_notice(body: PictureUpdated) -> JsonDict:
    ref = body.picture
    assert ref is not None
    return PictureNotice(
        nation=body.nation,
        move=body.move,
        held=ref.held,
        by_source=ref.by_source,
        precise=ref.precise,
        url=PICTURE_URL.format(move=body.move),
    ).model_dump(mode="json")
