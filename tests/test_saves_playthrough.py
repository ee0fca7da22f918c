"""Random playthroughs, as in OpenSpiel: hundreds of games of random legal moves, saved and loaded at every
turn, each loaded copy continuing exactly as the game that was never saved, with invariants checked throughout.
"""

from __future__ import annotations

import json

import pytest

from gamekit import drive, events_json, invariants, mark, new_game, state_json
from wargame.saves import check_save, load_game, restore, save_game, snapshot

GAMES, CHUNKS, TURNS = 200, 8, 5


def _setup(seed: int) -> dict:
    # Mostly random policies; every fourth game the doctrine AI; every third one a human Tokyo.
    return {"policy": "utility" if seed % 4 == 0 else "random", "humans": ("tokyo",) if seed % 3 == 0 else ()}


def _indicators(model) -> str:
    return json.dumps(model.reports[-1].indicators, sort_keys=True)


def _continue(model, seed: int, acted: bool) -> list[str]:
    """Play a game to its end with the same driver; the indicators after each turn, then the final state."""
    seen = []
    while model.running:
        if not acted:
            drive(model, seed)
        acted = False
        model.step()
        seen.append(_indicators(model))
    return seen + [state_json(model)]


@pytest.mark.parametrize("chunk", range(CHUNKS))
def test_every_turn_survives_a_save_and_load_with_the_same_future(rules, chunk):
    per = GAMES // CHUNKS
    for seed in range(chunk * per, (chunk + 1) * per):
        game = new_game(rules, seed, TURNS, **_setup(seed))
        saves, states, previous = [], [], None
        while game.running:
            # Save before the instructor and the players act on odd turns, after them (so with interventions
            # and human moves pending) on even turns.
            acted = game.turn % 2 == 0
            if acted:
                drive(game, seed)
            text = json.dumps(snapshot(game, embed_ruleset=False))
            saves.append((game.turn, text, acted))
            if not acted:
                drive(game, seed)
            game.step()
            bad = invariants(game, previous)
            assert not bad, f"seed {seed} turn {game.state.turn}: {bad}"
            previous = mark(game)
            states.append(_indicators(game))
        states.append(state_json(game))
        for turn, text, acted in saves:
            loaded = restore(check_save(text), rules)
            assert loaded.turn == turn
            assert _continue(loaded, seed, acted) == states[turn - 1:], f"seed {seed}: diverged after a load at turn {turn}"
            assert events_json(loaded) == events_json(game), f"seed {seed}: event log differs after a load at turn {turn}"
            assert loaded.interventions == json.loads(json.dumps(game.interventions))
            assert [r.orders for r in loaded.reports] == [r.orders for r in game.reports]


def test_a_loaded_game_is_the_saved_game_in_every_public_detail(rules, tmp_path):
    from gamekit import played_game

    game = new_game(rules, 11, 10, humans=("tokyo",), policy="utility")
    for _ in range(4):
        drive(game, 11)
        game.step()
    drive(game, 11)                                   # interventions and Tokyo's moves pending for turn 5
    path = save_game(game, tmp_path / "game.json")
    loaded = load_game(path)
    assert state_json(loaded) == state_json(game)
    assert events_json(loaded) == events_json(game)
    assert loaded.turn == game.turn and loaded.running and loaded.policy_names == game.policy_names
    assert [r.events for r in loaded.reports] == [r.events for r in game.reports]
    assert [r.indicators for r in loaded.reports] == json.loads(json.dumps([r.indicators for r in game.reports]))
    assert loaded.dataframe().equals(game.dataframe())
    assert loaded.injected == game.injected
    assert loaded.actors["tokyo"].policy.pending == game.actors["tokyo"].policy.pending
    assert loaded.observe("tokyo").to_dict() == json.loads(json.dumps(game.observe("tokyo").to_dict()))
    loaded.run()
    game.run()
    assert state_json(loaded) == state_json(game)
    assert played_game(rules, 3, 4).state.turn == 4


def test_a_saved_and_loaded_game_saves_the_same_file(rules, tmp_path):
    game = new_game(rules, 5, 6, policy="utility")
    game.run(3)
    first = save_game(game, tmp_path / "a.json")
    second = save_game(load_game(first), tmp_path / "b.json")
    assert json.loads(first.read_text()) == json.loads(second.read_text())
