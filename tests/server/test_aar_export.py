"""`wargame aar export` and GET /api/aar in every registered format, with progress on stderr."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import LiveExercise
from wargame.cli import main
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter

pytestmark = [pytest.mark.integration]


def _play_one_move(exercise_id: str) -> None:
    from wargame.server.runtime import get_service

    white = Seat(role=Role.WHITE_CELL)
    for i, command in enumerate(({"type": "start_exercise"}, {"type": "advance_move", "from_move": 1})):
        parsed = command_adapter.validate_python(command)
        result = get_service().handle(exercise_id, white, f"aar-{i}", parsed)
        assert result["status"] == "accepted", result


def test_the_command_exports_html_and_tells_progress_when_asked(
    live_exercise: LiveExercise, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _play_one_move("live1")
    out = tmp_path / "aar.html"
    assert main(["aar", "export", "live1", "--format", "html", "--progress", "--out", str(out)]) == 0
    page = out.read_text(encoding="utf-8")
    assert page.startswith("<!DOCTYPE html>") and "<svg" in page and page.rstrip().endswith("</html>")
    lines = capsys.readouterr().err.splitlines()
    assert lines[0].startswith("aar export: 1 events read (move 0) (")
    assert any("events read; building the sections" in line for line in lines)
    assert any(line.startswith("aar export: chart 1 of ") for line in lines)

    assert main(["aar", "export", "live1", "--format", "json", "--out", str(tmp_path / "aar.json")]) == 0
    assert capsys.readouterr().err == ""  # stderr is no terminal here: quiet without --progress
    report = json.loads((tmp_path / "aar.json").read_text(encoding="utf-8"))
    assert {"planned_vs_actual", "charts"} <= set(report)


def test_an_unknown_format_is_refused_by_name(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["aar", "export", "live1", "--format", "pdf"]) == 2
    assert "'pdf' is not one of 'json', 'md', 'html'" in capsys.readouterr().err


async def test_the_http_download_serves_html(live_exercise: LiveExercise) -> None:
    from django.test import AsyncClient

    token = live_exercise.tokens["facilitator"]
    response = await AsyncClient().get("/api/aar?format=html", headers={"Authorization": f"Bearer {token}"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/html; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="aar-live1.html"'
    assert response.content.decode().startswith("<!DOCTYPE html>")
