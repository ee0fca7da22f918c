"""A yes/no question."""

from __future__ import annotations

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.screen import ModalScreen
from textual.widgets import Button, Static

from ..widgets.footer import KeyFooter


class ConfirmScreen(ModalScreen[bool]):
    """Dismisses with True for yes, False for no. With `safe`, no has the focus: yes would lose something the
    player entered, and Enter pressed out of habit must not."""

    BINDINGS = [
        Binding("y", "answer(True)", "Yes"),
        Binding("n,escape", "answer(False)", "No", key_display="n/esc"),
    ]

    def __init__(self, question: str, yes: str = "Yes", no: str = "No", detail: str = "", safe: bool = False):
        super().__init__()
        self.question = question
        self.yes, self.no, self.detail = yes, no, detail
        self.safe = safe
        # The footer names the keys as the buttons do ("y Quit", "n/esc Keep playing"): a dialog covers the
        # screen's own keys, so these are the only ones it shows.
        for binding in self.BINDINGS:
            label = yes if binding.action == "answer(True)" else no
            for key in binding.key.split(","):
                self._bindings.key_to_bindings[key] = [Binding(key, binding.action, label,
                                                               key_display=binding.key_display)]

    def compose(self) -> ComposeResult:
        with Vertical(classes="dialog"):
            yield Static(self.question, classes="dialog-title")
            if self.detail:
                yield Static(self.detail, id="confirm-detail")
            with Horizontal(classes="buttons"):
                yield Button(f"{self.yes} (y)", id="yes", variant="primary")
                yield Button(f"{self.no} (n)", id="no")
        yield KeyFooter()

    def on_mount(self) -> None:
        self.query_one("#no" if self.safe else "#yes", Button).focus()

    @on(Button.Pressed)
    def _pressed(self, event: Button.Pressed) -> None:
        self.dismiss(event.button.id == "yes")

    def action_answer(self, yes: bool) -> None:
        self.dismiss(yes)
