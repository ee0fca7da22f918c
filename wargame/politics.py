"""Tension, relations, domestic pressure, G7 cohesion, beliefs about resolve, and the end of the game."""

from __future__ import annotations

from .economy import EconomyReport
from .moves import Adjudication, Event
from .ruleset import Ruleset
from .state import GameState


def update_beliefs(rules: Ruleset, state: GameState, adjudication: Adjudication) -> None:
    """Observers revise their belief about a government's resolve from the moves they saw it make.

    Beliefs are Beta(a, b) over resolve. An escalatory move adds to a, a conciliatory one to b, weighted by
    the move's severity and by what it cost the mover: cheap talk moves beliefs little, costly signals more.
    """
    pol = rules.politics
    governments = rules.governments
    for actor, moves in adjudication.accepted.items():
        if actor not in governments:
            continue
        for move_id in moves:
            move = rules.moves[move_id]
            if move.severity == 0:
                continue
            cost = move.capital + move.money_musd / 100.0
            weight = pol["signal_weight"] * abs(move.severity) * (1.0 + pol["cost_weight"] * cost)
            slot = 0 if move.severity > 0 else 1
            if move.public:
                for beliefs in state.beliefs.values():
                    if actor in beliefs:
                        beliefs[actor][slot] += weight
            elif actor in state.beliefs.get(actor, ()):
                state.beliefs[actor][actor][slot] += weight     # a private move: only its mover sees it


def drivers(rules: Ruleset, state: GameState, econ: EconomyReport) -> dict[str, float]:
    normal_exports = rules.calibration.get("china_export_value_usd_per_turn") or 1.0
    return {
        "japan_output_gap": econ.japan_output_gap,
        "china_export_loss": min(1.0, econ.china_export_loss_usd / normal_exports),
        "tension": state.tension / rules.politics["tension_max"],
        "cohesion": state.cohesion,
    }


def update_politics(rules: Ruleset, state: GameState, econ: EconomyReport) -> None:
    pol = rules.politics
    state.tension += pol["tension_decay"] * (pol["tension_baseline"] - state.tension)
    state.tension = min(pol["tension_max"], max(0.0, state.tension))
    drift = pol["relations_drift"]
    starts = pol["relations_start"]
    relations = state.relations
    for key, start in starts.items():
        current = relations.get(key, 0.0)
        relations[key] = current + drift * (start - current)
    for key, current in relations.items():
        if key not in starts:   # a pair with no starting level, moved by an effect: drifts back to 0
            relations[key] = current + drift * (0.0 - current)
    state.cohesion += pol["cohesion_drift"] * (pol["cohesion_start"] - state.cohesion)
    d = drivers(rules, state, econ)
    decay = pol["pressure_decay"]
    pressure_drivers = pol["pressure_drivers"]
    for gov in rules.governments:
        p = state.pressure.get(gov, 0.0)
        push = sum([w * d[name] for name, w in pressure_drivers.get(gov, {}).items()])
        state.pressure[gov] = min(1.0, max(0.0, p + push - decay * p))
    capital = state.capital
    for actor, spec in rules.actors.items():
        capital[actor] = min(spec.capital_max, capital[actor] + spec.capital_per_turn)


def check_outcome(rules: Ruleset, state: GameState, last_turn: bool) -> Event | None:
    """Track how long each outcome's conditions have held; end the game when one is decided."""
    for outcome in rules.outcomes:
        holds = all(cond(state) for cond in outcome.when)
        state.streaks[outcome.id] = state.streaks.get(outcome.id, 0) + 1 if holds else 0
    for outcome in rules.outcomes:
        if outcome.terminal and state.streaks[outcome.id] >= outcome.sustain:
            state.outcome = outcome.id
            return Event(state.turn, None, "outcome", f"Game ends: {outcome.label}")
    if last_turn:
        for outcome in rules.outcomes:
            if not outcome.terminal and state.streaks[outcome.id] >= 1:
                state.outcome = outcome.id
                return Event(state.turn, None, "outcome", f"Turn limit reached: {outcome.label}")
    return None
