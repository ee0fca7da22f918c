"""The escalation ladder: every rung, the current one marked, and how tension has moved."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Vertical
from textual.reactive import reactive
from textual.widgets import Label, Sparkline, Static

from wargame.views import series

from ..game import PlayerView
from .status import tension_style


class Ladder(Vertical):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def compose(self) -> ComposeResult:
        yield Label("Escalation ladder", classes="panel-title")
        yield Static(id="rungs")
        yield Sparkline([], id="tension-history")
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
                text.append(f"  {view.tension:.1f}", style)
            text.append("\n")
        text.rstrip()
        self.query_one("#rungs", Static).update(text)
        history = series(list(view.history), "tension")
        self.query_one("#tension-history", Sparkline).data = history if len(history) > 1 else []
        self.query_one("#tension-caption", Label).update(
            f"tension turn by turn, 0 to {view.tension_max:g}")
