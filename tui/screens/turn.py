"""The turn screen: one player's view of the game, and where that player chooses and confirms moves.

With no player (watching the AI) it shows only what is public, and steps through turns on request.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import ScrollableContainer, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.screen import Screen
from textual.widgets import TabbedContent, TabPane

from ..app import TurnProgress
from ..game import PlayerView
from ..widgets.briefing import Briefing
from ..widgets.events import EventLog
from ..widgets.footer import KeyFooter
from ..widgets.indicators import IndicatorPanel
from ..widgets.ladder import Ladder
from ..widgets.moves import MovePicker
from ..widgets.objectives import Objectives
from ..widgets.progress import TurnProgressBar
from ..widgets.status import StatusBar
from ..widgets.trade import TradePanel

if TYPE_CHECKING:
    from ..app import WargameApp

TABS = ("overview", "moves", "indicators", "trade", "log")


class TurnScreen(Screen):
    app: "WargameApp"
    # Below 100 columns the overview's ladder and objectives no longer fit side by side (app.tcss: -narrow).
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-wide")]
    BINDINGS = [
        Binding("e", "end_turn", "End turn"),
        Binding("n", "next_turn", "Next turn"),
        Binding("a", "autoplay", "Auto-play"),
        Binding("r", "report", "Report"),
        Binding("b", "branch", "What if?"),
        Binding("d", "debrief", "Debrief"),
        Binding("escape", "back", "Back"),
        *(Binding(str(i), f"show_tab('{tab}')", tab.title(), show=False) for i, tab in enumerate(TABS, 1)),
    ]
    # Left out of a narrow footer first (? lists them): the analyses, then the report, which opens after each turn
    # anyway, and the trade tab's filter, which its panel names.
    FOOTER_FIRST_TO_GO = ("debrief", "branch", "report", "toggle_japan")
    # When each key that does not always work does (check_action decides; the help screen says so).
    WHEN = {"end_turn": "when you play", "next_turn": "when watching the AI", "autoplay": "when watching the AI",
            "report": "once a turn is played", "branch": "when watching the AI, from turn 2",
            "debrief": "when watching the AI, from turn 2", "back": "when looking back from the game-over screen"}

    view: reactive[PlayerView | None] = reactive(None, always_update=True)
    resolving: reactive[bool] = reactive(False)

    def __init__(self, actor: str | None, looking_back: bool = False):
        super().__init__()
        self.actor = actor
        self.looking_back = looking_back   # opened from the game-over screen to look at the final position

    def compose(self) -> ComposeResult:
        yield StatusBar(id="status").data_bind(TurnScreen.view)
        yield TurnProgressBar(id="progress")
        # A player starts on their moves; the final position, with no moves left to choose, on the overview.
        with TabbedContent(initial="moves" if self.actor and not self.looking_back else "overview", id="tabs"):
            with TabPane("1 Overview", id="overview"):
                # Side by side; in a narrow terminal one above the other, scrolling together (see app.tcss).
                with ScrollableContainer(id="overview-body"):
                    with Vertical(id="overview-left"):
                        yield Ladder(id="ladder").data_bind(TurnScreen.view)
                    with VerticalScroll(id="overview-right"):
                        yield Objectives(id="objectives").data_bind(TurnScreen.view)
                        yield Briefing(id="briefing").data_bind(TurnScreen.view)
            if self.actor is not None:
                with TabPane("2 Moves", id="moves"):
                    yield MovePicker(id="picker").data_bind(TurnScreen.view)
            with TabPane("3 Indicators", id="indicators"):
                yield IndicatorPanel(id="indicator-panel").data_bind(TurnScreen.view)
            with TabPane("4 Trade", id="trade"):
                yield TradePanel(id="trade-panel").data_bind(TurnScreen.view)
            with TabPane("5 Log", id="log"):
                yield EventLog(id="event-log").data_bind(TurnScreen.view)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.turn_progress.subscribe(self, self._progress)
        self.app.turn_played.subscribe(self, self._played)
        self.resolving = self.app.resolving
        self.refresh_view()

    def refresh_view(self) -> None:
        """Read the game again, and show the player the report of a turn they have not seen yet."""
        game = self.app.game
        assert game is not None
        self.view = game.view(self.actor)
        if game.tell_loaded(self.actor):
            self._tell_loaded()
        elif self.actor is not None and game.unseen_report(self.actor) and self.view.summary is not None:
            game.mark_reported(self.actor)
            self.action_report()
        if self.actor is not None:
            self.query_one(MovePicker).chosen = ()

    def _tell_loaded(self) -> None:
        from .loaded import LoadedScreen

        game = self.app.game
        assert game is not None and self.view is not None and game.report_from_save is not None
        actors = game.model.rules.actors
        names = tuple(actors[p].name for p in game.players)
        moved = tuple(actors[p].name for p in game.players if p not in game.waiting)

        def closed(report: bool | None) -> None:
            if report:
                self.action_report()

        self.app.push_screen(LoadedScreen(self.view, game.report_from_save, names, moved), closed)

    def _progress(self, progress: TurnProgress) -> None:
        self.resolving = not progress.finished

    def _played(self, view: PlayerView | None) -> None:
        if self.actor is None and view is not None:
            self.view = view

    def watch_resolving(self) -> None:
        self.refresh_bindings()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        playing = self.actor is not None
        running = self.view is None or self.view.running
        # False hides a key from the footer; None shows it greyed out.
        if action == "end_turn":
            return False if not (playing and running) else not self.resolving or None
        if action == "next_turn":
            return False if playing or not running else not self.resolving or None
        if action == "autoplay":
            return not playing and running
        if action == "report":
            return self.view is not None and self.view.summary is not None
        if action == "back":
            return self.looking_back
        if action in ("branch", "debrief"):
            # Only where nobody's secrets are at stake: watching the AI (the instructor has their own keys).
            return self.actor is None and not self.looking_back and self.app.may_analyse() and \
                (bool(self.view and self.view.turn > 1) and (not self.resolving or None))
        return True

    # -- actions -----------------------------------------------------------------------------------------
    def action_show_tab(self, tab: str) -> None:
        if self.query(f"TabPane#{tab}"):
            self.query_one(TabbedContent).active = tab

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        # Keys then go straight to what the tab holds: the move list, the table, the log.
        targets = {"moves": "#move-list", "indicators": "#indicator-panel", "trade": "#edges", "log": "#event-log",
                   "overview": "#overview-right"}
        target = targets.get(event.pane.id or "")
        if target and self.query(target):
            # Not scrolled to: in a narrow terminal the overview's objectives sit below the ladder, which comes first.
            self.query_one(target).focus(scroll_visible=False)

    def action_back(self) -> None:
        if self.looking_back:
            self.app.pop_screen()

    def action_report(self) -> None:
        from .report import ReportScreen

        if self.view is not None and self.view.summary is not None:
            game = self.app.game
            self.app.push_screen(ReportScreen(self.view, from_save=game.report_from_save if game else None))

    def action_end_turn(self) -> None:
        from .confirm import ConfirmScreen

        if self.view is None or self.actor is None or self.resolving or not self.view.running:
            return
        picker = self.query_one(MovePicker)
        chosen = picker.chosen
        names = [picker.options[m].move.name for m in chosen]
        detail = "\n".join(f"• {n}" for n in names) or "No moves: you hold this turn."

        def confirmed(yes: bool | None) -> None:
            if yes:
                self.submit(chosen)

        self.app.push_screen(ConfirmScreen(f"End turn {self.view.turn} as {self.view.actor_name}?", detail=detail,
                                           yes="End turn", no="Back"), confirmed)

    def ticked(self) -> list[str]:
        """The moves this player has ticked for the coming turn but not yet sent (e): what quitting would lose."""
        game = self.app.game
        if self.actor is None or self.looking_back or game is None or self.actor not in game.waiting or \
                not self.query(MovePicker):
            return []
        picker = self.query_one(MovePicker)
        return [picker.options[m].move.name for m in picker.chosen if m in picker.options]

    def submit(self, moves: tuple[str, ...]) -> None:
        from wargame import IllegalMove

        game = self.app.game
        assert game is not None and self.actor is not None
        picker = self.query_one(MovePicker)
        try:
            game.submit(self.actor, list(moves))
        except IllegalMove as error:
            picker.problems = tuple(error.lines())
            self.query_one(TabbedContent).active = "moves"
            return
        picker.problems = ()
        self.resolving = not game.waiting
        self.app.advance()

    def action_branch(self) -> None:
        self.app.open_branch()

    def action_debrief(self) -> None:
        game = self.app.game
        if game is not None:
            self.app.open_report(game.model, game.report_name())

    def action_next_turn(self) -> None:
        self.app.resolve(1)

    def action_autoplay(self) -> None:
        if self.app.resolving:
            self.app.stop_resolving()
        elif self.view is not None:
            self.app.resolve(self.view.turn_limit - self.view.turn + 1, pause=self.app.turn_pause)
