"""The escalation ladder: every rung, the current one marked, and how tension has moved."""

from __future__ import annotations

from rich.console import Console, ConsoleOptions, RenderResult
from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Static

from wargame.views import series

from ..game import PlayerView
from ..text import spark
from .status import tension_style


class TensionChart:
    """Tension turn by turn on the ladder's own scale, 0 to the top, as wide as there is room: the same height
    means the same tension whatever the game has been through (a chart scaled to its own lowest and highest
    turns would draw a rise from 4.0 to 4.1 as a wall)."""

    def __init__(self, values: list[float], top: float, rows: int = 2):
        self.values, self.top, self.rows = values, top, rows

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        # Early in a game each turn gets an equal share of the width; later turns are squeezed by spark().
        wide = [v for v in self.values for _ in range(max(1, width // len(self.values)))] if self.values else []
        yield Text(spark(wide, 0.0, self.top, width=width, rows=self.rows))


class Ladder(Vertical):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        yield Label("Escalation ladder", classes="panel-title")
        yield Static(id="rungs")
        yield Static(id="tension-history")
        yield Label("", id="tension-caption", classes="hint")

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        current = max((level for level, _ in view.ladder if view.tension >= level), default=view.ladder[0][0])
        text = Text()
        for level, name in reversed(view.ladder):
            here = level == current
            style = tension_style(view.tension, view.tension_max) if here else "dim"
            text.append("▶ " if here else "  ", style)
            text.append(f"{level:>4g} {name}", style)
            if here:
                text.append(f"  {view.tension_text(view.tension)}", style)
            text.append("\n")
        text.rstrip()
        self.query_one("#rungs", Static).update(text)
        self.query_one("#tension-history", Static).update(
            TensionChart(series(list(view.history), "tension"), view.tension_max))
        self.query_one("#tension-caption", Label).update(
            f"tension turn by turn, 0 to {view.tension_max:g}")
