"""Benchmark: handling one command (lock, decide, seal, append, fold) against folding its events alone.

Run: .venv/bin/python benchmarks/bench_commands.py [--json]
The baseline is the unavoidable part of a command: evolving the state by the events it emits.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tests.factories import FakeAdjudicator, command, make_created, seat
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore
from wargame.services.commands import ExerciseService

ROUNDS = 7
COMMANDS_PER_ROUND = 300


def one_round() -> tuple[float, float]:
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create("bench", make_created())
    service.handle("bench", seat("white_cell"), "start", command({"type": "start_exercise"}))
    start_seq = service.state("bench").last_seq
    chat = command({"type": "post_chat", "channel": "coalition", "text": "status report"})
    t0 = time.perf_counter()
    for i in range(COMMANDS_PER_ROUND):
        service.handle("bench", seat("team:USA"), f"c{i}", chat)
    handle_s = time.perf_counter() - t0
    base = fold(store.read_after("bench", 0)[:start_seq])
    tail = store.read_after("bench", start_seq)
    t0 = time.perf_counter()
    for event in tail:
        base = fold([event], base)
    fold_s = time.perf_counter() - t0
    return handle_s / COMMANDS_PER_ROUND, fold_s / COMMANDS_PER_ROUND


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    results = [one_round() for _ in range(ROUNDS)]
    handle_us = statistics.median(r[0] for r in results) * 1e6
    fold_us = statistics.median(r[1] for r in results) * 1e6
    report = {"command_us_p50": round(handle_us, 1), "fold_us_p50": round(fold_us, 1),
              "command_vs_fold": round(handle_us / fold_us, 2)}
    if args.json:
        print(json.dumps(report))
    else:
        print(f"command handling  median {handle_us:8.1f} us")
        print(f"fold of its events median {fold_us:8.1f} us")
        print(f"ratio command/fold        {report['command_vs_fold']:.2f}x")


if __name__ == "__main__":
    main()
