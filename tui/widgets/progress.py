"""Shown while turns resolve: which actor the AI is deciding for and, over several turns, how far it has got."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Label, ProgressBar

from ..app import TurnProgress


class TurnProgressBar(Horizontal):
    """Hidden until a turn starts resolving; follows the app's turn-progress signal."""

    def compose(self) -> ComposeResult:
        yield Label("", id="progress-text")
        yield ProgressBar(total=None, show_eta=False, id="progress-bar")

    def on_mount(self) -> None:
        self.display = False
        self.app.turn_progress.subscribe(self, self.show_progress)

    def show_progress(self, progress: TurnProgress) -> None:
        self.display = not progress.finished
        if progress.finished:
            return
        self.query_one("#progress-text", Label).update(progress.text)
        bar = self.query_one(ProgressBar)
        if progress.total > 1:
            bar.update(total=progress.total, progress=progress.done)
        else:
            bar.update(total=None)
