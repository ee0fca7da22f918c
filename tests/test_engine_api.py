"""The engine's public API as front ends and notebooks use it."""

from __future__ import annotations

import pytest

from wargame import WargameModel


def test_a_spectators_observation_holds_public_facts_only(rules):
    model = WargameModel(rules, rng=3, turns=4)
    model.run(2)
    seen = model.observe(None).to_dict()
    assert seen["actor"] is None and seen["turn"] == 3
    assert seen["private"] == {}
    assert seen["public"]["tension"] == model.state.indicators["tension"]
    assert model.observe(None).own_inventory() == {}
    # Private moves and events stay hidden from a spectator, as from any other actor.
    public = {(a["move"], a["actor"]) for a in model.state.active if rules.moves[a["move"]].public}
    assert {(a["move"], a["actor"]) for a in seen["active_moves"]} == public
    assert all(e["visible_to"] is None for e in seen["events"])
    player = model.observe("tokyo").to_dict()
    assert set(player["private"]) == {"resolve", "capital", "pressure", "beliefs", "inventory"}


def test_a_persons_orders_are_refused_with_every_reason_in_a_players_words():
    import pytest

    from wargame.errors import IllegalMove

    model = WargameModel(rng=1, humans=("washington", "tokyo"))
    model.state.capital["tokyo"] = 3.0
    cases = [
        ("washington", ["us_japan_minerals_framework", "dod_price_floor"], ["Washington may play at most 1 move a turn"]),
        ("tokyo", ["deep_sea_mud_programme", "lynas_offtake"], ["these moves cost 5 political capital; Tokyo has 3.0"]),
        ("tokyo", ["formal_protest", "formal_protest"], ["the same move is chosen twice"]),
        ("beijing", [], ["Beijing is not played by a person in this game"]),
    ]
    for actor, moves, reasons in cases:
        with pytest.raises(IllegalMove) as info:
            model.submit(actor, moves)
        assert [p.message for p in info.value.problems] == reasons
    # The instructor's override is judged by the same rules, in the same words.
    from wargame.instructor import check_moves

    assert check_moves(model, "washington", ["us_japan_minerals_framework", "dod_price_floor"]) == \
        ["Washington may play at most 1 move a turn"]


def test_an_error_without_a_file_reads_as_its_words():
    from wargame.errors import Problem, WargameError

    error = WargameError([Problem("", "", "no file"), Problem("", "runs", "at least 1"),
                          Problem("a.yaml", "x", "bad", 3), "plain words"])
    assert str(error).splitlines() == error.lines() == ["no file", "runs: at least 1", "a.yaml:3: x: bad", "plain words"]


def test_a_game_longer_than_the_ruleset_can_play_is_refused_when_it_is_made(rules, tmp_path):
    import numpy as np
    import pytest

    from wargame import WargameError

    for turns in (0, 1001, 2.5, True):
        with pytest.raises(WargameError, match=r"^turns: expected a whole number between 1 and 1000, got "):
            WargameModel(rules, turns=turns)
    assert WargameModel(rules, turns=np.int64(1000)).turn_limit == 1000
    # The calendar can end first: dates stop at 31 December 9999.
    late = tmp_path / "late.yaml"
    from wargame.ruleset import DEFAULT_RULESET

    late.write_text(f"extends: {DEFAULT_RULESET}\nruleset: {{id: late, name: Late}}\n"
                    "calendar: {start_date: 9999-06-01, max_turns: 20}\n")
    with pytest.raises(WargameError, match="between 1 and 30, got 31"):
        WargameModel(str(late), turns=31)


@pytest.mark.parametrize("seed", [None, -1, "7", True, 2.5])
def test_a_game_needs_a_seed_it_can_be_replayed_from(rules, seed):
    """An unseeded game (rng=None) would play differently each time and its save could never be replayed."""
    from wargame import WargameError

    with pytest.raises(WargameError, match=r"^rng: expected the game's seed, a whole number of at least 0, got "):
        WargameModel(rules, rng=seed)


def test_a_numpy_seed_is_the_same_game_as_the_plain_number(rules):
    import numpy as np

    a, b = WargameModel(rules, rng=np.int64(11), turns=3), WargameModel(rules, rng=11, turns=3)
    a.run()
    b.run()
    assert a.seed == 11 and type(a.seed) is int
    assert [r.indicators for r in a.reports] == [r.indicators for r in b.reports]


def test_an_actor_is_either_played_by_a_person_or_given_a_policy(rules):
    from wargame import WargameError

    with pytest.raises(WargameError, match="Tokyo is both played by a person .* and given the policy 'utility'"):
        WargameModel(rules, humans=("tokyo",), policies={"tokyo": "utility"})
    assert WargameModel(rules, humans=("tokyo",), policies={"tokyo": "human"}).humans() == ["tokyo"]


def test_moves_and_outcomes_are_worded_by_the_names_players_know(rules):
    first, second = list(rules.moves)[:2]
    outcome = rules.outcomes[0]
    cases = [
        (rules.moves_text([first, second]), f"{rules.moves[first].name}; {rules.moves[second].name}"),
        (rules.moves_text([]), "no move played"),
        (rules.moves_text([], none="nothing"), "nothing"),
        (rules.moves_text(["not_a_move"]), "not_a_move"),
        (rules.outcome_text(outcome.id), outcome.label),
        (rules.outcome_text(None), "game not finished"),
        (rules.outcome_text(None, unfinished="unfinished"), "unfinished"),
        (rules.outcome_text("an_outcome_of_another_ruleset"), "an_outcome_of_another_ruleset"),
    ]
    for worded, expected in cases:
        assert worded == expected
    assert outcome.label != outcome.id
