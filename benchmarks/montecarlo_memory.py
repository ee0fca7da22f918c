"""Peak memory of `wargame montecarlo` at 1,000 against 10,000 runs: it should stay flat as the batch grows.

Runs the real command in a fresh interpreter per size and samples its whole process tree (coordinator, fork
server, workers) ten times a second. Memory is PSS, which shares the pages that workers inherit from the fork
server fairly instead of counting them once per process as RSS would. Charts and summary are included.

    .venv/bin/python benchmarks/montecarlo_memory.py [--sizes 1000 10000] [--turns 52] [--repeats 1] [--batch-run]

--batch-run also measures mesa.batch_run (2 processes, every step collected) on the same sizes, for contrast:
it returns every row in memory at the end.

Needs psutil (a benchmark-only dependency).
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

try:
    import psutil
except ImportError:
    sys.exit("this benchmark needs psutil: .venv/bin/pip install psutil")


def tree(proc: psutil.Process) -> list[psutil.Process]:
    try:
        return [proc, *proc.children(recursive=True)]
    except psutil.NoSuchProcess:
        return []


BATCH_RUN = """
import sys
import pandas as pd
from mesa.batchrunner import batch_run
from wargame import WargameModel
from wargame.montecarlo.plan import run_seed
from wargame.ruleset import DEFAULT_RULESET
if __name__ == "__main__":
    runs, turns = int(sys.argv[1]), int(sys.argv[2])
    rows = batch_run(WargameModel, {"ruleset": str(DEFAULT_RULESET), "turns": turns},
                     rng=[run_seed(1, i) for i in range(runs)], number_processes=2, max_steps=turns,
                     data_collection_period=1, display_progress=False)
    pd.DataFrame(rows).to_parquet(sys.argv[3])
"""


def measure(runs: int, turns: int, contender: str = "runner") -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        if contender == "runner":
            cmd = [sys.executable, "-m", "wargame", "montecarlo", "--runs", str(runs), "--turns", str(turns),
                   "--seed", "1", "--workers", "2", "--out", str(Path(tmp) / "mc"), "--quiet"]
        else:
            script = Path(tmp) / "batch_run_bench.py"
            script.write_text(BATCH_RUN)
            (Path(tmp) / "mc").mkdir()
            cmd = [sys.executable, str(script), str(runs), str(turns), str(Path(tmp) / "mc" / "rows.parquet")]
        start = time.perf_counter()
        child = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        root = psutil.Process(child.pid)
        peak_total = peak_coordinator = peak_worker = 0.0
        while child.poll() is None:
            total = 0.0
            for p in tree(root):
                try:
                    pss = p.memory_full_info().pss
                except (psutil.NoSuchProcess, psutil.AccessDenied):
                    continue
                total += pss
                if p.pid == root.pid:
                    peak_coordinator = max(peak_coordinator, pss)
                else:
                    peak_worker = max(peak_worker, pss)
            peak_total = max(peak_total, total)
            time.sleep(0.1)
        wall = time.perf_counter() - start
        if child.returncode != 0:
            sys.exit(f"the batch failed: {child.stderr.read().decode()}")
        size = sum(f.stat().st_size for f in (Path(tmp) / "mc").glob("*.parquet"))
    mb = 1 / 2**20
    return {"total": peak_total * mb, "coordinator": peak_coordinator * mb, "worker": peak_worker * mb,
            "wall": wall, "parquet": size * mb}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[1000, 10_000])
    parser.add_argument("--turns", type=int, default=52)
    parser.add_argument("--repeats", type=int, default=1)
    parser.add_argument("--batch-run", action="store_true", help="also measure mesa.batch_run")
    args = parser.parse_args()
    for contender in ("runner", "batch_run") if args.batch_run else ("runner",):
        print(f"-- {'wargame montecarlo, 2 workers' if contender == 'runner' else 'mesa.batch_run, 2 processes'}")
        rows = {}
        for n in args.sizes:
            samples = [measure(n, args.turns, contender) for _ in range(args.repeats)]
            rows[n] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
            r = rows[n]
            print(f"{n:>8,} runs: peak {r['total']:6.1f} MB in all (main process {r['coordinator']:5.1f} MB, "
                  f"largest worker {r['worker']:5.1f} MB); {r['wall']:.1f} s; Parquet {r['parquet']:.1f} MB",
                  flush=True)
        small, large = min(rows), max(rows)
        if small != large:
            ratio = rows[large]["total"] / rows[small]["total"]
            print(f"peak memory at {large:,} runs / at {small:,} runs: {ratio:.2f}× (target: flat, about 1×)")


if __name__ == "__main__":
    main()
