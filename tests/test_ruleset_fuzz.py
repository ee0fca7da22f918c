"""Rulesets that instructors edit by hand: any mutant of a real ruleset either loads and plays, or is refused
with one line per problem naming the file, the key that exists in it, and that key's line.

Mutations: delete a key, give a value another type, an odd number (0, negative, huge, .nan, .inf, tiny, above 1),
rename an entry so references to it dangle, duplicate a list item, empty a list or mapping. A mutant that loads
plays short games with random and utility AIs, an instructor's injects and a move script.

The examples are derandomized so that the suite stays stable; explore further with
WARGAME_FUZZ_EXAMPLES=2000 WARGAME_FUZZ_RANDOM=1 .venv/bin/python -m pytest tests/test_ruleset_fuzz.py
"""

from __future__ import annotations

import copy
import math
import os
import tempfile
from functools import cache
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gamekit import new_game
from wargame.errors import RulesetError, ScriptError
from wargame.instructor import Instructor
from wargame.model import WargameModel
from wargame.ruleset import DEFAULT_RULESET, load_ruleset, ruleset_from_text
from wargame.scripts import load_script
from wargame.yamlio import format_path, load_text

RULESETS = DEFAULT_RULESET.parent
SCRIPT = RULESETS / "scripts" / "full_stop.yaml"
VARIANTS = sorted(p for p in RULESETS.glob("*.yaml") if p != DEFAULT_RULESET)
ENTRY_SECTIONS = ("commodities", "countries", "nodes", "edges", "actors", "moves", "injects", "outcomes")

ODD_VALUES = ("text", ["a", 1], {"x": 1}, None, True, False, [], {}, "")
ODD_NUMBERS = (0, 0.0, -1, -0.5, 1.5, 2, 100, 1e-300, 1e300, 10**30, math.nan, math.inf, -math.inf)

FUZZ = settings(max_examples=int(os.environ.get("WARGAME_FUZZ_EXAMPLES", 25)), deadline=None,
                derandomize=not os.environ.get("WARGAME_FUZZ_RANDOM"),
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def _paths(data, prefix=()):
    if isinstance(data, dict):
        for key, value in data.items():
            yield prefix + (key,)
            yield from _paths(value, prefix + (key,))
    elif isinstance(data, list):
        for i, value in enumerate(data):
            yield prefix + (i,)
            yield from _paths(value, prefix + (i,))


def _get(data, path):
    for part in path:
        data = data[part]
    return data


def _exists(data, path) -> bool:
    try:
        _get(data, path)
    except (KeyError, IndexError, TypeError):
        return False
    return True


@cache
def _original(path: Path) -> dict:
    return yaml.safe_load(path.read_text(encoding="utf-8"))


@cache
def _targets(path: Path) -> dict[str, tuple]:
    """The paths of a ruleset each kind of mutation can apply to."""
    data = _original(path)
    every = tuple(_paths(data))
    return {
        "delete": every,
        "retype": every,
        "number": tuple(p for p in every if isinstance(_get(data, p), (int, float))
                        and not isinstance(_get(data, p), bool)) or every,
        "rename": tuple((sec, name) for sec in ENTRY_SECTIONS if isinstance(data.get(sec), dict)
                        for name in data[sec]) or every,
        "duplicate": tuple(p for p in every if isinstance(_get(data, p), list) and _get(data, p)) or every,
        "empty": tuple(p for p in every if isinstance(_get(data, p), (list, dict)) and _get(data, p)) or every,
    }


@st.composite
def mutations(draw, path: Path):
    """One mutation of the ruleset at `path`: (kind, path in the data, new value or None)."""
    kind = draw(st.sampled_from(("delete", "retype", "number", "number", "rename", "duplicate", "empty")))
    where = draw(st.sampled_from(_targets(path)[kind]))
    value = draw(st.sampled_from(ODD_VALUES)) if kind == "retype" else \
        draw(st.sampled_from(ODD_NUMBERS)) if kind == "number" else None
    return kind, where, value


def _apply(data, mutation) -> None:
    kind, path, value = mutation
    if not _exists(data, path):      # an earlier mutation took it away
        return
    parent, key = _get(data, path[:-1]), path[-1]
    if kind == "delete":
        del parent[key]
    elif kind in ("retype", "number"):
        parent[key] = value
    elif kind == "rename" and isinstance(parent, dict):
        # The entry is defined under a new name; whatever refers to the old one now dangles.
        renamed = f"{key}_renamed"
        items = list(parent.items())
        parent.clear()
        parent.update((renamed if k == key else k, v) for k, v in items)
    elif kind == "duplicate" and isinstance(parent[key], list) and parent[key]:
        parent[key].append(copy.deepcopy(parent[key][0]))
    elif kind == "empty":
        parent[key] = type(parent[key])() if isinstance(parent[key], (list, dict)) else parent[key]


def _mutant(path: Path, muts) -> str:
    data = copy.deepcopy(_original(path))
    for mutation in muts:
        _apply(data, mutation)
    return yaml.safe_dump(data, sort_keys=False, allow_unicode=True, width=10_000)


def _assert_each_problem_names_its_key_and_line(error: RulesetError, text: str, file: str) -> None:
    doc, _ = load_text(text, file)
    # Keys as problems spell them (a ladder level such as 9.5 has a dot in it, so paths are compared as text).
    lines = {format_path(key): line for key, (_, line) in doc.marks.items()}
    for problem in error.problems:
        said = str(problem)
        assert "\n" not in said and "Traceback" not in said
        if problem.file != file:
            continue
        # The key named is in the file and the line is its line; only a mapping that lacks a key may itself be
        # missing (a deleted section lacks all its keys), and then the line is the nearest enclosing key's.
        key = problem.path
        assert key in lines or problem.message.startswith("missing required key"), f"{said}: no such key in the file"
        while key not in lines:
            key = key[:max(key.rfind("."), key.rfind("["), 0)]
        assert problem.line == lines[key], f"{said}: expected line {lines[key]} (of '{key}')"


def _play(rules) -> None:
    """Short games: random and utility AIs on two seeds, an instructor's injects, a move script."""
    for seed in (0, 1):
        for policy in ("random", "utility"):
            model = new_game(rules, seed, turns=3, policy=policy)
            if seed == 1 and policy == "random":
                ins = Instructor(model)
                for inject in rules.injects:
                    ins.inject(inject)
            while model.running:
                model.step()
            assert all(math.isfinite(v) for v in model.state.indicators.values() if isinstance(v, float)), \
                model.state.indicators
    try:
        script = load_script(SCRIPT, rules)
    except ScriptError:
        return          # the script names a move or actor the mutant lacks: said in one line, as it should be
    model = WargameModel(rules, rng=2, turns=3, script=script)
    while model.running:
        model.step()


@FUZZ
@given(st.lists(mutations(DEFAULT_RULESET), min_size=1, max_size=3))
def test_a_mutated_ruleset_loads_and_plays_or_is_refused_line_by_line(muts):
    text = _mutant(DEFAULT_RULESET, muts)
    try:
        rules = ruleset_from_text(text, "mutant.yaml")
    except RulesetError as error:
        assert error.problems
        _assert_each_problem_names_its_key_and_line(error, text, "mutant.yaml")
        return
    _play(rules)


@FUZZ
@given(st.sampled_from(VARIANTS).flatmap(lambda v: st.tuples(st.just(v), st.lists(mutations(v), min_size=1,
                                                                                        max_size=2))))
def test_a_mutated_variant_loads_and_plays_or_is_refused_line_by_line(case):
    variant, muts = case
    text = _mutant(variant, muts)
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / DEFAULT_RULESET.name).write_text(DEFAULT_RULESET.read_text(encoding="utf-8"), encoding="utf-8")
        path = Path(tmp) / variant.name
        path.write_text(text, encoding="utf-8")
        try:
            rules = load_ruleset(path)
        except RulesetError as error:
            assert error.problems
            for problem in error.problems:
                assert problem.file.endswith((variant.name, DEFAULT_RULESET.name)), str(problem)
                assert problem.line is not None and "\n" not in str(problem), str(problem)
                if problem.file.endswith(variant.name):
                    assert problem.line <= len(text.splitlines()), str(problem)
            return
    _play(rules)
