"""Between players in a hot-seat game: a blank screen that names who sits down next.

It shows nothing private, so the player leaving cannot see the next one's information and vice versa.
While the AI and the engine resolve a turn, it shows their progress instead.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Footer, Label, Static

from ..app import TurnProgress
from ..text import day
from ..widgets.progress import TurnProgressBar

if TYPE_CHECKING:
    from ..app import WargameApp


class HandoverScreen(Screen):
    app: "WargameApp"
    BINDINGS = [Binding("enter", "continue", "Continue")]

    resolving: reactive[bool] = reactive(False)

    def __init__(self, actor: str, resolving: bool = False):
        super().__init__()
        self.actor = actor
        self.set_reactive(HandoverScreen.resolving, resolving)

    def compose(self) -> ComposeResult:
        name = self.app.game.model.rules.actors[self.actor].name
        with Center():
            with Vertical(id="handover", classes="dialog"):
                yield Label("", id="handover-turn", classes="dialog-title")
                yield Static(f"Pass the keyboard to [b]{name}[/b].\n\nEveryone else, look away: the next screen "
                             f"shows {name}'s private information.", id="handover-text")
                yield TurnProgressBar()
                yield Button(f"I am {name}: show my turn", id="continue", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        self.app.turn_progress.subscribe(self, self._progress)
        self.resolving = self.app.resolving
        self.watch_resolving(self.resolving)

    def _progress(self, progress: TurnProgress) -> None:
        self.resolving = not progress.finished

    def watch_resolving(self, resolving: bool) -> None:
        model = self.app.game.model
        self.query_one("#handover-turn", Label).update(
            "Resolving the turn…" if resolving else f"Turn {model.turn} · {day(model.date)}")
        button = self.query_one("#continue", Button)
        button.disabled = resolving
        if not resolving:
            button.focus()
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue":
            return not self.resolving or None
        return True

    @on(Button.Pressed, "#continue")
    def action_continue(self) -> None:
        if not self.resolving:
            self.app.show_player(self.actor)
