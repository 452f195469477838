"""Exercise state, commands, events, rules of play and views; pure Python and pydantic only."""
