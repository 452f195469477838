"""Delivery tooling: local topologies, protocol clients, benchmarks, load test, faults and fuzzing."""
