"""Saves edited and re-sealed (their checksum recomputed), or written by another program: whichever way the save is
opened (replay, resume, branch, report, play --load, or the Python API), a wrong value anywhere is refused with one
line per problem naming the file, the key and what was expected, exit status 2, no traceback, and the file as it
was."""

from __future__ import annotations

import json
import math
import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from conftest import run_cli
from gamekit import drive, new_game
from wargame import cli
from wargame.errors import SaveError
from wargame.replay import replay
from wargame.ruleset import DEFAULT_RULESET, load_ruleset
from wargame.saves import _checksum, load_game, save_game

DELETE = object()       # as a bad value: the key is taken out


@pytest.fixture(scope="module")
def unfinished_save(tmp_path_factory) -> Path:
    """A game of 8 turns stopped after 3, with a player at the keyboard, instructor interventions and capacity
    projects: every part of a save has something in it, and it can be resumed."""
    return _unfinished_save(tmp_path_factory.mktemp("reseal") / "game.json")


def _unfinished_save(path: Path) -> Path:
    game = new_game(load_ruleset(DEFAULT_RULESET), 5, 8, humans=("tokyo",), policy="utility")
    for _ in range(3):
        drive(game, 5)
        game.step()
    drive(game, 5)
    return save_game(game, path)


def _edited(doc: dict, path: tuple, value) -> dict:
    *inside, last = path
    holder = doc
    for key in inside:
        holder = holder[key]
    if value is DELETE:
        del holder[last]
    else:
        holder[last] = value
    doc["checksum"] = _checksum(doc)
    return doc


def _write(tmp_path: Path, doc: dict) -> Path:
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    os.utime(path, ns=(1_000_000_000, 1_000_000_000))
    return path


# (what is edited: its path in the save, the wrong value, the line expected after the file's name)
CASES = [
    (("state", "tension"), "high", "state.tension: expected a number, got 'high'"),
    (("turn_limit",), 5000, "turn_limit: expected a whole number between 1 and 1000, got 5000"),
    (("state", "turn"), 2.5, "state.turn: expected a whole number of at least 0, got 2.5"),
    (("state", "turn"), 7, "state.turn: expected the number of turns in the history (3), got 7"),
    (("state", "capital", "tokyo"), None, "state.capital.tokyo: expected a number, got null"),
    (("state", "capital", "tokyo"), DELETE, "state.capital.tokyo: missing from the save"),
    (("state", "capital", "pyongyang"), 3.0, "state.capital.pyongyang: not expected here"),
    (("state", "capital"), [1, 2], "state.capital: expected a mapping of numbers, got a list"),
    (("state", "inventory", 0, 1), "lots", "state.inventory[0][1]: expected a number, got 'lots'"),
    (("state", "inventory", 0), DELETE, "state.inventory (length): expected 24 entries, as in every game of the "
                                        "ruleset 'rare_earths_2026', got 23"),
    (("state", "inventory"), DELETE, "state.inventory: missing from the save"),
    (("state", "pipeline", 1), [], "state.pipeline[1] (length): expected 2 entries"),
    (("state", "price_outside", 1), math.nan, "state.price_outside[1]: expected a number, got nan"),
    (("state", "price_outside", 1), 1e300, "state.price_outside[1]: expected a number no larger than 1e+18, "
                                           "got 1e+300"),
    (("state", "relations", "beijing|tokyo"), 3.0,
     "state.relations.beijing|tokyo: expected a number from -1 to 1, got 3.0"),
    (("state", "relations", "beijing|nobody"), 0.5,
     "state.relations.beijing|nobody: expected a key 'actor|actor' naming the ruleset 'rare_earths_2026''s actors"),
    (("state", "resolve", "beijing"), 1.5, "state.resolve.beijing: expected a number from 0 to 1, got 1.5"),
    (("state", "beliefs", "tokyo", "beijing"), [1.0],
     "state.beliefs.tokyo.beijing: expected a list of 2 numbers (a Beta distribution's alpha and beta), got a list"),
    (("state", "beliefs", "tokyo", "beijing", 0), 0, "state.beliefs.tokyo.beijing[0]: expected a number above 0"),
    (("state", "active", 0, "move"), "no_such_move",
     "state.active[0].move: expected a move of the ruleset 'rare_earths_2026', got 'no_such_move'"),
    (("state", "active", 0, "actor"), "tokyo", "state.active[0].actor: expected an actor who can play "
                                               "'seafood_import_ban' (beijing), got 'tokyo'"),
    (("state", "active", 0, "until"), DELETE, "state.active[0].until: missing from the save"),
    (("state", "active", 0, "since"), -1, "state.active[0].since: expected a whole number of at least 0, got -1"),
    (("state", "projects", 0, "node"), 999, "state.projects[0].node: expected a node of the ruleset"),
    (("state", "outcome"), "victory", "state.outcome: expected an outcome of the ruleset 'rare_earths_2026', "
                                      "got 'victory'"),
    (("state", "revealed"), ["nobody"], "state.revealed[0]: expected an actor of the ruleset"),
    (("state", "last_played_by", "tokyo/nothing"), 1, "state.last_played_by.tokyo/nothing: expected a key "
                                                      "'actor/move'"),
    (("state", "uses", "tokyo/demarche"), "twice", "state.uses.tokyo/demarche: expected a whole number, got 'twice'"),
    (("state", "chance"), "x", "state.chance: expected the state of a PCG64 random stream, got 'x'"),
    (("state", "chance"), None, "state.chance: expected the state of a PCG64 random stream, got null"),
    (("state", "indicators", "tension"), "hot", "state.indicators.tension: expected a number, got 'hot'"),
    (("state", "indicators", "sector_output"), 1.0, "state.indicators.sector_output: expected a mapping, got 1.0"),
    (("state",), [], "state: expected a mapping, got a list"),
    (("history", 1, "turn"), 5, "history[1].turn: expected turn 2 (the history lists every turn in order), got 5"),
    (("history", 0, "events"), [0, 9999], "history[0].events: expected [start, end] in the event log"),
    (("history", 0, "indicators", "japan_supply_index"), "ok",
     "history[0].indicators.japan_supply_index: expected a number, got 'ok'"),
    (("history", 0, "orders", "nobody"), [], "history[0].orders.nobody: expected an actor of the ruleset"),
    (("history", 0, "rejected"), {"tokyo": "x"}, "history[0].rejected.tokyo: expected a list of [move, reason]"),
    (("events", 0, "turn"), "one", "events[0].turn: expected a whole number, got 'one'"),
    (("events", 0, "text"), DELETE, "events[0].text: missing from the save"),
    (("events", 0, "actor"), "nobody", "events[0].actor: expected an actor of the ruleset"),
    (("events", 0, "visible_to"), "tokyo", "events[0].visible_to: expected a list of names or null, got 'tokyo'"),
    (("rng", "model", "state", "state"), -1, "rng.model: expected the state of a PCG64 random stream, got a mapping"),
    (("rng", "model", "bit_generator"), "MT19937", "rng.model: expected the state of a PCG64 random stream"),
    (("rng", "random", 1), [1, 2, 3], "rng.random: expected the state of Python's random generator"),
    (("rng", "actors", "tokyo"), DELETE, "rng.actors.tokyo: missing from the save"),
    (("rng", "actors", "tokyo", "uinteger"), -1, "rng.actors.tokyo: expected the state of a PCG64 random stream"),
    (("interventions",), [{"turn": 1, "kind": "inject", "inject": "no_such_inject"}],
     "interventions[0].inject: expected an inject of the ruleset 'rare_earths_2026', got 'no_such_inject'"),
    (("interventions",), [{"turn": 4, "kind": "override", "actor": "tokyo"}],
     "interventions[0].moves: missing from the save"),
    (("pending", "tokyo"), ["no_such_move"], "pending.tokyo[0]: expected a move of the ruleset"),
    (("ruleset", "file"), 7, "ruleset.file: expected text or null, got 7"),
    # the copy inside the save is at fault, not the ruleset file it was copied from
    (("ruleset", "data", "economy", "shortage_convexity"), 99,
     "ruleset.data: the ruleset 'rare_earths_2026' embedded in the save no longer loads: economy.shortage_convexity: "
     "expected a number between 1 and 4, got 99"),
    (("engine",), "new", "engine: expected a mapping (version, digest), got 'new'"),
]
COMMANDS = {
    "replay": ["replay", "{file}"],
    "resume": ["resume", "{file}", "--turns", "1", "--quiet"],
    "branch": ["branch", "{file}", "--at", "1", "--turns", "1", "--quiet"],
    "report": ["report", "{file}", "--out", "{out}"],
    "play --load": ["play", "--load", "{file}"],
}


@pytest.fixture
def no_terminal_ui(monkeypatch):
    """`play --load` must refuse the save before the terminal UI starts: starting it fails the test."""
    import tui.app

    class NotStarted:
        def __init__(self, *args, **kwargs):
            raise AssertionError("the terminal UI started on a save that should have been refused")

    monkeypatch.setattr(tui.app, "WargameApp", NotStarted)


@pytest.mark.parametrize("key, value, expected", CASES,
                         ids=[".".join(map(str, c[0])) + f"={c[1] if c[1] is not DELETE else 'deleted'}"
                              for c in CASES])
def test_every_command_names_the_key_of_a_wrong_value(unfinished_save, tmp_path, capsys, no_terminal_ui,
                                                      key, value, expected):
    content = _write(tmp_path, _edited(json.loads(unfinished_save.read_bytes()), key, value)).read_bytes()
    path = tmp_path / "edited.json"
    for command, argv in COMMANDS.items():
        code = cli.main([a.format(file=path, out=tmp_path / "report") for a in argv])
        out, err = capsys.readouterr()
        lines = err.strip().splitlines()
        assert code == 2, (command, err)
        assert len(lines) == 1 and lines[0].startswith(f"{path}: {expected}"), (command, lines)
        assert "Traceback" not in err and out == "", command
        assert path.read_bytes() == content and path.stat().st_mtime_ns == 1_000_000_000, command
        assert not (tmp_path / "report").exists(), command
    with pytest.raises(SaveError) as refused:
        load_game(path)
    assert refused.value.lines() == [lines[0]]
    with pytest.raises(SaveError):
        replay(json.loads(content))      # a save already read, as a front end passes it


def test_a_move_the_ruleset_lacks_in_the_record_diverges_on_replay_and_is_refused_on_loading(unfinished_save,
                                                                                           tmp_path, capsys,
                                                                                           no_terminal_ui):
    doc = _edited(json.loads(unfinished_save.read_bytes()), ("history", 1, "orders", "beijing"), ["no_such_move"])
    path = _write(tmp_path, doc)
    # A replay plays the game again and says where the save differs from it...
    assert cli.main(["replay", str(path)]) == 1
    assert "turn 2: moves of beijing" in capsys.readouterr().out
    # ...but a game cannot be made of a record naming a move the ruleset does not have.
    expected = f"{path}: history[1].orders.beijing[0]: expected a move of the ruleset 'rare_earths_2026', " \
               "got 'no_such_move'"
    for argv in (["resume", str(path)], ["play", "--load", str(path)], ["report", str(path), "--out",
                                                                        str(tmp_path / "r")]):
        assert cli.main(argv) == 2
        assert capsys.readouterr().err.strip().splitlines() == [expected], argv


def test_many_wrong_values_are_listed_one_line_each_up_to_a_limit(unfinished_save, tmp_path):
    doc = json.loads(unfinished_save.read_bytes())
    doc["state"]["capital"] = {actor: "rich" for actor in doc["state"]["capital"]}
    doc["state"]["inventory"] = [["full"] * len(row) for row in doc["state"]["inventory"]]
    path = _write(tmp_path, _edited(doc, ("seed",), doc["seed"]))
    with pytest.raises(SaveError) as refused:
        load_game(path)
    lines = refused.value.lines()
    assert lines[0] == f"{path}: state.capital.beijing: expected a number, got 'rich'"
    assert len(lines) == 20 and lines[-1].startswith(f"{path}: and ") and lines[-1].endswith("more problems")


def test_the_real_command_prints_one_line_and_no_traceback(unfinished_save, tmp_path):
    path = _write(tmp_path, _edited(json.loads(unfinished_save.read_bytes()), ("state", "beliefs", "tokyo"), 5))
    for argv in (["resume", str(path)], ["replay", str(path)]):
        done = run_cli(*argv)
        assert done.returncode == 2, done.stderr
        assert done.stderr.strip().splitlines() == [
            f"{path}: state.beliefs.tokyo: expected a mapping, got 5"], argv
        assert done.stdout == ""


def test_older_saves_without_the_state_fields_added_since_still_load(unfinished_save, tmp_path):
    doc = json.loads(unfinished_save.read_bytes())
    for added in ("flows", "last_played_public"):
        del doc["state"][added]
    game = load_game(_write(tmp_path, _edited(doc, ("seed",), doc["seed"])))
    game.step()
    assert game.state.turn == 4


# -- any leaf, any wrong value ---------------------------------------------------------------------------

def _leaves(value, path=()):
    """Key paths in a save (the first and last few items of each list) but the embedded ruleset, whose checks
    are the ruleset reader's."""
    if path == ("ruleset", "data"):
        return
    if path:
        yield path
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _leaves(inner, path + (key,))
    elif isinstance(value, list):
        for i in sorted({*range(min(3, len(value))), len(value) - 1} - {-1}):
            yield from _leaves(value[i], path + (i,))


WRONG = st.one_of(st.none(), st.booleans(), st.integers(-2 ** 70, 2 ** 70), st.floats(), st.text(max_size=4),
                  st.lists(st.integers(-3, 3), max_size=3),
                  st.dictionaries(st.text(max_size=3), st.integers(), max_size=2), st.just(DELETE))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(data=st.data())
def test_any_wrong_value_either_loads_and_plays_or_is_refused_in_one_line_per_problem(unfinished_save,
                                                                                     tmp_path_factory, data):
    from tui.game import build_view

    saved = json.loads(unfinished_save.read_bytes())
    key = data.draw(st.sampled_from(sorted(_leaves(saved), key=lambda p: tuple(map(str, p)))), label="key")
    value = data.draw(WRONG, label="value")
    path = _write(tmp_path_factory.mktemp("any"), _edited(saved, key, value))
    try:
        game = load_game(path)
    except SaveError as refused:
        assert refused.problems and all(line.startswith(f"{path}: ") for line in refused.lines())
        return
    # What play --load and resume do next: show each player the game, and play on.
    for actor in game.rules.actor_ids:
        build_view(game, actor)
    if game.running:
        game.step()
