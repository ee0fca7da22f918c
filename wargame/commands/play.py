"""`wargame play`: open the terminal UI to play one or more actors against the AI, or to watch it play."""

from __future__ import annotations

import argparse

from ..errors import WargameError
from .common import add_ruleset_argument, existing_file, positive_int, seed_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("play", help="play in the terminal: you take one or more actors, the AI plays the rest",
                       description="Open the terminal UI. Choose the actors to play on its start screen (or with "
                                   "--as): none to watch the AI, one to play against it, several for hot-seat.")
    add_ruleset_argument(p)
    p.add_argument("--as", dest="humans", action="append", default=[], metavar="ACTOR",
                   help="an actor to play (repeat for hot-seat play; see 'wargame moves' for the actors)")
    p.add_argument("--seed", type=seed_int, default=None, help="random seed (default 0)")
    p.add_argument("--turns", type=positive_int, default=None, help="turns to play (default: the ruleset's limit)")
    p.add_argument("--load", type=existing_file, default=None, metavar="FILE",
                   help="continue a saved game (from saves/) instead of starting one")
    p.set_defaults(handler=play)


def play(args: argparse.Namespace) -> int:
    humans = tuple(dict.fromkeys(args.humans))
    model = None
    if args.load is not None:
        from ..saves import load_game

        model = load_game(args.load)
    elif args.ruleset is not None or humans:
        from ..ruleset import load_ruleset

        rules = load_ruleset(args.ruleset)
        unknown = [a for a in humans if a not in rules.actors]
        if unknown:
            raise WargameError(f"--as: unknown actor '{unknown[0]}'; expected one of: {', '.join(rules.actor_ids)}")

    from tui.app import StartOptions, WargameApp

    app = WargameApp(StartOptions(args.ruleset, humans, args.seed, args.turns), model=model)
    app.run()
    return app.return_code or 0
