"""Exact replays: a save re-run from its seed and record matches it; a save that no longer matches says where."""

from __future__ import annotations

import json

import pytest

from conftest import run_cli
from gamekit import drive, new_game, played_game, state_json
from wargame.replay import Divergence, first_difference, replay
from wargame.saves import _checksum, save_game, snapshot
from wargame.scripts import script_from_text


def _reseal(doc: dict) -> dict:
    doc["checksum"] = _checksum(doc)
    return doc


@pytest.mark.parametrize("seed, policy, humans", [(1, "utility", ()), (2, "random", ()), (3, "utility", ("tokyo",)),
                                                  (4, "random", ("tokyo", "beijing"))])
def test_saved_games_replay_exactly(rules, seed, policy, humans):
    game = new_game(rules, seed, 8, humans, policy)
    while game.running:
        drive(game, seed)
        game.step()
    result = replay(snapshot(game), rules)
    assert result.matches, str(result.divergence)
    assert result.turns == game.state.turn
    assert state_json(result.model) == state_json(game)


def test_a_game_saved_mid_turn_replays_with_its_pending_interventions(rules):
    game = new_game(rules, 5, 10, ("tokyo",), "utility")
    for _ in range(3):
        drive(game, 5)
        game.step()
    drive(game, 5)                           # interventions and Tokyo's moves for turn 4, not yet played
    assert game.interventions and game.actors["tokyo"].policy.pending is not None
    result = replay(snapshot(game), rules)
    assert result.matches, str(result.divergence)
    assert result.model.injected == game.injected
    result.model.run()
    game.run()
    assert state_json(result.model) == state_json(game)


def test_scripted_games_replay(rules):
    script = script_from_text("turns:\n  1: {beijing: [dual_use_export_ban]}\n  2-3: {tokyo: hold}\n", rules)
    from wargame import WargameModel
    game = WargameModel(rules, rng=9, script=script, turns=5)
    game.run()
    assert replay(snapshot(game), rules).matches


def test_replay_until_a_turn_gives_the_game_as_it_stood(rules):
    game = played_game(rules, 6, 8)
    early = replay(snapshot(game), rules, until=3)
    assert early.matches and early.model.state.turn == 3
    assert early.model.reports[-1].indicators == json.loads(json.dumps(game.reports[2].indicators))


def test_a_changed_record_is_reported_where_it_diverges(rules):
    game = played_game(rules, 8, 6, policy="random")
    doc = snapshot(game)
    last = len(doc["history"])
    assert last >= 3
    moved = json.loads(json.dumps(doc))
    moved["history"][1]["orders"]["beijing"] = ["no_such_move"]
    result = replay(_reseal(moved), rules)
    assert not result.matches
    assert result.divergence.turn == 2 and result.divergence.what == "moves of beijing"
    assert str(result.divergence).endswith("[no_such_move] in the save")

    numbers = json.loads(json.dumps(doc))
    numbers["history"][last - 1]["indicators"]["tension"] += 0.001
    result = replay(_reseal(numbers), rules)
    assert (result.divergence.turn, result.divergence.what) == (last, "indicator tension")

    final = json.loads(json.dumps(doc))
    final["state"]["inventory"][3][1] += 1.0
    result = replay(_reseal(final), rules)
    assert result.divergence.turn is None and result.divergence.what == "state.inventory[3][1]"
    assert str(result.divergence).startswith("final snapshot: state.inventory[3][1]:")

    other_engine = json.loads(json.dumps(moved))
    other_engine["engine"]["digest"] = "0" * 64
    result = replay(_reseal(other_engine), rules)
    assert "the engine has changed since this game was saved" in str(result.divergence)
    assert "engine has changed" not in str(replay(_reseal(moved), rules).divergence)

    seeded = json.loads(json.dumps(doc))
    seeded["seed"] = 9
    result = replay(_reseal(seeded), rules)
    assert not result.matches and result.divergence.turn == 1


def test_older_saves_without_interventions_still_load_and_replay(rules):
    game = new_game(rules, 12, 5, policy="utility")
    game.run()
    doc = json.loads(json.dumps(snapshot(game)))
    for key in ("interventions", "pending"):
        del doc[key]
    for h in doc["history"]:
        del h["events"]
    doc["version"] = 1
    assert replay(_reseal(doc), rules).matches


def test_first_difference():
    assert first_difference({"a": [1, 2.0, {"b": "x"}]}, {"a": [1, 2.0, {"b": "x"}]}) is None
    assert first_difference({"a": [1, 2.5]}, {"a": [1, 2.0]}) == ("a[1]", 2.5, 2.0)
    assert first_difference({"a": 1}, {"a": 1, "b": 2}) == ("b", "(missing)", 2)
    assert first_difference([1], [1, 2]) == (" (length)", 1, 2)
    assert first_difference(float("nan"), float("nan")) is None
    assert str(Divergence(4, "indicator tension", 5.0, 5.25)) == "turn 4: indicator tension: 5.25 in the replay, 5 in the save"


def test_the_replay_command(rules, tmp_path):
    game = played_game(rules, 13, 6)
    good = save_game(game, tmp_path / "good.json")
    done = run_cli("replay", str(good), "--log")
    assert done.returncode == 0, done.stderr
    assert "matches the save exactly" in done.stdout
    assert f"Turn {game.state.turn:>2}" in done.stdout

    doc = json.loads(good.read_text())
    doc["history"][1]["orders"]["g7"] = ["no_such_move"]
    bad = tmp_path / "diverging.json"
    bad.write_text(json.dumps(_reseal(doc)))
    done = run_cli("replay", str(bad), "--json")
    assert done.returncode == 1, done.stderr
    verdict = json.loads(done.stdout)
    assert verdict["matches"] is False and verdict["divergence"]["turn"] == 2
    assert verdict["divergence"]["what"] == "moves of g7"


def _reworded(doc: dict, engine: str) -> dict:
    """The save as a version of the engine that worded its log differently (and had `engine`'s digest)
    would have written it: every effect line says the same thing in other words."""
    older = json.loads(json.dumps(doc))
    older["engine"]["digest"] = engine
    for event in older["events"]:
        if event["kind"] == "effect":
            event["text"] = event["text"].replace("China", "CN").replace("Japan", "JP") + " (old words)"
    return _reseal(older)


@pytest.fixture(scope="module")
def saved(rules):
    return snapshot(played_game(rules, 14, 6))


def test_a_save_from_an_earlier_engine_still_matches_when_only_its_words_differ(rules, saved):
    changed = sum(1 for e in saved["events"] if e["kind"] == "effect")
    assert changed > 0
    result = replay(_reworded(saved, "0" * 64), rules)
    assert result.matches, str(result.divergence)
    assert result.reworded == changed
    assert state_json(result.model) == state_json(replay(saved, rules).model)
    assert replay(saved, rules).reworded == 0


def test_the_same_engine_must_write_the_very_same_log(rules, saved):
    same_engine = replay(_reworded(saved, saved["engine"]["digest"]), rules)
    assert not same_engine.matches
    assert "event" in same_engine.divergence.what and "(old words)" in str(same_engine.divergence.saved)


@pytest.mark.parametrize("edit, what", [
    (lambda e: e.update(kind="instructor"), "the kind of event"),
    (lambda e: e.update(actor="g7"), "who played event"),
    (lambda e: e.update(visible_to=["tokyo"]), "who may see event"),
])
def test_an_earlier_engine_still_has_to_log_the_same_events(rules, saved, edit, what):
    older = json.loads(json.dumps(_reworded(saved, "0" * 64)))
    event = next(e for e in older["events"] if e["kind"] == "effect" and e["actor"] != "g7" and e["visible_to"] is None)
    edit(event)
    result = replay(_reseal(older), rules)
    assert not result.matches and what in result.divergence.what
    assert result.divergence.engine_changed


def test_the_replay_and_branch_commands_on_a_save_from_an_earlier_engine(rules, saved, tmp_path):
    older = tmp_path / "older.json"
    older.write_text(json.dumps(_reworded(saved, "0" * 64)))
    changed = sum(1 for e in saved["events"] if e["kind"] == "effect")
    done = run_cli("replay", str(older))
    assert done.returncode == 0, done.stdout + done.stderr
    assert "the same game as the save" in done.stdout
    assert f"{changed} log lines of the save are worded differently by this version of wargame" in done.stdout
    verdict = json.loads(run_cli("replay", str(older), "--json").stdout)
    assert verdict["matches"] is True and verdict["reworded"] == changed

    done = run_cli("branch", str(older), "--at", "4", "--moves", "tokyo=hold", "--save", str(tmp_path / "b.json"))
    assert done.returncode == 0, done.stdout + done.stderr
    assert run_cli("replay", str(tmp_path / "b.json")).returncode == 0
