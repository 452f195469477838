"""Where the shipped data lives: the wheel's `wargame/_data`, or the checkout the package runs from."""

from __future__ import annotations

import os
from importlib import metadata, resources
from pathlib import Path

DISTRIBUTION = "space-crisis-wargame"
"""The name on the package index (`wargame` there is somebody else's project)."""

PACKAGED_DATA = "_data"
"""Folder inside the installed package that the wheel build fills from the checkout: scenarios,
rulesets, the built frontend (frontend/dist) and the JSON Schemas (docs/schemas)."""

STATE_DIR_ENV = "WARGAME_STATE_DIR"


def checkout_root() -> Path | None:
    """The repository the package runs from (an editable install or PYTHONPATH), or None."""
    root = Path(__file__).resolve().parent.parent
    return root if (root / "pyproject.toml").is_file() and (root / "scenarios").is_dir() else None


def shipped_root() -> Path:
    """The folder holding `scenarios/`, `rulesets/`, `frontend/dist/` and `docs/schemas/`:
    the installed package's data in a wheel, the repository in a checkout."""
    packaged = Path(str(resources.files("wargame") / PACKAGED_DATA))
    if packaged.is_dir():
        return packaged
    return checkout_root() or packaged


def frontend_dist() -> Path:
    return shipped_root() / "frontend" / "dist"


def schemas_dir() -> Path:
    return shipped_root() / "docs" / "schemas"


def state_dir() -> Path:
    """Where exercises are stored by default: $WARGAME_STATE_DIR, else `var/` in the working folder."""
    return Path(os.environ.get(STATE_DIR_ENV) or Path.cwd() / "var").resolve()


def version() -> str:
    """The installed distribution's version; the package's own when run from a bare checkout."""
    try:
        return metadata.version(DISTRIBUTION)
    except metadata.PackageNotFoundError:
        from wargame import __version__

        return __version__
