"""What the instructor's interventions show the players, read from the players' own screens: a reveal puts the
revealed actor's private facts on every player's overview, and an override of a player's moves says so to that
player alone."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import DataTable, OptionList, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.handover import HandoverScreen  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.text import tonnes  # noqa: E402
from tui.widgets.briefing import Briefing  # noqa: E402
from tui.widgets.events import EventLog, event_text  # noqa: E402
from tuikit import plain, running, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.instructor import Instructor  # noqa: E402

RULESET = Path(__file__).parent / "__snapshots__" / "tui_ruleset.yaml"


def instructor_app(tmp_path, humans=("tokyo",)) -> WargameApp:
    model = WargameModel(RULESET, rng=5, humans=humans, turns=6)
    return WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)


def highlight_actor(screen: InstructorScreen, actor: str) -> None:
    table = screen.query_one("#actor-table", DataTable)
    table.move_cursor(row=table.get_row_index(actor))


async def instructor_toggles(pilot, *actors: str) -> None:
    """From a player's screen: call the instructor, press v on each actor, and hand the keyboard back."""
    await pilot.press("i")
    await settle(pilot)
    assert isinstance(pilot.app.screen, InstructorScreen)
    for actor in actors:
        highlight_actor(pilot.app.screen, actor)
        await pilot.press("v")
        await settle(pilot)
    await pilot.press("escape", "enter")
    await settle(pilot)


def overview_of(app) -> str:
    screen = app.screen
    assert isinstance(screen, TurnScreen)
    return " ".join(plain(screen.query_one(Briefing)).split())


def test_a_reveal_shows_every_player_the_actors_private_facts_until_hidden_again(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            model = app.game.model
            await pilot.press("escape", "enter")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == "tokyo"
            assert "Revealed by the instructor" not in overview_of(app)

            await instructor_toggles(pilot, "beijing", "cn_exporters")
            assert model.state.revealed == ["beijing", "cn_exporters"]
            shown = overview_of(app)
            # As the engine lets each of them know its own facts.
            beijing, exporters = model.observe("beijing"), model.observe("cn_exporters")
            assert "Revealed by the instructor" in shown
            assert (f"Beijing: resolve {beijing.resolve:.2f} (hawk) · domestic pressure {beijing.pressure:.2f} · "
                    f"capital {beijing.capital:.1f}") in shown
            assert f"Tokyo {beijing.belief('tokyo'):.2f}" in shown
            stocks = exporters.own_inventory()
            assert any(stocks.values())
            node, held = next((n, c) for n, c in stocks.items() if c)
            commodity, amount = next(iter(held.items()))
            names = app.screen.view.labels
            assert f"Chinese state-owned exporters: capital {exporters.capital:.1f}" in shown
            assert f"stocks at {app.screen.view.node_names[node]}: {names[commodity]} {tonnes(amount)}" in shown
            # A firm feels no domestic pressure, and nothing says it does.
            assert "Chinese state-owned exporters: capital" in shown and shown.count("domestic pressure") == 1

            # Tokyo's own information revealed: Tokyo is told, and sees nothing new of itself.
            await instructor_toggles(pilot, "tokyo")
            shown = overview_of(app)
            assert "Your own private information: every player now sees it." in shown
            assert "Tokyo: resolve" not in shown

            await instructor_toggles(pilot, "beijing", "cn_exporters", "tokyo")
            assert model.state.revealed == []
            assert "Revealed by the instructor" not in overview_of(app)
            assert f"resolve {beijing.resolve:.2f}" not in overview_of(app)

    asyncio.run(scenario())


def log_of(screen: TurnScreen) -> str:
    return "\n".join(event_text(e, screen.actor).plain for e in screen.query_one(EventLog).shown)


async def take_the_keyboard(pilot, actor: str) -> tuple[TurnScreen, str]:
    """From the hand-over screen: Enter, and close the report of the turn just played if there is one. The
    player's turn screen, and what the report said."""
    assert isinstance(pilot.app.screen, HandoverScreen) and pilot.app.screen.actor == actor
    await pilot.press("enter")
    await settle(pilot)
    report = ""
    if isinstance(pilot.app.screen, ReportScreen):
        report = " ".join(plain(pilot.app.screen.query_one("#report-body", Static)).split())
        await pilot.press("escape")
    screen = pilot.app.screen
    assert isinstance(screen, TurnScreen) and screen.actor == actor
    return screen, report


def test_moves_the_instructor_sets_for_a_player_say_so_to_that_player_alone(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("beijing", "tokyo"))
        async with running(app) as pilot:
            model = app.game.model
            move = sorted(model.legal_moves("tokyo"), key=lambda m: (model.rules.moves[m].capital, m))[0]
            highlight_actor(app.screen, "tokyo")
            await pilot.press("o")
            listing = app.screen.query_one("#move-list", OptionList)
            listing.highlighted = listing.get_option_index(move)
            await pilot.press("space", "o")
            await settle(pilot)
            assert isinstance(app.screen, InstructorScreen) and app.game.waiting == ["beijing"]
            said = f"Tokyo's moves on turn 1, set by the instructor: {model.rules.moves[move].name}"

            await pilot.press("escape")
            await settle(pilot)
            await take_the_keyboard(pilot, "beijing")
            await pilot.press("e", "y")
            await settle(pilot)
            assert model.state.turn == 1 and model.reports[-1].orders["tokyo"] == [move]

            # Beijing, first at the keyboard after the turn, sees nothing of it; Tokyo sees its moves were set for it.
            beijing, report = await take_the_keyboard(pilot, "beijing")
            assert report and "set by the instructor" not in report + log_of(beijing)
            assert "set for you" not in report
            await pilot.press("e", "y")
            await settle(pilot)
            tokyo, report = await take_the_keyboard(pilot, "tokyo")
            # The moves under 'Your moves' are not Tokyo's choice, and the report says whose they were.
            assert f"Your moves — set for you by the instructor ✓ {model.rules.moves[move].name}" in report
            assert f"[private] {said}" in report
            assert f"[private] {said}" in log_of(tokyo)
            assert "Moves entered for Tokyo" not in log_of(tokyo)

    asyncio.run(scenario())


def test_at_the_console_a_players_moves_typed_in_by_the_instructor_are_still_their_own():
    model = WargameModel(RULESET, rng=5, humans=("tokyo",), turns=6)
    Instructor(model).execute("override tokyo hold")
    assert model.events[-1].text == "Moves entered for Tokyo on turn 1: nothing (holds)"
    assert "instead_of_player" not in model.interventions[-1]
