"""Exact replays and what-if branches of saved games.

A replay rebuilds a game from its seed and its record alone: a fresh game with the save's seed, policies
and script plays the turns again, with the human players' moves and the instructor's interventions fed
back in where they were made. Each turn is checked against the save (the moves accepted, the events, the
indicators) and the end against the snapshot (the state, the event log and every random stream), so a
replay that matches shows the save's future is the one the recorded game would have had. A save made by
an earlier version of the engine still matches when only the words of its log differ (the game's moves,
indicators, state and random streams are what make it the same game): the replay counts those lines.

A branch replays a save up to a turn and plays on from there with different moves for some actors: "what
if Tokyo de-escalates at turn 3?". On the branch turn the other actors move as they did in the saved game
(moves are simultaneous, so they cannot have reacted); afterwards the AI actors react through their
policies, and human players repeat their recorded moves where still legal, unless given a policy. The
parent game's injects and reveals happen again (the outside world is the same); its later move overrides
do not. A branch is an ordinary game: it saves, replays and reports like any other.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass, replace
from pathlib import Path
from typing import Any

from .errors import IllegalMove, Problem, SaveError, WargameError
from .instructor import check_moves, perform
from .model import WargameModel
from .policies import HumanPolicy, make_policy
from .ruleset import Ruleset
from .saves import engine_changed, new_game, read_save, resolve_ruleset
from .turn import TurnReport
from .yamlio import display_path

KEPT_IN_BRANCHES = ("inject", "event", "reveal", "hide")


class ReplayError(WargameError):
    """A save that does not replay exactly, where an exact replay is needed (to branch from it)."""


@dataclass(frozen=True)
class Divergence:
    """The first place where a replay and its save disagree."""

    turn: int | None            # None: in the final snapshot
    what: str
    saved: Any
    replayed: Any

    engine_changed: bool = False    # the engine's code differs from the one that played the game

    def __str__(self) -> str:
        where = f"turn {self.turn}" if self.turn is not None else "final snapshot"
        text = f"{where}: {self.what}: {_short(self.replayed)} in the replay, {_short(self.saved)} in the save"
        if self.engine_changed:
            text += " (the engine has changed since this game was saved; exact replays need the code that played it)"
        return text


@dataclass
class ReplayResult:
    model: WargameModel          # the replayed game, as far as it got
    turns: int                   # turns replayed
    divergence: Divergence | None
    reworded: int = 0            # log lines this version of the engine words differently from the save

    @property
    def matches(self) -> bool:
        return self.divergence is None


Source = str | Path | Mapping


def open_save(source: Source, ruleset: Ruleset | str | Path | None = None,
              name: str | None = None) -> tuple[dict, Ruleset, str]:
    """A checked save document (from a file or already read), its ruleset and a name to show."""
    if isinstance(source, Mapping):
        doc = dict(source)
        name = name or "<save>"
    else:
        doc = read_save(source)
        name = name or display_path(source)
    return doc, resolve_ruleset(doc, name, ruleset), name


def replay(source: Source, ruleset: Ruleset | str | Path | None = None, until: int | None = None,
           on_turn: Callable[[WargameModel, TurnReport], None] | None = None, name: str | None = None,
           trusted: Collection[str] = ()) -> ReplayResult:
    """Re-run a saved game from its seed and record and check it against the save, turn by turn and at the
    end. With `until`, stop after that turn (no end check): the game as it stood then. `name` is how the
    save is called in messages (default: its file). `trusted` names the players' own policy classes the save
    may use (saves.new_game)."""
    doc, rules, name = open_save(source, ruleset, name)
    try:
        result = _replay(doc, rules, name, until, on_turn, trusted)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise SaveError(Problem(name, "", f"the save is damaged ({type(exc).__name__}: {exc})")) from None
    if result.divergence is not None and engine_changed(doc):
        result.divergence = replace(result.divergence, engine_changed=True)
    return result


def _replay(doc: dict, rules: Ruleset, name: str, until: int | None, on_turn,
            trusted: Collection[str] = ()) -> ReplayResult:
    model = fresh_game(doc, rules, name, trusted)
    check = LogCheck(engine_changed(doc))
    records = _by_turn(doc.get("interventions") or [])
    history = doc["history"]
    last = len(history) if until is None else min(until, len(history))
    for h in history[:last]:
        t = h["turn"]
        if not model.running:
            return ReplayResult(model, t - 1, Divergence(t, "the game", f"turn {t} played", "ended"))
        for rec in records.pop(t, []):
            perform(model, rec)
        _feed_humans(model, {a: list(h["orders"].get(a, [])) + [m for m, _ in h.get("rejected", {}).get(a, [])]
                             for a in model.humans()})
        model.step()
        if on_turn is not None:
            on_turn(model, model.reports[-1])
        found = check_turn(model, h, doc, check)
        if found:
            return ReplayResult(model, t, found, check.reworded)
    if until is not None and until < len(history):
        return ReplayResult(model, last, None, check.reworded)
    for rec in records.pop(model.turn, []):
        perform(model, rec)
    _feed_humans(model, doc.get("pending") or {})
    if records:
        turn = min(records)
        return ReplayResult(model, last, Divergence(turn, "instructor interventions", f"{len(records[turn])} made",
                                                    "turn never reached"), check.reworded)
    # The end check goes over the whole log again, so it counts the lines worded differently afresh.
    whole = LogCheck(check.wording_may_differ)
    return ReplayResult(model, last, check_end(model, doc, whole), whole.reworded)


def fresh_game(doc: dict, rules: Ruleset, name: str = "<save>", trusted: Collection[str] = ()) -> WargameModel:
    """Turn 1 of a saved game, as first played."""
    from .scripts import _read  # the same validation as a script file
    from .yamlio import Document

    script = _read(Document(doc["script"], f"{name} (script)"), rules) if doc.get("script") else None
    return new_game(doc, rules, script, name, trusted)


def _by_turn(records: list[dict]) -> dict[int, list[dict]]:
    out: dict[int, list[dict]] = {}
    for rec in records:
        out.setdefault(int(rec["turn"]), []).append(rec)
    return out


def _feed_humans(model: WargameModel, moves: Mapping[str, list[str]]) -> None:
    for actor, chosen in moves.items():
        policy = model.actors[actor].policy
        if isinstance(policy, HumanPolicy):
            policy.pending = list(chosen)


# -- checking ---------------------------------------------------------------------------------------

def _plain(value: Any) -> Any:
    return json.loads(json.dumps(value, ensure_ascii=False))


def first_difference(replayed: Any, saved: Any, path: str = "") -> tuple[str, Any, Any] | None:
    """The first path at which two plain-data values differ, with both values; None if they are equal."""
    if isinstance(saved, dict) and isinstance(replayed, dict):
        for key in list(saved) + [k for k in replayed if k not in saved]:
            sub = f"{path}.{key}" if path else str(key)
            if key not in replayed or key not in saved:
                return sub, replayed.get(key, "(missing)"), saved.get(key, "(missing)")
            found = first_difference(replayed[key], saved[key], sub)
            if found:
                return found
        return None
    if isinstance(saved, list) and isinstance(replayed, list):
        for i, (a, b) in enumerate(zip(replayed, saved)):
            found = first_difference(a, b, f"{path}[{i}]")
            if found:
                return found
        if len(saved) != len(replayed):
            return f"{path} (length)", len(replayed), len(saved)
        return None
    if isinstance(saved, float) and isinstance(replayed, float) and math.isnan(saved) and math.isnan(replayed):
        return None
    if type(saved) is not type(replayed) and not (isinstance(saved, (int, float)) and isinstance(replayed, (int, float))):
        return path, replayed, saved
    return None if saved == replayed else (path, replayed, saved)


class LogCheck:
    """How strictly a replay's event log must match its save's. The same engine must write the very same
    lines; a later version of it may word them differently (names for ids, clearer phrasing) as long as
    every line is the same event: the same turn, actor, kind, move and audience. `reworded` counts the lines
    it let through."""

    def __init__(self, wording_may_differ: bool = False):
        self.wording_may_differ = wording_may_differ
        self.reworded = 0

    def first_difference(self, replayed: list[dict], saved: list, path: str = "") -> tuple[str, Any, Any] | None:
        if not self.wording_may_differ:
            return first_difference(replayed, saved, path)
        found = first_difference([_unworded(e) for e in replayed], [_unworded(e) for e in saved], path)
        if found is None:
            self.reworded += sum(1 for a, b in zip(replayed, saved) if a.get("text") != b.get("text"))
        return found


def _unworded(event: Any) -> Any:
    return {k: v for k, v in event.items() if k != "text"} if isinstance(event, dict) else event


def check_turn(model: WargameModel, saved_turn: dict, doc: dict, log: LogCheck | None = None) -> Divergence | None:
    """Compare the turn just replayed with its record in the save."""
    t = saved_turn["turn"]
    report = model.reports[-1]
    if report.turn != t:
        return Divergence(t, "turn number", t, report.turn)
    for actor in model.rules.actor_ids:
        played = report.orders.get(actor, [])
        recorded = saved_turn["orders"].get(actor, [])
        if list(played) != list(recorded):
            return Divergence(t, f"moves of {actor}", recorded or "nothing", played or "nothing")
    span = saved_turn.get("events")
    if span is not None:
        saved_events = doc["events"][span[0]:span[1]]
        found = (log or LogCheck()).first_difference(_plain([e.to_dict() for e in report.events]), saved_events)
        if found:
            return _event_divergence(t, found, report, saved_events)
    found = first_difference(_plain(report.indicators), saved_turn["indicators"])
    if found:
        return Divergence(t, f"indicator {found[0]}", found[2], found[1])
    return None


# What each field of a logged event is, for a divergence in one other than its words.
_EVENT_FIELDS = {"turn": "the turn of", "actor": "who played", "kind": "the kind of", "move": "the move of",
                 "visible_to": "who may see"}


def _event_divergence(turn, found, report, saved_events) -> Divergence:
    path = found[0]
    index = int(path[1:path.index("]")]) if path.startswith("[") and "]" in path else None
    if index is not None:
        replayed = report.events[index].text if index < len(report.events) else "(no event)"
        saved = saved_events[index]["text"] if index < len(saved_events) else "(no event)"
        field = path[path.index("]") + 2:].split(".")[0].split("[")[0]
        if field in _EVENT_FIELDS and replayed != "(no event)" and saved != "(no event)":
            # The words may match, or be allowed to differ: say which part of the event does not.
            return Divergence(turn, f"{_EVENT_FIELDS[field]} event {index + 1} of the turn ({_short(replayed)})",
                              saved_events[index].get(field), report.events[index].to_dict()[field])
        return Divergence(turn, f"event {index + 1} of the turn", saved, replayed)
    return Divergence(turn, "number of events", len(saved_events), len(report.events))


def check_end(model: WargameModel, doc: dict, log: LogCheck | None = None) -> Divergence | None:
    """Compare a replayed game with the snapshot at the end of its save."""
    found = first_difference(_plain(model.state.to_dict()), doc["state"], "state")
    if found:
        return Divergence(None, found[0], found[2], found[1])
    events = _plain([e.to_dict() for e in model.events])
    found = (log or LogCheck()).first_difference(events, doc["events"], "events")
    if found:
        return Divergence(None, found[0], found[2], found[1])
    found = first_difference(_plain(model.interventions), doc.get("interventions") or [], "interventions")
    if found:
        return Divergence(None, found[0], found[2], found[1])
    streams = {"model": model.rng.bit_generator.state,
               "actors": {a: agent.stream.bit_generator.state for a, agent in model.actors.items()}}
    found = first_difference(_plain(streams), {"model": doc["rng"]["model"], "actors": doc["rng"]["actors"]}, "rng")
    if found:
        return Divergence(None, f"random stream {found[0]}", "as saved", "different")
    return None


def _short(value: Any) -> str:
    if isinstance(value, float):
        return f"{value:.10g}"
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return "[" + ", ".join(value) + "]"
    text = json.dumps(value, ensure_ascii=False) if not isinstance(value, str) else value
    return text if len(text) <= 80 else text[:77] + "..."


# -- branches -----------------------------------------------------------------------------------------

def parse_moves(specs: list[str], at: int | None, actors: tuple[str, ...]) -> dict[int, dict[str, list[str]]]:
    """Read `[TURN:]ACTOR=MOVE[,MOVE...]` items ('hold' or nothing after '=' plays nothing). Raises
    WargameError with one line per item it cannot read, and per actor given more than once for a turn."""
    moves, problems = read_moves(specs, at, actors)
    if problems:
        raise WargameError(problems)
    return moves


def read_moves(specs: list[str], at: int | None,
               actors: tuple[str, ...]) -> tuple[dict[int, dict[str, list[str]]], list[str]]:
    """parse_moves, returning the items it could read with a line for each problem instead of raising, so that
    a caller can check the moves it did read as well and report every mistake at once."""
    from .reader import suggest

    out: dict[int, dict[str, list[str]]] = {}
    given: dict[tuple[int, str], list[str]] = {}
    problems: list[str] = []
    for spec in specs:
        head, sep, tail = spec.partition("=")
        turn_text, colon, actor = head.rpartition(":")
        if not sep or not actor.strip():
            problems.append(f"--moves: expected [TURN:]ACTOR=MOVE[,MOVE...], got '{spec}'")
            continue
        actor = actor.strip()
        if colon:
            try:
                turn = int(turn_text)
            except ValueError:
                problems.append(f"--moves: expected a turn number before ':', got '{turn_text}' in '{spec}'")
                continue
            if turn < 1:
                # Turn 0 would otherwise read as "the branch turn", which is what leaving the turn out means.
                problems.append(f"--moves: expected a turn number of 1 or more before ':', got '{turn_text}' "
                                f"in '{spec}'")
                continue
        elif at is not None:
            turn = at
        else:
            turn = 0          # the branch turn, once known
        if actor not in actors:
            problems.append(f"--moves: unknown actor '{actor}'{suggest(actor, actors)}; "
                            f"expected one of: {', '.join(actors)}")
            continue
        given.setdefault((turn, actor), []).append(tail.strip() or "hold")
        moves = [m.strip() for m in tail.split(",") if m.strip()]
        out.setdefault(turn, {})[actor] = [] if moves == ["hold"] else moves
    # As --policy: keeping the last silently would hide a typo or a leftover from an earlier command.
    for (turn, actor), texts in given.items():
        if len(texts) > 1:
            times = "twice" if len(texts) == 2 else f"{len(texts)} times"
            when = f"turn {turn}" if turn else "the branch turn"
            listed = ("; " if any("," in t for t in texts) else ", ").join(texts)
            problems.append(f"--moves: {actor} is given {times} for {when} ({listed}); give it once")
    return out, problems


def branch_end(doc: dict, at: int, turns: int | None) -> int:
    """The last turn a branch of `doc` departing on `at` may play: `turns` from `at`, or the save's turn limit."""
    return doc["turn_limit"] if turns is None else at - 1 + turns


def pin_problems(pins: Mapping[int, Mapping[str, list[str]]], rules: Ruleset, at: int, end: int) -> list[str]:
    """Every reason, one line each, why moves given for a branch ({turn: {actor: [move, ...]}}) could never be
    played, whatever the game looks like when their turn comes: a turn the branch does not play, a move the
    ruleset does not have or that belongs to another actor, the same move twice, more moves than the actor may
    play in a turn. Found before the first turn plays, so that a mistake for a late turn does not cost the turns
    before it. What depends on the state of the game (a move already in force, capital, a condition) can only be
    judged on the turn itself."""
    from .moves import why_illegal

    problems = []
    for turn in sorted(pins):
        where = f"--moves: turn {turn}"
        if turn < at:
            problems.append(f"{where} comes before the branch turn {at}")
            continue
        if turn > max(end, at):
            problems.append(f"{where} is after the last turn the branch plays ({end})")
            continue
        for actor, chosen in pins[turn].items():
            spec = rules.actors[actor]
            for move in chosen:
                if move == "hold" and move not in rules.moves:
                    problems.append(f"{where}: {actor}: hold: plays nothing, so it cannot be given with other moves")
                elif move not in rules.moves or actor not in rules.moves[move].actors:
                    problems.append(f"{where}: {actor}: {move}: {why_illegal(rules, None, actor, move)}")
            twice = sorted({m for m in chosen if chosen.count(m) > 1 and m in rules.moves})
            if twice:
                problems.append(f"{where}: {actor}: {', '.join(twice)}: given more than once")
            limit = spec.moves_per_turn
            counted = [m for m in chosen if m in rules.moves or m != "hold"]
            if len(counted) > limit:
                problems.append(f"{where}: {actor}: {len(counted)} moves given; {spec.name} may play at most "
                                f"{limit} move{'' if limit == 1 else 's'} a turn")
    return problems


def branch(source: Source, *, at: int | None = None, moves: Mapping[int, Mapping[str, list[str]]] | None = None,
           turns: int | None = None, policies: Mapping[str, str] | None = None, keep_injects: bool = True,
           ruleset: Ruleset | str | Path | None = None,
           on_turn: Callable[[WargameModel, TurnReport], None] | None = None, name: str | None = None,
           before_turn: Callable[[WargameModel], bool] | None = None,
           trusted: Collection[str] = ()) -> WargameModel:
    """Replay a save up to turn `at` and play on with `moves` ({turn: {actor: [move, ...]}}) instead.

    `at` defaults to the turn after the save's last: the game then simply continues, its human players
    still human (moves given for them are their moves). `turns` is how many turns to play from `at`
    (default: until the game ends; 0 sets the branch up and returns before turn `at`, for a front end to
    play). `policies` gives actors another policy from turn `at`, including 'recorded' (repeat the saved
    game's moves where legal), which human players get by default in a branch.
    Raises ReplayError if the save does not replay exactly up to `at`, IllegalMove for moves that cannot
    be played, WargameError for other bad requests. `name` is how the parent is called in the branch's
    record and messages (default: its file). `before_turn(model)` is called before each turn is played
    (an instructor's console, for one); returning False stops the game there. `trusted` names the players'
    own policy classes the save may use (saves.new_game); those given in `policies` are trusted too.
    """
    doc, rules, name = open_save(source, ruleset, name)
    try:
        trusted = set(trusted) | {p for p in (policies or {}).values() if ":" in p}
        return _branch(doc, rules, name, at, moves, turns, policies, keep_injects, on_turn, before_turn, trusted)
    except (KeyError, TypeError, ValueError, IndexError, AttributeError) as exc:
        raise SaveError(Problem(name, "", f"the save is damaged ({type(exc).__name__}: {exc})")) from None


def branch_turn(doc: dict, at: int | None, name: str) -> int:
    """The turn a branch of the save `doc` departs on: `at`, or the turn after the save's last (the game
    continues). Raises WargameError if the game cannot go on from there."""
    played = len(doc["history"])
    finished = doc["state"].get("outcome") is not None or played >= doc["turn_limit"]
    if finished and (at is None or at > played):
        hint = "there is nothing to resume; 'wargame branch' replays it to an earlier turn and plays on" \
            if at is None else f"branch from an earlier turn (--at 1 to {played})"
        raise WargameError(f"the game in {name} is over (after turn {played}); {hint}")
    at = played + 1 if at is None else at
    if at < 1 or at > played + 1:
        raise WargameError(f"--at: expected a turn from 1 to {played + 1} (the save has {played} "
                           f"turn{'s' if played != 1 else ''}), got {at}")
    return at


def _branch(doc, rules, name, at, moves, turns, policies, keep_injects, on_turn, before_turn,
            trusted: Collection[str] = ()) -> WargameModel:
    history = doc["history"]
    played = len(history)
    at = branch_turn(doc, at, name)
    pins = {(t or at): dict(p) for t, p in (moves or {}).items()}
    policies = dict(policies or {})
    for actor, policy in policies.items():
        if actor not in rules.actors:
            raise WargameError(f"--policy: {rules.unknown_actor(actor)}")
        if policy != "recorded":
            make_policy(policy, rules.actors[actor], rules)       # refuse unknown policies before playing
    if turns is not None and turns < 0:
        raise WargameError(f"--turns: expected 0 or more, got {turns}")

    end = branch_end(doc, at, turns)
    problems = pin_problems(pins, rules, at, end)
    if problems:
        raise IllegalMove(problems)

    # Continuing a game (at the turn after its last) starts from its snapshot, which is exact even if the
    # engine has changed since, and changes nothing of its record: its players stay who they were, its
    # queued interventions and human moves stay queued, and no branch is marked.
    continuing = at == played + 1
    records = _by_turn(doc.get("interventions") or [])
    branched_now = set(pins.get(at, {}))
    humans = [a for a, p in doc["policies"].items() if p == "human"]
    recorded = {a: {h["turn"]: list(h["orders"].get(a, [])) for h in history[at - 1:]} for a in rules.actor_ids}
    if continuing:
        from .saves import restore

        model = restore(doc, rules, name, trusted)
        model.turn_limit = max(doc["turn_limit"], end)
        model.running = model.state.outcome is None and model.state.turn < model.turn_limit
    else:
        model = fresh_game(doc, rules, name, trusted)
        model.turn_limit = max(doc["turn_limit"], end)
        log = LogCheck(engine_changed(doc))
        for h in history[:at - 1]:
            t = h["turn"]
            for rec in records.pop(t, []):
                perform(model, rec)
            _feed_humans(model, {a: list(h["orders"].get(a, [])) + [m for m, _ in h.get("rejected", {}).get(a, [])]
                                 for a in model.humans()})
            model.step()
            found = check_turn(model, h, doc, log)
            if found:
                found = replace(found, engine_changed=engine_changed(doc))
                raise ReplayError(f"cannot branch from {name}: it does not replay exactly ({found})")
        # From the branch turn on: the parent's injects and reveals again, and its overrides of actors the
        # branch leaves alone on this turn (they moved as they did).
        for rec in records.get(at, []):
            if rec["kind"] == "override":
                if rec["actor"] not in branched_now:
                    perform(model, rec)
            elif rec["kind"] in KEPT_IN_BRANCHES and (keep_injects or rec["kind"] in ("reveal", "hide")):
                perform(model, rec)
        perform(model, {"turn": at, "kind": "branch", "parent": name, "parent_checksum": doc.get("checksum"),
                        "moves": {str(t): {a: list(m) for a, m in p.items()} for t, p in sorted(pins.items())}})
    for actor in rules.actor_ids:
        policy = policies.get(actor, "recorded" if not continuing and actor in humans else None)
        if policy is not None:
            rec = {"turn": at, "kind": "policy", "actor": actor, "policy": policy,
                   "moves": {str(t): m for t, m in recorded[actor].items()} if policy == "recorded" else None}
            if policy == "recorded":
                rec["rejects"] = True       # a recorded move the branch no longer allows is logged as rejected
            perform(model, rec)

    def prepare(t: int) -> None:
        if t > at:
            for rec in records.get(t, []):
                if rec["kind"] in KEPT_IN_BRANCHES and (keep_injects or rec["kind"] in ("reveal", "hide")):
                    perform(model, rec)
        for actor, chosen in pins.get(t, {}).items():
            reasons = check_moves(model, actor, list(chosen))
            if reasons:
                # Only the state of the game on turn t could rule these out (pin_problems found the rest).
                stood = f"after turn {t - 1}" if t > 1 else "at its start"
                raise IllegalMove([f"--moves: turn {t}: {actor}: {r} (as the game stands {stood})"
                                   for r in reasons])
            perform(model, {"turn": t, "kind": "override", "actor": actor, "moves": list(chosen),
                            "by": "resume" if continuing else "branch"})

    prepare(at)
    while model.running and model.turn <= end:
        if before_turn is not None and not before_turn(model):
            break
        model.step()
        if on_turn is not None:
            on_turn(model, model.reports[-1])
        if model.running and model.turn <= end:
            prepare(model.turn)
    return model
