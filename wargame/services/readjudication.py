"""The readjudicate_move command's path through the service: check and read the state at the
move's closing under the lock, run the core with no lock held, record under the lock again if
nothing changed meanwhile (domain/readjudication.py)."""

from __future__ import annotations

import logging
from collections.abc import Callable
from itertools import takewhile
from typing import TYPE_CHECKING, Any

from wargame.domain.audience import Seat
from wargame.domain.closing import core_blobs
from wargame.domain.commands import Rejection, reject
from wargame.domain.decide import authorize
from wargame.domain.override_commands import ReadjudicateMove
from wargame.domain.override_decide import check_readjudication
from wargame.domain.readjudication import conclude_readjudication, readjudicate, superseded
from wargame.eventlog.chain import UnstorableEvent
from wargame.eventlog.store import READ_BATCH

if TYPE_CHECKING:
    from wargame.services.commands import ExerciseService

logger = logging.getLogger(__name__)


def run_readjudication(
    self: ExerciseService,
    exercise_id: str,
    seat: Seat,
    command_id: str,
    cmd: ReadjudicateMove,
    still_seated: Callable[[], bool] | None,
    finish: Callable[[dict[str, Any]], None] | None,
) -> tuple[dict[str, Any], list[Any]]:
    """ExerciseService.handle_events for readjudicate_move (`self` is the service)."""
    from wargame.services.commands import _check_seat, _record, _repeat, _signed, accepted, rejected

    key = f"{seat.viewer}/{command_id}"
    with self.store.write(exercise_id) as tx:  # 1. check, and read the state at the closing
        _check_seat(seat, still_seated)
        previous = tx.command_result(key)
        if previous is not None:
            return _repeat(previous, finish), []
        state = self._load(exercise_id, tx)
        checked = authorize(state, seat, cmd) or check_readjudication(state, cmd)
        if isinstance(checked, Rejection):
            return _record(tx, key, seat, rejected(command_id, checked), finish), []
        point = checked
        after = tx.iter_after(point.closing_seq, READ_BATCH)
        supersedes = superseded(point, takewhile(lambda e: e.seq <= (point.end_seq or 0), after))
        at_closing = self._load_at(exercise_id, tx, point.closing_seq)
        blobs = self.blobs(core_blobs(at_closing))
    try:  # 2. the core, holding no lock
        bodies = readjudicate(at_closing, cmd, self.adjudicator, blobs)
    except Exception as exc:
        logger.exception("exercise %s: re-adjudication of move %s failed", exercise_id, cmd.move)
        failed = reject(state, "adjudication_failed", f"re-adjudicating move {cmd.move} failed: {exc}"[:400])
        with self.store.write(exercise_id) as tx:
            return _record(tx, key, seat, rejected(command_id, failed), finish), []
    with self.store.write(exercise_id) as tx:  # 3. record, if the checkpoint still holds
        previous = tx.command_result(key)
        if previous is not None:
            return _repeat(previous, finish), []
        state = self._load(exercise_id, tx)
        decision = conclude_readjudication(state, seat, cmd, point, supersedes, bodies)
        if isinstance(decision, Rejection):
            return _record(tx, key, seat, rejected(command_id, decision), finish), []
        decision = self._store_attachments(tx, decision)
        try:
            events, new_state = self._seal_and_append(tx, state, _signed(decision, seat))
        except UnstorableEvent as exc:
            unstorable = rejected(command_id, reject(state, "adjudication_failed", str(exc)))
            return _record(tx, key, seat, unstorable, finish), []
        result = _record(tx, key, seat, accepted(command_id, [e.seq for e in events]), finish)
    self._published(new_state, events)
    return result, events
