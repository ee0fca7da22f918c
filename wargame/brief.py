"""A team's private brief for a classroom game: who it plays, what it wants, what it alone knows when the game
begins, what it can spend and do, and how it gives its orders. Printed or handed out before the first turn.

A brief is read from a game not yet begun, built with the class's seed, and only through what its actor may
know (`model.observe(actor)` and the views built on it): another actor's resolve, pressure, stocks or
private moves never appear in it. `brief_document` gives the document; its `markdown()` and `html()` say
the same thing, as the debrief's do.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .render import count, move_lines
from .report.document import Document, Heading, Items, Para, Table
from .views import RESOLVE_SCALE, hawk_or_dove, objective_label, objective_standings, observe

if TYPE_CHECKING:
    from .model import WargameModel
    from .ruleset import Ruleset


def briefing_game(rules: "Ruleset", seed: int = 0, turns: int | None = None) -> "WargameModel":
    """The game a class will play with this ruleset, seed and length, before its first turn: what a brief is read
    from. Every actor holds in it: a brief needs no policy, and making one could import a team's own class."""
    from .model import WargameModel

    return WargameModel(rules, rng=seed, turns=turns, collect=False,
                        policies={actor: "hold" for actor in rules.actor_ids})


def brief_markdown(model: "WargameModel", actor: str) -> str:
    return brief_document(model, actor).markdown()


def brief_document(model: "WargameModel", actor: str) -> Document:
    """The actor's private brief for the game 'model' is about to play (see the module's docstring)."""
    rules = model.rules
    name = rules.actors[actor].name
    doc = Document(f"Private brief: {name}")
    doc.add(Para(f"Hand it to {name}'s team alone: it holds what only {name} knows.", lead="For your team only."))
    doc.add(*_situation(model, actor), *_aims(model, actor), *_private(model, actor), *_means(model, actor),
            *_moves(model, actor), *_orders(model, actor))
    doc.add(Para(f"{rules.name} ({rules.id}), seed {model.seed}, {count(model.turn_limit, 'turn')}. The "
                 f"private information above is this game's: hand the brief out only for a game started with the "
                 f"same ruleset, seed and turns.", lead="This brief is for:"))
    return doc


# -- the sections ------------------------------------------------------------------------------------------

def _situation(model: "WargameModel", actor: str) -> list:
    rules = model.rules
    spec = rules.actors[actor]
    obs = observe(model, actor)
    days = "a week" if rules.turn_days == 7 else count(rules.turn_days, "day")
    last = model.turn_limit
    blocks = [Heading(1, "Who you are"),
              Para(f"You play {spec.name}" + (f": {spec.description}" if spec.description else ".")),
              Para(" ".join(rules.description.split()), lead=f"{rules.name}."),
              Para(f"{count(last, 'turn')} of {days}: turn 1 begins on {rules.date_of(1).isoformat()}"
                   + (f", the last, turn {last}, on {rules.date_of(last).isoformat()}." if last > 1 else "."),
                   lead="The game:")]
    net = rules.network
    label = {c.id: c.label for c in net.commodities}
    start = [f"tension {rules.tension_text(obs.tension)} of {rules.politics['tension_max']:g} "
             f"({rules.ladder_rung(obs.tension)})",
             f"{obs.indicator('japan_import_share_china'):.0%} of Japan's rare earths come from China"]
    stocks = obs.indicator("japan_stock_weeks", {}) or {}
    if stocks:
        start.append("Japanese industry's stocks last " + ", ".join(
            f"{label.get(c, c)} {weeks:.1f} {rules.per_turn[1]}s" for c, weeks in stocks.items()))
    blocks.append(Para("; ".join(start) + ".", lead="At the start:"))
    in_force = obs.active_moves()
    if in_force:
        blocks.append(Para("Already in force when the game begins:"))
        blocks.append(Items([f"{rules.actors[a['actor']].name}: {rules.moves[a['move']].name} ({_until(a['until'])})"
                             for a in in_force]))
    return blocks


def _aims(model: "WargameModel", actor: str) -> list:
    standings = objective_standings(model, actor)
    if not standings:
        return [Heading(1, "Your aims"), Para("You have no objectives in this ruleset.")]
    rows = [[s.label, s.wants, f"{abs(s.weight):g}", s.text] for s in standings]
    blocks = [Heading(1, "Your aims"),
              Para("Your objectives, heaviest first: what you want each to do, how much each weighs against the "
                   "others, and where each stands before turn 1."),
              Table(["objective", "you want it", "weight", "at the start"], rows, align="llrr")]
    if any(s.wants == "shown" for s in standings):
        blocks.append(Para(f"{objective_label(model.rules, 'resolve')}: a hawk gains by escalating, a dove by "
                           "stepping back (your resolve is below)."))
    return blocks


def _private(model: "WargameModel", actor: str) -> list:
    rules = model.rules
    obs = observe(model, actor)
    facts = []
    if obs.resolve is not None:
        facts.append(f"Your resolve: {obs.resolve:.2f}, a {hawk_or_dove(obs.resolve)} "
                     f"({RESOLVE_SCALE}). It was drawn when this game began. Your public escalations make the others "
                     f"think you more of a hawk, your public de-escalations more of a dove; your private moves they "
                     f"do not see.")
    if actor in rules.governments:
        facts.append(f"Domestic pressure on you: {obs.pressure:.2f} (0 to 1).")
    others = [g for g in rules.governments if g != actor]
    if others:
        believed = ", ".join(f"{rules.actors[g].name} {obs.belief(g):.2f}" for g in others)
        facts.append(f"What you think the {'other ' if actor in rules.governments else ''}governments' resolve "
                     f"is: {believed} ({RESOLVE_SCALE}). A guess: you will read their moves.")
    net = rules.network
    node_name = {n.id: n.name for n in net.nodes}
    label = {c.id: c.label for c in net.commodities}
    for node, held in obs.own_inventory().items():
        if held:
            facts.append(f"Your stocks at {node_name.get(node, node)}: "
                         + ", ".join(f"{label.get(c, c)} {_tonnes(t)}" for c, t in held.items()) + ".")
    if not facts:
        return []
    return [Heading(1, "What only you know"), Items(facts),
            Para("The other players do not know any of this: they know only what your public moves show. Only "
                 "the instructor can reveal it to everyone.")]


def _means(model: "WargameModel", actor: str) -> list:
    spec = model.rules.actors[actor]
    capital = observe(model, actor).capital
    return [Heading(1, "Your means"),
            Items([f"Up to {count(spec.moves_per_turn, 'move')} a turn.",
                   f"Political capital: {capital:g} at the start, {spec.capital_per_turn:g} more each turn, at "
                   f"most {spec.capital_max:g}. Every move costs capital, some money as well; a move you cannot "
                   f"pay for is refused."])]


def _moves(model: "WargameModel", actor: str) -> list:
    rules = model.rules
    moves = rules.moves_by_actor[actor]
    rows = []
    for move in moves:
        head, *rest = move_lines(rules, move, actor, model.turn_limit)
        rows.append([head, "\n".join(line.strip() for line in rest)])
    private = [m.name for m in moves if not m.public]
    blocks = [Heading(1, "Your moves"),
              Para(f"Your {count(len(moves), 'move')}, as the catalogue gives them ('wargame moves --actor "
                   f"{actor}'): the id you order it by, its family, severity on the escalation ladder, cost, how "
                   f"long it lasts and who sees it; then what it is, what it requires and what it does.")]
    if private:
        blocks.append(Para(f"{'; '.join(private)}. The other players are not told when you play "
                           f"{'it' if len(private) == 1 else 'them'}, though what "
                           f"{'it does' if len(private) == 1 else 'they do'} may show.",
                           lead="Private (hidden from the other players):"))
    else:
        blocks.append(Para("All your moves are public: every player is told when you play one."))
    blocks.append(Table(["move", "what it is and does"], rows))
    return blocks


def _orders(model: "WargameModel", actor: str) -> list:
    n = model.rules.actors[actor].moves_per_turn
    some = "MOVE" if n == 1 else "MOVE MOVE"
    listed = "MOVE" if n == 1 else "MOVE,MOVE"
    return [Heading(1, "Giving your orders"),
            Para(f"Each turn choose up to {count(n, 'move')} by id, or none (hold). A move the game does not allow "
                 f"is refused with the reason, and you choose again."),
            Items([f"In the terminal UI ('wargame play --as {actor}'): the Moves tab (key 2) lists your moves and "
                   f"why any is not allowed now; space chooses a move, e ends your turn.",
                   f"At the instructor's console: the instructor types 'override {actor} {some}' "
                   f"('override {actor} hold' for none).",
                   f"Between sessions: 'wargame resume FILE --turns 1 --moves {actor}={listed}'."])]


# -- wording ------------------------------------------------------------------------------------------------

def _until(turn: int | None) -> str:
    return "until cancelled" if turn is None else f"to turn {turn}"


def _tonnes(amount: float) -> str:
    return f"{amount:,.0f} t" if abs(amount) >= 100 else f"{amount:,.1f} t"
