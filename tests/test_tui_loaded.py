"""A game opened from a save says where it stands, instead of showing its last turn's report as if that turn had
just been played; the report is a key away, labelled as the save's, until a turn is played here."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import Label, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.handover import HandoverScreen  # noqa: E402
from tui.screens.loaded import LoadedScreen  # noqa: E402
from tui.screens.over import GameOverScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tuikit import plain, running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.saves import load_game, save_game  # noqa: E402


def saved(tmp_path, humans: tuple[str, ...], played: int, turns: int = 6, name: str = "class"):
    model = WargameModel(rng=5, humans=humans, turns=turns)
    for _ in range(played):
        for actor in humans:
            model.submit(actor, [])
        model.step()
    return save_game(model, tmp_path / f"{name}.json")


def opened(path, saves_dir) -> WargameApp:
    """The app as `wargame play --load PATH` opens it."""
    return WargameApp(StartOptions(), saves_dir=saves_dir, autosave=False, model=load_game(path), loaded_from=path)


def title(screen) -> str:
    return str(screen.query_one(".dialog-title", Label).render())


# (case, players, turns played before the save, what the loaded view says)
TOLD = [
    ("one player", ("tokyo",), 2,
     ["Game loaded: turn 3 of 6 · 20 Jan 2026", "Opened from class.json, saved after turn 2 of 6.", "You play Tokyo.",
      "Choose your moves for turn 3 on the Moves tab (2)", "On turn 2 (13 Jan 2026) you held."]),
    ("saved before the first turn", ("tokyo",), 0,
     ["Game loaded: turn 1 of 6 · 6 Jan 2026", "Opened from class.json, saved before the first turn."]),
    ("watching the AI", (), 1,
     ["Game loaded: turn 2 of 6 · 13 Jan 2026", "You watch the AI play every actor"]),
]


@pytest.mark.parametrize("case,players,played,said", TOLD, ids=[c[0] for c in TOLD])
def test_a_loaded_game_says_where_it_stands_not_the_last_report(tmp_path, case, players, played, said):
    path = saved(tmp_path, players, played)

    async def scenario():
        app = opened(path, tmp_path)
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, LoadedScreen), screen
            text = title(screen) + "\n" + " ".join(plain(screen.query_one("#loaded-body", Static)).split())
            for line in said:
                assert line in text, text
            footer = screen_lines(app)[-1]
            assert "⏎ To the game" in footer
            assert ("r Last turn's report" in footer) == bool(played)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == (players[0] if players else None)

    asyncio.run(scenario())


def test_the_last_report_is_labelled_as_the_saves_until_a_turn_is_played(tmp_path):
    path = saved(tmp_path, ("tokyo",), 2)

    async def scenario():
        app = opened(path, tmp_path)
        async with running(app) as pilot:
            assert isinstance(app.screen, LoadedScreen)
            await pilot.press("r")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            assert title(app.screen) == "Turn 2 resolved · 13 Jan 2026 · from the save class.json"
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen)
            await pilot.press("r")
            assert title(app.screen) == "Turn 2 resolved · 13 Jan 2026 · from the save class.json"
            await pilot.press("escape")
            # A turn played here: its report is this turn's, and nothing says 'loaded' any more.
            await pilot.press("e", "y")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            assert title(app.screen) == "Turn 3 resolved · 20 Jan 2026"
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen)

    asyncio.run(scenario())


def test_each_hot_seat_player_is_told_once_and_then_sees_reports_as_usual(tmp_path):
    path = saved(tmp_path, ("beijing", "tokyo"), 1)

    async def scenario():
        app = opened(path, tmp_path)
        async with running(app) as pilot:
            for player, other, moved in (("Beijing", "Tokyo", False), ("Tokyo", "Beijing", True)):
                assert isinstance(app.screen, HandoverScreen)
                await pilot.press("enter")
                await settle(pilot)
                assert isinstance(app.screen, LoadedScreen)
                text = " ".join(plain(app.screen.query_one("#loaded-body", Static)).split())
                assert f"You play {player}, in turn with {other} at this keyboard." in text
                assert ("Beijing has already moved this turn." in text) == moved
                await pilot.press("enter", "e", "y")
                await settle(pilot)
            # The turn played here: Beijing's next sitting opens on its report, as after any turn.
            assert app.game.model.state.turn == 2
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "beijing"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen) and title(app.screen) == "Turn 2 resolved · 13 Jan 2026"

    asyncio.run(scenario())


def test_a_game_loaded_after_it_ended_opens_on_the_game_over_screen_without_the_last_report(tmp_path):
    path = saved(tmp_path, ("tokyo",), 3, turns=3)

    async def scenario():
        app = opened(path, tmp_path)
        async with running(app) as pilot:
            assert isinstance(app.screen, GameOverScreen)
            await pilot.press("v", "r")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            assert title(app.screen) == "Turn 3 resolved · 20 Jan 2026 · from the save class.json"

    asyncio.run(scenario())
