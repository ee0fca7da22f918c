"""What if? Replay a game up to a turn, change one actor's moves there, and play on — then compare.

The game is the one in progress (as a save document) or a save file; wargame.replay.branch does the work.
The moves on offer are the actor's own catalogue at that turn, as the engine allowed them then. The branch
is either played on by the AI as far as the original game went and compared with it, or played on here.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Button, Label, Select, Static
from textual.worker import get_current_worker

from ..widgets.footer import KeyFooter
from ..widgets.moves import MovePicker

if TYPE_CHECKING:
    from ..app import WargameApp

COMPARE, HERE = "compare", "here"
RECORDED, AI = "recorded", "utility"


class BranchScreen(Screen):
    app: "WargameApp"
    BINDINGS = [
        # The list of moves keeps the focus: without a key of its own, what happens next is two Tabs away (past
        # the preview), and nothing on the screen says so.
        Binding("t", "then", "Then…"),
        Binding("ctrl+b", "branch", "Branch"),
        Binding("escape", "back", "Back"),
    ]

    def __init__(self, source: Any, name: str, current=None):
        super().__init__()
        self.source = source
        self.parent_name = name
        self.current = current          # the game in progress, when it is the one branched
        self.doc: dict | None = None
        self.humans: list[str] = []
        self.actor_names: dict[str, str] = {}
        self.model_at = None            # the game as it stood before the branch turn chosen
        self.positioning: tuple[int, str] | None = None     # the turn and actor being replayed to
        self.problem: list[str] = []    # why the game (or the turn chosen) cannot be branched
        self.played_text = Text()

    def compose(self) -> ComposeResult:
        with Vertical(id="branch"):
            yield Label(f"What if? A branch of {self.parent_name}", classes="dialog-title", id="branch-title")
            with Horizontal(classes="field"):
                # No blank choice: a turn and an actor are always chosen. Until the game is read, a
                # placeholder that _turn() and _actor() read as none.
                yield Label("Turn", classes="caption")
                yield Select([("…", 0)], allow_blank=False, id="branch-turn")
                yield Label("Actor", classes="caption")
                yield Select([("…", "")], allow_blank=False, id="branch-actor")
            yield Static("Reading the game…", id="branch-played")
            yield MovePicker(own=False, id="branch-picker")
            with Horizontal(classes="field"):
                yield Label("Then", classes="caption")
                yield Select([("the AI plays on as far as the game went; compare", COMPARE),
                              ("play it on here", HERE)], allow_blank=False, id="branch-then")
                yield Select([(Text("players repeat their moves"), RECORDED),
                              (Text("the AI plays the players"), AI)], allow_blank=False, id="branch-later")
                yield Button("Branch", id="branch-go", variant="primary", disabled=True)
        yield KeyFooter()

    def on_mount(self) -> None:
        self.app.run_worker(self._read, thread=True, group="branch-read", exclusive=True, name="read the game")

    def _read(self) -> None:
        from wargame import WargameError
        from wargame.replay import open_save

        try:
            doc, rules, _ = open_save(self.source, name=self.parent_name)
        except WargameError as error:
            self.app.call_from_thread(self._failed, error.lines())
            return
        self.app.call_from_thread(self._show_game, doc, rules)

    def _failed(self, lines: list[str]) -> None:
        self.problem = lines
        self.query_one("#branch-played", Static).update(Text("\n".join(lines), "bold red"))

    def _show_game(self, doc: dict, rules) -> None:
        self.doc = doc
        self.humans = [a for a, p in doc["policies"].items() if p == "human"]
        played = len(doc["history"])
        if not played:
            self._failed([f"{self.parent_name} has no turns played yet: there is nothing to branch from."])
            return
        turn = self.query_one("#branch-turn", Select)
        turn.set_options([(f"{t} ({rules.date_of(t):%-d %b})", t) for t in range(1, played + 1)])
        actor = self.query_one("#branch-actor", Select)
        self.actor_names = {aid: spec.name for aid, spec in rules.actors.items()}
        actor.set_options([(name, aid) for aid, name in self.actor_names.items()])
        self._then_changed()
        first = self.humans[0] if self.humans else next(iter(rules.actors))
        actor.value = first
        # The turn just played, wherever the screen is opened from (the game over screen, the instructor's, a
        # save): the decision freshest in mind; an earlier one is a choice away.
        turn.value = played
        self.query_one("#move-list").focus()

    @on(Select.Changed, "#branch-then")
    def _then_changed(self) -> None:
        # Played on here, the players play their actors again; only the AI's comparison run needs telling how.
        self.query_one("#branch-later", Select).display = bool(self.humans) and \
            self.query_one("#branch-then", Select).value == COMPARE

    @on(Select.Changed, "#branch-turn")
    @on(Select.Changed, "#branch-actor")
    def _choice_changed(self) -> None:
        turn, actor = self._turn(), self._actor()
        if self.doc is None or turn is None or actor is None or (turn, actor) == self.positioning:
            return
        # Until the replay is done, the position on screen is another turn's or actor's: not one to branch from.
        self.positioning, self.model_at, self.problem = (turn, actor), None, []
        self.query_one("#branch-go", Button).disabled = True
        self.query_one("#branch-played", Static).update(f"Replaying to turn {turn}…")
        self.app.run_worker(lambda: self._position(turn, actor), thread=True, group="branch-position",
                            exclusive=True, name="replay to the branch turn")

    def _turn(self) -> int | None:
        value = self.query_one("#branch-turn", Select).value
        return value if isinstance(value, int) and value > 0 else None

    def _actor(self) -> str | None:
        value = self.query_one("#branch-actor", Select).value
        return value if isinstance(value, str) and value else None

    def _position(self, turn: int, actor: str) -> None:
        from wargame import WargameError
        from wargame.replay import branch

        from ..game import build_view

        try:
            model = branch(self.doc, at=turn, turns=0, name=self.parent_name)
            view = build_view(model, actor)
        except WargameError as error:
            if not get_current_worker().is_cancelled:
                self.app.call_from_thread(self._failed, error.lines())
            return
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._positioned, turn, actor, model, view)

    def _positioned(self, turn: int, actor: str, model, view) -> None:
        if (turn, actor) != (self._turn(), self._actor()):
            return
        self.model_at = model
        picker = self.query_one(MovePicker)
        picker.chosen = ()
        picker.problems = ()
        picker.view = view
        rules = model.rules
        played = self.doc["history"][turn - 1]["orders"].get(actor, [])
        names = rules.moves_text(played, none="nothing (held)")
        text = Text()
        text.append(f"In {self.parent_name}, on turn {turn}, {rules.actors[actor].name} played: ", "bold")
        text.append(names)
        text.append("\nChoose what it plays instead; the other actors move as they did on that turn.", "dim")
        self.played_text = text
        self.query_one("#branch-played", Static).update(text)
        self.query_one("#branch-go", Button).disabled = False

    # -- branching -------------------------------------------------------------------------------------
    @on(Button.Pressed, "#branch-go")
    def action_branch(self) -> None:
        from wargame.instructor import check_moves

        turn, actor = self._turn(), self._actor()
        if self.model_at is None or turn is None or actor is None or self.doc is None:
            self.notify(self._not_ready(), title="Not yet", severity="warning")
            return
        picker = self.query_one(MovePicker)
        moves = list(picker.chosen)
        reasons = check_moves(self.model_at, actor, moves)
        if reasons:
            picker.problems = tuple(reasons)
            return
        then = self.query_one("#branch-then", Select).value
        later = self.query_one("#branch-later", Select).value
        name = self.parent_name
        if then == HERE:
            # Played on here, the branch records its parent under the name the parent is saved as.
            name = self._keep_current()
            if name is None:
                return
        self.query_one("#branch-go", Button).disabled = True
        self.query_one("#branch-played", Static).update("Playing the branch…")
        self.app.run_worker(lambda: self._play(turn, actor, moves, then, later, name), thread=True,
                            group="branch-play", exclusive=True, name="play the branch")

    def _keep_current(self) -> str | None:
        """The name of the game branched. A branch played on here takes the place of the game in progress and
        autosaves over it: a game not yet saved under a name of its own is saved first. None if that fails."""
        from wargame import WargameError

        from ..game import AUTOSAVE

        current = self.current
        if current is None or (current.last_saved is not None and current.last_saved.stem != AUTOSAVE):
            return self.parent_name
        try:
            name = current.save(current.report_name()).name
        except WargameError as error:
            self._refused(error.lines())
            return None
        self.app.notify(f"The game you branched is saved as {name}.", title="Saved")
        return name

    def _play(self, turn: int, actor: str, moves: list[str], then: Any, later: Any, name: str) -> None:
        from wargame import WargameError
        from wargame.compare import compare
        from wargame.replay import branch

        doc = self.doc
        assert doc is not None
        pins = {turn: {actor: moves}}
        try:
            if then == HERE:
                # The players play their actors again from the branch turn on; on that turn the others among
                # them move as they did (moves are simultaneous), so only the changed actor's choice is new.
                recorded = doc["history"][turn - 1]["orders"]
                for human in self.humans:
                    if human != actor:
                        pins[turn][human] = list(recorded.get(human, []))
                model = branch(doc, at=turn, moves=pins, turns=0, name=name,
                               policies={h: "human" for h in self.humans})
                self.app.call_from_thread(self._play_here, model, name, turn)
                return
            played = len(doc["history"])
            policies = {h: AI for h in self.humans} if later == AI else {}
            model = branch(doc, at=turn, moves=pins, turns=played - turn + 1, name=self.parent_name,
                           policies=policies)
            comparison = compare(doc, model, names=(self.parent_name, "what-if"))
        except WargameError as error:
            self.app.call_from_thread(self._refused, error.lines())
            return
        self.app.call_from_thread(self._compared, comparison, model)

    def _not_ready(self) -> str:
        """Why ctrl+b cannot branch yet."""
        if self.problem:
            return "Cannot branch: " + " ".join(self.problem)
        if self.doc is None:
            return "Wait: the game is still being read."
        if self.positioning is not None:
            turn, actor = self.positioning
            return f"Wait: replaying the game to turn {turn}, to list {self.actor_names[actor]}'s moves there."
        return "Choose a turn and an actor first."

    def _refused(self, lines: list[str]) -> None:
        self.query_one(MovePicker).problems = tuple(lines)
        self.query_one("#branch-go", Button).disabled = False
        self.query_one("#branch-played", Static).update(self.played_text)

    def _compared(self, comparison, model) -> None:
        from .compare import CompareScreen

        self.query_one("#branch-go", Button).disabled = False
        self.query_one("#branch-played", Static).update(self.played_text)
        self.app.push_screen(CompareScreen(comparison, model))

    def _play_here(self, model, name: str, turn: int) -> None:
        from ..game import Game, Parent

        app = self.app
        instructor = app.game.instructor_mode if app.game is not None else app.options.instructor
        app.begin(Game(model, app.saves_dir, app.autosave, instructor, parent=Parent(self.doc, name, turn)))

    def action_then(self) -> None:
        """Open the choice of what happens after the branch turn; Enter there chooses, and ctrl+b branches."""
        then = self.query_one("#branch-then", Select)
        then.focus()
        then.action_show_overlay()

    def action_back(self) -> None:
        self.app.pop_screen()
