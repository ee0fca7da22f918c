"""A game in progress, as the app holds it: the engine's model, whose turn it is at the keyboard, and saving.

The model holds every rule; this module only keeps the order in which the people at the keyboard move and
builds each one's PlayerView, a snapshot of what that player may see, from wargame.views.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from wargame.figures import tension_text

if TYPE_CHECKING:
    from wargame import WargameModel
    from wargame.moves import Event
    from wargame.views import EdgeRow, MoveOption, Standing, TurnSummary

AUTOSAVE = "autosave"


@dataclass(frozen=True, eq=False)  # compared by identity: a new view is a new moment of the game
class PlayerView:
    """Everything one player's turn screen shows, read from the engine at one moment."""

    actor: str | None                   # None: a spectator watching the AI
    actor_name: str
    turn: int                           # the turn about to be played
    turn_limit: int
    date: dt.date
    running: bool
    outcome: str | None
    tension: float
    tension_max: float
    rung: str
    ladder: tuple[tuple[float, str], ...]
    capital: float | None
    capital_max: float | None
    moves_per_turn: int
    standings: tuple["Standing", ...]
    history: tuple[dict[str, Any], ...]
    stocks: dict[tuple[str, str], list[float]]
    edges: tuple["EdgeRow", ...]
    events: tuple["Event", ...]
    active: tuple[tuple[str, str, str], ...]        # (actor name, move name, since/until), as the player knows them
    options: tuple[tuple[str, tuple["MoveOption", ...]], ...]
    summary: "TurnSummary | None"
    labels: dict[str, str] = field(default_factory=dict)   # node, commodity and actor ids -> names
    turn_days: int = 7
    japan: str = "JP"
    node_names: dict[str, str] = field(default_factory=dict)
    previews: dict[str, tuple[str, ...]] = field(default_factory=dict)   # move id -> the engine's description
    revealed: tuple[dict[str, Any], ...] = ()       # the private facts the instructor has revealed to every player

    def date_of(self, turn: int) -> dt.date:
        return self.date + dt.timedelta(days=self.turn_days * (turn - self.turn))

    def tension_text(self, tension: float) -> str:
        """Tension as every screen writes it: never rounded up onto a rung not yet reached."""
        return tension_text(tension, self.ladder)


def build_view(model: "WargameModel", actor: str | None, opening: dict | None = None) -> PlayerView:
    from wargame import views
    from wargame.instructor import revealed_information
    from wargame.render import move_lines

    rules = model.rules
    obs = views.observe(model, actor)
    spec = rules.actors[actor] if actor else None
    net = rules.network
    # Actor, node and commodity ids can coincide (a firm is named like its plant): actors go last.
    labels = {n.id: n.name for n in net.nodes}
    labels.update({c.id: c.name for c in net.commodities})
    labels.update({a: s.name for a, s in rules.actors.items()})
    active = []
    for a in obs.active_moves():
        move = rules.moves[a["move"]]
        until = "until cancelled" if a["until"] is None else f"to turn {a['until']}"
        since = "before the crisis" if not a["since"] else f"since turn {a['since']}"
        active.append((labels[a["actor"]], move.name, f"{since}, {until}"))
    return PlayerView(
        actor=actor,
        # No one player's view: a spectator's while the AI plays, every player's once the game is over (hot-seat).
        actor_name=spec.name if spec else "Spectator" if model.running else "Final position",
        turn=model.turn,
        turn_limit=model.turn_limit,
        date=model.date,
        running=model.running,
        outcome=views.outcome_label(model),
        tension=obs.tension,
        tension_max=float(rules.politics["tension_max"]),
        rung=rules.ladder_rung(obs.tension),
        ladder=tuple((float(level), name) for level, name in rules.politics["ladder"]),
        capital=obs.capital if actor else None,
        capital_max=spec.capital_max if spec else None,
        moves_per_turn=spec.moves_per_turn if spec else 0,
        standings=tuple(views.objective_standings(model, actor, opening)) if actor else (),
        history=tuple(views.public_history(model, opening)),
        stocks=views.own_stock_history(model, actor),
        edges=tuple(views.edge_rows(model, actor)),
        events=tuple(obs.events()),
        active=tuple(active),
        options=tuple((family, tuple(opts)) for family, opts in views.move_options(model, actor)) if actor else (),
        summary=views.turn_summary(model, actor, opening=opening),
        labels=labels,
        turn_days=rules.turn_days,
        japan=net.japan,
        node_names={n.id: n.name for n in net.nodes},
        previews={m.id: tuple(move_lines(rules, m, actor)) for m in rules.moves_by_actor[actor]} if actor else {},
        revealed=tuple(revealed_information(model)),
    )


def opening_position(model: "WargameModel") -> dict:
    """The indicators before turn 1 of a game already under way (a save holds only the latest): those of the same
    ruleset and seed not yet begun, so that a game opened from a save charts the same turns as before it was saved.
    Every actor holds in it: making their policies would be wasted work, and could import a player's own class."""
    from wargame import WargameModel

    fresh = WargameModel(model.rules, rng=model.seed, turns=model.turn_limit, collect=False,
                         policies={actor: "hold" for actor in model.rules.actor_ids})
    return dict(fresh.state.indicators)


def save_name(text: str) -> str | None:
    """A file name for a save typed by a player, or None if it cannot be one."""
    name = text.strip().removesuffix(".json")
    if not name or not re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._ -]{0,79}", name):
        return None
    return name


@dataclass(frozen=True)
class Parent:
    """The game a what-if branch left, for comparing the two: a save file or a save document, its name, and the
    turn the branch departs on."""

    source: Any
    name: str
    turn: int = 0

    @property
    def title(self) -> str:
        """'class.json from turn 3': what the branch is a branch of."""
        return f"{self.name} from turn {self.turn}" if self.turn else self.name


class Game:
    """A model plus who still has to move this turn. Saves go to `saves_dir`; one autosave after every turn.

    With `instructor` set, an instructor may intervene between turns (see tui.screens.instructor).
    """

    def __init__(self, model: "WargameModel", saves_dir: Path, autosave: bool = True, instructor: bool = False,
                 parent: Parent | None = None, opened_from: Path | None = None):
        self.model = model
        self.saves_dir = Path(saves_dir)
        self.autosave_enabled = autosave
        self.instructor_mode = instructor
        self.parent = parent
        self.players: list[str] = model.humans()
        self.waiting: list[str] = []
        self.reset_waiting()
        self.reported: dict[str | None, int] = {}     # player -> last turn whose report they have seen
        self.last_saved: Path | None = None
        self._saved_mark: tuple | None = None
        self.autosave_problems: list[str] = []
        self.autosave_notes: list[str] = []
        # Whether the autosave file holds this game: opened from it, or written by it since. Until then, an
        # autosave already there is another game's, kept under a name of its own before this one writes.
        self.owns_autosave = opened_from is not None and _same_file(opened_from, self.autosave_path)
        # The position before turn 1, which the engine replaces once turns are played: the start of every chart.
        self.opening = dict(model.state.indicators) if model.state.turn == 0 else opening_position(model)
        self.opened_from = Path(opened_from) if opened_from is not None else None
        self._opened_at = model.state.turn          # turns played when the game was opened
        self._told_loaded: set[str | None] = set()   # who has been told where the loaded game stands
        if opened_from is not None:
            # Just opened, the game is what that file holds: quitting now loses nothing.
            self.last_saved = Path(opened_from)
            self._saved_mark = self._mark()

    def reset_waiting(self) -> None:
        """Everyone plays the coming turn, except players whose moves the instructor (or a branch) has set
        and, in a game just opened, players who had already moved when it was saved."""
        self.waiting = self.model.awaiting_orders() if self.model.running else []

    @property
    def instructor(self):
        from wargame.instructor import Instructor

        return Instructor(self.model, where="screen")

    @property
    def paused(self) -> bool:
        return self.instructor_mode and self.instructor.paused

    @property
    def hot_seat(self) -> bool:
        return len(self.players) > 1

    @property
    def current(self) -> str | None:
        return self.waiting[0] if self.waiting else None

    def submit(self, actor: str, moves: list[str]) -> None:
        """Queue a player's moves; raises IllegalMove with the engine's reasons."""
        self.model.submit(actor, moves)
        self.waiting.remove(actor)

    def note_overrides(self) -> None:
        """Players whose moves the instructor has just set for the coming turn have moved."""
        awaiting = set(self.model.awaiting_orders())
        self.waiting = [p for p in self.waiting if p in awaiting]

    def play_turn(self, on_decide=None) -> None:
        """Let the AI decide, resolve the turn, and autosave. Runs in a worker thread; `on_decide(actor)` is
        told as each actor starts deciding."""
        from wargame import WargameError

        self.model.on_decide = on_decide
        try:
            self.model.step()
        finally:
            self.model.on_decide = None
        self.reset_waiting()
        if self.autosave_enabled:
            try:
                if not self.owns_autosave:
                    self._keep_earlier_autosave()
                self.save(AUTOSAVE)
                self.owns_autosave = True
            except WargameError as error:
                # The turn stands; only the autosave failed, and the player is told so.
                self.autosave_problems = error.lines()

    @property
    def autosave_path(self) -> Path:
        return self.saves_dir / f"{AUTOSAVE}.json"

    def _keep_earlier_autosave(self) -> None:
        """Another game's autosave is renamed, not overwritten: autosave-<ruleset>-seed<N>-turn<T>.json."""
        import os

        from wargame import WargameError
        from wargame.errors import Problem, SaveError
        from wargame.saves import read_save

        path = self.autosave_path
        if not path.is_file():
            return
        try:
            doc = read_save(path)
            if self._carries_on(doc):
                return          # this very game, as it stood before (opened from a save of its own): nothing lost
            stem = f"{AUTOSAVE}-{game_name(doc['ruleset'].get('id', 'game'), doc['seed'], len(doc['history']))}"
        except (WargameError, KeyError, TypeError, AttributeError):
            stem = f"{AUTOSAVE}-earlier"
        kept, n = path.with_name(f"{stem}.json"), 2
        while kept.exists():
            kept, n = path.with_name(f"{stem}-{n}.json"), n + 1
        try:
            os.replace(path, kept)
        except OSError as exc:
            raise SaveError(Problem(str(path), "", f"cannot keep the earlier game's autosave: {exc.strerror or exc}")) \
                from None
        self.autosave_notes.append(f"The autosave of an earlier game is kept as {kept.name}.")

    def _carries_on(self, doc: dict) -> bool:
        """Whether this game carries on the game a save holds: the same ruleset and seed, and every turn the save
        has played the same here, so that writing over the save loses nothing."""
        import json

        from wargame.saves import snapshot

        mine = snapshot(self.model)
        theirs = doc.get("history")
        if not isinstance(theirs, list) or doc.get("seed") != mine["seed"] or \
                doc.get("ruleset", {}).get("digest") != mine["ruleset"].get("digest"):
            return False
        return json.loads(json.dumps(mine["history"][:len(theirs)])) == theirs

    def save(self, name: str) -> Path:
        from wargame.saves import save_game

        path = save_game(self.model, self.saves_dir / f"{name}.json")
        self.last_saved = path
        self._saved_mark = self._mark()
        return path

    def _mark(self) -> tuple:
        """What a save holds that can change between saves: the turns played, the instructor's interventions and
        the moves players have entered for the coming turn."""
        m = self.model
        moved = ((a, m.submitted(a)) for a in self.players)
        return m.state.turn, len(m.interventions), tuple((a, None if s is None else tuple(s)) for a, s in moved)

    @property
    def has_progress(self) -> bool:
        """Whether quitting unsaved would lose anything: a turn played, an intervention, or a player's moves entered
        (in hot-seat, the first player's moves before the second has moved)."""
        played, interventions, moved = self._mark()
        return played > 0 or interventions > 0 or any(moves is not None for _, moves in moved)

    @property
    def changed_since_saved(self) -> bool:
        """Whether anything a save holds has changed since the last save (True if never saved)."""
        return self._saved_mark != self._mark()

    def report_name(self) -> str:
        """What to call this game's debrief: the name it was saved under, unless that is the autosave."""
        saved = self.last_saved
        return saved.stem if saved is not None and saved.stem != AUTOSAVE else self.default_save_name()

    def default_save_name(self) -> str:
        m = self.model
        if self.parent is None:
            return game_name(m.rules.id, m.seed, m.state.turn)
        # A branch has the seed of its parent, so the usual name could be the parent's own save: it is named after
        # its parent and turn instead, and never after another save already there.
        suffix = f"-branch-t{self.parent.turn}"
        base = save_name(Path(self.parent.name).stem[:70 - len(suffix)] + suffix) or \
            f"{game_name(m.rules.id, m.seed, m.state.turn)}{suffix}"
        name, n = base, 2
        while (path := self.saves_dir / f"{name}.json").exists() and \
                (self.last_saved is None or not _same_file(path, self.last_saved)):
            name, n = f"{base}-{n}", n + 1
        return name

    def view(self, actor: str | None) -> PlayerView:
        return build_view(self.model, actor, self.opening)

    def unseen_report(self, actor: str | None) -> bool:
        """Whether the player has yet to see the report of the last turn played."""
        played = self.model.state.turn
        return played > 0 and self.reported.get(actor, 0) < played

    def mark_reported(self, actor: str | None) -> None:
        self.reported[actor] = self.model.state.turn

    @property
    def report_from_save(self) -> str | None:
        """The file the last turn's report comes from, while no turn has been played since the game was opened
        from it: that report tells of a turn played before, not just now."""
        if self.opened_from is None or self.model.state.turn != self._opened_at:
            return None
        return self.opened_from.name

    def tell_loaded(self, actor: str | None) -> bool:
        """Whether to tell this player, once, where the game they sit down at stands: it was opened from a save and
        no turn has been played since. Telling them counts as their seeing the last turn's report, which is then
        offered rather than shown as if just played."""
        if self.report_from_save is None or not self.model.running or actor in self._told_loaded:
            return False
        self._told_loaded.add(actor)
        self.mark_reported(actor)
        return True


def new_game(ruleset: str | Path | None, humans: tuple[str, ...], seed: int, turns: int | None,
             saves_dir: Path, autosave: bool = True, instructor: bool = False) -> Game:
    from wargame import WargameModel

    model = WargameModel(ruleset, rng=seed, humans=humans, turns=turns)
    return Game(model, saves_dir, autosave, instructor)


def open_game(path: str | Path, saves_dir: Path, autosave: bool = True, instructor: bool = False) -> Game:
    from wargame.saves import load_game

    return Game(load_game(path), saves_dir, autosave, instructor, opened_from=Path(path))


def game_name(ruleset_id: str, seed: int, turns_played: int) -> str:
    """What a game's save is called unless someone names it: 'rare_earths_2026-seed7-turn04'."""
    return f"{ruleset_id}-seed{seed}-turn{turns_played:02d}"


def _same_file(a: Path, b: Path) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False
