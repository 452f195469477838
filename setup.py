"""Wheel build hook: the package carries the shipped data (found with importlib.resources)."""

from __future__ import annotations

import shutil
from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

ROOT = Path(__file__).resolve().parent
SHIPPED = {
    "scenarios": "scenarios",
    "rulesets": "rulesets",
    "frontend/dist": "frontend/dist",
    "docs/schemas": "docs/schemas",
}
"""Checkout folder -> folder under wargame/_data in the wheel."""


class BuildWithData(build_py):
    """build_py that copies the scenarios, rulesets, built frontend and schemas into the package."""

    def run(self) -> None:
        super().run()
        if self.editable_mode:
            return  # an editable install reads the checkout itself
        if not (ROOT / "frontend" / "dist" / "index.html").is_file():
            raise SystemExit("frontend/dist is missing: run `cd frontend && npm ci && npm run build` first")
        target = Path(self.build_lib) / "wargame" / "_data"
        for source, dest in SHIPPED.items():
            shutil.copytree(ROOT / source, target / dest, dirs_exist_ok=True,
                            ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))


setup(cmdclass={"build_py": BuildWithData})
