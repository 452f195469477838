"""Django project: settings, models, ASGI app, consumers, HTTP API and admin (the outer adapter)."""
