"""decide for the evaluation's commands: what each ties to, who may change what, what it records."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import (
    EditObservation,
    RecordObservation,
    Rejection,
    RemoveEvaluationItem,
    RetractObservation,
    SetAfi,
    SetImprovementItem,
    SetRating,
    SetStrength,
    reject,
)
from wargame.domain.evaluation import (
    ITEM_FIELDS,
    core_capabilities,
    objective_capabilities,
    rating_key,
)
from wargame.domain.evaluation_commands import ObservationFields
from wargame.domain.evaluation_events import (
    AfiSet,
    EvaluationItemRemoved,
    ImprovementItemSet,
    ItemKind,
    ObservationEdited,
    ObservationRecorded,
    ObservationRetracted,
    RatingSet,
    StrengthSet,
)
from wargame.domain.events import EventBody
from wargame.domain.ids import new_id
from wargame.domain.state import ExerciseState

Decided = list[EventBody] | Rejection
OBSERVATION_TIES = ("objective_id", "task", "inject_id", "nation", "rating", "text")


def may_change(seat: Seat, author: str, member: str) -> bool:
    """A facilitator may change any evaluation item; anyone else only what their seat recorded
    (the same viewer and named member)."""
    return seat.role is Role.FACILITATOR or (seat.viewer == author and seat.member == member)


def _who(author: str, member: str) -> str:
    if not author:
        return "a seat before authors were recorded"
    return f"{author} ({member})" if member else author


def _objective_ids(state: ExerciseState) -> list[str]:
    return [o.id for o in state.scenario.objectives]


def _unknown_objective(state: ExerciseState, objective_id: str) -> Rejection:
    known = ", ".join(_objective_ids(state)) or "none"
    message = f"objective_id: no objective {objective_id!r} (objectives: {known})"
    return reject(state, "unknown_target", message)


def _observation_problem(state: ExerciseState, fields: ObservationFields) -> Rejection | None:
    """Whether what an observation is tied to exists: objective, critical task, inject, nation."""
    objective = None
    if fields.objective_id is not None:
        objective = next((o for o in state.scenario.objectives if o.id == fields.objective_id), None)
        if objective is None:
            return _unknown_objective(state, fields.objective_id)
    if fields.task is not None:
        if objective is None:
            return reject(state, "invalid", "task: a critical task belongs to an objective (objective_id)")
        if fields.task > len(objective.criteria):
            count = len(objective.criteria)
            message = f"task: objective {objective.id!r} has {count} critical task(s), not {fields.task}"
            return reject(state, "invalid", message)
    if fields.inject_id is not None and fields.inject_id not in state.injects:
        message = f"inject_id: no inject {fields.inject_id!r} in the MSEL or released"
        return reject(state, "unknown_target", message)
    if fields.nation is not None and state.scenario.nation(fields.nation) is None:
        return reject(state, "unknown_target", f"nation: no nation {fields.nation!r} in the scenario")
    return None


def _record(state: ExerciseState, seat: Seat, cmd: RecordObservation) -> Decided:
    if (problem := _observation_problem(state, cmd)) is not None:
        return problem
    return [ObservationRecorded(
        observation_id=new_id(state, "OBS"), author=seat.viewer, author_member=seat.member,
        **cmd.model_dump(include=set(OBSERVATION_TIES)),
    )]


def _changeable_observation(
    state: ExerciseState, seat: Seat, observation_id: str, verb: str
) -> Rejection | None:
    found = state.evaluation.observations.get(observation_id)
    if found is None:
        return reject(state, "unknown_target", f"observation_id: no observation {observation_id!r}")
    if found.retracted:
        return reject(state, "already_done", f"observation {observation_id!r} was retracted")
    if not may_change(seat, found.author, found.author_member):
        who = _who(found.author, found.author_member)
        message = f"only its author, {who}, or a facilitator may {verb} {observation_id!r}"
        return reject(state, "not_owner", message)
    return None


def _edit(state: ExerciseState, seat: Seat, cmd: EditObservation) -> Decided:
    if (refused := _changeable_observation(state, seat, cmd.observation_id, "edit")) is not None:
        return refused
    if (problem := _observation_problem(state, cmd)) is not None:
        return problem
    old = state.evaluation.observations[cmd.observation_id]
    new = cmd.model_dump(include=set(OBSERVATION_TIES))
    if old.model_dump(include=set(OBSERVATION_TIES)) == new:
        message = f"observation {cmd.observation_id!r} already reads so; nothing changed"
        return reject(state, "already_done", message)
    return [ObservationEdited(
        observation_id=cmd.observation_id, editor=seat.viewer, editor_member=seat.member, **new
    )]


def _retract(state: ExerciseState, seat: Seat, cmd: RetractObservation) -> Decided:
    if (refused := _changeable_observation(state, seat, cmd.observation_id, "retract")) is not None:
        return refused
    return [ObservationRetracted(observation_id=cmd.observation_id, reason=cmd.reason, by=seat.viewer,
                                 by_member=seat.member)]


def _rate(state: ExerciseState, seat: Seat, cmd: SetRating) -> Decided:
    if cmd.subject == "objective" and cmd.subject_id not in _objective_ids(state):
        return _unknown_objective(state, cmd.subject_id)
    if cmd.subject == "capability" and cmd.subject_id not in (known := core_capabilities(state.scenario)):
        names = "; ".join(known) or "none"
        return reject(state, "unknown_target", f"subject_id: no core capability {cmd.subject_id!r} ({names})")
    current = state.evaluation.ratings.get(rating_key(cmd.subject, cmd.subject_id))
    if current is None and cmd.rating is None:
        return reject(state, "already_done", f"{cmd.subject} {cmd.subject_id!r} has no rating to clear")
    if current is not None and (current.rating, current.rationale) == (cmd.rating, cmd.rationale):
        message = f"{cmd.subject} {cmd.subject_id!r} is already rated {cmd.rating}"
        return reject(state, "already_done", message)
    return [RatingSet(
        subject=cmd.subject, subject_id=cmd.subject_id, rating=cmd.rating, rationale=cmd.rationale,
        by=seat.viewer, by_member=seat.member,
    )]


def _cited(state: ExerciseState, observation_ids: Sequence[str]) -> Rejection | None:
    """Observations an item cites must exist and stand (not retracted)."""
    for oid in observation_ids:
        found = state.evaluation.observations.get(oid)
        if found is None:
            return reject(state, "unknown_target", f"observation_ids: no observation {oid!r}")
        if found.retracted:
            return reject(state, "invalid", f"observation_ids: observation {oid!r} was retracted")
    return None


def _revision(
    state: ExerciseState, seat: Seat, kind: ItemKind, item_id: str | None, prefix: str
) -> tuple[str, int] | Rejection:
    """(id, revision) of a new item (no id) or of the next version of an existing one."""
    if item_id is None:
        return new_id(state, prefix), 1
    item = getattr(state.evaluation, ITEM_FIELDS[kind]).get(item_id)
    if item is None:
        return reject(state, "unknown_target", f"no {kind.replace('_', ' ')} {item_id!r}")
    if not may_change(seat, item.author, item.author_member):
        who = _who(item.author, item.author_member)
        return reject(state, "not_owner", f"only its author, {who}, or a facilitator may revise {item_id!r}")
    return item_id, int(item.revision) + 1


def _strength(state: ExerciseState, seat: Seat, cmd: SetStrength) -> Decided:
    if cmd.objective_id not in _objective_ids(state):
        return _unknown_objective(state, cmd.objective_id)
    if (problem := _cited(state, cmd.observation_ids)) is not None:
        return problem
    found = _revision(state, seat, "strength", cmd.strength_id, "STR")
    if isinstance(found, Rejection):
        return found
    fields = cmd.model_dump(include={"objective_id", "text", "observation_ids"})
    return [StrengthSet(
        strength_id=found[0], revision=found[1], by=seat.viewer, by_member=seat.member, **fields
    )]


def _afi(state: ExerciseState, seat: Seat, cmd: SetAfi) -> Decided:
    if cmd.objective_id not in _objective_ids(state):
        return _unknown_objective(state, cmd.objective_id)
    if (problem := _cited(state, cmd.observation_ids)) is not None:
        return problem
    found = _revision(state, seat, "afi", cmd.afi_id, "AFI")
    if isinstance(found, Rejection):
        return found
    fields = cmd.model_dump(exclude={"type", "afi_id"})
    return [AfiSet(afi_id=found[0], revision=found[1], by=seat.viewer, by_member=seat.member, **fields)]


def _improvement(state: ExerciseState, seat: Seat, cmd: SetImprovementItem) -> Decided:
    capability = cmd.capability
    if cmd.afi_id is not None:
        afi = state.evaluation.afis.get(cmd.afi_id)
        if afi is None:
            return reject(state, "unknown_target", f"afi_id: no area for improvement {cmd.afi_id!r}")
        objective = next(o for o in state.scenario.objectives if o.id == afi.objective_id)
        capability = capability or next(iter(objective_capabilities(objective)), None)
    known = core_capabilities(state.scenario)
    if capability is None:
        return reject(state, "invalid", "capability: name the core capability the corrective action improves")
    if capability not in known:
        names = "; ".join(known) or "none"
        return reject(state, "unknown_target", f"capability: no core capability {capability!r} ({names})")
    if cmd.end_date < cmd.start_date:
        return reject(state, "invalid", f"end_date {cmd.end_date} is before start_date {cmd.start_date}")
    found = _revision(state, seat, "improvement_item", cmd.item_id, "IP")
    if isinstance(found, Rejection):
        return found
    fields = cmd.model_dump(exclude={"type", "item_id", "capability"})
    return [ImprovementItemSet(item_id=found[0], revision=found[1], capability=capability, by=seat.viewer,
                               by_member=seat.member, **fields)]


def _remove(state: ExerciseState, seat: Seat, cmd: RemoveEvaluationItem) -> Decided:
    evaluation = state.evaluation
    kind: ItemKind
    for kind in ("strength", "afi", "improvement_item"):
        item = getattr(evaluation, ITEM_FIELDS[kind]).get(cmd.item_id)
        if item is not None:
            break
    else:
        message = f"item_id: no strength, AFI or improvement item {cmd.item_id!r}"
        return reject(state, "unknown_target", message)
    if not may_change(seat, item.author, item.author_member):
        who = _who(item.author, item.author_member)
        message = f"only its author, {who}, or a facilitator may remove {cmd.item_id!r}"
        return reject(state, "not_owner", message)
    linked = sorted(i.item_id for i in evaluation.improvements.values() if i.afi_id == cmd.item_id)
    if linked:
        return reject(state, "invalid", f"improvement items {', '.join(linked)} name AFI {cmd.item_id!r}: "
                      "re-link or remove them first")
    return [EvaluationItemRemoved(item_id=cmd.item_id, kind=kind, reason=cmd.reason, by=seat.viewer,
                                  by_member=seat.member)]


EVALUATION_HANDLERS = {
    "record_observation": _record,
    "edit_observation": _edit,
    "retract_observation": _retract,
    "set_rating": _rate,
    "set_strength": _strength,
    "set_afi": _afi,
    "set_improvement_item": _improvement,
    "remove_evaluation_item": _remove,
}
"""decide's handler of each evaluation command: (state, seat, command) -> events or a rejection."""
