"""`wargame moves`: list the move catalogue."""

from __future__ import annotations

import argparse

from ..errors import WargameError
from ..render import move_lines
from .common import add_ruleset_argument, ruleset_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("moves", help="list the move catalogue: family, severity, cost, preconditions, effects")
    add_ruleset_argument(p)
    p.add_argument("--actor", metavar="NAME", help="only this actor's moves")
    p.add_argument("--family", metavar="FAMILY", help="only moves of this family")
    p.set_defaults(handler=list_moves)


def list_moves(args: argparse.Namespace) -> int:
    rules = ruleset_from_args(args)
    if args.actor and args.actor not in rules.actors:
        raise WargameError(f"--actor: {rules.unknown_actor(args.actor)}")
    families = sorted({m.family for m in rules.moves.values()})
    if args.family and args.family not in families:
        raise WargameError(f"--family: unknown family '{args.family}'; expected one of: {', '.join(families)}")
    actors = [args.actor] if args.actor else list(rules.actor_ids)
    shown = 0
    for actor in actors:
        moves = [m for m in rules.moves_by_actor[actor] if not args.family or m.family == args.family]
        if not moves:
            continue
        print(f"== {rules.actors[actor].name} ({actor}) ==")
        for move in moves:
            print("\n".join(move_lines(rules, move, actor)))
            shown += 1
        print()
    print(f"{shown} moves listed; {len(rules.moves)} in the catalogue")
    return 0
