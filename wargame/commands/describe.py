"""`wargame describe`: every parameter of a ruleset as Markdown, with sources and estimates marked."""

from __future__ import annotations

import argparse

from ..describe import describe
from .common import add_ruleset_argument, ruleset_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("describe", help="print every parameter of a ruleset as Markdown tables")
    add_ruleset_argument(p)
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    print(describe(ruleset_from_args(args)), end="")
    return 0
