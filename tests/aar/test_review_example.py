"""The worked example of docs/authoring.md: what the foreign-disclosure review costs in the
tutorial, played with the real adjudication core (run with -s to print the figures)."""

from __future__ import annotations

import statistics
from typing import Any

from tests.picture_format import rows
from wargame.aar import build_report
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.domain.products import SharingAgreement
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.pictures import PictureResources

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")
JPN = Seat(role=Role.PLAYER, nation="JPN")


def play(usa_jpn_agreement: bool) -> dict[str, Any]:
    """JPN releases its tracks and its warnings REL USA in move 1; two moves are played. Returns
    per move USA's tracks holding JPN data and their median sigma, and the AAR's review rows."""
    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    if usa_jpn_agreement:
        extra = SharingAgreement(id="usa-jpn", nations=("USA", "JPN"))
        scenario = scenario.model_copy(update={"agreements": (*scenario.agreements, extra)})
    created = ExerciseCreated(
        title="review example", scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed,
    )
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("x", created, background)

    def do(seat: Seat, command: dict[str, Any], command_id: str) -> None:
        result = service.handle("x", seat, command_id, command_adapter.validate_python(command))
        assert result["status"] == "accepted", result

    do(WHITE, {"type": "start_exercise"}, "start")
    for kind in ("tracks", "warnings"):
        release = {"type": "release_product", "product": {"kind": kind},
                   "marking": {"releasability": "REL", "releasable_to": ["USA"]}, "level": "full"}
        do(JPN, release, f"release-{kind}")
    pictures = PictureResources(service)
    by_move = {}
    for move in (1, 2):
        do(WHITE, {"type": "advance_move", "from_move": move}, f"advance-{move}")
        held = rows(pictures.get("x", "team:USA", None).data).values()
        by_move[move] = {
            "with_jpn_data": sum(1 for r in held if "JPN" in r["contributors"]),
            "median_sigma_km": statistics.median(float(r["sigma_km"]) for r in held),
        }
    review = build_report(service.store.read_after("x", 0), "facilitator")["sharing"]["review"]
    jpn_warnings_move_1 = sum(
        1 for e in service.store.read_after("x", 0)
        if e.body.type == "conjunction_warning" and e.body.nation == "JPN" and e.move == 1
    )
    review_by_kind = {r["kind"]: r for r in review}
    return {"by_move": by_move, "review": review_by_kind, "jpn_warnings_move_1": jpn_warnings_move_1}


def test_the_review_delays_jpn_data_a_move_and_an_agreement_removes_the_delay() -> None:
    slow, quick = play(usa_jpn_agreement=False), play(usa_jpn_agreement=True)
    print("\nreview:", slow["by_move"], {k: v["held_back"] for k, v in slow["review"].items()})
    print("agreement:", quick["by_move"], {k: v["held_back"] for k, v in quick["review"].items()})

    assert slow["review"]["tracks"]["from_move"] == 2 and slow["review"]["tracks"]["moves_in_review"] == 1
    assert slow["by_move"][1]["with_jpn_data"] == 0  # in review: USA fuses nothing of JPN's
    assert slow["by_move"][2]["with_jpn_data"] > 0
    assert slow["review"]["warnings"]["held_back"] == slow["jpn_warnings_move_1"] >= 1
    assert slow["review"]["tracks"]["held_back"] is None  # tracks travel in pictures, not items

    assert quick["review"]["tracks"]["from_move"] == 1 and quick["review"]["tracks"]["moves_in_review"] == 0
    assert quick["by_move"][1]["with_jpn_data"] > 0
    assert quick["review"]["warnings"]["held_back"] == 0
    assert quick["by_move"][1]["median_sigma_km"] < slow["by_move"][1]["median_sigma_km"]
