"""The real `wargame` command: run, --json, --script, moves, and bad arguments."""

from __future__ import annotations

import os
import sys

import pytest

from conftest import ROOT, json_lines, run_cli

REQUIRED = {"turn", "date", "tension", "japan_gdp_loss_jpy", "imports_to_japan", "price_inside_china",
            "price_outside_china", "sector_output", "moves"}


def test_run_prints_a_readable_turn_log():
    result = run_cli("run", "--turns", "4", "--seed", "7")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    for turn in range(1, 5):
        assert f"Turn  {turn} · " in out
    # Tension on its scale, with its rung of the escalation ladder.
    assert "Turn  1 · 2026-01-06 · tension 5.60 of 10 (Export restrictions)" in out.splitlines()
    assert "2026-01-06" in out and "Japan imports" in out and "Outcome after 4 turns" in out


def test_the_log_says_whose_move_did_what_and_when_capacity_arrives_after_the_game(tmp_path):
    script = tmp_path / "s.yaml"
    script.write_text("hold: all\nturns:\n  1: {tokyo: [fund_domestic_magnet_plant, lynas_offtake],"
                      " jp_automakers: [spot_buying_premium], jp_magnet_makers: [spot_buying_premium]}\n")
    result = run_cli("run", "--turns", "6", "--script", str(script))
    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    # Each actor's effects under its own moves: two firms play the same move on their own plants.
    at = lines.index("  Japanese automakers: Buy on the spot market at a premium")
    assert lines[at + 1] == "    → lets flows to Autos and EV motors carry up to 20% more when supply allows (for 4 turns)"
    # A move several actors can play lapses for each, and the log says whose, at the end of its last turn.
    at = lines.index("  Before turn 5:")
    assert lines[at + 1:at + 3] == ["    → Japanese magnet makers: Buy on the spot market at a premium lapses",
                                    "    → Japanese automakers: Buy on the spot market at a premium lapses"]
    assert lines[at - 1].startswith("  Japan's loss:") and lines[at + 3] == "" and lines[at + 4].startswith("Turn  5 ·")
    # The Lynas capacity would come on line before turn 7, which this game does not have.
    assert "  Before turn 7:" not in lines
    # Capacity committed for after the game's last turn is marked; capacity within it is not.
    lynas = "NdPr capacity on Lynas Malaysia (Kuantan) → Japanese alloy makers (Santoku, Shin-Etsu)"
    assert "    → new capacity at Japanese magnet makers (Proterial, Shin-Etsu, TDK): +40 t/turn from turn 144, " \
           "after this game ends on turn 6" in lines
    assert f"    → new {lynas}: +30 t/turn from turn 7, after this game ends on turn 6" in lines
    result = run_cli("run", "--turns", "7", "--script", str(script))
    assert f"    → new {lynas}: +30 t/turn from turn 7" in result.stdout.splitlines()


def test_the_log_gives_japans_losses_from_shortages_and_from_other_measures_apart():
    from wargame.figures import yen
    from wargame.indicators import label
    from wargame.render import gdp_share

    text = run_cli("run", "--turns", "3", "--seed", "7")
    data = run_cli("run", "--turns", "3", "--seed", "7", "--json")
    assert text.returncode == data.returncode == 0
    *turns, summary = json_lines(data.stdout)
    losses = [line for line in text.stdout.splitlines() if line.startswith("  Japan's loss:")]
    # The opening's seafood and tourism bans cost Japan from turn 1; the loss from shortages leaves them out.
    assert turns[0]["japan_other_loss_jpy"] > 0
    for line, turn in zip(losses, turns, strict=True):
        assert line == (f"  Japan's loss: {yen(turn['japan_loss_this_turn_jpy'])} this turn, "
                        f"{yen(turn['japan_gdp_loss_jpy'])} in all ({gdp_share(turn['japan_gdp_loss_share'])} of GDP) from "
                        f"shortages, and {yen(turn['japan_other_loss_jpy'])} in all from lost trade and tourism")
    assert (f"{label('japan_gdp_loss_jpy')}: {yen(turns[-1]['japan_gdp_loss_jpy'])} "
            f"({gdp_share(summary['japan_gdp_loss_share'])} of GDP), and {yen(turns[-1]['japan_other_loss_jpy'])} "
            f"from lost trade and tourism; {label('china_export_loss_usd')}: ") in text.stdout


# Japan's loss from shortages as a share of its GDP, as the log gives it: none, too small for two decimals, more.
GDP_SHARES = [
    (0.0, "0.00%"),
    (0.0000233, "under 0.01%"),          # ¥14 bn of a ¥600 tn economy
    (0.00005, "0.01%"),
    (0.0009, "0.09%"),
]


@pytest.mark.parametrize("share, text", GDP_SHARES)
def test_a_loss_too_small_for_two_decimals_of_gdp_is_not_shown_as_none(share, text):
    from wargame.render import gdp_share

    assert gdp_share(share) == text


def test_the_log_says_what_its_imports_and_output_figures_are():
    text = run_cli("run", "--turns", "2", "--seed", "7")
    data = run_cli("run", "--turns", "2", "--seed", "7", "--json")
    turn = json_lines(data.stdout)[1]
    lines = text.stdout.split("Turn  2 · ")[1].splitlines()
    imports = next(line for line in lines if line.startswith("  Japan imports"))
    assert imports.startswith(f"  Japan imports this turn: NdPr {turn['imports_to_japan']['ndpr']:,.1f} t, ")
    output = next(line for line in lines if line.startswith("  Output"))
    # Each sector's share of its normal output, apart from the next although a name holds a comma.
    assert output.startswith("  Output (of normal): Japanese magnet makers ")
    assert f"; Industrial motors, HVAC and wind {turn['sector_output']['jp_industrial']:.0%}; " in output
    assert output.count("; ") == len(turn["sector_output"]) - 1


def test_the_log_gives_the_cheap_light_rare_earths_price_in_cents():
    from wargame.figures import dollars

    text = run_cli("run", "--turns", "1", "--seed", "7")
    data = run_cli("run", "--turns", "1", "--seed", "7", "--json")
    turn = json_lines(data.stdout)[0]
    inside, outside = turn["price_inside_china"], turn["price_outside_china"]
    # Ce/La sells at about $1.50 a kg: whole dollars would hide a rise of a third.
    assert inside["ce_la"] < 10 <= inside["ndpr"]
    assert (f"Ce/La {dollars(inside['ce_la'])}/{dollars(outside['ce_la'])}, magnets {dollars(inside['magnet'])}/"
            f"{dollars(outside['magnet'])}") in text.stdout
    assert dollars(inside["ce_la"]).endswith(f"{inside['ce_la']:.2f}")


def test_json_lines_have_the_stable_indicator_names():
    result = run_cli("run", "--turns", "5", "--seed", "3", "--json")
    assert result.returncode == 0, result.stderr
    objects = json_lines(result.stdout)
    turns, summary = objects[:-1], objects[-1]
    assert [t["turn"] for t in turns] == [1, 2, 3, 4, 5]
    assert [t["date"] for t in turns[:2]] == ["2026-01-06", "2026-01-13"]
    for t in turns:
        assert REQUIRED <= set(t)
        assert set(t["imports_to_japan"]) >= {"ndpr", "dytb", "magnet"}
        assert set(t["sector_output"]) >= {"jp_autos_ev", "jp_electronics", "jp_industrial", "jp_defence"}
        assert set(t["moves"]) == {"beijing", "tokyo", "washington", "g7", "cn_exporters", "jp_magnet_makers",
                                   "jp_automakers", "jp_electronics_makers", "jp_industrial_makers",
                                   "jp_defence_industry"}
    assert summary["type"] == "summary" and summary["outcome"]
    losses = [t["japan_gdp_loss_jpy"] for t in turns]
    assert losses == sorted(losses), "the loss is cumulative"


def test_same_seed_gives_byte_identical_json_in_separate_processes():
    a = run_cli("run", "--turns", "12", "--seed", "11", "--json")
    b = run_cli("run", "--turns", "12", "--seed", "11", "--json")
    c = run_cli("run", "--turns", "12", "--seed", "12", "--json")
    assert a.returncode == b.returncode == c.returncode == 0
    assert a.stdout == b.stdout
    assert a.stdout != c.stdout


def test_script_pins_moves_and_holds(tmp_path):
    script = tmp_path / "s.yaml"
    script.write_text(
        "name: test\nhold: [tokyo, washington]\nturns:\n"
        "  1: {beijing: [dual_use_export_ban]}\n"
        "  2-3: {beijing: hold, cn_exporters: [no_new_contracts]}\n")
    result = run_cli("run", "--turns", "4", "--seed", "5", "--json", "--script", str(script))
    assert result.returncode == 0, result.stderr
    turns = json_lines(result.stdout)[:-1]
    assert turns[0]["moves"]["beijing"] == ["dual_use_export_ban"]
    assert turns[1]["moves"]["beijing"] == [] and turns[2]["moves"]["beijing"] == []
    assert turns[1]["moves"]["cn_exporters"] == ["no_new_contracts"]
    assert all(t["moves"]["tokyo"] == [] and t["moves"]["washington"] == [] for t in turns)


def test_an_illegal_scripted_move_is_reported_not_played(tmp_path):
    script = tmp_path / "s.yaml"
    script.write_text("turns:\n  1: {cn_exporters: [terminate_contracts]}\n")
    result = run_cli("run", "--turns", "1", "--seed", "5", "--json", "--script", str(script))
    assert result.returncode == 0
    turn = json_lines(result.stdout)[0]
    assert "terminate_contracts" not in turn["moves"]["cn_exporters"]
    from wargame import load_ruleset

    name = load_ruleset().moves["terminate_contracts"].name
    assert any(e["kind"] == "rejected" and e["text"].startswith(f"{name} not played: ") for e in turn["events"])


def test_a_bad_script_gets_one_line_per_problem(tmp_path):
    script = tmp_path / "bad.yaml"
    script.write_text("turns:\n  1: {beijng: [dual_use_export_ban]}\n  x: {tokyo: [fly_to_the_moon]}\n")
    result = run_cli("run", "--turns", "2", "--script", str(script))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any("turns.1.beijng" in line and "unknown actor 'beijng'" in line and ":2:" in line for line in lines)
    assert any("turns.x" in line and "expected a turn number" in line for line in lines)


def test_turns_written_outside_turns_are_told_where_they_belong(tmp_path):
    script = tmp_path / "flat.yaml"
    script.write_text("name: flat\n1: {beijing: [dual_use_export_ban]}\n2-4: {tokyo: hold}\nholds: all\n")
    result = run_cli("run", "--turns", "2", "--script", str(script))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{script}:2: 1: turn 1 is outside 'turns:'; put the turns under a 'turns:' key",
        f"{script}:3: 2-4: turns 2-4 are outside 'turns:'; put the turns under a 'turns:' key",
        f"{script}:4: holds: unknown key 'holds' (did you mean 'hold'?); expected one of: name, description, hold, turns",
    ]


def test_bad_arguments_exit_2_with_one_line():
    for args in (["run", "--turns", "zero"], ["run", "--seed", "-3"], ["run", "--bogus"],
                 ["moves", "--actor", "pyongyang"], ["run", "--policy", "tokyo"], ["run", "--policy", "x=random"]):
        result = run_cli(*args)
        assert result.returncode == 2, args
        assert "Traceback" not in result.stderr
        assert len(result.stderr.strip().splitlines()) == 1, (args, result.stderr)


@pytest.mark.parametrize("args, expected", [
    (["run", "--turns", "1001"], "wargame run: error: argument --turns: expected a whole number between 1 and 1000, "
                                 "got 1001 (see 'wargame run --help')"),
    (["run", "--turns", "10000"], "wargame run: error: argument --turns: expected a whole number between 1 and "
                                  "1000, got 10,000 (see 'wargame run --help')"),
    (["run", "--turns", str(10**6)], "wargame run: error: argument --turns: expected a whole number between 1 and "
                                     "1000, got 1,000,000 (see 'wargame run --help')"),
    (["play", "--turns", "5000"], "wargame play: error: argument --turns: expected a whole number between 1 and "
                                  "1000, got 5000 (see 'wargame play --help')"),
], ids=["run 1001", "run 10000", "run 10**6", "play 5000"])
def test_turns_beyond_the_longest_game_are_refused_in_one_line(args, expected, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [expected]
    assert result.stdout == ""


def test_the_longest_game_plays_to_its_last_turn():
    import datetime as dt

    result = run_cli("run", "--turns", "1000", "--json", "--script", "rulesets/scripts/full_stop.yaml")
    assert result.returncode == 0, result.stderr
    *turns, summary = json_lines(result.stdout)
    # The default calendar: weekly turns from 6 January 2026.
    assert summary["turns"] == 1000
    assert turns[-1]["date"] == (dt.date(2026, 1, 6) + dt.timedelta(days=7 * 999)).isoformat()


def test_turns_that_would_run_past_the_calendar_are_refused(tmp_path):
    import datetime as dt

    from wargame.ruleset import DEFAULT_RULESET

    late = tmp_path / "late.yaml"
    late.write_text(f"extends: {DEFAULT_RULESET}\ncalendar: {{start_date: 9990-01-05}}\n")
    longest = (dt.date(9999, 12, 31) - dt.date(9990, 1, 5)).days // 7
    result = run_cli("run", str(late), "--turns", str(longest + 1))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        f"--turns: expected a whole number between 1 and {longest}, got {longest + 1} (later turns would fall after "
        "the year 9999)"]
    result = run_cli("run", str(late), "--turns", str(longest), "--json", "--script",
                     "rulesets/scripts/full_stop.yaml")
    assert result.returncode == 0, result.stderr
    assert json_lines(result.stdout)[-2]["date"] <= "9999-12-31"


def test_a_branch_plays_on_no_further_than_the_longest_game(tmp_path):
    save = tmp_path / "game.json"
    assert run_cli("run", "--turns", "4", "--save", str(save)).returncode == 0
    result = run_cli("branch", str(save), "--at", "3", "--turns", "999")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [
        "--turns: expected a whole number between 1 and 998, got 999 (a game is at most 1000 turns, and this one "
        "plays on from turn 3)"]


def test_moves_lists_the_catalogue_for_one_actor():
    result = run_cli("moves", "--actor", "beijing")
    assert result.returncode == 0, result.stderr
    assert "halt_licence_reviews" in result.stdout and "coercion" in result.stdout
    assert "requires: tension at least 4.5" in result.stdout
    assert "lynas_offtake" not in result.stdout


def test_a_users_own_policy_plugs_in():
    env = dict(os.environ, PYTHONPATH=str(ROOT / "tests" / "data"))
    import subprocess

    result = subprocess.run([sys.executable, "-m", "wargame", "run", "--turns", "3", "--json", "--policy",
                             "beijing=cautious_policy:Cautious"], capture_output=True, text=True, cwd=ROOT, env=env)
    assert result.returncode == 0, result.stderr
    for turn in json_lines(result.stdout)[:-1]:
        assert len(turn["moves"]["beijing"]) <= 1
        assert all(m in ("clarify_civilian_exemption", "general_licences_civilian", "back_channel_talks",
                         "lift_seafood_and_tourism_measures", "resume_licence_reviews", "lift_export_restrictions",
                         "leaders_summit") for m in turn["moves"]["beijing"])


def test_ctrl_c_while_the_command_starts_is_one_line(monkeypatch, capsys):
    from wargame import cli

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    # Building the parser imports the chosen command's modules: the moment a Ctrl-C most often lands in.
    monkeypatch.setattr(cli, "build_parser", interrupted)
    assert cli.main(["run", "--turns", "2"]) == 130
    assert capsys.readouterr().err == "interrupted (Ctrl-C)\n"


@pytest.mark.parametrize("args", [
    ["run", "--turns", "1", "--policy", "tokio=random"],
    ["moves", "--actor", "tokio"],
    ["play", "--as", "tokio"],
], ids=["run --policy", "moves --actor", "play --as"])
def test_a_misspelt_actor_is_one_line_with_the_nearest_actor(args):
    result = run_cli(*args)
    assert result.returncode == 2 and "Traceback" not in result.stderr
    (line,) = result.stderr.strip().splitlines()
    assert "unknown actor 'tokio' (did you mean 'tokyo'?); expected one of: beijing, tokyo" in line


@pytest.mark.parametrize("args, expected", [
    (["calibrate", "--runs", "3"],
     "wargame calibrate: error: unrecognized arguments: --runs (see 'wargame calibrate --help')"),
    (["run", "--turns", "2", "--seeed", "3"],
     "wargame run: error: unrecognized arguments: --seeed; did you mean --seed? (see 'wargame run --help')"),
    (["montecarlo", "--runs", "2", "--out", "x", "--wrkers=2"],
     "wargame montecarlo: error: unrecognized arguments: --wrkers=2; did you mean --workers? "
     "(see 'wargame montecarlo --help')"),
    (["--bogus"], "wargame: error: unrecognized arguments: --bogus (see 'wargame --help')"),
], ids=["option of another command", "misspelt option", "misspelt option with =", "before any command"])
def test_an_unknown_argument_is_named_by_the_command_it_was_given_to(args, expected, tmp_path):
    result = run_cli(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [expected]
    assert list(tmp_path.iterdir()) == [], "nothing is played or written"


@pytest.mark.parametrize("args, option", [
    (["montecarlo", "--runs", "2", "--out", "x", "--sweep", "{d}"], "--sweep"),
    (["play", "--load", "{d}"], "--load"),
    (["report", "--ruleset", "{d}", "{d}"], "--ruleset"),
])
def test_a_folder_given_for_a_file_is_called_a_folder(args, option, tmp_path):
    folder = tmp_path / "saves"
    folder.mkdir()
    result = run_cli(*(a.format(d=folder) for a in args), cwd=tmp_path)
    assert result.returncode == 2
    command = args[0]
    assert result.stderr.strip().splitlines() == [
        f"wargame {command}: error: argument {option}: expected a file, got a folder: {folder} "
        f"(see 'wargame {command} --help')"]
    assert list(tmp_path.iterdir()) == [folder] and list(folder.iterdir()) == []


# A move's lines in `wargame moves` that name other actors and moves: as players know them, never by id.
CATALOGUE_NAMES = [
    ("beijing", "back_channel_talks", "    played by: Beijing and Tokyo"),
    ("jp_automakers", "redesign_motors", "    played by: Japanese automakers, Japanese industrial-machinery makers "
                                         "and Japanese electronics makers"),
    ("beijing", "halt_licence_reviews", "    ends: Tighten licence reviews for medium/heavy rare earths to Japan"),
    ("beijing", "lift_seafood_and_tourism_measures", "    ends: Ban imports of Japanese seafood; Advise Chinese "
                                                     "tourists against travel to Japan"),
]


@pytest.mark.parametrize("actor, move, line", CATALOGUE_NAMES)
def test_the_move_catalogue_names_who_plays_a_move_and_what_it_ends(actor, move, line):
    done = run_cli("moves", "--actor", actor)
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    start = next(i for i, text in enumerate(lines) if text.startswith(f"{move}  ["))
    entry = []
    for text in lines[start + 1:]:
        if not text.startswith("    "):
            break
        entry.append(text)
    assert line in entry


def test_a_sweep_file_given_as_a_script_is_named_for_what_it_is(tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  economy.shortage_convexity: [1, 2]\n")
    result = run_cli("run", "--turns", "1", "--script", str(sweep))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.strip().splitlines() == [f"--script: {sweep} is a sweep file, not a move script (wargame "
                                                  "montecarlo --sweep takes it)"]
