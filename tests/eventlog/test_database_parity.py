"""The hash chain verifies on PostgreSQL as on SQLite: shipped scenarios, and -0.0 in a body."""

from __future__ import annotations

import json
from collections.abc import Iterator

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdHocInject, AdvanceMove, Command, StartExercise
from wargame.services.commands import ExerciseService

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")


@pytest.fixture
def service() -> Iterator[ExerciseService]:
    from wargame.server.runtime import set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    set_service(service)
    yield service
    set_service(None)


def on_postgresql() -> bool:
    from django.db import connection

    return connection.vendor == "postgresql"


def accepted(service: ExerciseService, exercise_id: str, command_id: str, command: Command) -> int:
    result = service.handle(exercise_id, WHITE, command_id, command)
    assert result["status"] == "accepted", result
    return int(result["seq"])


def cli_verify(exercise_id: str, capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    """`wargame exercise verify EXERCISE`, in this process (same database)."""
    from wargame.cli import main

    capsys.readouterr()
    code = main(["exercise", "verify", exercise_id])
    report: dict[str, object] = json.loads(capsys.readouterr().out)
    assert code == (1 if report["problems"] else 0)
    return report


@pytest.mark.parametrize("scenario", ["tutorial", "schriever-escalation", "global-sentinel"])
def test_two_moves_of_each_shipped_scenario_verify(
    scenario: str, service: ExerciseService, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.exercises import create_exercise

    if scenario != "tutorial" and not on_postgresql():
        pytest.skip("the large scenarios run on PostgreSQL (scripts/test.sh); SQLite runs the tutorial")
    exercise_id = create_exercise(scenario).exercise_id
    accepted(service, exercise_id, "start", StartExercise(type="start_exercise"))
    accepted(service, exercise_id, "move-1", AdvanceMove(type="advance_move", from_move=1))
    last_seq = accepted(service, exercise_id, "move-2", AdvanceMove(type="advance_move", from_move=2))

    report = cli_verify(exercise_id, capsys)
    head = service.state(exercise_id)
    assert report["problems"] == []
    assert (report["last_seq"], report["events"], report["last_hash"]) == (last_seq, last_seq, head.last_hash)
    cold = ExerciseService(service.store, service.adjudicator)  # from the snapshot saved at move 3
    assert cold.state(exercise_id) == head  # equal (free-form dicts come back with sorted keys)


def test_negative_zero_in_an_event_body_verifies(
    service: ExerciseService, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.exercises import create_exercise
    from wargame.server.models import EventRecord

    exercise_id = create_exercise("tutorial").exercise_id
    accepted(service, exercise_id, "start", StartExercise(type="start_exercise"))
    inject = AdHocInject(  # a jammer on the equator at the prime meridian, written as -0.0
        type="adhoc_inject", inject_type="uplink_jamming", title="Jamming from the Gulf of Guinea",
        target="usa-gps-iii-5", actor="RED", recipients=("USA",),
        params={"site_lat_deg": -0.0, "site_lon_deg": -0.0},
    )
    seq = accepted(service, exercise_id, "zero", inject)
    row = EventRecord.objects.get(exercise_id=exercise_id, seq=seq)
    assert '"params":{"site_lat_deg":0,"site_lon_deg":0}' in (row.data or "")  # RFC 8785: -0 is 0
    (stored,) = service.store.read_after(exercise_id, seq - 1)
    assert stored.body.inject.params == {"site_lat_deg": 0.0, "site_lon_deg": 0.0}  # type: ignore[union-attr]
    assert cli_verify(exercise_id, capsys)["problems"] == []
