"""The moves in force that the player knows of, and what happened last turn."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..game import PlayerView
from ..text import hanging
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
        summary = view.summary
        if summary is not None:
            lines.append(Text(f"\nTurn {summary.turn}", "bold"))
            if summary.outcome:
                lines.append(Text(summary.outcome, "bold reverse"))
            lines.extend(event_line(event, view.actor, names=view.labels) for event in summary.events)
        self.update(Group(*lines))
