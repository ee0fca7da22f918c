"""`wargame validate`: check a ruleset, move script, sweep file or save, and report every problem in it."""

from __future__ import annotations

import argparse
import os
from pathlib import Path

from ..errors import Problem, WargameError
from ..render import count
from ..ruleset import TOP_KEYS, load_ruleset
from ..yamlio import display_path, load_file
from .common import rules_file



def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a ruleset, move script, sweep file or save and report every problem "
                                        "in it",
                       description="Check a file and report every problem in it, one line each with the file, line "
                                   "and key; exit status 2 if there are any. The file may be a ruleset, a move script "
                                   "(wargame run --script), a sweep file (wargame montecarlo --sweep) or a save: "
                                   "what it is is told from its contents, and the line that says it is fine names "
                                   "the command that takes it.")
    p.add_argument("file", metavar="FILE", help="a ruleset (rulesets/*.yaml), move script, sweep file or save")
    p.add_argument("--ruleset", dest="against", metavar="RULESET", default=None, type=rules_file,
                   help="check a move script, sweep file or save against this ruleset (default: the 2026 rare-earth "
                        "ruleset for a script or sweep, the copy kept in a save)")
    p.set_defaults(handler=validate)


def validate(args: argparse.Namespace) -> int:
    from ..bundled import locate

    path = locate(args.file)
    kind = file_kind(path)
    if kind == "ruleset":
        if args.against is not None:
            raise WargameError(Problem("--ruleset", "", f"{display_path(path)} is a ruleset itself; --ruleset names "
                                                        "the ruleset a move script, sweep file or save is checked "
                                                        "against"))
        return _ruleset(path)
    return {"script": _script, "sweep": _sweep, "save": _save}[kind](path, args.against)


def file_kind(path: Path) -> str:
    """'ruleset', 'script', 'sweep' or 'save', told from what the file holds. A file that is none of them (or
    cannot be read) counts as a ruleset, which is what validate has always checked, so that its problems are
    said in a ruleset's terms."""
    kind = what_file(path)
    if kind is None:
        readable = path.is_file() and os.access(path, os.R_OK)
        kind = "save" if readable and path.suffix.lower() == ".json" else "ruleset"
    return kind


# Each kind of file as a sentence names it.
KINDS = {"ruleset": "a ruleset", "script": "a move script", "sweep": "a sweep file", "save": "a saved game"}


def what_file(path: Path) -> str | None:
    """'ruleset', 'script', 'sweep' or 'save' where the file's contents say so (keys, or a save's format), or None
    where they do not: a file that cannot be read, or whose keys are all unknown (misspelt, say)."""
    try:
        with path.open("rb") as f:
            head = f.read(4096)
    except OSError:
        return None
    # Saves are JSON that begins with their format; reading one as YAML first would take a while for nothing.
    if b'"wargame-save"' in head and head.lstrip().startswith(b"{"):
        return "save"
    doc, _ = load_file(path)
    keys = {str(k) for k in doc.data} if isinstance(doc.data, dict) else set()
    if keys & set(TOP_KEYS):
        return "ruleset"
    from ..montecarlo.sweeps import SWEEP_KEYS
    from ..scripts import SCRIPT_KEYS

    # The keys only one kind of file has ('description' is in both).
    if keys & (set(SCRIPT_KEYS) - set(SWEEP_KEYS)) or any(_is_turn(k) for k in keys):
        return "script"
    if keys & (set(SWEEP_KEYS) - set(SCRIPT_KEYS)):
        return "sweep"
    return None


def check_kind(path: Path, expected: str, option: str) -> None:
    """Refuse, in one line, a file given for `option` that is plainly another kind of file than `expected` (a move
    script given as a sweep file, say): checked as what it is not, it would get a line for each of its keys."""
    kind = what_file(path)
    if kind is not None and kind != expected:
        takes = {"ruleset": "give it as the RULESET argument",
                 "script": "wargame run --script and wargame montecarlo --script take it",
                 "sweep": "wargame montecarlo --sweep takes it",
                 "save": "wargame replay, resume, branch and report take it"}[kind]
        raise WargameError(Problem(option, "", f"{display_path(path)} is {KINDS[kind]}, not {KINDS[expected]} "
                                               f"({takes})"))


def _is_turn(key: str) -> bool:
    from ..scripts import _turn_span

    return _turn_span(key) is not None


def _ruleset(path: Path) -> int:
    rules = load_ruleset(path)
    net = rules.network
    print(f"{rules.file}: ok — {rules.name}: {len(rules.actors)} actors, {len(rules.moves)} moves, "
          f"{len(net.nodes)} nodes, {len(net.edge_ids)} edges, {len(net.commodities)} commodities")
    return 0


def _script(path: Path, against: Path | None) -> int:
    from ..scripts import load_script

    rules = load_ruleset(against)
    script = load_script(path, rules)
    shown = display_path(path)
    turns = sorted(script.pinned)
    span = f", from turn {turns[0]} to {turns[-1]}" if len(turns) > 1 else f", turn {turns[0]}" if turns else ""
    print(f"{shown}: ok — move script '{script.name}' for {rules.id}: pins moves on {count(len(turns), 'turn')}{span}; "
          f"play it with `wargame run --script {shown}` or `wargame montecarlo --script {shown}`")
    return 0


def _sweep(path: Path, against: Path | None) -> int:
    from ..montecarlo.sweeps import describe, load_sweep

    rules = load_ruleset(against)
    sweep = load_sweep(path, rules.raw, (), seed=0)
    shown = display_path(path)
    print(f"{shown}: ok — sweep file for {rules.id}: {describe(sweep)}; run it with "
          f"`wargame montecarlo --sweep {shown}`")
    return 0


def _save(path: Path, against: Path | None) -> int:
    from ..replay import open_save
    from ..saves import standing

    doc, rules, shown = open_save(path, against)
    print(f"{shown}: ok — saved game of {rules.id}: {standing(doc)}; `wargame replay {shown}` plays it again to "
          f"check every turn, {going_on(doc, rules, shown)}")
    return 0


def going_on(doc: dict, rules, shown: str) -> str:
    """The commands that go on with a save, as they will take it: a game at its turn limit resumes only with more
    turns, one that ended by an outcome of its own not at all, and teams at the keyboard need their moves."""
    from ..saves import at_the_keyboard, ended_by_itself

    played = len(doc["history"])
    humans = at_the_keyboard(doc)
    moves = " ".join(f"--moves {a}=MOVE" for a in humans)
    teams = f" ({'each team' if len(humans) > 1 else 'the team'} at the keyboard needs its moves: MOVE[,MOVE] " \
            "or hold)" if humans else ""
    if ended_by_itself(doc, rules) or (played >= doc["turn_limit"] and rules.turn_limit_problem(1, played + 1)):
        return (f"it is over: `wargame report {shown}` writes its debrief and `wargame branch {shown} --at TURN` "
                "plays it on from an earlier turn with other moves")
    if played >= doc["turn_limit"]:
        more = f"--turns 1 {moves}` plays a turn" if humans else "--turns N` plays N turns"
        return f"it is at its turn limit: `wargame resume {shown} {more} more{teams}"
    if humans:
        return (f"`wargame resume {shown} --turns 1 {moves}` plays the next turn{teams}, and `wargame play --load "
                f"{shown}` goes on with it")
    return f"`wargame resume {shown}` or `wargame play --load {shown}` goes on with it"
