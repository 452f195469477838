#!/usr/bin/env bash
# The delivery figures of docs/benchmarks.md (Delivery): fan-out vs a bare server, and the load test.
set -euo pipefail
cd "$(dirname "$0")/.."
bash scripts/services.sh >/dev/null
.venv/bin/wargame bench fanout --clients "${WARGAME_BENCH_CLIENTS:-500}" --json
.venv/bin/wargame loadtest --clients "${WARGAME_LOAD_CLIENTS:-1000}" --servers 2 --moves 4 --json
