"""The instructor chooses an actor's moves for the coming turn, from that actor's own catalogue.

Dismisses with the chosen moves (an empty list: the actor holds), or None to leave the actor alone. The
engine checks the choice when the instructor's override is made.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Label

from ..widgets.footer import KeyFooter
from ..widgets.moves import MovePicker

if TYPE_CHECKING:
    from ..app import WargameApp


class OverrideScreen(ModalScreen["list[str] | None"]):
    app: "WargameApp"
    BINDINGS = [
        Binding("o", "override", "Override with these"),
        Binding("h", "hold", "Hold"),
        Binding("escape", "cancel", "Back"),
    ]

    def __init__(self, actor: str):
        super().__init__()
        self.actor = actor

    def compose(self) -> ComposeResult:
        game = self.app.game
        name = game.model.rules.actors[self.actor].name
        human = self.actor in game.players
        with Vertical(classes="dialog wide-dialog", id="override"):
            yield Label(f"Override {name}'s moves on turn {game.model.turn}", classes="dialog-title")
            yield Label(f"{name} is a player: these become their moves, and they have moved." if human else
                        f"{name}'s AI plays these instead of its own choice.", classes="hint")
            yield MovePicker(own=False, id="override-picker")
            with Horizontal(classes="buttons"):
                yield Button("Override with these (o)", id="override-go", variant="primary")
                yield Button("Hold (h)", id="override-hold")
                yield Button("Back (esc)", id="override-back")
        yield KeyFooter()

    def on_mount(self) -> None:
        game = self.app.game
        self.query_one(MovePicker).view = game.view(self.actor)
        self.query_one("#move-list").focus()

    @on(Button.Pressed, "#override-go")
    def action_override(self) -> None:
        from wargame.instructor import check_moves

        picker = self.query_one(MovePicker)
        moves = list(picker.chosen)
        reasons = check_moves(self.app.game.model, self.actor, moves)
        if reasons:
            picker.problems = tuple(reasons)
            return
        self.dismiss(moves)

    @on(Button.Pressed, "#override-hold")
    def action_hold(self) -> None:
        self.dismiss([])

    @on(Button.Pressed, "#override-back")
    def action_cancel(self) -> None:
        self.dismiss(None)
