# The wargame server image: Python app plus the built frontend.
FROM node:20-bookworm-slim AS frontend
WORKDIR /src/frontend
COPY frontend/package.json frontend/package-lock.json ./
RUN npm ci --no-audit --no-fund
COPY frontend/ ./
RUN npm run build

FROM python:3.11-slim-bookworm
WORKDIR /app
ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1 WARGAME_FRONTEND_DIST=/app/frontend/dist
# libgomp1: GNU OpenMP, the thread-safe layer of the parallel numba kernels (without it they run serially).
RUN apt-get update && apt-get install -y --no-install-recommends libgomp1 && rm -rf /var/lib/apt/lists/*
COPY pyproject.toml README.md ./
COPY wargame/ wargame/
COPY scenarios/ scenarios/
COPY rulesets/ rulesets/
ENV WARGAME_DATA_DIR=/app
# warmup compiles the adjudication kernels into numba's cache inside the image.
RUN pip install --no-cache-dir . && wargame warmup
COPY --from=frontend /src/frontend/dist /app/frontend/dist
EXPOSE 8000
CMD ["wargame", "serve", "--host", "0.0.0.0", "--port", "8000"]
