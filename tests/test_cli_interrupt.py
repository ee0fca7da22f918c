"""Headless games are not lost: Ctrl-C keeps the turns played (saved with --save, or back to the file resumed), and
a save that could not be written is refused before anything is played, not after a class's whole session."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading

import pytest

from conftest import run_cli
from wargame import WargameModel
from wargame.saves import load_game, save_game


def unfinished_game(path, turns: int = 8, played: int = 2):
    """A save of a game stopped after `played` of its `turns` turns."""
    model = WargameModel(None, rng=7, turns=turns)
    for _ in range(played):
        model.step()
    save_game(model, path)
    return path


def _start(*args: str, cwd) -> subprocess.Popen:
    # -u: each turn's log reaches the pipe as it is written, so the test knows where the game stands.
    return subprocess.Popen([sys.executable, "-u", "-m", "wargame", *args], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=cwd)


def _read_until(stream, marker: str) -> str:
    seen = []
    for line in stream:
        seen.append(line)
        if line.startswith(marker):
            return "".join(seen)
    raise AssertionError(f"never saw {marker!r} in:\n{''.join(seen)}")


def test_ctrl_c_at_the_instructors_prompt_keeps_the_session(tmp_path):
    save = tmp_path / "saves" / "class.json"
    game = _start("run", "--policy", "tokyo=human", "--turns", "6", "--seed", "7", "--instructor", "--save",
                  str(save), cwd=tmp_path)
    try:
        game.stdin.write("override tokyo formal_protest\ncontinue\nsay Port strike in Yokohama\n")
        game.stdin.flush()
        _read_until(game.stdout, "  Japan's loss:")          # the last line of turn 1's log
        _read_until(game.stdout, "  [instructor] Before turn 2")    # the event announced before turn 2
        # The instructor's console now waits for the next command: Ctrl-C there.
        game.send_signal(signal.SIGINT)
        out, err = game.communicate(timeout=60)
    finally:
        game.kill()
    assert game.returncode == 130
    assert "Traceback" not in err
    assert err.strip().splitlines()[-1] == (f"interrupted after turn 1: the game so far is saved to {save}; "
                                            f"'wargame resume {save}' continues it")
    model = load_game(save)
    assert model.state.turn == 1
    assert model.reports[0].orders["tokyo"] == ["formal_protest"]
    # What the instructor did before stopping is kept too, queued for the coming turn.
    assert any(e.turn == 2 and e.text == "Port strike in Yokohama" for e in model.events)
    replayed = run_cli("replay", str(save))
    assert replayed.returncode == 0, replayed.stdout + replayed.stderr


def test_ctrl_d_at_a_typed_prompt_stops_and_saves_instead_of_playing_on(tmp_path):
    """Typed at a terminal, Ctrl-D ends the session as in a shell; only a piped file's end plays the rest."""
    pty = pytest.importorskip("pty")
    save = tmp_path / "class.json"
    leader, follower = pty.openpty()
    game = subprocess.Popen([sys.executable, "-u", "-m", "wargame", "run", "--turns", "6", "--seed", "7",
                             "--instructor", "--save", str(save)], stdin=follower, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, cwd=tmp_path)
    os.close(follower)
    try:
        os.write(leader, b"continue\n")
        _read_until(game.stdout, "  Japan's loss:")          # turn 1 has been played
        os.write(leader, b"\x04")                          # Ctrl-D at the prompt before turn 2
        out, err = game.communicate(timeout=60)
    finally:
        game.kill()
        os.close(leader)
    assert game.returncode == 0, err
    assert "Traceback" not in err
    assert "[instructor] stopping before turn 2" in out
    assert "Turn 2" not in out
    assert load_game(save).state.turn == 1


def test_ctrl_c_during_a_turn_stops_once_it_has_resolved(tmp_path, monkeypatch):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread")
    from wargame.cli import main

    step = WargameModel.step

    def interrupted_step(self):
        if self.turn == 3:
            signal.raise_signal(signal.SIGINT)       # Ctrl-C while the turn resolves
        step(self)

    monkeypatch.setattr(WargameModel, "step", interrupted_step)
    save = tmp_path / "game.json"
    assert main(["run", "--turns", "8", "--seed", "7", "--save", str(save)]) == 130
    assert signal.getsignal(signal.SIGINT) is signal.default_int_handler
    model = load_game(save)
    assert model.state.turn == 3 and len(model.reports) == 3 and model.running


def test_ctrl_c_while_resuming_saves_the_turns_played_back_to_the_file(tmp_path, monkeypatch):
    if threading.current_thread() is not threading.main_thread():
        pytest.skip("signals reach only the main thread")
    from wargame.cli import main

    save = unfinished_game(tmp_path / "sim.json")
    step = WargameModel.step

    def interrupted_step(self):
        if self.turn == 4:
            signal.raise_signal(signal.SIGINT)
        step(self)

    monkeypatch.setattr(WargameModel, "step", interrupted_step)
    assert main(["resume", str(save), "--turns", "6", "--quiet"]) == 130
    assert load_game(save).state.turn == 4


@pytest.mark.parametrize("command", [("run", "--turns", "3"), ("resume", "{game}"),
                                     ("branch", "{game}", "--at", "1", "--moves", "tokyo=hold")])
def test_a_save_that_cannot_be_written_is_refused_before_playing(tmp_path, command):
    game = unfinished_game(tmp_path / "game.json")
    before = game.read_bytes()
    in_the_way = tmp_path / "notes.txt"
    in_the_way.write_text("a file, not a folder")
    args = [a.format(game=game) for a in command]
    result = run_cli(*args, "--save", "notes.txt/class.json", cwd=tmp_path)
    assert result.returncode == 2
    assert "Turn " not in result.stdout, "refused before any turn is played"
    assert result.stderr.strip().splitlines() == [
        "notes.txt/class.json: cannot write the save: notes.txt is a file, not a folder"]
    assert game.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["game.json", "notes.txt"]
