"""A database of the previous release (0003) migrates to 0004 with nothing lost, and plays on."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import AdvanceMove
from wargame.domain.events import EventEnvelope
from wargame.eventlog.replay import fold
from wargame.eventlog.verify import verify_log

pytestmark = [pytest.mark.integration, pytest.mark.django_db(transaction=True)]

RECORDED = Path(__file__).parents[1] / "domain" / "data" / "tutorial-log-2369566.jsonl"


@pytest.fixture
def at_0003() -> Iterator[object]:
    """The schema as the previous release left it (its models), migrated to the newest after."""
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    target = [("wargame", "0003_blobs")]
    executor.migrate(target)
    try:
        yield executor.loader.project_state(target).apps
    finally:
        executor = MigrationExecutor(connection)
        executor.migrate(executor.loader.graph.leaf_nodes())


def test_old_rows_keep_their_body_verify_load_and_play_on(at_0003: object) -> None:
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    from wargame.server.models import EventRecord, SnapshotRecord
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    old = at_0003.get_model  # type: ignore[attr-defined]
    events = [EventEnvelope.model_validate_json(line) for line in RECORDED.read_text().splitlines()]
    exercise_id = events[0].exercise_id
    state = fold(events)
    assert state is not None and state.move == 3
    old("wargame", "Exercise").objects.create(id=exercise_id, last_seq=state.last_seq)
    old("wargame", "EventRecord").objects.bulk_create(
        old("wargame", "EventRecord")(
            exercise_id=e.exercise_id, seq=e.seq, type=e.body.type, at=e.at,
            scenario_time=e.scenario_time, move=e.move, actor=e.actor, audience=list(e.audience),
            prev_hash=e.prev_hash, hash=e.hash, body=e.body.model_dump(mode="json"),
        )
        for e in events
    )
    old("wargame", "SnapshotRecord").objects.create(
        exercise_id=exercise_id, seq=state.last_seq, state=state.model_dump(mode="json")
    )

    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())

    rows = list(EventRecord.objects.filter(exercise_id=exercise_id).order_by("seq"))
    assert [r.body for r in rows] == [e.body.model_dump(mode="json") for e in events]
    assert {r.data for r in rows} == {None}
    snapshot = SnapshotRecord.objects.get(exercise_id=exercise_id)
    assert snapshot.state == state.model_dump(mode="json") and snapshot.data is None
    store = DjangoEventStore()
    assert store.read_after(exercise_id, 0) == events
    assert verify_log(store, exercise_id).problems == []

    service = ExerciseService(store, InlineAdjudicator())
    assert service.state(exercise_id) == state  # from the log: the log does not record the old snapshot
    result = service.handle(
        exercise_id, Seat(role=Role.WHITE_CELL), "after-migration",
        AdvanceMove(type="advance_move", from_move=3),
    )
    assert result["status"] == "accepted", result
    report = verify_log(store, exercise_id)
    assert report.problems == [] and report.last_seq == result["seq"] > state.last_seq
    new_rows = EventRecord.objects.filter(exercise_id=exercise_id, seq__gt=state.last_seq)
    assert new_rows.exists() and not new_rows.filter(data__isnull=True).exists()
    assert not new_rows.filter(body__isnull=False).exists()
    assert EventRecord.objects.filter(exercise_id=exercise_id, data__isnull=True).count() == len(events)
    fresh = ExerciseService(store, InlineAdjudicator()).state(exercise_id)
    assert fresh.model_dump_json() == service.state(exercise_id).model_dump_json()
