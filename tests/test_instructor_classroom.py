"""The classroom pack works as written: its command lines parse, its prepared instructor session runs without a
refused command, and its sweep file is accepted."""

from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT, run_cli
from gamekit import run_with_input
from wargame.cli import build_parser

PACK = ROOT / "docs" / "classroom"
PLACEHOLDERS = {"SEED": "1", "TURN": "3", "ACTOR=MOVE": "tokyo=demarche", "ACTOR": "tokyo", "MOVE": "demarche",
                "ID": "snap_election", "N": "2", "FILE": "saves/class.json", "OUT": "saves/out.json", "DIR": "out"}


def _command_lines() -> list[tuple[str, str]]:
    found = []
    for doc in sorted(PACK.glob("*.md")) + [ROOT / "docs" / "saves.md"]:
        text = doc.read_text(encoding="utf-8").replace("\\\n", " ")
        spans = re.findall(r"`(wargame [^`]+)`", text)
        blocks = [line.strip() for block in re.findall(r"```\n(.*?)```", text, re.S) for line in block.splitlines()
                  if line.strip().startswith("wargame ")]
        for line in spans + blocks:
            line = line.split(" | ")[0].split(" < ")[0].split(" > ")[0]
            if "..." in line or "[" in line or len(line.split()) < 3:
                continue                     # a usage pattern or a command's name, not a command line
            found.append((doc.name, line))
    return found


def test_every_command_line_in_the_docs_parses(capsys):
    lines = _command_lines()
    assert len(lines) > 25
    parser = build_parser()
    for doc, line in lines:
        words = [PLACEHOLDERS.get(w, w) for w in shlex.split(line)[1:]]
        try:
            parser.parse_args(words)
        except SystemExit as exit:
            err = capsys.readouterr().err
            if exit.code and "no such file" not in err:
                pytest.fail(f"{doc}: {line}: {err.strip()}")


@pytest.fixture(scope="module")
def rehearsal(tmp_path_factory):
    """The prepared 50-minute session played as its header says, and its save."""
    commands = (PACK / "fifty-minute-class.instructor.txt").read_text(encoding="utf-8")
    save = tmp_path_factory.mktemp("rehearsal") / "rehearsal.json"
    done = run_with_input("run", "--policy", "tokyo=human", "--policy", "beijing=human", "--turns", "6", "--seed", "7",
                          "--instructor", "--save", str(save), input_text=commands)
    return done, save


def test_the_prepared_session_runs_without_a_refused_command(rehearsal):
    done, save = rehearsal
    assert done.returncode == 0, done.stderr
    assert "instructor:" not in done.stderr, done.stderr
    assert done.stdout.count("[instructor] Before turn") >= 12 and "Turn  6" in done.stdout
    assert run_cli("replay", str(save)).returncode == 0


def test_a_replays_log_tells_the_interventions_as_the_console_did(rehearsal):
    played, save = rehearsal
    replayed = run_cli("replay", str(save), "--log")
    assert replayed.returncode == 0, replayed.stderr

    def told(out):
        return [line for line in out.splitlines() if line.startswith("  [instructor]")]
    assert any("inject deck" in line for line in told(played.stdout))
    assert told(replayed.stdout) == told(played.stdout)


def test_the_sweep_file_is_accepted(tmp_path):
    done = run_cli("montecarlo", "--runs", "1", "--turns", "2", "--seed", "3", "--workers", "1", "--no-charts",
                   "--quiet", "--sweep", str(PACK / "monte-carlo-sweep.yaml"), "--out", str(tmp_path / "sweep"))
    assert done.returncode == 0, done.stderr
    assert "actors.beijing.resolve.alpha" in (tmp_path / "sweep" / "summary.md").read_text()
