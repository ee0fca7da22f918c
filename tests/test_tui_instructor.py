"""Instructor mode in the terminal UI, driven as an instructor drives it: pausing, injecting events, revealing and
hiding private information, overriding moves — each checked against what the engine then reports."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import DataTable, Input, OptionList, Static, TabbedContent  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.handover import HandoverScreen  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tui.screens.override import OverrideScreen  # noqa: E402
from tui.screens.reply import ReplyScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.widgets.events import EventLog, event_text  # noqa: E402
from tuikit import plain, running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402

# The frozen copy of the default ruleset the snapshots use: recalibrating the scenario leaves these tests alone.
RULESET = Path(__file__).parent / "__snapshots__" / "tui_ruleset.yaml"


def instructor_app(tmp_path, humans=(), **policies) -> WargameApp:
    model = WargameModel(RULESET, rng=5, humans=humans, turns=6, policies=policies)
    return WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)


def highlight_actor(screen: InstructorScreen, actor: str) -> None:
    table = screen.query_one("#actor-table", DataTable)
    table.move_cursor(row=table.get_row_index(actor))


def log_of(screen: TurnScreen) -> str:
    log = screen.query_one(EventLog)
    return "\n".join(event_text(e, screen.actor).plain for e in log.shown)


class OpensBackChannel:
    """Beijing's AI, made to open secret talks whenever it may, so that there is something to hide."""

    def choose(self, observation, legal, rng):
        return ["back_channel_talks"] if "back_channel_talks" in legal else []


def test_a_paused_game_plays_no_turn_until_resumed(tmp_path):
    async def watching():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            model = app.game.model
            # Instructor mode opens on the instructor's screen, before turn 1.
            assert isinstance(app.screen, InstructorScreen)
            await pilot.press("p")
            assert app.game.instructor.paused
            assert any(e.kind == "instructor" and "pauses" in e.text and e.turn == 1 for e in model.events)
            await pilot.press("n")
            await settle(pilot)
            assert model.state.turn == 0
            # Watching the AI: neither the next turn nor playing on by itself gets past the pause.
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor is None
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("a")
            await settle(pilot)
            assert model.state.turn == 0 and not app.resolving
            # Resumed, the game plays on.
            await pilot.press("i")
            await settle(pilot)
            await pilot.press("p")
            assert not app.game.instructor.paused
            await pilot.press("n")
            await settle(pilot)
            assert model.state.turn == 1
            assert isinstance(app.screen, InstructorScreen)

    async def playing():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            model = app.game.model
            await pilot.press("p", "escape")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == "tokyo"
            await pilot.press("e", "y")
            await settle(pilot)
            # Tokyo has moved, but the turn is held: a screen says so, and nothing resolved.
            assert isinstance(app.screen, HandoverScreen) and app.screen.mode == "paused"
            assert model.state.turn == 0 and app.game.waiting == []
            said = " ".join(" ".join(line.strip(" █") for line in screen_lines(app)).split())
            assert "resumes it (i, then p) and plays it (n, or Esc back to the players)" in said, said
            await pilot.press("i")
            await settle(pilot)
            await pilot.press("p")
            await settle(pilot)
            # Resumed, nothing plays yet: the instructor's screen says what does.
            assert model.state.turn == 0
            assert "to move: nobody · n plays the turn" in plain(app.screen.query_one("#instructor-pending"))
            await pilot.press("escape")
            await settle(pilot)
            assert model.state.turn == 1
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"

    asyncio.run(watching())
    asyncio.run(playing())


def test_next_turn_with_players_still_to_move_says_who_and_plays_nothing(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo", "beijing"))
        async with running(app) as pilot:
            assert isinstance(app.screen, InstructorScreen)
            await pilot.press("n")
            await settle(pilot)
            assert app.game.model.state.turn == 0 and not app.resolving
            said = [n.message for n in app._notifications]
            assert said and "Beijing, Tokyo still to move" in said[-1] and "(o)" in said[-1], said
            # Once the instructor has set both players' moves, n plays the turn.
            app.game.instructor.override("tokyo", [])
            app.game.instructor.override("beijing", [])
            app.game.note_overrides()
            await pilot.press("n")
            await settle(pilot)
            assert app.game.model.state.turn == 1

    asyncio.run(scenario())


def test_an_inject_is_logged_and_does_what_its_effects_say(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            model = app.game.model
            inject = model.rules.injects["g7_summit_communique"]
            changes = {e.describe() for e in inject.effects}
            assert changes == {"G7 cohesion +0.1", "relations Beijing–the G7 -0.05", "tension +0.2"}
            before = (model.state.cohesion, model.state.relation("beijing", "g7"), model.state.tension)

            await pilot.press("2")
            deck = app.screen.query_one("#deck-list", OptionList)
            deck.highlighted = deck.get_option_index("g7_summit_communique")
            await pilot.press("enter")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            after = (model.state.cohesion, model.state.relation("beijing", "g7"), model.state.tension)
            assert after == pytest.approx((before[0] + 0.1, before[1] - 0.05, before[2] + 0.2))
            logged = [e for e in model.events if e.kind == "inject"]
            assert [e.turn for e in logged] == [1] and logged[0].text.startswith(inject.name)

            # An ad hoc event typed on the command line, with an effect written as in a ruleset.
            field = app.screen.query_one("#instructor-command", Input)
            field.value = "say Port strike in Yokohama | {op: adjust, var: tension, by: 1}"
            await pilot.press(":", "enter")
            await settle(pilot)
            assert model.state.tension == pytest.approx(before[2] + 1.2)
            assert any(e.kind == "inject" and e.text == "Port strike in Yokohama" for e in model.events)

            # The spectator's log shows both, ahead of turn 1's moves.
            await pilot.press("escape")
            await settle(pilot)
            await pilot.press("n")
            await settle(pilot)
            await pilot.press("escape")      # the turn's report
            screen = app.screen
            assert isinstance(screen, TurnScreen)
            text = log_of(screen)
            assert inject.name in text and "Port strike in Yokohama" in text
            assert text.index(inject.name) < text.index(model.rules.actors["beijing"].name + ":")

    asyncio.run(scenario())


def test_the_footer_offers_what_p_and_v_do_now(tmp_path):
    from textual.widgets._footer import FooterKey

    def footer(screen) -> dict[str, str | None]:
        """Each key the footer shows: what it says it does, None if greyed out."""
        return {k.key: None if k.has_class("-disabled") else k.description for k in screen.query(FooterKey)}

    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app, size=(200, 60)) as pilot:
            screen = app.screen
            keys = footer(screen)
            assert keys["p"] == "Pause" and keys["n"] == "Next turn"
            await pilot.press("p")
            await pilot.pause()
            assert app.game.paused
            keys = footer(screen)
            # Paused: p resumes, and no turn can be played until it does.
            assert keys["p"] == "Resume" and keys["n"] is None
            await pilot.press("p")
            await pilot.pause()
            assert not app.game.paused and footer(screen)["p"] == "Pause" and footer(screen)["n"] == "Next turn"

            highlight_actor(screen, "beijing")
            await pilot.pause()
            assert footer(screen)["v"] == "Reveal"
            await pilot.press("v")
            await pilot.pause()
            assert app.game.model.state.revealed == ["beijing"] and footer(screen)["v"] == "Hide"
            highlight_actor(screen, "tokyo")                 # v is about the actor highlighted
            await pilot.pause()
            assert footer(screen)["v"] == "Reveal"
            highlight_actor(screen, "beijing")
            await pilot.pause()
            await pilot.press("v")
            await pilot.pause()
            assert app.game.model.state.revealed == [] and footer(screen)["v"] == "Reveal"

    asyncio.run(scenario())


def test_reveal_shows_an_actors_secret_moves_to_the_player_and_hide_takes_them_back(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",), beijing=OpensBackChannel())
        async with running(app) as pilot:
            model = app.game.model
            secret = model.rules.moves["back_channel_talks"].name
            await pilot.press("escape", "enter")
            await settle(pilot)
            await pilot.press("e", "y")
            await settle(pilot)
            assert model.reports[-1].adjudication.accepted["beijing"] == ["back_channel_talks"]
            await pilot.press("escape")
            assert f"Beijing: {secret}" not in log_of(app.screen)

            await pilot.press("i")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            highlight_actor(screen, "beijing")
            await pilot.press("v")
            assert model.state.revealed == ["beijing"]
            await pilot.press("escape", "enter")
            await settle(pilot)
            assert f"[revealed] Beijing: {secret}" in log_of(app.screen)

            await pilot.press("i")
            await settle(pilot)
            highlight_actor(app.screen, "beijing")
            await pilot.press("v")
            assert model.state.revealed == []
            # What Tokyo's screen is built from no longer holds it.
            assert not any(e.actor == "beijing" and e.move == "back_channel_talks" for e in app.game.view("tokyo").events)
            kinds = [(e.turn, e.text.split(" ")[2]) for e in model.events if e.kind == "instructor"]
            assert kinds == [(2, "reveals"), (2, "hides")]

    asyncio.run(scenario())


def test_overridden_moves_are_played_and_an_overridden_player_has_moved(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            model = app.game.model
            beijing = sorted(model.legal_moves("beijing"), key=lambda m: (model.rules.moves[m].capital, m))[:1]
            tokyo = sorted(model.legal_moves("tokyo"), key=lambda m: (model.rules.moves[m].capital, m))[:1]

            for actor, moves in (("beijing", beijing), ("tokyo", tokyo)):
                highlight_actor(app.screen, actor)
                await pilot.press("o")
                assert isinstance(app.screen, OverrideScreen)
                listing = app.screen.query_one("#move-list", OptionList)
                for move in moves:
                    listing.highlighted = listing.get_option_index(move)
                    await pilot.press("space")
                await pilot.press("o")
                await settle(pilot)
                assert isinstance(app.screen, InstructorScreen)

            # Tokyo is a player: the override is their move, so nobody is left to move and the turn can be played.
            assert app.game.waiting == []
            rows = {r.actor: r for r in app.screen.rows()}
            assert rows["tokyo"].overridden and rows["tokyo"].coming == tuple(tokyo)
            await pilot.press("n")
            await settle(pilot)
            accepted = model.reports[-1].adjudication.accepted
            assert accepted["beijing"] == beijing and accepted["tokyo"] == tokyo
            overrides = [e for e in model.events if e.kind == "instructor" and e.turn == 1]
            assert {e.visible_to for e in overrides} == {("beijing",), ("tokyo",)}
            # Back to the player, through a hand-over, with the report of the turn played for them.
            await pilot.press("escape")
            assert isinstance(app.screen, HandoverScreen) and app.screen.actor == "tokyo"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ReportScreen)

    asyncio.run(scenario())


# (case, the keys typed after ':' has opened the command line)
COLON_TYPING = [
    ("the command alone", "say Storm in Kyushu"),
    ("':' typed again into the command line", ":say Storm in Kyushu"),
    ("several ':' and spaces", " ::  say Storm in Kyushu"),
]


@pytest.mark.parametrize("case,typed", COLON_TYPING, ids=[c[0] for c in COLON_TYPING])
def test_a_colon_typed_into_the_command_line_is_not_part_of_the_command(tmp_path, case, typed):
    async def scenario():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            assert isinstance(app.screen, InstructorScreen)
            field = app.screen.query_one("#instructor-command", Input)
            await pilot.press(":")                       # opens the command line, which then has the keyboard
            await pilot.pause()
            assert field.has_focus and field.value == ""
            await pilot.press(*typed, "enter")
            await settle(pilot)
            assert [e.text for e in app.game.model.events if e.kind == "inject"] == ["Storm in Kyushu"]
            assert field.value == ""                     # done: the line is cleared for the next command

            # ':' and Enter alone is no command, and no complaint.
            await pilot.press(":", "enter")
            await settle(pilot)
            assert field.value == "" and not any(n.severity == "error" for n in app._notifications)

    asyncio.run(scenario())


def test_after_a_command_the_instructors_keys_work_again(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, InstructorScreen)
            field = screen.query_one("#instructor-command", Input)
            await pilot.press(":", *"say Storm in Kyushu", "enter")
            await settle(pilot)
            assert [e.text for e in app.game.model.events if e.kind == "inject"] == ["Storm in Kyushu"]
            # The command is done: 'p' pauses the game instead of being typed into the command line.
            assert not field.has_focus
            await pilot.press("p")
            await settle(pilot)
            assert app.game.instructor.paused and field.value == ""

            # Esc on the command line leaves it, and the instructor's screen stays: the players see nothing yet.
            await pilot.press(":", *"rev")
            await pilot.press("escape")
            await settle(pilot)
            assert app.screen is screen and not field.has_focus
            await pilot.press("2")
            assert screen.query_one(TabbedContent).active == "deck"
            # From the tabs, Esc hands the keyboard back.
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, HandoverScreen)

    asyncio.run(scenario())


@pytest.mark.parametrize("command,last", [("help", "quit"), ("deck", "us_china_truce")])
def test_a_long_answer_to_a_command_is_shown_whole(tmp_path, command, last):
    async def scenario():
        app = instructor_app(tmp_path)
        async with running(app) as pilot:
            expected = app.game.instructor.execute(command).lines
            assert len(expected) >= 10
            await pilot.press(":", *command, "enter")
            await settle(pilot)
            assert isinstance(app.screen, ReplyScreen)
            shown = plain(app.screen.query_one("#reply-body", Static))
            for line in expected:
                assert line.split()[0] in shown
            assert any(line.startswith(last) for line in shown.splitlines())
            await pilot.press("escape")
            await settle(pilot)
            assert isinstance(app.screen, InstructorScreen)

    asyncio.run(scenario())


def test_the_override_dialog_names_the_actor_it_chooses_for_not_you(tmp_path):
    async def scenario():
        app = instructor_app(tmp_path, humans=("tokyo",))
        async with running(app) as pilot:
            model = app.game.model
            model.state.capital["beijing"] = 3.0
            highlight_actor(app.screen, "beijing")
            await pilot.press("o")
            assert isinstance(app.screen, OverrideScreen)
            box = app.screen.query_one("#move-chosen", Static)
            assert plain(box).splitlines()[-1] == "none: Beijing holds this turn"
            listing = app.screen.query_one("#move-list", OptionList)
            dearest = max(model.legal_moves("beijing"), key=lambda m: model.rules.moves[m].capital)
            cheapest = min(model.legal_moves("beijing"), key=lambda m: model.rules.moves[m].capital)
            for move in (cheapest, dearest):
                listing.highlighted = listing.get_option_index(move)
                await pilot.press("space")
            said = " ".join(plain(box).split())
            assert "Not chosen: with it, these moves cost" in said and "Beijing has 3.0" in said and "your" not in said

    asyncio.run(scenario())
