"""`python -m wargame.cli`: the same as the `wargame` command."""

from wargame.cli import main

raise SystemExit(main())
