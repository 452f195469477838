"""Benchmark: a replay from the nearest snapshot against the fold from the first event.

Run: .venv/bin/python benchmarks/bench_replay.py [--scenario regional-sentinel] [--moves 2] [--json]

Plays a scenario headless (the real core, inline, memory store; each team releases its tracks to
two partners, then the moves are advanced) and, at the end of each move and at the last seq,
times a team's and the white cell's replay (`seat_view_in_store`: the nearest snapshot at or
before the point plus the events after it) against the baseline measured in the same run on
the same log: the same view folded from seq 1 (`seat_view_at` over the whole log). Reports the
events folded and the seconds of each, and their ratio.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wargame.domain.audience import Role, Seat
from wargame.domain.commands import command_adapter
from wargame.domain.events import ExerciseCreated
from wargame.eventlog.replay_view import seat_view_at, seat_view_in_store
from wargame.eventlog.store import MemoryEventStore
from wargame.ops.scale_core import WHITE, release_commands
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EX = "bench-replay"


def play(scenario: str, moves: int) -> tuple[ExerciseService, list[int]]:
    """The scenario played headless; the seqs where each advance ended."""
    model, background = load_scenario_parts(find_scenario(scenario))
    created = ExerciseCreated(
        title=model.title, scenario=model, ruleset=load_ruleset(find_ruleset(model.ruleset)), seed=model.seed
    )
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create(EX, created, background)

    def run(seat: Seat, command: dict[str, Any], command_id: str) -> None:
        result = service.handle(EX, seat, command_id, command_adapter.validate_python(command))
        if result["status"] != "accepted":
            raise RuntimeError(f"{command['type']} refused: {result}")

    run(WHITE, {"type": "start_exercise"}, "start")
    for nation, command in release_commands(list(model.played_nations())).items():
        run(Seat(role=Role.PLAYER, nation=nation), command, f"share-{nation}")
    ends = []
    for move in range(1, min(moves, model.moves) + 1):
        run(WHITE, {"type": "advance_move", "from_move": move}, f"advance-{move}")
        ends.append(service.store.read_last_seq(EX))
    return service, ends


def timed(fn: Any) -> tuple[Any, float]:
    started = time.perf_counter()
    result = fn()
    return result, time.perf_counter() - started


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--scenario", default="regional-sentinel")
    parser.add_argument("--moves", type=int, default=2)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args(argv)
    service, ends = play(args.scenario, args.moves)
    store = service.store
    team = f"team:{service.state(EX).played_nations()[0]}"
    points = sorted({end - 1 for end in ends} | {store.read_last_seq(EX)})
    rows = []
    for at in points:
        for viewer in (team, "white_cell"):
            near, near_s = timed(lambda: seat_view_in_store(store, EX, viewer, at, service.catalog))  # noqa: B023
            events = list(store.iter_after(EX, 0))
            full, full_s = timed(lambda: seat_view_at(events, viewer, at, service.catalog))  # noqa: B023
            assert near == full, (viewer, at)
            base = store.read_latest_snapshot(EX, at + 1)
            rows.append({
                "viewer": viewer, "at": at, "folded_from_snapshot": at - (base.seq if base else 0),
                "snapshot_s": round(near_s, 3), "folded_from_start": at, "from_start_s": round(full_s, 3),
                "ratio": round(full_s / near_s, 1) if near_s else None,
            })
    if args.json:
        print(json.dumps({"scenario": args.scenario, "moves": args.moves, "rows": rows}))
        return 0
    print(f"{args.scenario}, {args.moves} moves, {store.read_last_seq(EX)} events")
    print(f"{'viewer':<12} {'at':>6} {'from snapshot':>22} {'from seq 1':>22} {'ratio':>6}")
    for r in rows:
        near = f"{r['folded_from_snapshot']} ev, {r['snapshot_s']:.3f} s"
        full = f"{r['folded_from_start']} ev, {r['from_start_s']:.3f} s"
        print(f"{r['viewer']:<12} {r['at']:>6} {near:>22} {full:>22} {r['ratio']:>6}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
