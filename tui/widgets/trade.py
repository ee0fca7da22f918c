"""The trade graph as a table: each edge and commodity with its licence state, last turn's flow and use.

Flows are the tonnes the engine shipped on each lane last turn (`state.flows`), so routes without transit time
show theirs too.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from wargame.figures import per_turn
from wargame.views import EdgeRow

from ..game import PlayerView


class TradePanel(Vertical):
    BINDINGS = [Binding("j", "toggle_japan", "Japan only/all")]

    view: reactive[PlayerView | None] = reactive(None, always_update=True)
    japan_only: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        table = DataTable(id="edges", zebra_stripes=True, cursor_type="row")
        table.add_columns(*self._columns())
        yield table
        # Scrolls when a route's details outgrow half the tab (the moves acting on it, at 80 columns).
        with VerticalScroll(id="edge-detail-box"):
            yield Static("", id="edge-detail")

    def watch_view(self, view: PlayerView | None) -> None:
        if view is not None and self.is_mounted:
            table = self.query_one("#edges", DataTable)
            columns = self._columns(view.turn_days)
            if [str(c.label) for c in table.columns.values()] != columns:
                table.clear(columns=True)
                table.add_columns(*columns)
        self._fill()

    @staticmethod
    def _columns(turn_days: int = 7) -> list[str]:
        # Capacities and flows are per turn: per week in the usual 7-day turn. Numbers come before the licence
        # column, which is the widest and is repeated in the panel below.
        short = per_turn(turn_days)[0]
        return ["Route", "Good", f"Cap/{short}", f"Flow/{short}", "Use", "Licence"]

    def watch_japan_only(self, japan_only: bool) -> None:
        self._fill()

    def action_toggle_japan(self) -> None:
        self.japan_only = not self.japan_only

    def rows(self) -> list[EdgeRow]:
        view = self.view
        if view is None:
            return []
        japan = view.japan
        return [r for r in view.edges
                if not self.japan_only or (r.dst_country == japan and r.src_country != japan)]

    def _fill(self) -> None:
        if not self.is_mounted or self.view is None:
            return
        table = self.query_one("#edges", DataTable)
        cursor = table.cursor_row
        table.clear()
        for r in self.rows():
            use = r.utilisation
            licence = Text(r.licence, "bold red" if r.factor < 1 else "yellow" if r.licensed else "")
            table.add_row(f"{r.src} → {r.dst}", r.commodity, f"{r.capacity:,.1f}",
                          "—" if r.flow is None else f"{r.flow:,.1f}", "—" if use is None else f"{use:.0%}",
                          licence, key=f"{r.edge}/{r.commodity}")
        if table.row_count:
            table.move_cursor(row=min(cursor, table.row_count - 1))
        self._detail(cursor if table.row_count else None)

    @on(DataTable.RowHighlighted, "#edges")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.cursor_row)

    def _detail(self, index: int | None) -> None:
        detail = self.query_one("#edge-detail", Static)
        rows = self.rows()
        if index is None or not 0 <= index < len(rows) or self.view is None:
            detail.update("")
            return
        r, name = rows[index], self.view.node_names.get
        text = Text()
        text.append(f"{name(r.src, r.src)} ({r.src_country}) → {name(r.dst, r.dst)} ({r.dst_country})\n", "bold")
        period = per_turn(self.view.turn_days)[1]
        normally = "normally carries nothing" if r.carries_nothing_normally else f"normally {r.normal:,.2f} t a {period}"
        text.append(f"{self.view.labels.get(r.commodity, r.commodity)}; {r.lead_time} {period}{'s' if r.lead_time != 1 else ''} "
                    f"in transit; {normally}")
        if r.licensed:
            text.append(f"; export licence needed ({r.approval:.0%} approved)")
        text.append(f"\nState: {r.licence}", "bold red" if r.factor < 1 else "")
        if r.utilisation is not None:
            text.append(f"; last turn {r.flow:,.1f} t, {r.utilisation:.0%} of normal")
        elif r.flow is not None:
            text.append(f"; last turn {r.flow:,.1f} t")
        if r.moves:
            text.append("\nIn force: " + "; ".join(r.moves), "red")
        if r.flow is None:
            text.append("\nThis game was saved before flows were recorded: they show from the next turn.", "dim")
        title = "Japan-bound edges (j: all)" if self.japan_only else "All edges (j: Japan-bound only)"
        self.query_one("#edge-detail-box").border_title = title
        detail.update(text)
