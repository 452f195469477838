"""Conditions evaluated when the triggering action is decided, on the shipped global-sentinel
pattern gs-014: 'Kirameki-2 jamming continues' unless JPN orders anti-jam after gs-010."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path

from tests.factories import command, seat
from wargame.domain.closing import conclude
from wargame.domain.decide import CommandTerms, decide, evolve_all
from wargame.domain.events import EventBody, ExerciseCreated, InjectReleased, MoveAdvanced, MoveClosing
from wargame.domain.evolve import evolve_body, initial_state
from wargame.domain.state import ExerciseState
from wargame.domain.tempo import due_now
from wargame.domain.tempo_model import Tempo
from wargame.domain.triggers import due_injects
from wargame.scenario import find_ruleset, load_ruleset, load_scenario

REPO = Path(__file__).resolve().parents[2]
T0 = datetime(2030, 1, 1, 12, 0, tzinfo=UTC)
ANTI_JAM = {
    "type": "submit_order",
    "order": {"kind": "anti_jam", "asset_id": "jpn-kirameki-2", "enabled": True},
    "reason": "gs-010 jamming",
}


@cache
def created() -> ExerciseCreated:
    scenario = load_scenario(REPO / "scenarios" / "global-sentinel.yaml")
    ruleset = load_ruleset(find_ruleset(scenario.ruleset))
    return ExerciseCreated(title="gs", scenario=scenario, ruleset=ruleset, seed=1)


@cache
def move_3(tempo: Tempo | None) -> ExerciseState:
    """global-sentinel at move 3 with gs-010 released (no adjudication needed for the triggers)."""
    scenario = created().scenario.model_copy(update={"tempo": tempo})
    ruleset = created().ruleset
    state = initial_state("gs", ExerciseCreated(title="gs", scenario=scenario, ruleset=ruleset, seed=1))
    state = state.model_copy(update={"phase": "running", "move": 3})
    return evolve_body(state, InjectReleased(inject=state.injects["gs-010"].inject))


def terms(minutes: float) -> CommandTerms:
    return CommandTerms(key=f"k{minutes}", at=T0 + timedelta(minutes=minutes), lease_s=60.0)


def act(state: ExerciseState, viewer: str, data: dict[str, object], minutes: float) -> ExerciseState:
    decision = decide(state, seat(viewer), command(data), terms(minutes))
    assert isinstance(decision, list), decision
    return evolve_all(state, [p.body for p in decision])


def open_move_4(state: ExerciseState) -> tuple[ExerciseState, list[EventBody]]:
    """Close move 3 (no core events) and open move 4 at T0, as conclude records it."""
    closing = act(state, "white_cell", {"type": "advance_move", "from_move": 3}, 0)
    assert closing.closing is not None
    decision = conclude(closing, seat("white_cell"), closing.closing, [], T0)
    assert isinstance(decision, list), decision
    bodies = [p.body for p in decision]
    assert any(isinstance(b, MoveAdvanced) for b in bodies) and not any(
        isinstance(b, MoveClosing) for b in bodies
    )
    return evolve_all(closing, bodies), bodies


def released(bodies: list[EventBody]) -> list[str]:
    return [b.inject.id for b in bodies if isinstance(b, InjectReleased)]


def test_without_tempo_gs014_fires_as_move_4_opens_unless_jpn_acted_in_move_3() -> None:
    _, bodies = open_move_4(move_3(None))
    assert "gs-014" in released(bodies)
    acted = act(move_3(None), "team:JPN", ANTI_JAM, 0)
    _, bodies = open_move_4(acted)
    assert "gs-014" not in released(bodies)
    assert "gs-014" not in released(due_injects(acted, 4, closed=acted))


def test_with_tempo_gs014_waits_for_its_time_and_jpn_acting_in_move_4_prevents_it() -> None:
    tempo = Tempo(move_deadline_minutes=60.0, on_deadline="alert")
    state, bodies = open_move_4(move_3(tempo))
    assert state.move == 4 and "gs-014" not in released(bodies)  # planned at +0.5 h, not at the opening
    # +0.5 h of a 6 h move over 60 minutes: 5 minutes in. JPN orders anti-jam 2 minutes in.
    acted = act(state, "team:JPN", ANTI_JAM, 2)
    assert "gs-014" not in released(due_now(acted, T0 + timedelta(minutes=5)))
    due = [b for b in due_now(state, T0 + timedelta(minutes=5)) if isinstance(b, InjectReleased)]
    assert [b.inject.id for b in due if b.inject.trigger == "condition"] == ["gs-014"]
    due = [b for b in due if b.inject.id == "gs-014"]
    assert due[0].scenario_time == datetime(2027, 6, 14, 18, 30, tzinfo=UTC)
    assert "gs-014" not in released(due_now(state, T0 + timedelta(minutes=4.9)))
