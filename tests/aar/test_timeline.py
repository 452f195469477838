"""group_timeline: runs of repetitive events fold into one row with a count and a summary."""

from __future__ import annotations

import random
from typing import Any

import pytest

from wargame.aar import build_report
from wargame.aar.timeline import group_timeline
from wargame.domain.events import EventEnvelope

JsonDict = dict[str, Any]


def entry(seq: int, move: int, kind: str, /, **body: Any) -> JsonDict:
    return {"seq": seq, "move": move, "type": kind, "actor": body.pop("actor", "white_cell"),
            "at": "2031-03-01T06:00:00+00:00", "scenario_time": "2031-03-01T06:00:00+00:00",
            "summary": f"{kind} #{seq}", "body": {"type": kind, **body}}


def picture(seq: int, move: int, nation: str) -> JsonDict:
    return entry(seq, move, "picture_updated", nation=nation, move=move)


def warning(seq: int, move: int, nation: str, *, pc: float = 1e-6) -> JsonDict:
    return entry(seq, move, "conjunction_warning", nation=nation, pc=pc,
                 action_threshold_exceeded=pc >= 1e-4)


def approach(seq: int, move: int, nation: str, range_km: float) -> JsonDict:
    return entry(seq, move, "close_approach_detected", nation=nation, range_km=range_km)


def shape(groups: list[JsonDict]) -> list[tuple[str, int, int, int]]:
    return [(g["type"], g["count"], g["move_first"], g["move_last"]) for g in groups]


def test_one_moves_pictures_are_one_row_with_members_in_seq_order() -> None:
    entries = [picture(10 + i, 3, n) for i, n in enumerate(("USA", "GBR", "JPN", "FRA"))]
    shuffled = entries[:]
    random.Random(4).shuffle(shuffled)

    (group,) = group_timeline(shuffled)

    assert group == {
        "key": "picture_updated@10", "type": "picture_updated", "move_first": 3, "move_last": 3,
        "seq_first": 10, "seq_last": 13, "count": 4,
        "summary": "4 pictures updated, move 3: USA, GBR, JPN, FRA",
        "members": entries,
    }


def test_a_group_never_spans_two_moves_nor_another_event() -> None:
    entries = [
        picture(1, 1, "USA"), picture(2, 1, "GBR"),
        entry(3, 2, "move_advanced", move=2),
        picture(4, 2, "USA"), picture(5, 2, "GBR"),
        picture(6, 3, "USA"),  # the same type right after, but the next move
        entry(7, 3, "chat_posted", actor="team:USA"),
        picture(8, 3, "GBR"),  # same move as 6, but a chat lies between
    ]

    groups = group_timeline(entries)

    assert shape(groups) == [
        ("picture_updated", 2, 1, 1), ("move_advanced", 1, 2, 2), ("picture_updated", 2, 2, 2),
        ("picture_updated", 1, 3, 3), ("chat_posted", 1, 3, 3), ("picture_updated", 1, 3, 3),
    ]
    assert [g["seq_first"] for g in groups] == [1, 3, 4, 6, 7, 8]
    assert [g["seq_last"] for g in groups] == [2, 3, 5, 6, 7, 8]


def test_a_single_event_is_a_group_of_one_with_its_own_summary() -> None:
    lone = entry(42, 2, "order_submitted", actor="team:GBR", nation="GBR")

    (group,) = group_timeline([lone])

    assert group["count"] == 1 and group["members"] == [lone]
    assert group["summary"] == "order_submitted #42"
    assert (group["key"], group["seq_first"], group["seq_last"]) == ("order_submitted@42", 42, 42)


def test_interleaved_warnings_of_a_move_are_one_burst_split_by_type() -> None:
    # As the adjudicator writes them: grouped by nation, the two types interleaved.
    entries = [
        entry(1, 1, "move_closing", move=1),
        warning(2, 1, "USA", pc=3e-4), approach(3, 1, "USA", 12.5), warning(4, 1, "USA"),
        approach(5, 1, "GBR", 4.25), warning(6, 1, "GBR", pc=2e-4), warning(7, 1, "JPN"),
        entry(8, 1, "move_adjudicated", move=1),
    ]

    groups = group_timeline(entries, action_pc=1e-4)

    assert shape(groups) == [
        ("move_closing", 1, 1, 1), ("conjunction_warning", 4, 1, 1),
        ("close_approach_detected", 2, 1, 1), ("move_adjudicated", 1, 1, 1),
    ]
    warnings, approaches = groups[1], groups[2]
    assert [m["seq"] for m in warnings["members"]] == [2, 4, 6, 7]
    assert (warnings["seq_first"], warnings["seq_last"]) == (2, 7)
    assert warnings["summary"] == (
        "4 conjunction warnings, move 1: 2 above Pc 1e-4 (warned: USA, GBR, JPN)"
    )
    assert [m["seq"] for m in approaches["members"]] == [3, 5]
    assert approaches["summary"] == (
        "2 close approaches detected, move 1: closest 4.2 km; seen by USA, GBR"
    )
    # Without the ruleset's threshold the summary names it in words.
    assert group_timeline(entries)[1]["summary"].startswith(
        "4 conjunction warnings, move 1: 2 above the action threshold"
    )


def test_a_burst_of_warnings_spans_moves_when_nothing_else_lies_between() -> None:
    """A timeline filtered to conjunction warnings: one burst over the moves, thousands separated."""
    entries = [warning(seq, 1 + seq // 500, "USA", pc=2e-4 if seq % 100 == 0 else 1e-6)
               for seq in range(1, 1315)]

    (burst,) = group_timeline(entries, action_pc=1e-4)

    assert (burst["count"], burst["move_first"], burst["move_last"]) == (1314, 1, 3)
    assert burst["summary"] == "1,314 conjunction warnings, moves 1-3: 13 above Pc 1e-4 (warned: USA)"
    # Pictures filtered the same way still split by move: only warnings burst.
    pictures = [picture(seq, 1 + seq // 3, "USA") for seq in range(1, 9)]
    assert shape(group_timeline(pictures)) == [
        ("picture_updated", 2, 1, 1), ("picture_updated", 3, 2, 2), ("picture_updated", 3, 3, 3),
    ]


def test_many_nations_are_counted_not_listed() -> None:
    nations = [f"N{k:02d}" for k in range(25)]
    (group,) = group_timeline([picture(k + 1, 3, n) for k, n in enumerate(nations)])
    assert group["summary"] == "25 pictures updated, move 3: N00, N01, N02, N03, N04, N05 and 19 more"


def test_other_runs_of_one_type_in_a_move_fold_too() -> None:
    entries = [entry(1, 2, "chat_posted", actor="team:USA"), entry(2, 2, "chat_posted", actor="team:GBR"),
               entry(3, 2, "chat_posted", actor="team:USA")]
    (group,) = group_timeline(entries)
    assert group["summary"] == "3 chat messages, move 2: by USA, GBR"
    released = [entry(5, 1, "inject_released", inject={"id": "inj-001"}),
                entry(6, 1, "inject_released", inject={"id": "inj-002"})]
    assert group_timeline(released)[0]["summary"] == "2 injects released, move 1: inj-001, inj-002"


def test_an_entry_without_its_keys_is_named_in_the_error() -> None:
    broken = {"seq": 7, "type": "chat_posted", "summary": "x"}
    with pytest.raises(ValueError, match=r"timeline entry 1 \(seq 7\) lacks move"):
        group_timeline([entry(1, 1, "chat_posted"), broken])


def test_groups_partition_a_real_reports_timeline(events: list[EventEnvelope]) -> None:
    for viewer in ("facilitator", "team:GBR"):
        timeline = build_report(events, viewer)["timeline"]
        groups = group_timeline(timeline)
        assert [m for g in groups for m in g["members"]] == timeline
        assert [g["seq_first"] for g in groups] == sorted(g["seq_first"] for g in groups)
        assert all(g["count"] == len(g["members"]) for g in groups)
        assert len({g["key"] for g in groups}) == len(groups)
    pictures = [g for g in group_timeline(build_report(events, "facilitator")["timeline"])
                if g["type"] == "picture_updated"]
    assert [(g["count"], g["move_first"]) for g in pictures] == [(3, 1), (3, 1), (3, 2)]
