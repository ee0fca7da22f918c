"""Debrief reports, checked against the game that produced them."""

from __future__ import annotations

import html
import re
import subprocess
import sys

import pytest

from conftest import run_cli
from gamekit import new_game
from wargame.compare import fmt
from wargame.figures import yen
from wargame.indicators import label
from wargame.model import WargameModel
from wargame.instructor import Instructor
from wargame.replay import branch
from wargame.report import MISSING_EXTRA, build_report
from wargame.report.analysis import analyse
from wargame.saves import save_game, snapshot

PNG = b"\x89PNG\r\n\x1a\n"


@pytest.fixture(scope="module")
def game(rules):
    g = new_game(rules, 41, 8, ("tokyo",), "utility")
    ins = Instructor(g)
    while g.running:
        t = g.turn
        if t == 2:
            ins.inject("typhoon_japan_port")
        if t == 3:
            ins.override("beijing", [])
            ins.reveal("beijing")
        legal = g.legal_moves("tokyo")
        g.submit("tokyo", ["formal_protest"] if t == 1 and "formal_protest" in legal else [])
        g.step()
    return g


@pytest.fixture(scope="module")
def report(game, tmp_path_factory):
    out = tmp_path_factory.mktemp("report")
    return build_report(game, out), out


def test_the_report_files(report):
    files, out = report
    assert files.markdown == out / "report.md" and files.html == out / "report.html"
    names = sorted(p.name for p in files.charts)
    assert names == ["ladder.png", "losses.png", "output.png", "politics.png", "prices.png", "supply.png"]
    for chart in files.charts:
        assert chart.read_bytes()[:8] == PNG and chart.stat().st_size > 5000
    md = files.markdown.read_text()
    for name in names:
        assert f"](charts/{name})" in md
    page = files.html.read_text()
    assert page.startswith("<!DOCTYPE html>") and "@media print" in page
    # The losses chart's caption names the losses as the log does.
    assert "Japan's GDP lost to shortages and its lost trade and tourism (left axis)" in md
    assert page.count("<img src='charts/") == len(names)


def test_the_timeline_holds_every_move_and_intervention(game, report):
    files, _ = report
    md = files.markdown.read_text()
    timeline = md[md.index("## Timeline"):md.index("## Indicators")]
    assert "| Turn | Date | Tension (0 to 10) | Moves | Events |" in timeline
    rows = [line for line in timeline.splitlines() if re.match(r"\| \d+ \|", line)]
    assert len(rows) == game.state.turn
    for r, row in zip(game.reports, rows):
        assert row.startswith(f"| {r.turn} | {r.indicators['date']} | {r.indicators['tension']:.2f}")
        for actor, moves in r.orders.items():
            for m in moves:
                assert f"{game.rules.actors[actor].name}: {game.rules.moves[m].name}" in row
    assert "Event: Typhoon closes Japanese ports" in rows[1]
    assert "The instructor reveals Beijing's private information" in rows[2]
    assert any(" lapses" in row for row in rows) and "Turn limit reached" in rows[-1]
    # Events are told in words: the engine's kinds of event are not shown as tags.
    assert not re.search(r"\[(inject|instructor|expired|project|outcome|rejected|effect)\]", timeline)
    assert "## Instructor interventions" in md and "Turn 3: override — Beijing plays nothing" in md


def test_numbers_match_the_game(game, report):
    files, _ = report
    md = files.markdown.read_text()
    final = game.reports[-1].indicators
    glance = md[md.index("## At a glance"):md.index("## The escalation ladder")]
    assert fmt("japan_gdp_loss_jpy", final["japan_gdp_loss_jpy"]) in glance
    # The typhoon's and the opening bans' cost apart from the shortage's, as the log gives them.
    assert final["japan_other_loss_jpy"] > 0
    assert f"| {label('japan_other_loss_jpy')} (cumulative) | {yen(0)} |" in glance
    assert f"| {fmt('japan_other_loss_jpy', final['japan_other_loss_jpy'])} |" in glance
    assert fmt("china_export_loss_usd", final["china_export_loss_usd"]) in glance
    assert f"| {final['ladder']} |" in glance
    supply = [r.indicators["japan_supply_index"] for r in game.reports]
    low = min(range(len(supply)), key=lambda i: (supply[i], i))
    assert f"| Japan's supply (of normal) | 100% | {supply[low]:.0%} (turn {low + 1}) | {supply[-1]:.0%} |" in glance
    tensions = [r.indicators["tension"] for r in game.reports]
    peak = max(range(len(tensions)), key=lambda i: (tensions[i], -i))
    # On its scale, to two decimals as in the timeline: '4.00 | 9.20 (turn 5) | 8.05'.
    assert f"| Tension (0 to 10) | {game.rules.tension_text(4.0)} | {game.rules.tension_text(tensions[peak])} " \
           f"(turn {peak + 1}) | {game.rules.tension_text(tensions[-1])} |" in glance
    ladder = md[md.index("## The escalation ladder"):md.index("## Timeline")]
    assert f"{game.state.turn}: {final['ladder']}" in ladder


def test_decisions_and_their_measured_consequences(game, report):
    files, _ = report
    a = files.analysis
    played = [(r.turn, actor, m) for r in game.reports for actor, ms in r.orders.items() for m in ms]
    assert sorted((d.turn, d.actor, d.move) for d in a.decisions) == sorted(played)
    tension = [r.indicators["tension"] for r in game.reports]
    for d in a.decisions:
        end = min(len(tension), d.turn + 2)
        before = a.baseline["tension"] if d.turn == 1 else tension[d.turn - 2]
        assert d.change["tension"] == pytest.approx(tension[end - 1] - before)
        assert d.window == end - d.turn + 1
    md = files.markdown.read_text()
    section = md[md.index("## Decisions and their consequences"):md.index("## Instructor interventions")]
    for actor in {d.actor for d in a.decisions}:
        assert f"### {game.rules.actors[actor].name}" in section
    # The loss measured is the one from shortages, and says so.
    assert (f"| Turn | Move | Family | Severity | Δ tension | Δ {label('japan_supply_index')} | "
            f"{label('japan_gdp_loss_jpy')} | {label('china_export_loss_usd')} |") in section
    about = md[md.index("## About the numbers"):]
    assert f"set by the ruleset ({game.rules.name})." in about and game.rules.id not in about


def test_discussion_questions_come_from_this_game(game, report):
    files, _ = report
    questions = files.analysis.questions
    assert len(questions) >= 5
    text = "\n".join(questions)
    outcome = files.analysis.outcome
    assert outcome in text
    assert "Typhoon closes Japanese ports" in text
    assert "overrode Beijing's moves on turn 3" in text
    assert "revealed on turn 3" in text
    md = files.markdown.read_text()
    for q in questions:
        assert q in md
        assert html.escape(q, quote=False) in files.html.read_text().replace("&#x27;", "'")


def test_a_branch_report_says_where_it_branched(game, tmp_path):
    from wargame.policies import PLAYED_BY
    from wargame.report import compose

    doc = snapshot(game)
    what_if = branch(doc, at=2, moves={2: {"tokyo": ["clarify_taiwan_position"]}}, name="class.json")
    a = analyse(what_if)
    assert a.branch["parent"] == "class.json" and a.branch["turn"] == 2
    assert any("what-if branch of class.json from turn 2" in q for q in a.questions)
    # The changed moves by the names players know them by.
    assert ("This game is a what-if branch of class.json from turn 2: on turn 2 Tokyo plays Clarify that Japan's "
            "Taiwan policy is unchanged.") in compose(a, what_if, [], None).markdown()
    # An actor handed to another AI is a change too.
    handed = branch(doc, at=2, policies={"washington": "hold"}, name="class.json")
    assert ("This game is a what-if branch of class.json from turn 2: from turn 2 Washington is played by "
            f"{PLAYED_BY['hold']}.") in compose(analyse(handed), handed, [], None).markdown()


def test_the_report_command(game, tmp_path):
    path = save_game(game, tmp_path / "class.json")
    out = tmp_path / "debrief"
    done = run_cli("report", str(path), "--out", str(out), "--title", "Seminar 4 debrief", "--window", "2")
    assert done.returncode == 0, done.stderr
    assert (out / "report.md").read_text().startswith("# Seminar 4 debrief")
    assert "wargame replay" in (out / "report.md").read_text()
    assert len(list((out / "charts").glob("*.png"))) == 6


def test_without_matplotlib_the_report_names_the_extra(tmp_path, game):
    path = save_game(game, tmp_path / "class.json")
    code = ("import sys; sys.modules['matplotlib'] = None; from wargame.cli import main; "
            f"sys.exit(main(['report', {str(path)!r}, '--out', {str(tmp_path / 'r')!r}]))")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 2
    assert done.stderr.strip() == MISSING_EXTRA and "analysis" in MISSING_EXTRA
    assert not (tmp_path / "r").exists()


def test_an_empty_game_has_nothing_to_report(rules, tmp_path):
    from wargame.errors import WargameError
    with pytest.raises(WargameError, match="no turns played"):
        build_report(new_game(rules, 1, 3), tmp_path / "r")


# (game length, turns played, the move's line in the decisions table): capacity from Tokyo's turn-1 moves,
# against its lead times (Lynas: 6 and 8 turns; a magnet line: 143).
LATE_CAPACITY = [
    (10, 10, "| 1 | Expand the JARE offtake with Lynas (JOGMEC + Sojitz) | friend-shoring |"),
    (8, 8, "| 1 | Expand the JARE offtake with Lynas (JOGMEC + Sojitz) (part of its new capacity comes on line after "
           "the game) | friend-shoring |"),
    (10, 7, "| 1 | Expand the JARE offtake with Lynas (JOGMEC + Sojitz) | friend-shoring |"),  # saved part-way
    (10, 10, "| 1 | Subsidise a new magnet line in Japan (its new capacity comes on line after the game) |"),
]


@pytest.mark.parametrize("turns, played, row", LATE_CAPACITY)
def test_decisions_say_when_capacity_comes_on_line_after_the_game(rules, turns, played, row):
    from wargame.model import WargameModel
    from wargame.report import compose
    from wargame.scripts import script_from_text

    script = script_from_text("hold: all\nturns:\n  1: {tokyo: [lynas_offtake, fund_domestic_magnet_plant]}\n", rules)
    model = WargameModel(rules, rng=0, turns=turns, script=script)
    model.run(played)
    text = compose(analyse(model), model, [], None).markdown()
    assert row in text


# Who played whom, as the debrief's opening paragraph says it: (people, policy of the others, the sentence).
PLAYERS = [
    (("tokyo",), "utility", "The players.** Tokyo was played by a person; Beijing, Washington, The G7, Chinese "
                            "state-owned exporters, Japanese magnet makers, Japanese automakers, Japanese electronics "
                            "makers, Japanese industrial-machinery makers and Japanese defence industry were played by "
                            "the doctrine AI."),
    (("tokyo", "beijing"), "random", "The players.** Beijing and Tokyo were played by people, one each; Washington, "
                                     "The G7, "),
    ((), "hold", "The players.** Beijing, Tokyo, Washington, The G7, Chinese state-owned exporters, Japanese magnet "
                 "makers, Japanese automakers, Japanese electronics makers, Japanese industrial-machinery makers and "
                 "Japanese defence industry held every turn (no one played them)."),
]


@pytest.mark.parametrize("humans, others, sentence", PLAYERS)
def test_the_debrief_says_who_played_each_actor(rules, humans, others, sentence):
    from wargame.report import compose

    model = new_game(rules, 5, 1, humans, others)
    for actor in humans:
        model.submit(actor, [])
    model.step()
    text = compose(analyse(model), model, [], None).markdown()
    assert sentence in text
    assert ": people" not in text


def test_the_debrief_says_how_each_player_did_against_their_objectives(game, report):
    from wargame.views import objective_label, objective_standings

    files, _ = report
    md = files.markdown.read_text()
    section = md[md.index("## How the players did"):md.index("## Resolve and beliefs")]
    opening = WargameModel(game.rules, rng=game.seed, turns=1).state.indicators
    standings = [s for s in objective_standings(game, "tokyo", opening) if s.wants != "shown"]
    ways = []
    for s in standings:
        gain = (s.history[-1] - s.history[0]) * (1 if s.wants == "higher" else -1)
        ways.append("better" if gain > 1e-9 else "worse" if gain < -1e-9 else "unchanged")
        # The objectives panel's objective, said of Tokyo, and value, then which way it went since before turn 1.
        assert f"| {objective_label(game.rules, s.objective, 'Tokyo')} | {s.wants} | {s.text} | {ways[-1]} |" in section
    assert f"**Tokyo:** better than at the start on {ways.count('better')} of {len(standings)} objectives" in section
    # Only people get a verdict: the AI's actors are not judged.
    assert "Beijing" not in section and "resolve shown" not in section


def test_a_game_no_one_played_has_no_verdict(rules):
    from wargame.report import compose

    model = new_game(rules, 2, 2, (), "utility")
    model.run()
    assert "How the players did" not in compose(analyse(model), model, [], None).markdown()


# Tokyo's turn-1 moves, and which way its 'Money spent' objective (wanted lower) went from before turn 1.
SPENDING = [
    (["lynas_offtake"], "worse"),
    ([], "unchanged"),
]


@pytest.mark.parametrize("moves, way", SPENDING)
def test_a_verdict_sets_each_objective_against_where_it_started(rules, moves, way):
    from wargame.report.verdicts import verdicts

    model = new_game(rules, 0, 2, ("tokyo",), "hold")
    opening = dict(model.state.indicators)
    while model.running:
        model.submit("tokyo", moves if model.turn == 1 else [])
        model.step()
    (verdict,) = verdicts(model, opening)
    assert verdict.name == "Tokyo"
    spent = next(r for r in verdict.results if r.label == "Money Tokyo spent")
    assert (spent.wants, spent.way) == ("lower", way)
    assert verdict.count("better") + verdict.count("worse") + verdict.count("unchanged") == len(verdict.results)


# Whose moves the instructor set before turn 2, and from where: (actor, moves, the instructor's place, what the
# debrief says of it, what it must not say). Tokyo is played by a person, the others hold.
OVERRIDES = [
    ("tokyo", ["formal_protest", "demarche"], "screen",
     ["The instructor chose Tokyo's moves on turn 2 in place of the player.",
      "; the instructor chose its moves on turn 2 in place of the player.",
      "2 moves (2 signalling), all set by the instructor",
      "| 2 | Lodge a formal protest ('extremely regrettable') (set by the instructor) |",
      "- Turn 2: Tokyo's moves chosen by the instructor in place of the player — Lodge a formal protest ('extremely "
      "regrettable'); Summon the Chinese ambassador (démarche)",
      "The instructor chose Tokyo's moves on turn 2 in place of the player. How would"],
     ["overrode", "formal_protest"]),
    # Typed in for the player at the console, the moves are the player's own.
    ("tokyo", ["formal_protest", "demarche"], "console", ["2 moves (2 signalling)."],
     ["set by the instructor", "in place of the player", "## Instructor interventions", "overrode"]),
    ("washington", ["us_mediation"], "screen",
     ["1 move (1 de-escalation), set by the instructor",
      "| 2 | Urge both sides to talk (set by the instructor) |",
      "- Turn 2: override — Washington plays Urge both sides to talk",
      "The instructor overrode Washington's moves on turn 2. How would"],
     ["in place of the player", "us_mediation"]),
]


@pytest.mark.parametrize("actor, moves, where, says, never", OVERRIDES)
def test_the_debrief_counts_the_moves_the_instructor_chose_and_says_so(rules, actor, moves, where, says, never):
    from wargame.report import compose

    model = new_game(rules, 4, 3, ("tokyo",), "hold")
    while model.running:
        if model.turn == 2:
            Instructor(model, where=where).override(actor, moves)
        else:
            model.submit("tokyo", [])
        model.step()
    text = compose(analyse(model), model, [], None).markdown()
    for line in says:
        assert line in text
    for line in never:
        assert line not in text


# Each of Tokyo's objectives as its player reads it on the turn screen, and as the debrief says it of Tokyo.
OBJECTIVE_WORDING = [
    ("japan_supply", "Japan's supply (of normal)", "Japan's supply (of normal)"),
    ("tension", "Tension (0 to 10)", "Tension (0 to 10)"),
    ("relations", "Your relations (−1 to 1)", "Tokyo's relations with the others (−1 to 1)"),
    ("cohesion", "G7 cohesion", "G7 cohesion"),
    ("pressure", "Domestic pressure on you", "Domestic pressure on Tokyo"),
    ("cost", "Money spent", "Money Tokyo spent"),
    ("diversification", "Supply committed outside China", "Supply committed outside China"),
    ("resolve", "Showing your resolve (0 to 1)", "Tokyo's resolve shown (0 to 1)"),
]


@pytest.mark.parametrize("objective, to_the_player, of_the_player", OBJECTIVE_WORDING)
def test_the_debrief_says_each_objective_of_the_player_not_to_them(rules, game, objective, to_the_player,
                                                                   of_the_player):
    from wargame.report.verdicts import verdicts
    from wargame.views import objective_standings

    panel = {s.objective: s.label for s in objective_standings(game, "tokyo")}
    assert panel[objective] == to_the_player
    (verdict,) = verdicts(game)
    labels = [r.label for r in verdict.results]
    assert (of_the_player in labels) == (objective != "resolve")     # resolve is shown, not judged
    assert not any("you" in label.lower().split() or "your" in label.lower() for label in labels)


# Turn 1's moves, and who the debrief says committed new capacity outside China (None: no such question, as
# nobody built any). Friend-shoring that builds nothing (a stockpile release, the G7's action plan) is not named.
CAPACITY_BUILDERS = [
    ("{tokyo: [release_national_stockpile], g7: [g7_critical_minerals_action], washington: [us_japan_minerals_framework]}",
     "Washington committed 6 t a week of new capacity outside China."),
    ("{tokyo: [lynas_offtake, release_national_stockpile], washington: [us_japan_minerals_framework]}",
     "Tokyo and Washington committed "),
    ("{tokyo: [release_national_stockpile], g7: [g7_critical_minerals_action]}", None),
]


@pytest.mark.parametrize("moves, question", CAPACITY_BUILDERS)
def test_the_debrief_names_those_who_committed_new_capacity(rules, moves, question):
    from wargame.scripts import script_from_text

    model = WargameModel(rules, rng=0, turns=2, script=script_from_text(f"hold: all\nturns:\n  1: {moves}\n", rules))
    model.run()
    asked = [q for q in analyse(model).questions if "of new capacity outside China" in q]
    if question is None:
        assert asked == []
    else:
        assert len(asked) == 1 and asked[0].startswith(question), asked


def test_the_debrief_asks_who_paid_more_with_all_of_japans_losses(game, report):
    files, _ = report
    final = game.reports[-1].indicators
    assert final["japan_other_loss_jpy"] > 0
    assert (f"By the end Japan had lost {fmt('x_jpy', final['japan_gdp_loss_jpy'])} to shortages (") in \
        "\n".join(files.analysis.questions)
    assert (f" of GDP) and {fmt('x_jpy', final['japan_other_loss_jpy'])} in trade and tourism; China had lost "
            f"{fmt('x_usd', final['china_export_loss_usd'])} of rare-earth exports.") in "\n".join(files.analysis.questions)


def test_the_debrief_sets_each_governments_resolve_against_what_the_others_believed(game, report):
    files, _ = report
    md = files.markdown.read_text()
    section = md[md.index("## Resolve and beliefs"):md.index("## The escalation ladder")]
    state, rules = game.state, game.rules
    for gov in rules.governments:
        believed = {o: state.beliefs[o][gov][0] / sum(state.beliefs[o][gov]) for o in rules.governments if o != gov}
        row = next(line for line in section.splitlines() if line.startswith(f"| {rules.actors[gov].name} |"))
        assert row.startswith(f"| {rules.actors[gov].name} | {state.resolve[gov]:.2f} | ")
        for observer, value in believed.items():
            assert rules.actors[observer].name in row and f"{value:.2f}" in row
        # The game's instructor revealed Beijing on turn 3, and never hid it again.
        assert row.endswith("(since revealed by the instructor) |") == (gov == "beijing")


# Before which turns ("end": once the 4-turn game was over) the instructor revealed Beijing and hid it again,
# and what the question on it says.
REVEALS = [
    ({2: "reveal"}, "Beijing's private information was revealed on turn 2. Did the others"),
    ({1: "reveal", 3: "hide"}, "Beijing's private information was revealed on turn 1 (and hidden again on turn 3). "
                               "Did the others"),
    ({"end": "reveal"}, "Beijing's private information was revealed after the game ended (after turn 4). "
                        "Knowing its resolve and hidden moves now, would the others have played differently?"),
    ({1: "reveal", "end": "hide"}, "Beijing's private information was revealed on turn 1 (and hidden again after the "
                                   "game ended). Did the others"),
]


@pytest.mark.parametrize("acts, question", REVEALS)
def test_the_question_on_a_reveal_says_whether_it_was_hidden_again(rules, acts, question):
    model = new_game(rules, 3, 4, (), "hold")
    while model.running:
        act = acts.get(model.turn)
        if act:
            getattr(Instructor(model), act)("beijing")
        model.step()
    assert model.state.turn == 4
    if "end" in acts:
        getattr(Instructor(model), acts["end"])("beijing")
    questions = analyse(model).questions
    assert any(q.startswith(question) for q in questions), questions


def test_a_reveal_after_the_last_turn_is_dated_after_the_game(rules, tmp_path):
    model = new_game(rules, 3, 3, (), "hold")
    model.run()
    Instructor(model).reveal("beijing")
    out = tmp_path / "debrief"
    done = run_cli("report", str(save_game(model, tmp_path / "over.json")), "--out", str(out))
    assert done.returncode == 0, done.stderr
    md = (out / "report.md").read_text()
    assert "- After the game (after turn 3): reveal Beijing's private information" in md
    assert "revealed after the game ended (after turn 3)" in md
    assert "turn 4" not in md.lower()


def test_the_peak_of_tension_is_given_as_the_timeline_gives_it(game, report):
    files, _ = report
    tensions = [r.indicators["tension"] for r in game.reports]
    peak = max(range(len(tensions)), key=lambda i: (tensions[i], -i))
    assert files.analysis.questions[0].startswith(f"Tension peaked at {game.rules.tension_text(tensions[peak])} (")


@pytest.mark.parametrize("ways, said", [
    (("worse", "better", "better"), "better than at the start on 2 of 3 objectives, worse on 1; worse on the one "
                                    "that weighs most: Japan's supply (of normal)"),
    (("better", "better", "unchanged"), "better than at the start on 2 of 3 objectives, unchanged on 1; better on "
                                        "the one that weighs most: Japan's supply (of normal)"),
])
def test_a_verdict_names_the_heaviest_objective_when_it_went_one_way(ways, said):
    from wargame.report.verdicts import ObjectiveResult, Verdict

    labels = ("Japan's supply (of normal)", "Tension", "G7 cohesion")
    results = tuple(ObjectiveResult(label, "higher", weight, "", way)
                    for label, weight, way in zip(labels, (3.0, 1.0, 1.0), ways))
    assert Verdict("tokyo", "Tokyo", results).summary() == said
