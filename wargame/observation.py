"""What one actor can know: public indicators and events, plus its own private facts.

Policies and front ends see the game only through an Observation. Another actor's hidden moves, private
resolve and stocks never appear in it (unless an instructor has revealed them).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .moves import Event
    from .ruleset import Ruleset
    from .state import GameState

PUBLIC_INDICATORS = frozenset(("turn", "date", "tension", "ladder", "cohesion", "japan_gdp_loss_jpy", "japan_gdp_loss_share",
                     "imports_to_japan", "japan_supply_index", "japan_import_share_china", "japan_heavy_share_china", "price_inside_china",
                     "price_outside_china", "sector_output", "relations", "diversification_tpw",
                     "china_export_loss_usd", "japan_other_loss_jpy", "japan_stock_weeks"))


@dataclass(frozen=True, init=False)
class Observation:
    actor: str | None               # None: a spectator, who knows public facts only
    turn: int                       # the turn about to be played
    rules: "Ruleset"
    _state: "GameState"
    _events: Sequence["Event"]      # the game's log, read through events()

    def __init__(self, actor: str | None, turn: int, rules: "Ruleset", _state: "GameState",
                 _events: Sequence["Event"]):
        # One is built for every actor every turn. Filling the instance dict directly costs half what the
        # frozen dataclass's generated __init__ (object.__setattr__ per field) does, for the same object.
        d = self.__dict__
        d["actor"], d["turn"], d["rules"], d["_state"], d["_events"] = actor, turn, rules, _state, _events

    # -- public ------------------------------------------------------------------------------------
    @property
    def tension(self) -> float:
        return self._state.tension

    @property
    def cohesion(self) -> float:
        return self._state.cohesion

    def indicator(self, name: str, default: Any = 0.0) -> Any:
        if name not in PUBLIC_INDICATORS:
            raise KeyError(f"'{name}' is not public")
        return self._state.indicators.get(name, default)

    def relation(self, a: str, b: str) -> float:
        return self._state.relation(a, b)

    def active_moves(self) -> list[dict]:
        """Moves in force that this actor knows about: public ones and its own."""
        return [dict(a) for a in self.known_active()]

    def known_active(self) -> list[dict]:
        """As active_moves(), without copies: for policies that only read. The state's own list when nothing
        in force is hidden from this actor."""
        state = self._state
        views = state.active_views()
        private = views.get("private moves in force")
        if private is None:
            # Once per change of the moves in force, for every actor's view: the private moves and their movers.
            moves = self.rules.moves
            entries = [(a["move"], a["actor"]) for a in state.active if not moves[a["move"]].public]
            private = views["private moves in force"] = ({m for m, _ in entries}, {actor for _, actor in entries})
        private_moves, movers = private
        if not movers:
            return state.active
        me, revealed = self.actor, state.revealed
        hidden = frozenset(actor for actor in movers if actor != me and actor not in revealed)
        if not hidden:
            return state.active
        # Actors from whom the same movers are hidden share one view.
        key = ("known_active", hidden)
        known = views.get(key)
        if known is None:
            known = views[key] = [a for a in state.active if a["move"] not in private_moves or a["actor"] not in hidden]
        return known

    def events(self, since: int = 0) -> list["Event"]:
        return [e for e in self._events if e.turn >= since and (e.visible(self.actor) or self._revealed(e.actor))]

    # -- private to this actor -------------------------------------------------------------------------
    @property
    def resolve(self) -> float | None:
        return self._state.resolve.get(self.actor)

    @property
    def capital(self) -> float:
        return self._state.capital.get(self.actor, 0.0)

    @property
    def pressure(self) -> float:
        return self._state.pressure.get(self.actor, 0.0)

    def belief(self, target: str) -> float:
        """This actor's expected value of `target`'s resolve (0 dove .. 1 hawk)."""
        if target == self.actor:
            return self._state.resolve.get(target, 0.5)
        if self._revealed(target) and target in self._state.resolve:
            return self._state.resolve[target]
        a, b = self._state.beliefs.get(self.actor, {}).get(target, (1.0, 1.0))
        return a / (a + b)

    def own_inventory(self) -> dict[str, dict[str, float]]:
        """Stocks at the nodes this actor operates: node -> commodity -> tonnes (none for a spectator)."""
        if self.actor is None:
            return {}
        net = self.rules.network
        own = self.rules.actors[self.actor].nodes
        return {n: {net.commodities[c].id: round(v, 3) for c, v in enumerate(self._state.inventory[net.node_index[n]])
                    if v} for n in own}

    def _revealed(self, actor: str | None) -> bool:
        return actor is not None and actor in self._state.revealed

    def to_dict(self) -> dict:
        private = {} if self.actor is None else {
            "resolve": self.resolve, "capital": self.capital, "pressure": self.pressure,
            "beliefs": {t: round(self.belief(t), 4) for t in self.rules.governments if t != self.actor},
            "inventory": self.own_inventory()}
        return {
            "actor": self.actor, "turn": self.turn,
            "public": {k: v for k, v in self._state.indicators.items() if k in PUBLIC_INDICATORS},
            "private": private,
            "active_moves": self.active_moves(),
            "events": [e.to_dict() for e in self.events()],
        }
