"""The white cell's Monte Carlo preview over HTTP: distribution, authorization, no state change."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from tests.conftest import LiveExercise

pytestmark = [pytest.mark.integration]


def get(token: str, query: str) -> tuple[int, dict[str, object]]:
    response = Client().get(f"/api/preview?{query}", HTTP_AUTHORIZATION=f"Bearer {token}")
    return response.status_code, json.loads(response.content)


def test_white_cell_previews_an_inject_without_changing_anything(tutorial_exercise: LiveExercise) -> None:
    from wargame.server.runtime import get_service

    token = tutorial_exercise.tokens["white_cell"]
    before = get_service().state(tutorial_exercise.exercise_id).last_seq
    status, body = get(token, "inject=inj-003&samples=500")
    assert status == 200
    assert body["inject_id"] == "inj-003" and body["n_samples"] == 500
    again = get(token, "inject=inj-003&samples=500")[1]
    assert again == body, "a preview is deterministic for a given state"
    assert get_service().state(tutorial_exercise.exercise_id).last_seq == before


@pytest.mark.parametrize(
    ("seat", "query", "status"),
    [
        ("team:USA", "inject=inj-003", 403),
        ("facilitator", "inject=inj-003", 403),
        ("white_cell", "inject=nope", 404),
        ("white_cell", "inject=inj-003&samples=0", 400),
        ("white_cell", "inject=inj-003&samples=abc", 400),
    ],
)
def test_preview_refusals(tutorial_exercise: LiveExercise, seat: str, query: str, status: int) -> None:
    code, body = get(tutorial_exercise.tokens[seat], query)
    assert code == status and body["type"] == "error" and body["message"]
