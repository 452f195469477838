"""Scripted headless plays for the AAR: the tutorial to its end with responses to its injects, and a
large scenario's releases and advances, on any ExerciseService (memory store or the database's)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.ops.scale_core import release_commands
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.commands import ExerciseService

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")
FACILITATOR = Seat(role=Role.FACILITATOR, label="Facilitator")

Step = tuple[Seat, dict[str, Any]]
Progress = Callable[[str], None]


def team_seat(nation: str) -> Seat:
    return Seat(role=Role.PLAYER, nation=nation, member=f"{nation.lower()}-lead")


def created_event(scenario_id: str, title: str | None = None) -> tuple[ExerciseCreated, Any]:
    """The exercise_created body of a shipped scenario, and its background catalog."""
    scenario, background = load_scenario_parts(find_scenario(scenario_id))
    created = ExerciseCreated(
        title=title or scenario.title, scenario=scenario,
        ruleset=load_ruleset(find_ruleset(scenario.ruleset)), seed=scenario.seed,
    )
    return created, background


class Player:
    """Sends commands to one exercise and fails loudly on a rejection."""

    def __init__(self, service: ExerciseService, exercise_id: str, tag: str = "aar") -> None:
        self.service, self.exercise_id, self.tag, self.count = service, exercise_id, tag, 0

    def do(self, seat: Seat, command: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        result = self.service.handle(
            self.exercise_id, seat, f"{self.tag}-{self.count}", command_adapter.validate_python(command)
        )
        if result["status"] != "accepted":
            raise RuntimeError(f"{command['type']} by {seat.viewer} refused: {result}")
        return result

    def request_id(self, requester: str) -> str:
        """The newest tasking request of `requester` still open."""
        state = self.service.state(self.exercise_id)
        open_ = [rid for rid, t in state.taskings.items() if t.requester == requester]
        return open_[-1]


def _order(kind: str, reason: str, **fields: Any) -> dict[str, Any]:
    return {"type": "submit_order", "reason": reason, "order": {"kind": kind, **fields}}


def _chat(text: str, channel: str = "coalition", partner: str | None = None) -> dict[str, Any]:
    command: dict[str, Any] = {"type": "post_chat", "channel": channel, "text": text}
    if partner:
        command["partner"] = partner
    return command


def _release(kind: str, to: list[str], level: str = "full") -> dict[str, Any]:
    return {"type": "release_product", "product": {"kind": kind}, "level": level,
            "marking": {"releasability": "REL", "releasable_to": to}}


LONG_CHAT = (
    "JPN to coalition: Space Fence's tasked track of the COSMOS 1408 fragment shrank the covariance "
    "by an order of magnitude; the probability of collision is now below the mitigation threshold, "
    "so we keep IGS-Optical 8's propellant for the inspector. Thanks to the 18th SDS for the quick turn."
)
"""A chat line longer than the old timeline's 80-character cut: exports show it whole."""


def play_tutorial(player: Player) -> None:
    """The tutorial's 4 moves with each team answering its injects, then the end of the exercise.

    Move 1 (inj-001, inj-002 to JPN and USA): sharing releases, JPN asks USA for a Space Fence
    track and USA accepts, JPN manoeuvres IGS-Optical 8 and forwards the CDM to GBR, JPN's long
    coalition chat. Move 2 (inj-003 to GBR, inj-004 to JPN): GBR anti-jam on Skynet 5D and
    releases its assessments to USA; JPN asks USA for a GEODSS look (declined). Move 3 (inj-005,
    inj-006, contingency inj-009 to USA): USA anti-jam on WGS-10, GBR warns USA on a bilateral
    chat. Move 4 (inj-007 to USA, inj-008): GBR attributes inj-003 publicly; USA releases its
    warnings to JPN. An observation by the facilitator on obj-sharing.
    """
    usa, gbr, jpn = team_seat("USA"), team_seat("GBR"), team_seat("JPN")
    do = player.do
    do(WHITE, {"type": "start_exercise"})
    do(usa, _release("tracks", ["GBR"]))
    do(gbr, _release("tracks", ["USA"]))
    do(jpn, _order("tasking_request", "precise track of the debris before spending propellant",
                   partner="USA", sensor_id="usa-space-fence", object_id="deb-c1408-f02"))
    do(usa, {"type": "answer_tasking", "request_id": player.request_id("JPN"), "accept": True,
             "reason": "Space Fence has capacity this pass"})
    do(jpn, _order("manoeuvre", "Pc above the mitigation threshold with catalog covariance",
                   asset_id="jpn-igs-optical-8", dv_m_per_s=0.2, purpose="collision_avoidance"))
    do(jpn, {"type": "forward_inject", "inject_id": "inj-002",
             "marking": {"releasability": "REL CSPO"}, "recipients": ["GBR"]})
    do(jpn, _chat(LONG_CHAT))
    do(FACILITATOR, {"type": "record_observation", "objective_id": "obj-sharing", "rating": "S",
                     "text": "USA and GBR released tracks to each other within the first move"})
    do(WHITE, {"type": "advance_move", "from_move": 1})

    do(gbr, _order("anti_jam", "strong carrier on the X-band uplink", asset_id="gbr-skynet-5d",
                   enabled=True))
    do(gbr, _release("assessments", ["USA"]))
    do(jpn, _order("tasking_request", "custody of the inspector near Kirameki-1",
                   partner="USA", sensor_id="usa-geodss-maui", object_id="red-inspector-1"))
    do(usa, {"type": "answer_tasking", "request_id": player.request_id("JPN"), "accept": False,
             "reason": "GEODSS Maui is committed elsewhere this move"})
    do(WHITE, {"type": "advance_move", "from_move": 2})

    do(WHITE, {"type": "release_inject", "inject_id": "inj-009"})
    do(usa, _order("anti_jam", "noise floor rise on WGS-10 beams", asset_id="usa-wgs-10", enabled=True))
    do(gbr, _chat("Tyche frames saturated over the RED coast: likely a laser, close shutters there",
                  channel="bilateral", partner="USA"))
    do(WHITE, {"type": "advance_move", "from_move": 3})

    do(gbr, _order("public_attribution", "RF evidence and the pattern of activity",
                   inject_id="inj-003", accused="RED", likelihood="likely"))
    do(usa, _release("warnings", ["JPN"]))
    do(WHITE, {"type": "advance_move", "from_move": 4})


def play_scale(player: Player, moves: int, sharing: str = "all", progress: Progress | None = None) -> None:
    """Start; in move 1 each team releases its tracks either to the next two teams (`ring`, as
    `bench scale` does) or, with its warnings and assessments, to every participant (`all`: the
    most a log can hold of shared warnings); a coalition chat per team and move; `moves` advances."""
    if sharing not in ("all", "ring"):
        raise ValueError(f"sharing must be 'all' or 'ring', not {sharing!r}")
    player.do(WHITE, {"type": "start_exercise"})
    nations = list(player.service.state(player.exercise_id).played_nations())
    everyone = {"releasability": "REL ALL-PARTICIPANTS"}
    for nation, command in release_commands(nations).items():
        if sharing == "ring":
            player.do(team_seat(nation), command)
            continue
        for kind in ("tracks", "warnings", "assessments"):
            player.do(team_seat(nation), {"type": "release_product", "product": {"kind": kind},
                                          "marking": everyone, "level": "full"})
    for move in range(1, moves + 1):
        for nation in nations:
            player.do(team_seat(nation), _chat(f"{nation} in move {move}: picture reviewed"))
        player.do(WHITE, {"type": "advance_move", "from_move": move})
        if progress is not None:
            progress(f"move {move} of {moves} adjudicated")
