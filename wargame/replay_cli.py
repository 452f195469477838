"""`wargame replay EXERCISE --viewer SEAT --at SEQ`: a seat's view at a point of the log, as JSON."""

from __future__ import annotations

import argparse
import json
import os
import sys
from pathlib import Path
from typing import Any


def add_replay_parser(sub: Any) -> None:
    """Register `replay` on the `wargame` command's subparsers."""
    parser = sub.add_parser(
        "replay",
        help="a seat's view at any seq of an exercise, exactly as it was sent, as JSON",
        description=__doc__,
    )
    parser.add_argument("exercise", help="exercise id")
    parser.add_argument("--viewer", required=True, help="team:USA, white_cell, facilitator or observer")
    parser.add_argument("--at", required=True, type=int, help="the global seq to stop after (1 to the last)")
    parser.add_argument(
        "--picture", action="store_true",
        help="add the seat's picture at that point as rows (a team's own; the truth for control seats)",
    )
    parser.add_argument(
        "--db", default=None,
        help="database URL (default: DATABASE_URL, else the SQLite database in --data-dir)",
    )
    parser.add_argument(
        "--data-dir", default=None,
        help="folder of the default SQLite database (as `wargame demo --data-dir`; default var/)",
    )
    parser.add_argument("--out", default=None, help="write the JSON here instead of standard output")
    parser.set_defaults(func=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    """Print the replay document (services.replays.replay_document); 1 with a message naming
    what is wrong for an unknown exercise or seat, or a seq outside the log."""
    if args.db:
        os.environ["DATABASE_URL"] = args.db
    if args.data_dir:
        os.environ["WARGAME_STATE_DIR"] = str(Path(args.data_dir).resolve())
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.server.settings")
    import django

    django.setup()
    from wargame.adjudication.picture_resource import decode_rows
    from wargame.eventlog.replay_view import ReplayError
    from wargame.server.store import DjangoEventStore
    from wargame.services.adjudicators import InlineAdjudicator
    from wargame.services.commands import ExerciseService
    from wargame.services.pictures import PictureResources, seat_picture
    from wargame.services.replays import replay_document

    service = ExerciseService(DjangoEventStore(), InlineAdjudicator())
    try:
        document = replay_document(service, args.exercise, args.viewer, args.at)
    except ReplayError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    if args.picture:
        state = service.state_at(args.exercise, args.at)
        resource = seat_picture(PictureResources(service), state, args.viewer)
        picture: dict[str, Any] | None = None
        if resource is not None:
            header, rows = decode_rows(resource.data)
            picture = {"header": header, "rows": rows}
        document = {**document, "picture": picture}
    text = json.dumps(document, ensure_ascii=False, indent=1) + "\n"
    if args.out:
        Path(args.out).write_text(text, encoding="utf-8")
    else:
        sys.stdout.write(text)
    return 0
