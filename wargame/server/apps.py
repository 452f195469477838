"""Django app configuration of the wargame server."""

from django.apps import AppConfig


class WargameServerConfig(AppConfig):
    name = "wargame.server"
    label = "wargame"
    verbose_name = "Wargame"
    default_auto_field = "django.db.models.BigAutoField"
