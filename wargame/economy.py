"""Shortages become lost output and GDP loss; China bears the cost of the exports it blocks.

A consuming sector's output falls with the shortfall of each input it needs, in proportion to that input's
criticality (the share of the sector's value added that stops without it). The loss is convex in the
shortfall: a small shortfall is absorbed by the least valuable uses, a large one reaches the core.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .effects import Modifiers
from .ruleset import Ruleset
from .state import GameState
from .trade import TradeOutcome


@dataclass
class EconomyReport:
    sector_output: dict[str, float]      # node id -> share of normal output
    japan_loss_jpy: float                # this turn, from rare-earth shortages
    japan_direct_loss_jpy: float         # this turn, from other measures (seafood, tourism...)
    china_export_loss_usd: float         # this turn
    japan_output_gap: float              # value-weighted share of at-risk output lost this turn


def sector_output(trade: TradeOutcome, node: int, produces: bool, criticality: tuple[tuple[int, float], ...],
                  gamma: float) -> float:
    """A sector's share of normal output this turn: a producing node's activity, or for a consumer, what the
    shortfall of each input (weighted by its criticality, convex with exponent gamma) leaves."""
    if produces:
        return trade.activity[node]
    fill = trade.fill[node]
    loss = 0.0
    for c, crit in criticality:
        short = 1.0 - fill[c]
        if short > 0.0:
            loss += crit * short ** gamma
    return max(0.0, 1.0 - loss)


@lru_cache(maxsize=8)
def _sectors(rules: Ruleset) -> tuple[tuple[tuple[int, str, float, bool, tuple[tuple[int, float], ...]], ...], float]:
    """The nodes with an economy as (node, id, value added a turn, whether it produces, criticality by commodity),
    and their total value added a turn."""
    sectors = []
    at_risk = 0.0
    for i, n in enumerate(rules.network.nodes):
        if n.economy is not None:
            value = n.economy.value_added_jpy_per_turn
            sectors.append((i, n.id, value, bool(n.outputs), tuple(n.economy.criticality.items())))
            at_risk += value
    return tuple(sectors), at_risk


def update_economy(rules: Ruleset, state: GameState, trade: TradeOutcome, blocked: list[float],
                   mods: Modifiers) -> EconomyReport:
    outputs: dict[str, float] = {}
    loss = 0.0
    sectors, at_risk = _sectors(rules)
    gamma = rules.economy["shortage_convexity"]
    for i, node_id, value, produces, criticality in sectors:
        share = sector_output(trade, i, produces, criticality, gamma)
        outputs[node_id] = share
        loss += value * (1.0 - share)
    china_loss = sum([b * 1000.0 * p for b, p in zip(blocked, state.price_inside)])
    direct = mods.direct_loss_jpy.get(rules.network.japan, 0.0)
    state.japan_gdp_loss_jpy += loss
    state.japan_direct_loss_jpy += direct
    state.china_export_loss_usd += china_loss
    return EconomyReport(outputs, loss, direct, china_loss, loss / at_risk if at_risk else 0.0)


def apply_substitution(rules: Ruleset, state: GameState, mods: Modifiers) -> None:
    """Substitution accumulates while its moves are in force: each turn by at most the ruleset's yearly cap
    spread over the turns of a year, and never beyond 90% of demand."""
    if not mods.substitution:
        return
    cap_per_turn = rules.economy["substitution_cap_per_year"] / rules.turns_per_year
    substitution = state.substitution
    for (n, c), step in mods.substitution.items():
        step = min(step, cap_per_turn)
        substitution[n][c] = min(0.9, substitution[n][c] + step)
