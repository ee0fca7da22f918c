"""Read-only views of a game for front ends: what one player may see, shaped for display.

Every function here derives display data from a model and never changes it. Per-player facts go through
`model.observe(actor)`, so another actor's hidden moves, resolve, pressure and stocks never leak into a
player's view. `actor=None` is the public view of a spectator.
"""

from __future__ import annotations

from dataclasses import dataclass, field
import textwrap
from statistics import fmean
from typing import TYPE_CHECKING, Any

from .effects import Modifiers, project_arrival
from .figures import usd, yen
from .indicators import label, short, titled
from .moves import Event
from .observation import PUBLIC_INDICATORS, Observation
from .ruleset import FAMILIES, MoveSpec, Ruleset

if TYPE_CHECKING:
    from collections.abc import Iterable, Mapping

    from .model import WargameModel


# -- resolve, as every front end names it ---------------------------------------------------------------

# Resolve runs from 0 to 1; from the middle up an actor gains by escalating (a hawk), below it by stepping back.
HAWK_FROM = 0.5
RESOLVE_SCALE = "0 dove, 1 hawk"


def hawk_or_dove(resolve: float) -> str:
    """'hawk' or 'dove': what a resolve makes an actor, as the brief, the player's and the instructor's screens
    and the standings say it. Judged on the resolve as they print it, to two places: the label is a reading
    aid beside that figure (policies use the resolve itself), and 0.4999 beside '0.50' would read as a slip."""
    return "hawk" if round(resolve, 2) >= HAWK_FROM else "dove"


def observe(model: "WargameModel", actor: str | None) -> Observation:
    """The actor's Observation; with no actor, the spectator's: what everyone may see."""
    return model.observe(actor)


# -- indicators and their history ---------------------------------------------------------------------

def public_history(model: "WargameModel", opening: dict | None = None) -> list[dict[str, Any]]:
    """The public indicators of every turn played so far, oldest first.

    Before turn 1 that is the opening position; `opening` (the indicators of a game not yet begun) keeps
    it at the head of the history once turns have been played.
    """
    rows = [r.indicators for r in model.reports]
    if opening is not None and (not rows or rows[0].get("turn") != opening.get("turn")):
        rows.insert(0, opening)
    rows = rows or [model.state.indicators]
    return [{k: v for k, v in row.items() if k in PUBLIC_INDICATORS} for row in rows]


def series(history: list[dict[str, Any]], *path: str, default: float = 0.0) -> list[float]:
    """One indicator through time, following nested keys: series(h, "price_outside_china", "ndpr")."""
    out = []
    for row in history:
        value: Any = row
        for key in path:
            value = value.get(key, default) if isinstance(value, dict) else default
        out.append(float(value) if isinstance(value, (int, float)) else default)
    return out


def own_stock_history(model: "WargameModel", actor: str | None) -> dict[tuple[str, str], list[float]]:
    """The actor's own stocks, (node, commodity) -> tonnes by turn. Other actors' stocks are private."""
    if actor is None:
        return {}
    current = observe(model, actor).own_inventory()
    past = [r.indicators.get("inventory_japan", {}) for r in model.reports]
    out: dict[tuple[str, str], list[float]] = {}
    for node, stock in current.items():
        commodities = set(stock) | {c for row in past for c in row.get(node, {})}
        for c in sorted(commodities):
            history = [float(row[node].get(c, 0.0)) for row in past if node in row]
            out[(node, c)] = (history[:-1] if history else []) + [float(stock.get(c, 0.0))]
    return out


# -- objectives -----------------------------------------------------------------------------------------

OBJECTIVE_LABELS = {
    "japan_supply": "Japan's supply (of normal)",
    "china_exports": label("china_export_loss_usd"),       # the loss is shown: ▼ wants it lower
    "tension": "Tension (0 to 10)",
    "relations": "Your relations (−1 to 1)",
    "cohesion": label("cohesion"),
    "pressure": "Domestic pressure on you",
    "cost": "Money spent",
    "diversification": label("diversification_tpw"),
    "resolve": "Showing your resolve (0 to 1)",
    "own_output": "Your own output (of normal)",
}
# The same objectives said of a player by name, where others read them too (the debrief, the game-over screen).
OBJECTIVE_LABELS_OF = {
    "relations": "{whose} relations with the others (−1 to 1)",
    "pressure": "Domestic pressure on {name}",
    "cost": "Money {name} spent",
    "resolve": "{whose} resolve shown (0 to 1)",
    "own_output": "{whose} own output (of normal)",
}


def objective_label(rules: "Ruleset", objective: str, name: str | None = None) -> str:
    """An objective as its player reads it ('Domestic pressure on you') or, given the player's name, as anyone
    else does ('Domestic pressure on Tokyo'). Tension is given on the ruleset's own scale."""
    if objective == "tension":
        return titled("tension", f"0 to {rules.politics['tension_max']:g}")
    if name is not None and objective in OBJECTIVE_LABELS_OF:
        within = "the " + name[4:] if name.startswith("The ") else name      # 'Money the G7 spent'
        whose = name + ("'" if name.endswith("s") else "'s")                # 'Japanese automakers' own output'
        return OBJECTIVE_LABELS_OF[objective].format(name=within, whose=whose)
    return OBJECTIVE_LABELS.get(objective, objective)


@dataclass(frozen=True)
class Standing:
    """How one of the actor's objectives stands now."""

    objective: str
    label: str
    weight: float
    value: float | None
    text: str                       # the value, formatted for a person
    wants: str                      # "higher", "lower" or "shown"
    change: float | None            # since the previous turn, in the objective's favour when positive
    history: tuple[float, ...] = ()


def _relations_of(relations: dict[str, float], actor: str) -> float | None:
    mine = [v for k, v in relations.items() if actor in k.split("|")]
    return fmean(mine) if mine else None


def _spent(model: "WargameModel", actor: str, upto: int | None = None) -> float:
    moves = model.rules.moves
    return sum(moves[m].money_musd for r in model.reports[:upto] for m in r.adjudication.accepted.get(actor, ()))


def objective_standings(model: "WargameModel", actor: str, opening: dict | None = None) -> list[Standing]:
    """The actor's objectives, heaviest first, each with its current value and last turn's change."""
    obs = observe(model, actor)
    history = public_history(model, opening)
    spec = model.rules.actors[actor]
    own_nodes = set(spec.nodes)
    pressures = [row.get("pressure", {}).get(actor, 0.0) for row in ([opening] if opening else [])
                 + [r.indicators for r in model.reports]]

    def output(row: dict) -> float | None:
        values = [v for k, v in row.get("sector_output", {}).items() if k in own_nodes]
        return fmean(values) if values else None

    measures: dict[str, tuple[list[float | None], bool, Any]] = {
        # objective: (values by turn, whether a higher value serves a positive weight, formatter)
        "japan_supply": (series(history, "japan_supply_index", default=1.0), True, lambda v: f"{v:.0%}"),
        "china_exports": (series(history, "china_export_loss_usd"), False, usd),
        "tension": (series(history, "tension"), True, model.rules.tension_text),
        "relations": ([_relations_of(row.get("relations", {}), actor) for row in history], True,
                      lambda v: f"{v:+.2f}"),
        "cohesion": (series(history, "cohesion"), True, lambda v: f"{v:.2f}"),
        "pressure": ((pressures[:-1] if pressures else []) + [obs.pressure], True, lambda v: f"{v:.2f}"),
        "cost": ([0.0] * (len(history) - len(model.reports)) + [_spent(model, actor, i + 1)
                                                                  for i in range(len(model.reports))], True,
                 lambda v: usd(v * 1e6)),
        "diversification": (series(history, "diversification_tpw"), True, lambda v: f"{v:,.0f} t/{model.rules.per_turn[0]}"),
        "resolve": ([obs.resolve], True, lambda v: f"{v:.2f} {hawk_or_dove(v)}"),
        "own_output": ([output(row) for row in history], True, lambda v: f"{v:.0%}"),
    }
    out = []
    for objective, weight in sorted(spec.objectives.items(), key=lambda kv: -abs(kv[1])):
        if objective not in measures or weight == 0:
            continue
        values, higher_serves, fmt = measures[objective]
        known = [v for v in values if v is not None]
        value = values[-1] if values else None
        text = fmt(value) if value is not None else "—"
        if objective == "resolve":
            out.append(Standing(objective, objective_label(model.rules, objective), weight, value, text, "shown", None))
            continue
        up = (weight > 0) == higher_serves
        change = None
        if len(values) >= 2 and values[-1] is not None and values[-2] is not None:
            change = (values[-1] - values[-2]) * (1 if up else -1)
        out.append(Standing(objective, objective_label(model.rules, objective), weight, value, text,
                            "higher" if up else "lower", change, tuple(known)))
    return out


# -- moves ----------------------------------------------------------------------------------------------

@dataclass(frozen=True)
class MoveOption:
    move: MoveSpec
    reason: str | None              # why it cannot be played now; None when it can

    @property
    def legal(self) -> bool:
        return self.reason is None


def move_options(model: "WargameModel", actor: str) -> list[tuple[str, list[MoveOption]]]:
    """Every move in the actor's catalogue, grouped by family, each with why it is not allowed (if it is not)."""
    legal = set(model.legal_moves(actor))
    groups: dict[str, list[MoveOption]] = {}
    for move in model.rules.moves_by_actor[actor]:
        reason = None if move.id in legal else (model.why_illegal(actor, move.id) or "not allowed now")
        groups.setdefault(move.family, []).append(MoveOption(move, reason))
    order = {f: i for i, f in enumerate(FAMILIES)}
    return sorted(groups.items(), key=lambda kv: order.get(kv[0], len(order)))


# -- the trade graph -------------------------------------------------------------------------------------

NIL_FLOW = 0.05    # tonnes a week: a normal flow below this (it shows as 0.0 t) is none at all


@dataclass(frozen=True)
class EdgeRow:
    """One commodity on one edge of the trade graph, as the actor can see it."""

    edge: str
    src: str
    dst: str
    commodity: str
    capacity: float                 # tonnes a week it can carry now
    licensed: bool
    approval: float                 # share of licence applications approved
    factor: float                   # what the moves in force known to the actor do to it (1 = nothing)
    moves: tuple[str, ...]          # the names of those moves
    flow: float | None              # tonnes shipped last turn (None in a game saved before flows were kept)
    lead_time: int
    src_country: str
    dst_country: str
    good: str = ""                  # the commodity's short label ("NdPr", "magnets")
    stockpile: bool = False         # it leaves a stockpile: no contract, it ships only what a release lets out

    @property
    def normal(self) -> float:
        return 0.0 if self.stockpile else self.capacity * self.approval

    @property
    def carries_nothing_normally(self) -> bool:
        """Whether the route's normal flow is nil: rulesets give a route that normally carries nothing a token
        capacity (0.001 t), which no screen shows as more than 0.0 t."""
        return self.normal < NIL_FLOW

    @property
    def utilisation(self) -> float | None:
        """Last turn's flow as a share of the normal flow; None where there is no normal flow to compare with
        (a share of a token capacity means nothing: 0.00115 t of 0.001 t would read 115%)."""
        if self.flow is None or self.carries_nothing_normally:
            return None
        return self.flow / self.normal

    @property
    def licence(self) -> str:
        if self.stockpile:
            return "on release"     # moves that scale flows leave a stockpile's routes alone
        if self.factor == 0:
            return "stopped"
        parts = [f"licence {self.approval:.0%}"] if self.licensed else []
        if self.factor < 1:
            parts.append(f"cut to {self.factor:.0%}")
        elif self.factor > 1:
            parts.append(f"eased to {self.factor:.0%}")     # as "cut to": ×1.04 to two figures read "×1"
        return ", ".join(parts) or "open"


def _visible_lane_effects(model: "WargameModel", obs: Observation) -> tuple[list[float], dict[int, list[str]]]:
    """Lane factors from the moves in force that this observer knows about, and which moves set them."""
    lanes = model.rules.network.lanes
    total = [1.0] * len(lanes)
    by_lane: dict[int, list[str]] = {}
    for active in obs.active_moves():
        move = model.rules.moves[active["move"]]
        mods = Modifiers([1.0] * len(lanes), [lane.priority for lane in lanes], [lane.headroom for lane in lanes])
        for effect in move.persistent(active["actor"]):
            effect.modify(mods, 1.0)
        for i, f in enumerate(mods.lane_factor):
            if f != 1.0:
                total[i] *= f
                by_lane.setdefault(i, []).append(move.name)
    return total, by_lane


def edge_rows(model: "WargameModel", actor: str | None) -> list[EdgeRow]:
    """The trade graph's lanes, upstream first, with licence state and last turn's flow."""
    net = model.rules.network
    state = model.state
    factors, by_lane = _visible_lane_effects(model, observe(model, actor))
    rank = {n: g for g, gen in enumerate(net.generations) for n in gen}
    flows = state.flows if len(state.flows) == len(net.lanes) else None
    rows = []
    for i, lane in enumerate(net.lanes):
        flow = float(flows[i]) if flows is not None else None
        rows.append((rank.get(lane.src, 0), i, EdgeRow(
            lane.edge, lane.src_name, lane.dst_name, lane.commodity_name, state.lane_capacity[i], lane.licensed,
            lane.approval, factors[i], tuple(by_lane.get(i, ())), flow, lane.lead_time, lane.src_country,
            lane.dst_country, net.commodities[lane.commodity].label, net.nodes[lane.src].kind == "stockpile")))
    return [row for _, _, row in sorted(rows, key=lambda t: (t[0], t[1]))]


# -- events and the turn report ---------------------------------------------------------------------------

def event_wording(event: Event, names: "Mapping[str, str]", last_turn: int | None = None) -> str:
    """An event's text where its turn's context is not at hand: a lapsing move names whose it was (`names`:
    actor id -> name), as several actors may play the same move; capacity a move commits says so when it
    arrives after the game's `last_turn`, as a player would otherwise wait for it."""
    if event.kind == "expired" and event.actor in names:
        return f"{names[event.actor]}: {event.text}"
    arrives = project_arrival(event.text) if event.kind == "effect" and last_turn is not None else None
    if arrives is not None and arrives > last_turn:
        return f"{event.text}, after this game ends on turn {last_turn}"
    return event.text


def is_private(event: Event) -> bool:
    return event.visible_to is not None


PREPARATION = ("expired", "project")    # what the engine does before a turn's moves: lapse moves, add capacity


def prepares_next_turn(event: Event, turn: int) -> bool:
    """Whether an event of turn `turn`'s report readies the next turn (a move lapsing, capacity coming on line)
    rather than happening in this one: it is dated the next turn."""
    return event.kind in PREPARATION and event.turn > turn


def next_turn_preparations(events: "Iterable[Event]", turn: int) -> list[Event]:
    """What turn `turn`'s report readies for the next turn; nothing when the turn ended the game, as what would
    have changed before a turn that is not played no longer matters."""
    events = list(events)
    if any(event.kind == "outcome" for event in events):
        return []
    return [event for event in events if prepares_next_turn(event, turn)]


@dataclass(frozen=True)
class TurnSummary:
    """What happened on one turn, as one actor may know it."""

    turn: int
    date: str
    accepted: tuple[str, ...]
    rejected: tuple[tuple[str, str], ...]   # (move name, why it was not played)
    events: tuple[Event, ...]               # every event of its report the actor may know, the next turn's too
    changes: tuple[tuple[str, str, str], ...] = field(default=())   # (indicator, before, after)
    outcome: str | None = None

    @property
    def happened(self) -> tuple[Event, ...]:
        """The events of the turn itself."""
        return tuple(e for e in self.events if not prepares_next_turn(e, self.turn))

    @property
    def coming(self) -> tuple[Event, ...]:
        """What the turn readied for the next one (see next_turn_preparations)."""
        return tuple(next_turn_preparations(self.events, self.turn))


def _changes(rules: "Ruleset", before: dict, after: dict) -> tuple[tuple[str, str, str], ...]:
    # Worded as the log and the debrief word them: tension on the ruleset's scale, supply as a share of normal.
    rows = [(objective_label(rules, "tension"), "tension", rules.tension_text),
            (objective_label(rules, "japan_supply"), "japan_supply_index", lambda v: f"{v:.0%}"),
            (short("japan_import_share_china"), "japan_import_share_china", lambda v: f"{v:.0%}"),
            (label("cohesion"), "cohesion", lambda v: f"{v:.2f}"),
            # Apart, as the CLI's log has them: the loss from shortages is what the share of GDP counts.
            (label("japan_gdp_loss_jpy"), "japan_gdp_loss_jpy", yen),
            (label("japan_other_loss_jpy"), "japan_other_loss_jpy", yen),
            (label("china_export_loss_usd"), "china_export_loss_usd", usd)]
    out = []
    for name, key, fmt in rows:
        if key not in after:
            continue
        if key == "japan_other_loss_jpy" and not (after[key] or before.get(key)):
            continue        # a game without bans, boycotts or disasters: no line of nothing, as in the log
        out.append((name, fmt(before[key]) if key in before else "—", fmt(after[key])))
    return tuple(out)


def turn_summary(model: "WargameModel", actor: str | None, turn: int | None = None,
                 opening: dict | None = None) -> TurnSummary | None:
    """The adjudication of `turn` (default: the last one played) as the actor saw it; None before turn 1.

    `opening` is what turn 1 is compared with: the indicators of the game before it began, if known.
    """
    if not model.reports:
        return None
    index = (turn - 1) if turn is not None else len(model.reports) - 1
    report = model.reports[index]
    names = model.rules.moves
    accepted = tuple(names[m].name for m in report.adjudication.accepted.get(actor, ())) if actor else ()
    rejected = tuple((names[m].name if m in names else m, why)
                     for m, why in report.adjudication.rejected.get(actor, ())) if actor else ()
    known = observe(model, actor).events(since=report.turn)
    # What the instructor did before the turn (an inject, a word to the class) is logged apart from its report,
    # dated the turn; the moves lapsing and capacity arriving before it belong to the previous turn's report.
    in_report = set(report.events)
    interventions = [e for e in known if e.turn == report.turn and e.kind not in PREPARATION and e not in in_report]
    known_set = set(known)
    seen = interventions + [e for e in report.events if e in known_set]
    before = model.reports[index - 1].indicators if index > 0 else (opening or {})
    outcome = next((e.text for e in seen if e.kind == "outcome"), None)
    return TurnSummary(report.turn, str(report.indicators.get("date", model.rules.date_of(report.turn))), accepted,
                       rejected, tuple(seen), _changes(model.rules, before, report.indicators), outcome)


def outcome_label(model: "WargameModel") -> str | None:
    """The label of the game's outcome once it has ended."""
    outcome = model.state.outcome
    if outcome is None:
        return None
    return model.rules.outcome_text(outcome)


# -- the instructor's view: everything, private facts included -------------------------------------------

@dataclass(frozen=True)
class ActorRow:
    """One actor as the instructor sees it. Never shown to a player: it holds every actor's private facts."""

    actor: str
    name: str
    kind: str
    player: bool                        # played by a person at the keyboard
    policy: str                         # "human", or the AI's policy
    capital: float
    resolve: float | None               # governments' private resolve (0 dove .. 1 hawk)
    pressure: float | None              # governments' domestic pressure
    revealed: bool                      # the instructor has revealed its private information to every player
    coming: tuple[str, ...] | None      # the moves set for the coming turn (a player's, or an override), if any
    overridden: bool                    # the instructor (or a branch) set them
    in_force: tuple[str, ...]           # the names of its moves in force, secret ones included


def _policy_name(policy: Any) -> str:
    inner = getattr(policy, "inner", None)          # an instructor's override wraps the actor's own policy
    return str(getattr(inner if inner is not None else policy, "name", type(policy).__name__))


def instructor_rows(model: "WargameModel") -> list[ActorRow]:
    """Every actor with its private facts and what it will play on the coming turn, for the instructor."""
    from .policies import HumanPolicy

    state, rules = model.state, model.rules
    overrides = model.overrides()
    rows = []
    for aid, agent in model.actors.items():
        spec = rules.actors[aid]
        policy = agent.policy
        player = isinstance(policy, HumanPolicy)
        if player:
            submitted = model.submitted(aid)
            coming = tuple(submitted) if submitted is not None else None
        else:
            coming = overrides.get(aid)
        in_force = tuple(rules.moves[a["move"]].name for a in state.active if a["actor"] == aid)
        rows.append(ActorRow(aid, spec.name, spec.kind, player, _policy_name(policy), state.capital.get(aid, 0.0),
                             state.resolve.get(aid), state.pressure.get(aid), aid in state.revealed, coming,
                             aid in overrides, in_force))
    return rows


# -- the briefing ---------------------------------------------------------------------------------------

def briefing(model: "WargameModel", width: int = 100) -> list[str]:
    """What the instructor's console says before the first turn: the game, what each side wants (its objectives,
    heaviest first, said of it by name) and, for each player at the keyboard, what it can do and how its moves
    are given. Lines fit `width` columns."""
    rules = model.rules
    days = "a week" if rules.turn_days == 7 else f"{rules.turn_days} days"
    lines = [f"{rules.name} — {model.turn_limit} turns of {days} from {rules.date_of(1).isoformat()}.",
             "What each side wants, heaviest first:"]
    humans = model.humans()
    for actor in [a for a in rules.actor_ids if a in rules.governments or a in humans]:
        name = rules.actors[actor].name
        wants = [f"{objective_label(rules, s.objective, name)} {s.wants}"
                 for s in objective_standings(model, actor) if s.wants in ("higher", "lower")]
        lines += textwrap.wrap(f"{name}: {'; '.join(wants) or 'nothing in particular'}", width,
                               initial_indent="  ", subsequent_indent="    ")
    for actor in humans:
        spec = rules.actors[actor]
        families = sorted({m.family for m in rules.moves_by_actor[actor]}, key=FAMILIES.index)
        lines += textwrap.wrap(
            f"{spec.name}, played at the keyboard: up to {spec.moves_per_turn} "
            f"move{'s' if spec.moves_per_turn != 1 else ''} a turn from {len(rules.moves_by_actor[actor])} "
            f"({', '.join(f.replace('_', '-') for f in families)}), paid in political capital "
            f"({model.state.capital[actor]:g} now, {spec.capital_per_turn:g} more a turn, at most "
            f"{spec.capital_max:g}). Before each turn, 'moves {actor}' lists those it may play; 'override {actor} "
            f"MOVE...' plays them ('override {actor} hold' plays none).", width)
    return lines
