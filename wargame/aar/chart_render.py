"""Charts of the AAR contract drawn with matplotlib (Agg, no display): SVG for HTML, PNG for DOCX."""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any, Literal

if TYPE_CHECKING:
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure

JsonDict = dict[str, Any]

PNG_DPI = 150
WIDE_LEGEND = 6
"""More series than this: the legend goes to the right of the plot, in small type."""
NETWORK_COLUMNS = 4
BAR_LABELS_FLAT = 12
"""More bar categories than this: their labels are turned upright."""
LineStyle = Literal["solid", "dashed", "dotted"]
LEVEL_STYLES: dict[str, tuple[str, LineStyle]] = {
    "full": ("#1b7837", "solid"),
    "degraded": ("#e08214", "solid"),
    "delayed": ("#2166ac", "solid"),
    "review": ("#878787", "dashed"),
    "forward": ("#762a83", "solid"),
    "agreement": ("#c7c7c7", "dotted"),
}
"""Colour and line style of a sharing-network edge by level (others: black, solid)."""
OTHER_LEVEL: tuple[str, LineStyle] = ("#000000", "solid")
LEVEL_RANK = {"agreement": 0, "review": 1, "delayed": 2, "degraded": 3, "forward": 4, "full": 5}
ARROWS_UP_TO = 150
"""Edges drawn as curved arrows up to this many in a move; more are drawn as straight lines."""


def svg(chart: JsonDict, move: int | None = None) -> str:
    """The chart as an inline SVG element (no XML prolog; ids salted by the chart's id, so many
    charts can share one HTML page). `move`: only that move of a network chart."""
    text = _save(chart, "svg", move).decode("utf-8")
    return text[text.index("<svg"):]


def png(chart: JsonDict, move: int | None = None) -> bytes:
    """The chart as a PNG image (PNG_DPI dots per inch), e.g. for a DOCX."""
    return _save(chart, "png", move)


def _save(chart: JsonDict, fmt: str, move: int | None) -> bytes:
    import matplotlib

    salt = f"{chart['id']}-{move}" if move is not None else str(chart["id"])
    with matplotlib.rc_context({"svg.fonttype": "none", "svg.hashsalt": salt, "font.size": 9}):
        figure = _draw(chart, move)
        out = io.BytesIO()
        metadata: dict[str, Any] = {"Date": None} if fmt == "svg" else {"Software": None}
        figure.savefig(out, format=fmt, dpi=PNG_DPI, metadata=metadata)
    return out.getvalue()


def _draw(chart: JsonDict, move: int | None) -> Figure:
    from matplotlib.figure import Figure

    kind = chart["kind"]
    if kind == "network":
        return _network_figure(chart, move)
    wide = len(chart["series"]) > WIDE_LEGEND
    figure = Figure(figsize=(10.0 if wide else 7.5, 4.2))
    rotated = kind == "bar" and len(chart["series"][0]["x"]) > BAR_LABELS_FLAT if chart["series"] else False
    figure.subplots_adjust(left=0.09, right=0.76 if wide else 0.97, top=0.9,
                           bottom=0.24 if rotated else 0.13)  # fixed margins: one layout pass
    ax = figure.add_subplot()
    if kind == "line":
        _lines(ax, chart["series"])
    elif kind == "bar":
        _bars(ax, chart["series"])
    elif kind == "histogram":
        _histogram(ax, chart["series"])
    else:
        raise ValueError(f"unknown chart kind {kind!r}")
    ax.set_title(chart["title"])
    ax.set_xlabel(chart["x_label"])
    ax.set_ylabel(chart["y_label"])
    ax.grid(True, alpha=0.3)
    if chart["series"]:
        if wide:
            ax.legend(loc="upper left", bbox_to_anchor=(1.01, 1.0), fontsize=7,
                      ncol=2 if len(chart["series"]) > 16 else 1, frameon=False)
        else:
            ax.legend(fontsize=8)
    return figure


def _style(index: int) -> JsonDict:
    from matplotlib import colormaps

    palette = colormaps["tab20"]
    return {"color": palette(index % 20), "linestyle": ("-", "--", ":")[(index // 20) % 3]}


def _lines(ax: Axes, series: Sequence[JsonDict]) -> None:
    marker = "o" if len(series) <= WIDE_LEGEND else None  # markers on 25 lines cost more than they show
    for i, s in enumerate(series):
        y = [math.nan if v is None else float(v) for v in s["y"]]
        ax.plot(s["x"], y, marker=marker, markersize=3, label=s["name"], **_style(i))
    moves = sorted({x for s in series for x in s["x"]})
    if moves and all(isinstance(m, int) for m in moves):
        ax.set_xticks(moves)


def _bars(ax: Axes, series: Sequence[JsonDict]) -> None:
    categories = list(dict.fromkeys(x for s in series for x in s["x"]))
    width = 0.8 / max(1, len(series))
    for i, s in enumerate(series):
        values = dict(zip(s["x"], s["y"], strict=True))
        ax.bar([c + (i - (len(series) - 1) / 2) * width for c in range(len(categories))],
               [float(values.get(c) or 0.0) for c in categories], width, label=s["name"],
               color=_style(i)["color"])
    ax.set_xticks(range(len(categories)), [str(c) for c in categories],
                  rotation=90 if len(categories) > BAR_LABELS_FLAT else 0)


def _histogram(ax: Axes, series: Sequence[JsonDict]) -> None:
    for i, s in enumerate(series):
        ax.stairs(s["counts"], s["bins"], fill=True, alpha=0.45, label=s["name"], color=_style(i)["color"])
        ax.stairs(s["counts"], s["bins"], color=_style(i)["color"])


def _network_figure(chart: JsonDict, move: int | None) -> Figure:
    import networkx as nx
    from matplotlib.figure import Figure
    from matplotlib.lines import Line2D

    moves = [m for m in chart["moves"] if move is None or m["move"] == move]
    if not moves:
        raise ValueError(f"the network chart has no move {move}")
    every = sorted({n["id"] for m in chart["moves"] for n in m["nodes"]})
    positions = nx.circular_layout(sorted(every))  # one layout for every move: nodes stay put
    columns = min(NETWORK_COLUMNS, len(moves))
    rows = math.ceil(len(moves) / columns)
    size = 6.0 if len(moves) == 1 else 3.4
    height = size * rows + 1.0
    figure = Figure(figsize=(size * columns, height))
    figure.subplots_adjust(left=0.02, right=0.98, top=1 - 0.75 / height, bottom=0.45 / height,
                           wspace=0.05, hspace=0.15)
    axes = figure.subplots(rows, columns, squeeze=False)
    levels: set[str] = set()
    for ax, entry in zip(axes.flat, moves, strict=False):
        levels |= _draw_move(ax, entry, positions, small=len(every) > 12)
    for ax in list(axes.flat)[len(moves):]:
        ax.set_axis_off()
    handles = [Line2D([], [], color=LEVEL_STYLES.get(lv, OTHER_LEVEL)[0],
                      linestyle=LEVEL_STYLES.get(lv, OTHER_LEVEL)[1], label=lv) for lv in sorted(levels)]
    if handles:
        figure.legend(handles=handles, loc="lower center", ncol=len(handles), frameon=False)
    figure.suptitle("\n".join(textwrap.wrap(chart["title"], width=int(11 * size * columns))))
    return figure


def _draw_move(ax: Axes, entry: JsonDict, positions: dict[Any, Any], small: bool) -> set[str]:
    """One move's graph: one drawn edge per ordered pair, styled by its best level (arrows only
    while there are at most ARROWS_UP_TO of them; beyond that, plain lines)."""
    import networkx as nx

    best: dict[tuple[str, str], str] = {}
    for edge in entry["edges"]:
        pair = (edge["source"], edge["target"])
        if pair not in best or _rank(edge["level"]) > _rank(best[pair]):
            best[pair] = edge["level"]
    graph = nx.DiGraph()
    graph.add_nodes_from(n["id"] for n in entry["nodes"])
    graph.add_edges_from(best)
    used = {node: positions[node] for node in graph.nodes}
    node_size = 140 if small else 420
    nx.draw_networkx_nodes(graph, used, ax=ax, node_size=node_size, node_color="#d9e6f2",
                           edgecolors="#4a6a8a")
    nx.draw_networkx_labels(graph, used, ax=ax, font_size=6 if small else 8)
    if len(best) <= ARROWS_UP_TO:
        for level in sorted(set(best.values()), key=_rank):
            color, style = LEVEL_STYLES.get(level, OTHER_LEVEL)
            pairs = [pair for pair, lv in best.items() if lv == level]
            nx.draw_networkx_edges(graph, used, edgelist=pairs, ax=ax, edge_color=color, style=style,
                                   arrows=level != "agreement", width=1.0, arrowsize=8,
                                   connectionstyle="arc3,rad=0.12", node_size=node_size)
    else:
        _straight_edges(ax, best, used)
    ax.set_title(f"Move {entry['move']}")
    ax.set_axis_off()
    return set(best.values())


def _straight_edges(ax: Axes, best: dict[tuple[str, str], str], positions: dict[Any, Any]) -> None:
    """A dense graph: one straight line per pair of nations (its most shared level either way),
    each level one path: thousands of separate SVG elements cost more than they show."""
    from matplotlib.patches import PathPatch
    from matplotlib.path import Path

    undirected: dict[tuple[str, str], str] = {}
    for (a, b), level in best.items():
        key = (min(a, b), max(a, b))
        if key not in undirected or _rank(level) > _rank(undirected[key]):
            undirected[key] = level
    for level in sorted(set(undirected.values()), key=_rank):
        color, style = LEVEL_STYLES.get(level, OTHER_LEVEL)
        pairs = [pair for pair, lv in undirected.items() if lv == level]
        vertices = [tuple(positions[node]) for pair in pairs for node in pair]
        codes = [Path.MOVETO, Path.LINETO] * len(pairs)
        ax.add_patch(PathPatch(Path(vertices, codes), fill=False, edgecolor=color, linestyle=style,
                               linewidth=0.8, zorder=0))


def _rank(level: str) -> int:
    """Which level a pair's drawn edge shows when several releases join it: the most shared."""
    return LEVEL_RANK.get(level, len(LEVEL_RANK))
