"""The Textual app: the flow from the start screen through each player's turn to the end of the game.

The app owns the Game and the worker that resolves turns. Screens show one player's view and send the
player's choices back here; nothing in tui/ decides what a move does — the engine does.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from functools import partial
from pathlib import Path

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.signal import Signal
from textual.worker import Worker, WorkerState, get_current_worker

from .game import Game, PlayerView


@dataclass(frozen=True)
class TurnProgress:
    """Published while turns resolve: which turn, how many of this batch are done, and what is happening."""

    turn: int
    done: int
    total: int
    text: str
    finished: bool = False


@dataclass(frozen=True)
class StartOptions:
    """What the command line asked for; the start screen starts from these."""

    ruleset: str | None = None
    humans: tuple[str, ...] = ()
    seed: int | None = None
    turns: int | None = None


class WargameApp(App):
    """Play the rare-earth crisis: one or more people each play an actor, the AI plays the rest."""

    CSS_PATH = "app.tcss"
    TITLE = "wargame"
    SUB_TITLE = "the 2026 rare-earth crisis"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+l", "load", "Load"),
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("q", "request_quit", "Quit", show=False),
    ]

    def __init__(self, options: StartOptions | None = None, saves_dir: Path | str | None = None,
                 autosave: bool = True, turn_pause: float = 0.6, model=None):
        super().__init__()
        self._loaded = model
        self.options = options or StartOptions()
        self._saves_dir = Path(saves_dir) if saves_dir is not None else None
        self.autosave = autosave
        self.turn_pause = turn_pause
        self.game: Game | None = None
        self.resolving = False
        self.turn_progress: Signal[TurnProgress] = Signal(self, "turn-progress")
        self.turn_played: Signal[PlayerView | None] = Signal(self, "turn-played")

    @property
    def saves_dir(self) -> Path:
        if self._saves_dir is None:
            from wargame.saves import SAVES_DIR

            self._saves_dir = SAVES_DIR
        return self._saves_dir

    def on_mount(self) -> None:
        from .screens.start import StartScreen

        if self._loaded is not None:
            self.begin(Game(self._loaded, self.saves_dir, self.autosave))
        else:
            self.push_screen(StartScreen(self.options))

    # -- the flow of a game ----------------------------------------------------------------------------
    def begin(self, game: Game) -> None:
        """Start playing a new or loaded game."""
        self.game = game
        self.advance()

    def advance(self) -> None:
        """Show whoever moves next, or resolve the turn once every player has moved."""
        from .screens.handover import HandoverScreen
        from .screens.over import GameOverScreen
        from .screens.turn import TurnScreen

        game = self.game
        assert game is not None
        if not game.model.running:
            self._switch_base(GameOverScreen(game.view(game.players[0] if len(game.players) == 1 else None)))
        elif game.players and game.current is None:
            self.resolve()
            if game.hot_seat:
                self._switch_base(HandoverScreen(game.players[0], resolving=True))
        elif game.hot_seat:
            self._switch_base(HandoverScreen(game.current))
        else:
            base = self.screen_stack[1] if len(self.screen_stack) > 1 else None
            if isinstance(base, TurnScreen) and base.actor == game.current:
                base.refresh_view()
            else:
                self._switch_base(TurnScreen(game.current))

    def _switch_base(self, screen) -> None:
        """Replace the screen a game is played on, closing any dialog above it."""
        while len(self.screen_stack) > 2:
            self.pop_screen()
        if len(self.screen_stack) < 2:
            self.push_screen(screen)
        else:
            self.switch_screen(screen)

    def show_player(self, actor: str) -> None:
        """The hand-over is done: show this player's turn."""
        from .screens.turn import TurnScreen

        self._switch_base(TurnScreen(actor))

    def resolve(self, turns: int = 1, pause: float = 0.0) -> bool:
        """Resolve `turns` turns in a worker thread. False if a turn is already resolving."""
        if self.resolving or self.game is None:
            return False
        self.resolving = True
        self.run_worker(partial(self._play, turns, pause), thread=True, group="turns", name="play turns")
        return True

    def stop_resolving(self) -> None:
        for worker in self.workers:
            if worker.group == "turns":
                worker.cancel()

    def _play(self, turns: int, pause: float) -> None:
        # Runs in a worker thread, the only code touching the model meanwhile; the screens wait for the signal.
        worker = get_current_worker()
        game = self.game
        assert game is not None
        model = game.model
        for done in range(turns):
            if worker.is_cancelled or not model.running:
                break
            self.call_from_thread(self.turn_progress.publish,
                                  TurnProgress(model.turn, done, turns, f"Resolving turn {model.turn}: "
                                                                        "the AI decides, then all moves resolve"))
            game.play_turn()
            view = game.view(None) if not game.players else None
            self.call_from_thread(self.turn_played.publish, view)
            if pause and done + 1 < turns and not worker.is_cancelled:
                time.sleep(pause)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        if event.worker.group != "turns" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                WorkerState.CANCELLED):
            return
        self.resolving = False
        game = self.game
        assert game is not None
        self.turn_progress.publish(TurnProgress(game.model.turn, 1, 1, "", finished=True))
        if game.autosave_problems:
            self.notify("\n".join(game.autosave_problems), title="Autosave failed", severity="warning", timeout=8)
            game.autosave_problems = []
        if event.state == WorkerState.ERROR:
            from wargame import WargameError

            error = event.worker.error
            lines = error.lines() if isinstance(error, WargameError) else [f"{type(error).__name__}: {error}"]
            self.notify("\n".join(lines), title="The turn could not be resolved", severity="error", timeout=10)
        if game.players and not game.hot_seat or not game.model.running:
            self.advance()

    # -- actions available everywhere ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.game is not None
        return True

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen())

    def action_save(self) -> None:
        from .screens.save import SaveScreen

        if self.game is None:
            self.notify("Start or load a game first.", severity="warning")
        elif self.resolving:
            self.notify("Wait until the turn has resolved, then save.", severity="warning")
        elif not isinstance(self.screen, SaveScreen):
            self.push_screen(SaveScreen(self.game))

    def action_load(self) -> None:
        from .screens.load import LoadScreen

        if self.resolving:
            self.notify("Wait until the turn has resolved.", severity="warning")
        elif not isinstance(self.screen, LoadScreen):
            self.push_screen(LoadScreen(self.saves_dir, self.autosave),
                             lambda game: self.begin(game) if game is not None else None)

    def action_request_quit(self) -> None:
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        if self.game is None or not self.game.model.reports:
            question = "Quit wargame?"
        elif self.game.last_saved is not None:
            question = f"Quit wargame? The game was last saved to {self.game.last_saved.name}."
        else:
            question = "Quit wargame? This game has not been saved."

        def done(yes: bool | None) -> None:
            if yes:
                self.stop_resolving()
                self.exit()

        self.push_screen(ConfirmScreen(question, yes="Quit", no="Keep playing"), done)
