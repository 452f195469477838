"""The operator API: operator tokens (not seats), creating, listing and controlling exercises
through the white cell's command path, join links, and refusals that change nothing."""

from __future__ import annotations

import json
import os
from typing import Any

import pytest
from django.test import Client

from tests.conftest import LiveExercise

pytestmark = [pytest.mark.integration]


def call(
    method: str, path: str, token: str, body: Any = None, raw: bytes | None = None, **headers: str
) -> tuple[int, dict[str, Any]]:
    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers}
    data = raw if raw is not None else (json.dumps(body) if body is not None else None)
    if data is None:
        response = getattr(client, method.lower())(path, **extra)
    else:
        response = getattr(client, method.lower())(path, data, content_type="application/json", **extra)
    return response.status_code, json.loads(response.content)


@pytest.fixture
def op(live_exercise: LiveExercise) -> str:
    from wargame.server.operators import issue_operator_token

    return issue_operator_token("alice")


def last_seq(exercise_id: str = "live1") -> int:
    from wargame.server.runtime import get_service

    return get_service().store.read_last_seq(exercise_id)


def test_an_operator_lists_and_reads_exercises(live_exercise: LiveExercise, op: str) -> None:
    assert op.startswith("op_")
    status, listed = call("GET", "/api/exercises", op)
    assert status == 200
    [summary] = listed["exercises"]
    assert (summary["id"], summary["phase"], summary["move"], summary["last_seq"]) == ("live1", "setup", 0, 1)
    assert summary["seats"] == len(live_exercise.tokens) and summary["moves"] >= 2
    status, one = call("GET", "/api/exercises/live1", op)
    assert (status, one) == (200, summary)
    status, missing = call("GET", "/api/exercises/nope", op)
    assert (status, missing["code"]) == (404, "not_found")


def test_tokens_of_the_wrong_kind_are_refused_on_both_sides(live_exercise: LiveExercise, op: str) -> None:
    from django.contrib.auth.models import User

    from wargame.server.operators import issue_operator_token, revoke_operator_token

    seat = live_exercise.tokens["white_cell"]
    assert call("GET", "/api/exercises", seat)[1] == {
        "type": "error", "code": "seat_token",
        "message": "this endpoint takes an operator token; a seat's link cannot operate exercises",
    }
    assert call("GET", "/api/exercises", seat)[0] == 403
    status, body = call("GET", "/api/log", op)
    assert (status, body["code"]) == (403, "operator_token")
    assert call("GET", "/api/exercises", "")[0] == 401
    assert call("GET", "/api/exercises", "op_made-up")[1]["code"] == "unauthorized"
    bob = issue_operator_token("bob")
    User.objects.get(username="bob").user_permissions.clear()
    status, body = call("GET", "/api/exercises", bob)
    assert (status, body["code"]) == (403, "forbidden")
    assert revoke_operator_token("alice") == 1
    status, body = call("GET", "/api/exercises", op)
    assert (status, body["message"]) == (401, "unknown or revoked operator token")


def test_control_goes_through_the_white_cells_command_path_as_the_operator(
    live_exercise: LiveExercise, op: str
) -> None:
    from wargame.server.runtime import get_service

    status, started = call("POST", "/api/exercises/live1/control", op, {"action": "start"})
    assert status == 200, started
    assert started["status"] == "accepted" and started["seq"] == last_seq()
    assert (started["exercise"]["phase"], started["exercise"]["move"]) == ("running", 1)
    recorded = get_service().store.read_after("live1", 1, 100)
    assert {e.body.type for e in recorded} >= {"move_closing", "exercise_started"}
    assert {(e.actor, e.member) for e in recorded} == {("white_cell", "operator:alice")}
    status, paused = call("POST", "/api/exercises/live1/control", op, {"action": "pause", "reason": "lunch"})
    assert (status, paused["exercise"]["phase"]) == (200, "paused")
    status, resumed = call("POST", "/api/exercises/live1/control", op, {"action": "resume"})
    assert (status, resumed["exercise"]["phase"]) == (200, "running")
    status, advanced = call("POST", "/api/exercises/live1/control", op, {"action": "advance", "from_move": 1})
    assert (status, advanced["exercise"]["move"]) == (200, 2)
    status, default = call("POST", "/api/exercises/live1/control", op, {"action": "advance"})
    assert (status, default["exercise"]["move"]) == (200, 3)
    status, ended = call("POST", "/api/exercises/live1/control", op, {"action": "end"})
    assert (status, ended["exercise"]["phase"]) == (200, "ended")


def test_a_rejected_command_answers_its_code_and_records_nothing(
    live_exercise: LiveExercise, op: str
) -> None:
    before = last_seq()
    status, body = call("POST", "/api/exercises/live1/control", op, {"action": "resume"})
    assert (status, body["code"], body["current_seq"]) == (409, "wrong_phase", before)
    assert body["type"] == "error" and body["message"]
    call("POST", "/api/exercises/live1/control", op, {"action": "start"})
    started = last_seq()
    status, body = call("POST", "/api/exercises/live1/control", op, {"action": "advance", "from_move": 5})
    assert (status, body["code"]) == (409, "stale")
    assert last_seq() == started


def test_the_same_command_id_gives_the_first_result(live_exercise: LiveExercise, op: str) -> None:
    body = {"action": "pause", "command_id": "pause-1"}
    call("POST", "/api/exercises/live1/control", op, {"action": "start"})
    first = call("POST", "/api/exercises/live1/control", op, body)[1]
    after = last_seq()
    again = call("POST", "/api/exercises/live1/control", op, body)[1]
    assert (first["repeat"], again["repeat"], again["seqs"]) == (False, True, first["seqs"])
    assert last_seq() == after


@pytest.mark.parametrize(
    ("raw", "named"),
    [
        (b"{not json", "body: not JSON"),
        (b"[1, 2]", "body: a JSON object, not list"),
        (b'{"action": "start", "colour": "red"}', "colour: Extra inputs are not permitted"),
        (b'{"action": 3}', "action: Input should be"),
        (b'{"action": "advance", "from_move": "2"}', "from_move: Input should be a valid integer"),
        (b'{"action": "jump"}', "action: Input should be 'start'"),
        (b"{}", "action: Field required"),
        (b'{"action": "resume", "from_move": 2}', "from_move: only for action advance"),
        (b'{"action": "pause", "reason": "' + b"x" * 70_000 + b'"}', "body: "),
    ],
)
def test_bad_bodies_are_refused_naming_the_field(
    live_exercise: LiveExercise, op: str, raw: bytes, named: str
) -> None:
    before = last_seq()
    status, body = call("POST", "/api/exercises/live1/control", op, raw=raw)
    assert status == 400 and body["type"] == "error"
    assert body["message"].startswith(named), body
    assert last_seq() == before


def test_a_body_must_be_json(live_exercise: LiveExercise, op: str) -> None:
    response = Client().post(
        "/api/exercises/live1/control", "action=start", content_type="application/x-www-form-urlencoded",
        HTTP_AUTHORIZATION=f"Bearer {op}",
    )
    assert response.status_code == 400 and b"Content-Type: application/json" in response.content


def test_a_foreign_origin_is_refused_and_csrf_does_not_apply(live_exercise: LiveExercise, op: str) -> None:
    client = Client(enforce_csrf_checks=True)
    path, auth = "/api/exercises/live1/control", f"Bearer {op}"
    foreign = client.post(
        path, {"action": "start"}, content_type="application/json", HTTP_AUTHORIZATION=auth,
        HTTP_ORIGIN="https://evil.example",
    )
    assert foreign.status_code == 403 and json.loads(foreign.content)["code"] == "forbidden_origin"
    assert last_seq() == 1
    own = client.post(
        path, {"action": "start"}, content_type="application/json", HTTP_AUTHORIZATION=auth,
        HTTP_ORIGIN="http://testserver",
    )
    assert own.status_code == 200
    assert client.put("/api/exercises", HTTP_AUTHORIZATION=auth).status_code == 405


def test_create_an_exercise_with_its_links(live_exercise: LiveExercise, op: str) -> None:
    from wargame.server.seats import find_seat

    status, created = call("POST", "/api/exercises", op, {"scenario": "tutorial", "seed": 7})
    assert status == 201, created
    exercise = created["exercise"]
    assert (exercise["scenario"], exercise["phase"], exercise["last_seq"]) == ("tutorial", "setup", 1)
    roles = sorted(s["role"] for s in created["seats"])
    assert roles == ["evaluator", "facilitator", "observer", "player", "player", "player", "white_cell"]
    first = created["seats"][0]
    assert first["link"].endswith(f"/play/#seat={first['token']}") and first["link"] in created["text"]
    found = find_seat(first["token"])
    assert found is not None and found[0] == exercise["id"]
    assert len(call("GET", "/api/exercises", op)[1]["exercises"]) == 2
    status, body = call("POST", "/api/exercises", op, {"scenario": "../etc/passwd"})
    assert status == 400 and body["message"].startswith("scenario: String should match pattern")
    status, body = call("POST", "/api/exercises", op, {"scenario": "no-such-scenario"})
    assert (status, body["code"]) == (422, "unknown_file")


def test_issue_list_and_revoke_a_join_link(live_exercise: LiveExercise, op: str) -> None:
    status, seat = call(
        "POST", "/api/exercises/live1/seats", op, {"role": "player", "nation": "JPN", "member": "Capt. Sato"}
    )
    assert status == 201, seat
    assert (seat["label"], seat["member"]) == ("Japan team", "Capt. Sato")
    assert call("GET", "/api/log", seat["token"])[0] == 200
    listed = call("GET", "/api/exercises/live1/seats", op)[1]["seats"]
    assert [s["member"] for s in listed if s["seat_id"] == seat["seat_id"]] == ["Capt. Sato"]
    assert "token" not in listed[0]
    path = f"/api/exercises/live1/seats/{seat['seat_id']}"
    assert call("DELETE", path, op) == (200, {"seat_id": seat["seat_id"], "revoked": True})
    assert call("DELETE", path, op)[1]["revoked"] is False
    assert call("GET", "/api/log", seat["token"])[0] == 401
    assert call("DELETE", "/api/exercises/live1/seats/999999", op)[0] == 404
    status, body = call("POST", "/api/exercises/live1/seats", op, {"role": "player", "member": "x"})
    assert (status, body["code"]) == (422, "invalid")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)
def test_in_worker_mode_start_runs_as_a_job_of_the_operators_seat(
    live_exercise: LiveExercise, op: str, settings: Any
) -> None:
    import threading

    from django.db import connections

    from wargame.server import jobs
    from wargame.server.models import Job

    settings.WARGAME = {**settings.WARGAME, "ADJUDICATION": "worker", "JOB_TIMEOUT_SECONDS": 60}

    def worker() -> None:
        try:
            jobs.work("test-worker", max_jobs=1, idle_s=0.05)
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    body = {"action": "start", "command_id": "go"}
    status, started = call("POST", "/api/exercises/live1/control", op, body)
    thread.join(timeout=120)
    assert status == 200, started
    assert (started["status"], started["exercise"]["phase"]) == ("accepted", "running")
    (job,) = Job.objects.filter(exercise_id="live1")
    assert (job.key, job.status) == ("white_cell/operator:alice/go", "done")
    assert job.seat["member"] == "operator:alice"
