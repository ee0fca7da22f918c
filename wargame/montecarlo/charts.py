"""PNG charts of a batch, drawn with matplotlib's object API (no pyplot, so no global backend or state: safe in
a notebook and in a headless batch alike)."""

from __future__ import annotations

import math
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np

from ..figures import yen
from ..indicators import titled
from ..render import count

if TYPE_CHECKING:
    import pandas as pd

    from .plan import Plan

# Beyond this many runs the fan chart draws an evenly spaced sample of them: its quantile bands are steady by
# then, and the coordinator's memory no longer grows with the batch while it draws.
FAN_RUNS = 4_000
FAN = (("tension", titled("tension", "{tension_scale}"), 1.0),
       ("japan_supply_index", titled("japan_supply_index"), 1.0),
       ("japan_gdp_loss_jpy", titled("japan_gdp_loss_jpy", "¥ bn"), 1e-9))
QUANTILES = (0.05, 0.25, 0.5, 0.75, 0.95)
BLUE = "#2b6cb0"


def _figure(width: float, height: float, rows: int = 1, cols: int = 1):
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=110, layout="constrained")
    axes = fig.subplots(rows, cols, squeeze=False)
    return fig, axes.ravel()


def _turn_axis(ax, turn_length: str) -> None:
    """Turns are whole numbers: ticks at whole numbers only, never 2.5."""
    from matplotlib.ticker import MaxNLocator

    ax.xaxis.set_major_locator(MaxNLocator(integer=True))
    ax.set_xlabel(f"turn ({turn_length})" if turn_length else "turn")
    ax.grid(alpha=0.3)


def fan_paths(series_file: Path, plan: "Plan", columns: list[str]) -> tuple[np.ndarray, dict[str, np.ndarray], int]:
    """Each indicator on a grid of turns for (a sample of) the runs, a finished game holding its final value.

    Streams the series table one row group at a time, reading only the columns drawn, so memory is bounded by
    a row group and FAN_RUNS × turns × indicators whatever the number of runs.
    """
    import pyarrow.parquet as pq

    stride = max(1, math.ceil(plan.total / FAN_RUNS))
    sampled = math.ceil(plan.total / stride)
    grid = np.array(sorted(set(range(plan.every, plan.turns + 1, plan.every)) | {plan.turns}))
    paths = {c: np.full((sampled, len(grid)), np.nan) for c in columns}
    # One row group at a time, without reading ahead: what is held is a row group's few columns.
    source = pq.ParquetFile(series_file, pre_buffer=False)
    for group in range(source.num_row_groups):
        batch = source.read_row_group(group, columns=["run_id", "turn", *columns])
        run_id = batch.column(0).to_numpy()
        take = run_id % stride == 0
        rows = run_id[take] // stride
        slots = np.searchsorted(grid, batch.column(1).to_numpy()[take])
        keep = slots < len(grid)
        for i, c in enumerate(columns):
            values = batch.column(2 + i).to_numpy(zero_copy_only=False)[take]
            paths[c][rows[keep], slots[keep]] = values[keep]
    for values in paths.values():
        for k in range(1, values.shape[1]):
            gap = np.isnan(values[:, k])
            values[gap, k] = values[gap, k - 1]
    return grid, paths, sampled


def still_playing(turns: np.ndarray, horizon: int) -> tuple[np.ndarray, np.ndarray]:
    """Each turn from 1 to `horizon` and the share (%) of games that played it, from each game's number of turns:
    a game counts until its own last turn, not until the next turn the series recorded (with --every 5, a game
    that ended on turn 16 stops counting after turn 16, not after 15 or 20)."""
    every_turn = np.arange(1, horizon + 1)
    if not len(turns):
        return every_turn, np.full(horizon, np.nan)
    ended = np.bincount(np.clip(turns.astype(int), 0, horizon), minlength=horizon + 1)
    # Games that played turn t are those that had not ended by turn t - 1.
    return every_turn, (len(turns) - np.cumsum(ended)[:horizon]) / len(turns) * 100


def fan_chart(series_file: Path, runs_file: Path, plan: "Plan", dest: Path, tension_scale: str = "0–max",
              turn_length: str = "") -> Path:
    """`tension_scale` and `turn_length` are the summary's units ('0–10' or '0–10 or 0–20, by sweep point';
    'week' or '3 days': summary.batch_units)."""
    import pyarrow.parquet as pq

    available = set(pq.read_schema(series_file).names)
    shown = [f for f in FAN if f[0] in available]
    grid, paths, sampled = fan_paths(series_file, plan, [c for c, _, _ in shown])
    turns = pq.read_table(runs_file, columns=["turns"]).column(0).to_numpy()
    fig, axes = _figure(11, 7.5, 2, 2)
    for ax, (col, label, scale) in zip(axes, shown):
        q = np.nanquantile(paths[col] * scale, QUANTILES, axis=0)
        if len(grid) > 1:
            ax.fill_between(grid, q[0], q[4], color=BLUE, alpha=0.18, lw=0, label="5–95%")
            ax.fill_between(grid, q[1], q[3], color=BLUE, alpha=0.35, lw=0, label="25–75%")
            ax.plot(grid, q[2], color=BLUE, lw=2, label="median")
        else:   # one recorded turn (--turns 1, or --every beyond the turn limit): bands have no width to fill
            ax.vlines(grid, q[0], q[4], color=BLUE, alpha=0.18, lw=16, label="5–95%")
            ax.vlines(grid, q[1], q[3], color=BLUE, alpha=0.35, lw=16, label="25–75%")
            ax.plot(grid, q[2], color=BLUE, marker="_", ms=16, mew=2, lw=0, label="median")
        ax.set_title(label.format(tension_scale=tension_scale), fontsize=10)
        _turn_axis(ax, turn_length)
    # Above the panels, not in one: the 5–95% band spans most of a panel's height, and a legend inside would
    # hide the very lines it explains.
    handles, labels = axes[0].get_legend_handles_labels()
    fig.legend(handles, labels, loc="outside lower center", ncols=3, fontsize=8, frameon=False)
    played, playing = still_playing(turns, plan.turns)
    ax = axes[len(shown)] if len(shown) < len(axes) else axes[-1]
    ax.step(played, playing, where="post", color="#444", marker="o" if len(played) == 1 else None)
    ax.set_ylim(0, 105)
    ax.set_title("Games still being played (%)", fontsize=10)
    _turn_axis(ax, turn_length)
    for extra in axes[len(shown) + 1:]:
        extra.set_visible(False)
    # After the longest game every line is flat; stop the axis there.
    last = float(min(plan.turns, max(int(turns.max()) + 1, grid[0] + 1))) if len(turns) else plan.turns
    for ax in axes:
        ax.set_xlim(0.5, last + 0.5)
    note = f"{sampled:,} of {plan.total:,} runs" if sampled < plan.total else count(plan.total, "run")
    if plan.sweep and plan.points > 1:
        note += f" of {plan.points:,} sweep points together"
    fig.suptitle(f"{plan.ruleset_id}: the main indicators over time ({note}; a finished game keeps its final "
                 "value)", fontsize=10)
    fig.savefig(dest)
    return dest


def outcome_chart(outcomes: "pd.DataFrame", dest: Path, pooled: str = "") -> Path:
    """`pooled` says what the runs mix, for a sweep ('9 sweep points together')."""
    fig, (ax,) = _figure(8, 0.5 + 0.55 * len(outcomes))
    y = np.arange(len(outcomes))[::-1]
    share = outcomes["share"].to_numpy() * 100
    err = np.vstack([share - outcomes["ci_low"].to_numpy() * 100, outcomes["ci_high"].to_numpy() * 100 - share])
    ax.barh(y, share, color=BLUE, alpha=0.8)
    ax.errorbar(share, y, xerr=err, fmt="none", ecolor="#222", capsize=3, lw=1)
    ax.set_yticks(y, outcomes["label"].tolist(), fontsize=9)
    for yi, s in zip(y, share):
        ax.text(s + 1, yi + 0.25, f"{s:.1f}%", fontsize=8)
    ax.set_xlim(0, 105)
    ax.set_xlabel("share of runs (%) with 95% Wilson interval")
    ax.set_title(f"Outcomes of {int(outcomes['runs'].sum()):,} runs" + (f" ({pooled})" if pooled else ""), fontsize=10)
    ax.grid(axis="x", alpha=0.3)
    fig.savefig(dest)
    return dest


def loss_histogram(loss_jpy: np.ndarray, dest: Path, pooled: str = "") -> Path:
    """`pooled` says what the runs mix, for a sweep ('9 sweep points together')."""
    values = loss_jpy[~np.isnan(loss_jpy)] * 1e-9
    fig, (ax,) = _figure(8, 4.5)
    if len(values):
        ax.hist(values, bins=min(60, max(10, int(math.sqrt(len(values))))), color=BLUE, alpha=0.8)
        p05, med, p95 = np.quantile(values, [0.05, 0.5, 0.95])
        ax.axvline(med, color="#222", lw=1.5, label=f"median {yen(med * 1e9)}")
        ax.axvline(p05, color="#222", lw=1, ls="--", label=f"5–95%: {yen(p05 * 1e9)} to {yen(p95 * 1e9)}")
        ax.axvline(p95, color="#222", lw=1, ls="--")
        ax.legend(fontsize=8)
    ax.set_xlabel(titled("japan_gdp_loss_jpy", "¥ bn"))
    ax.set_ylabel("runs")
    ax.set_title("Japan's loss at the end of the game" + (f" ({pooled})" if pooled else ""), fontsize=10)
    ax.grid(alpha=0.3)
    fig.savefig(dest)
    return dest
