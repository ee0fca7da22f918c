"""Choose a saved game from saves/ and open it."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option

from ..game import Game, open_game


class LoadScreen(ModalScreen["Game | None"]):
    """The saves in the saves folder, newest first. Enter opens one; a damaged save is explained."""

    BINDINGS = [Binding("escape", "cancel", "Back")]

    def __init__(self, saves_dir: Path, autosave: bool = True):
        super().__init__()
        self.saves_dir = saves_dir
        self.autosave = autosave

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Load a saved game", classes="dialog-title")
            yield OptionList(id="saves")
            yield Static("", id="load-error", classes="error")
            yield Label("Enter: open · Esc: back", classes="hint")

    def on_mount(self) -> None:
        saves = self.query_one("#saves", OptionList)
        files = sorted(self.saves_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) \
            if self.saves_dir.is_dir() else []
        for path in files:
            when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
            saves.add_option(Option(f"{path.stem:<44} {when}", id=str(path)))
        if not files:
            saves.add_option(Option(f"No saved games in {self.saves_dir}", disabled=True))
        saves.focus()

    @on(OptionList.OptionSelected, "#saves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.query_one("#load-error", Static).update(f"Opening {Path(event.option.id).name}…")
            self.open(event.option.id)

    @work(thread=True, exclusive=True)
    def open(self, path: str) -> None:
        from wargame import WargameError

        try:
            game = open_game(path, self.saves_dir, self.autosave)
        except WargameError as error:
            self.app.call_from_thread(self.query_one("#load-error", Static).update, "\n".join(error.lines()))
            return
        self.app.call_from_thread(self.dismiss, game)

    def action_cancel(self) -> None:
        self.dismiss(None)
