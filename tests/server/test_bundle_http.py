"""`GET /api/exercise/export`: control seats download the exercise's bundle, streamed; other seats
are refused; the download imports and verifies."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

import pytest
from asgiref.sync import sync_to_async

from tests.conftest import LiveExercise
from tests.factories import run_command
from tests.server.test_log_integrity import _expected_export, get


def _play(exercise_id: str) -> None:
    from wargame.server.runtime import get_service

    service = get_service()
    for viewer, data in [
        ("white_cell", {"type": "start_exercise"}),
        ("team:USA", {"type": "post_chat", "channel": "coalition", "text": "hello allies"}),
    ]:
        assert run_command(service, exercise_id, viewer, data)["status"] == "accepted"


def _import_copy(path: Path) -> tuple[str, list[str]]:
    from wargame.eventlog.verify import verify_log
    from wargame.server.bundles import import_bundle
    from wargame.server.store import DjangoEventStore

    summary = import_bundle(path, as_id="http-copy")
    return summary.source_head, verify_log(DjangoEventStore(), "http-copy").problems


def _head(exercise_id: str) -> str:
    from wargame.eventlog.verify import verify_log
    from wargame.server.store import DjangoEventStore

    return verify_log(DjangoEventStore(), exercise_id).head


async def test_control_seats_download_the_exercise_bundle(
    live_exercise: LiveExercise, tmp_path: Path
) -> None:
    tokens, exercise_id = live_exercise.tokens, live_exercise.exercise_id
    await sync_to_async(_play)(exercise_id)
    head = await sync_to_async(_head)(exercise_id)
    for seat in ("white_cell", "facilitator"):
        status, headers, body = await get("/api/exercise/export", tokens[seat])
        assert status == 200 and headers["Content-Type"] == "application/zip"
        assert headers["Content-Disposition"] == f'attachment; filename="exercise-{exercise_id}.zip"'
        with zipfile.ZipFile(io.BytesIO(body)) as archive:
            manifest = json.loads(archive.read("manifest.json"))
            log = archive.read("log.jsonl")
            seats = archive.read("seats.jsonl").decode().splitlines()
        assert (manifest["exercise_id"], manifest["head"]) == (exercise_id, head)
        assert log == await sync_to_async(_expected_export)(exercise_id, "jsonl")
        assert len(seats) == 7 and all(tokens[seat] not in line for line in seats)
    path = tmp_path / "downloaded.zip"
    path.write_bytes(body)
    source_head, problems = await sync_to_async(_import_copy)(path)
    assert (source_head, problems) == (head, [])
    for token, status_code, code in (
        (tokens["team:USA"], 403, "forbidden"),
        (tokens["observer"], 403, "forbidden"),
        ("", 401, "unauthorized"),
    ):
        status, _, body = await get("/api/exercise/export", token)
        assert (status, json.loads(body)["code"]) == (status_code, code)


async def test_a_tampered_log_is_not_bundled(live_exercise: LiveExercise) -> None:
    from tests.server.test_log_integrity import _edit_chat_text

    tokens, exercise_id = live_exercise.tokens, live_exercise.exercise_id
    await sync_to_async(_play)(exercise_id)
    await sync_to_async(_edit_chat_text)(exercise_id)
    status, _, body = await get("/api/exercise/export", tokens["white_cell"])
    error = json.loads(body)
    assert (status, error["code"]) == (409, "log_tampered")
    assert "content does not match its hash; not exported" in error["message"]


pytestmark = pytest.mark.django_db(transaction=True)
