"""The value-of-sharing analysis in the server: a request returns at once, the analysis runs in
the server's analysis thread, and GET /api/sharing-analysis shows its progress and tables to
control seats only."""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterator
from typing import Any

import pytest
from django.test import Client

from tests.conftest import LiveExercise
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter

pytestmark = [pytest.mark.integration]


def get(token: str) -> tuple[int, dict[str, Any]]:
    response = Client().get("/api/sharing-analysis", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, json.loads(response.content)


def do(exercise_id: str, seat: Seat, command: dict[str, Any], command_id: str) -> dict[str, Any]:
    from wargame.server.runtime import get_service

    result = get_service().handle(exercise_id, seat, command_id, command_adapter.validate_python(command))
    assert result["status"] == "accepted", result
    return result


@pytest.fixture
def gate(monkeypatch: pytest.MonkeyPatch, settings: Any) -> Iterator[threading.Event]:
    """The analysis thread runs the analysis in-thread (no process) and waits for the gate first."""
    from wargame.server import runtime

    settings.WARGAME = {**settings.WARGAME, "ANALYSIS_PROCESSES": 0, "ANALYSIS_PROGRESS_SECONDS": 0.0}
    opened = threading.Event()
    real = runtime.analyse

    def gated(*args: Any) -> Any:
        assert opened.wait(60)
        return real(*args)

    monkeypatch.setattr(runtime, "analyse", gated)
    yield opened
    opened.set()


def test_a_request_returns_at_once_and_the_analysis_is_recorded_in_the_background(
    tutorial_exercise: LiveExercise, gate: threading.Event
) -> None:
    from wargame.server.runtime import get_service, launch_analysis

    exercise_id = tutorial_exercise.exercise_id
    service = get_service()
    service.launch_analysis = launch_analysis
    white, usa = Seat(role=Role.WHITE_CELL), Seat(role=Role.PLAYER, nation="USA")
    do(exercise_id, white, {"type": "start_exercise"}, "start")
    release = {"type": "release_product", "product": {"kind": "tracks"},
               "marking": {"releasability": "REL", "releasable_to": ["GBR"]}}
    do(exercise_id, usa, release, "share")
    do(exercise_id, white, {"type": "advance_move", "from_move": 1}, "advance-1")
    ask = {"type": "request_sharing_analysis", "per_release": False}
    do(exercise_id, Seat(role=Role.FACILITATOR), ask, "ask")

    status, body = get(tutorial_exercise.tokens["facilitator"])
    assert status == 200 and body["latest"] is None  # the analysis waits at its gate
    ((analysis,),) = [body["analyses"]]
    assert analysis["phase"] == "requested"
    assert [v["kind"] for v in analysis["variants"]] == ["as_played", "all_full", "none", "no_review"]

    chat = {"type": "post_chat", "channel": "coalition", "text": "the exercise goes on"}
    do(exercise_id, usa, chat, "chat")  # the exercise's lock is free meanwhile
    gate.set()
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline and body["analyses"][0]["phase"] not in ("done", "failed"):
        time.sleep(0.2)
        body = get(tutorial_exercise.tokens["white_cell"])[1]
    (analysis,) = body["analyses"]
    assert analysis["phase"] == "done", analysis
    # As played: the start and move 1; in full: both again; nobody: move 1 (the release came in
    # it); no review: nothing (USA-GBR is under an agreement), its outcome is as played's.
    assert (analysis["done"], analysis["total"]) == (5, 5)
    latest = body["latest"]
    assert latest["exact"] is True and latest["moves"] == [1]
    gbr = latest["totals"]["none"]["GBR"]
    assert gbr["precise_custody"] is not None and gbr["precise_custody"] <= 0
    types = [e.body.type for e in service.store.read_after(exercise_id, 0)]
    assert types[-1] == "sharing_analysis_completed" and "sharing_analysis_progress" in types


@pytest.mark.parametrize("viewer", ["team:USA", "observer"])
def test_the_analysis_is_for_control_seats(tutorial_exercise: LiveExercise, viewer: str) -> None:
    status, body = get(tutorial_exercise.tokens[viewer])
    assert status == 403 and body["code"] == "forbidden"
    assert Client().get("/api/sharing-analysis").status_code == 401


def test_in_worker_mode_a_request_queues_one_analysis_job(
    tutorial_exercise: LiveExercise, settings: Any
) -> None:
    from wargame.server.models import Job
    from wargame.server.runtime import get_service, launch_analysis

    settings.WARGAME = {**settings.WARGAME, "ADJUDICATION": "worker"}
    exercise_id = tutorial_exercise.exercise_id
    get_service().launch_analysis = launch_analysis
    do(exercise_id, Seat(role=Role.WHITE_CELL), {"type": "start_exercise"}, "start")
    do(exercise_id, Seat(role=Role.WHITE_CELL), {"type": "request_sharing_analysis"}, "ask")
    (analysis_id,) = get_service().state(exercise_id).analyses
    (job,) = Job.objects.filter(exercise_id=exercise_id)
    assert (job.key, job.status) == (f"analysis/{analysis_id}", "queued")
    assert job.command == {"task": "sharing_analysis", "analysis_id": analysis_id}
