"""Benchmark: what sealing an event costs under RFC 8785 against the recipe of earlier releases.

Run: .venv/bin/python benchmarks/bench_seal.py [--repeat 7] [--json]

Sealing runs inside the exercise's write lock, so the recipe's cost on a large event matters.
For each body, the canonical text and its SHA-256 (the part of `seal` the recipe decides) is
timed with:
- `python-json`: the earlier releases' recipe (the C `json` encoder), the baseline;
- `rfc8785 (ours)`: `eventlog.canonical.jcs_text`, the recipe sealing uses now;
- `rfc8785 (library)`: the `rfc8785` package's own `dumps`, which ours must equal (checked).
Bodies: every event of the tutorial started and played through a move by the real core (summed),
the global-sentinel `exercise_created` (its scenario and ruleset), and events of about 1 and
5 MB (an `inject_resolved` whose details hold a table of rows mixing identifiers, integral and
fractional doubles, probabilities below 1e-4 and flags). Best of `--repeat`
interleaved runs; ratios are against python-json in the same run. Also timed: a whole
`seal_batch` of the 5 MB event (envelope dump included), to show the recipe's share.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from wargame.domain.audience import control_only
from wargame.domain.events import EventEnvelope, InjectResolved, PendingEvent
from wargame.eventlog.canonical import jcs_text, python_text, text_hash
from wargame.eventlog.chain import envelope_fields, seal_batch

AT = datetime(2027, 3, 1, tzinfo=UTC)


def table_body(megabytes: float, seed: int = 7) -> InjectResolved:
    rng = random.Random(seed)
    rows: list[dict[str, Any]] = []
    size = 0
    while size < megabytes * 1_000_000:
        row = {
            "object_id": f"OBJ-{len(rows):06d}",
            "range_km": rng.uniform(0.1, 40_000.0),
            "sigma_km": rng.uniform(0.01, 5.0),
            "epoch_s": float(rng.randrange(0, 21_600, 60)),
            "pc": rng.uniform(1e-9, 1e-4),
            "observed": rng.random() < 0.5,
            "sensors": [f"S{rng.randrange(62)}" for _ in range(rng.randrange(1, 4))],
        }
        rows.append(row)
        size += len(json.dumps(row))
    return InjectResolved(
        inject_id="INJ-1", outcome="benchmark", p_success=0.5, succeeded=True, details={"rows": rows}
    )


def created_fields() -> dict[str, Any]:
    from wargame.domain.events import ExerciseCreated
    from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts

    scenario, _ = load_scenario_parts(find_scenario("global-sentinel"))
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)), seed=1
    )
    return _fields(created)


def _fields(body: Any) -> dict[str, Any]:
    envelope = EventEnvelope(
        exercise_id="bench", seq=2, at=AT, scenario_time=AT, move=1, actor="white_cell",
        audience=control_only(), prev_hash="0" * 64, hash="", body=body,
    )
    return envelope_fields(envelope)


def timed(run: Callable[[], object], times: list[float]) -> None:
    start = time.perf_counter()
    run()
    times.append(time.perf_counter() - start)


def tutorial_events() -> list[dict[str, Any]]:
    """The envelope fields of every event of the tutorial's start and first move (real core)."""
    from wargame.domain.audience import Role, Seat
    from wargame.domain.commands import AdvanceMove, StartExercise
    from wargame.domain.events import ExerciseCreated
    from wargame.eventlog.store import MemoryEventStore
    from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService

    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    created = ExerciseCreated(
        title=scenario.title, scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)), seed=1
    )
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    service.create("bench", created, background)
    white = Seat(role=Role.WHITE_CELL)
    service.handle("bench", white, "start", StartExercise(type="start_exercise"))
    service.handle("bench", white, "move-1", AdvanceMove(type="advance_move", from_move=1))
    return [envelope_fields(e) for e in store.read_after("bench", 1)]  # exercise_created apart


def measure(bodies: list[dict[str, Any]], repeat: int) -> dict[str, Any]:
    import rfc8785

    texts = [jcs_text(fields) for fields in bodies]
    if any(t.encode("utf-8") != rfc8785.dumps(f) for t, f in zip(texts, bodies, strict=True)):
        raise SystemExit("jcs_text differs from rfc8785.dumps on this body")
    recipes: dict[str, Callable[[], object]] = {
        "python-json": lambda: [text_hash(python_text(f)) for f in bodies],
        "rfc8785 (ours)": lambda: [text_hash(jcs_text(f)) for f in bodies],
        "rfc8785 (library)": lambda: [rfc8785.dumps(f) for f in bodies],
    }
    times: dict[str, list[float]] = {name: [] for name in recipes}
    for _ in range(repeat):  # interleaved, so a busy moment hits every recipe alike
        for name, run in recipes.items():
            timed(run, times[name])
    base = min(times["python-json"])
    return {
        "bytes": sum(len(t.encode("utf-8")) for t in texts),
        "ms": {name: round(min(t) * 1000, 1) for name, t in times.items()},
        "ratio_vs_python_json": {name: round(min(t) / base, 2) for name, t in times.items()},
    }


def seal_share(body: InjectResolved, repeat: int) -> dict[str, float]:
    from tests.factories import make_created
    from wargame.eventlog.chain import seal

    first = PendingEvent(body=make_created(), audience=control_only(), actor="white_cell")
    created = seal("bench", [first], state=None, at=AT)
    from wargame.eventlog.replay import fold

    state = fold(created)
    pending = [PendingEvent(body=body, audience=control_only(), actor="white_cell")]
    seal_times: list[float] = []
    recipe_times: list[float] = []
    fields = _fields(body)
    for _ in range(repeat):
        timed(lambda: seal_batch("bench", pending, state=state, at=AT), seal_times)
        timed(lambda: text_hash(jcs_text(fields)), recipe_times)
    return {
        "seal_batch_ms": round(min(seal_times) * 1000, 1),
        "recipe_ms": round(min(recipe_times) * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--json", action="store_true")
    args = parser.parse_args()
    big = table_body(5)
    results = {
        "tutorial start + move 1 (all events)": measure(tutorial_events(), args.repeat),
        "global-sentinel exercise_created": measure([created_fields()], args.repeat),
        "1 MB inject_resolved": measure([_fields(table_body(1))], args.repeat),
        "5 MB inject_resolved": measure([_fields(big)], args.repeat),
    }
    share = seal_share(big, max(3, args.repeat // 2))
    if args.json:
        print(json.dumps({"bodies": results, "seal_5mb": share}, indent=2))
        return
    print(f"{'body':38} {'bytes':>10} {'python-json':>12} {'rfc8785 ours':>19} {'rfc8785 library':>19}")
    for name, r in results.items():
        ms, ratio = r["ms"], r["ratio_vs_python_json"]
        print(
            f"{name:38} {r['bytes']:>10,} {ms['python-json']:>9.1f} ms "
            f"{ms['rfc8785 (ours)']:>9.1f} ms ({ratio['rfc8785 (ours)']:.2f}x) "
            f"{ms['rfc8785 (library)']:>9.1f} ms ({ratio['rfc8785 (library)']:.2f}x)"
        )
    print(
        f"whole seal_batch of the 5 MB event: {share['seal_batch_ms']} ms, "
        f"of which the recipe {share['recipe_ms']} ms"
    )


if __name__ == "__main__":
    main()
