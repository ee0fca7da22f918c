"""What a save must hold, checked wherever one is read: every field of the state against GameState's
annotations, the events against Event's, the interventions and records against the descriptions below, and,
with the ruleset the game was played with, every actor, move, node and lane it names and the sizes of the
state. A save whose checksum matches may still have been written by another program or edited and re-sealed;
this turns what it holds wrongly into one Problem per key instead of a failure deep in loading or in a later
turn.
"""

from __future__ import annotations

import dataclasses
import functools
import math
import random
import types
import typing
from collections.abc import Collection
from typing import Any

import numpy as np

from .errors import Problem
from .moves import Event
from .policies import BUILTIN
from .ruleset import Ruleset
from .state import GameState

# The top-level keys every save has.
REQUIRED = ("ruleset", "seed", "turn_limit", "policies", "history", "events", "state", "rng")


def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: str(value).lower(), list: "a list", dict: "a mapping"}.get(type(value), type(value).__name__)


def _whole(value: Any) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


# No number in a game comes near this (the largest are losses in yen, around 1e14); far larger ones overflow the
# engine's arithmetic (to infinity, which cannot be rounded or turned into a date).
MAX_MAGNITUDE = 1e18


def _number(value: Any) -> bool:
    """A finite number of a size a game can hold (JSON as Python writes it may hold NaN and Infinity)."""
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
        and abs(value) <= MAX_MAGNITUDE


# What a save holds, checked wherever it is read (see shape_problems). The state's fields and the events are
# checked against their classes' type annotations; the rest against the descriptions below, in which a name is
# one of: whole (a whole number of at least 0), number, text, the ruleset's actor, move, inject, node or lane,
# or moves (a list of moves); a trailing '?' allows null (and, in an intervention, leaving it out).

# The details of each kind of instructor intervention (instructor.perform reads them).
INTERVENTION_FIELDS: dict[str, dict[str, str]] = {
    "inject": {"inject": "inject"},
    "event": {"text": "text"},
    "reveal": {"actor": "actor"},
    "hide": {"actor": "actor"},
    "override": {"actor": "actor", "moves": "moves", "by": "text?"},
    "pause": {"note": "text?"},
    "resume": {},
    "policy": {"actor": "actor", "policy": "text"},
    "branch": {"parent": "text?"},
}
# The entries of the state's lists of records.
STATE_RECORDS: dict[str, dict[str, str]] = {
    "active": {"move": "move", "actor": "actor", "since": "whole", "until": "whole?"},
    "projects": {"arrives": "whole", "node": "node?", "lane": "lane?", "amount": "number", "by": "actor?"},
}
# State fields whose numbers have bounds beyond being numbers.
STATE_BOUNDS: dict[str, tuple[float, float]] = {"turn": (0, math.inf), "relations": (-1.0, 1.0),
                                                 "resolve": (0.0, 1.0), "beliefs": (math.ulp(0.0), math.inf)}
# State fields that saves written before they existed lack (a game then starts them empty).
STATE_ADDED_LATER = ("flows", "last_played_public")
# State fields that grow as a game is played, and what their keys name. Every other field has the size it has
# in a new game of the save's ruleset: an entry for each node, lane, commodity, actor or government.
STATE_GROWING: dict[str, str | None] = {
    "relations": "pair", "last_played": "move", "last_played_public": "move", "last_played_by": "actor/move",
    "uses": "actor/move", "streaks": "outcome", "revealed": "actor", "active": None, "projects": None,
    "flows": None, "indicators": None, "chance": None}
# State fields holding the state of a random stream.
STATE_STREAMS = ("chance",)


@functools.lru_cache(maxsize=None)
def _annotations(cls: type) -> dict[str, Any]:
    """A dataclass's public fields and their types."""
    hints = typing.get_type_hints(cls)
    return {f.name: hints[f.name] for f in dataclasses.fields(cls) if not f.name.startswith("_")}


def _expected(hint: Any) -> str:
    """A type annotation in words: 'a list of numbers', 'a mapping', 'text or null'."""
    args = typing.get_args(hint)
    if typing.get_origin(hint) in (typing.Union, types.UnionType):
        return " or ".join("null" if a is type(None) else _expected(a) for a in args)
    plain = {int: "a whole number", float: "a number", str: "text", bool: "true or false"}
    if hint in plain:
        return plain[hint]
    origin = typing.get_origin(hint) or hint
    item = (args[0] if origin in (list, tuple) else args[-1]) if args else None
    inner = {int: "whole numbers", float: "numbers", str: "names"}.get(item)
    if origin in (list, tuple):
        return "a list" + (f" of {inner}" if inner else "")
    if origin is dict:
        return "a mapping" + (f" of {inner}" if inner else "")
    return "anything"


class _Checker:
    """Collects what is wrong in a save, one Problem per key, naming it and what was expected. With the ruleset
    the game was played with, also what a save of that ruleset must hold: its actors, moves and sizes."""

    def __init__(self, shown: str, rules: Ruleset | None, as_game: bool = False):
        self.shown, self.rules, self.as_game = shown, rules, as_game
        self.problems: list[Problem] = []

    def say(self, path: str, message: str) -> None:
        self.problems.append(Problem(self.shown, path, message))

    def bad(self, path: str, expected: str, value: Any) -> None:
        got = repr(value) if isinstance(value, (int, float, str)) and not isinstance(value, bool) else _kind(value)
        if isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value) \
                and abs(value) > MAX_MAGNITUDE:
            expected += f" no larger than {MAX_MAGNITUDE:g}"
        self.say(path, f"expected {expected}, got {got}")

    # -- single values ----------------------------------------------------------------------------------
    def known(self, kind: str) -> Collection | None:
        """The ids or positions the ruleset has of a kind (None: anything of the right type, without one)."""
        rules = self.rules
        if rules is None:
            return None
        return {"actor": rules.actors, "move": rules.moves, "inject": rules.injects,
                "outcome": {o.id for o in rules.outcomes}, "node": range(len(rules.network.nodes)),
                "lane": range(len(rules.network.lanes))}.get(kind)

    def is_known(self, path: str, value: Any, kind: str) -> bool:
        known = self.known(kind)
        if known is None or value in known:
            return True
        where = f"the ruleset '{self.rules.id}'"
        if isinstance(known, range):
            self.bad(path, f"a {kind} of {where} (0 to {len(known) - 1})", value)
        else:
            self.bad(path, f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} of {where}", value)
        return False

    def value(self, path: str, value: Any, spec: str) -> bool:
        """Check one value against a description (see INTERVENTION_FIELDS)."""
        kind, optional = spec.rstrip("?"), spec.endswith("?")
        if value is None and optional:
            return True
        if kind in ("whole", "node", "lane"):
            if not _whole(value) or not _number(value) or value < 0:
                self.bad(path, "a whole number of at least 0" if kind == "whole" else f"a {kind} number", value)
                return False
            return kind not in ("node", "lane") or self.is_known(path, value, kind)
        if kind == "number":
            if not _number(value):
                self.bad(path, "a number", value)
                return False
            return True
        if kind == "moves":
            if not isinstance(value, list):
                self.bad(path, "a list of moves", value)
                return False
            return all([self.value(f"{path}[{i}]", m, "move") for i, m in enumerate(value)])
        if not isinstance(value, str):
            self.bad(path, "text" if kind == "text" else f"{'an' if kind[0] in 'aeiou' else 'a'} {kind} (its id)",
                     value)
            return False
        return kind == "text" or self.is_known(path, value, kind)

    def record(self, path: str, rec: Any, spec: dict[str, str], complete: bool = False) -> bool:
        """Check a mapping's keys against descriptions; say which are missing (`complete`: every key must be
        there, even those that may be null)."""
        if not isinstance(rec, dict):
            self.bad(path, "a mapping", rec)
            return False
        ok = True
        for key, described in spec.items():
            if key not in rec and (complete or not described.endswith("?")):
                self.say(f"{path}.{key}", "missing from the save")
                ok = False
            elif not self.value(f"{path}.{key}", rec.get(key), described):
                ok = False
        return ok

    def typed(self, path: str, value: Any, hint: Any, bounds: tuple[float, float] | None = None,
              nullable: bool = False) -> bool:
        """Check a value against a type annotation (int, float, str, list[...], dict[str, ...], X | None, Any),
        and its numbers against `bounds`."""
        args = typing.get_args(hint)
        origin = typing.get_origin(hint) or hint
        if hint is Any:
            return True
        if origin in (typing.Union, types.UnionType):
            if value is None and type(None) in args:
                return True
            options = [a for a in args if a is not type(None)]
            if len(options) == 1:
                return self.typed(path, value, options[0], bounds, nullable=True)
            fits = any(isinstance(value, typing.get_origin(a) or a) for a in options)
        elif hint is int:
            fits = _whole(value) and _number(value) and (bounds is None or bounds[0] <= value <= bounds[1])
        elif hint is float:
            fits = _number(value) and (bounds is None or bounds[0] <= value <= bounds[1])
        elif origin in (list, tuple):
            if not isinstance(value, list):
                fits = False
            else:
                item = args[0] if args else Any
                return all([self.typed(f"{path}[{i}]", v, item, bounds) for i, v in enumerate(value)])
        elif origin is dict:
            if not isinstance(value, dict):
                fits = False
            else:
                item = args[1] if args else Any
                return all([self.typed(f"{path}.{k}", v, item, bounds) for k, v in value.items()])
        else:
            fits = isinstance(value, origin)
        if not fits:
            expected = _expected(hint)
            if bounds is not None and hint in (int, float):
                low, high = bounds
                expected += (f" from {low:g} to {high:g}" if high != math.inf else
                             " above 0" if low == math.ulp(0.0) else f" of at least {low:g}")
            self.bad(path, expected + (" or null" if nullable else ""), value)
        return fits

    def stream(self, path: str, value: Any) -> None:
        """The state of a PCG64 random stream: what numpy accepts and gives back unchanged."""
        try:
            generator = np.random.PCG64()
            generator.state = value
            fits = generator.state == value
        except (TypeError, ValueError, KeyError, OverflowError, AttributeError):
            fits = False
        if not fits:
            self.bad(path, "the state of a PCG64 random stream", value)

    # -- the parts of a save ------------------------------------------------------------------------------
    def state(self, state: dict, history: list) -> None:
        for name, hint in _annotations(GameState).items():
            path = f"state.{name}"
            if name not in state:
                if name not in STATE_ADDED_LATER:
                    self.say(path, "missing from the save")
                continue
            value = state[name]
            if name in STATE_STREAMS:
                self.stream(path, value)
                continue
            if not self.typed(path, value, hint, STATE_BOUNDS.get(name)):
                continue
            if name in STATE_RECORDS:
                for i, rec in enumerate(value):
                    self.record(f"{path}[{i}]", rec, STATE_RECORDS[name], complete=True)
            if name == "beliefs":
                for observer, targets in value.items():
                    for target, pair in targets.items():
                        if len(pair) != 2:
                            self.bad(f"{path}.{observer}.{target}", "a list of 2 numbers (a Beta distribution's "
                                                                    "alpha and beta)", pair)
        if _whole(state.get("turn")) and isinstance(history, list) and state["turn"] != len(history):
            self.bad("state.turn", f"the number of turns in the history ({len(history)})", state["turn"])
        projects = state.get("projects")
        for i, p in enumerate(projects if isinstance(projects, list) else []):
            if isinstance(p, dict) and (p.get("node") is None) == (p.get("lane") is None):
                self.say(f"state.projects[{i}]", "expected either a node or a lane, not both or neither")
        if self.rules is not None and not self.problems:     # (sizes and ids once every type is right)
            self.state_fits(state)

    def state_fits(self, state: dict) -> None:
        """Sizes as in a new game of the ruleset; keys of the fields that grow naming what the ruleset has."""
        fresh = self.fresh_state()
        for name, value in state.items():
            if name not in fresh:
                continue
            path = f"state.{name}"
            if name in STATE_GROWING:
                keys = STATE_GROWING[name]
                if keys is not None and isinstance(value, dict):
                    for key in value:
                        self.key(f"{path}.{key}", key, keys)
                elif keys is not None and isinstance(value, list):
                    for i, key in enumerate(value):
                        self.key(f"{path}[{i}]", key, keys)
            else:
                self.same_size(path, value, fresh[name])
        for i, entry in enumerate(state.get("active") or []):
            # A move in force acts through its effects for the actor who played it, which only its actors have.
            move = self.rules.moves.get(entry.get("move")) if isinstance(entry, dict) else None
            if move is not None and entry.get("actor") in self.rules.actors and entry["actor"] not in move.actors:
                self.bad(f"state.active[{i}].actor", f"an actor who can play '{move.id}' "
                                                     f"({', '.join(move.actors)})", entry["actor"])
        if isinstance(state.get("indicators"), dict):
            self.indicators("state.indicators", state["indicators"])
        if state.get("outcome") is not None:
            self.value("state.outcome", state["outcome"], "outcome")

    def key(self, path: str, key: Any, keys: str) -> None:
        """A key of a growing mapping: an actor, a move, an outcome, 'actor/move' or 'actor|actor'."""
        if keys in ("actor", "move", "outcome"):
            self.value(path, key, keys)
            return
        sep = "/" if keys == "actor/move" else "|"
        parts = key.split(sep) if isinstance(key, str) else []
        kinds = ("actor", "move") if sep == "/" else ("actor", "actor")
        if len(parts) != 2 or any(self.known(k) is not None and p not in self.known(k) for p, k in zip(parts, kinds)):
            self.say(path, f"expected a key '{'actor/move' if sep == '/' else 'actor|actor'}' naming the ruleset "
                           f"'{self.rules.id}''s {'actor and move' if sep == '/' else 'actors'}")

    def same_size(self, path: str, value: Any, fresh: Any) -> None:
        if isinstance(fresh, list) and isinstance(value, list):
            if len(value) != len(fresh):
                self.bad(f"{path} (length)", f"{len(fresh)} entries, as in every game of the ruleset "
                                             f"'{self.rules.id}'", len(value))
                return
            for i, (v, f) in enumerate(zip(value, fresh)):
                self.same_size(f"{path}[{i}]", v, f)
        elif isinstance(fresh, dict) and isinstance(value, dict):
            for key in fresh:
                if key not in value:
                    self.say(f"{path}.{key}", "missing from the save")
                else:
                    self.same_size(f"{path}.{key}", value[key], fresh[key])
            for key in value:
                if key not in fresh:
                    self.say(f"{path}.{key}", f"not expected here (expected only {', '.join(map(str, fresh))})")

    def indicators(self, path: str, saved: dict) -> None:
        """Indicators have the keys and kinds of a new game's (numbers, texts, mappings of numbers)."""
        def like(p: str, value: Any, fresh: Any) -> None:
            if isinstance(fresh, dict):
                if not isinstance(value, dict):
                    self.bad(p, "a mapping", value)
                    return
                for key, v in value.items():
                    like(f"{p}.{key}", v, fresh.get(key, next(iter(fresh.values()), 0.0)))
            elif isinstance(fresh, str):
                if not isinstance(value, str):
                    self.bad(p, "text", value)
            elif not _number(value):
                self.bad(p, "a number", value)

        fresh = self.fresh_indicators()
        for key, value in fresh.items():
            if key not in saved:
                self.say(f"{path}.{key}", "missing from the save")
            else:
                like(f"{path}.{key}", saved[key], value)

    def fresh_state(self) -> dict:
        return _fresh(self.rules)[0]

    def fresh_indicators(self) -> dict:
        return _fresh(self.rules)[1]

    def streams(self, rng: dict) -> None:
        for key in ("model", "random", "actors"):
            if key not in rng:
                self.say(f"rng.{key}", "missing from the save")
        if "model" in rng:
            self.stream("rng.model", rng["model"])
        if "random" in rng:
            self.random_stream("rng.random", rng["random"])
        actors = rng.get("actors", {})
        if not isinstance(actors, dict):
            self.bad("rng.actors", "a mapping of actor to the state of its random stream", actors)
            return
        for actor, value in actors.items():
            if self.value(f"rng.actors.{actor}", actor, "actor"):
                self.stream(f"rng.actors.{actor}", value)
        for actor in self.known("actor") or ():
            if actor not in actors:
                self.say(f"rng.actors.{actor}", "missing from the save")

    def random_stream(self, path: str, value: Any) -> None:
        """The state of Python's random generator: [version, 625 whole numbers, a number or null]."""
        fits = isinstance(value, list) and len(value) == 3 and isinstance(value[1], list) and \
            (value[2] is None or _number(value[2]))
        if fits:
            try:
                state = (value[0], tuple(value[1]), value[2])
                probe = random.Random()
                probe.setstate(state)
                fits = probe.getstate() == state
            except (TypeError, ValueError, OverflowError):
                fits = False
        if not fits:
            self.bad(path, "the state of Python's random generator ([version, 625 numbers, gauss])", value)

    def history(self, history: list, events: list) -> None:
        for i, item in enumerate(history):
            path = f"history[{i}]"
            if not isinstance(item, dict):
                self.bad(path, "a mapping", item)
                continue
            if not _whole(item.get("turn")):
                self.bad(f"{path}.turn", "a turn number", item.get("turn"))
            elif item["turn"] != i + 1:
                self.bad(f"{path}.turn", f"turn {i + 1} (the history lists every turn in order)", item["turn"])
            orders = item.get("orders")
            if not isinstance(orders, dict):
                self.bad(f"{path}.orders", "a mapping", orders)
            else:
                # A replay reports moves the ruleset does not have as where the save diverges; a game built
                # from the record (loaded or resumed) cannot show them.
                for actor, moves in orders.items():
                    if self.value(f"{path}.orders.{actor}", actor, "actor"):
                        if self.as_game:
                            self.value(f"{path}.orders.{actor}", moves, "moves")
                        elif not isinstance(moves, list) or not all(isinstance(m, str) for m in moves):
                            self.bad(f"{path}.orders.{actor}", "a list of moves", moves)
            rejected = item.get("rejected", {})
            if not isinstance(rejected, dict):
                self.bad(f"{path}.rejected", "a mapping", rejected)
            else:
                for actor, pairs in rejected.items():
                    where = f"{path}.rejected.{actor}"
                    if not self.value(where, actor, "actor"):
                        continue
                    if not isinstance(pairs, list):
                        self.bad(where, "a list of [move, reason]", pairs)
                        continue
                    for j, pair in enumerate(pairs):
                        if not (isinstance(pair, list) and len(pair) == 2 and all(isinstance(x, str) for x in pair)):
                            self.bad(f"{where}[{j}]", "[move, reason]", pair)
            indicators = item.get("indicators")
            if not isinstance(indicators, dict):
                self.bad(f"{path}.indicators", "a mapping", indicators)
            elif self.rules is not None:
                self.indicators(f"{path}.indicators", indicators)
            span = item.get("events")
            if span is not None and not (isinstance(span, list) and len(span) == 2 and all(map(_whole, span))
                                         and 0 <= span[0] <= span[1] <= len(events)):
                self.bad(f"{path}.events", f"[start, end] in the event log (0 to {len(events)})", span)

    def events(self, events: list) -> None:
        hints = _annotations(Event)
        for i, item in enumerate(events):
            path = f"events[{i}]"
            if not isinstance(item, dict):
                self.bad(path, "a mapping", item)
                continue
            for name, hint in hints.items():
                if name not in item and name in ("turn", "kind", "text"):
                    self.say(f"{path}.{name}", "missing from the save")
                elif self.typed(f"{path}.{name}", item.get(name), hint) and item.get(name) is not None:
                    if name == "actor":      # (not the move: a rejected move may be one the ruleset lacks)
                        self.value(f"{path}.{name}", item[name], name)
                    elif name == "visible_to":
                        for j, actor in enumerate(item[name]):
                            self.value(f"{path}.{name}[{j}]", actor, "actor")

    def interventions(self, interventions: list) -> None:
        from .instructor import KINDS

        for i, rec in enumerate(interventions):
            path = f"interventions[{i}]"
            if not isinstance(rec, dict):
                self.bad(path, "a mapping", rec)
                continue
            if not _whole(rec.get("turn")):
                self.bad(f"{path}.turn", "a turn number", rec.get("turn"))
            if rec.get("kind") not in KINDS:
                self.bad(f"{path}.kind", f"one of {', '.join(KINDS)}", rec.get("kind"))
            else:
                self.record(path, rec, INTERVENTION_FIELDS[rec["kind"]])

    def save(self, doc: dict) -> None:
        if not _whole(doc["seed"]) or doc["seed"] < 0:
            self.bad("seed", "a whole number of at least 0", doc["seed"])
        if not _whole(doc["turn_limit"]) or doc["turn_limit"] < 1:
            self.bad("turn_limit", "a whole number of at least 1", doc["turn_limit"])
        elif self.rules is not None and (problem := self.rules.turn_limit_problem(doc["turn_limit"])):
            self.say("turn_limit", problem)
        info = doc["ruleset"]
        if not isinstance(info, dict):
            self.bad("ruleset", "a mapping (id, name, file, digest, data)", info)
        else:
            for key, hint in (("id", str), ("digest", str), ("file", str | None), ("data", dict | None)):
                self.typed(f"ruleset.{key}", info.get(key), hint)
        engine = doc.get("engine", {})
        if not isinstance(engine, dict) or not isinstance(engine.get("digest", ""), str):
            self.bad("engine", "a mapping (version, digest)", engine)
        policies = doc["policies"]
        if not isinstance(policies, dict):
            self.bad("policies", "a mapping of actor to policy", policies)
        else:
            for actor, name in policies.items():
                if not isinstance(name, str) or not (name in BUILTIN or ":" in name):
                    self.bad(f"policies.{actor}", f"{', '.join(BUILTIN)} or module:Class", name)
        if doc.get("script") is not None and not isinstance(doc["script"], dict):
            self.bad("script", "a move script (a mapping with 'turns') or null", doc["script"])
        for key in ("history", "events"):
            if not isinstance(doc[key], list):
                self.bad(key, "a list", doc[key])
        if isinstance(doc["events"], list):
            self.events(doc["events"])
            if isinstance(doc["history"], list):
                self.history(doc["history"], doc["events"])
        if not isinstance(doc["state"], dict):
            self.bad("state", "a mapping", doc["state"])
        else:
            self.state(doc["state"], doc["history"])
        if not isinstance(doc["rng"], dict):
            self.bad("rng", "a mapping", doc["rng"])
        else:
            self.streams(doc["rng"])
        interventions = doc.get("interventions") or []
        if not isinstance(interventions, list):
            self.bad("interventions", "a list", interventions)
        else:
            self.interventions(interventions)
        pending = doc.get("pending") or {}
        if not isinstance(pending, dict) or not all(isinstance(m, list) for m in pending.values()):
            self.bad("pending", "a mapping of player to a list of moves", pending)
        else:
            for actor, moves in pending.items():
                if self.value(f"pending.{actor}", actor, "actor"):
                    self.value(f"pending.{actor}", moves, "moves")


_FRESH: dict[str, tuple[dict, dict]] = {}


def _fresh(rules: Ruleset) -> tuple[dict, dict]:
    """A new game's state and indicators for `rules`: the sizes and keys a save of that ruleset must have."""
    from .indicators import baseline
    from .state import initial_state

    if rules.digest not in _FRESH:
        state = initial_state(rules, np.random.default_rng(0))
        _FRESH[rules.digest] = state.to_dict(), baseline(rules, state)
    return _FRESH[rules.digest]


MAX_PROBLEMS = 20       # a save with every number replaced would otherwise print thousands of lines


def shape_problems(doc: dict, shown: str, rules: Ruleset | None = None, as_game: bool = False) -> list[Problem]:
    """What is the wrong shape in a save whose checksum matches (written by another program, or edited and
    re-sealed): one Problem per key, naming it and what was expected, rather than a failure deep in loading or
    in a later turn. With `rules` (the ruleset the game was played with), also every actor, move, node and lane
    it names, and the sizes of the state (one entry per node, lane, commodity...). `as_game`: the save's record
    is to become a game's (loading, resuming), not only to be replayed and compared."""
    missing = [k for k in REQUIRED if k not in doc]
    if missing:
        return [Problem(shown, key, "missing from the save") for key in missing]
    checker = _Checker(shown, rules, as_game)
    checker.save(doc)
    problems = list(dict.fromkeys(checker.problems))
    if len(problems) > MAX_PROBLEMS:
        more = len(problems) - MAX_PROBLEMS + 1
        problems = problems[:MAX_PROBLEMS - 1] + [Problem(shown, "", f"and {more} more problems")]
    return problems
