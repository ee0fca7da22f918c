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
