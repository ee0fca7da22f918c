"""`wargame calibrate`: run the model against the published calibration targets."""

from __future__ import annotations

import argparse

from ..calibration import measure
from .common import add_ruleset_argument, positive_int, ruleset_from_args


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser("calibrate", help="measure a ruleset against the calibration targets (some 150 games: a few seconds)")
    add_ruleset_argument(p)
    p.add_argument("--seeds", type=positive_int, default=100, help="seeds to average the losses over (default 100)")
    p.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    rules = ruleset_from_args(args)
    rows = measure(rules, args.seeds)
    width = max(len(r.name) for r in rows)
    print(f"Calibration of {rules.id} ({args.seeds} seeds)")
    for r in rows:
        print(f"  {'ok  ' if r.ok else 'MISS'} {r.name:<{width}}  target {r.target:<30} measured {r.measured}")
    return 0 if all(r.ok for r in rows) else 1
