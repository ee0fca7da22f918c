"""Declarative effect operations: the only things a move can do to the world.

A move's `effects` list names operations from OPERATIONS with their parameters. Each is compiled once into
a small frozen object. Persistent effects shape the turn's Modifiers while their move is in force; instant
effects change the state once, when the move is adjudicated. Ruleset text is never evaluated as code.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, fields
from typing import TYPE_CHECKING, Any

from .figures import dollars, yen
from .indicators import NAMES
from .network import MAX_HEADROOM
from .reader import Reader, suggest
from .yamlio import PathKey

if TYPE_CHECKING:
    from .conditions import Names
    from .network import Network
    from .state import GameState


@dataclass
class Modifiers:
    """What the moves in force (and the instructor's injects) do to this turn's trade and economy.

    moves.modifiers keeps what the moves in force combine to until they change, and hands each turn a copy.
    """

    lane_factor: list[float]
    lane_priority: list[float]
    lane_headroom: list[float]
    release: dict[tuple[int, int], float] = field(default_factory=dict)   # (node, commodity) -> t/turn
    ration: dict[int, float] = field(default_factory=dict)                # node -> share of normal use
    draw_reserve: set[int] = field(default_factory=set)
    substitution: dict[tuple[int, int], float] = field(default_factory=dict)  # (node, commodity) -> share/turn
    price_floor: dict[int, float] = field(default_factory=dict)           # commodity -> USD/kg outside China
    direct_loss_jpy: dict[str, float] = field(default_factory=dict)       # country -> yen/turn
    demand: dict[int, float] = field(default_factory=dict)                # node -> this turn's demand multiplier

    def copy(self) -> "Modifiers":
        """A copy sharing no list, dict or set with this one (every field is one)."""
        return Modifiers(*[getattr(self, name).copy() for name in _MODIFIER_FIELDS])


_MODIFIER_FIELDS = tuple(f.name for f in fields(Modifiers))


@dataclass(frozen=True)
class Effect:
    """Base: an effect knows whether it persists, how to describe itself and how to act.

    `strength` scales what an effect does (1 is the effect as the ruleset states it); the engine and the
    instructor pass 1.0.
    """

    persistent = True

    def describe(self) -> str:  # pragma: no cover - each operation overrides
        raise NotImplementedError

    def modify(self, mods: Modifiers, strength: float) -> None:
        """Persistent effects: shape this turn's modifiers."""

    def apply(self, state: "GameState", actor: str | None, strength: float) -> list[str]:
        """Instant effects: change the state once; return sentences for the adjudication log. `actor` is the
        mover, or None for an instructor's inject."""
        return []


# -- lane effects ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ScaleFlow(Effect):
    lanes: tuple[int, ...]
    factor: float
    label: str

    def describe(self) -> str:
        if self.factor == 0:
            return f"stops {self.label}"
        return f"scales {self.label} to {self.factor:.0%} of normal"

    def modify(self, mods: Modifiers, strength: float) -> None:
        f = 1.0 - (1.0 - self.factor) * strength
        factor = mods.lane_factor
        for lane in self.lanes:
            factor[lane] *= f


@dataclass(frozen=True)
class SetPriority(Effect):
    lanes: tuple[int, ...]
    priority: float
    label: str

    def describe(self) -> str:
        return f"moves {self.label} to priority {self.priority:g} (lower is served first)"

    def modify(self, mods: Modifiers, strength: float) -> None:
        priority, p = mods.lane_priority, self.priority
        for lane in self.lanes:
            priority[lane] = min(priority[lane], p)


@dataclass(frozen=True)
class SpotBuying(Effect):
    lanes: tuple[int, ...]
    headroom: float
    label: str

    def describe(self) -> str:
        return f"lets {self.label} carry up to {self.headroom:.0%} more when supply allows"

    def modify(self, mods: Modifiers, strength: float) -> None:
        headroom, extra = mods.lane_headroom, self.headroom * strength
        for lane in self.lanes:
            headroom[lane] += extra


# -- node effects ---------------------------------------------------------------------------------

@dataclass(frozen=True)
class ReleaseStockpile(Effect):
    node: int
    node_name: str
    rate: tuple[tuple[int, float], ...]
    commodity_names: tuple[str, ...]

    def describe(self) -> str:
        parts = ", ".join(f"{amount:g} t {name}" for (_, amount), name in zip(self.rate, self.commodity_names))
        return f"releases up to {parts} a turn from {self.node_name}"

    def modify(self, mods: Modifiers, strength: float) -> None:
        for c, amount in self.rate:
            key = (self.node, c)
            mods.release[key] = mods.release.get(key, 0.0) + amount * strength


@dataclass(frozen=True)
class Ration(Effect):
    nodes: tuple[int, ...]
    factor: float
    label: str

    def describe(self) -> str:
        return f"cuts use of inputs at {self.label} to {self.factor:.0%}, stretching stocks at the price of output"

    def modify(self, mods: Modifiers, strength: float) -> None:
        f = 1.0 - (1.0 - self.factor) * strength
        for n in self.nodes:
            mods.ration[n] = min(mods.ration.get(n, 1.0), f)


@dataclass(frozen=True)
class DrawReserve(Effect):
    nodes: tuple[int, ...]
    label: str

    def describe(self) -> str:
        return f"lets {self.label} draw down the safety stocks normally kept in reserve"

    def modify(self, mods: Modifiers, strength: float) -> None:
        mods.draw_reserve.update(self.nodes)


@dataclass(frozen=True)
class Substitute(Effect):
    nodes: tuple[int, ...]
    commodities: tuple[int, ...]
    per_year: float
    label: str
    turns_per_year: float

    def describe(self) -> str:
        return f"substitutes away from {self.label} at {self.per_year:.0%} of demand a year"

    def modify(self, mods: Modifiers, strength: float) -> None:
        step = self.per_year / self.turns_per_year * strength
        substitution = mods.substitution
        for n in self.nodes:
            for c in self.commodities:
                substitution[n, c] = substitution.get((n, c), 0.0) + step


@dataclass(frozen=True)
class PriceFloor(Effect):
    commodity: int
    commodity_name: str
    usd_per_kg: float

    def describe(self) -> str:
        return (f"guarantees {self.commodity_name} sellers outside China at least {dollars(self.usd_per_kg)}/kg, "
                "so they offer more on the spot market")

    def modify(self, mods: Modifiers, strength: float) -> None:
        mods.price_floor[self.commodity] = max(mods.price_floor.get(self.commodity, 0.0), self.usd_per_kg)


@dataclass(frozen=True)
class DirectLoss(Effect):
    country: str
    jpy_per_turn: float
    country_name: str = ""

    def describe(self) -> str:
        return (f"costs {self.country_name or self.country} {yen(self.jpy_per_turn)} a turn "
                "in lost trade and tourism")

    def modify(self, mods: Modifiers, strength: float) -> None:
        mods.direct_loss_jpy[self.country] = mods.direct_loss_jpy.get(self.country, 0.0) + self.jpy_per_turn * strength


# -- instant effects ------------------------------------------------------------------------------

@dataclass(frozen=True)
class CapacityProject(Effect):
    persistent = False
    node: int | None
    lane: int | None
    what: str               # the capacity as players know it: "capacity at NODE", "COMMODITY capacity on FROM → TO"
    amount: float
    lead_time: int

    def describe(self) -> str:
        return (f"adds {self.amount:g} t a turn of {self.what} "
                f"after a lead time of {self.lead_time} turns")

    def in_play_from(self, played: int) -> int:
        """The first turn that has the capacity, when the move is played on turn `played`: the capacity comes on
        line between turns, so a lead time of 0 brings it for the next turn, as a lead time of 1 does."""
        return played + max(self.lead_time, 1)

    def timing(self, last_turn: int) -> str:
        """Whether the capacity comes in play in a game of `last_turn` turns: a lead time as long as the game
        puts it after the end, whenever the move is played."""
        latest = last_turn - (self.in_play_from(1) - 1)
        if latest < 1:
            return f"arrives after a {last_turn}-turn game has ended, whenever it is played"
        return f"in a {last_turn}-turn game, arrives in play only if played by turn {latest}"

    def apply(self, state: "GameState", actor: str | None, strength: float) -> list[str]:
        amount = self.amount * strength
        state.projects.append({"arrives": state.turn + 1 + self.lead_time, "node": self.node, "lane": self.lane,
                               "amount": amount, "by": actor})
        state.committed_capacity += amount
        return [f"new {self.what}: +{amount:g} t/turn from turn "
                f"{self.in_play_from(state.turn + 1)}"]


# The words of CapacityProject.apply's event, for a log that says when the turn it names falls after the game
# (saves made before capacity was named as players know it say "capacity project at ID").
_PROJECT_STARTED = re.compile(r"(?:new|capacity project at) .+: \+\S+ t/turn from turn (\d+)")


def project_arrival(text: str) -> int | None:
    """The turn from which the capacity project an event's text announces adds capacity; None for other text."""
    found = _PROJECT_STARTED.fullmatch(text)
    return int(found.group(1)) if found else None


ADJUSTABLE = ("tension", "cohesion", "relation", "pressure")


@dataclass(frozen=True)
class Adjust(Effect):
    persistent = False
    var: str
    by: float
    a: str | None = None
    b: str | None = None
    names: "Names | None" = field(default=None, compare=False)   # how players know the actors a and b

    def describe(self) -> str:
        sign = "+" if self.by >= 0 else ""
        a, b = (self.names.actor(x) if self.names and x else x for x in (self.a, self.b))
        if self.var == "relation":
            return f"relations {a}–{b} {sign}{self.by:g}"
        if self.var == "pressure":
            return f"domestic pressure on {a} {sign}{self.by:g}"
        name = NAMES.get(self.var)
        return f"{(name.sentence or name.label) if name else self.var} {sign}{self.by:g}"

    def apply(self, state: "GameState", actor: str | None, strength: float) -> list[str]:
        by = self.by * strength
        if self.var == "tension":
            state.tension += by
        elif self.var == "cohesion":
            state.cohesion = min(1.0, max(0.0, state.cohesion + by))
        elif self.var == "relation":
            state.shift_relation(self.a, self.b, by)
        elif self.var == "pressure":
            state.pressure[self.a] = min(1.0, max(0.0, state.pressure.get(self.a, 0.0) + by))
        return []


# -- parsing --------------------------------------------------------------------------------------

# The range of each amount an effect may give, whether a ruleset's or one an instructor types for an ad hoc event:
# far beyond it a number is a slip of the keyboard, and it would swamp the game (a tension of 1e308, a loss larger
# than any economy). Where the ruleset says what is sensible the context (ctx) carries it; these stand in otherwise.
TENSION_MAX = 10.0              # politics.tension.max when a ruleset leaves it out
LONGEST_LEAD_TIME = 1000        # a game's longest, in turns (ruleset.MAX_TURNS)
# A loss a turn of more than a whole year of the largest economy a ruleset could model (Japan's is ¥6.05e14).
LARGEST_LOSS_JPY = 1e15
# Ten times the dearest rare earth (terbium, about $1,000-3,000/kg).
LARGEST_PRICE_USD_PER_KG = 1e5
# A capacity project adds at most this many times the largest capacity already in the trade graph.
CAPACITY_GROWTH = 10


def _largest_capacity(net: "Network") -> float | None:
    """The largest capacity in the trade graph; None for one without any (its nodes could not be read)."""
    return max([n.capacity for n in net.nodes if n.capacity] + [lane.capacity for lane in net.lanes], default=None)


MATCH_KEYS = ("edges", "from", "to", "from_country", "to_country", "commodity", "tags", "exclude_tags")


def _match_lanes(r: Reader, raw: Any, path: PathKey, net: "Network") -> tuple[tuple[int, ...], str]:
    m = r.mapping(raw, path, f"an edge match (a mapping with any of {', '.join(MATCH_KEYS)})")
    r.keys(m, path, optional=MATCH_KEYS)
    edges = r.refs(m, "edges", path, net.edge_ids, "edge")
    src = r.refs(m, "from", path, net.node_ids, "node")
    dst = r.refs(m, "to", path, net.node_ids, "node")
    src_c = r.refs(m, "from_country", path, net.countries, "country")
    dst_c = r.refs(m, "to_country", path, net.countries, "country")
    comm = r.refs(m, "commodity", path, net.commodity_ids, "commodity")
    tags = r.refs(m, "tags", path, net.tags, "edge tag")
    no_tags = r.refs(m, "exclude_tags", path, net.tags, "edge tag")
    lanes = []
    for i, lane in enumerate(net.lanes):
        if edges and lane.edge not in edges:
            continue
        if src and lane.src_name not in src or dst and lane.dst_name not in dst:
            continue
        if src_c and lane.src_country not in src_c or dst_c and lane.dst_country not in dst_c:
            continue
        if comm and lane.commodity_name not in comm:
            continue
        if tags and not set(tags) & lane.tags or no_tags and set(no_tags) & lane.tags:
            continue
        lanes.append(i)
    if m and not lanes and not r.problems:
        r.problem(path, "matches no edge of the trade graph")
    # A lane matches if it has any of the listed values of a key, so the words list them with "or".
    bits = []
    if comm:
        bits.append(_either(_commodity_names(net, comm)))
    bits.append("flows")
    if src_c or src:
        bits.append("from " + _either(_country_names(net, src_c) + _node_names(net, src)))
    if dst_c or dst:
        bits.append("to " + _either(_country_names(net, dst_c) + _node_names(net, dst)))
    if edges:
        bits.append("on " + _either([_edge_words(net, e) for e in edges]))
    if tags:
        # Tags are one word in the file ('dual_use'); players read them as words ('dual-use').
        bits.append(f"tagged {_either([t.replace('_', '-') for t in tags])}")
    return tuple(lanes), " ".join(bits)


# Effects are described to players, so they name nodes, countries and commodities as the ruleset names them
# (a commodity by its short label), never by the ids the ruleset file refers to them with.

def _node_names(net: "Network", ids: Iterable[str]) -> list[str]:
    return [net.nodes[net.node_index[n]].name if n in net.node_index else n for n in ids]


def _country_names(net: "Network", ids: Iterable[str]) -> list[str]:
    return [net.country_info[c].name if c in net.country_info else c for c in ids]


def _commodity_names(net: "Network", ids: Iterable[str]) -> list[str]:
    return [net.commodities[net.commodity_index[c]].label if c in net.commodity_index else c for c in ids]


def _edge_words(net: "Network", edge: str) -> str:
    """An edge by the nodes it joins: edges have no names of their own."""
    ends = net.edge_ends.get(edge)
    return " → ".join(_node_names(net, ends)) if ends else edge


def _either(names: list[str]) -> str:
    """'A', 'A or B', 'A, B or C'."""
    return f"{', '.join(names[:-1])} or {names[-1]}" if len(names) > 1 else "".join(names)


def _all_of(names: list[str]) -> str:
    """'A', 'A and B', 'A; B and C': node names hold commas of their own."""
    return f"{'; '.join(names[:-1])} and {names[-1]}" if len(names) > 1 else "".join(names)


def _nodes(r: Reader, raw: dict, key: str, path: PathKey, net: "Network") -> tuple[tuple[int, ...], str]:
    names = r.refs(raw, key, path, net.node_ids, "node")
    if key not in raw:
        r.missing(raw, key, path)
    return tuple(net.node_index[n] for n in names), _all_of(_node_names(net, names))


def _p_scale_flow(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "match", "factor"])
    lanes, label = _match_lanes(r, raw.get("match"), path + ("match",), net)
    # Above five times normal flows, a factor is most likely a percentage typed as a number (40 for 0.4).
    return ScaleFlow(lanes, r.number(raw, "factor", path, None, lo=0, hi=5, share=True), label)


def _p_set_priority(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "match", "priority"])
    lanes, label = _match_lanes(r, raw.get("match"), path + ("match",), net)
    return SetPriority(lanes, r.number(raw, "priority", path, None, lo=0), label)


def _p_spot_buying(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "match", "headroom"])
    lanes, label = _match_lanes(r, raw.get("match"), path + ("match",), net)
    return SpotBuying(lanes, r.number(raw, "headroom", path, None, lo=0, hi=MAX_HEADROOM, share=True,
                                      what="a share of the lanes' capacity"), label)


def _p_release(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "node", "rate"])
    node = r.ref_key(raw, "node", path, net.node_ids, "node")
    if node and net.nodes[net.node_index[node]].kind != "stockpile":
        # Only stockpiles ship what moves release; any other node ships its stock anyway.
        r.problem(path + ("node",), f"node '{node}' is not a stockpile (kind: stockpile), so it has nothing to release")
    rate = r.amounts(raw, "rate", path, net.commodity_ids, "commodity")
    if "rate" not in raw:
        r.missing(raw, "rate", path)
    items = tuple((net.commodity_index[c], v) for c, v in rate.items())
    return ReleaseStockpile(net.node_index.get(node, 0), _node_names(net, [node or "?"])[0], items,
                            tuple(_commodity_names(net, rate)))


def _p_ration(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "nodes", "factor"])
    nodes, label = _nodes(r, raw, "nodes", path, net)
    return Ration(nodes, r.number(raw, "factor", path, None, lo=0, hi=1, what="a share"), label)


def _p_draw_reserve(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "nodes"])
    nodes, label = _nodes(r, raw, "nodes", path, net)
    return DrawReserve(nodes, label)


def _p_substitute(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "nodes", "commodity", "per_year"])
    nodes, label = _nodes(r, raw, "nodes", path, net)
    comm = r.refs(raw, "commodity", path, net.commodity_ids, "commodity")
    per_year = r.number(raw, "per_year", path, None, lo=0, hi=ctx["substitution_cap"],
                        what="a yearly share within the ruleset's economy.substitution_cap_per_year",
                        limit=("economy", "substitution_cap_per_year"))
    return Substitute(nodes, tuple(net.commodity_index[c] for c in comm), per_year,
                      f"{_all_of(_commodity_names(net, comm))} at {label}", ctx["turns_per_year"])


def _p_price_floor(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "commodity", "usd_per_kg"])
    c = r.ref_key(raw, "commodity", path, net.commodity_ids, "commodity")
    return PriceFloor(net.commodity_index.get(c, 0), _commodity_names(net, [c or "?"])[0],
                      r.number(raw, "usd_per_kg", path, None, lo=0, hi=LARGEST_PRICE_USD_PER_KG,
                               what="a price in US dollars a kg"))


def _p_direct_loss(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "country", "jpy_per_turn"])
    country = r.ref_key(raw, "country", path, net.countries, "country")
    loss = r.number(raw, "jpy_per_turn", path, None, lo=0, hi=ctx.get("largest_loss_jpy", LARGEST_LOSS_JPY),
                    what="a loss in yen a turn")
    return DirectLoss(country or "?", loss,
                      _country_names(net, [country or "?"])[0])


def _p_capacity_project(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "amount", "lead_time"], ["node", "edge", "commodity"])
    largest = _largest_capacity(net)
    amount = r.number(raw, "amount", path, None, lo=0, hi=CAPACITY_GROWTH * largest if largest else None,
                      what="a capacity in tonnes a turn")
    lead = r.number(raw, "lead_time", path, None, lo=0, hi=LONGEST_LEAD_TIME, integer=True,
                    what="a whole number of turns")
    if ("node" in raw) == ("edge" in raw):
        r.problem(path, "expected exactly one of 'node' or 'edge'")
        return CapacityProject(None, None, "capacity at ?", amount, lead)
    if "node" in raw:
        node = r.ref(raw["node"], path + ("node",), net.node_ids, "node")
        if node and not net.nodes[net.node_index[node]].has_capacity and not r.doubtful(("nodes", node, "outputs")):
            r.problem(path + ("node",), f"node '{node}' has no production capacity to add to")
        return CapacityProject(net.node_index.get(node), None, f"capacity at {_node_names(net, [node or '?'])[0]}",
                               amount, lead)
    edge = r.ref(raw["edge"], path + ("edge",), net.edge_ids, "edge")
    comm = r.ref_key(raw, "commodity", path, net.commodity_ids, "commodity")
    lane = net.lane_index.get((edge, comm))
    if edge and comm and lane is None and edge in net.edge_ends:
        r.problem(path + ("commodity",), f"edge '{edge}' does not carry '{comm}'")
    what = f"{_commodity_names(net, [comm or '?'])[0]} capacity on {_edge_words(net, edge or '?')}"
    return CapacityProject(None, lane, what, amount, lead)


def _p_adjust(r, raw, path, net, ctx):
    r.keys(raw, path, ["op", "var", "by"], ["between", "actor"])
    var = r.choice(raw, "var", path, ADJUSTABLE)
    # Beyond the whole range of what it adjusts, a change is most likely a percentage typed as a number.
    span = {"cohesion": 1, "pressure": 1, "relation": 2, "tension": ctx.get("tension_max", TENSION_MAX)}.get(var)
    by = r.number(raw, "by", path, None, lo=-span if span else None, hi=span, share=var != "tension",
                  what="a change of tension" if var == "tension" else None,
                  limit=("politics", "tension", "max") if var == "tension" else None)
    a = b = None
    if var == "relation":
        pair = raw.get("between")
        if "between" not in raw:
            r.missing(raw, "between", path)
        elif not (isinstance(pair, list) and len(pair) == 2):
            r.problem(path + ("between",), "expected a list of two actors")
        else:
            a = r.ref(pair[0], path + ("between", 0), ctx["actors"], "actor")
            b = r.ref(pair[1], path + ("between", 1), ctx["actors"], "actor")
            if a is not None and a == b:
                r.problem(path + ("between",), f"expected two different actors, got '{a}' twice")
    elif var == "pressure":
        a = r.ref_key(raw, "actor", path, ctx["governments"], "government")
    return Adjust(var, by, a, b, ctx.get("names"))


OPERATIONS: dict[str, Callable[..., Effect]] = {
    "scale_flow": _p_scale_flow,
    "set_priority": _p_set_priority,
    "spot_buying": _p_spot_buying,
    "release_stockpile": _p_release,
    "ration": _p_ration,
    "draw_reserve": _p_draw_reserve,
    "substitute": _p_substitute,
    "price_floor": _p_price_floor,
    "direct_loss": _p_direct_loss,
    "capacity_project": _p_capacity_project,
    "adjust": _p_adjust,
}


def compile_effect(r: Reader, raw: Any, path: PathKey, net: "Network", ctx: dict) -> Effect | None:
    if not isinstance(raw, dict) or "op" not in raw:
        r.problem(path, "expected an effect: a mapping with an 'op' key")
        return None
    op = raw["op"]
    parser = OPERATIONS.get(op) if isinstance(op, str) else None
    if parser is None:
        r.problem(path + ("op",), f"unknown effect operation '{op}'{suggest(str(op), OPERATIONS)}; "
                                  f"expected one of: {', '.join(OPERATIONS)}")
        return None
    return parser(r, raw, path, net, ctx)
