"""Save the game under a name in the saves folder."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..game import Game, save_name


class SaveScreen(ModalScreen[str | None]):
    """Type a name (a default is offered) and press Enter."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, game: Game, default: str | None = None):
        super().__init__()
        self.game = game
        self.default = default

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Label("Save the game", classes="dialog-title")
            yield Label(f"into {self.game.saves_dir}/", classes="hint")
            yield Input(self.default or self.game.default_save_name(), id="save-name")
            yield Static("", id="save-error", classes="error")
            yield Label("Enter: save · Esc: back", classes="hint")

    @on(Input.Submitted, "#save-name")
    def _save(self, event: Input.Submitted) -> None:
        from wargame import WargameError

        name = save_name(event.value)
        error = self.query_one("#save-error", Static)
        if name is None:
            error.update("Use letters, digits, spaces, dots, dashes or underscores (up to 80).")
            return
        try:
            path = self.game.save(name)
        except WargameError as exc:
            error.update("\n".join(exc.lines()))
            return
        self.notify(f"Saved to {path}", title="Saved")
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
