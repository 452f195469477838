"""Property tests: no team ever receives a fact it was not entitled to."""

from __future__ import annotations

import json
from typing import Any

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.factories import FakeAdjudicator, UnnoticedAdjudicator, command, make_created, seat, share
from wargame.domain.audience import team
from wargame.eventlog.store import MemoryEventStore
from wargame.protocol.projection import view_for
from wargame.services.commands import ExerciseService

NATIONS = ["USA", "GBR", "JPN"]
LEVELS = ["withhold", "full", "delayed", "degraded"]
SECRETS = ["SECRET-NOTE-INJ-1", "SECRET-NOTE-INJ-2", "SECRET-NOTE-INJ-3"]

team_action = st.one_of(
    st.builds(
        lambda n, p, lvl: (team(n), share(p, lvl)),
        st.sampled_from(NATIONS),
        st.sampled_from(NATIONS),
        st.sampled_from(LEVELS),
    ),
    st.builds(
        lambda n, ch, p, t: (
            team(n),
            {"type": "post_chat", "channel": ch, "partner": p, "text": f"{n}-SAYS-{t}"},
        ),
        st.sampled_from(NATIONS),
        st.sampled_from(["team", "coalition", "bilateral"]),
        st.sampled_from(NATIONS),
        st.integers(0, 999),
    ),
    st.builds(
        lambda n, asset, on: (
            team(n),
            {
                "type": "submit_order",
                "reason": f"{n}-REASON",
                "order": {"kind": "anti_jam", "asset_id": asset, "enabled": on},
            },
        ),
        st.sampled_from(NATIONS),
        st.sampled_from(["usa-sat", "gbr-sat", "jpn-wx"]),
        st.booleans(),
    ),
)
control_action = st.sampled_from(
    [
        ("white_cell", {"type": "release_inject", "inject_id": "INJ-1"}),
        ("white_cell", {"type": "release_inject", "inject_id": "INJ-3"}),
        ("white_cell", {"type": "advance_move", "from_move": 1}),
        (
            "white_cell",
            {
                "type": "adhoc_inject",
                "inject_type": "message",
                "title": "t",
                "text": "x",
                "recipients": ["JPN"],
                "controller_notes": "SECRET-NOTE-ADHOC",
            },
        ),
        ("facilitator", {"type": "record_observation", "text": "SECRET-EVALUATOR-NOTE"}),
        ("white_cell", {"type": "restore_asset", "asset_id": "usa-sat", "reason": "RESTORE-REASON-USA"}),
        ("white_cell", {"type": "restore_asset", "asset_id": "usa-isr", "reason": "RESTORE-REASON-USA"}),
        ("white_cell", {"type": "disclose_status", "asset_id": "jpn-wx", "reason": "DISCLOSE-REASON-JPN"}),
    ]
)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.one_of(team_action, control_action), max_size=25))
def test_no_team_sees_what_it_is_not_entitled_to(actions: list[tuple[str, dict[str, Any]]]) -> None:
    store = MemoryEventStore()
    service = ExerciseService(store, UnnoticedAdjudicator())
    service.create("hid", make_created())
    service.handle("hid", seat("white_cell"), "start", command({"type": "start_exercise"}))
    for i, (viewer, data) in enumerate(actions):
        service.handle("hid", seat(viewer), f"a{i}", command(data))
    events = store.read_after("hid", 0)
    state = service.state("hid")
    for nation in NATIONS:
        viewer = team(nation)
        others = [n for n in NATIONS if n != nation]
        projected = [p for p in (view_for(viewer, e) for e in events) if p is not None]
        snapshot = view_for(viewer, state)
        text = json.dumps([projected, snapshot])
        for secret in [*SECRETS, "SECRET-NOTE-ADHOC", "SECRET-EVALUATOR-NOTE", "controller_notes"]:
            assert secret not in text
        for other in others:
            assert f"{other}-REASON" not in text, "another team's sealed order leaked"
        for event in projected:
            body = event["body"]
            assert event["type"] not in (
                "exercise_created",
                "move_adjudicated",
                "inject_resolved",
                "observation_recorded",
            )
            if event["type"] == "picture_updated":
                assert body["nation"] == nation
            if event["type"] == "chat_posted" and body["channel"].startswith("team:"):
                assert body["channel"] == viewer
            if event["type"] == "chat_posted" and body["channel"].startswith("bilateral:"):
                assert nation in body["channel"]
            if event["type"] in ("product_released", "product_withdrawn"):
                assert nation == body["nation"] or nation in body["recipients"]
        if "GBR-ONLY-TEXT" in text:
            assert nation == "GBR"
        if "INJ-S" in text:
            assert nation == "GBR", "the status of GBR's radar reached another team"
        if "RESTORE-REASON-USA" in text:
            assert nation == "USA", "a restore's reason reached a team other than the owner's"
        assert "INJ-7" not in text and "owner_belief" not in text, "an unnoticed effect leaked"
        if "DISCLOSE-REASON-JPN" in text:
            assert nation == "JPN", "a disclosure reached a team other than the owner's"
        if nation == "JPN":
            disclosed = any(e["type"] == "status_disclosed" for e in projected)
            jpn_wx = next(a for a in snapshot["assets"] if a["id"] == "jpn-wx")  # type: ignore[index]
            assert (jpn_wx["status"] == "disabled") == disclosed, "JPN saw the seizure undisclosed"
        own = {a.id for a in state.assets.values() if a.owner == nation}
        for event in projected:  # the fake core's pictures hold the nation's own assets only
            if event["type"] == "picture_updated" and "tracks" in event["body"]:
                assert {t["object_id"] for t in event["body"]["tracks"]} <= own
    observer_text = json.dumps(
        [view_for("observer", e) for e in events] + [view_for("observer", state)]
    )
    for nation in NATIONS:
        assert f"{nation}-SAYS" not in observer_text
        assert f"{nation}-REASON" not in observer_text
    assert "RESTORE-REASON" not in observer_text
    assert "DISCLOSE-REASON" not in observer_text and "INJ-7" not in observer_text


def test_control_sees_ground_truth() -> None:
    store = MemoryEventStore()
    service = ExerciseService(store, FakeAdjudicator())
    service.create("gt", make_created())
    events = store.read_after("gt", 0)
    projected = view_for("white_cell", events[0])
    assert projected is not None and "SECRET-NOTE-INJ-1" in json.dumps(projected)
    assert view_for("team:USA", events[0]) is None
    assert view_for("observer", events[0]) is None
