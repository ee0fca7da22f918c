"""Ruleset authoring rules that docs/rulesets.md promises."""

from __future__ import annotations

import copy

import pytest

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
