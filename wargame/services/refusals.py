"""Why a seat's request for a resource is refused: an HTTP status, an error code and a message."""

from __future__ import annotations


class Refused(Exception):
    """A refusal the HTTP layer turns into `{"type": "error", "code", "message"}` at `status`."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message)
        self.status, self.code, self.message = status, code, message
