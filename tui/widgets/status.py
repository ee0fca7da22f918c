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
        tension = view.tension_text(view.tension)
        margin = 2          # #status-right's
        width = self.size.width
        # Where the line is short of room, what gives way in turn: the rung (the ladder shows it), the date (the
        # report has it), then the end of a long name — never the player's capital or the tension.
        for rung, date, cut in ((True, True, False), (False, True, False), (False, False, False), (False, False, True)):
            right = f"{tension} {view.rung} " if rung else f"{tension} "
            room = width - margin - len("tension " + right) - self._left(view, date, "").cell_len if cut else None
            left = self._left(view, date, view.actor_name, room)
            if left.cell_len + margin + len("tension " + right) <= width:
                break
        shown = Text("tension ", no_wrap=True)
        shown.append(right, tension_style(view.tension, view.tension_max))
        self.query_one("#status-left", Label).update(left)
        self.query_one("#status-right", Label).update(shown)

    @staticmethod
    def _left(view: PlayerView, date: bool, name: str, room: int | None = None) -> Text:
        """Turn, date, who is playing and their capital; the name cut to `room` cells, ending in "…"."""
        if room is not None and len(name) > room:
            name = name[:max(3, room) - 1].rstrip() + "…"
        left = Text(no_wrap=True, overflow="ellipsis")
        if view.running:
            left.append(f" Turn {view.turn}/{view.turn_limit}", "bold")
            left.append(f" · {day(view.date)} │ " if date else " │ ")
        else:
            left.append(f" Game over after {view.turn - 1} turns │ ", "bold")
        left.append(f" {name} ", "bold reverse" if view.actor else "italic")
        if view.capital is not None:
            left.append(f" capital {view.capital:.1f}")
        return left
