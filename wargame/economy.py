"""Shortages become lost output and GDP loss; China bears the cost of the exports it blocks.

A consuming sector's output falls with the shortfall of each input it needs, in proportion to that input's
criticality (the share of the sector's value added that stops without it). The loss is convex in the
shortfall: a small shortfall is absorbed by the least valuable uses, a large one reaches the core.
"""

from __future__ import annotations

from dataclasses import dataclass

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


def sector_output(rules: Ruleset, trade: TradeOutcome, node: int, ration: float) -> float:
    n = rules.network.nodes[node]
    if n.economy is None:
        return 1.0
    if n.outputs:
        return trade.activity[node]
    gamma = rules.economy["shortage_convexity"]
    loss = 0.0
    for c, crit in n.economy.criticality.items():
        short = 1.0 - trade.fill[node][c]
        if short > 0:
            loss += crit * short ** gamma
    return max(0.0, 1.0 - loss)


def update_economy(rules: Ruleset, state: GameState, trade: TradeOutcome, blocked: list[float],
                   mods: Modifiers) -> EconomyReport:
    net = rules.network
    outputs: dict[str, float] = {}
    loss = 0.0
    at_risk = 0.0
    for i, n in enumerate(net.nodes):
        if n.economy is None:
            continue
        share = sector_output(rules, trade, i, mods.ration.get(i, 1.0))
        outputs[n.id] = share
        loss += n.economy.value_added_jpy_per_turn * (1.0 - share)
        at_risk += n.economy.value_added_jpy_per_turn
    china_loss = sum(blocked[c] * 1000.0 * state.price_inside[c] for c in range(len(blocked)))
    direct = mods.direct_loss_jpy.get(net.japan, 0.0)
    state.japan_gdp_loss_jpy += loss
    state.japan_direct_loss_jpy += direct
    state.china_export_loss_usd += china_loss
    return EconomyReport(outputs, loss, direct, china_loss, loss / at_risk if at_risk else 0.0)


def apply_substitution(rules: Ruleset, state: GameState, mods: Modifiers) -> None:
    """Substitution accumulates while its moves are in force, up to the ruleset's yearly cap."""
    cap_per_turn = rules.economy["substitution_cap_per_year"] / rules.turns_per_year
    for (n, c), step in mods.substitution.items():
        step = min(step, cap_per_turn)
        state.substitution[n][c] = min(0.9, state.substitution[n][c] + step)
