"""Numbers and dates written the way the turn screen shows them."""

from __future__ import annotations

import datetime as dt


def yen(amount: float) -> str:
    if abs(amount) >= 1e12:
        return f"¥{amount / 1e12:,.2f} tn"
    return f"¥{amount / 1e9:,.1f} bn"


def usd_m(amount: float) -> str:
    return f"${amount / 1e6:,.0f} m"


def tonnes(amount: float) -> str:
    if abs(amount) >= 100:
        return f"{amount:,.0f} t"
    return f"{amount:,.1f} t"


def share(value: float) -> str:
    return f"{value:.0%}"


def day(date: dt.date | str) -> str:
    if isinstance(date, str):
        date = dt.date.fromisoformat(date)
    return f"{date.day} {date:%b %Y}"


def signed(value: float, digits: int = 2) -> str:
    return f"{value:+.{digits}f}"


BARS = "▁▂▃▄▅▆▇█"


def spark(values: list[float | None], low: float, high: float, width: int | None = None) -> str:
    """A sparkline on a given scale, so that two series drawn on one scale can be compared by eye.

    Longer series are squeezed into `width` cells by averaging neighbours; missing values leave a gap.
    """
    if width is not None and width > 0 and len(values) > width:
        squeezed: list[float | None] = []
        for i in range(width):
            chunk = [v for v in values[i * len(values) // width:(i + 1) * len(values) // width] if v is not None]
            squeezed.append(sum(chunk) / len(chunk) if chunk else None)
        values = squeezed
    span = high - low
    out = []
    for v in values:
        if v is None:
            out.append(" ")
        elif span <= 0:
            out.append(BARS[0])
        else:
            out.append(BARS[min(len(BARS) - 1, max(0, int((v - low) / span * (len(BARS) - 1) + 0.5)))])
    return "".join(out)
