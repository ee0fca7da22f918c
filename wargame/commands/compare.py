"""`wargame compare`: two games side by side: where their moves differ, which indicators diverge and when."""

from __future__ import annotations

import argparse
import json
import math

from ..compare import compare
from ..errors import WargameError


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("compare", help="compare two saved games: the moves that differ and the indicators that "
                                       "diverge, and when",
                       description="Compare two saved games turn by turn, typically a game and a what-if branch of "
                                   "it (wargame branch). Lists the turns and actors whose moves differ, then each "
                                   "indicator that diverges: the turn it first differs, both games' final values "
                                   "and the widest gap. With --indicator, shows those indicators turn by turn, "
                                   "side by side.")
    p.add_argument("a", metavar="A", help="a save file")
    p.add_argument("b", metavar="B", help="another save file")
    p.add_argument("--indicator", action="append", metavar="KEY",
                   help="show this indicator turn by turn, side by side (e.g. tension, japan_supply_index, "
                        "relations.beijing|tokyo) (repeatable)")
    p.add_argument("--all", action="store_true", help="list every differing move and indicator")
    p.add_argument("--tolerance", type=float, default=1e-9, metavar="X",
                   help="relative difference below which two values count as equal (default 1e-9)")
    p.add_argument("--json", action="store_true", help="write the comparison as one JSON object")
    p.set_defaults(handler=run_compare)


def run_compare(args: argparse.Namespace) -> int:
    if not 0 <= args.tolerance < math.inf:     # NaN would count every difference as none
        raise WargameError(f"--tolerance: expected a number, 0 or more, got {args.tolerance}")
    full = compare(args.a, args.b, tolerance=args.tolerance)
    # Asked for first, so that an unknown indicator is refused before anything is printed.
    picked = compare(args.a, args.b, keys=args.indicator, tolerance=args.tolerance) if args.indicator else None
    if args.json:
        obj = full.to_dict()
        if picked is not None:
            obj["series"] = {k: {"a": a, "b": b} for k, (a, b) in picked.series.items()}
        print(json.dumps(obj, ensure_ascii=False, default=str))
        return 0
    limit = None if args.all else 25
    print("\n".join(full.lines(top=limit, move_rows=None if args.all else 12)))
    if picked is not None:
        keys = list(picked.series)
        print()
        head = ["turn"] + [f"{tag} {k}" for k in keys for tag in ("A", "B", "B−A")]
        rows = [head] + picked.turn_table(keys)
        widths = [max(len(r[i]) for r in rows) for i in range(len(head))]
        for r in rows:
            print("  ".join(cell.rjust(w) for cell, w in zip(r, widths)))
    return 0
