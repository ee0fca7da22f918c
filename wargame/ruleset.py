"""Rulesets: YAML files that hold the whole game as data, validated on load into typed, immutable objects.

`load_ruleset(path)` reads a file (following `extends:`), checks every section, and either returns a Ruleset
or raises RulesetError carrying one Problem per mistake, each naming file, YAML path and line.
"""

from __future__ import annotations

import datetime as dt
import difflib
import hashlib
import json
import math
import numbers
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property, lru_cache
from pathlib import Path
from typing import Any, NamedTuple

from .bundled import DEFAULT_RULESET, bundled_rulesets, extended_file, locate
from .conditions import Condition, Names, compile_conditions
from .effects import LARGEST_LOSS_JPY, TENSION_MAX, Effect, compile_effect
from .errors import RulesetError
from .figures import as_typed, musd_as_typed, per_turn, tension_text
from .network import MAX_HEADROOM, Network, read_network
from .reader import Reader, in_file_order, suggest
from .yamlio import (
    Document,
    PathKey,
    deep_merge,
    display_path,
    format_path,
    load_file,
    load_text,
)

FAMILIES = ("signalling", "coercion", "friend_shoring", "de_escalation", "firm")
POLICIES = ("utility", "random", "hold")
OBJECTIVES = ("japan_supply", "china_exports", "tension", "relations", "cohesion", "pressure", "cost",
              "diversification", "resolve", "own_output")
PRESSURE_DRIVERS = ("japan_output_gap", "china_export_loss", "tension", "cohesion")
INDICATORS = ("tension", "cohesion", "japan_supply_index", "japan_gdp_loss_jpy", "japan_gdp_loss_share", "china_export_loss_usd",
              "japan_import_share_china", "japan_heavy_share_china", "diversification_tpw", "turn")
REQUIRED_SECTIONS = ("ruleset", "calendar", "commodities", "countries", "nodes", "edges", "actors", "moves",
                     "politics", "market", "economy", "outcomes")
# The sections of named entries, which a ruleset that extends another may change or add to.
ENTRY_SECTIONS = ("commodities", "countries", "nodes", "edges", "actors", "moves", "outcomes", "injects")
TOP_KEYS = ("ruleset", "extends", "calendar", "commodities", "countries", "nodes", "edges", "actors", "moves",
            "politics", "market", "economy", "outcomes", "opening", "injects", "calibration")


@dataclass(frozen=True)
class ActorSpec:
    id: str
    name: str
    kind: str                      # government | firm
    country: str
    resolve: tuple[float, float] | None   # Beta(alpha, beta) for governments
    capital_start: float
    capital_per_turn: float
    capital_max: float
    moves_per_turn: int
    policy: str
    temperature: float
    objectives: dict[str, float]
    nodes: tuple[str, ...]
    description: str


@dataclass(frozen=True, eq=False)
class MoveSpec:
    id: str
    name: str
    actors: tuple[str, ...]
    family: str
    severity: float
    capital: float
    money_musd: float
    duration: int | None           # turns in force; 0 = one-off (the default); None = 'open', until cancelled
    visibility: str                # public | private
    requires: tuple[Condition, ...]      # as they read (for the first actor)
    cancels: tuple[str, ...]
    cooldown: int
    max_uses: int | None           # times each actor may play it in a game; None = no limit
    description: str
    source: str
    effects: dict[str, tuple[Effect, ...]]   # per actor (effects may name the actor's own nodes)
    requires_by: dict[str, tuple[Condition, ...]] = field(default_factory=dict)  # per actor: what it can know

    def conditions_for(self, actor: str) -> tuple[Condition, ...]:
        return self.requires_by.get(actor, self.requires)

    @property
    def public(self) -> bool:
        return self.visibility == "public"

    @property
    def lasting(self) -> str:
        """How long the move stays in force, as every front end words it: 'one-off', 'until cancelled',
        'for 1 turn', 'for 6 turns'."""
        if self.duration == 0:
            return "one-off"
        if self.duration is None:
            return "until cancelled"
        return f"for {self.duration} turn{'' if self.duration == 1 else 's'}"

    @property
    def cost_text(self) -> str:
        """What playing the move costs, as every front end words it: 'capital 3', 'capital 2, $10 m'."""
        return f"capital {self.capital:g}" + (f", {musd_as_typed(self.money_musd)}" if self.money_musd else "")

    @property
    def limits(self) -> tuple[str, ...]:
        """How often the move may be played, as every front end words it: 'once a game', '3 times a game',
        'not again for 2 turns after it is played'; none for a move with no limit."""
        out = []
        if self.max_uses is not None:
            out.append("once a game" if self.max_uses == 1 else f"{self.max_uses} times a game")
        if self.cooldown:
            out.append(f"not again for {self.cooldown:,} turn{'' if self.cooldown == 1 else 's'} after it is played")
        return tuple(out)

    def persistent(self, actor: str) -> tuple[Effect, ...]:
        return self._split[actor][0]

    def instant(self, actor: str) -> tuple[Effect, ...]:
        return self._split[actor][1]

    @cached_property
    def _split(self) -> dict[str, tuple[tuple[Effect, ...], tuple[Effect, ...]]]:
        return {a: (tuple(e for e in es if e.persistent), tuple(e for e in es if not e.persistent))
                for a, es in self.effects.items()}


class MoveCheck(NamedTuple):
    """What deciding whether an actor may play a move needs, flattened once per ruleset (see Ruleset.move_checks).
    moves.legal_moves applies the same tests as moves.why_illegal, which gives the reasons."""

    id: str
    capital: float
    in_force: tuple[str, str] | None   # (move, actor) for a lasting move, which cannot be replayed while in force
    key: str                           # 'actor/move', under which the state counts plays and uses
    cooldown: int
    max_uses: int | None
    tests: tuple                       # the actor's condition tests, each a callable(state) -> bool


@dataclass(frozen=True)
class Outcome:
    id: str
    label: str
    terminal: bool
    sustain: int
    when: tuple[Condition, ...]
    description: str


@dataclass(frozen=True)
class PriceSpec:
    inside: float
    outside: float
    elasticity: float
    glut: float
    smoothing: float


@dataclass(frozen=True)
class Inject:
    id: str
    name: str
    text: str
    effects: tuple[Effect, ...]


@dataclass(frozen=True, eq=False)  # hashed by identity: parsed once, shared
class Ruleset:
    id: str
    name: str
    description: str
    file: str
    digest: str
    raw: dict = field(repr=False, compare=False)
    start_date: dt.date = dt.date(2026, 1, 6)
    turn_days: int = 7
    max_turns: int = 52
    network: Network = field(default=None, repr=False)  # type: ignore[assignment]
    actors: dict[str, ActorSpec] = field(default_factory=dict, repr=False)
    moves: dict[str, MoveSpec] = field(default_factory=dict, repr=False)
    politics: dict[str, Any] = field(default_factory=dict, repr=False)
    prices: dict[int, PriceSpec] = field(default_factory=dict, repr=False)
    market: dict[str, float] = field(default_factory=dict, repr=False)
    economy: dict[str, float] = field(default_factory=dict, repr=False)
    outcomes: tuple[Outcome, ...] = ()
    injects: dict[str, Inject] = field(default_factory=dict, repr=False)
    opening: tuple[tuple[str, str], ...] = ()      # (move, actor) already in force when the game starts
    calibration: dict[str, Any] = field(default_factory=dict, repr=False)

    @cached_property
    def actor_ids(self) -> tuple[str, ...]:
        return tuple(self.actors)

    def unknown_actor(self, actor: str) -> str:
        """The words for an actor this ruleset does not have, with the nearest one it does."""
        return f"unknown actor '{actor}'{suggest(actor, self.actor_ids)}; expected one of: {', '.join(self.actor_ids)}"

    @cached_property
    def names(self) -> Names:
        """What conditions and effects written for this ruleset may refer to, and how players know it: for
        effects an instructor writes during a game, which name actors as the ruleset's own effects do."""
        return Names(frozenset(self.moves), frozenset(self.actors), frozenset(FAMILIES), frozenset(INDICATORS),
                     frozenset(self.governments), {m: spec.name for m, spec in self.moves.items()},
                     {a: spec.name for a, spec in self.actors.items()})

    def moves_text(self, moves: Iterable[str], none: str = "no move played") -> str:
        """Moves as players know them: their names in the order given, joined by semicolons (names hold commas),
        or `none` when there are none. An id this ruleset lacks is given as it is."""
        return "; ".join(self.moves[m].name if m in self.moves else m for m in moves) or none

    def outcome(self, outcome_id: str | None) -> Outcome | None:
        """The outcome of that id (as a game's state records it), or None for an unfinished game or an id this
        ruleset does not have."""
        return self._outcomes_by_id.get(outcome_id)

    def outcome_text(self, outcome_id: str | None, unfinished: str = "game not finished") -> str:
        """The outcome's label as the game announced it; an id this ruleset lacks is given as it is, and an
        unfinished game (no id) as `unfinished`."""
        outcome = self.outcome(outcome_id)
        return outcome.label if outcome else outcome_id or unfinished

    @cached_property
    def _outcomes_by_id(self) -> dict[str, Outcome]:
        return {o.id: o for o in self.outcomes}

    @cached_property
    def governments(self) -> tuple[str, ...]:
        return tuple(a for a, spec in self.actors.items() if spec.kind == "government")

    @cached_property
    def moves_by_actor(self) -> dict[str, tuple[MoveSpec, ...]]:
        return {a: tuple(m for m in self.moves.values() if a in m.actors) for a in self.actors}

    @cached_property
    def move_keys(self) -> dict[str, tuple[tuple[MoveSpec, str], ...]]:
        """Each actor's moves with the 'actor/move' key under which the state counts their use."""
        return {a: tuple((m, f"{a}/{m.id}") for m in moves) for a, moves in self.moves_by_actor.items()}

    @cached_property
    def move_checks(self) -> dict[str, tuple[MoveCheck, ...]]:
        """Each actor's moves in catalogue order, flattened for moves.legal_moves, which runs for every actor
        every turn: plain tuples spare it the attribute look-ups and method calls per move."""
        return {a: tuple(MoveCheck(m.id, m.capital, (m.id, a) if m.duration != 0 else None, key, m.cooldown,
                                   m.max_uses, tuple(c.test for c in m.conditions_for(a)))
                         for m, key in keyed)
                for a, keyed in self.move_keys.items()}

    @property
    def per_turn(self) -> tuple[str, str]:
        """What the ruleset's figures per turn are per, short and long ('wk', 'week' for a 7-day turn)."""
        return per_turn(self.turn_days)

    @property
    def turns_per_year(self) -> float:
        return 365.0 / self.turn_days

    @cached_property
    def longest_game(self) -> int:
        """The most turns a game of this ruleset can have: the engine's limit, or fewer if the calendar would run
        past the year 9999 first."""
        return min(MAX_TURNS, (dt.date.max - self.start_date).days // self.turn_days)

    def turn_limit_problem(self, turns: Any, first: int = 1) -> str | None:
        """What is wrong with `turns` as the number of turns to play from turn `first` ("expected ..., got ..."),
        or None if the game can play that many. Every front end asks this one question, each under its own name
        for the setting, so that a limit reads the same wherever it is met."""
        most = self.longest_game - first + 1
        whole = isinstance(turns, numbers.Integral) and not isinstance(turns, bool)
        if whole and 1 <= turns <= most:
            return None
        got = as_typed(int(turns)) if whole else repr(turns)
        problem = f"expected a whole number between 1 and {most}, got {got}"
        # Why the upper limit is what it is, where the engine's own limit on a game does not say it alone.
        if not whole or turns < 1:
            return problem
        if self.longest_game < MAX_TURNS:
            return f"{problem} (later turns would fall after the year 9999)"
        if first > 1:
            return f"{problem} (a game is at most {MAX_TURNS} turns, and this one plays on from turn {first})"
        return problem

    def date_of(self, turn: int) -> dt.date:
        """The calendar date on which turn `turn` (1-based) begins."""
        return self.start_date + dt.timedelta(days=self.turn_days * (turn - 1))

    def tension_text(self, tension: float) -> str:
        """Tension as shown beside its rung (see tension_text)."""
        return tension_text(tension, self.politics["ladder"])

    def ladder_rung(self, tension: float) -> str:
        rung = self.politics["ladder"][0][1]
        for level, name in self.politics["ladder"]:
            if tension >= level:
                rung = name
        return rung


@lru_cache(maxsize=1024)   # a handful of actors; asked for whenever a move shifts relations
def pair_key(a: str, b: str) -> str:
    """The key under which relations between two actors are kept, the same whichever is named first."""
    return "|".join(sorted((a, b)))


# -- loading ----------------------------------------------------------------------------------------

def _resolve_extends(doc: Document, seen: tuple[str, ...] = ()) -> tuple[Document, list]:
    data = doc.data
    if not isinstance(data, dict) or "extends" not in data:
        return doc, []
    parent_name = data["extends"]
    if not isinstance(parent_name, str):
        r = Reader(doc)
        r.problem(("extends",), "expected the file name of the ruleset this one extends")
        return doc, r.problems
    parent_path = extended_file(doc.file, parent_name)
    if str(parent_path) in seen:
        r = Reader(doc)
        r.problem(("extends",), f"rulesets extend each other in a loop through '{parent_name}'")
        return doc, r.problems
    if not parent_path.is_file():
        r = Reader(doc)
        r.problem(("extends",), f"no ruleset file '{parent_name}' to extend (looked for {display_path(parent_path)} "
                                f"and among the bundled rulesets: {', '.join(bundled_rulesets())})")
        return doc, r.problems
    parent, problems = load_file(parent_path)
    if problems:
        return doc, problems
    parent, problems = _resolve_extends(parent, seen + (str(Path(doc.file).resolve()),))
    if problems:
        return doc, problems
    marks = dict(parent.marks)
    override = {k: v for k, v in data.items() if k != "extends"}
    near, deleted = dict(parent.near), dict(parent.deleted)
    for section in ENTRY_SECTIONS:
        theirs, ours = (d.get(section) if isinstance(d, dict) else None for d in (parent.data, override))
        if isinstance(theirs, dict) and isinstance(ours, dict):
            for name, value in ours.items():
                close = difflib.get_close_matches(str(name), [str(k) for k in theirs], n=1, cutoff=0.6)
                if name not in theirs and close:
                    near[(section, name)] = (close[0], Path(parent.file).name)
                if value is None and name in theirs:
                    deleted[(section, name)] = doc.where((section, name))
    written = dict(parent.written)
    written.update((path, mark) for path, mark in doc.marks.items() if path and path[0] != "extends")
    merged = deep_merge(parent.data, override, marks, doc.marks)
    return Document(merged, doc.file, marks, near=near, deleted=deleted, written=written), []


def load_ruleset(path: str | Path | None = None) -> Ruleset:
    """Load and validate a ruleset file (None: the default, rulesets/rare_earths_2026.yaml). A file is parsed once
    per process until it changes on disk, and every game built from it shares the one Ruleset. Raises
    RulesetError listing every problem found."""
    path = locate(path) if path is not None else DEFAULT_RULESET
    return _cached_load(str(path.resolve()) if path.exists() else str(path), _mtime(path))


def _mtime(path: Path) -> float:
    try:
        return path.stat().st_mtime_ns
    except OSError:
        return 0


_CACHE: dict[tuple[str, float], Ruleset] = {}


def _cached_load(path: str, mtime: float) -> Ruleset:
    # Parse each ruleset once per process: Monte Carlo workers build thousands of games from one file.
    key = (path, mtime)
    if key not in _CACHE:
        doc, problems = load_file(path)
        _CACHE[key] = _build(doc, problems)
    return _CACHE[key]


def ruleset_from_text(text: str, file: str = "<ruleset>") -> Ruleset:
    """A ruleset from YAML text, validated like a file (`file` names it in problems; extends: is relative to it)."""
    doc, problems = load_text(text, file)
    return _build(doc, problems)


def ruleset_from_data(data: dict, file: str = "<ruleset>") -> Ruleset:
    """A ruleset from plain data (a parsed file, perhaps edited), validated like a file; problems carry no lines."""
    return _build(Document(data, file), [])


def _build(doc: Document, problems: list) -> Ruleset:
    if problems and (doc.data is None or doc.partial):
        raise RulesetError(problems)
    # What the YAML itself got wrong but could still read past (a key given twice) is reported with every
    # mistake in the rest of the file, not instead of them.
    read_problems = problems
    doc, problems = _resolve_extends(doc)
    if problems:
        raise RulesetError(read_problems + problems)
    r = Reader(doc)
    r.problems += read_problems
    if not doc.data and doc.data != []:
        # One line for a new or emptied file, not a missing key for every section.
        r.problem((), "the file holds no ruleset; expected a mapping with sections " + ", ".join(REQUIRED_SECTIONS)
                  + " (see docs/rulesets.md)")
        raise RulesetError(r.problems)
    if not isinstance(doc.data, dict):
        r.problem((), "expected a ruleset: a mapping with sections " + ", ".join(TOP_KEYS))
        raise RulesetError(r.problems)
    data = _without_nulls(doc.data)
    rs = _read(r, data)
    r.report_deleted_names()
    _check_magnitudes(r, data)
    if r.problems:
        raise RulesetError(in_file_order(r.problems, doc.file))
    return rs


def whole_number_paths(data: dict) -> frozenset[str]:
    """The dotted paths ('actors.beijing.moves_per_turn', 'opening.active.0.move') of every setting the ruleset
    `data` reads as a whole number, given or left at its default: a sweep checks its ranges against them."""
    if not isinstance(data, dict):
        return frozenset()
    r = Reader(Document(_without_nulls(data), "<ruleset>"))
    _read(r, r.doc.data)
    return frozenset(".".join(map(str, path)) for path in r.whole_numbers)


def _without_nulls(data: Any) -> Any:
    """The data with every null-valued key left out: `key: ~` means the key is not there, as it does (deleting
    the entry) in a ruleset that extends another, so a required key left empty is reported missing and an optional
    one takes its default."""
    if isinstance(data, dict):
        return {k: _without_nulls(v) for k, v in data.items() if v is not None}
    if isinstance(data, list):
        return [_without_nulls(v) for v in data]
    return data


# Beyond this size a ruleset's numbers overflow the game's arithmetic (prices times tonnes times exchange rates)
# into infinity; the largest real figure, Japan's GDP in yen, is about 6e14. Below the smallest, products of two
# of them (a yield times a capacity) vanish to 0 and are then divided by; the smallest real figure is about 1e-3.
LARGEST_NUMBER = 1e18
SMALLEST_NUMBER = 1e-12


def _check_magnitudes(r: Reader, data: dict) -> None:
    """Refuse numbers too large or too small for the game, wherever they are, unless their key is already
    reported."""
    reported = {p.path for p in r.problems}
    for key in data:
        if key not in ("ruleset", "calibration"):      # free-form: read as text, or checked where read
            for path, value in _numbers(data[key], (key,)):
                if format_path(path) in reported:
                    continue
                if abs(value) > LARGEST_NUMBER:
                    r.problem(path, f"expected a number between -{LARGEST_NUMBER:g} and {LARGEST_NUMBER:g}, got "
                                    f"{value:g} (larger numbers overflow the game's arithmetic)")
                elif 0 < abs(value) < SMALLEST_NUMBER:
                    r.problem(path, f"expected 0 or a number at least {SMALLEST_NUMBER:g} in size, got {value:g} "
                                    "(smaller numbers vanish in the game's arithmetic)")


def _numbers(data: Any, path: PathKey):
    """(path, number) for every finite number in the data."""
    if isinstance(data, dict):
        for k, v in data.items():
            yield from _numbers(v, path + (k,))
    elif isinstance(data, list):
        for i, v in enumerate(data):
            yield from _numbers(v, path + (i,))
    elif isinstance(data, (int, float)) and not isinstance(data, bool) and math.isfinite(data):
        yield path, data


def digest_of(data: Any) -> str:
    return hashlib.sha256(json.dumps(data, sort_keys=True, separators=(",", ":"), default=str).encode()).hexdigest()


def _read(r: Reader, data: dict) -> Ruleset:
    r.keys(data, (), REQUIRED_SECTIONS, ["extends", "opening", "injects", "calibration"])
    meta = r.mapping(data.get("ruleset"), ("ruleset",))
    r.keys(meta, ("ruleset",), ["id", "name"], ["description", "version", "sources"])
    cal = r.mapping(data.get("calendar"), ("calendar",))
    r.keys(cal, ("calendar",), ["start_date"], ["turn_days", "max_turns"])
    start, turn_days, max_turns = _read_calendar(r, cal)
    turns_per_year = 365.0 / max(turn_days, 1)

    net = read_network(r, data)
    _check_lead_times(r, net)
    economy = _read_economy(r, data.get("economy"))
    actors = r.each(data.get("actors"), ("actors",), lambda aid, raw, p: _actor(r, aid, raw, p, net), "actors")
    # Names a section that is not there, or not a mapping, would have given cannot be checked (see read_network).
    for section, kinds in (("actors", ("actor", "government")), ("moves", ("move",))):
        if not r.given(data.get(section)):
            r.unchecked.update(kinds)
    for n in net.nodes:
        if n.operator and r.ref(n.operator, ("nodes", n.id, "operator"), actors, "actor") is None:
            continue
        if n.operator and n.id not in actors[n.operator].nodes and not r.doubtful(("actors", n.operator, "nodes")):
            # 'own' in a firm's moves means its actor's nodes: a node it runs but does not list would be left out.
            r.problem(("nodes", n.id, "operator"), f"'{n.operator}' runs this node but actors.{n.operator}.nodes does "
                                                   "not list it; add it there, or change the operator")
    governments = frozenset(a for a, s in actors.items() if s.kind == "government")
    raw_moves = r.mapping(data.get("moves"), ("moves",), "a mapping of moves")
    indicator_names = frozenset(INDICATORS)
    move_names = {mid: raw["name"] for mid, raw in raw_moves.items()
                  if isinstance(raw, dict) and isinstance(raw.get("name"), str) and raw["name"].strip()}
    names = Names(frozenset(raw_moves), frozenset(actors), frozenset(FAMILIES), indicator_names, governments,
                  move_names, {aid: spec.name for aid, spec in actors.items() if spec.name})
    ctx = effect_context(actors, governments, turns_per_year, economy, names, _tension_max(data.get("politics")))
    moves = {}
    for mid, raw in raw_moves.items():
        p = ("moves", mid)
        # A move that is not a mapping is reported, and stands with nothing in it: what names it is not wrong too.
        moves[mid] = _move(r, mid, r.mapping(raw, p), p, net, actors, names, ctx)
    politics = _read_politics(r, data.get("politics"), actors, governments)
    prices, market = _read_market(r, data.get("market"), net)
    outcomes = _read_outcomes(r, data.get("outcomes"), names)
    injects = _read_injects(r, data.get("injects"), net, ctx)
    opening = _read_opening(r, data.get("opening"), moves)
    return Ruleset(
        id=r.text(meta, "id", ("ruleset",)), name=r.text(meta, "name", ("ruleset",)),
        description=str(meta.get("description", "")), file=r.doc.file, digest=digest_of(data), raw=data,
        start_date=start, turn_days=turn_days, max_turns=max_turns, network=net, actors=actors, moves=moves,
        politics=politics, prices=prices, market=market, economy=economy, outcomes=outcomes, injects=injects, opening=opening,
        calibration=_read_calibration(r, data.get("calibration")))


# A game's length, and every span of turns in it (lead times, durations, cooldowns), is at most this many turns:
# the engine keeps a slot a turn for goods in transit, and a front end offers to play to the limit.
MAX_TURNS = 1000


def _read_calendar(r: Reader, cal: dict) -> tuple[dt.date, int, int]:
    p = ("calendar",)
    start = dt.date(2026, 1, 6)
    if "start_date" in cal:
        try:
            start = dt.date.fromisoformat(str(cal["start_date"]))
        except ValueError:
            r.problem(p + ("start_date",), f"expected a date as YYYY-MM-DD, got '{cal['start_date']}'")
    turn_days = r.number(cal, "turn_days", p, 7, lo=1, hi=366, integer=True)
    max_turns = r.number(cal, "max_turns", p, 52, lo=1, hi=MAX_TURNS, integer=True)
    try:
        start + dt.timedelta(days=turn_days * max_turns)
    except OverflowError:
        # Every turn has a date; the last one must be in the calendar.
        r.problem(p + ("start_date",), f"the game's last turn ({max_turns} turns of {turn_days} days from "
                                       f"{start.isoformat()}) falls after the year 9999")
    return start, turn_days, max_turns


def _check_lead_times(r: Reader, net: Network) -> None:
    """Each turn of an edge's lead time holds a shipment in transit, so it is bounded like the game itself."""
    too_long = {lane.edge: lane.lead_time for lane in net.lanes if lane.lead_time > MAX_TURNS}
    for edge, lead_time in too_long.items():
        r.problem(("edges", edge, "lead_time"), f"expected a whole number between 0 and {MAX_TURNS}, got {as_typed(lead_time)}")


def _read_calibration(r: Reader, raw: Any) -> dict:
    """Free-form notes and reference values, except the one figure the game reads."""
    p = ("calibration",)
    cal = r.mapping(raw, p, "a mapping of calibration notes and reference values")
    if "china_export_value_usd_per_turn" in cal:
        # It divides China's lost export earnings into the china_export_loss pressure driver.
        r.number(cal, "china_export_value_usd_per_turn", p, None, lo=1,
                 what="a number of USD (China's normal rare-earth export earnings a turn)")
    return cal


def _actor(r: Reader, aid: str, raw: dict, p: PathKey, net: Network) -> ActorSpec:
    r.keys(raw, p, ["name", "kind", "country"],
           ["resolve", "capital", "moves_per_turn", "policy", "temperature", "objectives", "nodes", "description",
            "note", "source"])
    kind = r.choice(raw, "kind", p, ("government", "firm"))
    country = r.ref_key(raw, "country", p, net.countries, "country") or "?"
    resolve = None
    if "resolve" in raw:
        rv = r.mapping(raw["resolve"], p + ("resolve",), "a Beta distribution: alpha and beta")
        r.keys(rv, p + ("resolve",), ["alpha", "beta"], ["note"])
        resolve = (r.number(rv, "alpha", p + ("resolve",), None, lo=0.01), r.number(rv, "beta", p + ("resolve",), None,
                                                                                     lo=0.01))
    elif kind == "government" and "kind" in raw and not r.doubtful(p + ("kind",)):
        r.problem(p, "a government needs 'resolve' (alpha and beta of a Beta distribution)", about=("resolve",))
    cap = r.mapping(raw.get("capital", {}), p + ("capital",))
    r.keys(cap, p + ("capital",), optional=("start", "per_turn", "max"))
    objectives = r.amounts(raw, "objectives", p, OBJECTIVES, "objective", lo=None)
    capital_max = r.number(cap, "max", p + ("capital",), 20.0, lo=0)
    # An actor never holds more capital than its max; starting above it would break that from the first turn.
    capital_start = r.number(cap, "start", p + ("capital",), min(10.0, capital_max), lo=0)
    if capital_start > capital_max:
        r.problem(p + ("capital", "start"), f"expected at most capital.max ({capital_max:g}), got {capital_start:g}",
                  limit=p + ("capital", "max"))
    return ActorSpec(
        aid, r.text(raw, "name", p), kind, country, resolve,
        capital_start, r.number(cap, "per_turn", p + ("capital",), 2.0, lo=0), capital_max,
        r.number(raw, "moves_per_turn", p, 2, lo=0, integer=True), r.choice(raw, "policy", p, POLICIES, "utility"),
        r.number(raw, "temperature", p, 0.3, lo=0.001), objectives,
        r.refs(raw, "nodes", p, net.node_ids, "node"), str(raw.get("description", "")))


MOVE_KEYS = ("name", "actor", "family", "severity", "cost", "duration", "visibility", "requires", "cancels",
             "cooldown", "max_uses", "description", "note", "source", "effects")


def effect_context(actors: Iterable[str], governments: Iterable[str], turns_per_year: float, economy: dict,
                   names: Names, tension_max: float) -> dict:
    """What compiling an effect needs to know of its ruleset, and the bounds of its amounts: for the ruleset's own
    effects and for those an instructor writes during a game alike."""
    return {"actors": list(actors), "governments": sorted(governments), "turns_per_year": turns_per_year,
            "substitution_cap": economy.get("substitution_cap_per_year", 0.1), "names": names,
            "largest_loss_jpy": economy.get("japan_gdp_jpy_per_year", LARGEST_LOSS_JPY), "tension_max": tension_max}


def _tension_max(politics: Any) -> float:
    """politics.tension.max as given, for the effects read before politics is: a move may change tension by at most
    its whole range. What is wrong with it is said where politics is read."""
    tension = politics.get("tension") if isinstance(politics, dict) else None
    given = tension.get("max") if isinstance(tension, dict) else None
    ok = isinstance(given, (int, float)) and not isinstance(given, bool) and math.isfinite(given) and given >= 1
    return float(given) if ok else TENSION_MAX


def _move(r: Reader, mid: str, raw: dict, p: PathKey, net: Network, actors: dict, names: Names, ctx: dict) -> MoveSpec:
    r.keys(raw, p, ["name", "actor", "family", "severity", "effects"], [k for k in MOVE_KEYS if k not in
                                                                       ("name", "actor", "family", "severity", "effects")])
    who = r.refs(raw, "actor", p, actors, "actor")
    if raw.get("actor") == []:
        r.problem(p + ("actor",), "expected an actor, or a list of the actors who can play the move, got an empty list")
    family = r.choice(raw, "family", p, FAMILIES)
    severity = r.number(raw, "severity", p, 0.0, lo=-10, hi=10)
    cost = r.mapping(raw.get("cost", {}), p + ("cost",))
    r.keys(cost, p + ("cost",), optional=("capital", "money_musd"))
    duration: int | None = 0
    if raw.get("duration") == "open":
        duration = None
    elif "duration" in raw:
        duration = r.number(raw, "duration", p, 0, lo=0, integer=True,
                            what="a number of turns (0 for a one-off) or 'open' (in force until cancelled)")
    cancels = r.refs(raw, "cancels", p, names.moves, "move")
    effects: dict[str, tuple[Effect, ...]] = {}
    raw_effects = raw.get("effects")
    if not isinstance(raw_effects, list):
        if "effects" in raw:
            r.problem(p + ("effects",), "expected a list of effects (use [] for a move with no direct effect)")
        raw_effects = []
    for actor in who or ():
        own = actors[actor].nodes
        compiled = []
        for i, e in enumerate(raw_effects):
            e = _own_nodes(e, own)
            if e is None:
                if not r.doubtful(("actors", actor, "nodes")):
                    r.problem(p + ("effects", i), f"actor '{actor}' operates no nodes, so 'own' names nothing")
                continue
            eff = compile_effect(r, e, p + ("effects", i), net, ctx)
            if eff is not None:
                compiled.append(eff)
                if duration == 0 and eff.persistent and actor == who[0] and not r.doubtful(p + ("duration",)):
                    # It would shape no turn at all: a one-off move is over before the trade it would change.
                    r.problem(p + ("effects", i, "op"), f"'{e.get('op')}' acts only while its move is in force, and "
                                                        f"'{mid}' is a one-off: give the move a duration (turns) or "
                                                        "'open'")
        effects[actor] = tuple(compiled)
    # A move's conditions are about the actor that plays it; when its actors cannot be read (and that is said), they
    # are checked as for an actor not named, so that they are not also said to lack one.
    requires = compile_conditions(r, raw.get("requires"), p + ("requires",), names, who[0] if who else "?")
    # Conditions about what an actor knows (its own plays) are compiled for each actor that can play the move.
    requires_by = {a: compile_conditions(Reader(r.doc), raw.get("requires"), p + ("requires",), names, a)
                   for a in who[1:]}
    requires_by.update({who[0]: requires} if who else {})
    return MoveSpec(mid, r.text(raw, "name", p), who, family, severity,
                    r.number(cost, "capital", p + ("cost",), 0.0, lo=0),
                    r.number(cost, "money_musd", p + ("cost",), 0.0, lo=0), duration,
                    r.choice(raw, "visibility", p, ("public", "private"), "public"), requires, cancels,
                    r.number(raw, "cooldown", p, 0, lo=0, integer=True),
                    r.number(raw, "max_uses", p, 0, lo=1, integer=True) if "max_uses" in raw else None,
                    str(raw.get("description", "")).strip(),
                    str(raw.get("source", "")).strip(), effects, requires_by)


def _own_nodes(effect: Any, own: tuple[str, ...]) -> Any:
    """Replace the word 'own' (in nodes, match.to or match.from) by the acting firm's nodes."""
    if not isinstance(effect, dict):
        return effect
    uses_own = effect.get("nodes") == "own" or (isinstance(effect.get("match"), dict)
                                                and "own" in (effect["match"].get("to"), effect["match"].get("from")))
    if not uses_own:
        return effect
    if not own:
        return None
    out = dict(effect)
    if out.get("nodes") == "own":
        out["nodes"] = list(own)
    if isinstance(out.get("match"), dict):
        out["match"] = {k: (list(own) if v == "own" and k in ("to", "from") else v) for k, v in out["match"].items()}
    return out


def _read_politics(r: Reader, raw: Any, actors: dict, governments: frozenset) -> dict:
    p = ("politics",)
    m = r.mapping(raw, p)
    r.keys(m, p, ["tension", "ladder"], ["relations", "pressure", "cohesion", "beliefs"])
    t = r.mapping(m.get("tension"), p + ("tension",))
    r.keys(t, p + ("tension",), ["start"], ["max", "per_severity", "decay", "baseline"])
    tmax = r.number(t, "max", p + ("tension",), 10.0, lo=1)
    out: dict[str, Any] = {
        "tension_start": r.number(t, "start", p + ("tension",), None, lo=0, hi=tmax, limit=p + ("tension", "max")),
        "tension_max": tmax,
        "per_severity": r.number(t, "per_severity", p + ("tension",), 0.3, lo=0),
        "tension_decay": r.number(t, "decay", p + ("tension",), 0.05, lo=0, hi=1),
        "tension_baseline": r.number(t, "baseline", p + ("tension",), 1.0, lo=0, hi=tmax),
    }
    ladder = r.mapping(m.get("ladder"), p + ("ladder",), "a mapping of tension levels to rung names")
    rungs = []
    for level, name in ladder.items():
        try:
            lv = float(level)
        except ValueError:
            lv = math.nan
        if not math.isfinite(lv):
            r.problem(p + ("ladder", level), f"expected a tension level (a number), got '{level}'")
            continue
        if isinstance(name, (dict, list, bool)):
            r.problem(p + ("ladder", level), "expected the name of the rung")
            continue
        rungs.append((lv, str(name)))
    if not rungs and r.given(ladder):
        r.problem(p + ("ladder",), "expected at least one rung")
    out["ladder"] = tuple(sorted(rungs)) or ((0.0, "Normal"),)
    rel = r.mapping(m.get("relations", {}), p + ("relations",))
    r.keys(rel, p + ("relations",), optional=("start", "drift"))
    starts = {}
    for pair, value in r.mapping(rel.get("start", {}), p + ("relations", "start")).items():
        bits = str(pair).split("-")
        sub = p + ("relations", "start", pair)
        if len(bits) != 2:
            r.problem(sub, "expected a pair of actors written as 'a-b'")
            continue
        a = r.ref(bits[0], sub, actors, "actor")
        b = r.ref(bits[1], sub, actors, "actor")
        v = r.number_value(value, sub, 0.0, lo=-1, hi=1)
        if a and a == b:
            r.problem(sub, f"expected a pair of two different actors, got '{a}' twice")
        elif a and b:
            starts[pair_key(a, b)] = v
    out["relations_start"] = starts
    out["relations_drift"] = r.number(rel, "drift", p + ("relations",), 0.02, lo=0, hi=1)
    pr = r.mapping(m.get("pressure", {}), p + ("pressure",))
    r.keys(pr, p + ("pressure",), optional=("start", "decay", "drivers"))
    out["pressure_start"] = r.amounts(pr, "start", p + ("pressure",), governments, "government", hi=1)
    out["pressure_decay"] = r.number(pr, "decay", p + ("pressure",), 0.1, lo=0, hi=1)
    drivers = {}
    raw_drivers = r.mapping(pr.get("drivers", {}), p + ("pressure", "drivers"))
    for gov in raw_drivers:
        if r.ref(gov, p + ("pressure", "drivers", gov), governments, "government"):
            drivers[gov] = r.amounts(raw_drivers, gov, p + ("pressure", "drivers"), PRESSURE_DRIVERS, "pressure driver",
                                     lo=None)
    out["pressure_drivers"] = drivers
    co = r.mapping(m.get("cohesion", {}), p + ("cohesion",))
    r.keys(co, p + ("cohesion",), optional=("start", "drift"))
    out["cohesion_start"] = r.number(co, "start", p + ("cohesion",), 0.6, lo=0, hi=1)
    out["cohesion_drift"] = r.number(co, "drift", p + ("cohesion",), 0.02, lo=0, hi=1)
    be = r.mapping(m.get("beliefs", {}), p + ("beliefs",))
    r.keys(be, p + ("beliefs",), optional=("signal_weight", "cost_weight", "prior_strength"))
    out["signal_weight"] = r.number(be, "signal_weight", p + ("beliefs",), 0.5, lo=0)
    out["cost_weight"] = r.number(be, "cost_weight", p + ("beliefs",), 0.2, lo=0)
    out["prior_strength"] = r.number(be, "prior_strength", p + ("beliefs",), 4.0, lo=0.1)
    return out


def _read_market(r: Reader, raw: Any, net: Network) -> tuple[dict[int, PriceSpec], dict]:
    p = ("market",)
    m = r.mapping(raw, p)
    r.keys(m, p, ["prices"], ["headroom_response", "max_headroom", "adaptation_speed"])
    prices = {}
    for cid, spec in r.mapping(m.get("prices"), p + ("prices",)).items():
        sub = p + ("prices", cid)
        if r.ref(cid, sub, net.commodity_ids, "commodity") is None:
            continue
        s = r.mapping(spec, sub)
        r.keys(s, sub, ["inside", "outside"], ["elasticity", "glut", "smoothing", "unit", "source", "note"])
        outside = r.number(s, "outside", sub, None, lo=0)
        if outside == 0 and "outside" in s:
            # Sellers abroad answer to the price as a multiple of this one.
            r.problem(sub + ("outside",), "expected a price above 0: supply outside China answers to the price as "
                                          "a multiple of this normal one")
        prices[net.commodity_index[cid]] = PriceSpec(
            r.number(s, "inside", sub, None, lo=0), outside or 1.0,
            r.number(s, "elasticity", sub, 1.0, lo=0), r.number(s, "glut", sub, 0.2, lo=0),
            r.number(s, "smoothing", sub, 0.3, lo=0, hi=1))
    market = {"headroom_response": r.number(m, "headroom_response", p, 0.3, lo=0),
              "max_headroom": r.number(m, "max_headroom", p, 1.0, lo=0, hi=MAX_HEADROOM, share=True,
                                        what="a share of a lane's capacity"),
              "adaptation_speed": r.number(m, "adaptation_speed", p, 0.1, lo=0, hi=1)}
    return prices, market


def _read_economy(r: Reader, raw: Any) -> dict:
    p = ("economy",)
    m = r.mapping(raw, p)
    r.keys(m, p, ["jpy_per_usd", "japan_gdp_jpy_per_year"],
           ["substitution_cap_per_year", "shortage_convexity", "demand_noise", "notes"])
    return {
        "jpy_per_usd": r.number(m, "jpy_per_usd", p, 150.0, lo=1),
        "japan_gdp_jpy_per_year": r.number(m, "japan_gdp_jpy_per_year", p, 6.0e14, lo=1),
        "substitution_cap_per_year": r.number(m, "substitution_cap_per_year", p, 0.10, lo=0, hi=1),
        "shortage_convexity": r.number(m, "shortage_convexity", p, 1.0, lo=1, hi=4),
        "demand_noise": r.number(m, "demand_noise", p, 0.0, lo=0, hi=0.5, share=True),
    }


def _read_outcomes(r: Reader, raw: Any, names: Names) -> tuple[Outcome, ...]:
    p = ("outcomes",)
    out = []
    m = r.mapping(raw, p, "a mapping of outcomes")
    for oid, spec in m.items():
        sub = p + (oid,)
        s = r.mapping(spec, sub)
        r.keys(s, sub, ["label"], ["terminal", "sustain", "when", "description", "note", "source"])
        out.append(Outcome(oid, r.text(s, "label", sub), r.boolean(s, "terminal", sub, False),
                           r.number(s, "sustain", sub, 1, lo=1, integer=True),
                           compile_conditions(r, s.get("when"), sub + ("when",), names, None),
                           str(s.get("description", ""))))
    if m and not any(not o.terminal and not o.when for o in out):
        r.problem(p, "expected a fallback outcome: one with terminal: false and no 'when' conditions")
    return tuple(out)


def _read_opening(r: Reader, raw: Any, moves: dict[str, MoveSpec]) -> tuple[tuple[str, str], ...]:
    p = ("opening",)
    m = r.mapping(raw or {}, p)
    r.keys(m, p, optional=("active", "note"))
    out = []
    items = m.get("active", [])
    if not isinstance(items, list):
        r.problem(p + ("active",), "expected a list of {move, actor} in force at the start")
        return ()
    for i, item in enumerate(items):
        sub = p + ("active", i)
        entry = r.mapping(item, sub)
        r.keys(entry, sub, ["move", "actor"])
        move = r.ref_key(entry, "move", sub, moves, "move")
        if move is None or r.doubtful(("moves", move, "actor")):
            continue
        actor = r.ref_key(entry, "actor", sub, moves[move].actors, f"actor of '{move}'")
        if actor is not None:
            out.append((move, actor))
    return tuple(out)


def _read_injects(r: Reader, raw: Any, net: Network, ctx: dict) -> dict[str, Inject]:
    p = ("injects",)
    out = {}
    for iid, spec in r.mapping(raw or {}, p).items():
        sub = p + (iid,)
        s = r.mapping(spec, sub)
        r.keys(s, sub, ["name", "text"], ["effects", "note", "source"])
        raw_effects = s.get("effects") or []
        if not isinstance(raw_effects, list):
            r.problem(sub + ("effects",), "expected a list of effects (use [] for an inject with no effect)")
            raw_effects = []
        compiled = (compile_effect(r, raw_e, sub + ("effects", i), net, ctx)
                    for i, raw_e in enumerate(raw_effects))
        effects = tuple(e for e in compiled if e is not None)
        out[iid] = Inject(iid, r.text(s, "name", sub), r.text(s, "text", sub), effects)
    return out
