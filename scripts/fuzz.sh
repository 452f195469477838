#!/usr/bin/env bash
# Fuzzing: >= 100,000 malformed, oversized and unauthorized frames against a local server.
set -euo pipefail
cd "$(dirname "$0")/.."
exec .venv/bin/wargame fuzz --frames "${WARGAME_FUZZ_FRAMES:-100000}" "$@"
