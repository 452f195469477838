"""Use cases: check a command, decide, append, and notify after commit."""
