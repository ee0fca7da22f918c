"""wargame/views.py: what each player's screens are built from — and what must stay out of them — plus the
`wargame play` command's handling of bad arguments."""

from __future__ import annotations

import pytest

from conftest import run_cli

from wargame import WargameModel
from wargame.observation import PUBLIC_INDICATORS
from wargame.views import EdgeRow, edge_rows, hawk_or_dove, move_options, objective_standings, own_stock_history, public_history, \
    turn_summary


def game(humans=("beijing", "tokyo"), others: str | None = None) -> WargameModel:
    """A game with these players; `others` names one policy for every other actor (default: their own)."""
    model = WargameModel(rng=9, humans=humans, turns=10)
    if others is None:
        return model
    return WargameModel(rng=9, humans=humans, turns=10,
                        policies={a: others for a in model.rules.actor_ids if a not in humans})


def test_history_holds_only_public_indicators_and_keeps_the_opening():
    model = game()
    opening = dict(model.state.indicators)
    assert "pressure" in opening                                  # the engine records private figures too...
    model.step()
    model.step()
    history = public_history(model, opening)
    assert len(history) == 3 and history[0]["turn"] == 0 and history[-1]["turn"] == 2
    for row in history:
        assert set(row) <= set(PUBLIC_INDICATORS)                 # ...which a player's charts never show


def test_stocks_are_only_the_players_own():
    model = WargameModel(rng=9, humans=("jp_automakers",), turns=10)
    model.step()
    stocks = own_stock_history(model, "jp_automakers")
    assert stocks and {node for node, _ in stocks} == set(model.rules.actors["jp_automakers"].nodes)
    assert all(len(values) == 1 for values in stocks.values())   # one turn's record so far
    assert own_stock_history(model, None) == {}
    assert own_stock_history(model, "tokyo") == {}                # a government with no plants of its own


def test_a_private_move_shows_only_in_its_players_view():
    model = game()
    model.submit("beijing", ["back_channel_talks"])
    model.submit("tokyo", [])
    model.step()
    seen = {actor: turn_summary(model, actor) for actor in ("beijing", "tokyo", None)}
    assert seen["beijing"].accepted == (model.rules.moves["back_channel_talks"].name,)
    assert any(e.move == "back_channel_talks" for e in seen["beijing"].events)
    for other in ("tokyo", None):
        assert not any(e.move == "back_channel_talks" and e.actor == "beijing" for e in seen[other].events)
        assert seen[other].accepted == ()


def test_objectives_say_which_way_is_better_and_how_last_turn_went():
    model = game()
    opening = dict(model.state.indicators)
    model.step()
    standings = {s.objective: s for s in objective_standings(model, "tokyo", opening)}
    weights = model.rules.actors["tokyo"].objectives
    assert set(standings) == {k for k, w in weights.items() if w}
    tension = standings["tension"]
    assert weights["tension"] < 0 and tension.wants == "lower"
    assert tension.value == model.state.indicators["tension"]
    assert tension.change == -(model.state.indicators["tension"] - opening["tension"])
    assert standings["pressure"].value == model.observe("tokyo").pressure


def test_the_trade_table_shows_licence_state_from_moves_in_force():
    model = game(humans=("beijing",), others="hold")
    before = {(r.edge, r.commodity): r for r in edge_rows(model, "tokyo")}
    model.submit("beijing", ["tighten_licence_review"])
    model.step()
    after = {(r.edge, r.commodity): r for r in edge_rows(model, "tokyo")}
    tightened = [k for k, r in after.items() if r.factor < before[k].factor]
    assert tightened and all(after[k].src_country == "CN" and after[k].dst_country == "JP" for k in tightened)
    move = model.rules.moves["tighten_licence_review"].name
    assert all(move in after[k].moves for k in tightened)
    # Every route shows what the engine shipped on it last turn, transit time or not.
    lanes = model.rules.network.lanes
    shipped = {(lane.edge, lane.commodity_name): model.state.flows[i] for i, lane in enumerate(lanes)}
    assert all(r.flow == shipped[(r.edge, r.commodity)] for r in after.values())
    assert any(r.lead_time == 0 and r.flow > 0 for r in after.values())


# (case, capacity, approval, last turn's flow, share of normal expected)
SHARES = [
    ("a route at its normal flow", 32.0, 1.0, 32.0, 1.0),
    ("a licensed route above its normal flow", 5.46, 0.85, 5.1051, 1.1),
    ("a route that carried nothing", 15.0, 1.0, 0.0, 0.0),
    ("a small real route", 0.84, 1.0, 0.42, 0.5),
    ("a token route (0.001 t) that carried a token", 0.001, 1.0, 0.00115, None),
    ("a token route that carried nothing", 0.001, 1.0, 0.0, None),
    ("a route with no capacity", 0.0, 1.0, 0.0, None),
    ("a route whose licences are all refused", 5.0, 0.0, 0.0, None),
    ("a game saved before flows were kept", 32.0, 1.0, None, None),
]


@pytest.mark.parametrize("case,capacity,approval,flow,share", SHARES, ids=[c[0] for c in SHARES])
def test_a_share_of_normal_only_where_there_is_a_normal_flow(case, capacity, approval, flow, share):
    row = EdgeRow("e", "a", "b", "dytb", capacity, approval < 1, approval, 1.0, (), flow, 3, "MY", "JP")
    if share is None:
        assert row.utilisation is None
    else:
        assert row.utilisation == pytest.approx(share)


def test_no_route_of_the_default_game_shows_a_share_of_a_token_normal_flow():
    model = WargameModel(rng=7, humans=("tokyo",), turns=5)
    model.submit("tokyo", [])
    model.step()
    rows = {(r.src, r.dst, r.commodity): r for r in edge_rows(model, "tokyo")}
    token = rows[("my_lynas", "jp_alloy", "dytb")]          # 0.001 t a week: it normally carries nothing
    assert token.normal < 0.05 and token.flow > token.normal
    assert token.carries_nothing_normally and token.utilisation is None
    for r in rows.values():
        assert (r.utilisation is None) == (r.normal < 0.05 or r.flow is None)


def test_before_the_first_turn_routes_carry_their_contracts_and_the_stockpile_nothing():
    model = WargameModel(rng=7, humans=("tokyo",), turns=5)
    net = model.rules.network
    for r in edge_rows(model, "tokyo"):
        lane = next(ln for ln in net.lanes if ln.edge == r.edge and net.commodities[ln.commodity].id == r.commodity)
        if net.nodes[lane.src].kind == "stockpile" or lane.spot:
            assert r.flow == 0.0, r
        else:
            assert r.flow == pytest.approx(r.normal), r
    assert any(net.nodes[lane.src].kind == "stockpile" for lane in net.lanes), "test setup: a stockpile route"


def test_a_stockpile_route_is_no_contract_so_it_shows_no_share_of_normal_before_or_after_a_release():
    model = WargameModel(rng=7, humans=("tokyo",), turns=5)
    model.submit("tokyo", ["release_national_stockpile"])
    model.step()
    net = model.rules.network
    stockpile = {i for i, n in enumerate(net.nodes) if n.kind == "stockpile"}
    rows = edge_rows(model, "tokyo")
    released = [r for r in rows if net.node_index[r.src] in stockpile]
    assert released and any(r.flow > 0 for r in released)
    for r in released:
        assert r.stockpile and r.normal == 0.0 and r.utilisation is None and r.licence == "on release"
    assert not any(r.stockpile for r in rows if r not in released)


def test_move_options_explain_every_move_the_engine_refuses():
    model = game()
    options = [o for _, group in move_options(model, "tokyo") for o in group]
    assert {o.move.id for o in options} == {m.id for m in model.rules.moves_by_actor["tokyo"]}
    assert {o.move.id for o in options if o.legal} == set(model.legal_moves("tokyo"))
    for o in options:
        if not o.legal:
            assert o.reason == model.why_illegal("tokyo", o.move.id)


def test_play_refuses_an_unknown_actor_in_one_line():
    result = run_cli("play", "--as", "atlantis")
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "unknown actor 'atlantis'" in result.stderr and "tokyo" in result.stderr
    assert "Traceback" not in result.stderr


# (case, the mistakes made in the default ruleset (find, replace), more arguments to `wargame play`)
BROKEN = [
    ("schema errors, playing Tokyo", [("capacity: {magnet: 69}, priority: 0}", "capacity: {magnet: -69}, priority: 0}"),
                                      ("jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {from: jp_aloy,")],
     ["--as", "tokyo"]),
    ("a misspelt key, watching the AI", [("moves_per_turn: 2\n    temperature: 0.25",
                                          "moves_per_turn: two\n    temperature: 0.25")], []),
    ("a YAML syntax error, with a seed and turns", [("ruleset:\n", "ruleset: [\n")], ["--seed", "3", "--turns", "4"]),
]


@pytest.mark.parametrize("case,mistakes,more", BROKEN, ids=[c[0] for c in BROKEN])
def test_play_refuses_a_broken_ruleset_as_run_does(tmp_path, default_text, case, mistakes, more):
    text = default_text
    for find, replace in mistakes:
        assert find in text, f"test setup: '{find}' is not in the default ruleset"
        text = text.replace(find, replace, 1)
    path = tmp_path / "broken.yaml"
    path.write_text(text, encoding="utf-8")
    run = run_cli("run", str(path), "--turns", "1")
    # Refused before the terminal UI starts: were it to start, it would wait for keys until the timeout.
    play = run_cli("play", str(path), *more, timeout=60)
    assert run.returncode == play.returncode == 2
    assert "Traceback" not in play.stderr and play.stdout == ""
    lines = play.stderr.strip().splitlines()
    assert lines == run.stderr.strip().splitlines()
    assert len(lines) >= len(mistakes)
    for line in lines:
        assert line.startswith(f"{path}:")                  # the file,
        assert line.split(":")[1].isdigit()                 # the line of the mistake, then the key and what is wrong


def test_play_with_a_good_ruleset_still_refuses_an_unknown_actor_in_one_line():
    result = run_cli("play", "rulesets/hawkish_beijing.yaml", "--as", "atlantis", timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "unknown actor 'atlantis'" in result.stderr and "tokyo" in result.stderr


def test_the_instructors_rows_hold_every_actors_private_facts_and_coming_moves():
    from wargame.instructor import Instructor
    from wargame.views import instructor_rows

    model = game(humans=("tokyo",))
    instructor = Instructor(model)
    instructor.override("beijing", [])
    rows = {r.actor: r for r in instructor_rows(model)}
    assert set(rows) == set(model.rules.actor_ids)
    for government in model.rules.governments:
        assert rows[government].resolve == model.state.resolve[government]
        assert rows[government].pressure == model.state.pressure[government]
    assert rows["beijing"].overridden and rows["beijing"].coming == () and rows["beijing"].policy == "utility"
    assert rows["tokyo"].player and rows["tokyo"].coming is None and model.awaiting_orders() == ["tokyo"]
    instructor.override("tokyo", ["formal_protest"])
    assert model.awaiting_orders() == []
    assert {r.actor: r for r in instructor_rows(model)}["tokyo"].coming == ("formal_protest",)
    instructor.reveal("washington")
    assert [r.actor for r in instructor_rows(model) if r.revealed] == ["washington"]


@pytest.mark.parametrize(("licensed", "approval", "factor", "state"), [
    (False, 1.0, 1.0, "open"),
    (True, 0.85, 1.0, "licence 85%"),
    (True, 0.85, 0.5, "licence 85%, cut to 50%"),
    (False, 1.0, 0.0, "stopped"),
    (False, 1.0, 1.04, "eased to 104%"),            # once 'eased ×1', as if nothing had eased it
    (True, 0.85, 1.15, "licence 85%, eased to 115%"),
])
def test_a_routes_licence_state_says_how_far_moves_in_force_cut_or_ease_it(licensed, approval, factor, state):
    row = EdgeRow("e", "a", "b", "ndpr", 10.0, licensed, approval, factor, (), 10.0, 0, "CN", "JP")
    assert row.licence == state


@pytest.mark.parametrize(("resolve", "shown"), [
    (0.0, "0.00 dove"), (0.49, "0.49 dove"), (0.4949, "0.49 dove"), (0.4951, "0.50 hawk"), (0.4999, "0.50 hawk"),
    (0.5, "0.50 hawk"), (1.0, "1.00 hawk"),
])
def test_hawk_or_dove_agrees_with_the_resolve_printed_beside_it(resolve, shown):
    assert f"{resolve:.2f} {hawk_or_dove(resolve)}" == shown
