"""The player's objectives, heaviest first: what they want, where it stands, and last turn's change."""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual.reactive import reactive
from textual.widgets import Static

from ..game import PlayerView


class Objectives(Static):
    view: reactive[PlayerView | None] = reactive(None, always_update=True)

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        if view.actor is None and not view.running:
            # The final position of a hot-seat game is shown to no one player; its n and a would play nothing.
            self.update(Text.assemble(("The game is over\n", "bold"),
                                      "This is where it ended, as every player could see it. Esc goes back to "
                                      "the game-over screen."))
            return
        if view.actor is None:
            self.update(Text.assemble(("Watching the AI play\n", "bold"),
                                      "Every actor follows its doctrine. Press n for the next turn, "
                                      "a to play on by itself."))
            return
        table = Table(box=None, expand=True, show_edge=False, pad_edge=False, title="Your objectives",
                      title_justify="left", title_style="bold",
                      caption="▲ you want it higher · ▼ lower · ! weighs most", caption_justify="left",
                      caption_style="dim")
        table.add_column("want", width=4, no_wrap=True)
        table.add_column("objective", ratio=1, overflow="fold")
        table.add_column("now", justify="right", no_wrap=True)
        table.add_column("last turn", width=9, no_wrap=True)
        for s in view.standings:
            want = {"higher": "▲", "lower": "▼"}.get(s.wants, "•")
            weight = "!" if abs(s.weight) >= 1.5 else ""
            # Whether it moved the player's way, whichever way that is.
            if s.change is None or abs(s.change) < 1e-9:
                mark = Text("same" if s.change is not None else "", "dim")
            elif s.change > 0:
                mark = Text("better", "bold green")
            else:
                mark = Text("worse", "bold red")
            table.add_row(f"{want}{weight}", s.label, s.text, mark)
        self.update(table)
