"""Real requests to every HTTP endpoint, each answer checked against the OpenAPI document (its
status documented, its Content-Type one of that status's, its JSON body valid under the
schema); and the curl examples of docs/http-api.md, run as written."""

from __future__ import annotations

import json
import re
import shlex
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import async_to_sync
from django.http import HttpResponseBase
from django.test import Client
from jsonschema import Draft202012Validator

from tests.conftest import LiveExercise
from wargame.protocol.openapi import openapi_document

pytestmark = [pytest.mark.integration]

REPO = Path(__file__).resolve().parents[2]
DOC = openapi_document()


def body_of(response: HttpResponseBase) -> bytes:
    if getattr(response, "streaming", False):
        content = response.streaming_content  # type: ignore[attr-defined]
        if hasattr(content, "__aiter__"):
            return async_to_sync(_gather)(content)
        return b"".join(content)
    return bytes(response.content)  # type: ignore[attr-defined]


async def _gather(content: Any) -> bytes:
    return b"".join([chunk async for chunk in content])


def check(method: str, template: str, response: HttpResponseBase) -> Any:
    """The answer as the document says it may be; its JSON body, if any."""
    op = DOC["paths"][template][method]
    status = str(response.status_code)
    assert status in op["responses"], f"{method} {template} answered undocumented {status}"
    content = op["responses"][status].get("content", {})
    data = body_of(response)
    if not content:
        assert data == b""
        return None
    media = response["Content-Type"]
    assert media in content, f"{method} {template} {status}: {media} is not one of {sorted(content)}"
    if media != "application/json":
        assert data
        return None
    document = json.loads(data)
    schema = {**content[media]["schema"], "components": DOC["components"]}
    errors = [e.message for e in Draft202012Validator(schema).iter_errors(document)]
    assert errors == [], f"{method} {template} {status}: {errors[:3]}"
    return document


def request(token: str, method: str, template: str, url: str, body: Any = None, **headers: str) -> Any:
    client = Client()
    extra = {"HTTP_AUTHORIZATION": f"Bearer {token}", **headers} if token else headers
    if body is None:
        response = getattr(client, method)(url, **extra)
    else:
        response = getattr(client, method)(url, json.dumps(body), content_type="application/json", **extra)
    return response.status_code, check(method, template, response)


def test_every_endpoint_answers_as_documented(tutorial_exercise: LiveExercise) -> None:
    from wargame.server.operators import issue_operator_token
    from wargame.server.runtime import get_service

    op, tokens = issue_operator_token("ops"), tutorial_exercise.tokens
    exercise_id = tutorial_exercise.exercise_id
    white, usa, facilitator = tokens["white_cell"], tokens["team:USA"], tokens["facilitator"]
    done: set[tuple[str, str]] = set()

    def call(token: str, method: str, template: str, url: str, expect: int, body: Any = None) -> Any:
        status, document = request(token, method, template, url, body)
        assert status == expect, (method, url, status, document)
        done.add((method, template))
        return document

    ex = f"/api/exercises/{exercise_id}"
    control = "/api/exercises/{exercise_id}/control"
    started = call(op, "post", control, f"{ex}/control", 200, {"action": "start"})
    assert started["exercise"]["phase"] == "running"
    call(op, "post", "/api/exercises/{exercise_id}/control", f"{ex}/control", 409, {"action": "resume"})
    call(op, "post", "/api/exercises/{exercise_id}/control", f"{ex}/control", 400, {"action": "x"})
    call(op, "get", "/api/exercises", "/api/exercises", 200)
    call(white, "get", "/api/exercises", "/api/exercises", 403)
    call(op, "post", "/api/exercises", "/api/exercises", 422, {"scenario": "no-such"})
    call(op, "get", "/api/exercises/{exercise_id}", ex, 200)
    call(op, "get", "/api/exercises/{exercise_id}", "/api/exercises/nope", 404)
    seat = call(op, "post", "/api/exercises/{exercise_id}/seats", f"{ex}/seats", 201,
                {"role": "observer", "member": "Press"})
    call(op, "get", "/api/exercises/{exercise_id}/seats", f"{ex}/seats", 200)
    call(op, "delete", "/api/exercises/{exercise_id}/seats/{seat_id}", f"{ex}/seats/{seat['seat_id']}", 200)
    last = get_service().store.read_last_seq(exercise_id)

    page = call(usa, "get", "/api/log", "/api/log?limit=5", 200)
    assert len(page["events"]) == 5
    call(op, "get", "/api/log", "/api/log", 403)
    call("", "get", "/api/log", "/api/log", 401)
    call(usa, "get", "/api/log", "/api/log?limit=0", 400)
    call(white, "get", "/api/log/export", "/api/log/export?format=csv", 200)
    call(usa, "get", "/api/log/export", "/api/log/export", 403)
    call(facilitator, "get", "/api/exercise/export", "/api/exercise/export", 200)
    call(usa, "get", "/api/exercise/export", "/api/exercise/export", 403)
    call(white, "get", "/api/replay", f"/api/replay?viewer=team:USA&at={last}", 200)
    call(white, "get", "/api/replay", "/api/replay?viewer=team:XXX", 400)
    call(usa, "get", "/api/picture", "/api/picture?move=0", 200)
    call(usa, "get", "/api/picture", "/api/picture?move=0&format=csv", 200)
    call(usa, "get", "/api/picture", "/api/picture?format=omm-json", 200)
    call(usa, "get", "/api/picture", "/api/picture?move=0&truth=1", 403)
    call(white, "get", "/api/aar", "/api/aar", 200)
    call(white, "get", "/api/aar", "/api/aar?format=md", 200)
    call(white, "get", "/api/timeline", "/api/timeline?viewer=team:USA", 200)
    call(facilitator, "get", "/api/eeg", "/api/eeg", 200)
    call(usa, "get", "/api/cdm", "/api/cdm?warning=none-such", 404)
    call(white, "get", "/api/preview", "/api/preview?samples=5", 200)
    call(usa, "get", "/api/preview", "/api/preview", 403)
    call(white, "get", "/api/sharing-analysis", "/api/sharing-analysis", 200)
    for probe in ("/api/health/live", "/api/health/ready", "/api/health", "/metrics"):
        call("", "get", probe, probe, 200)

    everything = {(method, path) for path, ops in DOC["paths"].items() for method in ops}
    assert everything - done == set()


def documented_curls() -> list[list[str]]:
    """Each curl command of docs/http-api.md as its arguments (continuation lines joined)."""
    text = (REPO / "docs" / "http-api.md").read_text("utf-8")
    commands = []
    for block in re.findall(r"```sh\n(.*?)```", text, flags=re.S):
        for line in block.replace("\\\n", " ").splitlines():
            if line.strip().startswith("curl "):
                commands.append(shlex.split(line))
    return commands


def test_the_documented_curl_commands_work_as_written(live_exercise: LiveExercise) -> None:
    from wargame.server.operators import issue_operator_token

    names = {"OP": issue_operator_token("docs"), "EXERCISE": "", "SEAT_ID": ""}
    commands = documented_curls()
    assert len(commands) == 9
    for argv in commands:
        method, headers, data, url = "get", {}, None, ""
        args = iter(argv[1:])
        for arg in args:
            if arg == "-X":
                method = next(args).lower()
            elif arg == "-H":
                name, value = next(args).split(": ", 1)
                headers[name] = value
            elif arg == "-d":
                data = next(args)
            elif not arg.startswith("-"):
                url = arg
        expand = re.compile(r"\$(\w+)")
        url = expand.sub(lambda m: names[m.group(1)], url.removeprefix("http://127.0.0.1:8000"))
        token = expand.sub(lambda m: names[m.group(1)], headers["Authorization"]).removeprefix("Bearer ")
        template = re.sub(r"^/api/exercises/[^/]+", "/api/exercises/{exercise_id}", url)
        template = re.sub(r"/seats/\d+$", "/seats/{seat_id}", template)
        body = json.loads(data) if data is not None else None
        status, answer = request(token, method, template, url, body)
        assert status in (200, 201), (argv, answer)
        if template == "/api/exercises" and method == "post":
            names["EXERCISE"] = answer["exercise"]["id"]
        if template.endswith("/seats") and method == "post":
            names["SEAT_ID"] = str(answer["seat_id"])
    assert names["EXERCISE"] and names["SEAT_ID"]
