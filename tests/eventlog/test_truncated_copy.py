"""A SQLite file copied without its WAL is a consistent, shorter log: it verifies clean on its own,
and fails against the head anchored before the copy."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PLAY = """
import json, os, shutil, sys
os.environ["DATABASE_URL"] = "sqlite:///" + sys.argv[1]
os.environ["DJANGO_SETTINGS_MODULE"] = "wargame.server.settings"
import django
django.setup()
from django.core.management import call_command
from django.db import connection
call_command("migrate", interactive=False, verbosity=0)
from tests.factories import FakeAdjudicator, make_created, run_command
from wargame.eventlog.verify import verify_log
from wargame.server.models import Exercise
from wargame.server.store import DjangoEventStore
from wargame.services.commands import ExerciseService

store = DjangoEventStore()
service = ExerciseService(store, FakeAdjudicator())
created = make_created()
Exercise.objects.create(id="wal", title=created.title, scenario_id=created.scenario.id)
service.create("wal", created)
assert run_command(service, "wal", "white_cell", {"type": "start_exercise"})["status"] == "accepted"
with connection.cursor() as cursor:  # all so far into the main file; what follows stays in the WAL
    cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    cursor.execute("PRAGMA wal_autocheckpoint=0")
checkpointed = verify_log(store, "wal").head
for text in ("one", "two", "three"):
    chat = {"type": "post_chat", "channel": "coalition", "text": text}
    assert run_command(service, "wal", "team:USA", chat)["status"] == "accepted"
advance = {"type": "advance_move", "from_move": 1}
assert run_command(service, "wal", "white_cell", advance)["status"] == "accepted"
anchored = verify_log(store, "wal").head
shutil.copyfile(sys.argv[1], sys.argv[2])  # the file alone, as a careless backup takes it
print(json.dumps({"checkpointed": checkpointed, "anchored": anchored}))
"""


def wargame(db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "DATABASE_URL": f"sqlite:///{db}", "PYTHONPATH": str(REPO)}
    command = [sys.executable, "-m", "wargame.cli", *args]
    return subprocess.run(command, capture_output=True, text=True, timeout=300, env=env, cwd=REPO)


def test_a_sqlite_copy_without_its_wal_is_caught_only_against_the_anchored_head(tmp_path: Path) -> None:
    live, copy = tmp_path / "live.sqlite3", tmp_path / "copy.sqlite3"
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    played = subprocess.run(
        [sys.executable, "-c", PLAY, str(live), str(copy)],
        capture_output=True, text=True, timeout=300, env=env, cwd=REPO, check=True,
    )
    heads = json.loads(played.stdout.strip().splitlines()[-1])
    assert heads["checkpointed"] != heads["anchored"]

    alone = wargame(copy, "exercise", "verify", "wal")
    report = json.loads(alone.stdout)
    assert (alone.returncode, report["problems"], report["head"]) == (0, [], heads["checkpointed"])

    against = wargame(copy, "exercise", "verify", "wal", "--expect-head", heads["anchored"])
    seq = int(heads["anchored"].split(":")[0])
    last = int(heads["checkpointed"].split(":")[0])
    assert against.returncode == 1
    assert json.loads(against.stdout)["problems"] == [
        f"the log ends at seq {last}, before the anchored head {seq}: events were cut from its end"
    ]
    whole = wargame(live, "exercise", "verify", "wal", "--expect-head", heads["anchored"])
    assert whole.returncode == 0, whole.stdout  # the live file, with its WAL, holds the head
