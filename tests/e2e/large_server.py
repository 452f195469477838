"""`wargame demo` for the large-picture browser test, with room for today's large JSON frames.

Until pictures travel as binary HTTP resources (protocol v2), a 20,000-track picture is a
multi-megabyte websocket frame: this launcher raises daphne's transport ceiling and the slow-client
cut for the test server only, then runs the ordinary `wargame demo`.
"""

from __future__ import annotations

import os
import sys

from wargame import cli

CEILING = 256 * 1024 * 1024


def main() -> int:
    options = list(cli.DAPHNE_OPTIONS)
    for flag in ("--websocket-max-message-size", "--websocket-max-frame-size"):
        options[options.index(flag) + 1] = str(CEILING)
    cli.DAPHNE_OPTIONS[:] = options
    os.environ.setdefault("WARGAME_SLOW_CLIENT_BYTES", str(CEILING))
    return cli.main(sys.argv[1:])


if __name__ == "__main__":
    sys.exit(main())
