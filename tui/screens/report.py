"""The adjudication report of the last turn, as the player may know it: their moves, what happened, and why."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..game import PlayerView
from ..text import day
from ..widgets.events import event_text
from ..widgets.footer import KeyFooter


class ReportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,r", "close", "Close")]

    def __init__(self, view: PlayerView):
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        summary = self.view.summary
        assert summary is not None
        with Vertical(classes="dialog wide-dialog", id="report"):
            yield Label(f"Turn {summary.turn} resolved · {day(summary.date)}", classes="dialog-title")
            with VerticalScroll():
                yield Static(self._body(), id="report-body")
            yield Label("Enter or Esc: close · r later reopens this report", classes="hint")
        yield KeyFooter()

    def _body(self) -> Table | Text:
        view, summary = self.view, self.view.summary
        assert summary is not None
        text = Text()
        if summary.outcome:
            text.append(f"{summary.outcome}\n\n", "bold reverse")
        if view.actor is not None:
            text.append("Your moves\n", "bold")
            for name in summary.accepted:
                text.append("  ✓ ", "bold green")
                text.append(f"{name}\n")
            for name, why in summary.rejected:
                text.append("  ✗ ", "bold red")
                text.append(f"{name}: not played — {why}\n")
            if not summary.accepted and not summary.rejected:
                text.append("  none: you held\n", "dim")
            text.append("\n")
        text.append("What happened\n", "bold")
        for event in summary.events:
            text.append("  ")
            text.append_text(event_text(event, view.actor))
            text.append("\n")
        if not summary.events:
            text.append("  nothing anyone could see\n", "dim")
        table = Table(box=None, title="What changed", title_justify="left", title_style="bold", show_header=True,
                      header_style="dim", pad_edge=False)
        table.add_column("")
        table.add_column("before", justify="right")
        table.add_column("after", justify="right")
        for label, before, after in summary.changes:
            table.add_row(label, before, after)
        grid = Table.grid()
        grid.add_row(text)
        grid.add_row(table)
        return grid

    def action_close(self) -> None:
        self.dismiss(None)
