"""The team feed: each team is told what changed for it and why, from what it may know."""

from __future__ import annotations

from tests.adjudication.adj_builders import adjudicate, after, make_state
from wargame.adjudication.responses import LINK_RESTORED, SAFE_MODE_IN, SAFE_MODE_OUT
from wargame.domain.audience import teams
from wargame.domain.common import AssetStatus, InjectType
from wargame.domain.events import (
    AssetStatusChanged,
    ExercisePaused,
    MoveAdjudicated,
)
from wargame.domain.feed_events import TeamNotified
from wargame.domain.orders import ManoeuvreOrder
from wargame.domain.scenario_model import Inject
from wargame.domain.state import ExerciseState, NationState, SubmittedOrder
from wargame.domain.team_feed import notifications


def _lines(events: list[object]) -> list[TeamNotified]:
    return [e for e in events if isinstance(e, TeamNotified)]


def _forced(state: ExerciseState) -> ExerciseState:
    injects = {k: v.model_copy(update={"forced": "hit"}) for k, v in state.injects.items()}
    return state.model_copy(update={"injects": injects})


def _jam(recipients: tuple[str, ...]) -> Inject:
    return Inject(
        id="jam", title="Jamming of WGS", type=InjectType.UPLINK_JAMMING, target="USA-WGS", actor="RED",
        recipients=recipients, releasability="REL", releasable_to=recipients,
    )


def test_the_owner_reads_the_inject_it_received_as_the_cause() -> None:
    events = adjudicate(_forced(make_state(injects=(_jam(("USA",)),))))
    lines = [line for line in _lines(events) if line.subject == "USA-WGS"]
    assert [(line.nation, line.topic) for line in lines] == [("USA", "status")]
    assert "degraded" in lines[0].text and "\u201cJamming of WGS\u201d" in lines[0].text
    assert isinstance(events[-1], MoveAdjudicated)
    assert events.index(lines[0]) > max(i for i, e in enumerate(events) if isinstance(e, AssetStatusChanged))


def test_an_effect_the_owner_was_not_sent_reads_as_unknown() -> None:
    events = adjudicate(_forced(make_state(injects=(_jam(("GBR",)),))))
    owner = next(line for line in _lines(events) if line.nation == "USA" and line.subject == "USA-WGS")
    assert "Jamming of WGS" not in owner.text and "cause not known to you" in owner.text


def test_observers_are_told_only_what_they_observed() -> None:
    state = make_state()
    change = AssetStatusChanged(
        asset_id="USA-WGS", owner="USA", status=AssetStatus.DISABLED, cause="inject:x", inject_id="x",
        observers=("GBR",),
    )
    lines = notifications(state, [change])
    assert [(line.nation, line.text.endswith("observed disabled (your SSA picture)")) for line in lines] == [
        ("USA", False), ("GBR", True)
    ]
    assert "inject" not in lines[1].text


def test_an_unnoticed_change_tells_nobody() -> None:
    change = AssetStatusChanged(
        asset_id="USA-WGS", owner="USA", status=AssetStatus.DEGRADED, cause="inject:x", noticed_by_owner=False
    )
    assert notifications(make_state(), [change]) == []


def test_the_owner_reads_its_own_response_order_as_the_cause() -> None:
    state = make_state()
    changes = [
        AssetStatusChanged(asset_id="USA-WGS", owner="USA", status=status, cause=cause)
        for status, cause in (
            (AssetStatus.SAFE_MODE, SAFE_MODE_IN),
            (AssetStatus.NOMINAL, SAFE_MODE_OUT),
            (AssetStatus.NOMINAL, LINK_RESTORED),
        )
    ]
    texts = [line.text for line in notifications(state, changes)]
    assert texts == [
        "WGS: safe_mode (safe mode: entered on the owner's order)",
        "WGS: nominal (safe mode: left on the owner's order)",
        "WGS: nominal (link restored on the owner's order)",
    ]


def test_a_pause_tells_every_played_team_its_reason() -> None:
    state = make_state()
    lines = notifications(state, [ExercisePaused(reason="range safety hold")])
    assert sorted(line.nation for line in lines) == sorted(state.played_nations())
    assert {line.text for line in lines} == {"Exercise paused by exercise control: range safety hold"}


def test_the_owner_learns_whether_its_avoidance_burn_worked() -> None:
    conjunction = Inject(
        id="cj", title="Conjunction", type=InjectType.CONJUNCTION, target="USA-GPS", actor=None,
        params={"secondary": "DEB-1", "miss_km": 0.001},
    )
    state = make_state(injects=(conjunction,))
    if not state.has_object("DEB-1"):
        secondary = next(o.id for o in state.scenario.objects if o.owner is None)
        conjunction = conjunction.model_copy(update={"params": {"secondary": secondary, "miss_km": 0.001}})
        state = make_state(injects=(conjunction,))
    burn = ManoeuvreOrder(kind="manoeuvre", asset_id="USA-GPS", dv_m_per_s=1.0)
    order = SubmittedOrder(order_id="o1", nation="USA", move=1, order=burn)
    nations = {**state.nations, "USA": NationState(id="USA", orders={"o1": order})}
    avoided = _lines(adjudicate(state.model_copy(update={"nations": nations})))
    collided = _lines(adjudicate(state))
    assert any(line.topic == "manoeuvre" and "burn of 1.00 m/s" in line.text for line in avoided)
    assert any(line.topic == "conjunction" and "avoidance burn worked" in line.text for line in avoided)
    assert any(line.topic == "conjunction" and "collision" in line.text for line in collided)
    assert all(line.nation == "USA" for line in avoided if line.topic in ("manoeuvre", "conjunction"))


def test_feed_lines_reach_only_their_team_and_fold_into_its_feed() -> None:
    state = make_state(injects=(_jam(("USA",)),))
    events = adjudicate(_forced(state))
    later = after(state, events)
    usa = [line.text for line in _lines(events) if line.nation == "USA"]
    assert [entry.text for entry in later.nations["USA"].feed] == usa
    assert all(entry.move == 1 for entry in later.nations["USA"].feed)
    from wargame.domain.addressing import address

    for line in _lines(events):
        assert address(line, state) == teams(line.nation)


def test_an_effect_seen_on_many_objects_is_one_line_per_observer() -> None:
    """A public storm on every GNSS satellite: each owner is told of each of its own, each observer
    once, not once per satellite (the feed must stay small at 25 nations)."""
    state = make_state()
    changes = [
        AssetStatusChanged(
            asset_id=asset_id, owner=owner, status=AssetStatus.DEGRADED, cause="inject:storm",
            inject_id="storm", observers=tuple(n for n in ("USA", "GBR", "JPN") if n != owner),
        )
        for asset_id, owner in (("USA-GPS", "USA"), ("USA-WGS", "USA"), ("GBR-SKYNET", "GBR"))
    ]
    lines = notifications(state, changes)
    own = [(line.nation, line.subject) for line in lines if "observed" not in line.text]
    assert own == [("USA", "USA-GPS"), ("USA", "USA-WGS"), ("GBR", "GBR-SKYNET")]
    grouped = {line.nation: line.text for line in lines if line.subject is None}
    assert grouped == {
        "GBR": "2 objects of USA: observed degraded (your SSA picture)",
        "JPN": "3 objects of GBR, USA: observed degraded (your SSA picture)",
    }
    (single,) = [line for line in lines if line.nation == "USA" and "observed" in line.text]
    assert single.subject == "GBR-SKYNET" and single.text.endswith(": observed degraded (your SSA picture)")
    assert len(lines) == 3 + 2 + 1
