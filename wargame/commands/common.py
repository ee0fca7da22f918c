"""Argument helpers shared by subcommands."""

from __future__ import annotations

import argparse
import signal
import sys
import threading
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


def turn_count(text: str) -> int:
    """--turns: a game's length, within the engine's limit on a game (as a ruleset's max_turns is)."""
    from ..figures import as_typed
    from ..ruleset import MAX_TURNS

    value = _whole_number(text, 1, "a whole number")
    if value > MAX_TURNS:
        # Written as the ruleset's own limit on a game is, once the ruleset is read (Ruleset.turn_limit_problem).
        raise argparse.ArgumentTypeError(f"expected a whole number between 1 and {MAX_TURNS}, got {as_typed(value)}")
    return value


def check_turns(rules: "Ruleset", turns: int | None, first: int = 1) -> None:
    """Refuse --turns that would play past the longest game the ruleset's calendar allows, from turn `first`."""
    problem = None if turns is None else rules.turn_limit_problem(turns, first)
    if problem:
        raise WargameError(f"--turns: {problem}")


def seed_int(text: str) -> int:
    return _whole_number(text, 0, "a whole-number seed")


def existing_file(text: str) -> Path:
    path = Path(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def rules_file(text: str) -> Path:
    """A ruleset or move script: the file given, or the bundled one it names (see wargame.bundled.locate)."""
    from ..bundled import locate

    path = locate(text)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def add_trust_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trust-policy", dest="trusted", action="append", default=[], metavar="MODULE:CLASS",
                        help="let the save use this policy class of your own: a save never imports code by itself "
                             "(repeatable)")


def parse_policies(items: list[str] | None, rules: "Ruleset") -> dict[str, str]:
    given: dict[str, list[str]] = {}
    for item in items or []:
        actor, sep, name = item.partition("=")
        if not sep or not actor or not name:
            raise WargameError(f"--policy: expected ACTOR=POLICY, got '{item}'")
        if actor not in rules.actors:
            raise WargameError(f"--policy: {rules.unknown_actor(actor)}")
        given.setdefault(actor, []).append(name)
    # Keeping the last silently would hide a typo or a leftover from an earlier command (as montecarlo --set).
    repeated = [f"--policy: {actor} is given {'twice' if len(names) == 2 else f'{len(names)} times'} "
                f"({', '.join(names)}); give it once" for actor, names in given.items() if len(names) > 1]
    if repeated:
        raise WargameError(repeated)
    return {actor: names[0] for actor, names in given.items()}


class Interrupts:
    """Ctrl-C while a game plays headless. Between turns (at the instructor's prompt, say) it stops at once; during
    a turn, once that turn has resolved, so that the game stands whole and can be saved. A second Ctrl-C during the
    turn stops at once, and the game, half-way through its turn, cannot be saved.

        with Interrupts() as stop:
            ...
            stop.start_turn()
            model.step()
            ...                 # the turn's output
            stop.end_turn()     # raises KeyboardInterrupt here if Ctrl-C came during the turn
    """

    def __init__(self) -> None:
        self.in_turn = False
        self.requested = False
        self.torn = False           # stopped inside a turn: the game is half-way through it
        self._previous = None

    def __enter__(self) -> "Interrupts":
        # Not where Ctrl-C is ignored (a background job) or cannot be caught (a thread other than the main one).
        if threading.current_thread() is threading.main_thread() and \
                signal.getsignal(signal.SIGINT) is not signal.SIG_IGN:
            self._previous = signal.signal(signal.SIGINT, self._handle)
        return self

    def __exit__(self, *exc) -> bool:
        if self._previous is not None:
            signal.signal(signal.SIGINT, self._previous)
            self._previous = None
        return False

    def _handle(self, signum, frame) -> None:
        if self.in_turn and not self.requested:
            self.requested = True
            print("\nstopping once this turn has resolved (Ctrl-C again stops at once, without saving)",
                  file=sys.stderr)
            return
        self.torn = self.in_turn
        raise KeyboardInterrupt

    def start_turn(self) -> None:
        self.in_turn = True

    def end_turn(self) -> None:
        self.in_turn = False
        if self.requested:
            raise KeyboardInterrupt


def stop_interrupted(model, target: str | Path | None, stop: Interrupts, resume_hint: bool = True) -> int:
    """After Ctrl-C: save the game as it stands after its last whole turn to `target` (if any) and say so in one
    line. Exit status 130, as for any interrupted command."""
    if model is None or stop.torn or not target:
        if model is not None and target and stop.torn:
            print(f"interrupted during turn {model.turn}: the game was not saved ({target} is as it was)",
                  file=sys.stderr)
        else:
            print("interrupted", file=sys.stderr)
        return 130
    from ..saves import save_game

    save_game(model, target)
    played = model.state.turn
    hint = f"; 'wargame resume {target}' continues it" if resume_hint and model.running else ""
    print(f"interrupted after turn {played}: the game so far is saved to {target}{hint}", file=sys.stderr)
    return 130
