"""`wargame validate` on each kind of file a user writes or keeps: a ruleset, a move script, a sweep file, a save.
Each is told from its contents and checked as what it is: one line saying it is fine and which command takes it,
or one line per problem, never a flood of 'unknown key' lines for sections a ruleset would have."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from gamekit import new_game
from wargame import cli
from wargame.saves import _checksum, save_game

SCRIPT = ROOT / "rulesets" / "scripts" / "january_2026.yaml"


@pytest.fixture(scope="module")
def saved(tmp_path_factory, rules) -> Path:
    game = new_game(rules, 3, 6, policy="utility")
    game.run(2)
    return save_game(game, tmp_path_factory.mktemp("validate") / "game.json")


def _validate(capsys, *argv: str) -> tuple[int, list[str], list[str]]:
    code = cli.main(["validate", *argv])
    out, err = capsys.readouterr()
    return code, out.strip().splitlines(), err.strip().splitlines()


# (what, the file's text, the one line expected after the file's name)
GOOD = [
    ("move script", SCRIPT.read_text(encoding="utf-8"),
     "ok — move script 'January 2026, as reported' for rare_earths_2026: pins moves on 4 turns, from turn 1 to 4; "
     "play it with `wargame run --script {f}` or `wargame montecarlo --script {f}`"),
    ("grid sweep", "method: grid\nparameters:\n  actors.beijing.resolve.alpha: [3, 6]\n"
                   "  economy.shortage_convexity: {min: 1, max: 2, steps: 3}\n",
     "ok — sweep file for rare_earths_2026: grid of 6 points over actors.beijing.resolve.alpha, "
     "economy.shortage_convexity; run it with `wargame montecarlo --sweep {f}`"),
    ("hypercube sweep", "method: lhs\nsamples: 8\nparameters:\n"
                        "  actors.beijing.moves_per_turn: {min: 1, max: 3, integer: true}\n",
     "ok — sweep file for rare_earths_2026: Latin hypercube of 8 points over actors.beijing.moves_per_turn; run it "
     "with `wargame montecarlo --sweep {f}`"),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in GOOD], ids=[c[0] for c in GOOD])
def test_a_script_or_sweep_is_checked_and_named_with_its_command(tmp_path, capsys, text, expected):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = _validate(capsys, str(path))
    assert code == 0 and err == []
    assert out == [f"{path}: " + expected.format(f=path)]


# (what, the file's text, the lines expected after the file's name)
BAD = [
    ("script with a wrong move and actor",
     "name: x\nturns:\n  1: {beijing: [dual_use_export_bann], nobody: hold}\n",
     ["3: turns.1.beijing[0]: unknown move of beijing 'dual_use_export_bann' (did you mean 'dual_use_export_ban'?)",
      "3: turns.1.nobody: unknown actor 'nobody'; expected one of: beijing, tokyo, washington, g7, cn_exporters, "
     "jp_magnet_makers, jp_automakers, jp_electronics_makers, jp_industrial_makers, jp_defence_industry"]),
    # one word for every actor that is not the one a script takes
    ("script holding 'everyone'", "hold: everyone\nturns:\n  1: {tokyo: hold}\n",
     ["1: hold: expected 'all' or an actor (or a list of actors), got 'everyone'"]),
    ("script holding 'al'", "hold: al\nturns:\n  1: {tokyo: hold}\n",
     ["1: hold: expected 'all' or an actor (or a list of actors), got 'al' (did you mean 'all'?)"]),
    # told for a script by its turns, though they are not under 'turns:'
    ("script of turns alone", "3: {tokyo: hold}\n", ["1: 3: turn 3 is outside 'turns:'; put the turns under a "
                                                     "'turns:' key"]),
    # a key given twice is said with every other mistake in the script, not alone
    ("script with a turn twice and other mistakes",
     "turns:\n  1: {beijing: hold}\n  1: {tokyo: hold}\n  2000: {beijing: hold}\nname: [x]\n",
     ["3: turns.1: duplicate key '1' (first given on line 2, which counts)",
      "4: turns.2000: expected turns from 1 to 1000, the longest game of the ruleset, got '2000'",
      "5: name: expected text, got a list"]),
    # refused, rather than held turn by turn up to a billion
    ("script with a range no game reaches", "turns:\n  2-1000000000: {beijing: hold}\n",
     ["2: turns.2-1000000000: expected turns from 1 to 1000, the longest game of the ruleset, got '2-1000000000'"]),
    ("sweep over whole numbers without integer: true",
     "method: lhs\nsamples: 20\nparameters:\n  actors.beijing.moves_per_turn: {min: 1, max: 3}\n",
     ["4: parameters.actors.beijing.moves_per_turn: takes a whole number; add `integer: true` to sample whole "
      "numbers"]),
    ("sweep with a misspelt key", "method: grid\nparametres: {economy.shortage_convexity: [1, 2]}\n",
     ["2: parametres: unknown key 'parametres' (did you mean 'parameters'?); expected one of: method, parameters, "
      "samples, seed, common_seeds, description"]),
]


@pytest.mark.parametrize("text, expected", [c[1:] for c in BAD], ids=[c[0] for c in BAD])
def test_a_bad_script_or_sweep_gets_one_line_per_problem(tmp_path, capsys, text, expected):
    path = tmp_path / "file.yaml"
    path.write_text(text, encoding="utf-8")
    code, out, err = _validate(capsys, str(path))
    assert code == 2 and out == []
    assert sorted(err) == sorted(f"{path}:{line}" for line in expected)


def test_a_script_is_checked_against_the_ruleset_named(tmp_path, capsys):
    variant = tmp_path / "small.yaml"
    variant.write_text(f"extends: {ROOT / 'rulesets' / 'rare_earths_2026.yaml'}\n"
                       "ruleset: {id: small, name: Small}\nmoves:\n  korea_summit: ~\n", encoding="utf-8")
    code, out, err = _validate(capsys, str(SCRIPT), "--ruleset", str(variant))
    assert code == 2 and out == []
    text = SCRIPT.read_text(encoding="utf-8")
    line = text[:text.index("tokyo: [korea_summit]")].count("\n") + 1
    assert len(err) == 1
    assert err[0].startswith(f"{SCRIPT.relative_to(ROOT)}:{line}: turns.3.tokyo[0]: unknown move of tokyo 'korea_summit'")


def test_a_save_is_checked_and_named_with_its_commands(saved, capsys):
    code, out, err = _validate(capsys, str(saved))
    assert code == 0 and err == []
    assert out == [f"{saved}: ok — saved game of rare_earths_2026: 2 of 6 turns played · the AI playing · "
                   f"unfinished; `wargame replay {saved}` plays it again to check every turn, `wargame resume "
                   f"{saved}` or `wargame play --load {saved}` goes on with it"]


def test_a_damaged_save_is_one_line(saved, tmp_path, capsys):
    doc = json.loads(saved.read_bytes())
    doc["state"]["tension"] = "high"
    doc["checksum"] = _checksum(doc)
    path = tmp_path / "edited.json"
    path.write_text(json.dumps(doc), encoding="utf-8")
    code, out, err = _validate(capsys, str(path))
    assert code == 2 and out == []
    assert err == [f"{path}: state.tension: expected a number, got 'high'"]


def test_a_ruleset_is_not_checked_against_another(capsys):
    code, out, err = _validate(capsys, "rulesets/hawkish_beijing.yaml", "--ruleset", "rulesets/rare_earths_2026.yaml")
    assert code == 2 and out == []
    assert err == ["--ruleset: rulesets/hawkish_beijing.yaml is a ruleset itself; --ruleset names the ruleset a move "
                   "script, sweep file or save is checked against"]


def test_the_real_command_on_a_script_prints_one_line():
    result = run_cli("validate", "rulesets/scripts/january_2026.yaml")
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert result.stdout.count("\n") == 1 and "move script" in result.stdout and "unknown key" not in result.stdout


# A file that is not text (or not UTF-8) is one line naming where it stops being text, from every command that
# reads a ruleset or a script. (what, the file's bytes, the line expected after the file's name)
NOT_TEXT = [
    ("binary", b"PK\x03\x04\x00\x00 archive", "1: expected YAML text, got the control character #x03 (is this a "
                                              "binary file?)"),
    ("a control character on line 3", b"ruleset:\n  id: x\n\x07\n", "3: expected YAML text, got the control "
                                                                     "character #x07 (is this a binary file?)"),
    ("not UTF-8", b"ruleset:\n  name: caf\xe9\n", "2: expected UTF-8 text, got the byte 0xe9 (save the file as "
                                                  "UTF-8; or is it not a text file?)"),
]


@pytest.mark.parametrize("command", ["validate", "run"])
@pytest.mark.parametrize("content, expected", [c[1:] for c in NOT_TEXT], ids=[c[0] for c in NOT_TEXT])
def test_a_file_that_is_not_text_is_one_line(tmp_path, command, content, expected):
    path = tmp_path / "file.yaml"
    path.write_bytes(content)
    result = run_cli(command, str(path))
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}:{expected}"]


def test_a_script_that_is_not_text_is_one_line(tmp_path):
    path = tmp_path / "script.yaml"
    path.write_bytes(b"turns:\n  1: {beijing: hold}\n\x00")
    result = run_cli("run", "--script", str(path), "--turns", "1")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}:3: expected YAML text, got the control character #x00 (is this a "
                                          "binary file?)"]


def test_a_folder_is_one_line(tmp_path):
    result = run_cli("validate", str(tmp_path))
    assert result.returncode == 2
    assert result.stderr.splitlines() == [f"{tmp_path}: expected a file, got a folder"]


def test_an_empty_script_is_refused_not_played(tmp_path):
    path = tmp_path / "script.yaml"
    path.write_text("# to do\n", encoding="utf-8")
    result = run_cli("run", "--script", str(path), "--turns", "1")
    assert result.returncode == 2 and result.stdout == ""
    assert result.stderr.splitlines() == [f"{path}: the file holds no script; expected a mapping with 'turns' and "
                                          "optionally 'name', 'description', 'hold' (see Scripts in docs/rulesets.md)"]


def _finished(rules, tmp_path, name, seed, turns, humans=()):
    game = new_game(rules, seed, turns, humans, "utility")
    while game.running:
        for actor in humans:
            game.submit(actor, [])
        game.step()
    return save_game(game, tmp_path / f"{name}.json")


@pytest.mark.parametrize("name, seed, turns, humans, resumes", [
    ("at its limit", 3, 4, (), True),
    ("at its limit, Tokyo at the keyboard", 3, 4, ("tokyo",), True),
    ("ended by a settlement", 28, 40, (), False),
])
def test_the_commands_validate_names_for_a_save_work_on_it(rules, tmp_path, name, seed, turns, humans, resumes):
    import re
    import shutil

    saved = _finished(rules, tmp_path, "game", seed, turns, humans)
    done = run_cli("validate", str(saved))
    assert done.returncode == 0, done.stderr
    commands = re.findall(r"`wargame ([^`]*)`", done.stdout)
    assert any(c.startswith("resume") for c in commands) == resumes, done.stdout
    for i, command in enumerate(commands):
        # The placeholders a user fills in: any move (or hold), a number of turns, an earlier turn.
        copy = tmp_path / f"copy{i}.json"
        shutil.copy(saved, copy)
        words = [w.replace("MOVE", "hold") for w in command.replace(str(saved), str(copy)).split()]
        words = ["2" if w == "N" else "1" if w == "TURN" else w for w in words]
        if words[0] == "play":
            continue                # the terminal UI
        if words[0] == "report":
            words += ["--out", str(tmp_path / f"report{i}")]
        if words[0] == "branch":
            words += ["--quiet"]
        ran = run_cli(*words)
        assert ran.returncode == 0, (command, ran.stderr)
