"""Benchmark: an exercise bundle's export and import on global-sentinel after 2 moves, against the
plain `wargame exercise export-log` of the same exercise in the same run.

Run: .venv/bin/python benchmarks/bench_bundle.py [--db var/bench-bundle.sqlite3] [--moves 2] [--json]

Plays `global-sentinel` headless (the real core inline; each team releases its tracks, warnings
and assessments to every participant in move 1) into one SQLite file (kept and reused with
`--db`). Then, each in a fresh process that reports its wall time, CPU time and peak RSS (VmHWM):
`wargame exercise export-log` (JSONL), `export_bundle`, and `import_bundle` of that bundle into a
new, empty (migrated) SQLite database under the same id; the import's `verify_s` is the
`wargame exercise verify` after it, timed apart (peak MB covers both). `import-as` imports it
under another id, which seals the log again and rebuilds its snapshots (a fold of the whole log).
Prints seconds and MB of each, and the bundle's against the plain log export's.
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

from benchmarks.bench_aar import cpu_s, peak_rss_mb, setup_django

STEPS = ("export-log", "export", "import", "import-as")


def play(db: Path, moves: int) -> str:
    """The played exercise's id (kept beside the file, so `--db` reuses it)."""
    ids_file = db.with_suffix(".ids.json")
    if ids_file.exists():
        ids: dict[str, str] = json.loads(ids_file.read_text())
        if ids.get("moves") == str(moves):
            return ids["global-sentinel"]
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from wargame.ops.aar_play import Player, play_scale
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    set_service(service)
    large = create_exercise("global-sentinel").exercise_id
    started = time.perf_counter()
    play_scale(Player(service, large), moves, "all",
               lambda line: print(f"global-sentinel: {line} ({time.perf_counter() - started:.0f} s)",
                                  file=sys.stderr))
    ids_file.write_text(json.dumps({"global-sentinel": large, "moves": str(moves)}))
    return large


def probe(step: str, db: Path, exercise_id: str, path: Path) -> None:
    """One step in this fresh process; prints its seconds, CPU seconds and peak MB as JSON."""
    setup_django(db)
    if step.startswith("import"):  # the empty database's tables are made before the clock starts
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
    started, cpu_before = time.perf_counter(), cpu_s()
    if step == "export-log":
        from wargame.cli import main

        code = main(["exercise", "export-log", exercise_id, "--out", str(path)])
        extra: dict[str, Any] = {"code": code}
    elif step == "export":
        from wargame.server.bundles import export_bundle

        extra = {"code": 0, "events": export_bundle(exercise_id, path).events}
    else:
        from wargame.eventlog.verify import verify_log
        from wargame.server.bundles import import_bundle
        from wargame.server.store import DjangoEventStore

        as_id = "resealed" if step == "import-as" else None
        exercise_id = as_id or exercise_id
        events = import_bundle(path, as_id=as_id).events
        seconds, cpu = time.perf_counter() - started, cpu_s() - cpu_before
        verified = time.perf_counter()
        problems = verify_log(DjangoEventStore(), exercise_id).problems
        extra = {"code": 1 if problems else 0, "events": events, "problems": problems[:3],
                 "verify_s": round(time.perf_counter() - verified, 2)}
    if not step.startswith("import"):
        seconds, cpu = time.perf_counter() - started, cpu_s() - cpu_before
    print(json.dumps({**extra, "s": round(seconds, 2), "cpu_s": round(cpu, 2),
                      "peak_rss_mb": round(peak_rss_mb(), 1), "bytes": path.stat().st_size}))


def run_probe(step: str, db: Path, exercise_id: str, path: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--probe", step, "--db", str(db), "--exercise", exercise_id,
               "--out", str(path)]
    env = {**os.environ, "WARGAME_ADJUDICATION_PROCESSES": "0"}
    done = subprocess.run(command, check=False, capture_output=True, text=True, env=env)
    if done.returncode != 0:
        raise RuntimeError(f"{step} failed: {done.stderr[-2000:]}")
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"{step} failed: {result}")
    return result


def measure(db: Path, exercise_id: str, tmp: Path) -> dict[str, Any]:
    bundle = tmp / "bundle.zip"
    results = {
        "export-log": run_probe("export-log", db, exercise_id, tmp / "log.jsonl"),
        "export": run_probe("export", db, exercise_id, bundle),
        "import": run_probe("import", tmp / "imported.sqlite3", exercise_id, bundle),
        "import-as": run_probe("import-as", tmp / "resealed.sqlite3", exercise_id, bundle),
    }
    base = results["export-log"]
    for step in ("export", "import", "import-as"):
        row = results[step]
        row["time_ratio"] = round(row["s"] / base["s"], 2) if base["s"] else None
        row["memory_ratio"] = round(row["peak_rss_mb"] / base["peak_rss_mb"], 2)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="SQLite file to keep (and reuse) the played exercise in")
    parser.add_argument("--moves", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--probe", choices=STEPS, help=argparse.SUPPRESS)
    parser.add_argument("--exercise", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(args.probe, Path(args.db), args.exercise, Path(args.out))
        return
    with tempfile.TemporaryDirectory(prefix="bench-bundle-") as tmp:
        db = Path(args.db).resolve() if args.db else Path(tmp) / "bench.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        os.environ["WARGAME_ADJUDICATION_PROCESSES"] = "0"
        setup_django(db)
        exercise_id = play(db, args.moves)
        results = measure(db, exercise_id, Path(tmp))
    report = {"moves": args.moves, "exercise": exercise_id, "steps": results}
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"exercise bundle: global-sentinel after {args.moves} moves (wall s, CPU s, peak MB, file MB)")
    for step, row in results.items():
        ratio = "" if step == "export-log" else (
            f" | against export-log: time x{row['time_ratio']}, memory x{row['memory_ratio']}")
        print(f"  {step:10} {row['s']:7.2f} s {row['cpu_s']:7.2f} s {row['peak_rss_mb']:7.1f} MB"
              f" {row['bytes'] / 1e6:7.1f} MB{ratio}")


if __name__ == "__main__":
    main()
