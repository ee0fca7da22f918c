"""Save the game under a name in the saves folder."""

from __future__ import annotations

import datetime as dt

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..game import Game, save_name
from ..widgets.footer import KeyFooter


class SaveScreen(ModalScreen[str | None]):
    """Type a name (a default is offered) and press Enter. The title says which game is saved: `what` names it
    ("B, the what-if"; by default "the game"), followed by its seed and how far it got."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, game: Game, default: str | None = None, what: str = "the game"):
        super().__init__()
        self.game = game
        self.default = default
        self.what = what

    def compose(self) -> ComposeResult:
        m = self.game.model
        progress = f"{m.state.turn} of {m.turn_limit} turns played" if m.running else \
            f"ended after {m.state.turn} turn{'' if m.state.turn == 1 else 's'}"
        with Vertical(classes="dialog"):
            yield Label(f"Save {self.what} · seed {m.seed} · {progress}", classes="dialog-title")
            yield Label(f"into {self.game.saves_dir}/", classes="hint")
            yield Input(self.default or self.game.default_save_name(), id="save-name")
            yield Static("", id="save-error", classes="error")
            yield Label("Enter: save · Esc: back", classes="hint")
        yield KeyFooter()

    @on(Input.Submitted, "#save-name")
    def _save(self, event: Input.Submitted) -> None:
        name = save_name(event.value)
        error = self.query_one("#save-error", Static)
        if name is None:
            error.update("Use letters, digits, spaces, dots, dashes or underscores (up to 80).")
            return
        target = self.game.saves_dir / f"{name}.json"
        if target.exists() and target != self.game.last_saved:
            # Another game's save (or another class's): replaced only when the player says so.
            from .confirm import ConfirmScreen

            when = dt.datetime.fromtimestamp(target.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            self.app.push_screen(ConfirmScreen(f"{target.name} already exists (saved {when}). Replace it with this "
                                               "game?", yes="Replace", no="Back"),
                                 lambda yes: self._write(name) if yes else None)
            return
        self._write(name)

    def _write(self, name: str) -> None:
        from wargame import WargameError

        try:
            path = self.game.save(name)
        except WargameError as exc:
            self.query_one("#save-error", Static).update("\n".join(exc.lines()))
            return
        self.notify(f"Saved to {path}", title="Saved")
        self.dismiss(str(path))

    def action_cancel(self) -> None:
        self.dismiss(None)
