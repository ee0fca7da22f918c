"""What a player sees in a small (80×24) and a large (200×60) terminal: nothing cut short, every key the footer
shows works where it is shown, and the tension chart drawn on the scale its caption names."""

from __future__ import annotations

import asyncio
import io

import pytest

pytest.importorskip("textual")

from rich.console import Console  # noqa: E402
from textual.widgets import Static  # noqa: E402
from textual.widgets._footer import FooterKey  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.help import HelpScreen, _sections  # noqa: E402
from tui.screens.instructor import InstructorScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.text import BARS, spark  # noqa: E402
from tui.widgets.events import EventLog  # noqa: E402
from tui.widgets.ladder import TensionChart  # noqa: E402
from gamekit import tokyo_holding  # noqa: E402
from tuikit import footer_keys, plain, running, screen_lines  # noqa: E402
from wargame import WargameModel  # noqa: E402
from wargame.views import event_wording  # noqa: E402

SMALL, LARGE = (80, 24), (200, 60)


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_every_help_section_title_is_shown_whole(tmp_path, size):
    async def scenario():
        async with running(WargameApp(StartOptions(), saves_dir=tmp_path), size=size) as pilot:
            await pilot.press("question_mark")
            assert isinstance(pilot.app.screen, HelpScreen)
            lines = [line.strip() for line in plain(pilot.app.screen.query_one("#help-keys", Static)).splitlines()]
            for title, _ in _sections():
                assert title in lines, title
            # The dialog and its own footer fit in the terminal.
            dialog = pilot.app.screen.query_one("#help")
            assert dialog.region.bottom <= size[1] - 1

    asyncio.run(scenario())


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_a_dialog_shows_its_own_keys_not_those_of_the_screen_beneath(tmp_path, size):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding())
        async with running(app, size=size) as pilot:
            assert isinstance(app.screen, ReportScreen)        # the last turn's report, on opening the game
            keys = footer_keys(app.screen)
            assert keys.get("escape") == "Close"
            assert "e" not in keys and "space" not in keys       # the turn screen's keys do nothing here
            scroll = app.screen.query_one("#report VerticalScroll")
            # The report uses the room of a tall terminal; in a small one it still fits, footer and all.
            assert app.screen.query_one("#report").region.bottom <= size[1] - 1
            if size == LARGE:
                assert scroll.region.height > 18
            await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen)
            assert footer_keys(app.screen).get("e") == "End turn"

    asyncio.run(scenario())


def test_the_instructor_screen_does_not_offer_the_key_that_opens_it(tmp_path):
    async def scenario():
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=tokyo_holding(1))
        async with running(app, size=SMALL) as pilot:
            assert isinstance(app.screen, InstructorScreen)
            assert "i" not in footer_keys(app.screen)
            await pilot.press("escape", "enter")                 # the keyboard back to Tokyo
            await pilot.pause()
            while isinstance(app.screen, ReportScreen):
                await pilot.press("escape")
            assert isinstance(app.screen, TurnScreen)
            assert footer_keys(app.screen).get("i") == "Instructor"

    asyncio.run(scenario())


@pytest.mark.parametrize(("size", "stacked"), [(SMALL, True), ((99, 30), True), ((100, 30), False), (LARGE, False)])
def test_the_overview_puts_the_ladder_beside_the_objectives_only_where_both_fit(tmp_path, size, stacked):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding())
        async with running(app, size=size) as pilot:
            await pilot.press("escape", "1")
            screen = app.screen
            ladder, objectives = screen.query_one("#ladder"), screen.query_one("#objectives")
            assert objectives.region.y >= ladder.region.bottom if stacked else objectives.region.x >= ladder.region.right
            # Every objective's name on one line, however narrow the terminal.
            text = plain(objectives)
            for standing in screen.view.standings:
                assert standing.label in text, standing.label
            if stacked:
                # The ladder comes first and the arrow keys scroll down to what is in force.
                body = screen.query_one("#overview-body")
                assert body.scroll_y == 0 and body.max_scroll_y > 3
                await pilot.press("down", "down", "down")
                assert body.scroll_y == 3
                await pilot.press("end")
                assert body.scroll_y == body.max_scroll_y
                assert screen.query_one("#briefing").region.bottom <= body.region.bottom

    asyncio.run(scenario())


def chart_heights(values: list[float], top: float, width: int = 40) -> list[int]:
    """How many eighths of a line each column of the tension chart fills, read back from what it draws."""
    console = Console(width=width, file=io.StringIO(), record=True, color_system=None)
    console.print(TensionChart(values, top))
    rows = console.export_text().rstrip("\n").split("\n")
    assert len(rows) == 2
    columns = zip(*(row.ljust(width) for row in rows))
    return [sum(8 if ch == "█" else BARS.index(ch) + 1 if ch in BARS else 0 for ch in col) for col in columns]


@pytest.mark.parametrize(("values", "heights"), [
    ([0.0, 10.0], [1, 16]),             # the bottom and the top of the ladder
    ([4.0, 4.1], [7, 7]),               # a small rise stays small (scaled to the series it was a wall)
    ([5.0], [9]),                       # halfway up
    ([12.0, -1.0], [16, 1]),            # beyond the ladder: at its ends
])
def test_the_tension_chart_is_drawn_from_zero_to_the_top_of_the_ladder(values, heights):
    # Each turn so far gets an equal share of the 40 columns.
    share = 40 // len(values)
    drawn = chart_heights(values, 10.0)
    assert drawn == [h for h in heights for _ in range(share)] + [0] * (40 - share * len(values))


def test_a_long_game_squeezes_into_the_width_of_the_chart():
    heights = chart_heights([float(t % 10) for t in range(120)], 10.0, width=30)
    assert len(heights) == 30 and all(h > 0 for h in heights)


def test_a_one_line_sparkline_is_unchanged_by_the_rows_option():
    values = [0.0, 2.5, None, 7.5, 10.0]
    assert spark(values, 0, 10) == spark(values, 0, 10, rows=1) == "▁▃ ▆█"
    assert spark(values, 0, 10, rows=2).split("\n") == ["   ▄█", "▁▅ ██"]


def test_the_instructors_help_keeps_its_two_columns_when_it_wraps(tmp_path):
    """At 80 columns each description wraps within its own column: nothing but a command starts at the left."""
    from tui.screens.instructor import SCREEN_HELP
    from tui.screens.reply import ReplyScreen

    async def scenario():
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=tokyo_holding(1))
        async with running(app, size=SMALL) as pilot:
            expected = app.game.instructor.execute("help").lines + SCREEN_HELP
            await pilot.press(":", *"help", "enter")
            assert isinstance(app.screen, ReplyScreen)
            body = app.screen.query_one("#reply-body", Static)
            commands = [line[:24].strip() for line in expected if not line.startswith(" ")]
            console = Console(width=body.size.width, file=io.StringIO(), record=True, color_system=None)
            console.print(body.content)                   # as wide as the dialog shows it
            shown = console.export_text().splitlines()
            flush_left = [line for line in shown if line.strip() and not line.startswith(" ")]
            assert [line[:len(c)] for line, c in zip(flush_left, commands)] == commands
            assert len(flush_left) == len(commands) < len(shown)      # the rest wrapped, indented

    asyncio.run(scenario())


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_an_actors_name_too_long_for_the_instructors_table_is_marked_as_cut(tmp_path, size):
    async def scenario():
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=tokyo_holding(1))
        async with running(app, size=size):
            table = app.screen.query_one("#actor-table")
            width = table.columns[table.coordinate_to_cell_key((0, 0)).column_key].width
            names = [spec.name for spec in app.game.model.rules.actors.values()]
            rows = screen_lines(app)[table.region.y + 1:table.region.bottom]       # under the table's header
            shown = [line[1:1 + width].rstrip() for line in rows if line.strip()]
            assert len(shown) >= 6                                   # the rows on screen, if not all of them
            for name in shown:
                assert name in names or (name.endswith("…") and any(n.startswith(name[:-1]) for n in names)), name
            assert any(name.endswith("…") for name in shown) == (size == SMALL)

    asyncio.run(scenario())


def test_a_comparison_marks_what_its_columns_cut_and_shows_a_rung_whole_from_120_columns(tmp_path):
    from tui.screens.compare import CompareScreen
    from wargame.compare import compare
    from wargame.replay import branch
    from wargame.saves import snapshot

    model = WargameModel(rng=7, turns=4)
    model.run()
    doc = snapshot(model)
    whatif = branch(doc, at=2, moves={2: {"beijing": ["state_media_warning"]}}, turns=3, name="game")
    comparison = compare(doc, whatif, names=("game", "what-if"))
    rung = next(d for d in comparison.diverging if d.key == "ladder")       # Economic war → Rare-earth embargo

    async def scenario(size):
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=size) as pilot:
            await pilot.press("escape")
            await app.push_screen(CompareScreen(comparison, whatif))
            await pilot.pause()
            line = next(line for line in screen_lines(app) if line.startswith(" Escalation rung "))
            return line

    small, wide = asyncio.run(scenario(SMALL)), asyncio.run(scenario((120, 40)))
    ends = [rung.a_end, rung.b_end]
    assert all(f" {end} " in wide for end in ends), wide
    assert "Rare-earth …" in small and f" {rung.b_end} " not in small, small


def test_the_saved_games_hint_wraps_instead_of_running_off_the_dialog(tmp_path):
    async def scenario():
        async with running(WargameApp(StartOptions(), saves_dir=tmp_path), size=SMALL) as pilot:
            await pilot.press("ctrl+l")
            await pilot.pause()
            hint = str(pilot.app.screen.query_one("#load-hint").render())
            on_screen = " ".join(line.strip(" █") for line in screen_lines(pilot.app))
            assert len(hint) > SMALL[0] - 4 and hint in on_screen

    asyncio.run(scenario())


@pytest.mark.parametrize("size", [SMALL, LARGE])
def test_the_instructor_can_read_all_of_an_actors_facts(tmp_path, size):
    """The panel under the actors table grows to half the screen; what is left over scrolls into view."""
    async def scenario():
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=tokyo_holding(1))
        async with running(app, size=size) as pilot:
            box = app.screen.query_one("#actor-detail-box")
            last = "v reveals its private information"           # the panel's last line, for Beijing
            visible = " ".join(screen_lines(app))
            assert (last in visible) == (size == LARGE) == (box.max_scroll_y == 0)
            box.scroll_end(animate=False)
            await pilot.pause()
            assert last in " ".join(screen_lines(app))

    asyncio.run(scenario())


def test_a_routes_details_are_shown_whole_at_80_columns(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding(3))
        async with running(app, size=SMALL) as pilot:
            await pilot.press("escape", "4", "j")                # the routes into Japan, where moves act
            panel = app.screen.query_one("#trade-panel")
            detail = app.screen.query_one("#edge-detail", Static)
            checked = 0
            for index, row in enumerate(panel.rows()):
                if not row.moves:
                    continue
                app.screen.query_one("#edges").move_cursor(row=index)
                await pilot.pause()
                console = Console(width=detail.content_region.width, file=io.StringIO(), record=True,
                                  color_system=None)
                console.print(detail.content)
                lines = console.export_text().rstrip("\n").split("\n")
                assert detail.content_region.height >= len(lines) > 5, row.edge   # all laid out, not cut at six
                box = app.screen.query_one("#edge-detail-box")
                box.scroll_end(animate=False)
                await pilot.pause()
                assert lines[-1].strip() in " ".join(screen_lines(app)), row.edge     # and it scrolls into view
                checked += 1
            assert checked

    asyncio.run(scenario())


def test_the_what_if_choices_fit_their_row_at_80_columns(tmp_path):
    """With players in the game both "Then" choices share a row: each ends in "…" instead of wrapping out of it."""
    from textual.widgets import Select

    from tui.screens.branch import BranchScreen
    from wargame.saves import snapshot

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding(2))
        async with running(app, size=SMALL) as pilot:
            await pilot.press("escape")
            await app.push_screen(BranchScreen(snapshot(app.game.model), "class.json"))
            await pilot.app.workers.wait_for_complete()
            await pilot.pause()
            then, later = app.screen.query_one("#branch-then", Select), app.screen.query_one("#branch-later", Select)
            assert later.display                                  # Tokyo is a player: both choices are shown
            for select in (then, later):
                assert select.outer_size.height <= select.parent.size.height, select.id
            row = next(line for line in screen_lines(app) if line.startswith(" Then "))
            assert row.count("…") == 2 and "Branch" in row

    asyncio.run(scenario())


def test_a_long_move_name_wraps_under_itself_not_under_its_mark(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding(1))
        async with running(app, size=SMALL) as pilot:
            await pilot.press("escape", "2")
            listing = app.screen.query_one("#move-list")
            box = listing.scrollable_content_region                # the list, not its scrollbar
            lines = [line[box.x:box.right].rstrip() for line in screen_lines(app)[box.y:box.bottom]]
            wrapped = [line for line in lines if line.strip() and not line.lstrip().startswith(("──", "[ ]", "[x]", "✗"))]
            assert wrapped                                        # at 80 columns names and costs take a line of their own
            for line in wrapped:
                assert line.startswith("    ") and line[4] != " ", line

    asyncio.run(scenario())


def wrapped_under_themselves(lines: list[str], texts: list[str]) -> int:
    """Check that each of `texts`, found in order in `lines`, carries on where it is too long for its line in the
    column where it began, not back under its mark or at the margin; returns how many lines carried one on."""
    carried, row = 0, 0
    for text in texts:
        row, col = next((i, line.find(text[:20])) for i, line in enumerate(lines[row:], row) if text[:20] in line)
        rest = text
        while True:
            line = lines[row]
            part = line[col:].rstrip()
            assert rest.startswith(part), (text, part)
            rest = rest[len(part):].lstrip()
            if not rest:
                break
            row += 1
            carried += 1
            assert not lines[row][:col].strip() and lines[row][col:col + 1] not in ("", " "), (text, lines[row])
        row += 1
    return carried


@pytest.mark.parametrize("width", [80, 120])
def test_long_events_and_moves_in_force_wrap_under_themselves(tmp_path, width):
    """In the turn report, the overview (what is in force, what happened) and the log, an entry too long for
    the line reads as one block, as the move list's do, at 80 columns and at 120."""
    model = tokyo_holding(1)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(width, 100)) as pilot:
            def shown(selector: str) -> list[str]:
                box = app.screen.query_one(selector).content_region
                return [line[box.x:box.right] for line in screen_lines(app)[box.y:box.bottom]]

            report = shown("#report-body")
            await pilot.press("escape", "1")
            briefing = shown("#briefing")
            await pilot.press("5")
            log = shown("#event-log")
            return report, briefing, log, app.screen.view

    report, briefing, log, view = asyncio.run(scenario())
    events = [e.text for e in view.summary.events]
    in_force = [f"{who}: {name} ({when})" for who, name, when in view.active]
    last_turn = next(i for i, line in enumerate(briefing) if line.startswith(f"Turn {view.summary.turn} "))
    carried = {"report": wrapped_under_themselves(report, events),
               "in force": wrapped_under_themselves(briefing[:last_turn], in_force),
               "overview's events": wrapped_under_themselves(briefing[last_turn:], events),
               "log": wrapped_under_themselves(log, [e.text for e in view.events])}
    assert carried["report"] and carried["overview's events"] and carried["log"] if width == 80 else True, carried
    assert carried["in force"], carried


def test_the_log_wraps_its_events_again_to_a_resized_terminal(tmp_path):
    """Narrowing the terminal wraps the log's events again, each under itself, to the new width, rather than
    cutting them off where the old width wrapped them; widening it again puts them back on fewer lines."""
    model = tokyo_holding(3)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=(120, 100)) as pilot:       # tall enough to show the whole log
            await pilot.press("escape", "5")
            await pilot.pause()
            log = app.screen.query_one(EventLog)
            seen = []
            for width in (120, 70, 120):
                await pilot.resize_terminal(width, 100)
                await pilot.pause()
                box = log.scrollable_content_region
                seen.append((width, box.width, [line[box.x:box.right] for line in screen_lines(app)[box.y:box.bottom]],
                             log.max_scroll_x))
            return seen, app.screen.view

    seen, view = asyncio.run(scenario())
    texts = [event_wording(e, view.labels, view.turn_limit) for e in view.events]
    carried = {}
    for width, box_width, lines, max_scroll_x in seen:
        assert box_width < width and max_scroll_x == 0, (width, box_width, max_scroll_x)   # no line runs past it
        carried.setdefault(width, []).append(wrapped_under_themselves(lines, texts))
    assert carried[70][0] > carried[120][0] == carried[120][1], carried


def test_a_reader_at_the_end_of_the_log_stays_there_when_the_terminal_is_resized(tmp_path):
    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=tokyo_holding(3))
        async with running(app, size=(120, 24)) as pilot:
            await pilot.press("escape", "5")
            await pilot.pause()
            log = app.screen.query_one(EventLog)
            ends = []
            for width, height in ((70, 24), (70, 16), (100, 30)):
                await pilot.resize_terminal(width, height)
                await pilot.pause()
                box = log.scrollable_content_region
                ends.append((log.scroll_y, log.max_scroll_y, screen_lines(app)[box.bottom - 1][box.x:box.right]))
            return ends, app.screen.view

    ends, view = asyncio.run(scenario())
    last_words = event_wording(view.events[-1], view.labels).split()[-3:]
    for scroll_y, max_scroll_y, bottom_line in ends:
        assert scroll_y == max_scroll_y > 0 and bottom_line.split()[-3:] == last_words, (bottom_line, last_words)


def test_the_instructors_log_wraps_again_to_a_resized_terminal(tmp_path):
    """The instructor's log of everything is laid out again at a new width, as the players' log is: narrowed, no
    line runs off its right edge; widened again, it is back on as few lines as before."""
    from tui.widgets.events import FlowingLog

    async def scenario():
        app = WargameApp(StartOptions(instructor=True), saves_dir=tmp_path, autosave=False, model=tokyo_holding(3))
        async with running(app, size=(120, 100)) as pilot:
            if not isinstance(app.screen, InstructorScreen):
                await pilot.press("i")
                await pilot.pause()
            assert isinstance(app.screen, InstructorScreen)
            await pilot.press("3")
            await pilot.pause()
            log = app.screen.query_one("#instructor-log", FlowingLog)
            seen = []
            for width in (120, 70, 120):
                await pilot.resize_terminal(width, 100)
                await pilot.pause()
                seen.append((width, log.scrollable_content_region.width, len(log.lines), log.max_scroll_x))
            return seen

    seen = asyncio.run(scenario())
    for width, box_width, _, max_scroll_x in seen:
        assert box_width < width and max_scroll_x == 0, seen
    assert seen[1][2] > seen[0][2] == seen[2][2], seen


def spectated(turns: int = 2) -> WargameModel:
    model = WargameModel(rng=7, turns=12)
    for _ in range(turns):
        model.step()
    return model


def finished() -> WargameModel:
    model = WargameModel(rng=7, turns=2)
    model.run()
    return model


# (case, the app's start options, the game, keys pressed to reach the screen)
BUSY_FOOTERS = [
    ("watching the AI, trade tab", StartOptions(), spectated, ("escape", "4")),
    ("the instructor's screen", StartOptions(instructor=True), lambda: tokyo_holding(1), ()),
    ("a player in instructor mode, trade tab", StartOptions(instructor=True), lambda: tokyo_holding(1),
     ("escape", "enter", "escape", "4")),
    ("game over", StartOptions(), finished, ("escape",)),
]


@pytest.mark.parametrize(("case", "options", "game", "keys"), BUSY_FOOTERS, ids=[c[0] for c in BUSY_FOOTERS])
@pytest.mark.parametrize("size", [SMALL, (100, 30), LARGE])
def test_a_busy_footer_always_shows_how_to_save_load_quit_and_get_help(tmp_path, case, options, game, keys, size):
    """At 80 columns the footer leaves out the least useful keys (which still work, and ? lists) rather than
    running off the screen past the app's own keys; where every key fits, every key is shown."""
    async def scenario():
        app = WargameApp(options, saves_dir=tmp_path, autosave=False, model=game())
        async with running(app, size=size) as pilot:
            await pilot.press(*keys)
            await pilot.pause()
            footer = screen_lines(app)[-1].rstrip()
            offered = [k for k in app.screen.query(FooterKey)]
            for key, does in (("^s", "Save"), ("^l", "Load"), ("^q", "Quit"), ("?", "Help")):
                assert f" {key} {does}" in f" {footer}", (key, footer)
            assert footer.endswith("^l Load") and len(footer) <= size[0]            # nothing cut off at its end
            # Every key offered is on screen, whole.
            assert all(f"{k.key_display} {k.description}" in footer for k in offered), footer
            active = [b for b in app.screen.active_bindings.values() if b.binding.show and b.binding.description]
            left_out = {b.binding.action for b in active} - {k.action for k in offered}
            assert bool(left_out) == (sum(len(b.binding.key_display or app.get_key_display(b.binding))
                                          + len(b.binding.description) + 3 for b in active) > size[0])
            return left_out

    left_out = asyncio.run(scenario())
    if size == LARGE:
        assert not left_out


def test_a_key_left_out_of_a_narrow_footer_still_works(tmp_path):
    from tui.screens.export import ExportScreen

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=spectated())
        async with running(app, size=SMALL) as pilot:
            await pilot.press("escape")
            assert "d" not in footer_keys(app.screen)          # Debrief: left out at 80 columns...
            await pilot.press("d")
            await pilot.pause()
            assert isinstance(app.screen, ExportScreen)         # ...yet d writes the debrief

    asyncio.run(scenario())


@pytest.mark.parametrize("actor", ["tokyo", "beijing", "jp_industrial_makers", "cn_exporters"])
@pytest.mark.parametrize("size", [SMALL, (100, 30), LARGE])
def test_the_status_line_always_shows_the_players_capital_and_the_tension(tmp_path, actor, size):
    """What gives way on a short line is the rung (the ladder shows it), then the date, then the end of a long
    name: never the capital, which a player needs to choose moves, nor the tension."""
    model = WargameModel(rng=7, turns=12, humans=(actor,))
    for _ in range(2):
        model.submit(actor, [])
        model.step()

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app, size=size) as pilot:
            await pilot.press("escape")
            return screen_lines(app)[0].rstrip(), app.screen.view

    line, view = asyncio.run(scenario())
    assert view.capital >= 10 or actor not in ("tokyo", "beijing")    # two digits: the case that was cut off
    assert len(line) <= size[0] and "…" not in line.split("│")[0]
    assert f"capital {view.capital:.1f} " in line + " " and f"tension {view.tension_text(view.tension)}" in line, line
    name = line.split("│")[1].split(" capital ")[0].strip()
    assert name == view.actor_name or (name.endswith("…") and view.actor_name.startswith(name[:-1])), line
    if size == LARGE:
        assert name == view.actor_name and view.rung in line and f"Turn {view.turn}/{view.turn_limit} · " in line
