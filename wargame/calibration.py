"""Measure a ruleset against the calibration targets of ../shared/reference/rare-earths.md.

`wargame calibrate [RULESET]` runs the model and prints each target next to what the model produced.
The targets apply to rulesets of the January 2026 crisis that ship the scripts in rulesets/scripts/.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from .figures import yen
from .model import WargameModel
from .ruleset import Ruleset
from .scripts import load_script, script_from_text

SCRIPTS = Path(__file__).resolve().parent.parent / "rulesets" / "scripts"
NRI_13_WEEKS_JPY = 660e9
NRI_52_WEEKS_JPY = 2.6e12
RUNWAY_TURNS = 20          # how long runway_weeks watches for the fall


@dataclass(frozen=True)
class Measure:
    name: str
    target: str
    measured: str
    ok: bool


def import_shares(rules: Ruleset, turns: int = 4) -> tuple[float, float | None]:
    """Mean share of Japan's rare-earth imports (by volume) that come from China, and the least share of its
    heavy rare earths, over the first turns of a game in which nobody moves. The heavy share counts only turns
    in which Japan imports heavy rare earths at all (None if it imports none): the indicator reads 0 on a turn
    with no such imports, which is no share at all."""
    model = WargameModel(rules, rng=0, script=script_from_text("hold: all\n", rules), turns=turns)
    heavy_ids = [c.id for c in rules.network.commodities if c.group == "heavy" and c.counts_as_rare_earth]
    shares, heavy = [], []
    while model.running:
        model.step()
        indicators = model.state.indicators
        shares.append(indicators["japan_import_share_china"])
        if sum(indicators["imports_to_japan"].get(c, 0.0) for c in heavy_ids) > 0:
            heavy.append(indicators["japan_heavy_share_china"])
    return statistics.mean(shares), (min(heavy) if heavy else None)


def runway_weeks(rules: Ruleset, seeds=range(5), node: str = "jp_magnet_makers") -> list[int | None]:
    """The week in which the magnet maker's output first falls after China stops heavy rare earths and magnets."""
    script = load_script(SCRIPTS / "heavy_stop.yaml", rules)
    weeks = []
    for seed in seeds:
        model = WargameModel(rules, rng=seed, script=script, turns=RUNWAY_TURNS)
        week = None
        while model.running and week is None:
            model.step()
            if model.state.indicators["sector_output"][node] < 0.999:
                week = model.state.turn
        weeks.append(week)
    return weeks


def mean_losses(rules: Ruleset, script_name: str, seeds) -> tuple[float, float]:
    """Mean cumulative loss (yen) after 13 and 52 weeks under one of the calibration scripts."""
    script = load_script(SCRIPTS / script_name, rules)
    at13, at52 = [], []
    for seed in seeds:
        model = WargameModel(rules, rng=seed, script=script, turns=52)
        while model.running:
            model.step()
            if model.state.turn == 13:
                at13.append(model.state.japan_gdp_loss_jpy)
        at52.append(model.state.japan_gdp_loss_jpy)
    return statistics.mean(at13), statistics.mean(at52)


def measure(rules: Ruleset, seeds: int = 100) -> list[Measure]:
    share, heavy = import_shares(rules)
    weeks = runway_weeks(rules)
    l13, l52 = mean_losses(rules, "full_stop.yaml", range(seeds))
    _, m52 = mean_losses(rules, "full_stop_mitigated.yaml", range(max(10, seeds // 2)))
    gdp = rules.economy["japan_gdp_jpy_per_year"]

    def pct(x: float, target: float) -> str:
        return f"{(x / target - 1):+.1%}"

    return [
        Measure("imports from China (volume)", "~72%", f"{share:.1%}", abs(share - 0.72) <= 0.02),
        Measure("heavy rare earths from China", "~100%",
                f"{heavy:.1%}" if heavy is not None else "none imported in weeks 1-4",
                heavy is not None and heavy >= 0.99),
        Measure("magnet maker's runway", "output falls in week 7-10", _weeks_text(weeks),
                all(w is not None and 7 <= w <= 10 for w in weeks)),
        Measure("loss after 13 weeks, no mitigation", "¥660 bn ±15%",
                f"{yen(l13)} ({pct(l13, NRI_13_WEEKS_JPY)})", abs(l13 / NRI_13_WEEKS_JPY - 1) <= 0.15),
        Measure("loss after 52 weeks, no mitigation", "¥2.6 tn ±15% (0.43% of GDP)",
                f"{yen(l52)} ({pct(l52, NRI_52_WEEKS_JPY)}; {l52 / gdp:.2%} of GDP)",
                abs(l52 / NRI_52_WEEKS_JPY - 1) <= 0.15),
        Measure("loss after 52 weeks, Japan and partners respond", "clearly lower",
                f"{yen(m52)} ({m52 / l52 - 1:+.0%} against no mitigation)", m52 < 0.85 * l52),
    ]


def _weeks_text(weeks: list[int | None]) -> str:
    fell = sorted({w for w in weeks if w is not None})
    held = len(weeks) - sum(1 for w in weeks if w is not None)
    parts = [f"week {', '.join(map(str, fell))}"] if fell else []
    if held:
        parts.append(f"not within {RUNWAY_TURNS} weeks in {held} of {len(weeks)} games" if fell
                     else f"not within {RUNWAY_TURNS} weeks")
    return "; ".join(parts)
