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
    return _a_file(Path(text), text)


def _a_file(path: Path, text: str) -> Path:
    if path.is_dir():
        raise argparse.ArgumentTypeError(f"expected a file, got a folder: {text}")
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"no such file: {text}")
    return path


def rules_file(text: str) -> Path:
    """A ruleset or move script: the file given, or the bundled one it names (see wargame.bundled.locate)."""
    from ..bundled import locate

    return _a_file(locate(text), text)


def add_trust_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--trust-policy", dest="trusted", action="append", default=[], metavar="MODULE:CLASS",
                        help="let the save use this policy class of your own: a save never imports code by itself "
                             "(repeatable)")


def policy_names(branch: bool = False) -> tuple[str, ...]:
    """The policies --policy takes by name: a new game's (`wargame run`), or a branch's, where nobody is at the
    keyboard and 'recorded' repeats the saved game's moves."""
    from ..policies import BUILTIN

    return tuple(p for p in BUILTIN if p != "human") + ("recorded",) if branch else tuple(BUILTIN)


def parse_policies(items: list[str] | None, rules: "Ruleset", accepted: tuple[str, ...]) -> dict[str, str]:
    """--policy ACTOR=POLICY items, each POLICY one of `accepted` (see policy_names) or module:Class."""
    from ..reader import suggest

    given: dict[str, list[str]] = {}
    expected = f"expected {', '.join(accepted)} or module:Class"
    for item in items or []:
        actor, sep, name = item.partition("=")
        if not sep or not actor or not name:
            raise WargameError(f"--policy: expected ACTOR=POLICY, got '{item}'")
        if actor not in rules.actors:
            raise WargameError(f"--policy: {rules.unknown_actor(actor)}")
        if name not in accepted and ":" not in name:
            if name == "human" and "recorded" in accepted:
                raise WargameError(f"--policy {item}: no one plays at the keyboard in a branch; {expected}")
            if name == "recorded":
                raise WargameError(f"--policy {item}: only a branch of a saved game has moves on record to "
                                   f"repeat; {expected}")
            raise WargameError(f"--policy {item}: unknown policy '{name}'{suggest(name, accepted)}; {expected}")
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


class CommandFileCheckpoint:
    """With instructor commands piped from a file, the game as it stood after its last whole turn, kept until the
    commands for the next turn have been read: a command the file gets wrong stops the session there, and what
    is saved is the turns played, not part of a turn's commands (which running the corrected file again would
    repeat).

        checkpoint = CommandFileCheckpoint(console, target, model.turn)
        ...
        checkpoint.before_commands()            # before console.before_turn()
        model.step()
        checkpoint.after_turn(model)
        ...
        except CommandFileError as error:
            return checkpoint.stop(error, model, resume)
    """

    def __init__(self, console, target: str | Path | None, first_turn: int):
        self.console = console
        self.target = target
        self.first_turn = first_turn        # the first turn this command plays
        self.saved_text: str | None = None
        self.first_line = 1                 # where the commands for the coming turn begin in the file

    def _reads_next(self) -> bool:
        console = self.console
        return console is not None and not console.interactive and not console.exhausted and console.autoplay == 0

    def before_commands(self) -> None:
        if self._reads_next():
            self.first_line = self.console.line + 1

    def after_turn(self, model) -> None:
        if self.target and model.running and self._reads_next():
            from ..saves import save_text

            # Kept as text, as the game will change before it is needed.
            self.saved_text = save_text(model)

    def stop(self, error: WargameError, model, resume: bool) -> int:
        """Say what the file got wrong, save the turns played (if any, and if there is a file to save to) and
        return the exit status for bad input."""
        for line in error.lines():
            print(line, file=sys.stderr)
        turn = model.turn
        if turn == self.first_turn:
            kept = f"; {self.target} is as it was" if resume and self.target else ""
            print(f"stopped before turn {turn}: nothing was played{kept}", file=sys.stderr)
        elif self.target and self.saved_text is not None:
            from ..saves import write_atomic

            write_atomic(Path(self.target), self.saved_text)
            print(f"stopped before turn {turn}: the game after turn {turn - 1} is saved to {self.target}, without "
                  f"the commands read for turn {turn} (from {self.console.source}:{self.first_line})", file=sys.stderr)
        else:
            print(f"stopped before turn {turn}", file=sys.stderr)
        return 2
