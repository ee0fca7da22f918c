"""Replaying one run of a Monte Carlo batch alone: the point rulesets in DIR/points and the command to replay a run."""

from __future__ import annotations

import dataclasses
import json
import re
import shlex

import pandas as pd
import pytest
import yaml

from conftest import json_lines, run_cli
from wargame import WargameError, montecarlo
from wargame.montecarlo import overrides as ov
from wargame.montecarlo.runner import make_plan
from wargame.montecarlo.storage import BatchDir, point_file
from wargame.ruleset import load_ruleset

SWEEP = "method: grid\nparameters:\n  actors.beijing.resolve.alpha: [2, 12]\n  politics.ladder.3.5: [Coercion, Squeeze]\n"


def identical(a, b) -> bool:
    """Equal with the same types and the same key order, as the engine may read either."""
    return json.dumps(a, default=str) == json.dumps(b, default=str) and repr(a) == repr(b)


def indicators_of(turn: dict, columns: list[str]) -> dict[str, float]:
    """A `wargame run --json` turn's indicators, named as the batch's columns ('sector_output.jp_autos_ev')."""
    out = {}
    for column in columns:
        name, _, key = column.partition(".")
        out[column] = turn[name][key] if key else turn[name]
    return out


@pytest.fixture(scope="module")
def swept(tmp_path_factory):
    """A batch with --set (a section set whole, then a setting inside it) and a two-parameter sweep."""
    folder = tmp_path_factory.mktemp("replay")
    sweep = folder / "sweep.yaml"
    sweep.write_text(SWEEP)
    out = folder / "mc"
    result = run_cli("montecarlo", "--runs", "3", "--turns", "8", "--seed", "5", "--workers", "1", "--quiet",
                     "--no-charts", "--sweep", str(sweep), "--set", "economy.shortage_convexity=2.5",
                     "--set", "actors.tokyo.resolve={alpha: 3, beta: 2}", "--out", str(out))
    assert result.returncode == 0, result.stderr
    return out


@pytest.mark.parametrize("run_id", [0, 4, 11])
def test_the_command_the_batch_gives_replays_its_run_exactly(swept, run_id):
    runs = pd.read_parquet(swept / "runs.parquet")
    manifest = json.loads((swept / "batch.json").read_text())
    row = runs[runs["run_id"] == run_id].iloc[0]
    command = montecarlo.replay_command(swept, run_id)
    point = f"point-{int(row['point']):04d}.yaml"
    assert command == (f"wargame run {swept / 'points' / point} --seed {int(row['seed'])} --turns 8")
    words = shlex.split(command)
    replayed = run_cli(*words[1:], "--json")
    assert replayed.returncode == 0, replayed.stderr
    lines = json_lines(replayed.stdout)
    turns, summary = [line for line in lines if line["type"] == "turn"], lines[-1]
    assert summary["outcome"] == row["outcome"] and summary["turns"] == row["turns"] == len(turns)
    final = indicators_of(turns[-1], manifest["columns"])
    assert final == {c: row[f"final.{c}"] for c in manifest["columns"]}
    highest = {c: max(v) for c, v in zip(manifest["columns"], zip(*(indicators_of(t, manifest["columns"]).values()
                                                                         for t in turns)))}
    assert highest == {c: row[f"max.{c}"] for c in manifest["columns"]}


def test_each_point_file_is_the_ruleset_the_point_played(swept):
    plan = BatchDir(swept).read()[1]
    files = sorted((swept / "points").iterdir())
    assert [f.name for f in files] == ["point-0000.yaml", "point-0001.yaml", "point-0002.yaml", "point-0003.yaml"]
    for point, path in enumerate(files):
        text = path.read_text()
        assert "extends: ../ruleset.yaml" in text
        assert f"in the batch's directory: wargame run points/point-{point:04d}.yaml --seed SEED --turns 8" in text
        assert identical(load_ruleset(path).raw, ov.apply(plan.ruleset_data, plan.overrides_of(point)))
    assert yaml.safe_load(files[3].read_text())["actors"]["beijing"]["resolve"] == {"alpha": 12}


@pytest.mark.parametrize("overrides", [
    {"economy.shortage_convexity": 2},                                 # an int where the ruleset has a float
    {"actors.beijing.policy": "random"},                               # an optional setting left at its default
    {"actors.beijing.resolve": {"beta": 2, "alpha": 3}},               # a section set whole, in another key order
    {"actors.beijing.resolve": {"alpha": 3}, "actors.beijing.resolve.beta": 9},
    {"opening.active.1.move": "tourism_advisory", "opening.active.0.actor": "beijing"},   # list elements
    {"politics.ladder.3.5": "Squeeze"},                                # a key with a dot
    {"calendar": {"start_date": "2026-02-01"}},                        # a section that loses keys
])
def test_a_point_ruleset_extends_the_batch_ruleset_to_exactly_what_the_point_plays(tmp_path, overrides):
    plan = make_plan(None, runs=1, turns=3, seed=0, script=None, overrides=overrides, sweep=None, every=1,
                     chunk=None)
    folder = BatchDir(tmp_path)
    folder.create(plan)
    path = point_file(tmp_path, plan, 0)
    assert identical(load_ruleset(path).raw, ov.apply(plan.ruleset_data, plan.fixed)), path.read_text()


def test_a_value_an_extension_cannot_set_is_written_in_a_whole_ruleset(tmp_path):
    # extends: reads null as 'delete this key', so a value set to null needs the whole ruleset.
    plan = make_plan(None, runs=1, turns=3, seed=0, script=None, overrides={}, sweep=None, every=1, chunk=None)
    plan = dataclasses.replace(plan, fixed=(("actors.beijing.description", None),))
    BatchDir(tmp_path).create(plan)
    text = point_file(tmp_path, plan, 0).read_text()
    assert "extends:" not in text
    assert identical(yaml.safe_load(text), ov.apply(plan.ruleset_data, plan.fixed))


def test_a_batch_without_parameters_replays_from_its_ruleset_copy(tmp_path):
    result = montecarlo.run(runs=2, turns=3, seed=1, workers=1, out=tmp_path / "mc", progress=False, charts=False)
    assert not (tmp_path / "mc" / "points").exists()
    seed = int(result.runs["seed"].iloc[1])
    assert result.replay_command(1) == f"wargame run {tmp_path / 'mc' / 'ruleset.yaml'} --seed {seed} --turns 3"
    with pytest.raises(WargameError, match=r"run_id: expected a run id from 0 to 1, got 2"):
        result.replay_command(2)


def test_a_large_sweep_writes_a_points_ruleset_when_a_replay_asks_for_it(tmp_path, monkeypatch):
    from wargame.montecarlo import storage

    monkeypatch.setattr(storage, "POINTS_AT_START", 3)
    sweep = {"method": "grid", "parameters": {"actors.beijing.resolve.alpha": [2, 4, 7, 8]}}
    result = montecarlo.run(runs=1, turns=2, sweep=sweep, workers=1, out=tmp_path / "mc", progress=False,
                            charts=False)
    points = tmp_path / "mc" / "points"
    before = {p.name for p in points.iterdir()} if points.exists() else set()
    assert "point-0002.yaml" not in before
    assert f"{points / 'point-0002.yaml'} --seed" in montecarlo.replay_command(tmp_path / "mc", 2)
    assert yaml.safe_load((points / "point-0002.yaml").read_text())["actors"]["beijing"]["resolve"] == {"alpha": 7}
    assert result.replay_command(2) == montecarlo.replay_command(tmp_path / "mc", 2)


def test_a_failed_game_is_told_with_the_command_that_replays_it(tmp_path, monkeypatch):
    from wargame.montecarlo import worker

    played = worker.play

    def play(plan, setup, run_id, seed, out):
        if run_id == 3:
            raise ValueError("a bug in the engine")
        played(plan, setup, run_id, seed, out)

    monkeypatch.setattr(worker, "play", play)
    sweep = {"method": "grid", "parameters": {"actors.beijing.resolve.alpha": [2, 12]}}
    with pytest.raises(montecarlo.BatchFailed) as failed:
        montecarlo.run(runs=2, turns=2, seed=4, sweep=sweep, workers=1, chunk=1, out=tmp_path / "mc",
                       progress=False, charts=False)
    lines = failed.value.lines()
    assert lines[0].startswith("run 3 (seed ") and "ValueError: a bug in the engine" in lines[0]
    seed = lines[0].split("(seed ")[1].split(")")[0]
    assert lines[1] == f"replay it alone with: wargame run {tmp_path / 'mc' / 'points' / 'point-0001.yaml'} " \
                       f"--seed {seed} --turns 2"


def summary_rows(text: str, section: str) -> list[list[str]]:
    table = text[text.index(f"## {section}"):].split("\n\n")[2].splitlines()[2:]
    return [[cell.strip() for cell in line.strip("|").split("|")] for line in table]


@pytest.mark.parametrize("runs", [7, 8, 2, 1])
def test_the_summary_names_the_runs_of_lowest_median_and_highest_loss_with_their_seeds(tmp_path, runs):
    result = montecarlo.run(runs=runs, turns=6, seed=3, workers=1, out=tmp_path / "mc", progress=False,
                            charts=False)
    table = result.runs.sort_values(["final.japan_gdp_loss_jpy", "run_id"])
    ids = table["run_id"].tolist()
    wanted = {"lowest": ids[0], "median": ids[(len(ids) - 1) // 2], "highest": ids[-1]}
    rows = summary_rows((tmp_path / "mc" / "summary.md").read_text(), "Runs to replay")
    shown = {}
    for which, seed, outcome, loss, turns, command in rows:
        names, run_id = which.split(": run ")
        for name in re.split(r", | and ", names.removesuffix(" loss")):
            shown[name] = int(run_id)
        row = result.runs.set_index("run_id").loc[int(run_id)]
        assert (int(seed), outcome, int(turns)) == (row["seed"], f"`{row['outcome']}`", row["turns"])
        assert float(loss.replace(",", "")) == pytest.approx(row["final.japan_gdp_loss_jpy"] * 1e-9, abs=0.5)
        assert command == f"`{montecarlo.replay_command(tmp_path / 'mc', int(run_id))}`"
    assert shown == wanted
    assert len(rows) == len(set(wanted.values()))


def test_the_summary_of_a_sweep_replays_its_runs_from_their_points(swept):
    rows = summary_rows((swept / "summary.md").read_text(), "Runs to replay")
    runs = pd.read_parquet(swept / "runs.parquet").set_index("run_id")
    for row in rows:
        run_id, point, command = int(row[0].split(": run ")[1]), int(row[2]), row[-1].strip("`")
        assert point == runs.loc[run_id, "point"]
        assert command.startswith(f"wargame run {swept / 'points' / f'point-{point:04d}.yaml'} --seed ")
