"""Policies decide an actor's moves from its Observation. Plug in your own in a few lines:

    class Cautious:
        def choose(self, observation, legal, rng):
            return [m for m in legal if observation.rules.moves[m].severity <= 0][:1]

Any object with that `choose` method is a Policy. `legal` lists the move ids the actor may play now;
`rng` is the actor's own seeded numpy Generator, the only randomness a policy should use.
"""

from __future__ import annotations

import importlib
import math
from collections.abc import Sequence
from operator import mul
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import WargameError
from .forecast import FEATURES, static_vector, undo
from .moves import CAPITAL_SLACK
from .observation import Observation
from .ruleset import ActorSpec, Ruleset
from .state import pair_key


@runtime_checkable
class Policy(Protocol):
    def choose(self, observation: Observation, legal: Sequence[str], rng: np.random.Generator) -> list[str]:
        """Return the ids of the moves to play this turn (an empty list holds)."""


CREDIBLE_COMMITMENT_TURNS = 8


class HoldPolicy:
    """Plays nothing: the actor holds its position."""

    name = "hold"

    def choose(self, observation, legal, rng):
        return []


class RandomPolicy:
    """Plays a random number of random legal moves, up to the actor's limit per turn."""

    name = "random"

    def __init__(self, moves_per_turn: int = 2):
        self.moves_per_turn = moves_per_turn

    def choose(self, observation, legal, rng):
        if not legal:
            return []
        k = int(rng.integers(0, min(self.moves_per_turn, len(legal)) + 1))
        picks = rng.choice(len(legal), size=k, replace=False)
        return [legal[i] for i in sorted(picks)]


class HumanPolicy:
    """Moves come from a person through WargameModel.submit(); until then the actor holds."""

    name = "human"

    def __init__(self):
        self.pending: list[str] | None = None

    def choose(self, observation, legal, rng):
        moves, self.pending = self.pending or [], None
        return list(moves)


class UtilityPolicy:
    """The doctrine AI: weighs each legal move's expected effect on the actor's objectives.

    utility(move) = Σ weight[objective] × feature[objective], where the features come from the move's
    declarative effects (forecast.py) scaled by the situation: supply matters more to Japan's side the
    worse the shortage and the more resolute it believes Beijing to be; escalation appeals in proportion to
    the actor's private resolve; export losses weigh more on Beijing under domestic pressure. Moves are
    drawn one at a time from a softmax at the actor's temperature; holding scores zero.
    """

    name = "utility"

    def __init__(self, spec: ActorSpec, rules: Ruleset):
        self.spec = spec
        self.rules = rules
        self.weights = {k: spec.objectives.get(k, 0.0) for k in FEATURES}
        self._weights = tuple(self.weights.values())   # in FEATURES order
        own = rules.moves_by_actor[spec.id]
        self._vectors = {m.id: static_vector(rules, spec.id, m.id) for m in own}
        self._cancels = {m.id: bool(m.cancels) for m in own}
        self._capital = {m.id: m.capital for m in own}
        self._families = {m.id: m.family for m in rules.moves.values()}
        net = rules.network
        self._china = next((g for g in rules.governments if rules.actors[g].country == net.china), None)
        starts = {other: rules.politics["relations_start"].get(pair_key(spec.id, other))
                  for other in rules.governments if other != spec.id}
        starts = {k: v for k, v in starts.items() if v is not None}
        self._rival = min(starts, key=starts.get) if spec.kind == "government" and starts else None
        self._rival_start = starts.get(self._rival, 0.0) if self._rival else 0.0
        self._rival_key = pair_key(spec.id, self._rival) if self._rival is not None else None

    def scores(self, obs: Observation, legal: Sequence[str]) -> dict[str, float]:
        w_supply, w_exports, w_tension, w_relations, w_cohesion, w_pressure, w_cost, w_diversification, \
            w_resolve, w_output = self._weights
        state = obs._state
        actor = obs.actor
        indicators = state.indicators
        shortfall = max(0.0, 1.0 - indicators.get("japan_supply_index", 1.0))
        state_active = obs.known_active()
        resolve = state.resolve.get(actor)
        if resolve is None:
            resolve = 0.5
        # The sign of the supply weight decides which of the two situation terms the actor needs.
        if w_supply > 0:
            if state_active is state.active:
                coercing = state.count_active("coercion") > 0
            else:
                coercing = any(self._families[a["move"]] == "coercion" for a in state_active)
            supply_scale = 1.0 + 6.0 * shortfall     # urgency
            if coercing:
                china = self._china
                supply_scale += 2.0 * (obs.belief(china) if china and china != actor else 0.5)
        else:
            if state_active is state.active:
                own_coercion = state.count_active("coercion", actor)
            else:
                families = self._families
                own_coercion = sum(1 for a in state_active if a["actor"] == actor and families[a["move"]] == "coercion")
            supply_scale = (0.5 + resolve) / (1.0 + own_coercion)
        hawk = 2.0 * resolve - 1.0
        if self._rival is not None:
            # Tit for tat: worsening relations with the rival harden the actor, improving ones soften it.
            hawk += self._rival_start - state.relations.get(self._rival_key, 0.0)
        hawk = max(-1.0, min(1.0, hawk))
        # Weight × situation for each feature, in forecast.FEATURES order, then the runway term.
        scale = (w_supply * supply_scale,
                 w_exports * (1.0 + 2.0 * state.pressure.get(actor, 0.0)),
                 w_tension * (1.0 + state.tension / 5.0),
                 w_relations, w_cohesion, w_pressure, w_cost,
                 w_diversification * (1.0 + indicators.get("diversification_tpw", 0.0) / 100.0),
                 w_resolve * hawk,
                 w_output * (1.0 - shortfall),
                 w_supply * 4.0 * shortfall)
        out = {}
        vectors, cancels = self._vectors, self._cancels
        for move_id in legal:
            if cancels[move_id]:
                f, reversal = self._undoing(obs, move_id, state_active)
                out[move_id] = (0.0 - reversal) + sum(map(mul, f, scale))
            else:
                # sum() never returns -0.0, so this equals the 0.0 + sum(...) a zero reversal cost gives above.
                out[move_id] = sum(map(mul, vectors[move_id], scale))
        return out

    def _undoing(self, obs: Observation, move_id: str, active: list[dict]) -> tuple[tuple[float, ...], float]:
        """A cancelling move's features once it undoes the moves it ends (forecast.undo), and its
        reversal cost: doctrine says undoing one's own recent move costs credibility, the more the more
        recent it is. One pass over the moves in force gives both."""
        cancels = self.rules.moves[move_id].cancels
        undone = []
        cost = 0.0
        for a in active:
            if a["move"] in cancels:
                undone.append(static_vector(self.rules, a["actor"], a["move"]))
                if a["actor"] == obs.actor:
                    age = obs.turn - a["since"]
                    if age < CREDIBLE_COMMITMENT_TURNS:
                        cost += 1.5 * (1.0 - age / CREDIBLE_COMMITMENT_TURNS)
        f = self._vectors[move_id]
        return (undo(f, undone) if undone else f), cost

    def choose(self, observation, legal, rng):
        if not legal:
            return []
        scores = self.scores(observation, legal)
        chosen: list[str] = []
        remaining = list(legal)
        t = self.spec.temperature
        capital = self._capital
        budget = observation.capital
        exp = math.exp
        for _ in range(self.spec.moves_per_turn):
            limit = budget + CAPITAL_SLACK
            options = [m for m in remaining if capital[m] <= limit]
            if not options:
                break
            values = [0.0]
            values += [scores[m] for m in options]
            top = max(values)
            weights = [exp((v - top) / t) for v in values]
            pick = _draw(rng, weights, sum(weights))
            if pick == 0:
                break
            move = options[pick - 1]
            chosen.append(move)
            remaining.remove(move)
            budget -= capital[move]
        return chosen


def _draw(rng: np.random.Generator, weights: list[float], total: float) -> int:
    x = rng.random() * total
    for i, wt in enumerate(weights):
        x -= wt
        if x < 0:
            return i
    return len(weights) - 1


# The policies known by name; make_policy builds each with what it needs.
BUILTIN = {"utility": UtilityPolicy, "random": RandomPolicy, "hold": HoldPolicy, "human": HumanPolicy}

# Who plays an actor, as people read it: the ids are for rulesets, saves and the command line.
PLAYED_BY = {"utility": "the doctrine AI", "random": "an AI choosing at random", "hold": "an AI that holds every turn",
             "human": "a person"}


def played_by(policy: str) -> str:
    """Who plays an actor on that policy, as the end of 'Tokyo is played by ...': 'the doctrine AI'; a policy
    class of the user's own by its name ('the policy mine:Cautious')."""
    return PLAYED_BY.get(policy, f"the policy {policy}")


def make_policy(name: str, spec: ActorSpec, rules: Ruleset) -> Policy:
    """Build a policy by name: utility, random, hold, human, or 'package.module:Class' for your own."""
    if name == "utility":
        return UtilityPolicy(spec, rules)
    if name == "random":
        return RandomPolicy(spec.moves_per_turn)
    if name == "hold":
        return HoldPolicy()
    if name == "human":
        return HumanPolicy()
    if ":" in name:
        module_name, _, cls_name = name.partition(":")
        try:
            cls = getattr(importlib.import_module(module_name), cls_name)
        except (ImportError, AttributeError) as exc:
            raise WargameError(f"cannot load policy '{name}': {exc}") from None
        if not isinstance(cls, type):
            raise WargameError(f"policy '{name}' is not a class (a policy is a class whose instances have a "
                               "choose(observation, legal, rng) method)")
        try:
            policy = cls()
        except Exception as exc:   # the user's own code: say what went wrong in one line
            raise WargameError(f"policy '{name}' could not be created: {type(exc).__name__}: {exc}") from None
        if not isinstance(policy, Policy):
            raise WargameError(f"policy '{name}' has no choose(observation, legal, rng) method")
        return policy
    raise WargameError(f"unknown policy '{name}'; expected {', '.join(BUILTIN)} or module:Class")
