"""The event log: public events and the player's own private ones, marked as such, turn by turn."""

from __future__ import annotations

from rich.text import Text
from textual.reactive import reactive
from textual.widgets import RichLog

from wargame.moves import Event

from ..game import PlayerView
from ..text import day

KIND_STYLES = {"move": "bold", "rejected": "red", "effect": "", "expired": "dim", "project": "cyan",
               "inject": "bold magenta", "instructor": "bold magenta", "outcome": "bold reverse"}


def event_text(event: Event, actor: str | None) -> Text:
    text = Text()
    if event.visible_to is not None:
        text.append("[private] " if actor in event.visible_to else "[revealed] ", "bold yellow")
    style = KIND_STYLES.get(event.kind, "")
    prefix = {"effect": "  → ", "expired": "  ⌛ ", "project": "  + ", "rejected": "  ✗ "}.get(event.kind, "")
    text.append(prefix + event.text, style)
    return text


def instructor_event_text(event: Event, names: dict[str, str]) -> Text:
    """An event as the instructor sees it: secret ones say who knows of them."""
    text = Text()
    if event.visible_to is not None:
        who = ", ".join(names.get(a, a) for a in event.visible_to)
        text.append(f"[{who} only] " if who else "[log only] ", "bold yellow")
    style = KIND_STYLES.get(event.kind, "")
    prefix = {"effect": "  → ", "expired": "  ⌛ ", "project": "  + ", "rejected": "  ✗ "}.get(event.kind, "")
    text.append(prefix + event.text, style)
    return text


class EventLog(RichLog):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def __init__(self, **kwargs):
        super().__init__(wrap=True, markup=False, highlight=False, **kwargs)
        self.shown: list[Event] = []

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        self.clear()
        self.shown = list(view.events)
        turn = None
        for event in view.events:
            if event.turn != turn:
                turn = event.turn
                self.write(Text(f"── Turn {turn} · {day(view.date_of(turn))} ──", "bold"))
            self.write(event_text(event, view.actor))
        if not view.events:
            self.write(Text("Nothing has happened yet.", "dim"))
        self.scroll_end(animate=False)
