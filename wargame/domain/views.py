"""view_for(viewer, event or state): the one function deciding what each audience may see."""

from __future__ import annotations

from typing import Any

from wargame.domain.audience import can_see, is_control_viewer, nation_of, team
from wargame.domain.common import AssetStatus, InjectType, Releasability
from wargame.domain.events import EventEnvelope, PictureUpdated
from wargame.domain.scenario_model import Sensor
from wargame.domain.state import ExerciseState, StatusState

JsonDict = dict[str, Any]

OBSERVER_SAFE_EVENTS = frozenset({
    "exercise_started", "exercise_paused", "exercise_resumed", "exercise_ended", "move_advanced",
    "inject_released", "attribution_published",
})
"""Event types an observer may receive (public facts); anything else is denied."""

PLAYER_SAFE_EVENTS = OBSERVER_SAFE_EVENTS | {
    "sharing_policy_set", "order_submitted", "order_cancelled", "tasking_requested",
    "tasking_answered", "chat_posted", "manoeuvre_executed", "anti_jam_set",
    "asset_status_changed", "picture_updated", "conjunction_warning", "close_approach_detected",
    "threat_assessed", "status_disclosed", "product_released", "product_withdrawn", "inject_forwarded",
}
"""Event types a team may ever receive (when addressed to it); anything else is denied."""

INJECT_PLAYER_FIELDS = (
    "id",
    "serial",
    "title",
    "type",
    "sender",
    "channel",
    "text",
    "releasability",
    "releasable_to",
)


def view_for(viewer: str, item: EventEnvelope | ExerciseState) -> JsonDict | None:
    """What `viewer` may see of an event (None: nothing) or of the state (a snapshot)."""
    if isinstance(item, ExerciseState):
        return _state_view(viewer, item)
    return _event_view(viewer, item)


def _event_view(viewer: str, event: EventEnvelope) -> JsonDict | None:
    if not can_see(event.audience, viewer):
        return None
    body: JsonDict
    if isinstance(event.body, PictureUpdated):
        tracks = event.body.tracks
        body = {"nation": event.body.nation, "move": event.body.move}
        # A team gets its rows; control gets counts (15 nations x 20,000 rows would swamp it).
        body.update({"summary": tracks.summary()} if is_control_viewer(viewer) else {"tracks": tracks.rows()})
    else:
        body = event.body.model_dump(mode="json")
    header: JsonDict = {
        "seq": event.seq,
        "at": event.at.isoformat(),
        "scenario_time": event.scenario_time.isoformat(),
        "move": event.move,
        "actor": event.actor,
        "type": event.body.type,
    }
    if is_control_viewer(viewer):
        return {**header, "audience": list(event.audience), "hash": event.hash, "body": body}
    allowed = OBSERVER_SAFE_EVENTS if viewer == "observer" else PLAYER_SAFE_EVENTS
    if event.body.type not in allowed:
        return None
    if event.body.type == "inject_released":
        body = {"inject": _player_inject(body["inject"], nation_of(viewer)), "adhoc": body["adhoc"]}
    if event.body.type == "asset_status_changed" and body.get("owner") != nation_of(viewer):
        body = {k: body[k] for k in ("asset_id", "owner", "status")}
    header["actor"] = event.actor if event.actor.startswith("team:") else "white_cell"
    return {**header, "body": body}


def _player_inject(inject: JsonDict, nation: str | None) -> JsonDict:
    """The player-facing part of an inject: no controller notes, parameters or expectations."""
    return {key: inject[key] for key in INJECT_PLAYER_FIELDS}


def _state_view(viewer: str, state: ExerciseState) -> JsonDict:
    common: JsonDict = {
        "exercise_id": state.exercise_id,
        "title": state.title,
        "phase": state.phase,
        "move": state.move,
        "moves": state.scenario.moves,
        "scenario_time": state.scenario_time.isoformat(),
        "start_time": state.scenario.start_time.isoformat(),
        "move_length_hours": state.scenario.move_length_hours,
        "seq": state.last_seq,
        "viewer": viewer,
        "nations": [
            n.model_dump(mode="json", include={"id", "name", "side", "played", "groups"})
            for n in state.scenario.nations
        ],
        "attributions": [dict(a) for a in state.attributions],
        "objectives": [
            o.model_dump(mode="json", include={"id", "text", "capability"})
            for o in state.scenario.objectives
        ],
    }
    if is_control_viewer(viewer):
        return {**common, **_control_view(state)}
    nation = nation_of(viewer)
    if nation is None or nation not in state.nations:
        return {**common, "injects": _visible_injects(state, viewer)}
    return {**common, **_team_view(state, nation)}


def _visible_injects(state: ExerciseState, viewer: str) -> list[JsonDict]:
    nation = nation_of(viewer)
    visible = []
    for entry in state.injects.values():
        if entry.released_move is None:
            continue
        inject = entry.inject
        public = inject.releasability is Releasability.PUBLIC
        addressed = nation is not None and (not inject.recipients or nation in inject.recipients)
        if public or addressed:
            visible.append(
                {
                    **_player_inject(inject.model_dump(mode="json"), nation),
                    "released_move": entry.released_move,
                }
            )
    return visible


def _unknown_card(state: ExerciseState, object_id: str) -> JsonDict:
    asset = state.assets.get(object_id)
    kind = asset.kind if asset is not None and asset.kind is not None else "unknown"
    return {"name": object_id, "owner": None, "kind": kind, "mission": None}


def _object_cards(state: ExerciseState) -> dict[str, JsonDict]:
    """Cards of every scenario object by id (built once per view, not once per track)."""
    return {
        obj.id: {
            "name": obj.name,
            "owner": obj.owner,
            "kind": obj.kind,
            "mission": obj.mission.value if obj.mission else None,
        }
        for obj in state.scenario.objects
    }


SENSOR_CARD = {"id", "name", "owner", "model", "lat_deg", "lon_deg"}
"""What every seat may know of a coalition sensor."""


def _team_sensor(state: ExerciseState, sensor: Sensor, nation: str) -> JsonDict:
    """A coalition sensor as a team sees it: with the status it knows when the sensor is its own."""
    card = sensor.model_dump(mode="json", include=SENSOR_CARD)
    holder = state.sensor_state(sensor.id)
    if holder is None or holder.owner != nation:
        return card
    return {**card, **_status_known_to_owner(holder, state.move)}


def _status_known_to_owner(asset: StatusState, move: int) -> JsonDict:
    """The status the owner's team sees: the truth, or while an effect it did not notice hides
    the truth, what it believes, and once a believed status has run its course, nominal."""
    belief = asset.owner_belief
    if belief is None:
        return {"status": asset.status.value, "status_until_move": asset.status_until_move}
    if belief.until_move is not None and belief.until_move < move:
        return {"status": AssetStatus.NOMINAL.value, "status_until_move": None}
    return {"status": belief.status.value, "status_until_move": belief.until_move}


def _team_view(state: ExerciseState, nation: str) -> JsonDict:
    me = state.nations[nation]
    viewer = team(nation)
    cards = _object_cards(state)
    own_assets = [
        {
            **(cards.get(a.id) or _unknown_card(state, a.id)),
            "id": a.id,
            **_status_known_to_owner(a, state.move),
            "propellant_dv_m_per_s": a.propellant_dv_m_per_s,
            "anti_jam": a.anti_jam,
        }
        for a in state.assets.values()
        if a.owner == nation
    ]
    coalition = {n.id for n in state.scenario.nations if n.side != "red"}
    sensors = [_team_sensor(state, s, nation) for s in state.scenario.sensors if s.owner in coalition]
    return {
        "nation": nation,
        "assets": own_assets,
        "sensors": sensors,
        "picture": [
            {**row, **(cards.get(row["object_id"]) or _unknown_card(state, row["object_id"]))}
            for row in me.picture.rows()
        ],
        "sharing": {p: lvl.value for p, lvl in me.sharing.items()},
        "inbound_sharing": {
            p: s.sharing[nation].value for p, s in state.nations.items() if nation in s.sharing
        },
        "orders": [o.model_dump(mode="json") for o in me.orders.values()],
        "taskings": [
            t.model_dump(mode="json")
            for t in state.taskings.values()
            if nation in (t.requester, t.partner)
        ],
        "warnings": [w.model_dump(mode="json") for w in me.warnings],
        "assessments": [a.model_dump(mode="json") for a in me.assessments],
        "injects": _visible_injects(state, viewer),
        "chat": [
            m.model_dump(mode="json", exclude={"audience"})
            for m in state.chat
            if can_see(m.audience, viewer)
        ],
        "rules": {
            "attribution_levels": list(state.ruleset.orders.attribution_levels),
            "max_manoeuvre_dv_m_per_s": state.ruleset.orders.max_manoeuvre_dv_m_per_s,
            "sharing_levels": ["withhold", "full", "delayed", "degraded"],
        },
        "objects": [{"id": o.id, "name": o.name} for o in state.scenario.objects],
    }


def _control_view(state: ExerciseState) -> JsonDict:
    """Ground truth for the white cell and facilitators."""
    cards = _object_cards(state)
    return {
        "scenario_id": state.scenario.id,
        "escalation_level": state.escalation_level,
        "assets": [
            {
                **(cards.get(a.id) or _unknown_card(state, a.id)),
                **a.model_dump(mode="json", exclude={"orbit", "kind"}),
            }
            for a in state.assets.values()
        ],
        "sensors": [
            {
                **s.model_dump(mode="json", include=SENSOR_CARD),
                **holder.model_dump(mode="json", exclude={"id", "owner"}),
            }
            for s in state.scenario.sensors
            if (holder := state.sensor_state(s.id)) is not None
        ],
        "sensor_inject_types": [
            t.value for t, rule in state.ruleset.effects.items() if "sensors" in rule.targets
        ],
        "msel": [
            {
                **e.inject.model_dump(mode="json"),
                "released_move": e.released_move,
                "resolved": e.resolved,
                "adhoc": e.adhoc,
            }
            for e in state.injects.values()
        ],
        "nations_state": {
            n: {
                "sharing": {p: lvl.value for p, lvl in s.sharing.items()},
                "orders": [o.model_dump(mode="json") for o in s.orders.values()],
                "picture_summary": s.picture.summary(),
                "warnings": [w.model_dump(mode="json") for w in s.warnings],
                "assessments": [a.model_dump(mode="json") for a in s.assessments],
            }
            for n, s in state.nations.items()
        },
        "taskings": [t.model_dump(mode="json") for t in state.taskings.values()],
        "chat": [m.model_dump(mode="json") for m in state.chat],
        "metrics_by_move": {str(k): v for k, v in state.metrics_by_move.items()},
        "inject_types": [t.value for t in InjectType],
        "objects": [{"id": o.id, "name": o.name, "owner": o.owner} for o in state.scenario.objects],
        "last_hash": state.last_hash,
    }
