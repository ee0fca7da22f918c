"""One turn of the pure core: adjudicate → trade and market → economy and politics → record.

`resolve_turn` is a function of (ruleset, state, orders) alone; the Mesa model in model.py calls it after
asking each actor's policy for its orders. It leaves the state ready for the next turn.
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from . import indicators as ind
from .economy import apply_substitution, update_economy
from .effects import Effect, Modifiers
from .market import blocked_exports, spot_headroom, update_adaptation, update_prices
from .moves import Adjudication, Event, adjudicate, expire_moves, modifiers
from .politics import check_outcome, update_beliefs, update_politics
from .ruleset import Ruleset
from .state import GameState
from .trade import step_trade


@dataclass
class TurnReport:
    """What one turn did. `orders` holds the moves each actor actually played (rejected orders are in
    `adjudication.rejected`); `events` are the turn's log entries, including those of the coming turn's
    preparation (moves lapsing, capacity coming on line)."""

    turn: int
    orders: dict[str, list[str]]
    adjudication: Adjudication
    indicators: dict
    events: list[Event] = field(default_factory=list)


def resolve_turn(rules: Ruleset, state: GameState, orders: dict[str, list[str]],
                 injected: list[Effect] | None = None, last_turn: bool = False,
                 legal: Mapping[str, list[str]] | None = None) -> TurnReport:
    """Play one turn. `legal`, each actor's legal moves in `state` if the caller has them, saves working
    them out again."""
    adj = adjudicate(rules, state, orders, legal)
    update_beliefs(rules, state, adj)
    mods = modifiers(rules, state, injected)
    draw_demand(rules, state, mods)
    apply_substitution(rules, state, mods)
    headroom = spot_headroom(rules, state, mods)
    trade = step_trade(rules.network, state, mods, headroom)
    state.flows = trade.shipped
    blocked = blocked_exports(rules, state, mods)
    update_prices(rules, state, trade, blocked)
    update_adaptation(rules, state, mods)
    econ = update_economy(rules, state, trade, blocked, mods)
    update_politics(rules, state, econ)
    state.turn += 1
    state.indicators = ind.compute(rules, state, trade, econ)
    events = list(adj.events)
    outcome = check_outcome(rules, state, last_turn)
    if outcome is not None:
        events.append(outcome)
    events.extend(prepare_next_turn(rules, state))
    return TurnReport(state.turn, {a: list(m) for a, m in adj.accepted.items()}, adj, state.indicators, events)


def draw_demand(rules: Ruleset, state: GameState, mods: Modifiers) -> None:
    """Chance moves too: each buyer's demand this turn varies around normal (lognormal, mean 1)."""
    sd = rules.economy["demand_noise"]
    if sd <= 0:
        return
    sinks = _sinks(rules)
    shocks = state.chance_rng.normal(-0.5 * sd * sd, sd, size=len(sinks))
    for n, z in zip(sinks, shocks.tolist()):
        mods.demand[n] = math.exp(z)


@lru_cache(maxsize=8)
def _sinks(rules: Ruleset) -> tuple[int, ...]:
    return tuple(i for i, n in enumerate(rules.network.nodes) if n.demand)


def prepare_next_turn(rules: Ruleset, state: GameState) -> list[Event]:
    """Lapse expired moves and bring finished capacity projects on line before the coming turn."""
    events = expire_moves(rules, state)
    upcoming = state.turn + 1
    keep = []
    for p in state.projects:
        if p["arrives"] <= upcoming:
            net = rules.network
            if p["node"] is not None:
                state.node_capacity[p["node"]] += p["amount"]
                what = f"capacity on line at {net.nodes[p['node']].name}"
            else:
                state.lane_capacity[p["lane"]] += p["amount"]
                lane = net.lanes[p["lane"]]
                what = (f"{net.commodities[lane.commodity].label} capacity on line on "
                        f"{net.nodes[lane.src].name} → {net.nodes[lane.dst].name}")
            events.append(Event(upcoming, p["by"], "project", f"new {what}: +{p['amount']:g} t/turn"))
        else:
            keep.append(p)
    state.projects = keep
    return events
