"""One turn of trade: arrivals, production, allocation of flows along the graph, and consumption.

Flows are allocated generation by generation (upstream first) in two rounds per supplier:
  1. contracts: each lane asks for its normal share of its buyer's order, capped by capacity × licence × moves;
  2. spot: buyers' unmet orders are offered to lanes with headroom, in priority order.
Lower priority numbers are served first, which is how China serves its own demand first.
Everything here works on flat lists compiled once per Network; no networkx in the hot loop. The loops run
for every lane every turn, so they take min() and max() as conditional expressions (the same values, without
a call each) and keep every sum in its original order, so results stay bit-for-bit reproducible.
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
    requested: list[list[float]]         # region (0 China, 1 elsewhere) x commodity: buyers' orders
    unmet: list[list[float]]             # region x commodity: the part of those orders not shipped


@dataclass(frozen=True, eq=False)  # hashed by identity: one per network, cached
class Plan:
    """The network flattened for the allocation loop.

    What a turn would otherwise look up in the Network's dicts is laid out once here as tuples of plain
    records, so that a turn only walks them.
    """

    generations: tuple[tuple[int, ...], ...]
    # per generation: (node, inputs as (commodity, rate, essential share, node*C + commodity),
    #                  outputs as (commodity, yield, yield × max_stock_weeks)) for nodes that produce
    producers: tuple[tuple[tuple[int, tuple[tuple[int, float, float, float], ...],
                                 tuple[tuple[int, float, float], ...]], ...], ...]
    # per generation: (node, commodity, is a stockpile, its outgoing lanes) for every node that ships
    outlets: tuple[tuple[tuple[int, int, bool, tuple[int, ...]], ...], ...]
    stockpiles: tuple[tuple[tuple[int, int, int], ...], ...]  # per generation: (outlet index, node, commodity)
    sinks: tuple[tuple[int, tuple[tuple[int, int], ...]], ...]  # (node, ((node*C + commodity, commodity), ...))
    share: tuple[float, ...]            # lane -> share of its buyer's order under normal contracts
    use_coef: tuple[tuple[float, ...], ...]   # node x commodity: normal use per turn (per unit of capacity for processes)
    # (node*C + commodity, node, commodity, use_coef, per_capacity) for each use a turn needs
    use_keys: tuple[tuple[int, int, int, float, bool], ...]
    # per generation: (node*C + commodity, node, commodity, weeks of use it orders up to, region)
    buyers: tuple[tuple[tuple[int, int, int, float, int], ...], ...]
    lane_key: tuple[int, ...]           # lane -> its buyer's node*C + commodity
    per_capacity: tuple[bool, ...]      # node: whether its use scales with its current capacity
    reserve_weeks: tuple[float, ...]    # node: weeks of use held back unless moves draw on the reserve
    delayed: tuple[tuple[int, int, int], ...]  # (lane, buyer, commodity) for lanes with a lead time
    lane_dst: tuple[int, ...]
    lane_lead: tuple[int, ...]
    lane_approval: tuple[float, ...]
    lane_spot: tuple[bool, ...]
    lane_stock: tuple[bool, ...]        # lane: whether it leaves a stockpile


@lru_cache(maxsize=16)
def plan_for(net: Network) -> Plan:
    C = len(net.commodities)
    nodes = net.nodes
    out: list[dict[int, list[int]]] = [dict() for _ in nodes]
    # A buyer's contracts are its lanes that are neither spot-only nor out of a stockpile: a stockpile ships
    # only what moves release, so counting it would shrink every real contract's share of the order and the
    # transit time the buyer orders for, and a chain that starts full would stop ordering for its first turns.
    contract = [not lane.spot and nodes[lane.src].kind != "stockpile" for lane in net.lanes]
    into: dict[tuple[int, int], float] = {}
    for i, lane in enumerate(net.lanes):
        out[lane.src].setdefault(lane.commodity, []).append(i)
        if contract[i]:
            into[(lane.dst, lane.commodity)] = into.get((lane.dst, lane.commodity), 0.0) + lane.capacity
    share = tuple(lane.capacity / into[(lane.dst, lane.commodity)]
                  if contract[i] and into.get((lane.dst, lane.commodity)) else 0.0
                  for i, lane in enumerate(net.lanes))
    transit = [[0.0] * C for _ in nodes]
    for i, lane in enumerate(net.lanes):
        transit[lane.dst][lane.commodity] += share[i] * lane.lead_time
    coef = [[0.0] * C for _ in nodes]
    per_capacity = []
    for n, node in enumerate(nodes):
        per_capacity.append(bool(node.inputs))
        for c in range(C):
            if c in node.demand:
                coef[n][c] = node.demand[c]
            elif c in node.inputs:
                coef[n][c] = node.inputs[c] * node.essential.get(c, 1.0)
    for lane in net.lanes:
        node = nodes[lane.src]
        if not node.outputs and node.kind != "stockpile" and lane.commodity not in node.demand:
            coef[lane.src][lane.commodity] += lane.capacity
    region = [0 if net.is_china(i) else 1 for i in range(len(nodes))]
    buyers = tuple(tuple(sorted({(lane.dst * C + lane.commodity, lane.dst, lane.commodity,
                                  nodes[lane.dst].cover_weeks + 1.0 + transit[lane.dst][lane.commodity],
                                  region[lane.dst])
                                 for n in gen for lane in net.lanes if lane.src == n}))
                   for gen in net.generations)
    sinks = tuple((n, tuple((n * C + c, c) for c in node.demand)) for n, node in enumerate(nodes) if node.demand)
    used = {(key, n, c) for gen in buyers for key, n, c, _, _ in gen}
    used.update((key, n, c) for n, demand in sinks for key, c in demand)
    used.update((n * C + c, n, c) for n, node in enumerate(nodes) if node.outputs for c in node.inputs)
    outlets = tuple(tuple((n, c, nodes[n].kind == "stockpile", tuple(ls)) for n in gen for c, ls in sorted(out[n].items()))
                    for gen in net.generations)
    return Plan(
        generations=net.generations,
        producers=tuple(tuple((n, tuple((c, rate, nodes[n].essential.get(c, 1.0), n * C + c)
                                        for c, rate in nodes[n].inputs.items()),
                               tuple((c, yld, nodes[n].max_stock_weeks * yld) for c, yld in nodes[n].outputs.items()))
                              for n in gen if nodes[n].outputs)
                        for gen in net.generations),
        outlets=outlets,
        stockpiles=tuple(tuple((i, n, c) for i, (n, c, stock, _) in enumerate(gen) if stock) for gen in outlets),
        sinks=sinks,
        share=share,
        use_coef=tuple(tuple(row) for row in coef),
        use_keys=tuple((key, n, c, coef[n][c], per_capacity[n]) for key, n, c in sorted(used)),
        buyers=buyers,
        lane_key=tuple(lane.dst * C + lane.commodity for lane in net.lanes),
        per_capacity=tuple(per_capacity),
        reserve_weeks=tuple(node.reserve_weeks for node in nodes),
        delayed=tuple((i, lane.dst, lane.commodity) for i, lane in enumerate(net.lanes) if lane.lead_time > 0),
        lane_dst=tuple(lane.dst for lane in net.lanes),
        lane_lead=tuple(lane.lead_time for lane in net.lanes),
        lane_approval=tuple(lane.approval for lane in net.lanes),
        lane_spot=tuple(lane.spot for lane in net.lanes),
        lane_stock=tuple(nodes[lane.src].kind == "stockpile" for lane in net.lanes),
    )


def group_by_priority(lanes, priority) -> tuple[tuple[int, ...], ...]:
    """Lanes in groups of equal priority, best (lowest number) first."""
    groups: dict[float, list[int]] = {}
    for lane in sorted(lanes):
        groups.setdefault(priority[lane], []).append(lane)
    return tuple(tuple(groups[p]) for p in sorted(groups))


@lru_cache(maxsize=64)
def _rounds(plan: Plan, priority: tuple[float, ...]):
    """Per generation, the shippers of the contract round and of the spot round, with their lanes grouped under
    the priorities in force (few distinct sets per game).

    A shipper is (outlet index, node, commodity, is a stockpile, groups); a group holds its lanes as
    (lane, buyer's node*C + commodity, buyer, arrives this turn, contract share). The contract round leaves
    out spot lanes, with any group that only they made up, and any shipper left with no group.
    """
    def record(l):
        return l, plan.lane_key[l], plan.lane_dst[l], plan.lane_lead[l] == 0, plan.share[l]

    rounds = []
    for gen in plan.outlets:
        contract, spot = [], []
        for i, (n, c, stock, lanes) in enumerate(gen):
            groups = group_by_priority(lanes, priority)
            contract_groups = tuple(g for g in (tuple(record(l) for l in group if not plan.lane_spot[l])
                                                for group in groups) if g)
            if contract_groups:
                contract.append((i, n, c, stock, contract_groups))
            spot.append((i, n, c, stock, tuple(tuple(record(l) for l in group) for group in groups)))
        rounds.append((tuple(contract), tuple(spot)))
    return tuple(rounds)


def step_trade(net: Network, state, mods: Modifiers, headroom: list[float]) -> TradeOutcome:
    """Advance the supply state by one turn. Mutates state.inventory, state.pipeline and state.on_order."""
    plan = plan_for(net)
    N, C, L = len(net.nodes), len(net.commodities), len(net.lanes)
    inv = state.inventory
    on_order = state.on_order
    pipeline = state.pipeline
    node_cap = state.node_capacity
    lane_cap = state.lane_capacity
    subst = state.substitution
    ration_get = mods.ration.get
    draw = mods.draw_reserve
    release_get = mods.release.get
    reserve_weeks = plan.reserve_weeks
    orders = [0.0] * (N * C)
    received = [0.0] * (N * C)

    shipped = [0.0] * L
    arrived = [0.0] * L
    zeros, ones = [0.0] * C, [1.0] * C
    produced = [zeros.copy() for _ in range(N)]
    consumed = [zeros.copy() for _ in range(N)]
    shortage = [zeros.copy() for _ in range(N)]
    fill = [ones.copy() for _ in range(N)]
    activity = [1.0] * N
    requested = [[0.0] * C, [0.0] * C]
    unmet = [[0.0] * C, [0.0] * C]

    # 1. arrivals of shipments that were in transit
    for l, d, c in plan.delayed:
        pipe = pipeline[l]
        amount = pipe.pop(0)
        pipe.append(0.0)
        if amount:
            inv[d][c] += amount
            on_order[d][c] -= amount
            arrived[l] = amount

    # This turn's normal use of everything producers hold back in reserve, buyers order and sinks consume:
    # it does not change within a turn.
    demand_get = mods.demand.get
    use = [0.0] * (N * C)
    for key, n, c, coef, per_capacity in plan.use_keys:
        use[key] = coef * (node_cap[n] if per_capacity else demand_get(n, 1.0)) * (1.0 - subst[n][c])

    # What each lane may carry under contract: its capacity × moves × licence approval; and in the spot round
    # (less what it has shipped): a spot-only lane up to its headroom (at most its capacity), a contract lane
    # its capacity plus headroom. Stockpiles' lanes are limited by their capacity alone, in both rounds.
    allowed = [cap if stock else cap * f * a
               for cap, f, a, stock in zip(lane_cap, mods.lane_factor, plan.lane_approval, plan.lane_stock)]
    premium = [a if stock else a * (h if h < 1.0 else 1.0) if spot else a * (1.0 + h)
               for a, h, spot, stock in zip(allowed, headroom, plan.lane_spot, plan.lane_stock)]
    all_rounds = _rounds(plan, tuple(mods.lane_priority))

    for g, gen in enumerate(plan.generations):
        # 2. production
        for n, inputs, outputs in plan.producers[g]:
            cap = node_cap[n]
            if cap <= 0.0:
                activity[n] = 0.0
                continue
            row = inv[n]
            limit = ration_get(n, 1.0)
            y = limit
            sub = subst[n]
            weeks = reserve_weeks[n] if n not in draw else 0.0
            avail_share = []
            for c, rate, e, key in inputs:
                rate *= 1.0 - sub[c]
                if rate > 0.0:
                    have = row[c] - weeks * use[key] if weeks else row[c]
                    f = (have if have > 0.0 else 0.0) / (rate * cap)
                else:
                    f = 1e18
                avail_share.append(f)
                v = 1.0 - e + (f if f < e else e)
                if v < y:
                    y = v
            for c, yld, stock_weeks in outputs:
                if yld > 0.0:
                    v = (stock_weeks * cap - row[c]) / (yld * cap)
                    v = v if v > 0.0 else 0.0
                    if v < y:
                        y = v
            y = y if y > 0.0 else 0.0
            activity[n] = y
            for (c, rate, e, _), f in zip(inputs, avail_share):
                rate *= 1.0 - sub[c]
                ey = e * y
                amount = (f if f < ey else ey) * rate * cap
                if row[c] < amount:
                    amount = row[c]
                row[c] -= amount
                consumed[n][c] += amount
                normal = rate * e * cap
                if normal > 0.0:
                    met = amount / normal
                    fill[n][c] = met if met < 1.0 else 1.0
                    gap = normal * limit - amount
                    shortage[n][c] = gap if gap > 0.0 else 0.0
            for c, yld, _ in outputs:
                amount = yld * y * cap
                row[c] += amount
                produced[n][c] += amount

        # 3. allocation: a snapshot of buyers' orders, then contracts, then spot
        buyers = plan.buyers[g]
        if not buyers:
            continue
        for key, d, c, cover, _ in buyers:
            # Order up to cover + this turn's use + what should be in transit (a base-stock rule).
            want = cover * use[key] - inv[d][c] - on_order[d][c]
            orders[key] = want if want > 0.0 else 0.0
            received[key] = 0.0
        # What each shipper offers: its stock, or from a stockpile what moves release. A shipper's stock is its
        # own row, which nothing else in this generation touches (lanes run only to later generations), so the
        # row itself carries what is left from contracts to spot; only stockpiles' offers need keeping.
        released = {i: min(inv[n][c], release_get((n, c), 0.0)) for i, n, c in plan.stockpiles[g]}
        contract_round, spot_round = all_rounds[g]
        for spot, shippers, caps in ((False, contract_round, allowed), (True, spot_round, premium)):
            for i, n, c, stock, groups in shippers:
                row = inv[n]
                avail = released[i] if stock else row[c]
                for group in groups:
                    if avail <= 1e-12:
                        break
                    # What each lane of equal priority asks for, within its limit; shared pro rata if short.
                    asks = []
                    total = 0.0
                    for lane in group:
                        l, key, _, _, share = lane
                        if spot:
                            limit = caps[l] - shipped[l]
                            want = orders[key] - received[key]
                        else:
                            limit = caps[l]
                            want = orders[key] * share
                        x = want if want < limit else limit
                        if x > 1e-12:
                            asks.append((lane, x))
                            total += x
                    if not asks:
                        continue
                    scale = 1.0 if total <= avail else avail / total
                    for (l, key, d, direct, _), x in asks:
                        x *= scale
                        avail -= x
                        received[key] += x
                        shipped[l] += x
                        row[c] -= x
                        if direct:
                            inv[d][c] += x
                            arrived[l] += x
                        else:
                            pipeline[l][-1] += x
                            on_order[d][c] += x
                if stock:
                    released[i] = avail
        for key, d, c, _, region in buyers:
            want = orders[key]
            requested[region][c] += want
            gap = want - received[key]
            if gap > 0.0:
                unmet[region][c] += gap

    # 4. consumption at sectors and markets
    for n, needs in plan.sinks:
        r = ration_get(n, 1.0)
        row = inv[n]
        weeks = reserve_weeks[n] if n not in draw else 0.0
        for key, c in needs:
            need = use[key]
            if need <= 0.0:
                continue
            have = row[c] - weeks * need if weeks else row[c]
            avail = have if have > 0.0 else 0.0
            x = need * r
            if avail < x:
                x = avail
            row[c] -= x
            consumed[n][c] += x
            shortage[n][c] = need - x
            fill[n][c] = x / need
    return TradeOutcome(shipped, arrived, produced, consumed, shortage, fill, activity, requested, unmet)
