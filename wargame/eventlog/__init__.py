"""Event store interface, sequence numbers, hash chain, snapshots and replay."""
