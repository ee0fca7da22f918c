"""Choosing moves: the player's catalogue grouped by family, a preview of the highlighted move, and the choice.

A move the engine does not allow now stays in the list, dimmed, so the player can read why; choosing it
explains instead of choosing. So does a move that would take the choice past the moves a turn or the capital
the player has; the engine checks the whole choice again when the turn is ended.
"""

from __future__ import annotations

from rich.table import Table
from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.reactive import reactive
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from wargame.figures import musd_as_typed
from wargame.moves import too_costly, too_many_moves
from wargame.views import MoveOption

from ..game import PlayerView

FAMILY_NAMES = {"signalling": "Signalling", "coercion": "Coercion", "friend_shoring": "Friend-shoring",
                "de_escalation": "De-escalation", "firm": "Firm moves"}


def cost_text(option: MoveOption) -> str:
    move = option.move
    parts = [f"capital {move.capital:g}"]
    if move.money_musd:
        parts.append(musd_as_typed(move.money_musd))
    parts.append(f"severity {move.severity:+g}")
    if move.visibility != "public":
        parts.append(move.visibility)
    return " · ".join(parts)


def lasting_text(option: MoveOption) -> str:
    """How long the move lasts and who sees it, as players read it (the catalogue's line gives its id instead)."""
    move = option.move
    how_long = "One-off" if move.duration == 0 else f"In force {move.lasting}"
    seen = "public" if move.visibility == "public" else "private: the other players are not told of it"
    return f"{how_long} · {seen}"


class MovePicker(Horizontal):
    BINDINGS = [Binding("space", "toggle", "Choose")]

    view: reactive[PlayerView | None] = reactive(None, always_update=True)
    chosen: reactive[tuple[str, ...]] = reactive(())
    problems: reactive[tuple[str, ...]] = reactive(())

    def __init__(self, *, own: bool = True, id: str | None = None):
        super().__init__(id=id)
        # False where someone else chooses for the actor (the instructor's override, a what-if): the lines under
        # the list then name the actor instead of addressing "you".
        self.own = own

    def compose(self) -> ComposeResult:
        with Vertical(id="move-column"):
            yield OptionList(id="move-list")
            yield Static("", id="move-chosen")
        with VerticalScroll(id="move-preview-box"):
            yield Static("", id="move-preview")

    @property
    def options(self) -> dict[str, MoveOption]:
        if self.view is None:
            return {}
        return {o.move.id: o for _, group in self.view.options for o in group}

    def watch_view(self, view: PlayerView | None) -> None:
        if view is None:
            return
        moves = self.query_one("#move-list", OptionList)
        keep = moves.highlighted_option.id if moves.highlighted_option else None
        entries: list[Option | None] = []
        for family, group in view.options:
            entries.append(Option(Text(f"── {FAMILY_NAMES.get(family, family)} ──", "bold"), disabled=True))
            entries.extend(Option(self._prompt(o), id=o.move.id) for o in group)
        moves.set_options(entries)
        moves.disabled = not view.running   # a picker shows one position after another (the what-if screen)
        ids = [o.id for o in moves.options]
        if keep is not None and keep in ids:
            moves.highlighted = ids.index(keep)
        else:
            moves.highlighted = next((i for i, o in enumerate(moves.options) if not o.disabled), None)
        self._preview(moves.highlighted_option.id if moves.highlighted_option else None)
        self.chosen = tuple(m for m in self.chosen if m in self.options and self.options[m].legal)
        self._show_chosen()

    def _prompt(self, option: MoveOption) -> Table:
        picked = option.move.id in self.chosen
        body = Text()
        if option.legal:
            mark = Text("[x] " if picked else "[ ] ", "bold green" if picked else "")
            body.append(option.move.name, "bold" if picked else "")
            body.append(f"\n{cost_text(option)}", "dim")
        else:
            mark = Text(" ✗  ", "dim")
            body.append(option.move.name, "dim")
            body.append(f"\nnot now: {option.reason}", "dim red")
        # The mark in a column of its own: a name or reason too long for the line wraps under the name, not
        # back under the mark, so the list still reads as one move per box.
        prompt = Table.grid()
        prompt.add_column(width=len(mark), no_wrap=True)
        prompt.add_column(ratio=1)
        prompt.add_row(mark, body)
        return prompt

    @on(OptionList.OptionHighlighted, "#move-list")
    def _highlighted(self, event: OptionList.OptionHighlighted) -> None:
        self._preview(event.option.id)

    @on(OptionList.OptionSelected, "#move-list")
    def _selected(self, event: OptionList.OptionSelected) -> None:
        if event.option.id:
            self.toggle(event.option.id)

    def action_toggle(self) -> None:
        option = self.query_one("#move-list", OptionList).highlighted_option
        if option is not None and option.id:
            self.toggle(option.id)

    def toggle(self, move_id: str) -> None:
        option = self.options.get(move_id)
        if option is None or self.view is None or not self.view.running:
            return
        if not option.legal:
            self.problems = (f"{option.move.name}: not allowed now — {option.reason}",)
            return
        if move_id in self.chosen:
            self.problems = ()
            self.chosen = tuple(m for m in self.chosen if m != move_id)
            return
        beyond = self._beyond_limits(option)
        self.problems = (beyond,) if beyond else ()
        if not beyond:
            self.chosen = self.chosen + (move_id,)

    def _beyond_limits(self, option: MoveOption) -> str | None:
        """Why adding `option` would take the choice past what the player may play this turn (the limits the
        engine holds the whole choice to when the turn is ended), or None."""
        view = self.view
        assert view is not None
        too_many = too_many_moves(view.actor_name, view.moves_per_turn, len(self.chosen) + 1)
        if too_many:
            return f"Not chosen: {too_many}; unchoose one first"
        options = self.options
        cost = option.move.capital + sum(options[m].move.capital for m in self.chosen if m in options)
        over = too_costly(view.actor_name, cost, view.capital or 0.0)
        return f"Not chosen: with it, {over}" if over else None

    def watch_chosen(self, old: tuple[str, ...], new: tuple[str, ...]) -> None:
        moves = self.query_one("#move-list", OptionList)
        options = self.options
        for move_id in set(old) ^ set(new):
            if move_id in options:
                moves.replace_option_prompt(move_id, self._prompt(options[move_id]))
        self._show_chosen()

    def watch_problems(self) -> None:
        self._show_chosen()

    def _show_chosen(self) -> None:
        view = self.view
        line = self.query_one("#move-chosen", Static)
        if view is None:
            return
        text = Text()
        if not view.running:
            text.append("The game is over.", "bold")
        else:
            options = self.options
            spent = sum(options[m].move.capital for m in self.chosen if m in options)
            text.append(f"Chosen {len(self.chosen)} (up to {view.moves_per_turn}) · capital {spent:g} of "
                        f"{view.capital or 0:.1f}", "bold")
        # Before the moves chosen: the box is a few lines high, and a long choice must not push a refusal out.
        for problem in self.problems:
            text.append(f"\n{problem}", "bold red")
        if view.running:
            text.append("\n" + ("; ".join(options[m].move.name for m in self.chosen if m in options)
                                or ("none: you hold this turn" if self.own else
                                    f"none: {view.actor_name} holds this turn")), "")
        line.update(text)

    def _preview(self, move_id: str | None) -> None:
        preview = self.query_one("#move-preview", Static)
        option = self.options.get(move_id or "")
        if option is None or self.view is None:
            preview.update("")
            return
        move = option.move
        text = Text()
        text.append(f"{move.name}\n", "bold")
        text.append(f"{FAMILY_NAMES.get(move.family, move.family)} · {cost_text(option)}\n", "italic")
        if not option.legal:
            text.append(f"Not allowed now: {option.reason}\n", "bold red")
        if move.description:
            text.append(f"\n{move.description.strip()}\n")
        text.append("\n")
        text.append(lasting_text(option) + "\n", "dim")
        # The catalogue's first line is the move's id with what the line above says; the second repeats its name.
        for line in self.view.previews.get(move.id, ())[2:]:
            text.append(line.strip() + "\n")
        if move.source:
            text.append(f"\nSource: {move.source}", "dim italic")
        preview.update(text.rstrip() or text)
