"""The indicators every turn reports, under stable names (the --json schema, DataCollector columns), and what
people call them (NAMES).

Cheap to import: the ruleset's conditions name indicators in their words, and the engine's types are imported
only where a game is played."""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from .figures import tension_rounded

if TYPE_CHECKING:
    from .economy import EconomyReport
    from .ruleset import Ruleset
    from .state import GameState
    from .trade import TradeOutcome

@dataclass(frozen=True)
class Name:
    """What people call an indicator."""

    label: str          # as a table, a chart or a screen names it
    unit: str = ""      # what a bare number of it is in; money is written with its own (figures.yen, figures.usd)
    short: str = ""     # where a column is narrow or the row sits under the one it qualifies
    sentence: str = ""  # inside a sentence ('requires the share of …'), where the label starts a line


NAMES = {
    "turn": Name("Turn", sentence="turn"),
    "tension": Name("Tension", sentence="tension"),
    "ladder": Name("Escalation rung"),
    "cohesion": Name("G7 cohesion", "0 to 1"),
    "japan_supply_index": Name("Japan's supply index", "1 = normal"),
    "japan_gdp_loss_jpy": Name("Japan's loss from shortages", "¥"),
    "japan_gdp_loss_share": Name("Japan's loss from shortages as a share of a year's GDP",
                                 short="as a share of a year's GDP"),
    "japan_loss_this_turn_jpy": Name("Japan's loss from shortages this turn", "¥"),
    "japan_other_loss_jpy": Name("Japan's lost trade and tourism", "¥"),
    "china_export_loss_usd": Name("China's lost rare-earth exports", "$"),
    "japan_import_share_china": Name("Share of Japan's rare-earth imports from China", short="Rare earths from China",
                                     sentence="the share of Japan's rare-earth imports from China"),
    "japan_heavy_share_china": Name("Share of Japan's heavy rare-earth imports from China",
                                    short="Heavy rare earths from China",
                                    sentence="the share of Japan's heavy rare-earth imports from China"),
    "diversification_tpw": Name("Supply committed outside China", "t/turn",
                                sentence="supply committed outside China"),
    "imports_to_japan": Name("Imports to Japan", "t"),
    "price_inside_china": Name("Price inside China", "$/kg"),
    "price_outside_china": Name("Price outside China", "$/kg"),
    "sector_output": Name("Output"),
    "inventory_japan": Name("Stock"),
    "relations": Name("Relations"),
    "pressure": Name("Domestic pressure"),
    "japan_stock_weeks": Name("Japanese industry's stock", "weeks of use"),
}


def label(key: str) -> str:
    """The indicator as people know it: 'G7 cohesion'; an unknown key stands for itself."""
    name = NAMES.get(key)
    return name.label if name else key


def short(key: str) -> str:
    """The indicator in a narrow column or under the row it qualifies: 'Rare earths from China'."""
    name = NAMES.get(key)
    return (name.short or name.label) if name else key


def titled(key: str, unit: str | None = None, text: str | None = None) -> str:
    """The indicator with its unit, as a column or an axis gives it: 'Japan's supply index (1 = normal)'; `unit`
    in place of the table's where a place writes the figures in another ('¥ bn' on a chart), and `text` in place
    of the label where a place words it otherwise (short(key), say)."""
    unit = (NAMES[key].unit if key in NAMES else "") if unit is None else unit
    text = label(key) if text is None else text
    return f"{text} ({unit})" if unit else text


def in_sentence(key: str) -> str:
    """The indicator as a sentence names it, with its unit: 'the share of Japan's rare-earth imports from China',
    'Japan's supply index (1 = normal)'."""
    name = NAMES.get(key)
    return titled(key, text=name.sentence or name.label) if name else key


SCALARS = ("tension", "cohesion", "japan_supply_index", "japan_gdp_loss_jpy", "japan_gdp_loss_share", "japan_loss_this_turn_jpy",
           "japan_other_loss_jpy", "china_export_loss_usd", "japan_import_share_china", "japan_heavy_share_china",
           "diversification_tpw")


@lru_cache(maxsize=8)
def import_values(rules: Ruleset) -> tuple[float, tuple[float, ...]]:
    """Japan's normal imports per turn by value (USD), and the reference value of a tonne of each commodity
    (its price outside China; an unpriced commodity, such as ore, counts at $1/kg)."""
    net = rules.network
    value = tuple((rules.prices[c].outside if c in rules.prices else 1.0) * 1000.0 for c in range(len(net.commodities)))
    normal = sum(lane.capacity * lane.approval * value[lane.commodity] for lane in net.lanes
                 if lane.dst_country == net.japan and lane.src_country != net.japan and not lane.spot)
    return normal, value


@dataclass(frozen=True)
class _Layout:
    """Which lanes, commodities and nodes each indicator reads, worked out once per ruleset."""

    into_japan: tuple[tuple[int, int, bool], ...]     # lane, commodity, from China
    ree: tuple[int, ...]
    heavy: tuple[int, ...]
    shown: tuple[tuple[int, str], ...]
    japan_inventory: tuple[tuple[int, str], ...]      # node index, node id
    priced: tuple[tuple[int, str], ...]
    commodity_ids: tuple[str, ...]
    value: tuple[float, ...]
    normal: float
    annual_gdp: float


@lru_cache(maxsize=8)
def _layout(rules: Ruleset) -> _Layout:
    net = rules.network
    C = len(net.commodities)
    ree = tuple(c for c in range(C) if net.commodities[c].counts_as_rare_earth)
    normal, value = import_values(rules)
    return _Layout(
        into_japan=tuple((i, lane.commodity, lane.src_country == net.china) for i, lane in enumerate(net.lanes)
                         if lane.dst_country == net.japan and lane.src_country != net.japan),
        ree=ree,
        heavy=tuple(c for c in ree if net.commodities[c].group == "heavy"),
        shown=tuple((c, net.commodities[c].id) for c in range(C) if c in ree or net.commodities[c].group == "product"),
        japan_inventory=tuple((i, n.id) for i, n in enumerate(net.nodes) if n.country == net.japan),
        priced=tuple((c, net.commodities[c].id) for c in rules.prices),
        commodity_ids=tuple(cm.id for cm in net.commodities),
        value=value,
        normal=normal,
        annual_gdp=rules.economy["japan_gdp_jpy_per_year"],
    )


@lru_cache(maxsize=1024)
def _date_text(rules: Ruleset, turn: int) -> str:
    return rules.date_of(turn).isoformat()


def compute(rules: Ruleset, state: GameState, trade: TradeOutcome, econ: EconomyReport) -> dict:
    # Called every turn of every game, Monte Carlo batches included: plain loops over the precomputed
    # layout. Rounding keeps the JSON readable and stable; all arithmetic happens at full precision.
    # The key order is the --json schema's.
    lay = _layout(rules)
    C = len(lay.value)
    imports = [0.0] * C
    from_china = [0.0] * C
    arrived = trade.arrived
    for i, c, chinese in lay.into_japan:
        imports[c] += arrived[i]
        if chinese:
            from_china[c] += arrived[i]
    value, normal, ree, heavy = lay.value, lay.normal, lay.ree, lay.heavy
    now = sum([imports[c] * value[c] for c in range(C)])
    total = sum([imports[c] for c in ree])
    heavy_total = sum([imports[c] for c in heavy])
    inventory = state.inventory
    commodity_ids = lay.commodity_ids
    price_inside, price_outside = state.price_inside, state.price_outside
    return {
        "turn": state.turn,
        "date": _date_text(rules, state.turn),
        "tension": tension_rounded(float(state.tension), rules.politics["ladder"], 3),
        "ladder": rules.ladder_rung(state.tension),
        "cohesion": round(float(state.cohesion), 3),
        "japan_gdp_loss_jpy": round(state.japan_gdp_loss_jpy),
        "japan_gdp_loss_share": round(float(state.japan_gdp_loss_jpy / lay.annual_gdp), 6),
        "japan_loss_this_turn_jpy": round(econ.japan_loss_jpy),
        "japan_other_loss_jpy": round(state.japan_direct_loss_jpy),
        "china_export_loss_usd": round(state.china_export_loss_usd),
        "imports_to_japan": {name: round(float(imports[c]), 2) for c, name in lay.shown},
        "japan_supply_index": round(float(now / normal if normal else 1.0), 4),
        "japan_import_share_china": round(float(sum([from_china[c] for c in ree]) / total if total else 0.0), 4),
        "japan_heavy_share_china": round(float(sum([from_china[c] for c in heavy]) / heavy_total
                                               if heavy_total else 0.0), 4),
        "price_inside_china": {name: round(float(price_inside[c]), 2) for c, name in lay.priced},
        "price_outside_china": {name: round(float(price_outside[c]), 2) for c, name in lay.priced},
        "sector_output": {k: round(float(v), 4) for k, v in econ.sector_output.items()},
        "inventory_japan": {node_id: {commodity_ids[c]: round(float(v), 2) for c, v in enumerate(inventory[n])
                                      if v > 0.005}
                            for n, node_id in lay.japan_inventory},
        "relations": {k: round(float(v), 3) for k, v in sorted(state.relations.items())},
        "pressure": {k: round(float(v), 3) for k, v in sorted(state.pressure.items())},
        "diversification_tpw": round(float(state.committed_capacity), 2),
        "japan_stock_weeks": {name: round(float(sum([inventory[n][c] for n in holders]) / use if use else 0.0), 2)
                              for c, name, holders, use in _japan_stocks(rules)},
    }


@lru_cache(maxsize=8)
def _japan_stocks(rules: Ruleset) -> tuple:
    """For each commodity Japan's industry uses: the nodes holding it and their normal use a turn.
    The national stockpile is left out: its size is a state secret."""
    from .trade import plan_for

    net = rules.network
    plan = plan_for(net)
    out = []
    for c, commodity in enumerate(net.commodities):
        holders, use = [], 0.0
        for n, node in enumerate(net.nodes):
            if node.country != net.japan or node.kind == "stockpile":
                continue
            need = plan.use_coef[n][c] * (node.capacity if plan.per_capacity[n] else 1.0)
            if c in node.demand or c in node.inputs or (not node.outputs and need > 0):
                holders.append(n)
                if c in node.demand or c in node.inputs:
                    use += need
        if holders and use > 0:
            out.append((c, commodity.id, tuple(holders), use))
    return tuple(out)


def baseline(rules: Ruleset, state: GameState) -> dict:
    """Indicators for 'turn 0': the supply chain running normally, before anyone has moved."""
    from .economy import EconomyReport
    from .trade import TradeOutcome

    net = rules.network
    N, C = len(net.nodes), len(net.commodities)
    flows = [0.0 if lane.spot else lane.capacity * lane.approval for lane in net.lanes]
    normal = TradeOutcome(shipped=flows, arrived=list(flows), produced=[[0.0] * C for _ in range(N)],
                          consumed=[[0.0] * C for _ in range(N)], shortage=[[0.0] * C for _ in range(N)],
                          fill=[[1.0] * C for _ in range(N)], activity=[1.0] * N,
                          requested=[[0.0] * C, [0.0] * C], unmet=[[0.0] * C, [0.0] * C])
    outputs = {n.id: 1.0 for n in net.nodes if n.economy is not None}
    econ = EconomyReport(outputs, 0.0, 0.0, 0.0, 0.0)
    return compute(rules, state, normal, econ)
