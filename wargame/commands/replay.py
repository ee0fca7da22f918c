"""`wargame replay`: re-run a saved game from its seed and record, and check it against the save."""

from __future__ import annotations

import argparse
import json
import sys

from ..instructor import replayed_lines
from ..render import count, turn_text
from ..replay import open_save, replay
from ..saves import ruleset_file_changed
from .common import add_trust_argument, rules_file

EXIT_MATCH, EXIT_DIVERGED = 0, 1


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("replay", help="re-run a saved game from its seed and moves and check it against the save",
                       description="Re-run a saved game from its seed, its moves and the instructor's interventions, "
                                   "and check every turn and the final snapshot (state, event log, random streams) "
                                   "against the save. A save made by an earlier version of wargame still matches when "
                                   "only the words of its log differ; the verdict says how many lines. Exit status: 0 "
                                   "if they match, 1 if they diverge (a line says where), 2 if the file is not a "
                                   "readable save.")
    p.add_argument("file", metavar="FILE", help="a save file (wargame run ... --save FILE, or the terminal UI)")
    p.add_argument("--ruleset", metavar="RULESET", default=None, type=rules_file,
                   help="replay with this ruleset file instead of the copy in the save (it must be unchanged)")
    add_trust_argument(p)
    p.add_argument("--log", action="store_true", help="print the turn-by-turn log of the replay")
    p.add_argument("--json", action="store_true", help="write the verdict as one JSON object")
    p.set_defaults(handler=run_replay)


def run_replay(args: argparse.Namespace) -> int:
    doc, rules, name = open_save(args.file, args.ruleset)
    if args.ruleset is None and doc["ruleset"].get("data") is not None and ruleset_file_changed(doc):
        print(f"note: {doc['ruleset'].get('file')} has changed since this game was saved; "
              "the replay uses the copy of the ruleset kept in the save", file=sys.stderr)
    previous: list = [None]
    shown = [0]     # events of the game's log printed so far

    def show(model, report):
        # The instructor's interventions before the turn sit in the log just ahead of the turn's own events:
        # print them as the instructor's console did when the game was played.
        before = model.events[shown[0]:len(model.events) - len(report.events)]
        for text in replayed_lines(model, before):
            print(f"  [instructor] {text}")
        print(turn_text(model.rules, report, previous[0], model.turn_limit) + "\n")
        previous[0] = report.indicators
        shown[0] = len(model.events)

    result = replay(doc, rules, on_turn=show if args.log and not args.json else None, name=name,
                    trusted=args.trusted)
    if args.json:
        d = result.divergence
        print(json.dumps({"type": "replay", "file": name, "seed": doc["seed"], "turns": result.turns,
                          "matches": result.matches, "reworded": result.reworded,
                          "divergence": None if d is None else {"turn": d.turn, "what": d.what, "saved": d.saved,
                                                                "replayed": d.replayed}},
                         ensure_ascii=False, default=str))
    elif result.matches and result.reworded:
        print(f"{name}: replayed {count(result.turns, 'turn')} from seed {doc['seed']}: the same game as the save "
              f"(moves, events, indicators, final state and random streams); {count(result.reworded, 'log line')} "
              "of the save are worded differently by this version of wargame")
    elif result.matches:
        print(f"{name}: replayed {count(result.turns, 'turn')} from seed {doc['seed']}: matches the save exactly "
              "(moves, events, indicators, final state and random streams)")
    else:
        print(f"{name}: the replay diverges from the save — {result.divergence}")
    return EXIT_MATCH if result.matches else EXIT_DIVERGED
