"""decide for fallback capacity requests, RFIs and requests for assistance: what each records, or
why it is refused; and the lapses recorded when a move closes with requests unanswered."""

from __future__ import annotations

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import Rejection, reject
from wargame.domain.common import MissionArea
from wargame.domain.events import EventBody
from wargame.domain.ids import new_id
from wargame.domain.request_commands import AnswerCapacity, AnswerRequest, RequestCapacity, SendRequest
from wargame.domain.request_events import (
    Answerer,
    CapacityAnswered,
    CapacityRequested,
    RequestAnswered,
    RequestLapsed,
    RequestSent,
)
from wargame.domain.request_state import Ask, CapacityRequest
from wargame.domain.state import ExerciseState


def running(state: ExerciseState, what: str) -> Rejection | None:
    """Requests act when sent, during a running move."""
    if state.phase != "running":
        return reject(
            state, "wrong_phase", f"{what} can only be sent while a move is running (now {state.phase})"
        )
    return None


def answerer_of(state: ExerciseState, nation: str | None) -> Answerer:
    """Who answers for `nation`: its team when played, else (and for None) the white cell."""
    spec = None if nation is None else state.scenario.nation(nation)
    return "team" if spec is not None and spec.played else "white_cell"


def may_answer(seat: Seat, addressee: str | None, answered_by: Answerer) -> bool:
    """Whether this seat answers for `addressee`: its team, or the white cell for the unplayed."""
    if answered_by == "white_cell":
        return seat.role is Role.WHITE_CELL
    return seat.role is Role.PLAYER and seat.nation == addressee


def _units(n: int) -> str:
    return f"{n} unit" if n == 1 else f"{n} units"


def capacity_refusal(state: ExerciseState, provider: str, cmd: RequestCapacity) -> str | None:
    """Why `provider` cannot lend what `cmd` asks for now, naming the limit; None if it can."""
    spec = state.scenario.nation(provider)
    offer = None if spec is None else spec.fallback
    area = cmd.area.value
    if offer is None or offer.capacity.get(cmd.area, 0) == 0:
        return f"{provider} offers no fallback {area} capacity (scenario nations.{provider}.fallback)"
    limit = offer.request_limit(cmd.area)
    if cmd.units > limit:
        return f"{provider} lends at most {_units(limit)} of {area} per request (fallback.max_request.{area})"
    left = remaining(state, provider, cmd.area)
    if cmd.units > left:
        total = offer.capacity[cmd.area]
        limit_name = f"fallback.capacity.{area}"
        return f"{provider} has {_units(left)} of {area} left of its capacity of {total} ({limit_name})"
    return None


def remaining(state: ExerciseState, provider: str, area: MissionArea) -> int:
    """Units of `provider`'s fallback capacity in `area` not lent out in the current move."""
    spec = state.scenario.nation(provider)
    if spec is None or spec.fallback is None:
        return 0
    lent = state.requests.capacity_in_use(provider, area, state.move)
    return spec.fallback.capacity.get(area, 0) - lent


def decide_request_capacity(
    state: ExerciseState, seat: Seat, cmd: RequestCapacity
) -> list[EventBody] | Rejection:
    if refused := running(state, "a capacity request"):
        return refused
    nation = seat.nation or ""
    rules = state.ruleset.requests
    if rules is None:
        return reject(
            state, "invalid", f"ruleset {state.ruleset.id!r} has no requests section: no capacity requests"
        )
    if state.scenario.nation(cmd.provider) is None:
        return reject(state, "unknown_target", f"no nation {cmd.provider!r}")
    if cmd.provider == nation:
        return reject(state, "invalid", "a capacity request goes to another nation")
    if cmd.moves > rules.max_moves:
        return reject(state, "invalid", f"moves: at most {rules.max_moves} (ruleset requests.max_moves)")
    if problem := capacity_refusal(state, cmd.provider, cmd):
        return reject(state, "invalid", problem)
    return [
        CapacityRequested(
            request_id=new_id(state, "CR"),
            requester=nation,
            provider=cmd.provider,
            area=cmd.area,
            units=cmd.units,
            moves=cmd.moves,
            reason=cmd.reason.strip(),
            answered_by=answerer_of(state, cmd.provider),
        )
    ]


def decide_answer_capacity(
    state: ExerciseState, seat: Seat, cmd: AnswerCapacity
) -> list[EventBody] | Rejection:
    if refused := running(state, "an answer"):
        return refused
    request = state.requests.capacity.get(cmd.request_id)
    if request is None or not may_answer(seat, request.provider, request.answered_by):
        return reject(state, "unknown_target", f"no capacity request {cmd.request_id!r} for you to answer")
    if request.status != "pending":
        return reject(
            state, "already_done", f"capacity request {cmd.request_id!r} was already {request.status}"
        )
    reason = cmd.reason.strip()
    if not cmd.accept and not reason:
        return reject(state, "invalid", "reason: say why you decline")
    if not cmd.accept and cmd.units is not None:
        return reject(state, "invalid", "units: only an acceptance lends units")
    units = request.units if cmd.units is None or not cmd.accept else cmd.units
    if units > request.units:
        return reject(state, "invalid", f"units: {units} is more than the {request.units} requested")
    left = remaining(state, request.provider, request.area)
    if cmd.accept and units > left:
        problem = (
            f"units: {request.provider} has {_units(left)} of {request.area.value} left (fallback.capacity)"
        )
        return reject(state, "invalid", problem)
    return [
        CapacityAnswered(
            request_id=request.request_id,
            requester=request.requester,
            provider=request.provider,
            area=request.area,
            requested=request.units,
            units=units if cmd.accept else 0,
            from_move=state.move,
            until_move=state.move + request.moves - 1,
            reason=reason,
            answered_by=request.answered_by,
        )
    ]


def decide_send_request(state: ExerciseState, seat: Seat, cmd: SendRequest) -> list[EventBody] | Rejection:
    what = "an RFI" if cmd.kind == "rfi" else "a request for assistance"
    if refused := running(state, what):
        return refused
    nation = seat.nation or ""
    if cmd.kind == "rfi" and cmd.to is not None:
        return reject(state, "invalid", "to: an RFI goes to the white cell (leave `to` empty)")
    if cmd.to is not None and state.scenario.nation(cmd.to) is None:
        return reject(state, "unknown_target", f"no nation {cmd.to!r}")
    if cmd.to == nation:
        return reject(
            state, "invalid", "to: a request for assistance goes to another nation or the white cell"
        )
    return [
        RequestSent(
            request_id=new_id(state, "RQ"), kind=cmd.kind, requester=nation, to=cmd.to, text=cmd.text.strip()
        )
    ]


def decide_answer_request(
    state: ExerciseState, seat: Seat, cmd: AnswerRequest
) -> list[EventBody] | Rejection:
    ask = state.requests.asks.get(cmd.request_id)
    answered_by = answerer_of(state, ask.to) if ask is not None else "white_cell"
    if ask is None or not may_answer(seat, ask.to, answered_by):
        return reject(state, "unknown_target", f"no request {cmd.request_id!r} for you to answer")
    if ask.status != "pending":
        return reject(state, "already_done", f"request {cmd.request_id!r} was already {ask.status}")
    return [
        RequestAnswered(
            request_id=ask.request_id,
            kind=ask.kind,
            requester=ask.requester,
            to=ask.to,
            approved=cmd.approve,
            answer=cmd.answer.strip(),
            answered_by=answered_by,
        )
    ]


def lapses(state: ExerciseState) -> list[EventBody]:
    """One request_lapsed for each request of the closing move still unanswered."""
    out: list[EventBody] = []
    for item in state.requests.pending_at_close(state.move):
        if isinstance(item, CapacityRequest):
            out.append(
                RequestLapsed(
                    request_id=item.request_id,
                    kind="capacity",
                    requester=item.requester,
                    to=item.provider,
                    move=item.move,
                )
            )
        elif isinstance(item, Ask):
            out.append(
                RequestLapsed(
                    request_id=item.request_id,
                    kind=item.kind,
                    requester=item.requester,
                    to=item.to,
                    move=item.move,
                )
            )
    return out
