"""The real `wargame run`, `resume`, `branch` and `play` commands as a class uses them: who gives the moves of
the teams at the keyboard, prepared instructor files, sessions that go on past the saved turn limit, and
arguments refused before anything is printed or saved."""

from __future__ import annotations

import pytest

from conftest import run_cli


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
    (["--moves", "tokyo=hold", "--moves", "tokyo=demarche"], "--moves: tokyo's moves for turn 2 are given twice"),
])
def test_a_branch_refuses_an_actor_given_twice(four_turns, extra, expected):
    done = run_cli("branch", str(four_turns), "--at", "2", *extra)
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected] and done.stdout == ""


@pytest.mark.parametrize("extra, expected", [
    (["--at", "3", "--moves", "tokyo=nosuch_move"], "turn 3: tokyo: nosuch_move: unknown move 'nosuch_move'"),
    # A later turn's moves are checked before the first turn plays, as far as they can be without playing.
    (["--at", "2", "--moves", "4:tokyo=demarche,full_export_embargo"],
     "turn 4: tokyo: full_export_embargo: belongs to Beijing, not Tokyo"),
])
def test_a_branch_with_impossible_moves_prints_nothing_but_the_problem(four_turns, tmp_path, extra, expected):
    out = tmp_path / "whatif.json"
    done = run_cli("branch", str(four_turns), *extra, "--save", str(out))
    assert done.returncode == 2
    assert done.stderr.splitlines() == [expected]
    assert done.stdout == "" and not out.exists()


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
