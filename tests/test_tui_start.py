"""The start screen refuses a game its ruleset cannot play, before the game is built."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Input  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tuikit import running, settle  # noqa: E402

DEFAULT = Path(__file__).parent.parent / "rulesets" / "rare_earths_2026.yaml"


@pytest.mark.parametrize(("calendar", "longest"), [
    ("", 1000),                                               # the engine's limit on a game
    ("calendar: {start_date: 9999-06-01, max_turns: 20}\n", 30),             # the calendar ends first: 30 weeks to 31 Dec 9999
])
def test_the_turns_field_takes_no_more_turns_than_the_ruleset_can_play(tmp_path, calendar, longest):
    ruleset = tmp_path / "late.yaml"
    ruleset.write_text(f"extends: {DEFAULT}\nruleset: {{id: late, name: Late}}\n{calendar}")

    async def scenario():
        app = WargameApp(StartOptions(ruleset=str(ruleset)), saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            turns = app.screen.query_one("#turns", Input)
            ok = turns.validate(str(longest)).is_valid
            too_many = turns.validate(str(longest + 1))
            turns.value = str(longest + 1)
            await pilot.click("#start")
            await settle(pilot)
            return ok, too_many, app.game

    ok, too_many, game = asyncio.run(scenario())
    assert ok and not too_many.is_valid
    assert game is None                                       # nothing started
