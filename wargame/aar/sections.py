"""AAR sections computed from projected (viewer-filtered) events: metrics, sharing, decisions."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from itertools import combinations
from typing import Any

from wargame.domain.evaluation import LEGACY_OBSERVATION_PREFIX

JsonDict = dict[str, Any]

DEFAULT_LEVEL = "withhold"
"""Sharing level in force before any sharing_policy_set (as in the domain's initial state)."""

ACTIVITY_COUNTS = {
    "injects_released": ("inject_released",),
    "orders": ("order_submitted",),
    "orders_cancelled": ("order_cancelled",),
    "sharing_changes": ("sharing_policy_set", "product_released", "product_withdrawn", "inject_forwarded"),
    "chat_messages": ("chat_posted",),
    "warnings": ("conjunction_warning", "close_approach_detected"),
    "observations": ("observation_recorded",),
    "threat_assessments": ("threat_assessed",),
}
"""Per-move counters: name -> event types counted (as visible to the viewer)."""


def _of_type(events: Sequence[JsonDict], *types: str) -> list[JsonDict]:
    return [e for e in events if e["type"] in types]


def _ref(event: JsonDict) -> JsonDict:
    """Where an item came from in the log."""
    return {"seq": event["seq"], "move": event["move"], "actor": event["actor"],
            "scenario_time": event["scenario_time"]}


def warning_by_move(events: Sequence[JsonDict], timely_hours: float) -> dict[int, JsonDict]:
    """Per move and nation: hostile injects assessed, how many were warned, how many of those
    at least `timely_hours` (the ruleset's warning.timely_hours) before the effect, and the mean
    warning time in hours over the warned ones (None if none), from threat_assessed events."""
    times: dict[int, dict[str, list[float]]] = defaultdict(lambda: defaultdict(list))
    assessed: dict[int, Counter[str]] = defaultdict(Counter)
    for e in _of_type(events, "threat_assessed"):
        body, move = e["body"], e["move"]
        nation = str(body.get("nation"))
        assessed[move][nation] += 1
        if body.get("warned") and body.get("warning_time_h") is not None:
            times[move][nation].append(float(body["warning_time_h"]))
    return {
        move: {
            nation: {
                "assessed": count,
                "warned": len(times[move][nation]),
                "timely": sum(1 for h in times[move][nation] if h >= timely_hours),
                "mean_warning_time_h": (sum(times[move][nation]) / len(times[move][nation])
                                        if times[move][nation] else None),
            }
            for nation, count in sorted(counts.items())
        }
        for move, counts in assessed.items()
    }


def metrics_by_move(
    events: Sequence[JsonDict], moves: Sequence[int], escalation_names: dict[int, str],
    timely_hours: float,
) -> list[JsonDict]:
    """One entry per move: adjudicated metrics (if visible) and activity counts."""
    adjudicated = {e["body"]["move"]: e["body"] for e in _of_type(events, "move_adjudicated")}
    counts: dict[int, Counter[str]] = defaultdict(Counter)
    for event in events:
        for name, types in ACTIVITY_COUNTS.items():
            if event["type"] in types:
                counts[event["move"]][name] += 1
    warning = warning_by_move(events, timely_hours)
    rows: list[JsonDict] = []
    for move in sorted({*moves, *adjudicated}):
        body = adjudicated.get(move)
        level = body["escalation_level"] if body else None
        row: JsonDict = {
            "move": move,
            "adjudicated": body is not None,
            "capability": body["capability"] if body else {},
            "custody": body["custody"] if body else {},
            "precise_custody": body.get("precise_custody", {}) if body else {},
            "shared_products": body["shared_products"] if body else {},
            "escalation_level": level,
            "escalation_name": escalation_names.get(level) if level is not None else None,
            "collisions": [list(pair) for pair in body["collisions"]] if body else [],
            "warning": warning.get(move, {}),
        }
        row.update({name: counts[move][name] for name in ACTIVITY_COUNTS})
        rows.append(row)
    return rows


def _pair_known(viewer_nation: str | None, control: bool, a: str, b: str) -> bool:
    return control or (viewer_nation is not None and viewer_nation in (a, b))


def sharing_section(
    events: Sequence[JsonDict],
    nations: Sequence[str],
    moves: Sequence[int],
    *,
    control: bool,
    viewer_nation: str | None,
) -> JsonDict:
    """Sharing matrix per move (end of move), the list of changes, and reciprocity per pair.

    A cell the viewer could not know (another pair of nations, for a team) is None.
    """
    changes = track_changes(events)
    by_move: list[JsonDict] = []
    for move in moves:
        current = levels_in_force(changes, move)
        matrix: dict[str, dict[str, str | None]] = {
            a: {
                b: current.get((a, b), DEFAULT_LEVEL) if _pair_known(viewer_nation, control, a, b)
                else None
                for b in nations if b != a
            }
            for a in nations
        }
        pairs = [_reciprocity(a, b, matrix) for a, b in combinations(sorted(nations), 2)]
        known = [p for p in pairs if p["reciprocal"] is not None]
        share = sum(1 for p in known if p["reciprocal"]) / len(known) if known else None
        by_move.append({"move": move, "matrix": matrix, "reciprocity": pairs,
                        "reciprocal_share": share})
    return {"nations": list(nations), "default_level": DEFAULT_LEVEL, "by_move": by_move,
            "changes": changes, "review": review_delays(events, control, viewer_nation)}


LEVEL_RANK = {"withhold": 0, "delayed": 1, "degraded": 2, "full": 3}


def track_changes(events: Sequence[JsonDict]) -> list[JsonDict]:
    """Every change to what a nation releases of its tracks to a partner, in log order: a
    per-partner policy (older logs), or a track product released (in force for each recipient
    from its `effective` move, after any disclosure review) or withdrawn."""
    changes: list[JsonDict] = []
    products: dict[str, JsonDict] = {}
    for e in events:
        body = e["body"]
        if e["type"] == "sharing_policy_set":
            changes.append({**_ref(e), "nation": body["nation"], "partner": body["partner"],
                            "level": body["level"], "from_move": e["move"]})
        elif e["type"] == "product_released" and body["product"]["kind"] == "tracks":
            products[body["product_id"]] = body
            scoped = bool(body["product"].get("regimes") or body["product"].get("objects"))
            for partner in body["recipients"]:
                changes.append({**_ref(e), "nation": body["nation"], "partner": partner,
                                "level": body["level"] + (" (part)" if scoped else ""),
                                "from_move": body["effective"].get(partner, e["move"]),
                                "product_id": body["product_id"], "marking": body["marking"]})
        elif e["type"] == "product_withdrawn" and body["product_id"] in products:
            for partner in body["recipients"]:
                changes.append({**_ref(e), "nation": body["nation"], "partner": partner,
                                "level": DEFAULT_LEVEL, "from_move": e["move"],
                                "product_id": body["product_id"]})
    return changes


PRODUCT_ITEMS = {
    "warnings": ("conjunction_warning", "close_approach_detected"),
    "assessments": ("threat_assessed",),
}
"""The events a product of each kind carries to its recipients (tracks travel in pictures)."""


def review_delays(events: Sequence[JsonDict], control: bool, viewer_nation: str | None) -> list[JsonDict]:
    """What the foreign-disclosure review cost: per product and recipient, the moves it waited
    and, for warnings and assessments, how many of the releaser's items of that kind were made
    while it waited (so the recipient did not get them). `held_back` is None where this audience
    cannot see the releaser's items (a partner's release, for a team) or for tracks."""
    rows: list[JsonDict] = []
    item_moves: dict[tuple[str, str], list[int]] = defaultdict(list)  # (kind, nation) -> moves
    for kind, types in PRODUCT_ITEMS.items():
        for item in _of_type(events, *types):
            item_moves[(kind, str(item["body"].get("nation")))].append(item["move"])
    for e in _of_type(events, "product_released"):
        body = e["body"]
        kind, releaser = body["product"]["kind"], body["nation"]
        for partner in body["recipients"]:
            from_move = int(body["effective"].get(partner, e["move"]))
            waited = from_move - e["move"]
            held_back = None
            if kind in PRODUCT_ITEMS and (control or viewer_nation == releaser):
                held_back = sum(1 for m in item_moves[(kind, releaser)] if e["move"] <= m < from_move)
            rows.append({**_ref(e), "product_id": body["product_id"], "nation": releaser,
                         "partner": partner, "kind": kind, "marking": body["marking"],
                         "from_move": from_move, "moves_in_review": waited, "held_back": held_back})
    return rows


def levels_in_force(changes: Sequence[JsonDict], move: int) -> dict[tuple[str, str], str]:
    """The best level each nation releases its tracks at to each partner in `move`."""
    by_product: dict[tuple[str, str, str], str] = {}
    policy: dict[tuple[str, str], str] = {}
    for change in changes:
        if change["from_move"] > move:
            continue
        pair = (change["nation"], change["partner"])
        if "product_id" in change:
            by_product[(*pair, change["product_id"])] = change["level"]
        else:
            policy[pair] = change["level"]
    current = dict(policy)
    for (a, b, _product), level in by_product.items():
        old = current.get((a, b), DEFAULT_LEVEL)
        if LEVEL_RANK[level.split(" ")[0]] > LEVEL_RANK[old.split(" ")[0]]:
            current[(a, b)] = level
    return current


def _reciprocity(a: str, b: str, matrix: dict[str, dict[str, str | None]]) -> JsonDict:
    a_to_b, b_to_a = matrix[a][b], matrix[b][a]
    if a_to_b is None or b_to_a is None:
        reciprocal: bool | None = None
    else:
        reciprocal = a_to_b != DEFAULT_LEVEL and b_to_a != DEFAULT_LEVEL
    return {"pair": [a, b], "a_to_b": a_to_b, "b_to_a": b_to_a, "reciprocal": reciprocal}


def decisions_section(events: Sequence[JsonDict]) -> JsonDict:
    """Orders with their stated reasons, answers to tasking requests, and public attributions."""
    cancelled = {e["body"]["order_id"]: e["seq"] for e in _of_type(events, "order_cancelled")}
    requests = {e["body"]["request_id"]: e["body"] for e in _of_type(events, "tasking_requested")}
    orders = [
        {**_ref(e), "order_id": e["body"]["order_id"], "nation": e["body"]["nation"],
         "kind": e["body"]["order"].get("kind"), "order": e["body"]["order"],
         "reason": e["body"].get("reason", ""),
         "cancelled_seq": cancelled.get(e["body"]["order_id"])}
        for e in _of_type(events, "order_submitted")
    ]
    taskings = []
    for e in _of_type(events, "tasking_answered"):
        body = e["body"]
        request = requests.get(body["request_id"], {})
        taskings.append({
            **_ref(e), "request_id": body["request_id"], "requester": body["requester"],
            "partner": body["partner"], "accepted": body["accepted"],
            "reason": body.get("reason", ""), "sensor_id": request.get("sensor_id"),
            "object_id": request.get("object_id"),
        })
    answered = {t["request_id"] for t in taskings}
    unanswered = [
        {**_ref(e), **{k: e["body"][k] for k in ("request_id", "requester", "partner",
                                                  "sensor_id", "object_id")}}
        for e in _of_type(events, "tasking_requested") if e["body"]["request_id"] not in answered
    ]
    attributions = [
        {**_ref(e), **{k: e["body"].get(k, "") for k in ("nation", "inject_id", "accused",
                                                         "likelihood", "statement")}}
        for e in _of_type(events, "attribution_published")
    ]
    return {"orders": orders, "tasking_answers": taskings, "unanswered_taskings": unanswered,
            "attributions": attributions}


def observations_section(events: Sequence[JsonDict], objectives: Sequence[JsonDict]) -> JsonDict:
    """Evaluator observations as they now read (edits applied, retracted ones left out), grouped
    under the scenario's objectives (plus unassigned ones)."""
    current: dict[str, JsonDict] = {}
    for e in _of_type(events, "observation_recorded", "observation_edited", "observation_retracted"):
        body = e["body"]
        key = body.get("observation_id") or f"{LEGACY_OBSERVATION_PREFIX}{e['seq']}"
        if e["type"] == "observation_recorded":
            fields = {k: body.get(k) for k in ("objective_id", "rating", "text")}
            current[key] = {**_ref(e), "observation_id": key, **fields}
        elif key in current and e["type"] == "observation_edited":
            current[key].update({k: body.get(k) for k in ("objective_id", "rating", "text")})
        else:
            current.pop(key, None)
    grouped: dict[str | None, list[JsonDict]] = defaultdict(list)
    for item in current.values():
        grouped[item.pop("objective_id")].append(item)
    known = {o["id"] for o in objectives}
    by_objective = []
    for objective in objectives:
        items = grouped.get(objective["id"], [])
        ratings = Counter(str(o["rating"]) for o in items if o["rating"])
        by_objective.append({
            "id": objective["id"], "text": objective.get("text", ""),
            "capability": objective.get("capability"), "observations": items,
            "ratings": dict(sorted(ratings.items())),
        })
    orphans = [o for key, items in grouped.items() if key is not None and key not in known
               for o in items]
    return {"objectives": [{k: o.get(k) for k in ("id", "text", "capability")} for o in objectives],
            "by_objective": by_objective, "unassigned": grouped.get(None, []) + orphans}


def warnings_section(events: Sequence[JsonDict], nations: Sequence[str]) -> JsonDict:
    """Conjunction warnings and close approaches each nation received."""
    result: dict[str, JsonDict] = {}
    for e in _of_type(events, "conjunction_warning", "close_approach_detected"):
        body = e["body"]
        entry = result.setdefault(body["nation"], {"conjunctions": [], "close_approaches": []})
        item = {**_ref(e), "asset_id": body["asset_id"], "other_id": body["other_id"]}
        if e["type"] == "conjunction_warning":
            entry["conjunctions"].append({
                **item, "tca": body["tca"], "miss_km": body["miss_km"], "pc": body["pc"],
                "action_threshold_exceeded": body["action_threshold_exceeded"],
            })
        else:
            entry["close_approaches"].append({**item, "range_km": body["range_km"]})
    for nation in nations:
        result.setdefault(nation, {"conjunctions": [], "close_approaches": []})
    return {n: {**w, "count": len(w["conjunctions"]) + len(w["close_approaches"])}
            for n, w in sorted(result.items())}
