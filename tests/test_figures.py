"""Amounts of money as every front end writes them: one rule for yen and one for dollars."""

from __future__ import annotations

import pytest

from wargame.figures import dollars, musd_as_typed, usd, yen
from wargame.indicators import NAMES

YEN = [
    (0, "¥0.0 bn"),
    (-0.0, "¥0.0 bn"),
    (-4e7, "¥0.0 bn"),              # rounds to nothing: no sign on it
    (1.5e9, "¥1.5 bn"),             # a move's cost a turn: a tenth of a billion still tells
    (-1.5e9, "−¥1.5 bn"),
    (99.94e9, "¥99.9 bn"),
    (99.96e9, "¥100 bn"),           # would round to 100.0: whole billions from ¥100 bn
    (100e9, "¥100 bn"),
    (660.4e9, "¥660 bn"),
    (-250e9, "−¥250 bn"),
    (999.4e9, "¥999 bn"),
    (999.6e9, "¥1.00 tn"),          # would round to ¥1,000 bn: a trillion
    (1e12, "¥1.00 tn"),
    (2.614e12, "¥2.61 tn"),
    (-1.2e12, "−¥1.20 tn"),
    (1234.5e12, "¥1,234.50 tn"),
]

USD = [
    (0, "$0.0 m"),
    (-2e4, "$0.0 m"),
    (12.5e6, "$12.5 m"),
    (-12.5e6, "−$12.5 m"),
    (99.94e6, "$99.9 m"),
    (99.96e6, "$100 m"),
    (320e6, "$320 m"),
    (999.4e6, "$999 m"),
    (999.6e6, "$1.00 bn"),
    (1e9, "$1.00 bn"),
    (-3.456e9, "−$3.46 bn"),
    (12_345e9, "$12,345.00 bn"),
]


@pytest.mark.parametrize(("amount", "text"), YEN, ids=[t for _, t in YEN])
def test_yen(amount, text):
    assert yen(amount) == text


@pytest.mark.parametrize(("amount", "text"), USD, ids=[t for _, t in USD])
def test_usd(amount, text):
    assert usd(amount) == text


@pytest.mark.parametrize(("price", "text"), [(1.5, "$1.50"), (9.994, "$9.99"), (10, "$10"), (1234.4, "$1,234")])
def test_a_price_in_dollars_has_cents_only_where_they_tell(price, text):
    assert dollars(price) == text


def test_a_figure_that_is_not_a_number_says_so_rather_than_failing():
    assert yen(float("nan")) == "¥nan bn" and usd(float("inf")) == "$inf m"


@pytest.mark.parametrize(("musd", "text"), [(10, "$10 m"), (2.5, "$2.5 m"), (25_000, "$25,000 m")])
def test_a_moves_cost_reads_as_its_ruleset_gives_it(musd, text):
    assert musd_as_typed(musd) == text


# An effect's words for a price and an indicator, as the rest of the game words them (figures.dollars,
# indicators.NAMES): (effect as a ruleset gives it, a function of the figure and the indicator's name, the words).
EFFECT_WORDS = [
    ({"op": "price_floor", "commodity": "ce_la", "usd_per_kg": 1.5}, lambda: f"at least {dollars(1.5)}/kg"),
    ({"op": "price_floor", "commodity": "ndpr", "usd_per_kg": 110}, lambda: f"at least {dollars(110)}/kg"),
    ({"op": "adjust", "var": "cohesion", "by": 0.05}, lambda: f"{NAMES['cohesion'].label} +0.05"),
    ({"op": "adjust", "var": "tension", "by": -1}, lambda: f"{NAMES['tension'].sentence} -1"),
]


@pytest.mark.parametrize("raw, words", EFFECT_WORDS, ids=[f"{r['op']}-{i}" for i, (r, _) in enumerate(EFFECT_WORDS)])
def test_an_effect_words_prices_and_indicators_as_the_game_does(rules, raw, words):
    from wargame.instructor import compile_effects

    (effect,) = compile_effects(rules, [raw])
    assert words() in effect.describe()
    assert "$1.5/kg" not in effect.describe()
