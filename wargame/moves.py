"""Move legality, costs and simultaneous adjudication.

All moves of a turn are checked against the state as it stood before any of them, then applied together
in a canonical order (actors in ruleset order, each actor's moves in the order given), so no actor gains
from moving first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache

from .effects import Modifiers
from .ruleset import MoveSpec, Ruleset
from .state import GameState

# Capital is spent in fractions (0.5, 1.5): a sum of costs may land a rounding error above what the actor has,
# which must not refuse moves it can afford.
CAPITAL_SLACK = 1e-9
CHOSEN_TWICE = "the same move is chosen twice"


# The limits on a turn's set of moves as a whole, worded once for the engine's log, its API and the move screen.
def too_many_moves(actor_name: str, limit: int, count: int) -> str | None:
    """Why `count` moves are too many for an actor allowed `limit` a turn, or None."""
    if count <= limit:
        return None
    return f"{actor_name} may play at most {limit} move{'' if limit == 1 else 's'} a turn"


def too_costly(actor_name: str, cost: float, have: float) -> str | None:
    """Why moves costing `cost` political capital together are beyond an actor with `have`, or None."""
    if cost <= have + CAPITAL_SLACK:
        return None
    return f"these moves cost {cost:g} political capital; {actor_name} has {have:.1f}"


@dataclass(frozen=True, init=False)
class Event:
    """Something that happened. `visible_to` is None for public events, else the actors who know of it."""

    turn: int
    actor: str | None
    kind: str                       # move | rejected | effect | expired | project | inject | instructor | outcome
    text: str
    move: str | None = None
    visible_to: tuple[str, ...] | None = None

    def __init__(self, turn: int, actor: str | None, kind: str, text: str, move: str | None = None,
                 visible_to: tuple[str, ...] | None = None):
        # The generated __init__ of a frozen dataclass sets each field through object.__setattr__; filling
        # the instance dict directly builds the same object at half the cost (a dozen events a turn).
        d = self.__dict__
        d["turn"], d["actor"], d["kind"], d["text"], d["move"], d["visible_to"] = turn, actor, kind, text, move, visible_to

    def visible(self, actor: str | None) -> bool:
        return self.visible_to is None or (actor is not None and actor in self.visible_to)

    def to_dict(self) -> dict:
        return {"turn": self.turn, "actor": self.actor, "kind": self.kind, "text": self.text, "move": self.move,
                "visible_to": list(self.visible_to) if self.visible_to is not None else None}

    @classmethod
    def from_dict(cls, d: dict) -> "Event":
        vt = d.get("visible_to")
        return cls(d["turn"], d.get("actor"), d["kind"], d["text"], d.get("move"), tuple(vt) if vt is not None else None)


@dataclass
class Adjudication:
    accepted: dict[str, list[str]] = field(default_factory=dict)
    rejected: dict[str, list[tuple[str, str]]] = field(default_factory=dict)   # actor -> [(move, reason)]
    events: list[Event] = field(default_factory=list)


def why_illegal(rules: Ruleset, state: GameState, actor: str, move_id: str) -> str | None:
    """None if `actor` may play `move_id` now; otherwise why not, in a player's words. Every caller shows the
    reason beside the move it is about (a list entry, 'MOVE: reason', 'MOVE not played: reason'), so the reason
    does not name the move again; it names actors as players know them, and quotes what was asked for only
    where the ruleset knows no such actor or move."""
    move = rules.moves.get(move_id)
    if actor not in rules.actors:
        return f"unknown actor '{actor}'"
    if move is None:
        return f"unknown move '{move_id}'"
    who = rules.actors[actor].name
    if actor not in move.actors:
        return f"belongs to {_in_words([rules.actors[a].name for a in move.actors])}, not {who}"
    if move.duration != 0 and state.is_active(move_id, actor):
        return "already in force"
    if move.cooldown:
        last = state.last_played_by.get(f"{actor}/{move_id}")
        if last is not None and state.turn + 1 - last <= move.cooldown:
            return f"last played on turn {last}; may be played again from turn {last + move.cooldown + 1}"
    if move.max_uses is not None and state.uses.get(f"{actor}/{move_id}", 0) >= move.max_uses:
        # As the move's description words the limit (render.move_lines).
        return "may be played only once a game" if move.max_uses == 1 else \
            f"may be played at most {move.max_uses} times a game"
    if state.capital.get(actor, 0.0) + CAPITAL_SLACK < move.capital:
        return f"needs {move.capital:g} political capital; {who} has {state.capital.get(actor, 0.0):.1f}"
    for cond in move.conditions_for(actor):
        if not cond(state):
            return f"requires {cond.text}"
    return None


def _in_words(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def legal_moves(rules: Ruleset, state: GameState, actor: str) -> list[str]:
    """The moves `actor` may play now, in catalogue order (the same test as why_illegal, without the words)."""
    capital = state.capital.get(actor, 0.0) + CAPITAL_SLACK
    upcoming = state.turn + 1
    in_force = state.active_pairs()
    last_played_by, uses = state.last_played_by, state.uses
    out = []
    # Plain tuples and no calls but the conditions' tests: this runs for every actor every turn.
    for move_id, cost, pair, key, cooldown, max_uses, tests in rules.move_checks.get(actor, ()):
        if cost > capital or pair is not None and pair in in_force:
            continue
        if cooldown:
            last = last_played_by.get(key)
            if last is not None and upcoming - last <= cooldown:
                continue
        if max_uses is not None and uses.get(key, 0) >= max_uses:
            continue
        for test in tests:
            if not test(state):
                break
        else:
            out.append(move_id)
    return out


def expire_moves(rules: Ruleset, state: GameState) -> list[Event]:
    """Drop moves whose duration has run out before the coming turn."""
    events, ended, keep = [], [], []
    upcoming = state.turn + 1
    for a in state.active:
        if a["until"] is not None and a["until"] < upcoming:
            move = rules.moves[a["move"]]
            events.append(Event(upcoming, a["actor"], "expired", f"{move.name} lapses", a["move"],
                                None if move.public else (a["actor"],)))
            ended.append(a)
        else:
            keep.append(a)
    state.end_in_force(ended, keep)
    return events


def adjudicate(rules: Ruleset, state: GameState, orders: dict[str, list[str]],
               legal: Mapping[str, list[str]] | None = None) -> Adjudication:
    """Apply one turn's moves from every actor at once. `legal` may hold legal_moves() of each actor in
    `state`, already worked out."""
    turn = state.turn + 1
    result = Adjudication()
    checked: list[tuple[str, MoveSpec]] = []
    for actor in rules.actor_ids:
        wanted = orders.get(actor, [])
        accepted: list[str] = []
        rejected: list[tuple[str, str]] = []
        result.accepted[actor], result.rejected[actor] = accepted, rejected
        if not wanted:
            continue
        spec = rules.actors[actor]
        # Most orders are legal: one pass over the actor's moves clears them, and only the others need
        # why_illegal's words. Both judge the state as it stood before any move of this turn.
        allowed = legal[actor] if legal is not None and actor in legal else legal_moves(rules, state, actor)
        spent = 0.0
        for move_id in wanted:
            reason = None if move_id in allowed else why_illegal(rules, state, actor, move_id)
            if reason is None and move_id in accepted:
                reason = CHOSEN_TWICE
            if reason is None:
                reason = too_many_moves(spec.name, spec.moves_per_turn, len(accepted) + 1)
            if reason is None:
                reason = too_costly(spec.name, spent + rules.moves[move_id].capital, state.capital.get(actor, 0.0))
            if reason is not None:
                rejected.append((move_id, reason))
                # The log names the move as players know it; an order for a move the ruleset lacks, as given.
                named = rules.moves[move_id].name if move_id in rules.moves else f"'{move_id}'"
                result.events.append(Event(turn, actor, "rejected", f"{named} not played: {reason}", move_id,
                                           (actor,)))
                continue
            spent += rules.moves[move_id].capital
            accepted.append(move_id)
            checked.append((actor, rules.moves[move_id]))

    per_severity = rules.politics["per_severity"]
    for actor, move in checked:
        who = (actor,) if not move.public else None
        state.capital[actor] -= move.capital
        state.money_spent_musd[actor] = state.money_spent_musd.get(actor, 0.0) + move.money_musd
        state.last_played[move.id] = turn
        if move.public:
            state.last_played_public[move.id] = turn
        key = f"{actor}/{move.id}"
        state.last_played_by[key] = turn
        state.uses[key] = state.uses.get(key, 0) + 1
        headline, lasting = _announcement(rules, move, actor)
        result.events.append(Event(turn, actor, "move", headline, move.id, who))
        for cancelled in move.cancels:
            ended = [a for a in state.active if a["move"] == cancelled]
            if ended:
                state.end_in_force(ended)
                result.events.append(Event(turn, actor, "effect", f"ends {rules.moves[cancelled].name}", cancelled,
                                           who))
        if move.duration != 0:
            until = None if move.duration is None else turn + move.duration - 1
            state.put_in_force({"move": move.id, "actor": actor, "since": turn, "until": until})
        state.tension += move.severity * per_severity
        for text in lasting:
            result.events.append(Event(turn, actor, "effect", text, move.id, who))
        for effect in move.instant(actor):
            for text in effect.apply(state, actor, 1.0):
                result.events.append(Event(turn, actor, "effect", text, move.id, who))
    state.tension = min(rules.politics["tension_max"], max(0.0, state.tension))
    return result


@lru_cache(maxsize=1024)
def _announcement(rules: Ruleset, move: MoveSpec, actor: str) -> tuple[str, tuple[str, ...]]:
    """The log's line for `actor` playing `move`, and one for each persistent effect it puts in force: the
    same words every time, so composed once."""
    if move.duration == 0:
        lasting = ()
    else:
        lasting = tuple(f"{effect.describe()} ({move.lasting})" for effect in move.persistent(actor))
    return f"{rules.actors[actor].name}: {move.name}", lasting


@lru_cache(maxsize=8)
def _modifier_tables(rules: Ruleset) -> tuple[tuple[float, ...], tuple[float, ...], dict]:
    """What modifiers() starts from and applies: each lane's priority and spot headroom before any move
    shapes them, and each move's persistent effects by actor (move -> actor -> effects)."""
    lanes = rules.network.lanes
    persistent = {m.id: {a: m.persistent(a) for a in m.actors} for m in rules.moves.values()}
    return tuple(lane.priority for lane in lanes), tuple(lane.headroom for lane in lanes), persistent


def modifiers(rules: Ruleset, state: GameState, extra: list | None = None) -> Modifiers:
    """The combined persistent effects of every move in force (and any injected events)."""
    # The moves in force change on few turns: what they combine to is kept until they do.
    views = state.active_views()
    combined = views.get((modifiers, rules))
    if combined is None:
        priority, headroom, persistent = _modifier_tables(rules)
        combined = Modifiers([1.0] * len(priority), list(priority), list(headroom))
        for a in state.active:
            for effect in persistent[a["move"]][a["actor"]]:
                effect.modify(combined, 1.0)
        views[modifiers, rules] = combined
    mods = combined.copy()
    for effect in extra or ():
        effect.modify(mods, 1.0)
    return mods
