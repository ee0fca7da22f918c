"""`wargame montecarlo`: play many seeded games in parallel and summarise what usually happens."""

from __future__ import annotations

import argparse
import signal
import sys
from pathlib import Path

from .common import existing_file, rules_file, positive_int, seed_int


def register(sub: argparse._SubParsersAction) -> None:
    p = sub.add_parser(
        "montecarlo", help="play many seeded games in parallel; Parquet tables, outcome probabilities, charts",
        description="Play a batch of seeded games, in local worker processes or on a Dask cluster, streaming "
                    "each finished chunk to Parquet in DIR. Prints a summary (also DIR/summary.md, with charts "
                    "in DIR/charts). Ctrl-C keeps every finished run; --resume continues. See docs/montecarlo.md.")
    p.add_argument("ruleset", metavar="RULESET", nargs="?", default=None,
                   help="a ruleset file (default: the 2026 rare-earth ruleset)")
    p.add_argument("--runs", type=positive_int, metavar="N", help="games to play (at each sweep point)")
    p.add_argument("--turns", type=positive_int, metavar="T", help="turn limit of each game (default: the ruleset's)")
    p.add_argument("--seed", type=seed_int, metavar="S", help="batch seed; each run's seed derives from it (default 0)")
    p.add_argument("--script", type=rules_file, metavar="FILE", help="YAML script pinning moves")
    where = p.add_mutually_exclusive_group()
    where.add_argument("--workers", type=positive_int, metavar="W",
                       help="local worker processes (default: one per core; 1 plays in this process)")
    where.add_argument("--scheduler", metavar="tcp://HOST:PORT", help="run on this Dask distributed scheduler")
    p.add_argument("--set", action="append", dest="overrides", metavar="KEY.PATH=VALUE",
                   help="override a ruleset parameter by its YAML path (repeatable), "
                        "e.g. economy.shortage_convexity=1.2")
    p.add_argument("--sweep", type=existing_file, metavar="FILE",
                   help="YAML file varying parameters over a grid or a Latin hypercube")
    p.add_argument("--every", type=positive_int, metavar="K",
                   help="record the per-turn series every K turns (default 1; the last turn is always recorded)")
    p.add_argument("--chunk", type=positive_int, metavar="C", help=argparse.SUPPRESS)
    p.add_argument("--out", required=True, metavar="DIR", help="batch directory: new or empty, or the one to resume")
    p.add_argument("--resume", action="store_true", help="continue the batch in DIR (options default to its own)")
    p.add_argument("--no-charts", action="store_true", help="skip the PNG charts")
    p.add_argument("--quiet", action="store_true",
                   help="no progress bar (or, where stderr is not a terminal, no progress lines)")
    p.set_defaults(handler=montecarlo)


def _stop_on_sigterm() -> None:
    # Batch schedulers (SLURM, Kubernetes) stop jobs with SIGTERM: treat it as Ctrl-C, so finished runs are kept.
    def stop(signum, frame):
        raise KeyboardInterrupt

    try:
        signal.signal(signal.SIGTERM, stop)
    except ValueError:   # not the main thread
        pass


def montecarlo(args: argparse.Namespace) -> int:
    from ..montecarlo.names import COMMAND_LINE
    from ..render import count
    from ..montecarlo.runner import BatchFailed, Interrupted, run

    from .validate import check_kind

    if args.sweep is not None:
        check_kind(args.sweep, "sweep", "--sweep")
    if args.script is not None:
        check_kind(args.script, "script", "--script")
    _stop_on_sigterm()
    try:
        result = run(args.ruleset, runs=args.runs, turns=args.turns, seed=args.seed, script=args.script,
                     workers=args.workers, scheduler=args.scheduler, overrides=args.overrides, sweep=args.sweep,
                     out=args.out, resume=args.resume, every=args.every, chunk=args.chunk,
                     progress=not args.quiet, charts=not args.no_charts, names=COMMAND_LINE)
    except BatchFailed as error:
        for line in error.lines():
            print(line, file=sys.stderr)
        return 1
    except Interrupted:      # the batch has said what is saved and how to continue
        return 130
    out = Path(result.out)
    sys.stdout.write(result.summary.markdown)
    where = f"tables in {out / 'runs.parquet'} and {out / 'series.parquet'}, summary in {out / 'summary.md'}"
    earlier = result.plan.total - result.played
    if not result.played:
        print(f"\nall {count(result.plan.total, 'run')} had already been played; {where}", file=sys.stderr)
        return 0
    per_second = result.played / result.elapsed if result.elapsed > 0 else 0.0
    rate = f", {per_second:,.0f} runs/s" if per_second >= 10 else f", {per_second:.1f} runs/s" if per_second else ""
    before = f" ({count(earlier, 'run')} played before)" if earlier else ""
    print(f"\n{count(result.played, 'run')} played in {result.elapsed:.1f} s{rate}{before}; {where}", file=sys.stderr)
    return 0
