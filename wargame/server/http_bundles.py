"""`GET /api/exercise/export`: this seat's exercise as a bundle, streamed to control seats as written."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from typing import IO, cast

from django.http import HttpRequest, HttpResponse, StreamingHttpResponse

from wargame.domain.audience import is_control_viewer
from wargame.eventlog.bundle_format import BundleError
from wargame.server.bundles import BundleExport
from wargame.server.http import _bearer_seat, _error
from wargame.server.reads import run_read
from wargame.server.runtime import get_service

logger = logging.getLogger(__name__)

CONTENT_TYPE = "application/zip"


class _Chunks:
    """A write-only stream the zip is written into (it never seeks): what was written since
    the last `take` is sent."""

    def __init__(self) -> None:
        self.parts: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.parts.append(bytes(data))
        return len(data)

    def flush(self) -> None:
        return None

    def take(self) -> bytes:
        data, self.parts = b"".join(self.parts), []
        return data


async def exercise_export(request: HttpRequest) -> HttpResponse:
    """The exercise of this seat as a bundle (docs/operations.md, "Export and import an
    exercise"), for facilitators and the white cell, streamed a log page (or a blob) at a time.
    A log that fails its check in its first page answers 409; one found later ends the stream
    early, and the cut bundle is refused by any import."""
    found = await run_read(_bearer_seat, request)
    if found is None:
        return _error(401, "unauthorized", "send 'Authorization: Bearer <seat token>'")
    exercise_id, viewer = found
    if not is_control_viewer(viewer):
        return _error(403, "forbidden", "the exercise bundle is for facilitators and the white cell")
    sink = _Chunks()
    steps = BundleExport(exercise_id, cast(IO[bytes], sink), store=get_service().store).steps()
    try:
        await run_read(_step, steps)
    except BundleError as exc:
        return _error(409, exc.code, exc.message)
    response = StreamingHttpResponse(_chunks(exercise_id, steps, sink), content_type=CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="exercise-{exercise_id}.zip"'
    response["Cache-Control"] = "private, no-store"
    return response


def _step(steps: Iterator[None]) -> bool:
    """One step of the export on a read thread (never the event loop's, nor Channels' database
    thread, and short: a log page or a blob); False at the end."""
    try:
        next(steps)
        return True
    except StopIteration:
        return False


async def _chunks(exercise_id: str, steps: Iterator[None], sink: _Chunks) -> AsyncIterator[bytes]:
    more = True
    while more:
        data = sink.take()
        if data:
            yield data
        try:
            more = await run_read(_step, steps)
        except BundleError as exc:
            logger.error("exercise %s: bundle export stopped: %s", exercise_id, exc.message)
            return
    data = sink.take()
    if data:
        yield data
