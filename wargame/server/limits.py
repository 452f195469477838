"""Limits: a token bucket for incoming frames shared by a seat's sockets, and a socket's send backlog."""

from __future__ import annotations

import contextlib
import socket
import time
from collections.abc import Callable
from typing import Any


class TokenBucket:
    """`rate` frames per second on average, bursts of up to `burst` frames."""

    def __init__(self, rate: float, burst: float, clock: Callable[[], float] = time.monotonic) -> None:
        self.rate = rate
        self.burst = burst
        self.tokens = burst
        self.clock = clock
        self.stamp = clock()

    def take(self) -> bool:
        """Spend one token if there is one."""
        now = self.clock()
        self.tokens = min(self.burst, self.tokens + (now - self.stamp) * self.rate)
        self.stamp = now
        if self.tokens >= 1.0:
            self.tokens -= 1.0
            return True
        return False


    def full_at(self) -> float:
        """The clock time at which the bucket is full again if nothing more is taken."""
        return self.stamp + max(0.0, self.burst - self.tokens) / self.rate if self.rate > 0 else float("inf")


class SeatBuckets:
    """One token bucket per seat (by token hash) in this process, shared by all its sockets.

    A bucket outlives its last socket until it has refilled, so closing and reopening sockets
    does not reset a seat's budget.
    """

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self.clock = clock
        self._buckets: dict[str, TokenBucket] = {}
        self._sockets: dict[str, int] = {}

    def acquire(self, key: str, rate: float, burst: float) -> TokenBucket:
        """The seat's bucket, for one more socket of it."""
        self._prune()
        bucket = self._buckets.get(key)
        if bucket is None:
            bucket = self._buckets[key] = TokenBucket(rate, burst, self.clock)
        self._sockets[key] = self._sockets.get(key, 0) + 1
        return bucket

    def release(self, key: str) -> None:
        """One socket of the seat closed."""
        left = self._sockets.get(key, 0) - 1
        if left > 0:
            self._sockets[key] = left
        else:
            self._sockets.pop(key, None)
        self._prune()

    def __len__(self) -> int:
        return len(self._buckets)

    def _prune(self) -> None:
        now = self.clock()
        idle = [k for k, b in self._buckets.items() if k not in self._sockets and b.full_at() <= now]
        for key in idle:
            del self._buckets[key]


seat_buckets = SeatBuckets()
"""The process's per-seat buckets (the event loop is single-threaded; each call is synchronous)."""


def text_frame(payload: bytes) -> bytes:
    """One unmasked, final websocket text frame (RFC 6455 section 5.2), as a server sends it."""
    size = len(payload)
    if size < 126:
        header = bytes((0x81, size))
    elif size < 65536:
        header = bytes((0x81, 126)) + size.to_bytes(2, "big")
    else:
        header = bytes((0x81, 127)) + size.to_bytes(8, "big")
    return header + payload


# What happened to a frame handed to `DirectSocket.write` (plain ints: this is the per-socket loop).
SENT = 0  # written, or dropped because the websocket is closing (its page resumes)
SLOW = 1  # not written: more than the limit is already waiting for this client
LATER = 2  # not written: no direct path to this socket; send it through ASGI instead


class DirectSocket:
    """daphne's Twisted transport of one open websocket, looked up once, for the hub's fan-out.

    The hub builds each event frame once per audience; `write` puts it on the socket directly
    (no per-socket re-encoding, framing or coroutine): like asyncio, it tries the kernel at once
    when nothing is queued and leaves only the rest to Twisted's buffer. What that buffer holds
    is how a client that stops reading is recognised.
    """

    __slots__ = ("open_state", "protocol", "sock", "transport")

    def __init__(self, protocol: Any, transport: Any, sock: Any, open_state: Any) -> None:
        self.protocol = protocol
        self.transport = transport
        self.sock = sock
        self.open_state = open_state

    @classmethod
    def resolve(cls, base_send: Any, kernel_buffer: int = 0) -> DirectSocket | None:
        """The socket behind daphne's ASGI `send` (`partial(server.handle_reply, protocol)`),
        or None when it is not (or not yet) an open websocket on a Twisted transport.

        Also turns Nagle's algorithm off, as asyncio (and so the bare server) does for every
        TCP socket: a small frame written while an earlier one is still unacknowledged must not
        wait for the peer's delayed ACK. With `kernel_buffer` > 0 the socket's kernel send
        buffer is capped near that size (SO_SNDBUF; Linux doubles the value asked for): on
        loopback the kernel otherwise grows it to 4 MiB, all of which a stalled client would
        hold before anything reached Twisted's buffer, where `write` sees the backlog.
        """
        args = getattr(base_send, "args", None)
        if not args:
            return None
        protocol = args[0]
        transport = getattr(protocol, "transport", None)
        open_state = getattr(protocol, "STATE_OPEN", None)
        if transport is None or open_state is None or getattr(protocol, "state", None) != open_state:
            return None
        set_no_delay = getattr(transport, "setTcpNoDelay", None)
        if set_no_delay is not None:
            with contextlib.suppress(Exception):
                set_no_delay(True)
        sock = getattr(transport, "socket", None)
        if kernel_buffer > 0 and sock is not None:
            with contextlib.suppress(Exception):
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_SNDBUF, max(4096, kernel_buffer // 2))
        if sock is None or not all(
            hasattr(transport, a) for a in ("dataBuffer", "offset", "_tempDataLen", "connected")
        ):
            sock = None  # not a plain TCP transport (e.g. TLS in daphne): its own write only
        return cls(protocol, transport, sock, open_state)

    def write(self, frame: bytes, limit: int) -> int:
        """Send a ready-made frame unless more than `limit` bytes already wait: SENT or SLOW."""
        if self.protocol.state != self.open_state:
            return SENT  # closing: nothing more may follow its close frame
        transport = self.transport
        sock = self.sock
        if sock is None:
            transport.write(frame)
            return SENT
        queued = transport._tempDataLen
        buffered = transport.dataBuffer
        if queued or buffered:
            if len(buffered) - transport.offset + queued > limit:
                return SLOW
            transport.write(frame)  # behind what is already queued
            return SENT
        if not transport.connected:
            return SENT  # Twisted drops writes to a lost connection too
        try:
            sent = sock.send(frame)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            transport.write(frame)  # let Twisted notice the broken connection
            return SENT
        if sent < len(frame):
            transport.write(frame[sent:])
        return SENT

    def backlog(self) -> int:
        """Bytes written but not yet taken by the kernel."""
        transport = self.transport
        if self.sock is None:
            return 0
        return max(0, len(transport.dataBuffer) - int(transport.offset)) + int(transport._tempDataLen)
