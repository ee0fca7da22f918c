"""The instructor's own screen, driven by its keys: the command line, what it says of each actor and intervention,
and what it offers once the game is over."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import DataTable, Input, OptionList, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tuikit import plain, running, settle  # noqa: E402
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


def highlight_actor(screen: InstructorScreen, actor: str) -> None:
    table = screen.query_one("#actor-table", DataTable)
    table.move_cursor(row=table.get_row_index(actor))


def cheapest(model, actor: str, count: int) -> list[str]:
    return sorted(model.legal_moves(actor), key=lambda m: (model.rules.moves[m].capital, m))[:count]


def test_the_instructor_screen_names_moves_and_actors_as_the_players_know_them(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            model = app.game.model
            rules = model.rules
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            # The player moves; the instructor overrides Washington's AI.
            moved = cheapest(model, "tokyo", 2)
            app.game.submit("tokyo", moved)
            washington = cheapest(model, "washington", 1)
            highlight_actor(screen, "washington")
            await pilot.press("o")
            listing = app.screen.query_one("#move-list", OptionList)
            listing.highlighted = listing.get_option_index(washington[0])
            await pilot.press("space", "o")
            await settle(pilot)
            assert app.screen is screen

            names = "; ".join(rules.moves[m].name for m in washington)
            assert f"Coming turn: override: {names}" in plain(screen.query_one("#actor-detail", Static))
            pending = plain(screen.query_one("#instructor-pending", Static))
            assert f"override Washington: {names}" in pending
            highlight_actor(screen, "tokyo")
            await pilot.pause()
            detail = plain(screen.query_one("#actor-detail", Static))
            assert "Coming turn: moved: " + "; ".join(rules.moves[m].name for m in moved) in detail
            for move in (*moved, *washington):
                assert move not in detail + pending
            assert "washington" not in pending

            # Injects and reveals are named too.
            await pilot.press(":", *"inject g7_summit_communique", "enter")
            await settle(pilot)
            await pilot.press(":", *"reveal beijing", "enter")
            await settle(pilot)
            pending = " ".join(plain(screen.query_one("#instructor-pending", Static)).split())
            assert f"inject: {rules.injects['g7_summit_communique'].name}" in pending and "reveal Beijing" in pending
            assert "g7_summit_communique" not in pending

    asyncio.run(scenario())


def test_once_the_game_is_over_the_instructor_is_offered_only_what_still_applies(tmp_path):
    from tui.game import Game, Parent
    from tui.screens.compare import CompareScreen
    from wargame.replay import branch
    from wargame.saves import snapshot

    async def scenario():
        original = WargameModel(RULESET, rng=5, turns=4)
        original.run()
        doc = snapshot(original)
        what_if = branch(doc, at=3, moves={3: {"beijing": []}}, turns=0, name="the class game")
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0)
        async with running(app) as pilot:
            app.begin(Game(what_if, tmp_path, autosave=False, instructor=True, parent=Parent(doc, "the class game")))
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            for _ in range(2):
                await pilot.press("n")
                await settle(pilot)
            assert not what_if.running and app.screen is screen

            detail = plain(screen.query_one("#actor-detail", Static))
            assert "Coming turn" not in detail and "its AI decides" not in detail and "overrides" not in detail
            table = screen.query_one("#actor-table", DataTable)
            assert {str(table.get_row_at(i)[-1]) for i in range(table.row_count)} == {"—"}
            pending = plain(screen.query_one("#instructor-pending", Static))
            assert "The game is over" in pending and "c compares it with the class game" in pending
            for action in ("override", "pause", "next_turn", "say"):
                assert not screen.check_action(action, ())
            # Revealing is still offered: for the debrief.
            assert screen.check_action("reveal", ()) and screen.check_action("command", ())

            # c compares the what-if with the game it left, as on the game-over screen.
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            comparison = app.screen.comparison
            assert (comparison.a.name, comparison.b.name) == ("the class game", "this game")
            assert comparison.first_move_turn == 3

    asyncio.run(scenario())


def test_c_is_not_offered_for_a_game_that_is_no_branch(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, turns=1)
        async with running(app) as pilot:
            screen = app.screen
            await pilot.press("n")
            await settle(pilot)
            assert not app.game.model.running and app.screen is screen
            assert screen.check_action("compare", ()) is False
            assert "c compares" not in plain(screen.query_one("#instructor-pending", Static))

    asyncio.run(scenario())


def test_once_the_game_is_over_the_command_line_takes_what_still_applies_and_says_so_of_the_rest(tmp_path):
    from textual.widgets import Input

    from tui.screens.export import ExportScreen
    from tui.screens.reply import ReplyScreen
    from tui.screens.turn import TurnScreen
    from tui.widgets.briefing import Briefing
    from wargame.saves import load_game

    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",), turns=1)
        async with running(app) as pilot:
            screen = app.screen
            model = app.game.model
            await pilot.press(":", *"override tokyo hold", "enter", "n")
            await settle(pilot)
            assert not model.running and app.screen is screen
            field = screen.query_one("#instructor-command", Input)
            assert "game over — debrief, save NAME, reveal ACTOR" in field.placeholder

            def said() -> list[str]:
                return [str(n.message) for n in app._notifications]

            # What would play or change the game is refused, saying what still works; the line stays to correct.
            for refused in ("say Storm in Kyushu", "inject snap_election", "override tokyo hold", "pause", "continue",
                            "moves tokyo"):
                app._notifications.clear()
                field.value = ""
                await pilot.press(*([] if field.has_focus else [":"]), *refused, "enter")
                await settle(pilot)
                assert field.value == refused and len(said()) == 1, refused
                assert said()[0].startswith("The game is over (after turn 1)")
                assert "debrief, save NAME, reveal ACTOR" in said()[0]
            field.value = ""
            await pilot.press("escape")

            # help lists only what applies now, this screen's commands among them.
            await pilot.press(":", *"help", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ReplyScreen)
            commands = {line.split()[0] for line in app.screen.lines}
            assert commands == {"reveal", "hide", "status", "quit", "save", "debrief"}
            await pilot.press("escape")

            app._notifications.clear()
            await pilot.press(":", *"status", "enter")
            await settle(pilot)
            assert said()[0].startswith("game over after turn 1: tension")

            # A reveal for the debrief: logged, saved, and on the player's final position.
            app._notifications.clear()
            await pilot.press(":", *"reveal beijing", "enter")
            await settle(pilot)
            assert model.state.revealed == ["beijing"] and not any(n.severity == "error" for n in app._notifications)
            await pilot.press(":", *"save after class", "enter")
            await settle(pilot)
            assert load_game(tmp_path / "after class.json").state.revealed == ["beijing"]
            await pilot.press(":", *"debrief", "enter")
            await settle(pilot)
            assert isinstance(app.screen, ExportScreen)
            await pilot.press("escape")
            await pilot.press("escape")                     # on to the game-over screen, then its final position
            await settle(pilot)
            if app.screen.__class__.__name__ == "ReportScreen":
                await pilot.press("escape")
            await pilot.press("v")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen)
            assert "Revealed by the instructor" in plain(app.screen.query_one(Briefing))

    asyncio.run(scenario())


def test_a_reveal_once_the_game_is_over_is_dated_after_the_game_wherever_the_log_shows_it(tmp_path):
    from conftest import run_cli
    from tui.screens.turn import TurnScreen
    from tui.widgets.events import EventLog, FlowingLog
    from wargame.saves import load_game

    def headings(log) -> list[str]:
        return [str(e) for e in log.entries if str(e).startswith("──")]

    async def final_position_log(app, pilot) -> EventLog:
        await settle(pilot)
        if app.screen.__class__.__name__ == "ReportScreen":
            await pilot.press("escape")
        await pilot.press("v")                      # the game-over screen's final position
        await settle(pilot)
        assert isinstance(app.screen, TurnScreen)
        return app.screen.query_one(EventLog)

    async def scenario():
        app = instructor_app(tmp_path, turns=1)
        async with running(app) as pilot:
            screen = app.screen
            await pilot.press("n")
            await settle(pilot)
            assert not app.game.model.running and app.screen is screen

            # Typed, the reply says when; by key, the notice's title does.
            app._notifications.clear()
            await pilot.press(":", *"reveal beijing", "enter")
            await settle(pilot)
            assert [str(n.message) for n in app._notifications] == [
                "After the game (after turn 1): The instructor reveals Beijing's private information to every player"]
            app._notifications.clear()
            highlight_actor(screen, "tokyo")
            await pilot.press("v")
            await settle(pilot)
            assert [n.title for n in app._notifications] == ["After the game (after turn 1)"]

            # The log of everything: no turn 2 in a game of one turn.
            everything = screen.query_one("#instructor-log", FlowingLog)
            assert headings(everything)[-1] == "── After the game (after turn 1) ──"

            # ...nor in the players' log of the final position.
            await pilot.press("escape")
            log = await final_position_log(app, pilot)
            assert headings(log)[-1] == "── After the game (after turn 1) ──"
            assert not any("Turn 2" in h for h in headings(log))
            assert [e.text for e in log.shown[-2:]] == [
                "The instructor reveals Beijing's private information to every player",
                "The instructor reveals Tokyo's private information to every player"]
            saved = app.game.save("after class")

        # Saved as saves have always kept it (dated the turn after the last), it loads and reads the same.
        again = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0,
                           model=load_game(saved))
        async with running(again) as pilot:
            log = await final_position_log(again, pilot)
            assert headings(log)[-1] == "── After the game (after turn 1) ──"
        assert run_cli("replay", str(saved)).returncode == 0

    asyncio.run(scenario())


def test_the_actor_panel_says_who_plays_an_actor_in_words_not_policy_ids(tmp_path):
    from wargame.policies import PLAYED_BY

    model = WargameModel(RULESET, rng=5, humans=("tokyo",), turns=6, policies={"washington": "random", "g7": "hold"})
    app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)

    async def scenario():
        async with running(app) as pilot:
            screen = app.screen
            said = {}
            for actor in ("tokyo", "beijing", "washington", "g7"):
                highlight_actor(screen, actor)
                await pilot.pause()
                said[actor] = plain(screen.query_one("#actor-detail", Static)).splitlines()[0]
            return said

    said = asyncio.run(scenario())
    assert " · a player · " in said["tokyo"]
    assert " · played by the doctrine AI · " in said["beijing"]
    assert f" · played by {PLAYED_BY['random']} · " in said["washington"]
    assert f" · played by {PLAYED_BY['hold']} · " in said["g7"]
    for line in said.values():
        assert not any(f"({policy})" in line or f"'{policy}'" in line for policy in ("utility", "random", "hold"))


def test_the_actor_table_gives_names_the_room_a_terminal_grown_or_shrunk_has(tmp_path):
    def actor_column(table: DataTable) -> int:
        return next(iter(table.columns.values())).width

    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app, size=(80, 24)) as pilot:
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            table = screen.query_one("#actor-table", DataTable)
            narrow, rows = actor_column(table), table.row_count
            table.move_cursor(row=1)
            chosen = screen.highlighted_actor()
            await pilot.resize_terminal(120, 40)
            await settle(pilot)
            # Opened at 80 columns, names cut there must read in full once there is room, not stay cut.
            assert actor_column(table) > narrow
            assert table.row_count == rows and screen.highlighted_actor() == chosen
            await pilot.resize_terminal(80, 24)
            await settle(pilot)
            assert actor_column(table) == narrow and table.row_count == rows

    asyncio.run(scenario())


def test_reveal_and_override_act_only_where_the_highlighted_actor_is_in_sight(tmp_path):
    from tuikit import footer_keys

    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            assert {"v", "o"} <= set(footer_keys(screen))
            for tab in ("2", "3"):
                await pilot.press(tab)
                await settle(pilot)
                # The actor table is out of sight: v would reveal an actor to every player unseen.
                assert not {"v", "o"} & set(footer_keys(screen))
                await pilot.press("v")
                await settle(pilot)
                assert not app.game.model.state.revealed
                assert not any(e.kind == "instructor" for e in app.game.model.events)
            await pilot.press("1")
            await settle(pilot)
            assert {"v", "o"} <= set(footer_keys(screen))
            await pilot.press("v")
            await settle(pilot)
            assert app.game.model.state.revealed

    asyncio.run(scenario())
