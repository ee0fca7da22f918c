"""Where the terminal UI keeps its saves: `saves/` in the current directory unless `wargame play --saves DIR`
says otherwise, so that two classes sharing one installation do not overwrite each other's autosave."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import Label  # noqa: E402

from conftest import run_cli  # noqa: E402
from tui.app import WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.save import SaveScreen  # noqa: E402
from tuikit import open_load_screen, plain, running, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.cli import main  # noqa: E402



# (case, --saves as given or None, the folder expected relative to the working directory or absolute)
FOLDERS = [
    ("default: saves/ in the working directory", None, "saves"),
    ("a relative folder", "class_b", "class_b"),
    ("a nested folder made on first save", "terms/2026/saves", "terms/2026/saves"),
    ("an absolute folder", "ABS", "ABS"),
]


@pytest.mark.parametrize("case,given,expected", FOLDERS, ids=[c[0] for c in FOLDERS])
def test_play_saves_into_the_working_directory_or_the_folder_given(tmp_path, monkeypatch, case, given, expected):
    work = tmp_path / "class_a"
    work.mkdir()
    monkeypatch.chdir(work)
    absolute = tmp_path / "elsewhere" / "saves"
    args = ["play", "--as", "tokyo"] + (["--saves", str(absolute) if given == "ABS" else given] if given else [])
    seen = {}

    def fake_run(app):                   # the command as typed, up to the point the UI would take the terminal
        seen["saves_dir"] = app.saves_dir

    monkeypatch.setattr(WargameApp, "run", fake_run)
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)     # as typed at a terminal: play refuses a pipe
    assert main(args) == 0
    want = absolute if expected == "ABS" else work / expected
    assert seen["saves_dir"] == want
    assert seen["saves_dir"].is_absolute()
    assert not want.exists()             # nothing is made until something is saved


def test_play_refuses_a_saves_folder_that_is_a_file(tmp_path):
    (tmp_path / "notes.txt").write_text("not a folder")
    result = run_cli("play", "--saves", "notes.txt", cwd=tmp_path, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [result.stderr.strip()]
    assert "not a folder: notes.txt" in result.stderr and "Traceback" not in result.stderr


def test_autosave_and_save_go_to_saves_in_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)

    async def scenario():
        app = WargameApp(turn_pause=0, model=WargameModel(rng=7, turns=3, humans=("tokyo",)))
        async with running(app) as pilot:
            await pilot.press("e")
            await pilot.pause()
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("y")
            await settle(pilot)
            assert app.game.model.state.turn == 1
            assert (tmp_path / "saves" / "autosave.json").is_file()

            await pilot.press("escape")  # the turn's report
            await pilot.press("ctrl+s")
            await pilot.pause()
            assert isinstance(app.screen, SaveScreen)
            shown = " ".join(plain(label) for label in app.screen.query(Label))
            assert f"into {tmp_path / 'saves'}/" in shown
            await pilot.press("enter")
            await settle(pilot)
            assert app.game.last_saved.parent == tmp_path / "saves"
            assert app.game.last_saved.is_file()

    asyncio.run(scenario())


def test_play_refuses_options_a_loaded_save_would_silently_ignore(tmp_path, monkeypatch, capsys):
    from wargame.saves import save_game

    model = WargameModel(None, rng=7, turns=6)
    model.step()
    save = save_game(model, tmp_path / "class.json")
    opened = []
    monkeypatch.setattr(WargameApp, "run", lambda self, *a, **k: opened.append(self))
    monkeypatch.setattr("sys.stdin.isatty", lambda: True)     # as typed at a terminal: play refuses a pipe
    monkeypatch.chdir(tmp_path)
    assert main(["play", "--load", "class.json", "--as", "tokyo", "--seed", "3"]) == 2
    assert not opened, "the UI does not open"
    assert capsys.readouterr().err.splitlines() == [
        "--as tokyo: not with --load: class.json keeps its players; start a new game without --load",
        "--seed 3: not with --load: class.json keeps its seed; start a new game without --load",
    ]
    # --instructor and --saves go with a save.
    assert main(["play", "--load", "class.json", "--instructor", "--saves", "elsewhere"]) == 0
    assert len(opened) == 1 and opened[0].options.instructor
    assert save.is_file()


def test_saving_under_the_name_of_another_save_asks_before_replacing_it(tmp_path):
    saves = tmp_path / "saves"
    saves.mkdir()
    other = saves / "class.json"
    other.write_text("another class's game")

    async def scenario():
        app = WargameApp(saves_dir=saves, autosave=False, turn_pause=0,
                         model=WargameModel(rng=7, turns=3, humans=("tokyo",)))
        async with running(app) as pilot:
            await pilot.press("ctrl+s")
            await pilot.pause()
            app.screen.query_one("#save-name").value = "class"
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, ConfirmScreen) and "class.json already exists" in app.screen.question
            await pilot.press("n")
            await settle(pilot)
            assert isinstance(app.screen, SaveScreen) and other.read_text() == "another class's game"
            await pilot.press("enter", "y")
            await settle(pilot)
            assert not isinstance(app.screen, SaveScreen)
            assert app.game.last_saved == other and other.read_text().startswith("{")
            # The game's own save is saved over without asking.
            await pilot.press("ctrl+s")
            await pilot.pause()
            app.screen.query_one("#save-name").value = "class"
            await pilot.press("enter")
            await settle(pilot)
            assert not isinstance(app.screen, (SaveScreen, ConfirmScreen))

    asyncio.run(scenario())


def _autosaved_game(saves, seed, turns_played):
    from tui.game import Game

    game = Game(WargameModel(rng=seed, turns=10, humans=("tokyo",)), saves)
    for _ in range(turns_played):
        game.model.submit("tokyo", [])
        game.play_turn()
    return game


def test_a_new_game_keeps_an_earlier_games_autosave_under_its_own_name(tmp_path):
    saves = tmp_path / "saves"
    _autosaved_game(saves, seed=3, turns_played=2)
    earlier = (saves / "autosave.json").read_bytes()
    game = _autosaved_game(saves, seed=4, turns_played=1)
    kept = saves / "autosave-rare_earths_2026-seed3-turn02.json"
    assert kept.read_bytes() == earlier
    assert game.autosave_notes == ["The autosave of an earlier game is kept as autosave-rare_earths_2026-seed3-turn02.json."]
    game.autosave_notes.clear()
    game.model.submit("tokyo", [])
    game.play_turn()       # from now on the autosave is this game's own: written over, nothing more kept
    assert sorted(p.name for p in saves.iterdir()) == ["autosave-rare_earths_2026-seed3-turn02.json", "autosave.json"]
    assert not game.autosave_notes
    # The same earlier game autosaved again is kept beside the first copy, not over it.
    _autosaved_game(saves, seed=3, turns_played=2)
    _autosaved_game(saves, seed=5, turns_played=1)
    assert (saves / "autosave-rare_earths_2026-seed3-turn02-2.json").is_file()


def test_a_game_opened_from_the_autosave_goes_on_writing_it(tmp_path):
    from tui.game import open_game

    saves = tmp_path / "saves"
    _autosaved_game(saves, seed=3, turns_played=2)
    game = open_game(saves / "autosave.json", saves)
    game.model.submit("tokyo", [])
    game.play_turn()
    assert [p.name for p in saves.iterdir()] == ["autosave.json"] and not game.autosave_notes
    assert game.model.state.turn == 3


def test_the_game_knows_whether_anything_changed_since_it_was_saved(tmp_path):
    from tui.game import Game

    game = Game(WargameModel(rng=2, turns=6, humans=("beijing", "tokyo")), tmp_path / "saves")
    assert game.changed_since_saved                       # never saved
    game.submit("beijing", [])
    game.submit("tokyo", [])
    game.play_turn()                                      # autosaved after the turn
    assert not game.changed_since_saved
    game.submit("beijing", [])
    assert game.changed_since_saved                       # a hot-seat player has moved (holding) since
    game.save("class")
    assert not game.changed_since_saved
    game.instructor.override("tokyo", [])
    assert game.changed_since_saved                       # the instructor has acted since


def quit_question(app) -> str:
    assert isinstance(app.screen, ConfirmScreen)
    return app.screen.question


def test_quitting_warns_of_a_hot_seat_players_moves_not_yet_saved(tmp_path):
    """Before turn 1 is played, the first player's moves are all the game holds: quitting would lose them."""
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=WargameModel(rng=3, turns=3,
                                                                                humans=("beijing", "tokyo")))
        async with running(app) as pilot:
            await pilot.press("ctrl+q")
            assert quit_question(app) == "Quit wargame?"          # nothing entered yet: nothing to lose
            await pilot.press("n", "enter", "e", "y")           # Beijing sits down and holds
            await settle(pilot)
            assert app.game.waiting == ["tokyo"]
            await pilot.press("ctrl+q")
            assert "not been saved" in quit_question(app)
            await pilot.press("n")

    asyncio.run(scenario())


def test_quitting_a_game_just_opened_says_it_is_in_the_file_it_came_from(tmp_path):
    from wargame.saves import save_game

    model = WargameModel(rng=7, turns=3, humans=("tokyo",))
    model.submit("tokyo", [])
    model.step()
    save_game(model, tmp_path / "class.json")

    async def scenario():
        async with running(WargameApp(saves_dir=tmp_path, autosave=False)) as pilot:
            await open_load_screen(pilot, tmp_path / "class.json")
            await pilot.press("enter")
            await settle(pilot)
            await pilot.press("escape", "ctrl+q")                 # past the last turn's report
            assert quit_question(app := pilot.app) == "Quit wargame? The game is saved in class.json."
            await pilot.press("n", "2", "e", "y")              # a turn played since: the autosave is off
            await settle(pilot)
            await pilot.press("escape", "ctrl+q")
            # Nobody plays the instructor here: the question speaks of no instructor's actions.
            assert quit_question(app) == "Quit wargame? The game was last saved to class.json, before the moves " \
                                         "entered since."

    asyncio.run(scenario())


@pytest.mark.parametrize(("humans", "seed", "turns_played"), [(("tokyo",), 7, 1), (("tokyo",), 3, 3),
                                                             (("beijing", "tokyo"), 5, 2), ((), 7, 2)])
def test_a_game_opened_from_a_save_charts_the_same_turns_as_before_it_was_saved(tmp_path, humans, seed,
                                                                                 turns_played):
    """Turn 0 (before the first move) heads every chart of a new game; the save holds only the latest position,
    yet the opened game's charts, objectives and first report must be the same as the saved game's."""
    from dataclasses import fields

    from tui.game import Game, open_game

    game = Game(WargameModel(rng=seed, turns=6, humans=humans), tmp_path, autosave=False)
    for _ in range(turns_played):
        for actor in humans:
            game.submit(actor, [])
        game.play_turn()
    saved = game.save("class")
    opened = open_game(saved, tmp_path, autosave=False)
    for actor in humans or (None,):
        before, after = game.view(actor), opened.view(actor)
        assert len(before.history) == turns_played + 1 and before.history[0]["turn"] == 0
        for field in fields(before):
            if field.name == "options":     # moves are read again from the save's ruleset: the same by id
                assert [(f, [(o.move.id, o.reason) for o in opts]) for f, opts in after.options] == \
                    [(f, [(o.move.id, o.reason) for o in opts]) for f, opts in before.options]
            else:
                assert getattr(after, field.name) == getattr(before, field.name), field.name


def test_a_game_opened_from_its_own_named_save_writes_over_its_own_autosave(tmp_path):
    from tui.game import open_game

    saves = tmp_path / "saves"
    game = _autosaved_game(saves, seed=3, turns_played=2)
    game.save("class")
    game.model.submit("tokyo", [])
    game.play_turn()                      # the autosave is now a turn ahead of the named save
    # Opened from the named save, the game is two turns in: the autosave (three turns) is kept, not written over.
    behind = open_game(saves / "class.json", saves)
    behind.model.submit("tokyo", ["formal_protest"])
    behind.play_turn()
    assert behind.autosave_notes == ["The autosave of an earlier game is kept as autosave-rare_earths_2026-seed3-turn03.json."]
    # Opened from the named save again and played on as before, it carries on the autosave: nothing is kept aside.
    again = open_game(saves / "class.json", saves)
    again.model.submit("tokyo", ["formal_protest"])
    again.play_turn()
    assert not again.autosave_notes
    assert sorted(p.name for p in saves.iterdir()) == ["autosave-rare_earths_2026-seed3-turn03.json", "autosave.json",
                                                       "class.json"]
