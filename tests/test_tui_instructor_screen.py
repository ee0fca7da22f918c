"""The instructor's own screen, driven by its keys: the command line, what it says of each actor and intervention,
and what it offers once the game is over."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import Input  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tuikit import running, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402

RULESET = Path(__file__).parent / "__snapshots__" / "tui_ruleset.yaml"


def instructor_app(tmp_path, humans=(), turns=6) -> WargameApp:
    model = WargameModel(RULESET, rng=5, humans=humans, turns=turns)
    return WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)


def test_s_starts_an_ad_hoc_event_that_the_typing_completes(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            field = screen.query_one("#instructor-command", Input)
            await pilot.press("s")
            await pilot.pause()
            assert field.has_focus and field.value == "say "
            # The first key typed goes after "say ", not over it.
            await pilot.press(*"Storm in Kyushu")
            assert field.value == "say Storm in Kyushu"
            await pilot.press("enter")
            await settle(pilot)
            assert [e.text for e in app.game.model.events if e.kind == "inject"] == ["Storm in Kyushu"]

            # A command refused stays on the line; ':' comes back to it to be corrected, not typed over.
            await pilot.press(":", *"reveal beijnig", "enter")
            await settle(pilot)
            assert field.value == "reveal beijnig" and app.game.model.state.revealed == []
            await pilot.press("escape", ":", "backspace", "backspace", "backspace", *"ing", "enter")
            await settle(pilot)
            assert app.game.model.state.revealed == ["beijing"] and field.value == ""

    asyncio.run(scenario())
