"""Write a game's debrief report (wargame.report.build_report): Markdown and printable HTML with charts."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from typing import Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label, Static

from ..widgets.footer import KeyFooter

MISSING = ("The debrief report draws its charts with matplotlib, which is not installed here. Install the "
           "'analysis' extra — pip install 'wargame[analysis]' (or: pip install -e '.[analysis]' in a checkout) — "
           "then try again. `wargame report SAVE --out DIR` does the same from the command line.")


class ExportScreen(ModalScreen[None]):
    """`source` is a model or a save file; the report goes into the folder typed (a default is offered)."""

    BINDINGS = [Binding("escape", "close", "Back")]

    def __init__(self, source: Any, name: str, saves_dir: Path):
        super().__init__()
        self.source = source
        self.name_ = name
        self.folder = Path(saves_dir) / "debriefs" / name

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog", id="export"):
            yield Label("Debrief report", classes="dialog-title")
            yield Label("Markdown and printable HTML, with charts, into the folder:", classes="hint")
            yield Input(str(self.folder), id="export-folder")
            yield Static("", id="export-result")
            yield Label("Enter: write the report · Esc: back", classes="hint", id="export-hint")
        yield KeyFooter()

    def on_mount(self) -> None:
        if importlib.util.find_spec("matplotlib") is None:
            self._show(Text(MISSING, "bold yellow"))
            self.query_one("#export-folder", Input).disabled = True
            self.query_one("#export-hint", Label).update("Esc: back")
        else:
            self.query_one("#export-folder", Input).focus()

    def _show(self, text: Text | str) -> None:
        self.query_one("#export-result", Static).update(text)

    @on(Input.Submitted, "#export-folder")
    def _write(self, event: Input.Submitted) -> None:
        folder = event.value.strip()
        if not folder:
            return
        self._show(Text("Writing the report (the charts take a few seconds)…", "dim"))
        event.input.disabled = True
        self.app.run_worker(lambda: self._build(Path(folder)), thread=True, group="report", exclusive=True,
                            name="write the debrief report")

    def _build(self, folder: Path) -> None:
        from wargame import WargameError

        try:
            from wargame.report import MISSING_EXTRA, build_report

            files = build_report(self.source, folder)
        except ImportError as error:
            # Only a missing matplotlib is cured by installing the extra; any other failed import says what it is.
            if importlib.util.find_spec("matplotlib") is None:
                self.app.call_from_thread(self._done, Text(MISSING, "bold yellow"), False)
            else:
                self.app.call_from_thread(self._done, Text(f"The report could not be written: {error}", "bold red"),
                                          True)
            return
        except WargameError as error:
            lines = error.lines()
            text = MISSING if any(MISSING_EXTRA in line for line in lines) else "\n".join(lines)
            self.app.call_from_thread(self._done, Text(text, "bold red"), True)
            return
        text = Text()
        text.append("Written:\n", "bold")
        text.append(f"  {files.markdown}\n  {files.html}  (open it in a browser to print)\n")
        text.append(f"  {len(files.charts)} charts in {files.markdown.parent / 'charts'}")
        self.app.call_from_thread(self._done, text, True)

    def _done(self, text: Text, again: bool) -> None:
        self._show(text)
        field = self.query_one("#export-folder", Input)
        field.disabled = not again
        # Once written, Enter writes it again (or into another folder typed): the hint must not read as if it had not.
        self.query_one("#export-hint", Label).update(
            "Enter: write it again (or into another folder) · Esc: back" if again else "Esc: back")
        if again:
            field.focus()

    def action_close(self) -> None:
        self.dismiss(None)
