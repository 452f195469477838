#!/usr/bin/env bash
# Install everything the server needs into .venv and build the frontend. Pass --dev for test tools.
# Quiet when nothing is wrong: each step's output is kept and shown only if the step fails. Work
# already done is skipped, and the Python side (pip, numba warmup) runs beside the frontend's.
set -euo pipefail
cd "$(dirname "$0")/.."
dev=""
[ "${1:-}" = "--dev" ] && dev=1
extras=""
[ -n "$dev" ] && extras="[dev]"
logs=$(mktemp -d)
trap 'rm -rf "$logs"' EXIT

# step NAME CMD...: run CMD with its output in $logs/NAME; on failure print that output and fail.
step() {
  local name=$1
  shift
  if ! "$@" > "$logs/$name.log" 2>&1; then
    echo "scripts/install.sh: '$*' failed:" >&2
    grep -v "^WARNING: Location 'file:" "$logs/$name.log" >&2 || true
    return 1
  fi
}

python_side() {
  if [ ! -x .venv/bin/python ]; then
    python3 -m venv .venv
  fi
  # pip 21.3 installs a pyproject project in editable mode (PEP 660); only an older one is upgraded.
  if ! .venv/bin/python -c 'import sys, pip; sys.exit(tuple(map(int, pip.__version__.split(".")[:2])) < (21, 3))'; then
    step pip-upgrade .venv/bin/python -m pip install --upgrade pip
  fi
  # The editable install is redone only when what it depends on changed (or it is missing).
  # A [dev] install serves a plain one too (make test, then make demo, installs once).
  local stamp=.venv/.wargame-install base have
  base="$(pwd) $(cat pyproject.toml setup.py requirements.lock | sha256sum | cut -d' ' -f1)"
  have=$(cat "$stamp" 2>/dev/null || true)
  if [ ! -x .venv/bin/wargame ] || { [ "$have" != "$base $extras" ] && [ "$have" != "$base [dev]" ]; }; then
    if .venv/bin/python -m pip show wargame 2>/dev/null | grep -q "^Editable project location: $(pwd)$"; then
      step pip-uninstall .venv/bin/python -m pip uninstall -y wargame  # its editable install under its old name
    fi
    # The pinned versions of requirements.lock (scripts/lock.sh) as constraints.
    step pip-install .venv/bin/python -m pip install -c requirements.lock -e ".${extras}"
    echo "$base $extras" > "$stamp"
  fi
  step warmup .venv/bin/wargame warmup  # compiles the numba kernels once (about 15 s; a second run reads the cache)
}

frontend_side() {
  # npm ci only when node_modules is missing or older than the lock (npm writes .package-lock.json).
  if [ ! -f frontend/node_modules/.package-lock.json ] \
     || [ frontend/package-lock.json -nt frontend/node_modules/.package-lock.json ]; then
    step npm-ci bash -c "cd frontend && npm ci --no-audit --no-fund"
  fi
  if [ ! -f frontend/dist/index.html ] || [ frontend/package-lock.json -nt frontend/dist/index.html ] \
     || [ -n "$(find frontend/src frontend/schema frontend/index.html -newer frontend/dist/index.html 2>/dev/null | head -1)" ]; then
    step npm-build bash -c "cd frontend && npm run build"
  fi
  if [ -n "$dev" ] && { [ ! -d tools/verify-log/node_modules ] \
     || [ tools/verify-log/package-lock.json -nt tools/verify-log/node_modules ]; }; then
    step verify-log-ci bash -c "cd tools/verify-log && npm ci --no-audit --no-fund"  # the Node log verifier's tests
  fi
}

python_side &
py=$!
frontend_side &
fe=$!
failed=""
wait "$py" || failed=1
wait "$fe" || failed=1
[ -z "$failed" ] || exit 1

if [ -n "$dev" ]; then
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
