"""Django settings: everything deployment-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
import tempfile
from pathlib import Path
from typing import Any

import dj_database_url

from wargame import resources
from wargame.server.logs import logging_config

DATA_DIR = resources.state_dir()
FRONTEND_DIST = Path(os.environ.get("WARGAME_FRONTEND_DIST") or resources.frontend_dist())

PRODUCTION = os.environ.get("WARGAME_PRODUCTION", "") == "1"
DEBUG = not PRODUCTION and os.environ.get("WARGAME_DEBUG", "0") == "1"


def _secret_key() -> str:
    if "WARGAME_SECRET_KEY" in os.environ:
        return os.environ["WARGAME_SECRET_KEY"]
    if PRODUCTION:
        raise RuntimeError("WARGAME_SECRET_KEY must be set when WARGAME_PRODUCTION=1")
    return secrets.token_urlsafe(48)


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = [
    h for h in os.environ.get("WARGAME_ALLOWED_HOSTS", "127.0.0.1,localhost").split(",") if h
]

INSTALLED_APPS = [
    "django.contrib.contenttypes",
    "django.contrib.auth",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.admin",
    "django.contrib.staticfiles",
    "channels",
    "wargame.server.apps.WargameServerConfig",
]
MIDDLEWARE = [
    "wargame.server.health.ProbeMiddleware",  # probes and /metrics first, whatever the Host
    "django.middleware.security.SecurityMiddleware",
    "wargame.server.staticfiles.StaticFilesMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "wargame.server.http.RefuseTamperedLogs",
]
ROOT_URLCONF = "wargame.server.urls"
ASGI_APPLICATION = "wargame.server.asgi.application"
TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ]
        },
    }
]


IDLE_IN_TRANSACTION_SECONDS = float(os.environ.get("WARGAME_IDLE_IN_TRANSACTION_SECONDS", "60"))
"""PostgreSQL ends a session that sits this long inside a transaction without a statement, so
that a paused or stuck process cannot hold locks (an exercise's, a job's) indefinitely. Every
transaction here is short: the adjudication runs outside them."""


CONNECT_TIMEOUT_SECONDS = int(os.environ.get("WARGAME_DB_CONNECT_TIMEOUT_SECONDS", "5"))


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        # Persistent connections (checked before reuse, so a dropped one is replaced).
        config: dict[str, Any] = dict(
            dj_database_url.parse(url, conn_max_age=60, conn_health_checks=True)
        )
        if config["ENGINE"].endswith("sqlite3"):
            config["OPTIONS"] = _SQLITE_OPTIONS
        elif "postgresql" in config["ENGINE"] and IDLE_IN_TRANSACTION_SECONDS > 0:
            idle_ms = int(IDLE_IN_TRANSACTION_SECONDS * 1000)
            options = config.setdefault("OPTIONS", {})
            options["options"] = f"-c idle_in_transaction_session_timeout={idle_ms}"
        if "postgresql" in config["ENGINE"]:
            # A database host that does not answer fails a connection (and readiness) in
            # seconds instead of holding a thread for the operating system's TCP timeout.
            config.setdefault("OPTIONS", {}).setdefault("connect_timeout", CONNECT_TIMEOUT_SECONDS)
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "wargame.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
        "CONN_MAX_AGE": None,
        # A file, as in production (WAL: the read threads read while a command writes); Django's
        # default test database is a shared-cache memory one, where a read fails on a write lock.
        "TEST": {"NAME": str(Path(tempfile.gettempdir()) / f"wargame-test-{os.getpid()}.sqlite3")},
    }


_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _env_int(name: str, default: int) -> int:
    return int(os.environ.get(name, str(default)))


def _env_float(name: str, default: float) -> float:
    return float(os.environ.get(name, str(default)))


GROUP_EXPIRY_SECONDS = _env_int("WARGAME_GROUP_EXPIRY", 86400)


def _channel_layers() -> dict[str, Any]:
    """Only one hub per process and exercise listens, so capacities stay small."""
    url = os.environ.get("REDIS_URL")
    if url:
        return {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {
                    "hosts": [url],
                    "capacity": 1500,
                    "expiry": 60,
                    "group_expiry": GROUP_EXPIRY_SECONDS,
                    "prefix": os.environ.get("WARGAME_LAYER_PREFIX", "asgi"),
                },
            }
        }
    return {
        "default": {
            "BACKEND": "channels.layers.InMemoryChannelLayer",
            "CONFIG": {"group_expiry": GROUP_EXPIRY_SECONDS},
        }
    }


CHANNEL_LAYERS = _channel_layers()

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/django/"
# The admin's files, found in the installed apps and served by WhiteNoise (server/staticfiles.py).
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

WARGAME = {
    "SNAPSHOT_WHEN_BEHIND": _env_int("WARGAME_SNAPSHOT_WHEN_BEHIND", 1000),
    "ADJUDICATION_PROCESSES": _env_int("WARGAME_ADJUDICATION_PROCESSES", 1),
    "PUBLIC_URL": os.environ.get("WARGAME_PUBLIC_URL", "http://127.0.0.1:8000"),
    # "embedded": adjudication in this process's pool; "worker": `wargame worker` processes.
    "ADJUDICATION": os.environ.get("WARGAME_ADJUDICATION", "embedded"),
    "JOB_TIMEOUT_SECONDS": _env_float("WARGAME_JOB_TIMEOUT", 600.0),
    # A move closed for adjudication stays its command's this long; then another advance_move
    # may take it over (the process adjudicating it died). At least the job time limit.
    "ADJUDICATION_LEASE_SECONDS": _env_float("WARGAME_ADJUDICATION_LEASE_SECONDS", 300.0),
    # Threads of a server process that run adjudicating commands (each waits for the core).
    "ADJUDICATION_THREADS": _env_int("WARGAME_ADJUDICATION_THREADS", 4),
    # Worker jobs: a claimed job's lease (renewed every third of it while the job runs; an
    # expired one is taken over by another worker) and the time after which it fails.
    "JOB_LEASE_SECONDS": _env_float("WARGAME_JOB_LEASE_SECONDS", 30.0),
    "JOB_TIME_LIMIT_SECONDS": _env_float("WARGAME_JOB_TIME_LIMIT_SECONDS", 300.0),
    "JOB_MAX_ATTEMPTS": _env_int("WARGAME_JOB_MAX_ATTEMPTS", 3),
    # Value-of-sharing analyses: processes that run them apart from adjudication (0: in the
    # server's analysis thread), a worker job's time limit, and how often progress is recorded.
    "ANALYSIS_PROCESSES": _env_int("WARGAME_ANALYSIS_PROCESSES", 1),
    "ANALYSIS_TIME_LIMIT_SECONDS": _env_float("WARGAME_ANALYSIS_TIME_LIMIT_SECONDS", 7200.0),
    "ANALYSIS_PROGRESS_SECONDS": _env_float("WARGAME_ANALYSIS_PROGRESS_SECONDS", 2.0),
    # Delivery (operational numbers, not game rules).
    "RATE_PER_SECOND": _env_float("WARGAME_RATE_PER_SECOND", 20.0),
    "RATE_BURST": _env_float("WARGAME_RATE_BURST", 60.0),
    # Seats: a socket must say hello this soon; at most this many open sockets per seat.
    "HELLO_TIMEOUT_SECONDS": _env_float("WARGAME_HELLO_TIMEOUT_SECONDS", 10.0),
    "MAX_SOCKETS_PER_SEAT": _env_int("WARGAME_MAX_SOCKETS_PER_SEAT", 8),
    "SLOW_CLIENT_BYTES": _env_int("WARGAME_SLOW_CLIENT_BYTES", 4 * 1024 * 1024),
    "POLL_SECONDS": _env_float("WARGAME_POLL_SECONDS", 2.0),
    "GROUP_RENEW_SECONDS": _env_float(
        "WARGAME_GROUP_RENEW_SECONDS", max(1.0, min(3600.0, GROUP_EXPIRY_SECONDS / 4))
    ),
    "PRESENCE_INTERVAL_SECONDS": _env_float("WARGAME_PRESENCE_INTERVAL", 10.0),
    "PRESENCE_TIMEOUT_SECONDS": _env_float("WARGAME_PRESENCE_TIMEOUT", 45.0),
    "RECENT_EVENTS": _env_int("WARGAME_RECENT_EVENTS", 2000),
    # Threads for delivery reads (catch-up, snapshots), apart from the commands' database thread.
    "READ_THREADS": _env_int("WARGAME_READ_THREADS", 4),
    # Operations (docs/operations.md): each readiness check's time limit; on SIGTERM, the time
    # over which open sockets are closed in batches before the process exits.
    "HEALTH_TIMEOUT_SECONDS": _env_float("WARGAME_HEALTH_TIMEOUT_SECONDS", 2.0),
    "DRAIN_SECONDS": _env_float("WARGAME_DRAIN_SECONDS", 5.0),
}

# Origins (scheme://host[:port]) whose forms Django accepts besides the request's own host: the
# public URL behind a proxy that rewrites Host, or a TLS terminator in front of the proxy.
CSRF_TRUSTED_ORIGINS = [
    o.strip() for o in os.environ.get("WARGAME_TRUSTED_ORIGINS", "").split(",") if o.strip()
]

if PRODUCTION:
    # Cookies only over HTTPS when the public URL is HTTPS (a plain-HTTP deployment could not
    # log in to the admin otherwise); WARGAME_SECURE_COOKIES=1 or 0 decides explicitly.
    _secure = os.environ.get("WARGAME_SECURE_COOKIES", "")
    SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = (
        _secure == "1" if _secure else str(WARGAME["PUBLIC_URL"]).startswith("https://")
    )
    SECURE_CONTENT_TYPE_NOSNIFF = True
    # The proxy (deploy/nginx.conf) says which scheme the browser used.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    if "*" in ALLOWED_HOSTS:
        raise RuntimeError("WARGAME_ALLOWED_HOSTS must list host names when WARGAME_PRODUCTION=1")

LOGGING = logging_config()
