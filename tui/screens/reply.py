"""A longer answer to an instructor's command (help, deck, …), in a dialog that scrolls, instead of a notice cut
short."""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Footer, Label, Static


class ReplyScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Close")]

    def __init__(self, title: str, lines: list[str]):
        super().__init__()
        self.title_text = title
        self.lines = list(lines)

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="reply"):
            yield Label(self.title_text, classes="dialog-title")
            with VerticalScroll():
                yield Static(Text("\n".join(self.lines)), id="reply-body")
            yield Label("Enter or Esc: close", classes="hint")
        yield Footer()

    def action_close(self) -> None:
        self.dismiss(None)
