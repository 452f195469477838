"""Liveness and readiness: `/api/health/live` (the process answers) and `/api/health/ready`
(`/api/health` too): the database answers a query and the channel layer carries a message to
this process and back, each within WARGAME_HEALTH_TIMEOUT_SECONDS; 503 with a JSON body naming
what failed, and 503 while the process drains its sockets on shutdown.

The probes and the metrics scrape (`/metrics`, server/metrics.py) are answered before any
other middleware, whatever the Host header: a container's or an orchestrator's probe and a
Prometheus scrape call 127.0.0.1, a pod's address or a service name, not the public host name
that WARGAME_ALLOWED_HOSTS lists, and these answers build nothing from the host. The proxy
keeps `/metrics` inside (deploy/nginx.conf).
"""

from __future__ import annotations

import asyncio
import logging
import time
import uuid
from collections.abc import Awaitable, Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Any

from asgiref.sync import markcoroutinefunction
from channels.layers import get_channel_layer
from django.conf import settings
from django.db import connections
from django.db.utils import ConnectionHandler
from django.http import HttpRequest, HttpResponse, JsonResponse

from wargame.server import lifecycle
from wargame.server.metrics import METRICS_PATH, metrics

logger = logging.getLogger(__name__)

LIVE_PATH = "/api/health/live"
READY_PATHS = ("/api/health/ready", "/api/health")
_probes = ThreadPoolExecutor(max_workers=2, thread_name_prefix="wargame-health")
"""Database probes run here, apart from the commands' and the reads' threads: a database that
hangs ties up at most these two."""


def _timeout() -> float:
    return float(settings.WARGAME["HEALTH_TIMEOUT_SECONDS"])


def _failure(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    return f"{type(exc).__name__}: {text}"[:300] if text else type(exc).__name__


def _query(handler: ConnectionHandler, alias: str) -> None:
    """A new connection each time (then closed): readiness includes that one can be made."""
    connection = handler[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()


async def check_database(
    timeout_s: float, handler: ConnectionHandler = connections, alias: str = "default"
) -> dict[str, Any]:
    """`{ok, seconds}` or `{ok: false, error}` for a `SELECT 1` on the database."""
    started = time.perf_counter()
    loop = asyncio.get_running_loop()
    try:
        await asyncio.wait_for(loop.run_in_executor(_probes, _query, handler, alias), timeout_s)
    except TimeoutError:
        return {"ok": False, "error": f"no answer within {timeout_s:g} s"}
    except Exception as exc:
        return {"ok": False, "error": _failure(exc)}
    return {"ok": True, "seconds": round(time.perf_counter() - started, 4)}


async def check_channel_layer(timeout_s: float, layer: Any = None) -> dict[str, Any]:
    """`{ok, seconds}` or `{ok: false, error}` for a message sent on the channel layer to a
    channel of its own and received back."""
    layer = layer if layer is not None else get_channel_layer()
    if layer is None:
        return {"ok": False, "error": "no channel layer is configured"}
    started = time.perf_counter()
    channel = f"wargame-health.{uuid.uuid4().hex}"
    nonce = uuid.uuid4().hex

    async def round_trip() -> None:
        await layer.send(channel, {"type": "health.ping", "nonce": nonce})
        message = await layer.receive(channel)
        if message.get("nonce") != nonce:
            raise RuntimeError("the layer returned another message")

    try:
        await asyncio.wait_for(round_trip(), timeout_s)
    except TimeoutError:
        return {"ok": False, "error": f"no round trip within {timeout_s:g} s"}
    except Exception as exc:
        return {"ok": False, "error": _failure(exc)}
    return {"ok": True, "seconds": round(time.perf_counter() - started, 4)}


async def readiness(
    timeout_s: float | None = None,
    database: Callable[[float], Awaitable[dict[str, Any]]] = check_database,
    layer: Callable[[float], Awaitable[dict[str, Any]]] = check_channel_layer,
) -> tuple[int, dict[str, Any]]:
    """(status, body): 200 when every check passed, else 503 naming the ones that failed."""
    if lifecycle.draining():
        return 503, {"status": "draining", "failed": ["draining"], "checks": {}}
    wait = _timeout() if timeout_s is None else timeout_s
    db, ch = await asyncio.gather(database(wait), layer(wait))
    checks = {"database": db, "channel_layer": ch}
    failed = [name for name, check in checks.items() if not check["ok"]]
    if failed:
        logger.warning("not ready", extra={"failed": failed, "checks": checks})
        return 503, {"status": "unavailable", "failed": failed, "checks": checks}
    return 200, {"status": "ok", "failed": [], "checks": checks}


async def ready(request: HttpRequest) -> JsonResponse:
    status, body = await readiness()
    return JsonResponse(body, status=status)


async def live(request: HttpRequest) -> JsonResponse:
    return JsonResponse({"status": "ok", "draining": lifecycle.draining()})


class ProbeMiddleware:
    """Answers the probes and the scrape first (any Host, no session, no CSRF); everything else
    passes on."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        markcoroutinefunction(self)

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method in ("GET", "HEAD"):
            if request.path == LIVE_PATH:
                return await live(request)
            if request.path in READY_PATHS:
                return await ready(request)
            if request.path == METRICS_PATH:
                return await metrics(request)
        return await self.get_response(request)
