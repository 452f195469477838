"""The direction of dependencies: the pure core never imports the web stack."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "wargame"

FORBIDDEN = {
    "domain": {
        "django",
        "channels",
        "channels_redis",
        "redis",
        "daphne",
        "numpy",
        "sgp4",
        "wargame.server",
        "wargame.services",
        "wargame.adjudication",
        "wargame.scenario",
        "wargame.eventlog",
        "wargame.aar",
        "wargame.protocol",
    },
    "adjudication": {
        "django",
        "channels",
        "channels_redis",
        "redis",
        "daphne",
        "wargame.server",
        "wargame.services",
        "wargame.scenario",
        "wargame.eventlog",
        "wargame.aar",
    },
    "scenario": {"django", "channels", "redis", "wargame.server", "wargame.services"},
    "eventlog": {"django", "channels", "redis", "wargame.server", "wargame.services"},
    "aar": {"django", "channels", "redis", "wargame.server", "wargame.services"},
    "protocol": {"django", "channels", "redis", "wargame.server", "wargame.services"},
    "services": {"django", "channels", "redis", "wargame.server"},
}


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            names.add(node.module)
    return names


@pytest.mark.parametrize("layer", sorted(FORBIDDEN))
def test_layer_imports_point_inwards(layer: str) -> None:
    files = sorted((PACKAGE / layer).rglob("*.py"))
    assert files, f"no modules in {layer}"
    violations = [
        f"{path.relative_to(PACKAGE)} imports {name}"
        for path in files
        for name in imported_modules(path)
        if any(name == bad or name.startswith(bad + ".") for bad in FORBIDDEN[layer])
    ]
    assert violations == []
