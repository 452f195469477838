"""Replay (issue 11): a tutorial played to the end with a websocket client in every seat. For
every seat and every seq, `wargame replay` gives exactly what that seat was sent: the hello
snapshot a seat joining right after that seq receives, and its live stream folded (by the
browser's fold) onto its first snapshot."""

from __future__ import annotations

import asyncio
import json
import subprocess
import tempfile
from collections.abc import Awaitable, Callable
from pathlib import Path
from typing import Any

import pytest
from asgiref.sync import sync_to_async
from django.test import AsyncClient

from tests.conftest import LiveExercise
from tests.picture_format import rows
from tests.protocol.test_view_fixtures import SCRIPT, learn_names, resolved
from tests.server.wsclient import Client, get_picture
from wargame.cli import main
from wargame.eventlog.replay import fold
from wargame.protocol.seat_snapshot import snapshot_view
from wargame.protocol.views_state import control_view
from wargame.server.runtime import get_service
from wargame.services.replays import FEED_EVENTS, replay_document

VIEWERS = ("white_cell", "facilitator", "evaluator", "observer", "team:USA", "team:GBR", "team:JPN")
FRONTEND = Path(__file__).resolve().parents[2] / "frontend"
VITE_NODE = FRONTEND / "node_modules" / ".bin" / "vite-node"
ENDGAME: list[tuple[str, dict[str, Any]]] = [
    ("team:USA", {"type": "post_chat", "channel": "coalition", "text": "USA: move 3 orders in"}),
    ("white_cell", {"type": "advance_move", "from_move": 3}),
    ("team:GBR", {"type": "post_chat", "channel": "bilateral", "partner": "JPN", "text": "last move"}),
    ("white_cell", {"type": "advance_move", "from_move": 4}),
]
"""After the recorded fixtures' script (tests/protocol/test_view_fixtures.py): moves 3 and 4, to
the end of the exercise."""

MUTANT = "team:USA, one view unprojected"
Views = dict[str, dict[int, dict[str, Any]]]
"""viewer -> seq -> its replayed view."""


async def db(fn: Callable[..., Any], *args: Any) -> Any:
    """Run database work from the async test (Django refuses it on the event loop)."""
    return await sync_to_async(fn, thread_sensitive=True)(*args)


def names_from(events: list[dict[str, Any]]) -> dict[str, str]:
    """The ids the script's `$NAME`s stand for, from control's events."""
    names: dict[str, str] = {}
    for event in events:
        learn_names(event["body"], names)
    return names


async def play_to_the_end(clients: dict[str, Client]) -> None:
    white = clients["white_cell"]
    script = [(seat.viewer, raw) for seat, raw in SCRIPT] + ENDGAME
    for step, (viewer, raw) in enumerate(script):
        data = json.loads(json.dumps(raw))
        if "$" in json.dumps(data):
            await white.drain(0.1)
            data = resolved(raw, names_from(white.events))
        reply = await clients[viewer].command(data)
        assert reply["type"] == "ack", (step, raw["type"], reply)
    for client in clients.values():
        await client.drain(0.3)


def replay_every_seq(exercise_id: str) -> tuple[Views, int]:
    """The replay of every seat at every seq (replay_document, what the CLI and HTTP give; each
    from the nearest snapshot), and every fifth one checked against a plain fold of the log."""
    service = get_service()
    events = list(service.store.iter_after(exercise_id, 0))
    views: Views = {v: {} for v in VIEWERS}
    state = None
    for event in events:
        state = fold([event], state, service.catalog)
        assert state is not None
        for viewer in VIEWERS:
            document = replay_document(service, exercise_id, viewer, event.seq)
            if event.seq % 5 == 0:
                assert document["view"] == snapshot_view(viewer, state), (viewer, event.seq)
            assert document["pos"] == document["view"]["pos"]
            views[viewer][event.seq] = json.loads(json.dumps(document["view"], ensure_ascii=False))
    return views, events[-1].seq


def fold_check(streams: dict[str, Any]) -> tuple[int, dict[str, Any]]:
    """Run the browser's fold (frontend/scripts/check-fold.ts) on recorded streams."""
    if not VITE_NODE.exists():
        pytest.fail(f"{VITE_NODE} is missing: run `npm ci` in frontend/ (make install does it)")
    with tempfile.NamedTemporaryFile("w", suffix=".json", delete=False, encoding="utf-8") as handle:
        json.dump(streams, handle)
    try:
        done = subprocess.run(
            [str(VITE_NODE), "scripts/check-fold.ts", handle.name],
            cwd=FRONTEND, capture_output=True, text=True, timeout=120, check=False,
        )
    finally:
        Path(handle.name).unlink()
    assert done.stdout.strip(), done.stderr
    return done.returncode, json.loads(done.stdout.strip().splitlines()[-1])


def streams_with_replays(
    hellos: dict[str, dict[str, Any]], clients: dict[str, Client], views: Views, last: int
) -> dict[str, Any]:
    """Each seat's recorded stream with its replayed view at every position: the view at each
    seq is the view at the position the seat had reached there (between two events of its
    stream a seat's replay does not change)."""
    streams: dict[str, Any] = {}
    for viewer in VIEWERS:
        start = hellos[viewer]
        events = clients[viewer].events
        by_pos: dict[str, dict[str, Any]] = {}
        for seq in range(1, last + 1):
            view = views[viewer][seq]
            seen = by_pos.setdefault(str(view["pos"]), view)
            assert seen == view, f"{viewer}'s replay changed at seq {seq} without an event of its stream"
        assert sorted(int(p) for p in by_pos) == list(range(start["pos"], start["pos"] + len(events) + 1))
        streams[viewer] = {
            "start": start,
            "events": [{"pos": start["pos"] + k, "event": e} for k, e in enumerate(events, start=1)],
            "views": by_pos,
        }
    return streams


def truncate(exercise_id: str, seq: int) -> None:
    """Cut the log after `seq`, as if the game had stopped there (for joining at that point)."""
    from wargame.server.models import EventRecord, Exercise, SnapshotRecord, StreamEntry

    StreamEntry.objects.filter(exercise_id=exercise_id, seq__gt=seq).delete()
    SnapshotRecord.objects.filter(exercise_id=exercise_id, seq__gt=seq).delete()
    EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=seq).delete()
    Exercise.objects.filter(id=exercise_id).update(last_seq=seq)


async def hello(token: str) -> dict[str, Any]:
    """The snapshot a fresh socket of this seat gets on hello."""
    client = Client(token)
    await client.connect()
    message = await client.recv(timeout=60)  # a guard against a hang, not a time limit
    await client.close()
    assert message["type"] == "snapshot", message
    view: dict[str, Any] = message["view"]
    return view


def run_cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, Any, str]:
    code = main(["replay", *args])
    out, err = capsys.readouterr()
    return code, json.loads(out) if code == 0 else out, err


async def test_a_replay_is_exactly_what_each_seat_was_sent_at_every_seq(
    tutorial_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    exercise_id, tokens = tutorial_exercise.exercise_id, tutorial_exercise.tokens
    clients: dict[str, Client] = {}
    hellos: dict[str, dict[str, Any]] = {}
    for viewer in VIEWERS:
        clients[viewer] = Client(tokens[viewer])
        await clients[viewer].connect()
        first = await clients[viewer].recv()
        assert first["type"] == "snapshot"
        hellos[viewer] = first["view"]
    await play_to_the_end(clients)
    for client in clients.values():
        await client.close()
    views, last = await db(replay_every_seq, exercise_id)
    assert views["white_cell"][last]["phase"] == "ended" and views["team:JPN"][last]["move"] == 4
    assert last > 100

    # 1. The hello each seat got on joining (right after seq 1) is its replay at seq 1.
    for viewer in VIEWERS:
        assert hellos[viewer] == views[viewer][1], viewer

    # 2. Each seat's live stream, folded by the browser's fold onto that first snapshot, is its
    #    replay at every position of the stream. The check can fail: beside them goes USA's
    #    stream with, at one position, a view built without the projection (ground truth under
    #    the team's name), and it is reported there.
    streams = streams_with_replays(hellos, clients, views, last)
    usa = streams["team:USA"]
    pos = usa["events"][len(usa["events"]) // 2]["pos"]
    seq = min(s for s, v in views["team:USA"].items() if v["pos"] == pos)
    state = await db(get_service().state_at, exercise_id, seq)
    unprojected = json.loads(control_view(state, "team:USA", pos).model_dump_json())
    streams[MUTANT] = {**usa, "views": {**usa["views"], str(pos): unprojected}}
    code, results = fold_check(streams)
    assert code == 1 and results.pop(MUTANT)["mismatch"]["pos"] == pos
    assert all(r["mismatch"] is None for r in results.values()), results
    for viewer in VIEWERS:
        assert results[viewer]["checked"] == len(clients[viewer].events) + 1, viewer
    assert results["white_cell"]["checked"] == last
    assert 0 < results["observer"]["checked"] < results["team:JPN"]["checked"] < last

    # 3. Through the command line (a sample) and HTTP: the same document.
    for viewer, seq in (("team:USA", last), ("team:JPN", 40), ("observer", 7), ("facilitator", 1)):
        code, document, _err = await db(run_cli, capsys, exercise_id, "--viewer", viewer, "--at", str(seq))
        assert code == 0 and document["view"] == views[viewer][seq] and document["at"] == seq
        assert document["last_seq"] == last
        live = [e for e in streams[viewer]["events"] if e["pos"] <= document["pos"]][-FEED_EVENTS:]
        assert [e for e in document["feed"] if e["pos"] > hellos[viewer]["pos"]] == live  # its feed then
        assert len(document["feed"]) == min(FEED_EVENTS, document["pos"])
    marked = ["exercise_started", "move_advanced", "move_advanced", "move_advanced", "exercise_ended"]
    assert [m["type"] for m in document["markers"]] == marked
    headers = {"Authorization": f"Bearer {tokens['facilitator']}"}
    response = await AsyncClient().get("/api/replay?viewer=team:JPN&at=40", headers=headers)
    assert response.status_code == 200
    code, document, _err = await db(run_cli, capsys, exercise_id, "--viewer", "team:JPN", "--at", "40")
    assert response.json() == document
    await check_refusals(exercise_id, tokens, capsys, last)
    await check_pictures(exercise_id, tokens, capsys, views, last)

    # 4. A seat joining right after each seq gets exactly its replay there: the log is cut back
    #    one event at a time and every seat joins with a fresh socket.
    service = get_service()
    for seq in range(last, 0, -1):
        await db(truncate, exercise_id, seq)
        service.forget(exercise_id)  # its cache holds a later state: read this one once
        await db(service.state, exercise_id)
        joined = await asyncio.gather(*(hello(tokens[v]) for v in VIEWERS))
        for viewer, view in zip(VIEWERS, joined, strict=True):
            assert view == views[viewer][seq], (viewer, seq)


async def check_refusals(
    exercise_id: str, tokens: dict[str, str], capsys: pytest.CaptureFixture[str], last: int
) -> None:
    """Unknown exercise, seat or seq: a message naming it and a non-zero exit (CLI), a
    structured error (HTTP); replay is for control seats."""
    for args, message, exit_code in (
        (("nope", "--viewer", "white_cell", "--at", "3"), "no exercise 'nope'", 3),
        ((exercise_id, "--viewer", "team:RED", "--at", "3"), "no seat 'team:RED'", 3),
        ((exercise_id, "--viewer", "team:USA", "--at", str(last + 1)), f"(seqs 1 to {last})", 4),
        ((exercise_id, "--viewer", "team:USA", "--at", "0"), f"(seqs 1 to {last})", 4),
    ):
        code, _out, err = await db(run_cli, capsys, *args)
        assert code == exit_code and message in err, (args, err)
    client = AsyncClient()
    get: Callable[[str, str], Awaitable[Any]] = lambda query, seat: client.get(  # noqa: E731
        f"/api/replay?{query}", headers={"Authorization": f"Bearer {tokens[seat]}"}
    )
    for query, seat, status, code in (
        ("viewer=team:GBR&at=5", "team:USA", 403, "forbidden"),
        ("viewer=observer&at=5", "observer", 403, "forbidden"),
        ("viewer=team:RED&at=5", "white_cell", 400, "bad_request"),
        (f"viewer=team:GBR&at={last + 1}", "white_cell", 400, "bad_request"),
        ("viewer=team:GBR&at=x", "white_cell", 400, "bad_request"),
        ("at=5", "white_cell", 400, "bad_request"),
    ):
        response = await get(query, seat)
        assert (response.status_code, response.json()["code"]) == (status, code), query
    response = await get("viewer=white_cell", "white_cell")
    assert response.status_code == 200 and response.json()["at"] == last  # no seq: the end
    response = await client.get("/api/replay?viewer=team:GBR&at=5")
    assert response.status_code == 401


async def check_pictures(
    exercise_id: str,
    tokens: dict[str, str],
    capsys: pytest.CaptureFixture[str],
    views: Views,
    last: int,
) -> None:
    """A replayed team's picture is the resource that team fetched; the truth at a point shows
    the statuses of that point; `--picture` prints the same rows."""
    restored = "gbr-skynet-5d"  # hit by space weather, restored by the white cell in move 2
    control = views["white_cell"]

    def status(seq: int) -> str:
        return str(next(a["status"] for a in control[seq]["assets"] if a["id"] == restored))

    hit = min(s for s in control if status(s) != "nominal")
    back = min(s for s in control if s > hit and status(s) == "nominal")
    white = tokens["white_cell"]
    for seq in (hit, back):
        response = await AsyncClient().get(
            f"/api/replay?viewer=team:USA&at={seq}", headers={"Authorization": f"Bearer {white}"}
        )
        document = response.json()
        notice = document["view"]["picture"]
        assert document["picture_url"] == f"/api/picture?move={notice['move']}&nation=USA"
        _status, _headers, replayed = await get_picture(white, document["picture_url"].split("?")[1])
        _status, _headers, own = await get_picture(tokens["team:USA"], f"move={notice['move']}")
        assert replayed == own and len(rows(replayed)) == notice["held"]
        assert document["truth_url"].endswith(f"&at={seq}")
        status_code, _headers, truth = await get_picture(white, document["truth_url"].split("?")[1])
        assert status_code == 200
        truth_rows = rows(truth)
        assert truth_rows[restored]["status"] == status(seq)
        for asset in control[seq]["assets"]:
            if asset["id"] in truth_rows:  # objects made after the move are not in its truth
                assert truth_rows[asset["id"]]["status"] == asset["status"], (seq, asset["id"])
    status_code, _headers, _data = await get_picture(tokens["team:USA"], f"move=1&at={back}")
    assert status_code == 403
    status_code, _headers, _data = await get_picture(white, f"move=4&truth=1&at={hit}")
    assert status_code == 404  # move 4's picture did not exist yet
    code, document, _err = await db(run_cli, capsys, exercise_id, "--viewer", "team:GBR", "--at", str(last),
                                    "--picture")
    held = views["team:GBR"][last]["picture"]
    assert code == 0 and document["picture"]["header"]["move"] == held["move"]
    assert len(document["picture"]["rows"]) == held["held"]
    code, document, _err = await db(run_cli, capsys, exercise_id, "--viewer", "observer", "--at", "9",
                                    "--picture")
    assert code == 0 and document["picture"] is None
