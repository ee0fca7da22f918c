"""Headless Monte Carlo batches: thousands of seeded games in parallel, streamed to Parquet, resumable.

    from wargame import montecarlo
    result = montecarlo.run(runs=1000, turns=52, seed=1, out="mc-out")
    result.runs          # pandas DataFrame: one row per game
    result.series        # pandas DataFrame: one row per game and recorded turn
    result.outcomes      # outcome probabilities with 95% Wilson intervals
    result.summary       # the summary: .markdown (also DIR/summary.md) and its tables; print(result) shows it
    result.replay_command(7)   # the `wargame run` command that plays run 7 again, alone

The command line is `wargame montecarlo`; docs/montecarlo.md describes both. pandas, pyarrow and matplotlib
(the 'analysis' extra) are imported only when a batch runs, and Dask (the 'cluster' extra) only with a scheduler.
"""

from .runner import BatchFailed, Interrupted, Result, replay_command, run

__all__ = ["run", "replay_command", "Result", "BatchFailed", "Interrupted"]
