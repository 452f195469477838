"""Shared fixtures: a live exercise on the configured database and channel layer."""

from __future__ import annotations

import asyncio
import os
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass

import pytest

from tests.factories import FakeAdjudicator, make_created


def backend_label() -> str:
    db = os.environ.get("DATABASE_URL", "sqlite").split(":")[0]
    layer = "redis" if os.environ.get("REDIS_URL") else "memory"
    return f"{db}+{layer}"


def pytest_report_header(config: pytest.Config) -> str:
    database, layer = backend_label().split("+")
    return f"wargame backends: database={database} channel layer={layer}"


def close_consumer_connections() -> None:
    """Close the database connection that consumers' database_sync_to_async calls opened in
    asgiref's single thread-sensitive executor (persistent on PostgreSQL, CONN_MAX_AGE 60), and
    those of the delivery read threads, so the test database can be dropped at the end of the
    session."""
    from asgiref.sync import sync_to_async
    from django.db import connections

    from wargame.server.reads import close_read_connections

    asyncio.run(sync_to_async(connections.close_all, thread_sensitive=True)())
    close_read_connections()


@dataclass
class LiveExercise:
    exercise_id: str
    tokens: dict[str, str]
    """Seat viewer (team:USA, white_cell, facilitator, observer) -> join token."""


@pytest.fixture
async def hubs_stopped() -> AsyncIterator[None]:
    """After the test, stop the hubs its unclosed sockets left running in the test's event loop,
    so that no layer read is still pending when the loop closes (see `cancel_until_done`)."""
    yield
    from wargame.server.bus import hubs

    running = hubs()
    for hub in list(running.values()):
        await hub.stop()
    running.clear()


@pytest.fixture
def live_exercise(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """An exercise of the unit scenario with the fake adjudicator, on the real store."""
    from wargame.server.models import Exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.seats import issue_default_seats
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), FakeAdjudicator(), notify_news)
    set_service(service)
    created = make_created()
    exercise = Exercise.objects.create(
        id="live1", title=created.title, scenario_id=created.scenario.id
    )
    service.create("live1", created)
    seats = issue_default_seats(exercise, created.scenario)
    tokens = {}
    for issued in seats:
        viewer = f"team:{issued.nation}" if issued.nation else issued.role.value
        tokens[viewer] = issued.token
    yield LiveExercise("live1", tokens)
    set_service(None)
    close_consumer_connections()


def _shipped_exercise(scenario: str, ruleset: str | None = None) -> Iterator[LiveExercise]:
    """A shipped scenario with the real adjudication core, on the real store."""
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    set_service(ExerciseService(DjangoEventStore(), InlineAdjudicator(), notify_news))
    created = create_exercise(scenario, ruleset=ruleset)
    tokens = {}
    for issued in created.seats:
        tokens[f"team:{issued.nation}" if issued.nation else issued.role.value] = issued.token
    yield LiveExercise(created.exercise_id, tokens)
    set_service(None)
    close_consumer_connections()


@pytest.fixture
def tutorial_exercise(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The shipped tutorial scenario with the real adjudication core, on the real store."""
    yield from _shipped_exercise("tutorial")


@pytest.fixture
def schriever_exercise(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The shipped schriever-escalation scenario (a played red cell) with the real core."""
    yield from _shipped_exercise("schriever-escalation")


@pytest.fixture
def classroom_tutorial(transactional_db: None, hubs_stopped: None) -> Iterator[LiveExercise]:
    """The tutorial with the classroom ruleset (releases arrive at once, no review)."""
    yield from _shipped_exercise("tutorial", "classroom")


def _register_hypothesis_profiles() -> None:
    """`--hypothesis-profile=deep`: many more examples for the long property tests (leaks)."""
    from hypothesis import settings

    settings.register_profile("deep", max_examples=400, deadline=None, derandomize=False)


_register_hypothesis_profiles()
