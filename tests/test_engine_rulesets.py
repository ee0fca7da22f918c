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
