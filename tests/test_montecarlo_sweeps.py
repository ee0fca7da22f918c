"""--set overrides, sweep files (grid and Latin hypercube) and the sensitivity table."""

from __future__ import annotations

import copy

import numpy as np
import pandas as pd
import pytest

from wargame import WargameError
from wargame import montecarlo
from wargame.montecarlo import overrides as ov
from wargame.montecarlo import summary, sweeps
from wargame.montecarlo.sweeps import load_sweep


@pytest.fixture(scope="module")
def base(rules):
    return copy.deepcopy(rules.raw)


def test_values_set_are_shown_as_they_are_typed_not_as_python_writes_them(tmp_path):
    sets = ["economy.shortage_convexity=null", "actors.tokyo.resolve={alpha: 2, beta: 3}",
            "nodes.jp_magnet_makers.cover_weeks=8.5", "actors.beijing.policy=random"]
    result = montecarlo.run(runs=1, turns=1, workers=1, overrides=sets, out=tmp_path / "mc", progress=False,
                            charts=False)
    assert "Parameters set: `actors.beijing.policy=random`, `actors.tokyo.resolve={alpha: 2, beta: 3}`, " \
           "`economy.shortage_convexity=null`, `nodes.jp_magnet_makers.cover_weeks=8.5`." in result.summary.markdown
    with pytest.raises(WargameError) as info:
        montecarlo.run(out=tmp_path / "mc", resume=True, overrides=["economy.shortage_convexity=true"])
    assert "overrides='economy.shortage_convexity=true' differs from the batch" in str(info.value)
    assert "actors.tokyo.resolve={alpha: 2, beta: 3} economy.shortage_convexity=null" in str(info.value)


def test_assignments_read_values_as_yaml():
    assert ov.parse_assignments(["a.b=8", "c=1.2", "d=[x, y]", "e=text"]) == (
        ("a.b", 8), ("c", 1.2), ("d", ["x", "y"]), ("e", "text"))
    assert ov.parse_assignments({"x.y": 2}) == (("x.y", 2),)
    for bad in ("novalue", "=3", "a.b="):
        with pytest.raises(WargameError):
            ov.parse_assignment(bad)


@pytest.mark.parametrize("items, words", [
    (["a.b=8", "a.b=9"], ["overrides=: a.b is given twice (8, 9); give it once"]),
    (["a.b=8", "c=1", "a.b=8", "c=2", "a.b=9"], ["overrides=: a.b is given 3 times (8, 8, 9); give it once",
                                                 "overrides=: c is given twice (1, 2); give it once"]),
    ([("a.b", "x"), ("a.b", "y")], ["overrides=: a.b is given twice (x, y); give it once"]),
])
def test_a_parameter_given_twice_is_refused(items, words):
    with pytest.raises(WargameError) as info:
        ov.parse_assignments(items)
    assert info.value.lines() == words


def test_overrides_reach_any_parameter_by_its_path(base):
    changed = ov.apply(base, (("actors.beijing.resolve.alpha", 8), ("nodes.jp_magnet_makers.cover_weeks", 12),
                              ("economy.shortage_convexity", 1.2), ("opening.active.0.actor", "beijing")))
    assert changed["actors"]["beijing"]["resolve"]["alpha"] == 8
    assert changed["nodes"]["jp_magnet_makers"]["cover_weeks"] == 12
    assert changed["economy"]["shortage_convexity"] == 1.2
    assert base["economy"]["shortage_convexity"] != 1.2          # the original is untouched
    rung = next(k for k in base["politics"]["ladder"] if "." in k)  # keys with dots, like the ladder's 3.5
    assert ov.apply(base, ((f"politics.ladder.{rung}", "Renamed"),))["politics"]["ladder"][rung] == "Renamed"
    rules = ov.build(base, (("economy.shortage_convexity", 1.2),), file="x.yaml")
    assert rules.economy["shortage_convexity"] == 1.2


@pytest.mark.parametrize("path, words", [
    ("economy.shortage_convexit", "unknown key 'shortage_convexit' (did you mean 'shortage_convexity'?)"),
    ("actors.nobody.resolve.alpha", "actors has no 'nobody'"),
    ("economy.shortage_convexity.deeper", "is a single value"),
    ("opening.active.9.move", "expected an index from 0"),
])
def test_unknown_parameter_paths_are_named(base, path, words):
    with pytest.raises(WargameError) as info:
        ov.check_path(base, path, 1)
    assert words in str(info.value) and path in str(info.value)


def test_optional_settings_left_at_their_default_can_be_set(base):
    assert "policy" not in base["actors"]["beijing"]
    ov.check_path(base, "actors.beijing.policy", "random")
    assert ov.build(base, (("actors.beijing.policy", "random"),), file="x").actors["beijing"].policy == "random"
    with pytest.raises(WargameError, match="unknown parameter 'actors.beijing.polcy'.*did you mean 'policy'"):
        ov.check_path(base, "actors.beijing.polcy", "random")


def test_values_the_ruleset_rejects_are_reported_with_the_override(base):
    with pytest.raises(WargameError) as info:
        ov.build(base, (("economy.shortage_convexity", 9),), file="r.yaml")
    assert "economy.shortage_convexity" in str(info.value) and "between 1 and 4" in str(info.value)


def test_a_grid_plays_every_combination(base):
    sweep = load_sweep({"method": "grid", "parameters": {
        "actors.beijing.resolve.alpha": [4, 6, 8],
        "economy.shortage_convexity": {"min": 1.0, "max": 2.0, "steps": 3}}}, base, (), seed=0)
    assert len(sweep.points) == 9
    assert sweep.points[0] == (("actors.beijing.resolve.alpha", 4), ("economy.shortage_convexity", 1.0))
    assert sweep.points[-1] == (("actors.beijing.resolve.alpha", 8), ("economy.shortage_convexity", 2.0))


def test_a_latin_hypercube_fills_each_stratum_once(base):
    sweep = load_sweep({"method": "lhs", "samples": 10, "seed": 4, "parameters": {
        "economy.shortage_convexity": {"min": 1.0, "max": 3.0},
        "actors.beijing.moves_per_turn": {"min": 1, "max": 3, "integer": True},
        "actors.beijing.policy": ["utility", "random"]}}, base, (), seed=0)
    values = pd.DataFrame([dict(p) for p in sweep.points])
    strata = np.floor((values["economy.shortage_convexity"] - 1.0) / 0.2).astype(int)
    assert sorted(strata) == list(range(10))
    assert set(values["actors.beijing.moves_per_turn"]) <= {1, 2, 3}
    assert sorted(values["actors.beijing.policy"].value_counts().tolist()) == [5, 5]
    again = load_sweep({"method": "lhs", "samples": 10, "seed": 4, "parameters": {
        "economy.shortage_convexity": {"min": 1.0, "max": 3.0},
        "actors.beijing.moves_per_turn": {"min": 1, "max": 3, "integer": True},
        "actors.beijing.policy": ["utility", "random"]}}, base, (), seed=0)
    assert again.points == sweep.points


@pytest.mark.parametrize("sweep, words", [
    ({"method": "grid", "parameters": {"economy.nope": [1, 2]}}, "unknown parameter 'economy.nope'"),
    ({"method": "cube", "parameters": {"economy.shortage_convexity": [1, 2]}}, "expected one of: grid, lhs"),
    ({"method": "lhs", "parameters": {"economy.shortage_convexity": {"min": 1, "max": 2}}}, "'samples'"),
    ({"method": "grid", "parameters": {"economy.shortage_convexity": {"min": 2, "max": 1, "steps": 3}}},
     "max greater than min"),
    ({"method": "grid", "parameters": {"economy.shortage_convexity": [1.0, 9.0]}},
     "parameters.economy.shortage_convexity[1]: expected a number between 1 and 4, got 9"),
    ({"method": "grid", "parameters": {}}, "at least one parameter"),
    ({"method": "grid", "parametres": {}}, "unknown key 'parametres'"),
    ({"method": "grid", "parameters": {"economy.shortage_convexity": "high"}}, "expected a list of values"),
    ({"method": "grid", "samples": 4, "parameters": {"economy.shortage_convexity": [1, 2]}},
     "samples: 'samples' applies to method: lhs; a grid plays every combination"),
    ({"method": "grid", "seed": 3, "parameters": {"economy.shortage_convexity": [1, 2]}},
     "seed: 'seed' applies to method: lhs, whose points it draws; a grid's points are not drawn, and its games' "
     "seeds come from the batch seed"),
])
def test_bad_sweeps_are_explained(base, sweep, words):
    with pytest.raises(WargameError) as info:
        load_sweep(sweep, base, (), seed=0)
    assert words in str(info.value)


@pytest.mark.parametrize("sweep, words", [
    # Refused at once, before the billion combinations are listed (which would fill the memory).
    ({"method": "grid", "parameters": {"economy.shortage_convexity": {"min": 1, "max": 2, "steps": 1000},
                                       "actors.beijing.resolve.alpha": {"min": 1, "max": 9, "steps": 1000},
                                       "nodes.jp_magnet_makers.cover_weeks": {"min": 1, "max": 9, "steps": 1000}}},
     "parameters: the grid has 1,000,000,000 points (1,000 × 1,000 × 1,000); at most 100,000"),
    ({"method": "grid", "parameters": {"economy.shortage_convexity": {"min": 1, "max": 2, "steps": 317},
                                       "actors.beijing.resolve.alpha": list(range(1, 317))}},
     "the grid has 100,172 points (317 × 316)"),
    ({"method": "lhs", "samples": 100_001, "parameters": {"economy.shortage_convexity": {"min": 1, "max": 2}}},
     "samples: expected a whole number between 1 and 100,000"),
])
def test_a_sweep_of_more_than_100000_points_is_refused_at_once(base, sweep, words):
    import time

    started = time.perf_counter()
    with pytest.raises(WargameError) as info:
        load_sweep(sweep, base, (), seed=0)
    assert words in str(info.value) and len(info.value.lines()) == 1
    assert time.perf_counter() - started < 5


# A parameter the ruleset rejects alone is said once, at its line in the sweep file, before any point is made of
# it: not once for each point it is part of. (sweep file text, the lines expected)
PARAMETER_MISTAKES = [
    ("a range over whole numbers, sampled as any number",
     "method: lhs\nsamples: 20\nparameters:\n  actors.beijing.moves_per_turn: {min: 1, max: 3}\n"
     "  calendar.max_turns: {min: 10, max: 20}\n",
     ["S:4: parameters.actors.beijing.moves_per_turn: takes a whole number; add `integer: true` to sample whole "
      "numbers",
      "S:5: parameters.calendar.max_turns: takes a whole number; add `integer: true` to sample whole numbers"]),
    ("grid steps between whole numbers",
     "method: grid\nparameters:\n  actors.beijing.moves_per_turn: {min: 1, max: 3, steps: 4}\n",
     ["S:3: parameters.actors.beijing.moves_per_turn: takes a whole number; 4 steps from 1 to 3 include 1.66667: "
      "use steps: 3 (1, 2, 3), or list the values"]),
    ("grid steps between whole numbers, a longer span",
     "method: grid\nparameters:\n  calendar.max_turns: {min: 10, max: 50, steps: 7}\n",
     ["S:3: parameters.calendar.max_turns: takes a whole number; 7 steps from 10 to 50 include 16.6667: use steps: 6 "
      "(10, 18, 26, 34, 42, 50), or list the values"]),
    ("grid steps between whole numbers, many of them",
     "method: grid\nparameters:\n  calendar.max_turns: {min: 1, max: 101, steps: 30}\n",
     ["S:3: parameters.calendar.max_turns: takes a whole number; 30 steps from 1 to 101 include 4.44828: use steps: 26 "
      "(1, 5, … 101), or list the values"]),
    ("a listed value out of range, beside another parameter",
     "method: grid\nparameters:\n  actors.beijing.resolve.alpha: [3, 6]\n"
     "  economy.shortage_convexity:\n    - 1.0\n    - 9\n",
     ["S:6: parameters.economy.shortage_convexity[1]: expected a number between 1 and 4, got 9"]),
    ("a listed value that is not whole",
     "method: grid\nparameters:\n  actors.beijing.moves_per_turn: [1, 2.5, 3]\n",
     ["S:3: parameters.actors.beijing.moves_per_turn[1]: expected a whole number, got 2.5"]),
    ("the end of a range out of range",
     "method: lhs\nsamples: 5\nparameters:\n  economy.shortage_convexity: {min: 0.5, max: 2}\n",
     ["S:4: parameters.economy.shortage_convexity.min: expected a number between 1 and 4, got 0.5"]),
    ("a value that breaks another setting",
     "method: grid\nparameters:\n  politics.tension.max: [10, 3]\n",
     ["S:3: parameters.politics.tension.max[1]: with politics.tension.max=3, politics.tension.start: expected a "
      "number between 0 and 3, got 4"]),
    ("besides a mistake in the sweep's own keys",
     "method: lhs\nsamples: 0\nparameters:\n  actors.beijing.policy: [utility, nosuch]\n",
     ["S:2: samples: expected a whole number between 1 and 100,000, got 0",
      "S:4: parameters.actors.beijing.policy[1]: expected one of: utility, random, hold; got text 'nosuch'"]),
]


@pytest.mark.parametrize("text, lines", [c[1:] for c in PARAMETER_MISTAKES], ids=[c[0] for c in PARAMETER_MISTAKES])
def test_a_parameter_the_ruleset_rejects_is_said_once_at_its_line(tmp_path, base, text, lines):
    path = tmp_path / "sweep.yaml"
    path.write_text(text)
    with pytest.raises(WargameError) as info:
        load_sweep(path, base, (), seed=0)
    assert [line.replace(str(path), "S") for line in info.value.lines()] == lines


@pytest.mark.parametrize("spec", [
    {"method": "lhs", "samples": 8, "parameters": {"actors.beijing.moves_per_turn": {"min": 1, "max": 3,
                                                                                     "integer": True}}},
    {"method": "grid", "parameters": {"calendar.max_turns": {"min": 10, "max": 50, "steps": 5}}},
    {"method": "grid", "parameters": {"calendar.max_turns": {"min": 10.0, "max": 50.0, "steps": 5}}},
])
def test_ranges_over_whole_numbers_that_give_whole_numbers_are_accepted(base, spec):
    sweep = load_sweep(spec, base, (), seed=0)
    assert all(float(v).is_integer() for point in sweep.points for _, v in point)


TENSION = {"politics.tension.start": [1, 7], "politics.tension.max": [10, 5]}


@pytest.mark.parametrize("parameters, lines", [
    # Each value is fine alone; the combination start 7, max 5 is not. Every point is named with all its values.
    (TENSION, ["<sweep>: sweep point 3 (politics.tension.start=7, politics.tension.max=5): politics.tension.start: "
               "expected a number between 0 and 5, got 7"]),
    ({**TENSION, "economy.shortage_convexity": {"min": 1.0, "max": 2.0, "steps": 3}},
     [f"<sweep>: sweep point {i} (politics.tension.start=7, politics.tension.max=5, economy.shortage_convexity={c}): "
      "politics.tension.start: expected a number between 0 and 5, got 7" for i, c in ((9, 1), (10, 1.5), (11, 2))]),
    ({"politics.tension.start": [6, 7, 8, 9], "politics.tension.max": [5, 5.5, 10],
      "economy.shortage_convexity": [1.0, 1.1]},
     10 * [None] + ["<sweep>: and 6 more of the 24 sweep points the ruleset rejects"]),
])
def test_every_point_of_a_sweep_is_checked_before_anything_runs(base, parameters, lines):
    with pytest.raises(WargameError) as info:
        load_sweep({"method": "grid", "parameters": parameters}, base, (), seed=0)
    shown = [str(p) for p in info.value.problems]
    assert len(shown) == len(lines), shown
    for got, want in zip(shown, lines):
        assert want is None and got.startswith("<sweep>: sweep point ") or got == want


def test_a_large_sweep_reports_a_rejected_point_as_bad_input_when_met(tmp_path, monkeypatch):
    """Above CHECK_EVERY_POINT points only each value alone is checked up front; a combination the ruleset
    rejects stops the batch as bad input naming the point, not as a failed game to resume or replay."""
    monkeypatch.setattr(sweeps, "CHECK_EVERY_POINT", 3)
    sweep = {"method": "grid", "parameters": {"economy.shortage_convexity": [1.0, 1.5], **TENSION}}
    with pytest.raises(WargameError) as info:
        montecarlo.run(runs=2, turns=2, workers=1, chunk=2, sweep=sweep, out=tmp_path / "mc", progress=False,
                       charts=False)
    assert not isinstance(info.value, montecarlo.BatchFailed)
    assert info.value.lines() == [
        "<sweep>: sweep point 3 (economy.shortage_convexity=1, politics.tension.start=7, politics.tension.max=5): "
        "politics.tension.start: expected a number between 0 and 5, got 7"]
    assert len(list((tmp_path / "mc" / "parts" / "runs").glob("part-*.parquet"))) == 3   # points 0-2 are kept


def test_a_sweep_file_with_a_yaml_error_names_its_line(tmp_path, base):
    path = tmp_path / "bad.yaml"
    path.write_text("method: grid\nparameters:\n  economy.shortage_convexity: [1, 2\n")
    with pytest.raises(WargameError) as info:
        load_sweep(path, base, (), seed=0)
    assert "bad.yaml" in str(info.value) and "YAML syntax error" in str(info.value)


def test_a_parameter_cannot_be_both_set_and_swept(base):
    with pytest.raises(WargameError, match="also given with --set"):
        load_sweep({"method": "grid", "parameters": {"economy.shortage_convexity": [1, 2]}}, base,
                   (("economy.shortage_convexity", 1.5),), seed=0)


@pytest.mark.parametrize("values, shown", [
    ([1.0, 0.9, 0.0], ["1.00", "0.90", "0.00"]),                     # one format for a column, not 1.00, 0.9, 0
    ([1.0, 1.3333333, 1.6666667, 2.0], ["1.00", "1.33", "1.67", "2.00"]),
    ([1.0, 1.001], ["1.000", "1.001"]),                              # as many decimals as tell values apart
    ([2, 12], ["2", "12"]),
    ([4.0, 12.0], ["4", "12"]),
    ([345.2, 37.9], ["345", "38"]),
    ([0.0012, 0.0003], ["0.00120", "0.00030"]),
    ([float("nan"), 3.25], ["–", "3.25"]),
    (["utility", "random"], ["utility", "random"]),
])
def test_a_summary_column_is_formatted_alike(values, shown):
    assert summary._column(values) == shown


@pytest.mark.parametrize("value, shown", [
    (-3.5e-18, "0.00"), (2e-17, "0.00"), (-0.004, "0.00"), (0.5341, "0.53"), (-0.816, "-0.82"), (1.0, "1.00"),
    (float("nan"), "–"),
])
def test_correlations_are_shown_with_two_decimals_and_zero_as_zero(value, shown):
    assert summary._coef(value) == shown


def test_the_summary_of_a_large_sweep_says_the_table_by_point_is_left_out(tmp_path):
    sweep = {"method": "grid", "parameters": {"economy.shortage_convexity": {"min": 1.0, "max": 3.0, "steps": 51}}}
    result = montecarlo.run(runs=1, turns=2, seed=1, workers=1, sweep=sweep, out=tmp_path / "s", progress=False,
                            charts=False)
    text = result.summary.markdown
    assert "51 runs of up to 2 turns" in text and "1 run at each point" in text and " 1 runs" not in text
    section = text.split("## By sweep point")[1]
    assert "Left out: the sweep has 51 points" in section and "up to 50" in section
    assert result.summary.points is None
    assert "e-" not in text.split("## Sensitivity")[1]


def test_a_sweep_batch_records_parameters_and_ranks_them(tmp_path):
    sweep = {"method": "grid", "common_seeds": True, "parameters": {
        "actors.beijing.resolve.alpha": [2, 12], "economy.shortage_convexity": [1.0, 3.0]}}
    result = montecarlo.run(runs=8, turns=8, seed=3, workers=1, sweep=sweep, out=tmp_path / "s",
                            overrides=["nodes.jp_magnet_makers.cover_weeks=6"], progress=False, charts=False)
    runs = result.runs
    assert len(runs) == 4 * 8
    assert (runs["param.nodes.jp_magnet_makers.cover_weeks"] == 6).all()
    assert runs.groupby("point")["param.actors.beijing.resolve.alpha"].first().tolist() == [2, 2, 12, 12]
    # Common seeds: replicate r uses the same seed at every point.
    assert (runs.groupby("replicate")["seed"].nunique() == 1).all()
    table = result.sensitivity
    assert set(table["parameter"]) == {"actors.beijing.resolve.alpha", "economy.shortage_convexity"}
    for row in table.itertuples():
        x = runs[f"param.{row.parameter}"].rank()
        rho = np.corrcoef(x, runs["final.japan_gdp_loss_jpy"].rank())[0, 1]
        assert row.rho_loss == pytest.approx(rho, nan_ok=True)
    # Ranked as the summary says: by the largest |ρ| in the row, strongest first.
    strength = table[[c for c in table.columns if c.startswith("rho_")]].abs().max(axis=1).tolist()
    assert strength == sorted(strength, reverse=True)
    text = result.summary.markdown
    assert "## Sensitivity" in text and "## By sweep point" in text
    assert "Rows are ranked by the largest |ρ| in the row, strongest first." in text
    # The outcome shares pool the points' runs, which common seeds make alike: the summary says both.
    outcomes = text.split("## Outcomes")[1].split("|")[0]
    assert "over the runs of all 4 sweep points together: the shares depend on the points the sweep chose, and " \
           "the table by sweep point gives each point's; as every point replays the same seeds, runs are not " \
           "independent across points, and the interval is narrower than the data warrant." in outcomes
    assert "a linear fit on all varied numeric parameters" in text
    assert "`actors.beijing.resolve.alpha`" in text
    assert len(result.summary.points) == 4
    section = text.split("## By sweep point")[1].split("\n## ")[0]
    rows = [line.split("|")[1:-1] for line in section.strip().splitlines() if line.startswith("|")][2:]
    assert len(rows) == 4
    for column in zip(*rows):    # every cell of a column has the same number of decimals
        assert len({len(cell.strip().partition(".")[2]) for cell in column}) == 1, column
    # Each share comes with its 95% interval: with 8 runs a point, a share of 0 is not a certainty.
    from wargame.montecarlo.summary import wilson
    table_lines = [line for line in section.strip().splitlines() if line.startswith("|")]
    header = [cell.strip() for cell in table_lines[0].split("|")[1:-1]]
    shares = [name for name in header if name.startswith("P(")]
    assert shares and not [name for name in header if name.endswith((" low", " high"))]
    for row, point in zip(rows, sorted(runs["point"].unique())):
        for name in shares:
            k = int((runs[runs["point"] == point]["outcome"] == name[2:-1]).sum())
            lo, hi = wilson(k, 8)
            assert row[header.index(name)].strip() == f"{k / 8:.2f} ({lo:.2f}–{hi:.2f})"


def test_a_swept_text_parameter_is_shown_by_value_where_the_sensitivity_table_cannot_rank_it(tmp_path):
    # The policy takes text values: no correlation ranks it, so the summary gives its outcomes and loss by value
    # (before, it was left out without a word, whatever it did to the loss).
    sweep = {"method": "lhs", "samples": 4, "seed": 5, "parameters": {
        "economy.shortage_convexity": {"min": 1.0, "max": 2.5}, "actors.beijing.policy": ["utility", "random"]}}
    result = montecarlo.run(runs=3, turns=6, seed=2, workers=1, sweep=sweep, out=tmp_path / "s", progress=False,
                            charts=False)
    runs = result.runs
    assert list(result.sensitivity["parameter"]) == ["economy.shortage_convexity"]
    table = result.by_value
    assert list(table["value"]) == ["random", "utility"]
    for row in table.to_dict("records"):
        group = runs[runs["param.actors.beijing.policy"] == row["value"]]
        assert row["runs"] == len(group) == 6
        assert row["median loss (¥ bn)"] == pytest.approx(group["final.japan_gdp_loss_jpy"].median() * 1e-9)
        for outcome in set(runs["outcome"]):
            assert row[f"P({outcome})"] == pytest.approx((group["outcome"] == outcome).mean())
    outcomes = result.summary.markdown.split("## Outcomes")[1].split("|")[0]
    assert "all 4 sweep points together" in outcomes and "same seeds" not in outcomes
    indicators = result.summary.markdown.split("## Key indicators")[1].split("|")[0]
    assert "Median and 5–95% range over the runs of all 4 sweep points together (for events" in indicators
    section = result.summary.markdown.split("## Text parameters")[1].split("##")[0]
    assert "`actors.beijing.policy` takes text values" in section
    lines = [line for line in section.splitlines() if line.startswith("| `actors.beijing.policy` |")]
    assert [line.split("|")[2].strip() for line in lines] == ["random", "utility"]


def test_a_sweep_of_numbers_only_has_no_text_parameter_section(tmp_path):
    sweep = {"method": "grid", "parameters": {"economy.shortage_convexity": [1.0, 2.0]}}
    result = montecarlo.run(runs=2, turns=3, workers=1, sweep=sweep, out=tmp_path / "s", progress=False,
                            charts=False)
    assert result.by_value is None and "## Text parameters" not in result.summary.markdown


def test_the_charts_of_a_sweep_say_its_points_are_pooled(tmp_path, monkeypatch):
    from wargame.montecarlo import charts

    figures = []
    real = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda *a: figures.append(real(*a)) or figures[-1])
    sweep = {"method": "grid", "parameters": {"economy.shortage_convexity": [1.0, 2.0, 3.0]}}
    montecarlo.run(runs=2, turns=2, workers=1, sweep=sweep, out=tmp_path / "s", progress=False)
    titles = [ax.get_title() for _, axes in figures for ax in axes]
    assert "Outcomes of 6 runs (3 sweep points together)" in titles
    assert "Japan's loss at the end of the game (3 sweep points together)" in titles
    fan = figures[0][0]
    assert "(6 runs of 3 sweep points together; a finished game keeps its final value)" in fan.get_suptitle()
