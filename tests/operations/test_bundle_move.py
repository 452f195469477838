"""An exercise played on SQLite, exported as a bundle and imported into PostgreSQL (each side in a
process of its own, as on two servers): it verifies with the same head, loads the same state, and
plays on."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path

import pytest

from tests.operations.test_backup import START, of_file, run, verify, wargame_env
from wargame.ops.topology import create_database, drop_database

TOOL = """
import django, hashlib, json, os, sys
django.setup()
from wargame.server.bundles import export_bundle, import_bundle
from wargame.server.runtime import get_service
from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
mode, exercise, path = sys.argv[1:4]
if mode == "export":
    print(json.dumps(export_bundle(exercise, path).as_json()))
elif mode == "import":
    print(json.dumps(import_bundle(path).as_json()))
elif mode == "state":
    state = get_service().state(exercise)
    digest = hashlib.sha256(state.model_dump_json().encode()).hexdigest()
    print(json.dumps({"seq": state.last_seq, "sha256": digest}))
elif mode == "chat":
    chat = command_adapter.validate_python({"type": "post_chat", "channel": "coalition", "text": "moved"})
    usa = Seat(role=Role.PLAYER, nation="USA", label="USA team")
    print(json.dumps(get_service().handle(exercise, usa, "after-move-1", chat)))
"""


def tool(mode: str, exercise: str, path: Path, env: dict[str, str]) -> dict[str, object]:
    done = run([sys.executable, "-c", TOOL, mode, exercise, str(path)], env)
    assert done.returncode == 0, done.stderr
    result: dict[str, object] = json.loads(done.stdout.strip().splitlines()[-1])
    return result


@pytest.mark.integration
@pytest.mark.skipif(
    not os.environ.get("DATABASE_URL", "").startswith("postgres"), reason="needs PostgreSQL (DATABASE_URL)"
)
def test_a_bundle_from_sqlite_imports_into_postgresql_verified_equal_and_playable(tmp_path: Path) -> None:
    live = tmp_path / "live.sqlite3"
    sqlite = {**of_file(live), "WARGAME_ADJUDICATION_PROCESSES": "0"}
    made = run([sys.executable, "-m", "wargame.cli", "exercise", "create", "tutorial", "--json"], sqlite)
    assert made.returncode == 0, made.stderr
    exercise = json.loads(made.stdout)["exercise_id"]
    started = run([sys.executable, "-c", START], {**sqlite, "EXERCISE": exercise})
    assert started.returncode == 0, started.stderr
    code, head = verify(exercise, sqlite)
    assert code == 0 and head["problems"] == [] and head["blobs"] > 1 and head["snapshots"] >= 1
    bundle = tmp_path / "tutorial.zip"
    exported = tool("export", exercise, bundle, sqlite)
    assert (exported["head"], exported["blobs"]) == (head["head"], head["blobs"])
    state = tool("state", exercise, bundle, sqlite)

    database = create_database(os.environ["DATABASE_URL"])
    try:
        postgres = {**wargame_env(DATABASE_URL=database), "WARGAME_ADJUDICATION_PROCESSES": "0"}
        assert run([sys.executable, "-m", "wargame.cli", "migrate"], postgres).returncode == 0
        imported = tool("import", exercise, bundle, postgres)
        assert (imported["exercise_id"], imported["head"], imported["seats"]) == (exercise, head["head"], 7)
        assert verify(exercise, postgres) == (0, head)
        assert tool("state", exercise, bundle, postgres) == state
        chat = tool("chat", exercise, bundle, postgres)
        assert chat["status"] == "accepted" and chat["seq"] == head["last_seq"] + 1
        code, after = verify(exercise, postgres)
        assert code == 0 and after["problems"] == [] and after["last_seq"] == head["last_seq"] + 1
        again = run([sys.executable, "-c", TOOL, "import", exercise, str(bundle)], postgres)
        assert again.returncode != 0 and "already exists" in again.stderr
    finally:
        drop_database(database)
