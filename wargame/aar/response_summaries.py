"""One-line AAR sentences for the response orders and their outcomes, and for the escalation model."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

JsonDict = dict[str, Any]
Names = Mapping[str, str]


def response_order_text(order: JsonDict) -> str | None:
    """A response order as words, or None for another kind."""
    kind = order.get("kind")
    if kind == "safe_mode":
        return f"safe mode {'on' if order.get('enter') else 'off'} for {order.get('asset_id')}"
    if kind == "ground_segment":
        return f"{str(order.get('action', '')).replace('_', ' ')} for {order.get('asset_id')}"
    if kind == "reconstitute":
        return f"activation of spare {order.get('spare_id')}"
    if kind == "dime":
        text = f" (\u201c{order['text']}\u201d)" if order.get("text") else ""
        instrument = str(order.get("instrument", "")).replace("_", " ")
        return f"{instrument} against {order.get('target_nation')}{text}"
    return None


def _explained(actor: str, body: JsonDict, names: Names) -> str:
    return str(body.get("explanation") or "response outcome")


def _escalation(actor: str, body: JsonDict, names: Names) -> str:
    reasons = "; ".join(str(r) for r in body.get("reasons") or [])
    sentence = f"Escalation level {body.get('level')} ({body.get('name')}), score {body.get('score')}"
    return f"{sentence}: {reasons}" if reasons else sentence


RESPONSE_SUMMARISERS: dict[str, Callable[[str, JsonDict, Names], str]] = {
    "ground_segment_acted": _explained,
    "spare_activated": _explained,
    "spare_arrived": _explained,
    "dime_taken": _explained,
    "evasion_resolved": _explained,
    "response_failed": _explained,
    "escalation_changed": _escalation,
}
