"""What a debrief needs to know about a finished game, as plain data: no charts, no formatting.

Everything here is read from the game's record (its turn reports, event log and interventions), so a
report made from a save describes exactly the game that was played.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from ..effects import CapacityProject
from ..figures import usd, yen
from ..instructor import ENTERED, after_the_game
from ..render import gdp_share, listed
from ..views import event_wording
from .verdicts import Verdict, verdicts

if TYPE_CHECKING:
    from collections.abc import Iterable

    from ..model import WargameModel

TIMELINE_KINDS = ("inject", "instructor", "outcome", "project", "expired", "rejected")
MEASURES = ("tension", "japan_supply_index", "japan_gdp_loss_jpy", "china_export_loss_usd")


@dataclass(frozen=True)
class TurnRow:
    turn: int
    date: str
    tension: float
    rung: str
    moves: list[tuple[str, str, bool]]      # (actor, move, public)
    events: list[tuple[str, str]]           # (kind, text)


@dataclass(frozen=True)
class Decision:
    turn: int
    actor: str
    move: str
    name: str
    family: str
    severity: float
    public: bool
    window: int                             # turns measured (the move's turn and those after it)
    change: dict[str, float]                # measure -> change over the window (cumulative losses: added)
    by_instructor: bool = False             # the instructor chose it, for the AI or in place of the player


@dataclass
class Analysis:
    title: str
    ruleset: str
    seed: int
    turns: int
    first_date: str
    last_date: str
    outcome_id: str | None
    outcome: str
    policies: dict[str, str]
    series: dict[str, list]                  # indicator -> per-turn values, turn 1 onwards
    baseline: dict[str, float]               # the indicators before turn 1
    timeline: list[TurnRow]
    decisions: list[Decision]
    ladder: list[tuple[int, int, str]]       # (first turn, last turn, rung)
    peak_tension: tuple[int, float]
    interventions: list[dict]
    branch: dict | None
    questions: list[str] = field(default_factory=list)
    verdicts: list[Verdict] = field(default_factory=list)   # how each player did against their objectives
    # (turn, actor) -> the override record, for every turn the instructor chose an actor's moves: an AI's, or a
    # player's in place of the player (moves typed in for a player, or set by a branch, are not the instructor's)
    set_by_instructor: dict[tuple[int, str], dict] = field(default_factory=dict)
    resolve: dict[str, float] = field(default_factory=dict)                 # each government's private resolve
    beliefs: dict[str, dict[str, float]] = field(default_factory=dict)      # observer -> target -> expected resolve
    ended: bool = False                      # over, not saved part way through

    def after_the_game(self, turn: int) -> bool:
        """Whether an intervention recorded for `turn` came once the game was over (as every screen decides it)."""
        return after_the_game(turn, self.turns, self.ended)

    def beliefs_of(self, target: str, observers: "Iterable[str]") -> list[tuple[str, float]]:
        """What each of `observers` expected of `target`'s resolve when the game stopped."""
        return [(o, self.beliefs[o][target]) for o in observers if target in self.beliefs.get(o, {})]

    def players_overridden(self) -> dict[str, list[int]]:
        """Each player whose moves the instructor chose instead of them, with the turns it did so."""
        out: dict[str, list[int]] = {}
        for (turn, actor), rec in sorted(self.set_by_instructor.items()):
            if rec.get("instead_of_player"):
                out.setdefault(actor, []).append(turn)
        return out

    def by_actor(self) -> dict[str, list[Decision]]:
        out: dict[str, list[Decision]] = {}
        for d in self.decisions:
            out.setdefault(d.actor, []).append(d)
        return out


def analyse(model: "WargameModel", window: int = 3, title: str | None = None) -> Analysis:
    rules = model.rules
    reports = model.reports
    series: dict[str, list] = {}
    for r in reports:
        for key, value in r.indicators.items():
            series.setdefault(key, []).append(value)
    pol = rules.politics
    baseline = {"tension": pol["tension_start"], "cohesion": pol["cohesion_start"], "japan_supply_index": 1.0,
                "japan_gdp_loss_jpy": 0.0, "china_export_loss_usd": 0.0}
    # The position before turn 1 depends only on the ruleset and the seed: a fresh game shows it.
    from ..model import WargameModel

    opening = WargameModel(rules, rng=model.seed, turns=1).state.indicators
    baseline.update({k: v for k, v in opening.items() if isinstance(v, (int, float)) and not isinstance(v, bool)})
    by_turn: dict[int, list] = {}
    for e in model.events:
        by_turn.setdefault(e.turn, []).append(e)
    timeline = []
    for r in reports:
        moves = [(a, m, rules.moves[m].public) for a in rules.actor_ids for m in r.orders.get(a, [])]
        events = [(e.kind, _event_text(rules, e)) for e in by_turn.get(r.turn, [])
                  if e.kind in TIMELINE_KINDS and not e.text.startswith(ENTERED)]
        timeline.append(TurnRow(r.turn, r.indicators.get("date", rules.date_of(r.turn).isoformat()),
                                r.indicators.get("tension", 0.0), r.indicators.get("ladder", ""), moves, events))
    chosen = set_by_instructor(model)
    decisions = []
    last = len(reports)
    for r in reports:
        for actor in rules.actor_ids:
            for move_id in r.orders.get(actor, []):
                move = rules.moves[move_id]
                end = min(last, r.turn + window - 1)
                change = {}
                for key in MEASURES:
                    before = baseline.get(key, 0.0) if r.turn == 1 else series[key][r.turn - 2]
                    change[key] = series[key][end - 1] - before
                decisions.append(Decision(r.turn, actor, move_id, move.name, move.family, move.severity, move.public,
                                          end - r.turn + 1, change, (r.turn, actor) in chosen))
    ladder: list[tuple[int, int, str]] = []
    for row in timeline:
        if ladder and ladder[-1][2] == row.rung:
            ladder[-1] = (ladder[-1][0], row.turn, row.rung)
        else:
            ladder.append((row.turn, row.turn, row.rung))
    tensions = series.get("tension", [])
    peak = max(range(len(tensions)), key=lambda i: (tensions[i], -i)) if tensions else 0
    outcome_id = model.state.outcome
    outcome = rules.outcome_text(outcome_id, unfinished="unfinished")
    branch = next((dict(r) for r in model.interventions if r.get("kind") == "branch"), None)
    analysis = Analysis(
        title=title or f"Debrief: {rules.name}", ruleset=rules.id, seed=model.seed, turns=last,
        first_date=rules.date_of(1).isoformat(), last_date=rules.date_of(max(last, 1)).isoformat(),
        outcome_id=outcome_id, outcome=outcome, policies=dict(model.policy_names), series=series,
        baseline=baseline, timeline=timeline, decisions=decisions, ladder=ladder,
        peak_tension=(peak + 1, tensions[peak] if tensions else pol["tension_start"]),
        interventions=[dict(r) for r in model.interventions], branch=branch,
        verdicts=verdicts(model, opening), set_by_instructor=chosen,
        resolve={g: model.state.resolve[g] for g in rules.actor_ids if g in model.state.resolve},
        beliefs={o: {t: ab[0] / (ab[0] + ab[1]) for t, ab in held.items()}
                 for o, held in model.state.beliefs.items()},
        ended=not model.running)
    analysis.questions = questions(model, analysis)
    return analysis


def set_by_instructor(model: "WargameModel") -> dict[tuple[int, str], dict]:
    """The turns on which the instructor chose an actor's moves, with the override that did it: every override of
    an AI, and of a player only when made in the player's place (typed in for a player at the console, the moves
    are the player's own; a branch's moves are the what-if's)."""
    out = {}
    for rec in model.interventions:
        if rec["kind"] != "override" or rec.get("by") in ("branch", "resume") or rec["turn"] > len(model.reports):
            continue
        if model.policy_names.get(rec["actor"]) == "human" and not rec.get("instead_of_player"):
            continue
        out[(rec["turn"], rec["actor"])] = dict(rec)
    return out


def _event_text(rules, e) -> str:
    """In the debrief's timeline a refused move, too, names whose it was."""
    if e.kind == "rejected" and e.actor in rules.actors:
        return f"{rules.actors[e.actor].name}: {e.text}"
    return event_wording(e, {a: spec.name for a, spec in rules.actors.items()})


# -- discussion questions --------------------------------------------------------------------------

def questions(model: "WargameModel", a: Analysis) -> list[str]:
    """Questions for the debrief, each drawn from something that happened in this game."""
    rules = model.rules
    name = {aid: spec.name for aid, spec in rules.actors.items()}
    out: list[str] = []
    gov = set(rules.governments)
    decisions = a.decisions

    # The escalation: the peak and what led to it, tension given as the timeline and the log give it.
    tension = rules.tension_text
    peak_turn, peak = a.peak_tension
    start = a.baseline["tension"]
    if peak > start + 0.25:
        lead = [d for d in decisions if d.turn in (peak_turn - 1, peak_turn) and d.severity > 0 and d.actor in gov]
        cause = "; ".join(f"{name[d.actor]}'s “{d.name}” (turn {d.turn})" for d in lead[:3])
        out.append(f"Tension peaked at {tension(peak)} ({a.series['ladder'][peak_turn - 1]}) on turn {peak_turn}"
                   + (f", after {cause}" if cause else "") + ". What did each side expect to gain by escalating, "
                   "and what did the other side read into it?")
    elif peak > start:
        out.append(f"Tension never rose much above its starting level ({tension(start)}; peak {tension(peak)} on turn "
                   f"{peak_turn}). What held the escalation back: costs, signals, or the other side's restraint?")
    else:
        out.append(f"Tension never went above its starting level of {tension(start)} (it ended at "
                   f"{tension(a.series['tension'][-1])}). What held the escalation back: costs, signals, or the other "
                   "side's restraint?")

    # The coercer's first new coercive step, and the response.
    coercive = [d for d in decisions if d.family == "coercion" and d.actor in gov]
    if coercive:
        first = coercive[0]
        answers = [d for d in decisions if d.actor in gov and d.actor != first.actor
                   and first.turn < d.turn <= first.turn + 3]
        reply = "; ".join(f"{name[d.actor]}'s “{d.name}” (turn {d.turn})" for d in answers[:4])
        out.append(f"{name[first.actor]}'s first new coercive step was “{first.name}” on turn {first.turn}. Was it a "
                   "signal or an attempt to impose costs? " + (f"How well did the responses — {reply} — answer it?"
                                                             if reply else "Why did no government respond in the "
                                                                           "following three turns?"))

    # The worst of the shortage.
    supply = a.series.get("japan_supply_index", [])
    if supply:
        low = min(range(len(supply)), key=lambda i: (supply[i], i))
        if supply[low] < 0.97:
            outputs = a.series.get("sector_output", [{}])[low]
            worst = min(outputs, key=outputs.get) if outputs else None
            if worst is not None and outputs[worst] < 0.995:
                sector = rules.network.nodes[rules.network.node_index[worst]].name
                out.append(f"Japan's supply of rare earths fell to {supply[low]:.0%} of normal on turn {low + 1}, "
                           f"and {sector} ran at {outputs[worst]:.0%} of normal output. Which firms' moves "
                           "cushioned the shortage, and which government moves made it worse?")
            else:
                out.append(f"Japan's supply of rare earths fell to {supply[low]:.0%} of normal on turn {low + 1}, "
                           "yet its industries kept their output that turn. What carried them through (stocks, "
                           "partners, firms' moves), and how long could that have lasted?")
        else:
            out.append("Japan's rare-earth supply stayed close to normal throughout. Was that thanks to stocks and "
                       "partners, or because the restrictions were never tightened? How long could it have lasted?")

    # Who paid more.
    loss = a.series.get("japan_gdp_loss_jpy", [0])[-1] if a.turns else 0
    china = a.series.get("china_export_loss_usd", [0])[-1] if a.turns else 0
    share = a.series.get("japan_gdp_loss_share", [0])[-1] if a.turns else 0
    other = a.series.get("japan_other_loss_jpy", [0])[-1] if a.turns else 0
    besides = f" and {yen(other)} in trade and tourism" if other else ""
    out.append(f"By the end Japan had lost {yen(loss)} to shortages ({gdp_share(share)} of GDP){besides}; "
               f"China had lost {usd(china)} of rare-earth exports. Who bore the greater cost relative to "
               "what it could afford, and did those costs change anyone's decisions?")

    # De-escalation, or its absence.
    calming = [d for d in decisions if d.family == "de_escalation" and d.actor in gov]
    if calming:
        best = min(calming, key=lambda d: d.change["tension"])
        out.append(f"{name[best.actor]}'s “{best.name}” on turn {best.turn} was followed by a tension change of "
                   f"{best.change['tension']:+.2f} over {best.window} turns. What made this de-escalation credible "
                   "(or not), and could it have come earlier?")
    else:
        out.append("No government made a de-escalatory move in this game. What would it have taken, and who "
                   "had the most to gain from moving first?")

    # Diversification.
    div = a.series.get("diversification_tpw", [0])[-1] if a.turns else 0
    if div > 0:
        # Those whose moves built capacity, not every friend-shoring move (a stockpile release builds nothing).
        builders = {d.actor for d in decisions
                    if any(isinstance(e, CapacityProject) for e in rules.moves[d.move].effects.get(d.actor, ()))}
        movers = [name[x] for x in rules.actor_ids if x in builders]
        out.append(f"{listed(movers) if movers else 'Partners'} committed {div:,.0f} t a {rules.per_turn[1]} of new "
                   "capacity outside China. Given how long new mines, separation plants and magnet lines take to come "
                   "on line, is diversification a response to this crisis or to the next one?")

    # Hidden moves.
    hidden = [d for d in decisions if not d.public and d.actor in gov]
    if hidden:
        d = hidden[0]
        out.append(f"{name[d.actor]} played “{d.name}” in secret on turn {d.turn}. When could the others have "
                   "noticed its effects, and would they have acted differently had they known?")

    # The instructor's interventions.
    for rec in a.interventions:
        if rec["kind"] == "inject":
            inject = rules.injects.get(rec["inject"])
            if inject:
                out.append(f"“{inject.name}” (turn {rec['turn']}) was outside every player's control. "
                           "How did it change their calculations, and who exploited it?")
                break
    if a.set_by_instructor:
        (turn, actor), r = min(a.set_by_instructor.items())
        who = name.get(actor, actor)
        done = (f"The instructor chose {who}'s moves on turn {turn} in place of the player" if r.get("instead_of_player")
                else f"The instructor overrode {who}'s moves on turn {turn}")
        out.append(f"{done}. How would the game have gone otherwise? (Replay it with wargame branch.)")
    if any(r["kind"] == "reveal" for r in a.interventions):
        r = next(r for r in a.interventions if r["kind"] == "reveal")
        hidden = next((h for h in a.interventions if h["kind"] == "hide" and h["actor"] == r["actor"]
                       and h["turn"] >= r["turn"]), None)
        who = name.get(r["actor"], r["actor"])
        if a.after_the_game(r["turn"]):
            again = " (and hidden again)" if hidden else ""
            out.append(f"{who}'s private information was revealed after the game ended (after turn {a.turns}){again}. "
                       "Knowing its resolve and hidden moves now, would the others have played differently?")
        else:
            again = ("" if not hidden else " (and hidden again after the game ended)" if a.after_the_game(hidden["turn"])
                     else f" (and hidden again on turn {hidden['turn']})")
            out.append(f"{who}'s private information was revealed on turn {r['turn']}{again}. "
                       "Did the others behave differently once they knew its resolve and hidden moves?")
    if a.branch:
        out.append(f"This game is a what-if branch of {a.branch.get('parent')} from turn {a.branch['turn']}. "
                   "Compare the two (wargame compare): which differences follow from the changed moves, and which "
                   "from the other actors' reactions?")

    # The outcome, and the decision that most shaped it.
    shaping = max((d for d in decisions if d.actor in gov), key=lambda d: abs(d.change["tension"]), default=None)
    if shaping is not None:
        out.append(f"The game ended in: {a.outcome}. Which single decision shaped this most? One candidate is "
                   f"{name[shaping.actor]}'s “{shaping.name}” on turn {shaping.turn} (tension "
                   f"{shaping.change['tension']:+.2f} over {shaping.window} turns): test it with "
                   f"wargame branch FILE --at {shaping.turn} --moves {shaping.actor}=MOVE and wargame compare.")
    else:
        out.append(f"The game ended in: {a.outcome}, with no government moves at all. What does that say about "
                   "the status quo the scenario starts from?")
    return out
