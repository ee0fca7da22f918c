"""The real `wargame run`, `resume`, `branch` and `play` commands as a class uses them: who gives the moves of
the teams at the keyboard, prepared instructor files, sessions that go on past the saved turn limit, and
arguments refused before anything is printed or saved."""

from __future__ import annotations

import pytest

from conftest import json_lines, run_cli


@pytest.mark.parametrize("argv, expected", [
    (["run", "--turns", "1", "--policy", "beijing=random", "--policy", "beijing=hold"],
     "--policy: beijing is given twice (random, hold); give it once"),
    (["run", "--turns", "1", "--policy", "g7=hold", "--policy", "g7=hold", "--policy", "g7=utility"],
     "--policy: g7 is given 3 times (hold, hold, utility); give it once"),
])
def test_an_actor_given_two_policies_is_refused_in_one_line(argv, expected):
    done = run_cli(*argv)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected] and done.stdout == ""


@pytest.fixture(scope="module")
def four_turns(tmp_path_factory):
    """A four-turn game the AI played to its end, saved."""
    path = tmp_path_factory.mktemp("saves") / "g.json"
    done = run_cli("run", "--turns", "4", "--seed", "3", "--save", str(path))
    assert done.returncode == 0, done.stderr
    return path


@pytest.mark.parametrize("extra, expected", [
    (["--policy", "tokyo=hold", "--policy", "tokyo=random"], "--policy: tokyo is given twice (hold, random); give it once"),
    (["--moves", "tokyo=hold", "--moves", "tokyo=demarche"],
     "--moves: tokyo is given twice for turn 2 (hold, demarche); give it once"),
    # Leaving the turn out means the branch turn, so these are the same turn's moves too.
    (["--moves", "tokyo=hold", "--moves", "2:tokyo=", "--moves", "2:tokyo=demarche,back_channel_talks"],
     "--moves: tokyo is given 3 times for turn 2 (hold; hold; demarche,back_channel_talks); give it once"),
])
def test_a_branch_refuses_an_actor_given_twice(four_turns, extra, expected):
    done = run_cli("branch", str(four_turns), "--at", "2", *extra)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected] and done.stdout == ""


def test_every_actor_given_twice_is_named_in_one_run(four_turns):
    done = run_cli("branch", str(four_turns), "--at", "2", "--moves", "tokyo=hold", "--moves", "tokyo=demarche",
                   "--moves", "3:g7=hold", "--moves", "3:g7=hold")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == ["--moves: tokyo is given twice for turn 2 (hold, demarche); give it once",
                                        "--moves: g7 is given twice for turn 3 (hold, hold); give it once"]


@pytest.mark.parametrize("extra, expected", [
    (["--at", "3", "--moves", "tokyo=nosuch_move"], ["--moves: turn 3: tokyo: nosuch_move: unknown move 'nosuch_move'"]),
    # A later turn's moves are checked before the first turn plays, as far as they can be without playing.
    (["--at", "2", "--moves", "4:tokyo=demarche,full_export_embargo"],
     ["--moves: turn 4: tokyo: full_export_embargo: belongs to Beijing, not Tokyo"]),
    # Every mistake at once, in turn order, whatever the order of the options.
    (["--at", "2", "--turns", "2", "--moves", "4:tokyo=demarche", "--moves", "3:g7=hold,hold",
      "--moves", "3:tokyo=demarche,demarche", "--moves", "2:tokyo=demarche,wto_case,back_channel_talks",
      "--moves", "1:beijing=hold", "--moves", "0:tokyo=hold"],
     ["--moves: expected a turn number of 1 or more before ':', got '0' in '0:tokyo=hold'",
      "--moves: turn 1 comes before the branch turn 2",
      "--moves: turn 2: tokyo: 3 moves given; Tokyo may play at most 2 moves a turn",
      "--moves: turn 3: g7: hold: plays nothing, so it cannot be given with other moves",
      "--moves: turn 3: tokyo: demarche: given more than once",
      "--moves: turn 4 is after the last turn the branch plays (3)"]),
])
def test_a_branch_with_impossible_moves_prints_nothing_but_the_problems(four_turns, tmp_path, extra, expected):
    out = tmp_path / "whatif.json"
    done = run_cli("branch", str(four_turns), *extra, "--save", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines() == expected
    assert done.stdout == "" and not out.exists()


@pytest.mark.parametrize("quiet", [False, True])
def test_a_later_turns_move_the_game_has_ruled_out_stops_the_branch_there(four_turns, tmp_path, quiet):
    # Back-channel talks last three turns: played on turn 2, they are still in force on turn 3. Only playing
    # turn 2 can show it, so turn 2 is played (and printed) first.
    out = tmp_path / "whatif.json"
    done = run_cli("branch", str(four_turns), "--at", "2", "--moves", "tokyo=back_channel_talks",
                   "--moves", "3:tokyo=back_channel_talks", "--save", str(out), *(["--quiet"] if quiet else []))
    assert done.returncode == 2 and not out.exists()
    assert ("Turn  2 " in done.stdout) is not quiet and "Turn  3 " not in done.stdout
    assert done.stderr.splitlines() == [
        "--moves: turn 3: tokyo: back_channel_talks: already in force (as the game stands after turn 2)",
        "the branch stopped before turn 3, after turn 2" + ("" if quiet else " (printed above)")
        + "; nothing was saved: give other moves for turn 3"]


def test_play_without_a_terminal_points_to_the_scripted_commands():
    from gamekit import run_with_input

    # Piped or redirected input cannot drive the terminal UI: it would wait for keys that never come.
    done = run_with_input("play", "--as", "tokyo", input_text="\n", timeout=60)
    assert done.returncode == 2
    assert len(done.stderr.splitlines()) == 1, done.stderr
    assert "not a terminal" in done.stderr
    assert "wargame run --instructor" in done.stderr and "--moves" in done.stderr
    # Bad arguments are still reported as such first.
    done = run_with_input("play", "--as", "tokio", input_text="\n", timeout=60)
    assert done.returncode == 2 and "unknown actor 'tokio'" in done.stderr


TEAMS = ("tokyo", "beijing", "washington", "g7")


@pytest.fixture
def class_save(tmp_path):
    """The two-week simulation's set-up: four teams at the keyboard, saved before the first turn."""
    from gamekit import run_with_input

    path = tmp_path / "sim.json"
    done = run_with_input("run", *[a for t in TEAMS for a in ("--policy", f"{t}=human")], "--turns", "10",
                          "--seed", "11", "--instructor", "--save", str(path), input_text="quit\n")
    assert done.returncode == 0, done.stderr
    return path


@pytest.mark.parametrize("moves, turns, expected", [
    (["tokyo=hold", "beijing=hold", "washington=hold"], "1",
     "--moves: no moves for g7 on turn 1, and it is played at the keyboard: give each team's moves (TEAM=hold to "
     "hold), or enter them before each turn with --instructor"),
    ([], "1", "--moves: no moves for beijing, tokyo, washington, g7 on turn 1, and they are played at the keyboard: "
              "give each team's moves (TEAM=hold to hold), or enter them before each turn with --instructor"),
    (["tokyo=demarche", "beijing=hold", "washington=hold", "g7=hold", "2:tokyo=hold"], "2",
     "--moves: no moves for beijing, washington, g7 on turn 2, and they are played at the keyboard: give each "
     "team's moves (2:TEAM=... or 2:TEAM=hold), play fewer turns (--turns 1), or enter them before each turn "
     "with --instructor"),
    # Without --turns the game would play to its end: every turn's moves would be needed.
    (["tokyo=hold", "beijing=hold", "washington=hold", "g7=hold"], None,
     "--moves: no moves for beijing, tokyo, washington, g7 on turn 2, and they are played at the keyboard: give "
     "each team's moves (2:TEAM=... or 2:TEAM=hold), play fewer turns (--turns 1), or enter them before each turn "
     "with --instructor"),
])
def test_resume_refuses_to_play_a_team_at_the_keyboard_that_has_no_moves(class_save, moves, turns, expected):
    before = class_save.read_bytes()
    done = run_cli("resume", str(class_save), *(["--turns", turns] if turns else []),
                   *[a for m in moves for a in ("--moves", m)])
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected] and done.stdout == ""
    assert class_save.read_bytes() == before


def test_resume_plays_when_every_team_at_the_keyboard_has_moves(class_save):
    from wargame.saves import load_game

    done = run_cli("resume", str(class_save), "--turns", "2", "--moves", "tokyo=demarche", "--moves", "beijing=hold",
                   "--moves", "washington=hold", "--moves", "g7=hold", "--moves", "2:tokyo=hold",
                   "--moves", "2:beijing=hold", "--moves", "2:washington=hold", "--moves", "2:g7=hold")
    assert done.returncode == 0, done.stderr
    assert "note:" not in done.stderr
    game = load_game(class_save)
    assert game.state.turn == 2 and game.reports[0].orders["tokyo"] == ["demarche"]
    assert sorted(game.humans()) == sorted(TEAMS)


def test_moves_a_team_entered_before_the_save_count_as_its_moves(tmp_path):
    from wargame import WargameModel
    from wargame.saves import load_game, save_game

    # A hot-seat game saved in the terminal UI after Tokyo confirmed its moves, before the others did.
    game = WargameModel(rng=4, turns=6, humans=("tokyo", "beijing"))
    game.submit("tokyo", ["demarche"])
    path = save_game(game, tmp_path / "hotseat.json")
    done = run_cli("resume", str(path), "--turns", "1")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("--moves: no moves for beijing on turn 1,")
    done = run_cli("resume", str(path), "--turns", "1", "--moves", "beijing=hold")
    assert done.returncode == 0, done.stderr
    assert load_game(path).reports[0].orders["tokyo"] == ["demarche"]


def test_run_refuses_a_player_at_the_keyboard_without_the_instructor():
    done = run_cli("run", "--turns", "1", "--policy", "tokyo=human")
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.splitlines() == [
        "--policy tokyo=human: nobody could enter tokyo's moves: add --instructor to enter them before each turn "
        "('override tokyo MOVE...', or 'override tokyo hold'), or play it in the terminal UI (wargame play --as "
        "tokyo)"]


def test_a_refused_command_in_a_piped_file_stops_before_the_turn_and_names_its_line():
    from gamekit import run_with_input

    done = run_with_input("run", "--policy", "tokyo=human", "--turns", "1", "--instructor",
                          input_text="override tokyo demarche formal_protest wto_case\ncontinue\n")
    assert done.returncode == 2
    assert done.stderr.splitlines() == ["stdin:1: override tokyo: Tokyo may play at most 2 moves a turn",
                                        "stopped before turn 1: nothing was played"]
    assert "Turn  1" not in done.stdout and "Outcome" not in done.stdout


def test_the_turns_a_piped_file_finished_are_saved_without_the_commands_for_the_turn_it_stopped_on(tmp_path):
    from gamekit import run_with_input
    from wargame.saves import load_game

    save = tmp_path / "class.json"
    commands = ("# week 1\ninject g7_summit_communique\noverride tokyo formal_protest\ncontinue\n\n"
                "# week 2\nreveal beijing\noverride tokyo demarche\nsay Port strike | {op: bogus}\ncontinue\n")
    done = run_with_input("run", "--policy", "tokyo=human", "--turns", "3", "--seed", "2", "--instructor",
                          "--save", str(save), input_text=commands)
    assert done.returncode == 2
    refused, stopped = done.stderr.splitlines()[-2:]
    assert refused.startswith("stdin:9: say: effects[0].op: unknown effect operation 'bogus'; expected one of:")
    assert stopped == (f"stopped before turn 2: the game after turn 1 is saved to {save}, without the commands read "
                       "for turn 2 (from stdin:5)")
    assert "Turn  1" in done.stdout and "Turn  2" not in done.stdout
    game = load_game(save)
    assert game.state.turn == 1 and game.reports[0].orders["tokyo"] == ["formal_protest"]
    assert [r["kind"] for r in game.interventions] == ["inject", "override"]
    assert "beijing" not in game.state.revealed
    assert run_cli("replay", str(save)).returncode == 0


def test_resume_leaves_the_save_as_it_was_when_a_piped_command_is_refused_before_any_turn(class_save):
    from gamekit import run_with_input

    before = class_save.read_bytes()
    done = run_with_input("resume", str(class_save), "--instructor",
                          input_text="inject typhoon_japan_port\ninject no_such_card\nquit\n")
    assert done.returncode == 2
    assert done.stderr.splitlines()[0].startswith("stdin:2: unknown inject 'no_such_card'")
    assert done.stderr.splitlines()[-1] == f"stopped before turn 1: nothing was played; {class_save} is as it was"
    assert class_save.read_bytes() == before


def test_a_command_typed_at_the_terminal_is_refused_and_the_prompt_asks_again():
    import os
    import subprocess
    import sys

    from conftest import ROOT

    # Typed at a terminal, a mistake is forgiven: the line is refused and the same turn's prompt comes back.
    main, side = os.openpty()
    game = subprocess.Popen([sys.executable, "-m", "wargame", "run", "--turns", "1", "--policy", "tokyo=human",
                             "--instructor"], stdin=side, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    os.close(side)
    os.write(main, b"bogus\noverride tokyo formal_protest\ncontinue\n")
    try:
        out, err = game.communicate(timeout=120)
    finally:
        os.close(main)
    assert game.returncode == 0, err
    assert "instructor: unknown command 'bogus'" in err and "stdin:" not in err
    assert err.count("instructor [turn 1]> ") == 3
    assert "Turn  1" in out and "Tokyo: Lodge a formal protest" in out


def test_resume_plays_on_past_the_turn_limit_the_game_was_saved_with(tmp_path):
    import json

    from wargame.saves import load_game

    # A class that ran three turns, and now wants two more: as if the game had been started for five.
    path, five = tmp_path / "r.json", tmp_path / "five.json"
    assert run_cli("run", "--turns", "3", "--seed", "5", "--save", str(path)).returncode == 0
    assert load_game(path).state.outcome is not None          # the game ended at its limit...
    done = run_cli("resume", str(path), "--turns", "2")
    assert done.returncode == 0, done.stderr
    assert "Turn  4" in done.stdout and "Turn  5" in done.stdout and "Turn  6" not in done.stdout
    assert "note: the game in" in done.stderr and "had a turn limit of 3; it now has 5" in done.stderr
    game = load_game(path)
    assert game.state.turn == 5 and game.turn_limit == 5
    assert run_cli("replay", str(path)).returncode == 0
    assert run_cli("run", "--turns", "5", "--seed", "5", "--save", str(five)).returncode == 0
    assert json.loads(path.read_text()) == json.loads(five.read_text())
    # An unfinished game goes past its limit the same way.
    assert run_cli("resume", str(path), "--turns", "1").returncode == 0
    assert load_game(path).turn_limit == 6


@pytest.mark.parametrize("argv, expected", [
    (["--turns", "998"], "--turns: expected a whole number between 1 and 997, got 998 (a game is at most 1000 turns, "
                         "and this one plays on from turn 4)"),
    ([], "the game in {f} is over (after turn 3, its turn limit); --turns N plays N more turns"),
])
def test_resume_of_a_game_at_its_turn_limit_needs_turns_within_the_longest_game(tmp_path, argv, expected):
    path = tmp_path / "r.json"
    assert run_cli("run", "--turns", "3", "--seed", "5", "--save", str(path)).returncode == 0
    before = path.read_bytes()
    done = run_cli("resume", str(path), *argv)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected.format(f=path)] and done.stdout == ""
    assert path.read_bytes() == before


def test_a_game_that_ended_before_its_turn_limit_is_not_resumed(tmp_path):
    from conftest import ROOT

    # A variant whose escalation spiral ends the game after two turns of tension 3 or more.
    rules = tmp_path / "quick.yaml"
    rules.write_text(f"extends: {ROOT / 'rulesets' / 'rare_earths_2026.yaml'}\n"
                     "ruleset: {id: quick_spiral, name: Quick spiral}\n"
                     "outcomes:\n  escalation_spiral: {label: Escalation spiral, terminal: true, sustain: 2,"
                     " when: [{tension: {min: 3}}]}\n")
    path = tmp_path / "q.json"
    done = run_cli("run", str(rules), "--turns", "8", "--seed", "1", "--save", str(path))
    assert done.returncode == 0 and "Game ends: Escalation spiral" in done.stdout, done.stderr
    done = run_cli("resume", str(path), "--turns", "2")
    assert done.returncode == 2
    assert done.stderr.startswith(f"the game in {path} is over (after turn 2); there is nothing to resume")


def test_resume_help_says_what_turns_means():
    done = run_cli("resume", "--help")
    text = " ".join(done.stdout.split())
    assert "from the branch turn" not in text
    assert "--turns N turns to play from the turn after the save's last" in text


def test_resume_help_describes_resume_only_and_what_its_json_holds(tmp_path):
    text = " ".join(run_cli("resume", "--help").stdout.split())
    assert "branch" not in text and "comparison" not in text
    assert "--json write JSON lines: one object per turn, then a summary --quiet" in text
    assert "then the comparison with the saved game" in " ".join(run_cli("branch", "--help").stdout.split())
    # What each writes with --json is what its help says.
    path = tmp_path / "game.json"
    assert run_cli("run", "--turns", "3", "--seed", "2", "--save", str(path)).returncode == 0
    resumed = run_cli("resume", str(path), "--turns", "1", "--json", "--save", str(tmp_path / "more.json"))
    assert [o["type"] for o in json_lines(resumed.stdout)] == ["turn", "summary"], resumed.stderr
    branched = run_cli("branch", str(path), "--at", "3", "--json")
    assert [o["type"] for o in json_lines(branched.stdout)] == ["turn", "summary", "comparison"], branched.stderr
