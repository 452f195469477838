"""Fixtures for AAR tests: the event log of a scripted two-move exercise."""

from __future__ import annotations

import pytest

from tests.aar.game import play
from wargame.domain.events import EventEnvelope


@pytest.fixture(scope="module")
def events() -> list[EventEnvelope]:
    return play()
