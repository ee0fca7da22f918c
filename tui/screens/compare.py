"""Two games side by side: where their moves differ, and which indicators diverge, from when and how far.

Everything shown comes from wargame.compare.compare(a, b): its summary lines, its move differences, its
diverging indicators (in its order: first to diverge first) and their series, drawn here as two sparklines on
one scale and as a turn-by-turn table (Comparison.turn_table).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import DataTable, Static, TabbedContent, TabPane

from ..text import cell, spark
from ..widgets.footer import KeyFooter

if TYPE_CHECKING:
    from wargame.compare import Comparison

    from ..app import WargameApp

TABS = ("diverging", "moves", "by-turn")


def open_comparison(app: "WargameApp", a: Any, b: Any, names: tuple[str, str], branch=None) -> None:
    """Compare in a worker (save files are read and checked there), then show the comparison."""

    def run() -> None:
        from wargame import WargameError
        from wargame.compare import compare

        try:
            comparison = compare(a, b, names=names)
        except WargameError as error:
            app.call_from_thread(app.notify, "\n".join(error.lines()), title="Cannot compare", severity="error",
                                 timeout=10)
            return
        app.call_from_thread(app.push_screen, CompareScreen(comparison, branch))

    app.run_worker(run, thread=True, group="compare", exclusive=True, name="compare")


class CompareScreen(Screen):
    """`branch`, if given, is the what-if game B as a model: it can be saved, reported or played on."""

    app: "WargameApp"
    BINDINGS = [
        Binding("escape", "back", "Back"),
        # ctrl+s saves B as well: elsewhere it saves the game being played, which here may be A or neither.
        Binding("s,ctrl+s", "save_branch", "Save B"),
        Binding("d", "report", "Debrief B"),
        *(Binding(str(i), f"show_tab('{tab}')", "", show=False) for i, tab in enumerate(TABS, 1)),
    ]

    def __init__(self, comparison: "Comparison", branch=None):
        super().__init__()
        self.comparison = comparison
        self.branch = branch

    def compose(self) -> ComposeResult:
        c = self.comparison
        with Vertical(id="compare-head"):
            yield Static(self._head(), id="compare-summary")
        with TabbedContent(initial="diverging", id="compare-tabs"):
            with TabPane(f"1 Indicators that diverge ({len(c.diverging)})", id="diverging"):
                yield DataTable(id="diverging-table", cursor_type="row", zebra_stripes=True)
                yield Static("", id="compare-detail")
            with TabPane(f"2 Moves ({len(c.moves)})", id="moves"):
                yield DataTable(id="moves-table", cursor_type="row", zebra_stripes=True)
            with TabPane("3 Turn by turn", id="by-turn"):
                with Vertical():
                    yield Static("", id="turns-title")
                    yield DataTable(id="turns-table", cursor_type="row", zebra_stripes=True)
        yield KeyFooter()

    def _head(self) -> Text:
        c = self.comparison
        lines = c.lines()
        text = Text()
        for line in lines[:2 + len(c.notes)]:
            text.append(line + "\n", "bold" if line[:2] in ("A ", "B ") else "dim")
        if c.moves:
            text.append(f"Moves differ from turn {c.first_move_turn} · ")
        else:
            text.append(f"The same moves in all {c.common_turns} common turns · ")
        total = len(c.diverging) + len(c.unchanged)
        if c.diverging:
            text.append(f"{len(c.diverging)} of {total} indicators diverge, from turn {c.first_divergence_turn}",
                        "bold")
        else:
            text.append(f"all {total} indicators the same on every common turn", "bold")
        return text

    def on_mount(self) -> None:
        from wargame.compare import fmt

        c = self.comparison
        table = self.query_one("#diverging-table", DataTable)
        # The numbers keep their width (from 120 columns, room for a rung's name such as "Export restrictions" and
        # from 160 for a move between two); the indicator's name takes what is left of the terminal.
        room = self.app.size.width
        widths = (5, 12, 12, 16) if room < 120 else (5, 19, 19, 20 if room < 160 else 34)
        name = max(20, room - sum(widths) - 2 * (len(widths) + 1) - 2)
        for label, width in zip(("Indicator", "From", "A at end", "B at end", "Widest B−A"), (name, *widths)):
            table.add_column(label, width=width)
        for d in c.diverging:
            cells = (d.label, str(d.first_turn), fmt(d.key, d.a_end), fmt(d.key, d.b_end),
                     f"{c.gap_text(d)} ({d.widest_turn})")
            table.add_row(*map(cell, cells), key=d.key)
        moves = self.query_one("#moves-table", DataTable)
        actor_width = 18
        moves.add_column("Turn", width=4)
        moves.add_column("Actor", width=actor_width)
        moves.add_column("What A and B played", width=max(30, self.app.size.width - actor_width - 4 - 6 - 2))
        # Worded as `wargame compare` words them: one place decides how a move or no move reads.
        for m in c.moves:
            played = Text.assemble(("A ", "bold cyan"), c.moves_named(m.a, "A"), "\n", ("B ", "bold magenta"),
                                   c.moves_named(m.b, "B"))
            moves.add_row(str(m.turn), c.actor_name(m.actor), played, height=None)
        if not c.moves:
            moves.add_row("", "no differences", "")
        self._detail(c.diverging[0].key if c.diverging else None)
        table.focus()

    @on(DataTable.RowHighlighted, "#diverging-table")
    def _highlighted(self, event: DataTable.RowHighlighted) -> None:
        self._detail(event.row_key.value if event.row_key is not None else None)

    def _detail(self, key: str | None) -> None:
        from wargame.compare import fmt

        detail = self.query_one("#compare-detail", Static)
        c = self.comparison
        if key is None:
            detail.update(Text("Nothing diverges: the two games are the same on every common turn.", "dim"))
            self._turns(None)
            return
        a, b = c.series[key]
        text = Text(no_wrap=True, overflow="ellipsis")
        text.append(f"{c.labels[key]}\n", "bold")
        numbers = [v for v in a + b if isinstance(v, (int, float))]
        width = max(10, self.size.width - 30) if self.size.width else 50
        if numbers:
            low, high = min(numbers), max(numbers)
            for tag, values, style in (("A", a, "cyan"), ("B", b, "magenta")):
                shown = [v if isinstance(v, (int, float)) else None for v in values]
                last = next((v for v in reversed(values) if v is not None), None)
                text.append(f"{tag} ", "bold")
                text.append(spark(shown, low, high, width), style)
                text.append(f"  {fmt(key, last)}\n")
            text.append(f"turns 1 to {max(len(a), len(b))}, both on one scale ({fmt(key, low)} to "
                        f"{fmt(key, high)})", "dim")
        else:
            d = c.divergence(key)
            text.append(f"A ends at {fmt(key, d.a_end if d else None)}, B at {fmt(key, d.b_end if d else None)}",
                        "")
        detail.update(text)
        self._turns(key)

    def _turns(self, key: str | None) -> None:
        c = self.comparison
        table = self.query_one("#turns-table", DataTable)
        table.clear(columns=True)
        title = self.query_one("#turns-title", Static)
        if key is None:
            title.update("")
            return
        title.update(Text.assemble((c.labels[key], "bold"), " turn by turn · the indicator highlighted on tab 1"))
        table.add_columns("Turn", "A", "B", "B − A")
        first = c.divergence(key).first_turn if c.divergence(key) else None
        for row in c.turn_table([key]):
            style = "bold" if first is not None and int(row[0]) >= first and row[3] else ""
            table.add_row(*(Text(value, style) for value in row))

    # -- actions -------------------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("save_branch", "report"):
            return self.branch is not None
        return True

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def action_back(self) -> None:
        self.app.pop_screen()

    def action_save_branch(self) -> None:
        from ..game import Game
        from .save import SaveScreen

        if self.branch is not None:
            game = Game(self.branch, self.app.saves_dir, autosave=False)
            self.app.push_screen(SaveScreen(game, default=f"whatif-{self.comparison.b.branch_at or 0:02d}-"
                                                          f"{self.branch.rules.id}-seed{self.branch.seed}",
                                            what=f"B ({self.comparison.b.name})"))

    def action_report(self) -> None:
        if self.branch is not None:
            self.app.open_report(self.branch, f"whatif-{self.branch.rules.id}-seed{self.branch.seed}")
