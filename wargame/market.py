"""Prices inside and outside China, and how the spot market responds to them.

Outside China, prices rise with the share of normal supply that China withholds; inside China, the
withheld exports leave a glut that pushes prices down. Both move part of the way to their target each turn. Sellers outside China offer more on the
spot market when outside prices (or a guaranteed price floor) rise above normal, but only gradually:
re-routing supply takes months (`market.adaptation_speed` per turn).
"""

from __future__ import annotations

from functools import lru_cache

from .effects import Modifiers
from .ruleset import Ruleset
from .state import GameState
from .trade import TradeOutcome


def spot_headroom(rules: Ruleset, state: GameState, mods: Modifiers) -> list[float]:
    """Each lane's extra spot capacity this turn, as a share of its normal capacity."""
    cap = rules.market["max_headroom"]
    out = list(mods.lane_headroom)
    adaptation = state.adaptation
    for i, c in _priced_export_lanes(rules):
        if adaptation[c] > 0:
            out[i] = min(cap, out[i] + adaptation[c])
    return out


def update_adaptation(rules: Ruleset, state: GameState, mods: Modifiers) -> None:
    """Sellers outside China re-route supply towards a premium gradually, over months, not at once."""
    response = rules.market["headroom_response"]
    speed = rules.market["adaptation_speed"]
    cap = rules.market["max_headroom"]
    for c, spec in rules.prices.items():
        # A price floor guarantees sellers a price, so supply answers as if the market paid it.
        price = max(state.price_outside[c], mods.price_floor.get(c, 0.0))
        target = min(cap, max(0.0, response * (price / spec.outside - 1.0)))
        state.adaptation[c] += speed * (target - state.adaptation[c])


NORMAL_SWING = 0.15  # orders missed in ordinary weeks, which move no prices


def _beyond_normal(gap: float) -> float:
    if gap > NORMAL_SWING:
        return gap - NORMAL_SWING
    if gap < -NORMAL_SWING:
        return gap + NORMAL_SWING
    return 0.0


@lru_cache(maxsize=8)
def _outside_supply(rules: Ruleset) -> tuple[float, ...]:
    """Normal tonnes a turn reaching buyers outside China, by commodity (contract lanes only)."""
    net = rules.network
    out = [0.0] * len(net.commodities)
    for lane in net.lanes:
        if lane.dst_country != net.china and lane.src_country != lane.dst_country and not lane.spot:
            out[lane.commodity] += lane.capacity * lane.approval
        elif lane.dst_country != net.china and lane.src_country == lane.dst_country and not lane.spot \
                and net.nodes[lane.src].outputs:
            out[lane.commodity] += lane.capacity * lane.approval
    return tuple(out)


@lru_cache(maxsize=8)
def _priced_export_lanes(rules: Ruleset) -> tuple[tuple[int, int], ...]:
    """Lanes whose buyers sit outside China and whose commodity has a market price."""
    net = rules.network
    return tuple((i, lane.commodity) for i, lane in enumerate(net.lanes)
                 if lane.commodity in rules.prices and lane.dst_country != net.china)


def blocked_exports(rules: Ruleset, state: GameState, mods: Modifiers) -> list[float]:
    """Tonnes per commodity that China's restrictions withhold this turn from buyers abroad."""
    net = rules.network
    blocked = [0.0] * len(net.commodities)
    for i, lane in enumerate(net.lanes):
        if lane.src_country == net.china and lane.dst_country != net.china and not lane.spot:
            withheld = 1.0 - mods.lane_factor[i]
            if withheld > 0:
                blocked[lane.commodity] += state.lane_capacity[i] * lane.approval * min(1.0, withheld)
    return blocked


def update_prices(rules: Ruleset, state: GameState, trade: TradeOutcome, blocked: list[float],
                  mods: Modifiers) -> None:
    net = rules.network
    china_supply = [0.0] * len(net.commodities)
    for i, lane in enumerate(net.lanes):
        if lane.src_country == net.china:
            china_supply[lane.commodity] += state.lane_capacity[i]
    outside_supply = _outside_supply(rules)
    for c, spec in rules.prices.items():
        # Outside China, scarcity is the share of the outside market's normal supply that China withholds;
        # inside, unfilled orders beyond the misses of ordinary weeks. Neither drifts in normal times.
        req_in = trade.requested[0][c]
        scarcity_out = blocked[c] / outside_supply[c] if outside_supply[c] > 0 else 0.0
        scarcity_in = 0.5 * _beyond_normal(trade.unmet[0][c] / req_in if req_in > 0 else 0.0)
        glut = blocked[c] / china_supply[c] if china_supply[c] > 0 else 0.0
        target_out = spec.outside * max(0.2, 1.0 + spec.elasticity * scarcity_out)
        target_in = spec.inside * max(0.2, 1.0 + spec.elasticity * scarcity_in - spec.glut * glut)
        state.price_outside[c] += spec.smoothing * (target_out - state.price_outside[c])
        state.price_inside[c] += spec.smoothing * (target_in - state.price_inside[c])
