"""Benchmark: `wargame aar export` on global-sentinel after 8 moves, against the tutorial's export.

Run: .venv/bin/python benchmarks/bench_aar.py [--db var/bench-aar.sqlite3] [--runs 3] [--json]

Plays the tutorial to its end (with the teams' responses of wargame/ops/aar_play.py) and
`global-sentinel` for `--moves` moves (each team releases its tracks, warnings and assessments
to every participant in move 1) headless, the real core inline, into one SQLite file. With
`--db` the file is kept, and a later run reuses the exercises it holds. Then each export format
runs `--runs` times as `wargame aar export` in a fresh process, which reports its wall time, its
CPU time (user + system: on a shared machine, closer to what the export costs than its wall
time) and its peak RSS (VmHWM). The tutorial's export in the same run is the baseline.
Prints the medians and the ratios. Targets (issue 11): under 10 s and 500 MB.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

FORMATS = ("json", "md", "html", "docx", "xlsx")
TARGET_S, TARGET_MB = 10.0, 500.0


def setup_django(db: Path) -> None:
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    os.environ["DJANGO_SETTINGS_MODULE"] = "wargame.server.settings"
    import django

    django.setup()


def peak_rss_mb() -> float:
    """This process's peak resident set (VmHWM: ru_maxrss would count the parent's before exec)."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError("no VmHWM in /proc/self/status")


def probe(db: Path, exercise_id: str, fmt: str, out: Path) -> None:
    """One export as the command line runs it, in this fresh process; prints seconds and peak MB."""
    os.environ["DATABASE_URL"] = f"sqlite:///{db}"
    from wargame.cli import main

    started, cpu_before = time.perf_counter(), cpu_s()
    code = main(["aar", "export", exercise_id, "--format", fmt, "--out", str(out)])
    seconds, cpu = time.perf_counter() - started, cpu_s() - cpu_before
    size = out.stat().st_size if out.exists() else 0
    print(json.dumps({"code": code, "s": round(seconds, 2), "cpu_s": round(cpu, 2),
                      "peak_rss_mb": round(peak_rss_mb(), 1), "bytes": size}))


def cpu_s() -> float:
    """CPU seconds of this process (user and system): on a machine others load, closer to what
    the export costs than its wall time."""
    usage = resource.getrusage(resource.RUSAGE_SELF)
    return usage.ru_utime + usage.ru_stime


def run_probe(db: Path, exercise_id: str, fmt: str, out: Path) -> dict[str, Any]:
    command = [sys.executable, __file__, "--probe", fmt, "--db", str(db), "--exercise", exercise_id,
               "--out", str(out)]
    done = subprocess.run(command, check=True, capture_output=True, text=True)
    result: dict[str, Any] = json.loads(done.stdout.strip().splitlines()[-1])
    if result["code"] != 0:
        raise RuntimeError(f"aar export {fmt} failed: {done.stderr}")
    return result


def play(db: Path, moves: int) -> dict[str, str]:
    """Both exercises into `db`; their ids (kept beside the file, so `--db` reuses them)."""
    ids_file = db.with_suffix(".ids.json")
    if ids_file.exists():
        ids: dict[str, str] = json.loads(ids_file.read_text())
        if ids.get("moves") == str(moves):
            return ids
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)
    from wargame.ops.aar_play import Player, play_scale, play_tutorial
    from wargame.server.exercises import create_exercise
    from wargame.server.runtime import set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    set_service(service)
    tutorial = create_exercise("tutorial").exercise_id
    play_tutorial(Player(service, tutorial))
    large = create_exercise("global-sentinel").exercise_id
    started = time.perf_counter()
    play_scale(Player(service, large), moves, "all",
               lambda line: print(f"global-sentinel: {line} ({time.perf_counter() - started:.0f} s)",
                                  file=sys.stderr))
    ids = {"tutorial": tutorial, "global-sentinel": large, "moves": str(moves)}
    ids_file.write_text(json.dumps(ids))
    return ids


def measure(db: Path, ids: dict[str, str], runs: int, formats: list[str]) -> dict[str, Any]:
    results: dict[str, Any] = {}
    with tempfile.TemporaryDirectory(prefix="bench-aar-") as tmp:
        for fmt in formats:
            row: dict[str, Any] = {}
            for name in ("tutorial", "global-sentinel"):
                runs_ = [run_probe(db, ids[name], fmt, Path(tmp) / f"{name}.{fmt}") for _ in range(runs)]
                row[name] = {
                    "s": round(statistics.median(r["s"] for r in runs_), 2),
                    "cpu_s": round(statistics.median(r["cpu_s"] for r in runs_), 2),
                    "peak_rss_mb": round(statistics.median(r["peak_rss_mb"] for r in runs_), 1),
                    "bytes": runs_[-1]["bytes"],
                    "runs_s": [r["s"] for r in runs_],
                }
            base, large = row["tutorial"], row["global-sentinel"]
            row["time_ratio"] = round(large["s"] / base["s"], 1) if base["s"] else None
            row["cpu_ratio"] = round(large["cpu_s"] / base["cpu_s"], 1) if base["cpu_s"] else None
            row["memory_ratio"] = round(large["peak_rss_mb"] / base["peak_rss_mb"], 2)
            row["meets_target"] = large["cpu_s"] < TARGET_S and large["peak_rss_mb"] < TARGET_MB
            results[fmt] = row
    return results


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--db", default=None, help="SQLite file to keep (and reuse) the played exercises in")
    parser.add_argument("--moves", type=int, default=8)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--formats", default=",".join(FORMATS))
    parser.add_argument("--json", action="store_true")
    parser.add_argument("--probe", choices=FORMATS, help=argparse.SUPPRESS)
    parser.add_argument("--exercise", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.probe:
        probe(Path(args.db), args.exercise, args.probe, Path(args.out))
        return
    with tempfile.TemporaryDirectory(prefix="bench-aar-db-") as tmp:
        db = Path(args.db).resolve() if args.db else Path(tmp) / "bench.sqlite3"
        db.parent.mkdir(parents=True, exist_ok=True)
        setup_django(db)
        ids = play(db, args.moves)
        results = measure(db, ids, args.runs, [f for f in args.formats.split(",") if f])
    report = {"moves": args.moves, "runs": args.runs, "exercises": ids, "formats": results}
    if args.json:
        print(json.dumps(report, indent=1))
        return
    print(f"aar export: global-sentinel after {args.moves} moves against the tutorial "
          f"(medians of {args.runs}; wall s, CPU s, peak MB)")
    for fmt, row in results.items():
        base, large = row["tutorial"], row["global-sentinel"]
        print(f"  {fmt:5} tutorial {base['s']:6.2f} {base['cpu_s']:5.2f} {base['peak_rss_mb']:6.1f}"
              f" | global-sentinel {large['s']:6.2f} {large['cpu_s']:5.2f} {large['peak_rss_mb']:6.1f}"
              f" ({large['bytes'] / 1e6:.1f} MB) | ratio: wall x{row['time_ratio']},"
              f" CPU x{row['cpu_ratio']}, memory x{row['memory_ratio']}"
              f" | target {'met' if row['meets_target'] else 'MISSED'}")


if __name__ == "__main__":
    main()
