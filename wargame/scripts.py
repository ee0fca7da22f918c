"""Move scripts: YAML files that pin some actors' moves on some turns.

    name: Full stop
    hold: all                 # or a list of actors: they hold whenever the script does not pin them
    turns:
      1: {beijing: [dual_use_export_ban, halt_licence_reviews]}
      2-4: {tokyo: hold}       # a range of turns; 'hold' or [] plays nothing

Actors a script does not pin play their normal policy, unless listed under `hold`.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

from .bundled import locate
from .errors import ScriptError
from .reader import Reader, suggest
from .ruleset import Ruleset
from .yamlio import Document, load_file, load_text

SCRIPT_KEYS = ("name", "description", "hold", "turns")


@dataclass(frozen=True)
class Script:
    name: str
    description: str
    file: str
    pinned: dict[int, dict[str, tuple[str, ...]]] = field(default_factory=dict)   # turn -> actor -> moves
    hold: frozenset[str] = frozenset()

    def moves_for(self, turn: int, actor: str) -> tuple[str, ...] | None:
        """The pinned moves, () to hold, or None to let the actor's policy decide."""
        turn_pins = self.pinned.get(turn)
        if turn_pins is not None and actor in turn_pins:
            return turn_pins[actor]
        if actor in self.hold:
            return ()
        return None

    def to_data(self) -> dict:
        return {"name": self.name, "description": self.description, "hold": sorted(self.hold),
                "turns": {str(t): {a: list(m) for a, m in pins.items()} for t, pins in sorted(self.pinned.items())}}


def load_script(path: str | Path, rules: Ruleset) -> Script:
    doc, problems = load_file(locate(path))
    return _read(doc, rules, problems)


def script_from_text(text: str, rules: Ruleset, file: str = "<script>") -> Script:
    doc, problems = load_text(text, file)
    return _read(doc, rules, problems)


def _turn_span(key) -> tuple[int, int] | None:
    """The first and last turn a key names ('3', '2-13'), or None if it does not read as turns."""
    text = str(key).strip()
    try:
        if "-" in text:
            lo, hi = (int(x) for x in text.split("-", 1))
        else:
            lo = hi = int(text)
    except ValueError:
        return None
    return lo, hi


def _turns(key: str, r: Reader, path, last: int) -> list[int]:
    span = _turn_span(key)
    if span is None:
        r.problem(path, f"expected a turn number or a range like 2-13, got '{key}'")
        return []
    lo, hi = span
    if lo < 1 or hi < lo:
        r.problem(path, f"expected turns from 1 upward with the range in order, got '{key}'")
        return []
    if hi > last:
        # No game of the ruleset reaches it (and a range to a huge turn would be held turn by turn).
        r.problem(path, f"expected turns from 1 to {last}, the longest game of the ruleset, got '{key}'")
        return []
    return list(range(lo, hi + 1))


def _read(doc: Document, rules: Ruleset, read_problems: list | tuple = ()) -> Script:
    if read_problems and (doc.data is None or doc.partial):
        raise ScriptError(read_problems)
    # What the YAML got wrong but could read past (a key given twice) is reported with the rest of the script.
    r = Reader(doc)
    r.problems += read_problems
    if doc.data == {}:
        # An empty file pins nothing: most likely a script not yet written, or saved empty by mistake.
        r.problem((), "the file holds no script; expected a mapping with 'turns' and optionally 'name', "
                      "'description', 'hold' (see Scripts in docs/rulesets.md)")
        raise ScriptError(r.problems)
    data = r.mapping(doc.data, (), "a script: a mapping with 'turns' and optionally 'name', 'description', 'hold'")
    stray = [k for k in data if k not in ("name", "description", "hold", "turns") and _turn_span(k) is not None]
    for key in stray:
        several = "-" in str(key)
        r.problem((key,), f"turn{'s' if several else ''} {key} {'are' if several else 'is'} outside 'turns:'; "
                          "put the turns under a 'turns:' key")
    r.keys({k: v for k, v in data.items() if k not in stray}, (), [], SCRIPT_KEYS)
    hold_raw = data.get("hold", [])
    if hold_raw == "all":
        hold = frozenset(rules.actor_ids)
    elif isinstance(hold_raw, str) and hold_raw not in rules.actor_ids:
        # One word that is neither 'all' nor an actor ('everyone'): say that 'all' is the word for every actor.
        r.problem(("hold",), f"expected 'all' or an actor (or a list of actors), got '{hold_raw}'"
                             f"{suggest(hold_raw, ['all', *rules.actor_ids])}")
        hold = frozenset()
    else:
        hold = frozenset(r.refs(data, "hold", (), rules.actor_ids, "actor"))
    pinned: dict[int, dict[str, tuple[str, ...]]] = {}
    for key, entry in r.mapping(data.get("turns", {}), ("turns",), "a mapping of turns to actors' moves").items():
        path = ("turns", key)
        turns = _turns(key, r, path, rules.longest_game)
        for actor, moves in r.mapping(entry, path, "a mapping of actors to moves").items():
            sub = path + (actor,)
            if r.ref(actor, sub, rules.actor_ids, "actor") is None:
                continue
            if moves == "hold" or moves is None:
                ids: tuple[str, ...] = ()
            else:
                items = moves if isinstance(moves, list) else [moves]
                own = [m.id for m in rules.moves_by_actor[actor]]
                ids = tuple(m for i, m in enumerate(items)
                            if r.ref(m, sub + (i,) if isinstance(moves, list) else sub, own, f"move of {actor}"))
            for t in turns:
                if actor in pinned.setdefault(t, {}):
                    r.problem(sub, f"turn {t} already pins moves for {actor}")
                pinned[t][actor] = ids
    name = r.text(data, "name", (), Path(doc.file).stem)
    description = r.text(data, "description", (), "")
    if r.problems:
        raise ScriptError(r.problems)
    return Script(name, description, doc.file, pinned, hold)


class ScriptedPolicy:
    """Plays the script's moves where it pins them, otherwise defers to `fallback`."""

    name = "scripted"

    def __init__(self, script: Script, actor: str, fallback):
        self.script = script
        self.actor = actor
        self.fallback = fallback

    def choose(self, observation, legal, rng):
        pinned = self.script.moves_for(observation.turn, self.actor)
        if pinned is None:
            return self.fallback.choose(observation, legal, rng)
        return list(pinned)
