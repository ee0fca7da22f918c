"""A bad ruleset gets one clear line per problem: file, YAML path, line, and what was expected."""

from __future__ import annotations

import re

import pytest

from conftest import run_cli
from wargame.errors import RulesetError
from wargame.ruleset import ruleset_from_text

# (name, text to find in the default ruleset, replacement, expected path, expected words)
CASES = [
    ("misspelt key", "    kind: magnet\n    country: JP\n    operator: jp_magnet_makers\n    capacity: 172",
     "    kind: magnet\n    country: JP\n    operator: jp_magnet_makers\n    capacity: 172\n    cover_weks: 3",
     "nodes.jp_magnet_makers.cover_weks", "did you mean 'cover_weeks'"),
    ("missing key", "  tighten_licence_review:\n    name: \"Tighten licence reviews for medium/heavy rare earths to Japan\"\n",
     "  tighten_licence_review:\n", "moves.tighten_licence_review", "missing required key 'name'"),
    ("wrong type", "moves_per_turn: 2\n    temperature: 0.25\n    objectives: {japan_supply: -1.5",
     "moves_per_turn: two\n    temperature: 0.25\n    objectives: {japan_supply: -1.5",
     "actors.beijing.moves_per_turn", "expected a whole number, got text 'two'"),
    ("a fraction for a whole number", "moves_per_turn: 2\n    temperature: 0.25\n    objectives: {japan_supply: -1.5",
     "moves_per_turn: 2.5\n    temperature: 0.25\n    objectives: {japan_supply: -1.5",
     "actors.beijing.moves_per_turn", "expected a whole number, got 2.5"),
    ("unknown node", "jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {from: jp_aloy,",
     "edges.jp_alloy_magnets.from", "unknown node 'jp_aloy'"),
    ("unknown actor", "critical-minerals framework\"\n    actor: washington\n",
     "critical-minerals framework\"\n    actor: washingtn\n",
     "moves.us_japan_minerals_framework.actor", "unknown actor 'washingtn'"),
    # Too short for a suggestion: a short list of what there is says it instead.
    ("unknown country, with the few there are", "kind: government\n    country: G7\n",
     "kind: government\n    country: G8\n", "actors.g7.country",
     "unknown country 'G8'; expected one of: CN, JP, US, AU, MY, VN, MM, G7, ROW"),
    ("unknown commodity", "capacity: {ndpr: 49.9, dytb: 4.64}", "capacity: {ndpr: 49.9, dysprosium: 4.64}",
     "edges.jp_alloy_magnets.capacity.dysprosium", "unknown commodity 'dysprosium'"),
    ("unknown move", "cancels: [tighten_licence_review]\n    source: \"WSJ",
     "cancels: [tighten_licence_reviw]\n    source: \"WSJ",
     "moves.halt_licence_reviews.cancels[0]", "unknown move 'tighten_licence_reviw'"),
    ("unknown effect operation", "- {op: release_stockpile, node: jp_jogmec_stockpile",
     "- {op: release_stockpiles, node: jp_jogmec_stockpile",
     "moves.release_national_stockpile.effects[0].op", "unknown effect operation 'release_stockpiles'"),
    ("release from a node that is not a stockpile", "- {op: release_stockpile, node: jp_jogmec_stockpile",
     "- {op: release_stockpile, node: jp_magnet_makers", "moves.release_national_stockpile.effects[0].node",
     "node 'jp_magnet_makers' is not a stockpile"),
    ("a second China", "  MM:  {name: Myanmar, bloc: other}", "  MM:  {name: Myanmar, bloc: china}",
     "countries.MM.bloc", "expected one country with bloc 'china', but CN has it already"),
    ("negative capacity", "capacity: {magnet: 69}, priority: 0}", "capacity: {magnet: -69}, priority: 0}",
     "edges.jp_magnets_autos.capacity.magnet", "at least 0"),
    ("probability above 1", "licence: {commodities: [dytb], approval: 0.85, review_weeks: 6,\n",
     "licence: {commodities: [dytb], approval: 1.85, review_weeks: 6,\n",
     "edges.cn_sep_jp_alloy.licence.approval", "a probability between 0 and 1"),
    ("unknown condition", "requires: [{tension: {min: 4.5}}]", "requires: [{tensions: {min: 4.5}}]",
     "moves.full_export_embargo.requires[0].tensions", "unknown condition 'tensions' (did you mean 'tension'?)"),
    # a condition takes min and max, and only the settings of its own kind besides
    ("a setting of another condition", "requires: [{tension: {min: 4.5}}]",
     "requires: [{tension: {min: 4.5, actor: beijing}}]", "moves.full_export_embargo.requires[0].tension.actor",
     "unknown key 'actor'; expected min or max"),
    ("misspelt condition setting", "requires: [{indicator: {name: japan_supply_index, max: 0.8}}]",
     "requires: [{indicator: {name: japan_supply_index, maxi: 0.8}}]",
     "moves.cut_output.requires[0].indicator.maxi", "unknown key 'maxi' (did you mean 'max'?); expected name, min or max"),
    ("family setting on a pressure condition", "requires: [{pressure: {min: 0.5}},",
     "requires: [{pressure: {min: 0.5, family: coercion}},", "moves.retract_taiwan_remarks.requires[0].pressure.family",
     "unknown key 'family'; expected actor, min or max"),
    # YAML's .nan passes every range test and .inf any one-sided one: neither is a number a rule can use
    ("not a number", "shortage_convexity: 1.5", "shortage_convexity: .nan", "economy.shortage_convexity",
     "expected a number, got .nan (not a number)"),
    ("not a number in a condition", "requires: [{tension: {min: 4.5}}]", "requires: [{tension: {min: .nan}}]",
     "moves.full_export_embargo.requires[0].tension.min", "expected a number, got .nan (not a number)"),
    ("infinite", "capacity: {magnet: 69}, priority: 0}", "capacity: {magnet: .inf}, priority: 0}",
     "edges.jp_magnets_autos.capacity.magnet", "expected a number, got infinity"),
    ("operator that does not list its node", "operator: jp_automakers", "operator: jp_electronics_makers",
     "nodes.jp_autos_ev.operator", "'jp_electronics_makers' runs this node but actors.jp_electronics_makers.nodes "
                                   "does not list it"),
    # YAML takes it for a date, which does not exist: it is read as the text typed, which is not a date
    ("impossible date", "start_date: 2026-01-06", "start_date: 2026-13-06", "calendar.start_date",
     "expected a date as YYYY-MM-DD, got '2026-13-06'"),
    ("settings beside a condition", "requires: [{tension: {min: 4.5}}]", "requires: [{tension: {min: 4.5}, max: 9}]",
     "moves.full_export_embargo.requires[0]", "'max' should go under 'tension'"),
    ("two conditions in one item", "requires: [{tension: {min: 4.5}}]",
     "requires: [{tension: {min: 4.5}, turn: {min: 3}}]", "moves.full_export_embargo.requires[0]",
     "'tension' and 'turn' are separate conditions: write each as its own list item"),
    # named at the edge that closes the loop, with the loop as nodes and edges
    ("a loop in the trade graph", "  jp_magnets_defence:     {from: jp_magnet_makers, to: jp_defence, capacity: "
                                  "{magnet: 12}, priority: 0}",
     "  jp_magnets_defence:     {from: jp_magnet_makers, to: jp_defence, capacity: {magnet: 12}, priority: 0}\n"
     "  back: {from: jp_magnet_makers, to: jp_alloy, capacity: {magnet: 1}}", "edges.back",
     "this edge closes a loop: jp_alloy → jp_magnet_makers → jp_alloy (edges jp_alloy_magnets, back)"),
    # found by tests/test_ruleset_fuzz.py: each of these loaded, then crashed the first game (or the load itself)
    ("a game longer than the engine plays", "max_turns: 52", "max_turns: 100000", "calendar.max_turns",
     "expected a whole number between 1 and 1000, got 100,000"),
    ("turns longer than a year", "turn_days: 7", "turn_days: 400", "calendar.turn_days",
     "expected a whole number between 1 and 366, got 400"),
    ("a last turn past the calendar", "start_date: 2026-01-06", "start_date: 9999-06-01", "calendar.start_date",
     "the game's last turn (52 turns of 7 days from 9999-06-01) falls after the year 9999"),
    ("a lead time longer than any game", "capacity: {ore: 700}, lead_time: 6}", "capacity: {ore: 700}, lead_time: 1e9}",
     "edges.us_ore_cn.lead_time", "expected a whole number between 0 and 1000, got 1,000,000,000"),
    ("export earnings as text", "china_export_value_usd_per_turn: 1.2e8", "china_export_value_usd_per_turn: lots",
     "calibration.china_export_value_usd_per_turn", "expected a number of USD (China's normal rare-earth export "
                                                   "earnings a turn), got text 'lots'"),
    ("calibration that is not a mapping", "calibration:\n  china_export_value_usd_per_turn: 1.2e8",
     "calibration: [1.2e8]", "calibration", "expected a mapping of calibration notes and reference values"),
    ("an inject's effects that are not a list",
     "    effects:\n      - {op: adjust, var: cohesion, by: 0.1}\n      - {op: adjust, var: relation, between: [beijing, g7], "
     "by: -0.05}\n      - {op: adjust, var: tension, by: 0.2}\n",
     "    effects: true\n", "injects.g7_summit_communique.effects", "expected a list of effects"),
    ("a free outside price", "ce_la:  {inside: 1.5, outside: 2.0,", "ce_la:  {inside: 1.5, outside: 0,",
     "market.prices.ce_la.outside", "expected a price above 0"),
    ("a number too large for the arithmetic", "elasticity: 3.0, glut: 0.2", "elasticity: 1.0e+300, glut: 0.2",
     "market.prices.magnet.elasticity", "expected a number between -1e+18 and 1e+18, got 1e+300"),
    ("a number too small for the arithmetic", "capacity: 210\n    inputs: {ore: 1.0}",
     "capacity: 1.0e-300\n    inputs: {ore: 1.0}", "nodes.my_lynas.capacity",
     "expected 0 or a number at least 1e-12 in size, got 1e-300"),
    ("a pressure driver that is not a number", "tokyo: {japan_output_gap: 0.5, tension: 0.02}",
     "tokyo: {japan_output_gap: high, tension: 0.02}", "politics.pressure.drivers.tokyo.japan_output_gap",
     "expected a number, got text 'high'"),
    ("a ladder rung at no level", "    9.5: Crisis\n", "    .inf: Crisis\n", "politics.ladder.inf",
     "expected a tension level (a number), got 'inf'"),
    ("a ladder rung without a name", "    9.5: Crisis\n", "    9.5: {name: Crisis}\n", "politics.ladder.9.5",
     "expected the name of the rung"),
    ("an actor that starts above its capital limit", "capital: {start: 12, per_turn: 3, max: 20}",
     "capital: {start: 30, per_turn: 3, max: 20}", "actors.beijing.capital.start",
     "expected at most capital.max (20), got 30"),
    # relations are between two actors: one with itself means nothing
    ("an effect on relations with oneself", "between: [beijing, tokyo], by: -0.1}", "between: [beijing, beijing], by: -0.1}",
     "moves.dual_use_export_ban.effects[2].between", "expected two different actors, got 'beijing' twice"),
    ("a condition on relations with oneself", "requires: [{tension: {min: 4.5}}]",
     "requires: [{relation: {between: [tokyo, tokyo], max: 0}}]", "moves.full_export_embargo.requires[0].relation.between",
     "expected two different actors, got 'tokyo' twice"),
    ("a starting relation with oneself", "beijing-tokyo:", "beijing-beijing:", "politics.relations.start.beijing-beijing",
     "expected a pair of two different actors, got 'beijing' twice"),
    # a single condition may stand without a list around it: its problems are named at the path the file has
    ("a lone condition that is misspelt", "    when: [{tension: {min: 9.5}}]", "    when: {tensoin: {min: 9.5}}",
     "outcomes.escalation_spiral.when.tensoin", "unknown condition 'tensoin' (did you mean 'tension'?)"),
    # null means the key is not there, as it does in a ruleset that extends another
    ("a required key left empty", "  jpy_per_usd: 155", "  jpy_per_usd: ~", "economy",
     "missing required key 'jpy_per_usd'"),
    # spot buying changes the trade of the turns its move is in force: a one-off move is in force for none
    ("an effect that lasts, on a one-off move", "    duration: 8\n    cooldown: 8\n    source: \"Takaichi",
     "    cooldown: 8\n    source: \"Takaichi", "moves.korea_summit.effects[1].op",
     "'spot_buying' acts only while its move is in force, and 'korea_summit' is a one-off"),
]


def _expect(text: str, path: str, words: str) -> RulesetError:
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(text, "bad.yaml")
    matching = [p for p in info.value.problems if p.path == path]
    assert matching, f"no problem at {path}; got: {info.value}"
    assert words in matching[0].message
    return info.value


@pytest.mark.parametrize("name,find,replace,path,words", CASES, ids=[c[0] for c in CASES])
def test_each_mistake_is_reported_with_file_path_and_line(default_text, name, find, replace, path, words):
    assert find in default_text, f"test setup: '{find}' is not in the default ruleset"
    bad = default_text.replace(find, replace, 1)
    error = _expect(bad, path, words)
    problem = next(p for p in error.problems if p.path == path)
    assert problem.file == "bad.yaml"
    assert problem.line is not None
    line_text = bad.splitlines()[problem.line - 1]
    assert str(problem).startswith(f"bad.yaml:{problem.line}: {path}: ")
    # The reported line is the one holding the mistake (or the mapping that lacks a key).
    key = path.split(".")[-1].split("[")[0]
    assert key in line_text or words.startswith("missing")


def test_every_problem_is_reported_not_just_the_first(default_text):
    bad = default_text.replace("capacity: {magnet: 69}, priority: 0}", "capacity: {magnet: -69}, priority: 0}")
    bad = bad.replace("- {op: release_stockpile, node: jp_jogmec_stockpile", "- {op: release_stockpiles, node: jp_jogmec_stockpile")
    bad = bad.replace("jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {from: jp_aloy,")
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(bad, "bad.yaml")
    paths = {p.path for p in info.value.problems}
    assert {"edges.jp_magnets_autos.capacity.magnet", "moves.release_national_stockpile.effects[0].op",
            "edges.jp_alloy_magnets.from"} <= paths


# Mistakes that YAML itself notices, made beside others the ruleset's checks find: every one is reported at once,
# not the first alone (a user who fixes it should not meet the next five one by one).
# (name, text in the default ruleset, replacement, text on the line reported, the problem expected there)
READ_ALONG = [
    ("impossible start date", "  start_date: 2026-01-06", "  start_date: 2026-13-06", "start_date: 2026-13-06",
     "calendar.start_date: expected a date as YYYY-MM-DD, got '2026-13-06'"),
    ("a key given twice", "    name: Tokyo\n", "    name: Tokyo\n    name: Tokyo2\n", "name: Tokyo2",
     "actors.tokyo.name: duplicate key 'name' (first given on line "),
]
OTHER_MISTAKES = [
    ("moves_per_turn: 2\n    temperature: 0.25", "moves_per_turn: two\n    temperature: 0.25", "moves_per_turn: two",
     "actors.beijing.moves_per_turn: expected a whole number, got text 'two'"),
    ("- {op: release_stockpile, node: jp_jogmec_stockpile", "- {op: release_stockpiles, node: jp_jogmec_stockpile",
     "op: release_stockpiles", "moves.release_national_stockpile.effects[0].op: unknown effect operation "
                               "'release_stockpiles'"),
    ("jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {from: jp_aloy,", "from: jp_aloy",
     "edges.jp_alloy_magnets.from: unknown node 'jp_aloy'"),
]


@pytest.mark.parametrize("name,find,replace,at,expected", READ_ALONG, ids=[c[0] for c in READ_ALONG])
def test_a_mistake_yaml_notices_is_reported_with_every_other(tmp_path, default_text, name, find, replace, at,
                                                              expected):
    edits = [(find, replace, at, expected)] + OTHER_MISTAKES
    bad = default_text
    for f, r, _, _ in edits:
        assert f in default_text, f"test setup: '{f}' is not in the default ruleset"
        bad = bad.replace(f, r, 1)
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    result = run_cli("validate", str(path))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(edits), lines
    for _, _, at_text, words in edits:
        line = bad[:bad.index(at_text)].count("\n") + 1
        assert any(x.startswith(f"{path}:{line}: {words}") for x in lines), (words, lines)


@pytest.mark.parametrize("value", ["2026-02-30", "2026-13-06"])
def test_an_impossible_date_in_a_free_text_field_is_read_as_typed(default_text, value):
    find = 'source: "MOFCOM Announcement No. 1 of 2026, 2026-01-06"'
    assert find in default_text
    rules = ruleset_from_text(default_text.replace(find, f"source: {value}", 1), "notes.yaml")
    assert rules.moves["dual_use_export_ban"].source == value


def test_a_skeleton_ruleset_names_each_missing_part_once():
    with pytest.raises(RulesetError) as info:
        ruleset_from_text("actors: 3\n", "skeleton.yaml")
    lines = info.value.lines()
    assert len(lines) == len(set(lines))
    for key in ("ruleset", "nodes", "moves", "politics"):
        assert f"skeleton.yaml:1: missing required key '{key}'" in lines
    # A section that is not there is one line: the keys it would hold are not reported missing as well.
    assert not any(line.startswith("skeleton.yaml:1: politics.") for line in lines), lines


@pytest.mark.parametrize("text", ["", "# nothing yet\n", "{}\n"], ids=["empty", "comment only", "empty mapping"])
def test_an_empty_ruleset_is_one_line(text):
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(text, "new.yaml")
    (problem,) = info.value.problems
    assert problem.file == "new.yaml"
    assert problem.message == ("the file holds no ruleset; expected a mapping with sections ruleset, calendar, "
                               "commodities, countries, nodes, edges, actors, moves, politics, market, economy, "
                               "outcomes (see docs/rulesets.md)")


def test_yaml_syntax_error_names_the_line():
    with pytest.raises(RulesetError) as info:
        ruleset_from_text("ruleset:\n  id: x\n  name: [unclosed\ncalendar: {}\n", "broken.yaml")
    (problem,) = info.value.problems
    assert problem.file == "broken.yaml" and problem.line is not None
    assert "YAML syntax error" in problem.message


# Aliases repeat what an anchor holds: a file that contains itself, or expands tenfold at every level, is refused
# at once instead of recursing without end or filling memory; so is nesting too deep for the parser.
ENDLESS_YAML = [
    ("alias inside itself", "actors: &a [*a]\n", "x.yaml:1: actors[0]: this alias repeats a value that contains it"),
    ("mapping inside itself", "actors: &a {beijing: *a}\n", "x.yaml:1: actors.beijing: this alias repeats a value"),
    ("billion laughs", "a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"a{i}: &a{i} [{', '.join([f'*a{i - 1}'] * 10)}]\n" for i in range(1, 9)),
     "x.yaml:1: the file holds more than 500,000 values once its aliases (*name) are expanded"),
    ("deep nesting", "actors: " + "[" * 5000 + "]" * 5000 + "\n", "x.yaml: the YAML nests collections too deeply"),
]


@pytest.mark.parametrize("name,text,expected", ENDLESS_YAML, ids=[c[0] for c in ENDLESS_YAML])
def test_yaml_that_would_never_end_is_one_line(name, text, expected):
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(text, "x.yaml")
    (line,) = info.value.lines()
    assert line.startswith(expected)


def test_cli_validate_refuses_an_alias_inside_itself_without_a_traceback(tmp_path):
    path = tmp_path / "loop.yaml"
    path.write_text("ruleset: &r {id: loop, name: *r}\n")
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    assert result.stderr.strip().endswith("loop.yaml:1: ruleset.name: this alias repeats a value that contains it, "
                                          "which would never end")


def test_ruleset_text_is_never_executed():
    text = "ruleset: !!python/object/apply:os.system ['echo pwned']\n"
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(text, "evil.yaml")
    assert "is not allowed" in str(info.value)


def test_cli_validate_reports_each_problem_and_exits_2(tmp_path, default_text):
    bad = default_text.replace("capacity: {magnet: 69}, priority: 0}", "capacity: {magnet: -69}, priority: 0}")
    bad = bad.replace("jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {from: jp_aloy,")
    path = tmp_path / "bad.yaml"
    path.write_text(bad)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert any("edges.jp_magnets_autos.capacity.magnet" in line and "bad.yaml:" in line for line in lines)
    assert any("unknown node 'jp_aloy'" in line for line in lines)
    assert len(lines) == 2


def test_cli_validate_accepts_the_default_ruleset():
    result = run_cli("validate", "rulesets/rare_earths_2026.yaml")
    assert result.returncode == 0, result.stderr
    assert "ok" in result.stdout


def test_cli_run_with_a_missing_ruleset_is_one_line():
    result = run_cli("run", "no/such/ruleset.yaml", "--turns", "2")
    assert result.returncode == 2
    assert result.stderr.strip() == "no/such/ruleset.yaml: file not found"


# An entry written as {} lacks each of its section's required keys; each is said once, and nothing else.
EMPTY_ENTRIES = [
    ("commodities", ["name"]),
    ("countries", ["name"]),
    ("nodes", ["kind", "country"]),
    ("edges", ["from", "to", "capacity"]),
    ("actors", ["name", "kind", "country"]),
    ("moves", ["name", "actor", "family", "severity", "effects"]),
    ("outcomes", ["label"]),
    ("injects", ["name", "text"]),
]


@pytest.mark.parametrize("section,required", EMPTY_ENTRIES, ids=[c[0] for c in EMPTY_ENTRIES])
def test_an_empty_entry_names_each_missing_key_once(default_text, section, required):
    header = f"\n{section}:\n"
    assert header in default_text
    line = default_text[:default_text.index(header)].count("\n") + 3
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(default_text.replace(header, f"{header}  added: {{}}\n", 1), "bad.yaml")
    assert info.value.lines() == [f"bad.yaml:{line}: {section}.added: missing required key '{key}'"
                                  for key in required]


# A name an entry needs, left out: said once as the missing key, not again as a name that is not there.
# (name, text in the default ruleset, replacement, the one problem expected, on the line of that text)
MISSING_NAMES = [
    ("opening move", "- {move: seafood_import_ban, actor: beijing}", "- {actor: beijing}",
     "opening.active[0]: missing required key 'move'"),
    ("opening actor", "- {move: seafood_import_ban, actor: beijing}", "- {move: seafood_import_ban}",
     "opening.active[0]: missing required key 'actor'"),
    ("government of a pressure adjustment", "- {op: adjust, var: pressure, actor: tokyo, by: 0.05}",
     "- {op: adjust, var: pressure, by: 0.05}",
     "moves.decline_business_delegation.effects[0]: missing required key 'actor'"),
    ("indicator of a condition", "[{indicator: {name: japan_supply_index, max: 0.8}}]", "[{indicator: {max: 0.8}}]",
     "moves.cut_output.requires[0].indicator: missing required key 'name'"),
    ("country of a direct loss", "- {op: direct_loss, country: JP, jpy_per_turn: 1.5e9}",
     "- {op: direct_loss, jpy_per_turn: 1.5e9}",
     "moves.seafood_import_ban.effects[0]: missing required key 'country'"),
    ("stockpile released", "- {op: release_stockpile, node: jp_jogmec_stockpile, rate:",
     "- {op: release_stockpile, rate:",
     "moves.release_national_stockpile.effects[0]: missing required key 'node'"),
    ("commodity of a capacity project on an edge", "edge: lynas_jp_alloy, commodity: ndpr, amount: 30,",
     "edge: lynas_jp_alloy, amount: 30,", "moves.lynas_offtake.effects[0]: missing required key 'commodity'"),
    ("commodity of a price floor", "{op: price_floor, commodity: ndpr, usd_per_kg: 110}",
     "{op: price_floor, usd_per_kg: 110}", "moves.dod_price_floor.effects[0]: missing required key 'commodity'"),
]


# A value of the wrong type is one line, at its key: what it should hold is not reported missing as well, nor is
# anything that hangs on it. (name, text in the default ruleset, replacement, the one problem expected, on the
# line of the replacement's first line)
ECONOMY = ("economy:\n  jpy_per_usd: 155\n  japan_gdp_jpy_per_year: 6.05e14\n  substitution_cap_per_year: 0.10\n"
           "  shortage_convexity: 1.5\n  demand_noise: 0.05\n")
WRONG_TYPES = [
    ("a section as a list", ECONOMY, "economy:\n  - jpy_per_usd: 155\n  - japan_gdp_jpy_per_year: 6.05e14\n",
     "economy: expected a mapping, got a list"),
    ("a section as text", "calendar:\n  start_date: 2026-01-06\n  turn_days: 7\n  max_turns: 52\n",
     "calendar: 2026-01-06\n", "calendar: expected a mapping, got text '2026-01-06'"),
    ("a subsection as a list", "  tension: {start: 4.0, max: 10, per_severity: 0.25, decay: 0.1, baseline: 2.0}",
     "  tension: [4.0, 10]", "politics.tension: expected a mapping, got a list"),
    ("the ladder as a list", "  ladder:\n    0: Normal relations\n    2: Diplomatic friction\n    3.5: Targeted "
                             "coercion\n    5: Export restrictions\n    6.5: Rare-earth embargo\n    8: Economic war\n"
                             "    9.5: Crisis\n", "  ladder: [Normal relations, Diplomatic friction]\n",
     "politics.ladder: expected a mapping of tension levels to rung names, got a list"),
    ("a price as a number", "    ce_la:  {inside: 1.5, outside: 2.0, elasticity: 4.0, glut: 0.2, smoothing: 0.4, "
                            "unit: USD/kg, note: \"E\"}",
     "    ce_la: 1.5", "market.prices.ce_la: expected a mapping, got a number"),
    ("an actor's resolve as a list", "resolve: {alpha: 5, beta: 3}", "resolve: [5, 3]",
     "actors.tokyo.resolve: expected a Beta distribution: alpha and beta, got a list"),
    ("an outcome as text", "  managed_rivalry:\n    label: Managed rivalry (no embargo, licence halt or contract "
                           "cut-off in force)", "  managed_rivalry: Managed rivalry",
     "outcomes.managed_rivalry: expected a mapping, got text 'Managed rivalry'"),
    ("an inject as text", "  snap_election:\n", "  snap_election: Snap election\n  snap_election_text:\n",
     "injects.snap_election: expected a mapping, got text 'Snap election'"),
    ("an opening move as text", "    - {move: tourism_advisory, actor: beijing}", "    - tourism_advisory",
     "opening.active[1]: expected a mapping, got text 'tourism_advisory'"),
    ("a condition's bounds as a list", "requires: [{tension: {min: 4.5}}]", "requires: [{tension: [4.5]}]",
     "moves.full_export_embargo.requires[0].tension: expected a mapping with min and/or max, got a list"),
    ("a family count as a list", "      - {active_family: {family: coercion, max: 0}}",
     "      - {active_family: [coercion, 0]}", "outcomes.settlement.when[1].active_family: expected a mapping, got a list"),
    ("a relation condition as a list", "requires: [{tension: {min: 4.5}}]", "requires: [{relation: [beijing, tokyo]}]",
     "moves.full_export_embargo.requires[0].relation: expected a mapping, got a list"),
    ("a pressure condition as a number", "requires: [{tension: {min: 4.5}}]", "requires: [{pressure: 0.5}]",
     "moves.full_export_embargo.requires[0].pressure: expected a mapping, got a number"),
    ("an indicator condition as text", "requires: [{indicator: {name: japan_supply_index, max: 0.8}}]",
     "requires: [{indicator: japan_supply_index}]",
     "moves.cut_output.requires[0].indicator: expected a mapping, got text 'japan_supply_index'"),
    ("a pressure condition with no actor as text, in an outcome", "    when: [{tension: {min: 9.5}}]",
     "    when: [{pressure: high}]", "outcomes.escalation_spiral.when[0].pressure: expected a mapping, got text 'high'"),
]


def _problems_of_edit(default_text: str, find: str, replace: str, name: str = "") -> tuple[int, list[str]]:
    """The line `find` starts on in the default ruleset, and the problems once it is replaced by `replace`."""
    assert find in default_text, f"{name}: the default ruleset no longer holds the text this case edits"
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(default_text.replace(find, replace, 1), "bad.yaml")
    return default_text[:default_text.index(find)].count("\n") + 1, info.value.lines()


@pytest.mark.parametrize("name,find,replace,expected", MISSING_NAMES + WRONG_TYPES,
                         ids=[c[0] for c in MISSING_NAMES + WRONG_TYPES])
def test_a_name_left_out_or_a_value_of_the_wrong_type_is_one_line(default_text, name, find, replace, expected):
    line, problems = _problems_of_edit(default_text, find, replace, name)
    assert problems == [f"bad.yaml:{line}: {expected}"]


def test_a_section_left_out_is_one_line(default_text):
    assert ECONOMY in default_text
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(default_text.replace(ECONOMY, "", 1), "bad.yaml")
    line = default_text[:default_text.index("ruleset:")].count("\n") + 1
    assert info.value.lines() == [f"bad.yaml:{line}: missing required key 'economy'"]


# A required key misspelt is one mistake, said once: the unknown key's line offers the key it was taken for, which
# is not reported missing as well, nor is anything read from it. (name, text in the default ruleset, replacement,
# the start of the one problem expected, on the line of that text)
MISSPELT_KEYS = [
    ("a section", "economy:\n  jpy", "econmy:\n  jpy", "econmy: unknown key 'econmy' (did you mean 'economy'?)"),
    ("a node's kind", "    kind: magnet\n    country: JP\n    operator: jp_magnet_makers",
     "    kidn: magnet\n    country: JP\n    operator: jp_magnet_makers",
     "nodes.jp_magnet_makers.kidn: unknown key 'kidn' (did you mean 'kind'?)"),
    ("an actor's country", "    country: G7\n", "    contry: G7\n",
     "actors.g7.contry: unknown key 'contry' (did you mean 'country'?)"),
    ("an edge's from", "jp_alloy_magnets:    {from: jp_alloy,", "jp_alloy_magnets:    {form: jp_alloy,",
     "edges.jp_alloy_magnets.form: unknown key 'form' (did you mean 'from'?)"),
    ("a move's severity", "    severity: 7\n", "    severty: 7\n",
     "moves.full_export_embargo.severty: unknown key 'severty' (did you mean 'severity'?)"),
    ("an effect's factor", "match: {edges: [cn_sep_jp_alloy]}, factor: 1.3}",
     "match: {edges: [cn_sep_jp_alloy]}, fator: 1.3}",
     "moves.certify_alloy_supply.effects[0].fator: unknown key 'fator' (did you mean 'factor'?)"),
    ("an effect's nodes", "- {op: ration, nodes: own, factor: 0.75}", "- {op: ration, ndoes: own, factor: 0.75}",
     "moves.cut_output.effects[0].ndoes: unknown key 'ndoes' (did you mean 'nodes'?)"),
    ("a stockpile's rate", "- {op: release_stockpile, node: jp_jogmec_stockpile, rate:",
     "- {op: release_stockpile, node: jp_jogmec_stockpile, rtae:",
     "moves.release_national_stockpile.effects[0].rtae: unknown key 'rtae' (did you mean 'rate'?)"),
    ("the actors of a relation adjustment", "between: [beijing, tokyo], by: -0.1}", "betwen: [beijing, tokyo], by: -0.1}",
     "moves.dual_use_export_ban.effects[2].betwen: unknown key 'betwen' (did you mean 'between'?)"),
    ("the actors of a relation condition", "requires: [{tension: {min: 4.5}}]",
     "requires: [{relation: {betwen: [beijing, tokyo], min: 0}}]",
     "moves.full_export_embargo.requires[0].relation.betwen: unknown key 'betwen' (did you mean 'between'?)"),
    ("an indicator's name", "[{indicator: {name: japan_supply_index, max: 0.8}}]",
     "[{indicator: {nmae: japan_supply_index, max: 0.8}}]",
     "moves.cut_output.requires[0].indicator.nmae: unknown key 'nmae' (did you mean 'name'?)"),
    ("a condition's bound", "requires: [{tension: {min: 4.5}}]", "requires: [{tension: {mn: 4.5}}]",
     "moves.full_export_embargo.requires[0].tension.mn: unknown key 'mn' (did you mean 'min'?)"),
    ("a family count's family", "{active_family: {family: coercion, max: 0}}",
     "{active_family: {famly: coercion, max: 0}}",
     "outcomes.settlement.when[1].active_family.famly: unknown key 'famly' (did you mean 'family'?)"),
    ("an outcome's label", "    label: Negotiated settlement", "    lable: Negotiated settlement",
     "outcomes.settlement.lable: unknown key 'lable' (did you mean 'label'?)"),
    ("a price", "ce_la:  {inside: 1.5,", "ce_la:  {insde: 1.5,",
     "market.prices.ce_la.insde: unknown key 'insde' (did you mean 'inside'?)"),
    ("the opening move", "- {move: seafood_import_ban, actor: beijing}", "- {mvoe: seafood_import_ban, actor: beijing}",
     "opening.active[0].mvoe: unknown key 'mvoe' (did you mean 'move'?)"),
    ("a sector's value added", "      value_added_jpy_per_turn: 1.2e10", "      value_add_jpy_per_turn: 1.2e10",
     "nodes.jp_defence.economy.value_add_jpy_per_turn: unknown key 'value_add_jpy_per_turn' (did you mean "
     "'value_added_jpy_per_turn'?)"),
]


@pytest.mark.parametrize("name,find,replace,expected", MISSPELT_KEYS, ids=[c[0] for c in MISSPELT_KEYS])
def test_a_misspelt_key_is_one_line(default_text, name, find, replace, expected):
    line, problems = _problems_of_edit(default_text, find, replace, name)
    (only,) = problems
    assert only.startswith(f"bad.yaml:{line}: {expected}; expected ")


def test_a_relation_without_its_actors_says_so(default_text):
    find = "between: [beijing, tokyo], by: -0.1}"
    line, problems = _problems_of_edit(default_text, find, "by: -0.1}")
    assert problems == [f"bad.yaml:{line}: moves.dual_use_export_ban.effects[2]: missing required key "
                                  "'between'"]


# What refers to an entry or a section that is wrong is not wrong as well: the entry's name still stands, and a
# check that rests on a value already reported is skipped. (name, text in the default ruleset, replacement, the
# one problem expected, on the line of that text)
ENTRIES_IN_DOUBT = [
    ("an actor as a list", "  tokyo:\n    name: Tokyo\n", "  tokyo:\n  - name: Tokyo\n",
     "actors.tokyo: expected a mapping, got a list"),
    ("a node as a list", "  jp_defence:\n    name: \"Defence industry\"\n", "  jp_defence:\n  - name: \"Defence industry\"\n",
     "nodes.jp_defence: expected a mapping, got a list"),
    ("a country as text", "  CN:  {name: China, bloc: china}", "  CN:  China", "countries.CN: expected a mapping, got text "
                                                                                "'China'"),
    ("a commodity as text", "  dytb:   {name: \"Dy/Tb oxide/metal (heavy rare earths)\", label: Dy/Tb, group: heavy}",
     "  dytb: heavy", "commodities.dytb: expected a mapping, got text 'heavy'"),
    ("a move as text", "  tourism_advisory:\n", "  tourism_advisory: advisory\n  tourism_advisory_text:\n",
     "moves.tourism_advisory: expected a mapping, got text 'advisory'"),
    ("an edge as text", "  jp_magnets_defence:     {from: jp_magnet_makers, to: jp_defence, capacity: {magnet: 12}, "
                        "priority: 0}", "  jp_magnets_defence: jp_magnet_makers",
     "edges.jp_magnets_defence: expected a mapping, got text 'jp_magnet_makers'"),
    ("an edge's tags as a mapping", "tags: [dual_use, military]", "tags: {military: true}",
     "edges.cn_magnets_jp_defence.tags: expected a tag name or a list of them, got a mapping"),
    ("a firm's nodes as a mapping", "nodes: [jp_defence]", "nodes: {jp_defence: 1}",
     "actors.jp_defence_industry.nodes: expected a node name or a list of them, got a mapping"),
    ("a misspelt commodity a node yields", "capacity: 596, outputs: {ore: 1.0}", "capacity: 596, outputs: {oer: 1.0}",
     "nodes.mm_mines.outputs.oer: unknown commodity 'oer' (did you mean 'ore'?)"),
    ("a misspelt commodity a sector needs", "demand: {magnet: 12}", "demand: {magnt: 12}",
     "nodes.jp_defence.demand.magnt: unknown commodity 'magnt' (did you mean 'magnet'?)"),
    ("a misspelt commodity a magnet maker needs", "inputs: {ndpr: 0.29, dytb: 0.045}", "inputs: {ndpr: 0.29, dyt: 0.045}",
     "nodes.jp_magnet_makers.inputs.dyt: unknown commodity 'dyt' (did you mean 'dytb'?)"),
    ("a misspelt node kind", "    kind: sector\n    country: JP\n    operator: jp_defence_industry",
     "    kind: sectr\n    country: JP\n    operator: jp_defence_industry",
     "nodes.jp_defence.kind: expected one of: mine, separation, metal, magnet, stockpile, sector, market; got text "
     "'sectr' (did you mean 'sector'?)"),
    ("a misspelt firm kind", "    kind: firm\n    country: JP\n    description: \"Mitsubishi",
     "    kind: frim\n    country: JP\n    description: \"Mitsubishi",
     "actors.jp_defence_industry.kind: expected one of: government, firm; got text 'frim' (did you mean 'firm'?)"),
    ("a duration that is not a number", "    duration: 26\n", "    duration: forever\n",
     "moves.g7_critical_minerals_action.duration: expected a number of turns (0 for a one-off) or 'open' (in force "
     "until cancelled), got text 'forever'"),
    ("a misspelt actor of a move with a pressure condition", "    actor: tokyo\n    family: de_escalation\n    "
                                                             "max_uses: 1\n    severity: -4",
     "    actor: tokyoo\n    family: de_escalation\n    max_uses: 1\n    severity: -4",
     "moves.retract_taiwan_remarks.actor: unknown actor 'tokyoo' (did you mean 'tokyo'?)"),
    ("a move nobody can play", "    actor: tokyo\n    family: de_escalation\n    max_uses: 1\n    severity: -4",
     "    actor: []\n    family: de_escalation\n    max_uses: 1\n    severity: -4",
     "moves.retract_taiwan_remarks.actor: expected an actor, or a list of the actors who can play the move, got an "
     "empty list"),
]


@pytest.mark.parametrize("name,find,replace,expected", ENTRIES_IN_DOUBT, ids=[c[0] for c in ENTRIES_IN_DOUBT])
def test_a_wrong_entry_is_one_line_not_one_per_mention(default_text, name, find, replace, expected):
    line, problems = _problems_of_edit(default_text, find, replace, name)
    assert problems == [f"bad.yaml:{line}: {expected}"]


def _section_as_list(text: str, section: str) -> tuple[str, int]:
    """The text with a whole section written as a list of its names, and the section's line."""
    found = re.search(rf"^{section}:\n(?:(?:[ #].*)?\n)*", text, re.MULTILINE)
    names = re.findall(r"^  (\w+):", found.group(0), re.MULTILINE)
    return (text[:found.start()] + f"{section}: [{', '.join(names)}]\n" + text[found.end():],
            text[:found.start()].count("\n") + 1)


# Every other section names what these sections define: written as a list, each is one line, not one for every
# mention of a node, actor or move in the rest of the file.
NAMING_SECTIONS = ["commodities", "countries", "nodes", "edges", "actors", "moves"]


@pytest.mark.parametrize("section", NAMING_SECTIONS)
def test_a_naming_section_of_the_wrong_type_is_one_line(default_text, section):
    bad, line = _section_as_list(default_text, section)
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(bad, "bad.yaml")
    assert info.value.lines() == [f"bad.yaml:{line}: {section}: expected a mapping of {section}, got a list"]


def test_an_edge_tag_may_be_given_alone(default_text):
    find = "tags: [dual_use, military]"
    rules = ruleset_from_text(default_text.replace(find, "tags: military", 1), "one_tag.yaml")
    lanes = [lane for lane in rules.network.lanes if lane.edge == "cn_magnets_jp_defence"]
    assert lanes and all(lane.tags == {"military", "licensed"} for lane in lanes)


# A loop in the trade graph is checked on the edges that could be read, whatever else is wrong, and each separate
# loop is its own line: a typo elsewhere does not hide one until it is fixed. Whether a node lacks a supply is said
# only when no edge that might have brought it is in doubt. (name, edits to the default ruleset, the problems
# expected: each as text on the line it names, and how the problem's line starts after the file and line)
LAST_EDGE = "  jp_magnets_defence:     {from: jp_magnet_makers, to: jp_defence, capacity: {magnet: 12}, priority: 0}\n"
LOOP = (LAST_EDGE, LAST_EDGE + "  back: {from: jp_magnet_makers, to: jp_alloy, capacity: {magnet: 1}}\n")
SECOND_LOOP = (LAST_EDGE, LAST_EDGE + "  cn_back: {from: cn_magnets, to: cn_metals, capacity: {magnet: 1}}\n")
LOOP_LINE = ("  back:", "edges.back: the trade graph must not loop back on itself, and this edge closes a loop: "
                        "jp_alloy → jp_magnet_makers → jp_alloy (edges jp_alloy_magnets, back)")
SECOND_LOOP_LINE = ("  cn_back:", "edges.cn_back: the trade graph must not loop back on itself, and this edge closes "
                                  "a loop: cn_metals → cn_magnets → cn_metals (edges cn_metals_magnets, cn_back)")
DEFENCE_NEEDS_NDPR = ("    demand: {magnet: 12}\n    inventory: {magnet: 72}",
                      "    demand: {magnet: 12, ndpr: 1}\n    inventory: {magnet: 72}")
GRAPH_PROBLEMS = [
    ("a loop beside an unknown node on another edge",
     [LOOP, ("to: us_mp_separation, capacity: {ore: 165}", "to: us_mp_separaton, capacity: {ore: 165}")],
     [LOOP_LINE, ("to: us_mp_separaton", "edges.us_ore.to: unknown node 'us_mp_separaton' (did you mean "
                                         "'us_mp_separation'?)")]),
    ("a loop beside an unknown commodity on another edge",
     [LOOP, ("capacity: {ore: 34}", "capacity: {oer: 34}")],
     [LOOP_LINE, ("capacity: {oer: 34}", "edges.cn_ore_vn.capacity.oer: unknown commodity 'oer' (did you mean "
                                         "'ore'?)")]),
    ("a loop beside a mistake in a move",
     [LOOP, ("- {op: release_stockpile, node: jp_jogmec_stockpile", "- {op: release_stockpiles, node: "
                                                                    "jp_jogmec_stockpile")],
     [LOOP_LINE, ("op: release_stockpiles", "moves.release_national_stockpile.effects[0].op: unknown effect "
                                            "operation 'release_stockpiles'")]),
    ("a loop beside a key given twice", [LOOP, ("    name: Tokyo\n", "    name: Tokyo\n    name: Tokyo2\n")],
     [LOOP_LINE, ("name: Tokyo2", "actors.tokyo.name: duplicate key 'name' (first given on line ")]),
    ("two separate loops", [LOOP, SECOND_LOOP], [LOOP_LINE, SECOND_LOOP_LINE]),
    ("a loop beside an edge from a node to itself",
     [LOOP, (LAST_EDGE, LAST_EDGE + "  same: {from: jp_alloy, to: jp_alloy, capacity: {ndpr: 1}}\n")],
     [LOOP_LINE, ("  same:", "edges.same: an edge cannot run from a node to itself")]),
    ("a loop that the unknown node breaks is not one",
     [(LAST_EDGE, LAST_EDGE + "  back: {from: jp_magnet_makers, to: jp_aloy, capacity: {magnet: 1}}\n")],
     [("to: jp_aloy", "edges.back.to: unknown node 'jp_aloy' (did you mean 'jp_alloy'?)")]),
    ("a supply no edge brings, beside a loop and a mistake in a move",
     [LOOP, DEFENCE_NEEDS_NDPR, ("- {op: release_stockpile, node: jp_jogmec_stockpile",
                                 "- {op: release_stockpiles, node: jp_jogmec_stockpile")],
     [LOOP_LINE, ("  jp_defence:", "nodes.jp_defence: node needs 'ndpr' but no edge brings it"),
      ("op: release_stockpiles", "moves.release_national_stockpile.effects[0].op: unknown effect operation "
                                 "'release_stockpiles'")]),
    ("a supply that an edge with an unknown node may be meant to bring",
     [DEFENCE_NEEDS_NDPR, (LAST_EDGE, LAST_EDGE + "  jp_alloy_defence: {from: jp_alloy, to: jp_defense, capacity: "
                                                  "{ndpr: 1}}\n")],
     [("to: jp_defense", "edges.jp_alloy_defence.to: unknown node 'jp_defense' (did you mean 'jp_defence'?)")]),
]


@pytest.mark.parametrize("name,edits,expected", GRAPH_PROBLEMS, ids=[c[0] for c in GRAPH_PROBLEMS])
def test_every_trade_graph_problem_is_reported_at_once(default_text, name, edits, expected):
    bad = default_text
    for find, replace in edits:
        assert find in bad, f"{name}: the default ruleset no longer holds '{find.strip()}'"
        bad = bad.replace(find, replace, 1)
    with pytest.raises(RulesetError) as info:
        ruleset_from_text(bad, "bad.yaml")
    got = info.value.lines()
    assert len(got) == len(expected), got
    for at, words in expected:
        line = bad[:bad.index(at)].count("\n") + 1
        assert any(x.startswith(f"bad.yaml:{line}: {words}") for x in got), (words, got)


# A share typed as a percentage (40 for 0.4) is refused with the share it most likely means, wherever a share is
# read: bounded by 1, or by a limit beyond which only a percentage would go. A number out of a range that is not a
# share, or too small to be a percentage, is refused without the hint. (name, text in the default ruleset,
# replacement, the one problem expected, on the line of that text)
PERCENTAGES = [
    ("a licence approval", "approval: 0.85, review_weeks: 6,\n", "approval: 85, review_weeks: 6,\n",
     "edges.cn_sep_jp_alloy.licence.approval: expected a probability between 0 and 1, got 85 (for 85%, write 0.85)"),
    ("an edge's headroom", "    headroom: 0.2\n    licence: {commodities: [dytb]",
     "    headroom: 20\n    licence: {commodities: [dytb]",
     "edges.cn_sep_jp_alloy.headroom: expected a share of the edge's capacity between 0 and 5, got 20 (for 20%, "
     "write 0.2)"),
    ("a criticality", "criticality: {magnet: 0.5}", "criticality: {magnet: 50}",
     "nodes.jp_defence.economy.criticality.magnet: expected a probability between 0 and 1, got 50 (for 50%, write 0.5)"),
    ("a flow scaled", "tags: [licensed]}, factor: 0.85}", "tags: [licensed]}, factor: 85}",
     "moves.dual_use_export_ban.effects[0].factor: expected a number between 0 and 5, got 85 (for 85%, write 0.85)"),
    ("spot buying", "to: [row_market]}, headroom: 0.1}", "to: [row_market]}, headroom: 10}",
     "moves.divide_partners.effects[1].headroom: expected a share of the lanes' capacity between 0 and 5, "
     "got 10 (for 10%, write 0.1)"),
    ("rationing", "- {op: ration, nodes: own, factor: 0.75}", "- {op: ration, nodes: own, factor: 75}",
     "moves.cut_output.effects[0].factor: expected a share between 0 and 1, got 75 (for 75%, write 0.75)"),
    ("a change in relations", "between: [beijing, tokyo], by: -0.1}", "between: [beijing, tokyo], by: -10}",
     "moves.dual_use_export_ban.effects[2].by: expected a number between -2 and 2, got -10 (for -10%, write -0.1)"),
    ("a change in cohesion", "      - {op: adjust, var: cohesion, by: 0.08}", "      - {op: adjust, var: cohesion, by: 8}",
     "moves.full_export_embargo.effects[2].by: expected a number between -1 and 1, got 8 (for 8%, write 0.08)"),
    ("cohesion at the start", "cohesion: {start: 0.55, drift: 0.02}", "cohesion: {start: 55, drift: 0.02}",
     "politics.cohesion.start: expected a probability between 0 and 1, got 55 (for 55%, write 0.55)"),
    ("the market's largest headroom", "  max_headroom: 0.8", "  max_headroom: 80",
     "market.max_headroom: expected a share of a lane's capacity between 0 and 5, got 80 (for 80%, write 0.8)"),
    ("demand noise", "  demand_noise: 0.05", "  demand_noise: 5",
     "economy.demand_noise: expected a number between 0 and 0.5, got 5 (for 5%, write 0.05)"),
    ("a probability just above 1, no percentage", "approval: 0.85, review_weeks: 6,\n",
     "approval: 1.85, review_weeks: 6,\n",
     "edges.cn_sep_jp_alloy.licence.approval: expected a probability between 0 and 1, got 1.85"),
    ("a tension that is no share", "tension: {start: 4.0, max: 10", "tension: {start: 40, max: 10",
     "politics.tension.start: expected a number between 0 and 10, got 40"),
    # the percent sign typed too: the fraction meant, where it is one
    ("cohesion typed with %", "cohesion: {start: 0.55, drift: 0.02}", "cohesion: {start: 55%, drift: 0.02}",
     "politics.cohesion.start: expected a probability between 0 and 1, got text '55%' (write 0.55 for 55%)"),
    ("demand noise typed with %", "  demand_noise: 0.05", "  demand_noise: 5 %",
     "economy.demand_noise: expected a number between 0 and 0.5, got text '5 %' (write 0.05 for 5 %)"),
    ("a share beyond 100%", "cohesion: {start: 0.55, drift: 0.02}", "cohesion: {start: 155%, drift: 0.02}",
     "politics.cohesion.start: expected a probability between 0 and 1, got text '155%' (a fraction, where 1 is "
     "100%)"),
    ("a count typed with %", "resolve: {alpha: 6, beta: 3,", "resolve: {alpha: 6%, beta: 3,",
     "actors.beijing.resolve.alpha: expected a number at least 0.01, got text '6%' (a plain number, without '%')"),
]


# A --set value typed as a percentage where the ruleset reads a fraction, and the line that says what to write.
SET_PERCENTAGES = [
    ("politics.cohesion.start=55%", "politics.cohesion.start: expected a probability between 0 and 1, got text "
                                    "'55%' (write 0.55 for 55%)"),
    ("economy.demand_noise=5%", "economy.demand_noise: expected a number between 0 and 0.5, got text '5%' (write "
                                "0.05 for 5%)"),
    ("actors.beijing.resolve.alpha=5%", "actors.beijing.resolve.alpha: expected a number at least 0.01, got text "
                                        "'5%' (a plain number, without '%')"),
]


@pytest.mark.parametrize("assignment, expected", SET_PERCENTAGES, ids=[a for a, _ in SET_PERCENTAGES])
def test_a_set_value_typed_as_a_percentage_says_the_fraction_meant(tmp_path, assignment, expected):
    done = run_cli("montecarlo", "--runs", "1", "--turns", "1", "--out", str(tmp_path / "mc"), "--set", assignment)
    assert done.returncode == 2
    assert done.stderr.strip().splitlines() == [f"--set: {expected}"]


@pytest.mark.parametrize("name,find,replace,expected", PERCENTAGES, ids=[c[0] for c in PERCENTAGES])
def test_a_share_typed_as_a_percentage_says_the_share_meant(default_text, name, find, replace, expected):
    line, problems = _problems_of_edit(default_text, find, replace, name)
    assert problems == [f"bad.yaml:{line}: {expected}"]


def test_a_key_given_twice_names_the_line_of_the_one_that_counts(default_text):
    find = "    name: Tokyo\n"
    line, problems = _problems_of_edit(default_text, find, find + "    # the name players see\n    name: Tokio\n")
    assert problems == [f"bad.yaml:{line + 2}: actors.tokyo.name: duplicate key 'name' (first given on line {line}, "
                        "which counts)"]


# A name misspelt is offered the name most alike; of names as alike, the one it starts with or extends.
# (name, text in the default ruleset, replacement, the one problem expected, on the line of that text)
MISSPELT_NAMES = [
    ("a country code extended", "kind: government\n    country: G7\n", "kind: government\n    country: AUS\n",
     "actors.g7.country: unknown country 'AUS' (did you mean 'AU'?)"),
    ("an edge closer to another than to the one it extends", "match: {edges: [cn_ore_vn]}", "match: {edges: [cn_ore_vnm]}",
     "moves.enforce_transshipment_ban.effects[1].match.edges[0]: unknown edge 'cn_ore_vnm' (did you mean 'cn_ore_vn'?)"),
]


@pytest.mark.parametrize("name,find,replace,expected", MISSPELT_NAMES, ids=[c[0] for c in MISSPELT_NAMES])
def test_a_misspelt_name_is_offered_the_name_meant(default_text, name, find, replace, expected):
    line, problems = _problems_of_edit(default_text, find, replace, name)
    assert [problem.split(": ", 1)[1] for problem in problems] == [expected]
