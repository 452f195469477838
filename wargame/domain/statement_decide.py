"""decide for joint statements by consent: a nation drafts, each named co-signer consents or
refuses (the draft returns to the drafter, who may amend and ask again), and the statement is
issued when every co-signer has consented to the current version."""

from __future__ import annotations

from collections.abc import Sequence

from wargame.domain.audience import Seat
from wargame.domain.commands import Rejection, reject
from wargame.domain.common import Marking
from wargame.domain.events import EventBody
from wargame.domain.ids import new_id
from wargame.domain.releasability import delivered_to, marking_problem
from wargame.domain.request_commands import AmendStatement, AnswerStatement, DraftStatement
from wargame.domain.request_decide import running
from wargame.domain.request_events import (
    StatementAmended,
    StatementAnswered,
    StatementDrafted,
    StatementIssued,
)
from wargame.domain.request_state import JointStatement
from wargame.domain.state import ExerciseState


def cosigner_problem(
    state: ExerciseState, drafter: str, cosigners: Sequence[str], marking: Marking
) -> str | None:
    """Why these co-signers cannot sign a statement of `drafter` under `marking`; None if they can."""
    played = set(state.played_nations())
    if len(set(cosigners)) != len(cosigners):
        return "cosigners: each nation once"
    if drafter in cosigners:
        return "cosigners: the drafter signs already; name the other nations"
    unplayed = [n for n in cosigners if n not in played]
    if unplayed:
        return f"cosigners: {unplayed} are not played nations"
    if problem := marking_problem(marking, drafter, (), state.scenario):
        return f"marking: {problem}"
    reached = delivered_to(marking, drafter, (), state.scenario)
    outside = [n for n in cosigners if reached is not None and n not in reached]
    if outside:
        return f"marking: {marking.label} does not release to co-signers {outside}"
    return None


def decide_draft(state: ExerciseState, seat: Seat, cmd: DraftStatement) -> list[EventBody] | Rejection:
    if refused := running(state, "a joint statement"):
        return refused
    drafter = seat.nation or ""
    if problem := cosigner_problem(state, drafter, cmd.cosigners, cmd.marking):
        return reject(state, "invalid", problem)
    return [
        StatementDrafted(
            statement_id=new_id(state, "JS"),
            drafter=drafter,
            cosigners=cmd.cosigners,
            text=cmd.text.strip(),
            marking=cmd.marking,
        )
    ]


def _statement(state: ExerciseState, statement_id: str, nation: str) -> JointStatement | Rejection:
    statement = state.requests.statements.get(statement_id)
    if statement is None or nation not in statement.parties():
        return reject(state, "unknown_target", f"no joint statement {statement_id!r} of yours")
    if statement.status == "issued":
        return reject(
            state,
            "already_done",
            f"joint statement {statement_id!r} was issued in move {statement.issued_move}",
        )
    return statement


def decide_amend(state: ExerciseState, seat: Seat, cmd: AmendStatement) -> list[EventBody] | Rejection:
    if refused := running(state, "an amended statement"):
        return refused
    drafter = seat.nation or ""
    statement = _statement(state, cmd.statement_id, drafter)
    if isinstance(statement, Rejection):
        return statement
    if statement.drafter != drafter:
        return reject(
            state, "not_owner", f"only {statement.drafter}, its drafter, amends {cmd.statement_id!r}"
        )
    cosigners = statement.cosigners if cmd.cosigners is None else cmd.cosigners
    if problem := cosigner_problem(state, drafter, cosigners, statement.marking):
        return reject(state, "invalid", problem)
    return [
        StatementAmended(
            statement_id=statement.statement_id,
            drafter=drafter,
            cosigners=cosigners,
            previous_cosigners=statement.cosigners,
            text=cmd.text.strip(),
            version=statement.version + 1,
        )
    ]


def decide_answer_statement(
    state: ExerciseState, seat: Seat, cmd: AnswerStatement
) -> list[EventBody] | Rejection:
    if refused := running(state, "an answer to a statement"):
        return refused
    nation = seat.nation or ""
    statement = _statement(state, cmd.statement_id, nation)
    if isinstance(statement, Rejection):
        return statement
    if nation not in statement.cosigners:
        return reject(state, "invalid", f"{nation} drafted {cmd.statement_id!r}; its co-signers answer it")
    if statement.status == "returned":
        return reject(
            state,
            "wrong_phase",
            f"{cmd.statement_id!r} went back to {statement.drafter}: wait for its amended draft",
        )
    if nation in statement.consents:
        return reject(state, "already_done", f"{nation} already consented to version {statement.version}")
    reason = cmd.reason.strip()
    if not cmd.consent and not reason:
        return reject(state, "invalid", "reason: say why you refuse (the drafter reads it)")
    answered = StatementAnswered(
        statement_id=statement.statement_id,
        drafter=statement.drafter,
        cosigners=statement.cosigners,
        nation=nation,
        version=statement.version,
        consent=cmd.consent,
        reason=reason,
    )
    bodies: list[EventBody] = [answered]
    if cmd.consent and set(statement.cosigners) <= {*statement.consents, nation}:
        bodies.append(
            StatementIssued(
                statement_id=statement.statement_id,
                drafter=statement.drafter,
                cosigners=statement.cosigners,
                text=statement.text,
                marking=statement.marking,
                version=statement.version,
            )
        )
    return bodies
