"""Every list in the terminal UI opens with its first row highlighted, so that Enter acts on what the player sees
highlighted and the first Down goes to the second row, not to the top one."""

from __future__ import annotations

import asyncio
import os
from pathlib import Path

import pytest

pytest.importorskip("textual")

from textual.widgets import OptionList, SelectionList  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.branch import BranchScreen  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tui.screens.load import LoadScreen  # noqa: E402
from tui.screens.override import OverrideScreen  # noqa: E402
from tui.screens.start import StartScreen  # noqa: E402
from tui.widgets.moves import MovePicker  # noqa: E402
from tuikit import running, screen_lines, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.errors import Problem, SaveError  # noqa: E402
from wargame.saves import save_game  # noqa: E402

RULESET = Path(__file__).parent / "__snapshots__" / "tui_ruleset.yaml"


def first_selectable(listing: OptionList) -> int:
    return next(i for i, o in enumerate(listing.options) if not o.disabled)


# -- each case opens one list and says what Enter on its first row does ----------------------------------------

async def load_screen(pilot, tmp_path):
    older, newer = tmp_path / "older.json", tmp_path / "newer.json"
    for i, path in enumerate((older, newer)):
        model = WargameModel(RULESET, rng=i, turns=3)
        model.step()
        save_game(model, path)
        os.utime(path, (1_700_000_000 + i, 1_700_000_000 + i))
    await pilot.press("ctrl+l")
    await settle(pilot)
    assert isinstance(pilot.app.screen, LoadScreen)
    listing = pilot.app.screen.query_one("#saves", OptionList)

    async def enter_opens_the_newest():
        await pilot.press("enter")
        await settle(pilot)
        assert pilot.app.game is not None and pilot.app.game.model.seed == 1

    return listing, str(newer), enter_opens_the_newest


async def start_screen_actors(pilot, tmp_path):
    screen = pilot.app.screen
    assert isinstance(screen, StartScreen)
    listing = screen.query_one("#actors", SelectionList)
    listing.focus()
    await pilot.pause()
    first = listing.get_option_at_index(0).id

    async def space_ticks_it():
        await pilot.press("space")
        await pilot.pause()
        assert listing.selected == [listing.get_option_at_index(0).value]

    return listing, first, space_ticks_it


async def branch_moves(pilot, tmp_path):
    await pilot.press("escape")                  # the last turn's report, then the game-over screen
    await pilot.press("b")
    await settle(pilot)
    await settle(pilot)
    screen = pilot.app.screen
    assert isinstance(screen, BranchScreen)
    listing = screen.query_one("#move-list", OptionList)
    first = listing.get_option_at_index(first_selectable(listing)).id

    async def enter_chooses_it():
        await pilot.press("enter")
        await pilot.pause()
        assert screen.query_one(MovePicker).chosen == (first,)

    return listing, first, enter_chooses_it


async def override_moves(pilot, tmp_path):
    screen = pilot.app.screen
    assert isinstance(screen, InstructorScreen)
    await pilot.press("o")                       # the highlighted actor: the first in the table
    await settle(pilot)
    assert isinstance(pilot.app.screen, OverrideScreen)
    listing = pilot.app.screen.query_one("#move-list", OptionList)
    first = listing.get_option_at_index(first_selectable(listing)).id

    async def enter_chooses_it():
        await pilot.press("enter")
        await pilot.pause()
        assert pilot.app.screen.query_one(MovePicker).chosen == (first,)

    return listing, first, enter_chooses_it


async def inject_deck(pilot, tmp_path):
    await pilot.press("2")
    await pilot.pause()
    listing = pilot.app.screen.query_one("#deck-list", OptionList)
    listing.focus()
    await pilot.pause()
    first = listing.get_option_at_index(0).id

    async def enter_offers_it():
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(pilot.app.screen, ConfirmScreen)
        assert pilot.app.game.model.rules.injects[first].name in pilot.app.screen.question

    return listing, first, enter_offers_it


def finished_game():
    model = WargameModel(RULESET, rng=7, turns=3)
    model.run()
    return WargameApp(turn_pause=0, autosave=False, model=model)


def instructor_game():
    model = WargameModel(RULESET, rng=5, turns=4)
    return WargameApp(StartOptions(instructor=True), turn_pause=0, autosave=False, model=model)


# (case, the app, how the list is opened)
LISTS = [
    ("saved games (ctrl+l)", lambda: WargameApp(turn_pause=0, autosave=False), load_screen),
    ("actors on the start screen", lambda: WargameApp(StartOptions(ruleset=str(RULESET)), autosave=False),
     start_screen_actors),
    ("moves on the what-if screen", finished_game, branch_moves),
    ("moves on the instructor's override screen", instructor_game, override_moves),
    ("the instructor's inject deck", instructor_game, inject_deck),
]


@pytest.mark.parametrize("case,make_app,open_list", LISTS, ids=[c[0] for c in LISTS])
def test_a_list_opens_with_its_first_row_highlighted(tmp_path, case, make_app, open_list):
    async def scenario():
        app = make_app()
        app._saves_dir = tmp_path
        async with running(app) as pilot:
            listing, first, enter_acts_on_it = await open_list(pilot, tmp_path)
            assert listing.has_focus
            assert listing.highlighted is not None, "nothing highlighted"
            assert listing.highlighted_option.id == first
            await enter_acts_on_it()

    asyncio.run(scenario())


def test_down_from_a_freshly_opened_list_goes_to_the_second_save(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, turn_pause=0, autosave=False)
        async with running(app) as pilot:
            listing, _, _ = await load_screen(pilot, tmp_path)
            await pilot.press("down")
            assert listing.highlighted_option.id == str(tmp_path / "older.json")

    asyncio.run(scenario())


def test_the_saved_games_footer_lists_enter_and_enter_opens_the_save_highlighted(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, turn_pause=0, autosave=False)
        async with running(app) as pilot:
            listing, _, _ = await load_screen(pilot, tmp_path)
            assert screen_lines(app)[-1].split()[:2] == ["⏎", "Open"]
            await pilot.press("down", "enter")
            await settle(pilot)
            assert app.game is not None and app.game.model.seed == 0 and app.game.opened_from.name == "older.json"

    asyncio.run(scenario())


def test_the_saved_games_list_says_where_each_game_stands_and_where_a_save_is_damaged(tmp_path):
    (tmp_path / "damaged.json").write_text('{"format": "wargame-save"')
    (tmp_path / "unversioned.json").write_text('{"format": "wargame-save", "x": 1}')
    played = WargameModel(RULESET, rng=4, turns=3, humans=("tokyo",))
    played.submit("tokyo", [])
    played.step()
    save_game(played, tmp_path / "class.json")

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, turn_pause=0, autosave=False)
        async with running(app, size=(80, 24)) as pilot:
            await pilot.press("ctrl+l")
            await settle(pilot)
            await app.screen.workers.wait_for_complete()
            await pilot.pause()
            listing = app.screen.query_one("#saves", OptionList)
            box = listing.scrollable_content_region
            lines = [line[box.x:box.right].rstrip() for line in screen_lines(app)[box.y:box.bottom]]
            return lines

    lines = asyncio.run(scenario())
    text = " ".join(" ".join(lines).split())
    assert "class 20" in text and "1 of 3 turns played · Tokyo at the keyboard · unfinished" in text
    assert "cannot be opened: not a readable save: the JSON is truncated" in text
    # The key the problem is in, not only what is wrong with it.
    assert "cannot be opened: version: save format version None is not supported" in text
    # Each save's name starts a line; what is said of it, however many lines it takes, is indented under it.
    names = [line for line in lines if line and not line.startswith("  ")]
    assert sorted(name.split()[0] for name in names) == ["class", "damaged", "unversioned"], lines


@pytest.mark.parametrize(("problems", "expected"), [
    ([Problem("s.json", "", "not a readable save")], "not a readable save"),
    ([Problem("s.json", "state.turn", "expected a whole number")], "state.turn: expected a whole number"),
    ([Problem("s.json", "history", "damaged", line=4)], "history, line 4: damaged"),
    ([Problem("s.json", "", "damaged", line=4)], "line 4: damaged"),
    ([Problem("s.json", "a", "one"), Problem("s.json", "b", "two")], "a: one (and 1 more problem: Enter lists them)"),
    ([Problem("s.json", "a", "one")] * 1 + [Problem("s.json", k, "x") for k in "bc"],
     "a: one (and 2 more problems: Enter lists them)"),
])
def test_a_damaged_save_is_described_by_where_its_problem_is(problems, expected):
    from tui.screens.load import problem_text

    assert problem_text(SaveError(problems)) == expected


# A what-if branch hands the players it departs with to another policy ('recorded': their moves as played).
HANDED_OVER = [{"turn": 2, "kind": "policy", "actor": "tokyo", "policy": "recorded", "moves": {}}]


@pytest.mark.parametrize("policies,interventions,outcome,expected", [
    ({"tokyo": "human", "beijing": "human", "g7": "utility"}, [], None,
     "2 of 5 turns played · Tokyo, Beijing at the keyboard · unfinished"),
    ({"tokyo": "human", "beijing": "human"}, HANDED_OVER, None,
     "2 of 5 turns played · Beijing at the keyboard · unfinished"),
    ({"tokyo": "human"}, HANDED_OVER, None, "2 of 5 turns played · the AI playing · unfinished"),
    ({"tokyo": "utility"}, [], "frozen_conflict",
     "2 of 5 turns played · the AI playing · ended: Frozen conflict (restrictions still in force)"),
    ({"tokyo": "utility"}, [], "stalemate", "2 of 5 turns played · the AI playing · ended: stalemate"),
])
def test_a_saves_standing(policies, interventions, outcome, expected):
    from wargame.saves import standing

    doc = {"policies": policies, "interventions": interventions, "turn_limit": 5, "history": [{}, {}],
           "state": {"outcome": outcome},
           "ruleset": {"data": {"actors": {"tokyo": {"name": "Tokyo"}, "beijing": {"name": "Beijing"}},
                                "outcomes": {"frozen_conflict": {"label": "Frozen conflict (restrictions still in force)"}}}}}
    assert standing(doc) == expected
