"""`wargame exercise start|advance|pause|resume`: the white cell's move control from the command line."""

from __future__ import annotations

import time
import uuid
from typing import Any

import click

from wargame.cli.common import (
    INVALID,
    NOT_FOUND,
    UNAVAILABLE,
    command,
    django_setup,
    examples,
    exercise_argument,
    fail,
    json_option,
    option,
    print_json,
    require_exercise,
)


def _service() -> Any:
    django_setup()
    from wargame.server.runtime import get_service

    return get_service()


def _wait_for_job(job_id: int) -> dict[str, Any]:
    """A worker's result for a queued command, within WARGAME_JOB_TIMEOUT (as the server waits)."""
    from django.conf import settings

    from wargame.server.jobs import result_of

    deadline = time.monotonic() + settings.WARGAME["JOB_TIMEOUT_SECONDS"]
    delay = 0.05
    while time.monotonic() < deadline:
        result = result_of(job_id)
        if result is not None:
            return result
        time.sleep(delay)
        delay = min(0.5, delay * 1.5)
    fail(f"no worker finished job {job_id} in time; it may still run", UNAVAILABLE)


def run_as_white_cell(exercise_id: str, body: dict[str, Any]) -> dict[str, Any]:
    """Decide, append and (for start and advance) adjudicate one command as the white cell, by
    the path the server takes: in this process, or queued for a `wargame worker` when
    WARGAME_ADJUDICATION=worker, waiting for the adjudication either way. Exit 4 if refused."""
    service = _service()  # Django first: the server's modules need its settings
    from wargame.domain.commands import command_adapter
    from wargame.server import jobs
    from wargame.server.runtime import uses_workers
    from wargame.services.commands import white_cell
    from wargame.services.states import ExerciseNotFound

    command = command_adapter.validate_python(body)
    require_exercise(service.store, exercise_id)
    command_id = f"cli-{uuid.uuid4().hex[:16]}"
    if uses_workers() and command.type in jobs.JOB_COMMANDS:
        result = _wait_for_job(jobs.enqueue(exercise_id, white_cell(), command_id, command))
    else:
        try:
            result, _ = service.handle_events(exercise_id, white_cell(), command_id, command)
        except ExerciseNotFound:
            fail(f"no exercise {exercise_id!r}", NOT_FOUND)
    if result.get("status") != "accepted":
        fail(f"{body['type']} refused: {result.get('code')}: {result.get('message')}", INVALID)
    return dict(result)


def _where(exercise_id: str) -> dict[str, Any]:
    state = _service().state(exercise_id)
    return {"exercise_id": exercise_id, "phase": state.phase, "move": state.move, "last_seq": state.last_seq}


def _tell(where: dict[str, Any], as_json: bool) -> None:
    if as_json:
        print_json(where)
    elif where["phase"] == "ended":
        click.echo(
            f"exercise {where['exercise_id']}: ended after move {where['move']} (seq {where['last_seq']})"
        )
    else:
        click.echo(
            f"exercise {where['exercise_id']}: {where['phase']}, move {where['move']} "
            f"(seq {where['last_seq']})"
        )


@command(epilog=examples("wargame exercise start EX", "wargame exercise start EX --json"))
@exercise_argument()
@json_option
def start(exercise: str, as_json: bool) -> int:
    """Start the exercise as the white cell: move 1 opens once its start is adjudicated."""
    run_as_white_cell(exercise, {"type": "start_exercise"})
    _tell(_where(exercise), as_json)
    return 0


@command(epilog=examples("wargame exercise advance EX", "wargame exercise advance EX --to-end --json"))
@exercise_argument()
@option(
    "--to-end",
    is_flag=True,
    envvar="WARGAME_ADVANCE_TO_END",
    help="advance move after move until the exercise ends",
)
@json_option
def advance(exercise: str, to_end: bool, as_json: bool) -> int:
    """Close the current move, adjudicate it and open the next (or end); print the move reached."""
    service = _service()
    require_exercise(service.store, exercise)
    while True:
        state = service.state(exercise)
        if state.phase == "ended" and to_end:
            break
        run_as_white_cell(exercise, {"type": "advance_move", "from_move": max(state.move, 1)})
        where = _where(exercise)
        if not to_end or where["phase"] == "ended":
            break
        if not as_json:
            _tell(where, False)
    _tell(_where(exercise), as_json)
    return 0


@command(epilog=examples("wargame exercise pause EX", "wargame exercise pause EX --reason 'lunch'"))
@exercise_argument()
@option("--reason", default="", envvar="WARGAME_PAUSE_REASON", help="why, as the teams are told")
@json_option
def pause(exercise: str, reason: str, as_json: bool) -> int:
    """Pause the exercise as the white cell (teams' commands wait until it resumes)."""
    run_as_white_cell(exercise, {"type": "pause_exercise", "reason": reason})
    _tell(_where(exercise), as_json)
    return 0


@command(epilog=examples("wargame exercise resume EX", "wargame exercise resume EX --json"))
@exercise_argument()
@json_option
def resume(exercise: str, as_json: bool) -> int:
    """Resume a paused exercise as the white cell."""
    run_as_white_cell(exercise, {"type": "resume_exercise"})
    _tell(_where(exercise), as_json)
    return 0


COMMANDS = [start, advance, pause, resume]
