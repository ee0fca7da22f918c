"""Ruleset authoring rules that docs/rulesets.md promises."""

from __future__ import annotations

import copy

import pytest
from hypothesis import given
from hypothesis import strategies as st

from wargame.ruleset import DEFAULT_RULESET, ruleset_from_data
from wargame.yamlio import load_file

SECTIONS = ("commodities", "countries", "nodes", "edges", "actors", "moves", "outcomes", "injects")


@pytest.fixture(scope="module")
def default_data():
    doc, problems = load_file(DEFAULT_RULESET)
    assert not problems
    return doc.data


@pytest.mark.parametrize("section", SECTIONS)
def test_every_entry_may_carry_a_note_and_a_source(default_data, section):
    data = copy.deepcopy(default_data)
    for entry in data[section].values():
        entry["note"] = "E: an estimate"
        entry["source"] = "a reference"
    rules = ruleset_from_data(data, file="noted.yaml")     # raises RulesetError on an unknown key
    assert rules.id == data["ruleset"]["id"]


@pytest.mark.parametrize("written", ["beijing-tokyo", "tokyo-beijing"])
def test_a_starting_relation_is_read_whichever_actor_the_file_names_first(default_data, written):
    from wargame.model import WargameModel

    data = copy.deepcopy(default_data)
    data["politics"]["relations"]["start"] = {written: -0.8}
    rules = ruleset_from_data(data, file="relations.yaml")
    state = WargameModel(rules, rng=0, turns=1).state
    assert state.relation("beijing", "tokyo") == state.relation("tokyo", "beijing") == -0.8
    # The state and the ruleset keep relations under one key, so a pair written either way is one relation.
    assert set(rules.politics["relations_start"]) <= set(state.relations)


@pytest.mark.parametrize("tension, shown", [(7.996, "7.99"), (8.0, "8.00"), (7.954, "7.95"), (3.4996, "3.49"),
                                            (5.6, "5.60"), (1.999, "1.99"), (9.2, "9.20"), (0.0, "0.00")])
def test_tension_is_shown_on_the_side_of_the_rung_it_is_on(rules, tension, shown):
    assert rules.tension_text(tension) == shown


@given(st.floats(min_value=0, max_value=10))
def test_the_tension_shown_names_the_rung_shown_beside_it(tension):
    from wargame.ruleset import load_ruleset

    rules = load_ruleset()
    assert rules.ladder_rung(float(rules.tension_text(tension))) == rules.ladder_rung(tension)


@given(st.floats(min_value=0, max_value=10))
def test_the_tension_a_turn_records_names_the_rung_the_game_is_on(tension):
    # The indicators (--json, DataCollector, Monte Carlo tables) keep tension to three decimals; a reader
    # placing that figure on the ladder must find the rung the game records beside it.
    from wargame import indicators
    from wargame.model import WargameModel
    from wargame.ruleset import load_ruleset

    rules = load_ruleset()
    model = WargameModel(rules, rng=0, turns=1)
    model.state.tension = tension
    recorded = indicators.baseline(rules, model.state)
    assert recorded["ladder"] == rules.ladder_rung(tension) == rules.ladder_rung(recorded["tension"])
    assert abs(recorded["tension"] - tension) < 1e-3


@pytest.mark.parametrize("tension, recorded", [(7.9996, 7.999), (7.9994, 7.999), (8.0, 8.0), (8.0004, 8.0),
                                               (3.4996, 3.499), (4.9996, 4.999), (4.2996, 4.3),
                                               (0.0, 0.0), (10.0, 10.0)])
def test_recorded_tension_is_rounded_to_three_places_except_up_onto_a_rung(rules, tension, recorded):
    from wargame.figures import tension_rounded

    levels = [level for level, _ in rules.politics["ladder"]]
    assert {3.5, 5.0, 8.0} <= set(levels) and 4.3 not in levels    # the cases above assume the default ladder
    assert tension_rounded(tension, rules.politics["ladder"], 3) == recorded


LATE_LONGEST = 30    # weekly turns from 1 June 9999 until the calendar ends on 31 December 9999
ENGINE_LIMIT = "a game is at most 1000 turns, and this one plays on from turn"
CALENDAR_LIMIT = "later turns would fall after the year 9999"


# (calendar start, turns asked for, first turn played, the problem or None). Every front end (WargameModel,
# --turns, the Monte Carlo batch, a save's turn_limit) shows this text after its own name for the setting.
@pytest.mark.parametrize("start, turns, first, problem", [
    (None, 1, 1, None),
    (None, 1000, 1, None),
    (None, 1001, 1, "expected a whole number between 1 and 1000, got 1001"),
    (None, 100_000, 1, "expected a whole number between 1 and 1000, got 100,000"),
    (None, 0, 1, "expected a whole number between 1 and 1000, got 0"),
    (None, -3, 1, "expected a whole number between 1 and 1000, got -3"),
    (None, True, 1, "expected a whole number between 1 and 1000, got True"),
    (None, 2.5, 1, "expected a whole number between 1 and 1000, got 2.5"),
    (None, 5.0, 1, "expected a whole number between 1 and 1000, got 5.0"),
    (None, "5", 1, "expected a whole number between 1 and 1000, got '5'"),
    (None, None, 1, "expected a whole number between 1 and 1000, got None"),
    # A game resumed or branched at turn 3 has turns 3 to 1000 left to play.
    (None, 998, 3, None),
    (None, 999, 3, f"expected a whole number between 1 and 998, got 999 ({ENGINE_LIMIT} 3)"),
    (None, 0, 3, "expected a whole number between 1 and 998, got 0"),
    # The calendar can end before the engine's limit does.
    ("9999-06-01", LATE_LONGEST, 1, None),
    ("9999-06-01", LATE_LONGEST + 1, 1, f"expected a whole number between 1 and 30, got 31 ({CALENDAR_LIMIT})"),
    ("9999-06-01", 28, 3, None),
    ("9999-06-01", 29, 3, f"expected a whole number between 1 and 28, got 29 ({CALENDAR_LIMIT})"),
    ("9999-06-01", False, 1, "expected a whole number between 1 and 30, got False"),
])
def test_the_turn_limit_is_one_rule(default_data, start, turns, first, problem):
    import numpy as np

    data = copy.deepcopy(default_data)
    if start is not None:
        data["calendar"].update(start_date=start, max_turns=20)
    rules = ruleset_from_data(data, file="calendar.yaml")
    assert rules.turn_limit_problem(turns, first) == problem
    if isinstance(turns, int) and not isinstance(turns, bool):
        # A count from numpy (np.arange, a DataFrame) is the same count.
        assert rules.turn_limit_problem(np.int64(turns), first) == problem
