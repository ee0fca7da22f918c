"""Argument helpers shared by subcommands."""

from __future__ import annotations

import argparse
from pathlib import Path

from typing import TYPE_CHECKING

from ..errors import WargameError

if TYPE_CHECKING:
    from ..ruleset import Ruleset

DEFAULT_RULESET_NAME = "rare_earths_2026.yaml"


def add_ruleset_argument(parser: argparse.ArgumentParser, required: bool = False) -> None:
    if required:
        parser.add_argument("ruleset", metavar="RULESET", help="a ruleset file (rulesets/*.yaml)")
    else:
        parser.add_argument("ruleset", metavar="RULESET", nargs="?", default=None,
                            help=f"a ruleset file (default: rulesets/{DEFAULT_RULESET_NAME})")


def ruleset_from_args(args: argparse.Namespace) -> "Ruleset":
    from ..ruleset import load_ruleset

    return load_ruleset(args.ruleset)


def _whole_number(text: str, minimum: int, what: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"expected {what}, got '{text}'") from None
    if value < minimum:
        raise argparse.ArgumentTypeError(f"expected {what} of at least {minimum}, got {value}")
    return value


def positive_int(text: str) -> int:
    return _whole_number(text, 1, "a whole number")


def seed_int(text: str) -> int:
    return _whole_number(text, 0, "a whole-number seed")


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def parse_policies(items: list[str] | None, rules: "Ruleset") -> dict[str, str]:
    out = {}
    for item in items or []:
        actor, sep, name = item.partition("=")
        if not sep or not actor or not name:
            raise WargameError(f"--policy: expected ACTOR=POLICY, got '{item}'")
        if actor not in rules.actors:
            raise WargameError(f"--policy: unknown actor '{actor}'; expected one of: {', '.join(rules.actor_ids)}")
        out[actor] = name
    return out
