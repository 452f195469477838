#!/usr/bin/env bash
# Build the wheel, install it into a fresh venv, and serve the tutorial from an empty folder:
# what a new operator gets from `pip install`. Needs the built frontend (scripts/install.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
repo=$(pwd)
work=$(mktemp -d)
trap '[ -n "${server:-}" ] && kill "$server" 2>/dev/null; rm -rf "$work"' EXIT
echo "== building the wheel"
.venv/bin/python -m pip wheel --quiet --no-deps -w "$work/dist" "$repo"
wheel=$(ls "$work"/dist/*.whl)
echo "   $(basename "$wheel") ($(du -h "$wheel" | cut -f1))"
echo "== installing it into a fresh venv"
python3 -m venv "$work/venv"
"$work/venv/bin/python" -m pip install --quiet "$wheel" 2>&1 | { grep -v "^WARNING: Location" || true; }
mkdir "$work/empty"
cd "$work/empty"
"$work/venv/bin/wargame" --version
"$work/venv/bin/python" -m wargame --version
echo "== wargame demo from an empty folder"
port=$("$work/venv/bin/python" -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')
"$work/venv/bin/wargame" demo --port "$port" > "$work/demo.log" 2>&1 &
server=$!
for _ in $(seq 1 120); do
  curl -fsS "http://127.0.0.1:$port/api/health" > /dev/null 2>&1 && break
  kill -0 "$server" 2>/dev/null || { cat "$work/demo.log"; echo "wargame demo exited"; exit 1; }
  sleep 1
done
curl -fsS "http://127.0.0.1:$port/" | grep -q '<div id="app">' \
  || { cat "$work/demo.log"; echo "the page is not served"; exit 1; }
grep -q "team:USA\|United States\|USA" "$work/demo.log" || { cat "$work/demo.log"; echo "no seat links printed"; exit 1; }
test -f "$work/empty/var/wargame.sqlite3" || { echo "state not in the working folder"; exit 1; }
if find "$work/venv" -name "*.sqlite3" | grep -q .; then echo "state written into the venv"; exit 1; fi
echo "wheel OK: the tutorial is served from an empty folder, state in ./var"
