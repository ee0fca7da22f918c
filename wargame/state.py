"""The game state: plain data that round-trips through JSON exactly.

Everything that changes during a game lives here; everything that does not lives in the Ruleset.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass, field, fields
from typing import Any

import numpy as np

from .ruleset import Ruleset


def pair_key(a: str, b: str) -> str:
    return "|".join(sorted((a, b)))


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

    # -- queries used by conditions and policies ----------------------------------------------------
    def _index(self) -> tuple:
        # Rebuilt only when the list of moves in force changes (a new list, or one that grew or shrank):
        # code that changes it replaces the list or appends to it, never edits it in place.
        active = self.active
        cached = self._active_cache
        if cached is None or cached[0] is not active or cached[4] != len(active):
            entries = [(a["move"], a["actor"]) for a in active]
            pairs = set(entries)
            moves = {move for move, _ in pairs}
            family_of = self._families.get
            families: dict[tuple[str, str | None], int] = {}
            for move, actor in entries:
                fam = family_of(move)
                families[fam, None] = families.get((fam, None), 0) + 1
                families[fam, actor] = families.get((fam, actor), 0) + 1
            cached = self._active_cache = (active, moves, pairs, families, len(active), {})
        return cached

    def active_views(self) -> dict:
        """A memo for values derived from the moves in force (such as what each actor knows of them),
        emptied whenever those moves change. Keys should say who made them and from what."""
        return self._index()[5]

    def active_pairs(self) -> set[tuple[str, str]]:
        """(move, actor) for every move in force."""
        return self._index()[2]

    def is_active(self, move: str, actor: str | None = None) -> bool:
        index = self._index()
        return move in index[1] if actor is None else (move, actor) in index[2]

    def count_active(self, family: str, actor: str | None = None) -> int:
        return self._index()[3].get((family, actor), 0)

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
    _active_cache: tuple | None = field(default=None, repr=False, compare=False)
    _chance_gen: np.random.Generator | None = field(default=None, repr=False, compare=False)

    @property
    def chance_rng(self) -> np.random.Generator:
        """Chance, as an explicit player: demand shocks and the like. Its state travels with the game state."""
        if self._chance_gen is None:
            gen = np.random.Generator(np.random.PCG64())
            if self.chance is not None:
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
    st.flows = [0.0 if lane.spot else lane.capacity * lane.approval for lane in net.lanes]
    st.node_capacity = [n.capacity for n in net.nodes]
    st.lane_capacity = [lane.capacity for lane in net.lanes]
    st.substitution = [[0.0] * C for _ in net.nodes]
    st.price_inside = [rules.prices[c].inside if c in rules.prices else 0.0 for c in range(C)]
    st.adaptation = [0.0] * C
    st.price_outside = [rules.prices[c].outside if c in rules.prices else 0.0 for c in range(C)]
    return st
