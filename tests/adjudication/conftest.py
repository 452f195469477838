"""Fixtures for the adjudication tests (builders live in adj_builders.py)."""

from __future__ import annotations

from collections.abc import Callable

import pytest
from adj_builders import make_state

from wargame.domain.state import ExerciseState


@pytest.fixture
def state() -> ExerciseState:
    return make_state()


@pytest.fixture
def state_factory() -> Callable[..., ExerciseState]:
    return make_state
