"""The server checks what it loads: a tampered log is refused (a structured error on the socket and
over HTTP, a log line), an edited snapshot never reaches the state; control seats download the
raw log, tampered or not."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests.conftest import LiveExercise
from tests.factories import FakeAdjudicator
from tests.server.wsclient import Client
from wargame.eventlog.export import ExportHead, export_text

pytestmark = [pytest.mark.integration]

CHAT = {"type": "post_chat", "channel": "coalition", "text": "hello allies"}


async def _ok(token: str, command: dict[str, Any]) -> None:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    await client.close()


async def get(path: str, token: str) -> tuple[int, dict[str, str], bytes]:
    from django.test import AsyncClient

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await AsyncClient().get(path, headers=headers)
    if response.streaming:
        body = b"".join([chunk async for chunk in response.streaming_content])
    else:
        body = response.content
    return response.status_code, dict(response.headers), body


def _expected_export(exercise_id: str, fmt: str) -> bytes:
    from wargame.server.store import DjangoEventStore

    return "".join(export_text(DjangoEventStore(), exercise_id, fmt, ExportHead())).encode("utf-8")


def _edit_chat_text(exercise_id: str) -> int:
    """An edit of the kind the log must show: the chat's words changed in its stored row."""
    from wargame.server.models import EventRecord

    row = EventRecord.objects.get(exercise_id=exercise_id, type="chat_posted")
    assert row.data is not None and "hello allies" in row.data
    EventRecord.objects.filter(pk=row.pk).update(data=row.data.replace("hello allies", "hello enemies"))
    return int(row.seq)


def _cold_service() -> None:
    """A process that has not loaded the exercise yet (a restart, another server)."""
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    set_service(ExerciseService(DjangoEventStore(), FakeAdjudicator(), notify_news))


async def test_control_seats_download_the_raw_log_streamed(live_exercise: LiveExercise) -> None:
    tokens, exercise_id = live_exercise.tokens, live_exercise.exercise_id
    await _ok(tokens["white_cell"], {"type": "start_exercise"})
    await _ok(tokens["team:USA"], CHAT)
    for seat in ("white_cell", "facilitator"):
        for fmt, media in (("jsonl", "application/x-ndjson"), ("csv", "text/csv")):
            status, headers, body = await get(f"/api/log/export?format={fmt}", tokens[seat])
            assert status == 200 and headers["Content-Type"].startswith(media)
            assert headers["Content-Disposition"] == f'attachment; filename="log-{exercise_id}.{fmt}"'
            assert body == await sync_to_async(_expected_export)(exercise_id, fmt)
    lines = body.decode().splitlines()  # the CSV: a header and a row per event
    assert len(lines) >= 5
    for token, status_code, code in (
        (tokens["team:USA"], 403, "forbidden"),
        (tokens["observer"], 403, "forbidden"),
        ("", 401, "unauthorized"),
    ):
        status, _, body = await get("/api/log/export", token)
        assert (status, json.loads(body)["code"]) == (status_code, code)
    status, _, body = await get("/api/log/export?format=xml", tokens["white_cell"])
    assert status == 400 and "format must be one of ['csv', 'jsonl']" in json.loads(body)["message"]


async def test_a_tampered_log_is_refused_when_loaded(
    live_exercise: LiveExercise, caplog: pytest.LogCaptureFixture
) -> None:
    tokens, exercise_id = live_exercise.tokens, live_exercise.exercise_id
    await _ok(tokens["white_cell"], {"type": "start_exercise"})  # a snapshot; the chat comes after it
    await _ok(tokens["team:USA"], CHAT)
    seq = await sync_to_async(_edit_chat_text)(exercise_id)
    await sync_to_async(_cold_service)()

    with caplog.at_level(logging.ERROR, logger="wargame.services.states"):
        client = Client(tokens["team:GBR"])
        await client.connect()
        error = await client.recv()
        closed = await client.comm.receive_output()
    assert error["type"] == "error" and error["code"] == "log_tampered"
    assert error["message"] == (
        f"exercise {exercise_id}: its log fails its integrity check (seq {seq}: content does not match "
        f"its hash); the server refuses to load it. Run `wargame exercise verify {exercise_id}` for the "
        "full report."
    )
    assert closed == {"type": "websocket.close", "code": 4422}
    assert any(r.levelno == logging.ERROR and error["message"] in r.getMessage() for r in caplog.records)

    status, _, body = await get("/api/log", tokens["white_cell"])
    assert status == 409
    assert json.loads(body) == {"type": "error", "code": "log_tampered", "message": error["message"]}

    status, _, body = await get("/api/log/export", tokens["facilitator"])  # still exported, as it is
    assert status == 200
    line = body.decode().splitlines()[seq - 1]
    assert "hello enemies" in line and json.loads(line)["event"]["seq"] == seq


def _forge_newest_snapshot(exercise_id: str) -> int:
    """The newest snapshot decoded, changed, encoded again, with its row's digest made to match."""
    from wargame.eventlog.replay import setup_of, state_from_snapshot
    from wargame.eventlog.snapshots import encode_snapshot
    from wargame.server.models import SnapshotRecord
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    stored = store.read_latest_snapshot(exercise_id)
    assert stored is not None
    scenario, ruleset = setup_of(store.read_after(exercise_id, 0, limit=1)[0])
    state = state_from_snapshot(stored.content, scenario, ruleset)
    forged = encode_snapshot(state.model_copy(update={"escalation_level": 4}))
    SnapshotRecord.objects.filter(exercise_id=exercise_id, seq=stored.seq).update(
        data=forged.data, digest=forged.digest
    )
    return stored.seq


def _state_and_verify(exercise_id: str) -> tuple[int, list[str]]:
    from wargame.eventlog.verify import verify_log
    from wargame.server.runtime import get_service
    from wargame.server.store import DjangoEventStore

    level = get_service().state(exercise_id).escalation_level
    return level, verify_log(DjangoEventStore(), exercise_id).problems


async def test_an_edited_snapshot_is_reported_and_never_changes_the_live_state(
    live_exercise: LiveExercise, caplog: pytest.LogCaptureFixture
) -> None:
    tokens, exercise_id = live_exercise.tokens, live_exercise.exercise_id
    await _ok(tokens["white_cell"], {"type": "start_exercise"})
    seq = await sync_to_async(_forge_newest_snapshot)(exercise_id)
    await sync_to_async(_cold_service)()
    with caplog.at_level(logging.ERROR, logger="wargame.eventlog.replay"):
        level, problems = await sync_to_async(_state_and_verify)(exercise_id)
    assert level == 0
    assert problems == [f"snapshot at seq {seq}: its bytes are not those event {seq} records"]
    assert f"snapshot at seq {seq} ignored (its bytes are not those event {seq} records)" in caplog.text
    await _ok(tokens["team:USA"], CHAT)  # the exercise plays on, from the log


def _played(exercise_id: str = "dmg") -> int:
    """An exercise on the database store, started and chatted in; its last seq."""
    from tests.factories import make_created, run_command
    from wargame.server.models import Exercise
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), FakeAdjudicator())
    created = make_created()
    Exercise.objects.create(id=exercise_id, title=created.title, scenario_id=created.scenario.id)
    service.create(exercise_id, created)
    assert run_command(service, exercise_id, "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    for text in ("a", "b", "c"):
        chat = {"type": "post_chat", "channel": "coalition", "text": text}
        result = run_command(service, exercise_id, "team:USA", chat)
    return int(result["seq"])


def _unparsable(last: int) -> str:
    from wargame.server.models import EventRecord

    row = EventRecord.objects.get(exercise_id="dmg", seq=last - 1)
    EventRecord.objects.filter(pk=row.pk).update(data=(row.data or "")[:-12])
    return f"seq {last - 1}: stored event does not parse: a stored event text must be a JSON object"


def _gap(last: int) -> str:
    from wargame.server.models import EventRecord

    EventRecord.objects.filter(exercise_id="dmg", seq=last - 1).delete()
    return f"seq {last}: expected {last - 1}"


def _relinked(last: int) -> str:
    from wargame.server.models import EventRecord

    EventRecord.objects.filter(exercise_id="dmg", seq=last).update(prev_hash="f" * 64)
    return f"seq {last}: prev_hash does not match the previous event"


def _cut(last: int) -> str:
    from wargame.server.models import EventRecord

    EventRecord.objects.filter(exercise_id="dmg", seq__gte=last - 1).delete()  # the exercise row says more
    return f"the log ends at seq {last - 2}, the exercise at {last}"


def _no_start(last: int) -> str:
    from wargame.server.models import EventRecord

    EventRecord.objects.filter(exercise_id="dmg", seq=1).delete()
    return "event 1 (exercise_created) is missing or unreadable"


@pytest.mark.django_db(transaction=True)
@pytest.mark.parametrize("damage", [_unparsable, _gap, _relinked, _cut, _no_start])
def test_every_kind_of_damage_after_the_snapshot_refuses_the_load(damage: Any) -> None:
    from wargame.eventlog.trust import TamperedLog
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    problem = damage(_played())
    cold = ExerciseService(DjangoEventStore(), FakeAdjudicator())
    with pytest.raises(TamperedLog) as refused:
        cold.state("dmg")
    assert refused.value.problem == problem
    with pytest.raises(TamperedLog):  # commands too, under the write lock
        from tests.factories import run_command

        run_command(cold, "dmg", "team:GBR", CHAT)
