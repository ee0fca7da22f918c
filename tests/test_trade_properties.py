"""Invariants of the trade graph, checked on random situations (hypothesis):
no negative stock, flows within capacity, and material conserved every turn."""

from __future__ import annotations

import numpy as np
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from wargame.effects import Modifiers
from wargame.market import spot_headroom
from wargame.model import WargameModel
from wargame.state import initial_state
from wargame.trade import step_trade

EPS = 1e-6


def stock_by_commodity(state, C):
    total = [0.0] * C
    for row in state.inventory:
        for c, v in enumerate(row):
            total[c] += v
    return total


def in_transit(rules, state, C):
    total = [0.0] * C
    for lane, pipe in zip(rules.network.lanes, state.pipeline):
        total[lane.commodity] += sum(pipe)
    return total


@st.composite
def situations(draw, n_lanes, n_nodes, stockpiles, commodities):
    factors = draw(st.lists(st.sampled_from([0.0, 0.1, 0.5, 0.85, 1.0, 1.3]), min_size=n_lanes, max_size=n_lanes))
    headroom = draw(st.lists(st.floats(0, 1), min_size=n_lanes, max_size=n_lanes))
    ration = draw(st.dictionaries(st.integers(0, n_nodes - 1), st.floats(0, 1), max_size=4))
    release = draw(st.dictionaries(st.tuples(st.sampled_from(stockpiles), st.sampled_from(commodities)),
                                   st.floats(0, 200), max_size=3))
    shrink = draw(st.lists(st.floats(0, 1.5), min_size=n_nodes, max_size=n_nodes))
    turns = draw(st.integers(1, 4))
    return factors, headroom, ration, release, shrink, turns


def test_trade_invariants_under_random_modifiers(rules):
    net = rules.network
    L, N, C = len(net.lanes), len(net.nodes), len(net.commodities)
    stockpiles = [i for i, n in enumerate(net.nodes) if n.kind == "stockpile"]

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
    @given(situations(L, N, stockpiles, list(range(C))))
    def check(sit):
        factors, headroom, ration, release, shrink, turns = sit
        state = initial_state(rules, np.random.default_rng(0))
        # Random starting stocks: some nodes nearly empty, some overfull.
        state.inventory = [[v * shrink[n] for v in row] for n, row in enumerate(state.inventory)]
        for _ in range(turns):
            mods = Modifiers(list(factors), [lane.priority for lane in net.lanes], list(headroom))
            mods.ration.update(ration)
            mods.release.update(release)
            before = [s + t for s, t in zip(stock_by_commodity(state, C), in_transit(rules, state, C))]
            room = spot_headroom(rules, state, mods)
            out = step_trade(net, state, mods, room)
            after = [s + t for s, t in zip(stock_by_commodity(state, C), in_transit(rules, state, C))]
            # No negative stock anywhere, nothing negative in transit.
            assert min(min(row) for row in state.inventory) >= -EPS
            assert min(min(p) if p else 0.0 for p in state.pipeline) >= -EPS
            # Flows within capacity: the licensed, scaled capacity plus spot headroom.
            for i, lane in enumerate(net.lanes):
                if net.nodes[lane.src].kind == "stockpile":
                    assert out.shipped[i] <= state.lane_capacity[i] + EPS
                else:
                    cap = state.lane_capacity[i] * factors[i] * lane.approval * (1.0 + room[i])
                    assert out.shipped[i] <= cap + EPS
            # Stockpiles release no more than the release allows.
            for n in stockpiles:
                for c in range(C):
                    sent = sum(out.shipped[i] for i, lane in enumerate(net.lanes)
                               if lane.src == n and lane.commodity == c)
                    assert sent <= release.get((n, c), 0.0) + EPS
            # Material is conserved: stock + transit changes only by production and consumption.
            for c in range(C):
                produced = sum(row[c] for row in out.produced)
                consumed = sum(row[c] for row in out.consumed)
                assert after[c] == __import__("pytest").approx(before[c] + produced - consumed, rel=1e-9, abs=1e-6)

    check()


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10_000), turns=st.integers(1, 12))
def test_whole_games_with_random_legal_moves_keep_stock_non_negative(rules, seed, turns):
    model = WargameModel(rules, rng=seed, policies={a: "random" for a in rules.actors}, turns=turns)
    while model.running:
        model.step()
        assert min(min(row) for row in model.state.inventory) >= -EPS
        assert 0.0 <= model.state.tension <= rules.politics["tension_max"]
        assert 0.0 <= model.state.cohesion <= 1.0
        assert all(0.0 <= p <= 1.0 for p in model.state.pressure.values())
        assert all(-1.0 <= r <= 1.0 for r in model.state.relations.values())
        assert all(v >= 0.0 for v in model.state.capital.values())
        assert all(0.0 <= v <= 1.0 for v in model.state.indicators["sector_output"].values())
