"""The operator API: create, list and look at exercises, control them through the white cell's
command path, issue and revoke join links (docs/http-api.md). Bearer `op_` tokens, no CSRF."""

from __future__ import annotations

import functools
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import sync_to_async
from channels.db import database_sync_to_async
from django.conf import settings
from django.db import close_old_connections, connections
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views.decorators.csrf import csrf_exempt
from pydantic import BaseModel

from wargame.domain.commands import Command, command_adapter
from wargame.protocol import http_models as api
from wargame.scenario import LoadError
from wargame.server import jobs
from wargame.server.exercises import create_exercise, format_links
from wargame.server.models import Exercise
from wargame.server.operator_support import REJECTION_STATUS, exercise_summary, parse_body, run_command
from wargame.server.operators import Operator, api_error, authenticate_operator
from wargame.server.origin import http_origin_allowed
from wargame.server.runtime import get_service
from wargame.server.seats import SeatError, issue_member_seat, list_seats, revoke_seat_id

View = Callable[..., HttpResponse]


def _json(answer: BaseModel, status: int = 200) -> JsonResponse:
    response = JsonResponse(answer.model_dump(mode="json"), status=status)
    response["Cache-Control"] = "no-store"
    return response


def _guarded(view: Callable[..., Any], request: HttpRequest, **kwargs: Any) -> Any:
    """In a worker thread with its own connection: refuse a foreign Origin, authenticate the
    operator, then run the view."""
    close_old_connections()
    try:
        if not http_origin_allowed(request):
            origin = request.headers.get("Origin", "")[:200]
            return api_error(403, "forbidden_origin", f"Origin {origin!r} is not allowed")
        found = authenticate_operator(request)
        if isinstance(found, JsonResponse):
            return found
        return view(request, found, **kwargs)
    finally:
        connections.close_all()  # a pool thread keeps no idle connection (operators call rarely)


async def _off_loop(view: Callable[..., Any], request: HttpRequest, **kwargs: Any) -> Any:
    return await sync_to_async(_guarded, thread_sensitive=False)(view, request, **kwargs)


def _endpoint(view: View) -> Callable[..., Awaitable[HttpResponse]]:
    """An operator endpoint: CSRF-exempt (token-authenticated, no cookies), refused from a foreign
    Origin, authenticated, and run in a worker thread of its own (creating a large scenario
    takes a while): never on the thread of the websocket commands."""

    @functools.wraps(view)
    async def endpoint(request: HttpRequest, **kwargs: Any) -> HttpResponse:
        response: HttpResponse = await _off_loop(view, request, **kwargs)
        return response

    return csrf_exempt(endpoint)


def _methods(request: HttpRequest, *allowed: str) -> JsonResponse | None:
    if request.method in allowed:
        return None
    message = f"{request.method} is not allowed; use {' or '.join(allowed)}"
    response = api_error(405, "method_not_allowed", message)
    response["Allow"] = ", ".join(allowed)
    return response


def _exercise(exercise_id: str) -> Exercise | JsonResponse:
    found = Exercise.objects.filter(id=exercise_id).first()
    return found if found is not None else api_error(404, "not_found", f"no exercise {exercise_id!r}")


@_endpoint
def exercises(request: HttpRequest, operator: Operator) -> HttpResponse:
    """`GET /api/exercises`: every exercise, newest first. `POST` {scenario, seed?, ruleset?,
    title?}: a new exercise of a shipped scenario, with its join links (shown once)."""
    refused = _methods(request, "GET", "POST")
    if refused is not None:
        return refused
    if request.method == "GET":
        rows = Exercise.objects.order_by("-created_at", "id")
        return _json(api.ExerciseList(exercises=[exercise_summary(row) for row in rows]))
    body = parse_body(request, api.CreateExercise)
    if isinstance(body, JsonResponse):
        return body
    try:
        created = create_exercise(body.scenario, ruleset=body.ruleset, title=body.title, seed=body.seed)
    except FileNotFoundError as exc:
        return api_error(422, "unknown_file", str(exc))
    except LoadError as exc:
        return api_error(422, "invalid_scenario", str(exc)[:2000])
    base = str(settings.WARGAME["PUBLIC_URL"])
    seats = [
        api.SeatLink(
            seat_id=s.seat_id, label=s.label, role=s.role.value, nation=s.nation, member=s.member,
            token=s.token, link=s.link(base),
        )
        for s in created.seats
    ]
    row = Exercise.objects.get(id=created.exercise_id)
    text = format_links(created, base)
    answer = api.CreatedExercise(exercise=exercise_summary(row), seats=seats, text=text)
    return _json(answer, 201)


@_endpoint
def exercise(request: HttpRequest, operator: Operator, exercise_id: str) -> HttpResponse:
    """`GET /api/exercises/{id}`: one exercise's summary."""
    refused = _methods(request, "GET")
    if refused is not None:
        return refused
    row = _exercise(exercise_id)
    return row if isinstance(row, JsonResponse) else _json(exercise_summary(row))


@_endpoint
def seats(request: HttpRequest, operator: Operator, exercise_id: str) -> HttpResponse:
    """`GET /api/exercises/{id}/seats`: its join links (never their tokens). `POST` {role,
    nation?, member}: a new link for a named member, shown once."""
    refused = _methods(request, "GET", "POST")
    if refused is not None:
        return refused
    row = _exercise(exercise_id)
    if isinstance(row, JsonResponse):
        return row
    if request.method == "GET":
        listed = [
            api.SeatEntry(
                seat_id=s.seat_id, label=s.label, role=s.role, nation=s.nation, member=s.member,
                revoked=s.revoked, created=s.created,
            )
            for s in list_seats(exercise_id)
        ]
        return _json(api.SeatList(seats=listed))
    body = parse_body(request, api.IssueSeat)
    if isinstance(body, JsonResponse):
        return body
    try:
        issued = issue_member_seat(exercise_id, body.role, body.nation, body.member)
    except SeatError as exc:
        return api_error(422, "invalid", str(exc))
    link = issued.link(str(settings.WARGAME["PUBLIC_URL"]))
    answer = api.SeatLink(
        seat_id=issued.seat_id, label=issued.label, role=issued.role.value, nation=issued.nation,
        member=issued.member, token=issued.token, link=link,
    )
    return _json(answer, 201)


@_endpoint
def seat(request: HttpRequest, operator: Operator, exercise_id: str, seat_id: int) -> HttpResponse:
    """`DELETE /api/exercises/{id}/seats/{seat_id}`: revoke a join link (its sockets close)."""
    refused = _methods(request, "DELETE")
    if refused is not None:
        return refused
    try:
        count = revoke_seat_id(exercise_id, int(seat_id))
    except SeatError as exc:
        return api_error(404, "not_found", str(exc))
    return _json(api.SeatRevoked(seat_id=int(seat_id), revoked=count > 0))


def _command(body: api.ControlExercise, move: int) -> Command:
    """The white-cell command of an action (advance closes the open move unless told which)."""
    by_action: dict[str, dict[str, Any]] = {
        "start": {"type": "start_exercise"},
        "pause": {"type": "pause_exercise", "reason": body.reason},
        "resume": {"type": "resume_exercise"},
        "advance": {"type": "advance_move", "from_move": body.from_move or max(move, 1)},
        "end": {"type": "end_exercise"},
    }
    return command_adapter.validate_python(by_action[body.action])


def _control_request(
    request: HttpRequest, operator: Operator, exercise_id: str
) -> HttpResponse | tuple[Operator, str, str, Command]:
    refused = _methods(request, "POST")
    if refused is not None:
        return refused
    row = _exercise(exercise_id)
    if isinstance(row, JsonResponse):
        return row
    body = parse_body(request, api.ControlExercise)
    if isinstance(body, JsonResponse):
        return body
    if body.action != "advance" and body.from_move is not None:
        return api_error(400, "bad_request", "from_move: only for action advance")
    if body.action != "pause" and body.reason:
        return api_error(400, "bad_request", "reason: only for action pause")
    state = get_service().state(exercise_id)
    command_id = f"{operator.member}/{body.command_id or uuid.uuid4().hex}"
    return operator, exercise_id, command_id, _command(body, state.move)


@csrf_exempt
async def control(request: HttpRequest, exercise_id: str) -> HttpResponse:
    """`POST /api/exercises/{id}/control` {action: start|pause|resume|advance|end, from_move?,
    reason?, command_id?}: the white cell's command, decided, recorded and published exactly as
    from its websocket, in the log as the operator's (member `operator:<name>`). A rejection
    answers 409 (or 422) with its code and message; nothing was recorded."""
    prepared: Any = await _off_loop(_control_request, request, exercise_id=exercise_id)
    if isinstance(prepared, HttpResponse):
        return prepared
    operator, exercise_id, command_id, command = prepared
    result = await run_command(exercise_id, operator, command_id, command, command.type in jobs.JOB_COMMANDS)
    if result is None:
        return api_error(401, "unauthorized", "the operator token was revoked; nothing was recorded")
    if result.get("status") != "accepted":
        status = REJECTION_STATUS.get(str(result.get("code")), 409)
        return api_error(
            status, str(result.get("code")), str(result.get("message")), current_seq=result.get("current_seq")
        )
    summary = await database_sync_to_async(_summary_of)(exercise_id)
    answer = api.ControlResult(
        status="accepted", command_id=command_id, seqs=result["seqs"], seq=result["seq"],
        repeat=bool(result.get("repeat")), exercise=summary,
    )
    return _json(answer)


def _summary_of(exercise_id: str) -> api.ExerciseSummary:
    return exercise_summary(Exercise.objects.get(id=exercise_id))
