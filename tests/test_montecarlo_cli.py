"""`wargame montecarlo` end to end, as a user runs it: output, bad input, Ctrl-C, a dying worker, --resume."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from conftest import ROOT, run_cli
from wargame import WargameError, montecarlo
from wargame.ruleset import DEFAULT_RULESET

LONG = ["--runs", "200", "--turns", "20", "--seed", "9", "--chunk", "5", "--workers", "2", "--quiet", "--no-charts"]
linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds worker processes in /proc")


@pytest.fixture(scope="module")
def ruleset(tmp_path_factory) -> str:
    """A copy of the default ruleset, so that batches compared with each other play the same rules."""
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    return str(path)


@pytest.fixture(scope="module")
def reference(tmp_path_factory, ruleset):
    """The uninterrupted batch that the interrupted and crashed ones must end up equal to."""
    out = tmp_path_factory.mktemp("mc") / "reference"
    montecarlo.run(ruleset, runs=200, turns=20, seed=9, workers=2, out=out, progress=False, charts=False)
    return out


def same_tables(a: Path, b: Path) -> None:
    for name in ("runs.parquet", "series.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "wargame", "montecarlo", *args], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE)


def wait_for_parts(out: Path, n: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        folder = out / "parts" / "runs"
        if folder.is_dir() and len(list(folder.glob("part-*.parquet"))) >= n:
            return
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.02)
    raise AssertionError("no parts appeared")


def children(pid: int) -> list[int]:
    out = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            out.append(int(stat.parent.name))
    return out


def pool_workers(pid: int) -> list[int]:
    for child in children(pid):
        try:
            cmdline = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"forkserver" in cmdline:
            return children(child)
    return []


def test_a_batch_from_the_command_line(tmp_path):
    out = tmp_path / "mc"
    result = run_cli("montecarlo", "--runs", "40", "--turns", "10", "--seed", "2", "--workers", "2", "--every", "2",
                     "--set", "economy.shortage_convexity=1.2", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert result.stdout == (out / "summary.md").read_text()
    assert "## Outcomes" in result.stdout and "95% CI" in result.stdout and "Key indicators" in result.stdout
    assert "40 runs played" in result.stderr and "Traceback" not in result.stderr
    manifest = json.loads((out / "batch.json").read_text())
    assert manifest["status"] == "complete" and manifest["rows"]["runs"] == 40
    assert manifest["set"] == [["economy.shortage_convexity", 1.2]]
    for name in ("runs.parquet", "series.parquet", "ruleset.yaml", "charts/fan.png", "charts/outcomes.png",
                 "charts/japan_loss.png"):
        assert (out / name).is_file(), name
    assert not (out / "parts").exists()
    again = run_cli("montecarlo", "--out", str(out), "--resume", "--no-charts")
    assert again.returncode == 0 and again.stdout.split("## Charts")[0].rstrip() == result.stdout.split("## Charts")[0].rstrip()


def test_one_run_is_one_run(tmp_path):
    result = run_cli("montecarlo", "--runs", "1", "--turns", "1", "--workers", "1", "--no-charts",
                     "--out", str(tmp_path / "mc"))
    assert result.returncode == 0, result.stderr
    assert "1 run of up to 1 turn, seed 0." in result.stdout
    assert result.stderr.lstrip().startswith("1 run played in "), result.stderr


def test_a_sweep_from_the_command_line(tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  actors.beijing.resolve.alpha: [2, 12]\n")
    result = run_cli("montecarlo", "--runs", "10", "--turns", "6", "--sweep", str(sweep), "--workers", "1",
                     "--out", str(tmp_path / "mc"), "--no-charts")
    assert result.returncode == 0, result.stderr
    assert "## Sensitivity" in result.stdout and "`actors.beijing.resolve.alpha`" in result.stdout


@pytest.mark.parametrize("args, words", [
    (["--runs", "5", "--set", "economy.shortage_convexit=2"], "--set: unknown parameter 'economy.shortage_convexit'"),
    (["--runs", "5", "--set", "economy.shortage_convexit"], "--set economy.shortage_convexit: expected KEY.PATH="),
    (["--runs", "5", "--set", "economy.shortage_convexity=2", "--sweep", "SWEEP2"], "also given with --set"),
    (["--runs", "5", "--set", "economy.shortage_convexity=1.2", "--set", "economy.shortage_convexity=1.5"],
     "--set: economy.shortage_convexity is given twice (1.2, 1.5); give it once"),
    (["--runs", "5", "--set", "economy.shortage_convexity=9"], "between 1 and 4"),
    (["--runs", "5", "--set", "actors.beijing.moves_per_turn=2.5"],
     "--set: actors.beijing.moves_per_turn: expected a whole number, got 2.5"),
    (["--runs", "5", "--sweep", "SWEEP"], "parameters.economy.nope: unknown parameter"),
    (["--runs", "5", "--scheduler", "tcp://127.0.0.1:9"], "--scheduler tcp://127.0.0.1:9: cannot reach the Dask"),
    (["--resume"], "--out OUT: no batch to resume"),
    (["--runs", "5", "--turns", "1001"], "--turns: expected a whole number between 1 and 1000, got 1001"),
    (["--runs", "100000001"], "--runs: a batch plays at most 100,000,000 games; this one would play 100,000,001"),
    (["--runs", "50000001", "--sweep", "SWEEP2"], "would play 100,000,002 (50,000,001 at each of 2 sweep points)"),
    (["--runs", "5", "--scheduler", ""], "--scheduler: expected an address like tcp://HOST:PORT, got nothing"),
    (["--runs", "5", "--scheduler", "tpc://127.0.0.1:9"], "--scheduler tpc://127.0.0.1:9: expected an address like "
                                                          "tcp://HOST:PORT (unknown address scheme 'tpc'"),
])
def test_bad_input_is_one_line_and_exit_2(tmp_path, args, words):
    out = tmp_path / "mc"
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  economy.nope: [1, 2]\n")
    sweep2 = tmp_path / "sweep2.yaml"
    sweep2.write_text("method: grid\nparameters:\n  economy.shortage_convexity: [1, 2]\n")
    args = [{"SWEEP": str(sweep), "SWEEP2": str(sweep2)}.get(a, a) for a in args]
    words = words.replace("OUT", str(out))
    env = {**os.environ, "DASK_DISTRIBUTED__COMM__TIMEOUTS__CONNECT": "1s"}
    result = subprocess.run([sys.executable, "-m", "wargame", "montecarlo", *args, "--out", str(out)], cwd=ROOT,
                            capture_output=True, text=True, env=env, timeout=120)
    assert result.returncode == 2
    assert words in result.stderr and "Traceback" not in result.stderr and "=:" not in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1, result.stderr
    assert not out.exists()


@pytest.mark.parametrize("sets, expected", [
    (["actors.nobody.x=2", "economy.nope=3", "economy.shortage_convexity=99"],
     ["--set: unknown parameter 'actors.nobody.x'", "--set: unknown parameter 'economy.nope'",
      "--set: economy.shortage_convexity: expected a number between 1 and 4, got 99"]),
    (["bad", "economy.shortage_convexity=99", "politics.tension.start=70"],
     ["--set bad: expected KEY.PATH=VALUE", "--set: economy.shortage_convexity: expected a number between 1 and 4",
      "--set: politics.tension.start: expected a number between 0 and 10, got 70"]),
    # A value set whole is judged inside: each of its problems is told against --set.
    (['actors.tokyo.resolve={"alpha": -1, "beta": "x"}'],
     ["--set: actors.tokyo.resolve.alpha: expected a number at least 0.01, got -1",
      "--set: actors.tokyo.resolve.beta: expected a number, got text 'x'"]),
    # A problem a value set causes elsewhere is told where the ruleset holds it, naming the value set.
    (["politics.tension.max=3"],
     ["politics.tension.start: expected a number between 0 and 3, got 4 (with --set politics.tension.max=3)"]),
    (["economy.nope=3", "economy.demand_noise=1", "economy.demand_noise=2"],
     ["--set: economy.demand_noise is given twice (1, 2)", "--set: unknown parameter 'economy.nope'"]),
])
def test_every_bad_set_is_reported_one_line_each(tmp_path, sets, expected):
    out = tmp_path / "mc"
    result = run_cli("montecarlo", "--runs", "5", "--turns", "5", *[a for s in sets for a in ("--set", s)],
                     "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == len(expected), result.stderr
    for words in expected:
        assert sum(words in line for line in lines) == 1, (words, result.stderr)
    assert not out.exists()


def test_a_bad_set_turn_limit_sweep_and_script_are_reported_together(tmp_path):
    # Before, the --set problem hid the others, each found only once the one before it was fixed.
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  economy.nope: [1, 2]\n")
    script = tmp_path / "script.yaml"
    script.write_text("turns:\n  1:\n    beijing: nosuchmove\n")
    out = tmp_path / "mc"
    result = run_cli("montecarlo", "--runs", "5", "--turns", "2000", "--set", "economy.nope2=1", "--sweep",
                     str(sweep), "--script", str(script), "--out", str(out))
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 4, result.stderr
    assert lines[0].startswith("--set: unknown parameter 'economy.nope2'")
    assert lines[1] == "--turns: expected a whole number between 1 and 1000, got 2000"
    assert lines[2].endswith("sweep.yaml:3: parameters.economy.nope: unknown parameter 'economy.nope': unknown key "
                             "'nope' (did you mean 'notes'?); expected one of: jpy_per_usd, japan_gdp_jpy_per_year, "
                             "substitution_cap_per_year, shortage_convexity, demand_noise, notes")
    assert lines[3].endswith("script.yaml:3: turns.1.beijing: unknown move of beijing 'nosuchmove'")
    assert not out.exists()


def test_resume_reports_every_option_that_differs(tmp_path):
    out = tmp_path / "mc"
    first = run_cli("montecarlo", "--runs", "3", "--turns", "3", "--workers", "1", "--quiet", "--no-charts",
                    "--set", "economy.shortage_convexity=1.2", "--out", str(out))
    assert first.returncode == 0, first.stderr
    before = {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()}
    result = run_cli("montecarlo", "--runs", "4", "--turns", "5", "--seed", "3", "--set",
                     "economy.shortage_convexity=1.3", "--out", str(out), "--resume", "--quiet", "--no-charts")
    assert result.returncode == 2 and "Traceback" not in result.stderr
    lines = result.stderr.strip().splitlines()
    assert [line.split(" differs")[0] for line in lines] == [
        "--resume: --runs 4", "--resume: --turns 5", "--resume: --seed 3",
        "--resume: --set economy.shortage_convexity=1.3"], result.stderr
    assert {p.name: p.read_bytes() for p in out.iterdir() if p.is_file()} == before


def test_resume_accepts_the_same_sets_in_another_order(tmp_path):
    out = tmp_path / "mc"
    sets = ["--set", "economy.shortage_convexity=1.2", "--set", "actors.beijing.resolve.alpha=7"]
    first = run_cli("montecarlo", "--runs", "3", "--turns", "3", "--workers", "1", "--quiet", "--no-charts", *sets,
                    "--out", str(out))
    assert first.returncode == 0, first.stderr
    again = run_cli("montecarlo", "--out", str(out), "--resume", "--quiet", "--no-charts", *sets[2:], *sets[:2])
    assert again.returncode == 0, again.stderr
    assert again.stdout == first.stdout


def test_a_rejected_point_of_a_large_sweep_is_bad_input_without_resume_or_replay_hints(tmp_path):
    # 1,004 points: too many to check one by one up front. Each value is fine alone; point 3 combines a start
    # of 7 with a maximum of 5.
    sweep = tmp_path / "big.yaml"
    sweep.write_text("method: grid\nparameters:\n  economy.shortage_convexity: {min: 1.0, max: 2.0, steps: 251}\n"
                     "  politics.tension.max: [10, 5]\n  politics.tension.start: [1, 7]\n")
    out = tmp_path / "mc"
    result = run_cli("montecarlo", "--runs", "1", "--turns", "2", "--sweep", str(sweep), "--workers", "1",
                     "--chunk", "2", "--quiet", "--no-charts", "--out", str(out))
    assert result.returncode == 2, result.stderr
    assert result.stderr.strip().splitlines() == [
        f"{sweep}: sweep point 3 (economy.shortage_convexity=1, politics.tension.max=5, politics.tension.start=7): "
        "politics.tension.start: expected a number between 0 and 5, got 7"]
    assert (out / "parts" / "runs" / "part-000000.parquet").is_file()       # the finished chunk is kept
    assert json.loads((out / "batch.json").read_text())["status"] == "failed"


def test_a_non_empty_directory_is_left_alone(tmp_path):
    out = tmp_path / "mc"
    out.mkdir()
    (out / "notes.txt").write_text("mine")
    result = run_cli("montecarlo", "--runs", "5", "--out", str(out))
    assert result.returncode == 2 and "not empty" in result.stderr and "Traceback" not in result.stderr
    assert [p.name for p in out.iterdir()] == ["notes.txt"] and (out / "notes.txt").read_text() == "mine"


@pytest.mark.parametrize("out, words", [
    ("afile/sub", "--out afile/sub: cannot create the directory: afile is not a directory"),
    ("afile/a/b", "--out afile/a/b: cannot create the directory: afile is not a directory"),
    ("afile", "--out afile: exists and is not a directory"),
    ("", "--out: expected a directory path, got nothing"),      # not taken as the current directory
    pytest.param("/proc/wargame-mc", "--out /proc/wargame-mc: cannot create the directory", marks=linux_only),
])
def test_an_out_directory_that_cannot_be_created_is_one_line_and_exit_2(tmp_path, out, words):
    (tmp_path / "afile").write_text("mine")
    result = run_cli("montecarlo", "--runs", "5", "--turns", "5", "--quiet", "--no-charts", "--out", out,
                     cwd=tmp_path)
    assert result.returncode == 2, result.stderr
    assert len(result.stderr.strip().splitlines()) == 1 and result.stderr.startswith(words), result.stderr
    assert "Traceback" not in result.stderr
    assert [p.name for p in tmp_path.iterdir()] == ["afile"] and (tmp_path / "afile").read_text() == "mine"
    # The Python API raises the same error, naming its keyword, rather than an OSError.
    with pytest.raises(WargameError) as info:
        montecarlo.run(runs=2, turns=2, workers=1, out=tmp_path / out, progress=False, charts=False)
    assert str(info.value).lstrip(": ").startswith(f"out='{tmp_path / out}': ")
    assert [p.name for p in tmp_path.iterdir()] == ["afile"]


@linux_only
def test_ctrl_c_keeps_finished_runs_and_resume_completes_the_same_dataset(tmp_path, ruleset, reference):
    out = tmp_path / "mc"
    proc = start(ruleset, *LONG, "--out", str(out))
    wait_for_parts(out, 3, proc)
    proc.send_signal(signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "continue with 'wargame montecarlo --out" in err and "Traceback" not in err
    saved = len(list((out / "parts" / "runs").glob("part-*.parquet")))
    assert 3 <= saved < 40
    resumed = run_cli("montecarlo", "--out", str(out), "--resume", "--quiet", "--no-charts")
    assert resumed.returncode == 0, resumed.stderr
    assert f"{200 - 5 * saved:,} runs played in " in resumed.stderr
    assert f"({5 * saved:,} runs played before)" in resumed.stderr
    same_tables(reference, out)


@linux_only
@pytest.mark.parametrize("signum", [signal.SIGINT, signal.SIGTERM])
def test_an_interrupted_batch_says_so_once_and_in_its_manifest(tmp_path, signum):
    out = tmp_path / "mc"
    proc = start("--runs", "40", "--turns", "10", "--chunk", "2", "--workers", "2", "--quiet", "--no-charts",
                 "--out", str(out))
    wait_for_parts(out, 2, proc)
    proc.send_signal(signum)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    lines = err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("interrupted: ") and "--resume" in lines[0], err
    assert json.loads((out / "batch.json").read_text())["status"] == "interrupted"
    resumed = run_cli("montecarlo", "--out", str(out), "--resume", "--quiet", "--no-charts")
    assert resumed.returncode == 0, resumed.stderr
    assert json.loads((out / "batch.json").read_text())["status"] == "complete"


@linux_only
def test_a_killed_worker_loses_no_finished_run(tmp_path, ruleset, reference):
    out = tmp_path / "mc"
    proc = start(ruleset, *LONG, "--out", str(out))
    wait_for_parts(out, 3, proc)
    workers = pool_workers(proc.pid)
    assert workers, "no pool workers found"
    os.kill(workers[0], signal.SIGKILL)
    _, err = proc.communicate(timeout=120)
    assert proc.returncode == 0, err
    assert "a worker process died" in err
    same_tables(reference, out)


def test_resuming_a_complete_batch_says_there_was_nothing_left_to_play(tmp_path):
    out = tmp_path / "mc"
    first = run_cli("montecarlo", "--runs", "3", "--turns", "2", "--quiet", "--no-charts", "--out", str(out))
    assert first.returncode == 0, first.stderr
    assert "3 runs played in " in first.stderr and "before" not in first.stderr
    assert re.search(r"played in [\d.]+ s, ([\d.]+\.\d|[\d,]{2,}) runs/s;", first.stderr), first.stderr
    # No production stops within two turns: no median, and no range either.
    stoppage = next(line for line in first.stdout.splitlines() if line.startswith("| Turn of the first production"))
    assert stoppage.endswith("| – | – |"), stoppage
    again = run_cli("montecarlo", "--out", str(out), "--resume", "--quiet", "--no-charts")
    assert again.returncode == 0, again.stderr
    assert again.stderr.strip().startswith("all 3 runs had already been played; tables in ")
    assert "0 runs played" not in again.stderr


@pytest.mark.parametrize("edit, words", [
    ({"runs": "x"}, "batch.json: 'runs' should be a whole number of at least 1, got \"x\""),
    ({"turns": None}, "batch.json: 'turns' should be a whole number of at least 1, got null"),
    ({"columns": None}, "batch.json: 'columns' should be a list of indicator names, got null"),
    ({"outcomes": "settlement"}, "batch.json: 'outcomes' should be a list of [id, label] pairs, got \"settlement\""),
    ({"total": 99}, "batch.json: 'total' should be 6 (runs × sweep points), got 99"),
])
def test_resume_reports_a_damaged_manifest_and_leaves_the_batch_alone(tmp_path, edit, words):
    out = tmp_path / "mc"
    montecarlo.run(runs=6, turns=3, workers=1, chunk=2, out=out, progress=False, charts=False)
    manifest = json.loads((out / "batch.json").read_text())
    (out / "batch.json").write_text(json.dumps({**manifest, **edit}))
    before = {p: p.read_bytes() for p in out.rglob("*") if p.is_file()}
    result = run_cli("montecarlo", "--out", str(out), "--resume", "--quiet")
    assert result.returncode == 2 and "Traceback" not in result.stderr, result.stderr
    assert result.stderr.strip().splitlines() == [f"--out {out}: {words}; restore the file or start a new batch"]
    assert {p: p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def logged(*args: str, every_seconds: float | None = None) -> subprocess.CompletedProcess:
    """The real command with stderr going to a pipe, as to a log file or a batch scheduler's output; with
    `every_seconds`, a progress line is due that often instead of every 30 s (a test cannot wait that long)."""
    patch = "" if every_seconds is None else f"runner.LOG_EVERY_SECONDS = {every_seconds}; "
    code = ("import sys; from wargame.montecarlo import runner; " + patch +
            "from wargame.cli import main; sys.exit(main(sys.argv[1:]))")
    return subprocess.run([sys.executable, "-c", code, "montecarlo", *args], cwd=ROOT, capture_output=True,
                          text=True, timeout=300)


def test_a_batch_logging_to_a_file_says_its_plan_first(tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  actors.beijing.resolve.alpha: [2, 12]\n")
    result = logged("--runs", "50", "--turns", "1", "--workers", "1", "--sweep", str(sweep), "--no-charts",
                    "--out", str(tmp_path / "mc"))
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "playing 100 runs of up to 1 turn (50 at each of 2 sweep points) on this process", lines
    assert lines[-1].startswith("100 runs played in ")
    small = logged("--runs", "99", "--turns", "1", "--workers", "1", "--no-charts", "--out", str(tmp_path / "small"))
    assert small.stderr.lstrip().startswith("99 runs played in "), small.stderr


def test_a_batch_logging_to_a_file_tells_its_progress_every_tenth(tmp_path):
    result = logged("--runs", "100", "--turns", "2", "--workers", "2", "--chunk", "5", "--no-charts",
                    "--out", str(tmp_path / "mc"), every_seconds=0)
    assert result.returncode == 0, result.stderr
    lines = result.stderr.strip().splitlines()
    assert lines[0] == "playing 100 runs of up to 2 turns on 2 local worker processes"
    progress = [line for line in lines[1:-1] if line]
    pattern = r"played (\d+) of 100 runs \((\d+)%\); [\d.,]+ runs/s for \d+ s, about \d+ s left"
    told = [re.fullmatch(pattern, line) for line in progress]
    assert all(told), progress
    assert [int(m[1]) for m in told] == [int(m[2]) for m in told] == list(range(10, 100, 10))
    assert "\x1b" not in result.stderr          # no terminal control codes in a log
    quiet = logged("--runs", "100", "--turns", "2", "--workers", "2", "--chunk", "5", "--no-charts", "--quiet",
                   "--out", str(tmp_path / "quiet"), every_seconds=0)
    assert quiet.stderr.lstrip().startswith("100 runs played in "), quiet.stderr


SCRIPT = ROOT / "rulesets" / "scripts" / "january_2026.yaml"


@pytest.mark.parametrize("option, given, said", [
    ("--sweep", "SCRIPT", "is a move script, not a sweep file (wargame run --script and wargame montecarlo --script "
                          "take it)"),
    ("--script", "SWEEP", "is a sweep file, not a move script (wargame montecarlo --sweep takes it)"),
    ("--sweep", "RULESET", "is a ruleset, not a sweep file (give it as the RULESET argument)"),
    ("--script", "SAVE", "is a saved game, not a move script (wargame replay, resume, branch and report take it)"),
])
def test_a_file_of_another_kind_is_named_for_what_it_is(tmp_path, rules, option, given, said):
    from gamekit import new_game
    from wargame.saves import save_game

    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("method: grid\nparameters:\n  economy.shortage_convexity: [1, 2]\n")
    files = {"SCRIPT": SCRIPT, "SWEEP": sweep, "RULESET": ROOT / "rulesets" / "rare_earths_2026.yaml"}
    if given == "SAVE":
        game = new_game(rules, 1, 2)
        game.run()
        files["SAVE"] = save_game(game, tmp_path / "game.json")
    out = tmp_path / "mc"
    result = run_cli("montecarlo", "--runs", "2", "--turns", "2", option, str(files[given]), "--out", str(out))
    assert result.returncode == 2 and not out.exists()
    path = files[given]
    shown = path.relative_to(ROOT) if path.is_relative_to(ROOT) else path        # as run from the project
    assert result.stderr.strip().splitlines() == [f"{option}: {shown} {said}"]


def test_a_sweep_file_with_its_keys_misspelt_is_still_checked_as_a_sweep_file(tmp_path):
    sweep = tmp_path / "sweep.yaml"
    sweep.write_text("methd: grid\nparamters:\n  economy.shortage_convexity: [1, 2]\n")
    result = run_cli("montecarlo", "--runs", "2", "--turns", "2", "--sweep", str(sweep), "--out", str(tmp_path / "mc"))
    assert result.returncode == 2 and "unknown key 'methd' (did you mean 'method'?)" in result.stderr
    assert " is a " not in result.stderr
