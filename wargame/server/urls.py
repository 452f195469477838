"""URL routes of the HTTP side."""

from django.contrib import admin
from django.urls import path, re_path

from wargame.server import http

urlpatterns = [
    path("", http.index),
    path("play/", http.index),
    re_path(r"^static/app/(?P<path>.+)$", http.app_asset),
    path("api/health", http.health),
    path("api/log", http.log),
    path("api/replay", http.replay),
    path("api/picture", http.picture),
    path("api/aar", http.aar),
    path("api/cdm", http.cdm),
    path("api/preview", http.preview),
    path("admin/", admin.site.urls),
]
