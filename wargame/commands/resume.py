"""`wargame resume`: continue a saved game from where it stopped, headless (one turn per class session)."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..errors import WargameError
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
    """Make room in the save `doc` (in memory) for `turns` more turns: a class that played to the turn limit it set
    out with, and wants more, resumes as if the game had been started with the longer limit. A game that reached
    its limit is reopened: the outcome it was given there is taken back (the game played on would not have had it),
    so that the save stays exactly the game a longer limit gives, and replays as one. A game that ended by an
    outcome of its own (a settlement, say) stays over. Returns the note to show, or None if nothing changed."""
    played, limit = len(doc["history"]), doc["turn_limit"]
    state = doc["state"]
    outcome = next((o for o in rules.outcomes if o.id == state.get("outcome")), None)
    if outcome is not None and outcome.terminal:
        return None                     # over by itself: branch_turn says so
    if turns is None:
        if played >= limit:
            raise WargameError(f"the game in {name} is over (after turn {played}, its turn limit); --turns N plays "
                               "N more turns")
        return None
    check_turns(rules, turns, first=played + 1)
    if played + turns <= limit:
        return None
    reopened = ""
    if played >= limit and outcome is not None:
        _take_back_outcome(doc, played)
        reopened = f"; the outcome it was given there ({outcome.label}) no longer stands"
    doc["turn_limit"] = played + turns
    return f"note: the game in {name} had a turn limit of {limit}; it now has {played + turns}{reopened}"


def _take_back_outcome(doc: dict, turn: int) -> None:
    """Remove the turn limit's outcome from the last turn: its event and the state's outcome."""
    events, span = doc["events"], doc["history"][-1].get("events")
    start, end = span if span is not None else (0, len(events))
    found = next((i for i in range(start, end) if events[i].get("kind") == "outcome" and events[i].get("turn") == turn),
                 None)
    if found is not None:
        del events[found]
        for h in doc["history"]:
            s, e = h.get("events") or (None, None)
            if s is not None:
                h["events"] = [s - (s > found), e - (e > found)]
    doc["state"]["outcome"] = None
