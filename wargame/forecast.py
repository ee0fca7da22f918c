"""A move's expected effect on each objective, read off its declarative effects.

The doctrine AI in policies.py weighs these against an actor's objective weights. The static part of each
move's effects is computed once per ruleset; the state only scales it (urgency, resolve, pressure).
All supply figures are values per turn as a share of Japan's normal rare-earth imports by value.
"""

from __future__ import annotations

from functools import lru_cache

from .effects import (Adjust, CapacityProject, DrawReserve, PriceFloor, Ration, ReleaseStockpile, ScaleFlow,
                      SpotBuying, Substitute)
from .indicators import import_values
from .ruleset import Ruleset

FEATURES = ("japan_supply", "china_exports", "tension", "relations", "cohesion", "pressure", "cost",
            "diversification", "resolve", "own_output")
UNDONE = ("japan_supply", "china_exports", "diversification")   # what cancelling a move takes back


@lru_cache(maxsize=8)
def _scales(rules: Ruleset) -> tuple[float, float, tuple[float, ...]]:
    net = rules.network
    japan, value = import_values(rules)
    japan = japan or 1.0
    exports = sum(lane.capacity * lane.approval * value[lane.commodity] for lane in net.lanes
                  if lane.src_country == net.china and lane.dst_country != net.china) or 1.0
    return japan, exports, value


@lru_cache(maxsize=4096)
def static_features(rules: Ruleset, actor: str, move_id: str) -> dict[str, float]:
    """The move's own effects, before the state scales them."""
    net = rules.network
    japan, exports, value = _scales(rules)
    move = rules.moves[move_id]
    f = dict.fromkeys(FEATURES + ("runway",), 0.0)
    f["tension"] = move.severity * rules.politics["per_severity"]
    f["cost"] = move.capital + move.money_musd / 100.0
    f["resolve"] = move.severity
    discount = 0.985
    for e in move.effects[actor]:
        if isinstance(e, ScaleFlow):
            for l in e.lanes:
                lane = net.lanes[l]
                change = lane.capacity * lane.approval * (e.factor - 1.0) * value[lane.commodity]
                if lane.dst_country == net.japan and lane.src_country != net.japan:
                    f["japan_supply"] += change / japan
                if lane.src_country == net.china and lane.dst_country != net.china:
                    f["china_exports"] += change / exports
        elif isinstance(e, SpotBuying):
            for l in e.lanes:
                lane = net.lanes[l]
                if lane.dst_country == net.japan:
                    f["japan_supply"] += 0.5 * e.headroom * lane.capacity * value[lane.commodity] / japan
        elif isinstance(e, ReleaseStockpile):
            f["japan_supply"] += sum(rate * value[c] for c, rate in e.rate) / japan
        elif isinstance(e, Substitute):
            need = sum(net.nodes[n].need(c) * value[c] for n in e.nodes for c in e.commodities)
            f["japan_supply"] += 13 * e.per_year / rules.turns_per_year * need / japan
        elif isinstance(e, CapacityProject):
            if e.lane is not None:
                c = net.lanes[e.lane].commodity
                supplies_japan = net.lanes[e.lane].dst_country == net.japan
                outside = net.lanes[e.lane].src_country != net.china
            else:
                node = net.nodes[e.node]
                c = next(iter(node.outputs), 0)
                supplies_japan = node.country == net.japan or any(
                    lane.dst_country == net.japan for lane in net.lanes if lane.src == e.node)
                outside = node.country != net.china
            worth = e.amount * value[c] / japan * discount ** e.lead_time
            if supplies_japan:
                f["japan_supply"] += worth
            if outside:
                f["diversification"] += worth
        elif isinstance(e, DrawReserve):
            stock = sum(net.nodes[n].reserve_weeks * net.nodes[n].need(c) * value[c]
                        for n in e.nodes for c in range(len(net.commodities)))
            f["japan_supply"] += stock / 8.0 / japan
        elif isinstance(e, Ration):
            need = sum(net.nodes[n].need(c) * value[c] for n in e.nodes for c in range(len(net.commodities)))
            f["runway"] += (1.0 - e.factor) * need / japan
            f["own_output"] -= 1.0 - e.factor
        elif isinstance(e, PriceFloor):
            f["diversification"] += 0.05
        elif isinstance(e, Adjust):
            if e.var == "relation" and actor in (e.a, e.b):
                f["relations"] += e.by
            elif e.var == "cohesion":
                f["cohesion"] += e.by
            elif e.var == "pressure" and e.a == actor:
                f["pressure"] += e.by
            elif e.var == "tension":
                f["tension"] += e.by
    if f["japan_supply"] < 0:
        # Denying Japan supply pushes Japan and its partners to build supply elsewhere.
        f["diversification"] -= 0.5 * f["japan_supply"]
    return f


def feature_vector(f: dict[str, float]) -> tuple[float, ...]:
    """Features in FEATURES order followed by the runway term, for a fast dot product."""
    return tuple(f[k] for k in FEATURES) + (f["runway"],)


@lru_cache(maxsize=4096)
def static_vector(rules: Ruleset, actor: str, move_id: str) -> tuple[float, ...]:
    """static_features as a vector (feature_vector), once per ruleset, actor and move."""
    return feature_vector(static_features(rules, actor, move_id))


_UNDONE_AT = tuple(FEATURES.index(k) for k in UNDONE)


def undo(f: tuple[float, ...], undone: list[tuple[float, ...]]) -> tuple[float, ...]:
    """Feature vector `f` of a cancelling move once it takes back what the moves it ends did (their static
    vectors `undone`, in the order they are in force): ending a move undoes its supply, export and
    diversification effects."""
    f = list(f)
    for u in undone:
        for k in _UNDONE_AT:
            f[k] -= u[k]
    return tuple(f)
