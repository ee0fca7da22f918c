"""What a worker does: play a chunk of runs and hand back its two table parts, already encoded as Parquet.

Encoding in the worker keeps the coordinating process nearly idle (it only moves bytes to disk), which matters
on a small machine where it shares the cores with the workers. The same function runs in a local process, in
the coordinating process itself (one worker) and on Dask workers.
"""

from __future__ import annotations

import gc
import io
import math
import traceback
from collections import OrderedDict
from dataclasses import dataclass
from operator import itemgetter
from typing import Any, Callable

from ..errors import WargameError
from ..model import WargameModel
from ..ruleset import Ruleset
from ..scripts import Script
from .plan import DEESCALATION, Plan, script_from_data
from .sweeps import PointRejected, point_problems
from .tables import runs_schema, series_schema

PART_COMPRESSION = "snappy"   # parts are short-lived; the merged tables use zstd


class RunFailed(Exception):
    """A game raised an error. Carries what is needed to replay it alone."""

    def __init__(self, run_id: int, seed: int, message: str, detail: str = ""):
        super().__init__(run_id, seed, message, detail)
        self.run_id, self.seed, self.message, self.detail = run_id, seed, message, detail

    def __str__(self) -> str:
        return f"run {self.run_id} (seed {self.seed}) failed: {self.message}"


@dataclass(frozen=True)
class ChunkResult:
    index: int
    runs: int
    runs_part: bytes
    series_part: bytes


@dataclass
class _Setup:
    rules: Ruleset
    script: Script | None
    read_row: Callable[[dict], list]       # a turn's indicators, in the series' column order
    deescalating: frozenset[str]
    params: list[Any]                      # the runs table's parameter values for this point


_SETUPS: OrderedDict[tuple[str, int], _Setup] = OrderedDict()
_KEEP = 16  # rulesets kept per process: enough for the points of neighbouring chunks, bounded for big sweeps


def _setup(plan: Plan, point: int) -> _Setup:
    key = (plan.key, point)
    setup = _SETUPS.get(key)
    if setup is not None:
        _SETUPS.move_to_end(key)
        return setup
    rules = plan.rules_of(point)
    script = script_from_data(plan.script_data, rules)
    deesc = frozenset(m.id for m in rules.moves.values() if m.family == DEESCALATION)
    values = plan.parameters_of(point)
    params = [_param(values[p], t) for p, t in plan.param_types]
    setup = _SETUPS[key] = _Setup(rules, script, row_reader(plan.columns), deesc, params)
    while len(_SETUPS) > _KEEP:
        _SETUPS.popitem(last=False)
    return setup


def row_reader(columns: tuple[str, ...]) -> Callable[[dict], list]:
    """A function reading a turn's indicators into a list in the order of `columns` ('name' or 'name.key' for
    a key within a mapping), NaN for any that the turn lacks.

    Called every turn of every game: it takes each run of neighbouring columns from the same mapping with one
    itemgetter, and only when a turn lacks one of them falls back to looking each column up alone.
    """
    keys = [tuple(c.split(".", 1)) if "." in c else (c, None) for c in columns]
    groups: list[tuple[str | None, list[str]]] = []     # (mapping name, or None for the indicators themselves)
    for name, key in keys:
        source, item = (None, name) if key is None else (name, key)
        if groups and groups[-1][0] == source:
            groups[-1][1].append(item)
        else:
            groups.append((source, [item]))
    getters = [(source, itemgetter(*items) if len(items) > 1 else _one(items[0])) for source, items in groups]
    nan = math.nan

    def each_alone(ind: dict) -> list:
        return [ind.get(a, nan) if b is None else ind.get(a, {}).get(b, nan) for a, b in keys]

    def read(ind: dict) -> list:
        row: list = []
        try:
            for source, get in getters:
                row += get(ind if source is None else ind[source])
        except (KeyError, TypeError):
            return each_alone(ind)
        return row

    return read


def _one(key: str) -> Callable[[dict], tuple]:
    return lambda mapping: (mapping[key],)


def _param(value: Any, kind: str) -> Any:
    if kind == "float":
        return float(value)
    if isinstance(value, str):
        return value
    import json

    return json.dumps(value, sort_keys=True)


class _Columns:
    """Column-wise lists for one chunk's tables."""

    def __init__(self, plan: Plan):
        self.plan = plan
        n = len(plan.columns)
        self.run = {name: [] for name in ("run_id", "point", "replicate", "seed", "outcome", "turns",
                                          "first_stoppage_turn", "first_stoppage_at", "turns_to_deescalation")}
        self.params: list[list] = [[] for _ in plan.param_types]
        self.deesc: list[list] = [[] for _ in plan.deescalators]
        self.stats: list[list[list]] = [[[] for _ in range(n)] for _ in range(3)]
        self.series_run: list[int] = []
        self.series_turn: list[int] = []
        self.series: list[list[float]] = [[] for _ in range(n)]


def play(plan: Plan, setup: _Setup, run_id: int, seed: int, out: _Columns) -> None:
    """Play one game to its end, appending its runs row and its recorded turns to `out`."""
    model = WargameModel(setup.rules, rng=seed, script=setup.script, turns=plan.turns, collect=False)
    read_row, below, deesc_moves = setup.read_row, plan.stoppage_below, setup.deescalating
    rows: list[list] = []       # every turn's indicators: the series keeps some, the extremes need all
    turns: list[int] = []
    stop_turn = stop_at = None
    deesc: dict[str, int] = {}
    reports = model.reports
    while model.running:
        model.step()
        ind = model.state.indicators
        turn = ind["turn"]
        turns.append(turn)
        rows.append(read_row(ind))
        if stop_turn is None:
            output = ind.get("sector_output") or {}
            for node, share in output.items():
                if share < below:
                    stop_turn, stop_at = turn, node
                    break
        for actor, moves in reports[-1].orders.items():
            if actor not in deesc and not deesc_moves.isdisjoint(moves):
                deesc[actor] = turn
    point, replicate = plan.locate(run_id)
    r = out.run
    r["run_id"].append(run_id)
    r["point"].append(point)
    r["replicate"].append(replicate)
    r["seed"].append(seed)
    r["outcome"].append(model.state.outcome or "unfinished")
    r["turns"].append(turns[-1] if turns else 0)
    r["first_stoppage_turn"].append(stop_turn)
    r["first_stoppage_at"].append(stop_at)
    r["turns_to_deescalation"].append(min(deesc.values()) if deesc else None)
    for col, value in zip(out.params, setup.params):
        col.append(value)
    for col, actor in zip(out.deesc, plan.deescalators):
        col.append(deesc.get(actor))
    if not rows:     # a game with no turns to play (turn limit already reached)
        nans = [math.nan] * len(out.series)
        for stat in out.stats:
            for col, value in zip(stat, nans):
                col.append(value)
        return
    # Column by column once the game is over: max() and min() scan a column as folding them turn by turn
    # would, so ties and NaN come out the same, at a fraction of the cost.
    columns = list(zip(*rows))
    every = plan.every
    if every == 1:
        kept = turns
    else:
        # Every `every`-th turn and always the last one.
        at = [i for i, turn in enumerate(turns) if turn % every == 0]
        if not at or at[-1] != len(turns) - 1:
            at.append(len(turns) - 1)
        kept = [turns[i] for i in at]
        columns_kept = [[column[i] for i in at] for column in columns]
    out.series_run.extend([run_id] * len(kept))
    out.series_turn.extend(kept)
    for col, values in zip(out.series, columns if every == 1 else columns_kept):
        col.extend(values)
    final, highest, lowest = out.stats
    for col, value in zip(final, rows[-1]):
        col.append(value)
    for col, column in zip(highest, columns):
        col.append(max(column))
    for col, column in zip(lowest, columns):
        col.append(min(column))


def _freeze_long_lived() -> None:
    """Move what the process holds before its first game (modules, numpy, pyarrow) out of the cyclic
    collector's reach.

    Games allocate many short-lived containers, and each full collection would otherwise walk every
    object of those libraries again: freezing them makes games up to a fifth faster in a worker. Done
    once per process, so the rulesets built later for sweep points stay collectable.
    """
    global _FROZEN
    if not _FROZEN:
        import pyarrow.parquet  # noqa: F401 - imported now (the parts need it) so that it is frozen too

        gc.collect()
        gc.freeze()
        _FROZEN = True


_FROZEN = False


def run_chunk(plan: Plan, index: int) -> ChunkResult:
    """Play the runs of chunk `index` and return its runs and series parts as Parquet bytes."""
    out = _Columns(plan)
    _freeze_long_lived()
    ids = plan.chunk_range(index)
    for run_id in ids:
        seed = plan.seed_of(run_id)
        setup = _point_setup(plan, plan.locate(run_id)[0])
        try:
            play(plan, setup, run_id, seed, out)
        except Exception as exc:  # noqa: BLE001 - any engine error becomes a report naming the run
            raise RunFailed(run_id, seed, f"{type(exc).__name__}: {exc}", traceback.format_exc()) from None
    return ChunkResult(index, len(ids), _encode_runs(plan, out), _encode_series(plan, out))


def _point_setup(plan: Plan, point: int) -> _Setup:
    """The ruleset of a point; PointRejected if a sweep point's values are ones the ruleset (or script) refuses."""
    try:
        return _setup(plan, point)
    except WargameError as error:
        if plan.sweep is None:
            raise
        values = plan.sweep.points[point]
        problems = point_problems(plan.ruleset_data, plan.fixed, values) or error.lines()
        raise PointRejected(point, [list(v) for v in values], problems) from None


def _encode_runs(plan: Plan, out: _Columns) -> bytes:
    import pyarrow as pa

    schema = runs_schema(plan)
    r = out.run
    head = [r["run_id"], r["point"], r["replicate"], r["seed"], *out.params, r["outcome"], r["turns"],
            r["first_stoppage_turn"], r["first_stoppage_at"], r["turns_to_deescalation"], *out.deesc]
    columns = head + [col for stat in out.stats for col in stat]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema)]
    return _parquet(pa.Table.from_arrays(arrays, schema=schema))


def _encode_series(plan: Plan, out: _Columns) -> bytes:
    import pyarrow as pa

    schema = series_schema(plan)
    columns = [out.series_run, out.series_turn, *out.series]
    arrays = [pa.array(col, type=f.type) for col, f in zip(columns, schema)]
    return _parquet(pa.Table.from_arrays(arrays, schema=schema))


def _parquet(table) -> bytes:
    import pyarrow.parquet as pq

    sink = io.BytesIO()
    pq.write_table(table, sink, compression=PART_COMPRESSION)
    return sink.getvalue()
