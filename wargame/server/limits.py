"""Per-connection limits: a token bucket for incoming frames, and the send backlog of a socket."""

from __future__ import annotations

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


def direct_writer(base_send: Any) -> Callable[[bytes], None] | None:
    """Write pre-built frames straight to daphne's socket, or None when that is not possible.

    The fan-out builds each frame once per audience; writing it to the Twisted transport skips
    re-encoding and re-framing per socket. Only while the websocket is open (autobahn
    STATE_OPEN); anything else goes through the ASGI `send`.
    """
    args = getattr(base_send, "args", None)
    if not args:
        return None
    protocol = args[0]
    transport = getattr(protocol, "transport", None)
    open_state = getattr(protocol, "STATE_OPEN", None)
    if transport is None or open_state is None or getattr(protocol, "state", None) != open_state:
        return None
    sock = getattr(transport, "socket", None)
    if sock is None or not hasattr(transport, "_tempDataBuffer"):
        write: Callable[[bytes], None] = transport.write
        return write

    def write_now(frame: bytes) -> None:
        """Like asyncio: try the socket at once when nothing is queued, queue the rest."""
        if transport.dataBuffer or transport._tempDataLen:
            transport.write(frame)
            return
        try:
            sent = sock.send(frame)
        except (BlockingIOError, InterruptedError):
            sent = 0
        except OSError:
            transport.write(frame)  # let Twisted notice the broken connection
            return
        if sent < len(frame):
            transport.write(frame[sent:])

    return write_now


def send_backlog(base_send: Any) -> int:
    """Bytes written to this socket but not yet taken by the kernel (0 when unknown).

    Under daphne the ASGI `send` is `partial(server.handle_reply, protocol)`; the protocol's
    Twisted transport buffers what the kernel's socket buffer does not accept. A client that
    stops reading makes this grow without bound, which is how a slow client is recognised.
    """
    args = getattr(base_send, "args", None)
    if not args:
        return 0
    transport = getattr(args[0], "transport", None)
    if transport is None:
        return 0
    buffered = getattr(transport, "dataBuffer", b"")
    offset = getattr(transport, "offset", 0)
    pending = getattr(transport, "_tempDataLen", 0)
    try:
        return max(0, len(buffered) - int(offset)) + int(pending)
    except (TypeError, ValueError):
        return 0
