"""White-cell overrides on the real core: force an outcome, set a status, undo a collision and
its debris, re-adjudicate the last move; who may, what is logged, what teams see."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from tests.domain.override_game import REASON, Game
from tests.factories import command
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, InjectResolved, MoveReadjudicated
from wargame.domain.state import ExerciseState
from wargame.protocol.projection import view_for

SKYNET = "gbr-skynet-5d"
IGS = "jpn-igs-optical-8"
DEBRIS = "deb-c1408-f02"

COMMANDS: list[dict[str, Any]] = [
    {"type": "force_outcome", "inject_id": "inj-003", "outcome": "miss", "reason": REASON},
    {"type": "override_status", "asset_id": SKYNET, "status": "disabled", "reason": REASON},
    {"type": "undo_debris", "parent_id": IGS, "reason": REASON},
    {"type": "undo_collision", "inject_id": "inj-002", "reason": REASON},
    {"type": "readjudicate_move", "move": 1, "reason": REASON},
    {"type": "skip_inject", "inject_id": "inj-005", "reason": REASON},
    {"type": "hold_inject", "inject_id": "inj-005", "reason": REASON},
    {"type": "lift_hold", "inject_id": "inj-005", "reason": REASON},
    {"type": "retime_inject", "inject_id": "inj-005", "move": 4, "reason": REASON},
    {"type": "edit_inject", "inject_id": "inj-005", "title": "Storm", "reason": REASON},
]


@pytest.fixture(scope="module")
def at_move_2() -> Game:
    game = Game("override-roles")
    game.advance()
    return game


def resolved(game: Game, inject_id: str) -> InjectResolved:
    found = [e.body for e in game.events("inject_resolved") if e.body.inject_id == inject_id]  # type: ignore[union-attr]
    assert isinstance(found[-1], InjectResolved)
    return found[-1]


@pytest.mark.parametrize("viewer", ["team:USA", "team:GBR", "facilitator", "observer"])
@pytest.mark.parametrize("data", COMMANDS, ids=[c["type"] for c in COMMANDS])
def test_only_the_white_cell_may_override(at_move_2: Game, viewer: str, data: dict[str, Any]) -> None:
    result = at_move_2.refused(viewer, data)
    assert result["code"] == "forbidden"
    if viewer != "observer":
        assert result["message"] == f"{data['type']} is a white cell command"


@pytest.mark.parametrize("data", COMMANDS, ids=[c["type"] for c in COMMANDS])
def test_every_override_needs_a_reason(data: dict[str, Any]) -> None:
    for reason in ("", "   ", "too few"):
        with pytest.raises(ValidationError, match="reason"):
            command({**data, "reason": reason})
    without = {k: v for k, v in data.items() if k != "reason"}
    with pytest.raises(ValidationError, match="reason"):
        command(without)


def test_a_forced_miss_and_a_forced_hit_decide_the_effect() -> None:
    game = Game("force")
    game.advance()  # move 2: inj-003 jams Skynet 5D
    game.ok(
        "white_cell", {"type": "force_outcome", "inject_id": "inj-003", "outcome": "miss", "reason": REASON}
    )
    assert game.state.injects["inj-003"].forced == "miss"
    game.advance()
    outcome = resolved(game, "inj-003")
    assert (outcome.succeeded, outcome.details["forced"], outcome.details["hit"]) == (False, "miss", [])
    assert game.state.assets[SKYNET].status is AssetStatus.NOMINAL
    # A resolved inject can no longer be forced: the refusal says what to do instead.
    late = game.refused(
        "white_cell", {"type": "force_outcome", "inject_id": "inj-003", "outcome": "hit", "reason": REASON}
    )
    assert late["code"] == "already_done" and "override_status" in late["message"]
    # A message has no outcome to force.
    game.ok("white_cell", {"type": "release_inject", "inject_id": "inj-009"})
    game.ok(
        "white_cell", {"type": "force_outcome", "inject_id": "inj-009", "outcome": "hit", "reason": REASON}
    )
    game.advance()
    assert resolved(game, "inj-009").details["hit"] == ["usa-wgs-10"]
    assert game.state.assets["usa-wgs-10"].status is AssetStatus.DEGRADED


def test_a_forced_hit_conjunction_collides_and_the_collision_can_be_undone() -> None:
    game = Game("collide")
    game.ok(
        "white_cell", {"type": "force_outcome", "inject_id": "inj-002", "outcome": "hit", "reason": REASON}
    )
    game.advance()
    assert resolved(game, "inj-002").outcome == "collision"
    state = game.state
    assert state.assets[IGS].status is AssetStatus.DESTROYED
    fragments = [a.id for a in state.assets.values() if a.parent in (IGS, DEBRIS)]
    assert fragments, "the collision broke both objects up"
    mark = state.last_seq
    game.ok("white_cell", {"type": "undo_collision", "inject_id": "inj-002", "reason": REASON})
    state = game.state
    assert state.assets[IGS].status is AssetStatus.NOMINAL and state.assets[IGS].status_reversible
    assert all(state.assets[f].removed for f in fragments)
    kinds = [e.body.type for e in game.after(mark)]
    assert kinds[0] == "collision_undone" and kinds.count("debris_removed") >= 1
    # The log keeps the original breakup and the undo.
    assert game.events("debris_created") and game.events("debris_removed")
    # Control's view no longer lists them; from the next move nobody holds or is warned of them.
    control = view_for("white_cell", state)
    assert assert_no(fragments, [a["id"] for a in control["assets"]])
    game.advance()
    for warning in game.after(mark, "conjunction_warning"):
        assert warning.body.other_id not in fragments and warning.body.asset_id not in fragments  # type: ignore[union-attr]
    again = game.refused("white_cell", {"type": "undo_collision", "inject_id": "inj-002", "reason": REASON})
    assert again["code"] == "invalid"
    none_left = game.refused("white_cell", {"type": "undo_debris", "parent_id": IGS, "reason": REASON})
    assert none_left["code"] == "unknown_target"


def assert_no(ids: list[str], listed: list[str]) -> bool:
    assert not set(ids) & set(listed)
    return True


def test_override_status_is_logged_with_its_reason_and_teams_read_a_correction() -> None:
    game = Game("status")
    game.advance()
    game.advance()  # inj-003 degraded Skynet 5D in move 2 (or did not: set it either way)
    mark = game.state.last_seq
    game.ok(
        "white_cell",
        {
            "type": "override_status",
            "asset_id": SKYNET,
            "status": "disabled",
            "until_move": 4,
            "reason": REASON,
        },
    )
    audit, change, *told = game.after(mark)
    assert [(e.body.type, e.audience) for e in told] == [("team_notified", ("control", "team:GBR"))]
    assert audit.body.type == "status_overridden" and audit.body.reason == REASON  # type: ignore[union-attr]
    assert audit.audience == ("control",) or "team:GBR" not in audit.audience
    assert isinstance(change.body, AssetStatusChanged) and change.body.cause == "white-cell override"
    seen = view_for("team:GBR", change)
    assert seen is not None and seen["body"]["cause"] == "corrected by exercise control"
    assert "override" not in str(seen) and view_for("team:GBR", audit) is None
    assert game.state.assets[SKYNET].status is AssetStatus.DISABLED
    assert view_for("white_cell", change)["body"]["cause"] == "white-cell override"  # type: ignore[index]
    # Restoring with the override works whatever caused it, a kill included.
    game.ok(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "destroyed", "reason": REASON}
    )
    game.ok(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "nominal", "reason": REASON}
    )
    assert game.state.assets[SKYNET].status is AssetStatus.NOMINAL
    same = game.refused(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "nominal", "reason": REASON}
    )
    assert same["code"] == "already_done"


def test_a_scenario_that_announces_corrections_shows_the_reason() -> None:
    game = Game("announced", announce_corrections=True)
    mark = game.state.last_seq
    game.ok(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "degraded", "reason": REASON}
    )
    change = game.after(mark, "asset_status_changed")[0]
    seen = view_for("team:GBR", change)
    assert seen is not None and seen["body"]["cause"] == f"white-cell override: {REASON}"


def test_an_override_of_a_hidden_effect_stays_hidden() -> None:
    game = Game("hidden")
    seizure = {
        "type": "adhoc_inject",
        "inject_type": "cyber_seizure",
        "title": "Seizure",
        "target": "jpn-qzs-3",
        "actor": "RED",
        "recipients": ["USA"],
        "releasability": "NOFORN",
        "params": {},
    }
    game.ok("white_cell", seizure)
    adhoc = next(k for k, v in game.state.injects.items() if v.adhoc)
    game.ok("white_cell", {"type": "force_outcome", "inject_id": adhoc, "outcome": "hit", "reason": REASON})
    game.advance()
    assert game.state.assets["jpn-qzs-3"].owner_belief is not None, "JPN did not notice the seizure"
    mark = game.state.last_seq
    game.ok(
        "white_cell",
        {"type": "override_status", "asset_id": "jpn-qzs-3", "status": "degraded", "reason": REASON},
    )
    change = game.after(mark, "asset_status_changed")[0]
    assert "team:JPN" not in change.audience and view_for("team:JPN", change) is None
    assert game.state.assets["jpn-qzs-3"].owner_belief is not None
    # Restored to what the owner believes (nominal): nothing to tell, and it knows the truth again.
    game.ok(
        "white_cell",
        {"type": "override_status", "asset_id": "jpn-qzs-3", "status": "nominal", "reason": REASON},
    )
    assert game.state.assets["jpn-qzs-3"].owner_belief is None


GAME_FIELDS = ("assets", "sensors", "escalation_level", "metrics_by_move", "pictures")


def comparable(state: ExerciseState) -> dict[str, Any]:
    """What a game's play decides (not the log's bookkeeping: seqs, hashes, stream positions)."""
    data = state.model_dump(mode="json", include=set(GAME_FIELDS))
    data["injects"] = {k: (v.resolved, v.forced) for k, v in state.injects.items()}
    data["nations"] = {
        n: s.model_dump(mode="json", include={"picture_ref", "warnings", "encounters", "assessments"})
        for n, s in state.nations.items()
    }
    return data


def test_a_readjudicated_move_folds_to_the_game_played_with_the_corrected_inputs() -> None:
    direct = Game("direct")
    direct.ok(
        "white_cell", {"type": "force_outcome", "inject_id": "inj-002", "outcome": "hit", "reason": REASON}
    )
    direct.ok(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "degraded", "reason": REASON}
    )
    direct.advance()

    corrected = Game("corrected")
    corrected.advance()
    assert resolved(corrected, "inj-002").outcome != "collision"
    first = [e.seq for e in corrected.events() if e.body.type in ("inject_resolved", "move_adjudicated")]
    changes = {"outcomes": {"inj-002": "hit"}, "statuses": {SKYNET: "degraded"}}
    corrected.ok("white_cell", {"type": "readjudicate_move", "move": 1, "changes": changes, "reason": REASON})
    marker = corrected.events("move_readjudicated")[0]
    assert isinstance(marker.body, MoveReadjudicated)
    assert set(first) <= set(marker.body.supersedes)
    assert all(s < marker.seq for s in marker.body.supersedes)
    assert resolved(corrected, "inj-002").outcome == "collision"
    assert comparable(corrected.state) == comparable(direct.state)
    # The fold of the stored log gives the same state as the service's incremental one.
    from wargame.eventlog.replay import fold

    assert comparable(fold(corrected.events())) == comparable(corrected.state)  # type: ignore[arg-type]
    # Only the last adjudicated move, and not once a status changed since.
    stale = corrected.refused("white_cell", {"type": "readjudicate_move", "move": 2, "reason": REASON})
    assert stale["code"] == "stale"
    corrected.ok(
        "white_cell", {"type": "override_status", "asset_id": SKYNET, "status": "nominal", "reason": REASON}
    )
    gone = corrected.refused("white_cell", {"type": "readjudicate_move", "move": 1, "reason": REASON})
    assert gone["code"] == "invalid" and "no longer" in gone["message"]
    # Play goes on after a re-adjudication.
    corrected.advance()
    assert corrected.state.move == 3
