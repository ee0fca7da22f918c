"""Measure a ruleset against the calibration targets of ../shared/reference/rare-earths.md.

`wargame calibrate [RULESET]` runs the model and prints each target next to what the model produced.
The targets apply to rulesets of the January 2026 crisis that ship the scripts in rulesets/scripts/.
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from pathlib import Path

from .model import WargameModel
from .ruleset import Ruleset
from .scripts import load_script, script_from_text

SCRIPTS = Path(__file__).resolve().parent.parent / "rulesets" / "scripts"
NRI_13_WEEKS_JPY = 660e9
NRI_52_WEEKS_JPY = 2.6e12


@dataclass(frozen=True)
class Measure:
    name: str
    target: str
    measured: str
    ok: bool


def import_shares(rules: Ruleset, turns: int = 4) -> tuple[float, float]:
    """Mean share of Japan's rare-earth imports (by volume) and of its heavy rare earths that come from China,
    over the first turns of a game in which nobody moves."""
    model = WargameModel(rules, rng=0, script=script_from_text("hold: all\n", rules), turns=turns)
    shares, heavy = [], []
    while model.running:
        model.step()
        shares.append(model.state.indicators["japan_import_share_china"])
        heavy.append(model.state.indicators["japan_heavy_share_china"])
    return statistics.mean(shares), min(heavy)


def runway_weeks(rules: Ruleset, seeds=range(5), node: str = "jp_magnet_makers") -> list[int | None]:
    """The week in which the magnet maker's output first falls after China stops heavy rare earths and magnets."""
    script = load_script(SCRIPTS / "heavy_stop.yaml", rules)
    weeks = []
    for seed in seeds:
        model = WargameModel(rules, rng=seed, script=script, turns=20)
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
        Measure("heavy rare earths from China", "~100%", f"{heavy:.1%}", heavy >= 0.99),
        Measure("magnet maker's runway", "output falls in week 7-10",
                f"week {', '.join(str(w) for w in sorted(set(weeks)))}", all(w and 7 <= w <= 10 for w in weeks)),
        Measure("loss after 13 weeks, no mitigation", "¥660 bn ±15%",
                f"¥{l13 / 1e9:,.0f} bn ({pct(l13, NRI_13_WEEKS_JPY)})", abs(l13 / NRI_13_WEEKS_JPY - 1) <= 0.15),
        Measure("loss after 52 weeks, no mitigation", "¥2.6 tn ±15% (0.43% of GDP)",
                f"¥{l52 / 1e12:,.2f} tn ({pct(l52, NRI_52_WEEKS_JPY)}; {l52 / gdp:.2%} of GDP)",
                abs(l52 / NRI_52_WEEKS_JPY - 1) <= 0.15),
        Measure("loss after 52 weeks, Japan and partners respond", "clearly lower",
                f"¥{m52 / 1e12:,.2f} tn ({m52 / l52 - 1:+.0%} against no mitigation)", m52 < 0.85 * l52),
    ]
