"""Instructor tools: pause the game, inject events, reveal or hide private information, override moves.

An intervention is made between turns and acts on the coming turn. Each one is kept on the model as plain
data (`model.interventions`) and announced in the event log, so a save carries it and a replay re-applies
it at the same point: after the previous turn, before the actors decide. Front ends call an Instructor's
methods between turns and then step the model as usual. `Instructor.execute` offers the same tools as
one-line commands (the language of `wargame run --instructor`) to any front end with a text box.

An intervention record is a dict with `turn` (the turn it precedes), `kind` and, by kind:

    inject    inject: ID                      an event from the ruleset's inject deck
    event     text: TEXT, effects: [EFFECT]   an ad hoc event, with optional effects written as in a ruleset
    reveal    actor: ACTOR                    the actor's private facts become visible to every player
    hide      actor: ACTOR                    ...and hidden again
    override  actor: ACTOR, moves: [MOVE]     the actor plays these moves on the coming turn (by: instructor|branch|
                                              resume); instead_of_player: true when the instructor chose them for a
                                              player at the keyboard, rather than typing in that player's own
    pause     note: TEXT                      a pause for discussion, noted in the log
    resume
    policy    actor, policy, moves, rejects   from this turn the actor is played by another policy (branches);
                                              rejects: true when 'recorded' reports the moves it can no longer play
    branch    parent, at, moves               marks where a what-if branch leaves its parent game
"""

from __future__ import annotations

import copy
import sys
from dataclasses import dataclass, field
from typing import IO, TYPE_CHECKING, Any

import yaml

from .effects import Effect, compile_effect
from .errors import IllegalMove, Problem, WargameError
from .moves import Event
from .policies import HumanPolicy, make_policy, played_by
from .reader import Reader, suggest
from .figures import usd, yen
from .indicators import label
from .render import gdp_share, listed
from .ruleset import Inject, Ruleset, effect_context
from .scripts import ScriptedPolicy
from .yamlio import Document, SafeLoader

if TYPE_CHECKING:
    from .model import WargameModel

KINDS = ("inject", "event", "reveal", "hide", "override", "pause", "resume", "policy", "branch")
ENTERED = "Moves entered for"   # how the log shows a player's moves typed in for them (not an intervention)
SET_BY_INSTRUCTOR = "set by the instructor"     # ...and a player's moves the instructor chose instead of them
ALL = 1 << 30          # "continue all": more turns than any game has


# -- policies the instructor and branches put in place --------------------------------------------

class OverridePolicy:
    """Wraps an actor's policy: on the turns the instructor has set, the instructor's moves are played.

    The wrapped policy is still asked first, so the actor's random stream advances exactly as it would have
    without the override, and the game after the override differs only by what the override changed.
    """

    def __init__(self, inner):
        self.inner = inner
        self.moves: dict[int, tuple[str, ...]] = {}

    @property
    def name(self) -> str:
        return getattr(self.inner, "name", type(self.inner).__name__)

    def choose(self, observation, legal, rng):
        chosen = self.inner.choose(observation, legal, rng)
        forced = self.moves.pop(observation.turn, None)
        return list(chosen) if forced is None else list(forced)


class RecordedPolicy:
    """Plays the moves an actor played in another game, turn by turn, where they are still legal.

    With `rejects`, it orders every recorded move, and those no longer legal are rejected with their reason in the
    log as any order is: a player whose moves a branch cannot repeat is told why. Without it (branches saved before
    it existed), it leaves them out unsaid, so that those saves still replay exactly."""

    name = "recorded"

    def __init__(self, moves: dict[int | str, list[str]], rejects: bool = False):
        self.moves = {int(t): tuple(m) for t, m in moves.items()}
        self.rejects = rejects

    def choose(self, observation, legal, rng):
        recorded = self.moves.get(observation.turn, ())
        return list(recorded) if self.rejects else [m for m in recorded if m in legal]


# -- checks shared by the Instructor and by branches ------------------------------------------------

def check_moves(model: "WargameModel", actor: str, moves: list[str]) -> list[str]:
    """Every reason why `actor` cannot play `moves` together on the coming turn (empty if it can)."""
    if actor not in model.actors:
        return [model.rules.unknown_actor(actor)]
    return model.order_problems(actor, moves)


def revealed_information(model: "WargameModel") -> list[dict[str, Any]]:
    """What a reveal shows every player: each revealed actor's private facts, as its own Observation holds them
    (`actor`, `resolve`, `capital`, `pressure`, `beliefs` about the governments, `inventory` node -> commodity ->
    tonnes), in the order the instructor revealed them.

    Only governments feel domestic pressure: an actor that is not one has `pressure` None, where its Observation
    gives 0, which would read as a government at ease.
    """
    governments = model.rules.governments
    out = []
    for actor in model.state.revealed:
        private = model.observe(actor).to_dict()["private"]
        if actor not in governments:
            private["pressure"] = None
        out.append({"actor": actor, **private})
    return out


def compile_effects(rules: Ruleset, raw: Any, where: str = "event") -> tuple[Effect, ...]:
    """Compile ad hoc effects written as in a ruleset (a list of mappings with 'op'). Raises WargameError."""
    if raw is None:
        return ()
    items = raw if isinstance(raw, list) else [raw]
    doc = Document({"effects": items}, where)
    r = Reader(doc)
    ctx = effect_context(rules.actor_ids, rules.governments, rules.turns_per_year, rules.economy, rules.names,
                         rules.politics["tension_max"])
    compiled = [compile_effect(r, e, ("effects", i), rules.network, ctx) for i, e in enumerate(items)]
    if r.problems:
        raise WargameError(r.problems)
    return tuple(e for e in compiled if e is not None)


# -- carrying out an intervention -----------------------------------------------------------------

def perform(model: "WargameModel", record: dict) -> list[Event]:
    """Carry out one intervention before the coming turn, log it, and keep it in model.interventions.

    The record is assumed valid (the Instructor's methods check it first); replays call this directly with
    the records of a save, so the same record always produces the same events and the same game.
    """
    record = copy.deepcopy(record)
    t = record["turn"]
    kind = record["kind"]
    rules = model.rules
    events: list[Event] = []
    if kind == "inject":
        inject = rules.injects[record["inject"]]
        events.append(Event(t, None, "inject", f"{inject.name}: {' '.join(inject.text.split())}"))
        events += _apply_effects(model, inject.effects, t)
    elif kind == "event":
        events.append(Event(t, None, "inject", record["text"]))
        events += _apply_effects(model, compile_effects(rules, record.get("effects")), t)
    elif kind == "reveal":
        if record["actor"] not in model.state.revealed:
            model.state.revealed.append(record["actor"])
        events.append(Event(t, None, "instructor", f"The instructor reveals {_name(rules, record['actor'])}'s "
                                                   "private information to every player"))
    elif kind == "hide":
        model.state.revealed = [a for a in model.state.revealed if a != record["actor"]]
        events.append(Event(t, None, "instructor", f"The instructor hides {_name(rules, record['actor'])}'s "
                                                   "private information again"))
    elif kind == "override":
        actor, moves = record["actor"], list(record["moves"])
        human = isinstance(model.actors[actor].policy, HumanPolicy)
        _install_override(model, actor, moves, t)
        played = rules.moves_text(moves, none="nothing (holds)")
        by = record.get("by")
        if by == "branch":
            text = f"What-if branch: {_name(rules, actor)} plays {played} on turn {t}"
        elif human and record.get("instead_of_player"):
            # Only the player and the instructor see it: the player learns that these moves were not theirs.
            text = f"{_name(rules, actor)}'s moves on turn {t}, {SET_BY_INSTRUCTOR}: {played}"
        elif by == "resume" or human:
            text = f"{ENTERED} {_name(rules, actor)} on turn {t}: {played}"
        else:
            text = f"The instructor overrides {_name(rules, actor)}'s moves on turn {t}: {played}"
        events.append(Event(t, actor, "instructor", text, None, (actor,)))
    elif kind == "pause":
        note = record.get("note") or ""
        events.append(Event(t, None, "instructor", "The instructor pauses the game" + (f": {note}" if note else "")))
    elif kind == "resume":
        events.append(Event(t, None, "instructor", "The instructor resumes the game"))
    elif kind == "policy":
        _switch_policy(model, record["actor"], record["policy"], record.get("moves"), record.get("rejects", False))
        events.append(Event(t, record["actor"], "instructor", f"From turn {t}, {_policy_change(rules, record)}",
                            None, (record["actor"],)))
    elif kind == "branch":
        changed = ", ".join(f"turn {tt} {_name(rules, a)} ({rules.moves_text(m, none='hold')})"
                            for tt, pins in sorted((int(k), v) for k, v in record.get("moves", {}).items())
                            for a, m in pins.items())
        events.append(Event(t, None, "instructor", f"What-if branch of {record.get('parent') or 'a saved game'} "
                                                   f"from turn {t}" + (f" ({changed})" if changed else ""),
                            None, ()))
    else:
        raise WargameError(f"unknown intervention '{kind}'; expected one of: {', '.join(KINDS)}")
    model.events.extend(events)
    model.interventions.append(record)
    return events


def reinstate(model: "WargameModel") -> None:
    """Put back what a loaded game's interventions hold outside the state: policy changes, and the injected
    effects and overrides waiting for the coming turn. (Instant effects and reveals are in the state.)"""
    upcoming = model.turn
    for rec in model.interventions:
        if rec["kind"] == "policy":
            _switch_policy(model, rec["actor"], rec["policy"], rec.get("moves"), rec.get("rejects", False))
    for rec in model.interventions:
        if rec["turn"] != upcoming:
            continue
        if rec["kind"] == "inject":
            model.injected.extend(e for e in model.rules.injects[rec["inject"]].effects if e.persistent)
        elif rec["kind"] == "event":
            model.injected.extend(e for e in compile_effects(model.rules, rec.get("effects")) if e.persistent)
        elif rec["kind"] == "override":
            _install_override(model, rec["actor"], list(rec["moves"]), upcoming)


def _apply_effects(model: "WargameModel", effects: tuple[Effect, ...], turn: int) -> list[Event]:
    events = []
    for effect in effects:
        if effect.persistent:
            model.injected.append(effect)
            events.append(Event(turn, None, "effect", f"this turn: {effect.describe()}"))
        else:
            texts = effect.apply(model.state, None, 1.0) or [effect.describe()]
            events.extend(Event(turn, None, "effect", text) for text in texts)
    # The same bound adjudication applies to tension after moves.
    model.state.tension = min(model.rules.politics["tension_max"], max(0.0, model.state.tension))
    return events


def _install_override(model: "WargameModel", actor: str, moves: list[str], turn: int) -> None:
    agent = model.actors[actor]
    if isinstance(agent.policy, HumanPolicy):
        agent.policy.pending = list(moves)
        return
    if not isinstance(agent.policy, OverridePolicy):
        agent.policy = OverridePolicy(agent.policy)
    agent.policy.moves[turn] = tuple(moves)


def _switch_policy(model: "WargameModel", actor: str, name: str, moves: dict | None,
                   rejects: bool = False) -> None:
    agent = model.actors[actor]
    if name == "recorded":
        policy = RecordedPolicy(moves or {}, rejects)
    else:
        policy = make_policy(name, agent.spec, model.rules)
    if model.script is not None and not isinstance(policy, HumanPolicy):
        policy = ScriptedPolicy(model.script, actor, policy)
    if isinstance(agent.policy, OverridePolicy) and not isinstance(policy, HumanPolicy):
        agent.policy.inner = policy
    else:
        agent.policy = policy


def _name(rules: Ruleset, actor: str) -> str:
    spec = rules.actors.get(actor)
    return spec.name if spec else actor


def after_the_game(turn: int, played: int, over: bool) -> bool:
    """Whether an intervention logged for `turn` was made once the game was over (after `played` turns). The log
    dates an intervention by the turn it precedes, which for one made after the last turn (a reveal for the
    debrief) is a turn never played: turn 4 of a 3-turn game."""
    return over and turn > played


def when_made(model: "WargameModel", turn: int) -> str:
    """When an intervention logged for `turn` was made, as the instructor reads it: 'Before turn 3', or once the
    game is over 'After the game (after turn 3)', as the debrief dates it."""
    if after_the_game(turn, model.state.turn, not model.running):
        return f"After the game (after turn {model.state.turn})"
    return f"Before turn {turn}"


# -- the Instructor: checked interventions for front ends ------------------------------------------

@dataclass
class Reply:
    """What a command did: lines to show, turns to play now (0 = stay at the prompt), and whether to stop."""

    lines: list[str] = field(default_factory=list)
    advance: int = 0
    quit: bool = False


HELP = """\
inject ID                 play an event from the ruleset's inject deck (see 'deck')
say TEXT [| EFFECT ...]   announce an ad hoc event; effects as in a ruleset, e.g.
                          say Port strike in Yokohama | {op: direct_loss, country: JP, jpy_per_turn: 1e10}
reveal ACTOR              show ACTOR's private information (resolve, hidden moves, stocks) to every player
hide ACTOR                hide it again
override ACTOR MOVE...    ACTOR plays these moves on the coming turn ('override ACTOR hold' plays nothing)
pause [NOTE]              pause for discussion (noted in the log); 'continue' resumes
continue [N|all]          play the next turn, or N turns, or the rest of the game (also: next{continue_also})
# TEXT                    a comment (ignored), for prepared command files
deck                      list the inject deck
moves ACTOR               list ACTOR's legal moves now
status                    the turn, tension and main indicators
pending                   the interventions queued for the coming turn
quit                      {quit}"""

# Where the commands are typed changes what a few of them mean: a console reads lines until its input ends and
# saves with --save; the terminal UI has keys of its own for the same things.
HELP_WHERE = {
    "console": {"continue_also": ", or an empty line", "quit": "stop the game here (it is still saved with --save)"},
    "screen": {"continue_also": "; or the key n", "quit": "stop here: save the game (ctrl+s), then quit (ctrl+q)"},
}


class Instructor:
    """The instructor's controls over one game. Every method acts before the coming turn and is logged."""

    def __init__(self, model: "WargameModel", where: str = "console"):
        self.model = model
        self.where = where          # 'console' (wargame run --instructor) or 'screen' (the terminal UI)

    # -- what there is --------------------------------------------------------------------------------
    @property
    def paused(self) -> bool:
        """True after pause() until resume(): front ends stop advancing turns while it is set."""
        state = None
        for rec in self.model.interventions:
            if rec["kind"] in ("pause", "resume"):
                state = rec["kind"]
        return state == "pause"

    @property
    def deck(self) -> list[Inject]:
        return list(self.model.rules.injects.values())

    def pending(self) -> list[dict]:
        """The interventions made for the coming turn."""
        return [dict(r) for r in self.model.interventions if r["turn"] == self.model.turn]

    def log(self) -> list[Event]:
        """Every intervention's entry in the event log, oldest first."""
        return [e for e in self.model.events if e.kind in ("inject", "instructor")]

    # -- interventions --------------------------------------------------------------------------------
    def inject(self, inject_id: str) -> list[Event]:
        self._check_running()
        injects = self.model.rules.injects
        if inject_id not in injects:
            if not injects:
                raise WargameError(f"the ruleset '{self.model.rules.id}' has no inject deck; use an ad hoc event")
            raise WargameError(f"unknown inject '{inject_id}'{suggest(inject_id, injects)}; "
                               f"expected one of: {', '.join(injects)}")
        return self._do({"kind": "inject", "inject": inject_id})

    def announce(self, text: str, effects: list[dict] | dict | None = None) -> list[Event]:
        """An ad hoc event: text only, or with effects written as in a ruleset's moves."""
        self._check_running()
        text = " ".join(str(text).split())
        if not text:
            raise WargameError("an ad hoc event needs some text")
        raw = effects if isinstance(effects, list) else ([effects] if effects else [])
        compile_effects(self.model.rules, raw, "say")     # refuse bad effects before anything is logged
        return self._do({"kind": "event", "text": text, "effects": copy.deepcopy(raw)})

    def reveal(self, actor: str) -> list[Event]:
        # Also once the game is over: a reveal changes no figure, and classes keep it for the debrief.
        self._check_actor(actor)
        if actor in self.model.state.revealed:
            raise WargameError(f"{_name(self.model.rules, actor)}'s private information is already revealed")
        return self._do({"kind": "reveal", "actor": actor})

    def hide(self, actor: str) -> list[Event]:
        self._check_actor(actor)
        if actor not in self.model.state.revealed:
            raise WargameError(f"{_name(self.model.rules, actor)}'s private information is not revealed")
        return self._do({"kind": "hide", "actor": actor})

    def override(self, actor: str, moves: list[str]) -> list[Event]:
        """Make `actor` play `moves` on the coming turn instead of what its policy chooses. Raises IllegalMove."""
        self._check_running()
        self._check_actor(actor)
        reasons = check_moves(self.model, actor, list(moves))
        if reasons:
            raise IllegalMove([f"override {actor}: {r}" for r in reasons])
        record = {"kind": "override", "actor": actor, "moves": list(moves), "by": "instructor"}
        # On the screen the player sits at the keyboard and would have chosen; at the console a player's moves can
        # only be typed in for them by the instructor, and are the player's own.
        if self.where == "screen" and actor in self.model.humans():
            record["instead_of_player"] = True
        return self._do(record)

    def pause(self, note: str = "") -> list[Event]:
        self._check_running()
        if self.paused:
            raise WargameError("the game is already paused; 'continue' resumes it")
        return self._do({"kind": "pause", "note": " ".join(note.split())})

    def resume(self) -> list[Event]:
        if not self.paused:
            return []
        return self._do({"kind": "resume"})

    # -- the command language -------------------------------------------------------------------------
    def execute(self, line: str) -> Reply:
        """Run one command line (see HELP). Raises WargameError for a bad command, changing nothing."""
        words = line.strip().split(None, 1)
        if not words:
            return self._continue("1")
        if words[0].startswith("#"):
            return Reply()          # a comment, as in a prepared command file
        command, rest = words[0].lower(), (words[1].strip() if len(words) > 1 else "")
        m = self.model
        if command in ("help", "?"):
            text = HELP
            for key, words in HELP_WHERE[self.where].items():
                text = text.replace("{" + key + "}", words)
            return Reply(text.splitlines())
        if command in ("continue", "next", "c", "n"):
            return self._continue(rest or "1")
        if command in ("quit", "exit", "q"):
            return Reply([f"stopping before turn {m.turn}"], quit=True)
        if command == "deck":
            return Reply([f"{i.id:<24} {i.name}" for i in self.deck] or ["the ruleset has no inject deck"])
        if command == "status":
            return Reply(self.status())
        if command == "pending":
            lines = [_describe(m.rules, r) for r in self.pending()] or ["nothing queued for the coming turn"]
            idle = m.awaiting_orders()
            if idle:
                lines.append(missing_orders(m.rules, idle))
            return Reply(lines)
        if command == "moves":
            actor = self._one_actor(command, rest)
            legal = m.legal_moves(actor)
            name = m.rules.actors[actor].name
            if not legal:
                return Reply([f"{name} may play nothing this turn"])
            # The id is what 'override' takes; the name is what the class knows the move by.
            width = max(len(move) for move in legal)
            return Reply([f"{name} may play (give the id to 'override {actor}'):"]
                         + [f"  {move:<{width}}  {m.rules.moves[move].name}" for move in legal])
        if command == "inject":
            if not rest or len(rest.split()) != 1:
                raise WargameError("inject: expected one inject id (see 'deck')")
            return self._said(self.inject(rest), ANNOUNCED["inject"])
        if command == "say":
            text, *effects = rest.split("|")
            raw = [_yaml_effect(e) for e in effects]
            return self._said(self.announce(text, raw), ANNOUNCED["say"])
        if command == "reveal":
            return self._said(self.reveal(self._one_actor(command, rest)))
        if command == "hide":
            return self._said(self.hide(self._one_actor(command, rest)))
        if command == "override":
            parts = rest.replace(",", " ").split()
            if len(parts) < 2:
                raise WargameError("override: expected ACTOR and the moves to play, or ACTOR hold")
            actor, moves = parts[0], parts[1:]
            if moves == ["hold"]:
                moves = []
            return self._said(self.override(actor, moves))
        if command == "pause":
            return self._said(self.pause(rest))
        commands = ("inject", "say", "reveal", "hide", "override", "pause", "continue", "deck", "moves", "status",
                    "pending", "help", "quit")
        raise WargameError(f"unknown command '{command}'{suggest(command, commands)}; type 'help' for the list")

    def status(self) -> list[str]:
        m = self.model
        ind = m.state.indicators
        when = f"before turn {m.turn} ({m.date.isoformat()})" if m.running else f"game over after turn {m.state.turn}"
        rules = m.rules
        # Worded as the run log words the same figures.
        lines = [f"{when}: tension {rules.tension_text(m.state.tension)} of {rules.politics['tension_max']:g} "
                 f"({rules.ladder_rung(m.state.tension)})" + (" · paused" if self.paused else "")]
        if ind:
            lines.append(f"{label('japan_supply_index')} {ind.get('japan_supply_index', 1):.2f} (1 = normal) · "
                         f"{label('japan_gdp_loss_jpy')} {yen(ind.get('japan_gdp_loss_jpy', 0))} "
                         f"({gdp_share(ind.get('japan_gdp_loss_share', 0))} of GDP), from lost trade and tourism "
                         f"{yen(ind.get('japan_other_loss_jpy', 0))} · {label('china_export_loss_usd')} "
                         f"{usd(ind.get('china_export_loss_usd', 0))} · {label('cohesion')} {m.state.cohesion:.2f}")
        if m.state.revealed:
            lines.append(f"revealed: {', '.join(rules.names.actor(a) for a in m.state.revealed)}")
        return lines

    # -- helpers ----------------------------------------------------------------------------------------
    def _do(self, record: dict) -> list[Event]:
        return perform(self.model, {"turn": self.model.turn, **record})

    def _continue(self, arg: str) -> Reply:
        self._check_running()
        arg = arg.strip().lower()
        if arg == "all":
            turns = ALL
        else:
            try:
                turns = int(arg)
            except ValueError:
                raise WargameError(f"continue: expected a number of turns or 'all', got '{arg}'") from None
            if turns < 1:
                raise WargameError(f"continue: expected at least 1 turn, got {turns}")
        return Reply(echo_lines(self.model, self.resume()), advance=turns)

    def _check_running(self) -> None:
        if not self.model.running:
            raise WargameError(f"the game is over (after turn {self.model.state.turn}); nothing more can be changed")

    def _check_actor(self, actor: str) -> None:
        if actor not in self.model.rules.actors:
            raise WargameError(self.model.rules.unknown_actor(actor))

    def _one_actor(self, command: str, rest: str) -> str:
        if len(rest.split()) != 1:
            raise WargameError(f"{command}: expected one actor: {', '.join(self.model.rules.actor_ids)}")
        self._check_actor(rest)
        return rest

    def _said(self, events: list[Event], heading: str = "") -> Reply:
        return Reply(echo_lines(self.model, events, heading))


def _yaml_effect(text: str) -> Any:
    try:
        value = yaml.load(text.strip(), Loader=SafeLoader)
    except yaml.YAMLError as exc:
        problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
        raise WargameError(f"say: cannot read the effect '{text.strip()}': {problem}") from None
    if not isinstance(value, dict):
        raise WargameError(f"say: expected an effect like {{op: adjust, var: tension, by: 1}}, got '{text.strip()}'")
    return value


# How the console introduces the event an inject or a 'say' announces (the log gives players its text alone).
ANNOUNCED = {"inject": "Event from the inject deck", "say": "Ad hoc event"}


def echo_lines(model: "WargameModel", events: list[Event], heading: str = "") -> list[str]:
    """What the instructor is told a command did: each event dated as it was made ('Before turn 2: ...'), the
    event an inject or 'say' announces under `heading`, what it did at once under it, and who alone sees it
    where that is not every player."""
    rules = model.rules
    lines = []
    for event in events:
        if event.kind == "effect":
            lines.append(f"  → {event.text}")
            continue
        text = f"{heading} (every player sees it): {event.text}" if heading and event.kind == "inject" else event.text
        lines.append(f"{when_made(model, event.turn)}: {text}{_seen_by(rules, event)}")
    return lines


def replayed_lines(model: "WargameModel", events: list[Event]) -> list[str]:
    """What the console told the instructor about the interventions made before a turn, from the events they put
    in the log (in order) and the records the game keeps of them: for a replay's log."""
    groups: list[list[Event]] = []
    for event in events:
        if event.kind == "effect" and groups:
            groups[-1].append(event)        # what an inject or ad hoc event did at once
        else:
            groups.append([event])          # each intervention logs one line of its own first
    made = [r for r in model.interventions if events and r["turn"] == events[0].turn]
    if len(made) != len(groups):
        return echo_lines(model, events)
    command = {"inject": "inject", "event": "say"}
    return [line for rec, group in zip(made, groups)
            for line in echo_lines(model, group, ANNOUNCED.get(command.get(rec["kind"], ""), ""))]


def _seen_by(rules: Ruleset, event: Event) -> str:
    if event.visible_to is None:
        return ""
    if not event.visible_to:
        return " (no player sees it: it is kept in the log)"
    names = [_name(rules, a) for a in event.visible_to]
    return f" (only {listed(names)} {'sees' if len(names) == 1 else 'see'} it)"


def describe(rules: Ruleset, rec: dict) -> str:
    """One line about an intervention record for front ends, naming actors, moves and injects as the players know
    them ('override Washington: Urge both sides to talk'). The console's 'pending' gives the ids its commands
    take instead."""
    kind = rec["kind"]
    if kind == "inject":
        return f"inject: {rules.injects[rec['inject']].name}"
    if kind == "override":
        return f"override {_name(rules, rec['actor'])}: {rules.moves_text(rec['moves'], none='hold')}"
    if kind in ("reveal", "hide"):
        return f"{kind} {_name(rules, rec['actor'])}"
    return _describe(rules, rec)


def _describe(rules: Ruleset, rec: dict) -> str:
    kind = rec["kind"]
    if kind == "inject":
        return f"inject {rec['inject']}: {rules.injects[rec['inject']].name}"
    if kind == "event":
        effects = len(rec.get("effects") or [])
        return f"ad hoc event: {rec['text']}" + (f" (with {effects} effect{'' if effects == 1 else 's'})"
                                                 if effects else "")
    if kind == "override":
        return f"override {rec['actor']}: {', '.join(rec['moves']) or 'hold'}"
    if kind in ("reveal", "hide"):
        return f"{kind} {rec['actor']}"
    if kind == "pause":
        return "pause" + (f": {rec['note']}" if rec.get("note") else "")
    if kind == "resume":
        return "the pause ends"
    if kind == "policy":
        return f"from turn {rec['turn']}, {_policy_change(rules, rec)}"
    if kind == "branch":
        return f"what-if branch of {rec.get('parent') or 'a saved game'} from turn {rec['turn']}"
    return kind


def _policy_change(rules: Ruleset, rec: dict) -> str:
    how = ("repeats its moves from the parent game where they are still legal" if rec["policy"] == "recorded"
           else f"is played by {played_by(rec['policy'])}")
    return f"{_name(rules, rec['actor'])} {how}"


def missing_orders(rules: Ruleset, actors: list[str]) -> str:
    """The line that tells the instructor which players have no moves for the coming turn, by name, with the
    command that gives them."""
    one = len(actors) == 1
    commands = ", ".join(f"'override {a} MOVE...'" for a in actors)
    return (f"no orders for {listed([_name(rules, a) for a in actors])} (played at the keyboard): "
            f"{'it holds' if one else 'they hold'} unless given moves ({commands})")


# -- the console of `wargame run --instructor` ---------------------------------------------------------

class CommandFileError(WargameError):
    """A command refused in a prepared (piped) file of commands, each problem at `stdin:LINE`: the session stops
    before the coming turn, as nobody is at the prompt to correct it."""


class InstructorConsole:
    """Reads instructor commands from a stream before each turn: the game waits at the prompt until
    'continue'. At the end of a piped file the rest of the game plays without stopping; Ctrl-D typed at the
    prompt quits, as 'quit' does. An empty line typed at the prompt plays the next turn; in a piped file, blank
    lines are only layout. A command refused at the prompt is said and forgiven; in a piped file it raises
    CommandFileError."""

    source = "stdin"        # how a piped file is named in its problems

    def __init__(self, model: "WargameModel", commands: IO[str] | None = None, out: IO[str] | None = None,
                 errors: IO[str] | None = None):
        self.instructor = Instructor(model)
        self.commands = commands if commands is not None else sys.stdin
        self.out = out if out is not None else sys.stdout
        self.errors = errors if errors is not None else sys.stderr
        self.interactive = bool(getattr(self.commands, "isatty", lambda: False)())
        self.autoplay = 0
        self.exhausted = False
        self.line = 0               # lines read so far, to name the line of a refused command in a piped file

    def before_turn(self) -> bool:
        """Take commands until one plays the turn. False when the instructor quits."""
        if self.autoplay > 0:
            self.autoplay -= 1
            return True
        if self.exhausted:
            return True
        if self.interactive:
            self.errors.write("\n".join(self.instructor.status()) + "\n")
        while True:
            if self.interactive:
                self.errors.write(f"instructor [turn {self.instructor.model.turn}]> ")
                self.errors.flush()
            line = self.commands.readline()
            self.line += bool(line)
            if not line and self.interactive:
                # Ctrl-D at a typed prompt ends the session, as it does in a shell, rather than playing the
                # rest of the game unwatched; only a prepared file's end plays on.
                self.errors.write("\n")
                line = "quit"
            elif not line:
                self.exhausted = True
                return True
            if not line.strip() and not self.interactive:
                continue            # blank lines separate the turns of a prepared file; only typed ones play
            try:
                reply = self.instructor.execute(line)
            except WargameError as exc:
                if not self.interactive:
                    # Playing on would run the rest of the session without the change the file meant to make.
                    raise CommandFileError([Problem(self.source, "", text, self.line) for text in exc.lines()]) \
                        from None
                for text in exc.lines():
                    self.errors.write(f"instructor: {text}\n")
                continue
            for text in reply.lines:
                self.out.write(f"  [instructor] {text}\n")
            self.out.flush()
            if reply.quit:
                return False
            if reply.advance:
                self.autoplay = reply.advance - 1
                return True
