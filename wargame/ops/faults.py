"""`wargame fault`: break the scaled-out topology mid-move, resume, and check nothing was lost.

Faults: `kill-server` (SIGKILL the server the white cell uses while a move is adjudicated, then
restart it), `restart-redis` (the run's own redis-server, by default on port 6390, never the
shared one), `restart-all` (SIGKILL servers, worker and Redis, start them again) and `drop-db`
(terminate every PostgreSQL backend of the run's database, twice). Clients reconnect to any
server with hello{last_pos} and resend unacknowledged commands with their command_id. Checked
afterwards: every client's stream against the projected log (lost, duplicated, out of order,
content), the hash chain (`wargame exercise verify`), and that the chain head recorded before
the fault is unchanged.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from wargame.ops.client import StreamClient, start_clients
from wargame.ops.game import TEAMS, make_clients, play, seat_tokens, wait_for_pos
from wargame.ops.topology import Topology, start_topology, terminate_connections
from wargame.ops.verify import fetch_log, summarize

FAULTS = ("kill-server", "restart-redis", "restart-all", "drop-db")
"""What `wargame fault` breaks, one run each (`all`: every one)."""


async def in_thread(fn: Any, *args: Any) -> Any:
    return await asyncio.get_running_loop().run_in_executor(None, fn, *args)


async def break_it(topo: Topology, fault: str) -> None:
    """Called just after the advance command left: break things while the move is adjudicated."""
    await asyncio.sleep(0.05)
    ports = list(topo.servers)
    if fault == "kill-server":
        await in_thread(topo.kill_server, ports[0])
        await asyncio.sleep(1.0)
        await in_thread(topo.start_server, ports[0])
    elif fault == "restart-redis":
        await in_thread(topo.stop_redis)
        await asyncio.sleep(2.0)
        await in_thread(topo.start_redis)
    elif fault == "restart-all":
        for port in ports:
            await in_thread(topo.kill_server, port)
        await in_thread(topo.kill_workers)
        await in_thread(topo.stop_redis)
        await asyncio.sleep(1.0)
        await in_thread(topo.start_redis)
        for port in ports:
            await in_thread(topo.start_server, port)
        await in_thread(topo.start_worker)
    elif fault == "drop-db":
        await in_thread(terminate_connections, topo.database_url)
        await asyncio.sleep(0.3)
        await in_thread(terminate_connections, topo.database_url)
    else:
        raise ValueError(fault)


async def run_fault(topo: Topology, fault: str, count: int) -> dict[str, Any]:
    created = await in_thread(topo.create_exercise)
    exercise_id = created["exercise_id"]
    tokens = seat_tokens(created)
    urls = topo.urls()
    clients = make_clients(tokens, urls, count)
    await start_clients(clients)
    control = StreamClient(urls, tokens["white_cell"])
    teams = {n: StreamClient(urls, tokens[f"team:{n}"], index=i) for i, n in enumerate(TEAMS)}
    await start_clients([control, *teams.values()])
    head_before: dict[str, Any] = {}
    breaking: list[asyncio.Task[None]] = []

    async def before_advance(move: int) -> None:
        if move == 1:
            head_before.update(json.loads(await in_thread(topo.wargame, "exercise", "verify", exercise_id)))
            breaking.append(asyncio.create_task(break_it(topo, fault)))

    await play(control, teams, moves=2, tag=f"fault-{fault}", before_advance=before_advance)
    await asyncio.gather(*breaking)
    base = "http://" + topo.urls()[0].split("/")[2]
    logs = {t: await in_thread(fetch_log, base, t) for t in tokens.values()}
    last = {t: (events[-1]["pos"] if events else 0) for t, events in logs.items()}
    everyone = [*clients, control, *teams.values()]
    settled = await wait_for_pos(everyone, last, timeout_s=90)
    summary = summarize(everyone, logs)
    for client in everyone:
        await client.stop()
    chain = json.loads(await in_thread(topo.wargame, "exercise", "verify", exercise_id))
    white_log = logs[tokens["white_cell"]]
    kept = next((e["hash"] for e in white_log if e["seq"] == head_before["last_seq"]), None)
    return {
        "fault": fault,
        "clients": len(everyone),
        "settled": settled,
        "events": chain["last_seq"],
        **{
            k: summary[k]
            for k in ("lost", "duplicated", "out_of_order", "mismatched", "resyncs", "reconnects")
        },
        "chain_problems": len(chain["problems"]),
        "head_before_fault": head_before["last_seq"],
        "head_hash_unchanged": kept == head_before["last_hash"],
        "state_hash": chain["last_hash"],
        "control_holds_state_hash": bool(
            control.received and control.received[-1].event["hash"] == chain["last_hash"]
        ),
    }


def passed(result: dict[str, Any]) -> bool:
    return bool(
        result["settled"]
        and not (
            result["lost"]
            or result["duplicated"]
            or result["out_of_order"]
            or result["mismatched"]
            or result["chain_problems"]
        )
        and result["head_hash_unchanged"]
        and result["control_holds_state_hash"]
    )


def run_fault_command(
    fault_name: str, clients: int, redis_port: int, postgres: str | None, as_json: bool
) -> int:
    faults = list(FAULTS) if fault_name == "all" else [fault_name]
    results = []
    for fault in faults:
        topo = start_topology(servers=2, workers=1, postgres_url=postgres, redis_port=redis_port)
        try:
            results.append(asyncio.run(run_fault(topo, fault, clients)))
        finally:
            topo.close()
    for result in results:
        result["passed"] = passed(result)
    if as_json:
        print(json.dumps(results, indent=1))
    else:
        for r in results:
            print(
                f"{r['fault']}: {'PASS' if r['passed'] else 'FAIL'}  lost {r['lost']}, "
                f"duplicated {r['duplicated']}, out of order {r['out_of_order']}, "
                f"mismatched {r['mismatched']}, reconnects {r['reconnects']}, "
                f"chain problems {r['chain_problems']}, head before the fault kept: "
                f"{r['head_hash_unchanged']}, state hash {r['state_hash'][:16]}..."
            )
    return 0 if all(r["passed"] for r in results) else 1
