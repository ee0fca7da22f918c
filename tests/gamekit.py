"""Helpers for the save, replay, branch, instructor and report tests: games driven by seeded random choices.

A driver plays the instructor and the human players. Its choices depend only on the seed, the turn and the
game's state, so a game restored from a save and driven again makes exactly the same choices.
"""

from __future__ import annotations

import json
import random

from wargame import WargameModel
from wargame.instructor import Instructor, check_moves

MIXES = ("random", "utility")


def new_game(rules, seed: int, turns: int = 6, humans: tuple[str, ...] = (), policy: str = "random") -> WargameModel:
    policies = {a: policy for a in rules.actor_ids if a not in humans}
    return WargameModel(rules, rng=seed, policies=policies, turns=turns, humans=humans)


def random_moves(model: WargameModel, actor: str, r: random.Random) -> list[str]:
    """A random set of moves `actor` may play together now (possibly none)."""
    legal = model.legal_moves(actor)
    limit = model.rules.actors[actor].moves_per_turn
    for _ in range(6):
        picks = r.sample(legal, min(len(legal), r.randint(0, limit)))
        if not check_moves(model, actor, picks):
            return picks
    return []


def drive(model: WargameModel, seed: int, interventions: bool = True) -> None:
    """The instructor's and the human players' choices for the coming turn."""
    r = random.Random(seed * 1009 + model.turn)
    ins = Instructor(model)
    rules = model.rules
    if interventions:
        roll = r.random()
        if roll < 0.25 and rules.injects:
            ins.inject(r.choice(sorted(rules.injects)))
        elif roll < 0.35:
            ins.announce(f"ad hoc event {model.turn}", [{"op": "adjust", "var": "tension", "by": r.choice([-0.5, 0.5])},
                                                        {"op": "direct_loss", "country": "JP", "jpy_per_turn": 1e9}])
        elif roll < 0.45:
            actor = r.choice(rules.governments)
            (ins.hide if actor in model.state.revealed else ins.reveal)(actor)
        elif roll < 0.6:
            ai = [a for a in rules.actor_ids if a not in model.humans()]
            if ai:
                actor = r.choice(ai)
                ins.override(actor, random_moves(model, actor, r))
        elif roll < 0.65 and not ins.paused:
            ins.pause("a pause for discussion")
        elif ins.paused:
            ins.resume()
    for actor in model.humans():
        model.submit(actor, random_moves(model, actor, r))


def state_json(model: WargameModel) -> str:
    return json.dumps(model.state.to_dict(), sort_keys=True)


def events_json(model: WargameModel) -> str:
    return json.dumps([e.to_dict() for e in model.events], sort_keys=True)


def invariants(model: WargameModel, previous: dict | None) -> list[str]:
    """What must hold after every turn of every game."""
    s, rules = model.state, model.rules
    pol = rules.politics
    bad = []
    bad += [f"negative stock {v} at node {n}" for n, row in enumerate(s.inventory) for v in row if v < -1e-9]
    bad += [f"negative shipment {v} on lane {i}" for i, row in enumerate(s.pipeline) for v in row if v < -1e-9]
    bad += [f"capital {v} of {a} outside 0..{rules.actors[a].capital_max}" for a, v in s.capital.items()
            if not -1e-9 <= v <= rules.actors[a].capital_max + 1e-9]
    if not 0 <= s.tension <= pol["tension_max"]:
        bad.append(f"tension {s.tension}")
    if not 0 <= s.cohesion <= 1:
        bad.append(f"cohesion {s.cohesion}")
    bad += [f"pressure {v} on {g}" for g, v in s.pressure.items() if not 0 <= v <= 1]
    bad += [f"relation {v} {k}" for k, v in s.relations.items() if not -1 <= v <= 1]
    bad += [f"negative price {v}" for v in s.price_inside + s.price_outside if v < 0]
    bad += [f"negative capacity {v}" for v in s.node_capacity + s.lane_capacity if v < 0]
    ind = s.indicators
    bad += [f"output {v} of {k}" for k, v in ind["sector_output"].items() if not -1e-9 <= v <= 1 + 1e-9]
    if ind["japan_supply_index"] < 0:
        bad.append("negative supply index")
    if ind["turn"] != s.turn or s.turn != len(model.reports):
        bad.append(f"turn {s.turn} but {len(model.reports)} reports")
    if previous is not None:
        if s.turn != previous["turn"] + 1:
            bad.append("the turn did not advance by one")
        if s.japan_gdp_loss_jpy < previous["gdp"] - 1e-6:
            bad.append("Japan's cumulative loss went down")
        if s.china_export_loss_usd < previous["exports"] - 1e-6:
            bad.append("China's cumulative export loss went down")
    accepted = model.reports[-1].orders
    for actor, moves in accepted.items():
        if len(moves) > rules.actors[actor].moves_per_turn:
            bad.append(f"{actor} played {len(moves)} moves")
    return bad


def mark(model: WargameModel) -> dict:
    return {"turn": model.state.turn, "gdp": model.state.japan_gdp_loss_jpy, "exports": model.state.china_export_loss_usd}


def tokyo_holding(turns_played: int = 3, ruleset=None, *, rng: int = 7, turns: int = 12) -> WargameModel:
    """A game in which Tokyo is played by a person who has held for `turns_played` turns; the AI plays the rest."""
    model = WargameModel(ruleset, rng=rng, turns=turns, humans=("tokyo",))
    for _ in range(turns_played):
        model.submit("tokyo", [])
        model.step()
    return model


def played_game(rules, seed: int = 7, turns: int = 8, humans: tuple[str, ...] = ("tokyo",),
                policy: str = "utility") -> WargameModel:
    """A finished game with human moves and instructor interventions of every kind."""
    model = new_game(rules, seed, turns, humans, policy)
    while model.running:
        drive(model, seed)
        model.step()
    return model


def run_with_input(*args: str, input_text: str = "", timeout: float = 300):
    """Run the real `wargame` command with `input_text` on its standard input."""
    import subprocess
    import sys
    from pathlib import Path

    return subprocess.run([sys.executable, "-m", "wargame", *args], capture_output=True, text=True,
                          input=input_text, cwd=Path(__file__).resolve().parent.parent, timeout=timeout)
