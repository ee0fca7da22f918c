"""The Textual app: the flow from the start screen through each player's turn to the end of the game.

The app owns the Game and the worker that resolves turns. Screens show one player's view and send the
player's choices back here; nothing in tui/ decides what a move does — the engine does.

In instructor mode the instructor's screen (tui.screens.instructor) takes the place of whichever screen
the game was on, so a player's screen is closed, not covered, while the instructor looks at everything;
the keyboard then goes back to the player through a hand-over screen.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.message import Message
from textual.signal import Signal
from textual.worker import Worker, WorkerState

from .game import Game, PlayerView

if TYPE_CHECKING:
    from textual.screen import Screen


@dataclass(frozen=True)
class TurnProgress:
    """Published while turns resolve: which turn, how far the batch has got, and what is happening."""

    turn: int
    done: int
    total: int
    text: str
    finished: bool = False


class ProgressPosted(Message):
    """A TurnProgress sent from the worker thread."""

    def __init__(self, progress: TurnProgress):
        super().__init__()
        self.progress = progress


@dataclass(frozen=True)
class StartOptions:
    """What the command line asked for; the start screen starts from these."""

    ruleset: str | None = None
    humans: tuple[str, ...] = ()
    seed: int | None = None
    turns: int | None = None
    instructor: bool = False


class WargameApp(App):
    """Play the rare-earth crisis: one or more people each play an actor, the AI plays the rest."""

    CSS_PATH = "app.tcss"
    TITLE = "wargame"
    SUB_TITLE = "the 2026 rare-earth crisis"
    ENABLE_COMMAND_PALETTE = False
    BINDINGS = [
        Binding("f1,question_mark", "help", "Help", key_display="?"),
        Binding("i", "instructor", "Instructor"),
        Binding("ctrl+s", "save", "Save"),
        Binding("ctrl+l", "load", "Load"),
        Binding("ctrl+q", "request_quit", "Quit", priority=True),
        Binding("q", "request_quit", "Quit", show=False),
    ]
    WHEN = {"instructor": "in instructor mode: wargame play --instructor", "save": "during a game"}

    def __init__(self, options: StartOptions | None = None, saves_dir: Path | str | None = None,
                 autosave: bool = True, turn_pause: float = 0.6, model=None, loaded_from: Path | str | None = None):
        super().__init__()
        self._loaded = model
        self._loaded_from = Path(loaded_from) if loaded_from is not None else None
        self.options = options or StartOptions()
        self._saves_dir = Path(saves_dir).expanduser().absolute() if saves_dir is not None else None
        self.autosave = autosave
        self.turn_pause = turn_pause
        self.game: Game | None = None
        self.resolving = False
        self.pause_requested = False        # the instructor paused while turns were resolving
        self._stop = threading.Event()      # asks the worker to stop after the turn it is on
        self.turn_progress: Signal[TurnProgress] = Signal(self, "turn-progress")
        self.turn_played: Signal[PlayerView | None] = Signal(self, "turn-played")

    @property
    def saves_dir(self) -> Path:
        """Where games are saved and looked for: the folder given (`wargame play --saves DIR`), or `saves/` in
        the current directory, so that people sharing one installation keep their own saves. It is created
        by the first save."""
        if self._saves_dir is None:
            self._saves_dir = Path.cwd() / "saves"
        return self._saves_dir

    def on_mount(self) -> None:
        from .screens.start import StartScreen

        if self._loaded is not None:
            self.begin(Game(self._loaded, self.saves_dir, self.autosave, self.options.instructor,
                            opened_from=self._loaded_from))
        else:
            self.push_screen(StartScreen(self.options))

    # -- the flow of a game ----------------------------------------------------------------------------
    def begin(self, game: Game) -> None:
        """Start playing a new or loaded game; in instructor mode the instructor has the first word."""
        self.game = game
        if game.instructor_mode and game.model.running:
            from .screens.instructor import InstructorScreen

            self._switch_base(InstructorScreen())
        else:
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
            if game.paused and not self.resolving:
                self._switch_base(HandoverScreen(None, mode="paused"))
                return
            self.resolve()
            if game.hot_seat or not isinstance(self.base_screen, TurnScreen):
                self._switch_base(HandoverScreen(game.players[0], mode="resolving"))
        elif game.hot_seat:
            self._switch_base(HandoverScreen(game.current))
        else:
            base = self.base_screen
            if isinstance(base, TurnScreen) and base.actor == game.current and not base.looking_back:
                base.refresh_view()
            else:
                self._switch_base(TurnScreen(game.current))

    @property
    def base_screen(self) -> "Screen | None":
        """The screen the game is played on, under any dialogs."""
        return self.screen_stack[1] if len(self.screen_stack) > 1 else None

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
        """Resolve `turns` turns in a worker thread. False if a turn is already resolving or the game is paused."""
        if self.resolving or self.game is None:
            return False
        if self.game.paused:
            self.notify("The instructor has paused the game: the next turn waits until they resume it.",
                        title="Paused", severity="warning")
            return False
        self.resolving = True
        self._stop.clear()
        self.run_worker(partial(self._play, turns, pause), thread=True, group="turns", name="play turns")
        return True

    def stop_resolving(self) -> None:
        """Stop playing turns on their own after the turn being resolved (which always completes)."""
        self._stop.set()

    def _play(self, turns: int, pause: float) -> None:
        # Runs in a worker thread, the only code touching the model meanwhile; the screens wait for the signal.
        game = self.game
        assert game is not None
        model = game.model
        names = {a: s.name for a, s in model.rules.actors.items()}
        count = len(names)
        for done in range(turns):
            if self._stop.is_set() or not model.running:
                break
            turn = model.turn
            order: list[str] = []

            def deciding(actor: str, turn=turn, done=done, order=order) -> None:
                order.append(actor)
                doing = "'s moves are in" if actor in game.players else " decides"
                text = f"Turn {turn}: {names[actor]}{doing} ({len(order)}/{count})"
                # One turn: the bar follows the actors; several: it counts the turns.
                progress = TurnProgress(turn, len(order) - 1, count + 1, text) if turns == 1 else \
                    TurnProgress(turn, done, turns, text)
                # Posted, not awaited: the AI need not wait for the screen to draw each name.
                self.post_message(ProgressPosted(progress))

            self.call_from_thread(self.turn_progress.publish,
                                  TurnProgress(turn, done if turns > 1 else 0, turns if turns > 1 else count + 1,
                                               f"Resolving turn {turn}…"))
            game.play_turn(on_decide=deciding)
            view = game.view(None) if not game.players else None
            self.call_from_thread(self.turn_played.publish, view)
            if pause and done + 1 < turns:
                self._stop.wait(pause)

    def on_progress_posted(self, message: "ProgressPosted") -> None:
        if self.resolving:
            self.turn_progress.publish(message.progress)

    @on(Worker.StateChanged)
    def _worker_changed(self, event: Worker.StateChanged) -> None:
        from .screens.instructor import InstructorScreen

        if event.worker.group != "turns" or event.state not in (WorkerState.SUCCESS, WorkerState.ERROR,
                                                                WorkerState.CANCELLED):
            return
        self.resolving = False
        game = self.game
        assert game is not None
        if self.pause_requested:
            self.pause_requested = False
            if game.model.running and not game.instructor.paused:
                game.instructor.pause()
        self.turn_progress.publish(TurnProgress(game.model.turn, 1, 1, "", finished=True))
        if game.autosave_problems:
            self.notify("\n".join(game.autosave_problems), title="Autosave failed", severity="warning", timeout=8)
            game.autosave_problems = []
        if game.autosave_notes:
            self.notify("\n".join(game.autosave_notes), title="Autosave", timeout=8)
            game.autosave_notes = []
        if event.state == WorkerState.ERROR:
            from wargame import WargameError

            error = event.worker.error
            lines = error.lines() if isinstance(error, WargameError) else [f"{type(error).__name__}: {error}"]
            self.notify("\n".join(lines), title="The turn could not be resolved", severity="error", timeout=10)
        from .screens.turn import TurnScreen

        base = self.base_screen
        if isinstance(base, InstructorScreen):
            return          # the instructor hands the keyboard back when they are done
        # A hand-over screen turns into the next player's prompt by itself; a lone player's screen refreshes.
        if not game.model.running or (game.players and not game.hot_seat and isinstance(base, TurnScreen)):
            self.advance()

    # -- the instructor --------------------------------------------------------------------------------
    def action_instructor(self) -> None:
        from .screens.instructor import InstructorScreen

        game = self.game
        if game is None or not game.instructor_mode or isinstance(self.base_screen, InstructorScreen):
            return
        # Switching, not pushing: a player's screen under the instructor's would still hold that player's view.
        self._switch_base(InstructorScreen())

    def close_instructor(self) -> None:
        """The instructor is done: the keyboard goes back to the players through a hand-over screen."""
        from .screens.handover import HandoverScreen

        game = self.game
        assert game is not None
        if game.model.running and game.current is not None:
            self._switch_base(HandoverScreen(game.current, mode="back"))
        elif game.model.running and game.players and self.resolving:
            self._switch_base(HandoverScreen(game.players[0], mode="resolving"))
        else:
            self.advance()

    # -- what-if branches, comparisons and debrief reports ---------------------------------------------
    def may_analyse(self) -> bool:
        """Branches, comparisons and reports show every actor's private facts: never over a player's screen
        while a game with players runs. The instructor may, and anyone before or after a game."""
        from .screens.instructor import InstructorScreen

        game = self.game
        return (game is None or not game.model.running or not game.players
                or isinstance(self.base_screen, InstructorScreen))

    def open_branch(self, source=None, name: str | None = None) -> None:
        """Set up a what-if branch of the game in progress (default) or of a save file."""
        from .screens.branch import BranchScreen

        if self.resolving:
            self.notify("Wait until the turn has resolved.", severity="warning")
            return
        current = None
        if source is None:
            from wargame.saves import snapshot

            current = self.game
            if current is None or not current.model.reports:
                self.notify("Play a turn first: a branch starts from a turn already played.", severity="warning")
                return
            source = snapshot(current.model)
            # The autosave is overwritten every turn: the game is named after itself instead.
            saved = current.last_saved
            name = saved.name if saved and saved.stem != "autosave" else f"this game (seed {current.model.seed})"
        self.push_screen(BranchScreen(source, name or str(source), current))

    def show_comparison(self, a, b, names: tuple[str, str] = ("A", "B"), branch=None) -> None:
        """Compare two games (models, save documents or files) in a worker, then show the comparison."""
        from .screens.compare import open_comparison

        open_comparison(self, a, b, names, branch)

    def open_report(self, source, name: str) -> None:
        from .screens.export import ExportScreen

        self.push_screen(ExportScreen(source, name, self.saves_dir))

    # -- actions available everywhere ------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "save":
            return self.game is not None
        if action == "instructor":
            from .screens.instructor import InstructorScreen

            # Not on the instructor's own screen, where `i` would do nothing.
            return self.game is not None and self.game.instructor_mode and \
                not isinstance(self.base_screen, InstructorScreen)
        return True

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.turn_days()))

    def turn_days(self) -> int | None:
        """The length of a turn in the game being played or, before one starts, in the ruleset chosen for it."""
        from .screens.start import StartScreen

        if self.game is not None:
            return self.game.model.rules.turn_days
        start = next((s for s in self.screen_stack if isinstance(s, StartScreen)), None)
        return start.rules.turn_days if start is not None and start.rules is not None else None

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
            instructor = self.game.instructor_mode if self.game is not None else self.options.instructor
            self.push_screen(LoadScreen(self.saves_dir, self.autosave, instructor),
                             lambda game: self.begin(game) if game is not None else None)

    def action_request_quit(self) -> None:
        from .screens.confirm import ConfirmScreen

        if isinstance(self.screen, ConfirmScreen):
            return
        if self.game is None or not self.game.has_progress:
            question = "Quit wargame?"
        elif self.game.last_saved is not None and not self.game.changed_since_saved:
            question = f"Quit wargame? The game is saved in {self.game.last_saved.name}."
        elif self.game.last_saved is not None:
            # Without an instructor there are no instructor's actions to lose: the question names only what there is.
            since = "the moves or instructor's actions" if self.game.instructor_mode else "the moves"
            question = (f"Quit wargame? The game was last saved to {self.game.last_saved.name}, before {since} "
                        "entered since.")
        else:
            question = "Quit wargame? This game has not been saved."

        from .screens.turn import TurnScreen

        # Moves ticked but not sent are in no save: quitting loses them whatever was saved.
        turn = self.base_screen
        ticked = turn.ticked() if isinstance(turn, TurnScreen) else []
        detail = ""
        if ticked:
            detail = (f"{self.game.model.rules.actors[turn.actor].name}'s moves ticked for turn {self.game.model.turn} "
                      "are not sent yet (e ends the turn) and would be lost:\n" + "\n".join(f"• {n}" for n in ticked))
        at_stake = bool(ticked) or (self.game is not None and self.game.has_progress and self.game.changed_since_saved)

        def done(yes: bool | None) -> None:
            if yes:
                self.stop_resolving()
                self.exit()

        self.push_screen(ConfirmScreen(question, yes="Quit", no="Keep playing", detail=detail, safe=at_stake), done)
