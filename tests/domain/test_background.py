"""The background catalog travels once per exercise as a blob and is ground truth like any asset."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from tests.factories import make_created, run_command
from wargame.domain.background import (
    BackgroundCatalog,
    CatalogFormatError,
    decode_catalog,
    encode_catalog,
)
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged
from wargame.domain.evolve import evolve_body
from wargame.eventlog.replay import fold
from wargame.eventlog.store import MemoryEventStore, blob_digest
from wargame.scenario.synthetic import generate_catalog
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService

EPOCH = datetime(2027, 3, 1, tzinfo=UTC)


def background(count: int = 300) -> list:  # type: ignore[type-arg]
    return list(generate_catalog(count, 7, EPOCH, "bg"))


def test_a_catalog_round_trips_through_its_blob() -> None:
    objects = background(50)
    blob = encode_catalog(objects)
    decoded = decode_catalog(blob, blob_digest(blob))
    assert decoded.ids == tuple(o.id for o in objects)
    for obj in objects[::7]:
        assert decoded.object(obj.id) == obj
    assert decoded == BackgroundCatalog.of(objects, blob_digest(blob))
    assert decoded.object("nope") is None
    with pytest.raises(CatalogFormatError, match="not compressed JSON"):
        decode_catalog(b"garbage", "ab" * 32)


def test_exercise_created_names_the_catalog_instead_of_embedding_it() -> None:
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    objects = background()
    state = service.create("bg", make_created(), objects)
    created = store.read_after("bg", 0)[0].body
    assert created.catalog is not None and created.catalog.count == len(objects)
    assert created.scenario.objects == make_created().scenario.objects  # named objects only
    assert len(created.model_dump_json()) < 40_000
    assert store.read_blob(created.catalog.digest) == encode_catalog(objects)
    assert state.has_object(objects[5].id) and state.asset(objects[5].id) is not None
    assert state.object_ids()[: len(objects)] == [o.id for o in objects]  # catalog order


def test_a_fresh_process_folds_the_same_state_and_the_snapshot_reattaches_the_catalog() -> None:
    store = MemoryEventStore()
    service = ExerciseService(store, InlineAdjudicator())
    service.create("bg", make_created(), background())
    assert run_command(service, "bg", "white_cell", {"type": "start_exercise"})["status"] == "accepted"
    mine = service.state("bg")
    fresh = ExerciseService(store, InlineAdjudicator()).state("bg")  # from the snapshot
    assert fresh == mine and len(fresh.background) == 300
    replayed = fold(store.read_after("bg", 0), catalogs=service.catalog)
    assert replayed == mine
    with pytest.raises(ValueError, match="pass its loader"):
        fold(store.read_after("bg", 0))


def test_a_background_object_enters_assets_when_its_status_changes() -> None:
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    objects = background()
    state = service.create("bg", make_created(), objects)
    victim = objects[10].id
    assert victim not in state.assets
    changed = evolve_body(
        state,
        AssetStatusChanged(asset_id=victim, owner=None, status=AssetStatus.DESTROYED, cause="conjunction"),
    )
    assert changed.assets[victim].status is AssetStatus.DESTROYED
    assert changed.assets[victim].orbit == objects[10].orbit
    assert changed.object_ids() == state.object_ids()  # its place in the catalog order holds


def test_the_core_adjudicates_with_a_background_catalog() -> None:
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("bg", make_created(), background(400))
    for data in ({"type": "start_exercise"}, {"type": "advance_move", "from_move": 1}):
        assert run_command(service, "bg", "white_cell", data)["status"] == "accepted"
    state = service.state("bg")
    assert state.move == 2
    refs = [state.nations[n].picture_ref for n in state.played_nations()]
    assert all(ref is not None and ref.pictures.move == 1 for ref in refs)
    assert all(ref.by_source["catalog"] > 300 for ref in refs if ref is not None)  # the catalog's objects
