"""The instructor's screen: pause the game, inject events, reveal or hide private information, override moves.

The instructor is not a player: this screen shows everything — every actor's private facts and secret moves —
so it never sits on top of a player's screen. The app switches to it (closing the player's screen) and hands the
keyboard back through a hand-over screen. Every intervention goes through wargame.instructor.Instructor, which
logs it as an event ahead of the turn it affects; the players then see it in their logs as the engine allows.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import DataTable, Input, Label, OptionList, Static, TabbedContent, TabPane
from textual.widgets.option_list import Option
from wargame.views import hawk_or_dove

from ..app import TurnProgress
from ..text import cell, day, who_plays
from ..widgets.events import FlowingLog, instructor_event_line
from ..widgets.footer import KeyFooter
from ..widgets.progress import TurnProgressBar
from ..widgets.status import tension_style
from ..widgets.tables import set_columns

if TYPE_CHECKING:
    from wargame.ruleset import Ruleset
    from wargame.views import ActorRow

    from ..app import WargameApp

TABS = ("actors", "deck", "everything")
TAB_FOCUS = {"actors": "#actor-table", "deck": "#deck-list", "everything": "#instructor-log"}
REPLY_NOTICE_LINES = 4      # a longer answer to a command opens in a dialog of its own
# Commands of this screen's own, beside those of wargame.instructor: what keys do elsewhere, typed.
SCREEN_HELP = ["save NAME                 save the game as NAME.json in the saves folder ('save' alone: as ctrl+s)",
               "debrief                   write the game's debrief report (as d)"]
# Once the game is over: what can still be done from the command line, nothing that would play or change it.
AFTER_THE_GAME = ("debrief", "save", "reveal", "hide", "status", "help", "?", "quit", "exit", "q")
PLACEHOLDER = ": say TEXT, inject ID, reveal ACTOR, … (help lists them; Esc leaves)"
PLACEHOLDER_OVER = ": game over — debrief, save NAME, reveal ACTOR, status, help (Esc leaves)"


def coming_text(row: "ActorRow", rules: "Ruleset") -> Text:
    moves = row.coming
    if row.player and moves is None:
        return Text("to move", "yellow")
    if moves is None:
        return Text("its AI decides", "dim")
    played = rules.moves_text(moves, none="hold")
    if row.overridden:
        return Text(f"override: {played}", "bold magenta")
    return Text(f"moved: {played}", "green")


def coming_mark(row: "ActorRow", running: bool = True) -> Text:
    if not running:
        return Text("—", "dim")         # no turn is coming
    if row.overridden:
        return Text("override", "bold magenta")
    if row.player:
        return Text("moved", "green") if row.coming is not None else Text("to move", "yellow")
    return Text("AI", "dim")


class InstructorScreen(Screen):
    app: "WargameApp"
    BINDINGS = [
        Binding("escape", "done", "Back"),
        # One key, two bindings: the footer offers whichever applies now (check_action), and p or v does that.
        Binding("p", "pause", "Pause"),
        Binding("p", "resume", "Resume"),
        Binding("v", "reveal", "Reveal"),
        Binding("v", "hide", "Hide"),
        Binding("o", "override", "Override"),
        Binding("n", "next_turn", "Next turn"),
        Binding("b", "branch", "What if?"),
        Binding("d", "report", "Debrief"),
        Binding("c", "compare", "Compare with the original"),
        Binding("s", "say", "Ad hoc event", show=False),
        Binding("colon", "command", "Type a command: say, inject, reveal, override, pause…", key_display=":",
                show=False),
        *(Binding(str(i), f"show_tab('{tab}')", "", show=False) for i, tab in enumerate(TABS, 1)),
    ]
    # Left out of a narrow footer first (? lists them): the analyses, then the keys the actor panel names too.
    FOOTER_FIRST_TO_GO = ("compare", "report", "branch", "override", "reveal", "hide")
    # When a key that does not always work does (the help screen says so).
    WHEN = {"resume": "when paused", "reveal": "on the Actors tab", "hide": "when the highlighted actor is revealed",
            "override": "on the Actors tab"}

    def compose(self) -> ComposeResult:
        with Horizontal(id="instructor-status"):
            yield Label(id="instructor-left")
            yield Label(id="instructor-right")
        yield TurnProgressBar(id="progress")
        with TabbedContent(initial="actors", id="instructor-tabs"):
            with TabPane("1 Actors", id="actors"):
                yield DataTable(id="actor-table", cursor_type="row", zebra_stripes=True)
                # Scrolls when the highlighted actor's facts outgrow half the screen (a small terminal, a long game).
                with VerticalScroll(id="actor-detail-box"):
                    yield Static("", id="actor-detail")
            with TabPane("2 Inject deck", id="deck"):
                with Horizontal():
                    yield OptionList(id="deck-list")
                    with VerticalScroll(id="deck-preview-box"):
                        yield Static("", id="deck-preview")
            with TabPane("3 Everything", id="everything"):
                yield FlowingLog(id="instructor-log")
        yield Static("", id="instructor-pending")
        # Not selected on focus: 's' opens the line on "say " for the text to follow, and ':' comes back to a
        # refused command to correct it; either way the first key typed must not replace what is there.
        yield Input(placeholder=PLACEHOLDER, id="instructor-command", select_on_focus=False)
        yield KeyFooter()

    def on_mount(self) -> None:
        table = self.query_one("#actor-table", DataTable)
        self._lay_out()
        deck = self.query_one("#deck-list", OptionList)
        injects = self.app.game.model.rules.injects
        deck.add_options([Option(i.name, id=i.id) for i in injects.values()])
        if not injects:
            deck.add_option(Option("This ruleset has no inject deck: type 'say TEXT' below.", disabled=True))
        else:
            deck.highlighted = 0
        self.app.turn_progress.subscribe(self, self._progress)
        self.app.turn_played.subscribe(self, lambda _: self.refresh_all())
        self.refresh_all()
        table.focus()

    def _lay_out(self) -> bool:
        """Give the actor table columns that fit the terminal's width; whether they changed."""
        table = self.query_one("#actor-table", DataTable)
        # Fixed widths keep the table within the terminal (80 columns at least); the panel below says the rest.
        numbers = (("By", 6), ("Cap", 5), ("Resolve", 7), ("Press.", 6), ("Private", 8), ("Coming", 8))
        name = max(20, min(40, self.app.size.width - sum(w for _, w in numbers) - 2 * (len(numbers) + 1) - 4))
        return set_columns(table, [("Actor", name), *numbers])

    def on_resize(self) -> None:
        # Names cut to fit 80 columns must come back in full when the terminal grows, and the reverse.
        table = self.query_one("#actor-table", DataTable)
        row = table.cursor_row
        if self._lay_out() and self.app.game is not None:
            self._actors()
            if table.row_count:
                table.move_cursor(row=min(max(row, 0), table.row_count - 1))

    # -- what the instructor sees --------------------------------------------------------------------------
    @property
    def model(self):
        return self.app.game.model

    def rows(self) -> list["ActorRow"]:
        from wargame.views import instructor_rows

        return instructor_rows(self.model)

    def refresh_all(self) -> None:
        game = self.app.game
        if game is None:
            return
        self._status()
        self._actors()
        self._log()
        self._pending()
        self.refresh_bindings()

    def _status(self) -> None:
        model = self.model
        rules = model.rules
        left = Text(no_wrap=True, overflow="ellipsis")
        left.append(" Instructor ", "bold reverse")
        if model.running:
            left.append(f" before turn {model.turn}/{model.turn_limit} · {day(model.date)}")
        else:
            played = model.state.turn
            left.append(f" game over after {played} turn{'' if played == 1 else 's'}")
        right = Text(no_wrap=True)
        if self.app.game.paused:
            right.append(" PAUSED ", "bold reverse yellow")
            right.append(" ")
        tension = model.state.tension
        right.append(f"tension {rules.tension_text(tension)} {rules.ladder_rung(tension)} ",
                     tension_style(tension, float(rules.politics["tension_max"])))
        self.query_one("#instructor-left", Label).update(left)
        self.query_one("#instructor-right", Label).update(right)

    def _actors(self) -> None:
        table = self.query_one("#actor-table", DataTable)
        cursor = table.cursor_row
        table.clear()
        for r in self.rows():
            resolve = "—" if r.resolve is None else f"{r.resolve:.2f}"
            pressure = "—" if r.pressure is None else f"{r.pressure:.2f}"
            table.add_row(cell(r.name), "player" if r.player else "AI", f"{r.capital:.1f}", resolve, pressure,
                          Text("revealed", "bold yellow") if r.revealed else Text("hidden", "dim"),
                          coming_mark(r, self.model.running), key=r.actor)
        if table.row_count:
            table.move_cursor(row=min(max(cursor, 0), table.row_count - 1))
        self._detail()

    def highlighted_actor(self) -> str | None:
        tables = self.query("#actor-table").results(DataTable)
        table = next(tables, None)
        if table is None or not table.row_count:
            return None
        rows = self.rows()
        return rows[min(table.cursor_row, len(rows) - 1)].actor

    @on(DataTable.RowHighlighted, "#actor-table")
    def _detail(self) -> None:
        actor = self.highlighted_actor()
        detail = self.query_one("#actor-detail", Static)
        self.refresh_bindings()         # v reveals or hides the actor now highlighted
        if actor is None:
            detail.update("")
            return
        model = self.model
        row = next(r for r in self.rows() if r.actor == actor)
        spec = model.rules.actors[actor]
        text = Text()
        text.append(f"{row.name}", "bold")
        who = "a player" if row.player else who_plays(row.policy)
        text.append(f" · {spec.kind} · {who} · capital {row.capital:.1f} of {spec.capital_max:g}")
        if row.resolve is not None:
            text.append(f" · resolve {row.resolve:.2f} ({hawk_or_dove(row.resolve)})")
        text.append("\n")
        text.append("In force: ", "bold")
        text.append("; ".join(row.in_force) or "nothing", "")
        if model.reports:
            report = model.reports[-1]
            names = [model.rules.moves[m].name for m in report.adjudication.accepted.get(actor, ())]
            text.append(f"\nTurn {report.turn}: ", "bold")
            text.append("; ".join(names) or "held")
        if model.running:
            text.append("\nComing turn: ", "bold")
            text.append_text(coming_text(row, model.rules))
            text.append(f"\nv {'hides' if row.revealed else 'reveals'} its private information · o overrides its "
                        "moves for the coming turn", "dim")
        else:
            text.append(f"\nv {'hides its private information from' if row.revealed else 'reveals its private information to'}"
                        " the players, on their final position and in the debrief", "dim")
        detail.update(text)

    def _log(self) -> None:
        from wargame.instructor import after_the_game, when_made

        model = self.model
        names = {a: s.name for a, s in model.rules.actors.items()}
        entries = []
        turn = None
        for event in model.events:
            if event.turn != turn:
                turn = event.turn
                # A reveal once the game is over is logged for the turn after the last, which was never played.
                heading = (when_made(model, turn) if after_the_game(turn, model.state.turn, not model.running)
                           else f"Turn {turn} · {day(model.rules.date_of(turn))}")
                entries.append(Text(f"── {heading} ──", "bold"))
            entries.append(instructor_event_line(event, names, last_turn=model.turn_limit))
        if not model.events:
            entries.append(Text("Nothing has happened yet.", "dim"))
        self.query_one("#instructor-log", FlowingLog).show(entries)

    def _pending(self) -> None:
        from wargame.instructor import describe

        game = self.app.game
        model = self.model
        text = Text()
        if model.running:
            pending = [describe(model.rules, r) for r in game.instructor.pending() if r["kind"] not in ("resume",)]
            text.append(f"Before turn {model.turn}: ", "bold")
            text.append("; ".join(pending) or "no interventions yet")
            if game.players:
                names = [model.rules.actors[a].name for a in game.waiting]
                text.append(" · to move: " + (", ".join(names) if names else "nobody"), "dim")
                if not names and not game.paused:
                    # Every player has moved (resumed after they had, or overridden): say how the turn gets played.
                    text.append(" · n plays the turn", "bold")
        else:
            parent = game.parent
            compares = f", c compares it with {parent.title}" if parent is not None else ""
            text.append(f"The game is over: b branches it, d writes its debrief report{compares}; : takes debrief, "
                        "save, reveal, status and help.", "dim")
        self.query_one("#instructor-pending", Static).update(text)
        self.query_one("#instructor-command", Input).placeholder = PLACEHOLDER if model.running else PLACEHOLDER_OVER

    def _progress(self, progress: TurnProgress) -> None:
        self.refresh_bindings()
        if progress.finished:
            self.refresh_all()

    @on(OptionList.OptionHighlighted, "#deck-list")
    def _deck_preview(self, event: OptionList.OptionHighlighted) -> None:
        inject = self.model.rules.injects.get(event.option.id or "")
        preview = self.query_one("#deck-preview", Static)
        if inject is None:
            preview.update("")
            return
        text = Text()
        text.append(f"{inject.name}\n\n", "bold")
        text.append(" ".join(inject.text.split()) + "\n\n")
        for effect in inject.effects:
            when = "on the coming turn" if effect.persistent else "at once"
            text.append(f"• {effect.describe()} ", "")
            text.append(f"({when})\n", "dim")
        text.append("\nEnter: inject it before the coming turn", "dim")
        preview.update(text)

    # -- interventions -----------------------------------------------------------------------------------
    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        game = self.app.game
        if game is None:
            return True
        running = game.model.running
        # False leaves a key out of the footer (it does nothing now); None shows it greyed out (not yet).
        if action in ("reveal", "hide", "override") and not self._on_actors():
            # They act on the actor highlighted in the table: from another tab, where it is out of sight, v would
            # reveal an actor to every player unseen.
            return False
        if action in ("reveal", "hide"):
            # Also after the game: a reveal for the debrief. Whichever the highlighted actor's information allows.
            actor = self.highlighted_actor()
            if actor is not None and (actor in game.model.state.revealed) != (action == "hide"):
                return False
            return actor is not None and not self.app.resolving or None
        if action == "command":
            # Also after the game: the commands that still apply then.
            return not self.app.resolving or None
        if action in ("override", "say"):
            return running and (not self.app.resolving or None)
        if action == "pause":
            # While a turn resolves p asks for a pause once it has; asked, it waits (greyed out).
            return running and not game.paused and (not self.app.pause_requested or None)
        if action == "resume":
            return running and game.paused and (not self.app.resolving or None)
        if action == "next_turn":
            # Not greyed out while players are still to move: a greyed-out key does nothing when pressed, and n
            # then says who is still to move and how to go on. Paused, it waits for p to resume.
            return running and (not self.app.resolving and not game.paused or None)
        if action == "compare":
            # Only a what-if branch has an original to compare with (as on the game-over screen).
            return game.parent is not None and bool(game.model.reports) and (not self.app.resolving or None)
        if action in ("branch", "report"):
            return bool(game.model.reports) and (not self.app.resolving or None)
        return True

    def _ready(self) -> bool:
        if self.app.resolving:
            self.notify("Wait until the turn has resolved.", severity="warning")
            return False
        if not self.model.running:
            self.notify("The game is over.", severity="warning")
            return False
        return True

    def _intervene(self, act) -> bool:
        """Carry out one intervention; the engine's refusal is shown, never raised."""
        from wargame import WargameError
        from wargame.instructor import when_made

        try:
            events = act()
        except WargameError as error:
            self.notify("\n".join(error.lines()), title="Not done", severity="error", timeout=8)
            return False
        game = self.app.game
        game.note_overrides()
        for event in events or ():
            if event.kind in ("inject", "instructor"):
                text = event.text if len(event.text) <= 90 else event.text[:89] + "…"
                self.notify(text, title=when_made(self.model, event.turn), timeout=4)
        self.refresh_all()
        return True

    def action_show_tab(self, tab: str) -> None:
        self.query_one(TabbedContent).active = tab

    def _on_actors(self) -> bool:
        tabs = self.query("#instructor-tabs").results(TabbedContent)
        shown = next(tabs, None)
        return shown is None or shown.active in ("", "actors")

    @on(TabbedContent.TabActivated)
    def _tab_shown(self, event: TabbedContent.TabActivated) -> None:
        target = TAB_FOCUS.get(event.pane.id or "")
        if target:
            self.query_one(target).focus()
        self.refresh_bindings()

    def action_pause(self) -> None:
        game = self.app.game
        if self.app.resolving:
            self.app.pause_requested = True
            self.app.stop_resolving()
            self.refresh_bindings()
            self.notify("The game pauses once this turn has resolved.", title="Pausing")
            return
        self._intervene(game.instructor.pause)

    def action_resume(self) -> None:
        self._intervene(self.app.game.instructor.resume)

    def action_reveal(self) -> None:
        actor = self.highlighted_actor()
        if actor is not None and not self.app.resolving:
            self._intervene(lambda: self.app.game.instructor.reveal(actor))

    def action_hide(self) -> None:
        actor = self.highlighted_actor()
        if actor is not None and not self.app.resolving:
            self._intervene(lambda: self.app.game.instructor.hide(actor))

    def action_override(self) -> None:
        from .override import OverrideScreen

        actor = self.highlighted_actor()
        if actor is None or not self._ready():
            return

        def chosen(moves: list[str] | None) -> None:
            if moves is not None:
                self._intervene(lambda: self.app.game.instructor.override(actor, moves))

        self.app.push_screen(OverrideScreen(actor), chosen)

    @on(OptionList.OptionSelected, "#deck-list")
    def _inject(self, event: OptionList.OptionSelected) -> None:
        from .confirm import ConfirmScreen

        inject = self.model.rules.injects.get(event.option.id or "")
        if inject is None or not self._ready():
            return

        def confirmed(yes: bool | None) -> None:
            if yes:
                self._intervene(lambda: self.app.game.instructor.inject(inject.id))

        detail = "\n".join(f"• {e.describe()}" for e in inject.effects)
        self.app.push_screen(ConfirmScreen(f"Inject “{inject.name}” before turn {self.model.turn}?", detail=detail,
                                           yes="Inject", no="Back"), confirmed)

    def action_say(self) -> None:
        field = self.query_one("#instructor-command", Input)
        field.value = "say "
        self._type_into(field)

    def action_command(self) -> None:
        self._type_into(self.query_one("#instructor-command", Input))

    @staticmethod
    def _type_into(field: Input) -> None:
        field.focus()
        field.cursor_position = len(field.value)

    @on(Input.Submitted, "#instructor-command")
    def _command(self, event: Input.Submitted) -> None:
        from wargame import WargameError

        # ':' opens the command line; typed again into it (out of habit, or as in a vi-style prompt) it is not
        # part of the command.
        line = event.value.strip().lstrip(":").strip()
        if not line:
            event.input.value = ""
            return
        if self.app.resolving:
            self.notify("Wait until the turn has resolved.", severity="warning")
            return
        game = self.app.game
        command, _, rest = line.partition(" ")
        command, rest = command.lower(), rest.strip()
        if command.startswith("#"):
            event.input.value = ""
            return
        if not game.model.running and command not in AFTER_THE_GAME:
            # Refused here, saying what still works: the engine's refusal would only say that nothing does.
            self.notify(f"The game is over (after turn {game.model.state.turn}): '{command}' would play or change it. "
                        "Still here: debrief, save NAME, reveal ACTOR, hide ACTOR, status, help — and b for a "
                        "what-if branch.", title=command, severity="error", timeout=10)
            return
        if command in ("save", "debrief"):
            if self._screen_command(command, rest):
                event.input.value = ""
                self._leave_command_line()
            return
        if command in ("continue", "next", "c", "n") and game.waiting:
            self._must_move()
            return
        try:
            reply = game.instructor.execute(line)
        except WargameError as error:
            self.notify("\n".join(error.lines()), title=line.split()[0], severity="error", timeout=8)
            return
        if command in ("help", "?"):
            reply.lines[:] = self._help(reply.lines)
        event.input.value = ""
        # Done, as with a ':' command in vi: the keys (p, v, o, n, 1–3) work again; ':' types the next one.
        self._leave_command_line()
        game.note_overrides()
        if len(reply.lines) > REPLY_NOTICE_LINES:
            from .reply import ReplyScreen

            # All of it, in a dialog that scrolls: a notice would cut it short (help's last lines, the deck).
            self.app.push_screen(ReplyScreen(line, reply.lines))
        elif reply.lines:
            self.notify("\n".join(reply.lines), title=line.split()[0], timeout=6)
        if reply.quit:
            self.notify("To stop, save the game (ctrl+s) and quit (ctrl+q).", severity="warning")
        self.refresh_all()
        if reply.advance:
            self._play(reply.advance)

    def _help(self, lines: list[str]) -> list[str]:
        """The engine's commands and this screen's; once the game is over, only those that still apply."""
        lines = lines + SCREEN_HELP
        if self.model.running:
            return lines
        return [line for line in lines if line.split()[0] in AFTER_THE_GAME]

    def _screen_command(self, command: str, rest: str) -> bool:
        """`save`, `save NAME` and `debrief`, which the keys do elsewhere. False if refused (the line stays to correct)."""
        from wargame import WargameError

        from ..game import save_name

        game = self.app.game
        if command == "debrief":
            if rest or not game.model.reports:
                why = "takes no arguments" if rest else "there is nothing to report before the first turn is played"
                self.notify(f"debrief: {why}", title=command, severity="error", timeout=8)
                return False
            self.action_report()
            return True
        if not rest:
            self.app.action_save()
            return True
        name = save_name(rest)
        if name is None:
            self.notify(f"save: '{rest}' cannot be a save's name: use letters, digits, spaces, dots, dashes or "
                        "underscores (up to 80)", title=command, severity="error", timeout=8)
            return False
        target = game.saves_dir / f"{name}.json"
        if target.exists() and target != game.last_saved:
            from .save import SaveScreen

            # Another game's save: the dialog asks before replacing it.
            self.app.push_screen(SaveScreen(game, default=name))
            return True
        try:
            path = game.save(name)
        except WargameError as error:
            self.notify("\n".join(error.lines()), title=command, severity="error", timeout=8)
            return False
        self.notify(f"Saved to {path}", title="Saved")
        return True

    def _must_move(self) -> None:
        names = ", ".join(self.model.rules.actors[a].name for a in self.app.game.waiting)
        self.notify(f"{names} still to move: hand them the keyboard (Esc), or set their moves (o).",
                    severity="warning")

    def action_next_turn(self) -> None:
        if self.app.game.waiting:
            self._must_move()
            return
        self._play(1)

    def _play(self, turns: int) -> None:
        game = self.app.game
        # With people at the keyboard each turn needs their moves: one turn at a time.
        turns = 1 if game.players else min(turns, game.model.turn_limit - game.model.turn + 1)
        if self.app.resolve(turns, pause=self.app.turn_pause if turns > 1 else 0.0):
            self.refresh_bindings()

    def action_branch(self) -> None:
        self.app.open_branch()

    def action_report(self) -> None:
        game = self.app.game
        self.app.open_report(game.model, game.report_name())

    def action_compare(self) -> None:
        game = self.app.game
        if game.parent is not None and not self.app.resolving:
            self.app.show_comparison(game.parent.source, game.model, (game.parent.name, "this game"), game.model)

    def action_done(self) -> None:
        if self.query_one("#instructor-command", Input).has_focus:
            # Esc first leaves the command line, so that the keys (p, v, o, n, 1–3) work again; only from there
            # does it hand the keyboard back to the players.
            self._leave_command_line()
            return
        self.app.close_instructor()

    def _leave_command_line(self) -> None:
        target = TAB_FOCUS.get(self.query_one(TabbedContent).active or "", "#actor-table")
        self.query_one(target).focus()
