"""Snapshots of the main screens, at 80×24, 100×30 and 200×60, from fixed seeds and a frozen copy of the default
ruleset (tests/__snapshots__/tui_ruleset.yaml), so that recalibrating the scenario leaves them alone.

When the screens or the engine's arithmetic change on purpose, look at the new pictures in the report
pytest writes on failure, then accept them with `pytest tests/test_tui_snapshots.py --snapshot-update`.
"""

from __future__ import annotations

from pathlib import Path

import pytest

pytest.importorskip("pytest_textual_snapshot")

from textual.widgets import OptionList  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from gamekit import tokyo_holding  # noqa: E402
from tuikit import settle  # noqa: E402
from wargame import WargameModel  # noqa: E402

SMALL, LARGE, HUGE = (80, 24), (100, 30), (200, 60)
RULESET = Path(__file__).parent / "__snapshots__" / "tui_ruleset.yaml"


def game_app(tmp_path, humans=("tokyo",), **policies) -> WargameApp:
    model = WargameModel(RULESET, rng=7, humans=humans, turns=12, policies=policies)
    app = WargameApp(saves_dir=tmp_path, model=model)
    app.animation_level = "none"
    return app


def test_start_screen(snap_compare, tmp_path):
    app = WargameApp(StartOptions(str(RULESET), humans=("tokyo",), seed=7), saves_dir=tmp_path)
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def test_moves_tab_with_a_move_chosen(snap_compare, tmp_path):
    async def choose(pilot):
        await settle(pilot)
        listing = pilot.app.screen.query_one("#move-list", OptionList)
        listing.highlighted = listing.get_option_index("release_national_stockpile")
        await pilot.press("space")

    assert snap_compare(game_app(tmp_path), terminal_size=SMALL, run_before=choose)


def test_overview_tab(snap_compare, tmp_path):
    assert snap_compare(game_app(tmp_path), press=["1"], terminal_size=LARGE, run_before=settle)


def test_trade_tab_japan_bound(snap_compare, tmp_path):
    assert snap_compare(game_app(tmp_path), press=["4", "j"], terminal_size=LARGE, run_before=settle)


def test_report_after_a_turn(snap_compare, tmp_path):
    async def play(pilot):
        await settle(pilot)
        listing = pilot.app.screen.query_one("#move-list", OptionList)
        listing.highlighted = listing.get_option_index("formal_protest")
        await pilot.press("space", "e", "y")
        await settle(pilot)

    others = {a: "hold" for a in ("beijing", "washington", "g7", "cn_exporters", "jp_magnet_makers",
                                  "jp_automakers", "jp_electronics_makers", "jp_industrial_makers",
                                  "jp_defence_industry")}
    assert snap_compare(game_app(tmp_path, **others), terminal_size=LARGE, run_before=play)


def test_hand_over_between_hot_seat_players(snap_compare, tmp_path):
    assert snap_compare(game_app(tmp_path, humans=("beijing", "tokyo")), terminal_size=SMALL, run_before=settle)


def test_indicators_tab_with_japans_stock_cover(snap_compare, tmp_path):
    async def look(pilot):
        await settle(pilot)
        await pilot.press("escape", "3")          # past the last turn's report

    assert snap_compare(played_app(tmp_path, 4), terminal_size=LARGE, run_before=look)


def test_instructor_screen(snap_compare, tmp_path):
    from wargame.instructor import Instructor

    model = WargameModel(RULESET, rng=7, humans=("tokyo",), turns=12)
    instructor = Instructor(model)
    instructor.inject("g7_summit_communique")
    instructor.override("beijing", [])
    instructor.pause("discuss the communiqué")
    app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, model=model)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=SMALL, run_before=settle)


def played_app(tmp_path, turns: int) -> WargameApp:
    """Tokyo's game with `turns` turns played, Tokyo holding; it opens on the last turn's report."""
    app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding(turns, RULESET))
    app.animation_level = "none"
    return app


def finished_game(turns: int = 6) -> WargameModel:
    model = WargameModel(RULESET, rng=7, turns=turns)
    model.run()
    return model


def test_branch_screen(snap_compare, tmp_path):
    from tui.screens.branch import BranchScreen
    from wargame.saves import snapshot

    model = finished_game()

    async def open_branch(pilot):
        await settle(pilot)
        await pilot.app.push_screen(BranchScreen(snapshot(model), "class.json"))
        await settle(pilot)

    app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=SMALL, run_before=open_branch)


def test_comparison_screen(snap_compare, tmp_path):
    from tui.screens.compare import CompareScreen
    from wargame.compare import compare
    from wargame.replay import branch
    from wargame.saves import snapshot

    model = finished_game()
    doc = snapshot(model)
    whatif = branch(doc, at=3, moves={3: {"tokyo": ["formal_protest"]}}, turns=4, name="class.json")

    async def open_comparison(pilot):
        await settle(pilot)
        await pilot.app.push_screen(CompareScreen(compare(doc, whatif, names=("class.json", "what-if")), whatif))
        await settle(pilot)
        await pilot.press("down", "down")

    app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=LARGE, run_before=open_comparison)


def test_overview_tab_at_80x24(snap_compare, tmp_path):
    """Too narrow for the ladder beside the objectives: one above the other, scrolling together."""
    async def look(pilot):
        await settle(pilot)
        await pilot.press("escape", "1")

    assert snap_compare(played_app(tmp_path, 4), terminal_size=SMALL,
                        run_before=look)


def test_overview_tab_at_200x60(snap_compare, tmp_path):
    async def look(pilot):
        await settle(pilot)
        await pilot.press("escape", "1")

    assert snap_compare(played_app(tmp_path, 4), terminal_size=HUGE,
                        run_before=look)


def test_report_at_200x60(snap_compare, tmp_path):
    """The report uses the height of a large terminal; its footer offers only its own key."""
    assert snap_compare(played_app(tmp_path, 4), terminal_size=HUGE,
                        run_before=settle)


def test_help_at_80x24(snap_compare, tmp_path):
    async def scroll(pilot):
        await settle(pilot)
        await pilot.press("question_mark", "pagedown", "pagedown")

    app = WargameApp(StartOptions(str(RULESET)), saves_dir=tmp_path)
    app.animation_level = "none"
    assert snap_compare(app, terminal_size=SMALL, run_before=scroll)
