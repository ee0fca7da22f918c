"""Rulesets that extend the default one: validated the same way, and they change the game as described."""

from __future__ import annotations

import statistics

import pytest

from conftest import run_cli
from wargame.errors import RulesetError
from wargame.model import WargameModel
from wargame.ruleset import load_ruleset
from wargame.scripts import script_from_text

VARIANTS = ["hawkish_beijing", "disengaged_washington", "japan_180_day_stockpile"]


@pytest.mark.parametrize("name", VARIANTS)
def test_each_variant_loads_and_keeps_the_rest_of_the_default(rules, name):
    variant = load_ruleset(f"rulesets/{name}.yaml")
    assert variant.id == name and variant.digest != rules.digest
    assert set(variant.moves) == set(rules.moves)
    assert len(variant.network.lanes) == len(rules.network.lanes)


def test_overrides_merge_into_the_parent(rules):
    hawk = load_ruleset("rulesets/hawkish_beijing.yaml")
    assert hawk.actors["beijing"].resolve == (9, 2)
    assert hawk.politics["tension_start"] == 4.5
    assert hawk.politics["per_severity"] == rules.politics["per_severity"]  # untouched keys survive
    stock = load_ruleset("rulesets/japan_180_day_stockpile.yaml")
    node = stock.network.node_index["jp_jogmec_stockpile"]
    dytb = stock.network.commodity_index["dytb"]
    assert stock.network.nodes[node].inventory[dytb] == pytest.approx(119)


def test_a_mistake_in_a_variant_names_the_variant_file_and_line(tmp_path):
    (tmp_path / "base.yaml").write_text(open("rulesets/rare_earths_2026.yaml").read())
    (tmp_path / "variant.yaml").write_text("extends: base.yaml\nactors:\n  beijing:\n    moves_per_turn: -1\n")
    with pytest.raises(RulesetError) as info:
        load_ruleset(tmp_path / "variant.yaml")
    (problem,) = info.value.problems
    assert problem.file.endswith("variant.yaml") and problem.line == 4
    assert problem.path == "actors.beijing.moves_per_turn"


@pytest.mark.parametrize("variant, expected", [
    # extends a file that is not there: the line of this ruleset that names it
    ("extends: nosuch.yaml\nruleset: {id: x, name: y}\n",
     ["{f}:1: extends: no ruleset file 'nosuch.yaml' to extend (looked for {d}/nosuch.yaml and among the bundled "
      "rulesets: disengaged_washington, hawkish_beijing, japan_180_day_stockpile, rare_earths_2026)"]),
    # a misspelt actor is a new actor without the keys every actor needs: one line that offers the actor meant,
    # on the line of its key
    ("extends: rare_earths_2026.yaml\nactors:\n  beijingg:\n    capital: {start: 16}\n",
     ["{f}:3: actors.beijingg: rare_earths_2026.yaml has no such entry to change (did you mean 'beijing'?); a new one "
      "needs 'name', 'kind' and 'country'"]),
    ("extends: rare_earths_2026.yaml\nmoves:\n  full_export_embrago:\n    severity: 9\n",
     ["{f}:3: moves.full_export_embrago: rare_earths_2026.yaml has no such entry to change (did you mean "
      "'full_export_embargo'?); a new one needs 'name', 'actor', 'family' and 'effects'"]),
    ("extends: rare_earths_2026.yaml\nnodes:\n  jp_defense: {cover_weeks: 8}\n",
     ["{f}:3: nodes.jp_defense: rare_earths_2026.yaml has no such entry to change (did you mean 'jp_defence'?); a new "
      "one needs 'kind' and 'country'"]),
    # a new entry with what it needs is an entry added, whatever its name
    ("extends: rare_earths_2026.yaml\ncountries:\n  KR: {name: South Korea, bloc: partner}\n  VNM: {bloc: other}\n",
     ["{f}:4: countries.VNM: rare_earths_2026.yaml has no such entry to change (did you mean 'VN'?); a new one needs "
      "'name'"]),
    # a section of the wrong type overrides the default's, and is one line
    ("extends: rare_earths_2026.yaml\neconomy: [155]\n", ["{f}:2: economy: expected a mapping, got a list"]),
    ("extends: [rare_earths_2026.yaml]\n",
     ["{f}:1: extends: expected the file name of the ruleset this one extends"]),
    ("extends: variant.yaml\n", ["{f}:1: extends: rulesets extend each other in a loop through 'variant.yaml'"]),
    ("extends: rare_earths_2026.yaml\npolitics:\n\ttension: {start: 4.5}\n",
     ["{f}:3: YAML syntax error: a tab where YAML expects spaces (it indents with spaces only)"]),
])
def test_mistakes_in_a_variant(tmp_path, default_text, variant, expected):
    (tmp_path / "rare_earths_2026.yaml").write_text(default_text)
    path = tmp_path / "variant.yaml"
    path.write_text(variant)
    result = run_cli("validate", str(path))
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [e.format(f=path, d=tmp_path) for e in expected]


@pytest.mark.parametrize("extends", ["rare_earths_2026.yaml", "rare_earths_2026", "hawkish_beijing.yaml"])
def test_a_variant_written_anywhere_extends_a_bundled_ruleset(tmp_path, extends):
    """An instructor's own variant, in a folder of their own, extends the ruleset the game ships with."""
    path = tmp_path / "mine.yaml"
    path.write_text(f"extends: {extends}\nruleset: {{id: mine, name: Mine}}\npolitics: {{tension: {{start: 3.25}}}}\n")
    mine = load_ruleset(path)
    parent = load_ruleset(extends)
    assert mine.id == "mine" and mine.politics["tension_start"] == 3.25
    assert set(mine.moves) == set(parent.moves) and mine.actors["beijing"].resolve == parent.actors["beijing"].resolve
    done = run_cli("run", str(path), "--turns", "2", cwd=tmp_path)
    assert done.returncode == 0, done.stderr


def test_a_ruleset_beside_the_variant_comes_before_the_bundled_one(tmp_path, default_text):
    (tmp_path / "rare_earths_2026.yaml").write_text(default_text.replace("id: rare_earths_2026", "id: local_copy", 1))
    (tmp_path / "mine.yaml").write_text("extends: rare_earths_2026.yaml\n")
    assert load_ruleset(tmp_path / "mine.yaml").id == "local_copy"


def coercion_by_beijing(rules, seeds):
    counts = []
    for seed in seeds:
        model = WargameModel(rules, rng=seed, turns=20)
        model.run()
        counts.append(sum(1 for r in model.reports for m in r.orders["beijing"]
                          if rules.moves[m].family == "coercion"))
    return statistics.mean(counts)


def test_a_hawkish_beijing_coerces_more(rules):
    hawk = load_ruleset("rulesets/hawkish_beijing.yaml")
    assert coercion_by_beijing(hawk, range(20)) > coercion_by_beijing(rules, range(20))


def test_a_bigger_stockpile_cuts_the_loss_of_a_full_stop(rules):
    text = ("hold: all\nturns:\n  1: {beijing: [dual_use_export_ban, halt_licence_reviews]}\n"
            "  2: {beijing: [full_export_embargo]}\n  3: {tokyo: [release_national_stockpile]}\n")

    def loss(rs):
        model = WargameModel(rs, rng=0, script=script_from_text(text, rs), turns=40)
        model.run()
        return model.state.japan_gdp_loss_jpy

    assert loss(load_ruleset("rulesets/japan_180_day_stockpile.yaml")) < 0.95 * loss(rules)


def test_an_entry_deleted_but_still_named_is_one_line_at_the_deletion(tmp_path, default_text):
    """Not one line in the default's file for each place that names it, which the variant's author did not write."""
    (tmp_path / "rare_earths_2026.yaml").write_text(default_text)
    path = tmp_path / "variant.yaml"
    path.write_text("extends: rare_earths_2026.yaml\nmoves:\n  wto_case: ~\n  korea_summit: ~\nnodes:\n"
                    "  jp_deepsea_mud: ~\n")
    result = run_cli("validate", str(path))

    def at(text: str) -> str:
        return f"{tmp_path}/rare_earths_2026.yaml:{default_text[:default_text.index(text)].count(chr(10)) + 1}"
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        f"{path}:3: moves.wto_case: deleted, but still named once: moves.g7_wto_joint_case.requires[0].played "
        f"({at('requires: [{played: wto_case}]')}); delete or change those too, or keep it",
        f"{path}:6: nodes.jp_deepsea_mud: deleted, but still named twice: edges.jp_mud_ore.from "
        f"({at('  jp_mud_ore:')}), moves.deep_sea_mud_programme.effects[0].node "
        f"({at('- {op: capacity_project, node: jp_deepsea_mud')}); delete or change those too, or keep it"]


# Each variant's mistakes, as (line of the variant, path, words the message holds), in the order expected: the
# line is always one the variant's author wrote, even where the value it changed or deleted is a mapping the
# default defines (whose own line is in the default's file).
BLAMED = [
    # a key deleted from an entry that needs it: the line that deletes it
    ("actors:\n  tokyo:\n    resolve: ~\n", [(5, "actors.tokyo", "a government needs 'resolve'")]),
    ("nodes:\n  cn_mines:\n    capacity: ~\n", [(5, "nodes.cn_mines", "needs 'capacity'")]),
    ("moves:\n  demarche:\n    name: Protest\n    effects: ~\n",
     [(6, "moves.demarche", "missing required key 'effects'")]),
    ("politics:\n  ladder: ~\n", [(4, "politics", "missing required key 'ladder'")]),
    # a change that leaves its section wrong as a whole: the first line the variant wrote inside it
    ("outcomes:\n  managed_rivalry:\n    terminal: true\n    sustain: 2\n",
     [(4, "outcomes", "expected a fallback outcome")]),
    # an actor made no longer a government, which the default names as one in several places: one line, at the kind
    ("actors:\n  beijing:\n    kind: firm\n",
     [(5, "actors.beijing.kind", "'firm', but still named as a government")]),
    # a limit lowered below values the default gives: one line, at the limit, naming them
    ("economy:\n  substitution_cap_per_year: 0.01\n",
     [(4, "economy.substitution_cap_per_year", "0.01 puts 6 values of the ruleset it extends out of range: "
                                               "moves.recycling_programme.effects[0].per_year (0.02, ")]),
    ("politics:\n  tension:\n    max: 2\n",
     [(5, "politics.tension.max", "2 puts a value of the ruleset it extends out of range: politics.tension.start (4, ")]),
    ("actors:\n  tokyo:\n    capital: {max: 5}\n",
     [(5, "actors.tokyo.capital.max", "out of range: actors.tokyo.capital.start (12, ")]),
    # ...but a value the variant gives beyond its own limit is that value's mistake
    ("politics:\n  tension:\n    max: 3\n    start: 5\n",
     [(6, "politics.tension.start", "expected a number between 0 and 3, got 5")]),
    # a misspelt actor that would need more than a new actor has: once, at the misspelling
    ("actors:\n  bejing:\n    kind: government\n",
     [(4, "actors.bejing", "no such entry to change (did you mean 'beijing'?)")]),
    # mistakes in several sections, said in the order of the file, not the order they are checked in
    ("moves:\n  demarche:\n    actor: tokio\nopening:\n  active:\n    - {move: seafood_import_ban, actor: bejing}\n"
     "politics:\n  pressure:\n    drivers:\n      tokio: {tension: 0.02}\nedges:\n  cn_sep_jp_alloy:\n    capacity: -5\n"
     "nodes:\n  cn_mines:\n    operator: tokio\n",
     [(5, "moves.demarche.actor", "unknown actor 'tokio'"), (8, "opening.active[0].actor", "unknown actor"),
      (12, "politics.pressure.drivers.tokio", "unknown government 'tokio'"),
      (15, "edges.cn_sep_jp_alloy.capacity", "expected a mapping"),
      (18, "nodes.cn_mines.operator", "unknown actor 'tokio'")]),
]


@pytest.mark.parametrize("body, expected", BLAMED)
def test_a_variant_s_mistakes_are_blamed_on_its_own_lines_once_each_in_file_order(tmp_path, body, expected):
    path = tmp_path / "variant.yaml"
    path.write_text("extends: rare_earths_2026\nruleset: {id: v, name: v}\n" + body)
    with pytest.raises(RulesetError) as info:
        load_ruleset(path)
    got = info.value.problems
    assert [(p.file, p.line, p.path) for p in got] == [(str(path), line, key) for line, key, _ in expected]
    for problem, (_, _, words) in zip(got, expected):
        assert words in problem.message
