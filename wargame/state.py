"""The game state: plain data that round-trips through JSON exactly.

Everything that changes during a game lives here; everything that does not lives in the Ruleset.
"""

from __future__ import annotations

import copy
from collections.abc import Container
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .ruleset import Ruleset, pair_key


class _InForce:
    """Counts of the moves in force by move, by (move, actor) and by family (and actor), for GameState."""

    __slots__ = ("active", "size", "moves", "pairs", "families", "views", "_family_of")

    def __init__(self, active: list[dict], families: dict[str, str]):
        self.active = active                  # the list indexed, and its length then
        self.size = 0
        self.moves: dict[str, int] = {}
        self.pairs: dict[tuple[str, str], int] = {}
        self.families: dict[tuple[str | None, str | None], int] = {}   # (family, actor or None for all)
        self.views: dict = {}                 # see GameState.active_views
        self._family_of = families.get
        for a in active:
            self.add(a)

    def add(self, entry: dict) -> None:
        move, actor = entry["move"], entry["actor"]
        family = self._family_of(move)
        moves, pairs, families = self.moves, self.pairs, self.families
        moves[move] = moves.get(move, 0) + 1
        pairs[move, actor] = pairs.get((move, actor), 0) + 1
        families[family, None] = families.get((family, None), 0) + 1
        families[family, actor] = families.get((family, actor), 0) + 1
        self.size += 1
        if self.views:
            self.views = {}

    def remove(self, ended: list[dict], active: list[dict]) -> None:
        """`ended` have left the list, which is now `active`."""
        for entry in ended:
            move, actor = entry["move"], entry["actor"]
            family = self._family_of(move)
            _decrement(self.moves, move)
            _decrement(self.pairs, (move, actor))
            _decrement(self.families, (family, None))
            _decrement(self.families, (family, actor))
        self.active, self.size = active, len(active)
        self.views = {}


def _decrement(counts: dict, key) -> None:
    if counts[key] == 1:
        del counts[key]     # absent keys mean none in force, so `in` tests hold
    else:
        counts[key] -= 1


@dataclass
class GameState:
    turn: int = 0                                  # turns completed
    tension: float = 0.0
    cohesion: float = 0.0
    relations: dict[str, float] = field(default_factory=dict)
    pressure: dict[str, float] = field(default_factory=dict)
    capital: dict[str, float] = field(default_factory=dict)
    resolve: dict[str, float] = field(default_factory=dict)        # private to each government
    beliefs: dict[str, dict[str, list[float]]] = field(default_factory=dict)  # observer -> target -> [a, b]
    active: list[dict] = field(default_factory=list)               # {move, actor, since, until}
    last_played: dict[str, int] = field(default_factory=dict)      # move -> turn last played by anyone
    last_played_public: dict[str, int] = field(default_factory=dict)  # move -> turn last played in public
    last_played_by: dict[str, int] = field(default_factory=dict)   # "actor/move" -> turn
    uses: dict[str, int] = field(default_factory=dict)             # "actor/move" -> times played
    inventory: list[list[float]] = field(default_factory=list)     # node x commodity, tonnes
    pipeline: list[list[float]] = field(default_factory=list)      # lane -> in transit by turns to arrival
    on_order: list[list[float]] = field(default_factory=list)      # node x commodity, in transit to it
    flows: list[float] = field(default_factory=list)               # lane -> tonnes shipped last turn
    node_capacity: list[float] = field(default_factory=list)
    lane_capacity: list[float] = field(default_factory=list)
    substitution: list[list[float]] = field(default_factory=list)  # node x commodity, share of demand replaced
    price_inside: list[float] = field(default_factory=list)        # USD/kg by commodity
    price_outside: list[float] = field(default_factory=list)
    adaptation: list[float] = field(default_factory=list)         # by commodity: extra spot supply offered
    projects: list[dict] = field(default_factory=list)
    committed_capacity: float = 0.0
    japan_gdp_loss_jpy: float = 0.0
    japan_direct_loss_jpy: float = 0.0
    china_export_loss_usd: float = 0.0
    money_spent_musd: dict[str, float] = field(default_factory=dict)
    streaks: dict[str, int] = field(default_factory=dict)
    indicators: dict[str, Any] = field(default_factory=dict)       # the last turn's indicators
    outcome: str | None = None
    revealed: list[str] = field(default_factory=list)             # actors whose private facts are public
    chance: dict | None = None                                     # state of chance's random stream

    # -- the moves in force ---------------------------------------------------------------------------
    # `active` is plain data (saves hold it as it is). Conditions and policies query it many times a turn
    # through an index (_InForce), which is rebuilt whenever the list is replaced or its length changes:
    # code that changes the list replaces it or appends to it, never edits it in place. The engine itself
    # changes it through put_in_force and end_in_force, which keep the index current instead.
    def _index(self) -> "_InForce":
        active = self.active
        index = self._active_cache
        if index is None or index.active is not active or index.size != len(active):
            index = self._active_cache = _InForce(active, self._families)
        return index

    def put_in_force(self, entry: dict) -> None:
        """Append `entry` ({move, actor, since, until}) to the moves in force."""
        index = self._active_cache
        current = index is not None and index.active is self.active and index.size == len(self.active)
        self.active.append(entry)
        if current:
            index.add(entry)

    def end_in_force(self, ended: list[dict], keep: list[dict] | None = None) -> None:
        """Take `ended` (entries of `active`) out of force. The rest, `keep` if the caller has already
        split them off (in order), become a new list, as with any change."""
        if not ended:
            return
        index = self._active_cache
        current = index is not None and index.active is self.active and index.size == len(self.active)
        if keep is None:
            gone = {id(a) for a in ended}
            keep = [a for a in self.active if id(a) not in gone]
        consistent = len(keep) + len(ended) == len(self.active)
        self.active = keep
        if current and consistent:
            index.remove(ended, keep)

    def active_views(self) -> dict:
        """A memo for values derived from the moves in force (such as what each actor knows of them),
        emptied whenever those moves change. Keys should say who made them and from what."""
        return self._index().views

    def active_pairs(self) -> Container[tuple[str, str]]:
        """(move, actor) for every move in force."""
        return self._index().pairs

    def is_active(self, move: str, actor: str | None = None) -> bool:
        index = self._index()
        return move in index.moves if actor is None else (move, actor) in index.pairs

    def count_active(self, family: str, actor: str | None = None) -> int:
        return self._index().families.get((family, actor), 0)

    def relation(self, a: str, b: str) -> float:
        return self.relations.get(pair_key(a, b), 0.0)

    def shift_relation(self, a: str, b: str, by: float) -> None:
        key = pair_key(a, b)
        self.relations[key] = min(1.0, max(-1.0, self.relations.get(key, 0.0) + by))

    def scalar(self, name: str) -> float:
        if name == "tension":
            return self.tension
        if name == "cohesion":
            return self.cohesion
        if name == "turn":
            return float(self.turn)
        if name == "japan_gdp_loss_jpy":
            return self.japan_gdp_loss_jpy
        if name == "china_export_loss_usd":
            return self.china_export_loss_usd
        if name == "diversification_tpw":
            return self.committed_capacity
        return float(self.indicators.get(name, 0.0))

    # -- serialisation ------------------------------------------------------------------------------
    _families: dict[str, str] = field(default_factory=dict, repr=False, compare=False)
    _active_cache: _InForce | None = field(default=None, repr=False, compare=False)
    _chance_gen: np.random.Generator | None = field(default=None, repr=False, compare=False)

    @property
    def chance_rng(self) -> np.random.Generator:
        """Chance, as an explicit player: demand shocks and the like. Its state travels with the game state."""
        if self._chance_gen is None:
            if self.chance is None:
                # An unseeded stream would make the game unrepeatable without a word: refuse instead.
                raise ValueError("this game state has no seeded stream for chance; build states with "
                                 "initial_state(rules, rng) or load them from a save")
            gen = np.random.Generator(np.random.PCG64())
            gen.bit_generator.state = self.chance
            self._chance_gen = gen
        return self._chance_gen

    def to_dict(self) -> dict:
        if self._chance_gen is not None:
            self.chance = self._chance_gen.bit_generator.state
        d = {f.name: getattr(self, f.name) for f in fields(self) if not f.name.startswith("_")}
        return copy.deepcopy(d)

    @classmethod
    def from_dict(cls, data: dict, families: dict[str, str]) -> "GameState":
        known = {f.name for f in fields(cls) if not f.name.startswith("_")}
        state = cls(**{k: copy.deepcopy(v) for k, v in data.items() if k in known})
        state._families = families
        return state

    def copy(self) -> "GameState":
        return GameState.from_dict(self.to_dict(), self._families)


def initial_state(rules: Ruleset, rng: np.random.Generator) -> GameState:
    """The state at the start of turn 1. Each government's private resolve is drawn here."""
    net = rules.network
    C = len(net.commodities)
    pol = rules.politics
    st = GameState()
    st._families = {m.id: m.family for m in rules.moves.values()}
    st.tension = pol["tension_start"]
    st.cohesion = pol["cohesion_start"]
    st.relations = dict(pol["relations_start"])
    st.pressure = {g: pol["pressure_start"].get(g, 0.0) for g in rules.governments}
    st.capital = {a: spec.capital_start for a, spec in rules.actors.items()}
    st.money_spent_musd = {a: 0.0 for a in rules.actors}
    for gov in rules.governments:
        alpha, beta = rules.actors[gov].resolve
        st.resolve[gov] = float(rng.beta(alpha, beta))
    strength = pol["prior_strength"]
    for observer in rules.actors:
        st.beliefs[observer] = {}
        for target in rules.governments:
            if target == observer:
                continue
            alpha, beta = rules.actors[target].resolve
            mean = alpha / (alpha + beta)
            st.beliefs[observer][target] = [mean * strength, (1 - mean) * strength]
    for move, actor in rules.opening:
        duration = rules.moves[move].duration
        st.active.append({"move": move, "actor": actor, "since": 0, "until": None if duration is None else duration})
    st._chance_gen = rng.spawn(1)[0]
    st.inventory = [[n.inventory.get(c, 0.0) for c in range(C)] for n in net.nodes]
    st.pipeline = [[0.0] * lane.lead_time for lane in net.lanes]
    st.on_order = [[0.0] * C for _ in net.nodes]
    # Lanes start full, as in a supply chain that has been running for years.
    for i, lane in enumerate(net.lanes):
        if lane.lead_time and net.nodes[lane.src].kind != "stockpile" and not lane.spot:
            flow = lane.capacity * lane.approval
            st.pipeline[i] = [flow] * lane.lead_time
            st.on_order[lane.dst][lane.commodity] += flow * lane.lead_time
    # What the lanes carried "last turn": contracts in full; a stockpile ships only what a move releases.
    st.flows = [0.0 if lane.spot or net.nodes[lane.src].kind == "stockpile" else lane.capacity * lane.approval
                for lane in net.lanes]
    st.node_capacity = [n.capacity for n in net.nodes]
    st.lane_capacity = [lane.capacity for lane in net.lanes]
    st.substitution = [[0.0] * C for _ in net.nodes]
    st.price_inside = [rules.prices[c].inside if c in rules.prices else 0.0 for c in range(C)]
    st.adaptation = [0.0] * C
    st.price_outside = [rules.prices[c].outside if c in rules.prices else 0.0 for c in range(C)]
    return st
