#!/usr/bin/env bash
# Regenerate requirements.lock: the versions pip resolves for this project and its dev tools on a
# fresh install (nothing installed is reused), pinned. scripts/install.sh and the Dockerfile
# install with it as a constraints file, so every machine gets these versions.
set -euo pipefail
cd "$(dirname "$0")/.."
given="${PYTHON:-.venv/bin/python}"
python="$(cd "$(dirname "$given")" && pwd)/$(basename "$given")"  # absolute, still the venv's
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
# A copy of what the build needs, so the build leaves nothing in the work tree.
cp -r pyproject.toml README.md LICENSE setup.py MANIFEST.in wargame "$work/"
(cd "$work" && "$python" -m pip install --quiet --dry-run --ignore-installed \
  --report report.json ".[dev]")
"$python" - "$work/report.json" > requirements.lock <<'PY'
import json
import sys
import tomllib

own = tomllib.load(open("pyproject.toml", "rb"))["project"]["name"]  # the project itself: not pinned
report = json.load(open(sys.argv[1]))
pins = sorted(
    (item["metadata"]["name"], item["metadata"]["version"])
    for item in report["install"]
    if item["metadata"]["name"] != own
)
python = ".".join(report["environment"]["python_version"].split(".")[:2])
print(f"# Pinned dependencies of {own} and its dev tools, as resolved for Python {python} on")
print(f"# {report['environment']['sys_platform']} ({report['environment']['platform_machine']}).")
print("# A constraints file: pip install -c requirements.lock -e '.[dev]'. Regenerate: bash scripts/lock.sh")
for name, version in pins:
    print(f"{name}=={version}")
PY
echo "wrote requirements.lock ($(grep -vc '^#' requirements.lock) packages)"
