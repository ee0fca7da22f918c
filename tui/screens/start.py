"""The start screen: choose a ruleset, the actors to play, a seed and a turn limit — or load a saved game."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from typing import TYPE_CHECKING

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.reactive import reactive
from textual.screen import Screen
from textual.validation import Integer
from textual.widgets import Button, Checkbox, Header, Input, Label, Select, SelectionList, Static
from textual.widgets.selection_list import Selection
from textual.worker import get_current_worker

from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wargame import Ruleset

    from ..app import StartOptions, WargameApp


def rulesets_folder() -> Path:
    import wargame

    return Path(wargame.__file__).resolve().parent.parent / "rulesets"


def ruleset_files(wanted: str | None) -> tuple[list[Path], Path]:
    """The rulesets in the rulesets folder, found without reading them, and the one to pre-select."""
    from wargame.commands.common import DEFAULT_RULESET_NAME

    folder = rulesets_folder()
    chosen = Path(wanted).resolve() if wanted else (folder / DEFAULT_RULESET_NAME).resolve()
    return sorted({p.resolve() for p in folder.glob("*.yaml")} | {chosen}), chosen


class StartScreen(Screen):
    """Set up a new game, or load one."""

    app: "WargameApp"
    BINDINGS = [Binding("ctrl+n", "start", "Start")]

    rules: reactive["Ruleset | None"] = reactive(None)
    problems: reactive[tuple[str, ...]] = reactive(())

    def __init__(self, options: "StartOptions"):
        super().__init__()
        self.options = options
        self._reading: str | None = None

    def compose(self) -> ComposeResult:
        files, chosen = ruleset_files(self.options.ruleset)
        home = rulesets_folder().resolve()
        yield Header()
        with Vertical(id="setup"):
            with Horizontal(classes="field"):
                yield Label("Ruleset", classes="caption")
                yield Select([(p.name if p.parent == home else f"{p.parent.name}/{p.name}", str(p)) for p in files],
                             value=str(chosen), allow_blank=False, id="ruleset")
            yield Static("Reading the ruleset…", id="ruleset-about")
            yield Label("Play as (none: watch the AI play; two or more: hot-seat)", classes="caption wide")
            yield SelectionList[str](id="actors")
            yield Static("", id="players")
            with Horizontal(classes="field"):
                yield Label("Seed", classes="caption")
                yield Input(str(self.options.seed or 0), id="seed", type="integer", validators=[Integer(minimum=0)],
                            valid_empty=False)
                yield Label("Turns", classes="caption")
                yield Input(str(self.options.turns or ""), id="turns", type="integer", placeholder="all",
                            validators=[Integer(minimum=1)], valid_empty=True)
                yield Checkbox("Instructor mode", self.options.instructor, id="instructor-mode",
                               tooltip="Pause the game, inject events, reveal or hide private information and "
                                       "override moves, from the instructor's screen (i)")
            with Horizontal(id="start-buttons"):
                yield Button("Start", id="start", variant="primary", disabled=True)
                yield Button("Saved games", id="load")
                yield Button("Quit", id="quit")
        yield KeyFooter()

    def on_mount(self) -> None:
        # The engine is imported and the ruleset read only once the screen is up: the first frame comes first.
        self.call_after_refresh(self._ruleset_chosen)

    @on(Select.Changed, "#ruleset")
    def _ruleset_chosen(self) -> None:
        value = self.query_one("#ruleset", Select).value
        if isinstance(value, str) and value != self._reading:
            self._reading = value
            self.rules = None
            self.read_ruleset(value)

    @work(thread=True, exclusive=True, group="ruleset")
    def read_ruleset(self, path: str) -> None:
        from wargame import WargameError, load_ruleset

        try:
            rules = load_ruleset(path)
        except WargameError as error:
            problems = tuple(error.lines())
            rules = None
        else:
            problems = ()
        if not get_current_worker().is_cancelled:
            self.app.call_from_thread(self._ruleset_read, rules, problems)

    def _ruleset_read(self, rules: "Ruleset | None", problems: tuple[str, ...]) -> None:
        self.problems = problems
        self.rules = rules

    def watch_rules(self, rules: "Ruleset | None") -> None:
        actors = self.query_one("#actors", SelectionList)
        about = self.query_one("#ruleset-about", Static)
        actors.clear_options()
        self.query_one("#start", Button).disabled = rules is None
        if rules is None:
            about.update("\n".join(self.problems) if self.problems else "Reading the ruleset…")
            about.set_class(bool(self.problems), "error")
            return
        about.set_class(False, "error")
        about.update(f"[b]{rules.name}[/b] · {len(rules.actors)} actors, {len(rules.moves)} moves, "
                     f"up to {rules.max_turns} turns of {rules.turn_days} days from {rules.start_date:%-d %b %Y}")
        wanted = set(self.options.humans)
        actors.add_options(Selection(f"{spec.name} ({aid}, {spec.kind})", aid, aid in wanted)
                           for aid, spec in rules.actors.items())
        if actors.option_count:
            actors.highlighted = 0          # space ticks the first actor at once, Down goes to the second
        turns = self.query_one("#turns", Input)
        turns.placeholder = f"all {rules.max_turns}"
        # As long as the engine and the ruleset's calendar allow (a date past the year 9999 cannot be shown).
        turns.validators = [Integer(minimum=1, maximum=rules.longest_game)]
        self._show_players()
        self.query_one("#start", Button).focus()

    @on(SelectionList.SelectedChanged, "#actors")
    def _players_changed(self) -> None:
        self._show_players()

    def _show_players(self) -> None:
        chosen = self.query_one("#actors", SelectionList).selected
        names = [self.rules.actors[a].name for a in chosen] if self.rules else []
        if not names:
            text = "Nobody plays: you watch the AI play every actor."
        elif len(names) == 1:
            text = f"You play {names[0]}; the AI plays the other {len(self.rules.actors) - 1} actors."
        else:
            text = f"Hot-seat: {', '.join(names)} take turns at the keyboard; the AI plays the rest."
        self.query_one("#players", Static).update(text)

    # -- starting --------------------------------------------------------------------------------------
    @on(Button.Pressed, "#start")
    @on(Input.Submitted)
    def action_start(self) -> None:
        if self.rules is None:
            return
        seed, turns = self.query_one("#seed", Input), self.query_one("#turns", Input)
        for field in (seed, turns):
            result = field.validate(field.value)
            if result is not None and not result.is_valid:
                self.notify(f"{field.id.title()}: {'; '.join(result.failure_descriptions)}", severity="error")
                field.focus()
                return
        humans = tuple(self.query_one("#actors", SelectionList).selected)
        self.query_one("#start", Button).disabled = True
        instructor = self.query_one("#instructor-mode", Checkbox).value
        self.new_game(self.rules, humans, int(seed.value), int(turns.value) if turns.value else None, instructor)

    @work(thread=True, exclusive=True, group="open")
    def new_game(self, rules: "Ruleset", humans: tuple[str, ...], seed: int, turns: int | None,
                 instructor: bool) -> None:
        from wargame import WargameError

        from ..game import Game

        try:
            from wargame import WargameModel

            game = Game(WargameModel(rules, rng=seed, humans=humans, turns=turns), self.app.saves_dir,
                        self.app.autosave, instructor)
        except WargameError as error:
            self.app.call_from_thread(self._failed, error.lines())
            return
        self.app.call_from_thread(self.app.begin, game)

    def _failed(self, lines: list[str]) -> None:
        self.query_one("#start", Button).disabled = self.rules is None
        self.notify("\n".join(lines), title="Cannot start", severity="error", timeout=10)

    @on(Button.Pressed, "#load")
    def _load(self) -> None:
        self.app.options = replace(self.app.options, instructor=self.query_one("#instructor-mode", Checkbox).value)
        self.app.action_load()

    @on(Button.Pressed, "#quit")
    def _quit(self) -> None:
        self.app.action_request_quit()
