"""Fixtures for AAR tests: the logs of a scripted two-move exercise and of the tutorial played out."""

from __future__ import annotations

import pytest

from tests.aar.game import play
from wargame.domain.events import EventEnvelope


@pytest.fixture(scope="module")
def events() -> list[EventEnvelope]:
    return play()


@pytest.fixture(scope="session")
def tutorial_events() -> list[EventEnvelope]:
    """The tutorial played to its end with the real core and the teams' scripted responses
    (wargame/ops/aar_play.py)."""
    from wargame.eventlog.store import MemoryEventStore
    from wargame.ops.aar_play import Player, created_event, play_tutorial
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    created, background = created_event("tutorial")
    service.create("tutorial-aar", created, background)
    play_tutorial(Player(service, "tutorial-aar"))
    return service.store.read_after("tutorial-aar", 0)
