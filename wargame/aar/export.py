"""Exports of an AAR report: stable pretty JSON and a readable Markdown document."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from wargame.aar.humanize import duration, hours, number, percent, timestamp
from wargame.aar.planned import EXPECTED_STATUS, recipients_text
from wargame.aar.sharing_value import sharing_value_markdown
from wargame.aar.summaries import marking_label

JsonDict = dict[str, Any]

SELF = "n/a"
"""Diagonal cell of a sharing matrix (a nation and itself)."""


PRETTY_DEPTH = 2
"""JSON export: objects and lists this deep are spread over lines; deeper ones (a timeline
entry, a chart's series) sit on one line each, encoded by json's C encoder (indenting all of
a large report in pure Python took seconds)."""
_COMPACT = json.JSONEncoder(sort_keys=True, ensure_ascii=False)


def export_json(report: JsonDict) -> str:
    """Pretty JSON with sorted keys, so the same log always exports to the same text."""
    return _pretty(report, 0) + "\n"


def _pretty(value: Any, depth: int) -> str:
    if depth >= PRETTY_DEPTH or not isinstance(value, dict | list) or not value:
        return _COMPACT.encode(value)
    pad, inner = "  " * depth, "  " * (depth + 1)
    if isinstance(value, dict):
        items = [f"{inner}{_COMPACT.encode(str(k))}: {_pretty(value[k], depth + 1)}" for k in sorted(value)]
        return "{\n" + ",\n".join(items) + f"\n{pad}}}"
    return "[\n" + ",\n".join(f"{inner}{_pretty(v, depth + 1)}" for v in value) + f"\n{pad}]"


def cell(value: Any) -> str:
    """A Markdown table cell: pipes escaped, line breaks flattened, None shown as a dash."""
    if value is None or value == "":
        return "-"
    text = number(value) if isinstance(value, float) else str(value)
    text = text.replace("\\", "\\\\").replace("|", "\\|")
    return " ".join(text.split())


def table(headers: Sequence[str], rows: Sequence[Sequence[Any]]) -> list[str]:
    """A GitHub-flavoured Markdown table (empty list when there are no rows)."""
    if not rows:
        return []
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |",
             "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return [*lines, ""]


def _text(value: Any) -> str:
    """Free text outside tables: on one line."""
    return " ".join(str(value).split()) if value else ""


def _summary(report: JsonDict) -> list[str]:
    ex = report["exercise"]
    rows = [
        ("Exercise", ex["id"]), ("Scenario", ex["scenario_id"]), ("Ruleset", ex["ruleset_id"]),
        ("Seed", ex["seed"]), ("Start time", timestamp(ex["start_time"])),
        ("Move length", hours(ex["move_length_hours"])),
        ("Moves played", f"{ex['moves_played']} of {ex['moves_planned']}"),
        ("Final phase", ex["final_phase"]), ("First event", timestamp(ex["first_event_at"])),
        ("Last event", timestamp(ex["last_event_at"])), ("Events shown", ex["event_count"]),
        ("Audience", report["viewer"]), ("Marking", ex["marking"]),
    ]
    if report.get("until_move") is not None:
        rows.append(("Up to move", report["until_move"]))
    return ["## Exercise summary", "", *table(["Item", "Value"], rows)]


def _metrics(report: JsonDict) -> list[str]:
    lines = ["## Metrics by move", ""]
    for row in report["metrics_by_move"]:
        lines += [f"### Move {row['move']}", ""]
        capability: dict[str, dict[str, float]] = row["capability"]
        areas = sorted({area for by_area in capability.values() for area in by_area})
        lines += table(
            ["Nation", *areas, "Custody", "Precise"],
            [[nation, *[_share(capability[nation].get(a)) for a in areas], row["custody"].get(nation),
              row["precise_custody"].get(nation)]
             for nation in sorted(capability)],
        )
        if not capability:
            lines += ["No adjudicated metrics visible for this move.", ""]
        warning: dict[str, dict[str, Any]] = row["warning"]
        if warning:
            lines += table(
                ["Nation", "Hostile injects", "Warned", "Timely", "Mean warning"],
                [[nation, w["assessed"], w["warned"], w["timely"], hours(w["mean_warning_time_h"])]
                 for nation, w in sorted(warning.items())],
            )
        lines += [
            f"Injects released: {row['injects_released']}; orders: {row['orders']}; "
            f"sharing changes: {row['sharing_changes']}; chat messages: {row['chat_messages']}; "
            f"collisions: {len(row['collisions'])}.", "",
        ]
    return lines


def _share(value: float | None) -> str | None:
    """A capability share with two decimals, so a table's column lines up."""
    return None if value is None else number(value, decimals=2)


def _escalation(report: JsonDict) -> list[str]:
    rows = [[r["move"], r["escalation_level"], r["escalation_name"]]
            for r in report["metrics_by_move"] if r["escalation_level"] is not None]
    body = table(["Move", "Level", "Name"], rows) or ["No escalation data visible.", ""]
    return ["## Escalation by move", "", *body]


def _sharing(report: JsonDict) -> list[str]:
    sharing = report["sharing"]
    nations: list[str] = sharing["nations"]
    lines = ["## Sharing", "",
             "Rows share with columns; levels as in force at the end of each move "
             "(`-`: not visible to this audience).", ""]
    for entry in sharing["by_move"]:
        matrix = entry["matrix"]
        lines += [f"### Sharing at end of move {entry['move']}", ""]
        lines += table(["From / to", *nations],
                       [[a, *[matrix[a].get(b) if b != a else SELF for b in nations]]
                        for a in nations])
        share = entry["reciprocal_share"]
        if share is not None:
            lines += [f"Reciprocal pairs: {percent(share)}.", ""]
    lines += ["### Sharing changes", ""]
    lines += table(["Seq", "Move", "Nation", "Partner", "Level"],
                   [[c["seq"], c["move"], c["nation"], c["partner"], c["level"]]
                    for c in sharing["changes"]]) or ["None.", ""]
    lines += ["### Disclosure review", "",
              "Each release to a partner outside a standing agreement waits in foreign-disclosure "
              "review; items held back are the releaser's warnings or assessments made meanwhile.", ""]
    lines += table(["Seq", "Released in move", "From", "To", "Product", "Marking", "Receives from move",
                    "Moves in review", "Items held back"],
                   [[r["seq"], r["move"], r["nation"], r["partner"], r["kind"],
                     marking_label(r["marking"]), r["from_move"], r["moves_in_review"], r["held_back"]]
                    for r in sharing.get("review", [])]) or ["None.", ""]
    return lines


def _timeline(report: JsonDict) -> list[str]:
    rows = [[e["seq"], e["move"], e["scenario_time"], e["actor"], e["summary"]]
            for e in report["timeline"]]
    return ["## Timeline", "", *table(["Seq", "Move", "Scenario time", "Actor", "Summary"], rows)]


def _decisions(report: JsonDict) -> list[str]:
    decisions = report["decisions"]
    lines = ["## Decisions", "", "### Orders", ""]
    lines += table(
        ["Seq", "Move", "Nation", "Order", "Kind", "Reason", "Cancelled"],
        [[o["seq"], o["move"], o["nation"], o["order_id"], o["kind"], o["reason"],
          "yes" if o["cancelled_seq"] else ""] for o in decisions["orders"]],
    ) or ["None.", ""]
    lines += ["### Tasking answers", ""]
    lines += table(
        ["Seq", "Move", "Request", "Requester", "Partner", "Answer", "Reason"],
        [[t["seq"], t["move"], t["request_id"], t["requester"], t["partner"],
          "accepted" if t["accepted"] else "declined", t["reason"]]
         for t in decisions["tasking_answers"]],
    ) or ["None.", ""]
    lines += ["### Public attributions", ""]
    lines += table(
        ["Seq", "Move", "Nation", "Inject", "Accused", "Likelihood", "Statement"],
        [[a["seq"], a["move"], a["nation"], a["inject_id"], a["accused"], a["likelihood"],
          a["statement"]] for a in decisions["attributions"]],
    ) or ["None.", ""]
    return lines


def _observation_lines(items: Sequence[JsonDict]) -> list[str]:
    if not items:
        return ["No observations recorded.", ""]
    lines = [f"- Move {o['move']} (seq {o['seq']}, {o['actor']}): "
             f"{'[' + o['rating'] + '] ' if o['rating'] else ''}{_text(o['text'])}" for o in items]
    return [*lines, ""]


def _observations(report: JsonDict) -> list[str]:
    observations = report["observations"]
    lines = ["## Observations by objective", ""]
    for objective in observations["by_objective"]:
        ratings = ", ".join(f"{k}: {v}" for k, v in objective["ratings"].items())
        lines += [f"### {objective['id']}: {_text(objective['text'])}", ""]
        if objective.get("capability"):
            lines += [f"Capability: {_text(objective['capability'])}", ""]
        if ratings:
            lines += [f"Ratings: {ratings}", ""]
        lines += _observation_lines(objective["observations"])
    if observations["unassigned"]:
        lines += ["### Not tied to an objective", ""]
        lines += _observation_lines(observations["unassigned"])
    return lines


def _planned(report: JsonDict) -> list[str]:
    rows = report.get("planned_vs_actual", [])
    played = sum(1 for n in report["exercise"]["nations"] if n.get("played"))
    lines = ["## Planned versus actual", "",
             "Each MSEL inject: planned and actual release, recipients, and what the recipients did "
             "from its release to the end of that move (and later actions naming it).", ""]
    lines += table(
        ["Serial", "Inject", "Planned", "Released", "To", "First response after", "Responses"],
        [[r["serial"], f"{r['inject_id']}: {r['title']}",
          f"move {r['planned_move']}, {timestamp(r['planned_scenario_time'])}"
          if r["planned_move"] is not None else None,
          f"move {r['released_move']}, {timestamp(r['released_scenario_time'])}"
          if r["released"] else "not released",
          recipients_text(r, played),
          f"{duration(r['seconds_to_first_response'])} ({r['first_response']['nation']}, "
          f"{r['first_response']['kind']})" if r["first_response"] else None,
          len(r["responses"])] for r in rows],
    ) or ["No injects visible to this audience.", ""]
    for r in rows:
        if not r["expected"] and not r["responses"]:
            continue
        lines += [f"### {r['inject_id']}: {_text(r['title'])}", ""]
        lines += table(["Expected player action", "Who", "Status"],
                       [[x["text"], ", ".join(x["nations"]) or "recipients",
                         EXPECTED_STATUS[x["done"]] + (f" (seq {', '.join(map(str, x['matched_seqs']))})"
                                                       if x["matched_seqs"] else "")]
                        for x in r["expected"]])
        lines += table(["Seq", "Move", "After release", "Nation", "Response"],
                       [[x["seq"], x["move"], duration(x["seconds_after_release"]), x["nation"],
                         x["summary"]] for x in r["responses"]])
    return lines


def _chain(report: JsonDict) -> list[str]:
    ex = report["exercise"]
    if ex["chain_ok"]:
        line = f"Chain integrity: OK ({ex['last_seq']} events, hash chain verified)."
    else:
        line = f"Chain integrity: BROKEN ({len(ex['chain_problems'])} problem(s))."
    lines = ["## Integrity", "", line, ""]
    if ex.get("head_hash"):
        lines += [f"Head of the log: seq {ex.get('head_seq')}, hash `{ex['head_hash']}`.", ""]
    lines += [f"- {_text(p)}" for p in ex["chain_problems"]]
    if ex.get("head_hash"):
        anchor = f"{ex['head_seq']}:{ex['head_hash']}"
        lines += [""] if ex["chain_problems"] else []
        lines += [
            f"Head of the log: seq {ex['head_seq']}, hash `{ex['head_hash']}`. Keep it outside the "
            f"database: `wargame exercise verify {_text(ex['id'])} --expect-head {anchor}` shows later "
            "whether the log still holds it (a copy cut short or rewritten fails).",
            "",
        ]
    return lines


def export_markdown(report: JsonDict) -> str:
    """A readable Markdown AAR: summary, metrics, escalation, sharing, timeline, decisions."""
    title = report["exercise"]["title"] or report["exercise"]["id"]
    banner = f"**{_text(report['exercise']['marking'])}**"
    lines = [banner, "", f"# After-action review: {_text(title)}", ""]
    for section in (_summary, _planned, _metrics, _escalation, _sharing, _timeline, _decisions,
                    _observations, _chain):
        lines += section(report)
        if section is _sharing and report.get("sharing_value") is not None:
            lines += sharing_value_markdown(report["sharing_value"])
    return "\n".join([*lines, "", banner]).rstrip() + "\n"
