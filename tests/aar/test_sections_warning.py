"""Warning by move: warned and timely counts against the ruleset's warning.timely_hours."""

from __future__ import annotations

from wargame.aar.sections import warning_by_move


def _assessed(move: int, nation: str, warned: bool, hours: float | None) -> dict[str, object]:
    return {"type": "threat_assessed", "move": move,
            "body": {"nation": nation, "warned": warned, "warning_time_h": hours}}


def test_timely_counts_warnings_at_least_the_threshold_before_the_effect() -> None:
    events = [
        _assessed(1, "USA", True, 12.0),
        _assessed(1, "USA", True, 6.0),
        _assessed(1, "USA", True, 5.9),
        _assessed(1, "USA", False, None),
        _assessed(1, "GBR", False, None),
        _assessed(2, "GBR", True, 30.0),
    ]
    by_move = warning_by_move(events, timely_hours=6.0)
    assert by_move[1]["USA"] == {"assessed": 4, "warned": 3, "timely": 2,
                                 "mean_warning_time_h": (12.0 + 6.0 + 5.9) / 3}
    assert by_move[1]["GBR"] == {"assessed": 1, "warned": 0, "timely": 0, "mean_warning_time_h": None}
    assert by_move[2]["GBR"]["timely"] == 1
    assert warning_by_move(events, timely_hours=24.0)[1]["USA"]["timely"] == 0
