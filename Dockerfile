# The wargame server image: Python app plus the built frontend, run as an unprivileged user.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
# HOME and NUMBA_CACHE_DIR: where the unprivileged user may write (the numba kernel cache);
# WARGAME_STATE_DIR: an SQLite database if DATABASE_URL is not set.
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WARGAME_FRONTEND_DIST=/app/frontend/dist \
    WARGAME_DATA_DIR=/app WARGAME_STATE_DIR=/app/var NUMBA_CACHE_DIR=/app/cache/numba HOME=/app
# libgomp1: GNU OpenMP, the thread-safe layer of the parallel numba kernels (without it they run serially).
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
RUN groupadd --system --gid 10001 wargame \
    && useradd --system --uid 10001 --gid wargame --home-dir /app --no-create-home \
       --shell /usr/sbin/nologin wargame
COPY requirements.lock pyproject.toml README.md ./
COPY wargame/ wargame/
COPY scenarios/ scenarios/
COPY rulesets/ rulesets/
# The pinned versions (scripts/lock.sh) as constraints; the code is root's and read-only to the server.
RUN pip install --no-cache-dir -c requirements.lock . \
    && mkdir -p /app/var /app/cache/numba && chown -R wargame:wargame /app/var /app/cache
COPY --from=frontend /src/frontend/dist /app/frontend/dist
USER wargame:wargame
# warmup compiles the adjudication kernels into numba's cache (NUMBA_CACHE_DIR) inside the image.
RUN wargame warmup
EXPOSE 8000
# SIGTERM drains the websockets (WARGAME_DRAIN_SECONDS, 5) before the process exits.
STOPSIGNAL SIGTERM
CMD ["wargame", "serve", "--host", "0.0.0.0", "--port", "8000"]
