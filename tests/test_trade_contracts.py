"""How buyers' orders are shared among their contracts: a chain that starts full keeps running when nobody
moves, and suppliers share an order in proportion to their contract capacity. A stockpile is no contract:
it ships only what moves release."""

from __future__ import annotations

from pathlib import Path

import pytest

from wargame.model import WargameModel
from wargame.ruleset import load_ruleset
from wargame.scripts import script_from_text

RULESETS = sorted((Path(__file__).resolve().parent.parent / "rulesets").glob("*.yaml"))


def contract_lanes(net):
    return [i for i, lane in enumerate(net.lanes)
            if not lane.spot and net.nodes[lane.src].kind != "stockpile"]


@pytest.mark.parametrize("path", RULESETS, ids=lambda p: p.stem)
def test_a_chain_that_starts_full_keeps_every_contract_into_japan_running_when_nobody_moves(path):
    rules = load_ruleset(path)
    net = rules.network
    model = WargameModel(rules, rng=0, turns=6, script=script_from_text("hold: all\n", rules))
    normal = list(model.state.flows)
    watched = [i for i in contract_lanes(net) if net.nodes[net.lanes[i].dst].country == "JP" and normal[i] >= 1.0]
    assert watched
    for _ in range(3):
        model.step()
        # Demand varies a little from turn to turn; a lane that stops altogether is a chain out of balance.
        starved = [f"{net.nodes[net.lanes[i].src].id} -> {net.nodes[net.lanes[i].dst].id}: "
                   f"{model.state.flows[i]:.1f} t of {normal[i]:.1f}"
                   for i in watched if model.state.flows[i] < 0.5 * normal[i]]
        assert not starved, f"turn {model.state.turn}: {starved}"


def lanes_into(net, node: str, commodity: str) -> dict[str, int]:
    n = next(i for i, x in enumerate(net.nodes) if x.id == node)
    c = next(i for i, x in enumerate(net.commodities) if x.id == commodity)
    return {net.nodes[lane.src].id: i for i, lane in enumerate(net.lanes) if lane.dst == n and lane.commodity == c}


@pytest.mark.parametrize("script", [
    "hold: all\n",
    "hold: all\nturns:\n  2: {tokyo: [release_national_stockpile]}\n",
], ids=["nobody moves", "stockpile released"])
def test_suppliers_share_an_order_in_proportion_to_their_contract_capacity(rules, script):
    net = rules.network
    lanes = lanes_into(net, "jp_alloy", "ndpr")
    china, lynas, stockpile = lanes["cn_separation"], lanes["my_lynas"], lanes["jp_jogmec_stockpile"]
    model = WargameModel(rules, rng=0, turns=6, script=script_from_text(script, rules))
    for _ in range(6):
        model.step()
        flows = model.state.flows
        per_capacity = [flows[i] / net.lanes[i].capacity for i in (china, lynas)]
        assert per_capacity[0] == pytest.approx(per_capacity[1], rel=0.05), (model.state.turn, per_capacity)
    released = "release" in script
    assert (flows[stockpile] > 0) == released
