"""The per-process service instance, wired to the Django store and the channel layer."""

from __future__ import annotations

import logging
import threading

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import transaction

from wargame.domain.decide import Adjudicator
from wargame.server.store import DjangoEventStore
from wargame.services.adjudicators import InlineAdjudicator, PooledAdjudicator
from wargame.services.commands import ExerciseService

logger = logging.getLogger(__name__)
_lock = threading.Lock()
_service: ExerciseService | None = None


def exercise_group(exercise_id: str) -> str:
    return f"exercise.{exercise_id}"


def notify_news(exercise_id: str, last_seq: int) -> None:
    """Tell every server process that the exercise has events up to last_seq (after commit)."""
    layer = get_channel_layer()
    if layer is None:
        return

    def send() -> None:
        try:
            async_to_sync(layer.group_send)(
                exercise_group(exercise_id), {"type": "exercise.news", "seq": last_seq}
            )
        except Exception:  # the commit stands; hubs poll the log and find the events
            logger.warning("could not announce seq %s of %s", last_seq, exercise_id)

    transaction.on_commit(send)


def notify_revoked(exercise_id: str, token_hashes: list[str]) -> None:
    """Ask every server process to close the sockets of revoked seats (hubs also poll for it)."""
    layer = get_channel_layer()
    if layer is None or not token_hashes:
        return
    message = {"type": "seat.revoked", "token_hashes": token_hashes}
    try:
        async_to_sync(layer.group_send)(exercise_group(exercise_id), message)
    except Exception:  # the hubs' periodic check closes the sockets anyway
        logger.warning("could not announce a revocation; hubs will find it when they poll")


def uses_workers() -> bool:
    """Adjudication and scheduled injects run in `wargame worker` processes."""
    return bool(settings.WARGAME["ADJUDICATION"] == "worker")


def make_adjudicator() -> Adjudicator:
    if uses_workers():
        return InlineAdjudicator()
    processes = settings.WARGAME["ADJUDICATION_PROCESSES"]
    return PooledAdjudicator(processes) if processes > 0 else InlineAdjudicator()


def get_service() -> ExerciseService:
    global _service
    with _lock:
        if _service is None:
            _service = ExerciseService(DjangoEventStore(), make_adjudicator(), notify_news)
        return _service


def set_service(service: ExerciseService | None) -> None:
    """Replace the process's service (tests)."""
    global _service
    with _lock:
        _service = service
