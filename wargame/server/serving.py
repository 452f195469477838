"""Running a server process: daphne with the project's options, access lines through the logging
configuration, and a graceful shutdown.

On SIGTERM (or Ctrl-C) the process stops listening, readiness turns 503, the open websockets
are closed in batches over WARGAME_DRAIN_SECONDS with close code 4503 (clients reconnect, to
another process behind the proxy), then the adjudication pool is ended and the process exits. A
second signal stops it at once.
"""

from __future__ import annotations

import asyncio
import logging
import signal
from types import FrameType
from typing import Any

from daphne.cli import CommandLineInterface
from daphne.server import Server
from twisted.internet import reactor

from wargame.server import lifecycle

logger = logging.getLogger("wargame.server")
access = logging.getLogger("wargame.access")

DAPHNE_OPTIONS = [
    # Sockets of a two-week exercise are not cut after a day (daphne's default is 86400 s).
    "--websocket_timeout",
    "-1",
    # Transport ceiling; frames above 64 KiB and up to this get a structured `too_large`.
    "--websocket-max-message-size",
    str(1024 * 1024),
    "--websocket-max-frame-size",
    str(1024 * 1024),
    # Dead peers are found by websocket pings too (presence comes from application heartbeats).
    "--ping-interval",
    "20",
    "--ping-timeout",
    "30",
]
CLOSE_GRACE_SECONDS = 2.0
"""After the last batch, how long the closes may take to reach their clients."""
QUIET_PATHS = ("/api/health", "/metrics")
"""Probe and scrape requests: access lines at debug level only."""


def access_line(protocol: str, action: str, details: dict[str, Any]) -> None:
    """daphne's action logger: one line per completed HTTP request (sockets log their own)."""
    if protocol != "http" or action != "complete":
        return
    path = str(details.get("path", ""))
    level = logging.DEBUG if path.startswith(QUIET_PATHS) else logging.INFO
    if not access.isEnabledFor(level):
        return
    fields = {
        "method": details.get("method"),
        "path": path,
        "status": details.get("status"),
        "client": details.get("client"),
        "seconds": round(float(details.get("time_taken") or 0.0), 4),
        "bytes": details.get("size"),
    }
    access.log(level, "request", extra=fields)


class DrainingServer(Server):
    """daphne's server, shutting down as the module says."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.action_logger = access_line
        self._ports: list[Any] = []
        self._stopping = False

    def listen_success(self, port: Any) -> None:
        self._ports.append(port)
        super().listen_success(port)
        host = port.getHost()
        logger.info("listening", extra={"host": getattr(host, "host", ""), "port": getattr(host, "port", 0)})

    def run(self) -> None:
        reactor.callWhenRunning(self._take_signals)
        super().run()

    def _take_signals(self) -> None:
        """Replace Twisted's handlers (installed at startup), which stop the reactor at once."""
        signal.signal(signal.SIGTERM, self._on_signal)
        signal.signal(signal.SIGINT, self._on_signal)

    def _on_signal(self, number: int, frame: FrameType | None) -> None:
        reactor.callFromThread(self.shut_down, signal.Signals(number).name)

    def shut_down(self, why: str) -> None:
        if self._stopping:
            logger.warning("second signal: stopping now", extra={"signal": why})
            self.stop()
            return
        self._stopping = True
        logger.info("shutting down", extra={"signal": why, "sockets": len(lifecycle.open_sockets)})
        for port in self._ports:
            port.stopListening()
        asyncio.get_event_loop().create_task(self._drain_then_stop())

    async def _drain_then_stop(self) -> None:
        from django.conf import settings

        try:
            closed = await lifecycle.drain(float(settings.WARGAME["DRAIN_SECONDS"]))
            deadline = asyncio.get_running_loop().time() + CLOSE_GRACE_SECONDS
            while lifecycle.open_sockets and asyncio.get_running_loop().time() < deadline:
                await asyncio.sleep(0.05)
            logger.info("drained", extra={"sockets": closed, "still_open": len(lifecycle.open_sockets)})
        except Exception:
            logger.exception("draining failed; stopping anyway")
        finally:
            end_adjudication_pool()
            self.stop()


def end_adjudication_pool() -> None:
    """End this process's adjudication pool, killing a move in progress: its command, resent by
    the white cell's page to another server, takes its own closing over (services/commands.py)."""
    from wargame.server.runtime import running_service

    service = running_service()
    terminate = getattr(service.adjudicator, "terminate", None) if service is not None else None
    if terminate is not None:
        terminate()


class WargameCommandLine(CommandLineInterface):
    server_class = DrainingServer


def run_server(host: str, port: int, proxy_headers: bool = False) -> int:
    """daphne on host:port with per-message compression off (autobahn accepts no extension
    unless asked) and the graceful shutdown."""
    extra = ["--proxy-headers"] if proxy_headers else []
    WargameCommandLine().run(
        ["-b", host, "-p", str(port), *DAPHNE_OPTIONS, *extra, "wargame.server.asgi:application"]
    )
    return 0
