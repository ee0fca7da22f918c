"""The Mesa model: one step() is one turn.

    observe → decide (each agent's Policy) → adjudicate → trade and market → economy and politics → record

The rules themselves live in the pure core (turn.py and the modules it calls); this class owns the agents,
the seeded random streams, the event log and the DataCollector.
"""

from __future__ import annotations

import datetime
import numbers
from collections.abc import Mapping
from pathlib import Path

import mesa

from . import indicators as ind
from .agents import ActorAgent
from .effects import Effect
from .errors import IllegalMove, WargameError
from .moves import CHOSEN_TWICE, Event, legal_moves, too_costly, too_many_moves, why_illegal
from .observation import Observation
from .policies import HumanPolicy, Policy, make_policy
from .ruleset import Ruleset, load_ruleset
from .scripts import Script, ScriptedPolicy
from .state import GameState, initial_state
from .turn import TurnReport, prepare_next_turn, resolve_turn


def _scalar_reporter(name: str):
    def report(model: "WargameModel") -> float:
        return model.state.indicators.get(name, 0.0)
    report.__name__ = name
    return report


class WargameModel(mesa.Model):
    """A game of the rare-earth crisis. Build with a ruleset (or its path; None for the default) and a seed.

    `policies` maps actor ids to a Policy or a policy name (utility, random, hold, human, 'module:Class'),
    overriding the ruleset's; `humans` are the actors played by people (through submit()); `script` pins
    moves by turn for everyone else; `turns` is the turn limit (default: the ruleset's max_turns).
    `collect=False` leaves the DataCollector empty (dataframe() has no rows): for batch runners that
    read `state.indicators` after each step. `rng` is the game's seed, a whole number of at least 0: the
    same seed, ruleset and moves give the same game, which is what lets a save be replayed. Raises
    WargameError for a bad seed, an unknown actor or policy, or an actor both human and given a policy.
    """

    def __init__(self, ruleset: Ruleset | str | Path | None = None, *, rng: int = 0,
                 policies: Mapping[str, Policy | str] | None = None, script: Script | None = None,
                 turns: int | None = None, humans: tuple[str, ...] = (), collect: bool = True):
        if isinstance(rng, bool) or not isinstance(rng, numbers.Integral) or rng < 0:
            raise WargameError(f"rng: expected the game's seed, a whole number of at least 0, got {rng!r}")
        rng = int(rng)
        super().__init__(rng=rng)
        self.rules = ruleset if isinstance(ruleset, Ruleset) else load_ruleset(ruleset)
        self.seed = rng
        self.script = script
        problem = None if turns is None else self.rules.turn_limit_problem(turns)
        if problem:
            raise WargameError(f"turns: {problem}")
        self.turn_limit = turns or self.rules.max_turns
        self.state: GameState = initial_state(self.rules, self.rng)
        self.state.indicators = ind.baseline(self.rules, self.state)
        self.events: list[Event] = []
        self.reports: list[TurnReport] = []
        self.injected: list[Effect] = []   # the instructor's persistent effects for the coming turn only
        policies = dict(policies or {})
        unknown = sorted(set(policies) - set(self.rules.actor_ids)) + sorted(set(humans) - set(self.rules.actor_ids))
        if unknown:
            raise WargameError(self.rules.unknown_actor(unknown[0]))
        both = [a for a in humans if a in policies and policies[a] != "human"]
        if both:
            raise WargameError(f"{self.rules.actors[both[0]].name} is both played by a person (humans) and given the "
                               f"policy {policies[both[0]]!r} (policies): give one or the other")
        streams = self.rng.spawn(len(self.rules.actors))
        self.actors: dict[str, ActorAgent] = {}
        self.policy_names: dict[str, str] = {}
        for stream, (aid, spec) in zip(streams, self.rules.actors.items()):
            policy = policies.get(aid, "human" if aid in humans else spec.policy)
            if isinstance(policy, str):
                self.policy_names[aid] = policy
                policy = make_policy(policy, spec, self.rules)
            else:
                self.policy_names[aid] = getattr(policy, "name", None) or f"{type(policy).__module__}:{type(policy).__qualname__}"
            if script is not None and not isinstance(policy, HumanPolicy):
                policy = ScriptedPolicy(script, aid, policy)
            self.actors[aid] = ActorAgent(self, spec, policy, stream)
        self.events.extend(prepare_next_turn(self.rules, self.state))
        self.on_decide = None   # optional callable(actor_id), told as each actor starts deciding (progress)
        # Batches that record indicators themselves (wargame.montecarlo) turn collection off: it is a
        # noticeable share of a turn when the turn is all a process does.
        self.collect = collect
        self.datacollector = mesa.DataCollector(model_reporters={n: _scalar_reporter(n) for n in ind.SCALARS})
        self.running = True

    # -- the turn ------------------------------------------------------------------------------------
    def step(self) -> None:
        for agent in self.agents:
            if self.on_decide is not None:
                self.on_decide(agent.actor_id)
            agent.decide()
        # Nothing changes the state between the decisions and adjudication, so the legal moves each actor
        # decided from are the ones its orders are judged against.
        self.resolve({aid: agent.legal for aid, agent in self.actors.items()})

    def resolve(self, legal: Mapping[str, list[str]] | None = None) -> TurnReport:
        """Adjudicate the orders the agents hold and advance the world one turn. `legal` may give each
        actor's legal moves in the present state, if already known."""
        orders = {aid: agent.orders for aid, agent in self.actors.items()}
        last = self.state.turn + 1 >= self.turn_limit
        report = resolve_turn(self.rules, self.state, orders, self.injected, last_turn=last, legal=legal)
        self.injected = []
        self.events.extend(report.events)
        self.reports.append(report)
        if self.collect:
            self.datacollector.collect(self)
        if self.state.outcome is not None or self.state.turn >= self.turn_limit:
            self.running = False
        return report

    def run(self, turns: int | None = None) -> None:
        """Play until the game ends or `turns` more turns have been played."""
        target = self.state.turn + (turns if turns is not None else self.turn_limit)
        while self.running and self.state.turn < target:
            self.step()

    # -- the public API for front ends ---------------------------------------------------------------
    @property
    def turn(self) -> int:
        """The number of the turn about to be played."""
        return self.state.turn + 1

    @property
    def date(self) -> datetime.date:
        """The calendar date on which the coming turn begins."""
        return self.rules.date_of(self.turn)

    def legal_moves(self, actor: str) -> list[str]:
        """The moves `actor` may play on the coming turn, in catalogue order."""
        return legal_moves(self.rules, self.state, actor)

    def why_illegal(self, actor: str, move: str) -> str | None:
        """None if `actor` may play `move` on the coming turn; otherwise a sentence saying why not."""
        return why_illegal(self.rules, self.state, actor, move)

    def observe(self, actor: str | None) -> Observation:
        """What `actor` may know now; `observe(None)` is a spectator's view: public facts only."""
        return Observation(actor, self.turn, self.rules, self.state, self.events)

    def humans(self) -> list[str]:
        """The actors played by people, in ruleset order."""
        return [a for a, agent in self.actors.items() if isinstance(agent.policy, HumanPolicy)]

    def submit(self, actor: str, moves: list[str]) -> None:
        """Queue a human player's moves for the coming turn. Raises IllegalMove with every reason."""
        agent = self.actors.get(actor)
        if agent is None or not isinstance(agent.policy, HumanPolicy):
            who = agent.spec.name if agent is not None else actor
            raise IllegalMove(f"{who} is not played by a person in this game")
        reasons = self.order_problems(actor, moves)
        if reasons:
            raise IllegalMove(reasons)
        agent.policy.pending = list(moves)

    def order_problems(self, actor: str, moves: list[str]) -> list[str]:
        """Every reason why `actor` cannot play `moves` together on the coming turn (empty if it can), in a
        player's words: for a person's orders and an instructor's override alike."""
        spec = self.rules.actors[actor]
        reasons = [f"{m}: {r}" for m in moves if (r := self.why_illegal(actor, m))]
        if len(set(moves)) < len(moves):
            reasons.append(CHOSEN_TWICE)
        cost = sum(self.rules.moves[m].capital for m in moves if m in self.rules.moves)
        reasons += filter(None, [too_many_moves(spec.name, spec.moves_per_turn, len(moves)),
                                 too_costly(spec.name, cost, self.state.capital.get(actor, 0.0))])
        return reasons

    def overrides(self) -> dict[str, tuple[str, ...]]:
        """The moves the instructor (or a branch) has set for actors on the coming turn."""
        return {rec["actor"]: tuple(rec["moves"]) for rec in self.interventions
                if rec["turn"] == self.turn and rec["kind"] == "override"}

    def awaiting_orders(self) -> list[str]:
        """The people at the keyboard who have no moves for the coming turn: neither entered by them nor set
        for them by the instructor. Played now, they would hold."""
        set_for = self.overrides()
        return [a for a in self.humans() if a not in set_for and self.submitted(a) is None]

    def submitted(self, actor: str) -> list[str] | None:
        """The moves a person has queued for the coming turn, or None if they have yet to move (a saved
        game keeps them)."""
        agent = self.actors.get(actor)
        if agent is None or not isinstance(agent.policy, HumanPolicy) or agent.policy.pending is None:
            return None
        return list(agent.policy.pending)

    def indicators(self) -> dict:
        """The last turn's indicators (before the first turn, the supply chain running normally): the same
        dict as state.indicators."""
        return self.state.indicators

    def dataframe(self):
        """The DataCollector's per-turn indicators as a pandas DataFrame."""
        return self.datacollector.get_model_vars_dataframe()

    @property
    def interventions(self) -> list[dict]:
        """The instructor's interventions in the order made, as plain data (see wargame.instructor).

        They belong to the game's record: saves carry them and replays re-apply them before the turn
        each one preceded.
        """
        return self.__dict__.setdefault("_interventions", [])


