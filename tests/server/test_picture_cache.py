"""The picture cache: one render per resource however many seats ask at once, kept gzipped."""

from __future__ import annotations

import gzip
import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import pytest

from tests.picture_format import read_picture
from wargame.domain.audience import Role, Seat, control_only
from wargame.domain.commands import command_adapter
from wargame.domain.common import AssetStatus
from wargame.domain.events import AssetStatusChanged, ExerciseCreated, PendingEvent
from wargame.eventlog.chain import seal
from wargame.eventlog.store import MemoryEventStore
from wargame.scenario import find_ruleset, find_scenario, load_ruleset, load_scenario_parts
from wargame.services.adjudicators import InlineAdjudicator
from wargame.services.commands import ExerciseService
from wargame.services.pictures import PictureRefused, PictureResources


def started_tutorial() -> ExerciseService:
    scenario, background = load_scenario_parts(find_scenario("tutorial"))
    created = ExerciseCreated(
        title="cache", scenario=scenario, ruleset=load_ruleset(find_ruleset(scenario.ruleset)),
        seed=scenario.seed,
    )
    service = ExerciseService(MemoryEventStore(), InlineAdjudicator())
    service.create("x", created, background)
    start = command_adapter.validate_python({"type": "start_exercise"})
    assert service.handle("x", Seat(role=Role.WHITE_CELL, label="w"), "s", start)["status"] == "accepted"
    return service


def test_seats_asking_at_once_share_one_render() -> None:
    resources = PictureResources(started_tutorial())
    renders: list[str | None] = []
    real_render = resources._render
    gate = threading.Barrier(8)

    def counting_render(state: Any, pictures: Any, whose: str | None) -> Any:
        renders.append(whose)
        return real_render(state, pictures, whose)

    resources._render = counting_render  # type: ignore[method-assign]

    def ask(_: int) -> Any:
        gate.wait(timeout=10)
        return resources.get("x", "team:USA", None)

    with ThreadPoolExecutor(8) as pool:
        got = list(pool.map(ask, range(8)))
    assert renders == ["USA"]
    assert all(g is got[0] for g in got)
    header, _ = read_picture(got[0].data)
    assert header["nation"] == "USA" and got[0].data == gzip.decompress(got[0].gzipped)
    resources.get("x", "white_cell", None, truth=True)
    resources.get("x", "team:USA", 0)
    assert renders == ["USA", None]  # the truth is a resource of its own; move 0 is the latest


def test_a_replayed_truth_is_kept_per_move_and_statuses_and_a_past_point_is_for_replaying_seats() -> None:
    """`at` (a replay): the truth of a point is rendered once per move and set of statuses (a
    scrubber crossing a move does not render it again, a status that changed does); a nation's
    picture is the same resource as without `at`; teams may not replay."""
    service = started_tutorial()
    white = Seat(role=Role.WHITE_CELL, label="w")
    chat = command_adapter.validate_python({"type": "post_chat", "channel": "control", "text": "note"})
    assert service.handle("x", white, "c1", chat)["status"] == "accepted"
    started = service.store.read_last_seq("x")
    with service.store.write("x") as tx:  # an effect lands: one asset's status changes
        body = AssetStatusChanged(asset_id="usa-wgs-10", owner="USA", status=AssetStatus.DEGRADED, cause="t")
        pending = [PendingEvent(body=body, audience=control_only(), actor="white_cell")]
        tx.append(seal("x", pending, state=service.state("x"), at=service.clock()))
    service.forget("x")
    hit = service.store.read_last_seq("x")
    resources = PictureResources(service)
    renders: list[str | None] = []
    real_render = resources._render

    def counting_render(state: Any, pictures: Any, whose: str | None) -> Any:
        renders.append(whose)
        return real_render(state, pictures, whose)

    resources._render = counting_render  # type: ignore[method-assign]
    before = resources.get("x", "facilitator", 0, truth=True, at=started - 1)
    assert resources.get("x", "facilitator", 0, truth=True, at=started) is before  # same statuses
    after = resources.get("x", "facilitator", 0, truth=True, at=hit)
    assert renders == [None, None] and after is not before

    def status(resource: Any, object_id: str) -> str:
        header, columns = read_picture(resource.data)
        row = columns["object_id"].index(object_id)
        return str(header["dictionaries"]["status"][int(columns["status"][row])])

    assert (status(before, "usa-wgs-10"), status(after, "usa-wgs-10")) == ("nominal", "degraded")
    own = resources.get("x", "team:USA", 0)
    assert resources.get("x", "white_cell", 0, nation="USA", at=started) is own
    with pytest.raises(PictureRefused, match="replay is for the white cell and facilitators"):
        resources.get("x", "team:USA", 0, at=started)
    with pytest.raises(PictureRefused, match=r"outside the log of x \(seqs 1 to"):
        resources.get("x", "white_cell", 0, truth=True, at=hit + 1)
    with pytest.raises(PictureRefused, match="no picture of move 1 at seq"):
        resources.get("x", "white_cell", 1, truth=True, at=hit)
