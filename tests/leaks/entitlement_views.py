"""Snapshot and text checks of the entitlement oracle (tests/leaks/entitlement.py): a team's and the
observer's whole view, and the keys, URLs, ids and texts no seat may receive unless told."""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

from tests.leaks.entitlement import Oracle
from tests.leaks.markings import OBSERVER, JsonDict, marking_label
from tests.leaks.projection import PLAYER_INJECT_FIELDS

COMMON_VIEW_KEYS = frozenset(
    {
        "exercise_id",
        "title",
        "marking",
        "phase",
        "move",
        "moves",
        "scenario_time",
        "start_time",
        "move_length_hours",
        "pos",
        "viewer",
        "nations",
        "attributions",
        "objectives",
        "kind",
        "closing_move",
    }
)
"""What every seat's snapshot holds: the exercise's public facts."""
RESPONSE_NOTE_TYPES = frozenset(
    {
        "ground_segment_acted", "spare_activated", "spare_arrived", "dime_taken", "evasion_resolved",
        "response_failed",
    }
)
"""Events whose explanation a team's response notes list."""
TEAM_VIEW_KEYS = COMMON_VIEW_KEYS | {
    "requests",
    "responses",
    "nation",
    "assets",
    "sensors",
    "picture",
    "picture_move",
    "products",
    "received",
    "orders",
    "taskings",
    "warnings",
    "assessments",
    "injects",
    "forwards",
    "chat",
    "rules",
    "agreements",
    "feed",
}
OBSERVER_VIEW_KEYS = COMMON_VIEW_KEYS | {"injects", "statements"}
FORBIDDEN_KEYS = frozenset(
    {
        "seq",
        "hash",
        "prev_hash",
        "audience",
        "last_hash",
        "last_seq",
        "current_seq",
        "prev_seq",
        "controller_notes",
        "expected_actions",
        "params",
        "condition",
        "owner_belief",
        "id_salt",
        "truth_url",
        "observers",
        "status_observers",
        "msel",
        "nations_state",
        "metrics_by_move",
        "escalation_level",
    }
)
"""Keys that carry the global sequence, the hash chain, addressing or ground truth: never in a
team's or the observer's data."""
PICTURE_URL = re.compile(r"/api/picture\?[^\s\"']*")
OWN_PICTURE_URL = re.compile(r"/api/picture\?move=\d+")
ID_CHARS = r"A-Za-z0-9_.-"


def strings(data: Any) -> Iterator[str]:
    """Every string value (and key) in a JSON-like value."""
    if isinstance(data, str):
        yield data
    elif isinstance(data, dict):
        for key, value in data.items():
            yield str(key)
            yield from strings(value)
    elif isinstance(data, list | tuple):
        for value in data:
            yield from strings(value)


def forbidden_keys(data: Any, where: str, also: frozenset[str] = frozenset()) -> list[str]:
    """Forbidden keys anywhere in `data` (nested)."""
    found: list[str] = []

    def walk(value: Any, path: str) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                if key in FORBIDDEN_KEYS or key in also:
                    found.append(f"{where}: key {key!r} at {path or '/'}")
                walk(item, f"{path}/{key}")
        elif isinstance(value, list):
            for k, item in enumerate(value):
                walk(item, f"{path}/{k}")

    walk(data, "")
    return found


def picture_urls(data: Any, where: str) -> list[str]:
    """Picture URLs other than a seat's own (`/api/picture?move=M`): another nation's or the truth."""
    return [
        f"{where}: picture URL {url!r}"
        for text in strings(data)
        for url in PICTURE_URL.findall(text)
        if not OWN_PICTURE_URL.fullmatch(url)
    ]


class Secrets:
    """Ids and texts of the log a seat must not hold unless an event it may receive carries them."""

    def __init__(self, oracle: Oracle) -> None:
        self.oracle = oracle
        self.ids: dict[str, int] = {}
        """id -> seq from which it exists (MSEL inject ids from the start)."""
        self.texts: dict[str, int] = {}
        scenario = oracle.events[0]["body"]["scenario"]
        for inject in scenario.get("msel", []):
            self._inject(inject, 1)
        for e in oracle.events[1:]:
            body, seq = e["body"], e["seq"]
            if e["type"] == "inject_released":
                self._inject(body["inject"], seq)
            for key in ("forward_id", "product_id", "order_id", "message_id", "request_id"):
                if isinstance(body.get(key), str):
                    self.ids.setdefault(body[key], seq)
            for key in ("reason", "text", "statement"):
                self._text(body.get(key), seq)
            if e["type"] == "asset_status_changed" and body["cause"].startswith("restored: "):
                self._text(body["cause"], seq)

    def _inject(self, inject: JsonDict, seq: int) -> None:
        self.ids.setdefault(inject["id"], seq)
        for text in (
            inject.get("title"),
            inject.get("text"),
            inject.get("controller_notes"),
            *(inject.get("expected_actions") or []),
        ):
            self._text(text, seq)

    def _text(self, text: Any, seq: int) -> None:
        if isinstance(text, str) and len(text) >= 12:
            self.texts.setdefault(text, seq)

    def leaked(self, viewer: str, data: Any, upto: int, where: str, asked: Any = None) -> list[str]:
        """Secret ids and texts in `data` that no event `viewer` may receive up to `upto` carries
        (nor the seat's own command `asked`, which a rejection may quote)."""
        known = {s for e in self.oracle.stream(viewer, upto) for s in strings(self.oracle.project(viewer, e))}
        known |= set(strings(asked))
        known_text = "\x00".join(known)
        held = list(dict.fromkeys(strings(data)))
        held_text = "\x00".join(held)
        problems: list[str] = []
        for text in self.texts:
            if text in held_text and text not in known_text:
                problems.append(f"{where}: text {text[:60]!r} it was never told")
        for ident in self.ids:
            if ident in known or ident not in held_text:
                continue
            pattern = re.compile(rf"(?<![{ID_CHARS}]){re.escape(ident)}(?![{ID_CHARS}])")
            if any(pattern.search(s) for s in held if s not in known):
                problems.append(f"{where}: id {ident!r} it was never told")
        return problems


def check_team_view(oracle: Oracle, nation: str, view: JsonDict, upto: int) -> list[str]:
    """A team's snapshot holds only what the events it may receive up to seq `upto` told it."""
    viewer = f"team:{nation}"
    where = f"{viewer} snapshot"
    facts, rules = oracle.facts, oracle.rules
    seen = oracle.stream(viewer, upto)
    problems = forbidden_keys(view, where, frozenset({"member"})) + picture_urls(view, where)
    keys = TEAM_VIEW_KEYS | ({"arsenal"} if view.get("arsenal") else set())
    if set(view) != keys:
        problems.append(f"{where}: keys {sorted(set(view) ^ keys)} beyond a team view's")
    own_weapons = {w["id"] for w in rules.nations.get(nation, {}).get("counterspace", [])}
    arsenal = view.get("arsenal", [])
    problems += [f"{where}: weapon {w['id']} is not its own" for w in arsenal if w["id"] not in own_weapons]
    if view.get("viewer") != viewer or view.get("nation") != nation or view.get("kind") != "team":
        problems.append(f"{where}: is {view.get('viewer')}/{view.get('nation')}/{view.get('kind')}")

    def seen_of(kind: str) -> list[JsonDict]:
        return [e for e in seen if e["type"] == kind]

    # Requests: only those whose events reached us (tests/leaks/test_requests_leak.py plays them).
    requests = view.get("requests", {})
    told = {
        e["body"].get("request_id") or e["body"].get("statement_id")
        for e in seen
        if e["type"] in ("capacity_requested", "request_sent", "statement_drafted", "statement_issued")
    }
    held = [r["request_id"] for k in ("capacity", "asks") for r in requests.get(k, [])]
    held += [s["statement_id"] for s in requests.get("statements", [])]
    if set(held) - told:
        problems.append(f"{where}: requests {sorted(set(held) - told)} it was never told of")

    # Injects: exactly those released to us (marking and recipients), as players read them.
    expected = {}
    for e in seen_of("inject_released"):
        shown = oracle.project(viewer, e)
        assert shown is not None
        expected[e["body"]["inject"]["id"]] = {**shown["body"]["inject"], "released_move": e["move"]}
    got = {i["id"]: i for i in view.get("injects", [])}
    if set(got) != set(expected):
        problems.append(f"{where}: injects {sorted(got)}, entitled to {sorted(expected)}")
    problems += [
        f"{where}: inject {k} shown as {got[k]}" for k in set(got) & set(expected) if got[k] != expected[k]
    ]

    # Forwards: ours (with their recipients) and those sent to us (ourselves alone as recipient).
    forwards = {e["body"]["forward_id"]: e for e in seen_of("inject_forwarded")}
    for card in view.get("forwards", []):
        e = forwards.get(card["forward_id"])
        if e is None:
            problems.append(f"{where}: forward {card['forward_id']} it was never sent")
            continue
        own = e["body"]["nation"] == nation
        recipients = list(e["body"]["recipients"]) if own else [nation]
        if card["recipients"] != recipients or card["marking_label"] != marking_label(e["body"]["marking"]):
            problems.append(f"{where}: forward {card['forward_id']} shows {card['recipients']}")
    if {c["forward_id"] for c in view.get("forwards", [])} != set(forwards):
        problems.append(f"{where}: forwards differ from those it was sent")

    # Products: ours in force, and partners' in force that name us (ourselves alone).
    in_force = [
        p for p in facts.products.values() if p.seq <= upto and (p.withdrawn is None or p.withdrawn > upto)
    ]
    own = {p.product_id for p in in_force if p.nation == nation}
    received = {p.product_id: p for p in in_force if p.nation != nation and nation in p.recipients}
    if {c["product_id"] for c in view.get("products", [])} != own:
        problems.append(f"{where}: products {[c['product_id'] for c in view.get('products', [])]}, not {own}")
    if any(c["nation"] != nation for c in view.get("products", [])):
        problems.append(f"{where}: lists another nation's product as its own")
    for card in view.get("received", []):
        product = received.get(card["product_id"])
        if product is None or card["recipients"] != [nation] or set(card["effective"]) != {nation}:
            problems.append(f"{where}: received product {card['product_id']} shown as {card}")
    if {c["product_id"] for c in view.get("received", [])} != set(received):
        problems.append(f"{where}: received products differ from the partners' releases to it")

    # Orders, taskings, chat: ours, ours or addressed to us, our channels.
    problems += [f"{where}: order of {o['nation']}" for o in view.get("orders", []) if o["nation"] != nation]
    problems += [
        f"{where}: tasking {t['request_id']} between others"
        for t in view.get("taskings", [])
        if nation not in (t["requester"], t["partner"])
    ]
    # Responses: notes are the explanations of the response events in our stream; protections ours.
    responses = view.get("responses") or {}
    noted = [
        e["body"]["explanation"]
        for e in seen
        if e["type"] in RESPONSE_NOTE_TYPES and e["move"] <= upto and "explanation" in e["body"]
    ]
    if [n["text"] for n in responses.get("notes", [])] != noted:
        problems.append(f"{where}: response notes differ from the response events it was sent")
    problems += [
        f"{where}: {p['owner']}'s link protection"
        for p in responses.get("protections", [])
        if p["owner"] != nation
    ]
    problems += [
        f"{where}: {s['id']} is another nation's spare"
        for s in responses.get("spares", [])
        if rules.spare_owners.get(s["id"]) != nation
    ]
    chats = {e["body"]["message_id"] for e in seen_of("chat_posted")}
    if {m["message_id"] for m in view.get("chat", [])} != chats:
        problems.append(f"{where}: chat differs from the messages of its channels")

    # Warnings and assessments: our own and those shared to us through products.
    def shared_by(body: JsonDict) -> str | None:
        return None if body["nation"] == nation else body["nation"]

    warnings = Counter(
        (
            "conjunction" if e["type"] == "conjunction_warning" else "close_approach",
            e["body"]["nation"],
            e["body"]["asset_id"],
            e["body"]["other_id"],
            e["move"],
            shared_by(e["body"]),
        )
        for e in seen
        if e["type"] in ("conjunction_warning", "close_approach_detected")
    )
    shown = Counter(
        (w["kind"], w["nation"], w["asset_id"], w["other_id"], w["move"], w.get("shared_by"))
        for w in view.get("warnings", [])
    )
    if shown != warnings:
        problems.append(
            f"{where}: warnings beyond its own and shared: {sorted((shown - warnings).elements())}"
        )
    assessments = Counter(
        (e["body"]["inject_id"], e["move"], shared_by(e["body"])) for e in seen_of("threat_assessed")
    )
    shown = Counter((a["inject_id"], a["move"], a.get("shared_by")) for a in view.get("assessments", []))
    if shown - assessments:  # the core may tell fewer nations than the oracle allows (forwards)
        extra = sorted((shown - assessments).elements())
        problems.append(f"{where}: assessments beyond its own and shared: {extra}")

    # Our assets and sensors, at the status we were told; nobody else's status.
    move = int(view.get("move", 0))
    for asset in view.get("assets", []):
        spec = rules.objects.get(asset["id"])
        if asset.get("owner") != nation or (spec is not None and spec.get("owner") != nation):
            problems.append(f"{where}: lists {asset['id']} of {asset.get('owner')} as its own")
        problems += _status_told(oracle, where, asset["id"], asset, move, upto)
    for sensor in view.get("sensors", []):
        if "status" in sensor:
            if sensor["owner"] != nation:
                problems.append(f"{where}: status of {sensor['owner']}'s sensor {sensor['id']}")
            else:
                problems += _status_told(oracle, where, sensor["id"], sensor, move, upto)
    picture = view.get("picture")
    if picture is not None and (
        picture["nation"] != nation or picture["url"] != f"/api/picture?move={picture['move']}"
    ):
        problems.append(f"{where}: picture {picture}")
    problems += [
        f"{where}: agreement {a['id']} of others"
        for a in view.get("agreements", [])
        if nation not in a["nations"]
    ]
    if len(view.get("attributions", [])) != len(seen_of("attribution_published")):
        problems.append(f"{where}: attributions differ from the public ones")
    told = [e["body"]["text"] for e in seen_of("team_notified")]
    if [entry["text"] for entry in view.get("feed", [])] != told:
        problems.append(f"{where}: its feed is not the lines addressed to it")
    return problems


def _status_told(oracle: Oracle, where: str, item_id: str, card: JsonDict, move: int, upto: int) -> list[str]:
    """The status an owner shows is the last one it was told (nominal once that one ran out)."""
    told = [t for seq, t in oracle.facts.told.get(item_id, []) if seq <= upto]
    status, until = (told[-1].status, told[-1].until_move) if told else ("nominal", None)
    if until is not None and until < move:
        status, until = "nominal", None
    if card.get("status") != status or card.get("status_until_move") != until:
        return [
            f"{where}: {item_id} shows {card.get('status')} until {card.get('status_until_move')}, "
            f"told {status} until {until}"
        ]
    return []


def check_observer_view(oracle: Oracle, view: JsonDict, upto: int) -> list[str]:
    """The observer's snapshot: public facts only (PUBLIC injects addressed to no one)."""
    where = "observer snapshot"
    problems = forbidden_keys(view, where, frozenset({"member"})) + picture_urls(view, where)
    if set(view) != OBSERVER_VIEW_KEYS or view.get("viewer") != OBSERVER:
        problems.append(f"{where}: keys {sorted(set(view) ^ OBSERVER_VIEW_KEYS)} beyond an observer view's")
    public = {
        e["body"]["inject"]["id"] for e in oracle.stream(OBSERVER, upto) if e["type"] == "inject_released"
    }
    stream = oracle.stream(OBSERVER, upto)
    issued = {e["body"]["statement_id"] for e in stream if e["type"] == "statement_issued"}
    if {s["statement_id"] for s in view.get("statements", [])} != issued:
        problems.append(f"{where}: statements beyond the public ones issued")
    got = {i["id"] for i in view.get("injects", [])}
    if got != public:
        problems.append(f"{where}: injects {sorted(got)}, public ones {sorted(public)}")
    for item in view.get("injects", []):
        extra = set(item) - {*PLAYER_INJECT_FIELDS, "marking", "released_move"}
        if extra:
            problems.append(f"{where}: inject fields {sorted(extra)}")
    return problems


def check_view(
    oracle: Oracle, secrets: Secrets, viewer: str, view: JsonDict, upto: int, where: str
) -> list[str]:
    """A team's or the observer's snapshot as of control seq `upto`, and the secrets in it."""
    if viewer == OBSERVER:
        problems = check_observer_view(oracle, view, upto)
    else:
        problems = check_team_view(oracle, viewer.removeprefix("team:"), view, upto)
    return problems + secrets.leaked(viewer, view, upto, where)
