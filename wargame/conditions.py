"""Conditions as data: move preconditions and end conditions are lists of small mappings, never code.

Each condition is compiled once, when the ruleset loads, into a test over the game state and a sentence
that explains it, so a player can be told exactly why a move is not allowed.
"""

from __future__ import annotations

import difflib
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from .indicators import in_sentence, label
from .reader import Reader, suggest
from .yamlio import PathKey

if TYPE_CHECKING:
    from .state import GameState

KINDS = ("tension", "turn", "active", "not_active", "played", "not_played", "active_family", "relation",
         "pressure", "cohesion", "indicator", "any", "not")


@dataclass(frozen=True, slots=True)
class Condition:
    test: Callable[["GameState"], bool]
    text: str

    def __call__(self, state: "GameState") -> bool:
        return self.test(state)


def _bounds(r: Reader, spec: Any, path: PathKey, lo: float | None = None, hi: float | None = None,
            also: tuple[str, ...] = ()) -> tuple[float, float, str]:
    """The min and max of a condition's settings (either may be left out), and words for them. `also` names
    the condition's other settings, read by its caller."""
    spec = r.mapping(spec, path, "a mapping with min and/or max")
    allowed = also + ("min", "max")
    for k in spec:
        if k not in allowed:
            r.meant.update(path + (close,) for close in difflib.get_close_matches(str(k), allowed, n=1, cutoff=0.6))
            r.problem(path + (k,), f"unknown key '{k}'{suggest(str(k), allowed)}; expected {', '.join(allowed[:-1])} "
                                   f"or {allowed[-1]}")
    low = r.number(spec, "min", path, float("-inf"), lo=lo, hi=hi) if "min" in spec else float("-inf")
    high = r.number(spec, "max", path, float("inf"), lo=lo, hi=hi) if "max" in spec else float("inf")
    if "min" not in spec and "max" not in spec and r.given(spec) and not {path + ("min",), path + ("max",)} & r.meant:
        r.problem(path, "expected min and/or max")
    if low == float("-inf"):
        text = f"at most {high:g}"
    elif high == float("inf"):
        text = f"at least {low:g}"
    else:
        text = f"between {low:g} and {high:g}"
    return low, high, text


def _how_many(low: float, high: float, thing: str) -> str:
    """A count's bounds as a player reads them: 'no coercion moves', 'at least one friend-shoring move'."""
    def of(n: float) -> str:
        return f"one {thing}" if n == 1 else f"{n:g} {thing}s"
    if high <= 0:
        return f"no {thing}s"
    if low <= 0:
        return f"at most {of(high)}"
    if high == float("inf"):
        return f"at least {of(low)}"
    return f"exactly {of(low)}" if low == high else f"between {low:g} and {high:g} {thing}s"


def compile_conditions(r: Reader, raw: Any, path: PathKey, names: "Names", actor: str | None) -> tuple[Condition, ...]:
    if raw is None:
        return ()
    if not isinstance(raw, list):
        # One condition written on its own: its problems are named at its own path, as the file has it.
        c = compile_condition(r, raw, path, names, actor)
        return (c,) if c else ()
    return tuple(c for i, item in enumerate(raw) if (c := compile_condition(r, item, path + (i,), names, actor)))


@dataclass(frozen=True)
class Names:
    """What a condition may refer to, and how players know it: a condition's text is read in refusal reasons and
    the move catalogue, so it names moves and actors by their names in the ruleset, not their ids."""

    moves: frozenset[str]
    actors: frozenset[str]
    families: frozenset[str]
    indicators: frozenset[str]
    governments: frozenset[str]
    move_names: Mapping[str, str] = field(default_factory=dict)    # id -> name; an id without one stands for itself
    actor_names: Mapping[str, str] = field(default_factory=dict)

    def move(self, move: str) -> str:
        return f"'{self.move_names.get(move) or move}'"

    def actor(self, actor: str) -> str:
        """The actor as a sentence names it after its first word: 'Tokyo', 'the G7' (a name such as 'The G7' is
        capitalised for a heading or a list; conditions and effects name actors inside their text)."""
        name = self.actor_names.get(actor) or actor
        return "the " + name[4:] if name.startswith("The ") else name



def _shape_problem(raw: Any) -> str:
    """What is wrong with a condition that is not a mapping of one key, in words that say how to fix it."""
    expected = f"expected a condition: a mapping with one of the keys {', '.join(KINDS)}"
    if not isinstance(raw, dict) or not raw:
        return expected
    kinds = [k for k in raw if k in KINDS]
    others = [str(k) for k in raw if k not in KINDS]
    if len(kinds) == 1:
        return (f"a condition has one key, '{kinds[0]}', with its settings beneath it: "
                f"{', '.join(repr(k) for k in others)} should go under '{kinds[0]}' (see Conditions in docs/rulesets.md)")
    if len(kinds) > 1:
        return (f"{' and '.join(repr(k) for k in kinds)} are separate conditions: write each as its own list item "
                "(all items must hold)")
    return f"unknown condition '{others[0]}'{suggest(others[0], KINDS)}; " + expected


def compile_condition(r: Reader, raw: Any, path: PathKey, names: Names, actor: str | None) -> Condition | None:
    if not isinstance(raw, dict) or len(raw) != 1:
        r.problem(path, _shape_problem(raw))
        return None
    (kind, spec), = raw.items()
    sub = path + (kind,)
    if kind == "tension":
        lo, hi, text = _bounds(r, spec, sub)
        return Condition(lambda s: lo <= s.tension <= hi, f"tension {text}")
    if kind == "turn":
        lo, hi, text = _bounds(r, spec, sub)
        return Condition(lambda s: lo <= s.turn + 1 <= hi, f"turn {text}")
    if kind == "cohesion":
        lo, hi, text = _bounds(r, spec, sub, 0, 1)
        return Condition(lambda s: lo <= s.cohesion <= hi, f"{label('cohesion')} {text}")
    if kind in ("active", "not_active", "played", "not_played"):
        move = r.ref(spec, sub, names.moves, "move")
        if move is None:
            return None
        named = names.move(move)
        if kind == "active":
            return Condition(lambda s: s.is_active(move), f"{named} is in force")
        if kind == "not_active":
            return Condition(lambda s: not s.is_active(move), f"{named} is not in force")
        if actor is not None:
            # A move's precondition may only rely on what its actor knows: public plays and its own.
            own = f"{actor}/{move}"

            def known(s) -> bool:
                return move in s.last_played_public or own in s.last_played_by
        else:
            def known(s) -> bool:
                return move in s.last_played
        if kind == "played":
            # Said of the actor by name: the catalogue an instructor prints is read by others than the actor.
            by = f" (in public or by {names.actor(actor)})" if actor else ""
            return Condition(known, f"{named} has been played{by}")
        return Condition(lambda s: not known(s), f"{named} has not been played")
    if kind == "active_family":
        spec_m = r.mapping(spec, sub)
        lo, hi, _ = _bounds(r, spec_m, sub, also=("family", "actor"))
        family = r.choice(spec_m, "family", sub, sorted(names.families))
        who = r.ref(spec_m["actor"], sub + ("actor",), names.actors, "actor") if "actor" in spec_m else None
        counted = _how_many(lo, hi, f"{family.replace('_', '-')} move")
        return Condition(lambda s: lo <= s.count_active(family, who) <= hi,
                         f"{counted} in force{' by ' + names.actor(who) if who else ''}")
    if kind == "relation":
        spec_m = r.mapping(spec, sub)
        lo, hi, text = _bounds(r, spec_m, sub, -1, 1, also=("between",))
        pair = spec_m.get("between")
        if "between" not in spec_m:
            r.missing(spec_m, "between", sub)
            return None
        if not (isinstance(pair, list) and len(pair) == 2):
            r.problem(sub + ("between",), "expected a list of two actors")
            return None
        a = r.ref(pair[0], sub + ("between", 0), names.actors, "actor")
        b = r.ref(pair[1], sub + ("between", 1), names.actors, "actor")
        if a is not None and a == b:
            r.problem(sub + ("between",), f"expected two different actors, got '{a}' twice")
            return None
        if a is None or b is None:
            return None
        return Condition(lambda s: lo <= s.relation(a, b) <= hi,
                         f"relations {names.actor(a)}–{names.actor(b)} {text}")
    if kind == "pressure":
        spec_m = r.mapping(spec, sub)
        who = r.ref(spec_m["actor"], sub + ("actor",), names.governments, "government") if "actor" in spec_m else actor
        lo, hi, text = _bounds(r, spec_m, sub, 0, 1, also=("actor",))
        if who is None:
            if r.given(spec_m):
                r.problem(sub, "expected an actor: this condition is not attached to one")
            return None
        return Condition(lambda s: lo <= s.pressure.get(who, 0.0) <= hi,
                         f"domestic pressure on {names.actor(who)} {text}")
    if kind == "indicator":
        spec_m = r.mapping(spec, sub)
        lo, hi, text = _bounds(r, spec_m, sub, also=("name",))
        name = r.ref_key(spec_m, "name", sub, names.indicators, "indicator")
        if name is None:
            return None
        return Condition(lambda s: lo <= s.scalar(name) <= hi, f"{in_sentence(name)} {text}")
    if kind == "any":
        parts = compile_conditions(r, spec, sub, names, actor)
        tests = tuple(c.test for c in parts)

        def any_of(s) -> bool:
            for test in tests:      # a loop rather than any(generator): moves' conditions run every turn
                if test(s):
                    return True
            return False
        return Condition(any_of, "any of: " + "; ".join(c.text for c in parts))
    if kind == "not":
        inner = compile_condition(r, spec, sub, names, actor)
        if inner is None:
            return None
        return Condition(lambda s: not inner.test(s), f"not ({inner.text})")
    r.problem(path + (kind,), f"unknown condition '{kind}'{suggest(str(kind), KINDS)}; expected one of: {', '.join(KINDS)}")
    return None
