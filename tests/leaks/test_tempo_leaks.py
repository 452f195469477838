"""What the move clock's events let each seat see: every seat the clock and its warnings; only
the white cell an alerting deadline; an inject released at its scenario time only its audience,
without controller notes; the scheduler's member name only control."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta

from tests.factories import FakeAdjudicator, command, make_created, scenario_data, seat
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService
from wargame.services.tempo import tick

T0 = datetime(2030, 1, 1, tzinfo=UTC)
SECRET = {
    "id": "T-NOFORN", "serial": 9, "title": "USA only at +1 h", "move": 1, "offset_hours": 1.0,
    "trigger": "time", "type": "message", "recipients": ["USA"], "releasability": "NOFORN",
    "text": "USA-EYES-ONLY", "controller_notes": "CONTROL-NOTE-TEMPO",
}
TEAMS = ("team:USA", "team:GBR", "team:JPN")


def played(on_deadline: str) -> list[dict[str, object]]:
    now = [T0]
    created = make_created(
        msel=[*scenario_data()["msel"], SECRET],
        tempo={"move_deadline_minutes": 60, "warn_before_minutes": [10], "on_deadline": on_deadline},
    )
    service = ExerciseService(MemoryEventStore(), FakeAdjudicator(), clock=lambda: now[0])
    service.create("ex", created)
    service.handle("ex", seat("white_cell"), "start", command({"type": "start_exercise"}))
    for minutes in (10, 50, 60):
        now[0] = T0 + timedelta(minutes=minutes)
        tick(service, "ex", now[0])
    log = service.store.read_after("ex", 0)
    return [
        {"viewer": viewer, "type": e.body.type, "seen": view_for(viewer, e)}
        for e in log for viewer in (*TEAMS, "observer", "white_cell")
    ]


def kinds_seen(rows: list[dict[str, object]], viewer: str) -> list[object]:
    return [r["type"] for r in rows if r["viewer"] == viewer and r["seen"] is not None]


def test_an_alerting_deadline_reaches_only_control_and_the_clock_every_seat() -> None:
    rows = played("alert")
    for viewer in (*TEAMS, "observer"):
        kinds = kinds_seen(rows, viewer)
        assert "deadline_passed" not in kinds, viewer
        assert kinds.count("move_clock_set") == 1 and kinds.count("deadline_warning") == 1, viewer
    assert "deadline_passed" in kinds_seen(rows, "white_cell")


def test_an_inject_at_its_scenario_time_reaches_its_audience_only_without_notes() -> None:
    rows = played("advance")
    released = [r for r in rows if r["type"] == "inject_released" and r["seen"] is not None]
    secret = [r for r in released if "USA-EYES-ONLY" in json.dumps(r["seen"])]
    assert {r["viewer"] for r in secret} == {"team:USA", "white_cell"}
    usa = next(r["seen"] for r in secret if r["viewer"] == "team:USA")
    assert isinstance(usa, dict) and usa["body"]["scenario_time"] == "2027-03-01T01:00:00Z"
    for row in rows:
        if row["viewer"] != "white_cell" and row["seen"] is not None:
            text = json.dumps(row["seen"])
            assert "CONTROL-NOTE-TEMPO" not in text and "scheduler" not in text, row
    assert "deadline_passed" in kinds_seen(rows, "team:GBR")  # an advancing deadline: every seat
