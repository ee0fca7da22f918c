"""Yes/no questions in the terminal UI: the footer names the dialog's own keys, and a question whose yes would lose
something the player entered says so, with the answer that loses nothing focused."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import Button, Static  # noqa: E402

from tui.app import WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.widgets.moves import MovePicker  # noqa: E402
from tuikit import footer_keys, plain, running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402

SMALL = (80, 24)


def tokyo(tmp_path) -> WargameApp:
    return WargameApp(saves_dir=tmp_path, autosave=False, model=WargameModel(rng=7, turns=3, humans=("tokyo",)))


def test_a_question_shows_its_own_keys_in_the_footer_named_as_its_buttons(tmp_path):
    async def scenario():
        app = tokyo(tmp_path)
        async with running(app, size=SMALL) as pilot:
            assert isinstance(app.screen, TurnScreen)
            await pilot.press("e")                      # End turn? (End turn / Back)
            assert isinstance(app.screen, ConfirmScreen)
            assert footer_keys(app.screen) == {"y": "End turn", "n": "Back"}
            assert "y End turn  n/esc Back" in screen_lines(app)[-1]
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen)
            await pilot.press("ctrl+q")
            assert footer_keys(app.screen) == {"y": "Quit", "n": "Keep playing"}
            await pilot.press("n")
            assert isinstance(app.screen, TurnScreen) and app.is_running

    asyncio.run(scenario())


def test_quitting_with_moves_ticked_but_not_sent_warns_and_focuses_keep_playing(tmp_path):
    async def scenario():
        app = tokyo(tmp_path)
        async with running(app, size=SMALL) as pilot:
            await pilot.press("ctrl+q")
            # Nothing entered, nothing to lose: no warning, and Enter quits.
            assert not app.screen.query("#confirm-detail")
            assert app.focused is app.screen.query_one("#yes", Button)
            await pilot.press("n")
            picker = app.screen.query_one(MovePicker)
            await pilot.press("enter")                   # tick the first move on the list
            assert len(picker.chosen) == 1
            name = picker.options[picker.chosen[0]].move.name
            await pilot.press("ctrl+q")
            assert isinstance(app.screen, ConfirmScreen)
            detail = " ".join(plain(app.screen.query_one("#confirm-detail", Static)).split())
            assert "not sent yet" in detail and " ".join(name.split()) in detail, detail
            assert app.focused is app.screen.query_one("#no", Button)
            await pilot.press("enter")                   # out of habit: keeps playing, the move still ticked
            await settle(pilot)
            assert app.is_running and isinstance(app.screen, TurnScreen)
            assert len(picker.chosen) == 1

    asyncio.run(scenario())


def test_quitting_a_game_played_on_since_it_was_saved_focuses_keep_playing(tmp_path):
    async def scenario():
        app = tokyo(tmp_path)
        async with running(app, size=SMALL) as pilot:
            await pilot.press("e", "y")                  # Tokyo holds; the turn is played, not saved
            await settle(pilot)
            while not isinstance(app.screen, TurnScreen):
                await pilot.press("escape")              # past the turn's report
            await pilot.press("ctrl+q")
            assert "not been saved" in app.screen.question
            assert not app.screen.query("#confirm-detail")
            assert app.focused is app.screen.query_one("#no", Button)

    asyncio.run(scenario())
