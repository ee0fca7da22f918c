"""Table-driven tests of move legality and effects on the default ruleset."""

from __future__ import annotations

import pytest

from wargame.model import WargameModel
from wargame.moves import adjudicate, legal_moves, modifiers, why_illegal
from wargame.indicators import baseline, in_sentence
from wargame.state import initial_state

import numpy as np


def fresh(rules, **changes):
    state = initial_state(rules, np.random.default_rng(0))
    state.indicators = baseline(rules, state)
    for key, value in changes.items():
        setattr(state, key, value)
    return state


def activate(state, move, actor):
    state.active = state.active + [{"move": move, "actor": actor, "since": 0, "until": None}]


# (actor, move, setup, expected: None for legal or words in the reason)
LEGALITY = [
    ("beijing", "dual_use_export_ban", {}, None),
    ("tokyo", "dual_use_export_ban", {}, "belongs to Beijing, not Tokyo"),
    ("tokyo", "cut_output", {}, "belongs to Japanese magnet makers, Japanese automakers, Japanese electronics makers, "
                                "Japanese industrial-machinery makers and Japanese defence industry, not Tokyo"),
    ("beijing", "full_export_embargo", {"tension": 3.0}, "requires tension at least 4.5"),
    ("beijing", "full_export_embargo", {"tension": 5.0}, None),
    ("cn_exporters", "no_new_contracts", {"tension": 3.0}, "requires tension at least 4"),
    ("cn_exporters", "no_new_contracts", {"tension": 4.0}, None),
    ("cn_exporters", "terminate_contracts", {"_active": [("dual_use_export_ban", "beijing")]},
     "requires 'Sign no new rare-earth contracts with Japanese buyers' is in force"),
    ("beijing", "resume_licence_reviews", {}, "requires any of"),
    ("beijing", "resume_licence_reviews", {"_active": [("halt_licence_reviews", "beijing")]}, None),
    ("beijing", "halt_licence_reviews", {"_active": [("halt_licence_reviews", "beijing")]}, "already in force"),
    ("tokyo", "leaders_summit", {}, "requires 'Open back-channel talks' has been played (in public or by Tokyo)"),
    # Beijing's secret talks do not make the summit legal for Tokyo: that would tell Tokyo about them.
    ("tokyo", "leaders_summit", {"last_played": {"back_channel_talks": 1},
                                 "last_played_by": {"beijing/back_channel_talks": 1}}, "has been played"),
    ("tokyo", "leaders_summit", {"last_played_by": {"tokyo/back_channel_talks": 1}, "tension": 7.0},
     "tension at most 6.5"),
    ("tokyo", "leaders_summit", {"last_played_by": {"tokyo/back_channel_talks": 1}}, None),
    ("tokyo", "retract_taiwan_remarks", {"capital": {"tokyo": 3.0}}, "needs 10 political capital; Tokyo has 3.0"),
    ("tokyo", "lynas_offtake", {"uses": {"tokyo/lynas_offtake": 1}}, "may be played only once a game"),
    ("beijing", "state_media_warning", {"turn": 4, "last_played_by": {"beijing/state_media_warning": 4}},
     "last played on turn 4; may be played again from turn 7"),
    ("beijing", "state_media_warning", {"turn": 6, "last_played_by": {"beijing/state_media_warning": 4}}, None),
    ("jp_automakers", "cut_output", {}, f"requires {in_sentence('japan_supply_index')} at most 0.8"),
    ("jp_automakers", "cut_output", {"indicators": {"japan_supply_index": 0.5}}, None),
    ("jp_automakers", "no_such_move", {}, "unknown move"),
]


@pytest.mark.parametrize("actor,move,setup,expected", LEGALITY, ids=[f"{a}:{m}:{i}" for i, (a, m, _, _) in
                                                                      enumerate(LEGALITY)])
def test_legality(rules, actor, move, setup, expected):
    setup = dict(setup)
    active = setup.pop("_active", [])
    if "capital" in setup:
        setup["capital"] = {**fresh(rules).capital, **setup["capital"]}
    state = fresh(rules, **setup)
    for m, a in active:
        activate(state, m, a)
    reason = why_illegal(rules, state, actor, move)
    if expected is None:
        assert reason is None
        assert move in legal_moves(rules, state, actor)
    else:
        assert reason is not None and expected in reason
        assert move not in legal_moves(rules, state, actor)


def lanes(rules, **where):
    return [i for i, lane in enumerate(rules.network.lanes)
            if all(getattr(lane, k) == v if not isinstance(v, set) else v & lane.tags for k, v in where.items())]


# (actor, move, lanes selector, expected factor on those lanes while the move is in force)
FLOW_EFFECTS = [
    ("beijing", "halt_licence_reviews", {"src_country": "CN", "dst_country": "JP", "licensed": True}, 0.0),
    ("beijing", "tighten_licence_review", {"src_country": "CN", "dst_country": "JP", "licensed": True}, 0.5),
    ("beijing", "full_export_embargo", {"src_country": "CN", "dst_country": "JP"}, 0.0),
    ("cn_exporters", "no_new_contracts", {"src_country": "CN", "dst_country": "JP"}, 0.6),
    ("beijing", "enforce_transshipment_ban", {"dst_country": "JP", "tags": {"cn_origin"}}, 0.0),
]


@pytest.mark.parametrize("actor,move,where,factor", FLOW_EFFECTS, ids=[m for _, m, _, _ in FLOW_EFFECTS])
def test_flow_effects_while_in_force(rules, actor, move, where, factor):
    state = fresh(rules, tension=5.0)
    activate(state, "dual_use_export_ban", "beijing")
    state.active = [a for a in state.active if a["move"] != move]
    result = adjudicate(rules, state, {actor: [move]})
    assert result.accepted[actor] == [move]
    mods = modifiers(rules, state)
    chosen = lanes(rules, **where)
    assert chosen
    ban = 0.85 if move != "dual_use_export_ban" else 1.0  # the dual-use ban in force scales licensed lanes too
    for i in chosen:
        expected = factor * (ban if rules.network.lanes[i].licensed else 1.0)
        if "military" in rules.network.lanes[i].tags:
            expected = 0.0
        assert mods.lane_factor[i] == pytest.approx(expected)
    others = [i for i in range(len(rules.network.lanes)) if i not in chosen and rules.network.lanes[i].src_country != "CN"]
    assert all(mods.lane_factor[i] == 1.0 for i in others)


def test_halting_reviews_stops_licensed_shipments_to_japan(rules):
    model = WargameModel(rules, rng=1, policies={a: "hold" for a in rules.actors})
    model.actors["beijing"].policy.__class__  # noqa: B018 - holds until scripted below
    model.step()
    licensed = lanes(rules, src_country="CN", dst_country="JP", licensed=True)
    model.state.active.append({"move": "halt_licence_reviews", "actor": "beijing", "since": 1, "until": None})
    model.step()
    # Nothing new leaves China for Japan on licensed lanes; what was already at sea still arrives.
    assert all(model.state.pipeline[i][-1] == 0.0 for i in licensed)


def test_cancelling_move_ends_the_restriction(rules):
    state = fresh(rules)
    adjudicate(rules, state, {"beijing": ["halt_licence_reviews"]})
    assert state.is_active("halt_licence_reviews")
    state.turn = 1
    adjudicate(rules, state, {"beijing": ["resume_licence_reviews"]})
    assert not state.is_active("halt_licence_reviews")
    assert all(f == 1.0 for f in modifiers(rules, state).lane_factor)


def test_capacity_project_arrives_after_its_lead_time(rules):
    model = WargameModel(rules, rng=2, policies={a: "hold" for a in rules.actors})
    node = rules.network.node_index["jp_magnet_makers"]
    before = model.state.node_capacity[node]
    from wargame.moves import adjudicate as adj
    adj(rules, model.state, {"tokyo": ["fund_domestic_magnet_plant"]})
    arrives = model.state.projects[0]["arrives"]
    assert arrives - 1 >= 130  # a magnet plant takes at least 2.5 years of weekly turns
    model.state.turn = arrives - 3
    model.step()
    assert model.turn == arrives - 1 and model.state.node_capacity[node] == before
    model.step()
    assert model.turn == arrives and model.state.node_capacity[node] == before + 40


# (move, actor, variable, expected change, setup)
POLITICAL = [
    ("g7_joint_statement", "g7", "cohesion", lambda r: 0.08, {}),
    ("decline_business_delegation", "beijing", "pressure.tokyo", lambda r: 0.05, {}),
    ("retract_taiwan_remarks", "tokyo", "relation", lambda r: 0.4, {"pressure": {"tokyo": 0.6}}),
    ("dual_use_export_ban", "beijing", "tension", lambda r: 3 * r.politics["per_severity"], {}),
]


@pytest.mark.parametrize("move,actor,var,change,setup", POLITICAL, ids=[p[0] for p in POLITICAL])
def test_political_effects(rules, move, actor, var, change, setup):
    state = fresh(rules)
    for key, value in setup.items():
        getattr(state, key).update(value)

    def read(s):
        if var == "cohesion":
            return s.cohesion
        if var == "tension":
            return s.tension
        if var == "relation":
            return s.relation("beijing", "tokyo")
        return s.pressure[var.split(".")[1]]

    before = read(state)
    result = adjudicate(rules, state, {actor: [move]})
    assert result.accepted[actor] == [move]
    assert read(state) - before == pytest.approx(change(rules))


def test_japan_concedes_only_under_pressure_while_beijing_coerces(rules):
    state = fresh(rules)
    assert "requires domestic pressure on Tokyo at least 0.5" in why_illegal(rules, state, "tokyo",
                                                                            "retract_taiwan_remarks")
    state.pressure["tokyo"] = 0.6
    assert why_illegal(rules, state, "tokyo", "retract_taiwan_remarks") is None
    state.active = []
    assert (why_illegal(rules, state, "tokyo", "retract_taiwan_remarks")
            == "requires at least one coercion move in force by Beijing")


def test_simultaneous_moves_are_judged_on_the_state_before_the_turn(rules):
    state = fresh(rules)
    # Beijing cannot resume reviews it halts in the same turn: moves see the state before the turn.
    result = adjudicate(rules, state, {"beijing": ["halt_licence_reviews", "resume_licence_reviews"]})
    assert result.accepted["beijing"] == ["halt_licence_reviews"]
    assert result.rejected["beijing"][0][0] == "resume_licence_reviews"
    state.turn = 1
    result = adjudicate(rules, state, {"cn_exporters": ["no_new_contracts", "terminate_contracts"]})
    assert result.accepted["cn_exporters"] == ["no_new_contracts"]


def test_moves_per_turn_and_capital_are_enforced(rules):
    state = fresh(rules)
    result = adjudicate(rules, state, {"washington": ["us_security_statement", "us_mediation"]})
    assert result.accepted["washington"] == ["us_security_statement"]
    assert result.rejected["washington"][0][1] == "Washington may play at most 1 move a turn"
    played = next(e for e in result.events if e.kind == "rejected")
    assert played.text == f"{rules.moves['us_mediation'].name} not played: Washington may play at most 1 move a turn"


# A turn's set of moves as a whole: (actor, orders, the move refused, the reason). The engine's log, the API a
# front end checks orders with, and the move screen give the same reason.
SET_LIMITS = [
    ("washington", ["us_security_statement", "us_mediation"], "us_mediation",
     "Washington may play at most 1 move a turn"),
    ("tokyo", ["demarche", "demarche"], "demarche", "the same move is chosen twice"),
    ("tokyo", ["deep_sea_mud_programme", "lynas_offtake"], "lynas_offtake",
     "these moves cost 5 political capital; Tokyo has 3.0"),
]


@pytest.mark.parametrize("actor, orders, refused, reason", SET_LIMITS, ids=[r for *_, r in SET_LIMITS])
def test_the_limits_on_a_turns_moves_are_worded_alike_by_the_log_and_the_api(rules, actor, orders, refused, reason):
    state = fresh(rules)
    state.capital["tokyo"] = 3.0
    result = adjudicate(rules, state, {actor: orders})
    assert result.rejected[actor] == [(refused, reason)]
    game = WargameModel(rules, rng=0, humans=(actor,))
    game.state.capital["tokyo"] = 3.0
    assert reason in game.order_problems(actor, orders)


# Capacity a move builds: what the move's description says about a game of a given length, against when the
# engine brings the capacity on line. (move, index of the capacity_project effect, game length, turn played)
CAPACITY_TIMING = [
    ("lynas_offtake", 0, 10, 4),                  # lead time 6: the latest turn it still arrives in play
    ("lynas_offtake", 0, 10, 5),                  # one turn later it arrives after the game
    ("lynas_offtake", 1, 12, 4),                  # lead time 8
    ("lynas_heavy_retrofit", 0, 52, 1),           # lead time 52: after the game even on turn 1
    ("fund_domestic_magnet_plant", 0, 52, 1),     # lead time 143
    ("fund_domestic_magnet_plant", 0, 150, 7),    # ... in a longer game, in play if played by turn 7
    ("fund_domestic_magnet_plant", 0, 150, 8),
]


@pytest.mark.parametrize("move_id,index,turns,played", CAPACITY_TIMING,
                         ids=[f"{m}[{i}]:{t}-turn game:turn {p}" for m, i, t, p in CAPACITY_TIMING])
def test_a_moves_description_says_whether_the_capacity_it_builds_arrives_in_the_game(rules, move_id, index, turns,
                                                                                       played):
    from wargame.effects import CapacityProject
    from wargame.render import move_lines
    from wargame.scripts import script_from_text

    move = rules.moves[move_id]
    project = [e for e in move.effects["tokyo"] if isinstance(e, CapacityProject)][index]
    model = WargameModel(rules, rng=0, turns=turns,
                         script=script_from_text(f"hold: all\nturns:\n  {played}: {{tokyo: [{move_id}]}}\n", rules))
    model.run()
    assert model.state.turn == turns and model.state.uses.get(f"tokyo/{move_id}") == 1
    net = rules.network
    if project.node is not None:
        where = f"capacity on line at {net.nodes[project.node].name}"
    else:
        lane = net.lanes[project.lane]
        where = (f"{net.commodities[lane.commodity].label} capacity on line on {net.nodes[lane.src].name} → "
                 f"{net.nodes[lane.dst].name}")
    # On line for the turn the event is dated: a turn of the game, or the one after its last.
    arrived = any(e.kind == "project" and e.turn <= turns and e.text.startswith(f"new {where}:")
                  and f"+{project.amount:g} t/turn" in e.text for e in model.events)
    effect_line = next(line for line in move_lines(rules, move, "tokyo", last_turn=turns)
                       if project.describe() in line)
    if project.lead_time >= turns:
        assert f"arrives after a {turns}-turn game has ended, whenever it is played" in effect_line
        assert not arrived
    else:
        latest = turns - project.lead_time
        assert f"in a {turns}-turn game, arrives in play only if played by turn {latest}" in effect_line
        assert arrived == (played <= latest)


def test_the_move_catalogue_tells_of_capacity_beyond_the_rulesets_game(rules):
    from wargame.render import move_lines

    lines = move_lines(rules, rules.moves["fund_domestic_magnet_plant"], "tokyo")
    assert any("after a lead time of 143 turns — arrives after a 52-turn game has ended, whenever it is played"
               in line for line in lines), lines


# (actor, move, the limit line of its description)
LIMITS = [
    ("tokyo", "lynas_offtake", "    limit: once a game"),
    ("tokyo", "formal_protest", "    limit: not again for 3 turns after it is played"),
    ("beijing", "leaders_summit", "    limit: not again for 8 turns after it is played"),
    ("beijing", "dual_use_export_ban", None),
]


@pytest.mark.parametrize("actor,move_id,expected", LIMITS, ids=[m for _, m, _ in LIMITS])
def test_a_moves_description_gives_the_limits_the_engine_applies(rules, actor, move_id, expected):
    from wargame.render import move_lines

    move = rules.moves[move_id]
    limits = [line for line in move_lines(rules, move, actor) if line.startswith("    limit:")]
    assert limits == ([expected] if expected else [])
    key = f"{actor}/{move_id}"
    if move.cooldown:
        # Played on turn 1: refused for the turns the description names, allowed on the one after.
        for turn in range(1, move.cooldown + 1):
            reason = why_illegal(rules, fresh(rules, turn=turn, last_played_by={key: 1}), actor, move_id) or ""
            assert reason == f"last played on turn 1; may be played again from turn {move.cooldown + 2}"
        reason = why_illegal(rules, fresh(rules, turn=move.cooldown + 1, last_played_by={key: 1}), actor, move_id)
        assert "last played" not in (reason or "")
    if move.max_uses == 1:
        assert why_illegal(rules, fresh(rules, uses={key: 1}), actor, move_id) == "may be played only once a game"


def test_capacity_with_no_lead_time_is_announced_for_the_turn_it_comes_on_line(default_text):
    from wargame.ruleset import ruleset_from_text
    from wargame.scripts import script_from_text

    old = "edge: lynas_jp_alloy, commodity: ndpr, amount: 30, lead_time: 6}"
    assert old in default_text
    rules = ruleset_from_text(default_text.replace(old, old.replace("lead_time: 6", "lead_time: 0")), "zero.yaml")
    model = WargameModel(rules, rng=0, turns=3,
                         script=script_from_text("hold: all\nturns:\n  2: {tokyo: [lynas_offtake]}\n", rules))
    model.run()
    lynas = "NdPr capacity on Lynas Malaysia (Kuantan) → Japanese alloy makers (Santoku, Shin-Etsu)"
    announced = [e for e in model.events if e.text.startswith(f"new {lynas}:")]
    on_line = [e for e in model.events if e.kind == "project" and "+30 t/turn" in e.text]
    # Built on turn 2, it is on line between turns 2 and 3: the announcement names turn 3, as the engine plays it.
    assert [e.text for e in announced] == [f"new {lynas}: +30 t/turn from turn 3"]
    assert [e.turn for e in on_line] == [3]


# A condition is read by players (a refused move's reason, the catalogue, describe): it names moves, actors and
# indicators as players know them. (condition, the actor whose move it is, the text)
CONDITION_TEXTS = [
    ({"played": "back_channel_talks"}, "tokyo", "'Open back-channel talks' has been played (in public or by Tokyo)"),
    ({"played": "retract_taiwan_remarks"}, None, "'Withdraw the Prime Minister's Taiwan remarks' has been played"),
    ({"not_played": "wto_case"}, None, "'File a WTO case against the export restrictions' has not been played"),
    ({"active": "no_new_contracts"}, None, "'Sign no new rare-earth contracts with Japanese buyers' is in force"),
    ({"not_active": "no_new_contracts"}, None, "'Sign no new rare-earth contracts with Japanese buyers' is not in "
                                               "force"),
    ({"relation": {"between": ["beijing", "tokyo"], "min": 0}}, None, "relations Beijing–Tokyo at least 0"),
    ({"pressure": {"actor": "tokyo", "min": 0.5}}, None, "domestic pressure on Tokyo at least 0.5"),
    ({"pressure": {"max": 0.3}}, "washington", "domestic pressure on Washington at most 0.3"),
    ({"active_family": {"family": "friend_shoring", "actor": "g7", "min": 1}}, None,
     "at least one friend-shoring move in force by the G7"),
    ({"active_family": {"family": "coercion", "max": 0}}, None, "no coercion moves in force"),
    ({"active_family": {"family": "coercion", "actor": "beijing", "max": 1}}, None,
     "at most one coercion move in force by Beijing"),
    ({"active_family": {"family": "coercion", "min": 2, "max": 3}}, None, "between 2 and 3 coercion moves in force"),
    ({"active_family": {"family": "coercion", "min": 2}}, None, "at least 2 coercion moves in force"),
    ({"indicator": {"name": "japan_supply_index", "max": 0.8}}, None, f"{in_sentence('japan_supply_index')} at most 0.8"),
    ({"not": {"active": "wto_case"}}, None, "not ('File a WTO case against the export restrictions' is in force)"),
]


@pytest.mark.parametrize("raw,actor,expected", CONDITION_TEXTS, ids=[next(iter(c[0])) + f"-{i}" for i, c in
                                                                    enumerate(CONDITION_TEXTS)])
def test_a_condition_names_moves_and_actors_as_players_know_them(rules, raw, actor, expected):
    from wargame.conditions import Names, compile_condition
    from wargame.reader import Reader
    from wargame.ruleset import FAMILIES, INDICATORS
    from wargame.yamlio import Document

    names = Names(frozenset(rules.moves), frozenset(rules.actors), frozenset(FAMILIES), frozenset(INDICATORS),
                  frozenset(rules.governments), {m.id: m.name for m in rules.moves.values()},
                  {a.id: a.name for a in rules.actors.values()})
    reader = Reader(Document(raw, "<test>"))
    condition = compile_condition(reader, raw, (), names, actor)
    assert reader.problems == [] and condition.text == expected


@pytest.mark.parametrize("ruleset", ["rare_earths_2026", "hawkish_beijing", "disengaged_washington",
                                     "japan_180_day_stockpile"])
def test_no_condition_of_a_bundled_ruleset_shows_an_id(ruleset):
    import re

    from wargame.ruleset import DEFAULT_RULESET, INDICATORS, load_ruleset

    rules = load_ruleset(DEFAULT_RULESET.parent / f"{ruleset}.yaml")
    ids = set(rules.moves) | {a for a, spec in rules.actors.items() if spec.name != a} | \
        {i for i in INDICATORS if "_" in i}
    texts = {c.text for m in rules.moves.values() for a in m.actors for c in m.conditions_for(a)} | \
        {c.text for o in rules.outcomes for c in o.when}
    assert texts
    for text in texts:
        assert not set(re.findall(r"\w+", text)) & ids, text


# An effect's words are read in the move catalogue, the log and the instructor's screen: they name actors, nodes,
# countries and commodities as the ruleset names them. (effect as written in a ruleset, its words)
EFFECT_TEXTS = [
    ({"op": "adjust", "var": "relation", "between": ["beijing", "tokyo"], "by": -0.1}, "relations Beijing–Tokyo -0.1"),
    ({"op": "adjust", "var": "pressure", "actor": "tokyo", "by": 0.05}, "domestic pressure on Tokyo +0.05"),
    ({"op": "capacity_project", "node": "my_lynas", "amount": 40, "lead_time": 52},
     "adds 40 t a turn of capacity at Lynas Malaysia (Kuantan) after a lead time of 52 turns"),
    ({"op": "capacity_project", "edge": "lynas_jp_alloy", "commodity": "ndpr", "amount": 30, "lead_time": 6},
     "adds 30 t a turn of NdPr capacity on Lynas Malaysia (Kuantan) → Japanese alloy makers (Santoku, Shin-Etsu) "
     "after a lead time of 6 turns"),
    ({"op": "release_stockpile", "node": "jp_jogmec_stockpile", "rate": {"ndpr": 28, "dytb": 2.6}},
     "releases up to 28 t NdPr, 2.6 t Dy/Tb a turn from JOGMEC national stockpile"),
    ({"op": "scale_flow", "match": {"from_country": "CN", "to_country": "JP", "tags": ["civilian", "licensed"]},
      "factor": 1.15}, "scales flows from China to Japan tagged civilian or licensed to 115% of normal"),
    ({"op": "spot_buying", "match": {"to_country": "JP", "from_country": ["MY", "US", "VN"]}, "headroom": 0.3},
     "lets flows from Malaysia, United States or Vietnam to Japan carry up to 30% more when supply allows"),
    ({"op": "set_priority", "match": {"from": "my_lynas", "to": ["jp_alloy"], "commodity": ["ndpr", "dytb"]},
      "priority": 0}, "moves NdPr or Dy/Tb flows from Lynas Malaysia (Kuantan) to Japanese alloy makers (Santoku, "
                      "Shin-Etsu) to priority 0 (lower is served first)"),
    ({"op": "scale_flow", "match": {"to_country": "JP", "tags": ["dual_use"]}, "factor": 0.9},
     "scales flows to Japan tagged dual-use to 90% of normal"),
    ({"op": "scale_flow", "match": {"edges": ["cn_ore_vn"]}, "factor": 0.3},
     "scales flows on Chinese mines (Bayan Obo, southern ionic clays) → Vietnamese separation to 30% of normal"),
    ({"op": "ration", "nodes": ["jp_defence"], "factor": 0.75},
     "cuts use of inputs at Defence industry to 75%, stretching stocks at the price of output"),
    ({"op": "draw_reserve", "nodes": ["jp_autos_ev", "jp_defence"]},
     "lets Autos and EV motors and Defence industry draw down the safety stocks normally kept in reserve"),
    # Node names hold commas of their own: a list of three is kept apart by semicolons.
    ({"op": "substitute", "nodes": ["jp_autos_ev", "jp_industrial", "jp_electronics"], "commodity": ["magnet"],
      "per_year": 0.02}, "substitutes away from magnets at Autos and EV motors; Industrial motors, HVAC and wind and "
                         "Electronics and semiconductors at 2% of demand a year"),
    ({"op": "price_floor", "commodity": "ndpr", "usd_per_kg": 110},
     "guarantees NdPr sellers outside China at least $110/kg, so they offer more on the spot market"),
    ({"op": "direct_loss", "country": "JP", "jpy_per_turn": 1.5e9}, "costs Japan ¥1.5 bn a turn in lost trade and "
                                                                    "tourism"),
]


@pytest.mark.parametrize("raw,expected", EFFECT_TEXTS, ids=[f"{e[0]['op']}-{i}" for i, e in enumerate(EFFECT_TEXTS)])
def test_an_effect_names_what_it_acts_on_as_players_know_it(rules, default_text, raw, expected):
    import json

    from wargame.instructor import compile_effects
    from wargame.ruleset import ruleset_from_text

    # As an instructor writes it during a game...
    (effect,) = compile_effects(rules, raw)
    assert effect.describe() == expected
    # ...and as a move of the ruleset has it (the full embargo, an open-ended move, gets it before its last effect).
    last = "      - {op: adjust, var: cohesion, by: 0.08}\n  seafood_import_ban:\n"
    assert last in default_text
    edited = ruleset_from_text(default_text.replace(last, f"      - {json.dumps(raw)}\n" + last, 1), "edited.yaml")
    assert edited.moves["full_export_embargo"].effects["beijing"][-2].describe() == expected


@pytest.mark.parametrize("ruleset", ["rare_earths_2026", "hawkish_beijing", "disengaged_washington",
                                     "japan_180_day_stockpile"])
def test_no_effect_of_a_bundled_ruleset_shows_an_id(ruleset):
    import re

    from wargame.ruleset import DEFAULT_RULESET, load_ruleset

    rules = load_ruleset(DEFAULT_RULESET.parent / f"{ruleset}.yaml")
    net = rules.network
    names = [n.name for n in net.nodes] + [c.name for c in net.country_info.values()] + \
        [c.label for c in net.commodities] + [a.name for a in rules.actors.values()]
    # An id that is a word of some name ('G7') cannot be told from the name.
    tags = {t for lane in net.lanes for t in lane.tags if "_" in t}
    ids = (set(net.node_ids) | set(net.countries) | set(net.commodity_ids) | set(net.edge_ids) | set(rules.actors)
           | tags) - {w for name in names for w in re.findall(r"[\w/]+", name)}
    effects = [e for m in rules.moves.values() for a in m.actors for e in m.effects[a]] + \
        [e for inject in rules.injects.values() for e in inject.effects]
    assert effects
    for effect in effects:
        text = effect.describe()
        assert not set(re.findall(r"\w+", text)) & ids, text


@pytest.mark.parametrize("move_id, duration, lasting, in_the_log", [
    ("state_media_warning", 0, "one-off", None),
    ("release_national_stockpile", None, "until cancelled", "(until cancelled)"),
    ("release_national_stockpile", 1, "for 1 turn", "(for 1 turn)"),
    ("release_national_stockpile", 6, "for 6 turns", "(for 6 turns)"),
])
def test_how_long_a_move_lasts_is_worded_alike_in_the_catalogue_describe_and_the_log(tmp_path, move_id, duration,
                                                                                      lasting, in_the_log):
    from wargame.describe import describe
    from wargame.render import move_lines
    from wargame.ruleset import DEFAULT_RULESET, load_ruleset
    from wargame.scripts import script_from_text

    variant = tmp_path / "v.yaml"
    variant.write_text(f"extends: {DEFAULT_RULESET}\nmoves:\n  {move_id}: "
                       f"{{duration: {'open' if duration is None else duration}}}\n")
    rules = load_ruleset(variant)
    move = rules.moves[move_id]
    actor = move.actors[0]
    assert move.lasting == lasting
    assert f", {lasting}, " in move_lines(rules, move)[0]
    assert f"| {lasting} |" in next(line for line in describe(rules).splitlines() if f"| {move_id} |" in line)
    script = script_from_text(f"hold: all\nturns:\n  1: {{{actor}: [{move_id}]}}\n", rules)
    game = WargameModel(rules, rng=0, turns=1, script=script)
    game.run()
    assert game.reports[0].orders[actor] == [move_id]
    said = [e.text for e in game.events if e.move == move_id and e.kind == "effect"]
    if in_the_log is None:
        assert not any("(for" in t or "(until" in t for t in said)
    else:
        assert said and all(t.endswith(in_the_log) for t in said)


def test_effects_and_conditions_name_an_actor_called_the_something_in_lower_case_inside_their_text(rules):
    assert rules.actors["g7"].name == "The G7"           # as a list or a heading names it
    summit = [e.describe() for e in rules.injects["g7_summit_communique"].effects]
    assert "relations Beijing–the G7 -0.05" in summit
    assert rules.names.actor("g7") == "the G7" and rules.names.actor("tokyo") == "Tokyo"
