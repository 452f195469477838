"""The white cell's control of scheduled injects (skip, hold, lift, retime, edit) and an ad-hoc
inject's own duration_moves, on the real tutorial core."""

from __future__ import annotations

from tests.domain.override_game import REASON, Game
from wargame.domain.common import AssetStatus


def released(game: Game) -> dict[str, int | None]:
    return {k: v.released_move for k, v in game.state.injects.items()}


def test_skip_hold_lift_and_retime_change_when_an_inject_is_released() -> None:
    game = Game("msel")
    planned = game.state.injects["inj-005"].inject
    assert game.state.injects["inj-005"].planned_move is None
    game.ok("white_cell", {"type": "skip_inject", "inject_id": "inj-004", "reason": REASON})
    game.ok("white_cell", {"type": "hold_inject", "inject_id": "inj-003", "reason": REASON})
    game.ok(
        "white_cell",
        {"type": "retime_inject", "inject_id": "inj-005", "move": 4, "offset_hours": 1.5, "reason": REASON},
    )
    entry = game.state.injects["inj-005"]
    assert (entry.planned_move, entry.planned_offset_hours) == (planned.move, planned.offset_hours)
    assert planned.move != 4, "the tutorial's inj-005 is planned for another move than the retime's"
    game.advance()  # move 2 opens: inj-003 is held, inj-004 skipped
    assert released(game)["inj-003"] is None and released(game)["inj-004"] is None
    game.ok("white_cell", {"type": "lift_hold", "inject_id": "inj-003", "reason": REASON})
    assert released(game)["inj-003"] == 2, "a lifted hold whose time has come releases it at once"
    game.advance()  # move 3: inj-005 was retimed to move 4
    assert released(game)["inj-005"] is None
    game.ok(
        "white_cell",
        {"type": "retime_inject", "inject_id": "inj-005", "move": 4, "offset_hours": 2.0, "reason": REASON},
    )
    entry = game.state.injects["inj-005"]
    assert (entry.planned_move, entry.planned_offset_hours) == (planned.move, planned.offset_hours), (
        "a second retime keeps the MSEL's own time as the planned one"
    )
    assert entry.inject.offset_hours == 2.0
    game.advance()
    assert released(game)["inj-005"] == 4 and released(game)["inj-004"] is None
    inject = game.state.injects["inj-005"].inject
    assert (inject.move, inject.offset_hours) == (4, 2.0)
    assert game.state.injects["inj-005"].planned_move == planned.move, "a release keeps the retime on record"
    kinds = {e.body.type for e in game.events()}
    assert {"inject_skipped", "inject_held", "inject_hold_lifted", "inject_retimed"} <= kinds


def test_commands_on_a_released_inject_are_refused() -> None:
    game = Game("released")
    for data in (
        {"type": "skip_inject", "inject_id": "inj-002"},
        {"type": "hold_inject", "inject_id": "inj-002"},
        {"type": "retime_inject", "inject_id": "inj-002", "move": 3},
        {"type": "edit_inject", "inject_id": "inj-002", "title": "New title"},
    ):
        refusal = game.refused("white_cell", {**data, "reason": REASON})
        assert refusal["code"] == "already_done" and "released in move 1" in refusal["message"]
    early = game.refused(
        "white_cell", {"type": "retime_inject", "inject_id": "inj-005", "move": 1, "reason": REASON}
    )
    assert early["code"] == "invalid" and "has opened already" in early["message"]
    lift = game.refused("white_cell", {"type": "lift_hold", "inject_id": "inj-005", "reason": REASON})
    assert lift["message"] == "inject 'inj-005' is not held"


def test_an_edit_checks_params_exactly_as_the_ad_hoc_form_does() -> None:
    game = Game("edit")
    bad = {"site_lat_deg": 38.0}
    edit = game.refused(
        "white_cell", {"type": "edit_inject", "inject_id": "inj-009", "params": bad, "reason": REASON}
    )
    adhoc = game.refused(
        "white_cell",
        {
            "type": "adhoc_inject",
            "inject_type": "downlink_jamming",
            "title": "J",
            "target": "usa-wgs-10",
            "params": bad,
            "recipients": ["USA"],
        },
    )
    assert edit["message"] == adhoc["message"] and "site_lon_deg" in edit["message"]
    rule = game.refused(
        "white_cell",
        {"type": "edit_inject", "inject_id": "inj-009", "params": {"p_success": 1}, "reason": REASON},
    )
    assert "set by the ruleset's effects.downlink_jamming" in rule["message"]
    game.ok(
        "white_cell",
        {
            "type": "edit_inject",
            "inject_id": "inj-009",
            "title": "Jamming of WGS-10",
            "params": {"duration_moves": 2},
            "reason": REASON,
        },
    )
    inject = game.state.injects["inj-009"].inject
    assert (inject.title, inject.params["duration_moves"]) == ("Jamming of WGS-10", 2)
    assert game.state.injects["inj-009"].edited == ("params", "title")
    text = {"type": "edit_inject", "inject_id": "inj-009", "text": "New text", "reason": REASON}
    game.ok("white_cell", text)
    assert game.state.injects["inj-009"].edited == ("params", "text", "title")


def test_an_irreversible_effect_refuses_a_duration() -> None:
    game = Game("irreversible")
    refusal = game.refused(
        "white_cell",
        {
            "type": "adhoc_inject",
            "inject_type": "direct_ascent_asat",
            "title": "A",
            "target": "usa-wgs-10",
            "params": {"duration_moves": 2},
            "recipients": ["USA"],
        },
    )
    assert refusal["message"] == (
        "direct_ascent_asat inject: params.duration_moves: the ruleset's effects.direct_ascent_asat "
        "is irreversible (it lasts for good)"
    )


def test_an_ad_hoc_jamming_with_duration_moves_2_lasts_exactly_2_moves() -> None:
    game = Game("duration")
    jam = {
        "type": "adhoc_inject",
        "inject_type": "downlink_jamming",
        "title": "Jamming",
        "target": "usa-wgs-10",
        "recipients": ["USA"],
        "params": {"duration_moves": 2},
    }
    game.ok("white_cell", jam)
    adhoc = next(k for k, v in game.state.injects.items() if v.adhoc)
    game.ok("white_cell", {"type": "force_outcome", "inject_id": adhoc, "outcome": "hit", "reason": REASON})
    game.advance()  # adjudicates move 1: jammed until move 3 (the rule alone says 1 move: until 2)
    wgs = game.state.assets["usa-wgs-10"]
    assert (wgs.status, wgs.status_until_move) == (AssetStatus.DEGRADED, 3)
    game.advance()  # move 2 adjudicated: still jammed (its second move)
    assert game.state.assets["usa-wgs-10"].status is AssetStatus.DEGRADED
    game.advance()  # move 3 adjudicated: it recovers (the move's space weather may then hit it anew)
    recoveries = [
        e.move
        for e in game.events("asset_status_changed")
        if e.body.asset_id == "usa-wgs-10" and e.body.cause == "recovered"  # type: ignore[union-attr]
    ]
    assert recoveries == [3]
    assert game.state.ruleset.effects["downlink_jamming"].duration_moves == 1  # type: ignore[index]
