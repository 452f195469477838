"""Benchmark: the value-of-sharing analysis against the core's own time for the same moves.

Plays a scenario headless (memory store, the core inline and timed), each team releasing its
tracks to two partners in move 1 and its warnings in move 2, then runs the analysis under as
played, nobody shares, everyone shares in full and one nation withholding. Prints, per variant,
the seconds and the moves it re-adjudicated, and the ratio of its seconds per move to the
core's seconds per move measured in the same run (the analysis's overhead over the core).

    .venv/bin/python benchmarks/bench_sharing_value.py --scenario tutorial
    .venv/bin/python benchmarks/bench_sharing_value.py --scenario global-sentinel --moves 2 --json
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import time
from typing import Any

from wargame.aar.sharing_analysis import analyse
from wargame.domain.audience import Role, Seat
from wargame.domain.background import EMPTY_CATALOG
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.domain.sharing_analysis import AS_PLAYED, SharingVariant
from wargame.eventlog.store import MemoryEventStore
from wargame.ops.scale_core import TimedAdjudicator, release_commands
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.commands import ExerciseService

WHITE = Seat(role=Role.WHITE_CELL, label="White Cell")


def play(scenario: str, moves: int) -> tuple[ExerciseService, TimedAdjudicator, list[str]]:
    model, background = load_scenario_parts(find_scenario(scenario))
    created = ExerciseCreated(
        title=model.title, scenario=model, ruleset=load_ruleset(find_ruleset(model.ruleset)), seed=model.seed
    )
    timed = TimedAdjudicator()
    service = ExerciseService(MemoryEventStore(), timed)
    service.create("bench", created, background)

    def run(seat: Seat, command: dict[str, Any], command_id: str) -> None:
        result = service.handle("bench", seat, command_id, command_adapter.validate_python(command))
        if result["status"] != "accepted":
            raise RuntimeError(f"{command['type']} refused: {result}")

    run(WHITE, {"type": "start_exercise"}, "start")
    nations = list(model.played_nations())
    moves = min(moves, model.moves)
    for move in range(1, moves + 1):
        for nation, command in release_commands(nations).items():
            if move == 2:
                command = {**command, "product": {"kind": "warnings"}}
            if move <= 2:
                run(Seat(role=Role.PLAYER, nation=nation), command, f"share-{nation}-{move}")
        run(WHITE, {"type": "advance_move", "from_move": move}, f"advance-{move}")
    return service, timed, nations


def main() -> None:
    raw = argparse.RawDescriptionHelpFormatter
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=raw)
    parser.add_argument("--scenario", default="tutorial")
    parser.add_argument("--moves", type=int, default=4)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    service, timed, nations = play(args.scenario, args.moves)
    events = service.store.read_after("bench", 0)
    created = events[0].body
    assert isinstance(created, ExerciseCreated)
    background = EMPTY_CATALOG if created.catalog is None else service.catalog(created.catalog)
    variants = [AS_PLAYED, SharingVariant(kind="none"), SharingVariant(kind="all_full"),
                SharingVariant(kind="withhold", nation=nations[0])]
    steps: list[tuple[float, str]] = []
    started = time.perf_counter()
    result = analyse(events, variants, background, lambda d, t, s: steps.append((time.perf_counter(), s)))
    total_s = time.perf_counter() - started
    core_per_move = statistics.median(timed.core_s.values())
    report: dict[str, Any] = {
        "scenario": args.scenario, "moves": len(timed.core_s), "nations": len(nations),
        "exact": result.exact, "mismatch": result.mismatch,
        "core_s_per_move_median": round(core_per_move, 3), "analysis_s": round(total_s, 2),
        "moves_readjudicated": len(steps),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // 1024,
        "variants": {},
    }
    for outcome in result.variants:
        rerun = [s for _, s in steps if s.startswith(outcome.variant.label + ":")]
        per_move = outcome.seconds / len(rerun) if rerun else 0.0
        ratio = round(per_move / core_per_move, 2) if rerun else None
        report["variants"][outcome.variant.key] = {
            "seconds": round(outcome.seconds, 2), "moves_rerun": len(rerun), "from_move": outcome.from_move,
            "s_per_move": round(per_move, 3), "ratio_to_core": ratio,
        }
    if args.json:
        print(json.dumps(report, indent=2))
        return
    print(f"{args.scenario}: {report['moves']} moves, {len(nations)} nations; core "
          f"{core_per_move:.2f} s a move (median); analysis {total_s:.1f} s, {len(steps)} moves "
          f"re-adjudicated; exact: {result.exact}; peak RSS {report['peak_rss_mb']} MB")
    for key, row in report["variants"].items():
        print(f"  {key:28s} {row['seconds']:8.2f} s  {row['moves_rerun']} moves from move {row['from_move']}"
              f"  {row['s_per_move']:.2f} s/move  ratio to core {row['ratio_to_core']}")


if __name__ == "__main__":
    main()
