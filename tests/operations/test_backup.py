"""Online backups as docs/operations.md gives them: SQLite's VACUUM INTO (and the sqlite3 shell's
.backup) while a server holds the database open, PostgreSQL's pg_dump; each restored copy
verifies with the live log's head. A plain file copy of a live WAL database loses what is still
in the WAL, and `wargame exercise verify` cannot tell: the copy is an earlier, intact chain."""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from wargame.ops.topology import create_database, drop_database

REPO = Path(__file__).resolve().parents[2]
VACUUM_INTO = "import sqlite3, sys; sqlite3.connect(sys.argv[1]).execute('VACUUM INTO ?', (sys.argv[2],))"
"""docs/operations.md's one-line online backup of an SQLite database (Python's own sqlite3)."""

START = """
import django, os
django.setup()
from django.db import connection
from wargame.domain.commands import StartExercise
from wargame.server.runtime import get_service
from wargame.services.commands import white_cell
connection.cursor().execute("PRAGMA wal_autocheckpoint=0")  # the events stay in the WAL
start = StartExercise(type="start_exercise")
result = get_service().handle(os.environ["EXERCISE"], white_cell(), "start-1", start)
assert result["status"] == "accepted", result
"""


def wargame_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "REDIS_URL")}
    env.update(PYTHONPATH=str(REPO), DJANGO_SETTINGS_MODULE="wargame.server.settings", **extra)
    return env


def run(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, env=env, capture_output=True, text=True, timeout=300, check=False)


def verify(exercise: str, env: dict[str, str]) -> tuple[int, dict[str, Any]]:
    done = run([sys.executable, "-m", "wargame.cli", "exercise", "verify", exercise], env)
    return done.returncode, json.loads(done.stdout)


def of_file(path: Path) -> dict[str, str]:
    return wargame_env(DATABASE_URL=f"sqlite:///{path}")


def test_online_sqlite_backups_hold_every_event_a_plain_copy_does_not(tmp_path: Path) -> None:
    live = tmp_path / "live" / "wargame.sqlite3"
    live.parent.mkdir()
    create = [sys.executable, "-m", "wargame.cli", "exercise", "create", "tutorial", "--json"]
    made = run(create, of_file(live))
    assert made.returncode == 0, made.stderr
    exercise = json.loads(made.stdout)["exercise_id"]
    server = sqlite3.connect(live)  # a running server's connection: the WAL is not folded back
    server.execute("SELECT count(*) FROM sqlite_master").fetchall()
    try:
        inline = {"EXERCISE": exercise, "WARGAME_ADJUDICATION_PROCESSES": "0"}
        started = run([sys.executable, "-c", START], {**of_file(live), **inline})
        assert started.returncode == 0, started.stderr
        assert Path(f"{live}-wal").stat().st_size > 0
        code, head = verify(exercise, of_file(live))
        assert code == 0 and head["problems"] == [] and head["last_seq"] > 2

        copied = tmp_path / "copied.sqlite3"
        shutil.copyfile(live, copied)  # what never to do: the WAL stays behind
        code, copy = verify(exercise, of_file(copied))
        assert copy["last_seq"] < head["last_seq"]  # the start and its pictures are gone...
        assert code == 0 and copy["problems"] == []  # ...and the shorter chain still verifies

        backups = [tmp_path / "vacuumed.sqlite3"]
        vacuumed = run([sys.executable, "-c", VACUUM_INTO, str(live), str(backups[0])], os.environ)
        assert vacuumed.returncode == 0, vacuumed.stderr
        if shutil.which("sqlite3"):
            backups.append(tmp_path / "dot-backup.sqlite3")
            shell = run(["sqlite3", str(live), f".backup '{backups[1]}'"], os.environ)
            assert shell.returncode == 0, shell.stderr
        for backup in backups:
            code, restored = verify(exercise, of_file(backup))
            assert code == 0 and restored == head, backup.name
    finally:
        server.close()


@pytest.mark.integration
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres") or shutil.which("pg_dump") is None,
    reason="needs PostgreSQL (DATABASE_URL) and pg_dump",
)
def test_a_postgresql_dump_restores_and_verifies_with_the_live_head(tmp_path: Path) -> None:
    live = create_database(os.environ["DATABASE_URL"])
    restored = create_database(os.environ["DATABASE_URL"])
    try:
        env = wargame_env(DATABASE_URL=live)
        assert run([sys.executable, "-m", "wargame.cli", "migrate"], env).returncode == 0
        made = run([sys.executable, "-m", "wargame.cli", "exercise", "create", "tutorial", "--json"], env)
        exercise = json.loads(made.stdout)["exercise_id"]
        code, head = verify(exercise, env)
        assert code == 0 and head["last_seq"] >= 1
        dump = tmp_path / "wargame.dump"
        dumped = run(["pg_dump", "--format=custom", f"--file={dump}", live], os.environ)
        assert dumped.returncode == 0, dumped.stderr
        loaded = run(["pg_restore", "--no-owner", f"--dbname={restored}", str(dump)], os.environ)
        assert loaded.returncode == 0, loaded.stderr
        assert verify(exercise, wargame_env(DATABASE_URL=restored)) == (0, head)
    finally:
        drop_database(live)
        drop_database(restored)
