"""`wargame cdm pc FILE...` (Foster 2D Pc of CCSDS CDMs) and `wargame cdm convert FILE --to kvn|xml`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from wargame.adjudication.cdm import foster_pc, parse_cdm, write_cdm
from wargame.adjudication.cdm_frames import inertial_pair
from wargame.adjudication.cdm_xml import missing_keywords, write_cdm_xml


def main(argv: list[str] | None = None) -> int:
    """Print 'FILE<TAB>Pc' per CDM file (KVN or XML; states in EME2000, GCRF, TEME or ITRF, any
    usual units); exit 1 if any file cannot be read, has no HBR, or mixes frames."""
    parser = argparse.ArgumentParser(prog="wargame cdm pc", description=main.__doc__,
                                     epilog="example: wargame cdm pc conjunction.cdm --hbr-m 20")
    parser.add_argument("files", nargs="+", type=Path, help="CDM files, KVN or NDM/XML")
    parser.add_argument("--hbr-m", type=float, default=None,
                        help="combined hard-body radius, m (default: the file's 'COMMENT HBR')")
    args = parser.parse_args(argv)
    status = 0
    for path in args.files:
        try:
            pc = foster_pc(parse_cdm(path.read_text(encoding="utf-8")), args.hbr_m)
        except (OSError, ValueError, KeyError) as exc:
            print(f"{path}\terror: {exc}", file=sys.stderr)
            status = 1
            continue
        print(f"{path}\t{pc:.8e}")
    return status


def convert(argv: list[str] | None = None) -> int:
    """Rewrite a CDM (KVN or NDM/XML) in the other form, after checking its mandatory keywords,
    frames and units; to --out, or stdout. Exit 1 with the reason when it cannot."""
    parser = argparse.ArgumentParser(prog="wargame cdm convert", description=convert.__doc__,
                                     epilog="example: wargame cdm convert W-1-USA.cdm --to xml --out w.xml")
    parser.add_argument("file", type=Path, help="a CDM, KVN or NDM/XML")
    parser.add_argument("--to", choices=["kvn", "xml"], required=True, help="the form to write")
    parser.add_argument("--out", type=Path, default=None, help="file to write (default: stdout)")
    args = parser.parse_args(argv)
    try:
        cdm = parse_cdm(args.file.read_text(encoding="utf-8"))
        missing = missing_keywords(cdm)
        if missing:
            raise ValueError(f"missing mandatory keywords: {', '.join(missing)}")
        inertial_pair(cdm.keyed_header(), [o.keyed() for o in cdm.objects])
    except (OSError, ValueError) as exc:
        print(f"error: {args.file}: {exc}", file=sys.stderr)
        return 1
    text = write_cdm_xml(cdm) if args.to == "xml" else write_cdm(cdm)
    if args.out is None:
        sys.stdout.write(text)
    else:
        args.out.write_text(text, encoding="utf-8")
    return 0
