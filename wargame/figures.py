"""How the game writes its figures wherever a person reads them: what a figure per turn is per, tension beside
its rung, and a number as it was typed. Light on purpose: the terminal UI imports them before its first screen,
and the engine after."""

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
