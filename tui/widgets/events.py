"""The event log: public events and the player's own private ones, marked as such, turn by turn."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import RichLog

from wargame.moves import Event
from wargame.views import event_wording

from ..game import PlayerView
from ..text import day, hanging

KIND_STYLES = {"move": "bold", "rejected": "red", "effect": "", "expired": "dim", "project": "cyan",
               "inject": "bold magenta", "instructor": "bold magenta", "outcome": "bold reverse"}
KIND_MARKS = {"effect": "  → ", "expired": "  ⌛ ", "project": "  + ", "rejected": "  ✗ "}


def _parts(tag: str, event: Event, names: dict[str, str] | None = None) -> tuple[Text, Text]:
    """An event's lead (who may know of it, and the mark of its kind) and its text. A lapsing move names whose
    it was: several actors may play the same move."""
    style = KIND_STYLES.get(event.kind, "")
    lead = Text(tag, "bold yellow")
    lead.append(KIND_MARKS.get(event.kind, ""), style)
    return lead, Text(event_wording(event, names or {}), style)


def _tag(event: Event, actor: str | None) -> str:
    if event.visible_to is None:
        return ""
    return "[private] " if actor in event.visible_to else "[revealed] "


def _instructor_tag(event: Event, names: dict[str, str]) -> str:
    """Secret events say who knows of them."""
    if event.visible_to is None:
        return ""
    who = ", ".join(names.get(a, a) for a in event.visible_to)
    return f"[{who} only] " if who else "[log only] "


def event_text(event: Event, actor: str | None, names: dict[str, str] | None = None) -> Text:
    """An event as one line of text, as `actor` sees it."""
    return Text.assemble(*_parts(_tag(event, actor), event, names))


def event_line(event: Event, actor: str | None, indent: str = "", names: dict[str, str] | None = None) -> Table | Text:
    """An event as `actor` sees it, laid out for a screen: a text too long for the line wraps under itself, not
    back under its tag and mark, so each event still reads as one block."""
    lead, body = _parts(_tag(event, actor), event, names)
    return hanging(Text(indent) + lead, body)


def instructor_event_line(event: Event, names: dict[str, str]) -> Table | Text:
    """An event as the instructor sees it, laid out as event_line lays out a player's."""
    return hanging(*_parts(_instructor_tag(event, names), event, names))


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
            self.write(event_line(event, view.actor, names=view.labels))
        if not view.events:
            self.write(Text("Nothing has happened yet.", "dim"))
        self.scroll_end(animate=False)
