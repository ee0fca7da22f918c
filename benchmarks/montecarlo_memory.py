"""Peak memory of `wargame montecarlo` at 1,000 against 10,000 runs: it should stay flat as the batch grows.

Runs the real command in a fresh interpreter per size and samples its whole process tree (coordinator, fork
server, workers) ten times a second. Memory is PSS, which shares the pages that workers inherit from the fork
server fairly instead of counting them once per process as RSS would. Charts and summary are included.

    .venv/bin/python benchmarks/montecarlo_memory.py [--sizes 1000 10000] [--turns 52] [--repeats 1]

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


def measure(runs: int, turns: int) -> dict[str, float]:
    with tempfile.TemporaryDirectory() as tmp:
        cmd = [sys.executable, "-m", "wargame", "montecarlo", "--runs", str(runs), "--turns", str(turns),
               "--seed", "1", "--workers", "2", "--out", str(Path(tmp) / "mc"), "--quiet"]
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
    args = parser.parse_args()
    rows = {}
    for n in args.sizes:
        samples = [measure(n, args.turns) for _ in range(args.repeats)]
        rows[n] = {k: statistics.median(s[k] for s in samples) for k in samples[0]}
        r = rows[n]
        print(f"{n:>8,} runs: peak {r['total']:6.1f} MB in all (coordinator {r['coordinator']:5.1f} MB, largest "
              f"worker {r['worker']:5.1f} MB); {r['wall']:.1f} s; tables {r['parquet']:.1f} MB on disk", flush=True)
    small, large = min(rows), max(rows)
    if small != large:
        ratio = rows[large]["total"] / rows[small]["total"]
        print(f"peak memory at {large:,} runs / at {small:,} runs: {ratio:.2f}× (target: flat, about 1×)")


if __name__ == "__main__":
    main()
