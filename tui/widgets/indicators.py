"""Key indicators with their history: supply and flows to Japan, prices, output and loss, politics, own stocks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from textual.app import ComposeResult
from textual.containers import Horizontal, VerticalScroll
from textual.reactive import reactive
from textual.widgets import Label, Sparkline

from wargame.views import series

from ..game import PlayerView
from ..text import share, tonnes, usd_m, yen


@dataclass(frozen=True)
class Row:
    key: str
    label: str
    values: list[float]
    fmt: Callable[[float], str]


class IndicatorRow(Horizontal):
    """One indicator: its name, its latest value and a sparkline of every turn so far."""

    def __init__(self, row: Row):
        super().__init__(id=f"ind-{row.key}", classes="indicator")
        self.row = row

    def compose(self) -> ComposeResult:
        yield Label(self.row.label, classes="ind-label")
        yield Label("", classes="ind-value")
        yield Sparkline([], classes="ind-spark")

    def on_mount(self) -> None:
        self.show(self.row)

    def show(self, row: Row) -> None:
        self.row = row
        self.query_one(".ind-value", Label).update(row.fmt(row.values[-1]) if row.values else "—")
        # One point makes no line: a full bar would read as a maximum.
        self.query_one(Sparkline).data = row.values if len(row.values) > 1 else []


def _sections(view: PlayerView) -> list[tuple[str, list[Row]]]:
    h = list(view.history)
    last = h[-1] if h else {}
    name = view.labels.get
    node_names = view.node_names.get

    def short(cid: str) -> str:
        # "NdPr oxide/metal" -> NdPr, "Sintered NdFeB magnets" -> NdFeB: the chemist's shorthand if there is one.
        words = name(cid, cid).split(" (")[0].split()
        return next((w for w in words if sum(ch.isupper() for ch in w) >= 2), words[0] if words else cid)

    def per_week(v: float) -> str:
        return f"{tonnes(v)}/wk"

    def usd_kg(v: float) -> str:
        return f"${v:,.2f}/kg" if v < 10 else f"${v:,.0f}/kg"

    supply = [Row("supply", "Japan's supply index", series(h, "japan_supply_index", default=1.0), share)]
    supply += [Row(f"imports-{c}", f"To Japan: {short(c)}", series(h, "imports_to_japan", c), per_week)
               for c in last.get("imports_to_japan", {})]
    supply += [Row("share-china", "Rare earths from China", series(h, "japan_import_share_china"), share),
               Row("heavy-china", "Heavy rare earths from China", series(h, "japan_heavy_share_china"), share)]
    prices = []
    for c in last.get("price_outside_china", {}):
        prices.append(Row(f"price-in-{c}", f"{short(c)} in China", series(h, "price_inside_china", c), usd_kg))
        prices.append(Row(f"price-out-{c}", f"{short(c)} outside China", series(h, "price_outside_china", c),
                          usd_kg))
    economy = [Row(f"output-{n}", f"Output: {node_names(n, n).split(' (')[0]}", series(h, "sector_output", n), share)
               for n in last.get("sector_output", {})]
    economy += [Row("gdp-loss", "Japan's GDP loss, total", series(h, "japan_gdp_loss_jpy"), yen),
                Row("gdp-share", "  as a share of a year's GDP", series(h, "japan_gdp_loss_share"),
                    lambda v: f"{v:.3%}"),
                Row("other-loss", "Japan's other losses", series(h, "japan_other_loss_jpy"), yen),
                Row("china-loss", "China's lost exports", series(h, "china_export_loss_usd"), usd_m)]
    politics = [Row("tension", "Tension", series(h, "tension"), lambda v: f"{v:.2f}"),
                Row("cohesion", "G7 cohesion", series(h, "cohesion"), lambda v: f"{v:.2f}")]
    for pair in last.get("relations", {}):
        a, _, b = pair.partition("|")
        politics.append(Row(f"rel-{a}-{b}", f"Relations {name(a, a)}–{name(b, b)}", series(h, "relations", pair),
                            lambda v: f"{v:+.2f}"))
    politics.append(Row("diversification", "Supply committed outside China", series(h, "diversification_tpw"),
                        per_week))
    sections = [("Supply to Japan", supply), ("Prices", prices), ("Output and losses", economy),
                ("Politics", politics)]
    if view.actor is not None:
        stocks = [Row(f"stock-{node}-{c}", f"{node_names(node, node).split(' (')[0]}: {short(c)}", values, tonnes)
                  for (node, c), values in view.stocks.items()]
        sections.append(("Your stocks (private)", stocks))
    return sections


class IndicatorPanel(VerticalScroll):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        sections = _sections(view)
        keys = [("title", title) for title, _ in sections] + [(row.key, "") for _, rows in sections for row in rows]
        if keys != getattr(self, "_keys", None):
            self._keys = keys
            self.remove_children()
            widgets = []
            for title, rows in sections:
                widgets.append(Label(title, classes="panel-title"))
                widgets.extend(IndicatorRow(row) for row in rows)
                if not rows:
                    widgets.append(Label("none of your own", classes="hint"))
            self.mount_all(widgets)
            return
        for _, rows in sections:
            for row in rows:
                self.query_one(f"#ind-{row.key}", IndicatorRow).show(row)
