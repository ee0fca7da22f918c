"""The moves in force that the player knows of, and what happened last turn."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..game import PlayerView
from .events import event_text


class Briefing(Static):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        text = Text()
        text.append("In force\n", "bold")
        for who, name, when in view.active:
            text.append(f"• {who}: ", "bold")
            text.append(f"{name} ")
            text.append(f"({when})\n", "dim")
        if not view.active:
            text.append("nothing you know of\n", "dim")
        summary = view.summary
        if summary is not None:
            text.append(f"\nTurn {summary.turn}\n", "bold")
            if summary.outcome:
                text.append(f"{summary.outcome}\n", "bold reverse")
            for event in summary.events:
                text.append_text(event_text(event, view.actor))
                text.append("\n")
        self.update(text.rstrip() or text)
