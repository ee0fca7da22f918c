"""The end of the game: the outcome, the final figures and how each player did against their objectives."""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.console import Group
from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Label, Static

from wargame.figures import usd, yen
from wargame.indicators import label
from wargame.render import gdp_share

from ..game import PlayerView
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wargame.report.verdicts import Verdict

    from ..app import WargameApp

WAYS = {"better": "bold green", "worse": "bold red", "unchanged": "dim"}


class GameOverScreen(Screen):
    app: "WargameApp"
    BINDINGS = [
        Binding("v", "look", "Final position"),
        Binding("b", "branch", "What if?"),
        Binding("c", "compare", "Compare with the original"),
        Binding("d", "report", "Debrief"),
        Binding("ctrl+n", "new_game", "New game"),
    ]
    # Left out of a narrow footer first (? lists them).
    FOOTER_FIRST_TO_GO = ("compare", "report", "branch")
    # The final figures and the buttons stay in sight however short the terminal (docked below); the outcome and
    # the players' verdicts above them take the room left, and scroll when they need more.
    DEFAULT_CSS = """
    #game-over-title {
        dock: top;
    }
    #game-over-foot {
        dock: bottom;
        height: auto;
    }
    #game-over-body {
        height: auto;
        max-height: 100%;
    }
    #game-over-figures {
        margin-top: 1;
    }
    """

    def __init__(self, view: PlayerView):
        super().__init__()
        self.view = view

    def compose(self) -> ComposeResult:
        view = self.view
        last = view.history[-1] if view.history else {}
        outcome = Text(view.outcome or "The game has ended", "bold")
        text = Text()
        played = view.turn - 1
        text.append(f"After {played} turn{'' if played == 1 else 's'}, by {view.date:%-d %B %Y}:\n")
        # Worded as the run log and the debrief word them, so the class reads the same figures in each.
        text.append(f"  {label('japan_gdp_loss_jpy')}: {yen(last.get('japan_gdp_loss_jpy', 0))} "
                    f"({gdp_share(last.get('japan_gdp_loss_share', 0))} of GDP)\n")
        if last.get("japan_other_loss_jpy"):       # no line of nothing in a game without bans or disasters
            text.append(f"  {label('japan_other_loss_jpy')}: {yen(last['japan_other_loss_jpy'])}\n")
        text.append(f"  {label('china_export_loss_usd')}: {usd(last.get('china_export_loss_usd', 0))}\n")
        text.append(f"  Tension {view.tension_text(view.tension)} of {view.tension_max:g} ({view.rung}); "
                    f"Japan's supply {last.get('japan_supply_index', 1):.0%} of normal")
        game = self.app.game
        with Center():
            with Vertical(id="game-over", classes="dialog wide-dialog"):
                yield Label("Game over", classes="dialog-title", id="game-over-title")
                with VerticalScroll(id="game-over-body"):
                    yield Static(outcome)
                    # Each player's verdict first: what they played for, before what the game cost the nations.
                    if game is not None:
                        from wargame.report.verdicts import verdicts

                        players = verdicts(game.model, game.opening)
                        for verdict in players:
                            yield Static(verdict_table(verdict), classes="verdict")
                        if players:
                            yield Static(Text("▲ wanted higher · ▼ lower · ! weighs most · better or worse than "
                                              "before turn 1, for that player", "dim"))
                with Vertical(id="game-over-foot"):
                    yield Static(text, id="game-over-figures")
                    parent = game.parent if game is not None else None
                    if parent is not None:
                        yield Static(f"\nThis game is a what-if branch of {parent.title}: c compares the two.",
                                     classes="hint")
                    with Horizontal(classes="buttons"):
                        yield Button("Final position (v)", id="look", variant="primary")
                        yield Button("What if? (b)", id="branch")
                        yield Button("Debrief (d)", id="report")
                        yield Button("New game (^n)", id="new")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The last turn's report comes first, as after any other turn; not in a game opened from its save after it
        # ended, where that turn was not just played (v, then r, shows it, labelled as the save's).
        game = self.app.game
        if game is not None and self.view.summary is not None and game.unseen_report(self.view.actor):
            game.mark_reported(self.view.actor)
            if game.report_from_save is not None:
                return
            from .report import ReportScreen

            self.app.push_screen(ReportScreen(self.view))

    @on(Button.Pressed, "#look")
    def action_look(self) -> None:
        from .turn import TurnScreen

        self.app.push_screen(TurnScreen(self.view.actor, looking_back=True))

    @on(Button.Pressed, "#branch")
    def action_branch(self) -> None:
        self.app.open_branch()

    @on(Button.Pressed, "#report")
    def action_report(self) -> None:
        game = self.app.game
        if game is not None:
            self.app.open_report(game.model, game.report_name())

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "compare":
            return self.app.game is not None and self.app.game.parent is not None
        return True

    def action_compare(self) -> None:
        game = self.app.game
        if game is not None and game.parent is not None:
            self.app.show_comparison(game.parent.source, game.model, (game.parent.name, "this game"), game.model)

    @on(Button.Pressed, "#new")
    def action_new_game(self) -> None:
        from .start import StartScreen

        self.app.game = None
        self.app.switch_screen(StartScreen(self.app.options))



def verdict_table(verdict: "Verdict") -> Group:
    """One player's objectives as the overview lists them, each with where it ended and which way it went for
    them since before turn 1."""
    head = Text.assemble("\n", (f"{verdict.name}: ", "bold"), f"{verdict.summary()}.")
    table = Table(box=None, expand=True, show_header=False, show_edge=False, pad_edge=False)
    table.add_column("want", width=4, no_wrap=True)
    table.add_column("objective", ratio=1, overflow="fold")
    table.add_column("end", justify="right", no_wrap=True)
    table.add_column("way", width=10, no_wrap=True)     # "unchanged" and a cell clear of the scroll bar
    for r in verdict.results:
        want = {"higher": "▲", "lower": "▼"}[r.wants] + ("!" if abs(r.weight) >= 1.5 else "")
        table.add_row(f"  {want}", r.label, r.end, Text(r.way, WAYS[r.way]))
    return Group(head, table)
