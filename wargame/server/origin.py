"""Origin checks: a websocket from a missing or foreign Origin is told why, then closed; a
token-authenticated API request from a foreign Origin is refused."""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import ParseResult, urlparse

from channels.security.websocket import AllowedHostsOriginValidator
from django.conf import settings
from django.http import HttpRequest

from wargame.protocol.messages import CLOSE_FORBIDDEN_ORIGIN, SUBPROTOCOL, ErrorMessage

Scope = dict[str, Any]


def _header(scope: Scope, name: bytes) -> str | None:
    for key, value in scope.get("headers", []):
        if key == name:
            return bytes(value).decode("latin1")
    return None


def refusal(origin: str | None) -> ErrorMessage:
    """The error frame a refused socket gets."""
    if origin is None:
        message = (
            "the websocket handshake has no Origin header: a client must send an Origin whose "
            "host is one of the server's WARGAME_ALLOWED_HOSTS (browsers do this themselves)"
        )
    else:
        message = (
            f"Origin {origin[:200]!r} is not allowed: its host must be one of the server's "
            "WARGAME_ALLOWED_HOSTS"
        )
    return ErrorMessage(code="forbidden_origin", message=message)


class OriginCheck:
    """Channels' AllowedHostsOriginValidator, except that a refused socket is accepted just long
    enough to receive one `error` frame (code `forbidden_origin`) and close code 4403, instead of
    a bare HTTP 403 that neither a browser nor a script can read."""

    def __init__(self, application: Any) -> None:
        self.validator = AllowedHostsOriginValidator(application)

    async def __call__(self, scope: Scope, receive: Any, send: Any) -> None:
        origin = _header(scope, b"origin")
        parsed: ParseResult | None = None
        if origin is not None:
            try:
                parsed = urlparse(origin)
            except ValueError:
                parsed = None
        if parsed is not None and self.validator.valid_origin(parsed):
            await self.validator.application(scope, receive, send)
            return
        await self._refuse(scope, receive, send, origin)

    @staticmethod
    async def _refuse(scope: Scope, receive: Any, send: Any, origin: str | None) -> None:
        first = await receive()
        if first.get("type") != "websocket.connect":
            return
        offered = [p.strip() for p in (_header(scope, b"sec-websocket-protocol") or "").split(",")]
        accept: dict[str, Any] = {"type": "websocket.accept"}
        if SUBPROTOCOL in offered:
            accept["subprotocol"] = SUBPROTOCOL
        await send(accept)
        text = json.dumps(refusal(origin).model_dump(mode="json"), separators=(",", ":"))
        await send({"type": "websocket.send", "text": text})
        await send({"type": "websocket.close", "code": CLOSE_FORBIDDEN_ORIGIN})


def http_origin_allowed(request: HttpRequest) -> bool:
    """For the token-authenticated APIs, exempt from CSRF: a request without an Origin header
    (curl, scripts) passes, as Django's CSRF check lets it; one with an Origin passes when that
    is the site's own, one of WARGAME_TRUSTED_ORIGINS, or its host is an allowed host (as for
    websockets)."""
    origin = request.headers.get("Origin")
    if origin is None:
        return True
    if origin == f"{request.scheme}://{request.get_host()}" or origin in settings.CSRF_TRUSTED_ORIGINS:
        return True
    try:
        parsed = urlparse(origin)
    except ValueError:
        return False
    return bool(AllowedHostsOriginValidator(None).valid_origin(parsed))
