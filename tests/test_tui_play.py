"""The terminal UI driven as a player drives it (Textual's Pilot): start, choose moves, play turns, save,
load and carry on — checking what the engine reports after each step."""

from __future__ import annotations

import asyncio
import threading

import pytest

pytest.importorskip("textual")

from textual.widgets import OptionList, Static  # noqa: E402

from tui.app import StartOptions, WargameApp  # noqa: E402
from tui.screens.confirm import ConfirmScreen  # noqa: E402
from tui.screens.help import HelpScreen  # noqa: E402
from tui.screens.load import LoadScreen  # noqa: E402
from tui.screens.over import GameOverScreen  # noqa: E402
from tui.screens.loaded import LoadedScreen  # noqa: E402
from tui.screens.report import ReportScreen  # noqa: E402
from tui.screens.save import SaveScreen  # noqa: E402
from tui.screens.turn import TurnScreen  # noqa: E402
from tui.widgets.events import EventLog, event_text  # noqa: E402
from tui.widgets.moves import MovePicker  # noqa: E402
from tui.widgets.progress import TurnProgressBar  # noqa: E402
from gamekit import tokyo_holding  # noqa: E402
from tuikit import open_load_screen, plain, running, settle  # noqa: E402


def run(coro):
    return asyncio.run(coro)


async def start(pilot) -> TurnScreen | None:
    await settle(pilot)
    await pilot.press("ctrl+n")
    await settle(pilot)
    return pilot.app.screen if isinstance(pilot.app.screen, TurnScreen) else None


async def choose(pilot, *moves: str) -> None:
    """Highlight each move in the list and press space, as a player would."""
    screen = pilot.app.screen
    await pilot.press("2")
    listing = screen.query_one("#move-list", OptionList)
    for move in moves:
        listing.highlighted = listing.get_option_index(move)
        await pilot.press("space")


async def end_turn(pilot) -> None:
    await pilot.press("e")
    await pilot.pause()
    assert isinstance(pilot.app.screen, ConfirmScreen)
    await pilot.press("y")
    await settle(pilot)


def legal_for(app: WargameApp, actor: str, count: int) -> list[str]:
    """The first `count` moves the engine allows `actor` now, cheapest first, that fit its capital together."""
    model = app.game.model
    moves = sorted(model.legal_moves(actor), key=lambda m: (model.rules.moves[m].capital, m))
    return moves[:count]


def test_play_save_load_and_continue(tmp_path):
    async def first_session():
        app = WargameApp(StartOptions(humans=("tokyo",), seed=11, turns=8), saves_dir=tmp_path)
        async with running(app) as pilot:
            screen = await start(pilot)
            assert screen is not None and screen.actor == "tokyo"
            model = app.game.model
            assert model.humans() == ["tokyo"] and model.seed == 11 and model.turn_limit == 8

            # Turn 1: one move. The report then says it was played, and the game autosaved.
            first = legal_for(app, "tokyo", 1)
            await choose(pilot, *first)
            assert screen.query_one(MovePicker).chosen == tuple(first)
            await end_turn(pilot)
            assert model.state.turn == 1
            assert model.reports[-1].adjudication.accepted["tokyo"] == first
            assert isinstance(app.screen, ReportScreen)
            report = plain(app.screen.query_one("#report-body", Static))
            assert f"✓ {model.rules.moves[first[0]].name}" in report
            assert (tmp_path / "autosave.json").is_file()
            await pilot.press("escape")

            # Turns 2 and 3: hold, then two moves.
            await end_turn(pilot)
            await pilot.press("escape")
            assert model.reports[-1].adjudication.accepted["tokyo"] == []
            pair = legal_for(app, "tokyo", 2)
            await choose(pilot, *pair)
            await end_turn(pilot)
            await pilot.press("escape")
            assert model.reports[-1].adjudication.accepted["tokyo"] == pair
            assert model.state.turn == 3

            # Save under a name of the player's choosing.
            await pilot.press("ctrl+s")
            assert isinstance(app.screen, SaveScreen)
            field = app.screen.query_one("#save-name")
            field.value = "before turn four"
            await pilot.press("enter")
            await pilot.pause()
            assert (tmp_path / "before turn four.json").is_file()
            saved_at = (model.state.turn, dict(model.state.indicators))

            # What turn 4 brings if this game simply continues.
            fourth = legal_for(app, "tokyo", 1)
            await choose(pilot, *fourth)
            await end_turn(pilot)
            assert model.state.turn == 4
            return saved_at, fourth, model.reports[-1].indicators

    async def second_session(saved_at, fourth, expected):
        app = WargameApp(StartOptions(), saves_dir=tmp_path)
        async with running(app) as pilot:
            await open_load_screen(pilot, tmp_path / "before turn four.json")
            assert isinstance(app.screen, LoadScreen)
            await pilot.press("enter")
            await settle(pilot)
            # The loaded game says where it stands (not the last report, as if that turn had just been played),
            # then shows the turn it stopped at.
            assert isinstance(app.screen, LoadedScreen)
            await pilot.press("escape")
            screen = app.screen
            assert isinstance(screen, TurnScreen) and screen.actor == "tokyo"
            model = app.game.model
            assert (model.state.turn, model.state.indicators) == saved_at
            await choose(pilot, *fourth)
            await end_turn(pilot)
            # Carrying on from the save gives exactly the turn the unsaved game played.
            assert model.state.turn == 4
            assert model.reports[-1].indicators == expected

    run(second_session(*run(first_session())))


def test_a_disallowed_move_is_explained_not_played(tmp_path):
    async def scenario():
        app = WargameApp(StartOptions(humans=("tokyo",), seed=2, turns=4), saves_dir=tmp_path)
        async with running(app) as pilot:
            screen = await start(pilot)
            model = app.game.model
            picker = screen.query_one(MovePicker)
            barred = next(m.id for m in model.rules.moves_by_actor["tokyo"] if model.why_illegal("tokyo", m.id))
            await choose(pilot, barred)
            assert picker.chosen == ()
            assert model.why_illegal("tokyo", barred) in picker.problems[0]
            assert "not allowed now" in plain(screen.query_one("#move-chosen", Static))

            # More moves than Tokyo may play in a turn, should a choice get past the Moves tab (which refuses the
            # extra move on the spot): the engine's reasons are shown and nothing resolves.
            limit = model.rules.actors["tokyo"].moves_per_turn
            picker.chosen = tuple(legal_for(app, "tokyo", limit + 1))
            await end_turn(pilot)
            assert model.state.turn == 0 and app.game.waiting == ["tokyo"]
            assert isinstance(app.screen, TurnScreen)
            assert any(f"at most {limit} moves" in p for p in picker.problems)

    run(scenario())


def test_a_turn_resolves_in_a_worker_while_keys_still_work(tmp_path):
    async def scenario():
        app = WargameApp(StartOptions(humans=("tokyo",), seed=4, turns=4), saves_dir=tmp_path)
        async with running(app) as pilot:
            screen = await start(pilot)
            model = app.game.model
            release, entered = threading.Event(), threading.Event()
            step = model.step

            def slow_step():
                entered.set()
                release.wait(10)
                step()

            model.step = slow_step
            await pilot.press("e")
            await pilot.pause()
            await pilot.press("y")
            while not entered.is_set():
                await pilot.pause(0.01)
            await pilot.pause()
            # The engine is busy: progress shows, and the player can still move around the screen.
            assert screen.query_one(TurnProgressBar).display
            await pilot.press("4")
            assert screen.query_one("#tabs").active == "trade"
            await pilot.press("ctrl+s")
            assert not isinstance(app.screen, SaveScreen)      # no saving halfway through a turn
            release.set()
            await settle(pilot)
            assert model.state.turn == 1
            assert not screen.query_one(TurnProgressBar).display
            assert isinstance(app.screen, ReportScreen)

    run(scenario())


def test_quitting_asks_first_and_help_lists_the_keys(tmp_path):
    async def scenario():
        app = WargameApp(StartOptions(humans=("tokyo",), seed=1), saves_dir=tmp_path)
        async with running(app) as pilot:
            await start(pilot)
            await pilot.press("question_mark")
            assert isinstance(app.screen, HelpScreen)
            keys = plain(app.screen.query_one("#help-keys", Static))
            for key, does in (("e", "End turn"), ("ctrl+s", "Save"), ("space", "Choose"), ("ctrl+q", "Quit")):
                assert any(line.split()[:1] == [key] and does in line for line in keys.splitlines()), (key, keys)
            # A key that works only sometimes says when; the tab keys are one line, not one each as well.
            for key, does in (("n", "Next turn (when watching the AI)"), ("i", "Instructor (in instructor mode"),
                              ("b", "What if? (when watching the AI, from turn 2)")):
                assert any(line.split()[:1] == [key] and does in line for line in keys.splitlines()), (key, keys)
            turn_section = keys[keys.index("Turn screen"):keys.index("Moves tab")]
            assert "1 … 5" in turn_section and not any(line.split()[:1] == ["2"] for line in turn_section.splitlines())
            await pilot.press("escape")
            await pilot.press("q")
            assert isinstance(app.screen, ConfirmScreen)
            await pilot.press("n")
            assert isinstance(app.screen, TurnScreen) and app.is_running
            await pilot.press("ctrl+q")
            await pilot.press("y")
            await pilot.pause()
            assert not app.is_running

    run(scenario())


@pytest.mark.parametrize(("turn_days", "said"), [(7, "Each turn is a week."), (3, "Each turn is 3 days."),
                                              (14, "Each turn is 2 weeks."), (1, "Each turn is a day.")])
def test_help_says_how_long_a_turn_of_the_ruleset_is(tmp_path, turn_days, said):
    from wargame.ruleset import DEFAULT_RULESET

    variant = tmp_path / "paced.yaml"
    variant.write_text(f"extends: {DEFAULT_RULESET}\nruleset: {{id: paced, name: Paced}}\n"
                       f"calendar: {{turn_days: {turn_days}, max_turns: 10}}\n")

    async def scenario():
        app = WargameApp(StartOptions(ruleset=str(variant)), saves_dir=tmp_path, autosave=False)
        async with running(app) as pilot:
            shown = []
            for _ in ("start screen", "turn screen"):
                await pilot.press("question_mark")
                assert isinstance(app.screen, HelpScreen)
                shown.append(plain(app.screen.query_one("#help-about", Static)))
                await pilot.press("escape")
                await start(pilot)
            assert app.game is not None and app.game.model.rules.turn_days == turn_days
            for about in shown:
                assert about.startswith(said), about
                assert ("week" in about.split(".")[0]) == (turn_days % 7 == 0)

    run(scenario())


class OpensBackChannel:
    """Beijing's AI, made to open secret talks whenever it may, so that there is something to hide."""

    def choose(self, observation, legal, rng):
        return ["back_channel_talks"] if "back_channel_talks" in legal else []


def test_watching_the_ai_shows_only_public_events(tmp_path):
    from wargame import WargameModel

    model = WargameModel(rng=5, turns=6, policies={"beijing": OpensBackChannel()})

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, turn_pause=0, model=model)
        async with running(app) as pilot:
            screen = app.screen
            assert isinstance(screen, TurnScreen) and screen.actor is None
            assert not screen.query("#moves")                     # a spectator has no moves to choose
            await pilot.press("n")
            await settle(pilot)
            assert model.state.turn == 1
            await pilot.press("a")
            await settle(pilot)
            assert not model.running
            assert isinstance(app.screen, ReportScreen)           # the last turn's report, then the outcome
            await pilot.press("escape")
            assert isinstance(app.screen, GameOverScreen)
            private = [e for e in model.events if e.visible_to is not None]
            assert any(e.move == "back_channel_talks" for e in private)
            await pilot.press("v")
            await pilot.pause()
            log = app.screen.query_one(EventLog)
            assert log.shown and all(e.visible_to is None for e in log.shown)
            assert "back-channel" not in "\n".join(event_text(e, None).plain for e in log.shown)

    run(scenario())


def test_a_damaged_save_is_explained_and_not_opened(tmp_path):
    (tmp_path / "broken.json").write_text('{"format": "wargame-save", "version"', encoding="utf-8")

    async def scenario():
        app = WargameApp(StartOptions(), saves_dir=tmp_path)
        async with running(app) as pilot:
            await open_load_screen(pilot, tmp_path / "broken.json")
            await pilot.press("enter")
            await settle(pilot)
            assert isinstance(app.screen, LoadScreen) and app.game is None
            assert "broken.json" in plain(app.screen.query_one("#load-error", Static))

    run(scenario())


class WaitsToDecide:
    """An AI that holds its decision until released, so the screen can be read meanwhile."""

    def __init__(self):
        self.deciding, self.release = threading.Event(), threading.Event()

    def choose(self, observation, legal, rng):
        self.deciding.set()
        self.release.wait(10)
        return []


def test_progress_names_the_actor_the_ai_is_deciding_for(tmp_path):
    from wargame import WargameModel

    ai = WaitsToDecide()
    model = WargameModel(rng=4, turns=3, policies={"washington": ai})
    order = list(model.actors).index("washington") + 1

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("n")
            while not ai.deciding.is_set():
                await pilot.pause(0.01)
            await pilot.pause()
            bar = app.screen.query_one(TurnProgressBar)
            assert bar.display
            assert f"Turn 1: Washington decides ({order}/{len(model.actors)})" in plain(bar.query_one("#progress-text"))
            ai.release.set()
            await settle(pilot)
            assert model.state.turn == 1 and not bar.display

    run(scenario())


def test_the_trade_tab_shows_a_dash_not_a_share_where_a_route_normally_carries_nothing(tmp_path):
    """Tokyo after turn 1 of seed 7: Lynas's token Dy/Tb route to Japan's alloy makers (0.001 t a week) shipped
    0.00115 t, which once read '115%' of normal next to a capacity and a flow both shown as 0.0."""
    from textual.widgets import DataTable

    from wargame import WargameModel

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, turn_pause=0,
                         model=WargameModel(rng=7, turns=5, humans=("tokyo",)))
        async with running(app) as pilot:
            await end_turn(pilot)
            await pilot.press("escape", "4")                 # past the turn's report, to the Trade tab
            await pilot.pause()
            table = app.screen.query_one("#edges", DataTable)
            rows = {key.value: [str(c) for c in table.get_row(key)] for key in table.rows}
            lynas = "Lynas Malaysia → Japanese alloy makers"
            token = next(k for k, r in rows.items() if r[0].replace("\n", " ") == lynas and r[1] == "Dy/Tb")
            assert rows[token][2:5] == ["0.0", "0.0", "—"]
            # A real route still shows its share.
            real = next(k for k, r in rows.items() if r[0].replace("\n", " ") == lynas and r[1] == "NdPr")
            assert rows[real][4].endswith("%")
            table.move_cursor(row=list(rows).index(token))
            await pilot.pause()
            detail = plain(app.screen.query_one("#edge-detail", Static))
            assert "normally carries nothing" in detail and "of normal" not in detail

    run(scenario())


@pytest.mark.parametrize(("turn_days", "short", "long"), [(7, "wk", "week"), (3, "turn", "turn"), (1, "day", "day")])
def test_flows_capacities_and_stocks_are_labelled_per_turn_of_the_ruleset(tmp_path, turn_days, short, long):
    """Capacities, flows and lead times are per turn: per week only where a turn is a week."""
    from textual.widgets import DataTable

    from tui.widgets.indicators import IndicatorSection
    from wargame import WargameModel
    from wargame.ruleset import DEFAULT_RULESET

    variant = tmp_path / "paced.yaml"
    variant.write_text(f"extends: {DEFAULT_RULESET}\nruleset: {{id: paced, name: Paced}}\n"
                       f"calendar: {{turn_days: {turn_days}, max_turns: 10}}\n")
    model = WargameModel(str(variant), rng=7, turns=5, humans=("tokyo",))
    model.submit("tokyo", [])
    model.step()

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)
        async with running(app, size=(200, 60)) as pilot:
            await pilot.press("escape", "4")
            await pilot.pause()
            table = app.screen.query_one("#edges", DataTable)
            headers = [str(c.label) for c in table.columns.values()]
            rows = {key.value: [str(c) for c in table.get_row(key)] for key in table.rows}
            shipping = next(i for i, r in enumerate(rows.values())
                            if r[0].replace("\n", " ") == "Lynas Malaysia → Japanese alloy makers")
            table.move_cursor(row=shipping)
            await pilot.pause()
            detail = plain(app.screen.query_one("#edge-detail", Static))
            await pilot.press("3")
            await pilot.pause()
            sections = [plain(s) for s in app.screen.query(IndicatorSection)]
            return headers, detail, "\n".join(sections)

    headers, detail, indicators = asyncio.run(scenario())
    assert headers[2:4] == [f"Cap/{short}", f"Flow/{short}"]
    assert f" t a {long};" in detail or f" t a {long}\n" in detail, detail
    assert f" {long}s in transit" in detail or f" 1 {long} in transit" in detail, detail
    assert f"t/{short} " in indicators and f"in {long}s of normal use" in indicators
    cover = "wk" if turn_days == 7 else f"{long}s"
    assert any(line.startswith("Stock of ") and f" {cover} " in line for line in indicators.splitlines()), indicators
    assert ("wk" in indicators or "week" in detail) == (turn_days == 7)
    # The objective of supply committed outside China, as the overview lists it, is per turn too.
    from wargame.views import objective_standings

    diversification = next(s for s in objective_standings(model, "washington") if s.objective == "diversification")
    assert diversification.text.endswith(f" t/{short}"), diversification.text


def test_the_final_position_opens_on_the_overview_not_on_moves_no_one_can_play(tmp_path):
    from textual.widgets import TabbedContent

    model = tokyo_holding(2, turns=2)

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, model=model)
        async with running(app) as pilot:
            await pilot.press("escape")                         # past the last turn's report
            assert isinstance(app.screen, GameOverScreen)
            await pilot.press("v")
            await pilot.pause()
            assert isinstance(app.screen, TurnScreen) and app.screen.looking_back
            assert app.screen.query_one("#tabs", TabbedContent).active == "overview"
            await pilot.press("escape")
            assert isinstance(app.screen, GameOverScreen)

    run(scenario())


def test_the_log_says_whose_move_lapsed(tmp_path):
    """Several actors may play the same move: when one lapses, the log names whose it was."""
    from wargame import WargameModel

    model = WargameModel(rng=3, turns=30, humans=("tokyo",))
    while model.running and not [e for e in model.events if e.kind == "expired" and e.visible_to is None]:
        model.submit("tokyo", [])
        model.step()
    lapsed = next(e for e in model.events if e.kind == "expired" and e.visible_to is None)
    owner = model.rules.actors[lapsed.actor].name

    async def scenario():
        app = WargameApp(saves_dir=tmp_path, autosave=False, turn_pause=0, model=model)
        async with running(app, size=(200, 60)) as pilot:
            await pilot.press("escape", "5")
            await pilot.pause()
            return " ".join(strip.text for strip in app.screen.query_one(EventLog).lines)

    log = " ".join(run(scenario()).split())          # a long event wraps under itself: read it as one line
    assert f"{owner}: {lapsed.text}" in log, log
