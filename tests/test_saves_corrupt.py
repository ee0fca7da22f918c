"""Damaged, tampered and mismatched save files: one clear line each, exit status 2, and the file untouched.
A failed save never replaces the file already on disk."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

from conftest import run_cli
from gamekit import new_game
from wargame.errors import SaveError
from wargame.saves import _checksum, load_game, read_save, save_game


@pytest.fixture(scope="module")
def good_save(tmp_path_factory, rules) -> Path:
    game = new_game(rules, 21, 6, policy="utility")
    game.run(3)
    return save_game(game, tmp_path_factory.mktemp("saves") / "good.json")


def _resealed(doc: dict) -> str:
    doc["checksum"] = _checksum(doc)
    return json.dumps(doc)


def _variants(good: Path) -> dict[str, bytes]:
    raw = good.read_bytes()
    doc = json.loads(raw)
    out = {
        "truncated in the middle": raw[: len(raw) // 2],
        "truncated by one byte": raw[:-1],
        "empty": b"",
        "not JSON": b"turn 1: beijing plays dual_use_export_ban\n",
        "binary": bytes(range(256)),
        "a JSON list": b"[1, 2, 3]",
        "another program's JSON": json.dumps({"format": "something-else", "version": 1}).encode(),
    }
    # A flipped bit inside a number of the state: still valid JSON, but not the saved content.
    at = raw.index(b'"tension":') + len(b'"tension":') + 1
    flipped = bytearray(raw)
    flipped[at] ^= 0x01
    out["one bit flipped"] = bytes(flipped)
    tampered = json.loads(raw)
    tampered["state"]["capital"]["tokyo"] = 99.0
    out["edited without a new checksum"] = json.dumps(tampered).encode()
    forged = dict(doc, checksum="0" * 64)
    out["checksum replaced"] = json.dumps(forged).encode()
    out["checksum removed"] = json.dumps({k: v for k, v in doc.items() if k != "checksum"}).encode()
    for version in (0, 99, "2", None):
        out[f"version {version!r}"] = _resealed(dict(doc, version=version)).encode()
    out["a required part missing"] = _resealed({k: v for k, v in doc.items() if k != "history"}).encode()
    damaged = json.loads(raw)
    damaged["rng"]["actors"] = {"nobody": {}}
    out["damaged inside, checksum recomputed"] = _resealed(damaged).encode()
    return out


def test_every_kind_of_bad_file_gets_one_clear_line_and_stays_untouched(good_save, tmp_path):
    for what, content in _variants(good_save).items():
        path = tmp_path / "bad.json"
        path.write_bytes(content)
        os.utime(path, ns=(1_000_000_000, 1_000_000_000))
        with pytest.raises(SaveError) as err:
            load_game(path)
        lines = err.value.lines()
        assert len(lines) == 1, f"{what}: {lines}"
        assert lines[0].startswith(str(path)) or "bad.json" in lines[0], f"{what}: {lines[0]}"
        assert "Traceback" not in lines[0]
        assert path.read_bytes() == content, f"{what}: the file was changed"
        assert path.stat().st_mtime_ns == 1_000_000_000, f"{what}: the file was touched"


@pytest.mark.parametrize("what, expected", [
    ("truncated in the middle", "truncated"), ("empty", "empty"), ("not JSON", "not a wargame save: the file is not JSON"),
    ("one bit flipped", "checksum"), ("edited without a new checksum", "edited or corrupted"),
    ("checksum replaced", "checksum"), ("version 99", "newer wargame"), ("version 0", "not supported"),
    ("a required part missing", "history: missing"), ("another program's JSON", "not a wargame save"),
    ("damaged inside, checksum recomputed", "rng.actors.nobody: expected the state of a PCG64 random stream"),
])
def test_messages_say_what_is_wrong(good_save, tmp_path, what, expected):
    path = tmp_path / "bad.json"
    path.write_bytes(_variants(good_save)[what])
    with pytest.raises(SaveError) as err:
        load_game(path)
    assert expected in str(err.value)
    assert " at at " not in str(err.value)


def test_a_missing_file_or_a_folder(tmp_path):
    with pytest.raises(SaveError, match="file not found"):
        read_save(tmp_path / "nowhere.json")
    with pytest.raises(SaveError, match="folder"):
        read_save(tmp_path)


def test_a_changed_ruleset_is_refused(rules, good_save, tmp_path, default_text):
    changed = tmp_path / "changed.yaml"
    changed.write_text(default_text.replace("tension: {start: 4.0", "tension: {start: 4.5"), encoding="utf-8")
    assert changed.read_text() != default_text
    # The copy embedded in the save is used by default, so the game loads whatever happened to the file...
    assert load_game(good_save).rules.digest == json.loads(good_save.read_text())["ruleset"]["digest"]
    # ...but naming a different ruleset is refused, and so is a save that relies on a file that changed.
    with pytest.raises(SaveError, match="has changed since this game was saved"):
        load_game(good_save, changed)
    game = new_game(rules, 2, 4)
    game.run(1)
    bare = save_game(game, tmp_path / "bare.json", embed_ruleset=False)
    doc = json.loads(bare.read_text())
    doc["ruleset"]["file"] = str(changed)
    bare.write_text(_resealed(doc))
    with pytest.raises(SaveError) as err:
        load_game(bare)
    assert len(err.value.lines()) == 1 and "has changed" in err.value.lines()[0]
    doc["ruleset"]["file"] = str(tmp_path / "gone.yaml")
    bare.write_text(_resealed(doc))
    with pytest.raises(SaveError, match="not embedded in the save and was not found"):
        load_game(bare)


def test_the_cli_exits_2_with_one_line_for_bad_files(good_save, tmp_path):
    variants = _variants(good_save)
    path = tmp_path / "bad.json"
    for what, command in (("truncated in the middle", ["replay", str(path)]),
                          ("one bit flipped", ["report", str(path), "--out", str(tmp_path / "r")]),
                          ("version 99", ["compare", str(good_save), str(path)]),
                          ("not JSON", ["branch", str(path), "--at", "2"])):
        path.write_bytes(variants[what])
        done = run_cli(*command)
        assert done.returncode == 2, (what, command, done.stderr)
        assert len(done.stderr.strip().splitlines()) == 1, done.stderr
        assert "Traceback" not in done.stderr and done.stdout == ""
        assert path.read_bytes() == variants[what]
    assert not (tmp_path / "r").exists()


def test_a_failed_save_leaves_the_old_file_and_no_litter(rules, tmp_path, monkeypatch):
    game = new_game(rules, 4, 6)
    game.run(2)
    path = save_game(game, tmp_path / "game.json")
    before = path.read_bytes()
    game.run(1)

    def broken_replace(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(SaveError, match="No space left on device"):
        save_game(game, path)
    monkeypatch.undo()
    assert path.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json"]

    game.policy_names["beijing"] = object()          # something that cannot be written as JSON
    with pytest.raises(SaveError, match="cannot save this game"):
        save_game(game, path)
    assert path.read_bytes() == before
    game.policy_names["beijing"] = "random"
    with pytest.raises(SaveError, match="folder"):
        save_game(game, tmp_path)


def test_saves_are_ordinary_readable_files(rules, tmp_path):
    game = new_game(rules, 4, 3)
    game.run(1)
    path = save_game(game, tmp_path / "sub" / "game.json")
    assert path.stat().st_mode & 0o644 == 0o644
    doc = json.loads(path.read_text())
    assert doc["format"] == "wargame-save" and doc["version"] == 2
    assert doc["ruleset"]["id"] == rules.id and doc["ruleset"]["digest"] == rules.digest
    assert doc["ruleset"]["data"] is not None and doc["seed"] == 4


# (what was edited in a re-sealed save, the edit, the line expected after the file's name)
RESEALED = [
    ("a seed that is text", lambda d: d.update(seed="seven"),
     "seed: expected a whole number of at least 0, got 'seven'"),
    ("a negative turn limit", lambda d: d.update(turn_limit=-1),
     "turn_limit: expected a whole number of at least 1, got -1"),
    ("an unknown policy", lambda d: d["policies"].update(tokyo="nosuch"),
     "policies.tokyo: expected utility, random, hold, human or module:Class, got 'nosuch'"),
    ("an unknown actor's policy", lambda d: d["policies"].update(pyongyang="utility"),
     "policies: unknown actor 'pyongyang'"),
    ("an unknown intervention", lambda d: d.update(interventions=[{"turn": 2, "kind": "bogus"}]),
     "interventions[0].kind: expected one of inject, event, reveal, hide, override, pause, resume, policy, "
     "branch, got 'bogus'"),
    ("events that are not a list", lambda d: d.update(events="oops"), "events: expected a list, got 'oops'"),
    ("random streams missing", lambda d: d.update(rng=None), "rng: expected a mapping, got null"),
    ("a turn without its number", lambda d: d["history"][1].pop("turn"),
     "history[1].turn: expected a turn number, got null"),
]


@pytest.mark.parametrize("what, edit, expected", RESEALED, ids=[r[0] for r in RESEALED])
def test_a_resealed_save_of_the_wrong_shape_names_the_key(good_save, tmp_path, what, edit, expected):
    doc = json.loads(good_save.read_bytes())
    edit(doc)
    path = tmp_path / "bad.json"
    path.write_text(_resealed(doc))
    with pytest.raises(SaveError) as err:
        load_game(path)
    assert err.value.lines()[0].startswith(f"{path}: {expected}"), err.value.lines()
    assert len(err.value.lines()) == 1


def test_the_cli_names_the_key_of_a_resealed_save(good_save, tmp_path):
    doc = json.loads(good_save.read_bytes())
    doc["policies"]["tokyo"] = "nosuch"
    doc["interventions"] = [{"turn": 2, "kind": "bogus"}]
    path = tmp_path / "bad.json"
    path.write_text(_resealed(doc))
    for command in (["replay", str(path)], ["branch", str(path), "--at", "1"], ["resume", str(path)]):
        done = run_cli(*command)
        assert done.returncode == 2, (command, done.stderr)
        assert "Traceback" not in done.stderr and done.stdout == ""
        assert done.stderr.strip().splitlines() == [
            f"{path}: policies.tokyo: expected utility, random, hold, human or module:Class, got 'nosuch'",
            f"{path}: interventions[0].kind: expected one of inject, event, reveal, hide, override, pause, resume, "
            "policy, branch, got 'bogus'"], command


@pytest.mark.parametrize("content, line, begins", [
    ("# the class's moves\nturns: 3\nmoves:\n  1: {tokyo: [formal_protest]}\n", 1, "# the class's moves"),
    ("\n\nJapan protests on turn 1, then talks.\n", 3, "Japan protests on turn 1, then talks."),
])
def test_a_file_that_is_not_json_at_all_is_not_called_truncated(tmp_path, content, line, begins):
    path = tmp_path / "moves.yaml"
    path.write_text(content, encoding="utf-8")
    for command in (["replay", str(path)], ["resume", str(path), "--turns", "1"], ["branch", str(path), "--at", "1"]):
        done = run_cli(*command)
        assert done.returncode == 2, (command, done.stderr)
        shown = command[1]
        assert done.stderr.strip() == (f"{shown}:{line}: not a wargame save: the file is not JSON (it begins '{begins}'); "
                                       "a save is the JSON file wargame writes with --save"), done.stderr
        assert "truncated" not in done.stderr and "corrupted" not in done.stderr


def test_a_save_cut_short_or_damaged_inside_is_still_called_so(good_save, tmp_path):
    raw = good_save.read_bytes()
    path = tmp_path / "bad.json"
    path.write_bytes(raw[: len(raw) // 3])
    assert "the JSON is truncated" in run_cli("replay", str(path)).stderr
    at = raw.index(b'"tension"')
    path.write_bytes(raw[:at] + raw[at + 1:])
    assert "the JSON is corrupted" in run_cli("replay", str(path)).stderr
