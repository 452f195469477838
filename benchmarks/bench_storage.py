"""Benchmark: what the log and its snapshots cost on SQLite, against the previous release's encoding.

Run: .venv/bin/python benchmarks/bench_storage.py [--scenario global-sentinel] [--moves 2] [--json]

Plays a scenario headless (the real core, inline) on a fresh SQLite file and reports, each
against a baseline measured in the same run on the same events and states:
- event rows: bytes of the stored canonical text (`EventRecord.data`) against the JSON body
  the previous release stored (Django's JSONField: `json.dumps(body)`);
- snapshots: bytes and encoding time of each saved snapshot (compressed, without scenario and
  ruleset) against the previous release's (the whole state as JSON);
- `wargame exercise verify`: wall time and peak RSS of a fresh process verifying the log in
  pages (`verify_log`) against one reading the whole log first (`read_after` + `verify_chain`),
  and against a process that only starts Django;
- the SQLite file's growth per step, and a cold load (newest snapshot + tail).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

PROBES = ("django", "verify-paged", "verify-whole")


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wargame.server.settings"
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM; ru_maxrss would include the parent's, which
    Linux keeps across exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def probe(name: str, db: Path, exercise_id: str) -> None:
    """One measured step in a fresh process: prints its wall time and peak RSS."""
    setup_django(db)
    from wargame.eventlog.chain import verify_chain
    from wargame.eventlog.verify import verify_log
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    t0 = time.perf_counter()
    problems: list[str] = []
    if name == "verify-paged":
        problems = verify_log(store, exercise_id).problems
    elif name == "verify-whole":
        problems = verify_chain(store.read_after(exercise_id, 0))
    seconds = time.perf_counter() - t0
    peak_mb = peak_rss_mb()
    print(json.dumps({"s": round(seconds, 2), "peak_rss_mb": round(peak_mb, 1), "problems": len(problems)}))


def run_probe(name: str, db: Path, exercise_id: str) -> dict[str, Any]:
    command = [sys.executable, __file__, "--probe", name, "--db", str(db), "--exercise", exercise_id]
    out = subprocess.run(command, check=True, capture_output=True, text=True).stdout
    result: dict[str, Any] = json.loads(out.strip().splitlines()[-1])
    return result


def file_bytes(db: Path) -> int:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    return sum(p.stat().st_size for p in (db, Path(f"{db}-wal")) if p.exists())


def step(name: str, started: float, growth: int) -> dict[str, Any]:
    return {"step": name, "s": round(time.perf_counter() - started, 2), "db_growth_bytes": growth}


def play(scenario: str, moves: int, db: Path) -> dict[str, Any]:
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from wargame.domain.audience import Role, Seat
    from wargame.domain.commands import AdvanceMove, Command, StartExercise
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    set_service(service)
    white = Seat(role=Role.WHITE_CELL, label="White Cell")
    before = file_bytes(db)
    t0 = time.perf_counter()
    exercise_id = create_exercise(scenario).exercise_id
    steps = [step("create", t0, file_bytes(db) - before)]
    commands: list[Command] = [StartExercise(type="start_exercise")]
    commands += [AdvanceMove(type="advance_move", from_move=m) for m in range(1, moves + 1)]
    for i, command in enumerate(commands):
        before = file_bytes(db)
        t0 = time.perf_counter()
        result = service.handle(exercise_id, white, f"bench-{i}", command)
        assert result["status"] == "accepted", result
        name = command.type if i == 0 else f"advance_move {i}"
        steps.append(step(name, t0, file_bytes(db) - before))
    return {"exercise_id": exercise_id, "steps": steps}


def event_rows(exercise_id: str) -> dict[str, Any]:
    from wargame.server.models import EventRecord
    from wargame.server.store import to_envelope

    stored = legacy = count = 0
    for row in EventRecord.objects.filter(exercise_id=exercise_id).order_by("seq").iterator(chunk_size=100):
        stored += len((row.data or "").encode("utf-8"))
        legacy += len(json.dumps(to_envelope(row).body.model_dump(mode="json")))
        count += 1
    return {
        "events": count,
        "stored_bytes_per_row": round(stored / count),
        "previous_bytes_per_row": round(legacy / count),
        "stored_vs_previous": round(stored / legacy, 3),
    }


def snapshots(exercise_id: str) -> list[dict[str, Any]]:
    from wargame.eventlog.replay import setup_of, state_from_snapshot, state_to_snapshot
    from wargame.eventlog.snapshots import Snapshot
    from wargame.server.models import SnapshotRecord
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    scenario, ruleset = setup_of(store.read_after(exercise_id, 0, 1)[0])
    rows = []
    for row in SnapshotRecord.objects.filter(exercise_id=exercise_id).order_by("seq"):
        saved = Snapshot(seq=row.seq, head_hash=row.head_hash, digest=row.digest, data=bytes(row.data))
        state = state_from_snapshot(saved, scenario, ruleset)
        t0 = time.perf_counter()
        size = state_to_snapshot(state).size
        encode_s = time.perf_counter() - t0
        t0 = time.perf_counter()
        previous = len(json.dumps(state.model_dump(mode="json")))
        previous_s = time.perf_counter() - t0
        rows.append({
            "seq": row.seq, "bytes": size, "previous_bytes": previous,
            "bytes_vs_previous": round(size / previous, 3),
            "encode_s": round(encode_s, 3), "previous_encode_s": round(previous_s, 3),
        })
    return rows


def extra_ratio(paged: dict[str, Any], whole: dict[str, Any], bare: dict[str, Any]) -> float | None:
    """Peak RSS above a bare Django process, paged over whole (None when both are at the floor)."""
    extra_whole = whole["peak_rss_mb"] - bare["peak_rss_mb"]
    if extra_whole <= 0:
        return None
    return round(max(0.0, paged["peak_rss_mb"] - bare["peak_rss_mb"]) / extra_whole, 2)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scenario", default="global-sentinel")
    parser.add_argument("--moves", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--probe", choices=PROBES, help=argparse.SUPPRESS)
    parser.add_argument("--db", help=argparse.SUPPRESS)
    parser.add_argument("--exercise", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, Path(args.db), args.exercise)
        return
    with tempfile.TemporaryDirectory(prefix="bench-storage-") as tmp:
        db = Path(tmp) / "bench.sqlite3"
        setup_django(db)
        played = play(args.scenario, args.moves, db)
        exercise_id = played["exercise_id"]
        from wargame.server.store import DjangoEventStore
        from wargame.services.adjudicators import InlineAdjudicator
        from wargame.services.commands import ExerciseService

        t0 = time.perf_counter()
        ExerciseService(DjangoEventStore(), InlineAdjudicator()).state(exercise_id)
        cold_load_s = time.perf_counter() - t0
        verify = {name: run_probe(name, db, exercise_id) for name in PROBES}
        paged, whole = verify["verify-paged"], verify["verify-whole"]
        report = {
            "scenario": args.scenario,
            "steps": played["steps"],
            "db_bytes": file_bytes(db),
            "rows": event_rows(exercise_id),
            "snapshots": snapshots(exercise_id),
            "cold_load_s": round(cold_load_s, 2),
            "verify": verify,
            "verify_paged_vs_whole_s": round(paged["s"] / whole["s"], 2),
            "verify_paged_vs_whole_extra_rss": extra_ratio(paged, whole, verify["django"]),
        }
    if args.json:
        print(json.dumps(report))
    else:
        print(json.dumps(report, indent=2))


if __name__ == "__main__":
    main()
