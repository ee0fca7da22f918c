"""One turn of trade: arrivals, production, allocation of flows along the graph, and consumption.

Flows are allocated generation by generation (upstream first) in two rounds per supplier:
  1. contracts: each lane asks for its normal share of its buyer's order, capped by capacity × licence × moves;
  2. spot: buyers' unmet orders are offered to lanes with headroom, in priority order.
Lower priority numbers are served first, which is how China serves its own demand first.
Everything here works on flat lists compiled once per Network; no networkx in the hot loop.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from .effects import Modifiers
from .network import Network


@dataclass
class TradeOutcome:
    shipped: list[float]                 # per lane, tonnes leaving this turn
    arrived: list[float]                 # per lane, tonnes arriving this turn
    produced: list[list[float]]          # node x commodity
    consumed: list[list[float]]          # node x commodity
    shortage: list[list[float]]          # node x commodity (sinks and processes)
    fill: list[list[float]]              # node x commodity: share of normal need met (1 when unused)
    activity: list[float]                # per node: share of capacity used (processes), 1 for others
    requested: list[list[float]]         # region (0 China, 1 elsewhere) x commodity
    unmet: list[list[float]]


@dataclass(frozen=True, eq=False)  # hashed by identity: one per network, cached
class Plan:
    """The network flattened for the allocation loop."""

    generations: tuple[tuple[int, ...], ...]
    producers: tuple[tuple[int, ...], ...]      # per generation: nodes that produce
    # per generation: (node, commodity, is a stockpile, lanes grouped by priority, best first)
    shippers: tuple[tuple[tuple[int, int, bool, tuple[tuple[int, ...], ...]], ...], ...]
    sinks: tuple[int, ...]
    share: tuple[float, ...]            # lane -> share of its buyer's order under normal contracts
    use_coef: tuple[tuple[float, ...], ...]   # node x commodity: normal use per turn (per unit of capacity for processes)
    order_cover: tuple[tuple[float, ...], ...]  # node x commodity: weeks of use a buyer orders up to
    buyers: tuple[tuple[tuple[int, int, int], ...], ...]  # per generation: (node*C + commodity, node, commodity)
    lane_key: tuple[int, ...]           # lane -> its buyer's node*C + commodity
    per_capacity: tuple[bool, ...]      # node: whether its use scales with its current capacity
    delayed: tuple[int, ...]            # lanes with a lead time
    lane_dst: tuple[int, ...]
    lane_c: tuple[int, ...]
    lane_lead: tuple[int, ...]
    lane_approval: tuple[float, ...]
    lane_priority: tuple[float, ...]
    lane_spot: tuple[bool, ...]
    region: tuple[int, ...]             # node: 0 inside China, 1 elsewhere


@lru_cache(maxsize=16)
def plan_for(net: Network) -> Plan:
    C = len(net.commodities)
    out: list[dict[int, list[int]]] = [dict() for _ in net.nodes]
    into: dict[tuple[int, int], float] = {}
    for i, lane in enumerate(net.lanes):
        out[lane.src].setdefault(lane.commodity, []).append(i)
        if not lane.spot:
            into[(lane.dst, lane.commodity)] = into.get((lane.dst, lane.commodity), 0.0) + lane.capacity
    share = tuple(0.0 if lane.spot or not into.get((lane.dst, lane.commodity)) else
                  lane.capacity / into[(lane.dst, lane.commodity)] for lane in net.lanes)
    transit = [[0.0] * C for _ in net.nodes]
    for i, lane in enumerate(net.lanes):
        transit[lane.dst][lane.commodity] += share[i] * lane.lead_time
    coef = [[0.0] * C for _ in net.nodes]
    per_capacity = []
    for n, node in enumerate(net.nodes):
        per_capacity.append(bool(node.inputs))
        for c in range(C):
            if c in node.demand:
                coef[n][c] = node.demand[c]
            elif c in node.inputs:
                coef[n][c] = node.inputs[c] * node.essential.get(c, 1.0)
    for lane in net.lanes:
        node = net.nodes[lane.src]
        if not node.outputs and node.kind != "stockpile" and lane.commodity not in node.demand:
            coef[lane.src][lane.commodity] += lane.capacity
    priority = [lane.priority for lane in net.lanes]
    shippers = []
    for gen in net.generations:
        shippers.append(tuple((n, c, net.nodes[n].kind == "stockpile", group_by_priority(ls, priority))
                              for n in gen for c, ls in sorted(out[n].items())))
    return Plan(
        generations=net.generations,
        producers=tuple(tuple(n for n in gen if net.nodes[n].outputs) for gen in net.generations),
        shippers=tuple(shippers),
        sinks=tuple(i for i, n in enumerate(net.nodes) if n.demand),
        share=share,
        use_coef=tuple(tuple(row) for row in coef),
        order_cover=tuple(tuple(net.nodes[n].cover_weeks + 1.0 + transit[n][c] for c in range(C))
                          for n in range(len(net.nodes))),
        buyers=tuple(tuple(sorted({(lane.dst * C + lane.commodity, lane.dst, lane.commodity)
                                   for n in gen for lane in net.lanes if lane.src == n}))
                     for gen in net.generations),
        lane_key=tuple(lane.dst * C + lane.commodity for lane in net.lanes),
        per_capacity=tuple(per_capacity),
        delayed=tuple(i for i, lane in enumerate(net.lanes) if lane.lead_time > 0),
        lane_dst=tuple(lane.dst for lane in net.lanes),
        lane_c=tuple(lane.commodity for lane in net.lanes),
        lane_lead=tuple(lane.lead_time for lane in net.lanes),
        lane_approval=tuple(lane.approval for lane in net.lanes),
        lane_priority=tuple(lane.priority for lane in net.lanes),
        lane_spot=tuple(lane.spot for lane in net.lanes),
        region=tuple(0 if net.is_china(i) else 1 for i in range(len(net.nodes))),
    )


def group_by_priority(lanes, priority) -> tuple[tuple[int, ...], ...]:
    """Lanes in groups of equal priority, best (lowest number) first."""
    groups: dict[float, list[int]] = {}
    for lane in sorted(lanes):
        groups.setdefault(priority[lane], []).append(lane)
    return tuple(tuple(groups[p]) for p in sorted(groups))


@lru_cache(maxsize=64)
def _regrouped(plan: Plan, priority: tuple[float, ...]):
    """The shippers' lanes regrouped under priorities that moves have changed (few distinct sets per game)."""
    return tuple(tuple((n, c, stock, group_by_priority([l for g in groups for l in g], priority))
                       for n, c, stock, groups in gen) for gen in plan.shippers)


def step_trade(net: Network, state, mods: Modifiers, headroom: list[float]) -> TradeOutcome:
    """Advance the supply state by one turn. Mutates state.inventory, state.pipeline and state.on_order."""
    plan = plan_for(net)
    nodes = net.nodes
    N, C, L = len(nodes), len(net.commodities), len(net.lanes)
    inv = state.inventory
    on_order = state.on_order
    pipeline = state.pipeline
    node_cap = state.node_capacity
    lane_cap = state.lane_capacity
    subst = state.substitution
    factor = mods.lane_factor
    ration = mods.ration
    draw = mods.draw_reserve
    release = mods.release
    use_coef, per_capacity, lane_spot = plan.use_coef, plan.per_capacity, plan.lane_spot
    order_cover, lane_key = plan.order_cover, plan.lane_key
    orders = [0.0] * (N * C)
    received = [0.0] * (N * C)
    lane_dst, lane_c, lane_lead, share = plan.lane_dst, plan.lane_c, plan.lane_lead, plan.share

    shipped = [0.0] * L
    arrived = [0.0] * L
    produced = [[0.0] * C for _ in range(N)]
    consumed = [[0.0] * C for _ in range(N)]
    shortage = [[0.0] * C for _ in range(N)]
    fill = [[1.0] * C for _ in range(N)]
    activity = [1.0] * N
    requested = [[0.0] * C, [0.0] * C]
    unmet = [[0.0] * C, [0.0] * C]

    # 1. arrivals of shipments that were in transit
    for l in plan.delayed:
        pipe = pipeline[l]
        amount = pipe.pop(0)
        pipe.append(0.0)
        if amount:
            d, c = lane_dst[l], lane_c[l]
            inv[d][c] += amount
            on_order[d][c] -= amount
            arrived[l] = amount

    demand = mods.demand

    def use_of(n: int, c: int) -> float:
        return (use_coef[n][c] * (node_cap[n] if per_capacity[n] else demand.get(n, 1.0))
                * (1.0 - subst[n][c]))

    def reserve(n: int, c: int) -> float:
        weeks = nodes[n].reserve_weeks
        if not weeks or n in draw:
            return 0.0
        return weeks * use_of(n, c)

    allowed = [cap * f * a for cap, f, a in zip(lane_cap, factor, plan.lane_approval)]
    prio = mods.lane_priority
    reorder = any(p != q for p, q in zip(prio, plan.lane_priority))
    all_shippers = plan.shippers
    if reorder:
        all_shippers = _regrouped(plan, tuple(prio))

    for g, gen in enumerate(plan.generations):
        # 2. production
        for n in plan.producers[g]:
            node = nodes[n]
            cap = node_cap[n]
            if cap <= 0:
                activity[n] = 0.0
                continue
            row = inv[n]
            limit = ration.get(n, 1.0)
            y = limit
            avail_share = {}
            sub = subst[n]
            for c, rate in node.inputs.items():
                e = node.essential.get(c, 1.0)
                rate *= 1.0 - sub[c]
                f = max(0.0, row[c] - reserve(n, c)) / (rate * cap) if rate > 0 else 1e18
                avail_share[c] = f
                y = min(y, 1.0 - e + min(e, f))
            for c, yld in node.outputs.items():
                if yld > 0:
                    room = node.max_stock_weeks * yld * cap - row[c]
                    y = min(y, max(0.0, room / (yld * cap)))
            y = max(0.0, y)
            activity[n] = y
            for c, rate in node.inputs.items():
                e = node.essential.get(c, 1.0)
                rate *= 1.0 - sub[c]
                amount = min(min(e * y, avail_share[c]) * rate * cap, row[c])
                row[c] -= amount
                consumed[n][c] += amount
                normal = rate * e * cap
                if normal > 0:
                    fill[n][c] = min(1.0, amount / normal)
                    shortage[n][c] = max(0.0, normal * limit - amount)
            for c, yld in node.outputs.items():
                amount = yld * y * cap
                row[c] += amount
                produced[n][c] += amount

        # 3. allocation: a snapshot of buyers' orders, then contracts, then spot
        shippers = all_shippers[g]
        if not shippers:
            continue
        buyers = plan.buyers[g]
        for key, d, c in buyers:
            # Order up to cover + this turn's use + what should be in transit (a base-stock rule).
            want = order_cover[d][c] * use_of(d, c) - inv[d][c] - on_order[d][c]
            orders[key] = want if want > 0 else 0.0
            received[key] = 0.0
        supply = [min(inv[n][c], release.get((n, c), 0.0)) if stock else inv[n][c] for n, c, stock, _ in shippers]
        for spot in (False, True):
            for i, (n, c, stock, groups) in enumerate(shippers):
                avail = supply[i]
                row = inv[n]
                for group in groups:
                    if avail <= 1e-12:
                        break
                    # What each lane of equal priority asks for, within its limit; shared pro rata if short.
                    asks = []
                    total = 0.0
                    for l in group:
                        key = lane_key[l]
                        if spot:
                            if stock:
                                limit = lane_cap[l] - shipped[l]
                            elif lane_spot[l]:
                                h = headroom[l]
                                limit = allowed[l] * (h if h < 1.0 else 1.0) - shipped[l]
                            else:
                                limit = allowed[l] * (1.0 + headroom[l]) - shipped[l]
                            want = orders[key] - received[key]
                        elif lane_spot[l]:
                            continue
                        else:
                            limit = lane_cap[l] if stock else allowed[l]
                            want = orders[key] * share[l]
                        x = want if want < limit else limit
                        if x > 1e-12:
                            asks.append((l, key, x))
                            total += x
                    if not asks:
                        continue
                    scale = 1.0 if total <= avail else avail / total
                    for l, key, x in asks:
                        x *= scale
                        avail -= x
                        received[key] += x
                        shipped[l] += x
                        row[c] -= x
                        d = lane_dst[l]
                        if lane_lead[l] == 0:
                            inv[d][c] += x
                            arrived[l] += x
                        else:
                            pipeline[l][-1] += x
                            on_order[d][c] += x
                supply[i] = avail
        for key, d, c in buyers:
            want = orders[key]
            region = plan.region[d]
            requested[region][c] += want
            gap = want - received[key]
            if gap > 0:
                unmet[region][c] += gap

    # 4. consumption at sectors and markets
    for n in plan.sinks:
        node = nodes[n]
        r = ration.get(n, 1.0)
        row = inv[n]
        for c in node.demand:
            need = use_of(n, c)
            if need <= 0:
                continue
            avail = max(0.0, row[c] - reserve(n, c))
            x = min(need * r, avail)
            row[c] -= x
            consumed[n][c] += x
            shortage[n][c] = need - x
            fill[n][c] = x / need
    return TradeOutcome(shipped, arrived, produced, consumed, shortage, fill, activity, requested, unmet)
