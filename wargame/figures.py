"""How the game writes its figures wherever a person reads them: amounts of yen and dollars, what a figure per
turn is per, tension beside its rung, and a number as it was typed. Light on purpose: the terminal UI imports
them before its first screen, and the engine after."""

from __future__ import annotations

import math
from collections.abc import Iterable


def per_turn(turn_days: int) -> tuple[str, str]:
    """What a figure per turn is per, short and long: a week ('wk', 'week') for the usual 7-day turn, a day for
    a 1-day turn, else a turn — rulesets set turn_days, and flows, capacities and lead times are per turn."""
    return {7: ("wk", "week"), 1: ("day", "day")}.get(turn_days, ("turn", "turn"))


def tension_rounded(tension: float, ladder: Iterable[tuple[float, str]], places: int) -> float:
    """Tension rounded to `places` decimals, but never up onto the level of a rung of `ladder` ((level, name)
    pairs) it has not reached: 7.9996 is 7.999 to three places on a ladder with a rung at 8, not 8.0, which would
    read as the rung above the one it is on."""
    rounded = round(tension, places)
    if any(tension < level <= rounded for level, _ in ladder):
        scale = 10 ** places
        rounded = math.floor(tension * scale) / scale
    return rounded


def tension_text(tension: float, ladder: Iterable[tuple[float, str]]) -> str:
    """Tension to two decimals, as shown beside its rung on `ladder` (see tension_rounded)."""
    return f"{tension_rounded(tension, ladder, 2):.2f}"


def as_typed(x: float) -> str:
    """A number as a person typed it: whole numbers in full (1000; 1,000,000 rather than 1e+06), others to six
    significant figures."""
    if float(x).is_integer() and abs(x) < 1e15:
        return f"{int(x):,}" if abs(x) >= 10_000 else str(int(x))
    return f"{x:.6g}"


def yen(amount: float) -> str:
    """An amount of yen as a person reads it: trillions to two decimals from ¥1 tn, else billions, whole from
    ¥100 bn and to one decimal below it ('¥2.61 tn', '¥660 bn', '¥1.5 bn')."""
    return _money("¥", amount, 1e12, "tn", 1e9, "bn")


def usd(amount: float) -> str:
    """An amount of US dollars as a person reads it, by yen's rule: '$1.25 bn', '$300 m', '$12.5 m'."""
    return _money("$", amount, 1e9, "bn", 1e6, "m")


def musd_as_typed(musd: float) -> str:
    """Millions of dollars as a ruleset gives them, a move's cost ('$10 m', '$2.5 m'): a figure someone chose,
    not a measured amount, so without the decimal usd would give it."""
    return f"${as_typed(musd)} m"


def dollars(price: float) -> str:
    """A price in dollars (a kg, say): cents below $10, where the light rare earths sell ($1.50 for cerium), whole
    dollars from there ('$85')."""
    return f"${price:,.2f}" if price < 10 else f"${price:,.0f}"


def _money(symbol: str, amount: float, big: float, big_name: str, small: float, small_name: str) -> str:
    size = abs(amount)
    # The unit and the decimals follow the figure as written, so that ¥999.7 bn, which would round to
    # '¥1,000 bn', reads '¥1.00 tn', and ¥99.97 bn reads '¥100 bn' rather than '¥100.0 bn'.
    if not math.isfinite(size):
        text = f"{size} {small_name}"
    elif round(size / small) >= big / small:
        text = f"{size / big:,.2f} {big_name}"
    elif round(size / small, 1) >= 100:
        text = f"{size / small:,.0f} {small_name}"
    else:
        text = f"{size / small:,.1f} {small_name}"
    # A loss that rounds to nothing has no sign: '¥0.0 bn', not '−¥0.0 bn'.
    sign = "−" if amount < 0 and (math.isinf(amount) or any(ch in "123456789" for ch in text)) else ""
    return f"{sign}{symbol}{text}"
