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
from typing import Protocol, runtime_checkable

import numpy as np

from .errors import WargameError
from .forecast import FEATURES, feature_vector, features, static_features
from .observation import Observation
from .ruleset import ActorSpec, Ruleset


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
        own = rules.moves_by_actor[spec.id]
        self._vectors = {m.id: feature_vector(static_features(rules, spec.id, m.id)) for m in own}
        self._cancels = {m.id: bool(m.cancels) for m in own}
        self._families = {m.id: m.family for m in rules.moves.values()}
        net = rules.network
        self._china = next((g for g in rules.governments if rules.actors[g].country == net.china), None)
        starts = {other: rules.politics["relations_start"].get("|".join(sorted((spec.id, other))))
                  for other in rules.governments if other != spec.id}
        starts = {k: v for k, v in starts.items() if v is not None}
        self._rival = min(starts, key=starts.get) if spec.kind == "government" and starts else None
        self._rival_start = starts.get(self._rival, 0.0) if self._rival else 0.0

    def scores(self, obs: Observation, legal: Sequence[str]) -> dict[str, float]:
        rules, w = self.rules, self.weights
        state = obs._state
        indicators = state.indicators
        shortfall = max(0.0, 1.0 - indicators.get("japan_supply_index", 1.0))
        state_active = obs.known_active()
        if state_active is state.active:
            coercing = state.count_active("coercion") > 0
            own_coercion = state.count_active("coercion", obs.actor)
        else:
            families = self._families
            coercing = any(families[a["move"]] == "coercion" for a in state_active)
            own_coercion = sum(1 for a in state_active if a["actor"] == obs.actor and families[a["move"]] == "coercion")
        china = self._china
        expected = obs.belief(china) if china and china != obs.actor else 0.5
        urgency = 1.0 + 6.0 * shortfall + (2.0 * expected if coercing else 0.0)
        resolve = obs.resolve if obs.resolve is not None else 0.5
        hawk = 2.0 * resolve - 1.0
        if self._rival is not None:
            # Tit for tat: worsening relations with the rival harden the actor, improving ones soften it.
            hawk += self._rival_start - obs.relation(obs.actor, self._rival)
        hawk = max(-1.0, min(1.0, hawk))
        supply_scale = urgency if w["japan_supply"] > 0 else (0.5 + resolve) / (1.0 + own_coercion)
        # Weight × situation for each feature, in forecast.FEATURES order, then the runway term.
        scale = (w["japan_supply"] * supply_scale,
                 w["china_exports"] * (1.0 + 2.0 * obs.pressure),
                 w["tension"] * (1.0 + obs.tension / 5.0),
                 w["relations"], w["cohesion"], w["pressure"], w["cost"],
                 w["diversification"] * (1.0 + indicators.get("diversification_tpw", 0.0) / 100.0),
                 w["resolve"] * hawk,
                 w["own_output"] * (1.0 - shortfall),
                 w["japan_supply"] * 4.0 * shortfall)
        out = {}
        vectors = self._vectors
        for move_id in legal:
            f = vectors[move_id]
            u = 0.0
            if self._cancels[move_id]:
                f = feature_vector(features(rules, self.spec.id, move_id, state_active))
                u -= self._reversal_cost(obs, move_id, state_active)
            out[move_id] = u + sum(a * b for a, b in zip(f, scale))
        return out

    def _reversal_cost(self, obs: Observation, move_id: str, active: list[dict]) -> float:
        """Doctrine: undoing one's own recent move costs credibility, the more the more recent it is."""
        cancels = self.rules.moves[move_id].cancels
        cost = 0.0
        for a in active:
            if a["actor"] == obs.actor and a["move"] in cancels:
                age = obs.turn - a["since"]
                if age < CREDIBLE_COMMITMENT_TURNS:
                    cost += 1.5 * (1.0 - age / CREDIBLE_COMMITMENT_TURNS)
        return cost

    def choose(self, observation, legal, rng):
        if not legal:
            return []
        scores = self.scores(observation, legal)
        chosen: list[str] = []
        remaining = list(legal)
        t = self.spec.temperature
        budget = observation.capital
        for _ in range(self.spec.moves_per_turn):
            options = [m for m in remaining if self.rules.moves[m].capital <= budget + 1e-9]
            if not options:
                break
            values = [0.0] + [scores[m] for m in options]
            top = max(values)
            weights = [math.exp((v - top) / t) for v in values]
            total = sum(weights)
            pick = _draw(rng, weights, total)
            if pick == 0:
                break
            move = options[pick - 1]
            chosen.append(move)
            remaining.remove(move)
            budget -= self.rules.moves[move].capital
        return chosen


def _draw(rng: np.random.Generator, weights: list[float], total: float) -> int:
    x = rng.random() * total
    for i, wt in enumerate(weights):
        x -= wt
        if x < 0:
            return i
    return len(weights) - 1


BUILTIN = {"utility": UtilityPolicy, "random": RandomPolicy, "hold": HoldPolicy, "human": HumanPolicy}


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
        policy = cls()
        if not isinstance(policy, Policy):
            raise WargameError(f"policy '{name}' has no choose(observation, legal, rng) method")
        return policy
    raise WargameError(f"unknown policy '{name}'; expected utility, random, hold, human or module:Class")
