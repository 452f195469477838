"""`wargame worker` whose adjudication core takes `--delay` seconds a move (worker lease tests).

Run: python tests/delivery/slow_worker.py --id worker-a --delay 3   (DATABASE_URL: PostgreSQL)
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--id", required=True)
    parser.add_argument("--delay", type=float, default=3.0)
    args = parser.parse_args()
    os.environ["WARGAME_ADJUDICATION"] = "worker"
    from wargame import cli

    cli.django_setup()
    from tests.factories import FakeAdjudicator
    from wargame.domain.events import EventBody
    from wargame.domain.state import ExerciseState
    from wargame.server.jobs import work
    from wargame.server.runtime import notify_news, set_service
    from wargame.server.store import DjangoEventStore
    from wargame.services.commands import ExerciseService

    class SlowAdjudicator(FakeAdjudicator):
        def adjudicate_move(self, state: ExerciseState, blobs: Any = None) -> list[EventBody]:
            print(f"{args.id} adjudicating move {state.move}", flush=True)
            time.sleep(args.delay)
            return super().adjudicate_move(state, blobs)

    set_service(ExerciseService(DjangoEventStore(), SlowAdjudicator(), notify_news))
    print(f"{args.id} waiting for jobs", flush=True)
    work(args.id)
    return 0


if __name__ == "__main__":
    sys.exit(main())
