"""A game just opened from a save: where it stands, before the player's turn screen.

Without it the last turn's report would open as it does after a turn is played, and a player coming back to a
game would take a turn played days ago for one just played. The report is still a key away, labelled as the save's.
"""

from __future__ import annotations

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..game import PlayerView
from ..text import day
from ..widgets.footer import KeyFooter


class LoadedScreen(ModalScreen[bool]):
    """Dismisses with True when the player asks for the last turn's report, False to go to their turn."""

    BINDINGS = [
        Binding("enter,escape", "close", "To the game"),
        Binding("r", "report", "Last turn's report"),
    ]

    def __init__(self, view: PlayerView, source: str, players: tuple[str, ...] = (), moved: tuple[str, ...] = ()):
        super().__init__()
        self.view = view
        self.source = source
        self.players = players          # the names of everyone who plays at this keyboard
        self.moved = moved              # ... and of those who had chosen their moves for this turn before the save

    def compose(self) -> ComposeResult:
        view = self.view
        with Vertical(classes="dialog", id="loaded"):
            yield Label(f"Game loaded: turn {view.turn} of {view.turn_limit} · {day(view.date)}", classes="dialog-title")
            yield Static(where_it_stands(view, self.source, self.players, self.moved), id="loaded-body")
            hint = "Enter or Esc: to the game"
            if view.summary is not None:
                hint += f" · r: turn {view.summary.turn}'s report"
            yield Label(hint, classes="hint")
        yield KeyFooter()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "report":
            return self.view.summary is not None
        return True

    def action_close(self) -> None:
        self.dismiss(False)

    def action_report(self) -> None:
        self.dismiss(True)


def where_it_stands(view: PlayerView, source: str, players: tuple[str, ...] = (), moved: tuple[str, ...] = ()) -> Text:
    """The file, who plays and who has moved, what is to do now, tension and capital, and what the player did on the
    last turn."""
    played = view.turn - 1
    text = Text()
    text.append(f"Opened from {source}, saved " +
                ("before the first turn." if not played else f"after turn {played} of {view.turn_limit}."))
    text.append("\n\n")
    if view.actor is None:
        text.append("You watch the AI play every actor: n plays the next turn, a plays on by itself.")
    else:
        text.append("You play ")
        text.append(view.actor_name, "bold")
        others = [p for p in players if p != view.actor_name]
        if others:
            text.append(f", in turn with {' and '.join(others)} at this keyboard")
        text.append(".")
        if moved:
            text.append(f" {' and '.join(moved)} {'has' if len(moved) == 1 else 'have'} already moved this turn.")
        text.append(f"\nChoose your moves for turn {view.turn} on the Moves tab (2); e ends your turn.")
    text.append(f"\n\nTension {view.tension_text(view.tension)} ({view.rung})")
    if view.capital is not None:
        text.append(f" · your political capital {view.capital:.1f}")
    text.append(".")
    summary = view.summary
    if summary is not None and view.actor is not None:
        text.append(f"\nOn turn {summary.turn} ({day(summary.date)}) you ")
        if summary.accepted:
            text.append(f"played {'; '.join(summary.accepted)}")
        else:
            text.append("played nothing" if summary.rejected else "held")
        if summary.rejected:
            text.append(f" (not played: {'; '.join(name for name, _ in summary.rejected)})")
        text.append(".")
    return text
