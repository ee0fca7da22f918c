"""The two tables a batch writes, as Arrow schemas.

runs (one row per game)
    run_id, point, replicate, seed       which game: replay it alone with `wargame run --seed SEED`
    param.<path>                         each --set or swept parameter's value in this game
    outcome, turns                       the outcome id and the number of turns played
    first_stoppage_turn, first_stoppage_at
                                         the first turn a Japanese producer ran below 99% of normal output, and
                                         which one (null if none did)
    turns_to_deescalation                the first turn anyone played a de-escalation move (null if nobody did)
    deescalation_turn.<actor>            the same for each actor that has de-escalation moves
    final.<ind>, max.<ind>, min.<ind>    each indicator at the end, and its highest and lowest value in the game

series (one row per game and recorded turn: every --every turns, and always the last turn)
    run_id, turn, <ind> ...              the indicators of that turn

Indicators are the engine's numeric per-turn indicators, mappings flattened as 'sector_output.jp_autos_ev'.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from . import overrides as ov

if TYPE_CHECKING:
    import pyarrow as pa

    from .plan import Plan

STATS = ("final", "max", "min")


def runs_schema(plan: "Plan") -> "pa.Schema":
    import pyarrow as pa

    fields = [pa.field("run_id", pa.int64(), nullable=False), pa.field("point", pa.int32(), nullable=False),
              pa.field("replicate", pa.int32(), nullable=False), pa.field("seed", pa.int64(), nullable=False)]
    fields += [pa.field(ov.column(p), pa.float64() if t == "float" else pa.string()) for p, t in plan.param_types]
    fields += [pa.field("outcome", pa.string()), pa.field("turns", pa.int32()),
               pa.field("first_stoppage_turn", pa.int32()), pa.field("first_stoppage_at", pa.string()),
               pa.field("turns_to_deescalation", pa.int32())]
    fields += [pa.field(f"deescalation_turn.{a}", pa.int32()) for a in plan.deescalators]
    fields += [pa.field(f"{stat}.{c}", pa.float64()) for stat in STATS for c in plan.columns]
    return pa.schema(fields, metadata=_metadata(plan))


def series_schema(plan: "Plan") -> "pa.Schema":
    import pyarrow as pa

    fields = [pa.field("run_id", pa.int64(), nullable=False), pa.field("turn", pa.int32(), nullable=False)]
    fields += [pa.field(c, pa.float64()) for c in plan.columns]
    return pa.schema(fields, metadata=_metadata(plan))


def _metadata(plan: "Plan") -> dict[str, str]:
    return {"wargame.ruleset": plan.ruleset_id, "wargame.ruleset_digest": plan.ruleset_digest,
            "wargame.seed": str(plan.seed), "wargame.runs": str(plan.total), "wargame.turns": str(plan.turns),
            "wargame.every": str(plan.every)}
