"""The turn report and the log as a player reads them after a turn: the same facts, worded as the CLI's log
words them, laid out so that what happened, what comes before the next turn and what it all cost read apart."""

from __future__ import annotations

import asyncio
import re

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


def first_turn(tmp_path, model: WargameModel, size: tuple[int, int], *moves: str) -> tuple[str, str]:
    """Tokyo plays `moves` on turn 1; returns the turn's report and then the log, as Tokyo reads them."""
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=size) as pilot:
            await play(pilot, *moves)
            assert isinstance(app.screen, ReportScreen)
            report = plain(app.screen.query_one("#report-body", Static))
            await pilot.press("escape", "5")
            await pilot.pause()
            return report, log_text(app)

    return asyncio.run(scenario())


def test_capacity_due_after_the_last_turn_says_so_in_the_report_and_the_log_as_in_the_cli(tmp_path):
    model = tokyo_against_holding(turns=3)
    # 30 t of NdPr from turn 8, 0.5 t of Dy/Tb from turn 10
    report, log = first_turn(tmp_path, model, (200, 40), "lynas_offtake")
    cli = turn_text(model.rules, model.reports[0], None, model.turn_limit)
    late = [line.strip().removeprefix("→ ") for line in cli.splitlines() if "after this game ends" in line]
    assert len(late) == 2 and all(text.endswith(", after this game ends on turn 3") for text in late)
    for text in late:
        assert text in " ".join(report.split())
        assert text in log


def report_sections(report: str) -> dict[str, list[str]]:
    """The report's lines under each of its headings (a line flush with the margin)."""
    sections: dict[str, list[str]] = {}
    heading = ""
    for line in report.splitlines():
        if line and not line[0].isspace():
            heading = line.strip()
            sections[heading] = []
        elif line.strip():
            sections.setdefault(heading, []).append(line.strip())
    return sections


def back_channel_then_hold(tmp_path, turns: int):
    """Tokyo opens back-channel talks (3 turns, private) on turn 1 and then holds to the end; returns the last
    turn's report and the log, as Tokyo reads them."""
    model = tokyo_against_holding(turns=turns)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(160, 50)) as pilot:
            await play(pilot, "back_channel_talks")
            for _ in range(2):
                await pilot.press("escape")
                await play(pilot)
            assert isinstance(app.screen, ReportScreen) and model.state.turn == 3
            report = plain(app.screen.query_one("#report-body", Static))
            await pilot.press("escape")
            if not model.running:
                await pilot.press("v")      # the game-over screen's final position
                await settle(pilot)
            await pilot.press("5")
            await pilot.pause()
            return report, [line.text for line in app.screen.query_one(EventLog).lines]

    return model, asyncio.run(scenario())


def lapse(model: WargameModel) -> str:
    return f"⌛ Tokyo: {model.rules.moves['back_channel_talks'].name} lapses"


def test_a_move_lapsing_before_the_coming_turn_is_reported_under_its_own_heading(tmp_path):
    model, (report, log) = back_channel_then_hold(tmp_path, turns=4)
    sections = report_sections(report)
    assert sections["Before turn 4"] == [f"[private]   {lapse(model)}"]
    assert not any("lapses" in line for line in sections["What happened"])
    # In the log, under turn 4's heading, before anything played on it.
    at = log.index(next(line for line in log if line.startswith("── Turn 4 ")))
    assert log[at + 1] == "Before the turn" and log[at + 2].endswith(lapse(model))


def test_what_would_have_lapsed_after_the_last_turn_is_not_reported(tmp_path):
    model, (report, log) = back_channel_then_hold(tmp_path, turns=3)
    assert not model.running and any(e.kind == "expired" for e in model.reports[-1].events)
    assert "lapses" not in report and "Before turn" not in report
    assert report.startswith("Turn limit reached")
    assert report_sections(report)["What happened"] == ["nothing else anyone could see"]
    assert not any("lapses" in line or line.startswith("── Turn 4 ") for line in log)
    assert "Before turn 4" not in turn_text(model.rules, model.reports[-1], None, model.turn_limit)


def test_the_report_shows_japans_lost_trade_and_tourism_apart_from_those_from_shortages_as_the_cli_does(tmp_path):
    """An instructor's typhoon costs Japan ¥20 bn a turn outside the shortage model: the report says so."""
    from wargame.instructor import Instructor
    from wargame.figures import yen

    model = tokyo_against_holding(turns=3)
    Instructor(model).inject("typhoon_japan_port")
    report, _ = first_turn(tmp_path, model, (160, 50))
    # A row of the table: its label, before and after, two spaces or more apart (a label or a sum holds one).
    rows = [re.split(r"\s{2,}", line.strip()) for line in report.splitlines() if line.startswith("Japan's ")]
    changed = {label: after.split() for label, _, after in rows}
    after = model.reports[0].indicators
    assert after["japan_other_loss_jpy"] >= 2e10
    assert changed["Japan's lost trade and tourism"][-2:] == yen(after["japan_other_loss_jpy"]).split()
    assert changed["Japan's loss from shortages"][-2:] == yen(after["japan_gdp_loss_jpy"]).split()
    cli = turn_text(model.rules, model.reports[0], None, model.turn_limit)
    assert f"{yen(after['japan_other_loss_jpy'])} in all from lost trade and tourism" in cli


def test_the_report_says_what_the_instructor_did_before_the_turn(tmp_path):
    """The typhoon that cost Japan ¥20 bn is in what happened on the turn, as in the log, not only in its cost."""
    from wargame.instructor import Instructor

    model = tokyo_against_holding(turns=3)
    Instructor(model).inject("typhoon_japan_port")
    Instructor(model).announce("Discuss: who blinks first?")
    report, log = first_turn(tmp_path, model, (160, 50))
    happened = report_sections(report)["What happened"]
    assert happened[0].startswith("Typhoon closes Japanese ports: ")
    assert "→ this turn: costs Japan ¥20.0 bn a turn in lost trade and tourism" in happened
    assert any("Discuss: who blinks first?" in line for line in happened)
    assert "Typhoon closes Japanese ports" in log


def test_the_last_turns_report_gives_the_outcome_once_at_its_head(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_against_holding(turns=1))
        async with running(app, size=(160, 50)) as pilot:
            await play(pilot, "formal_protest")
            assert isinstance(app.screen, ReportScreen)
            return plain(app.screen.query_one("#report-body", Static))

    report = asyncio.run(scenario())
    outcome = report.splitlines()[0].strip()
    assert outcome.startswith("Turn limit reached: ")
    assert report.count(outcome) == 1, "not repeated under What happened"
    assert report_sections(report)["What happened"]


def test_capacity_due_after_the_last_turn_says_so_on_the_overview_and_the_instructors_log_too(tmp_path):
    from tui.app import StartOptions
    from tui.screens.instructor import InstructorScreen
    from tui.widgets.briefing import Briefing
    from tui.widgets.events import FlowingLog

    model = tokyo_against_holding(turns=3)
    _, log = first_turn(tmp_path, model, (200, 40), "lynas_offtake")
    late = [line.strip().removeprefix("→ ") for line in log.splitlines() if "after this game ends" in line]
    assert len(late) == 2

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(200, 40)) as pilot:
            await pilot.press("escape", "1")
            await pilot.pause()
            overview = " ".join(plain(app.screen.query_one(Briefing)).split())
        instructor = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=model)
        async with running(instructor, size=(200, 40)) as pilot:
            assert isinstance(instructor.screen, InstructorScreen)
            await pilot.press("3")
            await settle(pilot)
            everything = "\n".join(line.text for line in instructor.screen.query_one(FlowingLog).lines)
        return overview, everything

    overview, everything = asyncio.run(scenario())
    for text in late:
        assert text in overview
        assert text in everything
