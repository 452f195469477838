"""What the operator endpoints share: strict JSON request bodies, exercise summaries, and running
a white-cell command as the white cell's websocket does (decide, append, publish after commit)."""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any, TypeVar

from channels.db import database_sync_to_async
from django.core.exceptions import RequestDataTooBig
from django.http import HttpRequest, JsonResponse
from pydantic import BaseModel, ValidationError

from wargame.domain.commands import Command
from wargame.domain.events import EventEnvelope
from wargame.eventlog.trust import TamperedLog
from wargame.protocol import http_models as api
from wargame.server import jobs
from wargame.server.models import Exercise
from wargame.server.operators import Operator, api_error, operator_is_valid
from wargame.server.runtime import (
    announce_news,
    get_service,
    in_adjudication_thread,
    news_deferred,
    uses_workers,
)
from wargame.services.commands import CommandResult, ExerciseNotFound, SeatRevoked

logger = logging.getLogger(__name__)
Body = TypeVar("Body", bound=BaseModel)

MAX_BODY_BYTES = 64 * 1024
"""The largest request body an operator endpoint reads."""
REJECTION_STATUS = {"invalid": 422, "unknown_target": 422, "timeout": 504}
"""The HTTP status of a rejected command by its code; any other code answers 409."""
_background: set[asyncio.Task[None]] = set()


def parse_body(request: HttpRequest, model: type[Body]) -> Body | JsonResponse:
    """The request's JSON object as `model`, or a 400 naming what is wrong: not JSON, too large,
    not an object, an unknown field, a missing one, or a value of the wrong type or range."""
    if request.content_type != "application/json":
        return api_error(400, "bad_request", "body: send JSON with Content-Type: application/json")
    try:
        declared = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        declared = 0
    if declared > MAX_BODY_BYTES:
        return api_error(400, "too_large", f"body: {declared} bytes; at most {MAX_BODY_BYTES}")
    try:
        raw = request.body
    except RequestDataTooBig:
        return api_error(400, "too_large", f"body: at most {MAX_BODY_BYTES} bytes")
    if len(raw) > MAX_BODY_BYTES:
        return api_error(400, "too_large", f"body: {len(raw)} bytes; at most {MAX_BODY_BYTES}")
    try:
        data = json.loads(raw)
    except ValueError as exc:
        return api_error(400, "bad_json", f"body: not JSON ({exc})"[:300])
    if not isinstance(data, dict):
        return api_error(400, "bad_request", f"body: a JSON object, not {type(data).__name__}")
    try:
        return model.model_validate(data)
    except ValidationError as exc:
        problems = [
            f"{'.'.join(str(part) for part in error['loc']) or 'body'}: {error['msg']}"
            for error in exc.errors()[:5]
        ]
        return api_error(400, "bad_request", "; ".join(problems))


def exercise_summary(row: Exercise) -> api.ExerciseSummary:
    """An exercise as the operator API lists it (phase and move from its folded state)."""
    seats = row.seats.filter(revoked=False).count()
    phase: Any = "unreadable"
    move = moves = 0
    last_seq = row.last_seq
    try:
        state = get_service().state(row.id)
    except (ExerciseNotFound, TamperedLog) as exc:
        logger.warning("exercise %s cannot be summarized: %s", row.id, exc)
    else:
        phase, move, moves, last_seq = state.phase, state.move, state.scenario.moves, state.last_seq
    return api.ExerciseSummary(
        id=row.id, title=row.title, scenario=row.scenario_id, phase=phase, move=move, moves=moves,
        created=row.created_at, last_seq=last_seq, seats=seats,
    )


async def run_command(
    exercise_id: str, operator: Operator, command_id: str, command: Command, adjudicates: bool
) -> CommandResult | None:
    """Run a command as the operator's white-cell seat by the websocket's path: queued for a
    `wargame worker` when the server uses workers and it adjudicates; else in a thread of its
    own when it adjudicates, on the database thread when not. None: the operator's token was
    revoked (checked inside the command's transaction); nothing was recorded."""
    if uses_workers() and adjudicates:
        return await _run_as_job(exercise_id, operator, command_id, command)
    loop = asyncio.get_running_loop()

    def closed(events: list[EventEnvelope], news: list[tuple[str, int]]) -> None:
        loop.call_soon_threadsafe(_announce, news[:])

    if adjudicates:
        handled = await in_adjudication_thread(_handle, exercise_id, operator, command_id, command, closed)
    else:
        handled = await database_sync_to_async(_handle)(exercise_id, operator, command_id, command, None)
    result, news = handled
    _announce(news)
    return result


def _announce(news: list[tuple[str, int]]) -> None:
    """Tell every server process there is news, from the event loop, holding nothing up."""
    for exercise_id, seq in news:
        task = asyncio.ensure_future(announce_news(exercise_id, seq))
        _background.add(task)
        task.add_done_callback(_background.discard)


def _handle(
    exercise_id: str, operator: Operator, command_id: str, command: Command, closed: Any
) -> tuple[CommandResult | None, list[tuple[str, int]]]:
    """In the database thread (or an adjudicating one): the command through the service, with
    its news collected for the event loop (a move_closing's handed over as soon as committed)."""
    with news_deferred() as news:

        def committed(events: list[EventEnvelope]) -> None:
            if closed is not None:
                closed(events, news[:])
                news.clear()

        try:
            result, _ = get_service().handle_events(
                exercise_id,
                operator.seat(),
                command_id,
                command,
                still_seated=lambda: operator_is_valid(operator.token_id),
                committed=committed,
            )
        except SeatRevoked:
            return None, news[:]
        return result, news[:]


def _enqueue_if_valid(exercise_id: str, operator: Operator, command_id: str, command: Command) -> int | None:
    if not operator_is_valid(operator.token_id):
        return None
    return jobs.enqueue(exercise_id, operator.seat(), command_id, command)


async def _run_as_job(
    exercise_id: str, operator: Operator, command_id: str, command: Command
) -> CommandResult | None:
    """Queue the command for a worker and wait (bounded) for its result, as the websocket does."""
    job_id = await database_sync_to_async(_enqueue_if_valid)(exercise_id, operator, command_id, command)
    if job_id is None:
        return None
    return await jobs.await_result(job_id)
