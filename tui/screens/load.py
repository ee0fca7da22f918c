"""The saved games in the saves folder: open one, or branch, compare or report on it (after a game, or for the instructor)."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import TYPE_CHECKING

from rich.console import Group
from rich.padding import Padding
from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Label, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from ..game import open_game
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wargame import WargameError

    from ..app import WargameApp


def problem_text(error: "WargameError") -> str:
    """What is wrong with a save, short enough for the list: its first problem with the key (and line) the problem
    names, and how many more there are; opening the save lists them all."""
    problem = error.problems[0]
    where = problem.path
    if problem.line is not None:
        where = f"{where}, line {problem.line}" if where else f"line {problem.line}"
    text = f"{where}: {problem.message}" if where else problem.message
    more = len(error.problems) - 1
    return text + (f" (and {more} more problem{'s' if more > 1 else ''}: Enter lists them)" if more else "")


class LoadScreen(ModalScreen["Game | None"]):
    """The saves in the saves folder, newest first. Enter opens one; a damaged save is explained."""

    app: "WargameApp"
    BINDINGS = [
        # A priority binding: the list's own Enter (unlisted) would otherwise hide this one from the footer.
        Binding("enter", "open_highlighted", "Open", priority=True),
        Binding("escape", "cancel", "Back"),
        Binding("b", "branch", "What if?"),
        Binding("c", "compare", "Compare"),
        Binding("d", "report", "Debrief"),
    ]

    def __init__(self, saves_dir: Path, autosave: bool = True, instructor: bool = False):
        super().__init__()
        self.saves_dir = saves_dir
        self.autosave = autosave
        self.instructor = instructor
        self.first: Path | None = None          # the save chosen as A of a comparison

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog wide-dialog"):
            yield Label("Saved games", classes="dialog-title")
            yield OptionList(id="saves")
            yield Static("", id="load-error", classes="error")
            yield Label(self._hint(), classes="hint", id="load-hint")
        yield KeyFooter()

    def _hint(self) -> str:
        if not self.app.may_analyse():
            return "Enter: open · Esc: back"
        if self.first is not None:
            return f"c on another save compares it with {self.first.stem} · Esc: back"
        return "Enter: open · b: what if? (branch) · c: compare two · d: debrief report · Esc: back"

    def on_mount(self) -> None:
        saves = self.query_one("#saves", OptionList)
        files = sorted(self.saves_dir.glob("*.json"), key=lambda p: p.stat().st_mtime, reverse=True) \
            if self.saves_dir.is_dir() else []
        for path in files:
            saves.add_option(Option(self._prompt(path), id=str(path)))
        if files:
            saves.highlighted = 0           # the newest: Enter opens it, Down goes to the next one
            self._describe(files)
        else:
            saves.add_option(Option(f"No saved games in {self.saves_dir}", disabled=True))
        saves.focus()

    @staticmethod
    def _prompt(path: Path, detail: str = "", style: str = "dim") -> Text | Group:
        when = dt.datetime.fromtimestamp(path.stat().st_mtime).strftime("%Y-%m-%d %H:%M")
        title = Text(f"{path.stem:<44} {when}")
        if not detail:
            return title
        # Indented as a block: a detail too long for the dialog wraps under itself, not back under the save's name.
        return Group(title, Padding(Text(detail, style), (0, 0, 0, 2)))

    @work(thread=True, group="describe")
    def _describe(self, files: list[Path]) -> None:
        """Each save's turn, players and outcome, read after the list is on screen (a save holds a whole game)."""
        from wargame import WargameError
        from wargame.saves import read_save, standing

        saves = self.query_one("#saves", OptionList)
        worker = get_current_worker()
        for path in files:
            if worker.is_cancelled:
                return
            try:
                detail, style = standing(read_save(path)), "dim"
            except WargameError as error:
                detail, style = f"cannot be opened: {problem_text(error)}", "red"
            try:
                prompt = self._prompt(path, detail, style)
            except OSError:         # gone since the list was made
                continue
            self.app.call_from_thread(saves.replace_option_prompt, str(path), prompt)

    def _highlighted(self) -> Path | None:
        option = self.query_one("#saves", OptionList).highlighted_option
        return Path(option.id) if option is not None and option.id else None

    @on(OptionList.OptionSelected, "#saves")
    def _chosen(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self._open(Path(event.option.id))

    def action_open_highlighted(self) -> None:
        path = self._highlighted()
        if path is not None:
            self._open(path)

    def _open(self, path: Path) -> None:
        self.query_one("#load-error", Static).update(f"Opening {path.name}…")
        self.open(str(path))

    @work(thread=True, exclusive=True)
    def open(self, path: str) -> None:
        from wargame import WargameError

        try:
            game = open_game(path, self.saves_dir, self.autosave, self.instructor)
        except WargameError as error:
            self.app.call_from_thread(self.query_one("#load-error", Static).update, "\n".join(error.lines()))
            return
        self.app.call_from_thread(self.dismiss, game)

    # -- analysis of a save: it shows every actor's private information, so not on a player's screen ----------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("branch", "compare", "report"):
            return self.app.may_analyse()
        return True

    def action_branch(self) -> None:
        path = self._highlighted()
        if path is not None:
            self.dismiss(None)
            self.app.open_branch(path, path.name)

    def action_compare(self) -> None:
        path = self._highlighted()
        if path is None:
            return
        if self.first is None or self.first == path:
            self.first = path
            self.query_one("#load-hint", Label).update(self._hint())
            self.query_one("#load-error", Static).update(f"A: {path.name} — now highlight B and press c")
            return
        first, self.first = self.first, None
        self.dismiss(None)
        # Named by file, as the list names them: a whole path would crowd the outcome off the comparison's head.
        self.app.show_comparison(first, path, (first.name, path.name))

    def action_report(self) -> None:
        path = self._highlighted()
        if path is not None:
            self.dismiss(None)
            self.app.open_report(path, path.stem)

    def action_cancel(self) -> None:
        self.dismiss(None)
