"""`wargame describe` prints the parameters the game plays with: defaults filled in as the game fills them, each
value in a row of its own."""

from __future__ import annotations

import pytest

from conftest import run_cli
from wargame.describe import describe
from wargame.figures import musd_as_typed, yen
from wargame.render import move_lines
from wargame.ruleset import DEFAULT_RULESET, ruleset_from_text

# (name, text in the default ruleset, replacement, row expected in the tables)
CASES = [
    ("capital.start defaults to a max below 10", "    capital: {start: 6, per_turn: 1, max: 10}\n    moves_per_turn: 1\n"
     "    temperature: 0.3", "    capital: {max: 6}\n    moves_per_turn: 1\n    temperature: 0.3",
     "| cn_exporters | Chinese state-owned exporters | firm | CN |  | 6 / 2 / 6 | 1 | 0.3 |"),
    ("a market setting left out takes its default", "  headroom_response: 1.0\n", "",
     "| market.headroom_response | 0.3 |"),
    ("each government's pressure drivers on a row of its own", None, None,
     "| politics.pressure.drivers.beijing | china_export_loss: 0.15, cohesion: 0.01 |"),
    ("an edge with nothing to carry", "capacity: {ore: 5158}", "capacity: {}",
     "| cn_ore | cn_mines → cn_separation | nothing |"),
    ("ladder rungs in order of tension, as the game climbs them",
     "    0: Normal relations\n    2: Diplomatic friction\n", "    2: Diplomatic friction\n    0: Normal relations\n",
     "| politics.ladder.0 | Normal relations |\n| politics.ladder.2 | Diplomatic friction |"),
]


@pytest.mark.parametrize("name, old, new, row", CASES, ids=[c[0] for c in CASES])
def test_describe_shows_the_value_the_game_plays_with(default_text, name, old, new, row):
    text = default_text
    if old is not None:
        assert old in text, f"{name}: the default ruleset no longer holds the text this case edits"
        text = text.replace(old, new, 1)
    rules = ruleset_from_text(text, str(DEFAULT_RULESET))
    assert row in describe(rules)


def test_describe_shows_a_variant_with_its_parent_merged_in():
    result = run_cli("describe", "rulesets/japan_180_day_stockpile.yaml")
    assert result.returncode == 0, result.stderr
    assert "## Parameters of `japan_180_day_stockpile`" in result.stdout
    # Nodes and moves the variant takes from the default ruleset are there, with their sources.
    assert "| cn_mines | Chinese mines (Bayan Obo, southern ionic clays) | mine | CN | 5192 |" in result.stdout
    assert ("| dual_use_export_ban | Ban dual-use exports to Japanese military end uses (MOFCOM Announcement No. 1) | "
            "beijing | coercion | +3 | capital 3 | until cancelled |  |  | MOFCOM") in result.stdout


# (move, its row's name, severity, cost and duration: as the move catalogue words them)
MOVE_ROWS = [
    ("state_media_warning", "| Warn Japan through state media and the MOFCOM spokesperson | beijing | signalling | +1 | "
                            "capital 0.5 | one-off |"),
    ("release_national_stockpile", "| Release the JOGMEC national stockpile | tokyo | friend_shoring | +0 | capital 2, "
                                   "$10 m | for 12 turns |"),
    ("clarify_taiwan_position", "| Clarify that Japan's Taiwan policy is unchanged | tokyo | de_escalation | -1 | "
                                "capital 1 | one-off |"),
    ("substitution_rd", "| Fund Dy-free magnet and motor R&D | tokyo | friend_shoring | +0 | capital 1, $80 m | "
                        "until cancelled |"),
]


@pytest.mark.parametrize("move, row", MOVE_ROWS, ids=[m for m, _ in MOVE_ROWS])
def test_describe_names_each_move_and_words_its_cost_and_duration_as_the_catalogue_does(rules, move, row):
    assert f"| {move} {row}" in describe(rules)


# (move, what it requires and how often it may be played, as its row gives them: the move catalogue's words)
MOVE_CONDITIONS = [
    ("state_media_warning", "| one-off |  | not again for 2 turns after it is played |"),
    ("g7_wto_joint_case", "| one-off | 'File a WTO case against the export restrictions' has been played (in public or "
                          "by the G7) | once a game |"),
    ("leaders_summit", "| one-off | tension at most 6.5; 'Open back-channel talks' has been played (in public or by "
                       "Beijing) | not again for 8 turns after it is played |"),
    ("release_national_stockpile", "| capital 2, $10 m | for 12 turns |  |  |"),
]


@pytest.mark.parametrize("move, cells", MOVE_CONDITIONS, ids=[m for m, _ in MOVE_CONDITIONS])
def test_describe_says_what_each_move_requires_and_how_often_it_may_be_played(rules, move, cells):
    row = next(line for line in describe(rules).splitlines() if line.startswith(f"| {move} |"))
    assert cells in row
    # In the words of the move catalogue, which lists the same limits and conditions a line each.
    catalogue = move_lines(rules, rules.moves[move])
    for line in catalogue:
        if line.strip().startswith(("limit: ", "requires: ")):
            assert line.strip().split(": ", 1)[1] in row


def test_describe_words_money_as_the_game_does(rules):
    text = describe(rules)
    for node in rules.network.nodes:
        if node.economy:
            assert f"| value added {yen(node.economy.value_added_jpy_per_turn)}/turn" in text
    for move in rules.moves.values():
        if move.money_musd:
            assert f"| capital {move.capital:g}, {musd_as_typed(move.money_musd)} |" in text
