"""decide for the white cell's overrides: what each records, or why it is refused."""

from __future__ import annotations

from wargame.domain.commands import Rejection, reject
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import (
    AssetStatusChanged,
    CollisionUndone,
    DebrisRemoved,
    EventBody,
    InjectOutcomeForced,
    StatusOverridden,
)
from wargame.domain.inject_params import ConjunctionParams, recorded_params
from wargame.domain.override_commands import (
    ForceOutcome,
    OverrideStatus,
    ReadjudicateMove,
    UndoCollision,
    UndoDebris,
)
from wargame.domain.override_events import CORRECTED_CAUSE, OVERRIDE_CAUSE
from wargame.domain.state import Checkpoint, ExerciseState

UNFORCEABLE = frozenset({InjectType.CLOSE_APPROACH, InjectType.MESSAGE})
"""Inject types with no outcome to force: a scripted approach always happens, a message has none."""


def _running(state: ExerciseState) -> Rejection | None:
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "outcomes can be overridden once the exercise has started")
    return None


def decide_force(state: ExerciseState, cmd: ForceOutcome) -> list[EventBody] | Rejection:
    if refused := _running(state):
        return refused
    entry = state.injects.get(cmd.inject_id)
    if entry is None:
        return reject(state, "unknown_target", f"no inject {cmd.inject_id!r}")
    if entry.released_move is None:
        return reject(state, "wrong_phase", f"inject {cmd.inject_id!r} is not released yet")
    if entry.resolved:
        return reject(
            state,
            "already_done",
            f"inject {cmd.inject_id!r} is already adjudicated: correct its effect with "
            "override_status or undo_collision, or re-adjudicate the move",
        )
    if entry.inject.type in UNFORCEABLE or (
        entry.inject.type not in state.ruleset.effects and entry.inject.type is not InjectType.CONJUNCTION
    ):
        return reject(state, "invalid", f"a {entry.inject.type.value} inject has no outcome to force")
    return [InjectOutcomeForced(inject_id=cmd.inject_id, outcome=cmd.outcome, reason=cmd.reason.strip())]


def team_cause(state: ExerciseState, reason: str) -> str:
    """What a team reads as the cause of an overridden status (scenario announce_corrections)."""
    if state.scenario.announce_corrections:
        return f"{OVERRIDE_CAUSE}: {reason}"[:200]
    return CORRECTED_CAUSE


def override_change(
    state: ExerciseState, asset_id: str, status: AssetStatus, until_move: int | None, reason: str
) -> AssetStatusChanged:
    """The status change of an override: told where the asset's status changes went (its owner,
    unless the owner does not know the truth, and the nations that observed them)."""
    holder = state.status_holder(asset_id)
    assert holder is not None, "checked by the caller"
    nominal = status is AssetStatus.NOMINAL
    return AssetStatusChanged(
        asset_id=asset_id,
        owner=holder.owner,
        status=status,
        until_move=None if nominal else until_move,
        cause=OVERRIDE_CAUSE,
        observers=holder.status_observers,
        reversible=status is not AssetStatus.DESTROYED,
        noticed_by_owner=holder.owner_belief is None or status is AssetStatus.DESTROYED,
        team_cause=team_cause(state, reason),
    )


def decide_override_status(state: ExerciseState, cmd: OverrideStatus) -> list[EventBody] | Rejection:
    if refused := _running(state):
        return refused
    holder = state.status_holder(cmd.asset_id)
    if holder is None:
        return reject(state, "unknown_target", f"no space object or sensor {cmd.asset_id!r}")
    until = None if cmd.status is AssetStatus.NOMINAL else cmd.until_move
    if until is not None and until < state.move:
        return reject(state, "invalid", f"until_move {until} is before the current move {state.move}")
    if (holder.status, holder.status_until_move) == (cmd.status, until):
        return reject(state, "already_done", f"{cmd.asset_id!r} is already {cmd.status.value}")
    reason = cmd.reason.strip()
    return [
        StatusOverridden(
            asset_id=cmd.asset_id,
            owner=holder.owner,
            previous=holder.status,
            status=cmd.status,
            until_move=until,
            reason=reason,
        ),
        override_change(state, cmd.asset_id, cmd.status, until, reason),
    ]


def _fragments_of(state: ExerciseState, parent_id: str) -> tuple[str, ...]:
    return tuple(
        a.id for a in state.assets.values() if a.parent == parent_id and a.kind == "debris" and not a.removed
    )


def decide_undo_debris(state: ExerciseState, cmd: UndoDebris) -> list[EventBody] | Rejection:
    if refused := _running(state):
        return refused
    fragments = _fragments_of(state, cmd.parent_id)
    if not fragments:
        return reject(state, "unknown_target", f"no fragments of {cmd.parent_id!r} in play")
    return [DebrisRemoved(parent_id=cmd.parent_id, fragment_ids=fragments, reason=cmd.reason.strip())]


def decide_undo_collision(state: ExerciseState, cmd: UndoCollision) -> list[EventBody] | Rejection:
    if refused := _running(state):
        return refused
    entry = state.injects.get(cmd.inject_id)
    if entry is None:
        return reject(state, "unknown_target", f"no inject {cmd.inject_id!r}")
    params = recorded_params(entry.inject.type, entry.inject.params)
    if not isinstance(params, ConjunctionParams) or entry.inject.target is None:
        return reject(state, "invalid", f"inject {cmd.inject_id!r} is not a conjunction")
    pair = (entry.inject.target, params.secondary)
    cause = f"inject:{cmd.inject_id}"
    killed = [state.asset(o) for o in pair]
    if not entry.resolved or any(a is None or a.cause != cause for a in killed):
        return reject(state, "invalid", f"inject {cmd.inject_id!r} caused no collision still in effect")
    reason = cmd.reason.strip()
    bodies: list[EventBody] = [CollisionUndone(inject_id=cmd.inject_id, objects=pair, reason=reason)]
    for obj in pair:
        fragments = _fragments_of(state, obj)
        if fragments:
            bodies.append(
                DebrisRemoved(parent_id=obj, inject_id=cmd.inject_id, fragment_ids=fragments, reason=reason)
            )
    for obj in pair:
        bodies.append(override_change(state, obj, AssetStatus.NOMINAL, None, reason))
    return bodies


def check_readjudication(state: ExerciseState, cmd: ReadjudicateMove) -> Checkpoint | Rejection:
    """The checkpoint a re-adjudication of `cmd.move` starts from, or why it cannot be done."""
    if refused := _running(state):
        return refused
    if state.closing is not None:
        return reject(state, "wrong_phase", f"move {state.closing.move} is being adjudicated")
    point = state.checkpoint
    last = state.move - 1
    if cmd.move != last:
        return reject(state, "stale", f"only the last adjudicated move ({last}) can be re-adjudicated")
    if point is None or point.move != cmd.move or point.end_seq is None:
        return reject(
            state,
            "invalid",
            f"move {cmd.move} can no longer be re-adjudicated: a status or debris changed since",
        )
    for inject_id in cmd.changes.outcomes:
        entry = point.injects.get(inject_id)
        if entry is None or entry.released_move is None or entry.resolved:
            missing = f"changes.outcomes: {inject_id!r} was not pending in move {cmd.move}"
            return reject(state, "unknown_target", missing)
        if entry.inject.type in UNFORCEABLE:
            none = f"changes.outcomes: a {entry.inject.type.value} inject has no outcome"
            return reject(state, "invalid", none)
    for asset_id in cmd.changes.statuses:
        if not state.has_object(asset_id) and state.scenario.sensor(asset_id) is None:
            unknown = f"changes.statuses: no space object or sensor {asset_id!r}"
            return reject(state, "unknown_target", unknown)
    return point


def refuse_direct_readjudication(state: ExerciseState, cmd: ReadjudicateMove) -> Rejection:
    """decide alone cannot re-adjudicate (it needs the core): why the command is refused, or that
    the exercise service must run it (services/readjudication.py)."""
    checked = check_readjudication(state, cmd)
    if isinstance(checked, Rejection):
        return checked
    return reject(
        state, "invalid", "readjudicate_move runs the adjudication core: send it through the exercise service"
    )
