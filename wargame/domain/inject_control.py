"""decide for the white cell's handling of scheduled injects, and the check of an inject's target
and params that ad-hoc injects and edits share."""

from __future__ import annotations

from typing import Any

from wargame.domain.commands import Rejection, reject
from wargame.domain.common import InjectType
from wargame.domain.counterspace import reach_refusal
from wargame.domain.events import (
    EventBody,
    InjectEdited,
    InjectHeld,
    InjectHoldLifted,
    InjectReleased,
    InjectRetimed,
    InjectSkipped,
)
from wargame.domain.inject_control_commands import EditInject, HoldInject, LiftHold, RetimeInject, SkipInject
from wargame.domain.inject_params import (
    EffectParams,
    InjectParams,
    InvalidParams,
    OrbitalWeaponParams,
    check_params,
)
from wargame.domain.ruleset_model import target_refusal
from wargame.domain.state import ExerciseState, InjectState
from wargame.domain.tempo import deferred


def check_inject(
    state: ExerciseState, inject_type: InjectType, target: str | None, params: dict[str, Any]
) -> InjectParams | Rejection:
    """The typed params of an inject written in play (ad-hoc, or a scheduled one edited), or why
    not: the target exists and the type may hit it, the params are the type's, the objects they
    name exist, and a duration_moves is one the ruleset's rule for the type allows."""
    if target is not None:
        kind = state.target_kind(target)
        if kind is None:
            return reject(state, "unknown_target", f"no space object or sensor {target!r}")
        if refusal := target_refusal(state.ruleset, inject_type, kind, target):
            return reject(state, "invalid", refusal)
    typed = check_params(inject_type, params)
    if isinstance(typed, InvalidParams):
        return reject(state, "invalid", f"{inject_type.value} inject: {typed.reason}")
    for name, named in typed.named_objects().items():
        if not state.has_object(named):
            return reject(state, "unknown_target", f"params.{name}: no space object {named!r}")
        if named == target:
            return reject(state, "invalid", f"params.{name}: {named!r} is the target itself")
    if isinstance(typed, EffectParams) and typed.duration_moves is not None:
        rule = state.ruleset.effects.get(inject_type)
        if rule is None or not rule.reversible:
            why = "has no effect rule" if rule is None else "is irreversible (it lasts for good)"
            return reject(
                state,
                "invalid",
                f"{inject_type.value} inject: params.duration_moves: the ruleset's "
                f"effects.{inject_type.value} {why}",
            )
    if target is not None and (asset := state.asset(target)) is not None:
        launcher = state.asset(typed.approacher or "") if isinstance(typed, OrbitalWeaponParams) else None
        orbit = None if launcher is None else launcher.orbit
        if refusal := reach_refusal(state.ruleset, inject_type, target, asset.orbit, orbit):
            return reject(state, "invalid", refusal)
    return typed


def _unreleased(state: ExerciseState, inject_id: str) -> InjectState | Rejection:
    entry = state.injects.get(inject_id)
    if entry is None:
        return reject(state, "unknown_target", f"no inject {inject_id!r} in the MSEL")
    if entry.released_move is not None:
        released = f"inject {inject_id!r} was released in move {entry.released_move}"
        return reject(state, "already_done", released)
    if entry.skipped:
        return reject(state, "already_done", f"inject {inject_id!r} was skipped")
    return entry


def decide_skip(state: ExerciseState, cmd: SkipInject) -> list[EventBody] | Rejection:
    entry = _unreleased(state, cmd.inject_id)
    if isinstance(entry, Rejection):
        return entry
    return [InjectSkipped(inject_id=cmd.inject_id, reason=cmd.reason.strip())]


def decide_hold(state: ExerciseState, cmd: HoldInject) -> list[EventBody] | Rejection:
    entry = _unreleased(state, cmd.inject_id)
    if isinstance(entry, Rejection):
        return entry
    if entry.held:
        return reject(state, "already_done", f"inject {cmd.inject_id!r} is already held")
    if entry.inject.trigger == "manual" or entry.inject.contingency:
        manual = f"inject {cmd.inject_id!r} is released only by hand: no need to hold it"
        return reject(state, "invalid", manual)
    return [InjectHeld(inject_id=cmd.inject_id, reason=cmd.reason.strip())]


def decide_lift(state: ExerciseState, cmd: LiftHold) -> list[EventBody] | Rejection:
    """Lift a hold: an inject of a past move, or of a move without a clock, is released at once; one
    waiting for its scenario time in the open move comes when the clock reaches it (tempo.due_at)."""
    entry = _unreleased(state, cmd.inject_id)
    if isinstance(entry, Rejection):
        return entry
    if not entry.held:
        return reject(state, "invalid", f"inject {cmd.inject_id!r} is not held")
    lifted: list[EventBody] = [InjectHoldLifted(inject_id=cmd.inject_id, reason=cmd.reason.strip())]
    overdue = entry.inject.trigger == "time" and entry.inject.move <= state.move
    if overdue and state.phase in ("running", "paused") and not deferred(state, entry.inject):
        lifted.append(InjectReleased(inject=entry.inject))
    return lifted


def decide_retime(state: ExerciseState, cmd: RetimeInject) -> list[EventBody] | Rejection:
    entry = _unreleased(state, cmd.inject_id)
    if isinstance(entry, Rejection):
        return entry
    if cmd.move <= state.move:
        opened = f"move {cmd.move} has opened already: retime to move {state.move + 1} or later"
        return reject(state, "invalid", opened)
    if cmd.move > state.scenario.moves:
        return reject(state, "invalid", f"move {cmd.move} is after the last move ({state.scenario.moves})")
    hours = state.scenario.move_length_hours
    if cmd.offset_hours >= hours:
        return reject(state, "invalid", f"offset_hours {cmd.offset_hours:g} is not within a {hours:g} h move")
    inject = entry.inject
    if (inject.move, inject.offset_hours) == (cmd.move, cmd.offset_hours):
        return reject(state, "already_done", f"inject {cmd.inject_id!r} is already at move {cmd.move}")
    return [
        InjectRetimed(
            inject_id=cmd.inject_id,
            move=cmd.move,
            offset_hours=cmd.offset_hours,
            previous_move=inject.move,
            previous_offset_hours=inject.offset_hours,
            reason=cmd.reason.strip(),
        )
    ]


def decide_edit(state: ExerciseState, cmd: EditInject) -> list[EventBody] | Rejection:
    entry = _unreleased(state, cmd.inject_id)
    if isinstance(entry, Rejection):
        return entry
    inject = entry.inject
    changes: dict[str, Any] = {}
    if cmd.title is not None and cmd.title != inject.title:
        changes["title"] = cmd.title
    if cmd.text is not None and cmd.text != inject.text:
        changes["text"] = cmd.text
    if cmd.params is not None:
        typed = check_inject(state, inject.type, inject.target, cmd.params)
        if isinstance(typed, Rejection):
            return typed
        params = typed.model_dump(exclude_unset=True)
        if params != inject.params:
            changes["params"] = params
    if not changes:
        return reject(state, "invalid", "nothing to change: give a new title, text or params")
    return [InjectEdited(inject_id=cmd.inject_id, changes=changes, reason=cmd.reason.strip())]
