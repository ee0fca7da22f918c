"""`wargame resume`: continue a saved game from where it stopped, headless (one turn per class session)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..errors import WargameError
from ..saves import ended_by_itself, extend_turn_limit
from .branch import add_common, run_branch
from .common import check_turns

if TYPE_CHECKING:
    from ..ruleset import Ruleset


def register(sub: argparse._SubParsersAction) -> None:
    r = sub.add_parser("resume", help="continue a saved game from where it stopped, headless",
                       description="Continue a saved game from the turn after its last, as if it had never stopped: "
                                   "AI actors play their policies; --moves gives the moves of human players (or "
                                   "overrides an AI's) turn by turn, and every team at the keyboard needs moves for "
                                   "each turn played unless --instructor takes commands before each turn. --turns "
                                   "beyond the save's turn limit extends the game, also one that ended at its limit. "
                                   "The game is saved back to FILE unless --save names another file. Suits a class "
                                   "that plays one turn per session.",
                       epilog="example: wargame resume saves/sim.json --turns 1 --moves tokyo=demarche,lynas_offtake")
    r.add_argument("file", metavar="FILE", help="the saved game to continue")
    add_common(r, resume=True)
    r.add_argument("--save", metavar="OUT", default=None, help="save the game to OUT instead of back to FILE")
    r.set_defaults(handler=run_branch, resume=True, at=None, policy=None, drop_injects=False)


def lengthen(doc: dict, rules: "Ruleset", turns: int | None, name: str) -> str | None:
    """Make room in the save `doc` (in memory) for `turns` more turns (saves.extend_turn_limit); without --turns, a
    game at its limit has nothing to resume. Returns the note to show, or None if nothing changed."""
    played = len(doc["history"])
    if ended_by_itself(doc, rules):
        return None                     # branch_turn says it is over
    if turns is None:
        if played >= doc["turn_limit"]:
            raise WargameError(f"the game in {name} is over (after turn {played}, its turn limit); --turns N plays "
                               "N more turns")
        return None
    check_turns(rules, turns, first=played + 1)
    limit = doc["turn_limit"]
    taken_back = extend_turn_limit(doc, rules, played + turns)
    if doc["turn_limit"] == limit:
        return None
    reopened = f"; the outcome it was given there ({taken_back.label}) no longer stands" if taken_back else ""
    return f"note: the game in {name} had a turn limit of {limit}; it now has {doc['turn_limit']}{reopened}"
