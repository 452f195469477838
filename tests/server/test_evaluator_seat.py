"""The evaluator seat over the wire: ground truth read-only, evaluation commands only, the EEGs and
the AAR/IP downloads over HTTP, and `wargame aar export` writing the binary documents."""

from __future__ import annotations

import io
from pathlib import Path
from typing import Any

import pytest
from docx import Document
from openpyxl import load_workbook

from tests.conftest import LiveExercise
from tests.server.wsclient import Client
from wargame.cli import main

pytestmark = [pytest.mark.integration]

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


async def _connected(token: str) -> Client:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    return client


async def test_the_evaluator_sees_ground_truth_and_may_only_evaluate(live_exercise: LiveExercise) -> None:
    white = await _connected(live_exercise.tokens["white_cell"])
    assert (await white.command({"type": "start_exercise"}))["type"] == "ack"
    evaluator = await _connected(live_exercise.tokens["evaluator"])
    assert evaluator.view is not None
    assert (evaluator.view["kind"], evaluator.view["viewer"]) == ("control", "evaluator")
    assert evaluator.view["msel"][0]["controller_notes"] == "SECRET-NOTE-INJ-1"
    for command in (
        {"type": "advance_move", "from_move": 1},
        {"type": "release_inject", "inject_id": "INJ-1"},
        {"type": "post_chat", "channel": "control", "text": "hi"},
    ):
        reply = await evaluator.command(command)
        assert (reply["type"], reply["code"]) == ("rejected", "forbidden"), reply
    reply = await evaluator.command(
        {
            "type": "record_observation",
            "objective_id": "OBJ-1",
            "rating": "S",
            "inject_id": "INJ-1",
            "nation": "USA",
            "text": "USA shared at once",
        }
    )
    assert reply["type"] == "ack", reply
    await evaluator.drain()
    (recorded,) = [e for e in evaluator.events if e["type"] == "observation_recorded"]
    assert (recorded["seq"], recorded["body"]["author"]) == (evaluator.last_pos, "evaluator")
    usa = await _connected(live_exercise.tokens["team:USA"])
    await usa.drain()
    assert "evaluation" not in (usa.view or {})
    for client in (white, evaluator, usa):
        await client.close()


async def _get(path: str, token: str | None) -> Any:
    from django.test import AsyncClient

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    return await AsyncClient().get(path, headers=headers)


async def _observe(live_exercise: LiveExercise) -> None:
    evaluator = await _connected(live_exercise.tokens["evaluator"])
    reply = await evaluator.command(
        {
            "type": "record_observation",
            "objective_id": "OBJ-1",
            "rating": "M",
            "text": "Sharing waited for a move",
        }
    )
    assert reply["type"] == "ack", reply
    reply = await evaluator.command(
        {"type": "set_rating", "subject": "objective", "subject_id": "OBJ-1", "rating": "S"}
    )
    assert reply["type"] == "ack", reply
    await evaluator.close()


async def test_evaluation_guides_over_http(live_exercise: LiveExercise) -> None:
    await _observe(live_exercise)
    tokens = live_exercise.tokens
    response = await _get("/api/eeg", tokens["evaluator"])
    assert response.status_code == 200
    (guide,) = response.json()["guides"]
    assert (guide["objective_id"], guide["capability"], guide["rating"]) == ("OBJ-1", "SSA", "S")
    assert [o["text"] for o in guide["observations"]] == ["Sharing waited for a move"]
    assert (await _get("/api/eeg", tokens["team:USA"])).status_code == 403
    assert (await _get("/api/eeg", tokens["observer"])).status_code == 403
    assert (await _get("/api/eeg", None)).status_code == 401
    assert (await _get("/api/eeg?format=pdf", tokens["evaluator"])).json()[
        "message"
    ] == "format must be json or docx"
    document = await _get("/api/eeg?format=docx", tokens["facilitator"])
    assert document["Content-Type"] == DOCX and "eeg-live1.docx" in document["Content-Disposition"]
    text = "\n".join(p.text for p in Document(io.BytesIO(document.content)).paragraphs)
    assert "Objective 1 (OBJ-1)" in text


async def test_the_aar_ip_downloads_for_control_seats_only(live_exercise: LiveExercise) -> None:
    await _observe(live_exercise)
    tokens = live_exercise.tokens
    docx = await _get("/api/aar?format=docx", tokens["evaluator"])
    assert (docx.status_code, docx["Content-Type"]) == (200, DOCX)
    assert 'filename="aar-live1.docx"' in docx["Content-Disposition"]
    body = "\n".join(p.text for p in Document(io.BytesIO(docx.content)).paragraphs)
    assert "Rating: S (Performed with some challenges): final rating" in body
    sheet = await _get("/api/aar?format=xlsx", tokens["white_cell"])
    assert (sheet.status_code, sheet["Content-Type"]) == (200, XLSX)
    assert load_workbook(io.BytesIO(sheet.content)).active.title == "Improvement Plan"
    for viewer in ("team:USA", "observer"):  # their own projected report only, not control's
        assert (await _get("/api/aar?format=docx&viewer=evaluator", tokens[viewer])).status_code == 403
        own = await _get("/api/aar?format=docx", tokens[viewer])
        assert own.status_code == 200
        text = "\n".join(p.text for p in Document(io.BytesIO(own.content)).paragraphs)
        assert "Sharing waited for a move" not in text  # evaluators' observations are control-only


async def test_aar_export_writes_the_documents(
    live_exercise: LiveExercise, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from asgiref.sync import sync_to_async

    await _observe(live_exercise)
    for fmt in ("docx", "xlsx"):
        out = tmp_path / f"aar.{fmt}"
        argv = ["aar", "export", "live1", "--format", fmt, "--viewer", "evaluator", "--out", str(out)]
        assert await sync_to_async(main)(argv) == 0
        assert out.read_bytes()[:2] == b"PK"
    document = Document(str(tmp_path / "aar.docx"))
    cells = [c.text for t in document.tables for r in t.rows for c in r.cells]
    assert "Sharing waited for a move" in cells  # the observations table of objective 1
    capsys.readouterr()
