"""`wargame exercise list|start|advance|pause|resume` and seat/aar errors, on the real store."""

from __future__ import annotations

import json
import os
import threading
from typing import Any

import pytest

from tests.conftest import LiveExercise
from wargame.cli import main

pytestmark = [pytest.mark.integration]


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def listed(capsys: pytest.CaptureFixture[str]) -> dict[str, Any]:
    code, out, _ = run(capsys, "exercise", "list", "--json")
    assert code == 0
    rows: list[dict[str, Any]] = json.loads(out)
    assert all(set(r) == {"id", "scenario", "title", "phase", "move", "created", "last_seq"} for r in rows)
    return {r["id"]: r for r in rows}


def test_start_advance_pause_resume_as_the_white_cell(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    from wargame.server.runtime import get_service

    service = get_service()
    row = listed(capsys)["live1"]
    assert (row["phase"], row["move"], row["last_seq"]) == ("setup", 0, 1)

    code, out, err = run(capsys, "exercise", "start", "live1", "--json")
    assert code == 0 and err == ""
    state = service.state("live1")
    assert json.loads(out) == {
        "exercise_id": "live1",
        "phase": "running",
        "move": 1,
        "last_seq": state.last_seq,
    }
    white_cell = [e for e in service.store.read_after("live1", 1) if e.actor == "white_cell"]
    assert white_cell and white_cell[0].body.type == "move_closing"  # the real command path

    code, out, _ = run(capsys, "exercise", "advance", "live1")
    assert code == 0 and out.startswith("exercise live1: running, move 2 (seq ")
    row = listed(capsys)["live1"]
    assert (row["phase"], row["move"], row["last_seq"]) == ("running", 2, service.state("live1").last_seq)

    assert run(capsys, "exercise", "pause", "live1", "--reason", "lunch")[0] == 0
    assert listed(capsys)["live1"]["phase"] == service.state("live1").phase == "paused"
    code, out, err = run(capsys, "exercise", "pause", "live1")
    assert (
        code == 4
        and out == ""
        and err.startswith("error: pause_exercise refused: ")
        and err.endswith("(4)\n")
    )
    assert run(capsys, "exercise", "resume", "live1")[0] == 0
    assert service.state("live1").phase == "running"

    code, out, _ = run(capsys, "exercise", "advance", "live1", "--to-end", "--json")
    assert code == 0
    state = service.state("live1")
    assert json.loads(out.splitlines()[-1]) == {
        "exercise_id": "live1",
        "phase": "ended",
        "move": state.move,
        "last_seq": state.last_seq,
    }
    row = listed(capsys)["live1"]
    assert (row["phase"], row["move"]) == ("ended", state.move)
    code, _, err = run(capsys, "exercise", "advance", "live1")
    assert code == 4 and "advance_move refused" in err


def test_list_prints_a_table(live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "exercise", "list")
    header, first = out.splitlines()[:2]
    assert code == 0 and header.split() == ["id", "scenario", "phase", "move", "created", "(UTC)", "last_seq"]
    assert first.split()[:4] == ["live1", live_exercise_scenario(), "setup", "0"]


def live_exercise_scenario() -> str:
    from wargame.server.models import Exercise

    return str(Exercise.objects.get(id="live1").scenario_id)


def test_unknown_exercise_viewer_and_command_exit_3(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str]
) -> None:
    for argv in (
        ["exercise", "start", "nope"],
        ["exercise", "advance", "nope"],
        ["exercise", "verify", "nope"],
        ["aar", "export", "nope"],
        ["replay", "nope", "--viewer", "observer", "--at", "1"],
    ):
        code, out, err = run(capsys, *argv)
        assert (code, out, err) == (3, "", "error: no exercise 'nope' (3)\n"), argv
    code, out, err = run(capsys, "aar", "export", "live1", "--viewer", "bogus")
    assert (code, out) == (3, "") and err.startswith("error: no seat 'bogus' in this exercise")
    code, out, err = run(capsys, "aar", "export", "live1", "--viewer", "team:XXX")
    assert (code, out) == (3, "") and err.startswith("error: no seat 'team:XXX' in this exercise")
    code, out, err = run(capsys, "seat", "list", "nope", "--json")
    assert (code, out) == (3, "") and json.loads(err) == {
        "error": "no exercise 'nope'",
        "code": 3,
        "kind": "not_found",
    }
    code, _, err = run(capsys, "replay", "live1", "--viewer", "observer", "--at", "999")
    assert code == 4 and "is outside the log" in err


def test_create_tells_its_steps_on_stderr_and_prints_only_json_on_stdout(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str], tmp_path: Any
) -> None:
    code, out, err = run(capsys, "exercise", "create", "tutorial", "--progress", "--json")
    assert code == 0
    created = json.loads(out)
    assert len(created["seats"]) == 7 and created["exercise_id"] in listed(capsys)
    steps = [line.removeprefix("exercise create: ").rsplit(" (", 1)[0] for line in err.splitlines()]
    assert steps == [
        "opening the database",
        "loading the scenario",
        "loading the ruleset (0 background objects read)",
        "recording the exercise and issuing its seats",
        f"done: exercise {created['exercise_id']}",
    ]
    code, out, err = run(capsys, "exercise", "create", "tutorial", "--progress", "--quiet")
    assert code == 0 and err == "" and out.splitlines()[1].startswith("Exercise ")
    out_file = tmp_path / "aar.md"
    code, _, err = run(capsys, "aar", "export", "live1", "--progress", "--quiet", "--out", str(out_file))
    assert code == 0 and err == "" and "# After-action review: " in out_file.read_text(encoding="utf-8")


@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="workers need PostgreSQL"
)
def test_with_workers_the_command_is_a_job_and_the_cli_waits_for_it(
    live_exercise: LiveExercise, capsys: pytest.CaptureFixture[str], settings: Any
) -> None:
    from django.db import connections

    from wargame.server.jobs import work
    from wargame.server.models import Job
    from wargame.server.runtime import get_service

    settings.WARGAME = {**settings.WARGAME, "ADJUDICATION": "worker"}
    ran: list[int] = []

    def worker() -> None:
        try:
            ran.append(work("cli-test-worker", max_jobs=1, idle_s=0.05))
        finally:
            connections.close_all()

    thread = threading.Thread(target=worker)
    thread.start()
    try:
        code, out, err = run(capsys, "exercise", "start", "live1")
    finally:
        thread.join(30)
    assert (code, err, ran) == (0, "", [1])
    assert out.startswith("exercise live1: running, move 1")
    job = Job.objects.get(exercise_id="live1")
    assert (job.status, job.owner, job.key.startswith("white_cell/cli-")) == ("done", "cli-test-worker", True)
    assert get_service().state("live1").move == 1
