"""The command use case: idempotency, decide and append under the exercise lock, adjudication
outside it, notify after commit."""

from __future__ import annotations

import logging
import secrets
from collections.abc import Callable, Sequence
from concurrent.futures import Future
from datetime import datetime
from typing import Any

from wargame.domain.audience import Role, Seat, control_only
from wargame.domain.background import EMPTY_CATALOG, BackgroundCatalog, encode_catalog
from wargame.domain.background import CatalogRef as CatalogRef
from wargame.domain.closing import (
    CLOSING_COMMANDS,
    Adjudicator,
    adjudicate,
    conclude,
    core_blobs,
    reopen,
    reopen_reason,
)
from wargame.domain.commands import Command, Rejection, reject
from wargame.domain.common import utc_now
from wargame.domain.decide import CommandTerms, address_all, decide
from wargame.domain.events import (
    EventBody,
    EventEnvelope,
    ExerciseCreated,
    PendingEvent,
    SharingAnalysisRequested,
)
from wargame.domain.override_commands import ReadjudicateMove
from wargame.domain.scenario_model import SpaceObject
from wargame.domain.state import Closing, ExerciseState
from wargame.domain.streams import event_positions, stream_viewers
from wargame.eventlog.chain import UnstorableEvent, seal_batch
from wargame.eventlog.store import EventStore, StoreTransaction
from wargame.services.readjudication import run_readjudication
from wargame.services.states import BLOBS_KEPT as BLOBS_KEPT
from wargame.services.states import ExerciseNotFound as ExerciseNotFound
from wargame.services.states import ExerciseStates
from wargame.services.telemetry import adjudication_timer, appended, counted

logger = logging.getLogger(__name__)

ADJUDICATION_LEASE_S = 300.0
"""How long a move closed by a command stays that command's before another advance_move may
take it over (the server passes WARGAME_ADJUDICATION_LEASE_SECONDS)."""

Notifier = Callable[[str, int], None]
"""Called after commit with (exercise_id, last_seq): 'there is news'."""

CommandResult = dict[str, Any]
Handled = tuple[CommandResult, list[EventEnvelope]]
Committed = Callable[[list[EventEnvelope]], None]
"""Told the events of a move_closing as soon as they are committed (before the adjudication)."""
Finisher = Callable[[CommandResult], None]
"""Called with a command's result inside the transaction that records it (a worker marks its
job done there, or raises to roll everything back when the job is no longer its own)."""

SNAPSHOT_EVENTS = ("move_advanced", "exercise_started", "exercise_ended")
"""Events after which a snapshot is saved (move boundaries): the last event sealed with them
records its digest."""


class SeatRevoked(Exception):
    """The seat that sent a command is no longer valid; nothing was decided or recorded."""


class ExerciseService(ExerciseStates):
    """Handles commands for exercises kept in an event store, caching the folded state per exercise.

    A command that closes a move (start_exercise, advance_move) takes three steps: under the
    exercise's lock it records `move_closing`; then, with no lock and no transaction held, the
    core adjudicates the state at that closing (in the calling thread, or the adjudicator's
    process pool); then, under the lock again, its events are recorded if that closing still
    holds (`domain.closing.conclude`), or `move_reopened` if the core failed. Other commands of
    the exercise go on in between."""

    def __init__(
        self,
        store: EventStore,
        adjudicator: Adjudicator,
        notify: Notifier | None = None,
        clock: Callable[[], datetime] = utc_now,
        adjudication_lease_s: float = ADJUDICATION_LEASE_S,
    ) -> None:
        super().__init__(store)
        self.adjudicator = adjudicator
        self.notify = notify or (lambda exercise_id, seq: None)
        self.clock = clock
        self.adjudication_lease_s = adjudication_lease_s
        self._in_flight: dict[tuple[str, str], Future[Handled]] = {}
        """Closing commands this process is running, by (exercise, seat/command_id): a resend
        waits for the same outcome."""
        self.launch_analysis: Callable[[str, str], None] | None = None
        """Told (exercise_id, analysis_id) after a sharing_analysis_requested is committed: starts
        it in the background (server/runtime.py); None leaves it to the caller (tests, tools)."""
        self.on_published: Callable[[ExerciseState, list[EventEnvelope]], None] | None = None
        """Told the state and events after each commit: the tempo scheduler looks for the move
        clock's next moment there (server/tempo_schedule.py); None: no scheduler."""

    def create(
        self, exercise_id: str, created: ExerciseCreated, background: Sequence[SpaceObject] = ()
    ) -> ExerciseState:
        """Record exercise_created; the background catalog is stored once, as a blob."""
        with self.store.write(exercise_id) as tx:
            if tx.last_seq() != 0:
                raise ValueError(f"exercise {exercise_id} already exists")
            if not created.id_salt:
                created = created.model_copy(update={"id_salt": secrets.token_hex(16)})
            decoded = EMPTY_CATALOG
            if background:
                blob = encode_catalog(background)
                digest = tx.put_blob(blob)
                catalog = CatalogRef(digest=digest, count=len(background))
                decoded = self._catalogs[digest] = BackgroundCatalog.of(background, digest)
                created = created.model_copy(update={"catalog": catalog})
            pending = [PendingEvent(body=created, audience=control_only(), actor="white_cell")]
            sealed = seal_batch(exercise_id, pending, state=None, at=self.clock(), background=decoded)
            self._append(tx, None, sealed.events)
            state = sealed.state
        self._published(state, sealed.events)
        return state

    def state(self, exercise_id: str) -> ExerciseState:
        """The current state; the first time this process loads an exercise, `on_published` is
        told it too (a restarted server's scheduler learns of the running move clocks)."""
        known = self._cached(exercise_id) is not None
        state = super().state(exercise_id)
        if not known and self.on_published is not None:
            self.on_published(state, [])
        return state

    def handle(
        self, exercise_id: str, seat: Seat, command_id: str, command: Command
    ) -> CommandResult:
        """Decide and record one command; a repeated command_id returns the first result."""
        return self.handle_events(exercise_id, seat, command_id, command)[0]

    def handle_events(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        command: Command,
        *,
        still_seated: Callable[[], bool] | None = None,
        finish: Finisher | None = None,
        committed: Committed | None = None,
    ) -> Handled:
        """`handle`, also giving the events its last transaction appended (none for a rejection
        or a repeat).

        They are the sealed envelopes just written, so the calling process can deliver them to
        its own sockets without reading them back. A command that closes a move first commits
        its `move_closing` alone and hands it to `committed`; the call returns once the
        adjudication is recorded (its events, the move's advance and due injects) or refused.
        It blocks that long, so a server runs such commands in a thread of their own.

        `still_seated` is asked inside the first write transaction, once the exercise's lock is
        held and before anything else (a repeated command_id included): when it says no,
        SeatRevoked is raised and nothing is recorded. So a revocation committed before the
        command gets the lock always binds it, however long it waited for the lock.
        `finish` is called with the result inside the transaction that records it.
        """
        if isinstance(command, ReadjudicateMove):
            return run_readjudication(self, exercise_id, seat, command_id, command, still_seated, finish)
        with counted(command.type) as outcome:
            handled = self._handle(exercise_id, seat, command_id, command, still_seated, finish, committed)
            outcome["result"] = handled[0]
        return handled

    def _handle(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        command: Command,
        still_seated: Callable[[], bool] | None,
        finish: Finisher | None,
        committed: Committed | None,
    ) -> Handled:
        if command.type in CLOSING_COMMANDS:

            def run() -> Handled:
                return self._close_and_adjudicate(
                    exercise_id, seat, command_id, command, still_seated, finish, committed
                )

            return self._once((exercise_id, f"{seat.viewer}/{command_id}"), run, finish)
        with self.store.write(exercise_id) as tx:
            _check_seat(seat, still_seated)
            key = f"{seat.viewer}/{command_id}"
            previous = tx.command_result(key)
            if previous is not None:
                return _repeat(previous, finish), []
            state = self._load(exercise_id, tx)
            decision = decide(state, seat, command, self._terms(key))
            if isinstance(decision, Rejection):
                return _record(tx, key, seat, rejected(command_id, decision), finish), []
            decision = self._store_attachments(tx, decision)
            try:
                events, new_state = self._seal_and_append(tx, state, _signed(decision, seat))
            except UnstorableEvent as exc:  # NaN or infinity in a body: refused, nothing recorded
                refusal = rejected(command_id, reject(state, "invalid", str(exc)))
                return _record(tx, key, seat, refusal, finish), []
            result = _record(tx, key, seat, accepted(command_id, [e.seq for e in events]), finish)
        self._published(new_state, events)
        for event in events:
            if isinstance(event.body, SharingAnalysisRequested) and self.launch_analysis is not None:
                self.launch_analysis(exercise_id, event.body.analysis_id)
        return result, events

    def record(
        self, exercise_id: str, actor: str, decision: Callable[[ExerciseState], list[EventBody] | Rejection]
    ) -> list[EventEnvelope] | Rejection:
        """Record what the system decides on the exercise's current state, not a seat's command
        (an analysis's progress and result), under the exercise's lock, as `actor`."""
        with self.store.write(exercise_id) as tx:
            state = self._load(exercise_id, tx)
            bodies = decision(state)
            if isinstance(bodies, Rejection):
                return bodies
            events, new_state = self._seal_and_append(tx, state, address_all(state, bodies, actor))
        self._published(new_state, events)
        return events

    def _once(self, flight: tuple[str, str], run: Callable[[], Handled], finish: Finisher | None) -> Handled:
        """A closing command, run once per process: a resend while it runs waits for its outcome."""
        with self._cache_lock:
            running = self._in_flight.get(flight)
            if running is None:
                mine: Future[Handled] = Future()
                self._in_flight[flight] = mine
        if running is not None:
            return _repeat(running.result()[0], finish), []
        try:
            outcome = run()
        except BaseException as exc:
            mine.set_exception(exc)
            raise
        else:
            mine.set_result(outcome)
            return outcome
        finally:
            with self._cache_lock:
                self._in_flight.pop(flight, None)

    def _close_and_adjudicate(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        command: Command,
        still_seated: Callable[[], bool] | None,
        finish: Finisher | None,
        committed: Committed | None,
    ) -> Handled:
        key = f"{seat.viewer}/{command_id}"
        closed: list[EventEnvelope] = []
        with self.store.write(exercise_id) as tx:  # 1. close the move, briefly, under the lock
            _check_seat(seat, still_seated)
            previous = tx.command_result(key)
            if previous is not None:
                return _repeat(previous, finish), []
            state = self._load(exercise_id, tx)
            if state.closing is not None and state.closing.command == key:
                # Its own closing, left by a run that died or is still running elsewhere (a
                # worker whose job was taken over): adjudicate again; one of them commits.
                at_closing = self._load_at(exercise_id, tx, state.closing.seq)
            else:
                decision = decide(state, seat, command, self._terms(key))
                if isinstance(decision, Rejection):
                    return _record(tx, key, seat, rejected(command_id, decision), finish), []
                closed, at_closing = self._seal_and_append(tx, state, _signed(decision, seat))
            blobs = self.blobs(core_blobs(at_closing))
        if closed:
            self._published(at_closing, closed)
            if committed is not None:
                committed(closed)
        closing = at_closing.closing
        assert closing is not None, "a closing command records move_closing"
        failure: Exception | None = None
        bodies: list[EventBody] = []
        timed: dict[str, float] = {}
        try:  # 2. adjudicate, holding no lock and no transaction
            with adjudication_timer(closing.move, timed):
                bodies = adjudicate(at_closing, self.adjudicator, blobs)
        except Exception as exc:
            logger.exception("adjudication failed", extra={"exercise": exercise_id, "move": closing.move})
            failure = exc
        return self._conclude(exercise_id, seat, command_id, closing, bodies, failure, finish, timed)

    def _conclude(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        closing: Closing,
        bodies: list[EventBody],
        failure: Exception | None,
        finish: Finisher | None,
        timed: dict[str, float],
    ) -> Handled:
        """3. Record the adjudication (or the move's reopening) if the closing still holds."""
        key = closing.command
        with self.store.write(exercise_id) as tx:
            previous = tx.command_result(key)
            if previous is not None:  # another run of this closing recorded it first
                return _repeat(previous, finish), []
            state = self._load(exercise_id, tx)
            if failure is None:
                decision = conclude(state, seat, closing, bodies, self.clock())
            else:
                decision = reopen(state, seat, closing, reopen_reason(closing, "failed"))
            if isinstance(decision, Rejection):
                return _record(tx, key, seat, rejected(command_id, decision), finish), []
            decision = self._store_attachments(tx, decision)
            try:
                events, new_state = self._seal_and_append(tx, state, _signed(decision, seat))
            except UnstorableEvent as exc:  # NaN or infinity in the core's results
                failure = exc
                reopened = reopen(state, seat, closing, reopen_reason(closing, "failed"))
                assert not isinstance(reopened, Rejection), "the closing was just checked"
                events, new_state = self._seal_and_append(tx, state, _signed(reopened, seat))
            if failure is None:
                result = accepted(command_id, [closing.seq, *(e.seq for e in events)])
            else:
                result = rejected(command_id, _failure(new_state, closing, failure))
            _record(tx, key, seat, result, finish)
        self._published(new_state, events, timed.get("seconds"))
        return result, events

    def give_up(
        self,
        exercise_id: str,
        seat: Seat,
        command_id: str,
        rejection: Rejection,
        finish: Finisher | None = None,
    ) -> CommandResult:
        """Record `rejection` as the result of a command that will not finish (a worker's time
        limit), reopening the move it closed, unless it has a result already. An adjudication
        of it that ends later finds the result recorded and records nothing."""
        key = f"{seat.viewer}/{command_id}"
        events: list[EventEnvelope] = []
        with self.store.write(exercise_id) as tx:
            previous = tx.command_result(key)
            if previous is not None:
                return _repeat(previous, finish)
            state = new_state = self._load(exercise_id, tx)
            closing = state.closing
            if closing is not None and closing.command == key:
                reopened = reopen(state, seat, closing, reopen_reason(closing, "timed out"))
                assert not isinstance(reopened, Rejection)
                events, new_state = self._seal_and_append(tx, state, _signed(reopened, seat))
            refusal = rejection.model_copy(update={"current_seq": new_state.last_seq})
            result = _record(tx, key, seat, rejected(command_id, refusal), finish)
        if events:
            self._published(new_state, events)
        return result

    def _terms(self, key: str) -> CommandTerms:
        return CommandTerms(key=key, at=self.clock(), lease_s=self.adjudication_lease_s)

    def _seal_and_append(
        self, tx: StoreTransaction, state: ExerciseState, pending: list[PendingEvent]
    ) -> tuple[list[EventEnvelope], ExerciseState]:
        """Seal pending events after `state`, append them, and return them with the state after
        them. At a move boundary (or when loading found no snapshot to trust) the last of them
        records a snapshot of that state, saved beside it; the head is then logged, for anyone
        who keeps the server's log to anchor it. Raises UnstorableEvent before appending anything."""
        exercise_id = state.exercise_id
        with self._cache_lock:
            due = exercise_id in self._snapshot_due
        snapshot = due or any(item.body.type in SNAPSHOT_EVENTS for item in pending)
        sealed = seal_batch(exercise_id, pending, state=state, at=self.clock(), snapshot=snapshot)
        self._append(tx, state, sealed.events)
        if sealed.snapshot is not None:
            tx.save_snapshot(sealed.snapshot.seq, sealed.snapshot)
            with self._cache_lock:
                self._snapshot_due.discard(exercise_id)
            head = sealed.state
            logger.info("exercise %s: snapshot saved; head %d:%s", exercise_id, head.last_seq, head.last_hash)
        return sealed.events, sealed.state

    def _published(
        self, state: ExerciseState, events: list[EventEnvelope], adjudication_s: float | None = None
    ) -> None:
        """After commit: cache the state, say there is news, count and log the events."""
        self._remember(state)
        self.notify(state.exercise_id, state.last_seq)
        appended(state.exercise_id, events, adjudication_s)
        if self.on_published is not None and events:
            self.on_published(state, events)

    def _append(
        self, tx: StoreTransaction, state: ExerciseState | None, events: list[EventEnvelope]
    ) -> None:
        """Append sealed events, each numbered in the streams it joins (domain/streams.py): the
        observer's and the teams' positions, which the store indexes and seats see."""
        heads = dict(state.stream_heads) if state is not None else {}
        viewers = stream_viewers(state.played_nations()) if state is not None else []
        for event in events:
            if state is None and isinstance(event.body, ExerciseCreated):
                viewers = stream_viewers(event.body.scenario.played_nations())
            heads, moved = event_positions(heads, viewers, event.body.type, event.audience)
            event.set_positions(moved)
        tx.append(events)

    def _store_attachments(self, tx: StoreTransaction, pending: list[PendingEvent]) -> list[PendingEvent]:
        """Store the blobs the core attached to its events (in this transaction) and take them off
        the events, which refer to them by digest."""
        out: list[PendingEvent] = []
        for item in pending:
            attachments = getattr(item.body, "attachments", None)
            if attachments:
                for digest, data in attachments.items():
                    stored = tx.put_blob(data)
                    assert stored == digest, "a blob's digest is the SHA-256 of its bytes"
                    self._keep_blob(digest, data)
                item = item.model_copy(update={"body": item.body.model_copy(update={"attachments": {}})})
            out.append(item)
        return out


def _check_seat(seat: Seat, still_seated: Callable[[], bool] | None) -> None:
    if still_seated is not None and not still_seated():
        raise SeatRevoked(f"{seat.viewer} seat revoked")


def _record(
    tx: StoreTransaction, key: str, seat: Seat, result: CommandResult, finish: Finisher | None
) -> CommandResult:
    tx.record_command(key, seat.viewer, result)
    if finish is not None:
        finish(result)
    return result


def _repeat(previous: CommandResult, finish: Finisher | None) -> CommandResult:
    if finish is not None:
        finish(previous)
    return {**previous, "repeat": True}


def _failure(state: ExerciseState, closing: Closing, exc: Exception) -> Rejection:
    """What the command that closed the move is told when its adjudication failed."""
    if isinstance(exc, UnstorableEvent):
        return reject(state, "invalid", str(exc))
    what = "computing the first pictures" if closing.move == 0 else f"the adjudication of move {closing.move}"
    detail = f"{type(exc).__name__}: {exc}"[:300]
    again = "start again" if closing.move == 0 else "advance again"
    message = f"{what} failed ({detail}); it is open again: {again} to retry"
    return reject(state, "adjudication_failed", message)


def _signed(pending: list[PendingEvent], seat: Seat) -> list[PendingEvent]:
    """The events of a command, each naming the member of the seat that issued it."""
    if not seat.member:
        return pending
    return [p.model_copy(update={"member": seat.member}) for p in pending]


def accepted(command_id: str, seqs: list[int]) -> CommandResult:
    return {"status": "accepted", "command_id": command_id, "seqs": seqs, "seq": seqs[-1]}


def rejected(command_id: str, rejection: Rejection) -> CommandResult:
    return {"status": "rejected", "command_id": command_id, **rejection.model_dump()}


def white_cell() -> Seat:
    return Seat(role=Role.WHITE_CELL, label="White Cell")
