"""`wargame serve` whose adjudication core takes `--delay` seconds a move, with started exercises.

For the test and the benchmark of commands during an adjudication: a move that adjudicates for
seconds while other seats and exercises go on. It migrates the database (DATABASE_URL, or SQLite
under WARGAME_STATE_DIR), creates `--exercises` exercises of the unit scenario (or, with
`--scenario`, of a shipped scenario adjudicated by the real core in its process pool, as
`wargame serve` does), starts them, prints one JSON line {"slow-N": {viewer: token}} and serves
on 127.0.0.1:`--port`.

Run: python tests/server/slow_server.py --port 8123 --delay 3
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--delay", type=float, default=3.0, help="seconds each move's adjudication takes")
    parser.add_argument("--exercises", type=int, default=2)
    parser.add_argument("--moves", type=int, default=3, help="moves of each exercise")
    parser.add_argument("--scenario", default="", help="a shipped scenario, adjudicated by the real core")
    args = parser.parse_args()

    from wargame import cli

    cli.django_setup()
    cli.migrate()
    from tests.factories import FakeAdjudicator, make_created
    from wargame.domain.commands import StartExercise
    from wargame.domain.events import EventBody
    from wargame.domain.state import ExerciseState
    from wargame.server.exercises import create_exercise
    from wargame.server.models import Exercise
    from wargame.server.runtime import get_service, notify_news, set_service
    from wargame.server.seats import issue_default_seats
    from wargame.server.serving import run_server
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService, white_cell

    class SlowAdjudicator(FakeAdjudicator):
        """The fake core, taking `delay` seconds a move without holding the GIL (as the real
        core does in its process pool)."""

        def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
            time.sleep(args.delay)
            return super().adjudicate_move(state, blobs)

    tokens: dict[str, dict[str, str]] = {}
    if args.scenario:
        real = get_service()
        for n in range(args.exercises):
            made = create_exercise(args.scenario)
            viewers = {(f"team:{s.nation}" if s.nation else s.role.value): s.token for s in made.seats}
            tokens[f"slow-{n + 1}"] = viewers
            start = StartExercise(type="start_exercise")
            result = real.handle(made.exercise_id, white_cell(), "start", start)
            assert result["status"] == "accepted", result
        print(json.dumps(tokens), flush=True)
        return run_server("127.0.0.1", args.port)
    service = ExerciseService(DjangoEventStore(), SlowAdjudicator(), notify_news)
    set_service(service)
    for n in range(args.exercises):
        exercise_id = f"slow-{n + 1}"
        created = make_created(moves=args.moves)
        exercise = Exercise.objects.create(
            id=exercise_id, title=created.title, scenario_id=created.scenario.id
        )
        service.create(exercise_id, created)
        seats = issue_default_seats(exercise, created.scenario)
        tokens[exercise_id] = {
            (f"team:{s.nation}" if s.nation else s.role.value): s.token for s in seats
        }
        result = service.handle(exercise_id, white_cell(), "start", StartExercise(type="start_exercise"))
        assert result["status"] == "accepted", result
    print(json.dumps(tokens), flush=True)
    return run_server("127.0.0.1", args.port)


if __name__ == "__main__":
    sys.exit(main())
