"""The event log: public events and the player's own private ones, marked as such, turn by turn."""

from __future__ import annotations

from bisect import bisect_right

from rich.console import RenderableType
from rich.table import Table
from rich.text import Text
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import RichLog

from wargame.instructor import after_the_game
from wargame.moves import Event
from wargame.views import PREPARATION, event_wording

from ..game import PlayerView
from ..text import day, hanging

KIND_STYLES = {"move": "bold", "rejected": "red", "effect": "", "expired": "dim", "project": "cyan",
               "inject": "bold magenta", "instructor": "bold magenta", "outcome": "bold reverse"}
KIND_MARKS = {"effect": "  → ", "expired": "  ⌛ ", "project": "  + ", "rejected": "  ✗ "}


def _parts(tag: str, event: Event, names: dict[str, str] | None = None,
           last_turn: int | None = None) -> tuple[Text, Text]:
    """An event's lead (who may know of it, and the mark of its kind) and its text, worded as the CLI's log
    words it: a lapsing move names whose it was, capacity due after the game's `last_turn` says so."""
    style = KIND_STYLES.get(event.kind, "")
    lead = Text(tag, "bold yellow")
    lead.append(KIND_MARKS.get(event.kind, ""), style)
    return lead, Text(event_wording(event, names or {}, last_turn), style)


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


def event_text(event: Event, actor: str | None, names: dict[str, str] | None = None,
               last_turn: int | None = None) -> Text:
    """An event as one line of text, as `actor` sees it."""
    return Text.assemble(*_parts(_tag(event, actor), event, names, last_turn))


def event_line(event: Event, actor: str | None, indent: str = "", names: dict[str, str] | None = None,
               last_turn: int | None = None) -> Table | Text:
    """An event as `actor` sees it, laid out for a screen: a text too long for the line wraps under itself, not
    back under its tag and mark, so each event still reads as one block."""
    lead, body = _parts(_tag(event, actor), event, names, last_turn)
    return hanging(Text(indent) + lead, body)


def instructor_event_line(event: Event, names: dict[str, str], last_turn: int | None = None) -> Table | Text:
    """An event as the instructor sees it, laid out as event_line lays out a player's."""
    return hanging(*_parts(_instructor_tag(event, names), event, names, last_turn))


class FlowingLog(RichLog):
    """A log whose entries wrap to its width, and wrap again when that width changes (the terminal resized, a
    panel opened beside it): a RichLog wraps a line once, when it is written, and would go on showing old lines
    cut off at their old width, or narrower than it need be.

    A reader at the end of the log stays at the end; one who has scrolled up keeps the entry at the top of the
    view at the top."""

    def __init__(self, **kwargs):
        super().__init__(wrap=True, markup=False, highlight=False, **kwargs)
        self.entries: list[RenderableType] = []
        self._starts: list[int] = []      # the first line of each entry, as last laid out
        self._flowed_width = 0            # the width the lines were wrapped at; 0 while never laid out
        self._sized = False               # RichLog holds back writes until its first resize: so do we
        self._at_end = True
        self._flowing = False

    def show(self, entries: list[RenderableType]) -> None:
        """Show `entries` in place of what the log showed, scrolled to the end."""
        self.entries = list(entries)
        self._flow(at_end=True)

    def _flow(self, at_end: bool) -> None:
        # Off screen (another tab shown) the log has no width of its own: keep the last one, and wrap again
        # when it is shown, which resizes it.
        width = self.scrollable_content_region.width or self._flowed_width
        top = max(0, bisect_right(self._starts, round(self.scroll_y)) - 1)
        self._flowing = True
        try:
            self.clear()
            self._starts = []
            if not (self._sized and width):
                return
            for entry in self.entries:
                self._starts.append(len(self.lines))
                self.write(entry, width=width, scroll_end=False)
            self._flowed_width = width
        finally:
            self._flowing = False
        if at_end or top >= len(self._starts):
            self._at_end = True
            self.scroll_end(animate=False, x_axis=False)
        else:
            self.scroll_to(y=self._starts[top], animate=False)

    def watch_scroll_y(self, old_value: float, new_value: float) -> None:
        super().watch_scroll_y(old_value, new_value)
        if not self._flowing:
            self._at_end = new_value >= self.max_scroll_y

    def on_resize(self, event: Resize) -> None:
        # RichLog's own handler, which would run after this one, is what lets it write at all.
        super().on_resize(event)
        self._sized = True
        if self.scrollable_content_region.width != self._flowed_width:
            self._flow(at_end=self._at_end)
        elif self._at_end:
            self.scroll_end(animate=False, x_axis=False)     # shorter, and the last lines would drop out of view


class EventLog(FlowingLog):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.shown: list[Event] = []

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        # What would have readied a turn after the game's last no longer matters (as in the CLI's log).
        events = [e for e in view.events if view.running or e.kind not in PREPARATION or e.turn < view.turn]
        self.shown = events
        by_turn: dict[int, list[Event]] = {}
        for event in events:
            by_turn.setdefault(event.turn, []).append(event)
        entries: list[RenderableType] = []
        for turn, group in by_turn.items():
            # A reveal once the game is over is logged for the turn after the last, which was never played.
            played = view.turn - 1
            heading = (f"After the game (after turn {played})" if after_the_game(turn, played, not view.running)
                       else f"Turn {turn} · {day(view.date_of(turn))}")
            entries.append(Text(f"── {heading} ──", "bold"))
            # Moves lapsing and capacity coming on line before anyone moves, under a heading of their own: they
            # would otherwise read as the consequences of the last event before them.
            readied = [e for e in group if e.kind in PREPARATION]
            if readied:
                entries.append(Text("Before the turn", "italic"))
                entries.extend(self._line(view, event) for event in readied)
                if len(readied) < len(group):
                    entries.append(Text("During the turn", "italic"))
            entries.extend(self._line(view, event) for event in group if event.kind not in PREPARATION)
        if not events:
            entries.append(Text("Nothing has happened yet.", "dim"))
        self.show(entries)

    @staticmethod
    def _line(view: PlayerView, event: Event) -> RenderableType:
        return event_line(event, view.actor, names=view.labels, last_turn=view.turn_limit)
