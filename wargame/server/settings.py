"""Django settings: everything deployment-specific comes from the environment."""

from __future__ import annotations

import os
import secrets
from pathlib import Path
from typing import Any

import dj_database_url

REPO_DIR = Path(__file__).resolve().parent.parent.parent
DATA_DIR = Path(os.environ.get("WARGAME_STATE_DIR", REPO_DIR / "var"))
FRONTEND_DIST = Path(os.environ.get("WARGAME_FRONTEND_DIST", REPO_DIR / "frontend" / "dist"))

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
    "channels",
    "wargame.server.apps.WargameServerConfig",
]
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
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


def _database() -> dict[str, Any]:
    url = os.environ.get("DATABASE_URL")
    if url:
        config: dict[str, Any] = dict(dj_database_url.parse(url, conn_max_age=0))
        if config["ENGINE"].endswith("sqlite3"):
            config["OPTIONS"] = _SQLITE_OPTIONS
        return config
    DATA_DIR.mkdir(parents=True, exist_ok=True)
    return {
        "ENGINE": "django.db.backends.sqlite3",
        "NAME": str(DATA_DIR / "wargame.sqlite3"),
        "OPTIONS": _SQLITE_OPTIONS,
    }


_SQLITE_OPTIONS = {
    "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
    "transaction_mode": "IMMEDIATE",
    "timeout": 30,
}
DATABASES = {"default": _database()}
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"


def _channel_layers() -> dict[str, Any]:
    url = os.environ.get("REDIS_URL")
    if url:
        return {
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url], "capacity": 1500, "expiry": 60, "group_expiry": 86400},
            }
        }
    return {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}


CHANNEL_LAYERS = _channel_layers()

USE_TZ = True
TIME_ZONE = "UTC"
LANGUAGE_CODE = "en"
STATIC_URL = "/static/django/"

WARGAME = {
    "SNAPSHOT_WHEN_BEHIND": int(os.environ.get("WARGAME_SNAPSHOT_WHEN_BEHIND", "1000")),
    "ADJUDICATION_PROCESSES": int(os.environ.get("WARGAME_ADJUDICATION_PROCESSES", "1")),
    "PUBLIC_URL": os.environ.get("WARGAME_PUBLIC_URL", "http://127.0.0.1:8000"),
}

if PRODUCTION:
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    SECURE_CONTENT_TYPE_NOSNIFF = True

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("WARGAME_LOG_LEVEL", "WARNING")},
}
