"""The line at the top of the turn screen: turn, date, player and capital on the left, tension on the right."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.reactive import reactive
from textual.widgets import Label

from ..game import PlayerView
from ..text import day


def tension_style(tension: float, top: float) -> str:
    share = tension / top if top else 0.0
    if share >= 0.65:
        return "bold red"
    if share >= 0.35:
        return "bold yellow"
    return "bold green"


class StatusBar(Horizontal):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        yield Label(id="status-left")
        yield Label(id="status-right")

    def on_resize(self) -> None:
        self.watch_view(self.view)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        left = Text(no_wrap=True, overflow="ellipsis")
        if view.running:
            left.append(f" Turn {view.turn}/{view.turn_limit}", "bold")
            left.append(f" · {day(view.date)} │ ")
        else:
            left.append(f" Game over after {view.turn - 1} turns │ ", "bold")
        left.append(f" {view.actor_name} ", "bold reverse" if view.actor else "italic")
        if view.capital is not None:
            left.append(f" capital {view.capital:.1f}")
        right = Text(no_wrap=True)
        right.append("tension ")
        # In a narrow terminal the rung gives way to the player's name and capital; the ladder still shows it.
        wide = self.size.width >= 96 or len(view.actor_name) < 12
        rung = f" {view.rung}" if wide else ""
        right.append(f"{view.tension:.1f}{rung} ", tension_style(view.tension, view.tension_max))
        self.query_one("#status-left", Label).update(left)
        self.query_one("#status-right", Label).update(right)
