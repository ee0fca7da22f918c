"""`wargame validate`: check a ruleset and report every problem in it."""

from __future__ import annotations

import argparse

from ..ruleset import load_ruleset
from .common import add_ruleset_argument


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("validate", help="check a ruleset and report every problem in it")
    add_ruleset_argument(p, required=True)
    p.set_defaults(handler=validate)


def validate(args: argparse.Namespace) -> int:
    rules = load_ruleset(args.ruleset)
    net = rules.network
    print(f"{rules.file}: ok — {rules.name}: {len(rules.actors)} actors, {len(rules.moves)} moves, "
          f"{len(net.nodes)} nodes, {len(net.edge_ids)} edges, {len(net.commodities)} commodities")
    return 0
