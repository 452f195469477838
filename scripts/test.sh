#!/usr/bin/env bash
# The whole test suite: everything on SQLite + the in-memory layer, then the store and delivery
# tests again on the real PostgreSQL and Redis of this machine.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/install.sh --dev
bash scripts/services.sh
export PYTHONHASHSEED=0
mkdir -p tests/artifacts
echo "== lint and types"
.venv/bin/ruff check wargame tests benchmarks
.venv/bin/mypy wargame
echo "== frontend unit tests (vitest: the fold against recorded streams, the connection, pictures, store slices)"
(cd frontend && npm test)
echo "== all tests but the browser's, on SQLite and the in-memory channel layer"
.venv/bin/pytest -q -rs -m "not browser" "$@"
echo "== browser tests in /usr/bin/chromium (screenshots in tests/artifacts/)"
.venv/bin/pytest -v -rs -m browser "$@"
echo "== store and delivery tests on PostgreSQL and Redis"
DATABASE_URL="${WARGAME_TEST_POSTGRES_URL:-postgres://postgres@127.0.0.1:5432/wargame}" \
REDIS_URL="${WARGAME_TEST_REDIS_URL:-redis://127.0.0.1:6379/0}" \
  .venv/bin/pytest -v -rs -m integration "$@"
echo "== the wheel: built, installed into a fresh venv, serving the tutorial from an empty folder"
bash scripts/wheel_check.sh
