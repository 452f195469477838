"""Shared paths for the scenario/ruleset loading tests."""

from __future__ import annotations

from pathlib import Path

import pytest

import wargame

REPO = Path(wargame.__file__).resolve().parent.parent
BROKEN = Path(__file__).resolve().parent / "broken"


@pytest.fixture
def repo() -> Path:
    return REPO


@pytest.fixture
def broken() -> Path:
    return BROKEN
