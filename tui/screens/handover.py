"""Between players in a hot-seat game, and after the instructor: a blank screen that names who sits down next.

It shows nothing private, so the person leaving the keyboard cannot see the next one's information and vice
versa. While the AI and the engine resolve a turn it shows their progress instead; when every player has
moved but the instructor has paused the game, it says so and waits. A hand-over needs two people at the
keyboard (players, or a player and the instructor): a lone player without an instructor only sees the turn
resolve, and their turn follows by itself.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from ..app import TurnProgress
from ..text import day
from ..widgets.footer import KeyFooter
from ..widgets.progress import TurnProgressBar

if TYPE_CHECKING:
    from ..app import WargameApp


class HandoverScreen(Screen):
    """`mode`: "handover" (next player), "back" (after the instructor), "resolving", or "paused" (no actor)."""

    app: "WargameApp"
    # A priority binding: the focused button's own Enter (unlisted) would otherwise hide this one from the footer.
    BINDINGS = [Binding("enter", "continue", "Show my turn", priority=True)]

    resolving: reactive[bool] = reactive(False)

    def __init__(self, actor: str | None, mode: str = "handover"):
        super().__init__()
        self.actor = actor
        self.mode = mode
        self.continued = False
        self.set_reactive(HandoverScreen.resolving, mode == "resolving")

    @property
    def alone(self) -> bool:
        """Whether no one else is at the keyboard: one player, and no instructor who might have been."""
        game = self.app.game
        return self.mode == "resolving" and not game.hot_seat and not game.instructor_mode

    def compose(self) -> ComposeResult:
        rules = self.app.game.model.rules
        name = rules.actors[self.actor].name if self.actor else ""
        if self.alone:
            model = self.app.game.model
            last = not model.running or model.turn >= model.turn_limit
            text = ("The game ends once this last turn has resolved." if last else
                    f"Your turn as [b]{name}[/b] follows once this one has resolved.")
        elif self.mode == "paused":
            # Resuming alone plays nothing: the turn resolves when the instructor plays it or hands the keyboard back.
            text = ("Every player has moved. The instructor has paused the game: the turn resolves once the "
                    "instructor resumes it" + (" (i, then p) and plays it (n, or Esc back to the players)."
                                               if self.app.game.instructor_mode else "."))
        elif self.mode == "back":
            text = (f"The instructor is done. Pass the keyboard to [b]{name}[/b].\n\nEveryone else, look away: "
                    f"the next screen shows {name}'s private information.")
        else:
            text = (f"Pass the keyboard to [b]{name}[/b].\n\nEveryone else, look away: the next screen "
                    f"shows {name}'s private information.")
        with Center():
            with Vertical(id="handover", classes="dialog"):
                yield Label("", id="handover-turn", classes="dialog-title")
                yield Static(text, id="handover-text")
                yield TurnProgressBar()
                if self.actor is not None:
                    yield Button("Show my turn" if self.alone else f"I am {name}: show my turn", id="continue",
                                 variant="primary")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.turn_progress.subscribe(self, self._progress)
        self.resolving = self.app.resolving
        self.watch_resolving(self.resolving)

    def _progress(self, progress: TurnProgress) -> None:
        self.resolving = not progress.finished

    def watch_resolving(self, resolving: bool) -> None:
        model = self.app.game.model
        title = f"Turn {model.turn} · {day(model.date)}" + (" · paused" if self.mode == "paused" else "")
        self.query_one("#handover-turn", Label).update("Resolving the turn…" if resolving else title)
        for button in self.query("#continue").results(Button):
            button.disabled = resolving
            if not resolving:
                button.focus()
        self.refresh_bindings()
        if not resolving and self.alone and self.app.game.model.running and not self.continued:
            self.continued = True
            # No one to hand the keyboard to: the player's turn follows. (A game that ended, the app ends itself.)
            self.call_after_refresh(self.action_continue)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "continue":
            if self.actor is None:
                return False
            return not self.resolving or None
        return True

    @on(Button.Pressed, "#continue")
    def action_continue(self) -> None:
        if self.resolving or self.actor is None:
            return
        game = self.app.game
        if not game.model.running or game.current is None:
            self.app.advance()
        else:
            # The turn that resolved meanwhile may have changed who moves first.
            self.app.show_player(game.current if self.actor not in game.waiting else self.actor)
