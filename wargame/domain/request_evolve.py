"""How the events of requests between teams change the state (state.requests)."""

from __future__ import annotations

from typing import Any

from wargame.domain.events import EventBody
from wargame.domain.request_events import (
    CapacityAnswered,
    CapacityRequested,
    RequestAnswered,
    RequestLapsed,
    RequestSent,
    StatementAmended,
    StatementAnswered,
    StatementDrafted,
    StatementIssued,
)
from wargame.domain.request_state import Ask, CapacityRequest, JointStatement, RequestBook, StatementRefusal
from wargame.domain.state import ExerciseState


def _with(state: ExerciseState, **changes: Any) -> ExerciseState:
    return state.model_copy(update={"requests": state.requests.model_copy(update=changes)})


def _capacity(state: ExerciseState, request: CapacityRequest) -> ExerciseState:
    return _with(state, capacity={**state.requests.capacity, request.request_id: request})


def _statement(state: ExerciseState, statement: JointStatement) -> ExerciseState:
    return _with(state, statements={**state.requests.statements, statement.statement_id: statement})


def _ask(state: ExerciseState, ask: Ask) -> ExerciseState:
    return _with(state, asks={**state.requests.asks, ask.request_id: ask})


def _answered(book: RequestBook, body: StatementAnswered) -> JointStatement:
    statement = book.statements[body.statement_id]
    if body.consent:
        return statement.model_copy(update={"consents": (*statement.consents, body.nation)})
    refusal = StatementRefusal(nation=body.nation, reason=body.reason, version=body.version)
    return statement.model_copy(update={"status": "returned", "refusal": refusal, "consents": ()})


def evolve_requests(state: ExerciseState, body: EventBody) -> ExerciseState | None:
    """The state after one event of requests between teams; None for any other event."""
    book = state.requests
    match body:
        case CapacityRequested():
            request = CapacityRequest(
                request_id=body.request_id,
                requester=body.requester,
                provider=body.provider,
                area=body.area,
                units=body.units,
                moves=body.moves,
                reason=body.reason,
                move=state.move,
                answered_by=body.answered_by,
            )
            return _capacity(state, request)
        case CapacityAnswered():
            answered = book.capacity[body.request_id].model_copy(
                update={
                    "status": "accepted" if body.units > 0 else "declined",
                    "granted": body.units,
                    "from_move": body.from_move if body.units > 0 else None,
                    "until_move": body.until_move if body.units > 0 else None,
                    "answer_reason": body.reason,
                }
            )
            return _capacity(state, answered)
        case StatementDrafted():
            statement = JointStatement(
                statement_id=body.statement_id,
                drafter=body.drafter,
                cosigners=body.cosigners,
                text=body.text,
                marking=body.marking,
            )
            return _statement(state, statement)
        case StatementAmended():
            amended = book.statements[body.statement_id].model_copy(
                update={
                    "text": body.text,
                    "cosigners": body.cosigners,
                    "version": body.version,
                    "consents": (),
                    "status": "draft",
                }
            )
            return _statement(state, amended)
        case StatementAnswered():
            return _statement(state, _answered(book, body))
        case StatementIssued(statement_id=statement_id):
            issued = book.statements[statement_id].model_copy(
                update={"status": "issued", "issued_move": state.move}
            )
            return _statement(state, issued)
        case RequestSent():
            ask = Ask(
                request_id=body.request_id,
                kind=body.kind,
                requester=body.requester,
                to=body.to,
                text=body.text,
                move=state.move,
            )
            return _ask(state, ask)
        case RequestAnswered():
            answered_ask = book.asks[body.request_id].model_copy(
                update={
                    "status": "approved" if body.approved else "denied",
                    "answer": body.answer,
                    "answered_by": body.answered_by,
                }
            )
            return _ask(state, answered_ask)
        case RequestLapsed(request_id=request_id, kind="capacity"):
            return _capacity(state, book.capacity[request_id].model_copy(update={"status": "lapsed"}))
        case RequestLapsed(request_id=request_id):
            return _ask(state, book.asks[request_id].model_copy(update={"status": "lapsed"}))
    return None
