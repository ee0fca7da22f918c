"""What-if branches: a save replayed up to a turn, then played on with different moves."""

from __future__ import annotations

import json

import pytest

from conftest import json_lines, run_cli
from gamekit import new_game, state_json
from wargame.errors import IllegalMove, WargameError
from wargame.instructor import Instructor
from wargame.replay import branch, parse_moves, replay
from wargame.saves import load_game, save_game, snapshot


@pytest.fixture(scope="module")
def parent(rules):
    """A finished game with a human Tokyo, injects and a reveal (which branches keep), and no overrides."""
    game = new_game(rules, 17, 8, ("tokyo",), "utility")
    ins = Instructor(game)
    script = {1: ["formal_protest"], 2: [], 3: ["demarche"], 5: ["release_national_stockpile"]}
    while game.running:
        t = game.turn
        if t == 2:
            ins.inject("typhoon_japan_port")
        if t == 4:
            ins.reveal("beijing")
            ins.inject("g7_summit_communique")
        game.submit("tokyo", [m for m in script.get(t, []) if m in game.legal_moves("tokyo")])
        game.step()
    return snapshot(game), game


def test_branching_with_the_same_moves_gives_back_the_same_game(rules, parent):
    doc, game = parent
    for at in range(1, game.state.turn + 1):
        same = game.reports[at - 1].orders["tokyo"]
        twin = branch(doc, at=at, moves={at: {"tokyo": same}})
        assert state_json(twin) == state_json(game), f"branch at turn {at}"
        assert [r.orders for r in twin.reports] == [r.orders for r in game.reports]


def test_a_branch_departs_at_its_turn_and_replays_exactly(rules, parent):
    doc, game = parent
    what_if = branch(doc, at=3, moves={3: {"tokyo": ["clarify_taiwan_position", "back_channel_talks"]}})
    assert [r.indicators for r in what_if.reports[:2]] == [r.indicators for r in game.reports[:2]]
    assert what_if.reports[2].orders["tokyo"] == ["clarify_taiwan_position", "back_channel_talks"]
    others = {a: m for a, m in what_if.reports[2].orders.items() if a != "tokyo"}
    assert others == {a: m for a, m in game.reports[2].orders.items() if a != "tokyo"}
    kinds = [(r["turn"], r["kind"]) for r in what_if.interventions]
    assert (3, "branch") in kinds and (3, "override") in kinds and (3, "policy") in kinds
    assert (4, "inject") in kinds and (4, "reveal") in kinds and (2, "inject") in kinds
    assert any(e.kind == "instructor" and "What-if branch" in e.text for e in what_if.events)
    assert replay(snapshot(what_if), rules).matches
    again = branch(snapshot(what_if), at=5, moves={5: {"beijing": []}})
    assert again.reports[4].orders["beijing"] == []
    assert replay(snapshot(again), rules).matches


def test_later_turns_policies_and_injects(rules, parent):
    doc, game = parent
    held = branch(doc, at=2, policies={"beijing": "hold"}, moves={4: {"tokyo": []}}, keep_injects=False)
    assert all(r.orders["beijing"] == [] for r in held.reports[1:])
    assert held.reports[3].orders["tokyo"] == []
    assert not [r for r in held.interventions if r["kind"] == "inject" and r["turn"] > 2]
    assert [r for r in held.interventions if r["kind"] == "reveal"]
    assert replay(snapshot(held), rules).matches


def test_turns_zero_sets_the_branch_up_for_a_front_end(rules, parent):
    doc, game = parent
    ready = branch(doc, at=4, moves={4: {"beijing": []}}, turns=0)
    assert ready.turn == 4 and ready.state.turn == 3 and ready.running
    ready.step()
    assert ready.reports[-1].orders["beijing"] == []


def test_continuing_a_save_one_turn_at_a_time(rules, tmp_path):
    game = new_game(rules, 23, 10, ("tokyo",), "utility")
    game.run(1)
    path = save_game(game, tmp_path / "class.json")
    for week in range(2, 5):
        moves = load_game(path).legal_moves("tokyo")[:1]
        nxt = branch(path, moves={0: {"tokyo": moves}}, turns=1)
        assert nxt.state.turn == week and nxt.turn_limit == 10
        assert nxt.reports[-1].orders["tokyo"] == moves
        save_game(nxt, path)
    assert replay(path).matches


def test_bad_branches_are_refused(rules, parent):
    doc, game = parent
    played = game.state.turn
    with pytest.raises(WargameError, match=f"is over .*--at 1 to {played}"):
        branch(doc, at=played + 5)
    with pytest.raises(WargameError, match="is over"):
        branch(doc)
    with pytest.raises(WargameError, match="comes before the branch turn"):
        branch(doc, at=4, moves={2: {"tokyo": []}})
    with pytest.raises(IllegalMove) as err:
        branch(doc, at=3, moves={3: {"tokyo": ["full_export_embargo"]}})
    assert "full_export_embargo: belongs to Beijing, not Tokyo" in str(err.value)
    with pytest.raises(WargameError, match="unknown policy"):
        branch(doc, at=3, policies={"tokyo": "clever"})
    with pytest.raises(WargameError, match="unknown actor 'tokio'"):
        parse_moves(["tokio=demarche"], 3, rules.actor_ids)
    assert parse_moves(["tokyo=a,b", "5:beijing=hold"], 3, rules.actor_ids) == {3: {"tokyo": ["a", "b"]},
                                                                                5: {"beijing": []}}


@pytest.mark.parametrize("given, header", [
    ([], "(nothing changed)"),
    (["--policy", "washington=hold"], "— Washington played by {hold}"),
    (["--policy", "beijing=random", "--moves", "tokyo=back_channel_talks"],
     "— turn 3 Tokyo ({talks}), Beijing played by {random}"),
])
def test_the_branch_header_says_what_the_branch_changes_moves_and_players_alike(rules, parent, tmp_path, given, header):
    from wargame.policies import PLAYED_BY

    a = tmp_path / "class.json"
    a.write_text(json.dumps(parent[0]))
    done = run_cli("branch", str(a), "--at", "3", "--turns", "4", *given)
    assert done.returncode == 0, done.stderr
    expected = header.format(hold=PLAYED_BY["hold"], random=PLAYED_BY["random"],
                             talks=rules.moves["back_channel_talks"].name)
    assert done.stdout.splitlines()[0] == f"Branch of {a} from turn 3 {expected}"


def test_the_branch_and_compare_commands(rules, parent, tmp_path):
    doc, game = parent
    a = tmp_path / "class.json"
    a.write_text(json.dumps(doc))
    b = tmp_path / "whatif.json"
    done = run_cli("branch", str(a), "--at", "3", "--moves", "tokyo=clarify_taiwan_position,back_channel_talks",
                   "--save", str(b))
    assert done.returncode == 0, done.stderr
    assert "Branch of" in done.stdout and "Turn  3" in done.stdout and "Turn  2" not in done.stdout
    # The changed moves are named as players know them, in the header and in the branch's own log.
    changed = f"turn 3 Tokyo ({rules.moves_text(['clarify_taiwan_position', 'back_channel_talks'])})"
    assert changed in done.stdout.splitlines()[0]
    assert any(changed in e.text for e in load_game(b).events if e.kind == "instructor")
    assert "Moves first differ on turn 3" in done.stdout
    assert load_game(b).reports[2].orders["tokyo"] == ["clarify_taiwan_position", "back_channel_talks"]
    done = run_cli("compare", str(a), str(b), "--indicator", "tension", "--indicator", "ladder")
    assert done.returncode == 0, done.stderr
    assert "Moves first differ on turn 3" in done.stdout and "turn 3, Tokyo" in done.stdout
    table = [line.split() for line in done.stdout.splitlines() if line.strip().startswith(("1 ", "2 "))]
    assert table and table[0][1] == table[0][2]           # turn 1: the same tension in A and B
    done = run_cli("branch", str(a), "--at", "3", "--moves", "tokyo=full_export_embargo")
    assert done.returncode == 2 and "full_export_embargo: belongs to Beijing, not Tokyo" in done.stderr
    assert len(done.stderr.strip().splitlines()) == 1


@pytest.fixture(scope="module")
def unfinished(rules):
    """A save after 2 of 8 turns."""
    game = new_game(rules, 5, 8, (), "utility")
    game.run(2)
    return snapshot(game)


@pytest.mark.parametrize("save, command, expected", [
    ("finished", ["branch", "--at", "9"], "the game in {f} is over (after turn 8); branch from an earlier turn "
                                          "(--at 1 to 8)"),
    ("finished", ["branch", "--at", "12"], "the game in {f} is over (after turn 8); branch from an earlier turn "
                                           "(--at 1 to 8)"),
    ("finished", ["resume"], "the game in {f} is over (after turn 8, its turn limit); --turns N plays N more turns"),
    ("unfinished", ["branch", "--at", "4"], "--at: expected a turn from 1 to 3 (the save has 2 turns), got 4"),
    ("unfinished", ["branch", "--at", "9"], "--at: expected a turn from 1 to 3 (the save has 2 turns), got 9"),
])
def test_a_branch_turn_out_of_range_is_one_line(parent, unfinished, tmp_path, save, command, expected):
    doc = parent[0] if save == "finished" else unfinished
    f = tmp_path / f"{save}.json"
    f.write_text(json.dumps(doc))
    before = f.read_bytes()
    done = run_cli(command[0], str(f), *command[1:])
    assert done.returncode == 2
    assert done.stderr.startswith(expected.format(f=f)), done.stderr
    assert len(done.stderr.strip().splitlines()) == 1 and "Traceback" not in done.stderr
    assert done.stdout == "" and f.read_bytes() == before


def test_the_resume_command_plays_one_session_at_a_time(tmp_path):
    from gamekit import run_with_input

    path = tmp_path / "sim.json"
    done = run_with_input("run", "--turns", "10", "--seed", "5", "--policy", "tokyo=human", "--instructor",
                          "--save", str(path), input_text="override tokyo formal_protest\ncontinue\nquit\n")
    assert done.returncode == 0, done.stderr
    first = load_game(path)
    assert first.state.turn == 1 and first.running and first.reports[0].orders["tokyo"] == ["formal_protest"]
    assert any(e.text.startswith("Moves entered for Tokyo on turn 1") for e in first.events)
    done = run_with_input("resume", str(path), "--turns", "1", "--moves", "tokyo=demarche", "--instructor",
                          input_text="inject wto_panel_ruling\ncontinue\n")
    assert done.returncode == 0, done.stderr
    assert "Resuming" in done.stdout and "Turn  2" in done.stdout and f"saved to {path}" in done.stderr
    second = load_game(path)
    assert second.state.turn == 2 and second.policy_names["tokyo"] == "human"
    assert second.reports[1].orders["tokyo"] == ["demarche"]
    assert [r["kind"] for r in second.interventions] == ["override", "override", "inject"]
    assert not any(r["kind"] in ("branch", "policy") for r in second.interventions)
    assert run_cli("replay", str(path)).returncode == 0


def test_resuming_starts_from_the_snapshot_even_when_the_record_no_longer_replays(rules):
    from wargame.replay import ReplayError
    from wargame.saves import _checksum, restore

    game = new_game(rules, 29, 8, ("tokyo",), "utility")
    game.run(3)
    doc = json.loads(json.dumps(snapshot(game)))
    doc["history"][0]["orders"]["beijing"] = []      # as if the engine now played turn 1 otherwise
    doc["checksum"] = _checksum(doc)
    assert not replay(doc, rules).matches
    with pytest.raises(ReplayError, match="does not replay exactly"):
        branch(doc, at=2)
    resumed = branch(doc, turns=2)
    loaded = restore(doc, rules)
    loaded.run(2)
    assert state_json(resumed) == state_json(loaded)
    assert not [r for r in resumed.interventions if r["kind"] in ("branch", "policy")]


@pytest.mark.parametrize("played, limit, extended_to, expected_limit", [
    (3, 3, 5, 5),       # reached its limit: reopened, the limit's outcome taken back
    (2, 4, 6, 6),       # unfinished: only the limit moves
    (3, 3, 3, 3),       # no higher: nothing changes
    (3, 3, 2, 3),
])
def test_a_saves_turn_limit_is_extended_as_if_the_game_had_started_with_it(rules, played, limit, extended_to,
                                                                           expected_limit):
    """What 'wargame resume --turns' does to a save, for any front end: the game played on is the game that a
    longer limit gives."""
    from wargame import WargameModel
    from wargame.saves import extend_turn_limit

    game = WargameModel(rules, rng=5, turns=limit)
    game.run(played)
    doc = snapshot(game)
    at_limit = played >= limit and game.state.outcome is not None
    taken_back = extend_turn_limit(doc, rules, extended_to)
    assert doc["turn_limit"] == expected_limit
    assert (taken_back is not None) == (at_limit and expected_limit > limit)
    if expected_limit > limit:
        assert doc["state"]["outcome"] is None
        assert not any(e["kind"] == "outcome" for e in doc["events"])
        assert replay(doc, rules).matches
        longer = WargameModel(rules, rng=5, turns=expected_limit)
        longer.run()
        continued = branch(doc)
        assert state_json(continued) == state_json(longer)
    else:
        assert doc == snapshot(game)


def test_a_players_recorded_move_the_branch_no_longer_allows_is_reported(rules, parent, tmp_path):
    """Tokyo released the stockpile on turn 5 of the saved game; released on turn 3 in the branch, it is still in
    force on turn 5, so Tokyo's recorded move is rejected there: in the log, its events and on the console."""
    doc, game = parent
    assert game.reports[4].orders["tokyo"] == ["release_national_stockpile"]
    a = tmp_path / "class.json"
    a.write_text(json.dumps(doc))
    b = tmp_path / "whatif.json"
    done = run_cli("branch", str(a), "--at", "3", "--moves", "tokyo=release_national_stockpile", "--save", str(b))
    assert done.returncode == 0, done.stderr
    stockpile = rules.moves["release_national_stockpile"].name
    saved = load_game(b)
    assert saved.reports[4].orders["tokyo"] == []
    reasons = saved.reports[4].adjudication.rejected["tokyo"]
    assert [m for m, _ in reasons] == ["release_national_stockpile"]
    why = reasons[0][1]
    logged = [e for e in saved.events if e.kind == "rejected" and e.actor == "tokyo"]
    assert [(e.turn, e.move) for e in logged] == [(5, "release_national_stockpile")]
    assert f"{stockpile} not played: {why}" in done.stdout.split("Turn  5")[1].split("Turn  6")[0]
    assert f"turn 5: Tokyo's move from the saved game was not played: {stockpile}: {why}" in done.stderr
    assert run_cli("replay", str(b)).returncode == 0
    # The same when the turn log is left out, and in the JSON lines.
    done = run_cli("branch", str(a), "--at", "3", "--moves", "tokyo=release_national_stockpile", "--json")
    assert done.returncode == 0 and "turn 5: Tokyo's move from the saved game was not played" in done.stderr
    [turn5] = [t for t in json_lines(done.stdout) if t["type"] == "turn" and t["turn"] == 5]
    assert any(e["kind"] == "rejected" and e["actor"] == "tokyo" for e in turn5["events"])


def _instructor_lines(log: str) -> dict[int, list[str]]:
    """The instructor's lines printed before each turn of a log, by turn."""
    out: dict[int, list[str]] = {}
    pending: list[str] = []
    for line in log.splitlines():
        if line.startswith("  [instructor] "):
            pending.append(line)
        elif line.startswith("Turn "):
            out[int(line.split()[1])] = pending
            pending = []
    return out


def test_a_branch_log_shows_the_interventions_before_each_turn_as_a_replay_does(rules, parent, tmp_path):
    doc, game = parent
    a = tmp_path / "class.json"
    a.write_text(json.dumps(doc))
    replayed = run_cli("replay", str(a), "--log")
    assert replayed.returncode == 0, replayed.stderr
    done = run_cli("branch", str(a), "--at", "3", "--moves", "tokyo=clarify_taiwan_position")
    assert done.returncode == 0, done.stderr
    parent_lines, branch_lines = _instructor_lines(replayed.stdout), _instructor_lines(done.stdout)
    assert parent_lines[4] and branch_lines[4] == parent_lines[4]      # the reveal and the inject before turn 4
    assert all(branch_lines[t] == [] for t in range(5, 9))
    # Before the branch turn: where the branch departs and what it changes, as the branch's own replay shows.
    assert any("What-if branch" in line for line in branch_lines[3])
    # Left out with the injects, and the turn log with --quiet.
    dropped = _instructor_lines(run_cli("branch", str(a), "--at", "3", "--drop-injects").stdout)
    assert not any("Event from the inject deck" in line for line in dropped[4]) and dropped[4]
    assert "[instructor]" not in run_cli("branch", str(a), "--at", "3", "--quiet").stdout


@pytest.mark.parametrize("command", ["run", "branch"])
def test_each_command_lists_exactly_the_policies_it_takes(parent, tmp_path, command):
    """The policies an unknown one's error offers are those the command then accepts, and those it refuses are
    not offered: a branch has no one at the keyboard ('human') and a new game no record to repeat ('recorded')."""
    import re

    from gamekit import run_with_input

    a = tmp_path / "class.json"
    a.write_text(json.dumps(parent[0]))
    head = ["run", "--turns", "1"] if command == "run" else ["branch", str(a), "--at", "2", "--turns", "1"]
    done = run_with_input(*head, "--policy", "beijing=nosuch", "--quiet" if command == "branch" else "--json")
    assert done.returncode == 2 and len(done.stderr.strip().splitlines()) == 1, done.stderr
    offered = re.search(r"expected (.*) or module:Class$", done.stderr.strip()).group(1).split(", ")
    assert sorted(offered) == sorted({"utility", "random", "hold", "human" if command == "run" else "recorded"})
    for name in ("utility", "random", "hold", "human", "recorded"):
        extra = ["--instructor"] if name == "human" and command == "run" else []
        done = run_with_input(*head, "--policy", f"beijing={name}", *extra, "--json", input_text="continue\n")
        if name in offered:
            assert done.returncode == 0, (name, done.stderr)
        else:
            assert done.returncode == 2 and done.stderr.startswith(f"--policy beijing={name}: "), done.stderr
            assert done.stderr.strip().endswith(f"expected {', '.join(offered)} or module:Class")
