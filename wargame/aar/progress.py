"""Progress of a long AAR build or export, told to whoever listens (the command line's stderr)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar

Listener = Callable[[str], None]

EVERY_EVENTS = 2000
"""A report being built tells its progress every this many events read (and at each move)."""

_listener: ContextVar[Listener | None] = ContextVar("aar_progress", default=None)


@contextmanager
def reporting_to(listener: Listener | None) -> Iterator[None]:
    """Within the block, `note` calls `listener` (None: nobody listens)."""
    token = _listener.set(listener)
    try:
        yield
    finally:
        _listener.reset(token)


def note(message: str) -> None:
    """Tell the listener of this context, if any, how far the work has got."""
    listener = _listener.get()
    if listener is not None:
        listener(message)


def listening() -> bool:
    return _listener.get() is not None
