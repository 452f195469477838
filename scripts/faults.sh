#!/usr/bin/env bash
# Fault scripts: kill -9 a server mid-move, restart Redis, restart everything, drop the database
# connections. Each starts its own topology (2 servers + worker, a fresh PostgreSQL database and
# its own redis-server on port ${WARGAME_FAULT_REDIS_PORT:-6390}, never the shared Redis), plays
# two moves with clients on both servers, breaks things during the first advance, and checks
# that nothing was lost and the hash chain is intact. Exit code 0 when every fault passes.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
exec .venv/bin/wargame fault "${1:-all}" --clients "${WARGAME_FAULT_CLIENTS:-60}" \
  --redis-port "${WARGAME_FAULT_REDIS_PORT:-6390}" "${@:2}"
