"""Debrief reports: what each side did, what followed, and questions for the class.

`build_report(game, out_dir)` writes report.md and report.html (printable, with the same content) and PNG
charts in out_dir/charts/. The game is a model or a save file. Charts need matplotlib, from the optional
'analysis' extra; it is imported only when a report is made.
"""

from __future__ import annotations

import importlib.util
from collections.abc import Collection
from dataclasses import dataclass
from pathlib import Path

from ..compare import fmt
from ..effects import CapacityProject
from ..errors import WargameError
from ..figures import usd, yen
from ..indicators import label, titled
from ..model import WargameModel
from ..policies import played_by
from ..render import listed
from ..ruleset import Ruleset
from ..views import objective_label
from .analysis import Analysis, analyse
from .document import Document, Heading, Image, Items, Para, Table

MISSING_EXTRA = ("the debrief report draws its charts with matplotlib, which is not installed: "
                 "install the 'analysis' extra (pip install 'wargame[analysis]')")


@dataclass(frozen=True)
class ReportFiles:
    markdown: Path
    html: Path
    charts: list[Path]
    analysis: Analysis


def require_matplotlib() -> None:
    if importlib.util.find_spec("matplotlib") is None:
        raise WargameError(MISSING_EXTRA)


def build_report(game: WargameModel | str | Path, out_dir: str | Path, *, title: str | None = None,
                 window: int = 3, ruleset: Ruleset | str | Path | None = None,
                 trusted: Collection[str] = ()) -> ReportFiles:
    """Write the debrief of `game` (a model or a save file) into `out_dir`. `trusted`: see saves.load_game."""
    require_matplotlib()
    from ..saves import load_game
    from .charts import draw_all

    if window < 1:
        raise WargameError(f"--window: expected at least 1 turn, got {window}")
    source = None
    if not isinstance(game, WargameModel):
        source = str(game)
        game = load_game(game, ruleset, trusted)
    model = game
    if not model.reports:
        raise WargameError("the game has no turns played yet; there is nothing to report")
    out = Path(out_dir)
    try:
        out.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise WargameError(f"cannot create the report folder {out}: {exc.strerror or exc}") from None
    a = analyse(model, window, title)
    charts = draw_all(a, model.rules, out / "charts")
    doc = compose(a, model, [(f"charts/{f}", t, c) for f, t, c in charts], source)
    md, page = out / "report.md", out / "report.html"
    try:
        md.write_text(doc.markdown(), encoding="utf-8")
        page.write_text(doc.html(), encoding="utf-8")
    except OSError as exc:
        raise WargameError(f"cannot write the report in {out}: {exc.strerror or exc}") from None
    return ReportFiles(md, page, [out / "charts" / f for f, _, _ in charts], a)


def compose(a: Analysis, model: WargameModel, charts: list[tuple[str, str, str]], source: str | None) -> Document:
    rules = model.rules
    name = {aid: spec.name for aid, spec in rules.actors.items()}
    doc = Document(a.title)
    played_by = _players(a, name)
    for actor, turns in a.players_overridden().items():
        played_by += f" The instructor chose {name[actor]}'s moves on {_turns(turns)} in place of the player."
    doc.add(Para(f"{rules.name}. Seed {a.seed}; {a.turns} turns of {rules.turn_days} days, {a.first_date} to "
                 f"{a.last_date}. Outcome: {a.outcome}.", lead="The game."),
            Para(played_by, lead="The players."))
    if a.branch:
        doc.add(Para(f"This game is a what-if branch of {a.branch.get('parent')} from turn {a.branch['turn']}: "
                     + _branch_changes(a, rules, name) + ".", lead="Branch."))
    if source:
        doc.add(Para(f"wargame replay {source} re-runs this game exactly from its seed and record; "
                     f"wargame branch {source} --at TURN --moves ACTOR=MOVE plays a what-if from any turn.",
                     lead="Reproduce it."))

    doc.add(Heading(1, "At a glance"), _glance(a, rules))
    if a.verdicts:
        doc.add(Heading(1, "How the players did"),
                Para("Each player's objectives, heaviest first, as the turn screen showed them to the player: where "
                     "each ended, and whether that is better or worse for the player than before turn 1."))
        overridden = a.players_overridden()
        for v in a.verdicts:
            chosen = overridden.get(v.actor)
            note = (f"; the instructor chose its moves on {_turns(chosen)} in place of the player" if chosen else "")
            doc.add(Para(v.summary() + note + ".", lead=f"{v.name}:"),
                    Table(["Objective", "Wants it", "At the end", "Against the start"],
                          [[r.label, r.wants, r.end, r.way] for r in v.results], "llrl"))

    doc.add(Heading(1, "Resolve and beliefs"),
            Para("Each government's resolve, drawn at the start and kept private (0 dove, 1 hawk), against what the "
                 "others believed of it when the game stopped: how well the signals carried it."),
            Table(["Government", "Resolve", "What the other governments believed at the end"],
                  [[name[g], f"{resolve:.2f}", _beliefs(a.beliefs_of(g, rules.governments), name)
                    + (" (since revealed by the instructor)" if g in model.state.revealed else "")]
                   for g, resolve in a.resolve.items()], "lrl"))

    doc.add(Heading(1, "The escalation ladder"))
    for src, title, caption in charts:
        if src.endswith("ladder.png"):
            doc.add(Image(src, title, caption))
    doc.add(Items([f"Turn {lo}: {rung}" if lo == hi else f"Turns {lo}–{hi}: {rung}" for lo, hi, rung in a.ladder]))

    doc.add(Heading(1, "Timeline"),
            Para("Every move played, and the injects, instructor interventions, lapsed measures, new capacity, "
                 "rejected moves and the outcome. Moves marked (private) were hidden from the other players."))
    rows = []
    for row in a.timeline:
        moves = "\n".join(f"{name[actor]}: {rules.moves[m].name}" + ("" if public else " (private)")
                          for actor, m, public in row.moves) or "—"
        # Each event's own words say what it is (a lapse, new capacity, the outcome...); an inject alone could be
        # taken for a move.
        events = "\n".join(("Event: " if kind == "inject" else "") + text for kind, text in row.events)
        rows.append([str(row.turn), row.date, f"{rules.tension_text(row.tension)}\n{row.rung}", moves, events])
    doc.add(Table(["Turn", "Date", titled("tension", f"0 to {rules.politics['tension_max']:g}"), "Moves", "Events"], rows,
                  "llr"))

    doc.add(Heading(1, "Indicators"))
    for src, title, caption in charts:
        if not src.endswith("ladder.png"):
            doc.add(Heading(2, title), Image(src, title, caption))

    k = max((d.window for d in a.decisions), default=3)
    doc.add(Heading(1, "Decisions and their consequences"),
            Para(f"For each move, the change in four indicators over the {k} turns starting with the one in which "
                 "it was played: from the end of the turn before the move to the end of its turn plus "
                 f"{k - 1} (fewer at the end of the game); losses are those added over the window. Other actors "
                 "moved in the same turns, so these are measured consequences, not causes: to isolate one "
                 "decision, branch the game at its turn with different moves and compare the two games."))
    # A game stopped part-way may still go on to its turn limit; one that has ended has no turns after its last.
    last = model.turn_limit if model.running else a.turns
    grouped = a.by_actor()
    for actor, decisions in ((x, grouped[x]) for x in rules.actor_ids if x in grouped):
        families: dict[str, int] = {}
        for d in decisions:
            families[d.family] = families.get(d.family, 0) + 1
        spent = model.state.money_spent_musd.get(actor, 0.0)
        mix = ", ".join(f"{n} {fam.replace('_', '-')}" for fam, n in sorted(families.items(), key=lambda x: -x[1]))
        chosen = sum(d.by_instructor for d in decisions)
        by_instructor = ("" if not chosen else ", set by the instructor" if len(decisions) == 1
                         else ", all set by the instructor" if chosen == len(decisions)
                         else f", {chosen} of them set by the instructor")
        doc.add(Heading(2, name[actor]),
                Para(f"{len(decisions)} move{'s' if len(decisions) != 1 else ''} ({mix}){by_instructor}"
                     + (f"; {usd(spent * 1e6)} spent." if spent else ".")))
        doc.add(Table(["Turn", "Move", "Family", "Severity", "Δ tension", f"Δ {label('japan_supply_index')}",
                       label("japan_gdp_loss_jpy"), label("china_export_loss_usd")],
                      [[str(d.turn), d.name + ("" if d.public else " (private)") + _late_capacity(rules, d, last)
                        + (" (set by the instructor)" if d.by_instructor else ""),
                        d.family.replace("_", "-"),
                        f"{d.severity:+g}", f"{d.change['tension']:+.2f}", f"{d.change['japan_supply_index']:+.2f}",
                        yen(d.change["japan_gdp_loss_jpy"]), usd(d.change["china_export_loss_usd"])]
                       for d in decisions], "llllrrrr"))

    # A human player's moves typed in for them are moves, not interventions; they are in the timeline. Moves the
    # instructor chose in the player's place are an intervention.
    interventions = [r for r in a.interventions if r["kind"] != "policy" and not (
        r["kind"] == "override" and (r.get("by") == "resume" or a.policies.get(r["actor"]) == "human"
                                     and not r.get("instead_of_player")))]
    if interventions:
        doc.add(Heading(1, "Instructor interventions"),
                Items([_intervention(r, rules, name, a) for r in interventions]))

    doc.add(Heading(1, "Discussion questions"), Items(a.questions, numbered=True))
    doc.add(Heading(1, "About the numbers"),
            Para("Indicators are those the game reports each turn (wargame run --json). Japan's supply index is "
                 "the value of its rare-earth and magnet imports against normal (1 = normal); its loss from "
                 "shortages is the value added its industries lost for want of rare earths, and its share of GDP leaves "
                 "out the trade and tourism lost to other measures; losses are counted from the start of the game "
                 "(in the decisions' tables, over each move's turns); tension runs from 0 to "
                 f"{rules.politics['tension_max']:g} and its rungs are set by the ruleset ({rules.name})."))
    return doc


def _late_capacity(rules: Ruleset, d, last: int) -> str:
    """Whether capacity the move built comes on line only after the game's last turn."""
    projects = [e for e in rules.moves[d.move].effects.get(d.actor, ()) if isinstance(e, CapacityProject)]
    late = [e for e in projects if e.in_play_from(d.turn) > last]
    if not late:
        return ""
    return (" (its new capacity comes on line after the game)" if len(late) == len(projects)
            else " (part of its new capacity comes on line after the game)")


def _players(a: Analysis, name: dict[str, str]) -> str:
    """Who played each actor, people first: 'Tokyo was played by a person; Beijing, … were played by the
    doctrine AI.'"""
    groups: dict[str, list[str]] = {}
    for actor, policy in sorted(a.policies.items(), key=lambda kv: kv[1] != "human"):
        groups.setdefault(policy, []).append(name.get(actor, actor))
    clauses = []
    for policy, actors in groups.items():
        many = len(actors) > 1
        if policy == "hold":
            clauses.append(f"{listed(actors)} held every turn (no one played {'them' if many else 'it'})")
            continue
        by = "people, one each" if policy == "human" and many else played_by(policy)
        clauses.append(f"{listed(actors)} {'were' if many else 'was'} played by {by}")
    return "; ".join(clauses) + "."


def _beliefs(held: list[tuple[str, float]], name: dict[str, str]) -> str:
    """'Tokyo 0.61, Washington 0.70', or 'Tokyo, Washington and The G7: 0.87' when they all believed the same."""
    if not held:
        return "—"
    shown = {f"{belief:.2f}" for _, belief in held}
    if len(shown) == 1 and len(held) > 1:
        return f"{listed([name[o] for o, _ in held])}: {shown.pop()}"
    return ", ".join(f"{name[o]} {belief:.2f}" for o, belief in held)


def _turns(turns: list[int]) -> str:
    """'turn 2', 'turns 2 and 5'."""
    return f"turn {turns[0]}" if len(turns) == 1 else f"turns {listed([str(t) for t in turns])}"


def _branch_changes(a: Analysis, rules: Ruleset, name: dict[str, str]) -> str:
    """What the branch changes: the moves it pins, and the actors it hands to another AI (an actor a person
    played repeats its recorded moves unless given others: that is no change)."""
    pins = sorted((int(t), pins) for t, pins in (a.branch.get("moves") or {}).items())
    parts = [f"on turn {t} {name.get(actor, actor)} plays {rules.moves_text(m, none='nothing')}"
             for t, by_actor in pins for actor, m in by_actor.items()]
    parts += [f"from turn {r['turn']} {name.get(r['actor'], r['actor'])} is played by {played_by(r['policy'])}"
              for r in a.interventions if r["kind"] == "policy" and r["policy"] != "recorded"]
    return "; ".join(parts) or "nothing changed"


def _intervention(r: dict, rules: Ruleset, name: dict[str, str], a: Analysis) -> str:
    kind, t = r["kind"], r["turn"]
    if kind == "inject":
        inject = rules.injects.get(r["inject"])
        return f"Turn {t}: inject — {inject.name if inject else r['inject']}"
    if kind == "event":
        return f"Turn {t}: ad hoc event — {r['text']}" + (" (with effects)" if r.get("effects") else "")
    if kind == "override":
        actor = name.get(r["actor"], r["actor"])
        if r.get("instead_of_player"):
            return (f"Turn {t}: {actor}'s moves chosen by the instructor in place of the player — "
                    f"{rules.moves_text(r['moves'], none='nothing')}")
        who = {"branch": "branch", "resume": "moves entered"}.get(r.get("by"), "override")
        return f"Turn {t}: {who} — {actor} plays {rules.moves_text(r['moves'], none='nothing')}"
    if kind in ("reveal", "hide"):
        when = f"After the game (after turn {a.turns})" if a.after_the_game(t) else f"Turn {t}"
        return f"{when}: {kind} {name.get(r['actor'], r['actor'])}'s private information"
    if kind == "pause":
        return f"Turn {t}: pause" + (f" — {r['note']}" if r.get("note") else "")
    if kind == "branch":
        return f"Turn {t}: branch from {r.get('parent')}"
    return f"Turn {t}: {kind}"


def _glance(a: Analysis, rules: Ruleset) -> Table:
    s = a.series
    rows = []

    def row(key: str, text: str, extreme: str, show=None) -> None:
        values = s.get(key)
        if not values:
            return
        show = show or (lambda v: fmt(key, v))
        pick = max if extreme == "peak" else min
        i = pick(range(len(values)), key=lambda j: (values[j], -j) if extreme == "peak" else (values[j], j))
        start = a.baseline.get(key)
        rows.append([text, show(start) if start is not None else "—",
                     f"{show(values[i])} (turn {i + 1})", show(values[-1])])

    # Tension as the timeline and the log give it, on the ruleset's scale.
    row("tension", titled("tension", f"0 to {rules.politics['tension_max']:g}"), "peak", rules.tension_text)
    if s.get("ladder"):
        top = max(range(len(s["ladder"])), key=lambda j: (s["tension"][j], -j))
        rows.append([label("ladder"), rules.ladder_rung(a.baseline["tension"]),
                     f"{s['ladder'][top]} (turn {top + 1})", s["ladder"][-1]])
    # As the players' objectives and the questions give it: 2% (of normal), not 0.0231 beside 0.223.
    row("japan_supply_index", objective_label(rules, "japan_supply"), "low", lambda v: f"{v:.0%}")
    row("japan_import_share_china", label("japan_import_share_china"), "low")
    row("japan_gdp_loss_jpy", f"{label('japan_gdp_loss_jpy')} (cumulative)", "peak")
    if any(s.get("japan_other_loss_jpy") or ()):
        row("japan_other_loss_jpy", f"{label('japan_other_loss_jpy')} (cumulative)", "peak")
    row("china_export_loss_usd", f"{label('china_export_loss_usd')} (cumulative)", "peak")
    row("cohesion", titled("cohesion"), "peak")
    row("diversification_tpw", titled("diversification_tpw", f"t/{rules.per_turn[1]}"), "peak")
    return Table(["Indicator", "Before turn 1", "Peak or low (turn)", f"End (turn {a.turns})"], rows, "lrrr")
