"""Comparing two games: the moves that differ, the indicators that diverge, and when."""

from __future__ import annotations

import json
import re

import pytest

from conftest import run_cli
from gamekit import new_game
from wargame.compare import compare, flatten, fmt, label
from wargame.errors import WargameError
from wargame.figures import usd, yen
from wargame.replay import branch
from wargame.saves import save_game, snapshot


@pytest.fixture(scope="module")
def games(rules):
    game = new_game(rules, 31, 10, ("tokyo",), "utility")
    game.run()
    doc = snapshot(game)
    what_if = branch(doc, at=3, moves={3: {"tokyo": ["clarify_taiwan_position", "back_channel_talks"]}})
    return game, doc, what_if


def test_a_game_compared_with_itself_differs_nowhere(rules, games):
    game, doc, _ = games
    same = compare(game, doc)
    assert same.moves == [] and same.diverging == [] and same.first_divergence_turn is None
    assert len(same.unchanged) == len(flatten(game.reports[0].indicators))
    assert "Moves: the same in all" in "\n".join(same.lines())


def test_a_branch_diverges_from_its_turn_on(rules, games):
    game, doc, what_if = games
    c = compare(doc, what_if)
    assert c.first_move_turn == 3
    assert c.moves[0].actor == "tokyo" and c.moves[0].b == ("clarify_taiwan_position", "back_channel_talks")
    assert c.first_divergence_turn is not None and c.first_divergence_turn >= 3
    assert all(d.first_turn >= 3 for d in c.diverging)
    assert c.b.branch_of == "<save>" and c.b.branch_at == 3
    tension = c.divergence("tension")
    assert tension is not None
    a_series, b_series = c.series["tension"]
    assert a_series == [r.indicators["tension"] for r in game.reports]
    assert b_series == [r.indicators["tension"] for r in what_if.reports]
    assert a_series[:2] == b_series[:2] and a_series[tension.first_turn - 1] != b_series[tension.first_turn - 1]
    common = min(len(a_series), len(b_series))
    gaps = [abs(b_series[i] - a_series[i]) for i in range(common)]
    assert abs(tension.widest_gap) == max(gaps)
    assert tension.a_end == a_series[-1] and tension.b_end == b_series[-1]
    json.dumps(c.to_dict())
    text = "\n".join(c.lines())
    assert "Moves first differ on turn 3" in text and "Tension" in text


def test_only_the_indicators_asked_for(rules, games):
    game, doc, what_if = games
    c = compare(doc, what_if, keys=["tension", "relations.beijing|tokyo"])
    assert set(c.series) == {"tension", "relations.beijing|tokyo"}
    rows = c.turn_table(["tension"])
    assert rows[0][:3] == ["1", fmt("tension", game.reports[0].indicators["tension"]),
                           fmt("tension", what_if.reports[0].indicators["tension"])]
    with pytest.raises(WargameError, match="did you mean 'tension'"):
        compare(doc, what_if, keys=["tensoin"])


def test_different_seeds_and_lengths_are_noted(rules):
    a, b = new_game(rules, 1, 4), new_game(rules, 2, 6)
    a.run()
    b.run()
    c = compare(a, b)
    assert any("different seeds" in n for n in c.notes)
    if a.state.turn != b.state.turn:
        assert any("ended after turn" in n for n in c.notes)


def test_labels_and_formats(rules):
    assert label("relations.beijing|tokyo", rules) == "Relations Beijing–Tokyo"
    assert label("sector_output.jp_autos_ev", rules) == "Output: Autos and EV motors"
    assert label("price_outside_china.dytb", rules) == "Price outside China: Dy/Tb oxide/metal ($/kg)"
    assert label("pressure.tokyo", rules) == "Domestic pressure on Tokyo"
    # Money as everywhere else (figures.yen and figures.usd), whichever indicator holds it.
    assert fmt("japan_gdp_loss_jpy", 2.5e12) == yen(2.5e12) and fmt("japan_other_loss_jpy", 4e10) == yen(4e10)
    assert fmt("china_export_loss_usd", 3.2e8) == usd(3.2e8)
    assert fmt("japan_supply_index", 0.5) == "0.50" and fmt("japan_import_share_china", 0.25) == "25.0%"


@pytest.mark.parametrize(("key", "value", "written"), [
    ("relations.beijing|tokyo", -0.987, "−0.99"),
    ("relations.beijing|tokyo", 0.987, "0.99"),
    ("relations.beijing|tokyo", -0.001, "0.00"),           # nothing once rounded has no sign
    ("japan_import_share_china", -0.25, "−25.0%"),
    ("japan_gdp_loss_jpy", -2.5e12, "−¥2.50 tn"),
])
def test_values_below_zero_carry_the_minus_sign_of_money_and_of_the_gaps_beside_them(key, value, written):
    assert fmt(key, value) == written


def test_a_label_too_long_for_its_column_ends_in_an_ellipsis(rules, games):
    game, _, what_if = games
    lines = compare(game, what_if).lines(top=None)
    head = next(i for i, line in enumerate(lines) if line.lstrip().startswith("indicator "))
    labels = [m.group(1) for row in lines[head + 1:] if (m := re.match(r"  (.*?)\s+turn \d+  ", row))]
    diverging = compare(game, what_if).diverging
    assert len(labels) == len(diverging) and any(len(d.label) > 60 for d in diverging)
    for shown, d in zip(labels, diverging):
        assert shown == d.label or (shown.endswith("…") and d.label.startswith(shown[:-1])), (shown, d.label)


def test_the_compare_command_as_json(rules, games, tmp_path):
    game, doc, what_if = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    b = save_game(what_if, tmp_path / "b.json")
    done = run_cli("compare", str(a), str(b), "--json", "--indicator", "tension")
    assert done.returncode == 0, done.stderr
    obj = json.loads(done.stdout)
    assert obj["first_move_turn"] == 3 and obj["b"]["branch_at"] == 3
    assert obj["series"]["tension"]["a"] == [r.indicators["tension"] for r in game.reports]


@pytest.mark.parametrize("output", [[], ["--json"]])
def test_an_unknown_indicator_is_refused_before_anything_is_printed(games, tmp_path, output):
    game, doc, what_if = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    b = save_game(what_if, tmp_path / "b.json")
    done = run_cli("compare", str(a), str(b), "--indicator", "tension", "--indicator", "tensoin", *output)
    assert done.returncode == 2 and done.stdout == ""
    assert done.stderr.startswith("unknown indicator 'tensoin' (did you mean 'tension'?)"), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("tolerance", ["nan", "inf", "-0.1"])
def test_a_tolerance_that_would_hide_every_difference_is_refused(games, tmp_path, tolerance):
    _, doc, what_if = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    b = save_game(what_if, tmp_path / "b.json")
    done = run_cli("compare", str(a), str(b), "--tolerance", tolerance)
    assert done.returncode == 2 and done.stdout == "" and "Traceback" not in done.stderr
    assert done.stderr.strip().splitlines() == [f"--tolerance: expected a number, 0 or more, got {float(tolerance)}"]
    with pytest.raises(WargameError, match="tolerance: expected a number, 0 or more"):
        compare(doc, what_if, tolerance=float(tolerance))


def test_the_compare_command_names_moves_actors_and_ruleset_as_players_know_them(rules, games, tmp_path):
    game, doc, what_if = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    b = save_game(what_if, tmp_path / "b.json")
    done = run_cli("compare", str(a), str(b))
    assert done.returncode == 0, done.stderr
    text = done.stdout
    assert text.startswith(f"A  {a} — seed 31, 10 turns, ") and f" · {rules.name}\nB  " in text
    assert rules.id not in text
    first = compare(doc, what_if).moves[0]
    a_names = "; ".join(rules.moves[m].name for m in first.a) or "no move played"
    b_names = "; ".join(rules.moves[m].name for m in first.b)
    assert f"  turn 3, {rules.actors['tokyo'].name}\n     A: {a_names}\n     B: {b_names}\n" in text
    assert not any(m in text for m in (*first.a, *first.b)), text
    # The JSON is for programs: it keeps the ids.
    obj = json.loads(run_cli("compare", str(a), str(b), "--json").stdout)
    assert obj["a"]["ruleset"] == rules.id and "ruleset_name" not in obj["a"]
    assert obj["moves"][0] == {"turn": 3, "actor": "tokyo", "a": list(first.a), "b": list(first.b)}


def test_the_compare_command_as_json_gives_outcomes_by_id_with_their_label_beside(rules, games, tmp_path):
    game, doc, _ = games
    ended = tmp_path / "ended.json"
    ended.write_text(json.dumps(doc))
    unfinished = new_game(rules, 31, 10, ("tokyo",), "utility")
    for _ in range(2):
        unfinished.submit("tokyo", [])
        unfinished.step()
    save_game(unfinished, tmp_path / "unfinished.json")
    done = run_cli("compare", str(ended), str(tmp_path / "unfinished.json"), "--json")
    assert done.returncode == 0, done.stderr
    obj = json.loads(done.stdout)
    outcome = game.state.outcome
    assert outcome in {o.id for o in rules.outcomes}
    label = next(o.label for o in rules.outcomes if o.id == outcome)
    assert label != outcome
    assert (obj["a"]["outcome"], obj["a"]["outcome_label"]) == (outcome, label)
    assert (obj["b"]["outcome"], obj["b"]["outcome_label"]) == (None, None)
    # The text names the outcome as players know it, and says when a game has not ended.
    text = run_cli("compare", str(ended), str(tmp_path / "unfinished.json")).stdout.splitlines()
    assert text[0].startswith(f"A  {ended} — seed 31, 10 turns, {label} · ")
    assert text[1].startswith(f"B  {tmp_path / 'unfinished.json'} — seed 31, 2 turns, unfinished · ")
    assert f"   note: {tmp_path / 'unfinished.json'} ended after turn 2 (unfinished); " in text[2]


def test_two_rulesets_are_noted_by_name(rules):
    from wargame.ruleset import DEFAULT_RULESET, load_ruleset
    hawkish = load_ruleset(DEFAULT_RULESET.parent / "hawkish_beijing.yaml")
    a, b = new_game(rules, 1, 2), new_game(hawkish, 1, 2)
    a.run()
    b.run()
    assert f"different rulesets: “{rules.name}” and “{hawkish.name}”" in compare(a, b).notes


def test_every_indicator_has_one_precision():
    """Each indicator people read a number of is written to decimals of its own (money by figures.yen and .usd)."""
    from wargame.compare import DECIMALS
    from wargame.indicators import NAMES

    numbers = [k for k in NAMES if k not in ("turn", "ladder") and not k.endswith(("_jpy", "_usd"))]
    assert sorted(k for k in numbers if k not in DECIMALS) == []


def _table(stdout: str) -> dict[str, list[str]]:
    """compare --indicator's table, column by column under its heading ('A tension', 'B−A tension'); cells are
    right-aligned, two spaces apart, and a gap that is none is blank."""
    import re

    lines = stdout.splitlines()
    at = next(i for i, line in enumerate(lines) if line.lstrip().startswith("turn  A "))
    head = re.split(r"\s{2,}", lines[at].strip())
    ends, start = [], 0
    for cell in head:
        start = lines[at].index(cell, start) + len(cell)
        ends.append(start)
    rows = [line for line in lines[at + 1:] if line.strip()]
    return {cell: [row[s:e].strip() for row in rows] for cell, s, e in zip(head, [0] + ends[:-1], ends)}


def test_the_compare_command_writes_each_indicator_to_one_precision(rules, games, tmp_path):
    game, doc, what_if = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    b = save_game(what_if, tmp_path / "b.json")
    keys = ["tension", "cohesion", "japan_supply_index", "relations.beijing|tokyo", "imports_to_japan.ndpr"]
    args = [x for k in keys for x in ("--indicator", k)]
    done = run_cli("compare", str(a), str(b), *args)
    assert done.returncode == 0, done.stderr
    table = _table(done.stdout)
    for key in keys:
        values = table[f"A {key}"] + table[f"B {key}"]
        decimals = {len(v.partition(".")[2]) for v in values}
        assert len(decimals) == 1, (key, values)
    # Tension as the turn log writes it beside its rung.
    assert table["A tension"][0] == rules.tension_text(game.reports[0].indicators["tension"])


def test_differences_that_do_not_show_at_the_printed_precision_are_not_differences(rules, games, tmp_path):
    from wargame.saves import _checksum

    game, doc, _ = games
    a = tmp_path / "a.json"
    a.write_text(json.dumps(doc))
    nudged = json.loads(json.dumps(doc))
    for turn in nudged["history"]:
        ind = turn["indicators"]
        ind["japan_gdp_loss_jpy"] += 1e6                   # ¥0.001 bn: '¥0.0 bn' as written
        ind["china_export_loss_usd"] += 10.0               # $10
        ind["tension"] = round(ind["tension"], 2) + 0.001  # the same to two decimals
        ind["japan_supply_index"] = round(ind["japan_supply_index"], 2) + 0.002
    nudged["history"][-1]["indicators"]["cohesion"] += 0.25          # this one shows
    nudged["checksum"] = _checksum(nudged)
    b = tmp_path / "b.json"
    b.write_text(json.dumps(nudged))
    done = run_cli("compare", str(a), str(b), "--indicator", "japan_gdp_loss_jpy", "--indicator", "tension")
    assert done.returncode == 0, done.stderr
    assert "Indicators that diverge: 1 of" in done.stdout, done.stdout
    listed = done.stdout.split("Indicators that diverge")[1].split("Unchanged")[0].splitlines()[2:]
    assert [line.split("  ")[1].strip() for line in listed] == [label("cohesion", rules)], listed
    assert "¥0.0 bn" not in done.stdout.split("Unchanged")[0] and "+¥0.0" not in done.stdout
    assert "+0.00" not in done.stdout and "−0.00" not in done.stdout
    table = _table(done.stdout)
    assert table["A tension"] and set(table["B−A tension"] + table["B−A japan_gdp_loss_jpy"]) == {""}, table
    obj = json.loads(run_cli("compare", str(a), str(b), "--json").stdout)
    assert [d["key"] for d in obj["diverging"]] == ["cohesion"]


@pytest.mark.parametrize("calendar, per", [("", "week"), ("calendar: {turn_days: 1}\n", "day"),
                                           ("calendar: {turn_days: 3}\n", "turn")])
def test_figures_per_turn_are_per_what_a_turn_is_in_the_ruleset(tmp_path, calendar, per):
    from wargame.ruleset import DEFAULT_RULESET

    ruleset = tmp_path / "paced.yaml"
    ruleset.write_text(f"extends: {DEFAULT_RULESET}\nruleset: {{id: paced, name: Paced}}\n{calendar}")
    saves = []
    for seed in (1, 2):
        saves.append(str(tmp_path / f"g{seed}.json"))
        done = run_cli("run", str(ruleset), "--turns", "3", "--seed", str(seed), "--save", saves[-1])
        assert done.returncode == 0, done.stderr
    done = run_cli("compare", *saves, "--all")
    assert done.returncode == 0, done.stderr
    assert f"Supply committed outside China (t/{per})" in done.stdout or "diversification" not in done.stdout
    stocks = [line for line in done.stdout.splitlines() if "Japanese industry's stock" in line]
    assert any(f"({per}s of use)" in line for line in stocks), stocks      # (long labels are cut short)
    for other in {"week", "day", "turn"} - {per}:
        assert f"t/{other})" not in done.stdout and f"{other}s of use" not in done.stdout
