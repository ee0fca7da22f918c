"""`wargame play`: open the terminal UI to play one or more actors against the AI, or to watch it play."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..bundled import DEFAULT_RULESET, extended_file
from ..errors import WargameError
from .common import add_ruleset_argument, add_trust_argument, check_turns, existing_file, \
    ruleset_from_args, seed_int, turn_count

if TYPE_CHECKING:
    from ..ruleset import Ruleset


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play in the terminal: you take one or more actors, the AI plays the rest",
                       description="Open the terminal UI. Choose the actors to play on its start screen (or with "
                                   "--as): none to watch the AI, one to play against it, several for hot-seat.")
    add_ruleset_argument(p)
    p.add_argument("--as", dest="humans", action="append", default=[], metavar="ACTOR",
                   help="an actor to play (repeat for hot-seat play; see 'wargame moves' for the actors)")
    p.add_argument("--seed", type=seed_int, default=None, help="random seed (default 0)")
    p.add_argument("--turns", type=turn_count, default=None,
                   help="turns to play, 1 to 1000 (default: the ruleset's limit)")
    p.add_argument("--load", type=existing_file, default=None, metavar="FILE",
                   help="continue a saved game instead of starting one")
    add_trust_argument(p)
    p.add_argument("--saves", type=saves_folder, default=None, metavar="DIR",
                   help="the folder to save games in and load them from (default: saves/ in the current "
                        "directory, created by the first save)")
    p.add_argument("--instructor", action="store_true",
                   help="instructor mode: pause the game, inject events, reveal or hide private information and "
                        "override moves from the instructor's screen (key i)")
    p.set_defaults(handler=play)


def saves_folder(text: str) -> Path:
    """--saves: a folder, or a path where one can be made; not a file."""
    path = Path(text).expanduser()
    if path.exists() and not path.is_dir():
        raise argparse.ArgumentTypeError(f"not a folder: {text}")
    return path


def _actor_ids(path: Path, seen: tuple[Path, ...] = ()) -> set[str] | None:
    """The actor ids a ruleset file declares (following `extends:`), read without building the ruleset, so that
    the UI opens at once; None if the file is not plainly readable, and then the full reader decides."""
    import yaml

    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except (OSError, UnicodeError, yaml.YAMLError):
        return None
    if not isinstance(data, dict):
        return None
    actors = data.get("actors") or {}
    if not isinstance(actors, dict):
        return None
    ids: set[str] = set()
    parent = data.get("extends")
    if parent is not None:
        parent_path = extended_file(path, str(parent))
        if parent_path in seen:
            return None
        ids_or_none = _actor_ids(parent_path, seen + (path.resolve(),))
        if ids_or_none is None:
            return None
        ids = ids_or_none
    for key, value in actors.items():
        if value is None:
            ids.discard(str(key))           # null removes an inherited actor
        else:
            ids.add(str(key))
    return ids


def _check_humans(humans: tuple[str, ...], rules: "Ruleset") -> None:
    unknown = [a for a in humans if a not in rules.actors]
    if unknown:
        raise WargameError(f"--as: {rules.unknown_actor(unknown[0])}")


def _not_with_load(args: argparse.Namespace) -> list[str]:
    """The options a saved game decides for itself: given with --load, they would be silently ignored."""
    given = [(f"--as {' --as '.join(args.humans)}", "its players") if args.humans else None,
             (f"--seed {args.seed}", "its seed") if args.seed is not None else None,
             (f"--turns {args.turns}", "its turn limit") if args.turns is not None else None,
             (f"RULESET {args.ruleset}", "its ruleset") if args.ruleset is not None else None]
    return [f"{option}: not with --load: {args.load} keeps {what}; start a new game without --load"
            for option, what in filter(None, given)]


def play(args: argparse.Namespace) -> int:
    humans = tuple(dict.fromkeys(args.humans))
    model = None
    if args.load is not None:
        from ..saves import load_game

        conflicts = _not_with_load(args)
        if conflicts:
            raise WargameError(conflicts)
        model = load_game(args.load, trusted=args.trusted)
    elif args.ruleset is not None:
        # A ruleset named on the command line is read in full before the UI starts, so that one with problems is
        # refused as `wargame run` refuses it: one line per problem, exit status 2. The reading is kept (per
        # process), so the start screen does not read it again.
        rules = ruleset_from_args(args)
        _check_humans(humans, rules)
        check_turns(rules, args.turns)
    elif humans:
        # The default ruleset: a quick look at its actors keeps the start screen quick to appear.
        known = _actor_ids(DEFAULT_RULESET)
        if known is None or any(a not in known for a in humans):
            # Only the engine's reader gives the exact error (and it also catches what the quick look missed).
            _check_humans(humans, ruleset_from_args(args))

    if not sys.stdin.isatty():
        # The UI reads keys from the terminal: from a pipe or a file it would wait for keys that never come.
        raise WargameError("play: standard input is not a terminal, and the terminal UI reads its keys from one; "
                           "for scripted play pipe instructor commands to 'wargame run --instructor' (or "
                           "'wargame resume FILE --instructor'), or give the moves with 'wargame resume FILE --moves "
                           "ACTOR=MOVE,...'")

    from tui.app import StartOptions, WargameApp

    app = WargameApp(StartOptions(args.ruleset, humans, args.seed, args.turns, args.instructor),
                     saves_dir=args.saves, model=model, loaded_from=args.load)
    app.run()
    return app.return_code or 0
