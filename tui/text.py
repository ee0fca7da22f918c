"""Numbers, dates and table cells written the way the screens show them (amounts of money as everywhere else:
wargame.figures)."""

from __future__ import annotations

import datetime as dt

from rich.table import Table
from rich.text import Text


def who_plays(policy: str) -> str:
    """'played by the doctrine AI', in the engine's words for its policies (wargame.policies.played_by), or
    'replaying its recorded moves' for an actor a what-if branch plays as its parent game did."""
    from wargame.policies import played_by
    return "replaying its recorded moves" if policy == "recorded" else f"played by {played_by(policy)}"


def tonnes(amount: float) -> str:
    if abs(amount) >= 100:
        return f"{amount:,.0f} t"
    return f"{amount:,.1f} t"


def share(value: float) -> str:
    return f"{value:.0%}"


def short_name(name: str) -> str:
    """A node's name without its parenthesis: "Chinese mines (Bayan Obo, southern ionic clays)" -> "Chinese mines"."""
    return name.split(" (")[0]


def day(date: dt.date | str) -> str:
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return f"{date.day} {date:%b %Y}"


def cell(text: str, style: str = "") -> Text:
    """A table cell that ends in "…" where its column cuts it, rather than mid-word as if it were whole
    ("Japanese electronics m"); the table still holds the whole text."""
    return Text(text, style, no_wrap=True, overflow="ellipsis")


def hanging(lead: Text | str, body: Text) -> Table | Text:
    """`lead` (a mark, an arrow, an indent) then `body`, a body too long for its line wrapping under itself rather
    than back under the lead, so a list of them still reads one entry per block."""
    lead = Text(lead) if isinstance(lead, str) else lead
    if not lead.cell_len:
        return body
    grid = Table.grid()
    grid.add_column(width=lead.cell_len, no_wrap=True)
    grid.add_column(ratio=1)
    grid.add_row(lead, body)
    return grid


def signed(value: float, digits: int = 2) -> str:
    return f"{value:+.{digits}f}"


BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[float | None], low: float, high: float, width: int | None = None, rows: int = 1) -> str:
    """A sparkline on a given scale, so that two series drawn on one scale can be compared by eye, and a value
    reads the same whatever the others are; `rows` lines tall.

    Longer series are squeezed into `width` cells by averaging neighbours; missing values leave a gap.
    """
    if width is not None and width > 0 and len(values) > width:
        squeezed: list[float | None] = []
        for i in range(width):
            chunk = [v for v in values[i * len(values) // width:(i + 1) * len(values) // width] if v is not None]
            squeezed.append(sum(chunk) / len(chunk) if chunk else None)
        values = squeezed
    span = high - low
    steps = len(BARS) * rows
    # Each value's height in eighths of a line, from 1 (the lowest bar) to `steps` (every line full).
    heights = [None if v is None else 1 if span <= 0 else
               1 + min(steps - 1, max(0, int((v - low) / span * (steps - 1) + 0.5))) for v in values]
    lines = []
    for row in reversed(range(rows)):
        line = []
        for h in heights:
            part = 0 if h is None else h - row * len(BARS)
            line.append(" " if part <= 0 else BARS[min(part, len(BARS)) - 1])
        lines.append("".join(line))
    return "\n".join(lines)
