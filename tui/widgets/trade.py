"""The trade graph as a table: each edge and commodity with its licence state, last turn's flow and how much of
the normal flow that was.

Flows are the tonnes the engine shipped on each lane last turn (`state.flows`), so routes without transit time
show theirs too. The columns have fixed widths that fit the terminal (80 columns at least): a route's names or a
licence state too long for its column ends in "…", and the panel below gives them whole.
"""

from __future__ import annotations

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical, VerticalScroll
from textual.events import Resize
from textual.reactive import reactive
from textual.widgets import DataTable, Static

from wargame.figures import per_turn
from wargame.views import EdgeRow

from ..game import PlayerView
from ..text import cell, short_name
from .tables import set_columns

# The route's column: narrowest; as wide as it grows before the licence column widens (the most common route into
# Japan, "Chinese separation → Japanese alloy makers", on one line); widest.
ROUTE_WIDTH = (20, 44, 60)
LICENCE_WIDTH = (12, 24)    # "licence 100%" whole at 80 columns; "licence 85%, cut to 50%" where there is room


def number_cell(text: str) -> Text:
    return Text(text, justify="right", no_wrap=True)


def tonnes_cell(amount: float | None) -> Text:
    if amount is None:
        return number_cell("—")
    return number_cell(f"{amount:,.0f}" if abs(amount) >= 100 else f"{amount:,.1f}")


class TradePanel(Vertical):
    BINDINGS = [Binding("j", "toggle_japan", "Japan only/all")]

    view: reactive[PlayerView | None] = reactive(None, always_update=True)
    japan_only: reactive[bool] = reactive(False)

    def compose(self) -> ComposeResult:
        yield DataTable(id="edges", zebra_stripes=True, cursor_type="row")
        # Scrolls when a route's details outgrow half the tab (the moves acting on it, at 80 columns).
        with VerticalScroll(id="edge-detail-box"):
            yield Static("", id="edge-detail")

    def watch_view(self, view: PlayerView | None) -> None:
        self._lay_out()
        self._fill()

    def on_resize(self, event: Resize) -> None:
        if self._lay_out():
            self._fill()

    def _lay_out(self) -> bool:
        """Give the table columns that fit the panel's width; whether they changed."""
        if not self.is_mounted:
            return False
        table = self.query_one("#edges", DataTable)
        licences = max((len(r.licence) for r in self.rows()), default=0)
        columns = self._columns(self.view.turn_days if self.view else 7, self.size.width or self.app.size.width,
                                licences)
        return set_columns(table, columns)

    @staticmethod
    def _columns(turn_days: int, room: int, licences: int = LICENCE_WIDTH[1]) -> list[tuple[str, int]]:
        """(label, width) of each column. Capacities and flows are per turn: per week in the usual 7-day turn.
        The numbers keep their width; the licence state has what its longest needs, within LICENCE_WIDTH and
        once the route has room for most names on one line; the route has the rest."""
        short = per_turn(turn_days)[0]
        numbers = [("Good", 7), (f"Cap/{short}", max(6, len(short) + 4)), (f"Flow/{short}", max(6, len(short) + 5)),
                   ("Of normal", 9)]
        # Each column is padded by a cell either side; the table's scrollbar takes two.
        spare = room - sum(w for _, w in numbers) - 2 * (len(numbers) + 2) - 2
        licence = max(LICENCE_WIDTH[0], min(LICENCE_WIDTH[1], licences, spare - ROUTE_WIDTH[1]))
        route = max(ROUTE_WIDTH[0], min(ROUTE_WIDTH[2], spare - licence))
        return [("Route", route), *numbers, ("Licence", licence)]

    def watch_japan_only(self, japan_only: bool) -> None:
        self._lay_out()
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
        name = self.view.node_names.get
        route_width = table.columns[next(iter(table.columns))].width if table.columns else ROUTE_WIDTH[2]
        for r in self.rows():
            use = r.utilisation
            licence = cell(r.licence, "bold red" if r.factor < 1 else "yellow" if r.licensed else "")
            route = f"{short_name(name(r.src, r.src))} → {short_name(name(r.dst, r.dst))}"
            # A route too long for its column takes two lines, one name on each, rather than cut off where it goes.
            lines = 1 if len(route) <= route_width else 2
            table.add_row(cell(route.replace(" → ", "\n→ ") if lines == 2 else route), cell(r.good or r.commodity),
                          tonnes_cell(r.capacity), tonnes_cell(r.flow),
                          number_cell("—" if use is None else f"{use:.0%}"), licence, height=lines,
                          key=f"{r.edge}/{r.commodity}")
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
        normally = (f"ships only what a release lets out, up to {r.capacity:,.2f} t a {period}" if r.stockpile else
                    "normally carries nothing" if r.carries_nothing_normally else f"normally {r.normal:,.2f} t a {period}")
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
