"""`wargame bench scale`: a shipped scenario at full size, headless and over real websockets.

One run measures the adjudication core alone (in this process), then plays the same moves on a
real server (`wargame serve`, SQLite and the in-memory layer by default; `--postgres` for
PostgreSQL, an own Redis and a worker) with every seat connected, and reports what issue 14
names: bytes a team downloads, bytes stored per move, the advance seen by every seat against the
core alone, chat acks in another exercise during a move, server memory and CPU, sockets kept.
"""

from __future__ import annotations

import asyncio
import itertools
import json
import statistics
import time
import urllib.request
from collections import Counter
from pathlib import Path
from typing import Any

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import seat_tokens
from wargame.ops.procstats import RssSampler, cpu_s, log_text_bytes, stored_bytes
from wargame.ops.scale_core import core_timings, release_commands
from wargame.ops.topology import Topology

CHAT_EVERY_S = 0.2


def _median(values: list[float]) -> float:
    return round(statistics.median(values), 3) if values else 0.0


def fetch_picture(base_http: str, token: str, url: str) -> int:
    """GET a picture resource as a browser does (gzip accepted); the bytes that travelled."""
    request = urllib.request.Request(
        base_http + url, headers={"Authorization": f"Bearer {token}", "Accept-Encoding": "gzip"}
    )
    with urllib.request.urlopen(request, timeout=120) as reply:
        return len(reply.read())


def _moved_to(client: StreamClient, move: int) -> bool:
    """Whether the client got the event that takes the game past move `move - 1`."""
    return any(
        (r.event["type"] == "move_advanced" and r.event["body"]["move"] == move)
        or r.event["type"] == "exercise_ended"
        for r in reversed(client.received[-400:])
    )


async def _all_moved(clients: list[StreamClient], move: int, timeout_s: float) -> None:
    """Wait until every client got the event that takes the game to `move` (or its end)."""
    started = time.monotonic()
    while not all(_moved_to(c, move) for c in clients):
        if time.monotonic() - started > timeout_s:
            raise TimeoutError(f"not every seat reached move {move} in {timeout_s:g} s")
        await asyncio.sleep(0.02)


async def _ok(client: StreamClient, command: dict[str, Any]) -> dict[str, Any]:
    reply = await client.command(command)
    if reply["type"] != "ack":
        raise RuntimeError(f"{command['type']} refused: {reply}")
    return reply


async def _chat_while(client: StreamClient, running: asyncio.Event, acks_ms: list[float]) -> None:
    """Post chats in another exercise, one at a time, until `running` is cleared."""
    for n in itertools.count():
        if not running.is_set():
            return
        started = time.monotonic()
        await _ok(client, {"type": "post_chat", "channel": "coalition", "text": f"ping {n}"})
        acks_ms.append((time.monotonic() - started) * 1000)
        await asyncio.sleep(CHAT_EVERY_S)


async def _share_in_move_one(teams: dict[str, StreamClient]) -> None:
    """The releases the headless baseline makes too (so fusion has partners' data)."""
    commands = release_commands(sorted(teams))
    await asyncio.gather(*(_ok(teams[nation], command) for nation, command in commands.items()))


async def _connect_bytes(urls: list[str], base_http: str, token: str) -> dict[str, int]:
    """What a fresh team page downloads to show the current move: websocket frames until its
    snapshot is whole, then its picture resource."""
    client = StreamClient(urls, token, reconnect=False)
    await client.start()
    await asyncio.sleep(0.5)  # let presence and any trailing frames arrive
    socket_bytes = client.bytes_received
    notice = (client.view or {}).get("picture") or {}
    picture_bytes = await asyncio.to_thread(fetch_picture, base_http, token, notice["url"]) if notice else 0
    await client.stop()
    return {"socket": socket_bytes, "picture": picture_bytes, "total": socket_bytes + picture_bytes}


async def _join_storm(
    urls: list[str], base_http: str, tokens: dict[str, str], joiners: int, server_pid: int
) -> dict[str, Any]:
    """`joiners` pages open at once over every seat; server CPU seconds and bytes it cost."""
    viewers = sorted(tokens)
    clients = [StreamClient(urls, tokens[viewers[i % len(viewers)]], reconnect=False) for i in range(joiners)]
    cpu_before = cpu_s(server_pid)
    started = time.monotonic()
    await start_clients(clients, concurrency=joiners)
    pictures = [
        asyncio.to_thread(fetch_picture, base_http, c.token, (c.view or {})["picture"]["url"])
        for c in clients
        if (c.view or {}).get("picture")
    ]
    picture_bytes = sum(await asyncio.gather(*pictures))
    elapsed = time.monotonic() - started
    cpu = cpu_s(server_pid) - cpu_before
    loaded = sum(1 for c in clients if c.view is not None)
    close_codes = Counter(code for c in clients for code in c.closes)
    total = sum(c.bytes_received for c in clients) + picture_bytes
    await asyncio.gather(*(c.stop() for c in clients))
    return {
        "joiners": joiners,
        "loaded": loaded,
        "close_codes": {str(code): count for code, count in sorted(close_codes.items())},
        "server_cpu_s": round(cpu, 2),
        "wall_s": round(elapsed, 2),
        "sent_mb": round(total / 1e6, 1),
    }


async def _play(
    topo: Topology, scenario: str, moves: int, joiners: int, pids: list[int]
) -> dict[str, Any]:
    """Every seat connected; the moves played with a chat pinging another exercise during each."""
    urls = topo.urls()
    base_http = "http://" + urls[0].split("/")[2]
    created = await asyncio.to_thread(topo.create_exercise, scenario)
    other = await asyncio.to_thread(topo.create_exercise, "tutorial")
    tokens = seat_tokens(created)
    team_viewers = sorted(v for v in tokens if v.startswith("team:"))
    clients = {v: StreamClient(urls, tokens[v]) for v in sorted(tokens)}
    sampler = RssSampler(pids)
    sampler.start()
    await start_clients(list(clients.values()), concurrency=10)
    other_team = StreamClient(urls, seat_tokens(other)["team:USA"])
    await other_team.start()
    white = clients["white_cell"]
    await _ok(white, {"type": "start_exercise"})
    teams = {v.split(":", 1)[1]: clients[v] for v in team_viewers}
    await _share_in_move_one(teams)

    db_url, exercise_id = topo.database_url, created["exercise_id"]
    stored_before = await asyncio.to_thread(stored_bytes, db_url)
    _, last_seq = await asyncio.to_thread(log_text_bytes, db_url, exercise_id, 0)
    per_move: list[dict[str, Any]] = []
    chat_acks: list[float] = []
    connect: dict[str, int] = {}
    for move in range(1, moves + 1):
        running = asyncio.Event()
        running.set()
        acks: list[float] = []
        chatter = asyncio.create_task(_chat_while(other_team, running, acks))
        started = time.monotonic()
        advance = await _ok(white, {"type": "advance_move", "from_move": move})
        ack_s = time.monotonic() - started
        await _all_moved(list(clients.values()), move + 1, 900)
        e2e_s = time.monotonic() - started
        running.clear()
        await chatter
        chat_acks.extend(acks)
        log_bytes, seq = await asyncio.to_thread(log_text_bytes, db_url, exercise_id, last_seq)
        stored = await asyncio.to_thread(stored_bytes, db_url)
        per_move.append({
            "move": move,
            "advance_ack_s": round(ack_s, 2),
            "e2e_s": round(e2e_s, 2),
            "chat_ack_ms_median": _median(acks),
            "chat_acks": len(acks),
            "log_bytes": log_bytes,
            "db_bytes": stored["total"] - stored_before["total"],
            "db_by_table": {k: stored[k] - stored_before[k] for k in stored if k != "total"},
            "rss_mb": round(sampler.sample(), 1),
            "pss_mb": round(sampler.last_pss_mb, 1),
            "repeat": bool(advance.get("repeat")),
        })
        stored_before, last_seq = stored, seq
        if move == min(2, moves):
            connect = await _connect_bytes(urls, base_http, tokens[team_viewers[0]])

    kept = [v for v in team_viewers if clients[v].closes == [] and clients[v].reconnects == 0]
    play_peaks = (sampler.peak_mb, sampler.peak_pss_mb)
    sampler.peak_mb = sampler.peak_pss_mb = 0.0
    storm = await _join_storm(urls, base_http, tokens, joiners, pids[0]) if joiners else {}
    if storm:
        storm["peak_rss_mb"], storm["peak_pss_mb"] = round(sampler.peak_mb, 1), round(sampler.peak_pss_mb, 1)
    await sampler.stop()
    for client in [*clients.values(), other_team]:
        await client.stop()
    return {
        "exercise": exercise_id,
        "teams": len(team_viewers),
        "per_move": per_move,
        "chat_acks_ms": chat_acks,
        "connect": connect,
        "team_sockets_kept": f"{len(kept)} of {len(team_viewers)}",
        "peak_rss_mb": round(max(play_peaks[0], sampler.peak_mb), 1),
        "peak_pss_mb": round(max(play_peaks[1], sampler.peak_pss_mb), 1),
        "play_peak_rss_mb": round(play_peaks[0], 1),
        "play_peak_pss_mb": round(play_peaks[1], 1),
        "join_storm": storm,
    }


def _topology(workdir: Path, postgres: str | None) -> tuple[Topology, list[int]]:
    """A server on SQLite and the in-memory layer (the embedded default), or with `postgres` the
    production topology (PostgreSQL, an own Redis, one worker). Returns it and the pids of the
    server (first) and its worker, whose process trees hold all the server side's memory."""
    from wargame.ops.topology import start_topology

    if postgres:
        topo = start_topology(servers=1, workers=1, postgres_url=postgres)
        return topo, [next(iter(topo.servers.values())).pid, *(w.pid for w in topo.workers)]
    topo = Topology(
        database_url=f"sqlite:///{workdir / 'wargame.sqlite3'}",
        redis_port=None,
        workdir=workdir,
        extra_env={"WARGAME_ADJUDICATION": "embedded"},
        own_database=False,
    )
    topo.wargame("migrate")
    topo.start_server()
    return topo, [next(iter(topo.servers.values())).pid]


def summarize(core: dict[str, dict[int, float]], played: dict[str, Any]) -> dict[str, Any]:
    """The figures of issue 14 from one run's headless baseline and server play."""
    per_move = played["per_move"]
    core_s, propagation_s = core["core_s"], core["propagation_s"]
    e2e_ratios = [m["e2e_s"] / core_s[m["move"]] for m in per_move if core_s.get(m["move"])]
    rss = [m["rss_mb"] for m in per_move]
    return {
        "team_connect_bytes": played["connect"].get("total", 0),
        "team_connect": played["connect"],
        "log_bytes_per_move": int(statistics.median(m["log_bytes"] for m in per_move)),
        "log_bytes_per_move_max": max(m["log_bytes"] for m in per_move),
        "db_bytes_per_move": int(statistics.median(m["db_bytes"] for m in per_move)),
        "db_bytes_per_move_max": max(m["db_bytes"] for m in per_move),
        "advance_e2e_vs_core": _median(e2e_ratios),
        "other_command_ack_ms_during_advance": _median(played["chat_acks_ms"]),
        "other_command_acks": len(played["chat_acks_ms"]),
        "core_vs_propagation": _median(
            [core_s[m] / propagation_s[m] for m in core_s if propagation_s.get(m)]
        ),
        "core_s_median": _median(list(core_s.values())),
        "propagation_s_median": _median(list(propagation_s.values())),
        "peak_rss_mb": played["peak_rss_mb"],
        "peak_pss_mb": played["peak_pss_mb"],
        "play_peak_rss_mb": played["play_peak_rss_mb"],
        "play_peak_pss_mb": played["play_peak_pss_mb"],
        "pss_mb_after_move": [m["pss_mb"] for m in per_move],
        "rss_mb_after_move": rss,
        "rss_growth_after_move_2_mb": round(rss[-1] - rss[1], 1) if len(rss) > 2 else 0.0,
        "team_sockets_kept": played["team_sockets_kept"],
        "join_storm": played["join_storm"],
        "per_move": per_move,
    }


def run_scale(scenario: str, moves: int, joiners: int, postgres: str | None) -> dict[str, Any]:
    """Headless baseline, then the same moves on a real server; the figures of both."""
    import tempfile

    started = time.monotonic()
    core = core_timings(scenario, moves)
    headless_s = time.monotonic() - started
    workdir = Path(tempfile.mkdtemp(prefix="wargame-scale-"))
    topo, pids = _topology(workdir, postgres)
    try:
        played = asyncio.run(_play(topo, scenario, moves, joiners, pids))
    finally:
        topo.close()
    return {
        "scenario": scenario,
        "backend": "postgres+redis+worker" if postgres else "sqlite+memory (embedded)",
        "moves": moves,
        "teams": played["teams"],
        "headless_s": round(headless_s, 1),
        **summarize(core, played),
    }


def run_scale_command(scenario: str, moves: int, joiners: int, postgres: str | None, as_json: bool) -> int:
    result = run_scale(scenario, moves, joiners, postgres)
    if as_json:
        print(json.dumps(result, indent=1))
        return 0
    keys = [
        "team_connect_bytes", "log_bytes_per_move", "db_bytes_per_move", "advance_e2e_vs_core",
        "other_command_ack_ms_during_advance", "core_vs_propagation", "peak_rss_mb", "peak_pss_mb",
        "rss_growth_after_move_2_mb", "team_sockets_kept",
    ]
    print(f"{scenario}: {result['teams']} teams, {moves} moves, {result['backend']}")
    for key in keys:
        print(f"  {key:40} {result[key]}")
    print(f"  {'join_storm':40} {result['join_storm']}")
    return 0
