"""The `wargame` command line. Each subcommand lives in wargame/commands/ and registers itself there.

Exit status: 0 on success, 2 for bad input (ruleset, script, save or arguments), 1 when a game or batch
itself fails. Problems are printed one per line, never as a traceback.
"""

from __future__ import annotations

import argparse
import importlib
import pkgutil
import sys

from . import commands
from .errors import WargameError

EXIT_OK, EXIT_FAILED, EXIT_BAD_INPUT = 0, 1, 2


class ArgumentParser(argparse.ArgumentParser):
    """argparse, but a bad argument is one line and exit status 2, with a pointer to --help."""

    def error(self, message: str) -> None:  # noqa: D401 - argparse's signature
        self.exit(EXIT_BAD_INPUT, f"{self.prog}: error: {message} (see '{self.prog} --help')\n")


def command_names() -> list[str]:
    return sorted(info.name for info in pkgutil.iter_modules(commands.__path__) if info.name != "common")


def build_parser(only: str | None = None) -> ArgumentParser:
    """The CLI's parser. With `only`, just that subcommand's module is imported, which keeps start-up quick."""
    parser = ArgumentParser(prog="wargame", description="A diplomacy and trade wargame of the January 2026 "
                                                        "China–Japan rare-earth export-control crisis.")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND", parser_class=ArgumentParser)
    for name in command_names():
        if only is not None and name != only:
            continue
        module = importlib.import_module(f"{commands.__name__}.{name}")
        if hasattr(module, "register"):
            module.register(sub)
    parser.commands = sub.choices
    return parser


def refuse_unknown(parser: ArgumentParser, args: argparse.Namespace, extra: list[str]) -> None:
    """Arguments no option takes, reported by the subcommand they were given to (its usage is the one that
    helps), with the nearest option's name for a mistyped one."""
    import difflib

    owner = parser.commands.get(getattr(args, "command", None), parser)
    message = f"unrecognized arguments: {' '.join(extra)}"
    flag = next((a.split("=", 1)[0] for a in extra if a.startswith("--")), None)
    known = [o for action in owner._actions for o in action.option_strings if o.startswith("--")]
    near = difflib.get_close_matches(flag, known, n=1, cutoff=0.7) if flag else []
    if near:
        message += f"; did you mean {near[0]}?"
    owner.error(message)


def report_problems(error: WargameError) -> int:
    for line in error.lines():
        print(line, file=sys.stderr)
    return EXIT_BAD_INPUT


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    try:
        # Inside the try: building the parser imports the command's modules, which takes a moment to Ctrl-C.
        chosen = next((a for a in argv if not a.startswith("-")), None)
        parser = build_parser(chosen if chosen in command_names() else None)
        args, extra = parser.parse_known_args(argv)
        if extra:
            refuse_unknown(parser, args, extra)
        if not getattr(args, "handler", None):
            parser.print_help()
            return EXIT_BAD_INPUT
        return int(args.handler(args) or EXIT_OK)
    except WargameError as error:
        return report_problems(error)
    except KeyboardInterrupt:
        print("interrupted (Ctrl-C)", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
