"""How the white cell's overrides and inject handling change the state, and the checkpoint of the
last adjudicated move that a re-adjudication goes back to."""

from __future__ import annotations

from typing import Any

from wargame.domain.common import AssetStatus
from wargame.domain.events import (
    AssetStatusChanged,
    CollisionUndone,
    DebrisRemoved,
    EventBody,
    InjectEdited,
    InjectHeld,
    InjectHoldLifted,
    InjectOutcomeForced,
    InjectRetimed,
    InjectSkipped,
    MoveReadjudicated,
    StatusDisclosed,
    StatusOverridden,
)
from wargame.domain.override_events import ReadjudicationChanges
from wargame.domain.scenario_model import Inject
from wargame.domain.state import Checkpoint, ExerciseState, InjectState

CHECKPOINT_ENDERS = (AssetStatusChanged, StatusDisclosed, DebrisRemoved, CollisionUndone, StatusOverridden)
"""Events after the adjudication that make its re-adjudication impossible: a status or debris
change the re-adjudication would silently drop."""

NATION_FIELDS = ("picture", "previous_picture", "picture_ref", "warnings", "encounters", "assessments")
"""What an adjudication changes in a nation's state."""


def checkpoint_at_closing(state: ExerciseState, move: int) -> Checkpoint:
    """The state before `move` is adjudicated (its move_closing is the next event)."""
    return Checkpoint(
        move=move,
        closing_seq=state.last_seq + 1,
        assets=state.assets,
        sensors=state.sensors,
        injects=state.injects,
        escalation_level=state.escalation_level,
        responses=state.responses,
        metrics_by_move=state.metrics_by_move,
        pictures=state.pictures,
        nations=state.nations,
        weapons_used=state.weapons_used,
        radiation_belts=state.radiation_belts,
    )


def after_adjudication(state: ExerciseState, body: EventBody) -> ExerciseState:
    """Drop the checkpoint once a status changes after the adjudication it belongs to."""
    point = state.checkpoint
    if point is not None and point.end_seq is not None and isinstance(body, CHECKPOINT_ENDERS):
        return state.model_copy(update={"checkpoint": None})
    return state


def _with_inject(state: ExerciseState, inject_id: str, **changes: Any) -> ExerciseState:
    entry = state.injects[inject_id].model_copy(update=changes)
    return state.model_copy(update={"injects": {**state.injects, inject_id: entry}})


KEPT_ON_RELEASE = {"planned_move", "planned_offset_hours", "edited"}


def released_entry(
    state: ExerciseState, inject: Inject, adhoc: bool, released_hours: float | None = None
) -> InjectState:
    """The MSEL entry of an inject released now (`released_hours` into its move when released at
    its scenario time): the white cell's retime and edits stay on record (its hold, skip and
    forced outcome do not apply to a released inject)."""
    before = state.injects.get(inject.id)
    kept = {} if before is None else before.model_dump(include=KEPT_ON_RELEASE)
    return InjectState(
        inject=inject, adhoc=adhoc, released_move=state.move, released_hours=released_hours, **kept
    )


def _without_fragments(state: ExerciseState, fragment_ids: tuple[str, ...]) -> ExerciseState:
    assets = dict(state.assets)
    for frag in fragment_ids:
        if frag in assets:
            assets[frag] = assets[frag].model_copy(update={"removed": True})
    return state.model_copy(update={"assets": assets})


def apply_changes(state: ExerciseState, changes: ReadjudicationChanges) -> ExerciseState:
    """The changes of a re-adjudication, as the override events before the move would make them."""
    for inject_id, outcome in changes.outcomes.items():
        state = _with_inject(state, inject_id, forced=outcome)
    for asset_id, status in changes.statuses.items():
        state = set_status(state, asset_id, status)
    return state


def set_status(state: ExerciseState, asset_id: str, status: AssetStatus) -> ExerciseState:
    """An overridden status, as override_status leaves it (the same asset_status_changed)."""
    from wargame.domain.evolve import evolve_body  # evolve imports this module
    from wargame.domain.override_decide import override_change

    if state.status_holder(asset_id) is None:
        raise ValueError(f"no asset or sensor {asset_id!r}")
    checkpoint = state.checkpoint
    state = evolve_body(state, override_change(state, asset_id, status, None, ""))
    return state.model_copy(update={"checkpoint": checkpoint})


def _readjudicated(state: ExerciseState, body: MoveReadjudicated) -> ExerciseState:
    point = state.checkpoint
    if point is None or point.move != body.move:
        raise ValueError(f"move_readjudicated of move {body.move} without its checkpoint")
    nations = {
        nation_id: nation.model_copy(
            update={f: getattr(point.nations[nation_id], f) for f in NATION_FIELDS}
        )
        for nation_id, nation in state.nations.items()
    }
    injects = {
        **state.injects,
        **{
            k: state.injects[k].model_copy(update={"resolved": v.resolved, "forced": v.forced})
            for k, v in point.injects.items()
            if k in state.injects
        },
    }
    restored = state.model_copy(
        update={
            "assets": point.assets,
            "sensors": point.sensors,
            "injects": injects,
            "escalation_level": point.escalation_level,
            "responses": point.responses,
            "metrics_by_move": point.metrics_by_move,
            "pictures": point.pictures,
            "nations": nations,
            "weapons_used": point.weapons_used,
            "radiation_belts": point.radiation_belts,
        }
    )
    changed = apply_changes(restored, body.changes)
    armed = point.model_copy(update={"end_seq": None})
    return changed.model_copy(update={"checkpoint": armed, "readjudicating": body.move})


def evolve_control(state: ExerciseState, body: EventBody) -> ExerciseState | None:
    """The state after one of the white cell's control events; None for any other event."""
    match body:
        case InjectOutcomeForced(inject_id=inject_id, outcome=outcome):
            return _with_inject(state, inject_id, forced=outcome)
        case StatusOverridden() | CollisionUndone():
            return state  # the asset_status_changed and debris_removed that follow change the state
        case DebrisRemoved(fragment_ids=fragment_ids):
            return _without_fragments(state, fragment_ids)
        case MoveReadjudicated():
            return _readjudicated(state, body)
        case InjectSkipped(inject_id=inject_id):
            return _with_inject(state, inject_id, skipped=True)
        case InjectHeld(inject_id=inject_id):
            return _with_inject(state, inject_id, held=True)
        case InjectHoldLifted(inject_id=inject_id):
            return _with_inject(state, inject_id, held=False)
        case InjectRetimed(inject_id=inject_id, move=move, offset_hours=offset):
            entry = state.injects[inject_id]
            inject = entry.inject.model_copy(update={"move": move, "offset_hours": offset})
            if entry.planned_move is not None:
                return _with_inject(state, inject_id, inject=inject)
            planned = {"planned_move": entry.inject.move, "planned_offset_hours": entry.inject.offset_hours}
            return _with_inject(state, inject_id, inject=inject, **planned)
        case InjectEdited(inject_id=inject_id, changes=changes):
            entry = state.injects[inject_id]
            inject = entry.inject.model_copy(update=changes)
            edited = tuple(sorted({*entry.edited, *changes}))
            return _with_inject(state, inject_id, inject=inject, edited=edited)
    return None

