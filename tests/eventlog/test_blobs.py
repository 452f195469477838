"""Blobs: content-addressed, immutable, committed with their transaction, on every store."""

from __future__ import annotations

import pytest

from wargame.eventlog.store import MemoryEventStore, MissingBlob, blob_digest


def test_memory_store_keeps_a_blob_only_once_its_transaction_commits() -> None:
    store = MemoryEventStore()
    with pytest.raises(RuntimeError), store.write("x") as tx:
        tx.put_blob(b"rolled back")
        raise RuntimeError("abort")
    with pytest.raises(MissingBlob):
        store.read_blob(blob_digest(b"rolled back"))
    with store.write("x") as tx:
        digest = tx.put_blob(b"\x00catalog\xff")
        assert tx.put_blob(b"\x00catalog\xff") == digest
    assert digest == blob_digest(b"\x00catalog\xff") and len(digest) == 64
    assert store.read_blob(digest) == b"\x00catalog\xff"


@pytest.mark.integration
@pytest.mark.django_db(transaction=True)
def test_database_store_keeps_blobs_by_digest() -> None:
    from wargame.server.store import DjangoEventStore

    store = DjangoEventStore()
    data = bytes(range(256)) * 1000
    with store.write("blobs1") as tx:
        digest = tx.put_blob(data)
        assert tx.put_blob(data) == digest
    assert store.read_blob(digest) == data
    with pytest.raises(MissingBlob):
        store.read_blob(blob_digest(b"never stored"))
