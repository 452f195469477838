#!/usr/bin/env bash
# Install everything the server needs into .venv and build the frontend. Pass --dev for test tools.
set -euo pipefail
cd "$(dirname "$0")/.."
extras=""
[ "${1:-}" = "--dev" ] && extras="[dev]"
if [ ! -x .venv/bin/python ]; then
  python3 -m venv .venv
fi
.venv/bin/python -m pip install --quiet --upgrade pip
if .venv/bin/python -m pip show wargame 2>/dev/null | grep -q "^Editable project location: $(pwd)$"; then
  .venv/bin/python -m pip uninstall --quiet -y wargame  # this project's editable install under its old name
fi
# The pinned versions of requirements.lock (scripts/lock.sh) as constraints.
.venv/bin/python -m pip install --quiet -c requirements.lock -e ".${extras}"
.venv/bin/wargame warmup  # compiles the numba kernels once (about 15 s), so the first move is quick
if [ ! -f frontend/dist/index.html ] || [ frontend/package-lock.json -nt frontend/dist/index.html ] \
   || [ -n "$(find frontend/src frontend/schema frontend/index.html -newer frontend/dist/index.html 2>/dev/null | head -1)" ]; then
  (cd frontend && npm ci --no-audit --no-fund --loglevel=error && npm run build)
fi
if [ "${1:-}" = "--dev" ] && { [ ! -d tools/verify-log/node_modules ] \
   || [ tools/verify-log/package-lock.json -nt tools/verify-log/node_modules ]; }; then
  (cd tools/verify-log && npm ci --no-audit --no-fund --loglevel=error)  # the Node log verifier's tests
fi
if [ "${1:-}" = "--dev" ]; then
  # Debian's chromium for the browser tests, nginx for the deployment test (deploy/nginx.conf).
  missing=""
  [ -x /usr/bin/chromium ] || missing="$missing chromium"
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing="$missing nginx-light"
  if [ -n "$missing" ]; then
    echo "installing Debian's$missing for the tests"
    # shellcheck disable=SC2086
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $missing >/dev/null
  fi
fi
