"""The line at the top of the turn screen: turn, date, player, capital and tension."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..game import PlayerView
from ..text import day


class StatusBar(Static):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        line = Text(no_wrap=True, overflow="ellipsis")
        if view.running:
            line.append(f" Turn {view.turn}/{view.turn_limit}", "bold")
            line.append(f" · {day(view.date)}")
        else:
            line.append(f" Game over after {view.turn - 1} turns", "bold")
        line.append(" │ tension ")
        line.append(f"{view.tension:.1f} {view.rung}", _tension_style(view.tension, view.tension_max))
        line.append(" │ ")
        line.append(f" {view.actor_name} ", "bold reverse" if view.actor else "italic")
        if view.capital is not None:
            line.append(f" capital {view.capital:.1f}/{view.capital_max:g}")
        self.update(line)


def _tension_style(tension: float, top: float) -> str:
    share = tension / top if top else 0.0
    if share >= 0.65:
        return "bold red"
    if share >= 0.35:
        return "bold yellow"
    return "bold green"
