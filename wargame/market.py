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
    for c, lanes in _priced_export_lanes(rules):
        extra = adaptation[c]
        if extra > 0.0:
            for i in lanes:
                room = out[i] + extra
                out[i] = room if room < cap else cap
    return out


def update_adaptation(rules: Ruleset, state: GameState, mods: Modifiers) -> None:
    """Sellers outside China re-route supply towards a premium gradually, over months, not at once."""
    response = rules.market["headroom_response"]
    speed = rules.market["adaptation_speed"]
    cap = rules.market["max_headroom"]
    price_outside, floors, adaptation = state.price_outside, mods.price_floor, state.adaptation
    for c, spec in rules.prices.items():
        # A price floor guarantees sellers a price, so supply answers as if the market paid it.
        price = max(price_outside[c], floors.get(c, 0.0))
        target = min(cap, max(0.0, response * (price / spec.outside - 1.0)))
        adaptation[c] += speed * (target - adaptation[c])


NORMAL_SWING = 0.15  # orders missed in ordinary weeks, which move no prices


def _beyond_normal(gap: float) -> float:
    if gap > NORMAL_SWING:
        return gap - NORMAL_SWING
    if gap < -NORMAL_SWING:
        return gap + NORMAL_SWING
    return 0.0


@lru_cache(maxsize=8)
def _outside_supply(rules: Ruleset) -> tuple[float, ...]:
    """Normal tonnes a turn reaching buyers outside China, by commodity (contract lanes only): imports, and
    what producers ship to buyers in their own country (not what merely moves on within a country)."""
    net = rules.network
    out = [0.0] * len(net.commodities)
    for lane in net.lanes:
        if lane.dst_country == net.china or lane.spot:
            continue
        if lane.src_country != lane.dst_country or net.nodes[lane.src].outputs:
            out[lane.commodity] += lane.capacity * lane.approval
    return tuple(out)


@lru_cache(maxsize=8)
def _priced_export_lanes(rules: Ruleset) -> tuple[tuple[int, tuple[int, ...]], ...]:
    """By commodity with a market price: the lanes carrying it to buyers outside China."""
    net = rules.network
    lanes: dict[int, list[int]] = {}
    for i, lane in enumerate(net.lanes):
        if lane.commodity in rules.prices and lane.dst_country != net.china:
            lanes.setdefault(lane.commodity, []).append(i)
    return tuple((c, tuple(ls)) for c, ls in sorted(lanes.items()))


@lru_cache(maxsize=8)
def _china_lanes(rules: Ruleset) -> tuple[tuple[int, int], ...]:
    """Lanes leaving Chinese suppliers, as (lane, commodity)."""
    net = rules.network
    return tuple((i, lane.commodity) for i, lane in enumerate(net.lanes) if lane.src_country == net.china)


@lru_cache(maxsize=8)
def _china_export_contracts(rules: Ruleset) -> tuple[tuple[int, int, float], ...]:
    """China's contract lanes to buyers abroad, as (lane, commodity, licence approval)."""
    net = rules.network
    return tuple((i, lane.commodity, lane.approval) for i, lane in enumerate(net.lanes)
                 if lane.src_country == net.china and lane.dst_country != net.china and not lane.spot)


def blocked_exports(rules: Ruleset, state: GameState, mods: Modifiers) -> list[float]:
    """Tonnes per commodity that China's restrictions withhold this turn from buyers abroad."""
    blocked = [0.0] * len(rules.network.commodities)
    factor = mods.lane_factor
    capacity = state.lane_capacity
    for i, c, approval in _china_export_contracts(rules):
        withheld = 1.0 - factor[i]
        if withheld > 0.0:
            blocked[c] += capacity[i] * approval * (withheld if withheld < 1.0 else 1.0)
    return blocked


def update_prices(rules: Ruleset, state: GameState, trade: TradeOutcome, blocked: list[float]) -> None:
    """Move each priced commodity's prices inside and outside China part of the way to this turn's targets."""
    china_supply = [0.0] * len(rules.network.commodities)
    capacity = state.lane_capacity
    for i, c in _china_lanes(rules):
        china_supply[c] += capacity[i]
    outside_supply = _outside_supply(rules)
    requested_in, unmet_in = trade.requested[0], trade.unmet[0]
    price_outside, price_inside = state.price_outside, state.price_inside
    for c, spec in rules.prices.items():
        # Outside China, scarcity is the share of the outside market's normal supply that China withholds;
        # inside, unfilled orders beyond the misses of ordinary weeks. Neither drifts in normal times.
        req_in = requested_in[c]
        scarcity_out = blocked[c] / outside_supply[c] if outside_supply[c] > 0.0 else 0.0
        scarcity_in = 0.5 * _beyond_normal(unmet_in[c] / req_in if req_in > 0.0 else 0.0)
        glut = blocked[c] / china_supply[c] if china_supply[c] > 0.0 else 0.0
        target_out = spec.outside * max(0.2, 1.0 + spec.elasticity * scarcity_out)
        target_in = spec.inside * max(0.2, 1.0 + spec.elasticity * scarcity_in - spec.glut * glut)
        price_outside[c] += spec.smoothing * (target_out - price_outside[c])
        price_inside[c] += spec.smoothing * (target_in - price_inside[c])
