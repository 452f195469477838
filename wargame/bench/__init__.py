"""Benchmarks run by `wargame bench ...` (not part of the test suite)."""
