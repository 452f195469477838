"""GET /api/cdm: a team gets the CDM of its own conjunction warnings and of those a partner shared
with it, control any; anyone else a 404 that does not say whether the warning exists."""

from __future__ import annotations

import json
from typing import Any

import pytest
from asgiref.sync import sync_to_async

from tests.conftest import LiveExercise
from tests.factories import share
from tests.server.wsclient import Client
from wargame.adjudication.cdm import foster_pc, parse_cdm
from wargame.protocol.projection import view_for

pytestmark = [pytest.mark.integration]


async def get_cdm(token: str, query: str) -> tuple[int, dict[str, str], str]:
    from django.test import AsyncClient

    headers = {"Authorization": f"Bearer {token}"} if token else {}
    response = await AsyncClient().get(f"/api/cdm?{query}", headers=headers)
    return response.status_code, dict(response.headers), response.content.decode()


async def _ok(token: str, command: dict[str, Any]) -> None:
    client = Client(token)
    await client.connect()
    assert (await client.recv())["type"] == "snapshot"
    reply = await client.command(command)
    assert reply["type"] == "ack", reply
    await client.close()


def _team_warnings(exercise_id: str, nation: str) -> list[dict[str, Any]]:
    from wargame.server.runtime import get_service

    view = view_for(f"team:{nation}", get_service().state(exercise_id))
    assert isinstance(view, dict)
    return [w for w in view["warnings"] if w["kind"] == "conjunction"]


async def test_who_gets_which_cdm(
    classroom_tutorial: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    tokens, exercise_id = classroom_tutorial.tokens, classroom_tutorial.exercise_id
    await _ok(tokens["team:JPN"], share("USA", kind="warnings"))  # REL USA, no review in class
    await _ok(tokens["white_cell"], {"type": "start_exercise"})
    await _ok(tokens["white_cell"], {"type": "advance_move", "from_move": 1})

    # inj-002 warns JPN of a conjunction of IGS-Optical 8; USA receives it through JPN's product.
    (own,) = await sync_to_async(_team_warnings)(exercise_id, "JPN")
    (shared,) = await sync_to_async(_team_warnings)(exercise_id, "USA")
    assert own["id"] == shared["id"] and own["id"].startswith("W-")
    assert shared["shared_by"] == "JPN" and shared["marking"]["releasable_to"] == ["USA"]
    assert await sync_to_async(_team_warnings)(exercise_id, "GBR") == []
    warning = f"warning={own['id']}"

    status, headers, text = await get_cdm(tokens["team:JPN"], warning)
    assert status == 200 and headers["Content-Type"] == "text/plain; charset=utf-8"
    assert headers["Content-Disposition"] == f'attachment; filename="{own["id"]}-JPN.cdm"'
    cdm = parse_cdm(text)
    assert cdm.comments[:2] == ["EXERCISE EXERCISE EXERCISE - UNCLASSIFIED", "RELEASABILITY NOFORN"]
    assert (cdm.header_value("ORIGINATOR"), cdm.header_value("MESSAGE_FOR")) == ("JPN", "JPN")
    assert foster_pc(cdm) == pytest.approx(own["pc"], rel=1e-4)
    assert float(cdm.header_value("MISS_DISTANCE") or 0) == pytest.approx(own["miss_km"] * 1e3, abs=1e-3)

    status, _headers, text = await get_cdm(tokens["team:USA"], warning)
    received = parse_cdm(text)
    assert status == 200 and received.header_value("MESSAGE_FOR") == "USA"
    assert received.comments[1:3] == [
        "RELEASABILITY REL USA", "Received by USA through JPN's warnings product",
    ]

    # GBR holds neither copy: the same 404 as for a warning that does not exist.
    missing = await get_cdm(tokens["team:GBR"], "warning=W-0123456789")
    refused = await get_cdm(tokens["team:GBR"], warning)
    assert refused[0] == missing[0] == 404 and refused[2] == missing[2]
    assert json.loads(refused[2])["code"] == "not_found" and own["id"] not in refused[2]
    assert (await get_cdm(tokens["team:USA"], f"{warning}&for=JPN"))[0] == 404
    assert (await get_cdm(tokens["observer"], warning))[0] == 404

    # Control: the computing nation's copy, or the one a nation received.
    for seat in ("white_cell", "facilitator"):
        status, _h, text = await get_cdm(tokens[seat], warning)
        assert status == 200 and parse_cdm(text).header_value("MESSAGE_FOR") == "JPN"
        status, _h, text = await get_cdm(tokens[seat], f"{warning}&for=USA")
        assert status == 200 and "RELEASABILITY REL USA" in parse_cdm(text).comments
    assert (await get_cdm(tokens["white_cell"], f"{warning}&for=GBR"))[0] == 404

    assert (await get_cdm(tokens["team:JPN"], ""))[0] == 400
    assert json.loads((await get_cdm(tokens["team:JPN"], ""))[2])["code"] == "bad_request"
    assert (await get_cdm("", warning))[0] == 401
    assert (await get_cdm("not-a-token", warning))[0] == 401

    # The command line writes the same message a seat downloads.
    from wargame.cli import main

    capsys.readouterr()
    export = sync_to_async(main)
    assert await export(["cdm", "export", exercise_id, own["id"], "--as", "team:USA"]) == 0
    assert capsys.readouterr().out == (await get_cdm(tokens["team:USA"], warning))[2]
    assert await export(["cdm", "export", exercise_id, own["id"], "--for", "USA"]) == 0
    assert capsys.readouterr().out == (await get_cdm(tokens["white_cell"], f"{warning}&for=USA"))[2]
    assert await export(["cdm", "export", exercise_id, own["id"], "--as", "team:GBR"]) == 3
    assert "no conjunction warning" in capsys.readouterr().err
    assert await export(["cdm", "export", "no-such-exercise", own["id"]]) == 3
