"""The ASGI application: HTTP through Django, websockets through the origin check to the consumer."""

from __future__ import annotations

import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wargame.server.settings")

from channels.routing import ProtocolTypeRouter, URLRouter
from django.core.asgi import get_asgi_application
from django.urls import path

django_asgi_app = get_asgi_application()

from wargame.services.memory import map_large_blocks  # noqa: E402

map_large_blocks()  # big arrays (pictures, records) go back to the system when freed

from wargame.server.consumers import ExerciseConsumer  # noqa: E402
from wargame.server.origin import OriginCheck  # noqa: E402

websocket_routes = URLRouter([path("ws/exercise/", ExerciseConsumer.as_asgi())])

application = ProtocolTypeRouter(
    {
        "http": django_asgi_app,
        "websocket": OriginCheck(websocket_routes),
    }
)
