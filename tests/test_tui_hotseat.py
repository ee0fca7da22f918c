"""Hot-seat play: two people share the keyboard, and neither sees the other's private information."""

from __future__ import annotations

import asyncio
import io

import pytest

pytest.importorskip("textual")

from rich.console import Console  # noqa: E402
from textual.widgets import OptionList, RichLog, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.handover import HandoverScreen  # noqa: E402
from tui.screens.loaded import LoadedScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.save import SaveScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.widgets.events import EventLog, event_text  # noqa: E402
from tuikit import open_load_screen, running, settle  # noqa: E402

SECRET = "back_channel_talks"          # a private move both Beijing and Tokyo may play


def shown_text(screen) -> str:
    """Everything the screen's widgets hold for display, visible tab or not."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    parts = []
    for widget in screen.walk_children():
        if isinstance(widget, EventLog):
            # A log on a hidden tab has not drawn its lines yet: read what it was given to show.
            parts.extend(event_text(e, screen.actor).plain for e in widget.shown)
        elif isinstance(widget, RichLog):
            parts.extend(line.text for line in widget.lines)
        elif isinstance(widget, OptionList):
            for option in widget.options:
                console.print(option.prompt)
        elif isinstance(widget, Static):
            console.print(widget.content)
    return "\n".join(parts) + console.export_text()


async def play_secret_as_beijing(pilot) -> None:
    """From Beijing's hand-over screen: take the keyboard, choose the secret move, end the turn and confirm."""
    await pilot.press("enter")
    await settle(pilot)
    listing = pilot.app.screen.query_one("#move-list", OptionList)
    await pilot.press("2")
    listing.highlighted = listing.get_option_index(SECRET)
    await pilot.press("space", "e", "y")
    await settle(pilot)


def test_hot_seat_keeps_each_players_private_information_hidden(tmp_path):
    async def scenario():
        app = WargameApp(StartOptions(humans=("beijing", "tokyo"), seed=3, turns=5), saves_dir=tmp_path)
        async with running(app) as pilot:
            await pilot.press("ctrl+n")
            await settle(pilot)
            model = app.game.model
            secret_name = model.rules.moves[SECRET].name
            assert model.rules.moves[SECRET].visibility == "private"

            # Beijing is called to the keyboard first, on a screen that shows nothing of anyone's.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "beijing"
            assert "Pass the keyboard to Beijing" in shown_text(app.screen)
            await pilot.press("enter")
            await settle(pilot)
            beijing = app.screen
            assert isinstance(beijing, TurnScreen) and beijing.actor == "beijing"
            assert SECRET in model.legal_moves("beijing")
            await pilot.press("2")
            listing = beijing.query_one("#move-list", OptionList)
            listing.highlighted = listing.get_option_index(SECRET)
            await pilot.press("space", "e")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)

            # Hand-over to Tokyo: Beijing's screen is gone, not merely covered.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            assert not any(isinstance(s, TurnScreen) for s in app.screen_stack)
            assert secret_name not in shown_text(app.screen)
            await pilot.press("enter")
            await settle(pilot)
            tokyo = app.screen
            assert isinstance(tokyo, TurnScreen) and tokyo.actor == "tokyo"
            await pilot.press("e")
            await pilot.press("y")
            await settle(pilot)

            # The turn has resolved; Beijing's secret move was played.
            assert model.state.turn == 1
            assert model.reports[-1].adjudication.accepted["beijing"] == [SECRET]
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "beijing"
            assert secret_name not in shown_text(app.screen)

            # Beijing's report and log show its own secret move, marked private.
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            report = shown_text(app.screen)
            assert f"✓ {secret_name}" in report and f"[private] Beijing: {secret_name}" in report
            await pilot.press("escape")
            beijing = app.screen
            assert f"[private] Beijing: {secret_name}" in shown_text(beijing)
            await pilot.press("e")
            await pilot.press("y")
            await settle(pilot)

            # Tokyo's turn 2: nothing of the secret move anywhere — report, log, briefing, indicators, trade.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)
            assert secret_name not in shown_text(app.screen)
            await pilot.press("escape")
            tokyo = app.screen
            assert isinstance(tokyo, TurnScreen) and tokyo.actor == "tokyo"
            # Tokyo may open back-channel talks itself, so the move is in its catalogue; Beijing's doing so is not.
            assert f"Beijing: {secret_name}" not in shown_text(tokyo)
            assert f"[ ] {secret_name}" in shown_text(tokyo)       # the move list is read, not skipped
            # The leaders' summit in Tokyo's catalogue names the talks as its condition, which says nothing of Beijing.
            condition = f"'{secret_name}' has been played (in public or by Tokyo)"
            assert condition in shown_text(tokyo)
            assert secret_name not in shown_text(tokyo).replace(f"[ ] {secret_name}", "").replace(condition, "")
            log = tokyo.query_one(EventLog)
            assert log.shown and all(e.visible("tokyo") for e in log.shown)
            # Tokyo's own private facts are its own: its capital, not Beijing's.
            assert f"capital {model.state.capital['tokyo']:.1f}" in shown_text(tokyo)

    asyncio.run(scenario())


def test_the_instructor_sees_everything_but_no_player_sees_another_players_secrets(tmp_path):
    from tui.screens.instructor import InstructorScreen

    async def scenario():
        app = WargameApp(StartOptions(humans=("beijing", "tokyo"), seed=3, turns=5, instructor=True),
                         saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            await pilot.press("ctrl+n")
            await settle(pilot)
            model = app.game.model
            secret_name = model.rules.moves[SECRET].name
            assert isinstance(app.screen, InstructorScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "beijing"
            await play_secret_as_beijing(pilot)
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"

            # The instructor steps in between the players and sees Beijing's secret choice...
            await pilot.press("i")
            await settle(pilot)
            assert isinstance(app.screen, InstructorScreen)
            rows = {r.actor: r for r in app.screen.rows()}
            assert rows["beijing"].coming == (SECRET,) and rows["tokyo"].coming is None
            # ...and sets Tokyo's moves: Tokyo has moved, and the turn resolves.
            table = app.screen.query_one("#actor-table")
            table.move_cursor(row=table.get_row_index("tokyo"))
            await pilot.press("o", "h")
            await settle(pilot)
            assert app.game.waiting == []
            await pilot.press("escape")
            await settle(pilot)
            assert model.state.turn == 1 and model.reports[-1].adjudication.accepted["beijing"] == [SECRET]
            override = next(e for e in model.events if e.kind == "instructor" and e.actor == "tokyo")
            assert override.visible_to == ("tokyo",)

            # Beijing sees its secret, not the instructor's entry for Tokyo.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "beijing"
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape")
            beijing = shown_text(app.screen)
            assert f"[private] Beijing: {secret_name}" in beijing and override.text not in beijing

            # Called from Beijing's screen, the instructor's screen replaces it (closed, not covered): it shows
            # every secret, marked with who knows it.
            await pilot.press("i")
            await settle(pilot)
            assert isinstance(app.screen, InstructorScreen)
            assert not any(isinstance(s, TurnScreen) for s in app.screen_stack)
            await pilot.press("3")
            await pilot.pause()
            everything = shown_text(app.screen)
            assert f"[Beijing only] Beijing: {secret_name}" in everything and f"[Tokyo only] {override.text}" in everything
            table = app.screen.query_one("#actor-table")
            table.move_cursor(row=table.get_row_index("beijing"))
            await pilot.press("1", "o", "h")
            await settle(pilot)

            # Beijing has been moved for; the keyboard goes to Tokyo, whose screens show nothing of Beijing's secret.
            await pilot.press("escape")
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            assert secret_name not in shown_text(app.screen)
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen) and secret_name not in shown_text(app.screen)
            await pilot.press("escape")
            tokyo = app.screen
            assert isinstance(tokyo, TurnScreen) and tokyo.actor == "tokyo"
            assert override.text in shown_text(tokyo)
            assert f"Beijing: {secret_name}" not in shown_text(tokyo)
            # The summit needs talks Tokyo knows of: Beijing's secret ones do not make it legal.
            summit = next(o for _, group in tokyo.view.options for o in group if o.move.id == "leaders_summit")
            assert not summit.legal and "in public or by Tokyo" in summit.reason

    asyncio.run(scenario())


def test_a_game_saved_between_two_players_moves_resumes_with_the_second(tmp_path):
    async def first_session():
        app = WargameApp(StartOptions(humans=("beijing", "tokyo"), seed=3, turns=5), saves_dir=tmp_path)
        async with running(app) as pilot:
            await pilot.press("ctrl+n")
            await settle(pilot)
            await play_secret_as_beijing(pilot)
            # Tokyo is called to the keyboard; the players stop here and save.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SaveScreen)
            app.screen.query_one("#save-name").value = "mid-turn"
            await pilot.press("enter")
            await settle(pilot)
            assert app.game.model.state.turn == 0

    async def second_session():
        app = WargameApp(StartOptions(), saves_dir=tmp_path)
        async with running(app) as pilot:
            await open_load_screen(pilot, tmp_path / "mid-turn.json")
            await pilot.press("enter")
            await settle(pilot)
            # Beijing has moved already: the game carries on with Tokyo, and Beijing's secret stays hidden.
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            assert app.game.waiting == ["tokyo"]
            model = app.game.model
            assert model.rules.moves[SECRET].name not in shown_text(app.screen)
            await pilot.press("enter")
            await settle(pilot)
            # Where the game stands comes first: Tokyo is told that Beijing has moved, not what it played.
            assert isinstance(app.screen, LoadedScreen)
            told = shown_text(app.screen)
            assert "Beijing has already moved this turn" in told and model.rules.moves[SECRET].name not in told
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == "tokyo"
            await pilot.press("e", "y")
            await settle(pilot)
            assert model.state.turn == 1
            assert model.reports[-1].adjudication.accepted["beijing"] == [SECRET]

    asyncio.run(first_session())
    asyncio.run(second_session())


@pytest.mark.parametrize("players, instructor", [(("beijing", "tokyo"), False), (("tokyo",), True)],
                         ids=["between players", "back from the instructor"])
def test_the_hand_over_footer_lists_enter_and_enter_shows_the_players_turn(tmp_path, players, instructor):
    from tuikit import screen_lines

    async def scenario():
        app = WargameApp(StartOptions(humans=players, seed=3, turns=5, instructor=instructor), saves_dir=tmp_path,
                         autosave=False)
        async with running(app) as pilot:
            await pilot.press("ctrl+n")
            await settle(pilot)
            if instructor:
                await pilot.press("escape")          # the instructor hands the keyboard to the player
                await settle(pilot)
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == players[0]
            footer = screen_lines(app)[-1].split()
            assert footer[:4] == ["⏎", "Show", "my", "turn"], footer
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == players[0]

    asyncio.run(scenario())
