"""Monte Carlo batches through the Python API: seeds, determinism, resume, thinning and the summary."""

from __future__ import annotations

import base64
import concurrent.futures as cf
import json
import math
import random
import re

import numpy as np
import pandas as pd
import pytest

from wargame import WargameModel, WargameError
from wargame import montecarlo
from wargame.indicators import titled
from wargame.montecarlo import runner
from wargame.montecarlo.plan import run_seed
from wargame.montecarlo.storage import BatchDir
from wargame.montecarlo.summary import wilson
from wargame.montecarlo.worker import run_chunk
from wargame.ruleset import DEFAULT_RULESET, load_ruleset

RULES = DEFAULT_RULESET

TURNS = 12


@pytest.fixture(scope="module", autouse=True)
def pinned_rules(tmp_path_factory):
    """Batches compared with each other play a private copy of the default ruleset."""
    global RULES
    RULES = tmp_path_factory.mktemp("rules") / "rules.yaml"
    RULES.write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")


def batch(out, **kw):
    kw.setdefault("ruleset", RULES)
    kw.setdefault("runs", 30)
    kw.setdefault("turns", TURNS)
    kw.setdefault("seed", 11)
    kw.setdefault("workers", 1)
    return montecarlo.run(out=out, progress=False, charts=kw.pop("charts", False), **kw)


def same_files(a, b):
    for name in ("runs.parquet", "series.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


class Shuffled:
    """An executor that finishes chunks in a random order, as a busy pool might."""

    name = "a shuffling test executor"
    workers, slots = 1, 5

    def __init__(self, plan, seed=0, interrupt_after=None):
        self.plan, self.pending = plan, []
        self.rng = random.Random(seed)
        self.finished, self.interrupt_after = 0, interrupt_after

    def submit(self, index):
        future = cf.Future()
        self.pending.append((future, index))
        return future

    def wait(self, futures):
        if self.interrupt_after is not None and self.finished >= self.interrupt_after:
            raise KeyboardInterrupt
        future, index = self.pending.pop(self.rng.randrange(len(self.pending)))
        future.set_result(run_chunk(self.plan, index))
        self.finished += 1
        return {future}

    def restart(self):
        pass

    def close(self, abort=False):
        pass


def test_run_seeds_are_the_seedsequence_spawn_of_the_batch_seed(tmp_path):
    result = batch(tmp_path / "a", runs=8)
    children = np.random.SeedSequence(11).spawn(8)
    expected = [int(c.generate_state(1, np.uint64)[0] >> np.uint64(1)) for c in children]
    assert result.runs["seed"].tolist() == expected == [run_seed(11, i) for i in range(8)]
    assert len(set(expected)) == 8


def test_a_run_replays_alone_from_its_seed(tmp_path):
    rules = load_ruleset(RULES)
    result = batch(tmp_path / "a", runs=4)
    row = result.runs.iloc[3]
    model = WargameModel(rules, rng=int(row["seed"]), turns=TURNS)
    model.run()
    assert row["outcome"] == model.state.outcome and row["turns"] == model.state.turn
    assert row["final.tension"] == model.state.indicators["tension"]
    assert row["final.japan_gdp_loss_jpy"] == model.state.indicators["japan_gdp_loss_jpy"]
    assert row["max.tension"] == max(r.indicators["tension"] for r in model.reports)
    series = result.series[result.series["run_id"] == 3]
    assert series["turn"].tolist() == list(range(1, model.state.turn + 1))
    assert series["tension"].tolist() == [r.indicators["tension"] for r in model.reports]
    # The runner plays without the DataCollector; its series are what a collecting game records.
    frame = model.dataframe()
    for column in ("japan_supply_index", "japan_gdp_loss_jpy", "cohesion"):
        assert series[column].tolist() == frame[column].tolist()


def test_identical_tables_whatever_the_workers_chunks_and_completion_order(tmp_path, monkeypatch):
    one = batch(tmp_path / "one", workers=1, chunk=7)
    two = batch(tmp_path / "two", workers=2, chunk=4)
    same_files(one.out, two.out)
    pd.testing.assert_frame_equal(one.runs, two.runs)
    monkeypatch.setattr(runner, "connect", lambda plan, workers, scheduler, **kw: Shuffled(plan, seed=3))
    shuffled = batch(tmp_path / "shuffled", chunk=3)
    same_files(one.out, shuffled.out)
    # The same but for the directory its replay commands name.
    assert (one.out / "summary.md").read_text().replace(str(one.out), "DIR") == \
        (shuffled.out / "summary.md").read_text().replace(str(shuffled.out), "DIR")


def test_resume_after_an_interruption_gives_the_uninterrupted_dataset(tmp_path, monkeypatch):
    whole = batch(tmp_path / "whole", chunk=4)
    assert not (whole.out / "batch.lock").exists()
    monkeypatch.setattr(runner, "connect", lambda plan, workers, scheduler, **kw: Shuffled(plan, 5, interrupt_after=3))
    with pytest.raises(montecarlo.Interrupted):
        batch(tmp_path / "cut", chunk=4)
    parts = sorted(p.name for p in (tmp_path / "cut" / "parts" / "runs").iterdir())
    assert len(parts) == 3                    # every finished chunk was kept
    assert not (tmp_path / "cut" / "batch.lock").exists()
    manifest = tmp_path / "cut" / "batch.json"
    assert json.loads(manifest.read_text())["status"] == "interrupted"

    class Watching(Shuffled):
        def submit(self, index):
            statuses.append(json.loads(manifest.read_text())["status"])
            return super().submit(index)

    statuses = []
    monkeypatch.setattr(runner, "connect", lambda plan, workers, scheduler, **kw: Watching(plan, 6))
    resumed = montecarlo.run(out=tmp_path / "cut", resume=True, progress=False, charts=False)
    assert resumed.played == 30 - 3 * 4
    assert set(statuses) == {"running"} and json.loads(manifest.read_text())["status"] == "complete"
    same_files(whole.out, resumed.out)
    assert not (tmp_path / "cut" / "parts").exists()
    again = montecarlo.run(out=tmp_path / "cut", resume=True, progress=False, charts=False)
    assert again.played == 0
    same_files(whole.out, again.out)
    assert not (tmp_path / "cut" / "batch.lock").exists()


def test_one_command_at_a_time_writes_a_batch_directory(tmp_path, monkeypatch):
    import fcntl

    out = batch(tmp_path / "mc", runs=4, turns=3).out
    holder = BatchDir(out).lock()
    holder.__enter__()
    with pytest.raises(WargameError, match="another wargame montecarlo is using this directory"):
        montecarlo.run(out=out, resume=True, progress=False, charts=False)
    # A command that opened the lock file just before its holder removed it and let go must not go on holding a
    # file no one else opens: a third command would then write the batch beside it.
    real = fcntl.flock
    holding, tries = [holder], []

    def holder_lets_go_first(handle, operation):
        if operation & fcntl.LOCK_EX:
            tries.append(handle.fileno())
            if holding:
                holding.pop().__exit__(None, None, None)
        return real(handle, operation)

    monkeypatch.setattr(fcntl, "flock", holder_lets_go_first)
    with BatchDir(out).lock():
        assert len(tries) == 2 and not holding      # the file it first locked was gone, so it took the new one
        with pytest.raises(WargameError, match="another wargame montecarlo is using this directory"):
            with BatchDir(out).lock():
                pass
    assert not (out / "batch.lock").exists()
    assert montecarlo.run(out=out, resume=True, progress=False, charts=False).played == 0


def test_an_interruption_is_recorded_when_the_output_pipe_is_gone(tmp_path, monkeypatch):
    # Ctrl-C in a terminal stops `tee` too, in `wargame montecarlo ... 2>&1 | tee log`: the note saying what is
    # saved meets a broken pipe, and the batch must still be marked interrupted, its finished chunks kept.
    import sys

    class Gone:
        def write(self, text):
            raise BrokenPipeError(32, "Broken pipe")

        def flush(self):
            raise BrokenPipeError(32, "Broken pipe")

        def isatty(self):
            return False

    monkeypatch.setattr(runner, "connect", lambda plan, workers, scheduler, **kw: Shuffled(plan, 5, interrupt_after=2))
    monkeypatch.setattr(sys, "stderr", Gone())
    with pytest.raises(montecarlo.Interrupted):
        batch(tmp_path / "cut", chunk=4)
    monkeypatch.undo()
    assert json.loads((tmp_path / "cut" / "batch.json").read_text())["status"] == "interrupted"
    assert len(list((tmp_path / "cut" / "parts" / "runs").iterdir())) == 2


def test_resume_refuses_different_arguments(tmp_path):
    batch(tmp_path / "a", runs=6)
    with pytest.raises(WargameError, match="runs=7 differs"):
        montecarlo.run(out=tmp_path / "a", resume=True, runs=7, progress=False)
    with pytest.raises(WargameError, match="overrides="):
        montecarlo.run(out=tmp_path / "a", resume=True, overrides={"economy.shortage_convexity": 2.0}, progress=False)
    with pytest.raises(WargameError, match="no batch to resume"):
        montecarlo.run(out=tmp_path / "none", resume=True, progress=False)


SETS = ["economy.shortage_convexity=1.3", "actors.beijing.resolve.alpha=7", "nodes.jp_magnet_makers.cover_weeks=6"]


def test_the_order_of_the_overrides_changes_nothing(tmp_path):
    """The same settings in another order play the same batch, byte for byte, and resume it."""
    one = batch(tmp_path / "one", runs=6, turns=5, overrides=SETS)
    two = batch(tmp_path / "two", runs=6, turns=5, overrides=SETS[::-1])
    same_files(one.out, two.out)
    for name in ("batch.json", "summary.md"):
        assert (one.out / name).read_text() == (two.out / name).read_text().replace(str(two.out), str(one.out))
    again = montecarlo.run(out=one.out, resume=True, overrides=[SETS[1], SETS[2], SETS[0]], progress=False,
                           charts=False)
    assert again.played == 0
    as_mapping = {"nodes.jp_magnet_makers.cover_weeks": 6, "economy.shortage_convexity": 1.3,
                  "actors.beijing.resolve.alpha": 7}
    assert montecarlo.run(out=two.out, resume=True, overrides=as_mapping, progress=False, charts=False).played == 0
    with pytest.raises(WargameError, match="differs"):
        montecarlo.run(out=one.out, resume=True, overrides=SETS[:2], progress=False)


@pytest.mark.parametrize("kw, words", [
    ({"runs": None}, "runs= is required to start a batch (or resume=True to continue one)"),
    ({"runs": 0}, "runs=: expected a whole number of at least 1, got 0"),
    ({"workers": 2, "scheduler": "tcp://127.0.0.1:9"}, "workers= and scheduler= exclude each other"),
    ({"workers": 0}, "workers=: expected at least 1"),
    ({"every": 0}, "every=: expected"),
    ({"seed": -1}, "seed=: expected 0 or more"),
    ({"overrides": {"economy.nope": 2}}, "overrides=: unknown parameter 'economy.nope'"),
    ({"overrides": ["economy.nope"]}, "overrides='economy.nope': expected KEY.PATH=VALUE"),
    ({"sweep": {"method": "grid", "parameters": {"economy.shortage_convexity": [1, 2]}},
      "overrides": {"economy.shortage_convexity": 2}}, "also given with overrides="),
    ({"runs": True}, "runs=: expected a whole number of at least 1, got True"),
    ({"runs": 2.0}, "runs=: expected a whole number of at least 1, got 2.0"),
    ({"seed": "3"}, "seed=: expected a whole number of at least 0, got '3'"),
    ({"seed": 1.5}, "seed=: expected a whole number of at least 0, got 1.5"),
    ({"workers": 2.5}, "workers=: expected a whole number of at least 1, got 2.5"),
    ({"workers": None, "scheduler": ""}, "scheduler=: expected an address like tcp://HOST:PORT, got nothing"),
    ({"overrides": 5}, "overrides=: expected a mapping of parameter paths to values or a list of 'path=value'"),
    ({"overrides": [("economy.shortage_convexity",)]}, "overrides=: expected 'path=value' or a (path, value) pair"),
    ({"sweep": ["economy.shortage_convexity"]}, "sweep=: expected a file path or a dict of the same structure"),
    ({"script": 5}, "script=: expected a file path, got 5"),
])
def test_bad_arguments_are_named_by_their_keywords(tmp_path, kw, words):
    with pytest.raises(WargameError) as info:
        batch(tmp_path / "a", **kw)
    assert words in str(info.value) and "--" not in str(info.value)
    assert not (tmp_path / "a").exists()


def test_numpy_numbers_and_a_lone_assignment_are_taken_as_typed(tmp_path):
    # What a notebook hands over: seeds from np.arange, values from np.linspace or a DataFrame.
    sweep = {"method": "grid", "parameters": {"economy.shortage_convexity": [1.0, 1.5]}}
    typed = batch(tmp_path / "a", runs=3, seed=3, overrides=["actors.beijing.moves_per_turn=1"], sweep=sweep)
    from_numpy = batch(tmp_path / "b", runs=np.int64(3), seed=np.arange(5)[3], turns=np.int32(TURNS),
                       overrides="actors.beijing.moves_per_turn=1", workers=np.int64(1),
                       sweep={"method": "grid", "parameters": {"economy.shortage_convexity": np.linspace(1, 1.5, 2)}})
    same_files(typed.out, from_numpy.out)
    assert (typed.out / "batch.json").read_text() == (from_numpy.out / "batch.json").read_text()
    as_numpy = batch(tmp_path / "c", runs=3, seed=3, overrides={"actors.beijing.moves_per_turn": np.int64(1)},
                     sweep=sweep)
    same_files(typed.out, as_numpy.out)


def test_every_bad_override_is_reported(tmp_path):
    with pytest.raises(WargameError) as info:
        batch(tmp_path / "a", overrides={"actors.nobody.x": 2, "economy.nope": 3, "economy.shortage_convexity": 99})
    lines = info.value.lines()
    assert len(lines) == 3, lines
    assert "overrides=: unknown parameter 'actors.nobody.x'" in lines[0]
    assert "overrides=: unknown parameter 'economy.nope'" in lines[1]
    assert "economy.shortage_convexity: expected a number between 1 and 4, got 99" in lines[2]
    assert not (tmp_path / "a").exists()


def test_resume_names_the_keywords_in_python(tmp_path):
    with pytest.raises(WargameError, match="out='.*none': no batch to resume"):
        montecarlo.run(out=str(tmp_path / "none"), resume=True, progress=False)
    with pytest.raises(WargameError, match=r"resume=True needs out="):
        montecarlo.run(resume=True, progress=False)


def test_series_thinning_keeps_every_kth_turn_and_the_last(tmp_path):
    result = batch(tmp_path / "a", runs=20, every=3)
    runs, series = result.runs.set_index("run_id"), result.series
    for run_id, rows in series.groupby("run_id"):
        last = int(runs.loc[run_id, "turns"])
        expected = sorted({t for t in range(3, last + 1, 3)} | {last})
        assert rows["turn"].tolist() == expected
        assert rows["tension"].iloc[-1] == runs.loc[run_id, "final.tension"]


@pytest.mark.parametrize("fan_runs", [7, 30])
def test_the_fan_chart_draws_an_even_sample_of_a_large_batch(tmp_path, monkeypatch, fan_runs):
    from wargame.montecarlo import charts

    monkeypatch.setattr(charts, "FAN_RUNS", fan_runs)
    result = batch(tmp_path / "a", runs=30, every=2)
    plan = BatchDir(tmp_path / "a").read()[1]
    grid, paths, sampled = charts.fan_paths(tmp_path / "a" / "series.parquet", plan, ["tension"])
    stride = -(-30 // fan_runs)
    assert sampled == len(range(0, 30, stride)) <= fan_runs
    assert grid.tolist() == sorted(set(range(2, TURNS + 1, 2)) | {TURNS})
    series = result.series.set_index(["run_id", "turn"])["tension"]
    for row, run_id in enumerate(range(0, 30, stride)):
        recorded = series.loc[run_id]
        for col, turn in enumerate(grid):
            # a finished game holds its final value
            expected = recorded.loc[turn] if turn in recorded.index else recorded.iloc[-1]
            assert paths["tension"][row, col] == expected


def test_the_api_without_a_directory_returns_dataframes(rules):
    result = montecarlo.run(runs=6, turns=5, seed=2, workers=1, progress=False)
    assert isinstance(result.runs, pd.DataFrame) and len(result.runs) == 6
    assert isinstance(result.series, pd.DataFrame) and set(result.series["run_id"]) == set(range(6))
    assert set(result.outcomes["outcome"]) == {o.id for o in rules.outcomes}
    assert result._repr_markdown_().startswith("# Monte Carlo")
    # In a console, print(result) is the summary and the result itself says what it holds, in one line.
    assert str(result) == result.summary.markdown
    assert repr(result) == (f"<montecarlo.Result: 6 runs of up to 5 turns, seed 2, in {result.out}; "
                            ".runs .series .outcomes .indicators .sensitivity .summary>")


def test_a_notebook_shows_the_charts_inside_the_summary_wherever_the_batch_directory_is(tmp_path):
    # summary.md links its charts relative to DIR; a notebook, in a folder of its own, would show broken images.
    result = montecarlo.run(runs=4, turns=3, seed=2, workers=1, out=tmp_path / "mc", progress=False)
    shown = result._repr_markdown_()
    assert "](charts/" in result.summary.markdown and "](charts/" not in shown
    for chart in result.summary.charts:
        encoded = base64.b64encode(chart.read_bytes()).decode("ascii")
        assert f"![{chart.stem}](data:image/png;base64,{encoded})" in shown
    assert shown.split("## Charts")[0] == result.summary.markdown.split("## Charts")[0]


@pytest.mark.parametrize("runs, chunk, played_on", [
    (6, 2, "on 3 local worker processes"),
    (2, 2, "on this process"),          # one chunk: no process to start at all
])
def test_no_more_worker_processes_start_than_there_are_chunks_to_play(tmp_path, runs, chunk, played_on):
    import io

    from rich.console import Console

    said = io.StringIO()
    result = montecarlo.run(RULES, runs=runs, turns=2, chunk=chunk, workers=8, out=tmp_path / "mc", charts=False,
                            console=Console(file=said, force_terminal=True, width=200))
    assert len(result.runs) == runs
    assert f"playing {runs} runs of up to 2 turns {played_on}" in said.getvalue()


@pytest.mark.parametrize("values", [
    [1] * 18 + [3, 4],                       # linear interpolation would put the 95% point at turn 3.05
    [2, 3, 3, 9],                            # ... at turn 8.1
    [26] * 10 + [14, 15],                    # ... the 5% point at turn 14.55
    [7, 8],                                  # ... the median at turn 7.5
    [4],                                     # one run: every quantile is its turn
])
def test_turn_quantiles_are_turns_some_run_had(values):
    from wargame.montecarlo.summary import _column, indicator_table

    runs = pd.DataFrame({"turns": values, "turns_to_deescalation": values, "first_stoppage_turn": values})
    table = indicator_table(runs).set_index("indicator")
    for column in ("turns", "turns_to_deescalation", "first_stoppage_turn"):
        row = table.loc[column]
        for q in ("p05", "median", "p95"):
            assert row[q] in values, (column, q, row[q])
        assert all(re.fullmatch(r"\d+", cell) for cell in _column([row["median"], row["p05"], row["p95"]]))
    assert table.loc["turns", "p05"] <= table.loc["turns", "median"] <= table.loc["turns", "p95"]


@pytest.mark.parametrize("values, shown", [
    ([711.0] * 20, "711 in every run"),                          # no run differs: not a range
    ([711.0] * 10 + [None] * 10, "711 in every run that had one"),  # an event that came at one turn whenever it came
    ([711.0] * 39 + [900.0], "711 – 711"),                       # one run in forty differs: the 5–95% range
    ([700.0, 711.0], "701 – 710"),
    ([None, None], "–"),                                           # never happened
])
def test_an_indicator_that_no_run_varies_says_so_instead_of_a_range(values, shown):
    from wargame.montecarlo.summary import indicator_rows, indicator_table

    table = indicator_table(pd.DataFrame({"final.diversification_tpw": pd.array(values, dtype="Float64")}),
                            {"per_turn": "week", "tension_scale": "0–10"})
    [(label, median, spread)] = indicator_rows(table)
    assert label.startswith(titled("diversification_tpw", "t/week"))
    assert spread == shown


def test_wilson_interval():
    lo, hi = wilson(5, 10)
    assert lo == pytest.approx(0.2366, abs=1e-4) and hi == pytest.approx(0.7634, abs=1e-4)
    lo, hi = wilson(0, 10)
    assert lo == 0 and hi == pytest.approx(0.2775, abs=1e-4)


def test_summary_agrees_with_the_data(tmp_path):
    result = batch(tmp_path / "a", runs=40, charts=True)
    runs, n = result.runs, 40
    text = (tmp_path / "a" / "summary.md").read_text()
    assert text == result.summary.markdown
    for row in result.outcomes.itertuples():
        k = int((runs["outcome"] == row.outcome).sum())
        assert row.runs == k and row.share == pytest.approx(k / n)
        assert (row.ci_low, row.ci_high) == pytest.approx(wilson(k, n))
        line = next(l for l in text.splitlines() if f"(`{row.outcome}`)" in l)
        assert f"| {k} | {100 * k / n:.1f}% |" in line
    indicators = result.indicators.set_index("indicator")
    loss = runs["final.japan_gdp_loss_jpy"] * 1e-9
    assert indicators.loc["final.japan_gdp_loss_jpy", "median"] == pytest.approx(loss.median())
    assert indicators.loc["final.japan_gdp_loss_jpy", "p95"] == pytest.approx(np.quantile(loss, 0.95))
    stopped = runs["first_stoppage_turn"].dropna()
    assert indicators.loc["first_stoppage_turn", "share_with_value"] == pytest.approx(len(stopped) / n)
    assert re.search(r"Turns played \| [\d.]+ \|", text)
    # Each row's median and range share one format: the same number of decimals.
    table = text[text.index("## Key indicators"):].split("\n\n")[2].splitlines()[2:]
    for line in table:
        numbers = re.findall(r"-?[\d,]+(?:\.\d+)?", line.split("|")[-3] + " " + line.split("|")[-2])
        assert len({len(n.partition(".")[2]) for n in numbers}) == 1, line
    for chart in ("fan", "outcomes", "japan_loss"):
        png = tmp_path / "a" / "charts" / f"{chart}.png"
        assert png.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
        assert f"(charts/{chart}.png)" in text


def test_events_are_recorded_per_run(tmp_path, rules):
    result = batch(tmp_path / "a", runs=12)
    runs = result.runs
    deesc = [c for c in runs.columns if c.startswith("deescalation_turn.")]
    assert deesc
    # Every event's turn has one type, whether or not every run had the event (some actors de-escalate in every
    # run of this batch, others only in some): numbers, NaN where it did not happen.
    events = ["first_stoppage_turn", "turns_to_deescalation", *deesc]
    assert {str(runs[c].dtype) for c in events} == {"float64"}
    assert runs[events].notna().all().any() and runs[events].isna().any().any()
    first = runs[deesc].min(axis=1, skipna=True)
    assert np.allclose(first.fillna(-1), runs["turns_to_deescalation"].fillna(-1))
    for row in runs.itertuples():
        if not math.isnan(row.first_stoppage_turn):
            assert 1 <= row.first_stoppage_turn <= row.turns
            assert row.first_stoppage_at in rules.network.node_ids


def test_one_run_of_one_turn_is_drawn_and_told_in_the_singular(tmp_path, monkeypatch):
    from matplotlib.collections import LineCollection

    from wargame.montecarlo import charts

    figures = []
    real = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda *a: figures.append(real(*a)) or figures[-1])
    result = batch(tmp_path / "a", runs=1, turns=1, charts=True,
                   sweep={"method": "grid", "parameters": {"economy.shortage_convexity": [1.5]}})
    assert "1 run of up to 1 turn, seed 11; grid of 1 point over economy.shortage_convexity, 1 run at each point." \
        in result.summary.markdown
    fig, axes = figures[0]                  # the fan chart: one recorded turn, so nothing to fill between
    assert "(1 run;" in fig.get_suptitle()
    for ax in axes:
        if not ax.get_visible():
            continue
        marked = [line for line in ax.lines if len(line.get_xdata()) and line.get_marker() not in ("None", "", None)]
        bars = [c for c in ax.collections if isinstance(c, LineCollection) and len(c.get_segments())]
        assert marked or bars, f"nothing visible in '{ax.get_title()}'"


def test_the_fan_charts_legend_hides_no_panel(tmp_path, monkeypatch):
    from wargame.montecarlo import charts

    figures = []
    real = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda *a: figures.append(real(*a)) or figures[-1])
    batch(tmp_path / "a", runs=12, charts=True)
    fig, axes = figures[0]
    assert all(ax.get_legend() is None for ax in axes)
    (legend,) = fig.legends
    assert [t.get_text() for t in legend.get_texts()] == ["5–95%", "25–75%", "median"]
    box = legend.get_window_extent()
    for ax in axes:
        if ax.get_visible():
            assert not box.overlaps(ax.get_window_extent()), ax.get_title()
    assert not box.overlaps(fig._suptitle.get_window_extent())


def test_a_script_without_the_main_guard_is_told_to_add_it(tmp_path):
    import subprocess
    import sys

    script = tmp_path / "batch.py"
    script.write_text("from wargame import montecarlo\n"
                      f"montecarlo.run(runs=4, turns=2, workers=2, chunk=2, out={str(tmp_path / 'mc')!r}, "
                      "progress=False, charts=False)\n")
    done = subprocess.run([sys.executable, str(script)], capture_output=True, text=True, timeout=300, cwd=tmp_path)
    assert done.returncode != 0
    assert 'put the call to montecarlo.run under `if __name__ == "__main__":`' in done.stderr
    # The workers stop quietly instead of each printing multiprocessing's own traceback.
    assert "bootstrapping phase" not in done.stderr


@pytest.mark.parametrize(("calendar", "per", "top"), [("", "week", "10"), ("calendar: {turn_days: 3}\n", "turn", "12")])
def test_the_summary_gives_the_units_of_the_batchs_ruleset(tmp_path, calendar, per, top):
    from wargame import montecarlo
    from wargame.ruleset import DEFAULT_RULESET

    ruleset = tmp_path / "paced.yaml"
    ruleset.write_text(f"extends: {DEFAULT_RULESET}\nruleset: {{id: paced, name: Paced}}\n{calendar}"
                       + ("politics:\n  tension: {max: 12}\n" if top == "12" else ""))
    result = montecarlo.run(ruleset, runs=4, turns=3, out=tmp_path / "mc", workers=1, progress=False, charts=False)
    labels = dict(zip(result.indicators["indicator"], result.indicators["label"]))
    assert labels["final.diversification_tpw"] == titled("diversification_tpw", f"t/{per}")
    assert labels["max.tension"] == f"Peak tension (0–{top})"
    assert titled("diversification_tpw", f"t/{per}") in result.summary.markdown


@pytest.mark.parametrize(("total", "steps", "told"), [
    # (seconds since the start, runs finished by then), ...: the runs told, in a line each time both a tenth of
    # the batch and 30 s have passed since the last line
    (1000, [(10, 50), (20, 100), (31, 150), (45, 300), (62, 400)], [150, 400]),   # a quick batch: every 30 s
    (100, [(40, 5), (80, 9), (120, 10), (400, 19), (600, 20)], [10, 20]),        # a slow one: every tenth
    (100, [(29, 99)], []),                                                       # nothing before 30 s
    (100, [(40, 50), (3600, 100)], [50]),              # the last is the command's own line, with the time taken
])
def test_a_log_gets_a_progress_line_per_tenth_and_30_seconds_whichever_is_rarer(total, steps, told):
    lines = []
    now = [0.0]

    class Say:
        def note(self, text):
            lines.append(text)

    progress = runner._LogLines(Say(), total, 0, clock=lambda: now[0])
    done = 0
    for seconds, runs in steps:
        now[0] = seconds
        progress.advance(runs - done)
        done = runs
    assert [int(re.match(rf"played (\d+) of {total:,} runs", line)[1]) for line in lines] == told


def test_a_game_counts_as_still_played_until_its_own_last_turn_whatever_turns_are_recorded(tmp_path, monkeypatch):
    from wargame.montecarlo import charts

    figures = []
    real = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda *a: figures.append(real(*a)) or figures[-1])
    result = batch(tmp_path / "a", runs=40, turns=30, seed=0, every=5, workers=2, charts=True)
    turns = result.runs["turns"].to_numpy()
    assert (turns % 5 != 0).any(), "the batch should have a game ending between recorded turns"
    _, axes = figures[0]
    (ax,) = [ax for ax in axes if ax.get_title() == "Games still being played (%)"]
    (line,) = ax.lines
    x, y = line.get_xdata(), line.get_ydata()
    assert line.get_drawstyle() == "steps-post"
    for turn in range(1, int(turns.max()) + 1):
        # Over all of turn t (drawn from t to t + 1), the share of the games that played turn t.
        drawn = y[np.searchsorted(x, turn + 0.5, side="right") - 1]
        assert drawn == pytest.approx(100 * (turns >= turn).mean()), turn


@pytest.mark.parametrize(("turns", "horizon", "shares"), [
    ([16, 20], 20, [100] * 16 + [50] * 4),
    ([1, 2, 3, 3], 4, [100, 75, 50, 0]),
    ([5], 5, [100] * 5),
    ([], 3, [math.nan] * 3),
])
def test_the_share_of_games_still_played_at_each_turn(turns, horizon, shares):
    from wargame.montecarlo.charts import still_playing

    x, y = still_playing(np.array(turns, dtype=int), horizon)
    assert x.tolist() == list(range(1, horizon + 1))
    assert np.array_equal(y, np.array(shares, dtype=float), equal_nan=True)


@pytest.mark.parametrize(("ruleset", "sweep", "scale", "per", "length"), [
    ("", None, "0–10", "week", "week"),
    ("politics:\n  tension: {max: 12}\ncalendar: {turn_days: 3}\n", None, "0–12", "turn", "3 days"),
    ("", {"politics.tension.max": [10, 20]}, "0–10 or 0–20, by sweep point", "week", "week"),
    # A section set whole: its max, or the ruleset's default of 10 where it has none.
    ("", {"politics.tension": [{"start": 4, "max": 5}, {"start": 4}]}, "0–5 or 0–10, by sweep point", "week", "week"),
    ("", {"politics.tension": [{"start": 4, "max": 5}], "politics.tension.max": [8, 16]},
     "0–8 or 0–16, by sweep point", "week", "week"),
    ("", {"politics.tension.max": [10, 12, 14, 20]}, "from 0–10 to 0–20, by sweep point", "week", "week"),
    ("", {"calendar.turn_days": [3, 7]}, "0–10", "turn, 3 or 7 days, by sweep point", "3 or 7 days, by sweep point"),
])
def test_labels_give_each_scale_and_turn_length_the_points_of_the_batch_play(tmp_path, monkeypatch, ruleset, sweep,
                                                                            scale, per, length):
    from wargame.montecarlo import charts

    figures = []
    real = charts._figure
    monkeypatch.setattr(charts, "_figure", lambda *a: figures.append(real(*a)) or figures[-1])
    path = tmp_path / "rules.yaml"
    path.write_text(f"extends: {RULES}\n{ruleset}")
    result = batch(tmp_path / "mc", ruleset=path, runs=2, turns=3, charts=True,
                   sweep=sweep and {"method": "grid", "parameters": sweep})
    labels = dict(zip(result.indicators["indicator"], result.indicators["label"]))
    assert labels["max.tension"] == f"Peak tension ({scale})"
    assert labels["final.diversification_tpw"] == titled("diversification_tpw", f"t/{per}")
    assert f"| Peak tension ({scale}) |" in result.summary.markdown
    _, axes = figures[0]
    assert axes[0].get_title() == f"Tension ({scale})"
    assert {ax.get_xlabel() for ax in axes if ax.get_visible()} == {f"turn ({length})"}


@pytest.mark.parametrize(("total", "first", "steps", "left"), [
    # (seconds since the start, runs finished by then), ...: the time left the bar shows after them
    (400, 0, [(12.0, 50), (12.01, 100)], "0:00:36"),        # two workers hand back a chunk each at once
    (400, 0, [(12.0, 100), (30.0, 100)], "0:01:30"),        # nothing finished for a while: the rate falls
    (400, 100, [(10.0, 150), (10.2, 200)], "0:00:20"),      # resumed: the earlier command's runs took no time here
    (400, 0, [], "-:--:--"),                                 # nothing played yet: no rate to go by
    (400, 0, [(30.0, 400)], "0:00:00"),
])
def test_the_progress_bar_tells_the_time_left_at_the_rate_of_the_runs_played_so_far(total, first, steps, left):
    import io

    from rich.console import Console

    now = [0.0]
    console = Console(file=io.StringIO(), force_terminal=True, width=120, get_time=lambda: now[0], record=True)
    bar = runner._Console(console, True).progress("playing", total, first)
    for seconds, runs in steps:
        now[0] = seconds
        bar.advance(runs - bar.progress.tasks[0].completed)
    console.print(bar.progress.make_tasks_table(bar.progress.tasks))
    assert f"ETA {left}" in console.export_text()
