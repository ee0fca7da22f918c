"""The engine keeps an index of the moves in force current as moves start and end, and tests legality
from per-actor tables. On random games, with an instructor intervening and saves restored mid-game, both
must agree with the plain definitions: a fresh count of `state.active`, and `why_illegal` move by move."""

from __future__ import annotations

from collections import Counter

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gamekit import drive, new_game
from wargame.saves import load_game, save_game


def fresh_counts(state, families):
    moves = Counter(a["move"] for a in state.active)
    pairs = Counter((a["move"], a["actor"]) for a in state.active)
    by_family = Counter()
    for a in state.active:
        by_family[families[a["move"]], None] += 1
        by_family[families[a["move"]], a["actor"]] += 1
    return moves, pairs, by_family


def check_against_definitions(model) -> None:
    rules, state = model.rules, model.state
    families = {m.id: m.family for m in rules.moves.values()}
    moves, pairs, by_family = fresh_counts(state, families)
    for move in rules.moves:
        assert state.is_active(move) == (move in moves)
        for actor in rules.moves[move].actors:
            assert state.is_active(move, actor) == (pairs[move, actor] > 0)
    for (family, actor), n in by_family.items():
        assert state.count_active(family, actor) == n
    for family in set(families.values()) - {f for f, _ in by_family}:
        assert state.count_active(family) == 0
    for actor in rules.actor_ids:
        expected = [m for m in rules.moves if actor in rules.moves[m].actors and model.why_illegal(actor, m) is None]
        assert model.legal_moves(actor) == expected


@settings(max_examples=12, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(seed=st.integers(0, 10_000), policy=st.sampled_from(["random", "utility"]), reload_at=st.integers(1, 10))
def test_index_and_legality_follow_the_moves_in_force(rules, tmp_path, seed, policy, reload_at):
    model = new_game(rules, seed, turns=14, policy=policy)
    while model.running:
        drive(model, seed)
        model.step()
        check_against_definitions(model)
        if model.state.turn == reload_at:
            # A restored game starts from plain data: its index is built afresh and must carry on the same.
            path = save_game(model, tmp_path / f"g{seed}.json")
            model = load_game(path, rules)
            check_against_definitions(model)
