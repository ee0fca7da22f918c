"""The turn screen's panels as a player reads them: objectives whose arrows agree with their labels, choices the
Moves tab refuses on the spot, indicator charts that do not make noise look like news, and a trade table that
fits 80 columns."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

pytest.importorskip("textual")

from tui.app import WargameApp  # noqa: E402
from tui.widgets.objectives import Objectives  # noqa: E402
from gamekit import tokyo_holding  # noqa: E402
from tuikit import plain, running  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.figures import usd  # noqa: E402
from wargame.views import objective_standings  # noqa: E402

RULESETS = sorted((Path(__file__).parent.parent / "rulesets").glob("*.yaml"))


@pytest.mark.parametrize("ruleset", RULESETS, ids=lambda p: p.stem)
def test_an_objective_wanted_lower_against_its_weight_is_labelled_as_the_loss_it_shows(ruleset):
    """A positive weight means the actor wants more of what the objective measures. Where its row wants the
    figure lower, the figure must be the opposite — a loss — and its label must say so, or the arrow reads
    backwards ('▼ China's rare-earth exports')."""
    model = WargameModel(ruleset, rng=1)
    opening = dict(model.state.indicators)
    model.step()
    rows = 0
    for actor in model.rules.actor_ids:
        for s in objective_standings(model, actor, opening):
            if s.wants == "shown":
                continue
            rows += 1
            against = (s.weight > 0) != (s.wants == "higher")
            assert against == ("lost" in s.label), (actor, s.label, s.weight, s.wants)
    assert rows


def test_beijings_objectives_want_chinas_lost_exports_lower(tmp_path):
    model = WargameModel(rng=7, humans=("beijing",), turns=4)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("1")
            await pilot.pause()
            return plain(app.screen.query_one(Objectives))

    row = next(line for line in asyncio.run(scenario()).splitlines() if "exports" in line)
    assert row.split()[0] == "▼" and "China's lost rare-earth exports" in row, row
    assert row.split()[-2:] == usd(0).split(), row          # the loss itself: nothing lost before turn 1


def moves_tab_after(tmp_path, model: WargameModel, moves: list[str]):
    """Tick `moves` one by one on Tokyo's Moves tab at 80×24; returns what was chosen, the box under the list and
    the screen's lines."""
    from textual.widgets import OptionList

    from tui.widgets.moves import MovePicker
    from tuikit import screen_lines

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(80, 24)) as pilot:
            await pilot.press("2")
            listing = app.screen.query_one("#move-list", OptionList)
            for move in moves:
                listing.highlighted = listing.get_option_index(move)
                await pilot.press("space")
            await pilot.pause()
            picker = app.screen.query_one(MovePicker)
            return picker.chosen, plain(app.screen.query_one("#move-chosen")), screen_lines(app)

    return asyncio.run(scenario())


def test_a_move_beyond_the_moves_a_turn_is_refused_as_it_is_ticked(tmp_path):
    model = WargameModel(rng=7, humans=("tokyo",), turns=4)
    limit = model.rules.actors["tokyo"].moves_per_turn
    cheapest = sorted(model.legal_moves("tokyo"), key=lambda m: (model.rules.moves[m].capital, m))[:limit + 1]
    chosen, box, screen = moves_tab_after(tmp_path, model, cheapest)
    assert chosen == tuple(cheapest[:limit])
    assert box.startswith(f"Chosen {limit} (up to {limit})")
    reason = f"Not chosen: Tokyo may play at most {limit} moves a turn; unchoose one first"
    assert reason in " ".join(box.split())
    assert "Not chosen: Tokyo may play at" in "\n".join(screen)     # on screen at 80×24, not cut off below
    # Unticking one makes room again.
    chosen, box, _ = moves_tab_after(tmp_path, WargameModel(rng=7, humans=("tokyo",), turns=4),
                                     cheapest + [cheapest[0], cheapest[-1]])
    assert chosen == (cheapest[1], cheapest[-1]) and "Not chosen" not in box


def test_a_move_beyond_the_capital_left_is_refused_as_it_is_ticked(tmp_path):
    model = WargameModel(rng=7, humans=("tokyo",), turns=4)
    model.state.capital["tokyo"] = 5.0          # enough for either move below, not for both
    first, second = "counter_export_controls", "deep_sea_mud_programme"
    assert {first, second} <= set(model.legal_moves("tokyo"))
    cost = model.rules.moves[first].capital + model.rules.moves[second].capital
    assert cost > 5.0
    chosen, box, _ = moves_tab_after(tmp_path, model, [first, second])
    assert chosen == (first,)
    assert f"Not chosen: with it, these moves cost {cost:g} political capital; Tokyo has 5.0" in " ".join(box.split())
    assert model.order_problems("tokyo", [first, second])          # what the engine would refuse at End turn


def drawn(row, width: int = 20) -> str:
    """A row's sparkline as the Indicators tab draws it, `width` cells wide."""
    import io

    from rich.console import Console
    from textual.color import Color

    from tui.widgets.indicators import ScaledSparkline

    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(ScaledSparkline(row.values, row.scale, Color(0, 0, 0), Color(255, 255, 255)))
    return console.export_text().rstrip()


def indicator(values, fmt=lambda v: f"${v:,.2f}/kg", **kwargs):
    from tui.widgets.indicators import Row

    return Row("row", "a row", list(values), fmt, **kwargs)


@pytest.mark.parametrize("values, kwargs, scale, text", [
    ([110.0, 110.077, 110.01, 110.05], {}, (0.0, 110.077), "0–$110.08/kg"),          # a price: from zero
    ([0.9, 1.4, 0.3], {"share": True}, (0.0, 1.4), "0–140%"),                        # a share past normal
    ([0.9, 0.95], {"share": True}, (0.0, 1.0), "0–100%"),                            # ...up to 100% at least
    ([-0.2, -0.25], {"bounds": (-1.0, 1.0)}, (-1.0, 1.0), "-1 to +1"),               # relations
    ([4.0, 4.1], {"bounds": (0.0, 10.0)}, (0.0, 10.0), "0–10"),                      # tension
    ([0.0, 0.0], {}, (0.0, 0.0), "0–$0.00/kg"),                                      # nothing yet
])
def test_an_indicators_chart_runs_from_zero_or_its_measures_bounds(values, kwargs, scale, text):
    fmt = (lambda v: f"{v:.0%}") if kwargs.get("share") else (lambda v: f"${v:,.2f}/kg")
    row = indicator(values, fmt, **kwargs)
    assert row.scale == scale and row.scale_text == text


def test_a_price_drifting_by_a_fraction_of_a_percent_draws_flat_and_a_real_fall_draws_as_one():
    drift = drawn(indicator([110.0, 110.077, 109.99, 110.05, 110.02]))
    assert len(set(drift)) == 1, drift                      # a 0.07% wobble: one height all along
    fall = drawn(indicator([110.0, 110.0, 55.0, 55.0]))
    assert fall[0] == "█" and fall[-1] in "▄▅", fall        # halved: drawn at half the height
    steady_share = drawn(indicator([0.99, 1.0, 0.995], lambda v: f"{v:.0%}", share=True))
    assert set(steady_share) == {"█"}, steady_share


def test_the_indicators_tab_shows_each_charts_scale_at_80_columns(tmp_path):
    from tui.widgets.indicators import IndicatorSection
    from tuikit import screen_lines

    model = tokyo_holding(3, rng=7, turns=6)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(80, 24)) as pilot:
            await pilot.press("escape", "3")
            await pilot.pause()
            return screen_lines(app), [plain(s) for s in app.screen.query(IndicatorSection)]

    screen, sections = asyncio.run(scenario())
    supply = next(line for line in screen if line.lstrip().startswith("Japan's supply index"))
    top = max(r.indicators["japan_supply_index"] for r in model.reports)
    assert supply.rstrip().endswith(f"0–{max(1.0, top):.0%}"), supply
    tension = next(line for s in sections for line in s.splitlines() if line.startswith("Tension"))
    assert tension.rstrip().endswith(f"0–{model.rules.politics['tension_max']:g}"), tension


def test_the_trade_table_fits_80_columns_with_node_names_licences_and_a_share_of_normal_flow(tmp_path):
    from textual.widgets import DataTable

    from tuikit import screen_lines

    actors = WargameModel(rng=7).rules.actor_ids       # all holding: the licensed routes stay open
    model = WargameModel(rng=7, humans=("tokyo",), turns=4, policies={a: "hold" for a in actors if a != "tokyo"})
    model.submit("tokyo", [])
    model.step()
    names = {n.id: n.name.split(" (")[0] for n in model.rules.network.nodes}

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(80, 24)) as pilot:
            await pilot.press("escape", "4", "j")          # past the report, to the routes into Japan
            await pilot.pause()
            table = app.screen.query_one("#edges", DataTable)
            panel = app.screen.query_one("#trade-panel")
            headers = [str(c.label) for c in table.columns.values()]
            cells = [[c.plain if hasattr(c, "plain") else str(c) for c in table.get_row_at(i)]
                     for i in range(table.row_count)]
            return headers, cells, panel.rows(), table.max_scroll_x, screen_lines(app)

    headers, cells, rows, max_scroll_x, screen = asyncio.run(scenario())
    assert headers == ["Route", "Good", "Cap/wk", "Flow/wk", "Of normal", "Licence"]
    assert max_scroll_x == 0                                   # nothing off to the right
    shown = "\n".join(screen)
    assert "Of normal" in shown and "Licence" in shown
    for row, (route, good, *_, licence) in zip(rows, cells):
        assert route.replace("\n", " ") == f"{names[row.src]} → {names[row.dst]}"
        assert row.src not in route and good == row.good
        assert licence == row.licence
    licensed = next(r for r in rows if r.licensed and r.factor > 0)
    on_screen = [line for line in screen if line.lstrip().startswith(names[licensed.src])]
    assert any(line.rstrip().endswith(licensed.licence) for line in on_screen), on_screen


@pytest.mark.parametrize("move, lasting", [
    ("formal_protest", "One-off · public"),
    ("release_national_stockpile", "In force for 12 turns · public"),
    ("recycling_programme", "In force until cancelled · public"),
    ("back_channel_talks", "In force for 3 turns · private: the other players are not told of it"),
])
def test_the_move_preview_says_how_long_a_move_lasts_and_who_sees_it_without_its_id(tmp_path, move, lasting):
    from textual.widgets import OptionList

    model = WargameModel(rng=7, humans=("tokyo",), turns=20)
    spec = model.rules.moves[move]

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("2")
            listing = app.screen.query_one("#move-list", OptionList)
            listing.highlighted = listing.get_option_index(move)
            await pilot.pause()
            return plain(app.screen.query_one("#move-preview")).splitlines()

    preview = asyncio.run(scenario())
    assert preview[0].strip() == spec.name and lasting in preview
    assert not any(move in line for line in preview)


@pytest.mark.parametrize("size", [(80, 24), (100, 30), (120, 40)])
def test_the_indicators_values_and_charts_line_up_from_one_section_to_the_next(tmp_path, size):
    import re

    from tuikit import screen_lines

    model = tokyo_holding(3, rng=0, turns=6)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=size) as pilot:
            await pilot.press("escape", "3")
            await pilot.pause()
            return screen_lines(app)

    screen = asyncio.run(scenario())
    # Where each indicator's chart starts: the stocks (in weeks) and the prices (a kg) must start where the flows do.
    starts = {}
    for line in screen:
        found = re.search(r"  [▁▂▃▄▅▆▇█]{4}", line)
        if found and ("Stock of" in line or "/kg" in line or "To Japan" in line):
            starts[line.split("  ")[0].strip()] = found.start()
    assert any(k.startswith("Stock of") for k in starts) and any(k.startswith("To Japan") for k in starts), screen
    assert len(set(starts.values())) == 1, starts
