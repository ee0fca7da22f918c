"""The keys, screen by screen, read from the bindings themselves so the list cannot drift from them."""

from __future__ import annotations

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.screen import ModalScreen
from textual.widgets import Label, Static

from ..widgets.footer import KeyFooter

ABOUT = ("Choose your moves on the Moves tab (space or Enter to choose, e to end the turn); "
         "the AI plays every actor nobody plays. The turn then resolves and a report says what happened. "
         "Others' private moves stay hidden from you; yours from them. The game autosaves every turn.")


def turn_length(turn_days: int | None) -> str:
    """How much time a turn stands for, as the ruleset sets it ('a week', '3 days'); with no ruleset read yet,
    that the ruleset sets it."""
    if turn_days is None:
        return "Each turn stands for the number of days the ruleset sets."
    if turn_days == 1:
        return "Each turn is a day."
    if turn_days == 7:
        return "Each turn is a week."
    if turn_days % 7 == 0:
        return f"Each turn is {turn_days // 7} weeks."
    return f"Each turn is {turn_days} days."


def about(turn_days: int | None) -> str:
    return f"{turn_length(turn_days)} {ABOUT}"


def _sections() -> list[tuple[str, list[tuple[str, str]]]]:
    from ..app import WargameApp
    from ..widgets.moves import MovePicker
    from ..widgets.trade import TradePanel
    from .branch import BranchScreen
    from .compare import CompareScreen
    from .handover import HandoverScreen
    from .instructor import InstructorScreen
    from .load import LoadScreen
    from .over import GameOverScreen
    from .override import OverrideScreen
    from .start import StartScreen
    from .turn import TurnScreen

    def keys(bindings, extra: list[tuple[str, str]] = (), when: dict[str, str] | None = None,
             tabs: bool = False) -> list[tuple[str, str]]:
        """The described bindings, each with when it works if not always; `tabs`: the number keys that switch
        tabs are left to one line in `extra`."""
        out = []
        for b in bindings:
            if isinstance(b, Binding) and b.description and not (tabs and b.key.isdigit()):
                shown = b.key_display or ", ".join(k.replace("question_mark", "?") for k in b.key.split(","))
                note = (when or {}).get(b.action)
                out.append((shown, f"{b.description} ({note})" if note else b.description))
        return out + list(extra)

    return [
        ("Anywhere", keys(WargameApp.BINDINGS, when=WargameApp.WHEN)),
        ("Start screen", keys(StartScreen.BINDINGS, [("tab", "Next field")])),
        ("Turn screen", keys(TurnScreen.BINDINGS, [("1 … 5", "Overview, Moves, Indicators, Trade, Log tabs")],
                             when=TurnScreen.WHEN, tabs=True)),
        ("Moves tab", keys(MovePicker.BINDINGS, [("enter, click", "Choose or unchoose a move"),
                                                 ("↑ ↓", "Read another move's preview")])),
        ("Trade tab", keys(TradePanel.BINDINGS)),
        ("Hand-over (hot-seat)", keys(HandoverScreen.BINDINGS)),
        ("Game over", keys(GameOverScreen.BINDINGS)),
        ("Saved games", keys(LoadScreen.BINDINGS)),
        ("Instructor (instructor mode, i)", keys(InstructorScreen.BINDINGS,
                                                [("1 … 3", "Actors, Inject deck, Everything tabs"),
                                                 ("enter", "Inject the highlighted event (Inject deck)")],
                                                when=InstructorScreen.WHEN, tabs=True)),
        ("Override", keys(OverrideScreen.BINDINGS)),
        ("What if? (branch)", keys(BranchScreen.BINDINGS)),
        ("Comparison", keys(CompareScreen.BINDINGS, [("1 … 3", "Indicators, Moves, Turn by turn tabs")], tabs=True)),
        ("Dialogs", [("y / n", "Answer a question"), ("escape", "Close")]),
    ]


class HelpScreen(ModalScreen[None]):
    BINDINGS = [Binding("escape,f1,question_mark,enter", "close", "Close")]

    def __init__(self, turn_days: int | None = None):
        super().__init__()
        self.turn_days = turn_days          # the ruleset's, if one has been read

    def compose(self) -> ComposeResult:
        # One table per section, its title above it: a title in the narrow key column would be cut short.
        parts = []
        for title, rows in _sections():
            table = Table(box=None, show_header=False, pad_edge=False, expand=True, title=title, title_justify="left",
                          title_style="bold underline")
            table.add_column("key", style="bold", no_wrap=True, width=14)
            table.add_column("does", ratio=1)
            for key, what in dict.fromkeys(rows):
                table.add_row(key, what)
            parts += [Text(), table] if parts else [table]
        with Vertical(classes="dialog wide-dialog", id="help"):
            yield Label("Keys", classes="dialog-title")
            with VerticalScroll():
                yield Static(about(self.turn_days) + "\n", id="help-about")
                yield Static(Group(*parts), id="help-keys")
            yield Label("Esc: close", classes="hint")
        yield KeyFooter()

    def action_close(self) -> None:
        self.dismiss(None)
