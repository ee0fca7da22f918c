"""A save that names a player's own policy class does not import it unless the user says they trust it.

Making a policy from 'package.module:Class' imports the module, which runs its code: a save file passed around
a class must not be able to do that by itself.
"""

from __future__ import annotations

import sys
import textwrap

import pytest

from conftest import run_cli
from wargame import WargameModel
from wargame.errors import SaveError
from wargame.replay import branch, replay
from wargame.saves import load_game, save_game

POLICY = "own_policy_for_saves:AlwaysProtest"

MODULE = textwrap.dedent("""
    import os
    import pathlib

    # Importing this module leaves a mark, so a test can tell whether a save imported it.
    pathlib.Path(os.environ["OWN_POLICY_MARK"]).write_text("imported")

    class AlwaysProtest:
        def choose(self, observation, legal, rng):
            return ["formal_protest"] if "formal_protest" in legal else []
""")


@pytest.fixture
def saved(tmp_path_factory, monkeypatch):
    """A game Tokyo played with its own policy class, saved; the class's module on the path."""
    folder = tmp_path_factory.mktemp("own")
    (folder / "own_policy_for_saves.py").write_text(MODULE)
    mark = folder / "imported.txt"
    monkeypatch.setenv("OWN_POLICY_MARK", str(mark))
    monkeypatch.setenv("PYTHONPATH", str(folder))
    monkeypatch.syspath_prepend(str(folder))
    model = WargameModel(rng=5, turns=4, policies={"tokyo": POLICY})
    model.run(3)
    path = save_game(model, folder / "game.json")
    # Forget the import, so that the next one (if any) runs the module again and leaves its mark.
    mark.unlink()
    sys.modules.pop(POLICY.partition(":")[0], None)
    yield path, mark
    sys.modules.pop(POLICY.partition(":")[0], None)


def test_loading_refuses_a_class_nobody_trusted_and_imports_nothing(saved):
    path, mark = saved
    with pytest.raises(SaveError) as info:
        load_game(path)
    (line,) = info.value.lines()
    assert f": policies.tokyo: played by the Python class '{POLICY}'" in line
    assert f"--trust-policy {POLICY}" in line
    assert not mark.exists()


@pytest.mark.parametrize("open_it", [
    lambda path, trusted: load_game(path, trusted=trusted),
    lambda path, trusted: replay(path, trusted=trusted).model,
    lambda path, trusted: branch(path, turns=1, trusted=trusted),
], ids=["load", "replay", "branch"])
def test_a_trusted_class_plays_as_it_did(saved, open_it):
    path, mark = saved
    with pytest.raises(SaveError):
        open_it(path, ())
    model = open_it(path, [POLICY])
    assert model.policy_names["tokyo"] == POLICY


def test_replay_of_a_trusted_save_matches_it(saved):
    path, _ = saved
    assert replay(path, trusted=[POLICY]).divergence is None


@pytest.mark.parametrize("command", [["replay"], ["resume", "--turns", "1"], ["branch", "--at", "2"]])
def test_the_commands_refuse_in_one_line_and_accept_with_trust_policy(saved, command):
    path, mark = saved
    name, *rest = command
    refused = run_cli(name, str(path), *rest)
    assert refused.returncode == 2, refused.stderr
    assert "Traceback" not in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1 and f"--trust-policy {POLICY}" in refused.stderr
    assert not mark.exists()
    accepted = run_cli(name, str(path), *rest, "--trust-policy", POLICY)
    assert accepted.returncode == 0, accepted.stderr
    assert mark.exists()
