"""Key indicators with their history: supply and flows to Japan, prices, output and loss, politics, own stocks.

Each section is one table whose rows end in a sparkline of every turn so far; one widget per section keeps
the tab quick to open however many commodities and sectors a ruleset has.

A sparkline is drawn on a scale of its own quantity, from zero (or the bottom of a bounded measure, such as
relations at −1) to the highest of the turns or the top of the measure, and the row says which: a chart
stretched between its own lowest and highest turns would draw a price drifting by 0.07% as a collapse.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from rich.console import Console, ConsoleOptions, RenderResult
from rich.measure import Measurement
from rich.segment import Segment
from rich.style import Style
from rich.table import Table
from textual.color import Color
from textual.containers import VerticalScroll
from textual.reactive import reactive
from textual.widgets import Static

from wargame.figures import dollars, per_turn, usd, yen
from wargame.indicators import label, short as short_label, titled
from wargame.views import series

from ..game import PlayerView
from ..text import BARS, share, short_name, spark, tonnes


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list[float]
    fmt: Callable[[float], str]
    bounds: tuple[float, float] | None = None   # a measure's own bottom and top (relations −1 to 1); else from 0
    share: bool = False                         # a share of normal, drawn up to 100% at least

    @property
    def scale(self) -> tuple[float, float]:
        """The bottom and top of the row's chart: a fixed range for a bounded measure, otherwise from zero to the
        highest turn (100% at least for a share), so that a height is a share of the whole quantity."""
        if self.bounds is not None:
            low, high = self.bounds
            return min([low, *self.values]), max([high, *self.values])
        return min([0.0, *self.values]), max([1.0 if self.share else 0.0, *self.values])

    @property
    def scale_text(self) -> str:
        low, high = self.scale
        if self.bounds is not None:
            return f"{low:g} to {high:+g}" if low < 0 else f"{low:g}–{high:g}"
        return f"{'0' if low == 0 else self.fmt(low)}–{self.fmt(high)}"


class ScaledSparkline:
    """A sparkline on a given scale, as wide as its column, coloured from `low_color` (the bottom) to
    `high_color` (the top); early in a game each turn gets an equal share of the width."""

    def __init__(self, values: list[float], scale: tuple[float, float], low_color: Color, high_color: Color):
        self.values, self.scale = values, scale
        self.low_color, self.high_color = low_color, high_color

    def __rich_console__(self, console: Console, options: ConsoleOptions) -> RenderResult:
        width = options.max_width
        if len(self.values) < 2:        # one point makes no line: a bar would read as a level
            yield Segment(" " * width)
            return
        wide = [v for v in self.values for _ in range(max(1, width // len(self.values)))]
        line = spark(wide, *self.scale, width=width)
        for bar in line:
            height = BARS.index(bar) / (len(BARS) - 1) if bar in BARS else 0.0
            yield Segment(bar, Style(color=self.low_color.blend(self.high_color, height).rich_color))
        yield Segment(" " * (width - len(line)))

    def __rich_measure__(self, console: Console, options: ConsoleOptions) -> Measurement:
        return Measurement(1, options.max_width)


def _sections(view: PlayerView) -> list[tuple[str, list[Row]]]:
    h = list(view.history)
    last = h[-1] if h else {}
    name = view.labels.get
    node_names = view.node_names.get

    def short(cid: str) -> str:
        # "NdPr oxide/metal" -> NdPr, "Sintered NdFeB magnets" -> NdFeB: the chemist's shorthand if there is one.
        words = name(cid, cid).split(" (")[0].split()
        return next((w for w in words if sum(ch.isupper() for ch in w) >= 2), words[0] if words else cid)

    def node(nid: str) -> str:
        return short_name(node_names(nid, nid))

    short_period, period = per_turn(view.turn_days)

    def per_week(v: float) -> str:
        return f"{tonnes(v)}/{short_period}"

    def weeks(v: float) -> str:
        return f"{v:,.1f} {short_period if short_period == 'wk' else period + 's'}"

    def usd_kg(v: float) -> str:
        return f"{dollars(v)}/kg"

    supply = [Row("supply", label("japan_supply_index"), series(h, "japan_supply_index", default=1.0), share, share=True)]
    supply += [Row(f"imports-{c}", f"To Japan: {short(c)}", series(h, "imports_to_japan", c), per_week)
               for c in last.get("imports_to_japan", {})]
    supply += [Row("share-china", short_label("japan_import_share_china"), series(h, "japan_import_share_china"), share, share=True),
               Row("heavy-china", short_label("japan_heavy_share_china"), series(h, "japan_heavy_share_china"), share,
                   share=True)]
    prices = []
    for c in last.get("price_outside_china", {}):
        prices.append(Row(f"price-in-{c}", f"{short(c)} in China", series(h, "price_inside_china", c), usd_kg))
        prices.append(Row(f"price-out-{c}", f"{short(c)} outside China", series(h, "price_outside_china", c),
                          usd_kg))
    economy = [Row(f"output-{n}", f"Output: {node(n)}", series(h, "sector_output", n), share, share=True)
               for n in last.get("sector_output", {})]
    economy += [Row("gdp-loss", label("japan_gdp_loss_jpy"), series(h, "japan_gdp_loss_jpy"), yen),
                Row("gdp-share", "  " + short_label("japan_gdp_loss_share"), series(h, "japan_gdp_loss_share"),
                    lambda v: f"{v:.3%}"),
                Row("other-loss", label("japan_other_loss_jpy"), series(h, "japan_other_loss_jpy"), yen),
                Row("china-loss", label("china_export_loss_usd"), series(h, "china_export_loss_usd"), usd)]
    politics = [Row("tension", titled("tension", f"0 to {view.tension_max:g}"), series(h, "tension"), view.tension_text, (0.0, view.tension_max)),
                Row("cohesion", label("cohesion"), series(h, "cohesion"), lambda v: f"{v:.2f}", (0.0, 1.0))]
    for pair in last.get("relations", {}):
        a, _, b = pair.partition("|")
        politics.append(Row(f"rel-{a}-{b}", f"Relations {name(a, a)}–{name(b, b)}", series(h, "relations", pair),
                            lambda v: f"{v:+.2f}", (-1.0, 1.0)))
    politics.append(Row("diversification", label("diversification_tpw"), series(h, "diversification_tpw"),
                        per_week))
    # What Japan's industry holds, in turns (weeks) of its normal use: public (the national stockpile is not in it).
    cover = [Row(f"cover-{c}", f"Stock of {short(c)}", series(h, "japan_stock_weeks", c), weeks)
             for c in last.get("japan_stock_weeks", {})]
    sections = [("Supply to Japan", supply), (f"Japanese industry's stocks, in {period}s of normal use", cover),
                ("Prices", prices), ("Output and losses", economy), ("Politics", politics)]
    if view.stocks:
        stocks = [Row(f"stock-{nid}-{c}", f"{node(nid)}: {short(c)}", values, tonnes)
                  for (nid, c), values in view.stocks.items()]
        sections.append(("Your stocks (private)", stocks))
    return [(title, rows) for title, rows in sections if rows]


class IndicatorSection(Static):
    """One titled table of indicators: name, latest value, a sparkline of its history and the sparkline's scale."""

    def show(self, title: str, rows: list[Row], low: Color, high: Color, widths: tuple[int, int] = (11, 0)) -> None:
        """`widths`: the value and scale columns' widths, the same in every section so that their columns line up."""
        table = Table(box=None, expand=True, pad_edge=False, show_header=False, title=title, title_justify="left",
                      title_style="bold")
        table.add_column("indicator", ratio=3, no_wrap=True, overflow="ellipsis")
        table.add_column("value", justify="right", no_wrap=True, min_width=widths[0])
        table.add_column("history", ratio=2, no_wrap=True, max_width=40)
        table.add_column("scale", no_wrap=True, style="dim", min_width=widths[1])
        for row in rows:
            table.add_row(row.label, value_text(row), ScaledSparkline(row.values, row.scale, low, high), row.scale_text)
        self.update(table)


def value_text(row: Row) -> str:
    return row.fmt(row.values[-1]) if row.values else "—"


class IndicatorPanel(VerticalScroll):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        sections = _sections(view)
        existing = list(self.query(IndicatorSection))
        if len(existing) != len(sections):
            self.remove_children()
            existing = [IndicatorSection(classes="indicator-section") for _ in sections]
            self.mount_all(existing)
        theme = self.app.current_theme
        high = Color.parse(theme.accent or theme.primary)
        low = high.darken(0.3)
        every = [row for _, rows in sections for row in rows]
        widths = (max([11, *(len(value_text(r)) for r in every)]), max([0, *(len(r.scale_text) for r in every)]))
        for widget, (title, rows) in zip(existing, sections):
            widget.show(title, rows, low, high, widths)
