"""The moves in force that the player knows of, what the instructor has revealed, and what happened last turn."""

from __future__ import annotations

from typing import Any

from rich.console import Group, RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from wargame.views import RESOLVE_SCALE, hawk_or_dove

from ..game import PlayerView
from ..text import hanging, tonnes
from .events import event_line


class Briefing(Static):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        lines: list[RenderableType] = [Text("In force", "bold")]
        for who, name, when in view.active:
            move = Text.assemble((f"{who}: ", "bold"), f"{name} ", (f"({when})", "dim"))
            lines.append(hanging(Text("• ", "bold"), move))
        if not view.active:
            lines.append(Text("nothing you know of", "dim"))
        lines.extend(revealed_lines(view))
        summary = view.summary
        if summary is not None:
            lines.append(Text(f"\nTurn {summary.turn}", "bold"))
            if summary.outcome:
                lines.append(Text(summary.outcome, "bold reverse"))
            # Capacity due after the last turn says so, as in the report and the log: a player reading "+173 t/turn from
            # turn 157" in a 52-turn game would count on it.
            lines.extend(event_line(event, view.actor, names=view.labels, last_turn=view.turn_limit)
                         for event in summary.events)
        self.update(Group(*lines))


def revealed_lines(view: PlayerView) -> list[RenderableType]:
    """Every actor's private facts the instructor has revealed to every player; nothing if none are."""
    if not view.revealed:
        return []
    lines: list[RenderableType] = [Text("\nRevealed by the instructor", "bold")]
    for facts in view.revealed:
        if facts["actor"] == view.actor:
            lines.append(hanging(Text("• ", "bold"), Text("Your own private information: every player now sees it.",
                                                            "yellow")))
        else:
            lines.append(hanging(Text("• ", "bold"), _facts(view, facts)))
    return lines


def _facts(view: PlayerView, facts: dict[str, Any]) -> Text:
    labels = view.labels
    text = Text.assemble((f"{labels.get(facts['actor'], facts['actor'])}: ", "bold"))
    parts = []
    if facts["resolve"] is not None:
        resolve = facts["resolve"]
        parts.append(f"resolve {resolve:.2f} ({hawk_or_dove(resolve)})")
    if facts["pressure"] is not None:
        parts.append(f"domestic pressure {facts['pressure']:.2f}")
    parts.append(f"capital {facts['capital']:.1f}")
    text.append(" · ".join(parts))
    if facts["beliefs"]:
        believed = ", ".join(f"{labels.get(t, t)} {v:.2f}" for t, v in facts["beliefs"].items())
        text.append(f"\nthinks the others' resolve is {believed} ({RESOLVE_SCALE})")
    for node, commodities in facts["inventory"].items():
        if commodities:
            held = ", ".join(f"{labels.get(c, c)} {tonnes(t)}" for c, t in commodities.items())
            text.append(f"\nstocks at {view.node_names.get(node, node)}: {held}")
    return text
