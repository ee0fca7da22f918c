"""Plain-text rendering of games for the terminal: the turn-by-turn log and the move catalogue."""

from __future__ import annotations

from .effects import CapacityProject
from .figures import dollars, usd, yen
from .indicators import label
from .moves import Event
from .ruleset import MoveSpec, Ruleset
from .turn import TurnReport
from .views import event_wording, next_turn_preparations, prepares_next_turn


def turn_text(rules: Ruleset, report: TurnReport, previous: dict | None, last_turn: int | None = None) -> str:
    """One turn of the log: each actor's moves with what they did under them, then what the turn did to Japan.
    `last_turn` is the game's; capacity it commits for later is marked when it arrives after the game."""
    ind = report.indicators
    net = rules.network
    lines = [f"Turn {report.turn:>2} · {rules.date_of(report.turn).isoformat()} · "
             f"tension {rules.tension_text(ind['tension'])} of {rules.politics['tension_max']:g} ({ind['ladder']})"]
    own: dict[str, list[Event]] = {}
    others: list[Event] = []
    for event in report.events:
        if event.kind in ("effect", "rejected") and event.actor in rules.actors:
            own.setdefault(event.actor, []).append(event)
        elif prepares_next_turn(event, report.turn):
            continue                # under "Before turn N", below
        elif event.kind in ("effect", "project", "expired", "outcome", "rejected", "inject", "instructor"):
            others.append(event)
    for actor in rules.actor_ids:
        moves = report.orders.get(actor, [])
        if moves or actor in own:
            lines.append(f"  {rules.actors[actor].name}: {rules.moves_text(moves)}")
            lines += [f"    → {_logged(rules, event, last_turn)}" for event in own.get(actor, ())]
    lines += [f"  → {_logged(rules, event, last_turn)}" for event in others]
    imports = ind["imports_to_japan"]
    label = {c.id: c.label for c in net.commodities}
    parts = ", ".join(f"{label[c]} {v:,.1f} t" for c, v in imports.items())
    lines.append(f"  Japan imports this turn: {parts} · {ind['japan_import_share_china']:.0%} of rare earths from China")
    prices = ", ".join(f"{label[c]} {dollars(ind['price_inside_china'][c])}/{dollars(ind['price_outside_china'][c])}"
                       for c in ind["price_outside_china"])
    lines.append(f"  Prices (inside/outside China, per kg): {prices}")
    # '; ' between sectors: a sector's name may hold commas ('Industrial motors, HVAC and wind').
    output = "; ".join(f"{net.nodes[net.node_index[k]].name.split(' (')[0]} {v:.0%}"
                       for k, v in ind["sector_output"].items())
    lines.append(f"  Output (of normal): {output}")
    lines.append(f"  Japan's loss: {yen(ind['japan_loss_this_turn_jpy'])} this turn, "
                 f"{yen(ind['japan_gdp_loss_jpy'])} in all ({gdp_share(ind['japan_gdp_loss_share'])} of GDP) from "
                 f"shortages{_other_losses(ind, ' in all')}")
    coming = next_turn_preparations(report.events, report.turn)
    if coming:
        lines.append(f"  Before turn {report.turn + 1}:")
        lines += [f"    → {_logged(rules, event, last_turn)}" for event in coming]
    return "\n".join(lines)


def gdp_share(share: float) -> str:
    """A loss as a share of Japan's GDP, to two decimals: a loss too small to show there is 'under 0.01%', not a
    '0.00%' beside billions of yen lost."""
    return "under 0.01%" if 0 < share < 0.00005 else f"{share:.2%}"


def _logged(rules: Ruleset, event: Event, last_turn: int | None) -> str:
    """An event as the log shows it, worded as every front end words it (views.event_wording)."""
    return event_wording(event, {a: spec.name for a, spec in rules.actors.items()}, last_turn)


def listed(names: list[str]) -> str:
    """'A', 'A and B', 'A, B and C'."""
    return names[0] if len(names) == 1 else f"{', '.join(names[:-1])} and {names[-1]}"


def count(n: int, noun: str) -> str:
    """'1 turn', '3 turns', '1,000 runs'."""
    return f"{n:,} {noun}" if n == 1 else f"{n:,} {noun}s"


def _other_losses(indicators: dict, so_far: str = "") -> str:
    """Japan's losses outside the rare-earth shortage (the seafood ban, the travel advisory, an instructor's
    typhoon...), which the loss from shortages and its share of GDP leave out. Worded as the moves that cause them
    word their cost ('costs Japan ¥1.5 bn a turn in lost trade and tourism')."""
    other = indicators.get("japan_other_loss_jpy", 0)
    return f", and {yen(other)}{so_far} from lost trade and tourism" if other else ""


def summary_text(rules: Ruleset, outcome: str | None, turns: int, indicators: dict) -> str:
    return (f"Outcome after {count(turns, 'turn')}: {rules.outcome_text(outcome)}\n"
            f"{label('japan_gdp_loss_jpy')}: {yen(indicators.get('japan_gdp_loss_jpy', 0))} "
            f"({gdp_share(indicators.get('japan_gdp_loss_share', 0))} of GDP){_other_losses(indicators)}; "
            f"{label('china_export_loss_usd')}: {usd(indicators.get('china_export_loss_usd', 0))}")


def move_lines(rules: Ruleset, move: MoveSpec, actor: str | None = None, last_turn: int | None = None) -> list[str]:
    """The move as the catalogue and the move screen describe it; capacity it builds says whether it comes in play
    in a game of `last_turn` turns (by default the ruleset's length)."""
    actor = actor or move.actors[0]
    lines = [f"{move.id}  [{move.family}, severity {move.severity:+g}, {move.cost_text}, {move.lasting}, "
             f"{move.visibility}]", f"    {move.name}"]
    if len(move.actors) > 1:
        lines.append(f"    played by: {listed([rules.actors[a].name for a in move.actors])}")
    if move.limits:
        lines.append(f"    limit: {'; '.join(move.limits)}")
    for cond in move.requires:
        lines.append(f"    requires: {cond.text}")
    if move.cancels:
        lines.append(f"    ends: {'; '.join(rules.moves[m].name for m in move.cancels)}")
    for effect in move.effects[actor]:
        timing = f" — {effect.timing(last_turn or rules.max_turns)}" if isinstance(effect, CapacityProject) else ""
        lines.append(f"    effect: {effect.describe()}{timing}")
    if move.severity:
        lines.append(f"    escalation: tension {move.severity * rules.politics['per_severity']:+.2f} (severity {move.severity:+g})")
    return lines


def event_line(event: Event) -> str:
    who = f"{event.actor}: " if event.actor else ""
    return f"[turn {event.turn}] {who}{event.text}"
