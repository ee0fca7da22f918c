"""The adjudication report of the last turn, as the player may know it: their moves, what happened, and why."""

from __future__ import annotations

from rich.console import Group, RenderableType
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..game import PlayerView
from ..text import day, hanging
from ..widgets.events import event_line
from ..widgets.footer import KeyFooter


class ReportScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,enter,r", "close", "Close")]

    def __init__(self, view: PlayerView, from_save: str | None = None):
        super().__init__()
        self.view = view
        self.from_save = from_save      # the save file the report comes from, when no turn was played since opening it

    def compose(self) -> ComposeResult:
        summary = self.view.summary
        assert summary is not None
        with Vertical(classes="dialog wide-dialog", id="report"):
            title = f"Turn {summary.turn} resolved · {day(summary.date)}"
            # Opened from a save, the turn was played before: the title must not read as if it had just been.
            yield Label(title + (f" · from the save {self.from_save}" if self.from_save else ""),
                        classes="dialog-title")
            with VerticalScroll():
                yield Static(self._body(), id="report-body")
            # After the last turn the game-over screen follows, where the report is under the final position (v).
            again = "r later reopens this report" if self.view.running else "v, then r, reopens this report"
            yield Label(f"Enter or Esc: close · {again}", classes="hint")
        yield KeyFooter()

    def _body(self) -> Group:
        view, summary = self.view, self.view.summary
        assert summary is not None
        lines: list[RenderableType] = []
        if summary.outcome:
            lines += [Text(summary.outcome, "bold reverse"), Text()]
        if view.actor is not None:
            heading = Text("Your moves", "bold")
            if self.set_by_instructor():
                # The ticks below are the instructor's choice: a player who chose otherwise, or never got to choose,
                # must not read them as their own.
                heading.append(" — set for you by the instructor", "bold magenta")
            lines.append(heading)
            for name in summary.accepted:
                lines.append(hanging(Text("  ✓ ", "bold green"), Text(name)))
            for name, why in summary.rejected:
                lines.append(hanging(Text("  ✗ ", "bold red"), Text(f"{name}: not played — {why}")))
            if not summary.accepted and not summary.rejected:
                lines.append(Text("  none: you held", "dim"))
            lines.append(Text())
        lines.append(Text("What happened", "bold"))
        # The outcome heads the report: under what happened it would be said twice.
        happened = [e for e in summary.happened if not (summary.outcome and e.kind == "outcome")]
        lines.extend(event_line(event, view.actor, indent="  ", names=view.labels, last_turn=view.turn_limit)
                     for event in happened)
        if not happened:
            lines.append(Text(f"  nothing {'else ' if summary.outcome else ''}anyone could see", "dim"))
        lines.append(Text())
        table = Table(box=None, title="What changed", title_justify="left", title_style="bold", show_header=True,
                      header_style="dim", pad_edge=False)
        table.add_column("")
        table.add_column("before", justify="right")
        table.add_column("after", justify="right")
        for label, before, after in summary.changes:
            table.add_row(label, before, after)
        lines.append(table)
        # Apart from what happened, as in the CLI's log: a move lapsing under the last event read as its consequence.
        if summary.coming:
            lines += [Text(), Text(f"Before turn {summary.turn + 1}", "bold")]
            lines.extend(event_line(event, view.actor, indent="  ", names=view.labels, last_turn=view.turn_limit)
                         for event in summary.coming)
        return Group(*lines)

    def set_by_instructor(self) -> bool:
        """Whether the instructor chose this player's moves for the turn (the engine logs it for them alone)."""
        from wargame.instructor import SET_BY_INSTRUCTOR

        summary = self.view.summary
        assert summary is not None
        return any(e.kind == "instructor" and e.actor == self.view.actor and e.turn == summary.turn
                   and SET_BY_INSTRUCTOR in e.text for e in summary.happened)

    def action_close(self) -> None:
        self.dismiss(None)
