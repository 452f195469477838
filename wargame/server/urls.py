"""URL routes of the HTTP side."""

from django.contrib import admin
from django.urls import path, re_path

from wargame.server import http, http_bundles

urlpatterns = [
    path("", http.index),
    path("play/", http.index),
    re_path(r"^static/app/(?P<path>.+)$", http.app_asset),
    # /api/health, /api/health/live, /api/health/ready and /metrics: health.ProbeMiddleware.
    path("api/log", http.log),
    path("api/log/export", http.log_export),
    path("api/exercise/export", http_bundles.exercise_export),
    path("api/replay", http.replay),
    path("api/picture", http.picture),
    path("api/aar", http.aar),
    path("api/timeline", http.timeline),
    path("api/eeg", http.eeg),
    path("api/cdm", http.cdm),
    path("api/preview", http.preview),
    path("api/sharing-analysis", http.sharing_analysis),
    path("admin/", admin.site.urls),
]
