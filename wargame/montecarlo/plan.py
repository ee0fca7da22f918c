"""The plan of a batch: what is played, with which seeds, in which chunks, and the shape of its tables.

A plan is plain data. It is written to DIR/batch.json when a batch starts and read back by --resume, and it is
what the workers receive, so every worker, on any machine, plays exactly the same games.

Run ids number the games 0 … total-1. With a sweep, run id = point × runs + replicate. Run i's seed is the first
63 bits of `numpy.random.SeedSequence(S).spawn(total)[i]`'s state (computed directly as the child with spawn
key (i,), so that no list of seeds is ever held); with `common_seeds` the replicate number takes the place of i.
A run can be replayed alone with `wargame run --seed SEED`.
"""

from __future__ import annotations

import hashlib
import json
import math
from collections import OrderedDict
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import numpy as np

from ..model import WargameModel
from ..ruleset import Ruleset
from ..scripts import Script
from . import overrides as ov
from .sweeps import Sweep

FORMAT = 1
_BUILT: OrderedDict[tuple[str, int], Ruleset] = OrderedDict()    # rulesets of points, by plan key and point
_KEEP_BUILT = 4     # rulesets are shared by every game of a point; a big sweep builds each point's in turn
STOPPAGE_BELOW = 0.99          # a producer below 99% of normal output has stopped part of its production
DEESCALATION = "de_escalation"  # the move family whose first play marks de-escalation


def run_seed(seed: int, index: int) -> int:
    state = np.random.SeedSequence(seed, spawn_key=(index,)).generate_state(1, np.uint64)[0]
    return int(state >> np.uint64(1))


def auto_chunk(total: int) -> int:
    """Runs per task: large enough that per-task costs vanish, small enough for an even finish and quick saves."""
    return min(total, max(50, min(250, math.ceil(total / 100))))


def series_columns(rules: Ruleset) -> tuple[str, ...]:
    """The numeric indicators a turn reports, with one-level mappings flattened to 'name.key'.

    Read from a real first turn rather than listed by hand, so that indicators the engine adds appear here too.
    Deeper mappings (inventories by node and commodity) and text (date, ladder rung) are left out.
    """
    probe = WargameModel(rules, rng=0, turns=1)
    probe.step()
    cols: list[str] = []
    for name, value in probe.state.indicators.items():
        if name == "turn":
            continue
        if _is_number(value):
            cols.append(name)
        elif isinstance(value, dict) and value and all(_is_number(v) for v in value.values()):
            cols += [f"{name}.{key}" for key in value]
    return tuple(cols)


def _is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def deescalating_actors(rules: Ruleset) -> tuple[str, ...]:
    return tuple(a for a in rules.actor_ids if any(m.family == DEESCALATION for m in rules.moves_by_actor[a]))


@dataclass(frozen=True)
class Plan:
    ruleset_data: dict = field(repr=False)
    ruleset_file: str
    ruleset_id: str
    ruleset_digest: str
    script_data: dict | None
    fixed: ov.Overrides
    sweep: Sweep | None
    runs: int                     # per point
    turns: int
    seed: int
    every: int
    chunk: int
    columns: tuple[str, ...]      # the series' indicator columns
    deescalators: tuple[str, ...]
    outcomes: tuple[tuple[str, str], ...]   # (id, label) in ruleset order
    param_types: tuple[tuple[str, str], ...]  # (path, 'float' | 'string')
    stoppage_below: float = STOPPAGE_BELOW
    version: str = ""

    # -- layout ---------------------------------------------------------------------------------------
    @property
    def points(self) -> int:
        return len(self.sweep.points) if self.sweep else 1

    @property
    def total(self) -> int:
        return self.points * self.runs

    @property
    def chunks(self) -> int:
        return math.ceil(self.total / self.chunk)

    def chunk_range(self, index: int) -> range:
        return range(index * self.chunk, min(self.total, (index + 1) * self.chunk))

    def locate(self, run_id: int) -> tuple[int, int]:
        """(point, replicate) of a run."""
        return divmod(run_id, self.runs)

    def seed_of(self, run_id: int) -> int:
        point, replicate = self.locate(run_id)
        return run_seed(self.seed, replicate if self.sweep and self.sweep.common_seeds else run_id)

    def overrides_of(self, point: int) -> ov.Overrides:
        return self.fixed + (self.sweep.points[point] if self.sweep else ())

    def parameters_of(self, point: int) -> dict[str, Any]:
        return dict(self.overrides_of(point))

    def rules_of(self, point: int) -> Ruleset:
        """The ruleset the games of a point play. Raises WargameError if the point's values are ones the
        ruleset refuses.

        Built once per process and point: the plan, the games played in this process and the summary all ask
        for it, and each build validates the whole ruleset again."""
        key = (self.key, point)
        rules = _BUILT.get(key)
        if rules is None:
            rules = ov.build(self.ruleset_data, self.overrides_of(point), file=self.ruleset_file)
            self.remember(point, rules)
        else:
            _BUILT.move_to_end(key)
        return rules

    def remember(self, point: int, rules: Ruleset) -> None:
        """Keep `rules`, built from this plan's data and the point's overrides, as the point's ruleset."""
        _BUILT[(self.key, point)] = rules
        while len(_BUILT) > _KEEP_BUILT:
            _BUILT.popitem(last=False)

    @cached_property
    def key(self) -> str:
        """Identifies the batch: workers cache rulesets under it."""
        return hashlib.sha256(json.dumps(self.to_manifest(), sort_keys=True, default=str).encode()).hexdigest()[:16]

    # -- the manifest ---------------------------------------------------------------------------------
    def to_manifest(self) -> dict:
        return {
            "format": FORMAT, "version": self.version,
            "ruleset": {"file": self.ruleset_file, "id": self.ruleset_id, "digest": self.ruleset_digest},
            "script": None if self.script_data is None else self.script_data.get("name", ""),
            "set": [[p, v] for p, v in self.fixed],
            "sweep": self.sweep.to_manifest() if self.sweep else None,
            "runs": self.runs, "turns": self.turns, "seed": self.seed, "every": self.every, "chunk": self.chunk,
            "total": self.total, "columns": list(self.columns), "deescalators": list(self.deescalators),
            "outcomes": [list(o) for o in self.outcomes], "param_types": [list(t) for t in self.param_types],
            "stoppage_below": self.stoppage_below,
        }

    @classmethod
    def from_manifest(cls, m: dict, ruleset_data: dict, script_data: dict | None) -> "Plan":
        return cls(ruleset_data=ruleset_data, ruleset_file=m["ruleset"]["file"], ruleset_id=m["ruleset"]["id"],
                   ruleset_digest=m["ruleset"]["digest"], script_data=script_data,
                   fixed=tuple((p, v) for p, v in m["set"]),
                   sweep=Sweep.from_manifest(m["sweep"]) if m["sweep"] else None, runs=m["runs"], turns=m["turns"],
                   seed=m["seed"], every=m["every"], chunk=m["chunk"], columns=tuple(m["columns"]),
                   deescalators=tuple(m["deescalators"]), outcomes=tuple(tuple(o) for o in m["outcomes"]),
                   param_types=tuple(tuple(t) for t in m["param_types"]), stoppage_below=m["stoppage_below"],
                   version=m.get("version", ""))


def param_types(fixed: ov.Overrides, sweep: Sweep | None) -> tuple[tuple[str, str], ...]:
    values: dict[str, list] = {p: [v] for p, v in fixed}
    for point in sweep.points if sweep else ():
        for p, v in point:
            values.setdefault(p, []).append(v)
    return tuple((p, "float" if all(_is_number(v) for v in vs) else "string") for p, vs in values.items())


def script_from_data(data: dict | None, rules: Ruleset) -> Script | None:
    if data is None:
        return None
    import yaml

    from ..scripts import script_from_text

    return script_from_text(yaml.safe_dump(data, sort_keys=False, allow_unicode=True), rules,
                            file=f"<script {data.get('name', '')}>")


__all__ = ["Plan", "run_seed", "auto_chunk", "series_columns", "param_types", "script_from_data"]
