"""Helpers for the terminal UI's Pilot tests: the screen size, starting an app and waiting for it to settle,
reading the text a widget or the whole terminal shows, and picking a save on the load screen. Import after `pytest.importorskip("textual")`."""

from __future__ import annotations

import io
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager
from pathlib import Path

from rich.console import Console
from textual.widgets import OptionList

SIZE = (100, 30)


async def settle(pilot) -> None:
    """Let workers (ruleset reading, turn resolution) finish and the screen catch up."""
    for _ in range(3):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()


@asynccontextmanager
async def running(app, size: tuple[int, int] = SIZE) -> AsyncIterator:
    """Run `app` headless at `size`, without animations, and hand over its Pilot once its first screen has
    settled: `async with running(WargameApp(...)) as pilot:`."""
    app.animation_level = "none"
    async with app.run_test(size=size) as pilot:
        await settle(pilot)
        yield pilot


def plain(widget) -> str:
    """The text a Static shows, whatever Rich renderable it holds."""
    console = Console(width=200, record=True, file=io.StringIO(), color_system=None)
    console.print(widget.content)
    return console.export_text()


def screen_lines(app) -> list[str]:
    """The terminal's lines as the player sees them now, dialogs and all (what a screenshot shows, as text)."""
    width, height = app.size
    console = Console(width=width, height=height, file=io.StringIO(), force_terminal=True, color_system="truecolor",
                      record=True, legacy_windows=False, safe_box=False)
    console.print(app.screen._compositor.render_update(full=True, screen_stack=app._background_screens))
    return console.export_text(styles=False).splitlines()


def footer_keys(screen) -> dict[str, str]:
    """The keys the footer of `screen` offers, each with what it says it does; greyed-out keys (Textual marks
    them with the -disabled class, leaving the widget's own `disabled` False) are left out."""
    from textual.widgets._footer import FooterKey
    return {k.key: k.description for k in screen.query(FooterKey) if not k.has_class("-disabled")}


async def open_load_screen(pilot, highlight: Path | None = None) -> OptionList:
    """Open the load screen (ctrl+l), optionally with the save `highlight` selected; returns its list of saves."""
    await pilot.press("ctrl+l")
    await pilot.pause()
    saves = pilot.app.screen.query_one("#saves", OptionList)
    if highlight is not None:
        saves.highlighted = saves.get_option_index(str(highlight))
    return saves
