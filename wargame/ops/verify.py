"""Checking recorded streams against the log: lost, duplicated, out of order, content, hash chain."""

from __future__ import annotations

import itertools
import json
import statistics
import urllib.request
from datetime import datetime
from typing import Any

from wargame.ops.client import StreamClient


def fetch_log(base_http: str, token: str) -> list[dict[str, Any]]:
    """Every event of this seat's stream, projected by the server (GET /api/log, all pages), each
    with its position as `pos`."""
    events: list[dict[str, Any]] = []
    after = 0
    for _ in range(10_000):
        request = urllib.request.Request(
            f"{base_http}/api/log?after={after}&limit=1000",
            headers={"Authorization": f"Bearer {token}"},
        )
        with urllib.request.urlopen(request, timeout=30) as reply:
            page = json.loads(reply.read())
        events.extend({**item["event"], "pos": item["pos"]} for item in page["events"])
        if page["next_after"] == after or page["next_after"] >= page["last_pos"]:
            return events
        after = page["next_after"]
    return events


def chain_problems(events: list[dict[str, Any]]) -> list[str]:
    """Gaps or repeated hashes in a control stream (which holds every event). The links
    themselves are checked on the server by `wargame exercise verify`."""
    problems = []
    for before, after in itertools.pairwise(events):
        if after["seq"] != before["seq"] + 1:
            problems.append(f"seq {after['seq']} follows {before['seq']}")
        if after["hash"] == before["hash"]:
            problems.append(f"seq {after['seq']}: repeated hash")
    return problems


def check_client(client: StreamClient, expected: list[dict[str, Any]]) -> dict[str, int]:
    """Compare what one client received with what its seat should have received (by position in
    the seat's stream)."""
    start = client.first_snapshot or 0
    wanted = [e for e in expected if e["pos"] > start]
    by_seq = {e["pos"]: {k: v for k, v in e.items() if k != "pos"} for e in wanted}
    seen: set[int] = set()
    duplicated = out_of_order = mismatched = 0
    previous = start
    for item in client.received:
        if item.pos in seen:
            duplicated += 1
            continue
        seen.add(item.pos)
        if item.pos <= previous:
            out_of_order += 1
        previous = max(previous, item.pos)
        truth = by_seq.get(item.pos)
        if truth is None or truth != item.event:
            mismatched += 1
    covered = set(seen)
    for snap in client.snapshots[1:]:  # a resync snapshot covers what came before it
        covered.update(s for s in by_seq if s <= snap)
    lost = sum(1 for s in by_seq if s not in covered)
    return {
        "lost": lost,
        "duplicated": duplicated,
        "out_of_order": out_of_order,
        "mismatched": mismatched,
        "gaps_seen": client.gaps,
        "resyncs": max(0, len(client.snapshots) - 1),
    }


def percentiles(values: list[float]) -> dict[str, float]:
    if not values:
        return {"p50": 0.0, "p95": 0.0, "p99": 0.0, "max": 0.0}
    ordered = sorted(values)

    def at(q: float) -> float:
        return round(ordered[min(len(ordered) - 1, int(q * len(ordered)))], 2)

    return {
        "p50": round(statistics.median(ordered), 2),
        "p95": at(0.95),
        "p99": at(0.99),
        "max": round(ordered[-1], 2),
    }


def latencies_ms(clients: list[StreamClient]) -> tuple[list[float], list[float]]:
    """Per delivery (receipt - event time) and per event (the last client's receipt - event time).
    An event is known across seats by its time and type (positions differ from seat to seat)."""
    per_delivery: list[float] = []
    last_by_seq: dict[tuple[str, str], float] = {}
    at_by_seq: dict[tuple[str, str], float] = {}
    for client in clients:
        for item in client.received:
            key = (item.event["at"], item.event["type"])
            at = at_by_seq.get(key)
            if at is None:
                at = at_by_seq[key] = datetime.fromisoformat(item.event["at"]).timestamp()
            per_delivery.append((item.at_wall - at) * 1000)
            last_by_seq[key] = max(last_by_seq.get(key, 0.0), item.at_wall)
    per_event = [(last_by_seq[s] - at_by_seq[s]) * 1000 for s in last_by_seq]
    return per_delivery, per_event


def summarize(clients: list[StreamClient], expected: dict[str, list[dict[str, Any]]]) -> dict[str, Any]:
    """Totals over all clients; `expected` maps a token to its seat's projected log."""
    totals = {"lost": 0, "duplicated": 0, "out_of_order": 0, "mismatched": 0, "gaps_seen": 0, "resyncs": 0}
    for client in clients:
        for key, value in check_client(client, expected[client.token]).items():
            totals[key] += value
    per_delivery, per_event = latencies_ms(clients)
    return {
        **totals,
        "deliveries": sum(len(c.received) for c in clients),
        "reconnects": sum(c.reconnects for c in clients),
        "latency_ms": percentiles(per_delivery),
        "all_clients_ms": percentiles(per_event),
    }
