"""The end of a game in the terminal UI: the game-over screen's verdict for each player, checked against the
engine's (wargame.report.verdicts, on the objectives of wargame.views.objective_standings)."""

from __future__ import annotations

import asyncio
import re

import pytest

pytest.importorskip("textual")

from textual.widgets import Static  # noqa: E402

from tui.app import WargameApp  # noqa: E402
from tui.screens.over import GameOverScreen  # noqa: E402
from tuikit import plain, running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.figures import usd, yen  # noqa: E402
from wargame.indicators import label  # noqa: E402
from wargame.report.verdicts import verdicts  # noqa: E402


def played(humans: tuple[str, ...], turns: int, seed: int = 7) -> tuple[WargameModel, dict]:
    """A game its players played to the end holding every turn, and its position before turn 1."""
    model = WargameModel(rng=seed, turns=turns, humans=humans)
    opening = dict(model.state.indicators)
    while model.running:
        for actor in humans:
            model.submit(actor, [])
        model.step()
    return model, opening


async def game_over(pilot) -> GameOverScreen:
    for _ in range(3):                          # past the last turn's report
        if isinstance(pilot.app.screen, GameOverScreen):
            break
        await pilot.press("escape")
        await settle(pilot)
    assert isinstance(pilot.app.screen, GameOverScreen)
    return pilot.app.screen


@pytest.mark.parametrize("humans, turns", [(("tokyo",), 3), (("beijing", "tokyo"), 1)])
def test_game_over_gives_each_player_a_verdict_on_their_objectives(tmp_path, humans, turns):
    model, opening = played(humans, turns)
    expected = verdicts(model, opening)
    assert [v.actor for v in expected] == list(humans)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            screen = await game_over(pilot)
            shown = [plain(s) for s in screen.query(".verdict").results(Static)]
            assert len(shown) == len(expected)
            for verdict, text in zip(expected, shown):
                lines = text.splitlines()
                assert f"{verdict.name}: {verdict.summary()}." in " ".join(line.strip() for line in lines)
                for r in verdict.results:
                    # One row per objective: which way the player wants it, where it ended, which way it went.
                    arrow = "▲" if r.wants == "higher" else "▼"
                    row = re.compile(rf"{arrow}!?\s+{re.escape(r.label)}\s+{re.escape(r.end)}\s+{r.way}\s*$")
                    assert any(row.search(line) for line in lines), (r, text)
            figures = "\n".join(plain(s) for s in screen.query("#game-over Static").results(Static))
            assert f"After {turns} turn{'s' if turns > 1 else ''}, by " in figures

    asyncio.run(scenario())


def test_watching_the_ai_to_the_end_has_no_verdict(tmp_path):
    model = WargameModel(rng=7, turns=1)
    model.run()

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            screen = await game_over(pilot)
            assert not screen.query(".verdict")

    asyncio.run(scenario())


@pytest.mark.parametrize(("share", "other", "loss_line", "other_line"), [
    (0.00003, 0.0, f"{label('japan_gdp_loss_jpy')}: {yen(0)} (under 0.01% of GDP)", None),
    (0.0123, 2e10, f"{label('japan_gdp_loss_jpy')}: {yen(0)} (1.23% of GDP)",
     f"{label('japan_other_loss_jpy')}: {yen(2e10)}"),
])
def test_game_over_words_the_final_figures_as_the_run_log_does(tmp_path, share, other, loss_line, other_line):
    model, _ = played(("tokyo",), turns=1)
    # The screen is about how it words what the engine says: a share too small for two decimals, and a game with
    # and without losses outside the shortage model, whatever the moves would have made of them.
    last = model.reports[-1].indicators
    last.update(japan_gdp_loss_share=share, japan_gdp_loss_jpy=0.0, japan_other_loss_jpy=other)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            screen = await game_over(pilot)
            return "\n".join(plain(s) for s in screen.query("#game-over Static").results(Static))

    figures = [line.strip() for line in asyncio.run(scenario()).splitlines()]
    assert loss_line in figures
    assert (other_line in figures) if other_line else not any("lost trade and tourism" in f for f in figures)
    assert not any("other loss" in f or "a year's GDP" in f for f in figures)
    tension = model.rules.tension_text(model.state.tension)
    assert any(f.startswith(f"Tension {tension} of 10 ({model.rules.ladder_rung(model.state.tension)});")
               for f in figures), figures


def test_the_last_turns_report_says_how_to_reopen_it_from_the_game_over_screen(tmp_path):
    from textual.widgets import Label

    from tui.screens.report import ReportScreen
    from tui.screens.turn import TurnScreen

    model = WargameModel(rng=7, turns=2, humans=("tokyo",))
    model.submit("tokyo", [])
    model.step()

    def hint(screen) -> str:
        return str(screen.query_one(".hint", Label).render())

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            assert isinstance(app.screen, ReportScreen) and hint(app.screen).endswith("r later reopens this report")
            await pilot.press("escape", "e", "y")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen) and not model.running
            assert hint(app.screen) == "Enter or Esc: close · v, then r, reopens this report"
            # What it says works: the game-over screen, v, then r.
            await pilot.press("escape")
            assert isinstance(app.screen, GameOverScreen)
            await pilot.press("v", "r")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen) and app.screen.view.summary.turn == 2
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen) and app.screen.looking_back

    asyncio.run(scenario())


def test_every_game_over_button_names_its_key_as_the_footer_shows_it(tmp_path):
    from textual.widgets import Button

    from tuikit import screen_lines

    model, _ = played(("tokyo",), 2)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape")             # the last turn's report
            assert isinstance(app.screen, GameOverScreen)
            footer = screen_lines(app)[-1]
            buttons = [str(b.label) for b in app.screen.query(Button)]
            assert "New game (^n)" in buttons
            for label in buttons:
                name, key = re.fullmatch(r"(.+) \((\S+)\)", label).groups()
                assert f"{key} {name}" in footer, (label, footer)

    asyncio.run(scenario())


@pytest.mark.parametrize("humans", [("tokyo",), ("beijing", "tokyo")])
def test_the_final_figures_and_buttons_stay_in_sight_at_80x24_and_the_verdicts_scroll(tmp_path, humans):
    model, _ = played(humans, 3)
    last = model.reports[-1].indicators

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(80, 24)) as pilot:
            screen = await game_over(pilot)
            shown = "\n".join(screen_lines(app))
            for line in plain(screen.query_one("#game-over-figures", Static)).splitlines():
                assert line.strip() in shown, (line, shown)
            assert f"{label('china_export_loss_usd')}: {usd(last['china_export_loss_usd'])}" in shown
            assert "Final position (v)" in shown and "New game (^n)" in shown
            # What does not fit above them scrolls, from the keyboard, to the last objective of the last player.
            body = screen.query_one("#game-over-body")
            assert app.focused is body and body.max_scroll_y > 0
            await pilot.press("end")
            await pilot.pause()
            assert body.scroll_y == body.max_scroll_y
            last_objective = verdicts(model, app.game.opening)[-1].results[-1].label
            assert last_objective in "\n".join(screen_lines(app))

    asyncio.run(scenario())


def test_the_final_position_of_a_hot_seat_game_does_not_offer_to_watch_the_ai_play_on(tmp_path):
    from tui.screens.turn import TurnScreen
    from tui.widgets.objectives import Objectives

    model, _ = played(("beijing", "tokyo"), 1)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await game_over(pilot)
            await pilot.press("v")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.looking_back
            text = " ".join(plain(app.screen.query_one(Objectives)).split())
            # n and a play nothing once the game is over: the overview must not offer them.
            assert "Watching the AI play" not in text and "Press n" not in text
            assert "The game is over" in text and "Esc goes back to the game-over screen" in text
            status = " ".join(screen_lines(app)[0].split())
            assert "Spectator" not in status and "Final position" in status, status
            await pilot.press("escape")
            assert isinstance(app.screen, GameOverScreen)

    asyncio.run(scenario())
