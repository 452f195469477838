"""decide(state, seat, command) -> events or a typed rejection; pure and side-effect free."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import timedelta
from typing import Annotated

from pydantic import Field

from wargame.domain.addressing import address
from wargame.domain.analysis_commands import decide_analysis
from wargame.domain.audience import Role, Seat
from wargame.domain.chat_commands import decide_chat
from wargame.domain.commands import (
    AdHocInject,
    AdvanceMove,
    AnswerTasking,
    CancelOrder,
    Command,
    EndExercise,
    PauseExercise,
    Rejection,
    ReleaseInject,
    ResumeExercise,
    StartExercise,
    SubmitOrder,
    reject,
)
from wargame.domain.common import Frozen, UtcDatetime
from wargame.domain.evaluation_decide import EVALUATION_HANDLERS
from wargame.domain.events import (
    AttributionPublished,
    EventBody,
    ExerciseEnded,
    ExercisePaused,
    ExerciseResumed,
    InjectReleased,
    MoveClosing,
    OrderCancelled,
    OrderSubmitted,
    PendingEvent,
    TaskingAnswered,
    TaskingRequested,
)
from wargame.domain.evolve import evolve_body
from wargame.domain.ids import new_id
from wargame.domain.inject_control import (
    check_inject,
    decide_edit,
    decide_hold,
    decide_lift,
    decide_retime,
    decide_skip,
)
from wargame.domain.order_rules import check_order
from wargame.domain.override_decide import (
    decide_force,
    decide_override_status,
    decide_undo_collision,
    decide_undo_debris,
    refuse_direct_readjudication,
)
from wargame.domain.permissions import SENDERS, WHITE_CELL, sent_by
from wargame.domain.product_commands import decide_forward, decide_release, decide_withdraw
from wargame.domain.releasability import Marking, marking_problem
from wargame.domain.request_handlers import REQUEST_HANDLERS
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState
from wargame.domain.status_commands import decide_disclose, decide_restore
from wargame.domain.team_feed import with_notifications
from wargame.domain.tempo import SCHEDULER_ACTOR, clock_paused, decide_deadline, due_at


class CommandTerms(Frozen):
    """What `decide` knows of a command besides its body and seat: its idempotency key
    (`<viewer>/<command_id>`), when it is decided, and how long a move it closes stays its own."""

    key: str
    at: UtcDatetime
    lease_s: Annotated[float, Field(gt=0)]


Decision = list[PendingEvent] | Rejection

CONTROL_COMMANDS = sent_by(WHITE_CELL)
"""The white cell's commands (declared in domain/permissions.py, like every command's senders)."""


def authorize(state: ExerciseState, seat: Seat, command: Command) -> Rejection | None:
    """Whether this seat may issue this kind of command at all (permissions.SENDERS declares it)."""
    kind = command.type
    senders = SENDERS.get(kind)
    if senders is None:
        return reject(state, "forbidden", f"{kind} declares no senders")
    if seat.role is Role.OBSERVER:
        return reject(state, "forbidden", "observers cannot issue commands")
    if seat.role not in senders.roles:
        if seat.role is Role.EVALUATOR:
            return reject(
                state, "forbidden", f"evaluators only observe and rate; {kind} is not an evaluation command"
            )
        return reject(state, "forbidden", senders.refusal.format(kind=kind))
    if state.phase == "ended" and not senders.after_end:
        return reject(state, "wrong_phase", "the exercise has ended")
    return None


CLOSED_WHILE_ADJUDICATING = frozenset({
    "submit_order",
    "cancel_order",
    "answer_tasking",
    "release_product",
    "withdraw_product",
    "restore_asset",
    "force_outcome",
    "override_status",
    "undo_debris",
    "undo_collision",
    "readjudicate_move",
    "request_capacity",
    "answer_capacity",
})
"""Commands that change what the adjudication core reads: refused while a move is closing (chat,
observations, forwards, pauses and inject releases go on; an inject released then resolves in
the next move)."""


def decide(state: ExerciseState, seat: Seat, command: Command, terms: CommandTerms) -> Decision:
    """Check a command against the rules and the seat, and return the events it causes.

    `start_exercise` and `advance_move` return one `move_closing`: the adjudication is the
    separate pure step `domain.closing.adjudicate`, run from the state at that closing, and
    `domain.closing.conclude` records its result (or `reopen`, when it failed)."""
    refused = authorize(state, seat, command)
    if refused is not None:
        return refused
    if state.closing is not None and command.type in CLOSED_WHILE_ADJUDICATING:
        return reject(state, "wrong_phase", closed_message(state.closing.move, state.scenario.moves))
    bodies = _HANDLERS[command.type](state, seat, command, terms)
    if isinstance(bodies, Rejection):
        return bodies
    bodies = with_notifications(state, list(bodies))
    after = evolve_all(state, bodies)
    due = address_all(after, due_at(after, terms.at), SCHEDULER_ACTOR)  # conditions met by this command
    return [*address_all(state, bodies, seat.actor), *due]


def closed_message(move: int, moves: int) -> str:
    """Why team inputs are refused while `move` is closing (0: the exercise is starting)."""
    if move == 0:
        return "the exercise is starting (the first pictures are being computed); act once move 1 opens"
    if move >= moves:
        return f"move {move}, the last, is being adjudicated; the exercise ends with it"
    return f"move {move} is being adjudicated; orders go to move {move + 1} once it opens"


def address_all(
    state: ExerciseState, bodies: Sequence[EventBody], actor: str
) -> list[PendingEvent]:
    """Address each body against the state as it will be when that body is applied."""
    pending: list[PendingEvent] = []
    current = state
    for body in bodies:
        pending.append(PendingEvent(body=body, audience=address(body, current), actor=actor))
        current = evolve_body(current, body)
    return pending


def _start(
    state: ExerciseState, seat: Seat, cmd: StartExercise, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase != "setup":
        return reject(state, "wrong_phase", "the exercise has already started")
    return _close(state, terms, "the exercise is already starting")


def _close(state: ExerciseState, terms: CommandTerms, busy: str) -> list[EventBody] | Rejection:
    """One move_closing of the open move, unless another command holds it under its lease."""
    closing = state.closing
    if closing is not None and closing.lease_until > terms.at:
        until = closing.lease_until.strftime("%H:%M:%S UTC")
        return reject(state, "stale", f"{busy}; if nothing comes of it, try again after {until}")
    lease_until = terms.at + timedelta(seconds=terms.lease_s)
    return [MoveClosing(move=state.move, command=terms.key, lease_until=lease_until)]


def _pause(
    state: ExerciseState, seat: Seat, cmd: PauseExercise, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase != "running":
        return reject(state, "wrong_phase", f"cannot pause while {state.phase}")
    return [ExercisePaused(reason=cmd.reason), *clock_paused(state, terms.at, running=False)]


def _resume(
    state: ExerciseState, seat: Seat, cmd: ResumeExercise, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase != "paused":
        return reject(state, "wrong_phase", f"cannot resume while {state.phase}")
    return [ExerciseResumed(), *clock_paused(state, terms.at, running=True)]


def _advance(
    state: ExerciseState, seat: Seat, cmd: AdvanceMove, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase != "running":
        return reject(state, "wrong_phase", f"cannot advance while {state.phase}")
    if cmd.from_move != state.move:
        return reject(
            state, "stale", f"move {cmd.from_move} is already closed; move {state.move} is open"
        )
    return _close(state, terms, f"move {state.move} is already being adjudicated")


def _end(
    state: ExerciseState, seat: Seat, cmd: EndExercise, terms: CommandTerms
) -> list[EventBody] | Rejection:
    return [ExerciseEnded(move=state.move)]


def _release(
    state: ExerciseState, seat: Seat, cmd: ReleaseInject, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "injects can be released once the exercise has started")
    entry = state.injects.get(cmd.inject_id)
    if entry is None:
        return reject(state, "unknown_target", f"no inject {cmd.inject_id!r} in the MSEL")
    if entry.released_move is not None:
        return reject(
            state,
            "already_done",
            f"inject {cmd.inject_id!r} was released in move {entry.released_move}",
        )
    return [InjectReleased(inject=entry.inject)]


def _adhoc(
    state: ExerciseState, seat: Seat, cmd: AdHocInject, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase not in ("running", "paused"):
        return reject(state, "wrong_phase", "injects can be released once the exercise has started")
    known = {n.id for n in state.scenario.nations}
    unknown = [n for n in (*cmd.recipients, *([cmd.actor] if cmd.actor else [])) if n not in known]
    if unknown:
        return reject(state, "unknown_target", f"unknown nations {unknown}")
    marking = Marking(releasability=cmd.releasability, releasable_to=cmd.releasable_to)
    if problem := marking_problem(marking, None, cmd.recipients, state.scenario):
        return reject(state, "invalid", f"marking: {problem}")
    params = check_inject(state, cmd.inject_type, cmd.target, cmd.params)
    if isinstance(params, Rejection):
        return params
    inject = Inject(
        id=new_id(state, "ADHOC"),
        serial=0,
        title=cmd.title,
        move=max(state.move, 1),
        trigger="manual",
        type=cmd.inject_type,
        params=params.model_dump(exclude_unset=True),
        target=cmd.target,
        actor=cmd.actor,
        recipients=cmd.recipients,
        text=cmd.text,
        controller_notes=cmd.controller_notes,
        releasability=cmd.releasability,
        releasable_to=cmd.releasable_to,
    )
    return [InjectReleased(inject=inject, adhoc=True)]


def _submit(
    state: ExerciseState, seat: Seat, cmd: SubmitOrder, terms: CommandTerms
) -> list[EventBody] | Rejection:
    if state.phase != "running":
        return reject(state, "wrong_phase", "orders can only be submitted while a move is running")
    nation = seat.nation or ""
    problem = check_order(state, nation, cmd.order)
    if problem is not None:
        code, message = problem
        return reject(state, code, message)
    order_id = new_id(state, "O")
    bodies: list[EventBody] = [
        OrderSubmitted(order_id=order_id, nation=nation, order=cmd.order, reason=cmd.reason)
    ]
    order = cmd.order
    if order.kind == "tasking_request":
        bodies.append(
            TaskingRequested(
                request_id=new_id(state, "T"),
                requester=nation,
                partner=order.partner,
                sensor_id=order.sensor_id,
                object_id=order.object_id,
            )
        )
    elif order.kind == "public_attribution":
        bodies.append(
            AttributionPublished(
                nation=nation,
                inject_id=order.inject_id,
                accused=order.accused,
                likelihood=order.likelihood,
                statement=cmd.reason,
            )
        )
    return bodies


def _cancel(
    state: ExerciseState, seat: Seat, cmd: CancelOrder, terms: CommandTerms
) -> list[EventBody] | Rejection:
    nation = seat.nation or ""
    if cmd.order_id not in state.nations[nation].orders:
        return reject(state, "unknown_target", f"no open order {cmd.order_id!r} of {nation}")
    return [OrderCancelled(order_id=cmd.order_id, nation=nation)]


def _answer(
    state: ExerciseState, seat: Seat, cmd: AnswerTasking, terms: CommandTerms
) -> list[EventBody] | Rejection:
    request = state.taskings.get(cmd.request_id)
    if request is None or request.partner != seat.nation:
        return reject(
            state, "unknown_target", f"no tasking request {cmd.request_id!r} addressed to you"
        )
    if request.status != "pending":
        return reject(
            state, "already_done", f"request {cmd.request_id!r} was already {request.status}"
        )
    if request.move != state.move:
        return reject(
            state, "stale", f"request {cmd.request_id!r} expired with move {request.move}"
        )
    return [
        TaskingAnswered(
            request_id=request.request_id,
            requester=request.requester,
            partner=request.partner,
            accepted=cmd.accept,
            reason=cmd.reason,
        )
    ]


def evolve_all(state: ExerciseState, bodies: Sequence[EventBody]) -> ExerciseState:
    for body in bodies:
        state = evolve_body(state, body)
    return state


_HANDLERS: dict[str, Callable[..., list[EventBody] | Rejection]] = {
    "start_exercise": _start,
    "pause_exercise": _pause,
    "resume_exercise": _resume,
    "advance_move": _advance,
    "end_exercise": _end,
    "release_inject": _release,
    "adhoc_inject": _adhoc,
    "restore_asset": lambda state, seat, cmd, terms: decide_restore(state, cmd),
    "disclose_status": lambda state, seat, cmd, terms: decide_disclose(state, cmd),
    "release_product": lambda state, seat, cmd, terms: decide_release(state, seat.nation or "", cmd),
    "withdraw_product": lambda state, seat, cmd, terms: decide_withdraw(state, seat.nation or "", cmd),
    "forward_inject": lambda state, seat, cmd, terms: decide_forward(state, seat.nation or "", cmd),
    "submit_order": _submit,
    "cancel_order": _cancel,
    "answer_tasking": _answer,
    "post_chat": lambda state, seat, cmd, terms: decide_chat(state, seat, cmd),
    "request_sharing_analysis": lambda state, seat, cmd, terms: decide_analysis(state, cmd),
    **{
        kind: lambda state, seat, cmd, terms, handler=handler: handler(state, seat, cmd)
        for kind, handler in EVALUATION_HANDLERS.items()
    },
    "force_outcome": lambda state, seat, cmd, terms: decide_force(state, cmd),
    "override_status": lambda state, seat, cmd, terms: decide_override_status(state, cmd),
    "undo_debris": lambda state, seat, cmd, terms: decide_undo_debris(state, cmd),
    "undo_collision": lambda state, seat, cmd, terms: decide_undo_collision(state, cmd),
    "readjudicate_move": lambda state, seat, cmd, terms: refuse_direct_readjudication(state, cmd),
    "skip_inject": lambda state, seat, cmd, terms: decide_skip(state, cmd),
    "hold_inject": lambda state, seat, cmd, terms: decide_hold(state, cmd),
    "lift_hold": lambda state, seat, cmd, terms: decide_lift(state, cmd),
    "retime_inject": lambda state, seat, cmd, terms: decide_retime(state, cmd),
    "edit_inject": lambda state, seat, cmd, terms: decide_edit(state, cmd),
    **{kind: lambda state, seat, cmd, terms, handler=handler: handler(state, seat, cmd)
       for kind, handler in REQUEST_HANDLERS.items()},
    "set_move_deadline": lambda state, seat, cmd, terms: decide_deadline(state, cmd, terms.at),
}
