"""A batch directory that stops taking writes (a full disk, a file system gone read-only): one line saying so,
every finished run kept, and --resume completing the same dataset once the directory can be written again."""

from __future__ import annotations

import builtins
import errno
import io
import json
from pathlib import Path

import pytest
from rich.console import Console

from wargame import WargameError, cli, montecarlo
from wargame.montecarlo import storage
from wargame.ruleset import DEFAULT_RULESET

FULL = OSError(errno.ENOSPC, "No space left on device")


@pytest.fixture(scope="module")
def rules(tmp_path_factory) -> Path:
    path = tmp_path_factory.mktemp("rules") / "rules.yaml"
    path.write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
    return path


@pytest.fixture(scope="module")
def whole(rules, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("mc") / "whole"
    batch(rules, out)
    return out


def batch(rules, out, **kw):
    return montecarlo.run(rules, runs=12, turns=6, seed=2, workers=1, chunk=4, out=out, progress=False,
                          charts=False, console=Console(file=io.StringIO()), **kw)


def status(out: Path) -> str:
    return json.loads((out / "batch.json").read_text())["status"]


def files(out: Path) -> list[str]:
    return sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())


def same_tables(a: Path, b: Path) -> None:
    for name in ("runs.parquet", "series.parquet"):
        assert (a / name).read_bytes() == (b / name).read_bytes(), name


def test_a_full_disk_while_chunks_are_saved_keeps_the_finished_ones_and_resume_completes(rules, whole, tmp_path,
                                                                                          monkeypatch):
    real = Path.write_bytes

    def fill_up(self: Path, data: bytes) -> int:
        if self.name.startswith("part-000001.parquet.tmp") and self.parent.name == "runs":
            real(self, data[: len(data) // 2])        # as a write cut short by a full disk leaves it
            raise FULL
        return real(self, data)

    out = tmp_path / "mc"
    with monkeypatch.context() as m:
        m.setattr(Path, "write_bytes", fill_up)
        with pytest.raises(montecarlo.BatchFailed) as info:
            batch(rules, out)
    assert info.value.lines() == [
        f"out='{out}': cannot write a finished chunk (No space left on device)",
        f"4 of 12 runs are saved in {out}; once it can be written again, continue with "
        f"montecarlo.run(out='{out}', resume=True)"]
    assert status(out) == "failed"
    # The chunk saved before is whole; the one refused left nothing behind, not even its series part.
    assert [f for f in files(out) if f.startswith("parts")] == ["parts/runs/part-000000.parquet",
                                                                "parts/series/part-000000.parquet"]
    resumed = montecarlo.run(out=out, resume=True, progress=False, charts=False)
    assert resumed.played == 8 and status(out) == "complete"
    same_tables(out, whole)


def test_a_full_disk_while_the_tables_are_merged_keeps_every_part(rules, whole, tmp_path, monkeypatch):
    import pyarrow.parquet as pq

    out = tmp_path / "mc"

    merging = pq.ParquetWriter.__init__
    writing = pq.ParquetWriter.write_table

    def open_merged(self, where, *args, **kwargs):
        self.merged = str(where).endswith(".parquet.tmp")   # the merged table, not a worker's part in memory
        merging(self, where, *args, **kwargs)

    def full(self, table, *args, **kwargs):
        if self.merged:
            raise FULL
        return writing(self, table, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(pq.ParquetWriter, "__init__", open_merged)
        m.setattr(pq.ParquetWriter, "write_table", full)
        with pytest.raises(montecarlo.BatchFailed) as info:
            batch(rules, out)
    assert info.value.lines()[0] == f"out='{out}': cannot write the merged tables (No space left on device)"
    assert info.value.lines()[1].startswith(f"12 of 12 runs are saved in {out}; once it can be written again")
    assert status(out) == "failed"
    assert not (out / "runs.parquet").exists() and not any(".tmp" in f for f in files(out))
    assert len(list((out / "parts" / "runs").glob("part-*.parquet"))) == 3
    resumed = montecarlo.run(out=out, resume=True, progress=False, charts=False)
    assert resumed.played == 0 and status(out) == "complete"
    same_tables(out, whole)


def test_a_summary_that_cannot_be_written_is_one_line_and_the_tables_are_kept(rules, whole, tmp_path,
                                                                              monkeypatch):
    out = tmp_path / "mc"
    real = Path.write_text

    def refuse_summary(self, *args, **kwargs):
        if self.name == "summary.md":
            raise OSError(errno.EROFS, "Read-only file system", str(self))
        return real(self, *args, **kwargs)

    with monkeypatch.context() as m:
        m.setattr(Path, "write_text", refuse_summary)
        with pytest.raises(montecarlo.BatchFailed) as info:
            batch(rules, out)
    assert info.value.lines()[0] == f"out='{out}': cannot write the summary (Read-only file system: {out}/summary.md)"
    assert status(out) == "complete"
    same_tables(out, whole)
    again = montecarlo.run(out=out, resume=True, progress=False, charts=False)
    assert (out / "summary.md").read_text() == again.summary.markdown


def refuse_lock(monkeypatch):
    real = builtins.open

    def read_only(file, *args, **kwargs):
        if str(file).endswith("batch.lock"):
            raise OSError(errno.EROFS, "Read-only file system", str(file))
        return real(file, *args, **kwargs)

    monkeypatch.setattr(builtins, "open", read_only)


def test_an_empty_directory_on_a_read_only_file_system_is_one_line_and_exit_2(tmp_path, monkeypatch, capsys):
    out = tmp_path / "mc"
    out.mkdir()
    refuse_lock(monkeypatch)
    code = cli.main(["montecarlo", "--runs", "3", "--turns", "3", "--workers", "1", "--quiet", "--no-charts",
                     "--out", str(out)])
    err = capsys.readouterr().err
    assert code == 2
    assert err.splitlines() == [f"--out {out}: cannot write in the directory (Read-only file system: "
                                f"{out}/batch.lock)"]
    assert list(out.iterdir()) == []
    with pytest.raises(WargameError, match="cannot write in the directory"):
        montecarlo.run(runs=3, turns=3, workers=1, out=out, progress=False, charts=False)


def test_resuming_in_a_directory_gone_read_only_is_one_line(rules, whole, tmp_path, monkeypatch, capsys):
    out = tmp_path / "mc"
    with pytest.raises(montecarlo.Interrupted):
        with monkeypatch.context() as m:
            m.setattr(storage.BatchDir, "compact", lambda self, plan: (_ for _ in ()).throw(KeyboardInterrupt))
            batch(rules, out)
    before = {f: (out / f).read_bytes() for f in files(out)}
    refuse_lock(monkeypatch)
    code = cli.main(["montecarlo", "--out", str(out), "--resume", "--quiet", "--no-charts"])
    assert code == 2
    assert capsys.readouterr().err.splitlines() == [
        f"--out {out}: cannot write in the directory (Read-only file system: {out}/batch.lock)"]
    assert {f: (out / f).read_bytes() for f in files(out)} == before
