"""Tension is shown as the game log and debrief show it (Ruleset.tension_text), on every screen of the terminal UI:
a tension just below a rung of the ladder is never rounded up to that rung's level while the rung named beside it
is the one below (7.996 reads 7.99 beside 'Rare-earth embargo', not 8.0 under a ladder whose next rung is 8)."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

pytest.importorskip("textual")

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.widgets.indicators import IndicatorSection  # noqa: E402
from tuikit import plain, running, screen_lines  # noqa: E402
from wargame import WargameModel  # noqa: E402

DEFAULT = Path(__file__).parent.parent / "rulesets" / "rare_earths_2026.yaml"
BELOW_A_RUNG = 7.996              # the default ladder has 'Rare-earth embargo' at 6.5 and 'Economic war' at 8


def poised(tmp_path: Path, tension: float, humans: tuple[str, ...] = ("tokyo",), turns: int = 12) -> WargameModel:
    """A game of the default scenario (Tokyo's, unless `humans` says otherwise), about to begin at `tension`."""
    ruleset = tmp_path / "poised.yaml"
    ruleset.write_text(f"extends: {DEFAULT}\nruleset: {{id: poised, name: Poised}}\n"
                       f"politics:\n  tension: {{start: {tension!r}}}\n")
    return WargameModel(ruleset, rng=7, turns=turns, humans=humans)


def shown(pattern: str, text: str) -> str:
    found = re.search(pattern, text)
    assert found, text
    return found.group(1)


@pytest.mark.parametrize(("tension", "number", "rung"), [
    (BELOW_A_RUNG, "7.99", "Rare-earth embargo"),
    (6.4999, "6.49", "Export restrictions"),
    (8.0, "8.00", "Economic war"),
    (4.26, "4.26", "Targeted coercion"),
])
def test_the_status_line_shows_tension_as_the_game_log_does(tmp_path, tension, number, rung):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=poised(tmp_path, tension))
        async with running(app, size=(120, 30)):
            return screen_lines(app)[0]

    line = asyncio.run(scenario())
    assert f"tension {number} {rung}" in line, line


def test_the_ladder_indicators_and_instructor_never_round_tension_up_onto_a_rung(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=poised(tmp_path, BELOW_A_RUNG))
        async with running(app, size=(120, 30)) as pilot:
            await pilot.press("1")
            await pilot.pause()
            ladder = plain(app.screen.query_one("#rungs"))
            await pilot.press("3")
            await pilot.pause()
            indicators = "".join(plain(section) for section in app.screen.query(IndicatorSection))
        instructed = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False,
                                model=poised(tmp_path, BELOW_A_RUNG))
        async with running(instructed, size=(120, 30)):
            instructor = screen_lines(instructed)[0]
        return ladder, indicators, instructor

    ladder, indicators, instructor = asyncio.run(scenario())
    assert shown(r"▶ +6\.5 Rare-earth embargo +(\S+)", ladder) == "7.99"
    assert shown(r"\n *Tension \(0 to 10\) +(\S+)", "\n" + indicators) == "7.99"
    assert shown(r"tension (\S+ [^ ]+(?: [^ ]+)*) *$", instructor.rstrip()) == "7.99 Rare-earth embargo"


def test_the_game_over_screen_never_rounds_tension_up_onto_a_rung(tmp_path):
    model = poised(tmp_path, BELOW_A_RUNG, humans=(), turns=1)
    model.run()
    # Where a game ends depends on every actor's moves; the screen is about how it shows what the engine says.
    model.state.tension = BELOW_A_RUNG

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(120, 30)) as pilot:
            await pilot.press("escape")            # the last turn's report
            await pilot.pause()
            return "\n".join(screen_lines(app))

    screen = asyncio.run(scenario())
    assert "Game over" in screen
    assert shown(r"Tension (\S+) of 10 \(Rare-earth embargo\)", screen) == "7.99"


@pytest.mark.parametrize(("tension", "number"), [(BELOW_A_RUNG, "7.99"), (6.499, "6.49"), (4.26, "4.26")])
def test_the_tension_objective_and_the_report_never_round_tension_up_onto_a_rung(tmp_path, tension, number):
    from wargame import views

    model = poised(tmp_path, tension)
    standing = next(s for s in views.objective_standings(model, "tokyo") if s.objective == "tension")
    assert standing.text == number
    # The turn report's 'what changed' row starts from the tension the game opened with.
    model.submit("tokyo", [])
    model.step()
    summary = views.turn_summary(model, "tokyo", opening={"tension": tension})
    row = next(r for r in summary.changes if r[0] == "Tension (0 to 10)")
    assert row[1] == number
