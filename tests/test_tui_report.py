"""The turn report and the log as a player reads them after a turn: the same facts, worded as the CLI's log
words them, laid out so that what happened, what comes before the next turn and what it all cost read apart."""

from __future__ import annotations

import asyncio

import pytest

pytest.importorskip("textual")

from textual.widgets import OptionList, Static  # noqa: E402

from tui.app import WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.widgets.events import EventLog  # noqa: E402
from tuikit import plain, running, settle  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.render import turn_text  # noqa: E402


def tokyo_against_holding(turns: int, seed: int = 7) -> WargameModel:
    """Tokyo at the keyboard, every other actor holding: what happens is what Tokyo does."""
    rules = WargameModel(rng=seed).rules
    return WargameModel(rng=seed, humans=("tokyo",), turns=turns,
                        policies={a: "hold" for a in rules.actor_ids if a != "tokyo"})


async def play(pilot, *moves: str) -> None:
    """Choose `moves` on the Moves tab and end the turn, as a player would."""
    await pilot.press("2")
    listing = pilot.app.screen.query_one("#move-list", OptionList)
    for move in moves:
        listing.highlighted = listing.get_option_index(move)
        await pilot.press("space")
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("y")
    await settle(pilot)


def log_text(app) -> str:
    return "\n".join(line.text for line in app.screen.query_one(EventLog).lines)


def test_capacity_due_after_the_last_turn_says_so_in_the_report_and_the_log_as_in_the_cli(tmp_path):
    model = tokyo_against_holding(turns=3)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(200, 40)) as pilot:
            await play(pilot, "lynas_offtake")      # 30 t of NdPr from turn 8, 0.5 t of Dy/Tb from turn 10
            assert isinstance(app.screen, ReportScreen)
            report = plain(app.screen.query_one("#report-body", Static))
            await pilot.press("escape", "5")
            await pilot.pause()
            return report, log_text(app)

    report, log = asyncio.run(scenario())
    cli = turn_text(model.rules, model.reports[0], None, model.turn_limit)
    late = [line.strip().removeprefix("→ ") for line in cli.splitlines() if "after this game ends" in line]
    assert len(late) == 2 and all(text.endswith(", after this game ends on turn 3") for text in late)
    for text in late:
        assert text in " ".join(report.split())
        assert text in log
