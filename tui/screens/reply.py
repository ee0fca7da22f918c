"""A longer answer to an instructor's command (help, deck, …), in a dialog that scrolls, instead of a notice cut
short."""

from __future__ import annotations

import re

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..widgets.footer import KeyFooter

# "deck                      list the inject deck": a name, two spaces or more, and what it is.
COLUMNS = re.compile(r"(\S.*?) {2,}(\S.*)")


def laid_out(lines: list[str]) -> Table | Text:
    """The answer's two columns kept as columns, each description wrapping within its own (a description wrapped
    back to the left edge reads as a command); an answer not in two columns is shown as it is."""
    rows: list[list[str]] = []
    for line in lines:
        match = COLUMNS.fullmatch(line)
        if match:
            rows.append([match[1], match[2]])
        elif line[:1] == " " and rows:          # more of the description above, such as an example
            rows[-1][1] += "\n" + line.strip()
        else:
            return Text("\n".join(lines))
    table = Table.grid(padding=(0, 2))
    table.add_column(no_wrap=True, style="bold")
    table.add_column(ratio=1)
    for name, what in rows:
        table.add_row(name, what)
    return table


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
                yield Static(laid_out(self.lines), id="reply-body")
            yield Label("Enter or Esc: close", classes="hint")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
