"""`wargame branch`: replay a save up to a turn and play on with different moves ("what if ...?")."""

from __future__ import annotations

import argparse
import json
import sys

from ..compare import compare
from ..errors import WargameError
from ..render import summary_text, turn_text
from ..replay import branch, open_save, parse_moves
from ..saves import save_game
from .common import existing_file, parse_policies, positive_int
from .run import summary_object, turn_object


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("branch", help="replay a save up to a turn and play on with different moves (what if ...?)",
                       description="Replay a saved game exactly up to turn --at, then play on with the moves given "
                                   "by --moves instead. On that turn the other actors move as they did (moves are "
                                   "simultaneous); afterwards AI actors react through their policies and human "
                                   "players repeat their recorded moves where still legal. The parent game's "
                                   "injects and reveals happen again. Without --at the branch continues the game "
                                   "from its last turn. Ends with a comparison against the saved game.",
                       epilog="example: wargame branch saves/class.json --at 3 "
                              "--moves tokyo=clarify_taiwan_position,back_channel_talks --save saves/whatif.json")
    p.add_argument("file", metavar="FILE", help="the saved game to branch from")
    p.add_argument("--at", type=positive_int, default=None, metavar="TURN",
                   help="the turn on which the branch departs (default: the turn after the save's last)")
    p.add_argument("--moves", action="append", default=[], metavar="[TURN:]ACTOR=MOVE[,MOVE]",
                   help="moves an actor plays instead, on the branch turn or on TURN; 'hold' plays nothing "
                        "(repeatable)")
    p.add_argument("--turns", type=int, default=None, metavar="N",
                   help="turns to play from the branch turn (default: until the game ends)")
    p.add_argument("--policy", action="append", metavar="ACTOR=POLICY",
                   help="from the branch turn, play ACTOR with POLICY: utility, random, hold, or recorded "
                        "(repeat its saved moves where legal) (repeatable)")
    p.add_argument("--drop-injects", action="store_true",
                   help="leave out the saved game's injected events after the branch turn")
    p.add_argument("--ruleset", metavar="RULESET", default=None, type=existing_file,
                   help="use this ruleset file instead of the copy in the save (it must be unchanged)")
    p.add_argument("--save", metavar="OUT", default=None, help="save the branch to OUT")
    p.add_argument("--json", action="store_true", help="write JSON lines: one object per turn, a summary and the "
                                                       "comparison")
    p.add_argument("--quiet", action="store_true", help="print only the summary and the comparison")
    p.set_defaults(handler=run_branch)


def run_branch(args: argparse.Namespace) -> int:
    doc, rules, name = open_save(args.file, args.ruleset)
    if args.turns is not None and args.turns < 1:
        raise WargameError(f"--turns: expected a number of at least 1, got {args.turns}")
    moves = parse_moves(args.moves, args.at, rules.actor_ids)
    policies = parse_policies(args.policy, rules)
    if "human" in policies.values():
        raise WargameError("--policy: no one plays at the keyboard in a branch; use utility, random, hold or recorded")
    at = args.at if args.at is not None else len(doc["history"]) + 1
    out = sys.stdout
    previous = [doc["history"][at - 2]["indicators"] if at >= 2 else None]
    if not args.json:
        changes = "; ".join(f"turn {t or at} {a}: {', '.join(m) or 'hold'}"
                            for t, pins in sorted(moves.items()) for a, m in pins.items())
        print(f"Branch of {name} from turn {at}" + (f" — {changes}" if changes else " (no moves changed)") + "\n")

    def show(model, report):
        if args.json:
            out.write(json.dumps(turn_object(model, report), ensure_ascii=False, separators=(",", ":")) + "\n")
        elif not args.quiet:
            out.write(turn_text(model.rules, report, previous[0]) + "\n\n")
        previous[0] = report.indicators

    model = branch(doc, at=args.at, moves=moves, turns=args.turns, policies=policies,
                   keep_injects=not args.drop_injects, ruleset=rules, on_turn=show, name=name)
    comparison = compare(doc, model, names=(name, args.save or "branch"))
    if args.json:
        out.write(json.dumps(summary_object(model), ensure_ascii=False, separators=(",", ":")) + "\n")
        out.write(json.dumps({"type": "comparison", **comparison.to_dict()}, ensure_ascii=False,
                             separators=(",", ":"), default=str) + "\n")
    else:
        out.write(summary_text(model.rules, model.state.outcome, model.state.turn, model.state.indicators) + "\n\n")
        out.write("\n".join(comparison.lines(top=15, move_rows=10)) + "\n")
    unplayed = sorted(t for t in moves if (t or at) > model.state.turn)
    if unplayed:
        print(f"note: the game ended on turn {model.state.turn}, before the moves given for turn {unplayed[0]}",
              file=sys.stderr)
    if args.save:
        save_game(model, args.save)
        print(f"saved to {args.save}", file=sys.stderr)
    return 0
