"""`wargame resume`: continue a saved game from where it stopped, headless (one turn per class session)."""

from __future__ import annotations

import argparse

from .branch import add_common, run_branch


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("resume", help="continue a saved game from where it stopped, headless",
                       description="Continue a saved game from the turn after its last, as if it had never stopped: "
                                   "AI actors play their policies; --moves gives the moves of human players (or "
                                   "overrides an AI's) turn by turn; --instructor takes instructor commands before "
                                   "each turn. The game is saved back to FILE unless --save names another file. "
                                   "Suits a class that plays one turn per session.",
                       epilog="example: wargame resume saves/sim.json --turns 1 --moves tokyo=demarche,lynas_offtake")
    r.add_argument("file", metavar="FILE", help="the saved game to continue")
    add_common(r)
    r.add_argument("--save", metavar="OUT", default=None, help="save the game to OUT instead of back to FILE")
    r.set_defaults(handler=run_branch, resume=True, at=None, policy=None, drop_injects=False)
