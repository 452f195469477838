"""The AAR's value-of-sharing section: the latest recorded analysis as deltas against the
exercise as played, per nation and move, and what each release bought or each withholding cost."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from wargame.aar.summaries import marking_label
from wargame.domain.sharing_analysis import (
    NationOutcome,
    SharingAnalysisResult,
    SharingVariant,
    VariantOutcome,
)

JsonDict = dict[str, Any]

METRICS: dict[str, str] = {
    "custody": "custody",
    "precise_custody": "precise custody",
    "assessed": "hostile injects assessed",
    "warned": "warned of them",
    "timely": "timely warnings",
    "warning_hours": "warning time (h, summed)",
    "likelihood_pct": "attribution likelihood (%, mean)",
    "high_confidence": "high-confidence assessments",
    "assessments_received": "assessments received",
    "conjunction_warnings": "own conjunction warnings",
    "close_approaches": "close approaches detected",
    "warnings_received": "warnings received",
    "actionable_warnings": "actionable conjunction warnings",
}
"""The figures compared, by name (counts and hours summed over moves). The likelihood's delta
compares the same injects only: a nation's assessments in both the variant and as played."""
MAIN_KINDS = ("all_full", "none", "no_review", "withhold", "open")
"""Variants shown move by move; per-release ones are summarised in 'bought'."""


def figures(outcome: NationOutcome) -> dict[str, float | None]:
    """One nation's figures of one move: the outcome's, with its warning time summed."""
    data = outcome.model_dump()
    hours = (outcome.warning_time_h or 0.0) * outcome.warned
    return {name: (hours if name == "warning_hours" else data[name]) for name in METRICS}


def _minus(a: float | None, b: float | None) -> float | None:
    return None if a is None or b is None else a - b


def _by_move(outcome: VariantOutcome) -> dict[int, dict[str, dict[str, float | None]]]:
    return {m: {n: figures(o) for n, o in row.items()} for m, row in outcome.by_move.items()}


def _likelihood_change(variant: VariantOutcome, base: VariantOutcome, move: int, nation: str) -> float | None:
    """Mean change of the nation's attribution likelihood over the injects of `move` it assessed
    both in the variant and as played (None: none in both)."""

    def of(outcome: VariantOutcome) -> dict[str, float]:
        found = [a for a in outcome.assessments if (a.move, a.nation) == (move, nation)]
        return {a.inject_id: a.likelihood_pct for a in found}

    mine, theirs = of(variant), of(base)
    both = [mine[i] - theirs[i] for i in mine if i in theirs]
    return sum(both) / len(both) if both else None


def deltas(variant: VariantOutcome, base: VariantOutcome) -> dict[int, dict[str, dict[str, float | None]]]:
    """Per move and nation, the variant's figures minus as played's (None: undefined)."""
    mine, theirs = _by_move(variant), _by_move(base)
    out: dict[int, dict[str, dict[str, float | None]]] = {}
    for m, rows in mine.items():
        out[m] = {}
        for n, row in rows.items():
            base_row = theirs.get(m, {}).get(n, {})
            out[m][n] = {k: _minus(v, base_row.get(k)) for k, v in row.items()}
            out[m][n]["likelihood_pct"] = _likelihood_change(variant, base, m, n)
    return out


def totals(per_move: dict[int, dict[str, dict[str, float | None]]]) -> dict[str, dict[str, float | None]]:
    """Per nation, deltas summed over moves (the likelihood: their mean where defined)."""
    out: dict[str, dict[str, float | None]] = {}
    for rows in per_move.values():
        for nation, row in rows.items():
            into = out.setdefault(nation, {k: 0.0 for k in METRICS})
            for name, value in row.items():
                if name != "likelihood_pct" and value is not None:
                    into[name] = (into[name] or 0.0) + value
    for nation, into in out.items():
        found = [rows[nation]["likelihood_pct"] for rows in per_move.values()
                 if nation in rows and rows[nation]["likelihood_pct"] is not None]
        into["likelihood_pct"] = sum(v for v in found if v is not None) / len(found) if found else None
    return out


def _negated(total: dict[str, dict[str, float | None]]) -> dict[str, dict[str, float | None]]:
    return {n: {k: (None if v is None else -v) for k, v in row.items()} for n, row in total.items()}


def value_of(result: SharingAnalysisResult) -> JsonDict:
    """The section's tables from a result: figures per variant, deltas against as played, and
    what releases bought (as played minus without them) or withholding cost (opened minus as
    played)."""
    base = result.variants[0]
    info = {r.product_id: r.model_dump(mode="json") for r in result.releases}
    section: JsonDict = {
        "through_seq": result.through_seq, "exact": result.exact, "mismatch": result.mismatch,
        "seconds": result.seconds, "nations": list(result.nations), "moves": list(result.moves),
        "metrics": dict(METRICS), "variants": [], "outcomes": {}, "deltas": {}, "totals": {},
        "bought": [], "withholding_cost": [], "review_cost": None, "assessments": {},
    }
    for outcome in result.variants:
        v = outcome.variant
        key = v.key
        section["variants"].append({"key": key, "label": v.label, "kind": v.kind, "nation": v.nation,
                                    "product_id": v.product_id, "from_move": outcome.from_move,
                                    "seconds": outcome.seconds})
        section["outcomes"][key] = {str(m): row for m, row in _by_move(outcome).items()}
        section["assessments"][key] = [a.model_dump(mode="json") for a in outcome.assessments]
        if outcome is base:
            continue
        per_move = deltas(outcome, base)
        total = totals(per_move)
        section["deltas"][key] = {str(m): row for m, row in per_move.items()}
        section["totals"][key] = total
        if v.kind == "without_release":
            found = info.get(v.product_id or "", {})
            section["bought"].append({"product_id": v.product_id, "nation": found.get("nation"),
                                      "kind": found.get("kind"), "marking": found.get("marking"),
                                      "move": found.get("move"), "recipients": found.get("recipients", []),
                                      "value": _negated(total)})
        elif v.kind == "withhold":
            section["bought"].append({"product_id": None, "nation": v.nation, "kind": "all releases",
                                      "marking": None, "move": None, "recipients": [],
                                      "value": _negated(total)})
        elif v.kind in ("open", "all_full"):
            section["withholding_cost"].append({"variant": key, "label": v.label, "nation": v.nation,
                                                "cost": total})
        elif v.kind == "no_review":
            section["review_cost"] = total
    return section


def sharing_value_section(visible: Sequence[JsonDict]) -> JsonDict:
    """The latest completed analysis among the events this audience sees (control seats only),
    and the status of every request: {'analyses': [...], 'latest': tables or None}."""
    statuses: dict[str, JsonDict] = {}
    latest: JsonDict | None = None
    for e in visible:
        body = e["body"]
        if e["type"] == "sharing_analysis_requested":
            statuses[body["analysis_id"]] = {
                "analysis_id": body["analysis_id"], "requested_seq": e["seq"], "actor": e["actor"],
                "through_seq": body["through_seq"], "phase": "requested", "done": 0, "total": 0,
                "variants": [SharingVariant.model_validate(v).key for v in body["variants"]],
            }
        elif e["type"] == "sharing_analysis_progress" and body["analysis_id"] in statuses:
            statuses[body["analysis_id"]].update(phase="running", done=body["done"], total=body["total"])
        elif e["type"] == "sharing_analysis_failed" and body["analysis_id"] in statuses:
            statuses[body["analysis_id"]].update(phase="failed", reason=body["reason"])
        elif e["type"] == "sharing_analysis_completed" and body["analysis_id"] in statuses:
            statuses[body["analysis_id"]].update(phase="done", result_seq=e["seq"])
            result = SharingAnalysisResult.model_validate(body["result"])
            latest = {"analysis_id": body["analysis_id"], "seq": e["seq"], **value_of(result)}
    return {"analyses": list(statuses.values()), "latest": latest}


SHOWN = ("custody", "precise_custody", "assessed", "warned", "warning_hours", "likelihood_pct",
         "conjunction_warnings", "warnings_received", "assessments_received")
"""The figures of the move-by-move tables."""


def rounded(name: str, value: float | None, signed: bool = False) -> str:
    """A figure for people: hours to one decimal, percentages and counts whole; `signed` puts
    + before a gain ('0' for none)."""
    if value is None:
        return "-"
    digits = 1 if name in ("warning_hours", "warning_time_h") else 0
    value = round(value, digits) + 0.0  # + 0.0: no '-0'
    if signed and value != 0:
        return f"{value:+.{digits}f}"
    return f"{value:.{digits}f}"


def _gains(value: dict[str, dict[str, float | None]]) -> str:
    """'GBR: precise custody +16, warning time (h, summed) +3.6; USA: ...' (non-zero figures only)."""
    parts = []
    for nation, row in sorted(value.items()):
        shown = [f"{METRICS[k]} {rounded(k, v, True)}" for k, v in row.items() if v]
        if shown:
            parts.append(f"{nation}: {', '.join(shown)}")
    return "; ".join(parts) or "nothing measurable"


def _marking(marking: JsonDict | None) -> str:
    if not marking:
        return "-"
    return marking_label(marking)


def attribution_rows(latest: JsonDict, keys: Sequence[str]) -> list[tuple[str, JsonDict]]:
    """Every assessment as played, then each variant's assessments that differ from it (a
    nation that assessed an inject only in the variant, or with other figures); an assessment
    as played the variant lacks shows with its figures as '-'."""
    base_key = latest["variants"][0]["key"]
    base = {(a["nation"], a["inject_id"], a["move"]): a for a in latest["assessments"][base_key]}
    rows = [(base_key, a) for a in latest["assessments"][base_key]]
    for key in keys:
        mine = {(a["nation"], a["inject_id"], a["move"]): a for a in latest["assessments"][key]}
        rows += [(key, a) for k, a in mine.items() if base.get(k) != a]
        lacking = {"warned": False, "warning_time_h": None, "likelihood_pct": None, "confidence": "none"}
        rows += [(key, {**a, **lacking}) for k, a in base.items() if k not in mine]
    return rows


def _markdown_table(headers: Sequence[str], rows: Sequence[Sequence[str]]) -> list[str]:
    if not rows:
        return ["None.", ""]
    lines = ["| " + " | ".join(headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    return [*lines, *("| " + " | ".join(c.replace("|", "\\|") for c in row) + " |" for row in rows), ""]


METHOD = (
    "The exercise was adjudicated again with the same seeds under other sharing. Every order, "
    "tasking, inject, restore, chat and attribution is held as played; only releases, sharing "
    "policies and forwards change. Players might have acted differently had they shared "
    "differently: these figures are what the same decisions would have met. Deltas are the "
    "variant minus as played."
)


def sharing_value_markdown(section: JsonDict | None) -> list[str]:
    """The section in Markdown: method, exactness, per-variant totals, move by move, what each
    release bought, what withholding and the disclosure review cost, and attribution."""
    lines = ["## Value of sharing", ""]
    latest = (section or {}).get("latest")
    if not latest:
        analyses = (section or {}).get("analyses", [])
        pending = [a for a in analyses if a["phase"] in ("requested", "running")]
        status = "No analysis recorded: a facilitator or the white cell can request one."
        if pending:
            status = f"An analysis is running ({pending[-1]['done']}/{pending[-1]['total']} moves)."
        return [*lines, status, ""]
    exact = "yes" if latest["exact"] else f"NO ({latest['mismatch']})"
    lines += [METHOD, "", f"Analysis {latest['analysis_id']} of the log up to seq {latest['through_seq']}; "
              f"as played reproduces the recorded adjudication exactly: {exact}.", ""]
    labels = {v["key"]: v["label"] for v in latest["variants"]}
    main = [v["key"] for v in latest["variants"] if v["kind"] in MAIN_KINDS]
    lines += ["### Totals over the moves (variant minus as played)", ""]
    lines += _markdown_table(
        ["Variant", "Nation", *(METRICS[k] for k in SHOWN)],
        [[labels[key], nation, *(rounded(k, row[k], True) for k in SHOWN)]
         for key in main for nation, row in sorted(latest["totals"][key].items())],
    )
    for key in main:
        lines += [f"### {labels[key]}, move by move: value (delta)", ""]
        outcome, delta = latest["outcomes"][key], latest["deltas"][key]
        lines += _markdown_table(
            ["Move", "Nation", *(METRICS[k] for k in SHOWN)],
            [[m, n, *(f"{rounded(k, outcome[m][n][k])} ({rounded(k, delta[m][n][k], True)})" for k in SHOWN)]
             for m in sorted(outcome, key=int) for n in sorted(outcome[m])],
        )
    lines += ["### What each release bought (as played minus without it)", ""]
    lines += _markdown_table(
        ["Release", "From", "Product", "Marking", "Move", "Bought"],
        [[b["product_id"] or "all its releases", b["nation"] or "-", b["kind"] or "-", _marking(b["marking"]),
          str(b["move"]) if b["move"] is not None else "-", _gains(b["value"])] for b in latest["bought"]],
    )
    lines += ["### What withholding cost (released in full minus as played)", ""]
    costs = [[w["label"], _gains(w["cost"])] for w in latest["withholding_cost"]]
    lines += _markdown_table(["Variant", "Cost"], costs)
    if latest["review_cost"] is not None:
        lines += ["### What the disclosure review cost (no review minus as played)", "",
                  _gains(latest["review_cost"]), ""]
    lines += ["### Attribution: each nation's assessments of hostile injects", ""]
    lines += _markdown_table(
        ["Variant", "Nation", "Inject", "Move", "Warned", "Warning (h)", "Likelihood (%)", "Confidence"],
        [[labels[key], a["nation"], a["inject_id"], str(a["move"]), "yes" if a["warned"] else "no",
          rounded("warning_time_h", a["warning_time_h"]), rounded("likelihood_pct", a["likelihood_pct"]),
          a["confidence"]]
         for key, a in attribution_rows(latest, main)],
    )
    return lines
