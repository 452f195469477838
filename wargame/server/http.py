"""HTTP endpoints: the built frontend, the projected and raw logs, replays, pictures, CDMs, AARs, EEGs."""

from __future__ import annotations

import mimetypes
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Generic, TypeVar

from asgiref.sync import sync_to_async
from django.conf import settings
from django.db import close_old_connections
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, JsonResponse, StreamingHttpResponse
from django.utils.deprecation import MiddlewareMixin

from wargame.adjudication.picture_resource import CONTENT_TYPE
from wargame.domain.audience import is_control_viewer
from wargame.eventlog.export import CONTENT_TYPES, CSV_COLUMNS, ExportHead, Page, csv_text, read_page
from wargame.eventlog.replay_view import ReplayError
from wargame.eventlog.seat_streams import stream_page
from wargame.eventlog.store import EventStore
from wargame.eventlog.trust import TamperedLog
from wargame.protocol.projection import view_for
from wargame.protocol.seat_snapshot import position_of
from wargame.server.operators import seat_refusal
from wargame.server.runtime import get_service
from wargame.server.seats import find_seat
from wargame.services.cdms import CdmRefused, cdm_for
from wargame.services.commands import ExerciseService
from wargame.services.pictures import PictureExport, PictureRefused, PictureResource, PictureResources
from wargame.services.replays import REPLAY_FORBIDDEN, may_replay, replay_document
from wargame.services.timelines import ReportRefused, Timelines, report_viewer

Cached = TypeVar("Cached")

MAX_LOG_PAGE = 1000


def _dist() -> Path:
    return Path(settings.FRONTEND_DIST)


def index(request: HttpRequest) -> HttpResponse:
    page = _dist() / "index.html"
    if not page.exists():
        return HttpResponse(
            "<h1>Frontend not built</h1><p>Run <code>make demo</code> (or "
            "<code>cd frontend &amp;&amp; npm ci &amp;&amp; npm run build</code>).</p>",
            status=503,
        )
    return HttpResponse(page.read_bytes(), content_type="text/html; charset=utf-8")


def app_asset(request: HttpRequest, path: str) -> HttpResponse:
    root = _dist().resolve()
    target = (root / path).resolve()
    if root not in target.parents or not target.is_file():
        raise Http404(path)
    content_type, _ = mimetypes.guess_type(str(target))
    response = FileResponse(
        target.open("rb"), content_type=content_type or "application/octet-stream"
    )
    response["Cache-Control"] = (
        "public, max-age=31536000, immutable" if "/assets/" in f"/{path}" else "no-cache"
    )
    return response


def _bearer_seat(request: HttpRequest) -> tuple[str, str] | None:
    header = request.headers.get("Authorization", "")
    token = header.removeprefix("Bearer ").strip() if header.startswith("Bearer ") else ""
    found = find_seat(token)
    if found is None:
        return None
    exercise_id, seat = found
    return exercise_id, seat.viewer


def _error(status: int, code: str, message: str) -> JsonResponse:
    return JsonResponse({"type": "error", "code": code, "message": message}, status=status)


def _int_param(request: HttpRequest, name: str, default: int, low: int, high: int) -> int | None:
    raw = request.GET.get(name, str(default))
    try:
        value = int(raw)
    except ValueError:
        return None
    return value if low <= value <= high else None


def log(request: HttpRequest) -> JsonResponse:
    """This seat's stream, one page after position `after`: `{events: [{pos, event}],
    next_after, last_pos}`, projected exactly as on the websocket."""
    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    after = _int_param(request, "after", 0, 0, 2**31)
    limit = _int_param(request, "limit", 500, 1, MAX_LOG_PAGE)
    if after is None or limit is None:
        return _error(
            400, "bad_request", f"after must be >= 0 and limit between 1 and {MAX_LOG_PAGE}"
        )
    service = get_service()
    page = stream_page(service.store, exercise_id, viewer, after, limit)
    projected = [{"pos": pos, "event": view_for(viewer, event)} for pos, event in page]
    last_pos = position_of(viewer, service.state(exercise_id))
    return JsonResponse(
        {"events": projected, "next_after": page[-1][0] if page else after, "last_pos": last_pos}
    )


def aar(request: HttpRequest) -> HttpResponse:
    """The after-action report of this seat's exercise as `?viewer=SEAT` saw it (default: this
    seat): control may ask for any seat's projected report, any other seat for its own only.
    JSON, Markdown, HTML, the HSEEP AAR/IP (docx) or its improvement plan (xlsx)."""
    from wargame.aar import FORMATS, build_report

    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, seat_viewer = found
    fmt = request.GET.get("format", "json")
    if fmt not in FORMATS:
        return _error(400, "bad_request", f"format must be one of {sorted(FORMATS)}")
    content_type, extension, exporter = FORMATS[fmt]
    service = get_service()
    try:
        viewer = report_viewer(service.state(exercise_id), seat_viewer, request.GET.get("viewer"))
    except ReportRefused as refused:
        return _error(refused.status, refused.code, refused.message)
    events = service.store.iter_after(exercise_id, 0)
    body = exporter(build_report(events, viewer, catalogs=service.catalog))
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="aar-{exercise_id}.{extension}"'
    return response


async def log_export(request: HttpRequest) -> HttpResponse:
    """`GET /api/log/export?format=jsonl|csv`: the raw log of this seat's exercise, every envelope
    with its exact hashed text, hash and recipe (docs/log-format.md), for facilitators and the
    white cell. Streamed a store page at a time, whatever the log's size. A tampered log is
    exported too: finding the bad line is what the export is for."""
    found = await sync_to_async(_bearer_seat, thread_sensitive=False)(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    if not is_control_viewer(viewer):
        return _error(403, "forbidden", "the raw log is for facilitators and the white cell")
    fmt = request.GET.get("format", "jsonl")
    if fmt not in CONTENT_TYPES:
        return _error(400, "bad_request", f"format must be one of {sorted(CONTENT_TYPES)}")
    response = StreamingHttpResponse(_export_chunks(exercise_id, fmt), content_type=CONTENT_TYPES[fmt])
    response["Content-Disposition"] = f'attachment; filename="log-{exercise_id}.{fmt}"'
    response["Cache-Control"] = "private, no-store"
    return response


async def _export_chunks(exercise_id: str, fmt: str) -> AsyncIterator[bytes]:
    store = get_service().store
    head = ExportHead()
    if fmt == "csv":
        yield csv_text([CSV_COLUMNS]).encode("utf-8")
    after = 0
    while True:
        page = await sync_to_async(_export_page, thread_sensitive=False)(store, exercise_id, fmt, after, head)
        if page.text:
            yield page.text.encode("utf-8")
        if page.done:
            return
        after = page.after


def _export_page(store: EventStore, exercise_id: str, fmt: str, after: int, head: ExportHead) -> Page:
    """One page, read in a worker thread (never on the event loop's)."""
    close_old_connections()
    try:
        return read_page(store, exercise_id, fmt, after, head)
    finally:
        close_old_connections()


class RefuseTamperedLogs(MiddlewareMixin):
    """A view that loads an exercise whose log fails its check answers 409 with a structured
    error naming it (the services logged it when they found it)."""

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, TamperedLog):
            return _error(409, "log_tampered", str(exception))
        return None


def eeg(request: HttpRequest) -> HttpResponse:
    """`GET /api/eeg[?format=docx]`: the Exercise Evaluation Guides (one form per objective, with
    its critical tasks and the observations and rating recorded so far), for control seats."""
    from wargame.aar.eeg import EEG_CONTENT_TYPE, evaluation_guides, export_eeg_docx

    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    if not is_control_viewer(viewer):
        return _error(403, "forbidden", "evaluation guides are for evaluators, facilitators, white cell")
    fmt = request.GET.get("format", "json")
    if fmt not in ("json", "docx"):
        return _error(400, "bad_request", "format must be json or docx")
    guides = evaluation_guides(get_service().state(exercise_id))
    if fmt == "json":
        return JsonResponse(guides)
    response = HttpResponse(export_eeg_docx(guides), content_type=EEG_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="eeg-{exercise_id}.docx"'
    return response


def cdm(request: HttpRequest) -> HttpResponse:
    """`GET /api/cdm?warning=ID[&for=NATION][&format=kvn|xml]`: the CCSDS CDM (KVN, or NDM/XML)
    of a conjunction warning this seat holds: a team its own and those partners shared with it;
    control any (`for`: the copy a nation received, default the computing nation's). 404 alike
    for a warning of someone else's and for none at all."""
    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    warning_id = request.GET.get("warning", "")
    if not warning_id:
        return _error(400, "bad_request", "name the warning: /api/cdm?warning=<warning id>")
    receiver = request.GET.get("for") or None
    try:
        fmt = request.GET.get("format", "kvn")
        document = cdm_for(get_service().state(exercise_id), viewer, warning_id, receiver, fmt)
    except CdmRefused as refused:
        return _error(refused.status, refused.code, refused.message)
    response = HttpResponse(document.text.encode("utf-8"), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


class _PerService(Generic[Cached]):
    """One cache object of the current service (tests replace the service; the cache follows)."""

    def __init__(self, make: Callable[[ExerciseService], Cached]) -> None:
        self.make = make
        self.current: Cached | None = None
        self.service: ExerciseService | None = None

    def __call__(self) -> Cached:
        service = get_service()
        if self.current is None or self.service is not service:
            self.current, self.service = self.make(service), service
        return self.current


_timeline_cache = _PerService(Timelines)


def timeline(request: HttpRequest) -> JsonResponse:
    """`GET /api/timeline?viewer=SEAT[&type=T][&actor=A][&move=M]`: the AAR timeline as that seat
    was sent it, grouped for people (wargame.aar.timeline); who may ask for whom as /api/aar."""
    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, seat_viewer = found
    move = _int_param(request, "move", 0, 0, 2**31) if request.GET.get("move") else None
    if request.GET.get("move") and move is None:
        return _error(400, "bad_request", "move must be a move number (0 or more)")
    timelines = _timeline_cache()
    try:
        viewer = report_viewer(timelines.service.state(exercise_id), seat_viewer, request.GET.get("viewer"))
    except ReportRefused as refused:
        return _error(refused.status, refused.code, refused.message)
    grouped = timelines.grouped(
        exercise_id, viewer, event_type=request.GET.get("type"), actor=request.GET.get("actor"),
        move=move,
    )
    response = JsonResponse(grouped)
    response["Cache-Control"] = "private, no-cache"
    return response


def sharing_analysis(request: HttpRequest) -> JsonResponse:
    """`GET /api/sharing-analysis`: the value-of-sharing analyses of this seat's exercise (white
    cell and facilitators): each request's phase and progress, and the latest result's tables.
    A request is a command (request_sharing_analysis); it runs in the background."""
    from wargame.services.sharing_analysis import analyses_view

    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    if not is_control_viewer(viewer):
        return _error(403, "forbidden", "sharing analyses are for facilitators and the white cell")
    return JsonResponse(analyses_view(get_service(), exercise_id))


MAX_PREVIEW_SAMPLES = 10_000


def preview(request: HttpRequest) -> JsonResponse:
    """Monte Carlo preview for the white cell: `?inject=ID&samples=N` (no inject: the whole move)."""
    from wargame.services.preview import UnknownInject, preview_outcomes

    found = _bearer_seat(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    if viewer != "white_cell":
        return _error(403, "forbidden", "previews are for the white cell")
    samples = _int_param(request, "samples", 1000, 1, MAX_PREVIEW_SAMPLES)
    if samples is None:
        return _error(400, "bad_request", f"samples must be between 1 and {MAX_PREVIEW_SAMPLES}")
    state = get_service().state(exercise_id)
    try:
        return JsonResponse(preview_outcomes(state, request.GET.get("inject") or None, samples))
    except UnknownInject as exc:
        return _error(404, "not_found", f"no inject {exc.args[0]!r} in the MSEL")


def _replay(request: HttpRequest) -> JsonResponse:
    """In a worker thread of its own (folding from a move's snapshot to a seq of a large log
    takes a while): never on the thread that serves the websocket commands."""
    close_old_connections()
    try:
        found = _bearer_seat(request)
        if found is None:
            return seat_refusal(request)
        exercise_id, viewer = found
        if not may_replay(viewer):
            return _error(403, "forbidden", REPLAY_FORBIDDEN)
        seat = request.GET.get("viewer", "")
        if not seat:
            return _error(400, "bad_request", "name the seat to replay: viewer=team:USA, white_cell...")
        service = get_service()
        raw_at = request.GET.get("at")
        at = _int_param(request, "at", 0, 1, 2**31) if raw_at else service.store.read_last_seq(exercise_id)
        if at is None:
            return _error(400, "bad_request", "at must be a seq: a whole number >= 1")
        try:
            document = replay_document(service, exercise_id, seat, at)
        except ReplayError as exc:
            return _error(404 if exc.code == "not_found" else 400, exc.code, str(exc))
        response = JsonResponse(document, json_dumps_params={"ensure_ascii": False})
        response["Cache-Control"] = "private, no-cache"
        return response
    finally:
        close_old_connections()


async def replay(request: HttpRequest) -> JsonResponse:
    """`GET /api/replay?viewer=SEAT&at=SEQ`: what `wargame replay` prints, for the white cell and
    facilitators: that seat's snapshot had it joined right after seq SEQ (default: the log's
    last), the event it got there, its picture's and the truth's URLs, the move markers."""
    response: JsonResponse = await sync_to_async(_replay, thread_sensitive=False)(request)
    return response


_picture_resources = _PerService(PictureResources)


def _picture_resource(
    exercise_id: str, viewer: str, move: int | None, nation: str | None, truth: bool, at: int | None
) -> PictureResource:
    """In a worker thread of its own (rendering takes up to a second at 47,000 objects): never on
    the thread that serves the websocket commands."""
    close_old_connections()
    try:
        return _picture_resources().get(exercise_id, viewer, move, nation, truth, at)
    finally:
        close_old_connections()


def _export_in_thread(
    exercise_id: str, viewer: str, move: int | None, nation: str | None, fmt: str
) -> PictureExport:
    close_old_connections()
    try:
        return _picture_resources().export(exercise_id, viewer, move, nation, fmt)
    finally:
        close_old_connections()


async def _picture_export(
    exercise_id: str, viewer: str, move: int | None, nation: str | None, fmt: str
) -> HttpResponse:
    """The picture as a file (`format=csv|omm-kvn|omm-xml|omm-json`), projected as the picture
    itself: a team its own estimates, control any nation's; never the truth."""
    try:
        document = await sync_to_async(_export_in_thread, thread_sensitive=False)(
            exercise_id, viewer, move, nation, fmt
        )
    except PictureRefused as refused:
        return _error(refused.status, refused.code, refused.message)
    response = HttpResponse(document.text.encode("utf-8"), content_type=document.content_type)
    response["Content-Disposition"] = f'attachment; filename="{document.filename}"'
    response["Cache-Control"] = "private, no-cache"
    response["Vary"] = "Authorization"
    return response


async def picture(request: HttpRequest) -> HttpResponse:
    """`GET /api/picture?move=M[&nation=N|&truth=1][&at=SEQ][&format=F]`: a seat's SSA picture
    (`wargame.picture/1`): a team's own estimates; control any nation's, or the ground truth,
    and with `at` (replay) as of that seq of the log. Immutable per URL. With `format` (csv,
    omm-kvn, omm-xml, omm-json), the picture as a file."""
    found = await sync_to_async(_bearer_seat, thread_sensitive=False)(request)
    if found is None:
        return seat_refusal(request)
    exercise_id, viewer = found
    raw_move = request.GET.get("move")
    move = _int_param(request, "move", 0, 0, 100_000) if raw_move is not None else None
    if raw_move is not None and move is None:
        return _error(400, "bad_request", "move must be a whole number >= 0")
    truth = request.GET.get("truth") in ("1", "true")
    nation = request.GET.get("nation") or None
    if request.GET.get("format"):
        if truth:
            return _error(400, "bad_request", "the ground truth is not exported; ask for a nation's picture")
        return await _picture_export(exercise_id, viewer, move, nation, request.GET["format"])
    raw_at = request.GET.get("at")
    at = _int_param(request, "at", 0, 1, 2**31) if raw_at is not None else None
    if raw_at is not None and at is None:
        return _error(400, "bad_request", "at must be a seq: a whole number >= 1")
    try:
        resource = await sync_to_async(_picture_resource, thread_sensitive=False)(
            exercise_id, viewer, move, nation, truth, at
        )
    except PictureRefused as refused:
        return _error(refused.status, refused.code, refused.message)
    etag = f'"{resource.etag}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    elif "gzip" in request.headers.get("Accept-Encoding", ""):
        response = HttpResponse(resource.gzipped, content_type=CONTENT_TYPE)
        response["Content-Encoding"] = "gzip"
    else:
        response = HttpResponse(resource.data, content_type=CONTENT_TYPE)
    response["ETag"] = etag
    response["Vary"] = "Authorization, Accept-Encoding"
    immutable = "private, max-age=31536000, immutable"
    response["Cache-Control"] = immutable if move is not None else "private, no-cache"
    return response
