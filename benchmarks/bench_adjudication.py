"""Thin wrapper: `python benchmarks/bench_adjudication.py [--json]` runs wargame.bench.adjudication."""

import sys

from wargame.bench.adjudication import main

if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
