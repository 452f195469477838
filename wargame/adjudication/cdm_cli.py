"""`wargame cdm pc FILE...`: print the Foster 2D Pc of each CCSDS CDM (KVN) file."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wargame.adjudication.cdm import foster_pc, parse_cdm


def main(argv: list[str] | None = None) -> int:
    """Print 'FILE<TAB>Pc' per file; exit 1 if any file cannot be read or has no HBR."""
    parser = argparse.ArgumentParser(prog="wargame cdm pc", description=__doc__)
    parser.add_argument("files", nargs="+", type=Path)
    parser.add_argument("--hbr-m", type=float, default=None, help="override the hard-body radius")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            pc = foster_pc(parse_cdm(path.read_text()), args.hbr_m)
        except (OSError, ValueError, KeyError) as exc:
            print(f"{path}\terror: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{path}\t{pc:.8e}")
    return status
