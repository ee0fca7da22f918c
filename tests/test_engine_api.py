"""The engine's public API as front ends and notebooks use it."""

from __future__ import annotations

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
