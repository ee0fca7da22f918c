"""What-if branches, comparisons and debrief reports in the terminal UI: what the screens show is what
wargame.replay.branch and wargame.compare.compare report."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import DataTable, Input, Label, OptionList, Select, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.branch import BranchScreen  # noqa: E402
from tui.screens.compare import CompareScreen  # noqa: E402
from tui.screens.export import MISSING, ExportScreen  # noqa: E402
from tui.screens.handover import HandoverScreen  # noqa: E402
from tui.screens.load import LoadScreen  # noqa: E402
from tui.screens.over import GameOverScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from gamekit import tokyo_holding  # noqa: E402
from tuikit import open_load_screen, plain, running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.compare import compare, fmt  # noqa: E402
from wargame.replay import branch  # noqa: E402
from wargame.saves import save_game, snapshot  # noqa: E402


def cells(table: DataTable) -> list[list[str]]:
    return [[getattr(c, "plain", str(c)) for c in table.get_row_at(i)] for i in range(table.row_count)]


async def set_up_branch(pilot, turn: int, actor: str, moves: list[str]) -> BranchScreen:
    screen = pilot.app.screen
    assert isinstance(screen, BranchScreen)
    await settle(pilot)
    screen.query_one("#branch-turn", Select).value = turn
    screen.query_one("#branch-actor", Select).value = actor
    await settle(pilot)
    listing = screen.query_one("#move-list", OptionList)
    listing.focus()
    for move in moves:
        listing.highlighted = listing.get_option_index(move)
        await pilot.press("space")
    return screen


def test_a_what_if_from_the_end_of_a_game_is_compared_with_it(tmp_path):
    model = WargameModel(rng=7, turns=5)
    model.run()
    played = model.reports[2].adjudication.accepted["tokyo"]
    instead = [m for m in model.rules.moves_by_actor["tokyo"] if m.id == "formal_protest"][0].id
    assert played != [instead]

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape")                  # the last turn's report
            assert isinstance(app.screen, GameOverScreen)
            await pilot.press("b")
            screen = await set_up_branch(pilot, 3, "tokyo", [instead])
            shown = plain(screen.query_one("#branch-played", Static))
            assert "on turn 3, Tokyo played: " + "; ".join(model.rules.moves[m].name for m in played) in shown
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)

            # The same branch, made directly with the engine, and its comparison: the screen shows exactly that.
            expected = compare(snapshot(model), branch(snapshot(model), at=3, moves={3: {"tokyo": [instead]}}, turns=3),
                               names=("this game", "what-if"))
            shown = app.screen.comparison
            assert [d.key for d in shown.diverging] == [d.key for d in expected.diverging] != []
            assert shown.first_move_turn == expected.first_move_turn == 3
            rows = cells(app.screen.query_one("#diverging-table", DataTable))
            assert [(r[0], r[1]) for r in rows] == [(d.label, str(d.first_turn)) for d in expected.diverging]
            first = expected.diverging[0]
            assert rows[0][2:4] == [fmt(first.key, first.a_end), fmt(first.key, first.b_end)]
            head = plain(app.screen.query_one("#compare-summary", Static))
            assert f"from turn {expected.first_divergence_turn}" in head
            assert f"{len(expected.diverging)} of {len(expected.diverging) + len(expected.unchanged)}" in head
            moves = cells(app.screen.query_one("#moves-table", DataTable))
            assert moves[0][:2] == ["3", "Tokyo"] and model.rules.moves[instead].name in moves[0][2]
            # Turn by turn, for the highlighted indicator.
            await pilot.press("3")
            turns = cells(app.screen.query_one("#turns-table", DataTable))
            assert turns == expected.turn_table([first.key])

    asyncio.run(scenario())


def test_the_what_if_screen_offers_no_blank_turn_or_actor_and_ctrl_b_says_why_it_waits(tmp_path, monkeypatch):
    import threading

    import wargame.replay
    from textual.widgets._select import SelectOverlay

    model = WargameModel(rng=7, turns=4)
    model.run()
    replaying = threading.Event()
    real_branch = wargame.replay.branch

    def slow_branch(doc, *args, **kwargs):
        if kwargs.get("turns") == 0 and kwargs.get("at") == 1:      # the replay that lists the moves of turn 1
            replaying.wait(30)
        return real_branch(doc, *args, **kwargs)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "b")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BranchScreen)
            offered = {}
            for name in ("turn", "actor"):
                overlay = screen.query_one(f"#branch-{name}", Select).query_one(SelectOverlay)
                offered[name] = [str(overlay.get_option_at_index(i).prompt) for i in range(overlay.option_count)]
            assert offered["turn"] == [f"{t} ({model.rules.date_of(t):%-d %b})" for t in range(1, 5)]
            assert offered["actor"] == [spec.name for spec in model.rules.actors.values()]

            # While the game replays to a newly chosen turn, ctrl+b says so rather than doing nothing, or
            # branching from the turn shown before.
            monkeypatch.setattr(wargame.replay, "branch", slow_branch)
            screen.query_one("#branch-actor", Select).value = "beijing"
            await settle(pilot)
            screen.query_one("#branch-turn", Select).value = 1
            await pilot.pause()
            await pilot.press("ctrl+b")
            await pilot.pause()
            assert app.screen is screen
            said = [str(n.message) for n in app._notifications]
            assert "Wait: replaying the game to turn 1, to list Beijing's moves there." in said
            replaying.set()
            await settle(pilot)
            assert "on turn 1, Beijing played" in plain(screen.query_one("#branch-played", Static))
            await pilot.press("ctrl+b")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen) and app.screen.comparison.b.branch_at == 1

    try:
        asyncio.run(scenario())
    finally:
        replaying.set()


def test_on_the_comparison_both_save_keys_save_the_what_if_and_say_so(tmp_path):
    from textual.widgets import Label

    from tui.screens.save import SaveScreen
    from tuikit import screen_lines

    model = WargameModel(rng=7, turns=4)
    model.run()
    doc = snapshot(model)
    whatif = branch(doc, at=2, moves={2: {"tokyo": ["formal_protest"]}}, turns=3)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape")
            await app.push_screen(CompareScreen(compare(doc, whatif, names=("this game", "what-if")), whatif))
            await settle(pilot)
            footer = screen_lines(app)[-1]
            assert "s Save B" in footer and "^s" not in footer
            for key in ("s", "ctrl+s"):
                await pilot.press(key)
                await pilot.pause()
                assert isinstance(app.screen, SaveScreen) and app.screen.game.model is whatif
                title = str(app.screen.query_one(".dialog-title", Label).render())
                assert title == "Save B (what-if) · seed 7 · ended after 4 turns"
                await pilot.press("escape")
                await pilot.pause()
                assert isinstance(app.screen, CompareScreen)
            # Two saves compared: neither is a game to save here; ctrl+s saves the game played, and names it.
            await pilot.press("escape")
            await app.push_screen(CompareScreen(compare(doc, whatif, names=("a", "b"))))
            await settle(pilot)
            assert "^s Save" in screen_lines(app)[-1]
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SaveScreen) and app.screen.game is app.game
            title = str(app.screen.query_one(".dialog-title", Label).render())
            assert title == "Save the game · seed 7 · ended after 4 turns"

    asyncio.run(scenario())


@pytest.mark.parametrize("where", ["game over", "instructor"])
def test_a_what_if_starts_on_the_last_turn_played_wherever_it_is_opened(tmp_path, where):
    from tui.screens.instructor import InstructorScreen

    model = tokyo_holding(5, turns=5) if where == "game over" else tokyo_holding(2)

    async def scenario():
        app = WargameApp(StartOptions(instructor=where == "instructor"), saves_dir=tmp_path, autosave=False,
                         model=model)
        async with running(app) as pilot:
            if where == "game over":
                await pilot.press("escape")
                assert isinstance(app.screen, GameOverScreen)
            else:
                assert isinstance(app.screen, InstructorScreen)
            await pilot.press("b")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BranchScreen)
            played = model.state.turn
            assert screen.query_one("#branch-turn", Select).value == played
            assert screen.query_one("#branch-actor", Select).value == "tokyo"
            assert f"on turn {played}, Tokyo played" in plain(screen.query_one("#branch-played", Static))

    asyncio.run(scenario())


def test_two_saves_are_compared_from_the_saved_games(tmp_path):
    for seed in (3, 4):
        game = WargameModel(rng=seed, turns=3)
        game.run()
        save_game(game, tmp_path / f"seed{seed}.json")

    async def scenario():
        app = WargameApp(StartOptions(), saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            saves = await open_load_screen(pilot)
            assert isinstance(app.screen, LoadScreen)
            for name in ("seed3", "seed4"):
                saves.highlighted = saves.get_option_index(str(tmp_path / f"{name}.json"))
                await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            expected = compare(tmp_path / "seed3.json", tmp_path / "seed4.json", names=("seed3.json", "seed4.json"))
            assert app.screen.comparison.notes == expected.notes
            assert any("different seeds" in n for n in expected.notes)
            assert "different seeds" in plain(app.screen.query_one("#compare-summary", Static))
            # Named by file, as the list of saves names them, so that each game's outcome fits on its line.
            head = screen_lines(app)[:2]
            for line, tag, summary in zip(head, "AB", (expected.a, expected.b)):
                assert line.startswith(f" {tag}  {summary.name} — seed {summary.seed}, 3 turns, {summary.ended} · ")

    asyncio.run(scenario())


def test_the_moves_tab_words_each_move_as_wargame_compare_does(tmp_path):
    # Two saves, no game model on the screen: the moves are still named, and a turn with nothing played says so
    # as the command says it (it read "hold", and moves by id, joined by commas).
    game = WargameModel(rng=7, turns=3)
    game.run()
    doc = snapshot(game)
    save_game(game, tmp_path / "game.json")
    save_game(branch(doc, at=2, moves={2: {"tokyo": []}}), tmp_path / "quiet.json")
    command = compare(tmp_path / "game.json", tmp_path / "quiet.json").lines(move_rows=None)

    async def scenario():
        app = WargameApp(StartOptions(), saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            saves = await open_load_screen(pilot)
            for name in ("game", "quiet"):
                saves.highlighted = saves.get_option_index(str(tmp_path / f"{name}.json"))
                await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            rows = cells(app.screen.query_one("#moves-table", DataTable))
            assert rows[0][:2] == ["2", "Tokyo"] and rows[0][2].endswith("\nB no move played")
            for turn, actor, played in rows:
                a, b = played.split("\n")
                block = [f"  turn {turn}, {actor}", f"     A: {a[2:]}", f"     B: {b[2:]}"]
                at = command.index(block[0])
                assert command[at:at + 3] == block

    asyncio.run(scenario())


def test_a_what_if_played_on_here_keeps_its_players_and_compares_with_its_parent(tmp_path):
    parent = WargameModel(rng=2, humans=("tokyo",), turns=3)
    for _ in range(2):
        parent.submit("tokyo", [])
        parent.step()
    save_game(parent, tmp_path / "class.json")
    protest = "formal_protest"

    async def scenario():
        app = WargameApp(StartOptions(), saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            await open_load_screen(pilot, tmp_path / "class.json")
            await pilot.press("b")
            await set_up_branch(pilot, 2, "tokyo", [protest])
            app.screen.query_one("#branch-then", Select).value = "here"
            await pilot.press("ctrl+b")
            await settle(pilot)
            # Tokyo's turn 2 was set by the branch, so it resolves; Tokyo then plays turn 3 in person.
            game = app.game
            model = game.model
            assert model.humans() == ["tokyo"] and game.parent is not None and game.parent.name == "class.json"
            assert model.reports[1].adjudication.accepted["tokyo"] == [protest]
            if isinstance(app.screen, HandoverScreen):
                await pilot.press("enter")
                await settle(pilot)
            if isinstance(app.screen, ReportScreen):
                await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == "tokyo" and model.turn == 3
            await pilot.press("e", "y")
            await settle(pilot)
            await pilot.press("escape")                  # the last turn's report
            assert isinstance(app.screen, GameOverScreen)
            await pilot.press("c")
            await settle(pilot)
            assert isinstance(app.screen, CompareScreen)
            assert app.screen.comparison.first_move_turn == 2
            assert app.screen.comparison.a.name == "class.json"

    asyncio.run(scenario())


def test_a_lone_player_playing_a_what_if_on_here_is_not_asked_to_pass_the_keyboard(tmp_path, monkeypatch):
    import threading

    from tui.game import Game
    from tuikit import screen_lines

    model = WargameModel(rng=2, humans=("tokyo",), turns=4)
    while model.running:
        model.submit("tokyo", [])
        model.step()
    resolving = threading.Event()
    real_play_turn = Game.play_turn

    def slow_play_turn(self, on_decide=None):
        resolving.wait(30)
        real_play_turn(self, on_decide)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "b")
            await set_up_branch(pilot, 2, "tokyo", ["formal_protest"])
            app.screen.query_one("#branch-then", Select).value = "here"
            monkeypatch.setattr(Game, "play_turn", slow_play_turn)
            await pilot.press("ctrl+b")
            for _ in range(50):
                await pilot.pause(0.05)
                if isinstance(app.screen, HandoverScreen):
                    break
            # The branch turn resolves: no one else is at the keyboard, so no one is told to look away.
            assert isinstance(app.screen, HandoverScreen)
            shown = "\n".join(screen_lines(app))
            assert "Resolving the turn" in shown and "Your turn as Tokyo follows once this one has resolved." in shown
            assert "Pass the keyboard" not in shown and "look away" not in shown
            resolving.set()
            await settle(pilot)
            # ...and Tokyo's turn follows by itself, its report first.
            assert isinstance(app.screen, ReportScreen)
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen) and app.screen.actor == "tokyo" and app.game.model.turn == 3

    try:
        asyncio.run(scenario())
    finally:
        resolving.set()


def test_the_debrief_report_is_written_or_its_missing_extra_explained(tmp_path, monkeypatch):
    import importlib.util

    model = WargameModel(rng=1, turns=2)
    model.run()
    have_matplotlib = importlib.util.find_spec("matplotlib") is not None
    real = importlib.util.find_spec

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "d")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            field = app.screen.query_one("#export-folder", Input)
            assert field.value == str(tmp_path / "debriefs" / "rare_earths_2026-seed1-turn02")
            if have_matplotlib:
                field.value = str(tmp_path / "debrief")
                await pilot.press("enter")
                await settle(pilot)
                assert (tmp_path / "debrief" / "report.md").is_file()
                assert (tmp_path / "debrief" / "report.html").is_file()
                result = plain(app.screen.query_one("#export-result", Static))
                assert str(tmp_path / "debrief" / "report.html") in result
                # Written: the hint no longer offers to write it as if it had not been.
                hint = str(app.screen.query_one("#export-hint", Label).render())
                assert hint.startswith("Enter: write it again") and hint.endswith("Esc: back")
            # Without matplotlib the screen explains what to install instead of failing.
            await pilot.press("escape")
            monkeypatch.setattr(importlib.util, "find_spec",
                                lambda name, *a: None if name == "matplotlib" else real(name, *a))
            await pilot.press("d")
            await pilot.pause()
            field = app.screen.query_one("#export-folder", Input)
            assert field.disabled
            assert "pip install 'wargame[analysis]'" in plain(app.screen.query_one("#export-result", Static))
            assert str(app.screen.query_one("#export-hint", Label).render()) == "Esc: back"

    asyncio.run(scenario())
    assert "matplotlib" in MISSING


def test_what_happens_after_the_branch_turn_is_chosen_with_the_keyboard_alone(tmp_path):
    model = WargameModel(rng=2, humans=("tokyo",), turns=3)
    while model.running:
        model.submit("tokyo", [])
        model.step()

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "b")
            await settle(pilot)
            screen = app.screen
            assert isinstance(screen, BranchScreen) and "t Then…" in " ".join(screen_lines(app)[-1:])
            listing = screen.query_one("#move-list", OptionList)
            assert listing.has_focus
            listing.highlighted = listing.get_option_index("formal_protest")
            await pilot.press("space", "t")
            then = screen.query_one("#branch-then", Select)
            assert then.expanded and then.has_focus_within
            await pilot.press("down", "enter")
            assert then.value == "here" and not then.expanded
            await pilot.press("ctrl+b")
            await settle(pilot)
            # Played on here: the branch is the game now, Tokyo's protest on turn 3 in it.
            assert app.game.parent is not None
            assert app.game.model.reports[2].adjudication.accepted["tokyo"] == ["formal_protest"]

    asyncio.run(scenario())


def test_the_what_if_screen_names_the_actor_whose_moves_change_not_you(tmp_path):
    model = WargameModel(rng=7, turns=3)
    model.run()

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "b")
            screen = await set_up_branch(pilot, 2, "washington", [])
            assert plain(screen.query_one("#move-chosen", Static)).splitlines()[-1] == \
                "none: Washington holds this turn"

    asyncio.run(scenario())


def test_a_what_if_played_on_here_is_named_after_its_parent_and_turn_not_saved_over_it(tmp_path):
    from tui.screens.save import SaveScreen

    model = WargameModel(rng=2, humans=("tokyo",), turns=4)
    while model.running:
        model.submit("tokyo", [])
        model.step()
    parent_stem = f"{model.rules.id}-seed2-turn04"
    # A save of an earlier branch from the same turn: not to be written over either.
    (tmp_path / f"{parent_stem}-branch-t2.json").write_text("{}")

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "b")
            await set_up_branch(pilot, 2, "tokyo", ["formal_protest"])
            app.screen.query_one("#branch-then", Select).value = "here"
            await pilot.press("ctrl+b")
            await settle(pilot)
            game = app.game
            # The game branched, never saved, is kept under a name of its own, and the branch is titled with it.
            assert (tmp_path / f"{parent_stem}.json").is_file()
            assert (game.parent.name, game.parent.turn) == (f"{parent_stem}.json", 2)
            titles = [e.text for e in game.model.events if e.text.startswith("What-if branch of")]
            assert titles and titles[0].startswith(f"What-if branch of {parent_stem}.json from turn 2")
            while isinstance(app.screen, ReportScreen):
                await pilot.press("escape")
            await pilot.press("e", "y")                      # turns 3 and 4: as far as the parent went
            await settle(pilot)
            await pilot.press("escape", "e", "y")
            await settle(pilot)
            await pilot.press("escape")
            assert isinstance(app.screen, GameOverScreen) and game.model.state.turn == 4
            assert f"what-if branch of {parent_stem}.json from turn 2" in "\n".join(screen_lines(app))
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SaveScreen)
            offered = app.screen.query_one("#save-name", Input).value
            assert offered == f"{parent_stem}-branch-t2-2"
            await pilot.press("enter")
            await settle(pilot)
            assert (tmp_path / f"{offered}.json").is_file() and (tmp_path / f"{parent_stem}-branch-t2.json").read_text() == "{}"
            # Saved, the branch keeps its name, and its debrief is named after it.
            assert game.default_save_name() == offered and game.report_name() == offered

    asyncio.run(scenario())


def test_a_debrief_that_fails_on_another_import_says_so_rather_than_asking_for_matplotlib(tmp_path, monkeypatch):
    import importlib.util

    import wargame.report

    if importlib.util.find_spec("matplotlib") is None:
        pytest.skip("needs matplotlib installed: without it, asking for it is right")
    model = WargameModel(rng=1, turns=2)
    model.run()

    def broken(*args, **kwargs):
        raise ImportError("cannot import name 'played_by' from 'wargame.policies'")

    monkeypatch.setattr(wargame.report, "build_report", broken)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape", "d")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)
            app.screen.query_one("#export-folder", Input).value = str(tmp_path / "debrief")
            await pilot.press("enter")
            await settle(pilot)
            result = " ".join(plain(app.screen.query_one("#export-result", Static)).split())
            # Installing the extra would not help: the screen must not send the user off to do it.
            assert "pip install" not in result
            assert "cannot import name 'played_by'" in result
            assert not app.screen.query_one("#export-folder", Input).disabled

    asyncio.run(scenario())
