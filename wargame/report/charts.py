"""PNG charts of a game's indicators, drawn with matplotlib's Agg backend (no display needed)."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ..compare import label
from ..indicators import label as label_of
from ..indicators import short, titled

if TYPE_CHECKING:
    from ..ruleset import Ruleset
    from .analysis import Analysis

COLOURS = {"beijing": "#c0392b", "tokyo": "#2c3e50", "washington": "#2980b9", "g7": "#8e44ad"}


def _pyplot():
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    return plt


def draw_all(a: "Analysis", rules: "Ruleset", folder: Path) -> list[tuple[str, str, str]]:
    """Draw every chart into `folder`; returns (file name, title, caption) for each."""
    folder.mkdir(parents=True, exist_ok=True)
    plt = _pyplot()
    charts = [
        ("ladder.png", "The escalation ladder", _ladder),
        ("supply.png", "Japan's rare-earth supply", _supply),
        ("losses.png", "Economic losses", _losses),
        ("prices.png", "Prices inside and outside China", _prices),
        ("output.png", "Output of Japan's industries", _output),
        ("politics.png", "Relations, cohesion and domestic pressure", _politics),
    ]
    out = []
    for file, title, draw in charts:
        fig = draw(plt, a, rules)
        if fig is None:
            continue
        fig.suptitle(title, fontsize=11, fontweight="bold")
        fig.tight_layout()
        fig.savefig(folder / file, dpi=110)
        plt.close(fig)
        out.append((file, title, CAPTIONS[file]))
    return out


CAPTIONS = {
    "ladder.png": "Tension each turn against the rungs of the escalation ladder. Triangles mark governments' "
                  "escalatory (▲) and de-escalatory (▼) moves.",
    "supply.png": "Japan's imports by value against normal (1 = normal), and the share of its rare earths that "
                  "come from China.",
    "losses.png": "Cumulative losses: Japan's GDP lost to shortages and its lost trade and tourism (left axis), "
                  "and China's lost rare-earth exports (right axis).",
    "prices.png": "Prices per kg inside China (dashed) and outside China (solid), on a log scale.",
    "output.png": "Output of each Japanese industry as a share of normal.",
    "politics.png": "Relations between governments (−1 hostile to 1 close), G7 cohesion and each government's "
                    "domestic pressure (0 to 1).",
}


def _turns(a: "Analysis") -> list[int]:
    return list(range(1, a.turns + 1))


def _from_start(a: "Analysis", key: str) -> tuple[list[int], list[float]]:
    """An indicator's values by turn, from the position before turn 1 where it is known."""
    values = list(a.series.get(key, []))
    if key in a.baseline:
        return [0] + _turns(a), [a.baseline[key]] + values
    return _turns(a), values


def _ladder(plt, a, rules):
    fig, ax = plt.subplots(figsize=(8.5, 3.8))
    turns = _turns(a)
    rungs = list(rules.politics["ladder"])
    top = rules.politics["tension_max"]
    shades = plt.get_cmap("Reds")
    for i, (level, name) in enumerate(rungs):
        upper = rungs[i + 1][0] if i + 1 < len(rungs) else top
        ax.axhspan(level, upper, color=shades(0.08 + 0.6 * i / max(1, len(rungs) - 1)), alpha=0.35, lw=0)
        ax.text(1.01, (level + upper) / 2, name, transform=ax.get_yaxis_transform(), fontsize=7, va="center")
    ax.plot([0] + turns, [a.baseline["tension"]] + a.series.get("tension", []), color="black", lw=2, marker="o",
            ms=3, label="tension")
    tension = a.series.get("tension", [])
    for d in a.decisions:
        if d.actor not in rules.governments or d.severity == 0:
            continue
        y = tension[d.turn - 1]
        ax.scatter([d.turn], [y], marker="^" if d.severity > 0 else "v", s=28 + 8 * abs(d.severity),
                   color=COLOURS.get(d.actor, "grey"), zorder=3, edgecolors="white", linewidths=0.5)
    for actor in rules.governments:
        ax.scatter([], [], marker="^", color=COLOURS.get(actor, "grey"), label=rules.actors[actor].name)
    ax.set_xlim(0, max(1, a.turns) + 0.5)
    ax.set_ylim(0, top)
    ax.set_xlabel("turn")
    ax.set_ylabel(f"tension (0 to {top:g})")
    ax.legend(fontsize=7, loc="upper left", ncol=5)
    return fig


def _supply(plt, a, rules):
    if "japan_supply_index" not in a.series:
        return None
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    for key, style, text in (("japan_supply_index", dict(lw=2), titled("japan_supply_index")),
                             ("japan_import_share_china", dict(lw=1.5, ls="--"), short("japan_import_share_china")),
                             ("japan_heavy_share_china", dict(lw=1.5, ls=":"), short("japan_heavy_share_china"))):
        turns, values = _from_start(a, key)
        ax.plot(turns, values, label=text, **style)
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_ylim(0, max(1.1, max(a.series["japan_supply_index"]) * 1.05))
    ax.set_xlabel("turn")
    ax.legend(fontsize=7)
    return fig


def _losses(plt, a, rules):
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    turns, values = _from_start(a, "japan_gdp_loss_jpy")
    ax.plot(turns, [v / 1e9 for v in values], lw=2, color="#2c3e50", label=titled("japan_gdp_loss_jpy", "¥ bn"))
    if a.series.get("japan_other_loss_jpy"):
        turns, values = _from_start(a, "japan_other_loss_jpy")
        ax.plot(turns, [v / 1e9 for v in values], lw=1.5, ls="--", color="#2c3e50",
                label=titled("japan_other_loss_jpy", "¥ bn"))
    ax.set_ylabel("¥ bn")
    ax.set_xlabel("turn")
    ax2 = ax.twinx()
    turns, values = _from_start(a, "china_export_loss_usd")
    ax2.plot(turns, [v / 1e6 for v in values], lw=2, color="#c0392b", label=titled("china_export_loss_usd", "$ m"))
    ax2.set_ylabel("$ m")
    lines = ax.get_lines() + ax2.get_lines()
    ax.legend(lines, [ln.get_label() for ln in lines], fontsize=7, loc="upper left")
    return fig


def _prices(plt, a, rules):
    outside = a.series.get("price_outside_china")
    if not outside:
        return None
    fig, ax = plt.subplots(figsize=(8.5, 3.6))
    turns = _turns(a)
    cmap = plt.get_cmap("tab10")
    for i, c in enumerate(outside[0]):
        colour = cmap(i)
        name = label(f"price_outside_china.{c}", rules).split(": ")[-1].split(" (")[0]
        ax.plot(turns, [p[c] for p in outside], color=colour, lw=1.8, label=name)
        inside = a.series.get("price_inside_china")
        if inside and c in inside[0]:
            ax.plot(turns, [p[c] for p in inside], color=colour, lw=1.2, ls="--")
    ax.set_yscale("log")
    ax.set_ylabel("$/kg")
    ax.set_xlabel("turn")
    ax.legend(fontsize=7, ncol=3)
    return fig


def _output(plt, a, rules):
    output = a.series.get("sector_output")
    if not output:
        return None
    fig, ax = plt.subplots(figsize=(8.5, 3.4))
    turns = _turns(a)
    for key in output[0]:
        ax.plot(turns, [o[key] for o in output], lw=1.8, label=label(f"sector_output.{key}", rules)[8:])
    ax.axhline(1.0, color="grey", lw=0.8)
    ax.set_ylim(0, 1.05)
    ax.set_ylabel("share of normal output")
    ax.set_xlabel("turn")
    ax.legend(fontsize=7, ncol=2)
    return fig


def _politics(plt, a, rules):
    fig, (left, right) = plt.subplots(1, 2, figsize=(8.5, 3.4))
    turns = _turns(a)
    relations = a.series.get("relations") or [{}]
    for pair in relations[0]:
        left.plot(turns, [r[pair] for r in relations], lw=1.5, label=label(f"relations.{pair}", rules)[10:])
    left.axhline(0, color="grey", lw=0.8)
    left.set_ylim(-1, 1)
    left.set_title("relations", fontsize=9)
    left.legend(fontsize=6)
    right.plot(turns, a.series.get("cohesion", []), lw=2, color="black", label=label_of("cohesion"))
    pressure = a.series.get("pressure") or [{}]
    for gov in pressure[0]:
        right.plot(turns, [p[gov] for p in pressure], lw=1.3, color=COLOURS.get(gov), ls="--",
                   label=f"pressure on {rules.actors[gov].name if gov in rules.actors else gov}")
    right.set_ylim(0, 1)
    right.set_title("cohesion and domestic pressure", fontsize=9)
    right.legend(fontsize=6)
    for ax in (left, right):
        ax.set_xlabel("turn")
    return fig
