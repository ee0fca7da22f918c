"""Prices inside and outside China, and how the spot market responds to them.

Outside China, prices rise with unmet orders; inside China, blocked exports leave a glut that pushes
prices down. Both move part of the way to their target each turn. Sellers outside China offer more on the
spot market when outside prices (or a guaranteed price floor) rise above normal.
"""

from __future__ import annotations

from .effects import Modifiers
from .ruleset import Ruleset
from .state import GameState
from .trade import TradeOutcome


def spot_headroom(rules: Ruleset, state: GameState, mods: Modifiers) -> list[float]:
    """Each lane's extra spot capacity this turn, as a share of its normal capacity."""
    net = rules.network
    response = rules.market["headroom_response"]
    cap = rules.market["max_headroom"]
    out = list(mods.lane_headroom)
    for i, lane in enumerate(net.lanes):
        spec = rules.prices.get(lane.commodity)
        if spec is None or lane.dst_country == net.china:
            continue
        # A price floor guarantees sellers a price, so supply answers as if the market paid it.
        price = max(state.price_outside[lane.commodity], mods.price_floor.get(lane.commodity, 0.0))
        premium = price / spec.outside - 1.0
        if premium > 0:
            out[i] = min(cap, out[i] + response * premium)
    return out


def blocked_exports(rules: Ruleset, state: GameState, trade: TradeOutcome) -> list[float]:
    """Tonnes per commodity that Chinese exporters would normally ship abroad but did not this turn."""
    net = rules.network
    blocked = [0.0] * len(net.commodities)
    for i, lane in enumerate(net.lanes):
        if lane.src_country == net.china and lane.dst_country != net.china:
            normal = state.lane_capacity[i] * lane.approval
            blocked[lane.commodity] += max(0.0, normal - trade.shipped[i])
    return blocked


def update_prices(rules: Ruleset, state: GameState, trade: TradeOutcome, blocked: list[float],
                  mods: Modifiers) -> None:
    net = rules.network
    china_supply = [0.0] * len(net.commodities)
    for i, lane in enumerate(net.lanes):
        if lane.src_country == net.china:
            china_supply[lane.commodity] += state.lane_capacity[i]
    for c, spec in rules.prices.items():
        req_out, unmet_out = trade.requested[1][c], trade.unmet[1][c]
        req_in, unmet_in = trade.requested[0][c], trade.unmet[0][c]
        scarcity_out = unmet_out / req_out if req_out > 0 else 0.0
        scarcity_in = unmet_in / req_in if req_in > 0 else 0.0
        glut = blocked[c] / china_supply[c] if china_supply[c] > 0 else 0.0
        target_out = spec.outside * (1.0 + spec.elasticity * scarcity_out)
        target_in = spec.inside * max(0.2, 1.0 + spec.elasticity * scarcity_in - spec.glut * glut)
        state.price_outside[c] += spec.smoothing * (target_out - state.price_outside[c])
        state.price_inside[c] += spec.smoothing * (target_in - state.price_inside[c])
