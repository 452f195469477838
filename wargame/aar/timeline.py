"""The timeline for people: runs of repetitive events (per-nation pictures, bursts of warnings)
grouped into one row that lists its events."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

JsonDict = dict[str, Any]

GROUPED: dict[str, str] = {
    "picture_updated": "picture updates",
    "conjunction_warning": "conjunction warnings",
    "close_approach_detected": "close-approach detections",
    "threat_assessed": "threat assessments",
    "asset_status_changed": "asset status changes",
    "inject_resolved": "inject resolutions",
}
"""Event types the core emits in bursts (per nation, per object), whose consecutive runs in one
move become one row, and the plural they print as. People's actions are never grouped."""
MIN_RUN = 2
NATIONS_LISTED = 6
"""A group names its nations when there are at most this many; else it counts them."""


def _nation(entry: JsonDict) -> str | None:
    body = entry.get("body") or {}
    nation = body.get("nation") or body.get("owner") or body.get("sender")
    return str(nation) if nation else None


def _group(run: Sequence[JsonDict]) -> JsonDict:
    first = run[0]
    nations = list(dict.fromkeys(n for n in map(_nation, run) if n))
    if not nations:
        who = ""
    elif len(nations) <= NATIONS_LISTED:
        who = f" ({', '.join(nations)})"
    else:
        who = f" ({len(nations)} nations)"
    return {
        "group": True, "type": first["type"], "move": first["move"], "count": len(run),
        "first_seq": first["seq"], "last_seq": run[-1]["seq"],
        "at": first["at"], "scenario_time": first["scenario_time"], "actor": first["actor"],
        "summary": f"{len(run)} {GROUPED[first['type']]} in move {first['move']}{who}",
        "entries": list(run),
    }


def group_timeline(entries: Sequence[JsonDict]) -> list[JsonDict]:
    """Timeline entries in order, each run of at least MIN_RUN consecutive entries of one
    GROUPED type in one move replaced by a group row: {group: True, type, move, count,
    first_seq, last_seq, at, scenario_time, actor, summary, entries}. Other rows are the entries
    themselves with group: False."""
    rows: list[JsonDict] = []
    run: list[JsonDict] = []

    def flush() -> None:
        if len(run) >= MIN_RUN:
            rows.append(_group(run))
        else:
            rows.extend({**e, "group": False} for e in run)
        run.clear()

    for entry in entries:
        if run and (entry["type"] != run[0]["type"] or entry["move"] != run[0]["move"]):
            flush()
        if entry["type"] in GROUPED:
            run.append(entry)
        else:
            flush()
            rows.append({**entry, "group": False})
    flush()
    return rows
