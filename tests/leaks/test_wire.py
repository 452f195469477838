"""Over the wire: a shipped scenario played in full on a real server by scripted seats that record
every frame, each cut off at least twice and resuming with hello{last_pos}, some resyncing.

Per seat: (a) the events received, deduplicated by position, are exactly its GET /api/log and
contiguous; (b) every event and every reassembled snapshot passes the entitlement oracle; (c) no
frame of a team or the observer holds a forbidden key, another nation's picture URL or the
truth's, or a secret it was not told; (d) the observer gets public facts only. On SQLite (the
default suite) one server plays the tutorial; on PostgreSQL with redis-server (`-m integration`
with DATABASE_URL) two servers and a worker play schriever-escalation, whose sw-021 (REL CSPO)
must never reach RED or COM.
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from tests.leaks.entitlement import Oracle
from tests.leaks.entitlement_views import Secrets, check_view, forbidden_keys, picture_urls
from tests.leaks.markings import OBSERVER, JsonDict
from tests.leaks.wire import RecordingClient, Script, http_get, settle
from wargame.domain.audience import GROUND_TRUTH_VIEWERS
from wargame.ops.game import seat_tokens
from wargame.ops.topology import Topology, free_port, health, kill, spawn, start_topology, wait_until
from wargame.ops.verify import fetch_log

pytestmark = [pytest.mark.integration]

ENV = {
    "WARGAME_RATE_PER_SECOND": "10000",
    "WARGAME_RATE_BURST": "10000",
    "WARGAME_MAX_SOCKETS_PER_SEAT": "64",
    "WARGAME_SNAPSHOT_WHEN_BEHIND": "100000",  # a resuming seat gets every event it missed
}
CONTROL = GROUND_TRUTH_VIEWERS
"""Seats that see the whole log (the evaluator too): the oracle checks the others."""


@dataclass
class Served:
    scenario: str
    urls: list[str]
    http: str
    tokens: dict[str, str]


def _on_postgres() -> bool:
    return (
        os.environ.get("DATABASE_URL", "").startswith("postgres") and shutil.which("redis-server") is not None
    )


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    if _on_postgres():
        topo: Topology = start_topology(
            servers=2, workers=1, postgres_url=os.environ["DATABASE_URL"], extra_env=ENV
        )
        try:
            created = topo.create_exercise("schriever-escalation")
            urls = topo.urls()
            yield Served(
                "schriever-escalation", urls, "http://" + urls[0].split("/")[2], seat_tokens(created)
            )
        finally:
            topo.close()
        return
    with tempfile.TemporaryDirectory(prefix="wargame-leaks-") as tmp:
        env = dict(os.environ, WARGAME_STATE_DIR=str(Path(tmp)), WARGAME_ADJUDICATION_PROCESSES="0", **ENV)
        env.pop("DATABASE_URL", None)  # one process on its own SQLite file and in-memory layer
        env.pop("REDIS_URL", None)
        cli = [sys.executable, "-m", "wargame.cli"]
        created = subprocess.run(
            [*cli, "exercise", "create", "tutorial", "--json"],
            env=env,
            capture_output=True,
            text=True,
            check=True,
        )
        port = free_port()
        proc = spawn([*cli, "serve", "--no-migrate", "--port", str(port)], env)
        try:
            wait_until(lambda: health(port), 30, "the server")
            http = f"http://127.0.0.1:{port}"
            yield Served(
                "tutorial",
                [f"ws://127.0.0.1:{port}/ws/exercise/"],
                http,
                seat_tokens(json.loads(created.stdout)),
            )
        finally:
            kill(proc)


async def play(served: Served) -> list[RecordingClient]:
    """Connect every seat, play the scenario in full, and stop the clients."""
    urls = served.urls
    clients = [
        RecordingClient(urls=list(urls), token=token, index=k, viewer=viewer)
        for k, (viewer, token) in enumerate(sorted(served.tokens.items()))
    ]
    for client in clients:
        await client.start()
    by_viewer = {c.viewer: c for c in clients}
    control = by_viewer["white_cell"]
    scenario = control.views[0][1]
    nations = {n["id"]: n for n in scenario["nations"]}
    groups = {g: [n for n, card in nations.items() if g in card["groups"]] for g in ("FVEY", "CSPO")}
    teams = [c for c in clients if c.viewer.startswith("team:")]
    manual = [i["id"] for i in scenario["msel"] if i["trigger"] in ("manual", "condition")]
    script = Script(
        http=served.http,
        control=control,
        teams=teams,
        others=[c for c in clients if c is not control and c not in teams],
        groups=groups,
        manual=manual,
        probe="sw-021" if served.scenario == "schriever-escalation" else "inj-003",
        moves=int(scenario["moves"]),
        rng=random.Random(20270301),
    )
    script.plan_cuts(int(script.moves * (2 + 7 * len(teams)) * 0.9))
    await script.play()
    await settle(served.http, clients)
    for client in clients:
        await client.stop()
    return clients


def test_every_frame_of_every_seat_in_a_full_game_is_entitled(served: Served) -> None:
    clients = asyncio.run(asyncio.wait_for(play(served), 900))
    control_log = fetch_log(served.http, served.tokens["white_cell"])
    oracle = Oracle(control_log)
    secrets = Secrets(oracle)
    last = control_log[-1]["seq"]
    problems = list(oracle.problems)
    for client in clients:
        assert client.cuts >= 2 and client.reconnects >= 2, (client.viewer, client.cuts, client.reconnects)
        assert len(client.views) == 1 + client.resyncs, (client.viewer, len(client.views), client.resyncs)
        log = fetch_log(served.http, client.token)
        problems += _same_stream(client, log)
        if client.viewer in CONTROL:
            continue
        seqs, aligned = oracle.align(client.viewer, log)
        problems += aligned
        problems += _frames(client, oracle, secrets, seqs, last)
        if client.viewer.startswith("team:"):
            problems += _pictures(served, client)
        problems += _cdms(served, oracle, secrets, client, last)
    assert sum(c.resyncs for c in clients) >= 2
    kinds = Counter(e["type"] for e in control_log)
    for kind in (
        "product_released",
        "product_withdrawn",
        "inject_forwarded",
        "attribution_published",
        "threat_assessed",
        "chat_posted",
        "order_submitted",
        "picture_updated",
        "conjunction_warning",
    ):
        assert kinds[kind], kind  # the script reached every kind of fact
    assert not problems, json.dumps(problems[:30], indent=1)
    if served.scenario == "schriever-escalation":
        _sw021(control_log, clients, served)


def _same_stream(client: RecordingClient, log: list[JsonDict]) -> list[str]:
    """(a) What the seat received, by position, is its log exactly, without a gap."""
    problems = []
    if [e["pos"] for e in log] != list(range(1, len(log) + 1)):
        problems.append(f"{client.viewer}: /api/log positions are not 1..{len(log)}")
    start = client.first_snapshot or 0
    received: dict[int, JsonDict] = {}
    for item in client.received:
        if item.pos in received and received[item.pos] != item.event:
            problems.append(f"{client.viewer}: position {item.pos} received twice, different")
        received.setdefault(item.pos, item.event)
    expected = {e["pos"]: {k: v for k, v in e.items() if k != "pos"} for e in log if e["pos"] > start}
    if received != expected:
        missing = sorted(set(expected) - set(received))[:10]
        extra = sorted(set(received) - set(expected))[:10]
        differ = [p for p in set(expected) & set(received) if expected[p] != received[p]][:10]
        problems.append(f"{client.viewer}: missing {missing}, extra {extra}, different {differ}")
    if client.gaps:
        problems.append(f"{client.viewer}: {client.gaps} gaps in its stream")
    return problems


def _frames(
    client: RecordingClient, oracle: Oracle, secrets: Secrets, seqs: list[int | None], last: int
) -> list[str]:
    """(b)-(d) Every frame and snapshot of a team or the observer."""
    viewer = client.viewer
    where = f"{viewer} frames"
    frames = [f for f in client.frames if f["type"] != "snapshot"]  # snapshots: reassembled below
    problems = forbidden_keys(frames, where) + picture_urls(frames, where)
    problems += secrets.leaked(viewer, [f for f in frames if f["type"] == "event"], last, where)
    for frame in frames:
        if frame["type"] == "rejected":
            asked = client.sent.get(frame["command_id"])
            problems += secrets.leaked(viewer, frame["message"], last, f"{where} rejection", asked)
        if frame["type"] == "presence":
            allowed = {*CONTROL, *([viewer] if viewer != OBSERVER else [])}
            if not set(frame["online"]) <= allowed:
                problems.append(f"{where}: presence of {frame['online']}")
        if frame["type"] == "welcome" and frame["viewer"] != viewer:
            problems.append(f"{where}: welcome as {frame['viewer']}")
    for pos, view in client.views:
        upto = (seqs[pos - 1] or last) if pos > 0 else 1
        at = f"{viewer} snapshot at {pos}"
        problems += check_view(oracle, secrets, viewer, view, upto, at)
        if view["pos"] != pos:
            problems.append(f"{at}: the view says pos {view['pos']}")
    return problems


def _pictures(served: Served, client: RecordingClient) -> list[str]:
    """A team may fetch its own picture over HTTP, never another nation's or the truth."""
    pictures = client.events_of("picture_updated")
    if not pictures:
        return [f"{client.viewer}: no picture"]
    move = pictures[-1]["body"]["move"]
    others = [
        n
        for n in (t.removeprefix("team:") for t in served.tokens if t.startswith("team:"))
        if n != client.nation
    ]
    statuses = {
        "own": http_get(served.http, client.token, f"/api/picture?move={move}")[0],
        "truth": http_get(served.http, client.token, f"/api/picture?move={move}&truth=1")[0],
        **{
            o: http_get(served.http, client.token, f"/api/picture?move={move}&nation={o}")[0]
            for o in others[:3]
        },
    }
    wanted = {k: 200 if k == "own" else 403 for k in statuses}
    return [] if statuses == wanted else [f"{client.viewer}: pictures answered {statuses}"]


def _cdms(served: Served, oracle: Oracle, secrets: Secrets, client: RecordingClient, last: int) -> list[str]:
    """GET /api/cdm: a seat gets the CDM of each conjunction warning it holds, 404 for the others."""
    problems = []
    for e in oracle.events:
        warning_id = e["body"].get("id") if e["type"] == "conjunction_warning" else None
        if warning_id is None:
            continue
        status, text = http_get(served.http, client.token, f"/api/cdm?warning={warning_id}")
        held = oracle.may_see(client.viewer, e["seq"])
        if status != (200 if held else 404):
            problems.append(f"{client.viewer}: CDM of {warning_id} answered {status} (holds it: {held})")
        elif held:
            where = f"{client.viewer} CDM {warning_id}"
            problems += secrets.leaked(client.viewer, text.decode(), last, where)
    return problems


def _sw021(control_log: list[JsonDict], clients: list[RecordingClient], served: Served) -> None:
    """In schriever-escalation sw-021 (REL CSPO) is released and reaches no RED or COM frame."""
    released = [
        e for e in control_log if e["type"] == "inject_released" and e["body"]["inject"]["id"] == "sw-021"
    ]
    assert len(released) == 1
    for client in clients:
        views = [view for _pos, view in client.views]
        got = "sw-021" in {
            *(
                e["body"]["inject"]["id"]
                for e in fetch_log(served.http, client.token)
                if e["type"] == "inject_released"
            ),
            *(i["id"] for view in views for i in view.get("injects", [])),
            *(f["inject_id"] for view in views for f in view.get("forwards", [])),
        }
        if client.viewer in ("team:RED", "team:COM", OBSERVER):
            assert not got, client.viewer
        elif client.viewer in ("team:USA", "team:JPN", "team:NOR"):
            assert got, client.viewer
