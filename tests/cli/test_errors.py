"""The exit-code scheme: one stderr line `error: <what> (<code>)`, JSON errors, progress on stderr."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from wargame.cli import cli, main

REPO = Path(__file__).resolve().parents[2]


def run(*argv: str, env: dict[str, str] | None = None) -> tuple[int, str, str]:
    result = CliRunner().invoke(cli, list(argv), env=env, prog_name="wargame")
    return result.exit_code, result.stdout, result.stderr


def broken_scenario(tmp_path: Path) -> Path:
    text = (REPO / "scenarios" / "tutorial.yaml").read_text(encoding="utf-8")
    path = tmp_path / "broken.yaml"
    path.write_text(text.replace("moves: 4", "moves: -4", 1), encoding="utf-8")
    return path


def test_a_bad_scenario_file_exits_4_with_its_problems(tmp_path: Path) -> None:
    code, out, err = run("validate", str(broken_scenario(tmp_path)))
    assert code == 4
    assert f"{tmp_path / 'broken.yaml'}:" in out  # file:line:col: message
    assert err == "error: invalid scenario or ruleset files (4)\n"


def test_validate_json_holds_the_lines_on_stdout_and_the_error_on_stderr(tmp_path: Path) -> None:
    code, out, err = run("validate", str(broken_scenario(tmp_path)), "--json")
    assert code == 4
    document = json.loads(out)
    assert document["valid"] is False and any("broken.yaml:" in line for line in document["lines"])
    assert json.loads(err) == {"error": "invalid scenario or ruleset files", "code": 4, "kind": "invalid"}
    code, out, _ = run("validate", str(REPO / "scenarios" / "tutorial.yaml"), "--json")
    assert code == 0 and json.loads(out)["valid"] is True


def test_a_missing_path_is_not_found_and_a_bad_option_is_a_usage_error(tmp_path: Path) -> None:
    code, out, err = run("validate", str(tmp_path / "nothing"))
    assert (code, out, err) == (3, "", f"error: no such file or folder: {tmp_path / 'nothing'} (3)\n")
    code, out, err = run("validate", str(tmp_path))
    assert (code, out) == (3, "") and err.endswith("no YAML files found (3)\n")
    code, _, err = run(
        "catalog", "generate", "--count", "3", "--epoch", "2027-03-01T00:00:00", "--out", "x.tle"
    )
    assert code == 2 and "needs a timezone" in err
    assert main(["exercise", "frobnicate"]) == 2


def test_progress_is_told_on_stderr_when_asked_and_never_when_quiet() -> None:
    code, out, err = run("warmup", "--progress")
    assert code == 0 and out.startswith("kernels ready: ")
    steps = [line.split(": ", 1)[1].split(" (")[0] for line in err.splitlines()]
    assert steps == ["ephemeris", "access", "screening"]
    assert all(line.startswith("warmup: ") and line.endswith(" s)") for line in err.splitlines())
    code, out, err = run("warmup", "--progress", "--quiet", "--json")
    assert code == 0 and err == ""
    assert set(json.loads(out)) == {"ephemeris", "access", "screening"}
    assert run("warmup", env={"WARGAME_PROGRESS": "1"})[2].count("warmup: ") == 3
    assert run("warmup")[2] == ""  # stderr is no terminal here


def wargame(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "wargame", *args],
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        cwd=REPO,
    )


def test_real_processes_exit_by_the_scheme(tmp_path: Path) -> None:
    env = {**os.environ, "WARGAME_STATE_DIR": str(tmp_path), "WARGAME_LOG_LEVEL": "WARNING"}
    env.pop("DATABASE_URL", None)
    env.pop("REDIS_URL", None)
    assert wargame(["migrate"], env).returncode == 0
    done = wargame(["exercise", "verify", "nope"], env)
    assert (done.returncode, done.stdout, done.stderr) == (3, "", "error: no exercise 'nope' (3)\n")
    done = wargame(["exercise", "verify", "nope", "--json"], env)
    assert done.returncode == 3 and done.stdout == ""
    assert json.loads(done.stderr) == {"error": "no exercise 'nope'", "code": 3, "kind": "not_found"}
    done = wargame(["exercise", "create", "no-such-scenario"], env)
    assert done.returncode == 3 and done.stderr.startswith("error: ") and "no-such-scenario" in done.stderr
    done = wargame(["exercise", "create", str(broken_scenario(tmp_path))], env)
    assert done.returncode == 4 and done.stderr.splitlines()[-1].startswith("error: invalid file: ")
    assert "broken.yaml:" in done.stderr
    made = wargame(["exercise", "create", "tutorial", "--json"], env)
    exercise = json.loads(made.stdout)["exercise_id"]
    done = wargame(["exercise", "start", exercise], env)  # adjudicated in a process of its own
    assert (done.returncode, done.stderr) == (0, "") and done.stdout.startswith(
        f"exercise {exercise}: running, move 1"
    )
    done = wargame(["exercise", "pause", exercise, "--json"], env)
    assert done.returncode == 0 and json.loads(done.stdout)["phase"] == "paused"
    down = {**env, "DATABASE_URL": "postgres://postgres@127.0.0.1:9/nothing"}
    done = wargame(["exercise", "list"], down)
    assert done.returncode == 5 and done.stdout == ""
    assert done.stderr.startswith("error: service unavailable: ") and done.stderr.endswith(" (5)\n")
    assert len(done.stderr.splitlines()) == 1


@pytest.mark.parametrize("module", ["wargame", "wargame.cli"])
def test_both_module_entry_points_run(module: str) -> None:
    done = subprocess.run(
        [sys.executable, "-m", module, "--version"], capture_output=True, text=True, timeout=60
    )
    assert done.returncode == 0 and done.stdout.startswith("wargame ")
