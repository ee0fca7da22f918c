"""The footer of every screen: Textual's, except that in a terminal too narrow for all of a screen's keys it leaves
out the least useful ones, rather than cutting off the keys at its end — which were the app's own, among them how
to save, load, quit and get help."""

from __future__ import annotations

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.widgets import Footer
from textual.widgets._footer import FooterKey

# Always shown: how to get help (which lists every key, shown or not), save, load and quit.
KEPT = ("help", "save", "load", "request_quit")


def key_width(key: FooterKey) -> int:
    """The cells a key takes in the footer: ' key ' then 'description ' (Textual's FooterKey padding)."""
    width = Text(key.key_display).cell_len + 2
    return width + Text(key.description).cell_len + 1 if key.description else width


class KeyFooter(Footer):
    """A screen may name the actions to leave out first, in order, as FOOTER_FIRST_TO_GO; after those the footer
    leaves out keys from its right-hand end, never those in KEPT. A key left out still works, and ? lists it."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self._composed_for = 0          # the width the keys were last chosen for
        self.left_out: tuple[str, ...] = ()

    def compose(self) -> ComposeResult:
        keys = [w for w in super().compose()]
        width = self.app.size.width
        self._composed_for = width
        shown = [k for k in keys if isinstance(k, FooterKey)]
        used = sum(key_width(k) for k in shown)
        first = getattr(self.screen, "FOOTER_FIRST_TO_GO", ())
        order = sorted((k for k in shown if k.action in first), key=lambda k: first.index(k.action)) + \
            [k for k in reversed(shown) if k.action not in first and k.action not in KEPT]
        left_out = []
        for key in order:
            if used <= width:
                break
            left_out.append(key)
            used -= key_width(key)
        self.left_out = tuple(k.action for k in left_out)
        yield from (k for k in keys if k not in left_out)

    def on_resize(self, event: events.Resize) -> None:
        if self._bindings_ready and self.app.size.width != self._composed_for:
            self.call_after_refresh(self.recompose)
