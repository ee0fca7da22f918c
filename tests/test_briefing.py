"""The briefing the instructor's console gives before the first turn: what each side wants and what each player
at the keyboard can do."""

from __future__ import annotations

import os
import pty
import subprocess
import sys

import pytest

from conftest import ROOT
from wargame import WargameModel
from wargame.views import briefing

# (the players at the keyboard, what the briefing says): each side's objectives heaviest first, said of it by name,
# and for a player its moves, its capital and the commands that give its moves.
SAYS = [
    ((), ["Rare earths 2026: the China–Japan export-control crisis — 6 turns of a week from 2026-01-06.",
          "Beijing: Japan's supply (of normal) lower; China's lost rare-earth exports lower; G7 cohesion lower;",
          "Tokyo: Japan's supply (of normal) higher; Domestic pressure on Tokyo lower; G7 cohesion higher;",
          "Tension (0 to 10) lower; Money the G7 spent lower"]),
    (("tokyo",), ["Tokyo, played at the keyboard: up to 2 moves a turn from 17 (signalling, coercion, "
                  "friend-shoring, de-escalation), paid in political capital (12 now, 3 more a turn, at most 20). "
                  "Before each turn, 'moves tokyo' lists those it may play; 'override tokyo MOVE...' plays them "
                  "('override tokyo hold' plays none)."]),
    # A firm played by a person is briefed on as a side too.
    (("jp_automakers",), ["Japanese automakers: Japan's supply (of normal) higher; Japanese automakers' own output",
                          "Japanese automakers, played at the keyboard: up to 1 move a turn from 6 (firm), paid in"]),
]


@pytest.mark.parametrize("humans, lines", SAYS)
def test_the_briefing_says_what_each_side_wants_and_what_a_player_can_do(rules, humans, lines):
    text = briefing(WargameModel(rules, rng=7, humans=humans, turns=6))
    read = " ".join(said.strip() for said in text)       # as read, whatever the lines' breaks
    for line in lines:
        assert line.strip() in read, (line, text)
    assert all(len(said) <= 100 for said in text)
    assert not any(word in said.lower().split() for said in text for word in ("you", "your"))
    # Every government is a side; the AI's firms are not, unless played by a person.
    sides = [said.split(":")[0].strip() for said in text if said.startswith("  ") and not said.startswith("    ")]
    assert sides == [rules.actors[a].name for a in rules.actor_ids if a in rules.governments or a in humans]


def test_the_instructors_console_gives_the_briefing_before_the_first_prompt(tmp_path):
    main, keyboard = pty.openpty()
    game = subprocess.Popen([sys.executable, "-m", "wargame", "run", "--policy", "tokyo=human", "--turns", "2",
                             "--instructor"], stdin=keyboard, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            text=True, cwd=ROOT)
    os.close(keyboard)
    os.write(main, b"quit\n")
    out, err = game.communicate(timeout=120)
    os.close(main)
    assert game.returncode == 0, err
    briefed = err.index("What each side wants, heaviest first:")
    assert briefed < err.index("Tokyo, played at the keyboard") < err.index("instructor [turn 1]>")


# A resolve and what it makes an actor, at either side of the middle: said alike by the brief, the standings and
# the player's screen of what the instructor reveals. The kind goes with the resolve as printed, to two places.
KINDS = [(0.0, "dove"), (0.4949, "dove"), (0.4999, "hawk"), (0.5, "hawk"), (0.73, "hawk"), (1.0, "hawk")]


@pytest.mark.parametrize("resolve, kind", KINDS)
def test_a_resolve_is_a_hawk_s_or_a_dove_s_alike_everywhere(rules, resolve, kind):
    from types import SimpleNamespace

    from tui.widgets.briefing import _facts
    from wargame.brief import brief_document
    from wargame.views import hawk_or_dove, objective_standings

    assert hawk_or_dove(resolve) == kind
    model = WargameModel(rules, rng=7, turns=6)
    model.state.resolve["tokyo"] = resolve
    assert f"Your resolve: {resolve:.2f}, a {kind} (0 dove, 1 hawk)" in brief_document(model, "tokyo").markdown()
    standing = next(s for s in objective_standings(model, "tokyo") if s.objective == "resolve")
    assert standing.text == f"{resolve:.2f} {kind}"
    view = SimpleNamespace(labels={"tokyo": "Tokyo"}, node_names={})
    facts = {"actor": "tokyo", "resolve": resolve, "pressure": None, "capital": 12.0, "beliefs": {}, "inventory": {}}
    assert f"resolve {resolve:.2f} ({kind})" in _facts(view, facts).plain
