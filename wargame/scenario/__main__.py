"""Run `validate PATH...` or `schemas OUT_DIR` with `python -m wargame.scenario`."""

from __future__ import annotations

import sys
from collections.abc import Sequence

from wargame.scenario.schemas import export_json_schemas
from wargame.scenario.validate import validate_paths

USAGE = "usage: python -m wargame.scenario validate PATH... | schemas OUT_DIR"


def main(argv: Sequence[str] | None = None) -> int:
    args = list(sys.argv[1:] if argv is None else argv)
    if args[:1] == ["validate"]:
        code, lines = validate_paths(args[1:])
        for line in lines:
            print(line)
        return code
    if args[:1] == ["schemas"] and len(args) == 2:
        for path in export_json_schemas(args[1]):
            print(path)
        return 0
    print(USAGE, file=sys.stderr)
    return 2


if __name__ == "__main__":
    raise SystemExit(main())
