"""Monte Carlo throughput: this runner against mesa.batch_run and a bare loop, and 1 worker against 2.

All in one run, on the same seeds, repeated and interleaved so that every contender sees the same machine, each
timing in a fresh interpreter; the script prints medians and ratios against the references measured here.

    runner (2 workers)     wargame.montecarlo.run: the batch as the command plays it, series every turn, Parquet
                           tables merged, summary computed (no charts)
    runner (1 worker)      the same in one process: the scaling reference
    batch_run (2 / 1 proc) mesa.batch_run driving the same model for the same runs and turns, collecting every
                           step (the equivalent of the runner's per-turn series) into a pandas DataFrame
    bare loop              WargameModel(..., collect=False).run() for each seed, nothing recorded (not even Mesa's
                           DataCollector): what the engine alone costs, the floor for the runner with 1 worker

Targets (10,000 runs × 52 turns, 2 cores): the runner within 60 s; at least 3× faster than batch_run; 1 → 2
workers at least 85% efficient.

    .venv/bin/python benchmarks/montecarlo_speed.py [--runs 10000] [--turns 52] [--repeats 3]
    .venv/bin/python benchmarks/montecarlo_speed.py --runs 1000 --repeats 1     # a quick check
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from wargame import WargameModel, load_ruleset
from wargame import montecarlo
from wargame.montecarlo.plan import run_seed
from wargame.ruleset import DEFAULT_RULESET


def runner(runs: int, turns: int, workers: int) -> tuple[float, float, float]:
    with tempfile.TemporaryDirectory() as tmp:
        start, cpu = time.perf_counter(), time.process_time()
        result = montecarlo.run(runs=runs, turns=turns, seed=1, workers=workers, out=Path(tmp) / "mc",
                                progress=False, charts=False)
        wall, cpu = time.perf_counter() - start, time.process_time() - cpu
        return wall, cpu, float(result.runs["turns"].mean())


def batch_run(runs: int, turns: int, processes: int) -> tuple[float, float]:
    import pandas as pd
    from mesa.batchrunner import batch_run as mesa_batch_run

    seeds = [run_seed(1, i) for i in range(runs)]
    start, cpu = time.perf_counter(), time.process_time()
    rows = mesa_batch_run(WargameModel, {"ruleset": str(DEFAULT_RULESET), "turns": turns}, rng=seeds,
                          number_processes=processes, max_steps=turns, data_collection_period=1,
                          display_progress=False)
    pd.DataFrame(rows)
    return time.perf_counter() - start, time.process_time() - cpu


def bare_loop(runs: int, turns: int) -> tuple[float, float]:
    rules = load_ruleset()
    start, cpu = time.perf_counter(), time.process_time()
    for i in range(runs):
        WargameModel(rules, rng=run_seed(1, i), turns=turns, collect=False).run()
    return time.perf_counter() - start, time.process_time() - cpu


ONE = {
    "runner_2": lambda n, t: runner(n, t, 2),
    "runner_1": lambda n, t: runner(n, t, 1),
    "batch_run_2": lambda n, t: batch_run(n, t, 2),
    "batch_run_1": lambda n, t: batch_run(n, t, 1),
    "loop": lambda n, t: bare_loop(n, t),
}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=10_000)
    parser.add_argument("--turns", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--skip", nargs="*", default=[], choices=["batch_run", "batch_run_1", "loop", "runner_1"],
                        help="leave out slow references")
    parser.add_argument("--one", choices=list(ONE), help=argparse.SUPPRESS)   # a single timing, in this process
    args = parser.parse_args()
    n, t = args.runs, args.turns
    if args.one:
        # What any contender would have imported in a long session: a fresh interpreter should not charge it.
        import mesa.batchrunner  # noqa: F401
        import pandas  # noqa: F401
        import pyarrow.parquet  # noqa: F401

        import wargame.montecarlo.summary  # noqa: F401
        print(json.dumps(ONE[args.one](n, t)))
        return

    def fresh(key: str):
        # Each timing in an interpreter of its own: what one contender leaves behind in a process (imports,
        # caches, the runner's gc.freeze of everything then alive) must not speed up or slow down the next.
        out = subprocess.run([sys.executable, __file__, "--one", key, "--runs", str(n), "--turns", str(t)],
                             check=True, capture_output=True, text=True).stdout
        return tuple(json.loads(out.strip().splitlines()[-1]))

    contenders = {
        "runner, 2 workers": lambda: fresh("runner_2")[:2],
        "runner, 1 worker": lambda: fresh("runner_1")[:2],
        "batch_run, 2 processes": lambda: fresh("batch_run_2"),
        "batch_run, 1 process": lambda: fresh("batch_run_1"),
        "bare loop (engine only)": lambda: fresh("loop"),
    }
    skip = {"batch_run": "batch_run, 2 processes", "batch_run_1": "batch_run, 1 process",
            "loop": "bare loop (engine only)", "runner_1": "runner, 1 worker"}
    for key in args.skip:
        contenders.pop(skip[key])
    print(f"{n:,} runs × up to {t} turns, {args.repeats} repeats, {os.cpu_count()} CPUs, "
          f"load average {os.getloadavg()[0]:.2f} at start")
    *_, mean_turns = runner(min(n, 500), t, 2)   # the typical game length (and the files' caches warmed)
    print(f"games last {mean_turns:.1f} turns on average (they end when an outcome is decided)")
    times: dict[str, list[float]] = {k: [] for k in contenders}
    cpus: dict[str, list[float]] = {k: [] for k in contenders}
    for rep in range(args.repeats):
        for name, fn in contenders.items():
            wall, cpu = fn()
            times[name].append(wall)
            cpus[name].append(cpu)
            print(f"  repeat {rep + 1}: {name:26s} {wall:7.1f} s", flush=True)
    med = {k: statistics.median(v) for k, v in times.items()}
    cpu_med = {k: statistics.median(v) for k, v in cpus.items()}
    print(f"\nload average at end {os.getloadavg()[0]:.2f}\n")
    # CPU seconds of the contender's own process: everything for the single-process contenders, the
    # coordinator's share otherwise. Unlike wall time it does not suffer from other load on the machine.
    print(f"{'':28s} {'median s':>9s} {'runs/s':>8s} {'ms/run':>7s} {'CPU s here':>11s}")
    for name, m in med.items():
        print(f"{name:28s} {m:9.1f} {n / m:8.0f} {1000 * m / n:7.2f} {cpu_med[name]:11.1f}")
    ours = med["runner, 2 workers"]
    print(f"\nthroughput: {n:,} runs in {ours:.1f} s (target ≤ 60 s for 10,000 × 52)")
    for ref in ("batch_run, 2 processes", "batch_run, 1 process"):
        if ref in med:
            print(f"speed-up over {ref}: {med[ref] / ours:.2f}× (target ≥ 3×)")
    if "runner, 1 worker" in med:
        eff = med["runner, 1 worker"] / (2 * ours)
        print(f"scaling 1 → 2 workers: {med['runner, 1 worker'] / ours:.2f}×, efficiency {100 * eff:.0f}% "
              "(target ≥ 85%)")
        if "bare loop (engine only)" in med:
            print(f"runner overhead over the bare engine, 1 worker: "
                  f"{100 * (med['runner, 1 worker'] / med['bare loop (engine only)'] - 1):.1f}% wall, "
                  f"{100 * (cpu_med['runner, 1 worker'] / cpu_med['bare loop (engine only)'] - 1):.1f}% CPU")


if __name__ == "__main__":
    main()
