"""The tutorial played to the end with the real core: releases of every kind (one under the
USA-GBR agreement, others waiting in the disclosure review), a withdrawal, a forward, orders, a
tasking and a contingency inject. For the value-of-sharing tests."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from functools import cache
from typing import Any

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import EventEnvelope, ExerciseCreated
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EXERCISE = "sharing1"
CLOCK = datetime(2027, 3, 1, 9, 30, tzinfo=UTC)
USA = Seat(role=Role.PLAYER, nation="USA")
GBR = Seat(role=Role.PLAYER, nation="GBR")
JPN = Seat(role=Role.PLAYER, nation="JPN")
WHITE = Seat(role=Role.WHITE_CELL)
FACILITATOR = Seat(role=Role.FACILITATOR)


def rel(*nations: str) -> dict[str, Any]:
    return {"releasability": "REL", "releasable_to": list(nations)}


def tracks(**scope: Any) -> dict[str, Any]:
    return {"kind": "tracks", **scope}


SCRIPT: list[tuple[Seat, dict[str, Any]]] = [
    (WHITE, {"type": "start_exercise"}),
    # Move 1: USA and GBR release to each other at once (their agreement); JPN's release to USA
    # waits a move in review.
    (USA, {"type": "release_product", "product": tracks(), "marking": rel("GBR")}),
    (GBR, {"type": "release_product", "product": tracks(), "marking": {"releasability": "REL FVEY"}}),
    (GBR, {"type": "release_product", "product": {"kind": "warnings"},
           "marking": {"releasability": "REL FVEY"}}),
    (JPN, {"type": "release_product", "product": tracks(), "marking": rel("USA")}),
    (JPN, {"type": "forward_inject", "inject_id": "inj-002", "recipients": ["GBR"],
           "marking": {"releasability": "REL CSPO"}}),
    (JPN, {"type": "submit_order", "reason": "Pc above threshold",
           "order": {"kind": "manoeuvre", "asset_id": "jpn-igs-optical-8", "dv_m_per_s": 0.5,
                     "purpose": "collision_avoidance"}}),
    (JPN, {"type": "submit_order", "reason": "need custody of the inspector",
           "order": {"kind": "tasking_request", "partner": "USA", "sensor_id": "usa-geodss-socorro",
                     "object_id": "red-inspector-1"}}),
    (USA, {"type": "answer_tasking", "request_id": "$tasking", "accept": True, "reason": "Socorro is free"}),
    (WHITE, {"type": "advance_move", "from_move": 1}),
    # Move 2: USA's assessments to all and its GEO tracks degraded to JPN (review); JPN's warnings.
    (USA, {"type": "release_product", "product": {"kind": "assessments"},
           "marking": {"releasability": "REL ALL-PARTICIPANTS"}}),
    (USA, {"type": "release_product", "product": tracks(regimes=["GEO"]), "marking": rel("JPN"),
           "level": "degraded"}),
    (JPN, {"type": "release_product", "product": {"kind": "warnings"}, "marking": rel("USA")}),
    (WHITE, {"type": "advance_move", "from_move": 2}),
    # Move 3: a contingency inject, a withdrawal and an attribution.
    (WHITE, {"type": "release_inject", "inject_id": "inj-009"}),
    (USA, {"type": "withdraw_product", "product_id": "$USA-tracks"}),
    (GBR, {"type": "submit_order", "reason": "the jamming came from RED",
           "order": {"kind": "public_attribution", "inject_id": "inj-003", "accused": "RED",
                     "likelihood": "likely"}}),
    (WHITE, {"type": "advance_move", "from_move": 3}),
    (WHITE, {"type": "advance_move", "from_move": 4}),
]
"""`$NAME` ids are filled in from earlier results (see `play`)."""




def play() -> ExerciseService:
    """The scripted tutorial game on an in-memory store, with a fixed clock and salt."""
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator(), clock=lambda: CLOCK)
    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    body = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed, id_salt="sharing-salt",
    )
    service.create(EXERCISE, body, background)
    names: dict[str, str] = {}
    for step, (seat, raw) in enumerate(SCRIPT):
        data = json.loads(json.dumps(raw))
        for key in ("product_id", "request_id"):
            if str(data.get(key, "")).startswith("$"):
                data[key] = names[data[key][1:]]
        command = command_adapter.validate_python(data)
        result, events = service.handle_events(EXERCISE, seat, f"step-{step}", command)
        assert result["status"] == "accepted", f"step {step} {raw['type']}: {result}"
        for event in events:
            found = event.body
            if found.type == "product_released" and found.nation == "USA" and found.product.kind == "tracks":
                names.setdefault("USA-tracks", found.product_id)
            if found.type == "tasking_requested":
                names["tasking"] = found.request_id
    assert service.state(EXERCISE).phase == "ended"
    return service


@cache
def played() -> tuple[ExerciseService, list[EventEnvelope]]:
    """The game (played once per test session) and its log."""
    service = play()
    return service, service.store.read_after(EXERCISE, 0)
