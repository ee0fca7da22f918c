"""Instructor tools: injects, ad hoc events, reveal and hide, overrides, pauses; all logged, saved and replayed."""

from __future__ import annotations

import json

import pytest

from conftest import json_lines, run_cli
from gamekit import new_game, run_with_input, state_json
from wargame.errors import IllegalMove, WargameError
from wargame.instructor import Instructor
from wargame.replay import replay
from wargame.saves import load_game, snapshot


def _quiet(rules, seed=3, turns=6):
    # Everyone holds, so what changes is what the instructor did.
    return new_game(rules, seed, turns, policy="hold")


def test_an_inject_acts_at_once_and_on_the_coming_turn_only(rules):
    plain, hit = _quiet(rules), _quiet(rules)
    plain.run(1)
    hit.run(1)
    ins = Instructor(hit)
    cohesion = hit.state.cohesion
    events = ins.inject("g7_summit_communique")
    assert hit.state.cohesion == pytest.approx(min(1.0, cohesion + 0.1))
    assert events[0].kind == "inject" and events[0].text.startswith("G7 summit communiqué")
    assert events[0].visible_to is None and events[0].turn == 2
    ins.inject("typhoon_japan_port")
    assert len(hit.injected) == 2                          # the typhoon's flows cut and its direct loss
    plain.step()
    hit.step()
    assert hit.injected == []
    lost = hit.state.japan_direct_loss_jpy - plain.state.japan_direct_loss_jpy
    assert lost == pytest.approx(2.0e10)
    plain.step()
    hit.step()
    assert hit.state.japan_direct_loss_jpy - plain.state.japan_direct_loss_jpy == pytest.approx(lost)
    assert [r["kind"] for r in hit.interventions] == ["inject", "inject"]
    assert [e.text for e in ins.log()][:1] == [events[0].text]


def test_ad_hoc_events_with_and_without_effects(rules):
    game = _quiet(rules)
    ins = Instructor(game)
    ins.announce("Rumours of a Chinese embargo on gallium")
    tension = game.state.tension
    ins.announce("Protests outside the Japanese embassy", [{"op": "adjust", "var": "tension", "by": 1.5}])
    assert game.state.tension == pytest.approx(tension + 1.5)
    with pytest.raises(WargameError, match="unknown effect operation 'teleport'"):
        ins.announce("nonsense", [{"op": "teleport"}])
    with pytest.raises(WargameError, match="needs some text"):
        ins.announce("   ")
    assert [r["kind"] for r in game.interventions] == ["event", "event"]
    assert game.events[-2].text == "Protests outside the Japanese embassy"


# An amount an instructor types for an ad hoc event, far outside what the game can take, and the range the refusal
# gives: the ruleset's own where it has one (tension's maximum, Japan's yearly GDP, the trade graph's capacities).
UNBOUNDED = [
    ({"op": "adjust", "var": "tension", "by": 1e308}, "by", "a change of tension between -{tension_max:g} and "
                                                           "{tension_max:g}"),
    ({"op": "adjust", "var": "tension", "by": -50}, "by", "a change of tension between -{tension_max:g}"),
    ({"op": "adjust", "var": "cohesion", "by": 40}, "by", "a number between -1 and 1, got 40 (for 40%, "
                                                          "write 0.4)"),
    ({"op": "adjust", "var": "tension", "by": float("inf")}, "by", "a change of tension, got infinity"),
    ({"op": "direct_loss", "country": "JP", "jpy_per_turn": 1e300}, "jpy_per_turn", "a loss in yen a turn between 0"),
    ({"op": "price_floor", "commodity": "ndpr", "usd_per_kg": 1e200}, "usd_per_kg",
     "a price in US dollars a kg between 0 and 100,000"),
    ({"op": "capacity_project", "node": "jp_deepsea_mud", "amount": 1e300, "lead_time": 4}, "amount",
     "a capacity in tonnes a turn between 0 and"),
    ({"op": "capacity_project", "node": "jp_deepsea_mud", "amount": 40, "lead_time": 10 ** 12}, "lead_time",
     "a whole number of turns between 0 and 1000"),
]


@pytest.mark.parametrize("effect, key, said", UNBOUNDED, ids=[f"{e['op']}-{k}-{i}" for i, (e, k, _) in
                                                              enumerate(UNBOUNDED)])
def test_an_ad_hoc_event_s_amount_beyond_its_range_is_refused_with_the_range(rules, effect, key, said):
    game = _quiet(rules)
    ins = Instructor(game)
    before = state_json(game)
    with pytest.raises(WargameError) as info:
        ins.announce("A typing slip", [effect])
    (line,) = info.value.lines()
    assert f"effects[0].{key}: expected {said.format(tension_max=rules.politics['tension_max'])}" in line
    assert game.interventions == [] and state_json(game) == before


def test_an_ad_hoc_event_at_the_edge_of_its_range_is_played(rules):
    game = _quiet(rules)
    ins = Instructor(game)
    top = rules.politics["tension_max"]
    ins.announce("Crisis", [{"op": "adjust", "var": "tension", "by": top}])
    ins.announce("Snow", [{"op": "direct_loss", "country": "JP", "jpy_per_turn": 1e14}])
    assert [r["kind"] for r in game.interventions] == ["event", "event"]


def test_an_ad_hoc_loss_is_bounded_by_this_rulesets_own_year_of_japans_gdp(rules):
    gdp = rules.economy["japan_gdp_jpy_per_year"]
    ins = Instructor(_quiet(rules))
    with pytest.raises(WargameError, match=f"a loss in yen a turn between 0 and {gdp:,.0f}"):
        ins.announce("Earthquake", [{"op": "direct_loss", "country": "JP", "jpy_per_turn": gdp * 1.1}])
    ins.announce("Earthquake", [{"op": "direct_loss", "country": "JP", "jpy_per_turn": gdp}])
    assert [r["kind"] for r in ins.model.interventions] == ["event"]


def test_reveal_and_hide_private_information(rules):
    game = new_game(rules, 5, 6, policy="utility")
    game.run(1)
    ins = Instructor(game)
    before = game.observe("tokyo").belief("beijing")
    ins.reveal("beijing")
    assert game.observe("tokyo").belief("beijing") == game.state.resolve["beijing"] != before
    with pytest.raises(WargameError, match="Beijing's private information is already revealed"):
        ins.reveal("beijing")
    ins.hide("beijing")
    assert game.observe("tokyo").belief("beijing") == before
    with pytest.raises(WargameError, match="unknown actor 'bejing'"):
        ins.reveal("bejing")


def test_overriding_an_ai_move(rules):
    game = new_game(rules, 7, 6, policy="utility")
    game.run(1)
    ins = Instructor(game)
    legal = game.legal_moves("beijing")
    choice = [m for m in legal if game.rules.moves[m].capital <= game.state.capital["beijing"]][:1]
    ins.override("beijing", choice)
    ins.override("washington", [])
    event = [e for e in game.events if e.kind == "instructor"][-2]
    assert event.visible_to == ("beijing",) and not event.visible("tokyo")
    game.step()
    assert game.reports[-1].orders["beijing"] == choice and game.reports[-1].orders["washington"] == []
    game.step()                                            # an override lasts one turn
    with pytest.raises(IllegalMove) as err:
        ins.override("beijing", ["formal_protest", "no_such_move"])
    assert "formal_protest: belongs to Tokyo, not Beijing" in str(err.value) and "unknown move 'no_such_move'" in str(err.value)
    assert [r["kind"] for r in game.interventions] == ["override", "override"]


def test_pause_resume_and_the_command_language(rules):
    game = new_game(rules, 8, 4, policy="utility")
    ins = Instructor(game)
    assert not ins.paused
    assert ins.execute("pause the class discusses turn 1").lines
    assert ins.paused
    with pytest.raises(WargameError, match="already paused"):
        ins.execute("pause")
    reply = ins.execute("continue 2")
    assert reply.advance == 2 and not ins.paused
    assert ins.execute("").advance == 1 and ins.execute("next").advance == 1
    assert ins.execute("continue all").advance > 52
    assert ins.execute("quit").quit
    assert "inject ID" in "\n".join(ins.execute("help").lines)
    assert any("g7_summit_communique" in line for line in ins.execute("deck").lines)
    listed = ins.execute("moves tokyo").lines
    assert listed[0] == "Tokyo may play (give the id to 'override tokyo'):"
    assert len(listed) - 1 == len(game.legal_moves("tokyo"))
    # Ids in one column, names in the next, however long an id ('require_end_user_certification').
    legal = game.legal_moves("beijing")
    lines = ins.execute("moves beijing").lines[1:]
    assert [line.split()[0] for line in lines] == legal
    assert len({line.index(game.rules.moves[m].name) for line, m in zip(lines, legal)}) == 1
    ins.execute("say Port strike in Yokohama | {op: direct_loss, country: JP, jpy_per_turn: 1e10}")
    assert game.interventions[-1]["effects"] == [{"op": "direct_loss", "country": "JP", "jpy_per_turn": 1e10}]
    ins.execute("override beijing hold")
    assert "override beijing: hold" in ins.execute("pending").lines
    for bad, why in (("dance", "unknown command"), ("inject", "expected one inject id"),
                     ("say text | {op: [", "cannot read the effect"), ("override beijing", "expected ACTOR"),
                     ("continue soon", "expected a number"), ("reveal", "expected one actor")):
        count = len(game.interventions)
        with pytest.raises(WargameError, match=why):
            ins.execute(bad)
        assert len(game.interventions) == count
    game.run()
    with pytest.raises(WargameError, match="the game is over"):
        ins.inject("snap_election")


def test_interventions_survive_save_load_and_replay(rules):
    game = new_game(rules, 9, 8, ("tokyo",), "utility")
    ins = Instructor(game)
    game.run(1)
    ins.inject("lynas_plant_fire")
    ins.reveal("beijing")
    game.step()
    ins.override("beijing", [])
    ins.inject("malacca_disruption")
    ins.announce("Snow in Hokkaido", [{"op": "direct_loss", "country": "JP", "jpy_per_turn": 5e9}])
    doc = snapshot(game)                                   # saved with all of that pending for turn 3
    loaded_twin = json.loads(json.dumps(doc))
    from wargame.saves import restore
    loaded = restore(loaded_twin, rules)
    assert loaded.injected == game.injected and loaded.interventions == game.interventions
    game.run()
    loaded.run()
    assert state_json(loaded) == state_json(game)
    assert loaded.reports[2].orders["beijing"] == []
    result = replay(snapshot(game), rules)
    assert result.matches, str(result.divergence)


def test_the_instructor_flag_reads_commands_from_standard_input(tmp_path):
    save = tmp_path / "class.json"
    commands = "\n".join([
        "status", "inject g7_summit_communique", "reveal beijing", "say Students protest | {op: adjust, var: tension, by: 0.5}",
        "continue", "override beijing hold", "# a comment", "pause discuss the embargo", "continue 2",
        "hide beijing", "quit"]) + "\n"
    done = run_with_input("run", "--turns", "8", "--seed", "3", "--instructor", "--save", str(save), input_text=commands)
    assert done.returncode == 0, done.stderr
    assert "[instructor] Before turn 1: Event from the inject deck (every player sees it): G7 summit communiqué" \
        in done.stdout
    assert "Turn  3" in done.stdout and "Turn  4" not in done.stdout      # quit before turn 4
    game = load_game(save)
    assert [r["kind"] for r in game.interventions] == ["inject", "reveal", "event", "override", "pause", "resume",
                                                       "hide"]
    assert game.reports[1].orders["beijing"] == []
    assert run_cli("replay", str(save)).returncode == 0
    done = run_with_input("run", "--turns", "3", "--seed", "3", "--instructor", "--json",
                          input_text="inject snap_election\n")
    assert done.returncode == 0, done.stderr
    lines = json_lines(done.stdout)
    assert [line["type"] for line in lines] == ["turn", "turn", "turn", "summary"]
    assert "snap_election" not in done.stdout and "Snap election" in done.stderr


# A command typed at the console, and what the console says it did: the event dated as made, worded as the
# instructor reads it (an inject and an ad hoc event announced as such, what an event did at once under it, who
# alone sees what not every player sees).
ECHOES = [
    ("inject g7_summit_communique",
     ["Before turn 2: Event from the inject deck (every player sees it): G7 summit communiqué on economic coercion: "
      "G7 leaders issue a communiqué",
      "  → G7 cohesion +0.1", "  → relations Beijing–the G7 -0.05", "  → tension +0.2"]),
    ("say Port strike in Yokohama", ["Before turn 2: Ad hoc event (every player sees it): Port strike in Yokohama"]),
    ("say Port strike | {op: adjust, var: tension, by: 1}",
     ["Before turn 2: Ad hoc event (every player sees it): Port strike", "  → tension +1"]),
    ("reveal beijing", ["Before turn 2: The instructor reveals Beijing's private information to every player"]),
    ("override washington hold",
     ["Before turn 2: The instructor overrides Washington's moves on turn 2: nothing (holds) "
      "(only Washington sees it)"]),
    ("override tokyo hold", ["Before turn 2: Moves entered for Tokyo on turn 2: nothing (holds) (only Tokyo sees it)"]),
    ("pause the embargo", ["Before turn 2: The instructor pauses the game: the embargo"]),
]


@pytest.mark.parametrize("command,said", ECHOES, ids=[c.split()[0] + str(i) for i, (c, _) in enumerate(ECHOES)])
def test_the_console_says_what_a_command_did_as_the_instructor_reads_it(rules, command, said):
    game = new_game(rules, 3, 6, policy="hold", humans=("tokyo",))
    game.run(1)
    lines = Instructor(game).execute(command).lines
    assert len(lines) == len(said) and all(line.startswith(s) for line, s in zip(lines, said)), lines
    assert not any(kind in line for line in lines for kind in ("inject:", "instructor:", "effect:", "(private)"))


def test_a_reveal_once_the_game_is_over_is_said_to_come_after_it(rules, tmp_path):
    game = new_game(rules, 3, 3, policy="hold")
    game.run()
    ins = Instructor(game)
    assert ins.execute("reveal beijing").lines == [
        "After the game (after turn 3): The instructor reveals Beijing's private information to every player"]
    assert ins.execute("hide beijing").lines == [
        "After the game (after turn 3): The instructor hides Beijing's private information again"]
    # Kept as it always was, dated the turn after the last: older saves hold it so, and replay as saved.
    assert [(r["turn"], r["kind"]) for r in game.interventions] == [(4, "reveal"), (4, "hide")]
    save = tmp_path / "over.json"
    from wargame.saves import save_game
    save_game(game, save)
    assert run_cli("replay", str(save)).returncode == 0


def test_what_is_queued_is_worded_as_the_instructor_reads_it(rules):
    from wargame.instructor import describe
    from wargame.replay import branch

    game = new_game(rules, 3, 4, policy="hold")
    game.run()
    what_if = branch(snapshot(game), at=2, moves={2: {"tokyo": []}}, policies={"beijing": "random"}, turns=0,
                     name="the class game")
    ins = Instructor(what_if)
    ins.pause("the embargo")
    ins.announce("Port strike", [{"op": "adjust", "var": "tension", "by": 1}])
    # The console gives the ids its commands take; the instructor's screen names actors and moves.
    common = ["what-if branch of the class game from turn 2", "from turn 2, Beijing is played by an AI choosing at random"]
    later = ["pause: the embargo", "ad hoc event: Port strike (with 1 effect)"]
    assert ins.execute("pending").lines == common + ["override tokyo: hold"] + later
    assert [describe(what_if.rules, r) for r in ins.pending()] == common + ["override Tokyo: hold"] + later


def test_players_without_orders_are_named_as_the_class_knows_them_with_the_command_that_gives_them(rules):
    from wargame.instructor import missing_orders

    assert missing_orders(rules, ["tokyo", "beijing"]) == (
        "no orders for Tokyo and Beijing (played at the keyboard): they hold unless given moves "
        "('override tokyo MOVE...', 'override beijing MOVE...')")


def test_players_without_orders_are_named_before_their_turn():
    commands = "pending\noverride tokyo demarche\npending\ncontinue\nsay Strike\ncontinue\n"
    done = run_with_input("run", "--turns", "2", "--seed", "3", "--policy", "tokyo=human", "--instructor",
                          input_text=commands)
    assert done.returncode == 0, done.stderr
    missing = "no orders for Tokyo (played at the keyboard): it holds unless given moves ('override tokyo MOVE...')"
    # Asked before the override, 'pending' names Tokyo; asked after, it does not. Turn 2 has no orders.
    assert done.stdout.count(f"[instructor] {missing}") == 1
    assert f"note: turn 2: {missing}" in done.stderr and "note: turn 1" not in done.stderr
    assert "\nOutcome after 2 turns: " in done.stdout
    # A mistake in the file stops the session at its line, before the turn it was meant for.
    done = run_with_input("run", "--turns", "2", "--seed", "3", "--policy", "tokyo=human", "--instructor",
                          input_text=commands.replace("say Strike", "say Strike | {op: bogus}"))
    assert done.returncode == 2
    assert done.stderr.splitlines()[-2].startswith("stdin:5: say: effects[0].op: unknown effect operation 'bogus'")
    assert "instructor:" not in done.stderr
    assert "Turn  1" in done.stdout and "Turn  2" not in done.stdout
    one = run_cli("run", "--turns", "1", "--seed", "3")
    assert "\nOutcome after 1 turn: " in one.stdout


@pytest.mark.parametrize("where,continue_line,quit_line", [
    ("console", "(also: next, or an empty line)", "stop the game here (it is still saved with --save)"),
    ("screen", "(also: next; or the key n)", "stop here: save the game (ctrl+s), then quit (ctrl+q)"),
])
def test_help_speaks_of_where_the_commands_are_typed(where, continue_line, quit_line):
    from wargame import WargameModel

    lines = Instructor(WargameModel(rng=1), where).execute("help").lines
    assert any(line.startswith("continue") and line.endswith(continue_line) for line in lines)
    assert any(line.startswith("quit") and line.endswith(quit_line) for line in lines)
    assert not any("{" + key in line for line in lines for key in ("quit", "continue_also"))
    assert any("{op: direct_loss" in line for line in lines)      # the example's own braces survive


def test_status_words_the_figures_as_the_run_log_does():
    from wargame import WargameModel
    from wargame.instructor import Instructor
    from wargame.figures import yen
    from wargame.render import gdp_share

    model = WargameModel(rng=7, turns=4)
    instructor = Instructor(model)
    instructor.reveal("beijing")
    model.step()
    model.step()
    ind = model.state.indicators
    when, figures, revealed = instructor.status()
    assert when == f"before turn 3 ({model.date.isoformat()}): tension {model.rules.tension_text(model.state.tension)} " \
                   f"of 10 ({model.rules.ladder_rung(model.state.tension)})"
    assert f"Japan's loss from shortages {yen(ind['japan_gdp_loss_jpy'])} " \
           f"({gdp_share(ind['japan_gdp_loss_share'])} of GDP)" in figures
    assert f"from lost trade and tourism {yen(ind['japan_other_loss_jpy'])}" in figures
    assert ind["japan_other_loss_jpy"] > 0 and "China's lost rare-earth exports $" in figures
    assert revealed == "revealed: Beijing"
