"""Ctrl-C at every stage of a batch: what is kept, what the user is told, and that --resume finishes the job."""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
from rich.console import Console

from conftest import ROOT
from wargame import montecarlo
from wargame.montecarlo import runner, summary
from wargame.montecarlo.storage import BatchDir
from wargame.ruleset import DEFAULT_RULESET

linux_only = pytest.mark.skipif(not Path("/proc/self/stat").exists(), reason="finds processes in /proc")


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    return path


def batch(rules, out, text: io.StringIO | None = None, **kw):
    console = Console(file=text if text is not None else io.StringIO(), width=400)
    return montecarlo.run(rules, runs=12, turns=6, seed=2, workers=1, chunk=4, out=out, progress=False,
                          charts=False, console=console, **kw)


def status(out: Path) -> str:
    return json.loads((out / "batch.json").read_text())["status"]


def test_ctrl_c_while_the_tables_are_merged_keeps_every_run_and_resume_merges_them(rules, tmp_path, monkeypatch):
    whole = batch(rules, tmp_path / "whole")

    def cut(self, plan):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(BatchDir, "compact", cut)
        said = io.StringIO()
        with pytest.raises(montecarlo.Interrupted):
            batch(rules, tmp_path / "cut", said)
    out = tmp_path / "cut"
    assert said.getvalue().strip() == (f"interrupted while merging the tables: 12 of 12 runs are saved in {out}; "
                                       f"continue with montecarlo.run(out='{out}', resume=True)")
    assert status(out) == "interrupted"
    resumed = montecarlo.run(out=out, resume=True, progress=False, charts=False)
    assert resumed.played == 0 and status(out) == "complete"
    for name in ("runs.parquet", "series.parquet"):
        assert (whole.out / name).read_bytes() == (out / name).read_bytes()


def test_ctrl_c_while_the_summary_is_written_says_the_batch_is_complete(rules, tmp_path, monkeypatch):
    def cut(*args, **kw):
        raise KeyboardInterrupt

    with monkeypatch.context() as m:
        m.setattr(summary, "summarise", cut)
        said = io.StringIO()
        with pytest.raises(montecarlo.Interrupted):
            batch(rules, tmp_path / "mc", said)
    out = tmp_path / "mc"
    assert said.getvalue().strip() == (f"interrupted while writing the summary: 12 of 12 runs are saved in {out}; "
                                       f"write it with montecarlo.run(out='{out}', resume=True)")
    assert status(out) == "complete" and not (out / "summary.md").exists()
    again = montecarlo.run(out=out, resume=True, progress=False, charts=False)
    assert again.played == 0 and (out / "summary.md").read_text() == again.summary.markdown


def test_ctrl_c_before_the_first_chunk_is_a_batch_interruption(rules, tmp_path, monkeypatch):
    def cut(self, label, total, done):
        raise KeyboardInterrupt

    monkeypatch.setattr(runner._Console, "progress", cut)
    said = io.StringIO()
    with pytest.raises(montecarlo.Interrupted):
        batch(rules, tmp_path / "mc", said)
    assert said.getvalue().startswith(f"interrupted: 0 of 12 runs are saved in {tmp_path / 'mc'}; continue with")
    assert status(tmp_path / "mc") == "interrupted"


def test_an_interrupted_batch_without_a_directory_does_not_offer_to_resume_it(rules, monkeypatch):
    class Interrupting:
        name, workers, slots = "an interrupting test executor", 1, 1

        def __init__(self, plan):
            self.plan, self.finished = plan, 0

        def submit(self, index):
            import concurrent.futures as cf

            from wargame.montecarlo.worker import run_chunk

            future = cf.Future()
            future.set_result(run_chunk(self.plan, index))
            return future

        def wait(self, futures):
            self.finished += 1
            if self.finished > 1:
                raise KeyboardInterrupt
            return set(futures)

        def close(self, abort=False):
            pass

    monkeypatch.setattr(runner, "connect", lambda plan, workers, scheduler, **kw: Interrupting(plan))
    said = io.StringIO()
    with pytest.raises(montecarlo.Interrupted):
        batch(rules, None, said)
    text = said.getvalue()
    assert "runs were played in a temporary directory, removed with them; give out= to keep a batch that can be " \
           "resumed" in text, text
    assert "resume=True" not in text


@linux_only
def test_ctrl_c_while_the_workers_start_prints_no_traceback(tmp_path):
    # A terminal's Ctrl-C goes to the whole process group, the fork server and the workers too: caught while they
    # import the engine, it must not make them print tracebacks.
    out = tmp_path / "mc"
    proc = subprocess.Popen([sys.executable, "-m", "wargame", "montecarlo", "--runs", "40", "--turns", "5",
                             "--chunk", "5", "--workers", "2", "--quiet", "--no-charts", "--out", str(out)], cwd=ROOT, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and not _importing(_forkserver_of(proc.pid)):
        assert proc.poll() is None, proc.communicate()
        time.sleep(0.005)
    assert _importing(_forkserver_of(proc.pid)), "no fork server started"
    os.killpg(proc.pid, signal.SIGINT)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 130, err
    assert "Traceback" not in err and "KeyboardInterrupt" not in err, err


def _forkserver_of(pid: int) -> int | None:
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            if int(stat.read_text().rsplit(")", 1)[1].split()[1]) != pid:
                continue
            if b"forkserver" in (stat.parent / "cmdline").read_bytes():
                return int(stat.parent.name)
        except (OSError, ValueError, IndexError):
            continue
    return None


def _importing(pid: int | None) -> bool:
    """The fork server has numpy loaded: it is importing the engine, before it ignores Ctrl-C."""
    try:
        return pid is not None and "_multiarray_umath" in Path(f"/proc/{pid}/maps").read_text()
    except OSError:
        return False
