"""The admin's static files (CSS, JS, images), served by WhiteNoise without leaving the event loop
for anything else.

WhiteNoise's middleware is synchronous: in the middleware chain it would send every HTTP request
through Django's one thread for synchronous code, the thread that also runs the websockets'
commands. Here an asynchronous middleware hands only requests under STATIC_URL to WhiteNoise, on
a thread of its own, and reads the (small) file there; WhiteNoise still decides the headers
(caching, ETag and Last-Modified with 304s, HEAD, ranges, content type). The files are found
where the installed apps keep them (WHITENOISE_USE_FINDERS), so no `collectstatic` step is
needed and an installed wheel serves them as they are.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable
from typing import Any

from asgiref.sync import markcoroutinefunction, sync_to_async
from django.conf import settings
from django.http import HttpRequest, HttpResponse
from whitenoise.middleware import WhiteNoiseMiddleware


def _not_static(request: HttpRequest) -> HttpResponse:
    return HttpResponse(status=404)


class StaticFilesMiddleware:
    """Serves STATIC_URL from WhiteNoise's file table; every other request passes on."""

    sync_capable = False
    async_capable = True

    def __init__(self, get_response: Callable[[HttpRequest], Awaitable[HttpResponse]]) -> None:
        self.get_response = get_response
        self.prefix = str(settings.STATIC_URL)
        self.whitenoise = WhiteNoiseMiddleware(get_response=_not_static)
        markcoroutinefunction(self)

    def _serve(self, request: HttpRequest) -> HttpResponse:
        """WhiteNoise's answer with its body read here (not streamed from the event loop)."""
        answer: Any = self.whitenoise(request)
        if not getattr(answer, "streaming", False):
            return answer
        try:
            body = b"".join(answer.streaming_content)
        finally:
            answer.close()
        response = HttpResponse(body, status=answer.status_code)
        del response["Content-Type"]
        for key, value in answer.items():
            response[key] = value
        return response

    async def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(self.prefix) and request.method in ("GET", "HEAD"):
            return await sync_to_async(self._serve, thread_sensitive=False)(request)
        return await self.get_response(request)
