"""Actors as Mesa agents. Each one observes what it may know and asks its Policy for moves."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from .observation import Observation
from .policies import Policy
from .ruleset import ActorSpec

if TYPE_CHECKING:
    from .model import WargameModel


class ActorAgent(mesa.Agent):
    """Beijing, Tokyo, Washington, the G7, exporters or manufacturers: one agent per ruleset actor."""

    def __init__(self, model: "WargameModel", spec: ActorSpec, policy: Policy, rng: np.random.Generator):
        super().__init__(model)
        self.actor_id = spec.id
        self.spec = spec
        self.policy = policy
        self.stream = rng
        self.orders: list[str] = []
        self.legal: list[str] = []       # the moves it could play when it last decided

    def observe(self) -> Observation:
        return self.model.observe(self.actor_id)

    def decide(self) -> None:
        self.legal = legal = self.model.legal_moves(self.actor_id)
        self.orders = list(self.policy.choose(self.observe(), legal, self.stream))

    def __repr__(self) -> str:
        return f"ActorAgent({self.actor_id}, policy={getattr(self.policy, 'name', type(self.policy).__name__)})"
