"""URL routes of the HTTP side."""

from django.contrib import admin
from django.urls import path, re_path

from wargame.server import http, http_bundles, operator_api

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
    path("api/exercises", operator_api.exercises),
    path("api/exercises/<str:exercise_id>", operator_api.exercise),
    path("api/exercises/<str:exercise_id>/control", operator_api.control),
    path("api/exercises/<str:exercise_id>/seats", operator_api.seats),
    path("api/exercises/<str:exercise_id>/seats/<int:seat_id>", operator_api.seat),
    path("admin/", admin.site.urls),
]
