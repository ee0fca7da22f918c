"""The scenario documentation stays in step with the ruleset it describes."""

from __future__ import annotations


from conftest import ROOT
from wargame.describe import describe

MARKER = "<!-- The section below is generated: `wargame describe rulesets/rare_earths_2026.yaml`. -->"


def test_scenario_doc_lists_every_parameter_of_the_default_ruleset(rules):
    text = (ROOT / "docs" / "scenario.md").read_text(encoding="utf-8")
    generated = text.split(MARKER, 1)[1].strip()
    assert generated == describe(rules).strip(), "regenerate the tables with `wargame describe`"
    for node in rules.network.node_ids:
        assert f"| {node} |" in generated
    for move in rules.moves:
        assert f"| {move} |" in generated
    assert "**estimate**" in generated
